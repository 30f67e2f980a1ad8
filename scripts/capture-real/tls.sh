#!/usr/bin/env bash
# TLS: openssl s_server on 127.0.0.1:443 with a fresh self-signed RSA
# certificate, and s_client handshakes in TLS 1.2 and TLS 1.3, with SNI and
# ALPN, each sending a line of application data. Writes $OUT/tls.pcap.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need openssl tcpdump
OUT=${OUT:-/tmp/dissect-captures}
dir=$(mktemp -d)
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/key.pem" -out "$dir/cert.pem" -days 2 \
    -subj "/CN=plc.example.test" -addext "subjectAltName=DNS:plc.example.test" >/dev/null 2>&1
openssl s_server -accept 127.0.0.1:443 -cert "$dir/cert.pem" -key "$dir/key.pem" \
    -alpn h2,http/1.1 -servername plc.example.test -cert2 "$dir/cert.pem" -key2 "$dir/key.pem" \
    -quiet -naccept 4 >/dev/null 2>&1 &
SV=$!
trap 'kill $SV 2>/dev/null || true; rm -rf "$dir"' EXIT
sleep 1
start_capture "$OUT/tls.pcap" "tcp port 443"
for v in -tls1_2 -tls1_3; do
    for alpn in h2 http/1.1; do
        echo "GET / HTTP/1.1" | timeout 5 openssl s_client -connect 127.0.0.1:443 $v \
            -servername plc.example.test -alpn "$alpn" -quiet >/dev/null 2>&1 || true
    done
done
stop_capture
