#!/usr/bin/env bash
# Export benchmark, PostgreSQL: the seed's Python baseline, psql | gzip -6, and Export-SyncBatch
# through the bundled host, on the same table in one run; then the host alone on a 5x larger table to
# show memory stays flat. Needs the servers of .ci/servers.sh (user bench/bench).
# usage: bench/export-postgresql.sh [rows=1000000] [large_rows=5000000]
source "$(dirname "$0")/lib.sh"
ROWS="${1:-1000000}"; LARGE="${2:-5000000}"
CS="Host=127.0.0.1;Username=bench;Password=bench;Database=bench"
export PGPASSWORD=bench
psql_bench() { psql -q -h 127.0.0.1 -U bench bench "$@"; }

ensure_tools; build_host
RESULTS="$WORK/pg-results.txt"; : >"$RESULTS"

echo "loading vendas: $ROWS rows ..." >&2
psql_bench -v rows="$ROWS" -f "$SHARED/bench/seed_pg.sql" 2>&1 | grep -v NOTICE || true
out="$WORK/pg"; rm -rf "$out"; mkdir -p "$out"

echo "PostgreSQL, $ROWS rows (batches of 50,000, gzip level 6):" >&2
measure python /usr/bin/python3 "$SHARED/bench/py_extract_pg.py" "$out/python" 50000 6
measure psql_gzip bash -c "psql -h 127.0.0.1 -U bench bench -c '\\copy (select row_to_json(t) from (select * from vendas order by updated_at, id) t) to stdout' | gzip -6 > '$out/psql.jsonl.gz'"
measure export_syncbatch bash -c 'host_export "$@"' _ PostgreSql "$CS" "$out/host"
[ "$(rows_in "$out/host")" = "$ROWS" ] || { echo "Export-SyncBatch wrote $(rows_in "$out/host") rows, expected $ROWS" >&2; exit 1; }

if [ "$LARGE" -gt 0 ]; then
  echo "growing vendas to $LARGE rows ..." >&2
  psql_bench -v rows="$LARGE" -f "$SHARED/bench/seed_pg.sql" 2>&1 | grep -v NOTICE || true
  measure psql_gzip_large bash -c "psql -h 127.0.0.1 -U bench bench -c '\\copy (select row_to_json(t) from (select * from vendas order by updated_at, id) t) to stdout' | gzip -6 > '$out/psql-large.jsonl.gz'"
  measure export_syncbatch_large bash -c 'host_export "$@"' _ PostgreSql "$CS" "$out/host-large"
  [ "$(rows_in "$out/host-large")" = "$LARGE" ] || { echo "large export row count is wrong" >&2; exit 1; }
fi

cat <<REPORT
== PostgreSQL export, $ROWS rows
Python baseline (psycopg2 + json + gzip)   $(seconds_of python) s   $(mb_of python) MB
psql row_to_json | gzip -6                 $(seconds_of psql_gzip) s   $(mb_of psql_gzip) MB
Export-SyncBatch (host, Optimal = level 6) $(seconds_of export_syncbatch) s   $(mb_of export_syncbatch) MB
speed-up over Python:        $(ratio python export_syncbatch)   (bar: >= 3x)
psql|gzip time / ours:       $(ratio psql_gzip export_syncbatch)   (bar: >= 1.00x)
REPORT
if [ "$LARGE" -gt 0 ]; then
  echo "psql | gzip -6, $LARGE rows           $(seconds_of psql_gzip_large) s"
  echo "Export-SyncBatch, $LARGE rows         $(seconds_of export_syncbatch_large) s   $(mb_of export_syncbatch_large) MB   (bar: peak < 200 MB and flat)"
  echo "psql|gzip time / ours at $LARGE rows:  $(ratio psql_gzip_large export_syncbatch_large)"
  psql_bench -v rows="$ROWS" -f "$SHARED/bench/seed_pg.sql" 2>&1 | grep -v NOTICE || true
fi
