package dissectors

import (
	"strings"
	"testing"
)

// feedPieces feeds b to dir of conn in pieces of n bytes, packet numbers
// counting from *pkt.
func feedPieces(t *testing.T, conn Connection, b []byte, n int, pkt *uint64) {
	t.Helper()
	for off := 0; off < len(b); off += n {
		*pkt++
		if err := conn.Feed(ClientToServer, b[off:min(off+n, len(b))], feedLoc{*pkt}, false); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBufferLimits(t *testing.T) {
	small := readRequest(1, 0, 1)  // 12 bytes
	big := writeRegisters(2, 60)   // 133 bytes
	small2 := readRequest(3, 0, 1) // 12 bytes
	stream := append(append(append([]byte(nil), small...), big...), small2...)
	tests := []struct {
		name   string
		limits BufferLimits
		piece  int      // feed the stream in pieces of this size
		want   []string // records
		peak   int      // BufferLimits peak
	}{{
		name:   "a frame larger than the per-stream limit is skipped, exactly",
		limits: BufferLimits{PerStream: 100},
		piece:  10,
		want: []string{
			`frame@0+12[1-2] "Query: Trans: 1; Unit: 1, Func: Read Holding Registers (3)" ""`,
			`skipped@12+133[2-15] "" "` + ReasonBufferLimit + `"`,
			`frame@145+12[15-16] "Query: Trans: 3; Unit: 1, Func: Read Holding Registers (3)" ""`,
		},
		peak: 98,
	}, {
		name:   "the total limit counts across streams",
		limits: BufferLimits{Total: 50},
		piece:  40,
		want: []string{
			`frame@0+12[1-1] "Query: Trans: 1; Unit: 1, Func: Read Holding Registers (3)" ""`,
			`skipped@12+133[1-4] "" "` + ReasonBufferLimit + `"`,
			`frame@145+12[4-4] "Query: Trans: 3; Unit: 1, Func: Read Holding Registers (3)" ""`,
		},
		peak: 28,
	}, {
		name:   "a large frame that arrives whole is not buffered, so not skipped",
		limits: BufferLimits{PerStream: 20},
		piece:  len(stream),
		want: []string{
			`frame@0+12[1-1] "Query: Trans: 1; Unit: 1, Func: Read Holding Registers (3)" ""`,
			`frame@12+133[1-1] "Query: Trans: 2; Unit: 1, Func: Write Multiple Registers (16)" ""`,
			`frame@145+12[1-1] "Query: Trans: 3; Unit: 1, Func: Read Holding Registers (3)" ""`,
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := modbusDissector(t)
			limits := tt.limits
			d.Buffers = &limits
			sink := &collectSink{}
			conn := d.NewConnection(&Conn{Transport: "tcp"}, sink)
			var pkt uint64
			feedPieces(t, conn, stream, tt.piece, &pkt)
			if err := conn.Close(Packet{Number: 99}); err != nil {
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
			now, peak := limits.Used()
			if now != 0 || peak != tt.peak {
				t.Errorf("buffers: %d held at the end, peak %d; want 0 and %d", now, peak, tt.peak)
			}
		})
	}
}

// TestBufferTotalAcrossConnections holds part of a frame in one connection
// so that another one, under the total limit, has to skip.
func TestBufferTotalAcrossConnections(t *testing.T) {
	d := modbusDissector(t)
	limits := BufferLimits{Total: 150}
	d.Buffers = &limits
	sinkA, sinkB := &collectSink{}, &collectSink{}
	a := d.NewConnection(&Conn{ID: 0, Transport: "tcp"}, sinkA)
	b := d.NewConnection(&Conn{ID: 1, Transport: "tcp"}, sinkB)
	big := writeRegisters(2, 60)
	var pkt uint64
	feedPieces(t, a, big[:80], 80, &pkt) // A holds 80
	feedPieces(t, b, big[:80], 80, &pkt) // B can't hold 80 more
	feedPieces(t, b, big[80:], 200, &pkt)
	feedPieces(t, a, big[80:], 200, &pkt) // A completes
	for _, c := range []Connection{a, b} {
		if err := c.Close(Packet{Number: 99}); err != nil {
			t.Fatal(err)
		}
	}
	if len(sinkA.recs) != 1 || sinkA.recs[0].kind != KindFrame || sinkA.recs[0].err != "" {
		t.Errorf("A: %v, want one good frame", sinkA.recs)
	}
	if len(sinkB.recs) != 1 || sinkB.recs[0].kind != KindSkipped || sinkB.recs[0].length != len(big) || sinkB.recs[0].err != ReasonBufferLimit {
		t.Errorf("B: %v, want the frame skipped", sinkB.recs)
	}
	checkAccounting(t, sinkA, ClientToServer)
	checkAccounting(t, sinkB, ClientToServer)
	if now, peak := limits.Used(); now != 0 || peak != len(big) {
		t.Errorf("buffers: %d held at the end, peak %d; want 0 and %d", now, peak, len(big))
	}
}
