package schema

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/dissect-project/dissect/dissectors/library"
	"github.com/dissect-project/dissect/internal/memtest"
)

// unplan takes away the plans of every structure and type reachable from
// p's message types, as if they had been built by hand: the decoder then
// takes its general path for every member.
func unplan(p *Program) {
	seenS := map[*Struct]bool{}
	seenT := map[*Type]bool{}
	var walkT func(t *Type)
	var walkS func(s *Struct)
	walkT = func(t *Type) {
		if t == nil || seenT[t] {
			return
		}
		seenT[t] = true
		t.plainElems = false
		walkT(t.Elem)
		if t.Struct != nil {
			walkS(t.Struct)
		}
		if t.Switch != nil {
			for _, c := range t.Switch.Cases {
				walkT(c.Type)
			}
			walkT(t.Switch.Default)
		}
	}
	walkS = func(s *Struct) {
		if s == nil || seenS[s] {
			return
		}
		seenS[s] = true
		s.plainSize, s.steps, s.plainCode, s.rest = 0, nil, nil, 0
		for _, m := range append(append([]*Field(nil), s.Params...), s.Fields...) {
			m.plan, m.condPlan, m.ops, m.flat, m.code = planGeneral, planGeneral, nil, nil, nil
			walkT(m.Type)
		}
		walkT(s.Type)
	}
	for _, s := range append([]*Struct{p.Request, p.Response}, p.Structs...) {
		walkS(s)
	}
	unfuse(reflect.ValueOf(p), map[uintptr]bool{})
}

// unfuse turns every opFieldConst and opLastConst reachable from v back
// into the comparison of its operands, which eval computes the general
// way.
func unfuse(v reflect.Value, seen map[uintptr]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		if v.Type() == reflect.TypeFor[*Expr]() {
			// Through unsafe: the pointer may sit in an unexported field.
			if e := (*Expr)(unsafe.Pointer(v.Pointer())); e.op == opFieldConst || e.op == opLastConst {
				e.op = e.cmp
			}
		}
		unfuse(v.Elem(), seen)
	case reflect.Struct:
		for i := range v.NumField() {
			unfuse(v.Field(i), seen)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			unfuse(v.Index(i), seen)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			unfuse(it.Value(), seen)
		}
	}
}

// planPair is a program compiled twice: with its plans, and without them.
type planPair struct {
	name            string
	fast, general   *Program
	fastF, generalF Frame
}

func planPairs(tb testing.TB) []*planPair {
	var pairs []*planPair
	add := func(name string, compile func() *Program) {
		g := compile()
		unplan(g)
		pairs = append(pairs, &planPair{name: name, fast: compile(), general: g})
	}
	for _, file := range []string{"testdata/kinds.dsl", "testdata/features.dsl", "../dissectors/library/modbus.dsl"} {
		add(file, func() *Program { return compileFile(tb, file) })
	}
	for i, src := range planSources {
		add(fmt.Sprintf("planSources[%d]", i), func() *Program { return mustCompile(tb, udp+src) })
	}
	files, err := fs.Glob(library.FS, "*.dsl")
	if err != nil {
		tb.Fatal(err)
	}
	for _, file := range files {
		text, _ := fs.ReadFile(library.FS, file)
		if !strings.Contains(string(text), "\nprotocol ") {
			continue // a library of types
		}
		add(file, func() *Program { return libraryProgram(tb, file) })
	}
	return pairs
}

// compareFast decodes data with and without the plans, as a request and as
// a response, and fails the test when the frames differ in any way.
func (pp *planPair) compareFast(t testing.TB, data []byte, lim Limits) {
	t.Helper()
	for _, resp := range []bool{false, true} {
		fr, gr := pp.fast.Request, pp.general.Request
		if resp {
			fr, gr = pp.fast.Response, pp.general.Response
		}
		if fr == nil || gr == nil {
			continue
		}
		fo := &DecodeOptions{Limits: lim, Response: resp}
		go_ := &DecodeOptions{Limits: lim, Response: resp}
		if len(pp.fast.State) > 0 {
			fo.State, go_.State = pp.fast.NewState(), pp.general.NewState()
		}
		DecodeWith(fr, data, &pp.fastF, fo)
		DecodeWith(gr, data, &pp.generalF, go_)
		if d := frameDiff(&pp.fastF, &pp.generalF); d != "" {
			t.Fatalf("%s (response %v) % x, limits %+v: with plans and without differ: %s", pp.name, resp, data, lim, d)
		}
		if fo.State != nil && fmt.Sprint(fo.State.Vals) != fmt.Sprint(go_.State.Vals) {
			t.Fatalf("%s % x: state %v, without plans %v", pp.name, data, fo.State.Vals, go_.State.Vals)
		}
	}
}

// frameDiff describes the first difference between two frames decoded from
// the same data by programs compiled from the same schema.
func frameDiff(a, b *Frame) string {
	errText := func(e *DecodeError) string {
		if e == nil {
			return "<nil>"
		}
		return fmt.Sprintf("%+v", *e)
	}
	if ea, eb := errText(a.Err), errText(b.Err); ea != eb {
		return "error " + ea + ", without plans " + eb
	}
	if a.Trailing != b.Trailing || a.BadChecksums != b.BadChecksums || a.Pair != b.Pair || a.PairKey != b.PairKey {
		return fmt.Sprintf("trailing, checksums, pair %d %d %d %d, without plans %d %d %d %d",
			a.Trailing, a.BadChecksums, a.Pair, a.PairKey, b.Trailing, b.BadChecksums, b.Pair, b.PairKey)
	}
	if string(a.Data) != string(b.Data) {
		return "data"
	}
	if len(a.Nodes) != len(b.Nodes) {
		return fmt.Sprintf("%d nodes, without plans %d", len(a.Nodes), len(b.Nodes))
	}
	node := func(n *Node) string {
		field := "<nil>"
		if n.Field != nil {
			field = n.Field.Name + "/" + n.Field.Wireshark // a case's own ws name is a field of its own
		}
		return fmt.Sprintf("%s %s %d %d %d %d %d %d %d %d %d", field, n.Type.Name, n.Index, n.Offset, n.Len, n.End,
			n.Bits, n.slots, n.BitOff, n.BitLen, n.Flags)
	}
	for i := range a.Nodes {
		if na, nb := node(&a.Nodes[i]), node(&b.Nodes[i]); na != nb {
			return fmt.Sprintf("node %d: %s, without plans %s", i, na, nb)
		}
	}
	for i := range a.Nodes {
		if a.Nodes[i].slots < 0 || !a.Nodes[i].IsContainer() || a.Nodes[i].Type.Struct == nil {
			continue
		}
		for k := 0; k < a.Nodes[i].Type.Struct.slotCount(); k++ {
			if x, y := a.FieldNode(i, []int{k}), b.FieldNode(i, []int{k}); x != y {
				return fmt.Sprintf("node %d slot %d: node %d, without plans %d", i, k, x, y)
			}
		}
	}
	return ""
}

// planSources are schemas that exercise the plans' edge cases: expected
// values of every sign and width, in and out of range, in runs, alone and
// in plain structures, and arrays of plain scalars of every mode.
var planSources = []string{
	`struct M { a u8 = 1; b u16 = 0x0101; c s8 = 1; d u24 = 0x010101; e u8 }`,
	`struct M { a s8 = -1; b s16 = -1; c s24 = -1; d s32 = -1; e s64 = -1; f u64 = 0xffffffffffffffff; g u16 }`,
	`struct M { a s8 = 200; b u8 }`,
	`struct M { a s8 = -129; b u8 }`,
	`struct M { a u8 = 300 }`,
	`struct M { a u16 = -1 }`,
	`struct M { a u16 = 65535; b s16 = 65535 }`,
	`struct M { a s16 = -(-1) - 2; b s8 = -3 + 2; c u8 = -0 }`,
	`struct M { p P; x b3; q P; y b5; r [2]P }
struct P { a u8; b u16le = 0x0202; c b4; d b4 }`,
	`struct M { a u8 = 0; b u8 = 1 [if = a]; c [a]u16; d [a]s8; e []u16le }`,
	`struct M { a b3; b u8; c b4; d u16 = 0x0101; e b1; f b7; g s8; h b2 }`,
	`struct M { a b3; x u8 [if = a > 1]; c b4; d u16 = 0x0101; e b1; y b2 [if = e == 1]; f b13; g s8; h b2; i b63; j b64 }`,
	`struct M { a b5; b b5; c b5; d b1 }`,
	`struct M { a s8; b u8 [if = a < 0]; c u8 [if = b == 3]; d R(a); e u8 [if = a != -2 && a > -3 && a <= 1 && a >= -1] }
struct R(k s8) { x u8 [if = k >= -1]; y u8 [if = x < 200] }`,
	`struct M { a s8; b [a / 2]u8; c u8 [if = (a % 3) + (a - 1) * (a & 6) - (a | 1) + (a ^ 2) + (a << 2) + (a >> 1) == 7]; d [a >> 1]u8 }`,
	`struct M { a u8; b u8 [if = a / 0 == 1] }`,
	`struct M { a b3; b b2 [if = a == 1]; c u8 [if = a > 2]; d u16 = 0x0101 [if = a != 3]; e b4 [if = a / (a - 4) == 0]; f s8 [if = c > 1] }`,
	`struct M { a u8; b u8 [if = a % 0 == 1] }`,
	`struct M { a u8; b u8 [if = a << 64 == 1] }`,
	`struct M { a u8; b u8 [if = a >> 64 == 1] }`,
	`struct M { t u8; b switch t { case 1: P; case 2: switch t & 1 { case 0: P; case 1: Q }; case 3: Q; case 4: R(t); case 5: [2]P; default: switch t { case 6: u8 } }; c P; d b1 }
struct P { a u8 = 1; b b3; c b5 }
struct Q { n u8; xs [n]u8 }
struct R(k u8) { a u8 = 1; b u8 [if = k > 1] }`,
	`struct M { n u8; xs [n]u24 [size = 6]; ys [until last == 0]u8; zs [while remaining() > 1]u8; f [n]f32; g []bool }`,
	// Flat runs: nested structures after bit fields, ending in the middle
	// of a byte, with expected values, three deep, and cut by a member
	// that is not flat.
	`struct M { a b3; p P; q Q; x u8 = 2; y b4; r Q; z u8 [if = a > 1]; s P; t b5; o O }
struct P { a u8; b u16 = 0x0101; c b3 }
struct Q { h b1; p P; t u8 = 1 }
struct O { b u8; q Q; e s24le = -1 }`,
	`struct M { p P; q P [if = p.a == 1]; r P; s R(1); t P }
struct P { a u8; b b4 }
struct R(k u8) { a u8 }`,
	fusedSource,
	// A switch on a signed field, or on a field combined with a constant,
	// is not fused; a flat run before it.
	`struct M { h H; t s8; b switch t { case -1: P; case 1: P; default: switch t & 3 { case 2: P } }; pair response h.id }
struct H { id u16; v u8 = 2 }
struct P { x u8 }`,
	// Bytes, text and arrays counted by a field or a field and a constant,
	// of any count.
	`struct M { n u8; b [n]byte; s [n - 1]utf8; t [n]ascii [trim = nul]; u [n * 2]u16; v [n >> 1]u8; w [n / 0]u8 }`,
}

// fusedSource has a run fused with the switch after it, whose cases are
// plain structures (named or not, with expected values, ending in the
// middle of a byte), switches on other fields of the run, a structure
// that is not plain, and no case; then a run of one scalar.
const fusedSource = `struct M { a b3; k b5; t u8; b switch k { case 1: P [ws = "m.one"]; case 2, 3: switch t { case 7: Q; case 8: P [ws = "m.eight"]; default: E }; case 4: N; default: switch a { case 1: P } }; z u8; pair request t }
struct P { x u8 = 1; y b4; w b4 }
struct Q { h b3; g u16le; e b2 }
struct E { n u8; xs [n]u8 }
struct N { s s8 }`

// planLimits are the limits the comparisons run under: the defaults, and
// small ones that the fast paths must meet exactly where the general path
// does.
var planLimits = []Limits{{}, {MaxNodes: 7}, {MaxNodes: 12, MaxElements: 3}, {MaxDepth: 2}, {MaxNodes: 3, MaxDepth: 3}}

// The plans are only a faster way to the same frame: decoding with and
// without them gives the same nodes, slots, errors and pairing, on good
// frames, cut and corrupted ones, and under small limits.
func TestPlansDecodeAsTheGeneralPath(t *testing.T) {
	pairs := planPairs(t)
	seeds := append(modbusSeeds(), kindsData(), benchRequest, benchResponse, benchMQTTPublish, benchTLV)
	r := rand.New(rand.NewPCG(1, 2))
	for _, pp := range pairs {
		for _, seed := range seeds {
			for cut := 0; cut <= len(seed); cut++ {
				pp.compareFast(t, seed[:cut], planLimits[cut%len(planLimits)])
			}
			for range 15 {
				data := append([]byte(nil), seed...)
				for range 1 + r.IntN(3) {
					if len(data) > 0 {
						data[r.IntN(len(data))] = byte(r.IntN(256))
					}
				}
				pp.compareFast(t, data, planLimits[r.IntN(len(planLimits))])
			}
		}
		if strings.HasPrefix(pp.name, "planSources") {
			for b := range 256 { // every value of every byte, for the expected values
				data := make([]byte, 1+b%40)
				for i := range data {
					data[i] = byte(b)
				}
				pp.compareFast(t, data, planLimits[b%len(planLimits)])
			}
		}
		for range 100 {
			data := randomFrameBytes(r, r.IntN(64), 4)
			pp.compareFast(t, data, planLimits[r.IntN(len(planLimits))])
		}
	}
}

// The compiler gives a flat run to the first member of each longest
// sequence of plain reads and flat structures that has a structure.
func TestPlanFlat(t *testing.T) {
	tests := []struct {
		src     string
		members map[string]int // first member: members its flat run covers
		ops     map[string]int // and its ops
	}{
		{"struct M { a u8; p P; b u8 }\nstruct P { x u16; y b4 }", map[string]int{"a": 3}, map[string]int{"a": 5}},
		{"struct M { p P; b u8 [if = p.x == 1]; q P; r P }\nstruct P { x u16; y b4 }", map[string]int{"p": 1, "q": 2}, map[string]int{"p": 3, "q": 6}},
		{"struct M { a u8; b u16 }", nil, nil},
		{"struct M { p P; q Q }\nstruct P { x u16; y Q }\nstruct Q { z u8 }", map[string]int{"p": 2}, map[string]int{"p": 6}},
		{"struct M { p P }\nstruct P { x u16; y u8 [if = x > 1] }", nil, nil},
		{"struct M { p P(1) }\nstruct P(k u8) { x u16 }", nil, nil},
		// A structure of more ops than a run has room for ends the run
		// before it; one that fills it, ends it after it.
		{"struct M { p P; b B; q P }\nstruct P { x u16; y b4 }\n" + wideStruct("B", maxRun), map[string]int{"p": 1, "q": 1}, map[string]int{"p": 3, "q": 3}},
		{"struct M { b B; q P }\nstruct P { x u16; y b4 }\n" + wideStruct("B", maxRun-1), map[string]int{"b": 1, "q": 1}, map[string]int{"b": maxRun, "q": 3}},
	}
	for _, tt := range tests {
		p := mustCompile(t, udp+tt.src)
		for _, m := range p.Request.Fields {
			want, wantOps := tt.members[m.Name], tt.ops[m.Name]
			got, gotOps := 0, 0
			if m.flat != nil {
				got, gotOps = m.flat.code.members, len(m.flat.ops)
			}
			if got != want || gotOps != wantOps {
				t.Errorf("%.120q: %s: flat run of %d members, %d ops, want %d, %d", tt.src, m.Name, got, gotOps, want, wantOps)
			}
		}
	}
}

// The compiler gives steps to the structures whose members all have one,
// and fuses a run with the switch after it when the switches' tags are
// unsigned members the run reads.
func TestPlanSteps(t *testing.T) {
	kinds := func(s *Struct) string {
		if s.steps == nil {
			return "none"
		}
		var b strings.Builder
		for _, st := range s.steps {
			b.WriteString([]string{"run", "nested", "array", "bytes", "pair", "fused"}[st.kind])
			if st.kind == stepRun && st.code.one != nil {
				b.WriteString("1")
			}
			b.WriteString(" ")
		}
		return strings.TrimSpace(b.String())
	}
	p := compileFile(t, "../dissectors/library/modbus.dsl")
	byName := map[string]*Struct{}
	for _, s := range p.Structs {
		byName[s.Name] = s
	}
	tests := []struct {
		name, want string
	}{
		{"Request", "fused run nested pair"},
		{"Response", "fused run nested pair"},
		{"ReadRegistersResponse", "run1 array"},
		{"ReadBitsResponse", "run1 bytes"},
		{"ExceptionResponse", "run1"},
		{"ReadRegistersRequest", "run"},
		{"MEIRequest", "fused run1 nested"},
		{"ReadDeviceIDResponse", "none"}, // an array of structures
		{"RawData", "none"},              // bytes to the end
	}
	for _, tt := range tests {
		s := byName[tt.name]
		if s == nil {
			t.Fatalf("no structure %s", tt.name)
		}
		if got := kinds(s); got != tt.want {
			t.Errorf("%s: steps %q, want %q", tt.name, got, tt.want)
		}
	}
	// The Request's fused step has a code for every plain case of its
	// switch, which reads the run and the case at once.
	fr := byName["Request"].steps[0].fused
	if fr == nil || fr.top == nil {
		t.Fatal("Request: no fused step")
	}
	plain := 0
	for i, c := range fr.top.cases {
		rc := c.next
		if rc == nil {
			continue
		}
		plain++
		if rc.members != fr.run.members+1 || len(rc.nodes) <= len(fr.run.nodes) {
			t.Errorf("case %d: code of %d members, %d nodes, for a run of %d, %d", i, rc.members, len(rc.nodes), fr.run.members, len(fr.run.nodes))
		}
	}
	if plain < 5 {
		t.Errorf("Request: %d plain cases fused, want at least 5", plain)
	}
	// The Response's reaches the structures that are not plain in part:
	// their node, slots and first run with the header.
	part := 0
	for _, c := range byName["Response"].steps[0].fused.top.cases {
		if sub := c.sub; sub != nil {
			for _, sc := range sub.cases {
				if sc.part != nil {
					part++
				}
			}
		}
	}
	if part < 3 {
		t.Errorf("Response: %d cases read in part, want at least 3", part)
	}
	if got := kinds(mustCompile(t, udp+fusedSource).Request); got != "fused run nested run1 pair" {
		t.Errorf("fusedSource: steps %q", got)
	}
	// Every way through fusedSource's switches, whole, cut, with a case
	// that does not hold its expected value, and under every limit,
	// decodes as the general path does.
	g := mustCompile(t, udp+fusedSource)
	unplan(g)
	pp := &planPair{name: "fusedSource", fast: mustCompile(t, udp+fusedSource), general: g}
	for a := range 3 {
		for k := range 6 {
			for tag := 6; tag <= 9; tag++ {
				for x := 1; x <= 2; x++ {
					data := []byte{byte(a<<5 | k), byte(tag), byte(x), 0xab, 2, 1, 5, 6}
					for cut := 0; cut <= len(data); cut++ {
						for _, lim := range planLimits {
							pp.compareFast(t, data[:cut], lim)
						}
					}
				}
			}
		}
	}
}

// wideStruct returns the source of a structure name of n u8 members.
func wideStruct(name string, n int) string {
	var b strings.Builder
	b.WriteString("struct " + name + " {")
	for i := range n {
		fmt.Fprintf(&b, " f%d u8;", i)
	}
	b.WriteString(" }\n")
	return b.String()
}

// Planning flat runs costs little however the structures nest: a schema
// whose structures hold, seven levels deep (within maxFlatDepth), six
// structures each (6^7 members at the bottom) compiles in less memory
// than the ops of all its members would take, and its structures too
// large for a run get none.
func TestPlanFlatNesting(t *testing.T) {
	const levels, fanOut = 7, 6
	var p *Program
	if used := memtest.Allocated(func() { p = mustCompile(t, udp+memtest.NestedStructs(levels, fanOut)) }); used > 16<<20 {
		t.Errorf("compiling took %d MB", used>>20)
	}
	if m := p.Request.Fields[0]; m.flat != nil {
		t.Errorf("a flat run of %d ops, over %d", len(m.flat.ops), maxRun)
	}
}

func FuzzPlans(f *testing.F) {
	for _, seed := range append(modbusSeeds(), kindsData(), benchRequest, benchResponse, benchMQTTPublish, benchTLV) {
		f.Add(seed, uint8(0))
	}
	pairs := planPairs(f)
	f.Fuzz(func(t *testing.T, data []byte, lim uint8) {
		for _, pp := range pairs {
			pp.compareFast(t, data, planLimits[int(lim)%len(planLimits)])
		}
	})
}

// A pairing key one or two slots away is found directly (pathNode), with
// the value eval gives; any other key takes eval, which reports what is
// missing.
func TestPairKeyPaths(t *testing.T) {
	tests := []struct {
		src     string
		data    []byte
		key     int64
		pair    PairRole
		failure bool
	}{
		{"struct M { a u8; pair request a }", []byte{7}, 7, PairRequest, false},
		{"struct M { p P; pair request p.x }\nstruct P { x s16; y u8 }", []byte{0xff, 0xfe, 1}, -2, PairRequest, false},
		{"struct M { p P; pair request p.q.z }\nstruct P { x u8; q Q }\nstruct Q { z u8 }", []byte{1, 9}, 9, PairRequest, false},
		{"struct M { a u8; b u8 [if = a > 1]; pair request b }", []byte{1}, 0, PairNone, true},
		{"struct M { a u8; p P [if = a > 1]; pair request p.x }\nstruct P { x u8 }", []byte{1, 2}, 0, PairNone, true},
		{"struct M { a u8; p P [if = a > 1]; pair request p.x }\nstruct P { x u8 }", []byte{2, 5}, 5, PairRequest, false},
		{"struct M { a u8; pair request a + 1 }", []byte{7}, 8, PairRequest, false},
	}
	for _, tt := range tests {
		p := mustCompile(t, udp+tt.src)
		var f Frame
		Decode(p.Request, tt.data, &f, Limits{})
		if (f.Err != nil) != tt.failure || f.PairKey != tt.key || f.Pair != tt.pair {
			t.Errorf("%q % x: key %d, role %d, error %v; want %d, %d, failure %v", tt.src, tt.data, f.PairKey, f.Pair, f.Err, tt.key, tt.pair, tt.failure)
		}
	}
}

// randomFrameBytes returns n random bytes, mostly small values, which
// counts, tags and lengths read as plausible, and one in wideOneIn any
// byte.
func randomFrameBytes(r *rand.Rand, n, wideOneIn int) []byte {
	data := make([]byte, n)
	for i := range data {
		data[i] = byte(r.IntN(4))
		if r.IntN(wideOneIn) == 0 {
			data[i] = byte(r.IntN(256))
		}
	}
	return data
}
