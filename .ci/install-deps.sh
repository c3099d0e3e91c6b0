#!/usr/bin/env bash
# Installs the system packages Cloudreel needs, only those that are missing.
#   .ci/install-deps.sh build   compiler, GL/X11/Wayland headers (make demo)
#   .ci/install-deps.sh test    the build set plus Xvfb, D-Bus, gnome-keyring, ImageMagick, systemd-analyze, desktop-file-validate,
#                               a font with Chinese characters for the window's Chinese (make test)
#   .ci/install-deps.sh bench   nginx, curl, aria2, GNU time (make bench)
#   .ci/install-deps.sh package the Windows cross-compiler (make package)
# On Debian and Ubuntu it uses apt-get (through sudo when not root). Elsewhere it says what to install.
set -euo pipefail

build=(gcc pkg-config libgl1-mesa-dev xorg-dev libwayland-dev libxkbcommon-dev)
test=(xvfb x11-utils dbus dbus-x11 gnome-keyring imagemagick procps systemd desktop-file-utils fonts-noto-cjk)
bench=(nginx-light curl aria2 time)
package=(gcc-mingw-w64-x86-64 file desktop-file-utils xz-utils)

want=()
for set in "$@"; do
  case "$set" in
    build) want+=("${build[@]}") ;;
    test) want+=("${build[@]}" "${test[@]}") ;;
    bench) want+=("${bench[@]}") ;;
    package) want+=("${build[@]}" "${package[@]}") ;;
    *) echo "install-deps: unknown set $set" >&2; exit 2 ;;
  esac
done

if ! command -v dpkg-query >/dev/null 2>&1; then
  case "$(uname -s)" in
    Darwin) echo "On macOS: install Xcode's command line tools (xcode-select --install) and Go; nothing else is needed." ;;
    *) echo "Not a Debian or Ubuntu system: install a C compiler, pkg-config and the GL, X11, Wayland and xkbcommon development headers, then run make again." ;;
  esac
  exit 0
fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing the system packages Cloudreel needs: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
