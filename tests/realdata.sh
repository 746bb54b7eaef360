#!/bin/sh
# realdata.sh: replays the real governance histories of ../shared/data (never
# copied into the repository) and checks them against tests/oracle_flips.py,
# an independent computation in Python with exact fractions.
#   usage: realdata.sh GOVTALLY REPO_ROOT [OUTDIR]
# Exit 77 (ctest: skipped) when the data folder is absent.
set -eu
BIN=$1
ROOT=$2
DATA=$ROOT/../shared/data
if [ ! -d "$DATA/bhemen__dao-governance" ]; then
    echo "realdata: $DATA absent, skipped"
    exit 77
fi
OUT=${3:-$(mktemp -d "${TMPDIR:-/tmp}/gvt_realdata.XXXXXX")}
mkdir -p "$OUT"
G=$DATA/bhemen__dao-governance/data
DCL=$DATA/Decentraland-DAO__transparency/votes.csv
TOK=$DATA/Research-Publications-and-Data__Tokenomics-As-Institutional_Design/data/raw/snapshot_votes.csv

# The three commands of docs/replay.md.
"$BIN" replay --from governor-csv \
    "$G/compound_governor_alpha.csv" "$G/compound_governor_bravo.csv" \
    "$G/aave_governance_v2.csv" "$G/lido_governance.csv" \
    "$G/uniswap_governor_alpha.csv" "$G/uniswap_governor_alphav2.csv" \
    -o "$OUT/governor.csv"
"$BIN" replay --from csv \
    --map 'voter=Member,choice=Choice #,vp=VP,proposal=Proposal ID,created=Created,label=Choice' \
    "$DCL" -o "$OUT/decentraland.csv"
"$BIN" replay --from csv --type auto \
    --proposals "$(dirname "$TOK")/snapshot_proposals.csv" \
    --map 'voter=voter,choice=choice,vp=voting_power,proposal=proposal_id,created=created,space=symbol' \
    "$TOK" -o "$OUT/tokenomics.csv"

# The same replay on one thread gives the same bytes.
"$BIN" replay --threads 1 --from governor-csv "$G/compound_governor_bravo.csv" \
    -o "$OUT/bravo1.csv"
"$BIN" replay --threads 8 --from governor-csv "$G/compound_governor_bravo.csv" \
    -o "$OUT/bravo8.csv"
cmp "$OUT/bravo1.csv" "$OUT/bravo8.csv"

python3 "$ROOT/tests/oracle_flips.py" "$DATA" > "$OUT/oracle.csv"
python3 "$ROOT/tests/realdata_check.py" "$OUT"
