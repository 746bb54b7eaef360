#!/usr/bin/env python3
"""Independent oracle for the whale analysis (docs/analysis.md) and the additive type
rules, written with exact rationals (fractions.Fraction), against
`govtally run --format json`.

For each seed it writes a random proposal of every type (valid, distinct
voters; vp as integers, long decimals, zeros and whales), runs govtally, and
recomputes here, from the proposal alone:
  - voters, nakamoto, gini, hhi, top1_share, top10_share,
    single_voter_dominates (exact, floored to 18 digits as the result prints
    them, docs/formats.md#result);
  - the token and address scores and winners under Snapshot's rules
    (docs/schemes.md), the weighted rule's per-ballot floor at
    10^-36 included, ranked-choice by instant runoff, copeland winners by
    pairwise points and the support bonus;
  - decisive_k by brute force (a full re-tally per k, no shortcut);
  - flips (against the winner sets govtally printed) and whale_veto;
  - the Banzhaf indices of docs/analysis.md (weights in units of W/1000).
It also checks two properties: reversing the votes and scaling every vp by
1000 leave the whale figures unchanged. A planted whale (one wallet
outvoting twenty) is checked against hand values.

usage: whales.py GOVTALLY [--seeds N] [--first S]
Exit 0 all equal, 1 a difference (the seed is printed).
"""
import decimal
import json
import os
import random
import subprocess
import sys
import tempfile
from fractions import Fraction

SCALE = 10 ** 36
TYPES = ["single-choice", "basic", "approval", "ranked-choice", "copeland",
         "quadratic", "weighted"]


def fmt18(x):
    """A non-negative rational as the result prints it: 18 digits, floored."""
    q = (x.numerator * 10 ** 18) // x.denominator
    ip, fp = divmod(q, 10 ** 18)
    frac = ("%018d" % fp).rstrip("0")
    return "%d.%s" % (ip, frac) if frac else "%d" % ip


def fx(text):
    """Decimal text -> exact integer at scale 10^36."""
    v = Fraction(text) * SCALE
    assert v.denominator == 1
    return v.numerator


# ---- random proposals ---------------------------------------------------

def rand_vp(rng):
    r = rng.random()
    if r < 0.08:
        return "0"
    if r < 0.45:
        return str(rng.randint(1, 1000))
    if r < 0.8:
        digits = rng.randint(1, 18)
        return "%d.%s" % (rng.randint(0, 5000),
                          "".join(rng.choice("0123456789")
                                  for _ in range(digits - 1)) +
                          rng.choice("123456789"))
    if r < 0.9:
        return str(rng.randint(10 ** 5, 10 ** 7))  # a whale
    return "%de-%d" % (rng.randint(1, 99), rng.randint(1, 6))


def rand_choice(rng, t, n):
    if t in ("single-choice", "basic"):
        return rng.randint(1, n)
    if t == "approval":
        return rng.sample(range(1, n + 1), rng.randint(0, n))
    if t in ("ranked-choice", "copeland"):
        return rng.sample(range(1, n + 1), n)
    keys = rng.sample(range(1, n + 1), rng.randint(1, n))
    obj = {str(k): rng.choice([0, 1, 1, 2, 3, 5, 0.5, 0.25]) for k in keys}
    if all(v == 0 for v in obj.values()):
        obj[str(keys[0])] = 1
    return obj


def rand_proposal(rng, t, seed):
    n = 3 if t == "basic" else rng.randint(2, 5)
    labels = (["For", "Against", "Abstain"] if t == "basic"
              else ["Choice %d" % (i + 1) for i in range(n)])
    count = rng.choice([0, 1, 2, 3] + [rng.randint(4, 40)] * 8)
    voters = set()
    votes = []
    while len(votes) < count:
        addr = "0x%040x" % rng.getrandbits(160)
        if addr in voters:
            continue
        voters.add(addr)
        votes.append({"voter": addr, "choice": rand_choice(rng, t, n),
                      "vp": rand_vp(rng)})
    # Make ties between voters' vp likely now and then.
    if len(votes) > 3 and rng.random() < 0.3:
        votes[1]["vp"] = votes[0]["vp"]
    return {"type": t, "choices": labels, "votes": votes,
            "id": "0x%064x" % seed}


def write_export(p, path):
    parts = []
    for i, v in enumerate(p["votes"]):
        parts.append('{"id": "v%d", "voter": "%s", "created": %d, '
                     '"choice": %s, "vp": %s}' %
                     (i, v["voter"], 1000 + i, json.dumps(v["choice"]),
                      v["vp"]))
    with open(path, "w") as f:
        f.write('{"proposal": {"id": "%s", "space": "oracle.eth", '
                '"type": "%s", "choices": %s, "start": 1, "end": 2, '
                '"strategies": [{}]},\n "votes": [%s]}\n' %
                (p["id"], p["type"], json.dumps(p["choices"]),
                 ",\n  ".join(parts)))


# ---- the rules, exactly -----------------------------------------------------

class Ballot:
    def __init__(self, v, t):
        self.voter = v["voter"]
        self.vp = fx(v["vp"])
        c = v["choice"]
        if t in ("quadratic", "weighted"):
            self.w = {int(k) - 1: fx(repr(x) if isinstance(x, float) else
                                     str(x)) for k, x in c.items()}
            self.total = sum(self.w.values())
        elif isinstance(c, list):
            self.idx = [k - 1 for k in c]
        else:
            self.idx = [c - 1]


def winners(t, scores):
    lim = 2 if t == "basic" and len(scores) > 2 else len(scores)
    best = max(scores[:lim]) if lim else 0
    if best <= 0:
        return []
    return [i + 1 for i in range(lim) if scores[i] == best]


def irv(n, units):
    out = set()
    while True:
        tally = [0] * n
        for w, b in units:
            for c in b.idx:
                if c not in out:
                    tally[c] += w
                    break
        alive = [c for c in range(n) if c not in out]
        total = sum(tally)
        best = max(tally[c] for c in alive)
        if len(alive) < 3 or 2 * best > total or not units:
            return tally
        worst = min(alive, key=lambda c: (tally[c], c))
        out.add(worst)


def copeland_keys(n, units):
    """Pairwise points plus the support bonus, times 2 (n-1) W (exact)."""
    W = sum(w for w, _ in units)
    if W == 0:
        return [0] * n
    m = [[0] * n for _ in range(n)]
    sup = [0] * n
    for w, b in units:
        for p in range(n):
            for q in range(p + 1, n):
                a, c = b.idx[p], b.idx[q]
                m[a][c] += w
                m[c][a] -= w
                sup[a] += w
    keys = []
    for i in range(n):
        pts = sum(2 if m[i][j] > 0 else 1 if m[i][j] == 0 else 0
                  for j in range(n) if j != i)
        keys.append(Fraction(pts) + Fraction(sup[i], 2 * (n - 1) * W)
                    if n > 1 else Fraction(pts))
    return keys


def score(t, n, units):
    """Scores of (weight, ballot) units under the rule govtally's non-snapshot
    schemes use (quadratic proposals spread by the weighted rule)."""
    if t == "ranked-choice":
        return irv(n, units)
    if t == "copeland":
        return copeland_keys(n, units)  # same winners as the scores
    s = [0] * n
    if t in ("quadratic", "weighted"):
        V = 0
        for w, b in units:
            V += w
            for c, x in b.w.items():
                s[c] += (w * x) // b.total
        R = sum(s)
        return [V * r // R if R else 0 for r in s]
    for w, b in units:
        for c in b.idx:
            s[c] += w
    return s


def supports(t, b, win):
    if b.vp <= 0:
        return False
    if t in ("quadratic", "weighted"):
        return any(x > 0 and c + 1 in win for c, x in b.w.items())
    if t == "approval":
        return any(c + 1 in win for c in b.idx)
    return bool(b.idx) and b.idx[0] + 1 in win


def key_desc(b):
    return (-b.vp, b.voter)


def banzhaf(vps):
    W = sum(vps)
    q = [v * 1000 // W for v in vps]
    T = sum(q)
    out = []
    for i in range(min(10, len(vps))):
        if q[i] == 0:
            out.append(Fraction(0))
            continue
        others = [x for j, x in enumerate(q) if j != i and x > 0]
        counts = {0: 1}
        for x in others:
            nxt = dict(counts)
            for s, c in counts.items():
                nxt[s + x] = nxt.get(s + x, 0) + c
            counts = nxt
        swings = sum(c for s, c in counts.items()
                     if 2 * s <= T < 2 * (s + q[i]))
        out.append(Fraction(swings, 2 ** len(others)))
    return out


def oracle(p):
    t, n = p["type"], len(p["choices"])
    ballots = sorted((Ballot(v, t) for v in p["votes"]), key=key_desc)
    vps = [b.vp for b in ballots]
    W = sum(vps)
    e = {"voters": len(ballots)}
    if W > 0:
        e["top1_share"] = fmt18(Fraction(vps[0], W))
        e["top10_share"] = fmt18(Fraction(sum(vps[:10]), W))
        acc, k = 0, 0
        for k, v in enumerate(vps, 1):
            acc += v
            if 2 * acc > W:
                break
        e["nakamoto"] = k
        asc = vps[::-1]
        m = len(asc)
        e["gini"] = fmt18(Fraction(2 * sum(i * w for i, w in
                                           enumerate(asc, 1)), m * W) -
                          Fraction(m + 1, m))
        e["hhi"] = fmt18(Fraction(10000 * sum(v * v for v in vps), W * W))
        e["single_voter_dominates"] = vps[0] > W - vps[0]
        e["banzhaf"] = [fmt18(x) for x in banzhaf(vps)]
    else:
        e.update(top1_share="0", top10_share="0", nakamoto=0, gini="0",
                 hhi="0", single_voter_dominates=False)
    tok_units = [(b.vp, b) for b in ballots]
    tok_scores = score(t, n, tok_units)
    tok = winners(t, tok_scores)
    addr = winners(t, score(t, n, [(SCALE, b) for b in ballots]))
    sup = [b for b in ballots if supports(t, b, tok)]
    k = None
    if tok:
        for kk in range(1, len(sup) + 1):
            gone = set(id(b) for b in sup[:kk])
            rest = [(b.vp, b) for b in ballots if id(b) not in gone]
            if winners(t, score(t, n, rest)) != tok:
                k = kk
                break
    e["decisive_k"] = k
    e["whale_veto"] = tok != addr
    return e, tok, addr, tok_scores


# ---- comparing ------------------------------------------------------------------

def run(gt, path):
    r = subprocess.run([gt, "run", path, "--format", "json"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("govtally exit %d: %s" % (r.returncode,
                                                     r.stderr.strip()))
    return json.loads(r.stdout)


def check(gt, p, path, label):
    write_export(p, path)
    res = run(gt, path)
    exp, tok, addr, tok_scores = oracle(p)
    bad = []
    wh = res["whales"]
    for key, want in exp.items():
        got = wh.get(key)
        if key == "banzhaf" and got is None and not want:
            continue
        if got != want:
            bad.append("whales.%s: oracle %r, govtally %r" % (key, want, got))
    schemes = {s["id"]: s for s in res["schemes"]}
    if schemes["token"]["winners"] != tok:
        bad.append("token winners: oracle %r, govtally %r" %
                   (tok, schemes["token"]["winners"]))
    if schemes["address"]["winners"] != addr:
        bad.append("address winners: oracle %r, govtally %r" %
                   (addr, schemes["address"]["winners"]))
    if p["type"] != "copeland":
        got = schemes["token"]["scores"]
        want = [fmt18(Fraction(s, SCALE)) for s in tok_scores]
        if got != want:
            bad.append("token scores: oracle %r, govtally %r" % (want, got))
    flips = [s["id"] for s in res["schemes"] if s["winners"] != tok]
    if wh["flips"] != flips:
        bad.append("flips: oracle %r, govtally %r" % (flips, wh["flips"]))
    # Properties: the vote order does not matter; scaling every vp by 1000
    # changes no whale figure (flips left out: quadratic rounds).
    rev = dict(p, votes=p["votes"][::-1])
    write_export(rev, path)
    if run(gt, path)["whales"] != wh:
        bad.append("whales differ when the votes are reversed")
    with decimal.localcontext() as ctx:
        ctx.prec = 200
        scaled = dict(p, votes=[dict(v, vp=format(decimal.Decimal(v["vp"]) *
                                                  1000, "f"))
                                for v in p["votes"]])
    write_export(scaled, path)
    ws = dict(run(gt, path)["whales"])
    ws.pop("flips", None)
    w0 = dict(wh)
    w0.pop("flips", None)
    if ws != w0:
        bad.append("whales differ when every vp is scaled by 1000: %r" % ws)
    for line in bad:
        print("FAIL %s: %s" % (label, line))
    return not bad


def planted(gt, path):
    """One wallet (vp 1000) for A against twenty (10 each) for B. By hand:
    W 1200; token A, address B: whale_veto; decisive_k 1 (without the whale
    B wins); top1 1000/1200 = 0.8333...; nakamoto 1; dominates (1000 > 200);
    Banzhaf of the whale 1 (it wins alone), of the others 0 (weights
    floored to 8/1000 each, the whale's 833: no coalition of the others
    reaches half of 993)."""
    votes = [{"voter": "0x%040x" % 1, "choice": 1, "vp": "1000"}]
    votes += [{"voter": "0x%040x" % (i + 2), "choice": 2, "vp": "10"}
              for i in range(20)]
    p = {"type": "single-choice", "choices": ["A", "B"], "votes": votes,
         "id": "0x" + "ab" * 32}
    write_export(p, path)
    wh = run(gt, path)["whales"]
    want = {"whale_veto": True, "decisive_k": 1, "nakamoto": 1,
            "single_voter_dominates": True,
            "top1_share": "0.833333333333333333", "voters": 21,
            "flips": ["address", "quadratic"]}
    ok = True
    for k, v in want.items():
        if wh.get(k) != v:
            print("FAIL planted whale: %s: want %r, got %r" % (k, v,
                                                              wh.get(k)))
            ok = False
    if wh.get("banzhaf", [None])[:2] != ["1", "0"]:
        print("FAIL planted whale: banzhaf %r" % wh.get("banzhaf"))
        ok = False
    if ok:
        print("ok planted single-wallet veto")
    return ok


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 64
    gt = args[0]
    seeds, first = 40, 1
    if "--seeds" in args:
        seeds = int(args[args.index("--seeds") + 1])
    if "--first" in args:
        first = int(args[args.index("--first") + 1])
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "p.json")
        ok = planted(gt, path)
        n = 0
        for seed in range(first, first + seeds):
            rng = random.Random(seed)
            for t in TYPES:
                p = rand_proposal(rng, t, seed)
                try:
                    good = check(gt, p, path, "seed %d %s" % (seed, t))
                except Exception as e:  # keep going, report the seed
                    print("FAIL seed %d %s: %s" % (seed, t, e))
                    good = False
                ok &= good
                n += 1
        print("%s %d random proposals, seeds %d..%d (python3 %s %s "
              "--first S --seeds N)" %
              ("ok" if ok else "FAIL", n, first, first + seeds - 1,
               sys.argv[0], gt))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
