#!/usr/bin/env bash
# Paired rounds of the 20k-file cold upload and download against `cp -r` of the same tree, in
# steady state:
#
#   ROUNDS=8 WARM=3 bench/steady.sh
#
# bench/run.sh times each tool in a block of runs; on this VM `cp -r`'s runs within one block vary
# 1-7 s (kernel time under the host's I/O load, and ext4 without a journal skipping inodes deleted
# in the last minutes when it allocates new ones), so a block's mean says more about the block than
# about the tools. Here each round runs Ferry's upload, `cp -r`, then Ferry's download of what it
# uploaded, back to back (each after a sync), so all three meet the same conditions, and the summary
# takes medians. The local server is started fresh and does WARM untimed uploads and downloads first
# (its JIT settles over the first ~10 GB; the first uploads after a start are slower, see
# bench/RESULTS.md).
# Outputs are moved to bench/work/trash, never deleted during the run. Needs: the tree of
# bench/run.sh (generated on first use) and ~2 GB of disk per round.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
FERRY="$(dirname "$BENCH")/ferry"
WORK="$BENCH/work"
T="$BENCH/data/tree20k"
ROUNDS="${ROUNDS:-8}"
WARM="${WARM:-3}"
export TRASH="$WORK/trash"
export FERRY_HOME="$WORK/steady"
mkdir -p "$WORK"
# shellcheck source=bench/lib.sh
. "$BENCH/lib.sh"
make_room $(( (ROUNDS * 2 + WARM + 2) * 115 / 100 + 1 ))
python3 "$BENCH/gen-data.py" tree20k
"$FERRY" server stop >/dev/null 2>&1 || true
rm -rf "$FERRY_HOME"
# start with the page cache free of earlier runs' outputs, where the system allows it (root)
sync; (echo 1 > /proc/sys/vm/drop_caches) 2>/dev/null || true
trap '"$FERRY" server stop >/dev/null 2>&1 || true' EXIT
"$FERRY" server start >/dev/null
"$FERRY" repo create --repo b >/dev/null
upload() { "$FERRY" bundle upload --path "$T" --repo b --message m --label latest >/dev/null 2>&1; }
download() { "$FERRY" bundle download --repo b --label latest --destination "$1" >/dev/null 2>&1; }
for _ in $(seq 1 "$WARM"); do
  "$BENCH/empty-store.sh" "$FERRY_HOME"; upload; download "$WORK/steady-out"; "$BENCH/away.sh" "$WORK/steady-out"
done
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
results=()
timed() { sync; sleep 1; local start; start=$(date +%s%N); "$@"; ms "$start"; }
for r in $(seq 1 "$ROUNDS"); do
  "$BENCH/empty-store.sh" "$FERRY_HOME"
  f=$(timed upload)
  c=$(timed cp -r "$T" "$WORK/steady-cp")
  d=$(timed download "$WORK/steady-out")
  "$BENCH/away.sh" "$WORK/steady-cp" "$WORK/steady-out"
  echo "round $r: ferry upload $f ms, cp -r $c ms, ferry download $d ms" >&2
  results+=("$f $c $d")
done
printf '%s\n' "${results[@]}" | python3 -c '
import sys, statistics as st
rows = [tuple(map(int, l.split())) for l in sys.stdin if l.strip()]
cp = [r[1] for r in rows]
print("| ferry | rounds | ferry median (ms) | cp -r median (ms) | ratio of medians | per-round ratios (sorted) | rounds ferry <= cp |")
print("|---|---|---|---|---|---|---|")
for name, col in (("cold upload", 0), ("download", 2)):
    f = [r[col] for r in rows]
    ratios = sorted(r[col] / r[1] for r in rows)
    print(f"| {name} | {len(rows)} | {st.median(f):.0f} | {st.median(cp):.0f} | {st.median(f) / st.median(cp):.2f} | "
          + ", ".join(f"{x:.2f}" for x in ratios) + f" | {sum(r[col] <= r[1] for r in rows)} of {len(rows)} |")
print("upload (ms): " + ", ".join(str(r[0]) for r in rows) + "; cp -r (ms): " + ", ".join(map(str, cp))
      + "; download (ms): " + ", ".join(str(r[2]) for r in rows))
'
