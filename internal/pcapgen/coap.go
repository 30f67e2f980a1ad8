package pcapgen

import (
	"bytes"
	"encoding/binary"
	"sort"
)

// CoAP captures, built from RFC 7252 (with RFC 7641 Observe and RFC 7959
// Block options): UDP port 5683.
func init() {
	registerCapture("coap-basic.pcap", "coap",
		"CoAP: GET with Observe and Accept and its 2.05 piggybacked response, POST with a long path (1-byte extended length) and 2.01 Location-Path, Block2 transfer, NON PUT with options needing 2-byte extended deltas and lengths, DELETE 4.04, CON ping and RST, a separate response, a notification", buildCoAP)
}

// CoAPOption is one option of a message.
type CoAPOption struct {
	Number int
	Value  []byte
}

// coapNibble splits a delta or length into its 4-bit field and the
// extended bytes that follow.
func coapNibble(v int) (byte, []byte) {
	switch {
	case v < 13:
		return byte(v), nil
	case v < 269:
		return 13, []byte{byte(v - 13)}
	}
	return 14, binary.BigEndian.AppendUint16(nil, uint16(v-269))
}

// CoAPMessage builds a CoAP message: version 1, the type (0 CON, 1 NON, 2
// ACK, 3 RST), the code as class*32 + detail, the message id, the token,
// the options (sorted by number, as deltas) and the payload after the 0xFF
// marker.
func CoAPMessage(typ, code byte, mid uint16, token []byte, opts []CoAPOption, payload []byte) []byte {
	b := []byte{0x40 | typ<<4 | byte(len(token)), code}
	b = binary.BigEndian.AppendUint16(b, mid)
	b = append(b, token...)
	sorted := append([]CoAPOption(nil), opts...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Number < sorted[j].Number })
	prev := 0
	for _, o := range sorted {
		d, dx := coapNibble(o.Number - prev)
		l, lx := coapNibble(len(o.Value))
		b = append(b, d<<4|l)
		b = append(b, dx...)
		b = append(b, lx...)
		b = append(b, o.Value...)
		prev = o.Number
	}
	if len(payload) > 0 {
		b = append(b, 0xFF)
		b = append(b, payload...)
	}
	return b
}

// coapUint encodes a uint option value: big-endian without leading zeros.
func coapUint(v uint32) []byte {
	b := binary.BigEndian.AppendUint32(nil, v)
	return bytes.TrimLeft(b, "\x00")
}

func coapStr(n int, s string) CoAPOption { return CoAPOption{n, []byte(s)} }
func coapNum(n int, v uint32) CoAPOption { return CoAPOption{n, coapUint(v)} }

func buildCoAP() *Capture {
	c := NewCapture(301)
	client, server := ep("fd00::20", 49500), ep("fd00::10", 5683)
	send := func(from, to Endpoint, msg []byte) { c.Datagram(from, to, msg) }
	const (
		con, non, ack, rst  = 0, 1, 2, 3
		get, post, put, del = 1, 2, 3, 4
		created, content    = 65, 69
		notFound            = 132
	)
	// GET with Observe and Accept, answered in the ACK.
	tok := []byte{0x7d, 0x34}
	send(client, server, CoAPMessage(con, get, 0x1001, tok, []CoAPOption{
		coapStr(3, "plant.example"), coapNum(6, 0), coapStr(11, "sensors"), coapStr(11, "temp"), coapNum(17, 50)}, nil))
	send(server, client, CoAPMessage(ack, content, 0x1001, tok, []CoAPOption{
		coapNum(6, 12), coapNum(12, 50), coapNum(14, 60)}, []byte(`{"t":21.5}`)))
	// POST with a path segment of 20 bytes (1-byte extended length) and a
	// query; 2.01 Created with a Location-Path.
	tok = []byte{0x01, 0x02, 0x03, 0x04}
	send(client, server, CoAPMessage(con, post, 0x1002, tok, []CoAPOption{
		coapStr(11, "measurements-archive"), coapStr(15, "batch=7"), coapNum(12, 0)}, []byte("21.5;21.6;21.8")))
	send(server, client, CoAPMessage(ack, created, 0x1002, tok, []CoAPOption{
		coapStr(8, "measurements-archive"), coapStr(8, "42")}, nil))
	// Block2: the second 64-byte block of a larger resource.
	tok = []byte{0xAA}
	send(client, server, CoAPMessage(con, get, 0x1003, tok, []CoAPOption{
		coapStr(11, "firmware"), coapNum(23, 1<<4|2)}, nil))
	send(server, client, CoAPMessage(ack, content, 0x1003, tok, []CoAPOption{
		coapNum(12, 42), coapNum(23, 1<<4|1<<3|2), coapNum(28, 1000)}, bytes.Repeat([]byte{0xE5}, 64)))
	// NON PUT: Request-Tag (292: a 2-byte extended delta) and a Proxy-Uri
	// of 300 bytes (a 2-byte extended length), then No-Response.
	long := "coap://gateway.example/" + string(bytes.Repeat([]byte("x"), 277))
	send(client, server, CoAPMessage(non, put, 0x1004, []byte{0x10, 0x20}, []CoAPOption{
		coapStr(35, long), coapNum(258, 2), CoAPOption{292, []byte{0xbe, 0xef}}}, []byte("on")))
	// DELETE of a missing resource: 4.04 with a diagnostic payload.
	tok = []byte{0x55, 0x66, 0x77}
	send(client, server, CoAPMessage(con, del, 0x1005, tok, []CoAPOption{coapStr(11, "old")}, nil))
	send(server, client, CoAPMessage(ack, notFound, 0x1005, tok, nil, []byte("no such resource")))
	// A CON ping (empty message) answered by RST.
	send(client, server, CoAPMessage(con, 0, 0x1006, nil, nil, nil))
	send(server, client, CoAPMessage(rst, 0, 0x1006, nil, nil, nil))
	// A separate response: an empty ACK, then a CON 2.05 acknowledged by
	// the client.
	tok = []byte{0x09, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02}
	send(client, server, CoAPMessage(con, get, 0x1007, tok, []CoAPOption{coapStr(11, "slow")}, nil))
	send(server, client, CoAPMessage(ack, 0, 0x1007, nil, nil, nil))
	send(server, client, CoAPMessage(con, content, 0x9001, tok, []CoAPOption{coapNum(12, 0)}, []byte("done")))
	send(client, server, CoAPMessage(ack, 0, 0x9001, nil, nil, nil))
	// An Observe notification for the first request.
	send(server, client, CoAPMessage(non, content, 0x9002, []byte{0x7d, 0x34}, []CoAPOption{
		coapNum(6, 13), coapNum(12, 50)}, []byte(`{"t":21.7}`)))
	return c
}
