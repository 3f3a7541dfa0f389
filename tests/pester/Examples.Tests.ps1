# Every script in examples/ runs as a user runs it: pwsh -File in a fresh process, the module found by name
# on PSModulePath (the scripts do not import it), against the demo and the real servers; exit code and
# output checked. A new example gets its checks here. Run with ./build.ps1 -Task Pester.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestServers.ps1')
    $skipPg = Test-SkipServer PostgreSql
    $skipMariaDb = Test-SkipServer MariaDb
    $skipS3 = Test-SkipServer S3
    $skipEmulators = Test-SkipServer Emulators
    $examples = Get-ChildItem (Join-Path $PSScriptRoot '..' '..' 'examples') -Filter *.ps1 | ForEach-Object { @{ Name = $_.Name } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $examplesDir = Join-Path $repoRoot 'examples'
    $savedHome = $env:DATASYNCPS_HOME
    # The examples' checks (below) name the scripts they run.
    $checked = 'quickstart.ps1', 'sync-all-tables.ps1', 'scheduled-job.ps1', 'daily-apis.ps1', 'nightly-backup.ps1'
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

Describe 'examples/scheduled-job.ps1' {
    BeforeAll {
        $work = Join-Path $TestDrive 'scheduled'
        $environment = @{ DATASYNCPS_HOME = (Join-Path $work 'home') }
        $common = '-OutputDirectory', (Join-Path $work 'batches'), '-StatePath', (Join-Path $work 'state.db')
        $script = Join-Path $examplesDir 'scheduled-job.ps1'
        # Everything of the job goes below -JobRoot: one run keeps it, one removes it again.
        $kept = Join-Path $work 'kept'
        $removed = Join-Path $work 'removed'
        $keep = Invoke-Pwsh -File $script -ArgumentList ($common + '-JobRoot', $kept) -Environment $environment
        $remove = Invoke-Pwsh -File $script -ArgumentList ($common + '-JobRoot', $removed, '-Unregister') -Environment $environment
        # What the job's manifest says: systemd where it runs (CI runners), a cron.d file elsewhere (containers).
        $manifest = Join-Path $kept 'jobs' 'system' 'demo-nightly.json'
        $job = if (Test-Path $manifest) { Get-Content $manifest -Raw | ConvertFrom-Json }
        # Only systemd and Task Scheduler are told anything; a cron.d file needs no command.
        $commands = { param($root) $log = Join-Path $root 'scheduler-commands.log'; if (Test-Path $log) { @(Get-Content $log) } else { @() } }
    }

    It 'registers the quickstart with its output folder and state store, every file below -JobRoot, and exits 0' {
        $keep.ExitCode | Should -Be 0 -Because $keep.Errors
        $keep.Errors | Should -BeNullOrEmpty
        $keep.Output | Should -Match '1\. What registering would write \(-WhatIf changes nothing\)'
        $keep.Output | Should -Match '2\. Registering it'
        $keep.Output | Should -Match '3\. What the run at \d{4}-\d\d-\d\d 01:00 -03:00 will use'
        $keep.Output | Should -Not -Match '4\. Removing it'

        $job | Should -Not -BeNullOrEmpty -Because "the job's manifest is below -JobRoot"
        $job.ScriptPath | Should -Be (Join-Path $examplesDir 'quickstart.ps1')
        $job.Arguments | Should -Be $common
        $job.Schedule | Should -Be 'Daily 01:00'
        $job.TimeZone | Should -Be 'America/Sao_Paulo'
        foreach ($file in @($job.Files) + $job.LogPath) { $file | Should -BeLike "$kept*" }
        foreach ($file in @($job.Files)) { $file | Should -Exist }
        Test-Path (Join-Path $work 'batches') | Should -BeFalse -Because 'registering runs nothing'
    }

    It 'records the scheduler commands in scheduler-commands.log instead of running them' {
        # Nothing reached the machine's own scheduler.
        foreach ($file in '/etc/cron.d/datasyncps-demo-nightly', '/etc/systemd/system/datasyncps-demo-nightly.timer') { $file | Should -Not -Exist }
        switch ($job.Scheduler) {
            'Systemd' { & $commands $kept | Should -Contain 'systemctl enable --now datasyncps-demo-nightly.timer' }
            'TaskScheduler' { & $commands $kept | Should -BeLike 'schtasks.exe /Create /TN \DataSyncPS\demo-nightly /XML *' }
            default { & $commands $kept | Should -BeNullOrEmpty }
        }
    }

    It 'reports what Test-SyncJob checks, where only the module may fail (it is not installed where pwsh looks, in CI)' {
        $keep.Output | Should -Match 'Registration\s+Pass'
        $keep.Output | Should -Match 'Pwsh\s+Pass'
        $keep.Output | Should -Match 'Source\s+Pass'
        $keep.Output | Should -Match 'Module\s+(Pass|Warn|Fail)'
        $keep.Output | Should -Match 'Every check passed: the job can run unattended\.|1 check\(s\) would fail tonight: Module\r?\n'
    }

    It 'removes the job again under -Unregister and exits 0' {
        $remove.ExitCode | Should -Be 0 -Because $remove.Errors
        $remove.Errors | Should -BeNullOrEmpty
        $remove.Output | Should -Match '4\. Removing it again'
        $remove.Output | Should -Match 'Registered jobs now: 0'
        @(Get-ChildItem $removed -Recurse -File | Where-Object Name -NE 'scheduler-commands.log') | Should -BeNullOrEmpty
        if ($job.Scheduler -ne 'Cron') {
            (& $commands $removed).Count | Should -BeGreaterThan (& $commands $kept).Count -Because 'the scheduler is told to drop the job'
        }
    }
}

Describe 'examples/daily-apis.ps1' -Skip:($skipPg -or $skipEmulators) {
    BeforeAll {
        Assert-TestServer PostgreSql
        Assert-TestServer Emulators
        # The example writes into the schemas auvo and e_track of the database it is given: the test one.
        Invoke-TestSql PostgreSql 'DROP SCHEMA IF EXISTS auvo CASCADE; DROP SCHEMA IF EXISTS e_track CASCADE;'
        $auvo = Start-AuvoEmulator -Records 40
        $etrack = Start-ETrackEmulator
        $plusoft = Start-PlusoftEmulator
        $pg = Get-TestLogin $pgConnectionString
        # Consinco, for the Plusoft part: the test database stands in for the Oracle one, with tables named
        # like the views of the default mapping.
        New-ConsincoSample PostgreSql -Filiais 3 -Produtos 20 -Clientes 15 -Vendas 60

        $work = Join-Path $TestDrive 'daily'
        # Saved once, as an admin does before the first night: the database login and both APIs' keys,
        # under the names the example uses by default (auvo, etrack).
        $env:DATASYNCPS_HOME = Join-Path $work 'home'
        Save-SyncSecret -Name sync-writer -Credential ([pscredential]::new($pg.User, (ConvertTo-TestSecureString $pg.Password))) | Out-Null
        Save-SyncSecret -Name auvo -Credential ([pscredential]::new($auvo.ApiKey, (ConvertTo-TestSecureString $auvo.ApiToken))) | Out-Null
        Save-SyncSecret -Name etrack -Credential ([pscredential]::new($etrack.User, (ConvertTo-TestSecureString $etrack.ApiKey))) | Out-Null
        Save-SyncSecret -Name etrack-old -Credential ([pscredential]::new($etrack.User, (ConvertTo-TestSecureString 'a-key-e-Track-revoked'))) | Out-Null
        Save-SyncSecret -Name plusoft -ApiKey (ConvertTo-TestSecureString $plusoft.ApiToken) -SkipValidation | Out-Null
        $env:DATASYNCPS_HOME = $savedHome

        $environment = @{ DATASYNCPS_HOME = (Join-Path $work 'home') }
        $script = Join-Path $examplesDir 'daily-apis.ps1'
        $database = '-Server', $pg.Server, '-Database', $pg.Database, '-Credential', 'sync-writer'
        $consinco = '-ConsincoProvider', 'PostgreSql', '-ConsincoServer', $pg.Server, '-ConsincoDatabase', $pg.Database, '-ConsincoCredential', 'sync-writer',
            '-PlusoftApiUrl', $plusoft.ApiUrl, '-PlusoftLogDirectory', (Join-Path $work 'Logs')
        $arguments = $database + $consinco + '-AuvoApiUrl', $auvo.ApiUrl, '-ETrackApiUrl', $etrack.ApiUrl
        # Nothing listens here: a part that is skipped never calls it.
        $nowhere = 'http://127.0.0.1:9/'
        $entities = 'customers', 'tasks', 'users', 'equipments', 'products', 'services', 'teams', 'segments', 'questionnaires'
        # Each table's rows, as text, in a fixed order: equal when a run changed nothing.
        $contents = {
            ($entities | ForEach-Object { "auvo.$_" }) + 'e_track.posicoes' | ForEach-Object {
                "$_ " + (Invoke-TestSql PostgreSql "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM $_ t;" -Scalar)
            }
        }
        $count = { param($table) [long](Invoke-TestSql PostgreSql "SELECT count(*) FROM $table;" -Scalar) }
    }

    AfterAll {
        Stop-ApiEmulator $auvo
        Stop-ApiEmulator $etrack
        Stop-ApiEmulator $plusoft
        Invoke-TestSql PostgreSql 'DROP SCHEMA IF EXISTS auvo CASCADE; DROP SCHEMA IF EXISTS e_track CASCADE;'
        Remove-ConsincoSample PostgreSql
    }

    It 'collects every Auvo entity and a day of e-Track positions into PostgreSQL, and sends the four Consinco entities to Plusoft, with the saved logins, exit 0' {
        $run = Invoke-Pwsh -File $script -ArgumentList $arguments -Environment $environment
        $run.ExitCode | Should -Be 0 -Because "$($run.Output)$($run.Errors)"
        $run.Errors | Should -BeNullOrEmpty
        foreach ($entity in $entities) { & $count "auvo.$entity" | Should -Be 40 -Because "auvo.$entity" }
        # A position every 5 minutes of yesterday, for each of the emulator's 3 vehicles.
        & $count e_track.posicoes | Should -Be (3 * 288)
        # Every record of each entity once, the sales checked against what was sent before them.
        $received = Get-PlusoftReceived $plusoft
        @($received.filiais.records, $received.produtos.records, $received.clientes.records, $received.vendas.records) | Should -Be @(3, 20, 15, 60)
        @($received.filiais.received_twice, $received.produtos.received_twice, $received.clientes.received_twice, $received.vendas.received_twice) | Should -Be @(0, 0, 0, 0)
        $run.Output | Should -Match 'Vendas\s+60\s+1\s+0\s+0'
        @(Get-ChildItem (Join-Path $work 'Logs') -Recurse -Filter '*_Rota_Vendas.log').Count | Should -Be 1
        "$($run.Output)$($run.Errors)" | Should -Not -Match ([regex]::Escape($auvo.ApiToken))
        "$($run.Output)$($run.Errors)" | Should -Not -Match ([regex]::Escape($plusoft.ApiToken))
    }

    It 'changes nothing when run again' {
        $before = & $contents
        $run = Invoke-Pwsh -File $script -ArgumentList $arguments -Environment $environment
        $run.ExitCode | Should -Be 0 -Because "$($run.Output)$($run.Errors)"
        $run.Errors | Should -BeNullOrEmpty
        (& $contents) -join "`n" | Should -Be ($before -join "`n")
        (Get-PlusoftReceived $plusoft).vendas.records | Should -Be 60
    }

    It 'skips e-Track under -SkipETrack and Auvo under -SkipAuvo' {
        Invoke-TestSql PostgreSql 'TRUNCATE e_track.posicoes;'
        $auvoOnly = Invoke-Pwsh -File $script -ArgumentList ($database + '-AuvoApiUrl', $auvo.ApiUrl, '-ETrackApiUrl', $nowhere, '-SkipETrack', '-SkipPlusoft') -Environment $environment
        $auvoOnly.ExitCode | Should -Be 0 -Because "$($auvoOnly.Output)$($auvoOnly.Errors)"
        & $count e_track.posicoes | Should -Be 0

        $etrackOnly = Invoke-Pwsh -File $script -ArgumentList ($database + '-AuvoApiUrl', $nowhere, '-ETrackApiUrl', $etrack.ApiUrl, '-SkipAuvo', '-SkipPlusoft') -Environment $environment
        $etrackOnly.ExitCode | Should -Be 0 -Because "$($etrackOnly.Output)$($etrackOnly.Errors)"
        & $count e_track.posicoes | Should -Be (3 * 288)
    }

    It 'sends only the new sales to Plusoft with -SkipAuvo -SkipETrack, needing no PostgreSQL target' {
        Invoke-TestSql PostgreSql 'INSERT INTO "VW_PLUSOFT_VENDA" ("NROEMPRESA", "NUMERODF", "SEQITEM", "DTAVDA", "SEQPRODUTO", "QTDITEM", "VLRTOTAL") VALUES (1, 900, 1, date ''2024-08-01'', 1, 1, 9.90), (1, 900, 2, date ''2024-08-01'', 2, 1, 9.90);'
        $plusoftOnly = Invoke-Pwsh -File $script -ArgumentList ($consinco + '-Server', '127.0.0.1', '-Database', 'nowhere', '-AuvoApiUrl', $nowhere, '-ETrackApiUrl', $nowhere, '-SkipAuvo', '-SkipETrack') -Environment $environment
        $plusoftOnly.ExitCode | Should -Be 0 -Because "$($plusoftOnly.Output)$($plusoftOnly.Errors)"
        (Get-PlusoftReceived $plusoft).vendas.records | Should -Be 62
        (Get-PlusoftReceived $plusoft).vendas.received_twice | Should -Be 0
    }

    It 'exits 1 and names the part that failed when an API refuses its key' {
        $run = Invoke-Pwsh -File $script -ArgumentList ($arguments + '-SkipAuvo', '-ETrackCredential', 'etrack-old') -Environment $environment
        $run.ExitCode | Should -Be 1
        "$($run.Output)$($run.Errors)" | Should -Match 'Failed: e_track\.posicoes'
    }
}

Describe 'examples/nightly-backup.ps1' -Skip:($skipPg -or $skipMariaDb -or $skipS3) {
    BeforeAll {
        Assert-TestServer PostgreSql
        Assert-TestServer MariaDb
        Assert-TestServer S3
        $pg = Get-TestLogin $pgConnectionString
        $maria = Get-TestLogin $mariaDbConnectionString
        # A database of its own on each server, so the night backs up something small and known.
        $db = 'pester_nightly_' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        Invoke-TestSql PostgreSql "CREATE DATABASE $db;"
        Invoke-TestSql MariaDb "CREATE DATABASE $db;"
        # s3rver takes an unsigned bucket creation; the backups then go through the AWS SDK.
        $bucket = 'pester-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
        Invoke-WebRequest -Method Put -Uri "$s3Url/$bucket" -UseBasicParsing | Out-Null

        $work = Join-Path $TestDrive 'nightly'
        $environment = @{ DATASYNCPS_HOME = (Join-Path $work 'home') }
        # The logins saved once, as an admin does before the first night, under the script's default names.
        $env:DATASYNCPS_HOME = $environment.DATASYNCPS_HOME
        Save-SyncSecret -Name pg-backup -Credential ([pscredential]::new($pg.User, (ConvertTo-SecureString $pg.Password -AsPlainText -Force))) | Out-Null
        Save-SyncSecret -Name mariadb-backup -Credential ([pscredential]::new($maria.User, (ConvertTo-SecureString $maria.Password -AsPlainText -Force))) | Out-Null
        Save-SyncSecret -Name r2-backup -Credential ([pscredential]::new('S3RVER', (ConvertTo-SecureString 'S3RVER' -AsPlainText -Force))) | Out-Null
        $env:DATASYNCPS_HOME = $savedHome

        $arguments = '-Database', $db, '-Endpoint', $s3Url, '-Bucket', $bucket, '-Prefix', 'nightly',
            '-SmtpServer', '127.0.0.1', '-SmtpPort', '1025', '-SmtpSecurity', 'None'
        $run = Invoke-Pwsh -File (Join-Path $examplesDir 'nightly-backup.ps1') -ArgumentList $arguments -Environment $environment
        $keys = ([xml](Invoke-WebRequest -Uri "$s3Url/$bucket" -UseBasicParsing).Content).ListBucketResult.Contents.Key
    }

    AfterAll {
        Invoke-TestSql PostgreSql "DROP DATABASE IF EXISTS $db;"
        Invoke-TestSql MariaDb "DROP DATABASE IF EXISTS $db;"
    }

    It 'backs up the database of both servers into date folders of the bucket, verified, and exits 0' {
        $run.ExitCode | Should -Be 0 -Because "$($run.Output)$($run.Errors)"
        @($keys | Where-Object { $_ -match "^nightly/\d{8}/[^/]*_$($db)_[a-z]+_\d{8}T\d{6}Z\.dump$" }).Count | Should -Be 1
        @($keys | Where-Object { $_ -match "^nightly/\d{8}/[^/]*_$($db)_[a-z]+_\d{8}T\d{6}Z\.sql\.gz$" }).Count | Should -Be 1
    }
}
