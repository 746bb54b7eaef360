#!/bin/sh
# Renders the HTML report (docs/formats.md#result) in headless Chromium and fails on an
# empty or broken page: the rendered DOM must hold both SVG charts, the
# verdict and the top-voters table, no script (a hostile label included),
# and the screenshot must not be blank.
# usage: html_render.sh GOVTALLY REPO_ROOT [KEEP_DIR]
# Exit 0 ok, 1 broken page, 77 skipped (no Chromium).
set -u
gt=$1; root=$2; keep=${3:-}
browser=
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
[ -n "$browser" ] || { echo "SKIP: no chromium"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0

render() { # render NAME INPUT: HTML report, DOM dump, screenshot
  name=$1; input=$2
  if ! "$gt" run "$input" --format html -o "$tmp/$name.html" 2>"$tmp/err"; then
    echo "FAIL $name: govtally run failed:"; cat "$tmp/err"; fail=1; return
  fi
  flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync"
  # shellcheck disable=SC2086
  timeout 120 "$browser" $flags --user-data-dir="$(mktemp -d -p "$tmp")" \
    --dump-dom "file://$tmp/$name.html" >"$tmp/$name.dom" 2>/dev/null
  # shellcheck disable=SC2086
  timeout 120 "$browser" $flags --user-data-dir="$(mktemp -d -p "$tmp")" \
    --window-size=1100,1400 --screenshot="$tmp/$name.png" \
    "file://$tmp/$name.html" >/dev/null 2>&1
  for want in '<svg id="scores-chart"' '<svg id="lorenz"' 'id="verdict"' \
              'id="top-voters"' '<path d="M' 'wallet' '</html>'; do
    if ! grep -qF "$want" "$tmp/$name.dom"; then
      echo "FAIL $name: rendered DOM lacks $want"; fail=1
    fi
  done
  if grep -qi '<script\|https\?:' "$tmp/$name.dom"; then
    echo "FAIL $name: the page holds a script or an outside URL"; fail=1
  fi
  size=$(wc -c <"$tmp/$name.png" 2>/dev/null || echo 0)
  if [ "$size" -lt 20000 ]; then
    echo "FAIL $name: screenshot missing or blank ($size bytes)"; fail=1
  fi
  [ -n "$keep" ] && cp "$tmp/$name.html" "$tmp/$name.png" "$keep/" 2>/dev/null
  [ $fail -eq 0 ] && echo "ok $name ($size-byte screenshot)"
}

render whale-concentration "$root/fixtures/whale-concentration/proposal.json"
[ -f "$root/examples/whale-veto/proposal.json" ] &&
  render whale-veto "$root/examples/whale-veto/proposal.json"

# A label that tries to inject markup must come out as text.
cat >"$tmp/hostile.json" <<'JSON'
{"proposal": {"id": "0xhostile", "space": "<img src=x onerror=alert(1)>",
  "type": "single-choice",
  "choices": ["<script>alert(1)</script>", "B & \"C\" 'D'"]},
 "votes": [
  {"id": "v1", "voter": "0x1111111111111111111111111111111111111111",
   "created": 1, "choice": 1, "vp": 5},
  {"id": "v2", "voter": "0x2222222222222222222222222222222222222222",
   "created": 2, "choice": 2, "vp": 3}]}
JSON
render hostile "$tmp/hostile.json"
if grep -q '<img' "$tmp/hostile.dom" 2>/dev/null; then
  echo "FAIL hostile: an <img> from the input reached the DOM"; fail=1
fi
exit $fail
