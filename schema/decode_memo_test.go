package schema

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// frameState is what a decode leaves in a frame, to compare two decodes.
type frameState struct {
	nodes    []Node
	slots    []int32
	vals     []int64
	err      string
	trailing int
	pair     PairRole
	pairKey  int64
}

func stateOf(f *Frame) frameState {
	s := frameState{nodes: append([]Node(nil), f.Nodes...), slots: append([]int32(nil), f.slots...),
		vals: append([]int64(nil), f.vals...), trailing: f.Trailing, pair: f.Pair, pairKey: f.PairKey}
	if f.Err != nil {
		s.err = f.Err.Error()
	}
	return s
}

// decodeBothWays decodes data as root with kept decodes copied and
// without, and returns both frames' states and how many decodes were
// copied.
func decodeBothWays(root *Struct, data []byte, lim Limits) (with, without frameState, copied int) {
	var f Frame
	Decode(root, data, &f, lim)
	with, copied = stateOf(&f), len(f.copies)
	keepDecodes = false
	defer func() { keepDecodes = true }()
	var g Frame
	Decode(root, data, &g, lim)
	return with, stateOf(&g), copied
}

// A structure decoded again where it was decoded already (a DNS name at
// offset 12: the question's, the summary line's, each compression
// pointer's target) is copied, and the frame is exactly what decoding it
// again makes: nodes, slots, parameter values, error, pairing. On DNS
// messages built to repeat names, copies of them with bytes changed or
// cut short, and under node, depth and hop limits that stop them part
// way.
func TestKeptDecodesSameAsDecoding(t *testing.T) {
	p := compileFile(t, "../dissectors/library/dns.dsl")
	if !p.Request.Fields[len(p.Request.Fields)-1].Type.Switch.Default.Struct.Fields[0].Type.Struct.keep {
		t.Fatal("a DNS name's decodes are not kept")
	}
	inputs := withMutations(summaryMessages(), rand.New(rand.NewPCG(15, 2)), 60)
	limits := []Limits{{}, {MaxNodes: 20}, {MaxNodes: 60}, {MaxDepth: 6}, {MaxDepth: 9}, {MaxHops: 1}, {MaxHops: 2}, {MaxHops: 3}}
	copies, failed := 0, 0
	for _, data := range inputs {
		for _, lim := range limits {
			for _, root := range []*Struct{p.Request, p.Response} {
				with, without, n := decodeBothWays(root, data, lim)
				if !reflect.DeepEqual(with, without) {
					t.Fatalf("% x, limits %+v: copied decodes give\n%s\ndecoding again gives\n%s", data, lim, dumpState(with), dumpState(without))
				}
				copies += n
				if with.err != "" {
					failed++
				}
			}
		}
	}
	if copies == 0 || failed == 0 {
		t.Errorf("%d copies, %d frames that failed: the test does not test", copies, failed)
	}
}

func dumpState(s frameState) string {
	out := fmt.Sprintf("err %q, %d slots %v, vals %v\n", s.err, len(s.slots), s.slots, s.vals)
	for i, n := range s.nodes {
		name := ""
		if n.Field != nil {
			name = n.Field.Name
		}
		out += fmt.Sprintf("  %d %s %s idx %d off %d len %d end %d bits %d slots %d\n", i, name, n.Type.Name, n.Index, n.Offset, n.Len, n.End, n.Bits, n.slots)
	}
	return out
}

// Only structures marked [value = summary], without parameters, whose
// decoding reads nothing but their own region and values, keep their
// decodes.
func TestKeptDecodesWhichStructures(t *testing.T) {
	src := udp + `state {
    n u8 = 0
}
struct M { a Plain; b Parent; c State; d Indexed; e Summed; f WithParam(1); g [2]Indexed }
struct Plain [summary = "{x}", value = summary] { x u8; y [x]u8; z switch x { case 1: Plain2 default: Plain2 } }
struct Plain2 [summary = "{w}"] { w u8 [at = 0] }
struct Parent [summary = "{x}", value = summary] { x u8 [if = parent.a.x == 0] }
struct State [summary = "{x}", value = summary] { x u8 [if = state.n == 0] }
struct Indexed [summary = "{x}", value = summary] { x u8 [if = index() == 0] }
struct Summed [summary = "{x}", value = summary] { x u8; set state.n = x }
struct WithParam(p u8) [summary = "{x}", value = summary] { x u8 }
`
	prog, errs := Compile("k.dsl", []byte(src))
	if prog == nil || len(errs.Errors()) != 0 {
		t.Fatal(errs)
	}
	want := map[string]bool{"Plain": true, "Plain2": false, "Parent": false, "State": false, "Indexed": false, "Summed": false, "WithParam": false, "M": false}
	for _, m := range prog.Request.Fields {
		if m.Type == nil || m.Type.Kind != KindStruct {
			continue
		}
		s := m.Type.Struct
		if w, ok := want[s.Name]; !ok || s.keep != w {
			t.Errorf("%s: keep %v, want %v", s.Name, s.keep, w)
		}
	}
}

// A copy is exactly what decoding again makes where the first decode ran
// shallower than the copy would (its nested structures read in one run,
// whose depth test passed there and fails here), and where the caller
// changed the first decode's node after it (a layer marks its top node).
func TestKeptDecodesContext(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		data      []byte
		opts      []DecodeOptions
		layered   bool
	}{
		{"deeper", udp + `
struct M { k K [at = 0]; w W }
struct W { v V }
struct V { k2 K [at = 0] }
struct K [summary = "{a}", value = summary] { a u8; m Mid }
struct Mid { i Inner }
struct Inner { z u8 }
`, []byte{1, 2, 3, 4}, []DecodeOptions{
			{Limits: Limits{MaxDepth: 3}}, {Limits: Limits{MaxDepth: 4}}, {Limits: Limits{MaxDepth: 5}},
			{Limits: Limits{MaxDepth: 6}}, {Limits: Limits{MaxDepth: 7}}, {}}, false},
		{"a region that starts elsewhere", udp + `
struct M { a u8; b u8; k K; r R [at = 2, size = 4] }
struct R { k K }
struct K [summary = "{o}", value = summary] { let o = offset(); x u8 [if = o == 0] }
`, []byte{1, 2, 3, 4, 5, 6}, []DecodeOptions{{}}, false},
		{"a layer's node", "protocol p { transport udp; request M; response R }\n" + `
struct M { b [4]byte [decode = "p"]; a R [at = 0, size = 4] }
struct R [summary = "{x}", value = summary] { x u8; y u8 }
`, []byte{1, 2, 3, 4}, []DecodeOptions{{Response: true}, {}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prog, errs := Compile("k.dsl", []byte(tc.src))
			if prog == nil || len(errs.Errors()) != 0 {
				t.Fatal(errs)
			}
			if tc.layered {
				prog.Layers[0].Program = prog // a layer of the protocol itself
			}
			for _, opts := range tc.opts {
				var f, g Frame
				DecodeWith(prog.Request, tc.data, &f, &opts)
				keepDecodes = false
				DecodeWith(prog.Request, tc.data, &g, &opts)
				keepDecodes = true
				if with, without := stateOf(&f), stateOf(&g); !reflect.DeepEqual(with, without) {
					t.Errorf("%+v: copied decodes give\n%s\ndecoding again gives\n%s", opts, dumpState(with), dumpState(without))
				}
			}
		})
	}
}

// BenchmarkDecodeDNSResponse decodes a DNS response whose answers' names
// are compression pointers to the question's (a CNAME, then an A record
// of its target): names of labels, each a structure with bit fields and
// a switch, the question's name decoded again for the summary line and
// as the pointers' target.
func BenchmarkDecodeDNSResponse(b *testing.B) {
	p := compileFile(b, "../dissectors/library/dns.dsl")
	data := summaryMessages()[1]
	var f Frame
	Decode(p.Request, data, &f, Limits{})
	if f.Err != nil {
		b.Fatal(f.Err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		Decode(p.Request, data, &f, Limits{})
	}
}

// A kept decode is copied deeper than it was decoded only when each depth
// test it passed passes there too. Each structure K below has its deepest
// test on another path of the decoder: an empty structure member, an
// array of empty structures, switches on a field, on text and on an
// expression, switches to a scalar in a structure decoded without steps,
// an array of scalars, a fused switch (read whole or in part), a structure
// of scalars, a kept decode copied inside it. K is decoded at offset 0 and
// again one to three levels deeper or shallower, under every depth limit,
// and the frame must be what decoding it again makes. (Removing the note
// of the depth from any one of those paths fails a case here, but for
// nestedStep's and fusedStep's notes of a switch's levels, which the
// notes after them always repeat, and a layer's, which a kept decode never
// holds.)
func TestKeptDecodesDeeper(t *testing.T) {
	wrappers := `
struct M1 { k K [at = 0]; w W3 }
struct M2 { w W3; k K [at = 0] }
struct M3 { k K [at = 0]; w W1 }
struct M4 { k2 K2 [at = 0]; k K [at = 0]; w W3 }
struct K2 [summary = "{a}", value = summary] { a u8; p P; c u8 [if = a == 9] }
struct W3 { t u8; v switch t & 0 { case 0: W2 } }
struct W2 { v [1]W1 }
struct W1 { x u8; k K [at = 0] }
struct N {}
struct P { x u8; y u8 }
struct P2 { x u8; b [x]byte }
`
	for _, tc := range []struct {
		name, k string
		data    []byte
	}{
		{"empty structure", `{ a u8; n N }`, []byte{1, 2, 3}},
		{"array of empty structures", `{ a u8; e [a]N }`, []byte{1, 2, 3}},
		{"switch on a field", `{ a u8; v switch a { case 1: N; default: u8 } }`, []byte{1, 2, 3}},
		{"switch on text", `{ a u8; s [1]ascii; v switch s { case "a": u8; default: u16 } }`, []byte{1, 'a', 2, 3}},
		{"switches on an expression", `{ a u8; v switch a & 1 { case 1: switch a & 3 { case 1: u8 } } }`, []byte{1, 2, 3}},
		{"a copy inside", `{ k2 K2; a u8 }`, []byte{1, 2, 3, 4}},
		{"nested switches", `{ a u8; v switch a { case 1: switch a { case 1: switch a { case 1: u8 } } } }`, []byte{1, 2, 3}},
		{"array of scalars", `{ a u8; v [a]u8 }`, []byte{1, 2, 3}},
		{"fused switch", `{ a u8; v switch a { case 1: P; case 2: N } }`, []byte{1, 2, 3, 4}},
		{"fused switch, read in part", `{ a u8; v switch a { case 1: P2; case 2: P } }`, []byte{1, 1, 3, 4}},
		{"switches to a scalar, no steps", `{ a u8; c u8 [if = a == 9]; v switch a { case 1: switch a { case 1: u8 } } }`, []byte{1, 2, 3, 4}},
		{"structure of scalars", `{ a u8; p P }`, []byte{1, 2, 3}},
		{"array of structures", `{ a u8; p [a]P }`, []byte{1, 2, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			copies := 0
			for _, root := range []string{"M1", "M2", "M3", "M4"} {
				src := "protocol p { transport udp; message " + root + " }\n" + wrappers +
					"struct K [summary = \"{a}\", value = summary] " + tc.k + "\n"
				prog, errs := Compile("k.dsl", []byte(src))
				if prog == nil || len(errs.Errors()) != 0 {
					t.Fatal(errs)
				}
				for depth := 1; depth <= 12; depth++ {
					lim := Limits{MaxDepth: depth}
					with, without, n := decodeBothWays(prog.Request, tc.data, lim)
					if !reflect.DeepEqual(with, without) {
						t.Fatalf("%s, %+v: copied decodes give\n%s\ndecoding again gives\n%s", root, lim, dumpState(with), dumpState(without))
					}
					copies += n
				}
			}
			if copies == 0 {
				t.Error("no decode copied")
			}
		})
	}
}
