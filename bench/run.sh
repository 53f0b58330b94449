#!/usr/bin/env bash
# Benchmarks the store against restic (0.14, Debian) and cp -r on the same data, in one run.
#
#   bench/run.sh            all parts (data is generated on first use, ~3 GB plus 1M tiny files)
#   bench/run.sh 20k big    only some parts: 20k, big, memory
#
# Prints a Markdown table of wall times and ratios (ferry / peer) for bench/RESULTS.md.
# Needs: apt-get install -y restic hyperfine time
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
REPO_ROOT="$(dirname "$BENCH")"
DATA="$BENCH/data"
WORK="$BENCH/work"
FERRY="$REPO_ROOT/ferry"
RUNS="${RUNS:-5}"
export RESTIC_PASSWORD=bench RESTIC_CACHE_DIR="$WORK/restic-cache"
parts=("$@"); [ ${#parts[@]} -gt 0 ] || parts=(20k big memory)

for tool in restic hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y restic hyperfine time" >&2; exit 3; }
done
mkdir -p "$WORK"
"$FERRY" version >/dev/null   # build and warm the class-data archive before timing anything
# The launcher rebuilds when sources are newer than its jar: an edit during a series rebuilds it in an
# untimed step and replaces the running server, so a "fresh server" run is then its very first upload.
jar_stamp() { stat -c '%Y %s' "$REPO_ROOT/ferry-cli/target/ferry.jar" 2>/dev/null || echo none; }
jar_at_start="$(jar_stamp)"

has() { local p; for p in "${parts[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }

# `cp+sync` is context, not a target: `cp -r` followed by `sync`, i.e. a copy that is on the disk when it
# returns, as Ferry's upload is (it fsyncs every pack and its catalog before it answers); plain `cp -r`
# leaves its gigabyte in the page cache and the next run's `sync` (untimed) writes it out.
# Every timed run starts with no dirty pages of an earlier run (`sync` in each --prepare): otherwise
# the kernel's writeback of the last run's gigabyte throttles whichever tool writes next.
# Never delete between timed runs: ext4 skips recently deleted inodes when it allocates new ones
# (recently_deleted() in ext4_create), so creating 20k files within a minute of deleting 20k files
# costs many seconds of kernel time -- a penalty for whichever tool runs next. Old outputs are moved
# to a trash folder instead (their cached pages dropped), which is emptied between series only when
# the disk runs low, followed by a 400 s wait (bench/empty-trash.sh).
TRASH="$WORK/trash"
export TRASH
AWAY="$BENCH/away.sh"
away() { "$AWAY" "$@"; }
empty_trash() { "$BENCH/empty-trash.sh"; }
# shellcheck source=bench/lib.sh
. "$BENCH/lib.sh"
results="$WORK/results"; rm -rf "$results"; mkdir -p "$results"

# hyperfine NAME [hyperfine args...]: times the commands, keeps the JSON for the summary
bench() {
  local name="$1"; shift
  hyperfine --style basic --runs "$RUNS" --warmup 1 --export-json "$results/$name.json" "$@" >&2
}

# Ferry is measured the way it runs for its users: `ferry` hands the command to the local server of
# its FERRY_HOME (started once, warm, kept up for the series; bench/empty-store.sh empties its store
# between runs, untimed). `ferry-in-process` (FERRY_IN_PROCESS=1) opens the store in the CLI's own,
# cold JVM: what a single command costs when no server runs.
FH="$WORK/fh"; IP="$WORK/ip"
EMPTY="$BENCH/empty-store.sh"
start_server() { rm -rf "$FH"; FERRY_HOME="$FH" "$FERRY" server start >/dev/null; }
stop_server() { FERRY_HOME="$FH" "$FERRY" server stop >/dev/null 2>&1 || true; }
trap stop_server EXIT

if has 20k; then
  python3 "$BENCH/gen-data.py" tree20k
  T="$DATA/tree20k"
  start_server
  bench cold20k \
    --prepare "sync && $EMPTY $FH" \
    -n ferry "FERRY_HOME=$FH $FERRY bundle upload --path $T --repo b --message m" \
    --prepare "sync && $AWAY $IP && FERRY_IN_PROCESS=1 FERRY_HOME=$IP $FERRY repo create --repo b >/dev/null" \
    -n ferry-in-process "FERRY_IN_PROCESS=1 FERRY_HOME=$IP $FERRY bundle upload --path $T --repo b --message m" \
    --prepare "sync && $AWAY $WORK/restic && restic init -q -r $WORK/restic" \
    -n restic "restic -q -r $WORK/restic backup $T" \
    --prepare "sync && $AWAY $WORK/cp" \
    -n cp "cp -r $T $WORK/cp" \
    --prepare "sync && $AWAY $WORK/cp" \
    -n cp+sync "cp -r $T $WORK/cp && sync"
  away "$IP" "$WORK/restic" "$WORK/cp"; empty_trash
  "$EMPTY" "$FH"
  FERRY_HOME="$FH" "$FERRY" bundle upload --path "$T" --repo b --message m >/dev/null 2>&1
  FERRY_IN_PROCESS=1 FERRY_HOME="$IP" "$FERRY" repo create --repo b >/dev/null
  FERRY_IN_PROCESS=1 FERRY_HOME="$IP" "$FERRY" bundle upload --path "$T" --repo b --message m >/dev/null 2>&1
  restic init -q -r "$WORK/restic"; restic -q -r "$WORK/restic" backup "$T" >/dev/null
  bench rerun20k \
    -n ferry "FERRY_HOME=$FH $FERRY bundle upload --path $T --repo b --message again" \
    -n ferry-in-process "FERRY_IN_PROCESS=1 FERRY_HOME=$IP $FERRY bundle upload --path $T --repo b --message again" \
    -n restic "restic -q -r $WORK/restic backup $T"

  bench down20k \
    --prepare "sync && $AWAY $WORK/out" \
    -n ferry "FERRY_HOME=$FH $FERRY bundle download --repo b --label latest --destination $WORK/out" \
    --prepare "sync && $AWAY $WORK/out" \
    -n ferry-in-process "FERRY_IN_PROCESS=1 FERRY_HOME=$IP $FERRY bundle download --repo b --label latest --destination $WORK/out" \
    --prepare "sync && $AWAY $WORK/out" \
    -n restic "restic -q -r $WORK/restic restore latest --target $WORK/out" \
    --prepare "sync && $AWAY $WORK/out" \
    -n cp "cp -r $T $WORK/out"
  away "$WORK/out" "$IP" "$WORK/restic"; empty_trash
  stop_server
fi

if has big; then
  python3 "$BENCH/gen-data.py" big
  B="$DATA/big"
  start_server
  bench big2g \
    --prepare "sync && $EMPTY $FH" \
    -n ferry "FERRY_HOME=$FH $FERRY bundle upload --path $B --repo b --message m" \
    --prepare "sync && $AWAY $IP && FERRY_IN_PROCESS=1 FERRY_HOME=$IP $FERRY repo create --repo b >/dev/null" \
    -n ferry-in-process "FERRY_IN_PROCESS=1 FERRY_HOME=$IP $FERRY bundle upload --path $B --repo b --message m" \
    --prepare "sync && $AWAY $WORK/restic && restic init -q -r $WORK/restic" \
    -n restic "restic -q -r $WORK/restic backup $B" \
    --prepare "sync && $AWAY $WORK/cp" \
    -n cp "cp -r $B $WORK/cp"
  away "$IP" "$WORK/restic" "$WORK/cp"; empty_trash
  stop_server
fi

# Peak memory of an upload of a million tiny files: in the CLI's own JVM (FERRY_IN_PROCESS=1, the
# whole process measured by /usr/bin/time), and in a fresh local server (its VmHWM afterwards).
if has memory; then
  python3 "$BENCH/gen-data.py" tiny1m
  away "$IP"; empty_trash
  FERRY_IN_PROCESS=1 FERRY_HOME="$IP" "$FERRY" repo create --repo b >/dev/null
  /usr/bin/time -f '%M %e' -o "$results/memory.txt" env FERRY_IN_PROCESS=1 FERRY_HOME="$IP" \
    "$FERRY" bundle upload --path "$DATA/tiny1m" --repo b --message m >/dev/null 2>&1
  away "$IP"
  start_server
  FERRY_HOME="$FH" "$FERRY" repo create --repo b >/dev/null
  start=$(date +%s.%N)
  FERRY_HOME="$FH" "$FERRY" bundle upload --path "$DATA/tiny1m" --repo b --message m >/dev/null 2>&1
  end=$(date +%s.%N)
  pid=$(server_info "$FH" pid)
  echo "$(awk '/VmHWM/ {print $2}' "/proc/$pid/status") $(python3 -c "print(round($end - $start, 1))")" \
    > "$results/memory-server.txt"
  stop_server
  away "$FH" "$IP"; empty_trash
fi

if [ "$(jar_stamp)" != "$jar_at_start" ]; then
  echo "**WARNING: Ferry's jar was rebuilt during this series (sources edited while it ran?): its numbers are not valid.**"
  echo
fi
python3 "$BENCH/summarize.py" "$results"
