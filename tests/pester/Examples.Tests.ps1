# Every script in examples/ runs as a user runs it: pwsh -File in a fresh process, the module found by name
# on PSModulePath (the scripts do not import it), against the demo and the real servers; exit code and
# output checked. A new example gets its checks here. Run with ./build.ps1 -Task Pester.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestServers.ps1')
    $skipPg = Test-SkipServer PostgreSql
    $skipMariaDb = Test-SkipServer MariaDb
    $examples = Get-ChildItem (Join-Path $PSScriptRoot '..' '..' 'examples') -Filter *.ps1 | ForEach-Object { @{ Name = $_.Name } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $examplesDir = Join-Path $repoRoot 'examples'
    $savedHome = $env:DATASYNCPS_HOME
    # The examples' checks (below) name the scripts they run.
    $checked = 'quickstart.ps1', 'sync-all-tables.ps1'
}

AfterAll {
    $env:DATASYNCPS_HOME = $savedHome
}

Describe 'examples/<Name>' -ForEach $examples {
    It 'is run by a check in this file' {
        $checked | Should -Contain $Name -Because 'every example runs in CI: add its checks to tests/pester/Examples.Tests.ps1'
    }
}

Describe 'examples/quickstart.ps1' {
    BeforeAll {
        $work = Join-Path $TestDrive 'quickstart'
        $arguments = '-OutputDirectory', (Join-Path $work 'batches'), '-StatePath', (Join-Path $work 'state.db')
        $environment = @{ DATASYNCPS_HOME = (Join-Path $work 'home') }
        $first = Invoke-Pwsh -File (Join-Path $examplesDir 'quickstart.ps1') -ArgumentList $arguments -Environment $environment
        $second = Invoke-Pwsh -File (Join-Path $examplesDir 'quickstart.ps1') -ArgumentList $arguments -Environment $environment
    }

    It 'exports every row of the demo on its first run and exits 0' {
        $first.ExitCode | Should -Be 0 -Because $first.Errors
        $first.Errors | Should -BeNullOrEmpty
        $first.Output | Should -Match 'First run: every row of vendas \(2,000 rows in 4 batch\(es\)\)'
        $first.Output | Should -Match '"valor_total":751.40,"pago":true,"vendido_em":"2024-01-05T12:00:00-03:00"'
        $first.Output | Should -Match '0 new batch\(es\)'
    }

    It 'finds nothing new when run again' {
        $second.ExitCode | Should -Be 0 -Because $second.Errors
        $second.Output | Should -Match 'Nothing new in vendas since the last run'
        @(Get-ChildItem (Join-Path $work 'batches') -Filter 'vendas-*.jsonl.gz').Count | Should -Be 4
    }
}

Describe 'examples/sync-all-tables.ps1' {
    BeforeEach {
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        $environment = @{ DATASYNCPS_HOME = (Join-Path $work 'home') }
        $common = '-OutputDirectory', (Join-Path $work 'outbox'), '-StatePath', (Join-Path $work 'state.db')
        $script = Join-Path $examplesDir 'sync-all-tables.ps1'
    }

    It 'syncs the tables of its own sync-tables.psd1 into a folder per source, then nothing new, exit 0 each time' {
        $first = Invoke-Pwsh -File $script -ArgumentList $common -Environment $environment
        $first.ExitCode | Should -Be 0 -Because $first.Errors
        (Get-ChildItem (Join-Path $work 'outbox' 'demo') -Filter *.jsonl.gz).Name | Should -Contain 'filiais-000001.jsonl.gz'
        @(Get-ChildItem (Join-Path $work 'outbox' 'demo') -Filter 'vendas-*.jsonl.gz').Count | Should -BeGreaterThan 0

        $again = Invoke-Pwsh -File $script -ArgumentList ($common + '-Verbose') -Environment $environment
        $again.ExitCode | Should -Be 0 -Because $again.Errors
        $again.Output | Should -Match 'All 2 table\(s\) synced'
    }

    It 'writes nothing under -WhatIf' {
        $run = Invoke-Pwsh -File $script -ArgumentList ($common + '-WhatIf') -Environment $environment
        $run.ExitCode | Should -Be 0 -Because $run.Errors
        Test-Path (Join-Path $work 'outbox') | Should -BeFalse
        Test-Path (Join-Path $work 'state.db') | Should -BeFalse
    }

    It 'exits 1 and names a credential that is neither given nor saved' {
        $config = Join-Path $work 'tables.psd1'
        New-Item $work -ItemType Directory -Force | Out-Null
        Set-Content $config "@{ Sources = @( @{ Name = 'erp'; Provider = 'PostgreSql'; Server = '127.0.0.1'; Database = 'erp'; Credential = 'nobody-saved-this'; Tables = @( @{ Table = 'vendas' } ) } ) }"

        $run = Invoke-Pwsh -File $script -ArgumentList ($common + '-ConfigPath', $config) -Environment $environment
        $run.ExitCode | Should -Be 1
        "$($run.Output)$($run.Errors)" | Should -Match "nobody-saved-this"
        "$($run.Output)$($run.Errors)" | Should -Match 'Save-SyncSecret'
    }
}

Describe 'examples/sync-all-tables.ps1 with logins saved by Save-SyncSecret' -Skip:($skipPg -or $skipMariaDb) {
    BeforeAll {
        Assert-TestServer PostgreSql
        Assert-TestServer MariaDb
        $table = 'pester_' + [guid]::NewGuid().ToString('N').Substring(0, 10)
        Invoke-TestSql PostgreSql "CREATE TABLE $table (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now()); INSERT INTO $table (id) SELECT generate_series(1, 12);"
        Invoke-TestSql MariaDb "CREATE TABLE $table (id INT PRIMARY KEY, updated_at DATETIME NOT NULL DEFAULT NOW()); INSERT INTO $table (id) VALUES (1), (2), (3);"
        $pg = Get-TestLogin $pgConnectionString
        $maria = Get-TestLogin $mariaDbConnectionString

        $work = Join-Path $TestDrive 'saved'
        # Saved once, as an admin does before the first night, into the data folder the runs use.
        $env:DATASYNCPS_HOME = Join-Path $work 'home'
        Save-SyncSecret -Name erp-reader -Credential ([pscredential]::new($pg.User, (ConvertTo-SecureString $pg.Password -AsPlainText -Force))) | Out-Null
        Save-SyncSecret -Name loja-sync -Credential ([pscredential]::new($maria.User, (ConvertTo-SecureString $maria.Password -AsPlainText -Force))) | Out-Null
        $env:DATASYNCPS_HOME = $savedHome

        $config = Join-Path $work 'tables.psd1'
        Set-Content $config @"
@{
    Sources = @(
        @{ Name = 'erp'; Provider = 'PostgreSql'; Server = '$($pg.Server)'; Port = $($pg.Port); Database = '$($pg.Database)'; Credential = 'erp-reader'
           Tables = @( @{ Table = '$table'; CursorColumn = 'updated_at' } ) }
        @{ Name = 'loja'; Provider = 'MariaDb'; Server = '$($maria.Server)'; Port = $($maria.Port); Database = '$($maria.Database)'; Credential = 'loja-sync'
           Tables = @( @{ Table = '$table'; CursorColumn = 'updated_at' } ) }
    )
}
"@
        $arguments = '-ConfigPath', $config, '-OutputDirectory', (Join-Path $work 'outbox'), '-StatePath', (Join-Path $work 'state.db')
        $run = Invoke-Pwsh -File (Join-Path $examplesDir 'sync-all-tables.ps1') -ArgumentList $arguments -Environment @{ DATASYNCPS_HOME = (Join-Path $work 'home') }
    }

    AfterAll {
        Invoke-TestSql PostgreSql "DROP TABLE IF EXISTS $table;"
        Invoke-TestSql MariaDb "DROP TABLE IF EXISTS $table;"
    }

    It 'connects with the saved logins by name and exports every table, exit 0' {
        $run.ExitCode | Should -Be 0 -Because $run.Errors
        $run.Errors | Should -BeNullOrEmpty
        @(Get-ChildItem (Join-Path $work 'outbox' 'erp') -Filter "$table-*.jsonl.gz").Count | Should -Be 1
        @(Get-ChildItem (Join-Path $work 'outbox' 'loja') -Filter "$table-*.jsonl.gz").Count | Should -Be 1
        @(Read-BatchLine (Get-ChildItem (Join-Path $work 'outbox' 'erp') -Filter *.jsonl.gz)[0].FullName).Count | Should -Be 12
    }

    It 'shows no password' {
        "$($run.Output)$($run.Errors)" | Should -Not -Match "Password=$([regex]::Escape($pg.Password));"
    }
}
