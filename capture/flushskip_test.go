package capture

import (
	"bytes"
	"fmt"
	"math/rand"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// behindHole builds a segment of flags (a FIN or a RST) beyond a hole on
// one connection, while the other ticks on for longer than the reorder
// wait.
func behindHole(flags string) func(b *capBuilder, a, c *conv) {
	return func(b *capBuilder, a, c *conv) {
		b.add(a.seg(I, "PA", "one"))
		a.next[I] += 4
		b.add(a.seg(I, flags, ""))
		for range 6 {
			b.addAfter(700*time.Millisecond, c.seg(I, "PA", "tick"))
		}
	}
}

// runForced reads a capture with a recorder; with forced, every periodic
// flush goes to the assembler, as if it could never be skipped.
func runForced(t *testing.T, data []byte, opts Options, forced bool) (*recorder, *Reader) {
	t.Helper()
	src, err := NewSource("test.pcap", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	rec := newRecorder(t)
	rd := NewReader(rec, opts)
	rd.unknownConns = forced
	if err := rd.Run(src); err != nil {
		t.Fatal(err)
	}
	return rec, rd
}

// The periodic flush is skipped only when it would do nothing: the
// handlers see the same calls, in the same order, as when every flush
// goes to the assembler, with segments held back behind a hole (data, a
// FIN, a RST), connections going idle, and connections that only ever
// carry data in order, whose flushes are skipped.
func TestFlushSkippedOnlyWhenIdle(t *testing.T) {
	opts := Options{ReorderWait: 2 * time.Second, IdleTimeout: 3 * time.Second, FlushInterval: time.Second}
	for _, tc := range []struct {
		name     string
		build    func(b *capBuilder, a, c *conv)
		skipSome bool // some flush must be skipped
	}{
		{"in order", func(b *capBuilder, a, c *conv) {
			for range 8 {
				b.addAfter(400*time.Millisecond, a.seg(I, "PA", "ping"))
				b.add(c.seg(I, "PA", "pong"))
			}
		}, true},
		{"a hole filled after the reorder wait", func(b *capBuilder, a, c *conv) {
			b.add(a.seg(I, "PA", "one"))
			late := a.next[I]
			a.next[I] += 4
			b.add(a.seg(I, "PA", "three"))
			for range 6 {
				b.addAfter(700*time.Millisecond, c.seg(I, "PA", "tick"))
			}
			b.add(a.segAt(I, "PA", late, "two!"))
		}, false},
		{"a FIN behind a hole", behindHole("FA"), false},
		{"a RST behind a hole", behindHole("R"), false},
		{"a connection going idle", func(b *capBuilder, a, c *conv) {
			b.add(a.seg(I, "PA", "quiet from now on"))
			for range 12 {
				b.addAfter(500*time.Millisecond, c.seg(I, "PA", "tick"))
			}
			b.add(a.seg(I, "PA", "back"))
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b capBuilder
			a := newConv(t, linkEthernet, cli4, srv4)
			c := newConv(t, linkEthernet, ep("10.0.0.3", 40002), srv4)
			b.add(a.seg(I, "S", ""))
			b.add(a.seg(R, "SA", ""))
			b.add(c.seg(I, "S", ""))
			b.add(c.seg(R, "SA", ""))
			tc.build(&b, a, c)
			data := writePcap(t, layers.LinkTypeEthernet, b.pkts, false)
			got, rd := runForced(t, data, opts, false)
			want, _ := runForced(t, data, opts, true)
			if !reflect.DeepEqual(got.events, want.events) {
				t.Errorf("calls\n%v\nwant (every flush made)\n%v", got.events, want.events)
			}
			if len(got.streams) != len(want.streams) {
				t.Fatalf("%d streams, want %d", len(got.streams), len(want.streams))
			}
			for i := range got.streams {
				if !reflect.DeepEqual(*got.streams[i], *want.streams[i]) {
					t.Errorf("stream %d:\n%+v\nwant\n%+v", i, *got.streams[i], *want.streams[i])
				}
			}
			if tc.skipSome && rd.skipped == 0 {
				t.Error("no flush skipped")
			}
			t.Logf("%d flushes skipped", rd.skipped)
		})
	}
}

// On random captures (randomTCPCapture), with random reorder waits, idle
// timeouts, flush intervals, connection limits and buffer limits, and
// some connections ignored, the handlers see the same calls whether
// flushes are skipped or all made, and the Reader's count of connections
// that may have data held back is the number of those marked so.
func TestFlushSkipRandom(t *testing.T) {
	skipped := 0
	for seed := int64(1); seed <= 600; seed++ {
		rng := rand.New(rand.NewSource(seed))
		data := writePcap(t, layers.LinkTypeEthernet, randomTCPCapture(t, rng), rng.Intn(2) == 0)
		waits := []time.Duration{time.Millisecond, 100 * time.Millisecond, time.Second, 2 * time.Second}
		idles := []time.Duration{100 * time.Millisecond, 500 * time.Millisecond, 3 * time.Second, 5 * time.Minute}
		flushes := []time.Duration{time.Second, 100 * time.Millisecond, 10 * time.Millisecond}
		opts := Options{
			ReorderWait:   waits[rng.Intn(len(waits))],
			IdleTimeout:   idles[rng.Intn(len(idles))],
			FlushInterval: flushes[rng.Intn(len(flushes))],
		}
		if rng.Intn(3) == 0 {
			opts.MaxConnections = 1 + rng.Intn(3)
		}
		if rng.Intn(4) == 0 {
			opts.MaxPagesPerConn = 1 + rng.Intn(3)
		}
		var ignore func(Flow) bool
		if rng.Intn(3) == 0 {
			ignore = func(f Flow) bool { return f.Responder.Port == 81 || f.Initiator.Port == 81 }
		}
		run := func(forced bool) ([]string, *Reader) {
			src, err := NewSource("random.pcap", bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			h := &callLog{ignore: ignore}
			rd := NewReader(h, opts)
			rd.unknownConns = forced
			if err := rd.Run(src); err != nil {
				t.Fatal(err)
			}
			held := 0
			for _, s := range rd.streams {
				if s.mayHold {
					held++
				}
			}
			if held != rd.holding {
				t.Errorf("seed %d: %d streams may hold data, Reader.holding %d", seed, held, rd.holding)
			}
			return append(h.log, fmt.Sprintf("stats %+v", rd.Stats())), rd
		}
		got, rd := run(false)
		want, _ := run(true)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d, %+v: calls\n%s\nwant (every flush made)\n%s", seed, opts, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		skipped += rd.skipped
	}
	if skipped == 0 {
		t.Error("no flush skipped")
	}
}

// callLog is a Handler that logs every call, to compare two runs.
type callLog struct {
	log    []string
	ignore func(Flow) bool
}

type callLogStream struct {
	h  *callLog
	id uint64
}

func (h *callLog) OpenStream(f Flow, first Packet) StreamHandler {
	h.log = append(h.log, fmt.Sprintf("open %d %v %v->%v syn=%v", f.ID, first.Number, f.Initiator, f.Responder, f.SawSYN))
	if h.ignore != nil && h.ignore(f) {
		return nil
	}
	return &callLogStream{h, f.ID}
}
func (h *callLog) Datagram(src, dst Endpoint, p []byte, pkt Packet) {}
func (s *callLogStream) Data(dir Direction, seg *Segment) {
	var pk []string
	for i := range seg.Bytes {
		pk = append(pk, strconv.FormatUint(seg.PacketAt(i).Number, 10))
	}
	s.h.log = append(s.h.log, fmt.Sprintf("data %d %v mid=%v %q %s", s.id, dir, seg.Midstream, seg.Bytes, strings.Join(pk, ",")))
}
func (s *callLogStream) Gap(dir Direction, missing int, at Packet) {
	s.h.log = append(s.h.log, fmt.Sprintf("gap %d %v %d at %d", s.id, dir, missing, at.Number))
}
func (s *callLogStream) Close(at Packet) {
	s.h.log = append(s.h.log, fmt.Sprintf("close %d at %d %v", s.id, at.Number, at.Time.UnixNano()))
}

// randomConv is a connection of randomTCPCapture.
type randomConv struct {
	c       *conv
	isn     [2]uint32
	started bool
}

// randomTCPCapture returns up to 65 packets of 1 to 4 connections (often
// on the same ports) with whatever makes reassembly hard: holes filled late
// or never, retransmissions and overlaps, a FIN or a RST at, behind or
// beyond the next byte, pure ACKs ahead, port reuse, SYNs with data,
// replayed packets, and times that jump ahead and go back.
func randomTCPCapture(t testing.TB, rng *rand.Rand) []testPacket {
	var pkts []testPacket
	ts := baseTime
	nc := 1 + rng.Intn(4)
	var cs []*randomConv
	for i := 0; i < nc; i++ {
		port := uint16(40000 + rng.Intn(2)) // port reuse likely
		srvPort := uint16(502)
		if rng.Intn(4) == 0 {
			srvPort = 81
		}
		c := newConv(t, linkEthernet, ep(fmt.Sprintf("10.0.0.%d", 1+rng.Intn(2)), port), ep("10.0.0.9", srvPort))
		c.next[0] = rng.Uint32()
		c.next[1] = rng.Uint32()
		cs = append(cs, &randomConv{c: c})
	}
	payload := func() string {
		n := 1 + rng.Intn(12)
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('a' + rng.Intn(26))
		}
		return string(b)
	}
	var past [][]byte
	n := 5 + rng.Intn(60)
	for k := 0; k < n; k++ {
		// time step
		switch rng.Intn(10) {
		case 0:
			ts = ts.Add(-time.Duration(rng.Intn(3000)) * time.Millisecond)
		case 1, 2:
			ts = ts.Add(time.Duration(rng.Intn(6000)) * time.Millisecond)
		case 3:
			ts = ts.Add(time.Duration(rng.Intn(400)) * time.Millisecond)
		default:
			ts = ts.Add(time.Duration(rng.Intn(5)) * time.Millisecond)
		}
		rc := cs[rng.Intn(len(cs))]
		c := rc.c
		dir := Direction(rng.Intn(2))
		var data []byte
		op := rng.Intn(20)
		switch {
		case !rc.started && rng.Intn(3) > 0:
			rc.started = true
			rc.isn = c.next
			data = c.seg(FromInitiator, "S", "")
			pkts = append(pkts, testPacket{ts: ts, data: data})
			if rng.Intn(4) > 0 {
				ts = ts.Add(time.Millisecond)
				data = c.seg(FromResponder, "SA", "")
			} else {
				continue
			}
		case op < 7:
			data = c.seg(dir, "PA", payload())
		case op == 7: // hole
			c.next[dir] += uint32(1 + rng.Intn(20))
			data = c.seg(dir, "PA", payload())
		case op == 8: // retransmission / overlap / late fill
			back := uint32(rng.Intn(30))
			data = c.segAt(dir, "PA", c.next[dir]-back, payload())
		case op == 9: // FIN at next or ahead
			if rng.Intn(2) == 0 {
				c.next[dir] += uint32(1 + rng.Intn(10))
			}
			data = c.seg(dir, "FA", "")
		case op == 10: // RST at, ahead, behind
			switch rng.Intn(3) {
			case 0:
				data = c.seg(dir, "R", "")
			case 1:
				data = c.segAt(dir, "RA", c.next[dir]+uint32(1+rng.Intn(10)), "")
			default:
				data = c.segAt(dir, "RA", c.next[dir]-uint32(1+rng.Intn(10)), "")
			}
		case op == 11: // pure ack ahead
			data = c.segAt(dir, "A", c.next[dir]+uint32(rng.Intn(10)), "")
		case op == 12: // new SYN (port reuse)
			c.next[0] = rng.Uint32()
			c.next[1] = rng.Uint32()
			data = c.seg(FromInitiator, "S", "")
			rc.started = true
		case op == 13: // SYN retransmission
			data = c.segAt(FromInitiator, "S", c.next[FromInitiator]-1, "")
		case op == 14: // replay a past packet
			if len(past) > 0 {
				data = past[rng.Intn(len(past))]
			} else {
				data = c.seg(dir, "PA", payload())
			}
		case op == 15: // FIN with data, maybe ahead
			if rng.Intn(2) == 0 {
				c.next[dir] += uint32(1 + rng.Intn(10))
			}
			data = c.seg(dir, "FPA", payload())
		case op == 16: // data with RST
			data = c.segAt(dir, "RPA", c.next[dir]+uint32(rng.Intn(3)), payload())
		case op == 17: // SYN with data
			data = c.segAt(dir, "S", c.next[dir]+uint32(rng.Intn(3)), payload())
		default:
			data = c.seg(dir, "PA", payload())
		}
		past = append(past, data)
		pkts = append(pkts, testPacket{ts: ts, data: data})
	}
	return pkts
}
