#!/usr/bin/env python3
"""The command's help texts and its man page, docs/govtally.1, against each
other and against the program:

- groff renders the page with every warning on (-ww) and says nothing;
- `govtally --help` names every command; `govtally CMD --help` (and
  `attest SUB --help`) exits 0 and begins with its usage line;
- every option of every help text is accepted by the command (it is not
  refused as an unknown option), and is described in the man page's section
  of that command; every option the section describes is in the help;
- `cmake --install` puts the page where man finds it (share/man/man1).

usage: man_test.py GOVTALLY REPO_ROOT BUILD_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

gt, root, build = (os.path.abspath(a) for a in sys.argv[1:4])
page = os.path.join(root, "docs", "govtally.1")
failures = 0


def check(ok, what, detail=""):
    global failures
    print(("ok " if ok else "FAIL ") + what + ("" if ok else ": " + detail))
    if not ok:
        failures += 1


def run(args, cwd=None):
    p = subprocess.run([gt] + args, capture_output=True, text=True,
                       timeout=30, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*[a-z]|-[a-z])(?![\w-])")


def options(text):
    return set(OPTION.findall(text))


# 1. The page renders without a warning.
if shutil.which("groff"):
    p = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", page],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0 and p.stderr == "", "groff -ww renders the page silently",
          p.stderr.strip())
else:
    print("SKIP groff is not installed: the rendering is not checked")

# The page's source, per section, as plain text: `\-` is '-', font escapes go.
src = open(page, encoding="utf-8").read()
plain = re.sub(r"\\f[BIRP]", "", src).replace("\\-", "-").replace("\\(aq", "'")
sections = {}
for m in re.finditer(r'^\.SS "govtally ([a-z ]+)"\n(.*?)(?=^\.S[SH] )', plain,
                     re.M | re.S):
    sections[m.group(1)] = m.group(2)
commands = ["run", "check", "attest keygen", "attest sign", "attest verify",
            "import", "replay", "fetch", "verify"]
check(sorted(sections) == sorted(commands), "the page has a section per command",
      "sections: %s" % sorted(sections))

# 2. The top-level help names every command.
rc, out, _ = run(["--help"])
check(rc == 0, "govtally --help exits 0", "exit %d" % rc)
for c in commands:
    check("govtally " + c in out, "govtally --help names '%s'" % c)

# 3. Every command's help, its options against the parser and the page.
tmp = tempfile.mkdtemp()
try:
    for c in commands + ["attest"]:
        words = c.split()
        for flag in ("--help", "-h"):
            rc, out, err = run(words + [flag])
            check(rc == 0 and out.startswith("usage: govtally " + c) and err == "",
                  "govtally %s %s" % (c, flag), "exit %d, stderr %r, begins %r"
                  % (rc, err, out[:40]))
        rc, out, _ = run(words + ["--help"])
        opts = options(out) - {"-h", "--help"}
        # `attest --help` summarises its subcommands, checked one by one
        if c == "attest":
            continue
        section = sections.get(c, "")
        for o in sorted(opts):
            check(re.search(r"(?<![\w-])" + re.escape(o) + r"(?![\w-])", section)
                  is not None, "man page describes %s %s" % (c, o))
            # The parser knows it: a value is given, whatever its use.
            rc2, _, err2 = run(words + [o, os.path.join(tmp, "v")], cwd=tmp)
            check("unknown option" not in err2, "govtally %s accepts %s" % (c, o),
                  err2.strip())
        extra = options(section) - opts - {"-h", "--help"}
        check(not extra, "man page's %s section describes only its options" % c,
              "not in the help: %s" % sorted(extra))
    # `fetch eas --help` describes that source alone; its options are the
    # fetch section's.
    rc, out, err = run(["fetch", "eas", "--help"])
    check(rc == 0 and out.startswith("usage: govtally fetch eas") and err == "",
          "govtally fetch eas --help", "exit %d, begins %r" % (rc, out[:40]))
    for o in sorted(options(out) - {"-h", "--help"}):
        check(re.search(r"(?<![\w-])" + re.escape(o) + r"(?![\w-])",
                        sections.get("fetch", "")) is not None,
              "man page describes fetch eas %s" % o)
        rc2, _, err2 = run(["fetch", "eas", o, os.path.join(tmp, "v")], cwd=tmp)
        check("unknown option" not in err2, "govtally fetch eas accepts %s" % o,
              err2.strip())
    # --help is an option: after "--" it is an argument like any other.
    rc, out, err = run(["check", "--", "--help"])
    check(rc == 66 and "usage" not in out, "'--' ends the options, --help included",
          "exit %d" % rc)

    # 4. Installed where man looks for it.
    prefix = os.path.join(tmp, "prefix")
    p = subprocess.run(["cmake", "--install", build, "--prefix", prefix,
                        "--component", "man"], capture_output=True, text=True,
                       timeout=120)
    installed = os.path.join(prefix, "share", "man", "man1", "govtally.1")
    check(p.returncode == 0 and os.path.isfile(installed)
          and open(installed, encoding="utf-8").read() == src,
          "cmake --install puts the page in share/man/man1", p.stderr.strip())
    if shutil.which("man"):
        env = dict(os.environ, MANPATH=os.path.join(prefix, "share", "man"))
        p = subprocess.run(["man", "-w", "govtally"], capture_output=True,
                           text=True, env=env, timeout=60)
        check(p.stdout.strip() == installed, "man -w govtally finds the installed page",
              p.stdout.strip() + p.stderr.strip())
finally:
    shutil.rmtree(tmp)

print("%s" % ("all passed" if failures == 0 else "%d failed" % failures))
sys.exit(1 if failures else 0)
