# Send-DataSnapBatch as an admin checks it: against the DataSnap emulator (tests/DataSyncPS.Emulators,
# started as a process of its own) with its uploads on the real s3rver. Run with ./build.ps1 -Task Pester.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestServers.ps1')
    $skip = Test-SkipServer S3
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $savedHome = $env:DATASYNCPS_HOME
    $env:DATASYNCPS_HOME = Join-Path $TestDrive 'home'
    $fqid = { param($id) "$id,DataSyncPS.Cmdlets.SendDataSnapBatchCommand" }
    function New-Cliente([int] $Count) { 1..$Count | ForEach-Object { [pscustomobject]@{ id = $_; nome = "cliente nº $_" } } }
}

AfterAll {
    $env:DATASYNCPS_HOME = $savedHome
}

Describe 'Send-DataSnapBatch' -Skip:$skip {
    BeforeAll {
        Assert-TestServer S3
        $emulator = Start-DataSnapEmulator
        $key = ConvertTo-SecureString $emulator.ApiKey -AsPlainText -Force
        # Invoke-RestMethod writes a JSON array as one object: ForEach-Object unrolls it.
        function Get-Upload { Invoke-RestMethod "$($emulator.ControlUrl)/uploads" | ForEach-Object { $_ } }
        function Get-CallCount { @(Invoke-RestMethod "$($emulator.ControlUrl)/calls" | ForEach-Object { $_ }).Count }
    }

    AfterAll {
        Stop-DataSnapEmulator $emulator
    }

    BeforeEach {
        Invoke-RestMethod -Method Post "$($emulator.ControlUrl)/reset" | Out-Null
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        $out = Join-Path $work 'out'
        $state = Join-Path $work 'state.db'
        $export = @{ Stream = 'clientes'; OutputDirectory = $out; StatePath = $state; BatchSize = 10 }
        $send = @{ Schema = 'clientes'; ApiUrl = $emulator.ApiUrl; ApiKey = $key; StatePath = $state }
    }

    It 'sends each batch as it is exported, and DataSnap counts every row once' {
        $uploads = New-Cliente 25 | Export-SyncBatch @export | Send-DataSnapBatch @send

        $uploads.Count | Should -Be 3
        $uploads[0].PSObject.TypeNames[0] | Should -Be 'DataSyncPS.DataSnapUpload'
        $uploads.Status | Should -Be Confirmed, Confirmed, Confirmed
        ($uploads | Measure-Object Rows -Sum).Sum | Should -Be 25
        $uploads.UploadId | Sort-Object | Should -Be ((Get-Upload).upload_id | Sort-Object) -Because 'what the cmdlet reports is what DataSnap holds'
        (Get-Upload | Measure-Object rows -Sum).Sum | Should -Be 25
    }

    It 'removes confirmed files from the outbox, and keeps them with -KeepConfirmed' {
        $sent = New-Cliente 25 | Export-SyncBatch @export | Send-DataSnapBatch @send
        $sent | ForEach-Object { Test-Path $_.Path | Should -BeFalse }

        $kept = New-Cliente 25 | Export-SyncBatch @export | Send-DataSnapBatch @send -KeepConfirmed
        $kept | ForEach-Object { Test-Path $_.Path | Should -BeTrue }
    }

    It 'sends with -Pending what an earlier run wrote and never sent, then nothing more' {
        $null = New-Cliente 25 | Export-SyncBatch @export
        (Get-SyncState clientes -StatePath $state).PendingBatches | Should -Be 3

        (Send-DataSnapBatch @send -Pending).Count | Should -Be 3
        (Get-SyncState clientes -StatePath $state).PendingBatches | Should -Be 0
        (Get-SyncState clientes -StatePath $state).ConfirmedBatches | Should -Be 3
        Send-DataSnapBatch @send -Pending | Should -BeNullOrEmpty
    }

    It 'sends the batch files named by -Path' {
        $batches = New-Cliente 25 | Export-SyncBatch @export

        $upload = Send-DataSnapBatch @send -Path $batches[1].Path
        $upload.Sequence | Should -Be 2
        (Get-SyncState clientes -StatePath $state).PendingBatches | Should -Be 2
    }

    It 'takes batch files piped from Get-ChildItem' {
        $null = New-Cliente 25 | Export-SyncBatch @export

        $uploads = Get-ChildItem $out -Filter 'clientes-*.jsonl.gz' | Send-DataSnapBatch @send
        $uploads.Sequence | Sort-Object | Should -Be 1, 2, 3
        (Get-SyncState clientes -StatePath $state).PendingBatches | Should -Be 0
    }

    It 'shows uploads as a table: schema, stream, sequence, rows, status, attempts' {
        $text = New-Cliente 5 | Export-SyncBatch @export | Send-DataSnapBatch @send | Out-String -Width 250
        foreach ($header in 'Schema', 'Stream', 'Sequence', 'Rows', 'Status', 'Attempts', 'UploadId') { $text | Should -Match $header }
        $text | Should -Match 'clientes\s+clientes\s+1\s+5\s+Confirmed'
    }

    It 'calls nothing and changes nothing under -WhatIf' {
        $batches = New-Cliente 25 | Export-SyncBatch @export
        $calls = Get-CallCount

        Send-DataSnapBatch @send -Pending -WhatIf | Should -BeNullOrEmpty
        Get-CallCount | Should -Be $calls
        $batches | ForEach-Object { Test-Path $_.Path | Should -BeTrue }
        (Get-SyncState clientes -StatePath $state).PendingBatches | Should -Be 3
    }

    It 'takes the name of a key saved with Save-SyncSecret' {
        Save-SyncSecret -Name datasnap-pester -ApiKey $key -ApiUrl $emulator.ApiUrl -Schema clientes -Force | Out-Null
        try {
            $send.ApiKey = 'datasnap-pester'
            (New-Cliente 5 | Export-SyncBatch @export | Send-DataSnapBatch @send).Status | Should -Be Confirmed
        }
        finally { Remove-SyncSecret datasnap-pester }
    }

    It 'retries a 429 and a lost confirm answer, and still counts once' {
        $rules = '[{"kind":"token","fault":"429","next":1,"retry_after":1},{"kind":"confirm","fault":"lost-response","next":1}]'
        Invoke-RestMethod -Method Post "$($emulator.ControlUrl)/faults" -Body $rules -ContentType application/json | Out-Null

        $uploads = New-Cliente 25 | Export-SyncBatch @export | Send-DataSnapBatch @send
        $uploads.Status | Should -Be Confirmed, Confirmed, Confirmed
        ($uploads | Measure-Object Attempts -Sum).Sum | Should -BeGreaterThan 3
        (Get-Upload | Measure-Object rows -Sum).Sum | Should -Be 25
    }

    It 'shows no key and no signed URL in -Verbose' {
        $verbose = New-Cliente 5 | Export-SyncBatch @export | Send-DataSnapBatch @send -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message

        $verbose | Should -Not -BeNullOrEmpty
        $verbose -join "`n" | Should -Not -Match $emulator.ApiKey
        $verbose -join "`n" | Should -Not -Match 'X-Amz-Signature=[0-9a-f]'
    }

    Context 'errors' {
        It 'refuses to save a key the API refuses (AuthenticationFailed) or a schema it does not know (SchemaNotFound)' {
            $wrong = ConvertTo-SecureString ('dsk_wrong_' + [guid]::NewGuid().ToString('N')) -AsPlainText -Force
            { Save-SyncSecret -Name datasnap-refused -ApiKey $wrong -ApiUrl $emulator.ApiUrl -Schema clientes -ErrorAction Stop } |
                Should -Throw -ErrorId 'AuthenticationFailed,DataSyncPS.Cmdlets.SaveSyncSecretCommand'
            { Save-SyncSecret -Name datasnap-refused -ApiKey $key -ApiUrl $emulator.ApiUrl -Schema compras -ErrorAction Stop } |
                Should -Throw -ErrorId 'SchemaNotFound,DataSyncPS.Cmdlets.SaveSyncSecretCommand'
            Get-SyncSecret datasnap-refused -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }

        It 'stops with Unauthorized for a wrong key and never shows it' {
            $wrong = 'dsk_wrong_' + [guid]::NewGuid().ToString('N')
            $send.ApiKey = ConvertTo-SecureString $wrong -AsPlainText -Force
            $thrown = { New-Cliente 5 | Export-SyncBatch @export | Send-DataSnapBatch @send } |
                Should -Throw -ErrorId (& $fqid Unauthorized) -PassThru

            "$thrown" | Should -Not -Match $wrong
            (Get-SyncState clientes -StatePath $state).PendingBatches | Should -Be 1
        }

        It 'reports a pending batch whose file is gone as PathNotFound and sends the others' {
            $batches = New-Cliente 25 | Export-SyncBatch @export
            Remove-Item $batches[1].Path

            $uploads = Send-DataSnapBatch @send -Pending -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed.Count | Should -Be 1
            $failed[0].FullyQualifiedErrorId | Should -Be (& $fqid PathNotFound)
            $uploads.Sequence | Sort-Object | Should -Be 1, 3 -Because "uploads run side by side and end in any order"
        }

        It 'refuses a relative -ApiUrl with InvalidArgument before calling anything' {
            $null = New-Cliente 5 | Export-SyncBatch @export
            $send.ApiUrl = 'api/v1'

            { Send-DataSnapBatch @send -Pending } | Should -Throw -ErrorId (& $fqid InvalidArgument)
            Get-CallCount | Should -Be 0
        }
    }
}
