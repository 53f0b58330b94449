# Sourced by the bench scripts: small helpers they share.

# bench_paths: sets the paths most scripts work with: BENCH (this folder), ROOT (the project), FERRY
# (its launcher), WORK (bench/work), T (the 20k-file tree of gen-data.py) and TRASH (exported, for
# away.sh). A script with paths of its own sets them itself instead.
bench_paths() {
  BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  ROOT="$(dirname "$BENCH")"
  FERRY="$ROOT/ferry"
  WORK="$BENCH/work"
  T="$BENCH/data/tree20k"
  export TRASH="$WORK/trash"
}

# server_info HOME FIELD: a field (pid, port, token, ...) of the local server's HOME/server.json
server_info() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1/server.json" "$2"
}

# cpu_ms PID: the process's CPU time so far (user + system, /proc), in milliseconds
cpu_ms() { awk '{print ($14 + $15) * 10}' "/proc/$1/stat"; }

# make_room GB: makes sure the disk that holds $TRASH has GB (the outputs this script will move aside,
# ~1.15 GB per copy of the 20k tree) free before anything is timed: empties the trash if not (which
# then waits out ext4's recently-deleted window, see empty-trash.sh), and stops with exit 3 if that
# is still not enough. Without it, a long A/B fills the disk halfway and its later runs time failures.
make_room() {
  local need_gb="$1" avail_kb
  "$(dirname "${BASH_SOURCE[0]}")/empty-trash.sh" "$need_gb"
  avail_kb=$(df -Pk "$(dirname "$TRASH")" | awk 'NR==2 {print $4}')
  if [ "$avail_kb" -lt $(( need_gb * 1048576 )) ]; then
    echo "$(basename "$0"): needs ~$need_gb GB free for its outputs, there are $(( avail_kb / 1048576 )) GB" \
         "(even with $TRASH emptied)" >&2
    exit 3
  fi
}

# remote_client SRV CLI TOKEN: waits for the server of home SRV to write its server.json, then sets URL
# and defines (and exports) `ferry`: the launcher with home CLI, pointed at that server with TOKEN.
remote_client() {
  local srv="$1"
  for _ in $(seq 1 600); do [ -f "$srv/server.json" ] && break; sleep 0.1; done
  URL="http://127.0.0.1:$(server_info "$srv" port)"
  REMOTE_CLI="$2" REMOTE_TOKEN="$3"
  ferry() { env FERRY_HOME="$REMOTE_CLI" FERRY_SERVER="$URL" FERRY_TOKEN="$REMOTE_TOKEN" "$FERRY" "$@"; }
  export -f ferry
  export URL REMOTE_CLI REMOTE_TOKEN FERRY
}
