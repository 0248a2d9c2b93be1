#!/usr/bin/env bash
# CSV import/export benchmark (issue 14): imports 100,000 detainees from a
# pipe and exports them again (BenchmarkCSV100k in internal/cases), on SQLite
# and PostgreSQL, against a baseline run in the same command
# (BenchmarkCSV100kBaseline: the same rows inserted with plain gorm batches
# and read back with one plain SELECT). Writes the results into
# docs/benchmarks.md between the csv-bench markers.
#   scripts/bench/csv.sh
# Timing is reported, never asserted.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/bench/section.sh
export HABEAS_TEST_POSTGRES_URL=${HABEAS_TEST_POSTGRES_URL:-$(scripts/ensure-postgres.sh)}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
go test -c -o "$WORK/cases.test" ./internal/cases
CMD="cases.test -test.run '^\$' -test.bench '^BenchmarkCSV100k(Baseline)?\$' -test.benchtime 1x"
/usr/bin/time -f "%M" -o "$WORK/time" "$WORK/cases.test" -test.run '^$' -test.bench '^BenchmarkCSV100k(Baseline)?$' \
  -test.benchtime 1x >"$WORK/out" 2>&1 || { cat "$WORK/out" >&2; exit 1; }
cat "$WORK/out" >&2
PEAK_RSS=$(($(cat "$WORK/time") / 1024))

# metric BENCH DIALECT UNIT: the value before UNIT on the benchmark's line
metric() { awk -v b="$1/$2" -v u="$3" '$1 ~ "^"b"(-[0-9]+)?$" { for (i = 2; i < NF; i++) if ($(i + 1) == u) print $i }' "$WORK/out"; }
rows=""
for d in sqlite postgres; do
  imp=$(metric BenchmarkCSV100k "$d" import-s) exp=$(metric BenchmarkCSV100k "$d" export-s)
  heap=$(metric BenchmarkCSV100k "$d" peak-heap-MiB) mib=$(metric BenchmarkCSV100k "$d" csv-MiB)
  ins=$(metric BenchmarkCSV100kBaseline "$d" insert-s) sel=$(metric BenchmarkCSV100kBaseline "$d" select-s)
  rows+=$(awk -v d="$d" -v i="$imp" -v e="$exp" -v h="$heap" -v m="$mib" -v bi="$ins" -v bs="$sel" 'BEGIN {
    printf "| %s | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f | %.0f | %.1f |\n", d, i, bi, i / bi, e, bs, e / bs, h, m }')$'\n'
done
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
section=$(cat <<EOS
<!-- csv-bench:start -->
## CSV: import and export of 100,000 detainees

Measured by \`scripts/bench/csv.sh\` on $(date -u +%F) ($(nproc) CPUs, $cpu; Go $(go env GOVERSION);
load average $(cut -d' ' -f1-3 /proc/loadavg)): \`go test -c ./internal/cases\`, then \`$CMD\`.
The import reads a 100,000-row CSV from a pipe (name, born_at, home_province, summary), validates and
normalises every row, fills the search column, and writes the rows 500 at a time (multi-row INSERTs of
db.InsertBatchRows rows) with their 500 audit entries (one \`detainee.create\` per row, chained in one append),
all in one transaction; the export streams the same rows as CSV to a counting writer. The baseline (same
command, same database) inserts the same rows with plain multi-row INSERTs of the same size and reads them back with
one SELECT. Peak heap sampled every 50 ms during import and export; peak RSS of the whole test process
(both databases, baseline included): $PEAK_RSS MiB. Targets: import under 60 s, export under 30 s, memory flat.

| database | import s | baseline insert s | x baseline | export s | baseline select s | x baseline | peak heap MiB | CSV MiB |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows%$'\n'}
<!-- csv-bench:end -->
EOS
)
write_section csv-bench "$section"
