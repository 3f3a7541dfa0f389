# Dot-sourced by the BeforeAll of every *.Tests.ps1 here: imports the built module (from
# DATASYNCPS_MODULE, which build.ps1 sets, else out/DataSyncPS/<version>/) and names the demo database.
$repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
$moduleManifest = $env:DATASYNCPS_MODULE
if (-not $moduleManifest) {
    $version = (Import-PowerShellDataFile (Join-Path $repoRoot 'module' 'DataSyncPS.psd1')).ModuleVersion
    $moduleManifest = Join-Path $repoRoot 'out' 'DataSyncPS' $version 'DataSyncPS.psd1'
}
if (-not (Test-Path $moduleManifest)) {
    throw "The built module is not at '$moduleManifest': run ./build.ps1 first, or set DATASYNCPS_MODULE."
}
Import-Module $moduleManifest -Force -ErrorAction Stop
$demoDatabase = Join-Path $repoRoot 'examples' 'data' 'demo.sqlite'
