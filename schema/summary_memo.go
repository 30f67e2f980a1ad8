package schema

import "unsafe"

// A structure marked [value = summary] (a DNS name, an OID) is often
// rendered several times for one frame: as a value in JSON, in its
// parent's summary, and again wherever the same bytes were decoded again
// (a DNS name at offset 12 is the question's name, the question of the
// summary line, and the target of each answer's compression pointer).
// The frame keeps what it rendered for such structures, and a structure
// node whose subtree is the same as one already rendered (the same fields,
// types, offsets, values and slots, in the same places) gets that text
// again without rendering it: a summary depends on nothing else. A node
// whose subtree the decoder copied from another's (see copyKept) is the
// same as it without comparing them.
//
// Rendering therefore writes to the frame: one frame is rendered by one
// goroutine at a time, and its nodes and the bytes of its Data stay as
// decoded until the next Decode or Reset. A copy of the frame, another
// Data buffer or another count of nodes starts the memo again.

// summaryMemo is the rendered summary of a structure node.
type summaryMemo struct {
	node       int32
	as         int32  // the node whose decode it was copied from, or node (see decodedAs)
	start, end uint32 // the text, in Frame.memoText
	plain      bool   // as appendTemplate reported
}

// maxMemos bounds the summaries a frame keeps, and so the time a lookup
// takes; maxMemoText the bytes of their text.
const (
	maxMemos    = 32
	maxMemoText = 8192
)

// appendStructSummary renders the summary of the structure node i, of
// the structure st, as appendTemplate does: for a structure marked [value
// = summary], from the frame's memo when a node with the same subtree was
// rendered before.
func (f *Frame) appendStructSummary(buf []byte, i int, st *Struct) ([]byte, bool) {
	if !st.ValueIsSummary {
		return f.appendTemplate(buf, i, st.Summary)
	}
	if f.memoOwner != f || f.memoNodes != len(f.Nodes) || f.memoData != unsafe.SliceData(f.Data) {
		f.restartMemo() // a copy of the frame, or nodes or bytes changed without a Reset
	}
	as := f.decodedAs(i)
	for k := range f.memo {
		m := &f.memo[k]
		if int(m.as) == as || f.sameSubtree(int(m.node), i) {
			return append(buf, f.memoText[m.start:m.end]...), m.plain
		}
	}
	start := len(buf)
	buf, plain := f.appendTemplate(buf, i, st.Summary)
	if text := buf[start:]; len(f.memo) < maxMemos && len(f.memoText)+len(text) <= maxMemoText {
		at := len(f.memoText)
		f.memoText = append(f.memoText, text...)
		f.memo = append(f.memo, summaryMemo{node: int32(i), as: int32(as), start: uint32(at), end: uint32(len(f.memoText)), plain: plain})
	}
	return buf, plain
}

// clearMemo forgets the summaries the frame kept.
func (f *Frame) clearMemo() {
	f.memo, f.memoText = f.memo[:0], f.memoText[:0]
}

// restartMemo forgets the summaries kept, for the frame's nodes and bytes
// as they are now. A copy of a frame made by value shares its memo's
// arrays: it starts memos of its own.
func (f *Frame) restartMemo() {
	if f.memoOwner != f {
		f.memo, f.memoText = nil, nil
	}
	f.clearMemo()
	f.memoOwner, f.memoNodes, f.memoData = f, len(f.Nodes), unsafe.SliceData(f.Data)
}

// sameSubtree reports whether the structure nodes a and b render the same
// summary: node for node, the same type, bytes, value, bits and flags, the
// same field and index below the top, each End and each structure's slots at the same place from its
// subtree's start, and the same parameter values. A subtree holding a
// node that renders from something else (a bytes let's computed value, a
// checksum's expected value, a layer) is never the same as another.
func (f *Frame) sameSubtree(a, b int) bool {
	if a == b {
		return true
	}
	nodes := f.Nodes
	size := int(nodes[a].End) - a
	if size <= 0 || int(nodes[b].End)-b != size || a+size > len(nodes) || b+size > len(nodes) ||
		nodes[a].Type != nodes[b].Type || nodes[a].Offset != nodes[b].Offset {
		return false
	}
	delta := int32(b - a)
	for k := range size {
		x, y := &nodes[a+k], &nodes[b+k]
		// The top nodes may be of different fields, or one an array's
		// element: a structure's summary shows its own fields only.
		if k > 0 && (x.Field != y.Field || x.Index != y.Index) {
			return false
		}
		if x.Type != y.Type || x.Offset != y.Offset || x.Len != y.Len ||
			x.End+delta != y.End || x.Bits != y.Bits || x.BitOff != y.BitOff || x.BitLen != y.BitLen || x.Flags != y.Flags ||
			x.Flags&(NodeComputed|NodeChecksumOK|NodeChecksumBad|NodeLayer) != 0 {
			return false
		}
		if x.slots < 0 || x.Type.Kind != KindStruct || x.Type.Struct == nil {
			if x.slots != y.slots {
				return false
			}
			continue
		}
		if !f.sameSlots(int(x.slots), int(y.slots), x.Type.Struct.slotCount(), int32(a), int32(a+size), delta) {
			return false
		}
	}
	return true
}

// sameSlots reports whether the n slots at sa and at sb hold the same:
// no node, a node of the subtree [lo, hi) and the node delta places after
// it, or parameters of the same value.
func (f *Frame) sameSlots(sa, sb, n int, lo, hi, delta int32) bool {
	if sb < 0 || sa+n > len(f.slots) || sb+n > len(f.slots) {
		return false
	}
	for j := range n {
		va, vb := f.slots[sa+j], f.slots[sb+j]
		switch {
		case va >= 0:
			if va < lo || va >= hi || vb != va+delta {
				return false
			}
		case va == -1:
			if vb != -1 {
				return false
			}
		default: // a parameter's value: vals[-v-2]
			ia, ib := int(-va-2), int(-vb-2)
			if vb > -2 || ia >= len(f.vals) || ib >= len(f.vals) || f.vals[ia] != f.vals[ib] {
				return false
			}
		}
	}
	return true
}
