#!/usr/bin/env python3
"""A stand-in for the Snapshot hub's GraphQL endpoint, for the fetch tests.

Serves the subset of the hub's GraphQL API that `govtally fetch` and anyone
paging votes uses: `proposal(id)`, `proposals(...)` and `votes(...)` with
`first`, `skip`, `where`, `orderBy` and `orderDirection`, with the public
hub's rules as its source has them (snapshot-labs/snapshot-hub,
src/graphql/helpers.ts and operations/*.ts):
  - `first` <= 1000 and `skip` <= 5000, else the error "The `first` argument
    must not be greater than 1000" (negative: "must be positive");
  - votes ordered by `created` (default) or `vp`, direction desc by default,
    then by id ascending; proposals likewise by a number field;
  - `where` filters: equality, _not, _in, _not_in, and _gt/_gte/_lt/_lte on
    numbers; proposals' `state` (here the fixture's own `state`);
  - errors as express-graphql gives them: HTTP 200, {"errors": [...],
    "data": {field: null}}; a query that does not parse: HTTP 400.
Numbers are served with the exact text of the fixture files (no float round
trip), so that a client's output can be compared byte for byte.

Faults, from a JSON file (--faults), each {"at": N, "kind": K, "count": C,
"retry_after": S}: requests N .. N+C-1 (1-based, counted over every POST)
get K instead of their answer:
  429       HTTP 429 with Retry-After (as the hub's rate limiter answers)
  502       HTTP 502 with an HTML body
  drop      a chunked answer cut in the middle of the page, connection closed
  truncate  Content-Length of the whole page, half of it sent, closed
  reset     the connection closed before any answer
  cutjson   HTTP 200, half the JSON with an honest Content-Length
  garbage   HTTP 200, an HTML page
  badvote   the page's first vote without its `voter`
  die       the server stops answering: every later request is reset
Every request is logged as one JSON line (--log): its number, the fields
asked and their arguments, and the fault applied.

usage: hub.py --fixtures FILE... [--faults F] [--log L] [--portfile P]
              [--ttl SECONDS]
Listens on 127.0.0.1 on a free port (written to --portfile and stdout) and
exits after --ttl seconds (default 300) whatever happens.
"""
import argparse
import bisect
import json
import os
import re
import socket
import sys
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LIMITS = {"first": 1000, "skip": 5000}


class Num(str):
    """A JSON number kept as the text it was written with."""


def load(path):
    with open(path, "rb") as f:
        return json.loads(f.read(), parse_int=Num, parse_float=Num)


def dump(v, out):
    if v is None:
        out.append("null")
    elif v is True:
        out.append("true")
    elif v is False:
        out.append("false")
    elif isinstance(v, Num):
        out.append(str(v))
    elif isinstance(v, (int, float)):
        out.append(json.dumps(v))
    elif isinstance(v, str):
        out.append(json.dumps(v, ensure_ascii=False))
    elif isinstance(v, list):
        out.append("[")
        for i, x in enumerate(v):
            if i:
                out.append(",")
            dump(x, out)
        out.append("]")
    else:
        out.append("{")
        for i, (k, x) in enumerate(v.items()):
            if i:
                out.append(",")
            out.append(json.dumps(k, ensure_ascii=False))
            out.append(":")
            dump(x, out)
        out.append("}")


def to_json(v):
    out = []
    dump(v, out)
    return "".join(out).encode()


# ---- a GraphQL subset: one query, fields with arguments and selections ----

TOKEN = re.compile(
    r'\s*(?:(?P<punct>\.\.\.|[{}()\[\]:,!$=])|(?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)'
    r'|(?P<str>"(?:[^"\\]|\\.)*")|(?P<name>[_A-Za-z][_0-9A-Za-z]*))'
)


class GraphQLError(Exception):
    pass


def tokens(text):
    pos, out = 0, []
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            if text[pos:].strip() == "" or text[pos] == "#":
                break
            raise GraphQLError("Syntax Error: unexpected character at %d" % pos)
        pos = m.end()
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
    return out


class Parser:
    def __init__(self, text, variables):
        self.t = [t for t in tokens(text) if t[1] != ","]
        self.i = 0
        self.vars = variables or {}

    def peek(self):
        return self.t[self.i][1] if self.i < len(self.t) else None

    def take(self, want=None):
        if self.i >= len(self.t):
            raise GraphQLError("Syntax Error: unexpected end")
        kind, v = self.t[self.i]
        if want is not None and v != want:
            raise GraphQLError("Syntax Error: expected %s, found %s" % (want, v))
        self.i += 1
        return kind, v

    def document(self):
        if self.peek() == "query":
            self.take()
            if self.t[self.i][0] == "name":
                self.take()
            if self.peek() == "(":  # variable definitions: skipped
                depth = 0
                while True:
                    _, v = self.take()
                    depth += v == "("
                    depth -= v == ")"
                    if depth == 0:
                        break
        sel = self.selection()
        if self.i != len(self.t):
            raise GraphQLError("Syntax Error: unexpected %s" % self.peek())
        return sel

    def selection(self):
        self.take("{")
        fields = []
        while self.peek() != "}":
            _, name = self.take()
            args = {}
            if self.peek() == "(":
                self.take()
                while self.peek() != ")":
                    _, k = self.take()
                    self.take(":")
                    args[k] = self.value()
                self.take(")")
            sub = self.selection() if self.peek() == "{" else None
            fields.append((name, args, sub))
        self.take("}")
        return fields

    def value(self):
        kind, v = self.take()
        if v == "$":
            _, name = self.take()
            return self.vars.get(name)
        if kind == "num":
            return Decimal(v) if any(c in v for c in ".eE") else int(v)
        if kind == "str":
            return json.loads(v)
        if v == "[":
            out = []
            while self.peek() != "]":
                out.append(self.value())
            self.take("]")
            return out
        if v == "{":
            out = {}
            while self.peek() != "}":
                _, k = self.take()
                self.take(":")
                out[k] = self.value()
            self.take("}")
            return out
        if v in ("true", "false"):
            return v == "true"
        if v == "null":
            return None
        return v  # an enum value (asc, desc)


# ---- resolvers over the fixtures ----


def num(v):
    return Decimal(str(v)) if v is not None else None


def check_limits(args):
    for k, limit in LIMITS.items():
        v = args.get(k)
        if v is None:
            continue
        if v > limit:
            raise GraphQLError("The `%s` argument must not be greater than %d" % (k, limit))
        if v < 0:
            raise GraphQLError("The `%s` argument must be positive" % k)
    for k, v in (args.get("where") or {}).items():
        if k.endswith("_in") and isinstance(v, list) and len(v) > 100 and k != "space_in":
            raise GraphQLError("The `%s` argument must not be greater than 100" % k)


SUFFIXES = ("_not_in", "_in", "_not", "_gte", "_gt", "_lte", "_lt")
VOTE_FIELDS = {"id", "ipfs", "space", "voter", "proposal", "reason", "app",
               "created", "vp", "vp_state"}
PROPOSAL_FIELDS = {"id", "ipfs", "space", "author", "network", "type", "app",
                   "created", "updated", "start", "end", "scores_state", "votes"}


def split_key(key, known):
    for suffix in SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in known:
            return key[: -len(suffix)], suffix
    if key in known:
        return key, ""
    raise GraphQLError('Field "%s" is not defined by type "Where".' % key)


def matches(item, where, numeric, known):
    for key, want in (where or {}).items():
        if key == "state":  # proposals: the fixture's own state
            if want and item.get("state") != want:
                return False
            continue
        field, suffix = split_key(key, known)
        have = item.get(field)
        if isinstance(have, dict):
            have = have.get("id")
        if field in numeric:
            have = num(have)
            want = [num(x) for x in want] if isinstance(want, list) else num(want)
        ok = {
            "": lambda: have == want,
            "_not": lambda: have != want,
            "_in": lambda: have in want,
            "_not_in": lambda: have not in want,
            "_gt": lambda: have > want,
            "_gte": lambda: have >= want,
            "_lt": lambda: have < want,
            "_lte": lambda: have <= want,
        }[suffix]()
        if not ok:
            return False
    return True


def listing(items, args, numeric, known, default_order="created"):
    check_limits(args)
    first = args.get("first", 20)
    skip = args.get("skip", 0)
    order = args.get("orderBy") or default_order
    if order not in numeric:
        order = default_order
    desc = (args.get("orderDirection") or "desc").lower() != "asc"
    got = [x for x in items if matches(x, args.get("where"), numeric, known)]
    # ORDER BY field DIR, id ASC
    got.sort(key=lambda x: x["id"])
    got.sort(key=lambda x: num(x.get(order)) or 0, reverse=desc)
    return got[skip: skip + first]


def select(item, fields):
    if fields is None or item is None:
        return item
    if isinstance(item, list):
        return [select(x, fields) for x in item]
    out = {}
    for name, _, sub in fields:
        v = item.get(name)
        if name == "space" and isinstance(v, str):
            v = {"id": v}
        out[name] = select(v, sub) if isinstance(v, (dict, list)) and sub else v
    return out


class Hub:
    def __init__(self, fixtures, faults, log):
        self.proposals = []
        self.votes = {}  # by proposal, sorted by (created, id)
        self.created = {}  # their created, for bisection
        for path in fixtures:
            doc = load(path)
            p = doc["proposal"]
            self.proposals.append(p)
            vs = [dict(v, proposal=p["id"]) for v in doc["votes"]]
            vs.sort(key=lambda v: (int(v["created"]), v["id"]))
            self.votes[p["id"]] = vs
            self.created[p["id"]] = [int(v["created"]) for v in vs]
        self.all_votes = [v for vs in self.votes.values() for v in vs]
        self.faults = faults
        self.log = open(log, "a") if log else None
        self.lock = threading.Lock()
        self.count = 0
        self.dead = False

    def fault_for(self, n):
        if self.dead:
            return {"kind": "reset"}
        for f in self.faults:
            if f["at"] <= n < f["at"] + f.get("count", 1):
                if f["kind"] == "die":
                    self.dead = True
                    return {"kind": "reset"}
                return f
        return None

    def resolve(self, name, args, sub):
        if name == "proposal":
            p = next((p for p in self.proposals if p["id"] == args.get("id")), None)
            return select(p, sub)
        if name == "proposals":
            numeric = {"created", "start", "end", "votes", "updated"}
            return select(listing(self.proposals, args, numeric, PROPOSAL_FIELDS), sub)
        if name == "votes":
            where = args.get("where") or {}
            fast = self.votes_by_created(args, where)
            if fast is not None:
                return select(fast, sub)
            pool = self.votes.get(where.get("proposal"), []) if "proposal" in where else self.all_votes
            return select(listing(pool, args, {"created", "vp"}, VOTE_FIELDS), sub)
        raise GraphQLError('Cannot query field "%s" on type "Query".' % name)

    def votes_by_created(self, args, where):
        """created ascending in one proposal: bisection over the sorted votes
        (the same answer as the general path, which is too slow for the
        benchmark's 100,000 votes)."""
        order = args.get("orderBy") or "created"
        if (order != "created" or (args.get("orderDirection") or "").lower() != "asc"
                or where.get("proposal") not in self.votes
                or not set(where) <= {"proposal", "created", "created_gte", "created_gt"}):
            return None
        check_limits(args)
        keys, vs = self.created[where["proposal"]], self.votes[where["proposal"]]
        lo, hi = 0, len(vs)
        if "created" in where:
            lo, hi = bisect.bisect_left(keys, where["created"]), bisect.bisect_right(keys, where["created"])
        if "created_gte" in where:
            lo = max(lo, bisect.bisect_left(keys, where["created_gte"]))
        if "created_gt" in where:
            lo = max(lo, bisect.bisect_right(keys, where["created_gt"]))
        skip, first = args.get("skip", 0), args.get("first", 20)
        return vs[min(lo + skip, hi): min(lo + skip + first, hi)]

    def answer(self, body):
        try:
            req = json.loads(body)
            fields = Parser(req.get("query", ""), req.get("variables")).document()
        except (GraphQLError, ValueError, AttributeError) as e:
            return 400, {"errors": [{"message": str(e)}]}, []
        data, errors = {}, []
        for name, args, sub in fields:
            try:
                data[name] = self.resolve(name, args, sub)
            except GraphQLError as e:
                data[name] = None
                errors.append({"message": str(e), "path": [name]})
        out = {"data": data}
        if errors:
            out = {"errors": errors, "data": data}
        return 200, out, fields


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, status, body, ctype="application/json", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def close_now(self):
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def do_POST(self):
        hub = self.server.hub
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        with hub.lock:
            hub.count += 1
            n = hub.count
            fault = hub.fault_for(n)
        kind = fault["kind"] if fault else None
        status, doc, fields = hub.answer(body)
        if kind == "badvote":
            votes = (doc.get("data") or {}).get("votes")
            if votes:
                votes[0] = {k: v for k, v in votes[0].items() if k != "voter"}
        payload = to_json(doc)
        if hub.log:
            entry = {"n": n, "fault": kind, "status": status,
                     "fields": [[f, {k: str(v) for k, v in a.items()}] for f, a, _ in fields],
                     "api_key": self.headers.get("x-api-key")}
            with hub.lock:
                hub.log.write(json.dumps(entry) + "\n")
                hub.log.flush()
        if kind == "429":
            self.send(429, b'{"error":"too many requests"}',
                      headers=[("Retry-After", str(fault.get("retry_after", 1)))])
        elif kind == "502":
            self.send(502, b"<html><body>502 Bad Gateway</body></html>", "text/html")
        elif kind == "garbage":
            self.send(200, b"<html><body>maintenance</body></html>", "text/html")
        elif kind == "cutjson":
            self.send(200, payload[: len(payload) // 2])
        elif kind == "reset":
            self.close_now()
        elif kind == "truncate":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload[: len(payload) // 2])
            self.close_now()
        elif kind == "drop":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            half = payload[: len(payload) // 2]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(half), half))
            self.close_now()
        else:
            self.send(status, payload)

    def do_GET(self):
        self.send(405, b'{"error":"POST a GraphQL query"}')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fixtures", nargs="+", required=True)
    ap.add_argument("--faults")
    ap.add_argument("--log")
    ap.add_argument("--portfile")
    ap.add_argument("--ttl", type=float, default=300)
    a = ap.parse_args()
    faults = json.load(open(a.faults)) if a.faults else []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.hub = Hub(a.fixtures, faults, a.log)
    port = server.server_address[1]
    if a.portfile:
        tmp = a.portfile + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, a.portfile)
    print(port, flush=True)
    threading.Timer(a.ttl, lambda: os._exit(3)).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
