#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a working govtally:
# installs the build and test dependencies (Debian packages), the reference
# peer (Snapshot's scoring code, npm, outside the repository) when node is
# available, builds the release preset, and runs govtally on the bundled
# example. Run as root or with sudo available.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config libgmp-dev libsodium-dev
          libyajl-dev libcsv-dev libcmocka-dev nettle-dev libsecp256k1-dev python3 chromium time clang-format nodejs npm)
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

# The reference peer, used by the differential tests and benchmarks.
if [ -f ../shared/peer/install.sh ] && command -v npm >/dev/null; then
  sh ../shared/peer/install.sh >/dev/null || echo "setup: peer install failed; differential tests will skip" >&2
fi

cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" >/dev/null
echo "setup: built build/release/govtally" >&2
echo "setup: the bundled example (examples/whale-veto):" >&2
build/release/govtally run examples/whale-veto/proposal.json --format text
