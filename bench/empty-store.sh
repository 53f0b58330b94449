#!/bin/sh
# empty-store.sh HOME [NAME=VALUE...]: deletes repo b of the server that HOME's CLI talks to, collects
# every unreferenced pack (gc --grace 0s), creates b again and drops HOME's upload caches, so that the
# next benchmark run uploads into an empty store while the server itself keeps running (warm).
# BENCH_FERRY names the CLI to do it with (default: the working tree's ./ferry); an A/B script passes
# the build under test, whose server another build's CLI would restart (version mismatch).
set -e
FERRY="${BENCH_FERRY:-$(cd "$(dirname "$0")/.." && pwd)/ferry}"
home="$1"; shift
env "$@" FERRY_HOME="$home" "$FERRY" repo delete --repo b --force >/dev/null 2>&1 || true
env "$@" FERRY_HOME="$home" "$FERRY" gc --grace 0s >/dev/null
env "$@" FERRY_HOME="$home" "$FERRY" repo create --repo b >/dev/null
rm -rf "$home/cache"
