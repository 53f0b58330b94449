#!/usr/bin/env bash
# A/B of two builds on the 20k-file tree, each with its own warm local server, in alternating rounds:
#
#   ROUNDS=14 WARM=6 bench/ab.sh REV upload      # REV (A) against the working tree's build (B)
#   ROUNDS=8 WARM=3 bench/ab.sh REV download     # downloads, with cp -r of the tree (C) in each round
#   ROUNDS=6 WARM=3 bench/ab.sh REV remote       # uploads to a remote-style server (`ferry serve` on
#                                                # loopback, the client with FERRY_SERVER): its CPU
#
# For a change that saves a few percent: paired against cp -r (bench/steady.sh) such a change drowns
# in cp's noise on this VM, and the server's CPU time (from /proc, user + system) varies less than
# wall time. Calibrate first with REV=HEAD and an unchanged working tree: on this VM two identical
# builds differed by ~5% (B slower) in one 14-round run, so smaller differences mean little. REV is checked out into bench/work/ab-REV and built there (mvn package, offline); the
# working tree's build is ./ferry's (remove a checkout with `git worktree remove --force
# bench/work/ab-REV`). Upload rounds start from an empty store (untimed); every timed run follows a
# sync. Outputs go to bench/work/trash (see away.sh: empty it between series, not during one).
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BENCH")"
WORK="$BENCH/work"
T="$BENCH/data/tree20k"
REV="${1:?usage: bench/ab.sh REV upload|download|remote}"
WHAT="${2:-upload}"
ROUNDS="${ROUNDS:-8}"
WARM="${WARM:-3}"
export TRASH="$WORK/trash"
mkdir -p "$WORK" "$TRASH"
python3 "$BENCH/gen-data.py" tree20k
# shellcheck source=bench/lib.sh
. "$BENCH/lib.sh"
make_room $(( ROUNDS * 35 / 10 + 4 ))   # up to three trees per round (two downloads and cp -r), two stores
OLD="$("$BENCH/build-rev.sh" "$REV")"
declare -A F=([A]="$OLD/ferry" [B]="$ROOT/ferry")
home() { echo "$WORK/ab-home-$1"; }
declare -A PORT=([A]=7541 [B]=7542) SERVE_PID=()
TOKEN=ab-token-0123456789
remote_env() { [ "$WHAT" = remote ] && echo "FERRY_SERVER=http://127.0.0.1:${PORT[$1]} FERRY_TOKEN=$TOKEN"; return 0; }
# the client is the build under test too; in remote mode it talks to its build's `ferry serve`
cli() { local x=$1; shift; env $(remote_env "$x") FERRY_HOME="$(home "$x")" "${F[$x]}" "$@"; }
stop() {
  for x in A B; do FERRY_HOME="$(home "$x")" "${F[$x]}" server stop >/dev/null 2>&1 || true; done
  for p in "${SERVE_PID[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap stop EXIT
start() {
  if [ "$WHAT" != remote ]; then cli "$1" server start >/dev/null; return; fi
  rm -rf "$(home "$1")-server"
  FERRY_HOME="$(home "$1")-server" FERRY_TOKEN=$TOKEN nohup "${F[$1]}" serve --port "${PORT[$1]}" \
    > "$(home "$1")-server.log" 2>&1 &
  SERVE_PID[$1]=$!
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:${PORT[$1]}/api/v1/health" >/dev/null && return; sleep 0.2; done
  echo "ab.sh: the server of $1 did not start: $(home "$1")-server.log" >&2; exit 4
}
pid() {
  if [ "$WHAT" = remote ]; then echo "${SERVE_PID[$1]}"; return; fi
  server_info "$(home "$1")" pid
}
# shellcheck disable=SC2046 # remote_env's words are NAME=VALUE settings for env
empty() { BENCH_FERRY="${F[$1]}" "$BENCH/empty-store.sh" "$(home "$1")" $(remote_env "$1"); }
upload() { cli "$1" bundle upload --path "$T" --repo b --message m --label latest >/dev/null 2>&1; }
download() { cli "$1" bundle download --repo b --label latest --destination "$TRASH/ab-$1-$(date +%s%N)" >/dev/null 2>&1; }
stop
for x in A B; do
  rm -rf "$(home "$x")"; start "$x"; cli "$x" repo create --repo b >/dev/null
  for _ in $(seq 1 "$WARM"); do empty "$x"; upload "$x"; [ "$WHAT" = download ] && download "$x"; done
done
rows=()
for r in $(seq 1 "$ROUNDS"); do
  order="A B"; [ "$WHAT" = download ] && order="A B C"
  [ $((r % 2)) = 0 ] && order="$(echo "$order" | rev)"
  for x in $order; do
    [ "$WHAT" != download ] && empty "$x"
    sync; sleep 1
    if [ "$x" = C ]; then
      s=$(date +%s%N); cp -r "$T" "$TRASH/ab-cp-$s"; rows+=("$r C $(( ($(date +%s%N) - s) / 1000000 )) 0"); continue
    fi
    p=$(pid "$x"); c0=$(cpu_ms "$p"); s=$(date +%s%N)
    if [ "$WHAT" = download ]; then download "$x"; else upload "$x"; fi
    rows+=("$r $x $(( ($(date +%s%N) - s) / 1000000 )) $(( $(cpu_ms "$p") - c0 ))")
    echo "round ${rows[-1]}" >&2
  done
done
printf '%s\n' "${rows[@]}" | python3 -c '
import sys, statistics as st
rows = [l.split() for l in sys.stdin if l.strip()]
names = {"A": "A (" + sys.argv[1] + ")", "B": "B (working tree)", "C": "cp -r"}
print("| build | runs | wall median (ms) | wall mean (ms) | server CPU median (ms) | server CPU mean (ms) |")
print("|---|---|---|---|---|---|")
for x in "ABC":
    w = [int(r[2]) for r in rows if r[1] == x]; c = [int(r[3]) for r in rows if r[1] == x]
    if w:
        cpu = (f"{st.median(c):.0f} | {st.mean(c):.0f}") if x != "C" else "- | -"
        print(f"| {names[x]} | {len(w)} | {st.median(w):.0f} | {st.mean(w):.0f} | {cpu} |")
' "$REV"
