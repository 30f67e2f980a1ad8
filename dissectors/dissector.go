package dissectors

import (
	"github.com/dissect-project/dissect/schema"
)

// Info describes a dissector.
type Info struct {
	Name        string   // short name, used by --decode-as and as the JSON key
	Title       string   // human name, e.g. "Modbus/TCP"
	Description string   // one line
	Transport   string   // "tcp" or "udp": the first of Transports
	Transports  []string // every transport it runs over
	Ports       []uint16 // well-known server ports, on each transport
	Heuristic   bool     // it can be recognised by content on any port
	Source      string   // where it came from: "bundled" or a file path
}

// Dissector decodes one protocol.
type Dissector interface {
	// Info describes the dissector.
	Info() *Info
	// NewConnection returns the decoder of one TCP connection. Its records
	// go to sink.
	NewConnection(conn *Conn, sink Sink) Connection
	// Datagram decodes one datagram on its own and emits its record to
	// sink.
	Datagram(conn *Conn, dir Direction, data []byte, pkt Packet, sink Sink) error
	// NewConversation returns the decoder of the datagrams of one
	// conversation, which pairs requests with responses and keeps state
	// across them. Its records go to sink.
	NewConversation(conn *Conn, sink Sink) Conversation
}

// SchemaDissector runs a compiled schema.
type SchemaDissector struct {
	Program  *schema.Program
	Limits   schema.Limits
	MaxFrame int           // frames longer than this are treated as invalid, whatever the schema allows; 0: no cap
	Buffers  *BufferLimits // bounds the bytes held for incomplete frames; nil: only the framing's maximum
	info     Info
	// Buffers shared by every connection of this dissector, which is used
	// from one goroutine: frames are decoded and emitted one at a time, so
	// one decoded frame (and one for resynchronisation lookahead) serves
	// them all, and pending-byte buffers are recycled between connections.
	frame     schema.Frame
	lookahead schema.Frame
	opts      schema.DecodeOptions
	dirOpts   [2]schema.DecodeOptions // each direction's options, for connections without state variables
	rec       Record                  // the record of a datagram, or of a stream's frame
	// aux is the record of everything else (skipped bytes, gaps, byte
	// accounting, unanswered requests): emitted at once, as rec is, and
	// kept here rather than in every connection (528 bytes of each, when
	// it had three).
	aux       Record
	spare     [][]byte // pending buffers no connection is using
	spareRuns [][]pktRun
	// streams holds, for each layer of the program that is a stream
	// ([stream = "name"]), the dissector that decodes it; set by Link.
	streams []*SchemaDissector
	spans   []layerSpan // a frame's stream-layer bytes, gathered before feeding them on
	// trial and trialState serve heuristic detection, which must touch
	// neither the shared frame nor any connection's state.
	trial      schema.Frame
	trialState *schema.State
	trialOpts  schema.DecodeOptions
	saved      []int64       // a connection's state variables before a trial decode (see streamDecoder.check)
	dgramState *schema.State // the state variables of the datagram being decoded
	// free holds connections released (see connection.Release) for
	// NewConnection and NewConversation to reuse, at most freeLimit of
	// each kind; openConns and openConvs count those made and not yet
	// released.
	free      []*connection
	freeConvs []*conversation
	openConns int
	openConvs int
}

// minFreeConnections is the fewest released connections a dissector may
// keep: enough for captures of short connections one after the other.
const minFreeConnections = 256

// freeLimit bounds the released connections (or conversations) a
// dissector keeps, when open of them are open: 256, or an eighth of them
// when that is more. Captures of many
// short conversations (DNS: one per query, idle a minute later) open and
// end thousands at once; reusing them all saves their allocation and the
// collector's work on it (on 600,000 DNS queries over five minutes: CPU
// 9.2 s -> 7.7 s, peak RSS 595 -> 435 MB). What is kept stays a fraction of
// what the open connections hold (0.9 KB each, more with the small
// pairing lists Release keeps), and goes back to 256 as they end. The
// connections a protocol's layers make for themselves are never released,
// and not counted.
func freeLimit(open int) int {
	return max(minFreeConnections, open/8)
}

// layerSpan is a run of a frame's bytes that a stream layer receives.
type layerSpan struct {
	layer      int
	start, end int
}

// getBuffer returns an empty buffer for the pending bytes of a connection.
func (d *SchemaDissector) getBuffer() []byte {
	if n := len(d.spare); n > 0 {
		b := d.spare[n-1]
		d.spare = d.spare[:n-1]
		return b[:0]
	}
	return make([]byte, 0, 512)
}

// putBuffer takes back a pending buffer that is empty again.
func (d *SchemaDissector) putBuffer(b []byte) {
	if cap(b) > 0 && cap(b) <= 1<<20 && len(d.spare) < 1024 {
		d.spare = append(d.spare, b[:0])
	}
}

func (d *SchemaDissector) getRuns() []pktRun {
	if n := len(d.spareRuns); n > 0 {
		r := d.spareRuns[n-1]
		d.spareRuns = d.spareRuns[:n-1]
		return r[:0]
	}
	return make([]pktRun, 0, 8)
}

func (d *SchemaDissector) putRuns(r []pktRun) {
	if cap(r) > 0 && len(d.spareRuns) < 1024 {
		d.spareRuns = append(d.spareRuns, r[:0])
	}
}

// NewSchemaDissector wraps a compiled schema; source says where it came from.
func NewSchemaDissector(p *schema.Program, source string) *SchemaDissector {
	return &SchemaDissector{Program: p, info: Info{
		Name:        p.Name,
		Title:       p.Title,
		Description: p.Description,
		Transport:   p.Transport,
		Transports:  p.Transports,
		Ports:       p.Ports,
		Heuristic:   p.Heuristic != nil,
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

// reuse takes the last of a list of released connections or
// conversations, as new but for what Release kept, or a new one.
func reuse[T any](free *[]*T) *T {
	n := len(*free)
	if n == 0 {
		return new(T)
	}
	c := (*free)[n-1]
	(*free)[n-1] = nil
	*free = (*free)[:n-1]
	return c
}

// start makes s a session of d's for conn, with records to sink and its
// state variables at their initial values.
func (d *SchemaDissector) start(s *session, conn *Conn, sink Sink) {
	s.d, s.sink, s.conn = d, sink, conn
	if len(d.Program.State) > 0 {
		if s.state != nil && len(s.state.Vals) == len(d.Program.State) {
			s.state.Reset(d.Program)
		} else {
			s.state = d.Program.NewState()
		}
	}
}

// NewConnection returns the framing adapter for a TCP connection.
func (d *SchemaDissector) NewConnection(conn *Conn, sink Sink) Connection {
	d.openConns++
	return d.newConnection(conn, sink)
}

// newConnection is NewConnection without counting the connection open:
// the connections a protocol's layers make (see feedLayers) are never
// released.
func (d *SchemaDissector) newConnection(conn *Conn, sink Sink) *connection {
	c := reuse(&d.free)
	d.start(&c.session, conn, sink)
	for dir := range c.dirs {
		s := &c.dirs[dir]
		s.c = c
		s.dir = Direction(dir)
		s.root = d.root(Direction(dir))
		s.opts = schema.DecodeOptions{Limits: d.Limits, Response: Direction(dir) == ServerToClient, State: c.state}
		d.dirOpts[dir] = schema.DecodeOptions{Limits: d.Limits, Response: s.opts.Response}
	}
	return c
}

// Datagram decodes one datagram as one frame. The frame and record are
// reused: the sink must not keep them. A dissector is used from one
// goroutine.
//
// A datagram decoded on its own has no conversation: the schema's state
// variables start at their initial values (NewConversation shares them
// between the datagrams of a conversation).
func (d *SchemaDissector) Datagram(conn *Conn, dir Direction, data []byte, pkt Packet, sink Sink) error {
	d.opts = schema.DecodeOptions{Limits: d.Limits, Response: dir == ServerToClient}
	if len(d.Program.State) > 0 {
		if d.dgramState == nil {
			d.dgramState = d.Program.NewState()
		}
		d.dgramState.Reset(d.Program)
		d.opts.State = d.dgramState
	}
	schema.DecodeWith(d.root(dir), data, &d.frame, &d.opts)
	d.rec = Record{
		Kind: KindFrame, Protocol: &d.info, Conn: conn, Dir: dir, Time: pkt.Time,
		FirstPacket: pkt.Number, LastPacket: pkt.Number, Length: len(data), Data: data, Frame: &d.frame,
	}
	return sink.Emit(&d.rec)
}
