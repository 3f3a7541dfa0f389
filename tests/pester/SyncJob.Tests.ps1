# Register-, Get-, Unregister- and Test-SyncJob as an admin checks them before trusting a server's nightly
# run. DATASYNCPS_JOB_ROOT sends every file into TestDrive and records the scheduler commands there, so no
# test touches systemd, cron or Task Scheduler. Run with ./build.ps1 -Task Test, or Invoke-Pester tests/pester.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $saved = @{}
    foreach ($name in 'DATASYNCPS_JOB_ROOT', 'DATASYNCPS_HOME', 'DATASYNCPS_MACHINE_HOME') { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    $root = Join-Path $TestDrive 'root'
    $env:DATASYNCPS_JOB_ROOT = $root
    $env:DATASYNCPS_HOME = Join-Path $TestDrive 'home'
    $env:DATASYNCPS_MACHINE_HOME = Join-Path $TestDrive 'machine'
    $jobs = Join-Path $TestDrive 'jobs'
    New-Item $jobs -ItemType Directory | Out-Null
    Copy-Item $demoDatabase (Join-Path $jobs 'demo.sqlite')
    $script = Join-Path $jobs 'nightly.ps1'
    Set-Content $script -Value @'
$ErrorActionPreference = 'Stop'
Connect-SyncSource -Provider Sqlite -Path (Join-Path $PSScriptRoot 'demo.sqlite') |
    Export-SyncBatch -Table vendas -Incremental -StatePath (Join-Path $PSScriptRoot 'state.db')
'@
    $pwsh = (Get-Process -Id $PID).Path
    $register = @{ Name = 'nightly'; ScriptPath = $script; Daily = '01:00'; TimeZone = 'America/Sao_Paulo'; PwshPath = $pwsh; Scheduler = 'Systemd'; RunAs = 'root' }
    $commands = { $log = Join-Path $root 'scheduler-commands.log'; if (Test-Path $log) { @(Get-Content $log) } else { @() } }
}

AfterAll {
    foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
}

Describe 'Scheduled jobs' {
    BeforeEach {
        if (Test-Path $root) { Remove-Item $root -Recurse -Force }
    }

    It 'shows under -WhatIf what it would write, and writes nothing' {
        Register-SyncJob @register -WhatIf | Should -BeNullOrEmpty
        $root | Should -Not -Exist
    }

    It 'registers a systemd service and a timer at 01:00 Sao Paulo time, enabled with systemctl' {
        $job = Register-SyncJob @register

        $job.PSObject.TypeNames[0] | Should -Be 'DataSyncPS.SyncJob'
        $job.Schedule | Should -Be 'Daily 01:00'
        $job.NextRun.Offset | Should -Be ([timespan]::FromHours(-3))
        $timer = Get-Content (Join-Path $root 'systemd' 'system' 'datasyncps-nightly.timer') -Raw
        $timer | Should -Match 'OnCalendar=\*-\*-\* 01:00:00 America/Sao_Paulo'
        $timer | Should -Match 'Persistent=true'
        $service = Get-Content (Join-Path $root 'systemd' 'system' 'datasyncps-nightly.service') -Raw
        $service | Should -Match ([regex]::Escape("-NoProfile -NonInteractive -File $script"))
        & $commands | Should -Be @('systemctl daemon-reload', 'systemctl enable --now datasyncps-nightly.timer')
    }

    It 'lists the job, refuses a second one of the same name, and replaces it with -Force' {
        Register-SyncJob @register | Out-Null
        (Get-SyncJob).Name | Should -Be 'nightly'
        { Register-SyncJob @register -ErrorAction Stop } | Should -Throw -ErrorId 'JobExists,DataSyncPS.Cmdlets.RegisterSyncJobCommand'

        $weekly = $register.Clone(); $weekly.Remove('Daily')
        Register-SyncJob @weekly -Weekly Monday, Thursday -At 02:30 -Force | Out-Null
        (Get-SyncJob nightly).Schedule | Should -Be 'Mon,Thu 02:30'
    }

    It 'writes Task Scheduler XML that runs as SYSTEM whether logged on or not' {
        $task = $register.Clone(); $task.Scheduler = 'TaskScheduler'; $task.RunAs = 'SYSTEM'
        $job = Register-SyncJob @task

        [xml] $xml = Get-Content $job.Files[0] -Raw
        $xml.Task.NamespaceURI | Should -Be 'http://schemas.microsoft.com/windows/2004/02/mit/task'
        $xml.Task.Principals.Principal.LogonType | Should -Be 'ServiceAccount'
        $xml.Task.Settings.MultipleInstancesPolicy | Should -Be 'IgnoreNew'
        $xml.Task.Triggers.CalendarTrigger.ScheduleByDay.DaysInterval | Should -Be '1'
        & $commands | Should -BeLike 'schtasks.exe /Create /TN \DataSyncPS\nightly /XML *'
    }

    It 'answers with Test-SyncJob what the unattended run will use' {
        Register-SyncJob @register | Out-Null
        $checks = Test-SyncJob nightly

        $checks[0].PSObject.TypeNames[0] | Should -Be 'DataSyncPS.SyncJobCheck'
        ($checks | Where-Object Check -EQ Registration).Status | Should -Be 'Pass'
        ($checks | Where-Object Check -EQ Script).Status | Should -Be 'Pass'
        ($checks | Where-Object Check -EQ StatePath).Target | Should -Be (Join-Path $jobs 'state.db')
        $source = $checks | Where-Object Check -EQ Source
        $source.Status | Should -Be 'Pass'
        $source.Detail | Should -Match 'demo\.sqlite connected'
        (Test-SyncJob nightly | Out-String) | Should -Match 'Registration\s+Pass'
    }

    It 'completes job names with Tab' {
        Register-SyncJob @register | Out-Null
        $line = 'Test-SyncJob -Name nig'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'nightly'
    }

    It 'unregisters under -Confirm:$false, and a missing job is JobNotFound' {
        Register-SyncJob @register | Out-Null
        Unregister-SyncJob nightly -WhatIf
        Get-SyncJob | Should -Not -BeNullOrEmpty

        Unregister-SyncJob nightly -Confirm:$false
        Get-SyncJob | Should -BeNullOrEmpty
        Join-Path $root 'systemd' 'system' 'datasyncps-nightly.timer' | Should -Not -Exist
        { Unregister-SyncJob nightly -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'JobNotFound,DataSyncPS.Cmdlets.UnregisterSyncJobCommand'
    }
}
