package pcapgen

import "encoding/binary"

// S7comm (Siemens S7-300/400) PDUs in COTP DT TPDUs over TPKT, port 102:
// the layout Wireshark's packet-s7comm.c decodes (there is no public
// specification).

// S7Header is an S7comm header: ROSCTR 1 (Job) and 7 (Userdata) have 10
// bytes, 2 (Ack) and 3 (Ack_Data) add the error class and code.
func S7Header(rosctr byte, pduRef uint16, param, data []byte, errClass, errCode byte) []byte {
	b := []byte{0x32, rosctr, 0, 0}
	b = binary.BigEndian.AppendUint16(b, pduRef)
	b = binary.BigEndian.AppendUint16(b, uint16(len(param)))
	b = binary.BigEndian.AppendUint16(b, uint16(len(data)))
	if rosctr == 2 || rosctr == 3 {
		b = append(b, errClass, errCode)
	}
	b = append(b, param...)
	return append(b, data...)
}

// S7AnyItem is a request item with S7ANY addressing: transport size,
// element count, DB number, area and the address in bits.
func S7AnyItem(tsize byte, count, db uint16, area byte, bitAddr uint32) []byte {
	b := []byte{0x12, 0x0A, 0x10, tsize}
	b = binary.BigEndian.AppendUint16(b, count)
	b = binary.BigEndian.AppendUint16(b, db)
	return append(b, area, byte(bitAddr>>16), byte(bitAddr>>8), byte(bitAddr))
}

// S7DataItem is a data item: return code, transport size and the value,
// whose length is in bits for transport sizes 3 (BIT) and 4 (BYTE/WORD),
// in bytes otherwise. A fill byte follows an odd-length value unless last.
func S7DataItem(ret, tsize byte, value []byte, last bool) []byte {
	n := len(value)
	if tsize == 4 {
		n *= 8
	}
	b := []byte{ret, tsize, byte(n >> 8), byte(n)}
	b = append(b, value...)
	if len(value)%2 == 1 && !last {
		b = append(b, 0)
	}
	return b
}

func s7tpkt(pdu []byte) []byte { return TPKT(COTPData(pdu, true)) }

func init() {
	registerCapture("s7comm-basic.pcap", "s7comm",
		"S7comm over COTP/TPKT on TCP port 102: connection request/confirm with TSAPs, setup communication, read var of DB bytes and a flag bit (with a fill byte), a read of a missing DB, write var of a DB word, an Ack_Data with an error class; PDUs split and coalesced in TCP segments",
		buildS7comm)
}

func buildS7comm() *Capture {
	const job, ackData = 1, 3
	setup := []byte{0xF0, 0x00, 0x00, 0x01, 0x00, 0x01, 0x01, 0xE0}
	setupAck := []byte{0xF0, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0xF0}
	readParam := cat([]byte{0x04, 0x02},
		S7AnyItem(0x02, 3, 1, 0x84, 0<<3),
		S7AnyItem(0x01, 1, 0, 0x83, 10<<3|3))
	readData := cat(S7DataItem(0xFF, 0x04, []byte{0x12, 0x34, 0x56}, false),
		S7DataItem(0xFF, 0x03, []byte{0x01}, true))
	missing := cat([]byte{0x04, 0x01}, S7AnyItem(0x02, 2, 999, 0x84, 4<<3))
	writeParam := cat([]byte{0x05, 0x01}, S7AnyItem(0x02, 2, 1, 0x84, 2<<3))
	writeData := S7DataItem(0x00, 0x04, []byte{0xBE, 0xEF}, true)
	steps := []tcpStep{
		toServer(TPKT(COTPConnect(0xE0, 0, 0x0001, []byte{0x01, 0x00}, []byte{0x01, 0x02}))),
		toClient(TPKT(COTPConnect(0xD0, 0x0001, 0x4431, []byte{0x01, 0x00}, []byte{0x01, 0x02}))),
		toServer(s7tpkt(S7Header(job, 0x0100, setup, nil, 0, 0))),
		toClient(s7tpkt(S7Header(ackData, 0x0100, setupAck, nil, 0, 0))),
		toServer(s7tpkt(S7Header(job, 0x0200, readParam, nil, 0, 0))),
		toClient(s7tpkt(S7Header(ackData, 0x0200, []byte{0x04, 0x02}, readData, 0, 0))).cut(SplitAt(5, 20)),
		toServer(s7tpkt(S7Header(job, 0x0300, missing, nil, 0, 0)),
			s7tpkt(S7Header(job, 0x0400, writeParam, writeData, 0, 0))),
		toClient(s7tpkt(S7Header(ackData, 0x0300, []byte{0x04, 0x01}, []byte{0x0A, 0x00, 0x00, 0x00}, 0, 0)),
			s7tpkt(S7Header(ackData, 0x0400, []byte{0x05, 0x01}, []byte{0xFF}, 0, 0))),
		toServer(s7tpkt(S7Header(job, 0x0500, []byte{0x29, 0, 0, 0, 0, 0, 0x09, 'P', '_', 'P', 'R', 'O', 'G', 'R', 'A', 'M'}, nil, 0, 0))),
		toClient(s7tpkt(S7Header(ackData, 0x0500, []byte{0x29}, nil, 0x81, 0x04))),
	}
	return mixedCapture(102, ConnConfig{
		Client: ep("10.40.0.20", 49321),
		Server: ep("10.40.0.10", ISOTSAPPort),
	}, steps)
}
