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
	// NewStream returns a decoder for one direction of a TCP connection.
	// Its records go to sink.
	NewStream(conn *Conn, dir Direction, sink Sink) StreamDecoder
	// Datagram decodes one datagram and emits its record to sink.
	Datagram(conn *Conn, dir Direction, data []byte, pkt Packet, sink Sink) error
}

// StreamDecoder decodes the bytes of one direction of a connection, in
// order, however they are split. Each method returns the sink's error, if
// any; the decoder emits nothing after one.
type StreamDecoder interface {
	// Feed hands over the next bytes. loc tells which packet carried each
	// of them. midstream means the bytes may start in the middle of a
	// frame, because the start of the stream was not captured.
	Feed(data []byte, loc PacketLocator, midstream bool) error
	// Gap says that missing bytes were never captured before the next Feed.
	Gap(missing int, at Packet) error
	// Close flushes what is pending at the end of the stream.
	Close(at Packet) error
}

// SchemaDissector runs a compiled schema.
type SchemaDissector struct {
	Program *schema.Program
	Limits  schema.Limits
	info    Info
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

// NewStream returns the framing adapter for one direction of a connection.
func (d *SchemaDissector) NewStream(conn *Conn, dir Direction, sink Sink) StreamDecoder {
	s := &streamDecoder{d: d, root: d.root(dir), sink: sink}
	s.rec.Protocol = &d.info
	s.rec.Conn = conn
	s.rec.Dir = dir
	return s
}

// Datagram decodes one datagram as one frame.
func (d *SchemaDissector) Datagram(conn *Conn, dir Direction, data []byte, pkt Packet, sink Sink) error {
	var frame schema.Frame
	schema.Decode(d.root(dir), data, &frame, d.Limits)
	rec := Record{
		Kind: KindFrame, Protocol: &d.info, Conn: conn, Dir: dir, Time: pkt.Time,
		FirstPacket: pkt.Number, LastPacket: pkt.Number, Length: len(data), Data: data, Frame: &frame,
	}
	return sink.Emit(&rec)
}
