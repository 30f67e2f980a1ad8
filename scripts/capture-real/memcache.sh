#!/usr/bin/env bash
# memcached's binary protocol: a memcached on 127.0.0.1:11211 (binary only),
# driven by a small Python client over TCP and UDP. Writes $OUT/memcache.pcap.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need memcached tcpdump
OUT=${OUT:-/tmp/dissect-captures}
memcached -u nobody -l 127.0.0.1 -p 11211 -U 11211 -B binary -t 1 &
MC=$!
trap 'kill $MC 2>/dev/null || true' EXIT
sleep 1
start_capture "$OUT/memcache.pcap" "port 11211"
python3 - <<'PY'
import socket, struct

def msg(op, opaque, extras=b"", key=b"", value=b"", cas=0):
    body = extras + key + value
    return struct.pack(">BBHBBHIIQ", 0x80, op, len(key), len(extras), 0, 0, len(body), opaque, cas) + body

def recv_msg(s):
    h = b""
    while len(h) < 24:
        h += s.recv(24 - len(h))
    n = struct.unpack(">I", h[8:12])[0]
    b = b""
    while len(b) < n:
        b += s.recv(n - len(b))
    return h + b

s = socket.create_connection(("127.0.0.1", 11211))
cmds = [
    msg(0x0b, 1),                                                          # version
    msg(0x01, 2, struct.pack(">II", 0xdeadbeef, 3600), b"user:1", b"alice"), # set
    msg(0x00, 3, key=b"user:1"),                                           # get
    msg(0x0c, 4, key=b"nokey"),                                            # getk miss
    msg(0x02, 5, struct.pack(">II", 0, 0), b"user:1", b"bob"),             # add: exists
    msg(0x03, 6, struct.pack(">II", 1, 60), b"user:1", b"carol"),          # replace
    msg(0x05, 7, struct.pack(">QQI", 1, 42, 0), b"hits"),                  # incr (creates)
    msg(0x05, 8, struct.pack(">QQI", 5, 0, 0), b"hits"),                   # incr
    msg(0x06, 9, struct.pack(">QQI", 1, 0, 0), b"user:1"),                 # decr: non-numeric
    msg(0x0e, 10, key=b"user:1", value=b"!"),                              # append
    msg(0x1c, 11, struct.pack(">I", 100), b"user:1"),                      # touch
    msg(0x1d, 12, struct.pack(">I", 100), b"user:1"),                      # gat
    msg(0x04, 13, key=b"user:1"),                                          # delete
    msg(0x04, 14, key=b"user:1"),                                          # delete: not found
    msg(0x0a, 15),                                                         # noop
]
for c in cmds:
    s.sendall(c)
    recv_msg(s)
# Quiet gets, pipelined in one segment, ended by a no-op.
s.sendall(msg(0x09, 20, key=b"hits") + msg(0x0d, 21, key=b"absent") + msg(0x0a, 22))
recv_msg(s); recv_msg(s)
s.sendall(msg(0x10, 30, key=b"settings"))  # stat group: several responses, then an empty one
while True:
    r = recv_msg(s)
    if struct.unpack(">H", r[2:4])[0] == 0:
        break
s.sendall(msg(0x08, 40, struct.pack(">I", 0)))  # flush
recv_msg(s)
s.sendall(msg(0x07, 50))                   # quit
recv_msg(s)
s.close()

# UDP: 8-byte frame header, then the message.
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.settimeout(2)
u.sendto(struct.pack(">HHHH", 7, 0, 1, 0) + msg(0x0b, 60), ("127.0.0.1", 11211))
try:
    u.recv(2048)
except socket.timeout:
    pass
PY
stop_capture
