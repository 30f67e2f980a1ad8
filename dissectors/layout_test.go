package dissectors

import (
	"testing"
	"unsafe"
)

// The padding of connection and streamDecoder puts each direction at a
// multiple of 64 bytes, and the fields every frame uses in its first two
// cache lines (see connection). Changing their fields may need new
// padding.
func TestConnectionLayout(t *testing.T) {
	var c connection
	var s streamDecoder
	if off := unsafe.Offsetof(c.dirs); off%64 != 0 {
		t.Errorf("connection.dirs at %d, not a multiple of 64: change connectionPad", off)
	}
	if size := unsafe.Sizeof(s); size%64 != 0 {
		t.Errorf("streamDecoder of %d bytes, not a multiple of 64: change streamDecoderPad", size)
	}
	if hot := unsafe.Offsetof(s.runs); hot > 128 {
		t.Errorf("the fields every frame uses take %d bytes, more than two cache lines", hot)
	}
	if hot := unsafe.Offsetof(c.pairs) + unsafe.Offsetof(c.pairs.order); hot > 128 {
		t.Errorf("the connection's header and the pairing fields every frame uses take %d bytes, more than two cache lines", hot)
	}
}
