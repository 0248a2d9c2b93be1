#!/usr/bin/env bash
# Makes a local PostgreSQL available for the test suite and prints the URL of
# a role that may create databases. Installs PostgreSQL with apt-get when it is
# missing and starts the local cluster with pg_ctlcluster when it is stopped.
# Fails loudly (exit 1) when PostgreSQL cannot be had: tests are never skipped.
set -euo pipefail

ROLE=habeas_test
PASS=habeas_test
log() { echo "ensure-postgres: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  log "PostgreSQL is not installed; installing it with apt-get"
  [ "$(id -u)" = 0 ] || die "PostgreSQL is missing and installing it needs root (apt-get install postgresql)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || die "apt-get update failed"
  apt-get install -y -qq postgresql >&2 || die "apt-get install postgresql failed"
fi

# The first cluster listed is the one we use; create one when there is none.
read -r VER CLUSTER PORT STATUS _ < <(pg_lsclusters --no-header | head -n1) || true
if [ -z "${VER:-}" ]; then
  VER=$(ls /usr/lib/postgresql | sort -V | tail -n1)
  log "no cluster found; creating $VER/main"
  pg_createcluster "$VER" main >&2 || die "pg_createcluster failed"
  read -r VER CLUSTER PORT STATUS _ < <(pg_lsclusters --no-header | head -n1)
fi
if [ "$STATUS" != "online" ]; then
  log "starting cluster $VER/$CLUSTER on port $PORT"
  pg_ctlcluster "$VER" "$CLUSTER" start >&2 || die "pg_ctlcluster $VER $CLUSTER start failed (see /var/log/postgresql/postgresql-$VER-$CLUSTER.log)"
fi
for _ in $(seq 1 30); do
  as_postgres pg_isready -q -p "$PORT" -h /var/run/postgresql && break
  sleep 1
done
as_postgres pg_isready -q -p "$PORT" -h /var/run/postgresql || die "cluster $VER/$CLUSTER did not become ready"

# A login role that may create (and drop) its test databases.
as_postgres psql -q -p "$PORT" -v ON_ERROR_STOP=1 -d postgres >&2 <<SQL || die "creating role $ROLE failed"
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASS';
  ELSE
    ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASS';
  END IF;
END
\$\$;
-- lets DROP DATABASE ... WITH (FORCE) end lingering test connections
GRANT pg_signal_backend TO $ROLE;
SQL
if [ "$(as_postgres psql -tA -p "$PORT" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$ROLE'")" != 1 ]; then
  as_postgres createdb -p "$PORT" -O "$ROLE" "$ROLE" >&2 || die "createdb $ROLE failed"
fi
URL="postgres://$ROLE:$PASS@127.0.0.1:$PORT/$ROLE?sslmode=disable"
PGPASSWORD=$PASS psql -q -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d "$ROLE" -c 'SELECT 1' >/dev/null 2>&1 \
  || die "cannot log in as $ROLE over TCP on 127.0.0.1:$PORT (check pg_hba.conf)"
log "PostgreSQL $VER ready on 127.0.0.1:$PORT"
echo "$URL"
