#!/usr/bin/env bash
# Issue 27's rows benchmark, side by side in one run, on bench/data/rows1m/rows.csv (1,000,000 rows:
# two integers, a float, a short string, a label; made by gen-data.py):
#   duckdb   DuckDB's CSV -> Parquet as a whole process (a JVM with the duckdb_jdbc jar running
#            bench/DuckRows.java copy: read_csv, COPY TO parquet, its defaults)
#   ferry    `ferry dataset push` (tabular_classification, its checks) then `ferry dataset export
#            --format parquet`, whole processes, each run from an empty home (the local server starts
#            cold, as the DuckDB JVM does)
#   ferry-server-up  the same two commands with the local server already running, as it stays after
#            any first command: each run pushes a table the server has not seen, from a file whose
#            timestamp changed (so no schema or check is remembered), into a store emptied of the
#            previous run's table by `repo delete` + `gc --grace 0` (so nothing is deduplicated)
# Also: the Parquet files' sizes, the local server's peak RSS (VmHWM) over one push, and the candidate
# engine in one process (DuckRows.java checked: typed read keeping rejects, the checks as queries,
# Parquet with ZSTD and 100,000-row groups) with the time of each stage.
# Prints Markdown for bench/RESULTS.md. Needs: apt-get install -y hyperfine; Maven for the DuckDB jar.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_paths
RUNS="${RUNS:-3}"
DUCKDB_VERSION=2.0.0.1
DUCK="$HOME/.m2/repository/org/duckdb/duckdb_jdbc/$DUCKDB_VERSION/duckdb_jdbc-$DUCKDB_VERSION.jar"
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
command -v hyperfine >/dev/null || { echo "needs hyperfine: apt-get install -y hyperfine" >&2; exit 3; }
[ -x "$JAVA" ] || { echo "needs Temurin 25 at $JAVA (for single-file source launch)" >&2; exit 3; }
[ -f "$DUCK" ] || mvn -B -ntp -q dependency:get -Dartifact="org.duckdb:duckdb_jdbc:$DUCKDB_VERSION"
python3 "$BENCH/gen-data.py" rows1m
CSV="$BENCH/data/rows1m/rows.csv"
mkdir -p "$WORK"
"$FERRY" version >/dev/null
export ROWS_HOME="$WORK/rows-home" FERRY
reset_home() { FERRY_HOME="$ROWS_HOME" "$FERRY" server stop >/dev/null 2>&1 || true; rm -rf "$ROWS_HOME"; }
export -f reset_home
ferry_push_export() {
  FERRY_HOME="$ROWS_HOME" "$FERRY" dataset push "$(dirname "$CSV")" --table rows1m --category tabular_classification \
    --intent train --label-column label >/dev/null &&
  FERRY_HOME="$ROWS_HOME" "$FERRY" dataset export rows1m --format parquet --to "$WORK/ferry.parquet" >/dev/null
}
export -f ferry_push_export
export UP_HOME="$WORK/rows-home-up"
up_prepare() {
  touch "$CSV"
  FERRY_HOME="$UP_HOME" "$FERRY" repo delete --repo rows1m --force >/dev/null 2>&1 || true
  FERRY_HOME="$UP_HOME" "$FERRY" gc --grace 0 >/dev/null
}
up_push_export() {
  FERRY_HOME="$UP_HOME" "$FERRY" dataset push "$(dirname "$CSV")" --table rows1m --category tabular_classification \
    --intent train --label-column label >/dev/null &&
  FERRY_HOME="$UP_HOME" "$FERRY" dataset export rows1m --format parquet --to "$WORK/ferry-up.parquet" >/dev/null
}
export -f up_prepare up_push_export
export CSV WORK

results="$WORK/rows-results"; rm -rf "$results"; mkdir -p "$results"
rm -rf "$UP_HOME"; FERRY_HOME="$UP_HOME" "$FERRY" repo list >/dev/null   # starts its server
hyperfine -N --style basic --runs "$RUNS" --export-json "$results/rows.json" \
  --prepare true -n duckdb "$JAVA -cp $DUCK $BENCH/DuckRows.java copy $CSV $WORK/duck.parquet" \
  --prepare "bash -c reset_home" -n ferry "bash -c ferry_push_export" \
  --prepare "bash -c up_prepare" -n ferry-server-up "bash -c up_push_export" >&2
reset_home
FERRY_HOME="$UP_HOME" "$FERRY" server stop >/dev/null 2>&1 || true; rm -rf "$UP_HOME"

# one more push for the server's peak RSS, and the candidate engine's stages
FERRY_HOME="$ROWS_HOME" "$FERRY" repo list >/dev/null
pid=$(server_info "$ROWS_HOME" pid)
FERRY_HOME="$ROWS_HOME" "$FERRY" dataset push "$(dirname "$CSV")" --table rows1m --category tabular_classification \
  --intent train --label-column label >/dev/null
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
reset_home
stages=$("$JAVA" -cp "$DUCK" "$BENCH/DuckRows.java" checked "$CSV" "$WORK/duck-checked.parquet" label 2>&1 | grep '^rows')

python3 - "$results/rows.json" "$WORK" "$hwm" "$stages" "$RUNS" <<'PY'
import json, os, statistics, sys
data = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
work, hwm, stages, runs = sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
d, f, u = data["duckdb"], data["ferry"], data["ferry-server-up"]
size = lambda name: os.path.getsize(os.path.join(work, name))
print(f"| 1M-row CSV ({runs} runs, median) | DuckDB CSV→Parquet | Ferry push + export | ratio | target |")
print("|---|---|---|---|---|")
print(f"| time, whole processes, from an empty home (server start included) | {d['median']:.2f} s | {f['median']:.2f} s | {f['median'] / d['median']:.1f}× | ≤ 2× |")
print(f"| time, whole processes, local server already running | {d['median']:.2f} s | {u['median']:.2f} s | {u['median'] / d['median']:.1f}× | ≤ 2× |")
print(f"| Parquet size | {size('duck.parquet') / 1e6:.1f} MB | {size('ferry.parquet') / 1e6:.1f} MB | "
      f"{size('ferry.parquet') / size('duck.parquet'):.2f}× | ≤ 1.2× |")
print(f"| server peak RSS over the push | | {hwm / 1024:.0f} MiB | | ≤ 512 MiB |")
print()
print(f"Candidate engine in one process (DuckRows.java checked): {stages}; ZSTD file "
      f"{size('duck-checked.parquet') / 1e6:.1f} MB.")
PY
