package pipeline

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
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
			reg := dissectors.NewRegistry()
			if err := reg.LoadBundled(); err != nil {
				b.Fatal(err)
			}
			var packets uint64
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				src, err := capture.NewSource("bench", bytes.NewReader(data))
				if err != nil {
					b.Fatal(err)
				}
				var w output.Writer = output.NewNDJSON(io.Discard)
				if format == "text" {
					w = output.NewText(io.Discard, output.TextOptions{})
				}
				sum, err := Run(src, Config{Registry: reg, Sink: w})
				if err != nil {
					b.Fatal(err)
				}
				w.Flush()
				packets = sum.Capture.Packets
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(uint64(b.N)*packets), "ns/packet")
		})
	}
}

// BenchmarkSteadyState feeds the same long connection over and over, so
// that per-connection set-up is out of the picture: what is left is the
// per-packet cost, which must allocate nothing.
func BenchmarkSteadyState(b *testing.B) {
	data, err := os.ReadFile(pcapDir + "/modbus-basic.pcap")
	if err != nil {
		b.Fatal(err)
	}
	reg := dissectors.NewRegistry()
	if err := reg.LoadBundled(); err != nil {
		b.Fatal(err)
	}
	w := output.NewNDJSON(io.Discard)
	b.ReportAllocs()
	allocs := testing.AllocsPerRun(20, func() {
		src, _ := capture.NewSource("bench", bytes.NewReader(data))
		Run(src, Config{Registry: reg, Sink: w})
	})
	b.ReportMetric(allocs/50, "allocs/packet-upper-bound")
	for i := 0; i < b.N; i++ {
		src, _ := capture.NewSource("bench", bytes.NewReader(data))
		Run(src, Config{Registry: reg, Sink: w})
	}
}
