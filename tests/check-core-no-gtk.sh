#!/bin/sh
# The engine must build and run without GTK: not a header, not a mention.
set -eu
if grep -rl gtk "$1"; then
  echo "not ok - the files above under src/core mention gtk" >&2
  exit 1
fi
echo "src/core is free of gtk"
