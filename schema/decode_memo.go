package schema

// A structure marked [value = summary] is often decoded again where it
// was decoded already: a DNS response decodes its question's name in the
// question, again at offset 12 for the summary line, and once more as the
// target of each answer's compression pointer. When such a structure
// decodes the same way wherever it is (see planKept), the decoder keeps
// where each decode of it went, and a second decode of the same type at
// the same offset in the same region copies the first one's nodes, slots
// and parameter values, moved to where they now go: the nodes a decode
// would add, but for the first node's field and index, which are the
// caller's.
//
// A copy is made only when decoding again could not end otherwise: the
// first decode succeeded with no error in the frame and followed no
// positioned read ([at = ...], whose loop check and count depend on the
// reads around it); the copy fits the node limit, and the deepest level
// the first decode's depth tests let it go to is, moved to the copy's
// depth, within the depth limit (so that each of those tests passes
// there too: see within); and the structure's decoding reads nothing but
// its region and its own values (no parent., state, index(), checksum,
// layer, blocks, bytes let or statement with an effect beyond the frame's
// nodes).

// keepDecodes turns keeping decodes on; tests turn it off to compare.
var keepDecodes = true

// keptDecode is where a decode of a structure went.
type keptDecode struct {
	typ             *Type
	off, start, end int  // where it was decoded, in which region
	next            int  // the offset after it
	reach           int  // how many levels below its own its decode went (see within)
	top             Node // its own node, as it decoded it
	node0, node1    int  // its nodes, its own first
	slot0, slot1    int  // the slots its structures took
	val0, val1      int  // the parameter values its structures took
}

// maxKept bounds the decodes a frame keeps, and so the time a lookup
// takes.
const maxKept = 16

// copyPair says the subtree of node was copied from that of source, a
// structure decoded: the two render the same summary (see
// appendStructSummary).
type copyPair struct {
	node, source int32
}

// maxCopies bounds the copies a frame notes.
const maxCopies = 64

// decodedAs returns the node whose decode node i's subtree was copied
// from, or i.
func (f *Frame) decodedAs(i int) int {
	for _, c := range f.copies {
		if int(c.node) == i {
			return int(c.source)
		}
	}
	return i
}

// planKept sets s.keep on each structure marked [value = summary] that
// takes no parameters and decodes the same way wherever it is.
func planKept(structs []*Struct) {
	for _, s := range structs {
		s.keep = s.ValueIsSummary && len(s.Params) == 0 && s.Type != nil && selfContained(s.Type, map[*Struct]bool{})
	}
}

// selfContained reports whether decoding a value of t reads nothing but
// its region and its own values, and changes nothing but the frame's
// nodes, slots and parameter values (see the top of this file).
func selfContained(t *Type, seen map[*Struct]bool) bool {
	if t == nil {
		return true
	}
	if !localExpr(t.Len) {
		return false
	}
	for _, a := range t.Args {
		if !localExpr(a) {
			return false
		}
	}
	switch t.Kind {
	case KindArray:
		return selfContained(t.Elem, seen)
	case KindSwitch:
		sw := t.Switch
		if sw == nil || !localExpr(sw.Tag) || !selfContained(sw.Default, seen) {
			return false
		}
		for _, c := range sw.Cases {
			if !selfContained(c.Type, seen) {
				return false
			}
		}
	case KindStruct:
		s := t.Struct
		if s == nil || seen[s] {
			return s != nil
		}
		seen[s] = true
		for _, m := range s.Fields {
			switch {
			case m.Op != OpField && m.Op != OpLet && m.Op != OpAssert && m.Op != OpAlign,
				m.Check != nil, m.Layer != nil, m.Blocks != nil, m.bytes != nil,
				!localExpr(m.Cond), !localExpr(m.At), !localExpr(m.Size), !localExpr(m.Value), !localExpr(m.Expect),
				!selfContained(m.Type, seen):
				return false
			}
		}
	}
	return true
}

// localExpr reports whether e reads nothing but the region and values of
// the structure it is in (and, in an array's condition, of the array's
// last element): no parent., state or index().
func localExpr(e *Expr) bool {
	if e == nil {
		return true
	}
	switch e.op {
	case opParent, opState, opIndex:
		return false
	}
	return localExpr(e.x) && localExpr(e.y) && localExpr(e.z)
}

// copyKept adds the nodes of the structure typ at off, in the region
// [start, end), of the field fld and index, by copying a decode of it
// kept earlier in the frame, and returns what decodeStruct returns; ok is
// false, with nothing added, when there is none to copy.
func (d *decoder) copyKept(fld *Field, typ *Type, index int32, off, start, end int) (idx, next int, ok bool) {
	f := d.f
	if f.Err != nil {
		return -1, off, false
	}
	for i := range f.kept {
		k := &f.kept[i]
		if k.typ != typ || k.off != off || k.start != start || k.end != end || !d.within(d.depth+k.reach) ||
			len(f.Nodes)+(k.node1-k.node0) > d.lim.MaxNodes {
			continue
		}
		idx = len(f.Nodes)
		nodeDelta, slotDelta, valDelta := int32(idx-k.node0), int32(len(f.slots)-k.slot0), len(f.vals)-k.val0
		f.vals = append(f.vals, f.vals[k.val0:k.val1]...)
		slots := d.growSlots(k.slot1 - k.slot0)
		copy(slots, f.slots[k.slot0:k.slot1])
		for j, v := range slots {
			switch {
			case v >= 0:
				slots[j] = v + nodeDelta
			case v <= -2:
				slots[j] = int32(-(int(-v-2) + valDelta) - 2)
			}
		}
		nodes := d.growNodes(k.node1 - k.node0)
		copy(nodes, f.Nodes[k.node0:k.node1])
		for j := range nodes {
			n := &nodes[j]
			n.End += nodeDelta
			if n.slots >= 0 {
				n.slots += slotDelta
			}
		}
		if len(f.copies) < maxCopies {
			f.copies = append(f.copies, copyPair{node: int32(idx), source: int32(k.node0)})
		}
		nodes[0] = k.top // the caller may have changed it since
		nodes[0].Field, nodes[0].Index = fld, index
		nodes[0].End, nodes[0].slots = k.top.End+nodeDelta, k.top.slots+slotDelta
		return idx, k.next, true
	}
	return -1, off, false
}

// keep notes the decode of the structure typ at off, in the region
// [start, end), that went from the node, slot and value counts of before
// (node0 is its own node) to the frame's, ending at next, when a later
// decode may copy it: it succeeded, followed no positioned read (hops is
// the count before), and each of its slots names one of its own nodes or
// parameter values.
func (d *decoder) keep(typ *Type, off, start, end, next, node0, slot0, val0, hops int) {
	f := d.f
	if len(f.kept) >= maxKept || f.Err != nil || d.hops != hops || node0 >= len(f.Nodes) || int(f.Nodes[node0].End) != len(f.Nodes) {
		return
	}
	node1, slot1, val1 := len(f.Nodes), len(f.slots), len(f.vals)
	for _, v := range f.slots[slot0:slot1] {
		switch {
		case v >= 0 && (int(v) < node0 || int(v) >= node1):
			return
		case v <= -2 && (int(-v-2) < val0 || int(-v-2) >= val1):
			return
		}
	}
	for j := node0; j < node1; j++ {
		if s := int(f.Nodes[j].slots); s >= 0 && (f.Nodes[j].Type.Kind != KindStruct || s < slot0 || s > slot1) {
			return
		}
	}
	f.kept = append(f.kept, keptDecode{typ: typ, off: off, start: start, end: end, next: next, reach: d.reach - d.depth, top: f.Nodes[node0],
		node0: node0, node1: node1, slot0: slot0, slot1: slot1, val0: val0, val1: val1})
}
