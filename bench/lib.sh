# Shared by the benchmark scripts: build the host once, time a command with its peak memory, print ratios.
# Source it; needs GNU time (/usr/bin/time, Debian package "time").
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
SHARED="$(cd "$REPO/../shared" && pwd)"
WORK="$BENCH_DIR/.work"
HOST_DIR="$WORK/host"
mkdir -p "$WORK"

ensure_tools() {
  local need=()
  [ -x /usr/bin/time ] || need+=(time)
  /usr/bin/python3 -c 'import psycopg2, pymysql' 2>/dev/null || need+=(python3-psycopg2 python3-pymysql)
  if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; fi
}

# The host as a server would install it: published ReadyToRun for this platform (PowerShell's engine
# comes as IL; precompiled, the host starts in 0.3 s instead of 0.7 s). The module stays platform-neutral.
build_host() {
  echo "publishing the host (Release, ReadyToRun) ..." >&2
  local rid; rid="$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')"
  rm -rf "$HOST_DIR"
  dotnet publish "$REPO/src/DataSyncPS.Host" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
    -o "$HOST_DIR" -v q -nologo >/dev/null
}

# measure NAME COMMAND... : runs the command, records wall seconds and peak RSS (MB) in $RESULTS
measure() {
  local name="$1"; shift
  local stats="$WORK/time.$$"
  /usr/bin/time -f "%e %M" -o "$stats" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || {
    echo "FAILED: $name" >&2; cat "$WORK/$name.err" >&2; return 1; }
  read -r secs kb <"$stats"
  printf '%s %s %s\n' "$name" "$secs" "$((kb / 1024))" >>"$RESULTS"
  printf '  %-34s %8.2f s %8d MB peak\n' "$name" "$secs" "$((kb / 1024))" >&2
}

seconds_of() { awk -v n="$1" '$1 == n { print $2 }' "$RESULTS"; }
mb_of() { awk -v n="$1" '$1 == n { print $3 }' "$RESULTS"; }
ratio() { awk -v a="$(seconds_of "$1")" -v b="$(seconds_of "$2")" 'BEGIN { printf "%.2fx", a / b }'; }

# host_export PROVIDER CONNECTION_STRING OUTDIR : Export-SyncBatch through the bundled host, gzip -6 equivalent
host_export() {
  dotnet "$HOST_DIR/DataSyncPS.Host.dll" -Command "
    \$src = Connect-SyncSource -Provider $1 -ConnectionString '$2'
    \$n = 0; \$src | Export-SyncBatch -Table vendas -Incremental -CursorColumn updated_at -OutputDirectory '$3' -StatePath '$3/state.db' -CompressionLevel Optimal | ForEach-Object { \$n += \$_.Rows }
    \"\$n rows\""
}

export -f host_export
export HOST_DIR

rows_in() { zcat "$1"/*.jsonl.gz 2>/dev/null | wc -l; }
