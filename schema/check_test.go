package schema

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dissect-project/dissect/schema/syntax"
)

// diags formats every error and warning as "line:col: [warning: ]message".
func diags(errs syntax.ErrorList) []string {
	var out []string
	for _, e := range errs {
		w := ""
		if e.Warning {
			w = "warning: "
		}
		out = append(out, fmt.Sprintf("%d:%d: %s%s", e.Pos.Line, e.Pos.Col, w, e.Msg))
	}
	return out
}

// udp is a protocol header for tests that are about structs: a datagram
// protocol needs no framing.
const udp = "protocol p { transport udp; message M }\n"

func mustCompile(t testing.TB, src string) *Program {
	t.Helper()
	p, errs := Compile("t.dsl", []byte(src))
	if p == nil || len(errs) != 0 {
		t.Fatalf("Compile: program %v, diagnostics:\n%v", p != nil, errs)
	}
	return p
}

func TestCheckErrors(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		diags []string
	}{
		// The protocol block.
		{"no protocol", "struct M { a u8 }",
			[]string{"1:1: no protocol block: a schema needs `protocol NAME { ... }` naming the protocol and its message types"}},
		{"empty file", "",
			[]string{"1:1: no protocol block: a schema needs `protocol NAME { ... }` naming the protocol and its message types"}},
		{"two protocols", udp + "protocol q { message M }\nstruct M { a u8 }",
			[]string{"2:1: second protocol block; a schema file describes one protocol"}},
		{"no message type", "protocol p { transport udp }\nstruct M { a u8 }",
			[]string{"1:1: protocol p names no message type: add `message T`, or `request T` and `response T`",
				"2:8: warning: struct M is never used"}},
		{"request without response", "protocol p { transport udp; request M }\nstruct M { a u8 }",
			[]string{"1:1: protocol p names no message type: add `message T`, or `request T` and `response T`"}},
		{"message and request", "protocol p { transport udp; message M; request M; response M }\nstruct M { a u8 }",
			[]string{"1:29: use either message (one type for both directions) or request and response, not both"}},
		{"message names no struct", "protocol p { transport udp; message X }\nenum X { a = 1 }",
			[]string{"1:37: message X: no struct named X", "2:6: warning: enum X is never used"}},
		{"request and response name no struct", "protocol p { transport udp; request Q; response R }",
			[]string{"1:37: request Q: no struct named Q", "1:49: response R: no struct named R"}},
		{"message takes a name", "protocol p { transport udp; message \"M\" }\nstruct M { a u8 }",
			[]string{"1:37: message takes a name", "1:37: message takes a name", "2:8: warning: struct M is never used"}},
		{"message takes one name", "protocol p { transport udp; message M, N }\nstruct M { a u8 }",
			[]string{"1:29: message takes one name", "1:29: message takes one name", "2:8: warning: struct M is never used"}},
		{"property set twice", "protocol p { transport udp; message M; title \"a\"; title \"b\" }\nstruct M { a u8 }",
			[]string{"1:51: property title is set twice"}},
		{"unknown property", "protocol p { transport udp; message M; colour red }\nstruct M { a u8 }",
			[]string{`1:40: unknown protocol property "colour"; expected one of: title, description, transport, ports, endian, message, request, response, wireshark`}},
		{"unknown transport", "protocol p { transport sctp; message M }\nstruct M { a u8 }",
			[]string{"1:1: protocol p runs over tcp but has no framing block: add `framing { size EXPR }` to say how long each frame is",
				`1:24: unknown transport "sctp"; expected tcp or udp`}},
		{"transport takes a name", "protocol p { transport 6; message M }\nstruct M { a u8 }\nframing { size 1 }",
			[]string{"1:24: transport takes a name"}},
		{"unknown endian", "protocol p { transport udp; endian middle; message M }\nstruct M { a u8 }",
			[]string{`1:36: unknown byte order "middle"; expected big or little`}},
		{"title takes a string", "protocol p { transport udp; title modbus; message M }\nstruct M { a u8 }",
			[]string{"1:35: title takes a string in double quotes"}},
		{"description takes one string", "protocol p { transport udp; description \"a\", \"b\"; message M }\nstruct M { a u8 }",
			[]string{"1:29: description takes one string"}},
		{"wireshark takes a string", "protocol p { transport udp; wireshark 1; message M }\nstruct M { a u8 }",
			[]string{"1:39: wireshark takes a string in double quotes"}},
		{"ports empty", "protocol p { transport udp; ports; message M }\nstruct M { a u8 }",
			[]string{"1:29: ports needs at least one port number"}},
		{"ports out of range", "protocol p { transport udp; ports 0, 80, 65536, 0x10000 - 1; message M }\nstruct M { a u8 }",
			[]string{"1:35: port 0 is out of range 1..65535", "1:42: port 65536 is out of range 1..65535"}},
		{"ports negative", "protocol p { transport udp; ports -1; message M }\nstruct M { a u8 }",
			[]string{"1:35: port -1 is out of range 1..65535"}},
		{"port must be constant", "protocol p { transport udp; ports x, 1 / 0, \"80\"; message M }\nstruct M { a u8 }",
			[]string{"1:35: a port must be a constant, but x is a name",
				"1:38: a port: division by zero",
				"1:45: a string cannot be used in an expression"}},
		{"port with a call", "protocol p { transport udp; ports u16(0); message M }\nstruct M { a u8 }",
			[]string{"1:35: a port must be a constant, but u16(...) is computed while decoding"}},

		// The framing block.
		{"tcp needs framing", "protocol p { message M }\nstruct M { a u8 }",
			[]string{"1:1: protocol p runs over tcp but has no framing block: add `framing { size EXPR }` to say how long each frame is"}},
		{"explicit tcp needs framing", "protocol p { transport tcp; message M }\nstruct M { a u8 }",
			[]string{"1:1: protocol p runs over tcp but has no framing block: add `framing { size EXPR }` to say how long each frame is"}},
		{"two framing blocks", "protocol p { message M }\nstruct M { a u8 }\nframing { size 1 }\nframing { size 2 }",
			[]string{"4:1: second framing block; a protocol has one framing rule"}},
		{"framing without size", "protocol p { message M }\nstruct M { a u8 }\nframing { min 2 }",
			[]string{"3:1: framing block has no size: add `size EXPR`, for example `size u16(4) + 6`, or `delimiter \"\\r\\n\"`"}},
		{"framing unknown property", "protocol p { message M }\nstruct M { a u8 }\nframing { size 1; sync 0xAA }",
			[]string{`3:19: unknown framing property "sync"; expected one of: size, min, max, magic, delimiter, resync`}},
		{"framing takes one value", "protocol p { message M }\nstruct M { a u8 }\nframing { size 1, 2; min }",
			[]string{"3:1: framing block has no size: add `size EXPR`, for example `size u16(4) + 6`, or `delimiter \"\\r\\n\"`",
				"3:11: size takes one value", "3:22: min takes one value"}},
		{"framing min > max", "protocol p { message M }\nstruct M { a u8 }\nframing { size 1; min 10; max 9 }",
			[]string{"3:1: framing min 10 is larger than max 9"}},
		{"framing default max", "protocol p { message M }\nstruct M { a u8 }\nframing { size 1; min 2000000 }",
			[]string{"3:1: framing min 2000000 is larger than max 1048576"}},
		{"framing min and max out of range", "protocol p { message M }\nstruct M { a u8 }\nframing { size 1; min 0; max 0x40000001 }",
			[]string{"3:23: min 0 is out of range 1..1073741824", "3:30: max 1073741825 is out of range 1..1073741824"}},
		{"framing min must be constant", "protocol p { message M }\nstruct M { a u8 }\nframing { size 1; min u8(0); max x }",
			[]string{"3:23: min must be a constant, but u8(...) is computed while decoding", "3:34: max must be a constant, but x is a name"}},
		{"framing reads fields", "protocol p { message M }\nstruct M { len u8 }\nframing { size len + 1 }",
			[]string{"3:16: framing cannot use the field len: read the bytes with a function such as u16(OFFSET)"}},
		{"framing selector", "protocol p { message M }\nstruct M { h u8 }\nframing { size h.len }",
			[]string{"3:16: this value must be a constant"}},
		{"framing unknown function", "protocol p { message M }\nstruct M { a u8 }\nframing { size s16(0) + f32(0) + len(1) }",
			[]string{"3:16: unknown function s16: framing can read integers such as u16(OFFSET), u32le(OFFSET) or mqtt_varint(OFFSET), with min and max",
				"3:25: unknown function f32: framing can read integers such as u16(OFFSET), u32le(OFFSET) or mqtt_varint(OFFSET), with min and max",
				"3:34: unknown function len: framing can read integers such as u16(OFFSET), u32le(OFFSET) or mqtt_varint(OFFSET), with min and max"}},
		{"framing read arguments", "protocol p { message M }\nstruct M { a u8 }\nframing { size u16() + u8(1, 2) }",
			[]string{"3:16: u16(OFFSET) takes one argument, the byte offset to read at",
				"3:24: u8(OFFSET) takes one argument, the byte offset to read at"}},
		{"framing string", "protocol p { message M }\nstruct M { a u8 }\nframing { size \"4\" }",
			[]string{"3:16: a string cannot be used in an expression"}},
		{"framing range", "protocol p { message M }\nstruct M { a u8 }\nframing { size u8(1..2) }",
			[]string{"3:20: expected ')' to close the call, found '..'"}},

		// Declarations.
		{"type declared twice", udp + "struct M { a u8 }\nenum M { x = 1 }\nstruct M { b u8 }",
			[]string{"3:6: M is declared twice (first at t.dsl:2:8)", "4:8: M is declared twice (first at t.dsl:2:8)"}},
		{"built-in redeclared", udp + "struct M { a u8 }\nstruct u16 { a u8 }\nenum bool { a = 1 }\nstruct byte { a u8 }\nenum s24le { a = 1 }",
			[]string{"3:8: u16 is a built-in type and cannot be redeclared",
				"4:6: bool is a built-in type and cannot be redeclared",
				"5:8: byte is a built-in type and cannot be redeclared",
				"6:6: s24le is a built-in type and cannot be redeclared"}},

		// Enums.
		{"enum bad base", udp + "struct M { a E; b F; c G }\nenum E : f32 { x = 1 }\nenum F : bool { x = 1 }\nenum G : [2]u8 { x = 1 }",
			[]string{"3:10: the base of enum E must be an integer type such as u8, u16 or b4",
				"4:10: the base of enum F must be an integer type such as u8, u16 or b4",
				"5:10: the base of enum G must be an integer type such as u8, u16 or b4"}},
		{"enum unknown base", udp + "struct M { a E }\nenum E : u7 { x = 1 }",
			[]string{"3:10: the base of enum E must be an integer type such as u8, u16 or b4"}},
		{"enum duplicate member", udp + "struct M { a E }\nenum E { x = 1; y = 2; x = 3 }",
			[]string{"3:24: enum E has two members named x"}},
		{"enum duplicate value", udp + "struct M { a E }\nenum E { x = 1; y = 2; z = 0x1 }",
			[]string{"3:28: enum E: z has the same value 1 as x"}},
		{"enum value does not fit", udp + "struct M { a E; b F; c G }\nenum E { x = 256; y = -1 }\nenum F : s8 { lo = -129; hi = 128; ok = -128 }\nenum G : u16 { big = 65536 }",
			[]string{"3:14: enum E: value 256 of x does not fit in u8",
				"3:23: enum E: value -1 of y does not fit in u8",
				"4:20: enum F: value -129 of lo does not fit in s8",
				"4:31: enum F: value 128 of hi does not fit in s8",
				"5:22: enum G: value 65536 of big does not fit in u16"}},
		{"enum value must be constant", udp + "struct M { a E }\nenum E { x = y; z = \"s\"; w = 1 % 0 }",
			[]string{"3:14: an enum value must be a constant, but y is a name",
				"3:21: a string cannot be used in an expression",
				"3:30: an enum value: division by zero"}},
		{"enum value bad shift", udp + "struct M { a E }\nenum E : u64 { x = 1 << 64; y = 1 >> -1 }",
			[]string{"3:20: an enum value: shift count out of range", "3:33: an enum value: shift count out of range"}},
		{"enum attributes", udp + "struct M { a E }\nenum E [doc = \"d\", colour = 1] { x = 1 [doc = \"x\", hidden] }",
			[]string{`3:20: unknown enum attribute "colour"; expected doc`,
				`3:52: unknown enum member attribute "hidden"; expected doc`}},
		{"enum doc takes a string", udp + "struct M { a E }\nenum E [doc = 1] { x = 1 }",
			[]string{`3:9: doc takes a string: [doc = "..."]`}},
		{"enum member of another enum", udp + "struct M { a E; b F }\nenum F { one = 1 }\nenum E { x = F.one + 1; y = F.two }",
			[]string{"4:31: enum F has no member two"}},

		// Structs and fields.
		{"unknown type", udp + "struct M {\n a u17\n b [2]Foo\n c [n]u8\n}",
			[]string{"3:4: unknown type u17", "4:7: unknown type Foo",
				"5:5: unknown name n: only parameters and fields declared earlier in the same struct can be used"}},
		{"byte needs a size", udp + "struct M {\n a byte\n b bytes\n}",
			[]string{"3:4: byte needs a size: write [N]byte, []byte for the rest of the region, or [until 0]byte",
				"4:4: bytes needs a size: write [N]byte, []byte for the rest of the region, or [until 0]byte"}},
		{"duplicate field", udp + "struct M {\n a u8\n b u8\n a u16\n}",
			[]string{"5:2: struct M has two fields named a"}},
		{"forward reference", udp + "struct M {\n a [n]byte\n n u8\n b u8 [if = c]\n c u8\n}",
			[]string{"3:5: unknown name n: only parameters and fields declared earlier in the same struct can be used",
				"5:13: unknown name c: only parameters and fields declared earlier in the same struct can be used"}},
		{"self reference", udp + "struct M {\n n u8 = n\n}",
			[]string{"3:9: unknown name n: only parameters and fields declared earlier in the same struct can be used"}},
		{"reference to another struct's field", udp + "struct M {\n h H\n b [n]byte\n}\nstruct H { n u8 }",
			[]string{"4:5: unknown name n: only parameters and fields declared earlier in the same struct can be used"}},
		{"enum used as a value", udp + "struct M {\n a E\n b [E]u8\n}\nenum E { x = 1 }",
			[]string{"4:5: E is an enum; name one of its members: E.MEMBER"}},
		{"no such enum member", udp + "struct M {\n a E\n b [E.y]u8\n}\nenum E { x = 1 }",
			[]string{"4:7: enum E has no member y"}},
		{"struct used as a value", udp + "struct M {\n h H\n b [h]u8\n}\nstruct H { n u8 }",
			[]string{"4:5: h is a structure; name one of its fields, such as h.n"}},
		{"empty struct used as a value", udp + "struct M {\n h H\n b [h]u8\n}\nstruct H {}",
			[]string{"4:5: h is a structure; name one of its fields, such as h.field"}},
		{"non-integer fields in expressions", udp + "struct M {\n f f32\n d [2]byte\n a [2]u8\n s switch 1 { default: [2]byte }\n x [f + d + a + s]u8\n}",
			[]string{"7:5: f is f32; only integer fields can be used in expressions (len(f) gives its length)",
				"7:9: d is []byte; only integer fields can be used in expressions (len(d) gives its length)",
				"7:13: a is []u8; only integer fields can be used in expressions (len(a) gives its length)",
				"7:17: s is a switch whose cases are not all integers; only integer fields can be used in expressions"}},
		{"dotted paths", udp + "struct M {\n h H\n n u8\n a [h.x]u8\n b [n.x]u8\n c [h.n.x]u8\n d [h.in]u8\n e [h.in.m]u8\n}\nstruct H { n u8; in I }\nstruct I { m u8 }",
			[]string{"5:7: struct H has no field x",
				"6:7: n is not a structure, so it has no field x",
				"7:9: n is not a structure, so it has no field x",
				"8:7: in is a structure; name one of its fields, such as in.m"}},
		{"dotted path from unknown name", udp + "struct M {\n a [q.x]u8\n}",
			[]string{"3:5: unknown name q: only parameters and fields declared earlier in the same struct can be used"}},
		{"selector on an expression", udp + "struct M {\n n u8\n a [(n + 1).x]u8\n}",
			[]string{"4:6: only fields and enum members can be selected with '.'"}},
		{"unknown functions", udp + "struct M {\n n u8\n a [foo(0)]u8\n b [len(n, n)]u8\n}",
			[]string{"4:5: unknown function foo; expected one of: len, sizeof, offset, remaining, min, max, or a read such as u8(OFFSET)", "5:5: len takes one field: len(FIELD)"}},
		{"strings and ranges in expressions", udp + "struct M {\n n u8 = \"x\"\n a u8 [if = \"yes\"]\n}",
			[]string{"3:9: a string cannot be used in an expression, except compared (== or !=) with a text or bytes field", "4:13: a string cannot be used in an expression, except compared (== or !=) with a text or bytes field"}},
		{"expected value on a non-integer", udp + "struct M {\n a f32 = 0\n b [2]byte = 0\n c S = 0\n d [2]u8 = 1\n}\nstruct S { x u8 }",
			[]string{"3:10: only integer, byte and string fields can have an expected value (= ...); a is f32",
				"4:14: the expected value of b must be a string such as \"RIFF\" or \"\\x00\\x01\"",
				"5:8: only integer, byte and string fields can have an expected value (= ...); c is S",
				"6:12: only integer, byte and string fields can have an expected value (= ...); d is []u8"}},
		{"field attributes", udp + "struct M {\n a u8 [colour = red, base = oct, base = \"hex\", doc = 1, ws = x, wireshark = 2]\n b u8 [if]\n}",
			[]string{`3:8: unknown field attribute "colour"; expected one of: doc, ws, base, if, size, at, pad, range, checksum, blocks, decode, stream, join, first, last, seq, abort, limit, unit, scale, offset, time, format, hidden`,
				"3:29: unknown base; expected hex, dec or bin",
				"3:34: base takes a name",
				`3:48: doc takes a string: [doc = "..."]`,
				`3:57: ws takes a string: [ws = "..."]`,
				`3:65: wireshark takes a string: [wireshark = "..."]`,
				"4:8: if needs a condition: [if = EXPR]"}},
		{"struct attributes", udp + "struct M [colour = 1, doc = 2] { a u8 }",
			[]string{`2:11: unknown struct attribute "colour"; expected doc, summary or value`,
				`2:23: doc takes a string: [doc = "..."]`}},
		{"value attribute", udp + "struct M [value = fields, summary = \"{a}\"] { a u8; n N; s S }\nstruct N [value = summary] { b u8 }\nstruct S [value = \"summary\", summary = \"x\"] { c u8 }",
			[]string{"2:19: value takes summary ([value = summary]), not fields",
				"3:11: [value = summary] needs a summary attribute on struct N",
				"4:11: value takes a name"}},
		{"summary errors", udp + "struct M [summary = \"{a} {b} {h.n} {h.x} {}\"] { a u8; h H }\nstruct H { n u8 }",
			[]string{"2:21: summary: {b} does not name a field of M",
				"2:21: summary: {h.x} does not name a field of M",
				"2:21: summary: {} does not name a field of M"}},
		{"summary not closed", udp + "struct M [summary = \"{a} {a\"] { a u8 }",
			[]string{"2:21: summary: { at byte 4 is not closed"}},
		{"summary takes a string", udp + "struct M [summary = a] { a u8 }",
			[]string{`2:11: summary takes a string: [summary = "..."]`}},
		{"summary path through an array", udp + "struct M [summary = \"{a.n}\"] { a [1]H }\nstruct H { n u8 }",
			[]string{"2:21: summary: {a.n} goes into the elements of an array: only join(SEP) shows them"}},

		// Switches.
		{"bad case labels", udp + "struct M {\n t u8\n b switch t {\n  case x: u8\n  case \"s\": u8\n  case 1..n: u8\n  case 1 / 0: u8\n }\n}",
			[]string{"5:8: a case value must be a constant, but x is a name",
				"6:8: a string cannot be used in an expression",
				"7:11: a case value must be a constant, but n is a name",
				"8:8: a case value: division by zero"}},
		{"not a member of the tag's enum", udp + "struct M {\n t E\n b switch t {\n  case one, two: u8\n  case E.one: u8\n }\n}\nenum E { one = 1 }",
			[]string{"5:13: two is not a member of enum E",
				"6:8: warning: case is unreachable: already matched by the case at t.dsl:5:8"}},
		{"empty range", udp + "struct M {\n t u8\n b switch t {\n  case 5..4: u8\n  case 3..3: u8\n }\n}",
			[]string{"5:8: empty range 5..4"}},
		{"unknown case type", udp + "struct M {\n t u8\n b switch t {\n  case 1: Nope\n  default: [t]Nope2\n }\n}",
			[]string{"5:11: unknown type Nope", "6:15: unknown type Nope2"}},
		{"enum labels need an enum tag", udp + "struct M {\n n u8\n b switch n.x { case one: u8 }\n}",
			[]string{"4:13: n is not a structure, so it has no field x",
				"4:22: a case value must be a constant, but one is a name"}},
		{"switch tag errors", udp + "struct M {\n b switch z { default: u8 }\n}",
			[]string{"3:11: unknown name z: only parameters and fields declared earlier in the same struct can be used"}},
		{"enum never used", udp + "struct M {\n a u8 = 1\n}\nenum E { x = 1 }",
			[]string{"5:6: warning: enum E is never used"}},

		// Several errors in one file, from every stage, sorted by position.
		{"several", "struct M {\n a u17\n b [c]u8\n}\nprotocol p { transport udp; message M; ports 70000 }\nenum E : u8 { x = 300 }\nstruct Unused { $ }",
			[]string{"2:4: unknown type u17",
				"3:5: unknown name c: only parameters and fields declared earlier in the same struct can be used",
				"5:46: port 70000 is out of range 1..65535",
				"6:6: warning: enum E is never used",
				"6:19: enum E: value 300 of x does not fit in u8",
				"7:8: warning: struct Unused is never used",
				"7:17: unexpected character '$'",
				"7:17: expected a field name, found illegal character"}},

		// Joining pieces into messages.
		{"join without last", udp + "struct M { fin u8; d []byte [join = \"q\"] }",
			[]string{"2:20: field d joins pieces into messages: [last = FIELD] must say which piece ends a message"}},
		{"join flag not a field", udp + "struct M { fin u8; d []byte [join = \"q\", last = fin + 1] }",
			[]string{"2:20: field d joins pieces into messages: [last = FIELD] must say which piece ends a message", "2:49: last names a field declared before d in the same struct, for example [last = fin]"}},
		{"join flag unknown", udp + "struct M { d []byte [join = \"q\", last = fin] }",
			[]string{"2:12: field d joins pieces into messages: [last = FIELD] must say which piece ends a message", "2:41: unknown field fin: last names a field declared before d in the same struct"}},
		{"join flag a parameter", udp + "struct M { n N(1) }\nstruct N(fin u8) { d []byte [join = \"q\", last = fin] }",
			[]string{"3:20: field d joins pieces into messages: [last = FIELD] must say which piece ends a message", "3:49: fin is a parameter: last names a field of the struct"}},
		{"join flag bytes", udp + "struct M { fin [2]byte; d []byte [join = \"q\", last = fin] }",
			[]string{"2:25: field d joins pieces into messages: [last = FIELD] must say which piece ends a message", "2:54: last names an integer or bool field; fin is not one"}},
		{"join limit out of range", udp + "struct M { fin u8; d []byte [join = \"q\", last = fin, limit = 0] }",
			[]string{"2:62: limit must be from 1 to 1073741824 bytes, not 0"}},
		{"seq without join", udp + "struct M { s u8; d []byte [seq = s] }",
			[]string{"2:28: seq applies to a field with [join = \"name\"]"}},
		{"join and stream", udp + "struct M { fin u8; d []byte [join = \"q\", stream = \"r\", last = fin] }",
			[]string{"2:42: a field hands its bytes to one protocol: only one of decode, stream and join can be given"}},
		{"join on an integer", udp + "struct M { fin u8; d u16 [join = \"q\", last = fin] }",
			[]string{"2:20: decode, stream and join hand a byte string to another protocol; d is u16, not [n]byte",
				"2:39: last applies to a field with [join = \"name\"]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, errs := Compile("t.dsl", []byte(tt.src))
			got := diags(errs)
			if strings.Join(got, "\n") != strings.Join(tt.diags, "\n") {
				t.Errorf("diagnostics\n got: %s\nwant: %s", strings.Join(got, "\n"), strings.Join(tt.diags, "\n"))
			}
			if (p == nil) != (errs.Err() != nil) {
				t.Errorf("program %v with Err() %v", p != nil, errs.Err())
			}
			for _, e := range errs {
				if e.Pos.File != "t.dsl" {
					t.Errorf("error in file %q", e.Pos.File)
				}
			}
		})
	}
}

func TestCheckWarnings(t *testing.T) {
	src := udp + `struct M {
	t E
	b switch t {
		case one, two: u8
		case 1..2: u16
		case 0..10: u32
		case 5, 3..4: u64
		case E.two: u8
		default: Used
	}
	c switch t { case 1: u8; case 1: u16 }
}
struct Used { a u8 }
struct Unused1 { a u8 }
struct Unused2 { u Unused1 }
enum E { one = 1; two = 2 }
enum Unused3 { x = 1 }
enum OnlyInExpr { x = 1 }
struct AlsoUnused { a u8 = OnlyInExpr.x }
`
	p, errs := Compile("w.dsl", []byte(src))
	if p == nil {
		t.Fatalf("warnings must not stop compilation:\n%v", errs)
	}
	want := []string{
		// 1..2: no single earlier label covers it, but one and two together do.
		"6:8: warning: case is unreachable: earlier cases already match every value in it",
		"8:8: warning: case is unreachable: already matched by the case at w.dsl:7:8",
		"8:11: warning: case is unreachable: already matched by the case at w.dsl:7:8",
		"9:8: warning: case is unreachable: already matched by the case at w.dsl:5:13",
		"12:32: warning: case is unreachable: already matched by the case at w.dsl:12:20",
		"16:8: warning: struct Unused2 is never used",
		"18:6: warning: enum Unused3 is never used",
		"20:8: warning: struct AlsoUnused is never used",
	}
	got := diags(errs)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings\n got: %s\nwant: %s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if errs.Err() != nil || len(errs.Errors()) != 0 || len(errs.Warnings()) != len(want) {
		t.Errorf("Err %v, %d errors, %d warnings", errs.Err(), len(errs.Errors()), len(errs.Warnings()))
	}
	for _, e := range errs {
		if !strings.Contains(e.Error(), ": warning: ") {
			t.Errorf("warning text: %q", e.Error())
		}
	}
}

// Errors are sorted by position whatever stage found them, and the list's
// text ends with the count.
func TestCheckErrorListOrder(t *testing.T) {
	src := "struct M { a Nope }\nprotocol p { transport udp; message M; bogus 1 }\n$\n"
	p, errs := Compile("o.dsl", []byte(src))
	if p != nil {
		t.Fatal("program despite errors")
	}
	want := "o.dsl:1:14: unknown type Nope\n" +
		"    struct M { a Nope }\n" +
		"                 ^\n" +
		"o.dsl:2:40: unknown protocol property \"bogus\"; expected one of: title, description, transport, ports, endian, message, request, response, wireshark\n" +
		"    protocol p { transport udp; message M; bogus 1 }\n" +
		"                                           ^\n" +
		"o.dsl:3:1: unexpected character '$'\n" +
		"    $\n" +
		"    ^\n" +
		"o.dsl:3:1: expected a declaration (protocol, framing, heuristic, enum, flags, struct, state or import), found illegal character\n" +
		"    $\n" +
		"    ^\n" +
		"4 errors"
	if got := errs.Err().Error(); got != want {
		t.Errorf("Err():\n%s\nwant:\n%s", got, want)
	}
}

// Types can be used before they are declared, and a path into a structure
// field resolves whatever the order of the declarations.
func TestCheckDeclarationOrder(t *testing.T) {
	src := udp + `struct M [summary = "{h.len} {h.kind}"] {
	h    Header
	data [h.len]byte
	more [h.inner.n]u8
	body switch h.kind { case one: u8; case two: u16 }
}
struct Header { len u8; kind Kind; inner Inner }
struct Inner { n u8 }
enum Kind { one = 1; two = 2 }
`
	p := mustCompile(t, src)
	var f Frame
	Decode(p.Request, []byte{2, 2, 1, 0xAA, 0xBB, 7, 0x12, 0x34}, &f, Limits{})
	if f.Err != nil {
		t.Fatalf("decode: %v", f.Err)
	}
	if got := string(f.AppendSummary(nil)); got != "2 two (2)" {
		t.Errorf("summary %q", got)
	}
	i, _ := f.Lookup("body")
	if f.Nodes[i].Type.Name != "u16" || f.Nodes[i].Bits != 0x1234 {
		t.Errorf("body: %s %#x", f.Nodes[i].Type.Name, f.Nodes[i].Bits)
	}
	// Mutually recursive structures compile.
	mustCompile(t, udp+"struct M { a A }\nstruct A { n u8; b B [if = n != 0] }\nstruct B { m u8; a A [if = m != 0] }")
}

func TestCompileResult(t *testing.T) {
	src := `// A test protocol.
protocol test {
	title "Test Protocol"
	description "for tests"
	transport tcp
	ports 7000, 0x1B59
	endian little
	wireshark "tst"
	request Req
	response Resp
}
framing { size u16(0) + 2; min 3; max 1000 }
enum Kind : u16be [doc = "kinds"] { b = 2 "Bee"; a = 1; c = 3 "Sea" }
struct Req [doc = "a request", summary = "req {kind}"] {
	len  u16 [doc = "length", ws = "tst.len", base = hex]
	kind Kind
	v    u32
	w    u32be [base = bin]
	x    s16le [base = dec]
	f    f32
	c    bool = true
}
struct Resp { len u16; rest []byte [wireshark = "tst.rest"] }
`
	p := mustCompile(t, src)
	if p.Name != "test" || p.Title != "Test Protocol" || p.Description != "for tests" || p.Wireshark != "tst" ||
		p.Transport != "tcp" || p.Endian != LittleEndian || p.File != "t.dsl" {
		t.Errorf("protocol: %+v", *p)
	}
	if len(p.Ports) != 2 || p.Ports[0] != 7000 || p.Ports[1] != 7001 {
		t.Errorf("ports %v", p.Ports)
	}
	if p.Framing == nil || p.Framing.Min != 3 || p.Framing.Max != 1000 || p.Framing.Size == nil {
		t.Errorf("framing %+v", p.Framing)
	}
	if p.Request == nil || p.Request.Name != "Req" || p.Response == nil || p.Response.Name != "Resp" {
		t.Fatalf("roots %v %v", p.Request, p.Response)
	}
	if len(p.Structs) != 2 || p.Structs[0] != p.Request || p.Structs[1] != p.Response {
		t.Errorf("structs %v", p.Structs)
	}
	if len(p.Enums) != 1 {
		t.Fatalf("enums %v", p.Enums)
	}
	e := p.Enums[0]
	if e.Name != "Kind" || e.Doc != "kinds" || len(e.Members) != 3 {
		t.Fatalf("enum %+v", e)
	}
	// Sorted by value; the label defaults to the name.
	wantMembers := []EnumMember{{"a", "a", 1}, {"b", "Bee", 2}, {"c", "Sea", 3}}
	for i, m := range e.Members {
		if m != wantMembers[i] {
			t.Errorf("member %d: %+v, want %+v", i, m, wantMembers[i])
		}
	}
	for v, want := range map[int64]string{0: "", 1: "a", 2: "b", 3: "c", 4: ""} {
		m, ok := e.Lookup(v)
		if ok != (want != "") || ok && m.Name != want {
			t.Errorf("Lookup(%d) = %v, %v", v, m, ok)
		}
	}
	r := p.Request
	if r.Doc != "a request" || r.Summary == nil || len(r.Summary.Parts) != 2 ||
		r.Summary.Parts[0].Text != "req " || r.Summary.Parts[0].Path != nil ||
		r.Summary.Parts[1].Text != "kind" || len(r.Summary.Parts[1].Path) != 1 || r.Summary.Parts[1].Path[0] != 1 {
		t.Errorf("struct Req: %+v %+v", r, r.Summary)
	}
	type fieldWant struct {
		name, typ string
		kind      Kind
		size      int
		endian    Endian
		base      Base
	}
	fields := []fieldWant{
		{"len", "u16", KindUint, 2, LittleEndian, BaseHex},
		{"kind", "Kind", KindUint, 2, BigEndian, BaseDec},
		{"v", "u32", KindUint, 4, LittleEndian, BaseDec},
		{"w", "u32be", KindUint, 4, BigEndian, BaseBin},
		{"x", "s16le", KindInt, 2, LittleEndian, BaseDec},
		{"f", "f32", KindFloat, 4, LittleEndian, BaseDec},
		{"c", "bool", KindBool, 1, LittleEndian, BaseDec},
	}
	if len(r.Fields) != len(fields) {
		t.Fatalf("%d fields", len(r.Fields))
	}
	for i, w := range fields {
		f := r.Fields[i]
		if f.Name != w.name || f.Slot != i || f.Type.Name != w.typ || f.Type.Kind != w.kind ||
			f.Type.Size != w.size || f.Type.Endian != w.endian || f.Base != w.base {
			t.Errorf("field %d: %+v type %+v, want %+v", i, f, f.Type, w)
		}
	}
	if r.Fields[0].Doc != "length" || r.Fields[0].Wireshark != "tst.len" {
		t.Errorf("field attributes: %+v", r.Fields[0])
	}
	if r.Fields[1].Type.Enum != e {
		t.Errorf("enum field type %+v", r.Fields[1].Type)
	}
	if c := r.Fields[6]; c.Expect == nil || c.ExpectSrc != "true" {
		t.Errorf("expected value: %+v", c)
	}
	rest := p.Response.Fields[1]
	if rest.Type.Kind != KindBytes || rest.Type.Len != nil || rest.Wireshark != "tst.rest" {
		t.Errorf("rest: %+v %+v", rest, rest.Type)
	}
	// A struct's Type is shared by every use of the struct.
	if p.Request.Type == nil || p.Request.Type.Struct != p.Request || p.Request.Type.Kind != KindStruct {
		t.Errorf("struct type %+v", p.Request.Type)
	}
	// title defaults to the name; transport to tcp; endian to big.
	q := mustCompile(t, "protocol q { message M }\nframing { size 1 }\nstruct M { a u16 }")
	if q.Title != "q" || q.Transport != "tcp" || q.Endian != BigEndian || q.Request != q.Response ||
		q.Request.Fields[0].Type.Endian != BigEndian {
		t.Errorf("defaults: %+v", q)
	}
	if q.Framing.Min != 1 || q.Framing.Max != 1<<20 {
		t.Errorf("default framing limits: %+v", q.Framing)
	}
	if u := mustCompile(t, udp+"struct M { a u8 }"); u.Framing != nil || u.Transport != "udp" {
		t.Errorf("udp: %+v", u)
	}
}

func TestPrimitive(t *testing.T) {
	tests := []struct {
		name   string
		ok     bool
		kind   Kind
		size   int
		endian Endian
	}{
		{"u8", true, KindUint, 1, BigEndian},
		{"u16", true, KindUint, 2, BigEndian},
		{"u24", true, KindUint, 3, BigEndian},
		{"u32le", true, KindUint, 4, LittleEndian},
		{"u40", true, KindUint, 5, BigEndian},
		{"u64be", true, KindUint, 8, BigEndian},
		{"s8", true, KindInt, 1, BigEndian},
		{"i16le", true, KindInt, 2, LittleEndian},
		{"s24", true, KindInt, 3, BigEndian},
		{"i64", true, KindInt, 8, BigEndian},
		{"f32", true, KindFloat, 4, BigEndian},
		{"f64le", true, KindFloat, 8, LittleEndian},
		{"bool", true, KindBool, 1, BigEndian},
		{"u7", false, 0, 0, 0},
		{"u0", false, 0, 0, 0},
		{"u08", false, 0, 0, 0},
		{"u72", false, 0, 0, 0},
		{"u", false, 0, 0, 0},
		{"ule", false, 0, 0, 0},
		{"le", false, 0, 0, 0},
		{"f16", false, 0, 0, 0},
		{"x8", false, 0, 0, 0},
		{"boolle", false, 0, 0, 0},
		{"byte", false, 0, 0, 0},
		{"u8x", false, 0, 0, 0},
		{"", false, 0, 0, 0},
	}
	for _, tt := range tests {
		typ, ok := builtinType(tt.name, BigEndian)
		if ok != tt.ok {
			t.Errorf("builtinType(%q) ok = %v", tt.name, ok)
			continue
		}
		if ok && (typ.Kind != tt.kind || typ.Size != tt.size || typ.Endian != tt.endian || typ.Name != tt.name) {
			t.Errorf("builtinType(%q) = %+v", tt.name, *typ)
		}
	}
	if typ, _ := builtinType("u16", LittleEndian); typ.Endian != LittleEndian {
		t.Error("default byte order not used")
	}
	if BigEndian.String() != "big" || LittleEndian.String() != "little" {
		t.Error("Endian.String")
	}
}

// Constant expressions: the parser's precedence and the evaluator agree
// with Go's for the operators they share.
func TestConstExpressions(t *testing.T) {
	tests := []struct {
		src  string
		want int64
	}{
		{"1 + 2 * 3", 7},
		{"(1 + 2) * 3", 9},
		{"10 - 2 - 3", 5},
		{"7 / 2", 3},
		{"-7 / 2", -3},
		{"-7 % 3", -1},
		{"7 % -3", 1},
		{"-9223372036854775807 - 1", -1 << 63},
		{"(-9223372036854775807 - 1) / -1", -1 << 63},
		{"(-9223372036854775807 - 1) % -1", 0},
		{"0xffffffffffffffff", -1},
		{"9223372036854775807 + 1", -1 << 63},
		{"1 << 63", -1 << 63},
		{"-1 >> 60", 15},
		{"1 << 2 + 1", 5},
		{"6 & 3 | 8", 10},
		{"6 ^ 3", 5},
		{"~0", -1},
		{"!0", 1},
		{"!5", 0},
		{"+5", 5},
		{"--5", 5},
		{"3 < 4", 1},
		{"4 < 3", 0},
		{"3 <= 3", 1},
		{"3 > 3", 0},
		{"3 >= 3", 1},
		{"3 == 3", 1},
		{"3 != 3", 0},
		{"1 && 2", 1},
		{"1 && 0", 0},
		{"0 || 0", 0},
		{"0 || 7", 1},
		{"0 && 1 / 0", 0},    // short-circuit: no division by zero
		{"1 || 1 / 0", 1},    // short-circuit
		{"1 ? 2 : 1 / 0", 2}, // only the chosen branch runs
		{"0 ? 1 / 0 : 3", 3},
		{"true + true", 2},
		{"false", 0},
		{"1 ? 2 : 3 ? 4 : 5", 2},
		{"0 ? 2 : 0 ? 4 : 5", 5},
		{"1 < 2 == 1", 1},
		{"2 + 3 == 5 && 1 | 2 == 3", 1},
	}
	for _, tt := range tests {
		p, errs := Compile("c.dsl", []byte(udp+"enum E : u64 { x = "+tt.src+" }\nstruct M { e E }"))
		if p == nil {
			t.Errorf("%s: %v", tt.src, errs)
			continue
		}
		if got := p.Enums[0].Members[0].Value; got != tt.want {
			t.Errorf("%s = %d, want %d", tt.src, got, tt.want)
		}
	}
}
