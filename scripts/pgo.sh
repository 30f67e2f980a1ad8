#!/usr/bin/env bash
# Regenerates cmd/dissect/default.pgo, the CPU profile that `go build`
# uses for profile-guided optimisation of dissect (Go's -pgo=auto: the
# compiler inlines more at the hot call sites it names). On the load
# capture it saves about 5% of the instructions (callgrind) and 2% of the
# CPU time; the output is the same with it or without.
#
# It builds dissect without a profile, generates the load capture of
# scripts/bench.sh (Modbus/TCP over 500 interleaved connections, split and
# coalesced PDUs), profiles `dissect -r FILE -T ndjson` (one core, --runs
# times) and `-j 2` (a third as many), and merges the profiles. The
# profile only ever adds inlining: code it does not name (other protocols)
# is compiled as without it. Regenerate it after large changes to the hot
# path; a stale profile still builds, it just helps less.
#
# Usage: scripts/pgo.sh [--packets N] [--runs N]
#   --packets N  packets in the capture (default 1000000)
#   --runs N     profiled one-core runs (default 24; each gives about 100
#                samples a second: 8 runs saved 4.6% of the instructions,
#                24 runs 5.6%)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/load.sh

packets=1000000
runs=24
while [ $# -gt 0 ]; do
    case "$1" in
    --packets) packets="$2"; shift ;;
    --runs) runs="$2"; shift ;;
    -h|--help) help_text "$0"; exit 0 ;;
    *) echo "pgo.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
case "$packets$runs" in
*[!0-9]*) echo "pgo.sh: --packets and --runs take positive numbers" >&2; exit 2 ;;
esac
if [ "$runs" -lt 1 ] || [ "$packets" -lt 10000 ]; then
    echo "pgo.sh: want --runs ≥ 1, --packets ≥ 10000" >&2
    exit 2
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/dissect-pgo.XXXXXX")
trap 'rm -rf "$dir"' EXIT

go build -pgo=off -o "$dir/dissect" ./cmd/dissect
go build -o "$dir/pcapgen" ./cmd/pcapgen
capture="$dir/load-$packets.pcap"
load_capture "$dir/pcapgen" "$capture" "$packets"

profiles=()
profile() { # profile NAME ARGS...: one profiled run
    local out="$dir/$1.prof"
    shift
    "$dir/dissect" -r "$capture" -T ndjson --cpuprofile "$out" "$@" >/dev/null 2>"$dir/stderr" ||
        { cat "$dir/stderr" >&2; exit 1; }
    profiles+=("$out")
}
for i in $(seq "$runs"); do
    profile "one-$i"
done
for i in $(seq $(((runs + 2) / 3))); do
    profile "jobs-$i" -j 2
done

go tool pprof -proto "${profiles[@]}" >"$dir/merged.pgo"
mv "$dir/merged.pgo" cmd/dissect/default.pgo
echo "pgo.sh: wrote cmd/dissect/default.pgo ($(stat -c %s cmd/dissect/default.pgo) bytes, from ${#profiles[@]} runs on $packets packets)"
