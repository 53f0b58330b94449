#!/usr/bin/env bash
# A Ferry server whose store is S3 (issue 25): the 20k-file tree pushed by a Ferry client to `ferry serve`
# with FERRY_STORE=s3://... on s3proxy, side by side with `rclone copy` of the same tree into the same
# s3proxy, in one run:
#
#   RUNS=3 bench/s3.sh
#
# cold push   ferry bundle upload into an empty store (client -> server over 127.0.0.1 -> s3proxy)
#             | rclone copy of the tree into an empty prefix of the same s3proxy (defaults: 4 transfers)
#
# s3proxy (the jar the build copies to ferry-s3/target/s3proxy, `./scripts/test` fetches it) keeps the
# objects in a folder under bench/work. Prints the medians and the ratio ferry / rclone.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=bench/lib.sh
. "$BENCH/lib.sh"
bench_paths
RUNS="${RUNS:-3}"
for tool in rclone hyperfine; do
  command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install -y rclone hyperfine" >&2; exit 3; }
done
JAR="$ROOT/ferry-s3/target/s3proxy/s3proxy.jar"
[ -f "$JAR" ] || { echo "needs $JAR: run ./scripts/test once (the build copies it there)" >&2; exit 3; }
python3 "$BENCH/gen-data.py" tree20k
W="$WORK/s3"
rm -rf "$W"
mkdir -p "$W/objects"

SPORT=7571 FPORT=7572 TOKEN=bench-s3-token-0123456789
ID=bench SECRET=bench-secret-0123456789
cat > "$W/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$SPORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$ID
s3proxy.credential=$SECRET
jclouds.provider=filesystem
jclouds.filesystem.basedir=$W/objects
PROPS
JAVA="$(sed -n 's/^JAVA=//p' "$ROOT/ferry-cli/target/runtime/launch.sh" 2>/dev/null | tr -d "'\"" || true)"
[ -x "${JAVA:-}" ] || JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
env -u AWS_CA_BUNDLE "$JAVA" -jar "$JAR" --properties "$W/s3proxy.properties" >"$W/s3proxy.log" 2>&1 &
SPID=$!
export AWS_ENDPOINT_URL="http://127.0.0.1:$SPORT" AWS_ACCESS_KEY_ID="$ID" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_REGION=us-east-1
unset AWS_CA_BUNDLE
export RCLONE_CONFIG_S3P_TYPE=s3 RCLONE_CONFIG_S3P_PROVIDER=Other RCLONE_CONFIG_S3P_ENDPOINT="$AWS_ENDPOINT_URL" \
  RCLONE_CONFIG_S3P_ACCESS_KEY_ID="$ID" RCLONE_CONFIG_S3P_SECRET_ACCESS_KEY="$SECRET" RCLONE_CONFIG_S3P_REGION=us-east-1
for _ in $(seq 1 300); do rclone lsd s3p: >/dev/null 2>&1 && break; sleep 0.2; done
rclone mkdir s3p:ferry
rclone mkdir s3p:copy

SRV="$W/ferry-server" CLI="$W/ferry-client"
env FERRY_HOME="$SRV" FERRY_TOKEN="$TOKEN" FERRY_STORE="s3://ferry/store" "$FERRY" serve --port "$FPORT" >"$W/ferry-serve.log" 2>&1 &
FPID=$!
trap 'kill $FPID $SPID 2>/dev/null || true; env FERRY_HOME="$CLI" "$FERRY" server stop >/dev/null 2>&1 || true' EXIT
remote_client "$SRV" "$CLI" "$TOKEN"
export CLI URL TOKEN FERRY T W
ferry repo create --repo b >/dev/null
sleep 1

empty_ferry="ferry repo delete --repo b --force >/dev/null; ferry gc --grace 0s >/dev/null; ferry repo create --repo b >/dev/null; rm -rf $CLI/cache; sync"
empty_rclone="rclone purge s3p:copy/tree >/dev/null 2>&1 || true; sync"

hyperfine -S bash --runs "$RUNS" ${SHOW:+--show-output} --export-json "$W/cold.json" \
  --prepare "$empty_ferry" -n "ferry cold push to an S3 store" "ferry bundle upload --path $T --repo b --message m >/dev/null 2>&1" \
  --prepare "$empty_rclone" -n "rclone copy to S3" "rclone copy $T s3p:copy/tree"

python3 - "$W" <<'PY'
import json, sys
r = json.load(open(f"{sys.argv[1]}/cold.json"))["results"]
f, s = r[0]["median"], r[1]["median"]
print(f"\n| step | ferry (s) | rclone (s) | ferry / rclone |\n|---|---|---|---|\n| cold push | {f:.2f} | {s:.2f} | {f / s:.2f} |")
PY
