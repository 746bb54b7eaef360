#!/usr/bin/env python3
"""Independent oracle for `govtally replay` on the real data (tests/realdata.sh).

Reads the CSV files of ../shared/data directly (Python's csv module, not
govtally's import), with exact rationals (fractions.Fraction), and computes
per proposal what docs/schemes.md and docs/analysis.md define for the token
and address schemes:

  token winners, address winners, nakamoto, single_voter_dominates

for every proposal whose ballots are plain choice numbers (governor events,
Decentraland's votes, and the Tokenomics proposals whose choice cells are all
integers). Weighted and approval ballots are left out: their validity rules
are Snapshot's, and re-implementing them here would not be independent.

Rules applied, written from docs/formats.md, docs/schemes.md and
docs/analysis.md (not from govtally's code):
  * one ballot per voter (addresses compare case-insensitively): the greatest
    (created, id) stands; governor ids are "txhash:log_index";
  * governor support: 1/True For (1), 0/False Against (2), 2 Abstain (3);
    Tokenomics proposals take their type from snapshot_proposals.csv;
    weights are integers of base units divided by 10**18; only the events
    VoteCast, VoteEmitted and CastVote are votes;
  * winners: the greatest score, several on a tie, none when it is zero; for
    basic only For or Against can win;
  * nakamoto: smallest k with the k largest vp > W/2 (0 when W = 0);
    single_voter_dominates: largest vp > W - largest vp.

Output (stdout): CSV "dataset,proposal,token_winners,address_winners,
nakamoto,single_voter_dominates" with winners joined by "|".
Usage: oracle_flips.py DATA_DIR
"""
import csv
import datetime
import sys
from fractions import Fraction

GOVERNOR_FILES = [
    "compound_governor_alpha", "compound_governor_bravo", "aave_governance_v2",
    "lido_governance", "uniswap_governor_alpha", "uniswap_governor_alphav2",
]
VOTE_EVENTS = {"VoteCast", "VoteEmitted", "CastVote"}


def first_col(header, names):
    for n in names:
        if n in header:
            return n
    raise SystemExit("missing column among %s" % names)


def int_id(s):
    """'43.0' -> '43' (integers written as floats); other ids unchanged."""
    head, dot, tail = s.partition(".")
    if head.isdigit() and (not dot or set(tail) <= {"0"}):
        return str(int(head))
    return s


def unix(s):
    if s.isdigit():
        return int(s)
    d = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    if d.tzinfo is None:
        d = d.replace(tzinfo=datetime.timezone.utc)
    return int(d.timestamp())


def winners(scores, basic):
    keys = [1, 2] if basic else sorted(scores)
    best = max((scores.get(k, 0) for k in keys), default=0)
    if best <= 0:
        return []
    return [k for k in keys if scores.get(k, 0) == best]


def summarize(dataset, pid, ballots, basic):
    """ballots: {voter: (created, id, choice, vp)} after dedupe."""
    token, heads = {}, {}
    for _, _, choice, vp in ballots.values():
        token[choice] = token.get(choice, 0) + vp
        heads[choice] = heads.get(choice, 0) + 1
    vps = sorted((b[3] for b in ballots.values()), reverse=True)
    total = sum(vps, Fraction(0))
    nakamoto, acc = 0, Fraction(0)
    if total > 0:
        for k, v in enumerate(vps, 1):
            acc += v
            if acc * 2 > total:
                nakamoto = k
                break
    svd = bool(vps) and vps[0] > total - vps[0]
    join = lambda w: "|".join(str(x) for x in w)
    return [dataset, pid, join(winners(token, basic)),
            join(winners(heads, basic)), str(nakamoto),
            "true" if svd else "false"]


def keep_latest(store, pid, voter, created, vid, choice, vp):
    props = store.setdefault(pid, {})
    cur = props.get(voter)
    key = (created if created is not None else -(2 ** 63), vid)
    if cur is None or key > (cur[0], cur[1]):
        props[voter] = (key[0], key[1], choice, vp)


def governor_ballots(data, name):
    """The ballots of a governor file: {proposal: {voter: (created, id,
    choice, vp)}}, one per voter (the latest). Shared with
    oracle_outcomes.py."""
    path = "%s/bhemen__dao-governance/data/%s.csv" % (data, name)
    store = {}
    with open(path, newline="") as f:
        r = csv.DictReader(f)
        h = r.fieldnames
        cp = first_col(h, ["proposalId", "id", "voteId"])
        cs = first_col(h, ["support", "supports"])
        cw = first_col(h, ["votes", "votingPower", "stake"])
        for row in r:
            if row["event_name"] not in VOTE_EVENTS:
                continue
            sup = row[cs]
            choice = {"True": 1, "False": 2}.get(sup)
            if choice is None:
                choice = {"1": 1, "0": 2, "2": 3}[int_id(sup)]
            vp = Fraction(int(int_id(row[cw])), 10 ** 18)
            vid = "%s:%s" % (row["txhash"], int_id(row["log_index"]))
            keep_latest(store, int_id(row[cp]), row["voter"].lower(),
                        unix(row["timestamp"]), vid, choice, vp)
    return store


def governor(data, name, out):
    for pid, ballots in governor_ballots(data, name).items():
        out.writerow(summarize(name, pid, ballots, True))


def decentraland(data, out):
    path = "%s/Decentraland-DAO__transparency/votes.csv" % data
    store = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            keep_latest(store, row["Proposal ID"], row["Member"].lower(),
                        unix(row["Created"]), "", int(row["Choice #"]),
                        Fraction(row["VP"]))
    for pid, ballots in store.items():
        out.writerow(summarize("decentraland", pid, ballots, False))


def tokenomics(data, out):
    raw = ("%s/Research-Publications-and-Data__Tokenomics-As-Institutional"
           "_Design/data/raw" % data)
    path = raw + "/snapshot_votes.csv"
    with open(raw + "/snapshot_proposals.csv", newline="") as f:
        types = {r["proposal_id"]: r["type"] for r in csv.DictReader(f)}
    store, plain = {}, {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            pid = row["proposal_id"]
            c = row["choice"].strip()
            plain[pid] = plain.get(pid, True) and c.isdigit()
            if not c.isdigit():
                continue
            keep_latest(store, pid, row["voter"].lower(),
                        unix(row["created"]), "", int(c),
                        Fraction(row["voting_power"]))
    for pid, ballots in store.items():
        if plain[pid]:
            basic = types.get(pid) == "basic"
            out.writerow(summarize("tokenomics", pid, ballots, basic))


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    data = sys.argv[1]
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["dataset", "proposal", "token_winners", "address_winners",
                  "nakamoto", "single_voter_dominates"])
    for name in GOVERNOR_FILES:
        governor(data, name, out)
    decentraland(data, out)
    tokenomics(data, out)


if __name__ == "__main__":
    main()
