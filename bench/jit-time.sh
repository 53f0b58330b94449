#!/usr/bin/env bash
# How much of a fresh local server's first uploads goes to its JIT compilers:
#
#   N=6 bench/jit-time.sh            # optional: extra server JVM options as arguments
#
# Starts a new server (FERRY_HOME=bench/work/jit-time) with a JFR recording of every compilation
# that took 5 ms or more, runs N uploads of the 20k-file tree, each into an emptied store (repo
# deleted, gc --grace 0s, untimed), and prints per upload its wall time, the server's CPU (/proc,
# user + system) and the compile time that fell inside it, then the costliest compiled methods
# (bench/jfr-compilations.py). Outputs of earlier runs are moved aside (away.sh), never deleted.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_paths
export FERRY_HOME="$WORK/jit-time"
python3 "$BENCH/gen-data.py" tree20k
"$FERRY" version >/dev/null
make_room 4
"$FERRY" server stop >/dev/null 2>&1 || true
"$BENCH/away.sh" "$FERRY_HOME"
mkdir -p "$FERRY_HOME"
jfr="$FERRY_HOME/server.jfr"
# The server inherits the JVM options of the command that starts it; later commands run without
# them. The starting command records too, hence the pid in the file name.
FERRY_JAVA_OPTS="$* -XX:StartFlightRecording:filename=$FERRY_HOME/jit-%p.jfr,settings=profile,jdk.Compilation#threshold=5ms" \
  "$FERRY" server start >/dev/null
unset FERRY_JAVA_OPTS
pid=$(server_info "$FERRY_HOME" pid)
"$FERRY" repo create --repo b >/dev/null
windows="$FERRY_HOME/uploads.txt"
: > "$windows"
for i in $(seq 1 "${N:-6}"); do
  "$BENCH/empty-store.sh" "$FERRY_HOME"; sync; sleep 1
  c=$(cpu_ms "$pid"); s=$(date +%s%3N)
  "$FERRY" bundle upload --path "$T" --repo b --message m >/dev/null 2>&1
  e=$(date +%s%3N)
  echo "$i $s $e $(( $(cpu_ms "$pid") - c ))" >> "$windows"
done
"$FERRY" server stop >/dev/null
mv "$FERRY_HOME/jit-$pid.jfr" "$jfr"
rm -f "$FERRY_HOME"/jit-*.jfr
python3 "$BENCH/jfr-compilations.py" "$jfr" "$windows"
