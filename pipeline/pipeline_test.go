package pipeline

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/internal/pcapgen"
)

// recordLog keeps what the tests need from each record.
type recordLog struct {
	frames     [2]int // good frames by direction
	failed     int
	exceptions int
	skipped    int
	gaps       int
	unanswered int
	streams    map[uint64]bool
	// next stream offset expected per stream and direction: every byte must
	// be accounted for once, in order
	next      map[[2]uint64]uint64
	gapless   bool
	errs      []string
	accounted int            // KindStream records
	trace     []string       // every record, for -v
	byPacket  map[uint64]int // frame records by the packet that completed them
}

func newRecordLog() *recordLog {
	return &recordLog{streams: map[uint64]bool{}, next: map[[2]uint64]uint64{}, gapless: true, byPacket: map[uint64]int{}}
}

func (l *recordLog) Emit(r *dissectors.Record) error {
	l.streams[r.Conn.ID] = true
	l.trace = append(l.trace, fmt.Sprintf("%s %d %s off %d len %d pkt %d pair %s %s", r.Kind, r.Conn.ID, r.Dir, r.Offset, r.Length, r.LastPacket, r.Pair.Status, r.Err()))
	if r.Kind == dissectors.KindStream {
		l.accounted++
		key := streamKey(r)
		if e := r.Bytes.Check(); e != "" {
			l.errs = append(l.errs, fmt.Sprintf("stream %d %s: byte accounting: %s", r.Conn.ID, r.Dir, e))
		}
		if end := r.Bytes.Seen + r.Bytes.Missing; end != l.next[key] || uint64(r.Length) != end {
			l.errs = append(l.errs, fmt.Sprintf("stream %d %s: accounting covers %d bytes, records %d", r.Conn.ID, r.Dir, end, l.next[key]))
		}
		return nil
	}
	if r.Kind == dissectors.KindUnanswered {
		l.unanswered++
		return nil
	}
	key := streamKey(r)
	if want := l.next[key]; r.Offset != want {
		l.errs = append(l.errs, fmt.Sprintf("stream %d %s: record at offset %d, want %d", r.Conn.ID, r.Dir, r.Offset, want))
	}
	l.next[key] = r.Offset + uint64(r.Length)
	switch r.Kind {
	case dissectors.KindSkipped:
		l.skipped++
		return nil
	case dissectors.KindGap:
		l.gaps++
		return nil
	}
	if r.Err() != "" {
		l.failed++
		l.errs = append(l.errs, fmt.Sprintf("packet %d: %s", r.LastPacket, r.Err()))
	} else {
		l.frames[r.Dir]++
	}
	l.byPacket[r.LastPacket]++
	f := r.Frame
	if n, ok := f.Lookup("exception"); ok && f.Nodes[n].Int() == 1 {
		l.exceptions++
	}
	return nil
}

func run(t *testing.T, path string, count int) (*recordLog, Summary, error) {
	t.Helper()
	log := newRecordLog()
	sum, err := runFile(t, path, Config{Sink: log, Count: count})
	return log, sum, err
}

// runFile runs the capture at path through Run with cfg, and with the
// bundled library when cfg.Registry is nil.
func runFile(tb testing.TB, path string, cfg Config) (Summary, error) {
	tb.Helper()
	if cfg.Registry == nil {
		cfg.Registry = bundledRegistry(tb)
	}
	src, err := capture.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer src.Close()
	return Run(src, cfg)
}

const pcapDir = "../testdata/pcaps"

// Every generated capture decodes to exactly the ADUs the generator put in
// it, with every byte of every stream accounted for.
func TestGeneratedCaptures(t *testing.T) {
	for _, sc := range pcapgen.Scenarios() {
		t.Run(sc.File, func(t *testing.T) {
			log, sum, err := run(t, filepath.Join(pcapDir, sc.File), 0)
			if sc.Truncated {
				var te *capture.TruncatedError
				if !errors.As(err, &te) {
					t.Fatalf("Run error = %v, want a *capture.TruncatedError", err)
				}
			} else if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if log.frames[dissectors.ClientToServer] != sc.Requests || log.frames[dissectors.ServerToClient] != sc.Responses {
				t.Errorf("decoded %d requests and %d responses, want %d and %d",
					log.frames[0], log.frames[1], sc.Requests, sc.Responses)
			}
			if log.exceptions != sc.Exceptions {
				t.Errorf("%d exception responses, want %d", log.exceptions, sc.Exceptions)
			}
			if len(log.streams) != sc.Conns || sum.Conns != uint64(sc.Conns) {
				t.Errorf("%d streams (%d in the summary), want %d", len(log.streams), sum.Conns, sc.Conns)
			}
			if log.failed != 0 || log.gaps != 0 || len(log.errs) > 0 {
				t.Errorf("%d failed frames, %d gaps, problems:\n%s", log.failed, log.gaps, strings.Join(log.errs, "\n"))
			}
			checkSummaryAccounting(t, log, sum)
			// Only the mid-stream capture starts inside an ADU.
			if wantSkipped := strings.Contains(sc.File, "midstream"); (log.skipped > 0) != wantSkipped {
				t.Errorf("%d skipped runs; want some: %v", log.skipped, wantSkipped)
			}
			if sum.Records != uint64(sc.Requests+sc.Responses+log.skipped+log.unanswered) {
				t.Errorf("summary counts %d records, want %d", sum.Records, sc.Requests+sc.Responses+log.skipped+log.unanswered)
			}
			// Every request is answered, except in the truncated file (the
			// cut falls in the last response) and the mid-stream one (the
			// first request is only partly captured).
			wantUnanswered := sc.Requests - sc.Responses
			if wantUnanswered < 0 {
				wantUnanswered = 0
			}
			if log.unanswered != wantUnanswered {
				t.Errorf("%d unanswered requests, want %d", log.unanswered, wantUnanswered)
			}
		})
	}
}

// checkSummaryAccounting checks that every stream direction with records
// got its accounting record, and that the summary's byte totals add up.
func checkSummaryAccounting(t *testing.T, log *recordLog, sum Summary) {
	t.Helper()
	if log.accounted != len(log.next) || sum.Directions != uint64(log.accounted) {
		t.Errorf("%d accounting records (%d in the summary) for %d stream directions with records", log.accounted, sum.Directions, len(log.next))
	}
	if e := sum.Bytes.Check(); e != "" {
		t.Errorf("summary byte accounting: %s", e)
	}
	var all uint64
	for _, n := range log.next {
		all += n
	}
	if sum.Bytes.Seen+sum.Bytes.Missing != all {
		t.Errorf("summary accounts for %d bytes, records cover %d", sum.Bytes.Seen+sum.Bytes.Missing, all)
	}
}

func TestCountStopsTheRun(t *testing.T) {
	log, sum, err := run(t, filepath.Join(pcapDir, "modbus-many.pcap"), 7)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Records != 7 || log.frames[0]+log.frames[1] != 7 {
		t.Fatalf("%d records written, want 7", sum.Records)
	}
	if sum.Capture.Packets >= 4337 {
		t.Fatalf("read all %d packets; -c should stop early", sum.Capture.Packets)
	}
}

// The captures tshark is compared with (internal/conformance) account for
// every byte of every stream too: the generated Modbus captures and the
// public Modbus ones, when they are at hand.
func TestComparedCapturesAccounting(t *testing.T) {
	files := []string{
		filepath.Join(pcapDir, "modbus-basic.pcap"),
		filepath.Join(pcapDir, "modbus-basic.pcapng"),
		filepath.Join(pcapDir, "modbus-many.pcap"),
		filepath.Join(pcapDir, "modbus-vlan-ipv6.pcap"),
		filepath.Join(pcapDir, "modbus-split.pcap"),
		filepath.Join(pcapDir, "modbus-coalesced.pcap"),
	}
	shared, _ := filepath.Glob("../../shared/pcaps/modbus-*.pcap")
	if len(shared) == 0 { // from a worktree in /work/wt
		shared, _ = filepath.Glob("../../../shared/pcaps/modbus-*.pcap")
	}
	files = append(files, shared...)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			log, sum, _ := run(t, path, 0)
			checkSummaryAccounting(t, log, sum)
			if log.frames[0]+log.frames[1] == 0 {
				t.Error("no frame decoded")
			}
		})
	}
}

// streamKey names the stream direction of a record: TCP connections and
// UDP conversations are numbered separately.
func streamKey(r *dissectors.Record) [2]uint64 {
	id := r.Conn.ID
	if r.Conn.Transport == "udp" {
		id |= 1 << 63
	}
	return [2]uint64{id, uint64(r.Dir)}
}
