#!/usr/bin/env bash
# Opens the real window under Xvfb, once per scene, takes a screenshot of
# each, and fails when the process died, the window drew nothing, or Fyne
# logged a threading error (a widget touched off its goroutine).
#   .ci/smoke.sh ./cloudreel docs/screenshots
set -euo pipefail
bin=$(realpath "$1")
out=$2
mkdir -p "$out"
work=$(mktemp -d)
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1920x1200x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do xdpyinfo -display "$display" >/dev/null 2>&1 && break; sleep 0.1; done

# What Fyne logs when it is called off its goroutine, or when the app has
# not declared the fyneDo migration (FyneApp.toml [Migrations]).
threading='Error in Fyne call thread|should have been called in fyne\.Do|not been migrated to the fyne\.Do'

# checkLog fails on any threading line in a run's log.
checkLog() {
  local name=$1 log=$2
  if grep -Eq "$threading" "$log"; then
    echo "smoke: $name logged a Fyne threading error:"; grep -E -A2 "$threading" "$log"; exit 1
  fi
}

# run starts the demo on a scene and waits; it leaves the pid in $pid.
# LANGUAGE, when given, is the system's language the demo sees (as
# go-locale reads it); otherwise the machine's own, English on CI.
#   run BIN SCENE WAIT NAME [SIZE [LANGUAGE]]
run() {
  local exe=$1 scene=$2 wait=$3 name=$4 size=${5:-} language=${6:-}
  local home="$work/$name"
  mkdir -p "$home"
  local args=(demo -scene "$scene" -dest "$work/downloads-$name")
  [ -n "$size" ] && args+=(-size "$size")
  local env=(DISPLAY="$display" CLOUDREEL_HOME="$home" FYNE_THEME=light)
  [ -n "$language" ] && env+=(LANGUAGE="$language")
  env "${env[@]}" "$exe" "${args[@]}" >"$work/$name.log" 2>&1 &
  pid=$!
  sleep "$wait"
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "smoke: cloudreel demo -scene $scene ($name) died:"; cat "$work/$name.log"; exit 1
  fi
}

# quit ends a run as Ctrl+C would, so that the demo's own way out (which
# closes the window) runs too, and checks its log.
quit() {
  local name=$1
  kill -INT "$pid"
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  checkLog "$name" "$work/$name.log"
}

# shoot SCENE WAIT [NAME [SIZE [LANGUAGE]]]: a screenshot of the scene as
# NAME.png.
shoot() {
  local scene=$1 wait=$2 name=${3:-$1} size=${4:-} language=${5:-}
  local png="$out/$name.png"
  run "$bin" "$scene" "$wait" "$name" "$size" "$language"
  # Only the window, at the size it really has.
  local id
  id=$(xwininfo -display "$display" -root -tree | grep -m1 '"Cloudreel' | awk '{print $1}' || true)
  if [ -n "$id" ]; then
    import -display "$display" -window "$id" "$png"
  else
    import -display "$display" -window root "$png"
  fi
  quit "$name"
  # A window that drew nothing is one flat colour.
  local colours
  colours=$(identify -format '%k' "$png")
  if [ "$colours" -lt 50 ]; then
    echo "smoke: the $name screenshot has only $colours colours: the window drew nothing"; exit 1
  fi
  echo "smoke: $name ok ($colours colours, $(identify -format '%wx%h' "$png")) -> $png"
}

shoot demo 8
shoot welcome 4
shoot add-account 4
shoot error 6
shoot paused 9
shoot demo 8 smallest 800x560
shoot demo 8 large 1900x1150
# The main screen in the other languages (Chinese needs a CJK font:
# fonts-noto-cjk in the test set of .ci/install-deps.sh).
shoot demo 8 demo-zh-Hans "" zh-Hans
shoot demo 8 demo-es "" es

# Fyne checks which goroutine calls it only while the fyneDo migration is
# not declared, and it finds FyneApp.toml beside the program: a copy of the
# program on its own runs with the checks on, through downloads and pauses.
mkdir -p "$work/nocheck"
cp "$bin" "$work/nocheck/cloudreel"
for scene in paused error; do
  run "$work/nocheck/cloudreel" "$scene" 9 "threads-$scene"
  quit "threads-$scene"
  echo "smoke: no threading error in $scene with Fyne's checks on"
done
