#!/usr/bin/env bash
# The whole test suite, as `make test` and CI run it. It sets up what it
# needs (PostgreSQL) and fails loudly when something cannot be had.
set -euo pipefail
cd "$(dirname "$0")/.."

section() { printf '\n==== %s ====\n' "$*"; }
export CGO_ENABLED=1 # the race detector needs cgo; the shipped binary is built with CGO_ENABLED=0

# The race detector instruments our code and every Go dependency except the
# SQLite engine (modernc.org/..., C translated to Go): under -race its
# virtual machine ran with checkptr and race instrumentation on every
# pointer step, a third of the suite's CPU time and no race of ours to find
# there (as C code under cgo is not instrumented either). -timeout is the
# whole package's budget on a slow, busy 2-core machine (the default 10
# minutes was reached once by internal/httpapi on CI).
race=(-race -timeout 30m -gcflags='modernc.org/...=-race=false -d=checkptr=0')

section "gofmt"
unformatted=$(gofmt -l api cmd internal scripts 2>/dev/null || true)
if [ -n "$unformatted" ]; then echo "not gofmt-formatted:"; echo "$unformatted"; exit 1; fi
echo "all Go files formatted"

section "go vet"
go vet ./...
echo "go vet clean"

section "go mod tidy"
# go mod tidy -diff prints what tidying would change and exits non-zero then.
if ! go mod tidy -diff; then
  echo "go.mod/go.sum are not tidy: run go mod tidy and commit the result"
  exit 1
fi
echo "go.mod and go.sum tidy"

section "static build without cgo"
CGO_ENABLED=0 go build -o /dev/null ./cmd/habeas
echo "CGO_ENABLED=0 go build ./cmd/habeas: ok"

section "PDF fonts and poppler-utils (dossier tests)"
scripts/ensure-fonts.sh

section "editable WGAD draft opened by LibreOffice (soffice --headless --convert-to pdf)"
# Fails the run when soffice cannot be had: the ODT must be shown to open, not assumed to.
HABEAS_TEST_SOFFICE=$(scripts/ensure-soffice.sh)
HABEAS_TEST_SOFFICE="$HABEAS_TEST_SOFFICE" go test -count=1 -run 'TestWGADODTOpensInLibreOffice' ./internal/dossier
echo "LibreOffice converts the ODT draft and its text is there: ok"

section "PostgreSQL"
HABEAS_TEST_POSTGRES_URL=$(scripts/ensure-postgres.sh)
export HABEAS_TEST_POSTGRES_URL

# ---- storage tests on s3 (versitygw): a self-contained block (issue 7) ----
section "storage tests on s3 (versitygw)"
storage_start=$(date +%s)
# A subshell holds the server's env and its own EXIT trap, so the server is
# stopped however the tests end and no other trap of this script is replaced.
(
  gw_env=$(scripts/ensure-versitygw.sh) # fails the run when no server can be had
  eval "$gw_env"
  trap 'kill "$HABEAS_TEST_VERSITYGW_PID" 2>/dev/null || true; rm -rf "$HABEAS_TEST_VERSITYGW_DIR"' EXIT
  trap 'exit 130' INT TERM
  go test "${race[@]}" -count=1 ./internal/storage/...
  # the evidence vault's object pipeline on S3 (its database tests run in the sections below)
  HABEAS_TEST_DATABASES=sqlite go test "${race[@]}" -count=1 ./internal/evidence/...
  # backup and restore with evidence on S3 (its local-storage round trip runs in the sections below, on both databases)
  HABEAS_TEST_DATABASES=sqlite go test "${race[@]}" -count=1 -run 'S3$' ./internal/backup/...
)
echo "storage tests on s3 (versitygw): ok in $(($(date +%s) - storage_start))s"
# The S3 driver was tested above; the sections below test storage on local disk.
export HABEAS_TEST_STORAGE=local
# ---- end of storage tests on s3 ----

# Packages whose tests use the database test kit run once per database.
db_pkgs=$(go list -f '{{.ImportPath}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./... \
  | awk '/internal\/testkit/ {print $1}' | grep -v '/internal/testkit$' || true)

# Large-data tests (10,000-row imports, the name index compared with a plain
# substring match on 2,000 names and 600 queries, every GET route over more
# rows than its page, the deadline index against a full evaluation of many
# cases) run without the race detector: they exercise data volume, not
# concurrency, and took a quarter of the race suites' time. They run on both
# databases below.
large_tests='^(TestImportAllOrNothing|TestSearchIndexExactness|TestGETResponsesAreBounded|TestDeadlineIndexEqualsEvaluation)$'
large_pkgs='./internal/cases/ ./internal/httpapi/'

# The e-mail tests (internal/notify/email and whoever sends mail) read what a
# real SMTP server received: mailpit with STARTTLS and AUTH required (issue
# 26). A subshell holds its env and EXIT trap, as for versitygw above.
(
mailpit_env=$(scripts/ensure-mailpit.sh) # fails the run when no server can be had
eval "$mailpit_env"
trap 'kill "$HABEAS_TEST_MAILPIT_PID" 2>/dev/null || true; rm -rf "$HABEAS_TEST_MAILPIT_DIR"' EXIT
trap 'exit 130' INT TERM

section "Go tests on database: sqlite (all packages, race detector on)"
HABEAS_TEST_DATABASES=sqlite go test "${race[@]}" -count=1 -skip "$large_tests" ./...

section "Go tests on database: postgres ($(echo "$HABEAS_TEST_POSTGRES_URL" | sed 's/:[^:@]*@/:***@/'), race detector on)"
# shellcheck disable=SC2086
HABEAS_TEST_DATABASES=postgres go test "${race[@]}" -count=1 -skip "$large_tests" $db_pkgs
) # mailpit stopped

section "large-data tests on sqlite and postgres (race detector off)"
# -v lists each test and database; a package with none of them would be a renamed test, caught by the count.
# shellcheck disable=SC2086
large_out=$(HABEAS_TEST_DATABASES=sqlite,postgres go test -count=1 -timeout 20m -run "$large_tests" -v $large_pkgs 2>&1) || {
  echo "$large_out"; exit 1; }
echo "$large_out" | grep -E '^(=== RUN|--- |ok|FAIL|PASS)'
want=$(($(echo "$large_tests" | tr '|' '\n' | wc -l) * 2))
got=$(echo "$large_out" | grep -cE '^    --- PASS: Test[A-Za-z]+/(sqlite|postgres) ')
if [ "$got" -ne "$want" ]; then
  echo "large-data tests: $got of $want test/database runs passed (a test renamed or moved?)"; exit 1
fi

# ---- fault drills (issue 23): real server processes, broken on purpose ----
section "fault drills (SQLite and PostgreSQL, local and S3 storage; docs/operations.md)"
drills_start=$(date +%s)
# Each drill runs its own habeas processes (built once), its own versitygw,
# a fresh PostgreSQL database and, for the full disk, a tmpfs (needs root).
# They wait on processes more than they compute: -parallel runs them at
# once on a small machine.
(
  gw_env=$(scripts/ensure-versitygw.sh) # the versitygw binary; fails the run when none can be had
  eval "$gw_env"
  trap 'kill "$HABEAS_TEST_VERSITYGW_PID" 2>/dev/null || true; rm -rf "$HABEAS_TEST_VERSITYGW_DIR"' EXIT
  trap 'exit 130' INT TERM
  go vet -tags drills ./internal/drills/
  go test -tags drills -count=1 -parallel 16 -timeout 8m ./internal/drills/
)
echo "fault drills: ok in $(($(date +%s) - drills_start))s"
# ---- end of fault drills ----

section "fuzz targets (brief runs; seed corpora under testdata/fuzz; long runs: docs/security.md)"
# Budgets are execution counts, not durations: with a duration, Go 1.26's
# fuzz coordinator can fail a healthy run with "context deadline exceeded"
# when a worker is mid-input at the deadline (golang/go#75804, fixed in 1.27).
# -timeout bounds a run that stops making progress.
fuzz() { # package target executions
  echo "-- $2 ($1, $3 executions)"
  go test -run '^$' -fuzz "^$2\$" -fuzztime "${HABEAS_FUZZ_EXECS:-$3}x" -timeout 5m "$1"
}
fuzz ./internal/partialdate FuzzParse 200000
fuzz ./internal/evidence FuzzContentDisposition 8000
fuzz ./internal/auth FuzzAuthorization 2500
fuzz ./internal/audit FuzzChainVerification 3000
fuzz ./internal/cases FuzzImportDetainees 3000
fuzz ./internal/cases FuzzSearchQuery 1500
fuzz ./internal/httpapi FuzzBindJSON 5000

section "web: build (npm ci when needed), API types current, typecheck"
scripts/build-web.sh
(cd web && npm run --silent check:api)

section "web: unit tests"
(cd web && npx vitest run)

section "web: end-to-end in chromium"
CHROMIUM=$(scripts/ensure-chromium.sh)
export CHROMIUM
(cd web && node e2e/run.mjs)

section "done"
echo "Go suite ran on: sqlite, postgres"
