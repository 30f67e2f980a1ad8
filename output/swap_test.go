package output

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/dissect-project/dissect/dissectors"
)

// swapWriter is a Writer that can encode into buffers it is given.
type swapWriter interface {
	Writer
	SwapBuffer(buf []byte) []byte
	Buffered() int
}

// After SwapBuffer, a writer encodes into the buffers it is given and
// never writes to its writer, and the buffers hold, in order, what it
// would have written. Records emitted before the first call are in the
// buffer it returns (NDJSON) or go to the writer at Flush (Text).
func TestSwapBuffer(t *testing.T) {
	req := frameRecord(t, dissectors.ClientToServer, request, 4, time.Millisecond)
	resp := frameRecord(t, dissectors.ServerToClient, response, 5, 2*time.Millisecond)
	writers := []struct {
		name string
		new  func(w io.Writer) swapWriter
		// beforeToWriter: records emitted before the first SwapBuffer go
		// to the writer at Flush, not into the buffer it returns.
		beforeToWriter bool
	}{
		{"ndjson", func(w io.Writer) swapWriter { return NewNDJSON(w) }, false},
		{"text", func(w io.Writer) swapWriter { return NewText(w, TextOptions{}) }, true},
		{"tree+hex", func(w io.Writer) swapWriter { return NewText(w, TextOptions{Tree: true, Hex: true}) }, true},
	}
	tests := []struct {
		name   string
		before int // records emitted before the first swap, not flushed
		counts []int
	}{
		{"one buffer", 0, []int{3}},
		{"records held before", 2, []int{1, 4}},
		{"empty buffers", 0, []int{0, 2, 0}},
		{"beyond flushSize", 1, []int{flushSize/100 + 10, 5}}, // a record is over 100 bytes
	}
	for _, wr := range writers {
		for _, tt := range tests {
			t.Run(wr.name+"/"+tt.name, func(t *testing.T) {
				var plain, before, out bytes.Buffer
				pw, bw, w := wr.new(&plain), wr.new(&before), wr.new(&out)
				emit := func(i int, ws ...swapWriter) {
					r := req
					if i%2 == 1 {
						r = resp
					}
					for _, w := range ws {
						if err := w.Emit(r); err != nil {
							t.Fatal(err)
						}
					}
				}
				n, most := 0, 0
				for ; n < tt.before; n++ {
					emit(n, pw, bw, w)
				}
				if err := bw.Flush(); err != nil {
					t.Fatal(err)
				}
				got := w.SwapBuffer(make([]byte, 0, 16))
				if w.Buffered() != 0 {
					t.Errorf("Buffered %d after swapping in an empty buffer", w.Buffered())
				}
				for _, count := range tt.counts {
					start := n
					for ; n < start+count; n++ {
						emit(n, pw, w)
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
				wantOut := 0
				if wr.beforeToWriter {
					wantOut = before.Len()
				}
				if out.Len() != wantOut {
					t.Errorf("%d bytes written to the writer, want %d", out.Len(), wantOut)
				}
				if all := append(out.Bytes(), got...); !bytes.Equal(all, plain.Bytes()) {
					t.Errorf("writer and buffers hold %d bytes, the plain writer wrote %d", len(all), plain.Len())
				}
			})
		}
	}
}
