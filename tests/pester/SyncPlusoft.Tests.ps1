# Sync-Plusoft as a pwsh user runs it: Consinco-shaped tables on the PostgreSQL and MariaDB test servers
# (tests/Shared/consinco-sample.*.sql), the module's default mapping pointed at them, and the Plusoft
# emulator as a process of its own. Without a server the tests are skipped, except under CI=true.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestServers.ps1')
    $skipPg = Test-SkipServer PostgreSql
    $skipMariaDb = Test-SkipServer MariaDb
    $skipEmulators = Test-SkipServer Emulators
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $fqid = { param($id) "$id,DataSyncPS.Cmdlets.SyncPlusoftCommand" }
    # The default mapping, its views renamed to a test's own tables.
    function New-TestMapping([string] $Prefix) {
        $default = Join-Path (Get-Module DataSyncPS).ModuleBase 'Mappings' 'Plusoft.psd1'
        $path = Join-Path $TestDrive "mapping-$Prefix.psd1"
        Set-Content -Path $path -Value ((Get-Content $default -Raw).Replace("'VW_PLUSOFT_", "'$($Prefix)VW_PLUSOFT_"))
        $path
    }
}

Describe 'Sync-Plusoft from PostgreSQL' -Skip:($skipPg -or $skipEmulators) {
    BeforeAll {
        Assert-TestServer PostgreSql
        Assert-TestServer Emulators
        $prefix = 'pester_' + [guid]::NewGuid().ToString('N').Substring(0, 6) + '_'
        New-ConsincoSample PostgreSql -Prefix $prefix -Filiais 4 -Produtos 30 -Clientes 25 -Vendas 90
        $emulator = Start-PlusoftEmulator
        $pg = Connect-SyncSource -Provider PostgreSql -ConnectionString $pgConnectionString
        $send = @{
            ApiUrl = $emulator.ApiUrl; ApiKey = (ConvertTo-TestSecureString $emulator.ApiToken); MappingPath = (New-TestMapping $prefix)
            StatePath = (Join-Path $TestDrive 'state.db'); BatchSize = 20
        }
    }

    AfterAll {
        Stop-ApiEmulator $emulator
        Remove-ConsincoSample PostgreSql $prefix
    }

    It 'shows the mapped records with -Preview and sends nothing, nor under -WhatIf' {
        $records = $pg | Sync-Plusoft Produtos -Preview -Skip 5 -First 3 -MappingPath $send.MappingPath
        $records.Count | Should -Be 3
        $records[0].PSObject.TypeNames[0] | Should -Be 'DataSyncPS.Plusoft.Produtos'
        $records.CODPRODUTO | Should -Be @(6, 7, 8)
        $records[0].PRECO | Should -Be 6.99
        $pg | Sync-Plusoft @send -WhatIf | Should -BeNullOrEmpty
        (Get-PlusoftReceived $emulator).produtos.records | Should -Be 0
        Test-Path $send.StatePath | Should -BeFalse
    }

    It 'says under -WhatIf how far back an incremental entity reads again' {
        # What if: lines go to the host, not to a stream: read them as the console shows them, from a pwsh of its own.
        $run = Invoke-Pwsh -Command ("`$pg = Connect-SyncSource -Provider PostgreSql -ConnectionString '$pgConnectionString'; " +
            "`$pg | Sync-Plusoft Vendas -ApiUrl '$($emulator.ApiUrl)' -ApiKey (ConvertTo-SecureString '$($emulator.ApiToken)' -AsPlainText -Force) " +
            "-MappingPath '$($send.MappingPath)' -StatePath '$($send.StatePath)' -LookbackDays 2 -WhatIf")
        $run.ExitCode | Should -Be 0 -Because $run.Errors
        $shown = $run.Output -replace '\s+', ' '
        $shown | Should -Match "What if: .*Send to POST .*vendas \(incremental by DTAVDA, from 2 day\(s\) before the last run's DTAVDA, batches of 1,000\)"
        (Get-PlusoftReceived $emulator).vendas.records | Should -Be 0
    }

    It 'sends every entity in the safe order, a result per batch and a summary per entity, with route logs' {
        $logs = Join-Path $TestDrive 'Logs'
        $out = $pg | Sync-Plusoft @send -LogDirectory $logs
        $summaries = $out | Where-Object { $_.PSObject.TypeNames[0] -eq 'DataSyncPS.PlusoftSyncSummary' }
        $summaries.Entity | Should -Be @('Filiais', 'Produtos', 'Clientes', 'Vendas')
        $summaries.Rows | Should -Be @(4, 30, 25, 90)
        ($out | Where-Object { $_.PSObject.TypeNames[0] -eq 'DataSyncPS.PlusoftBatchResult' }).Count | Should -Be (1 + 2 + 2 + 5)
        $received = Get-PlusoftReceived $emulator
        @($received.filiais.records, $received.produtos.records, $received.clientes.records, $received.vendas.records) | Should -Be @(4, 30, 25, 90)
        # One file per entity, where the seed's admins look: Logs/Rota_Vendas/<Mês>/<dd>/<dd_MM_yyyy_HHhmm>_Rota_Vendas.log
        $files = Get-ChildItem $logs -Recurse -File | ForEach-Object { [System.IO.Path]::GetRelativePath($logs, $_.FullName).Replace('\', '/') } | Sort-Object
        $files.Count | Should -Be 4
        $files | ForEach-Object { $_ | Should -Match '^Rota_(Clientes|Filial|Produtos|Vendas)/(Janeiro|Fevereiro|Março|Abril|Maio|Junho|Julho|Agosto|Setembro|Outubro|Novembro|Dezembro)/(\d\d)/\3_\d\d_\d{4}_\d\dh\d\d_Rota_\1\.log$' }
        ($out | Format-Table | Out-String) | Should -Match 'Plusoft: Vendas'
        (Get-SyncState plusoft-vendas -StatePath $send.StatePath).ConfirmedBatches | Should -Be 5
    }

    It 'sends nothing when nothing changed, and then only the changed rows' {
        $pg | Sync-Plusoft @send | Where-Object { $_.PSObject.TypeNames[0] -eq 'DataSyncPS.PlusoftBatchResult' } | Should -BeNullOrEmpty
        Invoke-TestSql PostgreSql "UPDATE `"$($prefix)VW_PLUSOFT_CLIENTE`" SET `"NOMERAZAO`" = 'Maria das Dores', `"DTAALTERACAO`" = timestamp '2024-08-01 10:00' WHERE `"SEQPESSOA`" = 12;" | Out-Null
        $changed = $pg | Sync-Plusoft Clientes @send
        $changed[-1].Rows | Should -Be 1
        $cliente = Invoke-RestMethod "$($emulator.ControlUrl)/records/clientes" | ForEach-Object { $_ } | Where-Object CODCLIENTE -EQ 12
        $cliente.NOME | Should -Be 'Maria das Dores' -Because ($cliente | ConvertTo-Json -Compress)
    }

    It 'sends a sale posted late for a synced date with -LookbackDays, counting the window it sends again' {
        # 1 July, a key before the watermark's: "after the watermark" never reads it.
        Invoke-TestSql PostgreSql "INSERT INTO `"$($prefix)VW_PLUSOFT_VENDA`" (`"NROEMPRESA`", `"NUMERODF`", `"SERIEDF`", `"SEQITEM`", `"DTAVDA`", `"SEQPRODUTO`", `"QTDITEM`", `"VLRTOTAL`") VALUES (1, 1, '1', 9, date '2024-07-01', 1, 1, 9.90);" | Out-Null
        ($pg | Sync-Plusoft Vendas @send)[-1].Rows | Should -Be 0
        $out = $pg | Sync-Plusoft Vendas @send -LookbackDays 1
        $out[-1].LookbackRows | Should -Be 91
        $out[-1].Rows | Should -Be 91
        ($out | Format-Table | Out-String -Width 200) | Should -Match '5 delivered, 91 row\(s\) of the look-back'
        $venda = Invoke-RestMethod "$($emulator.ControlUrl)/records/vendas" | ForEach-Object { $_ } | Where-Object { $_.NUMERODOCUMENTO -eq 1 -and $_.ITEM -eq 9 }
        $venda.DATAVENDA | Should -Be '2024-07-01'
    }

    It 'reports a batch Plusoft rejects as a non-terminating BatchRejected error, goes on, and -Pending sends it once fixed' {
        Invoke-TestSql PostgreSql "INSERT INTO `"$($prefix)VW_PLUSOFT_PRODUTO`" VALUES (31, 'Café 500g', 'CAFE', NULL, 1, 'UN', 12.5, 'A', timestamp '2024-08-01 00:00:01'), (32, '', 'SEM NOME', NULL, 1, 'UN', 1, 'A', timestamp '2024-08-01 00:00:02');" | Out-Null
        Invoke-TestSql PostgreSql "INSERT INTO `"$($prefix)VW_PLUSOFT_PRODUTO`" SELECT i, 'Produto ' || i, 'P', NULL, 1, 'UN', 1, 'A', timestamp '2024-08-02 00:00:00' + i * interval '1 second' FROM generate_series(33, 60) i;" | Out-Null
        $out = $pg | Sync-Plusoft Produtos @send -ErrorVariable rejected -ErrorAction SilentlyContinue
        $rejected.Count | Should -Be 1
        $rejected[0].FullyQualifiedErrorId | Should -Be (& $fqid BatchRejected)
        "$($rejected[0])" | Should -Match 'Plusoft rejected Produtos batch #3 \(20 record\(s\), keys \(2024-08-01 00:00:01, 31\) to'
        "$($rejected[0])" | Should -Match 'TXTDESCRICAO: campo obrigatório'
        ($out | Where-Object Status -EQ 'Delivered').Count | Should -Be 1
        (Get-SyncState plusoft-produtos -StatePath $send.StatePath).PendingBatches | Should -Be 1

        Invoke-TestSql PostgreSql "UPDATE `"$($prefix)VW_PLUSOFT_PRODUTO`" SET `"DESCCOMPLETA`" = 'Produto sem nome' WHERE `"SEQPRODUTO`" = 32;" | Out-Null
        $retried = $pg | Sync-Plusoft Produtos -Pending -ApiUrl $send.ApiUrl -ApiKey $send.ApiKey -MappingPath $send.MappingPath -StatePath $send.StatePath
        $retried[0].Status | Should -Be 'Delivered'
        $retried[0].Retried | Should -BeTrue
        (Get-PlusoftReceived $emulator).produtos.records | Should -Be 60
        (Get-PlusoftReceived $emulator).produtos.received_twice | Should -Be 0
    }

    It 'stops before sending anything when the mapping names a column the view does not have' {
        $bad = Join-Path $TestDrive 'bad-mapping.psd1'
        Set-Content $bad ((Get-Content $send.MappingPath -Raw).Replace("Column = 'FONENRO'", "Column = 'TELEFONE'"))
        $before = (Get-PlusoftReceived $emulator).clientes.records
        { $pg | Sync-Plusoft @send -MappingPath $bad -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid ColumnNotFound)
        (Get-PlusoftReceived $emulator).clientes.records | Should -Be $before
    }

    It 'tab-completes -Entity and documents itself' {
        (TabExpansion2 -inputScript 'Sync-Plusoft -Entity Cl' -cursorColumn 23).CompletionMatches.CompletionText | Should -Be 'Clientes'
        (Get-Help Sync-Plusoft -Examples).examples.example.Count | Should -BeGreaterOrEqual 3
    }
}

Describe 'Sync-Plusoft from MariaDB' -Skip:($skipMariaDb -or $skipEmulators) {
    BeforeAll {
        Assert-TestServer MariaDb
        Assert-TestServer Emulators
        $prefix = 'pester_' + [guid]::NewGuid().ToString('N').Substring(0, 6) + '_'
        New-ConsincoSample MariaDb -Prefix $prefix -Filiais 3 -Produtos 10 -Clientes 10 -Vendas 45
        $emulator = Start-PlusoftEmulator
        $maria = Connect-SyncSource -Provider MariaDb -ConnectionString $mariaDbConnectionString
    }

    AfterAll {
        Stop-ApiEmulator $emulator
        Remove-ConsincoSample MariaDb $prefix
    }

    It 'sends every entity with the default mapping, each record once' {
        $out = $maria | Sync-Plusoft -ApiUrl $emulator.ApiUrl -ApiKey (ConvertTo-TestSecureString $emulator.ApiToken) -MappingPath (New-TestMapping $prefix) -StatePath (Join-Path $TestDrive 'maria.db')
        ($out | Where-Object { $_.PSObject.TypeNames[0] -eq 'DataSyncPS.PlusoftSyncSummary' }).Rows | Should -Be @(3, 10, 10, 45)
        $received = Get-PlusoftReceived $emulator
        @($received.filiais.received_twice, $received.produtos.received_twice, $received.clientes.received_twice, $received.vendas.received_twice) | Should -Be @(0, 0, 0, 0)
        $received.vendas.records | Should -Be 45
    }
}
