# Connect-SyncSource as a pwsh user sees it. Needs no server: the SQLite demo, -SkipTest and
# connections that fail on purpose. Run with ./build.ps1 -Task Test, or Invoke-Pester tests/pester.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    # Whatever a test leaves in the default data folder stays in TestDrive.
    $savedHome = $env:DATASYNCPS_HOME
    $env:DATASYNCPS_HOME = Join-Path $TestDrive 'home'
    $fqid = { param($id) "$id,DataSyncPS.Cmdlets.ConnectSyncSourceCommand" }
}

AfterAll {
    $env:DATASYNCPS_HOME = $savedHome
}

Describe 'Connect-SyncSource' {
    Context 'opening a source' {
        It 'returns a tested SyncSource for a SQLite file' {
            $source = Connect-SyncSource -Provider Sqlite -Path $demoDatabase

            $source.PSObject.TypeNames[0] | Should -Be 'DataSyncPS.SyncSource'
            $source.Provider | Should -Be 'Sqlite'
            $source.Name | Should -Be 'demo'
            $source.Path | Should -Be $demoDatabase
            $source.ServerVersion | Should -Match '^SQLite \d'
        }

        It 'resolves a relative path from the current location' {
            Push-Location (Split-Path $demoDatabase)
            try { $source = Connect-SyncSource -Provider Sqlite -Path ./demo.sqlite }
            finally { Pop-Location }

            $source.Path | Should -Be $demoDatabase
        }

        It 'takes -Name and -TimeZone' {
            $source = Connect-SyncSource -Provider Sqlite -Path $demoDatabase -Name loja -TimeZone UTC

            $source.Name | Should -Be loja
            $source.TimeZone.Id | Should -Be UTC
        }

        It 'describes a server source without connecting under -SkipTest' {
            $source = Connect-SyncSource -Provider PostgreSql -Server db01.invalid -Port 6543 -Database erp -SkipTest

            $source.Server | Should -Be 'db01.invalid'
            $source.Port | Should -Be 6543
            $source.Database | Should -Be 'erp'
            $source.Name | Should -Be 'db01.invalid/erp'
            $source.ServerVersion | Should -BeNullOrEmpty
        }

        It 'never shows the password' {
            $secret = 'S3cr3t-' + [guid]::NewGuid()
            $credential = [pscredential]::new('reader', (ConvertTo-SecureString $secret -AsPlainText -Force))
            $source = Connect-SyncSource -Provider PostgreSql -Server db01.invalid -Database erp -Credential $credential -SkipTest

            $source.User | Should -Be 'reader'
            ($source.PSObject.Properties | ForEach-Object { "$($_.Value)" }) -join ' ' | Should -Not -Match $secret
            $source | Out-String | Should -Not -Match $secret
        }
    }

    Context 'errors' {
        It 'fails with PathNotFound for a missing SQLite file and creates nothing' {
            $missing = Join-Path $TestDrive 'missing.sqlite'

            { Connect-SyncSource -Provider Sqlite -Path $missing } | Should -Throw -ErrorId (& $fqid PathNotFound)
            Test-Path $missing | Should -BeFalse
        }

        It 'fails with ConnectionStringInvalid and does not quote the string' {
            $secret = 'S3cr3t-' + [guid]::NewGuid()
            $thrown = { Connect-SyncSource -Provider PostgreSql -ConnectionString "Host=db01;Password=$secret;Bogus" } |
                Should -Throw -ErrorId (& $fqid ConnectionStringInvalid) -PassThru

            $thrown.Exception.Message | Should -Not -Match $secret
        }

        It 'fails with HostUnreachable when nothing listens' {
            { Connect-SyncSource -Provider PostgreSql -Server 127.0.0.1 -Port 1 -Database erp -ConnectTimeout 3 } |
                Should -Throw -ErrorId (& $fqid HostUnreachable)
        }

        It 'fails with ProviderMissing when -ProviderPath is not the Oracle provider' {
            $notADll = Join-Path $TestDrive 'Oracle.ManagedDataAccess.dll'
            Set-Content $notADll 'not an assembly'

            { Connect-SyncSource -Provider Oracle -Server ora01.invalid -Database ORCL -ProviderPath $notADll } |
                Should -Throw -ErrorId (& $fqid ProviderMissing)
        }

        It 'fails with TimeZoneNotFound for an unknown zone' {
            { Connect-SyncSource -Provider Sqlite -Path $demoDatabase -TimeZone Mars/Olympus_Mons } |
                Should -Throw -ErrorId (& $fqid TimeZoneNotFound)
        }

        It 'refuses a port out of range before doing anything' {
            { Connect-SyncSource -Provider PostgreSql -Server db01 -Port 0 } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,DataSyncPS.Cmdlets.ConnectSyncSourceCommand'
        }
    }

    Context 'help' {
        It 'has a synopsis, a description and at least four examples' {
            $help = Get-Help Connect-SyncSource -Full

            $help.Synopsis | Should -Not -Match 'Connect-SyncSource \['
            $help.Description.Text | Should -Not -BeNullOrEmpty
            @($help.Examples.Example).Count | Should -BeGreaterOrEqual 4
        }

        It 'describes every parameter' {
            $help = Get-Help Connect-SyncSource -Full
            foreach ($parameter in $help.Parameters.Parameter) {
                "$($parameter.Name): $($parameter.Description.Text)" | Should -Not -BeExactly "$($parameter.Name): "
            }
        }
    }
}
