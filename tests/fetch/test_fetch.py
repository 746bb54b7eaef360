#!/usr/bin/env python3
"""`govtally fetch snapshot` against the hub stand-in (hub.py) on 127.0.0.1.

The fixtures (fixtures.py) are the truth: the hub serves them, the fetched
export must hold the same proposal fields and the same votes, vote for vote
with every number's text unchanged, and `govtally run` on the fetched file
must print the same result as on the fixture itself. Then faults (429
bursts with Retry-After, a connection dropped mid-page, 502, a cut body,
a page that is not JSON), errors (unreachable hub: 66; malformed page and a
count that disagrees: 65; no partial output left), the space listing as JSON
Lines, and a resumed interrupted run.

usage: test_fetch.py GOVTALLY
"""
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fixtures  # noqa: E402

GOVTALLY = os.path.abspath(sys.argv[1])
TMP = tempfile.mkdtemp(prefix="gvt-fetch-")
FAILS = []
VOTE_FIELDS = ["id", "voter", "created", "choice", "vp", "vp_by_strategy", "vp_state", "reason"]
PROPOSAL_FIELDS = ["id", "title", "type", "choices", "start", "end", "snapshot", "state",
                   "quorum", "quorumType", "privacy", "scores", "scores_total",
                   "scores_state", "space", "strategies", "votes"]


class Num(str):
    pass


def load(path):
    with open(path, "rb") as f:
        return json.loads(f.read(), parse_int=Num, parse_float=Num)


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what, flush=True)
    return cond


class Hub:
    """hub.py as a child process, bounded in time, stopped by the test."""

    def __init__(self, files, faults=None, name="hub"):
        self.dir = os.path.join(TMP, name)
        os.makedirs(self.dir, exist_ok=True)
        self.log = os.path.join(self.dir, "log.jsonl")
        portfile = os.path.join(self.dir, "port")
        cmd = [sys.executable, os.path.join(HERE, "hub.py"), "--fixtures", *files,
               "--log", self.log, "--portfile", portfile, "--ttl", "120"]
        if faults:
            fp = os.path.join(self.dir, "faults.json")
            with open(fp, "w") as f:
                json.dump(faults, f)
            cmd += ["--faults", fp]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
        for _ in range(200):
            if os.path.exists(portfile):
                break
            time.sleep(0.05)
        with open(portfile) as f:
            self.url = "http://127.0.0.1:%d/graphql" % int(f.read())

    def requests(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return [json.loads(line) for line in f]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def fetch(hub_url, *args, env=None, timeout=120):
    cmd = [GOVTALLY, "fetch", "snapshot", *args, "--hub", hub_url, "--rate", "0",
           "--backoff", "20"]
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=e)


def run_json(path):
    """run's JSON result, without its audit record (which names the file
    read and its digest: two files of one proposal differ there)."""
    r = subprocess.run([GOVTALLY, "run", path, "--format", "json"], capture_output=True,
                       timeout=120)
    if r.returncode != 0:
        return r.returncode, r.stdout
    doc = json.loads(r.stdout)
    doc.pop("audit")
    return r.returncode, json.dumps(doc).encode()


def same_export(fetched_path, fixture_path, name):
    got, want = load(fetched_path), load(fixture_path)
    wp = {k: want["proposal"][k] for k in PROPOSAL_FIELDS}
    check(got["proposal"] == wp, "%s: proposal fields differ" % name)
    check(list(got.keys()) == ["proposal", "votes"], "%s: keys %s" % (name, list(got)))
    ids = [v["id"] for v in got["votes"]]
    check(len(ids) == len(set(ids)), "%s: duplicate votes" % name)
    want_votes = {v["id"]: {k: v[k] for k in VOTE_FIELDS} for v in want["votes"]}
    got_votes = {v["id"]: v for v in got["votes"]}
    check(len(got["votes"]) == len(want["votes"]),
          "%s: %d votes fetched of %d" % (name, len(got["votes"]), len(want["votes"])))
    check(got_votes == want_votes, "%s: votes differ" % name)
    created = [int(v["created"]) for v in got["votes"]]
    check(created == sorted(created), "%s: votes not in created order" % name)
    if name not in ("empty",):
        a, b = run_json(fetched_path), run_json(fixture_path)
        check(a == b and a[0] == 0, "%s: run differs (%d, %d)" % (name, a[0], b[0]))


def check_encrypted(fetched, fixture):
    """Votes still encrypted are fetched as they are and `run` counts them
    under `encrypted`; the same votes without privacy "shutter" are
    invalid-choice. Expected counts from the fixture itself."""
    votes = load(fixture)["votes"]
    sealed = sum(1 for v in votes if isinstance(v["choice"], str) and v["choice"].startswith("0x"))
    rc, out = run_json(fetched)
    got = json.loads(out)["ballots"]["rejected"] if rc == 0 else {}
    check(sealed > 0 and got.get("encrypted") == sealed,
          "shutter: %s encrypted of %d" % (got.get("encrypted"), sealed))
    plain = fetched + ".plain.json"
    with open(fetched) as f, open(plain, "w") as g:
        g.write(f.read().replace('"privacy":"shutter"', '"privacy":""', 1))
    rc, out2 = run_json(plain)
    got2 = json.loads(out2)["ballots"]["rejected"] if rc == 0 else {}
    check(got2.get("encrypted") == 0 and
          got2.get("invalid-choice") == got.get("invalid-choice", -1) + sealed,
          "shutter without privacy: %s" % got2)


def test_every_type(files):
    hub = Hub(list(files.values()), name="every-type")
    try:
        for name, path in files.items():
            if name == "active":
                continue
            pid = load(path)["proposal"]["id"]
            out = os.path.join(hub.dir, name + ".out.json")
            r = fetch(hub.url, pid, "-o", out)
            if check(r.returncode == 0, "%s: exit %d: %s" % (name, r.returncode, r.stderr)):
                same_export(out, path, name)
            if name == "shutter":
                check_encrypted(out, path)
        log = hub.requests()
        asked = [a for e in log for _, a in e["fields"]]
        check(all(int(a.get("first", "0")) <= 1000 and int(a.get("skip", "0")) <= 5000
                  for a in asked), "a request beyond the hub's caps")
        big_pages = [a for e in log for f, a in e["fields"] if f == "votes" and "skip" in a]
        check(len(big_pages) >= 2, "the 2,500-vote second was not read by skip")
        # The stand-in keeps the hub's caps (what the client must live with).
        import urllib.request
        body = json.dumps({"query": "{votes(first:1001){id}}"}).encode()
        req = urllib.request.Request(hub.url, body, {"Content-Type": "application/json"})
        ans = json.loads(urllib.request.urlopen(req, timeout=10).read())
        check("must not be greater than 1000" in ans["errors"][0]["message"],
              "stand-in: first 1001 accepted")
        # The API key goes in x-api-key.
        pid = load(files["basic"])["proposal"]["id"]
        r = fetch(hub.url, pid, "-o", os.path.join(hub.dir, "k.json"),
                  env={"SNAPSHOT_API_KEY": "k-123"})
        check(r.returncode == 0 and hub.requests()[-1]["api_key"] == "k-123",
              "API key not sent as x-api-key")
    finally:
        hub.stop()


def test_faults(files):
    faults = [{"at": 2, "kind": "429", "count": 3, "retry_after": 1},
              {"at": 6, "kind": "drop"}, {"at": 8, "kind": "502"},
              {"at": 10, "kind": "truncate"}, {"at": 12, "kind": "cutjson"},
              {"at": 14, "kind": "garbage"}, {"at": 16, "kind": "reset"},
              {"at": 18, "kind": "429", "count": 2, "retry_after": 0}]
    hub = Hub([files["big"]], faults, name="faults")
    try:
        pid = load(files["big"])["proposal"]["id"]
        out = os.path.join(hub.dir, "big.out.json")
        t = time.time()
        r = fetch(hub.url, pid, "-o", out)
        if check(r.returncode == 0, "faults: exit %d: %s" % (r.returncode, r.stderr)):
            same_export(out, files["big"], "big under faults")
        log = hub.requests()
        check(sum(1 for e in log if e["fault"]) == 11, "faults: not every fault was met")
        check(time.time() - t >= 3, "faults: Retry-After not waited for")
    finally:
        hub.stop()


def test_errors(files, mismatch):
    # Nothing listens: 66 after the retry budget, and no output file.
    hub = Hub([files["basic"]], name="gone")
    url = hub.url
    hub.stop()
    out = os.path.join(TMP, "gone.json")
    r = fetch(url, "0xabc", "-o", out, "--retries", "2")
    check(r.returncode == 66 and url in r.stderr and "3 attempts" in r.stderr,
          "unreachable: exit %d: %s" % (r.returncode, r.stderr))
    check(not os.path.exists(out) and not [f for f in os.listdir(TMP) if ".tmp" in f],
          "unreachable: output left behind")
    # 502 every time: 66.
    hub = Hub([files["basic"]], [{"at": 1, "kind": "502", "count": 100}], name="e502")
    try:
        r = fetch(hub.url, load(files["basic"])["proposal"]["id"], "--retries", "2")
        check(r.returncode == 66 and "HTTP 502" in r.stderr, "502: %d %s" % (r.returncode, r.stderr))
    finally:
        hub.stop()
    # A page that is not JSON every time: 65, naming the page.
    hub = Hub([files["basic"]], [{"at": 2, "kind": "garbage", "count": 100}], name="garbage")
    try:
        r = fetch(hub.url, load(files["basic"])["proposal"]["id"])
        check(r.returncode == 65 and "votes page 1" in r.stderr and "not JSON" in r.stderr,
              "garbage: %d %s" % (r.returncode, r.stderr))
    finally:
        hub.stop()
    # A vote without voter: 65 with the JSON path; stdout left unclosed.
    hub = Hub([files["basic"]], [{"at": 2, "kind": "badvote"}], name="badvote")
    try:
        r = fetch(hub.url, load(files["basic"])["proposal"]["id"])
        check(r.returncode == 65 and "$.data.votes[0].voter" in r.stderr,
              "badvote: %d %s" % (r.returncode, r.stderr))
        check(not r.stdout.rstrip().endswith("]}"), "badvote: stdout looks complete")
    finally:
        hub.stop()
    # The hub's count and its pages disagree: 65.
    hub = Hub([mismatch], name="mismatch")
    try:
        out = os.path.join(hub.dir, "m.json")
        r = fetch(hub.url, load(mismatch)["proposal"]["id"], "-o", out)
        check(r.returncode == 65 and "counts 26 votes but its pages held 25" in r.stderr
              and not os.path.exists(out), "mismatch: %d %s" % (r.returncode, r.stderr))
        r = fetch(hub.url, "0xnothere")
        check(r.returncode == 66 and "no proposal 0xnothere" in r.stderr,
              "unknown proposal: %d %s" % (r.returncode, r.stderr))
    finally:
        hub.stop()


def space_lines(path):
    with open(path) as f:
        return f.read().splitlines()


def test_space(files, mismatch):
    names = [n for n in files]
    hub = Hub([files[n] for n in names] + [mismatch], name="space")
    try:
        out = os.path.join(hub.dir, "space.jsonl")
        r = fetch(hub.url, "--space", fixtures.SPACE, "--state", "closed", "-o", out)
        check(r.returncode == 0, "space: %d %s" % (r.returncode, r.stderr))
        closed = sorted((load(files[n])["proposal"] for n in names
                         if load(files[n])["proposal"]["state"] == "closed"),
                        key=lambda p: (int(p["created"]), p["id"]))
        lines = space_lines(out)
        got = [json.loads(line)["proposal"]["id"] for line in lines]
        check(sorted(got) == sorted(p["id"] for p in closed) and len(got) == len(closed),
              "space: proposals %s" % got)
        # every line is the same export as fetching its proposal alone
        by_id = {load(files[n])["proposal"]["id"]: files[n] for n in names}
        for i, line in enumerate(lines):
            one = os.path.join(hub.dir, "line%d.json" % i)
            with open(one, "w") as f:
                f.write(line + "\n")
            same_export(one, by_id[got[i]], "space line %d" % i)
        # --since/--until: created in [since, until)
        t0 = int(load(files["shutter"])["proposal"]["created"])
        r = fetch(hub.url, "--space", fixtures.SPACE, "--since", str(t0), "--until",
                  str(t0 + 2), "-o", os.path.join(hub.dir, "window.jsonl"))
        got = [json.loads(x)["proposal"]["type"] for x in space_lines(os.path.join(hub.dir, "window.jsonl"))]
        check(r.returncode == 0 and len(got) == 3, "space window: %s %s" % (got, r.stderr))
        # the same window in ISO 8601 (UTC, and with a zone), as Python writes it
        iso = datetime.datetime.fromtimestamp(t0, datetime.timezone.utc)
        for since, until in ((iso.strftime("%Y-%m-%dT%H:%M:%SZ"),
                              (iso + datetime.timedelta(seconds=2)).strftime("%Y-%m-%dT%H:%M:%SZ")),
                             (iso.astimezone(datetime.timezone(datetime.timedelta(hours=2))).isoformat(),
                              str(t0 + 2))):
            w = os.path.join(hub.dir, "window-iso.jsonl")
            r = fetch(hub.url, "--space", fixtures.SPACE, "--since", since, "--until", until, "-o", w)
            got_iso = [json.loads(x)["proposal"]["type"] for x in space_lines(w)]
            check(r.returncode == 0 and got_iso == got,
                  "space window %s..%s: %s %s" % (since, until, got_iso, r.stderr))
        # replay reads the JSON Lines
        rr = subprocess.run([GOVTALLY, "replay", out, "--format", "csv"], capture_output=True,
                            text=True, timeout=120)
        check(rr.returncode == 0 and len(rr.stdout.splitlines()) == len(lines) + 1,
              "replay on the space: %d %s" % (rr.returncode, rr.stderr))
    finally:
        hub.stop()
    return out


def test_resume(files, full):
    names = list(files)
    # The hub stops answering after the big proposal: the run fails with the
    # proposals before it whole in FILE.partial.
    hub = Hub([files[n] for n in names], [{"at": 30, "kind": "die"}], name="resume1")
    out = os.path.join(hub.dir, "space.jsonl")
    try:
        r = fetch(hub.url, "--space", fixtures.SPACE, "--state", "closed", "-o", out,
                  "--retries", "1")
        check(r.returncode == 66 and os.path.exists(out + ".partial") and not os.path.exists(out),
              "interrupted: %d %s" % (r.returncode, r.stderr))
    finally:
        hub.stop()
    with open(out + ".partial") as f:
        whole = f.read().count("\n")  # lines ended: whole proposals
    with open(out + ".partial", "a") as f:
        f.write('{"proposal":{"id":"0xcut"')  # a line cut short
    hub = Hub([files[n] for n in names], name="resume2")
    try:
        r = fetch(hub.url, "--space", fixtures.SPACE, "--state", "closed", "-o", out, "--resume")
        check(r.returncode == 0, "resume: %d %s" % (r.returncode, r.stderr))
        with open(out, "rb") as a, open(full, "rb") as b:
            check(a.read() == b.read(), "resume: output differs from an uninterrupted run")
        asked = [a.get("id") for e in hub.requests() for f, a in e["fields"] if f == "proposal"]
        check(len(asked) == len(space_lines(full)) - whole and whole > 0,
              "resume: %d proposals fetched again, %d were whole" % (len(asked), whole))
    finally:
        hub.stop()


def main():
    files = fixtures.write_all(os.path.join(TMP, "fixtures"), seed=11)
    mismatch = fixtures.write_mismatch(os.path.join(TMP, "fixtures"))
    try:
        for test in (test_every_type, test_faults, test_errors, test_space, test_resume):
            t = time.time()
            if test is test_errors or test is test_space:
                full = test(files, mismatch)
            elif test is test_resume:
                test(files, full)
            else:
                test(files)
            print("%s: %.1f s" % (test.__name__, time.time() - t), flush=True)
    finally:
        if not FAILS:
            shutil.rmtree(TMP, ignore_errors=True)
    if FAILS:
        print("%d failures; files kept in %s" % (len(FAILS), TMP))
        return 1
    print("fetch: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
