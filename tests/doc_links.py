#!/usr/bin/env python3
"""Every reference to the documentation leads somewhere: in the tracked
sources, tests and documents, each reference to a page of docs/ (docs/<page>
with an optional #anchor) names an existing file and, in it, a heading with
that anchor; each relative Markdown link `[text](path#anchor)` likewise. Anchors
are made from headings as GitHub makes them (lower case, punctuation other
than '-' and '_' dropped, spaces as '-').

usage: doc_links.py REPO_ROOT
"""
import os
import re
import subprocess
import sys

root = os.path.abspath(sys.argv[1])
files = subprocess.run(["git", "-C", root, "ls-files"], capture_output=True,
                       text=True, check=True).stdout.split()
if not files:  # not a git checkout: walk the tree instead
    for d, _, names in os.walk(root):
        if "/build" in d or "node_modules" in d or "/.git" in d:
            continue
        files += [os.path.relpath(os.path.join(d, n), root) for n in names]
texts = [f for f in files if re.search(r"\.(md|c|h|py|sh|mjs|txt|1|json)$", f)
         and "node_modules" not in f]


def anchors(path):
    out = set()
    in_code = False
    for line in open(path, encoding="utf-8"):
        if line.startswith("```"):
            in_code = not in_code
        m = re.match(r"#+ (.*)", line)
        if m and not in_code:
            a = m.group(1).strip().lower()
            a = re.sub(r"[^\w\- ]", "", a).replace(" ", "-")
            out.add(a)
    return out


cache = {}
bad = []
checked = 0
for f in texts:
    text = open(os.path.join(root, f), encoding="utf-8", errors="replace").read()
    refs = []
    for m in re.finditer(r"(?<![\w/.])docs/([\w-]+\.(?:md|1))(#[\w-]+)?", text):
        refs.append(("docs/" + m.group(1), m.group(2)))
    if f.endswith(".md"):
        for m in re.finditer(r"\]\(([^)\s]+)\)", text):
            target = m.group(1)
            if re.match(r"[a-z]+:", target):
                continue  # http:, mailto:
            path, _, anchor = target.partition("#")
            path = os.path.normpath(os.path.join(os.path.dirname(f), path)) if path else f
            refs.append((path, "#" + anchor if anchor else None))
    for path, anchor in refs:
        checked += 1
        full = os.path.join(root, path)
        if not os.path.exists(full):
            bad.append("%s: %s does not exist" % (f, path))
            continue
        if anchor and path.endswith(".md"):
            if path not in cache:
                cache[path] = anchors(full)
            if anchor[1:] not in cache[path]:
                bad.append("%s: %s has no heading for %s" % (f, path, anchor))

for b in sorted(set(bad)):
    print("FAIL " + b)
print("%d references checked, %d broken" % (checked, len(set(bad))))
sys.exit(1 if bad else 0)
