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

has() { local p; for p in "${parts[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }

# Never delete between timed runs: ext4 skips recently deleted inodes when it allocates new ones
# (recently_deleted() in ext4_create), so creating 20k files within a minute of deleting 20k files
# costs many seconds of kernel time -- a penalty for whichever tool runs next. Old outputs are moved
# to a trash folder instead, and removed after each series.
TRASH="$WORK/trash"
export TRASH
AWAY="$BENCH/away.sh"
away() { "$AWAY" "$@"; }
# ext4 stops treating deleted inodes as recent after 30-60 s; wait that out before the next series.
empty_trash() { [ -d "$TRASH" ] || return 0; rm -rf "$TRASH"; sync; sleep 65; }
results="$WORK/results"; rm -rf "$results"; mkdir -p "$results"

# hyperfine NAME [hyperfine args...]: times the commands, keeps the JSON for the summary
bench() {
  local name="$1"; shift
  hyperfine --style basic --runs "$RUNS" --warmup 1 --export-json "$results/$name.json" "$@" >&2
}

if has 20k; then
  python3 "$BENCH/gen-data.py" tree20k
  T="$DATA/tree20k"
  bench cold20k \
    --prepare "$AWAY $WORK/fh && FERRY_HOME=$WORK/fh $FERRY repo create --repo b >/dev/null" \
    -n ferry "FERRY_HOME=$WORK/fh $FERRY bundle upload --path $T --repo b --message m" \
    --prepare "$AWAY $WORK/restic && restic init -q -r $WORK/restic" \
    -n restic "restic -q -r $WORK/restic backup $T" \
    --prepare "$AWAY $WORK/cp" \
    -n cp "cp -r $T $WORK/cp"
  away "$WORK/fh" "$WORK/restic" "$WORK/cp"; empty_trash
  FERRY_HOME="$WORK/fh" "$FERRY" repo create --repo b >/dev/null
  FERRY_HOME="$WORK/fh" "$FERRY" bundle upload --path "$T" --repo b --message m >/dev/null 2>&1
  restic init -q -r "$WORK/restic"; restic -q -r "$WORK/restic" backup "$T" >/dev/null
  bench rerun20k \
    -n ferry "FERRY_HOME=$WORK/fh $FERRY bundle upload --path $T --repo b --message again" \
    -n restic "restic -q -r $WORK/restic backup $T"

  bench down20k \
    --prepare "$AWAY $WORK/out" \
    -n ferry "FERRY_HOME=$WORK/fh $FERRY bundle download --repo b --label latest --destination $WORK/out" \
    --prepare "$AWAY $WORK/out" \
    -n restic "restic -q -r $WORK/restic restore latest --target $WORK/out" \
    --prepare "$AWAY $WORK/out" \
    -n cp "cp -r $T $WORK/out"
  away "$WORK/out"; empty_trash
fi

if has big; then
  python3 "$BENCH/gen-data.py" big
  B="$DATA/big"
  bench big2g \
    --prepare "$AWAY $WORK/fh && FERRY_HOME=$WORK/fh $FERRY repo create --repo b >/dev/null" \
    -n ferry "FERRY_HOME=$WORK/fh $FERRY bundle upload --path $B --repo b --message m" \
    --prepare "$AWAY $WORK/restic && restic init -q -r $WORK/restic" \
    -n restic "restic -q -r $WORK/restic backup $B" \
    --prepare "$AWAY $WORK/cp" \
    -n cp "cp -r $B $WORK/cp"
  away "$WORK/cp"; empty_trash
fi

if has memory; then
  python3 "$BENCH/gen-data.py" tiny1m
  away "$WORK/fh"; empty_trash
  FERRY_HOME="$WORK/fh" "$FERRY" repo create --repo b >/dev/null
  /usr/bin/time -f '%M %e' -o "$results/memory.txt" \
    env FERRY_HOME="$WORK/fh" "$FERRY" bundle upload --path "$DATA/tiny1m" --repo b --message m >/dev/null 2>&1
fi

python3 "$BENCH/summarize.py" "$results"
