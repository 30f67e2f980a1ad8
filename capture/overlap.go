package capture

import (
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/reassembly"
)

// The assembler drops the bytes of a segment that were already delivered,
// but a segment that overlaps data it holds back (out of order, waiting for
// a hole to be filled) replaces that data. To make the first copy win there
// too, as TCP receivers do, every data segment is cut, before the assembler
// sees it, into the pieces that the assembler does not hold yet. A stream
// keeps the sequence ranges held back in each direction for that; they are
// pruned as the stream moves on.

// seqRange is the run of sequence numbers [start, end).
type seqRange struct {
	start, end reassembly.Sequence
}

// piece is a part of a segment, as offsets from the stream's next
// expected sequence number.
type piece struct {
	start, end int
}

// pendingSegment is a piece of the current packet to assemble after the
// first one.
type pendingSegment struct {
	seq     uint32
	payload []byte
	fin     bool
}

// trimHeld cuts out of tcp (a data segment without SYN) the bytes the
// assembler already holds, given held, the ranges it holds beyond next, the
// stream's next expected sequence number. tcp is changed in place to its
// first new piece; the others, and a FIN, are added to r.pending, for
// Reader.assemble to hand to the assembler after tcp. It returns false when
// the segment brings nothing new.
func (r *Reader) trimHeld(held *[]seqRange, tcp *layers.TCP, next reassembly.Sequence) bool {
	if tcp.RST {
		// The assembler takes a RST only at next, delivers its payload
		// and ends the direction: cut the payload at the first held byte.
		if next.Difference(reassembly.Sequence(tcp.Seq)) == 0 {
			q := pruneHeld(*held, next)
			*held = q
			if len(q) > 0 {
				if gs := next.Difference(q[0].start); gs >= 0 && gs < len(tcp.Payload) {
					tcp.Payload = tcp.Payload[:gs]
				}
			}
		}
		return true
	}
	if len(*held) == 0 {
		// Fast path: nothing is held back, so nothing to trim.
		if rs := next.Difference(reassembly.Sequence(tcp.Seq)); rs > 0 {
			seq := reassembly.Sequence(tcp.Seq)
			*held = append(*held, seqRange{seq, seq.Add(len(tcp.Payload))})
			r.ctxKept = true
		}
		return true
	}
	q := pruneHeld(*held, next)
	*held = q
	rs := next.Difference(reassembly.Sequence(tcp.Seq))
	re := rs + len(tcp.Payload)
	if re <= 0 {
		return true // all delivered already: the assembler drops it
	}

	// The parts of [rs, re) from next on that fall in no held range.
	pieces := r.pieces[:0]
	cur := max(rs, 0)
	for _, g := range q {
		gs, ge := next.Difference(g.start), next.Difference(g.end)
		if ge <= cur {
			continue
		}
		if gs >= re {
			break
		}
		if gs > cur {
			pieces = append(pieces, piece{cur, gs})
		}
		cur = ge
		if cur >= re {
			break
		}
	}
	if cur < re {
		pieces = append(pieces, piece{cur, re})
	}
	r.pieces = pieces

	fin := tcp.FIN
	if fin && len(q) > 0 && next.Difference(q[len(q)-1].end) > re {
		// Data is held beyond the FIN, which can't end the stream where
		// it says: ignore it, as a FIN on a SYN.
		fin, tcp.FIN = false, false
	}
	payload := tcp.Payload
	if len(pieces) == 0 {
		if !fin {
			return false
		}
		// Only the FIN is new.
		tcp.Seq = uint32(next.Add(re))
		tcp.Payload = payload[:0]
		return true
	}
	// If the first piece lies beyond next, the assembler is going to hold
	// it back: remember it, and don't reuse the packet context it keeps
	// with it. The other pieces come back here when they are assembled.
	if first := pieces[0]; first.start > 0 {
		*held = insertHeld(q, next, next.Add(first.start), next.Add(first.end))
		r.ctxKept = true
	}
	if len(pieces) == 1 && pieces[0] == (piece{max(rs, 0), re}) {
		return true // nothing held overlaps: the segment goes as it is
	}
	for i, p := range pieces {
		seq, data := uint32(next.Add(p.start)), payload[p.start-rs:p.end-rs]
		if i == 0 {
			tcp.Seq, tcp.Payload = seq, data
			continue
		}
		r.pending = append(r.pending, pendingSegment{seq: seq, payload: data})
	}
	if fin {
		// The FIN follows the last byte of the segment, which may be
		// held already: send it on its own, last.
		tcp.FIN = false
		r.pending = append(r.pending, pendingSegment{seq: uint32(next.Add(re)), payload: payload[:0], fin: true})
	}
	return true
}

// pruneHeld drops from q, sorted, what lies before next: the assembler
// delivered or skipped it.
func pruneHeld(q []seqRange, next reassembly.Sequence) []seqRange {
	i := 0
	for i < len(q) && next.Difference(q[i].end) <= 0 {
		i++
	}
	if i > 0 {
		q = q[:copy(q, q[i:])]
	}
	if len(q) > 0 && next.Difference(q[0].start) < 0 {
		q[0].start = next
	}
	if len(q) == 0 && cap(q) > 64 {
		return nil // let a burst of reordering give its memory back
	}
	return q
}

// insertHeld adds [start, end), which overlaps none of q, to q, keeping it
// sorted from next on and merging adjacent ranges.
func insertHeld(q []seqRange, next, start, end reassembly.Sequence) []seqRange {
	off := next.Difference(start)
	i := 0
	for i < len(q) && next.Difference(q[i].start) < off {
		i++
	}
	if i > 0 && q[i-1].end == start {
		q[i-1].end = end
		if i < len(q) && q[i].start == end {
			q[i-1].end = q[i].end
			q = append(q[:i], q[i+1:]...)
		}
		return q
	}
	if i < len(q) && q[i].start == end {
		q[i].start = start
		return q
	}
	q = append(q, seqRange{})
	copy(q[i+1:], q[i:])
	q[i] = seqRange{start, end}
	return q
}
