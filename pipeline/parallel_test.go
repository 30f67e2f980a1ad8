package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/internal/pcapgen"
	"github.com/dissect-project/dissect/output"
)

// outputFormats are the writers a parallel run must reproduce.
var outputFormats = []struct {
	name string
	new  func(w io.Writer) output.Writer
}{
	{"ndjson", func(w io.Writer) output.Writer { return output.NewNDJSON(w) }},
	{"text", func(w io.Writer) output.Writer { return output.NewText(w, output.TextOptions{}) }},
	{"tree+hex", func(w io.Writer) output.Writer { return output.NewText(w, output.TextOptions{Tree: true, Hex: true}) }},
	// A sink that cannot encode into the batches' buffers: the worker
	// copies what it writes.
	{"ndjson, copied", func(w io.Writer) output.Writer { return plainSink{output.NewNDJSON(w)} }},
}

// plainSink hides all of a writer's methods but Emit and Flush.
type plainSink struct{ output.Writer }

// bundledRegistry returns a registry holding the bundled library, linked
// (LoadBundled links it).
func bundledRegistry(t testing.TB) *dissectors.Registry {
	t.Helper()
	reg := dissectors.NewRegistry()
	if err := reg.LoadBundled(); err != nil {
		t.Fatal(err)
	}
	return reg
}

// registries are compiled once and reused from run to run; a run's workers
// each take their own.
type registries []*dissectors.Registry

func newRegistries(t testing.TB, n int) registries {
	regs := make(registries, n)
	for i := range regs {
		regs[i] = bundledRegistry(t)
	}
	return regs
}

// newWorker returns a NewWorkerFunc handing out the registries in turn.
func (regs registries) newWorker(newWriter func(io.Writer) output.Writer) NewWorkerFunc {
	next := 0
	return func(out io.Writer) (*dissectors.Registry, WorkerSink, error) {
		next++
		return regs[next-1], newWriter(out), nil
	}
}

// runBoth runs a capture sequentially and with jobs workers, and returns
// both outputs and summaries.
func runBoth(t *testing.T, regs registries, data []byte, jobs int, newWriter func(io.Writer) output.Writer) (seq, par []byte, seqSum, parSum Summary) {
	t.Helper()
	var a, b bytes.Buffer
	src, err := capture.NewSource("capture", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	w := newWriter(&a)
	seqSum, seqErr := Run(src, Config{Registry: regs[0], Sink: w})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	src, err = capture.NewSource("capture", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	parSum, parErr := RunParallel(src, ParallelConfig{Jobs: jobs, NewWorker: regs.newWorker(newWriter), Output: &b})
	if (seqErr == nil) != (parErr == nil) || (seqErr != nil && seqErr.Error() != parErr.Error()) {
		t.Errorf("errors differ: sequential %v, parallel %v", seqErr, parErr)
	}
	return a.Bytes(), b.Bytes(), seqSum, parSum
}

// captureFiles returns the generated test captures and, when the folder is
// beside the repository, the public ones.
func captureFiles(t *testing.T) []string {
	files, _ := filepath.Glob(filepath.Join(pcapDir, "*.pcap*"))
	for _, dir := range []string{"../../shared/pcaps", "../../../shared/pcaps"} {
		shared, _ := filepath.Glob(filepath.Join(dir, "*.pcap*"))
		for _, f := range shared {
			if !strings.HasSuffix(f, ".json") {
				files = append(files, f)
			}
		}
		if len(shared) > 0 {
			break
		}
	}
	if len(files) == 0 {
		t.Fatal("no captures in " + pcapDir)
	}
	return files
}

// With any number of workers, the output is byte for byte that of a
// sequential run, and so is the summary.
func TestParallelSameOutput(t *testing.T) {
	type input struct {
		name string
		data []byte
	}
	var inputs []input
	for _, f := range captureFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, input{filepath.Base(f), data})
	}
	// Many rounds of events, over many connections.
	load, err := pcapgen.LoadPcap(60, 6000, 3)
	if err != nil {
		t.Fatal(err)
	}
	inputs = append(inputs, input{"load", load})

	regs := newRegistries(t, 4) // up to 3 workers and the reader's
	for _, in := range inputs {
		for _, format := range outputFormats {
			for _, jobs := range []int{1, 2, 3} {
				seq, par, seqSum, parSum := runBoth(t, regs, in.data, jobs, format.new)
				if !bytes.Equal(seq, par) {
					t.Errorf("%s %s -j %d: output differs from the sequential run (%d bytes vs %d)", in.name, format.name, jobs, len(par), len(seq))
				}
				if !reflect.DeepEqual(seqSum, parSum) {
					t.Errorf("%s %s -j %d: summary\n%+v\nwant\n%+v", in.name, format.name, jobs, parSum, seqSum)
				}
				if in.name == "modbus-many.pcap" && seqSum.Frames == 0 {
					t.Errorf("%s: no frames decoded", in.name)
				}
			}
		}
	}
}

type failWriter struct{ n int }

var errDiskFull = errors.New("disk full")

func (w *failWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	if w.n > 1000 {
		return 0, errDiskFull
	}
	return len(p), nil
}

func TestParallelErrors(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(pcapDir, "modbus-many.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	newWorker := func(out io.Writer) (*dissectors.Registry, WorkerSink, error) {
		return bundledRegistry(t), output.NewNDJSON(out), nil
	}
	errWorker := errors.New("no registry")
	tests := []struct {
		name      string
		jobs      int
		newWorker NewWorkerFunc
		out       io.Writer
		want      string
	}{
		{"no jobs", 0, newWorker, io.Discard, "0 jobs"},
		{"too many jobs", MaxJobs + 1, newWorker, io.Discard, "jobs: want 1 to"},
		{"worker set-up fails", 2, func(io.Writer) (*dissectors.Registry, WorkerSink, error) { return nil, nil, errWorker }, io.Discard, "no registry"},
		{"write fails", 2, newWorker, &failWriter{}, "disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := capture.NewSource("t", bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			_, err = RunParallel(src, ParallelConfig{Jobs: tt.jobs, NewWorker: tt.newWorker, Output: tt.out})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one with %q", err, tt.want)
			}
		})
	}
}

// The parallel path allocates per connection and for the buffers of the
// rounds of events in flight, which are recycled, not per packet: a
// connection of 30,000 transactions allocates little more than one of
// 10,000, with one worker or two, writing through a buffer or, to a file,
// with writev.
func TestParallelAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	tests := []struct {
		name string
		jobs int
		out  io.Writer
	}{
		{"one worker, buffered", 1, io.Discard},
		{"two workers, writev", 2, devNull},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			allocs := func(data []byte) float64 {
				regs := newRegistries(t, tt.jobs+1)
				newWriter := func(w io.Writer) output.Writer { return output.NewNDJSON(w) }
				return testing.AllocsPerRun(5, func() {
					newWorker := regs.newWorker(newWriter)
					src, err := capture.NewSource("t", bytes.NewReader(data))
					if err != nil {
						t.Fatal(err)
					}
					if _, err := RunParallel(src, ParallelConfig{Jobs: tt.jobs, NewWorker: newWorker, Output: tt.out}); err != nil {
						t.Fatal(err)
					}
				})
			}
			small, large := allocs(longConnection(t, 10000)), allocs(longConnection(t, 30000))
			t.Logf("allocations per run: %v for 10,000 transactions, %v for 30,000", small, large)
			// 80,000 more packets: a handful of buffers may still grow once.
			if large-small > 64 {
				t.Errorf("allocations: %v for 10,000 transactions, %v for 30,000: %.4f per extra packet", small, large, (large-small)/80000)
			}
		})
	}
}

// stopWriter closes stop at its first write, as Ctrl-C would once
// output has begun.
type stopWriter struct {
	out  bytes.Buffer
	stop chan struct{}
}

func (w *stopWriter) Write(p []byte) (int, error) {
	if w.out.Len() == 0 {
		close(w.stop)
	}
	return w.out.Write(p)
}

// A parallel run stopped while it writes returns, without an error,
// having read part of the capture, and writes a line for every record it
// counts: those of the rounds in flight, then of the streams flushed and
// closed.
func TestParallelStop(t *testing.T) {
	data, err := pcapgen.LoadPcap(200, 40000, 5)
	if err != nil {
		t.Fatal(err)
	}
	regs := newRegistries(t, 4)
	src, err := capture.NewSource("t", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	all, err := Run(src, Config{Registry: regs[0], Sink: output.NewNDJSON(io.Discard)})
	if err != nil {
		t.Fatal(err)
	}
	for _, jobs := range []int{1, 3} {
		t.Run(fmt.Sprintf("j%d", jobs), func(t *testing.T) {
			src, err := capture.NewSource("t", bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			w := &stopWriter{stop: make(chan struct{})}
			cfg := ParallelConfig{Jobs: jobs, NewWorker: regs.newWorker(outputFormats[0].new), Output: w}
			cfg.Stop = w.stop
			sum, err := RunParallel(src, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Capture.Packets == 0 || sum.Capture.Packets >= all.Capture.Packets {
				t.Errorf("read %d packets of %d: want some, not all", sum.Capture.Packets, all.Capture.Packets)
			}
			out := w.out.Bytes()
			// A line for each record, and for each stream direction's byte
			// counts, which the summary counts apart.
			want := sum.Records + sum.Directions
			if lines := bytes.Count(out, []byte("\n")); uint64(lines) != want || len(out) == 0 || out[len(out)-1] != '\n' {
				t.Errorf("%d bytes of output in %d lines, want a whole line for each of %d records", len(out), lines, want)
			}
		})
	}
}
