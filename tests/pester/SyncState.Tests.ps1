# Get-SyncState, Reset-SyncState and Clear-SyncHistory as an admin uses them the morning after: on the
# SQLite demo (vendas: 2,000 rows; filiais: 5), so no server is needed. Run with ./build.ps1 -Task Pester.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $savedHome = $env:DATASYNCPS_HOME
    $env:DATASYNCPS_HOME = Join-Path $TestDrive 'home'
    $source = Connect-SyncSource -Provider Sqlite -Path $demoDatabase -Name demo
}

AfterAll {
    $env:DATASYNCPS_HOME = $savedHome
}

Describe 'The state store' {
    BeforeEach {
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        $state = Join-Path $work 'state.db'
        $incremental = @{ Incremental = $true; BatchSize = 1000; OutputDirectory = (Join-Path $work 'out'); StatePath = $state }
        $null = $source | Export-SyncBatch -Table vendas -CursorColumn updated_at @incremental
        $null = $source | Export-SyncBatch -Table filiais -CursorColumn id @incremental
    }

    Context 'Get-SyncState' {
        It 'shows every stream: watermark, what waits in the outbox, the last run' {
            $streams = Get-SyncState -StatePath $state

            $streams.Stream | Sort-Object | Should -Be filiais, vendas
            $vendas = $streams | Where-Object Stream -EQ vendas
            $vendas.PSObject.TypeNames[0] | Should -Be 'DataSyncPS.SyncStreamState'
            $vendas.Watermark | Should -Match '2024-02-01'
            $vendas.PendingBatches | Should -Be 2
            $vendas.PendingRows | Should -Be 2000
            $vendas.ConfirmedBatches | Should -Be 0
            $vendas.NextSequence | Should -Be 3
            "$($vendas.LastRunStatus)" | Should -Be Succeeded
            $vendas.LastRunRows | Should -Be 2000
        }

        It 'takes names with wildcards' {
            (Get-SyncState v* -StatePath $state).Stream | Should -Be vendas
            (Get-SyncState -Stream filiais, vendas -StatePath $state).Count | Should -Be 2
        }

        It 'takes a SyncBatch from the pipeline: the state of the stream it belongs to' {
            $batch = $source | Export-SyncBatch -Table filiais -Stream filiais_copia @incremental -CursorColumn id

            ($batch | Get-SyncState).Stream | Should -Be filiais_copia
        }

        It 'reports an unknown stream as InvalidArgument' {
            { Get-SyncState nope -StatePath $state -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidArgument,DataSyncPS.Cmdlets.GetSyncStateCommand'
        }

        It 'reports a store that does not exist as PathNotFound and creates nothing' {
            $missing = Join-Path $work 'nothing.db'
            { Get-SyncState -StatePath $missing -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,DataSyncPS.Cmdlets.GetSyncStateCommand'
            Test-Path $missing | Should -BeFalse
        }

        It 'refuses an emptied store with StateStoreFailed instead of starting over' {
            $empty = Join-Path $work 'empty.db'
            New-Item $empty -ItemType File | Out-Null
            { Get-SyncState -StatePath $empty -ErrorAction Stop } | Should -Throw -ErrorId 'StateStoreFailed,DataSyncPS.Cmdlets.GetSyncStateCommand'
        }

        It 'shows a table an admin can scan' {
            $table = Get-SyncState -StatePath $state | Out-String
            $table | Should -Match 'Stream'
            $table | Should -Match 'vendas'
            $table | Should -Match 'filiais'
        }
    }

    Context 'Reset-SyncState' {
        It 'changes nothing under -WhatIf' {
            Reset-SyncState vendas -StatePath $state -WhatIf
            (Get-SyncState vendas -StatePath $state).Watermark | Should -Not -BeNullOrEmpty
            $source | Export-SyncBatch -Table vendas -CursorColumn updated_at @incremental | Should -BeNullOrEmpty
        }

        It 'starts a stream over by name, and the next export writes every row again under new sequences' {
            Reset-SyncState vendas -StatePath $state -Confirm:$false

            (Get-SyncState vendas -StatePath $state).Watermark | Should -BeNullOrEmpty
            $again = $source | Export-SyncBatch -Table vendas -CursorColumn updated_at @incremental
            ($again | Measure-Object Rows -Sum).Sum | Should -Be 2000
            $again.Sequence | Should -Be 3, 4
        }

        It 'takes streams piped from Get-SyncState, and -PassThru shows them reset' {
            $reset = Get-SyncState -StatePath $state | Reset-SyncState -Confirm:$false -PassThru

            $reset.Stream | Sort-Object | Should -Be filiais, vendas
            $reset | ForEach-Object { $_.Watermark | Should -BeNullOrEmpty }
        }

        It 'keeps the outbox: pending batches stay pending' {
            Reset-SyncState vendas -StatePath $state -Confirm:$false
            (Get-SyncState vendas -StatePath $state).PendingBatches | Should -Be 2
        }
    }

    Context 'Clear-SyncHistory' {
        It 'changes nothing under -WhatIf' {
            $before = (Get-FileHash $state).Hash
            Clear-SyncHistory -OlderThanDays 0 -StatePath $state -WhatIf
            (Get-FileHash $state).Hash | Should -Be $before
        }

        It 'removes finished runs but keeps each stream''s last run, its watermark and its unsent batches' {
            $null = $source | Export-SyncBatch -Table vendas -CursorColumn updated_at @incremental
            $removed = Clear-SyncHistory -OlderThanDays 0 -StatePath $state -Confirm:$false -Verbose 4>&1 | ForEach-Object Message

            $removed -join "`n" | Should -Match 'Removed 0 confirmed batch record\(s\) and 1 run\(s\)'
            $vendas = Get-SyncState vendas -StatePath $state
            "$($vendas.LastRunStatus)" | Should -Be Succeeded
            $vendas.Watermark | Should -Not -BeNullOrEmpty
            $vendas.PendingBatches | Should -Be 2
        }

        It 'refuses a negative age before touching anything' {
            { Clear-SyncHistory -OlderThanDays -1 -StatePath $state } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,DataSyncPS.Cmdlets.ClearSyncHistoryCommand'
        }
    }
}
