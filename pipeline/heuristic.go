package pipeline

import (
	"net/netip"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/schema"
)

// Roles a heuristic candidate may match a direction's first bytes as.
const (
	roleRequest  = 1 << iota // the sender is the client
	roleResponse             // the sender is the server
)

// sniffChunk is one delivery of bytes (or a gap) made while a connection's
// protocol was still unknown, kept to be replayed once it is known.
type sniffChunk struct {
	dir        capture.Direction
	start, end int // in the direction's buffer
	gap        int // a gap of this many bytes instead of data, when > 0
	midstream  bool
	at         capture.Packet // for a gap: the packet that resumed the stream
}

// sniffRun says that buffered bytes from index at onwards came in pkt.
type sniffRun struct {
	at  int
	pkt capture.Packet
}

// sniffDir is what is known of one direction while sniffing.
type sniffDir struct {
	buf      []byte
	runs     []sniffRun
	live     []uint8 // per candidate: the roles still possible
	tried    bool    // some bytes of this direction have been judged
	overflow bool    // bytes were dropped after the buffer filled up
	lastPkt  capture.Packet
}

// exhausted reports whether no candidate can match this direction any more.
func (d *sniffDir) exhausted() bool {
	if !d.tried {
		return false
	}
	for _, l := range d.live {
		if l != 0 {
			return false
		}
	}
	return true
}

// sniffConn holds a TCP connection that no --decode-as rule and no port
// claims. It buffers the first bytes of each direction, at most
// dissectors.HeuristicWindow of each, and offers them to the dissectors
// with a heuristic until one recognises its first frame, then replays what
// it buffered to that dissector and passes everything after straight on.
// When no candidate can match either direction, the connection is dropped:
// from then on its bytes cost a test and a return.
type sniffConn struct {
	h        *handler
	flow     capture.Flow
	cands    []dissectors.Detector
	dirs     [2]sniffDir
	chunks   []sniffChunk
	inner    capture.StreamHandler // the chosen dissector's connection, once decided
	rejected bool
}

func (h *handler) openSniffer(flow capture.Flow) capture.StreamHandler {
	cands := h.cfg.Registry.Heuristics("tcp")
	if len(cands) == 0 {
		return nil
	}
	s := &sniffConn{h: h, flow: flow, cands: cands}
	for i := range s.dirs {
		// With the handshake seen, the initiator is the client: its bytes
		// can only be requests, the responder's only responses. Otherwise
		// either side's first frame may be of either kind.
		roles := uint8(roleRequest | roleResponse)
		if flow.SawSYN {
			roles = roleRequest
			if capture.Direction(i) == capture.FromResponder {
				roles = roleResponse
			}
		}
		live := make([]uint8, len(cands))
		for j := range live {
			live[j] = roles
		}
		s.dirs[i].live = live
	}
	return s
}

// Data buffers and judges the bytes of a connection whose protocol is not
// known yet, or passes them on once it is.
func (s *sniffConn) Data(dir capture.Direction, seg *capture.Segment) {
	if s.inner != nil {
		s.inner.Data(dir, seg)
		return
	}
	if s.rejected || len(seg.Bytes) == 0 {
		return
	}
	d := &s.dirs[dir&1]
	room := dissectors.HeuristicWindow - len(d.buf)
	data := seg.Bytes
	if len(data) > room {
		data = data[:room]
		d.overflow = true
	}
	d.lastPkt = seg.PacketAt(len(seg.Bytes) - 1)
	if len(data) == 0 {
		if s.dirs[0].exhausted() && s.dirs[1].exhausted() {
			s.reject()
		}
		return
	}
	if d.buf == nil {
		d.buf = make([]byte, 0, 512)
	}
	start := len(d.buf)
	d.buf = append(d.buf, data...)
	first := seg.PacketAt(0)
	if len(d.runs) == 0 || d.runs[len(d.runs)-1].pkt.Number != first.Number {
		d.runs = append(d.runs, sniffRun{at: start, pkt: first})
	}
	if last := seg.PacketAt(len(data) - 1); last.Number != first.Number {
		d.runs = append(d.runs, sniffRun{at: len(d.buf) - 1, pkt: last})
	}
	s.chunks = append(s.chunks, sniffChunk{dir: dir, start: start, end: len(d.buf), midstream: seg.Midstream && start == 0})
	s.judge(dir)
}

// judge offers a direction's buffered bytes to every candidate still live.
func (s *sniffConn) judge(dir capture.Direction) {
	d := &s.dirs[dir&1]
	d.tried = true
	for i, cand := range s.cands {
		for _, role := range [...]uint8{roleRequest, roleResponse} {
			if d.live[i]&role == 0 {
				continue
			}
			switch cand.Detect(d.buf, role == roleResponse, false) {
			case schema.VerdictYes:
				s.accept(cand, dir, role)
				return
			case schema.VerdictNo:
				d.live[i] &^= role
			}
		}
	}
	if s.dirs[0].exhausted() && s.dirs[1].exhausted() {
		s.reject()
	}
}

// reject drops the connection: no dissector recognises it.
func (s *sniffConn) reject() {
	s.rejected = true
	s.chunks = nil
	for i := range s.dirs {
		s.dirs[i] = sniffDir{}
	}
}

// accept hands the connection to the dissector that recognised it, with
// everything buffered so far.
func (s *sniffConn) accept(d dissectors.Detector, dir capture.Direction, role uint8) {
	initiatorIsClient := (dir == capture.FromInitiator) == (role == roleRequest)
	if s.h.par != nil {
		s.inner = s.h.par.acceptSniffed(s, d, initiatorIsClient)
		s.chunks = nil
		for i := range s.dirs {
			s.dirs[i] = sniffDir{}
		}
		return
	}
	c := s.h.newConn(s.flow, d, initiatorIsClient)
	s.inner = c
	for _, ch := range s.chunks {
		if c.h.sinkErr != nil {
			break
		}
		if ch.gap > 0 {
			c.Gap(ch.dir, ch.gap, ch.at)
			continue
		}
		sd := &s.dirs[ch.dir&1]
		loc := &runLocator{runs: sd.runs, base: ch.start}
		_ = c.decoder().Feed(c.direction(ch.dir), sd.buf[ch.start:ch.end], loc, ch.midstream)
	}
	for i := range s.dirs {
		if s.dirs[i].overflow && c.h.sinkErr == nil {
			// Bytes dropped while the protocol was unknown: the stream
			// resynchronises at the next frame.
			_ = c.decoder().Gap(c.direction(capture.Direction(i)), -1, dissectors.Packet(s.dirs[i].lastPkt))
		}
	}
	s.chunks = nil
	for i := range s.dirs {
		s.dirs[i] = sniffDir{}
	}
}

// Gap reports bytes never captured. Before the protocol is known, the
// direction can no longer select one (its first frame is lost), but the gap
// is kept for the replay.
func (s *sniffConn) Gap(dir capture.Direction, missing int, at capture.Packet) {
	if s.inner != nil {
		s.inner.Gap(dir, missing, at)
		return
	}
	if s.rejected {
		return
	}
	d := &s.dirs[dir&1]
	d.tried = true
	clear(d.live)
	s.chunks = append(s.chunks, sniffChunk{dir: dir, gap: max(missing, 1), at: at})
	if s.dirs[0].exhausted() && s.dirs[1].exhausted() {
		s.reject()
	}
}

// Close flushes the chosen dissector, if any.
func (s *sniffConn) Close(at capture.Packet) {
	if s.inner != nil {
		s.inner.Close(at)
	}
}

// runLocator answers PacketAt for buffered bytes.
type runLocator struct {
	runs []sniffRun
	base int // offset of the fed slice in the buffer
}

func (l *runLocator) PacketAt(off int) dissectors.Packet {
	i := l.base + off
	var p capture.Packet
	for _, r := range l.runs {
		if r.at > i {
			break
		}
		p = r.pkt
	}
	return dissectors.Packet(p)
}

// heurFlowKey names a UDP flow whatever the direction of a datagram.
type heurFlowKey struct {
	a, b netip.AddrPort
}

// udpFlow is what heuristics decided for a UDP flow.
type udpFlow struct {
	d      dissectors.Dissector // nil: none recognised it (yet)
	client netip.AddrPort
	tries  uint8
}

// Bounds of the UDP heuristic table.
const (
	udpTries    = 4       // datagrams of a flow offered to the heuristics before it is ignored
	udpMaxFlows = 1 << 16 // flows remembered; the table starts again when full
)

// detectUDP finds the dissector of a UDP flow no rule or port claims, by
// content, deciding once per flow.
func (h *handler) detectUDP(src, dst capture.Endpoint, payload []byte) (dissectors.Dissector, bool) {
	cands := h.cfg.Registry.Heuristics("udp")
	if len(cands) == 0 {
		return nil, false
	}
	s := netip.AddrPortFrom(src.Addr, src.Port)
	t := netip.AddrPortFrom(dst.Addr, dst.Port)
	key := heurFlowKey{s, t}
	if s.Compare(t) > 0 {
		key = heurFlowKey{t, s}
	}
	f, ok := h.udpFlows[key]
	if ok && (f.d != nil || f.tries >= udpTries) {
		return f.d, f.d != nil && f.client == s
	}
	if h.udpFlows == nil || len(h.udpFlows) >= udpMaxFlows {
		if h.udpFlows == nil {
			h.udpFlows = map[heurFlowKey]udpFlow{}
		}
		clear(h.udpFlows)
	}
	f.tries++
	for _, c := range cands {
		switch {
		case c.Detect(payload, false, true) == schema.VerdictYes:
			f.d, f.client = c, s
		case c.Detect(payload, true, true) == schema.VerdictYes:
			f.d, f.client = c, t
		default:
			continue
		}
		break
	}
	h.udpFlows[key] = f
	return f.d, f.d != nil && f.client == s
}
