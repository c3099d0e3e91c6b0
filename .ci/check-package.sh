#!/usr/bin/env bash
# Checks the packages .ci/package.sh left in dist/, the way a person would
# use them:
#   .ci/check-package.sh [VERSION BUILD [linux] [windows]]
# VERSION defaults to FyneApp.toml's, BUILD to the git short hash, the
# targets to both.
#   Linux: the archive holds the binary, the .desktop file, the icon and the
#     Makefile; the binary says "Cloudreel VERSION (BUILD)"; the Makefile
#     installs and uninstalls into /usr/local (root), PREFIX and ~/.local
#     (user-install), tried in a temporary DESTDIR and HOME.
#   Windows: `file` says a GUI PE32+ x86-64 executable, the PE header's
#     subsystem is Windows GUI (no console window), the icon, version and
#     manifest resources are there, the version resource carries VERSION and
#     the binary carries BUILD.
set -euo pipefail
cd "$(dirname "$0")/.."

version=${1:-$(sed -n 's/^Version = "\(.*\)"/\1/p' FyneApp.toml)}
build=${2:-$(git rev-parse --short HEAD 2>/dev/null || echo dev)}
shift 2 2>/dev/null || shift $#
targets=${*:-linux windows}
app_id=$(sed -n 's/^ID = "\(.*\)"/\1/p' FyneApp.toml)
arch=$(go env GOHOSTARCH 2>/dev/null || echo amd64)

failures=0
fail() { echo "check-package: FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "check-package: ok: $*"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/cloudreel-check.XXXXXX")
trap 'rm -rf "$work"' EXIT

# expect_file PATH WHAT: PATH exists and is not empty.
expect_file() {
  if [ -s "$1" ]; then ok "$2"; else fail "$2: ${1#"$work"/} is missing"; fi
}

# expect_gone PATH WHAT: an uninstall removed PATH.
expect_gone() {
  if [ -e "$1" ]; then fail "$2: ${1#"$work"/} is still there"; else ok "$2"; fi
}

check_linux() {
  local pkg=dist/cloudreel-$version-linux-$arch.tar.xz
  if [ ! -s "$pkg" ]; then
    fail "$pkg was not built"
    return
  fi
  local listing
  if ! listing=$(tar -tJf "$pkg"); then
    fail "$pkg is not a readable tar.xz archive"
    return
  fi
  local want
  for want in 'Makefile' 'usr/(local/)?bin/cloudreel' \
    "usr/(local/)?share/applications/$app_id\\.desktop" "usr/(local/)?share/pixmaps/$app_id\\.png"; do
    if grep -Eqx "$want" <<<"$listing"; then ok "the archive holds $want"; else fail "the archive lacks $want"; fi
  done

  local x=$work/linux
  mkdir -p "$x"
  tar -C "$x" -xJf "$pkg"
  local bin desktop icon
  bin=$(find "$x/usr" -path '*/bin/cloudreel' -type f | head -n1)
  desktop=$(find "$x/usr" -name "$app_id.desktop" -type f | head -n1)
  icon=$(find "$x/usr" -name "$app_id.png" -type f | head -n1)
  [ -n "$bin" ] && [ -n "$desktop" ] && [ -n "$icon" ] || return 0

  if file -b "$bin" | grep -q 'ELF 64-bit.*executable'; then ok "the binary is an ELF executable"; else fail "the binary is $(file -b "$bin")"; fi
  [ -x "$bin" ] || fail "the binary is not executable"
  local said
  said=$("$bin" -version 2>&1) || true
  if [ "$said" = "Cloudreel $version ($build)" ]; then
    ok "cloudreel -version says: $said"
  else
    fail "cloudreel -version says \"$said\", not \"Cloudreel $version ($build)\""
  fi
  if file -b "$icon" | grep -q '^PNG image'; then ok "the icon is a PNG"; else fail "the icon is $(file -b "$icon")"; fi
  local line
  for line in 'Type=Application' 'Name=Cloudreel' 'Exec=cloudreel' "Icon=$app_id"; do
    if grep -qx "$line" "$desktop"; then ok "the .desktop file has $line"; else fail "the .desktop file lacks $line"; fi
  done
  if command -v desktop-file-validate >/dev/null; then
    if desktop-file-validate "$desktop"; then ok "desktop-file-validate accepts the .desktop file"; else fail "desktop-file-validate rejects the .desktop file"; fi
  fi

  # The archive's own Makefile, as its README tells people to use it.
  local sys=$work/system
  mkdir -p "$sys/usr/local"
  if make -s -C "$x" install DESTDIR="$sys" >/dev/null; then
    expect_file "$sys/usr/local/bin/cloudreel" "make install puts the binary in /usr/local/bin"
    expect_file "$sys/usr/local/share/applications/$app_id.desktop" "make install puts the .desktop file in /usr/local/share/applications"
    expect_file "$sys/usr/local/share/pixmaps/$app_id.png" "make install puts the icon in /usr/local/share/pixmaps"
    make -s -C "$x" uninstall DESTDIR="$sys" >/dev/null 2>&1 || true
    expect_gone "$sys/usr/local/bin/cloudreel" "make uninstall removes the binary"
  else
    fail "make install failed"
  fi
  if make -s -C "$x" install DESTDIR="$work/prefixed" PREFIX=/opt/cloudreel >/dev/null; then
    expect_file "$work/prefixed/opt/cloudreel/bin/cloudreel" "make install PREFIX=/opt/cloudreel puts the binary in /opt/cloudreel/bin"
  else
    fail "make install PREFIX=/opt/cloudreel failed"
  fi
  local home=$work/home
  mkdir -p "$home"
  if make -s -C "$x" user-install HOME="$home" >/dev/null; then
    expect_file "$home/.local/bin/cloudreel" "make user-install puts the binary in ~/.local/bin"
    expect_file "$home/.local/share/applications/$app_id.desktop" "make user-install puts the .desktop file in ~/.local/share/applications"
    expect_file "$home/.local/share/icons/$app_id.png" "make user-install puts the icon in ~/.local/share/icons"
    # Menus run it by the absolute path: ~/.local/bin need not be on PATH.
    if grep -qx "Exec=$home/.local/bin/cloudreel" "$home/.local/share/applications/$app_id.desktop" 2>/dev/null; then
      ok "the user's .desktop file runs ~/.local/bin/cloudreel"
    else
      fail "the user's .desktop file does not run ~/.local/bin/cloudreel"
    fi
    make -s -C "$x" user-uninstall HOME="$home" >/dev/null 2>&1 || true
    expect_gone "$home/.local/bin/cloudreel" "make user-uninstall removes the binary"
    expect_gone "$home/.local/share/applications/$app_id.desktop" "make user-uninstall removes the .desktop file"
  else
    fail "make user-install failed"
  fi
}

check_windows() {
  local exe=dist/cloudreel-$version-windows-amd64.exe
  if [ ! -s "$exe" ]; then
    fail "$exe was not built"
    return
  fi
  local kind
  kind=$(file -b "$exe")
  # file 5.44 says "PE32+ executable (GUI) x86-64 ..."; later versions put
  # "for MS Windows 6.01" before "(GUI)", hence the loose pattern.
  if grep -Eq '^PE32\+ executable.*\(GUI\).*x86-64' <<<"$kind"; then
    ok "file says: $kind"
  else
    fail "file says \"$kind\", not a GUI PE32+ x86-64 executable"
  fi

  local objdump=x86_64-w64-mingw32-objdump
  command -v "$objdump" >/dev/null || objdump=objdump
  local headers
  if ! headers=$("$objdump" -p "$exe" 2>/dev/null); then
    fail "$objdump cannot read the PE headers"
    return
  fi
  if grep -Eq '^Subsystem[[:space:]]+0+2[[:space:]]+\(Windows GUI\)' <<<"$headers"; then
    ok "the PE subsystem is Windows GUI: no console window"
  else
    fail "the PE subsystem is not Windows GUI: $(grep '^Subsystem' <<<"$headers")"
  fi
  # Top-level entries of the resource directory are resource types.
  local type name
  for type in 03:icon 0e:icon-group 10:version 18:manifest; do
    name=${type#*:}
    if grep -Eq "^[0-9a-f]+   Entry: ID: 0x0000${type%%:*}," <<<"$headers"; then
      ok "the $name resource is embedded"
    else
      fail "the $name resource is missing"
    fi
  done

  local product
  product=$(strings -el "$exe" | grep -A1 -x ProductVersion | tail -n1) || true
  case "$product" in
    "$version".*) ok "the version resource says ProductVersion $product" ;;
    *) fail "the version resource says ProductVersion \"$product\", not $version.<build number>" ;;
  esac
  if [ "$build" = dev ]; then
    echo "check-package: skipped: the build stamp (not in a git checkout)"
  elif grep -qaF "$build" "$exe"; then
    ok "the executable carries the build $build"
  else
    fail "the executable does not carry the build $build: the -ldflags -X did not reach the linker"
  fi
}

for target in $targets; do
  case "$target" in
    linux) check_linux ;;
    windows) check_windows ;;
    *) fail "unknown target $target (want linux or windows)" ;;
  esac
done

if [ "$failures" -gt 0 ]; then
  echo "check-package: $failures check(s) failed" >&2
  exit 1
fi
echo "check-package: every check passed"
