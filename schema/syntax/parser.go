package syntax

// parser is a hand-written recursive-descent parser. It does not stop at the
// first mistake: after an error it skips to the end of the statement and
// goes on, so one run reports every error in a file.
type parser struct {
	lx   *lexer
	src  *Source
	errs *ErrorList
	tok  Token
	// lastErrPos suppresses a cascade of errors at the same token.
	lastErrPos Pos
}

// maxExprDepth bounds the nesting of expressions and types so that hostile
// input cannot exhaust the stack.
const maxExprDepth = 200

// Parse parses one schema file. It returns the AST, which may be partial,
// and every syntax error found.
func Parse(src *Source) (*File, ErrorList) {
	var errs ErrorList
	p := &parser{lx: newLexer(src, &errs), src: src, errs: &errs, lastErrPos: -1}
	p.advance()
	f := &File{Src: src}
	for p.tok.Kind != TokEOF {
		if p.tok.Kind == TokSemi {
			p.advance()
			continue
		}
		if d := p.decl(); d != nil {
			f.Decls = append(f.Decls, d)
		}
	}
	return f, errs
}

func (p *parser) advance() { p.tok = p.lx.next() }

func (p *parser) errorf(pos Pos, format string, args ...any) {
	if pos == p.lastErrPos {
		return
	}
	p.lastErrPos = pos
	p.errs.Add(p.src, pos, false, format, args...)
}

// expect consumes a token of kind k, or reports what was found instead.
func (p *parser) expect(k TokenKind, context string) Token {
	t := p.tok
	if t.Kind != k {
		p.errorf(t.Pos, "expected %s %s, found %s", k, context, t.describe())
		return Token{Kind: k, Pos: t.Pos}
	}
	p.advance()
	return t
}

func (p *parser) ident(context string) Ident {
	t := p.tok
	if t.Kind != TokIdent {
		p.errorf(t.Pos, "expected a name %s, found %s", context, t.describe())
		return Ident{Pos: t.Pos}
	}
	if isKeyword(t.Text) {
		p.errorf(t.Pos, "%q is a keyword and cannot be used as a name", t.Text)
	}
	p.advance()
	return Ident{Pos: t.Pos, Name: t.Text}
}

// memberIdent reads the name of an enum or flags member, or a name in an
// expression (a case label, Enum.member). The statement words (let,
// assert, align, set, pair) start a statement only at the start of a line
// of a struct body, and the declaration words (protocol, framing, enum,
// struct) only at the top level, so they may name members: memcached has a
// Set command, MySQL an ENUM column type, and `case set:` or
// `FieldType.enum` is unambiguous.
func (p *parser) memberIdent(context string) Ident {
	if t := p.tok; t.Kind == TokIdent && (isStatementWord(t.Text) || isDeclarationWord(t.Text)) {
		p.advance()
		return Ident{Pos: t.Pos, Name: t.Text}
	}
	return p.ident(context)
}

// fieldIdent reads a field's name. "protocol" starts a declaration only at
// the top level, and it is a common field name (IP, MySQL's handshake,
// AMQP's protocol header), so a field may be called protocol.
func (p *parser) fieldIdent() Ident {
	if t := p.tok; t.Kind == TokIdent && t.Text == "protocol" {
		p.advance()
		return Ident{Pos: t.Pos, Name: t.Text}
	}
	return p.ident("")
}

// isStatementWord reports the keywords that start a statement in a struct
// body.
func isStatementWord(s string) bool {
	switch s {
	case "let", "assert", "align", "set", "pair":
		return true
	}
	return false
}

// isDeclarationWord reports the keywords that start a top-level
// declaration.
func isDeclarationWord(s string) bool {
	switch s {
	case "protocol", "framing", "enum", "struct":
		return true
	}
	return false
}

// isKeyword reports the words that cannot name a field, a type or a
// member. The words that start a top-level declaration (import, flags,
// state, heuristic) are keywords only at the top level, so fields may be
// called flags or state.
func isKeyword(s string) bool {
	switch s {
	case "protocol", "framing", "enum", "struct", "switch", "case", "default",
		"let", "assert", "align", "set", "pair":
		return true
	}
	return false
}

// skipStatement recovers from an error: it skips to the end of the current
// statement, stopping before a closing brace.
func (p *parser) skipStatement() {
	depth := 0
	for p.tok.Kind != TokEOF {
		switch p.tok.Kind {
		case TokLBrace:
			depth++
		case TokRBrace:
			if depth == 0 {
				return
			}
			depth--
		case TokSemi:
			if depth == 0 {
				p.advance()
				return
			}
		}
		p.advance()
	}
}

// endStatement expects the end of a statement: ';', a newline, or a closing
// brace that ends the block.
func (p *parser) endStatement(what string) {
	switch p.tok.Kind {
	case TokSemi:
		p.advance()
	case TokRBrace, TokEOF:
	default:
		p.errorf(p.tok.Pos, "unexpected %s after %s; expected the end of the line", p.tok.describe(), what)
		p.skipStatement()
	}
}

func (p *parser) decl() Decl {
	t := p.tok
	if t.Kind != TokIdent {
		p.errorf(t.Pos, "expected a declaration (protocol, framing, heuristic, enum, flags, struct, state or import), found %s", t.describe())
		p.skipStatement()
		if p.tok.Kind == TokRBrace {
			p.advance()
		}
		return nil
	}
	switch t.Text {
	case "import":
		p.advance()
		d := &ImportDecl{Pos: t.Pos}
		if p.tok.Kind != TokString {
			p.errorf(p.tok.Pos, "expected a file name in double quotes after import, found %s", p.tok.describe())
			p.skipStatement()
			return nil
		}
		d.Path = p.tok.Text
		p.advance()
		p.endStatement("import")
		return d
	case "state":
		p.advance()
		d := &StateDecl{Pos: t.Pos}
		p.expect(TokLBrace, "to open the state block")
		d.Fields = p.members("state", false)
		p.expect(TokRBrace, "to close the state block")
		return d
	case "flags":
		return p.enumDecl()
	case "heuristic":
		return p.heuristicDecl(t)
	case "protocol":
		p.advance()
		d := &ProtocolDecl{Pos: t.Pos, Name: p.ident("after 'protocol'")}
		d.Props = p.properties("protocol")
		return d
	case "framing":
		p.advance()
		d := &FramingDecl{Pos: t.Pos}
		d.Props = p.properties("framing")
		return d
	case "enum":
		return p.enumDecl()
	case "struct":
		return p.structDecl()
	}
	p.errorf(t.Pos, "expected a declaration (protocol, framing, heuristic, enum, flags, struct, state or import), found %s", t.describe())
	p.skipStatement()
	return nil
}

// properties parses `{ name value, value ... }`.
func (p *parser) properties(block string) []*Property {
	var props []*Property
	p.expect(TokLBrace, "to open the "+block+" block")
	for p.tok.Kind != TokRBrace && p.tok.Kind != TokEOF {
		if p.tok.Kind == TokSemi {
			p.advance()
			continue
		}
		if p.tok.Kind != TokIdent {
			p.errorf(p.tok.Pos, "expected a property name in the %s block, found %s", block, p.tok.describe())
			p.skipStatement()
			continue
		}
		prop := &Property{Name: p.ident("")}
		for p.tok.Kind != TokSemi && p.tok.Kind != TokRBrace && p.tok.Kind != TokEOF {
			prop.Values = append(prop.Values, p.expr())
			if p.tok.Kind != TokComma {
				break
			}
			p.advance()
		}
		props = append(props, prop)
		p.endStatement("property " + prop.Name.Name)
	}
	p.expect(TokRBrace, "to close the "+block+" block")
	return props
}

func (p *parser) attrs() []*Attr {
	if p.tok.Kind != TokLBrack {
		return nil
	}
	p.advance()
	var out []*Attr
	for p.tok.Kind != TokRBrack && p.tok.Kind != TokEOF && p.tok.Kind != TokSemi {
		a := &Attr{Name: p.ident("for an attribute")}
		if p.tok.Kind == TokAssign {
			p.advance()
			a.Value = p.expr()
			if p.tok.Kind == TokDotDot {
				p.advance()
				a.Value = &RangeExpr{Lo: a.Value, Hi: p.expr()}
			}
		}
		out = append(out, a)
		if p.tok.Kind != TokComma {
			break
		}
		p.advance()
	}
	p.expect(TokRBrack, "to close the attribute list")
	return out
}

func (p *parser) enumDecl() Decl {
	d := &EnumDecl{Pos: p.tok.Pos, Flags: p.tok.Text == "flags"}
	kw := p.tok.Text
	p.advance()
	d.Name = p.ident("after '" + kw + "'")
	if p.tok.Kind == TokColon {
		p.advance()
		d.Base = p.typeExpr(0)
	}
	d.Attrs = p.attrs()
	p.expect(TokLBrace, "to open the "+kw)
	for p.tok.Kind != TokRBrace && p.tok.Kind != TokEOF {
		if p.tok.Kind == TokSemi {
			p.advance()
			continue
		}
		if p.tok.Kind != TokIdent {
			p.errorf(p.tok.Pos, "expected a member name in %s %s, found %s", kw, d.Name.Name, p.tok.describe())
			p.skipStatement()
			continue
		}
		m := &EnumMember{Name: p.memberIdent("")}
		p.expect(TokAssign, "after the member name")
		m.Value = p.expr()
		if p.tok.Kind == TokString {
			m.Label = p.tok.Text
			p.advance()
		}
		m.Attrs = p.attrs()
		d.Members = append(d.Members, m)
		p.endStatement("enum member " + m.Name.Name)
	}
	p.expect(TokRBrace, "to close the "+kw)
	return d
}

func (p *parser) structDecl() Decl {
	d := &StructDecl{Pos: p.tok.Pos}
	p.advance()
	d.Name = p.ident("after 'struct'")
	if p.tok.Kind == TokLParen {
		p.advance()
		for p.tok.Kind != TokRParen && p.tok.Kind != TokEOF && p.tok.Kind != TokLBrace {
			prm := &Param{Name: p.ident("for a parameter")}
			prm.Type = p.typeExpr(0)
			d.Params = append(d.Params, prm)
			if p.tok.Kind != TokComma {
				break
			}
			p.advance()
		}
		p.expect(TokRParen, "to close the parameter list")
	}
	d.Attrs = p.attrs()
	p.expect(TokLBrace, "to open the struct")
	d.Fields = p.members("struct", true)
	p.expect(TokRBrace, "to close the struct")
	return d
}

// members parses the body of a struct or state block, up to its closing
// brace. Statements (let, assert, align, set, pair) are allowed in structs.
func (p *parser) members(block string, statements bool) []*FieldDecl {
	var out []*FieldDecl
	for p.tok.Kind != TokRBrace && p.tok.Kind != TokEOF {
		if p.tok.Kind == TokSemi {
			p.advance()
			continue
		}
		if p.tok.Kind != TokIdent {
			p.errorf(p.tok.Pos, "expected a field name, found %s", p.tok.describe())
			p.skipStatement()
			continue
		}
		if statements && isStatement(p.tok.Text) {
			if m := p.statement(); m != nil {
				out = append(out, m)
			}
			continue
		}
		f := &FieldDecl{Kind: MemberField, Pos: p.tok.Pos, Name: p.fieldIdent()}
		if p.tok.Kind == TokSemi || p.tok.Kind == TokRBrace {
			p.errorf(p.tok.Pos, "field %s has no type", f.Name.Name)
			p.endStatement("field")
			continue
		}
		f.Type = p.typeExpr(0)
		if p.tok.Kind == TokAssign {
			p.advance()
			f.Const = p.expr()
		}
		f.Attrs = p.attrs()
		out = append(out, f)
		p.endStatement("field " + f.Name.Name)
	}
	return out
}

func isStatement(s string) bool {
	switch s {
	case "let", "assert", "align", "set", "pair":
		return true
	}
	return false
}

// statement parses one of:
//
//	let name [Type] = expr [attrs]
//	assert cond [, "message"] [attrs]
//	align n [attrs]
//	set state.name = expr [attrs]
//	pair request|response key [attrs]
func (p *parser) statement() *FieldDecl {
	kw := p.tok
	p.advance()
	m := &FieldDecl{Pos: kw.Pos}
	switch kw.Text {
	case "let":
		m.Kind = MemberLet
		m.Name = p.ident("after let")
		if p.tok.Kind != TokAssign {
			m.Type = p.typeExpr(0) // let name Type = expr
		}
		p.expect(TokAssign, "after the name in let")
		m.Value = p.expr()
		m.Attrs = p.attrs()
	case "assert":
		m.Kind = MemberAssert
		m.Value = p.expr()
		if p.tok.Kind == TokComma {
			p.advance()
			if p.tok.Kind != TokString {
				p.errorf(p.tok.Pos, "expected the assertion's message in double quotes, found %s", p.tok.describe())
			} else {
				m.Message = p.tok.Text
				p.advance()
			}
		}
	case "align":
		m.Kind = MemberAlign
		m.Value = p.expr()
	case "set":
		m.Kind = MemberSet
		if p.tok.Kind != TokIdent || p.tok.Text != "state" {
			p.errorf(p.tok.Pos, "expected state.NAME after set, found %s", p.tok.describe())
			p.skipStatement()
			return nil
		}
		p.advance()
		p.expect(TokDot, "after state")
		m.Name = p.ident("after state.")
		p.expect(TokAssign, "in set")
		m.Value = p.expr()
	case "pair":
		m.Kind = MemberPair
		if p.tok.Kind != TokIdent || (p.tok.Text != "request" && p.tok.Text != "response") {
			p.errorf(p.tok.Pos, "expected request or response after pair, found %s", p.tok.describe())
			p.skipStatement()
			return nil
		}
		m.Role = p.tok.Text
		p.advance()
		m.Value = p.expr()
	}
	if kw.Text != "let" {
		m.Attrs = p.attrs() // such as [if = cond]
	}
	p.endStatement(kw.Text)
	return m
}

func (p *parser) typeExpr(depth int) TypeExpr {
	if depth > maxExprDepth {
		p.errorf(p.tok.Pos, "type is nested too deeply")
		return &NamedType{Name: Ident{Pos: p.tok.Pos}}
	}
	switch {
	case p.tok.Kind == TokLBrack:
		t := &ArrayType{Pos: p.tok.Pos}
		p.advance()
		switch {
		case p.tok.Kind == TokRBrack:
			t.Mode = ArrayToEnd
		case p.tok.Kind == TokIdent && (p.tok.Text == "until" || p.tok.Text == "while"):
			word := p.tok
			p.advance()
			if p.tok.Kind == TokRBrack {
				// [until] is a count taken from a field named until.
				t.Len = &NameExpr{Ident: Ident{Pos: word.Pos, Name: word.Text}}
				break
			}
			t.Mode = ArrayUntil
			if word.Text == "while" {
				t.Mode = ArrayWhile
			}
			t.Len = p.expr()
		default:
			t.Len = p.expr()
		}
		p.expect(TokRBrack, "to close the array length")
		t.Elem = p.typeExpr(depth + 1)
		return t
	case p.tok.Kind == TokIdent && p.tok.Text == "switch":
		return p.switchType(depth)
	case p.tok.Kind == TokIdent && p.tok.Text == "struct":
		t := &StructType{Pos: p.tok.Pos}
		p.advance()
		p.expect(TokLBrace, "to open the struct")
		t.Fields = p.members("struct", true)
		p.expect(TokRBrace, "to close the struct")
		return t
	case p.tok.Kind == TokIdent:
		t := &NamedType{Name: p.ident("")}
		if p.tok.Kind == TokLParen {
			t.HasArgs = true
			p.advance()
			for p.tok.Kind != TokRParen && p.tok.Kind != TokEOF && p.tok.Kind != TokSemi {
				t.Args = append(t.Args, p.exprDepth(depth+1))
				if p.tok.Kind != TokComma {
					break
				}
				p.advance()
			}
			p.expect(TokRParen, "to close the arguments")
		}
		return t
	}
	p.errorf(p.tok.Pos, "expected a type, found %s", p.tok.describe())
	return &NamedType{Name: Ident{Pos: p.tok.Pos}}
}

// atCase reports whether the next token starts another switch case.
func (p *parser) atCase() bool {
	return p.tok.Kind == TokIdent && (p.tok.Text == "case" || p.tok.Text == "default")
}

func (p *parser) switchType(depth int) TypeExpr {
	t := &SwitchType{Pos: p.tok.Pos, DefPos: NoPos}
	p.advance()
	t.Tag = p.expr()
	p.expect(TokLBrace, "to open the switch")
	for p.tok.Kind != TokRBrace && p.tok.Kind != TokEOF {
		if p.tok.Kind == TokSemi {
			p.advance()
			continue
		}
		switch {
		case p.tok.Kind == TokIdent && p.tok.Text == "case":
			c := &SwitchCase{Pos: p.tok.Pos}
			p.advance()
			for {
				lo := p.expr()
				if p.tok.Kind == TokDotDot {
					p.advance()
					lo = &RangeExpr{Lo: lo, Hi: p.expr()}
				}
				c.Labels = append(c.Labels, lo)
				if p.tok.Kind != TokComma {
					break
				}
				p.advance()
			}
			p.expect(TokColon, "after the case values")
			c.Type = p.typeExpr(depth + 1)
			c.Attrs = p.attrs()
			t.Cases = append(t.Cases, c)
			if p.atCase() {
				continue // several cases may share a line
			}
		case p.tok.Kind == TokIdent && p.tok.Text == "default":
			if t.Default != nil {
				p.errorf(p.tok.Pos, "switch has more than one default")
			}
			t.DefPos = p.tok.Pos
			p.advance()
			p.expect(TokColon, "after default")
			t.Default = p.typeExpr(depth + 1)
			t.DefAttrs = p.attrs()
			if p.atCase() {
				continue
			}
		default:
			p.errorf(p.tok.Pos, "expected 'case' or 'default' in switch, found %s", p.tok.describe())
			p.skipStatement()
			continue
		}
		p.endStatement("switch case")
	}
	p.expect(TokRBrace, "to close the switch")
	return t
}

// Expressions, by precedence from lowest to highest:
//
//	?:  ||  &&  == != < <= > >=  + - | ^  * / % << >> &  unary
func (p *parser) expr() Expr { return p.exprDepth(0) }

func (p *parser) exprDepth(depth int) Expr {
	if depth > maxExprDepth {
		// Leave the rest to the statement's own recovery: skipping here
		// would also eat the end of the line and the statement after it.
		p.errorf(p.tok.Pos, "expression is nested too deeply")
		return &IntLit{Pos: p.tok.Pos}
	}
	cond := p.binary(1, depth)
	if p.tok.Kind != TokQuestion {
		return cond
	}
	p.advance()
	then := p.exprDepth(depth + 1)
	p.expect(TokColon, "in conditional expression")
	return &CondExpr{Cond: cond, Then: then, Else: p.exprDepth(depth + 1)}
}

func precedence(k TokenKind) int {
	switch k {
	case TokOrOr:
		return 1
	case TokAndAnd:
		return 2
	case TokEq, TokNe, TokLt, TokLe, TokGt, TokGe:
		return 3
	case TokPlus, TokMinus, TokPipe, TokCaret:
		return 4
	case TokStar, TokSlash, TokPercent, TokShl, TokShr, TokAmp:
		return 5
	}
	return 0
}

func (p *parser) binary(minPrec, depth int) Expr {
	x := p.unary(depth)
	for {
		prec := precedence(p.tok.Kind)
		if prec < minPrec {
			return x
		}
		op := p.tok
		p.advance()
		y := p.binary(prec+1, depth+1)
		x = &BinaryExpr{OpPos: op.Pos, Op: op.Kind, X: x, Y: y}
	}
}

func (p *parser) unary(depth int) Expr {
	if depth > maxExprDepth {
		p.errorf(p.tok.Pos, "expression is nested too deeply")
		return &IntLit{Pos: p.tok.Pos}
	}
	switch p.tok.Kind {
	case TokMinus, TokBang, TokTilde, TokPlus:
		t := p.tok
		p.advance()
		return &UnaryExpr{Pos: t.Pos, Op: t.Kind, X: p.unary(depth + 1)}
	}
	return p.primary(depth)
}

func (p *parser) primary(depth int) Expr {
	t := p.tok
	var x Expr
	switch t.Kind {
	case TokInt:
		p.advance()
		x = &IntLit{Pos: t.Pos, Value: t.Int, Text: t.Text}
	case TokFloat:
		p.advance()
		x = &FloatLit{Pos: t.Pos, Value: t.Float, Text: t.Text}
	case TokString:
		p.advance()
		x = &StringLit{Pos: t.Pos, Value: t.Text}
	case TokIdent:
		id := p.memberIdent("")
		if p.tok.Kind == TokLParen {
			p.advance()
			call := &CallExpr{Fun: id}
			for p.tok.Kind != TokRParen && p.tok.Kind != TokEOF && p.tok.Kind != TokSemi {
				call.Args = append(call.Args, p.exprDepth(depth+1))
				if p.tok.Kind != TokComma {
					break
				}
				p.advance()
			}
			p.expect(TokRParen, "to close the call")
			x = call
		} else {
			x = &NameExpr{Ident: id}
		}
	case TokLParen:
		p.advance()
		x = p.exprDepth(depth + 1)
		p.expect(TokRParen, "to close the parenthesis")
	default:
		p.errorf(t.Pos, "expected an expression, found %s", t.describe())
		if t.Kind != TokSemi && t.Kind != TokRBrace && t.Kind != TokEOF && t.Kind != TokRBrack {
			p.advance()
		}
		return &IntLit{Pos: t.Pos}
	}
	for p.tok.Kind == TokDot {
		p.advance()
		x = &SelectorExpr{X: x, Sel: p.memberIdent("after '.'")}
	}
	return x
}
