#!/usr/bin/env bash
# Builds the dev preset (warnings are errors) and runs every test with ctest.
# Tests that need the peer (node), chromium or ../shared/data skip cleanly
# when those are absent.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$(nproc)"
ctest --preset dev -j "$(nproc)"
