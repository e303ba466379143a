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

run_suites () {
  local dir=$1; shift
  local args=()
  for s in "$@"; do args+=(--suite "$s"); done
  if ! meson test -C "$dir" --print-errorlogs --num-processes "$jobs" "${args[@]}"; then
    failed=1
  fi
  summary+=("$(python3 build-aux/test-summary.py "$dir/meson-logs/testlog.json" "$dir")")
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
python3 build-aux/test-summary.py --total build/meson-logs/testlog.json build-asan/meson-logs/testlog.json
exit $failed
