# Write-SyncTable as a pwsh user sees it: Import-Csv rows and typed objects upserted into the
# PostgreSQL test database (DATASYNC_TEST_PG, as the xunit suite uses). Without the server the tests
# are skipped, except under CI=true, where a missing server fails them.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $cs = if ($env:DATASYNC_TEST_PG) { $env:DATASYNC_TEST_PG } else { 'Host=127.0.0.1;Port=5432;Username=datasync;Password=datasync;Database=datasync_test' }
    $pg = Connect-SyncSource -Provider PostgreSql -ConnectionString $cs -ErrorAction SilentlyContinue -ErrorVariable connectError
    if (-not $pg -and $env:CI -eq 'true') { throw "PostgreSQL is not available under CI: $connectError" }
    $fqid = { param($id) "$id,DataSyncPS.Cmdlets.WriteSyncTableCommand" }
    $table = 'pester_write_' + [guid]::NewGuid().ToString('N').Substring(0, 8)
}

Describe 'Write-SyncTable' {
    BeforeEach {
        if (-not $pg) { Set-ItResult -Skipped -Because 'the PostgreSQL test server is not available' }
    }

    It 'creates the table from CSV rows and upserts them; a rerun changes nothing' {
        $csv = Join-Path $TestDrive 'produtos.csv'
        Set-Content -Path $csv -Value "codigo,descricao`n1,Parafuso`n2,Porca`n3,Arruela"

        $first = Import-Csv $csv | Write-SyncTable -Source $pg -Table $table -Key codigo -CreateTable
        $first.PSObject.TypeNames[0] | Should -Be 'DataSyncPS.TableWriteResult'
        $first.Created | Should -BeTrue
        $first.Inserted | Should -Be 3

        $again = Import-Csv $csv | Write-SyncTable -Source $pg -Table $table -Key codigo
        $again.Inserted | Should -Be 0
        $again.Updated | Should -Be 0
        $again.Unchanged | Should -Be 3
    }

    It 'adds a column for a new field and updates the rows it changes' {
        $rows = @(
            [pscustomobject]@{ codigo = '2'; descricao = 'Porca sextavada'; preco = 0.35 }
            [pscustomobject]@{ codigo = '4'; descricao = 'Rebite'; preco = 0.05 }
        )
        $result = $rows | Write-SyncTable -Source $pg -Table $table -Key codigo -CreateTable
        $result.ColumnsAdded | Should -Be @('preco')
        $result.Inserted | Should -Be 1
        $result.Updated | Should -Be 1
    }

    It 'reports a bad record as a non-terminating RecordRejected error and writes the others' {
        $rows = @(@{ codigo = '5'; preco = 'caro' }, @{ codigo = '6'; preco = 1.25 })
        $result = $rows | Write-SyncTable -Source $pg -Table $table -Key codigo -ErrorVariable bad -ErrorAction SilentlyContinue
        $bad.Count | Should -Be 1
        $bad[0].FullyQualifiedErrorId | Should -Be (& $fqid RecordRejected)
        $bad[0].TargetObject | Should -Be 'codigo=5'
        $result.Inserted | Should -Be 1
        $result.Rejected | Should -Be 1
    }

    It 'creates nothing under -WhatIf' {
        $other = $table + '_whatif'
        [pscustomobject]@{ id = 1 } | Write-SyncTable -Source $pg -Table $other -Key id -CreateTable -WhatIf | Should -BeNullOrEmpty
        { [pscustomobject]@{ id = 1 } | Write-SyncTable -Source $pg -Table $other -Key id -ErrorAction Stop } |
            Should -Throw -ErrorId (& $fqid TableNotFound)
    }

    It 'writes the properties type data adds to objects of a type name, and the objects own ones' {
        $other = $table + '_typed'
        Update-TypeData -TypeName 'Pester.Pedido' -MemberType ScriptProperty -MemberName total -Value { $this.qtd * $this.preco } -Force
        Update-TypeData -TypeName 'Pester.Pedido' -MemberType AliasProperty -MemberName quantidade -Value qtd -Force
        $rows = 1..3 | ForEach-Object { [pscustomobject]@{ PSTypeName = 'Pester.Pedido'; id = $_; qtd = $_; preco = 2.5 } }
        $plain = [pscustomobject]@{ id = 4; qtd = 1; preco = 1 }
        $result = @($rows) + $plain | Write-SyncTable -Source $pg -Table $other -Key id -CreateTable
        $result.Inserted | Should -Be 4
        Invoke-TestSql PostgreSql "SELECT total || ' ' || quantidade FROM $other WHERE id = 3;" -Scalar | Should -Be '7.5 3'
        Invoke-TestSql PostgreSql "SELECT count(*) FROM $other WHERE id = 4 AND total IS NULL;" -Scalar | Should -Be '1'
    }
}
