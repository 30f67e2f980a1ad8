#!/usr/bin/env bash
# PostgreSQL: a throw-away cluster (initdb, SCRAM-SHA-256 passwords) on
# 127.0.0.1:5432, queried by psql without TLS: startup and SASL
# authentication, parameter status, simple queries with rows, an error and
# a notice, COPY out. Writes $OUT/pgsql.pcap.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need postgresql tcpdump
OUT=${OUT:-/tmp/dissect-captures}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir=$(mktemp -d)
chown postgres "$dir"
echo secret >"$dir/pw"
chown postgres "$dir/pw"
runuser -u postgres -- "$bin/initdb" -D "$dir/data" -A scram-sha-256 --pwfile="$dir/pw" -U postgres >/dev/null
runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=5432 -c unix_socket_directories=$dir -c ssl=off" start >/dev/null
trap 'runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
start_capture "$OUT/pgsql.pcap" "tcp port 5432"
export PGPASSWORD=secret PGSSLMODE=disable
timeout 20 psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -X -q >/dev/null 2>&1 <<'SQL' || true
CREATE TABLE readings (id serial PRIMARY KEY, sensor text NOT NULL, value real, at timestamptz DEFAULT now());
INSERT INTO readings (sensor, value) VALUES ('temp', 21.5), ('hum', 40), ('temp', NULL);
SELECT id, sensor, value FROM readings ORDER BY id;
SELECT count(*), avg(value) FROM readings WHERE sensor = 'temp';
SELECT * FROM missing_table;
DO $$ BEGIN RAISE NOTICE 'hello from plpgsql'; END $$;
COPY readings (id, sensor) TO STDOUT;
BEGIN; UPDATE readings SET value = 22 WHERE id = 1; COMMIT;
SQL
stop_capture
