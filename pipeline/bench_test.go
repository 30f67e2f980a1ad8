package pipeline

import (
	"bytes"
	"fmt"
	"io"
	"net/netip"
	"os"
	"testing"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/internal/pcapgen"
	"github.com/dissect-project/dissect/output"
)

// BenchmarkPipeline measures the whole hot path on the generated capture of
// 300 interleaved Modbus/TCP connections: read, decode layers, reassemble,
// frame and decode Modbus, and encode NDJSON to io.Discard. It reports the
// time and allocations per packet; allocations come from opening
// connections, not from packets.
func BenchmarkPipeline(b *testing.B) {
	for _, format := range []string{"ndjson", "text"} {
		b.Run(format, func(b *testing.B) {
			data, err := os.ReadFile(pcapDir + "/modbus-many.pcap")
			if err != nil {
				b.Fatal(err)
			}
			reg := bundledRegistry(b)
			benchRuns(b, data, func(src *capture.Source) (Summary, error) {
				var w output.Writer = output.NewNDJSON(io.Discard)
				if format == "text" {
					w = output.NewText(io.Discard, output.TextOptions{})
				}
				sum, err := Run(src, Config{Registry: reg, Sink: w})
				w.Flush()
				return sum, err
			})
		})
	}
}

// BenchmarkLongConnection runs one connection of 2,000 transactions: the
// per-packet cost without per-connection set-up.
func BenchmarkLongConnection(b *testing.B) {
	data := longConnection(b, 2000)
	reg := bundledRegistry(b)
	w := output.NewNDJSON(io.Discard)
	benchRuns(b, data, func(src *capture.Source) (Summary, error) {
		return Run(src, Config{Registry: reg, Sink: w})
	})
}

// benchRuns times run over the capture data b.N times and reports the
// time per packet, besides bytes and allocations.
func benchRuns(b *testing.B, data []byte, run func(*capture.Source) (Summary, error)) {
	b.Helper()
	var packets uint64
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		src, err := capture.NewSource("bench", bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		sum, err := run(src)
		if err != nil {
			b.Fatal(err)
		}
		packets = sum.Capture.Packets
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(uint64(b.N)*packets), "ns/packet")
}

// pcapBytes is c written as a classic pcap.
func pcapBytes(tb testing.TB, c *pcapgen.Capture) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := pcapgen.WritePcap(&buf, c.Packets()); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// longConnection builds a capture of one Modbus/TCP connection with n
// request/response pairs, one ADU per segment.
func longConnection(t testing.TB, n int) []byte {
	c := pcapgen.NewCapture(1)
	conn := c.NewConn(pcapgen.ConnConfig{
		Client: pcapgen.Endpoint{Addr: netip.MustParseAddr("10.0.0.1"), Port: 40000},
		Server: pcapgen.Endpoint{Addr: netip.MustParseAddr("10.0.0.2"), Port: 502},
	})
	conn.Handshake()
	for i := 0; i < n; i++ {
		tid := uint16(i)
		conn.Send(pcapgen.ClientToServer, pcapgen.Frame(tid, 1, pcapgen.ReadHoldingRegisters(0, 4)), pcapgen.KindRequest, pcapgen.Whole())
		conn.Send(pcapgen.ServerToClient, pcapgen.Frame(tid, 1, pcapgen.ReadHoldingRegistersResponse([]uint16{1, 2, 3, 4})), pcapgen.KindResponse, pcapgen.Whole())
	}
	conn.Close(pcapgen.ClientToServer)
	return pcapBytes(t, c)
}

// runAllocs returns the average allocations of one serial Run over data
// with reg, its NDJSON output discarded.
func runAllocs(t *testing.T, reg *dissectors.Registry, data []byte) float64 {
	t.Helper()
	w := output.NewNDJSON(io.Discard)
	return testing.AllocsPerRun(5, func() {
		src, err := capture.NewSource("t", bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Run(src, Config{Registry: reg, Sink: w}); err != nil {
			t.Fatal(err)
		}
	})
}

// The hot path allocates nothing per packet: a connection of 2,000
// transactions allocates no more than one of 200.
func TestNoAllocationPerPacket(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	reg := bundledRegistry(t)
	allocs := func(data []byte) float64 { return runAllocs(t, reg, data) }
	small, large := allocs(longConnection(t, 200)), allocs(longConnection(t, 2000))
	// 3,600 more packets: allow a handful of allocations for buffers that
	// grow once, none per packet.
	t.Logf("allocations per run: %v for 200 transactions, %v for 2,000", small, large)
	if large-small > 16 {
		t.Errorf("allocations: %v for 200 transactions, %v for 2,000: %.3f per extra packet", small, large, (large-small)/3600)
	}
}

// BenchmarkPipelineParallel is BenchmarkPipeline's NDJSON run with the
// decoding and encoding in 1, 2 and 4 workers, on a generated capture of
// 500 interleaved connections and about 50,000 packets, written to the
// null device as `dissect -j N > /dev/null` writes it (a file: writev).
func BenchmarkPipelineParallel(b *testing.B) {
	data, err := pcapgen.LoadPcap(500, 50000, 1)
	if err != nil {
		b.Fatal(err)
	}
	var out io.Writer = io.Discard
	if f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		defer f.Close()
		out = f
	}
	for _, jobs := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("j%d", jobs), func(b *testing.B) {
			regs := newRegistries(b, jobs+1)
			newWriter := func(w io.Writer) output.Writer { return output.NewNDJSON(w) }
			benchRuns(b, data, func(src *capture.Source) (Summary, error) {
				return RunParallel(src, ParallelConfig{Jobs: jobs, NewWorker: regs.newWorker(newWriter), Output: out})
			})
		})
	}
}

// discardSink takes every record and does nothing with it.
type discardSink struct{}

func (discardSink) Emit(*dissectors.Record) error { return nil }

// BenchmarkLoad runs the benchmark capture of issue 6 in miniature
// (pcapgen.Load: 500 Modbus/TCP connections side by side, 100,000 packets)
// through Run, the records either discarded (nop: reading, reassembly,
// framing, decoding and pairing, without output) or encoded as NDJSON.
func BenchmarkLoad(b *testing.B) {
	data, err := pcapgen.LoadPcap(500, 100000, 1)
	if err != nil {
		b.Fatal(err)
	}
	reg := bundledRegistry(b)
	for _, format := range []string{"nop", "ndjson"} {
		b.Run(format, func(b *testing.B) {
			var w dissectors.Sink = discardSink{}
			if format == "ndjson" {
				w = output.NewNDJSON(io.Discard)
			}
			benchRuns(b, data, func(src *capture.Source) (Summary, error) {
				return Run(src, Config{Registry: reg, Sink: w})
			})
		})
	}
}
