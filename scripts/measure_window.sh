#!/usr/bin/env bash
# Measures the real window under Xvfb (issue 11): launch to a filled grid at 10,000 and 100,000 photos, frame
# gaps while scrolling through 100,000, heap after GC and resident memory at 100,000.
# Usage: scripts/measure_window.sh [WORK_DIR] [PHOTOS_DIR]
#   WORK_DIR   where the synthetic libraries, prefs, logs and the screenshot go (default /tmp/ocular-measure);
#              libraries already there are reused.
#   PHOTOS_DIR optional folder of real JPEGs: every synthetic photo becomes a symbolic link to one of them
#              (round robin), so the grid shows real thumbnails; without it the grid shows placeholders.
# Needs: target/ocular.jar (mvn -B -q -DskipTests package), Xvfb, sqlite3 and python3 (links); import (ImageMagick) for the shot.
# Env: DRAG_SECONDS (default 30), WHEEL_SECONDS (default 10), DISPLAY_NUM (default 78).
set -u
cd "$(dirname "$0")/.."
JAR=$PWD/target/ocular.jar
W=${1:-/tmp/ocular-measure}
PHOTOS=${2:-}
DNUM=${DISPLAY_NUM:-78}
mkdir -p "$W"
[ -f "$JAR" ] || { echo "missing $JAR: run mvn -B -q -DskipTests package" >&2; exit 2; }

library() { # N -> a data folder with N synthetic photos (made once)
  local dir=$W/lib$1
  if [ ! -f "$dir/catalog.db" ]; then
    java -Djava.awt.headless=true -jar "$JAR" --data-dir "$W/home" bench catalog --rows "$1" --out "$dir" >&2 || exit 1
    if [ -n "$PHOTOS" ]; then
      sqlite3 "$dir/catalog.db" 'select path from images' | python3 -c '
import os, sys
real = sorted(os.path.join(r, f) for r, _, fs in os.walk(sys.argv[1]) for f in fs if f.lower().endswith((".jpg", ".jpeg")))
for i, line in enumerate(sys.stdin):
    p = line.rstrip("\n")
    os.makedirs(os.path.dirname(p), exist_ok=True)
    os.symlink(real[i % len(real)], p)
' "$PHOTOS"
    fi
  fi
  echo "$dir"
}

run_window() { # NAME DATA_DIR EXTRA_JAVA_OPTS... ; prints the ocular.perf lines; leaves the app in $APP
  local name=$1 dir=$2; shift 2
  rm -rf "$W/prefs-$name"
  OCULAR_HOME=$dir java -Djava.util.prefs.userRoot="$W/prefs-$name" -Docular.perf.log=true "$@" -jar "$JAR" \
      > "$W/$name.out" 2>&1 &
  APP=$!
}

wait_for() { # NAME PATTERN SECONDS
  for _ in $(seq 1 "$3"); do grep -q "$2" "$W/$1.out" && return 0; kill -0 "$APP" 2>/dev/null || return 1; sleep 1; done
  return 1
}

stop_app() { kill "$APP" 2>/dev/null; wait "$APP" 2>/dev/null; }

L10=$(library 10000)
L100=$(library 100000)
export DISPLAY=:$DNUM GDK_BACKEND=x11
Xvfb ":$DNUM" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 & XV=$!
trap 'kill $XV 2>/dev/null' EXIT
sleep 2
echo "load at start: $(uptime)"

for run in 1 2; do # 1: empty thumbnail cache, 2: thumbnails cached by run 1
  run_window "10k-run$run" "$L10"
  wait_for "10k-run$run" thumbnails_shown 180
  echo "10k run $run: $(grep -h '^ocular.perf' "$W/10k-run$run.out" | tr '\n' ' ')"
  stop_app
done

run_window 100k-shot "$L100"
wait_for 100k-shot thumbnails_shown 180
echo "100k launch: $(grep -h '^ocular.perf' "$W/100k-shot.out" | tr '\n' ' ')"
sleep 2
command -v import >/dev/null && import -window root "$W/window-100k.png" && echo "screenshot: $W/window-100k.png"
stop_app

echo "load before scroll: $(uptime)"
run_window 100k-scroll "$L100" -Docular.perf.scroll=true -Docular.perf.dragSeconds="${DRAG_SECONDS:-30}" \
    -Docular.perf.wheelSeconds="${WHEEL_SECONDS:-10}"
wait_for 100k-scroll '^ocular.perf memory' $((240 + ${DRAG_SECONDS:-30} + ${WHEEL_SECONDS:-10}))
grep -h '^ocular.perf' "$W/100k-scroll.out"
sleep 5
stop_app
echo "load at end: $(uptime)"
