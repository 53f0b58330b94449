#!/usr/bin/env bash
# Compares option sets: JVM options (FERRY_JAVA_OPTS, appended after the launcher's own, so they
# override it) and NAME=VALUE environment settings (e.g. MALLOC_ARENA_MAX=4), in any mix per set,
# on the 20k-file tree, alternating the sets round by round so that all meet the same conditions:
#
#   ROUNDS=5 bench/jvm-opts.sh in-process "-XX:CompileThresholdScaling=1" ""
#   SERIES=3 bench/jvm-opts.sh server "" "-XX:CompileThresholdScaling=3"
#   SERIES=3 bench/jvm-opts.sh server "MALLOC_ARENA_MAX=4" ""
#
# in-process: FERRY_IN_PROCESS=1 (the command in the CLI's own, cold JVM): a cold upload into an empty
#   store, the download of it, and a no-change upload; medians per set.
# server: per set and series, a fresh local server and N uploads into an emptied store (bench/empty-store.sh);
#   wall and server CPU (/proc) of each, so the JIT's warm-up over the first uploads shows.
# Outputs are moved aside (bench/away.sh), never deleted. Needs the tree of bench/run.sh.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
FERRY="$(dirname "$BENCH")/ferry"
WORK="$BENCH/work"
T="$BENCH/data/tree20k"
export TRASH="$WORK/trash"
mode="${1:?in-process or server}"; shift
[ $# -gt 0 ] || { echo "usage: $0 in-process|server OPTS..." >&2; exit 2; }
python3 "$BENCH/gen-data.py" tree20k
# shellcheck source=bench/lib.sh
. "$BENCH/lib.sh"
"$FERRY" version >/dev/null
# per set: a store and a download per round (in-process), a store per series (server)
if [ "$mode" = in-process ]; then make_room $(( ${ROUNDS:-5} * $# * 23 / 10 + 2 )); else make_room $(( ${SERIES:-3} * $# * 12 / 10 + 2 )); fi
# use_set SET: exports the set's NAME=VALUE words and puts the rest in FERRY_JAVA_OPTS
SET_VARS=""
use_set() {
  local - word name jvm=""
  set -f # split the set into words, but never expand a JVM option's * as a file pattern
  for name in $SET_VARS; do unset "$name"; done
  SET_VARS=""
  for word in $1; do
    if [[ "$word" =~ ^[A-Z_][A-Z0-9_]*= ]]; then
      export "${word?}"; SET_VARS+=" ${word%%=*}"
    else
      jvm+=" $word"
    fi
  done
  export FERRY_JAVA_OPTS="${jvm# }"
}
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

if [ "$mode" = in-process ]; then
  export FERRY_IN_PROCESS=1
  H="$WORK/jvm-opts"; OUT="$WORK/jvm-opts-out"
  declare -A up down again
  for _ in $(seq 1 "${ROUNDS:-5}"); do
    i=0
    for opts in "$@"; do
      use_set "$opts"
      "$BENCH/away.sh" "$H"; FERRY_HOME="$H" "$FERRY" repo create --repo b >/dev/null
      sync; sleep 1; s=$(date +%s%N)
      FERRY_HOME="$H" "$FERRY" bundle upload --path "$T" --repo b --message m --label l >/dev/null 2>&1
      up[$i]+=" $(ms_since "$s")"
      sync; sleep 1; s=$(date +%s%N)
      FERRY_HOME="$H" "$FERRY" bundle download --repo b --label l --destination "$OUT" >/dev/null 2>&1
      down[$i]+=" $(ms_since "$s")"
      "$BENCH/away.sh" "$OUT"
      sync; sleep 1; s=$(date +%s%N)
      FERRY_HOME="$H" "$FERRY" bundle upload --path "$T" --repo b --message again >/dev/null 2>&1
      again[$i]+=" $(ms_since "$s")"
      i=$((i + 1))
    done
  done
  i=0
  for opts in "$@"; do
    echo "[$opts] median ms: cold upload $(echo "${up[$i]}" | median), download $(echo "${down[$i]}" | median)," \
      "no-change upload $(echo "${again[$i]}" | median)  (runs:${up[$i]} |${down[$i]} |${again[$i]})"
    i=$((i + 1))
  done
  "$BENCH/away.sh" "$H"
  exit 0
fi

[ "$mode" = server ] || { echo "mode must be in-process or server" >&2; exit 2; }
export FERRY_HOME="$WORK/jvm-opts-server"
trap '"$FERRY" server stop >/dev/null 2>&1 || true' EXIT
for _ in $(seq 1 "${SERIES:-3}"); do
  for opts in "$@"; do
    use_set "$opts"
    "$FERRY" server stop >/dev/null 2>&1 || true
    "$BENCH/away.sh" "$FERRY_HOME"
    "$FERRY" server start >/dev/null
    pid=$(server_info "$FERRY_HOME" pid)
    "$FERRY" repo create --repo b >/dev/null
    walls=""; cpus=""
    for _ in $(seq 1 "${N:-6}"); do
      "$BENCH/empty-store.sh" "$FERRY_HOME"; sync; sleep 1
      c=$(cpu_ms "$pid"); s=$(date +%s%N)
      "$FERRY" bundle upload --path "$T" --repo b --message m >/dev/null 2>&1
      walls+=" $(ms_since "$s")"; cpus+=" $(( $(cpu_ms "$pid") - c ))"
    done
    "$FERRY" server stop >/dev/null
    echo "[$opts] upload wall ms:$walls | server CPU ms:$cpus"
  done
done
