#!/usr/bin/env bash
# Captures traffic from real implementations of the bundled protocols on
# loopback, then compares dissect's decoding with tshark's.
#
#   scripts/capture-real.sh [PROTO...]     e.g. scripts/capture-real.sh memcache mysql
#
# Each protocol has a script scripts/capture-real/PROTO.sh (lib.sh holds
# their helpers) that installs the
# server and a client from Debian (root needed), runs them on 127.0.0.1,
# records the traffic with `tcpdump -i lo -w` and writes OUT/PROTO.pcap;
# then dissect's fields that name a Wireshark field (ws=) are compared with
# `tshark -T json` (scripts/capture-real/compare.py, for the protocols it
# lists), and the conformance harness (cmd/conformance) runs tshark on the
# capture and prints its tables for every mapped field. With no argument
# every script runs. OUT is $CAPTURE_OUT, default /tmp/dissect-captures.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${CAPTURE_OUT:-/tmp/dissect-captures}
mkdir -p "$out"
go build -o "$out/dissect" ./cmd/dissect
go build -o "$out/conformance" ./cmd/conformance
protos=("$@")
if [ ${#protos[@]} -eq 0 ]; then
    for f in scripts/capture-real/*.sh; do
        [ "$(basename "$f")" = lib.sh ] || protos+=("$(basename "$f" .sh)")
    done
fi
status=0
for p in "${protos[@]}"; do
    echo "== $p" >&2
    if ! OUT="$out" bash "scripts/capture-real/$p.sh"; then
        echo "$p: capture failed" >&2; status=1; continue
    fi
    # The field lists of compare.py, where it has one for the protocol.
    if grep -q "^    \"$p\":" scripts/capture-real/compare.py; then
        python3 scripts/capture-real/compare.py "$out/dissect" "$out/$p.pcap" "$p" || status=1
    fi
    # The conformance harness, with tshark run now on the capture: every
    # field a schema maps (ws=), in the table's Markdown.
    "$out/conformance" -shared "$out/no-shared" -generated "$out/$p.pcap" -title "Real capture $p.pcap" 2>&1 || status=1
done
exit $status
