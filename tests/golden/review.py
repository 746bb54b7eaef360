#!/usr/bin/env python3
"""The review of the golden reports (tests/golden/*.txt, *.csv, *.html):
every figure they show recomputed from the proposal, independently of
govtally, with Python's exact fractions, following the rules written in
docs/schemes.md, docs/analysis.md and docs/reports.md.

Run when the golden files were first written and whenever they change:
    python3 tests/golden/review.py            (from the repository root)
It prints what it checked and every disagreement. Not a ctest: the golden
test (tests/golden_test.sh) compares the writers' bytes; this script is why
those bytes can be trusted. The types of these cases (single-choice, basic,
copeland) are the only ones it knows.

Checked: CSV, every line; text, every score and share cell, totals, the
header, identity, whale and verdict lines (the verdict rebuilt from the
rules, labels quoted and cut); HTML, the heading (title or id), the facts
and the id, the exact score tables and their colours, every bar's name,
colour, share and length, the choices' headings, the verdict, the cards,
the largest voters' addresses, vp and shares, the Lorenz curve's ticks and
every point of it. Banzhaf indices are only compared with the JSON
result (tests/oracle/whales.py checks them independently). The audit
record (docs/audit.md): the JSON result's version (CMakeLists.txt's), each
input's role, name, size and SHA-256 (hashlib over the file), its options,
and its result_sha256 recomputed from the canonical form; the text and HTML
footers show that version and that digest.
"""
import hashlib
import html
import json
import math
import os
import re
import subprocess
import sys
from fractions import Fraction as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLD = os.path.join(ROOT, "tests", "golden")
ONE36 = 10 ** 36
problems = []
checks = 0


def check(ok, what):
    global checks
    checks += 1
    if not ok:
        problems.append(what)


# ---- numbers as the reports print them --------------------------------------

def exact(x):
    """Truncated to 18 digits, no trailing zeros (the JSON and CSV form)."""
    n = x.numerator * 10 ** 18 // x.denominator
    s = str(n).rjust(19, "0")
    i, f = s[:-18], s[-18:].rstrip("0")
    return i + ("." + f if f else "")


def half_up(x, digits):
    """x (>= 0) rounded half up to digits decimals, as an integer."""
    return math.floor(x * 10 ** digits + F(1, 2))


def fixed(x, digits, commas=False):
    n = half_up(x, digits)
    i, f = divmod(n, 10 ** digits)
    i = "{:,}".format(i) if commas else str(i)
    return i + ("." + str(f).rjust(digits, "0") if digits else "")


def trimmed(x, digits):
    """Rounded half up, then trailing zeros dropped (gini, HHI in text)."""
    s = fixed(x, digits)
    return s.rstrip("0").rstrip(".") if "." in s else s


def cut(x, digits):
    """Truncated to digits decimals (the Lorenz curve's x coordinates; its
    heights are rounded half up to 0.1)."""
    n = math.floor(x * 10 ** digits)
    i, f = divmod(n, 10 ** digits)
    return str(i) + ("." + str(f).rjust(digits, "0") if digits else "")


def pct(x):
    return fixed(x * 100, 2) + "%"


def floor36(x):
    return F(x.numerator * ONE36 // x.denominator, ONE36)


def sqrt36(x):
    """sqrt(x) floored at 10^-36 (x scaled by 10^36 is an integer here)."""
    v = x * ONE36
    assert v.denominator == 1
    return F(math.isqrt(v.numerator * ONE36), ONE36)


# ---- the tally, from the rules ----------------------------------------------

def load_case(name, args):
    doc = json.load(open(os.path.join(ROOT, args[0]), encoding="utf-8"), parse_float=F)
    doc = doc.get("data", doc)
    p, votes = doc["proposal"], doc["votes"]
    n = len(p["choices"])
    typ = p["type"]
    best = {}
    for i, v in enumerate(votes):
        key = v["voter"].lower()
        rank = (v.get("created", -10 ** 30), v.get("id", ""))
        if key not in best or rank > best[key][0]:
            best[key] = (rank, i)
    standing = {i for _, i in best.values()}

    def valid(c):
        if typ in ("single-choice", "basic"):
            return isinstance(c, int) and 1 <= c <= n
        if typ == "copeland":
            return (isinstance(c, list) and all(isinstance(x, int) for x in c)
                    and sorted(c) == list(range(1, n + 1)))
        raise SystemExit("review.py: type %s is not known here" % typ)

    ballots, invalid, invalid_vp = [], 0, F(0)
    for i, v in enumerate(votes):
        if i not in standing:
            continue
        vp = F(v["vp"])
        if valid(v["choice"]):
            ballots.append({"voter": v["voter"].lower(), "choice": v["choice"], "vp": vp,
                            "created": v.get("created", -10 ** 30)})
        else:
            invalid += 1
            invalid_vp += vp
    case = {"name": name, "p": p, "n": n, "type": typ, "ballots": ballots,
            "read": len(votes), "dup": len(votes) - len(standing), "invalid": invalid,
            "invalid_vp": invalid_vp,
            "space": p["space"]["id"] if isinstance(p.get("space"), dict) else p.get("space", "")}
    case["identity"] = None
    if "-a" in args:
        atts = [json.loads(l) for l in open(os.path.join(ROOT, args[args.index("-a") + 1]))
                if l.strip()]
        case["identity"] = atts
    return case


def spread(case, units):
    """units: (weight, choice) -> scores by the proposal type's rule."""
    n = case["n"]
    if case["type"] in ("single-choice", "basic"):
        s = [F(0)] * n
        for w, c in units:
            s[c - 1] += w
        return s
    # copeland (docs/schemes.md): 2 points a pairwise win, 1 a tie, plus
    # 0.5 * support / ((n - 1) W); rescaled to W, floored at 10^-36
    W = sum(w for w, _ in units)
    P, support = [F(0)] * n, [F(0)] * n
    for a in range(1, n + 1):
        for b in range(1, n + 1):
            if a == b:
                continue
            m = sum(w if r.index(a) < r.index(b) else -w for w, r in units)
            P[a - 1] += 2 if m > 0 else 1 if m == 0 else 0
    for w, r in units:
        for pos, c in enumerate(r):
            support[c - 1] += w * (n - 1 - pos)
    pts = [P[c] + (F(1, 2) * support[c] / ((n - 1) * W) if W and n > 1 else 0)
           for c in range(n)]
    tot = sum(pts)
    return [floor36(pts[c] / tot * W) if tot else W / n for c in range(n)]


def winners(case, scores):
    cand = [i for i in range(case["n"]) if not (case["type"] == "basic" and i == 2)]
    top = max(scores[i] for i in cand)
    return [] if top == 0 else [i + 1 for i in cand if scores[i] == top]


def humans(case):
    """Wallets sharing a nullifier are one human (every attestation here is
    valid: the fixture's README says so); its ballot is its last vote."""
    by_wallet = {b["voter"]: b for b in case["ballots"]}
    groups = {}
    for a in case["identity"]:
        groups.setdefault(a["nullifier"], set()).add(a["subject"].lower())
    out = []
    for wallets in groups.values():
        bs = [by_wallet[w] for w in wallets if w in by_wallet]
        last = sorted(bs, key=lambda b: (-b["created"], b["voter"]))[0]
        out.append((sum(b["vp"] for b in bs), last["choice"]))
    return out


def tally(case, cap=F(1, 10)):
    bs = case["ballots"]
    token_units = [(b["vp"], b["choice"]) for b in bs]
    res = {}
    tok = spread(case, token_units)
    snap_total = sum(b["vp"] for b in bs) + (case["invalid_vp"] if case["type"] != "copeland" else 0)
    res["snapshot"] = (tok, snap_total)
    res["token"] = (tok, sum(b["vp"] for b in bs))
    res["address"] = (spread(case, [(F(1), b["choice"]) for b in bs]), F(len(bs)))
    q = [(sqrt36(b["vp"]), b["choice"]) for b in bs]
    res["quadratic"] = (spread(case, q), sum(w for w, _ in q))
    if case["identity"] is not None:
        hs = humans(case)
        for sid, units in (
                ("personhood", [(F(1), c) for _, c in hs]),
                ("quadratic-personhood", [(sqrt36(v), c) for v, c in hs]),
                ("capped-personhood", [(min(v, cap * sum(x for x, _ in hs)), c) for v, c in hs])):
            res[sid] = (spread(case, units), sum(w for w, _ in units))
    return res


def whales(case, res):
    bs = sorted(case["ballots"], key=lambda b: (-b["vp"], b["voter"]))
    W = sum(b["vp"] for b in bs)
    n = len(bs)
    asc = [b["vp"] for b in reversed(bs)]
    acc, nak = F(0), 0
    for b in bs:
        acc += b["vp"]
        nak += 1
        if acc > W / 2:
            break
    tokw = winners(case, res["token"][0])
    # decisive_k: remove the largest supporters of the token winners
    sup = [b for b in bs if b["vp"] > 0 and
           ((b["choice"] if case["type"] != "copeland" else b["choice"][0]) in tokw)]
    k, after = None, None
    for i in range(1, len(sup) + 1):
        gone = {id(b) for b in sup[:i]}
        rest = [(b["vp"], b["choice"]) for b in case["ballots"] if id(b) not in gone]
        w = winners(case, spread(case, rest)) if rest else []
        if sorted(w) != sorted(tokw):
            k, after = i, w
            break
    head = "personhood" if case["identity"] is not None else "address"
    flips = [s for s in res if s != "token" and
             sorted(winners(case, res[s][0])) != sorted(tokw)]
    return {"voters": n, "W": W, "sorted": bs, "asc": asc, "nakamoto": nak,
            "gini": 2 * sum((i + 1) * w for i, w in enumerate(asc)) / (n * W) - F(n + 1, n),
            "hhi": sum((b["vp"] / W) ** 2 for b in bs) * 10000,
            "top1": bs[0]["vp"] / W, "top10": sum(b["vp"] for b in bs[:10]) / W,
            "dominates": bs[0]["vp"] > W - bs[0]["vp"], "k": k, "after": after,
            "flips": flips, "veto": sorted(tokw) != sorted(winners(case, res[head][0])),
            "head": head}


# ---- the decision (docs/outcomes.md) and the humans (docs/analysis.md) -----

def decision(case, res):
    """Snapshot's rule for the golden cases (none names another): basic
    proposals only; default quorum on scores_total (>=; 0 or none: none),
    then For > Against on each scheme's scores."""
    p = case["p"]
    if p.get("rule", "snapshot") != "snapshot" or p.get("quorumType", "default") != "default":
        raise SystemExit("review.py: a rule other than Snapshot's default is not known here")
    if case["type"] != "basic":
        return None
    q = F(p.get("quorum") or 0)
    total = res["snapshot"][1]
    reached = None if q == 0 else total >= q
    out = {}
    for sid, (sc, _) in res.items():
        out[sid] = ("failed-quorum" if reached is False else
                    "passed" if sc[0] > sc[1] else "rejected")
    return {"quorum": q, "votes": total, "reached": reached, "outcomes": out}


def holders(case):
    """The holders of docs/analysis.md#humans (every wallet is attested in
    the golden cases), vp descending, ties by the human's last address."""
    by_wallet = {b["voter"]: b for b in case["ballots"]}
    groups = {}
    for a in case["identity"]:
        groups.setdefault((a["issuer"], a["nullifier"]), set()).add(a["subject"].lower())
    out = []
    for wallets in groups.values():
        bs = [by_wallet[w] for w in wallets if w in by_wallet]
        last = sorted(bs, key=lambda b: (-b["created"], b["voter"]))[0]
        out.append((sum(b["vp"] for b in bs), last["voter"], len(bs)))
    return sorted(out, key=lambda h: (-h[0], h[1]))


# ---- the verdict, rebuilt from docs/reports.md ------------------------------

# Labels in sentences (docs/reports.md): text quotes them with '"' and cuts
# them to 40 characters and "..."; HTML with typographic quotes, 60 and "…",
# trailing blanks dropped before the ellipsis.
TEXT_QUOTES = ('"', '"', "...", 40)
HTML_QUOTES = ("\u201c", "\u201d", "\u2026", 60)


def quoted(label, style):
    op, cl, ell, most = style
    if len(label) > most:
        label = label[:most].rstrip(" ") + ell
    return op + label + cl


def names(case, ws, style):
    labels = [quoted(case["p"]["choices"][w - 1], style) for w in ws]
    if not labels:
        return None
    if len(labels) == 1:
        return labels[0] + " wins"
    return ", ".join(labels[:-1]) + " and " + labels[-1] + " tie"


def verdict(case, res, wh, style=TEXT_QUOTES):
    out = []
    if wh["k"] is not None:
        k = wh["k"]
        out.append("%d wallet%s decided this proposal: without %s, %s." % (
            k, "" if k == 1 else "s", "it" if k == 1 else "them",
            names(case, wh["after"], style)))
    if wh["veto"]:
        head = "one person, one vote" if wh["head"] == "personhood" else "one address, one vote"
        out.append("Whale veto: by tokens, %s; by %s, %s." % (
            names(case, winners(case, res["token"][0]), style), head,
            names(case, winners(case, res[wh["head"]][0]), style)))
    if wh["flips"]:
        out.append("Schemes that disagree with the token result: %s." % ", ".join(wh["flips"]))
    else:
        out.append("Every scheme agrees with the token result.")
    if case["identity"] is not None:
        hs = holders(case)
        top = hs[0]
        if top[2] >= 2 and top[0] / wh["W"] != wh["top1"]:
            half = wh["W"] / 2
            acc, naka = F(0), 0
            for h in hs:
                acc += h[0]
                naka += 1
                if acc > half:
                    break
            out.append("Hidden whale: %d wallets of one verified human hold %s of the "
                       "vote (the largest wallet %s; by humans, Nakamoto %d against %d "
                       "by wallets)." % (top[2], pct(top[0] / wh["W"]), pct(wh["top1"]),
                                         naka, wh["nakamoto"]))
    d = decision(case, res)
    if d is not None:
        words = {"passed": "passed", "rejected": "was rejected",
                 "failed-quorum": "failed its quorum"}
        would = {"passed": "passed", "rejected": "been rejected",
                 "failed-quorum": "failed its quorum"}
        tok = d["outcomes"]["token"]
        out.append("By its rule (Snapshot) the proposal %s." % words[tok])
        flips = [sid for sid in res if d["outcomes"][sid] != tok]
        if flips:
            out.append("Under " + "; under ".join(
                "%s it would have %s" % (sid, would[d["outcomes"][sid]]) for sid in flips) + ".")
    return " ".join(out)


# ---- the three reports ------------------------------------------------------

# Paul Tol's bright palette, as docs/reports.md gives it per scheme.
PALETTE = {"snapshot": "#4477AA", "token": "#EE6677", "address": "#228833",
           "quadratic": "#CCBB44", "personhood": "#66CCEE",
           "quadratic-personhood": "#AA3377", "capped-personhood": "#BBBBBB"}

BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))


def shown(s, keep_lf=False):
    """Text from an input as docs/limits.md (Shown text) says: bytes under
    0x20 and DEL as \\xHH, bidi controls as \\uHHHH, the rest as it is."""
    out = []
    for ch in s:
        o = ord(ch)
        if ch == "\n" and keep_lf:
            out.append(ch)
        elif o < 32 or o == 127:
            out.append("\\x%02X" % o)
        elif o in BIDI:
            out.append("\\u%04X" % o)
        else:
            out.append(ch)
    return "".join(out)


def csv_cell(s):
    """docs/formats.md (CSV cells): a formula gets a leading ', text is shown
    (LF kept), quoted as RFC 4180 says."""
    plain = re.fullmatch(r"[+-]?(?=[.\d]*\d)\d*\.?\d*", s)
    if s[:1] in ("=", "@") or (s[:1] in ("+", "-") and not plain):
        s = "'" + s
    s = shown(s, keep_lf=True)
    if re.search(r'[,"\n]', s) or s != s.strip(" "):
        s = '"' + s.replace('"', '""') + '"'
    return s


def html_text(s):
    """Control characters other than tab, LF and CR become '?' in HTML."""
    return "".join("?" if (ord(ch) < 32 and ch not in "\t\n\r") or ord(ch) == 127 else ch
                   for ch in s)


def review(name, args):
    case = load_case(name, args)
    res = tally(case)
    wh = whales(case, res)
    base = os.path.join(GOLD, name)
    label = lambda c: case["p"]["choices"][c]

    # CSV
    csv_lines = open(base + ".csv", encoding="utf-8").read().split("\n")
    want = ["scheme,choice,label,score,share,winner"]
    for sid, (sc, tot) in res.items():
        ws = winners(case, sc)
        for c in range(case["n"]):
            lab = csv_cell(label(c))
            want.append("%s,%d,%s,%s,%s,%d" % (sid, c + 1, lab, exact(sc[c]),
                                              exact(sc[c] / tot) if tot else "0",
                                              1 if c + 1 in ws else 0))
    check(csv_lines == want + [""], "%s.csv differs from the recomputation" % name)

    # text: every cell, in the order the blocks show the schemes
    text = open(base + ".txt", encoding="utf-8").read()
    cells = re.findall(r"(\*?)\s*([\d,]+\.\d\d)\s+([\d.]+%)", text)
    totals = re.findall(r"^     total\s+(.*)$", text, re.M)
    blocks = [line for line in re.findall(r"^ {10,}([a-z][a-z -]*[a-z])\s*$", text, re.M)
              if all(w in res for w in line.split())]
    order = [s for line in blocks for s in line.split()]
    check(order == list(res), "%s.txt: schemes %s" % (name, order))
    got, exp_cells, exp_tot = iter(cells), [], []
    start = 0
    for line in blocks:
        ids = line.split()
        for c in range(case["n"]):
            for sid in ids:
                sc, tot = res[sid]
                exp_cells.append(("*" if c + 1 in winners(case, sc) else "",
                                  fixed(sc[c], 2, True),
                                  fixed(sc[c] / tot * 100 if tot else F(0), 2) + "%"))
        exp_tot.append(" ".join(fixed(res[s][1], 2, True) for s in ids))
    check(cells == exp_cells, "%s.txt cells: %s" % (name, [
        (a, b) for a, b in zip(cells, exp_cells) if a != b][:3]))
    check([" ".join(t.split()) for t in totals] == exp_tot, "%s.txt totals %s" % (name, totals))
    head = "Proposal %s\nspace %s, %s, %d choices\nballots: %d read, %d counted, %d duplicate, %d invalid choice\n" % (
        case["p"]["id"], case["space"], case["type"], case["n"], case["read"],
        len(case["ballots"]), case["dup"], case["invalid"])
    check(text.startswith(head), "%s.txt header" % name)
    wl = "whales: %d voters, nakamoto %d, gini %s, HHI %s\n        top1 %s, top10 %s, decisive_k %s\n" % (
        wh["voters"], wh["nakamoto"], trimmed(wh["gini"], 4), trimmed(wh["hhi"], 1),
        pct(wh["top1"]), pct(wh["top10"]), wh["k"] if wh["k"] is not None else "none")
    if wh["dominates"]:
        wl += "        the largest voter outweighs all the others together\n"
    check(wl in text, "%s.txt whales lines" % name)
    d = decision(case, res)
    if d is None:
        check("\ndecision: Snapshot\n          not decidable: Snapshot passes or rejects "
              "basic proposals only" in text, "%s.txt decision" % name)
    else:
        dl = "\ndecision: Snapshot, %s" % ("quorum " + fixed(d["quorum"], 2, True)
                                          if d["quorum"] else "no quorum")
        if d["reached"] is not None:
            dl += "\n          every vote: %s, %s" % (fixed(d["votes"], 2, True),
                                                    "reached" if d["reached"] else "not reached")
        dl += "\n          %s by voting power; %s" % (d["outcomes"]["token"], ", ".join(
            "%s %s" % (sid, o) for sid, o in d["outcomes"].items()))
        got = text.split("\ndecision:")[1].split("\n\n")[0]
        check(" ".join(("decision:" + got).split()) == " ".join(dl.split()),
              "%s.txt decision:\n  %s\n  %s" % (name, got, dl))
    if case["identity"] is not None:
        hs = holders(case)
        vps = [h[0] for h in hs]
        W, nh = wh["W"], len(hs)
        asc = sorted(vps)
        hg = 2 * sum((i + 1) * w for i, w in enumerate(asc)) / (nh * W) - F(nh + 1, nh)
        hh = sum((v / W) ** 2 for v in vps) * 10000
        acc, naka = F(0), 0
        for v in vps:
            acc += v
            naka += 1
            if acc > W / 2:
                break
        hl = "humans: %d holders, nakamoto %d, gini %s, HHI %s\n        top1 %s, top10 %s" % (
            nh, naka, trimmed(hg, 4), trimmed(hh, 1), pct(vps[0] / W), pct(sum(vps[:10]) / W))
        check(hl in text, "%s.txt humans lines" % name)
        if hs[0][2] >= 2:
            check("        %d wallets of one verified human hold %s of the vote\n" % (
                hs[0][2], pct(hs[0][0] / W)) in text, "%s.txt largest human" % name)
    v = " ".join(text.split("verdict:")[1].split("\n\n")[0].split())
    vtext = shown(verdict(case, res, wh))
    check(v == vtext, "%s.txt verdict:\n  %s\n  %s" % (name, v, vtext))
    if case["identity"] is not None:
        n_h = len(humans(case))
        check("identity: %d attestations read, %d valid\n          %d humans; %d verified and 0 unverified voting wallets"
              % (len(case["identity"]), len(case["identity"]), n_h, len(case["ballots"])) in text,
              "%s.txt identity" % name)

    # HTML
    page = open(base + ".html", encoding="utf-8").read()
    check("<script" not in page.lower() and not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", page),
          "%s.html: markup or control characters from the input" % name)
    # the heading: the title, or "Proposal" and the id cut to its head and
    # tail; the facts; the id in full, as text
    pid = case["p"].get("id") or ""
    title = case["p"].get("title") or ""
    want_h1 = html_text(title) if title else "Proposal " + (
        pid if len(pid) <= 16 else pid[:8] + "\u2026" + pid[-4:])
    h1 = re.search(r'<h1 id="title">(.*?)</h1>', page).group(1)
    check(html.unescape(h1) == want_h1, "%s.html heading %s" % (name, h1))
    if pid:
        got_id = re.search(r'<dd class="mono" id="proposal-id">(.*?)</dd>', page).group(1)
        check(html.unescape(got_id) == html_text(pid), "%s.html id %s" % (name, got_id))
    check("<a " not in page and "href" not in page, "%s.html holds a link" % name)
    facts = dict((k, html.unescape(v)) for k, v in
                 re.findall(r"<div><dt>([^<]*)</dt><dd[^>]*>(.*?)</dd></div>", page))
    check(facts.get("type") == "%s, %d choices" % (case["type"], case["n"]) and
          facts.get("ballots") == "%d read, %d counted, %d duplicate, %d invalid choice" % (
              case["read"], len(case["ballots"]), case["dup"], case["invalid"]) and
          facts.get("space", "") == html_text(case["space"]),
          "%s.html facts %s" % (name, facts))
    # the exact scores: one table per scheme, in the result's order
    cards_sc = re.findall(r'<div class="sc"><h3><i class="sw" style="background:(#[0-9A-F]{6})"></i>'
                          r'([a-z-]+)</h3><table>\n(.*?)</table></div>', page, re.S)
    check([sid for _, sid, _ in cards_sc] == list(res), "%s.html exact tables %s" % (
        name, [sid for _, sid, _ in cards_sc]))
    for colour, sid, body in cards_sc:
        sc, tot = res[sid]
        ws = winners(case, sc)
        check(colour == PALETTE[sid], "%s.html %s colour %s" % (name, sid, colour))
        rows = re.findall(r'<tr><td class="l">(\d+)\. (.*?)</td><td class="mono num( win)?">'
                          r'([^<]*?)( &#9733;)?</td><td class="pct">([^<]*)</td></tr>', body)
        want_rows = []
        for c in range(case["n"]):
            lab = html_text(label(c))
            if len(lab) > 40:  # cut to 40 characters, the last an ellipsis
                lab = lab[:39] + "\u2026"
            w = c + 1 in ws
            want_rows.append((str(c + 1), lab, " win" if w else "", exact(sc[c]),
                              " &#9733;" if w else "", pct(sc[c] / tot) if tot else "0.00%"))
        got_rows = [(n_, html.unescape(l_), w_, v_, s_, p_) for n_, l_, w_, v_, s_, p_ in rows]
        check(got_rows == want_rows, "%s.html %s exact rows: %s" % (name, sid, [
            (g, w) for g, w in zip(got_rows, want_rows) if g != w][:2]))
        tot_cell = re.search(r'<td class="l"><i>total</i></td><td class="mono num">([^<]*)</td>', body)
        check(tot_cell and tot_cell.group(1) == exact(tot), "%s.html %s total" % (name, sid))
    # the bars: per choice, per scheme, named, valued and as long as the
    # share rounded half up to 0.01 %
    bars = re.findall(r'<div class="bar( win)?"><span class="bn"><i class="sw" style="background:'
                      r'(#[0-9A-F]{6})"></i>([a-z-]+)</span><span class="bt"><span style="width:'
                      r'([\d.]+)%;background:(#[0-9A-F]{6})"></span></span><span class="bv">'
                      r'([\d.]+)%( &#9733;)?</span></div>', page)
    want_bars = []
    for c in range(case["n"]):
        for sid, (sc, tot) in res.items():
            share = sc[c] / tot if tot else F(0)
            w = c + 1 in winners(case, sc)
            p_ = fixed(share * 100, 2)
            want_bars.append((" win" if w else "", PALETTE[sid], sid, p_, PALETTE[sid], p_,
                              " &#9733;" if w else ""))
    check(bars == want_bars, "%s.html bars: %s" % (name, [
        (g, w) for g, w in zip(bars, want_bars) if g != w][:2] or (len(bars), len(want_bars))))
    heads = re.findall(r'<div class="choice"><h3>(\d+)\. (.*?)</h3>', page)
    want_heads = []
    for c in range(case["n"]):
        lab = html_text(label(c))
        if len(lab) > 120:
            lab = lab[:119] + "\u2026"
        want_heads.append((str(c + 1), lab))
    check([(n_, html.unescape(l_)) for n_, l_ in heads] == want_heads,
          "%s.html choice headings %s" % (name, heads))
    vd = re.search(r'id="verdict"><small>Verdict</small>(.*?)</div>', page).group(1)
    vd = html.unescape(re.sub(r"<[^>]+>", " ", vd))
    check(" ".join(vd.split()) == " ".join(html_text(verdict(case, res, wh, HTML_QUOTES)).split()),
          "%s.html verdict: %s" % (name, vd))
    cards = re.findall(r'<div class="card"><b>([^<]*)</b><span>([^<]*)</span>', page)
    cards = dict((html.unescape(k), v) for v, k in cards)
    check(cards.get("voters") == str(wh["voters"]) and
          cards.get("Nakamoto coefficient") == str(wh["nakamoto"]) and
          cards.get("Gini") == fixed(wh["gini"], 3) and
          cards.get("largest voter") == pct(wh["top1"]) and
          cards.get("largest 10") == pct(wh["top10"]) and
          cards.get("HHI (0\u201310000)") == fixed(wh["hhi"], 0) and
          cards.get("decisive wallets") == (str(wh["k"]) if wh["k"] is not None else "none"),
          "%s.html cards %s" % (name, cards))
    tv = re.findall(r'<tr><td data-label="#">(\d+)</td><td data-label="address" class="mono l" '
                    r'title="(0x[0-9a-f]+)">[^<]*</td><td data-label="voting power" class="mono">'
                    r'([^<]*)</td><td data-label="share">([^<]*)</td><td data-label="cumulative">'
                    r'([^<]*)</td>', page)
    check(len(tv) == min(10, wh["voters"]), "%s.html: %d largest voters" % (name, len(tv)))
    acc = F(0)
    for (i, addr, vp, share, cum), b in zip(tv, wh["sorted"]):
        acc += b["vp"]
        check(addr == b["voter"] and vp == trimmed(b["vp"], 2) and share == pct(b["vp"] / wh["W"])
              and cum == pct(acc / wh["W"]), "%s.html voter %s" % (name, i))
    pts = re.search(r'<path d="M([^"]*)" fill="none"', page).group(1).split(" L")
    n = wh["voters"]
    # the plot is 270 wide from x 58, its foot at y 284 (docs: html.c)
    if n <= 200:
        acc, want_pts = F(0), ["58.0 284.0"]
        for i, w in enumerate(wh["asc"], 1):
            acc += w
            want_pts.append("%s %s" % (cut(58 + F(270 * i, n), 1), fixed(284 - F(fixed(270 * acc / wh["W"], 1)), 1)))
    ticks = re.findall(r'>(\d+)%</text>', page.split('<svg id="lorenz"')[1].split("</svg>")[0])
    check(sorted(ticks) == sorted(["0", "25", "50", "75", "100"] * 2), "%s.html Lorenz ticks %s" % (name, ticks))
    if n <= 200:
        check(pts == want_pts, "%s.html Lorenz curve: %s..." % (name, [
            (a, b) for a, b in zip(pts, want_pts) if a != b][:3]))
    # Banzhaf: as the JSON result has it, to 3 decimals
    r = subprocess.run([os.path.join(ROOT, "build", "dev", "govtally"), "run"] + args +
                       ["--format", "json"], cwd=ROOT, capture_output=True, text=True)
    if r.returncode == 0:
        bz = json.loads(r.stdout)["whales"].get("banzhaf", [])
        got_bz = re.findall(r'<td data-label="Banzhaf">([\d.]+)</td><td data-label="Shapley-Shubik">',
                            page.split('id="top-voters"')[1])[:len(bz)]
        check(got_bz == [trimmed(F(x), 3) for x in bz], "%s.html Banzhaf %s" % (name, got_bz))
        ss = json.loads(r.stdout)["whales"].get("shapley_shubik", [])
        got_ss = re.findall(r'<td data-label="Shapley-Shubik">([\d.]+)</td></tr>',
                            page.split('id="top-voters"')[1])[:len(ss)]
        check(got_ss == [trimmed(F(x), 3) for x in ss], "%s.html Shapley-Shubik %s" % (name, got_ss))
    d = decision(case, res)
    sec = page.split('<section id="decision">')[1].split("</section>")[0]
    if d is None:
        check("Not decidable: Snapshot passes or rejects basic proposals only" in sec,
              "%s.html decision" % name)
    else:
        rows = re.findall(r'<tr><td class="l">([a-z-]+)</td><td class="l">([a-z-]+)( \(flip\))?</td></tr>', sec)
        tok = d["outcomes"]["token"]
        check([(a, b, bool(c)) for a, b, c in rows] ==
              [(sid, o, o != tok) for sid, o in d["outcomes"].items()],
              "%s.html outcomes %s" % (name, rows))
    if case["identity"] is not None:
        hs = holders(case)
        cells = re.findall(r'<tr><td class="l">([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>',
                           page.split('<table id="humans">')[1].split("</table>")[0])
        got = dict((k, (w, h)) for k, w, h in cells)
        check(got.get("voters") == (str(wh["voters"]), str(len(hs))) and
              got.get("largest") == (pct(wh["top1"]), pct(hs[0][0] / wh["W"])),
              "%s.html humans %s" % (name, cells))
    audit(name, args, res, text, page)
    print("reviewed %s: %d voters, schemes %s" % (name, wh["voters"], ", ".join(res)))


VERSION = re.search(r"project\(govtally VERSION ([0-9.]+)",
                    open(os.path.join(ROOT, "CMakeLists.txt")).read()).group(1)


def audit(name, args, res, text, page):
    """The JSON result's audit record against the files and the docs, and
    the reports' footers against it (docs/audit.md)."""
    r = subprocess.run([os.path.join(ROOT, "build", "dev", "govtally"), "run"] + args +
                       ["--format", "json"], cwd=ROOT, capture_output=True, text=True)
    check(r.returncode == 0, "%s: govtally run --format json" % name)
    if r.returncode:
        return
    doc = json.loads(r.stdout)
    a = doc["audit"]
    check(a["govtally"] == VERSION, "%s audit.govtally %s" % (name, a["govtally"]))
    want = [("export", args[0])]
    for flag, role in (("-a", "attestations"), ("-i", "issuers")):
        want += [(role, args[i + 1]) for i, x in enumerate(args) if x == flag]
    check([(i["role"], i["name"]) for i in a["inputs"]] == want,
          "%s audit.inputs %s" % (name, a["inputs"]))
    for i in a["inputs"]:
        data = open(os.path.join(ROOT, i["name"]), "rb").read()
        check(i["size"] == len(data) and i["sha256"] == hashlib.sha256(data).hexdigest(),
              "%s audit: %s's size and sha256" % (name, i["name"]))
    check(a["options"] == {"schemes": list(res),
                           "cap": "0.1" if "capped-personhood" in res else None,
                           "proposal": None, "rule": None, "quorum": None,
                           "support": None, "supply": None, "now": None},
          "%s audit.options %s" % (name, a["options"]))
    digest = a.pop("result_sha256")
    canon = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    check(hashlib.sha256(canon).hexdigest() == digest, "%s audit.result_sha256" % name)
    check(text.endswith("\n\ngovtally %s, result sha256:\n%s\n" % (VERSION, digest)),
          "%s.txt footer: version and digest" % name)
    foot = re.search(r"<footer>(.*?)</footer>", page, re.S).group(1)
    check(foot.startswith("govtally %s " % VERSION) and
          foot.endswith('result sha256 <span class="mono">%s</span>' % digest),
          "%s.html footer: version and digest" % name)


CASES = {
    "whale-veto": ["examples/whale-veto/proposal.json"],
    "identity-sybil-whale": ["fixtures/identity-sybil-whale/proposal.json",
                             "-a", "fixtures/identity-sybil-whale/att.jsonl",
                             "-i", "fixtures/identity-sybil-whale/issuers.json"],
    "whale-nakamoto-tie": ["fixtures/whale-nakamoto-tie/proposal.json"],
    "copeland-cycle-tie-break": ["fixtures/copeland-cycle-tie-break/proposal.json"],
    "labels": ["tests/golden/labels/proposal.json"],
}
for name, args in CASES.items():
    review(name, args)
for p in problems:
    print("DIFFERS " + p)
print("%d checks, %d disagreements" % (checks, len(problems)))
sys.exit(1 if problems else 0)
