package schema

import "testing"

// {array*} in a summary shows every element's display, one after another.
func TestSummaryJoin(t *testing.T) {
	p := mustCompile(t, udp+`struct M [summary = "{n} parts:{parts*}{none*}{nums*}."] {
	n     u8
	parts [n]Part
	none  [0]Part
	nums  [2]u8
}
struct Part [summary = " /{name}"] { len u8; name [len]ascii }
`)
	tests := []struct {
		data []byte
		want string
	}{
		{[]byte{2, 1, 'a', 2, 'b', 'c', 7, 8}, `2 parts: /"a" /"bc"78.`},
		{[]byte{0, 7, 8}, `0 parts:78.`},
		{[]byte{1, 5, 'a'}, `1 parts: /???.`}, // truncated: name, none and nums are "?"
	}
	var f Frame
	for _, tt := range tests {
		Decode(p.Request, tt.data, &f, Limits{})
		if got := string(f.AppendSummary(nil)); got != tt.want {
			t.Errorf("% x: summary %q, want %q", tt.data, got, tt.want)
		}
	}
	// The summary of an element-less array, and of one that is absent,
	// adds nothing; an unjoined array still shows its count.
	p = mustCompile(t, udp+`struct M [summary = "{xs}|{xs*}|{ys*?}"] { xs [2]u8; ys [1]u8 [if = 0] }`)
	Decode(p.Request, []byte{1, 2}, &f, Limits{})
	if got := string(f.AppendSummary(nil)); got != "2 items|12|" {
		t.Errorf("summary %q", got)
	}
}

// [format = dotted] shows any bytes in dotted decimal, in the tree and
// in summaries; it applies to byte strings only.
func TestFormatDotted(t *testing.T) {
	p := mustCompile(t, udp+`struct M [summary = "{id}"] { id [6]byte [format = dotted] }`)
	var f Frame
	Decode(p.Request, []byte{5, 1, 204, 160, 1, 1}, &f, Limits{})
	if got := string(f.AppendSummary(nil)); got != "5.1.204.160.1.1" {
		t.Errorf("summary %q", got)
	}
	_, errs := Compile("t.dsl", []byte(udp+"struct M { id u32 [format = dotted] }"))
	if got := diags(errs); len(got) != 1 || got[0] != "2:12: format dotted shows bytes in dotted decimal; id is u32" {
		t.Errorf("diagnostics %q", got)
	}
}
