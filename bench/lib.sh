# Shared by the benchmark scripts: build the host once, time a command with its peak memory, print ratios.
# Source it; needs GNU time (/usr/bin/time, Debian package "time").
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
# ../shared beside the repository, or SHARED= / BENCH_SHARED= / DATASYNC_SHARED= (a git worktree lives elsewhere)
SHARED="$(cd "${SHARED:-${BENCH_SHARED:-${DATASYNC_SHARED:-$REPO/../shared}}}" && pwd)"
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

# pwsh as admins run it: PowerShell 7.6.9 from the dotnet tool feed, in the work folder.
PWSH="$WORK/pwsh/pwsh"
ensure_pwsh() {
  [ -x "$PWSH" ] || dotnet tool install --tool-path "$WORK/pwsh" PowerShell --version 7.6.9 >/dev/null
}

# measure NAME COMMAND... : runs the command; records wall seconds, CPU seconds (user + system of the
# command and every process it waited for, so both sides of a pipe) and peak RSS (MB) in $RESULTS.
measure() {
  local name="$1"; shift
  local stats="$WORK/time.$$"
  /usr/bin/time -f "%e %U %S %M" -o "$stats" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || {
    echo "FAILED: $name" >&2; cat "$WORK/$name.err" >&2; return 1; }
  read -r secs user sys kb <"$stats"
  local cpu; cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  printf '%s %s %s %s\n' "$name" "$secs" "$((kb / 1024))" "$cpu" >>"$RESULTS"
  printf '  %-34s %8.2f s %8.2f s CPU %6d MB peak\n' "$name" "$secs" "$cpu" "$((kb / 1024))" >&2
}

# record_median NAME : records as NAME the median wall, peak and CPU of runs NAME.1, NAME.2, ...
# (the runs of the commands compared are interleaved, so a drift of the machine's speed hits all alike)
record_median() {
  local name="$1"
  awk -v n="$name" '$1 ~ "^" n "\\.[0-9]+$" { w[++k] = $2; m[k] = $3; c[k] = $4 }
    END { asort(w); asort(m); asort(c); h = int((k + 1) / 2); print n, w[h], m[h], c[h] }' "$RESULTS" >>"$RESULTS"
}

seconds_of() { awk -v n="$1" '$1 == n { print $2 }' "$RESULTS"; }
mb_of() { awk -v n="$1" '$1 == n { print $3 }' "$RESULTS"; }
cpu_of() { awk -v n="$1" '$1 == n { print $4 }' "$RESULTS"; }
ratio() { awk -v a="$(seconds_of "$1")" -v b="$(seconds_of "$2")" 'BEGIN { printf "%.2fx", a / b }'; }
cpu_ratio() { awk -v a="$(cpu_of "$1")" -v b="$(cpu_of "$2")" 'BEGIN { printf "%.2fx", a / b }'; }
mb_file() { du -cb "$@" 2>/dev/null | awk 'END { printf "%.1f MB", $1 / 1e6 }'; }

# export_script PROVIDER CONNECTION_STRING OUTDIR [TABLE] : the script both runners run, gzip -6 equivalent
export_script() {
  echo "\$src = Connect-SyncSource -Provider $1 -ConnectionString '$2'
    \$n = 0; \$src | Export-SyncBatch -Table ${4:-vendas} -Incremental -CursorColumn updated_at -OutputDirectory '$3' -StatePath '$3/state.db' -CompressionLevel Optimal | ForEach-Object { \$n += \$_.Rows }
    \"\$n rows\""
}

# host_export PROVIDER CONNECTION_STRING OUTDIR [TABLE] : Export-SyncBatch through the bundled host
host_export() { rm -rf "$3"; dotnet "$HOST_DIR/DataSyncPS.Host.dll" -Command "$(export_script "$@")"; }

# pwsh_export PROVIDER CONNECTION_STRING OUTDIR [TABLE] : the same in pwsh 7.6.9, importing the same module folder
pwsh_export() { rm -rf "$3"; "$PWSH" -NoProfile -NonInteractive -Command "Import-Module '$HOST_DIR/DataSyncPS/DataSyncPS.psd1'; $(export_script "$@")"; }

export -f export_script host_export pwsh_export
export HOST_DIR PWSH

rows_in() { zcat "$1"/*.jsonl.gz 2>/dev/null | wc -l; }

# copy_script PROVIDER SOURCE_CS TARGET_CS [OPTIONS] : Copy-DbStructure of vendas (structure and rows),
# as an admin runs it; prints the rows copied and whether the run validated.
copy_script() {
  echo "\$src = Connect-SyncSource -Provider $1 -ConnectionString '$2'
    \$dst = Connect-SyncSource -Provider $1 -ConnectionString '$3'
    \$r = Copy-DbStructure \$src \$dst -Table vendas -IncludeData vendas -Confirm:\$false ${4:-}
    \"\$(\$r.RowsCopied) rows, validated \$(\$r.Validated), \$(\$r.Tables[0].Ranges) range(s), copy \$([int]\$r.Tables[0].Duration.TotalMilliseconds) ms, whole run \$([int]\$r.Duration.TotalMilliseconds) ms\""
}

# host_copy PROVIDER SOURCE_CS TARGET_CS [OPTIONS] : Copy-DbStructure through the bundled host
host_copy() { dotnet "$HOST_DIR/DataSyncPS.Host.dll" -Command "\$ErrorActionPreference = 'Stop'; $(copy_script "$@")"; }

export -f copy_script host_copy

# copy_runs PROVIDER DATABASE... : what both copy benchmarks time, with the calling script's fresh_db, cs,
# count and load, and its CLI, ROWS, LARGE and RUNS: RUNS interleaved runs of the CLI, the host and the
# host with -Parallel 2 (medians recorded), each DATABASE then checked for ROWS rows; when LARGE > 0,
# vendas grown to LARGE rows and copied once by the CLI and once by the host, for flat memory.
copy_runs() {
  local provider="$1" i n d; shift
  for i in $(seq 1 "$RUNS"); do
    fresh_db bench_copy_cli; measure "cli.$i" bash -c "$CLI"
    fresh_db bench_copy_ours; measure "host.$i" bash -c 'host_copy "$@"' _ "$provider" "$(cs bench_copy_src)" "$(cs bench_copy_ours)"
    fresh_db bench_copy_par; measure "host_p2.$i" bash -c 'host_copy "$@"' _ "$provider" "$(cs bench_copy_src)" "$(cs bench_copy_par)" "-Parallel 2"
  done
  for n in cli host host_p2; do record_median "$n"; done
  for d in "$@"; do
    [ "$(count $d)" = "$ROWS" ] || { echo "$d has $(count $d) rows, expected $ROWS" >&2; exit 1; }
  done
  cat "$WORK/host.$RUNS.out" "$WORK/host_p2.$RUNS.out" >&2

  if [ "$LARGE" -gt 0 ]; then
    echo "growing vendas to $LARGE rows ..." >&2
    load "$LARGE"
    fresh_db bench_copy_cli; measure cli_large bash -c "$CLI"
    fresh_db bench_copy_ours; measure host_large bash -c 'host_copy "$@"' _ "$provider" "$(cs bench_copy_src)" "$(cs bench_copy_ours)"
    [ "$(count bench_copy_ours)" = "$LARGE" ] || { echo "large copy row count is wrong" >&2; exit 1; }
  fi
}
