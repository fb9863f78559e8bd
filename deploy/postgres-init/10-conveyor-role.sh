#!/bin/sh
# Run once by the postgres image, on an empty volume (docker-entrypoint-initdb.d). Conveyor's own
# role owns its database and nothing else: not a superuser, no CREATEDB or CREATEROLE, so a way
# to make the service run SQL would still not reach the host (COPY ... TO PROGRAM) or Temporal's
# databases. Temporal and this bootstrap use the superuser, POSTGRES_USER.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v password="$CONVEYOR_DB_PASSWORD" <<'SQL'
CREATE ROLE conveyor LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
CREATE DATABASE conveyor OWNER conveyor;
REVOKE CONNECT, TEMPORARY ON DATABASE conveyor FROM PUBLIC;
SQL
