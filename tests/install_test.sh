#!/usr/bin/env bash
# The library as a user of it sees it: install into a scratch prefix, build a
# small C program with `pkg-config govtally` and with `find_package(govtally)`,
# and run it on the bundled example (it prints the token winners).
# usage: install_test.sh BUILD_DIR REPO_ROOT [C_FLAGS]
# C_FLAGS are the build's own (e.g. the sanitizers of the asan preset), so
# that the consumer links the library the way it was built.
set -euo pipefail
build=$1; root=$2; cflags=${3:-}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
cat > "$tmp/use.c" <<'C'
#include <stdio.h>
#include <govtally.h>
int main(int argc, char **argv)
{
    gvt_proposal *p;
    gvt_result *r;
    gvt_error err;
    gvt_scheme token = GVT_SCHEME_TOKEN;
    gvt_tally_options opt = {.schemes = &token, .n_schemes = 1};
    if (argc < 2 || gvt_proposal_read_file(argv[1], &p, &err) ||
        gvt_tally_run(p, &opt, &r, &err))
        return 1;
    size_t n;
    const uint32_t *w = gvt_result_winners(r, 0, &n);
    printf("%s winners:", gvt_scheme_name(gvt_result_scheme(r, 0)));
    for (size_t i = 0; i < n; i++)
        printf(" %u", w[i]);
    printf("\n");
    gvt_result_free(r);
    gvt_proposal_free(p);
    return 0;
}
C
lib=$(ls -d "$tmp"/prefix/lib*/pkgconfig | head -1)
export PKG_CONFIG_PATH=$lib
cc -std=c11 -Wall -Werror $cflags "$tmp/use.c" -o "$tmp/use" $(pkg-config --cflags --libs govtally) \
   -Wl,-rpath,"$(dirname "$lib")"
out=$("$tmp/use" "$root/examples/whale-veto/proposal.json")
[ "$out" = "token winners: 2" ] || { echo "FAIL pkg-config consumer printed: $out"; exit 1; }
echo "ok pkg-config consumer: $out"

mkdir -p "$tmp/cm"
cat > "$tmp/cm/CMakeLists.txt" <<'C'
cmake_minimum_required(VERSION 3.20)
project(use C)
find_package(govtally REQUIRED)
add_executable(use ../use.c)
target_link_libraries(use govtally::govtally)
C
cmake -S "$tmp/cm" -B "$tmp/cm/b" -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_C_FLAGS="$cflags" \
  -DCMAKE_BUILD_RPATH="$(dirname "$lib")" >/dev/null
cmake --build "$tmp/cm/b" >/dev/null
out=$("$tmp/cm/b/use" "$root/examples/whale-veto/proposal.json")
[ "$out" = "token winners: 2" ] || { echo "FAIL CMake consumer printed: $out"; exit 1; }
echo "ok CMake package consumer: $out"
echo "2 passed, 0 failed"
