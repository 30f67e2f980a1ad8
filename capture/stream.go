package capture

import (
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/reassembly"
)

// invalidSequence is the nextSeq the assembler passes to Accept for a
// half-connection that has not started yet.
const invalidSequence reassembly.Sequence = -1

// packetContext is the reassembly.AssemblerContext of one packet. The
// assembler keeps it with out-of-order data, and ScatterGather.CaptureInfo
// returns it for each byte: the packet number is in InterfaceIndex.
type packetContext struct {
	ci gopacket.CaptureInfo
}

// GetCaptureInfo implements reassembly.AssemblerContext.
func (c *packetContext) GetCaptureInfo() gopacket.CaptureInfo { return c.ci }

// packetOf returns the packet described by a CaptureInfo of a packetContext.
func packetOf(ci gopacket.CaptureInfo) Packet {
	n := ci.InterfaceIndex
	if n < 0 {
		n = 0
	}
	return Packet{Number: uint64(n), Time: ci.Timestamp}
}

// streamFactory creates a tcpStream for each new connection.
type streamFactory struct {
	r *Reader
}

// New implements reassembly.StreamFactory. It is called, from
// AssembleWithContext, for a packet that belongs to no known connection; the
// Reader's current packet and layers are that packet's.
func (f streamFactory) New(netFlow, _ gopacket.Flow, tcp *layers.TCP, _ reassembly.AssemblerContext) reassembly.Stream {
	r := f.r
	// A packet without SYN or payload doesn't open a connection: it is
	// most often the last ACK (or a late FIN or RST) of a connection that
	// was already closed and forgotten. Returning nil drops the packet.
	if !tcp.SYN && len(tcp.Payload) == 0 {
		return nil
	}
	src, dst := r.endpoints(r.netLayer, uint16(tcp.SrcPort), uint16(tcp.DstPort))
	flow := Flow{
		ID:        r.nextID,
		Transport: TCP,
		Initiator: src,
		Responder: dst,
		SawSYN:    tcp.SYN,
	}
	s := &tcpStream{r: r, last: r.pkt, id: flow.ID, netFlow: netFlow, sport: uint16(tcp.SrcPort), dport: uint16(tcp.DstPort)}
	r.lruPushFront(s)
	if tcp.SYN && tcp.ACK {
		// The first packet seen is the SYN-ACK: its destination initiated
		// the connection. The assembler calls the direction of the first
		// packet client->server, which is the responder's here.
		flow.Initiator, flow.Responder = dst, src
		s.swapped = true
	}
	r.nextID++
	r.stats.Streams++
	s.h = r.h.OpenStream(flow, r.pkt)
	return s
}

// tcpStream is the reassembly.Stream of one connection. It is kept small:
// there may be many thousands at once.
//
// What every packet uses is in its first cache line: with many
// connections open, a packet's connection is rarely still in the cache.
// Its size is 192 bytes, a size class of the allocator whose objects
// start at multiples of 64 bytes, so that the first 64 bytes are one
// line; TestStreamLayout checks both.
type tcpStream struct {
	r         *Reader
	h         StreamHandler // nil when the handler ignores the connection, or after Close
	last      Packet        // last packet seen on the connection; its Number orders connections by activity (lru.go)
	swapped   bool          // the assembler's client->server is FromResponder
	midstream [2]bool       // per Direction: started without SYN, no Data delivered yet
	hasHeld   bool          // held != nil, here in the line every packet reads (held is not): Accept tests it for every data segment
	closed    bool          // Close was called
	mayHold   bool          // the assembler may hold data of it back: counted in Reader.holding (see setHolding, Reader.flushMayAct)

	// Per Direction: data the assembler holds back, see trimHeld; nil
	// until some is, which most connections never see.
	held *[2][]seqRange
	lru  lruLink // its place among the open connections, see lru.go
	id   uint64  // Flow.ID

	// The assembler's key of the connection (its first packet's network
	// flow and ports), to end it early.
	netFlow      gopacket.Flow
	sport, dport uint16
	_            [tcpStreamPad]byte
}

// tcpStreamPad makes a tcpStream 192 bytes.
const tcpStreamPad = 32

// direction maps the assembler's direction to ours.
func (s *tcpStream) direction(d reassembly.TCPFlowDirection) Direction {
	if bool(d) != s.swapped {
		return FromResponder
	}
	return FromInitiator
}

// Accept implements reassembly.Stream. It takes every packet, forcing the
// start of a half-connection whose SYN was not seen, and trims data
// segments to the bytes the assembler does not hold yet.
func (s *tcpStream) Accept(tcp *layers.TCP, ci gopacket.CaptureInfo, d reassembly.TCPFlowDirection, nextSeq reassembly.Sequence, start *bool, _ reassembly.AssemblerContext) bool {
	if s.r.forcing {
		// A synthetic RST from closeConn: put it where it ends the
		// direction.
		if nextSeq != invalidSequence {
			tcp.Seq = uint32(nextSeq)
		} else {
			*start = true
		}
		return true
	}
	if tcp.SYN && nextSeq != invalidSequence && reassembly.Sequence(tcp.Seq).Add(1) != nextSeq {
		// A SYN that is not a retransmission: a new connection on the
		// same ports (after a RST, or an idle time shorter than
		// IdleTimeout). Reader.assemble ends this one and starts anew.
		s.r.reused = true
		return false
	}
	// ci is the packet being assembled (r.ctx's), r.pkt: reading that
	// costs less than converting ci.
	s.last = s.r.pkt // also its activity, see lru.go
	if s.h == nil {
		return false // ignored or closed: no need to reassemble anything
	}
	dir := s.direction(d)
	switch {
	case nextSeq == invalidSequence:
		if !tcp.SYN {
			// Midstream capture: start with this packet rather than
			// wait forever for a SYN.
			*start = true
			s.midstream[dir] = true
		}
		if s.hasHeld {
			s.held[dir] = s.held[dir][:0]
		}
	case tcp.SYN || len(tcp.Payload) == 0:
		// Never held back by the assembler: it keeps a FIN beyond next
		// as a position, not a page, and drops a RST there.
	default:
		if !s.hasHeld {
			// Nothing was ever held back on the connection (the common
			// case): what trimHeld does with no ranges held, without
			// them. A RST, or data at or before next, is taken whole;
			// data beyond next is the first held back.
			switch d := nextSeq.Difference(reassembly.Sequence(tcp.Seq)); {
			case d == 0:
				// In order: the assembler delivers exactly the payload,
				// at once (it holds nothing to prepend or append), which
				// ReassembledSG then need not ask it about.
				s.r.inOrder, s.r.inOrderDir = s, dir
				return true
			case tcp.RST || d < 0:
				return true
			}
			s.held, s.hasHeld = new([2][]seqRange), true
		}
		ok := s.r.trimHeld(&s.held[dir], tcp, nextSeq)
		s.setHolding(len(s.held[0]) > 0 || len(s.held[1]) > 0)
		return ok
	}
	return true
}

// setHolding records whether the assembler may hold segments of s back:
// whether data beyond next is held in either direction (s.held, a
// direction's ranges pruned when it next takes data; the assembler may
// have delivered them before, never after). Reader.holding counts the
// streams that may.
func (s *tcpStream) setHolding(may bool) {
	if may != s.mayHold {
		s.mayHold = may
		if may {
			s.r.holding++
		} else {
			s.r.holding--
		}
	}
}

// ReassembledSG implements reassembly.Stream: it reports a gap, if any, then
// delivers the bytes.
func (s *tcpStream) ReassembledSG(sg reassembly.ScatterGather, ac reassembly.AssemblerContext) {
	h := s.h
	if h == nil {
		return
	}
	r := s.r
	seg := &r.seg
	if r.inOrder == s && !r.held.on {
		// The payload of the packet being assembled, in order, as Accept
		// found: no gap, and the packet carried every byte.
		r.inOrder = nil
		dir := r.inOrderDir
		seg.Midstream = s.midstream[dir]
		s.midstream[dir] = false
		seg.Bytes, seg.pkt = r.tcp.Payload, r.pkt // r.pkt is r.ctx.ci's packet
		h.Data(dir, seg)
		// Only Bytes holds on to anything; the other fields are as
		// Segment{} has them, or set by every use.
		seg.Bytes = nil
		return
	}
	avail, _ := sg.Lengths()
	d, _, _, skip := sg.Info()
	dir := s.direction(d)
	if skip > 0 {
		s.gap(sg, ac, h, dir, skip)
	}
	if avail <= 0 {
		return
	}
	seg.Bytes = sg.Fetch(avail)
	seg.Midstream = s.midstream[dir]
	seg.sg = sg
	if r.inAssemble && sameArray(seg.Bytes, r.tcp.Payload) {
		// In-order data that Accept did not see as such (a retransmission
		// that brings new bytes too): every byte is in the packet being
		// assembled, so PacketAt need not ask sg. The assembler copies
		// every byte it holds into pages of its own, and Fetch copies
		// bytes from several chunks into a new slice: bytes in the array
		// of the current payload are the live packet's, whose context is
		// r.ctx. (The array is the capture's read buffer, which holds
		// earlier records too: the check is sound only because nothing
		// the assembler delivers is a slice of an earlier packet.)
		seg.sg, seg.pkt = nil, packetOf(r.ctx.ci)
	}
	s.midstream[dir] = false
	if r.held.on {
		r.holdData(s, h, dir, seg)
	} else {
		h.Data(dir, seg)
	}
	*seg = Segment{} // don't keep the assembler's data alive
}

// gap reports skip bytes missing before what sg holds, in the direction
// dir. Out of ReassembledSG, whose code stays short for in-order data.
//
//go:noinline
func (s *tcpStream) gap(sg reassembly.ScatterGather, ac reassembly.AssemblerContext, h StreamHandler, dir Direction, skip int) {
	r := s.r
	at := packetOf(sg.CaptureInfo(0))
	if at.Number == 0 && ac != nil {
		at = packetOf(ac.GetCaptureInfo())
	}
	if at.Number == 0 {
		at = s.last
	}
	r.stats.Gaps++
	r.stats.GapBytes += uint64(skip)
	if r.inAssemble {
		r.stats.GapsOverLimit++
		r.stats.GapOverLimitBytes += uint64(skip)
	}
	if r.held.on {
		r.held.events = append(r.held.events, heldEvent{id: s.id, h: h, kind: heldGap, dir: dir, missing: skip, at: at})
	} else {
		h.Gap(dir, skip, at)
	}
}

// ReassemblyComplete implements reassembly.Stream: it closes the stream,
// once, and lets the assembler forget the connection.
func (s *tcpStream) ReassemblyComplete(reassembly.AssemblerContext) bool {
	s.r.lruRemove(s)
	if !s.closed {
		s.closed = true
		if h := s.h; h != nil {
			s.h = nil
			if s.r.held.on {
				s.r.held.events = append(s.r.held.events, heldEvent{id: s.id, h: h, kind: heldClose, at: s.last})
			} else {
				h.Close(s.last)
			}
		}
	}
	return true
}

// sameArray reports whether a and b are non-empty slices of the same array:
// slices of one array end their capacity at its last element.
func sameArray(a, b []byte) bool {
	return cap(a) > 0 && cap(b) > 0 && &a[:cap(a)][cap(a)-1] == &b[:cap(b)][cap(b)-1]
}
