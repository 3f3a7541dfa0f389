# The Gallery package as an admin installs it: out/DataSyncPS.<version>.nupkg (./build.ps1 -Task Package,
# through Publish-PSResource) in a folder repository, installed with Install-PSResource into an empty
# module path of a fresh pwsh, imported by name, and the quickstart run with it.
# Run with ./build.ps1 -Task Pester, which packages first.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestServers.ps1')
    $version = (Import-PowerShellDataFile (Join-Path $PSScriptRoot '..' '..' 'module' 'DataSyncPS.psd1')).ModuleVersion
    $package = if ($env:DATASYNCPS_PACKAGE) { $env:DATASYNCPS_PACKAGE } else { Join-Path $PSScriptRoot '..' '..' 'out' "DataSyncPS.$version.nupkg" }
    # Outside CI a missing package skips (./build.ps1 -Task Package makes it); under CI it fails.
    $skip = -not $underCi -and -not (Test-Path $package)
    # The empty user module path comes from HOME and XDG_DATA_HOME, which Windows does not read: there the
    # install would go into the real user's Documents.
    $skip = $skip -or $IsWindows
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $package = if ($env:DATASYNCPS_PACKAGE) { $env:DATASYNCPS_PACKAGE } else { Join-Path $repoRoot 'out' "DataSyncPS.$moduleVersion.nupkg" }
}

Describe 'Install-PSResource DataSyncPS' -Skip:$skip {
    BeforeAll {
        if (-not (Test-Path $package)) { throw "No package at '$package': ./build.ps1 -Task Package makes it." }
        $repository = Join-Path $TestDrive 'repository'
        New-Item $repository -ItemType Directory | Out-Null
        Copy-Item $package $repository
        # A user with nothing installed: a home of its own, where pwsh's CurrentUser module path and
        # PSResourceGet's settings live (XDG_DATA_HOME on Linux and macOS).
        $userHome = Join-Path $TestDrive 'user'
        $dataHome = Join-Path $userHome '.local' 'share'
        New-Item $dataHome -ItemType Directory -Force | Out-Null
        $environment = @{ HOME = $userHome; XDG_DATA_HOME = $dataHome; XDG_CACHE_HOME = (Join-Path $userHome '.cache'); XDG_CONFIG_HOME = (Join-Path $userHome '.config'); DATASYNCPS_HOME = (Join-Path $userHome 'datasync') }
        $work = Join-Path $TestDrive 'quickstart'
        $quickstart = Join-Path $repoRoot 'examples' 'quickstart.ps1'

        $script = Join-Path $TestDrive 'install.ps1'
        Set-Content $script @'
param([string] $Repository, [string] $Quickstart, [string] $Work)
$ErrorActionPreference = 'Stop'
"before: $(@(Get-Module -ListAvailable DataSyncPS).Count)"
Register-PSResourceRepository -Name LocalGallery -Uri $Repository -Trusted
Install-PSResource -Name DataSyncPS -Repository LocalGallery -TrustRepository -Scope CurrentUser
Import-Module DataSyncPS
$module = Get-Module DataSyncPS
"version: $($module.Version)"
"base: $($module.ModuleBase)"
"license: $(Test-Path (Join-Path $module.ModuleBase 'LICENSE'))"
"oracle: $(@(Get-ChildItem $module.ModuleBase -Recurse -Filter Oracle.ManagedDataAccess.dll).Count)"
"help: $((Get-Help Export-SyncBatch).Synopsis)"
& $Quickstart -OutputDirectory (Join-Path $Work 'batches') -StatePath (Join-Path $Work 'state.db')
'@
        # An empty PSModulePath: pwsh adds only its own folders and the (empty) user one.
        $run = Invoke-Pwsh -File $script -ArgumentList $repository, $quickstart, $work -Environment $environment -ModulePath ''
        $lines = $run.Output -split "`r?`n"
    }

    It 'installs into the user''s module path, which held no DataSyncPS before' {
        $run.ExitCode | Should -Be 0 -Because $run.Errors
        $lines | Should -Contain 'before: 0'
        $lines | Where-Object { $_ -like 'base: *' } | Should -BeLike "base: $dataHome*DataSyncPS*$moduleVersion"
    }

    It 'imports by name at the packaged version, with its licence, help and no Oracle provider' {
        $lines | Should -Contain "version: $moduleVersion"
        $lines | Should -Contain 'license: True'
        $lines | Should -Contain 'oracle: 0'
        $lines | Where-Object { $_ -like 'help: *' } | Should -Not -Match 'Export-SyncBatch \['
    }

    It 'runs the quickstart from the installed module' {
        $run.Output | Should -Match 'First run: every row of vendas \(2,000 rows in 4 batch\(es\)\)'
        $lines[-1..-5] -join "`n" | Should -Match '0 new batch\(es\)'
        @(Get-ChildItem (Join-Path $work 'batches') -Filter 'vendas-*.jsonl.gz').Count | Should -Be 4
    }
}
