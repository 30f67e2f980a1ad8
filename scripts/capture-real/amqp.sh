#!/usr/bin/env bash
# AMQP 0-9-1: a RabbitMQ on 127.0.0.1:5672, driven by the amqp-tools
# clients (librabbitmq): declare a queue, publish with properties, get,
# consume one message. Writes $OUT/amqp.pcap.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need rabbitmq-server amqp-tools tcpdump
OUT=${OUT:-/tmp/dissect-captures}
dir=$(mktemp -d)
export RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_NODENAME="dissect@localhost" \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=5672 RABBITMQ_DIST_PORT=25672 HOME="$dir"
# Run the server and rabbitmqctl as root from the package's own scripts (the
# /usr/sbin wrappers switch to the rabbitmq user, which cannot use $dir).
bin=/usr/lib/rabbitmq/bin
"$bin/rabbitmq-server" >"$dir/server.log" 2>&1 &
MQ=$!
trap '"$bin/rabbitmqctl" -n dissect@localhost stop >/dev/null 2>&1 || kill $MQ 2>/dev/null || true; epmd -kill >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
# The node registers with epmd some seconds after it starts.
for _ in $(seq 90); do
    "$bin/rabbitmqctl" -n dissect@localhost await_startup --timeout 5 >/dev/null 2>&1 && break
    sleep 1
done
"$bin/rabbitmqctl" -n dissect@localhost await_startup --timeout 5 >/dev/null
start_capture "$OUT/amqp.pcap" "tcp port 5672"
url=amqp://guest:guest@127.0.0.1:5672
amqp-declare-queue --url=$url -q orders >/dev/null
amqp-publish --url=$url -r orders -C application/json -E utf-8 -p -H app:dissect -b '{"id":1,"item":"pen"}'
amqp-publish --url=$url -r orders -b 'second message'
amqp-get --url=$url -q orders >/dev/null
amqp-consume --url=$url -q orders -c 1 cat >/dev/null
amqp-delete-queue --url=$url -q orders >/dev/null
stop_capture
