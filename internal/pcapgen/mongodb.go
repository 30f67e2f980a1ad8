package pcapgen

import (
	"encoding/binary"
	"hash/crc32"
	"math"
	"net/netip"
)

// MongoDB wire protocol messages, built from the MongoDB manual ("MongoDB
// Wire Protocol") and the BSON specification.

// MongoPort is the default TCP port of mongod.
const MongoPort = 27017

// MongoDB opcodes.
const (
	MongoOpReply      int32 = 1
	MongoOpQuery      int32 = 2004
	MongoOpCompressed int32 = 2012
	MongoOpMsg        int32 = 2013
)

// OP_MSG flag bits.
const (
	MongoChecksumPresent uint32 = 1 << 0
	MongoMoreToCome      uint32 = 1 << 1
)

// BSON is a BSON document being built: elements appended in order.
type BSON struct{ b []byte }

func (d *BSON) elem(t byte, name string) {
	d.b = append(d.b, t)
	d.b = append(d.b, name...)
	d.b = append(d.b, 0)
}

// Double appends a double element.
func (d *BSON) Double(name string, v float64) *BSON {
	d.elem(0x01, name)
	d.b = binary.LittleEndian.AppendUint64(d.b, math.Float64bits(v))
	return d
}

// String appends a UTF-8 string element.
func (d *BSON) String(name, v string) *BSON {
	d.elem(0x02, name)
	d.b = binary.LittleEndian.AppendUint32(d.b, uint32(len(v)+1))
	d.b = append(d.b, v...)
	d.b = append(d.b, 0)
	return d
}

// Doc appends an embedded document element.
func (d *BSON) Doc(name string, v *BSON) *BSON {
	d.elem(0x03, name)
	d.b = append(d.b, v.Bytes()...)
	return d
}

// Array appends an array element: a document whose keys are "0", "1", ...
func (d *BSON) Array(name string, v *BSON) *BSON {
	d.elem(0x04, name)
	d.b = append(d.b, v.Bytes()...)
	return d
}

// Binary appends a binary element of the given subtype.
func (d *BSON) Binary(name string, subtype byte, v []byte) *BSON {
	d.elem(0x05, name)
	d.b = binary.LittleEndian.AppendUint32(d.b, uint32(len(v)))
	d.b = append(d.b, subtype)
	d.b = append(d.b, v...)
	return d
}

// ObjectID appends an ObjectId element.
func (d *BSON) ObjectID(name string, id [12]byte) *BSON {
	d.elem(0x07, name)
	d.b = append(d.b, id[:]...)
	return d
}

// Bool appends a boolean element.
func (d *BSON) Bool(name string, v bool) *BSON {
	d.elem(0x08, name)
	if v {
		d.b = append(d.b, 1)
	} else {
		d.b = append(d.b, 0)
	}
	return d
}

// DateTime appends a UTC datetime element (milliseconds since the epoch).
func (d *BSON) DateTime(name string, ms int64) *BSON {
	d.elem(0x09, name)
	d.b = binary.LittleEndian.AppendUint64(d.b, uint64(ms))
	return d
}

// Null appends a null element.
func (d *BSON) Null(name string) *BSON {
	d.elem(0x0A, name)
	return d
}

// Int32 appends a 32-bit integer element.
func (d *BSON) Int32(name string, v int32) *BSON {
	d.elem(0x10, name)
	d.b = binary.LittleEndian.AppendUint32(d.b, uint32(v))
	return d
}

// Timestamp appends an internal timestamp element.
func (d *BSON) Timestamp(name string, seconds, increment uint32) *BSON {
	d.elem(0x11, name)
	d.b = binary.LittleEndian.AppendUint32(d.b, increment)
	d.b = binary.LittleEndian.AppendUint32(d.b, seconds)
	return d
}

// Int64 appends a 64-bit integer element.
func (d *BSON) Int64(name string, v int64) *BSON {
	d.elem(0x12, name)
	d.b = binary.LittleEndian.AppendUint64(d.b, uint64(v))
	return d
}

// Decimal128 appends a decimal128 element given as its 16 bytes.
func (d *BSON) Decimal128(name string, v [16]byte) *BSON {
	d.elem(0x13, name)
	d.b = append(d.b, v[:]...)
	return d
}

// Bytes returns the document: its length, the elements and a 0 byte.
func (d *BSON) Bytes() []byte {
	out := binary.LittleEndian.AppendUint32(nil, uint32(len(d.b)+5))
	out = append(out, d.b...)
	return append(out, 0)
}

// MongoSequence is an OP_MSG kind 1 section: documents under an identifier.
type MongoSequence struct {
	ID   string
	Docs []*BSON
}

// MongoMsg builds an OP_MSG message: the body document, then the document
// sequences, and a CRC-32C when flags has MongoChecksumPresent.
func MongoMsg(requestID, responseTo int32, flags uint32, body *BSON, seqs ...MongoSequence) []byte {
	p := binary.LittleEndian.AppendUint32(nil, flags)
	p = append(p, 0)
	p = append(p, body.Bytes()...)
	for _, s := range seqs {
		var docs []byte
		for _, d := range s.Docs {
			docs = append(docs, d.Bytes()...)
		}
		p = append(p, 1)
		p = binary.LittleEndian.AppendUint32(p, uint32(4+len(s.ID)+1+len(docs)))
		p = append(p, s.ID...)
		p = append(p, 0)
		p = append(p, docs...)
	}
	if flags&MongoChecksumPresent != 0 {
		m := MongoMessage(requestID, responseTo, MongoOpMsg, append(p, 0, 0, 0, 0))
		sum := crc32.Checksum(m[:len(m)-4], crc32.MakeTable(crc32.Castagnoli))
		binary.LittleEndian.PutUint32(m[len(m)-4:], sum)
		return m
	}
	return MongoMessage(requestID, responseTo, MongoOpMsg, p)
}

// MongoQuery builds a legacy OP_QUERY message.
func MongoQuery(requestID int32, flags uint32, collection string, skip, limit int32, query *BSON) []byte {
	p := binary.LittleEndian.AppendUint32(nil, flags)
	p = append(p, collection...)
	p = append(p, 0)
	p = binary.LittleEndian.AppendUint32(p, uint32(skip))
	p = binary.LittleEndian.AppendUint32(p, uint32(limit))
	p = append(p, query.Bytes()...)
	return MongoMessage(requestID, 0, MongoOpQuery, p)
}

// MongoReply builds a legacy OP_REPLY message.
func MongoReply(requestID, responseTo int32, flags uint32, cursor int64, docs ...*BSON) []byte {
	p := binary.LittleEndian.AppendUint32(nil, flags)
	p = binary.LittleEndian.AppendUint64(p, uint64(cursor))
	p = binary.LittleEndian.AppendUint32(p, 0)
	p = binary.LittleEndian.AppendUint32(p, uint32(len(docs)))
	for _, d := range docs {
		p = append(p, d.Bytes()...)
	}
	return MongoMessage(requestID, responseTo, MongoOpReply, p)
}

// MongoCompressed builds an OP_COMPRESSED message around already
// compressed bytes.
func MongoCompressed(requestID, responseTo, originalOpcode int32, uncompressed int32, compressor byte, data []byte) []byte {
	p := binary.LittleEndian.AppendUint32(nil, uint32(originalOpcode))
	p = binary.LittleEndian.AppendUint32(p, uint32(uncompressed))
	p = append(p, compressor)
	p = append(p, data...)
	return MongoMessage(requestID, responseTo, MongoOpCompressed, p)
}

// MongoMessage prefixes a body with the 16-byte message header.
func MongoMessage(requestID, responseTo, opcode int32, body []byte) []byte {
	m := binary.LittleEndian.AppendUint32(nil, uint32(16+len(body)))
	m = binary.LittleEndian.AppendUint32(m, uint32(requestID))
	m = binary.LittleEndian.AppendUint32(m, uint32(responseTo))
	m = binary.LittleEndian.AppendUint32(m, uint32(opcode))
	return append(m, body...)
}

// MongoSession returns the messages of a short client session, each with
// its direction: the legacy hello, a ping with a checksum, an insert with
// a document sequence, a find answered with every BSON type, a failing
// command, a moreToCome write and a compressed message.
func MongoSession() []DirMsg {
	oid := [12]byte{0x65, 0x92, 0x00, 0x00, 1, 2, 3, 4, 5, 0, 0, 1}
	hello := (&BSON{}).Int32("isMaster", 1).Doc("client", (&BSON{}).Doc("driver", (&BSON{}).String("name", "pymongo").String("version", "4.6.1")))
	helloReply := (&BSON{}).Bool("ismaster", true).Int32("maxWireVersion", 21).Int32("maxBsonObjectSize", 16777216).Double("ok", 1)
	insert := (&BSON{}).String("insert", "people").Bool("ordered", true).String("$db", "test")
	people := []*BSON{
		(&BSON{}).ObjectID("_id", oid).String("name", "Ada").Int32("age", 36),
		(&BSON{}).String("name", "Alan").Array("tags", (&BSON{}).String("0", "math").String("1", "logic")),
	}
	var dec [16]byte
	dec[0], dec[14], dec[15] = 0x7B, 0x40, 0x30 // 123E0... as bytes
	found := (&BSON{}).ObjectID("_id", oid).String("name", "Ada").Int32("age", 36).
		Double("score", 9.5).Int64("big", 1<<40).Bool("admin", false).Null("nickname").
		DateTime("born", 1700000000000).Timestamp("ts", 1700000000, 7).
		Binary("uuid", 4, []byte{0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x12, 0x34, 0x12, 0x34, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc}).
		Decimal128("price", dec).Doc("address", (&BSON{}).String("city", "London"))
	okBody := MongoMsg(0, 0, 0, (&BSON{}).Double("ok", 1))[16:] // sent with the noop compressor
	return []DirMsg{
		{ClientToServer, MongoQuery(1, 0, "admin.$cmd", 0, -1, hello)},
		{ServerToClient, MongoReply(101, 1, 8, 0, helloReply)},
		{ClientToServer, MongoMsg(2, 0, MongoChecksumPresent, (&BSON{}).Int32("ping", 1).String("$db", "admin"))},
		{ServerToClient, MongoMsg(102, 2, 0, (&BSON{}).Double("ok", 1))},
		{ClientToServer, MongoMsg(3, 0, 0, insert, MongoSequence{ID: "documents", Docs: people})},
		{ServerToClient, MongoMsg(103, 3, 0, (&BSON{}).Int32("n", 2).Double("ok", 1))},
		{ClientToServer, MongoMsg(4, 0, 0, (&BSON{}).String("find", "people").Doc("filter", (&BSON{}).String("name", "Ada")).String("$db", "test"))},
		{ServerToClient, MongoMsg(104, 4, 0, (&BSON{}).Doc("cursor", (&BSON{}).Array("firstBatch", (&BSON{}).Doc("0", found)).Int64("id", 0).String("ns", "test.people")).Double("ok", 1))},
		{ClientToServer, MongoMsg(5, 0, 0, (&BSON{}).String("nosuchcommand", "x").String("$db", "test"))},
		{ServerToClient, MongoMsg(105, 5, 0, (&BSON{}).Double("ok", 0).String("errmsg", "no such command: 'nosuchcommand'").Int32("code", 59).String("codeName", "CommandNotFound"))},
		{ClientToServer, MongoMsg(6, 0, MongoMoreToCome, (&BSON{}).String("delete", "people").String("$db", "test"), MongoSequence{ID: "deletes", Docs: []*BSON{(&BSON{}).Doc("q", (&BSON{}).String("name", "Alan")).Int32("limit", 1)}})},
		{ClientToServer, MongoCompressed(7, 0, MongoOpMsg, 40, 2, []byte{0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01})},
		{ServerToClient, MongoCompressed(107, 7, MongoOpMsg, int32(len(okBody)), 0, okBody)},
	}
}

// DirMsg is one application message and the direction it is sent in.
type DirMsg struct {
	Dir  Dir
	Data []byte
}

// mongoConn returns a client connection to a mongod on port 27017.
func mongoConn() ConnConfig {
	return ConnConfig{
		Client: Endpoint{Addr: netip.MustParseAddr("10.20.0.20"), Port: 50100},
		Server: Endpoint{Addr: netip.MustParseAddr("10.20.0.10"), Port: MongoPort},
	}
}

// buildMongoBasic is MongoSession on one connection, one message per
// segment, requests counted as requests and replies as responses.
func buildMongoBasic() *Capture {
	return sessionCapture(11, mongoConn(), MongoSession())
}

// sessionCapture sends msgs on one connection with a handshake and a
// close, one message per segment.
func sessionCapture(seed uint64, cfg ConnConfig, msgs []DirMsg) *Capture {
	return mixedCapture(seed, cfg, messageSteps(msgs))
}

func init() {
	registerCapture("mongodb-basic.pcap", "mongodb",
		"MongoDB: legacy hello (OP_QUERY/OP_REPLY), OP_MSG with checksum, document sequences, every common BSON type, an error reply, moreToCome, OP_COMPRESSED",
		buildMongoBasic)
}
