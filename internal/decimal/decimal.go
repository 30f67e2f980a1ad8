// Package decimal writes integers in decimal, as strconv.AppendUint and
// strconv.AppendInt do, faster for the small values that fill decoded
// frames (counts, lengths, ports, registers) and records (packet numbers):
// below 100,000,000 the digits are written in pairs from a table, with no
// loop.
package decimal

import (
	"math/bits"
	"strconv"
)

// pairs holds the two digits of 00 to 99.
const pairs = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"

// WordLimit bounds the values Word writes.
const WordLimit = 100_000_000

// Word returns the decimal digits of v, below WordLimit, as a word to
// store little-endian (the first digit in the low byte; the bytes past
// the digits are of no use), and how many digits there are: a caller
// with eight bytes of room writes any such value with one store, no
// table and no branch on its length (it is inlined).
//
// The digits are found in parallel in the word's lanes, by
// multiplications that stand for exact divisions in their range: the
// two halves of four digits in 32-bit lanes, split by 100 into 16-bit
// lanes, split by 10 into bytes.
func Word(v uint64) (w uint64, n int) {
	x := v/10000 | (v%10000)<<32                // 0..9999 in each 32-bit lane
	q := (x * 10486 >> 20) & 0x0000007F0000007F // lane / 100, exact below 43,699
	x = q | (x-q*100)<<16                       // 0..99 in each 16-bit lane
	t := (x * 103 >> 10) & 0x000F000F000F000F   // lane / 10, exact below 179
	x = t | (x-t*10)<<8                         // one digit a byte, the first lowest
	z := bits.TrailingZeros64(x|1<<56) &^ 7     // 8 × the leading zeros, keeping the last digit
	return (x | 0x3030303030303030) >> z, 8 - z>>3
}

// AppendUint appends v in decimal, as strconv.AppendUint(b, v, 10) does.
func AppendUint(b []byte, v uint64) []byte {
	switch {
	case v < 10:
		return append(b, byte('0'+v))
	case v < 100:
		return append(b, pairs[2*v], pairs[2*v+1])
	case v < 1000:
		hi, lo := v/100, v%100
		return append(b, byte('0'+hi), pairs[2*lo], pairs[2*lo+1])
	case v < 10000:
		hi, lo := v/100, v%100
		return append(b, pairs[2*hi], pairs[2*hi+1], pairs[2*lo], pairs[2*lo+1])
	case v < 100000:
		hi, mid, lo := v/10000, v/100%100, v%100
		return append(b, byte('0'+hi), pairs[2*mid], pairs[2*mid+1], pairs[2*lo], pairs[2*lo+1])
	case v < 100000000:
		// Packet numbers and offsets: the top 2 to 4 digits, then four.
		hi, lo := v/10000, v%10000
		if hi < 100 {
			b = append(b, pairs[2*hi], pairs[2*hi+1])
		} else {
			h1, h2 := hi/100, hi%100
			if h1 >= 10 {
				b = append(b, pairs[2*h1])
			}
			b = append(b, pairs[2*h1+1], pairs[2*h2], pairs[2*h2+1])
		}
		l1, l2 := lo/100, lo%100
		return append(b, pairs[2*l1], pairs[2*l1+1], pairs[2*l2], pairs[2*l2+1])
	}
	return strconv.AppendUint(b, v, 10)
}

// AppendInt appends v in decimal, as strconv.AppendInt(b, v, 10) does.
func AppendInt(b []byte, v int64) []byte {
	if v >= 0 {
		return AppendUint(b, uint64(v))
	}
	return strconv.AppendInt(b, v, 10)
}
