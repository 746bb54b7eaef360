#!/bin/sh
# run.sh MODE GOVTALLY WORKDIR: interoperability with Node's crypto.
#   node-signs      govtally accepts attestations Node signed (sign.mjs)
#   node-verifies   Node accepts attestations govtally signed (verify.mjs)
# Exits 77 (skipped) when node is not installed.
set -eu
mode=$1 g=$2 d=$3
here=$(cd "$(dirname "$0")" && pwd)
command -v node >/dev/null 2>&1 || { echo "node not found: skipped"; exit 77; }
rm -rf "$d"
mkdir -p "$d"
case $mode in
node-signs)
    node "$here/sign.mjs" "$d"
    for f in att.jsonl att.json; do
        got=$("$g" attest verify -i "$d/issuers.json" "$d/$f")
        want=$(cat "$d/expect.json")
        if [ "$got" != "$want" ]; then
            echo "$f: got $got"; echo "want $want"; exit 1
        fi
    done
    # one flipped signature digit must be refused
    sed '3s/"sig":"\(.\)/"sig":"X\1/; 3s/"sig":"X0/"sig":"1/; 3s/"sig":"X[^"]/"sig":"0/' \
        "$d/att.jsonl" > "$d/tampered.jsonl"
    set +e
    "$g" attest verify -i "$d/issuers.json" "$d/tampered.jsonl" > "$d/out"
    rc=$?
    set -e
    grep -q '"bad-signature": 1' "$d/out" && [ $rc -eq 1 ] ||
        { echo "tampered: rc $rc $(cat "$d/out")"; exit 1; }
    ;;
node-verifies)
    "$g" attest keygen -o "$d/key" > "$d/key.pub"
    pub=$(cat "$d/key.pub")
    # the key file's seed gives the same public key in Node
    node -e '
      import("'"$here"'/gvt-attest.mjs").then(({ keyFromSeed }) => {
        const fs = require("fs");
        const seed = fs.readFileSync(process.argv[1], "utf8").trim();
        process.exit(keyFromSeed(seed).pub === process.argv[2] ? 0 : 1);
      });' "$d/key" "$pub"
    [ "$(stat -c %a "$d/key")" = 600 ] || { echo "key mode"; exit 1; }
    cat > "$d/subjects.csv" <<CSV
address,nullifier
0xAbCdEf0123456789abcdef0123456789ABCDEF01,1111111111111111111111111111111111111111111111111111111111111111
0x00000000000000000000000000000000000000aa,ABCDEF0000000000000000000000000000000000000000000000000000000002
0x0000000000000000000000000000000000000000000000000000000000000bcd,3333333333333333333333333333333333333333333333333333333333333333
CSV
    "$g" attest sign -k "$d/key" --scope ens.eth --issued-at 1700000000 \
        --expires-at 1800000000 --weight 0.75 -o "$d/signed.jsonl" \
        "$d/subjects.csv"
    node "$here/verify.mjs" "$d/signed.jsonl" "$pub"
    ;;
*)
    echo "unknown mode $mode"; exit 64 ;;
esac
