package decimal

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// AppendUint and AppendInt write what strconv writes: every value up to
// a million, the edges of each digit count, the extremes and random
// values, after a prefix that must stay.
func TestSameAsStrconv(t *testing.T) {
	var vals []uint64
	for v := uint64(0); v <= 1_000_000; v++ {
		vals = append(vals, v)
	}
	for v := uint64(1_000_000); v < 100_000_000; v += 997 {
		vals = append(vals, v)
	}
	for p := uint64(10); p < math.MaxUint64/10; p *= 10 {
		vals = append(vals, p-1, p, p+1)
	}
	vals = append(vals, math.MaxUint64, math.MaxUint64-1, math.MaxInt64, math.MaxInt64+1)
	rng := rand.New(rand.NewPCG(1, 2)) // fixed: the test is deterministic
	for range 100000 {
		vals = append(vals, rng.Uint64()>>rng.IntN(64))
	}
	for _, v := range vals {
		if got, want := string(AppendUint([]byte("x"), v)), "x"+strconv.FormatUint(v, 10); got != want {
			t.Fatalf("AppendUint(%d) = %s, want %s", v, got, want)
		}
		for _, i := range []int64{int64(v), -int64(v)} {
			if got, want := string(AppendInt([]byte("x"), i)), "x"+strconv.FormatInt(i, 10); got != want {
				t.Fatalf("AppendInt(%d) = %s, want %s", i, got, want)
			}
		}
	}
	if got := string(AppendInt(nil, math.MinInt64)); got != strconv.FormatInt(math.MinInt64, 10) {
		t.Errorf("AppendInt(MinInt64) = %s", got)
	}
}

// Put writes the digits of every value below ten million, of every 7th
// above up to PutLimit, and of the edges of each digit count, and nothing
// from PutLimit up.
func TestPut(t *testing.T) {
	check := func(v uint64) {
		var b [8]byte
		n := Put(&b, v)
		if got, want := string(b[:n]), strconv.FormatUint(v, 10); got != want {
			t.Fatalf("Put(%d) = %q, want %q", v, got, want)
		}
	}
	for v := uint64(0); v < 10_000_000; v++ {
		check(v)
	}
	for v := uint64(10_000_000); v < PutLimit; v += 7 {
		check(v)
	}
	for p := uint64(10); p <= PutLimit; p *= 10 {
		check(p - 1)
		if p < PutLimit {
			check(p)
			check(p + 1)
		}
	}
	for _, v := range []uint64{PutLimit, PutLimit + 1, 1<<64 - 1} {
		var b [8]byte
		if n := Put(&b, v); n != 0 || b != [8]byte{} {
			t.Errorf("Put(%d) wrote %q (%d digits), want nothing", v, b, n)
		}
	}
}

// benchValues are what frames hold: mostly small values, some registers.
var benchValues = func() []uint64 {
	rng := rand.New(rand.NewPCG(3, 4))
	v := make([]uint64, 1024)
	for i := range v {
		v[i] = []uint64{10, 300, 3000, 65536}[i%4]
		v[i] = rng.Uint64N(v[i])
	}
	return v
}()

func BenchmarkAppendUint(b *testing.B) {
	buf := make([]byte, 0, 32)
	for i := 0; i < b.N; i++ {
		buf = AppendUint(buf[:0], benchValues[i&1023])
	}
}

func BenchmarkStrconvAppendUint(b *testing.B) {
	buf := make([]byte, 0, 32)
	for i := 0; i < b.N; i++ {
		buf = strconv.AppendUint(buf[:0], benchValues[i&1023], 10)
	}
}

func BenchmarkPut(b *testing.B) {
	var p [8]byte
	n := 0
	for i := 0; i < b.N; i++ {
		n += Put(&p, benchValues[i&1023])
	}
	_ = n
}
