// DNS over TCP (RFC 1035 section 4.2.2, RFC 7766): each message is
// preceded by a 2-byte length. The message types are those of dns.dsl.
// The message is decoded in a region of its own ([size = length]), so
// that its compression pointers count from the start of the message, not
// from the length prefix.

import "dns.dsl"

protocol dnstcp {
    title       "DNS over TCP"
    description "Domain Name System over TCP: length-prefixed messages, paired by id"
    transport   tcp
    ports       53
    endian      big
    wireshark   "dns"
    message     TCPMessage
}

// A message is at least its 12-byte header. Any two bytes make a length,
// so the search for a message boundary (after a gap, or mid-connection)
// also wants a plausible header: a known opcode (0-2, 4-6) and at most one
// question (RFC 9619).
framing {
    size u16(0) >= 12 && u16(6) <= 1 && (u8(4) >> 3 & 0x0F) <= 6 && (u8(4) >> 3 & 0x0F) != 3 ? u16(0) + 2 : 0
    min  14
    max  65537
}

struct TCPMessage [summary = "{message}"] {
    length  u16     [ws = "dns.length", range = 12..65535]
    message Message [size = length]
    assert sizeof(message) == length, "the message ends before its length: bytes are left over"
}
