#!/usr/bin/env python3
"""Writes examples/whale-veto/proposal.json: a basic For/Against/Abstain
proposal shaped like Compound proposal 86 ("Add Market: MATIC", 2022), where
one wallet's 321,446 COMP against outweighed 35 voters for (125,011 COMP in
all). The addresses, ids and the split of the 125,011 are made up
(deterministic, seed below); only the shape of the vote is historical.

Usage: python3 scripts/make-example.py > examples/whale-veto/proposal.json
"""
import hashlib
import json
import random

rng = random.Random(86)


def addr(tag):
    return "0x" + hashlib.sha256(tag.encode()).hexdigest()[:40]


def vote_id(tag):
    return "0x" + hashlib.sha256(("id" + tag).encode()).hexdigest()


# 35 voters for, 125,011 in all: 34 random whole amounts, the last one the rest.
amounts = [rng.randint(200, 6000) for _ in range(34)]
amounts.append(125011 - sum(amounts))
assert amounts[-1] > 0
start = 1641772800
votes = []
for i, a in enumerate(amounts):
    votes.append({"id": vote_id(f"for{i}"), "voter": addr(f"for{i}"),
                  "created": start + 3600 * (i + 1), "choice": 1, "vp": a,
                  "vp_by_strategy": [a]})
votes.append({"id": vote_id("whale"), "voter": addr("whale"),
              "created": start + 86400 * 2, "choice": 2, "vp": 321446,
              "vp_by_strategy": [321446]})
doc = {"proposal": {"id": "0x" + hashlib.sha256(b"example-86").hexdigest(),
                    "space": {"id": "example-dao.eth"}, "type": "basic",
                    "title": "Add Market: MATIC (shape of Compound 86)",
                    "choices": ["For", "Against", "Abstain"],
                    "start": start, "end": start + 3 * 86400,
                    "quorum": 400000, "quorumType": "default",
                    "strategies": [{"name": "erc20-votes"}]},
       "votes": votes}
print(json.dumps(doc, indent=1))
