#!/usr/bin/env bash
# README command 2: install everything (the test servers included), build,
# and run every suite: unit, integration (real Dovecot and Postfix), ui
# (under Xvfb), then unit + integration again in an AddressSanitizer +
# UndefinedBehaviorSanitizer build made with clang, which also runs the
# libFuzzer targets briefly. Idempotent.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bash build-aux/install-deps.sh --test

jobs=$(nproc)
summary=()
failed=0

logs=()

# Runs each suite on its own so that its results are kept apart
# (meson rewrites testlog.json on every run).
run_suites () {
  local dir=$1; shift
  for suite in "$@"; do
    echo "=== $dir: suite $suite"
    if ! meson test -C "$dir" --print-errorlogs --num-processes "$jobs" --suite "$suite"; then
      failed=1
    fi
    local log="$dir/meson-logs/testlog-$suite.json"
    if [ -f "$dir/meson-logs/testlog.json" ]; then
      mv "$dir/meson-logs/testlog.json" "$log"
    else
      : > "$log"
    fi
    logs+=("$log")
    summary+=("$(python3 build-aux/test-summary.py --count "$log" "$dir $suite")")
  done
}

# 1. The normal build: every suite.
if [ ! -f build/build.ninja ]; then
  meson setup build
fi
ninja -C build
run_suites build unit integration ui

# 2. Sanitizers (and fuzzers), engine only: the GTK app adds build time
#    and no coverage the ui suite does not already give.
if [ ! -f build-asan/build.ninja ]; then
  CC=clang meson setup build-asan -Dapp=false -Dfuzzing=true \
    -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
fi
ninja -C build-asan
run_suites build-asan unit integration fuzz

echo
printf '%s\n' "${summary[@]}"
python3 build-aux/test-summary.py --total "${logs[@]}" || failed=1
exit $failed
