package pipeline

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/internal/pcapgen"
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
			if checkFileError(t, err, tt.wantErr) {
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

// checkFileError fails t unless err is want (nil or an errno), as the
// file's *fs.PathError; it reports whether there was an error.
func checkFileError(t *testing.T, err, want error) bool {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error %v, want %v", err, want)
	}
	if err == nil {
		return false
	}
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		t.Errorf("error %T %v, want the file's *fs.PathError", err, err)
	}
	return true
}

// Only files get writev.
func TestFileVectorOnlyFiles(t *testing.T) {
	if fileVector(&bytes.Buffer{}) != nil || fileVector(io.Discard) != nil {
		t.Error("writev for a writer that is not a file")
	}
}

// A parallel run writing to a pipe read slowly (writev writes part of a
// round, or waits) writes what a sequential run writes; one writing to a
// full device or to a pipe whose reader goes away returns the file's
// error, and returns: no worker waits forever on the one writing.
func TestParallelOutputFiles(t *testing.T) {
	data, err := pcapgen.LoadPcap(60, 6000, 3)
	if err != nil {
		t.Fatal(err)
	}
	regs := newRegistries(t, 4)       // the sequential run's, then 2 workers and the reader's
	newWriter := outputFormats[0].new // NDJSON
	var want bytes.Buffer
	src, err := capture.NewSource("t", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	w := newWriter(&want)
	if _, err := Run(src, Config{Registry: regs[0], Sink: w}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		// open returns the file to write to, and a function that
		// returns what was read from it once the file is closed.
		open    func(t *testing.T) (*os.File, func() []byte)
		wantErr error
	}{
		{"pipe read slowly", func(t *testing.T) (*os.File, func() []byte) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			got := make(chan []byte, 1)
			go func() {
				defer r.Close()
				var b bytes.Buffer
				buf := make([]byte, 4096)
				for i := 0; ; i++ {
					n, err := r.Read(buf)
					b.Write(buf[:n])
					if err != nil {
						break
					}
					if i%64 == 0 {
						time.Sleep(time.Millisecond)
					}
				}
				got <- b.Bytes()
			}()
			return w, func() []byte { return <-got }
		}, nil},
		{"pipe closed by its reader", func(t *testing.T) (*os.File, func() []byte) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			go func() {
				buf := make([]byte, 100<<10)
				_, _ = io.ReadFull(r, buf) // a part of the output, then gone
				r.Close()
			}()
			return w, nil
		}, syscall.EPIPE},
		{"full device", func(t *testing.T) (*os.File, func() []byte) {
			f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
			if err != nil {
				t.Skip(err)
			}
			return f, nil
		}, syscall.ENOSPC},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, read := tt.open(t)
			src, err := capture.NewSource("t", bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() {
				_, err := RunParallel(src, ParallelConfig{Jobs: 2, NewWorker: regs[1:].newWorker(newWriter), Output: f})
				done <- err
			}()
			select {
			case err = <-done:
			case <-time.After(time.Minute):
				t.Fatal("the run did not return")
			}
			f.Close()
			checkFileError(t, err, tt.wantErr)
			if read != nil {
				if got := read(); !bytes.Equal(got, want.Bytes()) {
					t.Errorf("read %d bytes, want the sequential run's %d", len(got), want.Len())
				}
			}
		})
	}
}
