package schema

import "encoding/binary"

// The compiler gives each structure a plan: which of its members are plain
// reads (a fixed-size scalar or a bit field with no condition, placement,
// check or layer), and for each run of consecutive plain reads, how many
// there are and how many bytes they span, so that the decoder checks the
// room and the node limit once for the run and reads it without any other
// test. A structure built by hand, without the compiler, has no plan and
// takes the general path for every member.

// fieldPlan is how the decoder reads a member.
type fieldPlan uint8

const (
	planGeneral fieldPlan = iota // decodeField, decodeBits or a statement
	planScalar                   // a plain whole-byte scalar (plainScalar)
	planBits                     // a plain bit field (plainBits)
	planValue                    // any other value with no condition, placement or check: decodeValue alone
	planNested                   // a planValue that is a structure or a switch: resolveSwitch and plainValue first
)

// planStruct computes the plan of s's members: each member's kind of read
// and, on the first member of a run of plain reads, the run's length and
// the bytes it spans.
func planStruct(s *Struct) {
	for _, m := range s.Fields {
		m.plan, m.ops, m.checked, m.want = planGeneral, nil, false, 0
		m.flat, m.code = nil, nil
		if m.Type == nil {
			continue
		}
		planType(m.Type, 0)
		m.condPlan = planGeneral
		if m.Cond != nil {
			// A plain read but for its condition: structFields evaluates
			// the condition, then reads it as a plain read.
			cond := m.Cond
			m.Cond = nil
			m.condPlan = m.plainRead()
			m.Cond = cond
		}
		m.plan = m.plainRead()
		if m.plan == planGeneral && m.Op == OpField && m.Type.Bits == 0 && m.Cond == nil && m.At == nil && m.Size == nil && m.Pad <= 1 &&
			m.Expect == nil && m.ExpectRaw == nil && m.Range == nil && m.Check == nil && m.Layer == nil && m.Blocks == nil {
			m.plan = planValue
			if k := m.Type.Kind; k == KindStruct || k == KindSwitch {
				m.plan = planNested
			}
		}
	}
	// The runs: each longest sequence of plain reads with a slot, cut
	// every maxRun members. The bytes a run spans are counted from a byte
	// boundary, as the decoder places them: a whole-byte field after bit
	// fields starts at the next byte, and a run that ends in the middle
	// of a byte spans it.
	for i := 0; i < len(s.Fields); {
		if !s.Fields[i].inRun() {
			i++
			continue
		}
		head := s.Fields[i]
		off, bitPos := 0, 0
		var ops []runOp
		for ; i < len(s.Fields) && s.Fields[i].inRun() && len(ops) < maxRun; i++ {
			m := s.Fields[i]
			op := m.runOp(off, bitPos)
			op.node.End = int32(len(ops) + 1)
			ops = append(ops, op)
			off, bitPos = m.place(off, bitPos)
		}
		head.ops = ops
		head.code = newRunCode(ops, 0, len(ops), off, bitPos, 0)
		if len(ops) == 1 && head.plan == planScalar && !head.checked {
			head.code.one = head
		}
	}
	planPlain(s)
}

// plainRead returns planScalar or planBits when m is a plain read (see
// plainScalar and plainBits), setting want and checked for a scalar with
// an expected value; planGeneral otherwise.
func (m *Field) plainRead() fieldPlan {
	switch {
	case m.plainScalar():
		if m.Expect != nil {
			m.want, m.checked = m.wantBits()
		}
		return planScalar
	case m.plainBits():
		return planBits
	}
	return planGeneral
}

// runOp is how a member of a run is read, as the compiler plans it: the
// node it adds, but for where the run starts, the node's index and its
// value, and how to read the value; newRunCode makes the runCode that
// readRun reads from a run's ops. A run starts on a byte boundary, so
// where each member lies in it is known when the schema compiles.
type runOp struct {
	node    Node   // the member's node, with Offset from the run's start
	want    uint64 // Field.want
	slot    int32
	read    runRead
	size    uint8 // whole-byte scalars: bytes
	bits    uint8 // bit fields: width; readBitsByte: the mask
	bitOff  uint8 // bit fields: the first bit; readBitsByte: the shift
	lsb     bool  // bit fields: Type.LSBFirst
	checked bool  // Field.checked
	endian  Endian
	inner   bool // a flat run's op inside a nested structure: slot counts from the run's own slots, not the structure's
}

// runRead is how a member of a run is read.
type runRead uint8

const (
	readBitField runRead = iota
	readBitsByte         // a bit field within one byte, most significant bit first
	readU8
	readU16BE
	readU16LE
	readU32BE
	readU32LE
	readOther  // readUint
	readStruct // a flat run's nested structure: its node, no value
)

// runOp returns how a run reads m, a member of it placed at bit
// bitPos of the byte off bytes from the run's start.
func (m *Field) runOp(off, bitPos int) runOp {
	t := m.Type
	if m.plan != planBits && bitPos != 0 {
		off, bitPos = off+1, 0 // a whole-byte field starts at the next byte
	}
	op := runOp{want: m.want, slot: int32(m.Slot), size: uint8(t.Size), checked: m.checked, endian: t.Endian}
	op.node = Node{Field: m, Type: t, Index: -1, Offset: int32(off), Len: int32(t.Size), slots: -1}
	switch {
	case m.plan == planBits:
		op.read, op.size, op.bits, op.bitOff, op.lsb = readBitField, 0, uint8(t.Bits), uint8(bitPos), t.LSBFirst
		op.node.Len = int32((bitPos + t.Bits + 7) / 8)
		op.node.BitOff, op.node.BitLen = uint8(bitPos), uint8(t.Bits)
		if !t.LSBFirst && bitPos+t.Bits <= 8 {
			op.read, op.bitOff, op.bits = readBitsByte, uint8(8-bitPos-t.Bits), uint8(1<<t.Bits-1)
		}
	case t.Size == 1:
		op.read = readU8
	case t.Size == 2 && t.Endian == BigEndian:
		op.read = readU16BE
	case t.Size == 2:
		op.read = readU16LE
	case t.Size == 4 && t.Endian == BigEndian:
		op.read = readU32BE
	case t.Size == 4:
		op.read = readU32LE
	default:
		op.read = readOther
	}
	return op
}

// inRun reports whether m can be part of a run: a plain read with a slot.
func (m *Field) inRun() bool {
	return (m.plan == planScalar || m.plan == planBits) && m.Slot >= 0
}

// place returns the offset and bit position after m, a plain read placed
// at bit bitPos of the byte at off, as the decoder places it.
func (m *Field) place(off, bitPos int) (int, int) {
	if m.plan == planBits {
		bitPos += m.Type.Bits
		return off + bitPos/8, bitPos % 8
	}
	if bitPos != 0 {
		off++
	}
	return off + m.Type.Size, 0
}

// planPlain sets s.plainSize and s.plainCode when s is one run (see
// planStruct) of plain reads, so that the decoder reads the whole
// structure at once when the region has room for it; plainSize is -1
// otherwise. A structure that ends in the middle of a byte takes it, as
// the run spans it.
func planPlain(s *Struct) {
	s.plainSize, s.plainCode = -1, nil
	if len(s.Fields) == 0 || s.Fields[0].code == nil || s.Fields[0].code.members != len(s.Fields) {
		return
	}
	run := s.Fields[0].code
	s.plainSize = run.size
	// The structure as a value (see plainValue): its node, then its
	// members', whose slots are the structure's own.
	ops := appendStructOps(make([]runOp, 0, 1+len(s.Fields)), -1, Node{Index: -1, Len: int32(s.plainSize)}, s.Fields[0].ops, 0)
	s.plainCode = newRunCode(ops, s.slotCount(), 1, run.end, run.bit, 0)
}

// wantBits returns the bits that a plain integer field with a constant
// expected value must read for check to accept it, and whether the
// expectation is that simple. check compares the value as Node.Int gives
// it: an unsigned field matches exactly when its bits are the constant's
// (a constant out of its range matches none); a signed one when its bits
// are the constant's, cut to its width, and the constant is in its range,
// else it matches none: want is then a pattern no read of Size < 8 bytes
// gives.
func (m *Field) wantBits() (uint64, bool) {
	t := m.Type
	want, ok := m.Expect.constant()
	if !ok || t.Bits != 0 || t.Varint != NotVarint || t.Size <= 0 || t.Size > 8 {
		return 0, false
	}
	switch t.Kind {
	case KindUint:
		return uint64(want), true
	case KindInt:
		if t.Size == 8 {
			return uint64(want), true
		}
		shift := uint(64 - 8*t.Size)
		bits := uint64(want) << shift >> shift
		if int64(bits<<shift)>>shift != want {
			return 1 << 63, true
		}
		return bits, true
	}
	return 0, false
}

// readPlainBits reads m, a plain bit field (see planBits), at bit bitPos of
// the byte at off, in the region that ends at end, where the region and the
// node limit have room for it: it adds its node, sets its slot in the
// structure whose slots start at base, and returns the offset and bit
// position after it.
func (d *decoder) readPlainBits(m *Field, base, off, bitPos, end int) (int, int) {
	t := m.Type
	v := readBits(d.data[off:end], bitPos, t.Bits, t.LSBFirst)
	c := d.addNode(m, t, -1, off, (bitPos+t.Bits+7)/8, v)
	n := &d.f.Nodes[c]
	n.BitOff, n.BitLen = uint8(bitPos), uint8(t.Bits)
	d.f.slots[base+m.Slot] = int32(c)
	bitPos += t.Bits
	return off + bitPos/8, bitPos % 8
}

// decodeNested decodes m, a structure or switch with no condition,
// placement or check (planNested), at off, in the structure whose slots
// start at base, as structFields' general path would, from typ for fld,
// levels switches deep, as resolveSwitch (or nestedStep) resolved it: a
// plain structure that fits is read at once (see plainValue), any other
// structure with no arguments within the depth limit by decodeStruct,
// and anything else by decodeValue, which goes on from the level reached
// and reports what stopped it (env is nil only for structures). It
// returns the offset after m and whether decoding may go on.
func (d *decoder) decodeNested(m, fld *Field, typ *Type, levels, base, off, start, end int, env *evalEnv) (int, bool) {
	var c, next int
	var ok bool
	if d.structNested(typ, levels) {
		if c, next, ok = d.plainValue(fld, typ, off, end); ok {
			d.f.slots[base+m.Slot] = int32(c)
			return next, true
		}
		// decodeValue's case for a structure, without its arguments
		// (nestedStruct, written out on this hot path).
		d.push(m, -1)
		d.depth += levels + 1
		c, next, ok = d.decodeStruct(fld, typ, -1, off, start, end, len(d.f.vals))
		d.depth -= levels + 1
	} else {
		d.push(m, -1)
		d.depth += levels
		c, next, ok = d.decodeValue(fld, typ, -1, off, start, end, env)
		d.depth -= levels
	}
	if c >= 0 {
		d.f.slots[base+m.Slot] = int32(c)
	}
	if ok {
		d.pop()
	}
	return max(next, off), ok
}

// nestedStruct is decodeValue's case for a structure, m's value typ for
// fld, levels switches deep, whose parameter values start at params in
// f.vals: it decodes it, puts its node in m's slot, and returns the offset
// after it and whether decoding may go on, as decodeNested does.
func (d *decoder) nestedStruct(m, fld *Field, typ *Type, levels, base, off, start, end, params int) (int, bool) {
	d.push(m, -1)
	d.depth += levels + 1
	c, next, ok := d.decodeStruct(fld, typ, -1, off, start, end, params)
	d.depth -= levels + 1
	if c >= 0 {
		d.f.slots[base+m.Slot] = int32(c)
	}
	if ok {
		d.pop()
	}
	return max(next, off), ok
}

// structNested reports whether typ, levels switches deep, is a structure
// with no arguments within the depth limit, which decodeNested reads
// without decodeValue.
func (d *decoder) structNested(typ *Type, levels int) bool {
	return typ.Kind == KindStruct && len(typ.Args) == 0 && d.within(d.depth+levels+1)
}

// resolveSwitch follows the switches of m, a value with no condition,
// placement or check, as decodeValue would: while the type is a switch on
// an integer whose tag evaluates, that has a case for it, within the depth
// limit. It returns the field and type reached (a case may name its own
// field) and how many switches it went through. decodeValue goes on from
// there, one level deeper per switch, and reports what stopped it:
// evaluating a tag has no side effect, so evaluating it twice changes
// nothing.
func (d *decoder) resolveSwitch(m *Field, env *evalEnv) (*Field, *Type, int) {
	fld, typ, levels := m, m.Type, 0
	for typ.Kind == KindSwitch {
		sw := typ.Switch
		if sw.TextTag || !d.within(d.depth+levels+1) {
			break
		}
		tag, err := sw.Tag.eval(env)
		if err != exprOK {
			break
		}
		chosen, named := sw.match(tag)
		if chosen == nil {
			break
		}
		if named != nil {
			fld = named
		}
		typ = chosen
		levels++
	}
	return fld, typ, levels
}

// plainValue reads typ, for fld, at off in the region that ends at end,
// when it is a plain structure (see planPlain) with no parameters that
// the region, the limits and its expected values let be read at once (the
// caller checked the rest: see structNested); it returns its node, the
// offset after it, and true. decodeValue and decodeStruct would read the
// same nodes and slots (a plain structure evaluates nothing, so it needs
// no scope). Else (also when a member does not hold its expected value)
// it leaves the frame as it found it and returns false.
func (d *decoder) plainValue(fld *Field, typ *Type, off, end int) (int, int, bool) {
	st := typ.Struct
	if st.plainSize <= 0 || len(st.Params) > 0 {
		return -1, off, false
	}
	// The structure's node and its members', from their templates, when
	// the region and the node limit have room for them (readRun checks).
	idx := len(d.f.Nodes)
	if !d.readRun(st.plainCode, 0, off, end) {
		return -1, off, false
	}
	n := &d.f.Nodes[idx]
	n.Field, n.Type = fld, typ
	return idx, off + st.plainSize, true
}

// maxRun bounds a run of plain scalars, so that its size cannot overflow.
const maxRun = 1 << 12

// planType sets sizeText on the scalars among t and the types inside
// it, and plainElems, down to (not into) structures, which have their own
// plan: an array whose elements are plain fixed-size scalars (integers,
// floats and bools of whole bytes), which decodeValue reads with nothing
// but a room check and a node.
func planType(t *Type, depth int) {
	if t == nil || depth > 64 {
		return
	}
	if t.Varint == NotVarint && (t.FixedSize() > 0 || t.Bits > 0) {
		t.sizeText = sizeText(t) // by its final name: an enum's, say
	}
	switch t.Kind {
	case KindArray:
		t.plainElems = t.Elem.FixedSize() > 0
		planType(t.Elem, depth+1)
	case KindSwitch:
		planTag(t.Switch)
		for _, c := range t.Switch.Cases {
			planType(c.Type, depth+1)
		}
		planType(t.Switch.Default, depth+1)
	}
}

// readScalars reads the first elements of the array typ at off, in the
// region that ends at end, when its elements are plain scalars (see
// planType): as many as the count (-1: to the end of the region), the
// room, the element limit and the node limit all allow. It returns how
// many it read, the offset after them and the node of the last one (-1
// when none). decodeArray's loop would add the same nodes one by one; it
// goes on from there and fails where it would have failed anyway.
func (d *decoder) readScalars(fld *Field, typ *Type, count int64, off, end int) (int, int, int32) {
	if !typ.plainElems {
		return 0, off, -1
	}
	e := typ.Elem
	size := e.Size
	n := (end - off) / size
	if count >= 0 && int64(n) > count {
		n = int(count)
	}
	n = min(n, d.lim.MaxElements, d.lim.MaxNodes-len(d.f.Nodes))
	if n <= 0 {
		return 0, off, -1
	}
	n0 := len(d.f.Nodes)
	nodes := d.growNodes(n)
	nodes = nodes[:n]
	data := d.data[off : off+n*size]
	tmpl := Node{Field: fld, Type: e, Len: int32(size), slots: -1}
	// The values, in a loop of their own for the commonest sizes.
	switch {
	case size == 2 && e.Endian == BigEndian:
		// Over the bytes two at a time, so that reading them needs no
		// bounds check, and the node's index counted alongside.
		data = data[:2*n]
		k := 0
		for i := 0; i+1 < len(data); i += 2 {
			// Field by field: a whole-node copy would call wbMove while
			// the garbage collector marks, which spills the loop's
			// registers (measured: BenchmarkDecodeModbusResponse takes 6%
			// longer with one). readRun's nodes differ from each other,
			// and copy their templates whole.
			nd := &nodes[k]
			nd.Field, nd.Type = fld, e
			nd.Index, nd.Offset, nd.Len, nd.End = int32(k), int32(off+i), 2, int32(n0+k+1)
			nd.Bits, nd.slots = uint64(data[i])<<8|uint64(data[i+1]), -1
			nd.BitOff, nd.BitLen, nd.Flags = 0, 0, 0
			k++
		}
	case size == 1:
		data = data[:n]
		for k := range nodes {
			nd := &nodes[k]
			*nd = tmpl
			nd.Index, nd.Offset, nd.End = int32(k), int32(off+k), int32(n0+k+1)
			nd.Bits = uint64(data[k])
		}
	default:
		for k := range nodes {
			nd := &nodes[k]
			*nd = tmpl
			nd.Index, nd.Offset, nd.End = int32(k), int32(off+k*size), int32(n0+k+1)
			nd.Bits = readUint(data[k*size:], size, e.Endian)
		}
	}
	return n, off + n*size, int32(n0 + n - 1)
}

// growNodes appends n nodes to the frame, to be filled in by the caller,
// and returns them.
func (d *decoder) growNodes(n int) []Node {
	var added []Node
	d.f.Nodes, added = extend(d.f.Nodes, n)
	return added
}

// growSlots appends n slots to the frame, to be filled in by the caller,
// and returns them.
func (d *decoder) growSlots(n int) []int32 {
	var added []int32
	d.f.slots, added = extend(d.f.slots, n)
	return added
}

// extend returns s with n more elements, and those elements, to be
// filled in by the caller (they may hold old values). It grows s's array
// only when full, to twice its capacity and n more: no append of zero
// values, no allocation in steady state.
func extend[T any](s []T, n int) ([]T, []T) {
	n0 := len(s)
	if n0+n > cap(s) {
		grown := make([]T, n0, 2*cap(s)+n)
		copy(grown, s)
		s = grown
	}
	s = s[:n0+n]
	return s, s[n0:]
}

// constant returns the value of an expression that is a constant or a
// negated one (-1 compiles to a negation), and whether it is.
func (e *Expr) constant() (int64, bool) {
	switch {
	case e == nil:
		return 0, false
	case e.op == opConst:
		return e.val, true
	case e.op == opNeg && e.x != nil && e.x.op == opConst:
		return -e.x.val, true
	}
	return 0, false
}

// A flat run is a run of plain reads (see planStruct) that goes on into
// the nested structures among them: each longest sequence of members
// that are plain reads with a slot or flat structures, with at least one
// flat structure, and at most maxRun ops (a member's node is an op; a
// structure that would take the run past that ends it). A flat structure is a member that is a structure with
// no condition, placement, check, arguments or parameters, whose members
// are all plain reads with a slot or flat structures. The decoder reads
// a flat run with one room check and one loop, adding the nested
// structures' nodes and slots where decodeNested and plainValue would
// have added them, or, when anything stops it (room, a limit, a member
// that does not hold its expected value), reads nothing and leaves the
// members to the general path, which reports it.
type flatRun struct {
	ops  []runOp  // as flatBuilder built them
	code *runCode // as readRun reads them
}

// maxFlatDepth bounds the nesting a flat run goes into.
const maxFlatDepth = 8

// planFlat gives s's flat runs to their first members. The structures
// nested in s must have their plans (planStruct) already.
func planFlat(s *Struct) {
	for i := 0; i < len(s.Fields); {
		m := s.Fields[i]
		if !m.inRun() && flatOps(m, 0, maxRun) < 0 {
			i++
			continue
		}
		var b flatBuilder
		off, bitPos, nested, j := 0, 0, false, i
		for ; j < len(s.Fields) && len(b.ops) < maxRun; j++ {
			f := s.Fields[j]
			if f.inRun() {
				off, bitPos = b.add(f, off, bitPos, false, 0, 1)
				continue
			}
			if flatOps(f, 0, maxRun-len(b.ops)) < 0 {
				break // not flat, or more ops than the run has room for
			}
			nested = true
			off, bitPos = b.add(f, off, bitPos, false, 0, 1)
		}
		if nested {
			m.flat = &flatRun{ops: b.ops, code: newRunCode(b.ops, b.slots, j-i, off, bitPos, b.depth)}
		}
		i = max(j, i+1)
	}
}

// flatOps returns the number of ops of m in a flat run (its node and
// those of its members, nested depth levels deep) when m is a flat
// structure (see flatRun) of at most limit ops, and -1 otherwise. It
// stops as soon as the count passes limit: structures that nest many
// times over, each member a structure of many, are not walked member by
// member, which would take time and, in the run's ops, memory exponential
// in the nesting.
func flatOps(m *Field, depth, limit int) int {
	if limit < 1 || m.plan != planNested || m.Slot < 0 || m.Type.Kind != KindStruct || len(m.Type.Args) > 0 || depth >= maxFlatDepth {
		return -1
	}
	st := m.Type.Struct
	if st == nil || len(st.Params) > 0 || len(st.Fields) == 0 {
		return -1
	}
	n := 1 // the structure's node
	for _, f := range st.Fields {
		k := 1
		if !f.inRun() {
			if k = flatOps(f, depth+1, limit-n); k < 0 {
				return -1
			}
		}
		if n += k; n > limit {
			return -1
		}
	}
	return n
}

// flatBuilder builds the ops of a flat run.
type flatBuilder struct {
	ops   []runOp
	slots int // slots of the nested structures so far
	depth int
}

// add appends the ops of m, a plain read or a flat structure placed at
// bit bitPos of the byte off bytes from the run's start, at nesting
// level (1: a member of the run's structure), whose slot is slotBase +
// m.Slot in the structure's slots (inner false) or the run's own (inner
// true). It returns the offset and bit position after m.
func (b *flatBuilder) add(m *Field, off, bitPos int, inner bool, slotBase, level int) (int, int) {
	if m.inRun() {
		op := m.runOp(off, bitPos)
		op.slot, op.inner = int32(slotBase+m.Slot), inner
		op.node.End = int32(len(b.ops) + 1)
		b.ops = append(b.ops, op)
		return m.place(off, bitPos)
	}
	// A flat structure: it starts at the next byte, and its slots after
	// those of the structures before it, as decodeNested would add them.
	if bitPos != 0 {
		off, bitPos = off+1, 0
	}
	st := m.Type.Struct
	k := len(b.ops)
	own := b.slots
	b.slots += st.slotCount()
	b.depth = max(b.depth, level)
	op := runOp{read: readStruct, slot: int32(slotBase + m.Slot), inner: inner}
	op.node = Node{Field: m, Type: m.Type, Index: -1, Offset: int32(off), slots: int32(own)}
	b.ops = append(b.ops, op)
	next, nextBit := off, 0
	for _, f := range st.Fields {
		next, nextBit = b.add(f, next, nextBit, true, own, level+1)
	}
	if nextBit != 0 {
		next++
	}
	b.ops[k].node.Len = int32(next - off)
	b.ops[k].node.End = int32(len(b.ops))
	return next, 0
}

// A structure whose members all have a plan of their own (flat runs, runs,
// structures and switches with no condition, placement or check, arrays
// of plain scalars counted by a field, a pairing key) gets steps: one per
// run or member, which runSteps takes in turn without structFields'
// general loop and its evaluation environment. A step that meets anything
// out of the way (no room, a limit, an expected value, a tag with no
// case, a missing field) hands the members from there to structFields,
// which reads them as it would have from the start, and reports it: a
// step adds the nodes and slots structFields would have added, and
// evaluates nothing that has a side effect.

// stepKind is what a step does.
type stepKind uint8

const (
	stepRun    stepKind = iota // the member's flat run, or run of plain reads: readRun
	stepNested                 // a planNested member: its switches, on fields of the structure, then a structure
	stepArray                  // a planValue array of plain scalars whose count is a field of the structure (op a constant)
	stepBytes                  // planValue bytes or text whose length is a field of the structure (op a constant)
	stepPair                   // a pairing key one or two slots away
	stepFused                  // the run and the planNested member after it, at once (see fusedRun); else the two steps that follow
)

// memberStep is one step of a structure's steps.
type memberStep struct {
	kind   stepKind
	member int32 // the index of its (first) member
	m      *Field
	code   *runCode // stepRun: the run
	fused  *fusedRun
}

// planSteps gives s its steps when every member has one (see memberStep),
// and nil otherwise. The members' plans and flat runs must be made.
func planSteps(s *Struct, fuse bool) []memberStep {
	var steps []memberStep
	for i := 0; i < len(s.Fields); {
		m := s.Fields[i]
		switch {
		case m.flat != nil && m.flat.code.bit == 0:
			steps = appendRun(steps, s, i, m.flat.code, m.flat.ops, fuse)
			i += m.flat.code.members
			continue
		case m.code != nil && m.code.bit == 0:
			steps = appendRun(steps, s, i, m.code, m.ops, fuse)
			i += m.code.members
			continue
		case m.plan == planNested && m.Slot >= 0:
			steps = append(steps, memberStep{member: int32(i), kind: stepNested, m: m})
		case m.plan == planValue && m.Slot >= 0 && countedScalars(m.Type):
			steps = append(steps, memberStep{member: int32(i), kind: stepArray, m: m})
		case m.plan == planValue && m.Slot >= 0 && countedBytes(m):
			steps = append(steps, memberStep{member: int32(i), kind: stepBytes, m: m})
		case m.Op == OpPair && m.Cond == nil && m.Value != nil && m.Value.op == opField && len(m.Value.path) >= 1 && len(m.Value.path) <= 2:
			steps = append(steps, memberStep{member: int32(i), kind: stepPair, m: m})
		default:
			return nil
		}
		i++
	}
	return steps
}

// planAllSteps gives the structures their steps (see planSteps), and
// fuses them (see fusedRun): the fused steps of a structure are planned
// from the steps of the others before any is fused, so that they do not
// depend on the order of the structures. The members' plans and flat
// runs must be made.
func planAllSteps(structs []*Struct) {
	for _, s := range structs {
		s.steps = planSteps(s, false)
	}
	fused := make([][]memberStep, len(structs))
	for i, s := range structs {
		fused[i] = planSteps(s, true)
	}
	for i, s := range structs {
		s.steps, s.rest = fused[i], 0
		// The step after the first run, when only its fused step comes
		// before it (see partialValue).
		for k, st := range s.steps {
			if st.kind == stepRun {
				s.rest = k + 1
				break
			}
			if st.kind != stepFused {
				break
			}
		}
	}
}

// countedScalars reports whether t is an array of plain scalars (see
// planType) whose count is a field of the structure, or such a field
// combined with a constant (opFieldConst).
func countedScalars(t *Type) bool {
	if t.Kind != KindArray || t.Mode != ArrayCount || !t.plainElems || t.Elem == nil || t.Elem.Size <= 0 || t.Len == nil {
		return false
	}
	e := t.Len
	if e.op == opFieldConst {
		e = e.x
	}
	return e.op == opField && len(e.path) == 1
}

// countedBytes reports whether m is bytes, or text with no trimming,
// whose length is a field of the structure (op a constant), with no layer
// (decodeBytes reads them with nothing but a node).
func countedBytes(m *Field) bool {
	t := m.Type
	if (t.Kind != KindBytes && (t.Kind != KindString || m.TrimNul)) || t.Mode != ArrayCount || t.Len == nil || m.Layer != nil {
		return false
	}
	e := t.Len
	if e.op == opFieldConst {
		e = e.x
	}
	return e.op == opField && len(e.path) == 1
}

// planTag sets sw.fieldTag and sw.tagSlot: whether its tag is an integer
// field of the structure the switch is in (or such a field combined with
// a constant), and the field's slot.
func planTag(sw *Switch) {
	sw.fieldTag, sw.tagSlot = false, 0
	e := sw.Tag
	if sw.TextTag || e == nil || !fieldOperand(e) {
		return
	}
	if e.op == opFieldConst {
		e = e.x
	}
	sw.fieldTag, sw.tagSlot = true, e.path[0]
}

// slotInt is the value of a field or parameter of the structure whose
// slots start at base, as eval would give it: Node.Int of a field's node,
// a parameter's value; false for a field that was not decoded.
func (d *decoder) slotInt(base, slot int) (int64, bool) {
	i := base + slot
	if uint(i) >= uint(len(d.f.slots)) {
		return 0, false
	}
	return d.heldValue(d.f.slots[i])
}

// heldValue is slotInt for what a slot holds: a node, a parameter's value
// (-2 - its index in f.vals), or nothing (-1).
func (d *decoder) heldValue(c int32) (int64, bool) {
	switch {
	case c >= 0:
		return d.f.Nodes[c].Int(), true
	case c < -1:
		return d.f.vals[-c-2], true
	}
	return 0, false
}

// fieldExpr evaluates e, an opField of one slot or an opFieldConst on
// one, in the structure whose slots start at base, as eval would; false
// when the field holds no node or the operation fails (eval then reports
// it).
func (d *decoder) fieldExpr(e *Expr, base int) (int64, bool) {
	if e.op == opFieldConst {
		v, ok := d.slotInt(base, e.x.path[0])
		if !ok {
			return 0, false
		}
		v, err := binop(e.cmp, v, e.val)
		return v, err == exprOK
	}
	return d.slotInt(base, e.path[0])
}

// runSteps decodes the members of s, whose node is idx and slots start at
// base and which starts at first, from its step k (the steps before it
// taken) at off, in the region [start, end), by its steps; from the first
// step that cannot be taken at once, by structFields.
func (d *decoder) runSteps(s *Struct, idx, base, first, off, k, start, end int) (int, int, bool) {
	steps := s.steps
	for ; k < len(steps); k++ {
		st := &steps[k]
		if st.kind == stepRun {
			rc := st.code
			if rc.one != nil {
				// A run of one whole-byte scalar with no expected value:
				// its node alone.
				m := rc.one
				t := m.Type
				if end-off < t.Size || len(d.f.Nodes) >= d.lim.MaxNodes {
					break
				}
				d.f.slots[base+m.Slot] = int32(d.addNode(m, t, -1, off, t.Size, readUint(d.data[off:], t.Size, t.Endian)))
				off += t.Size
				continue
			}
			if !d.readRun(rc, base, off, end) {
				break
			}
			off += rc.end
			continue
		}
		if st.kind == stepFused || st.kind == stepNested {
			var next int
			ok := true
			if st.kind == stepNested {
				next, ok = d.nestedStep(st.m, base, off, start, end)
			} else {
				fr := st.fused
				var c *fusedCase
				var levels, res int
				next, c, levels, res = d.fusedStep(fr, base, off, end)
				if res == fusedDone {
					off = next
					k += 2 // the run and the member
					continue
				}
				if res == fusedNone {
					continue // the run's step, and the member's, as they come
				}
				if res == fusedPartial {
					k += 2 // the run and the member
					next = d.partialValue(fr.m, c, levels, next, start, end)
				} else {
					if !d.readRun(fr.run, base, off, end) {
						continue // as they come
					}
					// The run read, and the member's switches resolved: the
					// member's value from there, as nestedStep goes on.
					off += fr.run.end
					k += 2 // the member's step
					next, ok = d.nestedValue(fr.m, c.fld, c.typ, levels, base, off, start, end)
				}
			}
			if !ok {
				break
			}
			if next < 0 { // decodeStruct failed and said why
				next = -next - 1
				d.finishFailed(idx, first, next, 0)
				return idx, next, false
			}
			off = next
			continue
		}
		m := st.m
		if st.kind == stepArray {
			next, ok := d.arrayStep(m, base, off, end)
			if !ok {
				break
			}
			off = next
			continue
		}
		if st.kind == stepBytes {
			// decodeBytes, when the length evaluates and fits.
			n, ok := d.fieldExpr(m.Type.Len, base)
			if !ok || n < 0 || n > int64(end-off) || len(d.f.Nodes) >= d.lim.MaxNodes {
				break
			}
			d.f.slots[base+m.Slot] = int32(d.addNode(m, m.Type, -1, off, int(n), uint64(n)))
			off += int(n)
			continue
		}
		// stepPair: a key one slot away (a field or a parameter: DNS's
		// pair request id) or two (see Frame.pathNode).
		v, ok := int64(0), false
		if p := m.Value.path; len(p) == 1 {
			v, ok = d.heldValue(d.f.slots[base+p[0]])
		} else if c := d.f.pathNode(base, p); c >= 0 {
			v, ok = d.f.Nodes[c].Int(), true
		}
		if !ok {
			break
		}
		d.f.Pair, d.f.PairKey = m.Role, v
	}
	if k < len(steps) {
		return d.structFields(s, idx, base, first, off, int(steps[k].member), start, end)
	}
	d.finish(idx, first, off)
	return idx, off, true
}

// nestedStep decodes m, a planNested member, at off in the structure
// whose slots start at base, as decodeNested would, when its switches all
// have a field tag (see planTag) with a case for it within the depth
// limit, and the type reached is a structure with no arguments, or with
// arguments nestedArgs takes: it returns the offset after m and true, or,
// when decoding the structure failed (having said why), -1 - the offset
// where it stopped and true. Otherwise it reads nothing and returns false.
func (d *decoder) nestedStep(m *Field, base, off, start, end int) (int, bool) {
	fld, typ, levels := m, m.Type, 0
	for typ.Kind == KindSwitch {
		sw := typ.Switch
		if !sw.fieldTag || !d.within(d.depth+levels+1) {
			return off, false
		}
		var tag int64
		if sw.Tag.op == opField {
			v, ok := d.heldValue(d.f.slots[base+sw.tagSlot])
			if !ok {
				return off, false
			}
			tag = v
		} else if v, ok := d.fieldExpr(sw.Tag, base); ok {
			tag = v
		} else {
			return off, false
		}
		chosen, named := sw.match(tag)
		if chosen == nil {
			return off, false
		}
		if named != nil {
			fld = named
		}
		typ = chosen
		levels++
	}
	return d.nestedValue(m, fld, typ, levels, base, off, start, end)
}

// nestedValue is nestedStep once m's switches are resolved: typ for fld,
// levels switches deeper. It reads a structure with no arguments within
// the depth limit as decodeNested does (one with arguments when
// nestedArgs takes them), and returns the offset after it
// and true, or, when decoding it failed (having said why), -1 - the
// offset where it stopped and true; anything else it leaves to the
// general path, returning false.
func (d *decoder) nestedValue(m, fld *Field, typ *Type, levels, base, off, start, end int) (int, bool) {
	var next int
	var ok bool
	switch {
	case typ.Kind == KindStruct && len(typ.Args) > 0:
		params, took := d.nestedArgs(typ, levels, base)
		if !took {
			return off, false
		}
		next, ok = d.nestedStruct(m, fld, typ, levels, base, off, start, end, params)
	case d.structNested(typ, levels):
		next, ok = d.decodeNested(m, fld, typ, levels, base, off, start, end, nil)
	default:
		return off, false
	}
	if !ok {
		return -1 - next, true
	}
	return next, true
}

// maxFastArgs bounds the arguments nestedArgs takes.
const maxFastArgs = 4

// nestedArgs evaluates the arguments of typ, a structure that is a
// member's value levels switches deep in the structure whose slots start
// at base (a DNS label's TextLabel(length), a record's RecordData(type)),
// when each is a field of that structure that was decoded or one of its
// parameters, or such a field or parameter and a constant (see
// fieldExpr), within the depth limit: it appends their values to f.vals,
// as decodeValue would, and returns where they start and true. Otherwise
// it appends nothing and returns false, and the general path evaluates
// the arguments (and says why they cannot be).
func (d *decoder) nestedArgs(typ *Type, levels, base int) (int, bool) {
	var vals [maxFastArgs]int64
	if len(typ.Args) > maxFastArgs || !d.within(d.depth+levels+1) {
		return 0, false
	}
	for i, a := range typ.Args {
		if !fieldOperand(a) {
			return 0, false
		}
		v, ok := d.fieldExpr(a, base)
		if !ok {
			return 0, false
		}
		vals[i] = v
	}
	params := len(d.f.vals)
	d.f.vals = append(d.f.vals, vals[:len(typ.Args)]...)
	return params, true
}

// fieldOperand reports whether fieldExpr evaluates e: a field of one slot,
// or such a field and a constant.
func fieldOperand(e *Expr) bool {
	if e.op == opFieldConst {
		e = e.x
	}
	return e.op == opField && len(e.path) == 1 && e.path[0] >= 0
}

// arrayStep decodes m, a stepArray member, at off in the region that ends
// at end, in the structure whose slots start at base, as structFields and
// decodeArray would, when its count evaluates and its elements all fit
// within the region and the limits: it returns the offset after it and
// true. Otherwise it reads nothing and returns false.
func (d *decoder) arrayStep(m *Field, base, off, end int) (int, bool) {
	typ := m.Type
	count, ok := d.fieldExpr(typ.Len, base)
	size := int64(typ.Elem.Size)
	if !ok || count < 0 || count > int64(d.lim.MaxElements) || count > int64(end-off) || count*size > int64(end-off) ||
		!d.within(d.depth+1) || int64(len(d.f.Nodes))+1+count > int64(d.lim.MaxNodes) {
		return off, false
	}
	idx := d.addNode(m, typ, -1, off, 0, 0)
	next := off
	if count > 0 {
		_, next, _ = d.readScalars(m, typ, count, off, end)
	}
	d.finish(idx, off, next)
	d.f.slots[base+m.Slot] = int32(idx)
	return next, true
}

// runCode is a run of plain reads (see planStruct), a flat run, or a plain
// structure as a value (see plainValue), in the form readRun reads it:
// each node from its template, placed, with its value. The expected
// values are checked before anything is written, so that a run that
// stops leaves nothing to take back.
type runCode struct {
	// What readRun reads, first, so that it spans as few cache lines as
	// can be.
	size   int        // bytes it spans, counted from a byte boundary
	depth  int        // nesting of its deepest structure, from the structure's members (1); 0 without any
	end    int        // the offset after it, from its start, and the bit position there
	slow   bool       // some of kinds are read by readSlow
	nodes  []Node     // the nodes: Offset from the run's start, End from its first node, a structure's slots from the run's own slots, Bits how to read the value (a runRead; readBitsByte: then the shift and the mask, a byte each)
	checks []runCheck // the expected values
	inner  []int32    // the run's own slots (its nested structures'): a node from the run's first, or -1
	outer  []runSlot  // the slots of the members of the structure the run is in, from the structure's first
	one    *Field     // a run of one whole-byte scalar with no expected value: its field

	kinds   []runKind // how to read each node's value, in full
	members int       // members of the structure the run covers
	bit     int       // the bit position after it, in the byte at end
}

// runKind is how readRun reads the value of a run's node (its template
// gives where: Offset).
type runKind struct {
	read   runRead
	size   uint8 // whole-byte scalars: bytes
	bits   uint8 // bit fields: width; readBitsByte: the mask
	bitOff uint8 // bit fields: the first bit; readBitsByte: the shift
	lsb    bool  // bit fields: Type.LSBFirst
	endian Endian
}

// runCheck is a run member's expected value (Field.want).
type runCheck struct {
	rel    int32
	size   uint8
	endian Endian
	want   uint64
}

// runSlot is a slot of the structure a run is in, and the node it gets,
// from the run's first.
type runSlot struct {
	slot, node int32
}

// newRunCode returns the code of a run of ops (End counted from the run's
// first node; an inner op's slot, and a structure's slots, from the run's
// own slots; an op of slot -1 sets none), whose nested structures take
// slots slots, that covers members members of its structure, ends at bit
// bit of the byte end bytes from its start, and nests depth structures
// deep.
func newRunCode(ops []runOp, slots, members, end, bit, depth int) *runCode {
	rc := &runCode{members: members, end: end, bit: bit, size: end, depth: depth}
	if bit != 0 {
		rc.size++
	}
	rc.inner = make([]int32, slots)
	for i := range rc.inner {
		rc.inner[i] = -1
	}
	rc.nodes, rc.kinds = make([]Node, len(ops)), make([]runKind, len(ops))
	for k := range ops {
		op := &ops[k]
		rc.nodes[k] = op.node
		rc.nodes[k].Bits = uint64(op.read)
		if op.read == readBitsByte {
			rc.nodes[k].Bits |= uint64(op.bitOff)<<8 | uint64(op.bits)<<16 // the shift and the mask
		}
		rc.slow = rc.slow || op.read == readBitField || op.read == readOther
		switch {
		case op.slot < 0:
		case op.inner:
			rc.inner[op.slot] = int32(k)
		default:
			rc.outer = append(rc.outer, runSlot{slot: op.slot, node: int32(k)})
		}
		rc.kinds[k] = runKind{read: op.read, size: op.size, bits: op.bits, bitOff: op.bitOff, lsb: op.lsb, endian: op.endian}
		if op.checked {
			rc.checks = append(rc.checks, runCheck{rel: op.node.Offset, size: op.size, endian: op.endian, want: op.want})
		}
	}
	return rc
}

// readRun reads rc, a run of the structure whose slots start at base, at
// off on a byte boundary in the region that ends at end, and returns
// true; it reads nothing and returns false when the region or a limit
// has no room for it, or a member does not hold its expected value (the
// general path then reads the members and reports it).
func (d *decoder) readRun(rc *runCode, base, off, end int) bool {
	n0 := len(d.f.Nodes)
	if end-off < rc.size || n0+len(rc.nodes) > d.lim.MaxNodes || !d.within(d.depth+rc.depth) {
		return false
	}
	data := d.data[off:end]
	for i := range rc.checks {
		c := &rc.checks[i]
		var v uint64
		switch {
		case c.size == 2 && c.endian == BigEndian:
			v = uint64(binary.BigEndian.Uint16(data[c.rel:]))
		case c.size == 1:
			v = uint64(data[c.rel])
		default:
			v = readUint(data[c.rel:], int(c.size), c.endian)
		}
		if v != c.want {
			return false
		}
	}
	e := int32(n0)
	own := int32(len(d.f.slots))
	if len(rc.inner) > 0 {
		extra := d.growSlots(len(rc.inner))
		for i, n := range rc.inner {
			if n >= 0 {
				n += e
			}
			extra[i] = n
		}
	}
	tmpl := rc.nodes
	nodes := d.growNodes(len(tmpl))
	nodes = nodes[:len(tmpl)]
	o := int32(off)
	// One loop, with as few variables as can stay in registers: each node
	// from its template, placed, and its value, read as the template's
	// Bits say (see runCode); the reads that need a call are left to
	// readSlow.
	for k := range tmpl {
		// The template's fields are read from it, not from the node
		// just written: reading back part of a wide store costs more.
		n, t := &nodes[k], &tmpl[k]
		*n = *t
		rel := int(t.Offset)
		n.Offset = t.Offset + o
		n.End = t.End + e
		switch b := t.Bits; runRead(b) {
		case readBitsByte:
			n.Bits = uint64(data[rel]>>(b>>8&7)) & (b >> 16)
		case readU8:
			n.Bits = uint64(data[rel])
		case readU16BE:
			n.Bits = uint64(binary.BigEndian.Uint16(data[rel:]))
		case readU16LE:
			n.Bits = uint64(binary.LittleEndian.Uint16(data[rel:]))
		case readU32BE:
			n.Bits = uint64(binary.BigEndian.Uint32(data[rel:]))
		case readU32LE:
			n.Bits = uint64(binary.LittleEndian.Uint32(data[rel:]))
		case readStruct:
			n.Bits = 0
			n.slots = t.slots + own
		}
	}
	if rc.slow {
		rc.readSlow(data, nodes)
	}
	slots := d.f.slots[base:]
	for _, s := range rc.outer {
		slots[s.slot] = s.node + e
	}
	return true
}

// readSlow reads the values that readRun leaves, for the run at the start
// of data whose nodes are nodes.
func (rc *runCode) readSlow(data []byte, nodes []Node) {
	for k, kd := range rc.kinds {
		rel := int(rc.nodes[k].Offset)
		switch kd.read {
		case readBitField:
			nodes[k].Bits = readBits(data[rel:], int(kd.bitOff), int(kd.bits), kd.lsb)
		case readOther:
			nodes[k].Bits = readUint(data[rel:], int(kd.size), kd.endian)
		}
	}
}

// A fusedRun is a run (or flat run) of a structure's steps followed by a
// planNested member whose switches are all on unsigned integer members
// the run reads, with, for each plain structure (see planPlain) the
// switches lead to, the code of the run and that structure together:
// fusedStep reads the tags from the bytes, picks the case, and reads it
// all with one readRun, which adds the nodes and slots readRun and
// nestedStep would add one after the other. Anything else (no room, a
// limit, a case that is not a plain structure, an expected value) leaves
// it to the two steps.
type fusedRun struct {
	run *runCode
	m   *Field    // the member
	top *fusedTag // its switch
}

// What fusedStep did.
const (
	fusedNone     = iota // nothing
	fusedDone            // read the run and the member
	fusedResolved        // resolved the member's switches to a case, and read nothing
	fusedPartial         // resolved them, and read the run, the member's node and slots, and its structure's first run (see partialValue)
)

// fusedTag is a switch of a fusedRun: where the run reads its tag, and
// what each of its cases (by index in Cases, then the default) leads to.
type fusedTag struct {
	sw          *Switch
	rel         int32 // from the run's start
	read        runRead
	shift, mask uint8       // readBitsByte
	cases       []fusedCase // by index in Cases, then the default
}

// fusedCase is what a case of a fusedTag leads to, all of it together,
// so that fusedStep reads one cache line (or two) for it, not four.
type fusedCase struct {
	next *runCode  // the code of the run and the case's plain structure, or nil
	sub  *fusedTag // or the case's switch, or nil
	fld  *Field    // the field the case's value is for
	typ  *Type     // the case's type, when it is not a switch; else nil
	part *partCase // or the case's structure, whose steps start with a run, read in part (see partialValue)
}

// maxFusedOps bounds the ops of a fused code: the run's, the case
// structure's node and its members' (or its first run's). Each case of a
// fused switch holds a copy of the run's ops, so that without a bound a
// long run before a switch of many cases would take memory as their
// product; with it, each case takes at most a fixed amount. An MBAP
// header and a Modbus body take 7 and at most 7.
const maxFusedOps = 32

// appendRun appends the step of the run rc, of ops, that starts at member
// i of s, preceded by a stepFused when the member after it can be fused
// with it (see fusedRun).
func appendRun(steps []memberStep, s *Struct, i int, rc *runCode, ops []runOp, fuse bool) []memberStep {
	j := i + rc.members
	if fuse && len(ops) < maxFusedOps && j < len(s.Fields) && s.Fields[j].plan == planNested && s.Fields[j].Slot >= 0 && s.Fields[j].Type.Kind == KindSwitch {
		seen := map[*Switch]bool{}
		if top := planFused(rc, ops, s.Fields[j], s.Fields[j], s.Fields[j].Type.Switch, seen, 0); top != nil {
			steps = append(steps, memberStep{member: int32(i), kind: stepFused, fused: &fusedRun{run: rc, m: s.Fields[j], top: top}})
		}
	}
	return append(steps, memberStep{member: int32(i), kind: stepRun, code: rc})
}

// planFused returns the fusedTag of sw, a switch reached as fld's value
// in m, the member after the run rc of ops, or nil when the run does not
// read its tag (see tagRead), it is reached twice, or none of its cases
// leads to a plain structure.
func planFused(rc *runCode, ops []runOp, m, fld *Field, sw *Switch, seen map[*Switch]bool, depth int) *fusedTag {
	if seen[sw] || depth > maxFlatDepth {
		return nil
	}
	seen[sw] = true
	t := tagRead(sw, ops)
	if t == nil {
		return nil
	}
	t.cases = make([]fusedCase, len(sw.Cases)+1)
	any := false
	for i := 0; i <= len(sw.Cases); i++ {
		typ, f := sw.Default, sw.DefaultField
		if i < len(sw.Cases) {
			typ, f = sw.Cases[i].Type, sw.Cases[i].Field
		}
		if f == nil {
			f = fld
		}
		c := &t.cases[i]
		c.fld = f
		if typ != nil && typ.Kind != KindSwitch {
			c.typ = typ
		}
		switch {
		case typ == nil:
		case typ.Kind == KindSwitch:
			c.sub = planFused(rc, ops, m, f, typ.Switch, seen, depth+1)
			any = any || c.sub != nil
		case typ.Kind == KindStruct && typ.Struct != nil && len(typ.Args) == 0 && len(typ.Struct.Params) == 0 && typ.Struct.plainSize > 0 &&
			len(ops)+1+len(typ.Struct.Fields[0].ops) <= maxFusedOps:
			c.next = fuseCode(rc, ops, m, f, typ)
			any = true
		case typ.Kind == KindStruct && typ.Struct != nil && len(typ.Args) == 0 && len(typ.Struct.Params) == 0 && len(typ.Struct.steps) > 1 &&
			typ.Struct.steps[0].kind == stepRun && typ.Struct.steps[0].code.depth == 0 && typ.Struct.steps[0].code == typ.Struct.Fields[0].code &&
			len(ops)+1+len(typ.Struct.Fields[typ.Struct.steps[0].member].ops) <= maxFusedOps:
			c.part = &partCase{code: partCode(rc, ops, m, f, typ), first: typ.Struct.steps[0].code}
			any = true
		}
	}
	if !any {
		return nil
	}
	return t
}

// tagRead returns where the run of ops reads the tag of sw, when it is an
// unsigned integer member of the structure it reads (not one nested in
// it) read in place; nil otherwise.
func tagRead(sw *Switch, ops []runOp) *fusedTag {
	if !sw.fieldTag || sw.Tag.op != opField {
		return nil
	}
	for k := range ops {
		op := &ops[k]
		if op.inner || op.read == readStruct || int(op.slot) != sw.tagSlot {
			continue
		}
		if op.node.Type.Kind != KindUint {
			return nil
		}
		switch op.read {
		case readBitsByte, readU8, readU16BE, readU16LE, readU32BE, readU32LE:
			return &fusedTag{sw: sw, rel: op.node.Offset, read: op.read, shift: op.bitOff, mask: op.bits}
		}
		return nil
	}
	return nil
}

// fuseCode returns the code of the run rc, of ops, followed by typ, a
// plain structure read as m's value for fld: its node takes m's slot, its
// members' slots after the run's own.
func fuseCode(rc *runCode, ops []runOp, m, fld *Field, typ *Type) *runCode {
	st := typ.Struct
	own := len(rc.inner)
	all := append(make([]runOp, 0, len(ops)+1+len(st.Fields)), ops...)
	all = appendStructOps(all, int32(m.Slot), Node{Field: fld, Type: typ, Index: -1, Offset: int32(rc.end), Len: int32(st.plainSize)},
		st.Fields[0].ops, int32(own))
	return newRunCode(all, own+st.slotCount(), rc.members+1, rc.end+st.plainSize, 0, rc.depth)
}

// appendStructOps appends to all the ops of a structure read within a
// run: its node, from node (Offset where it starts in the run), whose
// slot in the structure holding it is slot, then the ops of its first
// run, head, moved to it, their slots the structure's own, which start
// at own in the run's.
func appendStructOps(all []runOp, slot int32, node Node, head []runOp, own int32) []runOp {
	at := int32(len(all))
	node.End, node.slots = at+1+int32(len(head)), own
	all = append(all, runOp{read: readStruct, slot: slot, node: node})
	for _, op := range head {
		op.inner, op.slot = true, op.slot+own
		op.node.Offset += node.Offset
		op.node.End += at + 1
		all = append(all, op)
	}
	return all
}

// partCase is a case of a fusedTag read in part (see partialValue): the
// code of the run, the case's structure's node and slots and its first
// run, and that run's code.
type partCase struct {
	code, first *runCode
}

// partCode returns the code of the run rc, of ops, followed by typ, a
// structure whose steps start with a run of plain reads, as m's value
// for fld: its node, which takes m's slot, its slots, after the run's own,
// and its first run (see partialValue).
func partCode(rc *runCode, ops []runOp, m, fld *Field, typ *Type) *runCode {
	st := typ.Struct
	first := st.steps[0].code
	own := len(rc.inner)
	all := append(make([]runOp, 0, len(ops)+1+len(first.nodes)), ops...)
	all = appendStructOps(all, int32(m.Slot), Node{Field: fld, Type: typ, Index: -1, Offset: int32(rc.end)},
		st.Fields[st.steps[0].member].ops, int32(own))
	return newRunCode(all, own+st.slotCount(), rc.members+1, rc.end+first.end, 0, rc.depth)
}

// partialValue goes on with m's value, the structure of case c, levels
// switches deep, whose node, slots and first run fusedStep read at tStart
// (see fusedPartial), as nestedValue and decodeStruct would have gone on
// after them: from the structure's second step, one level deeper per
// switch and one for the structure. It returns the offset after it, or,
// when decoding it failed (having said why), -1 - the offset where it
// stopped.
func (d *decoder) partialValue(m *Field, c *fusedCase, levels, tStart, start, end int) int {
	st, first := c.typ.Struct, c.part.first
	idx := len(d.f.Nodes) - 1 - len(first.nodes)
	base := len(d.f.slots) - st.slotCount()
	d.push(m, -1)
	d.depth += levels + 1
	d.scopes = append(d.scopes, int32(idx))
	depth := len(d.scopes) - 1
	_, next, ok := d.runSteps(st, idx, base, tStart, tStart+first.end, st.rest, start, end)
	d.scopes = d.scopes[:depth]
	d.depth -= levels + 1
	next = max(next, tStart)
	if !ok {
		return -1 - next
	}
	d.pop()
	return next
}

// fusedStep reads fr at off, in the structure whose slots start at base
// and the region that ends at end, when the tags it reads pick a plain
// structure and nothing stops it (see fusedRun): it returns the offset
// after it and fusedDone. When they pick a case whose type is anything
// else but a switch (or a plain structure that does not hold its
// expected values), it returns that case and how many switches deep it
// is, as nestedStep would have resolved them, with fusedPartial when it
// read the case's structure in part (see partialValue), or else
// fusedResolved, having read nothing. Otherwise it returns fusedNone.
func (d *decoder) fusedStep(fr *fusedRun, base, off, end int) (int, *fusedCase, int, int) {
	if end-off < fr.run.size {
		return off, nil, 0, fusedNone
	}
	data := d.data[off:end]
	t := fr.top
	for levels := 1; d.within(d.depth + levels); levels++ {
		var v uint64
		switch rel := int(t.rel); t.read {
		case readBitsByte:
			v = uint64(data[rel]>>(t.shift&7)) & uint64(t.mask)
		case readU8:
			v = uint64(data[rel])
		case readU16BE:
			v = uint64(binary.BigEndian.Uint16(data[rel:]))
		case readU16LE:
			v = uint64(binary.LittleEndian.Uint16(data[rel:]))
		case readU32BE:
			v = uint64(binary.BigEndian.Uint32(data[rel:]))
		default:
			v = uint64(binary.LittleEndian.Uint32(data[rel:]))
		}
		sw := t.sw
		i := sw.caseIndex(int64(v))
		c := &t.cases[i]
		if rc := c.next; rc != nil && d.within(d.depth+levels+1) && d.readRun(rc, base, off, end) {
			return off + rc.end, nil, 0, fusedDone
		}
		if c.sub == nil {
			if c.typ == nil {
				return off, nil, 0, fusedNone // no case, or a switch not fused
			}
			if pc := c.part; pc != nil && d.within(d.depth+levels+1) && d.readRun(pc.code, base, off, end) {
				return off + fr.run.end, c, levels, fusedPartial
			}
			return off, c, levels, fusedResolved
		}
		t = c.sub
	}
	return off, nil, 0, fusedNone
}
