# Where the real test servers are and what to do when one is missing. Needs no module, so that a
# BeforeDiscovery block can dot-source it: outside CI a check whose server is down is skipped; under
# CI=true it fails (Assert-TestServer throws in its BeforeAll), so a broken CI setup never passes green.
# The connection strings are the xunit suite's: DATASYNC_TEST_PG, DATASYNC_TEST_MARIADB, DATASYNC_TEST_S3.
$underCi = $env:CI -eq 'true'
$pgConnectionString = if ($env:DATASYNC_TEST_PG) { $env:DATASYNC_TEST_PG } else { 'Host=127.0.0.1;Port=5432;Username=datasync;Password=datasync;Database=datasync_test' }
$mariaDbConnectionString = if ($env:DATASYNC_TEST_MARIADB) { $env:DATASYNC_TEST_MARIADB } else { 'Server=127.0.0.1;Port=3306;User ID=datasync;Password=datasync;Database=datasync_test' }
# The DataSnap emulator build.ps1 builds (DATASYNCPS_EMULATOR), else the Release build in the tree.
$emulatorPath = if ($env:DATASYNCPS_EMULATOR) { $env:DATASYNCPS_EMULATOR } else { Join-Path $PSScriptRoot '..' 'DataSyncPS.Emulators' 'bin' 'Release' 'net10.0' 'DataSyncPS.Emulators.dll' }
$s3Url = if ($env:DATASYNC_TEST_S3) { $env:DATASYNC_TEST_S3 } else { 'http://127.0.0.1:4568' }

function Get-TestLogin([string] $ConnectionString) {
    # Server, port, user, password and database of a test connection string, whatever its keywords.
    $builder = [System.Data.Common.DbConnectionStringBuilder]::new()
    # Not $builder.ConnectionString = ...: PowerShell would set a key of that name in the dictionary.
    $builder.set_ConnectionString($ConnectionString)
    $value = { param([string[]] $keys) foreach ($k in $keys) { if ($builder.ContainsKey($k)) { return [string]$builder[$k] } } }
    [pscustomobject]@{
        Server   = & $value 'Host', 'Server'
        Port     = & $value 'Port'
        User     = & $value 'Username', 'User ID', 'UserID', 'User', 'Uid'
        Password = & $value 'Password', 'Pwd'
        Database = & $value 'Database', 'Initial Catalog'
    }
}

function Invoke-TestSql {
    # Runs SQL on a test database through its own client (psql, mariadb), as an admin would seed one.
    param([ValidateSet('PostgreSql', 'MariaDb')] [string] $Server, [string] $Sql, [switch] $Scalar)
    if ($Server -eq 'PostgreSql') {
        $login = Get-TestLogin $pgConnectionString
        $env:PGPASSWORD = $login.Password
        try { $out = $Sql | & psql -h $login.Server -p $(if ($login.Port) { $login.Port } else { 5432 }) -U $login.User -d $login.Database -X -q -t -A -v ON_ERROR_STOP=1 2>&1 }
        finally { Remove-Item Env:PGPASSWORD }
    }
    else {
        $login = Get-TestLogin $mariaDbConnectionString
        $env:MYSQL_PWD = $login.Password
        try { $out = $Sql | & mariadb -h $login.Server -P $(if ($login.Port) { $login.Port } else { 3306 }) -u $login.User -D $login.Database -N -B 2>&1 }
        finally { Remove-Item Env:MYSQL_PWD }
    }
    if ($LASTEXITCODE -ne 0) { throw "$Server refused the SQL: $out" }
    if ($Scalar) { @($out)[0] } else { $out }
}

function Get-TestServerProblem([ValidateSet('PostgreSql', 'MariaDb', 'S3', 'Emulators')] [string] $Server) {
    # $null when the server answers (and its test login works), else why not.
    try {
        switch ($Server) {
            'S3' {
                $uri = [uri]$s3Url
                $tcp = [System.Net.Sockets.TcpClient]::new()
                try { $tcp.Connect($uri.Host, $uri.Port) } finally { $tcp.Dispose() }
                if (-not (Test-Path $emulatorPath)) { return "the DataSnap emulator is not built at '$emulatorPath' (./build.ps1 -Task Pester builds it)" }
            }
            'Emulators' {
                # The Auvo and e-Track emulators need no server, only their build.
                if (-not (Test-Path $emulatorPath)) { return "the emulators are not built at '$emulatorPath' (./build.ps1 -Task Pester builds them)" }
            }
            default {
                $client = if ($Server -eq 'PostgreSql') { 'psql' } else { 'mariadb' }
                if (-not (Get-Command $client -ErrorAction Ignore)) { return "its client '$client' is not installed" }
                $null = Invoke-TestSql -Server $Server -Sql 'SELECT 1;'
            }
        }
        $null
    }
    catch { $_.Exception.Message }
}

function Test-SkipServer([string] $Server) {
    # For -Skip: true only outside CI, when the server is missing.
    (-not $underCi) -and [bool](Get-TestServerProblem $Server)
}

function Assert-TestServer([string] $Server) {
    $problem = Get-TestServerProblem $Server
    if ($problem) { throw "The $Server test server is not available$(if ($underCi) { ' under CI' }): $problem. Run .ci/servers.sh to start it." }
}
