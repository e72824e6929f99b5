#!/usr/bin/env bash
# Start a local PostgreSQL server for the test suite and export DATABASE_URL. Sourced by .ci/run.
# Installs Debian's postgresql when absent; fails loudly when the server cannot be started.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql
fi
PG_VERSION="$(ls /usr/lib/postgresql | sort -V | tail -1)"
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$PG_VERSION main$"; then
  as_root pg_createcluster "$PG_VERSION" main
fi
as_root pg_ctlcluster "$PG_VERSION" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432 || { echo "FATAL: PostgreSQL did not start" >&2; exit 1; }

PG_USER=smartcity PG_PASSWORD=smartcity PG_DB=smartcity_test
as_root su postgres -c "psql -q -v ON_ERROR_STOP=1" <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD' CREATEDB;
  END IF;
END \$\$;
SQL
if ! as_root su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = '$PG_DB'\"" | grep -q 1; then
  as_root su postgres -c "createdb -O $PG_USER $PG_DB"
fi
export DATABASE_URL="postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:5432/$PG_DB"
echo "PostgreSQL $PG_VERSION ready: $DATABASE_URL"
