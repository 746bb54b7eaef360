#!/bin/sh
# run-test.sh SCRIPT [ARG...]: runs one Node test of the harness for ctest.
# Skips (77) only when node is not installed; fails (1) with a clear
# message when node is there but the harness's packages are not (run
# tests/node/install.sh, as scripts/setup.sh does).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed (scripts/setup.sh installs nodejs and npm)"
  exit 77
fi
if [ ! -f "$here/node_modules/.govtally-lock-sha256" ]; then
  echo "FAIL: the Node harness is not installed: run $here/install.sh (scripts/setup.sh does)" >&2
  exit 1
fi
exec node "$@"
