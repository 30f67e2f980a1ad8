#!/usr/bin/env bash
# MQTT: mosquitto on 127.0.0.1:1883, with mosquitto_sub and mosquitto_pub in
# MQTT 3.1.1 and 5.0 (QoS 0, 1 and 2, retained messages, a will, v5 user
# properties and message expiry). Writes $OUT/mqtt.pcap.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need mosquitto mosquitto-clients tcpdump
OUT=${OUT:-/tmp/dissect-captures}
dir=$(mktemp -d)
printf 'listener 1883 127.0.0.1\nallow_anonymous true\n' >"$dir/m.conf"
mosquitto -c "$dir/m.conf" >"$dir/m.log" 2>&1 &
MQ=$!
trap 'kill $MQ 2>/dev/null || true; rm -rf "$dir"' EXIT
sleep 1
start_capture "$OUT/mqtt.pcap" "tcp port 1883"
h=(-h 127.0.0.1 -p 1883)
for v in mqttv311 5; do
    timeout 10 mosquitto_sub "${h[@]}" -V $v -i "sub-$v" -t "plant/+/temp" -q 2 -C 3 \
        --will-topic "clients/sub-$v" --will-payload gone >/dev/null 2>&1 &
    SUB=$!
    sleep 1
    props=()
    [ "$v" = 5 ] && props=(-D publish user-property site north -D publish message-expiry-interval 60)
    timeout 5 mosquitto_pub "${h[@]}" -V $v -i "pub-$v" -t plant/a/temp -m "21.5" -q 0 "${props[@]}"
    timeout 5 mosquitto_pub "${h[@]}" -V $v -i "pub-$v" -t plant/b/temp -m "22.0" -q 1 "${props[@]}"
    timeout 5 mosquitto_pub "${h[@]}" -V $v -i "pub-$v" -t plant/c/temp -m "23.5" -q 2 -r "${props[@]}"
    wait $SUB || true
done
stop_capture
