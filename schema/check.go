package schema

import (
	"sort"
	"strconv"
	"strings"

	"github.com/dissect-project/dissect/schema/syntax"
)

// Compile parses, checks and compiles one schema file. It returns every
// error and warning found; the Program is nil when there is any error.
func Compile(name string, text []byte) (*Program, syntax.ErrorList) {
	src := syntax.NewSource(name, text)
	file, errs := syntax.Parse(src)
	c := &checker{
		src:     src,
		errs:    errs,
		prog:    &Program{File: name},
		structs: map[string]*structInfo{},
		enums:   map[string]*enumInfo{},
	}
	c.check(file)
	c.errs.Sort()
	if c.errs.Err() != nil {
		return nil, c.errs
	}
	return c.prog, c.errs
}

type structInfo struct {
	decl *syntax.StructDecl
	s    *Struct
	used bool
	busy bool // its fields are being checked
	done bool // its fields have been checked
}

type enumInfo struct {
	decl *syntax.EnumDecl
	e    *Enum
	base *Type
	used bool
}

// checker resolves every name in a file and builds the Program.
type checker struct {
	src     *syntax.Source
	errs    syntax.ErrorList
	prog    *Program
	structs map[string]*structInfo
	enums   map[string]*enumInfo
	order   []string // declaration order of types, for stable output
}

func (c *checker) errorf(p syntax.Pos, format string, args ...any) {
	c.errs.Add(c.src, p, false, format, args...)
}

func (c *checker) warnf(p syntax.Pos, format string, args ...any) {
	c.errs.Add(c.src, p, true, format, args...)
}

func (c *checker) check(f *syntax.File) {
	var proto *syntax.ProtocolDecl
	var framing *syntax.FramingDecl
	declared := map[string]syntax.Pos{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *syntax.ProtocolDecl:
			if proto != nil {
				c.errorf(d.Pos, "second protocol block; a schema file describes one protocol")
				continue
			}
			proto = d
		case *syntax.FramingDecl:
			if framing != nil {
				c.errorf(d.Pos, "second framing block; a protocol has one framing rule")
				continue
			}
			framing = d
		case *syntax.EnumDecl:
			if c.declare(declared, d.Name) {
				c.enums[d.Name.Name] = &enumInfo{decl: d, e: &Enum{Name: d.Name.Name}}
				c.order = append(c.order, d.Name.Name)
			}
		case *syntax.StructDecl:
			if c.declare(declared, d.Name) {
				st := &Struct{Name: d.Name.Name}
				st.Type = &Type{Kind: KindStruct, Name: st.Name, Struct: st}
				c.structs[d.Name.Name] = &structInfo{decl: d, s: st}
				c.order = append(c.order, d.Name.Name)
			}
		}
	}
	if proto == nil {
		c.errorf(0, "no protocol block: a schema needs `protocol NAME { ... }` naming the protocol and its message types")
		return
	}
	c.protocol(proto)
	for _, name := range c.order {
		if ei, ok := c.enums[name]; ok {
			c.enum(ei)
		}
	}
	for _, name := range c.order {
		if si, ok := c.structs[name]; ok {
			c.structFields(si)
		}
	}
	c.roots(proto)
	c.framing(framing, proto)
	for _, name := range c.order {
		if si, ok := c.structs[name]; ok {
			c.prog.Structs = append(c.prog.Structs, si.s)
			if !si.used {
				c.warnf(si.decl.Name.Pos, "struct %s is never used", name)
			}
		}
		if ei, ok := c.enums[name]; ok {
			c.prog.Enums = append(c.prog.Enums, ei.e)
			if !ei.used {
				c.warnf(ei.decl.Name.Pos, "enum %s is never used", name)
			}
		}
	}
}

func (c *checker) declare(declared map[string]syntax.Pos, id syntax.Ident) bool {
	if id.Name == "" {
		return false
	}
	if prev, ok := declared[id.Name]; ok {
		c.errorf(id.Pos, "%s is declared twice (first at %s)", id.Name, c.src.Position(prev))
		return false
	}
	if _, ok := primitive(id.Name, BigEndian); ok || id.Name == "byte" {
		c.errorf(id.Pos, "%s is a built-in type and cannot be redeclared", id.Name)
		return false
	}
	declared[id.Name] = id.Pos
	return true
}

// Protocol block.

var protocolProps = []string{"title", "description", "transport", "ports", "endian", "message", "request", "response", "wireshark"}

func (c *checker) protocol(d *syntax.ProtocolDecl) {
	p := c.prog
	p.Name = d.Name.Name
	p.Transport = "tcp"
	seen := map[string]bool{}
	for _, prop := range d.Props {
		name := prop.Name.Name
		if seen[name] {
			c.errorf(prop.Name.Pos, "property %s is set twice", name)
			continue
		}
		seen[name] = true
		switch name {
		case "title":
			p.Title = c.stringValue(prop)
		case "description":
			p.Description = c.stringValue(prop)
		case "wireshark":
			p.Wireshark = c.stringValue(prop)
		case "transport":
			switch v := c.wordValue(prop); v {
			case "tcp", "udp":
				p.Transport = v
			case "":
			default:
				c.errorf(prop.Values[0].(*syntax.NameExpr).Pos, "unknown transport %q; expected tcp or udp", v)
			}
		case "endian":
			switch v := c.wordValue(prop); v {
			case "big":
				p.Endian = BigEndian
			case "little":
				p.Endian = LittleEndian
			case "":
			default:
				c.errorf(prop.Values[0].(*syntax.NameExpr).Pos, "unknown byte order %q; expected big or little", v)
			}
		case "ports":
			if len(prop.Values) == 0 {
				c.errorf(prop.Name.Pos, "ports needs at least one port number")
			}
			for _, v := range prop.Values {
				n, ok := c.constInt(v, "a port")
				if ok && (n < 1 || n > 65535) {
					c.errorf(exprPos(v), "port %d is out of range 1..65535", n)
					continue
				}
				if ok {
					p.Ports = append(p.Ports, uint16(n))
				}
			}
		case "message", "request", "response":
			c.wordValue(prop) // checked in roots, once the structs exist
		default:
			c.errorf(prop.Name.Pos, "unknown protocol property %q; expected one of: %s", name, strings.Join(protocolProps, ", "))
		}
	}
	if p.Title == "" {
		p.Title = p.Name
	}
}

// roots resolves message, request and response.
func (c *checker) roots(d *syntax.ProtocolDecl) {
	var message, request, response *Struct
	var messagePos syntax.Pos = syntax.NoPos
	for _, prop := range d.Props {
		switch prop.Name.Name {
		case "message", "request", "response":
		default:
			continue
		}
		name := c.wordValue(prop)
		if name == "" {
			continue
		}
		si, ok := c.structs[name]
		if !ok {
			c.errorf(prop.Values[0].(*syntax.NameExpr).Pos, "%s %s: no struct named %s", prop.Name.Name, name, name)
			continue
		}
		si.used = true
		switch prop.Name.Name {
		case "message":
			message, messagePos = si.s, prop.Name.Pos
		case "request":
			request = si.s
		case "response":
			response = si.s
		}
	}
	if message != nil && (request != nil || response != nil) {
		c.errorf(messagePos, "use either message (one type for both directions) or request and response, not both")
	}
	if message != nil {
		request, response = message, message
	}
	if request == nil || response == nil {
		if c.errs.Err() == nil {
			c.errorf(d.Pos, "protocol %s names no message type: add `message T`, or `request T` and `response T`", d.Name.Name)
		}
		return
	}
	c.prog.Request, c.prog.Response = request, response
}

func (c *checker) stringValue(prop *syntax.Property) string {
	if len(prop.Values) != 1 {
		c.errorf(prop.Name.Pos, "%s takes one string", prop.Name.Name)
		return ""
	}
	s, ok := prop.Values[0].(*syntax.StringLit)
	if !ok {
		c.errorf(exprPos(prop.Values[0]), "%s takes a string in double quotes", prop.Name.Name)
		return ""
	}
	return s.Value
}

func (c *checker) wordValue(prop *syntax.Property) string {
	if len(prop.Values) != 1 {
		c.errorf(prop.Name.Pos, "%s takes one name", prop.Name.Name)
		return ""
	}
	n, ok := prop.Values[0].(*syntax.NameExpr)
	if !ok {
		c.errorf(exprPos(prop.Values[0]), "%s takes a name", prop.Name.Name)
		return ""
	}
	return n.Name
}

// exprPos returns the position of an expression.
func exprPos(e syntax.Expr) syntax.Pos {
	switch e := e.(type) {
	case *syntax.IntLit:
		return e.Pos
	case *syntax.StringLit:
		return e.Pos
	case *syntax.NameExpr:
		return e.Pos
	case *syntax.SelectorExpr:
		return exprPos(e.X)
	case *syntax.UnaryExpr:
		return e.Pos
	case *syntax.BinaryExpr:
		return exprPos(e.X)
	case *syntax.CondExpr:
		return exprPos(e.Cond)
	case *syntax.CallExpr:
		return e.Fun.Pos
	case *syntax.RangeExpr:
		return exprPos(e.Lo)
	}
	return syntax.NoPos
}

// Framing block.

var framingProps = []string{"size", "min", "max"}

// defaultMaxFrame is the largest frame accepted when a schema sets no max.
const defaultMaxFrame = 1 << 20

func (c *checker) framing(d *syntax.FramingDecl, proto *syntax.ProtocolDecl) {
	if d == nil {
		if c.prog.Transport == "tcp" {
			c.errorf(proto.Pos, "protocol %s runs over tcp but has no framing block: add `framing { size EXPR }` to say how long each frame is", proto.Name.Name)
		}
		return
	}
	fr := &Framing{Min: 1, Max: defaultMaxFrame}
	for _, prop := range d.Props {
		if len(prop.Values) != 1 {
			c.errorf(prop.Name.Pos, "%s takes one value", prop.Name.Name)
			continue
		}
		switch prop.Name.Name {
		case "size":
			fr.Size = c.expr(prop.Values[0], &scope{framing: true})
		case "min", "max":
			n, ok := c.constInt(prop.Values[0], prop.Name.Name)
			if !ok {
				continue
			}
			if n < 1 || n > 1<<30 {
				c.errorf(exprPos(prop.Values[0]), "%s %d is out of range 1..%d", prop.Name.Name, n, 1<<30)
				continue
			}
			if prop.Name.Name == "min" {
				fr.Min = int(n)
			} else {
				fr.Max = int(n)
			}
		default:
			c.errorf(prop.Name.Pos, "unknown framing property %q; expected one of: %s", prop.Name.Name, strings.Join(framingProps, ", "))
		}
	}
	if fr.Size == nil {
		c.errorf(d.Pos, "framing block has no size: add `size EXPR`, for example `size u16(4) + 6`")
		return
	}
	if fr.Min > fr.Max {
		c.errorf(d.Pos, "framing min %d is larger than max %d", fr.Min, fr.Max)
	}
	c.prog.Framing = fr
}

// Enums.

func (c *checker) enum(ei *enumInfo) {
	d := ei.decl
	base := &Type{Kind: KindUint, Name: "u8", Size: 1, Endian: c.prog.Endian}
	if d.Base != nil {
		nt, ok := d.Base.(*syntax.NamedType)
		var t *Type
		if ok {
			t, ok = primitive(nt.Name.Name, c.prog.Endian)
		}
		if !ok || (t.Kind != KindUint && t.Kind != KindInt) {
			c.errorf(typePos(d.Base), "the base of enum %s must be an integer type such as u8 or u16", d.Name.Name)
		} else {
			base = t
		}
	}
	ei.base = base
	e := ei.e
	for _, a := range d.Attrs {
		if a.Name.Name == "doc" {
			e.Doc = c.attrString(a)
		} else {
			c.errorf(a.Name.Pos, "unknown enum attribute %q; expected doc", a.Name.Name)
		}
	}
	names := map[string]bool{}
	values := map[int64]string{}
	for _, m := range d.Members {
		v, ok := c.constInt(m.Value, "an enum value")
		if !ok {
			continue
		}
		if names[m.Name.Name] {
			c.errorf(m.Name.Pos, "enum %s has two members named %s", d.Name.Name, m.Name.Name)
			continue
		}
		names[m.Name.Name] = true
		if prev, dup := values[v]; dup {
			c.errorf(exprPos(m.Value), "enum %s: %s has the same value %d as %s", d.Name.Name, m.Name.Name, v, prev)
			continue
		}
		if !fits(v, base) {
			c.errorf(exprPos(m.Value), "enum %s: value %d of %s does not fit in %s", d.Name.Name, v, m.Name.Name, base.Name)
		}
		values[v] = m.Name.Name
		label := m.Label
		if label == "" {
			label = m.Name.Name
		}
		for _, a := range m.Attrs {
			if a.Name.Name != "doc" {
				c.errorf(a.Name.Pos, "unknown enum member attribute %q; expected doc", a.Name.Name)
			}
		}
		e.Members = append(e.Members, EnumMember{Name: m.Name.Name, Label: label, Value: v})
	}
	sort.Slice(e.Members, func(i, j int) bool { return e.Members[i].Value < e.Members[j].Value })
}

func fits(v int64, t *Type) bool {
	if t.Size >= 8 {
		return true
	}
	bits := uint(8 * t.Size)
	if t.Kind == KindInt {
		return v >= -(1<<(bits-1)) && v < 1<<(bits-1)
	}
	return v >= 0 && v < 1<<bits
}

func typePos(t syntax.TypeExpr) syntax.Pos {
	switch t := t.(type) {
	case *syntax.NamedType:
		return t.Name.Pos
	case *syntax.ArrayType:
		return t.Pos
	case *syntax.SwitchType:
		return t.Pos
	}
	return syntax.NoPos
}

// primitive resolves a built-in scalar type name such as u16, s32le or f64.
func primitive(name string, def Endian) (*Type, bool) {
	endian := def
	base := name
	switch {
	case strings.HasSuffix(name, "le"):
		endian, base = LittleEndian, name[:len(name)-2]
	case strings.HasSuffix(name, "be"):
		endian, base = BigEndian, name[:len(name)-2]
	}
	if base == "bool" && base == name {
		return &Type{Kind: KindBool, Name: name, Size: 1, Endian: endian}, true
	}
	if len(base) < 2 {
		return nil, false
	}
	bits, err := strconv.Atoi(base[1:])
	if err != nil || base[1] == '0' || base[1] == '+' || base[1] == '-' {
		return nil, false
	}
	switch base[0] {
	case 'u', 's', 'i':
		if bits%8 != 0 || bits < 8 || bits > 64 {
			return nil, false
		}
		kind := KindUint
		if base[0] != 'u' {
			kind = KindInt
		}
		return &Type{Kind: kind, Name: name, Size: bits / 8, Endian: endian}, true
	case 'f':
		if bits != 32 && bits != 64 {
			return nil, false
		}
		return &Type{Kind: KindFloat, Name: name, Size: bits / 8, Endian: endian}, true
	}
	return nil, false
}

// Structures.

// structFields checks the fields of a structure, once. A structure used as
// a field type is checked first, so that paths such as hdr.length into it
// resolve wherever it is declared in the file.
func (c *checker) structFields(si *structInfo) {
	if si.done || si.busy {
		return
	}
	si.busy = true
	defer func() { si.busy, si.done = false, true }()
	d := si.decl
	s := si.s
	sc := &scope{fields: map[string]*Field{}}
	var summary *syntax.Attr
	for _, a := range d.Attrs {
		switch a.Name.Name {
		case "doc":
			s.Doc = c.attrString(a)
		case "summary":
			summary = a
		default:
			c.errorf(a.Name.Pos, "unknown struct attribute %q; expected doc or summary", a.Name.Name)
		}
	}
	for _, fd := range d.Fields {
		if _, dup := sc.fields[fd.Name.Name]; dup {
			c.errorf(fd.Name.Pos, "struct %s has two fields named %s", d.Name.Name, fd.Name.Name)
			continue
		}
		f := &Field{Name: fd.Name.Name, Slot: len(s.Fields)}
		for _, a := range fd.Attrs {
			switch a.Name.Name {
			case "doc":
				f.Doc = c.attrString(a)
			case "ws", "wireshark":
				f.Wireshark = c.attrString(a)
			case "base":
				switch c.attrWord(a) {
				case "hex":
					f.Base = BaseHex
				case "dec":
					f.Base = BaseDec
				case "bin":
					f.Base = BaseBin
				case "":
				default:
					c.errorf(exprPos(a.Value), "unknown base; expected hex, dec or bin")
				}
			case "if":
				if a.Value == nil {
					c.errorf(a.Name.Pos, "if needs a condition: [if = EXPR]")
					continue
				}
				f.Cond = c.expr(a.Value, sc)
			default:
				c.errorf(a.Name.Pos, "unknown field attribute %q; expected one of: doc, ws, base, if", a.Name.Name)
			}
		}
		f.Type = c.typeOf(fd.Type, sc, 0)
		if fd.Const != nil && f.Type != nil {
			if f.Type.Kind != KindUint && f.Type.Kind != KindInt && f.Type.Kind != KindBool {
				c.errorf(exprPos(fd.Const), "only integer fields can have an expected value (= ...); %s is %s", f.Name, f.Type.Name)
			} else {
				f.Expect = c.expr(fd.Const, sc)
				f.ExpectSrc = exprString(fd.Const)
			}
		}
		if f.Type == nil {
			f.Type = &Type{Kind: KindBytes, Name: "invalid"}
		}
		sc.fields[f.Name] = f
		s.Fields = append(s.Fields, f)
	}
	if summary != nil {
		s.Summary = c.template(summary, s)
	}
}

func (c *checker) attrString(a *syntax.Attr) string {
	if s, ok := a.Value.(*syntax.StringLit); ok {
		return s.Value
	}
	c.errorf(a.Name.Pos, "%s takes a string: [%s = \"...\"]", a.Name.Name, a.Name.Name)
	return ""
}

func (c *checker) attrWord(a *syntax.Attr) string {
	if n, ok := a.Value.(*syntax.NameExpr); ok {
		return n.Name
	}
	c.errorf(a.Name.Pos, "%s takes a name", a.Name.Name)
	return ""
}

// typeOf resolves a field's type.
func (c *checker) typeOf(t syntax.TypeExpr, sc *scope, depth int) *Type {
	switch t := t.(type) {
	case *syntax.NamedType:
		name := t.Name.Name
		if name == "" {
			return nil
		}
		if p, ok := primitive(name, c.prog.Endian); ok {
			return p
		}
		if ei, ok := c.enums[name]; ok {
			ei.used = true
			base := *ei.base
			base.Name = name
			base.Enum = ei.e
			return &base
		}
		if si, ok := c.structs[name]; ok {
			si.used = true
			c.structFields(si)
			return si.s.Type
		}
		if name == "byte" || name == "bytes" {
			c.errorf(t.Name.Pos, "%s needs a size: write [N]byte, or []byte for the rest of the frame", name)
			return nil
		}
		c.errorf(t.Name.Pos, "unknown type %s", name)
		return nil
	case *syntax.ArrayType:
		var n *Expr
		if t.Len != nil {
			n = c.expr(t.Len, sc)
		}
		if nt, ok := t.Elem.(*syntax.NamedType); ok && (nt.Name.Name == "byte" || nt.Name.Name == "bytes") {
			return &Type{Kind: KindBytes, Name: "[]byte", Len: n}
		}
		elem := c.typeOf(t.Elem, sc, depth+1)
		if elem == nil {
			return nil
		}
		return &Type{Kind: KindArray, Name: "[]" + elem.Name, Len: n, Elem: elem}
	case *syntax.SwitchType:
		return c.switchType(t, sc, depth)
	}
	return nil
}

func (c *checker) switchType(t *syntax.SwitchType, sc *scope, depth int) *Type {
	sw := &Switch{Tag: c.expr(t.Tag, sc)}
	tagEnum := sc.enumOf(t.Tag)
	type covered struct {
		lo, hi int64
		pos    syntax.Pos
	}
	var seen []covered
	for _, cs := range t.Cases {
		ct := c.typeOf(cs.Type, sc, depth+1)
		for _, l := range cs.Labels {
			lo, hi, ok := c.caseLabel(l, tagEnum)
			if !ok {
				continue
			}
			if lo > hi {
				c.errorf(exprPos(l), "empty range %d..%d", lo, hi)
				continue
			}
			for _, s := range seen {
				if lo >= s.lo && hi <= s.hi {
					c.warnf(exprPos(l), "case is unreachable: already matched by the case at %s", c.src.Position(s.pos))
					break
				}
			}
			seen = append(seen, covered{lo, hi, exprPos(l)})
			if ct != nil {
				sw.Cases = append(sw.Cases, SwitchCase{Lo: lo, Hi: hi, Type: ct})
			}
		}
	}
	if t.Default != nil {
		sw.Default = c.typeOf(t.Default, sc, depth+1)
	}
	return &Type{Kind: KindSwitch, Name: "switch", Switch: sw}
}

// caseLabel evaluates a switch label: a constant, a range, or a member of the
// tag's enum.
func (c *checker) caseLabel(l syntax.Expr, tagEnum *Enum) (int64, int64, bool) {
	if r, ok := l.(*syntax.RangeExpr); ok {
		lo, ok1 := c.labelValue(r.Lo, tagEnum)
		hi, ok2 := c.labelValue(r.Hi, tagEnum)
		return lo, hi, ok1 && ok2
	}
	v, ok := c.labelValue(l, tagEnum)
	return v, v, ok
}

func (c *checker) labelValue(l syntax.Expr, tagEnum *Enum) (int64, bool) {
	if n, ok := l.(*syntax.NameExpr); ok && tagEnum != nil {
		for _, m := range tagEnum.Members {
			if m.Name == n.Name {
				return m.Value, true
			}
		}
		c.errorf(n.Pos, "%s is not a member of enum %s", n.Name, tagEnum.Name)
		return 0, false
	}
	return c.constInt(l, "a case value")
}

// constInt evaluates an expression that must be a constant.
func (c *checker) constInt(e syntax.Expr, what string) (int64, bool) {
	before := len(c.errs)
	x := c.expr(e, &scope{constant: true, what: what})
	if len(c.errs) > before || x == nil {
		return 0, false
	}
	v, err := x.eval(&evalEnv{})
	if err != exprOK {
		c.errorf(exprPos(e), "%s: %s", what, err)
		return 0, false
	}
	return v, true
}

// template compiles a summary string: literal text with {field.path}
// references, and {{ for a literal brace.
func (c *checker) template(a *syntax.Attr, s *Struct) *Template {
	text := c.attrString(a)
	t := &Template{}
	var lit strings.Builder
	for i := 0; i < len(text); i++ {
		ch := text[i]
		if ch == '{' && i+1 < len(text) && text[i+1] == '{' {
			lit.WriteByte('{')
			i++
			continue
		}
		if ch == '}' && i+1 < len(text) && text[i+1] == '}' {
			lit.WriteByte('}')
			i++
			continue
		}
		if ch != '{' {
			lit.WriteByte(ch)
			continue
		}
		end := strings.IndexByte(text[i:], '}')
		if end < 0 {
			c.errorf(exprPos(a.Value), "summary: { at byte %d is not closed", i)
			return nil
		}
		ref := strings.TrimSpace(text[i+1 : i+end])
		path, ok := resolvePath(s, ref)
		if !ok {
			c.errorf(exprPos(a.Value), "summary: {%s} does not name a field of %s", ref, s.Name)
		}
		if lit.Len() > 0 {
			t.Parts = append(t.Parts, TemplatePart{Text: lit.String()})
			lit.Reset()
		}
		t.Parts = append(t.Parts, TemplatePart{Text: ref, Path: path})
		i += end
	}
	if lit.Len() > 0 {
		t.Parts = append(t.Parts, TemplatePart{Text: lit.String()})
	}
	return t
}

// resolvePath turns "a.b.c" into slots through nested structures.
func resolvePath(s *Struct, ref string) ([]int, bool) {
	var path []int
	for i, part := range strings.Split(ref, ".") {
		if s == nil {
			return nil, false
		}
		var found *Field
		for _, f := range s.Fields {
			if f.Name == part {
				found = f
			}
		}
		if found == nil {
			return nil, false
		}
		path = append(path, found.Slot)
		s = nil
		if found.Type != nil && found.Type.Kind == KindStruct {
			s = found.Type.Struct
		}
		_ = i
	}
	return path, true
}

// exprString prints an expression as written. It appends to one builder:
// concatenating the strings of subexpressions would be quadratic in the
// length of a long chain such as a + b + c + ....
func exprString(e syntax.Expr) string {
	var b strings.Builder
	writeExpr(&b, e)
	return b.String()
}

func writeExpr(b *strings.Builder, e syntax.Expr) {
	switch e := e.(type) {
	case *syntax.IntLit:
		b.WriteString(e.Text)
	case *syntax.StringLit:
		b.WriteString(strconv.Quote(e.Value))
	case *syntax.NameExpr:
		b.WriteString(e.Name)
	case *syntax.SelectorExpr:
		writeExpr(b, e.X)
		b.WriteString(".")
		b.WriteString(e.Sel.Name)
	case *syntax.UnaryExpr:
		b.WriteString(opText[e.Op])
		writeExpr(b, e.X)
	case *syntax.BinaryExpr:
		writeExpr(b, e.X)
		b.WriteString(" " + opText[e.Op] + " ")
		writeExpr(b, e.Y)
	case *syntax.CondExpr:
		writeExpr(b, e.Cond)
		b.WriteString(" ? ")
		writeExpr(b, e.Then)
		b.WriteString(" : ")
		writeExpr(b, e.Else)
	case *syntax.CallExpr:
		b.WriteString(e.Fun.Name + "(")
		for i, a := range e.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			writeExpr(b, a)
		}
		b.WriteString(")")
	case *syntax.RangeExpr:
		writeExpr(b, e.Lo)
		b.WriteString("..")
		writeExpr(b, e.Hi)
	default:
		b.WriteString("?")
	}
}

var opText = map[syntax.TokenKind]string{
	syntax.TokPlus: "+", syntax.TokMinus: "-", syntax.TokStar: "*", syntax.TokSlash: "/",
	syntax.TokPercent: "%", syntax.TokAmp: "&", syntax.TokPipe: "|", syntax.TokCaret: "^",
	syntax.TokTilde: "~", syntax.TokBang: "!", syntax.TokShl: "<<", syntax.TokShr: ">>",
	syntax.TokLt: "<", syntax.TokGt: ">", syntax.TokLe: "<=", syntax.TokGe: ">=",
	syntax.TokEq: "==", syntax.TokNe: "!=", syntax.TokAndAnd: "&&", syntax.TokOrOr: "||",
}
