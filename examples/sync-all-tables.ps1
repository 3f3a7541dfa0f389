<#
.SYNOPSIS
    Syncs every configured table: each source connected once, each table exported incrementally
    into a folder per source.
.DESCRIPTION
    Reads the sources and tables from a .psd1 file (sync-tables.psd1 next to this script by
    default). A table that fails is reported as a non-terminating error and the next one goes on;
    a source that cannot be connected fails all its tables. At the end a warning lists the
    failures and the script exits with code 1; with no failure it exits with 0. The SyncBatch
    objects written are the script's output, so they can be piped on.

    Runs under pwsh 7.4+ or the bundled host (pwsh's own console host with the module imported):
        dotnet run --project src/DataSyncPS.Host -c Release -- -File examples/sync-all-tables.ps1
.PARAMETER ConfigPath
    The .psd1 with the sources and tables. Default: sync-tables.psd1 next to this script.
.PARAMETER OutputDirectory
    The outbox; each source writes into a folder of its own name under it. Default: outbox in
    the DataSyncPS data folder (DATASYNCPS_HOME, else the per-user one), as Export-SyncBatch uses.
.PARAMETER StatePath
    The state store. Default: Export-SyncBatch's per-user one. Give one to scheduled jobs that
    run as a service account, and keep it the same on every run.
.PARAMETER Credential
    Credentials by the names the config uses, e.g. @{ 'erp-reader' = (Get-Credential) }. A name
    not found here is a login saved with Save-SyncSecret (what a scheduled job should use: no
    password in the script or its command line), else read with Get-Secret when SecretManagement
    is installed.
.EXAMPLE
    ./examples/sync-all-tables.ps1 -OutputDirectory D:\DataSync\outbox -StatePath D:\DataSync\state.db -Verbose
.EXAMPLE
    Save-SyncSecret -Name erp-reader -Credential (Get-Credential -UserName erp_reader)
    ./examples/sync-all-tables.ps1 -StatePath D:\DataSync\state.db
    The config's Credential = 'erp-reader' is the saved login: saved once, used by every run.
.EXAMPLE
    ./examples/sync-all-tables.ps1 -WhatIf
    Shows every export that would run; writes nothing.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $ConfigPath = [System.IO.Path]::Combine($PSScriptRoot, 'sync-tables.psd1'),
    [string] $OutputDirectory,
    [string] $StatePath,
    [hashtable] $Credential = @{}
)

# The keys a config may use: each is the Connect-SyncSource or Export-SyncBatch parameter of the same
# name. Any other key is a typo, reported before anything runs.
$sourceKeys = 'Provider', 'Server', 'Port', 'Database', 'ConnectionString', 'Path', 'TimeZone',
    'TrustServerCertificate', 'ProviderPath', 'ConnectTimeout'
$tableKeys = 'Table', 'CursorColumn', 'KeyColumn', 'LookbackSeconds', 'Stream', 'BatchSize'

function Read-SyncConfig([string] $Path) {
    # The parser's safe evaluation, as Import-PowerShellDataFile does: data only, no code runs.
    $tokens = $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $tokens, [ref] $errors)
    if ($errors) { throw "The config '$Path' does not parse: $($errors[0].Message) (line $($errors[0].Extent.StartLineNumber))." }
    $data = $ast.Find({ param($node) $node -is [System.Management.Automation.Language.HashtableAst] }, $false)
    if (-not $data) { throw "The config '$Path' holds no @{ ... } table." }
    $config = $data.SafeGetValue()
    $names = @{}
    foreach ($source in @($config.Sources)) {
        if (-not $source.Name -or $source.Name.IndexOfAny([System.IO.Path]::GetInvalidFileNameChars()) -ge 0) {
            throw "Every source in '$Path' needs a Name that can be a folder name; got '$($source.Name)'."
        }
        if ($names.ContainsKey($source.Name)) { throw "Two sources in '$Path' are named '$($source.Name)'." }
        $names[$source.Name] = $true
        foreach ($key in $source.Keys) {
            if ($key -notin $sourceKeys -and $key -notin 'Name', 'Credential', 'Tables') { throw "Source '$($source.Name)' in '$Path' has an unknown key '$key'." }
        }
        foreach ($table in @($source.Tables)) {
            if (-not $table.Table) { throw "A table of source '$($source.Name)' in '$Path' has no Table." }
            foreach ($key in $table.Keys) {
                if ($key -notin $tableKeys) { throw "Table '$($table.Table)' of source '$($source.Name)' has an unknown key '$key'." }
            }
        }
    }
    $config
}

function Resolve-SyncCredential([string] $Name) {
    # In the order an admin sets them up: the -Credential table of this run, a login saved with
    # Save-SyncSecret (user store, then machine store; Connect-SyncSource takes its name), SecretManagement.
    if ($Credential.ContainsKey($Name)) { return $Credential[$Name] }
    $saved = Get-SyncSecret -Name $Name -ErrorAction Ignore
    if ($saved) {
        if ("$($saved.Kind)" -ne 'Credential') { throw "The saved secret '$Name' is an API key, not a login: save the login with Save-SyncSecret -Name '$Name' -Credential (Get-Credential) -Force." }
        return $Name
    }
    if (Get-Command Get-Secret -ErrorAction Ignore) { return Get-Secret -Name $Name -ErrorAction Stop }
    throw "No credential named '$Name': save it with Save-SyncSecret -Name '$Name' -Credential (Get-Credential), or pass -Credential @{ '$Name' = (Get-Credential) }."
}

function Format-SyncFailure([System.Management.Automation.ErrorRecord] $Record) {
    # "TableNotFound: Table 'x' was not found..." where the error has a DataSyncPS ErrorId.
    if ($Record.FullyQualifiedErrorId -match '^(\w+),') { return "$($Matches[1]): $($Record.Exception.Message)" }
    $Record.Exception.Message
}

$ConfigPath = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($ConfigPath)
$configDir = [System.IO.Path]::GetDirectoryName($ConfigPath)
$config = Read-SyncConfig $ConfigPath
if (-not $OutputDirectory) {
    # The module's default data folder (see about_DataSyncPS), with a folder per source under it.
    $dataHome = $env:DATASYNCPS_HOME
    if (-not $dataHome) { $dataHome = [System.IO.Path]::Combine([Environment]::GetFolderPath('LocalApplicationData'), 'DataSyncPS') }
    $OutputDirectory = [System.IO.Path]::Combine($dataHome, 'outbox')
}
$OutputDirectory = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($OutputDirectory)

$failures = [System.Collections.Generic.List[string]]::new()
$tableCount = 0
foreach ($entry in @($config.Sources)) {
    $tables = @($entry.Tables)
    $tableCount += $tables.Count
    $connect = @{ Name = $entry.Name }
    foreach ($key in $sourceKeys) {
        if (-not $entry.ContainsKey($key)) { continue }
        $value = $entry[$key]
        if ($key -in 'Path', 'ProviderPath') { $value = [System.IO.Path]::Combine($configDir, $value) }
        $connect[$key] = $value
    }
    try {
        if ($entry.Credential) { $connect.Credential = Resolve-SyncCredential $entry.Credential }
        $source = Connect-SyncSource @connect -ErrorAction Stop
    }
    catch {
        # No source, no tables: each of them is a failure of its own in the summary.
        $PSCmdlet.WriteError($_)
        foreach ($table in $tables) { $failures.Add("$($entry.Name)/$($table.Table): $(Format-SyncFailure $_)") }
        continue
    }

    $folder = [System.IO.Path]::Combine($OutputDirectory, $entry.Name)
    foreach ($table in $tables) {
        $export = @{ OutputDirectory = $folder }
        foreach ($key in $tableKeys) { if ($table.ContainsKey($key)) { $export[$key] = $table[$key] } }
        if ($table.CursorColumn) { $export.Incremental = $true }
        if ($StatePath) { $export.StatePath = $StatePath }
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $rows = 0
        try {
            # Batches go on down the pipeline as each is written, not when the table is done.
            $source | Export-SyncBatch @export -ErrorAction Stop | ForEach-Object { $rows += $_.Rows; $_ }
            $PSCmdlet.WriteVerbose("$($entry.Name)/$($table.Table): $rows row(s) in $([int]$clock.Elapsed.TotalMilliseconds) ms.")
        }
        catch {
            $PSCmdlet.WriteError($_)
            $failures.Add("$($entry.Name)/$($table.Table): $(Format-SyncFailure $_)")
        }
    }
}

if ($failures.Count -gt 0) {
    $PSCmdlet.WriteWarning("$($failures.Count) of $tableCount table(s) failed:$([Environment]::NewLine)  " + ($failures -join "$([Environment]::NewLine)  "))
    exit 1
}
$PSCmdlet.WriteVerbose("All $tableCount table(s) synced into $OutputDirectory.")
exit 0
