package schema

// The compiler gives each structure a plan: which of its members are plain
// reads (a fixed-size scalar or a bit field with no condition, placement,
// check or layer), and for each run of consecutive plain whole-byte
// scalars, how many there are and how many bytes they take, so that the
// decoder checks the room and the node limit once for the run and reads
// it without any other test. A structure built by hand, without the
// compiler, has no plan and takes the general path for every member.

// fieldPlan is how the decoder reads a member.
type fieldPlan uint8

const (
	planGeneral fieldPlan = iota // decodeField, decodeBits or a statement
	planScalar                   // a plain whole-byte scalar (plainScalar)
	planBits                     // a plain bit field (plainBits)
	planValue                    // any other value with no condition, placement or check: decodeValue alone
)

// planStruct computes the plan of s's members: each member's kind of read
// and, on the first member of a run of plain scalars, the run's length
// and size in bytes.
func planStruct(s *Struct) {
	for _, m := range s.Fields {
		m.plan, m.run, m.runSize, m.checked, m.want = planGeneral, 0, 0, false, 0
		if m.Type == nil {
			continue
		}
		planType(m.Type, 0)
		switch {
		case m.plainScalar():
			m.plan = planScalar
			if m.Expect != nil {
				m.want, m.checked = m.wantBits()
			}
		case m.plainBits():
			m.plan = planBits
		case m.Op == OpField && m.Type.Bits == 0 && m.Cond == nil && m.At == nil && m.Size == nil && m.Pad <= 1 &&
			m.Expect == nil && m.ExpectRaw == nil && m.Range == nil && m.Check == nil && m.Layer == nil && m.Blocks == nil:
			m.plan = planValue
		}
	}
	defer planPlain(s)
	for i := len(s.Fields) - 1; i >= 0; i-- {
		m := s.Fields[i]
		if m.plan != planScalar || m.Slot < 0 {
			continue
		}
		m.run, m.runSize = 1, int32(m.Type.Size)
		if i+1 < len(s.Fields) {
			if next := s.Fields[i+1]; next.run > 0 && m.run+next.run <= maxRun {
				m.run += next.run
				m.runSize += next.runSize
			}
		}
	}
}

// planPlain sets s.plainSize and s.plainNodes when every member of s is a
// plain read, so that the decoder reads the whole structure at once when
// the region has room for it; plainSize is -1 otherwise. The size counts
// as the decoder does: a whole-byte field after bit fields starts at the
// next byte, and a structure that ends in the middle of a byte takes it.
func planPlain(s *Struct) {
	s.plainSize, s.plainNodes, s.plainChecks = -1, 0, nil
	var checks []plainCheck
	off, bitPos := 0, 0
	for _, m := range s.Fields {
		switch m.plan {
		case planScalar:
			if bitPos != 0 {
				off, bitPos = off+1, 0
			}
			if m.checked {
				checks = append(checks, plainCheck{off: off, m: m})
			}
			off += m.Type.Size
		case planBits:
			bitPos += m.Type.Bits
			off += bitPos / 8
			bitPos %= 8
		default:
			return
		}
		if off > 1<<20 {
			return
		}
	}
	if bitPos != 0 {
		off++
	}
	s.plainSize, s.plainNodes, s.plainChecks = off, len(s.Fields), checks
}

// plainCheck is a member of a plain structure with an expected value, and
// where it starts from the structure's start.
type plainCheck struct {
	off int
	m   *Field
}

// plainChecksHold reports whether every member of the plain structure s
// with an expected value, s being at off where the region has room for it,
// holds its value. When one does not, the structure takes the general
// path, which reports it.
func (d *decoder) plainChecksHold(s *Struct, off int) bool {
	for _, c := range s.plainChecks {
		t := c.m.Type
		if readUint(d.data[off+c.off:], t.Size, t.Endian) != c.m.want {
			return false
		}
	}
	return true
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

// decodePlain reads the members of s, a structure whose members are all
// plain reads (see planPlain), at off, where the region and the node limit
// have room for all of them; it returns the offset after them.
func (d *decoder) decodePlain(s *Struct, base, off int) int {
	bitPos := 0
	for i := 0; i < len(s.Fields); i++ {
		m := s.Fields[i]
		t := m.Type
		if m.plan == planBits {
			off, bitPos = d.readPlainBits(m, base, off, bitPos, len(d.data))
			continue
		}
		if bitPos != 0 {
			off, bitPos = off+1, 0
		}
		if m.run > 0 {
			// All of the run (plainChecksHold checked its expected values).
			off, _ = d.decodeRun(s.Fields, i, base, off, len(d.data))
			i += int(m.run) - 1
			continue
		}
		c := d.addNode(m, t, -1, off, t.Size, readUint(d.data[off:], t.Size, t.Endian))
		d.f.slots[base+m.Slot] = int32(c)
		off += t.Size
	}
	if bitPos != 0 {
		off++
	}
	return off
}

// maxRun bounds a run of plain scalars, so that its size cannot overflow.
const maxRun = 1 << 12

// decodeRun reads the run of plain scalars that starts at s.Fields[i] at
// off, when the region and the node limit have room for all of it, and
// returns the offset after the fields it read and how many: all of the
// run, or those before the first that does not hold its expected value,
// which the general path then reports. It reads nothing when the region
// or the node limit has no room for the run.
func (d *decoder) decodeRun(fields []*Field, i, base, off, end int) (int, int) {
	m := fields[i]
	run := int(m.run)
	n0 := len(d.f.Nodes)
	if end-off < int(m.runSize) || n0+run > d.lim.MaxNodes {
		return off, 0
	}
	nodes := d.growNodes(run)
	slots := d.f.slots[base:]
	for k, fm := range fields[i : i+run] {
		t := fm.Type
		v := readUint(d.data[off:], t.Size, t.Endian)
		if fm.checked && v != fm.want {
			d.f.Nodes = d.f.Nodes[:n0+k]
			return off, k
		}
		n := &nodes[k]
		n.Field, n.Type = fm, t
		n.Index, n.Offset, n.Len, n.End = -1, int32(off), int32(t.Size), int32(n0+k+1)
		n.Bits, n.slots = v, -1
		n.BitOff, n.BitLen, n.Flags = 0, 0, 0
		slots[fm.Slot] = int32(n0 + k)
		off += t.Size
	}
	return off, run
}

// planType sets plainElems on t and the types inside it, down to (not
// into) structures, which have their own plan: an array whose elements
// are plain fixed-size scalars (integers, floats and bools of whole
// bytes), which decodeValue reads with nothing but a room check and a
// node.
func planType(t *Type, depth int) {
	if t == nil || depth > 64 {
		return
	}
	switch t.Kind {
	case KindArray:
		t.plainElems = t.Elem.FixedSize() > 0
		planType(t.Elem, depth+1)
	case KindSwitch:
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
	for k := range nodes {
		nd := &nodes[k]
		nd.Field, nd.Type = fld, e
		nd.Index, nd.Offset, nd.Len, nd.End = int32(k), int32(off), int32(size), int32(n0+k+1)
		nd.Bits, nd.slots = readUint(d.data[off:], size, e.Endian), -1
		nd.BitOff, nd.BitLen, nd.Flags = 0, 0, 0
		off += size
	}
	return n, off, int32(n0 + n - 1)
}

// growNodes appends n nodes to the frame, to be filled in by the caller,
// and returns them.
func (d *decoder) growNodes(n int) []Node {
	n0 := len(d.f.Nodes)
	if n0+n > cap(d.f.Nodes) {
		grown := make([]Node, n0, 2*cap(d.f.Nodes)+n)
		copy(grown, d.f.Nodes)
		d.f.Nodes = grown
	}
	d.f.Nodes = d.f.Nodes[:n0+n]
	return d.f.Nodes[n0 : n0+n]
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
