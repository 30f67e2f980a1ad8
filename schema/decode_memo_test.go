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
