#!/bin/sh
# Refreshes docs/img/report-1280.png and report-420.png: the HTML report of
# fixtures/identity-sybil-whale (all seven schemes) with a title, rendered by
# headless Chromium at 1280 and 420 px (tests/html_render.sh, which checks
# them as well). Uses build/release/govtally (scripts/setup.sh builds it).
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sh tests/html_render.sh "${GOVTALLY:-build/release/govtally}" . "$tmp"
mkdir -p docs/img
cp "$tmp/report-1280.png" "$tmp/report-420.png" docs/img/
echo "docs/img/report-1280.png and docs/img/report-420.png refreshed"
