#!/usr/bin/env python3
"""A proposal export with many choices, for the hostile-input tests.

usage: rankings.py TYPE CHOICES BALLOTS SEED > proposal.json
Ranked-choice and copeland ballots rank every choice (a seeded shuffle);
the others pick one choice. Each ballot has its own voter and vp 1..1000.
"""
import random
import sys

kind, n, b, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rnd = random.Random(seed)
out = sys.stdout
out.write('{"proposal":{"id":"0x01","space":{"id":"hostile.eth"},"type":"%s",'
          '"choices":[%s],"start":1700000000,"end":1700600000,"snapshot":1},'
          '"votes":[' % (kind, ",".join('"c%d"' % i for i in range(n))))
for k in range(b):
    if kind in ("ranked-choice", "copeland"):
        r = list(range(1, n + 1))
        rnd.shuffle(r)
        choice = "[%s]" % ",".join(map(str, r))
    else:
        choice = str(rnd.randint(1, n))
    out.write('%s{"id":"0x%064x","voter":"0x%040x","created":1700000100,'
              '"choice":%s,"vp":%d}' % ("," if k else "", k + 1, k + 1, choice,
                                         rnd.randint(1, 1000)))
out.write("]}\n")
