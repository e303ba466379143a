# Sourced by the UI test runners: start_xvfb SCREEN DIR starts a private
# Xvfb, sets xvfb_pid and exports DISPLAY, and returns only once the server
# answers. Xvfb reports its display through -displayfd before every client
# can connect, and under parallel test runs a server that is just exiting
# can take a fresh one's socket with it; so the server is probed, and a
# server that does not answer is replaced (three tries).
start_xvfb () {
  local screen=$1 dir=$2 try
  for try in 1 2 3; do
    rm -f "$dir/display"
    Xvfb -displayfd 3 -screen 0 "$screen" -nolisten tcp 3>"$dir/display" 2>"$dir/xvfb.log" &
    xvfb_pid=$!
    for _ in $(seq 100); do
      [ -s "$dir/display" ] && break
      sleep 0.1
    done
    if [ -s "$dir/display" ]; then
      export DISPLAY=":$(head -1 "$dir/display")"
      for _ in $(seq 50); do
        xwininfo -root >/dev/null 2>&1 && return 0
        sleep 0.1
      done
    fi
    kill "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
    xvfb_pid=
  done
  cat "$dir/xvfb.log" >&2
  return 1
}
