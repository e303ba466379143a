#!/bin/bash
# bench-pop3.sh: fetch 1,000 and 10,000 messages with RpPop3 from a real
# Dovecot over implicit TLS, and compare with the raw TLS transfer of the
# same bytes on loopback. Prints a table; the target ratio is at most 1.3.
#
#   bash bench/bench-pop3.sh [N …]      (BUILD=dir to use another build)
#
# Needs Dovecot and the openssl command, like the integration tests; the
# messages are generated into a temporary Dovecot that is removed at exit.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build"
fi
ninja -C "$build" bench/bench-pop3
exec "$build/bench/bench-pop3" "$@"
