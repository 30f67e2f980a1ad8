package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/internal/pcapgen"
)

// fakeVector is a vectorWriter that writes at most limit bytes a call
// (0: no limit), fails with err once total bytes are written (when err is
// not nil), and writes nothing, without an error, on call stall (when not
// 0).
type fakeVector struct {
	out      bytes.Buffer
	limit    int
	failAt   int
	err      error
	stall    int
	calls    int
	maxCount int // the most slices a call was given
}

func (f *fakeVector) writev(pieces [][]byte) (int, error) {
	f.calls++
	f.maxCount = max(f.maxCount, len(pieces))
	if f.calls == f.stall {
		return 0, nil
	}
	n := 0
	for _, p := range pieces {
		if f.limit > 0 && n+len(p) > f.limit {
			p = p[:f.limit-n]
		}
		if f.err != nil && f.out.Len()+len(p) > f.failAt {
			p = p[:f.failAt-f.out.Len()]
			f.out.Write(p)
			return n + len(p), f.err
		}
		f.out.Write(p)
		n += len(p)
		if f.limit > 0 && n == f.limit {
			break
		}
	}
	return n, nil
}

// limitWriter fails with err once n bytes are written.
type limitWriter struct {
	out bytes.Buffer
	n   int
	err error
}

func (w *limitWriter) Write(p []byte) (int, error) {
	if w.err != nil && w.out.Len()+len(p) > w.n {
		k := w.n - w.out.Len()
		w.out.Write(p[:k])
		return k, w.err
	}
	return w.out.Write(p)
}

// gatherPieces returns count slices of varied lengths, and what they make
// together.
func gatherPieces(count int) ([][]byte, []byte) {
	var pieces [][]byte
	var all []byte
	for i := range count {
		p := []byte(fmt.Sprintf("%d:%s;", i, bytes.Repeat([]byte{'a' + byte(i%26)}, i%37)))
		pieces = append(pieces, p)
		all = append(all, p...)
	}
	return pieces, all
}

// gatherWriter writes every slice in order, whatever the vectorWriter
// writes a call, and a write error is the writer's own.
func TestGatherWriter(t *testing.T) {
	errVec := errors.New("writev failed")
	errOut := errors.New("disk full")
	tests := []struct {
		name      string
		pieces    int
		vec       *fakeVector // nil: no writev
		out       *limitWriter
		wantErr   error
		wantBytes int // with an error: how many bytes get out in all
		wantVec   bool
	}{
		{"buffered", 3000, nil, &limitWriter{}, nil, 0, false},
		{"buffered, write fails", 3000, nil, &limitWriter{n: 1000, err: errOut}, errOut, -1, false},
		{"writev, all at once", 3000, &fakeVector{}, &limitWriter{}, nil, 0, true},
		{"writev, partial writes", 3000, &fakeVector{limit: 97}, &limitWriter{}, nil, 0, true},
		{"writev, one byte a call", 300, &fakeVector{limit: 1}, &limitWriter{}, nil, 0, true},
		{"writev fails, the writer does not", 3000, &fakeVector{failAt: 5000, err: errVec}, &limitWriter{}, nil, 0, false},
		{"writev fails, so does the writer", 3000, &fakeVector{failAt: 5000, err: errVec}, &limitWriter{n: 100, err: errOut}, errOut, 5100, false},
		{"writev stalls", 3000, &fakeVector{limit: 50, stall: 3}, &limitWriter{}, nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var vec vectorWriter
			if tt.vec != nil {
				vec = tt.vec
			}
			g := newGatherWriter(tt.out, vec)
			pieces, want := gatherPieces(tt.pieces)
			var err error
			// Two flushes of half the slices each, as two rounds.
			for _, half := range [][][]byte{pieces[:len(pieces)/2], pieces[len(pieces)/2:]} {
				for _, p := range half {
					g.add(p)
				}
				g.add(nil) // an event with no output
				if err = g.flush(); err != nil {
					break
				}
			}
			if err == nil {
				err = g.end()
			}
			var got []byte
			if tt.vec != nil {
				got = append(got, tt.vec.out.Bytes()...)
				if tt.vec.maxCount > maxIOV {
					t.Errorf("writev given %d slices, at most %d allowed", tt.vec.maxCount, maxIOV)
				}
			}
			got = append(got, tt.out.out.Bytes()...)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			switch {
			case tt.wantErr == nil && !bytes.Equal(got, want):
				t.Errorf("wrote %d bytes, want %d: %.80q", len(got), len(want), got)
			case tt.wantErr != nil && !bytes.Equal(got, want[:len(got)]):
				t.Errorf("wrote %.80q, not a prefix of the slices", got)
			case tt.wantErr != nil && tt.wantBytes >= 0 && len(got) != tt.wantBytes:
				t.Errorf("wrote %d bytes before the error, want %d", len(got), tt.wantBytes)
			}
			if (g.vec != nil) != tt.wantVec {
				t.Errorf("still using writev: %v, want %v", g.vec != nil, tt.wantVec)
			}
			if len(g.pieces) != 0 {
				t.Errorf("%d slices kept after the flush", len(g.pieces))
			}
		})
	}
}

// A parallel run writing to a file (with writev, on Linux) writes what a
// sequential run writes, in the same order.
func TestParallelToFile(t *testing.T) {
	data, err := pcapgen.LoadPcap(60, 6000, 3)
	if err != nil {
		t.Fatal(err)
	}
	regs := newRegistries(t, 3)
	for _, format := range outputFormats[:2] {
		t.Run(format.name, func(t *testing.T) {
			var seq bytes.Buffer
			src, err := capture.NewSource("t", bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			w := format.new(&seq)
			if _, err := Run(src, Config{Registry: regs[0], Sink: w}); err != nil {
				t.Fatal(err)
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			f, err := os.Create(filepath.Join(t.TempDir(), "out"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			src, err = capture.NewSource("t", bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := RunParallel(src, ParallelConfig{Jobs: 2, NewWorker: regs.newWorker(format.new), Output: f}); err != nil {
				t.Fatal(err)
			}
			par, err := os.ReadFile(f.Name())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(par, seq.Bytes()) {
				t.Errorf("output differs from the sequential run (%d bytes vs %d)", len(par), seq.Len())
			}
		})
	}
}
