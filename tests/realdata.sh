#!/bin/sh
# realdata.sh: replays the real governance histories of ../shared/data (never
# copied into the repository) and checks them against tests/oracle_flips.py,
# an independent computation in Python with exact fractions.
#   usage: realdata.sh GOVTALLY REPO_ROOT [OUTDIR]
# Exit 77 (ctest: skipped) when the data folder is absent.
set -eu
NAME=realdata
# shellcheck source=tests/shared_data.sh
. "$(dirname "$0")/shared_data.sh"
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
