#!/bin/sh
# replay.sh: replays every vote history of ../shared/data
# (docs/formats.md#replay-summary) and
# reports wall time, proposals/s and votes/s on one thread and on every core,
# with the speed-up and a check that both outputs are byte-identical.
#   usage: bench/replay.sh [GOVTALLY] [RUNS]
# GOVTALLY defaults to build/release/govtally (cmake --preset release &&
# cmake --build --preset release). Reported: the best of RUNS (default 3).
# The data stays where it is: nothing is copied into the repository.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/build/release/govtally}
RUNS=${2:-3}
DATA=$ROOT/../shared/data
[ -d "$DATA/bhemen__dao-governance" ] || { echo "no $DATA" >&2; exit 77; }
G=$DATA/bhemen__dao-governance/data
DCL=$DATA/Decentraland-DAO__transparency/votes.csv
TOK=$DATA/Research-Publications-and-Data__Tokenomics-As-Institutional_Design/data/raw/snapshot_votes.csv
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gvt_bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# One pass over all data: three replays (they need different import
# options), outputs concatenated.
all() { # THREADS OUT
    "$BIN" replay --threads "$1" --from governor-csv \
        "$G/compound_governor_alpha.csv" "$G/compound_governor_bravo.csv" \
        "$G/aave_governance_v2.csv" "$G/lido_governance.csv" \
        "$G/uniswap_governor_alpha.csv" "$G/uniswap_governor_alphav2.csv" \
        -o "$2.1"
    "$BIN" replay --threads "$1" --from csv \
        --map 'voter=Member,choice=Choice #,vp=VP,proposal=Proposal ID,created=Created,label=Choice' \
        "$DCL" -o "$2.2"
    "$BIN" replay --threads "$1" --from csv --type auto \
    --proposals "$(dirname "$TOK")/snapshot_proposals.csv" \
        --map 'voter=voter,choice=choice,vp=voting_power,proposal=proposal_id,created=created,space=symbol' \
        "$TOK" -o "$2.3"
    cat "$2.1" "$2.2" "$2.3" > "$2"
}

now() { date +%s.%N; }
best() { # THREADS OUT -> best wall seconds
    b=
    i=0
    while [ $i -lt "$RUNS" ]; do
        t0=$(now); all "$1" "$2"; t1=$(now)
        b=$(echo "$t0 $t1 ${b:-}" | awk '{d=$2-$1; if ($3=="" || d<$3) print d; else print $3}')
        i=$((i + 1))
    done
    echo "$b"
}

CORES=$(getconf _NPROCESSORS_ONLN)
T1=$(best 1 "$TMP/one.csv")
TN=$(best 0 "$TMP/all.csv")
cmp -s "$TMP/one.csv" "$TMP/all.csv" && SAME=yes || SAME=NO
# proposals = data rows; votes = the ballots column (4th) of the rows
P=$(awk -F, 'FNR>1 && $1!="proposal"' "$TMP/one.csv" | wc -l)
V=$(awk -F, '$1!="proposal" {s+=$4} END {print s}' "$TMP/one.csv")
echo "govtally replay of ../shared/data: $P proposals, $V ballots"
awk -v t1="$T1" -v tn="$TN" -v p="$P" -v v="$V" -v c="$CORES" -v same="$SAME" 'BEGIN {
    printf "threads  wall_s  proposals/s  votes/s\n"
    printf "%7d  %6.3f  %11.0f  %7.0f\n", 1, t1, p/t1, v/t1
    printf "%7d  %6.3f  %11.0f  %7.0f\n", c, tn, p/tn, v/tn
    printf "speed-up %.2fx on %d cores; outputs byte-identical: %s\n", t1/tn, c, same
}'

# Against the peer (Snapshot's own scoring, node), on the largest proposal:
# the peer's scoring time alone (PEER_TIMING score_ms, module loading
# excluded) vs govtally's whole `run` (read, four schemes, whale analysis).
PEER=$ROOT/tests/node/peer/score.mjs
if command -v node >/dev/null 2>&1 && sh "$ROOT/tests/node/install.sh"; then
    "$BIN" import csv --proposals "$(dirname "$TOK")/snapshot_proposals.csv" \
        --map 'voter=voter,choice=choice,vp=voting_power,proposal=proposal_id,created=created,space=symbol' \
        "$TOK" -o "$TMP/tok.jsonl" 2>/dev/null
    awk 'length > max {max = length; line = $0} END {print line}' \
        "$TMP/tok.jsonl" > "$TMP/big.json"
    PMS=$(PEER_TIMING=1 node "$PEER" "$TMP/big.json" 2>&1 >/dev/null |
        sed -n 's/.*"score_ms":\([0-9.]*\).*/\1/p')
    GB=
    i=0
    while [ $i -lt "$RUNS" ]; do
        t0=$(now); "$BIN" run "$TMP/big.json" --format json >/dev/null; t1=$(now)
        GB=$(echo "$t0 $t1 ${GB:-}" | awk '{d=$2-$1; if ($3=="" || d<$3) print d; else print $3}')
        i=$((i + 1))
    done
    NV=$(grep -o '"voter"' "$TMP/big.json" | wc -l)
    awk -v p="$PMS" -v g="$GB" -v n="$NV" 'BEGIN {
        printf "largest proposal (%d votes): peer scoring %.1f ms, govtally run %.1f ms (ratio %.2f)\n", n, p, g*1000, p/(g*1000)
    }'
fi
