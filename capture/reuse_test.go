package capture

import (
	"slices"
	"testing"
	"time"
)

// reuseCases reuse the same port pair for a new connection: each new SYN
// must start a new stream, never be taken as data (or a gap) of the old one.
var reuseCases = []tcpCase{
	{
		name: "port reuse after a RST",
		build: func(t *testing.T) ([]testPacket, []gotStream) {
			c := newConv(t, linkEthernet, cli4, srv4)
			var b capBuilder
			handshake(c, &b)
			b.add(c.seg(I, "PA", "one"))
			b.add(c.seg(R, "RA", ""))
			c.next = [2]uint32{5_000_000, 7_000_000}
			p6 := b.add(c.seg(I, "S", ""))
			b.add(c.seg(R, "SA", ""))
			b.add(c.seg(I, "A", ""))
			b.add(c.seg(I, "PA", "two"))
			return b.pkts, []gotStream{{
				Flow: Flow{ID: 0, Initiator: cli4, Responder: srv4, SawSYN: true},
				Data: [2]string{"one", ""},
			}, {
				Flow:  Flow{ID: 1, Initiator: cli4, Responder: srv4, SawSYN: true},
				First: p6,
				Data:  [2]string{"two", ""},
			}}
		},
	},
	{
		name: "port reuse after an idle time longer than IdleTimeout, without FIN",
		opts: Options{IdleTimeout: 30 * time.Second},
		build: func(t *testing.T) ([]testPacket, []gotStream) {
			c := newConv(t, linkEthernet, cli4, srv4)
			var b capBuilder
			handshake(c, &b)
			p4 := b.add(c.seg(I, "PA", "one"))
			c.next = [2]uint32{5_000_000, 7_000_000}
			p5 := b.addAfter(time.Minute, c.seg(I, "S", ""))
			b.add(c.seg(R, "SA", ""))
			b.add(c.seg(I, "A", ""))
			b.add(c.seg(I, "PA", "two"))
			return b.pkts, []gotStream{{
				Flow:    Flow{ID: 0, Initiator: cli4, Responder: srv4, SawSYN: true},
				Data:    [2]string{"one", ""},
				CloseAt: p4,
			}, {
				Flow:  Flow{ID: 1, Initiator: cli4, Responder: srv4, SawSYN: true},
				First: p5,
				Data:  [2]string{"two", ""},
			}}
		},
		wantEvents: []string{"open 0", "data 0 initiator", "close 0", "open 1", "data 1 initiator", "close 1"},
	},
	{
		name: "port reuse: a new SYN with another sequence number while the old connection is open",
		build: func(t *testing.T) ([]testPacket, []gotStream) {
			c := newConv(t, linkEthernet, cli4, srv4)
			var b capBuilder
			handshake(c, &b)
			p4 := b.add(c.seg(I, "PA", "one"))
			c.next = [2]uint32{5_000_000, 7_000_000}
			p5 := b.addAfter(10*time.Second, c.seg(I, "S", ""))
			b.add(c.seg(R, "SA", ""))
			b.add(c.seg(I, "A", ""))
			b.add(c.seg(I, "PA", "two"))
			return b.pkts, []gotStream{{
				Flow:    Flow{ID: 0, Initiator: cli4, Responder: srv4, SawSYN: true},
				Data:    [2]string{"one", ""},
				CloseAt: p4,
			}, {
				Flow:  Flow{ID: 1, Initiator: cli4, Responder: srv4, SawSYN: true},
				First: p5,
				Data:  [2]string{"two", ""},
			}}
		},
		wantEvents: []string{"open 0", "data 0 initiator", "close 0", "open 1", "data 1 initiator", "close 1"},
	},
	{
		name: "port reuse after a mid-stream connection seen one way only",
		build: func(t *testing.T) ([]testPacket, []gotStream) {
			c := newConv(t, linkEthernet, cli4, srv4)
			var b capBuilder
			p1 := b.add(c.seg(I, "PA", "one"))
			c.next = [2]uint32{5_000_000, 7_000_000}
			p2 := b.add(c.seg(I, "S", ""))
			b.add(c.seg(R, "SA", ""))
			b.add(c.seg(I, "A", ""))
			b.add(c.seg(R, "PA", "two"))
			return b.pkts, []gotStream{{
				Flow:      Flow{ID: 0, Initiator: cli4, Responder: srv4},
				Data:      [2]string{"one", ""},
				Midstream: [2]bool{true, false},
				CloseAt:   p1,
			}, {
				Flow:  Flow{ID: 1, Initiator: cli4, Responder: srv4, SawSYN: true},
				First: p2,
				Data:  [2]string{"", "two"},
			}}
		},
		wantEvents: []string{"open 0", "data 0 initiator", "close 0", "open 1", "data 1 responder", "close 1"},
	},
}

func TestPortReuse(t *testing.T) {
	for _, tc := range reuseCases {
		t.Run(tc.name, func(t *testing.T) {
			pkts, want := tc.build(t)
			rec, stats, err := runCapture(t, writePcap(t, 1, pkts, false), tc.opts)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			checkStreams(t, rec.streams, want)
			if tc.wantEvents != nil && !slices.Equal(rec.events, tc.wantEvents) {
				t.Errorf("events\n got %q\nwant %q", rec.events, tc.wantEvents)
			}
			if stats.Gaps != 0 || stats.Streams != uint64(len(want)) {
				t.Errorf("stats: %d gaps, %d streams, want 0 and %d", stats.Gaps, stats.Streams, len(want))
			}
			checkPacketAccounting(t, stats)
		})
	}
}

// TestGapOverLimit checks that a gap forced by the buffering limit is
// counted as such, and one after ReorderWait is not.
func TestGapOverLimit(t *testing.T) {
	for _, limited := range []bool{true, false} {
		c := newConv(t, linkEthernet, cli4, srv4)
		var b capBuilder
		handshake(c, &b)
		b.add(c.seg(I, "PA", "aa"))
		c.seg(I, "PA", "bbb") // never captured
		for range 4 {
			b.add(c.seg(I, "PA", "cc"))
		}
		b.addAfter(5*time.Second, c.seg(I, "PA", "d"))
		opts := Options{}
		if limited {
			opts.MaxPagesPerConn = 2
		}
		_, stats, err := runCapture(t, writePcap(t, 1, b.pkts, false), opts)
		if err != nil {
			t.Fatal(err)
		}
		want := uint64(0)
		if limited {
			want = 1
		}
		if stats.Gaps != 1 || stats.GapsOverLimit != want || stats.GapOverLimitBytes != 3*want {
			t.Errorf("limited %v: %d gaps, %d over the limit (%d bytes); want 1, %d", limited, stats.Gaps, stats.GapsOverLimit, stats.GapOverLimitBytes, want)
		}
	}
}

// TestMaxConnections ends the least recently active connection when too
// many are open, and a SYN flood stays within the limit.
func TestMaxConnections(t *testing.T) {
	a := newConv(t, linkEthernet, cli4, srv4)
	z := newConv(t, linkEthernet, ep("10.0.0.7", 40007), srv4)
	var b capBuilder
	handshake(a, &b)
	handshake(z, &b)
	b.add(z.seg(I, "PA", "z1"))
	pa := b.add(a.seg(I, "PA", "a1")) // a is now the most recent
	// A flood of SYNs: each new one pushes the idlest out.
	for i := range 20 {
		f := newConv(t, linkEthernet, ep("10.0.1.1", uint16(30000+i)), srv4)
		b.add(f.seg(I, "S", ""))
	}
	rec, stats, err := runCapture(t, writePcap(t, 1, b.pkts, false), Options{MaxConnections: 3})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Streams != 22 || stats.Evicted != 19 {
		t.Errorf("%d streams, %d evicted; want 22 and 19", stats.Streams, stats.Evicted)
	}
	// z went first (idlest), then a, then the flood in order.
	want := []string{"open 0", "open 1", "data 1 initiator", "data 0 initiator", "open 2", "open 3", "close 1", "open 4", "close 0"}
	if len(rec.events) < len(want) || !slices.Equal(rec.events[:len(want)], want) {
		t.Errorf("events\n got %q\nwant %q...", rec.events, want)
	}
	if s := rec.streams[0]; s.Data[0] != "a1" || s.CloseAt != pa {
		t.Errorf("a: data %q closed at %d, want a1 and %d", s.Data[0], s.CloseAt, pa)
	}
	checkPacketAccounting(t, stats)
}
