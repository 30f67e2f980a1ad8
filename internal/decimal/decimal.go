// Package decimal writes integers in decimal, as strconv.AppendUint and
// strconv.AppendInt do, faster for the small values that fill decoded
// frames (counts, lengths, ports, registers) and records (packet numbers):
// below 100,000,000 the digits are written in pairs from a table, with no
// loop.
package decimal

import (
	"encoding/binary"
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

// PutLimit bounds the values Put writes.
const PutLimit = 100_000_000

// PairWords holds the two ASCII digits of 00 to 99, the first in the
// low byte: stored as a little-endian uint16, they read in order.
var PairWords = func() (t [100]uint16) {
	for v := range t {
		t[v] = uint16('0'+v/10) | uint16('0'+v%10)<<8
	}
	return t
}()

// Put writes the digits of v, below PutLimit, at the start of p, and
// returns how many it wrote (none for a larger v). Each count of digits
// has its own branch, which the processor predicts (a field's values
// mostly have the same count): the count does not wait for the digits to
// be computed, and neither does where the caller writes next, as it does
// when the count is computed from the digits.
func Put(p *[8]byte, v uint64) int {
	if v < 10000 {
		if v < 100 {
			if v < 10 {
				p[0] = byte('0' + v)
				return 1
			}
			binary.LittleEndian.PutUint16(p[:2], PairWords[v])
			return 2
		}
		if v < 1000 {
			hi := v / 100
			p[0] = byte('0' + hi)
			binary.LittleEndian.PutUint16(p[1:3], PairWords[v-hi*100])
			return 3
		}
		binary.LittleEndian.PutUint32(p[:4], four(v))
		return 4
	}
	if v < 1000000 {
		hi := v / 10000
		if v < 100000 {
			p[0] = byte('0' + hi)
			binary.LittleEndian.PutUint32(p[1:5], four(v-hi*10000))
			return 5
		}
		binary.LittleEndian.PutUint16(p[:2], PairWords[hi])
		binary.LittleEndian.PutUint32(p[2:6], four(v-hi*10000))
		return 6
	}
	if v < 10000000 {
		hi := v / 10000
		h1 := hi / 100
		p[0] = byte('0' + h1)
		binary.LittleEndian.PutUint16(p[1:3], PairWords[hi-h1*100])
		binary.LittleEndian.PutUint32(p[3:7], four(v-hi*10000))
		return 7
	}
	if v < PutLimit {
		hi := v / 10000
		binary.LittleEndian.PutUint32(p[:4], four(hi))
		binary.LittleEndian.PutUint32(p[4:8], four(v-hi*10000))
		return 8
	}
	return 0
}

// four returns the four digits of v, below 10,000, leading zeros
// included, the first in the low byte.
func four(v uint64) uint32 {
	hi := v / 100
	return uint32(PairWords[hi%100]) | uint32(PairWords[v-hi*100])<<16
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
