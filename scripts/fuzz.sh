#!/usr/bin/env bash
# Runs every fuzz target of the module for a while: scripts/fuzz.sh [TIME]
# [PATTERN], TIME per target (default 30s), PATTERN a regexp that the
# target names must match (default all).
#
# It bounds minimization with -fuzzminimizetime=100x. Go's default is 60
# seconds for each input that finds new coverage, and minimizing a []byte
# input takes a number of calls that grows with the square of its length
# (it tries removing every run of bytes): a few-KB capture file, which most
# seeds of FuzzReader, FuzzPackets and FuzzPipeline are, uses the whole
# minute. With the default, those targets report "execs: N (0/sec)" for a
# minute after every new input, which looks like a hang but is the worker
# minimizing (a goroutine dump of it shows minimizeBytes).
set -euo pipefail
cd "$(dirname "$0")/.."
time=${1:-30s}
pattern=${2:-.}
for file in $(git grep -l -E '^func Fuzz' -- '*_test.go'); do
    pkg=./$(dirname "$file")
    for target in $(grep -o -E '^func Fuzz[A-Za-z0-9_]+' "$file" | cut -c6-); do
        [[ $target =~ $pattern ]] || continue
        echo "== $pkg $target" >&2
        go test -run='^$' -fuzz="^$target\$" -fuzztime="$time" -fuzzminimizetime=100x "$pkg"
    done
done
