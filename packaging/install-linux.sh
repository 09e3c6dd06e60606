#!/bin/sh
# Per-user install of this unpacked rpdesk bundle on Linux, no root needed: the rpdesk and rpdesk-cli
# commands in ~/.local/bin, a menu entry and its icon. Run it from the unpacked folder:
#   ./install-linux.sh           add rpdesk to the menu and the PATH
#   ./install-linux.sh --remove  take it off again; the bundle folder and the database in
#                                ~/.local/share/rpdesk (or rpdesk-data/ when portable) are left as they are
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${XDG_BIN_HOME:-$HOME/.local/bin}
share=${XDG_DATA_HOME:-$HOME/.local/share}
apps=$share/applications
icons=$share/icons/hicolor

if [ "${1:-}" = "--remove" ]; then
  rm -f "$bin/rpdesk" "$bin/rpdesk-cli" "$apps/rpdesk.desktop" \
    "$icons/256x256/apps/rpdesk-app.png" "$icons/scalable/apps/rpdesk-app.svg"
  echo "rpdesk is off the menu; $here and your data are left as they were."
  exit 0
fi

mkdir -p "$bin" "$apps" "$icons/256x256/apps" "$icons/scalable/apps"
ln -sf "$here/rpdesk" "$bin/rpdesk"
ln -sf "$here/rpdesk-cli" "$bin/rpdesk-cli"
cp "$here/share/rpdesk-app.png" "$icons/256x256/apps/rpdesk-app.png"
cp "$here/share/rpdesk-app.svg" "$icons/scalable/apps/rpdesk-app.svg"
sed -e "s|^Exec=rpdesk|Exec=\"$here/rpdesk\"|" -e "s|^TryExec=rpdesk|TryExec=$here/rpdesk|" \
  "$here/share/rpdesk.desktop" > "$apps/rpdesk.desktop"
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q "$apps" || true; fi
echo "rpdesk is in the menu; the commands rpdesk and rpdesk-cli are in $bin."
