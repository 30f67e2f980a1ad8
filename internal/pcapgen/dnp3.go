package pcapgen

import (
	"encoding/binary"
	"math"
	"net/netip"
	"time"
)

// DNP3 (IEEE 1815-2012) frames: a link header with its CRC, then the user
// data in blocks of up to 16 bytes, each followed by its CRC-16/DNP (least
// significant byte first); in the user data a transport header, then an
// application fragment. The capture dnp3-session.pcap uses these
// builders, and so do the tests of the bundled dnp3 schema.

// DNP3Port is the registered TCP and UDP port of DNP3.
const DNP3Port = 20000

// CRC16DNP is the CRC-16/DNP of b: reflected polynomial 0x3D65, initial
// value 0, result complemented.
func CRC16DNP(b []byte) uint16 {
	var crc uint16
	for _, c := range b {
		crc ^= uint16(c)
		for range 8 {
			if crc&1 != 0 {
				crc = crc>>1 ^ 0xA6BC
			} else {
				crc >>= 1
			}
		}
	}
	return ^crc
}

// DNP3Link is a link frame: control byte, destination, source and user
// data, which is cut into CRC-protected blocks. It panics if the user data
// is longer than 250 bytes.
func DNP3Link(control byte, dst, src uint16, userData []byte) []byte {
	if len(userData) > 250 {
		panic("pcapgen: DNP3 link frame user data longer than 250 bytes")
	}
	h := []byte{0x05, 0x64, byte(5 + len(userData)), control}
	h = binary.LittleEndian.AppendUint16(h, dst)
	h = binary.LittleEndian.AppendUint16(h, src)
	h = binary.LittleEndian.AppendUint16(h, CRC16DNP(h))
	for off := 0; off < len(userData); off += 16 {
		block := userData[off:min(off+16, len(userData))]
		h = append(h, block...)
		h = binary.LittleEndian.AppendUint16(h, CRC16DNP(block))
	}
	return h
}

// Link control bytes.
const (
	DNP3DIR = 0x80 // from the master
	DNP3PRM = 0x40 // primary: starts a transaction
	DNP3FCB = 0x20
	DNP3FCV = 0x10
)

// DNP3Transport is a transport segment: FIN, FIR and a 6-bit sequence
// number, then the data.
func DNP3Transport(fin, fir bool, seq byte, data []byte) []byte {
	h := seq & 0x3F
	if fin {
		h |= 0x80
	}
	if fir {
		h |= 0x40
	}
	return append([]byte{h}, data...)
}

// Application control bits.
const (
	DNP3FIR = 0x80
	DNP3FIN = 0x40
	DNP3CON = 0x20
	DNP3UNS = 0x10
)

// DNP3Request is an application request fragment: control (FIR, FIN and
// the sequence number), function code and object data.
func DNP3Request(seq, function byte, objects ...[]byte) []byte {
	b := []byte{DNP3FIR | DNP3FIN | seq&0x0F, function}
	for _, o := range objects {
		b = append(b, o...)
	}
	return b
}

// DNP3Response is a response fragment (function 129, or 130 for an
// unsolicited one) with its control bits, IIN and object data.
func DNP3Response(control, function byte, iin uint16, objects ...[]byte) []byte {
	b := []byte{control, function, byte(iin >> 8), byte(iin)}
	for _, o := range objects {
		b = append(b, o...)
	}
	return b
}

// DNP3Objects is an object header (group, variation, qualifier), its
// range bytes, and the points.
func DNP3Objects(group, variation, qualifier byte, rng []byte, points ...[]byte) []byte {
	b := append([]byte{group, variation, qualifier}, rng...)
	for _, p := range points {
		b = append(b, p...)
	}
	return b
}

// DNP3Time is a 48-bit DNP3 time: milliseconds since 1970.
func DNP3Time(t time.Time) []byte {
	ms := uint64(t.UnixMilli())
	return []byte{byte(ms), byte(ms >> 8), byte(ms >> 16), byte(ms >> 24), byte(ms >> 32), byte(ms >> 40)}
}

func le16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

// DNP3 capture: a master polling an outstation, written as
// dnp3-session.pcap.

var (
	dnpOutstation = netip.MustParseAddr("10.20.0.10")
	dnpMaster     = netip.MustParseAddr("10.20.0.20")
)

func init() {
	registerCapture("dnp3-session.pcap", "dnp3",
		"DNP3 on TCP port 20000: link status, class 0 and integrity polls answered with binary, analog (integer and float), counter and packed points, a direct-operate CROB with index prefixes, a time write, an unsolicited response with timed events and its confirm, a response in two link frames; frames split and coalesced in TCP segments",
		buildDNP3Session)
}

func buildDNP3Session() *Capture {
	c := NewCapture(1815)
	conn := c.NewConn(ConnConfig{
		Client: Endpoint{Addr: dnpMaster, Port: 50020},
		Server: Endpoint{Addr: dnpOutstation, Port: DNP3Port},
	})
	conn.Handshake()
	const master, outstation = 1, 10
	pause := func() { c.SleepBetween(time.Millisecond, 8*time.Millisecond) }
	seq := byte(0) // transport sequence, per direction
	oseq := byte(0)
	req := func(app []byte) []byte {
		seq++
		return DNP3Link(DNP3DIR|DNP3PRM|4, outstation, master, DNP3Transport(true, true, seq, app))
	}
	resp := func(app []byte) []byte {
		oseq++
		return DNP3Link(DNP3PRM|4, master, outstation, DNP3Transport(true, true, oseq, app))
	}
	exchange := func(q, r []byte, qPlan, rPlan Plan) {
		pause()
		conn.Send(ClientToServer, q, KindRequest, qPlan)
		pause()
		conn.Send(ServerToClient, r, KindResponse, rPlan)
	}
	// Link layer: request link status, link status.
	exchange(DNP3Link(DNP3DIR|DNP3PRM|9, outstation, master, nil), DNP3Link(11, master, outstation, nil), Whole(), Whole())

	// Class 0 poll: binary inputs with flags, 32-bit analogs with flags,
	// 16-bit counters, packed binary outputs, a float analog.
	exchange(req(DNP3Request(1, 1, DNP3Objects(60, 1, 0x06, nil))),
		resp(DNP3Response(DNP3FIR|DNP3FIN|1, 129, 0x9000,
			DNP3Objects(1, 2, 0x00, []byte{0, 3}, []byte{0x81}, []byte{0x01}, []byte{0x81}, []byte{0x02}),
			DNP3Objects(30, 1, 0x00, []byte{0, 1}, append([]byte{0x01}, le32(1234)...), append([]byte{0x01}, le32(0xFFFFFF85)...)),
			DNP3Objects(20, 2, 0x01, append(le16(5), le16(6)...), append([]byte{0x01}, le16(42)...), append([]byte{0x01}, le16(65535)...)),
			DNP3Objects(10, 1, 0x00, []byte{0, 9}, []byte{0x5A, 0x01}),
			DNP3Objects(30, 5, 0x00, []byte{7, 7}, append([]byte{0x01}, le32(math.Float32bits(21.5))...)))),
		SplitAt(3, 12), Whole())

	// Integrity poll: classes 1, 2, 3 and 0 in one request; an empty answer.
	exchange(req(DNP3Request(2, 1, DNP3Objects(60, 2, 0x06, nil), DNP3Objects(60, 3, 0x06, nil), DNP3Objects(60, 4, 0x06, nil), DNP3Objects(60, 1, 0x06, nil))),
		resp(DNP3Response(DNP3FIR|DNP3FIN|2, 129, 0x0000)),
		Whole(), Chunks(7))

	// Direct operate: a CROB at index 3 with a 2-byte count and 2-byte
	// index prefix, echoed with its status.
	crob := func(status byte) []byte {
		return DNP3Objects(12, 1, 0x28, le16(1), le16(3), []byte{0x01, 1}, le32(1000), le32(0), []byte{status})
	}
	exchange(req(DNP3Request(3, 5, crob(0))), resp(DNP3Response(DNP3FIR|DNP3FIN|3, 129, 0x0000, crob(0))), Whole(), Whole())

	// Write the time and date; the answer clears NEED_TIME.
	at := c.Now().Add(2 * time.Hour)
	exchange(req(DNP3Request(4, 2, DNP3Objects(50, 1, 0x07, []byte{1}, DNP3Time(at)))),
		resp(DNP3Response(DNP3FIR|DNP3FIN|4, 129, 0x0000)), Whole(), Whole())

	// An unsolicited response with two timed binary events (1-byte count,
	// 1-byte index prefix) and a 16-bit analog event; the master confirms.
	pause()
	unsol := DNP3Response(DNP3FIR|DNP3FIN|DNP3CON|DNP3UNS|0, 130, 0x0200,
		DNP3Objects(2, 2, 0x17, []byte{2}, append([]byte{4, 0x81}, DNP3Time(at)...), append([]byte{9, 0x01}, DNP3Time(at.Add(15*time.Millisecond))...)),
		DNP3Objects(32, 2, 0x17, []byte{1}, append([]byte{1, 0x01}, le16(300)...)))
	conn.Send(ServerToClient, resp(unsol), KindResponse, Whole())
	pause()
	seq++
	confirm := DNP3Link(DNP3DIR|DNP3PRM|4, outstation, master, DNP3Transport(true, true, seq, []byte{DNP3FIR | DNP3FIN | DNP3UNS | 0, 0}))
	conn.Send(ClientToServer, confirm, KindRequest, Whole())

	// A read of 60 analog inputs: the response fragment spans two link
	// frames, coalesced in one TCP segment.
	pause()
	conn.Send(ClientToServer, req(DNP3Request(5, 1, DNP3Objects(30, 3, 0x01, append(le16(0), le16(59)...)))), KindRequest, Whole())
	var points [][]byte
	for i := range 60 {
		points = append(points, le32(uint32(i*100)))
	}
	app := DNP3Response(DNP3FIR|DNP3FIN|5, 129, 0x0000, DNP3Objects(30, 3, 0x01, append(le16(0), le16(59)...), points...))
	oseq++
	first := DNP3Link(DNP3PRM|4, master, outstation, DNP3Transport(false, true, oseq, app[:200]))
	oseq++
	second := DNP3Link(DNP3PRM|4, master, outstation, DNP3Transport(true, false, oseq, app[200:]))
	pause()
	conn.Queue(ServerToClient, first, KindResponse)
	conn.Queue(ServerToClient, second, KindResponse)
	conn.Flush(ServerToClient, Whole())
	conn.Close(ClientToServer)
	return c
}

func init() {
	registerCapture("dnp3-udp.pcap", "dnp3udp",
		"DNP3 over UDP port 20000: link status, a class 1/2/3 poll answered with analog and binary events, a time write, an unsolicited response and its confirm, one link frame a datagram",
		buildDNP3UDP)
}

func buildDNP3UDP() *Capture {
	c := NewCapture(1816)
	master := Endpoint{Addr: dnpMaster, Port: DNP3Port}
	outstation := Endpoint{Addr: dnpOutstation, Port: DNP3Port}
	pause := func() { c.SleepBetween(2*time.Millisecond, 10*time.Millisecond) }
	send := func(from, to Endpoint, frame []byte) {
		pause()
		c.Datagram(from, to, frame)
	}
	send(master, outstation, DNP3Link(DNP3DIR|DNP3PRM|9, 10, 1, nil))
	send(outstation, master, DNP3Link(11, 1, 10, nil))
	at := c.Now().Add(time.Hour)
	send(master, outstation, DNP3Link(DNP3DIR|DNP3PRM|4, 10, 1, DNP3Transport(true, true, 1,
		DNP3Request(1, 1, DNP3Objects(60, 2, 0x06, nil), DNP3Objects(60, 3, 0x06, nil), DNP3Objects(60, 4, 0x06, nil)))))
	send(outstation, master, DNP3Link(DNP3PRM|4, 1, 10, DNP3Transport(true, true, 1,
		DNP3Response(DNP3FIR|DNP3FIN|1, 129, 0x0000,
			DNP3Objects(32, 1, 0x17, []byte{2}, append([]byte{0, 0x01}, le32(250)...), append([]byte{3, 0x01}, le32(0xFFFFFF00)...)),
			DNP3Objects(2, 2, 0x17, []byte{1}, append([]byte{7, 0x81}, DNP3Time(at)...))))))
	send(master, outstation, DNP3Link(DNP3DIR|DNP3PRM|4, 10, 1, DNP3Transport(true, true, 2,
		DNP3Request(2, 2, DNP3Objects(50, 1, 0x07, []byte{1}, DNP3Time(at))))))
	send(outstation, master, DNP3Link(DNP3PRM|4, 1, 10, DNP3Transport(true, true, 2, DNP3Response(DNP3FIR|DNP3FIN|2, 129, 0x0000))))
	send(outstation, master, DNP3Link(DNP3PRM|4, 1, 10, DNP3Transport(true, true, 3,
		DNP3Response(DNP3FIR|DNP3FIN|DNP3CON|DNP3UNS|5, 130, 0x0200, DNP3Objects(30, 4, 0x00, []byte{0, 1}, le16(17), le16(0xFFFF))))))
	send(master, outstation, DNP3Link(DNP3DIR|DNP3PRM|4, 10, 1, DNP3Transport(true, true, 3, []byte{DNP3FIR | DNP3FIN | DNP3UNS | 5, 0})))
	return c
}
