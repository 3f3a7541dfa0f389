<#
.SYNOPSIS
    The daily API job of the Auvo / e-Track collectors: Auvo entities and e-Track positions upserted
    into PostgreSQL, each part skippable.
.DESCRIPTION
    Replaces scripts/run_daily.sh and its RUN_AUVO / RUN_ETRAC switches: -SkipAuvo and -SkipETrack
    (or RUN_AUVO=0 / RUN_ETRAC=0 in the environment, as the seed's runner read them) skip a part.

    Auvo: each entity is read incrementally (the watermark lives in the state store) and upserted
    into auvo.<entity> by its natural key; tables and new columns are created from the records.
    e-Track: yesterday's positions of every vehicle (or the last -ETrackDays days), upserted into
    e_track.posicoes by (placa, data_transmissao), so rerunning a day changes nothing.

    A part that fails is reported and the other still runs; the script exits with 1 when anything
    failed, so a scheduler records the failure. The Plusoft sync will join this job later.

    Runs under pwsh 7.4+ or the bundled host:
        dotnet DataSyncPS.Host.dll -File examples/daily-apis.ps1 -Server db01 -Database sync_apis -Credential sync-writer
.PARAMETER Credential
    The database login, or the name of one saved with Save-SyncSecret.
.PARAMETER AuvoCredential
    Auvo's API key (user name) and API token (password), or a saved credential's name. Default: auvo.
.PARAMETER ETrackCredential
    e-Track's user and API key, or a saved credential's name. Default: etrack.
.EXAMPLE
    ./examples/daily-apis.ps1 -Server db01 -Database sync_apis -Credential sync-writer -SkipETrack -Verbose
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
    [string] $StatePath,
    [switch] $SkipAuvo,
    [switch] $SkipETrack
)

$ErrorActionPreference = 'Continue'
if ($env:RUN_AUVO -eq '0') { $SkipAuvo = $true }
if ($env:RUN_ETRAC -eq '0') { $SkipETrack = $true }

$connect = @{ Provider = 'PostgreSql'; Server = $Server; Database = $Database }
if ($Credential) { $connect.Credential = $Credential }
$pg = Connect-SyncSource @connect -ErrorAction Stop
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

if ($failed.Count -gt 0) {
    Write-Warning "Failed: $($failed -join ', ')"
    exit 1
}
