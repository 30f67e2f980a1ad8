package schema

import (
	"strings"

	"github.com/dissect-project/dissect/schema/syntax"
)

var protocolProps = []string{"title", "description", "transport", "ports", "endian", "message", "request", "response", "wireshark"}

func (c *checker) protocol(d *syntax.ProtocolDecl) {
	p := c.prog
	p.Name = d.Name.Name
	p.Transport = "tcp"
	p.Transports = []string{"tcp"}
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
			c.transports(prop)
		case "endian":
			switch v := c.wordValue(prop); v {
			case "big":
				p.Endian = BigEndian
			case "little":
				p.Endian = LittleEndian
			case "":
			default:
				c.errorf(exprPos(prop.Values[0]), "unknown byte order %q; expected big or little", v)
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
			c.errorf(exprPos(prop.Values[0]), "%s %s: no struct named %s", prop.Name.Name, name, name)
			continue
		}
		si.used = true
		if len(si.s.Params) > 0 {
			c.errorf(exprPos(prop.Values[0]), "%s %s: a message type cannot take parameters", prop.Name.Name, name)
		}
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

// Framing block.

var framingProps = []string{"size", "min", "max", "magic", "delimiter", "resync"}

// defaultMaxFrame is the largest frame accepted when a schema sets no max.
const defaultMaxFrame = 1 << 20

func (c *checker) framing(d *syntax.FramingDecl, proto *syntax.ProtocolDecl) {
	if d == nil {
		if c.prog.RunsOver("tcp") {
			c.errorf(proto.Pos, "protocol %s runs over tcp but has no framing block: add `framing { size EXPR }` to say how long each frame is", proto.Name.Name)
		}
		return
	}
	fr := &Framing{Min: 1, Max: defaultMaxFrame, Resync: 1}
	seen := map[string]bool{}
	for _, prop := range d.Props {
		name := prop.Name.Name
		if seen[name] {
			c.errorf(prop.Name.Pos, "framing property %s is set twice", name)
			continue
		}
		seen[name] = true
		if len(prop.Values) != 1 {
			c.errorf(prop.Name.Pos, "%s takes one value", name)
			continue
		}
		v := prop.Values[0]
		switch name {
		case "size":
			fr.Size = c.expr(v, &scope{framing: true})
		case "magic", "delimiter":
			b, ok := c.byteString(v, name)
			if !ok {
				continue
			}
			if name == "magic" {
				fr.Magic = b
			} else {
				fr.Delimiter = b
			}
		case "min", "max", "resync":
			n, ok := c.constInt(v, name)
			if !ok {
				continue
			}
			limit := int64(1 << 30)
			if name == "resync" {
				limit = 16
			}
			if n < 1 || n > limit {
				c.errorf(exprPos(v), "%s %d is out of range 1..%d", name, n, limit)
				continue
			}
			switch name {
			case "min":
				fr.Min = int(n)
			case "max":
				fr.Max = int(n)
			case "resync":
				fr.Resync = int(n)
			}
		default:
			c.errorf(prop.Name.Pos, "unknown framing property %q; expected one of: %s", name, strings.Join(framingProps, ", "))
		}
	}
	switch {
	case fr.Size == nil && fr.Delimiter == nil:
		c.errorf(d.Pos, "framing block has no size: add `size EXPR`, for example `size u16(4) + 6`, or `delimiter \"\\r\\n\"`")
		return
	case fr.Size != nil && fr.Delimiter != nil:
		c.errorf(d.Pos, "framing has both size and delimiter; use one")
	}
	if fr.Min > fr.Max {
		c.errorf(d.Pos, "framing min %d is larger than max %d", fr.Min, fr.Max)
	}
	fr.fast = fastFraming(fr)
	c.prog.Framing = fr
}

// byteString reads a constant byte sequence: a string, or an integer that
// is one byte.
func (c *checker) byteString(v syntax.Expr, what string) ([]byte, bool) {
	switch v := v.(type) {
	case *syntax.StringLit:
		if v.Value == "" {
			c.errorf(v.Pos, "%s cannot be empty", what)
			return nil, false
		}
		return []byte(v.Value), true
	case *syntax.IntLit:
		if v.Value > 0xff {
			c.errorf(v.Pos, "%s %s is more than one byte; write the bytes as a string such as \"\\x68\\x04\"", what, v.Text)
			return nil, false
		}
		return []byte{byte(v.Value)}, true
	}
	c.errorf(exprPos(v), "%s takes a string of bytes, such as \"\\x03\\x00\", or one byte value", what)
	return nil, false
}

// State block.

func (c *checker) state(d *syntax.StateDecl) {
	for _, fd := range d.Fields {
		if fd.Kind != syntax.MemberField {
			continue
		}
		if _, dup := c.states[fd.Name.Name]; dup {
			c.errorf(fd.Name.Pos, "state variable %s is declared twice", fd.Name.Name)
			continue
		}
		t := c.typeOf(fd.Type, &scope{constant: true, what: "a state variable's type"}, 0)
		if t != nil && !isInteger(t) {
			c.errorf(typePos(fd.Type), "state variable %s must be an integer, enum or bool, not %s", fd.Name.Name, t.Name)
		}
		v := &StateVar{Name: fd.Name.Name, Index: len(c.prog.State)}
		if fd.Const != nil {
			v.Init, _ = c.constInt(fd.Const, "a state variable's initial value")
		}
		for _, a := range fd.Attrs {
			c.errorf(a.Name.Pos, "state variables take no attributes")
		}
		c.states[v.Name] = v
		c.prog.State = append(c.prog.State, v)
	}
}

func isInteger(t *Type) bool {
	return t.Kind == KindUint || t.Kind == KindInt || t.Kind == KindBool
}

// exprPos returns the position of an expression.
func exprPos(e syntax.Expr) syntax.Pos {
	switch e := e.(type) {
	case *syntax.IntLit:
		return e.Pos
	case *syntax.FloatLit:
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

func typePos(t syntax.TypeExpr) syntax.Pos {
	switch t := t.(type) {
	case *syntax.NamedType:
		return t.Name.Pos
	case *syntax.ArrayType:
		return t.Pos
	case *syntax.SwitchType:
		return t.Pos
	case *syntax.StructType:
		return t.Pos
	}
	return syntax.NoPos
}
