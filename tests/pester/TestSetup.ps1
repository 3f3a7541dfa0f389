# Dot-sourced by the BeforeAll of every *.Tests.ps1 here: imports the built module (from
# DATASYNCPS_MODULE, which build.ps1 sets, else out/DataSyncPS/<version>/), names the demo database,
# and brings the test servers' helpers (TestServers.ps1) and the emulators' (DataSnap, Auvo, e-Track).
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

function Start-ApiEmulator {
    # The Auvo, e-Track or Plusoft emulator (tests/DataSyncPS.Emulators auvo|etrack|plusoft) as a process of
    # its own on a free port. Returns what its banner prints (ApiUrl; for Auvo ApiKey and ApiToken, for
    # e-Track User and ApiKey, for Plusoft ApiToken and ControlUrl) and the process.
    param([ValidateSet('auvo', 'etrack', 'plusoft')] [string] $Name, [string[]] $ArgumentList = @())
    $log = Join-Path ([System.IO.Path]::GetTempPath()) "$Name-emulator-$([guid]::NewGuid()).log"
    $process = Start-Process dotnet -ArgumentList (@($emulatorPath, $Name, '--port', '0') + $ArgumentList) -RedirectStandardOutput $log -RedirectStandardError "$log.err" -PassThru
    foreach ($i in 1..300) {
        $text = if (Test-Path $log) { Get-Content $log -Raw } else { '' }
        if ($text -match 'Ctrl\+C stops it') { break }
        if ($process.HasExited) { throw "The $Name emulator stopped at once: $(Get-Content "$log.err" -Raw)" }
        Start-Sleep -Milliseconds 100
    }
    if ($text -notmatch 'API base URL\s+(\S+)') { Stop-Process -Id $process.Id; throw "The $Name emulator did not start: $text" }
    $banner = [ordered]@{ ApiUrl = $Matches[1]; Process = $process; Log = $log }
    if ($text -match '(?m)^\s*user\s+(\S+)') { $banner.User = $Matches[1] }
    if ($text -match 'API key\s+(\S+)') { $banner.ApiKey = $Matches[1] }
    if ($text -match 'API token\s+(\S+)') { $banner.ApiToken = $Matches[1] }
    if ($text -match 'test control\s+(\S+)') { $banner.ControlUrl = $Matches[1] }
    [pscustomobject]$banner
}

function Start-PlusoftEmulator { Start-ApiEmulator plusoft '--check-references', '--quiet' }

function Get-PlusoftReceived($Emulator) {
    # Per entity (filiais, produtos, clientes, vendas): records stored and how many arrived more than once.
    (Invoke-RestMethod "$($Emulator.ControlUrl)/stats").entities
}

function New-ConsincoSample {
    # Tables shaped like the Consinco views Sync-Plusoft reads, on a test server: the SQL the xunit tests
    # use too (tests/Shared/consinco-sample.*.sql), names <Prefix>VW_PLUSOFT_FILIAL ... _VENDA.
    param([ValidateSet('PostgreSql', 'MariaDb')] [string] $Server, [string] $Prefix = '', [int] $Filiais = 3, [int] $Produtos = 20,
        [int] $Clientes = 15, [int] $Vendas = 60)
    Remove-ConsincoSample $Server $Prefix
    $file = Join-Path $repoRoot 'tests' 'Shared' "consinco-sample.$($Server.ToLowerInvariant()).sql"
    $sql = (Get-Content $file -Raw).Replace('{prefix}', $Prefix).Replace('{filiais}', $Filiais).Replace('{produtos}', $Produtos).
        Replace('{clientes}', $Clientes).Replace('{vendas}', $Vendas)
    Invoke-TestSql $Server $sql | Out-Null
}

function Remove-ConsincoSample([string] $Server, [string] $Prefix = '') {
    $q = if ($Server -eq 'PostgreSql') { '"' } else { '`' }
    Invoke-TestSql $Server (('FILIAL', 'PRODUTO', 'CLIENTE', 'VENDA' | ForEach-Object { "DROP TABLE IF EXISTS $q$($Prefix)VW_PLUSOFT_$_$q;" }) -join ' ') | Out-Null
}

function Start-AuvoEmulator([int] $Records = 1000) { Start-ApiEmulator auvo '--records', $Records }

function Start-ETrackEmulator { Start-ApiEmulator etrack }

function Stop-ApiEmulator($Emulator) {
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

# The folder that holds DataSyncPS/<version>/: on a child pwsh's PSModulePath, the module loads by name
# (and by command autoloading), as an installed one does.
$moduleRootPath = Split-Path (Split-Path (Split-Path $moduleManifest))

function Invoke-Pwsh {
    # Runs a script (-File) or a command in a fresh pwsh, as a scheduler or a shell would; returns its
    # exit code, standard output and standard error. -ModulePath replaces PSModulePath (the module by default).
    param([string] $File, [string[]] $ArgumentList = @(), [string] $Command, [hashtable] $Environment = @{},
        [string] $ModulePath = $moduleRootPath, [string] $WorkingDirectory = $PWD.ProviderPath)
    # pwsh installed as a dotnet tool runs as 'dotnet pwsh.dll'.
    $pwsh = @([Environment]::ProcessPath)
    if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh[0]) -eq 'dotnet') { $pwsh += Join-Path $PSHOME 'pwsh.dll' }
    $start = [System.Diagnostics.ProcessStartInfo]::new($pwsh[0])
    foreach ($a in @($pwsh | Select-Object -Skip 1) + '-NoProfile' + '-NonInteractive') { $start.ArgumentList.Add($a) }
    if ($File) { $start.ArgumentList.Add('-File'); $start.ArgumentList.Add($File); foreach ($a in $ArgumentList) { $start.ArgumentList.Add($a) } }
    else { $start.ArgumentList.Add('-Command'); $start.ArgumentList.Add($Command) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.WorkingDirectory = $WorkingDirectory
    $start.Environment['PSModulePath'] = $ModulePath
    foreach ($name in $Environment.Keys) { $start.Environment[$name] = $Environment[$name] }
    $process = [System.Diagnostics.Process]::Start($start)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    $process.WaitForExit()
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result; Errors = $stderr.Result }
}
