# Sourced by the bench scripts: small helpers they share.

# server_info HOME FIELD: a field (pid, port, token, ...) of the local server's HOME/server.json
server_info() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1/server.json" "$2"
}

# cpu_ms PID: the process's CPU time so far (user + system, /proc), in milliseconds
cpu_ms() { awk '{print ($14 + $15) * 10}' "/proc/$1/stat"; }
