package schema

import (
	"encoding/binary"
	"math"
)

// A framing rule of the form uN(OFF) + K (or uN(OFF), uN(OFF) - K, K +
// uN(OFF)), with constant OFF and K, is the most common by far: Modbus/TCP's
// u16(4) + 6, and most length-prefixed protocols. It is applied for every
// frame of every stream, so such a rule is recognised once, when the schema
// is compiled, and applied without the expression interpreter.

// fastSize is a framing size of the form uN(off) + add; size 0 means the
// framing rule has another form.
type fastSize struct {
	off    int64
	add    int64
	size   int
	endian Endian
}

// fastFraming returns the fast form of fr's size rule, or the zero
// fastSize when there is none (a magic or a delimiter, or another
// expression).
func fastFraming(fr *Framing) fastSize {
	if fr.Size == nil || len(fr.Magic) > 0 || fr.Delimiter != nil {
		return fastSize{}
	}
	e := fr.Size
	var add int64
	switch {
	case e.op == opAdd && e.y != nil && e.y.op == opConst:
		e, add = e.x, e.y.val
	case e.op == opAdd && e.x != nil && e.x.op == opConst:
		e, add = e.y, e.x.val
	case e.op == opSub && e.y != nil && e.y.op == opConst:
		e, add = e.x, -e.y.val
	}
	if e == nil || e.op != opRead || e.x == nil || e.x.op != opConst || e.x.val < 0 || e.x.val > 1<<30 || e.size < 1 || e.size > 8 {
		return fastSize{}
	}
	return fastSize{off: e.x.val, add: add, size: e.size, endian: e.endian}
}

// FrameLenFast is FrameLenState for a framing rule with a fast form,
// which ok reports (for another rule, the caller calls FrameLenState): a
// decoder calls it for every frame, and it is small enough to be inlined
// there, saving a call. A rule with a fast form reads no state variable.
func (fr *Framing) FrameLenFast(buf []byte) (n int, st FrameStatus, ok bool) {
	if fr.fast.size == 0 {
		return 0, 0, false
	}
	n, st = fr.frameLenFast(buf)
	return n, st, true
}

// frameLenFast is FrameLenState for a rule with a fast form: the same
// results as evaluating uN(off) + add (a read past the end of buf needs
// more bytes; int64 arithmetic wraps), then checking the range.
func (fr *Framing) frameLenFast(buf []byte) (int, FrameStatus) {
	f := &fr.fast
	if int64(len(buf)) < f.off+int64(f.size) {
		return 0, FrameNeedMore
	}
	var u uint64
	if f.size == 2 && f.endian == BigEndian {
		// The most common length field (Modbus/TCP's among them), read
		// here rather than by readUint's call.
		u = uint64(binary.BigEndian.Uint16(buf[f.off:]))
	} else {
		u = readUint(buf[f.off:], f.size, f.endian)
	}
	v := int64(u) + f.add
	if v < int64(fr.Min) || v > int64(fr.Max) {
		return int(min(max(v, math.MinInt32), math.MaxInt32)), FrameInvalid
	}
	return int(v), FrameOK
}
