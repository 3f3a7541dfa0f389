#!/usr/bin/env bash
# Export + send benchmark: Export-SyncBatch alone, then Export-SyncBatch | Send-DataSnapBatch into the
# DataSnap emulator (real presigned PUTs straight to s3rver, as to a real S3: the emulator's checking
# proxy is a fault-injection instrument and would add its own CPU on these 2 cores), same table, one run.
# The send side should add under 25% to the export time: uploads overlap with extraction.
# Needs the servers of .ci/servers.sh (PostgreSQL user bench/bench, s3rver).
# usage: bench/export-send.sh [rows=1000000]
source "$(dirname "$0")/lib.sh"
ROWS="${1:-1000000}"
CS="Host=127.0.0.1;Username=bench;Password=bench;Database=bench"
PORT=5097
export PGPASSWORD=bench

ensure_tools; build_host
RESULTS="$WORK/send-results.txt"; : >"$RESULTS"

echo "building and starting the DataSnap emulator on port $PORT ..." >&2
dotnet build "$REPO/tests/DataSyncPS.Emulators" -c Release -o "$WORK/emulator" -v q -nologo >/dev/null
dotnet "$WORK/emulator/DataSyncPS.Emulators.dll" datasnap --port $PORT --api-key bench-key --bucket bench --direct-s3 --quiet >"$WORK/emulator.log" 2>&1 &
EMULATOR=$!
trap 'kill $EMULATOR 2>/dev/null || true' EXIT
for i in $(seq 1 60); do curl -fs -H 'X-API-Key: bench-key' "http://127.0.0.1:$PORT/api/schemas/vendas" >/dev/null && break; sleep 0.5; done

echo "loading vendas: $ROWS rows ..." >&2
psql -q -h 127.0.0.1 -U bench bench -v rows="$ROWS" -f "$SHARED/bench/seed_pg.sql" 2>&1 | grep -v NOTICE || true
out="$WORK/send"; rm -rf "$out"; mkdir -p "$out"

host_export_send() {
  DATASYNC_KEY=bench-key dotnet "$HOST_DIR/DataSyncPS.Host.dll" -Command "
    \$key = [System.Net.NetworkCredential]::new('', \$env:DATASYNC_KEY).SecurePassword
    \$n = 0
    Connect-SyncSource -Provider PostgreSql -ConnectionString '$1' |
      Export-SyncBatch -Table vendas -Incremental -CursorColumn updated_at -OutputDirectory '$2' -StatePath '$2/state.db' |
      Send-DataSnapBatch -Schema vendas -ApiUrl http://127.0.0.1:$PORT/api -ApiKey \$key -StatePath '$2/state.db' |
      ForEach-Object { \$n += \$_.Rows }
    \"\$n rows confirmed\""
}
export -f host_export_send
export PORT

echo "PostgreSQL, $ROWS rows:" >&2
measure export_only bash -c 'host_export "$@"' _ PostgreSql "$CS" "$out/export"
measure export_send bash -c 'host_export_send "$@"' _ "$CS" "$out/send"
grep -q "$ROWS rows confirmed" "$WORK/export_send.out" || { echo "not every row was confirmed:" >&2; cat "$WORK/export_send.out" >&2; exit 1; }
confirmed=$(curl -fs "http://127.0.0.1:$PORT/_emulator/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["confirmed_rows"].get("vendas", 0))')

cat <<REPORT
== Export + send to DataSnap (emulator + s3rver), $ROWS rows
Export-SyncBatch alone                         $(seconds_of export_only) s   $(mb_of export_only) MB
Export-SyncBatch | Send-DataSnapBatch          $(seconds_of export_send) s   $(mb_of export_send) MB
rows confirmed by the emulator                 $confirmed
send side adds: $(awk -v a="$(seconds_of export_send)" -v b="$(seconds_of export_only)" 'BEGIN { printf "%.0f%%", (a / b - 1) * 100 }')   (bar: < 25%)
REPORT
