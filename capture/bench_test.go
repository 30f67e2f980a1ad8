package capture

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dissect-project/dissect/internal/pcapgen"
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// nopStream is a StreamHandler that only looks at the lengths.
type nopStream struct{ bytes *int }

func (s nopStream) Data(_ Direction, seg *Segment) { *s.bytes += len(seg.Bytes) }
func (nopStream) Gap(Direction, int, Packet)       {}
func (nopStream) Close(Packet)                     {}

// nopStreams is a Handler that accepts every connection with a nopStream.
type nopStreams struct{ bytes int }

func (h *nopStreams) OpenStream(Flow, Packet) StreamHandler { return nopStream{&h.bytes} }
func (h *nopStreams) Datagram(_, _ Endpoint, p []byte, _ Packet) {
	h.bytes += len(p)
}

// benchCapture builds a pcap of conns in-order TCP connections, each with
// a handshake, segs data segments per direction and a FIN exchange, 16
// connections open at any time. It returns the file and its packet count.
func benchCapture(tb testing.TB, conns, segs int) ([]byte, int) {
	payload := strings.Repeat("x", 512)
	var pkts []testPacket
	const parallel = 16
	for batch := 0; batch < conns; batch += parallel {
		var cs []*conv
		for i := batch; i < min(batch+parallel, conns); i++ {
			cs = append(cs, newConv(tb, linkEthernet, ep(fmt.Sprintf("10.2.%d.%d", i/250, i%250+1), uint16(20000+i)), srv4))
		}
		add := func(f func(c *conv) []byte) {
			for _, c := range cs {
				pkts = append(pkts, testPacket{ts: baseTime.Add(time.Duration(len(pkts)) * 100 * time.Microsecond), data: f(c)})
			}
		}
		add(func(c *conv) []byte { return c.seg(I, "S", "") })
		add(func(c *conv) []byte { return c.seg(R, "SA", "") })
		add(func(c *conv) []byte { return c.seg(I, "A", "") })
		for range segs {
			add(func(c *conv) []byte { return c.seg(I, "PA", payload) })
			add(func(c *conv) []byte { return c.seg(R, "PA", payload) })
		}
		add(func(c *conv) []byte { return c.seg(I, "FA", "") })
		add(func(c *conv) []byte { return c.seg(R, "FA", "") })
		add(func(c *conv) []byte { return c.seg(I, "A", "") })
	}
	return writePcap(tb, layers.LinkTypeEthernet, pkts, false), len(pkts)
}

// BenchmarkReader reads an in-memory capture of 320 connections (9,920
// packets) with a handler that does nothing.
func BenchmarkReader(b *testing.B) {
	data, npkts := benchCapture(b, 320, 12)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for range b.N {
		if s := readCapture(b, data); s.Packets != uint64(npkts) {
			b.Fatalf("%d packets, want %d", s.Packets, npkts)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	n := float64(b.N) * float64(npkts)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/pkt")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/n, "allocs/pkt")
}

// readCapture reads the capture data with a handler that does nothing,
// and returns the Reader's Stats.
func readCapture(b *testing.B, data []byte) Stats {
	src, err := NewSource("bench", bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	rd := NewReader(&nopStreams{}, Options{})
	if err := rd.Run(src); err != nil {
		b.Fatal(err)
	}
	return rd.Stats()
}

// steadyState returns a Reader with one established connection, and
// in-order data packets for it, alternating directions, all with the same
// timestamp (so that no flush happens).
func steadyState(tb testing.TB, n int) (*Reader, [][]byte) {
	rd := NewReader(&nopStreams{}, Options{})
	c := newConv(tb, linkEthernet, cli4, srv4)
	for _, f := range [][]byte{c.seg(I, "S", ""), c.seg(R, "SA", ""), c.seg(I, "A", "")} {
		feed(rd, f)
	}
	frames := make([][]byte, n)
	payload := strings.Repeat("y", 200)
	for i := range frames {
		frames[i] = c.seg(Direction(i%2), "PA", payload)
	}
	return rd, frames
}

// feed hands one Ethernet frame to the Reader, as Run does.
func feed(rd *Reader, frame []byte) {
	ci := gopacket.CaptureInfo{Timestamp: baseTime, CaptureLength: len(frame), Length: len(frame)}
	rd.packet(frame, &ci, layers.LinkTypeEthernet)
}

// BenchmarkPacket measures the per-packet cost of in-order data on an
// established connection.
func BenchmarkPacket(b *testing.B) {
	rd, frames := steadyState(b, 1<<14)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if i%len(frames) == 0 && i > 0 {
			b.StopTimer()
			rd, frames = steadyState(b, len(frames))
			b.StartTimer()
		}
		feed(rd, frames[i%len(frames)])
	}
}

// TestNoAllocsPerPacket checks that decoding and reassembling in-order
// packets, handing on datagrams and counting undecodable packets do not
// allocate.
func TestNoAllocsPerPacket(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful with the race detector")
	}
	const runs = 500
	rd, frames := steadyState(t, 2*runs+2)
	udp := udpFrame(t, linkEthernet, cli4, srv4, "query")
	arp := append(serialize(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeARP})[:14], make([]byte, 28)...)
	feed(rd, arp)

	tests := []struct {
		name string
		f    func()
	}{
		{"in-order TCP", func() { feed(rd, frames[0]); frames = frames[1:] }},
		{"UDP", func() { feed(rd, udp) }},
		{"not decoded", func() { feed(rd, arp) }},
	}
	for _, tt := range tests {
		if allocs := testing.AllocsPerRun(runs, tt.f); allocs != 0 {
			t.Errorf("%s: %v allocations per packet", tt.name, allocs)
		}
	}
}

// BenchmarkDatagram measures the per-packet cost of link, IP and UDP
// decoding, without reassembly: a datagram handed to the handler.
func BenchmarkDatagram(b *testing.B) {
	rd := NewReader(&nopStreams{}, Options{})
	frame := udpFrame(b, linkEthernet, cli4, srv4, strings.Repeat("q", 64))
	feed(rd, frame)
	b.ReportAllocs()
	b.SetBytes(int64(len(frame)))
	b.ResetTimer()
	for range b.N {
		feed(rd, frame)
	}
}

// BenchmarkReaderLoad reads the benchmark capture of issue 6 in miniature
// (pcapgen.Load: 500 Modbus/TCP connections side by side, 100,000 packets,
// split and coalesced ADUs) with a handler that does nothing: the cost of
// reading, layer decoding and reassembly alone.
func BenchmarkReaderLoad(b *testing.B) {
	data, err := pcapgen.LoadPcap(500, 100000, 1)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var packets uint64
	b.ResetTimer()
	for range b.N {
		packets = readCapture(b, data).Packets
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(uint64(b.N)*packets), "ns/pkt")
}
