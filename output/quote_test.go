package output

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/schema"
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
		// quoteAfter, the same text after an opening quote.
		b := append(append([]byte(nil), prefix...), '"')
		got = string(quoteAfter(append(b, s...), len(b)))
		if got != want {
			t.Errorf("quoteAfter %q: got %s, want %s", s, got, want)
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

// The timestamp cache writes what appendTimestamp writes, whether the
// second changes or not, for years it cannot cache, and after them, with
// room in the buffer for its word stores or not.
func TestTimeCache(t *testing.T) {
	base := time.Date(2024, 2, 29, 23, 59, 58, 999999999, time.UTC)
	times := []time.Time{
		base, base.Add(time.Nanosecond), base.Add(time.Microsecond), base.Add(time.Second),
		base.Add(2 * time.Second), base.Add(2*time.Second + 1500*time.Microsecond),
		time.Date(10000, 1, 1, 0, 0, 0, 5000, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 7000, time.UTC),
		{}, base.In(time.FixedZone("x", -7200)), base.Add(-24 * time.Hour), time.Unix(0, 0), time.Unix(-1, 999_000),
	}
	var c timeCache
	for _, ts := range times {
		want := string(appendTimestamp(nil, ts))
		if got := string(c.append([]byte("x"), ts)); got != "x"+want {
			t.Errorf("%v: cache wrote %s, want x%s", ts, got, want)
		}
		// With room for the prefix and the word after it.
		if got := string(c.append(append(make([]byte, 0, 64), 'x'), ts)); got != "x"+want {
			t.Errorf("%v: cache wrote %s with room, want x%s", ts, got, want)
		}
	}
}

// A key cache shared by both namings writes the keys that are written
// without one, whichever naming came before.
func TestKeyCache(t *testing.T) {
	r := frameRecord(t, dissectors.ClientToServer, request, 4, 0)
	var keys keyCache
	for _, ws := range []bool{false, true, true, false, true} {
		opts := JSONOptions{WiresharkNames: ws}
		want := string(appendRecordJSON(nil, r, opts, nil, nil, nil))
		if got := string(appendRecordJSON(nil, r, opts, nil, nil, &keys)); got != want {
			t.Errorf("ws %v: with the cache\n%s\nwant\n%s", ws, got, want)
		}
	}
}

// appendMillis writes what formatting the float of the milliseconds
// writes.
func TestAppendMillis(t *testing.T) {
	vals := []int64{0, 1, 9, 10, 999, 1000, 123456, 999999, 1000000, 1000001, 1500000, 12345678901,
		999999999999999, 1e15, 1e15 + 7, -1, -1500000, -999999999999999, -1e15, 1<<62 + 12345}
	for x := int64(1); x < 1e15; x = x*7 + 3 {
		vals = append(vals, x, -x)
	}
	rng := rand.New(rand.NewPCG(1, 2)) // fixed: the test is deterministic
	for range 20000 {
		x := rng.Int64N(int64(1e15)) >> rng.IntN(50)
		vals = append(vals, x, -x)
	}
	for _, ns := range vals {
		want := string(strconv.AppendFloat(nil, float64(ns)/1e6, 'f', -1, 64))
		if got := string(appendMillis(nil, ns)); got != want {
			t.Errorf("%d ns: %s, want %s", ns, got, want)
		}
		// With room for a whole word after a prefix, which stays.
		if got := string(appendMillis(append(make([]byte, 0, 64), 'x'), ns)); got != "x"+want {
			t.Errorf("%d ns with room: %s, want x%s", ns, got, want)
		}
	}
}

// A key entry writes the field's key with or without its comma, whether
// the key fits in the entry or not, whether the buffer has room for a
// whole entry's key or not, by name or by Wireshark name.
func TestKeyEntryKey(t *testing.T) {
	for _, n := range []int{1, fixedRoom - 4, fixedRoom - 3, fixedRoom - 2, 100} {
		fld := &schema.Field{Name: strings.Repeat("n", n), Wireshark: "ws." + strings.Repeat("w", n)}
		for _, ws := range []bool{false, true} {
			var e keyEntry
			e.fill(fld, ws)
			key := string(appendKey(nil, fld, ws))
			for _, room := range []int{0, fixedRoom - 1, fixedRoom + 1} {
				b := append(make([]byte, 0, 1+room), 'x')
				if got := string(e.appendKey(b, true)); got != "x"+key {
					t.Errorf("%d bytes, ws %v, room %d, first: %s, want x%s", n, ws, room, got, key)
				}
				if got := string(e.appendKey(b, false)); got != "x,"+key {
					t.Errorf("%d bytes, ws %v, room %d: %s, want x,%s", n, ws, room, got, key)
				}
			}
		}
	}
}

// jsonClean finds a byte jsonSafe rejects wherever it lies in an
// eight-byte block or after the last one, whatever byte it is.
func TestJSONClean(t *testing.T) {
	for n := 0; n <= 20; n++ {
		clean := []byte(strings.Repeat("aZ~ 0!", 4)[:n])
		if !jsonClean(clean) {
			t.Errorf("%q: not clean", clean)
		}
		for at := 0; at < n; at++ {
			for c := 0; c < 256; c++ {
				s := append([]byte(nil), clean...)
				s[at] = byte(c)
				if got := jsonClean(s); got != jsonSafe[c] {
					t.Fatalf("%q: clean %v, want %v", s, got, jsonSafe[c])
				}
			}
		}
	}
}
