<#
.SYNOPSIS
    Sets up the nightly sync as a scheduled job, as an admin does it on a new server: look first
    (-WhatIf), register, then ask Test-SyncJob what the unattended run will use.
.DESCRIPTION
    Registers examples/quickstart.ps1 (the demo export) to run every night at 01:00 Brasília time,
    with pwsh -NoProfile -NonInteractive -File: a systemd service and timer where systemd runs, cron
    elsewhere on Linux, a Task Scheduler task on Windows.

    Run it as root (sudo pwsh) or an elevated Administrator to register a System job for real. To
    try it anywhere, CI included, give -JobRoot: every file goes below that folder and the scheduler
    commands are written to its scheduler-commands.log instead of being run (DATASYNCPS_JOB_ROOT).
.PARAMETER JobRoot
    A folder to write the job's files into instead of the system's (tests, CI, packaging).
.PARAMETER RunAs
    The account the job runs as. Default: root / SYSTEM.
.PARAMETER Unregister
    Removes the job again at the end (CI).
.EXAMPLE
    sudo pwsh ./examples/scheduled-job.ps1 -RunAs datasync
.EXAMPLE
    pwsh ./examples/scheduled-job.ps1 -JobRoot /tmp/jobs -Unregister
#>
param(
    [string] $JobRoot,
    [string] $RunAs,
    [string] $Name = 'demo-nightly',
    [string] $TimeZone = 'America/Sao_Paulo',
    [string] $PwshPath,
    [string] $OutputDirectory = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'datasyncps-nightly', 'batches'),
    [string] $StatePath = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'datasyncps-nightly', 'state.db'),
    [switch] $Unregister
)
$ErrorActionPreference = 'Stop'

if ($JobRoot) {
    # For this process only: the cmdlets write below $JobRoot and record, never run, systemctl/crontab/schtasks.
    [System.Environment]::SetEnvironmentVariable('DATASYNCPS_JOB_ROOT', $JobRoot)
}
$job = @{
    Name      = $Name
    # The job runs the quickstart with its own output folder and state store.
    ScriptPath = [System.IO.Path]::Combine($PSScriptRoot, 'quickstart.ps1')
    Argument  = @('-OutputDirectory', $OutputDirectory, '-StatePath', $StatePath)
    Daily     = '01:00'
    TimeZone  = $TimeZone
    Description = 'DataSyncPS demo: vendas exported every night'
    Force     = $true
}
if ($RunAs) { $job.RunAs = $RunAs }
if ($PwshPath) { $job.PwshPath = $PwshPath }

'1. What registering would write (-WhatIf changes nothing):'
Register-SyncJob @job -WhatIf

'2. Registering it:'
$registered = Register-SyncJob @job
$registered | Out-Default

'3. What the run at {0} will use (Test-SyncJob):' -f $registered.NextRun.ToString('yyyy-MM-dd HH:mm zzz')
$checks = @(Test-SyncJob $Name)
$checks | Out-Default
$failed = @($checks | Where-Object Status -EQ Fail)
if ($failed.Count) {
    '{0} check(s) would fail tonight: {1}' -f $failed.Count, (($failed | ForEach-Object { $_.Check }) -join ', ')
} else {
    'Every check passed: the job can run unattended.'
}

if ($Unregister) {
    '4. Removing it again:'
    Unregister-SyncJob $Name -Confirm:$false
    'Registered jobs now: {0}' -f @(Get-SyncJob).Count
}
