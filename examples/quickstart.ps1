<#
.SYNOPSIS
    The DataSyncPS main job on the embedded demo source: a SQLite database exported incrementally
    into gzip JSONL batches in a local folder.
.DESCRIPTION
    Runs twice: the first export writes every row; the second finds nothing new, because the
    stream's watermark (in the state store) says where the first one stopped.
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
'First run: every row of vendas'
$source | Export-SyncBatch @export | Out-Default

'Second run: only rows changed since the first (none)'
$batches = @($source | Export-SyncBatch @export)
"{0} new batch(es). Batches are in {1}" -f $batches.Count, $OutputDirectory
