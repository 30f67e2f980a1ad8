package capture

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// fuzzHandler checks the consistency of the calls it gets.
type fuzzHandler struct {
	t       *testing.T
	streams []*fuzzStream
	packets uint64 // highest packet number seen
}

type fuzzStream struct {
	h      *fuzzHandler
	id     uint64
	closes int
}

func (h *fuzzHandler) checkPacket(p Packet) {
	if p.Number == 0 {
		h.t.Errorf("packet number 0")
	}
	h.packets = max(h.packets, p.Number)
}

func (h *fuzzHandler) OpenStream(flow Flow, first Packet) StreamHandler {
	h.checkPacket(first)
	if flow.ID != uint64(len(h.streams)) || flow.Transport != TCP {
		h.t.Errorf("flow %+v after %d streams", flow, len(h.streams))
	}
	s := &fuzzStream{h: h, id: flow.ID}
	h.streams = append(h.streams, s)
	if flow.ID%3 == 2 {
		return nil // ignore some
	}
	return s
}

func (h *fuzzHandler) Datagram(_, _ Endpoint, payload []byte, pkt Packet) {
	h.checkPacket(pkt)
	if len(payload) == 0 {
		h.t.Errorf("empty datagram")
	}
}

func (s *fuzzStream) Data(dir Direction, seg *Segment) {
	if s.closes > 0 || dir > FromResponder || len(seg.Bytes) == 0 {
		s.h.t.Errorf("stream %d: Data(%d, %d bytes) after %d Close", s.id, dir, len(seg.Bytes), s.closes)
	}
	for _, off := range []int{-1, 0, len(seg.Bytes) / 2, len(seg.Bytes) - 1, len(seg.Bytes)} {
		s.h.checkPacket(seg.PacketAt(off))
	}
}

func (s *fuzzStream) Gap(dir Direction, missing int, at Packet) {
	if s.closes > 0 || dir > FromResponder || missing <= 0 {
		s.h.t.Errorf("stream %d: Gap(%d, %d) after %d Close", s.id, dir, missing, s.closes)
	}
	s.h.checkPacket(at)
}

func (s *fuzzStream) Close(at Packet) {
	s.closes++
	s.h.checkPacket(at)
}

// run reads data and checks the handler calls and the Stats.
func (h *fuzzHandler) run(data []byte) {
	t := h.t
	src, err := NewSource("fuzz", bytes.NewReader(data))
	if err != nil {
		if err.Error() == "" {
			t.Error("empty error message")
		}
		return
	}
	defer src.Close()
	_ = src.LinkType()
	rd := NewReader(h, Options{ReorderWait: 50 * time.Millisecond, FlushInterval: 10 * time.Millisecond, IdleTimeout: time.Second, MaxPagesPerConn: 8, MaxPagesTotal: 64,
		MaxFragments: 8, MaxFragBytes: 16 << 10, FragTimeout: 5 * time.Second})
	err = rd.Run(src)
	if err != nil && err.Error() == "" {
		t.Error("empty error message")
	}
	for _, s := range h.streams {
		if want := 1; s.id%3 == 2 {
			want = 0
			if s.closes != want {
				t.Errorf("ignored stream %d closed %d times", s.id, s.closes)
			}
		} else if s.closes != want {
			t.Errorf("stream %d closed %d times", s.id, s.closes)
		}
	}
	stats := rd.Stats()
	// Every packet is TCP, UDP, not decoded for a reason, or a fragment of
	// a datagram counted once reassembled; every fragment is reassembled
	// or lost for a reason.
	checkPacketAccounting(t, stats)
	if h.packets > stats.Packets || stats.Streams != uint64(len(h.streams)) {
		t.Errorf("saw packet %d and %d streams, stats %+v", h.packets, len(h.streams), stats)
	}
}

// fuzzSeedPackets returns the packets of a connection with reordering,
// retransmission and a lost segment, plus a datagram.
func fuzzSeedPackets(t testing.TB, l link, cli, srv Endpoint) []testPacket {
	c := newConv(t, l, cli, srv)
	var b capBuilder
	b.add(c.seg(I, "S", ""))
	b.add(c.seg(R, "SA", ""))
	b.add(c.seg(I, "A", ""))
	s1, s2 := c.seg(I, "PA", "hello "), c.seg(I, "PA", "world")
	b.add(s2)
	b.add(s1)
	b.add(s1)
	// Overlaps with held-back data on both sides, then the hole is filled.
	next := c.next[I]
	b.add(c.segAt(I, "PA", next+3, "abcdef"))
	b.add(c.segAt(I, "PA", next+1, "XYZWVUTS"))
	b.add(c.segAt(I, "PA", next, "Q"))
	c.next[I] += 9
	b.add(udpFrame(t, l, cli, srv, "dns?"))
	c.seg(R, "PA", "lost")
	b.add(c.seg(R, "PA", "found"))
	b.addAfter(100*time.Millisecond, c.seg(I, "FA", ""))
	b.add(c.seg(R, "RA", ""))
	return b.pkts
}

// FuzzReader reads arbitrary bytes as a capture file: it must never panic,
// and the handler calls must stay consistent.
func FuzzReader(f *testing.F) {
	pkts := fuzzSeedPackets(f, linkEthernet, cli4, srv4)
	pcap := writePcap(f, layers.LinkTypeEthernet, pkts, false)
	f.Add(pcap)
	f.Add(pcap[:len(pcap)-7])
	f.Add(gzipBytes(f, pcap))
	f.Add(writePcap(f, layers.LinkTypeLinuxSLL, fuzzSeedPackets(f, linkSLL, cli6, srv6), true))
	f.Add(writePcapng(f, []layers.LinkType{layers.LinkTypeRaw, layers.LinkTypeEthernet}, fuzzSeedPackets(f, linkRaw, cli4, srv4)))
	f.Add([]byte("not a capture"))
	// IP fragments, in order, reversed, overlapping and left incomplete,
	// in both file formats, so that the reader's mutations reach the
	// defragmenter.
	for _, ops := range [][]byte{
		{0, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 0},
		{8, 0, 1, 2, 0, 0, 8, 0, 0, 2, 1, 0},
		{1, 0, 0, 2, 1, 0, 1, 0, 0, 2, 1, 0, 1, 0, 1, 255, 0, 200, 2, 0, 0, 4, 1, 0},
	} {
		frags := fragOps(ops)
		f.Add(writePcap(f, layers.LinkTypeRaw, frags, false))
		f.Add(writePcapng(f, []layers.LinkType{layers.LinkTypeRaw}, frags))
	}
	// The small captures the project generates (every bundled protocol).
	files, _ := filepath.Glob("../testdata/pcaps/*.pcap*")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil && len(data) <= 16<<10 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		(&fuzzHandler{t: t}).run(data)
	})
}

// fuzzLinks are the encapsulations FuzzPackets chooses from.
var fuzzLinks = []link{linkEthernet, linkDot1Q, linkQinQ, linkSLL, linkSLL2, linkRaw, linkNull, linkLoop}

// FuzzPackets builds a valid capture from arbitrary packets, to exercise
// decoding and reassembly more than FuzzReader can. data is a sequence of
// records: length (1 byte), time step in milliseconds (1 byte), packet.
func FuzzPackets(f *testing.F) {
	encode := func(pkts []testPacket) []byte {
		var out []byte
		for i, p := range pkts {
			step := byte(1)
			if i > 0 {
				step = byte(min(p.ts.Sub(pkts[i-1].ts)/time.Millisecond, 255))
			}
			out = append(out, byte(len(p.data)), step)
			out = append(out, p.data...)
		}
		return out
	}
	for i, l := range fuzzLinks {
		f.Add(uint8(i), encode(fuzzSeedPackets(f, l, cli4, srv4)))
		f.Add(uint8(i), encode(fuzzSeedPackets(f, l, cli6, srv6)))
	}
	f.Fuzz(func(t *testing.T, linkSel uint8, data []byte) {
		l := fuzzLinks[int(linkSel)%len(fuzzLinks)]
		var pkts []testPacket
		ts := baseTime
		for len(data) >= 2 {
			n, step := int(data[0]), time.Duration(data[1])*time.Millisecond
			data = data[2:]
			n = min(n, len(data))
			ts = ts.Add(step)
			pkts = append(pkts, testPacket{ts: ts, data: data[:n]})
			data = data[n:]
		}
		(&fuzzHandler{t: t}).run(writePcap(t, l.linkType(cli4.Addr), pkts, false))
	})
}

// carrier is a packet that carried a byte of the stream.
type carrier struct {
	pkt uint64
	rst bool // the assembler takes a RST, and its payload, only in order
}

// segmentStream records the stream of one direction and checks the
// first-copy rule as bytes arrive.
type segmentStream struct {
	t        *testing.T
	carriers [][]carrier // per stream offset, the packets that carried it, in order
	offset   int         // stream offset of the next byte
	gaps     bool
	closes   int
}

// content is the byte a test packet n carries at stream offset k.
func content(n uint64, k int) byte { return byte(n*7 + uint64(k)*13) }

func (s *segmentStream) OpenStream(Flow, Packet) StreamHandler      { return s }
func (s *segmentStream) Datagram(_, _ Endpoint, _ []byte, _ Packet) {}
func (s *segmentStream) Gap(_ Direction, missing int, _ Packet) {
	s.offset += missing
	s.gaps = true
}
func (s *segmentStream) Close(Packet) { s.closes++ }

// Data checks that each byte comes from a packet that carried it, and that
// any packet that carried it before was a RST (possibly not taken).
func (s *segmentStream) Data(dir Direction, seg *Segment) {
	if dir != FromInitiator {
		s.t.Fatalf("data from the responder")
	}
	for i, c := range seg.Bytes {
		k := s.offset + i
		p := seg.PacketAt(i).Number
		if c != content(p, k) {
			s.t.Fatalf("offset %d: byte %#x, not the one packet %d carried", k, c, p)
		}
		found := false
		for _, cr := range s.carriers[min(k, len(s.carriers)-1)] {
			if cr.pkt == p {
				found = true
				break
			}
			if !cr.rst {
				s.t.Fatalf("offset %d: byte from packet %d, but packet %d carried it first", k, p, cr.pkt)
			}
		}
		if k >= len(s.carriers) || !found {
			s.t.Fatalf("offset %d: packet %d did not carry it", k, p)
		}
	}
	s.offset += len(seg.Bytes)
}

// FuzzSegments sends the segments of one direction of a connection, with
// arbitrary offsets, lengths and flags, and checks that every byte
// delivered comes from the first packet that carried it, and that nothing
// is lost when the segments cover the stream.
func FuzzSegments(f *testing.F) {
	f.Add(uint32(1000), []byte{0, 10, 0, 20, 10, 0, 10, 10, 0})
	f.Add(uint32(0xfffffff0), []byte{3, 6, 0, 1, 8, 0, 0, 1, 0, 12, 4, 1})
	f.Add(uint32(5), []byte{20, 5, 0, 10, 5, 0, 0, 10, 0, 12, 20, 0, 5, 30, 2})
	f.Fuzz(func(t *testing.T, isn uint32, data []byte) {
		c := newConv(t, linkRaw, cli4, srv4)
		c.next[I] = isn
		var b capBuilder
		b.add(c.seg(I, "S", ""))
		base := c.next[I]
		s := &segmentStream{t: t, carriers: [][]carrier{nil}}
		plain := true // no FIN, RST or pause: everything covered must arrive
		for ; len(data) >= 3 && len(b.pkts) < 200; data = data[3:] {
			off, n, flags := int(data[0]), int(data[1]%64), data[2]
			if n == 0 && flags&3 == 0 {
				continue
			}
			pkt := uint64(len(b.pkts) + 1)
			payload := make([]byte, n)
			for i := range payload {
				payload[i] = content(pkt, off+i)
				for len(s.carriers) <= off+i {
					s.carriers = append(s.carriers, nil)
				}
				s.carriers[off+i] = append(s.carriers[off+i], carrier{pkt, flags&3 == 2})
			}
			fl := "PA"
			switch {
			case flags&1 != 0:
				fl = "FPA"
			case flags&2 != 0:
				fl = "RA"
			}
			if flags&7 != 0 {
				plain = false
			}
			frame := c.segAt(I, fl, base+uint32(off), string(payload))
			if flags&4 != 0 {
				b.addAfter(3*time.Second, frame)
			} else {
				b.add(frame)
			}
		}
		src, err := NewSource("fuzz", bytes.NewReader(writePcap(t, layers.LinkTypeRaw, b.pkts, false)))
		if err != nil {
			t.Fatal(err)
		}
		rd := NewReader(s, Options{})
		if err := rd.Run(src); err != nil {
			t.Fatal(err)
		}
		if s.closes != 1 {
			t.Fatalf("%d closes", s.closes)
		}
		covered := len(s.carriers)
		for k, cs := range s.carriers {
			if len(cs) == 0 {
				covered = k
				break
			}
		}
		if plain && !s.gaps && s.offset < covered {
			t.Fatalf("delivered %d bytes, %d were sent without a hole", s.offset, covered)
		}
	})
}
