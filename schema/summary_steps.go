package schema

import "github.com/dissect-project/dissect/internal/decimal"

// A summary template is compiled once, with its schema, into steps
// (templateStep): the literal text before a field reference, and how the
// reference is written. Rendering a summary is then a loop over the steps,
// with no test of a part's options at each frame, a field found by its
// slot path without FieldNode's checks when the structures on the way are
// the ones the path was compiled through, and the commonest values (a
// plain integer, a small enum value's display or label) written without
// going through AppendDisplay.
//
// A step also knows whether what it writes is plain text (see isPlain):
// literal text checked once, integers, and table entries checked when the
// table was made. A rendering made of such steps only needs no escaping in
// JSON; AppendSummaryPlain reports it.

// refKind says how a step writes its field reference.
type refKind uint8

const (
	refNone    refKind = iota // literal text only
	refPart                   // any reference: appendPart, with its prefix, suffix and style
	refDisplay                // the node's display: AppendDisplay, a structure's summary by its own steps
	refDecimal                // a plain decimal integer of field and typ (see plainDecimal), else as refDisplay
	refTable                  // a value of field and typ below len(table.end)-1 from table, else as refDisplay
)

// templateStep is literal text, then at most one field reference.
type templateStep struct {
	text string
	// short is text when it fits (textN is its length, textFits says so):
	// written with one copy of stepTextRoom bytes that needs no call.
	short    [stepTextRoom]byte
	textN    uint8
	textFits bool
	kind     refKind
	optional bool // {field?}: a field not decoded shows nothing, rather than "?"
	// path is the slot path of the reference from the template's
	// structure, and via[k] the type of the structure node in which
	// path[k+1] is looked up (the field at path[k] is of that type).
	path []int
	via  []*Type
	// slot0 and slot1 are path[0] and path[1], and via0 via[0], for the
	// paths of one or two slots that appendSteps follows itself.
	slot0, slot1 int
	via0         *Type
	depth        uint8 // len(path) when 1 or 2, else 0
	signed       bool  // refDecimal: typ is signed
	// field and typ are the field and type of the nodes refDecimal and
	// refTable write directly; any other node goes through AppendDisplay.
	field *Field
	typ   *Type
	table *valueTable
	part  *TemplatePart // refPart
}

// stepTextRoom is the longest literal text a templateStep keeps in place.
const stepTextRoom = 24

// setText makes text the step's literal text.
func (st *templateStep) setText(text string) {
	st.text = text
	st.textFits = len(text) <= stepTextRoom
	if st.textFits {
		st.textN = uint8(copy(st.short[:], text))
	}
}

// appendText writes the step's literal text.
func (st *templateStep) appendText(buf []byte) []byte {
	if n := len(buf); st.textFits && cap(buf)-n >= stepTextRoom {
		*(*[stepTextRoom]byte)(buf[n : n+stepTextRoom]) = st.short
		return buf[:n+int(st.textN)]
	}
	return append(buf, st.text...)
}

// valueTable holds how the values 0 to len(end)-2 of one field and type
// show in a summary (an enum's display, "Read Coils (1)", or its label),
// rendered once by AppendDisplay or appendStyled.
type valueTable struct {
	text  string
	end   []uint32 // value v shows as text[end[v]:end[v+1]]
	plain bool     // every entry is plain text
	// slots[v] holds the entry of v when it fits, slotN[v] its length
	// (0 when it does not fit, or is empty): written with one copy of
	// tableSlot bytes.
	slots [][tableSlot]byte
	slotN []uint8
}

// tableSlot is the room for an entry in valueTable.slots.
const tableSlot = 48

// maxTableValues bounds the values a valueTable holds: an enum of a byte,
// and the small values of wider ones.
const maxTableValues = 256

// isPlain reports whether every byte of s is printable ASCII other than
// the double quote and the backslash: text that JSON writes as it is.
func isPlain[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// stepCache is what the compilation of a program's templates shares: each
// structure's fields by slot, and the value tables made, by field, type
// and style, so that a schema's size bounds the time and memory its
// templates take, however many references they make to one field.
type stepCache struct {
	slots  map[*Struct][]*Field
	tables map[tableKey]*valueTable
}

// tableKey names a valueTable.
type tableKey struct {
	fld   *Field
	typ   *Type
	style Style
}

// field returns the field of s in slot, or nil.
func (c *stepCache) field(s *Struct, slot int) *Field {
	if c.slots == nil {
		c.slots = make(map[*Struct][]*Field)
	}
	bySlot, ok := c.slots[s]
	if !ok {
		for _, m := range s.Fields {
			if m.Slot >= 0 && m.Slot < 1<<20 {
				for len(bySlot) <= m.Slot {
					bySlot = append(bySlot, nil)
				}
				bySlot[m.Slot] = m
			}
		}
		c.slots[s] = bySlot
	}
	if slot < 0 || slot >= len(bySlot) {
		return nil
	}
	return bySlot[slot]
}

// table returns the value table of fld and t in the style, made once.
func (c *stepCache) table(fld *Field, t *Type, style Style) *valueTable {
	if c.tables == nil {
		c.tables = make(map[tableKey]*valueTable)
	}
	k := tableKey{fld, t, style}
	vt := c.tables[k]
	if vt == nil {
		vt = newValueTable(fld, t, style)
		c.tables[k] = vt
	}
	return vt
}

// compileSteps sets t.steps, the compiled form of t, a template of the
// structure s: one step per reference, with the literal text before it,
// and one for the text after the last.
func compileSteps(t *Template, s *Struct, c *stepCache) {
	t.steps = t.steps[:0]
	t.textPlain = true
	var text string
	for k := range t.Parts {
		p := &t.Parts[k]
		if p.Path == nil {
			text += p.Text
			continue
		}
		t.steps = append(t.steps, compileRef(s, p, text, c))
		t.textPlain = t.textPlain && isPlain(text)
		text = ""
	}
	if text != "" || len(t.steps) == 0 {
		var st templateStep
		st.setText(text)
		t.steps = append(t.steps, st)
		t.textPlain = t.textPlain && isPlain(text)
	}
}

// compileRef compiles the reference p of a template of s, after the
// literal text.
func compileRef(s *Struct, p *TemplatePart, text string, c *stepCache) templateStep {
	st := templateStep{kind: refPart, part: p, path: p.Path, optional: p.Optional}
	st.setText(text)
	if len(p.Path) > 0 {
		st.slot0 = p.Path[0]
	}
	if len(p.Path) > 1 {
		st.slot1 = p.Path[1]
	}
	if len(p.Path) <= 2 {
		st.depth = uint8(len(p.Path))
	}
	if p.Prefix != "" || p.Suffix != "" || p.Elem != nil || p.Join || (p.Style != StyleDisplay && p.Style != StyleLabel) {
		return st
	}
	// The field at each step of the path, and the type of the structure
	// that the next slot is looked up in.
	var fld *Field
	for k, slot := range p.Path {
		if s == nil {
			return st
		}
		fld = c.field(s, slot)
		if fld == nil || fld.Type == nil {
			return st
		}
		s = nil
		if k < len(p.Path)-1 {
			if fld.Type.Kind != KindStruct {
				return st
			}
			st.via = append(st.via, fld.Type)
			st.via0 = st.via[0]
			s = fld.Type.Struct
		}
	}
	t := fld.Type
	switch {
	case p.Style == StyleDisplay && (t.Kind == KindUint || t.Kind == KindInt) && t.Enum == nil && fld.Check == nil && plainDecimal(fld):
		st.kind, st.field, st.typ = refDecimal, fld, t
		st.signed = t.Kind == KindInt
	case t.Kind == KindUint && t.Enum != nil && !t.Enum.Flags && fld.Check == nil && fld.Format != IPv4 && fld.Layer == nil:
		st.kind, st.field, st.typ = refTable, fld, t
		st.table = c.table(fld, t, p.Style)
	case p.Style == StyleDisplay:
		st.kind = refDisplay
	}
	return st
}

// newValueTable renders how the small values of fld, of the enum type t,
// show in the style: the function that renders other values renders them,
// on a node of the field with no flags, as refTable requires.
func newValueTable(fld *Field, t *Type, style Style) *valueTable {
	n := maxTableValues
	if t.Bits > 0 && t.Bits < 8 {
		n = 1 << t.Bits
	}
	f := &Frame{Nodes: []Node{{Field: fld, Type: t, Index: -1, slots: -1}}}
	var text []byte
	vt := &valueTable{end: make([]uint32, n+1)}
	for v := range n {
		f.Nodes[0].Bits = uint64(v)
		if style == StyleLabel {
			text = f.appendStyled(text, 0, StyleLabel, "")
		} else {
			text = f.AppendDisplay(text, 0)
		}
		vt.end[v+1] = uint32(len(text))
	}
	vt.text = string(text)
	vt.plain = isPlain(vt.text)
	vt.slots = make([][tableSlot]byte, n)
	vt.slotN = make([]uint8, n)
	for v := range n {
		if e := text[vt.end[v]:vt.end[v+1]]; len(e) <= tableSlot {
			vt.slotN[v] = uint8(copy(vt.slots[v][:], e))
		}
	}
	return vt
}

// appendSteps renders t, a compiled template, for the structure node i, as
// appendTemplateParts does, and reports whether it wrote plain text only,
// as its steps know without looking at it (false: it may or may not be).
// Node i is of t's structure: AppendDisplay renders a structure's own
// template.
//
// The commonest steps (a field of the structure or of a member structure:
// of the field and type compiled, a plain integer below decimal.PutLimit
// or a value of a table entry that fits its block, or a structure without
// a summary, which shows nothing; with text that fits in place) are
// written in a loop with no call, with fixed-size stores into buf's spare
// capacity; appendStep writes any other.
func (f *Frame) appendSteps(buf []byte, i int, t *Template) ([]byte, bool) {
	plain := t.textPlain
	nodes, slots := f.Nodes, f.slots
	base := int(nodes[i].slots)
	steps := t.steps
	k := 0
	for {
		for ; k < len(steps); k++ {
			st := &steps[k]
			l := len(buf)
			if st.kind < refDisplay || !st.textFits || cap(buf)-l < stepFastRoom || st.depth == 0 ||
				base < 0 || uint(base+st.slot0) >= uint(len(slots)) {
				break
			}
			c := int(slots[base+st.slot0])
			if st.depth == 2 {
				if uint(c) >= uint(len(nodes)) {
					break
				}
				n := &nodes[c]
				b1 := int(n.slots)
				if n.Type != st.via0 || b1 < 0 || uint(b1+st.slot1) >= uint(len(slots)) {
					break
				}
				c = int(slots[b1+st.slot1])
			}
			if uint(c) >= uint(len(nodes)) {
				break
			}
			n := &nodes[c]
			if st.kind == refDisplay {
				// A structure without a summary shows nothing (a
				// Modbus response's body).
				if t := n.Type; t.Kind != KindStruct || t.Struct == nil || t.Struct.Summary != nil {
					break
				}
				*(*[stepTextRoom]byte)(buf[l : l+stepTextRoom]) = st.short
				buf = buf[:l+int(st.textN)]
				continue
			}
			if n.Field != st.field || n.Type != st.typ {
				break
			}
			if st.kind == refDecimal {
				if n.Flags&(NodeChecksumOK|NodeChecksumBad) != 0 || st.signed || n.Bits >= decimal.PutLimit {
					break
				}
				*(*[stepTextRoom]byte)(buf[l : l+stepTextRoom]) = st.short
				l += int(st.textN)
				buf = buf[:l+decimal.Put((*[8]byte)(buf[l:l+8]), n.Bits)]
				continue
			}
			vt := st.table // refTable
			if n.Flags != 0 || n.Bits >= uint64(len(vt.slotN)) || vt.slotN[n.Bits] == 0 {
				break
			}
			*(*[stepTextRoom]byte)(buf[l : l+stepTextRoom]) = st.short
			l += int(st.textN)
			*(*[tableSlot]byte)(buf[l : l+tableSlot]) = vt.slots[n.Bits]
			buf = buf[:l+int(vt.slotN[n.Bits])]
			plain = plain && vt.plain
		}
		if k == len(steps) {
			return buf, plain
		}
		buf, plain = f.appendStep(buf, i, &steps[k], plain)
		k++
	}
}

// stepFastRoom is the spare capacity appendSteps writes a step in: its
// text and a table entry's block at most.
const stepFastRoom = stepTextRoom + tableSlot

// appendStep writes the step st of a template for the structure node i,
// as appendSteps does, and says whether what was written so far is plain
// text, knowing that plain says it of what came before.
func (f *Frame) appendStep(buf []byte, i int, st *templateStep, plain bool) ([]byte, bool) {
	buf = st.appendText(buf)
	if st.kind == refNone {
		return buf, plain
	}
	if st.kind == refPart {
		buf = f.appendRef(buf, i, st.part)
		plain = false
		return buf, plain
	}
	c := f.refNode(i, st)
	if c < 0 {
		if !st.optional {
			buf = append(buf, '?')
		}
		return buf, plain
	}
	n := &f.Nodes[c]
	// The fast paths write what AppendDisplay (or appendStyled) writes
	// for a node of the field and type they were compiled for.
	switch {
	case st.kind == refDecimal && n.Field == st.field && n.Type == st.typ && n.Flags&(NodeChecksumOK|NodeChecksumBad) == 0:
		if st.typ.Kind == KindInt {
			buf = decimal.AppendInt(buf, n.Int())
		} else if l := len(buf); n.Bits < decimal.PutLimit && cap(buf)-l >= 8 {
			buf = buf[:l+decimal.Put((*[8]byte)(buf[l:l+8]), n.Bits)]
		} else {
			buf = decimal.AppendUint(buf, n.Bits)
		}
		return buf, plain
	case st.kind == refTable && n.Field == st.field && n.Type == st.typ && n.Flags == 0 && n.Bits < uint64(len(st.table.end)-1):
		vt := st.table
		if l, e := len(buf), vt.slotN[n.Bits]; e > 0 && cap(buf)-l >= tableSlot {
			*(*[tableSlot]byte)(buf[l : l+tableSlot]) = vt.slots[n.Bits]
			buf = buf[:l+int(e)]
		} else {
			buf = append(buf, vt.text[vt.end[n.Bits]:vt.end[n.Bits+1]]...)
		}
		plain = plain && vt.plain
		return buf, plain
	}
	// Otherwise as appendPart (a step of these kinds has no element
	// path and does not join).
	if st.optional && n.Type.Kind == KindArray && int(n.End) == c+1 {
		return buf, plain // {array?}: an empty array shows nothing
	}
	if st.part.Style != StyleDisplay {
		buf = f.appendStyled(buf, c, st.part.Style, st.part.Sep)
		plain = false
		return buf, plain
	}
	if n.Type.Kind == KindStruct {
		// A structure's display is its summary, rendered by its own
		// steps, which know whether it is plain.
		if n.Type.Struct.Summary != nil {
			var p bool
			buf, p = f.appendStructSummary(buf, c, n.Type.Struct)
			plain = plain && p
		}
		return buf, plain
	}
	buf = f.AppendDisplay(buf, c)
	plain = false
	return buf, plain
}

// refNode returns the node that st's slot path leads to from the structure
// node i, or -1 when a field on the way was not decoded, as FieldNode
// does. Node i is of the template's structure, and each node on the way is
// checked to be of the type the path was compiled through: every slot of
// the path is then one of its structure's own, which FieldNode checks at
// each step. A node of another type takes FieldNode's way.
func (f *Frame) refNode(i int, st *templateStep) int {
	start := i
	for k, slot := range st.path {
		n := &f.Nodes[i]
		if (k > 0 && n.Type != st.via[k-1]) || n.slots < 0 || int(n.slots)+slot >= len(f.slots) {
			return f.FieldNode(start, st.path)
		}
		idx := f.slots[int(n.slots)+slot]
		if idx < 0 {
			return -1
		}
		i = int(idx)
	}
	return i
}
