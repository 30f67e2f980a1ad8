package pcapgen

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
)

// BaseTime returns the timestamp of the first packet of every Capture:
// 2024-01-01T00:00:00Z.
func BaseTime() time.Time {
	return time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)
}

// Default spacing between two consecutive packets of a Capture.
const (
	minPacketGap = 20 * time.Microsecond
	maxPacketGap = 400 * time.Microsecond
)

// Kind classifies a message queued on a Conn.
type Kind uint8

// Message kinds. An exception response is a response too: Stats counts it
// in both Responses and Exceptions.
const (
	KindRequest Kind = iota + 1
	KindResponse
	KindException
)

// String returns "request", "response" or "exception".
func (k Kind) String() string {
	switch k {
	case KindRequest:
		return "request"
	case KindResponse:
		return "response"
	case KindException:
		return "exception"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Packet is one captured Ethernet frame.
type Packet struct {
	// Time is the capture timestamp, a whole number of microseconds after
	// BaseTime.
	Time time.Time
	// Data is the complete frame, starting with the Ethernet header.
	Data []byte

	conn *Conn // nil for packets not produced by a Conn
	// datagram marks a whole UDP datagram added by Capture.Datagram (or
	// the fragment that completes one).
	datagram bool
	dir      Dir
	off      int // stream offset of the first payload byte
	n        int // payload length
}

// message is a range of one direction of a Conn's byte stream that holds a
// complete application message.
type message struct {
	conn *Conn
	dir  Dir
	off  int
	n    int
	kind Kind
}

// Capture is a deterministic sequence of timestamped Ethernet frames, built
// by the Conns created with NewConn. The zero value is not usable; call
// NewCapture.
type Capture struct {
	rng     *rand.Rand
	now     time.Time
	packets []Packet
	conns   []*Conn
	msgs    []message
	cutLast bool
}

// NewCapture returns an empty Capture whose clock starts at BaseTime and
// whose random choices (initial sequence numbers, IP identifiers, packet
// spacing) are drawn from a PCG generator seeded with seed.
func NewCapture(seed uint64) *Capture {
	return &Capture{
		rng: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)),
		now: BaseTime(),
	}
}

// Rand returns the capture's random generator, so that scenario code can
// make its own deterministic choices from the same seed.
func (c *Capture) Rand() *rand.Rand { return c.rng }

// Now returns the timestamp the next packet will get.
func (c *Capture) Now() time.Time { return c.now }

// Sleep advances the clock by d, truncated to whole microseconds.
func (c *Capture) Sleep(d time.Duration) {
	c.now = c.now.Add(d.Truncate(time.Microsecond))
}

// SleepBetween advances the clock by a random duration in [lo, hi],
// in whole microseconds.
func (c *Capture) SleepBetween(lo, hi time.Duration) {
	c.Sleep(c.between(lo, hi))
}

func (c *Capture) between(lo, hi time.Duration) time.Duration {
	lu, hu := int64(lo/time.Microsecond), int64(hi/time.Microsecond)
	if hu <= lu {
		return time.Duration(lu) * time.Microsecond
	}
	return time.Duration(lu+c.rng.Int64N(hu-lu+1)) * time.Microsecond
}

// Packets returns the frames built so far, in capture order. The slice is
// shared with the Capture and must not be modified.
func (c *Capture) Packets() []Packet { return c.packets }

// Len returns the number of packets built so far.
func (c *Capture) Len() int { return len(c.packets) }

// CutLast marks the capture as truncated: Encode then cuts the file in the
// middle of the data of the last packet record, and Stats ignores that
// packet's payload.
func (c *Capture) CutLast() { c.cutLast = true }

// IsCut reports whether CutLast was called.
func (c *Capture) IsCut() bool { return c.cutLast }

// add appends a frame stamped with the current time and then advances the
// clock by the default packet spacing.
func (c *Capture) add(p Packet) {
	p.Time = c.now
	c.packets = append(c.packets, p)
	c.Sleep(c.between(minPacketGap, maxPacketGap))
}

// Stats summarises a Capture.
type Stats struct {
	Packets    int // packet records, including a cut last one
	Conns      int // TCP connections with at least one packet
	Requests   int // complete request messages a reassembler can recover
	Responses  int // complete response messages, exceptions included
	Exceptions int // complete exception responses
	Datagrams  int // whole UDP datagrams (for datagram protocols, one message each)
}

// Stats counts the packets and connections of the capture and the queued
// messages that a correct reassembler recovers from it: a message counts
// when every byte from the first captured byte of its direction of the
// stream up to the message's last byte is carried by some packet. The
// payload of a packet cut by CutLast does not count.
func (c *Capture) Stats() Stats {
	s := Stats{Packets: len(c.packets)}
	usable := c.packets
	if c.cutLast && len(usable) > 0 {
		usable = usable[:len(usable)-1]
	}
	type span struct{ off, end int }
	spans := make(map[*Conn]*[2][]span, len(c.conns))
	for _, p := range c.packets {
		if p.conn != nil && spans[p.conn] == nil {
			spans[p.conn] = new([2][]span)
			s.Conns++
		}
	}
	for _, p := range usable {
		if p.datagram {
			s.Datagrams++
		}
		if p.conn != nil && p.n > 0 {
			sp := spans[p.conn]
			sp[p.dir] = append(sp[p.dir], span{p.off, p.off + p.n})
		}
	}
	// contiguous returns how many bytes, from offset 0, are covered.
	contiguous := func(ss []span) int {
		ss = slices.Clone(ss)
		slices.SortFunc(ss, func(a, b span) int { return a.off - b.off })
		end := 0
		for _, x := range ss {
			if x.off > end {
				break
			}
			end = max(end, x.end)
		}
		return end
	}
	covered := make(map[*Conn][2]int, len(spans))
	for _, conn := range c.conns {
		if sp := spans[conn]; sp != nil {
			covered[conn] = [2]int{contiguous(sp[0]), contiguous(sp[1])}
		}
	}
	for _, m := range c.msgs {
		if m.off+m.n > covered[m.conn][m.dir] {
			continue
		}
		switch m.kind {
		case KindRequest:
			s.Requests++
		case KindResponse:
			s.Responses++
		case KindException:
			s.Responses++
			s.Exceptions++
		}
	}
	return s
}
