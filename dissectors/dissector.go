package dissectors

import (
	"github.com/dissect-project/dissect/schema"
)

// Info describes a dissector.
type Info struct {
	Name        string   // short name, used by --decode-as and as the JSON key
	Title       string   // human name, e.g. "Modbus/TCP"
	Description string   // one line
	Transport   string   // "tcp" or "udp"
	Ports       []uint16 // well-known server ports
	Source      string   // where it came from: "bundled" or a file path
}

// Dissector decodes one protocol.
type Dissector interface {
	// Info describes the dissector.
	Info() *Info
	// NewConnection returns the decoder of one TCP connection. Its records
	// go to sink.
	NewConnection(conn *Conn, sink Sink) Connection
	// Datagram decodes one datagram and emits its record to sink.
	Datagram(conn *Conn, dir Direction, data []byte, pkt Packet, sink Sink) error
}

// SchemaDissector runs a compiled schema.
type SchemaDissector struct {
	Program  *schema.Program
	Limits   schema.Limits
	MaxFrame int // frames longer than this are treated as invalid, whatever the schema allows; 0: no cap
	info     Info
	frame    schema.Frame // for datagrams
	opts     schema.DecodeOptions
	rec      Record
}

// NewSchemaDissector wraps a compiled schema; source says where it came from.
func NewSchemaDissector(p *schema.Program, source string) *SchemaDissector {
	return &SchemaDissector{Program: p, info: Info{
		Name:        p.Name,
		Title:       p.Title,
		Description: p.Description,
		Transport:   p.Transport,
		Ports:       p.Ports,
		Source:      source,
	}}
}

// Info describes the dissector.
func (d *SchemaDissector) Info() *Info { return &d.info }

func (d *SchemaDissector) root(dir Direction) *schema.Struct {
	if dir == ServerToClient {
		return d.Program.Response
	}
	return d.Program.Request
}

// NewConnection returns the framing adapter for a TCP connection.
func (d *SchemaDissector) NewConnection(conn *Conn, sink Sink) Connection {
	c := &connection{d: d, sink: sink}
	if len(d.Program.State) > 0 {
		c.state = d.Program.NewState()
	}
	for dir := range c.dirs {
		s := &c.dirs[dir]
		s.c = c
		s.dir = Direction(dir)
		s.root = d.root(Direction(dir))
		s.opts = schema.DecodeOptions{Limits: d.Limits, Response: Direction(dir) == ServerToClient, State: c.state}
		s.rec.Protocol = &d.info
		s.rec.Conn = conn
		s.rec.Dir = Direction(dir)
	}
	return c
}

// Datagram decodes one datagram as one frame. The frame and record are
// reused: the sink must not keep them.
func (d *SchemaDissector) Datagram(conn *Conn, dir Direction, data []byte, pkt Packet, sink Sink) error {
	d.opts = schema.DecodeOptions{Limits: d.Limits, Response: dir == ServerToClient}
	schema.DecodeWith(d.root(dir), data, &d.frame, &d.opts)
	d.rec = Record{
		Kind: KindFrame, Protocol: &d.info, Conn: conn, Dir: dir, Time: pkt.Time,
		FirstPacket: pkt.Number, LastPacket: pkt.Number, Length: len(data), Data: data, Frame: &d.frame,
	}
	return sink.Emit(&d.rec)
}
