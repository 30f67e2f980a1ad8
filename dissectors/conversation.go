package dissectors

import "github.com/dissect-project/dissect/schema"

// Conversation decodes the datagrams of one conversation (for UDP, the
// datagrams between two endpoints): each datagram is one frame, and the
// frames share the conversation's state variables and request/response
// pairing, as the two directions of a TCP connection do.
type Conversation interface {
	// Datagram decodes one datagram and emits its record.
	Datagram(dir Direction, data []byte, pkt Packet) error
	// Close reports the requests that were never answered and the byte
	// accounting of each direction.
	Close(at Packet) error
}

// NewConversation returns the decoder of one datagram conversation. Its
// records go to sink; their offsets count the bytes of the conversation's
// datagrams in each direction, as stream offsets do for TCP.
func (d *SchemaDissector) NewConversation(conn *Conn, sink Sink) Conversation {
	d.openConvs++
	cv := reuse(&d.freeConvs)
	d.start(&cv.session, conn, sink)
	for dir := range cv.dirs {
		s := &cv.dirs[dir]
		s.dir = Direction(dir)
		s.root = d.root(s.dir)
		s.opts = schema.DecodeOptions{Limits: d.Limits, Response: s.dir == ServerToClient, State: cv.state}
	}
	return cv
}

// conversation decodes datagrams, each one frame: it keeps, per direction,
// only the offsets and the accounting, not a TCP connection's framing
// state (some 500 bytes a conversation instead of 1,024; a DNS capture has
// one conversation per query, and a minute's worth open).
type conversation struct {
	session
	dirs [2]datagramDir
}

// datagramDir is one direction of a conversation.
type datagramDir struct {
	root     *schema.Struct
	opts     schema.DecodeOptions
	offset   uint64 // bytes of the direction's datagrams so far
	firstPkt uint64 // first packet of the direction, 0 before any
	bytes    ByteCounts
	dir      Direction
}

// Release hands cv, closed, back to its dissector, as a connection's
// Release does.
func (cv *conversation) Release() {
	if d := cv.d; d != nil {
		release(cv, &cv.session, &d.freeConvs, &d.openConvs)
	}
}

// Datagram decodes one datagram as one frame. The frame and record are
// reused: the sink must not keep them.
func (cv *conversation) Datagram(dir Direction, data []byte, pkt Packet) error {
	if cv.err != nil {
		return cv.err
	}
	s := &cv.dirs[dir&1]
	if s.firstPkt == 0 {
		s.firstPkt = pkt.Number
	}
	n := uint64(len(data))
	s.bytes.Seen += n
	s.bytes.Decoded += n
	d := cv.d
	schema.DecodeWith(s.root, data, &d.frame, &s.opts)
	// The dissector's record, shared like its frame (see emitFrame).
	r := &d.rec
	r.Kind, r.Protocol, r.Conn, r.Dir = KindFrame, &d.info, cv.conn, s.dir
	r.Time, r.FirstPacket, r.LastPacket = pkt.Time, pkt.Number, pkt.Number
	r.Offset, r.Length, r.Data = s.offset, len(data), data
	r.Frame, r.Reason, r.Bytes = &d.frame, "", nil
	r.Pair = cv.pairs.observe(&cv.session, s.dir, &d.frame, &pkt)
	s.offset += n
	cv.emit(r)
	if len(d.streams) > 0 && cv.err == nil {
		// The pieces of [join] layers are collected per conversation and
		// direction, as over TCP; stream layers get the datagram's bytes.
		cv.feedLayers(s.dir, &d.frame, pkt)
	}
	return cv.err
}

// Close reports the messages whose pieces never all came, unanswered
// requests and the accounting of both directions.
func (cv *conversation) Close(at Packet) error {
	cv.closeLayers(at, "incomplete message: the conversation ended before its last piece")
	cv.pairs.flushUnanswered(&cv.session)
	for i := range cv.dirs {
		s := &cv.dirs[i]
		cv.emitAccounting(s.dir, &s.bytes, s.firstPkt, at)
	}
	return cv.err
}
