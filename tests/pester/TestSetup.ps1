# Dot-sourced by the BeforeAll of every *.Tests.ps1 here: imports the built module (from
# DATASYNCPS_MODULE, which build.ps1 sets, else out/DataSyncPS/<version>/), names the demo database,
# and brings the test servers' helpers (TestServers.ps1) and the DataSnap emulator's.
$repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
$moduleManifest = $env:DATASYNCPS_MODULE
$moduleVersion = (Import-PowerShellDataFile (Join-Path $repoRoot 'module' 'DataSyncPS.psd1')).ModuleVersion
if (-not $moduleManifest) {
    $moduleManifest = Join-Path $repoRoot 'out' 'DataSyncPS' $moduleVersion 'DataSyncPS.psd1'
}
if (-not (Test-Path $moduleManifest)) {
    throw "The built module is not at '$moduleManifest': run ./build.ps1 first, or set DATASYNCPS_MODULE."
}
Import-Module $moduleManifest -Force -ErrorAction Stop
$demoDatabase = Join-Path $repoRoot 'examples' 'data' 'demo.sqlite'
. (Join-Path $PSScriptRoot 'TestServers.ps1')

function Start-DataSnapEmulator {
    # The DataSnap emulator (tests/DataSyncPS.Emulators) as a process of its own on a free port, its
    # uploads in a bucket on s3rver. Returns ApiUrl, ControlUrl, ApiKey and the process.
    param([string] $ApiKey = 'dsk_pester_' + [guid]::NewGuid().ToString('N'), [string[]] $Fault = @())
    $log = Join-Path ([System.IO.Path]::GetTempPath()) "datasnap-emulator-$([guid]::NewGuid()).log"
    $arguments = @($emulatorPath, 'datasnap', '--port', '0', '--api-key', $ApiKey, '--bucket', 'pester', '--s3', $s3Url)
    foreach ($f in $Fault) { $arguments += '--fault', $f }
    $process = Start-Process dotnet -ArgumentList $arguments -RedirectStandardOutput $log -RedirectStandardError "$log.err" -PassThru
    foreach ($i in 1..300) {
        $text = if (Test-Path $log) { Get-Content $log -Raw } else { '' }
        if ($text -match 'API base URL\s+(\S+)' -and $text -match 'test control\s+(\S+)') { break }
        if ($process.HasExited) { throw "The DataSnap emulator stopped at once: $(Get-Content "$log.err" -Raw)" }
        Start-Sleep -Milliseconds 100
    }
    $null = $text -match 'API base URL\s+(\S+)'; $api = $Matches[1]
    $null = $text -match 'test control\s+(\S+)'; $control = $Matches[1]
    if (-not $api) { Stop-Process -Id $process.Id; throw "The DataSnap emulator did not start: $text" }
    [pscustomobject]@{ ApiUrl = $api; ControlUrl = $control; ApiKey = $ApiKey; Process = $process; Log = $log }
}

function Stop-DataSnapEmulator($Emulator) {
    if ($Emulator -and -not $Emulator.Process.HasExited) { Stop-Process -Id $Emulator.Process.Id; $Emulator.Process.WaitForExit(10000) | Out-Null }
}

function Read-BatchLine([string] $Path) {
    # The JSON lines of a gzip batch file.
    $reader = [System.IO.StreamReader]::new([System.IO.Compression.GZipStream]::new(
        [System.IO.File]::OpenRead($Path), [System.IO.Compression.CompressionMode]::Decompress))
    try { while ($null -ne ($line = $reader.ReadLine())) { $line } }
    finally { $reader.Dispose() }
}

function ConvertTo-TestSecureString([string] $Text) { ConvertTo-SecureString $Text -AsPlainText -Force }
