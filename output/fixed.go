package output

import "unsafe"

// fixedRoom is the size of the copy that writes a fixedText.
const fixedRoom = 48

// fixedText is text written with one copy of fixedRoom bytes, a few moves
// and no call, when it fits in them (the bytes past it are then cut off):
// the keys of object members, the literals of a record's object, and the
// text between a flat plan's values.
type fixedText struct {
	text [fixedRoom]byte // the text, then zeros, when it fits
	n    uint8           // its length when it fits; 0 otherwise
	long []byte          // the whole text, whether it fits or not
}

// set makes t the text s, which t keeps, and reports whether it fits.
func (t *fixedText) set(s []byte) bool {
	t.long, t.n, t.text = s, 0, [fixedRoom]byte{}
	if len(s) > fixedRoom {
		return false
	}
	t.n = uint8(copy(t.text[:], s))
	return true
}

// fixed returns the fixedText of s, which must fit.
func fixed(s string) fixedText {
	var t fixedText
	if !t.set([]byte(s)) {
		panic("output: text too long for a fixedText: " + s)
	}
	return t
}

// fixedTexts returns the fixedText of each string of t, which must all
// fit.
func fixedTexts(t []string) []fixedText {
	texts := make([]fixedText, len(t))
	for k, s := range t {
		texts[k] = fixed(s)
	}
	return texts
}

// put writes t, which fits, given fixedRoom bytes of room.
func (t *fixedText) put(b []byte) []byte {
	n := len(b)
	*(*[fixedRoom]byte)(b[n : n+fixedRoom]) = t.text
	return b[:n+int(t.n)]
}

// append writes t: with one copy when it fits and b has room for it.
func (t *fixedText) append(b []byte) []byte {
	if len(t.long) <= fixedRoom && cap(b)-len(b) >= fixedRoom {
		return t.put(b)
	}
	return append(b, t.long...)
}

// store writes t, which fits, at w, where fixedRoom bytes of room were
// made (a flat plan's writer: see appendFlat), and returns where the next
// byte goes.
func (t *fixedText) store(w unsafe.Pointer) unsafe.Pointer {
	*(*[fixedRoom]byte)(w) = t.text
	return unsafe.Add(w, t.n)
}
