#!/usr/bin/env bash
# Builds the dev preset (warnings are errors) and runs every test with ctest.
# Tests over ../shared/data skip with a message when it is absent; tests
# that need node, chromium or clang-format skip only where scripts/setup.sh
# has not installed them.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$(nproc)"
ctest --preset dev -j "$(nproc)"
