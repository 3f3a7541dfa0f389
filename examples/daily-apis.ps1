<#
.SYNOPSIS
    The daily API job: Auvo entities and e-Track positions upserted into PostgreSQL, and Consinco's
    stores, products, customers and sales sent to Plusoft; each part skippable.
.DESCRIPTION
    Replaces scripts/run_daily.sh and its RUN_AUVO / RUN_ETRAC switches: -SkipAuvo and -SkipETrack
    (or RUN_AUVO=0 / RUN_ETRAC=0 in the environment, as the seed's runner read them) skip a part;
    -SkipPlusoft (or RUN_PLUSOFT=0) skips the Plusoft sync.

    Auvo: each entity is read incrementally (the watermark lives in the state store) and upserted
    into auvo.<entity> by its natural key; tables and new columns are created from the records.
    e-Track: yesterday's positions of every vehicle (or the last -ETrackDays days), upserted into
    e_track.posicoes by (placa, data_transmissao), so rerunning a day changes nothing.

    Plusoft: the Consinco-to-Plusoft bridge's nightly run (its monitor.py at 01:00). Filiais, Produtos,
    Clientes and Vendas are read from the Consinco database (Oracle in production) and sent to the
    Plusoft transactional load API, each incrementally, mapped by the module's Mappings/Plusoft.psd1
    or -PlusoftMappingPath, with the old bridge's route logs under -PlusoftLogDirectory. A batch the API
    rejects is retried at the start of the next night (-Pending), after the rows were fixed.

    A part that fails is reported and the others still run; the script exits with 1 when anything
    failed, so a scheduler records the failure.

    Runs under pwsh 7.4+ or the bundled host:
        dotnet DataSyncPS.Host.dll -File examples/daily-apis.ps1 -Server db01 -Database sync_apis -Credential sync-writer
.PARAMETER Credential
    The database login, or the name of one saved with Save-SyncSecret.
.PARAMETER AuvoCredential
    Auvo's API key (user name) and API token (password), or a saved credential's name. Default: auvo.
.PARAMETER ETrackCredential
    e-Track's user and API key, or a saved credential's name. Default: etrack.
.PARAMETER ConsincoCredential
    The Consinco database login, or a saved credential's name. Default: consinco-reader.
.PARAMETER PlusoftApiKey
    The Plusoft integration token, or the name of one saved with Save-SyncSecret. Default: plusoft.
.EXAMPLE
    ./examples/daily-apis.ps1 -Server db01 -Database sync_apis -Credential sync-writer -SkipETrack -Verbose
.EXAMPLE
    ./examples/daily-apis.ps1 -SkipAuvo -SkipETrack -ConsincoServer ora01 -PlusoftApiUrl https://api.plusoft.example/carga/v1 -PlusoftLogDirectory /var/log/plusoft/Logs
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $Server = '127.0.0.1',
    [string] $Database = 'sync_apis',
    [object] $Credential,
    [object] $AuvoCredential = 'auvo',
    [object] $ETrackCredential = 'etrack',
    [string[]] $AuvoEntity = @('customers', 'tasks', 'users', 'equipments', 'products', 'services', 'teams', 'segments', 'questionnaires'),
    [uri] $AuvoApiUrl = 'https://api.auvo.com.br/v2/',
    [uri] $ETrackApiUrl = $(if ($env:ETRAC_API_BASE) { $env:ETRAC_API_BASE } else { 'https://api.etrac.com.br/monitoramento/' }),
    [int] $ETrackDays = 1,
    [int] $RequestsPerMinute = 0,
    [string] $ConsincoProvider = 'Oracle',
    [string] $ConsincoServer = 'consinco-db',
    [string] $ConsincoDatabase = 'CONSINCO',
    [object] $ConsincoCredential = 'consinco-reader',
    [string] $ConsincoTimeZone = 'America/Sao_Paulo',
    [uri] $PlusoftApiUrl = $(if ($env:PLUSOFT_API_URL) { $env:PLUSOFT_API_URL } else { 'https://api.plusoft.example/carga/v1/' }),
    [object] $PlusoftApiKey = 'plusoft',
    [string] $PlusoftMappingPath,
    [string] $PlusoftLogDirectory,
    [string] $StatePath,
    [switch] $SkipAuvo,
    [switch] $SkipETrack,
    [switch] $SkipPlusoft
)

$ErrorActionPreference = 'Continue'
if ($env:RUN_AUVO -eq '0') { $SkipAuvo = $true }
if ($env:RUN_ETRAC -eq '0') { $SkipETrack = $true }
if ($env:RUN_PLUSOFT -eq '0') { $SkipPlusoft = $true }

# The PostgreSQL database the collectors write into (the Plusoft sync alone needs none).
if (-not ($SkipAuvo -and $SkipETrack)) {
    $connect = @{ Provider = 'PostgreSql'; Server = $Server; Database = $Database }
    if ($Credential) { $connect.Credential = $Credential }
    $pg = Connect-SyncSource @connect -ErrorAction Stop
}
$failed = [System.Collections.Generic.List[string]]::new()

# The natural key of each Auvo entity (AuvoContract.cs).
$auvoKeys = @{ tasks = 'taskID'; users = 'userID'; products = 'productId' }

if (-not $SkipAuvo) {
    $state = @{}
    if ($StatePath) { $state.StatePath = $StatePath }
    foreach ($entity in $AuvoEntity) {
        $key = if ($auvoKeys.ContainsKey($entity)) { $auvoKeys[$entity] } else { 'id' }
        $errors = $null
        Get-AuvoData -Entity $entity -Incremental -Credential $AuvoCredential -ApiUrl $AuvoApiUrl -RequestsPerMinute $RequestsPerMinute @state -ErrorVariable +errors |
            Write-SyncTable -Source $pg -Table "auvo.$entity" -Key $key -CreateTable -ErrorVariable +errors
        if ($errors) { $failed.Add("auvo.$entity") }
    }
}

if (-not $SkipETrack) {
    $today = [datetimeoffset]::new([datetime]::Today)
    $errors = $null
    Get-ETrackData -Credential $ETrackCredential -ApiUrl $ETrackApiUrl -From $today.AddDays(-$ETrackDays) -To $today -ErrorVariable +errors |
        Write-SyncTable -Source $pg -Table e_track.posicoes -Key placa, data_transmissao -CreateTable -ErrorVariable +errors
    if ($errors) { $failed.Add('e_track.posicoes') }
}

if (-not $SkipPlusoft) {
    $errors = $null
    $plusoft = @{ ApiUrl = $PlusoftApiUrl; ApiKey = $PlusoftApiKey }
    if ($StatePath) { $plusoft.StatePath = $StatePath }
    if ($PlusoftMappingPath) { $plusoft.MappingPath = $PlusoftMappingPath }
    $logs = if ($PlusoftLogDirectory) { @{ LogDirectory = $PlusoftLogDirectory } } else { @{} }
    try {
        $consinco = @{ Provider = $ConsincoProvider; Server = $ConsincoServer; Database = $ConsincoDatabase; TimeZone = $ConsincoTimeZone }
        if ($ConsincoCredential) { $consinco.Credential = $ConsincoCredential }
        $source = Connect-SyncSource @consinco -ErrorAction Stop
        # Last night's rejected batches first (their rows fixed since), then everything new, entity by entity.
        $source | Sync-Plusoft -Pending @plusoft @logs -ErrorVariable +errors | Out-Null
        $source | Sync-Plusoft @plusoft @logs -ErrorVariable +errors | Where-Object { $_.PSObject.TypeNames[0] -eq 'DataSyncPS.PlusoftSyncSummary' } |
            Format-Table Entity, Rows, Delivered, Rejected, Pending, Watermark -AutoSize | Out-String -Width 160
    }
    catch { $errors = @($errors) + $_; Write-Error -ErrorRecord $_ -ErrorAction Continue }
    if ($errors) { $failed.Add('plusoft') }
}

if ($failed.Count -gt 0) {
    Write-Warning "Failed: $($failed -join ', ')"
    exit 1
}
