#!/usr/bin/env bash
# MySQL protocol: a MariaDB server on 127.0.0.1:3306 with a fresh data
# directory, driven by the mariadb client and mariadb-admin over TCP (no
# TLS). Writes $OUT/mysql.pcap.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need mariadb-server mariadb-client tcpdump
OUT=${OUT:-/tmp/dissect-captures}
dir=$(mktemp -d)
mariadb-install-db --no-defaults --datadir="$dir/data" --user=root --auth-root-authentication-method=socket >/dev/null
mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/sock" --pid-file="$dir/pid" \
    --port=3306 --bind-address=127.0.0.1 --user=root --skip-ssl >"$dir/log" 2>&1 &
DB=$!
trap 'kill $DB 2>/dev/null || true; wait $DB 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 50); do [ -S "$dir/sock" ] && break; sleep 0.2; done
mariadb --no-defaults -S "$dir/sock" -u root -e "CREATE USER 'app'@'127.0.0.1' IDENTIFIED BY 'secret'; GRANT ALL ON *.* TO 'app'@'127.0.0.1'; CREATE DATABASE shop;"
start_capture "$OUT/mysql.pcap" "tcp port 3306"
cli=(mariadb --no-defaults -h 127.0.0.1 -P 3306 -u app -psecret --skip-ssl)
"${cli[@]}" --force shop -e "CREATE TABLE items (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40) NOT NULL, price DECIMAL(8,2), note TEXT);
INSERT INTO items (name, price, note) VALUES ('pen', 1.50, NULL), ('book', 12.00, 'paper');
SELECT id, name, price, note FROM items ORDER BY id;
SELECT * FROM nosuchtable;
UPDATE items SET price = price * 2 WHERE id = 1;" || true
"${cli[@]}" -psecret-wrong -e "SELECT 1" 2>/dev/null || true
mariadb-admin --no-defaults -h 127.0.0.1 -P 3306 -u app -psecret --skip-ssl ping >/dev/null
stop_capture
