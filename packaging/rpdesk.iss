; Inno Setup 6.3+ script: per-user install of the rpdesk bundle on a locked-down force laptop.
;
; No admin rights: PrivilegesRequired=lowest installs into the user's own
; %LOCALAPPDATA%\Programs\rpdesk and registers the uninstaller under HKCU. Adds Start-menu entries for
; rpdesk and the uninstaller. The user's database and settings live elsewhere, in
; %LOCALAPPDATA%\rpdesk\rpdesk (rpdesk.paths.data_dir / config_dir), which the uninstaller never
; touches: it removes only the files it installed (the bundle writes no caches into its folder). A
; portable install (portable.flag beside rpdesk.exe) keeps data in {app}\rpdesk-data, which the
; uninstaller did not install and so leaves in place too.
;
; Build on Windows after packaging\build.py has made dist\rpdesk\:
;   iscc /DAppVersion=0.1.0 packaging\rpdesk.iss
; The installer is written to dist\rpdesk-<version>-windows-setup.exe.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
; A fixed AppId makes a newer installer upgrade this one in place (generated once; never change it).
AppId={{6B0F3E5C-2F4D-4C1B-9E58-7A3D1C2B9F40}
AppName=rpdesk
AppVersion={#AppVersion}
AppVerName=rpdesk {#AppVersion}
AppPublisher=rpdesk developers
DefaultDirName={localappdata}\Programs\rpdesk
DefaultGroupName=rpdesk
DisableProgramGroupPage=yes
DisableDirPage=auto
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=rpdesk-{#AppVersion}-windows-setup
SetupIconFile=rpdesk-app.ico
UninstallDisplayIcon={app}\rpdesk.exe
UninstallDisplayName=rpdesk {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
; The whole one-folder bundle: rpdesk.exe (windowed), rpdesk-cli.exe (console) and _internal\.
Source: "..\dist\rpdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\rpdesk"; Filename: "{app}\rpdesk.exe"; Comment: "Reassurance policing desk"
Name: "{group}\rpdesk (demo wards)"; Filename: "{app}\rpdesk.exe"; Parameters: "--demo"; Comment: "rpdesk on a demo database"
Name: "{group}\Uninstall rpdesk"; Filename: "{uninstallexe}"

[Run]
Filename: "{app}\rpdesk.exe"; Description: "Start rpdesk"; Flags: nowait postinstall skipifsilent
