#!/usr/bin/env bash
# A/B of two builds as a fresh local server sees them: per series and build, a new server and N
# uploads of the 20k-file tree, each into an emptied store (repo deleted, gc --grace 0s, untimed), so
# that the JIT's warm-up over the first uploads shows. Builds alternate which goes first.
#
#   SERIES=4 N=6 bench/fresh-ab.sh REV     # REV (A) against the working tree's build (B)
#
# REV is checked out and built as bench/ab.sh does (bench/work/ab-REV). Prints per series the wall
# time of each upload (the CLI's relay included) and the server's CPU time (/proc, user + system),
# then the means and medians of uploads 2..N. Outputs of earlier runs are moved aside (away.sh).
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_paths
REV="${1:?usage: bench/fresh-ab.sh REV}"
mkdir -p "$WORK" "$TRASH"
python3 "$BENCH/gen-data.py" tree20k
make_room $(( ${SERIES:-4} * 24 / 10 + 2 ))   # a store per build and series
OLD="$("$BENCH/build-rev.sh" "$REV")"
declare -A F=([A]="$OLD/ferry" [B]="$ROOT/ferry")
cli() { local x=$1; shift; FERRY_HOME="$WORK/fresh-ab-$x" "${F[$x]}" "$@"; }
trap 'for x in A B; do cli $x server stop >/dev/null 2>&1 || true; done' EXIT
out="$(mktemp)"
for s in $(seq 1 "${SERIES:-4}"); do
  order="A B"; [ $((s % 2)) = 0 ] && order="B A"
  for x in $order; do
    cli "$x" server stop >/dev/null 2>&1 || true
    "$BENCH/away.sh" "$WORK/fresh-ab-$x"
    cli "$x" server start >/dev/null
    pid=$(server_info "$WORK/fresh-ab-$x" pid)
    cli "$x" repo create --repo b >/dev/null
    walls=""; cpus=""
    for _ in $(seq 1 "${N:-6}"); do
      BENCH_FERRY="${F[$x]}" "$BENCH/empty-store.sh" "$WORK/fresh-ab-$x"; sync; sleep 1
      c=$(cpu_ms "$pid"); st=$(date +%s%N)
      cli "$x" bundle upload --path "$T" --repo b --message m >/dev/null 2>&1
      walls+=" $(( ($(date +%s%N) - st) / 1000000 ))"; cpus+=" $(( $(cpu_ms "$pid") - c ))"
    done
    cli "$x" server stop >/dev/null
    echo "$x series $s | wall ms:$walls | server CPU ms:$cpus" | tee -a "$out"
  done
done
python3 - "$out" <<'PY'
import statistics as st, sys
d = {}
for line in open(sys.argv[1]):
    name, walls, cpus = line.split("|")
    build = name.split()[0]
    w = [int(v) for v in walls.split(":")[1].split()]
    c = [int(v) for v in cpus.split(":")[1].split()]
    d.setdefault(build, ([], []))
    d[build][0].extend(w[1:])  # the first upload of a fresh server is mostly its JIT's warm-up
    d[build][1].extend(c[1:])
print("| build | uploads 2..N, wall mean (ms) | median | server CPU mean (ms) | median |")
print("|---|---|---|---|---|")
for x in sorted(d):
    w, c = d[x]
    print(f"| {x} | {st.mean(w):.0f} | {st.median(w):.0f} | {st.mean(c):.0f} | {st.median(c):.0f} |")
PY
rm -f "$out"
