#!/usr/bin/env bash
# Builds ./dissect. On Debian it first installs libpcap-dev when it is
# missing, for live capture (-i, -D) and capture filters (-f); when that
# cannot be done, it builds without cgo, which reads capture files only,
# and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh

if [ ! -e /usr/include/pcap.h ] && ! install_missing libpcap-dev; then
    echo "build.sh: libpcap-dev is missing and could not be installed: building without live capture (CGO_ENABLED=0)" >&2
    export CGO_ENABLED=0
fi
go build -o dissect ./cmd/dissect
