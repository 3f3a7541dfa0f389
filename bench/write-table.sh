#!/usr/bin/env bash
# Write-SyncTable benchmark, PostgreSQL: N API-shaped records (id, text, numeric, boolean, timestamptz,
# a nested object) loaded three ways into a table keyed by id: the seed's way (psycopg2, one INSERT ...
# ON CONFLICT per record, bench/py_insert_pg.py), psql \copy of the same rows as CSV into an empty
# table, and Write-SyncTable through the bundled host, from objects built in the script (as
# Get-AuvoData emits them). Bar (issue 16): at least 20x the seed's way, within 2x of psql COPY,
# memory flat. Then Write-SyncTable again on the same rows (a rerun: nothing changes).
# usage: bench/write-table.sh [rows=1000000]
source "$(dirname "$0")/lib.sh"
ROWS="${1:-1000000}"
export PGPASSWORD=bench
CS="Host=127.0.0.1;Username=bench;Password=bench;Database=bench"
psql_bench() { psql -q -h 127.0.0.1 -U bench bench "$@"; }

ensure_tools; build_host
RESULTS="$WORK/write-results.txt"; : >"$RESULTS"
CSV="$WORK/records.csv"
echo "writing $ROWS records to $CSV ..." >&2
python3 - "$ROWS" "$CSV" <<'PY'
import csv, sys, json
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["id", "nome", "valor", "ativo", "atualizado_em", "endereco"])
    for i in range(1, n + 1):
        w.writerow([i, f"Cliente São João nº {i}", f"{i % 1000}.{i % 100:02d}", "true" if i % 7 else "false",
                    f"2024-01-01T{i % 24:02d}:{i % 60:02d}:{i % 60:02d}-03:00",
                    json.dumps({"cidade": "Recife" if i % 2 == 0 else "Olinda", "cep": f"5{i % 10000:04d}-000"}, ensure_ascii=False)])
PY

cat >"$WORK/write-table.ps1" <<'PS'
param([string] $Csv, [string] $ConnectionString, [string] $Table)
$pg = Connect-SyncSource -Provider PostgreSql -ConnectionString $ConnectionString
$lines = [System.IO.File]::ReadLines($Csv).GetEnumerator()
$null = $lines.MoveNext()
$inv = [cultureinfo]::InvariantCulture
& { while ($lines.MoveNext()) {
        # The CSV's JSON column holds commas: split the five plain fields off the front.
        $f = $lines.Current.Split(',', 6)
        $id = [long]$f[0]
        [pscustomobject]@{
            id = $id; nome = $f[1]; valor = [decimal]::Parse($f[2], $inv); ativo = $f[3] -eq 'true'
            atualizado_em = [datetimeoffset]::Parse($f[4], $inv)
            endereco = [pscustomobject]@{ cidade = $(if ($id % 2 -eq 0) { 'Recife' } else { 'Olinda' }); cep = '5{0:0000}-000' -f ($id % 10000) }
        }
    } } | Write-SyncTable -Source $pg -Table $Table -Key id -CreateTable -BatchSize 20000 |
    ForEach-Object { $script:ins += $_.Inserted; $script:upd += $_.Updated; $script:same += $_.Unchanged }
"inserted $script:ins updated $script:upd unchanged $script:same"
PS

psql_bench -c "DROP TABLE IF EXISTS wt_python, wt_copy, wt_host" 2>&1 | grep -v NOTICE || true
echo "PostgreSQL, $ROWS records:" >&2
measure python /usr/bin/python3 "$BENCH_DIR/py_insert_pg.py" "$CSV" wt_python
psql_bench -c "CREATE TABLE wt_copy (id bigint PRIMARY KEY, nome text, valor numeric, ativo boolean, atualizado_em timestamptz, endereco jsonb)"
measure psql_copy psql -q -h 127.0.0.1 -U bench bench -c "\\copy wt_copy FROM '$CSV' CSV HEADER"
measure host dotnet "$HOST_DIR/DataSyncPS.Host.dll" -File "$WORK/write-table.ps1" -Csv "$CSV" -ConnectionString "$CS" -Table wt_host
measure host_rerun dotnet "$HOST_DIR/DataSyncPS.Host.dll" -File "$WORK/write-table.ps1" -Csv "$CSV" -ConnectionString "$CS" -Table wt_host
cat "$WORK/host.out" "$WORK/host_rerun.out" >&2
for t in wt_python wt_copy wt_host; do
  n=$(psql_bench -At -c "SELECT count(*) FROM $t")
  [ "$n" = "$ROWS" ] || { echo "$t has $n rows, expected $ROWS" >&2; exit 1; }
done
echo >&2
echo "Write-SyncTable vs the seed's way: $(awk -v a="$(seconds_of python)" -v b="$(seconds_of host)" 'BEGIN { printf "%.1fx", a / b }') (bar: 20x)" >&2
echo "Write-SyncTable vs psql COPY: $(ratio host psql_copy) the time (bar: within 2x)" >&2
echo "peak memory: host $(mb_of host) MB, rerun $(mb_of host_rerun) MB" >&2
