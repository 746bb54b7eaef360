#!/usr/bin/env bash
# The command line's contract (docs/govtally.1): exit codes, messages that name the
# file, atomic -o (no partial output on error), formats.
# usage: cli_test.sh GOVTALLY_BINARY REPO_ROOT
set -u
gt=$1; root=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ex=$root/examples/whale-veto/proposal.json

expect() { # expect NAME WANTED_STATUS [GREP_STDERR] -- command...
  local name=$1 want=$2 pattern=$3; shift 4
  "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL $name: exit $got, wanted $want"; sed 's/^/  stderr: /' "$tmp/err" | head -5; fail=$((fail+1)); return
  fi
  if [ -n "$pattern" ] && ! grep -q -- "$pattern" "$tmp/err"; then
    echo "FAIL $name: stderr lacks '$pattern'"; sed 's/^/  stderr: /' "$tmp/err" | head -5; fail=$((fail+1)); return
  fi
  echo "ok $name"; pass=$((pass+1))
}

expect "no arguments" 64 "usage" -- "$gt"
expect "unknown command" 64 "unknown command" -- "$gt" frobnicate
expect "version" 0 "" -- "$gt" --version
expect "help" 0 "" -- "$gt" --help
expect "run without input" 64 "PROPOSAL" -- "$gt" run
expect "missing input" 66 "$tmp/nope.json" -- "$gt" run "$tmp/nope.json"
expect "unknown option" 64 "unknown option" -- "$gt" run "$ex" --bogus
expect "option without value" 64 "option -o needs a value" -- "$gt" run "$ex" -o
expect "keygen: no value" 64 "option --output needs a value" -- "$gt" attest keygen --output
expect "keygen: positional" 64 "govtally: keygen: unexpected argument 'x'" -- "$gt" attest keygen x
expect "verify: second input" 64 "verify: unexpected argument 'b'" -- "$gt" attest verify -i i a b
expect "verify: --at=" 64 "attest verify: -i ISSUERS" -- "$gt" attest verify --at=5 a
expect "unknown scheme" 64 "unknown scheme" -- "$gt" run "$ex" --schemes token,votes
expect "personhood without attestations" 64 "personhood" -- "$gt" run "$ex" --schemes personhood
expect "-a without -i" 64 "go together" -- "$gt" run "$ex" -a "$tmp/x"
expect "cap out of range" 64 "cap" -- "$gt" run "$ex" --cap 1.5
expect "bad format" 64 "format" -- "$gt" run "$ex" --format xml
expect "unwritable output" 73 "$tmp/no/dir/out.json" -- "$gt" run "$ex" -o "$tmp/no/dir/out.json"

printf '{"proposal": {"type": "basic", "choices": ["For"]}, "votes": [' > "$tmp/broken.json"
expect "truncated JSON" 65 "broken.json" -- "$gt" run "$tmp/broken.json" -o "$tmp/never.json"
if [ -e "$tmp/never.json" ] || ls "$tmp"/never.json.* >/dev/null 2>&1; then
  echo "FAIL no partial output: a file was left behind"; fail=$((fail+1))
else echo "ok no partial output"; pass=$((pass+1)); fi

expect "run json to file" 0 "" -- "$gt" run "$ex" --format json -o "$tmp/r.json"
if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['format']=='gvt-result/1'" "$tmp/r.json"; then
  echo "ok result is gvt-result/1 JSON"; pass=$((pass+1))
else echo "FAIL result is not gvt-result/1 JSON"; fail=$((fail+1)); fi
expect "stdin input" 0 "" -- bash -c "'$gt' run - --format json < '$ex'"
expect "json is the default off a terminal" 0 "" -- bash -c "'$gt' run '$ex' | grep -q '\"format\": \"gvt-result/1\"'"

# -o onto a FIFO must write into it, not rename a file over it (the same
# rule protects /dev/null).
mkfifo "$tmp/fifo"
cat "$tmp/fifo" > "$tmp/from-fifo" & reader=$!
expect "output into a FIFO" 0 "" -- "$gt" run "$ex" --format json -o "$tmp/fifo"
wait $reader
if [ -p "$tmp/fifo" ] && grep -q gvt-result/1 "$tmp/from-fifo"; then
  echo "ok FIFO stays a FIFO and got the report"; pass=$((pass+1))
else echo "FAIL FIFO replaced or empty"; fail=$((fail+1)); fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
