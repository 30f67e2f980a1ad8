package pcapgen

import (
	"encoding/binary"
	"math"
)

// HART-IP captures, built from HCF_SPEC-85 (HART-IP), HCF_SPEC-81
// (token-passing data link layer) and HCF_SPEC-127 (universal commands):
// UDP and TCP port 5094.
func init() {
	registerCapture("hartip-udp-tcp.pcap", "hartip",
		"HART-IP: over UDP, session initiate, keep-alive, pass-through commands 0 (short address), 1 and 3 (long address, preambles), 2, 48 and a busy reply, session close, an error message; over TCP, the same session with messages split and coalesced", buildHARTIP)
}

// HARTIPMessage builds a HART-IP message: version 1, the message type (0
// request, 1 response, 3 error), id (0 initiate, 1 close, 2 keep-alive, 3
// pass-through), status and sequence number, then body.
func HARTIPMessage(typ, id, status byte, seq uint16, body []byte) []byte {
	b := []byte{1, typ, id, status}
	b = binary.BigEndian.AppendUint16(b, seq)
	b = binary.BigEndian.AppendUint16(b, uint16(8+len(body)))
	return append(b, body...)
}

// HARTPDU builds a token-passing PDU: frame type 2 (STX, host to device)
// or 6 (ACK, device to host), a 1-byte polling or 5-byte unique address,
// the command and data (for an ACK, starting with the response code and
// device status), then the XOR checksum.
func HARTPDU(frameType byte, addr []byte, cmd byte, data []byte) []byte {
	delim := frameType
	if len(addr) == 5 {
		delim |= 0x80
	}
	b := []byte{delim}
	b = append(b, addr...)
	b = append(b, cmd, byte(len(data)))
	b = append(b, data...)
	var x byte
	for _, c := range b {
		x ^= c
	}
	return append(b, x)
}

func f32(v float32) []byte { return binary.BigEndian.AppendUint32(nil, math.Float32bits(v)) }

// hartSession returns the messages of one HART-IP session, client's and
// server's alternately.
func hartSession() [][2][]byte {
	long := []byte{0x80 | 0x26, 0x4E, 0x01, 0x02, 0x03} // host bit, device type 0x264E, id 010203
	identity := []byte{0, 0, 254, 0x26, 0x4E, 5, 7, 2, 3, 0x0C, 0x01, 0x01, 0x02, 0x03, 5, 4, 0x00, 0x12, 0x00, 0x00, 0x26, 0x00, 0x26, 1}
	cmd3 := append([]byte{0, 0}, f32(12.5)...)
	cmd3 = append(cmd3, 32)
	cmd3 = append(cmd3, f32(21.25)...)
	cmd3 = append(cmd3, 33)
	cmd3 = append(cmd3, f32(70.0)...)
	withPreambles := append([]byte{0xFF, 0xFF, 0xFF}, HARTPDU(2, long, 1, nil)...)
	return [][2][]byte{
		{HARTIPMessage(0, 0, 0, 1, []byte{1, 0, 0, 0xEA, 0x60}), HARTIPMessage(1, 0, 0, 1, []byte{1, 0, 0, 0xEA, 0x60})},
		{HARTIPMessage(0, 2, 0, 2, nil), HARTIPMessage(1, 2, 0, 2, nil)},
		{HARTIPMessage(0, 3, 0, 3, HARTPDU(2, []byte{0x80}, 0, nil)), HARTIPMessage(1, 3, 0, 3, HARTPDU(6, []byte{0x80}, 0, identity))},
		{HARTIPMessage(0, 3, 0, 4, withPreambles), HARTIPMessage(1, 3, 0, 4, HARTPDU(6, long, 1, append([]byte{0, 0, 32}, f32(21.25)...)))},
		{HARTIPMessage(0, 3, 0, 5, HARTPDU(2, long, 2, nil)), HARTIPMessage(1, 3, 0, 5, HARTPDU(6, long, 2, append(append([]byte{0, 0}, f32(12.5)...), f32(53.125)...)))},
		{HARTIPMessage(0, 3, 0, 6, HARTPDU(2, long, 3, nil)), HARTIPMessage(1, 3, 0, 6, HARTPDU(6, long, 3, cmd3))},
		{HARTIPMessage(0, 3, 0, 7, HARTPDU(2, long, 48, nil)), HARTIPMessage(1, 3, 0, 7, HARTPDU(6, long, 48, []byte{0, 0x10, 0, 0, 0, 0, 0, 0}))},
		// Device busy (response code 32).
		{HARTIPMessage(0, 3, 0, 8, HARTPDU(2, long, 38, nil)), HARTIPMessage(1, 3, 0, 8, HARTPDU(6, long, 38, []byte{32, 0x40}))},
		{HARTIPMessage(0, 1, 0, 9, nil), HARTIPMessage(1, 1, 0, 9, nil)},
	}
}

func buildHARTIP() *Capture {
	c := NewCapture(501)
	host, dev := ep("10.5.0.2", 50094), ep("10.5.0.1", 5094)
	for _, x := range hartSession() {
		c.Datagram(host, dev, x[0])
		c.Datagram(dev, host, x[1])
	}
	// A second host asks for the primary session, which is taken.
	other := ep("10.5.0.3", 50095)
	c.Datagram(other, dev, HARTIPMessage(0, 0, 0, 1, []byte{1, 0, 0, 0xEA, 0x60}))
	c.Datagram(dev, other, HARTIPMessage(3, 0, 0, 1, []byte{1}))

	conn := c.NewConn(ConnConfig{Client: ep("10.5.0.4", 50200), Server: dev})
	conn.Handshake()
	s := hartSession()
	for i, x := range s {
		switch i {
		case 2:
			conn.Send(ClientToServer, x[0], KindRequest, SplitAt(3, 9))
			conn.Send(ServerToClient, x[1], KindResponse, Whole())
		case 4:
			// Two requests in one segment, and both replies in one.
			conn.QueueRaw(ClientToServer, append(append([]byte{}, x[0]...), s[5][0]...))
			conn.Flush(ClientToServer, Whole())
			conn.QueueRaw(ServerToClient, append(append([]byte{}, x[1]...), s[5][1]...))
			conn.Flush(ServerToClient, Whole())
		case 5:
		default:
			conn.Send(ClientToServer, x[0], KindRequest, Whole())
			conn.Send(ServerToClient, x[1], KindResponse, Whole())
		}
	}
	conn.Close(ClientToServer)
	return c
}
