package schema

import (
	"strings"
	"testing"
)

// Summary styles and statement words as member names, added for the
// messaging schemas (memcached has a Set command; Wireshark's Info column
// shows an opcode's label and a key without quotes).
func TestSummaryStyles(t *testing.T) {
	const src = udp + `
enum Op : u8 {
    get = 0 "Get"
    set = 1 "Set"
    pair = 2
    enum = 3 "ENUM"
}
struct M [summary = "{op:label} Request, Key: {key:text}{n:label?} ({op}, {key}, {n:label}, {op:label})"] {
    op   Op
    n    u8
    key  [n]utf8
    let is_set = op == Op.set
    body switch op { case set: u8  case pair: u16  case enum: u32  default: []byte }
    let is_enum = op == Op.enum
    protocol u8 [if = remaining() > 0]
    let p2 = protocol [if = remaining() == 0 && is_enum]
}
`
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"label and text", []byte{1, 3, 'a', '"', 'b', 7}, `Set Request, Key: a\"b3 (Set (1), "a\"b", 3, Set)`},
		{"member without label", []byte{2, 1, 'k', 0, 0}, `pair Request, Key: k1 (pair (2), "k", 1, pair)`},
		{"unknown member", []byte{9, 0}, `Unknown (9) Request, Key: 0 (Unknown (9), "", 0, Unknown (9))`},
	}
	p := mustCompile(t, src)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var f Frame
			Decode(p.Request, tc.data, &f, Limits{})
			if got := string(f.AppendSummary(nil)); got != tc.want {
				t.Errorf("summary %q, want %q (err %v)", got, tc.want, f.Err)
			}
		})
	}
}

func TestSummaryStyleErrors(t *testing.T) {
	_, errs := Compile("t.dsl", []byte(udp+`struct M [summary = "{a:upper}"] { a u8 }`))
	got := strings.Join(diags(errs), "\n")
	if !strings.Contains(got, `summary: {a:upper}: unknown style "upper" (label, text, list, first or join(SEP))`) {
		t.Errorf("diagnostics %q, want an unknown style error", got)
	}
	_, errs = Compile("t.dsl", []byte(udp+`struct M [summary = "{a:join(.}"] { a [2]u8 }`))
	if got := strings.Join(diags(errs), "\n"); !strings.Contains(got, "join takes a separator in parentheses") {
		t.Errorf("diagnostics %q, want a join syntax error", got)
	}
	// Statement words stay keywords where a field or a type is named.
	_, errs = Compile("t.dsl", []byte(udp+"struct M { set u8 }"))
	if got := strings.Join(diags(errs), "\n"); got == "" {
		t.Errorf("diagnostics %q, want set refused as a field name", got)
	}
}

func TestSummaryListStyle(t *testing.T) {
	p := mustCompile(t, udp+`struct M [summary = "Row: {values:list} ({values}{values:first})"] { n u8; values [n]V }
struct V [summary = "{text}"] { len u8; text [len]utf8 }`)
	tests := []struct {
		data []byte
		want string
	}{
		{[]byte{0}, "Row:  (0 items)"},
		{[]byte{2, 1, 'a', 0}, `Row: "a", "" (2 items"a")`},
		{append([]byte{20}, make([]byte, 20)...), `Row: "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", … (20 items"")`},
	}
	for _, tc := range tests {
		var f Frame
		Decode(p.Request, tc.data, &f, Limits{})
		if got := string(f.AppendSummary(nil)); got != tc.want {
			t.Errorf("% x: summary %q, want %q (err %v)", tc.data, got, tc.want, f.Err)
		}
	}
}

// {array:join(SEP)}: every element's display with SEP between them,
// elements that show nothing left out (a DNS name's root
// label); a structure that points elsewhere shows what it points to.
func TestSummaryJoinStyle(t *testing.T) {
	p := mustCompile(t, udp+`struct M [summary = "{name:join(.)}|{nums:join(, )}|{name:join()}"] {
    name [until last.len == 0]L
    n    u8
    nums [n]u8
}
struct L [summary = "{text:text}"] { len u8; text [len]utf8 }`)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"dotted", []byte{3, 'w', 'w', 'w', 2, 'e', 'x', 0, 2, 1, 2}, "www.ex|1, 2|wwwex"},
		{"root only", []byte{0, 0}, "||"},
		{"quote kept escaped", []byte{1, '"', 0, 1, 7}, `\"|7|\"`},
		{"many elements", append([]byte{0, 255}, make([]byte, 255)...), "||"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var f Frame
			Decode(p.Request, tc.data, &f, Limits{})
			got := string(f.AppendSummary(nil))
			if tc.name == "many elements" {
				// 255 elements: all shown, none cut.
				if n := strings.Count(got, ", "); n != 254 || strings.Contains(got, "…") {
					t.Errorf("summary has %d separators (…: %v), want 254 and no cut", n, strings.Contains(got, "…"))
				}
				return
			}
			if got != tc.want {
				t.Errorf("summary %q, want %q (err %v)", got, tc.want, f.Err)
			}
		})
	}
}
