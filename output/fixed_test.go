package output

import (
	"strings"
	"testing"
	"unsafe"
)

// A fixedText writes its whole text after what b holds, by one copy when
// it fits and b has room, else by append, and put and store write it in
// room the caller made; bytes past it are never part of the result.
func TestFixedText(t *testing.T) {
	for _, n := range []int{0, 1, fixedRoom - 1, fixedRoom, fixedRoom + 1, 3 * fixedRoom} {
		text := strings.Repeat("k", n)
		var ft fixedText
		if fits := ft.set([]byte(text)); fits != (n <= fixedRoom) {
			t.Errorf("%d bytes: set reports fits %v", n, fits)
		}
		for _, room := range []int{0, 1, fixedRoom - 1, fixedRoom, 2 * fixedRoom} {
			b := append(make([]byte, 0, 2+room), "ab"...)
			if got := string(ft.append(b)); got != "ab"+text {
				t.Errorf("%d bytes, room %d: append wrote %q", n, room, got)
			}
			if n <= fixedRoom && room >= fixedRoom {
				if got := string(ft.put(b)); got != "ab"+text {
					t.Errorf("%d bytes, room %d: put wrote %q", n, room, got)
				}
				start := unsafe.Pointer(unsafe.SliceData(b))
				w := ft.store(unsafe.Add(start, len(b)))
				if got := string(b[:uintptr(w)-uintptr(start)]); got != "ab"+text {
					t.Errorf("%d bytes, room %d: store wrote %q", n, room, got)
				}
			}
		}
	}
	// A text set again forgets the longer one before it.
	var ft fixedText
	ft.set([]byte("longer text"))
	ft.set([]byte("ab"))
	if got := string(ft.put(make([]byte, 0, fixedRoom))); got != "ab" {
		t.Errorf("after a shorter text: %q", got)
	}
	if got := ft.text[2:]; strings.Trim(string(got), "\x00") != "" {
		t.Errorf("the bytes past the text are not zero: %q", got)
	}
}
