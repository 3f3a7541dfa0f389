# Save-, Get- and Remove-SyncSecret as a pwsh user sees them, with both stores in TestDrive. Needs no
# server and no API (-SkipValidation). Run with ./build.ps1 -Task Test, or Invoke-Pester tests/pester.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $savedHome = $env:DATASYNCPS_HOME
    $savedMachine = $env:DATASYNCPS_MACHINE_HOME
    $env:DATASYNCPS_HOME = Join-Path $TestDrive 'home'
    $env:DATASYNCPS_MACHINE_HOME = Join-Path $TestDrive 'machine'
    $canary = 'Pester-Canary-51c0'
    $secure = { param($text) [System.Net.NetworkCredential]::new('', $text).SecurePassword }
}

AfterAll {
    $env:DATASYNCPS_HOME = $savedHome
    $env:DATASYNCPS_MACHINE_HOME = $savedMachine
}

Describe 'Saved secrets' {
    BeforeEach {
        Get-SyncSecret | Remove-SyncSecret
    }

    It 'saves an API key and lists it without its value' {
        $info = Save-SyncSecret -Name datasnap -ApiKey (& $secure $canary) -ApiUrl https://api.datasnap.example/v1 -SkipValidation

        $info.PSObject.TypeNames[0] | Should -Be 'DataSyncPS.SyncSecretInfo'
        $info.Kind | Should -Be ApiKey
        (Get-SyncSecret | Out-String) | Should -Not -Match $canary
        Get-SyncSecret datasnap -AsPlainText | Should -Be $canary
    }

    It 'gives a saved credential back as a PSCredential' {
        Save-SyncSecret -Name erp -Credential ([pscredential]::new('etl', (& $secure $canary)))

        $cred = Get-SyncSecret erp -AsCredential
        $cred.UserName | Should -Be etl
        $cred.GetNetworkCredential().Password | Should -Be $canary
    }

    It 'refuses to save over a secret without -Force' {
        Save-SyncSecret -Name datasnap -ApiKey (& $secure 'one') -SkipValidation
        { Save-SyncSecret -Name datasnap -ApiKey (& $secure 'two') -SkipValidation -ErrorAction Stop } |
            Should -Throw -ErrorId 'SecretExists,DataSyncPS.Cmdlets.SaveSyncSecretCommand'
        Save-SyncSecret -Name datasnap -ApiKey (& $secure 'two') -SkipValidation -Force
        Get-SyncSecret datasnap -AsPlainText | Should -Be 'two'
    }

    It 'writes nothing under -WhatIf' {
        Save-SyncSecret -Name nothing -ApiKey (& $secure $canary) -SkipValidation -Scope Machine -WhatIf
        Get-SyncSecret -Scope Machine | Should -BeNullOrEmpty
    }

    It 'keeps no plain text in the store files' {
        Save-SyncSecret -Name datasnap -ApiKey (& $secure $canary) -SkipValidation
        Get-ChildItem $env:DATASYNCPS_HOME -Recurse -File | ForEach-Object {
            [System.IO.File]::ReadAllText($_.FullName) | Should -Not -Match $canary
        }
    }

    It 'removes the secrets piped from Get-SyncSecret, in their own scope only' {
        Save-SyncSecret -Name erp -Credential ([pscredential]::new('etl', (& $secure $canary)))
        Save-SyncSecret -Name erp -Credential ([pscredential]::new('etl', (& $secure $canary))) -Scope Machine

        Get-SyncSecret -Scope Machine | Remove-SyncSecret
        Get-SyncSecret -Scope Machine | Should -BeNullOrEmpty
        (Get-SyncSecret erp).Scope | Should -Be User
    }

    It 'removes nothing under -WhatIf' {
        Save-SyncSecret -Name datasnap -ApiKey (& $secure $canary) -SkipValidation
        Remove-SyncSecret datasnap -WhatIf
        Get-SyncSecret datasnap -AsPlainText | Should -Be $canary
    }

    It 'removes a secret, and a missing one is SecretNotFound' {
        Save-SyncSecret -Name datasnap -ApiKey (& $secure $canary) -SkipValidation
        Remove-SyncSecret datasnap
        { Get-SyncSecret datasnap -AsPlainText -ErrorAction Stop } |
            Should -Throw -ErrorId 'SecretNotFound,DataSyncPS.Cmdlets.GetSyncSecretCommand'
    }
}
