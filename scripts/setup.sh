#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a working govtally:
# installs the build and test dependencies (Debian packages), the Node test
# harness (tests/node: Snapshot's scoring code as the reference peer, a local
# Ethereum node, solc-js, ethers, EAS; exact versions from its lockfile) when
# npm is there, builds the release preset, and runs govtally on the bundled
# example. Run as root or with sudo available; running it again redoes only
# the build.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config libgmp-dev libsodium-dev
          libyajl-dev libcsv-dev libcmocka-dev nettle-dev libsecp256k1-dev libcurl4-openssl-dev
          python3 chromium time clang-format groff-base nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
# node and npm may come from elsewhere than Debian (e.g. NodeSource): keep them.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs/}"); missing=("${missing[@]/npm/}")
fi
read -r -a missing <<< "${missing[*]}"
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# The Node test harness, used by the differential and chain tests and the
# benchmarks (npm ci in tests/node; nothing when already current).
if command -v npm >/dev/null; then
  sh tests/node/install.sh
  echo "setup: Node test harness ready in tests/node/node_modules" >&2
else
  echo "setup: npm not found: the Node tests will skip" >&2
fi

cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" >/dev/null
echo "setup: built build/release/govtally" >&2
echo "setup: the bundled example (examples/whale-veto):" >&2
build/release/govtally run examples/whale-veto/proposal.json --format text
