#!/usr/bin/env bash
# The text, CSV and HTML writers against reviewed golden outputs, byte for
# byte: a change to any writer shows as a diff. Each case and how its files
# were checked is in tests/golden/README.md.
# usage: golden_test.sh GOVTALLY REPO_ROOT [--update]
# --update rewrites the golden files from this build; review `git diff`
# line by line (and say why each change is right) before committing.
set -u
gt=$1; root=$(cd "$2" && pwd); update=${3:-}
gold=$root/tests/golden
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0; n=0

# case name, then the arguments of `govtally run` (paths from the root)
cases=(
  "whale-veto|examples/whale-veto/proposal.json"
  "identity-sybil-whale|fixtures/identity-sybil-whale/proposal.json -a fixtures/identity-sybil-whale/att.jsonl -i fixtures/identity-sybil-whale/issuers.json"
  "whale-nakamoto-tie|fixtures/whale-nakamoto-tie/proposal.json"
  "copeland-cycle-tie-break|fixtures/copeland-cycle-tie-break/proposal.json"
  "labels|tests/golden/labels/proposal.json"
)

cd "$root" || exit 1
# The text report fits COLUMNS (else 80 columns when not on a terminal): the
# golden files are made at 80, whatever the caller's environment.
unset COLUMNS
for c in "${cases[@]}"; do
  name=${c%%|*}; args=${c#*|}
  for fmt in text csv html; do
    ext=$fmt; [ "$fmt" = text ] && ext=txt
    want=$gold/$name.$ext
    # shellcheck disable=SC2086  # args is a list of words
    if ! "$gt" run $args --format "$fmt" -o "$tmp/out" 2>"$tmp/err"; then
      echo "FAIL $name $fmt: govtally failed"; cat "$tmp/err"; fail=1; continue
    fi
    n=$((n + 1))
    if [ "$update" = --update ]; then
      cp "$tmp/out" "$want"; echo "wrote $want"; continue
    fi
    if cmp -s "$tmp/out" "$want"; then
      echo "ok $name $fmt"
    else
      echo "FAIL $name $fmt: differs from tests/golden/$name.$ext"
      diff -u "$want" "$tmp/out" | head -40
      fail=1
    fi
  done
done
[ "$n" -eq 15 ] || { echo "FAIL only $n of 15 outputs made"; fail=1; }
exit $fail
