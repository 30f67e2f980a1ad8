package pipeline

import (
	"bytes"
	"testing"
	"time"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/internal/pcapgen"
)

// FuzzPipeline runs any capture file's bytes through the whole tool with
// every bundled schema: once with the library's ports, once with no port
// bindings at all so that every connection and datagram goes through the
// heuristics, with small buffer, frame and fragment limits. Nothing may
// panic or hang, and the byte accounting must add up. The seeds are the
// generated capture of every bundled protocol.
func FuzzPipeline(f *testing.F) {
	for _, p := range pcapgen.ProtocolCaptures() {
		var b bytes.Buffer
		if err := p.Write(&b); err != nil {
			f.Fatal(err)
		}
		if b.Len() <= 64<<10 {
			f.Add(b.Bytes())
		}
	}
	ported := dissectors.NewRegistry()
	ported.MaxFrame = 64 << 10
	ported.Buffers = &dissectors.BufferLimits{PerStream: 128 << 10, Total: 1 << 20}
	if err := ported.LoadBundled(); err != nil {
		f.Fatal(err)
	}
	portless := portlessRegistry(f)
	opts := capture.Options{ReorderWait: 50 * time.Millisecond, FlushInterval: 10 * time.Millisecond,
		IdleTimeout: time.Second, MaxPagesPerConn: 16, MaxPagesTotal: 128,
		MaxFragments: 8, MaxFragBytes: 16 << 10, FragTimeout: time.Second, MaxConnections: 64}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, reg := range []*dissectors.Registry{ported, portless} {
			src, err := capture.NewSource("fuzz", bytes.NewReader(data))
			if err != nil {
				if err.Error() == "" {
					t.Fatal("empty error message")
				}
				return
			}
			sum, err := Run(src, Config{Registry: reg, Sink: &protoLog{}, Capture: opts, MaxConversations: 64})
			src.Close()
			if err != nil && err.Error() == "" {
				t.Fatal("empty error message")
			}
			if e := sum.Bytes.Check(); e != "" {
				t.Fatalf("byte accounting: %s (%+v)", e, sum.Bytes)
			}
		}
	})
}
