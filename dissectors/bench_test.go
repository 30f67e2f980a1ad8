package dissectors

import "testing"

type nopSink struct{ n int }

func (s *nopSink) Emit(*Record) error { s.n++; return nil }

// BenchmarkStreamFeed measures framing and decoding a stream of Modbus
// requests handed over one frame per Feed, the common case.
func BenchmarkStreamFeed(b *testing.B) {
	d := modbusDissector(b)
	frame := writeRegisters(1, 8)
	dec := d.NewConnection(&Conn{Transport: "tcp"}, &nopSink{})
	loc := &feedLoc{}
	b.ReportAllocs()
	b.SetBytes(int64(len(frame)))
	for i := 0; i < b.N; i++ {
		loc.n = uint64(i)
		if err := dec.Feed(ClientToServer, frame, loc, false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStreamFeedSplit feeds every frame in two pieces, so that each
// frame goes through the pending buffer.
func BenchmarkStreamFeedSplit(b *testing.B) {
	d := modbusDissector(b)
	frame := writeRegisters(1, 8)
	dec := d.NewConnection(&Conn{Transport: "tcp"}, &nopSink{})
	loc := &feedLoc{}
	b.ReportAllocs()
	b.SetBytes(int64(len(frame)))
	for i := 0; i < b.N; i++ {
		loc.n = uint64(2 * i)
		if err := dec.Feed(ClientToServer, frame[:5], loc, false); err != nil {
			b.Fatal(err)
		}
		loc.n++
		if err := dec.Feed(ClientToServer, frame[5:], loc, false); err != nil {
			b.Fatal(err)
		}
	}
}
