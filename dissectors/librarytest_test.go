package dissectors

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/dissect-project/dissect/schema"
)

// Helpers for the tests of bundled schemas: decode bytes built in a test
// with a bundled protocol, look at the fields, and check that every way of
// splitting a stream gives the same records.

// libraryRegistry loads and links the bundled library once per test.
func libraryRegistry(t testing.TB) *Registry {
	t.Helper()
	reg := NewRegistry()
	if err := reg.LoadBundled(); err != nil {
		t.Fatalf("bundled library: %v", err)
	}
	return reg
}

// decodedFrame is a copy of one record, with its fields flattened to
// "path=value" strings so that a test can compare them after the record is
// reused.
type decodedFrame struct {
	Proto   string // the protocol of the record
	Kind    RecordKind
	Dir     Direction
	Offset  uint64
	Length  int
	Summary string
	Err     string
	Pair    PairInfo
	Fields  map[string]string // dotted path (array elements as .N) → display value
	Order   []string          // the paths in decoding order
}

// wsSuffix marks, in Fields, the Wireshark name of the node at a path
// (path + wsSuffix), kept when the collector is asked to.
const wsSuffix = "#ws"

func (f decodedFrame) String() string {
	return fmt.Sprintf("%s@%d+%d %q err=%q pair=%v", f.Kind, f.Offset, f.Length, f.Summary, f.Err, f.Pair.Status)
}

// Field returns the display value at a dotted path, failing the test when
// the field is absent.
func (f decodedFrame) Field(t testing.TB, path string) string {
	t.Helper()
	v, ok := f.Fields[path]
	if !ok {
		t.Fatalf("no field %s in %v; fields: %s", path, f, strings.Join(f.Order, " "))
	}
	return v
}

// checkFields checks that f holds each field of want with its display
// value.
func checkFields(t *testing.T, f decodedFrame, want map[string]string) {
	t.Helper()
	for path, v := range want {
		if got := f.Field(t, path); got != v {
			t.Errorf("%s = %q, want %q", path, got, v)
		}
	}
}

type frameCollector struct {
	frames  []decodedFrame
	streams []ByteCounts // the KindStream records, which are not in frames
	acctErr []string     // byte accounting that does not add up
	ws      bool         // fill decodedFrame.WS
}

func (c *frameCollector) Emit(r *Record) error {
	if r.Kind == KindStream {
		c.streams = append(c.streams, *r.Bytes)
		if e := r.Bytes.Check(); e != "" {
			c.acctErr = append(c.acctErr, r.Dir.String()+": "+e)
		}
		if uint64(r.Length) != r.Bytes.Seen+r.Bytes.Missing {
			c.acctErr = append(c.acctErr, r.Dir.String()+": stream record length is not seen + missing")
		}
		var end uint64
		for _, f := range c.frames {
			if f.Kind != KindUnanswered && f.Dir == r.Dir {
				end = max(end, f.Offset+uint64(f.Length))
			}
		}
		if end != uint64(r.Length) {
			c.acctErr = append(c.acctErr, fmt.Sprintf("%s: records end at offset %d, accounting says %d", r.Dir, end, r.Length))
		}
		return nil
	}
	d := decodedFrame{Proto: protoName(r), Kind: r.Kind, Dir: r.Dir, Offset: r.Offset, Length: r.Length, Err: r.Err(), Pair: r.Pair, Fields: map[string]string{}}
	if r.Frame != nil && r.Kind == KindFrame {
		d.Summary = string(r.Frame.AppendSummary(nil))
		flatten(r.Frame, 0, "", &d, c.ws)
	}
	c.frames = append(c.frames, d)
	return nil
}

func flatten(f *schema.Frame, i int, prefix string, d *decodedFrame, ws bool) {
	f.Children(i, func(c int) {
		n := &f.Nodes[c]
		name := ""
		if n.Index >= 0 {
			name = strconv.Itoa(int(n.Index))
		} else {
			name = n.Field.Name
		}
		path := name
		if prefix != "" {
			path = prefix + "." + name
		}
		d.Fields[path] = string(f.AppendDisplay(nil, c))
		d.Order = append(d.Order, path)
		if ws && n.Field != nil && n.Field.Wireshark != "" {
			d.Fields[path+wsSuffix] = n.Field.Wireshark
		}
		if n.IsContainer() {
			flatten(f, c, path, d, ws)
		}
	})
}

// chunk is bytes sent in one direction.
type chunk struct {
	dir  Direction
	data []byte
}

// decodeChunks feeds the chunks of one connection to the named protocol,
// each chunk as one packet, and returns the records.
func decodeChunks(t testing.TB, reg *Registry, proto string, chunks []chunk) []decodedFrame {
	t.Helper()
	d, ok := reg.ByName(proto)
	if !ok {
		t.Fatalf("no protocol %s in the library", proto)
	}
	col := &frameCollector{ws: true}
	conn := d.NewConnection(&Conn{Transport: "tcp"}, col)
	for i, c := range chunks {
		if err := conn.Feed(c.dir, c.data, feedLoc{uint64(i + 1)}, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := conn.Close(Packet{Number: uint64(len(chunks) + 1)}); err != nil {
		t.Fatal(err)
	}
	for _, e := range col.acctErr {
		t.Errorf("byte accounting: %s", e)
	}
	return col.frames
}

// decodeDatagram decodes one datagram with the named protocol.
func decodeDatagram(t testing.TB, reg *Registry, proto string, dir Direction, data []byte) decodedFrame {
	t.Helper()
	d, ok := reg.ByName(proto)
	if !ok {
		t.Fatalf("no protocol %s in the library", proto)
	}
	col := &frameCollector{}
	if err := d.Datagram(&Conn{Transport: "udp"}, dir, data, Packet{Number: 1}, col); err != nil {
		t.Fatal(err)
	}
	return col.frames[0]
}

// checkEverySplit feeds stream (one direction) whole, then cut in every
// possible place into two and into three pieces, and checks that every
// split gives the same records: kinds, offsets, lengths, summaries, errors
// and every field value. It returns the records of the whole stream.
func checkEverySplit(t *testing.T, reg *Registry, proto string, dir Direction, stream []byte) []decodedFrame {
	t.Helper()
	whole := decodeChunks(t, reg, proto, []chunk{{dir, stream}})
	same := func(cuts []int) {
		var chunks []chunk
		prev := 0
		for _, c := range append(cuts, len(stream)) {
			if c > prev {
				chunks = append(chunks, chunk{dir, stream[prev:c]})
			}
			prev = c
		}
		got := decodeChunks(t, reg, proto, chunks)
		if len(got) != len(whole) {
			t.Fatalf("cuts %v: %d records, whole stream %d:\n%v\nvs\n%v", cuts, len(got), len(whole), got, whole)
		}
		for i := range got {
			g, w := got[i], whole[i]
			if g.Kind == KindUnanswered && w.Kind == KindUnanswered {
				// The request's packet number depends on the split.
				if g.Pair.Key != w.Pair.Key {
					t.Fatalf("cuts %v: record %d = unanswered key %d, whole stream key %d", cuts, i, g.Pair.Key, w.Pair.Key)
				}
				continue
			}
			if g.Kind != w.Kind || g.Offset != w.Offset || g.Length != w.Length || g.Summary != w.Summary || g.Err != w.Err ||
				strings.Join(g.Order, " ") != strings.Join(w.Order, " ") {
				t.Fatalf("cuts %v: record %d = %v, whole stream %v", cuts, i, g, w)
			}
			for k, v := range w.Fields {
				if g.Fields[k] != v {
					t.Fatalf("cuts %v: record %d field %s = %q, whole stream %q", cuts, i, k, g.Fields[k], v)
				}
			}
		}
	}
	n := len(stream)
	// Every single cut is tried; the two-cut splits take every step-th
	// position, about 5,000 pairs at most, so that long streams (and the
	// race detector) stay affordable.
	step := 1
	if n > 100 {
		step = n / 100
	}
	for i := 0; i <= n; i++ {
		same([]int{i})
	}
	for i := 0; i <= n; i += step {
		for j := i; j <= n; j += step {
			same([]int{i, j})
		}
	}
	return whole
}

// checkOneFrame decodes data, sent in direction dir, with proto and checks
// that it is exactly one error-free frame covering all of it (a request's
// unanswered record aside) with the summary, field values and absent fields
// given.
func checkOneFrame(t *testing.T, reg *Registry, proto string, dir Direction, data []byte, summary string, fields map[string]string, absent []string) {
	t.Helper()
	recs := decodeChunks(t, reg, proto, []chunk{{dir, data}})
	if len(recs) == 2 && recs[1].Kind == KindUnanswered {
		recs = recs[:1] // a request alone is reported again, unanswered
	}
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1: %v", len(recs), recs)
	}
	r := recs[0]
	if r.Kind != KindFrame || r.Err != "" || r.Length != len(data) {
		t.Fatalf("record %v, want one error-free frame of %d bytes", r, len(data))
	}
	if summary != "" && r.Summary != summary {
		t.Errorf("summary %q, want %q", r.Summary, summary)
	}
	for path, want := range fields {
		if got := r.Field(t, path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	for _, path := range absent {
		if v, ok := r.Fields[path]; ok {
			t.Errorf("%s = %q, want it absent", path, v)
		}
	}
}

// checkRecordRun checks the records of one direction's stream of n bytes
// against want, one "kind error-part" string per record ("frame truncated",
// "frame " for an error-free frame, "skipped searching"), leaving out
// unanswered-request records, and that the records cover all n bytes.
func checkRecordRun(t *testing.T, recs []decodedFrame, want []string, n int) {
	t.Helper()
	var got []decodedFrame
	for _, r := range recs {
		if r.Kind != KindUnanswered {
			got = append(got, r)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d records, want %d: %v", len(got), len(want), recs)
	}
	total := 0
	for i, r := range got {
		kind, errPart, _ := strings.Cut(want[i], " ")
		if r.Kind.String() != kind || !strings.Contains(r.Err, errPart) || (errPart == "" && r.Err != "") {
			t.Errorf("record %d: %v, want %s with error containing %q", i, r, kind, errPart)
		}
		total += r.Length
	}
	if total != n {
		t.Errorf("records cover %d bytes, input has %d", total, n)
	}
}

// cat joins byte slices.
func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func protoName(r *Record) string {
	if r.Protocol == nil {
		return ""
	}
	return r.Protocol.Name
}
