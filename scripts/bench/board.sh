#!/usr/bin/env bash
# Support board benchmark (issue 21): the board's first page with its summary
# (GET /api/v1/support-actions?limit=50 as coordinators) at BOARD_CLIENTS
# clients and at one, and in the same run the bare gin baseline
# (loadbench baseline_case: one indexed SELECT, no auth) to divide by. Prints
# the JSON lines of loadbench; docs/benchmarks.md ("Support board") is
# written by hand from them.
#
# It serves, and so MIGRATES and writes to (sessions, audit entries), the
# database it is given: give it a copy of a database seeded by
# scripts/bench/scale.sh (sqlite3 SRC ".backup DIR/habeas.db", with the
# seeded data dir's jwt-ed25519.pem and evidence-age-identity.txt; or
# CREATE DATABASE copy TEMPLATE habeas_bench), never the seeded one.
#
#   BOARD_DATA=/tmp/copy scripts/bench/board.sh                       # SQLite
#   BOARD_DATA=/tmp/copy BOARD_DATABASE_URL=postgres://... scripts/bench/board.sh
#
# Settings: BOARD_BIN (a habeas binary, e.g. built at an older commit for
# "before"; default: built from this tree), BOARD_CLIENTS (50),
# BOARD_DURATION (15s), BOARD_LABEL. Timing is reported, never asserted.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${BOARD_DATA:?BOARD_DATA: the data directory of the copy (keys; habeas.db for SQLite)}"
CLIENTS=${BOARD_CLIENTS:-50}
DURATION=${BOARD_DURATION:-15s}
PASSWORD='bench-password-not-secret-1'
ADDR=127.0.0.1:18480
BASE_ADDR=127.0.0.1:18481
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
BIN=${BOARD_BIN:-}
if [ -z "$BIN" ]; then
  go build -o "$WORK/habeas" ./cmd/habeas
  BIN=$WORK/habeas
fi
go build -o "$WORK/loadbench" ./scripts/bench/loadbench
ENV=(HABEAS_DATA_DIR="$BOARD_DATA" HABEAS_ADDR=$ADDR HABEAS_LOG_LEVEL=warn HABEAS_EVIDENCE_RECONCILE_INTERVAL=0
  HABEAS_ACCESS_TOKEN_TTL=15m HABEAS_MFA_REQUIRED_ROLES=)
if [ -n "${BOARD_DATABASE_URL:-}" ]; then
  ENV+=(HABEAS_DATABASE_URL="$BOARD_DATABASE_URL")
  LABEL=${BOARD_LABEL:-postgres}
  "$WORK/loadbench" baseline -listen $BASE_ADDR -database-url "$BOARD_DATABASE_URL" >&2 &
else
  LABEL=${BOARD_LABEL:-sqlite}
  "$WORK/loadbench" baseline -listen $BASE_ADDR -sqlite "$BOARD_DATA/habeas.db" >&2 &
fi
PIDS+=($!)
env "${ENV[@]}" "$BIN" serve >"$WORK/serve.log" 2>&1 &
SERVE_PID=$!
PIDS+=($SERVE_PID)
for _ in $(seq 1 600); do
  curl -fs -o /dev/null "http://$ADDR/readyz" && curl -s -o /dev/null "http://$BASE_ADDR/case/none" && break
  sleep 0.5
done
USERS=$WORK/users.txt
for i in 001 002 003 004; do echo "bench-coordinator-$i@habeas.test $PASSWORD"; done >"$USERS"
"$WORK/loadbench" run -url "http://$ADDR" -users "$USERS" -signin-users "$USERS" -c "$CLIENTS" -d "$DURATION" \
  -label "$LABEL" -pid "$SERVE_PID" -baseline-url "http://$BASE_ADDR" -scenarios baseline_case,board
"$WORK/loadbench" run -url "http://$ADDR" -users "$USERS" -signin-users "$USERS" -c 1 -d 5s \
  -label "$LABEL-1-client" -pid "$SERVE_PID" -scenarios board
