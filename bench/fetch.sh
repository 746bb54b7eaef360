#!/bin/sh
# fetch.sh: `govtally fetch snapshot` of a 100,000-vote proposal from the hub
# stand-in (tests/fetch/hub.py) on 127.0.0.1, with no rate limit: wall time
# and votes/s, against a naive client in the same run (Python's urllib paging
# the same queries and decoding every page with json), and `govtally run` on
# the result. The stand-in's serving is part of both times.
#   usage: bench/fetch.sh [GOVTALLY] [VOTES] [RUNS]
# GOVTALLY defaults to build/release/govtally; VOTES to 100000; the best of
# RUNS (default 3) is reported.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/build/release/govtally}
VOTES=${2:-100000}
RUNS=${3:-3}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gvt_fetch_bench.XXXXXX")
HUB_PID=
cleanup() { [ -n "$HUB_PID" ] && kill "$HUB_PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

python3 - "$ROOT/tests/fetch" "$TMP/p.json" "$VOTES" <<'EOF'
import random, sys
sys.path.insert(0, sys.argv[1])
import fixtures
rng = random.Random(5)
votes = fixtures.big_votes(rng, int(sys.argv[3]), 1700000000, cluster=False)
p = fixtures.proposal(rng, fixtures.hexid(rng), "single-choice", 4, votes, 1699990000)
open(sys.argv[2], "w").write(fixtures.dumps({"proposal": p, "votes": votes}))
print(p["id"])
EOF
ID=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['proposal']['id'])" "$TMP/p.json")
python3 "$ROOT/tests/fetch/hub.py" --fixtures "$TMP/p.json" --portfile "$TMP/port" \
    --ttl 1200 >/dev/null &
HUB_PID=$!
while [ ! -s "$TMP/port" ]; do sleep 0.1; done
URL="http://127.0.0.1:$(cat "$TMP/port")/graphql"

now() { python3 -c 'import time; print(time.time())'; }
best() { # COMMAND...: the best wall time of RUNS
    b=
    for _ in $(seq "$RUNS"); do
        t0=$(now); "$@" >/dev/null; t1=$(now)
        b=$(python3 -c "a=$t1-$t0; b='$b'; print(a if not b else min(a, float(b)))")
    done
    echo "$b"
}
naive() {
    python3 - "$URL" "$ID" <<'EOF'
import json, sys, urllib.request
url, pid = sys.argv[1], sys.argv[2]
q = ('query($id:String!,$s:Int!){votes(first:1000,skip:$s,where:{proposal:$id},'
     'orderBy:"created",orderDirection:asc){id voter created choice vp vp_by_strategy vp_state reason}}')
# skip stops at 5,000: the naive client pages with created_gte like govtally
q = q.replace("skip:$s,where:{proposal:$id}", "where:{proposal:$id,created_gte:$s}")
c, seen, n = 0, set(), 0
while True:
    body = json.dumps({"query": q, "variables": {"id": pid, "s": c}}).encode()
    req = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    page = json.loads(urllib.request.urlopen(req).read())["data"]["votes"]
    for v in page:
        if v["id"] not in seen:
            seen.add(v["id"]); n += 1
    if len(page) < 1000 or page[-1]["created"] == c:
        break
    c = page[-1]["created"]
print(n)
EOF
}
T_FETCH=$(best "$BIN" fetch snapshot "$ID" --hub "$URL" --rate 0 -o "$TMP/out.json")
T_NAIVE=$(best naive)
T_RUN=$(best "$BIN" run "$TMP/out.json" --format json)
python3 - "$VOTES" "$T_FETCH" "$T_NAIVE" "$T_RUN" <<'EOF'
import sys
n, f, nv, r = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
print("votes                 %d" % n)
print("govtally fetch        %.2f s  (%.0f votes/s)" % (f, n / f))
print("naive urllib client   %.2f s  (%.0f votes/s)  fetch/naive time ratio %.2f" % (nv, n / nv, f / nv))
print("govtally run on it    %.2f s" % r)
EOF
