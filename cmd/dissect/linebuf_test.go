package main

import (
	"io"
	"os"
	"strings"
	"testing"
	"time"
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
