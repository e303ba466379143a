#!/usr/bin/env bash
# README command 1: install what Rapport needs, build it, and launch it.
# Idempotent; extra arguments go to the app (for example a mailto: URI).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bash build-aux/install-deps.sh
if [ ! -f build/build.ninja ]; then
  meson setup build
fi
ninja -C build

# Run uninstalled: schemas and translations come from the build tree.
export GSETTINGS_SCHEMA_DIR="$top/build/data"
export RAPPORT_LOCALEDIR="$top/build/po"
exec "$top/build/src/app/rapport" "$@"
