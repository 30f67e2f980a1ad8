#!/usr/bin/env bash
# End-to-end benchmark of dissect, and comparison with tshark.
#
# It builds dissect and the capture generator, generates (in a temporary
# directory, not in the repository) a capture of about a million packets of
# Modbus/TCP over 500 interleaved connections with split and coalesced PDUs
# (cmd/pcapgen -load), and a capture ten times smaller, then times
#
#     dissect -r FILE -T ndjson > /dev/null
#
# a few times on each (the file is read once first so that it sits in the
# page cache), and `tshark -r FILE -T ek > /dev/null` once on each. It
# prints packets/s, MB/s of capture, the peak RSS of each run (from
# /usr/bin/time -v when present, else from /proc) and the ratio to tshark
# on the large file, the same file in the same run. With --jobs N it also
# times dissect -j N on the large file, and prints its speed-up over -j 1
# and its ratio to tshark. Last, for memory that follows the connections
# open at once and not the length of the capture, it times dissect once on
# two captures of short Modbus/TCP connections one after the other
# (cmd/pcapgen -sequential), of a twentieth and a fifth of the packet count
# in connections (12 packets each, so 0.6 and 2.4 times as many packets):
# past the first few tens of thousands of connections, while the
# collector's heap settles, their peak RSS should be the same. And it
# times dissect once on a capture of DNS queries, each its own UDP
# conversation (cmd/pcapgen -dns), a quarter of the packet count in queries
# (half as many packets), some 75,000 conversations open at once: the
# speed and memory of the other traffic every capture has.
#
# tshark takes 2–5 minutes for a million packets on a 2-core machine, and
# its rate falls as the file grows (12,000 packets/s on 100k packets, 7,000
# on 1M, with 233 MB and 950 MB resident), so the ratio is only fair on the
# same file; --tshark-small times it on the small file only, for a quick
# look, and says that the ratio is then flattering.
#
# Usage: scripts/bench.sh [--quick] [--no-tshark] [--tshark-small]
#                         [--packets N] [--runs N] [--jobs N] [--keep DIR]
#   --quick        100,000 packets (and 10,000 for memory), 3 runs
#   --no-tshark    skip tshark
#   --tshark-small time tshark on the small capture only (quicker; the ratio
#                  it gives is against a rate tshark does not keep up)
#   --packets N    packets in the large capture (default 1000000)
#   --runs N       runs of dissect per file (default 5); best and median shown
#   --jobs N       also time dissect -j N (when N > 1)
#   --keep DIR     write the captures and binaries to DIR and keep them
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/load.sh

packets=1000000
runs=5
tshark=1
tshark_full=1
jobs=1
keep=""
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) packets=100000 runs=3 ;;
    --no-tshark) tshark=0 ;;
    --tshark-small) tshark_full=0 ;;
    --tshark-full) tshark_full=1 ;; # the default; kept for old command lines
    --packets) packets="$2"; shift ;;
    --runs) runs="$2"; shift ;;
    --jobs) jobs="$2"; shift ;;
    --keep) keep="$2"; shift ;;
    -h|--help) help_text "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
case "$packets$runs$jobs" in
*[!0-9]*) echo "bench.sh: --packets, --runs and --jobs take positive numbers" >&2; exit 2 ;;
esac
if [ "$runs" -lt 1 ] || [ "$packets" -lt 10000 ] || [ "$jobs" -lt 1 ]; then
    echo "bench.sh: want --runs ≥ 1, --packets ≥ 10000, --jobs ≥ 1" >&2
    exit 2
fi
if [ "$tshark" = 1 ] && ! command -v tshark >/dev/null 2>&1; then
    echo "bench.sh: tshark not found; skipping it" >&2
    tshark=0
fi

if [ -n "$keep" ]; then
    mkdir -p "$keep"
    dir=$(cd "$keep" && pwd)
else
    dir=$(mktemp -d "${TMPDIR:-/tmp}/dissect-bench.XXXXXX")
    trap 'rm -rf "$dir"' EXIT
fi

go build -o "$dir/dissect" ./cmd/dissect
go build -o "$dir/pcapgen" ./cmd/pcapgen
large="$dir/load-$packets.pcap"
small="$dir/load-$((packets / 10)).pcap"
load_capture "$dir/pcapgen" "$large" "$packets"
load_capture "$dir/pcapgen" "$small" "$((packets / 10))"
seq_small=$((packets / 20))
seq_large=$((packets / 5))
for n in "$seq_small" "$seq_large"; do
    [ -s "$dir/sequential-$n.pcap" ] || "$dir/pcapgen" -sequential "$n" -o "$dir"
done
dns_queries=$((packets / 4))
[ -s "$dir/dns-$dns_queries.pcap" ] || "$dir/pcapgen" -dns "$dns_queries" -o "$dir"

# count FILE: the number of packet records (a full run, which also puts the
# file in the page cache).
count() { "$dir/dissect" -r "$1" -T ndjson 2>&1 >/dev/null | sed -n 's/^dissect: \([0-9]*\) packets.*/\1/p'; }

# timed CMD...: runs CMD with stdout to /dev/null and prints
# "SECONDS PEAK_RSS_KB".
timed() {
    local out="$dir/time.out"
    if [ -x /usr/bin/time ]; then
        local start end
        start=$(date +%s%N)
        /usr/bin/time -v -o "$out" "$@" >/dev/null 2>"$dir/stderr" || { cat "$dir/stderr" >&2; return 1; }
        end=$(date +%s%N)
        awk -F': ' -v ns=$((end - start)) '/Maximum resident set size/ { rss = $2 }
                    END { printf "%.3f %d\n", ns / 1e9, rss }' "$out"
    else
        local start end pid rss=0 r
        start=$(date +%s.%N)
        "$@" >/dev/null 2>"$dir/stderr" &
        pid=$!
        while kill -0 "$pid" 2>/dev/null; do
            r=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
            [ -n "$r" ] && rss=$r
            sleep 0.05
        done
        wait "$pid"
        end=$(date +%s.%N)
        echo "$(echo "$end - $start" | bc) $rss"
    fi
}

# bench LABEL FILE RUNS CMD...: runs CMD RUNS times on FILE and prints a line
# of results; sets best_pps.
bench() {
    local label=$1 file=$2 n=$3
    shift 3
    local pkts bytes times=() rss=0 t r
    pkts=$(count "$file")
    bytes=$(stat -c %s "$file")
    for _ in $(seq "$n"); do
        read -r t r < <(timed "$@" -r "$file")
        times+=("$t")
        [ "$r" -gt "$rss" ] && rss=$r
    done
    local sorted best median
    sorted=$(printf '%s\n' "${times[@]}" | sort -g)
    best=$(echo "$sorted" | head -1)
    median=$(echo "$sorted" | sed -n "$(((n + 1) / 2))p")
    best_pps=$(awk -v p="$pkts" -v t="$best" 'BEGIN { printf "%.0f", p / t }')
    awk -v l="$label" -v p="$pkts" -v b="$bytes" -v t="$best" -v m="$median" -v r="$rss" -v n="$n" 'BEGIN {
        printf "%-34s %9d pkts  best %7.3f s  median %7.3f s (%d runs)  %10.0f pkts/s  %7.1f MB/s  peak RSS %6.1f MB\n",
            l, p, t, m, n, p / t, b / t / 1e6, r / 1024 }'
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(uname -sr)"
echo "captures: $large ($(stat -c %s "$large") bytes), $small ($(stat -c %s "$small") bytes)"

bench "dissect -T ndjson" "$large" "$runs" "$dir/dissect" -T ndjson -q
dissect_pps=$best_pps
bench "dissect -T ndjson (small file)" "$small" "$runs" "$dir/dissect" -T ndjson -q
if [ "$jobs" -gt 1 ]; then
    bench "dissect -T ndjson -j $jobs" "$large" "$runs" "$dir/dissect" -T ndjson -q -j "$jobs"
    jobs_pps=$best_pps
    awk -v j="$jobs_pps" -v d="$dissect_pps" -v n="$jobs" 'BEGIN { printf "-j %d / -j 1 throughput: %.2f×\n", n, j / d }'
fi

for n in "$seq_small" "$seq_large"; do
    bench "dissect, $n short connections" "$dir/sequential-$n.pcap" 1 "$dir/dissect" -T ndjson -q
done
bench "dissect, $dns_queries DNS queries" "$dir/dns-$dns_queries.pcap" 1 "$dir/dissect" -T ndjson -q

if [ "$tshark" = 1 ]; then
    bench "tshark -T ek (small file)" "$small" 1 tshark -T ek
    tshark_pps=$best_pps
    if [ "$tshark_full" = 1 ]; then
        bench "tshark -T ek" "$large" 1 tshark -T ek
        tshark_pps=$best_pps
    else
        echo "(tshark timed on the small file only (--tshark-small): its rate is higher there than on the large file, so the ratio below flatters tshark)"
    fi
    awk -v d="$dissect_pps" -v t="$tshark_pps" 'BEGIN { printf "dissect / tshark throughput: %.0f× (one core)\n", d / t }'
    if [ "$jobs" -gt 1 ]; then
        awk -v d="$jobs_pps" -v t="$tshark_pps" -v n="$jobs" 'BEGIN { printf "dissect -j %d / tshark throughput: %.0f×\n", n, d / t }'
    fi
fi
