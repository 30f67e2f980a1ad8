package dissectors

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/dissect-project/dissect/schema"
)

// maxOpenRequests bounds the requests a connection keeps waiting for their
// responses; past it, the oldest is reported unanswered and dropped.
const maxOpenRequests = 4096

// maxAnswered is how many answered keys a connection remembers, to tell a
// duplicate response from an unsolicited one.
const maxAnswered = 64

// indexAbove is how many open requests a connection keeps in a plain list;
// above it, a map indexes them.
const indexAbove = 32

// orderEntry remembers when a request arrived.
type orderEntry struct {
	slot pairSlot
	seq  uint64
}

// pairSlot is a request's key with the direction it was sent in.
type pairSlot struct {
	key int64
	dir Direction
}

// openRequest is a request waiting for its response: 64 bytes, one cache
// line.
type openRequest struct {
	slot pairSlot // the key, and the direction with only its low bit
	pkt  Packet
	seq  uint64    // order of arrival, to find the oldest
	dir  Direction // as the frame gave it
}

// answered is a key that got its response.
type answered struct {
	slot pairSlot // the request's key and direction
	pkt  uint64   // the response's packet
}

// pairTable matches requests to responses within one connection, by the
// keys that frames declare with `pair request KEY` and `pair response KEY`.
// A response matches a request from the other direction. It allocates
// nothing until a connection has many requests open at once.
//
// While few requests are open (no index), the oldest is found by a look at
// each of them; past indexAbove, a queue in order of arrival finds it
// quickly. The fields every frame uses come first.
type pairTable struct {
	open     []openRequest
	index    map[pairSlot]int // slot → position in open, once open is long
	seq      uint64
	answered []answered // a ring of the most recent answers
	nextAns  int
	order    []orderEntry // with index: requests in order of arrival, some already gone
	head     int          // order[:head] is consumed
	touched  uint64       // open[0].seq when Feed last read it, see Feed
}

// slot combines a key and the direction of its request.
func slot(key int64, dir Direction) pairSlot {
	return pairSlot{key, dir & 1}
}

func (t *pairTable) find(s pairSlot) int {
	if t.index != nil {
		return t.findIndexed(s)
	}
	for i := range t.open {
		if t.open[i].slot == s {
			return i
		}
	}
	return -1
}

// findIndexed is find with an index. It and the other methods for many
// open requests are kept out of those every frame runs, whose code stays
// short.
//
//go:noinline
func (t *pairTable) findIndexed(s pairSlot) int {
	if i, ok := t.index[s]; ok {
		return i
	}
	return -1
}

func (t *pairTable) add(r openRequest) {
	t.open = append(t.open, r)
	if t.index != nil || len(t.open) > indexAbove {
		t.addIndexed(r)
	}
}

// addIndexed indexes r, just added, making the index when open has grown
// past indexAbove.
//
//go:noinline
func (t *pairTable) addIndexed(r openRequest) {
	if t.index == nil {
		t.index = make(map[pairSlot]int, 2*indexAbove)
		for i := range t.open {
			t.index[t.open[i].slot] = i
		}
		// The queue in order of arrival starts with the requests open.
		t.order, t.head = t.order[:0], 0
		for _, o := range t.open {
			t.order = append(t.order, orderEntry{o.slot, o.seq})
		}
		slices.SortFunc(t.order, func(a, b orderEntry) int { return cmp.Compare(a.seq, b.seq) })
	} else {
		t.index[r.slot] = len(t.open) - 1
		t.order = append(t.order, orderEntry{r.slot, r.seq})
	}
}

// remove takes out the request at position i, moving the last one into its
// place.
func (t *pairTable) remove(i int) {
	last := len(t.open) - 1
	if t.index != nil {
		t.removeIndexed(i, last)
	}
	t.open[i] = t.open[last]
	t.open = t.open[:last]
}

// removeIndexed updates the index for the removal of the request at
// position i, the last one moving into its place.
//
//go:noinline
func (t *pairTable) removeIndexed(i, last int) {
	delete(t.index, t.open[i].slot)
	if i != last {
		t.index[t.open[last].slot] = i
	}
}

// observe records what a decoded frame means for pairing and returns the
// pairing information of its record.
func (t *pairTable) observe(c *session, dir Direction, f *schema.Frame, at *Packet) PairInfo {
	switch f.Pair {
	case schema.PairRequest:
		s := slot(f.PairKey, dir)
		if i := t.find(s); i >= 0 {
			// The same key again before an answer: the first request is
			// reported unanswered.
			t.reportUnanswered(c, &t.open[i])
			t.remove(i)
		}
		if len(t.open) >= maxOpenRequests {
			t.evictOldest(c)
		}
		t.seq++
		t.add(openRequest{slot: s, dir: dir, pkt: *at, seq: t.seq})
		if t.index != nil && len(t.order)-t.head > 2*len(t.open)+2*indexAbove {
			t.compactOrder()
		}
		return PairInfo{Status: PairRequest, Key: f.PairKey}
	case schema.PairResponse:
		s := slot(f.PairKey, dir^1)
		if i := t.find(s); i >= 0 {
			r := &t.open[i]
			info := PairInfo{Status: PairMatched, Key: f.PairKey, PeerPacket: r.pkt.Number, Latency: latency(at.Time, r.pkt.Time)}
			t.remember(answered{slot: s, pkt: at.Number})
			t.remove(i)
			if t.index != nil {
				t.trimOrder()
			}
			return info
		}
		return t.unmatched(s, f.PairKey)
	}
	return PairInfo{}
}

// unmatched returns the pairing information of a response to no open
// request: a duplicate of one answered recently, or unsolicited.
//
//go:noinline
func (t *pairTable) unmatched(s pairSlot, key int64) PairInfo {
	for _, a := range t.answered {
		if a.slot == s {
			return PairInfo{Status: PairDuplicate, Key: key, PeerPacket: a.pkt}
		}
	}
	return PairInfo{Status: PairUnsolicited, Key: key}
}

// latency returns t.Sub(u). Packet times carry no monotonic clock reading
// (they are read from captures, by time.Unix): their difference is that
// of their seconds and nanoseconds, which takes a few instructions where
// Sub, which must check for monotonic readings and overflows, takes a
// hundred. Other times go through Sub: differences of 2^32 seconds or
// more, and times more than 2^62 seconds from 1970 (a pcapng file's
// timestamps can be any 64-bit number of seconds), whose difference, or
// time's own count of seconds from year 1, may overflow, which Sub
// answers with the smallest or largest Duration. Sub subtracts monotonic
// clock readings only when both times have one: that neither has is
// checked no further than the first (the request's time, u).
func latency(t, u time.Time) time.Duration {
	a, b := t.Unix(), u.Unix()
	ds := a - b
	if uint64(a+1<<62)|uint64(b+1<<62) < 1<<63 && uint64(ds+1<<32) < 1<<33 && (u == u.Round(0) || t == t.Round(0)) {
		return time.Duration(ds)*time.Second + time.Duration(t.Nanosecond()-u.Nanosecond())
	}
	return t.Sub(u)
}

func (t *pairTable) remember(a answered) {
	if len(t.answered) < maxAnswered {
		t.answered = append(t.answered, a)
		return
	}
	t.answered[t.nextAns] = a
	t.nextAns = (t.nextAns + 1) % maxAnswered
}

// evictOldest reports and drops the request that has waited longest. The
// order queue holds entries for requests already answered or replaced;
// they are passed over.
func (t *pairTable) evictOldest(c *session) {
	if t.index == nil {
		// A few requests: the oldest has the least seq.
		if len(t.open) > 0 {
			i := 0
			for j := range t.open {
				if t.open[j].seq < t.open[i].seq {
					i = j
				}
			}
			t.reportUnanswered(c, &t.open[i])
			t.remove(i)
		}
		return
	}
	for t.head < len(t.order) {
		e := t.order[t.head]
		t.head++
		if i := t.find(e.slot); i >= 0 && t.open[i].seq == e.seq {
			t.reportUnanswered(c, &t.open[i])
			t.remove(i)
			t.reclaim()
			return
		}
	}
	t.reclaim()
	// Not reached while every open request is in the queue; keep the
	// table consistent all the same.
	if len(t.open) > 0 {
		t.reportUnanswered(c, &t.open[0])
		t.remove(0)
	}
}

// compactOrder drops the queue entries of requests no longer open.
func (t *pairTable) compactOrder() {
	kept := t.order[:0]
	for _, e := range t.order[t.head:] {
		if i := t.find(e.slot); i >= 0 && t.open[i].seq == e.seq {
			kept = append(kept, e)
		}
	}
	t.order, t.head = kept, 0
}

// trimOrder drops the entries at the front of the order queue whose
// requests are answered, so that the queue of a long connection whose
// responses come in order stays short. The queue's array is reused.
func (t *pairTable) trimOrder() {
	for t.head < len(t.order) {
		e := t.order[t.head]
		if i := t.find(e.slot); i >= 0 && t.open[i].seq == e.seq {
			break
		}
		t.head++
	}
	t.reclaim()
}

// reclaim reuses the consumed front of the order queue's array.
func (t *pairTable) reclaim() {
	switch {
	case t.head == len(t.order):
		t.order, t.head = t.order[:0], 0
	case t.head > 2*indexAbove && t.head > len(t.order)/2:
		n := copy(t.order, t.order[t.head:])
		t.order, t.head = t.order[:n], 0
	}
}

// flushUnanswered reports every request still waiting, in the order they
// came, when the connection ends.
func (t *pairTable) flushUnanswered(c *session) {
	for len(t.open) > 0 {
		t.evictOldest(c)
	}
}

func (t *pairTable) reportUnanswered(c *session, r *openRequest) {
	// The dissector's aux record: a frame's pairing evicts requests while
	// its own record, the dissector's rec, is being filled.
	rec := &c.d.aux
	*rec = Record{
		Kind:        KindUnanswered,
		Protocol:    &c.d.info,
		Conn:        c.conn,
		Dir:         r.dir,
		Time:        r.pkt.Time,
		FirstPacket: r.pkt.Number,
		LastPacket:  r.pkt.Number,
		Pair:        PairInfo{Status: PairUnanswered, Key: r.slot.key},
		Reason:      "request at packet " + strconv.FormatUint(r.pkt.Number, 10) + " (key " + strconv.FormatInt(r.slot.key, 10) + ") got no response",
	}
	c.emit(rec)
}
