<#
.SYNOPSIS
    The DataSyncPS main job on the embedded demo source: a SQLite database exported incrementally
    into gzip JSONL batches in a local folder.
.DESCRIPTION
    Exports twice: the first export writes every row (on a rerun with the same state, only rows
    changed since); the second finds nothing new, because the stream's watermark (in the state
    store) says where the first one stopped.
    Runs under pwsh 7.4+ or the bundled host:
        dotnet run --project src/DataSyncPS.Host -c Release -- -File examples/quickstart.ps1
.PARAMETER OutputDirectory
    Where the batch files go (the outbox). Default: a folder under the system temp directory.
#>
param(
    [string] $OutputDirectory = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'datasyncps-quickstart', 'batches'),
    [string] $StatePath = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'datasyncps-quickstart', 'state.db')
)
$ErrorActionPreference = 'Stop'

$demo = [System.IO.Path]::Combine($PSScriptRoot, 'data', 'demo.sqlite')
$source = Connect-SyncSource -Provider Sqlite -Path $demo -Name demo
$source | Out-Default

$export = @{
    Table           = 'vendas'
    Incremental     = $true
    CursorColumn    = 'updated_at'
    BatchSize       = 500
    OutputDirectory = $OutputDirectory
    StatePath       = $StatePath
}
# The stream's first export writes every row; later ones only rows changed since the one before
# (the watermark in the state store says where that one stopped). The heading says which this was.
$before = @(if ([System.IO.File]::Exists($StatePath)) {
    Get-SyncState vendas -StatePath $StatePath -ErrorAction Ignore | Where-Object { $_.Source -eq $source.Identity -and $_.Watermark }
})
$batches = @($source | Export-SyncBatch @export)
$rows = 0
foreach ($batch in $batches) { $rows += $batch.Rows }
if ($batches.Count -eq 0) {
    "Nothing new in vendas since the last run (its watermark is in $StatePath)"
} elseif ($before.Count -eq 0) {
    'First run: every row of vendas ({0:N0} rows in {1} batch(es))' -f $rows, $batches.Count
} else {
    'Rows of vendas changed since the last run: {0:N0} in {1} batch(es)' -f $rows, $batches.Count
}
$batches | Out-Default
if ($batches.Count) {
    # A row as the batch file holds it: exact decimals, booleans, timestamps with their offset, dates, JSON as JSON.
    $gzip = [System.IO.Compression.GZipStream]::new([System.IO.File]::OpenRead($batches[0].Path), [System.IO.Compression.CompressionMode]::Decompress)
    $reader = [System.IO.StreamReader]::new($gzip)
    try { 'Its first row, as {0} holds it:' -f [System.IO.Path]::GetFileName($batches[0].Path); $reader.ReadLine() }
    finally { $reader.Dispose() }
    ''
}

'The state store now knows the stream (Get-SyncState):'
Get-SyncState vendas -StatePath $StatePath | Where-Object Source -EQ $source.Identity | Out-Default

'Again at once: only rows changed since the export above (none)'
$again = @($source | Export-SyncBatch @export)
"{0} new batch(es). Batches are in {1}" -f $again.Count, $OutputDirectory
