package output

import (
	"bytes"
	"encoding/binary"
	"slices"
	"unsafe"

	"github.com/dissect-project/dissect/internal/decimal"
	"github.com/dissect-project/dissect/schema"
)

// A structure's flat plan writes its object in one pass over its nodes
// when they are laid out as its fields are listed: each member's node
// after the previous one's subtree, of the member's field and type. The
// text between two values (a key, the comma before it, the braces that
// open and close a nested structure) is one literal written with one copy
// of a fixed size, and a nested structure whose members are all plain
// scalars or such structures (the MBAP header) is written inline, its
// node count checked once. A node the plan does not expect (a field left
// out by a condition, a case of another field) stops the pass, and the
// structure is written again member by member (appendMembers): the
// output is the same, the plan only takes fewer steps and tests.

// flatKind is how a flatOp writes its node.
type flatKind uint8

const (
	flatUint   flatKind = iota // a plain unsigned integer
	flatEnum                   // a plain unsigned enum value: its object when below enumObjectValues
	flatHidden                 // a hidden member: nothing written
	flatOpen                   // a nested structure written inline: its members are the next steps
	flatSwitch                 // a switch: by appendValue, whose nodes may be of a case's type
	flatCall                   // any other member: by appendValue, by its member plan's way
)

// flatOp is one step of a flat plan: the literal text before the node,
// and how the node, of field and typ, is written.
type flatOp struct {
	lit   fixedText
	kind  flatKind
	field *schema.Field
	typ   *schema.Type
	// nodes is, for flatOpen, how many nodes the structure's subtree
	// has: itself and one a member.
	nodes int
	m     *memberPlan // the member's plan in its own structure's plan
}

// flatStepRoom is the spare capacity a step of a fixed size takes at
// most: its literal and a value, an enum object at most.
const flatStepRoom = fixedRoom + enumSlot

// maxFlatDepth bounds the nesting of structures written inline.
const maxFlatDepth = 8

// maxFlatInline bounds the nodes of a nested structure written inline,
// and all the steps of a plan: a structure written inline takes a step
// for each node of its subtree, which schemas of a few lines can make
// exponential in their nesting (each structure holding six of the next).
// Past it, a nested structure is written by its own plan.
const maxFlatInline = 256

// planFlat sets p's flat plan, made from p's members, when every literal
// fits.
func (c *keyCache) planFlat(p *structPlan) {
	pending := []byte{'{'}
	fits := true
	ops := c.flatOps(nil, p, &pending, 0, &fits)
	pending = append(pending, '}')
	if !p.tail.set(pending) || !fits {
		return
	}
	p.flat, p.flatOK = ops, true
	p.room = (len(ops) + 1) * flatStepRoom
}

// flatOps appends the steps of p's members to ops. pending is the text
// waiting to be written before the next value: at the start, the opening
// brace of p's object. fits is cleared when a literal does not fit.
func (c *keyCache) flatOps(ops []flatOp, p *structPlan, pending *[]byte, depth int, fits *bool) []flatOp {
	first := true
	for k := range p.members {
		m := &p.members[k]
		op := flatOp{field: m.field, typ: m.typ, m: m}
		if m.way == wayHidden {
			op.kind = flatHidden
			ops = append(ops, op)
			continue
		}
		key := m.key.long // `,"name":`
		if first {
			key = key[1:]
		}
		first = false
		*pending = append(*pending, key...)
		op.kind = flatCall
		switch m.way {
		case wayUint:
			op.kind = flatUint
		case wayEnum:
			op.kind = flatEnum
		case wayStruct:
			if n := fixedNodes(m.typ.Struct, depth+1, maxFlatInline-len(ops)); n > 0 {
				op.kind = flatOpen
				op.nodes = n
				*fits = op.lit.set(bytes.Clone(*pending)) && *fits
				*pending = append((*pending)[:0], '{')
				ops = append(ops, op)
				child := c.plan(m.typ.Struct, p.ws)
				ops = c.flatOps(ops, child, pending, depth+1, fits)
				*pending = append(*pending, '}')
				continue
			}
		case waySwitch:
			op.kind = flatSwitch
		}
		*fits = op.lit.set(bytes.Clone(*pending)) && *fits
		*pending = (*pending)[:0]
		ops = append(ops, op)
	}
	return ops
}

// fixedNodes returns how many nodes a structure of st has, itself
// included, when each of its fields is a plain integer or enum, or such
// a structure, always decoded and shown: then its members are one node
// each, in order. It returns 0 for any other structure, and for one of
// more than limit nodes, which it stops counting as soon as it passes
// limit.
func fixedNodes(st *schema.Struct, depth, limit int) int {
	if st == nil || st.ValueIsSummary || depth > maxFlatDepth || limit < 1 {
		return 0
	}
	n := 1
	for _, fld := range st.Fields {
		if fld.Slot < 0 || fld.Type == nil {
			continue // a statement: no node
		}
		t := fld.Type
		if fld.Hidden || fld.Cond != nil || fld.Check != nil || !plainInt(fld) {
			return 0
		}
		switch {
		case (t.Kind == schema.KindUint || t.Kind == schema.KindInt) && (t.Enum == nil || !t.Enum.Flags):
			n++
		case t.Kind == schema.KindStruct:
			c := fixedNodes(t.Struct, depth+1, limit-n)
			if c == 0 {
				return 0
			}
			n += c
		default:
			return 0
		}
		if n > limit {
			return 0
		}
	}
	return n
}

// growFlat makes room for n bytes. Out of appendFlat, whose code stays
// short: it runs when the buffer fills.
//
//go:noinline
func growFlat(b []byte, n int) []byte {
	return slices.Grow(b, n)
}

// appendFlat writes the structure node i by the flat plan of p, and
// reports whether it could: when a node is not the one the plan expects,
// it returns b as it was given, with what it wrote cut off.
//
// It makes p.room bytes of room at the start and again after each value
// of no fixed size, and writes the steps of fixed size at w, in that
// room, without a test of each write's bounds: flatStepRoom bytes each
// at most, and one step per op.
func (c *keyCache) appendFlat(b []byte, f *schema.Frame, i int, p *structPlan) ([]byte, bool) {
	if !p.flatOK {
		return b, false
	}
	end := int(f.Nodes[i].End)
	if end > len(f.Nodes) {
		return b, false
	}
	nodes := f.Nodes[:end]
	start := len(b)
	if cap(b)-len(b) < p.room {
		b = growFlat(b, p.room)
	}
	w := unsafe.Add(unsafe.Pointer(unsafe.SliceData(b)), len(b)) // where the next byte goes
	k := i + 1
	ops := p.flat
	j := 0
	for {
		// The steps written in place, in a loop with no call: what
		// it keeps in registers stays there.
		for ; j < len(ops); j++ {
			op := &ops[j]
			if k >= len(nodes) {
				return b[:start], false
			}
			cn := &nodes[k]
			if cn.Field != op.field || cn.Type != op.typ {
				break
			}
			if op.kind == flatUint {
				v := cn.Bits
				if int(cn.End) != k+1 || cn.Flags&(schema.NodeChecksumOK|schema.NodeChecksumBad) != 0 || v >= decimal.PutLimit {
					break
				}
				w = op.lit.store(w)
				// Up to five digits in place, a branch for each count
				// (see decimal.Put, which writes the others).
				switch {
				case v < 10:
					*(*byte)(w) = byte('0' + v)
					w = unsafe.Add(w, 1)
				case v < 100:
					binary.LittleEndian.PutUint16((*[2]byte)(w)[:], decimal.PairWords[v])
					w = unsafe.Add(w, 2)
				case v < 1000:
					hi := v / 100
					*(*byte)(w) = byte('0' + hi)
					binary.LittleEndian.PutUint16((*[2]byte)(unsafe.Add(w, 1))[:], decimal.PairWords[v-hi*100])
					w = unsafe.Add(w, 3)
				case v < 10000:
					hi := v / 100
					binary.LittleEndian.PutUint16((*[2]byte)(w)[:], decimal.PairWords[hi])
					binary.LittleEndian.PutUint16((*[2]byte)(unsafe.Add(w, 2))[:], decimal.PairWords[v-hi*100])
					w = unsafe.Add(w, 4)
				case v < 100000:
					hi := v / 10000
					lo := v - hi*10000
					mid := lo / 100
					*(*byte)(w) = byte('0' + hi)
					binary.LittleEndian.PutUint16((*[2]byte)(unsafe.Add(w, 1))[:], decimal.PairWords[mid])
					binary.LittleEndian.PutUint16((*[2]byte)(unsafe.Add(w, 3))[:], decimal.PairWords[lo-mid*100])
					w = unsafe.Add(w, 5)
				default:
					w = unsafe.Add(w, decimal.Put((*[8]byte)(w), v))
				}
				k++
				continue
			}
			if op.kind == flatEnum {
				v := cn.Bits
				if int(cn.End) != k+1 || cn.Flags&(schema.NodeChecksumOK|schema.NodeChecksumBad) != 0 || v >= uint64(len(op.m.objects.slotN)) || op.m.objects.slotN[v] == 0 {
					break
				}
				w = op.lit.store(w)
				o := op.m.objects
				*(*[enumSlot]byte)(w) = o.slots[v]
				w = unsafe.Add(w, o.slotN[v])
				k++
				continue
			}
			if op.kind == flatOpen && int(cn.End) == k+op.nodes {
				w = op.lit.store(w)
				k++
				continue
			}
			if op.kind == flatHidden {
				k = int(cn.End)
				continue
			}
			break
		}
		if j == len(ops) {
			break
		}
		// The step j by a call (nodes[k] is there: the loop looked).
		op := &ops[j]
		cn := &nodes[k]
		if cn.Field != op.field || (cn.Type != op.typ && op.kind != flatSwitch) || op.kind == flatOpen {
			return b[:start], false
		}
		w = op.lit.store(w)
		b = c.appendValue(b[:flatLen(b, w)], f, k, op.m, p.ws)
		k = int(cn.End)
		if cap(b)-len(b) < p.room {
			b = growFlat(b, p.room)
		}
		w = unsafe.Add(unsafe.Pointer(unsafe.SliceData(b)), len(b))
		j++
	}
	if k != end {
		return b[:start], false
	}
	w = p.tail.store(w)
	return b[:flatLen(b, w)], true
}

// flatLen is the length of b up to w, a pointer into b's array.
func flatLen(b []byte, w unsafe.Pointer) int {
	return int(uintptr(w) - uintptr(unsafe.Pointer(unsafe.SliceData(b))))
}
