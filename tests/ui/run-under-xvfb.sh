#!/usr/bin/env bash
# Runs an in-process GTK test under a private Xvfb and session bus.
#   run-under-xvfb.sh [--screen=WIDTHxHEIGHTxDEPTH] ARTIFACT_DIR PROGRAM [ARGS…]
# The test finds ARTIFACT_DIR (for screenshots) in RP_TEST_ARTIFACT_DIR.
# The screen is 1280x800x24 unless --screen says otherwise (GTK keeps a
# window within the screen: a test of wider windows needs a wider one).
set -euo pipefail

if [ -z "${RP_XVFB_IN_BUS:-}" ]; then
  export RP_XVFB_IN_BUS=1
  exec dbus-run-session -- "$0" "$@"
fi

screen=1280x800x24
case "$1" in
  --screen=*) screen=${1#--screen=}; shift ;;
esac

export RP_TEST_ARTIFACT_DIR=$1
shift

tmp=$(mktemp -d)
xvfb_pid=
cleanup () {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

. "$(dirname "$0")/xvfb-lib.sh"
if ! start_xvfb "$screen" "$tmp"; then
  echo "Bail out! Xvfb did not start"
  exit 1
fi
export GDK_BACKEND=x11 GSK_RENDERER=cairo
# The private bus has no Secret Service: choose the password file up front,
# so that the core's one-time "no keyring" warning does not fail the test.
export RAPPORT_SECRETS=file

# Not exec: the trap must stop Xvfb when the test ends.
status=0
"$@" || status=$?
exit $status
