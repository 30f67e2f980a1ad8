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
	c := d.NewConnection(conn, sink).(*connection)
	return (*conversation)(c)
}

// conversation is a connection that decodes datagrams instead of a byte
// stream: the stream decoders only keep the offsets and the accounting.
type conversation connection

// Release hands cv, closed, back to its dissector, as a connection's
// Release does.
func (cv *conversation) Release() { (*connection)(cv).Release() }

// Datagram decodes one datagram as one frame. The frame and record are
// reused: the sink must not keep them.
func (cv *conversation) Datagram(dir Direction, data []byte, pkt Packet) error {
	c := (*connection)(cv)
	if c.err != nil {
		return c.err
	}
	s := &c.dirs[dir&1]
	if s.firstPkt == 0 {
		s.firstPkt = pkt.Number
	}
	n := uint64(len(data))
	s.bytes.Seen += n
	s.bytes.Decoded += n
	d := c.d
	schema.DecodeWith(s.root, data, &d.frame, &s.opts)
	// The dissector's record, shared like its frame (see emitFrame).
	r := &d.rec
	r.Kind, r.Protocol, r.Conn, r.Dir = KindFrame, &d.info, c.conn, s.dir
	r.Time, r.FirstPacket, r.LastPacket = pkt.Time, pkt.Number, pkt.Number
	r.Offset, r.Length, r.Data = s.offset, len(data), data
	r.Frame, r.Reason, r.Bytes = &d.frame, "", nil
	r.Pair = c.pairs.observe(c, s.dir, &d.frame, &pkt)
	s.offset += n
	c.emit(r)
	if len(d.streams) > 0 && c.err == nil {
		// The pieces of [join] layers are collected per conversation and
		// direction, as over TCP; stream layers get the datagram's bytes.
		c.feedLayers(s.dir, &d.frame, pkt)
	}
	return c.err
}

// Close reports the messages whose pieces never all came, unanswered
// requests and the accounting of both directions.
func (cv *conversation) Close(at Packet) error {
	c := (*connection)(cv)
	c.closeLayers(at, "incomplete message: the conversation ended before its last piece")
	c.pairs.flushUnanswered(c)
	for i := range c.dirs {
		c.dirs[i].emitAccounting(at)
	}
	return c.err
}
