package capture

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// Short names for the directions in test tables.
const (
	I = FromInitiator
	R = FromResponder
)

// handshake adds SYN, SYN-ACK and ACK.
func handshake(c *conv, b *capBuilder) {
	b.add(c.seg(I, "S", ""))
	b.add(c.seg(R, "SA", ""))
	b.add(c.seg(I, "A", ""))
}

// tcpCase is a TCP scenario: build returns the capture and the streams it
// must produce.
type tcpCase struct {
	name       string
	opts       Options
	build      func(t *testing.T) ([]testPacket, []gotStream)
	wantEvents []string // if set, the exact sequence of handler calls
	wantGaps   uint64   // Stats.Gaps
	wantGapLen uint64   // Stats.GapBytes
}

var tcpCases = []tcpCase{
	{
		name: "handshake, data both ways in many segments, FIN",
		build: func(t *testing.T) ([]testPacket, []gotStream) {
			c := newConv(t, linkEthernet, cli4, srv4)
			var b capBuilder
			handshake(c, &b)
			p4 := b.add(c.seg(I, "PA", "GET / HTTP/1.1\r\n"))
			p5 := b.add(c.seg(I, "PA", "Host: x\r\n"))
			p6 := b.add(c.seg(I, "PA", "\r\n"))
			b.add(c.seg(R, "A", ""))
			p8 := b.add(c.seg(R, "PA", "HTTP/1.1 200 OK\r\n"))
			p9 := b.add(c.seg(R, "PA", "Content-Length: 0\r\n\r\n"))
			b.add(c.seg(I, "FA", ""))
			p11 := b.add(c.seg(R, "FA", ""))
			b.add(c.seg(I, "A", "")) // last ACK: no new connection
			return b.pkts, []gotStream{{
				Flow:    Flow{ID: 0, Initiator: cli4, Responder: srv4, SawSYN: true},
				First:   1,
				Data:    [2]string{"GET / HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"},
				Pkts:    [2][]uint64{runs(p4, 16, p5, 9, p6, 2), runs(p8, 17, p9, 21)},
				CloseAt: p11,
			}}
		},
		wantEvents: []string{"open 0", "data 0 initiator", "data 0 initiator", "data 0 initiator", "data 0 responder", "data 0 responder", "close 0"},
	},
	{
		name: "out-of-order segments within ReorderWait",
		build: func(t *testing.T) ([]testPacket, []gotStream) {
			c := newConv(t, linkEthernet, cli4, srv4)
			var b capBuilder
			handshake(c, &b)
			s1, s2, s3, s4 := c.seg(I, "PA", "aaa"), c.seg(I, "PA", "bbbb"), c.seg(I, "PA", "ccccc"), c.seg(I, "PA", "dd")
			p4 := b.add(s1)
			p5 := b.add(s4)
			p6 := b.add(s3)
			p7 := b.add(s2)
			p8 := b.add(c.seg(R, "PA", "ok"))
			b.add(c.seg(I, "FA", ""))
			p10 := b.add(c.seg(R, "FA", ""))
			return b.pkts, []gotStream{{
				Flow:    Flow{Initiator: cli4, Responder: srv4, SawSYN: true},
				Data:    [2]string{"aaabbbbcccccdd", "ok"},
				Pkts:    [2][]uint64{runs(p4, 3, p7, 4, p6, 5, p5, 2), runs(p8, 2)},
				CloseAt: p10,
			}}
		},
	},
	{
		name: "retransmitted and overlapping segments: first copy wins",
		build: func(t *testing.T) ([]testPacket, []gotStream) {
			c := newConv(t, linkEthernet, cli4, srv4)
			var b capBuilder
			handshake(c, &b)
			base := c.next[I]
			p4 := b.add(c.segAt(I, "PA", base, "hello "))
			b.add(c.segAt(I, "PA", base, "hello "))            // exact retransmission
			p6 := b.add(c.segAt(I, "PA", base+3, "lo world"))  // overlaps delivered bytes
			p7 := b.add(c.segAt(I, "PA", base+8, "XYZ!"))      // different delivered bytes
			p8 := b.add(c.segAt(I, "PA", base+14, "CDEF"))     // held back
			p9 := b.add(c.segAt(I, "PA", base+12, "abcd"))     // in order, overlaps held bytes
			b.add(c.segAt(I, "PA", base+2, "llo"))             // old
			p11 := b.add(c.segAt(I, "PA", base+20, "XXXX"))    // held back
			p12 := b.add(c.segAt(I, "PA", base+19, "YYYYYYY")) // around held bytes
			p13 := b.add(c.segAt(I, "PA", base+18, "Z"))       // fills the hole
			p14 := b.add(c.segAt(I, "PA", base+27, "MMMM"))    // held back
			p15 := b.add(c.segAt(I, "FPA", base+26, "NNNNN"))  // FIN after held bytes
			c.next[I] = base + 32
			p16 := b.add(c.seg(R, "FA", ""))
			return b.pkts, []gotStream{{
				Flow:    Flow{Initiator: cli4, Responder: srv4, SawSYN: true},
				Data:    [2]string{"hello world!abCDEFZYXXXXYYNMMMM", ""},
				Pkts:    [2][]uint64{runs(p4, 6, p6, 5, p7, 1, p9, 2, p8, 4, p13, 1, p12, 1, p11, 4, p12, 2, p15, 1, p14, 4), nil},
				CloseAt: p16,
			}}
		},
		wantEvents: []string{"open 0", "data 0 initiator", "data 0 initiator", "data 0 initiator", "data 0 initiator", "data 0 initiator", "data 0 initiator", "close 0"},
	},
	{
		name: "midstream: no handshake captured",
		build: func(t *testing.T) ([]testPacket, []gotStream) {
			c := newConv(t, linkEthernet, cli4, srv4)
			var b capBuilder
			p1 := b.add(c.seg(I, "PA", "abc"))
			p2 := b.add(c.seg(R, "PA", "def"))
			p3 := b.add(c.seg(I, "PA", "ghi"))
			return b.pkts, []gotStream{{
				Flow:      Flow{Initiator: cli4, Responder: srv4},
				First:     p1,
				Data:      [2]string{"abcghi", "def"},
				Midstream: [2]bool{true, true},
				Pkts:      [2][]uint64{runs(p1, 3, p3, 3), runs(p2, 3)},
				CloseAt:   p3,
			}}
		},
	},
	{
		name: "midstream: server speaks first, bare ACKs ignored",
		build: func(t *testing.T) ([]testPacket, []gotStream) {
			c := newConv(t, linkEthernet, cli4, srv4)
			var b capBuilder
			b.add(c.seg(I, "A", "")) // a bare ACK opens nothing
			p2 := b.add(c.seg(R, "PA", "220 ready\r\n"))
			p3 := b.add(c.seg(I, "PA", "HELO x\r\n"))
			p4 := b.add(c.seg(R, "PA", "250 ok\r\n"))
			return b.pkts, []gotStream{{
				Flow:      Flow{Initiator: srv4, Responder: cli4},
				First:     p2,
				Data:      [2]string{"220 ready\r\n250 ok\r\n", "HELO x\r\n"},
				Midstream: [2]bool{true, true},
				Pkts:      [2][]uint64{runs(p2, 11, p4, 8), runs(p3, 8)},
				CloseAt:   p4,
			}}
		},
	},
	{
		name: "first packet seen is the SYN-ACK",
		build: func(t *testing.T) ([]testPacket, []gotStream) {
			c := newConv(t, linkEthernet, cli4, srv4)
			c.next[I]++ // the SYN was sent, not captured
			var b capBuilder
			p1 := b.add(c.seg(R, "SA", ""))
			b.add(c.seg(I, "A", ""))
			p3 := b.add(c.seg(I, "PA", "req"))
			p4 := b.add(c.seg(R, "PA", "resp"))
			b.add(c.seg(I, "FA", ""))
			p6 := b.add(c.seg(R, "FA", ""))
			return b.pkts, []gotStream{{
				Flow:      Flow{Initiator: cli4, Responder: srv4, SawSYN: true},
				First:     p1,
				Data:      [2]string{"req", "resp"},
				Midstream: [2]bool{true, false},
				Pkts:      [2][]uint64{runs(p3, 3), runs(p4, 4)},
				CloseAt:   p6,
			}}
		},
	},
	{
		name: "lost segment: gap after ReorderWait of packet time",
		build: func(t *testing.T) ([]testPacket, []gotStream) {
			c := newConv(t, linkEthernet, cli4, srv4)
			var b capBuilder
			handshake(c, &b)
			p4 := b.add(c.seg(I, "PA", "aaaa"))
			c.seg(I, "PA", "bbbbb") // never captured
			p5 := b.add(c.seg(I, "PA", "ccc"))
			p6 := b.addAfter(1500*time.Millisecond, c.seg(R, "PA", "x")) // before ReorderWait: still waiting
			p7 := b.addAfter(1500*time.Millisecond, c.seg(R, "PA", "y")) // after: gap
			p8 := b.add(c.seg(I, "PA", "dd"))
			b.add(c.seg(I, "FA", ""))
			p10 := b.add(c.seg(R, "FA", ""))
			return b.pkts, []gotStream{{
				Flow:    Flow{Initiator: cli4, Responder: srv4, SawSYN: true},
				Data:    [2]string{"aaaacccdd", "xy"},
				Pkts:    [2][]uint64{runs(p4, 4, p5, 3, p8, 2), runs(p6, 1, p7, 1)},
				Gaps:    []gapRec{{I, 5, p5}},
				CloseAt: p10,
			}}
		},
		wantEvents: []string{"open 0", "data 0 initiator", "data 0 responder", "gap 0 initiator", "data 0 initiator", "data 0 responder", "data 0 initiator", "close 0"},
		wantGaps:   1, wantGapLen: 5,
	},
	{
		name: "lost segment at the end of the capture",
		build: func(t *testing.T) ([]testPacket, []gotStream) {
			c := newConv(t, linkEthernet, cli4, srv4)
			var b capBuilder
			handshake(c, &b)
			p4 := b.add(c.seg(I, "PA", "aaaa"))
			c.seg(I, "PA", "bbbbbbb") // never captured
			p5 := b.add(c.seg(I, "PA", "ccc"))
			return b.pkts, []gotStream{{
				Flow:    Flow{Initiator: cli4, Responder: srv4, SawSYN: true},
				Data:    [2]string{"aaaaccc", ""},
				Pkts:    [2][]uint64{runs(p4, 4, p5, 3), nil},
				Gaps:    []gapRec{{I, 7, p5}},
				CloseAt: p5,
			}}
		},
		wantGaps: 1, wantGapLen: 7,
	},
	{
		name: "lost segment: gap forced by MaxPagesPerConn before ReorderWait",
		opts: Options{MaxPagesPerConn: 4},
		build: func(t *testing.T) ([]testPacket, []gotStream) {
			c := newConv(t, linkEthernet, cli4, srv4)
			var b capBuilder
			handshake(c, &b)
			p4 := b.add(c.seg(I, "PA", "aa"))
			c.seg(I, "PA", "bbb") // never captured
			p5 := b.add(c.seg(I, "PA", "c1"))
			p6 := b.add(c.seg(I, "PA", "c2"))
			p7 := b.add(c.seg(I, "PA", "c3"))
			p8 := b.add(c.seg(I, "PA", "c4"))
			p9 := b.add(c.seg(I, "PA", "d"))
			return b.pkts, []gotStream{{
				Flow:    Flow{Initiator: cli4, Responder: srv4, SawSYN: true},
				Data:    [2]string{"aac1c2c3c4d", ""},
				Pkts:    [2][]uint64{runs(p4, 2, p5, 2, p6, 2, p7, 2, p8, 2, p9, 1), nil},
				Gaps:    []gapRec{{I, 3, p5}},
				CloseAt: p9,
			}}
		},
		wantEvents: []string{"open 0", "data 0 initiator", "gap 0 initiator", "data 0 initiator", "data 0 initiator", "close 0"},
		wantGaps:   1, wantGapLen: 3,
	},
	{
		name: "packet cut by the snap length",
		build: func(t *testing.T) ([]testPacket, []gotStream) {
			c := newConv(t, linkEthernet, cli4, srv4)
			var b capBuilder
			handshake(c, &b)
			p4 := b.add(c.seg(I, "PA", "aaaa"))
			p5 := b.add(c.seg(I, "PA", "bbbbbbbbbb"))
			b.pkts[p5-1].data = b.pkts[p5-1].data[:len(b.pkts[p5-1].data)-7]
			b.pkts[p5-1].cut = 7
			p6 := b.add(c.seg(I, "PA", "cc"))
			p7 := b.addAfter(3*time.Second, c.seg(R, "PA", "x"))
			return b.pkts, []gotStream{{
				Flow:    Flow{Initiator: cli4, Responder: srv4, SawSYN: true},
				Data:    [2]string{"aaaabbbcc", "x"},
				Pkts:    [2][]uint64{runs(p4, 4, p5, 3, p6, 2), runs(p7, 1)},
				Gaps:    []gapRec{{I, 7, p6}},
				CloseAt: p7,
			}}
		},
		wantGaps: 1, wantGapLen: 7,
	},
	{
		name: "FIN and RST on a SYN are ignored",
		build: func(t *testing.T) ([]testPacket, []gotStream) {
			c := newConv(t, linkEthernet, cli4, srv4)
			var b capBuilder
			p1 := b.add(c.seg(I, "SF", "syn data"))
			c.next[I]-- // the FIN took no sequence number
			b.add(c.seg(R, "SAR", ""))
			b.add(c.seg(I, "A", ""))
			p4 := b.add(c.seg(I, "PA", " more"))
			p5 := b.add(c.seg(R, "PA", "reply"))
			return b.pkts, []gotStream{{
				Flow:    Flow{Initiator: cli4, Responder: srv4, SawSYN: true},
				Data:    [2]string{"syn data more", "reply"},
				Pkts:    [2][]uint64{runs(p1, 8, p4, 5), runs(p5, 5)},
				CloseAt: p5,
			}}
		},
	},
	{
		name: "RST ends a direction; the connection closes at the end",
		build: func(t *testing.T) ([]testPacket, []gotStream) {
			c := newConv(t, linkEthernet, cli4, srv4)
			var b capBuilder
			handshake(c, &b)
			p4 := b.add(c.seg(I, "PA", "q"))
			p5 := b.add(c.seg(R, "RA", ""))
			return b.pkts, []gotStream{{
				Flow:    Flow{Initiator: cli4, Responder: srv4, SawSYN: true},
				Data:    [2]string{"q", ""},
				Pkts:    [2][]uint64{runs(p4, 1), nil},
				CloseAt: p5,
			}}
		},
	},
	{
		name: "idle connection closed by packet time",
		opts: Options{IdleTimeout: 10 * time.Second},
		build: func(t *testing.T) ([]testPacket, []gotStream) {
			a := newConv(t, linkEthernet, cli4, srv4)
			other := ep("10.0.0.1", 40002)
			z := newConv(t, linkEthernet, other, srv4)
			var b capBuilder
			handshake(a, &b)
			p4 := b.add(a.seg(I, "PA", "idle"))
			b.addAfter(20*time.Second, z.seg(I, "S", ""))
			b.add(z.seg(R, "SA", ""))
			b.add(z.seg(I, "A", ""))
			b.add(z.seg(I, "PA", "busy"))
			b.add(z.seg(I, "FA", ""))
			p10 := b.add(z.seg(R, "FA", ""))
			return b.pkts, []gotStream{{
				Flow:    Flow{ID: 0, Initiator: cli4, Responder: srv4, SawSYN: true},
				Data:    [2]string{"idle", ""},
				CloseAt: p4,
			}, {
				Flow:    Flow{ID: 1, Initiator: other, Responder: srv4, SawSYN: true},
				First:   5,
				Data:    [2]string{"busy", ""},
				CloseAt: p10,
			}}
		},
		wantEvents: []string{"open 0", "data 0 initiator", "close 0", "open 1", "data 1 initiator", "close 1"},
	},
	{
		name: "port reuse after a closed connection",
		build: func(t *testing.T) ([]testPacket, []gotStream) {
			c := newConv(t, linkEthernet, cli4, srv4)
			var b capBuilder
			handshake(c, &b)
			b.add(c.seg(I, "PA", "one"))
			b.add(c.seg(I, "FA", ""))
			b.add(c.seg(R, "FA", ""))
			b.add(c.seg(I, "A", ""))
			c.next = [2]uint32{77777, 88888}
			p8 := b.add(c.seg(I, "S", ""))
			b.add(c.seg(R, "SA", ""))
			b.add(c.seg(I, "A", ""))
			b.add(c.seg(R, "PA", "two"))
			return b.pkts, []gotStream{{
				Flow:    Flow{ID: 0, Initiator: cli4, Responder: srv4, SawSYN: true},
				Data:    [2]string{"one", ""},
				CloseAt: 6,
			}, {
				Flow:    Flow{ID: 1, Initiator: cli4, Responder: srv4, SawSYN: true},
				First:   p8,
				Data:    [2]string{"", "two"},
				CloseAt: 11,
			}}
		},
	},
	{
		name: "IPv6 connection, data on the SYN-ACK side only",
		build: func(t *testing.T) ([]testPacket, []gotStream) {
			c := newConv(t, linkEthernet, cli6, srv6)
			var b capBuilder
			handshake(c, &b)
			p4 := b.add(c.seg(R, "PA", strings.Repeat("z", 1400)))
			p5 := b.add(c.seg(R, "PA", strings.Repeat("y", 1400)))
			return b.pkts, []gotStream{{
				Flow: Flow{Initiator: cli6, Responder: srv6, SawSYN: true},
				Data: [2]string{"", strings.Repeat("z", 1400) + strings.Repeat("y", 1400)},
				Pkts: [2][]uint64{nil, runs(p4, 1400, p5, 1400)},
			}}
		},
	},
}

func TestTCPReassembly(t *testing.T) {
	for _, tc := range tcpCases {
		t.Run(tc.name, func(t *testing.T) {
			pkts, want := tc.build(t)
			rec, stats, err := runCapture(t, writePcap(t, 1, pkts, false), tc.opts)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			checkStreams(t, rec.streams, want)
			rec.checkTimes(pkts, time.Microsecond)
			if tc.wantEvents != nil && !slices.Equal(rec.events, tc.wantEvents) {
				t.Errorf("events\n got %q\nwant %q", rec.events, tc.wantEvents)
			}
			if stats.Gaps != tc.wantGaps || stats.GapBytes != tc.wantGapLen {
				t.Errorf("stats: %d gaps of %d bytes, want %d of %d", stats.Gaps, stats.GapBytes, tc.wantGaps, tc.wantGapLen)
			}
			if stats.Streams != uint64(len(want)) {
				t.Errorf("stats: %d streams, want %d", stats.Streams, len(want))
			}
			if stats.Packets != uint64(len(pkts)) || stats.TCPPackets != uint64(len(pkts)) {
				t.Errorf("stats: %d packets, %d TCP, want %d", stats.Packets, stats.TCPPackets, len(pkts))
			}
			if len(stats.NotDecoded) != 0 {
				t.Errorf("stats: not decoded %v", stats.NotDecoded)
			}
			checkPacketAccounting(t, stats)
		})
	}
}

// TestIgnoredStream checks that a nil StreamHandler ignores a connection
// without disturbing the others.
func TestIgnoredStream(t *testing.T) {
	var b capBuilder
	a := newConv(t, linkEthernet, cli4, srv4)
	z := newConv(t, linkEthernet, cli4, ep("10.0.0.3", 25))
	handshake(a, &b)
	handshake(z, &b)
	b.add(a.seg(I, "PA", "ignored"))
	b.add(z.seg(I, "PA", "kept"))
	b.add(a.seg(I, "FA", ""))
	b.add(a.seg(R, "FA", ""))
	src, err := NewSource("test.pcap", strings.NewReader(string(writePcap(t, 1, b.pkts, false))))
	if err != nil {
		t.Fatal(err)
	}
	rec := newRecorder(t)
	rec.ignore = func(f Flow) bool { return f.Responder.Port == 80 }
	rd := NewReader(rec, Options{})
	if err := rd.Run(src); err != nil {
		t.Fatal(err)
	}
	checkStreams(t, rec.streams, []gotStream{{
		Flow: Flow{ID: 1, Initiator: cli4, Responder: ep("10.0.0.3", 25), SawSYN: true},
		Data: [2]string{"kept", ""},
	}})
	if s := rd.Stats(); s.Streams != 2 {
		t.Errorf("%d streams, want 2", s.Streams)
	}
}

// TestManyConnections interleaves 500 connections.
func TestManyConnections(t *testing.T) {
	const n = 500
	convs := make([]*conv, n)
	for i := range convs {
		cli := ep(fmt.Sprintf("10.1.%d.%d", i/200, i%200+1), uint16(10000+i))
		convs[i] = newConv(t, linkEthernet, cli, srv4)
	}
	steps := []func(c *conv, i int) []byte{
		func(c *conv, i int) []byte { return c.seg(I, "S", "") },
		func(c *conv, i int) []byte { return c.seg(R, "SA", "") },
		func(c *conv, i int) []byte { return c.seg(I, "A", "") },
		func(c *conv, i int) []byte { return c.seg(I, "PA", fmt.Sprintf("request %d, ", i)) },
		func(c *conv, i int) []byte { return c.seg(I, "PA", "part two") },
		func(c *conv, i int) []byte { return c.seg(R, "PA", fmt.Sprintf("response %d", i)) },
		func(c *conv, i int) []byte { return c.seg(R, "PA", strings.Repeat("r", i%50+1)) },
		func(c *conv, i int) []byte { return c.seg(I, "FA", "") },
		func(c *conv, i int) []byte { return c.seg(R, "FA", "") },
		func(c *conv, i int) []byte { return c.seg(I, "A", "") },
	}
	var b capBuilder
	// Connection i starts at step 0 when i-1 is at step 3, so that many
	// are open at once and their packets interleave.
	for round := 0; round < n+len(steps)*n; round++ {
		done := true
		for i := range n {
			step := round - i/4*3
			if step >= 0 && step < len(steps) {
				b.pkts = append(b.pkts, testPacket{ts: baseTime.Add(time.Duration(len(b.pkts)) * time.Microsecond), data: steps[step](convs[i], i)})
			}
			if step < len(steps) {
				done = false
			}
		}
		if done {
			break
		}
	}
	rec, stats, err := runCapture(t, writePcap(t, 1, b.pkts, false), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.streams) != n {
		t.Fatalf("%d streams, want %d", len(rec.streams), n)
	}
	// IDs are in order of first packet: connections starting in the same
	// round start in index order.
	want := make([]gotStream, n)
	for i, c := range convs {
		want[i] = gotStream{
			Flow: Flow{ID: uint64(i), Initiator: c.ends[I], Responder: srv4, SawSYN: true},
			Data: [2]string{fmt.Sprintf("request %d, part two", i), fmt.Sprintf("response %d", i) + strings.Repeat("r", i%50+1)},
		}
	}
	checkStreams(t, rec.streams, want)
	if stats.Streams != n || stats.Gaps != 0 {
		t.Errorf("stats %+v", stats)
	}
}

// TestStopFromHandler stops the Reader from a Data callback.
func TestStopFromHandler(t *testing.T) {
	var b capBuilder
	a := newConv(t, linkEthernet, cli4, srv4)
	z := newConv(t, linkEthernet, cli4, ep("10.0.0.3", 25))
	handshake(a, &b)
	b.add(a.seg(I, "PA", "first"))
	stopAt := b.add(a.seg(R, "PA", "stop here"))
	b.add(a.seg(I, "PA", "never"))
	handshake(z, &b)
	b.add(z.seg(I, "PA", "never either"))

	src, err := NewSource("test.pcap", strings.NewReader(string(writePcap(t, 1, b.pkts, false))))
	if err != nil {
		t.Fatal(err)
	}
	rec := newRecorder(t)
	rd := NewReader(rec, Options{})
	rec.onData = func(s *gotStream) {
		if s.Data[R] != "" {
			rd.Stop()
		}
	}
	if err := rd.Run(src); err != nil {
		t.Fatal(err)
	}
	checkStreams(t, rec.streams, []gotStream{{
		Flow:    Flow{Initiator: cli4, Responder: srv4, SawSYN: true},
		Data:    [2]string{"first", "stop here"},
		CloseAt: stopAt,
	}})
	if s := rd.Stats(); s.Packets != stopAt {
		t.Errorf("read %d packets, want %d", s.Packets, stopAt)
	}
	// A stopped Reader stays stopped.
	if err := rd.Run(src); err != nil || rd.Stats().Packets != stopAt {
		t.Errorf("second Run: %v, %d packets", err, rd.Stats().Packets)
	}
}

// TestStopFromGoroutine stops the Reader from another goroutine while a
// handler is running.
func TestStopFromGoroutine(t *testing.T) {
	var b capBuilder
	for i := range 20 {
		c := newConv(t, linkEthernet, ep("10.0.0.1", uint16(2000+i)), srv4)
		handshake(c, &b)
		b.add(c.seg(I, "PA", "data"))
	}
	src, err := NewSource("test.pcap", strings.NewReader(string(writePcap(t, 1, b.pkts, false))))
	if err != nil {
		t.Fatal(err)
	}
	started, stopped := make(chan struct{}), make(chan struct{})
	h := &blockingHandler{recorder: newRecorder(t), started: started, stopped: stopped}
	rd := NewReader(h, Options{})
	go func() {
		<-started
		rd.Stop()
		close(stopped)
	}()
	if err := rd.Run(src); err != nil {
		t.Fatal(err)
	}
	if s := rd.Stats(); s.Packets != 1 || s.Streams != 1 {
		t.Errorf("read %d packets, %d streams; want 1, 1", s.Packets, s.Streams)
	}
	checkStreams(t, h.streams, []gotStream{{Flow: Flow{Initiator: ep("10.0.0.1", 2000), Responder: srv4, SawSYN: true}, CloseAt: 1}})
}

// blockingHandler waits in the first OpenStream until the test stopped
// the Reader.
type blockingHandler struct {
	*recorder
	started chan<- struct{}
	stopped <-chan struct{}
	once    bool
}

func (h *blockingHandler) OpenStream(flow Flow, first Packet) StreamHandler {
	if !h.once {
		h.once = true
		close(h.started)
		<-h.stopped
	}
	return h.recorder.OpenStream(flow, first)
}

// TestStopBeforeRun checks that a Reader stopped before Run reads nothing.
func TestStopBeforeRun(t *testing.T) {
	var b capBuilder
	c := newConv(t, linkEthernet, cli4, srv4)
	handshake(c, &b)
	src, err := NewSource("test.pcap", strings.NewReader(string(writePcap(t, 1, b.pkts, false))))
	if err != nil {
		t.Fatal(err)
	}
	rd := NewReader(nil, Options{})
	rd.Stop()
	if err := rd.Run(src); err != nil || rd.Stats().Packets != 0 {
		t.Errorf("Run: %v, %d packets", err, rd.Stats().Packets)
	}
	if err := rd.Run(nil); err == nil {
		t.Error("Run(nil) succeeded")
	}
}

func TestStringers(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{TCP.String(), "tcp"},
		{UDP.String(), "udp"},
		{Transport(1).String(), "ip-proto-1"},
		{FromInitiator.String(), "initiator"},
		{FromResponder.String(), "responder"},
		{cli4.String(), "10.0.0.1:40000"},
		{srv6.String(), "[2001:db8::2]:443"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
