#!/usr/bin/env bash
# House style (STYLE.md): the C sources are formatted by clang-format (14)
# with the repository's .clang-format. Skips (77) without clang-format.
# usage: format_test.sh REPO_ROOT
set -u
cd "$1" || exit 1
command -v clang-format >/dev/null || { echo "SKIP: clang-format not installed"; exit 77; }
bad=0; n=0
for f in $(git ls-files 'tally/*.[ch]' 'crypto/*.[ch]' 'tools/*.[ch]' 'include/*.h' 'tests/*.[ch]' 'tests/fuzz/*.c' 2>/dev/null); do
  n=$((n+1))
  if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f (clang-format -i $f)"; bad=$((bad+1))
  fi
done
echo "$((n-bad)) passed, $bad failed"
[ "$bad" -eq 0 ]
