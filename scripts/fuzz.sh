#!/usr/bin/env bash
# Runs libFuzzer targets one after the other, one process on one core at the
# lowest priority, each on its corpus in build/fuzz/corpus/NAME (the seeds of
# the repository are copied in when missing; the new entries libFuzzer finds
# stay there for the next run, whichever build found them). Crashes go to
# build/fuzz/crashes/NAME/.
#   usage: scripts/fuzz.sh [--fast] [--runs N] [SECONDS_EACH] [TARGET...]
#     --fast      the `fuzz-fast` preset (-O2, UndefinedBehaviorSanitizer
#                 only: several times the executions per second) instead of
#                 the `fuzz` preset (AddressSanitizer + UBSan, -O0)
#     --runs N    stop each target after N executions
#     SECONDS_EACH  time budget of each target (default 60; 0 = none, which
#                 needs --runs)
# Prints one line per target (build, executions, exec/s, corpus files,
# libFuzzer's final cov: and ft: figures) and exits non-zero when a target
# found a crash, a leak, undefined behaviour or a time-out.
set -uo pipefail
cd "$(dirname "$0")/.."
preset=fuzz runs=
while [ $# -gt 0 ]; do
  case $1 in
  --fast) preset=fuzz-fast; shift ;;
  --runs) runs=$2; shift 2 ;;
  -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
  *) break ;;
  esac
done
secs=${1:-60}; shift || true
case $secs in ''|*[!0-9]*) echo "fuzz.sh: SECONDS_EACH must be a number" >&2; exit 64 ;; esac
[ "$secs" -eq 0 ] && [ -z "$runs" ] && { echo "fuzz.sh: 0 seconds needs --runs" >&2; exit 64; }
# target and the seeds of its corpus
declare -A seeds=(
  [fuzz_reader]="examples/*/proposal.json fixtures/*/proposal.json tests/fuzz/reader/*"
  [fuzz_number]="tests/fuzz/numbers/*"
  [fuzz_import]="tests/fuzz/import/*"
  [fuzz_attest]="tests/fuzz/attest/*"
  [fuzz_fixture]="tests/fuzz/fixture/*"
  [fuzz_abi]="tests/fuzz/abi/*"
  [fuzz_fetch]="tests/fuzz/fetch-seeds/*"
  [fuzz_eas]="tests/fuzz/eas/*"
)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_reader fuzz_number fuzz_import fuzz_attest fuzz_fixture fuzz_abi fuzz_fetch fuzz_eas)
for t in "${targets[@]}"; do
  [ -n "${seeds[$t]+x}" ] || { echo "fuzz.sh: no target $t" >&2; exit 64; }
done
cmake --preset "$preset" >/dev/null || exit 1
cmake --build --preset "$preset" -j 1 --target $(printf '%s_libfuzzer ' "${targets[@]}") >/dev/null || exit 1
limits=(-timeout=20 -rss_limit_mb=3000 -print_final_stats=1)
[ "$secs" -gt 0 ] && limits+=(-max_total_time="$secs")
[ -n "$runs" ] && limits+=(-runs="$runs")
status=0
for t in "${targets[@]}"; do
  bin=build/$preset/tests/fuzz/${t}_libfuzzer
  [ -x "$bin" ] || { echo "$t: no binary $bin"; status=1; continue; }
  corpus=build/fuzz/corpus/$t; crashes=build/fuzz/crashes/$t; log=build/$preset/$t.log
  mkdir -p "$corpus" "$crashes"
  for f in ${seeds[$t]}; do cp -n "$f" "$corpus/$(echo "$f" | tr / _)"; done
  nice -n 19 "$bin" "${limits[@]}" -artifact_prefix="$crashes/" "$corpus" >"$log" 2>&1
  rc=$?
  fstat() { grep -o "stat::$1: *[0-9]*" "$log" | grep -o '[0-9]*$'; }
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
  printf '%s: %s build, %s executions, %s exec/s, corpus %s files, %s, exit %s\n' \
    "$t" "$preset" "$(fstat number_of_executed_units)" "$(fstat average_exec_per_sec)" \
    "$(ls "$corpus" | wc -l)" "${cov:-cov: ?}" "$rc"
  [ $rc -eq 0 ] || { status=1; tail -30 "$log"; }
done
exit $status
