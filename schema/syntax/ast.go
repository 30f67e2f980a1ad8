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

// ImportDecl is `import "file.dsl"`: the types and enums of another file,
// relative to this one.
type ImportDecl struct {
	Pos  Pos
	Path string
}

// StateDecl is `state { name Type = initial ... }`: variables kept per
// connection, which messages read as state.name and change with set.
type StateDecl struct {
	Pos    Pos
	Fields []*FieldDecl
}

// EnumDecl is `enum NAME : BASE [attrs] { member... }`, or with Flags set,
// `flags NAME : BASE { name = mask ... }` naming the bits of a value.
type EnumDecl struct {
	Pos     Pos
	Flags   bool
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

// StructDecl is `struct NAME(params) [attrs] { member... }`.
type StructDecl struct {
	Pos    Pos
	Name   Ident
	Params []*Param
	Attrs  []*Attr
	Fields []*FieldDecl // the members, fields and statements, in order
}

// Param is one parameter of a structure: a value the user of the type
// passes in, such as a length from an enclosing header.
type Param struct {
	Name Ident
	Type TypeExpr
}

// MemberKind says what a structure member is.
type MemberKind uint8

// The kinds of structure member.
const (
	MemberField  MemberKind = iota // name Type [= expected] [attrs]
	MemberLet                      // let name [Type] = expr [attrs]
	MemberAssert                   // assert cond, "message"
	MemberAlign                    // align n
	MemberSet                      // set state.name = expr
	MemberPair                     // pair request|response key
)

// FieldDecl is one member of a structure: a field, or a statement.
type FieldDecl struct {
	Kind    MemberKind
	Pos     Pos
	Name    Ident    // field, let, and the state variable of set
	Type    TypeExpr // field; let, when it names a type
	Const   Expr     // field: expected value, or nil
	Value   Expr     // let, assert (the condition), align, set, pair
	Message string   // assert
	Role    string   // pair: "request" or "response"
	Attrs   []*Attr
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
func (d *ImportDecl) declPos() Pos   { return d.Pos }
func (d *StateDecl) declPos() Pos    { return d.Pos }

// TypeExpr is the type of a field.
type TypeExpr interface{ typePos() Pos }

// NamedType is a built-in or declared type: `u16`, `FunctionCode`, `MBAP`,
// or a structure with arguments: `PDU(length - 1)`.
type NamedType struct {
	Name Ident
	Args []Expr
	// HasArgs is true when parentheses were written, even empty ones.
	HasArgs bool
}

// ArrayMode says how many elements an array has.
type ArrayMode uint8

// The array modes.
const (
	ArrayCount ArrayMode = iota // [n]T
	ArrayToEnd                  // []T: to the end of the region
	ArrayUntil                  // [until cond]T: up to and including the element for which cond holds; for bytes and text, up to a terminator
	ArrayWhile                  // [while cond]T: while cond holds before each element
)

// ArrayType is `[n]Elem`, `[]Elem`, `[until cond]Elem` or `[while
// cond]Elem`. Arrays of byte or of a text encoding are byte strings and
// strings rather than arrays.
type ArrayType struct {
	Pos  Pos
	Mode ArrayMode
	Len  Expr // the count, or the until/while condition; nil for ArrayToEnd
	Elem TypeExpr
}

// StructType is an anonymous structure written in place: `struct { ... }`.
type StructType struct {
	Pos    Pos
	Fields []*FieldDecl
}

// SwitchType is `switch tag { case a, b: T ... default: T }`: the type of
// the field depends on the value of tag.
type SwitchType struct {
	Pos      Pos
	Tag      Expr
	Cases    []*SwitchCase
	Default  TypeExpr // nil: no default
	DefPos   Pos
	DefAttrs []*Attr // [ws = "..."] after the default's type
}

// SwitchCase is one `case labels: Type [attrs]` arm.
type SwitchCase struct {
	Pos    Pos
	Labels []Expr // values, or RangeExpr
	Type   TypeExpr
	Attrs  []*Attr // [ws = "..."]: the Wireshark name of the field when this case is chosen
}

func (t *NamedType) typePos() Pos  { return t.Name.Pos }
func (t *ArrayType) typePos() Pos  { return t.Pos }
func (t *SwitchType) typePos() Pos { return t.Pos }
func (t *StructType) typePos() Pos { return t.Pos }

// Expr is an expression.
type Expr interface{ exprPos() Pos }

// IntLit is an integer literal.
type IntLit struct {
	Pos   Pos
	Value uint64
	Text  string
}

// FloatLit is a decimal floating-point literal, allowed where a display
// hint such as scale takes a fraction.
type FloatLit struct {
	Pos   Pos
	Value float64
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
func (e *FloatLit) exprPos() Pos     { return e.Pos }
func (e *NameExpr) exprPos() Pos     { return e.Pos }
func (e *SelectorExpr) exprPos() Pos { return e.X.exprPos() }
func (e *UnaryExpr) exprPos() Pos    { return e.Pos }
func (e *BinaryExpr) exprPos() Pos   { return e.X.exprPos() }
func (e *CondExpr) exprPos() Pos     { return e.Cond.exprPos() }
func (e *CallExpr) exprPos() Pos     { return e.Fun.Pos }
func (e *RangeExpr) exprPos() Pos    { return e.Lo.exprPos() }
