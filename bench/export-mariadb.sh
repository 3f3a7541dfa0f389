#!/usr/bin/env bash
# Export benchmark, MariaDB: a Python (pymysql, seed style) baseline, mysql --quick | gzip -6, and
# Export-SyncBatch through the bundled host, on the same table in one run; then the host alone on a
# 5x larger table for flat memory. Needs the servers of .ci/servers.sh (user bench/bench).
# usage: bench/export-mariadb.sh [rows=1000000] [large_rows=5000000]
source "$(dirname "$0")/lib.sh"
ROWS="${1:-1000000}"; LARGE="${2:-5000000}"
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

ensure_tools; build_host
RESULTS="$WORK/mariadb-results.txt"; : >"$RESULTS"

echo "loading vendas: $ROWS rows ..." >&2
load "$ROWS"
out="$WORK/mariadb"; rm -rf "$out"; mkdir -p "$out"

COLS="'id',id,'filial_id',filial_id,'cliente_nome',cliente_nome,'produto',produto,'quantidade',quantidade,'valor_total',valor_total,'desconto',desconto,'pago',pago,'vendido_em',vendido_em,'data_fiscal',data_fiscal,'extra',extra,'updated_at',updated_at"
echo "MariaDB, $ROWS rows (batches of 50,000, gzip level 6):" >&2
measure python /usr/bin/python3 "$SHARED/bench/py_extract_mysql.py" "$out/python"
measure mysql_gzip bash -c "mariadb -h 127.0.0.1 -u bench bench --quick -N -e \"select json_object($COLS) from vendas order by updated_at, id\" | gzip -6 > '$out/mysql.jsonl.gz'"
measure export_syncbatch bash -c 'host_export "$@"' _ MariaDb "$CS" "$out/host"
[ "$(rows_in "$out/host")" = "$ROWS" ] || { echo "Export-SyncBatch wrote $(rows_in "$out/host") rows, expected $ROWS" >&2; exit 1; }

if [ "$LARGE" -gt 0 ]; then
  echo "growing vendas to $LARGE rows ..." >&2
  load "$LARGE"
  measure mysql_gzip_large bash -c "mariadb -h 127.0.0.1 -u bench bench --quick -N -e \"select json_object($COLS) from vendas order by updated_at, id\" | gzip -6 > '$out/mysql-large.jsonl.gz'"
  measure export_syncbatch_large bash -c 'host_export "$@"' _ MariaDb "$CS" "$out/host-large"
  [ "$(rows_in "$out/host-large")" = "$LARGE" ] || { echo "large export row count is wrong" >&2; exit 1; }
fi

cat <<REPORT
== MariaDB export, $ROWS rows
Python baseline (pymysql SSDictCursor + json + gzip)  $(seconds_of python) s   $(mb_of python) MB
mariadb --quick json_object | gzip -6                 $(seconds_of mysql_gzip) s   $(mb_of mysql_gzip) MB
Export-SyncBatch (host, Optimal = level 6)            $(seconds_of export_syncbatch) s   $(mb_of export_syncbatch) MB
speed-up over Python:        $(ratio python export_syncbatch)   (bar: >= 3x)
mariadb|gzip time / ours:    $(ratio mysql_gzip export_syncbatch)   (bar: >= 1.00x)
REPORT
if [ "$LARGE" -gt 0 ]; then
  echo "mariadb | gzip -6, $LARGE rows      $(seconds_of mysql_gzip_large) s"
  echo "Export-SyncBatch, $LARGE rows   $(seconds_of export_syncbatch_large) s   $(mb_of export_syncbatch_large) MB   (bar: peak < 200 MB and flat)"
  echo "mariadb|gzip time / ours at $LARGE rows: $(ratio mysql_gzip_large export_syncbatch_large)"
fi
exit 0
