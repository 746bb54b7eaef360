#!/usr/bin/env bash
# Benchmark of the identity layer: attestations checked per second
# (docs/formats.md#attestation-outcomes,
# signatures included) on one thread and on every core.
#
# usage: bench/attest.sh [N=100000] [NE=5000]
# Makes a proposal of N votes (tests/node/peer/gen-votes.mjs, seed 1) and
# one attestation per voter signed by one issuer (tests/interop/gen-bench.mjs),
# cached in bench/out/. Measures `govtally attest verify --threads 1` and
# `--threads 0` (one per core), best of 3 each, and `govtally run` with and
# without the attestations (the identity stage's share of a whole tally).
# Then the same attestations made by an Ethereum account (records of v 2,
# EIP-712, signed by `govtally attest sign` with a fixed secp256k1 key),
# verified on one thread and on every core, beside the Ed25519 figures; and
# NE EAS off-chain attestations (version 2) made by the EAS SDK
# (tests/node/eth/gen-eas-bench.mjs, slow: the SDK signs about 100 a second).
# Needs node and bc.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
NE=${2:-5000}
cmake --preset release >/dev/null && cmake --build --preset release -j "$(nproc)" >/dev/null
gt=build/release/govtally
out=bench/out; mkdir -p "$out"
prop=$out/gen-single-choice-$N.json
[ -s "$prop" ] || node tests/node/peer/gen-votes.mjs single-choice "$N" 1 > "$prop"
att=$out/gen-att-$N
[ -s "$att/att.jsonl" ] || node tests/interop/gen-bench.mjs "$prop" "$att"

# best "$@": the best wall time of 3 runs, as "WALL CPU" seconds (CPU =
# user + system of that run). The machine may be shared: the load average
# is printed with the figures, and CPU time / wall time shows how many cores
# a run really had.
best() {
  local b= bc_=
  for _ in 1 2 3; do
    local t
    t=$( { TIMEFORMAT='%R %U %S'; time "$@" > /dev/null 2>&1 || [ $? -eq 1 ]; } 2>&1 )
    read -r r u s <<< "$t"
    if [ -z "$b" ] || [ "$(echo "$r < $b" | bc -l)" = 1 ]; then
      b=$r; bc_=$(echo "$u + $s" | bc -l)
    fi
  done
  printf '%.3f %.3f' "$b" "$bc_"
}
cores=$(nproc)
read -r t1 c1 <<< "$(best "$gt" attest verify -i "$att/issuers.json" --threads 1 "$att/att.jsonl")"
read -r tn cn <<< "$(best "$gt" attest verify -i "$att/issuers.json" --threads 0 "$att/att.jsonl")"
r0=n/a ra=n/a
if "$gt" run "$prop" --format json --schemes token > /dev/null 2>&1; then
  r0=$(best "$gt" run "$prop" --format json --schemes token | cut -d' ' -f1)
  ra=$(best "$gt" run "$prop" --format json -a "$att/att.jsonl" -i "$att/issuers.json" | cut -d' ' -f1)
fi
"$gt" attest verify -i "$att/issuers.json" "$att/att.jsonl"

# EIP-712: the same subjects and nullifiers, one Ethereum issuer.
eth=$out/gen-att-eth-$N
if [ ! -s "$eth/att.jsonl" ]; then
  mkdir -p "$eth"
  # keccak256("govtally bench issuer"), written as an Ethereum key file
  echo 0x3f408f1db679414ebda1b48f554d090cfbdc7de46e28a06d385920ebda45b48a > "$eth/issuer.key"
  node -e '
    const fs = require("fs");
    const lines = fs.readFileSync(process.argv[1], "utf8").trim().split("\n");
    const out = lines.map((l) => { const r = JSON.parse(l); return r.subject + "," + r.nullifier; });
    fs.writeFileSync(process.argv[2], out.join("\n") + "\n");' "$att/att.jsonl" "$eth/subjects.csv"
  "$gt" attest sign -k "$eth/issuer.key" --scope '*' --issued-at 1 "$eth/subjects.csv" > "$eth/att.jsonl"
  addr=$(head -c 200 "$eth/att.jsonl" | sed 's/.*"issuer":"\(0x[0-9a-f]*\)".*/\1/')
  echo "{\"v\": 1, \"issuers\": [{\"name\": \"bench-eth\", \"address\": \"$addr\"}]}" > "$eth/issuers.json"
fi
read -r e1 ec1 <<< "$(best "$gt" attest verify -i "$eth/issuers.json" --threads 1 "$eth/att.jsonl")"
read -r en ecn <<< "$(best "$gt" attest verify -i "$eth/issuers.json" --threads 0 "$eth/att.jsonl")"
"$gt" attest verify -i "$eth/issuers.json" "$eth/att.jsonl"

# EAS off-chain attestations through the SDK.
eas=$out/gen-eas-$NE
[ -s "$eas/eas.jsonl" ] || node tests/node/eth/gen-eas-bench.mjs "$NE" "$eas"
read -r s1 sc1 <<< "$(best "$gt" attest verify -i "$eas/issuers.json" --threads 1 "$eas/eas.jsonl")"
read -r sn scn <<< "$(best "$gt" attest verify -i "$eas/issuers.json" --threads 0 "$eas/eas.jsonl")"
"$gt" attest verify -i "$eas/issuers.json" "$eas/eas.jsonl"
echo
echo "load average at the end (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| attestations | threads | wall s | CPU s | attestations/s | speed-up |"
echo "|---:|---:|---:|---:|---:|---:|"
printf '| %d | 1 | %s | %s | %.0f | 1.00 |\n' "$N" "$t1" "$c1" "$(echo "$N / $t1" | bc -l)"
printf '| %d | %d (all cores) | %s | %s | %.0f | %.2f |\n' "$N" "$cores" "$tn" "$cn" \
  "$(echo "$N / $tn" | bc -l)" "$(echo "$t1 / $tn" | bc -l)"
echo
echo "| signature | threads | wall s | CPU s | attestations/s | speed-up | vs Ed25519 |"
echo "|---|---:|---:|---:|---:|---:|---:|"
printf '| Ed25519 | 1 | %s | %s | %.0f | 1.00 | 1.00 |\n' "$t1" "$c1" "$(echo "$N / $t1" | bc -l)"
printf '| Ed25519 | %d | %s | %s | %.0f | %.2f | 1.00 |\n' "$cores" "$tn" "$cn" \
  "$(echo "$N / $tn" | bc -l)" "$(echo "$t1 / $tn" | bc -l)"
printf '| EIP-712 | 1 | %s | %s | %.0f | 1.00 | %.2f |\n' "$e1" "$ec1" \
  "$(echo "$N / $e1" | bc -l)" "$(echo "$t1 / $e1" | bc -l)"
printf '| EIP-712 | %d | %s | %s | %.0f | %.2f | %.2f |\n' "$cores" "$en" "$ecn" \
  "$(echo "$N / $en" | bc -l)" "$(echo "$e1 / $en" | bc -l)" "$(echo "$tn / $en" | bc -l)"
echo
echo "| EAS records | threads | wall s | CPU s | records/s | CPU µs per record |"
echo "|---:|---:|---:|---:|---:|---:|"
printf '| %d | 1 | %s | %s | %.0f | %.0f |\n' "$NE" "$s1" "$sc1" "$(echo "$NE / $s1" | bc -l)" \
  "$(echo "$sc1 * 1000000 / $NE" | bc -l)"
printf '| %d | %d | %s | %s | %.0f | %.0f |\n' "$NE" "$cores" "$sn" "$scn" "$(echo "$NE / $sn" | bc -l)" \
  "$(echo "$scn * 1000000 / $NE" | bc -l)"
echo
echo "govtally run, $N votes: $r0 s without identity (token only), $ra s with $N attestations (all schemes)"
