package dissectors

import "github.com/dissect-project/dissect/schema"

// ReasonBufferLimit is the reason of the skipped-bytes records of frames
// that were too large to hold while waiting for their end.
const ReasonBufferLimit = "frame too large to buffer (--max-buffer-per-stream or --max-buffer-total reached); skipped"

// BufferLimits bounds the bytes that stream decoders hold for frames not
// complete yet. When a frame would take a stream past a limit, its bytes
// are skipped instead (a KindSkipped record with ReasonBufferLimit says how
// many), and decoding resumes at the next frame. One BufferLimits is shared
// by every dissector of a Registry; like them, it is used from one
// goroutine.
type BufferLimits struct {
	PerStream int // bytes held by one direction of one connection; 0: no limit beyond the framing's maximum
	Total     int // bytes held by all connections together; 0: no limit

	used int // bytes held now
	peak int // most bytes held at once
}

// Used returns the bytes held now and the most held at once.
func (b *BufferLimits) Used() (now, peak int) {
	if b == nil {
		return 0, 0
	}
	return b.used, b.peak
}

// overLimit reports whether holding add more bytes would take s past a
// limit.
func (s *streamDecoder) overLimit(add int) bool {
	b := s.c.d.Buffers
	if b == nil {
		return false
	}
	return b.PerStream > 0 && len(s.pending)+add > b.PerStream ||
		b.Total > 0 && b.used+add > b.Total
}

// account brings the shared count of held bytes up to date after pending
// changed.
func (s *streamDecoder) account() {
	b := s.c.d.Buffers
	if b == nil {
		return
	}
	b.used += len(s.pending) - s.held
	s.held = len(s.pending)
	b.peak = max(b.peak, b.used)
}

// overflow skips the frame that starts with the pending bytes (or at
// data[pos:] when none are pending), because holding it would pass a
// buffering limit. When the framing tells the frame's length, exactly that
// many bytes are skipped, the rest of them as they arrive; otherwise
// everything to the end of data is skipped and the stream resynchronises.
// It returns the position in data after the bytes skipped now.
func (s *streamDecoder) overflow(data []byte, pos int, loc PacketLocator) int {
	var n int
	var st schema.FrameStatus
	if len(s.pending) > 0 {
		n, st = s.frameLen(s.pending)
	} else {
		n, st = s.frameLen(data[pos:])
	}
	s.flushSkipped()
	reason := s.huntReason
	s.huntReason = ReasonBufferLimit
	held := 0
	if p := len(s.pending); p > 0 {
		v := view{p: s.pending}
		s.skip(&v, 0, p)
		s.offset += uint64(p)
		held = p
		s.release()
	}
	rest := len(data) - pos
	take := rest
	if st == schema.FrameOK && !s.hunting && n > held {
		take = min(n-held, rest)
		s.discard = n - held - take
	} else {
		s.hunting = true
		reason = ReasonBufferLimit
	}
	if take > 0 {
		v := view{p: data[pos:], loc: loc, base: pos}
		s.skip(&v, 0, take)
		s.offset += uint64(take)
	}
	if s.discard == 0 {
		s.flushSkipped()
	}
	s.huntReason = reason
	return pos + take
}

// discardMore skips up to s.discard bytes of data[pos:], the rest of a frame
// too large to buffer, and returns the position after them.
func (s *streamDecoder) discardMore(data []byte, pos int, loc PacketLocator) int {
	take := min(s.discard, len(data)-pos)
	if s.skipLen == 0 {
		s.skipReason = ReasonBufferLimit
	}
	reason := s.huntReason
	s.huntReason = ReasonBufferLimit
	v := view{p: data[pos:], loc: loc, base: pos}
	s.skip(&v, 0, take)
	s.huntReason = reason
	s.offset += uint64(take)
	s.discard -= take
	if s.discard == 0 {
		s.flushSkipped()
	}
	return pos + take
}
