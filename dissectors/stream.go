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
	reasonBadMagic  = "no valid frame here: the bytes do not start with the protocol's magic; searching for the start of a frame"
)

// pendingChunk is how many bytes to take at a time while the framing rule
// still needs more of a frame's header to tell its length.
const pendingChunk = 16

// session is what a TCP connection and a datagram conversation share: the
// dissector, the sink, the state variables, the table of requests waiting
// for a response, and the protocol layers.
type session struct {
	d     *SchemaDissector
	sink  Sink
	state *schema.State
	err   error
	conn  *Conn
	pairs pairTable
	// subs are the connections of the protocols this one streams bytes to,
	// by layer; made when first needed.
	subs     []Connection
	subStart [2]bool      // the direction started mid-stream: so do its layers
	joins    []*joinLayer // the message joiners of [join] layers, by layer; made when first needed
	fixed    OnePacket
	inner    bool // a stream layer of another connection: no accounting records of its own
}

// connection decodes both directions of a TCP connection with a schema. The
// directions share the connection's state variables and the table of
// requests waiting for a response.
//
// With many connections open, a packet's connection is rarely still in the
// cache: what a frame uses comes in as few cache lines as can be. The
// header and the pairing table come first (what a frame uses of them in
// two lines); each direction starts at a multiple of 64 bytes (connections
// are 64-byte aligned: their size class is a multiple of 64), with the
// fields every frame uses in its first two lines. TestConnectionLayout
// checks the sizes the padding assumes.
type connection struct {
	session
	_    [connectionPad]byte
	dirs [2]streamDecoder
}

// connectionPad and streamDecoderPad align connection.dirs and each
// direction to 64 bytes.
const (
	connectionPad    = 56
	streamDecoderPad = 16
)

// OnePacket is the PacketLocator of bytes that all came in one packet
// (in-order TCP data, most often; the bytes a layer receives, which come
// from one frame, completed by one packet). A decoder recognises it and
// takes the packet without a call for each frame.
type OnePacket struct{ Packet Packet }

// PacketAt returns the packet, whatever the offset.
func (l *OnePacket) PacketAt(int) Packet { return l.Packet }

// packetAt is loc.PacketAt(off), without a call through the interface
// when loc is a OnePacket.
func packetAt(loc PacketLocator, off int) Packet {
	if o, ok := loc.(*OnePacket); ok {
		return o.Packet
	}
	return loc.PacketAt(off)
}

// feedLayers hands the bytes of a frame's stream layers to the protocols
// that decode them.
func (c *session) feedLayers(dir Direction, f *schema.Frame, at Packet) {
	d := c.d
	d.spans = d.spans[:0]
	for i := range f.Nodes {
		n := &f.Nodes[i]
		if n.Field == nil || n.Field.Layer == nil || n.Index >= 0 {
			continue
		}
		if j := n.Field.Layer.Join; j != nil {
			c.joinPiece(dir, f, i, at)
			continue
		}
		if !n.Field.Layer.Stream {
			continue
		}
		if l := n.Field.Layer.Index; l < len(d.streams) && d.streams[l] != nil {
			start := int(n.Offset)
			d.spans = append(d.spans, layerSpan{layer: l, start: start, end: start + int(n.Bits)})
		}
	}
	if len(d.spans) == 0 {
		return
	}
	if c.subs == nil {
		c.subs = make([]Connection, len(d.streams))
	}
	data := f.Data
	c.fixed.Packet = at
	for _, sp := range d.spans {
		sub := c.subs[sp.layer]
		if sub == nil {
			ic := d.streams[sp.layer].newConnection(c.conn, c.sink)
			ic.inner = true
			sub = ic
			c.subs[sp.layer] = sub
		}
		midstream := c.subStart[dir&1]
		c.subStart[dir&1] = false
		if err := sub.Feed(dir, data[sp.start:sp.end], &c.fixed, midstream); err != nil && c.err == nil {
			c.err = err
		}
	}
}

// Feed hands the next bytes of one direction to its decoder.
func (c *connection) Feed(dir Direction, data []byte, loc PacketLocator, midstream bool) error {
	if c.err != nil {
		return c.err
	}
	if len(c.pairs.open) > 0 {
		// The oldest open request, which the response these bytes
		// likely carry is paired with: read now, its cache line comes in
		// while the direction's own come in, not after the frame is
		// decoded.
		c.pairs.touched = c.pairs.open[0].seq
	}
	c.dirs[dir&1].feed(data, loc, midstream)
	return c.err
}

// Gap reports bytes of one direction that were never captured. A negative
// count means an unknown number of bytes, already reported by an outer
// protocol: the stream resynchronises without a record of its own.
func (c *connection) Gap(dir Direction, missing int, at Packet) error {
	if c.err != nil {
		return c.err
	}
	c.dirs[dir&1].gap(missing, at)
	for _, j := range c.joins {
		if j != nil {
			j.dirs[dir&1].lost("incomplete message: the rest was lost in a gap in the capture", at)
		}
	}
	for _, sub := range c.subs {
		if sub != nil {
			if err := sub.Gap(dir, -1, at); err != nil && c.err == nil {
				c.err = err
			}
		}
	}
	return c.err
}

// Close flushes both directions and the protocols they stream to, then
// reports the requests that were never answered.
func (c *connection) Close(at Packet) error {
	for i := range c.dirs {
		c.dirs[i].close()
	}
	c.closeLayers(at, "incomplete message: the connection ended before its last piece")
	c.pairs.flushUnanswered(&c.session)
	if !c.inner {
		for i := range c.dirs {
			c.dirs[i].emitAccounting(at)
		}
	}
	return c.err
}

// Release hands c, closed, back to its dissector, which may give it to a
// later NewConnection, so that a capture of many short
// connections does not allocate each one anew: the caller must not use c
// again. It keeps c's state variables and its pairing lists, emptied,
// when they are small; a connection with protocol layers, or one that is a
// layer, is left to the garbage collector.
func (c *connection) Release() {
	if d := c.d; d != nil {
		release(c, &c.session, &d.free, &d.openConns)
	}
}

// release hands v, a closed connection or conversation whose session is
// s, back to its dissector: it counts it as no longer open (open counts
// its kind), trims free, the dissector's list of released ones of its
// kind, to the length freeLimit allows now, and when there is room, and v
// has no protocol layers and is not one, empties v (but for what kept
// keeps) and adds it to free.
func release[T any](v *T, s *session, free *[]*T, open *int) {
	*open--
	if limit := freeLimit(*open); len(*free) >= limit {
		clear((*free)[limit:]) // fewer are open now than when these were kept
		*free = (*free)[:limit]
		return
	}
	if s.inner || s.subs != nil || s.joins != nil {
		return
	}
	k := s.kept()
	var zero T
	*v = zero
	*s = k // s is v's session
	*free = append(*free, v)
}

// kept is what a released session keeps for the next: its state variables
// and its pairing lists, emptied, when they are small.
func (c *session) kept() session {
	k := session{state: c.state}
	if open := c.pairs.open; cap(open) <= indexAbove {
		clear(open[:cap(open)]) // their packets' times hold pointers
		k.pairs.open = open[:0]
	}
	if answered := c.pairs.answered; cap(answered) <= maxAnswered {
		k.pairs.answered = answered[:0]
	}
	return k
}

// closeLayers reports the messages of [join] layers whose last piece
// never came (why says so), gives their buffers back and closes the
// connections of stream layers.
func (c *session) closeLayers(at Packet, why string) {
	for _, j := range c.joins {
		if j != nil {
			for i := range j.dirs {
				j.dirs[i].lost(why, at)
				j.dirs[i].release()
			}
		}
	}
	for _, sub := range c.subs {
		if sub != nil {
			if err := sub.Close(at); err != nil && c.err == nil {
				c.err = err
			}
		}
	}
}

func (c *session) emit(r *Record) {
	if c.err == nil {
		c.err = c.sink.Emit(r)
	}
}

// pktRun says that pending bytes from index at onwards came in packet pkt.
type pktRun struct {
	at  int
	pkt Packet
}

// streamDecoder frames and decodes one direction of a TCP connection.
// Complete frames are decoded straight from the bytes handed to feed; only
// the bytes of a frame that is not complete yet are copied, into pending,
// until the rest arrives.
type streamDecoder struct {
	// Used for every frame: 128 bytes, two cache lines. The rest only to
	// resynchronise, for incomplete frames and in records other than
	// frames.
	c        *connection
	root     *schema.Struct
	offset   uint64 // stream offset of the first byte not yet consumed
	pending  []byte // bytes of an incomplete frame, starting at offset
	held     int    // pending bytes counted in the dissector's BufferLimits
	discard  int    // bytes still to skip of a frame too large to buffer
	skipLen  int    // bytes in the current run of skipped bytes
	dir      Direction
	hunting  bool       // searching for a frame boundary
	closing  bool       // the stream has ended: accept what can be accepted
	bytes    ByteCounts // accounting, reported in a KindStream record at Close
	firstPkt uint64     // first packet of the direction, 0 before any

	runs []pktRun // the packets of the pending bytes
	opts schema.DecodeOptions

	huntReason string // why hunting, for the skipped record
	skipStart  uint64
	skipFirst  Packet
	skipLast   Packet
	skipReason string

	_ [streamDecoderPad]byte
}

// auxRecord is the dissector's record for the direction's records other
// than frames, with what is the same for all of them set: the caller sets
// the rest, and emits it before anything else can use it.
func (s *streamDecoder) auxRecord() *Record {
	return s.c.auxRecord(s.dir)
}

// auxRecord is the dissector's record for a record of direction dir other
// than a frame (see streamDecoder.auxRecord).
func (c *session) auxRecord(dir Direction) *Record {
	d := c.d
	r := &d.aux
	r.Protocol, r.Conn, r.Dir, r.Bytes = &d.info, c.conn, dir, nil
	return r
}

// decodeOpts returns the decoding options of the direction's frames: for a
// connection without state variables, the dissector's copy of them, which
// is in the cache. The copy is refreshed by every NewConnection; it equals
// the connection's own options because a dissector's Limits do not change
// once connections exist.
func (s *streamDecoder) decodeOpts() *schema.DecodeOptions {
	if s.c.state == nil {
		return &s.c.d.dirOpts[s.dir&1]
	}
	return &s.opts
}

// view is the slice being consumed: either the caller's bytes or pending.
type view struct {
	p    []byte
	loc  PacketLocator // for the caller's bytes
	base int           // offset of p[0] in the caller's bytes
}

func (s *streamDecoder) locate(v *view, i int) Packet {
	if v.loc != nil {
		return packetAt(v.loc, v.base+i)
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

func (s *streamDecoder) failed() bool { return s.c.err != nil }

func (s *streamDecoder) feed(data []byte, loc PacketLocator, midstream bool) {
	if len(data) == 0 {
		return
	}
	s.bytes.Seen += uint64(len(data))
	if s.firstPkt == 0 {
		s.firstPkt = packetAt(loc, 0).Number
	}
	if midstream && s.offset == 0 && len(s.pending) == 0 && !s.hunting {
		s.hunting, s.huntReason = true, reasonMidstream
		s.c.subStart[s.dir&1] = true
	}
	pos := 0
	for pos < len(data) && !s.failed() {
		if s.discard > 0 {
			pos = s.discardMore(data, pos, loc)
			continue
		}
		if len(s.pending) == 0 {
			v := view{p: data[pos:], loc: loc, base: pos}
			pos += s.consume(&v)
			if pos < len(data) && !s.failed() {
				if s.overLimit(len(data) - pos) {
					pos = s.overflow(data, pos, loc)
					continue
				}
				s.appendPending(data, pos, len(data), loc)
			}
			return
		}
		take := min(s.wanted(), len(data)-pos)
		if s.overLimit(take) {
			pos = s.overflow(data, pos, loc)
			continue
		}
		s.appendPending(data, pos, pos+take, loc)
		pos += take
		v := view{p: s.pending}
		s.dropPending(s.consume(&v))
	}
}

// frameLen applies the framing rule, with the user's cap on frame size.
func (s *streamDecoder) frameLen(b []byte) (int, schema.FrameStatus) {
	d := s.c.d
	n, st, ok := d.Program.Framing.FrameLenFast(b)
	if !ok {
		n, st = d.Program.Framing.FrameLenState(b, s.c.state)
	}
	if st == schema.FrameOK && d.MaxFrame > 0 && n > d.MaxFrame {
		return n, schema.FrameInvalid
	}
	return n, st
}

// maxFrame is the largest frame the stream accepts.
func (s *streamDecoder) maxFrame() int {
	m := s.c.d.Program.Framing.Max
	if s.c.d.MaxFrame > 0 && s.c.d.MaxFrame < m {
		m = s.c.d.MaxFrame
	}
	return m
}

// wanted is how many more bytes the pending frame needs to make progress.
func (s *streamDecoder) wanted() int {
	n, st := s.frameLen(s.pending)
	switch st {
	case schema.FrameOK:
		if s.hunting && s.c.d.Program.Framing.Resync > 1 {
			return pendingChunk // the frames after it are needed too
		}
		return max(1, n-len(s.pending))
	case schema.FrameNeedMore:
		return pendingChunk
	}
	return 1
}

func (s *streamDecoder) appendPending(data []byte, from, to int, loc PacketLocator) {
	if s.pending == nil {
		s.pending = s.c.d.getBuffer()
		s.runs = s.c.d.getRuns()
	}
	at := len(s.pending)
	s.pending = append(s.pending, data[from:to]...)
	first := packetAt(loc, from)
	if len(s.runs) == 0 || s.runs[len(s.runs)-1].pkt.Number != first.Number {
		s.runs = append(s.runs, pktRun{at: at, pkt: first})
	}
	if last := packetAt(loc, to-1); last.Number != first.Number {
		s.runs = append(s.runs, pktRun{at: at + to - 1 - from, pkt: last})
	}
	s.account()
}

// dropPending removes the first n pending bytes, which were consumed.
func (s *streamDecoder) dropPending(n int) {
	if n == 0 {
		return
	}
	s.pending = s.pending[:copy(s.pending, s.pending[n:])]
	s.account()
	if len(s.pending) == 0 {
		s.release()
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

// candidate is the result of checking whether a frame may start at an
// offset while resynchronising.
type candidate uint8

const (
	candidateYes  candidate = iota // it starts a run of good frames
	candidateNo                    // it does not
	candidateWait                  // more bytes are needed to tell
)

// consume decodes every complete frame at the start of v and returns how
// many bytes it used. It stops at an incomplete frame.
func (s *streamDecoder) consume(v *view) int {
	p := v.p
	off := 0
	// The packet of every byte, when one packet carried them all.
	var one *Packet
	if o, ok := v.loc.(*OnePacket); ok {
		one = &o.Packet
	}
	for off < len(p) && !s.failed() {
		n, st := s.frameLen(p[off:])
		if st != schema.FrameOK || off+n > len(p) || s.hunting {
			switch s.consumeOther(v, off, n, st) {
			case stepSkip:
				off++
				continue
			case stepStop, stepWait:
				// An incomplete frame, or a candidate kept pending until
				// the frames after it arrive.
				s.offset += uint64(off)
				return off
			}
		}
		schema.DecodeWith(s.root, p[off:off+n], &s.c.d.frame, s.decodeOpts())
		s.hunting = false
		if s.skipLen != 0 {
			s.flushSkipped()
		}
		if one != nil {
			s.emitFrame(p[off:off+n], s.offset+uint64(off), one, one, "")
		} else {
			first, last := s.locate(v, off), s.locate(v, off+n-1)
			s.emitFrame(p[off:off+n], s.offset+uint64(off), &first, &last, "")
		}
		off += n
	}
	s.offset += uint64(off)
	return off
}

// What consume does with the bytes at an offset, as consumeOther decides.
const (
	stepDecode = iota // decode the frame there
	stepSkip          // skip a byte: no frame starts there
	stepStop          // stop: the frame there is not complete
	stepWait          // stop: the frame there waits for the frames after it
)

// consumeOther decides what consume does with the bytes at off in v, whose
// framing rule gave n and st, when they are not simply a complete frame:
// an invalid or incomplete frame, or a candidate while resynchronising.
// Out of consume, whose code stays short for the frames that are.
//
//go:noinline
func (s *streamDecoder) consumeOther(v *view, off, n int, st schema.FrameStatus) int {
	p := v.p
	if st == schema.FrameNeedMore && len(p)-off > s.maxFrame() {
		// A framing rule that still wants more after a whole maximal
		// frame never will: the bytes here cannot start a frame.
		st = schema.FrameInvalid
	}
	if st == schema.FrameNeedMore {
		return stepStop
	}
	if st >= schema.FrameInvalid {
		if !s.hunting {
			s.hunting, s.huntReason = true, reasonBadLength
			if st == schema.FrameBadMagic {
				s.huntReason = reasonBadMagic
			}
		}
		s.skip(v, off, 1)
		return stepSkip
	}
	if off+n > len(p) {
		if s.closing && s.hunting {
			// The stream has ended: a candidate that runs past its end
			// cannot be a frame, but good frames may follow it.
			s.skip(v, off, 1)
			return stepSkip
		}
		return stepStop
	}
	if s.hunting {
		switch s.check(p[off:], n) {
		case candidateWait:
			return stepWait
		case candidateNo:
			if s.huntReason == reasonBadLength {
				s.huntReason = reasonBadFrame
			}
			s.skip(v, off, 1)
			return stepSkip
		}
	}
	return stepDecode
}

// check tells whether a frame of n bytes at the start of b, found while
// resynchronising, can be trusted: it must decode without error, and so
// must the frames after it, up to the schema's resync count. Trial decodes
// leave the connection's state as it was.
func (s *streamDecoder) check(b []byte, n int) candidate {
	st := s.c.state
	if st != nil {
		d := s.c.d
		d.saved = append(d.saved[:0], st.Vals...)
		defer copy(st.Vals, d.saved)
	}
	schema.DecodeWith(s.root, b[:n], &s.c.d.lookahead, &s.opts)
	if s.c.d.lookahead.Err != nil {
		return candidateNo
	}
	pos := n
	for k := 1; k < s.c.d.Program.Framing.Resync; k++ {
		m, fs := s.frameLen(b[pos:])
		switch {
		case fs >= schema.FrameInvalid:
			return candidateNo
		case fs == schema.FrameNeedMore || pos+m > len(b):
			if s.closing {
				return candidateYes // the stream ends here: trust what there is
			}
			return candidateWait
		}
		schema.DecodeWith(s.root, b[pos:pos+m], &s.c.d.lookahead, &s.opts)
		if s.c.d.lookahead.Err != nil {
			return candidateNo
		}
		pos += m
	}
	return candidateYes
}

// skip adds n bytes at off of v to the current run of skipped bytes.
func (s *streamDecoder) skip(v *view, off, n int) {
	if s.skipLen == 0 {
		s.skipStart = s.offset + uint64(off)
		s.skipFirst = s.locate(v, off)
		s.skipReason = s.huntReason
	}
	s.skipLen += n
	s.bytes.Skipped += uint64(n)
	s.skipLast = s.locate(v, off+n-1)
}

func (s *streamDecoder) flushSkipped() {
	if s.skipLen == 0 || s.failed() {
		return
	}
	r := s.auxRecord()
	r.setBytesless(KindSkipped, s.skipFirst, s.skipLast, s.skipStart, s.skipLen, s.skipReason)
	s.skipLen = 0
	s.c.emit(r)
}

// emitFrame emits the record of a frame decoded into the dissector's
// frame, whose bytes came in packets first to last (pointers, not to copy
// their 32 bytes each for every frame), and pairs it.
func (s *streamDecoder) emitFrame(data []byte, offset uint64, first, last *Packet, reason string) {
	if reason == "" {
		s.bytes.Decoded += uint64(len(data))
	} else {
		s.bytes.Incomplete += uint64(len(data))
	}
	// The dissector's record, shared like its frame.
	d := s.c.d
	r := &d.rec
	// Every field is set (Bytes is never set on it), field by field: it
	// costs less than writing the whole struct.
	r.Kind, r.Protocol, r.Conn, r.Dir = KindFrame, &d.info, s.c.conn, s.dir
	r.Time, r.FirstPacket, r.LastPacket = last.Time, first.Number, last.Number
	r.Offset, r.Length, r.Data = offset, len(data), data
	r.Frame, r.Reason, r.Bytes = &d.frame, reason, nil
	r.Pair = s.c.pairs.observe(&s.c.session, s.dir, &d.frame, last)
	s.c.emit(r)
	if len(s.c.d.streams) > 0 && !s.failed() {
		s.c.feedLayers(s.dir, &s.c.d.frame, *last)
	}
}

// flushPending reports the bytes of a frame that will never be complete:
// skipped bytes while hunting, otherwise an incomplete frame decoded as far
// as it goes.
func (s *streamDecoder) flushPending(why string) {
	if len(s.pending) == 0 || s.failed() {
		return
	}
	v := view{p: s.pending}
	if s.hunting {
		s.skip(&v, 0, len(s.pending))
	} else {
		s.flushSkipped()
		want, st := s.frameLen(s.pending)
		reason := why + ": have " + strconv.Itoa(len(s.pending)) + " bytes"
		if st == schema.FrameOK {
			reason += " of " + strconv.Itoa(want)
		}
		schema.DecodeWith(s.root, s.pending, &s.c.d.frame, &s.opts)
		first, last := s.locate(&v, 0), s.locate(&v, len(s.pending)-1)
		s.emitFrame(s.pending, s.offset, &first, &last, reason)
	}
	s.offset += uint64(len(s.pending))
	s.release()
}

// release gives the pending buffers back to the dissector, for another
// connection to use.
func (s *streamDecoder) release() {
	if s.pending != nil {
		s.c.d.putBuffer(s.pending)
		s.c.d.putRuns(s.runs)
		s.pending, s.runs = nil, nil
	}
	s.account()
}

func (s *streamDecoder) gap(missing int, at Packet) {
	if s.discard > 0 {
		// The rest of the frame being skipped may lie in the gap: hunt
		// for the next frame after it instead.
		s.discard = 0
	}
	s.flushPending("incomplete frame: the rest was lost in a gap in the capture")
	s.flushSkipped()
	if s.failed() {
		return
	}
	if missing < 0 {
		// Lost bytes an outer protocol reported: only resynchronise.
		s.hunting, s.huntReason = true, reasonGap
		return
	}
	r := s.auxRecord()
	r.setBytesless(KindGap, at, at, s.offset, missing, strconv.Itoa(missing)+" bytes missing from the capture")
	if s.firstPkt == 0 {
		s.firstPkt = at.Number
	}
	s.c.emit(r)
	if missing > 0 {
		s.offset += uint64(missing)
		s.bytes.Missing += uint64(missing)
	}
	s.hunting, s.huntReason = true, reasonGap
}

func (s *streamDecoder) close() {
	if len(s.pending) > 0 && s.hunting && !s.failed() {
		// Frames that were waiting for the ones after them to be trusted:
		// the stream has ended, so take them as they are.
		s.closing = true
		v := view{p: s.pending}
		s.dropPending(s.consume(&v))
	}
	s.flushPending("incomplete frame: the stream ended before the frame was complete")
	s.flushSkipped()
}

// emitAccounting emits the KindStream record of the direction, if it saw
// any byte.
func (s *streamDecoder) emitAccounting(at Packet) {
	s.c.emitAccounting(s.dir, &s.bytes, s.firstPkt, at)
}

// emitAccounting emits the KindStream record of direction dir, whose byte
// accounting is b and first packet first, if it saw any byte.
func (c *session) emitAccounting(dir Direction, b *ByteCounts, first uint64, at Packet) {
	if b.Seen+b.Missing == 0 || c.err != nil {
		return
	}
	r := c.auxRecord(dir)
	r.Kind = KindStream
	r.Time = at.Time
	r.FirstPacket, r.LastPacket = first, at.Number
	r.Offset = 0
	r.Length = int(b.Seen + b.Missing)
	r.Data = nil
	r.Frame = nil
	r.Reason = ""
	r.Pair = PairInfo{}
	r.Bytes = b
	c.emit(r)
	r.Bytes = nil
}
