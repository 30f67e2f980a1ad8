// memcached binary protocol over UDP: each datagram starts with an 8-byte
// frame header (request id, sequence number, datagram count, reserved),
// as in memcached's protocol.txt ("UDP protocol"). The first datagram of a
// message holds its 24-byte header; a response too large for one datagram
// continues in datagrams with sequence numbers 1, 2, ..., shown as bytes
// (they are not reassembled). The message types are those of memcache.dsl.

import "memcache.dsl"

protocol memcache_udp {
    title       "memcached binary over UDP"
    description "memcached binary protocol over UDP: frame header, then the message"
    transport   udp
    ports       11211
    endian      big
    wireshark   "memcache"
    request     UDPRequest
    response    UDPResponse
}

// The frame header of a message's first datagram (sequence 0, reserved 0;
// a request fits in one datagram, a response in at most 256), then the
// binary header as over TCP (memcache.dsl).
heuristic {
    request  u16(2) == 0 && u16(4) == 1 && u16(6) == 0 &&
             u8(8) == 0x80 && u8(13) == 0 && u16(10) <= 250 && u8(12) <= 20 && u8(12) + u16(10) <= u32(16) &&
             (u8(9) <= 0x1E || (u8(9) >= 0x20 && u8(9) <= 0x22) || (u8(9) >= 0x30 && u8(9) <= 0x3C))
    response u16(2) == 0 && u16(4) >= 1 && u16(4) <= 256 && u16(6) == 0 &&
             u8(8) == 0x81 && u8(13) == 0 && u16(10) <= 250 && u8(12) <= 20 && u8(12) + u16(10) <= u32(16) &&
             (u8(9) <= 0x1E || (u8(9) >= 0x20 && u8(9) <= 0x22) || (u8(9) >= 0x30 && u8(9) <= 0x3C)) &&
             (u16(14) <= 9 || (u16(14) >= 0x81 && u16(14) <= 0x86))
}

struct UDPHeader {
    request_id u16 [doc = "Chosen by the client, copied by the server"]
    sequence   u16 [doc = "Number of this datagram in the message, from 0"]
    count      u16 [doc = "Datagrams in the message"]
    reserved   u16 = 0
    assert sequence < count, "the sequence number is not below the datagram count"
}

struct UDPRequest [summary = "{message}"] {
    udp     UDPHeader
    message switch udp.sequence {
        case 0:  Request
        default: Continuation
    }
}

struct UDPResponse [summary = "{message}"] {
    udp     UDPHeader
    message switch udp.sequence {
        case 0:  Response
        default: Continuation
    }
}

struct Continuation [summary = "Continuation"] {
    data []byte
}
