package dissectors

import "testing"

type nopSink struct{ n int }

func (s *nopSink) Emit(*Record) error { s.n++; return nil }

// BenchmarkStreamFeed measures framing, decoding and pairing a Modbus
// request and its response, each handed over in one Feed: the common case.
func BenchmarkStreamFeed(b *testing.B) {
	d := modbusDissector(b)
	req := writeRegisters(1, 8)
	resp := []byte{0, 1, 0, 0, 0, 6, 1, 16, 0, 10, 0, 8}
	dec := d.NewConnection(&Conn{Transport: "tcp"}, &nopSink{})
	loc := &feedLoc{}
	b.ReportAllocs()
	b.SetBytes(int64(len(req) + len(resp)))
	for i := 0; i < b.N; i++ {
		req[0], req[1] = byte(i>>8), byte(i)
		resp[0], resp[1] = req[0], req[1]
		loc.n = uint64(2 * i)
		if err := dec.Feed(ClientToServer, req, loc, false); err != nil {
			b.Fatal(err)
		}
		loc.n++
		if err := dec.Feed(ServerToClient, resp, loc, false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStreamFeedSplit feeds every request in two pieces, so that it
// goes through the pending buffer, then its response.
func BenchmarkStreamFeedSplit(b *testing.B) {
	d := modbusDissector(b)
	frame := writeRegisters(1, 8)
	resp := []byte{0, 1, 0, 0, 0, 6, 1, 16, 0, 10, 0, 8}
	dec := d.NewConnection(&Conn{Transport: "tcp"}, &nopSink{})
	loc := &feedLoc{}
	b.ReportAllocs()
	b.SetBytes(int64(len(frame)))
	for i := 0; i < b.N; i++ {
		frame[0], frame[1] = byte(i>>8), byte(i)
		resp[0], resp[1] = frame[0], frame[1]
		loc.n = uint64(3 * i)
		if err := dec.Feed(ClientToServer, frame[:5], loc, false); err != nil {
			b.Fatal(err)
		}
		loc.n++
		if err := dec.Feed(ClientToServer, frame[5:], loc, false); err != nil {
			b.Fatal(err)
		}
		loc.n++
		if err := dec.Feed(ServerToClient, resp, loc, false); err != nil {
			b.Fatal(err)
		}
	}
}
