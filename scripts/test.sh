#!/usr/bin/env bash
# Builds and runs every test with ctest under two presets, one after the
# other: dev (warnings are errors), then asan (address and undefined-behaviour
# sanitizers, no recovery). This is what CI runs. Tests over ../shared/data
# skip with a message when it is absent; tests that need node, chromium or
# clang-format skip only where scripts/setup.sh has not installed them.
# GVT_TEST_PRESETS="dev" (for example) runs only the presets named.
set -euo pipefail
cd "$(dirname "$0")/.."
for preset in ${GVT_TEST_PRESETS:-dev asan}; do
  echo "test.sh: the $preset preset" >&2
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$(nproc)"
  ctest --preset "$preset" -j "$(nproc)"
done
