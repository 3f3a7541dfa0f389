#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and packages DataSyncPS with the .NET SDK and stock PowerShell 7.4: no module to install.
.DESCRIPTION
    Tasks run in the order given:
      Clean        removes out/ and the bin/ and obj/ folders of every project
      Build        builds src/DataSyncPS and assembles a ready module folder in out/DataSyncPS/<version>/
      Test         dotnet test of the solution, then Pester (below): both suites, and both run even when one fails
      Pester       Build and Package, then tests/pester in a child pwsh against out/ (Pester 5 must be installed;
                   tests that need a server skip when it is down, and fail under CI=true)
      Package      Build, then a Gallery-ready out/DataSyncPS.<version>.nupkg
      FetchOracle  downloads Oracle.ManagedDataAccess.Core from nuget.org into the module's dependencies folder
    The version is written once, in the manifest (module/DataSyncPS.psd1); MSBuild reads it from there.
.EXAMPLE
    ./build.ps1 -Task Clean, Build, Test
.EXAMPLE
    ./build.ps1 -Task Pester -ResultsDirectory ./TestResults
    Only the Pester suite, its results also written to TestResults/pester.xml (NUnit).
.EXAMPLE
    ./build.ps1 -Task Package
.EXAMPLE
    ./build.ps1 -Task Build, FetchOracle -OracleVersion 23.6.1
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Test', 'Pester', 'Package', 'FetchOracle')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # FetchOracle only: the package version; the newest stable one when omitted.
    [string] $OracleVersion,

    # Test and Pester: where result files go (dotnet test's .trx, Pester's pester.xml), for CI to count.
    [string] $ResultsDirectory
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$version = (Import-PowerShellDataFile (Join-Path $PSScriptRoot 'module' 'DataSyncPS.psd1')).ModuleVersion
$outDir = Join-Path $PSScriptRoot 'out'
$moduleDir = Join-Path $outDir 'DataSyncPS' $version
$manifest = Join-Path $moduleDir 'DataSyncPS.psd1'
$oracleFile = 'Oracle.ManagedDataAccess.dll'
$script:built = $false
$script:packaged = $false

function Invoke-DotNet {
    # dotnet reports failure only through its exit code, which PowerShell does not turn into an error.
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function ConvertTo-Literal([string] $Text) { "'" + $Text.Replace("'", "''") + "'" }

function Invoke-CleanTask {
    if (Test-Path $outDir) { Remove-Item $outDir -Recurse -Force }
    Get-ChildItem (Join-Path $PSScriptRoot 'src'), (Join-Path $PSScriptRoot 'tests') -Filter *.csproj -Recurse | ForEach-Object {
        foreach ($name in 'bin', 'obj') {
            $dir = Join-Path $_.DirectoryName $name
            if (Test-Path $dir) { Remove-Item $dir -Recurse -Force }
        }
    }
    $script:built = $false
    $script:packaged = $false
}

function Invoke-BuildTask {
    if ($script:built) { return }
    # Assembled from scratch, so that no file of an older build is left in the module folder.
    if (Test-Path $moduleDir) { Remove-Item $moduleDir -Recurse -Force }
    # ModuleDir must be absolute: MSBuild resolves a relative one from src/DataSyncPS, not from here.
    Invoke-DotNet build (Join-Path $PSScriptRoot 'src' 'DataSyncPS' 'DataSyncPS.csproj') -c $Configuration "-p:ModuleDir=$moduleDir/"
    $module = Test-ModuleManifest $manifest
    Write-Host "Module $($module.Name) $($module.Version) is in $moduleDir"
    $script:built = $true
}

function Invoke-TestTask {
    # Both suites run whatever the first gives, so that one run reports every failure.
    $failures = @()
    $arguments = @('test', (Join-Path $PSScriptRoot 'DataSyncPS.sln'), '-c', $Configuration)
    if ($ResultsDirectory) { $arguments += '--logger', 'trx', '--results-directory', $ResultsDirectory }
    & dotnet @arguments
    if ($LASTEXITCODE -ne 0) { $failures += "dotnet test failed with exit code $LASTEXITCODE" }
    try { Invoke-PesterTask } catch { $failures += $_.Exception.Message }
    if ($failures) { throw ($failures -join '; ') }
}

function Invoke-PesterTask {
    $pester = Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0' | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) {
        # CI must never pass green without the suite it exists to run.
        if ($env:CI -eq 'true') { throw 'Pester 5 is not on PSModulePath, so tests/pester cannot run (CI=true).' }
        Write-Warning 'Pester 5 is not installed, so tests/pester did not run (Install-PSResource Pester).'
        return
    }
    Invoke-BuildTask
    Invoke-PackageTask
    # The DataSnap emulator, which the Send-DataSnapBatch checks start as a process of its own.
    $emulatorProject = Join-Path $PSScriptRoot 'tests' 'DataSyncPS.Emulators' 'DataSyncPS.Emulators.csproj'
    Invoke-DotNet build $emulatorProject -c $Configuration
    $emulator = Join-Path $PSScriptRoot 'tests' 'DataSyncPS.Emulators' 'bin' $Configuration 'net10.0' 'DataSyncPS.Emulators.dll'

    $resultFile = ''
    if ($ResultsDirectory) {
        New-Item $ResultsDirectory -ItemType Directory -Force | Out-Null
        $resultFile = Join-Path (Resolve-Path $ResultsDirectory).Path 'pester.xml'
    }
    # In a child pwsh: importing the module here would keep its DLLs loaded (locked on Windows) in this session.
    $command = "Import-Module $(ConvertTo-Literal $pester.Path); " +
        "`$config = New-PesterConfiguration; " +
        "`$config.Run.Path = $(ConvertTo-Literal (Join-Path $PSScriptRoot 'tests' 'pester')); " +
        "`$config.Run.PassThru = `$true; `$config.Output.Verbosity = 'Detailed'; " +
        "if ($(ConvertTo-Literal $resultFile)) { `$config.TestResult.Enabled = `$true; `$config.TestResult.OutputFormat = 'NUnitXml'; `$config.TestResult.OutputPath = $(ConvertTo-Literal $resultFile) }; " +
        "`$result = Invoke-Pester -Configuration `$config; " +
        "exit [int](`$result.Result -ne 'Passed')"
    $variables = @{
        DATASYNCPS_MODULE   = $manifest
        DATASYNCPS_PACKAGE  = Join-Path $outDir "DataSyncPS.$version.nupkg"
        DATASYNCPS_EMULATOR = $emulator
    }
    foreach ($name in $variables.Keys) { Set-Item "Env:$name" $variables[$name] }
    try {
        # pwsh installed as a dotnet tool runs as 'dotnet pwsh.dll': the process is dotnet, not pwsh.
        $pwsh = @([Environment]::ProcessPath)
        if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh[0]) -eq 'dotnet') { $pwsh += Join-Path $PSHOME 'pwsh.dll' }
        & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $command
        if ($LASTEXITCODE -ne 0) { throw 'Pester: the suite failed (see above).' }
    }
    finally {
        foreach ($name in $variables.Keys) { Remove-Item "Env:$name" }
    }
}

function Invoke-PackageTask {
    if ($script:packaged) { return }
    Invoke-BuildTask
    # Published from a copy without the Oracle provider, which is licensed separately and never shipped.
    $work = Join-Path $outDir 'package'
    $staging = Join-Path $work 'DataSyncPS'
    $repositoryDir = Join-Path $work 'repository'
    if (Test-Path $work) { Remove-Item $work -Recurse -Force }
    New-Item $staging, $repositoryDir -ItemType Directory | Out-Null
    Copy-Item (Join-Path $moduleDir '*') $staging -Recurse
    Get-ChildItem $staging -Filter $oracleFile -Recurse | Remove-Item

    $nupkg = Join-Path $outDir "DataSyncPS.$version.nupkg"
    if (Test-Path $nupkg) { Remove-Item $nupkg }
    # An empty folder repository, registered only for the time of the publish (out/ itself holds the
    # module folder, whose DataSyncPS/<version> layout NuGet could take for a package feed).
    $repository = 'DataSyncPSLocal'
    if (Get-PSResourceRepository -Name $repository -ErrorAction Ignore) { Unregister-PSResourceRepository -Name $repository }
    Register-PSResourceRepository -Name $repository -Uri $repositoryDir -Trusted
    try {
        Publish-PSResource -Path (Join-Path $staging 'DataSyncPS.psd1') -Repository $repository
        Get-ChildItem $repositoryDir -Filter *.nupkg -Recurse | Move-Item -Destination $nupkg
    }
    finally {
        Unregister-PSResourceRepository -Name $repository
        Remove-Item $work -Recurse -Force
    }
    Write-Host "Package: $nupkg"
    $script:packaged = $true
}

function Invoke-FetchOracleTask {
    if (-not (Test-Path $manifest)) { Invoke-BuildTask }
    $id = 'oracle.manageddataaccess.core'
    $feed = "https://api.nuget.org/v3-flatcontainer/$id"
    $package = Join-Path ([System.IO.Path]::GetTempPath()) "$id.$([guid]::NewGuid()).nupkg"
    try {
        $wanted = $OracleVersion
        if (-not $wanted) { $wanted = @((Invoke-RestMethod "$feed/index.json").versions | Where-Object { $_ -notmatch '-' })[-1] }
        Invoke-WebRequest "$feed/$wanted/$id.$wanted.nupkg" -OutFile $package
    }
    catch {
        if (Test-Path $package) { Remove-Item $package }
        throw "Oracle.ManagedDataAccess.Core $wanted could not be downloaded from nuget.org ($($_.Exception.Message)). " +
            "Download it where nuget.org is reachable and pass its lib/net8.0 folder to Connect-SyncSource -ProviderPath."
    }
    Add-Type -AssemblyName System.IO.Compression.ZipFile
    $zip = [System.IO.Compression.ZipFile]::OpenRead($package)
    try {
        # The newest target framework in the package that net8.0 can load.
        $entry = $null
        foreach ($framework in 'net8.0', 'net6.0', 'netstandard2.1') {
            $entry = $zip.GetEntry("lib/$framework/$oracleFile")
            if ($entry) { break }
        }
        if (-not $entry) { throw "Oracle.ManagedDataAccess.Core $wanted has no $oracleFile for net8.0." }
        # The Oracle dialect looks in the engine's folder (dependencies/), then in the module folder.
        $target = Join-Path $moduleDir 'dependencies' $oracleFile
        [System.IO.Compression.ZipFileExtensions]::ExtractToFile($entry, $target, $true)
    }
    finally {
        $zip.Dispose()
        Remove-Item $package
    }
    Write-Host "$oracleFile $wanted ($($entry.FullName)) is in $target. It is licensed by Oracle and is never packaged."
}

foreach ($name in $Task) {
    Write-Host "== $name" -ForegroundColor Cyan
    switch ($name) {
        'Clean' { Invoke-CleanTask }
        'Build' { Invoke-BuildTask }
        'Test' { Invoke-TestTask }
        'Pester' { Invoke-PesterTask }
        'Package' { Invoke-PackageTask }
        'FetchOracle' { Invoke-FetchOracleTask }
    }
}
