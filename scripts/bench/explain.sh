#!/usr/bin/env bash
# Query plans of Habeas's main read queries, as the services issue them
# (issue 14). Give one or more seeded databases: a PostgreSQL URL and/or a
# SQLite file (after `habeas seed`, or made with scripts/bench/testdata/
# generate_{postgres,sqlite}.sql on a freshly migrated database):
#
#   scripts/bench/explain.sh 'postgres://u:p@127.0.0.1/habeas' /var/lib/habeas/habeas.db
#
# It prints the plans (PostgreSQL: EXPLAIN (ANALYZE, BUFFERS); SQLite:
# EXPLAIN QUERY PLAN and the run time) and rewrites the "Query plans"
# section of docs/benchmarks.md between <!-- explain:start --> and
# <!-- explain:end -->. Set DOCS= (empty) to only print. The reads are
# audited: a few audit entries by the actor "explain" are added.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ $# -eq 0 ]; then
	sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
fi
args=()
for db in "$@"; do args+=(-db "$db"); done
docs=${DOCS-docs/benchmarks.md}
if [ -n "$docs" ]; then args+=(-docs "$docs"); fi
exec nice go run ./scripts/bench/explain "${args[@]}"
