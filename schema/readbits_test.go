package schema

import "testing"

// readBits, which gathers the bytes into a word, reads what reading one
// bit at a time reads, for every start bit, width and bit order.
func TestReadBitsWord(t *testing.T) {
	data := []byte{0xa5, 0x3c, 0xff, 0x01, 0x80, 0x7e, 0x5a, 0xc3, 0x96, 0x69}
	for _, lsb := range []bool{false, true} {
		for bit := 0; bit < 8; bit++ {
			for n := 0; n <= 64 && bit+n <= 8*len(data); n++ {
				for start := 0; start+(bit+n+7)/8 <= len(data); start++ {
					b := data[start:]
					if got, want := readBits(b, bit, n, lsb), readBitsSlow(b, bit, n, lsb); got != want {
						t.Fatalf("lsb %v, bit %d, width %d, byte %d: %#x, want %#x", lsb, bit, n, start, got, want)
					}
				}
			}
		}
	}
}
