# Helpers for the capture-real scripts (sourced, not run).

# need installs the Debian packages given that are missing.
need() {
    local missing=()
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    if [ ${#missing[@]} -gt 0 ]; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null
    fi
}

# start_capture FILE FILTER starts tcpdump on loopback in the background.
start_capture() {
    tcpdump -i lo -U -s 0 -w "$1" "$2" >/dev/null 2>&1 &
    TCPDUMP_PID=$!
    trap 'kill $TCPDUMP_PID 2>/dev/null || true' ERR
    sleep 1
}

# stop_capture stops the tcpdump started by start_capture.
stop_capture() {
    sleep 1
    kill "$TCPDUMP_PID" 2>/dev/null || true
    wait "$TCPDUMP_PID" 2>/dev/null || true
}
