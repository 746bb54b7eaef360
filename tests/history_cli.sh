#!/usr/bin/env bash
# `govtally import` and `govtally replay` as a user runs them, on the small
# vote tables of tests/data/history (made up here in the shapes of Governor
# events, Aave's events, Snapshot's vote report and Decentraland's table).
# Every expected file in tests/data/history/expected was written by hand from
# the computations in tests/data/history/README.md.
# usage: history_cli.sh GOVTALLY REPO_ROOT
set -u
gt=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); root=$(cd "$2" && pwd)
data=$root/tests/data/history
exp=$data/expected
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
map='voter=Member,choice=Choice #,vp=VP,proposal=Proposal ID,created=Created,label=Choice'

# same NAME WANT_STATUS EXPECTED_FILE [STDERR_TEXT] -- command...: exit status,
# standard output byte for byte, and a text standard error must hold.
same() {
  local name=$1 want=$2 file=$3 err_pat=$4; shift 5
  "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL $name: exit $got, wanted $want"; sed 's/^/  stderr: /' "$tmp/err" | head -5; fail=1; return
  fi
  if [ -n "$file" ] && ! cmp -s "$tmp/out" "$file"; then
    echo "FAIL $name: output differs from $file"; diff "$file" "$tmp/out" | head -20; fail=1; return
  fi
  if [ -n "$err_pat" ] && ! grep -qF -- "$err_pat" "$tmp/err"; then
    echo "FAIL $name: stderr lacks '$err_pat'"; sed 's/^/  stderr: /' "$tmp/err" | head -5; fail=1; return
  fi
  echo "ok $name"
}

cd "$data" || exit 1
# import: one export per proposal, every row accounted for on standard error
same "import governor-csv" 0 "$exp/governor.jsonl" \
  "governor.csv: 10 rows: 7 votes imported into 2 proposals; 3 skipped (ProposalCreated 2, ProposalExecuted 1)" -- \
  "$gt" import governor-csv governor.csv
same "import governor-csv (Aave's names)" 0 "$exp/aave.json" \
  "aave.csv: 3 rows: 3 votes imported into 1 proposal" -- "$gt" import governor-csv aave.csv
same "import snapshot-csv" 0 "$exp/snapshot.json" \
  "snapshot-report-0xsnap1.csv: 6 rows: 6 votes imported into 1 proposal" -- \
  "$gt" import snapshot-csv snapshot-report-0xsnap1.csv
same "import csv --map" 0 "$exp/dcl.jsonl" "dcl.csv: 5 rows: 5 votes imported into 2 proposals" -- \
  "$gt" import csv --map "$map" dcl.csv
same "import from standard input" 0 "$exp/governor.jsonl" "" -- \
  bash -c "'$gt' import governor-csv - < governor.csv | sed 's/\"space\":\"stdin\"/\"space\":\"governor\"/g'"
same "import -o" 0 "" "" -- "$gt" import csv --map "$map" dcl.csv -o "$tmp/dcl.jsonl"
if cmp -s "$tmp/dcl.jsonl" "$exp/dcl.jsonl"; then echo "ok import -o writes the file"
else echo "FAIL import -o: file differs"; fail=1; fi

# replay: one row per proposal, in input order
same "replay --from governor-csv" 0 "$exp/replay-governor.csv" "" -- \
  "$gt" replay --from governor-csv governor.csv aave.csv
same "replay --from snapshot-csv" 0 "$exp/replay-snapshot.csv" "" -- \
  "$gt" replay --from snapshot-csv snapshot-report-0xsnap1.csv
same "replay --from csv --map" 0 "$exp/replay-dcl.csv" "" -- \
  "$gt" replay --from csv --map "$map" dcl.csv
for n in 1 2 3; do
  same "replay --threads $n gives the same bytes" 0 "$exp/replay-governor.csv" "" -- \
    "$gt" replay --threads "$n" --from governor-csv governor.csv aave.csv
done
# Exports (the hand-written ones) and a folder of them: files in name order
# (aave.json, dcl.jsonl, governor.jsonl, snapshot.json).
{ head -1 "$exp/replay-dcl.csv"; tail -n +4 "$exp/replay-governor.csv"; tail -n +2 "$exp/replay-dcl.csv"
  sed -n 2,3p "$exp/replay-governor.csv"; tail -n +2 "$exp/replay-snapshot.csv"; } > "$tmp/folder.csv"
mkdir "$tmp/exports"; cp "$exp"/*.json "$exp"/*.jsonl "$tmp/exports/"
same "replay of a folder of exports" 0 "$tmp/folder.csv" "" -- "$gt" replay "$tmp/exports"
same "replay mixes exports and CSV under --from" 0 "" "" -- \
  "$gt" replay --from governor-csv "$exp/aave.json" governor.csv -o "$tmp/mixed.csv"
{ head -1 "$exp/replay-governor.csv"; tail -n 1 "$exp/replay-governor.csv"; sed -n 2,3p "$exp/replay-governor.csv"; } > "$tmp/mixed-want.csv"
if cmp -s "$tmp/mixed.csv" "$tmp/mixed-want.csv"; then echo "ok mixed inputs in input order"
else echo "FAIL mixed inputs"; diff "$tmp/mixed-want.csv" "$tmp/mixed.csv"; fail=1; fi

# JSON summary: counts from the README's table
same "replay --format json" 0 "" "" -- "$gt" replay --format json --from governor-csv governor.csv aave.csv
if python3 - "$tmp/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "gvt-replay/1"
assert [p["proposal"] for p in d["proposals"]] == ["7", "8", "3"]
assert d["proposals"][0]["winners"] == {"snapshot": [1], "token": [1], "address": [2], "quadratic": [2]}
assert d["proposals"][2]["whales"]["top10_share"] == "1"
summary = dict((k, v) for k, v in d["summary"].items() if k not in ("outcomes", "spaces"))
assert summary == {"proposals": 3, "errors": 0,
                   "flips": {"snapshot": 0, "address": 2, "quadratic": 1},
                   "whale_veto": 2, "single_voter_dominates": 2}, d["summary"]
# no quorum in Governor events, Aave's rule unknown: nothing decidable
assert d["summary"]["outcomes"]["not_decidable"] == 3, d["summary"]["outcomes"]
assert [s["space"] for s in d["summary"]["spaces"]] == ["governor", "aave"]
PY
then echo "ok replay JSON rows and summary"; else echo "FAIL replay JSON"; fail=1; fi

# Errors: the place named, nothing half written, the other proposals go on.
printf 'event_name,voter,proposalId,support,votes\nVoteCast,0x1000000000000000000000000000000000000001,1,1,5\nVoteCast,0x1000000000000000000000000000000000000002,1,yes,5\n' > "$tmp/bad.csv"
same "import: a bad row names file, line, field and column" 65 "" \
  "bad.csv:3:4: column 'support': support 'yes' is none of 0, 1, 2, True, False" -- \
  "$gt" import governor-csv "$tmp/bad.csv" -o "$tmp/never.jsonl"
if ls "$tmp"/never.jsonl* >/dev/null 2>&1; then echo "FAIL import left an output behind"; fail=1
else echo "ok import leaves no output on error"; fi
same "replay: a bad file gets an error row, the others their rows" 65 "" "1 of 3 proposals failed" -- \
  "$gt" replay --from governor-csv governor.csv "$tmp/bad.csv" -o "$tmp/partial.csv"
if [ "$(sed -n 2,3p "$tmp/partial.csv")" = "$(sed -n 2,3p "$exp/replay-governor.csv")" ] &&
   tail -n 1 "$tmp/partial.csv" | grep -q "^,,,,,,,,,,,,,,,,,.*bad.csv:3:4: column 'support'"; then
  echo "ok replay error row"; else echo "FAIL replay error row"; cat "$tmp/partial.csv"; fail=1; fi
same "import: unknown --map key" 64 "" "map: 'votes' is not KEY=COLUMN" -- \
  "$gt" import csv --map 'voter=Member,choice=Choice #,votes=VP' dcl.csv
same "import: a mapped column that does not exist" 65 "" "map vp=Power: no such column" -- \
  "$gt" import csv --map 'voter=Member,choice=Choice #,vp=Power' dcl.csv

# One long event name is one skip reason (cut at 60 bytes and "..."), however
# many rows carry it.
long=ProposalCreatedWithAnEventNameMuchLongerThanSixtyThreeBytesInAll_x
printf 'event_name,voter,proposalId,support,votes\n%s,,1,,\n%s,,1,,\nVoteCast,0x1000000000000000000000000000000000000001,1,1,5\n' \
  "$long" "$long" > "$tmp/long.csv"
same "import: a long event name counts once" 0 "" \
  "3 rows: 1 votes imported into 1 proposal; 2 skipped (${long:0:60}... 2)" -- \
  "$gt" import governor-csv "$tmp/long.csv"

exit $fail
