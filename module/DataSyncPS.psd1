@{
    RootModule             = 'DataSyncPS.dll'
    # Loads first: sends the engine and its dependencies to the module's own AssemblyLoadContext.
    NestedModules          = @('DataSyncPS.Loader.dll')
    ModuleVersion          = '0.1.0'
    CompatiblePSEditions   = @('Core')
    GUID                   = '6f1d3c9a-5a7e-4b8e-9a41-2d4f0c7b9e13'
    Author                 = 'DataSyncPS contributors'
    CompanyName            = 'DataSyncPS'
    Copyright              = '(c) DataSyncPS contributors. MIT License.'
    Description            = 'Move data between databases (PostgreSQL, MySQL/MariaDB, SQL Server, Oracle, SQLite), Laravel logs, SaaS APIs and cloud storage from PowerShell: streaming, incremental gzip JSONL batches with no row lost or duplicated across crashes and retries.'
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
0.1.0
- Connect-SyncSource: PostgreSQL, MySQL, MariaDB, SQL Server, Oracle (provider loaded at run time), SQLite and Laravel logs; connection tested with specific errors.
- Export-SyncBatch: streaming gzip JSONL batches from tables, queries, logs or piped objects; incremental keyset export with a durable outbox and no row lost or duplicated across crashes.
- Save-SyncSecret, Get-SyncSecret, Remove-SyncSecret: API keys and credentials saved by name, encrypted at rest (DPAPI on Windows, AES-256-GCM with an owner-only key file elsewhere), per user or for the machine (service accounts); -Credential of Connect-SyncSource takes a saved name.
- Dependencies load in the module's own AssemblyLoadContext: no clash with other modules shipping Npgsql, SqlClient or MySqlConnector.
'@
        }
    }
}
