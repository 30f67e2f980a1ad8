package schema

import (
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dissect-project/dissect/schema/syntax"
)

// scope is what names an expression may use.
type scope struct {
	fields   map[string]*Field // parameters and members of the current structure declared so far
	in       *structInfo       // the structure being checked
	framing  bool              // a framing rule: reads such as u16(4) are allowed, fields are not
	constant bool              // only constants are allowed
	what     string            // for messages about constants
	last     *Type             // the element type, where `last` names the last array element
	hint     string            // a name for a structure written in place
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
			if f.Name == e.Sel.Name && f.Slot >= 0 {
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

var zero = &Expr{op: opConst}

// expr compiles an expression, resolving every name. On error it reports
// and returns a constant 0 so that checking can go on.
func (c *checker) expr(e syntax.Expr, sc *scope) *Expr {
	switch e := e.(type) {
	case *syntax.IntLit:
		return &Expr{op: opConst, val: int64(e.Value)}
	case *syntax.FloatLit:
		c.errorf(e.Pos, "a number with a fraction can only be a scale or an offset; expressions are whole numbers")
	case *syntax.StringLit:
		if sc.constant || sc.framing {
			c.errorf(e.Pos, "a string cannot be used in an expression")
		} else {
			c.errorf(e.Pos, "a string cannot be used in an expression, except compared (== or !=) with a text or bytes field")
		}
	case *syntax.RangeExpr:
		c.errorf(exprPos(e), "a range lo..hi is only allowed as a switch case or a range attribute")
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
		if isStringLit(e.X) || isStringLit(e.Y) {
			return c.textCompare(e, sc)
		}
		op, ok := binaryOps[e.Op]
		if !ok {
			c.errorf(e.OpPos, "%s is not an operator", e.Op)
			break
		}
		return binaryExpr(op, c.expr(e.X, sc), c.expr(e.Y, sc))
	case *syntax.CondExpr:
		return &Expr{op: opCond, x: c.expr(e.Cond, sc), y: c.expr(e.Then, sc), z: c.expr(e.Else, sc)}
	case *syntax.CallExpr:
		return c.callExpr(e, sc)
	}
	return zero
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
		return zero
	}
	if sc.framing {
		c.errorf(e.Pos, "framing cannot use the field %s: read the bytes with a function such as u16(OFFSET)", e.Name)
		return zero
	}
	f, ok := sc.fields[e.Name]
	if !ok {
		switch {
		case e.Name == "last" && sc.last != nil:
			if !c.scalarType(sc.last, "last", e.Pos) {
				return zero
			}
			return &Expr{op: opLast}
		case e.Name == "last":
			c.errorf(e.Pos, "last names the last element only in [until ...] and [while ...]")
		case c.enums[e.Name] != nil:
			c.errorf(e.Pos, "%s is an enum; name one of its members: %s.MEMBER", e.Name, e.Name)
		default:
			c.errorf(e.Pos, "unknown name %s: only parameters and fields declared earlier in the same struct can be used", e.Name)
		}
		return zero
	}
	if !c.scalarType(f.Type, f.Name, e.Pos) {
		return zero
	}
	return &Expr{op: opField, path: []int{f.Slot}}
}

func (c *checker) scalarType(t *Type, name string, p syntax.Pos) bool {
	if t == nil {
		return false
	}
	switch t.Kind {
	case KindUint, KindInt, KindBool:
		return true
	case KindSwitch:
		if integerSwitch(t.Switch) {
			return true // every case is an integer: the value is whichever was decoded
		}
		c.errorf(p, "%s is a switch whose cases are not all integers; only integer fields can be used in expressions", name)
		return false
	case KindStruct:
		c.errorf(p, "%s is a structure; name one of its fields, such as %s.%s", name, name, firstFieldName(t.Struct))
	default:
		c.errorf(p, "%s is %s; only integer fields can be used in expressions (len(%s) gives its length)", name, t.Name, name)
	}
	return false
}

// integerSwitch reports whether every case of a switch, and its default,
// is an integer type.
func integerSwitch(sw *Switch) bool {
	ok := func(t *Type) bool {
		return t.Kind == KindUint || t.Kind == KindInt || t.Kind == KindBool || (t.Kind == KindSwitch && integerSwitch(t.Switch))
	}
	for _, c := range sw.Cases {
		if !ok(c.Type) {
			return false
		}
	}
	return sw.Default == nil || ok(sw.Default)
}

func firstFieldName(s *Struct) string {
	for _, f := range s.Fields {
		if f.Slot >= 0 {
			return f.Name
		}
	}
	return "field"
}

// selectorChain splits a.b.c into its root name and the names after it.
func selectorChain(e *syntax.SelectorExpr) (*syntax.NameExpr, []syntax.Ident, bool) {
	var chain []syntax.Ident
	x := syntax.Expr(e)
	for {
		s, ok := x.(*syntax.SelectorExpr)
		if !ok {
			break
		}
		chain = append(chain, s.Sel)
		x = s.X
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	root, ok := x.(*syntax.NameExpr)
	return root, chain, ok
}

func (c *checker) selectorExpr(e *syntax.SelectorExpr, sc *scope) *Expr {
	root, chain, ok := selectorChain(e)
	if !ok {
		c.errorf(exprPos(e), "only fields and enum members can be selected with '.'")
		return zero
	}
	_, isField := sc.fields[root.Name]
	// Enum.member
	if ei, isEnum := c.enums[root.Name]; isEnum && !isField {
		c.enum(ei)
		ei.used = true
		if len(chain) != 1 {
			c.errorf(chain[len(chain)-1].Pos, "%s.%s is a constant; it has no fields", root.Name, chain[0].Name)
			return zero
		}
		for _, m := range ei.e.Members {
			if m.Name == chain[0].Name {
				return &Expr{op: opConst, val: m.Value}
			}
		}
		c.errorf(chain[0].Pos, "enum %s has no member %s", root.Name, chain[0].Name)
		return zero
	}
	if sc.constant || (sc.framing && (root.Name != "state" || isField)) {
		c.errorf(exprPos(e), "%s must be a constant", orWhat(sc.what, "this value"))
		return zero
	}
	switch {
	case root.Name == "state" && !isField:
		if len(chain) != 1 {
			c.errorf(root.Pos, "state.NAME names one state variable")
			return zero
		}
		v, ok := c.states[chain[0].Name]
		if !ok {
			c.errorf(chain[0].Pos, "no state variable %s: declare it in a state block", chain[0].Name)
			return zero
		}
		return &Expr{op: opState, val: int64(v.Index)}
	case root.Name == "parent" && !isField:
		levels := 1
		for levels <= len(chain) && chain[levels-1].Name == "parent" {
			levels++
		}
		names := chain[levels-1:]
		if len(names) == 0 {
			c.errorf(root.Pos, "parent needs a field name: parent.NAME")
			return zero
		}
		x := &Expr{op: opParent, val: int64(levels)}
		if sc.in != nil {
			c.parents = append(c.parents, &pendingParent{expr: x, in: sc.in, levels: levels, names: names, src: c.src})
		}
		return x
	case root.Name == "last" && !isField:
		if sc.last == nil {
			c.errorf(root.Pos, "last names the last element only in [until ...] and [while ...]")
			return zero
		}
		path, f, ok := c.pathIn(sc.last, "last", chain)
		if !ok || !c.scalarType(f.Type, f.Name, chain[len(chain)-1].Pos) {
			return zero
		}
		return &Expr{op: opLast, path: path}
	}
	f, found := sc.fields[root.Name]
	if !found {
		c.errorf(root.Pos, "unknown name %s: only parameters and fields declared earlier in the same struct can be used", root.Name)
		return zero
	}
	path, last, ok := c.pathIn(f.Type, f.Name, chain)
	if !ok || !c.scalarType(last.Type, last.Name, chain[len(chain)-1].Pos) {
		return zero
	}
	return &Expr{op: opField, path: append([]int{f.Slot}, path...)}
}

// pathIn follows names through the structure type t, named name. It returns
// the slots and the field it ends at.
func (c *checker) pathIn(t *Type, name string, chain []syntax.Ident) ([]int, *Field, bool) {
	var path []int
	var f *Field
	for _, sel := range chain {
		if t == nil || t.Kind != KindStruct {
			c.errorf(sel.Pos, "%s is not a structure, so it has no field %s", name, sel.Name)
			return nil, nil, false
		}
		if si, ok := c.infos[t.Struct]; ok {
			c.structFields(si)
		}
		var next *Field
		for _, g := range t.Struct.Params {
			if g.Name == sel.Name {
				next = g
			}
		}
		for _, g := range t.Struct.Fields {
			if g.Name == sel.Name && g.Slot >= 0 {
				next = g
			}
		}
		if next == nil {
			c.errorf(sel.Pos, "struct %s has no field %s", t.Struct.Name, sel.Name)
			return nil, nil, false
		}
		f, t, name = next, next.Type, next.Name
		path = append(path, f.Slot)
	}
	return path, f, true
}

func orWhat(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// callExpr compiles a built-in function.
func (c *checker) callExpr(e *syntax.CallExpr, sc *scope) *Expr {
	name := e.Fun.Name
	args := func(n int, usage string) bool {
		if len(e.Args) != n {
			c.errorf(e.Fun.Pos, "%s takes %s", name, usage)
			return false
		}
		return true
	}
	if sc.constant {
		c.errorf(e.Fun.Pos, "%s must be a constant, but %s(...) is computed while decoding", orWhat(sc.what, "this value"), name)
		return zero
	}
	// Reads at an offset: u16(4), u32le(0), uleb128(1), uleb128_len(1).
	if t, ok := builtinType(name, c.prog.Endian); ok && t.Kind == KindUint && t.Bits == 0 && t.Varint == NotVarint {
		if len(e.Args) != 1 {
			c.errorf(e.Fun.Pos, "%s(OFFSET) takes one argument, the byte offset to read at", name)
			return zero
		}
		return &Expr{op: opRead, size: t.Size, endian: t.Endian, x: c.expr(e.Args[0], sc)}
	}
	if v, ok := varintNames[name]; ok {
		if len(e.Args) != 1 {
			c.errorf(e.Fun.Pos, "%s(OFFSET) takes one argument, the byte offset to read at", name)
			return zero
		}
		return &Expr{op: opReadVarint, varint: v, x: c.expr(e.Args[0], sc)}
	}
	if len(name) > 4 && name[len(name)-4:] == "_len" {
		if v, ok := varintNames[name[:len(name)-4]]; ok {
			if !args(1, "one argument, the byte offset of the varint") {
				return zero
			}
			return &Expr{op: opVarintLen, varint: v, x: c.expr(e.Args[0], sc)}
		}
	}
	switch name {
	case "min", "max":
		if !args(2, "two arguments") {
			return zero
		}
		op := opMin
		if name == "max" {
			op = opMax
		}
		return &Expr{op: op, x: c.expr(e.Args[0], sc), y: c.expr(e.Args[1], sc)}
	}
	if sc.framing {
		c.errorf(e.Fun.Pos, "unknown function %s: framing can read integers such as u16(OFFSET), u32le(OFFSET) or mqtt_varint(OFFSET), with min and max", name)
		return zero
	}
	switch name {
	case "index":
		if args(0, "no arguments: index() is the position of the element being decoded in the innermost array") {
			return &Expr{op: opIndex}
		}
	case "remaining":
		if args(0, "no arguments: remaining() is the bytes left in the region") {
			return &Expr{op: opRemaining}
		}
	case "offset":
		if len(e.Args) == 0 {
			return &Expr{op: opOffsetNow}
		}
		fallthrough
	case "len", "sizeof":
		if !args(1, "one field: "+name+"(FIELD)") {
			return zero
		}
		path, ok := c.fieldPath(e.Args[0], sc)
		if !ok {
			return zero
		}
		op := map[string]exprOp{"offset": opOffsetOf, "len": opLenOf, "sizeof": opSizeOf}[name]
		return &Expr{op: op, path: path}
	default:
		c.errorf(e.Fun.Pos, "unknown function %s; expected one of: len, sizeof, offset, remaining, min, max, or a read such as u8(OFFSET)", name)
	}
	return zero
}

// fieldPath resolves a field reference of any type, for len(), sizeof()
// and offset().
func (c *checker) fieldPath(e syntax.Expr, sc *scope) ([]int, bool) {
	var root *syntax.NameExpr
	var chain []syntax.Ident
	switch x := e.(type) {
	case *syntax.NameExpr:
		root = x
	case *syntax.SelectorExpr:
		var ok bool
		if root, chain, ok = selectorChain(x); !ok {
			c.errorf(exprPos(e), "expected a field name")
			return nil, false
		}
	default:
		c.errorf(exprPos(e), "expected a field name")
		return nil, false
	}
	f, ok := sc.fields[root.Name]
	if !ok || f.Slot < sc.params() {
		if ok {
			c.errorf(root.Pos, "%s is a parameter: it has no bytes", root.Name)
		} else {
			c.errorf(root.Pos, "unknown name %s: only fields declared earlier in the same struct can be used", root.Name)
		}
		return nil, false
	}
	path, _, ok := c.pathIn(f.Type, f.Name, chain)
	if !ok {
		return nil, false
	}
	return append([]int{f.Slot}, path...), true
}

// params is how many parameters the current structure has: they take its
// first slots.
func (sc *scope) params() int {
	if sc.in == nil {
		return 0
	}
	return len(sc.in.s.Params)
}

// resolveParents fills the tables of parent.x references: for each
// structure that can enclose the one the reference is in, where x is.
func (c *checker) resolveParents() {
	for _, p := range c.parents {
		c.src = p.src
		level := []*Struct{p.in.s}
		for i := 0; i < p.levels; i++ {
			var next []*Struct
			for _, s := range level {
				if si := c.infos[s]; si != nil {
					next = append(next, si.users...)
				}
			}
			level = next
		}
		if len(level) == 0 {
			c.errorf(p.names[0].Pos, "parent.%s: struct %s is not used inside another struct", p.names[0].Name, p.in.s.Name)
			continue
		}
		for _, anc := range level {
			path, f, ok := c.pathIn(anc.Type, anc.Name, p.names)
			if !ok {
				continue
			}
			if !c.scalarType(f.Type, f.Name, p.names[len(p.names)-1].Pos) {
				continue
			}
			p.expr.table = append(p.expr.table, parentSlots{st: anc, path: path})
		}
	}
}

func isStringLit(e syntax.Expr) bool {
	_, ok := e.(*syntax.StringLit)
	return ok
}

// textCompare compiles FIELD == "text" or FIELD != "text" (either way
// round): a text or bytes field compared, byte for byte, with a string in
// the field's encoding.
func (c *checker) textCompare(e *syntax.BinaryExpr, sc *scope) *Expr {
	if e.Op != syntax.TokEq && e.Op != syntax.TokNe {
		c.errorf(e.OpPos, "a string can only be compared with == or !=, not %s", e.Op)
		return zero
	}
	ref, lit := e.X, e.Y
	if isStringLit(ref) {
		ref, lit = lit, ref
	}
	s, ok := lit.(*syntax.StringLit)
	if !ok || isStringLit(ref) {
		c.errorf(e.OpPos, "two strings compared: one side must be a text or bytes field")
		return zero
	}
	path, t, ok := c.textRef(ref, sc)
	if !ok {
		return zero
	}
	want, ok := c.encodeText(s, t)
	if !ok {
		return zero
	}
	x := &Expr{op: opTextEq, path: path, str: want}
	if e.Op == syntax.TokNe {
		return &Expr{op: opNot, x: x}
	}
	return x
}

// textRef resolves a reference to a text or bytes field of the current
// structure (a dotted path may reach into a structure field) and returns
// its slot path and type.
func (c *checker) textRef(e syntax.Expr, sc *scope) ([]int, *Type, bool) {
	if sc.constant || sc.framing {
		c.errorf(exprPos(e), "%s cannot compare text: only fields hold text, and it may use none", orWhat(sc.what, "this expression"))
		return nil, nil, false
	}
	var root *syntax.NameExpr
	var chain []syntax.Ident
	switch x := e.(type) {
	case *syntax.NameExpr:
		root = x
	case *syntax.SelectorExpr:
		var ok bool
		if root, chain, ok = selectorChain(x); !ok {
			c.errorf(exprPos(e), "a string can only be compared to a text or bytes field")
			return nil, nil, false
		}
	default:
		c.errorf(exprPos(e), "a string can only be compared to a text or bytes field, not to a computed value")
		return nil, nil, false
	}
	f, ok := sc.fields[root.Name]
	if !ok {
		c.errorf(root.Pos, "unknown name %s: only fields declared earlier in the same struct can be compared with a string", root.Name)
		return nil, nil, false
	}
	if f.Slot < sc.params() && len(chain) == 0 {
		c.errorf(root.Pos, "%s is a parameter: it holds no text", root.Name)
		return nil, nil, false
	}
	path, last, ok := c.pathIn(f.Type, f.Name, chain)
	if !ok {
		return nil, nil, false
	}
	if len(chain) == 0 {
		last = f
	}
	t := last.Type
	if t == nil {
		return nil, nil, false
	}
	if t.Kind != KindBytes && t.Kind != KindString {
		c.errorf(exprPos(e), "%s is %s; a string can only be compared to a text or bytes field", last.Name, t.Name)
		return nil, nil, false
	}
	if last.Layer != nil {
		c.errorf(exprPos(e), "%s is decoded by another protocol: it is no longer bytes to compare", last.Name)
		return nil, nil, false
	}
	return append([]int{f.Slot}, path...), t, true
}

// encodeText turns a string literal into the bytes a field of type t holds
// for it: UTF-8 as written for bytes and UTF-8 text, one byte per
// character for ASCII and Latin-1, two for UTF-16.
func (c *checker) encodeText(s *syntax.StringLit, t *Type) ([]byte, bool) {
	if t.Kind == KindBytes {
		return []byte(s.Value), true
	}
	switch t.Encoding {
	case ASCII, Latin1:
		limit := rune(0x7f)
		if t.Encoding == Latin1 {
			limit = 0xff
		}
		out := make([]byte, 0, len(s.Value))
		for _, r := range s.Value {
			if r > limit || r == utf8.RuneError {
				c.errorf(s.Pos, "%q cannot be written in %s: the comparison could never hold", s.Value, t.Name)
				return nil, false
			}
			out = append(out, byte(r))
		}
		return out, true
	case UTF16LE, UTF16BE:
		units := utf16.Encode([]rune(s.Value))
		out := make([]byte, 0, 2*len(units))
		for _, u := range units {
			if t.Encoding == UTF16LE {
				out = append(out, byte(u), byte(u>>8))
			} else {
				out = append(out, byte(u>>8), byte(u))
			}
		}
		return out, true
	}
	return []byte(s.Value), true
}
