package pipeline

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"syscall"
	"testing"
)

// On a pipe, whose buffer holds less than a flush, writev writes part of
// the slices or has to wait; on a broken one, the error is the one
// os.File.Write gives.
func TestFileVectorPipe(t *testing.T) {
	pieces, want := gatherPieces(20000) // about 500 KB
	tests := []struct {
		name    string
		read    bool // false: the reading end is closed
		wantErr error
	}{
		{"read", true, nil},
		{"broken", false, syscall.EPIPE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			got := make(chan []byte, 1)
			if tt.read {
				go func() {
					b, _ := io.ReadAll(r)
					got <- b
				}()
			} else {
				r.Close()
				got <- nil
			}
			vec := fileVector(w)
			if vec == nil {
				t.Fatal("no writev on a pipe")
			}
			g := newGatherWriter(w, vec)
			for _, p := range pieces {
				g.add(p)
			}
			err = g.flush()
			if err == nil {
				err = g.end()
			}
			w.Close()
			b := <-got
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				var pe *fs.PathError
				if !errors.As(err, &pe) {
					t.Errorf("error %T %v, want the file's *fs.PathError", err, err)
				}
				return
			}
			if !bytes.Equal(b, want) {
				t.Errorf("read %d bytes, want %d", len(b), len(want))
			}
			if g.vec == nil {
				t.Error("writev given up")
			}
		})
	}
}

// Only files get writev.
func TestFileVectorOnlyFiles(t *testing.T) {
	if fileVector(&bytes.Buffer{}) != nil || fileVector(io.Discard) != nil {
		t.Error("writev for a writer that is not a file")
	}
}
