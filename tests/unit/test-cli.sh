#!/bin/sh
# rapport-cli's first contract: --help and --version work, and the exit
# codes are 0 (success) and 2 (usage error).
set -u
cli=$1
n=0
fail=0
check () {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

out=$("$cli" --version); rc=$?
[ $rc = 0 ] && echo "$out" | grep -Eq '^rapport-cli [0-9]+\.[0-9]+\.[0-9]+$'
check $? "--version prints the version and exits 0"

out=$("$cli" --help); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q 'Usage: rapport-cli' && echo "$out" | grep -q -- '--version'
check $? "--help prints usage and exits 0"

"$cli" no-such-command >/dev/null 2>"${TMPDIR:-/tmp}/rp-cli-err.$$"; rc=$?
[ $rc = 2 ] && grep -q 'unknown command' "${TMPDIR:-/tmp}/rp-cli-err.$$"
check $? "an unknown command is a usage error (exit 2) with one line on stderr"
rm -f "${TMPDIR:-/tmp}/rp-cli-err.$$"

"$cli" >/dev/null 2>&1; rc=$?
[ $rc = 2 ]
check $? "no command is a usage error"

out=$(XDG_DATA_HOME=/tmp/rp-x "$cli" paths); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q '^data	/tmp/rp-x/rapport$'
check $? "paths follows XDG_DATA_HOME"

out=$(LANGUAGE=de LC_ALL=de_DE.UTF-8 "$cli" --help)
echo "$out" | grep -q 'Aufruf: rapport-cli'
check $? "--help speaks German in a German locale"

echo "1..$n"
exit $fail
