#!/usr/bin/env bash
# Benchmark: govtally against the reference peer (Snapshot's own scoring,
# snapshot.js via tests/node/peer/score.mjs), measured in the same run on the
# same synthetic exports (tests/node/peer/gen-votes.mjs, seed 1, 1% invalid
# choices).
# Prints a Markdown table: wall time and peak memory of both, the ratios, and
# the largest relative difference between the two sets of scores; then the
# least speed-up and memory ratio over the types (issue 15's goals: 25x and
# 10x), and one proposal of BIG votes against one of N (bench/gen-history.c,
# single-choice, the same shape at both sizes): wall and CPU time, peak
# memory, and their ratios (goals: at most 11x the time, 10x the memory).
#
# usage: [RUNS=3] [BIG=10000000] bench/bench.sh [N=1000000] [TYPE...]
# Each program runs RUNS times per type, alternating; the table gives the
# median wall time and the largest peak memory of each. BIG=0 leaves out the
# large proposal (its export is about 1.9 GB, cached in bench/out/).
# Needs node, the Node harness (tests/node/install.sh, run by
# scripts/setup.sh) and GNU time (apt-get install time). Inputs are cached
# in bench/out/ (~290 bytes a vote).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}; shift || true
types=("$@")
RUNS=${RUNS:-3}
BIG=${BIG:-10000000}
[ ${#types[@]} -gt 0 ] || types=(single-choice basic approval ranked-choice copeland quadratic weighted)
peer=tests/node/peer
sh tests/node/install.sh
command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
cmake --preset release >/dev/null && cmake --build --preset release -j "$(nproc)" >/dev/null
gt=build/release/govtally
out=bench/out; mkdir -p "$out"

echo "machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%d)"
echo
summary=$out/bench-summary.$$
: > "$summary"
echo "| type | votes | MB | peer s | peer MiB | govtally s | govtally MiB | speed-up | memory ratio | max rel. diff |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for t in "${types[@]}"; do
  f=$out/gen-$t-$N.json
  [ -s "$f" ] || node $peer/gen-votes.mjs "$t" "$N" 1 0.01 > "$f"
  mb=$(( $(stat -c %s "$f") / 1000000 ))
  # RUNS runs of each, alternating; the median wall time (bash's
  # microsecond clock) and the largest peak memory (GNU time) of each.
  pt=(); gtt=(); pk=0; gk=0
  for ((k = 0; k < RUNS; k++)); do
    t0=$EPOCHREALTIME
    /usr/bin/time -f "%M" -o "$out/peer.time" node $peer/score.mjs "$f" > "$out/peer.json"
    t1=$EPOCHREALTIME
    /usr/bin/time -f "%M" -o "$out/gt.time" "$gt" run "$f" --format json --schemes snapshot -o "$out/gt.json"
    t2=$EPOCHREALTIME
    pt+=("$(python3 -c "print($t1 - $t0)")"); gtt+=("$(python3 -c "print($t2 - $t1)")")
    m=$(cat "$out/peer.time"); [ "$m" -gt "$pk" ] && pk=$m
    m=$(cat "$out/gt.time"); [ "$m" -gt "$gk" ] && gk=$m
  done
  ps=$(printf '%s\n' "${pt[@]}" | sort -g | sed -n "$(( (RUNS + 1) / 2 ))p")
  gs=$(printf '%s\n' "${gtt[@]}" | sort -g | sed -n "$(( (RUNS + 1) / 2 ))p")
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
print(f"| {t} | {int(n):,} | {mb} | {ps:.2f} | {pk/1024:.0f} | {gs:.3f} | {gk/1024:.0f} | {ps/max(gs,0.001):.1f}x | {pk/max(gk,1):.1f}x less | {diff} |")
PY
  python3 -c "print('$t', $ps / max($gs, 0.001), $pk / max($gk, 1))" >> "$summary"
done
echo
sort -k2 -g "$summary" | head -1 | awk '{printf "Least speed-up: %s, %.1fx (goal: at least 25x).\n", $1, $2}'
sort -k3 -g "$summary" | head -1 | awk '{printf "Least memory ratio: %s, %.1fx less (goal: at least 10x).\n", $1, $3}'
rm -f "$summary"

# ---- one proposal of BIG votes against one of N --------------------------
[ "$BIG" != 0 ] || exit 0
cmake --build --preset release -j "$(nproc)" --target gen_history >/dev/null
echo
echo "| votes | MB | wall s | CPU s | peak MiB |"
echo "|---:|---:|---:|---:|---:|"
declare -A wall cpu rss
for n in "$N" "$BIG"; do
  f=$out/one-sc-$n.json
  [ -s "$f" ] || build/release/gen-history --size "$n" --proposals 1 \
      --type single-choice > "$f" 2>/dev/null
done
ws=(); ws_big=(); cs=(); cs_big=(); rss[$N]=0; rss[$BIG]=0
for ((k = 0; k < RUNS; k++)); do
  for n in "$N" "$BIG"; do
    t0=$EPOCHREALTIME
    /usr/bin/time -f "%U %S %M" -o "$out/gt.time" "$gt" run "$out/one-sc-$n.json" \
        --format json --schemes snapshot -o /dev/null
    t1=$EPOCHREALTIME
    read -r u sy m < "$out/gt.time"
    w=$(python3 -c "print($t1 - $t0)"); c=$(python3 -c "print($u + $sy)")
    if [ "$n" = "$N" ]; then ws+=("$w"); cs+=("$c"); else ws_big+=("$w"); cs_big+=("$c"); fi
    [ "$m" -gt "${rss[$n]}" ] && rss[$n]=$m
  done
done
med() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }
wall[$N]=$(med "${ws[@]}"); wall[$BIG]=$(med "${ws_big[@]}")
cpu[$N]=$(med "${cs[@]}"); cpu[$BIG]=$(med "${cs_big[@]}")
for n in "$N" "$BIG"; do
  mb=$(( $(stat -c %s "$out/one-sc-$n.json") / 1000000 ))
  awk -v n="$n" -v mb="$mb" -v w="${wall[$n]}" -v c="${cpu[$n]}" -v m="${rss[$n]}" \
      'BEGIN { printf "| %d | %d | %.3f | %.3f | %.0f |\n", n, mb, w, c, m / 1024 }'
done
awk -v a="${wall[$BIG]}" -v b="${wall[$N]}" -v ca="${cpu[$BIG]}" -v cb="${cpu[$N]}" \
    -v ma="${rss[$BIG]}" -v mb="${rss[$N]}" -v big="$BIG" -v n="$N" 'BEGIN {
    printf "%d votes against %d: %.2fx the wall time (goal: at most 11x), %.2fx the CPU time, %.2fx the peak memory (goal: at most 10x).\n",
        big, n, a / b, ca / cb, ma / mb }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
