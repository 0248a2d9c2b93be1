#!/usr/bin/env bash
# Scale benchmark (issue 14): seeds a database with `habeas seed`, starts
# habeas on it, and drives it with scripts/bench/loadbench: sign-in, GET case,
# list cases with filters, search by a two-character Chinese name and by
# pinyin, GET timeline, POST event, and a realistic mix. In the same run it
# measures the baselines on the same machine: a bare gin handler doing one
# indexed query on the same database (loadbench baseline), and for PostgreSQL
# `pgbench -S` on the same server at the same concurrency. Writes the results
# into docs/benchmarks.md between the scale-bench markers.
#
#   scripts/bench/scale.sh                      # both databases, full scale
#   BENCH_DBS=sqlite BENCH_DETAINEES=10000 BENCH_DURATION=20s BENCH_MIX=60s scripts/bench/scale.sh
#
# Settings (environment):
#   BENCH_DBS          sqlite postgres (default: both)
#   BENCH_DETAINEES    100000 (x 1.5 cases each, x BENCH_EVENTS_PER_CASE events per case)
#   BENCH_EVENTS_PER_CASE 10
#   BENCH_CLIENTS      50 concurrent clients
#   BENCH_DURATION     60s per scenario
#   BENCH_MIX          600s for the mixed run (0 skips it)
#   BENCH_SCENARIOS    the scenarios run one by one (default: every one; a
#                      partial run is best printed only: BENCH_NO_DOC=1)
#   BENCH_DIR          where the seeded databases are kept (default .bench, git-ignored)
#   BENCH_KEEP=1       reuse a database seeded by an earlier run with the same size
#   BENCH_NO_DOC=1     print the results only, leave docs/benchmarks.md alone
#   BENCH_SEED_ONLY=1  seed the databases (for a later BENCH_KEEP=1 run) and stop
# PostgreSQL comes from scripts/ensure-postgres.sh (the local cluster); the
# databases habeas_bench and habeas_pgbench are dropped and created.
# Timing is reported, never asserted.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

DBS=${BENCH_DBS:-sqlite postgres}
DETAINEES=${BENCH_DETAINEES:-100000}
EPC=${BENCH_EVENTS_PER_CASE:-10}
CLIENTS=${BENCH_CLIENTS:-50}
DURATION=${BENCH_DURATION:-60s}
MIX=${BENCH_MIX:-600s}
SCENARIOS=${BENCH_SCENARIOS:-baseline_case,case,list,search_zh,search_zh3,search_trad,search_pinyin,search_uyghur,list_filters,deadlines,deadlines_summary,board,timeline,event,signin}
DIR=${BENCH_DIR:-$ROOT/.bench}
PASSWORD='bench-password-not-secret-1'
SEED=1
ADDR=127.0.0.1:18080
BASE_ADDR=127.0.0.1:18081

mkdir -p "$DIR"
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { echo "bench: $*" >&2; }

log "building habeas and loadbench"
go build -o "$WORK/habeas" ./cmd/habeas
go build -o "$WORK/loadbench" ./scripts/bench/loadbench
RESULTS=$DIR/results.jsonl
: >"$RESULTS"
INTRO=$WORK/intro.md
: >"$INTRO.data"
PGBENCH_TPS=0

wait_ready() { # URL [CURL-FLAG]: a 2xx answer (-f), or with -s any answer
  for _ in $(seq 1 600); do
    curl "${2:--f}" -s -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  log "server at $1 did not become ready"; return 1
}

for DB in $DBS; do
  DATA=$DIR/$DB-$DETAINEES-$EPC
  ENV=(HABEAS_DATA_DIR="$DATA" HABEAS_LOG_LEVEL=info HABEAS_EVIDENCE_RECONCILE_INTERVAL=0
    HABEAS_ACCESS_TOKEN_TTL=15m HABEAS_MFA_REQUIRED_ROLES=)
  if [ "$DB" = postgres ]; then
    PGURL=$(scripts/ensure-postgres.sh)
    ADMIN_URL=$PGURL
    BENCH_URL=${PGURL/\/habeas_test\?/\/habeas_bench?}
    ENV+=(HABEAS_DATABASE_URL="$BENCH_URL")
  fi
  if [ "${BENCH_KEEP:-}" = 1 ] && [ -f "$DATA/seeded" ]; then
    log "$DB: reusing the database seeded in $DATA"
  else
    rm -rf "$DATA"; mkdir -p "$DATA"
    if [ "$DB" = postgres ]; then
      psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS habeas_bench WITH (FORCE)" -c "CREATE DATABASE habeas_bench"
    fi
    log "$DB: migrating and seeding $DETAINEES detainees, $EPC events per case"
    env "${ENV[@]}" "$WORK/habeas" migrate >&2
    /usr/bin/time -f "%e %M" -o "$DATA/seed.time" env "${ENV[@]}" "$WORK/habeas" seed --detainees "$DETAINEES" \
      --events-per-case "$EPC" --seed "$SEED" --bench-users 4 --bench-password "$PASSWORD" 2>&1 | tee "$DATA/seed.log" >&2
    touch "$DATA/seeded"
  fi
  [ "${BENCH_SEED_ONLY:-}" = 1 ] && continue
  read -r SEED_S SEED_KIB <"$DATA/seed.time"
  if [ "$DB" = postgres ]; then
    SIZE=$(psql -tA "$BENCH_URL" -c "SELECT pg_size_pretty(pg_database_size('habeas_bench'))")
  else
    SIZE=$(du -sh "$DATA/habeas.db" | cut -f1)
  fi
  COUNTS=$(grep -E '^seed: (detainees|cases|case_events|hearings|support_actions|lawyers) ' "$DATA/seed.log" |
    awk '{ printf "%s%s %s", sep, $2, $3; sep = ", " }' || true)
  echo "- $DB: seeded in ${SEED_S} s (peak RSS $((SEED_KIB / 1024)) MiB), database $SIZE. ${COUNTS}" >>"$INTRO.data"

  # The accounts: coordinators (see every case) and lawyers (their cases).
  USERS=$WORK/users-$DB.txt SIGNIN=$WORK/signin-$DB.txt
  : >"$USERS"; : >"$SIGNIN"
  for i in 001 002 003 004; do
    echo "bench-coordinator-$i@habeas.test $PASSWORD" >>"$USERS"
    echo "bench-lawyer-$i@habeas.test $PASSWORD" >>"$USERS"
    echo "bench-lawyer-$i@habeas.test $PASSWORD" >>"$SIGNIN"
  done

  env "${ENV[@]}" HABEAS_ADDR=$ADDR "$WORK/habeas" serve >"$DIR/serve-$DB.log" 2>&1 &
  SERVE_PID=$!
  PIDS+=($SERVE_PID)
  wait_ready "http://$ADDR/readyz"
  if [ "$DB" = postgres ]; then
    "$WORK/loadbench" baseline -listen $BASE_ADDR -database-url "$BENCH_URL" >&2 &
  else
    "$WORK/loadbench" baseline -listen $BASE_ADDR -sqlite "$DATA/habeas.db" >&2 &
  fi
  PIDS+=($!)
  wait_ready "http://$BASE_ADDR/case/none" -s

  if [ "$DB" = postgres ]; then
    PGB_URL=${PGURL/\/habeas_test\?/\/habeas_pgbench?}
    psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS habeas_pgbench WITH (FORCE)" -c "CREATE DATABASE habeas_pgbench"
    pgbench -q -i -s 10 "$PGB_URL" >&2 2>/dev/null
    log "postgres: pgbench -S -c $CLIENTS -j 2 -T ${DURATION%s}"
    PGBENCH_OUT=$(pgbench -S -n -c "$CLIENTS" -j 2 -T "${DURATION%s}" "$PGB_URL" 2>&1)
    echo "$PGBENCH_OUT" | grep -E 'tps|latency' >&2
    PGBENCH_TPS=$(echo "$PGBENCH_OUT" | awk '/^tps/ { print $3; exit }')
  fi

  log "$DB: scenarios at $CLIENTS clients, $DURATION each"
  "$WORK/loadbench" run -url "http://$ADDR" -users "$USERS" -signin-users "$SIGNIN" -c "$CLIENTS" -d "$DURATION" \
    -label "$DB" -pid "$SERVE_PID" -baseline-url "http://$BASE_ADDR" \
    -scenarios "$SCENARIOS" >>"$RESULTS"
  if [ "$MIX" != 0 ] && [ "$MIX" != 0s ]; then
    log "$DB: mixed run, $MIX"
    "$WORK/loadbench" run -url "http://$ADDR" -users "$USERS" -signin-users "$SIGNIN" -c "$CLIENTS" -d "$MIX" \
      -label "$DB" -pid "$SERVE_PID" -scenarios mix >>"$RESULTS"
  fi
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  PIDS=()
  if [ "$DB" = postgres ]; then
    psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS habeas_pgbench WITH (FORCE)"
  fi
done

[ "${BENCH_SEED_ONLY:-}" = 1 ] && exit 0
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
cat >"$INTRO" <<EOS
## Scale: $DETAINEES detainees, $EPC events per case, $CLIENTS concurrent clients

Measured by \`scripts/bench/scale.sh\` on $(date -u +%F) ($(nproc) CPUs, $cpu; Go $(go env GOVERSION);
load average $(cut -d' ' -f1-3 /proc/loadavg) at the end, which counts other work on this shared machine): \`BENCH_DBS="$DBS" BENCH_DETAINEES=$DETAINEES
BENCH_EVENTS_PER_CASE=$EPC BENCH_CLIENTS=$CLIENTS BENCH_DURATION=$DURATION BENCH_MIX=$MIX scripts/bench/scale.sh\`.
Data (\`habeas seed --detainees $DETAINEES --events-per-case $EPC --seed $SEED\`):
$(cat "$INTRO.data")

The load generator, habeas and the database share the machine's cores. Each scenario runs for $DURATION
with $CLIENTS clients in closed loop (each sends its next request when the last one is answered) over
keep-alive connections, acting as 4 coordinators and 4 lawyers (round-robin; a lawyer reads only their
own cases). Every Habeas request is authenticated (Ed25519 JWT, session check) and authorised, as in
production; every change writes its audit entry in its own transaction, and every sensitive read has its
entry group-committed (durable before the answer). The mix: 25% GET case, 25% timeline, 15% list, 10% + 10% searches, 13% POST event, 2% sign-in.
\`baseline_case\` is the bare gin handler (one indexed SELECT by primary key on the same database, no
auth, no audit); \`pgbench -S\` (select-only, scale 10) ran on the same PostgreSQL with $CLIENTS clients
and 2 threads. Serve ran with \`HABEAS_MFA_REQUIRED_ROLES=\` so the load generator signs coordinators in
with a password (a TOTP code can be used once).
EOS
if [ "${BENCH_NO_DOC:-}" = 1 ]; then
  cat "$RESULTS"
  exit 0
fi
OUTRO_ARGS=()
[ -f docs/benchmarks-scale-notes.md ] && OUTRO_ARGS=(-outro docs/benchmarks-scale-notes.md)
"$WORK/loadbench" report -in "$RESULTS" -doc docs/benchmarks.md -intro "$INTRO" -pgbench-tps "$PGBENCH_TPS" "${OUTRO_ARGS[@]}"
log "results written to docs/benchmarks.md (raw: $RESULTS)"
