package schema

import (
	"strings"
	"testing"
)

// Text comparisons: a text or bytes field compared with a string, in
// expressions and as the tag of a switch.

func TestTextComparisons(t *testing.T) {
	const event = `struct M {
		n u8
		kind [n]ascii
		is_topo let = kind == "TOPOLOGY_CHANGE"
		not_status let = "STATUS_CHANGE" != kind
		extra u8 [if = kind == "SCHEMA_CHANGE"]
	}`
	src := strings.Replace(event, "is_topo let =", "let is_topo =", 1)
	src = strings.Replace(src, "not_status let =", "let not_status =", 1)
	runFeatureCases(t, []featureCase{
		{name: "equal text", src: src,
			data:   append([]byte{15}, "TOPOLOGY_CHANGE"...),
			fields: []string{"is_topo=1", "not_status=1"}, absent: []string{"extra"}},
		{name: "same length, other text", src: src,
			data:   append([]byte{15}, "TOPOLOGY_CHANGF"...),
			fields: []string{"is_topo=0", "not_status=1"}, absent: []string{"extra"}},
		{name: "a prefix is not equal", src: src,
			data:   append([]byte{8}, "TOPOLOGY"...),
			fields: []string{"is_topo=0"}},
		{name: "an if on text", src: src,
			data:   append(append([]byte{13}, "SCHEMA_CHANGE"...), 7),
			fields: []string{"extra=7", "not_status=1"}},
		{name: "not equal is false on the same text", src: src,
			data:   append([]byte{13}, "STATUS_CHANGE"...),
			fields: []string{"not_status=0", "is_topo=0"}},
		{name: "bytes with escapes",
			src:    `struct M { magic [8]byte; let amqp = magic == "AMQP\x00\x00\x09\x01" }`,
			data:   []byte("AMQP\x00\x00\x09\x01"),
			fields: []string{"amqp=1"}},
		{name: "bytes differing in the last byte",
			src:    `struct M { magic [8]byte; let amqp = magic == "AMQP\x00\x00\x09\x01" }`,
			data:   []byte("AMQP\x00\x00\x09\x02"),
			fields: []string{"amqp=0"}},
		{name: "cstring compared without its terminator",
			src:    `struct M { s [until 0]ascii; let ok = s == "abc" }`,
			data:   []byte("abc\x00"),
			fields: []string{"ok=1"}},
		{name: "utf-16le text",
			src:    `struct M { s [4]utf16le; let ok = s == "hé" }`,
			data:   []byte{'h', 0, 0xe9, 0},
			fields: []string{"ok=1"}},
		{name: "a field inside a structure",
			src:    `struct H { s [2]ascii } struct M { h H; let ok = h.s == "ok" }`,
			data:   []byte("ok"),
			fields: []string{"ok=1"}},
		{name: "text switch",
			src: `struct M { n u8; kind [n]ascii
				change switch kind {
					case "TOPOLOGY_CHANGE", "STATUS_CHANGE": u8
					case "SCHEMA_CHANGE": u16
					default: []byte
				} }`,
			data:   append(append([]byte{13}, "SCHEMA_CHANGE"...), 1, 2),
			fields: []string{"change=258"}},
		{name: "text switch, second label",
			src: `struct M { n u8; kind [n]ascii
				change switch kind { case "TOPOLOGY_CHANGE", "STATUS_CHANGE": u8; default: []byte } }`,
			data:   append(append([]byte{13}, "STATUS_CHANGE"...), 9),
			fields: []string{"change=9"}},
		{name: "text switch without a match",
			src: `struct M { n u8; kind [n]ascii
				change switch kind { case "A": u8 } }`,
			data: append([]byte{1}, 'B', 9),
			err:  `no matching case: expected a value listed in the switch, found "B"`},
		{name: "bytes switch",
			src: `struct M { magic [4]byte
				rest switch magic { case "\x89PNG": u8; case "GIF8": u16 } }`,
			data:   []byte("GIF8\x00\x05"),
			fields: []string{"rest=5"}},
	})
}

func TestTextComparisonErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"ordering", `struct M { s [1]ascii; let x = s < "a" }`,
			"2:34: a string can only be compared with == or !=, not '<'"},
		{"two strings", `struct M { a u8; let x = "a" == "a" }`,
			"2:30: two strings compared: one side must be a text or bytes field"},
		{"integer field", `struct M { a u8; let x = a == "a" }`,
			"2:26: a is u8; a string can only be compared to a text or bytes field"},
		{"computed value", `struct M { s [1]ascii; let x = len(s) == "a" }`,
			"a string can only be compared to a text or bytes field, not to a computed value"},
		{"string alone", `struct M { a u8; let x = "a" }`,
			"2:26: a string cannot be used in an expression, except compared (== or !=) with a text or bytes field"},
		{"unknown field", `struct M { a u8; let x = b == "a" }`,
			"2:26: unknown name b"},
		{"not encodable", `struct M { s [1]ascii; let x = s == "é" }`,
			`"é" cannot be written in `},
		{"integer label on a text switch", `struct M { s [1]ascii; v switch s { case 1: u8 } }`,
			"the switch is on text: its case labels are strings"},
		{"text in framing", "protocol p { transport tcp; message M }\nframing { size u8(0) == \"a\" }\nstruct M { a u8 }",
			"cannot compare text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.src
			if !strings.HasPrefix(src, "protocol") {
				src = udp + src
			}
			_, errs := Compile("t.dsl", []byte(src))
			got := strings.Join(diags(errs), "\n")
			if !strings.Contains(got, tc.want) {
				t.Errorf("diagnostics:\n%s\nwant one containing %q", got, tc.want)
			}
		})
	}
}

func TestTextSwitchDuplicateWarns(t *testing.T) {
	_, errs := Compile("t.dsl", []byte(udp+`struct M { s [1]ascii; v switch s { case "a": u8; case "a": u16 } }`))
	got := strings.Join(diags(errs), "\n")
	if !strings.Contains(got, "warning: case is unreachable: already matched by the case at t.dsl:2:") {
		t.Errorf("diagnostics:\n%s\nwant an unreachable-case warning", got)
	}
}

// A structure written in place takes its summary from its field; the
// summary of the message uses it like a named struct's.
func TestInlineStructSummary(t *testing.T) {
	p := mustCompile(t, udp+`struct M [summary = "M{h}"] {
		h struct { a u8; b u8 } [summary = " a={a} b={b}", doc = "two bytes"]
		c u8
	}`)
	var f Frame
	Decode(p.Request, []byte{1, 2, 3}, &f, Limits{})
	if f.Err != nil {
		t.Fatal(f.Err)
	}
	if got := string(f.AppendSummary(nil)); got != "M a=1 b=2" {
		t.Errorf("summary %q, want %q", got, "M a=1 b=2")
	}
	for _, tc := range []struct{ src, want string }{
		{`struct H { a u8 } struct M { h H [summary = "x"] }`, "2:35: summary is an attribute of a struct"},
		{`struct M { a u8 [summary = "x"] }`, "2:18: summary is an attribute of a struct"},
		{`struct M { a u8; let b = a [summary = "x"] }`, `2:29: unknown let attribute "summary"`},
	} {
		_, errs := Compile("t.dsl", []byte(udp+tc.src))
		if got := strings.Join(diags(errs), "\n"); !strings.Contains(got, tc.want) {
			t.Errorf("%s: diagnostics %q, want %q", tc.src, got, tc.want)
		}
	}
}
