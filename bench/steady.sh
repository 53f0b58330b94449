#!/usr/bin/env bash
# Paired rounds of the 20k-file cold upload and download against `cp -r` of the same tree:
#
#   ROUNDS=8 WARM=3 bench/steady.sh              # one server, warmed with 3 uploads: steady state
#   SERVERS=6 ROUNDS=5 WARM=1 bench/steady.sh    # 6 fresh servers, their uploads 2-6 (as bench/run.sh
#                                                # times them: a warm-up run, then 5) each paired with cp -r
#
# bench/run.sh times each tool in a block of runs; on this VM `cp -r`'s runs within one block vary
# 1-7 s (kernel time under the host's I/O load, and ext4 without a journal skipping inodes deleted
# in the last minutes when it allocates new ones), so a block's mean says more about the block than
# about the tools. Here each round runs Ferry's upload, `cp -r`, then Ferry's download of what it
# uploaded, back to back (each after a sync), so all three meet the same conditions, and the summary
# takes medians. Odd rounds run cp -r first and even rounds Ferry's upload first, so that a drift of
# the VM's speed within a round does not favour either. The local server is started fresh SERVERS
# times (default 1) and does WARM untimed uploads and downloads first each time (its JIT settles over
# the first ~10 GB; the first uploads after a start are slower, see bench/RESULTS.md). The summary
# adds a 95% bootstrap interval of the geometric mean of the per-round ratios (resampling whole
# servers when there are several: one server's rounds are not independent of each other): the target
# "at most cp -r's time" is met with confidence only when the interval's upper end is below 1.
# Outputs are moved to bench/work/trash, never deleted during the run. Needs: the tree of
# bench/run.sh (generated on first use) and ~2.3 GB of disk per round, ~1.2 GB more per server.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_paths
ROUNDS="${ROUNDS:-8}"
WARM="${WARM:-3}"
SERVERS="${SERVERS:-1}"
export FERRY_HOME="$WORK/steady"
mkdir -p "$WORK"
# per server: two trees a round (cp -r's and the download's), one per warm-up download, and its store
make_room $(( (SERVERS * (ROUNDS * 2 + WARM + 1) + 1) * 115 / 100 + 1 ))
python3 "$BENCH/gen-data.py" tree20k
# start with the page cache free of earlier runs' outputs, where the system allows it (root)
sync; (echo 1 > /proc/sys/vm/drop_caches) 2>/dev/null || true
trap '"$FERRY" server stop >/dev/null 2>&1 || true' EXIT
upload() { "$FERRY" bundle upload --path "$T" --repo b --message m --label latest >/dev/null 2>&1; }
download() { "$FERRY" bundle download --repo b --label latest --destination "$1" >/dev/null 2>&1; }
# fresh_server: a new server on a new FERRY_HOME, WARM untimed uploads and downloads done
fresh_server() {
  "$FERRY" server stop >/dev/null 2>&1 || true
  [ ! -e "$FERRY_HOME" ] || "$BENCH/away.sh" "$FERRY_HOME"
  "$FERRY" server start >/dev/null
  "$FERRY" repo create --repo b >/dev/null
  for _ in $(seq 1 "$WARM"); do
    "$BENCH/empty-store.sh" "$FERRY_HOME"; upload; download "$WORK/steady-out"; "$BENCH/away.sh" "$WORK/steady-out"
  done
}
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
results=()
timed() { sync; sleep 1; local start; start=$(date +%s%N); "$@"; ms "$start"; }
r=0
for server in $(seq 1 "$SERVERS"); do
  fresh_server
  for _ in $(seq 1 "$ROUNDS"); do
    r=$((r + 1))
    "$BENCH/empty-store.sh" "$FERRY_HOME"
    if [ $((r % 2)) -eq 1 ]; then
      c=$(timed cp -r "$T" "$WORK/steady-cp")
      f=$(timed upload)
    else
      f=$(timed upload)
      c=$(timed cp -r "$T" "$WORK/steady-cp")
    fi
    d=$(timed download "$WORK/steady-out")
    "$BENCH/away.sh" "$WORK/steady-cp" "$WORK/steady-out"
    echo "server $server, round $r: ferry upload $f ms, cp -r $c ms, ferry download $d ms" >&2
    results+=("$f $c $d $server")
  done
done
printf '%s\n' "${results[@]}" | python3 -c '
import math, random, sys, statistics as st
rows = [tuple(map(int, l.split())) for l in sys.stdin if l.strip()]
cp = [r[1] for r in rows]

def geomean_interval(col, draws=10000):
    """The geometric mean of the per-round ratios and its 95% bootstrap interval (seeded: reproducible).
    With several servers, whole servers are resampled: the rounds of one server share the state of its JIT."""
    rnd = random.Random(1)
    by_server = {}
    for r in rows:
        by_server.setdefault(r[3], []).append(math.log(r[col] / r[1]))
    clusters = list(by_server.values())
    if len(clusters) == 1:
        clusters = [[x] for x in clusters[0]]
    mean = lambda cs: st.fmean([x for c in cs for x in c])
    means = sorted(mean(rnd.choices(clusters, k=len(clusters))) for _ in range(draws))
    return math.exp(mean(clusters)), math.exp(means[int(0.025 * draws)]), math.exp(means[int(0.975 * draws) - 1])

print("| ferry | rounds | ferry median (ms) | cp -r median (ms) | ratio of medians | geometric mean of ratios [95% interval] | per-round ratios (sorted) | rounds ferry <= cp |")
print("|---|---|---|---|---|---|---|---|")
for name, col in (("cold upload", 0), ("download", 2)):
    f = [r[col] for r in rows]
    ratios = sorted(r[col] / r[1] for r in rows)
    g, lo, hi = geomean_interval(col)
    print(f"| {name} | {len(rows)} | {st.median(f):.0f} | {st.median(cp):.0f} | {st.median(f) / st.median(cp):.2f} | "
          + f"{g:.2f} [{lo:.2f}, {hi:.2f}] | " + ", ".join(f"{x:.2f}" for x in ratios)
          + f" | {sum(r[col] <= r[1] for r in rows)} of {len(rows)} |")
print("upload (ms): " + ", ".join(str(r[0]) for r in rows) + "; cp -r (ms): " + ", ".join(map(str, cp))
      + "; download (ms): " + ", ".join(str(r[2]) for r in rows))
'
