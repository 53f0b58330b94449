#!/usr/bin/env bash
# Benchmarks the ingest checks against their peers, side by side (issues 3 and 23):
#   1. `ferry ingest validate ingest.yaml`, whole process, vs /usr/bin/python3 yaml.safe_load + jsonschema
#      (Debian python3-yaml python3-jsonschema) validating the same file against the same schema;
#   2. the preflight of 10,000 256x256 JPEGs (`ferry ingest validate <folder>`) vs restic backing up
#      the same folder into a fresh repository;
#   3. the preflight of 100,000 small token-classification texts (every file read, its tokens counted
#      against its row's tags) vs restic backing up the same folder.
# SKIP_VALIDATE=1 skips the first (it needs the python packages).
# Needs: apt-get install -y restic hyperfine python3-yaml python3-jsonschema
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BENCH")"
WORK="$BENCH/work"
DATA="$BENCH/data"
FERRY="$ROOT/ferry"
RUNS="${RUNS:-10}"
export RESTIC_PASSWORD=bench RESTIC_CACHE_DIR="$WORK/restic-cache"
mkdir -p "$WORK" "$DATA"
"$FERRY" version >/dev/null
results="$WORK/ingest-results"; rm -rf "$results"; mkdir -p "$results"

cat > "$WORK/ingest.yaml" <<'YAML'
apiVersion: ferry.dev/v1
kind: IngestConfig
category: image_classification
table: cats_dogs_train
intent: train
csv: labels.csv
images: images
label: label
YAML
SCHEMA="$ROOT/ferry-core/src/main/resources/dev/ferry/core/ingest/ingest.v1.schema.json"
# `ingest validate FILE` is answered by the jar's entry point itself, server or not; measured with no
# server running (the harder case: nothing warm anywhere). For reference, the full CLI in its own
# JVM (any option takes the command there; `--output text` changes nothing else).
"$FERRY" server stop >/dev/null 2>&1 || true
if [ "${SKIP_VALIDATE:-}" != 1 ]; then
  hyperfine -N --style basic --runs "$RUNS" --warmup 3 --export-json "$results/validate.json" \
    -n ferry "$FERRY ingest validate $WORK/ingest.yaml" \
    -n python "/usr/bin/python3 $BENCH/validate.py $SCHEMA $WORK/ingest.yaml" \
    -n ferry-full-cli "$FERRY ingest validate --output text $WORK/ingest.yaml" >&2
fi

if [ ! -f "$DATA/cats10k/labels.csv" ]; then
  "$ROOT/scripts/java" -Djava.awt.headless=true "$ROOT/examples/make-cats-dogs.java" "$DATA/cats10k" 10000 >&2
fi
FLAGS="--table cats10k --category image_classification --intent train --label-column label"
# the preflight with the local server running (ferry hands it over) and in a JVM of its own
"$FERRY" server start >/dev/null
hyperfine --style basic --runs 5 --warmup 1 --export-json "$results/preflight.json" \
  -n ferry "$FERRY ingest validate $DATA/cats10k $FLAGS" \
  -n ferry-own-jvm "env FERRY_RELAY=0 $FERRY ingest validate $DATA/cats10k $FLAGS" \
  --prepare "rm -rf $WORK/restic10k && restic init -q -r $WORK/restic10k" \
  -n restic "restic -q -r $WORK/restic10k backup $DATA/cats10k" >&2
rm -rf "$WORK/restic10k"

if [ ! -f "$DATA/tokens100k/labels.csv" ]; then
  python3 "$BENCH/gen-tokens.py" "$DATA/tokens100k" 100000 >&2
fi
TOKENS="--table tokens100k --category token_classification --intent train --label-column tags"
hyperfine --style basic --runs "${TEXT_RUNS:-5}" --warmup 1 --export-json "$results/tokens.json" \
  -n ferry "$FERRY ingest validate $DATA/tokens100k $TOKENS" \
  --prepare "rm -rf $WORK/restic100k && restic init -q -r $WORK/restic100k" \
  -n restic "restic -q -r $WORK/restic100k backup $DATA/tokens100k" >&2
rm -rf "$WORK/restic100k"

python3 - "$results" <<'PY'
import json, sys, os
d = sys.argv[1]
def t(f):
    path = os.path.join(d, f)
    return {r["command"]: r for r in json.load(open(path))["results"]} if os.path.exists(path) else None
v, p, k = t("validate.json"), t("preflight.json"), t("tokens.json")
print("| case | ferry | peer | peer time | ratio | target | met |")
print("|---|---|---|---|---|---|---|")
if v:
    r = v["ferry"]["mean"] / v["python"]["mean"]
    print("| ingest validate of a small config (whole process, no server running) | %.0f ms ± %.0f | python3 yaml + jsonschema | %.0f ms ± %.0f | %.2f | ≤ 1.0 | %s |" % (
        v["ferry"]["mean"] * 1000, v["ferry"]["stddev"] * 1000, v["python"]["mean"] * 1000, v["python"]["stddev"] * 1000, r, "yes" if r <= 1.0 else "**no**"))
    r = v["ferry-full-cli"]["mean"] / v["python"]["mean"]
    print("| for reference: the full CLI in its own JVM (`--output text`) | %.0f ms ± %.0f | python3 yaml + jsonschema | %.0f ms ± %.0f | %.2f | (none) | |" % (
        v["ferry-full-cli"]["mean"] * 1000, v["ferry-full-cli"]["stddev"] * 1000, v["python"]["mean"] * 1000, v["python"]["stddev"] * 1000, r))
r = p["ferry"]["mean"] / p["restic"]["mean"]
print("| preflight of 10,000 256x256 JPEGs (server running) | %.2f s ± %.2f | restic backup | %.2f s ± %.2f | %.2f | ≤ 1.0 | %s |" % (
    p["ferry"]["mean"], p["ferry"]["stddev"], p["restic"]["mean"], p["restic"]["stddev"], r, "yes" if r <= 1.0 else "**no**"))
r = p["ferry-own-jvm"]["mean"] / p["restic"]["mean"]
print("| the same in a JVM of its own (`FERRY_RELAY=0`) | %.2f s ± %.2f | restic backup | %.2f s ± %.2f | %.2f | (none) | |" % (
    p["ferry-own-jvm"]["mean"], p["ferry-own-jvm"]["stddev"], p["restic"]["mean"], p["restic"]["stddev"], r))
r = k["ferry"]["mean"] / k["restic"]["mean"]
print("| preflight of 100,000 token-classification texts (server running) | %.2f s ± %.2f | restic backup | %.2f s ± %.2f | %.2f | ≤ 1.0 | %s |" % (
    k["ferry"]["mean"], k["ferry"]["stddev"], k["restic"]["mean"], k["restic"]["stddev"], r, "yes" if r <= 1.0 else "**no**"))
PY
