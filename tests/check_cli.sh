#!/bin/sh
# `govtally check` as a command (docs/formats.md#fixtures): one line per
# fixture (FAIL lines name the fixture's file), exit 0 / 1 (mismatch) / 65
# (broken fixture, e.g. an unknown scheme id in expect; the message naming
# file and key) / 66 (unopenable) / 64 (no fixture); `check -` reads the
# list of fixtures from standard input.
# usage: check_cli.sh GOVTALLY REPO_ROOT
set -u
gt=$1; root=$(cd "$2" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
ok=$root/fixtures/whale-concentration/fixture.json
# the fixtures below live in $tmp: their proposal too (a fixture reads
# only files in its folder unless --allow-outside)
cp "$root/fixtures/whale-concentration/proposal.json" "$tmp/proposal.json"
prop=$tmp/proposal.json

run() { # run NAME WANT_STATUS STDOUT_GREP STDERR_GREP -- command...
  name=$1; want=$2; out_pat=$3; err_pat=$4; shift 5
  "$@" >"$tmp/out" 2>"$tmp/err"; got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL $name: exit $got, wanted $want"; cat "$tmp/out" "$tmp/err"; fail=1; return
  fi
  if [ -n "$out_pat" ] && ! grep -qF -- "$out_pat" "$tmp/out"; then
    echo "FAIL $name: stdout lacks '$out_pat'"; cat "$tmp/out"; fail=1; return
  fi
  if [ -n "$err_pat" ] && ! grep -qF -- "$err_pat" "$tmp/err"; then
    echo "FAIL $name: stderr lacks '$err_pat'"; cat "$tmp/err"; fail=1; return
  fi
  echo "ok $name"
}

cat >"$tmp/wrong.json" <<JSON
{"name": "wrong", "input": "$prop", "expect": {"whales": {"nakamoto": 3}}}
JSON
cat >"$tmp/typo.json" <<JSON
{"name": "typo", "input": "$prop", "expect": {"schemes": {"tokens": {"winners": [1]}}}}
JSON
cat >"$tmp/broken.json" <<JSON
{"name": "broken", "input": "$prop", "expected": {}}
JSON

run "no fixture" 64 "" "FIXTURE" -- "$gt" check
run "all ok" 0 "ok whale-concentration" "" -- "$gt" check "$ok"
run "mismatch" 1 "  whales.nakamoto: expected 3, actual 2" "" -- \
  "$gt" check "$ok" "$tmp/wrong.json"
run "mismatch line names the file" 1 "FAIL wrong ($tmp/wrong.json)" "" -- \
  "$gt" check "$tmp/wrong.json" "$ok"
run "broken fixture" 65 "ERROR $tmp/broken.json" "$tmp/broken.json: fixture key \"expected\"" -- \
  "$gt" check "$tmp/wrong.json" "$tmp/broken.json" "$ok"
run "broken fixture runs the rest" 65 "ok whale-concentration" "" -- \
  "$gt" check "$tmp/broken.json" "$ok"
run "unknown scheme in expect is a broken fixture" 65 "ERROR $tmp/typo.json" \
  "$tmp/typo.json: fixture key \"expect.schemes.tokens\": unknown scheme id" -- \
  "$gt" check "$ok" "$tmp/typo.json"
run "unopenable fixture" 66 "" "$tmp/none.json" -- "$gt" check "$tmp/none.json"

# A list on standard input: comments and blank lines skipped, the paths as
# given, with the named fixtures besides.
printf '# fixtures\n%s\n\n  %s  \r\n' "$ok" "$tmp/wrong.json" > "$tmp/list"
run "check - reads a list" 1 "FAIL wrong ($tmp/wrong.json)" "" -- \
  sh -c '"$0" check - < "$1"' "$gt" "$tmp/list"
if [ "$(grep -c '^ok whale-concentration' "$tmp/out")" -ne 1 ]; then
  echo "FAIL check - ran the listed fixture other than once"; fail=1
fi
printf '%s\n' "$ok" > "$tmp/list1"
run "check - with a named fixture" 0 "ok whale-concentration" "" -- \
  sh -c '"$0" check "$1" - < "$2"' "$gt" "$ok" "$tmp/list1"
[ "$(grep -c '^ok' "$tmp/out")" -eq 2 ] || { echo "FAIL check FILE - ran other than two"; fail=1; }
run "check - of an empty list" 64 "" "named no fixture" -- \
  sh -c '"$0" check - < /dev/null' "$gt"
run "check - twice" 64 "" "given twice" -- sh -c '"$0" check - - < /dev/null' "$gt"
(cd "$root" && find fixtures -name fixture.json | sort) > "$tmp/all"
run "every fixture through check -" 0 "ok whale-concentration" "" -- \
  sh -c 'cd "$1" && "$0" check - < "$2"' "$gt" "$root" "$tmp/all"
exit $fail
