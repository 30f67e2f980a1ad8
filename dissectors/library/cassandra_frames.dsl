// The CQL frames inside the segments of a v5 connection: cassandra.dsl
// streams each segment's payload here, and this framing finds the frames
// in it, a frame larger than a segment included. The types are those of
// cassandra_types.dsl.

import "cassandra_types.dsl"

protocol cassandra_frames {
    title       "Cassandra CQL frames"
    description "Cassandra CQL v5 frames carried in segments, streamed from cassandra"
    transport   tcp
    endian      big
    wireshark   "cql"
    request     Message
    response    Message
}

framing {
    size (u8(0) & 0x7F) >= 3 && (u8(0) & 0x7F) <= 5 && u8(4) <= 0x10 ? u32(5) + 9 : 0
    min  9
    max  67108864
}
