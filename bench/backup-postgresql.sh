#!/usr/bin/env bash
# Backup benchmark, PostgreSQL, on the bench database's vendas (1,000,000 rows by default, loaded from
# ../shared/bench/seed_pg.sql when it has another count): pg_dump -Fc > file alone; the seed's way (dump
# to a temporary file, then upload it to s3rver); and Invoke-DbBackup streaming to s3rver through the
# bundled host. Three interleaved runs each, medians of wall and CPU seconds and peak memory (whole
# processes). Bar: within 1.1x of the dump-to-file time, faster than the seed's way, peak < 150 MB.
# usage: bench/backup-postgresql.sh [rows=1000000] [runs=3]   (BENCH_DB=other_db: another database of the bench login)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/backup-lib.sh"
ROWS="${1:-1000000}"; RUNS="${2:-3}"; DB="${BENCH_DB:-bench}"
CS="Host=127.0.0.1;Username=bench;Password=bench;Database=$DB"
export PGPASSWORD=bench
ensure_tools; ensure_bucket
# BENCH_REUSE_HOST=1 keeps a host published by an earlier run (publishing takes minutes on a busy machine).
[ -n "${BENCH_REUSE_HOST:-}" ] && [ -f "$HOST_DIR/DataSyncPS.Host.dll" ] || build_host
RESULTS="$WORK/pg-backup-results.txt"; : >"$RESULTS"
out="$WORK/pg-backup"; rm -rf "$out"; mkdir -p "$out"

if [ "$(psql -h 127.0.0.1 -U bench "$DB" -Atc 'select count(*) from vendas' 2>/dev/null)" != "$ROWS" ]; then
  echo "loading vendas: $ROWS rows ..." >&2
  psql -q -h 127.0.0.1 -U bench "$DB" -v rows="$ROWS" -f "$SHARED/bench/seed_pg.sql" 2>&1 | grep -v NOTICE || true
fi

echo "PostgreSQL backup of $DB ($ROWS rows in vendas):" >&2
for i in $(seq 1 "$RUNS"); do
  measure "pg_dump.$i" bash -c "pg_dump -h 127.0.0.1 -U bench -Fc $DB > '$out/bench.dump'"
  measure "seed.$i" bash -c "pg_dump -h 127.0.0.1 -U bench -Fc $DB > '$out/seed.dump' && seed_upload '$out/seed.dump' seed/bench.dump && rm '$out/seed.dump'"
  measure "host.$i" bash -c 'host_backup "$@"' _ PostgreSql "$CS" "run$i"
done
for n in pg_dump seed host; do record_median "$n"; done
size=$(stat -c %s "$out/bench.dump")
clean_bucket

cat <<REPORT
== PostgreSQL backup, $ROWS rows (median of $RUNS)         wall      CPU     peak
pg_dump -Fc > file                                 $(seconds_of pg_dump) s  $(cpu_of pg_dump) s  $(mb_of pg_dump) MB   ($((size / 1048576)) MB dump)
the seed's way: pg_dump -Fc > tmp, then upload     $(seconds_of seed) s  $(cpu_of seed) s  $(mb_of seed) MB
Invoke-DbBackup -> s3rver (host, streamed)         $(seconds_of host) s  $(cpu_of host) s  $(mb_of host) MB
Invoke-DbBackup / dump-to-file, wall:  $(ratio host pg_dump)   (bar: <= 1.10x)
Invoke-DbBackup / the seed's way:      $(ratio host seed)   (bar: < 1.00x)
peak memory of Invoke-DbBackup:        $(mb_of host) MB (bar: < 150 MB)
REPORT
