#!/usr/bin/env bash
# Issue 27's web UI targets, measured on the local server (server time: the Server-Timing header the
# rows page sends, and curl's total for the others):
#   - the 1M-row table of gen-data.py rows1m: the first rows page (cold: the table restored from the
#     packs into cache/rows, the label histogram computed; then warm), a page in the middle, a filtered
#     page (a label and an expression), the table's page (versions, histogram), the rows diff of two
#     versions (1% of the labels changed)                               targets: first page ≤ 300 ms,
#                                                                       filtered page ≤ 1 s
#   - 10,000-image versions (make-cats-dogs.java: 256×256 JPEGs, their own thumbnails; and 640×640
#     ones, which are scaled): the push's time, then the time the server takes to make the version's
#     thumbnails ahead into the store (started by its first rows page; the page's data-millis)
#                                                                       target: ≤ 1× the push
#     and, for the first set, every thumbnail requested (2 at a time, as a browser would) after that
# Prints Markdown for bench/RESULTS.md.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_paths
command -v curl >/dev/null || { echo "needs curl" >&2; exit 3; }
python3 "$BENCH/gen-data.py" rows1m
CSV="$BENCH/data/rows1m/rows.csv"
IMAGES="$BENCH/data/images10k"
[ -f "$IMAGES/labels.csv" ] || /usr/lib/jvm/temurin-25-jdk-amd64/bin/java "$ROOT/examples/make-cats-dogs.java" "$IMAGES" 10000 >/dev/null
LARGE="$BENCH/data/images10k-640"
[ -f "$LARGE/labels.csv" ] || /usr/lib/jvm/temurin-25-jdk-amd64/bin/java "$ROOT/examples/make-cats-dogs.java" "$LARGE" 10000 640 >/dev/null
export FERRY_HOME="$WORK/ui-home"
"$FERRY" server stop >/dev/null 2>&1 || true
rm -rf "$FERRY_HOME"
mkdir -p "$WORK"

now_ms() { date +%s%3N; }
login() { # a session cookie from a one-time link
  local url
  url=$("$FERRY" ui 2>/dev/null)
  BASE=${url%%/ui/*}
  COOKIE=$(curl -s -D - -o /dev/null "$url" | grep -o 'ferry_session=[^;]*')
}
server_ms() { # the rows page's own server time
  curl -s -D - -o /dev/null -H "Cookie: $COOKIE" "$BASE$1" | tr -d '\r' | awk -F'dur=' '/^Server-Timing/ {print $2}'
}
total_ms() { curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: $COOKIE" "$BASE$1" | awk '{printf "%d\n", $1 * 1000}'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }

# --- the 1M-row table, two versions
"$FERRY" dataset push "$(dirname "$CSV")" --table rows1m --category tabular_classification --intent train \
  --label-column label >/dev/null
first=$("$FERRY" -o json dataset show rows1m | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
python3 - "$CSV" "$WORK/rows1m-v2" <<'PY'
import os, sys
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
with open(src) as f, open(os.path.join(out, "rows.csv"), "w") as g:
    for i, line in enumerate(f):
        if i > 0 and i % 100 == 0:  # 1% of the rows get another label
            head, label = line.rstrip("\n").rsplit(",", 1)
            line = head + ",relabelled\n"
        g.write(line)
PY
"$FERRY" dataset push "$WORK/rows1m-v2" --table rows1m --category tabular_classification --intent train \
  --label-column label >/dev/null
label=$("$FERRY" -o json dataset stats rows1m | python3 -c 'import json,sys; print(json.load(sys.stdin)["labels"][0]["label"])')
"$FERRY" server stop >/dev/null
login
after_push=$(server_ms "/ui/datasets/rows1m/rows") # a restarted server: the push left the table in cache/rows
"$FERRY" server stop >/dev/null
rm -rf "$FERRY_HOME/cache/rows"
login
cold=$(server_ms "/ui/datasets/rows1m/rows")
warm=$(for _ in 1 2 3 4 5; do server_ms "/ui/datasets/rows1m/rows"; done | median)
middle=$(for _ in 1 2 3; do server_ms "/ui/datasets/rows1m/rows?offset=500000"; done | median)
where=$(python3 -c 'import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1]))' "score > 0.5")
filtered_cold=$(server_ms "/ui/datasets/rows1m/rows?label=$label&where=$where&offset=1000")
filtered=$(for _ in 1 2 3; do server_ms "/ui/datasets/rows1m/rows?label=$label&where=$where&offset=1000"; done | median)
table_cold=$(total_ms "/ui/datasets/rows1m") # the newest version's statistics computed
table=$(for _ in 1 2 3; do total_ms "/ui/datasets/rows1m"; done | median)
diff_cold=$(total_ms "/ui/datasets/rows1m/diff?from=$first&to=latest")
diff=$(for _ in 1 2 3; do total_ms "/ui/datasets/rows1m/diff?from=$first&to=latest"; done | median)
rss=$(awk '/VmHWM/ {print $2}' "/proc/$(server_info "$FERRY_HOME" pid)/status")

# --- 10,000 images: the push, then the version's thumbnails made ahead, then every one served
# push_and_build DIR TABLE: times the push (whole process) into push_ms, then restarts the server (its
# JIT as cold as the push's server was), opens the version's rows page and waits for the thumbnails'
# build it starts; build_ms is the build's own time, as the page reports it
push_and_build() {
  local start page
  start=$(now_ms)
  "$FERRY" dataset push "$1" --table "$2" --category image_classification --intent train --label-column label >/dev/null
  push_ms=$(( $(now_ms) - start ))
  "$FERRY" server stop >/dev/null
  login
  curl -s -o /dev/null -H "Cookie: $COOKIE" "$BASE/ui/datasets/$2/rows"
  while :; do
    page=$(curl -s -H "Cookie: $COOKIE" "$BASE/ui/datasets/$2/rows")
    case "$page" in *'id="thumbnails" data-done="true"'*) break ;; esac
    sleep 0.2
  done
  build_ms=$(printf '%s' "$page" | sed -n 's/.*data-millis="\([0-9]*\)".*/\1/p')
}
push_and_build "$IMAGES" images10k
small_push_ms=$push_ms small_build_ms=$build_ms
version=$("$FERRY" -o json dataset show images10k | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
"$FERRY" server stop >/dev/null
rm -rf "$FERRY_HOME/cache/thumbnails" # every thumbnail now comes from the store
login
# two connections (keep-alive), each asking for half of the thumbnails in turn, as two browser tabs would
tail -n +2 "$IMAGES/labels.csv" | cut -d, -f1 | awk -v base="$BASE/ui/thumbnails/images10k/$version?path=images%2F" \
  -v w="$WORK" '{f = w "/thumbnail-urls-" (NR % 2); print "url = \"" base $1 "\"\noutput = \"/dev/null\"" > f}'
# the floor: as many requests for the UI's stylesheet (the same session check, no image), which also warms
# the freshly started server's JIT as the push warmed it
for half in 0 1; do sed 's|/ui/thumbnails/[^?]*?path=images%2F|/ui/static/ferry.css?x=|' "$WORK/thumbnail-urls-$half" \
  > "$WORK/static-urls-$half"; done
start=$(now_ms)
for half in 0 1; do curl -s -H "Cookie: $COOKIE" -K "$WORK/static-urls-$half" & done
wait
static_ms=$(( $(now_ms) - start ))
start=$(now_ms)
for half in 0 1; do curl -s -w '%{http_code}\n' -H "Cookie: $COOKIE" -K "$WORK/thumbnail-urls-$half" > "$WORK/thumbnail-codes-$half" & done
wait
thumbs_ms=$(( $(now_ms) - start ))
served=$(cat "$WORK"/thumbnail-codes-* | grep -c '^200$' || true)
push_and_build "$LARGE" images10k640
large_push_ms=$push_ms large_build_ms=$build_ms
"$FERRY" server stop >/dev/null
ratio() { python3 -c "print(f'{$1 / $2:.2f}×')"; }

cat <<EOF
| 1M-row table, local server | server time | target |
|---|---|---|
| first rows page after the push (server restarted; the push left the table in cache/rows; histogram computed) | $after_push ms | ≤ 300 ms |
| first rows page, cold (cache/rows emptied: restored from the store, histogram computed) | $cold ms | |
| first rows page, warm (median of 5) | $warm ms | ≤ 300 ms |
| page at row 500,000 (median of 3) | $middle ms | |
| filtered: label = '$label' AND score > 0.5, from row 1,000 (cold / median of 3) | $filtered_cold ms / $filtered ms | ≤ 1 s |
| the table's page: versions, histogram, column statistics (curl total, first / median of 3) | $table_cold ms / $table ms | |
| rows diff of two 1M-row versions, 10,000 labels changed (curl total, cold / median of 3) | $diff_cold ms / $diff ms | |
| server peak RSS (VmHWM) over the UI requests | $(( rss / 1024 )) MiB | |

| 10,000 images | push (whole process) | thumbnails made ahead, into the store | ratio | target |
|---|---|---|---|---|
| 256×256 JPEGs (each its own thumbnail) | $small_push_ms ms | $small_build_ms ms | $(ratio "$small_build_ms" "$small_push_ms") | ≤ 1× the push |
| 640×640 JPEGs (each scaled to 192×192) | $large_push_ms ms | $large_build_ms ms | $(ratio "$large_build_ms" "$large_push_ms") | ≤ 1× the push |

| 10,000 thumbnails of the 256×256 set, after the build, this server's disk copies emptied | time | ratio to its push |
|---|---|---|
| every thumbnail, 2 connections ($served served) | $thumbs_ms ms | $(ratio "$thumbs_ms" "$small_push_ms") |
| the floor: 10,000 requests for the stylesheet, same session, 2 connections (run first) | $static_ms ms | $(ratio "$static_ms" "$small_push_ms") |
EOF
