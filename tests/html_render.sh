#!/bin/sh
# Renders HTML reports (docs/reports.md#html) in headless Chromium at 1280 and
# 420 px wide (tests/html/render.mjs, through the DevTools protocol) and fails
# on what a reader would suffer: a page wider than the window, an element
# sticking out or scrolling sideways, text under 11 px as drawn (SVG text
# included), a missing part (title, verdict, chart, Lorenz curve, largest
# voters), a script or outside URL, markup from the input. Cases: the
# example, all seven schemes (the screenshots of docs/img), long labels and
# title with warnings, a hostile proposal.
# usage: html_render.sh GOVTALLY REPO_ROOT [KEEP_DIR]
#   KEEP_DIR: receives the reports, every screenshot, and report-1280.png and
#   report-420.png (the seven schemes) as docs/img keeps them.
# Exit 0 ok, 1 a check failed, 77 skipped (no Chromium, or no node to drive it).
set -u
gt=$1; root=$2; keep=${3:-}
browser=
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then browser=$(command -v "$b"); break; fi
done
[ -n "$browser" ] || { echo "SKIP: no chromium (scripts/setup.sh installs it)"; exit 77; }
command -v node >/dev/null 2>&1 || { echo "SKIP: no node to drive chromium (scripts/setup.sh installs nodejs)"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0

report() { # report NAME ARGS...: one HTML report into $tmp/NAME.html
  name=$1; shift
  if ! "$gt" run "$@" --format html -o "$tmp/$name.html" 2>"$tmp/$name.err"; then
    echo "FAIL $name: govtally run failed:"; cat "$tmp/$name.err"; fail=1
  fi
}

sy=$root/fixtures/identity-sybil-whale
report example "$root/examples/whale-veto/proposal.json"
# All seven schemes, with a title and the hub's state (the screenshots).
python3 - "$sy/proposal.json" "$tmp/titled.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d['proposal'].update(title='Fund the community grants programme for Q3', state='closed')
json.dump(d, open(sys.argv[2], 'w'))
PY
report report "$tmp/titled.json" -a "$sy/att.jsonl" -i "$sy/issuers.json"

# The seven schemes again, with a long title, long labels (one without a
# space), a long space, and warnings (still active, hub scores that differ).
python3 - "$sy/proposal.json" "$tmp/long.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
p = d['proposal']
p['title'] = ('[Temp Check] Protocol fee expansion to eight more chains and the '
              'remaining mainnet pools, with a treasury allocation for audits, '
              'a grants programme and a review of the fee switch after six months ') * 2
p['choices'] = ['Yes, enable the fee switch on every listed chain and pool, then '
                'review the parameters after six months of data from the dashboards',
                'No' + 'o' * 110]
p['state'] = 'active'
p['scores'] = [1, 2]
json.dump(d, open(sys.argv[2], 'w'))
PY
report long "$tmp/long.json" -a "$sy/att.jsonl" -i "$sy/issuers.json"

# Markup in the input must come out as text.
cat >"$tmp/hostile.json" <<'JSON'
{"proposal": {"id": "0xhostile", "space": "<img src=x onerror=alert(1)>",
  "title": "<script>alert(2)</script><a href=\"https://example.com\">x</a>",
  "type": "single-choice",
  "choices": ["<script>alert(1)</script>", "B & \"C\" 'D'"]},
 "votes": [
  {"id": "v1", "voter": "0x1111111111111111111111111111111111111111",
   "created": 1, "choice": 1, "vp": 5},
  {"id": "v2", "voter": "0x2222222222222222222222222222222222222222",
   "created": 2, "choice": 2, "vp": 3}]}
JSON
report hostile "$tmp/hostile.json"
[ $fail -eq 0 ] || exit 1

node "$root/tests/html/render.mjs" "$browser" "$tmp" 1280,420 \
  example="$tmp/example.html" report="$tmp/report.html" \
  long="$tmp/long.html" hostile="$tmp/hostile.html" 2>"$tmp/node.err"
rc=$?
[ $rc -eq 2 ] && cat "$tmp/node.err"
[ $rc -eq 0 ] || fail=1

if ! grep -q 'id="warnings"' "$tmp/long.html"; then
  echo "FAIL long: the warnings are not on the page"; fail=1
fi
if ! grep -q '&lt;script&gt;alert(2)' "$tmp/hostile.html"; then
  echo "FAIL hostile: the title is not shown as text"; fail=1
fi
if [ -n "$keep" ]; then
  mkdir -p "$keep" && cp "$tmp"/*.html "$tmp"/*.png "$keep/"
fi
[ $fail -eq 0 ] && echo "ok: every report reads at 1280 and 420 px"
exit $fail
