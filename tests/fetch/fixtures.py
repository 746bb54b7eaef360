"""Seeded proposals for the hub stand-in (hub.py): every voting type, odd
number texts, reasons that need escapes, a Shutter proposal with votes still
encrypted, and a large proposal whose votes share `created` values across
page edges (and one second with more votes than a page).

write_all(folder, seed, big=N) writes one export a file and returns
{name: path}. The files are the source of truth of the tests: what the hub
serves is read from them, and `govtally run` on them is the reference.
"""
import json
import os
import random

SPACE = "fixture.eth"
TYPES = ["single-choice", "basic", "approval", "ranked-choice", "copeland",
         "quadratic", "weighted"]
REASONS = ["", "for the \"community\"", "back\\slash", "line\nbreak",
           "tab\there", "\u00e9t\u00e9 \u2014 \U0001f44d", "control \u0001 char"]


def hexid(rng, n=64):
    return "0x" + "".join(rng.choice("0123456789abcdef") for _ in range(n))


def vp_text(rng):
    form = rng.randrange(6)
    if form == 0:
        return str(rng.randrange(1, 10**6))
    if form == 1:
        return "%d.%06d" % (rng.randrange(0, 5000), rng.randrange(10**6))
    if form == 2:
        return "%d.%de-%d" % (rng.randrange(1, 9), rng.randrange(10**8), rng.randrange(1, 9))
    if form == 3:
        return "98765432109876543210.5"
    if form == 4:
        return "0.1"
    return str(rng.randrange(1, 100))


def choice_for(rng, ptype, n):
    if rng.random() < 0.02:  # an invalid choice now and then
        return n + 1 if ptype in ("single-choice", "basic") else []
    if ptype in ("single-choice", "basic"):
        return rng.randrange(1, n + 1)
    if ptype == "approval":
        return sorted(rng.sample(range(1, n + 1), rng.randrange(1, n + 1)))
    if ptype in ("ranked-choice", "copeland"):
        order = list(range(1, n + 1))
        rng.shuffle(order)
        return order
    picked = rng.sample(range(1, n + 1), rng.randrange(1, n + 1))
    return {str(c): rng.randrange(1, 20) for c in picked}


def proposal(rng, pid, ptype, n_choices, votes, created, privacy="", state="closed"):
    choices = ["Choice %d" % (i + 1) for i in range(n_choices)]
    if ptype == "basic":
        choices = ["For", "Against", "Abstain"]
    return {
        "id": pid,
        "title": "Fixture %s \"%s\"" % (ptype, pid[:8]),
        "type": ptype,
        "choices": choices,
        "start": created + 60,
        "end": created + 86400,
        "snapshot": 17000000 + created % 1000,
        "state": state,
        "quorum": 0 if rng.random() < 0.5 else 1.5,
        "quorumType": "default",
        "privacy": privacy,
        "scores": [0.1 * i for i in range(len(choices))],
        "scores_total": 12.5,
        "scores_state": "final",
        "space": {"id": SPACE, "name": "Fixture DAO"},
        "strategies": [{"name": "erc20-balance-of", "network": "1",
                        "params": {"address": "0x" + "ab" * 20, "decimals": 18}}],
        "votes": len(votes),
        "created": created,
    }


def vote(rng, created, ptype, n, voter=None, choice=None):
    vp = vp_text(rng)
    return {
        "id": hexid(rng),
        "voter": voter or hexid(rng, 40),
        "created": created,
        "choice": choice if choice is not None else choice_for(rng, ptype, n),
        "vp": RawNumber(vp),
        "vp_by_strategy": [RawNumber(vp)],
        "vp_state": "final",
        "reason": rng.choice(REASONS),
    }


class RawNumber(str):
    """A number written with this exact text."""


def dumps(v):
    if isinstance(v, RawNumber):
        return str(v)
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k) + ":" + dumps(x) for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ",".join(dumps(x) for x in v) + "]"
    return json.dumps(v)


def big_votes(rng, n, t0, cluster=True):
    """n votes whose created values repeat across every page edge (every
    1000th vote sits inside a run of equal seconds) and one second holding
    2,500 votes (more than two pages)."""
    votes, t, i = [], t0, 0
    cluster = cluster and n > 10000
    while i < n:
        if cluster and i >= 7500:
            run, cluster = 2500, False
        elif i % 1000 > 985 or i % 1000 < 15:
            run = rng.randrange(10, 40)  # a run straddling the page edge
        else:
            run = rng.randrange(1, 4)
        for _ in range(min(run, n - i)):
            votes.append(vote(rng, t, "single-choice", 4))
            i += 1
        t += rng.randrange(1, 5)
    rng.shuffle(votes)  # the hub orders them itself
    return votes


def write_all(folder, seed=1, big=21500):
    rng = random.Random(seed)
    os.makedirs(folder, exist_ok=True)
    out = {}
    t = 1700000000

    def save(name, p, votes):
        path = os.path.join(folder, name + ".json")
        with open(path, "w") as f:
            f.write(dumps({"proposal": p, "votes": votes}))
        out[name] = path

    for k, ptype in enumerate(TYPES):
        n = 3 if ptype == "basic" else rng.randrange(3, 7)
        votes = [vote(rng, t + 100 + j // 3, ptype, n) for j in range(rng.randrange(40, 300))]
        # one voter votes twice: the later ballot stands
        votes.append(vote(rng, t + 5000, ptype, n, voter=votes[0]["voter"]))
        save(ptype, proposal(rng, hexid(rng), ptype, n, votes, t + k), votes)
    t += 100000
    enc = [vote(rng, t + j, "single-choice", 3) for j in range(60)]
    for v in enc[::3]:
        v["choice"] = hexid(rng, 180)  # still encrypted: Shutter could not decrypt
        v["reason"] = ""
    save("shutter", proposal(rng, hexid(rng), "single-choice", 3, enc, t, privacy="shutter"), enc)
    if big:
        votes = big_votes(rng, big, t + 1000)
        save("big", proposal(rng, hexid(rng), "single-choice", 4, votes, t + 1), votes)
    empty = proposal(rng, hexid(rng), "approval", 3, [], t + 1)  # shares a second
    save("empty", empty, [])
    t += 100000
    votes = [vote(rng, t + j, "basic", 3) for j in range(30)]
    p = proposal(rng, hexid(rng), "basic", 3, votes, t, state="active")
    save("active", p, votes)
    return out


def write_mismatch(folder, seed=2):
    """A proposal whose `votes` count says one more than its pages hold."""
    rng = random.Random(seed)
    votes = [vote(rng, 1800000000 + j, "single-choice", 2) for j in range(25)]
    p = proposal(rng, hexid(rng), "single-choice", 2, votes, 1800000000)
    p["votes"] += 1
    p["space"] = {"id": "other.eth", "name": "Other"}
    path = os.path.join(folder, "mismatch.json")
    with open(path, "w") as f:
        f.write(dumps({"proposal": p, "votes": votes}))
    return path
