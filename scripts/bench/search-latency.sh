#!/usr/bin/env bash
# Search latency without queueing (issue 20): on the databases seeded by
# scripts/bench/scale.sh, starts habeas and runs each search scenario with
# ONE client in closed loop, so the figures are the time a request itself
# takes (scale.sh's 50 clients on two cores mostly measure the queue: by
# Little's law p50 is about 50 / throughput). Prints loadbench's JSON lines
# and its one-line summaries; the caller reports them.
#
#   scripts/bench/search-latency.sh                   # both databases, 20 s per scenario
#   BENCH_DBS=sqlite BENCH_DURATION=10s scripts/bench/search-latency.sh
#
# Settings: BENCH_DBS, BENCH_DETAINEES, BENCH_EVENTS_PER_CASE, BENCH_DIR as in
# scale.sh; BENCH_DURATION (20s). Timing is reported, never asserted.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

DBS=${BENCH_DBS:-sqlite postgres}
DETAINEES=${BENCH_DETAINEES:-100000}
EPC=${BENCH_EVENTS_PER_CASE:-10}
DURATION=${BENCH_DURATION:-20s}
DIR=${BENCH_DIR:-$ROOT/.bench}
PASSWORD='bench-password-not-secret-1'
ADDR=127.0.0.1:18082
SCENARIOS=search_zh,search_zh3,search_trad,search_pinyin,search_uyghur,list_filters,list

WORK=$(mktemp -d)
SERVE_PID=
cleanup() {
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { echo "bench: $*" >&2; }

go build -o "$WORK/habeas" ./cmd/habeas
go build -o "$WORK/loadbench" ./scripts/bench/loadbench
for DB in $DBS; do
  DATA=$DIR/$DB-$DETAINEES-$EPC
  [ -f "$DATA/seeded" ] || { log "$DB: no seeded database in $DATA (run scale.sh first)"; exit 1; }
  ENV=(HABEAS_DATA_DIR="$DATA" HABEAS_LOG_LEVEL=warn HABEAS_EVIDENCE_RECONCILE_INTERVAL=0
    HABEAS_ACCESS_TOKEN_TTL=15m HABEAS_MFA_REQUIRED_ROLES= HABEAS_ADDR=$ADDR)
  if [ "$DB" = postgres ]; then
    PGURL=$(scripts/ensure-postgres.sh)
    ENV+=(HABEAS_DATABASE_URL="${PGURL/\/habeas_test\?/\/habeas_bench?}")
  fi
  USERS=$WORK/users-$DB.txt
  : >"$USERS"
  for i in 001 002 003 004; do
    echo "bench-coordinator-$i@habeas.test $PASSWORD" >>"$USERS"
    echo "bench-lawyer-$i@habeas.test $PASSWORD" >>"$USERS"
  done
  env "${ENV[@]}" "$WORK/habeas" serve >"$WORK/serve-$DB.log" 2>&1 &
  SERVE_PID=$!
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null "http://$ADDR/readyz" 2>/dev/null && break
    sleep 0.5
  done
  log "$DB: $SCENARIOS at 1 client, $DURATION each"
  "$WORK/loadbench" run -url "http://$ADDR" -users "$USERS" -signin-users "$USERS" -c 1 -d "$DURATION" \
    -label "$DB-1client" -pid "$SERVE_PID" -scenarios "$SCENARIOS"
  kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true; SERVE_PID=
done
