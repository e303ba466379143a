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
"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
  -artifact_prefix="$work/" "$work" "$seeds"
