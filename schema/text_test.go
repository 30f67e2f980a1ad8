package schema

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// appendTextByRune is appendText for ASCII and UTF-8 as it was written
// before plain runs were copied at once: rune by rune.
func appendTextByRune(buf, raw []byte, enc Encoding, quoted bool) []byte {
	for i := 0; i < len(raw); {
		c := raw[i]
		if c < utf8.RuneSelf {
			buf = appendRune(buf, rune(c), quoted)
			i++
			continue
		}
		if enc == ASCII {
			buf = appendByteEscape(buf, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && size <= 1 {
			buf = appendByteEscape(buf, c)
			i++
			continue
		}
		buf = append(buf, raw[i:i+size]...)
		i += size
	}
	return buf
}

// Copying runs of plain ASCII at once writes what escaping rune by rune
// does, for every byte value, quoted or not, in ASCII and UTF-8.
func TestAppendTextPlainRuns(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	inputs := [][]byte{nil, []byte("example"), []byte(`a"b\c`), []byte("tab\there\n"), []byte("caf\xc3\xa9"), []byte("\xff\x00\x7f\x80")}
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	inputs = append(inputs, all)
	for range 2000 {
		b := make([]byte, rng.IntN(24))
		for i := range b {
			if rng.IntN(4) == 0 {
				b[i] = byte(rng.IntN(256))
			} else {
				b[i] = byte(0x20 + rng.IntN(0x5f))
			}
		}
		inputs = append(inputs, b)
	}
	for _, raw := range inputs {
		for _, enc := range []Encoding{ASCII, UTF8} {
			for _, quoted := range []bool{false, true} {
				got := appendText([]byte("x"), raw, enc, quoted)
				want := appendTextByRune([]byte("x"), raw, enc, quoted)
				if !bytes.Equal(got, want) {
					t.Fatalf("%q (encoding %v, quoted %v): %q, want %q", raw, enc, quoted, got, want)
				}
			}
		}
	}
}
