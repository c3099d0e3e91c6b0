#!/usr/bin/env bash
# Builds the packages people install, into dist/, then checks them
# (.ci/check-package.sh):
#   dist/cloudreel-<version>-linux-amd64.tar.xz   the binary, the .desktop file, the icon and a Makefile
#                                                 (make user-install, or sudo make install)
#   dist/cloudreel-<version>-windows-amd64.exe    cross-compiled with mingw-w64: icon and version
#                                                 information embedded, no console window
#   dist/SHA256SUMS
# <version> is FyneApp.toml's Version; the binaries also carry the git short hash as their build
# (cloudreel -version). Both are built by `fyne package` from fyne.io/tools at FYNE_TOOLS_VERSION,
# in release mode, from FyneApp.toml's metadata.
#
# Needs Go, the Fyne build set and the package set of .ci/install-deps.sh (gcc-mingw-w64-x86-64,
# file). Environment, all optional:
#   PACKAGE_TARGETS  "linux windows" (the default), or either one
#   FYNE             a fyne command to use instead of installing fyne.io/tools into build/tools
#   WINDOWS_CC       the mingw-w64 C compiler (x86_64-w64-mingw32-gcc)
#   WINDOWS_TAGS     build tags of the Windows build ("accessibility", the default; empty for none)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

FYNE_TOOLS_VERSION=v1.7.0
targets=${PACKAGE_TARGETS:-linux windows}
windows_cc=${WINDOWS_CC:-x86_64-w64-mingw32-gcc}
# Fyne's screen-reader support (UI Automation) is built only with this tag:
# see docs/accessibility.md. WINDOWS_TAGS= (empty) builds without it.
windows_tags=${WINDOWS_TAGS-accessibility}

fail() { echo "package: $*" >&2; exit 1; }

version=$(sed -n 's/^Version = "\(.*\)"/\1/p' FyneApp.toml)
[ -n "$version" ] || fail "no Version = \"x.y.z\" line in FyneApp.toml"
# fyne package names what it makes after the app's Name.
name=$(sed -n 's/^Name = "\(.*\)"/\1/p' FyneApp.toml)
[ -n "$name" ] || fail "no Name = \"...\" line in FyneApp.toml"
# The same stamp as the Makefile's build target, so that a packaged binary
# and a `make build` one of the same commit say the same thing.
build=$(git rev-parse --short HEAD 2>/dev/null || echo dev)
arch=$(go env GOHOSTARCH)

# fyne.io/tools is asked for by version and kept out of go.mod: it is a
# build tool, not a dependency of Cloudreel.
fyne=${FYNE:-}
if [ -n "$fyne" ]; then
  # The packaging runs in another directory: a relative path must not break.
  fyne=$(command -v "$fyne") || fail "FYNE=$FYNE is not a command"
  case "$fyne" in /*) ;; *) fyne=$root/$fyne ;; esac
else
  fyne=$root/build/tools/fyne-$FYNE_TOOLS_VERSION/fyne
  if [ ! -x "$fyne" ]; then
    echo "Installing fyne.io/tools/cmd/fyne@$FYNE_TOOLS_VERSION into build/tools"
    GOBIN=$(dirname "$fyne") GOFLAGS= go install "fyne.io/tools/cmd/fyne@$FYNE_TOOLS_VERSION" ||
      fail "could not install fyne.io/tools/cmd/fyne@$FYNE_TOOLS_VERSION"
  fi
fi

# fyne package writes into the directory it packages: it bumps Build in
# FyneApp.toml and drops fyne_metadata_init.go, fyne.syso and a manifest
# next to main.go while it builds. Working on a copy keeps the tree clean
# and keeps those files out of other builds of the tree running meanwhile.
stage=$(mktemp -d "${TMPDIR:-/tmp}/cloudreel-package.XXXXXX")
trap 'rm -rf "$stage"' EXIT
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # Tracked and untracked-but-not-ignored files: what `go build .` sees.
  git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
    tar --null -T - -cf - | tar -C "$stage" -xf -
else
  tar --exclude=./.git --exclude=./dist --exclude=./build -cf - . | tar -C "$stage" -xf -
fi

# fyne package has no -ldflags option: it takes -ldflags=... entries out of
# GOFLAGS and hands them to go build. GOFLAGS entries cannot hold spaces,
# hence one entry per -X, each in the -X=name=value form.
export GOFLAGS="${GOFLAGS:-} -ldflags=-X=main.version=$version -ldflags=-X=main.build=$build"

mkdir -p dist
built=()
linux_pkg=dist/cloudreel-$version-linux-$arch.tar.xz
windows_exe=dist/cloudreel-$version-windows-amd64.exe

for target in $targets; do
  # Each fyne package bumps Build in the copy's FyneApp.toml: start every
  # target from the real one, so both carry the same build number.
  cp FyneApp.toml "$stage/FyneApp.toml"
  case "$target" in
    linux)
      echo "Packaging Cloudreel $version ($build) for Linux: $linux_pkg"
      rm -f "$linux_pkg"
      (cd "$stage" && GOOS=linux "$fyne" package --os linux --release) ||
        fail "the Linux package did not build"
      mv "$stage/$name.tar.xz" "$linux_pkg"
      built+=("$(basename "$linux_pkg")")
      ;;
    windows)
      echo "Packaging Cloudreel $version ($build) for Windows: $windows_exe"
      command -v "$windows_cc" >/dev/null ||
        fail "$windows_cc not found: run .ci/install-deps.sh package (Debian's gcc-mingw-w64-x86-64)"
      rm -f "$windows_exe"
      # Without an existing --exe, fyne package builds twice for Windows:
      # once plain, then again with the icon and version resource. The
      # first build consumes the -ldflags entries of GOFLAGS, so the binary
      # it keeps would say "dev". A placeholder makes it skip the first
      # build; the resource build then overwrites the placeholder.
      : >"$stage/cloudreel.exe"
      tags=()
      [ -n "$windows_tags" ] && tags=(--tags "$windows_tags")
      (cd "$stage" && CGO_ENABLED=1 CC="$windows_cc" GOOS=windows GOARCH=amd64 \
        "$fyne" package --os windows --release --exe cloudreel.exe "${tags[@]}") ||
        fail "the Windows executable did not build"
      mv "$stage/${name%.exe}.exe" "$windows_exe"
      built+=("$(basename "$windows_exe")")
      ;;
    *) fail "unknown target $target (want linux or windows)" ;;
  esac
done

[ ${#built[@]} -gt 0 ] || fail "PACKAGE_TARGETS names no target"
(cd dist && sha256sum "${built[@]}" >SHA256SUMS)
.ci/check-package.sh "$version" "$build" $targets
(cd dist && ls -l "${built[@]}" SHA256SUMS)
