#!/usr/bin/env python3
"""The audit record and `govtally verify` (docs/audit.md), end to end through
the command, checked without govtally's code:

- each input's size and SHA-256 against hashlib over the file (standard
  input included), the version against CMakeLists.txt, the options against
  the command line, result_sha256 against hashlib over the canonical form
  docs/audit.md defines (json.dumps, ensure_ascii=False, compact), on a
  result whose labels hold a tab, an escape character, quotes and non-ASCII
  text, and on replay summaries;
- the record is the same on 1 and 2 threads, and from a file or a pipe but
  for the name;
- verify: identical (0); one byte changed in an input (1, the input named);
  a member of the result changed, with or without its digest redone (1, the
  member named); an input missing (66, named); --inputs DIR; standard input;
  a replay summary of CSV tables and of a folder; a changed CSV byte and a
  changed row; the clock recorded only when the result depends on it;
  /dev/zero as the document or as an input read no further than needed;
- docs/audit.md's example record is what run writes.

usage: audit_test.py GOVTALLY REPO_ROOT
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

gt, root = (os.path.abspath(a) for a in sys.argv[1:3])
failures = 0
VERSION = re.search(r"project\(govtally VERSION ([0-9.]+)",
                    open(os.path.join(root, "CMakeLists.txt")).read()).group(1)


def check(ok, what, detail=""):
    global failures
    print(("ok " if ok else "FAIL ") + what + ("" if ok else ": " + str(detail)))
    if not ok:
        failures += 1


def run(args, cwd, stdin=None):
    p = subprocess.run([gt] + args, cwd=cwd, input=stdin, capture_output=True,
                       timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode(
        "utf-8", "replace")


def sha(data):
    return hashlib.sha256(data).hexdigest()


def canonical_digest(doc):
    """docs/audit.md#the-result-digest, in Python."""
    d = json.loads(json.dumps(doc))
    d["audit"].pop("result_sha256")
    canon = json.dumps(d, ensure_ascii=False, separators=(",", ":"))
    return sha(canon.encode("utf-8"))


def check_record(what, text, cwd, inputs, options=None, stdin_data=None):
    """The document's audit record, recomputed: inputs [(role, name)] whose
    files lie in cwd ("-": stdin_data)."""
    doc = json.loads(text)
    a = doc["audit"]
    check(list(doc)[-1] == "audit" and list(a)[-1] == "result_sha256",
          what + ": audit last, its digest last")
    check(a["govtally"] == VERSION, what + ": version", a["govtally"])
    check([(i["role"], i["name"]) for i in a["inputs"]] == inputs,
          what + ": inputs", a["inputs"])
    for i in a["inputs"]:
        data = stdin_data if i["name"] == "-" else open(
            os.path.join(cwd, i["name"]), "rb").read()
        check(i["size"] == len(data) and i["sha256"] == sha(data),
              "%s: %s's size and sha256 (hashlib)" % (what, i["name"]))
    if options is not None:
        check(a["options"] == options, what + ": options", a["options"])
    check(a["result_sha256"] == canonical_digest(doc),
          what + ": result_sha256 of the canonical form (hashlib)")
    return doc


def verify(what, args, cwd, want_rc, want_out=(), stdin=None):
    rc, out, err = run(["verify"] + args, cwd, stdin)
    ok = rc == want_rc and all(w in out for w in want_out)
    check(ok, what, "exit %d (wanted %d)\n%s%s" % (rc, want_rc, out, err))
    return out


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def result_cases(tmp):
    ex = open(os.path.join(root, "examples", "whale-veto", "proposal.json"), "rb").read()
    labels = open(os.path.join(root, "tests", "golden", "labels", "proposal.json"), "rb").read()
    write(os.path.join(tmp, "ex.json"), ex)
    write(os.path.join(tmp, "labels.json"), labels)
    sy = os.path.join(root, "fixtures", "identity-sybil-whale")
    os.mkdir(os.path.join(tmp, "id"))
    for f in ("proposal.json", "att.jsonl", "issuers.json"):
        shutil.copy(os.path.join(sy, f), os.path.join(tmp, "id", f))
    base = {"schemes": ["snapshot", "token", "address", "quadratic"], "cap": None,
            "proposal": None, "rule": None, "quorum": None, "support": None,
            "supply": None, "now": None}

    # the labels' escapes, through the canonical form
    rc, out, _ = run(["run", "labels.json", "--format", "json"], tmp)
    check_record("labels", out, tmp, [("export", "labels.json")], base)
    rc, out, err = run(["run", "ex.json", "--format", "json", "-o", "r.json"], tmp)
    doc = check_record("whale-veto", open(os.path.join(tmp, "r.json")).read(), tmp,
                       [("export", "ex.json")], base)
    verify("verify: identical", ["r.json"], tmp, 0, ["ok export ex.json (%d bytes)" % len(ex),
                                                     "identical"])
    for t in ("1", "2"):
        rc, out, _ = run(["run", "ex.json", "--format", "json", "--threads", t], tmp)
        check(out == open(os.path.join(tmp, "r.json")).read(),
              "run --threads %s: the same bytes, record included" % t)

    # docs/audit.md's example is this record
    page = open(os.path.join(root, "docs", "audit.md"), encoding="utf-8").read()
    shown = re.search(r"```json\n( \"audit\": .*?)\n```", page, re.S).group(1)
    rc, out, _ = run(["run", "examples/whale-veto/proposal.json", "--format", "json"], root)
    real = out[out.index(' "audit": '):]
    real = re.sub(r'"result_sha256": "[0-9a-f]{64}"', '"result_sha256": "…"', real).rstrip("\n")
    check(real == shown, "docs/audit.md's example record is run's", real)

    # one byte changed in the input
    write(os.path.join(tmp, "ex.json"), ex.replace(b"125011", b"125012", 1) if b"125011" in ex
          else ex[:-2] + b" " + ex[-1:])
    verify("verify: a changed byte names the input", ["r.json"], tmp, 1,
           ["changed export ex.json: %d bytes" % len(ex), "differs"])
    write(os.path.join(tmp, "ex.json"), ex)

    # a member of the result changed: the digest no longer holds
    tampered = json.loads(json.dumps(doc))
    tampered["schemes"][1]["scores"][0] = "1"
    write(os.path.join(tmp, "t.json"), json.dumps(tampered).encode())
    verify("verify: a changed member is named", ["t.json"], tmp, 1,
           ["result_sha256 is not the digest", "differs at schemes[1].scores[0]",
            'recomputed "%s"' % doc["schemes"][1]["scores"][0], "differs"])
    # ... and with its digest redone: still named
    tampered["audit"]["result_sha256"] = canonical_digest(tampered)
    write(os.path.join(tmp, "t2.json"), json.dumps(tampered, indent=1).encode())
    out = verify("verify: a changed member with its digest redone", ["t2.json"], tmp, 1,
                 ["differs at schemes[1].scores[0]"])
    check("result_sha256 is not" not in out, "a digest redone is accepted as the digest")
    # reformatted (whitespace only): still identical
    write(os.path.join(tmp, "ws.json"), json.dumps(doc, indent=3, ensure_ascii=False).encode())
    verify("verify: whitespace does not change the digest", ["ws.json"], tmp, 0, ["identical"])

    # missing, then found with --inputs
    os.mkdir(os.path.join(tmp, "elsewhere"))
    os.rename(os.path.join(tmp, "ex.json"), os.path.join(tmp, "elsewhere", "ex.json"))
    verify("verify: a missing input (66)", ["r.json"], tmp, 66, ["missing export ex.json"])
    verify("verify --inputs DIR", [os.path.join(tmp, "r.json"), "--inputs", "elsewhere"],
           tmp, 0, ["identical"])
    os.rename(os.path.join(tmp, "elsewhere", "ex.json"), os.path.join(tmp, "ex.json"))

    # standard input: name "-", the bytes read hashed
    rc, out, _ = run(["run", "-", "--format", "json"], tmp, ex)
    check_record("run -", out, tmp, [("export", "-")], base, stdin_data=ex)
    write(os.path.join(tmp, "s.json"), out.encode())
    check(json.loads(out)["audit"]["inputs"][0]["sha256"] == doc["audit"]["inputs"][0]["sha256"],
          "standard input and the file have one digest")
    verify("verify: '-' read from standard input", ["s.json"], tmp, 0, ["identical"], ex)
    verify("verify: another standard input", ["s.json"], tmp, 1, ["changed export -"], b"{}")

    # identity, options, several -a files
    args = ["run", "id/proposal.json", "-a", "id/att.jsonl", "-a", "id/att.jsonl", "-i",
            "id/issuers.json", "--cap", "0.250", "--quorum", "400000", "--rule", "snapshot",
            "--format", "json", "-o", "i.json"]
    rc, _, err = run(args, tmp)
    opts = dict(base, schemes=base["schemes"] + ["personhood", "quadratic-personhood",
                                                  "capped-personhood"],
                cap="0.25", rule="snapshot", quorum="400000")
    check_record("identity", open(os.path.join(tmp, "i.json")).read(), tmp,
                 [("export", "id/proposal.json"), ("attestations", "id/att.jsonl"),
                  ("attestations", "id/att.jsonl"), ("issuers", "id/issuers.json")], opts)
    verify("verify: identity and options", ["i.json"], tmp, 0, ["identical"])
    att = open(os.path.join(tmp, "id", "att.jsonl"), "rb").read()
    write(os.path.join(tmp, "id", "att.jsonl"), att.replace(b"}", b" }", 1))
    verify("verify: a changed attestation file", ["i.json"], tmp, 1,
           ["changed attestations id/att.jsonl"])
    write(os.path.join(tmp, "id", "att.jsonl"), att)

    # a proposal picked out of a folder: every file read, the id recorded
    os.makedirs(os.path.join(tmp, "many", "sub"))
    write(os.path.join(tmp, "many", "a.json"), ex)
    shutil.copy(os.path.join(tmp, "id", "proposal.json"), os.path.join(tmp, "many", "sub", "b.json"))
    rc, out, _ = run(["run", "many", "--proposal", "0xsybilwhale", "--format", "json", "-o",
                      "m.json"], tmp)
    check_record("picked", open(os.path.join(tmp, "m.json")).read(), tmp,
                 [("export", "many/a.json"), ("export", "many/sub/b.json")],
                 dict(base, proposal="0xsybilwhale"))
    verify("verify: a proposal picked from a folder", ["m.json"], tmp, 0, ["identical"])

    # the clock: recorded only when the result depends on it
    p = json.loads(ex)
    p["proposal"].pop("state", None)
    p["proposal"]["end"] = 4102444800  # 2100
    write(os.path.join(tmp, "open.json"), json.dumps(p).encode())
    rc, out, _ = run(["run", "open.json", "--format", "json", "-o", "o.json"], tmp)
    o = json.load(open(os.path.join(tmp, "o.json")))
    now = o["audit"]["options"]["now"]
    check(isinstance(now, int) and abs(now - __import__("time").time()) < 600 and
          any(w["code"] == "active" for w in o["warnings"]), "an open proposal records the clock")
    verify("verify: judged again with the recorded clock", ["o.json"], tmp, 0, ["identical"])
    p["proposal"]["end"] = 1000000000  # 2001
    write(os.path.join(tmp, "closed.json"), json.dumps(p).encode())
    rc, out, _ = run(["run", "closed.json", "--format", "json"], tmp)
    check(json.loads(out)["audit"]["options"]["now"] is None,
          "a proposal ended before the clock records none")


def replay_cases(tmp):
    data = os.path.join(root, "tests", "data", "history")
    for f in ("governor.csv", "aave.csv"):
        shutil.copy(os.path.join(data, f), os.path.join(tmp, f))
    shutil.copytree(os.path.join(data, "expected"), os.path.join(tmp, "exports"),
                    ignore=shutil.ignore_patterns("*.csv"))
    opts = {"schemes": ["snapshot", "token", "address", "quadratic"], "cap": None,
            "rule": None, "quorum": "100000", "support": None, "supply": None,
            "from": {"kind": "governor-csv", "map": None, "type": None, "decimals": 6,
                     "choice_labels": None}}
    args = ["replay", "--from", "governor-csv", "--decimals", "6", "governor.csv",
            "aave.csv", "--quorum", "100000", "--format", "json"]
    rc, out, err = run(args + ["-o", "rp.json"], tmp)
    doc = check_record("replay of CSV", open(os.path.join(tmp, "rp.json")).read(), tmp,
                       [("votes", "governor.csv"), ("votes", "aave.csv")], opts)
    for t in ("1", "2"):
        rc, out, _ = run(args + ["--threads", t], tmp)
        check(out == open(os.path.join(tmp, "rp.json")).read(),
              "replay --threads %s: the same bytes, record included" % t)
    verify("verify: a replay summary", ["rp.json"], tmp, 0,
           ["ok votes governor.csv", "ok votes aave.csv", "identical"])
    csv = open(os.path.join(tmp, "aave.csv"), "rb").read()
    write(os.path.join(tmp, "aave.csv"), csv.replace(b"\n", b"\r\n", 1))
    verify("verify: a changed vote table is named", ["rp.json"], tmp, 1,
           ["changed votes aave.csv", "differs"])
    write(os.path.join(tmp, "aave.csv"), csv)
    tampered = json.loads(json.dumps(doc))
    tampered["proposals"][1]["whales"]["nakamoto"] += 1
    tampered["audit"]["result_sha256"] = canonical_digest(tampered)
    write(os.path.join(tmp, "rt.json"), json.dumps(tampered).encode())
    verify("verify: a changed row is named", ["rt.json"], tmp, 1,
           ["differs at proposals[1].whales.nakamoto"])

    # a folder: its files in order; then found by --inputs
    rc, out, _ = run(["replay", "exports", "--format", "json", "-o", "rf.json"], tmp)
    names = sorted(os.path.join("exports", f) for f in os.listdir(os.path.join(tmp, "exports")))
    check_record("replay of a folder", open(os.path.join(tmp, "rf.json")).read(), tmp,
                 [("export", n) for n in names])
    verify("verify: a folder replayed", ["rf.json"], tmp, 0, ["identical"])
    os.rename(os.path.join(tmp, "exports"), os.path.join(tmp, "moved"))
    verify("verify: a replay's inputs missing", ["rf.json"], tmp, 66, ["missing export exports/"])
    verify("verify --inputs DIR: by base name", [os.path.join(tmp, "rf.json"), "--inputs", "moved"],
           tmp, 0, ["identical"])
    os.rename(os.path.join(tmp, "moved"), os.path.join(tmp, "exports"))

    # standard input
    gov = open(os.path.join(tmp, "governor.csv"), "rb").read()
    rc, out, _ = run(["replay", "--from", "governor-csv", "-", "--format", "json"], tmp, gov)
    check_record("replay -", out, tmp, [("votes", "-")], stdin_data=gov)
    write(os.path.join(tmp, "rs.json"), out.encode())
    verify("verify: a replay of standard input", ["rs.json"], tmp, 0, ["identical"], gov)

    # a stream of several 1 MiB chunks, blank text between documents and after
    # the last: its digest is of every byte read, whatever the threads
    ex = open(os.path.join(root, "examples", "whale-veto", "proposal.json"), "rb").read()
    big = b"\n \n".join([ex.strip()] * 300) + b"\n\t \n"
    write(os.path.join(tmp, "big.jsonl"), big)
    for t in ("1", "2"):
        rc, out, _ = run(["replay", "big.jsonl", "--format", "json", "--threads", t], tmp)
        check_record("replay of %d bytes, %s threads" % (len(big), t), out, tmp,
                     [("export", "big.jsonl")])
    rc, out, _ = run(["replay", "-", "--format", "json"], tmp, big)
    check_record("replay - of %d bytes" % len(big), out, tmp, [("export", "-")],
                 stdin_data=big)


def misuse_cases(tmp):
    verify("verify: no record (a CSV)", ["governor.csv"], tmp, 65)
    rc, out, _ = run(["run", "ex.json", "--format", "json"], tmp)
    d = json.loads(out)
    d.pop("audit")
    write(os.path.join(tmp, "old.json"), json.dumps(d).encode())
    verify("verify: a result without a record (65)", ["old.json"], tmp, 65)
    verify("verify: no such document (66)", ["absent.json"], tmp, 66)
    verify("verify: --inputs not a folder (64)", ["r.json", "--inputs", "r.json"], tmp, 64)
    # hostile: nothing endless is read
    with open("/dev/zero", "rb") as z:
        p = subprocess.run([gt, "verify", "-"], stdin=z, capture_output=True, timeout=60)
    check(p.returncode == 65, "verify - < /dev/zero: 65 at once", p.returncode)
    d = json.load(open(os.path.join(tmp, "r.json")))
    d["audit"]["inputs"][0]["name"] = "/dev/zero"
    write(os.path.join(tmp, "z.json"), json.dumps(d).encode())
    verify("verify: an input that is a device is not read (66)", ["z.json"], tmp, 66,
           ["missing export /dev/zero"])
    with open("/dev/zero", "rb") as z:
        p = subprocess.run([gt, "verify", "s.json"], cwd=tmp, stdin=z, capture_output=True,
                           timeout=60)
    check(p.returncode == 1 and b"more than the recorded" in p.stdout,
          "verify: standard input read only to its recorded size", p.stdout)


tmp = tempfile.mkdtemp()
try:
    result_cases(tmp)
    replay_cases(tmp)
    misuse_cases(tmp)
finally:
    shutil.rmtree(tmp)
print("all passed" if failures == 0 else "%d failed" % failures)
sys.exit(1 if failures else 0)
