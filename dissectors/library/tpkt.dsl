// TPKT (RFC 1006, ISO transport service on top of TCP) on port 102, with
// the COTP TPDU it carries (cotp.dsl). This is the dissector bound to port
// 102: COTP hands the user data of each DT TPDU to the protocol above by
// its first byte, S7comm (s7comm.dsl) for 0x32; see CotpUserData in
// cotp.dsl to add one.

import "cotp.dsl"

protocol tpkt {
    title       "TPKT/COTP"
    description "ISO transport over TCP (RFC 1006): TPKT, COTP (ISO 8073) and the protocol above (S7comm, ISO session/MMS)"
    transport   tcp
    ports       102
    endian      big
    wireshark   "tpkt"
    message     TPKT
}

// A TPKT is version 3, a reserved byte and the length of the whole packet,
// header included. The smallest packet holds a 3-byte DT TPDU header.
framing {
    magic 0x03
    size  u16(2)
    min   7
    max   65535
}

// Recognised on any port by a TPKT header (version 3, reserved 0) around a
// COTP TPDU whose length indicator fits: a Connection Request or Data from
// a client, a Connection Confirm or Data from a server. The COTP layer is
// decoded as part of the check.
heuristic {
    request  u8(0) == 3 && u8(1) == 0 && u16(2) >= 7 && u8(4) >= 2 && u8(4) + 5 <= u16(2) &&
             (u8(5) == 0xE0 || u8(5) == 0xF0)
    response u8(0) == 3 && u8(1) == 0 && u16(2) >= 7 && u8(4) >= 2 && u8(4) + 5 <= u16(2) &&
             (u8(5) == 0xD0 || u8(5) == 0xF0)
}

struct TPKT [summary = "{cotp}"] {
    version  u8 = 3 [ws = "tpkt.version"]
    reserved u8     [ws = "tpkt.reserved"]
    length   u16    [ws = "tpkt.length", range = 7..65535, doc = "Length of the packet, this header included"]
    cotp     COTP   [size = length - 4]
}
