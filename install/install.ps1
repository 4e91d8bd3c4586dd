# Installs Stave on Windows from its release on GitHub: downloads the archive, checks it
# against the release's SHA-256 checksum, and puts stave.exe in a folder on your PATH. Refuses
# (and installs nothing) if the checksum does not match.
#
#   powershell -ExecutionPolicy Bypass -c "irm https://github.com/stave-hub/stave/releases/latest/download/install.ps1 | iex"
#
# Settings, all optional, as environment variables:
#   STAVE_VERSION       the version to install, such as 0.2.0 (default: the latest release)
#   STAVE_INSTALL_DIR   where to put stave.exe (default: %LOCALAPPDATA%\Programs\Stave)
#   STAVE_DOWNLOAD_URL  where the release's files are (default: the GitHub release), for a
#                       mirror or a test; a local folder's file:/// address works too

$ErrorActionPreference = 'Stop'
$Repo = 'https://github.com/stave-hub/stave'

function Fail([string]$Message) {
    Write-Host "stave installer: error: $Message" -ForegroundColor Red
    exit 1
}

$Arch = [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture
if ($Arch -ne 'X64') {
    Fail "no Stave release for this processor ($Arch): install Rust and run cargo install --git $Repo"
}
$Target = 'x86_64-pc-windows-msvc'

if ($env:STAVE_DOWNLOAD_URL) {
    $Base = $env:STAVE_DOWNLOAD_URL.TrimEnd('/')
} elseif ($env:STAVE_VERSION) {
    $Base = "$Repo/releases/download/v$($env:STAVE_VERSION.TrimStart('v'))"
} else {
    $Base = "$Repo/releases/latest/download"
}
$InstallDir = if ($env:STAVE_INSTALL_DIR) { $env:STAVE_INSTALL_DIR } else { Join-Path $env:LOCALAPPDATA 'Programs\Stave' }

$Archive = "stave-$Target.zip"
$Temp = Join-Path ([System.IO.Path]::GetTempPath()) ("stave-install-" + [System.Guid]::NewGuid())
New-Item -ItemType Directory -Path $Temp | Out-Null
try {
    Write-Host "stave installer: downloading $Base/$Archive"
    try {
        Invoke-WebRequest -UseBasicParsing -Uri "$Base/$Archive" -OutFile (Join-Path $Temp $Archive)
        Invoke-WebRequest -UseBasicParsing -Uri "$Base/$Archive.sha256" -OutFile (Join-Path $Temp "$Archive.sha256")
    } catch {
        Fail "could not download $Base/$Archive or its checksum: $($_.Exception.Message)"
    }
    $Expected = ((Get-Content (Join-Path $Temp "$Archive.sha256") -Raw).Trim() -split '\s+')[0].ToLowerInvariant()
    $Actual = (Get-FileHash -Algorithm SHA256 (Join-Path $Temp $Archive)).Hash.ToLowerInvariant()
    if ($Expected -ne $Actual) {
        Fail "the download does not match its checksum (expected $Expected, got $Actual): it may be damaged or tampered with, so nothing was installed. Try again; if it happens again, report it at $Repo/issues"
    }
    Expand-Archive -Path (Join-Path $Temp $Archive) -DestinationPath (Join-Path $Temp 'unpacked')
    $Exe = Get-ChildItem -Path (Join-Path $Temp 'unpacked') -Recurse -Filter 'stave.exe' | Select-Object -First 1
    if (-not $Exe) { Fail "$Archive holds no stave.exe" }
    New-Item -ItemType Directory -Force -Path $InstallDir | Out-Null
    Copy-Item -Force $Exe.FullName (Join-Path $InstallDir 'stave.exe')
    $Version = & (Join-Path $InstallDir 'stave.exe') --version
    Write-Host "stave installer: installed $Version in $InstallDir"
    $UserPath = [Environment]::GetEnvironmentVariable('Path', 'User')
    if (-not (($UserPath -split ';') -contains $InstallDir)) {
        [Environment]::SetEnvironmentVariable('Path', "$InstallDir;$UserPath", 'User')
        Write-Host "stave installer: added $InstallDir to your PATH: open a new terminal to use stave"
    }
} finally {
    Remove-Item -Recurse -Force $Temp -ErrorAction SilentlyContinue
}
