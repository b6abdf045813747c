#!/usr/bin/env bash
# Starts a local S3 emulator (moto) for the blob store's S3 tests, then run e.g.
#   TEST_STORAGE=s3 TEST_S3_ENDPOINT=http://127.0.0.1:5055 cargo test   (what .ci/run does)
# (in CI also set TEST_S3_REQUIRED=1: the S3 tests then fail instead of skipping)
# Usage: start-moto.sh [port]   (default 5055). Prints the endpoint; the server's pid is in
# $MOTO_PID_FILE (default /tmp/recouvra-moto.pid), its log in /tmp/recouvra-moto.log.
# Stop it with: kill "$(cat /tmp/recouvra-moto.pid)"
set -euo pipefail
port=${1:-5055}
pid_file=${MOTO_PID_FILE:-/tmp/recouvra-moto.pid}
log=${MOTO_LOG:-/tmp/recouvra-moto.log}

if ! command -v moto_server >/dev/null 2>&1; then
  # Debian's Python is "externally managed": pip needs --break-system-packages there.
  python3 -m pip install --quiet --break-system-packages 'moto[server]' 2>/dev/null \
    || python3 -m pip install --quiet 'moto[server]'
fi

# Only loopback: the tests never talk to anything else.
moto_server -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
echo $! >"$pid_file"

for _ in $(seq 1 100); do
  if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "http://127.0.0.1:$port"
    exit 0
  fi
  sleep 0.1
done
echo "moto did not start on port $port; see $log" >&2
kill "$(cat "$pid_file")" 2>/dev/null || true
exit 1
