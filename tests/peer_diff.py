#!/usr/bin/env python3
"""peer_diff.py: differential test of govtally's `snapshot` scheme against
Snapshot's own scoring code (the peer harness, snapshot.js 0.17.5).

For every proposal type and a few seeds it generates a synthetic export
with the peer's gen-votes.mjs, scores it with the peer and with
`govtally run FILE --format json --schemes snapshot`, and compares:
  - every score within 1e-9 relative (1e-9 absolute near zero),
  - Snapshot's scores_total with the snapshot scheme's "total",
  - the invalid ballots (peer: votes - valid_votes; ours:
    ballots.rejected["invalid-choice"]) and the ballots read,
  - the winners, whenever the peer's top score is clear of the runner-up.
It prints the seeds and the largest relative difference per type.

Usage: peer_diff.py GOVTALLY_BINARY [--votes N] [--seeds 1,2,3]
       [--types t1,t2] [--invalid F]
Exit status: 0 all agree, 1 a difference, 77 (ctest skip) when node is
missing. The peer lives in ../shared/peer relative to the repository root
(found from this script's location); PEER_NODE_MODULES, when unset, comes
from the peer's install.sh. Python standard library only.
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal

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


def one_case(args, env, peer_dir, tmp, ptype, seed):
    """Returns (type, seed, max relative difference, list of problems)."""
    path = os.path.join(tmp, "%s-%d.json" % (ptype, seed))
    with open(path, "wb") as f:
        run(["node", os.path.join(peer_dir, "gen-votes.mjs"), ptype,
             str(args.votes), str(seed), str(args.invalid)], env, out=f)
    peer = json.loads(run(["node", os.path.join(peer_dir,
                                                "snapshot-score.mjs"), path],
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
    os.unlink(path)
    return ptype, seed, worst, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("govtally")
    ap.add_argument("--votes", type=int, default=2000)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--types", default=",".join(TYPES))
    ap.add_argument("--invalid", default="0.05")
    args = ap.parse_args()

    if shutil.which("node") is None:
        print("peer_diff: SKIP: node is not installed, the peer cannot run")
        sys.exit(77)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    peer_dir = os.path.normpath(os.path.join(root, "..", "shared", "peer"))
    if not os.path.isfile(os.path.join(peer_dir, "snapshot-score.mjs")):
        fail("no peer harness at %s" % peer_dir)
    env = dict(os.environ)
    if not env.get("PEER_NODE_MODULES"):
        out = run(["sh", os.path.join(peer_dir, "install.sh")], env)
        env["PEER_NODE_MODULES"] = out.decode().strip().splitlines()[-1]

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
