@{
    RootModule             = 'DataSyncPS.dll'
    # Loads first: sends the engine and its dependencies to the module's own AssemblyLoadContext.
    NestedModules          = @('DataSyncPS.Loader.dll')
    ModuleVersion          = '0.3.0'
    CompatiblePSEditions   = @('Core')
    GUID                   = '6f1d3c9a-5a7e-4b8e-9a41-2d4f0c7b9e13'
    Author                 = 'DataSyncPS contributors'
    CompanyName            = 'DataSyncPS'
    Copyright              = '(c) DataSyncPS contributors. MIT License.'
    Description            = 'Move data between databases (PostgreSQL, MySQL/MariaDB, SQL Server, Oracle, SQLite), Laravel logs, SaaS APIs and cloud storage from PowerShell: streaming, incremental gzip JSONL batches with no row lost or duplicated across crashes and retries. Requires PowerShell 7.4 or later; Windows PowerShell 5.1 is not supported.'
    PowerShellVersion      = '7.4'
    FormatsToProcess       = @('DataSyncPS.format.ps1xml')
    CmdletsToExport        = @(
        'Connect-SyncSource'
        'Export-SyncBatch'
        'Send-DataSnapBatch'
        'Get-SyncSecret'
        'Remove-SyncSecret'
        'Save-SyncSecret'
        'Get-SyncState'
        'Reset-SyncState'
        'Clear-SyncHistory'
        'Write-SyncTable'
        'Get-AuvoData'
        'Get-ETrackData'
        'Get-SyncLogging'
        'Set-SyncLogging'
        'Compare-DbSchema'
        'Copy-DbStructure'
        'Register-SyncJob'
        'Get-SyncJob'
        'Unregister-SyncJob'
        'Test-SyncJob'
        'Invoke-DbBackup'
        'Restore-DbBackup'
        'Test-SyncStorage'
        'Send-SyncNotification'
        'Sync-Plusoft'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('ETL', 'DataSync', 'Export', 'JSONL', 'PostgreSQL', 'MySQL', 'MariaDB', 'SQLServer', 'Oracle', 'SQLite', 'Laravel', 'Incremental', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://github.com/datasyncps/DataSyncPS'
            ReleaseNotes = @'
0.3.0
- Sync-Plusoft: Consinco's Filiais, Produtos, Clientes and Vendas sent to the Plusoft transactional load API in batches (1,000), mapped by a .psd1 mapping file shipped in the module (Mappings/Plusoft.psd1, -MappingPath for your own: trimming, formats, decimals, NULL handling, codes, constants; checked against the views before anything is sent), incrementally through the state store (a crash never skips or repeats a batch; an Idempotency-Key per batch), rejected batches kept for -Pending, -Preview of the mapped records, the old bridge's route logs (-LogDirectory). examples/daily-apis.ps1 runs it nightly.
- Sync-Plusoft -LookbackDays (or LookbackDays per entity in the mapping): sales posted late for an already synced date go out on the next run, counted in LookbackRows. Export-SyncBatch -LookbackSeconds shares the rule and now works with a PostgreSQL date cursor.
- Copy-DbStructure copies SQL Server rows too (keyset pages into SqlBulkCopy, identity kept, keys checked after the load, validation by per-range checksums), and -Verbose says how long each phase took. On SQL Server, ASCII keyset values bind as varchar so a varchar key pages in its own collation.
- Write-SyncTable loads a batch straight into the table (binary COPY, MySqlBulkCopy into InnoDB) until one meets a key already there, then upserts as before; partitioned PostgreSQL tables are upserted (they failed).
- Invoke-DbBackup sizes multipart parts once, equal, from the database's size (R2 refuses unequal parts; -PartSizeMB overrides) and fails early, aborting the upload, before the 10,000-part limit; storage retries show in -Verbose.
- Invoke-DbBackup with pg_dump 12 to 15 compresses the custom archive on every core (pg_dump dumps it uncompressed; pg_restore reads the result as any pg_dump -Fc file): a third faster on two cores. pg_dump 16 and later compress as before.
- Write-SyncTable converts records 1,000 at a time as they arrive and holds a batch as the rows it sends, not as objects: fewer and cheaper collections, lower peak memory; a field that needs a new column starts a new batch there.
- Sync-Plusoft -WhatIf and -Confirm say how many days before the watermark an incremental entity is read again.
- Tab completion of -Table reads the source in the piped variable, and 'the source connected last' is per runspace.
- The state store records batches an API rejected (schema 2: the first key of each batch); stores of 0.2 are upgraded in place.
- Register-SyncJob, Get-SyncJob, Unregister-SyncJob, Test-SyncJob: a script as a nightly job (systemd service and timer, cron, or Task Scheduler task with no stored password), -WhatIf showing every file it would write, and a check of what the unattended run will use (account, secrets it can read, module, state and log paths, sources).
- Set-SyncLogging, Get-SyncLogging: one logging setting (session, user or machine) that every cmdlet follows, scheduled runs included: daily log files (text or CLEF) kept N days, and Seq (CLEF over HTTP, key by saved secret name); events carry the cmdlet, run id, stream, counts and ErrorIds, never secrets.
- Compare-DbSchema, Copy-DbStructure: production-to-sandbox schema comparison and replication for PostgreSQL and MySQL/MariaDB (FK order, -WhatIf plan, keyset bulk data copy, validation by re-compare and server checksums).
- Write-SyncTable: piped objects upserted into PostgreSQL or MariaDB/MySQL in bulk, tables and columns created from the records; Get-AuvoData and Get-ETrackData read the Auvo and e-Track APIs.
- The bundled host is pwsh's own console host (Microsoft.PowerShell.SDK 7.6.9): the standard modules, pwsh's exit codes; 130/143 on SIGINT/SIGTERM. Bad command line: exit 64 (was 2).
- Installs from a PSResourceGet repository (Install-PSResource DataSyncPS); LICENSE in the module; the version is written once, in the manifest.

0.2.0
- Get-SyncState shows each stream of a state store: watermark, batches waiting in the outbox (count, rows, size), batches confirmed, and the last run's status, times and message; with a table view an admin can scan.
- Reset-SyncState forgets streams' watermarks, by name (wildcards) or piped from Get-SyncState, under the stream's lock; Clear-SyncHistory prunes confirmed batch records and finished runs older than -OlderThanDays (30), keeping watermarks, sequences, unsent batches and each stream's last run.
- Changed: Send-DataSnapBatch deletes a batch file once DataSnap confirms it and the state store records it, so the outbox no longer grows (0.1 kept every file); -KeepConfirmed keeps them.
- The state store refuses a file it cannot read (emptied, damaged, not a DataSyncPS store) with StateStoreFailed instead of silently starting every stream over; new stores are created whole, checked on open and versioned.
- Canonical stream identity: host names ignore case and a trailing dot, a port typed into the server name is the port, SQL Server and Oracle database names ignore case, and a table's stream is keyed by schema.table as the catalog names it. Streams kept by 0.1 are adopted, once, by their first export.
- One exporter per stream, whatever its output folder: the lock lives beside the state store (state.db.locks) and a second export fails with StreamLocked (0.1: InvalidArgument, per output folder).
- A batch file is never replaced: a name already taken is skipped with a warning and the batch takes the next sequence.
- The output folder is checked before a run changes anything: OutputNotWritable and DiskFull instead of .NET exceptions, and no .tmp file left on a full disk. Every error carries a module ErrorId; UnexpectedError for what was not foreseen.
- Breaking: Export-SyncBatch reports a failed source (server down, wrong password, missing table, locked stream) as a non-terminating error and exports the other piped sources. pwsh -File then exits with 0: scheduled scripts should set $ErrorActionPreference = 'Stop'.
- Breaking: SyncBatch has no Status property any more (Get-SyncState shows what is pending and confirmed); DataSnapUpload.Status is Confirmed or Failed, the API's word is in RemoteStatus.
- Send-DataSnapBatch: every request body goes with Content-Length (never chunked), a progress bar (batches, bytes, MB/s), -ApiUrl checked as Save-SyncSecret checks it, and a pending batch whose file is gone is PathNotFound.
- The bundled host exits 130 on Ctrl+C and 143 on SIGTERM, with a Stopped line, after discarding the open batch; the run history records Stopped.
- Faster exports: PostgreSQL rows are read with binary COPY where the column types allow it, batches are compressed on every core, and Optimal is zlib-ng level 5 on PowerShell 7.5+.
- SQLite values follow their columns' declared types; -Query exports take the catalog's types where the driver names the table column; Laravel log lines holding binary data are LogEntryCorrupt.

0.1.0
- Connect-SyncSource: PostgreSQL, MySQL, MariaDB, SQL Server, Oracle (provider loaded at run time), SQLite and Laravel logs; connection tested with specific errors.
- Export-SyncBatch: streaming gzip JSONL batches from tables, queries, logs or piped objects; incremental keyset export with a durable outbox and no row lost or duplicated across crashes.
- Send-DataSnapBatch: uploads batches through signed URLs (piped as they are exported, by path, or the outbox's pending ones) with idempotency keys and one retry policy.
- Save-SyncSecret, Get-SyncSecret, Remove-SyncSecret: API keys and credentials saved by name, encrypted at rest (DPAPI on Windows, AES-256-GCM with an owner-only key file elsewhere), per user or for the machine (service accounts); -Credential of Connect-SyncSource takes a saved name.
- Dependencies load in the module's own AssemblyLoadContext: no clash with other modules shipping Npgsql, SqlClient or MySqlConnector.
'@
        }
    }
}
