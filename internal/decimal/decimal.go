// Package decimal writes integers in decimal, as strconv.AppendUint and
// strconv.AppendInt do, faster for the small values that fill decoded
// frames (counts, lengths, ports, registers) and records (packet numbers):
// below 100,000,000 the digits are written in pairs from a table, with no
// loop.
package decimal

import "strconv"

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
