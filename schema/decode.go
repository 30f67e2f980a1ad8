package schema

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Limits bound the work and memory that decoding one frame may take, so that
// no input can make the decoder loop or allocate without bound.
type Limits struct {
	MaxDepth    int // nesting of structures, arrays and switches
	MaxElements int // elements in one array
	MaxNodes    int // decoded values in one frame
	MaxHops     int // positioned reads ([at = ...]) in one frame
}

// DefaultLimits are the limits used when a field of Limits is zero.
var DefaultLimits = Limits{MaxDepth: 64, MaxElements: 1 << 16, MaxNodes: 1 << 18, MaxHops: 256}

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
	if l.MaxHops <= 0 {
		l.MaxHops = DefaultLimits.MaxHops
	}
	return l
}

// DecodeOptions are what a decode may need beyond the bytes.
type DecodeOptions struct {
	Limits   Limits
	Response bool   // the frame goes from server to client: layered protocols decode their response type
	State    *State // the connection's state variables, or nil
}

type pathElem struct {
	field *Field
	index int32
}

// decoder holds the state of one Decode call.
type decoder struct {
	f        *Frame
	data     []byte
	lim      Limits
	depth    int
	reach    int // the deepest level a depth test has asked for (see within)
	hops     int
	response bool
	state    *State
	scopes   []int32    // structure nodes being decoded, innermost last
	path     []pathElem // the field path being decoded, for errors (Frame.pathBuf's array, here on the stack)
	atStack  []int      // offsets of the positioned reads being decoded, to catch loops
	owned    bool       // data is the frame's own buffer, which blocked fields extend with their views
	computed int        // bytes the frame's bytes lets computed
}

// Decode decodes data as one frame of type root into f, replacing what f
// held. It never panics and never reads outside data. On failure f.Err says
// why, and f.Nodes keeps every value decoded before the failure.
func Decode(root *Struct, data []byte, f *Frame, lim Limits) {
	DecodeWith(root, data, f, &DecodeOptions{Limits: lim})
}

// DecodeWith is Decode with a direction and connection state.
func DecodeWith(root *Struct, data []byte, f *Frame, opts *DecodeOptions) {
	f.Reset()
	f.Root = root
	f.Data = data
	// Field by field: a literal is built in a temporary and copied.
	var d decoder
	d.f, d.data, d.lim, d.response, d.state = f, data, opts.Limits.withDefaults(), opts.Response, opts.State
	d.scopes, d.atStack, d.path = f.scopeBuf[:0], f.atBuf[:0], f.pathBuf[:0]
	typ := root.Type
	if typ == nil {
		typ = &Type{Kind: KindStruct, Name: root.Name, Struct: root}
	}
	_, end, ok := d.decodeStruct(nil, typ, -1, 0, 0, len(data), 0)
	if ok && end < len(data) {
		f.Trailing = len(data) - end
	}
	f.scopeBuf, f.atBuf, f.pathBuf = d.scopes[:0], d.atStack[:0], d.path[:0]
}

func (d *decoder) push(fld *Field, index int32) {
	d.path = append(d.path, pathElem{field: fld, index: index})
}

func (d *decoder) pop() { d.path = d.path[:len(d.path)-1] }

// fail records the first error of the frame, with the current field path.
func (d *decoder) fail(off int, kind, expected, found string) {
	if d.f.Err != nil {
		return
	}
	f := d.f
	if n := len(d.path); n != f.errPathN || !slices.Equal(d.path, f.errPathKey[:n]) {
		f.errPath = pathText(d.path)
		f.errPathN = copy(f.errPathKey[:], d.path)
		if n > maxPathKey {
			f.errPathN = -1
		}
	}
	f.errBuf = DecodeError{Path: f.errPath, Offset: off, Kind: kind, Expected: expected, Found: found}
	f.Err = &f.errBuf
}

// pathText writes a field path: names joined by dots, array indexes in
// brackets (body.registers[3]).
func pathText(path []pathElem) string {
	n := 0
	for _, p := range path {
		n += 12 // at most: an index, or a dot
		if p.index < 0 {
			n += len(p.field.Name)
		}
	}
	var b strings.Builder
	b.Grow(n)
	var digits [11]byte
	for _, p := range path {
		if p.index >= 0 {
			b.WriteByte('[')
			b.Write(strconv.AppendInt(digits[:0], int64(p.index), 10))
			b.WriteByte(']')
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p.field.Name)
	}
	return b.String()
}

func (d *decoder) failExpr(off int, what string, e exprErr) {
	d.fail(off, "cannot evaluate "+what, "", e.String())
}

// within reports whether a value at nesting level v is within the depth
// limit, and notes v as asked for (whether it is or not: a level past the
// limit ends the decoding in an error, or else the note only makes copies
// rarer). Every test of the depth goes through it, so that a kept decode
// knows how deep it went (see copyKept).
func (d *decoder) within(v int) bool {
	d.reach = max(d.reach, v)
	return v <= d.lim.MaxDepth
}

func (d *decoder) failDepth(off int) {
	d.fail(off, "limit reached", fmt.Sprintf("nesting depth at most %d", d.lim.MaxDepth), "deeper")
}

// addNode appends a node and returns its index, or -1 when the frame has
// reached its node limit.
func (d *decoder) addNode(fld *Field, typ *Type, index int32, off, length int, bits uint64) int {
	if len(d.f.Nodes) >= d.lim.MaxNodes {
		d.fail(off, "limit reached", fmt.Sprintf("at most %d values in a frame", d.lim.MaxNodes), "more")
		return -1
	}
	i := len(d.f.Nodes)
	if i < cap(d.f.Nodes) {
		d.f.Nodes = d.f.Nodes[:i+1]
	} else {
		d.f.Nodes = append(d.f.Nodes, Node{})
	}
	n := &d.f.Nodes[i]
	// Field by field: assigning a whole Node literal copies it through a
	// temporary, which profiling showed to be the engine's largest cost.
	n.Field, n.Type = fld, typ
	n.Index, n.Offset, n.Len, n.End = index, int32(off), int32(length), int32(i+1)
	n.Bits, n.slots = bits, -1
	n.BitOff, n.BitLen, n.Flags = 0, 0, 0
	return i
}

func (d *decoder) finish(idx, start, off int) {
	n := &d.f.Nodes[idx]
	n.End = int32(len(d.f.Nodes))
	n.Len = int32(off - start)
}

// finishFailed closes the node of a structure whose decoding stopped at
// off, bitPos bits into data[off]: it covers the byte being split into bit
// fields and every child already decoded (a bit field whose value was
// rejected keeps its node), so that no child lies outside its parent.
func (d *decoder) finishFailed(idx, start, off, bitPos int) {
	end := off
	if bitPos != 0 && end < len(d.data) {
		end++
	}
	for c := idx + 1; c < len(d.f.Nodes); {
		n := &d.f.Nodes[c]
		if n.Field == nil || n.Field.At == nil {
			end = max(end, int(n.Offset)+int(n.Len))
		}
		if int(n.End) <= c {
			break
		}
		c = int(n.End)
	}
	d.finish(idx, start, end)
}

// decodeStruct decodes the structure of typ at off, in the region
// [start, end). params is where its parameter values start in f.vals. It
// returns the node index, the offset after the structure, and whether
// decoding may go on.
func (d *decoder) decodeStruct(fld *Field, typ *Type, index int32, off, start, end, params int) (int, int, bool) {
	s := typ.Struct
	if s.keep && keepDecodes {
		return d.decodeKept(fld, typ, index, off, start, end, params)
	}
	return d.decodeStructHere(fld, typ, index, off, start, end, params)
}

// decodeKept decodes a structure whose decodes are kept (see keptDecode):
// by copying one of the same bytes kept earlier in the frame, or by
// decoding it and keeping where it went.
func (d *decoder) decodeKept(fld *Field, typ *Type, index int32, off, start, end, params int) (int, int, bool) {
	if idx, next, ok := d.copyKept(fld, typ, index, off, start, end); ok {
		return idx, next, true
	}
	f := d.f
	node0, slot0, val0, hops, reach := len(f.Nodes), len(f.slots), len(f.vals), d.hops, d.reach
	d.reach = d.depth
	idx, next, ok := d.decodeStructHere(fld, typ, index, off, start, end, params)
	if ok && idx == node0 {
		d.keep(typ, off, start, end, next, node0, slot0, val0, hops)
	}
	d.reach = max(d.reach, reach)
	return idx, next, ok
}

// decodeStructHere is decodeStruct, decoding the structure's bytes.
func (d *decoder) decodeStructHere(fld *Field, typ *Type, index int32, off, start, end, params int) (int, int, bool) {
	s := typ.Struct
	base := len(d.f.slots)
	idx := len(d.f.Nodes)
	if idx >= d.lim.MaxNodes {
		d.addNode(fld, typ, index, off, 0, 0) // reports it
		return -1, off, false
	}
	// addNode's work, written out.
	n := &d.growNodes(1)[0]
	n.Field, n.Type = fld, typ
	n.Index, n.Offset, n.Len, n.End = index, int32(off), 0, int32(idx+1)
	n.Bits, n.slots = 0, int32(base)
	n.BitOff, n.BitLen, n.Flags = 0, 0, 0
	slots := d.growSlots(s.slotCount())
	for i := range slots {
		slots[i] = -1
	}
	for i := range s.Params {
		slots[i] = int32(-(params + i) - 2)
	}
	d.scopes = append(d.scopes, int32(idx))
	depth := len(d.scopes) - 1
	ok, plain := true, false
	if s.plainSize > 0 {
		// The whole structure as one run, when the region and the node
		// limit have room for it (readRun checks).
		if plain = d.readRun(s.Fields[0].code, base, off, end); plain {
			next := off + s.plainSize
			d.finish(idx, off, next)
			off = next
		}
	}
	if !plain {
		if s.steps != nil {
			idx, off, ok = d.runSteps(s, idx, base, off, off, 0, start, end)
		} else {
			idx, off, ok = d.structFields(s, idx, base, off, off, 0, start, end)
		}
	}
	d.scopes = d.scopes[:depth]
	return idx, off, ok
}

// structFields decodes the members of s, whose node is idx and slots start
// at base and which starts at first, from its member from (the members
// before it read) at off, on a byte boundary, in the region [start, end).
func (d *decoder) structFields(s *Struct, idx, base, first, off, from, start, end int) (int, int, bool) {
	// Field by field, as in addNode: a literal is built in a temporary and
	// copied, which stalls on the copy.
	var env evalEnv
	env.f, env.scope, env.data, env.start, env.end, env.last, env.d = d.f, int32(base), d.data, start, end, -1, d
	bitPos := 0 // bits of data[off] already taken by bit fields
	for i := from; i < len(s.Fields); i++ {
		m := s.Fields[i]
		// A flat run, read at once.
		if m.flat != nil && bitPos == 0 {
			if rc := m.flat.code; d.readRun(rc, base, off, end) {
				off, bitPos = off+rc.end, rc.bit
				i += rc.members - 1
				continue
			}
		}
		// A run of plain scalars, read at once.
		if m.code != nil && bitPos == 0 {
			if rc := m.code; d.readRun(rc, base, off, end) {
				off, bitPos = off+rc.end, rc.bit
				i += rc.members - 1
				continue
			}
		}
		// A structure or switch with no condition, placement or check
		// (never a bit field: it starts at the next byte).
		if m.plan == planNested {
			if bitPos != 0 {
				off, bitPos = off+1, 0
			}
			env.off = off
			fld, typ, levels := m, m.Type, 0
			if typ.Kind == KindSwitch {
				fld, typ, levels = d.resolveSwitch(m, &env)
			}
			var ok bool
			if off, ok = d.decodeNested(m, fld, typ, levels, base, off, start, end, &env); !ok {
				d.finishFailed(idx, first, off, bitPos)
				return idx, off, false
			}
			continue
		}
		// Any other value with no condition, placement or check (never a
		// bit field either): decodeValue alone.
		if m.plan == planValue {
			if bitPos != 0 {
				off, bitPos = off+1, 0
			}
			env.off = off
			d.push(m, -1)
			c, next, ok := d.decodeValue(m, m.Type, -1, off, start, end, &env)
			if c >= 0 {
				d.f.slots[base+m.Slot] = int32(c)
			}
			off = max(next, off)
			if !ok {
				d.finishFailed(idx, first, off, bitPos)
				return idx, off, false
			}
			d.pop()
			continue
		}
		isBits := m.Op == OpField && m.Type.Bits > 0 && m.At == nil && m.Size == nil
		if bitPos != 0 && !isBits && (m.Op == OpField || m.Op == OpAlign) {
			off, bitPos = off+1, 0 // a whole-byte field starts at the next byte
		}
		plan := m.plan
		if m.condPlan != planGeneral {
			// A plain read but for its condition: skipped, or read as a
			// plain read below. A condition that cannot be evaluated
			// takes the general path, which reports it (evaluating has
			// no side effect).
			env.off = off
			if v, err := m.Cond.eval(&env); err == exprOK {
				if v == 0 {
					continue
				}
				plan = m.condPlan
			}
		}
		// Fast path: a plain whole-byte scalar that fits, read in place;
		// one that does not hold its expected value takes the general
		// path, which reports it.
		if bitPos == 0 && plan == planScalar && end-off >= m.Type.Size && len(d.f.Nodes) < d.lim.MaxNodes {
			t := m.Type
			if v := readUint(d.data[off:], t.Size, t.Endian); !m.checked || v == m.want {
				c := d.addNode(m, t, -1, off, t.Size, v)
				d.f.slots[base+m.Slot] = int32(c)
				off += t.Size
				continue
			}
		}
		// A plain bit field (no condition, placement or check) that fits.
		if plan == planBits && (end-off)*8-bitPos >= m.Type.Bits && len(d.f.Nodes) < d.lim.MaxNodes {
			off, bitPos = d.readPlainBits(m, base, off, bitPos, end)
			continue
		}
		env.off = off
		if m.Op == OpPair && m.Cond == nil {
			// The pairing key, without the path that only an error
			// needs: one that cannot be evaluated takes the general
			// path, which reports it (evaluating has no side effect).
			// A field one or two slots away is found directly.
			if p := m.Value.path; m.Value.op == opField && (len(p) == 1 || len(p) == 2) {
				if c := d.f.pathNode(base, p); c >= 0 {
					d.f.Pair, d.f.PairKey = m.Role, d.f.Nodes[c].Int()
					continue
				}
			}
			if v, err := m.Value.eval(&env); err == exprOK {
				d.f.Pair, d.f.PairKey = m.Role, v
				continue
			}
		}
		d.push(m, -1)
		if m.Cond != nil {
			v, err := m.Cond.eval(&env)
			if err != exprOK {
				d.failExpr(off, "the condition of "+m.Name, err)
				d.finishFailed(idx, first, off, bitPos)
				return idx, off, false
			}
			if v == 0 {
				d.pop()
				continue
			}
		}
		ok := true
		switch m.Op {
		case OpField:
			if isBits {
				off, bitPos, ok = d.decodeBits(m, base, off, bitPos, end, &env)
			} else {
				off, ok = d.decodeField(m, base, off, start, end, &env)
			}
		case OpLet:
			if m.bytes != nil {
				ok = d.bytesLet(m, base, off, &env)
				break
			}
			var v int64
			var err exprErr
			if v, err = m.Value.eval(&env); err != exprOK {
				d.failExpr(off, m.Name, err)
				ok = false
				break
			}
			c := d.addNode(m, m.Type, -1, off, 0, uint64(v))
			if c < 0 {
				ok = false
				break
			}
			d.f.Nodes[c].Flags |= NodeComputed
			d.f.slots[base+m.Slot] = int32(c)
		case OpAssert:
			v, err := m.Value.eval(&env)
			if err != exprOK {
				d.failExpr(off, "the assertion", err)
				ok = false
			} else if v == 0 {
				d.fail(off, "assertion failed", m.Message, "")
				ok = false
			}
		case OpAlign:
			var n int64
			var err exprErr
			if n, err = m.Value.eval(&env); err != exprOK || n <= 0 {
				if err == exprOK {
					d.fail(off, "bad alignment", "a positive number of bytes", strconv.FormatInt(n, 10))
				} else {
					d.failExpr(off, "the alignment", err)
				}
				ok = false
				break
			}
			off, ok = d.pad(m, off, off-start, int(n), end)
		case OpSet:
			v, err := m.Value.eval(&env)
			if err != exprOK {
				d.failExpr(off, "state."+m.Name, err)
				ok = false
			} else if d.state != nil && m.StateVar < len(d.state.Vals) {
				d.state.Vals[m.StateVar] = v
			}
		case OpPair:
			v, err := m.Value.eval(&env)
			if err != exprOK {
				d.failExpr(off, "the pairing key", err)
				ok = false
			} else {
				d.f.Pair, d.f.PairKey = m.Role, v
			}
		}
		if !ok {
			d.finishFailed(idx, first, off, bitPos)
			return idx, off, false
		}
		d.pop()
	}
	if bitPos != 0 {
		off++
	}
	d.finish(idx, first, off)
	return idx, off, true
}

// slotCount is how many slots the structure's values take: its
// parameters, fields and lets. A structure built by hand, without Compile,
// may leave NumSlots zero.
func (s *Struct) slotCount() int {
	return max(s.NumSlots, len(s.Params)+len(s.Fields))
}

// plainScalar reports whether m is a field whose decoding is only reading
// a fixed-size integer, float or bool where it stands: no condition,
// placement, padding, check or layer, and at most an expected value that
// is a constant, on an integer (protocol_id u16 = 0; see wantBits).
// decodeStruct reads those directly, without the general path of
// decodeField. An attribute added to Field that changes how a scalar
// decodes must be excluded here.
func (m *Field) plainScalar() bool {
	if m.Op != OpField || m.Cond != nil || m.At != nil || m.Size != nil || m.Pad > 1 ||
		m.ExpectRaw != nil || m.Range != nil || m.Check != nil || m.Layer != nil {
		return false
	}
	if m.Expect != nil {
		if _, ok := m.wantBits(); !ok {
			return false
		}
	}
	t := m.Type
	switch t.Kind {
	case KindUint, KindInt, KindFloat, KindBool:
		return t.Bits == 0 && t.Varint == NotVarint && t.Size > 0
	}
	return false
}

// plainBits reports whether m is a bit field with nothing but its width:
// no condition, placement, check or layer. decodeStruct reads those
// directly, without decodeBits.
func (m *Field) plainBits() bool {
	return m.Op == OpField && m.Type.Bits > 0 && m.Cond == nil && m.At == nil && m.Size == nil &&
		m.Expect == nil && m.ExpectRaw == nil && m.Range == nil && m.Check == nil && m.Layer == nil
}

// decodeField decodes one whole-byte field of a structure, with its
// placement ([at], [size], [pad]) and its checks.
func (d *decoder) decodeField(m *Field, base, off, start, end int, env *evalEnv) (int, bool) {
	pos, rstart, rend := off, start, end
	if m.At != nil {
		a, err := m.At.eval(env)
		if err != exprOK {
			d.failExpr(off, "the position of "+m.Name, err)
			return off, false
		}
		if a < 0 || a > int64(end-start) {
			d.fail(off, "bad position", fmt.Sprintf("an offset from 0 to %d", end-start), strconv.FormatInt(a, 10))
			return off, false
		}
		pos = start + int(a)
		d.hops++
		if d.hops > d.lim.MaxHops {
			d.fail(off, "limit reached", fmt.Sprintf("at most %d positioned reads in a frame", d.lim.MaxHops), "more")
			return off, false
		}
		for _, p := range d.atStack {
			if p == pos {
				d.fail(off, "loop", "a position not already being decoded", fmt.Sprintf("offset %d again", a))
				return off, false
			}
		}
		d.atStack = append(d.atStack, pos)
		defer func() { d.atStack = d.atStack[:len(d.atStack)-1] }()
	}
	if m.Size != nil {
		n, err := m.Size.eval(env)
		if err != exprOK {
			d.failExpr(off, "the size of "+m.Name, err)
			return off, false
		}
		if n < 0 || n > int64(end-pos) {
			d.fail(pos, "truncated", fmt.Sprintf("%d bytes for %s", n, m.Name), strconv.Itoa(end-pos))
			return off, false
		}
		rstart, rend = pos, pos+int(n)
	}
	var c, next int
	var ok bool
	if m.Blocks != nil {
		c, ok = d.decodeBlocks(m, pos, rend, env)
		next = rend
	} else {
		c, next, ok = d.decodeValue(m, m.Type, -1, pos, rstart, rend, env)
	}
	if c >= 0 {
		d.f.slots[base+m.Slot] = int32(c)
	}
	if !ok {
		return max(next, off), false
	}
	if m.Size != nil {
		next = rend
	}
	if m.Pad > 1 {
		if next, ok = d.pad(m, next, next-pos, m.Pad, end); !ok {
			return next, false
		}
	}
	if !d.check(m, c, env, start, end) {
		return next, false
	}
	if m.At != nil {
		return off, true // a positioned read does not move on
	}
	return next, true
}

// pad skips from off to the next multiple of n bytes, where rel is how far
// off is from the point alignment counts from. The skipped bytes become a
// hidden node so that every byte is accounted for.
func (d *decoder) pad(m *Field, off, rel, n, end int) (int, bool) {
	skip := (n - rel%n) % n
	if skip == 0 {
		return off, true
	}
	if off+skip > end {
		d.fail(off, "truncated", fmt.Sprintf("%d bytes of padding", skip), strconv.Itoa(end-off))
		return off, false
	}
	c := d.addNode(paddingField, paddingType, -1, off, skip, uint64(skip))
	if c < 0 {
		return off, false
	}
	return off + skip, true
}

var (
	paddingField = &Field{Name: "padding", Slot: -1, Hidden: true, Padding: true}
	paddingType  = &Type{Kind: KindBytes, Name: "padding"}
)

// decodeBits decodes a bit field at bit bitPos of data[off].
func (d *decoder) decodeBits(m *Field, base, off, bitPos, end int, env *evalEnv) (int, int, bool) {
	t := m.Type
	if (end-off)*8-bitPos < t.Bits {
		d.fail(off, "truncated", t.truncatedText(), strconv.Itoa((end-off)*8-bitPos))
		return off, bitPos, false
	}
	v := readBits(d.data[off:end], bitPos, t.Bits, t.LSBFirst)
	nbytes := (bitPos + t.Bits + 7) / 8
	c := d.addNode(m, t, -1, off, nbytes, v)
	if c < 0 {
		return off, bitPos, false
	}
	n := &d.f.Nodes[c]
	n.BitOff, n.BitLen = uint8(bitPos), uint8(t.Bits)
	d.f.slots[base+m.Slot] = int32(c)
	bitPos += t.Bits
	off += bitPos / 8
	bitPos %= 8
	if !d.check(m, c, env, env.start, end) {
		return off, bitPos, false
	}
	return off, bitPos, true
}

// check applies a field's expected value, range and checksum.
func (d *decoder) check(m *Field, c int, env *evalEnv, start, end int) bool {
	if c < 0 || (m.Expect == nil && m.ExpectRaw == nil && m.Range == nil && m.Check == nil) {
		return true
	}
	n := &d.f.Nodes[c]
	if m.ExpectRaw != nil {
		content := d.content(c)
		if !bytes.Equal(content, m.ExpectRaw) {
			d.fail(int(n.Offset), "bad value", m.ExpectSrc, strconv.Quote(string(content)))
			return false
		}
	}
	if m.Expect != nil {
		want, err := m.Expect.eval(env)
		if err != exprOK {
			d.failExpr(int(n.Offset), "the expected value of "+m.Name, err)
			return false
		}
		if n.Int() != want {
			d.fail(int(n.Offset), "bad value", m.ExpectSrc, strconv.FormatInt(n.Int(), 10))
			return false
		}
	}
	if m.Range != nil {
		v := n.Int()
		if v < m.Range[0] || v > m.Range[1] {
			d.fail(int(n.Offset), "out of range", fmt.Sprintf("%d..%d", m.Range[0], m.Range[1]), strconv.FormatInt(v, 10))
			return false
		}
	}
	if m.Check != nil {
		d.verifyChecksum(m, c, env, start, end)
	}
	return true
}

// verifyChecksum marks node c as matching its checksum or not. The field's
// own bytes count as zero when they lie inside the range.
func (d *decoder) verifyChecksum(m *Field, c int, env *evalEnv, start, end int) {
	n := &d.f.Nodes[c]
	from, err1 := m.Check.From.eval(env)
	to, err2 := m.Check.To.eval(env)
	ok, known := false, false
	var sum uint64
	if err1 == exprOK && err2 == exprOK && from >= 0 && from <= to && to <= int64(end-start) {
		known = true
		lo, hi := start+int(from), start+int(to)
		fs, fe := int(n.Offset), int(n.Offset+n.Len)
		if fs >= lo && fe <= hi && fe > fs {
			var zero [8]byte
			z := zero[:min(fe-fs, 8)]
			sum = checksum(m.Check.Algo, d.data[lo:fs], z, d.data[fe:hi])
		} else {
			sum = checksum(m.Check.Algo, d.data[lo:hi])
		}
		ok = sum == n.Bits
	}
	if ok {
		n.Flags |= NodeChecksumOK
	} else {
		n.Flags |= NodeChecksumBad
		d.f.BadChecksums++
		d.f.checks = append(d.f.checks, checkResult{node: int32(c), want: sum, known: known})
	}
}

// bytesLet computes a bytes let into the frame's own buffer, after a copy
// of the frame's bytes, so that the value is found in Frame.Data.
func (d *decoder) bytesLet(m *Field, base, off int, env *evalEnv) bool {
	if !d.owned {
		d.f.own = append(d.f.own[:0], d.data...)
		d.owned = true
	}
	start := len(d.f.own)
	own, err := m.bytes.appendTo(env, d.f.own)
	d.f.own = own
	d.data, d.f.Data = own, own
	if err != exprOK {
		d.failExpr(off, m.Name, err)
		return false
	}
	n := len(own) - start
	if d.computed += n; d.computed > maxComputedBytes {
		d.fail(off, "limit reached", fmt.Sprintf("at most %d computed bytes in a frame", maxComputedBytes), strconv.Itoa(d.computed))
		return false
	}
	if t := m.Type; t.Mode == ArrayCount && t.Len != nil && int64(n) != t.Len.val {
		d.fail(off, "bad length", fmt.Sprintf("%d bytes for %s", t.Len.val, m.Name), strconv.Itoa(n))
		return false
	}
	c := d.addNode(m, m.Type, -1, off, 0, uint64(n))
	if c < 0 {
		return false
	}
	d.f.Nodes[c].Flags |= NodeComputed
	d.f.Nodes[c].slots = int32(start)
	d.f.slots[base+m.Slot] = int32(c)
	return true
}

// content returns the bytes of a byte or string node without its
// terminator.
func (d *decoder) content(c int) []byte {
	n := &d.f.Nodes[c]
	return d.data[n.Offset : int64(n.Offset)+int64(n.Bits)]
}

// decodeValue decodes one value of typ at off in the region [start, end).
func (d *decoder) decodeValue(fld *Field, typ *Type, index int32, off, start, end int, env *evalEnv) (int, int, bool) {
	switch typ.Kind {
	case KindUint, KindInt, KindFloat, KindBool:
		if typ.Varint != NotVarint {
			v, n, st := readVarint(d.data[off:end], typ.Varint)
			if st != varintOK {
				d.fail(off, "bad varint", "a complete "+typ.Varint.String(), st.String())
				return -1, off, false
			}
			idx := d.addNode(fld, typ, index, off, n, v)
			if idx < 0 {
				return -1, off, false
			}
			return idx, off + n, true
		}
		if end-off < typ.Size {
			d.fail(off, "truncated", typ.truncatedText(), strconv.Itoa(end-off))
			return -1, off, false
		}
		v := readUint(d.data[off:], typ.Size, typ.Endian)
		idx := d.addNode(fld, typ, index, off, typ.Size, v)
		if idx < 0 {
			return -1, off, false
		}
		return idx, off + typ.Size, true

	case KindBytes, KindString:
		return d.decodeBytes(fld, typ, index, off, end, env)

	case KindArray:
		return d.decodeArray(fld, typ, index, off, start, end, env)

	case KindStruct:
		if !d.within(d.depth + 1) {
			d.failDepth(off)
			return -1, off, false
		}
		params := len(d.f.vals)
		for _, a := range typ.Args {
			v, err := a.eval(env)
			if err != exprOK {
				d.failExpr(off, "the arguments of "+typ.Name, err)
				return -1, off, false
			}
			d.f.vals = append(d.f.vals, v)
		}
		d.depth++
		idx, next, ok := d.decodeStruct(fld, typ, index, off, start, end, params)
		d.depth--
		return idx, next, ok

	case KindSwitch:
		sw := typ.Switch
		var tag int64
		var text []byte
		var err exprErr
		if sw.TextTag {
			text, err = env.textValue(sw.Tag.path)
		} else {
			tag, err = sw.Tag.eval(env)
		}
		if err != exprOK {
			d.failExpr(off, "the switch of "+fld.Name, err)
			return -1, off, false
		}
		var chosen *Type
		var named *Field
		if sw.TextTag {
			chosen, named = sw.Default, sw.DefaultField
			for i := range sw.Cases {
				if bytes.Equal(text, sw.Cases[i].Text) {
					chosen, named = sw.Cases[i].Type, sw.Cases[i].Field
					break
				}
			}
		} else {
			chosen, named = sw.match(tag)
		}
		if named != nil {
			fld = named // the case's own ws name
		}
		if chosen == nil {
			got := strconv.FormatInt(tag, 10)
			if sw.TextTag {
				got = strconv.Quote(string(text))
			}
			d.fail(off, "no matching case", "a value listed in the switch", got)
			return -1, off, false
		}
		if !d.within(d.depth + 1) {
			d.failDepth(off)
			return -1, off, false
		}
		d.depth++
		idx, next, ok := d.decodeValue(fld, chosen, index, off, start, end, env)
		d.depth--
		return idx, next, ok
	}
	d.fail(off, "unsupported type", "", typ.Name)
	return -1, off, false
}

// decodeBytes decodes a byte string or text: sized, to the end of the
// region, or up to a terminator. A byte string that another protocol
// decodes becomes that protocol's message.
func (d *decoder) decodeBytes(fld *Field, typ *Type, index int32, off, end int, env *evalEnv) (int, int, bool) {
	n, consumed := end-off, end-off
	switch typ.Mode {
	case ArrayCount:
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
			d.fail(off, "truncated", fmt.Sprintf("%d bytes", v), strconv.Itoa(end-off))
			return -1, off, false
		}
		n, consumed = int(v), int(v)
	case ArrayUntil:
		i := bytes.Index(d.data[off:end], typ.Term)
		if i < 0 {
			d.fail(off, "no terminator", "the terminator "+strconv.Quote(string(typ.Term)), fmt.Sprintf("%d bytes without it", end-off))
			return -1, off, false
		}
		n, consumed = i, i+len(typ.Term)
	}
	if fld != nil && fld.TrimNul && typ.Kind == KindString {
		// Padded text: the value ends at the first 0 byte; the node still
		// covers the whole field.
		n = nulEnd(d.data[off:off+n], typ.Encoding)
	}
	if fld != nil && fld.Layer != nil && !fld.Layer.Stream && fld.Layer.Join == nil && fld.Layer.Program != nil && index < 0 {
		return d.decodeLayer(fld, off, off+n, consumed)
	}
	idx := d.addNode(fld, typ, index, off, consumed, uint64(n))
	if idx < 0 {
		return -1, off, false
	}
	return idx, off + consumed, true
}

// decodeLayer decodes the bytes [off, end) with another protocol's message
// type, as a region of their own.
func (d *decoder) decodeLayer(fld *Field, off, end, consumed int) (int, int, bool) {
	p := fld.Layer.Program
	root := p.Request
	if d.response {
		root = p.Response
	}
	if root == nil || root.Type == nil {
		return -1, off, false
	}
	if !d.within(d.depth + 1) {
		d.failDepth(off)
		return -1, off, false
	}
	// The layered protocol's state variables are not this connection's:
	// it decodes without state (a reference to one is an error).
	state := d.state
	d.state = nil
	d.depth++
	idx, _, ok := d.decodeStruct(fld, root.Type, -1, off, off, end, len(d.f.vals))
	d.depth--
	d.state = state
	if idx >= 0 {
		d.f.Nodes[idx].Flags |= NodeLayer
		d.f.Nodes[idx].Len = int32(consumed)
	}
	return idx, off + consumed, ok
}

func (d *decoder) decodeArray(fld *Field, typ *Type, index int32, off, start, end int, env *evalEnv) (int, int, bool) {
	count := int64(-1)
	if typ.Mode == ArrayCount {
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
		if count > int64(d.lim.MaxElements) {
			d.fail(off, "limit reached", fmt.Sprintf("at most %d elements", d.lim.MaxElements), strconv.FormatInt(count, 10))
			return -1, off, false
		}
		// A fixed-size element must fit count times: fail early instead of
		// building nodes for an array that cannot be complete.
		if size := typ.Elem.FixedSize(); count > 0 && size > 0 && int64(end-off) < count*int64(size) {
			d.fail(off, "truncated", fmt.Sprintf("%d elements of %d bytes", count, size), fmt.Sprintf("%d bytes", end-off))
			return -1, off, false
		}
	}
	if !d.within(d.depth + 1) {
		d.failDepth(off)
		return -1, off, false
	}
	idx := d.addNode(fld, typ, index, off, 0, 0)
	if idx < 0 {
		return -1, off, false
	}
	d.depth++
	next, ok := d.arrayElems(fld, typ, idx, count, off, start, end, env)
	d.depth--
	return idx, next, ok
}

// arrayElems decodes the elements of the array typ, whose node is idx and
// count is count (-1 when its mode gives none), from off in the region
// [start, end), one level deeper than the array. It returns the offset
// after them and whether decoding may go on.
func (d *decoder) arrayElems(fld *Field, typ *Type, idx int, count int64, off, start, end int, env *evalEnv) (int, bool) {
	first := off
	last := int32(-1)
	i := 0
	if typ.Mode == ArrayCount || typ.Mode == ArrayToEnd {
		// Plain scalar elements that fit are read in one loop; the loop
		// below goes on from where it stopped, and meets any limit or
		// truncation at the element where it would have met it anyway.
		i, off, last = d.readScalars(fld, typ, count, off, end)
	}
	for ; count < 0 || int64(i) < count; i++ {
		switch typ.Mode {
		case ArrayToEnd:
			if off >= end {
				d.finish(idx, first, off)
				return off, true
			}
		case ArrayWhile:
			env.off, env.last = off, last
			v, err := typ.Len.eval(env)
			env.last = -1
			if err != exprOK {
				d.failExpr(off, "the condition of "+fld.Name, err)
				d.finish(idx, first, off)
				return off, false
			}
			if v == 0 {
				d.finish(idx, first, off)
				return off, true
			}
		}
		if i >= d.lim.MaxElements {
			d.fail(off, "limit reached", fmt.Sprintf("at most %d elements", d.lim.MaxElements), "more")
			d.finish(idx, first, off)
			return off, false
		}
		d.push(fld, int32(i))
		c, next, ok := d.decodeValue(fld, typ.Elem, int32(i), off, start, end, env)
		d.pop()
		if !ok {
			d.finish(idx, first, next)
			return next, false
		}
		if next == off && count < 0 {
			d.fail(off, "no progress", "elements that take at least one byte", "an empty element")
			d.finish(idx, first, off)
			return off, false
		}
		off = next
		last = int32(c)
		if typ.Mode == ArrayUntil {
			env.off, env.last = off, last
			v, err := typ.Len.eval(env)
			env.last = -1
			if err != exprOK {
				d.failExpr(off, "the condition of "+fld.Name, err)
				d.finish(idx, first, off)
				return off, false
			}
			if v != 0 {
				break
			}
		}
	}
	d.finish(idx, first, off)
	return off, true
}

// FrameLen applies the framing rule to the start of buf. It returns the
// frame's length and FrameOK, FrameNeedMore when buf is too short to tell,
// or FrameInvalid when the bytes cannot be the start of a frame.
func (fr *Framing) FrameLen(buf []byte) (int, FrameStatus) {
	return fr.FrameLenState(buf, nil)
}

// FrameLenState is FrameLen for a connection whose state variables are st:
// a framing rule may read them (state.x), so that the connection's phase
// can decide how frames are delimited. With st nil they read as missing
// and the bytes cannot start a frame.
func (fr *Framing) FrameLenState(buf []byte, st *State) (int, FrameStatus) {
	if fr.fast.size > 0 {
		return fr.frameLenFast(buf) // framing_fast.go
	}
	if len(fr.Magic) > 0 {
		n := min(len(buf), len(fr.Magic))
		if !bytes.Equal(buf[:n], fr.Magic[:n]) {
			return 0, FrameBadMagic
		}
		if n < len(fr.Magic) {
			return 0, FrameNeedMore
		}
	}
	var v int64
	if fr.Delimiter != nil {
		limit := min(len(buf), fr.Max)
		i := bytes.Index(buf[:limit], fr.Delimiter)
		if i < 0 {
			if len(buf) >= fr.Max {
				return 0, FrameInvalid
			}
			return 0, FrameNeedMore
		}
		v = int64(i + len(fr.Delimiter))
	} else {
		env := evalEnv{data: buf, end: len(buf), last: -1, state: st}
		var err exprErr
		v, err = fr.Size.eval(&env)
		switch err {
		case exprOK:
		case exprNeedMore:
			return 0, FrameNeedMore
		default:
			return 0, FrameInvalid
		}
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
	FrameInvalid  // the length is out of range, or cannot be computed
	FrameBadMagic // the bytes do not start with the framing's magic
)
