package pcapgen

import (
	"io"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// Scenario is one capture file of testdata/pcaps, with the counts a correct
// reader, reassembler and Modbus/TCP decoder must reproduce from it.
type Scenario struct {
	File    string // file name in testdata/pcaps, e.g. "modbus-basic.pcap"
	Doc     string // one line: what it covers
	Packets int    // packet records in the file, including a Truncated file's cut last record
	// Requests is the number of complete Modbus ADUs sent client→server that
	// a correct decoder must find.
	Requests int
	// Responses is the number of complete Modbus ADUs sent server→client
	// that a correct decoder must find.
	Responses int
	// Exceptions is how many of the Responses are exception responses.
	Exceptions int
	Conns      int  // TCP connections
	Truncated  bool // file deliberately cut in the middle of the last record
	// Write writes the file's exact bytes.
	Write func(w io.Writer) error
}

// scenarioDef is how a Scenario is built.
type scenarioDef struct {
	file  string
	doc   string
	build func() *Capture
}

var scenarioDefs = []scenarioDef{
	{"modbus-basic.pcap", "one connection with handshake and FIN; a request/response pair for each function code 1-6, 15, 16, 23, 43/14 and exception responses; one ADU per segment", buildBasic},
	{"modbus-basic.pcapng", "modbus-basic.pcap's traffic in pcapng", buildBasic},
	{"modbus-basic.pcap.gz", "modbus-basic.pcap's traffic in gzip-compressed pcap", buildBasic},
	{"modbus-split.pcap", "ADUs split across segments: inside the MBAP header, between header and PDU, in chunks, and 1-byte segments", buildSplit},
	{"modbus-coalesced.pcap", "pipelined transactions: up to 10 ADUs per segment, segments ending in the middle of an ADU (header or PDU) continued in the next", buildCoalesced},
	{"modbus-ooo-retrans.pcap", "out-of-order segments, exact and partially overlapping retransmissions, sequence numbers wrapping past 2^32", buildOOORetrans},
	{"modbus-midstream.pcap", "capture starts mid-connection: no handshake, first client segment is the tail of an ADU (not counted), first server segment starts at an ADU boundary", buildMidstream},
	{"modbus-vlan-ipv6.pcap", "four interleaved connections: IPv6, 802.1Q-tagged IPv4, QinQ-tagged IPv4 (802.1ad outer tag, 802.1Q inner) and 802.1Q-tagged IPv6", buildVLANIPv6},
	{"modbus-many.pcap", "300 interleaved connections with handshake and FIN, 2-6 transactions each, mixed function codes; in-order segments: whole, split inside the PDU, 8-byte chunks, pipelined and coalesced", buildMany},
	{"modbus-truncated.pcap", "modbus-basic.pcap's transactions without the close, file cut in the middle of the last record (a response)", buildTruncated},
}

// Scenarios returns the capture files of testdata/pcaps, in a fixed order.
// Each Scenario's counts are computed from the traffic built for it, and its
// Write function always writes the same bytes.
func Scenarios() []Scenario {
	out := make([]Scenario, 0, len(scenarioDefs))
	for _, d := range scenarioDefs {
		format, err := FormatOf(d.file)
		if err != nil {
			panic(err)
		}
		c := d.build()
		st := c.Stats()
		out = append(out, Scenario{
			File:       d.file,
			Doc:        d.doc,
			Packets:    st.Packets,
			Requests:   st.Requests,
			Responses:  st.Responses,
			Exceptions: st.Exceptions,
			Conns:      st.Conns,
			Truncated:  c.IsCut(),
			Write:      func(w io.Writer) error { return c.Encode(w, format) },
		})
	}
	return out
}

// Addresses used by the scenarios.
var (
	plcAddr    = netip.MustParseAddr("192.168.1.10")
	hmiAddr    = netip.MustParseAddr("192.168.1.20")
	plcAddr6   = netip.MustParseAddr("2001:db8:10::10")
	hmiAddr6   = netip.MustParseAddr("2001:db8:10::20")
	vlanPLC6   = netip.MustParseAddr("2001:db8:300::10")
	vlanHMI6   = netip.MustParseAddr("2001:db8:300::20")
	vlanPLC    = netip.MustParseAddr("10.100.0.10")
	vlanHMI    = netip.MustParseAddr("10.100.0.20")
	qinqPLC    = netip.MustParseAddr("10.200.10.10")
	qinqHMI    = netip.MustParseAddr("10.200.10.20")
	manyServer = netip.MustParseAddr("10.0.0.10") // first of three
	manyClient = netip.MustParseAddr("10.1.0.10") // first of fifty
)

// modbusConn returns the configuration of a connection from client:port to
// server:502.
func modbusConn(client, server netip.Addr, port uint16) ConnConfig {
	return ConnConfig{
		Client: Endpoint{Addr: client, Port: port},
		Server: Endpoint{Addr: server, Port: ModbusPort},
	}
}

// thinkTime is the pause of a client between two transactions.
func thinkTime(c *Capture) { c.SleepBetween(2*time.Millisecond, 20*time.Millisecond) }

// basicTraffic emits BasicTransactions on one connection with a handshake,
// one ADU per segment, and closes it when closeConn is set.
func basicTraffic(closeConn bool) *Capture {
	c := NewCapture(1)
	conn := c.NewConn(modbusConn(hmiAddr, plcAddr, 40001))
	conn.Handshake()
	s := &Session{Conn: conn, Unit: 1, TID: 1}
	for _, t := range BasicTransactions() {
		thinkTime(c)
		s.Exchange(t, Whole(), Whole())
	}
	if closeConn {
		thinkTime(c)
		conn.Close(ClientToServer)
	}
	return c
}

func buildBasic() *Capture { return basicTraffic(true) }

func buildTruncated() *Capture {
	c := basicTraffic(false)
	c.CutLast()
	return c
}

func buildSplit() *Capture {
	c := NewCapture(2)
	conn := c.NewConn(modbusConn(hmiAddr, plcAddr, 40002))
	conn.Handshake()
	s := &Session{Conn: conn, Unit: 1, TID: 0x0100}
	steps := []struct {
		t         Transaction
		req, resp Plan
	}{
		// Splits inside the MBAP header, at every field boundary and
		// inside fields.
		{Transaction{Request: ReadHoldingRegisters(0x006B, 3), Response: ReadHoldingRegistersResponse([]uint16{0x022B, 0x0000, 0x0064})}, SplitAt(3), SplitAt(7)},
		{Transaction{Request: ReadInputRegisters(0x0008, 2), Response: ReadInputRegistersResponse([]uint16{0x000A, 0x0B0C})}, SplitAt(6), SplitAt(1)},
		{Transaction{Request: ReadCoils(0x0013, 19), Response: ReadCoilsResponse(unpackBits([]byte{0xCD, 0x6B, 0x05}, 19))}, SplitAt(5), SplitAt(2, 4, 6)},
		{Transaction{Request: WriteMultipleRegisters(0x0001, []uint16{0x000A, 0x0102}), Response: WriteMultipleRegistersResponse(0x0001, 2)}, SplitAt(7, 8), SplitAt(8)},
		{Transaction{Request: ReadDiscreteInputs(0x00C4, 22), Response: ReadDiscreteInputsResponse(unpackBits([]byte{0xAC, 0xDB, 0x35}, 22))}, SplitAt(4), SplitAt(9)},
		// 1-byte segments, both directions.
		{Transaction{Request: WriteSingleRegister(0x0001, 0x0003), Response: WriteSingleRegister(0x0001, 0x0003)}, Bytewise(), Bytewise()},
		{Transaction{Request: WriteSingleCoil(0x00AC, true), Response: WriteSingleCoil(0x00AC, true)}, Bytewise(), Whole()},
		{Transaction{Request: ReadHoldingRegisters(0x0200, 1), Response: Exception(FuncReadHoldingRegisters, ExIllegalDataAddress)}, Whole(), Bytewise()},
		// Large PDUs in chunks.
		{Transaction{Request: ReadHoldingRegisters(0x0000, 125), Response: ReadHoldingRegistersResponse(ramp(125, 1000, 7))}, Whole(), Chunks(100)},
		{Transaction{Request: ReadCoils(0x0000, 2000), Response: ReadCoilsResponse(alternating(2000))}, SplitAt(11), SplitAt(4, 130)},
		{
			Transaction{
				Request:  WriteMultipleRegisters(0x0400, ramp(100, 0, 3)),
				Response: WriteMultipleRegistersResponse(0x0400, 100),
			},
			Chunks(64), SplitAt(7),
		},
		{
			Transaction{
				Request:  ReadDeviceIdentification(DevIDRegular, 0x00),
				Response: ReadDeviceIdentificationResponse(DevIDRegular, 0x82, false, 0x00, deviceObjects),
			},
			SplitAt(9), Chunks(10),
		},
		{
			Transaction{
				Request:  ReadWriteMultipleRegisters(0x0003, 6, 0x000E, []uint16{0x00FF, 0x00FF, 0x00FF}),
				Response: ReadWriteMultipleRegistersResponse([]uint16{0x00FE, 0x0ACD, 0x0001, 0x0003, 0x000D, 0x00FF}),
			},
			SplitAt(2, 7, 12), SplitAt(8, 9),
		},
		{Transaction{Request: WriteMultipleCoils(0x0013, unpackBits([]byte{0xCD, 0x01}, 10)), Response: Exception(FuncWriteMultipleCoils, ExServerDeviceBusy)}, SplitAt(13), SplitAt(8)},
	}
	for _, st := range steps {
		thinkTime(c)
		s.Exchange(st.t, st.req, st.resp)
	}
	thinkTime(c)
	conn.Close(ClientToServer)
	return c
}

// queueBatch queues the requests of ts, or their responses when tids is
// not nil, and returns the transaction identifiers and the offset of each
// ADU in the pending buffer.
func queueBatch(s *Session, ts []Transaction, tids []uint16) ([]uint16, []int) {
	d := ClientToServer
	if tids != nil {
		d = ServerToClient
	}
	offs := make([]int, len(ts))
	out := make([]uint16, len(ts))
	for i, t := range ts {
		offs[i] = s.Conn.Pending(d)
		if tids == nil {
			out[i] = s.QueueRequest(t)
		} else {
			out[i] = tids[i]
			s.QueueResponse(tids[i], t)
		}
	}
	return out, offs
}

// pipeline sends the requests of ts back to back with plan req (given the
// ADU offsets), then their responses with plan resp.
func pipeline(s *Session, ts []Transaction, req, resp func(offs []int) Plan) {
	tids, offs := queueBatch(s, ts, nil)
	s.Conn.Flush(ClientToServer, req(offs))
	s.Conn.capt.SleepBetween(serverDelayMin, serverDelayMax)
	_, offs = queueBatch(s, ts, tids)
	s.Conn.Flush(ServerToClient, resp(offs))
}

func whole([]int) Plan { return Whole() }

func buildCoalesced() *Capture {
	c := NewCapture(3)
	conn := c.NewConn(modbusConn(hmiAddr, plcAddr, 40003))
	conn.Handshake()
	s := &Session{Conn: conn, Unit: 1, TID: 0x2000}
	basic := BasicTransactions()
	// Small ADUs only, so that everything fits a 1460-byte segment.
	var small []Transaction
	for _, t := range basic {
		if len(t.Request.Data) < 64 && len(t.Response.Data) < 100 {
			small = append(small, t)
		}
	}

	// Ten ADUs in one segment each way.
	pipeline(s, small[:10], whole, whole)
	thinkTime(c)
	// The rest of the small transactions in one segment each way.
	pipeline(s, small[10:], whole, whole)
	thinkTime(c)
	// A segment ending in the middle of the third ADU's PDU, the rest in
	// the next; responses cut inside the fourth ADU's MBAP header.
	pipeline(s, small[:5],
		func(o []int) Plan { return SplitAt(o[2] + 9) },
		func(o []int) Plan { return SplitAt(o[3] + 3) })
	thinkTime(c)
	// Three segments: head, tail+whole+head, tail.
	pipeline(s, small[5:9],
		func(o []int) Plan { return SplitAt(o[0]+5, o[2]+8) },
		func(o []int) Plan { return SplitAt(o[1]+7, o[3]+1) })
	thinkTime(c)
	// Segments cut exactly at ADU boundaries, with several ADUs each.
	pipeline(s, small[2:8],
		func(o []int) Plan { return SplitAt(o[3]) },
		func(o []int) Plan { return SplitAt(o[2], o[5]) })
	thinkTime(c)
	// One request per segment, coalesced responses.
	pipeline(s, small[:4],
		func(o []int) Plan { return SplitAt(o[1:]...) },
		whole)
	thinkTime(c)
	conn.Close(ClientToServer)
	return c
}

func buildOOORetrans() *Capture {
	c := NewCapture(4)
	cfg := modbusConn(hmiAddr, plcAddr, 40004)
	// Both directions cross the 2^32 boundary of the sequence space.
	cfg.ClientISN = 0xFFFFFF80
	cfg.ServerISN = 0xFFFFFFF0
	conn := c.NewConn(cfg)
	conn.Handshake()
	s := &Session{Conn: conn, Unit: 1, TID: 0x3000}
	basic := BasicTransactions()

	steps := []struct {
		t         Transaction
		req, resp Plan
	}{
		// Three pieces, the last one sent before the middle one.
		{basic[2], Reorder(SplitAt(4, 9), 0, 2, 1), Whole()},
		// Exact retransmissions.
		{basic[0], Retransmit(Whole(), 0), Retransmit(Whole(), 0)},
		// Second half before the first; a partial overlap that brings new
		// bytes ([0,8) then [5,end)).
		{basic[7], Reorder(SplitAt(7), 1, 0), Explicit(Piece{0, 8}, Piece{5, 12})},
		// Spurious retransmission overlapping two earlier segments.
		{basic[8], Then(SplitAt(6, 12), Piece{3, 9}), Then(SplitAt(8), Piece{4, 12})},
		// Out of order and overlapping: the end first, then a segment
		// overlapping it.
		{basic[1], Explicit(Piece{5, 12}, Piece{0, 8}), Explicit(Piece{10, 12}, Piece{0, 11})},
		// Large response in chunks: last chunk first, and the middle chunk
		// sent twice.
		{basic[13], Whole(), Retransmit(Reorder(Chunks(100), 2, 0, 1), 2)},
		// 1-byte segments, the last one first.
		{basic[14], Reorder(Bytewise(), 11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), Whole()},
	}
	for _, st := range steps {
		thinkTime(c)
		s.Exchange(st.t, st.req, st.resp)
	}
	thinkTime(c)
	// Pipelined: the second request arrives before the first, and the
	// responses are resent with an overlap.
	pipeline(s, basic[3:6],
		func(o []int) Plan { return Reorder(SplitAt(o[1:]...), 1, 2, 0) },
		func(o []int) Plan {
			return Explicit(Piece{0, o[2]}, Piece{0, o[1]}, Piece{o[1] - 3, o[2] + 4}, Piece{o[2], o[2] + 4}, Piece{o[2] + 2, o[2] + 12})
		})
	thinkTime(c)
	conn.Close(ClientToServer)
	return c
}

func buildMidstream() *Capture {
	c := NewCapture(5)
	conn := c.NewConn(modbusConn(hmiAddr, plcAddr, 40005))
	s := &Session{Conn: conn, Unit: 1, TID: 0x0750}
	// The request whose beginning was sent before the capture started.
	lost := Transaction{
		Request:  WriteMultipleRegisters(0x0010, []uint16{0x1234, 0x5678, 0x9ABC, 0xDEF0, 0x0F0F}),
		Response: WriteMultipleRegistersResponse(0x0010, 5),
	}
	tid := s.TID
	s.TID++
	adu := Frame(tid, s.Unit, lost.Request)
	conn.QueueRaw(ClientToServer, adu[len(adu)-9:])
	conn.Flush(ClientToServer, Whole())
	c.SleepBetween(serverDelayMin, serverDelayMax)
	s.QueueResponse(tid, lost)
	conn.Flush(ServerToClient, Whole())

	basic := BasicTransactions()
	for _, i := range []int{2, 3, 7, 16, 9, 5} {
		thinkTime(c)
		s.Exchange(basic[i], Whole(), Whole())
	}
	thinkTime(c)
	conn.Close(ClientToServer)
	return c
}

// interleave runs the step lists of several connections: at each turn it
// picks one of the lists that still has steps, at random, and runs its next
// step.
func interleave(c *Capture, lists [][]func(), pause func()) {
	active := make([]int, 0, len(lists))
	for i, l := range lists {
		if len(l) > 0 {
			active = append(active, i)
		}
	}
	next := make([]int, len(lists))
	for len(active) > 0 {
		k := c.rng.IntN(len(active))
		i := active[k]
		lists[i][next[i]]()
		next[i]++
		if next[i] == len(lists[i]) {
			active = append(active[:k], active[k+1:]...)
		}
		pause()
	}
}

// exchangeSteps returns two steps: send t's request with req, then its
// response with resp.
func exchangeSteps(s *Session, t Transaction, req, resp Plan) []func() {
	var tid uint16
	return []func(){
		func() {
			tid = s.QueueRequest(t)
			s.Conn.Flush(ClientToServer, req)
		},
		func() {
			s.QueueResponse(tid, t)
			s.Conn.Flush(ServerToClient, resp)
		},
	}
}

func buildVLANIPv6() *Capture {
	c := NewCapture(6)
	cfgs := []ConnConfig{
		modbusConn(hmiAddr6, plcAddr6, 40006),
		modbusConn(vlanHMI, vlanPLC, 40007),
		modbusConn(qinqHMI, qinqPLC, 40008),
		modbusConn(vlanHMI6, vlanPLC6, 40009),
	}
	cfgs[1].VLANs = []VLAN{{ID: 100}}
	cfgs[2].VLANs = []VLAN{{ID: 200, TPID: layers.EthernetTypeQinQ}, {ID: 10, Priority: 3}}
	cfgs[3].VLANs = []VLAN{{ID: 300, Priority: 5}}

	basic := BasicTransactions()
	lists := make([][]func(), len(cfgs))
	for i, cfg := range cfgs {
		conn := c.NewConn(cfg)
		s := &Session{Conn: conn, Unit: uint8(1 + i), TID: uint16(0x100 * (i + 1))}
		l := []func(){conn.Handshake}
		for j := range 4 {
			t := basic[(i*5+j*3)%len(basic)]
			req, resp := Whole(), Whole()
			if j == 2 {
				req, resp = SplitAt(tsharkMinHead), Chunks(tsharkMinHead)
			}
			l = append(l, exchangeSteps(s, t, req, resp)...)
		}
		l = append(l, func() { conn.Close(ClientToServer) })
		lists[i] = l
	}
	interleave(c, lists, func() { c.SleepBetween(100*time.Microsecond, 3*time.Millisecond) })
	return c
}

// tsharkMinHead is the smallest segment that may start with the beginning
// of an ADU in the captures checked with tshark: tshark 4.0's Modbus/TCP
// dissector ignores a segment shorter than 8 bytes that starts an ADU, and
// the ADU with it.
const tsharkMinHead = MBAPHeaderLen + 1

// randomSplit cuts the buffer once at a random offset, at least
// tsharkMinHead bytes from its start.
func randomSplit(c *Capture) Plan {
	return func(n int) []Piece {
		if n <= tsharkMinHead {
			return Whole()(n)
		}
		return SplitAt(tsharkMinHead + c.rng.IntN(n-tsharkMinHead))(n)
	}
}

// manyConnSteps returns the steps of one connection of modbus-many.
func manyConnSteps(c *Capture, i int) []func() {
	r := c.rng
	server := manyServer
	for range i % 3 {
		server = server.Next()
	}
	client := manyClient
	for range i % 50 {
		client = client.Next()
	}
	conn := c.NewConn(modbusConn(client, server, uint16(40000+i)))
	s := &Session{Conn: conn, Unit: uint8(1 + r.IntN(3)), TID: uint16(r.IntN(1 << 16))}
	steps := []func(){conn.Handshake}
	for left := 2 + r.IntN(5); left > 0; {
		switch k := r.IntN(100); {
		case k < 50:
			steps = append(steps, exchangeSteps(s, RandomTransaction(r), Whole(), Whole())...)
			left--
		case k < 62:
			steps = append(steps, exchangeSteps(s, RandomTransaction(r), randomSplit(c), Whole())...)
			left--
		case k < 72:
			steps = append(steps, exchangeSteps(s, RandomTransaction(r), Whole(), randomSplit(c))...)
			left--
		case k < 78:
			steps = append(steps, exchangeSteps(s, RandomTransaction(r), Chunks(tsharkMinHead), Chunks(tsharkMinHead))...)
			left--
		default:
			// Pipelined transactions, coalesced, possibly cut in the
			// middle of an ADU.
			n := min(left, 2+r.IntN(2))
			ts := make([]Transaction, n)
			for j := range ts {
				ts[j] = RandomTransaction(r)
			}
			req, resp := Whole(), Whole()
			if k >= 90 {
				req, resp = randomSplit(c), randomSplit(c)
			}
			var tids []uint16
			steps = append(steps,
				func() {
					tids, _ = queueBatch(s, ts, nil)
					conn.Flush(ClientToServer, req)
				},
				func() {
					queueBatch(s, ts, tids)
					conn.Flush(ServerToClient, resp)
				})
			left -= n
		}
	}
	first := ClientToServer
	if r.IntN(10) == 0 {
		first = ServerToClient
	}
	return append(steps, func() { conn.Close(first) })
}

func buildMany() *Capture {
	c := NewCapture(7)
	lists := make([][]func(), 300)
	for i := range lists {
		lists[i] = manyConnSteps(c, i)
	}
	interleave(c, lists, func() { c.SleepBetween(0, 1500*time.Microsecond) })
	return c
}
