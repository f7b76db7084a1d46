; Inno Setup 6 script for the Windows installer: installs dist\explorer (built by
; packaging\explorer.spec) per user or for all users, with a Start-menu entry, an optional
; desktop icon and an uninstaller. The version comes from the command line:
;   iscc /DAppVersion=0.1.0 packaging\windows\explorer.iss
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6F0B3C52-8E1D-4B7A-9C1E-3D2A5B7E9F10}
AppName=Explorer
AppVersion={#AppVersion}
AppVerName=Explorer {#AppVersion}
AppPublisher=Explorer
DefaultDirName={autopf}\Explorer
DefaultGroupName=Explorer
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=Explorer-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icons\explorer.ico
UninstallDisplayIcon={app}\Explorer.exe
UninstallDisplayName=Explorer {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "korean"; MessagesFile: "compiler:Languages\Korean.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\explorer\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Explorer"; Filename: "{app}\Explorer.exe"
Name: "{group}\{cm:UninstallProgram,Explorer}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Explorer"; Filename: "{app}\Explorer.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\Explorer.exe"; Description: "{cm:LaunchProgram,Explorer}"; Flags: nowait postinstall skipifsilent
