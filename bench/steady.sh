#!/usr/bin/env bash
# Paired rounds of the cold 20k-file upload against `cp -r` of the same tree, in steady state:
#
#   ROUNDS=8 WARM=3 bench/steady.sh
#
# bench/run.sh times each tool in a block of runs; on this VM `cp -r`'s runs within one block vary
# 1-7 s (kernel time under the host's I/O load), so a block's mean says more about the block than
# about the tools. Here each round runs Ferry then cp back to back, so both meet the same conditions,
# and the summary takes medians. The local server is started fresh and does WARM untimed uploads
# first (its JIT settles over the first few GB; the first uploads after a start are slower, see
# bench/RESULTS.md). Needs: the tree of bench/run.sh (generated on first use).
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
python3 "$BENCH/gen-data.py" tree20k
"$FERRY" server stop >/dev/null 2>&1 || true
rm -rf "$FERRY_HOME"
trap '"$FERRY" server stop >/dev/null 2>&1 || true' EXIT
"$FERRY" server start >/dev/null
"$FERRY" repo create --repo b >/dev/null
upload() { "$FERRY" bundle upload --path "$T" --repo b --message m >/dev/null 2>&1; }
for _ in $(seq 1 "$WARM"); do "$BENCH/empty-store.sh" "$FERRY_HOME"; upload; done
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
results=()
for r in $(seq 1 "$ROUNDS"); do
  "$BENCH/empty-store.sh" "$FERRY_HOME"; sync
  start=$(date +%s%N); upload; f=$(ms "$start")
  "$BENCH/away.sh" "$WORK/steady-cp"; sync
  start=$(date +%s%N); cp -r "$T" "$WORK/steady-cp"; c=$(ms "$start")
  echo "round $r: ferry $f ms, cp -r $c ms" >&2
  results+=("$f $c")
done
"$BENCH/away.sh" "$WORK/steady-cp"
printf '%s\n' "${results[@]}" | python3 -c '
import sys, statistics as st
rows = [tuple(map(int, l.split())) for l in sys.stdin if l.strip()]
f = [r[0] for r in rows]; c = [r[1] for r in rows]
ratios = sorted(a / b for a, b in rows)
print("| rounds | ferry median (ms) | cp -r median (ms) | ratio of medians | per-round ratios (sorted) | rounds ferry <= cp |")
print("|---|---|---|---|---|---|")
print(f"| {len(rows)} | {st.median(f):.0f} | {st.median(c):.0f} | {st.median(f) / st.median(c):.2f} | "
      + ", ".join(f"{x:.2f}" for x in ratios) + f" | {sum(a <= b for a, b in rows)} of {len(rows)} |")
print("ferry (ms): " + ", ".join(map(str, f)) + "; cp -r (ms): " + ", ".join(map(str, c)))
'
