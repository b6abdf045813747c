#!/usr/bin/env bash
# Issue 17's benchmark (see bench/README.md): the import of a camt.053 statement of ENTRIES
# credits against a seeded SQLite database of CASES cases. Seeds the template once (the same
# file as run.sh's), copies it (the import records payments), then `recouvra bench-bank`
# writes the statement from the copy's cases and times `recovery::bank::import`.
#
#   CASES=1000000 bench/bank.sh
#
# Environment: CASES (1000000), ENTRIES (10000), SEED (7: the statement's), WORK (bench/work),
# OUT (bench/out/bank-<timestamp>), BIN (target/release/recouvra).
set -euo pipefail
cd "$(dirname "$0")/.."
HERE=$PWD
CASES=${CASES:-1000000}
ENTRIES=${ENTRIES:-10000}
SEED=${SEED:-7}
WORK=${WORK:-$HERE/bench/work}
OUT=${OUT:-$HERE/bench/out/bank-$(date -u +%Y%m%dT%H%M%SZ)}
BIN=${BIN:-$HERE/target/release/recouvra}
mkdir -p "$WORK" "$OUT"
[ -x "$BIN" ] || cargo build --release --bins

export RECOUVRA_LOG=${RECOUVRA_LOG:-warn}
export RECOUVRA_DATA_DIR=$WORK/data-bank-$CASES
rm -rf "$RECOUVRA_DATA_DIR"
mkdir -p "$RECOUVRA_DATA_DIR"

TEMPLATE=$WORK/seed-$CASES.db
if [ ! -f "$TEMPLATE" ]; then
    echo "seeding $CASES cases into $TEMPLATE"
    rm -f "$TEMPLATE.tmp"*
    /usr/bin/time -v -o "$OUT/seed.time" env DATABASE_URL="sqlite://$TEMPLATE.tmp" \
        "$BIN" bench-seed --cases "$CASES" | tee "$OUT/seed.txt"
    mv "$TEMPLATE.tmp" "$TEMPLATE"
    rm -f "$TEMPLATE.tmp-wal" "$TEMPLATE.tmp-shm"
fi
DATABASE_URL="sqlite://$TEMPLATE" "$BIN" migrate 2>/dev/null
cp "$TEMPLATE" "$WORK/bank.db"
rm -f "$WORK/bank.db-wal" "$WORK/bank.db-shm"
export DATABASE_URL="sqlite://$WORK/bank.db"

{ nproc; uptime; git rev-parse --short HEAD; } >"$OUT/machine.txt"
/usr/bin/time -v -o "$OUT/bank.time" "$BIN" bench-bank --entries "$ENTRIES" --seed "$SEED" \
    --statement "$OUT/statement.xml" --decisions "$OUT/decisions.tsv" | tee "$OUT/bank.txt"
grep -E "Maximum resident|Elapsed" "$OUT/bank.time" | tee -a "$OUT/bank.txt"
uptime | tee -a "$OUT/machine.txt"
