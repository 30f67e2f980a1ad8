package pipeline

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
)

// connID names a connection or UDP conversation: they are numbered apart.
type connID struct {
	transport string
	id        uint64
}

// endLog is a sink that checks what it is told of connections ending:
// each connection it has records of ends once, after its last record.
// The workers of a parallel run share one, each through its own endSink.
type endLog struct {
	mu      sync.Mutex
	records map[connID]int
	ended   map[connID]int
	worker  map[connID]int // the sink the connection's records and end went to
	errs    []string
}

func newEndLog() *endLog {
	return &endLog{records: map[connID]int{}, ended: map[connID]int{}, worker: map[connID]int{}}
}

// endSink is one worker's (or a sequential run's) view of an endLog.
type endSink struct {
	log *endLog
	w   int
}

func (s *endSink) Emit(r *dissectors.Record) error {
	l := s.log
	l.mu.Lock()
	defer l.mu.Unlock()
	k := connID{r.Conn.Transport, r.Conn.ID}
	if l.ended[k] > 0 {
		l.errs = append(l.errs, fmt.Sprintf("%s %d: a %s record after its end", k.transport, k.id, r.Kind))
	}
	l.records[k]++
	s.sameWorker(k)
	return nil
}

func (s *endSink) EndConn(c *dissectors.Conn) {
	l := s.log
	l.mu.Lock()
	defer l.mu.Unlock()
	k := connID{c.Transport, c.ID}
	l.ended[k]++
	s.sameWorker(k)
}

// sameWorker checks that everything of k goes to one sink; under l.mu.
func (s *endSink) sameWorker(k connID) {
	if w, ok := s.log.worker[k]; ok && w != s.w {
		s.log.errs = append(s.log.errs, fmt.Sprintf("%s %d: told to sinks %d and %d", k.transport, k.id, w, s.w))
	}
	s.log.worker[k] = s.w
}

func (s *endSink) Flush() error { return nil }

// check reports what went wrong: a connection with records that did not
// end once, or one that ended more than once.
func (l *endLog) check(t *testing.T, name string) {
	t.Helper()
	for _, e := range l.errs {
		t.Errorf("%s: %s", name, e)
	}
	for k, n := range l.records {
		if l.ended[k] != 1 {
			t.Errorf("%s: %s %d: %d records, ended %d times, want once", name, k.transport, k.id, n, l.ended[k])
		}
	}
	for k, n := range l.ended {
		if n > 1 {
			t.Errorf("%s: %s %d ended %d times", name, k.transport, k.id, n)
		}
	}
}

// A sink that keeps something per connection (output.NDJSON's stream
// prefixes) is told when each connection and UDP conversation ends, after
// its last record, by the worker that wrote its records: sequentially and
// with workers, whether the capture ends the connection or the end of the
// capture does.
func TestSinkToldConnectionsEnd(t *testing.T) {
	regs := newRegistries(t, 4)
	for _, name := range []string{
		"modbus-many.pcap",               // TCP, closed by FIN
		"modbus-truncated.pcap",          // a connection the capture cuts
		"modbus-heuristic-port5020.pcap", // found by the heuristics
		"coap-basic.pcap",                // UDP
		"fins-udp-tcp.pcap",              // both
		"dnp3-udp.pcap",
	} {
		data, err := os.ReadFile(filepath.Join(pcapDir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, jobs := range []int{1, 2, 3} {
			l := newEndLog()
			src, err := capture.NewSource(name, bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if jobs == 1 {
				_, err = Run(src, Config{Registry: regs[0], Sink: &endSink{log: l}})
			} else {
				next := 0
				newWorker := func(io.Writer) (*dissectors.Registry, WorkerSink, error) {
					next++
					return regs[next-1], &endSink{log: l, w: next}, nil
				}
				_, err = RunParallel(src, ParallelConfig{Jobs: jobs, NewWorker: newWorker, Output: io.Discard})
			}
			if err != nil && name != "modbus-truncated.pcap" {
				t.Fatalf("%s, %d jobs: %v", name, jobs, err)
			}
			if len(l.records) == 0 {
				t.Fatalf("%s, %d jobs: no records", name, jobs)
			}
			l.check(t, fmt.Sprintf("%s, %d jobs", name, jobs))
		}
	}
}
