package schema

import (
	"strings"
	"testing"
)

// [trim = nul] ends fixed-size text at its first NUL character: every view
// (display, summary, comparisons) sees the text before it, while the field
// still covers all its bytes.
func TestTrimNul(t *testing.T) {
	p := mustCompile(t, udp+`struct M [summary = "{name:text}|{wide}|{names:join(,)}|{after}|{same}"] {
    name  [8]ascii [trim = nul]
    wide  [6]utf16le [trim = nul]
    names [2][3]latin1 [trim = nul]
    after u8
    let same = name == "ab"
}`)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"padded", []byte("ab\x00\x00\x00\x00\x00\x00a\x00b\x00\x00\x00x\x00\x00yz\x00\x07"),
			`ab|"ab"|x,yz|7|1`},
		{"full", []byte("abcdefghA\x00B\x00C\x00xyzuvw\x07"), `abcdefgh|"ABC"|xyz,uvw|7|0`},
		{"empty", []byte("\x00bcdefgh\x00\x00A\x00\x00\x00\x00\x00\x00\x00\x00\x00\x07"), `|""||7|0`},
		{"garbage after the nul stays out", []byte("ab\x00\xff\xfe\x01\x02\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x09"), `ab|""||9|1`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var f Frame
			Decode(p.Request, tc.data, &f, Limits{})
			if f.Err != nil {
				t.Fatalf("decode: %v", f.Err)
			}
			if got := string(f.AppendSummary(nil)); got != tc.want {
				t.Errorf("summary %q, want %q", got, tc.want)
			}
			if n := f.Nodes[1]; n.Len != 8 {
				t.Errorf("name covers %d bytes, want all 8", n.Len)
			}
		})
	}
}

// On a switch, trim applies to the case that is text.
func TestTrimNulSwitch(t *testing.T) {
	p := mustCompile(t, udp+`struct M [summary = "{id}"] {
    kind u8
    id switch kind { case 1: [4]ascii  default: u32 } [trim = nul]
}`)
	for _, tc := range []struct {
		data []byte
		want string
	}{
		{[]byte("\x01GPS\x00"), `"GPS"`},
		{[]byte("\x01LOCL"), `"LOCL"`},
		{[]byte{0, 0, 0, 0, 7}, "7"},
	} {
		var f Frame
		Decode(p.Request, tc.data, &f, Limits{})
		if got := string(f.AppendSummary(nil)); got != tc.want {
			t.Errorf("% x: summary %q, want %q (err %v)", tc.data, got, tc.want, f.Err)
		}
	}
}

func TestTrimErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{`struct M { a u16 [trim = nul] }`, "trim = nul applies to text; a is u16"},
		{`struct M { a [4]byte [trim = nul] }`, "trim = nul applies to text; a is"},
		{`struct M { a [4]ascii [trim = space] }`, `unknown trim "space"; expected nul`},
		{`struct M { k u8; a switch k { case 1: u8 default: [2]byte } [trim = nul] }`, "trim = nul applies to text; a is"},
	}
	for _, tc := range tests {
		_, errs := Compile("t.dsl", []byte(udp+tc.src))
		if got := strings.Join(diags(errs), "\n"); !strings.Contains(got, tc.want) {
			t.Errorf("%s: diagnostics %q, want %q", tc.src, got, tc.want)
		}
	}
}

// {PREFIX|field|SUFFIX} writes the text around a value only when the value
// shows something, and {array?} shows nothing for an empty array.
func TestSummaryPrefixAndEmptyArray(t *testing.T) {
	p := mustCompile(t, udp+`struct M [summary = "Msg{, items: |items:list?}{ [|extra?|]}{ count |items?}{ all |items}{; tag=|tag?}"] {
    n     u8
    items [n]u8
    extra u8 [if = remaining() > 1]
    tag   [remaining()]ascii
}`)
	tests := []struct {
		data []byte
		want string
	}{
		{[]byte{0}, `Msg all 0 items; tag=""`},
		{[]byte{2, 7, 8}, `Msg, items: 7, 8 count 2 items all 2 items; tag=""`},
		{[]byte{1, 7, 9, 'x'}, `Msg, items: 7 [9] count 1 item all 1 item; tag="x"`},
	}
	for _, tc := range tests {
		var f Frame
		Decode(p.Request, tc.data, &f, Limits{})
		if got := string(f.AppendSummary(nil)); got != tc.want {
			t.Errorf("% x: summary %q, want %q (err %v)", tc.data, got, tc.want, f.Err)
		}
	}
	_, errs := Compile("t.dsl", []byte(udp+`struct M [summary = "{a|b|c|d}"] { b u8 }`))
	if got := strings.Join(diags(errs), "\n"); !strings.Contains(got, "at most PREFIX|field|SUFFIX") {
		t.Errorf("diagnostics %q, want a prefix syntax error", got)
	}
}
