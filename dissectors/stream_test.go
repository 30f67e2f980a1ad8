package dissectors

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// feedLoc says every byte of a Feed call came in packet number n.
type feedLoc struct{ n uint64 }

func (l feedLoc) PacketAt(int) Packet {
	return Packet{Number: l.n, Time: time.Unix(int64(l.n), 0)}
}

// captured is a copy of a record, kept by collectSink.
type captured struct {
	kind        RecordKind
	offset      uint64
	length      int
	first, last uint64
	summary     string
	err         string
}

func (c captured) String() string {
	return fmt.Sprintf("%s@%d+%d[%d-%d] %q %q", c.kind, c.offset, c.length, c.first, c.last, c.summary, c.err)
}

type collectSink struct {
	keepPairs bool
	recs      []captured
	failOn    int // return an error on this record number (1-based); 0: never
	emitted   int
	streams   map[Direction]ByteCounts // the KindStream records, kept apart from recs
}

func (s *collectSink) Emit(r *Record) error {
	if r.Kind == KindUnanswered && !s.keepPairs {
		return nil // these tests are about framing; pairing has its own
	}
	if r.Kind == KindStream {
		if s.streams == nil {
			s.streams = map[Direction]ByteCounts{}
		}
		s.streams[r.Dir] = *r.Bytes
		return nil
	}
	s.emitted++
	c := captured{kind: r.Kind, offset: r.Offset, length: r.Length, first: r.FirstPacket, last: r.LastPacket, err: r.Err()}
	if r.Frame != nil && r.Kind == KindFrame {
		c.summary = string(r.Frame.AppendSummary(nil))
	}
	s.recs = append(s.recs, c)
	if s.failOn > 0 && s.emitted == s.failOn {
		return errors.New("sink failed")
	}
	return nil
}

func modbusDissector(t testing.TB) *SchemaDissector {
	t.Helper()
	reg := NewRegistry()
	if err := reg.LoadBundled(); err != nil {
		t.Fatal(err)
	}
	d, ok := reg.ByName("modbus")
	if !ok {
		t.Fatal("no bundled modbus dissector")
	}
	return d.(*SchemaDissector)
}

// readRequest builds a Modbus "read holding registers" request ADU.
func readRequest(tid uint16, start, count uint16) []byte {
	return []byte{byte(tid >> 8), byte(tid), 0, 0, 0, 6, 1, 3, byte(start >> 8), byte(start), byte(count >> 8), byte(count)}
}

// writeRegisters builds a "write multiple registers" request with n values.
func writeRegisters(tid uint16, n int) []byte {
	b := []byte{byte(tid >> 8), byte(tid), 0, 0, 0, byte(7 + 2*n), 1, 16, 0, 10, 0, byte(n), byte(2 * n)}
	for i := 0; i < n; i++ {
		b = append(b, 0, byte(i))
	}
	return b
}

func testStream() []byte {
	var s []byte
	s = append(s, readRequest(1, 0, 10)...)
	s = append(s, writeRegisters(2, 5)...)
	s = append(s, readRequest(3, 100, 1)...)
	s = append(s, writeRegisters(4, 1)...)
	return s
}

func decodeSplits(t *testing.T, d *SchemaDissector, stream []byte, cuts []int, midstream bool) []captured {
	t.Helper()
	sink := &collectSink{}
	conn := &Conn{Transport: "tcp"}
	dec := d.NewConnection(conn, sink)
	prev := 0
	for i, c := range append(cuts, len(stream)) {
		if err := dec.Feed(ClientToServer, stream[prev:c], feedLoc{uint64(i + 1)}, midstream && i == 0); err != nil {
			t.Fatal(err)
		}
		prev = c
	}
	if err := dec.Close(Packet{Number: 99}); err != nil {
		t.Fatal(err)
	}
	return sink.recs
}

// Every way of cutting the stream in up to three pieces decodes to the same
// frames as the whole stream, with the packet numbers of the pieces.
func TestStreamEverySplit(t *testing.T) {
	d := modbusDissector(t)
	stream := testStream()
	whole := decodeSplits(t, d, stream, nil, false)
	if len(whole) != 4 {
		t.Fatalf("whole stream: %d records, want 4: %v", len(whole), whole)
	}
	for _, r := range whole {
		if r.err != "" || r.kind != KindFrame {
			t.Fatalf("whole stream: unexpected record %v", r)
		}
	}
	// pieceOf returns the 1-based piece number holding byte off.
	pieceOf := func(cuts []int, off int) uint64 {
		n := uint64(1)
		for _, c := range cuts {
			if off >= c {
				n++
			}
		}
		return n
	}
	check := func(cuts []int) {
		got := decodeSplits(t, d, stream, cuts, false)
		if len(got) != len(whole) {
			t.Fatalf("cuts %v: %d records, want %d: %v", cuts, len(got), len(whole), got)
		}
		for i, g := range got {
			w := whole[i]
			w.first = pieceOf(cuts, int(w.offset))
			w.last = pieceOf(cuts, int(w.offset)+w.length-1)
			if g != w {
				t.Fatalf("cuts %v: record %d = %v, want %v", cuts, i, g, w)
			}
		}
	}
	for i := 0; i <= len(stream); i++ {
		for j := i; j <= len(stream); j++ {
			check([]int{i, j})
		}
	}
	// One byte at a time.
	var ones []int
	for i := 1; i < len(stream); i++ {
		ones = append(ones, i)
	}
	check(ones)
}

func TestStreamRecords(t *testing.T) {
	d := modbusDissector(t)
	good := readRequest(7, 1, 2)
	badProto := readRequest(8, 1, 2)
	badProto[3] = 9                                   // protocol id must be 0
	shortBody := []byte{0, 9, 0, 0, 0, 4, 1, 3, 0, 1} // length says 4: body cut after 2 bytes
	tests := []struct {
		name      string
		pieces    [][]byte
		midstream bool
		gapAfter  int // feed a gap of this many bytes after piece 1 (0: none)
		want      []string
	}{
		{
			name:      "midstream start skips to the first valid frame",
			pieces:    [][]byte{append([]byte{0x03, 0x00, 0x05}, good...)},
			midstream: true,
			want: []string{
				`skipped@0+3[1-1] "" "capture started in the middle of the stream; searching for the start of a frame"`,
				`frame@3+12[1-1] "Query: Trans: 7; Unit: 1, Func: Read Holding Registers (3)" ""`,
			},
		},
		{
			name:   "a frame that fails to decode is kept with its error and decoding goes on",
			pieces: [][]byte{badProto, good},
			want: []string{
				`frame@0+12[1-1] "Query: Trans: 8; Unit: ?, Func: ?" "mbap.protocol_id: bad value: expected 0, found 9 (at frame offset 2)"`,
				`frame@12+12[2-2] "Query: Trans: 7; Unit: 1, Func: Read Holding Registers (3)" ""`,
			},
		},
		{
			name:   "a frame too short for its fields reports where it ran out",
			pieces: [][]byte{shortBody, good},
			want: []string{
				`frame@0+10[1-1] "Query: Trans: 9; Unit: 1, Func: Read Holding Registers (3)" "body.quantity: truncated: expected 2 bytes for u16, found 0 (at frame offset 10)"`,
				`frame@10+12[2-2] "Query: Trans: 7; Unit: 1, Func: Read Holding Registers (3)" ""`,
			},
		},
		{
			name:   "an impossible length field starts a search and the bytes are reported",
			pieces: [][]byte{good, {0, 1, 0, 0, 0xff, 0xff, 1}, good},
			want: []string{
				`frame@0+12[1-1] "Query: Trans: 7; Unit: 1, Func: Read Holding Registers (3)" ""`,
				`skipped@12+7[2-2] "" "no valid frame here: the framing length is out of range; searching for the start of a frame"`,
				`frame@19+12[3-3] "Query: Trans: 7; Unit: 1, Func: Read Holding Registers (3)" ""`,
			},
		},
		{
			name:     "a gap inside a frame: the part is kept, the gap reported, and decoding resumes",
			pieces:   [][]byte{good[:5], good},
			gapAfter: 7,
			want: []string{
				`frame@0+5[1-1] "Query: Trans: 7; Unit: ?, Func: ?" "incomplete frame: the rest was lost in a gap in the capture: have 5 bytes"`,
				`gap@5+7[50-50] "" "7 bytes missing from the capture"`,
				`frame@12+12[2-2] "Query: Trans: 7; Unit: 1, Func: Read Holding Registers (3)" ""`,
			},
		},
		{
			name:   "a stream that ends inside a frame reports the partial frame",
			pieces: [][]byte{good, good[:9]},
			want: []string{
				`frame@0+12[1-1] "Query: Trans: 7; Unit: 1, Func: Read Holding Registers (3)" ""`,
				`frame@12+9[2-2] "Query: Trans: 7; Unit: 1, Func: Read Holding Registers (3)" "incomplete frame: the stream ended before the frame was complete: have 9 bytes of 12"`,
			},
		},
		{
			name:      "garbage to the end of a midstream capture is all reported as skipped",
			pieces:    [][]byte{{1, 2, 3}, {4, 5}},
			midstream: true,
			want: []string{
				`skipped@0+5[1-2] "" "capture started in the middle of the stream; searching for the start of a frame"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := &collectSink{}
			dec := d.NewConnection(&Conn{Transport: "tcp"}, sink)
			for i, p := range tt.pieces {
				if err := dec.Feed(ClientToServer, p, feedLoc{uint64(i + 1)}, tt.midstream && i == 0); err != nil {
					t.Fatal(err)
				}
				if i == 0 && tt.gapAfter > 0 {
					if err := dec.Gap(ClientToServer, tt.gapAfter, Packet{Number: 50}); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := dec.Close(Packet{Number: 99}); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range sink.recs {
				got = append(got, r.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			checkAccounting(t, sink, ClientToServer)
		})
	}
}

// checkAccounting checks that the KindStream record of dir adds up and
// agrees with the records emitted: every byte in exactly one of them.
func checkAccounting(t *testing.T, sink *collectSink, dir Direction) {
	t.Helper()
	got, ok := sink.streams[dir]
	if !ok {
		t.Fatalf("no stream record for %s", dir)
	}
	if e := got.Check(); e != "" {
		t.Errorf("accounting does not add up: %s", e)
	}
	var want ByteCounts
	for _, r := range sink.recs {
		n := uint64(r.length)
		switch {
		case r.kind == KindGap:
			want.Missing += n
		case r.kind == KindSkipped:
			want.Skipped += n
		case r.kind == KindFrame && strings.HasPrefix(r.err, "incomplete frame"):
			want.Incomplete += n
		case r.kind == KindFrame:
			want.Decoded += n
		}
	}
	want.Seen = want.Decoded + want.Skipped + want.Incomplete
	if got != want {
		t.Errorf("accounting %+v, records say %+v", got, want)
	}
}

// Hostile input: whatever the bytes, pending memory stays bounded by the
// framing's maximum and every byte is accounted for exactly once.
func TestStreamAccountsForEveryByte(t *testing.T) {
	d := modbusDissector(t)
	max := d.Program.Framing.Max
	var stream []byte
	seed := uint32(1)
	for len(stream) < 20000 {
		seed = seed*1664525 + 1013904223
		switch seed >> 29 {
		case 0, 1:
			stream = append(stream, readRequest(uint16(seed), 1, 2)...)
		case 2:
			stream = append(stream, 0, 0, 0, 0, byte(seed>>8), byte(seed>>16)) // hostile length
		default:
			stream = append(stream, byte(seed>>24))
		}
	}
	sink := &collectSink{}
	conn := d.NewConnection(&Conn{Transport: "tcp"}, sink).(*connection)
	dec := &conn.dirs[ClientToServer]
	for off, i := 0, 0; off < len(stream); i++ {
		n := 1 + (i*7919)%97
		end := min(off+n, len(stream))
		if err := conn.Feed(ClientToServer, stream[off:end], feedLoc{uint64(i + 1)}, i == 0); err != nil {
			t.Fatal(err)
		}
		if len(dec.pending) > max+pendingChunk {
			t.Fatalf("pending grew to %d bytes, more than max frame %d", len(dec.pending), max)
		}
		off = end
	}
	if err := conn.Close(Packet{Number: 1 << 20}); err != nil {
		t.Fatal(err)
	}
	next := uint64(0)
	frames := 0
	for _, r := range sink.recs {
		if r.offset != next {
			t.Fatalf("record %v starts at %d, want %d: bytes lost or counted twice", r, r.offset, next)
		}
		next += uint64(r.length)
		if r.kind == KindFrame && r.err == "" {
			frames++
		}
	}
	if next != uint64(len(stream)) {
		t.Fatalf("records cover %d bytes, stream has %d", next, len(stream))
	}
	if frames == 0 {
		t.Fatal("no good frames found in a stream full of them")
	}
	checkAccounting(t, sink, ClientToServer)
	if b := sink.streams[ClientToServer]; b.Seen != uint64(len(stream)) {
		t.Errorf("accounting saw %d bytes, stream has %d", b.Seen, len(stream))
	}
}

func TestStreamStopsAfterSinkError(t *testing.T) {
	d := modbusDissector(t)
	sink := &collectSink{failOn: 2}
	dec := d.NewConnection(&Conn{Transport: "tcp"}, sink)
	var stream []byte
	for i := 0; i < 5; i++ {
		stream = append(stream, readRequest(uint16(i), 0, 1)...)
	}
	if err := dec.Feed(ClientToServer, stream, feedLoc{1}, false); err == nil {
		t.Fatal("Feed returned no error after the sink failed")
	}
	if err := dec.Feed(ClientToServer, stream, feedLoc{2}, false); err == nil {
		t.Fatal("a later Feed returned no error")
	}
	if sink.emitted != 2 {
		t.Fatalf("emitted %d records after the sink failed on the 2nd", sink.emitted)
	}
}
