package schema

import (
	"slices"
	"strings"

	"github.com/dissect-project/dissect/schema/syntax"
)

// RunsOver reports whether the protocol runs over a transport, "tcp" or
// "udp".
func (p *Program) RunsOver(transport string) bool {
	return slices.Contains(p.Transports, transport)
}

// transports checks `transport tcp`, `transport udp` or `transport tcp, udp`.
func (c *checker) transports(prop *syntax.Property) {
	if len(prop.Values) == 0 {
		c.errorf(prop.Name.Pos, "transport takes tcp, udp, or both: transport tcp, udp")
		return
	}
	var list []string
	for _, v := range prop.Values {
		n, ok := v.(*syntax.NameExpr)
		if !ok {
			c.errorf(exprPos(v), "transport takes a name")
			continue
		}
		switch n.Name {
		case "tcp", "udp":
			if slices.Contains(list, n.Name) {
				c.errorf(n.Pos, "transport %s is given twice", n.Name)
				continue
			}
			list = append(list, n.Name)
		default:
			c.errorf(n.Pos, "unknown transport %q; expected tcp or udp", n.Name)
		}
	}
	if len(list) > 0 {
		c.prog.Transports = list
		c.prog.Transport = list[0]
	}
}

// Heuristic recognises a protocol by the content of its first frame rather
// than by port: a condition on the first bytes a client sends (Request)
// or a server sends (Response). A candidate is accepted only when its
// condition holds, the framing rule gives a valid length, and the whole
// first frame decodes as that direction's message type without error and
// without trailing bytes.
type Heuristic struct {
	Request  *Expr // condition on the first bytes from a client; nil: they cannot select the protocol
	Response *Expr // condition on the first bytes from a server; nil: they cannot select the protocol
}

var heuristicProps = []string{"request", "response", "message"}

// heuristic checks the heuristic block.
func (c *checker) heuristic(d *syntax.HeuristicDecl) {
	if d == nil {
		return
	}
	h := &Heuristic{}
	seen := map[string]bool{}
	for _, prop := range d.Props {
		name := prop.Name.Name
		if seen[name] {
			c.errorf(prop.Name.Pos, "heuristic property %s is set twice", name)
			continue
		}
		seen[name] = true
		if !slices.Contains(heuristicProps, name) {
			c.errorf(prop.Name.Pos, "unknown heuristic property %q; expected one of: %s", name, strings.Join(heuristicProps, ", "))
			continue
		}
		if len(prop.Values) != 1 {
			c.errorf(prop.Name.Pos, "%s takes one condition, such as u16(2) == 0 && u8(7) < 0x80", name)
			continue
		}
		e := c.expr(prop.Values[0], &scope{framing: true})
		switch name {
		case "request":
			h.Request = e
		case "response":
			h.Response = e
		case "message":
			h.Request, h.Response = e, e
		}
	}
	if seen["message"] && (seen["request"] || seen["response"]) {
		c.errorf(d.Pos, "heuristic: use either message (one condition for both directions) or request and response, not both")
	}
	if h.Request == nil && h.Response == nil {
		if len(d.Props) == 0 {
			c.errorf(d.Pos, "heuristic block has no condition: add `request EXPR`, `response EXPR` or `message EXPR`")
		}
		return
	}
	c.prog.Heuristic = h
}
