#!/usr/bin/env python3
"""Independent oracle for the outcomes of `govtally replay` on the real data.

Reads the CSV files of ../shared/data with Python's csv module (the loaders
of oracle_flips.py: one ballot per voter, the greatest (created, id)), with
exact fractions, and decides every proposal as docs/outcomes.md says the
sources decide (written from the sources' comparisons, not from govtally's
code):

  compound (GovernorAlpha, GovernorBravo; Compound's and Uniswap's):
      failed-quorum when For < quorumVotes, else passed when For > Against,
      else rejected; quorum_k: the fewest For voters, largest first, whose
      absence makes For < quorumVotes.
  snapshot (basic proposals of the Tokenomics table, quorum from its
      `quorum` column; 0 = none): failed-quorum when scores_total (every
      ballot's vp, valid or not) < quorum, else For > Against; quorum_k over
      every ballot's vp.

and the same under the address scheme (one vote per ballot; the quorum,
judged in voting power, is shared). Compares with govtally's gvt-replay/1
JSON output and prints the table of docs/replay.md (per DAO: proposals,
passed, would pass under address, failed quorum, blocked by the quorum).

usage: oracle_outcomes.py DATA_DIR NAME=REPLAY.json...
  NAME is a governor file's name (compound_governor_bravo, ...) or
  "tokenomics".
Exit 1 on the first disagreement, naming the proposal.
"""
import csv
import json
import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_flips import governor_ballots, keep_latest, unix  # noqa: E402

# quorumVotes of each contract (docs/outcomes.md#compound): 400000e18 COMP
# (GovernorAlpha, GovernorBravo), 40_000_000e18 UNI (both GovernorAlphas).
QUORUM = {
    "compound_governor_alpha": Fraction(400000),
    "compound_governor_bravo": Fraction(400000),
    "uniswap_governor_alpha": Fraction(40000000),
    "uniswap_governor_alphav2": Fraction(40000000),
}


def tokenomics_ballots(data):
    raw = ("%s/Research-Publications-and-Data__Tokenomics-As-Institutional"
           "_Design/data/raw" % data)
    with open(raw + "/snapshot_proposals.csv", newline="") as f:
        meta = {r["proposal_id"]: r for r in csv.DictReader(f)}
    store = {}
    with open(raw + "/snapshot_votes.csv", newline="") as f:
        for row in csv.DictReader(f):
            pid = row["proposal_id"]
            if meta.get(pid, {}).get("type") != "basic":
                continue
            c = row["choice"].strip()
            choice = int(c) if c.isdigit() else 0  # 0: not a choice number
            keep_latest(store, pid, row["voter"].lower(), unix(row["created"]),
                        "", choice, Fraction(row["voting_power"]))
    quorum = {pid: Fraction(m["quorum"] or "0") for pid, m in meta.items()}
    return store, quorum


def decide(ballots, quorum, snapshot):
    """The token outcome, the address outcome, quorum_k, blocked."""
    f = sum((b[3] for b in ballots.values() if b[2] == 1), Fraction(0))
    a = sum((b[3] for b in ballots.values() if b[2] == 2), Fraction(0))
    nf = sum(1 for b in ballots.values() if b[2] == 1)
    na = sum(1 for b in ballots.values() if b[2] == 2)
    if snapshot:  # scores_total: every ballot, valid or not
        contrib = [b[3] for b in ballots.values()]
    else:  # For only
        contrib = [b[3] for b in ballots.values() if b[2] == 1]
    figure = sum(contrib, Fraction(0))
    has_quorum = quorum > 0
    failed = has_quorum and figure < quorum
    token = "failed-quorum" if failed else "passed" if f > a else "rejected"
    address = "failed-quorum" if failed else "passed" if nf > na else "rejected"
    k = None
    if token == "passed" and has_quorum:
        left = figure
        for i, v in enumerate(sorted((v for v in contrib if v > 0),
                                     reverse=True), 1):
            left -= v
            if left < quorum:
                k = i
                break
    return token, address, k, failed and f > a


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    data = sys.argv[1]
    rows = []
    bad = 0
    for arg in sys.argv[2:]:
        name, _, path = arg.partition("=")
        with open(path) as fh:
            got = json.load(fh)
        if name == "tokenomics":
            store, quorum = tokenomics_ballots(data)
            snapshot = True
        else:
            store = governor_ballots(data, name)
            quorum = {pid: QUORUM[name] for pid in store}
            snapshot = False
        counts = {}
        for row in got["proposals"]:
            pid = row.get("proposal")
            if pid not in store:
                continue
            token, address, k, blocked = decide(store[pid], quorum[pid],
                                                snapshot)
            d = row["decision"]
            space = row["space"] if name == "tokenomics" else name
            mine = (token, address, k, blocked)
            theirs = (d["outcome"], row["outcomes"]["address"], d["quorum_k"],
                      d["blocked_by_quorum"])
            if mine != theirs:
                print("DIFF %s %s: oracle %s, govtally %s"
                      % (name, pid, mine, theirs))
                bad += 1
            c = counts.setdefault(space, [0, 0, 0, 0, 0])
            c[0] += 1
            c[1] += token == "passed"
            c[2] += address == "passed"
            c[3] += token == "failed-quorum"
            c[4] += blocked
        rows.extend((s, *c) for s, c in counts.items())
    print("| DAO | proposals | passed | would pass by address | failed quorum "
          "| blocked by the quorum |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print("| %s | %d | %d | %d | %d | %d |" % r)
    if bad:
        print("oracle_outcomes: %d proposals disagree" % bad)
        sys.exit(1)
    print("oracle_outcomes: %d DAOs, every outcome agrees" % len(rows))


if __name__ == "__main__":
    main()
