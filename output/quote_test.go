package output

import (
	"strings"
	"testing"
)

// quoteInPlace must write what appendString writes, for every kind of
// byte, without allocating once the buffer is large enough.
func TestQuoteInPlace(t *testing.T) {
	for _, s := range []string{
		"", "plain", `"example"."com"`, `back\slash`, "tab\there\nnew\rline",
		"\x00\x01\x1f\x7f", "héllo wörld ✓", "bad \xff utf8 \xc3", strings.Repeat(`"\`, 100),
		"\xff\xff\xff\xff", "mixed \"q\" \x02 é \xfe end",
	} {
		prefix := []byte(`{"x":`)
		want := string(appendString(append([]byte(nil), prefix...), s))
		got := string(quoteInPlace(append(append([]byte(nil), prefix...), s...), len(prefix)))
		if got != want {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	}
	buf := make([]byte, 0, 4096)
	text := `"example"."com" é` + "\x01"
	if n := testing.AllocsPerRun(100, func() {
		b := append(buf[:0], "prefix"...)
		b = append(b, text...)
		buf = quoteInPlace(b, 6)
	}); n != 0 {
		t.Errorf("%v allocations per call", n)
	}
}
