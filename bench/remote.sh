#!/usr/bin/env bash
# The remote path (issue 25): a Ferry client talking to `ferry serve` over 127.0.0.1, side by side with
# restic talking to its REST server (`rclone serve restic`), on the 20k-file tree, in one run:
#
#   RUNS=3 bench/remote.sh
#
# cold push   ferry bundle upload into an empty store   | restic backup into a fresh repository
# no-change   the same upload again (client stat cache)  | restic backup again (parent snapshot)
# download    ferry bundle download of the bundle        | restic restore of the snapshot
#
# Both servers run on this machine with their data under bench/work; hyperfine times each command
# (wall clock) with the untimed preparation it needs (empty store / fresh repository / no output).
# The Ferry client is the CLI as users run it: the launcher, which hands the command to the client
# home's local server (started by the first command), which talks to the remote one. Outputs are moved
# aside, not deleted (bench/away.sh: ext4 here makes creating files right after deleting as many slow).
# Prints a table and the ratios ferry / restic; results go to bench/RESULTS.md by hand.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=bench/lib.sh
. "$BENCH/lib.sh"
bench_paths
RUNS="${RUNS:-3}"
for tool in restic rclone hyperfine; do
  command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install -y restic rclone hyperfine" >&2; exit 3; }
done
python3 "$BENCH/gen-data.py" tree20k
W="$WORK/remote"
rm -rf "$W"
mkdir -p "$W"
make_room 4

FPORT=7561 RPORT=7562 TOKEN=bench-remote-token-0123456789
export RESTIC_PASSWORD=bench RESTIC_CACHE_DIR="$W/restic-cache"
SRV="$W/ferry-server" CLI="$W/ferry-client"
env FERRY_HOME="$SRV" FERRY_TOKEN="$TOKEN" "$FERRY" serve --port "$FPORT" >"$W/ferry-serve.log" 2>&1 &
FPID=$!
mkdir -p "$W/restic-repos"
rclone serve restic --addr "127.0.0.1:$RPORT" "$W/restic-repos" >"$W/rclone.log" 2>&1 &
RPID=$!
trap 'kill $FPID $RPID 2>/dev/null || true; env FERRY_HOME="$CLI" "$FERRY" server stop >/dev/null 2>&1 || true' EXIT
remote_client "$SRV" "$CLI" "$TOKEN"
export CLI URL TOKEN FERRY T W RPORT TRASH
ferry repo create --repo b >/dev/null
sleep 1

# each restic cold run gets a fresh repository r<N> under the REST server's root (re-creating one of
# the same name fails: the REST server remembers it); the later steps use the last one
empty_ferry="ferry repo delete --repo b --force >/dev/null; ferry gc --grace 0s >/dev/null; ferry repo create --repo b >/dev/null; rm -rf $CLI/cache; sync"
echo 0 > "$W/repo-n"
REPO="rest:http://127.0.0.1:$RPORT/r\$(cat $W/repo-n)"
fresh_restic="echo \$(( \$(cat $W/repo-n) + 1 )) > $W/repo-n; restic -q -r $REPO init >/dev/null; rm -rf $W/restic-cache; sync"

hyperfine -S bash --runs "$RUNS" ${SHOW:+--show-output} --export-json "$W/cold.json" \
  --prepare "$empty_ferry" -n "ferry cold push" "ferry bundle upload --path $T --repo b --message m >/dev/null 2>&1" \
  --prepare "$fresh_restic" -n "restic cold backup" "restic -q -r $REPO backup $T >/dev/null"

hyperfine -S bash --runs "$RUNS" --warmup 1 --export-json "$W/nochange.json" \
  -n "ferry no-change push" "ferry bundle upload --path $T --repo b --message m >/dev/null 2>&1" \
  -n "restic no-change backup" "restic -q -r $REPO backup $T >/dev/null"

hyperfine -S bash --runs "$RUNS" --export-json "$W/download.json" \
  --prepare "$BENCH/away.sh $W/out-ferry" -n "ferry download" \
  "ferry bundle download --repo b --label latest --destination $W/out-ferry >/dev/null 2>&1" \
  --prepare "$BENCH/away.sh $W/out-restic" -n "restic restore" \
  "restic -q -r $REPO restore latest --target $W/out-restic >/dev/null"

python3 - "$W" <<'EOF'
import json, sys
w = sys.argv[1]
print("\n| step | ferry (s) | restic (s) | ferry / restic |\n|---|---|---|---|")
for step in ("cold", "nochange", "download"):
    r = json.load(open(f"{w}/{step}.json"))["results"]
    f, s = r[0]["median"], r[1]["median"]
    print(f"| {step} | {f:.2f} | {s:.2f} | {f / s:.2f} |")
EOF
