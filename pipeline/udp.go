package pipeline

import (
	"cmp"
	"slices"
	"time"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
)

// udpKey identifies a UDP conversation: its client and server.
type udpKey struct {
	client, server capture.Endpoint
}

// udpConv is one UDP conversation.
type udpConv struct {
	key    udpKey
	meta   dissectors.Conn
	dec    dissectors.Conversation
	last   dissectors.Packet // the last datagram
	closed bool
	// The table's list of open conversations by their last datagram,
	// oldest first (see udpTable.touch).
	older, newer *udpConv

	// Parallel runs: the worker creates dec from d on the first datagram;
	// w is the worker.
	d dissectors.Dissector
	w int
}

// udpTable groups UDP datagrams into conversations, by client and server
// endpoints, and ends them after an idle time of packet time, when too
// many are open, and at the end of the run. Conversations are numbered
// from 0 in order of their first datagram, like tshark's udp.stream.
//
// Expiry does not visit every open conversation: the table keeps them in a
// list by their last datagram, so the idle ones are at its head. When
// packet time goes back by more than a little (see insert), the next sweep
// visits all of them, as it would without the list, and sorts the list
// again.
type udpTable struct {
	convs     map[udpKey]*udpConv
	order     []*udpConv // in order of creation; closed ones are dropped lazily
	closedIn  int        // closed conversations still in order
	nextID    uint64
	nextSweep time.Time
	// oldest and newest are the ends of the list by last datagram;
	// unsorted says that a datagram found no place in it (see insert).
	oldest, newest *udpConv
	unsorted       bool
	idle           []*udpConv // expire's, reused
	// par, in a parallel run, receives the conversations' datagrams and
	// closes, for their workers; the table only decides when they happen.
	par *parallel
}

func (t *udpTable) init() {
	t.convs = make(map[udpKey]*udpConv)
}

// orient returns the conversation key of a datagram from src to dst and
// its direction; serverIsDst says which end the dissector's port makes the
// server. When both ends use the protocol's port (DNP3 from 20000 to
// 20000, NTP's symmetric mode) the port cannot tell, so the end that sent
// first is the client, and a datagram the other way belongs to the same
// conversation.
func (t *udpTable) orient(src, dst capture.Endpoint, serverIsDst bool) (udpKey, dissectors.Direction) {
	if !serverIsDst {
		return udpKey{dst, src}, dissectors.ServerToClient
	}
	if src.Port == dst.Port {
		if _, ok := t.convs[udpKey{dst, src}]; ok {
			return udpKey{dst, src}, dissectors.ServerToClient
		}
	}
	return udpKey{src, dst}, dissectors.ClientToServer
}

// get returns the conversation of key, creating it with dissector d.
func (t *udpTable) get(h *handler, key udpKey, d dissectors.Dissector) *udpConv {
	if cv := t.convs[key]; cv != nil {
		return cv
	}
	for len(t.convs) >= h.cfg.MaxConversations {
		t.closeOldest(h)
	}
	cv := &udpConv{key: key}
	cv.meta = dissectors.Conn{
		ID:        t.nextID,
		Transport: "udp",
		Client:    dissectors.Endpoint{Addr: key.client.Addr, Port: key.client.Port},
		Server:    dissectors.Endpoint{Addr: key.server.Addr, Port: key.server.Port},
	}
	t.nextID++
	h.sum.Conns++
	h.sum.UDPConversations++
	if t.par != nil {
		cv.d, cv.w = d, t.par.flowWorker(key.client, key.server)
	} else {
		cv.dec = d.NewConversation(&cv.meta, h)
	}
	t.convs[key] = cv
	t.order = append(t.order, cv)
	return cv
}

// close ends a conversation.
func (t *udpTable) close(h *handler, cv *udpConv) {
	if cv.closed {
		return
	}
	cv.closed = true
	t.unlink(cv)
	delete(t.convs, cv.key)
	if t.par != nil {
		t.par.closeConversation(cv)
		return
	}
	closeDecoder(cv.dec, cv.last, h.cfg.Sink, &cv.meta)
	cv.dec = nil
}

// closeOldest ends the oldest open conversation.
func (t *udpTable) closeOldest(h *handler) {
	for i, cv := range t.order {
		if !cv.closed {
			t.close(h, cv)
			h.sum.UDPEvicted++
			t.order = t.order[i+1:]
			t.closedIn -= i // the closed ones before it
			return
		}
	}
	t.order, t.closedIn = t.order[:0], 0
}

// expire ends, once a second of packet time, the conversations idle for
// longer than the timeout, in order of creation.
func (t *udpTable) expire(h *handler, now time.Time) {
	if len(t.convs) == 0 || now.Before(t.nextSweep) {
		return
	}
	t.nextSweep = now.Add(time.Second)
	deadline := now.Add(-h.cfg.UDPTimeout)
	if t.unsorted {
		t.expireAll(h, deadline)
		return
	}
	idle := t.idle[:0]
	for cv := t.oldest; cv != nil && cv.last.Time.Before(deadline); cv = cv.newer {
		idle = append(idle, cv)
	}
	if len(idle) == 0 {
		return
	}
	// Conversations are numbered in order of creation.
	slices.SortFunc(idle, func(a, b *udpConv) int { return cmp.Compare(a.meta.ID, b.meta.ID) })
	for _, cv := range idle {
		t.close(h, cv)
	}
	t.closedIn += len(idle)
	clear(idle)
	t.idle = idle[:0]
	if t.closedIn > len(t.order)/2 {
		t.dropClosed()
	}
}

// expireAll is expire visiting every open conversation, for when the list
// by last datagram is out of order; it then sorts the list.
func (t *udpTable) expireAll(h *handler, deadline time.Time) {
	for _, cv := range t.order {
		if !cv.closed && cv.last.Time.Before(deadline) {
			t.close(h, cv)
		}
	}
	t.dropClosed()
	open := append(t.idle[:0], t.order...)
	slices.SortStableFunc(open, func(a, b *udpConv) int { return a.last.Time.Compare(b.last.Time) })
	t.oldest, t.newest = nil, nil
	for _, cv := range open {
		t.insertAfter(t.newest, cv)
	}
	clear(open)
	t.idle = open[:0]
	t.unsorted = false
}

// dropClosed removes the closed conversations from order.
func (t *udpTable) dropClosed() {
	kept := t.order[:0]
	for _, cv := range t.order {
		if !cv.closed {
			kept = append(kept, cv)
		}
	}
	clear(t.order[len(kept):])
	t.order, t.closedIn = kept, 0
}

// touch records a datagram of cv, at: cv moves to its place in the list
// by last datagram, the end unless packet time went back.
func (t *udpTable) touch(cv *udpConv, at dissectors.Packet) {
	cv.last = at
	if t.newest == cv && (cv.older == nil || !at.Time.Before(cv.older.last.Time)) {
		return
	}
	t.unlink(cv)
	t.insert(cv)
}

// maxWalkBack is how far back insert looks for the place of a datagram
// older than the newest: far enough for the jitter of merged captures and
// of -i any, where the packets of two interfaces interleave a little out
// of order.
const maxWalkBack = 64

// insert puts cv, in no list, after the newest conversation whose last
// datagram is not later than its own. When that is more than maxWalkBack
// conversations back, it puts cv at the end and leaves the list unsorted
// (see expire).
func (t *udpTable) insert(cv *udpConv) {
	p := t.newest
	for k := 0; p != nil && cv.last.Time.Before(p.last.Time); k++ {
		if k == maxWalkBack {
			t.unsorted = true
			p = t.newest
			break
		}
		p = p.older
	}
	t.insertAfter(p, cv)
}

// insertAfter puts cv, in no list, after p in the list, or first when p
// is nil.
func (t *udpTable) insertAfter(p, cv *udpConv) {
	cv.older = p
	if p != nil {
		cv.newer = p.newer
		p.newer = cv
	} else {
		cv.newer = t.oldest
		t.oldest = cv
	}
	if cv.newer != nil {
		cv.newer.older = cv
	} else {
		t.newest = cv
	}
}

// unlink takes cv out of the list, if it is in it.
func (t *udpTable) unlink(cv *udpConv) {
	if cv.older != nil {
		cv.older.newer = cv.newer
	} else if t.oldest == cv {
		t.oldest = cv.newer
	}
	if cv.newer != nil {
		cv.newer.older = cv.older
	} else if t.newest == cv {
		t.newest = cv.older
	}
	cv.older, cv.newer = nil, nil
}

// closeAll ends every conversation, in order of creation.
func (t *udpTable) closeAll(h *handler) {
	for _, cv := range t.order {
		t.close(h, cv)
	}
	t.order, t.closedIn = nil, 0
	t.oldest, t.newest, t.unsorted = nil, nil, false
}
