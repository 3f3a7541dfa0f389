#!/usr/bin/env bash
# Copy benchmark, MariaDB: the vendas table (../shared/bench/seed_mysql.sql) copied, structure and rows,
# from bench_copy_src into an empty database, in one run: the seed's way (ReplicOOP: LIMIT/OFFSET pages
# of 1,000 and executemany INSERTs, ../shared/bench/py_copy_mysql.py, once), the best CLI way
# (mariadb-dump vendas | mariadb), and Copy-DbStructure through the bundled host (with its safety
# backup of the target), without -Parallel and with -Parallel 2. Three interleaved runs of the CLI and
# ours, medians; then the CLI and the host on a larger table, for flat memory. Whole processes; CPU is
# user + system of every process of the command (both sides of the CLI's pipe), not the server's.
# Needs the servers of .ci/servers.sh and root (to create the bench_copy_* databases for user bench).
# usage: bench/copy-mariadb.sh [rows=1000000] [large_rows=5000000] [runs=3]
source "$(dirname "$0")/lib.sh"
ROWS="${1:-1000000}"; LARGE="${2:-5000000}"; RUNS="${3:-3}"
export MYSQL_PWD=bench
cs() { echo "Server=127.0.0.1;User ID=bench;Password=bench;Database=$1"; }
as_bench() { mariadb -h 127.0.0.1 -u bench "$@"; }
fresh_db() { mariadb -e "DROP DATABASE IF EXISTS $1; CREATE DATABASE $1 CHARACTER SET utf8mb4"; }
count() { as_bench "$1" -Nse "SELECT COUNT(*) FROM vendas"; }
DUMP=$(command -v mariadb-dump || command -v mysqldump)
CLI="$DUMP -h 127.0.0.1 -u bench --single-transaction bench_copy_src vendas | mariadb -h 127.0.0.1 -u bench bench_copy_cli"

# The seed's recursive CTE stops at 2,000,000 iterations: larger tables are grown by copying.
load() {
  local want="$1" base=$(( $1 < 1000000 ? $1 : 1000000 ))
  { echo "SET @rows=$base;"; cat "$SHARED/bench/seed_mysql.sql"; } | as_bench bench_copy_src
  local have=$base
  while [ "$have" -lt "$want" ]; do
    local add=$(( want - have < base ? want - have : base ))
    as_bench bench_copy_src -e "INSERT INTO vendas SELECT id + $have, filial_id, cliente_nome, produto, quantidade, valor_total, desconto, pago,
      vendido_em, data_fiscal, extra, updated_at + INTERVAL $have SECOND FROM vendas WHERE id <= $add"
    have=$(( have + add ))
  done
}

ensure_tools
# BENCH_REUSE_HOST=1 keeps a host published by an earlier run (publishing takes minutes on a busy machine).
[ -n "${BENCH_REUSE_HOST:-}" ] && [ -f "$HOST_DIR/DataSyncPS.Host.dll" ] || build_host
RESULTS="$WORK/mariadb-copy-results.txt"; : >"$RESULTS"
export DATASYNCPS_HOME="$WORK/copy-home"; rm -rf "$DATASYNCPS_HOME"
for d in bench_copy_src bench_copy_seed bench_copy_cli bench_copy_ours bench_copy_par; do fresh_db $d; done
mariadb -e "GRANT ALL PRIVILEGES ON \`bench\\_copy\\_%\`.* TO 'bench'@'127.0.0.1'; GRANT ALL PRIVILEGES ON \`bench\\_copy\\_%\`.* TO 'bench'@'localhost'"

echo "loading vendas into bench_copy_src: $ROWS rows ..." >&2
load "$ROWS"

echo "MariaDB copy of vendas, $ROWS rows:" >&2
measure seed /usr/bin/python3 "$SHARED/bench/py_copy_mysql.py" bench_copy_src bench_copy_seed vendas
copy_runs MariaDb bench_copy_seed bench_copy_cli bench_copy_ours bench_copy_par

cat <<REPORT
== MariaDB copy of vendas, $ROWS rows (median of $RUNS; the seed's way once)   wall      CPU     peak
the seed's way (LIMIT/OFFSET 1,000 + executemany)     $(seconds_of seed) s  $(cpu_of seed) s  $(mb_of seed) MB
$(basename "$DUMP") vendas | mariadb                        $(seconds_of cli) s  $(cpu_of cli) s  $(mb_of cli) MB
Copy-DbStructure, host (with safety backup)           $(seconds_of host) s  $(cpu_of host) s  $(mb_of host) MB
Copy-DbStructure, host, -Parallel 2                   $(seconds_of host_p2) s  $(cpu_of host_p2) s  $(mb_of host_p2) MB
ours / CLI, wall:            $(ratio host cli) (-Parallel 2: $(ratio host_p2 cli))   (bar: <= 1.00x)
the seed's way / ours, wall: $(ratio seed host) (-Parallel 2: $(ratio seed host_p2))   (bar: >= 15x)
REPORT
if [ "$LARGE" -gt 0 ]; then
  echo "$(basename "$DUMP") | mariadb, $LARGE rows           $(seconds_of cli_large) s  $(cpu_of cli_large) s CPU"
  echo "Copy-DbStructure (host), $LARGE rows          $(seconds_of host_large) s  $(cpu_of host_large) s CPU  $(mb_of host_large) MB peak   (bar: flat)"
  echo "ours / CLI at $LARGE rows, wall:               $(ratio host_large cli_large)"
fi
for d in bench_copy_src bench_copy_seed bench_copy_cli bench_copy_ours bench_copy_par; do mariadb -e "DROP DATABASE IF EXISTS $d"; done
