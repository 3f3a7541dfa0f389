#!/usr/bin/env bash
# Backup benchmark, MariaDB, on the bench database's vendas (1,000,000 rows by default, loaded from
# ../shared/bench/seed_mysql.sql when it has another count): mariadb-dump | gzip -6 > file alone; the
# seed's way (mysqldump to a temporary file, then upload it to s3rver); and Invoke-DbBackup (dump
# gzipped in-process) streaming to s3rver through the bundled host. Three interleaved runs each,
# medians. Bar: within 1.1x of the dump-to-file time, faster than the seed's way, peak < 150 MB.
# usage: bench/backup-mariadb.sh [rows=1000000] [runs=3]   (BENCH_DB=other_db: another database of the bench login)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/backup-lib.sh"
ROWS="${1:-1000000}"; RUNS="${2:-3}"; DB="${BENCH_DB:-bench}"
CS="Server=127.0.0.1;User ID=bench;Password=bench;Database=$DB"
OPTS="-h127.0.0.1 -ubench -pbench --single-transaction --routines --triggers --events --hex-blob --default-character-set=utf8mb4"
ensure_tools; ensure_bucket
# BENCH_REUSE_HOST=1 keeps a host published by an earlier run (publishing takes minutes on a busy machine).
[ -n "${BENCH_REUSE_HOST:-}" ] && [ -f "$HOST_DIR/DataSyncPS.Host.dll" ] || build_host
RESULTS="$WORK/mariadb-backup-results.txt"; : >"$RESULTS"
out="$WORK/mariadb-backup"; rm -rf "$out"; mkdir -p "$out"

if [ "$(mariadb -h127.0.0.1 -ubench -pbench "$DB" -Nse 'select count(*) from vendas' 2>/dev/null)" != "$ROWS" ]; then
  echo "loading vendas: $ROWS rows ..." >&2
  { echo "SET @rows=$ROWS;"; cat "$SHARED/bench/seed_mysql.sql"; } | mariadb -h127.0.0.1 -ubench -pbench "$DB"
fi

echo "MariaDB backup of $DB ($ROWS rows in vendas):" >&2
for i in $(seq 1 "$RUNS"); do
  measure "dump_gzip.$i" bash -c "mariadb-dump $OPTS $DB | gzip -6 > '$out/bench.sql.gz'"
  measure "seed.$i" bash -c "mariadb-dump $OPTS $DB > '$out/seed.sql' && seed_upload '$out/seed.sql' seed/bench.sql && rm '$out/seed.sql'"
  measure "host.$i" bash -c 'host_backup "$@"' _ MariaDb "$CS" "run$i"
done
for n in dump_gzip seed host; do record_median "$n"; done
size=$(stat -c %s "$out/bench.sql.gz")
clean_bucket

cat <<REPORT
== MariaDB backup, $ROWS rows (median of $RUNS)            wall      CPU     peak
mariadb-dump | gzip -6 > file                      $(seconds_of dump_gzip) s  $(cpu_of dump_gzip) s  $(mb_of dump_gzip) MB   ($((size / 1048576)) MB dump)
the seed's way: mysqldump > tmp, then upload       $(seconds_of seed) s  $(cpu_of seed) s  $(mb_of seed) MB
Invoke-DbBackup -> s3rver (host, streamed, gzip)   $(seconds_of host) s  $(cpu_of host) s  $(mb_of host) MB
Invoke-DbBackup / dump-to-file, wall:  $(ratio host dump_gzip)   (bar: <= 1.10x)
Invoke-DbBackup / the seed's way:      $(ratio host seed)   (bar: < 1.00x)
peak memory of Invoke-DbBackup:        $(mb_of host) MB (bar: < 150 MB)
REPORT
