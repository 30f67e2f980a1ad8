package dissectors

import (
	"strconv"

	"github.com/dissect-project/dissect/schema"
)

// Reasons given for skipped bytes. They are constants so that skipping
// allocates nothing.
const (
	reasonMidstream = "capture started in the middle of the stream; searching for the start of a frame"
	reasonGap       = "bytes after a gap in the capture; searching for the start of a frame"
	reasonBadLength = "no valid frame here: the framing length is out of range; searching for the start of a frame"
	reasonBadFrame  = "no valid frame here: the bytes do not decode; searching for the start of a frame"
)

// pendingChunk is how many bytes to take at a time while the framing rule
// still needs more of a frame's header to tell its length.
const pendingChunk = 16

// pktRun says that pending bytes from index at onwards came in packet pkt.
type pktRun struct {
	at  int
	pkt Packet
}

// streamDecoder frames and decodes one direction of a TCP connection with a
// schema. Complete frames are decoded straight from the bytes handed to
// Feed; only the bytes of a frame that is not complete yet are copied, into
// pending, until the rest arrives.
type streamDecoder struct {
	d    *SchemaDissector
	root *schema.Struct
	sink Sink
	err  error

	offset  uint64 // stream offset of the first byte not yet consumed
	pending []byte // bytes of an incomplete frame, starting at offset
	runs    []pktRun

	hunting    bool   // searching for a frame boundary
	huntReason string // why, for the skipped record
	skipStart  uint64
	skipLen    int
	skipFirst  Packet
	skipLast   Packet
	skipReason string

	frame schema.Frame
	rec   Record
}

// view is the slice being consumed: either the caller's bytes or pending.
type view struct {
	p    []byte
	loc  PacketLocator // for the caller's bytes
	base int           // offset of p[0] in the caller's bytes
}

func (s *streamDecoder) locate(v *view, i int) Packet {
	if v.loc != nil {
		return v.loc.PacketAt(v.base + i)
	}
	pkt := Packet{}
	for _, r := range s.runs {
		if r.at > i {
			break
		}
		pkt = r.pkt
	}
	return pkt
}

// Feed hands over the next bytes of the stream.
func (s *streamDecoder) Feed(data []byte, loc PacketLocator, midstream bool) error {
	if s.err != nil || len(data) == 0 {
		return s.err
	}
	if midstream && s.offset == 0 && len(s.pending) == 0 && !s.hunting {
		s.hunting, s.huntReason = true, reasonMidstream
	}
	pos := 0
	for pos < len(data) && s.err == nil {
		if len(s.pending) == 0 {
			v := view{p: data[pos:], loc: loc, base: pos}
			pos += s.consume(&v)
			if pos < len(data) && s.err == nil {
				s.appendPending(data, pos, len(data), loc)
			}
			return s.err
		}
		take := min(s.wanted(), len(data)-pos)
		s.appendPending(data, pos, pos+take, loc)
		pos += take
		v := view{p: s.pending}
		s.dropPending(s.consume(&v))
	}
	return s.err
}

// wanted is how many more bytes the pending frame needs to make progress.
func (s *streamDecoder) wanted() int {
	n, st := s.d.Program.Framing.FrameLen(s.pending)
	switch st {
	case schema.FrameOK:
		return max(1, n-len(s.pending))
	case schema.FrameNeedMore:
		return pendingChunk
	}
	return 1
}

func (s *streamDecoder) appendPending(data []byte, from, to int, loc PacketLocator) {
	at := len(s.pending)
	s.pending = append(s.pending, data[from:to]...)
	first := loc.PacketAt(from)
	if len(s.runs) == 0 || s.runs[len(s.runs)-1].pkt.Number != first.Number {
		s.runs = append(s.runs, pktRun{at: at, pkt: first})
	}
	if last := loc.PacketAt(to - 1); last.Number != first.Number {
		s.runs = append(s.runs, pktRun{at: at + to - 1 - from, pkt: last})
	}
}

// dropPending removes the first n pending bytes, which were consumed.
func (s *streamDecoder) dropPending(n int) {
	if n == 0 {
		return
	}
	s.pending = s.pending[:copy(s.pending, s.pending[n:])]
	if len(s.pending) == 0 {
		s.runs = s.runs[:0]
		return
	}
	// Keep the run that covers the new first byte, and those after it.
	keep := 0
	for i, r := range s.runs {
		if r.at <= n {
			keep = i
		}
	}
	s.runs = s.runs[:copy(s.runs, s.runs[keep:])]
	for i := range s.runs {
		s.runs[i].at = max(0, s.runs[i].at-n)
	}
}

// consume decodes every complete frame at the start of v and returns how
// many bytes it used. It stops at an incomplete frame.
func (s *streamDecoder) consume(v *view) int {
	fr := s.d.Program.Framing
	p := v.p
	off := 0
	for off < len(p) && s.err == nil {
		n, st := fr.FrameLen(p[off:])
		if st == schema.FrameNeedMore && len(p)-off > fr.Max {
			// A framing rule that still wants more after a whole maximal
			// frame never will: the bytes here cannot start a frame.
			st = schema.FrameInvalid
		}
		if st == schema.FrameNeedMore {
			break
		}
		if st == schema.FrameInvalid {
			if !s.hunting {
				s.hunting, s.huntReason = true, reasonBadLength
			}
			s.skip(v, off, 1)
			off++
			continue
		}
		if off+n > len(p) {
			break
		}
		schema.Decode(s.root, p[off:off+n], &s.frame, s.d.Limits)
		if s.hunting && s.frame.Err != nil {
			if s.huntReason == reasonBadLength {
				s.huntReason = reasonBadFrame
			}
			s.skip(v, off, 1)
			off++
			continue
		}
		s.hunting = false
		s.flushSkipped()
		s.emitFrame(p[off:off+n], s.offset+uint64(off), s.locate(v, off), s.locate(v, off+n-1), "")
		off += n
	}
	s.offset += uint64(off)
	return off
}

// skip adds n bytes at off of v to the current run of skipped bytes.
func (s *streamDecoder) skip(v *view, off, n int) {
	if s.skipLen == 0 {
		s.skipStart = s.offset + uint64(off)
		s.skipFirst = s.locate(v, off)
		s.skipReason = s.huntReason
	}
	s.skipLen += n
	s.skipLast = s.locate(v, off+n-1)
}

func (s *streamDecoder) flushSkipped() {
	if s.skipLen == 0 || s.err != nil {
		return
	}
	r := &s.rec
	r.Kind = KindSkipped
	r.Time = s.skipLast.Time
	r.FirstPacket, r.LastPacket = s.skipFirst.Number, s.skipLast.Number
	r.Offset = s.skipStart
	r.Length = s.skipLen
	r.Data = nil
	r.Frame = nil
	r.Reason = s.skipReason
	s.skipLen = 0
	s.err = s.sink.Emit(r)
}

func (s *streamDecoder) emitFrame(data []byte, offset uint64, first, last Packet, reason string) {
	r := &s.rec
	r.Kind = KindFrame
	r.Time = last.Time
	r.FirstPacket, r.LastPacket = first.Number, last.Number
	r.Offset = offset
	r.Length = len(data)
	r.Data = data
	r.Frame = &s.frame
	r.Reason = reason
	s.err = s.sink.Emit(r)
}

// flushPending reports the bytes of a frame that will never be complete:
// skipped bytes while hunting, otherwise an incomplete frame decoded as far
// as it goes.
func (s *streamDecoder) flushPending(why string) {
	if len(s.pending) == 0 || s.err != nil {
		return
	}
	v := view{p: s.pending}
	if s.hunting {
		s.skip(&v, 0, len(s.pending))
	} else {
		s.flushSkipped()
		want, st := s.d.Program.Framing.FrameLen(s.pending)
		reason := why + ": have " + strconv.Itoa(len(s.pending)) + " bytes"
		if st == schema.FrameOK {
			reason += " of " + strconv.Itoa(want)
		}
		schema.Decode(s.root, s.pending, &s.frame, s.d.Limits)
		s.emitFrame(s.pending, s.offset, s.locate(&v, 0), s.locate(&v, len(s.pending)-1), reason)
	}
	s.offset += uint64(len(s.pending))
	s.pending = s.pending[:0]
	s.runs = s.runs[:0]
}

// Gap reports bytes that were never captured.
func (s *streamDecoder) Gap(missing int, at Packet) error {
	if s.err != nil {
		return s.err
	}
	s.flushPending("incomplete frame: the rest was lost in a gap in the capture")
	s.flushSkipped()
	if s.err != nil {
		return s.err
	}
	r := &s.rec
	r.Kind = KindGap
	r.Time = at.Time
	r.FirstPacket, r.LastPacket = at.Number, at.Number
	r.Offset = s.offset
	r.Length = missing
	r.Data = nil
	r.Frame = nil
	r.Reason = strconv.Itoa(missing) + " bytes missing from the capture"
	s.err = s.sink.Emit(r)
	if missing > 0 {
		s.offset += uint64(missing)
	}
	s.hunting, s.huntReason = true, reasonGap
	return s.err
}

// Close reports whatever is pending when the stream ends.
func (s *streamDecoder) Close(at Packet) error {
	s.flushPending("incomplete frame: the stream ended before the frame was complete")
	s.flushSkipped()
	return s.err
}
