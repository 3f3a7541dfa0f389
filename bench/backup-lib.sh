# Shared by bench/backup-*.sh: a bucket on s3rver (BENCH_BUCKET, default bench-backup), the seed's upload (curl with SigV4, one PUT of the
# finished file, as boto3's upload_file does for a file this size), and Invoke-DbBackup through the host.
S3="${DATASYNC_TEST_S3:-http://127.0.0.1:4568}"
BUCKET="${BENCH_BUCKET:-bench-backup}"

ensure_bucket() { curl -sf -o /dev/null -X PUT -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" --aws-sigv4 "aws:amz:us-east-1:s3" --user S3RVER:S3RVER "$S3/$BUCKET" || true; }

# seed_upload FILE KEY : the seed's second step, the finished dump uploaded whole
seed_upload() {
  curl -sf -o /dev/null -T "$1" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" --aws-sigv4 "aws:amz:us-east-1:s3" --user S3RVER:S3RVER "$S3/$BUCKET/$2"
}

# host_backup PROVIDER CONNECTION_STRING PREFIX : Invoke-DbBackup into s3rver through the bundled host
host_backup() {
  dotnet "$HOST_DIR/DataSyncPS.Host.dll" -Command "
    \$ErrorActionPreference = 'Stop'
    \$key = [pscredential]::new('S3RVER', [System.Net.NetworkCredential]::new('', 'S3RVER').SecurePassword)
    \$b = Connect-SyncSource -Provider $1 -ConnectionString '$2' | Invoke-DbBackup -Destination 's3://$BUCKET/$3' -Endpoint '$S3' -StorageCredential \$key
    \"\$(\$b.Bytes) bytes in \$(\$b.Duration)\""
}
export -f host_backup seed_upload
export S3 BUCKET

# clean_bucket : deletes the bench objects (s3rver keeps them on disk)
clean_bucket() { rm -rf "${S3RVER_DATA:-/var/lib/s3rver}/$BUCKET"/* 2>/dev/null || true; }
