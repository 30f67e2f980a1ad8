package syntax

import (
	"errors"
	"testing"
)

func TestSourcePosition(t *testing.T) {
	s := NewSource("f.dsl", []byte("ab\ncd\r\n\nlast"))
	tests := []struct {
		pos  Pos
		want string
	}{
		{0, "f.dsl:1:1"},
		{1, "f.dsl:1:2"},
		{2, "f.dsl:1:3"}, // the newline itself
		{3, "f.dsl:2:1"},
		{5, "f.dsl:2:3"}, // '\r'
		{7, "f.dsl:3:1"},
		{8, "f.dsl:4:1"},
		{11, "f.dsl:4:4"},
		{12, "f.dsl:4:5"}, // end of file
		{NoPos, "f.dsl"},
	}
	for _, tt := range tests {
		if got := s.Position(tt.pos).String(); got != tt.want {
			t.Errorf("Position(%d) = %s, want %s", tt.pos, got, tt.want)
		}
	}
	lines := map[int]string{0: "", 1: "ab", 2: "cd", 3: "", 4: "last", 5: "", -1: ""}
	for n, want := range lines {
		if got := s.LineText(n); got != want {
			t.Errorf("LineText(%d) = %q, want %q", n, got, want)
		}
	}
	empty := NewSource("e", nil)
	if got := empty.Position(0).String(); got != "e:1:1" {
		t.Errorf("empty source: %s", got)
	}
	if got := empty.LineText(1); got != "" {
		t.Errorf("empty source line: %q", got)
	}
	// A file ending in a newline has an empty last line.
	nl := NewSource("n", []byte("x\n"))
	if got := nl.Position(2).String(); got != "n:2:1" {
		t.Errorf("after final newline: %s", got)
	}
	if got := nl.LineText(2); got != "" {
		t.Errorf("LineText after final newline: %q", got)
	}
}

func TestErrorFormat(t *testing.T) {
	src := NewSource("m.dsl", []byte("struct A {\n\tx  u9\n}\nlong"))
	var l ErrorList
	l.Add(src, 15, false, "unknown type %s", "u9")
	l.Add(src, 0, true, "struct %s is never used", "A")
	l.Add(src, 30, false, "past the end")
	l.Add(src, NoPos, false, "no position")
	want := []string{
		"m.dsl:2:5: unknown type u9\n" +
			"     x  u9\n" +
			"        ^",
		"m.dsl:1:1: warning: struct A is never used\n" +
			"    struct A {\n" +
			"    ^",
		// Positions past the end clamp to the last line.
		"m.dsl:4:11: past the end\n" +
			"    long\n" +
			"        ^",
		"m.dsl: no position",
	}
	for i, e := range l {
		if got := e.Error(); got != want[i] {
			t.Errorf("error %d:\n got: %q\nwant: %q", i, got, want[i])
		}
	}
	if l[0].Line != "\tx  u9" || l[0].Pos != (Position{"m.dsl", 2, 5}) || l[0].Msg != "unknown type u9" || l[0].Warning {
		t.Errorf("fields: %+v", *l[0])
	}
}

func TestErrorListSortAndFilter(t *testing.T) {
	a := NewSource("a.dsl", []byte("x\ny y y\n"))
	b := NewSource("b.dsl", []byte("z\n"))
	var l ErrorList
	if l.Err() != nil {
		t.Fatal("empty list: Err() != nil")
	}
	if l.Error() != "" {
		t.Fatalf("empty list: %q", l.Error())
	}
	l.Add(b, 0, false, "b1")
	l.Add(a, 6, false, "a2c5")
	l.Add(a, 2, true, "a2c1w")
	l.Add(a, 0, false, "a1")
	l.Add(a, 2, false, "a2c1") // same position: stable order
	l.Add(a, 4, true, "a2c3w")
	l.Sort()
	var got []string
	for _, e := range l {
		got = append(got, e.Msg)
	}
	want := []string{"a1", "a2c1w", "a2c1", "a2c3w", "a2c5", "b1"}
	if len(got) != len(want) {
		t.Fatalf("sorted: %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("sorted: %v, want %v", got, want)
		}
	}
	errs, warns := l.Errors(), l.Warnings()
	if len(errs) != 4 || len(warns) != 2 {
		t.Fatalf("Errors %d, Warnings %d", len(errs), len(warns))
	}
	for _, e := range errs {
		if e.Warning {
			t.Errorf("Errors() holds a warning: %v", e)
		}
	}
	for _, e := range warns {
		if !e.Warning {
			t.Errorf("Warnings() holds an error: %v", e)
		}
	}
	err := l.Err()
	if err == nil {
		t.Fatal("Err() = nil with errors")
	}
	var el ErrorList
	if !errors.As(err, &el) || len(el) != 6 {
		t.Fatalf("Err() is %T with %d entries", err, len(el))
	}
	wantText := "a.dsl:1:1: a1\n    x\n    ^\n" +
		"a.dsl:2:1: warning: a2c1w\n    y y y\n    ^\n" +
		"a.dsl:2:1: a2c1\n    y y y\n    ^\n" +
		"a.dsl:2:3: warning: a2c3w\n    y y y\n      ^\n" +
		"a.dsl:2:5: a2c5\n    y y y\n        ^\n" +
		"b.dsl:1:1: b1\n    z\n    ^\n" +
		"4 errors"
	if got := l.Error(); got != wantText {
		t.Errorf("Error():\n%s\nwant:\n%s", got, wantText)
	}

	// Only warnings: no error, and no count line.
	w := ErrorList{{Pos: Position{"w", 1, 1}, Msg: "w", Warning: true}}
	if w.Err() != nil {
		t.Error("warnings only: Err() != nil")
	}
	if got := w.Error(); got != "w:1:1: warning: w" {
		t.Errorf("warnings only: %q", got)
	}
	// One error: no count line either.
	one := ErrorList{{Pos: Position{"o", 2, 3}, Msg: "bad"}}
	if got := one.Err().Error(); got != "o:2:3: bad" {
		t.Errorf("one error: %q", got)
	}
}
