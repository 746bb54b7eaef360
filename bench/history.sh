#!/usr/bin/env bash
# history.sh: replay of a synthetic history shaped like Snapshot's
# (bench/gen-history.c: census 2024, ~221,000 proposals and ~52M votes at
# scale 1, heavy-tailed sizes, the census's type mix), as ratios measured in
# one run. Prints three Markdown tables:
#
# 1. The history at each scale on 1 and 2 threads: wall and CPU seconds,
#    votes per second, peak memory (GNU time), speed-up 1 -> 2 threads.
#    Scale 0.1 is generated once into bench/out/ (~1 GB); scale 1 (~9.7 GB)
#    is never stored: gen-history writes it into a pipe that `govtally
#    replay -` reads (the generator's own CPU time is reported apart).
# 2. Per-vote cost: replay of 100,000 proposals of 10 votes and of 1,000
#    proposals of 1,000 votes, and `run` on one proposal of 1,000,000 votes
#    (single-choice, the same four schemes as replay), on one thread.
# 3. Whether the outputs are byte-identical over thread counts, and with
#    the history read from a file or from a pipe.
#
# Each figure is the median of RUNS runs (default 3), the thread counts and
# the inputs of table 2 taken in turn within each round, so that a slower
# minute of a shared machine weighs on all of them alike; scale 1 (through
# the pipe, over a minute a run) is run PIPE_RUNS times (default 1).
#
# usage: [SCALES="0.1 1"] [THREADS="1 2"] [RUNS=3] [PIPE_RUNS=1] bench/history.sh
# Needs GNU time (apt-get install time). Builds the release preset.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALES=${SCALES:-0.1 1}
THREADS=${THREADS:-1 2}
RUNS=${RUNS:-3}
PIPE_RUNS=${PIPE_RUNS:-1}
command -v /usr/bin/time >/dev/null || {
    echo "history.sh: needs GNU time (apt-get install time)" >&2
    exit 1
}
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" >/dev/null
gt=$PWD/build/release/govtally
gen=$PWD/build/release/gen-history
out=bench/out
mkdir -p "$out"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo);" \
    "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%d)"

# measure LABEL CMD...: runs CMD under GNU time; prints "wall cpu maxrss_kib"
measure() {
    local tf=$out/time.$$
    /usr/bin/time -f "%e %U %S %M" -o "$tf" "$@"
    awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$tf"
    rm -f "$tf"
}

# median_of "wall cpu rss" LINES...: the median wall and CPU, the largest rss
median_of() {
    local k=$((($# + 1) / 2))
    col() { printf '%s\n' "${@:2}" | awk -v f="$1" '{print $f}' | sort -g; }
    echo "$(col 1 "$@" | sed -n "${k}p") $(col 2 "$@" | sed -n "${k}p") $(col 3 "$@" | tail -1)"
}

# ---- 1. the history ------------------------------------------------------
echo
echo "| scale | proposals | votes | threads | wall s | CPU s | votes/s | peak MiB | speed-up |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
declare -A rows
speedups=()
for s in $SCALES; do
    info=$("$gen" --scale "$s" 2>&1 >/dev/null | tail -1)
    props=$(echo "$info" | awk '{print $2}')
    votes=$(echo "$info" | awk '{print $4}')
    if [ "$s" = 1 ]; then
        src=pipe
    else
        src=$out/history-$s.jsonl
        [ -s "$src" ] || "$gen" --scale "$s" >"$src" 2>/dev/null
    fi
    runs=$RUNS
    [ "$src" != pipe ] || runs=$PIPE_RUNS
    declare -A got=()
    for ((k = 0; k < runs; k++)); do
        for t in $THREADS; do
            o=$out/history-$s-t$t.csv
            if [ "$src" = pipe ]; then
                r=$("$gen" --scale "$s" 2>/dev/null |
                    measure "$gt" replay - --threads "$t" -o "$o")
            else
                r=$(measure "$gt" replay "$src" --threads "$t" -o "$o")
            fi
            got[$t]+="$r"$'\n'
        done
    done
    first=
    for t in $THREADS; do
        o=$out/history-$s-t$t.csv
        mapfile -t lines <<<"${got[$t]%$'\n'}"
        read -r wall cpu rss <<<"$(median_of "${lines[@]}")"
        [ -n "$first" ] || first=$wall
        rows[$s-$t]=$o
        speedups+=("scale $s: $t threads $(awk -v f="$first" -v w="$wall" \
            'BEGIN { printf "%.2f", f / w }')x faster than ${THREADS%% *} (wall)")
        awk -v s="$s" -v p="$props" -v v="$votes" -v t="$t" -v w="$wall" \
            -v c="$cpu" -v m="$rss" -v f="$first" 'BEGIN {
            printf "| %s | %d | %d | %d | %.1f | %.1f | %.0f | %.0f | %.2fx |\n",
                s, p, v, t, w, c, v / w, m / 1024, f / w }'
    done
done
echo
for l in "${speedups[@]}"; do
    case $l in *" ${THREADS%% *} threads "*) continue ;; esac
    echo "$l (goal: 1 -> 2 threads at least 1.8x)."
done
if [[ " $SCALES " == *" 1 "* ]]; then
    r=$(measure sh -c "'$gen' --scale 1 >/dev/null 2>&1")
    read -r wall cpu rss <<<"$r"
    echo
    echo "The generator alone at scale 1 (to /dev/null): ${wall} s wall, ${cpu} s CPU."
fi

# ---- 2. per-vote cost ----------------------------------------------------
small=$out/size-10.jsonl
large=$out/size-1000.jsonl
one=$out/one-1m.json
[ -s "$small" ] || "$gen" --size 10 --proposals 100000 >"$small" 2>/dev/null
[ -s "$large" ] || "$gen" --size 1000 --proposals 1000 >"$large" 2>/dev/null
[ -s "$one" ] || "$gen" --size 1000000 --proposals 1 --type single-choice >"$one" 2>/dev/null
echo
echo "| input | proposals | votes | threads | wall s | CPU s | CPU µs/vote | peak MiB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
declare -A us
line() { # NAME PROPOSALS VOTES THREADS "wall cpu rss"
    read -r wall cpu rss <<<"$5"
    us[$1]=$(awk -v c="$cpu" -v v="$3" 'BEGIN {printf "%.3f", c * 1e6 / v}')
    awk -v n="$1" -v p="$2" -v v="$3" -v t="$4" -v w="$wall" -v c="$cpu" \
        -v m="$rss" 'BEGIN {
        printf "| %s | %d | %d | %d | %.2f | %.2f | %.3f | %.0f |\n",
            n, p, v, t, w, c, c * 1e6 / v, m / 1024 }'
}
h=$out/history-0.1.jsonl
declare -A per=()
for ((k = 0; k < RUNS; k++)); do
    per[small]+="$(measure "$gt" replay "$small" --threads 1 -o /dev/null)"$'\n'
    per[large]+="$(measure "$gt" replay "$large" --threads 1 -o /dev/null)"$'\n'
    per[one]+="$(measure "$gt" run "$one" --threads 1 --format json \
        --schemes snapshot,token,address,quadratic -o /dev/null)"$'\n'
    if [ -s "$h" ]; then
        per[h]+="$(measure "$gt" replay "$h" --threads 1 -o /dev/null)"$'\n'
    fi
done
med() { mapfile -t lines <<<"${per[$1]%$'\n'}"; median_of "${lines[@]}"; }
line "replay, 10 votes each" 100000 1000000 1 "$(med small)"
line "replay, 1,000 votes each" 1000 1000000 1 "$(med large)"
line "run, one of 1,000,000" 1 1000000 1 "$(med one)"
if [ -s "$h" ]; then
    hv=$("$gen" --scale 0.1 2>&1 >/dev/null | awk '{print $4}')
    line "replay, history at 0.1" 22100 "$hv" 1 "$(med h)"
fi
echo
awk -v a="${us[replay, 10 votes each]}" -v b="${us[replay, 1,000 votes each]}" \
    -v r="${us[run, one of 1,000,000]}" -v h="${us[replay, history at 0.1]:-0}" 'BEGIN {
    printf "10-vote proposals cost %.2fx per vote what 1,000-vote ones do (goal: at most 2x).\n", a / b
    if (h > 0)
        printf "The history at 0.1 costs %.2fx per vote what run on 1,000,000 votes does (goal: at most 1.5x).\n", h / r
}'

# ---- 3. identical outputs ------------------------------------------------
echo
for s in $SCALES; do
    base=
    for t in $THREADS; do
        o=${rows[$s-$t]}
        if [ -z "$base" ]; then base=$o; continue; fi
        cmp -s "$base" "$o" && same=yes || same=NO
        echo "scale $s: rows on $t threads identical to the first: $same"
    done
done
first_rows=${rows[0.1-${THREADS%% *}]:-}
if [ -n "$first_rows" ]; then
    "$gen" --scale 0.1 2>/dev/null | "$gt" replay - --threads 2 -o "$out/pipe.csv"
    cmp -s "$out/pipe.csv" "$first_rows" && same=yes || same=NO
    echo "scale 0.1 read from a pipe: rows identical to the file's: $same"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
