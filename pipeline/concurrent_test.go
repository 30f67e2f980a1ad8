package pipeline

import (
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/internal/pcapgen"
	"github.com/dissect-project/dissect/output"
)

// TestConcurrentConnections runs thousands of connections that are all
// open at once and checks that every transaction decodes and pairs and the
// accounting adds up. BenchmarkConcurrentConnections does 100,000.
func TestConcurrentConnections(t *testing.T) {
	const n = 5000
	log, sum := runGenerated(t, pcapgen.Concurrent(n, 1), Config{})
	if log.frames[0] != n || log.frames[1] != n || sum.Matched != n || sum.Capture.Streams != n {
		t.Errorf("%d requests, %d responses, %d matched, %d streams; want %d of each", log.frames[0], log.frames[1], sum.Matched, sum.Capture.Streams, n)
	}
	if len(log.errs) > 0 {
		t.Errorf("problems:\n%s", log.errs[0])
	}
	checkSummaryAccounting(t, log, sum)
}

// heapSampler is a sink that samples the live heap every so many records.
type heapSampler struct {
	n    int
	peak uint64
	ms   runtime.MemStats
}

func (h *heapSampler) Emit(*dissectors.Record) error {
	h.n++
	if h.n%20000 == 0 {
		runtime.ReadMemStats(&h.ms)
		h.peak = max(h.peak, h.ms.HeapInuse)
	}
	return nil
}

// BenchmarkConcurrentConnections reads 100,000 connections open at once
// (800,000 packets) and reports the peak heap in use, in total and per
// connection. Run with -benchtime=1x.
//
//	go test ./pipeline -run '^$' -bench Concurrent -benchtime 1x
func BenchmarkConcurrentConnections(b *testing.B) {
	const n = 100000
	path := writeTemp(b, pcapgen.Concurrent(n, 1))
	reg := bundledRegistry(b)
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	b.ResetTimer()
	var peak uint64
	for range b.N {
		sum, sampler := runSink(b, path, reg)
		if sum.Matched != n {
			b.Fatalf("%d matched, want %d", sum.Matched, n)
		}
		peak = max(peak, sampler.peak)
	}
	b.ReportMetric(float64(peak-base.HeapInuse)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(peak-base.HeapInuse)/n, "heap-B/conn")
}

// heapProbe is an NDJSON writer on io.Discard that measures the live heap
// (after a collection) every so many records, and keeps the largest.
type heapProbe struct {
	*output.NDJSON
	n, every int
	peak     uint64
	ms       runtime.MemStats
}

func (h *heapProbe) Emit(r *dissectors.Record) error {
	h.n++
	if h.n%h.every == 0 {
		runtime.GC()
		runtime.ReadMemStats(&h.ms)
		h.peak = max(h.peak, h.ms.HeapAlloc)
	}
	return h.NDJSON.Emit(r)
}

// Memory does not grow with the length of a capture, only with the
// connections open at once: dissecting and encoding ten times as many
// short connections, one after the other, takes the same live heap. (The
// NDJSON writer's stream cache took 1 MB more per 1,000 connections, up
// to 16,384 of them.)
func TestSequentialConnectionsMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("heap measurements")
	}
	reg := bundledRegistry(t)
	peak := func(n int) uint64 {
		path := writeTemp(t, pcapgen.Sequential(n, 1))
		probe := &heapProbe{NDJSON: output.NewNDJSON(io.Discard), every: 2000}
		sum, err := runFile(t, path, Config{Registry: reg, Sink: probe})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Matched != uint64(3*n) || sum.Capture.Streams != uint64(n) {
			t.Fatalf("%d connections: %d streams, %d matched", n, sum.Capture.Streams, sum.Matched)
		}
		return probe.peak
	}
	small, large := peak(1000), peak(10000)
	t.Logf("peak live heap: %.1f MB for 1,000 connections, %.1f MB for 10,000", float64(small)/(1<<20), float64(large)/(1<<20))
	if large > small+2<<20 {
		t.Errorf("peak live heap %.1f MB for 10,000 connections one after the other, %.1f MB for 1,000", float64(large)/(1<<20), float64(small)/(1<<20))
	}
}

// DNS has one UDP conversation per query. Their memory follows those open
// at once, not the length of the capture: with a one-second timeout, three
// times the queries take the same live heap (the NDJSON writer's stream
// cache grows to its size for the conversations open over the first
// 20,000). And with all of them open, a conversation costs what its
// decoder, its table entry and its output prefix take: 1.4 KB (2.4 KB
// before conversations had a type of their own and connections left their
// records to the dissector).
func TestDNSConversationsMemory(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("heap measurements, of 100,000 queries (40 s with -race)")
	}
	reg := bundledRegistry(t)
	peak := func(n int, timeout time.Duration) uint64 {
		path := writeTemp(t, pcapgen.DNSQueries(n, 1))
		probe := &heapProbe{NDJSON: output.NewNDJSON(io.Discard), every: 1000}
		sum, err := runFile(t, path, Config{Registry: reg, Sink: probe, UDPTimeout: timeout})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Matched != uint64(n) || sum.UDPConversations != uint64(n) || sum.FramesFailed != 0 {
			t.Fatalf("%d queries: %d conversations, %d matched, %d failed", n, sum.UDPConversations, sum.Matched, sum.FramesFailed)
		}
		return probe.peak
	}
	small, large := peak(20000, time.Second), peak(60000, time.Second)
	t.Logf("peak live heap with a 1 s timeout: %.1f MB for 20,000 queries, %.1f MB for 60,000", float64(small)/(1<<20), float64(large)/(1<<20))
	if large > small+1<<20 {
		t.Errorf("peak live heap %.1f MB for 60,000 queries, %.1f MB for 20,000", float64(large)/(1<<20), float64(small)/(1<<20))
	}
	few, many := peak(2000, time.Hour), peak(22000, time.Hour)
	per := float64(many-few) / 20000
	t.Logf("all open: %.0f bytes a conversation", per)
	if per > 1700 {
		t.Errorf("%.0f bytes of live heap a DNS conversation, want at most 1,700", per)
	}
}
