#!/bin/sh
# Fails when po/POTFILES.in misses a source file with translatable strings,
# or when po/de.po lacks a translation (or has a fuzzy one) for any string in
# the sources. Uses the same xgettext keywords as meson's 'glib' preset.
set -eu
top=$1
cd "$top"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. Every source file that marks strings must be listed.
status=0
for f in $(grep -rlE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|g_dngettext|ngettext)\(|translatable="yes"' \
             src ui data --include='*.c' --include='*.ui' 2>/dev/null | sort); do
  if ! grep -qxF "$f" po/POTFILES.in; then
    echo "not ok - $f has translatable strings but is not in po/POTFILES.in"
    status=1
  fi
done

# 2. Build a fresh template and merge it into de.po.
grep -v '^#' po/POTFILES.in | sed '/^$/d' > "$tmp/files"
xgettext --package-name=rapport --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --keyword=ngettext:1,2 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --files-from="$tmp/files" --output="$tmp/rapport.pot"
msgmerge --quiet --no-fuzzy-matching --output-file="$tmp/de.po" po/de.po "$tmp/rapport.pot"
stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$tmp/de.po" 2>&1)
echo "de.po: $stats"
case "$stats" in
  *untranslated*|*fuzzy*)
    echo "not ok - po/de.po is incomplete; missing:"
    msgattrib --untranslated --no-obsolete "$tmp/de.po" | grep -A1 '^msgid' | head -40
    status=1
    ;;
esac
# Fuzzy entries in the file itself count too, even if msgmerge kept them.
if LC_ALL=C msgfmt --statistics -o /dev/null po/de.po 2>&1 | grep -q fuzzy; then
  echo "not ok - po/de.po has fuzzy entries"
  status=1
fi
exit $status
