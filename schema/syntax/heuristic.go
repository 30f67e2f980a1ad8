package syntax

// HeuristicDecl is `heuristic { property... }`: the conditions on the first
// bytes of a connection or datagram under which traffic on any port is
// taken to be this protocol. Its properties are request, response and
// message, each a condition over the first frame's bytes.
type HeuristicDecl struct {
	Pos   Pos
	Props []*Property
}

func (d *HeuristicDecl) declPos() Pos { return d.Pos }

// heuristicDecl parses the block after the word heuristic.
func (p *parser) heuristicDecl(t Token) Decl {
	p.advance()
	d := &HeuristicDecl{Pos: t.Pos}
	d.Props = p.properties("heuristic")
	return d
}
