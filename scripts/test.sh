#!/usr/bin/env bash
# Runs dissect's whole test suite: gofmt, go vet, and go test with the race
# detector. On Debian it first installs what the tests use when it is
# missing: tshark (an oracle the conformance tests compare against),
# libpcap-dev (live capture and filters, through cgo), tcpdump (an oracle
# for filters), tcpreplay and iproute2 (the live tests replay captures onto
# a veth pair; they need root). Tests that need a missing tool skip cleanly
# instead. It also checks that dissect builds without cgo.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh

need=()
command -v tshark >/dev/null 2>&1 || need+=(tshark)
[ -e /usr/include/pcap.h ] || need+=(libpcap-dev)
command -v tcpdump >/dev/null 2>&1 || need+=(tcpdump)
command -v tcpreplay >/dev/null 2>&1 || need+=(tcpreplay)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
if [ ${#need[@]} -gt 0 ]; then
    install_missing "${need[@]}" \
        || echo "warning: could not install ${need[*]}; the tests that need them will skip" >&2
fi

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
    echo "gofmt would change:" >&2
    echo "$unformatted" >&2
    exit 1
fi
go vet ./...
# The cgo-free build (no libpcap: files only) must compile too.
CGO_ENABLED=0 go build ./...
CGO_ENABLED=0 go vet ./...
go test -race -count=1 -timeout 15m ./...
