package output

import (
	"bytes"
	"testing"
	"time"

	"github.com/dissect-project/dissect/dissectors"
)

// After SwapBuffer, NDJSON encodes into the buffers it is given, never
// writes to its writer, and the buffers hold, in order, what it would
// have written.
func TestNDJSONSwapBuffer(t *testing.T) {
	req := frameRecord(t, dissectors.ClientToServer, request, 4, time.Millisecond)
	resp := frameRecord(t, dissectors.ServerToClient, response, 5, 2*time.Millisecond)
	tests := []struct {
		name   string
		before int // records emitted before the first swap, not flushed
		counts []int
	}{
		{"one buffer", 0, []int{3}},
		{"records held before", 2, []int{1, 4}},
		{"empty buffers", 0, []int{0, 2, 0}},
		{"beyond flushSize", 1, []int{flushSize/200 + 10, 5}}, // a record is over 200 bytes
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var plain bytes.Buffer
			pw := NewNDJSON(&plain)
			var out bytes.Buffer
			w := NewNDJSON(&out)
			emit := func(i int) {
				r := req
				if i%2 == 1 {
					r = resp
				}
				if err := pw.Emit(r); err != nil {
					t.Fatal(err)
				}
				if err := w.Emit(r); err != nil {
					t.Fatal(err)
				}
			}
			n, most := 0, 0
			for ; n < tt.before; n++ {
				emit(n)
			}
			got := w.SwapBuffer(make([]byte, 0, 16))
			if w.Buffered() != 0 {
				t.Errorf("Buffered %d after swapping in an empty buffer", w.Buffered())
			}
			for _, count := range tt.counts {
				start := n
				for ; n < start+count; n++ {
					emit(n)
					if err := w.Flush(); err != nil {
						t.Fatal(err)
					}
				}
				held := w.Buffered()
				most = max(most, held)
				buf := w.SwapBuffer(nil)
				if len(buf) != held {
					t.Errorf("Buffered %d, buffer of %d bytes", held, len(buf))
				}
				got = append(got, buf...)
			}
			if err := pw.Flush(); err != nil {
				t.Fatal(err)
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if tt.name == "beyond flushSize" && most < flushSize {
				t.Errorf("at most %d bytes held, want over %d", most, flushSize)
			}
			if out.Len() != 0 {
				t.Errorf("%d bytes written to the writer", out.Len())
			}
			if !bytes.Equal(got, plain.Bytes()) {
				t.Errorf("buffers hold %d bytes, the plain writer wrote %d", len(got), plain.Len())
			}
		})
	}
}
