package schema

import (
	"bytes"
	"encoding/binary"
)

// exprOp is the operation of a compiled expression node.
type exprOp uint8

const (
	opConst      exprOp = iota
	opField             // value of a field, by slot path from the current structure
	opLast              // value of the last array element, or of a field inside it, by path
	opParent            // value of a field of an enclosing structure
	opState             // a connection state variable
	opRead              // read an unsigned integer at byte offset x of the region (framing: of the buffer)
	opReadVarint        // read a varint at byte offset x of the region
	opVarintLen         // the bytes a varint at byte offset x takes
	opOffsetNow         // offset(): the current offset in the region
	opRemaining         // remaining(): bytes left in the region
	opOffsetOf          // offset(f): where field f starts in the region
	opLenOf             // len(f): elements of an array, bytes of anything else
	opSizeOf            // sizeof(f): bytes of f
	opNeg
	opNot
	opCompl
	opAdd
	opSub
	opMul
	opDiv
	opMod
	opAnd
	opOr
	opXor
	opShl
	opShr
	opEq
	opNe
	opLt
	opLe
	opGt
	opGe
	opLAnd
	opLOr
	opCond
	opMin
	opMax
	opIndex  // index(): the position of the element being decoded in the innermost array
	opTextEq // a text or bytes field, by slot path, equals str
	// opFieldConst is x cmp val, where x is an opField of one slot (a
	// field of the current structure) and cmp a binary operator other
	// than && and ||: the commonest conditions and counts
	// (type == PacketType.publish, byte_count / 2), computed without
	// evaluating the operands (see binaryExpr).
	opFieldConst
	// opLastConst is x cmp val, where x is an opLast of one slot (a
	// field of the last array element) and cmp as in opFieldConst: the
	// commonest ends of arrays (until last.length == 0), computed without
	// evaluating the operands.
	opLastConst
)

// Expr is a compiled expression: a small tree evaluated with a switch. It
// holds no names; field references are slot paths.
type Expr struct {
	op     exprOp
	val    int64         // opConst; opParent: levels up; opState: variable index
	path   []int         // field references: slots through nested structures
	table  []parentSlots // opParent: the path for each structure that can enclose this one
	size   int           // opRead: bytes to read
	endian Endian        // opRead
	varint Varint        // opReadVarint, opVarintLen
	str    []byte        // opTextEq: the bytes to compare with, in the field's encoding
	cmp    exprOp        // opFieldConst, opLastConst: the operator
	x, y   *Expr
	z      *Expr // opCond: else branch
}

// parentSlots is where a field named by parent.x sits in one enclosing
// structure type.
type parentSlots struct {
	st   *Struct
	path []int
}

// exprErr is why an evaluation failed.
type exprErr uint8

const (
	exprOK exprErr = iota
	exprDivZero
	exprMissing   // a referenced field was not decoded
	exprNeedMore  // a read went past the available bytes
	exprBadShift  // a shift count outside 0..63
	exprBadOffset // a read at a negative offset
	exprBadVarint // a varint that cannot be read
	exprEmptyKey  // xor with an empty key
	exprBadPad    // pad to a length below the bytes, negative or too large
)

func (e exprErr) String() string {
	switch e {
	case exprDivZero:
		return "division by zero"
	case exprMissing:
		return "refers to a field that is absent"
	case exprNeedMore:
		return "needs more bytes"
	case exprBadShift:
		return "shift count out of range"
	case exprBadOffset:
		return "read at a negative offset"
	case exprBadVarint:
		return "malformed varint"
	case exprEmptyKey:
		return "xor with an empty key"
	case exprBadPad:
		return "bytes longer than the length to pad them to, or a length out of range"
	}
	return "ok"
}

// evalEnv is what an expression can see while it runs.
type evalEnv struct {
	f     *Frame   // nodes decoded so far; nil in framing
	scope int32    // slot base of the current structure in f.slots
	data  []byte   // the frame's bytes (framing: the buffered stream)
	off   int      // current offset in data
	start int      // the region: data[start:end]
	end   int      //
	last  int32    // node of the last array element, or -1
	d     *decoder // enclosing structures and connection state; nil in framing
	state *State   // framing: the connection state, when the caller has one
}

// eval computes e. Arithmetic is on int64 with wrap-around; comparisons and
// logic give 0 or 1.
func (e *Expr) eval(env *evalEnv) (int64, exprErr) {
	switch e.op {
	case opConst:
		return e.val, exprOK
	case opField:
		if idx := env.fieldNode(e); idx >= 0 {
			return env.f.Nodes[idx].Int(), exprOK
		} else if idx < -1 {
			return env.paramValue(idx), exprOK
		}
		return env.slotValue(env.scope, e.path)
	case opFieldConst:
		if idx := env.fieldNode(e.x); idx >= 0 {
			return binop(e.cmp, env.f.Nodes[idx].Int(), e.val)
		} else if idx < -1 {
			return binop(e.cmp, env.paramValue(idx), e.val)
		}
		a, err := env.slotValue(env.scope, e.x.path)
		if err != exprOK {
			return 0, err
		}
		return binop(e.cmp, a, e.val)
	case opLast:
		return env.lastValue(e.path)
	case opLastConst:
		if f := env.f; f != nil && env.last >= 0 {
			// lastValue's path of one slot, for a field that was decoded.
			if s := int(f.Nodes[env.last].slots); s >= 0 && s+e.x.path[0] < len(f.slots) {
				if idx := f.slots[s+e.x.path[0]]; idx >= 0 {
					return binop(e.cmp, f.Nodes[idx].Int(), e.val)
				}
			}
		}
		a, err := env.lastValue(e.x.path)
		if err != exprOK {
			return 0, err
		}
		return binop(e.cmp, a, e.val)
	case opParent:
		return env.parentValue(e)
	case opState:
		st := env.state
		if env.d != nil {
			st = env.d.state
		}
		if st == nil || int(e.val) >= len(st.Vals) {
			return 0, exprMissing
		}
		return st.Vals[e.val], exprOK
	case opOffsetNow:
		return int64(env.off - env.start), exprOK
	case opRemaining:
		return int64(env.end - env.off), exprOK
	case opIndex:
		return env.elementIndex()
	case opTextEq:
		b, err := env.textValue(e.path)
		if err != exprOK {
			return 0, err
		}
		return b2i(bytes.Equal(b, e.str)), exprOK
	case opOffsetOf, opLenOf, opSizeOf:
		return env.nodeFact(e)
	case opRead, opReadVarint, opVarintLen:
		off, err := e.x.operand(env)
		if err != exprOK {
			return 0, err
		}
		return env.read(e, off)
	case opCond:
		c, err := e.x.eval(env)
		if err != exprOK {
			return 0, err
		}
		if c != 0 {
			return e.y.eval(env)
		}
		return e.z.eval(env)
	case opLAnd, opLOr:
		a, err := e.x.operand(env)
		if err != exprOK {
			return 0, err
		}
		if (a != 0) == (e.op == opLOr) {
			return b2i(a != 0), exprOK
		}
		b, err := e.y.operand(env)
		return b2i(b != 0), err
	}
	a, err := e.x.operand(env)
	if err != exprOK {
		return 0, err
	}
	switch e.op {
	case opNeg:
		return -a, exprOK
	case opNot:
		return b2i(a == 0), exprOK
	case opCompl:
		return ^a, exprOK
	}
	b, err := e.y.operand(env)
	if err != exprOK {
		return 0, err
	}
	return binop(e.op, a, b)
}

// binop computes a op b for a binary operator other than && and ||.
func binop(op exprOp, a, b int64) (int64, exprErr) {
	switch op {
	case opAdd:
		return a + b, exprOK
	case opSub:
		return a - b, exprOK
	case opMul:
		return a * b, exprOK
	case opDiv:
		if b == 0 {
			return 0, exprDivZero
		}
		if b == -1 {
			return -a, exprOK // avoids the MinInt64 / -1 trap
		}
		return a / b, exprOK
	case opMod:
		if b == 0 {
			return 0, exprDivZero
		}
		if b == -1 {
			return 0, exprOK
		}
		return a % b, exprOK
	case opAnd:
		return a & b, exprOK
	case opOr:
		return a | b, exprOK
	case opXor:
		return a ^ b, exprOK
	case opShl:
		if b < 0 || b > 63 {
			return 0, exprBadShift
		}
		return a << uint(b), exprOK
	case opShr:
		if b < 0 || b > 63 {
			return 0, exprBadShift
		}
		return int64(uint64(a) >> uint(b)), exprOK
	case opEq:
		return b2i(a == b), exprOK
	case opNe:
		return b2i(a != b), exprOK
	case opLt:
		return b2i(a < b), exprOK
	case opLe:
		return b2i(a <= b), exprOK
	case opGt:
		return b2i(a > b), exprOK
	case opGe:
		return b2i(a >= b), exprOK
	case opMin:
		return min(a, b), exprOK
	case opMax:
		return max(a, b), exprOK
	}
	return 0, exprOK
}

// fieldNode is the slot of e, an opField, when it is a field or a
// parameter of the current structure, the commonest reference: slotNode's
// walk for a path of one slot. That is the node of a field decoded, -1
// for one not decoded, and for a parameter -(its index in Frame.vals) - 2
// (BER's BerNode(parent) compares its parameter element after element).
// It is -1 otherwise. (Frame.pathNode finds paths of two slots too, but
// costs eval more than it saves it.)
func (env *evalEnv) fieldNode(e *Expr) int32 {
	if len(e.path) != 1 || env.f == nil || env.scope < 0 {
		return -1
	}
	if i := int(env.scope) + e.path[0]; uint(i) < uint(len(env.f.slots)) {
		return env.f.slots[i]
	}
	return -1
}

// pathNode is the node at path, of one or two slots (not checked), from
// the structure whose slots start at base, when every node on it was
// decoded (a pairing key, mbap.transaction_id), as slotNode's walk would
// find it; else -1.
func (f *Frame) pathNode(base int, path []int) int32 {
	c := f.slots[base+path[0]]
	if len(path) == 2 && c >= 0 {
		if s := f.Nodes[c].slots; s >= 0 && int(s)+path[1] < len(f.slots) {
			c = f.slots[int(s)+path[1]]
		} else {
			c = -1
		}
	}
	return max(c, -1)
}

// binaryExpr builds x op y. A field of the current structure, or of the
// last array element, and a constant become an opFieldConst or an
// opLastConst, which keep x and y for anything that walks the tree.
func binaryExpr(op exprOp, x, y *Expr) *Expr {
	if op >= opAdd && op <= opGe && x != nil && len(x.path) == 1 && y != nil && y.op == opConst {
		switch {
		case x.op == opField:
			return &Expr{op: opFieldConst, cmp: op, val: y.val, x: x, y: y}
		case x.op == opLast && x.path[0] >= 0:
			return &Expr{op: opLastConst, cmp: op, val: y.val, x: x, y: y}
		}
	}
	return &Expr{op: op, x: x, y: y}
}

// operand evaluates an operand: a constant without a call to eval (it is
// inlined), anything else with it.
func (e *Expr) operand(env *evalEnv) (int64, exprErr) {
	if e.op == opConst {
		return e.val, exprOK
	}
	return e.eval(env)
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// slotNode follows a slot path from the structure whose slots start at
// scope, and returns the node it ends at. A parameter has no node: its
// slot holds -(index into f.vals) - 2, returned as is.
func (env *evalEnv) slotNode(scope int32, path []int) (int32, exprErr) {
	f := env.f
	if f == nil {
		return -1, exprMissing
	}
	for i, slot := range path {
		if scope < 0 || int(scope)+slot >= len(f.slots) {
			return -1, exprMissing
		}
		idx := f.slots[int(scope)+slot]
		if idx == -1 {
			return -1, exprMissing
		}
		if i == len(path)-1 || idx < -1 {
			return idx, exprOK
		}
		scope = f.Nodes[idx].slots
	}
	return -1, exprMissing
}

func (env *evalEnv) nodeValue(idx int32) (int64, exprErr) {
	if idx < -1 {
		return env.paramValue(idx), exprOK
	}
	return env.f.Nodes[idx].Int(), exprOK
}

// paramValue is the value of the parameter whose slot holds idx (less
// than -1: see slotNode).
func (env *evalEnv) paramValue(idx int32) int64 { return env.f.vals[-idx-2] }

func (env *evalEnv) slotValue(scope int32, path []int) (int64, exprErr) {
	idx, err := env.slotNode(scope, path)
	if err != exprOK {
		return 0, err
	}
	return env.nodeValue(idx)
}

// textValue returns the content of the text or bytes field at a slot path
// from the current structure, without its terminator; a bytes let's
// computed value.
func (env *evalEnv) textValue(path []int) ([]byte, exprErr) {
	idx, err := env.slotNode(env.scope, path)
	if err != exprOK {
		return nil, err
	}
	if idx < 0 {
		return nil, exprMissing // a parameter has no bytes
	}
	n := &env.f.Nodes[idx]
	if n.Type.Kind != KindBytes && n.Type.Kind != KindString {
		return nil, exprMissing // decoded by another protocol: no longer bytes
	}
	start := int64(n.Offset)
	if n.Flags&NodeComputed != 0 {
		start = int64(n.slots)
	}
	end := start + int64(n.Bits)
	if start < 0 || end > int64(len(env.f.Data)) {
		return nil, exprMissing
	}
	return env.f.Data[start:end], exprOK
}

func (env *evalEnv) lastValue(path []int) (int64, exprErr) {
	if env.last < 0 || env.f == nil {
		return 0, exprMissing
	}
	if len(path) == 0 {
		return env.f.Nodes[env.last].Int(), exprOK
	}
	return env.slotValue(env.f.Nodes[env.last].slots, path)
}

func (env *evalEnv) parentValue(e *Expr) (int64, exprErr) {
	d := env.d
	if d == nil {
		return 0, exprMissing
	}
	// d.scopes holds the structure nodes being decoded, innermost last; the
	// current structure is the last one.
	level := len(d.scopes) - 1 - int(e.val)
	if level < 0 {
		return 0, exprMissing
	}
	node := d.scopes[level]
	st := env.f.Nodes[node].Type.Struct
	for _, t := range e.table {
		if t.st == st {
			return env.slotValue(env.f.Nodes[node].slots, t.path)
		}
	}
	return 0, exprMissing
}

// nodeFact answers offset(f), len(f) and sizeof(f).
func (env *evalEnv) nodeFact(e *Expr) (int64, exprErr) {
	idx, err := env.slotNode(env.scope, e.path)
	if err != exprOK {
		return 0, err
	}
	if idx < 0 {
		return 0, exprMissing // a parameter has no bytes
	}
	n := &env.f.Nodes[idx]
	switch e.op {
	case opOffsetOf:
		return int64(int(n.Offset) - env.start), exprOK
	case opLenOf:
		if n.Flags&NodeComputed != 0 && n.Type.Kind == KindBytes {
			return int64(n.Bits), exprOK
		}
		if n.Type.Kind == KindArray {
			count := int64(0)
			for c := idx + 1; c < n.End; c = env.f.Nodes[c].End {
				count++
			}
			return count, exprOK
		}
	}
	return int64(n.Len), exprOK
}

// read takes an integer at byte offset off of the region; framing
// expressions such as u16(4) and mqtt_varint(1) use it.
func (env *evalEnv) read(e *Expr, off int64) (int64, exprErr) {
	if off < 0 {
		return 0, exprBadOffset
	}
	region := env.data[env.start:env.end]
	if off > int64(len(region)) {
		return 0, exprNeedMore
	}
	b := region[off:]
	if e.op == opRead {
		if len(b) < e.size {
			return 0, exprNeedMore
		}
		return int64(readUint(b, e.size, e.endian)), exprOK
	}
	v, n, st := readVarint(b, e.varint)
	switch st {
	case varintOK:
	case varintShort:
		return 0, exprNeedMore
	default:
		return 0, exprBadVarint
	}
	if e.op == opVarintLen {
		return int64(n), exprOK
	}
	return int64(v), exprOK
}

// readUint reads an unsigned integer of 1 to 8 bytes.
func readUint(b []byte, size int, endian Endian) uint64 {
	switch size {
	case 1:
		return uint64(b[0])
	case 2:
		if endian == LittleEndian {
			return uint64(binary.LittleEndian.Uint16(b))
		}
		return uint64(binary.BigEndian.Uint16(b))
	case 4:
		if endian == LittleEndian {
			return uint64(binary.LittleEndian.Uint32(b))
		}
		return uint64(binary.BigEndian.Uint32(b))
	case 8:
		if endian == LittleEndian {
			return binary.LittleEndian.Uint64(b)
		}
		return binary.BigEndian.Uint64(b)
	}
	var v uint64
	if endian == LittleEndian {
		for i := size - 1; i >= 0; i-- {
			v = v<<8 | uint64(b[i])
		}
	} else {
		for i := 0; i < size; i++ {
			v = v<<8 | uint64(b[i])
		}
	}
	return v
}

// readBits reads a bit field of n bits (1..64) starting bit bit of b, most
// significant bit first, or least significant bit first when lsb is set.
// b must hold every bit.
func readBits(b []byte, bit, n int, lsb bool) uint64 {
	// The bytes that hold the bits, gathered into one word when they fit.
	if nb := (bit + n + 7) >> 3; n > 0 && nb <= 8 {
		var w uint64
		if lsb {
			for i := nb - 1; i >= 0; i-- {
				w = w<<8 | uint64(b[i])
			}
			w >>= uint(bit)
		} else {
			for i := 0; i < nb; i++ {
				w = w<<8 | uint64(b[i])
			}
			w >>= uint(nb*8 - bit - n)
		}
		if n < 64 {
			w &= 1<<uint(n) - 1
		}
		return w
	}
	return readBitsSlow(b, bit, n, lsb)
}

// readBitsSlow is readBits one bit at a time, for bits spread over more
// than eight bytes.
func readBitsSlow(b []byte, bit, n int, lsb bool) uint64 {
	var v uint64
	if !lsb {
		for i := 0; i < n; i++ {
			p := bit + i
			v = v<<1 | uint64(b[p>>3]>>(7-uint(p&7))&1)
		}
		return v
	}
	for i := 0; i < n; i++ {
		p := bit + i
		v |= uint64(b[p>>3]>>uint(p&7)&1) << uint(i)
	}
	return v
}
