package pcapgen

import (
	"encoding/binary"
	"math"
	"time"
)

// IEC 60870-5-104 APDUs (IEC 60870-5-104:2006, with the ASDUs of
// IEC 60870-5-101): TCP port 2404.

// IEC104Port is the registered TCP port of IEC 60870-5-104.
const IEC104Port = 2404

// IEC104U is a U-format APDU: 0x07 STARTDT act, 0x0B STARTDT con, 0x13
// STOPDT act, 0x23 STOPDT con, 0x43 TESTFR act, 0x83 TESTFR con.
func IEC104U(fn byte) []byte { return []byte{0x68, 4, fn, 0, 0, 0} }

// IEC104S is an S-format APDU acknowledging up to receive sequence rx.
func IEC104S(rx uint16) []byte {
	return []byte{0x68, 4, 1, 0, byte(rx << 1), byte(rx >> 7)}
}

// IEC104I is an I-format APDU with send and receive sequence numbers.
func IEC104I(tx, rx uint16, asdu []byte) []byte {
	b := []byte{0x68, byte(4 + len(asdu)), byte(tx << 1), byte(tx >> 7), byte(rx << 1), byte(rx >> 7)}
	return append(b, asdu...)
}

// IEC104ASDU is an ASDU: type, the variable structure qualifier (SQ and
// count), cause of transmission (with the negative bit), originator address
// 0, the common address and the information objects.
func IEC104ASDU(typ byte, sq bool, n int, cot byte, neg bool, ca uint16, objects ...[]byte) []byte {
	vsq := byte(n)
	if sq {
		vsq |= 0x80
	}
	if neg {
		cot |= 0x40
	}
	b := []byte{typ, vsq, cot, 0}
	b = binary.LittleEndian.AppendUint16(b, ca)
	for _, o := range objects {
		b = append(b, o...)
	}
	return b
}

// IEC104IOA is a 3-byte information object address followed by elements.
func IEC104IOA(ioa uint32, elements ...[]byte) []byte {
	b := []byte{byte(ioa), byte(ioa >> 8), byte(ioa >> 16)}
	for _, e := range elements {
		b = append(b, e...)
	}
	return b
}

// CP56Time2a is the 7-byte time tag: milliseconds of the minute, minute,
// hour, day of month with day of week, month and year (two digits).
func CP56Time2a(t time.Time) []byte {
	ms := uint16(t.Second()*1000 + t.Nanosecond()/1e6)
	dow := byte(t.Weekday())
	if dow == 0 {
		dow = 7
	}
	return []byte{byte(ms), byte(ms >> 8), byte(t.Minute()), byte(t.Hour()),
		byte(t.Day()) | dow<<5, byte(t.Month()), byte(t.Year() % 100)}
}

func init() {
	registerCapture("iec104-session.pcap", "iec104",
		"IEC 60870-5-104 on TCP port 2404: STARTDT, general interrogation answered with single points, double points, a sequence of short floats, scaled and normalized values and a bitstring, activation termination, a time-tagged spontaneous single point, a single command and its negative confirmation, a float setpoint, S-format acks, TESTFR; APDUs split and coalesced in TCP segments",
		buildIEC104)
}

func buildIEC104() *Capture {
	const ca = 1
	f32 := func(v float32) []byte { return le32(math.Float32bits(v)) }
	i16 := func(v int16) []byte { return le16(uint16(v)) }
	ts := CP56Time2a(time.Date(2026, 3, 14, 9, 26, 53, 589e6, time.UTC))
	var tx, rx uint16 // the station's send count, the station's receive count
	var mtx uint16    // the master's send count
	station := func(asdu []byte) []byte { a := IEC104I(tx, mtx, asdu); tx++; return a }
	master := func(asdu []byte) []byte { a := IEC104I(mtx, rx, asdu); mtx++; return a }
	rxUpdate := func() []byte { rx = tx; return IEC104S(rx) }
	steps := []tcpStep{
		toServer(IEC104U(0x07)),
		toClient(IEC104U(0x0B)),
		toServer(master(IEC104ASDU(100, false, 1, 6, false, ca, IEC104IOA(0, []byte{20})))),
	}
	steps = append(steps,
		toClient(station(IEC104ASDU(100, false, 1, 7, false, ca, IEC104IOA(0, []byte{20}))),
			station(IEC104ASDU(1, false, 3, 20, false, ca,
				IEC104IOA(1001, []byte{0x01}), IEC104IOA(1002, []byte{0x00}), IEC104IOA(1003, []byte{0x81}))),
			station(IEC104ASDU(3, false, 2, 20, false, ca,
				IEC104IOA(1101, []byte{0x02}), IEC104IOA(1102, []byte{0x01})))).cut(SplitAt(7, 30)),
		toClient(station(IEC104ASDU(13, true, 3, 20, false, ca,
			IEC104IOA(2001, f32(21.5), []byte{0}, f32(-3.25), []byte{0}, f32(1013.25), []byte{0x80})))),
		toClient(station(IEC104ASDU(11, false, 2, 20, false, ca,
			IEC104IOA(3001, i16(1234), []byte{0}), IEC104IOA(3002, i16(-200), []byte{0x10}))),
			station(IEC104ASDU(9, false, 1, 20, false, ca, IEC104IOA(3101, i16(0x4000), []byte{0}))),
			station(IEC104ASDU(7, false, 1, 20, false, ca, IEC104IOA(3201, []byte{0x0F, 0xF0, 0x00, 0x81}, []byte{0})))),
		toServer(rxUpdate()),
		toClient(station(IEC104ASDU(100, false, 1, 10, false, ca, IEC104IOA(0, []byte{20})))),
		toClient(station(IEC104ASDU(30, false, 1, 3, false, ca, IEC104IOA(1002, []byte{0x01}, ts)))),
		toServer(master(IEC104ASDU(45, false, 1, 6, false, ca, IEC104IOA(5001, []byte{0x81})))),
		toClient(station(IEC104ASDU(45, false, 1, 7, true, ca, IEC104IOA(5001, []byte{0x81})))),
		toServer(master(IEC104ASDU(50, false, 1, 6, false, ca, IEC104IOA(6001, f32(42.0), []byte{0x00})))).cut(SplitAt(3)),
		toClient(station(IEC104ASDU(50, false, 1, 7, false, ca, IEC104IOA(6001, f32(42.0), []byte{0x00})))),
		toServer(rxUpdate()),
		toServer(IEC104U(0x43)),
		toClient(IEC104U(0x83)),
	)
	return mixedCapture(2404, ConnConfig{
		Client: ep("10.50.0.20", 50404),
		Server: ep("10.50.0.10", IEC104Port),
	}, steps)
}
