package pcapgen

import (
	"encoding/binary"
	"hash/crc32"
	"net/netip"
)

// Cassandra CQL native protocol frames (native_protocol_v4.spec and
// v5.spec of Apache Cassandra).

// CQLPort is the default native transport port of Cassandra.
const CQLPort = 9042

// CQL opcodes.
const (
	CQLError        byte = 0x00
	CQLStartup      byte = 0x01
	CQLReady        byte = 0x02
	CQLAuthenticate byte = 0x03
	CQLOptions      byte = 0x05
	CQLSupported    byte = 0x06
	CQLQuery        byte = 0x07
	CQLResult       byte = 0x08
	CQLPrepare      byte = 0x09
	CQLExecute      byte = 0x0A
	CQLRegister     byte = 0x0B
	CQLEvent        byte = 0x0C
	CQLBatch        byte = 0x0D
)

// CQLFrame builds a frame: version (with 0x80 for a response), flags,
// stream, opcode, length and body.
func CQLFrame(version, flags byte, stream int16, opcode byte, body ...[]byte) []byte {
	b := cat(body...)
	f := []byte{version, flags}
	f = binary.BigEndian.AppendUint16(f, uint16(stream))
	f = append(f, opcode)
	f = binary.BigEndian.AppendUint32(f, uint32(len(b)))
	return append(f, b...)
}

// CQLString encodes a [string].
func CQLString(s string) []byte { return append(be16b(uint16(len(s))), s...) }

// CQLLongString encodes a [long string].
func CQLLongString(s string) []byte { return append(be32b(uint32(len(s))), s...) }

// CQLBytes encodes [bytes]; nil is null (length -1).
func CQLBytes(b []byte) []byte {
	if b == nil {
		return be32b(0xFFFFFFFF)
	}
	return append(be32b(uint32(len(b))), b...)
}

// CQLShortBytes encodes [short bytes].
func CQLShortBytes(b []byte) []byte { return append(be16b(uint16(len(b))), b...) }

// CQLStringMap encodes a [string map] of key, value pairs.
func CQLStringMap(kv ...string) []byte {
	b := be16b(uint16(len(kv) / 2))
	for _, s := range kv {
		b = append(b, CQLString(s)...)
	}
	return b
}

// CQLStringList encodes a [string list].
func CQLStringList(ss ...string) []byte {
	b := be16b(uint16(len(ss)))
	for _, s := range ss {
		b = append(b, CQLString(s)...)
	}
	return b
}

// CQLSegment wraps a v5 payload in a self-contained, uncompressed segment:
// the header (payload length, self-contained flag) with its CRC24, the
// payload and its CRC32.
func CQLSegment(payload []byte) []byte { return cqlSegment(payload, true) }

// CQLSegmentPart is CQLSegment for a part of a frame too large for one
// segment: the self-contained flag is clear.
func CQLSegmentPart(payload []byte) []byte { return cqlSegment(payload, false) }

func cqlSegment(payload []byte, selfContained bool) []byte {
	h := uint32(len(payload))
	if selfContained {
		h |= 1 << 17
	}
	hdr := []byte{byte(h), byte(h >> 8), byte(h >> 16)}
	c24 := crc24(hdr)
	seg := append(hdr, byte(c24), byte(c24>>8), byte(c24>>16))
	seg = append(seg, payload...)
	c32 := crc32.ChecksumIEEE(append([]byte{0xFA, 0x2D, 0x55, 0xCA}, payload...))
	return binary.LittleEndian.AppendUint32(seg, c32)
}

// crc24 is the CRC24 of the v5 segment header (polynomial 0x1974F0B,
// initial value 0x875060, over the bytes of the header, low byte first).
func crc24(b []byte) uint32 {
	crc := uint32(0x875060)
	for _, c := range b {
		crc ^= uint32(c) << 16
		for range 8 {
			crc <<= 1
			if crc&0x1000000 != 0 {
				crc ^= 0x1974F0B
			}
		}
	}
	return crc & 0xFFFFFF
}

// CQLSession returns a v4 session: OPTIONS, STARTUP, REGISTER, a USE, a
// SELECT answered with rows (with a null and a list column), PREPARE and
// EXECUTE, a BATCH, a traced query answered with a tracing id and a
// warning, an error, and two events.
func CQLSession() []DirMsg {
	c := func(b []byte) DirMsg { return DirMsg{ClientToServer, b} }
	s := func(b []byte) DirMsg { return DirMsg{ServerToClient, b} }
	const v, r = 0x04, 0x84
	rows := cat(be32b(2), // Rows
		be32b(0x0001), be32b(3), CQLString("shop"), CQLString("items"),
		CQLString("id"), be16b(0x0009),
		CQLString("name"), be16b(0x000D),
		CQLString("tags"), be16b(0x0020), be16b(0x000D),
		be32b(2),
		CQLBytes(be32b(1)), CQLBytes([]byte("pen")), CQLBytes(nil),
		CQLBytes(be32b(2)), CQLBytes([]byte("book")), CQLBytes(cat(be32b(1), CQLBytes([]byte("paper")))))
	id := []byte{0xde, 0xad, 0xbe, 0xef}
	prepared := cat(be32b(4), CQLShortBytes(id),
		be32b(0x0001), be32b(1), be32b(1), be16b(0), CQLString("shop"), CQLString("items"), CQLString("id"), be16b(0x0009),
		be32b(0x0004), be32b(1))
	return []DirMsg{
		c(CQLFrame(v, 0, 0, CQLOptions)),
		s(CQLFrame(r, 0, 0, CQLSupported, be16b(2), CQLString("CQL_VERSION"), CQLStringList("3.4.5"),
			CQLString("COMPRESSION"), CQLStringList("snappy", "lz4"))),
		c(CQLFrame(v, 0, 1, CQLStartup, CQLStringMap("CQL_VERSION", "3.0.0", "DRIVER_NAME", "dissect-test"))),
		s(CQLFrame(r, 0, 1, CQLReady)),
		c(CQLFrame(v, 0, 2, CQLRegister, CQLStringList("STATUS_CHANGE", "SCHEMA_CHANGE"))),
		s(CQLFrame(r, 0, 2, CQLReady)),
		c(CQLFrame(v, 0, 3, CQLQuery, CQLLongString("USE shop"), be16b(0x0001), []byte{0})),
		s(CQLFrame(r, 0, 3, CQLResult, be32b(3), CQLString("shop"))),
		c(CQLFrame(v, 0, 4, CQLQuery, CQLLongString("SELECT id, name, tags FROM items WHERE id IN (?, ?)"),
			be16b(0x0006), []byte{0x05}, be16b(2), CQLBytes(be32b(1)), CQLBytes(be32b(2)), be32b(100))),
		s(CQLFrame(r, 0, 4, CQLResult, rows)),
		c(CQLFrame(v, 0, 5, CQLPrepare, CQLLongString("SELECT name FROM items WHERE id = ?"))),
		s(CQLFrame(r, 0, 5, CQLResult, prepared)),
		c(CQLFrame(v, 0, 6, CQLExecute, CQLShortBytes(id), be16b(0x0001), []byte{0x21}, be16b(1), CQLBytes(be32b(1)), be64b(1700000000000000))),
		s(CQLFrame(r, 0, 6, CQLResult, be32b(1))),
		c(CQLFrame(v, 0, 7, CQLBatch, []byte{0}, be16b(2),
			[]byte{0}, CQLLongString("INSERT INTO items (id, name) VALUES (3, 'ink')"), be16b(0),
			[]byte{1}, CQLShortBytes(id), be16b(1), CQLBytes(be32b(3)),
			be16b(0x0004), []byte{0})),
		s(CQLFrame(r, 0, 7, CQLResult, be32b(1))),
		c(CQLFrame(v, 0x02, 8, CQLQuery, CQLLongString("SELECT * FROM items"), be16b(0x000A), []byte{0})),
		s(CQLFrame(r, 0x0A, 8, CQLResult, []byte("0123456789abcdef"), CQLStringList("Aggregation query used without partition key"), be32b(1))),
		c(CQLFrame(v, 0, 9, CQLQuery, CQLLongString("SELEC oops"), be16b(0x0001), []byte{0})),
		s(CQLFrame(r, 0, 9, CQLError, be32b(0x2000), CQLString("line 1:0 no viable alternative at input 'SELEC'"))),
		c(CQLFrame(v, 0, 10, CQLQuery, CQLLongString("SELECT * FROM items"), be16b(0x0005), []byte{0})),
		s(CQLFrame(r, 0, 10, CQLError, be32b(0x1000), CQLString("Cannot achieve consistency level ALL"), be16b(0x0005), be32b(3), be32b(2))),
		s(CQLFrame(r, 0, -1, CQLEvent, CQLString("STATUS_CHANGE"), CQLString("UP"), []byte{4, 10, 60, 0, 11}, be32b(9042))),
		s(CQLFrame(r, 0, -1, CQLEvent, CQLString("SCHEMA_CHANGE"), CQLString("CREATED"), CQLString("TABLE"), CQLString("shop"), CQLString("orders"))),
	}
}

// CQLSessionV5 returns the start of a v5 session: STARTUP and READY as
// plain frames, then frames inside segments: a QUERY and its RESULT, two
// frames in one segment, and a frame in two segments.
func CQLSessionV5() []DirMsg {
	// Two OPTIONS in one segment; the SUPPORTED answer to the first split
	// across two segments, the second left unanswered.
	big := CQLFrame(0x85, 0, 2, CQLSupported, be16b(1), CQLString("CQL_VERSION"), CQLStringList("3.4.5", "3.4.6", "3.4.7", "3.4.8"))
	return []DirMsg{
		{ClientToServer, CQLFrame(0x05, 0, 0, CQLStartup, CQLStringMap("CQL_VERSION", "3.0.0"))},
		{ServerToClient, CQLFrame(0x85, 0, 0, CQLReady)},
		{ClientToServer, CQLSegment(CQLFrame(0x05, 0, 1, CQLQuery, CQLLongString("SELECT now() FROM system.local"), be16b(1), be32b(0)))},
		{ServerToClient, CQLSegment(CQLFrame(0x85, 0, 1, CQLResult, be32b(1)))},
		{ClientToServer, CQLSegment(cat(CQLFrame(0x05, 0, 2, CQLOptions), CQLFrame(0x05, 0, 3, CQLOptions)))},
		{ServerToClient, CQLSegmentPart(big[:40])},
		{ServerToClient, CQLSegmentPart(big[40:])},
	}
}

func buildCQLBasic() *Capture {
	c := NewCapture(15)
	for i, msgs := range [][]DirMsg{CQLSession(), CQLSessionV5()} {
		addMixedConn(c, ConnConfig{
			Client: Endpoint{Addr: netip.MustParseAddr("10.60.0.20"), Port: uint16(50500 + i)},
			Server: Endpoint{Addr: netip.MustParseAddr("10.60.0.10"), Port: CQLPort},
		}, messageSteps(msgs))
	}
	return c
}

func init() {
	registerCapture("cassandra-basic.pcap", "cassandra",
		"Cassandra CQL v4 session (options, startup, register, use, select with rows, prepare, execute, batch, tracing and warnings, errors, events) and a v5 connection that switches to segments",
		buildCQLBasic)
}
