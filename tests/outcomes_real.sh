#!/bin/sh
# outcomes_real.sh: the decisions of the real governance histories of
# ../shared/data (never copied into the repository): each DAO replayed with
# its rule's quorum (docs/outcomes.md, docs/replay.md), checked against
# tests/oracle_outcomes.py, an independent computation with exact fractions.
#   usage: outcomes_real.sh GOVTALLY REPO_ROOT [OUTDIR]
# Exit 77 (ctest: skipped) when the data folder is absent.
set -eu
NAME=outcomes_real
# shellcheck source=tests/shared_data.sh
. "$(dirname "$0")/shared_data.sh"
TOK=$DATA/Research-Publications-and-Data__Tokenomics-As-Institutional_Design/data/raw
args=""
for dao in compound_governor_alpha:400000 compound_governor_bravo:400000 \
           uniswap_governor_alpha:40000000 uniswap_governor_alphav2:40000000; do
    name=${dao%%:*}
    "$BIN" replay --format json --from governor-csv --quorum "${dao#*:}" \
        "$G/$name.csv" -o "$OUT/$name.json"
    args="$args $name=$OUT/$name.json"
done
"$BIN" replay --format json --from csv --type auto \
    --proposals "$TOK/snapshot_proposals.csv" \
    --map 'voter=voter,choice=choice,vp=voting_power,proposal=proposal_id,created=created,space=symbol' \
    "$TOK/snapshot_votes.csv" -o "$OUT/tokenomics.json"
# shellcheck disable=SC2086
python3 "$ROOT/tests/oracle_outcomes.py" "$DATA" $args \
    "tokenomics=$OUT/tokenomics.json"
