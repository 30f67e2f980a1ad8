package pcapgen

import (
	"bytes"
	"net/netip"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

func testConn(c *Capture, client, server string, vlans ...VLAN) *Conn {
	return c.NewConn(ConnConfig{
		Client:    Endpoint{Addr: netip.MustParseAddr(client), Port: 40000},
		Server:    Endpoint{Addr: netip.MustParseAddr(server), Port: ModbusPort},
		VLANs:     vlans,
		ClientISN: 1000,
		ServerISN: 0xFFFFFFFE,
	})
}

// tcpSummary is what TestConnSegments checks of each segment.
type tcpSummary struct {
	flags    string
	seq, ack uint32
	len      int
}

func summarise(t *testing.T, p Packet) tcpSummary {
	t.Helper()
	pkt := gopacket.NewPacket(p.Data, layers.LayerTypeEthernet, gopacket.Default)
	tcp, ok := pkt.Layer(layers.LayerTypeTCP).(*layers.TCP)
	if !ok {
		t.Fatalf("no TCP layer: %v", pkt)
	}
	flags := ""
	for _, f := range []struct {
		on   bool
		name string
	}{{tcp.SYN, "S"}, {tcp.FIN, "F"}, {tcp.PSH, "P"}, {tcp.ACK, "."}} {
		if f.on {
			flags += f.name
		}
	}
	return tcpSummary{flags, tcp.Seq, tcp.Ack, len(tcp.Payload)}
}

func TestConnSegments(t *testing.T) {
	srv := uint32(0xFFFFFFFE) // server ISN: its sequence numbers wrap after 1 byte
	tests := []struct {
		name  string
		build func(cn *Conn)
		want  []tcpSummary
	}{
		{
			"handshake, exchange, close",
			func(cn *Conn) {
				cn.Handshake()
				cn.Send(ClientToServer, make([]byte, 12), KindRequest, Whole())
				cn.Send(ServerToClient, make([]byte, 11), KindResponse, Whole())
				cn.Close(ClientToServer)
			},
			[]tcpSummary{
				{"S", 1000, 0, 0},
				{"S.", srv, 1001, 0},
				{".", 1001, srv + 1, 0},
				{"P.", 1001, srv + 1, 12},
				{"P.", srv + 1, 1013, 11},
				{"F.", 1013, srv + 12, 0},
				{"F.", srv + 12, 1014, 0},
				{".", 1014, srv + 13, 0},
			},
		},
		{
			"no handshake, out of order, overlap, server closes",
			func(cn *Conn) {
				cn.Send(ClientToServer, make([]byte, 10), KindRequest, Explicit(Piece{4, 10}, Piece{0, 6}))
				cn.Ack(ServerToClient)
				cn.Close(ServerToClient)
			},
			[]tcpSummary{
				{"P.", 1005, srv + 1, 6},
				{"P.", 1001, srv + 1, 6},
				{".", srv + 1, 1011, 0},
				{"F.", srv + 1, 1011, 0},
				{"F.", 1011, srv + 2, 0},
				{".", srv + 2, 1012, 0},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCapture(1)
			tt.build(testConn(c, "10.0.0.2", "10.0.0.1"))
			pkts := c.Packets()
			if len(pkts) != len(tt.want) {
				t.Fatalf("%d packets, want %d", len(pkts), len(tt.want))
			}
			for i, p := range pkts {
				if got := summarise(t, p); got != tt.want[i] {
					t.Errorf("packet %d: got %+v, want %+v", i+1, got, tt.want[i])
				}
			}
		})
	}
}

func TestConnLayers(t *testing.T) {
	tests := []struct {
		name           string
		client, server string
		vlans          []VLAN
		want           []gopacket.LayerType
		frameLen       int // length of a pure ACK
	}{
		{"IPv4", "10.0.0.2", "10.0.0.1", nil,
			[]gopacket.LayerType{layers.LayerTypeEthernet, layers.LayerTypeIPv4, layers.LayerTypeTCP}, 60},
		{"IPv6", "2001:db8::2", "2001:db8::1", nil,
			[]gopacket.LayerType{layers.LayerTypeEthernet, layers.LayerTypeIPv6, layers.LayerTypeTCP}, 74},
		{"802.1Q", "10.0.0.2", "10.0.0.1", []VLAN{{ID: 100}},
			[]gopacket.LayerType{layers.LayerTypeEthernet, layers.LayerTypeDot1Q, layers.LayerTypeIPv4, layers.LayerTypeTCP}, 60},
		{"QinQ", "10.0.0.2", "10.0.0.1", []VLAN{{ID: 200, TPID: layers.EthernetTypeQinQ}, {ID: 10}},
			[]gopacket.LayerType{layers.LayerTypeEthernet, layers.LayerTypeDot1Q, layers.LayerTypeDot1Q, layers.LayerTypeIPv4, layers.LayerTypeTCP}, 62},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCapture(1)
			testConn(c, tt.client, tt.server, tt.vlans...).Ack(ClientToServer)
			data := c.Packets()[0].Data
			if len(data) != tt.frameLen {
				t.Errorf("frame of %d bytes, want %d", len(data), tt.frameLen)
			}
			pkt := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.Default)
			var got []gopacket.LayerType
			for _, l := range pkt.Layers() {
				got = append(got, l.LayerType())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("layers %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("layers %v, want %v", got, tt.want)
				}
			}
			for i, v := range tt.vlans {
				tag := pkt.Layers()[1+i].(*layers.Dot1Q)
				if tag.VLANIdentifier != v.ID {
					t.Errorf("tag %d: VLAN %d, want %d", i, tag.VLANIdentifier, v.ID)
				}
			}
			if len(tt.vlans) > 0 {
				eth := pkt.Layers()[0].(*layers.Ethernet)
				want := tt.vlans[0].TPID
				if want == 0 {
					want = layers.EthernetTypeDot1Q
				}
				if eth.EthernetType != want {
					t.Errorf("outer TPID %v, want %v", eth.EthernetType, want)
				}
			}
		})
	}
}

func TestNewConnRejectsBadConfig(t *testing.T) {
	v4, v6 := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("2001:db8::1")
	tests := []struct {
		name string
		cfg  ConnConfig
	}{
		{"no address", ConnConfig{Client: Endpoint{Port: 1}, Server: Endpoint{Addr: v4, Port: 2}}},
		{"mixed families", ConnConfig{Client: Endpoint{Addr: v6, Port: 1}, Server: Endpoint{Addr: v4, Port: 2}}},
		{"zero port", ConnConfig{Client: Endpoint{Addr: v4}, Server: Endpoint{Addr: v4, Port: 2}}},
		{"VLAN 4095", ConnConfig{Client: Endpoint{Addr: v4, Port: 1}, Server: Endpoint{Addr: v4, Port: 2}, VLANs: []VLAN{{ID: 4095}}}},
		{"short MAC", ConnConfig{Client: Endpoint{Addr: v4, Port: 1, MAC: []byte{1}}, Server: Endpoint{Addr: v4, Port: 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("NewConn did not panic")
				}
			}()
			NewCapture(1).NewConn(tt.cfg)
		})
	}
}

func TestStats(t *testing.T) {
	req := Frame(1, 1, ReadCoils(0, 8))
	resp := Frame(1, 1, ReadCoilsResponse(make([]bool, 8)))
	exc := Frame(2, 1, Exception(FuncReadCoils, ExIllegalDataAddress))
	tests := []struct {
		name  string
		build func(c *Capture)
		want  Stats
	}{
		{"empty", func(*Capture) {}, Stats{}},
		{"handshake only", func(c *Capture) { testConn(c, "10.0.0.2", "10.0.0.1").Handshake() }, Stats{Packets: 3, Conns: 1}},
		{
			"exchange with exception",
			func(c *Capture) {
				cn := testConn(c, "10.0.0.2", "10.0.0.1")
				cn.Queue(ClientToServer, req, KindRequest)
				cn.Queue(ClientToServer, req, KindRequest)
				cn.Flush(ClientToServer, Whole())
				cn.Queue(ServerToClient, resp, KindResponse)
				cn.Queue(ServerToClient, exc, KindException)
				cn.Flush(ServerToClient, SplitAt(3, 15))
			},
			Stats{Packets: 4, Conns: 1, Requests: 2, Responses: 2, Exceptions: 1},
		},
		{
			"raw bytes are not counted",
			func(c *Capture) {
				cn := testConn(c, "10.0.0.2", "10.0.0.1")
				cn.QueueRaw(ClientToServer, req[5:])
				cn.Queue(ClientToServer, req, KindRequest)
				cn.Flush(ClientToServer, Whole())
			},
			Stats{Packets: 1, Conns: 1, Requests: 1},
		},
		{
			"cut last packet",
			func(c *Capture) {
				cn := testConn(c, "10.0.0.2", "10.0.0.1")
				cn.Send(ClientToServer, req, KindRequest, Whole())
				cn.Send(ServerToClient, resp, KindResponse, SplitAt(4))
				c.CutLast()
			},
			Stats{Packets: 3, Conns: 1, Requests: 1},
		},
		{
			"cut retransmission",
			func(c *Capture) {
				cn := testConn(c, "10.0.0.2", "10.0.0.1")
				cn.Send(ClientToServer, req, KindRequest, Retransmit(Whole(), 0))
				c.CutLast()
			},
			Stats{Packets: 2, Conns: 1, Requests: 1},
		},
		{
			"two connections",
			func(c *Capture) {
				testConn(c, "10.0.0.2", "10.0.0.1").Send(ClientToServer, req, KindRequest, Bytewise())
				testConn(c, "10.0.0.3", "10.0.0.1").Send(ServerToClient, resp, KindResponse, Reorder(SplitAt(5), 1, 0))
			},
			Stats{Packets: len(req) + 2, Conns: 2, Requests: 1, Responses: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCapture(1)
			tt.build(c)
			if got := c.Stats(); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestClock(t *testing.T) {
	c := NewCapture(1)
	cn := testConn(c, "10.0.0.2", "10.0.0.1")
	cn.Handshake()
	c.Sleep(time.Second + 1500*time.Nanosecond)
	cn.Ack(ClientToServer)
	pkts := c.Packets()
	if !pkts[0].Time.Equal(BaseTime()) {
		t.Errorf("first packet at %v, want %v", pkts[0].Time, BaseTime())
	}
	for i := 1; i < len(pkts); i++ {
		gap := pkts[i].Time.Sub(pkts[i-1].Time)
		if gap <= 0 || gap%time.Microsecond != 0 {
			t.Errorf("packet %d: gap %v", i+1, gap)
		}
	}
	if gap := pkts[3].Time.Sub(pkts[2].Time); gap < time.Second+time.Microsecond {
		t.Errorf("Sleep: gap %v", gap)
	}
}

func TestEncodeCut(t *testing.T) {
	build := func(cut bool) *Capture {
		c := NewCapture(1)
		testConn(c, "10.0.0.2", "10.0.0.1").Send(ClientToServer, make([]byte, 41), KindRequest, SplitAt(20))
		if cut {
			c.CutLast()
		}
		return c
	}
	tests := []struct {
		format Format
		name   string
	}{
		{FormatPcap, "x.pcap"},
		{FormatPcapNG, "x.pcapng"},
		{FormatPcapGzip, "x.pcap.gz"},
	}
	for _, tt := range tests {
		t.Run(tt.format.String(), func(t *testing.T) {
			if f, err := FormatOf(tt.name); err != nil || f != tt.format {
				t.Errorf("FormatOf(%q) = %v, %v", tt.name, f, err)
			}
			var full, cut bytes.Buffer
			if err := build(false).Encode(&full, tt.format); err != nil {
				t.Fatal(err)
			}
			if err := build(true).Encode(&cut, tt.format); err != nil {
				t.Fatal(err)
			}
			for _, f := range []struct {
				data    []byte
				wantCut bool
			}{{full.Bytes(), false}, {cut.Bytes(), true}} {
				pkts, isCut, err := readCapture(tt.name, f.data)
				if err != nil {
					t.Fatal(err)
				}
				if isCut != f.wantCut || len(pkts) != 2-boolToInt(f.wantCut) {
					t.Errorf("cut=%v: read %d packets, cut %v", f.wantCut, len(pkts), isCut)
				}
			}
			if tt.format != FormatPcapGzip {
				last := build(false).Packets()[1].Data
				trailer := 0
				if tt.format == FormatPcapNG {
					trailer = (4-len(last)%4)%4 + 4
				}
				if d := full.Len() - cut.Len(); d != len(last)-len(last)/2+trailer {
					t.Errorf("cut %d bytes off a last frame of %d", d, len(last))
				}
			}
		})
	}
	if _, err := FormatOf("x.cap"); err == nil {
		t.Error("FormatOf(x.cap) did not fail")
	}
}

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
