#!/usr/bin/env python3
"""peer_diff.py: differential test of govtally's `snapshot` scheme against
Snapshot's own scoring code (the peer harness, snapshot.js 0.17.5).

For every proposal type and a few seeds it generates a synthetic export
with tests/node/peer/gen-votes.mjs, scores it with the peer
(tests/node/peer/score.mjs) and with
`govtally run FILE --format json --schemes snapshot`, and compares:
  - every score within 1e-9 relative (1e-9 absolute near zero),
  - Snapshot's scores_total with the snapshot scheme's "total",
  - the invalid ballots (peer: votes - valid_votes; ours:
    ballots.rejected["invalid-choice"]) and the ballots read,
  - the winners, whenever the peer's top score is clear of the runner-up.
It prints the seeds and the largest relative difference per type.

An independent oracle written here with exact rationals (fractions, and
80-digit decimals for quadratic's roots) scores the same export from its
decimal text and checks govtally more tightly than the float peer can:
the printed 18-digit scores and total must be the truncation of the exact
values (single-choice, basic, approval, ranked-choice, copeland), within
1e-18 for weighted (per-ballot shares are floored at 1e-36) and within
1e-17 for quadratic (floored roots).

Usage: peer_diff.py GOVTALLY_BINARY [--votes N] [--seeds 1,2,3]
       [--types t1,t2] [--invalid F] [--choices K]
Exit status: 0 all agree, 1 a difference (or the peer not installed: run
`npm ci` in tests/node, as scripts/setup.sh does), 77 (ctest skip) when
node is missing. The harness is found from this script's location.
Python standard library only.
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal, localcontext
from fractions import Fraction

TYPES = ["single-choice", "basic", "approval", "ranked-choice", "copeland",
         "quadratic", "weighted"]
TOLERANCE = Decimal("1e-9")


def fail(msg):
    print("peer_diff: " + msg, file=sys.stderr)
    sys.exit(1)


def relative_diff(ours, peer):
    """|a - b| / max(|a|, |b|); the absolute difference near zero."""
    a, b = Decimal(ours), Decimal(repr(float(peer)))
    scale = max(abs(a), abs(b))
    if scale < 1:
        return abs(a - b)
    return abs(a - b) / scale


def run(cmd, env, out=None):
    r = subprocess.run(cmd, env=env, stdout=out or subprocess.PIPE,
                       stderr=subprocess.PIPE, check=False)
    if r.returncode != 0:
        fail("%s exited %d: %s" % (" ".join(cmd), r.returncode,
                                   r.stderr.decode(errors="replace")[:2000]))
    return r.stdout


# ---- the exact oracle ------------------------------------------------------

def js_number(x):
    """JavaScript's Number(x) for JSON values, as a Fraction or None (NaN)."""
    if isinstance(x, bool):
        return Fraction(int(x))
    if isinstance(x, (int, Decimal)):
        return Fraction(x)
    if isinstance(x, str):
        t = x.strip()
        if t == "":
            return Fraction(0)
        try:
            if t[:2].lower() in ("0x", "0o", "0b"):
                return Fraction(int(t, 0))
            if t.lower().lstrip("+-") in ("infinity", "inf", "nan"):
                return None
            return Fraction(Decimal(t))
        except (ValueError, ArithmeticError):
            return None
    if isinstance(x, list):
        if len(x) == 0:
            return Fraction(0)
        if len(x) == 1 and not isinstance(x[0], (dict, bool)):
            return js_number(x[0])  # Number(String(x[0]))
        return None
    return None


def index_ok(x, n):
    v = js_number(x)
    return v is not None and v.denominator == 1 and 1 <= v <= n


def is_num(x):
    return isinstance(x, (int, Decimal)) and not isinstance(x, bool)


def js_key(x):
    """The Set identity of a JSON value (numbers by value, strings apart)."""
    if is_num(x):
        return ("n", Fraction(x))
    return ("o", json.dumps(x, sort_keys=True, default=str))


def valid(ptype, c, n):
    if ptype in ("single-choice", "basic"):
        return is_num(c) and index_ok(c, n)
    if ptype in ("approval", "ranked-choice", "copeland"):
        if not isinstance(c, list):
            return False
        if len({js_key(x) for x in c}) != len(c):
            return False
        if ptype == "copeland":
            return len(c) == n and n > 0 and all(
                is_num(x) and Fraction(x).denominator == 1 and
                1 <= x <= n for x in c)
        if not all(index_ok(x, n) for x in c):
            return False
        return ptype == "approval" or (len(c) > 0 and len(c) == n)
    if ptype in ("quadratic", "weighted"):
        return (isinstance(c, dict) and len(c) > 0 and
                all(index_ok(k, n) for k in c) and
                all(is_num(v) and v >= 0 for v in c.values()) and
                any(v > 0 for v in c.values()))
    return False


def irv(ballots, n):
    """ballots: [(ranking of choice numbers, weight)]; final-round tallies."""
    out = set()
    present = {x for r, _ in ballots for x in r}
    while True:
        tally = {c: Fraction(0) for c in present - out}
        total = Fraction(0)
        for r, w in ballots:
            first = next((x for x in r if x not in out), None)
            if first is None:
                continue
            tally[first] += w
            total += w
        if not tally:
            return [Fraction(0)] * n
        top = max(tally.values())
        if top * 2 > total or len(tally) < 3:
            return [tally.get(c, Fraction(0)) for c in range(1, n + 1)]
        low = min(tally.values())
        out.add(min(c for c in tally if tally[c] == low))


def copeland(ballots, n):
    m = [[Fraction(0)] * n for _ in range(n)]
    support = [Fraction(0)] * n
    total = sum((w for _, w in ballots), Fraction(0))
    for r, w in ballots:
        for p in range(len(r)):
            for q in range(p + 1, len(r)):
                a, b = r[p] - 1, r[q] - 1
                m[a][b] += w
                m[b][a] -= w
                support[a] += w
    pts = [Fraction(0)] * n
    for i in range(n):
        for j in range(n):
            if i != j:
                if m[i][j] > 0:
                    pts[i] += 1
                elif m[i][j] < 0:
                    pts[j] += 1
                else:
                    pts[i] += Fraction(1, 2)
                    pts[j] += Fraction(1, 2)
    if total > 0 and n > 1:
        pts = [p + Fraction(1, 2) * s / ((n - 1) * total)
               for p, s in zip(pts, support)]
    t = sum(pts, Fraction(0))
    if t > 0:
        return [p / t * total for p in pts]
    return [total / n] * n


def oracle(ptype, export):
    """(exact scores, exact scores_total, invalid count)."""
    with localcontext() as ctx:
        ctx.prec = 80  # decimal contexts are per thread
        return oracle_exact(ptype, export)


def oracle_exact(ptype, export):
    doc = export.get("data", export)
    n = len(doc["proposal"]["choices"])
    votes = doc["votes"]
    ok = [v for v in votes if valid(ptype, v["choice"], n)]
    vp = lambda v: Fraction(v["vp"])
    total = sum((vp(v) for v in (ok if ptype == "copeland" else votes)),
                Fraction(0))
    scores = [Fraction(0)] * n
    if ptype in ("single-choice", "basic"):
        for v in ok:
            scores[int(v["choice"]) - 1] += vp(v)
    elif ptype == "approval":
        for v in ok:
            for x in v["choice"]:
                if is_num(x):
                    scores[int(x) - 1] += vp(v)
    elif ptype in ("ranked-choice", "copeland"):
        ballots = [([int(js_number(x)) for x in v["choice"]], vp(v))
                   for v in ok]
        scores = (irv if ptype == "ranked-choice" else copeland)(ballots, n)
    else:
        big = sum((vp(v) for v in ok), Fraction(0))
        r = [Decimal(0)] * n if ptype == "quadratic" else [Fraction(0)] * n
        for v in ok:
            wv = sum((Fraction(x) for x in v["choice"].values()), Fraction(0))
            for i in range(n):
                w = v["choice"].get(str(i + 1))
                if w is None:
                    continue
                share = Fraction(w) / wv * vp(v)
                if ptype == "quadratic":
                    r[i] += (Decimal(share.numerator) /
                             Decimal(share.denominator)).sqrt()
                else:
                    r[i] += share
        if ptype == "quadratic":
            q = [x * x for x in r]
            sq = sum(q, Decimal(0))
            scores = [Decimal(0) if sq == 0 else
                      Decimal(big.numerator) / Decimal(big.denominator) *
                      x / sq for x in q]
        else:
            sr = sum(r, Fraction(0))
            scores = [Fraction(0) if sr == 0 else big * x / sr for x in r]
    return scores, total, len(votes) - len(ok)


def trunc18(x):
    """An exact value truncated toward zero to 18 digits, as a Fraction."""
    f = Fraction(x)
    scaled = f.numerator * 10**18 // f.denominator
    return Fraction(scaled, 10**18)


def oracle_check(ptype, path, snap, ours_ballots):
    with open(path) as f:
        export = json.load(f, parse_float=Decimal)
    scores, total, invalid = oracle(ptype, export)
    problems = []
    if invalid != ours_ballots["rejected"]["invalid-choice"]:
        problems.append("oracle: invalid ballots %d, ours %d" %
                        (invalid, ours_ballots["rejected"]["invalid-choice"]))
    if Fraction(Decimal(snap["total"])) != trunc18(total):
        problems.append("oracle: total %s, exact %s" %
                        (snap["total"], float(total)))
    for i, (a, e) in enumerate(zip(snap["scores"], scores)):
        a = Fraction(Decimal(a))
        if ptype == "quadratic":
            good = abs(a - Fraction(e)) <= Fraction(1, 10**17)
        elif ptype == "weighted":
            good = abs(a - e) <= Fraction(1, 10**18)
        else:
            good = a == trunc18(e)
        if not good:
            problems.append("oracle: score %d: ours %s, exact %s" %
                            (i + 1, snap["scores"][i], Decimal(
                                Fraction(e).numerator) / Decimal(
                                Fraction(e).denominator)))
    return problems


def one_case(args, env, peer_dir, tmp, ptype, seed):
    """Returns (type, seed, max relative difference, list of problems)."""
    path = os.path.join(tmp, "%s-%d.json" % (ptype, seed))
    with open(path, "wb") as f:
        run(["node", os.path.join(peer_dir, "gen-votes.mjs"), ptype,
             str(args.votes), str(seed), str(args.invalid)] +
            (["--choices=%d" % args.choices] if args.choices else []),
            env, out=f)
    peer = json.loads(run(["node", os.path.join(peer_dir, "score.mjs"), path],
                          env))
    ours = json.loads(run([args.govtally, "run", path, "--format", "json",
                           "--schemes", "snapshot"], env))
    problems = []
    snap = [s for s in ours["schemes"] if s["id"] == "snapshot"]
    if len(snap) != 1:
        return ptype, seed, Decimal(0), ["no snapshot scheme in the result"]
    snap = snap[0]
    worst = Decimal(0)
    if len(snap["scores"]) != len(peer["scores"]):
        problems.append("%d scores, peer %d" % (len(snap["scores"]),
                                                len(peer["scores"])))
    for i, (a, b) in enumerate(zip(snap["scores"], peer["scores"])):
        d = relative_diff(a, b)
        worst = max(worst, d)
        if d > TOLERANCE:
            problems.append("score %d: ours %s, peer %r (diff %.3e)" %
                            (i + 1, a, b, d))
    d = relative_diff(snap["total"], peer["scores_total"])
    worst = max(worst, d)
    if d > TOLERANCE:
        problems.append("total: ours %s, peer %r" % (snap["total"],
                                                    peer["scores_total"]))
    invalid = ours["ballots"]["rejected"]["invalid-choice"]
    if invalid != peer["votes"] - peer["valid_votes"]:
        problems.append("invalid ballots: ours %d, peer %d" %
                        (invalid, peer["votes"] - peer["valid_votes"]))
    if ours["ballots"]["read"] != peer["votes"]:
        problems.append("ballots read: ours %d, peer %d" %
                        (ours["ballots"]["read"], peer["votes"]))
    # Winners, when the peer's leader is clear of the runner-up.
    ps = [Decimal(repr(float(x))) for x in peer["scores"]]
    cand = ps[:2] if ptype == "basic" else ps
    order = sorted(range(len(cand)), key=lambda k: -cand[k])
    top = cand[order[0]] if cand else Decimal(0)
    clear = top > 0 and (len(order) == 1 or
                         top - cand[order[1]] > top * TOLERANCE)
    if clear and snap["winners"] != [order[0] + 1]:
        problems.append("winners: ours %s, peer's clear leader %d" %
                        (snap["winners"], order[0] + 1))
    problems += oracle_check(ptype, path, snap, ours["ballots"])
    os.unlink(path)
    return ptype, seed, worst, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("govtally")
    ap.add_argument("--votes", type=int, default=2000)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--types", default=",".join(TYPES))
    ap.add_argument("--invalid", default="0.05")
    ap.add_argument("--choices", type=int, default=0,
                    help="choices per proposal (0: the generator's default)")
    args = ap.parse_args()

    if shutil.which("node") is None:
        print("peer_diff: SKIP: node is not installed, the peer cannot run")
        sys.exit(77)
    node_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            "node")
    peer_dir = os.path.join(node_dir, "peer")
    if not os.path.isdir(os.path.join(node_dir, "node_modules",
                                      "@snapshot-labs", "snapshot.js")):
        fail("the peer is not installed: run `npm ci` in %s "
             "(scripts/setup.sh does)" % node_dir)
    env = dict(os.environ)

    seeds = [int(s) for s in args.seeds.split(",") if s]
    types = [t for t in args.types.split(",") if t]
    print("peer_diff: %d votes per export, invalid fraction %s, seeds %s" %
          (args.votes, args.invalid, ",".join(map(str, seeds))))
    worst = {t: Decimal(0) for t in types}
    bad = 0
    with tempfile.TemporaryDirectory(prefix="gvt-peer-") as tmp:
        with concurrent.futures.ThreadPoolExecutor(
                max_workers=min(8, os.cpu_count() or 1)) as pool:
            jobs = [pool.submit(one_case, args, env, peer_dir, tmp, t, s)
                    for t in types for s in seeds]
            for job in jobs:
                ptype, seed, d, problems = job.result()
                worst[ptype] = max(worst[ptype], d)
                for p in problems:
                    bad += 1
                    print("DIFF %s seed %d: %s" % (ptype, seed, p))
    for t in types:
        print("%-14s max relative difference %.3e" % (t, worst[t]))
    if bad:
        print("peer_diff: %d difference(s)" % bad)
        sys.exit(1)
    print("peer_diff: ok")


if __name__ == "__main__":
    main()
