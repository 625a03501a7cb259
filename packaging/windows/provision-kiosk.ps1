<#
.SYNOPSIS
  Makes a Windows terminal a Pult kiosk: installs Pult silently for all users, creates the local
  kiosk user, makes Pult that user's shell with Shell Launcher v2 (restarted if it exits), and
  signs that user in automatically. Run as Administrator on Windows 10/11 Enterprise, Education or
  IoT Enterprise (Shell Launcher does not exist on Pro: see docs/PACKAGING.md for what stays open there).

  NOT RUN BY THIS PROJECT'S CI: written against Microsoft's documented WESL_UserSetting WMI class
  and the Client-EmbeddedShellLauncher feature. Try it on one terminal before rolling it out.

.PARAMETER Installer
  The NSIS installer built on a networked build machine (npx electron-builder --win): Pult-Setup-<v>.exe.
.PARAMETER KioskUser
  The local account the kiosk runs as (created if missing, not an administrator).
.PARAMETER ConfigFile
  The console's pult.config.json for this terminal (office, window, sync), copied to ProgramData.
#>
[CmdletBinding()]
param(
  [Parameter(Mandatory = $true)] [string] $Installer,
  [Parameter(Mandatory = $true)] [string] $ConfigFile,
  [string] $KioskUser = 'pult-kiosk',
  [securestring] $KioskPassword
)
$ErrorActionPreference = 'Stop'

# 1. Pult for all users, silently (NSIS: oneClick + perMachine in electron-builder.yml, /S).
$process = Start-Process -FilePath $Installer -ArgumentList '/S', '/allusers' -Wait -PassThru
if ($process.ExitCode -ne 0) { throw "the Pult installer exited with $($process.ExitCode)" }
$pult = Join-Path $env:ProgramFiles 'Pult\Pult.exe'
if (-not (Test-Path $pult)) { throw "Pult.exe not found at $pult after installation" }

# 2. The console's data directory and config, outside the user's profile (PULT_DATA_DIR, PULT_CONFIG).
$data = Join-Path $env:ProgramData 'Pult'
New-Item -ItemType Directory -Force -Path $data | Out-Null
Copy-Item -Force $ConfigFile (Join-Path $data 'pult.config.json')
[Environment]::SetEnvironmentVariable('PULT_DATA_DIR', $data, 'Machine')
[Environment]::SetEnvironmentVariable('PULT_CONFIG', (Join-Path $data 'pult.config.json'), 'Machine')

# 3. The kiosk user: a standard local account that may write only the data directory.
if (-not (Get-LocalUser -Name $KioskUser -ErrorAction SilentlyContinue)) {
  if (-not $KioskPassword) { $KioskPassword = Read-Host -AsSecureString "Password for $KioskUser" }
  New-LocalUser -Name $KioskUser -Password $KioskPassword -PasswordNeverExpires -UserMayNotChangePassword | Out-Null
  Add-LocalGroupMember -Group 'Users' -Member $KioskUser
}
icacls $data /grant "${KioskUser}:(OI)(CI)M" | Out-Null

# 4. Shell Launcher v2: Pult is the kiosk user's shell instead of Explorer; restarted when it exits.
$feature = Get-WindowsOptionalFeature -Online -FeatureName 'Client-EmbeddedShellLauncher'
if ($feature.State -ne 'Enabled') {
  Enable-WindowsOptionalFeature -Online -FeatureName 'Client-EmbeddedShellLauncher' -NoRestart | Out-Null
  Write-Warning 'Shell Launcher was enabled: restart the terminal, then run this script again.'
  exit 3010
}
$launcher = [wmiclass]'\\.\root\standardcimv2\embedded:WESL_UserSetting'
$sid = (New-Object System.Security.Principal.NTAccount($KioskUser)).Translate([System.Security.Principal.SecurityIdentifier]).Value
$restartShell = 0   # the action when the shell exits: 0 = restart it
$launcher.SetDefaultShell('explorer.exe', $restartShell) | Out-Null   # administrators keep Explorer
try { $launcher.RemoveCustomShell($sid) | Out-Null } catch { }
$launcher.SetCustomShell($sid, "`"$pult`"", $null, $null, $restartShell) | Out-Null
$launcher.SetEnabled($true) | Out-Null

# 5. The kiosk user signs in at boot (a power cut brings the console back by itself).
$winlogon = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon'
Set-ItemProperty $winlogon -Name AutoAdminLogon -Value '1'
Set-ItemProperty $winlogon -Name DefaultUserName -Value $KioskUser
Set-ItemProperty $winlogon -Name DefaultDomainName -Value $env:COMPUTERNAME
Write-Output "Pult kiosk provisioned for $KioskUser: store its password for auto sign-in with Sysinternals Autologon (never in plain text in the registry), then restart."
