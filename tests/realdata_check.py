#!/usr/bin/env python3
"""Checks the replays written by tests/realdata.sh against the oracle.

usage: realdata_check.py OUTDIR   (governor.csv, decentraland.csv,
tokenomics.csv from `govtally replay`, oracle.csv from oracle_flips.py)

Checks, each independent of govtally's code:
  * no replay row carries an error;
  * Compound Bravo proposal 86 ("Add Market: MATIC", defeated by one a16z
    vote): token winner Against (2), nakamoto 1, single voter dominates,
    decisive_k 1 (removing that one ballot flips the outcome);
  * proposals per dataset equal the oracle's count (and the counts that
    data/PROVENANCE.md states: 1067 Decentraland and 28 Tokenomics
    proposals with votes);
  * for every proposal the oracle covers: token winners, address winners,
    nakamoto and single_voter_dominates equal the oracle's.
Prints the table of docs/replay.md and exits 1 on any difference.
"""
import csv
import statistics
import sys
from collections import defaultdict

out = sys.argv[1]
rows = {}  # (dataset, proposal) -> replay row
counts = defaultdict(int)
bad = []
for name in ("governor", "decentraland", "tokenomics"):
    with open("%s/%s.csv" % (out, name), newline="") as f:
        for r in csv.DictReader(f):
            if r["error"]:
                bad.append("%s: error row: %s" % (name, r["error"]))
                continue
            ds = r["space"] if name == "governor" else name
            rows[(ds, r["proposal"])] = r
            counts[ds] += 1

p86 = rows.get(("compound_governor_bravo", "86"))
if not p86:
    bad.append("Compound Bravo proposal 86 missing")
else:
    want = {"token_winners": "2", "nakamoto": "1",
            "single_voter_dominates": "true", "decisive_k": "1"}
    for k, v in want.items():
        if p86[k] != v:
            bad.append("proposal 86: %s is %r, expected %r" % (k, p86[k], v))

oracle = defaultdict(list)
with open("%s/oracle.csv" % out, newline="") as f:
    for o in csv.DictReader(f):
        oracle[o["dataset"]].append(o)
expected_counts = {ds: len(v) for ds, v in oracle.items()}
expected_counts["decentraland"] = 1067  # PROVENANCE.md
expected_counts["tokenomics"] = 28      # PROVENANCE.md (25 plain + 3 weighted)
for ds, n in sorted(expected_counts.items()):
    if counts.get(ds, 0) != n:
        bad.append("%s: %d proposals replayed, expected %d"
                   % (ds, counts.get(ds, 0), n))
if oracle["decentraland"] and len(oracle["decentraland"]) != 1067:
    bad.append("oracle: %d Decentraland proposals, PROVENANCE says 1067"
               % len(oracle["decentraland"]))

checked = 0
for ds, lst in oracle.items():
    for o in lst:
        r = rows.get((ds, o["proposal"]))
        if r is None:
            bad.append("%s %s: no replay row" % (ds, o["proposal"]))
            continue
        checked += 1
        for k in ("token_winners", "address_winners", "nakamoto",
                  "single_voter_dominates"):
            if r[k] != o[k]:
                bad.append("%s %s: %s replay %r oracle %r"
                           % (ds, o["proposal"], k, r[k], o[k]))

# The table of docs/replay.md.
print("| dataset | proposals | token vs address flips (oracle) | "
      "single voter dominates | median Nakamoto |")
print("| --- | ---: | ---: | ---: | ---: |")
order = ["compound_governor_alpha", "compound_governor_bravo",
         "aave_governance_v2", "lido_governance", "uniswap_governor_alpha",
         "uniswap_governor_alphav2", "decentraland", "tokenomics"]
for ds in order:
    rs = [r for (d, _), r in rows.items() if d == ds]
    flips = sum(1 for r in rs if "address" in r["flips"].split("|"))
    oflips = sum(1 for o in oracle[ds]
                 if o["token_winners"] != o["address_winners"])
    svd = sum(1 for r in rs if r["single_voter_dominates"] == "true")
    med = statistics.median(int(r["nakamoto"]) for r in rs) if rs else 0
    med = int(med) if med == int(med) else med
    print("| %s | %d | %d (%d) | %d | %s |" % (ds, len(rs), flips, oflips,
                                              svd, med))
print("%d proposals compared with the oracle" % checked)
for b in bad[:50]:
    print("MISMATCH " + b)
if bad:
    print("%d mismatches" % len(bad))
    sys.exit(1)
print("realdata: all checks pass")
