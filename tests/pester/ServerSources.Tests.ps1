# Connect-SyncSource and Export-SyncBatch against the real PostgreSQL and MariaDB test servers (.ci/servers.sh),
# as an admin checks a new source: log in with a PSCredential or a saved name, export, rerun.
# Tables are made with the servers' own clients (psql, mariadb). Run with ./build.ps1 -Task Pester.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestServers.ps1')
    $skipPg = Test-SkipServer PostgreSql
    $skipMariaDb = Test-SkipServer MariaDb
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $savedHome = $env:DATASYNCPS_HOME
    $env:DATASYNCPS_HOME = Join-Path $TestDrive 'home'
    $fqid = { param($id) "$id,DataSyncPS.Cmdlets.ConnectSyncSourceCommand" }
    $exportId = { param($id) "$id,DataSyncPS.Cmdlets.ExportSyncBatchCommand" }
}

AfterAll {
    $env:DATASYNCPS_HOME = $savedHome
}

Describe 'A PostgreSQL source' -Skip:$skipPg {
    BeforeAll {
        Assert-TestServer PostgreSql
        $login = Get-TestLogin $pgConnectionString
        $credential = [pscredential]::new($login.User, (ConvertTo-SecureString $login.Password -AsPlainText -Force))
        $server = @{ Provider = 'PostgreSql'; Server = $login.Server; Port = $login.Port; Database = $login.Database }
    }

    BeforeEach {
        $table = 'pester_' + [guid]::NewGuid().ToString('N').Substring(0, 10)
        Invoke-TestSql PostgreSql @"
CREATE TABLE $table (id int PRIMARY KEY, nome text, valor numeric(12,2), pago boolean, extra jsonb,
                     updated_at timestamptz NOT NULL);
INSERT INTO $table SELECT g, 'Ação nº ' || g, g * 1.5, g % 2 = 0, '{"canal": "loja"}',
                          timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute'
FROM generate_series(1, 25) g;
"@
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        $common = @{ OutputDirectory = (Join-Path $work 'out'); StatePath = (Join-Path $work 'state.db') }
    }

    AfterEach {
        Invoke-TestSql PostgreSql "DROP TABLE IF EXISTS $table;"
    }

    It 'connects with a PSCredential and shows the server version, never the password' {
        $source = Connect-SyncSource @server -Credential $credential -Name erp

        $source.Name | Should -Be erp
        $source.User | Should -Be $login.User
        $source.ServerVersion | Should -Match '^\d+\.\d+'
        ($source | Format-List * | Out-String) | Should -Not -Match "Password"
    }

    It 'connects with a login saved by Save-SyncSecret, by its name' {
        Save-SyncSecret -Name pg-reader -Credential $credential -Force | Out-Null
        try { (Connect-SyncSource @server -Credential pg-reader).User | Should -Be $login.User }
        finally { Remove-SyncSecret pg-reader }
    }

    It 'fails with AuthenticationFailed for a wrong password, naming the database and not the password' {
        $wrong = [pscredential]::new($login.User, (ConvertTo-SecureString 'Wrong-Pester-Password-81' -AsPlainText -Force))
        $thrown = { Connect-SyncSource @server -Credential $wrong -ConnectTimeout 5 } | Should -Throw -ErrorId (& $fqid AuthenticationFailed) -PassThru

        "$thrown" | Should -Match $login.Database
        "$thrown" | Should -Not -Match 'Wrong-Pester-Password-81'
    }

    It 'fails with DatabaseNotFound for a database that is not there' {
        $elsewhere = $server.Clone()
        $elsewhere.Database = 'no_such_db_pester'
        { Connect-SyncSource @elsewhere -Credential $credential } | Should -Throw -ErrorId (& $fqid DatabaseNotFound)
    }

    It 'exports incrementally: the cursor found by itself, and a rerun exports only what changed' {
        $source = Connect-SyncSource @server -Credential $credential
        $verbose = $source | Export-SyncBatch -Table $table -Incremental -BatchSize 10 @common -Verbose 4>&1
        $batches = $verbose | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }

        $batches.Rows | Should -Be 10, 10, 5
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain 'Keyset: (updated_at, id); the first is the cursor.'
        $source | Export-SyncBatch -Table $table -Incremental @common | Should -BeNullOrEmpty

        Invoke-TestSql PostgreSql "UPDATE $table SET valor = 0.10, updated_at = timestamptz '2024-06-01 00:00:00+00' WHERE id = 7;"
        $changed = $source | Export-SyncBatch -Table $table -Incremental @common
        $changed.Rows | Should -Be 1
        Read-BatchLine $changed.Path | Should -Be '{"id":7,"nome":"Ação nº 7","valor":0.10,"pago":false,"extra":{"canal": "loja"},"updated_at":"2024-06-01T00:00:00+00:00"}'
    }

    It 'shows every SQL statement in -Verbose, with no password' {
        $verbose = Connect-SyncSource @server -Credential $credential | Export-SyncBatch -Table $table @common -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message

        $verbose | Where-Object { $_ -like 'SQL: *' } | Should -Not -BeNullOrEmpty
        $verbose -join "`n" | Should -Not -Match "Password=|$([regex]::Escape($login.Password))@"
    }

    It 'writes nothing and no state under -WhatIf' {
        Connect-SyncSource @server -Credential $credential | Export-SyncBatch -Table $table @common -WhatIf | Should -BeNullOrEmpty
        Test-Path $common.OutputDirectory | Should -BeFalse
        Test-Path $common.StatePath | Should -BeFalse
    }

    It 'exports several piped sources, and one that fails does not stop the others' {
        $down = Connect-SyncSource -Provider PostgreSql -Server 127.0.0.1 -Port 1 -Database x -SkipTest -ConnectTimeout 2
        $pg = Connect-SyncSource @server -Credential $credential

        $batches = $down, $pg | Export-SyncBatch -Table $table @common -ErrorVariable failed -ErrorAction SilentlyContinue
        $batches.Rows | Should -Be 25
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be (& $exportId HostUnreachable)
    }

    It 'refuses an unknown table with TableNotFound and writes nothing' {
        { Connect-SyncSource @server -Credential $credential | Export-SyncBatch -Table no_such_table_pester @common -ErrorAction Stop } |
            Should -Throw -ErrorId (& $exportId TableNotFound)
        @(Get-ChildItem $common.OutputDirectory -Filter *.jsonl.gz -ErrorAction Ignore).Count | Should -Be 0
    }
}

Describe 'A MariaDB source' -Skip:$skipMariaDb {
    BeforeAll {
        Assert-TestServer MariaDb
        $login = Get-TestLogin $mariaDbConnectionString
        $credential = [pscredential]::new($login.User, (ConvertTo-SecureString $login.Password -AsPlainText -Force))
        $server = @{ Provider = 'MariaDb'; Server = $login.Server; Port = $login.Port; Database = $login.Database }
    }

    BeforeEach {
        $table = 'pester_' + [guid]::NewGuid().ToString('N').Substring(0, 10)
        Invoke-TestSql MariaDb @"
CREATE TABLE $table (id INT PRIMARY KEY, valor DECIMAL(12,2), ativo TINYINT(1), extra JSON, updated_at DATETIME NOT NULL);
INSERT INTO $table VALUES (1, 10.50, 1, '{"a": 1}', '2024-01-01 10:00:00'), (2, 0.05, 0, NULL, '2024-01-01 11:00:00');
"@
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        $common = @{ OutputDirectory = (Join-Path $work 'out'); StatePath = (Join-Path $work 'state.db') }
    }

    AfterEach {
        Invoke-TestSql MariaDb "DROP TABLE IF EXISTS $table;"
    }

    It 'connects and exports exact values, booleans and JSON, with the source''s time zone' {
        $source = Connect-SyncSource @server -Credential $credential -TimeZone America/Sao_Paulo
        $source.ServerVersion | Should -Match 'MariaDB'

        $batch = $source | Export-SyncBatch -Table $table -Incremental @common
        Read-BatchLine $batch.Path | Should -Be @(
            '{"id":1,"valor":10.50,"ativo":true,"extra":{"a": 1},"updated_at":"2024-01-01T10:00:00-03:00"}'
            '{"id":2,"valor":0.05,"ativo":false,"extra":null,"updated_at":"2024-01-01T11:00:00-03:00"}'
        )
        $source | Export-SyncBatch -Table $table -Incremental @common | Should -BeNullOrEmpty
    }

    It 'fails with AuthenticationFailed for a wrong password' {
        $wrong = [pscredential]::new($login.User, (ConvertTo-SecureString 'Wrong-Pester-Password-82' -AsPlainText -Force))
        $thrown = { Connect-SyncSource @server -Credential $wrong } | Should -Throw -ErrorId (& $fqid AuthenticationFailed) -PassThru
        "$thrown" | Should -Not -Match 'Wrong-Pester-Password-82'
    }
}
