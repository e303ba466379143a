#!/bin/bash
# bench-fetch.sh: the first download of a mailbox over POP3 with implicit
# TLS, side by side in one run: the raw TLS transfer of the same bytes,
# Rapport (rp_fetcher_fetch_sync into a fresh store), fetchmail (LMTP, and
# dovecot-lda as MDA) and getmail6 (Maildir); then the no-new-mail poll of
# each. Prints one markdown table per N, the poll table, and the targets:
# first download ≥ 3× faster than the faster peer and ≤ 1.5× raw TLS, the
# poll faster than every peer.
#
#   bash bench/bench-fetch.sh [--no-peers] [N …]   (default: 1000 10000)
#   BUILD=build-bench bash bench/bench-fetch.sh 1000
#
# It builds nothing: build first, e.g.
#   meson setup build && ninja -C build bench/bench-fetch
# BUILD names the build folder (default: build). --no-peers leaves
# fetchmail and getmail out, for profiling Rapport alone, e.g.
#   perf record -g --call-graph dwarf "$BUILD/bench/bench-fetch" --no-peers 1000
#
# Needs root (getmail refuses to deliver as root and is run as nobody,
# pinned to one CPU with taskset), Dovecot with pop3d and lmtpd, the
# openssl command, fetchmail and getmail6. The messages (deterministic, a
# median around 8 KB, about 1 % between 100 KB and 2 MB) go into a
# temporary Dovecot, which is removed at exit with everything else. Every
# client must end up with all N messages, or the run aborts. The machine
# should be quiet: with N = 10,000 the peers alone take several minutes.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
binary="$build/bench/bench-fetch"

if [ ! -x "$binary" ]; then
  echo "$binary is missing; build it first: ninja -C $build bench/bench-fetch" >&2
  exit 1
fi

peers=yes
for arg in "$@"; do
  [ "$arg" = --no-peers ] && peers=no
done

missing=()
for tool in /usr/sbin/dovecot openssl; do
  command -v "$tool" > /dev/null || missing+=("$tool")
done
if [ "$peers" = yes ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "bench-fetch.sh runs getmail as nobody and must be started as root" >&2
    exit 1
  fi
  for tool in fetchmail getmail taskset setpriv /usr/lib/dovecot/dovecot-lda; do
    command -v "$tool" > /dev/null || missing+=("$tool")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing: ${missing[*]} (apt-get install dovecot-core dovecot-pop3d" \
       "dovecot-lmtpd openssl fetchmail getmail6 util-linux)" >&2
  exit 1
fi

exec "$binary" "$@"
