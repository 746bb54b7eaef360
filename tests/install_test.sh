#!/usr/bin/env bash
# The library as a user of it sees it: install into a scratch prefix, then
# build the example program examples/library/tally.c with `pkg-config
# govtally` and with its CMakeLists.txt (`find_package(govtally)`), as the
# README's "Library" section says, and run both on a fixture whose figures
# its README derives by hand (whale-concentration: token A 11, B 9; address
# A 2, B 3; quadratic A sqrt(10) + 1, B 2 + sqrt(3) + sqrt(2), truncated to
# 18 digits; Nakamoto coefficient 2).
# usage: install_test.sh BUILD_DIR REPO_ROOT [C_FLAGS]
# C_FLAGS are the build's own (e.g. the sanitizers of the asan preset), so
# that the consumer links the library the way it was built.
set -euo pipefail
build=$1; root=$2; cflags=${3:-}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
input=$root/fixtures/whale-concentration/proposal.json
version=$(sed -n 's/^project(govtally VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
pass=0
check() { # NAME PROGRAM
  local out
  out=$("$2" "$input")
  for want in "whale-concentration: single-choice, 5 voters (libgovtally $version)" \
              "token: A=11* B=9" "address: A=2 B=3*" \
              "quadratic: A=4.162277660168379331 B=5.146264369941972342*" "nakamoto: 2"; do
    grep -qxF -- "$want" <<< "$out" || { echo "FAIL $1: no line '$want' in:"; echo "$out"; exit 1; }
  done
  echo "ok $1"; pass=$((pass + 1))
}

# pkg-config, with the run-time path of a prefix outside the loader's own
# (README: -Wl,-rpath,$(pkg-config --variable=libdir govtally)).
export PKG_CONFIG_PATH=$(ls -d "$tmp"/prefix/lib*/pkgconfig | head -1)
libdir=$(pkg-config --variable=libdir govtally)
cc -std=c11 -Wall -Wextra -Werror $cflags "$root/examples/library/tally.c" -o "$tmp/tally" \
   $(pkg-config --cflags --libs govtally) -Wl,-rpath,"$libdir"
check "pkg-config consumer" "$tmp/tally"
[ "$(readlink -f "$(ldd "$tmp/tally" | awk '/libgovtally/ {print $3}')")" = \
  "$(readlink -f "$libdir"/libgovtally.so.*.*.*)" ] \
  || { echo "FAIL: the program does not load the installed library"; exit 1; }

# The CMake package: examples/library/CMakeLists.txt as it is (CMake puts
# the imported library's folder in the build tree's run-time path).
cmake -S "$root/examples/library" -B "$tmp/cm" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  -DCMAKE_C_FLAGS="$cflags" >/dev/null
cmake --build "$tmp/cm" >/dev/null
check "CMake package consumer" "$tmp/cm/tally"
echo "$pass passed, 0 failed"
