package output

import (
	"bytes"
	"slices"
	"testing"

	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/internal/memtest"
	"github.com/dissect-project/dissect/schema"
)

// The flat plans write what the encoder without plans writes, on frames
// whose nodes are as the plan expects and on frames changed so that a
// step leaves the flat way: a value of no fixed size, a checksum, an
// enum value beyond the objects kept, a member left out, a node of
// another field, a nested structure of another size. Node 0 is the
// request, 1 its MBAP header (2 to 5 its members), 6 the exception bit,
// 7 the function, 8 the body (9 and 10 its members).
func TestFlatPlansSameOutput(t *testing.T) {
	d := modbusProgram(t)
	for _, tc := range []struct {
		name   string
		change func(f *schema.Frame)
		flat   bool // the request's flat plan writes it to the end
	}{
		{"as decoded", func(f *schema.Frame) {}, true},
		{"large integer", func(f *schema.Frame) { f.Nodes[2].Bits = 1<<64 - 1 }, true},
		{"integer of 8 digits", func(f *schema.Frame) { f.Nodes[2].Bits = 99_999_999 }, true},
		{"integer of 9 digits", func(f *schema.Frame) { f.Nodes[2].Bits = 100_000_000 }, true},
		{"checksum", func(f *schema.Frame) { f.Nodes[4].Flags |= schema.NodeChecksumOK }, true},
		{"enum value past the objects", func(f *schema.Frame) { f.Nodes[7].Bits = 300 }, true},
		{"unknown enum value", func(f *schema.Frame) { f.Nodes[7].Bits = 99 }, true},
		{"body left out", func(f *schema.Frame) { f.Nodes = f.Nodes[:8]; f.Nodes[0].End = 8 }, false},
		{"node of another field", func(f *schema.Frame) { f.Nodes[6].Field = f.Nodes[5].Field }, false},
		{"header of another size", func(f *schema.Frame) {
			f.Nodes[1].End = 5
			f.Nodes[5].Field = f.Nodes[4].Field
		}, false},
		{"scalar with a subtree", func(f *schema.Frame) { f.Nodes[5].End = 7 }, false},
	} {
		for _, opts := range []JSONOptions{{}, {WiresharkNames: true}} {
			var f schema.Frame
			schema.Decode(d.Program.Request, request, &f, schema.Limits{})
			if len(f.Nodes) != 11 {
				t.Fatalf("the request has %d nodes, want 11", len(f.Nodes))
			}
			tc.change(&f)
			r := &dissectors.Record{
				Kind: dissectors.KindFrame, Protocol: d.Info(), Conn: &testConn, Dir: dissectors.ClientToServer,
				Time: t0, FirstPacket: 1, LastPacket: 1, Length: len(request), Data: request, Frame: &f,
			}
			var out bytes.Buffer
			w := NewNDJSONWith(&out, opts)
			if err := w.Emit(r); err != nil {
				t.Fatal(err)
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			want := append(AppendRecordJSONWith(nil, r, opts), '\n')
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("%s, %+v: the writer wrote\n%s\nwant\n%s", tc.name, opts, out.Bytes(), want)
			}
			p := w.keys.plan(f.Nodes[0].Type.Struct, opts.WiresharkNames)
			if !p.flatOK {
				t.Fatalf("%s: the request has no flat plan", tc.name)
			}
			if _, ok := w.keys.appendFlat(nil, &f, 0, p); ok != tc.flat {
				t.Errorf("%s, %+v: appendFlat reports %v, want %v", tc.name, opts, ok, tc.flat)
			}
		}
	}
}

// A structure whose literal text does not fit a flat step has no flat
// plan, and fixedNodes counts a structure's nodes only when each field
// is one node, or a structure of such fields.
func TestFlatPlanShapes(t *testing.T) {
	d := modbusProgram(t)
	req := d.Program.Request
	var c keyCache
	p := c.plan(req, false)
	if !p.flatOK {
		t.Fatal("the request has no flat plan")
	}
	kinds := make([]flatKind, len(p.flat))
	for k, op := range p.flat {
		kinds[k] = op.kind
	}
	// mbap inline (its 4 members), exception, function, body.
	want := []flatKind{flatOpen, flatUint, flatUint, flatUint, flatUint, flatUint, flatEnum, flatSwitch}
	if !slices.Equal(kinds, want) {
		t.Errorf("request steps %v, want %v", kinds, want)
	}
	for k, want := range map[int]string{0: `{"mbap":`, 1: `{"transaction_id":`, 2: `,"protocol_id":`} {
		if got := string(p.flat[k].lit.text[:p.flat[k].lit.n]); got != want {
			t.Errorf("literal %d %q, want %q", k, got, want)
		}
	}
	if got := string(p.flat[5].lit.text[:p.flat[5].lit.n]); got != `},"exception":` {
		t.Errorf("literal after the header %q", got)
	}
	for _, tc := range []struct {
		name string
		st   *schema.Struct
		want int
	}{
		{"MBAP", req.Fields[0].Type.Struct, 5},
		{"request (a switch)", req, 0},
		{"nil", nil, 0},
	} {
		if got := fixedNodes(tc.st, 0, maxFlatInline); got != tc.want {
			t.Errorf("fixedNodes(%s) = %d, want %d", tc.name, got, tc.want)
		}
	}
	if got := string(p.tail.text[:p.tail.n]); got != "}" {
		t.Errorf("tail %q, want }", got)
	}
	var long fixedText
	if long.set(bytes.Repeat([]byte{'x'}, fixedRoom+1)) {
		t.Error("a literal longer than fixedRoom fits")
	}
}

// A structure's flat plan takes memory in proportion to the structure,
// not to the nodes of its expanded subtree: a schema of a few lines, each
// structure holding six of the next, would otherwise make plans
// exponential in the nesting (eight levels: 1.5 GB and 22 s for one
// datagram). Planning every structure of such schemas, and writing a
// frame of them, stays small.
func TestFlatPlanMemory(t *testing.T) {
	for _, levels := range []int{2, 4, 6, 8} {
		const fanOut = 6
		src := "protocol p { transport udp; message M }\n" + memtest.NestedStructs(levels, fanOut)
		p, errs := schema.Compile("nested.dsl", []byte(src))
		if p == nil {
			t.Fatalf("%d levels: %v", levels, errs)
		}
		var c keyCache
		used := memtest.Allocated(func() {
			for _, ws := range []bool{false, true} {
				for _, st := range p.Structs {
					c.plan(st, ws)
				}
			}
		})
		if used > 2<<20 {
			t.Errorf("%d levels of %d: planning the structures took %d KB", levels, fanOut, used>>10)
		}
		for _, st := range p.Structs {
			if pl := c.plan(st, false); len(pl.flat) > maxFlatInline+fanOut {
				t.Errorf("%d levels: %s's flat plan has %d steps", levels, st.Name, len(pl.flat))
			}
		}
	}
}

// An enum's fixed-size objects go up to its largest named value below
// enumObjectValues, not to 256 whatever it names; the values past them
// are written from the text of all the objects.
func TestEnumObjectsSlots(t *testing.T) {
	src := `protocol p { transport udp; message M }
struct M { a Small; b Wide; c Far }
enum Small : u8 { one = 1; three = 3 }
enum Wide : u16 { low = 2; high = 200; past = 3000 }
enum Far : u16 { only = 4000 }
`
	p, errs := schema.Compile("enums.dsl", []byte(src))
	if p == nil {
		t.Fatal(errs)
	}
	for i, want := range []int{4, 201, 1} {
		en := p.Request.Fields[i].Type.Enum
		o := newEnumObjects(en)
		if len(o.slots) != want || len(o.slotN) != want {
			t.Errorf("%s: %d slots, want %d", en.Name, len(o.slots), want)
		}
		for v := range enumObjectValues {
			obj := string(o.text[o.end[v]:o.end[v+1]])
			if v < len(o.slotN) && string(o.slots[v][:o.slotN[v]]) != obj {
				t.Errorf("%s: slot %d holds %q, want %q", en.Name, v, o.slots[v][:o.slotN[v]], obj)
			}
		}
	}
}
