package capture

import (
	"cmp"
	"slices"
)

// Connections are ended, when more than Options.MaxConnections are open,
// least recently active first (the handler's Close is called, as at the
// end of the input), so that the memory they hold is bounded whatever the
// traffic, a SYN flood included.
//
// A list kept in order of activity would cost, for every packet, writes to
// the connection's neighbours in the list: cache misses, with many
// connections open. Instead each connection records when it was last
// active: the number of its last packet (tcpStream.last), which Accept
// records anyway, and which no two connections share (a packet is
// assembled on one connection; a connection opened by a packet, even
// when it replaces another on the same ports, is the only one whose
// last packet it is). The order is worked out only when a connection
// must be ended: the open connections sorted by last packet make a queue
// of candidates. The first candidate still open and not active since
// the sort is the least recently active connection: a connection active,
// or opened, since the sort has a later packet than every candidate had
// then. A sort of n connections is followed by n pops, each an eviction
// or a candidate made stale by a packet or a close: O(log n) amortised.

// lruLink is a connection's place among the open connections, and among
// the candidates.
type lruLink struct {
	index  int32 // position in Reader.streams
	queued int32 // 1 + position in Reader.lruQueue while it is a candidate there; 0 otherwise
	inList bool  // open: in Reader.streams
}

// lruCandidate is an open connection, and its last packet when the
// candidates were sorted.
type lruCandidate struct {
	s       *tcpStream
	touched uint64
}

// lruPushFront adds s, whose last packet is the current one, as the most
// recently active connection.
func (r *Reader) lruPushFront(s *tcpStream) {
	s.lru = lruLink{index: int32(len(r.streams)), inList: true}
	r.streams = append(r.streams, s)
	r.open++
}

// lruRemove takes s out of the open connections, and out of the
// candidates, which would otherwise keep it, and what it holds, until the
// next eviction.
func (r *Reader) lruRemove(s *tcpStream) {
	if !s.lru.inList {
		return
	}
	if q := s.lru.queued; q > 0 {
		r.lruQueue[q-1] = lruCandidate{}
	}
	i, last := int(s.lru.index), len(r.streams)-1
	r.streams[i] = r.streams[last]
	r.streams[i].lru.index = int32(i)
	r.streams[last] = nil
	r.streams = r.streams[:last]
	s.lru = lruLink{}
	r.open--
	if s.mayHold {
		r.holding--
	}
}

// idlest returns the least recently active open connection, or nil.
func (r *Reader) idlest() *tcpStream {
	for {
		for r.lruNext < len(r.lruQueue) {
			c := r.lruQueue[r.lruNext]
			r.lruQueue[r.lruNext] = lruCandidate{} // don't keep the stream alive
			r.lruNext++
			if c.s == nil {
				continue // closed since the sort
			}
			c.s.lru.queued = 0
			if c.s.last.Number == c.touched {
				return c.s
			}
		}
		if len(r.streams) == 0 {
			return nil
		}
		q := r.lruQueue[:0]
		for _, s := range r.streams {
			q = append(q, lruCandidate{s, s.last.Number})
		}
		slices.SortFunc(q, func(a, b lruCandidate) int { return cmp.Compare(a.touched, b.touched) })
		for i := range q {
			q[i].s.lru.queued = int32(i + 1)
		}
		r.lruQueue, r.lruNext = q, 0
	}
}

// evictIdlest ends the least recently active connection.
func (r *Reader) evictIdlest() {
	v := r.idlest()
	if v == nil {
		return
	}
	r.stats.Evicted++
	r.closeConn(v.netFlow, v.sport, v.dport)
	if v.lru.inList {
		// The assembler did not end it (it should have): end it here; its
		// later packets are ignored. The assembler keeps a connection
		// the Reader no longer knows: flushes can no longer be skipped.
		v.ReassemblyComplete(nil)
		r.unknownConns = true
	}
}
