#!/usr/bin/env bash
# Copy benchmark, PostgreSQL: the vendas table (../shared/bench/seed_pg.sql) copied, structure and rows,
# from bench_copy_src into an empty database, in one run: the best CLI way (pg_dump -t vendas | psql),
# and Copy-DbStructure through the bundled host, without -Parallel (one transaction) and with
# -Parallel 2 (resumable key ranges, which also takes a safety backup of the target). Three interleaved
# runs each, medians; then the CLI and the host on a larger table, for flat memory. The seed
# (ReplicOOP) copied MySQL only: its way is in bench/copy-mariadb.sh. Whole processes; CPU is user +
# system of every process of the command (both sides of the CLI's pipe), not the servers'.
# Needs the servers of .ci/servers.sh and root (to create the bench_copy_* databases, owned by bench).
# usage: bench/copy-postgresql.sh [rows=1000000] [large_rows=5000000] [runs=3]
source "$(dirname "$0")/lib.sh"
ROWS="${1:-1000000}"; LARGE="${2:-5000000}"; RUNS="${3:-3}"
export PGPASSWORD=bench
cs() { echo "Host=127.0.0.1;Username=bench;Password=bench;Database=$1"; }
fresh_db() { su postgres -c "dropdb --if-exists --force $1 && createdb -O bench $1"; }
load() { psql -q -h 127.0.0.1 -U bench bench_copy_src -v rows="$1" -f "$SHARED/bench/seed_pg.sql" 2>&1 | grep -v NOTICE || true; }
count() { psql -h 127.0.0.1 -U bench "$1" -Atc "SELECT count(*) FROM vendas"; }
CLI="pg_dump -h 127.0.0.1 -U bench -t vendas bench_copy_src | psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U bench bench_copy_cli"

ensure_tools
# BENCH_REUSE_HOST=1 keeps a host published by an earlier run (publishing takes minutes on a busy machine).
[ -n "${BENCH_REUSE_HOST:-}" ] && [ -f "$HOST_DIR/DataSyncPS.Host.dll" ] || build_host
RESULTS="$WORK/pg-copy-results.txt"; : >"$RESULTS"
export DATASYNCPS_HOME="$WORK/copy-home"; rm -rf "$DATASYNCPS_HOME"

echo "loading vendas into bench_copy_src: $ROWS rows ..." >&2
fresh_db bench_copy_src
load "$ROWS"

echo "PostgreSQL copy of vendas, $ROWS rows:" >&2
copy_runs PostgreSql bench_copy_cli bench_copy_ours bench_copy_par

cat <<REPORT
== PostgreSQL copy of vendas, $ROWS rows (median of $RUNS)   wall      CPU     peak
pg_dump -t vendas | psql                              $(seconds_of cli) s  $(cpu_of cli) s  $(mb_of cli) MB
Copy-DbStructure, host (one transaction)              $(seconds_of host) s  $(cpu_of host) s  $(mb_of host) MB
Copy-DbStructure, host, -Parallel 2 (+ safety backup) $(seconds_of host_p2) s  $(cpu_of host_p2) s  $(mb_of host_p2) MB
ours / pg_dump|psql, wall:   $(ratio host cli) (-Parallel 2: $(ratio host_p2 cli))   (bar: <= 1.00x)
the seed's way:              none for PostgreSQL (ReplicOOP copied MySQL only; see bench/copy-mariadb.sh)
REPORT
if [ "$LARGE" -gt 0 ]; then
  echo "pg_dump | psql, $LARGE rows                 $(seconds_of cli_large) s  $(cpu_of cli_large) s CPU"
  echo "Copy-DbStructure (host), $LARGE rows        $(seconds_of host_large) s  $(cpu_of host_large) s CPU  $(mb_of host_large) MB peak   (bar: flat)"
  echo "ours / pg_dump|psql at $LARGE rows, wall:    $(ratio host_large cli_large)"
fi
for d in bench_copy_src bench_copy_cli bench_copy_ours bench_copy_par; do su postgres -c "dropdb --if-exists --force $d"; done
