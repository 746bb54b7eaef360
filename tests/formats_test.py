#!/usr/bin/env python3
"""docs/formats.md holds true: its examples are run.

- every block marked `<!-- file: NAME -->` is written to a scratch folder;
- every block marked `<!-- run: [exit=N] ARGS -->` is the exact standard
  output of `govtally ARGS` run there (and N, default 0, its exit status);
  `<!-- run-json: ARGS -->` the same output compared as JSON documents, so
  the page may show them indented;
- every `audit` record the page shows is recomputed without govtally: each
  input's size and SHA-256 (hashlib over the example file), the version
  (CMakeLists.txt's), and result_sha256 over the document's canonical form
  as docs/audit.md defines it;
- the attestation's worked example is recomputed without govtally: the
  message's text and hex agree, the message is the canonical form of the
  example attestation's fields, its BLAKE2b-256 (Python's hashlib) is the id,
  the nullifier is SHA-256 of the text the page names; with Node's crypto,
  the seed gives RFC 8032's TEST 1 public key and the signature shown, and
  the page's Node program prints the example attestation. A changed weight
  makes govtally report a bad signature.

usage: formats_test.py GOVTALLY REPO_ROOT
"""
import decimal
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

gt, root = (os.path.abspath(a) for a in sys.argv[1:3])
doc = open(os.path.join(root, "docs", "formats.md"), encoding="utf-8").read()
failures = 0
RFC8032_TEST1_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"


def check(ok, what, detail=""):
    global failures
    print(("ok " if ok else "FAIL ") + what + ("" if ok else ": " + str(detail)))
    if not ok:
        failures += 1


# (marker, block text) in page order; a block's text ends with a newline.
blocks = [(m.group(1).strip(), m.group(2))
          for m in re.finditer(r"<!-- (.*?) -->\n```[a-z]*\n(.*?)^```$", doc,
                               re.M | re.S)]
marked = {}
for marker, text in blocks:
    marked.setdefault(marker, text)


def json_docs(text):
    """The JSON documents of text, one after another."""
    dec = json.JSONDecoder(parse_float=decimal.Decimal)
    out, i = [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i == len(text):
            return out
        v, i = dec.raw_decode(text, i)
        out.append(v)


tmp = tempfile.mkdtemp()
try:
    for marker, text in blocks:
        if marker.startswith("file: "):
            path = os.path.join(tmp, marker[6:])
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            os.chmod(path, 0o600)

    runs = 0
    for marker, text in blocks:
        m = re.match(r"(run|run-json): (?:exit=(\d+) )?(.*)$", marker)
        if not m:
            continue
        runs += 1
        want_rc = int(m.group(2) or 0)
        p = subprocess.run([gt] + shlex.split(m.group(3)), cwd=tmp,
                           capture_output=True, text=True, timeout=60)
        what = "govtally " + m.group(3)
        if p.returncode != want_rc:
            check(False, what, "exit %d, wanted %d; stderr: %s"
                  % (p.returncode, want_rc, p.stderr.strip()))
        elif m.group(1) == "run":
            check(p.stdout == text, what, "output differs:\n" + p.stdout)
        else:
            check(json_docs(p.stdout) == json_docs(text), what,
                  "output differs:\n" + p.stdout)
    check(runs >= 10, "the page runs its examples", "%d run blocks" % runs)

    # The audit records the page shows, recomputed (docs/audit.md).
    version = re.search(r"project\(govtally VERSION ([0-9.]+)",
                        open(os.path.join(root, "CMakeLists.txt")).read()).group(1)
    audits = 0
    for marker, text in blocks:
        if not re.match(r"run(-json)?: ", marker) or not text.startswith("{"):
            continue
        for d in json_docs(text):
            if not isinstance(d, dict) or "audit" not in d:
                continue
            audits += 1
            a = d["audit"]
            check(a["govtally"] == version, marker + ": audit.govtally",
                  a["govtally"])
            for i in a["inputs"]:
                data = open(os.path.join(tmp, i["name"]), "rb").read()
                check(i["size"] == len(data) and
                      i["sha256"] == hashlib.sha256(data).hexdigest(),
                      "%s: %s's size and sha256 (hashlib)" % (marker, i["name"]))
            plain = json.loads(json.dumps(d, default=str))
            recorded = plain["audit"].pop("result_sha256")
            canon = json.dumps(plain, ensure_ascii=False, separators=(",", ":"))
            check(hashlib.sha256(canon.encode("utf-8")).hexdigest() == recorded,
                  marker + ": result_sha256 of the canonical form (hashlib)")
    check(audits >= 4, "the page's audit records are recomputed", audits)

    # The worked example, without govtally.
    keys = dict(line.split(None, 1) if not line.startswith("public key")
                else ("public key", line.split()[-1])
                for line in marked["example-keys"].splitlines())
    keys = {k: v.strip() for k, v in keys.items()}
    message = marked["message"].encode("ascii")
    check(bytes.fromhex("".join(marked["message-hex"].split())) == message,
          "the message's hex is its text")
    check(len(message) == 284 and b"\r" not in message and message.endswith(b"\n"),
          "the message is 284 bytes of LF-ended lines", len(message))
    att = json.loads(marked["file: att.jsonl"])
    canonical = ("gvt-attestation/1\nissuer=%s\nsubject=%s\nnullifier=%s\n"
                 "scope=%s\nissued_at=%d\nexpires_at=%d\nweight=%s\n"
                 % (att["issuer"].lower(), att["subject"].lower(),
                    att["nullifier"].lower(), att["scope"], att["issued_at"],
                    att["expires_at"], att["weight"])).encode("ascii")
    check(canonical == message, "the message is the attestation's canonical form")
    check(hashlib.blake2b(message, digest_size=32).hexdigest() == keys["id"],
          "BLAKE2b-256 of the message is the id (hashlib)")
    check(hashlib.sha256(b"gvt example human").hexdigest() == keys["nullifier"]
          == att["nullifier"], "the nullifier is SHA-256('gvt example human')")
    check(att["sig"] == keys["sig"] and att["issuer"] == keys["public key"],
          "the attestation carries the signature and key shown")
    check(open(os.path.join(tmp, "issuer.key")).read().strip() == keys["seed"],
          "the key file holds the seed")

    node = shutil.which("node")
    if node:
        prog = """
const crypto = require('crypto');
const [seed, msg] = process.argv.slice(1).map(h => Buffer.from(h, 'hex'));
const key = crypto.createPrivateKey({key: Buffer.concat([
  Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
  format: 'der', type: 'pkcs8'});
const pub = crypto.createPublicKey(key);
const sig = crypto.sign(null, msg, key);
console.log(pub.export({format: 'der', type: 'spki'}).subarray(12).toString('hex'));
console.log(sig.toString('hex'));
console.log(crypto.verify(null, msg, pub, sig));
"""
        p = subprocess.run([node, "-e", prog, keys["seed"], message.hex()],
                           capture_output=True, text=True, timeout=60)
        out = p.stdout.split()
        check(p.returncode == 0 and out[0] == keys["public key"] == RFC8032_TEST1_PUBLIC,
              "the seed's public key is RFC 8032 TEST 1's (node)", p.stdout + p.stderr)
        check(len(out) > 2 and out[1] == keys["sig"] and out[2] == "true",
              "Ed25519 of the message with the seed is the sig (node)", p.stdout)
        p = subprocess.run([node, "-e", marked["node-example"]],
                           capture_output=True, text=True, timeout=60)
        check(p.returncode == 0 and json.loads(p.stdout) == att,
              "the page's Node program prints the example attestation",
              p.stdout + p.stderr)
    else:
        print("SKIP node is not installed: the signature is not recomputed")

    # A signed field changed: the signature no longer holds.
    bad = dict(att, weight="0.25")
    with open(os.path.join(tmp, "bad.jsonl"), "w") as f:
        f.write(json.dumps(bad) + "\n")
    p = subprocess.run([gt, "attest", "verify", "-i", "issuers.json", "bad.jsonl"],
                       cwd=tmp, capture_output=True, text=True, timeout=60)
    check(p.returncode == 1 and json.loads(p.stdout)["rejected"]["bad-signature"] == 1,
          "a changed weight is a bad signature", p.stdout + p.stderr)
finally:
    shutil.rmtree(tmp)

print("all passed" if failures == 0 else "%d failed" % failures)
sys.exit(1 if failures else 0)
