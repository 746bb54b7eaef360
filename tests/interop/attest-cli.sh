#!/bin/sh
# attest-cli.sh GOVTALLY WORKDIR: `govtally attest` exit statuses and messages
# (docs/govtally.1): keygen refuses to overwrite and writes mode 0600, sign names the
# bad line of SUBJECTS.csv and leaves no partial -o output, verify exits 0
# when all are valid and 1 otherwise. Needs no node.
set -u
g=$1 d=$2
rm -rf "$d"
mkdir -p "$d"
fails=0
check() { # check NAME WANT_STATUS GOT_STATUS
    if [ "$2" != "$3" ]; then
        echo "FAIL $1: exit $3, wanted $2"; fails=$((fails + 1))
    else
        echo "ok $1"
    fi
}
has() { # has NAME FILE TEXT
    if grep -qF -- "$3" "$2"; then echo "ok $1"; else
        echo "FAIL $1: no '$3' in: $(cat "$2")"; fails=$((fails + 1)); fi
}

"$g" attest keygen -o "$d/key" > "$d/pub"; check "keygen" 0 $?
[ "$(stat -c %a "$d/key")" = 600 ]; check "key mode 0600" 0 $?
grep -qxE '[0-9a-f]{64}' "$d/pub"; check "public key printed" 0 $?
cp "$d/key" "$d/key.before"
"$g" attest keygen -o "$d/key" > /dev/null 2> "$d/err"; check "keygen refuses to overwrite" 73 $?
cmp -s "$d/key" "$d/key.before"; check "key unchanged" 0 $?
"$g" attest keygen 2> /dev/null; check "keygen without -o" 64 $?

cat > "$d/subjects.csv" <<CSV
address,nullifier
0x00000000000000000000000000000000000000aa,1111111111111111111111111111111111111111111111111111111111111111

0x00000000000000000000000000000000000000bb,2222222222222222222222222222222222222222222222222222222222222222
CSV
"$g" attest sign -k "$d/key" --scope '*' --issued-at 10 -o "$d/att.jsonl" "$d/subjects.csv"
check "sign" 0 $?
[ "$(wc -l < "$d/att.jsonl")" = 2 ]; check "two attestations" 0 $?
printf '{"v":1,"issuers":[{"name":"k","key":"%s"}]}\n' "$(cat "$d/pub")" > "$d/issuers.json"
"$g" attest verify -i "$d/issuers.json" "$d/att.jsonl" > "$d/out"; check "verify all valid" 0 $?
has "verify counts" "$d/out" '{"read": 2, "valid": 2, "rejected": {"duplicate": 0,'
"$g" attest verify -i "$d/issuers.json" --at 5 "$d/att.jsonl" > "$d/out"; check "verify before issued_at" 1 $?
has "not-yet-valid counted" "$d/out" '"not-yet-valid": 2'
"$g" attest verify -i "$d/issuers.json" --scope other.eth "$d/att.jsonl" > /dev/null; check "verify other scope (* fits)" 0 $?

printf '0x00000000000000000000000000000000000000aa,11\n' >> "$d/subjects.csv"
"$g" attest sign -k "$d/key" --scope x --issued-at 10 -o "$d/bad.jsonl" "$d/subjects.csv" 2> "$d/err"
check "sign bad line" 65 $?
has "bad line named" "$d/err" "subjects.csv:5:44: expected a nullifier of 64 hex digits"
[ ! -e "$d/bad.jsonl" ]; check "no partial output" 0 $?
# Weights in any decimal form sign their canonical form; ISO 8601 times
# sign as the same unix seconds (1700000000 is 2023-11-14T22:13:20Z, by
# Python's datetime). Ed25519 is deterministic: the same bytes.
sed '$d' "$d/subjects.csv" > "$d/good.csv"
"$g" attest sign -k "$d/key" --scope x --issued-at 1700000000 --expires-at 1731536000 \
  --weight 0.5 "$d/good.csv" > "$d/w1"; check "sign 0.5" 0 $?
"$g" attest sign -k "$d/key" --scope x --issued-at 2023-11-14T22:13:20Z \
  --expires-at '2024-11-14 00:13:20+02:00' --weight 0.50 "$d/good.csv" > "$d/w2"
check "sign 0.50 at ISO times" 0 $?
cmp -s "$d/w1" "$d/w2"; check "the same attestations" 0 $?
has "canonical weight signed" "$d/w2" '"weight":"0.5"'
"$g" attest sign -k "$d/key" --scope x --issued-at 10 --weight 1.0 "$d/good.csv" > "$d/w3"
check "sign 1.0" 0 $?
has "1.0 signed as 1" "$d/w3" '"weight":"1",'
"$g" attest sign -k "$d/key" --scope x --issued-at 10 --weight 0.1234567 "$d/good.csv" 2> "$d/err"
check "sign 7 fraction digits" 64 $?
has "weight refused plainly" "$d/err" "weight '0.1234567' is not a decimal number in [0, 1]"
"$g" attest sign -k "$d/key" --scope x --issued-at 10 --weight 1.5 "$d/good.csv" 2> /dev/null
check "sign weight above 1" 64 $?
"$g" attest sign -k "$d/key" --scope x --issued-at 'next week' "$d/good.csv" 2> "$d/err"
check "sign unreadable time" 64 $?
has "time refused plainly" "$d/err" "neither unix seconds nor an ISO 8601 time"
"$g" attest verify -i "$d/issuers.json" --at 1970-01-01T00:00:05Z "$d/att.jsonl" > "$d/out"
check "verify --at in ISO 8601" 1 $?
has "not-yet-valid at 5 s" "$d/out" '"not-yet-valid": 2'
"$g" attest sign -k "$d/nokey" --scope x --issued-at 10 "$d/subjects.csv" 2> /dev/null
check "sign missing key" 66 $?
"$g" attest verify -i "$d/issuers.json" "$d/none.jsonl" 2> /dev/null; check "verify missing input" 66 $?
printf '{"v":1}\n' > "$d/broken.jsonl"
"$g" attest verify -i "$d/issuers.json" "$d/broken.jsonl" 2> "$d/err"; check "verify broken input" 65 $?
has "broken input named" "$d/err" "broken.jsonl:1:1: missing field 'issuer'"
"$g" attest frob 2> /dev/null; check "unknown subcommand" 64 $?
[ $fails -eq 0 ]
