package pipeline

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/internal/pcapgen"
	"github.com/dissect-project/dissect/schema"
)

// protoLog records the protocol, direction and summary of every record.
type protoLog struct {
	lines []string
	kinds map[dissectors.RecordKind]int
	errs  int
}

func (l *protoLog) Emit(r *dissectors.Record) error {
	if l.kinds == nil {
		l.kinds = map[dissectors.RecordKind]int{}
	}
	l.kinds[r.Kind]++
	if r.Err() != "" {
		l.errs++
	}
	if r.Kind == dissectors.KindFrame {
		l.lines = append(l.lines, fmt.Sprintf("%d %s %s %d→%d", r.LastPacket, r.Protocol.Name, r.Dir, r.Conn.Client.Port, r.Conn.Server.Port))
	}
	return nil
}

// runCapture dissects a capture built in memory with the bundled library
// and the given --decode-as rules.
func runCapture(t *testing.T, c *pcapgen.Capture, rules ...string) (*protoLog, Summary) {
	t.Helper()
	var b bytes.Buffer
	if err := c.Encode(&b, pcapgen.FormatPcap); err != nil {
		t.Fatal(err)
	}
	return runBytes(t, b.Bytes(), rules...)
}

// runBytes dissects a capture file's bytes with the bundled library and
// the given --decode-as rules.
func runBytes(t *testing.T, data []byte, rules ...string) (*protoLog, Summary) {
	t.Helper()
	reg := bundledRegistry(t)
	for _, r := range rules {
		if err := reg.DecodeAs(r); err != nil {
			t.Fatal(err)
		}
	}
	src, err := capture.NewSource("test", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	log := &protoLog{}
	sum, err := Run(src, Config{Registry: reg, Sink: log})
	if err != nil {
		t.Fatal(err)
	}
	return log, sum
}

// protocolCapture returns the bytes of a generated protocol capture.
func protocolCapture(t *testing.T, file string) []byte {
	t.Helper()
	for _, p := range pcapgen.ProtocolCaptures() {
		if p.File == file {
			var b bytes.Buffer
			if err := p.Write(&b); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}
	}
	t.Fatalf("no generated capture %s", file)
	return nil
}

// Protocols on ports that are not theirs are found by the content of
// their first frames, with the client and server the right way round;
// --decode-as still wins.
func TestHeuristicDetection(t *testing.T) {
	tests := []struct {
		file  string
		rules []string
		want  []string
	}{
		{"modbus-heuristic-port5020.pcap", nil, []string{
			"5 modbus request 49152→5020", "6 modbus response 49152→5020",
			"7 modbus request 49152→5020", "8 modbus response 49152→5020",
			"9 modbus request 49152→5020", "10 modbus response 49152→5020",
			"11 modbus request 49152→5020", "12 modbus response 49152→5020",
		}},
		{"mqtt-heuristic-port18830.pcap", nil, []string{
			"6 mqtt request 50100→18830", "7 mqtt response 50100→18830",
			"8 mqtt request 50100→18830", "9 mqtt response 50100→18830",
			"10 mqtt request 50100→18830", "11 mqtt response 50100→18830",
			"12 mqtt request 50100→18830", "13 mqtt response 50100→18830",
			"14 mqtt request 50100→18830",
		}},
		// --decode-as beats the heuristic: the Modbus bytes are not MQTT.
		{"modbus-heuristic-port5020.pcap", []string{"tcp.port==5020:mqtt"}, nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.file, tt.rules), func(t *testing.T) {
			log, sum := runBytes(t, protocolCapture(t, tt.file), tt.rules...)
			if len(tt.rules) > 0 {
				if log.kinds[dissectors.KindSkipped] == 0 || len(log.lines) == len(tt.want)+8 {
					t.Fatalf("--decode-as did not win: %v %v", log.kinds, log.lines)
				}
				for _, l := range log.lines {
					if !bytes.Contains([]byte(l), []byte(" mqtt ")) {
						t.Errorf("record of another protocol than the --decode-as one: %s", l)
					}
				}
				return
			}
			if fmt.Sprint(log.lines) != fmt.Sprint(tt.want) {
				t.Errorf("records:\n got %v\nwant %v", log.lines, tt.want)
			}
			if log.errs != 0 || log.kinds[dissectors.KindSkipped] != 0 {
				t.Errorf("%d errors, %d skipped runs", log.errs, log.kinds[dissectors.KindSkipped])
			}
			if wantConns := min(len(tt.want), 1); sum.Conns != uint64(wantConns) {
				t.Errorf("%d connections dissected, want %d", sum.Conns, wantConns)
			}
			if len(tt.want) > 0 && sum.Matched != uint64(len(tt.want)/2) {
				t.Errorf("%d responses paired, want %d", sum.Matched, len(tt.want)/2)
			}
		})
	}
}

// Traffic of no protocol on unbound ports is claimed by no heuristic.
func TestHeuristicNoise(t *testing.T) {
	log, sum := runCapture(t, pcapgen.HeuristicNoise())
	if len(log.lines) != 0 || sum.Conns != 0 {
		t.Errorf("%d connections dissected, records %v", sum.Conns, log.lines)
	}
}

// stunBinding is a STUN Binding request or success response with one
// XOR-MAPPED-ADDRESS attribute (in the response).
func stunBinding(response bool, id byte) []byte {
	b := []byte{0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42}
	for i := range 12 {
		b = append(b, id+byte(i))
	}
	if response {
		b[0], b[1], b[3] = 0x01, 0x01, 12
		b = append(b, 0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xA1, 0x47, 0xE1, 0x12, 0xA6, 0x43)
	}
	return b
}

// UDP flows are judged by their first datagrams, in either direction, and
// remembered: a flow nobody claims is not judged again and again.
func TestHeuristicUDP(t *testing.T) {
	c := pcapgen.NewCapture(7)
	client := pcapgen.Endpoint{Addr: netip.MustParseAddr("10.9.0.2"), Port: 40000}
	server := pcapgen.Endpoint{Addr: netip.MustParseAddr("10.9.0.1"), Port: 13478}
	other := pcapgen.Endpoint{Addr: netip.MustParseAddr("10.9.0.3"), Port: 40001}
	c.Datagram(client, server, stunBinding(false, 1))
	c.Datagram(server, client, stunBinding(true, 1))
	// A flow whose first datagrams are not STUN is given up on: later
	// STUN in it is not decoded.
	for range 10 {
		c.Datagram(other, server, bytes.Repeat([]byte{0x21, 0x12, 0xA4, 0x42}, 5))
	}
	c.Datagram(other, server, stunBinding(false, 9))
	// A flow that starts with a little junk is still recognised.
	late := pcapgen.Endpoint{Addr: netip.MustParseAddr("10.9.0.4"), Port: 40002}
	c.Datagram(late, server, []byte("junk"))
	c.Datagram(late, server, stunBinding(false, 5))
	log, _ := runCapture(t, c)
	want := []string{"1 stun request 40000→13478", "2 stun response 40000→13478", "15 stun request 40002→13478"}
	if fmt.Sprint(log.lines) != fmt.Sprint(want) {
		t.Errorf("records:\n got %v\nwant %v", log.lines, want)
	}
	// A STUN response first decides a fresh flow, with its sender as server.
	c = pcapgen.NewCapture(8)
	c.Datagram(server, client, stunBinding(true, 1))
	c.Datagram(client, server, stunBinding(false, 2))
	log, _ = runCapture(t, c)
	want = []string{"1 stun response 40000→13478", "2 stun request 40000→13478"}
	if fmt.Sprint(log.lines) != fmt.Sprint(want) {
		t.Errorf("response first:\n got %v\nwant %v", log.lines, want)
	}
}

// No bundled heuristic claims random bytes, whatever their length, as
// either a client's or a server's first bytes, on TCP or UDP.
func TestHeuristicRandomBytes(t *testing.T) {
	reg := bundledRegistry(t)
	rng := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, 600)
	for _, transport := range []string{"tcp", "udp"} {
		dets := reg.Heuristics(transport)
		if len(dets) == 0 {
			t.Fatalf("no %s heuristics", transport)
		}
		for i := range 20000 {
			n := 1 + rng.IntN(len(buf))
			for j := range buf[:n] {
				buf[j] = byte(rng.Uint32())
			}
			for _, d := range dets {
				for _, resp := range []bool{false, true} {
					if v := d.Detect(buf[:n], resp, transport == "udp"); v == schema.VerdictYes {
						t.Fatalf("trial %d: %s claims %d random bytes (response %v): % x", i, d.Info().Name, n, resp, buf[:min(n, 32)])
					}
				}
			}
		}
	}
}

// Once a connection is known to match nothing, its bytes cost nothing.
func TestHeuristicRejectedIsCheap(t *testing.T) {
	reg := bundledRegistry(t)
	h := &handler{cfg: Config{Registry: reg, Sink: &protoLog{}}}
	flow := capture.Flow{Initiator: capture.Endpoint{Port: 40000}, Responder: capture.Endpoint{Port: 9}, SawSYN: true}
	s := h.openSniffer(flow).(*sniffConn)
	seg := &capture.Segment{Bytes: []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")}
	s.Data(capture.FromInitiator, seg)
	seg2 := &capture.Segment{Bytes: []byte("HTTP/1.1 200 OK\r\n\r\n")}
	s.Data(capture.FromResponder, seg2)
	if !s.rejected {
		t.Fatal("HTTP was not rejected by every heuristic")
	}
	if a := testing.AllocsPerRun(100, func() { s.Data(capture.FromInitiator, seg) }); a != 0 {
		t.Errorf("%v allocations per segment of a rejected connection", a)
	}
}

// BenchmarkHeuristicDecide measures deciding a connection's protocol from
// its first segment: every TCP heuristic in turn, for a Modbus request (the
// fourth candidate by name), and for bytes that match nothing.
func BenchmarkHeuristicDecide(b *testing.B) {
	reg := bundledRegistry(b)
	dets := reg.Heuristics("tcp")
	inputs := map[string][]byte{
		"modbus":  pcapgen.MBAPFrame(1, 1, []byte{3, 0, 0, 0, 10}),
		"nothing": []byte("GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n"),
	}
	for _, name := range []string{"modbus", "nothing"} {
		data := inputs[name]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, d := range dets {
					if d.Detect(data, false, false) == schema.VerdictYes {
						break
					}
				}
			}
		})
	}
}

// BenchmarkHeuristicRejected measures a segment of a connection that no
// heuristic matched: the cost of ignoring it.
func BenchmarkHeuristicRejected(b *testing.B) {
	reg := bundledRegistry(b)
	h := &handler{cfg: Config{Registry: reg, Sink: &protoLog{}}}
	s := h.openSniffer(capture.Flow{SawSYN: true}).(*sniffConn)
	seg := &capture.Segment{Bytes: []byte("GET / HTTP/1.1\r\n\r\n")}
	s.Data(capture.FromInitiator, seg)
	s.Data(capture.FromResponder, seg)
	if !s.rejected {
		b.Fatal("not rejected")
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Data(capture.FromInitiator, seg)
	}
}

// Without the handshake either side's first frame may decide, as a
// request or as a response: here the server's response comes first, split
// over two segments, and the roles still come out right.
func TestHeuristicWithoutHandshake(t *testing.T) {
	c := pcapgen.NewCapture(9)
	conn := c.NewConn(pcapgen.ConnConfig{
		Client: pcapgen.Endpoint{Addr: netip.MustParseAddr("10.8.0.2"), Port: 41000},
		Server: pcapgen.Endpoint{Addr: netip.MustParseAddr("10.8.0.1"), Port: 10502},
	})
	conn.Send(pcapgen.ServerToClient, pcapgen.MBAPFrame(7, 1, []byte{3, 2, 0x12, 0x34}), pcapgen.KindResponse, pcapgen.SplitAt(5))
	conn.Send(pcapgen.ClientToServer, pcapgen.MBAPFrame(8, 1, []byte{3, 0, 1, 0, 1}), pcapgen.KindRequest, pcapgen.Whole())
	conn.Send(pcapgen.ServerToClient, pcapgen.MBAPFrame(8, 1, []byte{3, 2, 0, 9}), pcapgen.KindResponse, pcapgen.Whole())
	log, sum := runCapture(t, c)
	want := []string{"2 modbus response 41000→10502", "3 modbus request 41000→10502", "4 modbus response 41000→10502"}
	if fmt.Sprint(log.lines) != fmt.Sprint(want) {
		t.Errorf("records:\n got %v\nwant %v", log.lines, want)
	}
	if sum.Matched != 1 || sum.Unsolicited != 1 {
		t.Errorf("%d matched, %d unsolicited; want 1 and 1", sum.Matched, sum.Unsolicited)
	}
}
