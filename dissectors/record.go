package dissectors

import (
	"net/netip"
	"strconv"
	"time"

	"github.com/dissect-project/dissect/schema"
)

// Endpoint is one side of a conversation.
type Endpoint struct {
	Addr netip.Addr
	Port uint16
}

// Conn describes the conversation a record belongs to.
type Conn struct {
	ID        uint64 // connection number, 0-based, in order of first packet
	Transport string // "tcp" or "udp"
	Client    Endpoint
	Server    Endpoint
}

// Direction says which way a record travelled.
type Direction uint8

// The directions.
const (
	ClientToServer Direction = iota
	ServerToClient
)

func (d Direction) String() string {
	if d == ServerToClient {
		return "response"
	}
	return "request"
}

// Packet identifies one captured packet.
type Packet struct {
	Number uint64
	Time   time.Time
}

// Connection decodes both directions of one TCP connection, which share the
// connection's state and request/response pairing. Each method returns the
// sink's error, if any; nothing is emitted after one.
type Connection interface {
	// Feed hands over the next bytes of one direction. loc tells which
	// packet carried each of them. midstream means the bytes may start in
	// the middle of a frame, because the start of the stream was not
	// captured.
	Feed(dir Direction, data []byte, loc PacketLocator, midstream bool) error
	// Gap says that missing bytes of one direction were never captured.
	Gap(dir Direction, missing int, at Packet) error
	// Close flushes what is pending at the end of the connection.
	Close(at Packet) error
}

// Releaser is a Connection (or Conversation) that its dissector can reuse
// once its user is done with it: after Close, the user that drops its last
// reference may call Release, and must not use it again.
type Releaser interface {
	Release()
}

// PacketLocator tells which packet carried a byte of the data handed to a
// decoder.
type PacketLocator interface {
	PacketAt(off int) Packet
}

// RecordKind says what a record holds.
type RecordKind uint8

// The kinds of record.
const (
	KindFrame      RecordKind = iota // a frame, decoded completely or in part
	KindSkipped                      // bytes that could not be decoded and were skipped
	KindGap                          // bytes missing from the capture
	KindUnanswered                   // a request that never got a response
	KindStream                       // the end of one direction of a stream: its byte accounting, in Record.Bytes
)

// ByteCounts accounts for every byte of one direction of a stream. They add
// up: Seen == Decoded + Skipped + Incomplete, and Seen + Missing is the
// length of the direction (the stream offset after its last byte).
type ByteCounts struct {
	Seen       uint64 // bytes captured and handed to the decoder
	Decoded    uint64 // bytes in complete frames (frames with decode errors included)
	Skipped    uint64 // bytes skipped: while resynchronising, or over a buffering limit
	Incomplete uint64 // bytes of frames cut short by a gap or by the end of the stream, decoded as far as they go
	Missing    uint64 // bytes never captured (gaps)
}

// Add adds o to c.
func (c *ByteCounts) Add(o *ByteCounts) {
	c.Seen += o.Seen
	c.Decoded += o.Decoded
	c.Skipped += o.Skipped
	c.Incomplete += o.Incomplete
	c.Missing += o.Missing
}

// Check returns "" when the counts add up, otherwise what does not.
func (c *ByteCounts) Check() string {
	if sum := c.Decoded + c.Skipped + c.Incomplete; sum != c.Seen {
		return "decoded " + strconv.FormatUint(c.Decoded, 10) + " + skipped " + strconv.FormatUint(c.Skipped, 10) +
			" + incomplete " + strconv.FormatUint(c.Incomplete, 10) + " = " + strconv.FormatUint(sum, 10) +
			" bytes, but " + strconv.FormatUint(c.Seen, 10) + " were seen"
	}
	return ""
}

func (k RecordKind) String() string {
	switch k {
	case KindSkipped:
		return "skipped"
	case KindGap:
		return "gap"
	case KindUnanswered:
		return "unanswered"
	case KindStream:
		return "stream"
	}
	return "frame"
}

// PairStatus says how a frame relates to its peer in request/response
// pairing.
type PairStatus uint8

// The pairing outcomes.
const (
	PairNone        PairStatus = iota // the frame takes no part in pairing
	PairRequest                       // a request, waiting for its response
	PairMatched                       // a response to a request seen earlier
	PairDuplicate                     // a response to a request already answered
	PairUnsolicited                   // a response to no request seen (it may precede the capture)
	PairUnanswered                    // a request that never got a response
)

func (s PairStatus) String() string {
	switch s {
	case PairRequest:
		return "request"
	case PairMatched:
		return "matched"
	case PairDuplicate:
		return "duplicate"
	case PairUnsolicited:
		return "unsolicited"
	case PairUnanswered:
		return "unanswered"
	}
	return "none"
}

// PairInfo relates a frame to its peer.
type PairInfo struct {
	Status     PairStatus
	Key        int64
	PeerPacket uint64        // the request's packet, for a response; the response's, for an answered request
	Latency    time.Duration // from the request to the response
}

// Record is one unit of output: a decoded frame, or a run of bytes that
// could not be decoded. Records are reused: a Sink must copy what it keeps
// beyond its Emit call.
type Record struct {
	Kind        RecordKind
	Protocol    *Info
	Conn        *Conn
	Dir         Direction
	Time        time.Time // time of the packet that completed the record
	FirstPacket uint64    // number of the first packet that carried its bytes
	LastPacket  uint64    // number of the last packet that carried its bytes
	Offset      uint64    // stream offset of its first byte, per direction
	Length      int       // bytes covered (for gaps, bytes missing)
	Data        []byte    // the bytes, when they are at hand
	Frame       *schema.Frame
	Reason      string      // why bytes were skipped or a frame is incomplete
	Pair        PairInfo    // request/response pairing, when the schema declares it
	Bytes       *ByteCounts // for KindStream: the direction's byte accounting (Length is Seen + Missing)
}

// setBytesless fills r as a record of kind with no bytes at hand (skipped
// bytes or a gap): n bytes at stream offset off, carried by the packets
// first to last, for reason. Conn, Dir, Protocol and Bytes are left as
// they are.
func (r *Record) setBytesless(kind RecordKind, first, last Packet, off uint64, n int, reason string) {
	r.Kind = kind
	r.Time = last.Time
	r.FirstPacket, r.LastPacket = first.Number, last.Number
	r.Offset = off
	r.Length = n
	r.Data = nil
	r.Frame = nil
	r.Reason = reason
	r.Pair = PairInfo{}
}

// Err returns why the record is not a complete frame: the decode error of
// a frame, or the reason for skipped bytes; "" for a good frame.
func (r *Record) Err() string {
	if r.Kind != KindFrame {
		return r.Reason
	}
	if r.Reason != "" {
		return r.Reason
	}
	if r.Frame != nil && r.Frame.Err != nil {
		return r.Frame.Err.Error()
	}
	return ""
}

// Sink receives records. A Sink's error stops the run.
type Sink interface {
	Emit(r *Record) error
}
