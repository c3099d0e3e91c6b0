#!/usr/bin/env bash
# Opens the real window under Xvfb, once per scene, takes a screenshot of
# each, and fails when the process died or the window drew nothing.
#   .ci/smoke.sh ./cloudreel docs/screenshots
set -euo pipefail
bin=$(realpath "$1")
out=$2
mkdir -p "$out"
work=$(mktemp -d)
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do xdpyinfo -display "$display" >/dev/null 2>&1 && break; sleep 0.1; done

# scene: the demo's state to show; wait: seconds before the shot.
shoot() {
  local scene=$1 wait=$2 png="$out/$1.png"
  local home="$work/$scene"
  mkdir -p "$home"
  DISPLAY=$display CLOUDREEL_HOME="$home" FYNE_THEME=light \
    "$bin" demo -scene "$scene" -dest "$work/downloads-$scene" >"$work/$scene.log" 2>&1 &
  local pid=$!
  sleep "$wait"
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "smoke: cloudreel demo -scene $scene died:"; cat "$work/$scene.log"; exit 1
  fi
  import -display "$display" -window root "$png"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  # A window that drew nothing is one flat colour.
  local colours
  colours=$(identify -format '%k' "$png")
  if [ "$colours" -lt 50 ]; then
    echo "smoke: the $scene screenshot has only $colours colours: the window drew nothing"; exit 1
  fi
  echo "smoke: $scene ok ($colours colours) -> $png"
}

shoot demo 8
shoot welcome 4
shoot add-account 4
shoot error 6
shoot paused 9
