# What a script needs from ordinary PowerShell works with the module the documented way: credentials
# built without a prompt, Join-Path and relative paths, Get-Date, Start-Transcript (no secret in it),
# try/catch, $ErrorActionPreference = 'Stop', Write-Error, and pwsh -File exit codes for a scheduler.
# Run with ./build.ps1 -Task Pester.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestServers.ps1')
    $skipPg = Test-SkipServer PostgreSql
    $skipSend = $skipPg -or (Test-SkipServer S3)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $savedHome = $env:DATASYNCPS_HOME
    $env:DATASYNCPS_HOME = Join-Path $TestDrive 'home'
    $demo = Connect-SyncSource -Provider Sqlite -Path $demoDatabase -Name demo
}

AfterAll {
    $env:DATASYNCPS_HOME = $savedHome
}

Describe 'Scripts with the module' {
    BeforeEach {
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item $work -ItemType Directory | Out-Null
    }

    Context 'paths and dates' {
        It 'takes folders built with Join-Path and Get-Date' {
            $out = Join-Path $work 'outbox' (Get-Date -Format 'yyyy-MM-dd')
            $batch = $demo | Export-SyncBatch -Table filiais -OutputDirectory $out -StatePath (Join-Path $work 'state.db')

            Split-Path $batch.Path | Should -Be $out
        }

        It 'resolves relative paths from the PowerShell location, not the process''s' {
            Push-Location $work
            try { $batch = $demo | Export-SyncBatch -Table filiais -OutputDirectory ./out -StatePath ./state.db }
            finally { Pop-Location }

            $batch.Path | Should -Be (Join-Path $work 'out' 'filiais-000001.jsonl.gz')
            Test-Path (Join-Path $work 'state.db') | Should -BeTrue
        }

        It 'has run times that compare with Get-Date' {
            $state = Join-Path $work 'state.db'
            $null = $demo | Export-SyncBatch -Table filiais -Incremental -CursorColumn id -OutputDirectory (Join-Path $work 'out') -StatePath $state

            Get-SyncState -StatePath $state | Where-Object LastRunStartedAt -GT (Get-Date).AddHours(-1) | Should -Not -BeNullOrEmpty
            Get-SyncState -StatePath $state | Where-Object LastRunStartedAt -LT (Get-Date).AddHours(-1) | Should -BeNullOrEmpty
        }
    }

    Context 'errors' {
        BeforeEach {
            $common = @{ OutputDirectory = (Join-Path $work 'out'); StatePath = (Join-Path $work 'state.db') }
        }

        It 'catches a module error with try/catch, by its ErrorId and category' {
            $caught = try { $demo | Export-SyncBatch -Table no_such_table @common -ErrorAction Stop } catch { $_ }

            $caught.FullyQualifiedErrorId | Should -Be 'TableNotFound,DataSyncPS.Cmdlets.ExportSyncBatchCommand'
            "$($caught.CategoryInfo.Category)" | Should -Be ObjectNotFound
            $caught.Exception.Message | Should -Match 'no_such_table'
        }

        It 'stops at a per-source error under $ErrorActionPreference = ''Stop''' {
            $reached = $false
            $caught = try {
                $ErrorActionPreference = 'Stop'
                $demo | Export-SyncBatch -Table no_such_table @common
                $reached = $true
            }
            catch { $_ }
            finally { $ErrorActionPreference = 'Continue' }

            $reached | Should -BeFalse
            $caught.FullyQualifiedErrorId | Should -BeLike 'TableNotFound,*'
        }

        It 'collects per-source errors with -ErrorVariable and goes on' {
            $missing = Connect-SyncSource -Provider Sqlite -Path (Join-Path $work 'gone.sqlite') -SkipTest
            $batches = $missing, $demo | Export-SyncBatch -Table filiais @common -ErrorVariable failed -ErrorAction SilentlyContinue

            $batches.Rows | Should -Be 5
            $failed.FullyQualifiedErrorId | Should -Be 'PathNotFound,DataSyncPS.Cmdlets.ExportSyncBatchCommand'
        }

        It 'passes a caught error on with Write-Error, keeping its ErrorId' {
            function Sync-Table {
                [CmdletBinding()] param($Table, $Common)
                try { $demo | Export-SyncBatch -Table $Table @Common -ErrorAction Stop }
                catch { Write-Error -ErrorRecord $_ }
            }
            Sync-Table -Table no_such_table -Common $common -ErrorVariable failed -ErrorAction SilentlyContinue

            # Passed on by a function, the error keeps its ErrorId; the function's name replaces the cmdlet's.
            ($failed | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })[-1].FullyQualifiedErrorId |
                Should -Be 'TableNotFound,Sync-Table'
        }

        It 'makes pwsh -File exit 1 on a module error under $ErrorActionPreference = ''Stop'', and 0 without it' {
            $script = Join-Path $work 'job.ps1'
            Set-Content $script @'
param([string] $Demo, [string] $Work, [switch] $Stop)
if ($Stop) { $ErrorActionPreference = 'Stop' }
Connect-SyncSource -Provider Sqlite -Path $Demo | Export-SyncBatch -Table no_such_table -OutputDirectory "$Work/out" -StatePath "$Work/state.db"
'done'
'@
            $stopped = Invoke-Pwsh -File $script -ArgumentList $demoDatabase, $work, '-Stop'
            $stopped.ExitCode | Should -Be 1
            $stopped.Output | Should -Not -Match 'done'
            $stopped.Errors | Should -Match 'no_such_table'

            $continued = Invoke-Pwsh -File $script -ArgumentList $demoDatabase, $work
            $continued.ExitCode | Should -Be 0 -Because 'pwsh -File exits 0 after non-terminating errors, as documented'
            $continued.Output | Should -Match 'done'
        }
    }
}

Describe 'Credentials without a prompt' -Skip:$skipPg {
    BeforeAll {
        Assert-TestServer PostgreSql
        $login = Get-TestLogin $pgConnectionString
        $server = @{ Provider = 'PostgreSql'; Server = $login.Server; Port = $login.Port; Database = $login.Database }
    }

    It 'connects with a PSCredential made from ConvertTo-SecureString -AsPlainText -Force' {
        $password = ConvertTo-SecureString $login.Password -AsPlainText -Force
        $credential = New-Object System.Management.Automation.PSCredential ($login.User, $password)

        (Connect-SyncSource @server -Credential $credential).User | Should -Be $login.User
    }

    It 'connects with what Get-Credential -Credential hands back' {
        $credential = Get-Credential -Credential ([pscredential]::new($login.User, (ConvertTo-SecureString $login.Password -AsPlainText -Force)))

        (Connect-SyncSource @server -Credential $credential).User | Should -Be $login.User
    }
}

Describe 'A transcript of an export and send run' -Skip:$skipSend {
    BeforeAll {
        Assert-TestServer PostgreSql
        Assert-TestServer S3
        # A login with a password no other text contains, so that finding it anywhere is a leak.
        $password = 'Pester-Leak-Canary-3318'
        $table = 'pester_' + [guid]::NewGuid().ToString('N').Substring(0, 10)
        Invoke-TestSql PostgreSql @"
DO `$`$ BEGIN
  CREATE ROLE datasync_pester LOGIN PASSWORD '$password';
EXCEPTION WHEN duplicate_object THEN ALTER ROLE datasync_pester LOGIN PASSWORD '$password';
END `$`$;
CREATE TABLE $table (id int PRIMARY KEY, nome text, updated_at timestamptz NOT NULL DEFAULT now());
INSERT INTO $table (id, nome) SELECT g, 'cliente ' || g FROM generate_series(1, 30) g;
GRANT SELECT ON $table TO datasync_pester;
"@
        $emulator = Start-DataSnapEmulator
        $login = Get-TestLogin $pgConnectionString
    }

    AfterAll {
        Stop-DataSnapEmulator $emulator
        Invoke-TestSql PostgreSql "DROP TABLE IF EXISTS $table;"
    }

    It 'records the run and holds neither the password nor the API key' {
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        $transcript = Join-Path $work 'run.log'
        $script = Join-Path $TestDrive 'nightly.ps1'
        Set-Content $script @'
param([string] $Server, [int] $Port, [string] $Database, [string] $Table, [string] $ApiUrl, [string] $Work, [string] $Transcript)
$ErrorActionPreference = 'Stop'
Start-Transcript -Path $Transcript | Out-Null
try {
    # The secrets come from the environment, as a scheduler would hand them over; never from argv.
    $credential = [pscredential]::new('datasync_pester', (ConvertTo-SecureString $env:PESTER_PG_PASSWORD -AsPlainText -Force))
    $key = ConvertTo-SecureString $env:PESTER_DATASNAP_KEY -AsPlainText -Force
    $state = Join-Path $Work 'state.db'
    Connect-SyncSource -Provider PostgreSql -Server $Server -Port $Port -Database $Database -Credential $credential -Verbose |
        Export-SyncBatch -Table $Table -Incremental -BatchSize 10 -OutputDirectory (Join-Path $Work 'out') -StatePath $state -Verbose |
        Send-DataSnapBatch -Schema clientes -ApiUrl $ApiUrl -ApiKey $key -StatePath $state -Verbose
    Get-SyncState -StatePath $state | Format-List *
}
finally { Stop-Transcript | Out-Null }
'@
        $run = Invoke-Pwsh -File $script -ArgumentList $login.Server, $login.Port, $login.Database, $table, $emulator.ApiUrl, $work, $transcript `
            -Environment @{ PESTER_PG_PASSWORD = $password; PESTER_DATASNAP_KEY = $emulator.ApiKey; DATASYNCPS_HOME = (Join-Path $work 'home') }

        $run.ExitCode | Should -Be 0 -Because $run.Errors
        $text = Get-Content $transcript -Raw
        $text | Should -Match 'Confirmed'
        $text | Should -Match 'SQL: '
        $text | Should -Not -Match $password
        $text | Should -Not -Match $emulator.ApiKey
        $text | Should -Not -Match 'X-Amz-Signature=[0-9a-f]'
        "$($run.Output)$($run.Errors)" | Should -Not -Match $password
    }
}
