package schema

import (
	"fmt"
	"math"
	"strings"
)

// Node is one decoded value. A Frame keeps its nodes in pre-order: a
// structure or array node is followed by its children, and End is the index
// just past its last descendant.
type Node struct {
	Field  *Field // the field this value belongs to (for array elements, the array's field)
	Type   *Type  // the type actually decoded (a switch resolved to its case)
	Index  int32  // element index inside an array, or -1
	Offset int32  // byte offset within the frame
	Len    int32  // length in bytes
	End    int32  // index of the first node after this node's subtree
	Bits   uint64 // integer value (two's complement for signed), float bits, or bool; bytes and strings: content length
	slots  int32  // structure nodes: base of their field slots in Frame.slots; a bytes let: where its value starts in Frame.Data; -1 otherwise
	BitOff uint8  // bit fields: the first bit, counted from the most significant bit of the byte at Offset
	BitLen uint8  // bit fields: the width in bits; 0 for whole-byte values
	Flags  NodeFlags
}

// NodeFlags mark special nodes.
type NodeFlags uint8

// The node flags.
const (
	NodeComputed    NodeFlags = 1 << iota // a let: computed, covers no bytes
	NodeChecksumOK                        // a checksum field that matches
	NodeChecksumBad                       // a checksum field that does not match
	NodeLayer                             // a field decoded by another protocol
)

// Int returns an integer node's value, sign-extended for signed types; a
// bool is 1 for true (any non-zero byte) and 0 for false.
func (n *Node) Int() int64 {
	if n.Type.Kind == KindUint {
		return int64(n.Bits) // the commonest kind, inlined
	}
	return n.intOther()
}

// intOther is Int for the kinds other than KindUint. It is not inlined,
// so that Int is.
//
//go:noinline
func (n *Node) intOther() int64 {
	if n.Type.Kind == KindBool {
		return b2i(n.Bits != 0)
	}
	if n.Type.Kind == KindInt && n.Type.Varint == NotVarint {
		width := uint(8 * n.Type.Size)
		if n.Type.Bits > 0 {
			width = uint(n.Type.Bits)
		}
		if width > 0 && width < 64 {
			shift := 64 - width
			return int64(n.Bits<<shift) >> shift
		}
	}
	return int64(n.Bits)
}

// Float returns a float node's value.
func (n *Node) Float() float64 {
	if n.Type.Size == 4 {
		return float64(math.Float32frombits(uint32(n.Bits)))
	}
	return math.Float64frombits(n.Bits)
}

// Name is how the node is labelled: its field's name, or [i] for an array
// element.
func (n *Node) Name() string {
	if n.Index >= 0 {
		return fmt.Sprintf("[%d]", n.Index)
	}
	if n.Field == nil {
		return n.Type.Name // the root structure belongs to no field
	}
	return n.Field.Name
}

// IsContainer reports whether the node has children (structures, arrays).
func (n *Node) IsContainer() bool {
	return n.Type.Kind == KindStruct || n.Type.Kind == KindArray
}

// Frame is the decoded form of one frame. It is reused from frame to frame:
// Decode resets it and grows its buffers only when a frame needs more than
// any before it. Rendering a frame (AppendDisplay, AppendSummary) keeps
// text in it to be shown again: one goroutine at a time renders a frame.
type Frame struct {
	Root  *Struct // the message type the frame was decoded as
	Data  []byte  // the frame's bytes; not owned, valid while the caller says; with blocked fields, the frame's own copy followed by their views
	Nodes []Node
	Err   *DecodeError // why decoding stopped early, or nil
	// Trailing counts the bytes after the message that no field covers,
	// when decoding succeeded: the frame is longer than its message.
	Trailing int
	// BadChecksums counts the checksum fields that did not match.
	BadChecksums int
	// Pair is the frame's role in request/response pairing, and PairKey its
	// key, when the schema gives one.
	Pair    PairRole
	PairKey int64

	slots    []int32
	vals     []int64 // parameter values
	scopeBuf []int32
	atBuf    []int
	checks   []checkResult // checksums that did not match: what they should be
	own      []byte        // the frame's bytes, then the views of its blocked fields and the values of its bytes lets, when it has any
	errBuf   DecodeError
	pathBuf  []pathElem
	// The path of the last error, and the elements it was written from
	// when there were at most maxPathKey (errPathN of them; -1 when
	// more): an error at the same path, frame after frame, reuses its
	// text. An array, not a slice, so that a copy of the frame keeps its
	// own.
	errPath    string
	errPathKey [maxPathKey]pathElem
	errPathN   int
	// The summaries rendered for structures marked [value = summary]
	// (see appendStructSummary), kept while the frame is memoOwner (not
	// a copy), holds memoNodes nodes and the Data at memoData, and is
	// not reset.
	memo      []summaryMemo
	memoText  []byte
	memoNodes int
	memoOwner *Frame
	memoData  *byte
	// kept is where decodes of structures that a later decode may copy
	// went (see keptDecode).
	kept   []keptDecode
	copies []copyPair // the subtrees copied from kept decodes
}

// maxPathKey is the deepest error path whose text a frame reuses.
const maxPathKey = 8

// checkResult is the checksum computed for a field that did not match it.
type checkResult struct {
	node  int32
	want  uint64
	known bool // false when the range could not be computed
}

// Reset empties the frame for reuse.
func (f *Frame) Reset() {
	f.Root = nil
	f.Data = nil
	f.Nodes = f.Nodes[:0]
	f.slots = f.slots[:0]
	f.Err = nil
	f.Trailing = 0
	f.BadChecksums = 0
	f.Pair, f.PairKey = PairNone, 0
	f.vals = f.vals[:0]
	f.checks = f.checks[:0]
	f.pathBuf = f.pathBuf[:0]
	f.memo, f.memoText, f.memoNodes = f.memo[:0], f.memoText[:0], -1
	f.kept, f.copies = f.kept[:0], f.copies[:0]
}

// Children calls fn for each direct child of node i, in order.
func (f *Frame) Children(i int, fn func(child int)) {
	n := &f.Nodes[i]
	for c := i + 1; c < int(n.End); c = int(f.Nodes[c].End) {
		fn(c)
	}
}

// FieldNode returns the index of the node for a slot path from node i (a
// structure), or -1 when that field was not decoded.
func (f *Frame) FieldNode(i int, path []int) int {
	if i < 0 || i >= len(f.Nodes) {
		return -1
	}
	idx := int32(-1)
	for _, slot := range path {
		n := &f.Nodes[i]
		// A slot outside the structure's own fields would read another
		// structure's slots, or outside f.slots.
		if n.slots < 0 || n.Type.Struct == nil || slot < 0 || slot >= n.Type.Struct.slotCount() ||
			int(n.slots)+slot >= len(f.slots) {
			return -1
		}
		idx = f.slots[int(n.slots)+slot]
		if idx < 0 {
			return -1
		}
		i = int(idx)
	}
	return int(idx)
}

// Lookup finds a node by a dotted field path from the root, such as
// "mbap.length" or "registers.3". It is for tests and tools, not the hot path.
func (f *Frame) Lookup(path string) (int, bool) {
	if len(f.Nodes) == 0 {
		return -1, false
	}
	cur := 0
	for _, part := range strings.Split(path, ".") {
		found := -1
		f.Children(cur, func(c int) {
			n := &f.Nodes[c]
			if found < 0 && ((n.Index < 0 && n.Field.Name == part) || (n.Index >= 0 && fmt.Sprint(n.Index) == part)) {
				found = c
			}
		})
		if found < 0 {
			return -1, false
		}
		cur = found
	}
	return cur, true
}

// DecodeError says why a frame could not be decoded completely: where, and
// what was expected versus what was found.
type DecodeError struct {
	Path     string // field path, e.g. "body.registers[3]"
	Offset   int    // byte offset within the frame
	Kind     string // short class of error, e.g. "truncated", "bad value"
	Expected string
	Found    string
}

func (e *DecodeError) Error() string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Kind)
	if e.Expected != "" {
		b.WriteString(": expected ")
		b.WriteString(e.Expected)
	}
	if e.Found != "" {
		b.WriteString(", found ")
		b.WriteString(e.Found)
	}
	fmt.Fprintf(&b, " (at frame offset %d)", e.Offset)
	return b.String()
}
