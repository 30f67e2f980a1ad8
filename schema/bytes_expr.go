package schema

import (
	"github.com/dissect-project/dissect/schema/syntax"
)

// bytesOp is the operation of a byte-string expression, the value of a
// let declared [N]byte or []byte.
type bytesOp uint8

const (
	bytesField  bytesOp = iota // the content of a byte, text or computed bytes field, by slot path
	bytesConst                 // a string literal
	bytesInt                   // an integer written in size bytes: be32(x), le16(x)
	bytesXor                   // xor(a, key): a, each byte XOR-ed with the key, repeated as needed
	bytesPad                   // pad(a, n): a followed by zero bytes up to n
	bytesConcat                // concat(a, b, ...)
)

// maxComputedBytes bounds the bytes a frame's lets may compute, all
// together: a hostile count of elements cannot make them grow unbounded.
const maxComputedBytes = 1 << 20

// bytesExpr is a compiled byte-string expression.
type bytesExpr struct {
	op     bytesOp
	path   []int  // bytesField
	lit    []byte // bytesConst
	x      *Expr  // bytesInt: the value; bytesPad: the length
	size   int    // bytesInt
	endian Endian // bytesInt
	args   []*bytesExpr
}

// appendTo appends the value of b to dst, which is the frame's own buffer:
// the result is built in place, with no allocation once it has grown.
func (b *bytesExpr) appendTo(env *evalEnv, dst []byte) ([]byte, exprErr) {
	switch b.op {
	case bytesField:
		c, err := env.textValue(b.path)
		if err != exprOK {
			return dst, err
		}
		return append(dst, c...), exprOK
	case bytesConst:
		return append(dst, b.lit...), exprOK
	case bytesInt:
		v, err := b.x.eval(env)
		if err != exprOK {
			return dst, err
		}
		for i := 0; i < b.size; i++ {
			shift := uint(8 * (b.size - 1 - i))
			if b.endian == LittleEndian {
				shift = uint(8 * i)
			}
			dst = append(dst, byte(uint64(v)>>shift))
		}
		return dst, exprOK
	case bytesXor:
		start := len(dst)
		dst, err := b.args[0].appendTo(env, dst)
		if err != exprOK {
			return dst, err
		}
		mid := len(dst)
		if dst, err = b.args[1].appendTo(env, dst); err != exprOK {
			return dst, err
		}
		key := dst[mid:]
		if len(key) == 0 {
			return dst[:start], exprEmptyKey
		}
		for i := start; i < mid; i++ {
			dst[i] ^= key[(i-start)%len(key)]
		}
		return dst[:mid], exprOK
	case bytesPad:
		n, err := b.x.eval(env)
		if err != exprOK {
			return dst, err
		}
		start := len(dst)
		if dst, err = b.args[0].appendTo(env, dst); err != exprOK {
			return dst, err
		}
		if n < 0 || n > maxComputedBytes || int64(len(dst)-start) > n {
			return dst[:start], exprBadPad
		}
		for len(dst)-start < int(n) {
			dst = append(dst, 0)
		}
		return dst, exprOK
	case bytesConcat:
		var err exprErr
		for _, a := range b.args {
			if dst, err = a.appendTo(env, dst); err != exprOK {
				return dst, err
			}
		}
		return dst, exprOK
	}
	return dst, exprOK
}

// intBytes are the functions that write an integer as bytes.
var intBytes = map[string]struct {
	size   int
	endian Endian
}{
	"be16": {2, BigEndian}, "be32": {4, BigEndian}, "be64": {8, BigEndian},
	"le16": {2, LittleEndian}, "le32": {4, LittleEndian}, "le64": {8, LittleEndian},
}

// bytesValue compiles the value of a bytes let: a byte, text or computed
// bytes field, a string, or xor, pad, concat and the integer writers
// be16/be32/be64/le16/le32/le64 applied to them.
func (c *checker) bytesValue(e syntax.Expr, sc *scope) *bytesExpr {
	switch e := e.(type) {
	case *syntax.StringLit:
		return &bytesExpr{op: bytesConst, lit: []byte(e.Value)}
	case *syntax.NameExpr, *syntax.SelectorExpr:
		path, _, ok := c.textRef(e, sc)
		if !ok {
			return nil
		}
		return &bytesExpr{op: bytesField, path: path}
	case *syntax.CallExpr:
		name := e.Fun.Name
		if ib, ok := intBytes[name]; ok {
			if len(e.Args) != 1 {
				c.errorf(e.Fun.Pos, "%s(VALUE) takes one integer", name)
				return nil
			}
			return &bytesExpr{op: bytesInt, x: c.expr(e.Args[0], sc), size: ib.size, endian: ib.endian}
		}
		switch name {
		case "xor":
			if len(e.Args) != 2 {
				c.errorf(e.Fun.Pos, "xor(BYTES, KEY) takes two byte strings: the bytes and the key, repeated as needed")
				return nil
			}
			a, k := c.bytesValue(e.Args[0], sc), c.bytesValue(e.Args[1], sc)
			if a == nil || k == nil {
				return nil
			}
			return &bytesExpr{op: bytesXor, args: []*bytesExpr{a, k}}
		case "pad":
			if len(e.Args) != 2 {
				c.errorf(e.Fun.Pos, "pad(BYTES, N) takes a byte string and the length to pad it to with zeros")
				return nil
			}
			a := c.bytesValue(e.Args[0], sc)
			if a == nil {
				return nil
			}
			return &bytesExpr{op: bytesPad, args: []*bytesExpr{a}, x: c.expr(e.Args[1], sc)}
		case "concat":
			if len(e.Args) < 2 {
				c.errorf(e.Fun.Pos, "concat(A, B, ...) takes two byte strings or more")
				return nil
			}
			out := &bytesExpr{op: bytesConcat}
			for _, a := range e.Args {
				x := c.bytesValue(a, sc)
				if x == nil {
					return nil
				}
				out.args = append(out.args, x)
			}
			return out
		}
		c.errorf(e.Fun.Pos, "unknown function %s for bytes; expected xor, pad, concat, be16/be32/be64 or le16/le32/le64", name)
		return nil
	}
	c.errorf(exprPos(e), "a bytes let is computed from byte or text fields and strings, with xor, pad, concat and be32(...)-style integers")
	return nil
}
