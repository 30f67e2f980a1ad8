package pcapgen

import "encoding/binary"

// Beckhoff ADS/AMS captures, built from the ADS specification in the
// Beckhoff Information System: AMS/TCP on port 48898.
func init() {
	registerCapture("ads-basic.pcap", "ads",
		"Beckhoff ADS over AMS/TCP: read device info, read state, read, write, read/write, write control, add and delete device notification, device notifications, an error response; a request split inside the AMS header, two requests in one segment", buildADS)
}

// AMSHeaderLen is the size of the AMS header.
const AMSHeaderLen = 32

// ADSFrame builds an AMS/TCP packet: the AMS/TCP header, the AMS header
// from (sender, senderPort) to (target, targetPort) with the command id,
// state flags (0x0004 request, 0x0005 response), error code and invoke id,
// then data.
func ADSFrame(target [6]byte, targetPort uint16, sender [6]byte, senderPort uint16, cmd, flags uint16, errCode, invoke uint32, data []byte) []byte {
	le := binary.LittleEndian
	b := []byte{0, 0}
	b = le.AppendUint32(b, uint32(AMSHeaderLen+len(data)))
	b = append(b, target[:]...)
	b = le.AppendUint16(b, targetPort)
	b = append(b, sender[:]...)
	b = le.AppendUint16(b, senderPort)
	b = le.AppendUint16(b, cmd)
	b = le.AppendUint16(b, flags)
	b = le.AppendUint32(b, uint32(len(data)))
	b = le.AppendUint32(b, errCode)
	b = le.AppendUint32(b, invoke)
	return append(b, data...)
}

// le32s encodes little-endian 32-bit values.
func le32s(vs ...uint32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

func buildADS() *Capture {
	c := NewCapture(401)
	plcNet, hmiNet := [6]byte{5, 1, 204, 160, 1, 1}, [6]byte{192, 168, 1, 20, 1, 1}
	conn := c.NewConn(ConnConfig{Client: ep("192.168.1.20", 51234), Server: ep("192.168.1.10", 48898)})
	conn.Handshake()
	invoke := uint32(0)
	req := func(cmd uint16, data []byte) []byte {
		invoke++
		return ADSFrame(plcNet, 851, hmiNet, 32905, cmd, 0x0004, 0, invoke, data)
	}
	resp := func(cmd uint16, errCode uint32, data []byte) []byte {
		return ADSFrame(hmiNet, 32905, plcNet, 851, cmd, 0x0005, errCode, invoke, data)
	}
	exchange := func(cmd uint16, reqData, respData []byte, plan Plan) {
		conn.Send(ClientToServer, req(cmd, reqData), KindRequest, plan)
		conn.Send(ServerToClient, resp(cmd, 0, respData), KindResponse, Whole())
	}
	name := append([]byte("Plc30 App"), make([]byte, 7)...)
	exchange(1, nil, append([]byte{0, 0, 0, 0, 3, 1, 0xE4, 0x0F}, name...), SplitAt(10, 30))
	exchange(4, nil, []byte{0, 0, 0, 0, 5, 0, 0, 0}, Whole())
	exchange(2, le32s(0x4020, 0x10, 4), append(le32s(0, 4), 0x2A, 0, 0, 0), Whole())
	exchange(3, append(le32s(0x4020, 0x14, 2), 0x34, 0x12), le32s(0), Whole())
	exchange(9, append(le32s(0xF003, 0, 4, 10), "MAIN.speed"...), append(le32s(0, 4), 0x10, 0x27, 0, 0), Whole())
	exchange(5, append([]byte{6, 0, 0, 0}, le32s(0)...), le32s(0), Whole())
	exchange(6, append(le32s(0x4020, 0x10, 4, 4, 100, 50), make([]byte, 16)...), le32s(0, 7), Whole())
	// Two device notifications from the PLC: one stamp of one sample, then
	// one stamp of two samples.
	note := func(samples ...[]byte) []byte {
		var body []byte
		body = binary.LittleEndian.AppendUint64(body, 133485408000000000) // 2024-01-01 as FILETIME
		body = append(body, le32s(uint32(len(samples)))...)
		for _, s := range samples {
			body = append(body, le32s(7, uint32(len(s)))...)
			body = append(body, s...)
		}
		return append(le32s(uint32(4+len(body)), 1), body...)
	}
	conn.Send(ServerToClient, ADSFrame(hmiNet, 32905, plcNet, 851, 8, 0x0004, 0, 0, note([]byte{1, 0, 0, 0})), KindRequest, Whole())
	conn.Send(ServerToClient, ADSFrame(hmiNet, 32905, plcNet, 851, 8, 0x0004, 0, 0, note([]byte{2, 0, 0, 0}, []byte{3, 0})), KindRequest, Whole())
	exchange(7, le32s(7), le32s(0), Whole())
	// A read of a missing symbol: ADS error 0x710 (symbol not found).
	conn.Send(ClientToServer, req(2, le32s(0x4040, 0x999, 4)), KindRequest, Whole())
	conn.Send(ServerToClient, resp(2, 0, le32s(0x710, 0)), KindResponse, Whole())
	// Two requests in one segment.
	two := append(req(4, nil), req(1, nil)...)
	conn.QueueRaw(ClientToServer, two)
	conn.Flush(ClientToServer, Whole())
	conn.Send(ServerToClient, ADSFrame(hmiNet, 32905, plcNet, 851, 4, 0x0005, 0, invoke-1, []byte{0, 0, 0, 0, 5, 0, 0, 0}), KindResponse, Whole())
	conn.Send(ServerToClient, resp(1, 0, append([]byte{0, 0, 0, 0, 3, 1, 0xE4, 0x0F}, name...)), KindResponse, Whole())
	conn.Close(ClientToServer)
	return c
}
