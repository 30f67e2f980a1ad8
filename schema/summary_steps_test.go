package schema_test

import (
	"bytes"
	"testing"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/internal/pcapgen"
	"github.com/dissect-project/dissect/pipeline"
	"github.com/dissect-project/dissect/schema"
)

// summariesBothWays is a sink that renders every structure's summary in
// every frame by the template's compiled steps and part by part, and
// checks they agree, and that what the steps call plain is.
type summariesBothWays struct {
	t       *testing.T
	name    string
	checked int // frame summaries of the load capture
	plain   int // those known to be plain
}

func (s *summariesBothWays) Emit(r *dissectors.Record) error {
	f := r.Frame
	if f == nil {
		return nil
	}
	for i := range f.Nodes {
		steps, roomy, parts, plain, ok := schema.RenderThreeWays(f, i)
		if !ok {
			continue
		}
		if !bytes.Equal(steps, parts) || !bytes.Equal(roomy, parts) {
			s.t.Fatalf("%s: packet %d, node %d: the steps render %q (%q with room), the parts %q", s.name, r.FirstPacket, i, steps, roomy, parts)
		}
		if plain && !schema.IsPlain(steps) {
			s.t.Fatalf("%s: packet %d, node %d: %q is not plain text", s.name, r.FirstPacket, i, steps)
		}
		if s.name == "load" && i == 0 {
			s.checked++
			if plain {
				s.plain++
			}
		}
	}
	return nil
}

// A summary rendered by its compiled steps is the one rendered part by
// part, on the capture of every bundled protocol and of the load capture.
func TestSummaryStepsSameAsParts(t *testing.T) {
	caps, err := pcapgen.ProtocolFilesAndLoad(500, 10000)
	if err != nil {
		t.Fatal(err)
	}
	reg := dissectors.NewRegistry()
	if err := reg.LoadBundled(); err != nil {
		t.Fatal(err)
	}
	sink := &summariesBothWays{t: t}
	for _, c := range caps {
		sink.name = c.Name
		src, err := capture.NewSource(c.Name, bytes.NewReader(c.Data))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pipeline.Run(src, pipeline.Config{Registry: reg, Sink: sink}); err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
	}
	// Every Modbus frame summary is known to be plain.
	if sink.checked < 5000 || sink.plain != sink.checked {
		t.Errorf("load capture: %d summaries, %d known to be plain", sink.checked, sink.plain)
	}
}
