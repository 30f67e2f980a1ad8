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

// {array.field:join(SEP)} joins one field of each element: elements
// without it (a switch case or an [if] that left it out) and elements whose
// field shows nothing are left out, with no separator.
func TestSummaryJoinElementField(t *testing.T) {
	p := mustCompile(t, udp+`struct M [summary = "{n}:{items.info:join(, )}|{items.v.x:join(+)}"] {
	n     u8
	items [n]Item
}
struct Item [summary = "item {kind}"] {
	kind u8
	info Info [if = kind == 1]
	v    struct { x u8 }
}
struct Info [summary = "{name:text}"] { len u8; name [len]ascii }
`)
	tests := []struct {
		data []byte
		want string
	}{
		{[]byte{3, 1, 1, 'a', 5, 0, 6, 1, 2, 'b', 'c', 7}, `3:a, bc|5+6+7`},
		{[]byte{2, 0, 5, 1, 0, 6}, `2:|5+6`}, // the second info shows nothing
		{[]byte{0}, `0:|`},
	}
	var f Frame
	for _, tt := range tests {
		Decode(p.Request, tt.data, &f, Limits{})
		if f.Err != nil {
			t.Fatalf("% x: %v", tt.data, f.Err)
		}
		if got := string(f.AppendSummary(nil)); got != tt.want {
			t.Errorf("% x: summary %q, want %q", tt.data, got, tt.want)
		}
	}
	_, errs := Compile("t.dsl", []byte(udp+`struct M [summary = "{items.nope:join(,)}"] { items [1]Item }
struct Item { kind u8 }`))
	if got := diags(errs); len(got) != 1 || got[0] != "2:21: summary: {items.nope} does not name a field of M" {
		t.Errorf("diagnostics %q", got)
	}
}
