#!/usr/bin/env bash
# STUN: coturn's turnserver on 127.0.0.1:3478 (UDP, no TLS), asked for the
# client's address by turnutils_stunclient (plain binding, and RFC 5780
# CHANGE-REQUEST with -c). Writes $OUT/stun.pcap.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need coturn tcpdump
OUT=${OUT:-/tmp/dissect-captures}
dir=$(mktemp -d)
turnserver -n --listening-ip=127.0.0.1 --listening-port=3478 --no-tls --no-dtls --no-cli \
    --realm=example.test --log-file="$dir/turn.log" --pidfile="$dir/turn.pid" --simple-log >/dev/null 2>&1 &
TS=$!
trap 'kill $TS 2>/dev/null || true; rm -rf "$dir"' EXIT
sleep 2
start_capture "$OUT/stun.pcap" "udp port 3478"
timeout 10 turnutils_stunclient -p 3478 127.0.0.1 >/dev/null 2>&1 || true
timeout 10 turnutils_stunclient -p 3478 -c 127.0.0.1 >/dev/null 2>&1 || true
stop_capture
