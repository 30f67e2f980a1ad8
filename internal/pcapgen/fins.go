package pcapgen

import "encoding/binary"

// Omron FINS captures, built from Omron's FINS Commands Reference Manual
// (W227) and the Ethernet Unit manual (W343): FINS/UDP and FINS/TCP on
// port 9600.
func init() {
	registerCapture("fins-udp-tcp.pcap", "fins",
		"Omron FINS: over UDP, memory area read/write/fill/transfer, multiple read, parameter area read, run, stop, controller data and status read, cycle time, clock read/write, error clear and an error end code; over TCP, the node address handshake and frames split and coalesced", buildFINS)
}

// FINSHeader builds a FINS header and command code. response sets ICF's
// data type bit; the destination is node 10, the source node 20.
func FINSHeader(response bool, sid byte, command uint16) []byte {
	icf := byte(0x80)
	if response {
		icf = 0xC0
	}
	b := []byte{icf, 0, 2, 0, 10, 0, 0, 20, 0, sid}
	return binary.BigEndian.AppendUint16(b, command)
}

// FINSTCP wraps a payload in a FINS/TCP header.
func FINSTCP(command, errCode uint32, payload []byte) []byte {
	b := []byte("FINS")
	b = binary.BigEndian.AppendUint32(b, uint32(8+len(payload)))
	b = binary.BigEndian.AppendUint32(b, command)
	b = binary.BigEndian.AppendUint32(b, errCode)
	return append(b, payload...)
}

// finsExchange is a command's parameters and its response's end code and
// data.
type finsExchange struct {
	command  uint16
	params   []byte
	endCode  uint16
	respData []byte
}

func finsExchanges() []finsExchange {
	model := append([]byte("CJ2M-CPU31          "), "02.01               "...)
	model = append(model, make([]byte, 40)...)
	status := []byte{0x01, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}
	status = append(status, "                "...)
	return []finsExchange{
		{0x0101, []byte{0x82, 0x00, 0x64, 0x00, 0x00, 0x03}, 0x0000, []byte{0x00, 0x01, 0x00, 0x02, 0x00, 0x03}},
		{0x0102, []byte{0x82, 0x00, 0xC8, 0x00, 0x00, 0x02, 0x12, 0x34, 0x56, 0x78}, 0x0000, nil},
		{0x0103, []byte{0x82, 0x01, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00}, 0x0000, nil},
		{0x0104, []byte{0x82, 0x00, 0x0A, 0x00, 0xB0, 0x00, 0x05, 0x00}, 0x0000, []byte{0x82, 0x11, 0x11, 0xB0, 0x22, 0x22}},
		{0x0105, []byte{0x82, 0x00, 0x10, 0x00, 0x82, 0x00, 0x20, 0x00, 0x00, 0x04}, 0x0000, nil},
		{0x0201, []byte{0x80, 0x10, 0x00, 0x00, 0x00, 0x02}, 0x0000, []byte{0x80, 0x10, 0x00, 0x00, 0x80, 0x02, 0xAA, 0xBB, 0xCC, 0xDD}},
		{0x0401, []byte{0xFF, 0xFF, 0x04}, 0x0000, nil},
		{0x0402, []byte{0xFF, 0xFF}, 0x0000, nil},
		{0x0501, []byte{0x01}, 0x0000, model},
		{0x0601, nil, 0x0000, status},
		{0x0620, []byte{0x01}, 0x0000, []byte{0, 0, 0, 25, 0, 0, 0, 40, 0, 0, 0, 10}},
		{0x0701, nil, 0x0000, []byte{0x24, 0x01, 0x15, 0x13, 0x45, 0x30, 0x01}},
		{0x0702, []byte{0x24, 0x01, 0x15, 0x13, 0x46, 0x00, 0x01}, 0x0000, nil},
		{0x2101, []byte{0xFF, 0xFF}, 0x0000, nil},
		// An error: the memory area code is invalid (end code 0x1101).
		{0x0101, []byte{0x55, 0x00, 0x00, 0x00, 0x00, 0x01}, 0x1101, nil},
	}
}

func buildFINS() *Capture {
	c := NewCapture(201)
	hmi, plc := ep("192.168.250.20", 9600), ep("192.168.250.10", 9600)
	for i, x := range finsExchanges() {
		sid := byte(i + 1)
		c.Datagram(hmi, plc, append(FINSHeader(false, sid, x.command), x.params...))
		resp := binary.BigEndian.AppendUint16(FINSHeader(true, sid, x.command), x.endCode)
		c.Datagram(plc, hmi, append(resp, x.respData...))
	}
	conn := c.NewConn(ConnConfig{Client: ep("192.168.250.21", 50500), Server: ep("192.168.250.10", 9600)})
	conn.Handshake()
	conn.Send(ClientToServer, FINSTCP(0, 0, []byte{0, 0, 0, 0}), KindRequest, Whole())
	conn.Send(ServerToClient, FINSTCP(1, 0, []byte{0, 0, 0, 21, 0, 0, 0, 10}), KindResponse, Whole())
	read := FINSTCP(2, 0, append(FINSHeader(false, 0x40, 0x0101), 0x82, 0x00, 0x64, 0x00, 0x00, 0x02))
	conn.Send(ClientToServer, read, KindRequest, SplitAt(5, 18))
	resp := FINSTCP(2, 0, append(binary.BigEndian.AppendUint16(FINSHeader(true, 0x40, 0x0101), 0), 0x12, 0x34, 0xAB, 0xCD))
	conn.Send(ServerToClient, resp, KindResponse, Whole())
	// Two commands in one segment, their responses in one too.
	two := append(FINSTCP(2, 0, FINSHeader(false, 0x41, 0x0601)), FINSTCP(2, 0, FINSHeader(false, 0x42, 0x0701))...)
	conn.QueueRaw(ClientToServer, two)
	conn.Flush(ClientToServer, Whole())
	st := append(binary.BigEndian.AppendUint16(FINSHeader(true, 0x41, 0x0601), 0), 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0)
	st = append(st, "                "...)
	clk := append(binary.BigEndian.AppendUint16(FINSHeader(true, 0x42, 0x0701), 0), 0x24, 0x01, 0x15, 0x13, 0x45, 0x31, 0x01)
	conn.QueueRaw(ServerToClient, append(FINSTCP(2, 0, st), FINSTCP(2, 0, clk)...))
	conn.Flush(ServerToClient, Whole())
	// An error notification from the server.
	conn.Send(ServerToClient, FINSTCP(3, 0x02, nil), KindResponse, Whole())
	conn.Close(ClientToServer)
	return c
}
