package memtest

import (
	"strings"
	"testing"
)

var sink []byte

func TestAllocated(t *testing.T) {
	for _, n := range []int{1 << 10, 1 << 20} {
		got := Allocated(func() { sink = make([]byte, n) })
		if got < uint64(n) || got > uint64(n)+uint64(n)/4+4096 {
			t.Errorf("make of %d bytes: Allocated says %d", n, got)
		}
	}
	if got := Allocated(func() {}); got > 4096 {
		t.Errorf("nothing: Allocated says %d", got)
	}
}

func TestNestedStructs(t *testing.T) {
	tests := []struct {
		levels, fanOut int
		want           string
	}{
		{0, 3, "struct L0 { x u8 }\nstruct M { a L0 }\n"},
		{1, 2, "struct L0 { m0 L1; m1 L1; }\nstruct L1 { x u8 }\nstruct M { a L0 }\n"},
	}
	for _, tt := range tests {
		if got := NestedStructs(tt.levels, tt.fanOut); got != tt.want {
			t.Errorf("NestedStructs(%d, %d) = %q, want %q", tt.levels, tt.fanOut, got, tt.want)
		}
	}
	if got := strings.Count(NestedStructs(7, 6), "\n"); got != 9 {
		t.Errorf("7 levels: %d lines, want 9", got)
	}
}
