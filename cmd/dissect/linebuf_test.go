package main

import (
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/output"
	"github.com/dissect-project/dissect/pipeline"
)

// With -l, each record reaches stdout as soon as it is decoded, while the
// input is still open (as when `tcpdump -w -` feeds -r -); without it, the
// output waits in its buffer. The records are those of a run on the file.
func TestLineBuffered(t *testing.T) {
	data, err := os.ReadFile(pcaps + "modbus-basic.pcap")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		prompt bool
	}{
		{"-l", []string{"-l"}, true},
		{"--line-buffered -T ndjson", []string{"--line-buffered", "-T", "ndjson"}, true},
		{"-l -V -j 2", []string{"-l", "-V", "-j", "2"}, true},
		{"buffered", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"-r", "-"}, tt.args...)
			_, want, _ := runCLI(t, data, args...)
			firstRecord := want[:strings.Index(want, "\n")+1]
			if firstRecord == "" {
				t.Fatalf("no output from %v on the file", args)
			}
			in, feed := io.Pipe()
			var out, errOut syncBuf
			done := make(chan int)
			go func() { done <- run(args, in, &out, &errOut) }()
			if _, err := feed.Write(data); err != nil {
				t.Fatal(err)
			}
			// The input stays open: the first record shows only if it was
			// flushed.
			deadline := time.Now().Add(10 * time.Second)
			if !tt.prompt {
				deadline = time.Now().Add(200 * time.Millisecond)
			}
			for !strings.HasPrefix(out.String(), firstRecord) && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			if got := strings.HasPrefix(out.String(), firstRecord); got != tt.prompt {
				t.Errorf("first record written before the end of input: %v, want %v (stdout %d bytes)", got, tt.prompt, len(out.String()))
			}
			feed.Close()
			if code := <-done; code != 0 || out.String() != want {
				t.Errorf("exit %d; output differs from the run on the file:\n%s\nstderr: %s", code, diffLines(want, out.String()), errOut.String())
			}
		})
	}
}

// -l changes when records are written, not what is written: times are
// relative to the first packet (the capture's third here, before the
// first record) as without it.
func TestLineBufferedSameOutput(t *testing.T) {
	for _, args := range [][]string{nil, {"-V"}, {"-T", "ndjson"}} {
		_, want, _ := runCLI(t, nil, append([]string{"-r", pcaps + "modbus-basic.pcap"}, args...)...)
		_, got, _ := runCLI(t, nil, append([]string{"-r", pcaps + "modbus-basic.pcap", "-l"}, args...)...)
		if got != want {
			t.Errorf("%v: -l changes the output:\n%s", args, diffLines(want, got))
		}
	}
}

// sinkLog is an output.Writer that records the calls the pipeline makes
// besides Emit.
type sinkLog struct {
	epoch time.Time
	ended []uint64
}

func (l *sinkLog) Emit(*dissectors.Record) error { return nil }
func (l *sinkLog) Flush() error                  { return nil }
func (l *sinkLog) SetEpoch(t time.Time)          { l.epoch = t }
func (l *sinkLog) EndConn(c *dissectors.Conn)    { l.ended = append(l.ended, c.ID) }

// The writers wrapped for -l and for a live capture pass on the first
// packet's time and the ends of connections.
func TestFlushersPassOn(t *testing.T) {
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name string
		wrap func(output.Writer) output.Writer
	}{
		{"-l", func(w output.Writer) output.Writer { return recordFlusher{w} }},
		{"live", func(w output.Writer) output.Writer { return newTimedFlusher(w) }},
	} {
		l := &sinkLog{}
		w := tt.wrap(l)
		w.(pipeline.EpochSetter).SetEpoch(at)
		w.(pipeline.ConnEnder).EndConn(&dissectors.Conn{ID: 7})
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if !l.epoch.Equal(at) || len(l.ended) != 1 || l.ended[0] != 7 {
			t.Errorf("%s: the writer got epoch %v and ends %v", tt.name, l.epoch, l.ended)
		}
	}
}
