#!/bin/sh
# install.sh: installs the Node test harness's packages (package-lock.json,
# exact versions) into tests/node/node_modules with `npm ci`. Does nothing
# when node_modules was installed from this very lockfile already (a stamp
# holds the lockfile's hash), so running it twice costs nothing.
# Exit status: 0 installed or current, 1 npm failed, 69 npm is missing.
set -eu
cd "$(dirname "$0")"
command -v npm >/dev/null 2>&1 || { echo "tests/node/install.sh: npm not found" >&2; exit 69; }
want=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.govtally-lock-sha256
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
echo "$want" > "$stamp"
