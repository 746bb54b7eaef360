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
"$g" attest sign -k "$d/key" --scope x --issued-at 10 --weight 1.0 "$d/subjects.csv" 2> /dev/null
check "sign non-canonical weight" 64 $?
"$g" attest sign -k "$d/nokey" --scope x --issued-at 10 "$d/subjects.csv" 2> /dev/null
check "sign missing key" 66 $?
"$g" attest verify -i "$d/issuers.json" "$d/none.jsonl" 2> /dev/null; check "verify missing input" 66 $?
printf '{"v":1}\n' > "$d/broken.jsonl"
"$g" attest verify -i "$d/issuers.json" "$d/broken.jsonl" 2> "$d/err"; check "verify broken input" 65 $?
has "broken input named" "$d/err" "broken.jsonl:1:1: missing field 'issuer'"
"$g" attest frob 2> /dev/null; check "unknown subcommand" 64 $?
[ $fails -eq 0 ]
