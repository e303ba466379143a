#!/bin/sh
# Runs a libFuzzer target briefly from its seed corpus. New inputs go to a
# temporary folder (libFuzzer writes into its first corpus folder), so the
# seeds in the source tree stay as committed.
#   run-fuzzer.sh FUZZER SEED-CORPUS SECONDS
set -eu
fuzzer=$1
seeds=$2
seconds=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# libFuzzer reports a finding with exit status 77 by default, which meson
# reads as "skipped": a crash would pass unnoticed. Findings must fail.
"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
  -error_exitcode=1 -timeout_exitcode=1 \
  -artifact_prefix="$work/" "$work" "$seeds"
