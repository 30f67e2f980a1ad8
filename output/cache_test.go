package output

import (
	"bytes"
	"testing"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/internal/pcapgen"
	"github.com/dissect-project/dissect/pipeline"
)

// sameAsUncached is a sink that writes each record with the NDJSON writer,
// and checks its line against the encoder without caches.
type sameAsUncached struct {
	t     *testing.T
	name  string
	opts  JSONOptions
	out   bytes.Buffer
	w     *NDJSON
	want  []byte
	count int
}

func (s *sameAsUncached) Emit(r *dissectors.Record) error {
	if err := s.w.Emit(r); err != nil {
		return err
	}
	if err := s.w.Flush(); err != nil {
		return err
	}
	s.want = append(AppendRecordJSONWith(s.want[:0], r, s.opts), '\n')
	if got := s.out.Bytes(); !bytes.Equal(got, s.want) {
		s.t.Fatalf("%s, %+v, record %d: the writer wrote\n%s\nwant\n%s", s.name, s.opts, s.count, got, s.want)
	}
	s.out.Reset()
	s.count++
	return nil
}

// The NDJSON writer's caches (streams, timestamps, keys, enum objects)
// write what the encoder without caches writes, record after record, on
// the capture of every bundled protocol and on the load capture's 500
// connections, with and without Wireshark names.
func TestNDJSONCachesSameOutput(t *testing.T) {
	caps, err := pcapgen.ProtocolFilesAndLoad(500, 8000)
	if err != nil {
		t.Fatal(err)
	}
	reg := dissectors.NewRegistry()
	if err := reg.LoadBundled(); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []JSONOptions{{}, {WiresharkNames: true}} {
		// One writer for every capture, as its caches outlive a
		// connection.
		sink := &sameAsUncached{t: t, opts: opts}
		sink.w = NewNDJSONWith(&sink.out, opts)
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
		if sink.count < 5000 { // the load capture alone has more
			t.Errorf("%+v: %d records", opts, sink.count)
		}
	}
}
