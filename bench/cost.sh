#!/usr/bin/env bash
# Issue 15, item 1: requests too costly to run are refused before they run. Starts the
# release server on a seeded database (see bench/README.md), then measures, as a creditor:
#   - the time to refusal of the issue's attack (300 aliases of cases(first: 100) with
#     timeline, pieces and payments) and of a batch of ten 30-alias entries (curl, N times);
#   - four attackers at once for DURATION seconds: the server's peak VmRSS (sampled every
#     0.1 s) and the latency of GET /healthz meanwhile (every 0.2 s), against /healthz idle.
#
#   CASES=10000 bench/cost.sh
#
# Environment: CASES (10000), DURATION (20), N (50), WORK (bench/work), OUT
# (bench/out/cost-<timestamp>), PORT (18090), BIN (target/release/recouvra).
set -euo pipefail
cd "$(dirname "$0")/.."
HERE=$PWD
CASES=${CASES:-10000}
DURATION=${DURATION:-20}
N=${N:-50}
WORK=${WORK:-$HERE/bench/work}
OUT=${OUT:-$HERE/bench/out/cost-$(date -u +%Y%m%dT%H%M%SZ)}
PORT=${PORT:-18090}
BIN=${BIN:-${CARGO_TARGET_DIR:-$HERE/target}/release/recouvra}
mkdir -p "$WORK" "$OUT"
[ -x "$BIN" ] || { echo "build first: cargo build --release ($BIN)" >&2; exit 1; }

export RECOUVRA_JWT_SECRET=${RECOUVRA_JWT_SECRET:-bench-secret-bench-secret-bench-secret-0001}
export RECOUVRA_SCHEDULER_INTERVAL=0
export RECOUVRA_LOG=${RECOUVRA_LOG:-warn}
export RECOUVRA_DATA_DIR=$WORK/data-cost-$CASES
mkdir -p "$RECOUVRA_DATA_DIR"
TEMPLATE=$WORK/seed-$CASES.db
if [ ! -f "$TEMPLATE" ]; then
    echo "seeding $CASES cases into $TEMPLATE"
    rm -f "$TEMPLATE.tmp"*
    DATABASE_URL="sqlite://$TEMPLATE.tmp" "$BIN" bench-seed --cases "$CASES" >"$OUT/seed.txt"
    mv "$TEMPLATE.tmp" "$TEMPLATE"
    rm -f "$TEMPLATE.tmp-wal" "$TEMPLATE.tmp-shm"
fi
DATABASE_URL="sqlite://$TEMPLATE" "$BIN" migrate 2>/dev/null
cp "$TEMPLATE" "$WORK/cost.db"
rm -f "$WORK/cost.db-wal" "$WORK/cost.db-shm"
export DATABASE_URL="sqlite://$WORK/cost.db"

"$BIN" serve --bind "127.0.0.1:$PORT" >"$OUT/server.log" 2>&1 &
SERVER=$!
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    kill "$SERVER" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
    sleep 0.2
done
URL=http://127.0.0.1:$PORT
TOKEN=$(curl -sf "$URL/api/auth/login" -H 'content-type: application/json' \
    -d '{"email":"creancier1@bench.recouvra.test","password":"bench-recouvra-2026"}' |
    sed 's/.*"accessToken":"\([^"]*\)".*/\1/')

ALIAS='cases(first: 100) { edges { node { timeline { payload } pieces { sha256 } payments { id } } } }'
python3 - "$OUT" "$ALIAS" <<'EOF'
import json, sys
out, alias = sys.argv[1], sys.argv[2]
q = "{ " + " ".join(f"a{i}: {alias}" for i in range(300)) + " }"
json.dump({"query": q}, open(f"{out}/attack.json", "w"))
entry = "{ " + " ".join(f"a{i}: {alias}" for i in range(30)) + " }"
json.dump([{"query": entry}] * 10, open(f"{out}/batch.json", "w"))
EOF

post() { # body-file → "status seconds"
    curl -s -o "$OUT/last.json" -w '%{http_code} %{time_total}\n' "$URL/graphql" \
        -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \
        --data-binary "@$1"
}
stats() { # name file-of-"status seconds" → summary line (ms)
    sort -k2 -n "$2" | awk -v name="$1" '{s[NR]=$2*1000; c[$1]++} END {
        printf "%-22s n=%d  p50 %.1f ms  p90 %.1f ms  max %.1f ms  statuses:", name, NR,
            s[int(NR*0.5)+1], s[int(NR*0.9)+1], s[NR];
        for (k in c) printf " %s×%d", k, c[k]; printf "\n" }'
}

echo "VmRSS after start: $(awk '/VmRSS/ {print $2 " kB"}' /proc/$SERVER/status)" | tee "$OUT/summary.txt"
for name in attack batch; do
    : >"$OUT/$name.times"
    for _ in $(seq 1 "$N"); do post "$OUT/$name.json" >>"$OUT/$name.times"; done
    cp "$OUT/last.json" "$OUT/$name.response.json"
    stats "refusal $name" "$OUT/$name.times" | tee -a "$OUT/summary.txt"
done
echo "attack answer: $(head -c 300 "$OUT/attack.response.json")" | tee -a "$OUT/summary.txt"

health() { # seconds-of-sampling file
    local end=$((SECONDS + $1))
    while [ $SECONDS -lt $end ]; do
        curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$URL/healthz" >>"$2"
        sleep 0.2
    done
}
: >"$OUT/healthz.idle"
health 5 "$OUT/healthz.idle"
stats "healthz idle" "$OUT/healthz.idle" | tee -a "$OUT/summary.txt"

# Four attackers at once, each sending the attack in a loop.
for i in 1 2 3 4; do
    (end=$((SECONDS + DURATION)); : >"$OUT/attacker$i.times"
     while [ $SECONDS -lt $end ]; do post "$OUT/attack.json" >>"$OUT/attacker$i.times"; done) &
    PIDS+=($!)
done
(end=$((SECONDS + DURATION)); peak=0
 while [ $SECONDS -lt $end ]; do
     r=$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status); [ "$r" -gt "$peak" ] && peak=$r
     sleep 0.1
 done; echo "$peak" >"$OUT/rss.peak") &
PIDS+=($!)
: >"$OUT/healthz.load"
health "$DURATION" "$OUT/healthz.load"
wait "${PIDS[@]}" 2>/dev/null || true
PIDS=()
cat "$OUT"/attacker*.times >"$OUT/attackers.times"
stats "refusal, 4 at once" "$OUT/attackers.times" | tee -a "$OUT/summary.txt"
stats "healthz under attack" "$OUT/healthz.load" | tee -a "$OUT/summary.txt"
echo "VmRSS peak under attack: $(cat "$OUT/rss.peak") kB" | tee -a "$OUT/summary.txt"
sleep 2
echo "VmRSS after: $(awk '/VmRSS/ {print $2 " kB"}' /proc/$SERVER/status)" | tee -a "$OUT/summary.txt"
echo "done: $OUT/summary.txt"
