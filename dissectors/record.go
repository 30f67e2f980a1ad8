package dissectors

import (
	"net/netip"
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

// PacketLocator tells which packet carried a byte of the data handed to a
// decoder.
type PacketLocator interface {
	PacketAt(off int) Packet
}

// RecordKind says what a record holds.
type RecordKind uint8

// The kinds of record.
const (
	KindFrame   RecordKind = iota // a frame, decoded completely or in part
	KindSkipped                   // bytes that could not be decoded and were skipped
	KindGap                       // bytes missing from the capture
)

func (k RecordKind) String() string {
	switch k {
	case KindSkipped:
		return "skipped"
	case KindGap:
		return "gap"
	}
	return "frame"
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
	Reason      string // why bytes were skipped or a frame is incomplete
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
