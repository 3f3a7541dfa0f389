# The module as an admin meets it: what the manifest promises, Get-Help for every cmdlet, the about_
# topic, and the tables the format views print. Run with ./build.ps1 -Task Pester.
BeforeDiscovery {
    $manifestData = Import-PowerShellDataFile (Join-Path $PSScriptRoot '..' '..' 'module' 'DataSyncPS.psd1')
    $cmdlets = @($manifestData.CmdletsToExport | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $savedHome = $env:DATASYNCPS_HOME
    $env:DATASYNCPS_HOME = Join-Path $TestDrive 'home'
    $exported = (Get-Command -Module DataSyncPS).Name
}

AfterAll {
    $env:DATASYNCPS_HOME = $savedHome
}

Describe 'The DataSyncPS module' {
    Context 'manifest' {
        It 'passes Test-ModuleManifest, for PowerShell 7.4+ (Core) only' {
            $info = Test-ModuleManifest $moduleManifest

            $info.PowerShellVersion | Should -Be ([version]'7.4')
            $info.CompatiblePSEditions | Should -Be Core
            $info.Version | Should -Be ([version]$moduleVersion)
        }

        It 'exports exactly the cmdlets it lists, and nothing else' {
            $listed = (Import-PowerShellDataFile $moduleManifest).CmdletsToExport
            $exported | Sort-Object | Should -Be ($listed | Sort-Object)
            (Get-Module DataSyncPS).ExportedFunctions.Count | Should -Be 0
            (Get-Module DataSyncPS).ExportedAliases.Count | Should -Be 0
        }

        It 'has the version of its assemblies: the manifest''s, written once' {
            $dll = Join-Path (Split-Path $moduleManifest) 'DataSyncPS.dll'
            $assembly = [System.Reflection.AssemblyName]::GetAssemblyName($dll).Version
            [version]::new($assembly.Major, $assembly.Minor, $assembly.Build) | Should -Be ([version]$moduleVersion)
        }
    }

    Context 'Get-Help <Name>' -ForEach $cmdlets {
        BeforeAll {
            $help = Get-Help $Name -Full
        }

        It 'has a synopsis and a description' {
            $help.Synopsis | Should -Not -Match "^\s*$([regex]::Escape($Name)) \["
            $help.Description.Text -join '' | Should -Not -BeNullOrEmpty
        }

        It 'has examples, each calling the cmdlet and parsing as PowerShell' {
            $examples = @($help.Examples.Example)
            $examples.Count | Should -BeGreaterOrEqual 2
            foreach ($example in $examples) {
                # An example's commands are its 'PS> ' lines and their '>> ' continuations; the rest is output.
                $code = (($example.Code -join "`n") -split "`n" | Where-Object { $_ -match '^(PS> |>>)' } | ForEach-Object { $_ -replace '^(PS> |>> ?)', '' }) -join "`n"
                $code | Should -Not -BeNullOrEmpty -Because "example '$($example.Title)' should show a command"
                $errors = $null
                $null = [System.Management.Automation.Language.Parser]::ParseInput($code, [ref] $null, [ref] $errors)
                $errors | Should -BeNullOrEmpty -Because "example '$($example.Title)' should parse"
                # Some examples show a job script with Get-Content: the cmdlet is in what it prints.
                (($example.Code -join "`n") + ($example.Remarks.Text -join "`n")) | Should -Match ([regex]::Escape($Name))
            }
        }

        It 'describes every parameter' {
            $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
            $parameters = (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $common }
            foreach ($parameter in $parameters) {
                $described = $help.Parameters.Parameter | Where-Object Name -EQ $parameter
                $described | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name needs help"
                ($described.Description.Text -join '') | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name needs a description"
            }
        }

        It 'is named in about_DataSyncPS' {
            (Get-Help about_DataSyncPS | Out-String) | Should -Match ([regex]::Escape($Name))
        }
    }

    Context 'tables the format views print' {
        BeforeEach {
            $work = Join-Path $TestDrive ([guid]::NewGuid())
            $common = @{ OutputDirectory = (Join-Path $work 'out'); StatePath = (Join-Path $work 'state.db') }
        }

        It 'shows a source by name, provider, server, database, user and version' {
            $text = Connect-SyncSource -Provider Sqlite -Path $demoDatabase -Name demo | Out-String -Width 250
            foreach ($header in 'Name', 'Provider', 'Server', 'Database', 'User', 'ServerVersion') { $text | Should -Match $header }
            $text | Should -Match 'demo\s+Sqlite'
        }

        It 'shows batches by stream, sequence, rows, size and path' {
            $text = Connect-SyncSource -Provider Sqlite -Path $demoDatabase | Export-SyncBatch -Table filiais @common | Out-String -Width 250
            foreach ($header in 'Stream', 'Sequence', 'Rows', 'Size\(KB\)', 'LastCursor', 'Path') { $text | Should -Match $header }
            $text | Should -Match 'filiais\s+1\s+5'
        }

        It 'shows stream state by stream, pending batches, last run and watermark' {
            $null = Connect-SyncSource -Provider Sqlite -Path $demoDatabase | Export-SyncBatch -Table filiais -Incremental -CursorColumn id @common
            $text = Get-SyncState -StatePath $common.StatePath | Out-String -Width 250
            foreach ($header in 'Stream', 'Pending', 'LastRun', 'Watermark') { $text | Should -Match $header }
            $text | Should -Match 'Succeeded'
        }

        It 'shows saved secrets without their values' {
            $canary = 'Pester-Format-Canary-' + [guid]::NewGuid()
            Save-SyncSecret -Name format-check -ApiKey (ConvertTo-SecureString $canary -AsPlainText -Force) -SkipValidation -Force | Out-Null
            try {
                $text = Get-SyncSecret format-check | Out-String -Width 250
                foreach ($header in 'Name', 'Kind', 'Scope', 'UserName', 'ApiUrl', 'Updated') { $text | Should -Match $header }
                $text | Should -Not -Match $canary
                Get-SyncSecret format-check | Format-List * | Out-String | Should -Not -Match $canary
            }
            finally { Remove-SyncSecret format-check }
        }
    }
}
