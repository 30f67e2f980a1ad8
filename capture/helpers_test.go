package capture

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Test endpoints.
var (
	cli4 = ep("10.0.0.1", 40000)
	srv4 = ep("10.0.0.2", 80)
	cli6 = ep("2001:db8::1", 40001)
	srv6 = ep("2001:db8::2", 443)
)

// baseTime is the timestamp of the first test packet.
var baseTime = time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)

func ep(addr string, port uint16) Endpoint {
	return Endpoint{Addr: netip.MustParseAddr(addr), Port: port}
}

// link is the encapsulation of a test packet.
type link int

const (
	linkEthernet link = iota
	linkDot1Q
	linkQinQ
	linkSLL
	linkSLL2
	linkRaw
	linkRawTyped // LINKTYPE_IPV4 or LINKTYPE_IPV6, depending on the address
	linkNull
	linkLoop
)

func (l link) String() string {
	return [...]string{"Ethernet", "802.1Q", "QinQ", "Linux SLL", "Linux SLL2", "raw IP", "raw IPv4/IPv6", "BSD loopback", "OpenBSD loopback"}[l]
}

// linkType returns the pcap link type of captures of l, for packets whose
// IP version is that of addr.
func (l link) linkType(addr netip.Addr) layers.LinkType {
	switch l {
	case linkSLL:
		return layers.LinkTypeLinuxSLL
	case linkSLL2:
		return layers.LinkTypeLinuxSLL2
	case linkRaw:
		return layers.LinkTypeRaw
	case linkRawTyped:
		if addr.Is4() {
			return layers.LinkTypeIPv4
		}
		return layers.LinkTypeIPv6
	case linkNull:
		return layers.LinkTypeNull
	case linkLoop:
		return layers.LinkTypeLoop
	}
	return layers.LinkTypeEthernet
}

var (
	macA = net.HardwareAddr{0x02, 0, 0, 0, 0, 0xa}
	macB = net.HardwareAddr{0x02, 0, 0, 0, 0, 0xb}
)

// serialize serializes ls, fixing lengths and checksums.
func serialize(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, ls...); err != nil {
		t.Fatalf("serialize: %v", err)
	}
	return slices.Clone(buf.Bytes())
}

// ipLayers returns the IP layer for src->dst with protocol proto.
func ipLayer(src, dst netip.Addr, proto layers.IPProtocol) gopacket.NetworkLayer {
	if src.Is4() {
		return &layers.IPv4{Version: 4, TTL: 64, Protocol: proto, SrcIP: src.AsSlice(), DstIP: dst.AsSlice()}
	}
	return &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: proto, SrcIP: src.AsSlice(), DstIP: dst.AsSlice()}
}

// frame encapsulates the IP packet ip (given as serializable layers, the
// first being the IP header of version given by addr) in link l.
func frame(t testing.TB, l link, addr netip.Addr, ip ...gopacket.SerializableLayer) []byte {
	t.Helper()
	etype, family := layers.EthernetTypeIPv4, uint32(layers.ProtocolFamilyIPv4)
	if addr.Is6() {
		etype, family = layers.EthernetTypeIPv6, uint32(layers.ProtocolFamilyIPv6BSD)
	}
	eth := &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: etype}
	switch l {
	case linkEthernet:
		return serialize(t, append([]gopacket.SerializableLayer{eth}, ip...)...)
	case linkDot1Q:
		eth.EthernetType = layers.EthernetTypeDot1Q
		tag := &layers.Dot1Q{VLANIdentifier: 10, Type: etype}
		return serialize(t, append([]gopacket.SerializableLayer{eth, tag}, ip...)...)
	case linkQinQ:
		eth.EthernetType = layers.EthernetTypeQinQ
		outer := &layers.Dot1Q{VLANIdentifier: 100, Type: layers.EthernetTypeDot1Q}
		inner := &layers.Dot1Q{VLANIdentifier: 10, Type: etype}
		return serialize(t, append([]gopacket.SerializableLayer{eth, outer, inner}, ip...)...)
	case linkRaw, linkRawTyped:
		return serialize(t, ip...)
	case linkSLL:
		hdr := make([]byte, 16)
		binary.BigEndian.PutUint16(hdr[0:], 4) // sent by us
		binary.BigEndian.PutUint16(hdr[2:], 1) // ARPHRD_ETHER
		binary.BigEndian.PutUint16(hdr[4:], 6)
		copy(hdr[6:], macA)
		binary.BigEndian.PutUint16(hdr[14:], uint16(etype))
		return append(hdr, serialize(t, ip...)...)
	case linkSLL2:
		hdr := make([]byte, 20)
		binary.BigEndian.PutUint16(hdr[0:], uint16(etype))
		binary.BigEndian.PutUint32(hdr[4:], 2) // interface index
		binary.BigEndian.PutUint16(hdr[8:], 1) // ARPHRD_ETHER
		hdr[10] = 4
		hdr[11] = 6
		copy(hdr[12:], macA)
		return append(hdr, serialize(t, ip...)...)
	case linkNull:
		hdr := binary.LittleEndian.AppendUint32(nil, family)
		return append(hdr, serialize(t, ip...)...)
	case linkLoop:
		hdr := binary.BigEndian.AppendUint32(nil, family)
		return append(hdr, serialize(t, ip...)...)
	}
	t.Fatalf("unknown link %d", l)
	return nil
}

// udpFrame builds a UDP datagram.
func udpFrame(t testing.TB, l link, src, dst Endpoint, payload string) []byte {
	t.Helper()
	ip := ipLayer(src.Addr, dst.Addr, layers.IPProtocolUDP)
	udp := &layers.UDP{SrcPort: layers.UDPPort(src.Port), DstPort: layers.UDPPort(dst.Port)}
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		t.Fatal(err)
	}
	return frame(t, l, src.Addr, ip.(gopacket.SerializableLayer), udp, gopacket.Payload(payload))
}

// tcpFrame builds a TCP segment. flags holds S, A, F, R and P.
func tcpFrame(t testing.TB, l link, src, dst Endpoint, seq, ack uint32, flags, payload string) []byte {
	t.Helper()
	ip := ipLayer(src.Addr, dst.Addr, layers.IPProtocolTCP)
	tcp := &layers.TCP{
		SrcPort: layers.TCPPort(src.Port), DstPort: layers.TCPPort(dst.Port),
		Seq: seq, Window: 65535,
		SYN: strings.Contains(flags, "S"), FIN: strings.Contains(flags, "F"),
		RST: strings.Contains(flags, "R"), PSH: strings.Contains(flags, "P"),
		ACK: strings.Contains(flags, "A"),
	}
	if tcp.ACK {
		tcp.Ack = ack
	}
	if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
		t.Fatal(err)
	}
	return frame(t, l, src.Addr, ip.(gopacket.SerializableLayer), tcp, gopacket.Payload(payload))
}

// conv builds the segments of one TCP connection, keeping track of the
// sequence numbers of both directions.
type conv struct {
	t    testing.TB
	link link
	ends [2]Endpoint // indexed by Direction: the client is FromInitiator
	next [2]uint32   // next sequence number per direction
}

func newConv(t testing.TB, l link, cli, srv Endpoint) *conv {
	return &conv{t: t, link: l, ends: [2]Endpoint{cli, srv}, next: [2]uint32{1000, 900000}}
}

// seg returns the next segment of dir and advances its sequence number.
func (c *conv) seg(dir Direction, flags, payload string) []byte {
	c.t.Helper()
	b := c.segAt(dir, flags, c.next[dir], payload)
	c.next[dir] += uint32(len(payload))
	if strings.Contains(flags, "S") {
		c.next[dir]++
	}
	if strings.Contains(flags, "F") {
		c.next[dir]++
	}
	return b
}

// segAt returns a segment of dir at sequence number seq.
func (c *conv) segAt(dir Direction, flags string, seq uint32, payload string) []byte {
	c.t.Helper()
	return tcpFrame(c.t, c.link, c.ends[dir], c.ends[1-dir], seq, c.next[1-dir], flags, payload)
}

// testPacket is a packet of a test capture.
type testPacket struct {
	ts    time.Time
	data  []byte
	iface int // pcapng interface
	cut   int // bytes of the packet not captured (snap length)
}

// capBuilder collects the packets of a test capture.
type capBuilder struct {
	pkts []testPacket
	at   time.Duration // offset of the next packet from baseTime
}

// add appends a packet 1ms after the previous one and returns its number.
func (b *capBuilder) add(data []byte) uint64 {
	b.at += time.Millisecond
	b.pkts = append(b.pkts, testPacket{ts: baseTime.Add(b.at), data: data})
	return uint64(len(b.pkts))
}

// addAfter appends a packet d after the previous one.
func (b *capBuilder) addAfter(d time.Duration, data []byte) uint64 {
	b.at += d - time.Millisecond
	return b.add(data)
}

// writePcap writes a classic little-endian pcap with microsecond (or
// nanosecond) timestamps.
func writePcap(t testing.TB, lt layers.LinkType, pkts []testPacket, nanos bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	if nanos {
		w = pcapgo.NewWriterNanos(&buf)
	}
	if err := w.WriteFileHeader(65535, lt); err != nil {
		t.Fatal(err)
	}
	for _, p := range pkts {
		ci := gopacket.CaptureInfo{Timestamp: p.ts, CaptureLength: len(p.data), Length: len(p.data) + p.cut}
		if err := w.WritePacket(ci, p.data); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// pcapToBigEndian rewrites a little-endian pcap in big-endian byte order.
func pcapToBigEndian(t testing.TB, le []byte) []byte {
	t.Helper()
	be := slices.Clone(le)
	swap32 := func(b []byte) { binary.BigEndian.PutUint32(b, binary.LittleEndian.Uint32(b)) }
	swap16 := func(b []byte) { binary.BigEndian.PutUint16(b, binary.LittleEndian.Uint16(b)) }
	swap32(be[0:])
	swap16(be[4:])
	swap16(be[6:])
	for _, off := range []int{8, 12, 16, 20} {
		swap32(be[off:])
	}
	for off := 24; off < len(be); {
		if off+16 > len(be) {
			t.Fatal("bad pcap")
		}
		caplen := int(binary.LittleEndian.Uint32(le[off+8:]))
		for i := 0; i < 16; i += 4 {
			swap32(be[off+i:])
		}
		off += 16 + caplen
	}
	return be
}

// writePcapng writes a pcapng file with one interface per link type.
func writePcapng(t testing.TB, ifaces []layers.LinkType, pkts []testPacket) []byte {
	t.Helper()
	var buf bytes.Buffer
	intf := pcapgo.DefaultNgInterface
	intf.LinkType = ifaces[0]
	w, err := pcapgo.NewNgWriterInterface(&buf, intf, pcapgo.NgWriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, lt := range ifaces[1:] {
		intf.Name = fmt.Sprintf("intf%d", i+1)
		intf.LinkType = lt
		if _, err := w.AddInterface(intf); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range pkts {
		ci := gopacket.CaptureInfo{Timestamp: p.ts, CaptureLength: len(p.data), Length: len(p.data), InterfaceIndex: p.iface}
		if err := w.WritePacket(ci, p.data); err != nil {
			t.Fatal(err)
		}
	}
	// End with statistics, as dumpcap does.
	for i := range ifaces {
		stats := pcapgo.NgInterfaceStatistics{LastUpdate: baseTime, PacketsReceived: uint64(len(pkts)), PacketsDropped: pcapgo.NgNoValue64}
		if err := w.WriteInterfaceStats(i, stats); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// gapRec is a recorded Gap call.
type gapRec struct {
	Dir     Direction
	Missing int
	At      uint64
}

// gotStream is what a recorder saw of one connection.
type gotStream struct {
	Flow      Flow
	First     uint64
	Data      [2]string
	Midstream [2]bool     // Midstream of the first Data of each direction
	Pkts      [2][]uint64 // packet of each byte, from PacketAt
	Gaps      []gapRec
	Closes    int
	CloseAt   uint64

	datas [2]int // Data calls per direction
}

// datagram is a recorded Datagram call.
type datagram struct {
	Src, Dst Endpoint
	Payload  string
	Pkt      uint64
}

// recorder is a Handler that records everything and checks the calls are
// consistent.
type recorder struct {
	t         testing.TB
	streams   []*gotStream
	datagrams []datagram
	times     map[uint64]time.Time // timestamps seen, by packet number
	ignore    func(Flow) bool      // connections to ignore
	onData    func(*gotStream)     // called after each Data
	events    []string             // "open 0", "data 0 initiator", "gap 0 responder", "close 0"
}

func newRecorder(t testing.TB) *recorder {
	return &recorder{t: t, times: make(map[uint64]time.Time)}
}

// seen checks that a packet number always comes with the same timestamp.
func (r *recorder) seen(p Packet) {
	r.t.Helper()
	if p.Number == 0 {
		r.t.Errorf("packet number 0")
		return
	}
	if ts, ok := r.times[p.Number]; ok && !ts.Equal(p.Time) {
		r.t.Errorf("packet %d has times %v and %v", p.Number, ts, p.Time)
	}
	r.times[p.Number] = p.Time
}

func (r *recorder) OpenStream(flow Flow, first Packet) StreamHandler {
	r.seen(first)
	if flow.ID != uint64(len(r.streams)) && r.ignore == nil {
		r.t.Errorf("flow ID %d, want %d", flow.ID, len(r.streams))
	}
	if r.ignore != nil && r.ignore(flow) {
		return nil
	}
	s := &gotStream{Flow: flow, First: first.Number}
	r.streams = append(r.streams, s)
	r.events = append(r.events, fmt.Sprint("open ", flow.ID))
	return &streamRecorder{r: r, s: s}
}

func (r *recorder) Datagram(src, dst Endpoint, payload []byte, pkt Packet) {
	r.seen(pkt)
	r.datagrams = append(r.datagrams, datagram{src, dst, string(payload), pkt.Number})
}

type streamRecorder struct {
	r *recorder
	s *gotStream
}

func (sr *streamRecorder) Data(dir Direction, seg *Segment) {
	t, s := sr.r.t, sr.s
	if s.Closes > 0 {
		t.Errorf("stream %d: Data after Close", s.Flow.ID)
	}
	if dir > FromResponder {
		t.Fatalf("bad direction %d", dir)
	}
	if len(seg.Bytes) == 0 {
		t.Errorf("stream %d: empty Data", s.Flow.ID)
	}
	if s.datas[dir] == 0 {
		s.Midstream[dir] = seg.Midstream
	} else if seg.Midstream {
		t.Errorf("stream %d %v: Midstream on Data #%d", s.Flow.ID, dir, s.datas[dir]+1)
	}
	s.datas[dir]++
	s.Data[dir] += string(seg.Bytes)
	sr.r.events = append(sr.r.events, fmt.Sprint("data ", s.Flow.ID, " ", dir))
	for i := range seg.Bytes {
		p := seg.PacketAt(i)
		sr.r.seen(p)
		s.Pkts[dir] = append(s.Pkts[dir], p.Number)
	}
	// AppendRuns describes the same mapping as PacketAt.
	runs := seg.AppendRuns(nil)
	if len(runs) == 0 || runs[0].Start != 0 {
		t.Errorf("AppendRuns = %v: want runs from offset 0", runs)
	}
	for i := range seg.Bytes {
		for len(runs) > 1 && runs[1].Start <= i {
			runs = runs[1:]
		}
		if len(runs) > 0 && runs[0].Packet != seg.PacketAt(i) {
			t.Errorf("AppendRuns: byte %d from packet %d, PacketAt says %d", i, runs[0].Packet.Number, seg.PacketAt(i).Number)
			break
		}
	}
	if first, under := seg.PacketAt(0), seg.PacketAt(-5); first != under {
		t.Errorf("PacketAt(-5) = %v, want %v", under, first)
	}
	if last, over := seg.PacketAt(len(seg.Bytes)-1), seg.PacketAt(len(seg.Bytes)+5); last != over {
		t.Errorf("PacketAt(len+5) = %v, want %v", over, last)
	}
	if sr.r.onData != nil {
		sr.r.onData(s)
	}
}

func (sr *streamRecorder) Gap(dir Direction, missing int, at Packet) {
	s := sr.s
	if s.Closes > 0 {
		sr.r.t.Errorf("stream %d: Gap after Close", s.Flow.ID)
	}
	if missing <= 0 {
		sr.r.t.Errorf("stream %d: Gap of %d bytes", s.Flow.ID, missing)
	}
	sr.r.seen(at)
	s.Gaps = append(s.Gaps, gapRec{dir, missing, at.Number})
	sr.r.events = append(sr.r.events, fmt.Sprint("gap ", s.Flow.ID, " ", dir))
}

func (sr *streamRecorder) Close(at Packet) {
	sr.r.seen(at)
	sr.s.Closes++
	sr.s.CloseAt = at.Number
	sr.r.events = append(sr.r.events, fmt.Sprint("close ", sr.s.Flow.ID))
}

// checkTimes checks the timestamps the recorder saw against the capture.
func (r *recorder) checkTimes(pkts []testPacket, precision time.Duration) {
	r.t.Helper()
	for n, ts := range r.times {
		if n == 0 || n > uint64(len(pkts)) {
			r.t.Errorf("packet number %d out of range", n)
			continue
		}
		if want := pkts[n-1].ts.Truncate(precision); !ts.Equal(want) {
			r.t.Errorf("packet %d: time %v, want %v", n, ts, want)
		}
	}
}

// runCapture reads capture data with a recorder.
func runCapture(t testing.TB, data []byte, opts Options) (*recorder, Stats, error) {
	t.Helper()
	src, err := NewSource("test.pcap", bytes.NewReader(data))
	if err != nil {
		t.Fatalf("NewSource: %v", err)
	}
	defer src.Close()
	rec := newRecorder(t)
	rd := NewReader(rec, opts)
	err = rd.Run(src)
	return rec, rd.Stats(), err
}

// runs expands pairs (packet, count) into a per-byte packet list.
func runs(pairs ...uint64) []uint64 {
	var out []uint64
	for i := 0; i+1 < len(pairs); i += 2 {
		for range pairs[i+1] {
			out = append(out, pairs[i])
		}
	}
	return out
}

// checkStreams compares recorded streams with the expected ones. Fields of
// want left at their zero value are not checked, except Data, Gaps,
// Midstream and Closes (always 1).
func checkStreams(t *testing.T, got []*gotStream, want []gotStream) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d streams, want %d", len(got), len(want))
		for _, g := range got {
			t.Logf("  got %+v", g.Flow)
		}
	}
	for i := range min(len(got), len(want)) {
		g, w := got[i], want[i]
		if w.Flow.Transport == 0 {
			w.Flow.Transport = TCP
		}
		if g.Flow != w.Flow {
			t.Errorf("stream %d: flow %+v, want %+v", i, g.Flow, w.Flow)
		}
		if w.First != 0 && g.First != w.First {
			t.Errorf("stream %d: first packet %d, want %d", i, g.First, w.First)
		}
		for dir := range 2 {
			d := Direction(dir)
			if g.Data[dir] != w.Data[dir] {
				t.Errorf("stream %d %v: data %q, want %q", i, d, g.Data[dir], w.Data[dir])
			}
			if g.Midstream[dir] != w.Midstream[dir] {
				t.Errorf("stream %d %v: midstream %v, want %v", i, d, g.Midstream[dir], w.Midstream[dir])
			}
			if w.Pkts[dir] != nil && !slices.Equal(g.Pkts[dir], w.Pkts[dir]) {
				t.Errorf("stream %d %v: packets of bytes\n got %v\nwant %v", i, d, g.Pkts[dir], w.Pkts[dir])
			}
		}
		if !slices.Equal(g.Gaps, w.Gaps) {
			t.Errorf("stream %d: gaps %+v, want %+v", i, g.Gaps, w.Gaps)
		}
		if g.Closes != 1 {
			t.Errorf("stream %d: Close called %d times", i, g.Closes)
		}
		if w.CloseAt != 0 && g.CloseAt != w.CloseAt {
			t.Errorf("stream %d: closed at packet %d, want %d", i, g.CloseAt, w.CloseAt)
		}
	}
}
