package syntax

// The abstract syntax tree of a schema file. The parser builds it and the
// checker reads it; nothing here is used while decoding.

// File is one parsed schema file.
type File struct {
	Src   *Source
	Decls []Decl
}

// Decl is a top-level declaration.
type Decl interface{ declPos() Pos }

// Ident is a name with its position.
type Ident struct {
	Pos  Pos
	Name string
}

// ProtocolDecl is `protocol NAME { property... }`: what the protocol is
// called, how it binds to the network, and which types are its messages.
type ProtocolDecl struct {
	Pos   Pos
	Name  Ident
	Props []*Property
}

// FramingDecl is `framing { property... }`: how to find frame boundaries in
// a byte stream.
type FramingDecl struct {
	Pos   Pos
	Props []*Property
}

// Property is `name value, value...` inside a protocol or framing block.
type Property struct {
	Name   Ident
	Values []Expr
}

// EnumDecl is `enum NAME : BASE [attrs] { member... }`.
type EnumDecl struct {
	Pos     Pos
	Name    Ident
	Base    TypeExpr // nil means u8
	Attrs   []*Attr
	Members []*EnumMember
}

// EnumMember is `name = value "Label" [attrs]`.
type EnumMember struct {
	Name  Ident
	Value Expr
	Label string
	Attrs []*Attr
}

// StructDecl is `struct NAME [attrs] { field... }`.
type StructDecl struct {
	Pos    Pos
	Name   Ident
	Attrs  []*Attr
	Fields []*FieldDecl
}

// FieldDecl is `name Type [= expected] [attrs]`.
type FieldDecl struct {
	Name  Ident
	Type  TypeExpr
	Const Expr // expected value, or nil
	Attrs []*Attr
}

// Attr is `name = value` (or a bare `name`) inside square brackets.
type Attr struct {
	Name  Ident
	Value Expr // nil for a bare flag
}

func (d *ProtocolDecl) declPos() Pos { return d.Pos }
func (d *FramingDecl) declPos() Pos  { return d.Pos }
func (d *EnumDecl) declPos() Pos     { return d.Pos }
func (d *StructDecl) declPos() Pos   { return d.Pos }

// TypeExpr is the type of a field.
type TypeExpr interface{ typePos() Pos }

// NamedType is a built-in or declared type: `u16`, `FunctionCode`, `MBAP`.
type NamedType struct {
	Name Ident
}

// ArrayType is `[len]Elem`, or `[]Elem` to the end of the enclosing region.
// `[n]byte` and `[]byte` are byte strings rather than arrays.
type ArrayType struct {
	Pos  Pos
	Len  Expr // nil: until the end of the region
	Elem TypeExpr
}

// SwitchType is `switch tag { case a, b: T ... default: T }`: the type of
// the field depends on the value of tag.
type SwitchType struct {
	Pos     Pos
	Tag     Expr
	Cases   []*SwitchCase
	Default TypeExpr // nil: no default
	DefPos  Pos
}

// SwitchCase is one `case labels: Type` arm.
type SwitchCase struct {
	Pos    Pos
	Labels []Expr // values, or RangeExpr
	Type   TypeExpr
}

func (t *NamedType) typePos() Pos  { return t.Name.Pos }
func (t *ArrayType) typePos() Pos  { return t.Pos }
func (t *SwitchType) typePos() Pos { return t.Pos }

// Expr is an expression.
type Expr interface{ exprPos() Pos }

// IntLit is an integer literal.
type IntLit struct {
	Pos   Pos
	Value uint64
	Text  string
}

// StringLit is a string literal.
type StringLit struct {
	Pos   Pos
	Value string
}

// NameExpr is a bare name: a field, an enum member or a keyword value.
type NameExpr struct {
	Ident
}

// SelectorExpr is `x.name`: a field of a structure field, or a member of an
// enum.
type SelectorExpr struct {
	X   Expr
	Sel Ident
}

// UnaryExpr is `op x`.
type UnaryExpr struct {
	Pos Pos
	Op  TokenKind
	X   Expr
}

// BinaryExpr is `x op y`.
type BinaryExpr struct {
	OpPos Pos
	Op    TokenKind
	X, Y  Expr
}

// CondExpr is `cond ? a : b`.
type CondExpr struct {
	Cond, Then, Else Expr
}

// CallExpr is `fn(args)`.
type CallExpr struct {
	Fun  Ident
	Args []Expr
}

// RangeExpr is `lo..hi`, inclusive; allowed in switch labels and ranges.
type RangeExpr struct {
	Lo, Hi Expr
}

func (e *IntLit) exprPos() Pos       { return e.Pos }
func (e *StringLit) exprPos() Pos    { return e.Pos }
func (e *NameExpr) exprPos() Pos     { return e.Pos }
func (e *SelectorExpr) exprPos() Pos { return e.X.exprPos() }
func (e *UnaryExpr) exprPos() Pos    { return e.Pos }
func (e *BinaryExpr) exprPos() Pos   { return e.X.exprPos() }
func (e *CondExpr) exprPos() Pos     { return e.Cond.exprPos() }
func (e *CallExpr) exprPos() Pos     { return e.Fun.Pos }
func (e *RangeExpr) exprPos() Pos    { return e.Lo.exprPos() }
