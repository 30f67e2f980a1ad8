// Cassandra CQL native protocol, versions 3 to 5, as in the
// native_protocol_v3.spec, v4.spec and v5.spec documents of Apache
// Cassandra.
//
// A frame is a 9-byte header (version with the direction bit, flags,
// stream id, opcode, body length), then the body. Clients pick the stream
// id of a request and the server answers on the same stream, so requests
// and responses pair by stream id; a negative stream id marks an EVENT the
// server pushes. With the tracing, warning and custom-payload flags, a
// response body starts with a tracing id, warnings and a payload map.
//
// Protocol v5 wraps frames in segments once the connection is set up (after
// READY or AUTH_SUCCESS): a 6-byte header with a 17-bit payload length, a
// self-contained flag and a CRC24, the payload (whole frames when
// self-contained, else part of a large one) and a CRC32. The payloads are
// streamed to cassandra_frames (cassandra_frames.dsl), whose records are
// the frames inside. The header's CRC24 and the payload's CRC32 (seeded
// with four fixed bytes) are verified. Compressed segments (v5 with LZ4)
// are not decompressed.
//
// Compressed bodies (LZ4, Snappy) are shown as bytes.

import "cassandra_types.dsl"

protocol cassandra {
    title       "Cassandra CQL"
    description "Cassandra CQL native protocol v3-v5: frame header, STARTUP, QUERY, PREPARE, EXECUTE, BATCH, RESULT, ERROR, EVENT..., paired by stream id"
    transport   tcp
    ports       9042
    endian      big
    wireshark   "cql"
    request     Frame
    response    Frame
}

// A frame's header names a version from 3 to 5 and a known opcode.
// Cassandra's native_transport_max_frame_size is 16 MiB by default (256
// MiB at most in old versions); 64 MiB bounds what a lost frame boundary
// can make the decoder wait for. A v5 segment is its 6-byte header, the
// payload (at most 128 KiB - 1) and a 4-byte CRC32.
framing {
    size state.segments == 1 ? u16le(0) + (u8(2) & 1) * 65536 + 10 :
         (u8(0) & 0x7F) >= 3 && (u8(0) & 0x7F) <= 5 && u8(4) <= 0x10 ? u32(5) + 9 : 0
    min  9
    max  67108864
}

// A version from 3 to 5 with the direction bit, no reserved flag, no
// compression (it is negotiated by STARTUP) and a short body. A client
// opens with OPTIONS (empty) or STARTUP (a string map); the server
// answers on the same, non-negative stream with SUPPORTED, READY (empty),
// AUTHENTICATE or ERROR.
heuristic {
    request  u8(0) >= 3 && u8(0) <= 5 && (u8(1) & 0xE1) == 0 && u16(2) < 0x8000 && u32(5) <= 65536 &&
             ((u8(4) == 0x05 && u32(5) == 0) || (u8(4) == 0x01 && u32(5) >= 2))
    response u8(0) >= 0x83 && u8(0) <= 0x85 && (u8(1) & 0xE1) == 0 && u16(2) < 0x8000 && u32(5) <= 65536 &&
             ((u8(4) == 0x02 && u32(5) == 0) || (u8(4) == 0x06 && u32(5) >= 2) ||
              (u8(4) == 0x03 && u32(5) >= 2) || (u8(4) == 0x00 && u32(5) >= 6))
}

state {
    segments u8 = 0 // 1 once a v5 connection has switched to segments
}

struct Frame [summary = "{frame}"] {
    frame switch state.segments {
        case 1:  Segment
        default: Message
    }
    // A v5 connection switches to segments after READY or AUTH_SUCCESS
    // (a v5 response, opcode 0x02 or 0x10).
    set state.segments = 1 [if = state.segments == 0 && u8(0) == 0x85 && (u8(4) == 0x02 || u8(4) == 0x10)]
}

// A v5 segment (native_protocol_v5.spec, section 2). The payloads of
// uncompressed segments are streamed to cassandra_frames, which frames and
// decodes the messages in them, a large one across several segments.
struct Segment [summary = "Segment, {payload_length} bytes{contained_text}"] {
    header         u24le [base = hex, doc = "Payload length (17 bits), self-contained flag, padding"]
    crc24          u24le [base = hex, checksum = crc24_cql(0, 3), doc = "CRC24 of the header"]
    let payload_length = header & 0x1FFFF
    let self_contained = (header >> 17) & 1
    payload        [payload_length]byte [stream = "cassandra_frames", doc = "Frames, or part of one: decoded as records of cassandra_frames"]
    crc32          u32le [base = hex, checksum = crc32_cql(6, 6 + payload_length), doc = "CRC32 of the payload"]
    contained_text switch self_contained { case 1: SelfContained  default: Partial } [at = 0]
}

struct SelfContained [summary = ", self-contained"] {}
struct Partial [summary = ", part of a large frame"] {}

