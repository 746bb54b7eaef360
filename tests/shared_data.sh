# shared_data.sh: the start the tests over the real governance histories of
# ../shared/data share (realdata.sh, outcomes_real.sh); the data is never
# copied into the repository. Sourced with NAME set and the caller's
# arguments GOVTALLY REPO_ROOT [OUTDIR]: sets BIN, ROOT, DATA, G (the
# governor files) and OUT (OUTDIR, or a new temporary folder), or exits 77
# (ctest: skipped) when the data folder is absent.
BIN=$1
ROOT=$2
DATA=$ROOT/../shared/data
if [ ! -d "$DATA/bhemen__dao-governance" ]; then
    echo "$NAME: $DATA absent, skipped"
    exit 77
fi
OUT=${3:-$(mktemp -d "${TMPDIR:-/tmp}/gvt_$NAME.XXXXXX")}
mkdir -p "$OUT"
G=$DATA/bhemen__dao-governance/data
