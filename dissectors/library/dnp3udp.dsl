// DNP3 over UDP, port 20000 (IEEE 1815-2012): each datagram holds one or
// more link frames. The frame types are those of dnp3.dsl.

import "dnp3.dsl"

protocol dnp3udp {
    title       "DNP3 over UDP"
    description "DNP3 (IEEE 1815) link frames in UDP datagrams"
    transport   udp
    ports       20000
    endian      little
    wireshark   "dnp3"
    message     Datagram
}

// As over TCP: the start bytes, a sane length, then CRCs that match.
heuristic {
    message u16be(0) == 0x0564 && u8(2) >= 5
}

// The first link frame, then any others, each in a region of its own size
// (10 header bytes, the user data and a CRC for each 16 bytes of it).
// A frame the datagram ends inside is decoded as far as it goes, then
// reported as truncated: its length byte announced more.
struct Datagram [summary = "{first}"] {
    let announced = remaining() >= 3 ? 10 + (u8(2) - 5) + 2 * ((u8(2) - 5 + 15) / 16) : 0 [hidden]
    first LinkFrame [size = remaining() >= 3 ? min(remaining(), announced) : remaining()]
    assert offset() >= announced, "truncated: the datagram ends inside the link frame its length byte announces"
    more  [while remaining() > 0]UDPLinkFrame
}

struct UDPLinkFrame [summary = "{frame}"] {
    let start = offset() [hidden]
    let announced = remaining() >= 3 ? 10 + (u8(offset() + 2) - 5) + 2 * ((u8(offset() + 2) - 5 + 15) / 16) : 0 [hidden]
    frame LinkFrame [size = remaining() >= 3 ? min(remaining(), announced) : remaining()]
    assert offset() - start >= announced, "truncated: the datagram ends inside the link frame its length byte announces"
}
