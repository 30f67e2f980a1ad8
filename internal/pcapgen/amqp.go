package pcapgen

import (
	"encoding/binary"
	"net/netip"
)

// AMQP 0-9-1 frames, from the AMQP 0-9-1 specification and RabbitMQ's
// errata.

// AMQPPort is the default port of AMQP brokers.
const AMQPPort = 5672

// AMQPProtocolHeader opens an AMQP 0-9-1 connection.
var AMQPProtocolHeader = []byte("AMQP\x00\x00\x09\x01")

// AMQP frame types.
const (
	AMQPFrameMethod    byte = 1
	AMQPFrameHeader    byte = 2
	AMQPFrameBody      byte = 3
	AMQPFrameHeartbeat byte = 8
)

// AMQPFrame builds a frame: type, channel, size, payload, frame end.
func AMQPFrame(typ byte, channel uint16, payload []byte) []byte {
	f := []byte{typ}
	f = binary.BigEndian.AppendUint16(f, channel)
	f = binary.BigEndian.AppendUint32(f, uint32(len(payload)))
	f = append(f, payload...)
	return append(f, 0xCE)
}

// AMQPMethod builds a method frame from its class, method and encoded
// arguments.
func AMQPMethod(channel, class, method uint16, args ...[]byte) []byte {
	p := binary.BigEndian.AppendUint16(nil, class)
	p = binary.BigEndian.AppendUint16(p, method)
	for _, a := range args {
		p = append(p, a...)
	}
	return AMQPFrame(AMQPFrameMethod, channel, p)
}

// AMQPShort encodes a short string.
func AMQPShort(s string) []byte { return append([]byte{byte(len(s))}, s...) }

// AMQPLong encodes a long string.
func AMQPLong(s string) []byte {
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(s))), s...)
}

// AMQPField is one entry of a field table: a name and an encoded typed
// value (type letter first).
type AMQPField struct {
	Name  string
	Value []byte
}

// AMQPTable encodes a field table.
func AMQPTable(fields ...AMQPField) []byte {
	var b []byte
	for _, f := range fields {
		b = append(b, AMQPShort(f.Name)...)
		b = append(b, f.Value...)
	}
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(b))), b...)
}

// Typed field values.
func AMQPStr(s string) []byte { return append([]byte{'S'}, AMQPLong(s)...) }
func AMQPBool(v bool) []byte { // 't'
	if v {
		return []byte{'t', 1}
	}
	return []byte{'t', 0}
}
func AMQPInt(v int32) []byte     { return binary.BigEndian.AppendUint32([]byte{'I'}, uint32(v)) }
func AMQPLongInt(v int64) []byte { return binary.BigEndian.AppendUint64([]byte{'l'}, uint64(v)) }
func AMQPTime(v uint64) []byte   { return binary.BigEndian.AppendUint64([]byte{'T'}, v) }
func AMQPNested(t []byte) []byte { return append([]byte{'F'}, t...) }
func AMQPVoid() []byte           { return []byte{'V'} }
func AMQPArray(vs ...[]byte) []byte {
	var b []byte
	for _, v := range vs {
		b = append(b, v...)
	}
	return append(binary.BigEndian.AppendUint32([]byte{'A'}, uint32(len(b))), b...)
}

// AMQPContentHeader builds a content header frame for class basic with
// the given property flags and encoded properties.
func AMQPContentHeader(channel uint16, bodySize uint64, flags uint16, props ...[]byte) []byte {
	p := binary.BigEndian.AppendUint16(nil, 60)
	p = binary.BigEndian.AppendUint16(p, 0)
	p = binary.BigEndian.AppendUint64(p, bodySize)
	p = binary.BigEndian.AppendUint16(p, flags)
	for _, x := range props {
		p = append(p, x...)
	}
	return AMQPFrame(AMQPFrameHeader, channel, p)
}

func be16b(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
func be32b(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
func be64b(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// AMQPSession returns a RabbitMQ-like session: the protocol header and
// connection negotiation, a channel, exchange and queue declarations, a
// binding, a publish with properties, a get, a consume with a delivery
// and its ack, a heartbeat, and the closes.
func AMQPSession() []DirMsg {
	c := func(b ...[]byte) DirMsg { return DirMsg{ClientToServer, cat(b...)} }
	s := func(b ...[]byte) DirMsg { return DirMsg{ServerToClient, cat(b...)} }
	serverProps := AMQPTable(
		AMQPField{"capabilities", AMQPNested(AMQPTable(AMQPField{"publisher_confirms", AMQPBool(true)}, AMQPField{"basic.nack", AMQPBool(true)}))},
		AMQPField{"product", AMQPStr("RabbitMQ")}, AMQPField{"version", AMQPStr("3.10.8")})
	clientProps := AMQPTable(AMQPField{"product", AMQPStr("dissect-test")}, AMQPField{"pid", AMQPLongInt(4242)},
		AMQPField{"tags", AMQPArray(AMQPStr("a"), AMQPInt(7))}, AMQPField{"none", AMQPVoid()})
	body := `{"id":1,"item":"pen"}`
	props := [][]byte{AMQPShort("application/json"), AMQPShort("utf-8"),
		AMQPTable(AMQPField{"app", AMQPStr("dissect")}, AMQPField{"sent", AMQPTime(1700000000)}), {2}, AMQPShort("m-1")}
	const flags = 0x8000 | 0x4000 | 0x2000 | 0x1000 | 0x0080
	return []DirMsg{
		c(AMQPProtocolHeader),
		s(AMQPMethod(0, 10, 10, []byte{0, 9}, serverProps, AMQPLong("PLAIN AMQPLAIN"), AMQPLong("en_US"))),
		c(AMQPMethod(0, 10, 11, clientProps, AMQPShort("PLAIN"), AMQPLong("\x00guest\x00guest"), AMQPShort("en_US"))),
		s(AMQPMethod(0, 10, 30, be16b(2047), be32b(131072), be16b(60))),
		c(AMQPMethod(0, 10, 31, be16b(2047), be32b(131072), be16b(60))),
		c(AMQPMethod(0, 10, 40, AMQPShort("/"), AMQPShort(""), []byte{0})),
		s(AMQPMethod(0, 10, 41, AMQPShort(""))),
		c(AMQPMethod(1, 20, 10, AMQPShort(""))),
		s(AMQPMethod(1, 20, 11, AMQPLong(""))),
		c(AMQPMethod(1, 40, 10, be16b(0), AMQPShort("shop"), AMQPShort("direct"), []byte{0x02}, AMQPTable())),
		s(AMQPMethod(1, 40, 11)),
		c(AMQPMethod(1, 50, 10, be16b(0), AMQPShort("orders"), []byte{0x02}, AMQPTable(AMQPField{"x-max-length", AMQPInt(1000)}))),
		s(AMQPMethod(1, 50, 11, AMQPShort("orders"), be32b(0), be32b(0))),
		c(AMQPMethod(1, 50, 20, be16b(0), AMQPShort("orders"), AMQPShort("shop"), AMQPShort("new"), []byte{0}, AMQPTable())),
		s(AMQPMethod(1, 50, 21)),
		c(AMQPMethod(1, 60, 40, be16b(0), AMQPShort("shop"), AMQPShort("new"), []byte{0x01}),
			AMQPContentHeader(1, uint64(len(body)), flags, props...),
			AMQPFrame(AMQPFrameBody, 1, []byte(body))),
		c(AMQPMethod(1, 60, 70, be16b(0), AMQPShort("orders"), []byte{0})),
		s(AMQPMethod(1, 60, 71, be64b(1), []byte{0}, AMQPShort("shop"), AMQPShort("new"), be32b(0)),
			AMQPContentHeader(1, uint64(len(body)), flags, props...),
			AMQPFrame(AMQPFrameBody, 1, []byte(body))),
		c(AMQPMethod(1, 60, 70, be16b(0), AMQPShort("orders"), []byte{1})),
		s(AMQPMethod(1, 60, 72, AMQPShort(""))),
		c(AMQPMethod(1, 60, 20, be16b(0), AMQPShort("orders"), AMQPShort(""), []byte{0}, AMQPTable())),
		s(AMQPMethod(1, 60, 21, AMQPShort("amq.ctag-1"))),
		s(AMQPMethod(1, 60, 60, AMQPShort("amq.ctag-1"), be64b(2), []byte{1}, AMQPShort("shop"), AMQPShort("new")),
			AMQPContentHeader(1, 5, 0),
			AMQPFrame(AMQPFrameBody, 1, []byte("hello"))),
		c(AMQPMethod(1, 60, 80, be64b(2), []byte{0})),
		c(AMQPFrame(AMQPFrameHeartbeat, 0, nil)),
		s(AMQPFrame(AMQPFrameHeartbeat, 0, nil)),
		c(AMQPMethod(1, 20, 40, be16b(200), AMQPShort("Goodbye"), be16b(0), be16b(0))),
		s(AMQPMethod(1, 20, 41)),
		c(AMQPMethod(0, 10, 50, be16b(200), AMQPShort("Goodbye"), be16b(0), be16b(0))),
		s(AMQPMethod(0, 10, 51)),
	}
}

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func buildAMQPBasic() *Capture {
	return sessionCapture(14, ConnConfig{
		Client: Endpoint{Addr: netip.MustParseAddr("10.50.0.20"), Port: 50400},
		Server: Endpoint{Addr: netip.MustParseAddr("10.50.0.10"), Port: AMQPPort},
	}, AMQPSession())
}

func init() {
	registerCapture("amqp-basic.pcap", "amqp",
		"AMQP 0-9-1 session: protocol header, connection and channel negotiation, exchange/queue declare and bind, publish with properties, get, get-empty, consume, deliver, ack, heartbeats, closes",
		buildAMQPBasic)
}
