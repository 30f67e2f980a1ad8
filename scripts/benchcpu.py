#!/usr/bin/env python3
"""Compare Go benchmarks or dissect runs by CPU time, on a shared machine.

When other jobs compete for the cores, wall-clock benchmark figures move by
2x between runs; the CPU time (user + sys) a run takes moves much less. This
script runs each binary in turn, several rounds interleaved, and prints the
best CPU time of each.

  scripts/benchcpu.py bench BENCHMARK N ROUNDS TEST_BINARY...
      Runs `TEST_BINARY -test.bench=^BENCHMARK$ -test.benchtime=Nx
      -test.cpu=1` and the same with 1x (start-up cost, subtracted);
      prints CPU ns/op. Build binaries with `go test -c -o FILE ./PKG`
      and run the script from the package's directory.

  scripts/benchcpu.py run ROUNDS CAPTURE DISSECT_BINARY... [-- ARGS...]
      Runs `DISSECT_BINARY -r CAPTURE ARGS > /dev/null` (ARGS default:
      -T ndjson); prints CPU seconds and packets/s of CPU time when the
      packet count is known from dissect's summary.
"""
import os
import re
import subprocess
import sys


def cpu(argv):
    """Runs argv, output discarded; returns (CPU seconds, stderr)."""
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    if status != 0:
        sys.exit("benchcpu: %s failed: %s" % (" ".join(argv), err.decode(errors="replace")[-500:]))
    return ru.ru_utime + ru.ru_stime, err.decode(errors="replace")


def bench(name, n, rounds, bins):
    best = {}
    for _ in range(rounds):
        for b in bins:
            args = [b, "-test.run=^$", "-test.bench=^%s$" % name, "-test.cpu=1"]
            t, _ = cpu(args + ["-test.benchtime=%dx" % n])
            t0, _ = cpu(args + ["-test.benchtime=1x"])
            best[b] = min(best.get(b, t - t0), t - t0)
    for b in bins:
        print("%s\t%s\t%.1f ns/op CPU (best of %d)" % (name, b, best[b] * 1e9 / n, rounds))


def run(rounds, capture, rest):
    bins, args = rest, ["-T", "ndjson"]
    if "--" in rest:
        i = rest.index("--")
        bins, args = rest[:i], rest[i + 1:]
    best, packets = {}, {}
    for _ in range(rounds):
        for b in bins:
            t, err = cpu([b, "-r", capture] + args)
            best[b] = min(best.get(b, t), t)
            m = re.search(r"dissect: (\d+) packets", err)
            if m:
                packets[b] = int(m.group(1))
    for b in bins:
        rate = ""
        if b in packets and best[b] > 0:
            rate = "\t%d packets/s of CPU" % (packets[b] / best[b])
        print("%s\t%s\t%.3f s CPU (best of %d)%s" % (b, " ".join(args), best[b], rounds, rate))


def main():
    a = sys.argv[1:]
    try:
        if len(a) >= 5 and a[0] == "bench":
            return bench(a[1], int(a[2]), int(a[3]), a[4:])
        if len(a) >= 4 and a[0] == "run":
            return run(int(a[1]), a[2], a[3:])
    except ValueError:
        pass
    sys.exit(__doc__)


if __name__ == "__main__":
    main()
