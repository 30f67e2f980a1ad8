package schema

import (
	"slices"

	"github.com/dissect-project/dissect/schema/syntax"
)

// scope is what names an expression may use.
type scope struct {
	fields   map[string]*Field // fields of the current structure declared so far
	framing  bool              // a framing rule: reads such as u16(4) are allowed
	constant bool              // only constants are allowed
	what     string            // for messages about constants
}

// enumOf returns the enum of the field an expression names, if any.
func (sc *scope) enumOf(e syntax.Expr) *Enum {
	f := sc.lookupPath(e)
	if f == nil || f.Type == nil {
		return nil
	}
	return f.Type.Enum
}

// lookupPath resolves a name or selector chain to a field, without
// reporting errors.
func (sc *scope) lookupPath(e syntax.Expr) *Field {
	switch e := e.(type) {
	case *syntax.NameExpr:
		return sc.fields[e.Name]
	case *syntax.SelectorExpr:
		parent := sc.lookupPath(e.X)
		if parent == nil || parent.Type == nil || parent.Type.Kind != KindStruct {
			return nil
		}
		for _, f := range parent.Type.Struct.Fields {
			if f.Name == e.Sel.Name {
				return f
			}
		}
	}
	return nil
}

var binaryOps = map[syntax.TokenKind]exprOp{
	syntax.TokPlus: opAdd, syntax.TokMinus: opSub, syntax.TokStar: opMul, syntax.TokSlash: opDiv,
	syntax.TokPercent: opMod, syntax.TokAmp: opAnd, syntax.TokPipe: opOr, syntax.TokCaret: opXor,
	syntax.TokShl: opShl, syntax.TokShr: opShr, syntax.TokEq: opEq, syntax.TokNe: opNe,
	syntax.TokLt: opLt, syntax.TokLe: opLe, syntax.TokGt: opGt, syntax.TokGe: opGe,
	syntax.TokAndAnd: opLAnd, syntax.TokOrOr: opLOr,
}

// expr compiles an expression, resolving every name. On error it reports
// and returns a constant 0 so that checking can go on.
func (c *checker) expr(e syntax.Expr, sc *scope) *Expr {
	switch e := e.(type) {
	case *syntax.IntLit:
		return &Expr{op: opConst, val: int64(e.Value)}
	case *syntax.StringLit:
		c.errorf(e.Pos, "a string cannot be used in an expression")
	case *syntax.RangeExpr:
		c.errorf(exprPos(e), "a range lo..hi is only allowed as a switch case")
	case *syntax.NameExpr:
		return c.nameExpr(e, sc)
	case *syntax.SelectorExpr:
		return c.selectorExpr(e, sc)
	case *syntax.UnaryExpr:
		x := c.expr(e.X, sc)
		switch e.Op {
		case syntax.TokPlus:
			return x
		case syntax.TokMinus:
			return &Expr{op: opNeg, x: x}
		case syntax.TokBang:
			return &Expr{op: opNot, x: x}
		case syntax.TokTilde, syntax.TokCaret:
			return &Expr{op: opCompl, x: x}
		}
	case *syntax.BinaryExpr:
		op, ok := binaryOps[e.Op]
		if !ok {
			c.errorf(e.OpPos, "%s is not an operator", e.Op)
			break
		}
		return &Expr{op: op, x: c.expr(e.X, sc), y: c.expr(e.Y, sc)}
	case *syntax.CondExpr:
		return &Expr{op: opCond, x: c.expr(e.Cond, sc), y: c.expr(e.Then, sc), z: c.expr(e.Else, sc)}
	case *syntax.CallExpr:
		return c.callExpr(e, sc)
	}
	return &Expr{op: opConst}
}

func (c *checker) nameExpr(e *syntax.NameExpr, sc *scope) *Expr {
	switch e.Name {
	case "true":
		return &Expr{op: opConst, val: 1}
	case "false":
		return &Expr{op: opConst, val: 0}
	}
	if sc.constant {
		c.errorf(e.Pos, "%s must be a constant, but %s is a name", sc.what, e.Name)
		return &Expr{op: opConst}
	}
	if sc.framing {
		c.errorf(e.Pos, "framing cannot use the field %s: read the bytes with a function such as u16(OFFSET)", e.Name)
		return &Expr{op: opConst}
	}
	f, ok := sc.fields[e.Name]
	if !ok {
		if _, isEnum := c.enums[e.Name]; isEnum {
			c.errorf(e.Pos, "%s is an enum; name one of its members: %s.MEMBER", e.Name, e.Name)
		} else {
			c.errorf(e.Pos, "unknown name %s: only fields declared earlier in the same struct can be used", e.Name)
		}
		return &Expr{op: opConst}
	}
	if !c.scalarField(f, e.Pos) {
		return &Expr{op: opConst}
	}
	return &Expr{op: opField, path: []int{f.Slot}}
}

func (c *checker) scalarField(f *Field, p syntax.Pos) bool {
	if f.Type == nil {
		return false
	}
	switch f.Type.Kind {
	case KindUint, KindInt, KindBool:
		return true
	case KindStruct:
		c.errorf(p, "%s is a structure; name one of its fields, such as %s.%s", f.Name, f.Name, firstFieldName(f.Type.Struct))
	default:
		c.errorf(p, "%s is %s; only integer fields can be used in expressions", f.Name, f.Type.Name)
	}
	return false
}

func firstFieldName(s *Struct) string {
	if len(s.Fields) > 0 {
		return s.Fields[0].Name
	}
	return "field"
}

func (c *checker) selectorExpr(e *syntax.SelectorExpr, sc *scope) *Expr {
	// Enum member: Enum.member.
	if n, ok := e.X.(*syntax.NameExpr); ok {
		if ei, isEnum := c.enums[n.Name]; isEnum {
			if _, isField := sc.fields[n.Name]; !isField {
				ei.used = true
				for _, m := range ei.e.Members {
					if m.Name == e.Sel.Name {
						return &Expr{op: opConst, val: m.Value}
					}
				}
				c.errorf(e.Sel.Pos, "enum %s has no member %s", n.Name, e.Sel.Name)
				return &Expr{op: opConst}
			}
		}
	}
	if sc.constant || sc.framing {
		c.errorf(exprPos(e), "%s must be a constant", orWhat(sc.what, "this value"))
		return &Expr{op: opConst}
	}
	// Field path: a.b.c through structure fields.
	var chain []*syntax.Ident
	x := syntax.Expr(e)
	for {
		if s, ok := x.(*syntax.SelectorExpr); ok {
			chain = append(chain, &s.Sel) // innermost last; reversed below
			x = s.X
			continue
		}
		break
	}
	slices.Reverse(chain) // building it front-first would be quadratic
	root, ok := x.(*syntax.NameExpr)
	if !ok {
		c.errorf(exprPos(e), "only fields and enum members can be selected with '.'")
		return &Expr{op: opConst}
	}
	f, found := sc.fields[root.Name]
	if !found {
		c.errorf(root.Pos, "unknown name %s: only fields declared earlier in the same struct can be used", root.Name)
		return &Expr{op: opConst}
	}
	path := []int{f.Slot}
	for _, sel := range chain {
		if f.Type == nil || f.Type.Kind != KindStruct {
			c.errorf(sel.Pos, "%s is not a structure, so it has no field %s", f.Name, sel.Name)
			return &Expr{op: opConst}
		}
		var next *Field
		for _, g := range f.Type.Struct.Fields {
			if g.Name == sel.Name {
				next = g
			}
		}
		if next == nil {
			c.errorf(sel.Pos, "struct %s has no field %s", f.Type.Struct.Name, sel.Name)
			return &Expr{op: opConst}
		}
		f = next
		path = append(path, f.Slot)
	}
	if !c.scalarField(f, e.Sel.Pos) {
		return &Expr{op: opConst}
	}
	return &Expr{op: opField, path: path}
}

func orWhat(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (c *checker) callExpr(e *syntax.CallExpr, sc *scope) *Expr {
	if sc.framing {
		t, ok := primitive(e.Fun.Name, c.prog.Endian)
		if ok && t.Kind == KindUint {
			if len(e.Args) != 1 {
				c.errorf(e.Fun.Pos, "%s(OFFSET) takes one argument, the byte offset to read at", e.Fun.Name)
				return &Expr{op: opConst}
			}
			return &Expr{op: opRead, size: t.Size, endian: t.Endian, x: c.expr(e.Args[0], sc)}
		}
		c.errorf(e.Fun.Pos, "unknown function %s: framing can read unsigned integers such as u8(OFFSET), u16(OFFSET), u32le(OFFSET)", e.Fun.Name)
		return &Expr{op: opConst}
	}
	c.errorf(e.Fun.Pos, "unknown function %s", e.Fun.Name)
	return &Expr{op: opConst}
}
