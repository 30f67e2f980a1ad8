package schema

import (
	"fmt"
	"strings"
	"testing"
)

// Tests of the language's features, each on a small schema and bytes built
// here. A case lists the fields it expects as "path=display" and the error
// it expects, if any.

type featureCase struct {
	name   string
	src    string // the structs; the protocol line (udp, message M) is added
	data   []byte
	fields []string // path=display, in any order; path as in Frame.Lookup
	err    string   // substring of the decode error; "" for none
	absent []string // paths that must not be decoded
}

func runFeatureCases(t *testing.T, cases []featureCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := mustCompile(t, udp+tc.src)
			var f Frame
			Decode(p.Request, tc.data, &f, Limits{})
			gotErr := ""
			if f.Err != nil {
				gotErr = f.Err.Error()
			}
			if tc.err == "" && gotErr != "" || tc.err != "" && !strings.Contains(gotErr, tc.err) {
				t.Errorf("error %q, want %q", gotErr, tc.err)
			}
			for _, fv := range tc.fields {
				path, want, _ := strings.Cut(fv, "=")
				i, ok := f.Lookup(path)
				if !ok {
					t.Errorf("no field %s; have %s", path, dumpFrame(&f))
					continue
				}
				if got := display(&f, i); got != want {
					t.Errorf("%s = %q, want %q", path, got, want)
				}
			}
			for _, path := range tc.absent {
				if _, ok := f.Lookup(path); ok {
					t.Errorf("field %s decoded, want it absent", path)
				}
			}
			for i := range f.Nodes {
				n := &f.Nodes[i]
				if int(n.Offset)+int(n.Len) > len(tc.data) || n.Offset < 0 {
					t.Errorf("node %d (%s) covers %d+%d, past the %d bytes", i, n.Name(), n.Offset, n.Len, len(tc.data))
				}
			}
		})
	}
}

func dumpFrame(f *Frame) string {
	var b strings.Builder
	for i := range f.Nodes {
		if i == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s@%d+%d=%q ", f.Nodes[i].Name(), f.Nodes[i].Offset, f.Nodes[i].Len, display(f, i))
	}
	return b.String()
}

func TestBitFields(t *testing.T) {
	runFeatureCases(t, []featureCase{
		{name: "msb first, then a byte field at the next byte",
			src:    "struct M { a b1; b b3; c b4; d b2; e u8 }",
			data:   []byte{0b1011_0110, 0b1100_0000, 0x7f},
			fields: []string{"a=1", "b=3", "c=6", "d=3", "e=127"}},
		{name: "a field across bytes",
			src:    "struct M { a b4; b b12 }",
			data:   []byte{0xAB, 0xCD},
			fields: []string{"a=10", "b=3021"}},
		{name: "lsb first",
			src:    "struct M { a b3le; b b5le }",
			data:   []byte{0b1010_1101},
			fields: []string{"a=5", "b=21"}},
		{name: "lsb first across bytes",
			src:    "struct M { a b4le; b b8le; c b4le }",
			data:   []byte{0x21, 0x43},
			fields: []string{"a=1", "b=50", "c=4"}},
		{name: "64 bits", src: "struct M { a b64 }", data: []byte{0x80, 0, 0, 0, 0, 0, 0, 1},
			fields: []string{"a=9223372036854775809"}},
		{name: "bit-field enum and hex base",
			src:    "enum K : b4 { one = 1 \"One\" }\nstruct M { k K; v b4 [base = hex] }",
			data:   []byte{0x1c},
			fields: []string{"k=One (1)", "v=0xc"}},
		{name: "too few bits", src: "struct M { a b4; b b12 }", data: []byte{0xff},
			err: "b: truncated: expected 12 bits for b12, found 4"},
		{name: "bits in a struct end at a byte", src: "struct M { h H; x u8 }\nstruct H { a b3 }", data: []byte{0xe0, 9},
			fields: []string{"h.a=7", "x=9"}},
	})
}

func TestVarints(t *testing.T) {
	runFeatureCases(t, []featureCase{
		{name: "uleb128", src: "struct M { a uleb128; b uleb128 }", data: []byte{0xe5, 0x8e, 0x26, 0x7f},
			fields: []string{"a=624485", "b=127"}},
		{name: "sleb128", src: "struct M { a sleb128; b sleb128 }", data: []byte{0xc0, 0xbb, 0x78, 0x3f},
			fields: []string{"a=-123456", "b=63"}},
		{name: "zigzag", src: "struct M { a zigzag; b zigzag; c zigzag }", data: []byte{0x01, 0x04, 0x03},
			fields: []string{"a=-1", "b=2", "c=-2"}},
		{name: "mqtt", src: "struct M { a mqtt_varint; b mqtt_varint }", data: []byte{0x80, 0x80, 0x80, 0x01, 0x40},
			fields: []string{"a=2097152", "b=64"}},
		{name: "mqtt longer than four bytes", src: "struct M { a mqtt_varint }", data: []byte{0x80, 0x80, 0x80, 0x80, 0x01},
			err: "a: bad varint: expected a complete mqtt_varint, found longer than the encoding allows"},
		{name: "quic 1, 2, 4 and 8 bytes", src: "struct M { a quic_varint; b quic_varint; c quic_varint; d quic_varint }",
			data:   []byte{0x25, 0x7b, 0xbd, 0x9d, 0x7f, 0x3e, 0x7d, 0xc2, 0x19, 0x7c, 0x5e, 0xff, 0x14, 0xe8, 0x8c},
			fields: []string{"a=37", "b=15293", "c=494878333", "d=151288809941952652"}},
		{name: "ber short and long", src: "struct M { a ber_length; b ber_length }", data: []byte{0x7f, 0x82, 0x01, 0x00},
			fields: []string{"a=127", "b=256"}},
		{name: "ber indefinite", src: "struct M { a ber_length }", data: []byte{0x80},
			err: "indefinite length (0x80)"},
		{name: "cut short", src: "struct M { a uleb128 }", data: []byte{0x80, 0x80},
			err: "the bytes end inside it"},
		{name: "a varint sizes bytes", src: "struct M { n uleb128; d [n]byte }", data: []byte{0x02, 0xaa, 0xbb},
			fields: []string{"d=aabb"}},
	})
}

func TestText(t *testing.T) {
	runFeatureCases(t, []featureCase{
		{name: "C string and the rest", src: "struct M { a [until 0]ascii; b []utf8 }", data: []byte("hi\x00é!"),
			fields: []string{`a="hi"`, `b="é!"`}},
		{name: "ascii escapes what it cannot show", src: "struct M { a [4]ascii }", data: []byte{'a', 0xff, '\n', '\\'},
			fields: []string{`a="a\xff\n\\"`}},
		{name: "invalid utf8 is escaped, not dropped", src: "struct M { a [3]utf8 }", data: []byte{'x', 0xc3, 'y'},
			fields: []string{`a="x\xc3y"`}},
		{name: "utf16 with a surrogate pair and a lone surrogate", src: "struct M { a [6]utf16le; b [3]utf16be }",
			data:   []byte{0x3d, 0xd8, 0x00, 0xde, 0x41, 0x00, 0xd8, 0x00, 0x7a},
			fields: []string{`a="😀A"`, `b="\ud800\x7a"`}},
		{name: "latin1", src: "struct M { a [2]latin1 }", data: []byte{0xe9, 0x41},
			fields: []string{`a="éA"`}},
		{name: "terminated by a sequence", src: "struct M { line [until \"\\r\\n\"]ascii; rest []byte }", data: []byte("GET\r\nx"),
			fields: []string{`line="GET"`, "rest=78"}},
		{name: "no terminator", src: "struct M { a [until 0]ascii }", data: []byte("abc"),
			err: `a: no terminator: expected the terminator "\x00", found 3 bytes without it`},
		{name: "expected text", src: "struct M { magic [4]ascii = \"RIFF\" }", data: []byte("RIFX"),
			err: `magic: bad value: expected "RIFF", found "RIFX"`},
		{name: "expected bytes", src: "struct M { magic [2]byte = \"\\x89P\"; x u8 }", data: []byte{0x89, 'P', 1},
			fields: []string{"x=1"}},
	})
}

func TestArrays(t *testing.T) {
	runFeatureCases(t, []featureCase{
		{name: "until a condition on the last element",
			src:    "struct M { items [until last.kind == 0]Item; tail u8 }\nstruct Item { kind u8; v u8 }",
			data:   []byte{1, 10, 2, 20, 0, 0, 99},
			fields: []string{"items=3 items", "items.1.v=20", "tail=99"}},
		{name: "until on scalars", src: "struct M { xs [until last == 0xff]u8 }", data: []byte{1, 2, 0xff},
			fields: []string{"xs=3 items", "xs.2=255"}},
		{name: "while a condition holds", src: "struct M { xs [while u8(offset()) != 0]u8; z u8 }", data: []byte{5, 6, 0},
			fields: []string{"xs=2 items", "z=0"}},
		{name: "while remaining", src: "struct M { xs [while remaining() >= 2]u16; odd []byte }", data: []byte{0, 1, 0, 2, 3},
			fields: []string{"xs=2 items", "odd=03"}},
		{name: "until never met", src: "struct M { xs [until last == 9]u8 }", data: []byte{1, 2},
			err: "xs[2]: truncated"},
		{name: "to the end", src: "struct M { xs []u16 }", data: []byte{0, 1, 0, 2}, fields: []string{"xs=2 items"}},
	})
}

func TestStructureFeatures(t *testing.T) {
	runFeatureCases(t, []featureCase{
		{name: "parameters", src: "struct M { n u8; k u8; b Body(n, k * 2) }\nstruct Body(len u8, twice u16) { d [len]byte; let t = twice }",
			data: []byte{2, 5, 0xaa, 0xbb}, fields: []string{"b.d=aabb", "b.t=10"}},
		// A parameter read alone, compared with a constant, and in a
		// condition, as BER's BerNode(parent) does element by element.
		{name: "parameter compared with constants",
			src:  "struct M { k u8; b B(k) }\nstruct B(p u8) { let eq = p == 7; let ne = p != 7; let lt = p < 8; let ge = p >= 8; let r = p == 99 || (p >= 5 && p <= 7) ? 1 : p == 0 ? 2 : 3; x u8 [if = p > 6]; y u8 [if = p < 6] }",
			data: []byte{7, 42}, fields: []string{"b.eq=1", "b.ne=0", "b.lt=1", "b.ge=0", "b.r=1", "b.x=42"}, absent: []string{"b.y"}},
		{name: "signed parameter",
			src:  "struct M { k s8; b B(k) }\nstruct B(p s8) { let v = p; let neg = p < 0; let m = p * 2 }",
			data: []byte{0xfe}, fields: []string{"b.v=-2", "b.neg=1", "b.m=-4"}},
		{name: "parameter passed down a recursion",
			src:  "struct M { n N(0) }\nstruct N(depth u8) { more u8; let d = depth; next N(depth + 1) [if = more != 0 && depth < 3] }",
			data: []byte{1, 1, 0}, fields: []string{"n.d=0", "n.next.d=1", "n.next.next.d=2", "n.next.next.more=0"}, absent: []string{"n.next.next.next"}},
		{name: "parent references", src: "struct M { n u8; b Inner }\nstruct Inner { d [parent.n]byte }",
			data: []byte{3, 1, 2, 3}, fields: []string{"b.d=010203"}},
		{name: "two levels of parent", src: "struct M { n u8; b Mid }\nstruct Mid { c Inner }\nstruct Inner { d [parent.parent.n]byte }",
			data: []byte{1, 7}, fields: []string{"b.c.d=07"}},
		{name: "a struct written in place", src: "struct M { h struct { v b4; l b4 }; d [h.l]byte }",
			data: []byte{0x42, 9, 9}, fields: []string{"h.v=4", "h.l=2", "d=0909"}},
		{name: "let", src: "struct M { hi u8; lo u8; let v = hi * 256 + lo [base = hex]; x [v - 0x102]byte }",
			data: []byte{1, 3, 7}, fields: []string{"v=0x103", "x=07"}},
		{name: "if", src: "struct M { f u8; a u8 [if = f & 1]; b u8 [if = f & 2] }",
			data: []byte{2, 9}, fields: []string{"b=9"}, absent: []string{"a"}},
		{name: "assert passes", src: "struct M { n u8; assert n < 10, \"n too big\" }", data: []byte{3}},
		{name: "assert fails with its message", src: "struct M { n u8; assert n < 10, \"n too big\" }", data: []byte{30},
			err: "assertion failed: expected n too big"},
		{name: "assert without a message shows the condition", src: "struct M { n u8; assert n < 10 }", data: []byte{30},
			err: "expected n < 10"},
		{name: "range", src: "struct M { n u8 [range = 1..5] }", data: []byte{6}, err: "n: out of range: expected 1..5, found 6"},
		{name: "expected enum member", src: "enum K { hello = 1 }\nstruct M { k K = hello }", data: []byte{2},
			err: "k: bad value: expected hello, found 2"},
		{name: "nested switch as a case", src: "struct M { a u8; b u8; v switch a { case 1: switch b { case 2: u16; default: u8 }; default: []byte } }",
			data: []byte{1, 2, 0, 5}, fields: []string{"v=5"}},
		{name: "switch case of bytes and arrays", src: "struct M { a u8; v switch a { case 1: [2]u8; default: [until 0]ascii } }",
			data: []byte{2, 'h', 'i', 0}, fields: []string{`v="hi"`}},
	})
}

func TestPlacement(t *testing.T) {
	runFeatureCases(t, []featureCase{
		{name: "a sized region stops [] inside it and is consumed whole",
			src:    "struct M { n u8; v Inner [size = n]; after u8 }\nstruct Inner { a u8; rest []u8 }",
			data:   []byte{3, 1, 2, 3, 9},
			fields: []string{"v.a=1", "v.rest=2 items", "after=9"}},
		{name: "bytes a sized region does not use are skipped",
			src:    "struct M { n u8; v Inner [size = n]; after u8 }\nstruct Inner { a u8 }",
			data:   []byte{3, 1, 2, 3, 9},
			fields: []string{"v.a=1", "after=9"}},
		{name: "a region longer than the bytes", src: "struct M { n u8; v []byte [size = n] }", data: []byte{5, 1},
			err: "v: truncated: expected 5 bytes for v, found 1"},
		{name: "pad to four", src: "struct M { a [1]byte [pad = 4]; b u8 }", data: []byte{1, 0, 0, 0, 7},
			fields: []string{"a=01", "b=7"}},
		{name: "align from the region start", src: "struct M { a u8; align 4; b u8 }", data: []byte{1, 0, 0, 0, 7},
			fields: []string{"b=7"}},
		{name: "positioned read does not move on", src: "struct M { p u8; x u8 [at = p]; y u8 }", data: []byte{2, 5, 9},
			fields: []string{"x=9", "y=5"}},
		{name: "positioned read is relative to the region",
			src:    "struct M { skip u8; m Msg [size = 3] }\nstruct Msg { p u8; x u8 [at = p] }",
			data:   []byte{0xee, 2, 0, 7},
			fields: []string{"m.x=7"}},
		{name: "compression pointers", src: dnsName,
			data:   []byte{3, 'w', 'w', 'w', 0, 0xc0, 0x00},
			fields: []string{"a.labels=2 items", `a.labels.0.text="www"`, "b.labels.0.target.labels=2 items", `b.labels.0.target.labels.0.text="www"`}},
		{name: "a pointer loop is an error", src: dnsName, data: []byte{0, 0xc0, 0x01},
			err: "loop"},
		{name: "a pointer past the end", src: dnsName, data: []byte{0, 0xc0, 0x09},
			err: "bad position: expected an offset from 0 to 3, found 9"},
	})
}

// dnsName is DNS names with compression pointers: a name at offset 0, then
// a name at the first byte after it.
const dnsName = `struct M { a Name; b Name }
struct Name { labels [until last.kind != 0 || last.length == 0]Label }
struct Label {
	kind   b2
	length b6
	text   [length]ascii [if = kind == 0]
	low    u8            [if = kind == 3]
	target Name          [if = kind == 3, at = (length << 8) | low]
}`

// A chain of pointers, each to the one before, makes more positioned reads
// than the limit allows.
func TestPositionedReadLimit(t *testing.T) {
	p := mustCompile(t, udp+`struct M { start u16; a Name [at = start] }
struct Name { labels [until last.kind != 0 || last.length == 0]Label }
struct Label {
	kind   b2
	length b6
	low    u8   [if = kind == 3]
	target Name [if = kind == 3, at = (length << 8) | low]
}`)
	// Offset 2 holds the empty name; each pointer after it points to the
	// one before; start points to the last.
	data := []byte{0, 0, 0}
	prev := 2
	for i := 0; i < 20; i++ {
		at := len(data)
		data = append(data, 0xc0|byte(prev>>8), byte(prev))
		prev = at
	}
	data[0], data[1] = byte(prev>>8), byte(prev)
	var f Frame
	Decode(p.Request, data, &f, Limits{})
	if f.Err != nil {
		t.Fatalf("20 hops with the default limit: %v", f.Err)
	}
	Decode(p.Request, data, &f, Limits{MaxHops: 4})
	if f.Err == nil || f.Err.Kind != "limit reached" || f.Err.Expected != "at most 4 positioned reads in a frame" {
		t.Fatalf("error %v, want the positioned-read limit", f.Err)
	}
}

func TestFlagsAndDisplayHints(t *testing.T) {
	runFeatureCases(t, []featureCase{
		{name: "flags", src: "flags F : u8 { fin = 0x01 \"FIN\"; syn = 0x02 \"SYN\"; ack = 0x10 \"ACK\" }\nstruct M { a F; b F; c F }",
			data: []byte{0x12, 0x00, 0x41}, fields: []string{"a=SYN|ACK (0x12)", "b=none (0x00)", "c=FIN|0x40 (0x41)"}},
		{name: "scale, offset and unit", src: "struct M { t s16 [scale = 0.1, unit = \"°C\"]; v u16 [scale = 0.01, offset = -100, unit = \"V\"]; ms u32 [unit = \"ms\"] }",
			data: []byte{0x00, 0xeb, 0x27, 0x10, 0, 0, 0, 250}, fields: []string{"t=23.5 °C (235)", "v=0 V (10000)", "ms=250 ms"}},
		{name: "times", src: "struct M { u u32 [time = unix]; n u64 [time = ntp]; ms u64 [time = unix_ms] }",
			data:   []byte{0x65, 0x92, 0x00, 0x80, 0xe9, 0x3c, 0x7f, 0x00, 0x80, 0, 0, 0, 0, 0, 0x01, 0x8c, 0xc2, 0x51, 0xf4, 0x00},
			fields: []string{"u=2024-01-01T00:00:00Z (1704067200)", "n=2024-01-01T00:00:00.5Z (16806447549564059648)", "ms=2024-01-01T00:00:00Z (1704067200000)"}},
		{name: "binary base", src: "struct M { a u8 [base = bin]; b b3 [base = bin] }", data: []byte{5, 0xa0},
			fields: []string{"a=0b00000101", "b=0b101"}},
	})
}

func TestChecksumAlgorithms(t *testing.T) {
	check := []byte("123456789")
	for _, tc := range []struct {
		algo ChecksumAlgo
		want uint64
	}{
		{CRC16Modbus, 0x4B37}, {CRC16CCITT, 0x29B1}, {CRC16X25, 0x906E}, {CRC16Kermit, 0x2189},
		{CRC16DNP, 0xEA82}, {CRC32, 0xCBF43926}, {CRC32C, 0xE3069283}, {Sum8, 0xDD}, {Xor8, 0x31},
	} {
		if got := checksum(tc.algo, check); got != tc.want {
			t.Errorf("%s(\"123456789\") = %#x, want %#x", tc.algo, got, tc.want)
		}
		// Split input gives the same result.
		if got := checksum(tc.algo, check[:4], check[4:]); got != tc.want {
			t.Errorf("%s in two parts = %#x, want %#x", tc.algo, got, tc.want)
		}
	}
	// The IPv4 header of RFC 1071's usual example sums to 0xb861 with its
	// checksum field zeroed.
	hdr := []byte{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7}
	if got := checksum(Internet, hdr); got != 0xb861 {
		t.Errorf("internet = %#x, want 0xb861", got)
	}
}

func TestChecksumFields(t *testing.T) {
	ip := []byte{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7}
	badIP := append([]byte{}, ip...)
	badIP[11] = 0x62
	ipSchema := "struct M { h [10]byte; sum u16 [checksum = internet(0, 20), base = hex]; rest [8]byte }"
	modbusRTU := []byte{0x01, 0x03, 0x00, 0x00, 0x00, 0x0a, 0xc5, 0xcd}
	runFeatureCases(t, []featureCase{
		{name: "internet checksum with the field inside its range", src: ipSchema, data: ip, fields: []string{"sum=0xb861 [correct]"}},
		{name: "a bad checksum does not stop decoding", src: ipSchema, data: badIP,
			fields: []string{"sum=0xb862 [incorrect, should be 0xb861]", "rest=c0a80001c0a800c7"}},
		{name: "crc16 after the data", src: "struct M { pdu [6]byte; crc u16le [checksum = crc16_modbus(0, offset(crc)), base = hex] }",
			data: modbusRTU, fields: []string{"crc=0xcdc5 [correct]"}},
	})
	p := mustCompile(t, udp+ipSchema)
	var f Frame
	Decode(p.Request, badIP, &f, Limits{})
	if f.BadChecksums != 1 || f.Err != nil {
		t.Errorf("BadChecksums %d, err %v", f.BadChecksums, f.Err)
	}
}

func TestStateAndPairing(t *testing.T) {
	p := mustCompile(t, `protocol p { transport udp; message M }
state { started bool = false; version u8 = 4 }
struct M {
	body switch state.started {
		case 0: Startup
		default: Typed
	}
}
struct Startup { v u8; set state.started = 1; set state.version = v }
struct Typed { id u16; x u8 [if = state.version >= 5]; pair request id }
`)
	st := p.NewState()
	if st.Vals[0] != 0 || st.Vals[1] != 4 {
		t.Fatalf("initial state %v", st.Vals)
	}
	var f Frame
	opts := &DecodeOptions{State: st}
	DecodeWith(p.Request, []byte{5}, &f, opts)
	if f.Err != nil || st.Vals[0] != 1 || st.Vals[1] != 5 {
		t.Fatalf("after startup: %v, state %v", f.Err, st.Vals)
	}
	DecodeWith(p.Request, []byte{0, 7, 9}, &f, opts)
	if i, ok := f.Lookup("body.x"); f.Err != nil || !ok || display(&f, i) != "9" {
		t.Fatalf("typed message: %v %s", f.Err, dumpFrame(&f))
	}
	if f.Pair != PairRequest || f.PairKey != 7 {
		t.Errorf("pair %v key %d", f.Pair, f.PairKey)
	}
	st.Reset(p)
	if st.Vals[0] != 0 || st.Vals[1] != 4 {
		t.Errorf("Reset: %v", st.Vals)
	}
	// Without state, state.x is absent: an error, not a panic.
	Decode(p.Request, []byte{5}, &f, Limits{})
	if f.Err == nil || !strings.Contains(f.Err.Error(), "absent") {
		t.Errorf("no state: %v", f.Err)
	}
}

func TestImports(t *testing.T) {
	files := map[string]string{
		"main.dsl":        "import \"lib/types.dsl\"\nprotocol p { transport udp; message M }\nstruct M { h Header; k Kind }",
		"lib/types.dsl":   "import \"common.dsl\"\nstruct Header { v u8 }",
		"lib/common.dsl":  "import \"types.dsl\"\nenum Kind { a = 1 }\nprotocol ignored { message Header }",
		"bad.dsl":         "import \"missing.dsl\"\nprotocol p { transport udp; message M }\nstruct M { a u8 }",
		"clash.dsl":       "import \"lib/types.dsl\"\nprotocol p { transport udp; message Header }\nstruct Header { v u8 }",
		"absolute.dsl":    "import \"/etc/x.dsl\"\nprotocol p { transport udp; message M }\nstruct M { a u8 }",
		"broken/main.dsl": "import \"b.dsl\"\nprotocol p { transport udp; message M }\nstruct M { a B }",
		"broken/b.dsl":    "struct B { x u17 }",
	}
	load := func(name string) ([]byte, error) {
		if s, ok := files[name]; ok {
			return []byte(s), nil
		}
		return nil, fmt.Errorf("open %s: no such file", name)
	}
	p, errs := CompileWith("main.dsl", []byte(files["main.dsl"]), load)
	if p == nil {
		t.Fatalf("imports: %v", errs)
	}
	if len(p.Files) != 3 || p.Name != "p" {
		t.Errorf("files %v, name %s", p.Files, p.Name)
	}
	var f Frame
	Decode(p.Request, []byte{7, 1}, &f, Limits{})
	if i, ok := f.Lookup("k"); !ok || display(&f, i) != "a (1)" {
		t.Errorf("imported enum: %s", dumpFrame(&f))
	}
	for _, tc := range []struct{ file, want string }{
		{"bad.dsl", `bad.dsl:1:1: import "missing.dsl": cannot read missing.dsl: open missing.dsl: no such file`},
		{"clash.dsl", "clash.dsl:3:8: Header is declared twice (first at lib/types.dsl:2:8)"},
		{"absolute.dsl", `absolute.dsl:1:1: import "/etc/x.dsl": give a path relative to this file`},
		{"broken/main.dsl", "broken/b.dsl:1:14: unknown type u17"},
	} {
		_, errs := CompileWith(tc.file, []byte(files[tc.file]), load)
		if !strings.Contains(errs.Error(), tc.want) {
			t.Errorf("%s: errors\n%v\nwant %q", tc.file, errs, tc.want)
		}
	}
}

func TestLayers(t *testing.T) {
	inner := mustCompile(t, "protocol inner { transport udp; request Q; response R }\nstruct Q { q u8 }\nstruct R { r u16 }")
	outer := mustCompile(t, udp+"struct M { n u8; payload [n]byte [decode = \"inner\"]; after u8 }")
	if len(outer.Layers) != 1 || outer.Layers[0].Name != "inner" {
		t.Fatalf("layers %v", outer.Layers)
	}
	var f Frame
	// Unlinked, the bytes stay bytes.
	Decode(outer.Request, []byte{2, 1, 2, 9}, &f, Limits{})
	if i, ok := f.Lookup("payload"); !ok || display(&f, i) != "0102" {
		t.Fatalf("unlinked: %s", dumpFrame(&f))
	}
	outer.Layers[0].Program = inner
	Decode(outer.Request, []byte{2, 1, 2, 9}, &f, Limits{})
	if i, ok := f.Lookup("payload.q"); !ok || display(&f, i) != "1" || f.Nodes[i-1].Flags&NodeLayer == 0 {
		t.Fatalf("request layer: %s", dumpFrame(&f))
	}
	if i, ok := f.Lookup("after"); !ok || display(&f, i) != "9" {
		t.Fatalf("after the layer: %s", dumpFrame(&f))
	}
	DecodeWith(outer.Request, []byte{2, 1, 2, 9}, &f, &DecodeOptions{Response: true})
	if i, ok := f.Lookup("payload.r"); !ok || display(&f, i) != "258" {
		t.Fatalf("response layer: %s", dumpFrame(&f))
	}
}

func TestFramingForms(t *testing.T) {
	for _, tc := range []struct {
		framing string
		data    []byte
		n       int
		st      FrameStatus
	}{
		{"magic 0x68\nsize u8(1) + 2", []byte{0x68, 4, 1, 2, 3, 4}, 6, FrameOK},
		{"magic 0x68\nsize u8(1) + 2", []byte{0x67, 4}, 0, FrameBadMagic},
		{"magic \"\\x03\\x00\"\nsize u16(2)", []byte{0x03}, 0, FrameNeedMore},
		{"magic \"\\x03\\x00\"\nsize u16(2)", []byte{0x03, 0x01}, 0, FrameBadMagic},
		{"delimiter \"\\r\\n\"\nmax 10", []byte("ab\r\ncd"), 4, FrameOK},
		{"delimiter \"\\r\\n\"\nmax 10", []byte("abc"), 0, FrameNeedMore},
		{"delimiter \"\\r\\n\"\nmax 4", []byte("abcdef"), 0, FrameInvalid},
		{"size 1 + mqtt_varint_len(1) + mqtt_varint(1)", []byte{0x30, 0x80, 0x01}, 131, FrameOK},
		{"size 1 + mqtt_varint_len(1) + mqtt_varint(1)", []byte{0x30, 0x80}, 0, FrameNeedMore},
		{"size 1 + mqtt_varint_len(1) + mqtt_varint(1)", []byte{0x30, 0xff, 0xff, 0xff, 0xff}, 0, FrameInvalid},
		{"size u8(0) == 0x16 ? u16(3) + 5 : max(u8(1), 2)", []byte{0x16, 3, 3, 0, 4}, 9, FrameOK},
		{"size 48", nil, 48, FrameOK},
	} {
		p := mustCompile(t, "protocol p { message M }\nstruct M { a []byte }\nframing {\n"+tc.framing+"\n}")
		n, st := p.Framing.FrameLen(tc.data)
		if st != tc.st || (st == FrameOK && n != tc.n) {
			t.Errorf("framing %q on % x: %d %v, want %d %v", tc.framing, tc.data, n, st, tc.n, tc.st)
		}
	}
}

func TestSmallerFeatures(t *testing.T) {
	runFeatureCases(t, []featureCase{
		{name: "cases on one line", src: "struct M { a u8; v switch a { case 1: u8 case 2: u16 default: []byte } }",
			data: []byte{2, 0, 9}, fields: []string{"v=9"}},
		{name: "a typed let shows its enum", src: "enum K { one = 1 \"One\" }\nstruct M { a u8; let k K = a - 1 }",
			data: []byte{2}, fields: []string{"k=One (1)"}},
		{name: "a typed signed let", src: "struct M { a u8; let d s16 = a - 10 }",
			data: []byte{2}, fields: []string{"d=-8"}},
		{name: "a statement with a condition", src: "struct M { a u8; assert a < 5, \"too big\" [if = a != 9] }",
			data: []byte{9}},
		{name: "an integer switch used as a value", src: "struct M { ext b1; _r b7; length switch ext { case 0: u8; case 1: u16 }; d [length]byte }",
			data: []byte{0x80, 0, 2, 7, 8}, fields: []string{"length=2", "d=0708"}},
		{name: "addresses", src: "struct M { a [4]byte [format = ipv4]; b u32 [format = ipv4]; c [6]byte [format = mac]; d [16]byte [format = ipv6] }",
			data:   append([]byte{192, 0, 2, 1, 10, 0, 0, 1, 0, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e}, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
			fields: []string{"a=192.0.2.1", "b=10.0.0.1", "c=00:1a:2b:3c:4d:5e", "d=2001:db8::1"}},
		{name: "hidden fields are decoded and usable", src: "struct M { n u8 [hidden]; let twice = n * 2 [hidden]; d [twice]byte }",
			data: []byte{1, 7, 8}, fields: []string{"d=0708"}},
	})
	// A conditional pair only pairs when its condition holds.
	p := mustCompile(t, udp+"struct M { q u8; id u8; pair request id [if = q > 0] }")
	var f Frame
	Decode(p.Request, []byte{0, 5}, &f, Limits{})
	if f.Pair != PairNone {
		t.Errorf("q = 0 paired: %v", f.Pair)
	}
	Decode(p.Request, []byte{1, 5}, &f, Limits{})
	if f.Pair != PairRequest || f.PairKey != 5 {
		t.Errorf("q = 1: pair %v key %d", f.Pair, f.PairKey)
	}
	// An optional summary part is left out when its field is absent.
	p = mustCompile(t, udp+"struct M [summary = \"a={a}{b?}{c}\"] { a u8; b u8 [if = a > 1]; c u8 [if = a > 1] }")
	Decode(p.Request, []byte{1}, &f, Limits{})
	if got := string(f.AppendSummary(nil)); got != "a=1?" {
		t.Errorf("summary %q, want %q", got, "a=1?")
	}
	// Hidden fields do not show in the tree's structure children walk for
	// output, but are nodes of the frame.
	p = mustCompile(t, udp+"struct M { n u8 [hidden]; x u8 }")
	Decode(p.Request, []byte{1, 2}, &f, Limits{})
	if i, ok := f.Lookup("n"); !ok || !f.Nodes[i].Field.Hidden {
		t.Errorf("hidden field: %s", dumpFrame(&f))
	}
}

// A protocol decoded in place as a layer does not touch the state of the
// connection it is layered in.
func TestLayerDoesNotShareState(t *testing.T) {
	inner := mustCompile(t, "protocol inner { transport udp; message I }\nstate { b u8 = 0 }\nstruct I { x u8; set state.b = 99 }")
	outer := mustCompile(t, "protocol outer { transport udp; message M }\nstate { a u8 = 0 }\nstruct M { n u8; set state.a = 7; p [n]byte [decode = \"inner\"]; let after = state.a }")
	outer.Layers[0].Program = inner
	st := outer.NewState()
	var f Frame
	DecodeWith(outer.Request, []byte{1, 5}, &f, &DecodeOptions{State: st})
	if i, ok := f.Lookup("after"); !ok || display(&f, i) != "7" {
		t.Fatalf("outer state after the layer: %s (err %v)", dumpFrame(&f), f.Err)
	}
	if f.Err != nil {
		t.Errorf("the inner set, run without state, must not fail the frame: %v", f.Err)
	}
	if st.Vals[0] != 7 {
		t.Errorf("outer state %v, want 7", st.Vals)
	}
}
