#!/usr/bin/env bash
# Starts a throw-away SMTP server (mailpit) on free loopback ports for the
# e-mail tests: SMTP AUTH required (one test user), STARTTLS required with a
# self-signed certificate made here, messages read back through mailpit's
# HTTP API. Prints shell `export` lines for the tests:
#   eval "$(scripts/ensure-mailpit.sh)"
# Installs mailpit with `go install` when it is not in $(go env GOBIN), else
# $(go env GOPATH)/bin.
# The server outlives this script: stop it with
#   kill "$HABEAS_TEST_MAILPIT_PID"; rm -rf "$HABEAS_TEST_MAILPIT_DIR"
# Fails loudly (exit 1) when the server cannot be had: tests are never skipped.
set -euo pipefail

VERSION=v1.33.1
USER_NAME=habeas-test
PASSWORD=habeas-test-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
log() { echo "ensure-mailpit: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v go >/dev/null || die "go is not on PATH"
command -v openssl >/dev/null || die "openssl is needed (the STARTTLS certificate): apt-get install openssl"
if ! command -v curl >/dev/null; then
  [ "$(id -u)" = 0 ] || die "curl is needed (readiness check): apt-get install curl"
  log "curl is missing; installing it with apt-get"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl) >&2 || die "apt-get install curl failed"
fi

BINDIR=$(go env GOBIN)
[ -n "$BINDIR" ] || BINDIR="$(go env GOPATH)/bin"
BIN="$BINDIR/mailpit"
if [ ! -x "$BIN" ]; then
  log "installing mailpit $VERSION with go install (about a minute the first time)"
  start=$(date +%s)
  go install "github.com/axllent/mailpit@$VERSION" >&2 || die "go install mailpit@$VERSION failed"
  log "installed $BIN in $(($(date +%s) - start))s"
fi
[ -x "$BIN" ] || die "$BIN missing after go install"

DIR=$(mktemp -d "${TMPDIR:-/tmp}/habeas-mailpit.XXXXXX")

# A self-signed certificate for 127.0.0.1 and localhost; the tests trust it
# through HABEAS_SMTP_CA_FILE (never by skipping verification).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 7 \
  -subj "/CN=habeas-test-mailpit" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -keyout "$DIR/key.pem" -out "$DIR/cert.pem" 2>"$DIR/openssl.log" || { cat "$DIR/openssl.log" >&2; rm -rf "$DIR"; die "openssl could not make the certificate"; }
printf '%s:%s\n' "$USER_NAME" "$PASSWORD" >"$DIR/smtp-auth"
chmod 600 "$DIR/smtp-auth" "$DIR/key.pem"

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

PID=
for _ in $(seq 1 10); do
  SMTP_PORT=$(free_port) || die "no free port"
  HTTP_PORT=$(free_port) || die "no free port"
  [ "$SMTP_PORT" != "$HTTP_PORT" ] || continue
  # --max: many test packages share the server at once; keep their messages.
  setsid "$BIN" --smtp "127.0.0.1:$SMTP_PORT" --listen "127.0.0.1:$HTTP_PORT" \
    --database "$DIR/mailpit.db" --max 20000 \
    --smtp-auth-file "$DIR/smtp-auth" --smtp-tls-cert "$DIR/cert.pem" --smtp-tls-key "$DIR/key.pem" \
    --smtp-require-starttls --smtp-disable-rdns --disable-version-check --quiet \
    >"$DIR/mailpit.log" 2>&1 </dev/null &
  PID=$!
  ready=
  for _ in $(seq 1 150); do # up to 15s
    kill -0 "$PID" 2>/dev/null || break
    if curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$HTTP_PORT/readyz" 2>/dev/null &&
      (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null; then
      ready=1
      break
    fi
    sleep 0.1
  done
  [ -n "$ready" ] && break
  log "mailpit did not start on ports $SMTP_PORT/$HTTP_PORT; retrying on others"
  kill "$PID" 2>/dev/null || true
  PID=
done
[ -n "$PID" ] || { cat "$DIR/mailpit.log" >&2 || true; rm -rf "$DIR"; die "mailpit would not start (log above)"; }
log "mailpit $VERSION (pid $PID): SMTP 127.0.0.1:$SMTP_PORT (STARTTLS + AUTH required), API http://127.0.0.1:$HTTP_PORT, dir $DIR"

cat <<EOT
export HABEAS_TEST_MAILPIT_SMTP=127.0.0.1:$SMTP_PORT
export HABEAS_TEST_MAILPIT_API=http://127.0.0.1:$HTTP_PORT
export HABEAS_TEST_MAILPIT_USER=$USER_NAME
export HABEAS_TEST_MAILPIT_PASSWORD=$PASSWORD
export HABEAS_TEST_MAILPIT_CA_FILE=$DIR/cert.pem
export HABEAS_TEST_MAILPIT_BIN=$BIN
export HABEAS_TEST_MAILPIT_PID=$PID
export HABEAS_TEST_MAILPIT_DIR=$DIR
EOT
