package schema

import (
	"sort"
	"strconv"
	"strings"

	"github.com/dissect-project/dissect/schema/syntax"
)

// Enums and flags.

func (c *checker) enum(ei *enumInfo) {
	if ei.done {
		return
	}
	ei.done = true
	saved := c.src
	c.src = ei.src
	defer func() { c.src = saved }()
	d := ei.decl
	kind := "enum"
	if d.Flags {
		kind = "flags"
	}
	base := &Type{Kind: KindUint, Name: "u8", Size: 1, Endian: c.prog.Endian}
	if d.Base != nil {
		nt, ok := d.Base.(*syntax.NamedType)
		var t *Type
		if ok {
			t, ok = builtinType(nt.Name.Name, c.prog.Endian)
		}
		if !ok || (t.Kind != KindUint && t.Kind != KindInt) {
			c.errorf(typePos(d.Base), "the base of %s %s must be an integer type such as u8, u16 or b4", kind, d.Name.Name)
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
			c.errorf(a.Name.Pos, "unknown %s attribute %q; expected doc", kind, a.Name.Name)
		}
	}
	names := map[string]bool{}
	values := map[int64]string{}
	for _, m := range d.Members {
		article := "an "
		if d.Flags {
			article = "a "
		}
		v, ok := c.constInt(m.Value, article+kind+" value")
		if !ok {
			continue
		}
		if names[m.Name.Name] {
			c.errorf(m.Name.Pos, "%s %s has two members named %s", kind, d.Name.Name, m.Name.Name)
			continue
		}
		names[m.Name.Name] = true
		if prev, dup := values[v]; dup {
			c.errorf(exprPos(m.Value), "%s %s: %s has the same value %d as %s", kind, d.Name.Name, m.Name.Name, v, prev)
			continue
		}
		if !fits(v, base) {
			c.errorf(exprPos(m.Value), "%s %s: value %d of %s does not fit in %s", kind, d.Name.Name, v, m.Name.Name, base.Name)
		}
		if d.Flags && v == 0 {
			c.errorf(exprPos(m.Value), "flags %s: %s has mask 0, which names no bit", d.Name.Name, m.Name.Name)
		}
		values[v] = m.Name.Name
		label := m.Label
		if label == "" {
			label = m.Name.Name
		}
		for _, a := range m.Attrs {
			if a.Name.Name != "doc" {
				c.errorf(a.Name.Pos, "unknown %s member attribute %q; expected doc", kind, a.Name.Name)
			}
		}
		e.Members = append(e.Members, EnumMember{Name: m.Name.Name, Label: label, Value: v})
	}
	sort.Slice(e.Members, func(i, j int) bool { return e.Members[i].Value < e.Members[j].Value })
}

func fits(v int64, t *Type) bool {
	bits := uint(8 * t.Size)
	if t.Bits > 0 {
		bits = uint(t.Bits)
	}
	if bits >= 64 || bits == 0 {
		return true
	}
	if t.Kind == KindInt {
		return v >= -(1<<(bits-1)) && v < 1<<(bits-1)
	}
	return v >= 0 && v < 1<<bits
}

// builtinType resolves a built-in scalar type name: u16, s32le, f64, bool,
// a bit field b1..b64 (b3le reads the least significant bit first), or a
// varint encoding.
func builtinType(name string, def Endian) (*Type, bool) {
	if v, ok := varintNames[name]; ok {
		kind := KindUint
		if v == SLEB128 || v == Zigzag {
			kind = KindInt
		}
		return &Type{Kind: kind, Name: name, Size: 8, Varint: v}, true
	}
	endian := def
	base := name
	suffix := ""
	switch {
	case strings.HasSuffix(name, "le"):
		endian, base, suffix = LittleEndian, name[:len(name)-2], "le"
	case strings.HasSuffix(name, "be"):
		endian, base, suffix = BigEndian, name[:len(name)-2], "be"
	}
	if base == "bool" && suffix == "" {
		return &Type{Kind: KindBool, Name: name, Size: 1, Endian: endian}, true
	}
	if len(base) < 2 {
		return nil, false
	}
	bits, err := strconv.Atoi(base[1:])
	if err != nil || base[1] < '1' || base[1] > '9' {
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
	case 'b':
		if bits < 1 || bits > 64 {
			return nil, false
		}
		return &Type{Kind: KindUint, Name: name, Size: (bits + 7) / 8, Bits: bits, LSBFirst: suffix == "le"}, true
	}
	return nil, false
}

// Structures.

// structFields checks the members of a structure, once. A structure used
// as a field type is checked first, so that paths such as hdr.length into
// it resolve wherever it is declared.
func (c *checker) structFields(si *structInfo) {
	if si.done || si.busy {
		return
	}
	si.busy = true
	saved := c.src
	c.src = si.src
	defer func() { si.busy, si.done, c.src = false, true, saved }()
	d := si.decl
	s := si.s
	sc := &scope{fields: map[string]*Field{}, in: si}
	for _, prm := range d.Params {
		if _, dup := sc.fields[prm.Name.Name]; dup {
			c.errorf(prm.Name.Pos, "struct %s has two parameters named %s", d.Name.Name, prm.Name.Name)
			continue
		}
		t := c.typeOf(prm.Type, &scope{constant: true, what: "a parameter's type"}, 0)
		if t != nil && !isInteger(t) {
			c.errorf(typePos(prm.Type), "parameter %s must be an integer, enum or bool, not %s", prm.Name.Name, t.Name)
			t = nil
		}
		if t == nil {
			t = c.letType
		}
		f := &Field{Op: OpField, Name: prm.Name.Name, Slot: len(s.Params), Type: t}
		s.Params = append(s.Params, f)
		sc.fields[f.Name] = f
	}
	var summary, value *syntax.Attr
	for _, a := range d.Attrs {
		switch a.Name.Name {
		case "doc":
			s.Doc = c.attrString(a)
		case "summary":
			summary = a
		case "value":
			value = a
		default:
			c.errorf(a.Name.Pos, "unknown struct attribute %q; expected doc, summary or value", a.Name.Name)
		}
	}
	c.members(s, d.Fields, sc)
	if summary != nil {
		s.Summary = c.template(summary, s)
	}
	if value != nil {
		switch w := c.attrWord(value); {
		case w == "":
		case w != "summary":
			c.errorf(exprPos(value.Value), "value takes summary ([value = summary]), not %s", w)
		case summary == nil:
			c.errorf(value.Name.Pos, "[value = summary] needs a summary attribute on struct %s", s.Name)
		default:
			s.ValueIsSummary = true
		}
	}
}

var (
	fieldAttrs = "doc, ws, base, if, size, at, pad, range, checksum, blocks, decode, stream, join, first, last, seq, abort, limit, unit, scale, offset, time, format, hidden"
	letAttrs   = "doc, ws, base, if, unit, scale, offset, time, format, hidden"
)

// members checks the members of a structure in order. Each field may use
// the parameters and the fields before it.
func (c *checker) members(s *Struct, decls []*syntax.FieldDecl, sc *scope) {
	slot := len(s.Params)
	for _, fd := range decls {
		switch fd.Kind {
		case syntax.MemberField, syntax.MemberLet:
			if _, dup := sc.fields[fd.Name.Name]; dup {
				c.errorf(fd.Name.Pos, "struct %s has two fields named %s", s.Name, fd.Name.Name)
				continue
			}
			f := &Field{Name: fd.Name.Name, Slot: slot}
			slot++
			if fd.Kind == syntax.MemberLet {
				f.Op = OpLet
				f.Type = c.letType
				if fd.Type != nil {
					if t := c.typeOf(fd.Type, sc, 0); t != nil && t.Kind == KindBytes {
						f.Type = t
						if t.Mode != ArrayToEnd && (t.Mode != ArrayCount || t.Len == nil || t.Len.op != opConst) {
							c.errorf(typePos(fd.Type), "a bytes let is [N]byte, with a constant N, or []byte")
						}
						f.bytes = c.bytesValue(fd.Value, sc)
						f.Value = zero
						goto attrs
					} else if t != nil && isInteger(t) && t.Varint == NotVarint {
						lt := *t
						lt.Bits, lt.Size = 0, 8 // computed: no bytes behind it
						if t.Kind == KindInt {
							lt.Size = max(t.Size, 1)
						}
						f.Type = &lt
					} else if t != nil {
						c.errorf(typePos(fd.Type), "a let is an integer, an enum, a bool or bytes ([N]byte), not %s", t.Name)
					}
				}
				f.Value = c.expr(fd.Value, sc)
			} else {
				inner := *sc
				inner.hint = s.Name + "." + f.Name
				f.Type = c.typeOf(fd.Type, &inner, 0)
			}
		attrs:
			late := c.fieldAttrs(f, fd, sc)
			if f.Type == nil {
				f.Type = &Type{Kind: KindBytes, Name: "invalid", Mode: ArrayToEnd}
			}
			if fd.Const != nil {
				c.expected(f, fd.Const, sc)
			}
			sc.fields[f.Name] = f
			for _, a := range late {
				if a.Name.Name == "blocks" {
					c.blocksAttr(f, a)
					continue
				}
				c.checksumAttr(f, a, sc)
			}
			caseFields(f, f.Type)
			s.Fields = append(s.Fields, f)
		case syntax.MemberAssert:
			f := &Field{Op: OpAssert, Name: "assert", Slot: -1, Value: c.expr(fd.Value, sc), Message: fd.Message}
			if f.Message == "" {
				f.Message = exprString(fd.Value)
			}
			s.Fields = append(s.Fields, c.statementAttrs(f, fd, sc))
		case syntax.MemberAlign:
			s.Fields = append(s.Fields, c.statementAttrs(&Field{Op: OpAlign, Name: "align", Slot: -1, Value: c.expr(fd.Value, sc)}, fd, sc))
		case syntax.MemberSet:
			v, ok := c.states[fd.Name.Name]
			if !ok {
				c.errorf(fd.Name.Pos, "no state variable %s: declare it in a state block", fd.Name.Name)
				continue
			}
			s.Fields = append(s.Fields, c.statementAttrs(&Field{Op: OpSet, Name: fd.Name.Name, Slot: -1, StateVar: v.Index, Value: c.expr(fd.Value, sc)}, fd, sc))
		case syntax.MemberPair:
			role := PairRequest
			if fd.Role == "response" {
				role = PairResponse
			}
			s.Fields = append(s.Fields, c.statementAttrs(&Field{Op: OpPair, Name: "pair", Slot: -1, Role: role, Value: c.expr(fd.Value, sc)}, fd, sc))
		}
	}
	s.NumSlots = slot
}

// statementAttrs applies a statement's attributes: only if.
func (c *checker) statementAttrs(f *Field, fd *syntax.FieldDecl, sc *scope) *Field {
	for _, a := range fd.Attrs {
		if a.Name.Name != "if" || a.Value == nil {
			c.errorf(a.Name.Pos, "a statement takes one attribute: [if = EXPR]")
			continue
		}
		f.Cond = c.expr(a.Value, sc)
	}
	return f
}

// fieldAttrs applies a field's or let's attributes. It returns the
// checksum attributes, which are compiled once the field itself is in
// scope.
func (c *checker) fieldAttrs(f *Field, fd *syntax.FieldDecl, sc *scope) (late []*syntax.Attr) {
	isLet := fd.Kind == syntax.MemberLet
	var joinAttrs []*syntax.Attr
	defer func() { c.joinAttrs(f, fd, joinAttrs, sc) }()
	for _, a := range fd.Attrs {
		name := a.Name.Name
		if isLet && !strings.Contains(", "+letAttrs+",", ", "+name+",") {
			c.errorf(a.Name.Pos, "unknown let attribute %q; expected one of: %s", name, letAttrs)
			continue
		}
		if a.Value == nil && name == "hidden" {
			f.Hidden = true
			continue
		}
		if a.Value == nil {
			if name == "if" {
				c.errorf(a.Name.Pos, "if needs a condition: [if = EXPR]")
			} else {
				c.errorf(a.Name.Pos, "attribute %s needs a value: [%s = ...]", name, name)
			}
			continue
		}
		switch name {
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
			f.Cond = c.expr(a.Value, sc)
		case "size":
			f.Size = c.expr(a.Value, sc)
		case "at":
			f.At = c.expr(a.Value, sc)
		case "pad":
			if n, ok := c.constInt(a.Value, "pad"); ok {
				if n < 1 || n > 1<<16 {
					c.errorf(exprPos(a.Value), "pad %d is out of range 1..65536", n)
				} else {
					f.Pad = int(n)
				}
			}
		case "range":
			r, ok := a.Value.(*syntax.RangeExpr)
			if !ok {
				c.errorf(exprPos(a.Value), "range takes lo..hi, for example [range = 1..125]")
				continue
			}
			lo, ok1 := c.constInt(r.Lo, "a range bound")
			hi, ok2 := c.constInt(r.Hi, "a range bound")
			if ok1 && ok2 {
				if lo > hi {
					c.errorf(exprPos(a.Value), "empty range %d..%d", lo, hi)
				}
				f.Range = &[2]int64{lo, hi}
			}
		case "checksum", "blocks":
			late = append(late, a)
		case "decode", "stream", "join":
			name := c.attrString(a)
			if name != "" {
				if f.Layer != nil {
					c.errorf(a.Name.Pos, "a field hands its bytes to one protocol: only one of decode, stream and join can be given")
					continue
				}
				f.Layer = &Layer{Name: name, Field: f, Stream: a.Name.Name == "stream", Index: len(c.prog.Layers)}
				if a.Name.Name == "join" {
					f.Layer.Join = &Join{First: -1, Last: -1, Seq: -1, Abort: -1, Limit: DefaultJoinLimit}
				}
				c.prog.Layers = append(c.prog.Layers, f.Layer)
			}
		case "first", "last", "seq", "abort", "limit":
			joinAttrs = append(joinAttrs, a)
		case "unit":
			f.Unit = c.attrString(a)
		case "scale", "offset":
			v, ok := c.constFloat(a.Value, name)
			if !ok {
				continue
			}
			if name == "scale" {
				if v == 0 {
					c.errorf(exprPos(a.Value), "scale cannot be 0")
					continue
				}
				f.Scale = v
			} else {
				f.Offset = v
			}
			f.Scaled = true
		case "format":
			switch w := c.attrWord(a); w {
			case "ipv4":
				f.Format = IPv4
			case "ipv6":
				f.Format = IPv6
			case "mac":
				f.Format = MAC
			case "guid":
				f.Format = GUID
			case "dotted":
				f.Format = Dotted
			case "ipv4_prefix":
				f.Format = IPv4Prefix
			case "ipv6_prefix":
				f.Format = IPv6Prefix
			case "":
			default:
				c.errorf(exprPos(a.Value), "unknown format %q; expected ipv4, ipv6, mac, guid, dotted, ipv4_prefix or ipv6_prefix", w)
			}
		case "time":
			switch w := c.attrWord(a); w {
			case "unix":
				f.Time = UnixSec
			case "unix_ms":
				f.Time = UnixMs
			case "unix_us":
				f.Time = UnixUs
			case "unix_ns":
				f.Time = UnixNs
			case "ntp":
				f.Time = NTP64
			case "ntp32":
				f.Time = NTP32
			case "filetime":
				f.Time = FileTime
			case "":
			default:
				c.errorf(exprPos(a.Value), "unknown time format %q; expected unix, unix_ms, unix_us, unix_ns, ntp, ntp32 or filetime", w)
			}
		case "summary":
			// A structure written in place has no declaration to carry
			// its summary: the field gives it.
			if _, inline := fd.Type.(*syntax.StructType); !inline || isLet || f.Type == nil || f.Type.Kind != KindStruct {
				c.errorf(a.Name.Pos, "summary is an attribute of a struct: only a structure written in place (x struct { ... } [summary = \"...\"]) takes it on its field")
				break
			}
			f.Type.Struct.Summary = c.template(a, f.Type.Struct)
		default:
			list := fieldAttrs
			if isLet {
				list = letAttrs
			}
			c.errorf(a.Name.Pos, "unknown field attribute %q; expected one of: %s", name, list)
		}
	}
	if f.Scaled && f.Scale == 0 {
		f.Scale = 1
	}
	t := f.Type
	if t == nil {
		return late
	}
	numeric := t
	if t.Kind == KindArray {
		numeric = t.Elem // the hints apply to each element
	}
	if (f.Scaled || f.Time != NoTime || f.Unit != "") && !isInteger(numeric) && numeric.Kind != KindFloat {
		c.errorf(fd.Name.Pos, "unit, scale, offset and time apply to numbers; %s is %s", f.Name, t.Name)
	}
	if f.Format != NoFormat {
		want := map[AddrFormat]int{IPv4: 4, IPv6: 16, MAC: 6, GUID: 16}[f.Format]
		okInt := f.Format == IPv4 && isInteger(t) && (t.Size == 4 || f.Op == OpLet)
		if f.Format == Dotted && t.Kind != KindBytes {
			c.errorf(fd.Name.Pos, "format dotted shows bytes in dotted decimal; %s is %s", f.Name, t.Name)
		} else if (f.Format == IPv4Prefix || f.Format == IPv6Prefix) && t.Kind != KindBytes {
			c.errorf(fd.Name.Pos, "an address prefix format shows the leading bytes of an address; %s is %s, not bytes", f.Name, t.Name)
		} else if f.Format != Dotted && f.Format != IPv4Prefix && f.Format != IPv6Prefix && t.Kind != KindBytes && !okInt {
			c.errorf(fd.Name.Pos, "format shows %d bytes as an address; %s is %s", want, f.Name, t.Name)
		}
	}
	if f.Layer != nil && t.Kind != KindBytes {
		c.errorf(fd.Name.Pos, "decode, stream and join hand a byte string to another protocol; %s is %s, not [n]byte", f.Name, t.Name)
		f.Layer = nil
		c.prog.Layers = c.prog.Layers[:len(c.prog.Layers)-1]
	}
	if t.Bits > 0 && (f.At != nil || f.Size != nil || f.Pad > 0) {
		c.errorf(fd.Name.Pos, "a bit field cannot have at, size or pad")
	}
	return late
}

// checksumAttr compiles [checksum = algo(from, to)].
func (c *checker) checksumAttr(f *Field, a *syntax.Attr, sc *scope) {
	call, ok := a.Value.(*syntax.CallExpr)
	names := make([]string, 0, len(checksumNames))
	for n := range checksumNames {
		names = append(names, n)
	}
	sort.Strings(names)
	if !ok || len(call.Args) != 2 {
		c.errorf(exprPos(a.Value), "checksum takes ALGORITHM(FROM, TO), byte offsets in the region; algorithms: %s", strings.Join(names, ", "))
		return
	}
	algo, ok := checksumNames[call.Fun.Name]
	if !ok {
		c.errorf(call.Fun.Pos, "unknown checksum %s; expected one of: %s", call.Fun.Name, strings.Join(names, ", "))
		return
	}
	if !isInteger(f.Type) {
		c.errorf(call.Fun.Pos, "a checksum field must be an integer; %s is %s", f.Name, f.Type.Name)
		return
	}
	f.Check = &Checksum{Algo: algo, From: c.expr(call.Args[0], sc), To: c.expr(call.Args[1], sc)}
}

// expected compiles a field's `= value`.
func (c *checker) expected(f *Field, e syntax.Expr, sc *scope) {
	f.ExpectSrc = exprString(e)
	switch f.Type.Kind {
	case KindUint, KindInt, KindBool:
		if n, ok := e.(*syntax.NameExpr); ok && f.Type.Enum != nil {
			if _, isField := sc.fields[n.Name]; !isField {
				for _, m := range f.Type.Enum.Members {
					if m.Name == n.Name {
						f.Expect = &Expr{op: opConst, val: m.Value}
						return
					}
				}
			}
		}
		f.Expect = c.expr(e, sc)
	case KindBytes, KindString:
		s, ok := e.(*syntax.StringLit)
		if !ok {
			c.errorf(exprPos(e), "the expected value of %s must be a string such as \"RIFF\" or \"\\x00\\x01\"", f.Name)
			return
		}
		f.ExpectRaw = []byte(s.Value)
	default:
		c.errorf(exprPos(e), "only integer, byte and string fields can have an expected value (= ...); %s is %s", f.Name, f.Type.Name)
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

// constFloat evaluates a constant number that may have a fraction.
func (c *checker) constFloat(e syntax.Expr, what string) (float64, bool) {
	neg := false
	if u, ok := e.(*syntax.UnaryExpr); ok && (u.Op == syntax.TokMinus || u.Op == syntax.TokPlus) {
		neg, e = u.Op == syntax.TokMinus, u.X
	}
	var v float64
	switch x := e.(type) {
	case *syntax.FloatLit:
		v = x.Value
	case *syntax.IntLit:
		v = float64(x.Value)
	default:
		c.errorf(exprPos(e), "%s takes a number such as 0.1 or -40", what)
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// Types.

// typeOf resolves a field's type.
func (c *checker) typeOf(t syntax.TypeExpr, sc *scope, depth int) *Type {
	switch t := t.(type) {
	case *syntax.NamedType:
		return c.namedType(t, sc)
	case *syntax.ArrayType:
		return c.arrayType(t, sc, depth)
	case *syntax.SwitchType:
		return c.switchType(t, sc, depth)
	case *syntax.StructType:
		name := sc.hint
		if name == "" {
			name = "struct"
		}
		st := &Struct{Name: name}
		st.Type = &Type{Kind: KindStruct, Name: name, Struct: st}
		si := &structInfo{src: c.src, s: st, used: true, busy: true}
		c.infos[st] = si
		c.addUser(si, sc)
		inner := &scope{fields: map[string]*Field{}, in: si}
		c.members(st, t.Fields, inner)
		si.busy, si.done = false, true
		return st.Type
	}
	return nil
}

func (c *checker) addUser(si *structInfo, sc *scope) {
	if sc.in == nil {
		return
	}
	for _, u := range si.users {
		if u == sc.in.s {
			return
		}
	}
	si.users = append(si.users, sc.in.s)
}

func (c *checker) namedType(t *syntax.NamedType, sc *scope) *Type {
	name := t.Name.Name
	if name == "" {
		return nil
	}
	if p, ok := builtinType(name, c.prog.Endian); ok {
		if t.HasArgs {
			c.errorf(t.Name.Pos, "%s takes no arguments", name)
		}
		return p
	}
	if ei, ok := c.enums[name]; ok {
		c.enum(ei)
		ei.used = true
		if t.HasArgs {
			c.errorf(t.Name.Pos, "enum %s takes no arguments", name)
		}
		base := *ei.base
		base.Name = name
		base.Enum = ei.e
		return &base
	}
	if si, ok := c.structs[name]; ok {
		si.used = true
		c.addUser(si, sc)
		c.structFields(si)
		want := len(si.decl.Params)
		if len(t.Args) != want {
			switch {
			case want == 0:
				c.errorf(t.Name.Pos, "struct %s takes no arguments", name)
			default:
				c.errorf(t.Name.Pos, "struct %s takes %d argument(s), got %d", name, want, len(t.Args))
			}
			return si.s.Type
		}
		if want == 0 {
			return si.s.Type
		}
		typ := &Type{Kind: KindStruct, Name: name, Struct: si.s}
		for _, a := range t.Args {
			typ.Args = append(typ.Args, c.expr(a, sc))
		}
		return typ
	}
	switch {
	case name == "byte" || name == "bytes":
		c.errorf(t.Name.Pos, "%s needs a size: write [N]byte, []byte for the rest of the region, or [until 0]byte", name)
	case encodingNames[name] != 0 || name == "ascii":
		c.errorf(t.Name.Pos, "text needs a size: write [N]%s, []%s, or [until 0]%s", name, name, name)
	case name == "string":
		c.errorf(t.Name.Pos, "unknown type string: text is written with its encoding, such as [N]utf8 or [until 0]ascii")
	default:
		c.errorf(t.Name.Pos, "unknown type %s", name)
	}
	return nil
}

func (c *checker) arrayType(t *syntax.ArrayType, sc *scope, depth int) *Type {
	elemName := ""
	if nt, ok := t.Elem.(*syntax.NamedType); ok && !nt.HasArgs {
		elemName = nt.Name.Name
	}
	enc, isText := encodingNames[elemName]
	if elemName == "ascii" {
		isText = true
	}
	if elemName == "byte" || elemName == "bytes" || isText {
		typ := &Type{Kind: KindBytes, Name: "[]byte", Mode: ArrayMode(t.Mode)}
		if isText {
			typ.Kind, typ.Name, typ.Encoding = KindString, elemName, enc
		}
		switch t.Mode {
		case syntax.ArrayCount:
			typ.Len = c.expr(t.Len, sc)
		case syntax.ArrayUntil:
			typ.Term, _ = c.byteString(t.Len, "the terminator")
		case syntax.ArrayWhile:
			c.errorf(t.Pos, "[while ...] is for arrays of elements; bytes and text take [N], [] or [until TERMINATOR]")
		}
		return typ
	}
	elem := c.typeOf(t.Elem, sc, depth+1)
	if elem == nil {
		return nil
	}
	if elem.Bits > 0 {
		c.errorf(typePos(t.Elem), "an array of bit fields is not supported: put the bits in a struct")
		return nil
	}
	typ := &Type{Kind: KindArray, Name: "[]" + elem.Name, Mode: ArrayMode(t.Mode), Elem: elem}
	switch t.Mode {
	case syntax.ArrayCount:
		typ.Len = c.expr(t.Len, sc)
	case syntax.ArrayUntil, syntax.ArrayWhile:
		cond := *sc
		cond.last = elem
		typ.Len = c.expr(t.Len, &cond)
	}
	return typ
}

func (c *checker) switchType(t *syntax.SwitchType, sc *scope, depth int) *Type {
	if tf := sc.lookupPath(t.Tag); tf != nil && tf.Type != nil && (tf.Type.Kind == KindBytes || tf.Type.Kind == KindString) {
		return c.textSwitch(t, sc, depth)
	}
	sw := &Switch{Tag: c.expr(t.Tag, sc)}
	tagEnum := sc.enumOf(t.Tag)
	var seen []covered
	arm := func(te syntax.TypeExpr) *Type {
		at := c.typeOf(te, sc, depth+1)
		if at != nil && at.Bits > 0 {
			c.errorf(typePos(te), "a switch case cannot be a bit field: put the bits in a struct")
			return nil
		}
		return at
	}
	for _, cs := range t.Cases {
		ct := arm(cs.Type)
		ws := c.caseAttrs(cs.Attrs)
		for _, l := range cs.Labels {
			lo, hi, ok := c.caseLabel(l, tagEnum)
			if !ok {
				continue
			}
			if lo > hi {
				c.errorf(exprPos(l), "empty range %d..%d", lo, hi)
				continue
			}
			if by := coveredBy(seen, lo, hi); by != nil {
				c.warnf(exprPos(l), "case is unreachable: already matched by the case at %s", c.src.Position(by.pos))
			} else if unreachable(seen, lo, hi) {
				c.warnf(exprPos(l), "case is unreachable: earlier cases already match every value in it")
			}
			seen = append(seen, covered{lo, hi, exprPos(l)})
			if ct != nil {
				sw.Cases = append(sw.Cases, SwitchCase{Lo: lo, Hi: hi, Type: ct, Wireshark: ws})
			}
		}
	}
	if t.Default != nil {
		sw.Default = arm(t.Default)
		sw.DefaultWireshark = c.caseAttrs(t.DefAttrs)
	}
	sw.buildTable()
	return &Type{Kind: KindSwitch, Name: "switch", Switch: sw}
}

// textSwitch checks a switch on a text or bytes field: its case labels are
// strings, compared byte for byte with the field's content.
func (c *checker) textSwitch(t *syntax.SwitchType, sc *scope, depth int) *Type {
	path, tt, ok := c.textRef(t.Tag, sc)
	sw := &Switch{Tag: zero}
	if ok {
		sw.Tag = &Expr{op: opTextEq, path: path}
	}
	seen := map[string]syntax.Pos{}
	for _, cs := range t.Cases {
		ct := c.typeOf(cs.Type, sc, depth+1)
		if ct != nil && ct.Bits > 0 {
			c.errorf(typePos(cs.Type), "a switch case cannot be a bit field: put the bits in a struct")
			ct = nil
		}
		ws := c.caseAttrs(cs.Attrs)
		for _, l := range cs.Labels {
			s, isStr := l.(*syntax.StringLit)
			if !isStr {
				c.errorf(exprPos(l), "the switch is on text: its case labels are strings, such as \"READY\"")
				continue
			}
			if !ok {
				continue
			}
			want, good := c.encodeText(s, tt)
			if !good {
				continue
			}
			if at, dup := seen[string(want)]; dup {
				c.warnf(s.Pos, "case is unreachable: already matched by the case at %s", c.src.Position(at))
				continue
			}
			seen[string(want)] = s.Pos
			if ct != nil {
				sw.Cases = append(sw.Cases, SwitchCase{Type: ct, Wireshark: ws, Text: want})
			}
		}
	}
	if t.Default != nil {
		sw.Default = c.typeOf(t.Default, sc, depth+1)
		if sw.Default != nil && sw.Default.Bits > 0 {
			c.errorf(typePos(t.Default), "a switch case cannot be a bit field: put the bits in a struct")
			sw.Default = nil
		}
		sw.DefaultWireshark = c.caseAttrs(t.DefAttrs)
	}
	sw.TextTag = true
	return &Type{Kind: KindSwitch, Name: "switch", Switch: sw}
}

// caseAttrs checks a switch case's attributes, [ws = "..."] only, and
// returns the Wireshark name.
func (c *checker) caseAttrs(attrs []*syntax.Attr) string {
	ws := ""
	for _, a := range attrs {
		if (a.Name.Name != "ws" && a.Name.Name != "wireshark") || a.Value == nil {
			c.errorf(a.Name.Pos, "a switch case takes one attribute: [ws = \"NAME\"], the Wireshark name of the field when the case is chosen")
			continue
		}
		ws = c.attrString(a)
	}
	return ws
}

// caseFields gives each switch case of f's type that has a ws name of its
// own a copy of f under that name: the nodes of that case carry it, so
// that one field maps to a Wireshark name per case.
func caseFields(f *Field, t *Type) {
	if t == nil {
		return
	}
	if t.Kind == KindArray {
		caseFields(f, t.Elem)
		return
	}
	if t.Kind != KindSwitch || t.Switch == nil {
		return
	}
	named := func(ws string) *Field {
		cf := *f
		cf.Wireshark = ws
		return &cf
	}
	sw := t.Switch
	for i := range sw.Cases {
		if sw.Cases[i].Wireshark != "" && sw.Cases[i].Field == nil {
			sw.Cases[i].Field = named(sw.Cases[i].Wireshark)
		}
		caseFields(f, sw.Cases[i].Type)
	}
	if sw.DefaultWireshark != "" && sw.DefaultField == nil {
		sw.DefaultField = named(sw.DefaultWireshark)
	}
	caseFields(f, sw.Default)
}

// covered is a range of values a switch case matches.
type covered struct {
	lo, hi int64
	pos    syntax.Pos
}

// coveredBy returns the earlier case that alone matches every value of
// lo..hi, if there is one.
func coveredBy(seen []covered, lo, hi int64) *covered {
	for i := range seen {
		if seen[i].lo <= lo && seen[i].hi >= hi {
			return &seen[i]
		}
	}
	return nil
}

// unreachable reports whether the ranges seen cover every value of lo..hi.
func unreachable(seen []covered, lo, hi int64) bool {
	next := lo
	for progress := true; progress && next <= hi; {
		progress = false
		for _, s := range seen {
			if s.lo <= next && s.hi >= next {
				if s.hi >= hi {
					return true
				}
				next, progress = s.hi+1, true
			}
		}
	}
	return next > hi
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
	v, err := x.eval(&evalEnv{last: -1})
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
		optional := strings.HasSuffix(ref, "?")
		ref = strings.TrimSuffix(ref, "?")
		join := strings.HasSuffix(ref, "*")
		ref = strings.TrimSuffix(ref, "*")
		ref, style, sep, ok := c.templateStyle(a, ref)
		if !ok {
			return nil
		}
		path, elem, ok := c.resolvePath(s, ref)
		if !ok {
			c.errorf(exprPos(a.Value), "summary: {%s} does not name a field of %s", ref, s.Name)
		}
		if elem != nil && style != StyleJoin {
			c.errorf(exprPos(a.Value), "summary: {%s} goes into the elements of an array: only join(SEP) shows them", ref)
		}
		if lit.Len() > 0 {
			t.Parts = append(t.Parts, TemplatePart{Text: lit.String()})
			lit.Reset()
		}
		t.Parts = append(t.Parts, TemplatePart{Text: ref, Path: path, Elem: elem, Optional: optional, Style: style, Sep: sep, Join: join})
		i += end
	}
	if lit.Len() > 0 {
		t.Parts = append(t.Parts, TemplatePart{Text: lit.String()})
	}
	return t
}

// resolvePath turns "a.b.c" into slots through nested structures. Past an
// array of structures the rest of the path is elem, the path inside each
// element ({attributes.value:join( )}).
func (c *checker) resolvePath(s *Struct, ref string) (path, elem []int, ok bool) {
	inElem := false
	for _, part := range strings.Split(ref, ".") {
		if s == nil {
			return nil, nil, false
		}
		var found *Field
		for _, f := range s.Fields {
			if f.Name == part && f.Slot >= 0 {
				found = f
			}
		}
		if found == nil {
			return nil, nil, false
		}
		if inElem {
			elem = append(elem, found.Slot)
		} else {
			path = append(path, found.Slot)
		}
		s = nil
		t := found.Type
		if t != nil && t.Kind == KindArray && !inElem && t.Elem != nil && t.Elem.Kind == KindStruct {
			inElem, t = true, t.Elem
			elem = []int{}
		}
		if t != nil && t.Kind == KindStruct {
			if si, ok := c.structs[t.Struct.Name]; ok {
				c.structFields(si)
			}
			s = t.Struct
		}
	}
	if len(elem) == 0 {
		elem = nil // the array itself
	}
	return path, elem, true
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
	case *syntax.FloatLit:
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

// joinAttrs applies the attributes of a [join = "name"] field: first,
// last, seq and abort name integer or bool fields declared before it in
// the same structure; limit bounds a joined message. last is required.
func (c *checker) joinAttrs(f *Field, fd *syntax.FieldDecl, attrs []*syntax.Attr, sc *scope) {
	j := (*Join)(nil)
	if f.Layer != nil {
		j = f.Layer.Join
	}
	for _, a := range attrs {
		name := a.Name.Name
		if j == nil {
			c.errorf(a.Name.Pos, "%s applies to a field with [join = \"name\"]", name)
			continue
		}
		if name == "limit" {
			if v, ok := c.constInt(a.Value, "limit"); ok {
				if v < 1 || v > 1<<30 {
					c.errorf(exprPos(a.Value), "limit must be from 1 to %d bytes, not %d", 1<<30, v)
					continue
				}
				j.Limit = int(v)
			}
			continue
		}
		ref, ok := a.Value.(*syntax.NameExpr)
		if !ok {
			c.errorf(exprPos(a.Value), "%s names a field declared before %s in the same struct, for example [%s = fin]", name, f.Name, name)
			continue
		}
		g, ok := sc.fields[ref.Name]
		switch {
		case !ok:
			c.errorf(ref.Pos, "unknown field %s: %s names a field declared before %s in the same struct", ref.Name, name, f.Name)
			continue
		case g.Slot < sc.params():
			c.errorf(ref.Pos, "%s is a parameter: %s names a field of the struct", ref.Name, name)
			continue
		case g.Type == nil || !isInteger(g.Type) || g.Type.Kind == KindArray:
			c.errorf(ref.Pos, "%s names an integer or bool field; %s is not one", name, ref.Name)
			continue
		}
		switch name {
		case "first":
			j.First = g.Slot
		case "last":
			j.Last = g.Slot
		case "seq":
			j.Seq = g.Slot
			if g.Type.Bits > 0 {
				j.SeqBits = int(g.Type.Bits)
			} else if g.Op != OpLet && g.Type.Size < 8 {
				j.SeqBits = 8 * g.Type.Size
			}
		case "abort":
			j.Abort = g.Slot
		}
	}
	if j != nil && j.Last < 0 {
		c.errorf(fd.Name.Pos, "field %s joins pieces into messages: [last = FIELD] must say which piece ends a message", f.Name)
	}
}
