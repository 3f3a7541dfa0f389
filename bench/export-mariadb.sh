#!/usr/bin/env bash
# Export benchmark, MariaDB: a Python (pymysql, seed style) baseline, mariadb --quick | gzip -6, and
# Export-SyncBatch through the bundled host and through pwsh 7.6.9, on the same table in one run (three
# interleaved runs each, medians); start-up alone (a one-row table); then the CLI and the host on a 5x
# larger table for flat memory. Whole processes; CPU is user + system of every process of the command
# (both sides of the CLI pipe), not the server's. Needs the servers of .ci/servers.sh (user bench/bench).
# usage: bench/export-mariadb.sh [rows=1000000] [large_rows=5000000] [runs=3]
source "$(dirname "$0")/lib.sh"
ROWS="${1:-1000000}"; LARGE="${2:-5000000}"; RUNS="${3:-3}"
CS="Server=127.0.0.1;User ID=bench;Password=bench;Database=bench"
export MYSQL_PWD=bench
mysql_bench() { mariadb -h 127.0.0.1 -u bench bench "$@"; }

# The seed's recursive CTE stops at 2,000,000 iterations: larger tables are grown by copying.
load() {
  local want="$1" base=$(( $1 < 1000000 ? $1 : 1000000 ))
  { echo "SET @rows=$base;"; cat "$SHARED/bench/seed_mysql.sql"; } | mysql_bench
  local have=$base
  while [ "$have" -lt "$want" ]; do
    local add=$(( want - have < base ? want - have : base ))
    mysql_bench -e "INSERT INTO vendas SELECT id + $have, filial_id, cliente_nome, produto, quantidade, valor_total, desconto, pago,
      vendido_em, data_fiscal, extra, updated_at + INTERVAL $have SECOND FROM vendas WHERE id <= $add"
    have=$(( have + add ))
  done
}

ensure_tools; ensure_pwsh; build_host
RESULTS="$WORK/mariadb-results.txt"; : >"$RESULTS"

echo "loading vendas: $ROWS rows ..." >&2
load "$ROWS"
mysql_bench -e "DROP TABLE IF EXISTS vendas_one; CREATE TABLE vendas_one LIKE vendas; INSERT INTO vendas_one SELECT * FROM vendas WHERE id = 1;"
out="$WORK/mariadb"; rm -rf "$out"; mkdir -p "$out"

COLS="'id',id,'filial_id',filial_id,'cliente_nome',cliente_nome,'produto',produto,'quantidade',quantidade,'valor_total',valor_total,'desconto',desconto,'pago',pago,'vendido_em',vendido_em,'data_fiscal',data_fiscal,'extra',extra,'updated_at',updated_at"
CLI_GZIP="mariadb -h 127.0.0.1 -u bench bench --quick -N -e \"select json_object($COLS) from vendas order by updated_at, id\" | gzip -6"
echo "MariaDB, $ROWS rows (batches of 50,000, gzip level 6 or its equivalent):" >&2
measure python /usr/bin/python3 "$SHARED/bench/py_extract_mysql.py" "$out/python"
for i in $(seq 1 "$RUNS"); do
  measure "mysql_gzip.$i" bash -c "$CLI_GZIP > '$out/mysql.jsonl.gz'"
  measure "host.$i" bash -c 'host_export "$@"' _ MariaDb "$CS" "$out/host"
  measure "pwsh.$i" bash -c 'pwsh_export "$@"' _ MariaDb "$CS" "$out/pwsh"
done
for n in mysql_gzip host pwsh; do record_median "$n"; done
for d in host pwsh; do [ "$(rows_in "$out/$d")" = "$ROWS" ] || { echo "Export-SyncBatch ($d) wrote $(rows_in "$out/$d") rows, expected $ROWS" >&2; exit 1; }; done
measure host_startup bash -c 'host_export "$@"' _ MariaDb "$CS" "$out/one" vendas_one
measure pwsh_startup bash -c 'pwsh_export "$@"' _ MariaDb "$CS" "$out/one" vendas_one

if [ "$LARGE" -gt 0 ]; then
  echo "growing vendas to $LARGE rows ..." >&2
  load "$LARGE"
  measure mysql_gzip_large bash -c "$CLI_GZIP > '$out/mysql-large.jsonl.gz'"
  measure host_large bash -c 'host_export "$@"' _ MariaDb "$CS" "$out/host-large"
  [ "$(rows_in "$out/host-large")" = "$LARGE" ] || { echo "large export row count is wrong" >&2; exit 1; }
fi

cat <<REPORT
== MariaDB export, $ROWS rows (median of $RUNS)          wall      CPU     peak    output
Python baseline (pymysql SSDictCursor + json + gzip)  $(seconds_of python) s  $(cpu_of python) s  $(mb_of python) MB
mariadb --quick json_object | gzip -6                 $(seconds_of mysql_gzip) s  $(cpu_of mysql_gzip) s  $(mb_of mysql_gzip) MB  $(mb_file "$out/mysql.jsonl.gz")
Export-SyncBatch, bundled host (Optimal)              $(seconds_of host) s  $(cpu_of host) s  $(mb_of host) MB  $(mb_file "$out"/host/*.gz)
Export-SyncBatch, pwsh 7.6.9 (Optimal)                $(seconds_of pwsh) s  $(cpu_of pwsh) s  $(mb_of pwsh) MB  $(mb_file "$out"/pwsh/*.gz)
start-up alone (one-row table): host $(seconds_of host_startup) s wall, $(cpu_of host_startup) s CPU; pwsh $(seconds_of pwsh_startup) s wall, $(cpu_of pwsh_startup) s CPU
speed-up over Python (host):      $(ratio python host)
ours / mariadb|gzip, wall:        host $(ratio host mysql_gzip), pwsh $(ratio pwsh mysql_gzip)   (bar: <= 0.70x)
ours / mariadb|gzip, CPU seconds: host $(cpu_ratio host mysql_gzip), pwsh $(cpu_ratio pwsh mysql_gzip)   (bar: <= 1.00x)
REPORT
if [ "$LARGE" -gt 0 ]; then
  echo "mariadb | gzip -6, $LARGE rows          $(seconds_of mysql_gzip_large) s  $(cpu_of mysql_gzip_large) s CPU"
  echo "Export-SyncBatch (host), $LARGE rows    $(seconds_of host_large) s  $(cpu_of host_large) s CPU  $(mb_of host_large) MB peak   (bar: < 200 MB and flat)"
  echo "ours / mariadb|gzip at $LARGE rows, wall: $(ratio host_large mysql_gzip_large)"
fi
exit 0
