#!/usr/bin/env bash
# Issue 4 benchmarks: what the client/server split costs, against restic, in one run.
#
#   bench/server.sh                 all parts: upload warm watchers
#   bench/server.sh upload          only some parts
#
# upload    20,000 files of 16-80 KiB (bench/data/tree20k, ~1 GB): `bundle upload` in-process
#           (FERRY_IN_PROCESS=1), through the local daemon, through a remote-style server on loopback
#           (FERRY_SERVER: missing-blobs + pack protocol over HTTP), and `restic backup`. Every run
#           starts from an empty store (repo deleted, gc --grace 0s, client caches removed, untimed);
#           the daemon and the server stay up for the series, as they do for their users.
# warm      a warm CLI call: `ferry dataset list` with the daemon running vs `ferry version`.
# watchers  100 concurrent SSE watchers (curl) on one upload run: every stream must hold the same
#           events, numbered 1..N without a gap; the server's peak RSS (VmHWM) is reported.
#
# Prints Markdown for bench/RESULTS.md. Needs: apt-get install -y restic hyperfine curl
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
REPO_ROOT="$(dirname "$BENCH")"
DATA="$BENCH/data"
WORK="$BENCH/work/server"
FERRY="$REPO_ROOT/ferry"
RUNS="${RUNS:-5}"
PORT="${PORT:-7533}"
export RESTIC_PASSWORD=bench RESTIC_CACHE_DIR="$WORK/restic-cache"
parts=("$@"); [ ${#parts[@]} -gt 0 ] || parts=(upload warm watchers)
has() { local p; for p in "${parts[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }
# shellcheck source=bench/lib.sh
. "$BENCH/lib.sh"

for tool in restic hyperfine curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y restic hyperfine curl" >&2; exit 3; }
done
mkdir -p "$WORK"
"$FERRY" version >/dev/null   # build and warm the class-data archive before timing anything
results="$WORK/results"; rm -rf "$results"; mkdir -p "$results"
TRASH="$WORK/trash"; export TRASH
AWAY="$BENCH/away.sh"
empty_trash() { "$BENCH/empty-trash.sh"; }
bench() {
  local name="$1"; shift
  hyperfine --style basic --runs "$RUNS" --warmup 1 --export-json "$results/$name.json" "$@" >&2
}

# The daemon and the remote-style server stay up for the whole series, as they do for their users;
# between runs (untimed) the repo is deleted and gc'd with no grace and the client's caches removed,
# so every upload starts from an empty store. Hyperfine's warm-up run warms them.
export BENCH_TOKEN=bench-token-0123456789
REMOTE_ENV="FERRY_SERVER=http://127.0.0.1:$PORT FERRY_TOKEN=$BENCH_TOKEN"
EMPTY="$BENCH/empty-store.sh"
start_remote() {
  rm -rf "$WORK/remote-home" "$WORK/client-home"
  FERRY_HOME="$WORK/remote-home" FERRY_TOKEN=$BENCH_TOKEN nohup "$FERRY" serve --port "$PORT" >"$WORK/remote.log" 2>&1 &
  echo $! > "$WORK/remote.pid"
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && return 0; sleep 0.1; done
  echo "the remote-style server did not start: $WORK/remote.log" >&2; exit 4
}
stop_all() {
  FERRY_HOME="$WORK/fh" "$FERRY" server stop >/dev/null 2>&1 || true
  FERRY_HOME="$WORK/fw" "$FERRY" server stop >/dev/null 2>&1 || true
  if [ -f "$WORK/remote.pid" ]; then kill "$(cat "$WORK/remote.pid")" 2>/dev/null || true; rm -f "$WORK/remote.pid"; fi
}
trap stop_all EXIT

if has upload; then
  python3 "$BENCH/gen-data.py" tree20k
  T="$DATA/tree20k"
  rm -rf "$WORK/fh"; start_remote
  bench upload20k \
    --prepare "$AWAY $WORK/ip && FERRY_IN_PROCESS=1 FERRY_HOME=$WORK/ip $FERRY repo create --repo b >/dev/null" \
    -n in-process "FERRY_IN_PROCESS=1 FERRY_HOME=$WORK/ip $FERRY bundle upload --path $T --repo b --message m" \
    --prepare "$EMPTY $WORK/fh" \
    -n daemon "FERRY_HOME=$WORK/fh $FERRY bundle upload --path $T --repo b --message m" \
    --prepare "$EMPTY $WORK/client-home $REMOTE_ENV" \
    -n remote "env $REMOTE_ENV FERRY_HOME=$WORK/client-home $FERRY bundle upload --path $T --repo b --message m" \
    --prepare "$AWAY $WORK/restic && restic init -q -r $WORK/restic" \
    -n restic "restic -q -r $WORK/restic backup $T"
  stop_all
  "$AWAY" "$WORK/ip" "$WORK/fh" "$WORK/remote-home" "$WORK/client-home" "$WORK/restic"; empty_trash
fi

if has warm; then
  rm -rf "$WORK/fw"
  FERRY_HOME="$WORK/fw" "$FERRY" dataset push "$REPO_ROOT/examples/cats-dogs" --table cats_dogs_train \
    --category image_classification --intent train --label-column label >/dev/null 2>&1
  bench warm \
    -n "dataset list" "FERRY_HOME=$WORK/fw $FERRY dataset list" \
    -n "version" "FERRY_HOME=$WORK/fw $FERRY version"
  FERRY_HOME="$WORK/fw" "$FERRY" server stop >/dev/null 2>&1 || true
fi

if has watchers; then
  python3 "$BENCH/gen-data.py" tree20k
  rm -rf "$WORK/fwatch" "$WORK/streams"; mkdir -p "$WORK/streams"
  FERRY_HOME="$WORK/fwatch" "$FERRY" repo create --repo b >/dev/null
  port=$(server_info "$WORK/fwatch" port)
  token=$(server_info "$WORK/fwatch" token)
  pid=$(server_info "$WORK/fwatch" pid)
  api="http://127.0.0.1:$port/api/v1"
  run=$(curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"spec\": {\"kind\": \"upload\", \"path\": \"$DATA/tree20k\", \"repo\": \"b\", \"message\": \"m\"}}" \
    "$api/runs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  for i in $(seq 1 100); do
    curl -sN -H "Authorization: Bearer $token" "$api/runs/$run/events/stream" > "$WORK/streams/$i.sse" &
  done
  wait
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  python3 - "$WORK/streams" "$hwm" > "$results/watchers.md" <<'EOF'
import os, sys
folder, hwm_kib = sys.argv[1], int(sys.argv[2])
streams = []
for name in sorted(os.listdir(folder)):
    events = []
    for block in open(os.path.join(folder, name)).read().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if fields.get("event") != "end" and "id" in fields:
            events.append((int(fields["id"]), fields.get("data")))
    streams.append(events)
first = streams[0]
ids_ok = all([e[0] for e in s] == list(range(1, len(s) + 1)) for s in streams)
same = all(s == first for s in streams)
ended = all(s and '"completed"' in s[-1][1] for s in streams)
print("| 100 SSE watchers on one 20k-file upload run | %d streams, %d events each, ids 1..N without gaps: %s, "
      "all identical: %s, all end with completed: %s | server peak RSS (VmHWM) %.0f MiB | ≤ 512 MiB | %s |" % (
      len(streams), len(first), ids_ok, same, ended, hwm_kib / 1024,
      "yes" if ids_ok and same and ended and hwm_kib <= 512 * 1024 else "**no**"))
EOF
  FERRY_HOME="$WORK/fwatch" "$FERRY" server stop >/dev/null 2>&1 || true
fi

python3 - "$results" <<'EOF'
import json, os, sys
results = sys.argv[1]
print("| case | ferry (s) | peer | peer (s) | ratio | target | met |")
print("|---|---|---|---|---|---|---|")
def load(name):
    path = os.path.join(results, name + ".json")
    return {r["command"]: r for r in json.load(open(path))["results"]} if os.path.exists(path) else None
def row(title, mine, peer, name, target):
    ratio = mine["mean"] / peer["mean"]
    print("| %s | %.2f ± %.2f | %s | %.2f ± %.2f | %.2f | ≤ %.1f | %s |" % (title, mine["mean"], mine["stddev"] or 0,
          name, peer["mean"], peer["stddev"] or 0, ratio, target, "yes" if ratio <= target else "**no**"))
up = load("upload20k")
if up:
    row("upload of 20k files through the local daemon", up["daemon"], up["in-process"], "in-process", 1.2)
    row("upload of 20k files through the local daemon", up["daemon"], up["restic"], "restic", 0.7)
    row("upload of 20k files to a remote-style server (HTTP, loopback)", up["remote"], up["restic"], "restic", 1.0)
warm = load("warm")
if warm:
    a, b = warm["dataset list"], warm["version"]
    ratio = a["median"] / b["median"]
    print("| warm CLI call `dataset list` (daemon running), median | %.0f ms | `ferry version` | %.0f ms | %.2f | ≤ 1.5 | %s |"
          % (a["median"] * 1000, b["median"] * 1000, ratio, "yes" if ratio <= 1.5 else "**no**"))
w = os.path.join(results, "watchers.md")
if os.path.exists(w):
    print(open(w).read().strip())
EOF
