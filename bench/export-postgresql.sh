#!/usr/bin/env bash
# Export benchmark, PostgreSQL: the seed's Python baseline, psql | gzip -6, and Export-SyncBatch through
# the bundled host and through pwsh 7.6.9, on the same table in one run (three interleaved runs each,
# medians); start-up alone (the same script on a one-row table); then psql | gzip -6 and the host on a
# 5x larger table to show memory stays flat. Whole processes; CPU is user + system of every process of
# the command (both sides of the CLI pipe), not the server's. Needs the servers of .ci/servers.sh.
# usage: bench/export-postgresql.sh [rows=1000000] [large_rows=5000000] [runs=3]
source "$(dirname "$0")/lib.sh"
ROWS="${1:-1000000}"; LARGE="${2:-5000000}"; RUNS="${3:-3}"
CS="Host=127.0.0.1;Username=bench;Password=bench;Database=bench"
export PGPASSWORD=bench
psql_bench() { psql -q -h 127.0.0.1 -U bench bench "$@"; }
PSQL_GZIP="psql -h 127.0.0.1 -U bench bench -c '\\copy (select row_to_json(t) from (select * from vendas order by updated_at, id) t) to stdout' | gzip -6"

ensure_tools; ensure_pwsh; build_host
RESULTS="$WORK/pg-results.txt"; : >"$RESULTS"

echo "loading vendas: $ROWS rows ..." >&2
psql_bench -v rows="$ROWS" -f "$SHARED/bench/seed_pg.sql" 2>&1 | grep -v NOTICE || true
psql_bench -c "DROP TABLE IF EXISTS vendas_one; CREATE TABLE vendas_one AS SELECT * FROM vendas WHERE id = 1; ALTER TABLE vendas_one ADD PRIMARY KEY (id);" 2>&1 | grep -v NOTICE || true
out="$WORK/pg"; rm -rf "$out"; mkdir -p "$out"

echo "PostgreSQL, $ROWS rows (batches of 50,000, gzip level 6 or its equivalent):" >&2
measure python /usr/bin/python3 "$SHARED/bench/py_extract_pg.py" "$out/python" 50000 6
for i in $(seq 1 "$RUNS"); do
  measure "psql_gzip.$i" bash -c "$PSQL_GZIP > '$out/psql.jsonl.gz'"
  measure "host.$i" bash -c 'host_export "$@"' _ PostgreSql "$CS" "$out/host"
  measure "pwsh.$i" bash -c 'pwsh_export "$@"' _ PostgreSql "$CS" "$out/pwsh"
done
for n in psql_gzip host pwsh; do record_median "$n"; done
for d in host pwsh; do [ "$(rows_in "$out/$d")" = "$ROWS" ] || { echo "Export-SyncBatch ($d) wrote $(rows_in "$out/$d") rows, expected $ROWS" >&2; exit 1; }; done
measure host_startup bash -c 'host_export "$@"' _ PostgreSql "$CS" "$out/one" vendas_one
measure pwsh_startup bash -c 'pwsh_export "$@"' _ PostgreSql "$CS" "$out/one" vendas_one

if [ "$LARGE" -gt 0 ]; then
  echo "growing vendas to $LARGE rows ..." >&2
  psql_bench -v rows="$LARGE" -f "$SHARED/bench/seed_pg.sql" 2>&1 | grep -v NOTICE || true
  measure psql_gzip_large bash -c "$PSQL_GZIP > '$out/psql-large.jsonl.gz'"
  measure host_large bash -c 'host_export "$@"' _ PostgreSql "$CS" "$out/host-large"
  [ "$(rows_in "$out/host-large")" = "$LARGE" ] || { echo "large export row count is wrong" >&2; exit 1; }
fi

cat <<REPORT
== PostgreSQL export, $ROWS rows (median of $RUNS)       wall      CPU     peak    output
Python baseline (psycopg2 + json + gzip)          $(seconds_of python) s  $(cpu_of python) s  $(mb_of python) MB  $(mb_file "$out"/python/*)
psql row_to_json | gzip -6                        $(seconds_of psql_gzip) s  $(cpu_of psql_gzip) s  $(mb_of psql_gzip) MB  $(mb_file "$out/psql.jsonl.gz")
Export-SyncBatch, bundled host (Optimal)          $(seconds_of host) s  $(cpu_of host) s  $(mb_of host) MB  $(mb_file "$out"/host/*.gz)
Export-SyncBatch, pwsh 7.6.9 (Optimal)            $(seconds_of pwsh) s  $(cpu_of pwsh) s  $(mb_of pwsh) MB  $(mb_file "$out"/pwsh/*.gz)
start-up alone (one-row table): host $(seconds_of host_startup) s wall, $(cpu_of host_startup) s CPU; pwsh $(seconds_of pwsh_startup) s wall, $(cpu_of pwsh_startup) s CPU
speed-up over Python (host):      $(ratio python host)
ours / psql|gzip, wall:           host $(ratio host psql_gzip), pwsh $(ratio pwsh psql_gzip)   (bar: <= 0.70x)
ours / psql|gzip, CPU seconds:    host $(cpu_ratio host psql_gzip), pwsh $(cpu_ratio pwsh psql_gzip)   (bar: <= 1.00x)
REPORT
if [ "$LARGE" -gt 0 ]; then
  echo "psql | gzip -6, $LARGE rows                 $(seconds_of psql_gzip_large) s  $(cpu_of psql_gzip_large) s CPU"
  echo "Export-SyncBatch (host), $LARGE rows        $(seconds_of host_large) s  $(cpu_of host_large) s CPU  $(mb_of host_large) MB peak   (bar: < 200 MB and flat)"
  echo "ours / psql|gzip at $LARGE rows, wall:       $(ratio host_large psql_gzip_large)"
  psql_bench -v rows="$ROWS" -f "$SHARED/bench/seed_pg.sql" 2>&1 | grep -v NOTICE || true
fi
