#!/usr/bin/env python3
"""layers.py: the module layering of docs/design.md holds.

Every module of the library sits at a level; a module may use (include, or
call) only modules of lower levels. Checked two ways, so that a declaration
copied into a file cannot hide an edge:
  - includes: every #include "..." in tally/, crypto/ and tools/;
  - symbols: every gvt_ symbol an object file uses, against the module whose
    object defines it (nm).
tools/ (the command) may include only the public header and its own cli.h.
A violation prints the edge and the file (or the symbol) and exits 1.

usage: layers.py REPO_ROOT OBJECT...
"""
import os
import re
import subprocess
import sys

# The path of the data (docs/design.md): lower levels first.
LEVELS = {
    "core": 0,
    "store": 1, "crypto/eth": 1,
    "read": 2, "crypto": 2,
    "score": 3,
    "whales": 4,
    "outcome": 5,
    "result": 6,
    # report/ reads a result through the public accessors only (it includes
    # no result/ header), but those are result/'s symbols: it stays above.
    "report": 7,
    "history": 8, "fixture": 8, "fetch": 8,
    # verify makes a result or a replay again: above both.
    "audit": 9,
}


def module_of(rel):
    """The module of a path relative to the repository root, or None."""
    parts = rel.split("/")
    if parts[0] == "tally" and len(parts) >= 3:
        return parts[1]
    if parts[0] == "crypto":
        return "crypto/eth" if len(parts) >= 3 and parts[1] == "eth" else "crypto"
    return None


def allowed(src, dst):
    return src == dst or LEVELS[dst] < LEVELS[src]


def check_includes(root, errors):
    inc = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
    for top in ("tally", "crypto", "tools"):
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                if not f.endswith((".c", ".h")):
                    continue
                path = os.path.join(d, f)
                rel = os.path.relpath(path, root)
                src = "tools" if top == "tools" else module_of(rel)
                with open(path, encoding="utf-8") as fh:
                    text = fh.read()
                for name in inc.findall(text):
                    if name == "govtally.h":
                        continue
                    if src == "tools":
                        if name != "cli.h":
                            errors.append(f"{rel}: tools include {name} (only govtally.h and cli.h)")
                        continue
                    if src not in LEVELS:
                        errors.append(f"{rel}: file of no known module")
                        continue
                    if "/" not in name:
                        errors.append(f"{rel}: include \"{name}\" without its module folder")
                        continue
                    dst = module_of(("crypto/" + name[len("crypto/"):]) if name.startswith("crypto/")
                                    else "tally/" + name)
                    if dst not in LEVELS:
                        errors.append(f"{rel}: include \"{name}\" of no known module")
                    elif not allowed(src, dst):
                        errors.append(f"{rel}: {src} includes {name} ({dst}, not below it)")


def check_symbols(root, objects, errors):
    defined = {}
    used = {}
    for obj in objects:
        m = re.search(r"/((?:tally|crypto)/.*)\.o$", obj)
        if not m:
            continue
        mod = module_of(m.group(1))
        if mod not in LEVELS:
            errors.append(f"{obj}: object of no known module")
            continue
        out = subprocess.run(["nm", obj], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            f = line.split()
            if len(f) < 2 or not f[-1].startswith("gvt_"):
                continue
            kind, sym = f[-2], f[-1]
            if kind == "U":
                used.setdefault(sym, set()).add((mod, m.group(1)))
            elif kind in "TDBR":
                defined[sym] = mod
    edges = set()
    for sym, users in used.items():
        dst = defined.get(sym)
        if dst is None:
            continue
        for mod, where in users:
            if not allowed(mod, dst):
                errors.append(f"{where}: {mod} calls {sym} of {dst}, not below it")
            if mod != dst:
                edges.add((mod, dst))
    return edges


def main():
    root = sys.argv[1]
    objects = [o for a in sys.argv[2:] for o in a.split(";") if o]
    errors = []
    check_includes(root, errors)
    edges = check_symbols(root, objects, errors)
    if not objects:
        errors.append("no object files given")
    for e in errors:
        print(e)
    print(f"layers: {len(objects)} objects, {len(edges)} module edges, {len(errors)} violations")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
