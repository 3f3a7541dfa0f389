# Sources and tables for sync-all-tables.ps1. The data lives in this file, not in the script: add a
# source or a table here and the next run picks it up.
#
# Per source: Name (its folder under the output directory), Provider, and what Connect-SyncSource
# needs: Server/Port/Database, ConnectionString or Path, plus optionally TimeZone,
# TrustServerCertificate, ProviderPath, ConnectTimeout. Credential is a name, not a secret: a login
# saved once with Save-SyncSecret -Name <name> -Credential (Get-Credential) (machine scope for a job
# running as a service account), or a name in the script's -Credential table, or a SecretManagement one.
# Relative Path and ProviderPath values are relative to this file.
#
# Per table: Table, and CursorColumn for an incremental export (left out: the whole table every
# run); optionally KeyColumn, LookbackSeconds, Stream, BatchSize.
@{
    Sources = @(
        # The embedded demo, so that the script runs anywhere.
        @{
            Name     = 'demo'
            Provider = 'Sqlite'
            Path     = 'data/demo.sqlite'
            Tables   = @(
                @{ Table = 'vendas'; CursorColumn = 'updated_at' }
                # Branches are only ever added: the id is cursor enough.
                @{ Table = 'filiais'; CursorColumn = 'id' }
            )
        }

        <# A PostgreSQL ERP, read as a dedicated login:
        @{
            Name       = 'erp'
            Provider   = 'PostgreSql'
            Server     = 'db01.corp.local'
            Database   = 'erp'
            Credential = 'erp-reader'
            TimeZone   = 'America/Sao_Paulo'
            Tables     = @(
                # Late commits: re-read the five minutes before the watermark.
                @{ Table = 'public.pedidos'; CursorColumn = 'atualizado_em'; LookbackSeconds = 300 }
                @{ Table = 'public.clientes'; CursorColumn = 'updated_at' }
                @{ Table = 'public.produtos' }
            )
        }
        #>

        <# A MariaDB shop and a SQL Server with a self-signed certificate:
        @{
            Name       = 'loja'
            Provider   = 'MariaDb'
            Server     = 'mariadb01'
            Database   = 'loja'
            Credential = 'loja-sync'
            Tables     = @(
                @{ Table = 'vendas'; CursorColumn = 'updated_at' }
            )
        }
        @{
            Name                   = 'pedidos'
            Provider               = 'SqlServer'
            Server                 = 'sql01\ERP'
            Database               = 'Pedidos'
            TrustServerCertificate = $true
            Tables                 = @(
                # No primary key on this table: name the columns that identify a row.
                @{ Table = 'dbo.ItensPedido'; CursorColumn = 'AlteradoEm'; KeyColumn = 'PedidoId', 'Item' }
            )
        }
        #>
    )
}
