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
expect "unknown command: general help" 64 "Try 'govtally --help'" -- "$gt" frobnicate
expect "usage error: the command's help" 64 "Try 'govtally replay --help'" -- "$gt" replay
expect "usage error: the subcommand's help" 64 "Try 'govtally attest sign --help'" -- "$gt" attest sign --bogus
expect "version" 0 "" -- "$gt" --version
expect "help" 0 "" -- "$gt" --help
expect "run without input" 64 "PROPOSAL" -- "$gt" run
expect "missing input" 66 "$tmp/nope.json" -- "$gt" run "$tmp/nope.json"
expect "unknown option" 64 "unknown option" -- "$gt" run "$ex" --bogus
expect "option without value" 64 "option -o needs a value" -- "$gt" run "$ex" -o
expect "keygen: no value" 64 "option --output needs a value" -- "$gt" attest keygen --output
expect "keygen: positional" 64 "govtally: keygen: unexpected argument 'x'" -- "$gt" attest keygen x
expect "verify: a second input is read too" 66 "govtally: i: cannot open" -- "$gt" attest verify -i i a b
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

# The format follows the output's name when --format is absent; an explicit
# one that the name contradicts is a usage error.
expect "format from .html" 0 "" -- "$gt" run "$ex" -o "$tmp/r.html"
if head -c 15 "$tmp/r.html" | grep -q '<!DOCTYPE html>'; then
  echo "ok .html gets HTML"; pass=$((pass+1))
else echo "FAIL .html did not get HTML"; fail=$((fail+1)); fi
expect "format from .CSV" 0 "" -- "$gt" run "$ex" -o "$tmp/r.CSV"
if head -1 "$tmp/r.CSV" | grep -qx 'scheme,choice,label,score,share,winner'; then
  echo "ok .CSV gets CSV"; pass=$((pass+1))
else echo "FAIL .CSV did not get CSV"; fail=$((fail+1)); fi
expect "format from .txt" 0 "" -- "$gt" run "$ex" -o "$tmp/r.txt"
if grep -q '^verdict:' "$tmp/r.txt" && ! grep -q $'\x1b' "$tmp/r.txt"; then
  echo "ok .txt gets plain text"; pass=$((pass+1))
else echo "FAIL .txt did not get plain text"; fail=$((fail+1)); fi
expect "format against the name" 64 "named for html" -- "$gt" run "$ex" --format csv -o "$tmp/x.html"
[ ! -e "$tmp/x.html" ] && { echo "ok nothing written on a format clash"; pass=$((pass+1)); } ||
  { echo "FAIL a file was written on a format clash"; fail=$((fail+1)); }
expect "format agreeing with the name" 0 "" -- "$gt" run "$ex" --format json -o "$tmp/y.json"
expect "unknown extension keeps the default" 0 "" -- "$gt" run "$ex" -o "$tmp/r.out"
grep -q '"format": "gvt-result/1"' "$tmp/r.out" && { echo "ok .out gets JSON"; pass=$((pass+1)); } ||
  { echo "FAIL .out did not get JSON"; fail=$((fail+1)); }
expect "--wide is for text" 64 "--wide" -- "$gt" run "$ex" --wide --format json

# The text report fits COLUMNS (80 off a terminal); --wide makes one table.
sy=$root/fixtures/identity-sybil-whale
widest() { awk '{ if (length($0) > m) m = length($0) } END { print m }' "$1"; }
for cols in "" 80 60 40; do
  env ${cols:+COLUMNS=$cols} "$gt" run "$sy/proposal.json" -a "$sy/att.jsonl" -i "$sy/issuers.json" \
    --format text > "$tmp/t.txt" 2>"$tmp/err"
  w=$(widest "$tmp/t.txt"); lim=${cols:-80}
  tables=$(grep -c '^ *total' "$tmp/t.txt")
  if [ "$w" -le "$lim" ] && [ "$(grep -o 'personhood' "$tmp/t.txt" | wc -l)" -ge 3 ]; then
    echo "ok text fits ${cols:-80 (unset)} columns: widest $w, $tables tables"; pass=$((pass+1))
  else echo "FAIL text at ${cols:-unset}: widest line $w"; fail=$((fail+1)); fi
done
COLUMNS=40 "$gt" run "$sy/proposal.json" -a "$sy/att.jsonl" -i "$sy/issuers.json" --wide --format text > "$tmp/w.txt"
if [ "$(grep -c '^ *total' "$tmp/w.txt")" -eq 1 ] &&
   grep -q 'snapshot.*token.*address.*quadratic.*personhood.*quadratic-personhood.*capped-personhood' "$tmp/w.txt"; then
  echo "ok --wide: seven schemes in one table"; pass=$((pass+1))
else echo "FAIL --wide is not one table"; fail=$((fail+1)); fi

# Several proposals in one file or folder: say how many and how to pick one.
cat "$ex" | tr -d '\n' > "$tmp/many.jsonl"; echo >> "$tmp/many.jsonl"
tr -d '\n' < "$sy/proposal.json" >> "$tmp/many.jsonl"; echo >> "$tmp/many.jsonl"
expect "several proposals" 64 "holds 2 proposals" -- "$gt" run "$tmp/many.jsonl"
grep -q -- "--proposal ID" "$tmp/err" && grep -q "govtally replay" "$tmp/err" &&
  { echo "ok the message says how to pick one"; pass=$((pass+1)); } ||
  { echo "FAIL the message lacks --proposal or replay"; fail=$((fail+1)); }
expect "--proposal picks one" 0 "" -- "$gt" run "$tmp/many.jsonl" --proposal 0xsybilwhale --format json -o "$tmp/p1.json"
"$gt" run "$sy/proposal.json" --format json -o "$tmp/p0.json"
# the same result but for the audit record, which names the files read
# (every file of the input) and the id picked (docs/audit.md)
unaudited() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d.pop('audit'); print(json.dumps(d))" "$1"; }
[ "$(unaudited "$tmp/p0.json")" = "$(unaudited "$tmp/p1.json")" ] &&
  python3 -c "import json,sys; a=json.load(open(sys.argv[1]))['audit']; assert a['options']['proposal']=='0xsybilwhale'; assert [i['name'] for i in a['inputs']]==[sys.argv[2]]" "$tmp/p1.json" "$tmp/many.jsonl" &&
  { echo "ok the picked proposal's result is the file's"; pass=$((pass+1)); } ||
  { echo "FAIL the picked proposal differs"; fail=$((fail+1)); }
expect "--proposal unknown" 65 "no proposal has the id 'nope' (2 proposals" -- "$gt" run "$tmp/many.jsonl" --proposal nope
mkdir -p "$tmp/dir/sub"; cp "$ex" "$tmp/dir/a.json"; cp "$sy/proposal.json" "$tmp/dir/sub/b.json"
expect "a folder without --proposal" 64 "holds 2 proposals" -- "$gt" run "$tmp/dir"
expect "a folder with --proposal" 0 "" -- "$gt" run "$tmp/dir" --proposal 0xsybilwhale --format json -o "$tmp/p2.json"
[ "$(unaudited "$tmp/p0.json")" = "$(unaudited "$tmp/p2.json")" ] &&
  python3 -c "import json,sys; a=json.load(open(sys.argv[1]))['audit']; assert [i['name'] for i in a['inputs']]==sys.argv[2:]" "$tmp/p2.json" "$tmp/dir/a.json" "$tmp/dir/sub/b.json" &&
  { echo "ok picked from a folder"; pass=$((pass+1)); } ||
  { echo "FAIL the proposal picked from a folder differs"; fail=$((fail+1)); }
cp "$sy/proposal.json" "$tmp/dir/c.json"
expect "an id twice" 65 "two proposals have the id '0xsybilwhale'" -- "$gt" run "$tmp/dir" --proposal 0xsybilwhale
expect "one export with --proposal" 0 "" -- "$gt" run "$sy/proposal.json" --proposal 0xsybilwhale --format json

# Warnings go to standard error and into the JSON result; the exit stays 0.
cat > "$tmp/zero.json" <<'JSON'
{"proposal": {"id": "0xzero", "type": "single-choice", "choices": ["Yes", "No"], "end": 4102444800},
 "votes": [
  {"id": "1", "voter": "0x1111111111111111111111111111111111111111", "created": 1, "choice": 0, "vp": 1},
  {"id": "2", "voter": "0x2222222222222222222222222222222222222222", "created": 1, "choice": 0, "vp": 1},
  {"id": "3", "voter": "0x3333333333333333333333333333333333333333", "created": 1, "choice": 1, "vp": 9}]}
JSON
expect "warnings on standard error" 0 "warning: $tmp/zero.json: 2 ballots name choice 0" -- "$gt" run "$tmp/zero.json" -o "$tmp/zero-r.json"
grep -q '2 of the 3 ballots (duplicates aside) have an invalid choice' "$tmp/err" && grep -q 'after the time of the tally' "$tmp/err" &&
python3 -c "
import json,sys; w=json.load(open(sys.argv[1]))['warnings']
assert [x['code'] for x in w]==['invalid-majority','choice-zero','active'], w" "$tmp/zero-r.json" &&
  { echo "ok warnings in the JSON result"; pass=$((pass+1)); } ||
  { echo "FAIL warnings missing from stderr or the JSON"; fail=$((fail+1)); }
expect "no warning for the example" 0 "" -- "$gt" run "$ex" -o "$tmp/quiet.json"
[ ! -s "$tmp/err" ] && { echo "ok the example is quiet"; pass=$((pass+1)); } ||
  { echo "FAIL the example warns"; fail=$((fail+1)); }

# Import: UTF-16 refused plainly, semicolons and text choices read.
printf '\xff\xfev\x00o\x00t\x00e\x00r\x00\n\x00' > "$tmp/u16.csv"
expect "UTF-16 refused" 65 "is UTF-16 (little-endian byte order mark FF FE); CSV is read as UTF-8" -- "$gt" import governor-csv "$tmp/u16.csv"
printf 'Voter;Answer;VP\n0x1111111111111111111111111111111111111111;yes;3\n' > "$tmp/yn.csv"
expect "--choice-labels" 0 "1 votes imported" -- "$gt" import csv --map voter=Voter,choice=Answer,vp=VP --choice-labels Yes,No "$tmp/yn.csv" -o "$tmp/yn.json"
grep -q '"choices":\["Yes","No"\]' "$tmp/yn.json" && grep -q '"choice":1' "$tmp/yn.json" &&
  { echo "ok text choices imported by label"; pass=$((pass+1)); } ||
  { echo "FAIL text choices"; fail=$((fail+1)); }
expect "--choice-labels is for csv" 64 "choice-labels" -- "$gt" import governor-csv --choice-labels Yes,No "$tmp/yn.csv"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
