#!/usr/bin/env bash
# DNS: dnsmasq answering from its own records on 127.0.0.1:53 (no upstream),
# queried by dig over UDP and TCP: A, AAAA, MX, TXT, SRV, PTR, a missing
# name (NXDOMAIN) and EDNS with a cookie. Writes $OUT/dns.pcap.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need dnsmasq-base bind9-dnsutils tcpdump
OUT=${OUT:-/tmp/dissect-captures}
dnsmasq --no-daemon --port=53 --listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts \
    --user=root --pid-file= --log-facility=- \
    --host-record=plc.example.test,192.0.2.10,2001:db8::10 \
    --mx-host=example.test,mail.example.test,10 \
    --txt-record=example.test,"v=spf1 -all","second string" \
    --srv-host=_mqtt._tcp.example.test,broker.example.test,1883,0,5 \
    --ptr-record=10.2.0.192.in-addr.arpa,plc.example.test \
    --local=/example.test/ >/dev/null 2>&1 &
DM=$!
trap 'kill $DM 2>/dev/null || true' EXIT
sleep 1
start_capture "$OUT/dns.pcap" "port 53"
q() { timeout 10 dig @127.0.0.1 +tries=1 +time=3 "$@" >/dev/null 2>&1 || true; }
q plc.example.test A
q plc.example.test AAAA
q example.test MX
q example.test TXT
q _mqtt._tcp.example.test SRV
q -x 192.0.2.10
q missing.example.test A
q +tcp plc.example.test A
q +tcp example.test TXT
q +nocookie +noedns plc.example.test A
stop_capture
