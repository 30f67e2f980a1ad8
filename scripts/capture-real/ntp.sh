#!/usr/bin/env bash
# NTP: chronyd serving its local clock on 127.0.0.1:123 (stratum 8, no clock
# control), queried by ntpsec's ntpdate (SNTP, v4 mode 3) a few times.
# Writes $OUT/ntp.pcap.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need chrony ntpsec-ntpdate tcpdump
OUT=${OUT:-/tmp/dissect-captures}
dir=$(mktemp -d)
cat >"$dir/chrony.conf" <<CONF
local stratum 8
allow 127.0.0.1
bindaddress 127.0.0.1
port 123
cmdport 0
pidfile $dir/chronyd.pid
CONF
chronyd -x -d -f "$dir/chrony.conf" >"$dir/chronyd.log" 2>&1 &
CH=$!
trap 'kill $CH 2>/dev/null || true; rm -rf "$dir"' EXIT
sleep 2
start_capture "$OUT/ntp.pcap" "udp port 123"
for _ in 1 2 3; do timeout 10 ntpdate -q 127.0.0.1 >/dev/null 2>&1 || true; done
stop_capture
