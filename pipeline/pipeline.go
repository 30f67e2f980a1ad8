// Package pipeline wires the stages of a run together: it reads packets
// from a capture source, hands each TCP connection and UDP datagram to the
// dissector the registry chooses, and sends the records to a writer.
//
// It is the only package that knows both capture and dissectors; each of
// those knows nothing of the other.
package pipeline

import (
	"errors"
	"time"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
)

// Config is what a run needs.
type Config struct {
	Registry *dissectors.Registry
	Sink     dissectors.Sink
	Count    int // stop after this many records; 0 means no limit
	Capture  capture.Options

	// UDPTimeout ends a UDP conversation (reporting its unanswered
	// requests and its byte accounting) after this much packet time
	// without a datagram; default DefaultUDPTimeout.
	UDPTimeout time.Duration
	// MaxConversations bounds the UDP conversations open at once; past it
	// the oldest is ended. Default DefaultMaxConversations.
	MaxConversations int
	// Buffers, when set, is the registry's BufferLimits: the summary
	// reports its peak.
	Buffers *dissectors.BufferLimits
	// Stop, when closed, ends the run cleanly as if the capture had ended:
	// open streams are flushed and their last frames decoded (Ctrl-C, -a).
	Stop <-chan struct{}
}

// Defaults of Config.
const (
	DefaultUDPTimeout       = time.Minute
	DefaultMaxConversations = capture.DefaultMaxConnections
)

// Summary counts what a run did.
type Summary struct {
	Capture       capture.Stats
	Conns         uint64            // connections and datagram flows handed to a dissector
	Records       uint64            // records written
	Frames        uint64            // frame records
	FramesFailed  uint64            // frames that did not decode completely
	Errors        map[string]uint64 // failed frames by kind of error
	Trailing      uint64            // frames longer than their message
	TrailingBytes uint64            // bytes after those messages
	Skipped       uint64            // skipped-bytes records
	SkippedBytes  uint64
	Gaps          uint64
	GapBytes      uint64
	Matched       uint64 // responses paired with their request
	Unanswered    uint64 // requests that never got a response
	Duplicates    uint64 // responses to requests already answered
	Unsolicited   uint64 // responses to no request seen

	// Byte accounting, summed over every stream direction (TCP) and
	// conversation direction (UDP) that was dissected; it adds up as
	// dissectors.ByteCounts says. Directions counts the KindStream records.
	Bytes      dissectors.ByteCounts
	Directions uint64

	UDPConversations uint64 // UDP conversations dissected (also counted in Conns)
	UDPEvicted       uint64 // UDP conversations ended early because MaxConversations were open

	OverLimit      uint64 // frames skipped because buffering them would pass a BufferLimits limit
	OverLimitBytes uint64
	PeakBuffered   int // most bytes held at once for incomplete frames (with Config.Buffers)

	CountReached bool // the run stopped after Config.Count records: streams still open then were not accounted for
}

// count adds a record to the summary: byte accounting for KindStream,
// which is not a record that counts, the record's kind and outcome for the
// others.
func (s *Summary) count(r *dissectors.Record) {
	switch r.Kind {
	case dissectors.KindStream:
		s.Directions++
		s.Bytes.Add(r.Bytes)
		return
	case dissectors.KindFrame:
		s.Frames++
		switch r.Pair.Status {
		case dissectors.PairMatched:
			s.Matched++
		case dissectors.PairDuplicate:
			s.Duplicates++
		case dissectors.PairUnsolicited:
			s.Unsolicited++
		}
		if r.Frame != nil && r.Frame.Trailing > 0 {
			s.Trailing++
			s.TrailingBytes += uint64(r.Frame.Trailing)
		}
		if r.Frame != nil && r.Frame.Err != nil {
			s.FramesFailed++
			s.Errors[r.Frame.Err.Kind]++
		} else if r.Reason != "" {
			s.FramesFailed++
			s.Errors["incomplete"]++
		}
	case dissectors.KindSkipped:
		s.Skipped++
		s.SkippedBytes += uint64(r.Length)
		if r.Reason == dissectors.ReasonBufferLimit {
			s.OverLimit++
			s.OverLimitBytes += uint64(r.Length)
		}
	case dissectors.KindUnanswered:
		s.Unanswered++
	case dissectors.KindGap:
		s.Gaps++
		if r.Length > 0 {
			s.GapBytes += uint64(r.Length)
		}
	}
	s.Records++
}

// add adds the record counts of o, the records of a part of the same run,
// to s. The capture statistics, connection counts and peak buffering are
// the caller's.
func (s *Summary) add(o *Summary) {
	s.Records += o.Records
	s.Frames += o.Frames
	s.FramesFailed += o.FramesFailed
	for k, v := range o.Errors {
		s.Errors[k] += v
	}
	s.Trailing += o.Trailing
	s.TrailingBytes += o.TrailingBytes
	s.Skipped += o.Skipped
	s.SkippedBytes += o.SkippedBytes
	s.Gaps += o.Gaps
	s.GapBytes += o.GapBytes
	s.Matched += o.Matched
	s.Unanswered += o.Unanswered
	s.Duplicates += o.Duplicates
	s.Unsolicited += o.Unsolicited
	s.Bytes.Add(&o.Bytes)
	s.Directions += o.Directions
	s.OverLimit += o.OverLimit
	s.OverLimitBytes += o.OverLimitBytes
}

// EpochSetter is a sink that shows times relative to the first packet of
// the capture: Run tells it that packet's time first. A sink that wraps
// another passes it on.
type EpochSetter interface {
	SetEpoch(t time.Time)
}

// ConnEnder is a sink that keeps something for each connection (or UDP
// conversation) it writes records of, and frees it when told that the
// connection has ended, after its last record (output.NDJSON's stream
// prefixes): what it keeps then grows with the connections open at once,
// not with all those of the capture. A sink that wraps another passes it
// on.
type ConnEnder interface {
	EndConn(c *dissectors.Conn)
}

// closeDecoder ends a connection's (or conversation's) decoder dec at
// packet at, tells sink, when it is a ConnEnder, that the connection meta
// has ended, after its last record, and hands dec back to its dissector
// when it can be reused (a dissectors.Releaser): the caller drops it.
func closeDecoder(dec interface{ Close(dissectors.Packet) error }, at dissectors.Packet, sink dissectors.Sink, meta *dissectors.Conn) {
	_ = dec.Close(at)
	if e, ok := sink.(ConnEnder); ok {
		e.EndConn(meta)
	}
	if r, ok := dec.(dissectors.Releaser); ok {
		r.Release()
	}
}

// errCountReached stops a run once Count records are written.
var errCountReached = errors.New("record count reached")

// withDefaults returns c with every unset limit set to its default.
func (c Config) withDefaults() Config {
	if c.UDPTimeout <= 0 {
		c.UDPTimeout = DefaultUDPTimeout
	}
	if c.MaxConversations <= 0 {
		c.MaxConversations = DefaultMaxConversations
	}
	return c
}

// watchStop stops r when stop is closed, until the returned function is
// called; with a nil stop it does nothing.
func watchStop(stop <-chan struct{}, r *capture.Reader) (release func()) {
	if stop == nil {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		select {
		case <-stop:
			r.Stop()
		case <-done:
		}
	}()
	return func() { close(done) }
}

// Run reads src to its end and dissects everything in it. The summary is
// valid even when an error is returned: for a truncated capture, everything
// before the cut has been dissected and written.
func Run(src *capture.Source, cfg Config) (Summary, error) {
	cfg = cfg.withDefaults()
	h := &handler{cfg: cfg, sum: Summary{Errors: map[string]uint64{}}}
	h.udp.init()
	h.reader = capture.NewReader(h, cfg.Capture)
	defer watchStop(cfg.Stop, h.reader)()
	err := h.reader.Run(src)
	h.udp.closeAll(h)
	_, h.sum.PeakBuffered = cfg.Buffers.Used()
	h.sum.Capture = h.reader.Stats()
	h.sum.CountReached = errors.Is(h.sinkErr, errCountReached)
	if h.sinkErr != nil && !errors.Is(h.sinkErr, errCountReached) {
		return h.sum, h.sinkErr
	}
	return h.sum, err
}

// handler receives capture events and routes them to dissectors.
type handler struct {
	par     *parallel // set in a parallel run, where this handler only dispatches
	cfg     Config
	reader  *capture.Reader
	sum     Summary
	sinkErr error
	udp     udpTable
	// udpFlows remembers what heuristics decided for UDP flows that no
	// rule or port claims.
	udpFlows map[heurFlowKey]udpFlow
	one      dissectors.OnePacket // the locator of conn.Data for bytes of one packet
}

// Emit counts a record and passes it to the configured sink.
func (h *handler) Emit(r *dissectors.Record) error {
	if r.Kind == dissectors.KindStream {
		// Accounting, not counted as a record (nor by Count).
		h.sum.count(r)
		if h.sinkErr != nil {
			return nil
		}
		if err := h.cfg.Sink.Emit(r); err != nil {
			h.sinkErr = err
			h.reader.Stop()
			return err
		}
		return nil
	}
	if h.sinkErr != nil {
		return h.sinkErr
	}
	h.sum.count(r)
	if h.sum.Records == 1 {
		if es, ok := h.cfg.Sink.(EpochSetter); ok {
			es.SetEpoch(h.reader.FirstTime())
		}
	}
	if err := h.cfg.Sink.Emit(r); err != nil {
		h.sinkErr = err
		h.reader.Stop()
		return err
	}
	if h.cfg.Count > 0 && h.sum.Records >= uint64(h.cfg.Count) {
		h.sinkErr = errCountReached
		h.reader.Stop()
		return errCountReached
	}
	return nil
}

// OpenStream chooses a dissector for a new TCP connection: by rule or
// port, or else by the content of its first bytes.
func (h *handler) OpenStream(flow capture.Flow, first capture.Packet) capture.StreamHandler {
	d, serverIsResponder := h.cfg.Registry.Lookup("tcp", flow.Initiator.Port, flow.Responder.Port)
	if d == nil {
		return h.openSniffer(flow)
	}
	return h.newConn(flow, d, serverIsResponder)
}

// newConn starts decoding a TCP connection with d.
func (h *handler) newConn(flow capture.Flow, d dissectors.Dissector, serverIsResponder bool) *conn {
	h.sum.Conns++
	c := newConn(h, flow, serverIsResponder)
	// The decoder is made when the first bytes come: connections that
	// never carry data (scans, SYN floods) cost only this.
	c.d = d
	return c
}

// newConn returns the routing of a new TCP connection; serverIsResponder
// says which side the dissector takes for the server.
func newConn(h *handler, flow capture.Flow, serverIsResponder bool) *conn {
	c := &conn{h: h}
	c.meta = dissectors.Conn{ID: flow.ID, Transport: "tcp"}
	client, server := flow.Initiator, flow.Responder
	c.initiatorIsClient = serverIsResponder
	if !serverIsResponder {
		client, server = server, client
	}
	c.meta.Client = dissectors.Endpoint{Addr: client.Addr, Port: client.Port}
	c.meta.Server = dissectors.Endpoint{Addr: server.Addr, Port: server.Port}
	return c
}

// Datagram dissects one UDP datagram, within its conversation.
func (h *handler) Datagram(src, dst capture.Endpoint, payload []byte, pkt capture.Packet) {
	if h.sinkErr != nil {
		return
	}
	h.udp.expire(h, pkt.Time)
	d, serverIsDst := h.cfg.Registry.Lookup("udp", src.Port, dst.Port)
	if d == nil {
		if d, serverIsDst = h.detectUDP(src, dst, payload); d == nil {
			return
		}
	}
	key, dir := h.udp.orient(src, dst, serverIsDst)
	cv := h.udp.get(h, key, d)
	at := dissectors.Packet(pkt)
	h.udp.touch(cv, at)
	_ = cv.dec.Datagram(dir, payload, at)
}

// conn routes the two directions of a TCP connection to their decoders.
// What every Data call uses comes first: its first 25 bytes, in one cache
// line unless the object (of 144 bytes) starts in the last 16 bytes of
// one.
type conn struct {
	dec               dissectors.Connection // made by decoder on the first Data or Gap (in a parallel run, by the worker)
	h                 *handler
	initiatorIsClient bool
	loc               segmentLocator // for bytes from several packets
	d                 dissectors.Dissector
	meta              dissectors.Conn
}

func (c *conn) direction(dir capture.Direction) dissectors.Direction {
	fromInitiator := dir == capture.FromInitiator
	if fromInitiator == c.initiatorIsClient {
		return dissectors.ClientToServer
	}
	return dissectors.ServerToClient
}

// Data feeds the bytes of one direction to its decoder.
func (c *conn) Data(dir capture.Direction, seg *capture.Segment) {
	if p, ok := seg.OnePacket(); ok {
		// The decoder takes the packet of each frame from a OnePacket
		// without calls (one is the handler's: Data calls do not nest).
		one := &c.h.one
		one.Packet = dissectors.Packet(p)
		_ = c.decoder().Feed(c.direction(dir), seg.Bytes, one, seg.Midstream)
		return
	}
	c.loc.seg = seg
	_ = c.decoder().Feed(c.direction(dir), seg.Bytes, &c.loc, seg.Midstream)
	c.loc.seg = nil
}

// Gap reports bytes of one direction that were never captured.
func (c *conn) Gap(dir capture.Direction, missing int, at capture.Packet) {
	_ = c.decoder().Gap(c.direction(dir), missing, dissectors.Packet(at))
}

// Close flushes both directions.
func (c *conn) Close(at capture.Packet) {
	if c.dec != nil {
		closeDecoder(c.dec, dissectors.Packet(at), c.h.cfg.Sink, &c.meta)
		c.dec = nil
	}
}

// decoder returns the connection's decoder, made on first use.
func (c *conn) decoder() dissectors.Connection {
	if c.dec == nil {
		c.dec = c.d.NewConnection(&c.meta, c.h)
	}
	return c.dec
}

// segmentLocator answers PacketAt for the segment being fed.
type segmentLocator struct {
	seg *capture.Segment
}

func (l *segmentLocator) PacketAt(off int) dissectors.Packet {
	p := l.seg.PacketAt(off)
	return dissectors.Packet(p)
}
