package capture

// Connections are kept in a list by last activity, so that when more than
// Options.MaxConnections are open the least recently active one is ended
// (its handler's Close is called, as at the end of the input) and the
// memory it holds is bounded whatever the traffic, a SYN flood included.

// lruLink is the place of a tcpStream in the Reader's activity list.
type lruLink struct {
	prev, next *tcpStream
	inList     bool
}

// lruPushFront adds s as the most recently active connection.
func (r *Reader) lruPushFront(s *tcpStream) {
	s.lru = lruLink{next: r.lruHead, inList: true}
	if r.lruHead != nil {
		r.lruHead.lru.prev = s
	} else {
		r.lruTail = s
	}
	r.lruHead = s
	r.open++
}

// lruRemove takes s out of the list.
func (r *Reader) lruRemove(s *tcpStream) {
	if !s.lru.inList {
		return
	}
	if s.lru.prev != nil {
		s.lru.prev.lru.next = s.lru.next
	} else {
		r.lruHead = s.lru.next
	}
	if s.lru.next != nil {
		s.lru.next.lru.prev = s.lru.prev
	} else {
		r.lruTail = s.lru.prev
	}
	s.lru = lruLink{}
	r.open--
}

// lruTouch makes s the most recently active connection.
func (r *Reader) lruTouch(s *tcpStream) {
	if r.lruHead == s || !s.lru.inList {
		return
	}
	r.lruRemove(s)
	r.lruPushFront(s)
}

// evictIdlest ends the least recently active connection.
func (r *Reader) evictIdlest() {
	v := r.lruTail
	if v == nil {
		return
	}
	r.stats.Evicted++
	r.closeConn(v.netFlow, v.sport, v.dport)
	if v.lru.inList {
		// The assembler did not end it (it should have): end it here; its
		// later packets are ignored.
		v.ReassemblyComplete(nil)
	}
}
