<#
.SYNOPSIS
    The nightly backup the old backup service ran: every database of two servers to R2-style storage,
    each one verified, and a mail when anything failed.
.DESCRIPTION
    Backs up every user database of a PostgreSQL server and of a MariaDB server with their own tools
    (pg_dump -Fc, mariadb-dump --single-transaction --routines --triggers --events, gzipped), streamed
    into r2://<bucket>/<prefix>/YYYYMMDD/ (the old service's date folders), each read back and checked
    (-Verify Structure), keeping -RetentionDays days. One database that fails does not stop the others;
    at the end a mail lists what failed (with -MailAlways, also on success), and the script exits 1 if
    anything failed, so the scheduler records the failure.

    Logins are names of credentials saved once with Save-SyncSecret (no password in the script):
        Save-SyncSecret -Name pg-backup -Credential (Get-Credential backup)
        Save-SyncSecret -Name r2-backup -Credential (Get-Credential <access key id>)   # secret key as the password
    Check the bucket and keys before the first night:
        Test-SyncStorage r2://backups/nightly -AccountId <account id> -StorageCredential r2-backup

    Runs under pwsh 7.4+ or the bundled host:
        dotnet /opt/datasyncps/DataSyncPS.Host.dll -File examples/nightly-backup.ps1 -AccountId ...
.EXAMPLE
    ./nightly-backup.ps1 -PostgreSqlServer db01 -MariaDbServer db02 -Bucket backups -AccountId 0123456789abcdef0123456789abcdef -MailTo dba@example.com
.EXAMPLE
    ./nightly-backup.ps1 -Endpoint http://127.0.0.1:4568 -Bucket backups -StorageCredential minio
    The same against any S3-compatible store (MinIO, s3rver) instead of R2.
#>
param(
    [string] $PostgreSqlServer = '127.0.0.1',
    [object] $PostgreSqlCredential = 'pg-backup',
    [string] $MariaDbServer = '127.0.0.1',
    [object] $MariaDbCredential = 'mariadb-backup',
    # Which databases of each server: names or wildcards; * is every user database.
    [string[]] $Database = '*',
    [string] $Bucket = 'backups',
    [string] $Prefix = 'nightly',
    # Cloudflare account id (or CLOUDFLARE_ACCOUNT_ID); or -Endpoint for another S3-compatible store.
    [string] $AccountId,
    [string] $Endpoint,
    [object] $StorageCredential = 'r2-backup',
    [int] $RetentionDays = 30,
    [string] $SmtpServer = 'smtp.example.com',
    [int] $SmtpPort = 587,
    # Auto, None, StartTls or SslOnConnect.
    [string] $SmtpSecurity = 'Auto',
    [object] $SmtpCredential,
    [string] $MailFrom = 'backup@example.com',
    [string[]] $MailTo = @('dba@example.com'),
    [switch] $MailAlways
)

$storage = @{ StorageCredential = $StorageCredential }
if ($Endpoint) { $storage.Endpoint = $Endpoint } elseif ($AccountId) { $storage.AccountId = $AccountId }
$mail = @{ SmtpServer = $SmtpServer; Port = $SmtpPort; Security = $SmtpSecurity; From = $MailFrom; To = $MailTo; SubjectPrefix = '[nightly backup]' }
if ($SmtpCredential) { $mail.Credential = $SmtpCredential }

# Each server once, with its maintenance database; -Database then takes the user databases on it.
# One statement each: a server that cannot be reached must not cost the other its backups.
$failed = [System.Collections.ArrayList]::new()
$servers = @()
$servers += Connect-SyncSource -Provider PostgreSql -Server $PostgreSqlServer -Database postgres -Credential $PostgreSqlCredential -ErrorVariable +failed
$servers += Connect-SyncSource -Provider MariaDb -Server $MariaDbServer -Database mysql -Credential $MariaDbCredential -ErrorVariable +failed
$results = @($servers | Invoke-DbBackup -Database $Database -Destination "r2://$Bucket/$Prefix" @storage `
    -Verify Structure -RetentionDays $RetentionDays -ErrorVariable +failed)
$results | ForEach-Object { "{0}/{1}: {2:N1} MB in {3:N0} s, verified {4} -> {5}" -f $_.Server, $_.Database, ($_.Bytes / 1MB), $_.Duration.TotalSeconds, $_.Verified, $_.Destination }

if ($failed.Count -gt 0 -or $MailAlways) {
    $results | Send-SyncNotification -ErrorRecord $failed @mail
}
if ($failed.Count -gt 0) {
    "$($failed.Count) failure(s); see the mail and the errors above."
    exit 1
}
