#!/usr/bin/env python3
"""Make a large capture of one protocol from a small one, for benchmarks.

  scripts/replicate.py IN.pcap OUT.pcap N

writes N copies of IN, one after the other in time, each copy's IPv4 or
IPv6 addresses changed the same way on both sides (so that its flows stay
whole and are distinct from the other copies'): dissect then sees N times
the connections and conversations of IN. It reads classic pcap files of
Ethernet frames (untagged or with one 802.1Q tag), and fixes the IPv4
header checksum; TCP and UDP checksums are left as they were, which
dissect, like tshark by default, does not check.

What a record of a protocol costs, without the start-up (callgrind counts
instructions; build dissect with CGO_ENABLED=0 for valgrind):

  scripts/replicate.py testdata/pcaps/mms-association.pcap /tmp/one.pcap 1
  scripts/replicate.py testdata/pcaps/mms-association.pcap /tmp/many.pcap 3000
  for f in /tmp/one.pcap /tmp/many.pcap; do
      GOGC=off GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1,cpu.rdtscp=off \\
          valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
          ./dissect -r $f -T ndjson -q
  done

and divide the difference of the two counts by the difference of their
records (`dissect -r FILE -T ndjson | wc -l`).
"""
import struct
import sys


def ip4_checksum(header):
    if len(header) % 2:
        header += b"\0"
    s = sum(struct.unpack("!%dH" % (len(header) // 2), header))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def readd(frame, k):
    """Changes the addresses of an Ethernet frame for copy k, in place."""
    off = 12
    ethertype = struct.unpack("!H", frame[off:off + 2])[0]
    if ethertype == 0x8100:
        off += 4
        ethertype = struct.unpack("!H", frame[off:off + 2])[0]
    ip = off + 2
    if ethertype == 0x0800 and len(frame) >= ip + 20:
        for a in (ip + 12, ip + 16):
            frame[a + 1] ^= k & 0xFF
            frame[a + 2] ^= (k >> 8) & 0xFF
        ihl = (frame[ip] & 15) * 4
        frame[ip + 10:ip + 12] = b"\0\0"
        frame[ip + 10:ip + 12] = struct.pack("!H", ip4_checksum(bytes(frame[ip:ip + ihl])))
    elif ethertype == 0x86DD and len(frame) >= ip + 40:
        for a in (ip + 8, ip + 24):
            frame[a + 14] ^= k & 0xFF
            frame[a + 13] ^= (k >> 8) & 0xFF


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: replicate.py IN.pcap OUT.pcap N")
    src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if not 1 <= n <= 65536:
        sys.exit("replicate.py: N must be 1 to 65536 (copies differ in two address bytes)")
    data = open(src, "rb").read()
    if len(data) < 24:
        sys.exit("replicate.py: %s: not a pcap file" % src)
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        sys.exit("replicate.py: %s: not a classic pcap file (pcapng is not read)" % src)
    if struct.unpack(e + "I", data[20:24])[0] != 1:
        sys.exit("replicate.py: %s: only Ethernet captures (link type 1)" % src)
    packets = []
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack(e + "IIII", data[off:off + 16])
        frame = data[off + 16:off + 16 + incl]
        if len(frame) < incl:
            break  # a cut last record: left out
        packets.append((sec, frac, incl, orig, frame))
        off += 16 + incl
    if not packets:
        sys.exit("replicate.py: %s: no packets" % src)
    span = packets[-1][0] - packets[0][0] + 2  # seconds between copies
    with open(dst, "wb") as out:
        out.write(data[:24])
        for k in range(n):
            for sec, frac, incl, orig, frame in packets:
                f = bytearray(frame)
                readd(f, k)
                out.write(struct.pack(e + "IIII", sec + k * span, frac, incl, orig))
                out.write(f)


if __name__ == "__main__":
    main()
