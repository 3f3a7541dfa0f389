# Export-SyncBatch as a pwsh user sees it, on the SQLite demo (vendas: 2,000 rows; filiais: 5) and
# on piped objects, so no server is needed. Run with ./build.ps1 -Task Test, or Invoke-Pester tests/pester.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $savedHome = $env:DATASYNCPS_HOME
    $env:DATASYNCPS_HOME = Join-Path $TestDrive 'home'
    $source = Connect-SyncSource -Provider Sqlite -Path $demoDatabase -Name demo
    $fqid = { param($id) "$id,DataSyncPS.Cmdlets.ExportSyncBatchCommand" }

    function Read-BatchLine([string] $Path) {
        $reader = [System.IO.StreamReader]::new([System.IO.Compression.GZipStream]::new(
            [System.IO.File]::OpenRead($Path), [System.IO.Compression.CompressionMode]::Decompress))
        try { while ($null -ne ($line = $reader.ReadLine())) { $line } }
        finally { $reader.Dispose() }
    }
}

AfterAll {
    $env:DATASYNCPS_HOME = $savedHome
}

Describe 'Export-SyncBatch' {
    BeforeEach {
        # A fresh outbox and state store per test: no test sees another's watermarks.
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        $out = Join-Path $work 'out'
        $state = Join-Path $work 'state.db'
        $common = @{ OutputDirectory = $out; StatePath = $state }
    }

    Context 'tables and queries' {
        It 'exports a whole table as one SyncBatch per file' {
            $batch = $source | Export-SyncBatch -Table filiais @common

            $batch.PSObject.TypeNames[0] | Should -Be 'DataSyncPS.SyncBatch'
            $batch.Source | Should -Be demo
            $batch.Stream | Should -Be filiais
            $batch.Sequence | Should -Be 1
            $batch.Rows | Should -Be 5
            $batch.Path | Should -Be (Join-Path $out 'filiais-000001.jsonl.gz')
            $batch.Sha256 | Should -Be (Get-FileHash $batch.Path -Algorithm SHA256).Hash.ToLowerInvariant()
            $batch.Bytes | Should -Be (Get-Item $batch.Path).Length
        }

        It 'writes one JSON object per row, columns in table order, text as it is' {
            $batch = $source | Export-SyncBatch -Table filiais @common
            $lines = @(Read-BatchLine $batch.Path)

            $lines.Count | Should -Be 5
            $lines[0] | Should -BeExactly "{`"id`":1,`"nome`":`"Filial 1`",`"cidade`":`"S$([char]0xE3)o Paulo`"}"
        }

        It 'cuts batches at -BatchSize with sequences that follow each other' {
            $batches = @($source | Export-SyncBatch -Table vendas -BatchSize 600 @common)

            $batches.Rows | Should -Be 600, 600, 600, 200
            $batches.Sequence | Should -Be 1, 2, 3, 4
        }

        It 'cuts batches at -MaxBatchBytes of JSON' {
            $batches = @($source | Export-SyncBatch -Table vendas -BatchSize 0 -MaxBatchBytes 100KB @common)

            $batches.Count | Should -BeGreaterThan 1
            $batches | ForEach-Object { $_.UncompressedBytes | Should -BeLessOrEqual 100KB }
            ($batches | Measure-Object Rows -Sum).Sum | Should -Be 2000
        }

        It 'exports a -Query as the named -Stream' {
            $query = 'SELECT f.nome AS filial, count(*) AS vendas FROM vendas v JOIN filiais f ON f.id = v.filial_id GROUP BY f.nome'
            $batch = $source | Export-SyncBatch -Query $query -Stream vendas_por_filial @common

            $batch.Stream | Should -Be vendas_por_filial
            $batch.Rows | Should -Be 5
            Split-Path $batch.Path -Leaf | Should -Be 'vendas_por_filial-000001.jsonl.gz'
        }
    }

    Context 'incremental exports' {
        BeforeEach {
            $incremental = @{ Table = 'vendas'; Incremental = $true; CursorColumn = 'updated_at'; BatchSize = 1000 } + $common
        }

        It 'writes nothing new when rerun' {
            $first = @($source | Export-SyncBatch @incremental)
            $second = @($source | Export-SyncBatch @incremental)

            ($first | Measure-Object Rows -Sum).Sum | Should -Be 2000
            $first[-1].LastCursor | Should -Be '2024-02-01 00:20:20'
            $first[-1].PendingWatermark | Should -Not -BeNullOrEmpty
            $second.Count | Should -Be 0
            @(Get-ChildItem $out -Filter *.jsonl.gz).Count | Should -Be $first.Count
        }

        It 'starts over with -Reset, going on with the sequence numbers' {
            $first = @($source | Export-SyncBatch @incremental)
            $again = @($source | Export-SyncBatch @incremental -Reset -Confirm:$false)

            ($again | Measure-Object Rows -Sum).Sum | Should -Be 2000
            $again[0].Sequence | Should -Be ($first[-1].Sequence + 1)
        }

        It 'keeps the watermark under -Reset -WhatIf' {
            $null = $source | Export-SyncBatch @incremental
            $null = $source | Export-SyncBatch @incremental -Reset -WhatIf

            @($source | Export-SyncBatch @incremental).Count | Should -Be 0
        }
    }

    Context '-WhatIf' {
        It 'writes nothing at all: no folder, no file, no state store' {
            $result = $source | Export-SyncBatch -Table vendas -Incremental -CursorColumn updated_at @common -WhatIf

            $result | Should -BeNullOrEmpty
            Test-Path $out | Should -BeFalse
            Test-Path $state | Should -BeFalse
        }
    }

    Context 'piped objects' {
        It 'batches objects as a named stream' {
            $batches = @(1..10 | ForEach-Object { [pscustomobject]@{ id = $_; nome = "cliente $_"; tags = @('a', 'b') } } |
                Export-SyncBatch -Stream clientes -BatchSize 4 @common)

            $batches.Rows | Should -Be 4, 4, 2
            @(Read-BatchLine $batches[0].Path)[0] | Should -BeExactly '{"id":1,"nome":"cliente 1","tags":["a","b"]}'
        }

        It 'keeps the keys of ordered hashtables' {
            $batch = [ordered]@{ id = 1; valor = 10.5 }, [ordered]@{ id = 2; valor = $null } | Export-SyncBatch -Stream api @common

            @(Read-BatchLine $batch.Path) | Should -Be '{"id":1,"valor":10.5}', '{"id":2,"valor":null}'
        }
    }

    Context 'errors' {
        # A failed source is a non-terminating error (the other piped sources go on); a script makes
        # it stop with -ErrorAction Stop or $ErrorActionPreference = 'Stop', as these checks do.
        It 'fails with TableNotFound and writes nothing' {
            { $source | Export-SyncBatch -Table no_such_table @common -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid TableNotFound)
            @(Get-ChildItem $out -Filter *.jsonl.gz -ErrorAction Ignore).Count | Should -Be 0
        }

        It 'treats a malicious table name as a name, never as SQL' {
            { $source | Export-SyncBatch -Table 'vendas"; DROP TABLE vendas; --' @common -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid TableNotFound)
            ($source | Export-SyncBatch -Table vendas -Stream still_there -BatchSize 0 -MaxBatchBytes 1GB @common).Rows | Should -Be 2000
        }

        It 'fails with IdentifierInvalid for a name of three parts' {
            { $source | Export-SyncBatch -Table a.b.c @common -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid IdentifierInvalid)
        }

        It 'fails with ColumnNotFound for an unknown cursor column' {
            { $source | Export-SyncBatch -Table vendas -Incremental -CursorColumn nope @common -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid ColumnNotFound)
        }

        It 'fails with InvalidArgument for an incremental query without -CursorColumn and -KeyColumn' {
            { $source | Export-SyncBatch -Query 'SELECT * FROM filiais' -Stream q -Incremental @common } | Should -Throw -ErrorId (& $fqid InvalidArgument)
        }

        It 'reports a failed source without stopping the others' {
            $missing = Connect-SyncSource -Provider Sqlite -Path (Join-Path $TestDrive 'nothing-here.sqlite') -SkipTest
            $batches = $missing, $source | Export-SyncBatch -Table filiais @common -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed.Count | Should -Be 1
            $batches.Rows | Should -Be 5
        }

        It 'fails with RowTooLarge for a row over -MaxBatchBytes' {
            { @{ text = 'x' * 1000 } | Export-SyncBatch -Stream big -MaxBatchBytes 100 @common } | Should -Throw -ErrorId (& $fqid RowTooLarge)
        }
    }

    Context 'help' {
        It 'has a synopsis, a description and at least four examples' {
            $help = Get-Help Export-SyncBatch -Full

            $help.Synopsis | Should -Not -Match 'Export-SyncBatch \['
            $help.Description.Text | Should -Not -BeNullOrEmpty
            @($help.Examples.Example).Count | Should -BeGreaterOrEqual 4
        }

        It 'describes every parameter' {
            $help = Get-Help Export-SyncBatch -Full
            foreach ($parameter in $help.Parameters.Parameter) {
                "$($parameter.Name): $($parameter.Description.Text)" | Should -Not -BeExactly "$($parameter.Name): "
            }
        }
    }
}
