package syntax

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// The dump functions print an AST compactly, so that tests can compare
// its shape as a string.

func dumpFile(f *File) string {
	var parts []string
	for _, d := range f.Decls {
		parts = append(parts, dumpDecl(d))
	}
	return strings.Join(parts, "\n")
}

func dumpDecl(d Decl) string {
	switch d := d.(type) {
	case *ProtocolDecl:
		return "protocol " + d.Name.Name + " {" + dumpProps(d.Props) + "}"
	case *FramingDecl:
		return "framing {" + dumpProps(d.Props) + "}"
	case *EnumDecl:
		s := "enum " + d.Name.Name
		if d.Base != nil {
			s += " : " + dumpType(d.Base)
		}
		s += dumpAttrs(d.Attrs) + " {"
		var ms []string
		for _, m := range d.Members {
			ms = append(ms, fmt.Sprintf("%s = %s %q%s", m.Name.Name, dumpExpr(m.Value), m.Label, dumpAttrs(m.Attrs)))
		}
		return s + strings.Join(ms, "; ") + "}"
	case *StructDecl:
		s := "struct " + d.Name.Name + dumpAttrs(d.Attrs) + " {"
		var fs []string
		for _, f := range d.Fields {
			fs = append(fs, dumpField(f))
		}
		return s + strings.Join(fs, "; ") + "}"
	}
	return fmt.Sprintf("?%T", d)
}

func dumpField(f *FieldDecl) string {
	s := f.Name.Name + " " + dumpType(f.Type)
	if f.Const != nil {
		s += " = " + dumpExpr(f.Const)
	}
	return s + dumpAttrs(f.Attrs)
}

func dumpProps(props []*Property) string {
	var ps []string
	for _, p := range props {
		var vs []string
		for _, v := range p.Values {
			vs = append(vs, dumpExpr(v))
		}
		ps = append(ps, p.Name.Name+"("+strings.Join(vs, ", ")+")")
	}
	return strings.Join(ps, "; ")
}

func dumpAttrs(attrs []*Attr) string {
	if attrs == nil {
		return ""
	}
	var as []string
	for _, a := range attrs {
		if a.Value == nil {
			as = append(as, a.Name.Name)
		} else {
			as = append(as, a.Name.Name+"="+dumpExpr(a.Value))
		}
	}
	return " [" + strings.Join(as, ", ") + "]"
}

func dumpType(t TypeExpr) string {
	switch t := t.(type) {
	case *NamedType:
		return t.Name.Name
	case *ArrayType:
		if t.Len == nil {
			return "[]" + dumpType(t.Elem)
		}
		return "[" + dumpExpr(t.Len) + "]" + dumpType(t.Elem)
	case *SwitchType:
		s := "switch " + dumpExpr(t.Tag) + " {"
		var cs []string
		for _, c := range t.Cases {
			var ls []string
			for _, l := range c.Labels {
				ls = append(ls, dumpExpr(l))
			}
			cs = append(cs, "case "+strings.Join(ls, ", ")+": "+dumpType(c.Type))
		}
		if t.Default != nil {
			cs = append(cs, "default: "+dumpType(t.Default))
		}
		return s + strings.Join(cs, "; ") + "}"
	}
	return fmt.Sprintf("?%T", t)
}

func dumpExpr(e Expr) string {
	switch e := e.(type) {
	case *IntLit:
		return e.Text
	case *StringLit:
		return fmt.Sprintf("%q", e.Value)
	case *NameExpr:
		return e.Name
	case *SelectorExpr:
		return "(. " + dumpExpr(e.X) + " " + e.Sel.Name + ")"
	case *UnaryExpr:
		return "(" + strings.Trim(e.Op.String(), "'") + " " + dumpExpr(e.X) + ")"
	case *BinaryExpr:
		return "(" + strings.Trim(e.Op.String(), "'") + " " + dumpExpr(e.X) + " " + dumpExpr(e.Y) + ")"
	case *CondExpr:
		return "(? " + dumpExpr(e.Cond) + " " + dumpExpr(e.Then) + " " + dumpExpr(e.Else) + ")"
	case *CallExpr:
		var as []string
		for _, a := range e.Args {
			as = append(as, dumpExpr(a))
		}
		return "(" + e.Fun.Name + " " + strings.Join(as, " ") + ")"
	case *RangeExpr:
		return "(.. " + dumpExpr(e.Lo) + " " + dumpExpr(e.Hi) + ")"
	case nil:
		return "<nil>"
	}
	return fmt.Sprintf("?%T", e)
}

// parseString parses src and fails the test if parsing takes too long or
// panics.
func parseString(t *testing.T, src string) (*File, ErrorList) {
	t.Helper()
	type result struct {
		f    *File
		errs ErrorList
		p    any
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			r.p = recover()
			done <- r
		}()
		r.f, r.errs = Parse(NewSource("p.dsl", []byte(src)))
	}()
	select {
	case r := <-done:
		if r.p != nil {
			t.Fatalf("Parse panicked: %v", r.p)
		}
		return r.f, r.errs
	case <-time.After(10 * time.Second):
		t.Fatalf("Parse does not return")
	}
	return nil, nil
}

func errStrings(errs ErrorList) []string {
	var out []string
	for _, e := range errs {
		out = append(out, fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Col, e.Msg))
	}
	return out
}

func TestParseDecls(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty", "", ""},
		{"comments only", "// nothing\n/* here */\n", ""},
		{"protocol", `protocol modbus {
			title "Modbus/TCP"
			transport tcp
			ports 502, 503
			endian big; wireshark "mbtcp"
			request Request
			response Response
		}`, `protocol modbus {title("Modbus/TCP"); transport(tcp); ports(502, 503); endian(big); wireshark("mbtcp"); request(Request); response(Response)}`},
		{"protocol on one line", `protocol p { message M }`, `protocol p {message(M)}`},
		{"empty protocol", "protocol p {}", "protocol p {}"},
		{"property without value", "protocol p { ports\n }", "protocol p {ports()}"},
		{"framing", "framing {\n size u16(4) + 6\n min 8; max 0x104 }",
			"framing {size((+ (u16 4) 6)); min(8); max(0x104)}"},
		{"framing with call of two args", "framing { size f(1, 2 * 3) }", "framing {size((f 1 (* 2 3)))}"},
		{"enum", `enum FC : u8 [doc = "codes"] {
			read = 1 "Read"
			write = 0x2
			neg = -1 "Neg" [doc = "x"]
		}`, `enum FC : u8 [doc="codes"] {read = 1 "Read"; write = 0x2 ""; neg = (- 1) "Neg" [doc="x"]}`},
		{"enum without base", "enum E { a = 1 }", `enum E {a = 1 ""}`},
		{"enum with expression values", "enum E { a = 1 << 3; b = E.a + 1 }", `enum E {a = (<< 1 3) ""; b = (+ (. E a) 1) ""}`},
		{"struct", `struct S [summary = "x {a}", doc = "d"] {
			a u8
			b u16le = 0 [ws = "p.b", base = hex]
			c [4]byte
			d []u16
			e [a * 2][3]s8
			f Other [if = a != 0, doc = "opt"]
			g bool [flag]
		}`, `struct S [summary="x {a}", doc="d"] {a u8; b u16le = 0 [ws="p.b", base=hex]; c [4]byte; d []u16; e [(* a 2)][3]s8; f Other [if=(!= a 0), doc="opt"]; g bool [flag]}`},
		{"empty struct", "struct E {}", "struct E {}"},
		{"struct with empty attrs", "struct E [] { a u8 [] }", "struct E {a u8}"},
		{"struct fields with semicolons", "struct E { a u8; b u8; }", "struct E {a u8; b u8}"},
		{"switch", `struct S {
			tag u8
			body switch tag {
				case 1, 2: A
				case 3..5, Kind.x: B
				case x: [tag]byte
				default: []byte
			}
		}`, `struct S {tag u8; body switch tag {case 1, 2: A; case (.. 3 5), (. Kind x): B; case x: [tag]byte; default: []byte}}`},
		{"switch on one line", "struct S { b switch t { case 1: A; default: B } }",
			"struct S {b switch t {case 1: A; default: B}}"},
		{"switch cases on following lines", "struct S { b switch t {\ncase 1:\n A\ndefault:\nB\n} }",
			"struct S {b switch t {case 1: A; default: B}}"},
		{"nested switch", "struct S { b switch t { case 1: switch u { case 2: C } } }",
			"struct S {b switch t {case 1: switch u {case 2: C}}}"},
		{"switch on expression", "struct S { b switch a.b & 0x80 { default: C } }",
			"struct S {b switch (& (. a b) 0x80) {default: C}}"},
		{"several decls", "protocol p { message M }\nframing { size 4 }\nenum E { a = 1 }\nstruct M { a E }",
			"protocol p {message(M)}\nframing {size(4)}\nenum E {a = 1 \"\"}\nstruct M {a E}"},
		{"stray semicolons", ";;\n; struct A {};;", "struct A {}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, errs := parseString(t, tt.src)
			if len(errs) != 0 {
				t.Fatalf("errors:\n%v", errs)
			}
			if got := dumpFile(f); got != tt.want {
				t.Errorf("AST\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

func TestParseExprs(t *testing.T) {
	tests := []struct{ src, want string }{
		{"1", "1"},
		{"0x10", "0x10"},
		{"a", "a"},
		{`"s"`, `"s"`},
		{"a.b.c", "(. (. a b) c)"},
		{"(a)", "a"},
		{"(a).b", "(. a b)"},
		{"f()", "(f )"},
		{"f(1)", "(f 1)"},
		{"f(1, 2,)", "(f 1 2)"},
		{"f(1).x", "(. (f 1) x)"},
		{"-a", "(- a)"},
		{"+a", "(+ a)"},
		{"!a", "(! a)"},
		{"~a", "(~ a)"},
		{"--a", "(- (- a))"},
		{"!-~a", "(! (- (~ a)))"},
		{"-a.b", "(- (. a b))"},
		{"1 + 2 * 3", "(+ 1 (* 2 3))"},
		{"1 * 2 + 3", "(+ (* 1 2) 3)"},
		{"1 - 2 - 3", "(- (- 1 2) 3)"},
		{"1 / 2 % 3", "(% (/ 1 2) 3)"},
		{"(1 + 2) * 3", "(* (+ 1 2) 3)"},
		{"a << 2 + 1", "(+ (<< a 2) 1)"},
		{"a >> 1 & 3", "(& (>> a 1) 3)"},
		{"a & b | c ^ d", "(^ (| (& a b) c) d)"},
		{"a | b == c", "(== (| a b) c)"},
		{"a < b && c >= d", "(&& (< a b) (>= c d))"},
		{"a <= b || c > d && e != f", "(|| (<= a b) (&& (> c d) (!= e f)))"},
		{"a || b || c", "(|| (|| a b) c)"},
		{"a == b == c", "(== (== a b) c)"},
		{"a ? b : c", "(? a b c)"},
		{"a ? b : c ? d : e", "(? a b (? c d e))"},
		{"a ? b ? c : d : e", "(? a (? b c d) e)"},
		{"a || b ? c + 1 : d", "(? (|| a b) (+ c 1) d)"},
		{"-1 * -2", "(* (- 1) (- 2))"},
		{"E.member == 3", "(== (. E member) 3)"},
	}
	for _, tt := range tests {
		f, errs := parseString(t, "struct S { a u8 = "+tt.src+" }")
		if len(errs) != 0 {
			t.Errorf("%s: errors:\n%v", tt.src, errs)
			continue
		}
		got := dumpExpr(f.Decls[0].(*StructDecl).Fields[0].Const)
		if got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.src, got, tt.want)
		}
	}
}

func TestParsePositions(t *testing.T) {
	src := "protocol p {\n  ports 1\n}\nframing { size 2 }\nenum E : u16 {\n  a = 1\n}\n" +
		"struct S {\n  x [2]u8 = 3 + a.b\n  y switch x {\n    case 1..2: A\n    default: B\n  }\n  z\tT\n}\n"
	f, errs := parseString(t, src)
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	pos := func(p Pos) string { s := f.Src.Position(p); return fmt.Sprintf("%d:%d", s.Line, s.Col) }
	proto := f.Decls[0].(*ProtocolDecl)
	framing := f.Decls[1].(*FramingDecl)
	enum := f.Decls[2].(*EnumDecl)
	st := f.Decls[3].(*StructDecl)
	x, y := st.Fields[0], st.Fields[1]
	arr := x.Type.(*ArrayType)
	bin := x.Const.(*BinaryExpr)
	sel := bin.Y.(*SelectorExpr)
	sw := y.Type.(*SwitchType)
	z := st.Fields[2]
	zt := z.Type.(*NamedType)
	checks := []struct {
		what string
		got  string
		want string
	}{
		{"protocol", pos(proto.Pos), "1:1"},
		{"protocol name", pos(proto.Name.Pos), "1:10"},
		{"property", pos(proto.Props[0].Name.Pos), "2:3"},
		{"property value", pos(proto.Props[0].Values[0].exprPos()), "2:9"},
		{"framing", pos(framing.Pos), "4:1"},
		{"enum", pos(enum.Pos), "5:1"},
		{"enum name", pos(enum.Name.Pos), "5:6"},
		{"enum base", pos(enum.Base.typePos()), "5:10"},
		{"enum member", pos(enum.Members[0].Name.Pos), "6:3"},
		{"enum value", pos(enum.Members[0].Value.exprPos()), "6:7"},
		{"struct", pos(st.Pos), "8:1"},
		{"field", pos(x.Name.Pos), "9:3"},
		{"array", pos(arr.Pos), "9:5"},
		{"array elem", pos(arr.Elem.typePos()), "9:8"},
		{"binary", pos(bin.exprPos()), "9:13"},
		{"binary op", pos(bin.OpPos), "9:15"},
		{"selector", pos(sel.exprPos()), "9:17"},
		{"selector sel", pos(sel.Sel.Pos), "9:19"},
		{"switch", pos(sw.Pos), "10:5"},
		{"case", pos(sw.Cases[0].Pos), "11:5"},
		{"range", pos(sw.Cases[0].Labels[0].exprPos()), "11:10"},
		{"default", pos(sw.DefPos), "12:5"},
		{"named type", pos(zt.typePos()), "14:5"},
		{"named type ident", pos(zt.Name.Pos), "14:5"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s at %s, want %s", c.what, c.got, c.want)
		}
	}
	// No default: DefPos is NoPos.
	f2, _ := parseString(t, "struct S { y switch x { case 1: A } }")
	if sw := f2.Decls[0].(*StructDecl).Fields[0].Type.(*SwitchType); sw.DefPos != NoPos || sw.Default != nil {
		t.Errorf("switch without default: DefPos %d, Default %v", sw.DefPos, sw.Default)
	}
	// Remaining node kinds.
	f3, _ := parseString(t, `struct S { a u8 = !c ? "s" : g(1) }`)
	cond := f3.Decls[0].(*StructDecl).Fields[0].Const.(*CondExpr)
	for _, c := range []struct {
		e    Expr
		want string
	}{{cond, "1:19"}, {cond.Cond, "1:19"}, {cond.Then, "1:24"}, {cond.Else, "1:30"}} {
		p := f3.Src.Position(c.e.exprPos())
		if got := fmt.Sprintf("%d:%d", p.Line, p.Col); got != c.want {
			t.Errorf("%T at %s, want %s", c.e, got, c.want)
		}
	}
	for _, d := range f.Decls {
		if p := f.Src.Position(d.declPos()); p.Col != 1 {
			t.Errorf("%T at column %d", d, p.Col)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		errs []string
		ast  string // the partial AST, "" to skip the check
	}{
		{"stray name at top level", "hello world\nstruct A {}",
			[]string{"1:1: expected a declaration (protocol, framing, heuristic, enum, flags, struct, state or import), found 'hello'"},
			"struct A {}"},
		{"stray number at top level", "42\nstruct A {}",
			[]string{"1:1: expected a declaration (protocol, framing, heuristic, enum, flags, struct, state or import), found number 42"},
			"struct A {}"},
		{"stray brace at top level", "}\nstruct A {}",
			[]string{"1:1: expected a declaration (protocol, framing, heuristic, enum, flags, struct, state or import), found '}'"},
			"struct A {}"},
		{"stray operator at top level", "+ - * x\nstruct A {}",
			[]string{"1:1: expected a declaration (protocol, framing, heuristic, enum, flags, struct, state or import), found '+'"},
			"struct A {}"},
		{"stray block at top level", "{ a { b } }\nstruct A {}",
			[]string{"1:1: expected a declaration (protocol, framing, heuristic, enum, flags, struct, state or import), found '{'"},
			"struct A {}"},
		{"protocol without name", "protocol { message M }",
			[]string{"1:10: expected a name after 'protocol', found '{'"},
			"protocol  {message(M)}"},
		{"protocol without brace", "protocol p message M }",
			[]string{"1:12: expected '{' to open the protocol block, found 'message'"},
			"protocol p {message(M)}"},
		{"protocol not closed", "protocol p { message M",
			[]string{"1:23: expected '}' to close the protocol block, found end of file"},
			"protocol p {message(M)}"},
		{"keyword as name", "struct struct { a u8 }",
			[]string{`1:8: "struct" is a keyword and cannot be used as a name`},
			"struct struct {a u8}"},
		{"keyword as field name", "struct A { case u8 }",
			[]string{`1:12: "case" is a keyword and cannot be used as a name`},
			"struct A {case u8}"},
		{"bad property name", "protocol p { 5 tcp\n message M }",
			[]string{"1:14: expected a property name in the protocol block, found number 5"},
			"protocol p {message(M)}"},
		{"property followed by junk", "protocol p { ports 1 2\n message M }",
			[]string{"1:22: unexpected number 2 after property ports; expected the end of the line"},
			"protocol p {ports(1); message(M)}"},
		{"property with trailing comma", "protocol p { ports 1,\n}",
			nil,
			"protocol p {ports(1)}"},
		{"property with missing value", "protocol p { ports 1, )\n message M }",
			[]string{"1:23: expected an expression, found ')'"},
			"protocol p {ports(1, ); message(M)}"},
		{"framing not closed", "framing { size 1",
			[]string{"1:17: expected '}' to close the framing block, found end of file"},
			"framing {size(1)}"},
		{"enum without name", "enum : u8 { a = 1 }",
			[]string{"1:6: expected a name after 'enum', found ':'"},
			`enum  : u8 {a = 1 ""}`},
		{"enum without brace", "enum E : u8 a = 1 }",
			[]string{"1:13: expected '{' to open the enum, found 'a'"},
			`enum E : u8 {a = 1 ""}`},
		{"enum bad base", "enum E : { a = 1 }",
			[]string{"1:10: expected a type, found '{'"},
			`enum E :  {a = 1 ""}`},
		{"enum member without value", "enum E {\n a\n b = 2\n}",
			[]string{"2:3: expected '=' after the member name, found end of line"},
			""},
		{"enum member bad token", "enum E {\n 5 = 1\n b = 2\n}",
			[]string{"2:2: expected a member name in enum E, found number 5"},
			`enum E {b = 2 ""}`},
		{"enum member trailing junk", "enum E {\n a = 1 \"A\" x\n b = 2\n}",
			[]string{"2:12: unexpected 'x' after enum member a; expected the end of the line"},
			`enum E {a = 1 "A"; b = 2 ""}`},
		{"enum not closed", "enum E { a = 1",
			[]string{"1:15: expected '}' to close the enum, found end of file"},
			`enum E {a = 1 ""}`},
		{"struct without name", "struct { a u8 }",
			[]string{"1:8: expected a name after 'struct', found '{'"},
			"struct  {a u8}"},
		{"struct without brace", "struct A\n a u8\n}",
			[]string{"1:9: expected '{' to open the struct, found end of line"},
			""},
		{"struct not closed", "struct A {\n a u8\n",
			[]string{"3:1: expected '}' to close the struct, found end of file"},
			"struct A {a u8}"},
		{"field without type", "struct A {\n a\n b u8\n}",
			[]string{"2:3: field a has no type"},
			"struct A {b u8}"},
		{"field without type before brace", "struct A { a }",
			[]string{"1:14: field a has no type"},
			"struct A {}"},
		{"field bad token", "struct A {\n 1 u8\n b u8\n}",
			[]string{"2:2: expected a field name, found number 1"},
			"struct A {b u8}"},
		{"field type is a number", "struct A {\n a 5\n b u8\n}",
			[]string{"2:4: expected a type, found number 5"},
			""},
		{"field trailing junk", "struct A {\n a u8 u16\n b u8\n}",
			[]string{"2:7: unexpected 'u16' after field a; expected the end of the line"},
			"struct A {a u8; b u8}"},
		// A line ending in an operator continues on the next line.
		{"field expected value continues", "struct A {\n a u8 = \n b u8\n}",
			[]string{"3:4: unexpected 'u8' after field a; expected the end of the line"},
			"struct A {a u8 = b}"},
		{"field bad expected value", "struct A {\n a u8 = ;\n b u8\n}",
			[]string{"2:9: expected an expression, found ';'"},
			"struct A {a u8 = ; b u8}"},
		{"attribute list not closed", "struct A {\n a u8 [doc = \"x\"\n b u8\n}",
			[]string{"2:17: expected ']' to close the attribute list, found end of line"},
			`struct A {a u8 [doc="x"]; b u8}`},
		{"attribute without name", "struct A {\n a u8 [= 1]\n}",
			[]string{"2:8: expected a name for an attribute, found '='"},
			""},
		{"array not closed", "struct A {\n a [4 u8\n b u8\n}",
			[]string{"2:7: expected ']' to close the array length, found 'u8'"},
			""},
		{"array without element type", "struct A {\n a [4]\n b u8\n}",
			[]string{"2:7: expected a type, found end of line"},
			"struct A {a [4]; b u8}"},
		{"switch without brace", "struct A {\n a switch t case 1: B }\n}",
			[]string{"2:13: expected '{' to open the switch, found 'case'"},
			""},
		{"switch with junk", "struct A {\n a switch t {\n  foo: B\n  case 1: C\n }\n}",
			[]string{"3:3: expected 'case' or 'default' in switch, found 'foo'"},
			"struct A {a switch t {case 1: C}}"},
		{"case without colon", "struct A {\n a switch t {\n  case 1 B\n  default: C\n }\n}",
			[]string{"3:10: expected ':' after the case values, found 'B'"},
			"struct A {a switch t {case 1: B; default: C}}"},
		{"default without colon", "struct A {\n a switch t {\n  default C\n }\n}",
			[]string{"3:11: expected ':' after default, found 'C'"},
			"struct A {a switch t {default: C}}"},
		{"two defaults", "struct A {\n a switch t {\n  default: B\n  default: C\n }\n}",
			[]string{"4:3: switch has more than one default"},
			"struct A {a switch t {default: C}}"},
		{"case trailing junk", "struct A {\n a switch t {\n  case 1: B C\n  case 2: D\n }\n}",
			[]string{"3:13: unexpected 'C' after switch case; expected the end of the line"},
			"struct A {a switch t {case 1: B; case 2: D}}"},
		// Both blocks end at the same place: one message, not two.
		{"switch not closed", "struct A {\n a switch t {\n  case 1: B\n",
			[]string{"4:1: expected '}' to close the switch, found end of file"},
			"struct A {a switch t {case 1: B}}"},
		{"expression: missing operand", "struct A { a u8 = 1 + }",
			[]string{"1:23: expected an expression, found '}'"},
			"struct A {a u8 = (+ 1 )}"},
		{"expression: missing paren", "struct A {\n a u8 = (1 + 2\n b u8\n}",
			[]string{"2:15: expected ')' to close the parenthesis, found end of line"},
			"struct A {a u8 = (+ 1 2); b u8}"},
		{"expression: call not closed", "struct A {\n a u8 = f(1, 2\n b u8\n}",
			[]string{"2:15: expected ')' to close the call, found end of line"},
			"struct A {a u8 = (f 1 2); b u8}"},
		{"expression: conditional without colon", "struct A {\n a u8 = x ? 1\n b u8\n}",
			[]string{"2:14: expected ':' in conditional expression, found end of line"},
			""},
		{"expression: selector without name", "struct A {\n a u8 = x.5\n b u8\n}",
			[]string{"2:11: expected a name after '.', found number 5"},
			""},
		{"expression: stray close bracket", "struct A {\n a [] ] u8\n b u8\n}",
			[]string{"2:7: expected a type, found ']'"},
			""},
		{"illegal character in field", "struct A {\n a $\n b u8\n}",
			[]string{"2:4: unexpected character '$'", "2:4: expected a type, found illegal character"},
			""},
		{"unterminated string in attribute", "struct A {\n a u8 [doc = \"abc]\n b u8\n}",
			[]string{`2:14: string is not closed: missing " before the end of the line`,
				"2:19: expected ']' to close the attribute list, found end of line"},
			`struct A {a u8 [doc="abc]"]; b u8}`},
		{"unterminated comment", "struct A {\n a u8 /* oops\n b u8\n}",
			[]string{"2:7: comment is not closed: missing */",
				"4:2: expected '}' to close the struct, found end of file"},
			"struct A {a u8}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, errs := parseString(t, tt.src)
			got := errStrings(errs)
			if strings.Join(got, "\n") != strings.Join(tt.errs, "\n") {
				t.Errorf("errors\n got: %q\nwant: %q", got, tt.errs)
			}
			if tt.ast != "" {
				if ast := dumpFile(f); ast != tt.ast {
					t.Errorf("AST\n got: %s\nwant: %s", ast, tt.ast)
				}
			}
			for _, e := range errs {
				if e.Warning || e.Pos.File != "p.dsl" || e.Line == "" && e.Pos.Line <= strings.Count(tt.src, "\n") {
					t.Errorf("bad error entry %+v", *e)
				}
			}
		})
	}
}

// The parser recovers after an error, so one run reports every mistake.
func TestParseReportsSeveralErrors(t *testing.T) {
	src := `protocol p {
    title "x
    ports 502 503
}
enum E : u8 {
    a = 1
    = 2
    c 3
}
struct A {
    x u8 = )
    y [4 u16
    z switch y { case 1 B; bogus; default: C }
    w u8 [doc "no equals"]
    v u8
}
struct {
    q $ u8
}
framing { size u16(4) + }
`
	f, errs := parseString(t, src)
	want := []string{
		`2:11: string is not closed: missing " before the end of the line`,
		"3:15: unexpected number 503 after property ports; expected the end of the line",
		"7:5: expected a member name in enum E, found '='",
		"8:7: expected '=' after the member name, found number 3",
		"11:12: expected an expression, found ')'",
		"12:10: expected ']' to close the array length, found 'u16'",
		"13:25: expected ':' after the case values, found 'B'",
		"13:28: expected 'case' or 'default' in switch, found 'bogus'",
		"14:15: expected ']' to close the attribute list, found string",
		"17:8: expected a name after 'struct', found '{'",
		"18:7: unexpected character '$'",
		"18:7: expected a type, found illegal character",
		"20:25: expected an expression, found '}'",
	}
	got := errStrings(errs)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors\n got: %s\nwant: %s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Every declaration is still in the AST, with the good parts intact.
	ast := dumpFile(f)
	wantAST := `protocol p {title("x"); ports(502)}
enum E : u8 {a = 1 ""; c = 3 ""}
struct A {x u8 = ; y [4]u16; z switch y {case 1: B; default: C}; w u8 [doc]; v u8}
struct  {q }
framing {size((+ (u16 4) ))}`
	if ast != wantAST {
		t.Errorf("AST\n got: %s\nwant: %s", ast, wantAST)
	}
}

func TestParseDeepNesting(t *testing.T) {
	n := 100000
	tests := []struct {
		name  string
		src   string
		first string // the first error
		most  int    // at most this many errors
		field bool   // the field after the deep one is parsed
	}{
		{"parentheses", "struct A {\n a u8 = " + strings.Repeat("(", n) + "1" + strings.Repeat(")", n) + "\n b u8\n}",
			"2:210: expression is nested too deeply", 1, true},
		// The line ends in '(' so it goes on: b is part of the bad statement.
		{"parentheses not closed", "struct A {\n a u8 = " + strings.Repeat("(", n) + "\n b u8\n}",
			"2:210: expression is nested too deeply", 1, false},
		{"parentheses in attribute", "struct A {\n a u8 [if = " + strings.Repeat("(", n) + "1" + strings.Repeat(")", n) + "]\n b u8\n}",
			"2:214: expression is nested too deeply", 1, true},
		{"parentheses in array length", "struct A {\n a [" + strings.Repeat("(", n) + "1" + strings.Repeat(")", n) + "]u8\n b u8\n}",
			"2:206: expression is nested too deeply", 1, true},
		{"parentheses in switch tag", "struct A {\n a switch " + strings.Repeat("(", n) + "1" + strings.Repeat(")", n) + " { default: B }\n b u8\n}",
			"2:212: expression is nested too deeply", 3, false},
		// Unary operators that go too deep are reported once per 201.
		{"unary", "struct A {\n a u8 = " + strings.Repeat("-", 1000) + "1\n b u8\n}",
			"2:210: expression is nested too deeply", 5, true},
		{"array types", "struct A {\n a " + strings.Repeat("[1]", n) + "u8\n b u8\n}",
			"2:607: type is nested too deeply", 2, true},
		{"switch types", "struct A {\n a " + strings.Repeat("switch x { case 1: ", 300) + "u8" + strings.Repeat(" }", 300) + "\n b u8\n}",
			"2:3823: type is nested too deeply", 1, true},
		{"call arguments", "framing { size " + strings.Repeat("f(", n) + strings.Repeat(")", n) + " }",
			"1:418: expression is nested too deeply", 1, false},
		{"conditionals", "struct A {\n a u8 = " + strings.Repeat("1 ? 1 : ", 300) + "1\n b u8\n}",
			"2:1613: expression is nested too deeply", 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, errs := parseString(t, tt.src)
			got := errStrings(errs)
			if len(got) == 0 || got[0] != tt.first || len(got) > tt.most {
				if len(got) > 10 {
					got = append(got[:10], fmt.Sprintf("... %d errors", len(got)))
				}
				t.Errorf("errors: %q\nwant first %q and at most %d", got, tt.first, tt.most)
			}
			if len(f.Decls) != 1 {
				t.Fatalf("%d declarations", len(f.Decls))
			}
			if tt.field {
				fields := f.Decls[0].(*StructDecl).Fields
				if len(fields) != 2 || fields[1].Name.Name != "b" || dumpType(fields[1].Type) != "u8" {
					t.Errorf("the next field is lost: %s", dumpDecl(f.Decls[0])[:min(200, len(dumpDecl(f.Decls[0])))])
				}
			}
		})
	}
	// Nesting just inside the limit is fine.
	ok := "struct A { a u8 = " + strings.Repeat("(", 150) + "1" + strings.Repeat(")", 150) + " }"
	if _, errs := parseString(t, ok); len(errs) != 0 {
		t.Errorf("150 parentheses: %v", errs)
	}
	okTypes := "struct A { a " + strings.Repeat("[1]", 150) + "u8 }"
	if _, errs := parseString(t, okTypes); len(errs) != 0 {
		t.Errorf("150 array levels: %v", errs)
	}
	// A long flat chain of operators is not nesting.
	long := "struct A { a u8 = 1" + strings.Repeat(" + 1", 5000) + " }"
	if _, errs := parseString(t, long); len(errs) != 0 {
		t.Errorf("long sum: %v", errs)
	}
}

// Broken inputs of every kind: the parser must return, never panic, and
// report at least one error.
func TestParseNeverHangs(t *testing.T) {
	inputs := []string{
		"protocol", "protocol p", "protocol p {", "protocol p { title", "protocol p { title \"",
		"framing", "framing {", "framing { size", "framing { size (", "framing { size u16(",
		"enum", "enum E", "enum E :", "enum E : u8", "enum E : u8 [", "enum E : u8 [doc", "enum E {", "enum E { a", "enum E { a =",
		"enum E { a = 1 \"", "enum E { a = 1 [", "struct", "struct S", "struct S [", "struct S [summary =",
		"struct S {", "struct S { a", "struct S { a [", "struct S { a [1", "struct S { a [1]", "struct S { a u8 =",
		"struct S { a u8 [", "struct S { a u8 [if", "struct S { a u8 [if =", "struct S { a switch",
		"struct S { a switch x", "struct S { a switch x {", "struct S { a switch x { case", "struct S { a switch x { case 1",
		"struct S { a switch x { case 1..", "struct S { a switch x { case 1:", "struct S { a switch x { default",
		"struct S { a switch x { default:", "struct S { a u8 = a ?", "struct S { a u8 = a ? b", "struct S { a u8 = a ? b :",
		"struct S { a u8 = f(", "struct S { a u8 = f(1,", "struct S { a u8 = a.", "struct S { a u8 = (((", "]]]]", ")))",
		"}}}}", "{{{{", "[[[[", "((((", "....", "\"", "/*", "$$$$", "struct S { ] } ] }",
		"struct S { a u8 ] b u8 }", "struct S { a switch x { ] } }", "enum E { ] }", "protocol p { ] }",
		"struct S { a [ ] ] }", "struct S { a u8 [ ] ] ] }", "struct S { a switch x { case ]: B } }",
		"struct S { a u8 = ] }", "struct S { a u8 [if = ]] }", "struct S { a u8 = f(]) }",
		"protocol p { ports 1, ] }", "framing { size ] }", "enum E { a = ] }",
	}
	for _, in := range inputs {
		_, errs := parseString(t, in)
		if len(errs) == 0 {
			t.Errorf("%q: no error", in)
		}
	}
}
