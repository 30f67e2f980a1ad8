package schema

import (
	"math"
	"os"
	"strings"
	"testing"

	"github.com/dissect-project/dissect/internal/memtest"
)

func compileFile(t testing.TB, path string) *Program {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, errs := Compile(path, text)
	if p == nil || len(errs) != 0 {
		t.Fatalf("%s: %v", path, errs)
	}
	return p
}

// lookup returns the node at a dotted path, failing the test when absent.
func lookup(t testing.TB, f *Frame, path string) (int, *Node) {
	t.Helper()
	i, ok := f.Lookup(path)
	if !ok {
		t.Fatalf("no node %q", path)
	}
	return i, &f.Nodes[i]
}

func display(f *Frame, i int) string { return string(f.AppendDisplay(nil, i)) }

// checkTree verifies the invariants every decoded frame must keep: nodes in
// pre-order, children inside their parent (but for positioned reads), bytes
// inside the frame.
func checkTree(t testing.TB, f *Frame) {
	t.Helper()
	for i := range f.Nodes {
		n := &f.Nodes[i]
		if n.Offset < 0 || n.Len < 0 || int(n.Offset)+int(n.Len) > len(f.Data) {
			t.Fatalf("node %d (%s) at %d+%d outside %d bytes", i, n.Name(), n.Offset, n.Len, len(f.Data))
		}
		if int(n.End) <= i || int(n.End) > len(f.Nodes) {
			t.Fatalf("node %d (%s): End %d", i, n.Name(), n.End)
		}
		if !n.IsContainer() && n.End != int32(i+1) {
			t.Fatalf("leaf %d (%s) has children", i, n.Name())
		}
		// Each node is checked against its parent; containment in every
		// ancestor follows.
		for c := i + 1; c < int(n.End); c = int(f.Nodes[c].End) {
			m := &f.Nodes[c]
			// A positioned read ([at = ...]) lies wherever it points, not
			// inside the bytes of its parent.
			positioned := m.Field != nil && m.Field.At != nil
			if int(m.End) <= c || m.End > n.End || (!positioned && (m.Offset < n.Offset || m.Offset+m.Len > n.Offset+n.Len)) {
				t.Fatalf("node %d (%s %d+%d, End %d) escapes its parent %d (%s %d+%d, End %d)",
					c, m.Name(), m.Offset, m.Len, m.End, i, n.Name(), n.Offset, n.Len, n.End)
			}
		}
	}
}

func kindsData() []byte {
	return []byte{
		0x01,       // a u8
		0x01, 0x02, // b u16
		0x01, 0x02, // c u16le
		0x01, 0x02, 0x03, // d u24
		0x01, 0x02, 0x03, // e u24le
		0xde, 0xad, 0xbe, 0xef, // f u32
		0xde, 0xad, 0xbe, 0xef, // g u32le
		1, 2, 3, 4, 5, 6, 7, 8, // h u64
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // i u64le
		0x80,       // j s8
		0xff, 0xfe, // k s16
		0xfe, 0xff, // l s16le
		0xff, 0xff, 0xfe, // m s24
		0x00, 0x00, 0x00, 0x80, // n s32le
		0x80, 0, 0, 0, 0, 0, 0, 0, // o i64
		0x3f, 0xc0, 0x00, 0x00, // p f32 1.5
		0, 0, 0, 0, 0, 0, 0x04, 0x40, // q f64le 2.5
		0x02,       // r bool
		0x02,       // s Color green
		0x09,       // t Color unknown
		0xfe, 0xff, // u Wide -2
		0xca, 0xfe, // v [2]byte
		0x10, 0x20, // w Pair
		1, 2, 3, 4, // x [2]Pair
		0, 5, 0, 6, 0, 7, // y []u16
	}
}

func TestDecodeAllKinds(t *testing.T) {
	p := compileFile(t, "testdata/kinds.dsl")
	data := kindsData()
	var f Frame
	Decode(p.Request, data, &f, Limits{})
	if f.Err != nil {
		t.Fatalf("decode: %v", f.Err)
	}
	checkTree(t, &f)
	if f.Root != p.Request || len(f.Data) != len(data) {
		t.Errorf("Root %v, Data %d bytes", f.Root, len(f.Data))
	}
	root := &f.Nodes[0]
	if root.Offset != 0 || int(root.Len) != len(data) || int(root.End) != len(f.Nodes) || root.Field != nil ||
		root.Index != -1 || root.Name() != "All" || root.Type != p.Request.Type {
		t.Errorf("root node %+v", *root)
	}
	tests := []struct {
		path    string
		off, ln int32
		kind    Kind
		val     int64 // Int() for integers
		bits    uint64
		display string
	}{
		{"a", 0, 1, KindUint, 1, 1, "0b00000001"},
		{"b", 1, 2, KindUint, 0x0102, 0x0102, "258"},
		{"c", 3, 2, KindUint, 0x0201, 0x0201, "513"},
		{"d", 5, 3, KindUint, 0x010203, 0x010203, "66051"},
		{"e", 8, 3, KindUint, 0x030201, 0x030201, "197121"},
		{"f", 11, 4, KindUint, 0xdeadbeef, 0xdeadbeef, "0xdeadbeef"},
		{"g", 15, 4, KindUint, 0xefbeadde, 0xefbeadde, "4022250974"},
		{"h", 19, 8, KindUint, 0x0102030405060708, 0x0102030405060708, "0x0102030405060708"},
		{"i", 27, 8, KindUint, -1, math.MaxUint64, "18446744073709551615"},
		{"j", 35, 1, KindInt, -128, 0x80, "-128"},
		{"k", 36, 2, KindInt, -2, 0xfffe, "0xfffe"},
		{"l", 38, 2, KindInt, -2, 0xfffe, "-2"},
		{"m", 40, 3, KindInt, -2, 0xfffffe, "-2"},
		{"n", 43, 4, KindInt, math.MinInt32, 0x80000000, "-2147483648"},
		{"o", 47, 8, KindInt, math.MinInt64, 1 << 63, "-9223372036854775808"},
		{"p", 55, 4, KindFloat, 0, 0x3fc00000, "1.5"},
		{"q", 59, 8, KindFloat, 0, 0x4004000000000000, "2.5"},
		{"r", 67, 1, KindBool, 1, 2, "true"},
		{"s", 68, 1, KindUint, 2, 2, "Green (2)"},
		{"t", 69, 1, KindUint, 9, 9, "Unknown (0x09)"},
		{"u", 70, 2, KindInt, -2, 0xfffe, "Minus two (-2)"},
		{"v", 72, 2, KindBytes, 2, 2, "cafe"},
		{"w", 74, 2, KindStruct, 0, 0, "16/32"},
		{"w.lo", 74, 1, KindUint, 0x10, 0x10, "16"},
		{"w.hi", 75, 1, KindUint, 0x20, 0x20, "32"},
		{"x", 76, 4, KindArray, 0, 0, "2 items"},
		{"x.0", 76, 2, KindStruct, 0, 0, "1/2"},
		{"x.0.lo", 76, 1, KindUint, 1, 1, "1"},
		{"x.0.hi", 77, 1, KindUint, 2, 2, "2"},
		{"x.1", 78, 2, KindStruct, 0, 0, "3/4"},
		{"x.1.lo", 78, 1, KindUint, 3, 3, "3"},
		{"x.1.hi", 79, 1, KindUint, 4, 4, "4"},
		{"y", 80, 6, KindArray, 0, 0, "3 items"},
		{"y.0", 80, 2, KindUint, 5, 5, "5"},
		{"y.1", 82, 2, KindUint, 6, 6, "6"},
		{"y.2", 84, 2, KindUint, 7, 7, "7"},
	}
	seen := 0
	for _, tt := range tests {
		i, n := lookup(t, &f, tt.path)
		seen++
		if n.Offset != tt.off || n.Len != tt.ln || n.Type.Kind != tt.kind {
			t.Errorf("%s: offset %d len %d kind %d, want %d %d %d", tt.path, n.Offset, n.Len, n.Type.Kind, tt.off, tt.ln, tt.kind)
		}
		switch tt.kind {
		case KindUint, KindInt, KindBool:
			if n.Int() != tt.val || n.Bits != tt.bits {
				t.Errorf("%s: Int %d Bits %#x, want %d %#x", tt.path, n.Int(), n.Bits, tt.val, tt.bits)
			}
		case KindFloat, KindBytes:
			if n.Bits != tt.bits {
				t.Errorf("%s: Bits %#x, want %#x", tt.path, n.Bits, tt.bits)
			}
		}
		if got := display(&f, i); got != tt.display {
			t.Errorf("%s: display %q, want %q", tt.path, got, tt.display)
		}
		wantName := tt.path[strings.LastIndexByte(tt.path, '.')+1:]
		if n.Index >= 0 {
			wantName = "[" + wantName + "]"
		}
		if n.Name() != wantName {
			t.Errorf("%s: Name() %q", tt.path, n.Name())
		}
	}
	if seen+1 != len(f.Nodes) {
		t.Errorf("%d nodes, %d checked", len(f.Nodes), seen+1)
	}
	if _, n := lookup(t, &f, "p"); n.Float() != 1.5 {
		t.Errorf("p = %v", n.Float())
	}
	if _, n := lookup(t, &f, "q"); n.Float() != 2.5 {
		t.Errorf("q = %v", n.Float())
	}
	// Array elements belong to the array's field and carry their index.
	_, x1 := lookup(t, &f, "x.1")
	if x1.Field.Name != "x" || x1.Index != 1 || x1.Type != p.Structs[1].Type {
		t.Errorf("x.1: field %s index %d type %s", x1.Field.Name, x1.Index, x1.Type.Name)
	}
	if got := string(f.AppendSummary([]byte("> "))); got != "> a=0b00000001 s=Green (2) w=16/32 v=cafe t=Unknown (0x09)" {
		t.Errorf("summary %q", got)
	}
	// Bytes returns exactly the bytes a node covers.
	for i := range f.Nodes {
		n := &f.Nodes[i]
		if b := f.Bytes(i); len(b) != int(n.Len) || len(b) > 0 && &b[0] != &data[n.Offset] {
			t.Errorf("Bytes(%d) wrong", i)
		}
	}
	// Children lists the direct children in order.
	var names []string
	xi, _ := lookup(t, &f, "x")
	f.Children(xi, func(c int) { names = append(names, f.Nodes[c].Name()) })
	if strings.Join(names, ",") != "[0],[1]" {
		t.Errorf("children of x: %v", names)
	}
	names = names[:0]
	f.Children(0, func(c int) { names = append(names, f.Nodes[c].Name()) })
	if strings.Join(names, "") != "abcdefghijklmnopqrstuvwxy" {
		t.Errorf("children of the root: %v", names)
	}
	// Lookup misses.
	for _, path := range []string{"", "z", "w.z", "x.2", "x.-1", "a.b", "y.0.x"} {
		if i, ok := f.Lookup(path); ok || i != -1 {
			t.Errorf("Lookup(%q) = %d, %v", path, i, ok)
		}
	}
	// FieldNode follows slot paths.
	if i := f.FieldNode(0, []int{22, 1}); i < 0 || f.Nodes[i].Field.Name != "hi" || f.Nodes[i].Offset != 75 {
		t.Errorf("FieldNode(w.hi) = %d", i)
	}
	// Paths through a scalar, outside the structure's fields, or empty.
	for _, bad := range [][]int{{0, 0}, {25}, {99}, {-1}, {22, 2}, {22, -1}, {23, 0}, {}} {
		if i := f.FieldNode(0, bad); i != -1 {
			t.Errorf("FieldNode(%v) = %d", bad, i)
		}
	}
	if f.FieldNode(-1, []int{0}) != -1 || f.FieldNode(len(f.Nodes), []int{0}) != -1 {
		t.Error("FieldNode outside the frame")
	}
}

func TestDecodeTruncatedEverywhere(t *testing.T) {
	// Every prefix of a good frame fails cleanly, keeps what it decoded,
	// and never reports a node beyond the data.
	p := compileFile(t, "testdata/kinds.dsl")
	data := kindsData()
	var f Frame
	for n := 0; n < len(data); n++ {
		Decode(p.Request, data[:n], &f, Limits{})
		checkTree(t, &f)
		if n < 80 && f.Err == nil {
			t.Fatalf("%d bytes: no error", n)
		}
		if f.Err != nil && f.Err.Kind != "truncated" {
			t.Errorf("%d bytes: %v", n, f.Err)
		}
	}
	// y is []u16: an odd byte at the end is a truncated element.
	Decode(p.Request, append(data[:len(data):len(data)], 9), &f, Limits{})
	want := DecodeError{Path: "y[3]", Offset: 86, Kind: "truncated", Expected: "2 bytes for u16", Found: "1"}
	if f.Err == nil || *f.Err != want {
		t.Errorf("odd byte: %+v", f.Err)
	}
}

// decodeCase is a schema (the fields of struct M, and more declarations),
// a frame, and the expected outcome.
type decodeCase struct {
	name  string
	src   string // appended to the udp header
	data  []byte
	lim   Limits
	err   *DecodeError
	nodes []string // "path@offset+len" of nodes that must be present
	count int      // number of nodes, 0 to skip
}

func runDecodeCases(t *testing.T, tests []decodeCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustCompile(t, udp+tt.src)
			var f Frame
			Decode(p.Request, tt.data, &f, tt.lim)
			checkTree(t, &f)
			switch {
			case tt.err == nil && f.Err != nil:
				t.Errorf("unexpected error: %v", f.Err)
			case tt.err != nil && f.Err == nil:
				t.Errorf("no error, want %+v", *tt.err)
			case tt.err != nil && *f.Err != *tt.err:
				t.Errorf("error\n got: %#v\nwant: %#v", *f.Err, *tt.err)
			}
			for _, want := range tt.nodes {
				path, at, _ := strings.Cut(want, "@")
				i, ok := f.Lookup(path)
				if !ok {
					t.Errorf("node %s missing", path)
					continue
				}
				n := &f.Nodes[i]
				if got := itoa(int(n.Offset)) + "+" + itoa(int(n.Len)); got != at {
					t.Errorf("node %s at %s, want %s", path, got, at)
				}
			}
			if tt.count != 0 && len(f.Nodes) != tt.count {
				var names []string
				for i := range f.Nodes {
					names = append(names, f.Nodes[i].Name())
				}
				t.Errorf("%d nodes %v, want %d", len(f.Nodes), names, tt.count)
			}
		})
	}
}

func itoa(i int) string {
	if i < 0 {
		return "-" + itoa(-i)
	}
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func TestDecodeSwitch(t *testing.T) {
	const sw = `struct M {
	kind Kind
	body switch kind {
		case a, b:      u8
		case c:         [2]byte
		case 10..19:    P
		case 20, 22..23: [2]u8
		case Kind.d:    switch kind { case 4: u16le }
		default:        []byte
	}
	tail []byte
}
enum Kind { a = 1; b = 2; c = 3; d = 4 }
struct P { x u8; y u8 }
`
	runDecodeCases(t, []decodeCase{
		{name: "enum label", src: sw, data: []byte{2, 0xaa, 0xbb}, count: 4,
			nodes: []string{"kind@0+1", "body@1+1", "tail@2+1"}},
		{name: "second enum label", src: sw, data: []byte{1, 0xaa}, count: 4,
			nodes: []string{"body@1+1", "tail@2+0"}},
		{name: "bytes case", src: sw, data: []byte{3, 1, 2, 3}, count: 4,
			nodes: []string{"body@1+2", "tail@3+1"}},
		{name: "range low", src: sw, data: []byte{10, 1, 2}, count: 6,
			nodes: []string{"body@1+2", "body.x@1+1", "body.y@2+1", "tail@3+0"}},
		{name: "range high", src: sw, data: []byte{19, 1, 2, 3}, count: 6,
			nodes: []string{"body@1+2", "body.y@2+1", "tail@3+1"}},
		{name: "list and range", src: sw, data: []byte{23, 1, 2}, count: 6,
			nodes: []string{"body@1+2", "body.0@1+1", "body.1@2+1"}},
		{name: "nested switch", src: sw, data: []byte{4, 1, 2}, count: 4,
			nodes: []string{"body@1+2"}},
		{name: "default", src: sw, data: []byte{21, 1, 2, 3}, count: 4,
			nodes: []string{"body@1+3", "tail@4+0"}},
		{name: "default for unknown enum value", src: sw, data: []byte{0}, count: 4,
			nodes: []string{"body@1+0"}},
		{name: "no match", src: "struct M { t u8; b switch t { case 1: u8; case 5..9: u16 }; c u8 }", data: []byte{2, 0, 0},
			err:   &DecodeError{Path: "b", Offset: 1, Kind: "no matching case", Expected: "a value listed in the switch", Found: "2"},
			nodes: []string{"t@0+1"}, count: 2},
		{name: "no match negative", src: "struct M { t s8; b switch t { case 1: u8 } }", data: []byte{0xff},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "no matching case", Expected: "a value listed in the switch", Found: "-1"}},
		{name: "switch on expression", src: "struct M { t u8; b switch t & 0x80 { case 0x80: u16; default: u8 } }", data: []byte{0x81, 1, 2}, count: 3,
			nodes: []string{"b@1+2"}},
		{name: "case body fails", src: "struct M { t u8; b switch t { case 1: P } }\nstruct P { x u8; y u8 = 7 }", data: []byte{1, 0, 6},
			err:   &DecodeError{Path: "b.y", Offset: 2, Kind: "bad value", Expected: "7", Found: "6"},
			nodes: []string{"b@1+2", "b.x@1+1", "b.y@2+1"}, count: 5},
		{name: "switch in array", src: "struct M { t u8; b [2]switch t { case 1: u8; default: u16 } }", data: []byte{2, 0, 1, 0, 2}, count: 5,
			nodes: []string{"b@1+4", "b.0@1+2", "b.1@3+2"}},
	})
	// The node of a switch field has the type of the chosen case.
	p := mustCompile(t, udp+sw)
	var f Frame
	Decode(p.Request, []byte{10, 1, 2}, &f, Limits{})
	_, body := lookup(t, &f, "body")
	if body.Type.Kind != KindStruct || body.Type.Struct.Name != "P" || body.Field.Name != "body" {
		t.Errorf("body: %+v", body.Type)
	}
}

func TestDecodeConditions(t *testing.T) {
	const cond = `struct M {
	flags u8
	a u16 [if = flags & 1]
	b u8  [if = flags & 2 && a > 1]
	h H   [if = flags & 4]
	n u8  [if = flags & 4 == 0 || h.len > 0]
	c [h.len]byte [if = flags & 4]
}
struct H { len u8 }
`
	runDecodeCases(t, []decodeCase{
		{name: "none", src: cond, data: []byte{0, 5}, count: 3, nodes: []string{"flags@0+1", "n@1+1"}},
		{name: "a only", src: cond, data: []byte{1, 0, 2, 9}, count: 4, nodes: []string{"a@1+2", "n@3+1"}},
		{name: "a and b", src: cond, data: []byte{3, 0, 2, 9, 8}, count: 5, nodes: []string{"a@1+2", "b@3+1", "n@4+1"}},
		{name: "b's condition false", src: cond, data: []byte{3, 0, 1, 9}, count: 4, nodes: []string{"n@3+1"}},
		{name: "h present", src: cond, data: []byte{4, 2, 7, 0xa, 0xb}, count: 6,
			nodes: []string{"h@1+1", "h.len@1+1", "n@2+1", "c@3+2"}},
		{name: "h present, empty", src: cond, data: []byte{4, 0, 0xa}, count: 5,
			nodes: []string{"h@1+1", "c@2+0"}},
		// With flags 0, b's condition stops at flags & 2 and never reads
		// the absent a (the case "none" above); with flags 2 it reads it.
		{name: "absent field after &&", src: cond, data: []byte{2, 9},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "cannot evaluate the condition of b", Found: "refers to a field that is absent"}, count: 2},
		{name: "absent field", src: "struct M { f u8; o u8 [if = f != 0]; b [o]byte }", data: []byte{0, 1},
			err:   &DecodeError{Path: "b", Offset: 1, Kind: "cannot evaluate the length of b", Found: "refers to a field that is absent"},
			nodes: []string{"f@0+1"}, count: 2},
		{name: "absent structure in a path", src: "struct M { f u8; h H [if = f]; b u8 [if = h.len] }\nstruct H { len u8 }", data: []byte{0, 1},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "cannot evaluate the condition of b", Found: "refers to a field that is absent"}, count: 2},
		{name: "condition fails", src: "struct M { n u8; b u8 [if = 1 % n] }", data: []byte{0, 1},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "cannot evaluate the condition of b", Found: "division by zero"}, count: 2},
	})
}

func TestDecodeErrors(t *testing.T) {
	runDecodeCases(t, []decodeCase{
		{name: "truncated scalar", src: "struct M { a u8; b u16 }", data: []byte{1, 2},
			err:   &DecodeError{Path: "b", Offset: 1, Kind: "truncated", Expected: "2 bytes for u16", Found: "1"},
			nodes: []string{"a@0+1"}, count: 2},
		{name: "empty frame", src: "struct M { a u8 }", data: nil,
			err: &DecodeError{Path: "a", Offset: 0, Kind: "truncated", Expected: "1 bytes for u8", Found: "0"}, count: 1},
		{name: "expected value", src: "struct M { id u16; proto u16 = 0; len u16 }", data: []byte{0, 1, 0, 7, 0, 2},
			err:   &DecodeError{Path: "proto", Offset: 2, Kind: "bad value", Expected: "0", Found: "7"},
			nodes: []string{"id@0+2", "proto@2+2"}, count: 3},
		{name: "expected value ok", src: "struct M { id u16; proto u16 = 0; len u16 }", data: []byte{0, 1, 0, 0, 0, 2}, count: 4},
		{name: "expected expression", src: "struct M { magic u8 = 0x10 | K.b; neg s8 = -1 }\nenum K { b = 2 }", data: []byte{0x13},
			err: &DecodeError{Path: "magic", Offset: 0, Kind: "bad value", Expected: "0x10 | K.b", Found: "19"}},
		{name: "expected signed", src: "struct M { neg s8 = -1; big u64 = 0xffffffffffffffff }", data: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, count: 3},
		{name: "expected signed mismatch", src: "struct M { neg s8 = -1 }", data: []byte{0x7f},
			err: &DecodeError{Path: "neg", Offset: 0, Kind: "bad value", Expected: "-1", Found: "127"}},
		{name: "expected from earlier field", src: "struct M { a u8; b u8 = a + 1 }", data: []byte{4, 4},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "bad value", Expected: "a + 1", Found: "4"}},
		{name: "expected bool", src: "struct M { a bool = true; b bool = false }", data: []byte{7, 0}, count: 3},
		{name: "expected bool mismatch", src: "struct M { a bool = true }", data: []byte{0},
			err: &DecodeError{Path: "a", Offset: 0, Kind: "bad value", Expected: "true", Found: "0"}},
		{name: "expected value fails", src: "struct M { n u8; b u8 = 1 / n }", data: []byte{0, 1},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "cannot evaluate the expected value of b", Found: "division by zero"}, count: 3},
		{name: "nested path", src: "struct M { h H }\nstruct H { a u8; b u8 = 1 }", data: []byte{0, 2},
			err:   &DecodeError{Path: "h.b", Offset: 1, Kind: "bad value", Expected: "1", Found: "2"},
			nodes: []string{"h@0+2", "h.a@0+1", "h.b@1+1"}, count: 4},
		{name: "array element path", src: "struct M { n u8; xs [n]P }\nstruct P { v u8 = 0 }", data: []byte{3, 0, 0, 5},
			err:   &DecodeError{Path: "xs[2].v", Offset: 3, Kind: "bad value", Expected: "0", Found: "5"},
			nodes: []string{"xs@1+3", "xs.0.v@1+1", "xs.1@2+1", "xs.2@3+1", "xs.2.v@3+1"}, count: 9},
		{name: "nested arrays path", src: "struct M { xs [2][2]u8; ys [2][2]P }\nstruct P { v u8 = 0 }", data: []byte{1, 2, 3, 4, 0, 0, 0, 1},
			err: &DecodeError{Path: "ys[1][1].v", Offset: 7, Kind: "bad value", Expected: "0", Found: "1"}},
		{name: "array truncated", src: "struct M { n u8; xs [n]u16 }", data: []byte{3, 0, 1, 0, 2},
			err: &DecodeError{Path: "xs", Offset: 1, Kind: "truncated", Expected: "3 elements of 2 bytes", Found: "4 bytes"}, count: 2},
		{name: "array of structs truncated", src: "struct M { n u8; xs [n]P }\nstruct P { a u8; b u8 }", data: []byte{2, 1, 2, 3},
			err:   &DecodeError{Path: "xs[1].b", Offset: 4, Kind: "truncated", Expected: "1 bytes for u8", Found: "0"},
			nodes: []string{"xs@1+3", "xs.1@3+1", "xs.1.a@3+1"}, count: 8},
		{name: "bytes truncated", src: "struct M { n u8; b [n]byte }", data: []byte{5, 1, 2},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "truncated", Expected: "5 bytes", Found: "2"}, count: 2},
		{name: "negative count", src: "struct M { n s8; xs [n]u8 }", data: []byte{0xff, 1},
			err: &DecodeError{Path: "xs", Offset: 1, Kind: "bad count", Expected: "a count of 0 or more", Found: "-1"}, count: 2},
		{name: "negative length", src: "struct M { n s8; b [n]byte }", data: []byte{0xfe, 1},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "bad length", Expected: "a length of 0 or more", Found: "-2"}, count: 2},
		{name: "division by zero in count", src: "struct M { n u8; b [10 / n]u8 }", data: []byte{0},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "cannot evaluate the count of b", Found: "division by zero"}, count: 2},
		{name: "modulo by zero", src: "struct M { n u8; b [10 % n]u8 }", data: []byte{0},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "cannot evaluate the count of b", Found: "division by zero"}},
		{name: "shift too far", src: "struct M { n u8; b [1 << n]byte }", data: []byte{64},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "cannot evaluate the length of b", Found: "shift count out of range"}, count: 2},
		{name: "negative shift", src: "struct M { n s8; b [8 >> n]byte }", data: []byte{0xff},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "cannot evaluate the length of b", Found: "shift count out of range"}},
		{name: "shift in range", src: "struct M { n u8; b [(1 << n) >> 62]byte }", data: []byte{63, 1, 2}, count: 3,
			nodes: []string{"b@1+2"}},
		{name: "switch tag fails", src: "struct M { n u8; b switch 1 / n { default: u8 } }", data: []byte{0, 1},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "cannot evaluate the switch of b", Found: "division by zero"}},
		{name: "division by -1", src: "struct M { n s8; b [-6 / n]byte; c [-6 % n + 1]byte }", data: []byte{0xff, 1, 2, 3, 4, 5, 6, 7}, count: 4,
			nodes: []string{"b@1+6", "c@7+1"}},
		// An error anywhere inside an expression stops it.
		{name: "error in a condition's test", src: "struct M { n u8; b [1 / n ? 1 : 2]u8 }", data: []byte{0, 1, 2},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "cannot evaluate the count of b", Found: "division by zero"}},
		{name: "error in a chosen branch", src: "struct M { n u8; b [n ? 2 : 1 / n]u8 }", data: []byte{0, 1, 2},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "cannot evaluate the count of b", Found: "division by zero"}},
		{name: "error left of &&", src: "struct M { n u8; b [1 / n && 1]u8 }", data: []byte{0, 1, 2},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "cannot evaluate the count of b", Found: "division by zero"}},
		{name: "error right of ||", src: "struct M { n u8; b [n || 1 / n]u8 }", data: []byte{0, 1, 2},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "cannot evaluate the count of b", Found: "division by zero"}},
		{name: "error right of +", src: "struct M { n u8; b [1 + 1 / n]u8 }", data: []byte{0, 1, 2},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "cannot evaluate the count of b", Found: "division by zero"}},
		{name: "error under unary", src: "struct M { n u8; b [-(1 / n)]u8 }", data: []byte{0, 1, 2},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "cannot evaluate the count of b", Found: "division by zero"}},
		{name: "unary operators", src: "struct M { n u8; b [-(~n) + !n + !!n]u8 }", data: []byte{2, 1, 2, 3, 4}, count: 7,
			nodes: []string{"b@1+4"}},
		{name: "no progress", src: "struct M { xs []E }\nstruct E {}", data: []byte{1},
			err:   &DecodeError{Path: "xs", Offset: 0, Kind: "no progress", Expected: "elements that take at least one byte", Found: "an empty element"},
			nodes: []string{"xs@0+0", "xs.0@0+0"}, count: 3},
		{name: "empty elements with a count are fine", src: "struct M { xs [3]E; ys [2][0]byte }\nstruct E {}", data: nil, count: 8},
		{name: "trailing bytes are not an error", src: "struct M { a u8 }", data: []byte{1, 2, 3}, count: 2,
			nodes: []string{"a@0+1"}},
	})
}

func TestDecodeReferences(t *testing.T) {
	const refs = `struct M {
	h    Header
	kind Kind
	data [h.len - 1]byte
	regs [h.inner.count]u16le
	same u8 = h.inner.count * 2 + (kind == Kind.two ? 100 : 0)
}
struct Header { len u8; inner Inner }
struct Inner { count u8 }
enum Kind { one = 1; two = 2 }
`
	runDecodeCases(t, []decodeCase{
		{name: "dotted", src: refs, data: []byte{3, 2, 2, 0xa, 0xb, 1, 0, 2, 0, 104}, count: 11,
			nodes: []string{"h@0+2", "h.inner.count@1+1", "kind@2+1", "data@3+2", "regs@5+4", "regs.1@7+2", "same@9+1"}},
		{name: "dotted mismatch", src: refs, data: []byte{1, 1, 1, 3, 0, 9},
			err: &DecodeError{Path: "same", Offset: 5, Kind: "bad value", Expected: "h.inner.count * 2 + kind == Kind.two ? 100 : 0", Found: "9"}},
		{name: "negative length from expression", src: refs, data: []byte{0, 0, 1},
			err: &DecodeError{Path: "data", Offset: 3, Kind: "bad length", Expected: "a length of 0 or more", Found: "-1"}},
	})
	p := mustCompile(t, udp+refs)
	var f Frame
	Decode(p.Request, []byte{3, 2, 2, 0xa, 0xb, 1, 0, 2, 0, 104}, &f, Limits{})
	_, regs1 := lookup(t, &f, "regs.1")
	if regs1.Int() != 2 {
		t.Errorf("regs.1 = %d", regs1.Int())
	}
}

func TestDecodeLimits(t *testing.T) {
	const rec = "struct M { more u8; next M [if = more] }"
	ones := []byte{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	runDecodeCases(t, []decodeCase{
		{name: "depth", src: rec, data: ones, lim: Limits{MaxDepth: 3},
			err:   &DecodeError{Path: "next.next.next.next", Offset: 4, Kind: "limit reached", Expected: "nesting depth at most 3", Found: "deeper"},
			nodes: []string{"more@0+1", "next@1+3", "next.next@2+2", "next.next.next@3+1", "next.next.next.more@3+1"}, count: 8},
		{name: "depth within the limit", src: rec, data: []byte{1, 1, 1, 0}, lim: Limits{MaxDepth: 3}, count: 8,
			nodes: []string{"next.next.next@3+1"}},
		{name: "default depth", src: rec, data: make([]byte, 100), count: 2},
		{name: "default depth reached", src: rec, data: ones[:0:0],
			err: &DecodeError{Path: "more", Offset: 0, Kind: "truncated", Expected: "1 bytes for u8", Found: "0"}},
		{name: "array depth", src: "struct M { a [1][1][1]u8 }", data: []byte{7}, lim: Limits{MaxDepth: 2},
			err:   &DecodeError{Path: "a[0][0]", Offset: 0, Kind: "limit reached", Expected: "nesting depth at most 2", Found: "deeper"},
			nodes: []string{"a@0+0", "a.0@0+0"}, count: 3},
		{name: "switch depth", src: "struct M { t u8; b switch t { default: P } }\nstruct P { x u8 }", data: []byte{0, 1}, lim: Limits{MaxDepth: 1},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "limit reached", Expected: "nesting depth at most 1", Found: "deeper"}, count: 2},
		{name: "switch at the depth limit", src: "struct M { h H }\nstruct H { t u8; b switch t { default: u8 } }", data: []byte{0, 1}, lim: Limits{MaxDepth: 1},
			err:   &DecodeError{Path: "h.b", Offset: 1, Kind: "limit reached", Expected: "nesting depth at most 1", Found: "deeper"},
			nodes: []string{"h@0+1", "h.t@0+1"}, count: 3},
		{name: "elements by count", src: "struct M { n u8; xs [n]u8 }", data: []byte{5, 1, 2, 3, 4, 5}, lim: Limits{MaxElements: 4},
			err: &DecodeError{Path: "xs", Offset: 1, Kind: "limit reached", Expected: "at most 4 elements", Found: "5"}, count: 2},
		{name: "elements at the limit", src: "struct M { n u8; xs [n]u8 }", data: []byte{4, 1, 2, 3, 4}, lim: Limits{MaxElements: 4}, count: 7},
		{name: "elements to the end", src: "struct M { xs []u8 }", data: []byte{1, 2, 3, 4, 5, 6}, lim: Limits{MaxElements: 4},
			err:   &DecodeError{Path: "xs", Offset: 4, Kind: "limit reached", Expected: "at most 4 elements", Found: "more"},
			nodes: []string{"xs@0+4", "xs.3@3+1"}, count: 6},
		{name: "default elements", src: "struct M { n u32; xs [n][0]byte }", data: []byte{0, 1, 0, 1},
			err: &DecodeError{Path: "xs", Offset: 4, Kind: "limit reached", Expected: "at most 65536 elements", Found: "65537"}},
		{name: "nodes", src: "struct M { xs []u8 }", data: []byte{1, 2, 3, 4, 5, 6}, lim: Limits{MaxNodes: 5},
			err:   &DecodeError{Path: "xs[3]", Offset: 3, Kind: "limit reached", Expected: "at most 5 values in a frame", Found: "more"},
			nodes: []string{"xs@0+3", "xs.2@2+1"}, count: 5},
		{name: "nodes: only the root", src: "struct M { h H }\nstruct H { a u8 }", data: []byte{1}, lim: Limits{MaxNodes: 1},
			err: &DecodeError{Path: "h", Offset: 0, Kind: "limit reached", Expected: "at most 1 values in a frame", Found: "more"}, count: 1},
		{name: "nodes: bytes", src: "struct M { a u8; b [1]byte }", data: []byte{1, 2}, lim: Limits{MaxNodes: 2},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "limit reached", Expected: "at most 2 values in a frame", Found: "more"}, count: 2},
		{name: "nodes: array", src: "struct M { a u8; b [1]u8 }", data: []byte{1, 2}, lim: Limits{MaxNodes: 2},
			err: &DecodeError{Path: "b", Offset: 1, Kind: "limit reached", Expected: "at most 2 values in a frame", Found: "more"}, count: 2},
		{name: "negative limits mean the defaults", src: "struct M { xs []u8 }", data: []byte{1, 2, 3}, lim: Limits{MaxDepth: -1, MaxElements: -1, MaxNodes: -1}, count: 5},
	})
	if DefaultLimits != (Limits{MaxDepth: 64, MaxElements: 1 << 16, MaxNodes: 1 << 18, MaxHops: 256}) {
		t.Errorf("DefaultLimits %+v", DefaultLimits)
	}
	// The default depth limit stops an endless recursion of structures.
	p := mustCompile(t, udp+rec)
	var f Frame
	Decode(p.Request, make([]byte, 1000), &f, Limits{})
	if f.Err != nil {
		t.Fatal(f.Err)
	}
	data := make([]byte, 1000)
	for i := range data {
		data[i] = 1
	}
	Decode(p.Request, data, &f, Limits{})
	if f.Err == nil || f.Err.Kind != "limit reached" || f.Err.Expected != "nesting depth at most 64" || f.Err.Offset != 65 {
		t.Errorf("default depth: %+v", f.Err)
	}
	checkTree(t, &f)
}

func TestDecodeErrorString(t *testing.T) {
	tests := []struct {
		err  DecodeError
		want string
	}{
		{DecodeError{Path: "mbap.protocol_id", Offset: 2, Kind: "bad value", Expected: "0", Found: "7"},
			"mbap.protocol_id: bad value: expected 0, found 7 (at frame offset 2)"},
		{DecodeError{Path: "b", Offset: 1, Kind: "cannot evaluate the count of b", Found: "division by zero"},
			"b: cannot evaluate the count of b, found division by zero (at frame offset 1)"},
		{DecodeError{Offset: 0, Kind: "limit reached", Expected: "x"},
			"limit reached: expected x (at frame offset 0)"},
		{DecodeError{Kind: "k"}, "k (at frame offset 0)"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got  %q\nwant %q", got, tt.want)
		}
	}
	var _ error = &DecodeError{} // *DecodeError is an error
}

// A Frame is reused: each Decode replaces what it held.
func TestFrameReuse(t *testing.T) {
	p := mustCompile(t, udp+"struct M { n u8; xs [n]P; h H }\nstruct H { a u8 }\nstruct P { v u8 = 0 }")
	var f Frame
	Decode(p.Request, []byte{3, 0, 0, 0, 9}, &f, Limits{})
	if f.Err != nil || len(f.Nodes) != 11 {
		t.Fatalf("first: %v, %d nodes", f.Err, len(f.Nodes))
	}
	Decode(p.Request, []byte{1, 5}, &f, Limits{})
	if f.Err == nil || f.Err.Path != "xs[0].v" || len(f.Nodes) != 5 || len(f.Data) != 2 {
		t.Fatalf("second: %v, %d nodes", f.Err, len(f.Nodes))
	}
	Decode(p.Request, []byte{0, 7}, &f, Limits{})
	if f.Err != nil || len(f.Nodes) != 5 {
		t.Fatalf("third: %v, %d nodes", f.Err, len(f.Nodes))
	}
	checkTree(t, &f)
	if _, n := lookup(t, &f, "h.a"); n.Bits != 7 || n.Offset != 1 {
		t.Errorf("h.a = %d at %d", n.Bits, n.Offset)
	}
	// A decode into a frame that held an error for another root.
	q := mustCompile(t, udp+"struct M { a u16 }")
	Decode(q.Request, []byte{1, 2}, &f, Limits{})
	if f.Err != nil || f.Root != q.Request || len(f.Nodes) != 2 {
		t.Errorf("other program: %v %d", f.Err, len(f.Nodes))
	}
	f.Reset()
	if f.Root != nil || f.Data != nil || len(f.Nodes) != 0 || f.Err != nil {
		t.Errorf("Reset left %+v", f)
	}
	if _, ok := f.Lookup("a"); ok {
		t.Error("Lookup in an empty frame")
	}
	if got := string(f.AppendSummary([]byte("x"))); got != "x" {
		t.Errorf("summary of an empty frame: %q", got)
	}
}

// A Struct built by hand, without Compile, decodes too.
func TestDecodeHandBuiltStruct(t *testing.T) {
	u8 := &Type{Kind: KindUint, Name: "u8", Size: 1}
	s := &Struct{Name: "Hand", Fields: []*Field{{Name: "a", Type: u8, Slot: 0}, {Name: "b", Type: u8, Slot: 1}}}
	var f Frame
	Decode(s, []byte{1, 2}, &f, Limits{})
	if f.Err != nil || len(f.Nodes) != 3 || f.Nodes[0].Type.Struct != s || f.Nodes[0].Name() != "Hand" {
		t.Fatalf("%v %d", f.Err, len(f.Nodes))
	}
	if got := string(f.AppendSummary(nil)); got != "Hand" {
		t.Errorf("summary %q", got)
	}
}

// One frame, reused, reports each error at its own path, whether the
// path before was the same, longer, shorter or another element of the
// same array; an error at the path of the one before reuses its text, and
// allocates nothing.
func TestDecodeErrorPathReused(t *testing.T) {
	p := mustCompile(t, udp+"struct M { a u8 = 1; b B; y []u16 }\nstruct B { x u8; z u8 = 7 }\n")
	tests := []struct {
		data []byte
		path string
	}{
		{[]byte{2}, "a"},
		{[]byte{2}, "a"},
		{[]byte{1, 0, 6}, "b.z"},
		{[]byte{1, 0}, "b.z"},
		{[]byte{1, 0, 7, 0, 1, 2}, "y[1]"},
		{[]byte{1, 0, 7, 0, 1, 0, 2, 3}, "y[2]"},
		{[]byte{1, 0, 7, 0, 1, 2}, "y[1]"},
		{[]byte{1}, "b.x"},
		{[]byte{3}, "a"},
	}
	var f Frame
	for i, tt := range tests {
		Decode(p.Request, tt.data, &f, Limits{})
		if f.Err == nil || f.Err.Path != tt.path {
			t.Errorf("frame %d (% x): error %v, want one at %s", i, tt.data, f.Err, tt.path)
		}
	}
	bad := []byte{1, 0, 6}
	if n := testing.AllocsPerRun(100, func() { Decode(p.Request, bad, &f, Limits{}) }); n != 0 {
		t.Errorf("the same error again: %.1f allocations", n)
	}
	// A path deeper than the frame keeps (11 elements), then a shallow
	// one, then the deep one again.
	deep := mustCompile(t, udp+memtest.NestedStructs(9, 1))
	deepPath := "a" + strings.Repeat(".m0", 9) + ".x"
	for i, tt := range []struct {
		root *Struct
		data []byte
		path string
	}{
		{deep.Request, nil, deepPath},
		{deep.Request, nil, deepPath},
		{p.Request, []byte{2}, "a"},
		{deep.Request, nil, deepPath},
	} {
		Decode(tt.root, tt.data, &f, Limits{})
		if f.Err == nil || f.Err.Path != tt.path {
			t.Errorf("deep frame %d: error %v, want one at %s", i, f.Err, tt.path)
		}
	}
}

// A frame copied by value (Frame has no rule against it, and a copy
// decoded and read before the next decode was sound) reports each error
// at its own path: a copy's error at another path of the same length must
// not make the original reuse its own old text for that path.
func TestDecodeErrorPathCopiedFrame(t *testing.T) {
	p := mustCompile(t, udp+"struct M { a u8 = 1; c u8 = 2 }\n")
	tests := []struct {
		name       string
		orig, copy []byte // what the original, then its copy, decode first
		data       []byte // what the original decodes then
		path       string
	}{
		{"copy fails elsewhere", []byte{2}, []byte{1, 3}, []byte{1, 3}, "c"},
		{"copy fails at the same place", []byte{2}, []byte{2}, []byte{1, 3}, "c"},
		{"copy decodes well", []byte{1, 3}, []byte{1, 2}, []byte{2}, "a"},
	}
	for _, tt := range tests {
		var f Frame
		Decode(p.Request, tt.orig, &f, Limits{})
		g := f
		Decode(p.Request, tt.copy, &g, Limits{})
		Decode(p.Request, tt.data, &f, Limits{})
		if f.Err == nil || f.Err.Path != tt.path {
			t.Errorf("%s: error %v, want one at %s", tt.name, f.Err, tt.path)
		}
	}
}

// A frame cut short in a scalar, an enum or a bit field fails with the
// same error as ever, and without allocating, frame after frame: what it
// expected was written when the schema compiled.
func TestTruncatedErrorAllocatesNothing(t *testing.T) {
	p := mustCompile(t, udp+"struct M { a u8; b u16; c b3; d b13; e Code; f s32le }\nenum Code : u16 { one = 1 }\n")
	tests := []struct {
		data []byte
		want DecodeError
	}{
		{[]byte{1, 2}, DecodeError{Path: "b", Offset: 1, Kind: "truncated", Expected: "2 bytes for u16", Found: "1"}},
		{[]byte{1, 2, 3}, DecodeError{Path: "c", Offset: 3, Kind: "truncated", Expected: "3 bits for b3", Found: "0"}},
		{[]byte{1, 2, 3, 0xff}, DecodeError{Path: "d", Offset: 3, Kind: "truncated", Expected: "13 bits for b13", Found: "5"}},
		{[]byte{1, 2, 3, 0xff, 0xff, 1}, DecodeError{Path: "e", Offset: 5, Kind: "truncated", Expected: "2 bytes for Code", Found: "1"}},
		{[]byte{1, 2, 3, 0xff, 0xff, 0, 1, 9, 9, 9}, DecodeError{Path: "f", Offset: 7, Kind: "truncated", Expected: "4 bytes for s32le", Found: "3"}},
	}
	var f Frame
	for _, tt := range tests {
		Decode(p.Request, tt.data, &f, Limits{})
		if f.Err == nil || *f.Err != tt.want {
			t.Errorf("% x: error %+v, want %+v", tt.data, f.Err, tt.want)
			continue
		}
		if n := testing.AllocsPerRun(50, func() { Decode(p.Request, tt.data, &f, Limits{}) }); n != 0 {
			t.Errorf("% x: %.1f allocations per failing frame", tt.data, n)
		}
	}
}
