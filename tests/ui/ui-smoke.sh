#!/usr/bin/env bash
# UI smoke test: the app starts under Xvfb with fresh XDG dirs, its main
# window maps, a screenshot is saved in the build directory, and the app
# exits with status 0 when asked (SIGTERM, as a session manager would).
#   ui-smoke.sh APP OUTDIR [LANG]
set -euo pipefail
app=$1
outdir=$2
lang=${3:-C.UTF-8}

# A private session bus: GApplication registers its id there.
if [ -z "${RP_SMOKE_IN_BUS:-}" ]; then
  export RP_SMOKE_IN_BUS=1
  exec dbus-run-session -- "$0" "$@"
fi

tmp=$(mktemp -d)
xvfb_pid=
app_pid=
cleanup () {
  [ -n "$app_pid" ] && kill -KILL "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

. "$(dirname "$0")/xvfb-lib.sh"
start_xvfb 1280x800x24 "$tmp" || { echo "not ok - Xvfb did not start"; exit 1; }

export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache"
export XDG_RUNTIME_DIR="$tmp/runtime"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export GDK_BACKEND=x11 GSK_RENDERER=cairo
# The private bus has no Secret Service, and the app now opens the password
# store at startup: choose the file up front instead of a "no keyring" warning.
export RAPPORT_SECRETS=file
export LANG="$lang" LC_ALL="$lang" LANGUAGE="${lang%%.*}"

"$app" >"$tmp/app.log" 2>&1 &
app_pid=$!

mapped=0
for _ in $(seq 200); do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    echo "not ok - the app exited before its window mapped"; cat "$tmp/app.log"; exit 1
  fi
  if xwininfo -root -tree 2>/dev/null | grep -q '"Rapport"'; then
    mapped=1
    break
  fi
  sleep 0.1
done
[ $mapped = 1 ] || { echo "not ok - no window titled Rapport mapped"; cat "$tmp/app.log"; exit 1; }
echo "ok 1 - main window mapped"

# Let it paint, then keep a screenshot as a test artifact.
sleep 1.5
shot="$outdir/ui-smoke-${lang%%.*}.png"
import -window root "$shot"
[ -s "$shot" ] || { echo "not ok - no screenshot"; exit 1; }
echo "ok 2 - screenshot saved in $shot"

# State must live under the XDG dirs: the app creates its folders there.
for d in "$XDG_DATA_HOME/rapport" "$XDG_CONFIG_HOME/rapport" "$XDG_CACHE_HOME/rapport"; do
  [ -d "$d" ] || { echo "not ok - $d was not created"; exit 1; }
done
echo "ok 3 - state folders under the XDG dirs"

kill -TERM "$app_pid"
status=0
for _ in $(seq 100); do
  kill -0 "$app_pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$app_pid" 2>/dev/null; then
  echo "not ok - the app did not exit within 10 s of SIGTERM"; exit 1
fi
wait "$app_pid" || status=$?
app_pid=
if [ $status != 0 ]; then
  echo "not ok - the app exited with status $status"; cat "$tmp/app.log"; exit 1
fi
if grep -E 'CRITICAL|WARNING' "$tmp/app.log"; then
  echo "not ok - the app logged warnings"; exit 1
fi
echo "ok 4 - exited cleanly when asked"
echo "1..4"
