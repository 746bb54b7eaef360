#!/usr/bin/env bash
# Runs every libFuzzer target of the `fuzz` preset for a chosen time, one
# after the other on one core, each on its corpus in build/fuzz/corpus/NAME
# (seeded from the repository the first time; the new entries libFuzzer finds
# stay there for the next run). Crashes go to build/fuzz/crashes/NAME/.
#   usage: scripts/fuzz.sh [SECONDS_EACH] [TARGET...]   (default 60, all)
# Exits non-zero when a target found a crash, a leak or a time-out.
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}; shift || true
# target and the seeds of its corpus
declare -A seeds=(
  [fuzz_reader]="examples/*/proposal.json fixtures/*/proposal.json"
  [fuzz_number]="tests/fuzz/numbers/*"
  [fuzz_import]="tests/fuzz/import/*"
  [fuzz_attest]="tests/fuzz/attest/*"
  [fuzz_fixture]="tests/fuzz/fixture/*"
  [fuzz_abi]="tests/fuzz/abi/*"
  [fuzz_fetch]="tests/fuzz/fetch-seeds/*"
)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_reader fuzz_number fuzz_import fuzz_attest fuzz_fixture fuzz_abi fuzz_fetch)
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j 1 --target $(printf '%s_libfuzzer ' "${targets[@]}") >/dev/null || exit 1
status=0
for t in "${targets[@]}"; do
  bin=$(find build/fuzz/tests -name "${t}_libfuzzer" -type f | head -1)
  [ -x "$bin" ] || { echo "$t: no binary"; status=1; continue; }
  corpus=build/fuzz/corpus/$t; crashes=build/fuzz/crashes/$t
  mkdir -p "$corpus" "$crashes"
  if [ -z "$(ls -A "$corpus")" ]; then
    for f in ${seeds[$t]}; do cp "$f" "$corpus/$(echo "$f" | tr / _)"; done
  fi
  nice "$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=3000 \
    -artifact_prefix="$crashes/" -print_final_stats=1 "$corpus" \
    >"build/fuzz/$t.log" 2>&1
  rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "build/fuzz/$t.log" | grep -o '[0-9]*$')
  echo "$t: ${runs:-?} executions in ${secs}s, corpus $(ls "$corpus" | wc -l) files, exit $rc"
  [ $rc -eq 0 ] || { status=1; tail -20 "build/fuzz/$t.log"; }
done
exit $status
