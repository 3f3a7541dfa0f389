# Compare-DbSchema and Copy-DbStructure as a pwsh user sees them. The checks that need a database use the
# PostgreSQL test server (DATASYNC_TEST_PG); without it they are skipped, except under CI=true, where a
# missing server fails the run. Run with ./build.ps1 -Task Test, or Invoke-Pester tests/pester.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $pgConnectionString = if ($env:DATASYNC_TEST_PG) { $env:DATASYNC_TEST_PG } else { 'Host=127.0.0.1;Port=5432;Username=datasync;Password=datasync;Database=datasync_test' }
    try {
        Connect-SyncSource -Provider PostgreSql -ConnectionString $pgConnectionString -ConnectTimeout 15 -ErrorAction Stop | Out-Null
        $noServer = $false
    }
    catch {
        if ($env:CI -eq 'true') { throw "The PostgreSQL test server is not available under CI: $_" }
        $noServer = $true
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $pgConnectionString = if ($env:DATASYNC_TEST_PG) { $env:DATASYNC_TEST_PG } else { 'Host=127.0.0.1;Port=5432;Username=datasync;Password=datasync;Database=datasync_test' }
    $demo = Connect-SyncSource -Provider Sqlite -Path $demoDatabase -Name demo
}

Describe 'Compare-DbSchema' {
    It 'refuses an engine it has no catalog reader for, naming it' {
        { Compare-DbSchema -Reference $demo -Difference $demo -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,DataSyncPS.Cmdlets.CompareDbSchemaCommand' -ExpectedMessage '*Sqlite*'
    }

    It 'writes nothing when a database is compared with itself' -Skip:$noServer {
        $pg = Connect-SyncSource -Provider PostgreSql -ConnectionString $pgConnectionString

        Compare-DbSchema $pg $pg | Should -BeNullOrEmpty
        Compare-DbSchema $pg $pg -AsScript | Should -BeNullOrEmpty
    }

    It 'has help with examples' {
        (Get-Help Compare-DbSchema).examples.example.Count | Should -BeGreaterOrEqual 3
        (Get-Command Compare-DbSchema).OutputType.Name | Should -Contain 'DataSyncPS.SchemaDifference'
    }
}

Describe 'Copy-DbStructure' {
    It 'asks before running (ConfirmImpact High) and supports WhatIf' {
        $command = Get-Command Copy-DbStructure
        $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
            Should -Be ([System.Management.Automation.ConfirmImpact]::High)
        $command.Parameters.Keys | Should -Contain 'WhatIf'
    }

    It 'refuses the same database reached by another name, even under WhatIf' -Skip:$noServer {
        $a = Connect-SyncSource -Provider PostgreSql -ConnectionString $pgConnectionString
        $other = [System.Data.Common.DbConnectionStringBuilder]::new()
        $other.ConnectionString = $pgConnectionString
        $other['Host'] = if ($other['Host'] -eq 'localhost') { '127.0.0.1' } else { 'localhost' }
        $b = Connect-SyncSource -Provider PostgreSql -ConnectionString $other.ConnectionString

        { Copy-DbStructure -Source $a -Target $b -WhatIf -ErrorAction Stop } |
            Should -Throw -ErrorId 'SameDatabase,DataSyncPS.Cmdlets.CopyDbStructureCommand'
    }

    It 'copies big tables in resumable key ranges with -Parallel, documented with an example' {
        $parallel = (Get-Command Copy-DbStructure).Parameters['Parallel']
        $parallel.ParameterType | Should -Be ([int])
        { Copy-DbStructure -Source $demo -Target $demo -Parallel 0 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,DataSyncPS.Cmdlets.CopyDbStructureCommand'
        (Get-Help Copy-DbStructure -Parameter Parallel).description.Text | Should -Match 'resumes'
        (Get-Help Copy-DbStructure).examples.example.code | Where-Object { $_ -match '-Parallel' } | Should -Not -BeNullOrEmpty
        foreach ($name in 'StatePath', 'BackupPath', 'KeepBackup') { (Get-Command Copy-DbStructure).Parameters.Keys | Should -Contain $name }
    }
}
