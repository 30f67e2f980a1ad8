package output

import (
	"unsafe"

	"github.com/dissect-project/dissect/internal/decimal"
	"github.com/dissect-project/dissect/schema"
)

// The NDJSON writer writes a structure's object by a plan made once per
// structure and naming (structPlan): for each of the structure's fields,
// its key with the comma before it, and how its value is written, decided
// from the field and its type when the plan is made. A member of the type
// the plan was made for then takes no test of its field's format, time,
// scale, enum or kind: a plain integer is one call, an enum value below
// 256 one copy, a nested structure its own plan, an array of plain
// integers one loop. Any other node (a switch's case, a checksum, a value
// of another type) goes through appendNodeJSON, which writes the same.

// memberWay is how a structPlan writes a member of its field's type.
type memberWay uint8

const (
	wayNode     memberWay = iota // appendNodeJSON
	wayHidden                    // not written: [hidden], padding
	wayUint                      // a plain unsigned integer
	wayInt                       // a plain signed integer
	wayEnum                      // a plain unsigned enum value: its object when below enumObjectValues
	wayStruct                    // a structure (not [value = summary]): by its own plan
	wayUintList                  // an array of plain unsigned integers
	waySwitch                    // a switch: a structure case by its own plan
)

// memberPlan is how a structPlan writes the member in one slot.
type memberPlan struct {
	field *schema.Field // the member; nil for a slot no member has (a parameter)
	typ   *schema.Type  // the field's type: way applies to nodes of it
	way   memberWay
	key   fixedText // `,"name":`
	// objects are the enum's objects (wayEnum); child the plan of the
	// structure (wayStruct), made when first needed.
	objects *enumObjects
	child   *structPlan
}

// structPlan is how the field tree writes the object of a structure, with
// one naming: its members in order, and where each slot's member is.
type structPlan struct {
	st      *schema.Struct
	ws      bool
	members []memberPlan // the structure's fields, in order
	slots   []int32      // slots[s] is the index in members of the field in slot s, or -1
	// flat is the structure's object as a straight run of steps over
	// its nodes (see appendFlat), and tail the text after the last;
	// flatOK says the plan has them, room is the spare capacity they
	// take at most between two values of no fixed size.
	flat   []flatOp
	tail   fixedText
	flatOK bool
	room   int
}

// planKey names a structPlan.
type planKey struct {
	st *schema.Struct
	ws bool
}

// plan returns the plan of st with the naming ws: from a direct-mapped
// table by the structure's address, or made and kept.
func (c *keyCache) plan(st *schema.Struct, ws bool) *structPlan {
	h := (uint64(uintptr(unsafe.Pointer(st))) * 0x9E3779B97F4A7C15) >> (64 - 6)
	if ws {
		h ^= 1
	}
	p := c.recent[h]
	if p != nil && p.st == st && p.ws == ws {
		return p
	}
	p = c.plans[planKey{st, ws}]
	if p == nil {
		p = c.newPlan(st, ws)
		if c.plans == nil {
			c.plans = make(map[planKey]*structPlan)
		}
		c.plans[planKey{st, ws}] = p
	}
	c.recent[h] = p
	return p
}

// newPlan makes the plan of st with the naming ws.
func (c *keyCache) newPlan(st *schema.Struct, ws bool) *structPlan {
	p := &structPlan{st: st, ws: ws}
	defer c.planFlat(p)
	for _, fld := range st.Fields {
		s := fld.Slot
		if s < 0 || fld.Type == nil {
			continue // a statement: it has no node
		}
		for len(p.slots) <= s {
			p.slots = append(p.slots, -1)
		}
		p.slots[s] = int32(len(p.members))
		m := memberPlan{field: fld, typ: fld.Type}
		m.key.set(appendKey([]byte{','}, fld, ws))
		m.way = c.memberWay(fld, &m)
		p.members = append(p.members, m)
	}
	return p
}

// memberWay decides how m, of the field fld, is written, as appendNodeJSON
// would write a node of fld's type, and sets its enum objects.
func (c *keyCache) memberWay(fld *schema.Field, m *memberPlan) memberWay {
	t := fld.Type
	switch {
	case fld.Hidden:
		return wayHidden
	case !plainInt(fld) || fld.Check != nil:
		return wayNode
	case t.Kind == schema.KindUint && t.Enum == nil:
		return wayUint
	case t.Kind == schema.KindInt && t.Enum == nil:
		return wayInt
	case t.Kind == schema.KindUint && !t.Enum.Flags:
		m.objects = c.enumObjects(t.Enum)
		return wayEnum
	case t.Kind == schema.KindStruct && t.Struct != nil && !t.Struct.ValueIsSummary:
		return wayStruct
	case t.Kind == schema.KindArray && t.Elem != nil && t.Elem.Kind == schema.KindUint && t.Elem.Enum == nil:
		return wayUintList
	case t.Kind == schema.KindSwitch:
		return waySwitch
	}
	return wayNode
}

// appendObject writes the structure node i as appendNodeJSON does, by the
// plan p of its structure: by its flat plan when it can, else member by
// member.
func (c *keyCache) appendObject(b []byte, f *schema.Frame, i int, p *structPlan) []byte {
	b, ok := c.appendFlat(b, f, i, p)
	if ok {
		return b
	}
	return c.appendMembers(b, f, i, p)
}

// appendMembers writes the structure node i as appendObject does, member
// by member, without its flat plan. Every member is written with a comma
// before it; the first comma becomes the opening brace.
func (c *keyCache) appendMembers(b []byte, f *schema.Frame, i int, p *structPlan) []byte {
	nodes := f.Nodes
	end := int(nodes[i].End)
	start := len(b)
	next := 0 // the member that the next node is of, when the structure has every field
	for k, after := i+1, 0; k < end; k = after {
		cn := &nodes[k]
		after = int(cn.End)
		fld := cn.Field
		var m *memberPlan
		if next < len(p.members) && p.members[next].field == fld {
			m = &p.members[next]
			next++
		} else if fld != nil {
			// A field left out (a condition): find the node's by its slot.
			if s := uint(fld.Slot); s < uint(len(p.slots)) && p.slots[s] >= 0 && p.members[p.slots[s]].field == fld {
				next = int(p.slots[s])
				m = &p.members[next]
				next++
			}
		}
		if m == nil || cn.Type != m.typ && !(m.way == waySwitch && isObject(cn.Type)) {
			// Not a member of its field's type: a switch's case that is
			// no structure, a field the structure does not list (a
			// case's field with its own Wireshark name), or a node with
			// no field.
			b = c.appendMember(b, f, k, p.ws)
			continue
		}
		if m.way == wayHidden {
			continue
		}
		b = m.key.append(b)
		b = c.appendValue(b, f, k, m, p.ws)
	}
	if len(b) == start {
		return append(b, "{}"...)
	}
	b[start] = '{'
	return append(b, '}')
}

// isObject reports whether t is a structure written as an object of its
// own (not [value = summary]).
func isObject(t *schema.Type) bool {
	return t.Kind == schema.KindStruct && t.Struct != nil && !t.Struct.ValueIsSummary
}

// appendValue writes the value of node k, of m's field, after its key: by
// m's way when the node is of m's type, a switch's structure case by that
// structure's plan, anything else as appendNodeJSON writes it.
func (c *keyCache) appendValue(b []byte, f *schema.Frame, k int, m *memberPlan, ws bool) []byte {
	cn := &f.Nodes[k]
	if cn.Type != m.typ {
		if m.way == waySwitch && isObject(cn.Type) {
			// A case that is a structure (whose nodes carry the
			// switch's field): as appendNodeJSON writes it.
			return c.appendObject(b, f, k, c.plan(cn.Type.Struct, ws))
		}
		return appendNodeJSON(b, f, k, ws, c)
	}
	checked := cn.Flags&(schema.NodeChecksumOK|schema.NodeChecksumBad) != 0
	switch {
	case m.way == wayUint && !checked:
		return appendUint(b, cn.Bits)
	case m.way == wayInt && !checked:
		return decimal.AppendInt(b, cn.Int())
	case m.way == wayEnum && !checked && cn.Bits < enumObjectValues:
		o := m.objects
		return append(b, o.text[o.end[cn.Bits]:o.end[cn.Bits+1]]...)
	case m.way == wayStruct:
		if m.child == nil {
			m.child = c.plan(m.typ.Struct, ws)
		}
		return c.appendObject(b, f, k, m.child)
	case m.way == wayUintList:
		return c.appendUintList(b, f, k, m, ws)
	}
	return appendNodeJSON(b, f, k, ws, c)
}

// appendMember writes the member node k with a comma before it, as
// appendNodeJSON writes the members of a structure.
func (c *keyCache) appendMember(b []byte, f *schema.Frame, k int, ws bool) []byte {
	cn := &f.Nodes[k]
	if cn.Field == nil { // no key to write (the decoder gives every member a field)
		b = append(b, ',')
		return appendNodeJSON(b, f, k, ws, c)
	}
	e := c.lookup(cn.Field, ws)
	if e.hidden {
		return b
	}
	b = e.appendKey(b, false)
	return appendNodeJSON(b, f, k, ws, c)
}

// appendUintList writes the array node k, of m's field and type (an array
// of plain unsigned integers), as appendNodeJSON does.
func (c *keyCache) appendUintList(b []byte, f *schema.Frame, k int, m *memberPlan, ws bool) []byte {
	nodes := f.Nodes
	end := int(nodes[k].End)
	b = append(b, '[')
	elem := m.typ.Elem
	for e, after := k+1, 0; e < end; e = after {
		en := &nodes[e]
		after = int(en.End)
		if e != k+1 {
			b = append(b, ',')
		}
		if en.Type == elem && en.Field == m.field && en.Flags&(schema.NodeChecksumOK|schema.NodeChecksumBad) == 0 {
			if n := len(b); en.Bits < decimal.PutLimit && cap(b)-n >= 8 {
				b = b[:n+decimal.Put((*[8]byte)(b[n:n+8]), en.Bits)]
				continue
			}
			b = appendUint(b, en.Bits)
			continue
		}
		b = appendNodeJSON(b, f, e, ws, c)
	}
	return append(b, ']')
}

// appendUint is decimal.AppendUint with a digit (a flag, a zero, a small
// count: a third of the Modbus integers) written in place, without a call.
func appendUint(b []byte, v uint64) []byte {
	if v < 10 {
		return append(b, byte('0'+v))
	}
	return decimal.AppendUint(b, v)
}
