#!/usr/bin/env bash
# Soak with faults (issue 23): one Habeas server under a mixed load from
# several clients (reads of cases, timelines and lists; timeline events;
# case updates with If-Match; small uploads and downloads) for
# BENCH_SOAK_DURATION, while faults are injected one at a time at random
# moments (server SIGKILL + restart, SIGTERM + restart, S3 frozen with
# SIGSTOP for 2-8 s, S3 killed and restarted, every PostgreSQL backend of
# the server terminated). Every acknowledged write is recorded and read
# back at the end (writes lost must be 0); then `habeas audit verify` and
# `habeas storage verify` run. Writes the figures into docs/benchmarks.md
# between the soak-bench markers and appends the JSON line to
# .bench/soak-results.jsonl. Exits 1 when a write was lost or a verify failed.
#
#   scripts/bench/soak.sh                                   # 30 minutes, PostgreSQL + S3
#   BENCH_SOAK_DURATION=2m BENCH_NO_DOC=1 scripts/bench/soak.sh
#   BENCH_SOAK_DB=sqlite BENCH_SOAK_STORAGE=local scripts/bench/soak.sh
#
# Settings (environment):
#   BENCH_SOAK_DURATION  30m         how long the load runs
#   BENCH_SOAK_DB        postgres    postgres or sqlite
#   BENCH_SOAK_STORAGE   s3          s3 (a private versitygw) or local
#   BENCH_SOAK_CLIENTS   8           concurrent clients
#   BENCH_SOAK_FAULT_MIN 20s         shortest pause between two faults
#   BENCH_SOAK_FAULT_MAX 60s         longest pause between two faults
#   BENCH_SOAK_SEED      (time)      seed of the load and fault choices
#   BENCH_NO_DOC=1                   print the figures only, leave docs/benchmarks.md alone
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/bench/section.sh
log() { echo "soak: $*" >&2; }

DB=${BENCH_SOAK_DB:-postgres}
STORAGE=${BENCH_SOAK_STORAGE:-s3}
mkdir -p .bench
WORK=$(mktemp -d "${TMPDIR:-/tmp}/habeas-soak.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

args=(-db "$DB" -storage "$STORAGE" -d "${BENCH_SOAK_DURATION:-30m}" -clients "${BENCH_SOAK_CLIENTS:-8}"
  -fault-min "${BENCH_SOAK_FAULT_MIN:-20s}" -fault-max "${BENCH_SOAK_FAULT_MAX:-60s}"
  -out .bench/soak-results.jsonl -doc "$WORK/section.md")
[ -n "${BENCH_SOAK_SEED:-}" ] && args+=(-seed "$BENCH_SOAK_SEED")

if [ "$DB" = postgres ]; then
  HABEAS_TEST_POSTGRES_URL=$(scripts/ensure-postgres.sh)
  export HABEAS_TEST_POSTGRES_URL
fi
if [ "$STORAGE" = s3 ]; then
  # Only the versitygw binary is needed: the soak runs a server of its own
  # (which it kills and freezes); stop the one the script starts.
  eval "$(scripts/ensure-versitygw.sh)"
  kill "$HABEAS_TEST_VERSITYGW_PID" 2>/dev/null || true
  rm -rf "$HABEAS_TEST_VERSITYGW_DIR"
  export HABEAS_TEST_VERSITYGW_BIN
fi

go build -o "$WORK/soakbench" ./scripts/bench/soakbench
log "running ${BENCH_SOAK_DURATION:-30m} on $DB + $STORAGE storage"
status=0
"$WORK/soakbench" "${args[@]}" || status=$?
if [ -s "$WORK/section.md" ] && [ -z "${BENCH_NO_DOC:-}" ]; then
  write_section soak-bench "$(cat "$WORK/section.md")"
fi
exit "$status"
