package schema

import (
	"math"
	"strings"
	"testing"
)

func TestAppendDisplay(t *testing.T) {
	src := udp + `struct M {
	u8h  u8    [base = hex]
	u8b  u8    [base = bin]
	u16b u16   [base = bin]
	u16d u16   [base = dec]
	s8h  s8    [base = hex]
	s16  s16
	s16b s16   [base = bin]
	u24h u24   [base = hex]
	c1   Coil  [base = hex]
	c2   Coil
	c3   Coil  [base = bin]
	sn   SNeg
	sh   SNeg  [base = hex]
	t    bool
	fa   bool
	f1   f32
	f2   f64
	nan  f32
	inf  f64
	ninf f32
	e    [0]byte
	b32  [32]byte
	b33  [33]byte
	a0   [0]u8
	a1   [1]u8
	a2   [2]u8
	n    NoSummary
	s    WithSummary
}
enum Coil : u16 { off = 0 "Off"; on = 0xFF00 "On" }
enum SNeg : s8 { minus = -1 "Minus one" }
struct NoSummary { x u8 }
struct WithSummary [summary = "{{x}} = {x}, }} {{ {inner}"] { x u8; inner NoSummary; }
`
	p := mustCompile(t, src)
	var data []byte
	add := func(b ...byte) { data = append(data, b...) }
	add(0x0a)             // u8h
	add(0x05)             // u8b
	add(0x80, 0x01)       // u16b
	add(0xff, 0xff)       // u16d
	add(0xfe)             // s8h
	add(0x80, 0x00)       // s16
	add(0xff, 0xfe)       // s16b
	add(0x00, 0x12, 0x34) // u24h
	add(0xff, 0x00)       // c1
	add(0x00, 0x00)       // c2
	add(0x12, 0x34)       // c3
	add(0xff)             // sn
	add(0x80)             // sh
	add(1)                // t
	add(0)                // fa
	f1 := math.Float32bits(0.1)
	add(byte(f1>>24), byte(f1>>16), byte(f1>>8), byte(f1))
	f2 := math.Float64bits(-1e100)
	for i := 7; i >= 0; i-- {
		add(byte(f2 >> (8 * i)))
	}
	nan := math.Float32bits(float32(math.NaN()))
	add(byte(nan>>24), byte(nan>>16), byte(nan>>8), byte(nan))
	inf := math.Float64bits(math.Inf(1))
	for i := 7; i >= 0; i-- {
		add(byte(inf >> (8 * i)))
	}
	ninf := math.Float32bits(float32(math.Inf(-1)))
	add(byte(ninf>>24), byte(ninf>>16), byte(ninf>>8), byte(ninf))
	for i := 0; i < 32; i++ { // b32
		add(byte(i))
	}
	for i := 0; i < 33; i++ { // b33
		add(byte(0xa0 + i))
	}
	add(7)    // a1
	add(8, 9) // a2
	add(3)    // n
	add(4, 5) // s
	var f Frame
	Decode(p.Request, data, &f, Limits{})
	if f.Err != nil {
		t.Fatal(f.Err)
	}
	var b32, b33 strings.Builder
	for i := 0; i < 32; i++ {
		b32.WriteString(string("0123456789abcdef"[i>>4]) + string("0123456789abcdef"[i&15]))
		b33.WriteString(string("0123456789abcdef"[(0xa0+i)>>4]) + string("0123456789abcdef"[(0xa0+i)&15]))
	}
	tests := []struct{ path, want string }{
		{"u8h", "0x0a"},
		{"u8b", "0b00000101"},
		{"u16b", "0b1000000000000001"},
		{"u16d", "65535"},
		{"s8h", "0xfe"},
		{"s16", "-32768"},
		{"s16b", "0b1111111111111110"},
		{"u24h", "0x001234"},
		{"c1", "On (0xff00)"},
		{"c2", "Off (0)"},
		{"c3", "Unknown (0b0001001000110100)"},
		{"sn", "Minus one (-1)"},
		{"sh", "Unknown (0x80)"},
		{"t", "true"},
		{"fa", "false"},
		{"f1", "0.1"},
		{"f2", "-1e+100"},
		{"nan", "NaN"},
		{"inf", "+Inf"},
		{"ninf", "-Inf"},
		{"e", "(empty)"},
		{"b32", b32.String()},
		{"b33", b33.String() + "…"},
		{"a0", "0 items"},
		{"a1", "1 item"},
		{"a2", "2 items"},
		{"n", ""},
		{"s", "{x} = 4, } { "},
	}
	for _, tt := range tests {
		i, _ := lookup(t, &f, tt.path)
		if got := string(f.AppendDisplay([]byte("<"), i)); got != "<"+tt.want {
			t.Errorf("%s: %q, want %q", tt.path, got, "<"+tt.want)
		}
	}
	if got := string(f.AppendSummary(nil)); got != "M" {
		t.Errorf("a root without summary shows its name: %q", got)
	}
	if got := string(AppendHex([]byte("x"), []byte{0, 0x7f, 0x80, 0xff})); got != "x007f80ff" {
		t.Errorf("AppendHex: %q", got)
	}
}

func TestAppendSummary(t *testing.T) {
	src := udp + `struct M [summary = "#{id} {kind}{body} [{opt}] {h.len} {h}"] {
	id   u16 [base = hex]
	kind Kind
	body switch kind { case a: A; case b: B; default: []byte }
	opt  u8 [if = kind == Kind.b]
	h    H
}
enum Kind { a = 1 "Alpha"; b = 2 "Beta" }
struct A [summary = " (A: {v})"] { v u8 }
struct B { w u8 }
struct H [summary = "len={len}"] { len u8 }
`
	p := mustCompile(t, src)
	tests := []struct {
		name string
		data []byte
		want string
		err  bool
	}{
		{"with body summary", []byte{0, 1, 1, 42, 9}, "#0x0001 Alpha (1) (A: 42) [?] 9 len=9", false},
		{"body without summary", []byte{0xab, 0xcd, 2, 7, 8, 9}, "#0xabcd Beta (2) [8] 9 len=9", false},
		// h is present but its len is not: "?" inside h's own summary.
		{"default body", []byte{0, 2, 5}, "#0x0002 Unknown (5)(empty) [?] ? len=?", true},
		{"stops early", []byte{0, 3, 1}, "#0x0003 Alpha (1) (A: ?) [?] ? ?", true},
		{"only the first field", []byte{0, 4}, "#0x0004 ?? [?] ? ?", true},
		{"nothing", []byte{}, "#? ?? [?] ? ?", true},
	}
	var f Frame
	for _, tt := range tests {
		Decode(p.Request, tt.data, &f, Limits{})
		if (f.Err != nil) != tt.err {
			t.Errorf("%s: error %v", tt.name, f.Err)
		}
		if got := string(f.AppendSummary(nil)); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
