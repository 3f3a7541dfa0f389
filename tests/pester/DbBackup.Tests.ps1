# Invoke-DbBackup, Restore-DbBackup, Test-SyncStorage and Send-SyncNotification as a pwsh user sees
# them, mostly with no server: a folder as the destination, -WhatIf, and failures that must name their
# cause; and a restore test's table view against the real PostgreSQL. (The xunit module tests run them
# against real PostgreSQL, MariaDB, s3rver, maildev and smtp4dev.)
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestServers.ps1')
    $skipPg = Test-SkipServer PostgreSql
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $fqid = { param($id, $cmdlet) "$id,DataSyncPS.Cmdlets.$($cmdlet)Command" }
    # A port nothing listens on: a source that cannot be reached.
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $closedPort = $listener.LocalEndpoint.Port; $listener.Stop()
}

Describe 'Test-SyncStorage' {
    It 'puts, gets and deletes a test object in a folder, and leaves it empty' {
        $folder = Join-Path $TestDrive 'backups'
        $steps = Test-SyncStorage $folder

        $steps.Step | Should -Be @('Put', 'Get', 'Delete')
        $steps.Succeeded | Should -Not -Contain $false
        $steps[0].PSObject.TypeNames[0] | Should -Be 'DataSyncPS.StorageTestStep'
        @(Get-ChildItem $folder -Recurse -File).Count | Should -Be 0
    }

    It 'refuses a destination that is neither s3://, r2:// nor a folder' {
        { Test-SyncStorage 'ftp://host/x' -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid InvalidArgument TestSyncStorage)
    }

    It 'asks for the Cloudflare account of an r2:// destination' {
        $saved = $env:CLOUDFLARE_ACCOUNT_ID; $env:CLOUDFLARE_ACCOUNT_ID = $null
        try { { Test-SyncStorage 'r2://backups/x' -ErrorAction Stop } | Should -Throw '*AccountId*' }
        finally { $env:CLOUDFLARE_ACCOUNT_ID = $saved }
    }
}

Describe 'Invoke-DbBackup' {
    It 'touches nothing under -WhatIf' {
        $folder = Join-Path $TestDrive 'whatif'
        $source = Connect-SyncSource -Provider PostgreSql -Server 127.0.0.1 -Port $closedPort -Database erp -SkipTest
        $source | Invoke-DbBackup -Destination $folder -WhatIf

        Test-Path $folder | Should -BeFalse
    }

    It 'is a non-terminating HostUnreachable error for a server that is down, and writes nothing' {
        $folder = Join-Path $TestDrive 'down'
        $source = Connect-SyncSource -Provider PostgreSql -Server 127.0.0.1 -Port $closedPort -Database erp -SkipTest
        $result = $source | Invoke-DbBackup -Destination $folder -ErrorVariable failed -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -Be (& $fqid HostUnreachable InvokeDbBackup)
        @(Get-ChildItem $folder -Recurse -File -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'refuses -Verify Restore without -RestoreTarget' {
        $source = Connect-SyncSource -Provider PostgreSql -Server 127.0.0.1 -Port $closedPort -Database erp -SkipTest
        { $source | Invoke-DbBackup -Destination $TestDrive -Verify Restore -ErrorAction Stop } | Should -Throw '*RestoreTarget*'
    }

    It 'refuses a -NotifyMail hashtable with an unknown key' {
        $source = Connect-SyncSource -Provider PostgreSql -Server 127.0.0.1 -Port $closedPort -Database erp -SkipTest
        { $source | Invoke-DbBackup -Destination $TestDrive -NotifyMail @{ SmtpServer = 'x'; From = 'a@b.c'; To = 'd@e.f'; Smtp = 1 } -ErrorAction Stop } |
            Should -Throw -ErrorId (& $fqid InvalidArgument InvokeDbBackup)
    }

    It 'has help with examples' {
        (Get-Help Invoke-DbBackup).examples.example.Count | Should -BeGreaterOrEqual 3
    }
}

Describe 'Invoke-DbBackup -Verify Restore' -Skip:$skipPg {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestServers.ps1')
        Assert-TestServer PostgreSql
        $database = 'datasync_pester_bk_' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        Invoke-TestSql PostgreSql "CREATE DATABASE $database"
        $login = Get-TestLogin $pgConnectionString
        $credential = [pscredential]::new($login.User, (ConvertTo-SecureString $login.Password -AsPlainText -Force))
        $source = Connect-SyncSource -Provider PostgreSql -Server $login.Server -Port $login.Port -Database $database -Credential $credential
        $env:PGPASSWORD = $login.Password
        try {
            "CREATE TABLE vendas (id int PRIMARY KEY, valor numeric(10,2)); INSERT INTO vendas SELECT g, g * 1.5 FROM generate_series(1, 120) g;
             CREATE TABLE filiais (id int PRIMARY KEY, nome text); INSERT INTO filiais VALUES (1, 'Centro'), (2, 'Norte');" |
                & psql -h $login.Server -p $(if ($login.Port) { $login.Port } else { 5432 }) -U $login.User -d $database -X -q -v ON_ERROR_STOP=1
        }
        finally { Remove-Item Env:PGPASSWORD }
    }

    AfterAll {
        Invoke-TestSql PostgreSql "DROP DATABASE IF EXISTS $database WITH (FORCE)"
    }

    It 'shows the rows restored per table, in the result and in the table view' {
        $backup = $source | Invoke-DbBackup -Destination (Join-Path $TestDrive 'restore-test') -Verify Restore -RestoreTarget $source

        $backup.Verified | Should -Be 'Restore'
        $backup.RestoredRowCounts['public.vendas'] | Should -Be 120
        $backup.RestoredRowCounts['public.filiais'] | Should -Be 2
        ($backup | Format-Table | Out-String -Width 300) | Should -Match 'Restore \(2 tables, 122 rows\)'
    }
}

Describe 'Restore-DbBackup' {
    It 'is PathNotFound for a backup file that is not there' {
        $target = Connect-SyncSource -Provider PostgreSql -Server 127.0.0.1 -Port $closedPort -Database sandbox -SkipTest
        { Restore-DbBackup (Join-Path $TestDrive 'none.dump') -Target $target -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId (& $fqid PathNotFound RestoreDbBackup)
    }

    It 'asks before restoring: -WhatIf restores nothing' {
        $target = Connect-SyncSource -Provider PostgreSql -Server 127.0.0.1 -Port $closedPort -Database sandbox -SkipTest
        Restore-DbBackup (Join-Path $TestDrive 'none.dump') -Target $target -WhatIf | Should -BeNullOrEmpty
        (Get-Command Restore-DbBackup).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
            Should -Be 'High'
    }
}

Describe 'Send-SyncNotification' {
    It 'sends nothing under -WhatIf' {
        [pscustomobject]@{ Name = 'x' } | Send-SyncNotification -SmtpServer 127.0.0.1 -Port $closedPort -From a@example.com -To b@example.com -WhatIf
    }

    It 'is NotificationFailed naming the server when the SMTP server is down' {
        { 'report' | Send-SyncNotification -SmtpServer 127.0.0.1 -Port $closedPort -Security None -From a@example.com -To b@example.com -ErrorAction Stop } |
            Should -Throw -ErrorId (& $fqid NotificationFailed SendSyncNotification)
    }
}
