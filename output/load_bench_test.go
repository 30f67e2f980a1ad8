package output

import (
	"bytes"
	"io"
	"runtime"
	"testing"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/internal/pcapgen"
	"github.com/dissect-project/dissect/pipeline"
	"github.com/dissect-project/dissect/schema"
)

// recordCopier keeps a copy of every record a run emits, with its own copy
// of the bytes; a frame record keeps an empty frame, for decodeLoad to fill.
type recordCopier struct {
	records []*dissectors.Record
}

func (c *recordCopier) Emit(r *dissectors.Record) error {
	cp := *r
	conn := *r.Conn
	cp.Conn = &conn
	cp.Data = bytes.Clone(r.Data)
	if r.Frame != nil {
		cp.Frame = &emptyFrame
	}
	if r.Bytes != nil {
		counts := *r.Bytes
		cp.Bytes = &counts
	}
	c.records = append(c.records, &cp)
	return nil
}

// loadRecords returns the records of the benchmark capture's first packets
// (pcapgen.Load, as cmd/pcapgen -load writes it): Modbus/TCP over 500
// connections side by side, every function of the load mix, paired.
func loadRecords(tb testing.TB, packets int) []*dissectors.Record {
	tb.Helper()
	pcap, err := pcapgen.LoadPcap(500, packets, 1)
	if err != nil {
		tb.Fatal(err)
	}
	src, err := capture.NewSource("load", bytes.NewReader(pcap))
	if err != nil {
		tb.Fatal(err)
	}
	reg := dissectors.NewRegistry()
	if err := reg.LoadBundled(); err != nil {
		tb.Fatal(err)
	}
	copier := &recordCopier{}
	if _, err := pipeline.Run(src, pipeline.Config{Registry: reg, Sink: copier}); err != nil {
		tb.Fatal(err)
	}
	runtime.GC() // not to count the run's garbage in a benchmark
	return copier.records
}

// emptyFrame stands for the frame of a frame record in loadRecords.
var emptyFrame schema.Frame

// decodeLoad decodes the frame of r into f, as the pipeline does before
// it emits r, and returns r with f for its frame in out.
func decodeLoad(m *dissectors.SchemaDissector, r *dissectors.Record, f *schema.Frame, out *dissectors.Record) {
	*out = *r
	if r.Frame == nil {
		return
	}
	root := m.Program.Request
	if r.Dir == dissectors.ServerToClient {
		root = m.Program.Response
	}
	schema.Decode(root, r.Data, f, schema.Limits{})
	out.Frame = f
}

// BenchmarkNDJSONLoad decodes and encodes the records of the benchmark
// capture in order, as `dissect -T ndjson` does on it: every Modbus
// function, both directions, 500 connections interleaved. Each frame is
// decoded into one reused frame, hot in the cache as in a run; the
// encoding costs the difference with BenchmarkDecodeLoad. One op is one
// record.
func BenchmarkNDJSONLoad(b *testing.B) {
	benchLoad(b, true)
}

// BenchmarkDecodeLoad is BenchmarkNDJSONLoad without the encoding.
func BenchmarkDecodeLoad(b *testing.B) {
	benchLoad(b, false)
}

func benchLoad(b *testing.B, encode bool) {
	records := loadRecords(b, 20000)
	m := modbusProgram(b)
	w := NewNDJSON(io.Discard)
	var f schema.Frame
	var r dissectors.Record
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		decodeLoad(m, records[i%len(records)], &f, &r)
		if encode {
			if err := w.Emit(&r); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkEncodeLoad encodes records of the benchmark capture decoded
// beforehand, each into its own frame: the NDJSON encoding alone, without
// BenchmarkNDJSONLoad's decoding and its noise. The frames are not hot in
// the cache as in a run. One op is one record.
func BenchmarkEncodeLoad(b *testing.B) {
	records := loadRecords(b, 20000)
	m := modbusProgram(b)
	const n = 4000 // the last ones: connections in their steady state
	rs := make([]dissectors.Record, n)
	for k, r := range records[len(records)-n:] {
		decodeLoad(m, r, new(schema.Frame), &rs[k])
	}
	w := NewNDJSON(io.Discard)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := w.Emit(&rs[i%n]); err != nil {
			b.Fatal(err)
		}
	}
}
