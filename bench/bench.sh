#!/usr/bin/env bash
# Benchmark: govtally against the reference peer (Snapshot's own scoring,
# snapshot.js via ../shared/peer/snapshot-score.mjs), measured in the same run
# on the same synthetic exports (gen-votes.mjs, seed 1, 1% invalid choices).
# Prints a Markdown table: wall time and peak memory of both, the ratios, and
# the largest relative difference between the two sets of scores.
#
# usage: bench/bench.sh [N=1000000] [TYPE...]
# Needs node, the peer (sh ../shared/peer/install.sh) and GNU time
# (apt-get install time). Inputs are cached in bench/out/ (~290 bytes a vote).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}; shift || true
types=("$@")
[ ${#types[@]} -gt 0 ] || types=(single-choice basic approval ranked-choice copeland quadratic weighted)
peer=../shared/peer
export PEER_NODE_MODULES=${PEER_NODE_MODULES:-$(sh $peer/install.sh)}
command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
cmake --preset release >/dev/null && cmake --build --preset release -j "$(nproc)" >/dev/null
gt=build/release/govtally
out=bench/out; mkdir -p "$out"

echo "| type | votes | MB | peer s | peer MiB | govtally s | govtally MiB | speed-up | memory ratio | max rel. diff |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for t in "${types[@]}"; do
  f=$out/$t-$N.json
  [ -s "$f" ] || node $peer/gen-votes.mjs "$t" "$N" 1 0.01 > "$f"
  mb=$(( $(stat -c %s "$f") / 1000000 ))
  /usr/bin/time -f "%e %M" -o "$out/peer.time" node $peer/snapshot-score.mjs "$f" > "$out/peer.json"
  /usr/bin/time -f "%e %M" -o "$out/gt.time" "$gt" run "$f" --format json --schemes snapshot -o "$out/gt.json"
  read -r ps pk < "$out/peer.time"; read -r gs gk < "$out/gt.time"
  diff=$(python3 - "$out/peer.json" "$out/gt.json" <<'PY'
import json, sys
from fractions import Fraction
peer = json.load(open(sys.argv[1])); ours = json.load(open(sys.argv[2]))
a = [Fraction(repr(x)) for x in peer["scores"]]
b = [Fraction(x) for x in ours["schemes"][0]["scores"]]
worst = 0
for x, y in zip(a, b):
    d = abs(x - y) / max(abs(x), abs(y), Fraction(1, 10**9))
    worst = max(worst, d)
print(f"{float(worst):.1e}")
PY
)
  python3 - "$t" "$N" "$mb" "$ps" "$pk" "$gs" "$gk" "$diff" <<'PY'
import sys
t, n, mb, ps, pk, gs, gk, diff = sys.argv[1:]
ps, gs, pk, gk = float(ps), float(gs), int(pk), int(gk)
print(f"| {t} | {int(n):,} | {mb} | {ps:.2f} | {pk/1024:.0f} | {gs:.2f} | {gk/1024:.0f} | {ps/max(gs,0.01):.1f}x | {pk/max(gk,1):.1f}x less | {diff} |")
PY
done
