package capture

import (
	"testing"
	"unsafe"
)

// A tcpStream is 192 bytes, a size class whose objects start at
// multiples of 64 bytes, with the fields every packet uses in its first
// 64: one cache line (see tcpStream). Changing its fields may need a new
// tcpStreamPad.
func TestStreamLayout(t *testing.T) {
	var s tcpStream
	if size := unsafe.Sizeof(s); size != 192 {
		t.Errorf("tcpStream of %d bytes, not 192: change tcpStreamPad", size)
	}
	for _, f := range []struct {
		name     string
		off, len uintptr
	}{
		{"r", unsafe.Offsetof(s.r), unsafe.Sizeof(s.r)},
		{"h", unsafe.Offsetof(s.h), unsafe.Sizeof(s.h)},
		{"last", unsafe.Offsetof(s.last), unsafe.Sizeof(s.last)},
		{"swapped", unsafe.Offsetof(s.swapped), unsafe.Sizeof(s.swapped)},
		{"midstream", unsafe.Offsetof(s.midstream), unsafe.Sizeof(s.midstream)},
		{"hasHeld", unsafe.Offsetof(s.hasHeld), unsafe.Sizeof(s.hasHeld)},
	} {
		if end := f.off + f.len; end > 64 {
			t.Errorf("tcpStream.%s ends at byte %d, past the first cache line", f.name, end)
		}
	}
	// The allocator's size class of 192 bytes puts every object at a
	// multiple of 64.
	kept := make([]*tcpStream, 100)
	for i := range kept {
		kept[i] = new(tcpStream)
		if a := uintptr(unsafe.Pointer(kept[i])); a%64 != 0 {
			t.Fatalf("a tcpStream allocated at %#x, not at a multiple of 64", a)
		}
	}
}
