# Set-SyncLogging and Get-SyncLogging as a pwsh user sees them: the setting saved in TestDrive, a run
# that says nothing about logging writes today's file, and no secret in it. Needs no server (the
# embedded SQLite demo). Run with ./build.ps1 -Task Test, or Invoke-Pester tests/pester.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $savedHome = $env:DATASYNCPS_HOME
    $savedMachine = $env:DATASYNCPS_MACHINE_HOME
    $env:DATASYNCPS_HOME = Join-Path $TestDrive 'home'
    $env:DATASYNCPS_MACHINE_HOME = Join-Path $TestDrive 'machine'
    $logs = Join-Path $TestDrive 'logs'
    $canary = 'Pester-Log-Canary-8d21'
}

AfterAll {
    Set-SyncLogging -Scope Session -Clear
    $env:DATASYNCPS_HOME = $savedHome
    $env:DATASYNCPS_MACHINE_HOME = $savedMachine
}

Describe 'Logging' {
    It 'saves a user setting that Get-SyncLogging shows in force' {
        Set-SyncLogging -Path $logs -RetainDays 7
        $setting = Get-SyncLogging

        $setting.PSObject.TypeNames[0] | Should -Be 'DataSyncPS.SyncLoggingSetting'
        $setting.Scope | Should -Be User
        $setting.RetainDays | Should -Be 7
        $setting.CurrentFile | Should -Be (Join-Path $logs ('DataSyncPS-{0:yyyy-MM-dd}.log' -f (Get-Date)))
        Join-Path $env:DATASYNCPS_HOME 'logging.json' | Should -Exist
    }

    It 'logs an export to today''s file with its stream and counts, and no secret' {
        Save-SyncSecret -Name seq -ApiKey ([System.Net.NetworkCredential]::new('', $canary).SecurePassword) -SkipValidation | Out-Null
        Set-SyncLogging -Path $logs -SeqUrl http://127.0.0.1:9 -SeqApiKeyName seq

        # Nothing listens on port 9: one warning says Seq is not reached, and the run goes on.
        $warnings = & {
            Connect-SyncSource -Provider Sqlite -Path $demoDatabase |
                Export-SyncBatch -Table vendas -OutputDirectory (Join-Path $TestDrive 'out') -StatePath (Join-Path $TestDrive 'state.db') |
                Out-Null
        } 3>&1

        $text = Get-Content (Get-SyncLogging).CurrentFile -Raw
        $text | Should -Match '\[INF\] Export-SyncBatch: Export-SyncBatch completed: .* \| stream=vendas rows=\d+ batches=\d+ bytes=\d+ duration='
        $text | Should -Match 'run=[0-9a-f-]{36}'
        $text | Should -Not -Match $canary
        @($warnings | Where-Object { "$_" -match 'not reaching Seq' }).Count | Should -Be 1
    }

    It 'lets the session override the saved setting, and -Clear give it back' {
        Set-SyncLogging -Scope Session -Disable
        (Get-SyncLogging).Enabled | Should -BeFalse
        Set-SyncLogging -Scope Session -Clear
        (Get-SyncLogging).Scope | Should -Be User
    }

    It 'refuses a saved setting with a key instead of a saved key''s name' {
        { Set-SyncLogging -SeqUrl http://seq01:5341 -SeqApiKey ([System.Net.NetworkCredential]::new('', $canary).SecurePassword) -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,DataSyncPS.Cmdlets.SetSyncLoggingCommand'
    }
}
