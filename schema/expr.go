package schema

import "encoding/binary"

// exprOp is the operation of a compiled expression node.
type exprOp uint8

const (
	opConst exprOp = iota
	opField        // value of a field, by slot path
	opRead         // read an integer at the byte offset x of the data (framing)
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
)

// Expr is a compiled expression: a small tree evaluated with a switch. It
// holds no names; field references are slot paths.
type Expr struct {
	op     exprOp
	val    int64 // opConst
	path   []int // opField: slot in the current structure, then slots inside nested structures
	size   int   // opRead: bytes to read
	endian Endian
	x, y   *Expr
	z      *Expr // opCond: else branch
}

// exprErr is why an evaluation failed.
type exprErr uint8

const (
	exprOK exprErr = iota
	exprDivZero
	exprMissing  // a referenced field was not decoded
	exprNeedMore // a read went past the available bytes
	exprBadShift
	exprBadOffset // a read at a negative offset
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
	}
	return "ok"
}

// evalEnv is what an expression can see while it runs.
type evalEnv struct {
	frame *Frame // nodes decoded so far; nil in framing
	scope int32  // slot base of the current structure in frame.slots
	data  []byte // bytes for opRead
}

// eval computes e. Arithmetic is on int64 with wrap-around; comparisons and
// logic give 0 or 1.
func (e *Expr) eval(env *evalEnv) (int64, exprErr) {
	switch e.op {
	case opConst:
		return e.val, exprOK
	case opField:
		return env.fieldValue(e.path)
	case opRead:
		off, err := e.x.eval(env)
		if err != exprOK {
			return 0, err
		}
		return env.read(off, e.size, e.endian)
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
		a, err := e.x.eval(env)
		if err != exprOK {
			return 0, err
		}
		if (a != 0) == (e.op == opLOr) {
			return b2i(a != 0), exprOK
		}
		b, err := e.y.eval(env)
		return b2i(b != 0), err
	}
	a, err := e.x.eval(env)
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
	b, err := e.y.eval(env)
	if err != exprOK {
		return 0, err
	}
	switch e.op {
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
	}
	return 0, exprOK
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// fieldValue follows a slot path from the current structure.
func (env *evalEnv) fieldValue(path []int) (int64, exprErr) {
	f := env.frame
	if f == nil {
		return 0, exprMissing
	}
	scope := env.scope
	for i, slot := range path {
		idx := f.slots[int(scope)+slot]
		if idx < 0 {
			return 0, exprMissing
		}
		n := &f.Nodes[idx]
		if i == len(path)-1 {
			return n.Int(), exprOK
		}
		scope = n.slots
		if scope < 0 {
			return 0, exprMissing
		}
	}
	return 0, exprMissing
}

// read takes an unsigned integer of size bytes at byte offset off of the
// data; framing expressions such as u16(4) use it.
func (env *evalEnv) read(off int64, size int, endian Endian) (int64, exprErr) {
	if off < 0 {
		return 0, exprBadOffset
	}
	if off > int64(len(env.data)) || int64(len(env.data))-off < int64(size) {
		return 0, exprNeedMore
	}
	return int64(readUint(env.data[off:], size, endian)), exprOK
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
