#!/usr/bin/env bash
# Write-SyncTable benchmark, PostgreSQL: N API-shaped records (id, text, numeric, boolean, timestamptz,
# a nested object) loaded three ways into a table keyed by id: the seed's way (psycopg2, one INSERT ...
# ON CONFLICT per record, bench/py_insert_pg.py), psql \copy of the same rows as CSV into an empty
# table, and Write-SyncTable through the bundled host from two producers: objects built by a script (as
# Get-AuvoData emits them: typed values, a nested object) into a table it creates, and Import-Csv (a
# compiled cmdlet: every value a string, bound into the typed columns of an existing table). Each
# producer is also timed alone into Out-Null, so Write-SyncTable's own time is shown net of it (and of
# the host's start-up, which both runs share). Bar (issue 16): at least 20x the seed's way, within 2x of
# psql COPY, memory flat. The script's nested object is an ordered hashtable: with a nested
# [pscustomobject] per record, PowerShell's own time grows faster than the record count (the script
# alone into Out-Null through this host: 200,000 records 3.7 s, 600,000 records 21.7 s; with the
# hashtable 2.8 s and 7.4 s), which would bury Write-SyncTable's time at a million. Then Write-SyncTable again on the same rows (a rerun: nothing changes), and
# both tables are compared with psql's row by row.
# usage: bench/write-table.sh [rows=1000000]
source "$(dirname "$0")/lib.sh"
ROWS="${1:-1000000}"
# The bench database by default; BENCH_PG_USER / BENCH_PG_PASSWORD / BENCH_PG_DB point elsewhere.
export BENCH_PG_USER="${BENCH_PG_USER:-bench}" BENCH_PG_DB="${BENCH_PG_DB:-bench}" BENCH_PG_PASSWORD="${BENCH_PG_PASSWORD:-bench}"
PG_USER="$BENCH_PG_USER"; PG_DB="$BENCH_PG_DB"
export PGPASSWORD="$BENCH_PG_PASSWORD"
CS="Host=127.0.0.1;Username=$PG_USER;Password=$PGPASSWORD;Database=$PG_DB"
psql_bench() { psql -q -h 127.0.0.1 -U "$PG_USER" "$PG_DB" "$@"; }

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

# The producer script; -Sink None pipes it into Out-Null instead, to time the producer alone.
cat >"$WORK/write-table.ps1" <<'PS'
param([string] $Csv, [string] $ConnectionString, [string] $Table, [string] $Sink = 'Write-SyncTable')
$pg = Connect-SyncSource -Provider PostgreSql -ConnectionString $ConnectionString
$lines = [System.IO.File]::ReadLines($Csv).GetEnumerator()
$null = $lines.MoveNext()
$inv = [cultureinfo]::InvariantCulture
$produce = { while ($lines.MoveNext()) {
        # The CSV's JSON column holds commas: split the five plain fields off the front.
        $f = $lines.Current.Split(',', 6)
        $id = [long]$f[0]
        [pscustomobject]@{
            id = $id; nome = $f[1]; valor = [decimal]::Parse($f[2], $inv); ativo = $f[3] -eq 'true'
            atualizado_em = [datetimeoffset]::Parse($f[4], $inv)
            endereco = [ordered]@{ cidade = $(if ($id % 2 -eq 0) { 'Recife' } else { 'Olinda' }); cep = '5{0:0000}-000' -f ($id % 10000) }
        }
    } }
if ($Sink -eq 'None') { & $produce | Out-Null; return }
& $produce | Write-SyncTable -Source $pg -Table $Table -Key id -CreateTable -BatchSize 20000 |
    ForEach-Object { $script:ins += $_.Inserted; $script:upd += $_.Updated; $script:same += $_.Unchanged }
"inserted $script:ins updated $script:upd unchanged $script:same"
PS

HOST=(dotnet "$HOST_DIR/DataSyncPS.Host.dll")
csv_into() { dotnet "$HOST_DIR/DataSyncPS.Host.dll" -Command "\$pg = Connect-SyncSource -Provider PostgreSql -ConnectionString '$CS'
  Import-Csv '$CSV' | Write-SyncTable -Source \$pg -Table $1 -Key id -BatchSize 20000 | ForEach-Object { \$i += \$_.Inserted; \$s += \$_.Unchanged }
  \"inserted \$i unchanged \$s\""; }
export -f csv_into; export CS CSV

psql_bench -c "DROP TABLE IF EXISTS wt_python, wt_copy, wt_host, wt_csv" 2>&1 | grep -v NOTICE || true
echo "PostgreSQL, $ROWS records:" >&2
measure python /usr/bin/python3 "$BENCH_DIR/py_insert_pg.py" "$CSV" wt_python
TABLE_DEF="(id bigint PRIMARY KEY, nome text, valor numeric, ativo boolean, atualizado_em timestamptz, endereco jsonb)"
psql_bench -c "CREATE TABLE wt_copy $TABLE_DEF; CREATE TABLE wt_csv $TABLE_DEF"
measure psql_copy psql -q -h 127.0.0.1 -U "$PG_USER" "$PG_DB" -c "\\copy wt_copy FROM '$CSV' CSV HEADER"
measure script_alone "${HOST[@]}" -File "$WORK/write-table.ps1" -Csv "$CSV" -ConnectionString "$CS" -Table wt_host -Sink None
measure host "${HOST[@]}" -File "$WORK/write-table.ps1" -Csv "$CSV" -ConnectionString "$CS" -Table wt_host
measure host_rerun "${HOST[@]}" -File "$WORK/write-table.ps1" -Csv "$CSV" -ConnectionString "$CS" -Table wt_host
measure csv_alone "${HOST[@]}" -Command "Import-Csv '$CSV' | Out-Null"
measure host_csv bash -c 'csv_into wt_csv'
measure host_csv_rerun bash -c 'csv_into wt_csv'
cat "$WORK/host.out" "$WORK/host_rerun.out" "$WORK/host_csv.out" "$WORK/host_csv_rerun.out" >&2
for t in wt_python wt_copy wt_host wt_csv; do
  n=$(psql_bench -At -c "SELECT count(*) FROM $t")
  [ "$n" = "$ROWS" ] || { echo "$t has $n rows, expected $ROWS" >&2; exit 1; }
done
for t in wt_host wt_csv; do
  d=$(psql_bench -At -c "SELECT count(*) FROM ((TABLE $t EXCEPT TABLE wt_copy) UNION ALL (TABLE wt_copy EXCEPT TABLE $t)) d")
  [ "$d" = "0" ] || { echo "$t differs from psql's COPY in $d row(s)" >&2; exit 1; }
done

# net NAME PRODUCER: NAME's wall seconds less its producer's alone (which holds the host's start-up too)
net() { awk -v a="$(seconds_of "$1")" -v b="$(seconds_of "$2")" 'BEGIN { printf "%.2f", a - b }'; }
vs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }
copy=$(seconds_of psql_copy); seed=$(seconds_of python)
echo >&2
echo "psql COPY $copy s; the seed's way $seed s (bars: 20x the seed's way, within 2x of COPY = $(awk -v c="$copy" 'BEGIN { printf "%.2f", 2 * c }') s)" >&2
for run in host:script_alone host_csv:csv_alone; do
  name=${run%%:*}; producer=${run##*:}; n=$(net "$name" "$producer")
  echo "$name: $(seconds_of "$name") s in all, $(seconds_of "$producer") s the producer alone (and start-up), $n s Write-SyncTable's own" >&2
  echo "  in all: $(vs "$seed" "$(seconds_of "$name")") the seed's speed, $(vs "$(seconds_of "$name")" "$copy") COPY's time" >&2
  echo "  Write-SyncTable's own: $(vs "$seed" "$n") the seed's speed, $(vs "$n" "$copy") COPY's time" >&2
done
echo "peak memory: host $(mb_of host) MB (producer alone $(mb_of script_alone) MB), rerun $(mb_of host_rerun) MB, Import-Csv $(mb_of host_csv) MB (alone $(mb_of csv_alone) MB)" >&2
# The tables go: the backup benchmarks dump this database and must find only vendas there.
psql_bench -c "DROP TABLE IF EXISTS wt_python, wt_copy, wt_host, wt_csv" 2>&1 | grep -v NOTICE || true
