#!/usr/bin/env bash
# Where a local server's CPU goes in an upload or a download of the 20k-file tree, Java and kernel
# frames together (async-profiler, CPU samples every 1 ms, fetched from Maven Central on first use):
#
#   bench/profile.sh upload 6 3       # a fresh server, 6 untimed uploads, then 3 profiled ones
#   bench/profile.sh download 1 4     # one upload, 1 untimed download, then 4 profiled downloads
#
# Each profiled run is written as collapsed stacks (bench/work/profile/<what>.<n>.collapsed, one line
# per stack, the thread's name first: flame-graph tools read it) and summed by
# bench/profile-summary.py: CPU by thread, the frames that burn it, and Ferry's methods inclusive.
# The profiler is loaded when the server starts and samples only between the start and stop
# commands sent around each profiled run, so the untimed runs cost nothing extra.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_paths
WHAT="${1:-upload}"
WARM="${2:-6}"
N="${3:-3}"
case "$WHAT" in upload|download) ;; *) echo "usage: $0 upload|download [WARM] [N]" >&2; exit 2 ;; esac
export FERRY_HOME="$WORK/profile-home"
OUT="$WORK/profile"
AP_VERSION=4.1
# shellcheck source=scripts/find-jdk.sh
. "$ROOT/scripts/find-jdk.sh"
ferry_find_jdk
JCMD="$FERRY_JAVA_HOME/bin/jcmd"
python3 "$BENCH/gen-data.py" tree20k
if [ "$WHAT" = download ]; then make_room $(( (WARM + N) * 115 / 100 + 3 )); else make_room 3; fi

lib="$WORK/async-profiler-$AP_VERSION/libasyncProfiler.so"
if [ ! -f "$lib" ]; then
  jar="$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar"
  [ -f "$jar" ] || mvn -q -B dependency:get -Dartifact="tools.profiler:async-profiler:$AP_VERSION" >&2
  mkdir -p "$(dirname "$lib")"
  unzip -q -o -j "$jar" linux-x64/libasyncProfiler.so -d "$(dirname "$lib")"
fi
# jcmd's parser splits an unquoted argument at '=': the agent's options go inside quotes of their own
profiler() { "$JCMD" "$pid" JVMTI.agent_load "$lib" "\"$1\"" >/dev/null; }

"$FERRY" version >/dev/null
"$FERRY" server stop >/dev/null 2>&1 || true
[ ! -e "$FERRY_HOME" ] || "$BENCH/away.sh" "$FERRY_HOME"
rm -rf "$OUT"; mkdir -p "$OUT" "$FERRY_HOME"
trap '"$FERRY" server stop >/dev/null 2>&1 || true' EXIT
FERRY_JAVA_OPTS="-agentpath:$lib" "$FERRY" server start >/dev/null
pid=$(server_info "$FERRY_HOME" pid)
"$FERRY" repo create --repo b >/dev/null
upload() { "$FERRY" bundle upload --path "$T" --repo b --message m --label latest >/dev/null 2>&1; }
download() { "$FERRY" bundle download --repo b --label latest --destination "$WORK/profile-out" >/dev/null 2>&1; }
# before each run: an empty store (upload) or no earlier output (download), and no dirty pages
prepare() {
  if [ "$WHAT" = upload ]; then "$BENCH/empty-store.sh" "$FERRY_HOME"; else "$BENCH/away.sh" "$WORK/profile-out"; fi
  sync
}
[ "$WHAT" = upload ] || upload
for _ in $(seq 1 "$WARM"); do prepare; "$WHAT"; done
for i in $(seq 1 "$N"); do
  prepare; sleep 1
  profiler "start,event=cpu,interval=1ms,threads"
  c=$(cpu_ms "$pid"); s=$(date +%s%3N)
  "$WHAT"
  e=$(date +%s%3N)
  profiler "stop,file=$OUT/$WHAT.$i.collapsed,collapsed"
  echo "$WHAT $((WARM + i)) of the server: wall $((e - s)) ms, server CPU $(( $(cpu_ms "$pid") - c )) ms" >&2
done
[ "$WHAT" = upload ] || "$BENCH/away.sh" "$WORK/profile-out"
python3 "$BENCH/profile-summary.py" "$OUT"/"$WHAT".*.collapsed
