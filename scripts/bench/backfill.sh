#!/usr/bin/env bash
# Name index backfill benchmark (issue 20): on the databases seeded by
# scripts/bench/scale.sh (BENCH_SEED_ONLY=1 or an earlier run), empties the
# name index (search_keys, search_grams, search_index_state: a database from
# before migration 0012 looks like this) and times `habeas serve` from start
# to ready, which re-indexes every detainee, case and lawyer first
# (docs/search.md, "Backfill"). Reports each kind's time from the server log.
# The databases are re-indexed in place: they end as a start-up leaves them
# (fully indexed), so scale.sh can run on them after.
#
#   scripts/bench/backfill.sh                              # both databases
#   BENCH_DBS=sqlite BENCH_DETAINEES=10000 scripts/bench/backfill.sh
#
# Settings: BENCH_DBS, BENCH_DETAINEES, BENCH_EVENTS_PER_CASE, BENCH_DIR as
# in scale.sh; BENCH_NO_DOC=1 prints the results only. Needs the sqlite3
# command-line shell for the SQLite database. Timing is reported, never
# asserted.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
. scripts/bench/section.sh

DBS=${BENCH_DBS:-sqlite postgres}
DETAINEES=${BENCH_DETAINEES:-100000}
EPC=${BENCH_EVENTS_PER_CASE:-10}
DIR=${BENCH_DIR:-$ROOT/.bench}
ADDR=127.0.0.1:18090

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
CLEAR="DELETE FROM search_grams; DELETE FROM search_keys; DELETE FROM search_index_state;"
ROWS=""
for DB in $DBS; do
  SEEDED=$DIR/$DB-$DETAINEES-$EPC
  if [ ! -f "$SEEDED/seeded" ]; then
    log "$DB: no seeded database in $SEEDED; run BENCH_SEED_ONLY=1 BENCH_DETAINEES=$DETAINEES scripts/bench/scale.sh first"
    exit 1
  fi
  DATA=$SEEDED
  ENV=(HABEAS_DATA_DIR="$DATA" HABEAS_LOG_LEVEL=info HABEAS_LOG_FORMAT=text HABEAS_EVIDENCE_RECONCILE_INTERVAL=0 HABEAS_ADDR=$ADDR)
  if [ "$DB" = postgres ]; then
    PGURL=$(scripts/ensure-postgres.sh)
    BENCH_URL=${PGURL/\/habeas_test\?/\/habeas_bench?}
    ENV+=(HABEAS_DATABASE_URL="$BENCH_URL")
    psql -q "$BENCH_URL" -c "$CLEAR"
    COUNTS=$(psql -tA "$BENCH_URL" -c "SELECT (SELECT count(*) FROM detainees) || ' detainees, ' || (SELECT count(*) FROM cases) || ' cases, ' || (SELECT count(*) FROM lawyers) || ' lawyers'")
  else
    sqlite3 "$DATA/habeas.db" "PRAGMA busy_timeout=5000; $CLEAR" >/dev/null
    COUNTS=$(sqlite3 "$DATA/habeas.db" "SELECT (SELECT count(*) FROM detainees) || ' detainees, ' || (SELECT count(*) FROM cases) || ' cases, ' || (SELECT count(*) FROM lawyers) || ' lawyers'")
  fi
  log "$DB: index emptied ($COUNTS); starting habeas serve"
  start=$(date +%s.%N)
  env "${ENV[@]}" "$WORK/habeas" serve >"$WORK/serve-$DB.log" 2>&1 &
  SERVE_PID=$!
  for _ in $(seq 1 3600); do
    curl -fs -o /dev/null "http://$ADDR/livez" 2>/dev/null && break
    kill -0 "$SERVE_PID" 2>/dev/null || { cat "$WORK/serve-$DB.log" >&2; exit 1; }
    sleep 0.2
  done
  ready=$(date +%s.%N)
  kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true; SERVE_PID=
  total=$(echo "$ready - $start" | bc)
  kinds=$(grep 'search index: done' "$WORK/serve-$DB.log" | sed -E 's/.*kind=([a-z]+) indexed=([0-9]+) elapsed=([0-9.a-zµ]+).*/\1 \2 in \3/' | paste -sd ';' | sed 's/;/; /g')
  [ -n "$kinds" ] || { log "$DB: no backfill in the log"; cat "$WORK/serve-$DB.log" >&2; exit 1; }
  log "$DB: ready after ${total} s ($kinds)"
  ROWS+="| $DB | $COUNTS | $kinds | $(printf '%.1f' "$total") |"$'\n'
done

TEXT="<!-- search-backfill:start -->
## Name index backfill: $DETAINEES detainees (issue 20)

Measured by \`scripts/bench/backfill.sh\` on $(date -u +%F) ($(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)
at the end): \`BENCH_DBS=\"$DBS\" BENCH_DETAINEES=$DETAINEES scripts/bench/backfill.sh\`, on the databases seeded by
\`scripts/bench/scale.sh\` with the name index emptied (as a database from before migration 0012). Target: 100,000
detainees under 60 s. \"ready\" is from starting \`habeas serve\` to its first answer (start-up waits for the
backfill).

| database | records | indexed per kind | ready (s) |
| --- | --- | --- | --- |
${ROWS}<!-- search-backfill:end -->"
if [ "${BENCH_NO_DOC:-}" = 1 ]; then
  echo "$TEXT"
else
  write_section search-backfill "$TEXT"
fi
