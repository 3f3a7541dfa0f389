#!/usr/bin/env bash
# Sync-Plusoft benchmark: N Vendas rows (the seed's vendas table, ../shared/bench/seed_pg.sql, behind a
# Consinco-shaped view) sent through the bundled host to the Plusoft emulator in batches of 1,000, with
# the module's default mapping; prints rows/s and the host's peak memory, and checks that the emulator
# received every row. The table and view live in a schema of their own (plusoft_bench), so the export
# benchmarks' vendas table is left alone.
# usage: bench/plusoft.sh [rows=1000000]
#   BENCH_PG_CS / BENCH_PG_URL: another database (default: user bench/bench, database bench on 127.0.0.1)
source "$(dirname "$0")/lib.sh"
ROWS="${1:-1000000}"
CS="${BENCH_PG_CS:-Host=127.0.0.1;Username=bench;Password=bench;Database=bench}"
URL="${BENCH_PG_URL:-postgresql://bench:bench@127.0.0.1/bench}"
psql_bench() { psql -q -X -v ON_ERROR_STOP=1 "$URL" "$@"; }

[ -x /usr/bin/time ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
build_host
echo "building the emulators ..." >&2
dotnet build "$REPO/tests/DataSyncPS.Emulators" -c Release -v q -nologo >/dev/null
RESULTS="$WORK/plusoft-results.txt"; : >"$RESULTS"

echo "loading $ROWS rows into plusoft_bench.vendas ..." >&2
psql_bench -c "DROP SCHEMA IF EXISTS plusoft_bench CASCADE; CREATE SCHEMA plusoft_bench" 2>&1 | grep -v NOTICE || true
PGOPTIONS="-c search_path=plusoft_bench" psql_bench -v rows="$ROWS" -f "$SHARED/bench/seed_pg.sql" 2>&1 | grep -v NOTICE || true
# The view as Consinco would show a sale's item: one item per sale, the sale's time as its date; the
# index serves the keyset (DTAVDA, NROEMPRESA, NUMERODF, SEQITEM) of the default mapping.
psql_bench <<'SQL'
CREATE INDEX ON plusoft_bench.vendas (vendido_em, filial_id, id);
CREATE VIEW plusoft_bench."VW_PLUSOFT_VENDA" AS
SELECT filial_id AS "NROEMPRESA", id AS "NUMERODF", '1'::varchar(3) AS "SERIEDF", 1 AS "SEQITEM", vendido_em AS "DTAVDA",
       id % 5000 + 1 AS "SEQPRODUTO", CASE WHEN cliente_nome IS NULL THEN NULL ELSE id % 100000 + 1 END AS "SEQPESSOA",
       quantidade::numeric(12,3) AS "QTDITEM", round(valor_total / quantidade, 2) AS "VLRITEM", valor_total AS "VLRTOTAL", desconto AS "VLRDESCONTO"
FROM plusoft_bench.vendas;
ANALYZE plusoft_bench.vendas;
SQL

MAPPING="$WORK/plusoft-mapping.psd1"
sed "s/'VW_PLUSOFT_/'plusoft_bench.VW_PLUSOFT_/" "$REPO/module/Mappings/Plusoft.psd1" >"$MAPPING"

EMULATOR_LOG="$WORK/plusoft-emulator.log"
dotnet "$REPO/tests/DataSyncPS.Emulators/bin/Release/net10.0/DataSyncPS.Emulators.dll" plusoft --port 0 --count-only --quiet >"$EMULATOR_LOG" 2>&1 &
EMULATOR_PID=$!
trap 'kill $EMULATOR_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q 'Ctrl+C stops it' "$EMULATOR_LOG" 2>/dev/null && break; sleep 0.2; done
API=$(awk '/API base URL/ { print $4 }' "$EMULATOR_LOG")
CONTROL=$(awk '/test control/ { print $3 }' "$EMULATOR_LOG")
export PLUSOFT_BENCH_TOKEN=$(awk '/API token/ { print $3 }' "$EMULATOR_LOG")
[ -n "$API" ] || { echo "the Plusoft emulator did not start: $(cat "$EMULATOR_LOG")" >&2; exit 1; }

cat >"$WORK/plusoft-sync.ps1" <<'PS'
param([string] $ConnectionString, [string] $ApiUrl, [string] $MappingPath, [string] $StatePath)
$ErrorActionPreference = 'Stop'
$token = [System.Net.NetworkCredential]::new('', $env:PLUSOFT_BENCH_TOKEN).SecurePassword
$src = Connect-SyncSource -Provider PostgreSql -ConnectionString $ConnectionString
$summary = $src | Sync-Plusoft Vendas -ApiUrl $ApiUrl -ApiKey $token -MappingPath $MappingPath -StatePath $StatePath -BatchSize 1000 |
    Where-Object { $_.PSObject.TypeNames[0] -eq 'DataSyncPS.PlusoftSyncSummary' }
"$($summary.Rows) rows in $($summary.Batches) batches, $($summary.Rejected) rejected"
PS

rm -rf "$WORK/plusoft-state.db" "$WORK/plusoft-state.db"-* "$WORK/plusoft-state.db.locks"
echo "Sync-Plusoft Vendas, $ROWS rows, batches of 1,000, to the emulator:" >&2
measure plusoft_host dotnet "$HOST_DIR/DataSyncPS.Host.dll" -File "$WORK/plusoft-sync.ps1" -ConnectionString "$CS" -ApiUrl "$API" \
  -MappingPath "$MAPPING" -StatePath "$WORK/plusoft-state.db"
cat "$WORK/plusoft_host.out" >&2
received=$(curl -s "$CONTROL/stats" | python3 -c 'import json, sys; print(json.load(sys.stdin)["entities"]["vendas"]["records"])')
[ "$received" = "$ROWS" ] || { echo "the emulator received $received rows, expected $ROWS" >&2; exit 1; }
echo >&2
echo "Sync-Plusoft: $(awk -v n="$ROWS" -v s="$(seconds_of plusoft_host)" 'BEGIN { printf "%.0f", n / s }') rows/s ($(seconds_of plusoft_host) s, $(cpu_of plusoft_host) s CPU), peak memory $(mb_of plusoft_host) MB; the emulator received $received rows" >&2
psql_bench -c "DROP SCHEMA plusoft_bench CASCADE" 2>&1 | grep -v NOTICE || true
