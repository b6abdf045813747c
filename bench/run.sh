#!/usr/bin/env bash
# The benchmark harness of issue 7 (see bench/README.md). Seeds (once) a database of CASES
# cases, starts the release server on it, then measures with wrk: the `cases` list (first 50,
# with debtor and balance) through GraphQL, the same bytes from a bare actix-web server, a
# case page query, `openCase`; then the idle server's memory and the scheduler's scan.
# Everything lands in $OUT (one file per measure) and a summary on stdout.
#
#   CASES=1000000 bench/run.sh                    # SQLite (default)
#   CASES=100000 DATABASE_URL=postgres://postgres@127.0.0.1:55440/bench bench/run.sh
#
# Environment: CASES (100000), DURATION seconds per wrk run (30), CONNS (32), THREADS (2),
# WORK (bench/work: seeded databases, kept between runs), OUT (bench/out/<timestamp>),
# PORT (18080), BASE_PORT (18081), DATABASE_URL (a PostgreSQL database; seeded when empty).
set -euo pipefail
cd "$(dirname "$0")/.."
HERE=$PWD
CASES=${CASES:-100000}
DURATION=${DURATION:-30}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
WORK=${WORK:-$HERE/bench/work}
OUT=${OUT:-$HERE/bench/out/$(date -u +%Y%m%dT%H%M%SZ)}
PORT=${PORT:-18080}
BASE_PORT=${BASE_PORT:-18081}
BIN=$HERE/target/release/recouvra
BASELINE=$HERE/target/release/examples/bench_baseline
mkdir -p "$WORK" "$OUT"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is missing" >&2; exit 1; }
if [ ! -x "$BIN" ] || [ ! -x "$BASELINE" ] || [ -n "${BUILD:-}" ]; then
    cargo build --release --bins --examples
fi

export RECOUVRA_JWT_SECRET=${RECOUVRA_JWT_SECRET:-bench-secret-bench-secret-bench-secret-0001}
export RECOUVRA_SCHEDULER_INTERVAL=0   # the scan is measured on its own, below
export RECOUVRA_LOG=${RECOUVRA_LOG:-warn}
export RECOUVRA_DATA_DIR=$WORK/data-$CASES
mkdir -p "$RECOUVRA_DATA_DIR"

# 1. The database: a seeded SQLite file is kept as a template and copied for each run (the
#    openCase run writes to it); a PostgreSQL database is seeded when it has no case.
if [ -z "${DATABASE_URL:-}" ]; then
    BACKEND=sqlite
    TEMPLATE=$WORK/seed-$CASES.db
    if [ ! -f "$TEMPLATE" ]; then
        echo "seeding $CASES cases into $TEMPLATE"
        rm -f "$TEMPLATE.tmp"*
        /usr/bin/time -v -o "$OUT/seed.time" env DATABASE_URL="sqlite://$TEMPLATE.tmp" \
            "$BIN" bench-seed --cases "$CASES" | tee "$OUT/seed.txt"
        mv "$TEMPLATE.tmp" "$TEMPLATE"
        rm -f "$TEMPLATE.tmp-wal" "$TEMPLATE.tmp-shm"
    fi
    # A template seeded by an older version gets the newer migrations (indexes).
    DATABASE_URL="sqlite://$TEMPLATE" "$BIN" migrate 2>/dev/null
    cp "$TEMPLATE" "$WORK/run.db"
    rm -f "$WORK/run.db-wal" "$WORK/run.db-shm"
    export DATABASE_URL="sqlite://$WORK/run.db"
else
    BACKEND=postgres
    if [ -n "${SEED:-}" ]; then
        echo "seeding $CASES cases into $DATABASE_URL"
        /usr/bin/time -v -o "$OUT/seed.time" "$BIN" bench-seed --cases "$CASES" | tee "$OUT/seed.txt"
    fi
    "$BIN" migrate 2>/dev/null
fi
echo "backend $BACKEND, $CASES cases, results in $OUT"

# 2. The server (release build, background scheduler off).
"$BIN" serve --bind "127.0.0.1:$PORT" >"$OUT/server.log" 2>&1 &
SERVER=$!
BASE=""
cleanup() {
    kill "$SERVER" 2>/dev/null || true
    [ -n "$BASE" ] && kill "$BASE" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
    sleep 0.2
done

login() {
    curl -sf "http://127.0.0.1:$PORT/api/auth/login" -H 'content-type: application/json' \
        -d "{\"email\":\"$1\",\"password\":\"bench-recouvra-2026\"}" |
        sed 's/.*"accessToken":"\([^"]*\)".*/\1/'
}
AGENT=$(login agent1@bench.recouvra.test)
CREDITOR=$(login creancier1@bench.recouvra.test)
export AGENT CREDITOR

# The bodies, as files wrk's Lua script posts (bench/post.lua).
LIST='{"query":"query List { cases(first: 50) { pageInfo { hasNextPage endCursor } edges { node { id reference state debtor { name address { city } } totals { outstanding } } } } }"}'
LIST_COUNT='{"query":"query ListCount { cases(first: 50) { totalCount pageInfo { hasNextPage endCursor } edges { node { id reference state debtor { name address { city } } totals { outstanding } } } } }"}'
CASE_ID=$(( CASES * 3 / 4 ))
PAGE="{\"query\":\"query Page { case(id: \\\"$CASE_ID\\\") { id reference state version creditor { name } debtor { name firstName kind address { line1 postalCode city } email phone } invoices { number issueDate dueDate amount } totals { principalClaimed alreadyPaid outstanding } payments { receivedOn amount method } recovery { nextStep } timeline { seq at kind actorName } } }\"}"
OPEN='{"query":"mutation Open { openCase(input: { debtor: { kind: COMPANY, name: \"Café des Arts\", siren: \"362275869\", address: { line1: \"3 rue Neuve\", postalCode: \"69001\", city: \"Lyon\" } }, invoices: [{ number: \"F-77\", issueDate: \"2026-05-02\", dueDate: \"2026-06-01\", amount: \"1450.00\" }] }) { id reference state } }"}'
printf '%s' "$LIST" >"$OUT/list.json"
printf '%s' "$LIST_COUNT" >"$OUT/list_count.json"
printf '%s' "$PAGE" >"$OUT/page.json"
printf '%s' "$OPEN" >"$OUT/open.json"

gql() { # token body-file → response
    curl -sf "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' \
        -H "authorization: Bearer $1" --data-binary "@$2"
}
# Check each query answers without errors before loading it.
for f in list list_count page; do
    gql "$AGENT" "$OUT/$f.json" >"$OUT/$f.response.json"
    if grep -q '"errors"' "$OUT/$f.response.json"; then
        echo "$f answered errors:" >&2; head -c 600 "$OUT/$f.response.json" >&2; exit 1
    fi
done

rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$SERVER/status"; }
echo "VmRSS after start and 3 requests: $(rss)" | tee "$OUT/rss.txt"

run_wrk() { # name token body-file url [conns]
    local name=$1 token=$2 body=$3 url=$4 conns=${5:-$CONNS}
    BODY_FILE=$body TOKEN=$token wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --latency \
        -s "$HERE/bench/post.lua" "$url" >"$OUT/$name.wrk.txt" 2>&1
    printf '%-12s ' "$name"
    awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
         /Non-2xx/ {bad=$NF} /Socket errors/ {err=$0}
         END {printf "%s req/s  p50 %s  p99 %s  non-2xx %s %s\n", rps, p50, p99, (bad==""?0:bad), err}' \
        "$OUT/$name.wrk.txt"
}

# 3. The list and its baseline, measured one after the other in the same run.
run_wrk list "$AGENT" "$OUT/list.json" "http://127.0.0.1:$PORT/graphql" | tee -a "$OUT/summary.txt"
"$BASELINE" "$OUT/list.response.json" "127.0.0.1:$BASE_PORT" 2>"$OUT/baseline.log" &
BASE=$!
for _ in $(seq 1 50); do
    curl -sf -o /dev/null "http://127.0.0.1:$BASE_PORT/graphql" -d '{}' && break
    sleep 0.1
done
run_wrk baseline "$AGENT" "$OUT/list.json" "http://127.0.0.1:$BASE_PORT/graphql" | tee -a "$OUT/summary.txt"
kill "$BASE"; BASE=""
echo "list body: $(wc -c <"$OUT/list.response.json") bytes" | tee -a "$OUT/summary.txt"
run_wrk list_creditor "$CREDITOR" "$OUT/list.json" "http://127.0.0.1:$PORT/graphql" | tee -a "$OUT/summary.txt"
run_wrk case_page "$AGENT" "$OUT/page.json" "http://127.0.0.1:$PORT/graphql" | tee -a "$OUT/summary.txt"

# 4. openCase, as a creditor user (each request opens a case).
CASES_BEFORE=$(gql "$AGENT" "$OUT/list_count.json" | sed 's/.*"totalCount":\([0-9]*\).*/\1/')
run_wrk open_case "$CREDITOR" "$OUT/open.json" "http://127.0.0.1:$PORT/graphql" | tee -a "$OUT/summary.txt"
CASES_AFTER=$(gql "$AGENT" "$OUT/list_count.json" | sed 's/.*"totalCount":\([0-9]*\).*/\1/')
echo "open_case: cases before $CASES_BEFORE, after $CASES_AFTER" | tee -a "$OUT/summary.txt"

# 5. The list with totalCount last: each request counts every case, and the requests wrk
#    leaves in flight at its end keep the server busy for a while.
run_wrk list_count "$AGENT" "$OUT/list_count.json" "http://127.0.0.1:$PORT/graphql" | tee -a "$OUT/summary.txt"

# 6. Idle memory after the load (once the last requests are done, 5 s of nothing).
for _ in $(seq 1 60); do
    curl -sf -o /dev/null -m 1 "http://127.0.0.1:$PORT/healthz" && break
    sleep 1
done
sleep 5
echo "VmRSS idle after the load: $(rss)" | tee -a "$OUT/rss.txt"
cat "$OUT/rss.txt" >>"$OUT/summary.txt"
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true

# 7. The scheduler's scan for due playbook steps (the server is stopped: nothing else runs).
"$BIN" bench-scan --times 5 2>/dev/null | tee "$OUT/scan.txt" | tee -a "$OUT/summary.txt"

echo "done: $OUT/summary.txt"
