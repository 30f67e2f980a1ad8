package schema

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Limits bound the work and memory that decoding one frame may take, so that
// no input can make the decoder loop or allocate without bound.
type Limits struct {
	MaxDepth    int // nesting of structures, arrays and switches
	MaxElements int // elements in one array
	MaxNodes    int // decoded values in one frame
}

// DefaultLimits are the limits used when a field of Limits is zero.
var DefaultLimits = Limits{MaxDepth: 64, MaxElements: 1 << 16, MaxNodes: 1 << 18}

func (l Limits) withDefaults() Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultLimits.MaxDepth
	}
	if l.MaxElements <= 0 {
		l.MaxElements = DefaultLimits.MaxElements
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = DefaultLimits.MaxNodes
	}
	return l
}

type pathElem struct {
	field *Field
	index int32
}

// decoder holds the state of one Decode call.
type decoder struct {
	f     *Frame
	data  []byte
	lim   Limits
	depth int
}

// Decode decodes data as one frame of type root into f, replacing what f
// held. It never panics and never reads outside data. On failure f.Err says
// why, and f.Nodes keeps every value decoded before the failure.
func Decode(root *Struct, data []byte, f *Frame, lim Limits) {
	f.Reset()
	f.Root = root
	f.Data = data
	d := decoder{f: f, data: data, lim: lim.withDefaults()}
	typ := root.Type
	if typ == nil {
		typ = &Type{Kind: KindStruct, Name: root.Name, Struct: root}
	}
	_, end, ok := d.decodeStruct(nil, typ, root, -1, 0, len(data))
	if ok && end < len(data) {
		f.Trailing = len(data) - end
	}
}

func (d *decoder) push(fld *Field, index int32) {
	d.f.pathBuf = append(d.f.pathBuf, pathElem{field: fld, index: index})
}

func (d *decoder) pop() { d.f.pathBuf = d.f.pathBuf[:len(d.f.pathBuf)-1] }

// fail records the first error of the frame, with the current field path.
func (d *decoder) fail(off int, kind, expected, found string) {
	if d.f.Err != nil {
		return
	}
	var b strings.Builder
	for _, p := range d.f.pathBuf {
		if p.index >= 0 {
			b.WriteString("[")
			b.WriteString(strconv.Itoa(int(p.index)))
			b.WriteString("]")
			continue
		}
		if b.Len() > 0 {
			b.WriteString(".")
		}
		b.WriteString(p.field.Name)
	}
	d.f.errBuf = DecodeError{Path: b.String(), Offset: off, Kind: kind, Expected: expected, Found: found}
	d.f.Err = &d.f.errBuf
}

func (d *decoder) failExpr(off int, what string, e exprErr) {
	d.fail(off, "cannot evaluate "+what, "", e.String())
}

// addNode appends a node and returns its index, or -1 when the frame has
// reached its node limit.
func (d *decoder) addNode(n Node) int {
	if len(d.f.Nodes) >= d.lim.MaxNodes {
		d.fail(int(n.Offset), "limit reached", fmt.Sprintf("at most %d values in a frame", d.lim.MaxNodes), "more")
		return -1
	}
	d.f.Nodes = append(d.f.Nodes, n)
	return len(d.f.Nodes) - 1
}

func (d *decoder) finish(idx, start, off int) {
	n := &d.f.Nodes[idx]
	n.End = int32(len(d.f.Nodes))
	n.Len = int32(off - start)
}

// decodeStruct decodes s at off. It returns the node index, the offset after
// the structure, and whether decoding may go on.
func (d *decoder) decodeStruct(fld *Field, typ *Type, s *Struct, index int32, off, end int) (int, int, bool) {
	idx := d.addNode(Node{Field: fld, Type: typ, Index: index, Offset: int32(off), slots: int32(len(d.f.slots))})
	if idx < 0 {
		return -1, off, false
	}
	base := len(d.f.slots)
	for range s.Fields {
		d.f.slots = append(d.f.slots, -1)
	}
	start := off
	env := evalEnv{frame: d.f, scope: int32(base), data: d.data}
	for _, child := range s.Fields {
		d.push(child, -1)
		if child.Cond != nil {
			v, err := child.Cond.eval(&env)
			if err != exprOK {
				d.failExpr(off, "the condition of "+child.Name, err)
				d.pop()
				d.finish(idx, start, off)
				return idx, off, false
			}
			if v == 0 {
				d.pop()
				continue
			}
		}
		c, next, ok := d.decodeValue(child, child.Type, -1, off, end, &env)
		if c >= 0 {
			d.f.slots[base+child.Slot] = int32(c)
		}
		if ok && child.Expect != nil {
			ok = d.checkExpect(child, c, &env)
		}
		if !ok {
			d.finish(idx, start, next)
			return idx, next, false
		}
		off = next
		d.pop()
	}
	d.finish(idx, start, off)
	return idx, off, true
}

func (d *decoder) checkExpect(fld *Field, c int, env *evalEnv) bool {
	want, err := fld.Expect.eval(env)
	if err != exprOK {
		d.failExpr(int(d.f.Nodes[c].Offset), "the expected value of "+fld.Name, err)
		return false
	}
	n := &d.f.Nodes[c]
	if n.Int() != want {
		d.fail(int(n.Offset), "bad value", fld.ExpectSrc, strconv.FormatInt(n.Int(), 10))
		return false
	}
	return true
}

// decodeValue decodes one value of typ at off; see decodeStruct.
func (d *decoder) decodeValue(fld *Field, typ *Type, index int32, off, end int, env *evalEnv) (int, int, bool) {
	switch typ.Kind {
	case KindUint, KindInt, KindFloat, KindBool:
		if end-off < typ.Size {
			d.fail(off, "truncated", fmt.Sprintf("%d bytes for %s", typ.Size, typ.Name), fmt.Sprintf("%d", end-off))
			return -1, off, false
		}
		v := readUint(d.data[off:], typ.Size, typ.Endian)
		idx := d.addNode(Node{Field: fld, Type: typ, Index: index, Offset: int32(off), Len: int32(typ.Size), Bits: v, slots: -1})
		if idx < 0 {
			return -1, off, false
		}
		d.f.Nodes[idx].End = int32(idx + 1)
		return idx, off + typ.Size, true

	case KindBytes:
		n := end - off
		if typ.Len != nil {
			v, err := typ.Len.eval(env)
			if err != exprOK {
				d.failExpr(off, "the length of "+fld.Name, err)
				return -1, off, false
			}
			if v < 0 {
				d.fail(off, "bad length", "a length of 0 or more", strconv.FormatInt(v, 10))
				return -1, off, false
			}
			if v > int64(end-off) {
				d.fail(off, "truncated", fmt.Sprintf("%d bytes", v), fmt.Sprintf("%d", end-off))
				return -1, off, false
			}
			n = int(v)
		}
		idx := d.addNode(Node{Field: fld, Type: typ, Index: index, Offset: int32(off), Len: int32(n), Bits: uint64(n), slots: -1})
		if idx < 0 {
			return -1, off, false
		}
		d.f.Nodes[idx].End = int32(idx + 1)
		return idx, off + n, true

	case KindArray:
		return d.decodeArray(fld, typ, index, off, end, env)

	case KindStruct:
		if d.depth >= d.lim.MaxDepth {
			d.fail(off, "limit reached", fmt.Sprintf("nesting depth at most %d", d.lim.MaxDepth), "deeper")
			return -1, off, false
		}
		d.depth++
		idx, next, ok := d.decodeStruct(fld, typ, typ.Struct, index, off, end)
		d.depth--
		return idx, next, ok

	case KindSwitch:
		sw := typ.Switch
		tag, err := sw.Tag.eval(env)
		if err != exprOK {
			d.failExpr(off, "the switch of "+fld.Name, err)
			return -1, off, false
		}
		chosen := sw.Default
		for i := range sw.Cases {
			if tag >= sw.Cases[i].Lo && tag <= sw.Cases[i].Hi {
				chosen = sw.Cases[i].Type
				break
			}
		}
		if chosen == nil {
			d.fail(off, "no matching case", "a value listed in the switch", strconv.FormatInt(tag, 10))
			return -1, off, false
		}
		if d.depth >= d.lim.MaxDepth {
			d.fail(off, "limit reached", fmt.Sprintf("nesting depth at most %d", d.lim.MaxDepth), "deeper")
			return -1, off, false
		}
		d.depth++
		idx, next, ok := d.decodeValue(fld, chosen, index, off, end, env)
		d.depth--
		return idx, next, ok
	}
	d.fail(off, "unsupported type", "", typ.Name)
	return -1, off, false
}

func (d *decoder) decodeArray(fld *Field, typ *Type, index int32, off, end int, env *evalEnv) (int, int, bool) {
	count := int64(-1)
	if typ.Len != nil {
		v, err := typ.Len.eval(env)
		if err != exprOK {
			d.failExpr(off, "the count of "+fld.Name, err)
			return -1, off, false
		}
		if v < 0 {
			d.fail(off, "bad count", "a count of 0 or more", strconv.FormatInt(v, 10))
			return -1, off, false
		}
		count = v
	}
	if count > int64(d.lim.MaxElements) {
		d.fail(off, "limit reached", fmt.Sprintf("at most %d elements", d.lim.MaxElements), strconv.FormatInt(count, 10))
		return -1, off, false
	}
	// A fixed-size element must fit count times: fail early instead of
	// building nodes for an array that cannot be complete.
	if count > 0 && typ.Elem.Size > 0 && int64(end-off) < count*int64(typ.Elem.Size) {
		d.fail(off, "truncated", fmt.Sprintf("%d elements of %d bytes", count, typ.Elem.Size), fmt.Sprintf("%d bytes", end-off))
		return -1, off, false
	}
	if d.depth >= d.lim.MaxDepth {
		d.fail(off, "limit reached", fmt.Sprintf("nesting depth at most %d", d.lim.MaxDepth), "deeper")
		return -1, off, false
	}
	idx := d.addNode(Node{Field: fld, Type: typ, Index: index, Offset: int32(off), slots: -1})
	if idx < 0 {
		return -1, off, false
	}
	d.depth++
	defer func() { d.depth-- }()
	start := off
	for i := 0; count < 0 || int64(i) < count; i++ {
		if count < 0 && off >= end {
			break
		}
		if i >= d.lim.MaxElements {
			d.fail(off, "limit reached", fmt.Sprintf("at most %d elements", d.lim.MaxElements), "more")
			d.finish(idx, start, off)
			return idx, off, false
		}
		d.push(fld, int32(i))
		_, next, ok := d.decodeValue(fld, typ.Elem, int32(i), off, end, env)
		d.pop()
		if !ok {
			d.finish(idx, start, next)
			return idx, next, false
		}
		if next == off && count < 0 {
			d.fail(off, "no progress", "elements that take at least one byte", "an empty element")
			d.finish(idx, start, off)
			return idx, off, false
		}
		off = next
	}
	d.finish(idx, start, off)
	return idx, off, true
}

// FrameLen applies the framing rule to the start of buf. It returns the
// frame's length and FrameOK, FrameNeedMore when buf is too short to tell,
// or FrameInvalid when the bytes cannot be the start of a frame.
func (fr *Framing) FrameLen(buf []byte) (int, FrameStatus) {
	env := evalEnv{data: buf}
	v, err := fr.Size.eval(&env)
	switch err {
	case exprOK:
	case exprNeedMore:
		return 0, FrameNeedMore
	default:
		return 0, FrameInvalid
	}
	if v < int64(fr.Min) || v > int64(fr.Max) {
		return int(min(max(v, math.MinInt32), math.MaxInt32)), FrameInvalid
	}
	return int(v), FrameOK
}

// FrameStatus is the result of FrameLen.
type FrameStatus uint8

// The framing results.
const (
	FrameOK FrameStatus = iota
	FrameNeedMore
	FrameInvalid
)
