package pcapgen

import "encoding/binary"

// OpenFlow captures, built from the ONF OpenFlow Switch Specifications
// 1.0.0 and 1.3.5: a 1.0 session on TCP 6633 and a 1.3 session on 6653.
func init() {
	registerCapture("openflow-10-13.pcap", "openflow",
		"OpenFlow 1.0 on 6633 and 1.3 on 6653: hello (with a version bitmap in 1.3), features, set-config, echo, packet-in, packet-out with an output action, flow-mod with a match and actions or instructions, stats/multipart, barrier, role, an error; messages split and coalesced", buildOpenFlow)
}

// OFMessage builds an OpenFlow message: version, type, length, xid, body.
func OFMessage(version, typ byte, xid uint32, body []byte) []byte {
	b := []byte{version, typ}
	b = binary.BigEndian.AppendUint16(b, uint16(8+len(body)))
	b = binary.BigEndian.AppendUint32(b, xid)
	return append(b, body...)
}

// be builds big-endian fields: each value is written in the given number
// of bytes (1, 2, 4 or 8).
func be(fields ...uint64) func(sizes ...int) []byte {
	return func(sizes ...int) []byte {
		var b []byte
		for i, v := range fields {
			switch sizes[i] {
			case 1:
				b = append(b, byte(v))
			case 2:
				b = binary.BigEndian.AppendUint16(b, uint16(v))
			case 4:
				b = binary.BigEndian.AppendUint32(b, uint32(v))
			case 8:
				b = binary.BigEndian.AppendUint64(b, v)
			}
		}
		return b
	}
}

// ofPacket is an Ethernet/IPv4/UDP packet for packet-in and packet-out.
var ofPacket = []byte{
	0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x66, 0xcd, 10, 0, 0, 1, 10, 0, 0, 2,
	0x30, 0x39, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00,
}

func ofPort10(no uint16, mac byte, name string) []byte {
	b := be(uint64(no))(2)
	b = append(b, 0x02, 0, 0, 0, 0, mac)
	n := make([]byte, 16)
	copy(n, name)
	b = append(b, n...)
	return append(b, be(0, 0, 0x2A0, 0x2A0, 0x2BF, 0)(4, 4, 4, 4, 4, 4)...)
}

func buildOpenFlow() *Capture {
	c := NewCapture(601)
	ctl := ep("10.9.9.1", 6633)
	// OpenFlow 1.0: the switch connects to the controller.
	conn := c.NewConn(ConnConfig{Client: ep("10.9.9.10", 40010), Server: ctl})
	conn.Handshake()
	send := func(d Dir, m []byte) { conn.Send(d, m, KindRequest, Whole()) }
	send(ClientToServer, OFMessage(1, 0, 1, nil))
	send(ServerToClient, OFMessage(1, 0, 100, nil))
	send(ServerToClient, OFMessage(1, 5, 101, nil))
	features := append(be(0x0000020000000001, 256, 1)(8, 4, 1), 0, 0, 0)
	features = append(features, be(0xC7, 0xFFF)(4, 4)...)
	features = append(features, ofPort10(1, 1, "eth1")...)
	features = append(features, ofPort10(2, 2, "eth2")...)
	conn.Send(ClientToServer, OFMessage(1, 6, 101, features), KindResponse, SplitAt(20, 70))
	send(ServerToClient, OFMessage(1, 9, 102, be(0, 128)(2, 2)))
	send(ServerToClient, OFMessage(1, 2, 103, []byte("ping")))
	send(ClientToServer, OFMessage(1, 3, 103, []byte("ping")))
	pktIn := append(be(0x100, uint64(len(ofPacket)), 1, 0, 0)(4, 2, 2, 1, 1), ofPacket...)
	send(ClientToServer, OFMessage(1, 10, 0, pktIn))
	pktOut := append(be(0xFFFFFFFF, 1, 8, 0, 8, 2, 0)(4, 2, 2, 2, 2, 2, 2), ofPacket...)
	send(ServerToClient, OFMessage(1, 13, 104, pktOut))
	match := be(0x3FFFEE, 1)(4, 2)
	match = append(match, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2)
	match = append(match, be(0xFFFF, 0, 0, 0x0800, 0, 17, 0)(2, 1, 1, 2, 1, 1, 2)...)
	match = append(match, 10, 0, 0, 1, 10, 0, 0, 2)
	match = append(match, be(12345, 53)(2, 2)...)
	flowMod := append(match, be(0xC0FFEE, 0, 30, 300, 0x8000, 0xFFFFFFFF, 0xFFFF, 1)(8, 2, 2, 2, 2, 4, 2, 2)...)
	flowMod = append(flowMod, be(0, 8, 2, 0)(2, 2, 2, 2)...)
	// FLOW_MOD and BARRIER_REQUEST in one segment.
	conn.QueueRaw(ServerToClient, append(OFMessage(1, 14, 105, flowMod), OFMessage(1, 18, 106, nil)...))
	conn.Flush(ServerToClient, Whole())
	send(ClientToServer, OFMessage(1, 19, 106, nil))
	send(ServerToClient, OFMessage(1, 16, 107, be(0, 0)(2, 2)))
	desc := make([]byte, 1056)
	copy(desc, "Example Networks")
	send(ClientToServer, OFMessage(1, 17, 107, append(be(0, 0)(2, 2), desc...)))
	// An error: bad request, bad type, with the start of the request.
	send(ClientToServer, OFMessage(1, 1, 108, append(be(1, 1)(2, 2), OFMessage(1, 99, 108, nil)...)))
	conn.Close(ClientToServer)

	// OpenFlow 1.3.
	conn = c.NewConn(ConnConfig{Client: ep("10.9.9.11", 40011), Server: ep("10.9.9.1", 6653)})
	conn.Handshake()
	hello := be(1, 8, 0x12)(2, 2, 4) // versions 1 and 4
	send(ClientToServer, OFMessage(4, 0, 1, hello))
	send(ServerToClient, OFMessage(4, 0, 200, hello))
	send(ServerToClient, OFMessage(4, 5, 201, nil))
	send(ClientToServer, OFMessage(4, 6, 201, be(0x0000020000000002, 256, 254, 0, 0, 0x4F, 0)(8, 4, 1, 1, 2, 4, 4)))
	// PACKET_IN with an OXM match on in_port (0x80000004, port 3), padded
	// to 16 bytes.
	oxmIn := append(be(1, 12, 0x8000, 0, 4, 3)(2, 2, 2, 1, 1, 4), 0, 0, 0, 0)
	pktIn13 := append(be(0xFFFFFFFF, uint64(len(ofPacket)), 0, 0, 0)(4, 2, 1, 1, 8), oxmIn...)
	pktIn13 = append(pktIn13, 0, 0)
	pktIn13 = append(pktIn13, ofPacket...)
	conn.Send(ClientToServer, OFMessage(4, 10, 0, pktIn13), KindRequest, SplitAt(4, 30))
	// FLOW_MOD: match eth_type 0x0800 and ipv4_dst 10.0.0.2; apply-actions
	// output to port 3.
	oxm := be(1, 4+6+8)(2, 2)
	oxm = append(oxm, be(0x8000, 5<<1, 2, 0x0800)(2, 1, 1, 2)...)
	oxm = append(oxm, be(0x8000, 12<<1, 4)(2, 1, 1)...)
	oxm = append(oxm, 10, 0, 0, 2)
	oxm = append(oxm, make([]byte, 6)...) // pad 18 to 24
	fm := be(0xABC, 0, 0, 0, 60, 0, 100, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 1, 0)(8, 8, 1, 1, 2, 2, 2, 4, 4, 4, 2, 2)
	fm = append(fm, oxm...)
	fm = append(fm, be(4, 24, 0, 0, 16, 3, 0xFFE5)(2, 2, 4, 2, 2, 4, 2)...)
	fm = append(fm, 0, 0, 0, 0, 0, 0)
	send(ServerToClient, OFMessage(4, 14, 202, fm))
	pktOut13 := append(be(0xFFFFFFFF, 0xFFFFFFFD, 16)(4, 4, 2), 0, 0, 0, 0, 0, 0)
	pktOut13 = append(pktOut13, be(0, 16, 2, 0)(2, 2, 4, 2)...)
	pktOut13 = append(pktOut13, 0, 0, 0, 0, 0, 0)
	pktOut13 = append(pktOut13, ofPacket...)
	send(ServerToClient, OFMessage(4, 13, 203, pktOut13))
	send(ServerToClient, OFMessage(4, 18, 204, be(13, 0, 0)(2, 2, 4)))
	portDesc := be(3, 0)(4, 4)
	portDesc = append(portDesc, 0x02, 0, 0, 0, 0, 3, 0, 0)
	name := make([]byte, 16)
	copy(name, "port3")
	portDesc = append(portDesc, name...)
	portDesc = append(portDesc, make([]byte, 32)...)
	// The reply and an echo request in one segment.
	conn.QueueRaw(ClientToServer, append(OFMessage(4, 19, 204, append(be(13, 0, 0)(2, 2, 4), portDesc...)), OFMessage(4, 2, 2, []byte{1, 2, 3})...))
	conn.Flush(ClientToServer, Whole())
	send(ServerToClient, OFMessage(4, 3, 2, []byte{1, 2, 3}))
	send(ServerToClient, OFMessage(4, 24, 205, be(2, 0, 7)(4, 4, 8)))
	send(ClientToServer, OFMessage(4, 25, 205, be(2, 0, 7)(4, 4, 8)))
	send(ServerToClient, OFMessage(4, 20, 206, nil))
	send(ClientToServer, OFMessage(4, 1, 206, append(be(5, 1)(2, 2), OFMessage(4, 20, 206, nil)...)))
	conn.Close(ClientToServer)
	return c
}
