package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dissect-project/dissect/internal/memtest"
)

// Small schemas that reach every part of the checker, for the fuzzer to
// start from.
var fuzzSchemas = []string{
	udp + "struct M { a u8 }",
	udp + "struct M { n u8; xs [n]P; rest []byte }\nstruct P [summary = \"{x}\"] { x u16le; y s8 = -1 }",
	udp + "struct M { t E; b switch t { case a, 2..3: u8; case E.d: [t]byte; default: []u16 } }\nenum E : u8 { a = 1 \"A\"; d = 4 }",
	udp + "struct M { f u8; h H [if = f & 1]; c [h.len * 2 + (f > 3 ? 1 : 0)]byte [if = f & 1] }\nstruct H { len u8 }",
	udp + "struct M { more u8; next M [if = more] }",
	"protocol p { title \"t\"; ports 1, 2; endian little; request A; response B }\nframing { size u16(2) + 4; min 4; max 100 }\nstruct A { a u32 [base = hex] }\nstruct B { b f64; c bool = true }",
	"protocol p { message M }\nframing { size u8(0) }\nstruct M { a u8; /* comment */ b [a]byte // end\n}",
	"struct M { a u17 }\nprotocol p { transport udp; message M; ports 70000 }\nenum E : u8 { x = 300; x = 1 }",
	"protocol p {\n  title \"x\n}\nstruct { $ }\nenum E { = }\nstruct S { a switch { case : } }",
	"struct A { a u8 = ((((((((1)))))))) + -~!2 << 3 >> 4 & 5 | 6 ^ 7 % 8 / 9 * 10 - 11 == 12 != 13 <= 14 >= 15 < 16 > 17 && 18 || 19 }",
}

func FuzzCompile(f *testing.F) {
	if text, err := os.ReadFile(modbusPath); err == nil {
		f.Add(string(text))
	}
	if text, err := os.ReadFile("testdata/kinds.dsl"); err == nil {
		f.Add(string(text))
	}
	if text, err := os.ReadFile("testdata/features.dsl"); err == nil {
		f.Add(string(text))
	}
	for _, s := range fuzzSchemas {
		f.Add(s)
	}
	// Every bundled schema, so that the fuzzer mutates all of the
	// language the library uses (blocks, heuristics, summary styles,
	// index(), framing state, formats, checksums...).
	bundled, _ := filepath.Glob("../dissectors/library/*.dsl")
	if len(bundled) == 0 {
		f.Fatal("no bundled schemas found")
	}
	for _, path := range bundled {
		text, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(text))
	}
	inputs := [][]byte{nil, {0}, {1, 2, 3, 4, 5, 6, 7, 8}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}
	f.Fuzz(func(t *testing.T, src string) {
		p, errs := Compile("fuzz.dsl", []byte(src))
		if (p == nil) != (errs.Err() != nil) {
			t.Fatalf("program %v with Err() %v", p != nil, errs.Err())
		}
		for _, e := range errs {
			if e.Pos.File != "fuzz.dsl" || e.Pos.Line < 1 || e.Pos.Col < 1 || e.Msg == "" {
				t.Fatalf("bad diagnostic %+v", *e)
			}
			_ = e.Error()
		}
		_ = errs.Error()
		if p == nil {
			return
		}
		// Whatever compiles must decode anything without panicking, within
		// small limits.
		var fr Frame
		for _, root := range []*Struct{p.Request, p.Response} {
			for _, in := range inputs {
				Decode(root, in, &fr, Limits{MaxDepth: 8, MaxElements: 64, MaxNodes: 512})
				checkTree(t, &fr)
				_ = fr.AppendSummary(nil)
				for i := range fr.Nodes {
					_ = fr.AppendDisplay(nil, i)
					_ = fr.Nodes[i].Name()
				}
				if fr.Err != nil && (fr.Err.Offset < 0 || fr.Err.Offset > len(in)) {
					t.Fatalf("error offset %d outside %d bytes", fr.Err.Offset, len(in))
				}
			}
		}
		if p.Framing != nil {
			for _, in := range inputs {
				if _, st := p.Framing.FrameLen(in); st > FrameBadMagic {
					t.Fatalf("FrameLen status %d", st)
				}
			}
		}
	})
}

func FuzzDecode(f *testing.F) {
	for _, seed := range modbusSeeds() {
		f.Add(seed)
	}
	f.Add(kindsData())
	f.Add([]byte{})
	for _, seed := range [][]byte{
		{0x13, 0x04, 3, 'w', 'w', 'w', 0, 0xc0, 0x02},
		append([]byte{0x20, 0x06}, "hi\x00a\x00b\x00c\r\nxyz"...),
		{0x30, 0x01, 0x03, 0x7e, 0x25, 0x05, 0x81, 0x01, 0, 1, 0, 2, 0, 0x65, 0x92, 0, 0x80},
		{0x40, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0},
		{0x50, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 0xaa, 0xbb, 0xcc, 0xdd},
	} {
		f.Add(seed)
	}
	p := modbus(f)
	kinds := compileFile(f, "testdata/kinds.dsl")
	features := compileFile(f, "testdata/features.dsl")
	state := features.NewState()
	var fr Frame
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, root := range []*Struct{p.Request, p.Response, kinds.Request, features.Request} {
			DecodeWith(root, data, &fr, &DecodeOptions{State: state})
			if fr.Root != root || len(fr.Data) != len(data) {
				t.Fatal("frame does not describe its data")
			}
			checkTree(t, &fr)
			if fr.Err == nil && len(fr.Nodes) == 0 {
				t.Fatal("no nodes and no error")
			}
			if fr.Err != nil && (fr.Err.Offset < 0 || fr.Err.Offset > len(data) || fr.Err.Kind == "") {
				t.Fatalf("bad error %+v", *fr.Err)
			}
			_ = fr.AppendSummary(nil)
			for i := range fr.Nodes {
				_ = fr.AppendDisplay(nil, i)
				_ = fr.Bytes(i)
			}
		}
		n, st := p.Framing.FrameLen(data)
		switch st {
		case FrameOK:
			if n < 8 || n > 260 || len(data) < 6 {
				t.Fatalf("FrameLen %d OK on %d bytes", n, len(data))
			}
		case FrameNeedMore:
			if len(data) >= 6 {
				t.Fatalf("NeedMore with %d bytes", len(data))
			}
		case FrameInvalid:
			if n >= 8 && n <= 260 {
				t.Fatalf("FrameLen %d invalid", n)
			}
		default:
			t.Fatalf("status %d", st)
		}
	})
}

// modbusSeeds are well-formed requests and responses of every function.
func modbusSeeds() [][]byte {
	regs := []byte{0x03, 20}
	for i := 0; i < 10; i++ {
		regs = append(regs, 0, byte(i))
	}
	mei := append([]byte{0x2b, 0x0e, 0x01, 0x81, 0x00, 0x00, 0x02, 0x00, 0x03}, "abc"...)
	mei = append(mei, 0x01, 0x01, 'x')
	return [][]byte{
		adu(1, 1, 0x01, 0x00, 0x13, 0x00, 0x25),
		adu(2, 1, 0x03, 0x00, 0x6b, 0x00, 0x03),
		adu(3, 1, 0x05, 0x00, 0xac, 0xff, 0x00),
		adu(4, 1, 0x0f, 0x00, 0x13, 0x00, 0x0a, 0x02, 0xcd, 0x01),
		adu(5, 1, 0x10, 0x00, 0x01, 0x00, 0x02, 0x04, 0x00, 0x0a, 0x01, 0x02),
		adu(6, 1, 0x17, 0x00, 0x03, 0x00, 0x06, 0x00, 0x0e, 0x00, 0x03, 0x06, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff),
		adu(7, 1, 0x2b, 0x0e, 0x01, 0x00),
		adu(8, 1, 0x18, 0x00, 0x06, 0x00, 0x02, 0x01, 0xb8, 0x12, 0x84),
		adu(9, 1, regs...),
		adu(10, 1, mei...),
		adu(11, 1, 0x83, 0x02),
		adu(12, 1, 0x01, 0x03, 0xcd, 0x6b, 0x05),
	}
}

// Long inputs of every shape compile in time linear in their length: each
// of these took seconds to minutes while some step copied the rest of the
// text, a growing list or a growing string for every element. The test
// does not time them, which a loaded machine makes flaky: it counts the
// bytes the compiler allocates for n and for 2n elements, which copying
// for every element makes four times as many, not two. A generous time
// limit still catches a step that loops without allocating.
func TestCompileLongInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("long inputs")
	}
	inputs := map[string]func(n int) string{
		"block comments": func(n int) string { return udp + "struct M { a u8 }\n" + strings.Repeat("/* c */\n", n) },
		"illegal bytes":  func(n int) string { return udp + "struct M { a u8 }\n" + strings.Repeat("$", n) },
		"selector chain": func(n int) string { return udp + "struct M { a u8; b [a" + strings.Repeat(".x", n) + "]u8 }" },
		"expected chain": func(n int) string { return udp + "struct M { a u8; b u8 = a" + strings.Repeat(".x", n) + " }" },
		"expected sum":   func(n int) string { return udp + "struct M { a u8; b u8 = a" + strings.Repeat(" + a", n) + " }" },
		"switch tag chain": func(n int) string {
			return udp + "struct M { a u8; b switch a" + strings.Repeat(".x", n) + " { default: u8 } }"
		},
		"case labels": func(n int) string {
			return udp + "struct M { a u8; b switch a { case " + strings.Repeat("1, ", n) + "1: u8 } }"
		},
		"summary parts": func(n int) string { return udp + "struct M [summary = \"" + strings.Repeat("{a}", n) + "\"] { a u8 }" },
		"summary enums": func(n int) string {
			return udp + "struct M [summary = \"" + strings.Repeat("{a}", n) + "\"] { a E }\nenum E : u8 { x = 1 }"
		},
		"fields":          func(n int) string { return udp + "struct M { " + strings.Repeat("a u8; ", n) + " }" },
		"enum members":    func(n int) string { return udp + "struct M { a E }\nenum E { " + strings.Repeat("a = 1; ", n) + " }" },
		"unary operators": func(n int) string { return udp + "struct M { a u8 = " + strings.Repeat("-", n) + "1 }" },
		"parentheses": func(n int) string {
			return udp + "struct M { a u8 = " + strings.Repeat("(", n) + "1" + strings.Repeat(")", n) + " }"
		},
		"structs": func(n int) string { return udp + "struct M { a S0 }\n" + longStructChain(n/10) },
	}
	const n = 20000
	for name, input := range inputs {
		small, large := input(n), input(2*n)
		start := time.Now()
		a1 := memtest.Allocated(func() { Compile("long.dsl", []byte(small)) })
		a2 := memtest.Allocated(func() { Compile("long.dsl", []byte(large)) })
		if a2 > 3*a1 {
			t.Errorf("%s: %d bytes allocated for %d bytes of schema, %d for %d: not linear", name, a1, len(small), a2, len(large))
		}
		if d := time.Since(start); d > time.Minute {
			t.Errorf("%s (%d and %d bytes): %v", name, len(small), len(large), d)
		}
	}
}

// longStructChain declares S0 ... Sn-1, each holding the next by value and
// reading a field of it.
func longStructChain(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString("struct S" + itoa(i) + " { n u8")
		if i+1 < n {
			b.WriteString("; s S" + itoa(i+1) + "; x [s.n]u8")
		}
		b.WriteString(" }\n")
	}
	return b.String()
}
