#!/usr/bin/env bash
# Starts a throw-away S3 server (versitygw over a temp posix directory) on a
# free loopback port for the storage tests, creates the test bucket, and
# prints shell `export` lines for the tests:
#   eval "$(scripts/ensure-versitygw.sh)"
# Installs versitygw with `go install` when it is not in $(go env GOPATH)/bin.
# The server outlives this script: stop it with
#   kill "$HABEAS_TEST_VERSITYGW_PID"; rm -rf "$HABEAS_TEST_VERSITYGW_DIR"
# Fails loudly (exit 1) when the server cannot be had: tests are never skipped.
set -euo pipefail

VERSION=v1.8.0
BUCKET=habeas-test
ACCESS=habeas-test-access
SECRET=habeas-test-secret-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
REGION=us-east-1
log() { echo "ensure-versitygw: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v go >/dev/null || die "go is not on PATH"
if ! command -v curl >/dev/null; then
  [ "$(id -u)" = 0 ] || die "curl is needed (health check and bucket creation): apt-get install curl"
  log "curl is missing; installing it with apt-get"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl) >&2 || die "apt-get install curl failed"
fi

BIN="$(go env GOPATH)/bin/versitygw"
if [ ! -x "$BIN" ]; then
  log "installing versitygw $VERSION with go install (takes a few minutes the first time)"
  start=$(date +%s)
  go install "github.com/versity/versitygw/cmd/versitygw@$VERSION" >&2 || die "go install versitygw@$VERSION failed"
  log "installed $BIN in $(($(date +%s) - start))s"
fi
[ -x "$BIN" ] || die "$BIN missing after go install"

DIR=$(mktemp -d "${TMPDIR:-/tmp}/habeas-versitygw.XXXXXX")
mkdir -p "$DIR/data"

# curl signs with SigV4; versitygw also wants the payload hash header.
EMPTY_SHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
s3curl() {
  curl -sS --max-time 10 --aws-sigv4 "aws:amz:$REGION:s3" --user "$ACCESS:$SECRET" \
    -H "x-amz-content-sha256: $EMPTY_SHA256" "$@"
}

PID=
for _ in $(seq 1 20); do
  PORT=$((20000 + RANDOM % 40000))
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then continue; fi # in use
  ROOT_ACCESS_KEY=$ACCESS ROOT_SECRET_KEY=$SECRET \
    setsid "$BIN" --port "127.0.0.1:$PORT" posix "$DIR/data" >"$DIR/versitygw.log" 2>&1 </dev/null &
  PID=$!
  for _ in $(seq 1 100); do # up to 10s
    kill -0 "$PID" 2>/dev/null || break
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PORT/" || true)
    [ "$code" != "000" ] && break
    sleep 0.1
  done
  if kill -0 "$PID" 2>/dev/null && [ "${code:-000}" != "000" ]; then break; fi
  log "versitygw did not start on port $PORT; retrying on another port"
  kill "$PID" 2>/dev/null || true
  PID=
done
[ -n "$PID" ] || { cat "$DIR/versitygw.log" >&2 || true; rm -rf "$DIR"; die "versitygw would not start (log above)"; }

status=$(s3curl -o "$DIR/mkbucket.out" -w '%{http_code}' -X PUT "http://127.0.0.1:$PORT/$BUCKET") || status=000
if [ "$status" != 200 ]; then
  cat "$DIR/mkbucket.out" >&2 2>/dev/null || true
  kill "$PID" 2>/dev/null || true
  rm -rf "$DIR"
  die "creating bucket $BUCKET failed (HTTP $status)"
fi
log "versitygw $VERSION (pid $PID) serving $DIR/data on 127.0.0.1:$PORT, bucket $BUCKET"

cat <<EOF
export HABEAS_TEST_S3_ENDPOINT=127.0.0.1:$PORT
export HABEAS_TEST_S3_BUCKET=$BUCKET
export HABEAS_TEST_S3_ACCESS_KEY=$ACCESS
export HABEAS_TEST_S3_SECRET_KEY=$SECRET
export HABEAS_TEST_S3_REGION=$REGION
export HABEAS_TEST_VERSITYGW_BIN=$BIN
export HABEAS_TEST_VERSITYGW_PID=$PID
export HABEAS_TEST_VERSITYGW_DIR=$DIR
EOF
