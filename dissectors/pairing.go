package dissectors

import (
	"strconv"

	"github.com/dissect-project/dissect/schema"
)

// maxOpenRequests bounds the requests a connection keeps waiting for their
// responses; past it, the oldest is reported unanswered and dropped.
const maxOpenRequests = 4096

// maxAnswered is how many answered keys a connection remembers, to tell a
// duplicate response from an unsolicited one.
const maxAnswered = 256

// openRequest is a request waiting for its response.
type openRequest struct {
	key  int64
	dir  Direction
	pkt  Packet
	seq  uint64 // order of arrival, to find the oldest
	live bool
}

// answered is a key that got its response.
type answered struct {
	key int64
	dir Direction // the direction of the request
	pkt Packet    // the response
}

// pairTable matches requests to responses within one connection, by the
// keys that frames declare with `pair request KEY` and `pair response KEY`.
// A response matches a request from the other direction.
type pairTable struct {
	open     map[int64]*openRequest // one per key and direction: keys are kept per direction by sign-free mixing below
	free     []*openRequest
	seq      uint64
	answered [maxAnswered]answered
	nextAns  int
	nAns     int
	rec      Record
}

// slot is the map key for a request key sent in direction dir.
func slot(key int64, dir Direction) int64 {
	return key<<1 | int64(dir&1)
}

// observe records what a decoded frame means for pairing and returns the
// pairing information of its record.
func (t *pairTable) observe(c *connection, dir Direction, f *schema.Frame, at Packet) PairInfo {
	switch f.Pair {
	case schema.PairRequest:
		if t.open == nil {
			t.open = map[int64]*openRequest{}
		}
		k := slot(f.PairKey, dir)
		if old, ok := t.open[k]; ok {
			// The same key again before an answer: the first request is
			// reported unanswered.
			t.reportUnanswered(c, old)
			t.release(k, old)
		}
		if len(t.open) >= maxOpenRequests {
			t.evictOldest(c)
		}
		r := t.alloc()
		t.seq++
		*r = openRequest{key: f.PairKey, dir: dir, pkt: at, seq: t.seq, live: true}
		t.open[k] = r
		return PairInfo{Status: PairRequest, Key: f.PairKey}
	case schema.PairResponse:
		reqDir := dir ^ 1
		k := slot(f.PairKey, reqDir)
		if r, ok := t.open[k]; ok {
			info := PairInfo{Status: PairMatched, Key: f.PairKey, PeerPacket: r.pkt.Number, Latency: at.Time.Sub(r.pkt.Time)}
			t.remember(answered{key: f.PairKey, dir: reqDir, pkt: at})
			t.release(k, r)
			return info
		}
		for i := 0; i < t.nAns; i++ {
			a := &t.answered[i]
			if a.key == f.PairKey && a.dir == reqDir {
				return PairInfo{Status: PairDuplicate, Key: f.PairKey, PeerPacket: a.pkt.Number}
			}
		}
		return PairInfo{Status: PairUnsolicited, Key: f.PairKey}
	}
	return PairInfo{}
}

func (t *pairTable) alloc() *openRequest {
	if n := len(t.free); n > 0 {
		r := t.free[n-1]
		t.free = t.free[:n-1]
		return r
	}
	return &openRequest{}
}

func (t *pairTable) release(k int64, r *openRequest) {
	delete(t.open, k)
	r.live = false
	t.free = append(t.free, r)
}

func (t *pairTable) remember(a answered) {
	t.answered[t.nextAns] = a
	t.nextAns = (t.nextAns + 1) % maxAnswered
	t.nAns = min(t.nAns+1, maxAnswered)
}

func (t *pairTable) evictOldest(c *connection) {
	var oldest *openRequest
	var oldestKey int64
	for k, r := range t.open {
		if oldest == nil || r.seq < oldest.seq {
			oldest, oldestKey = r, k
		}
	}
	if oldest != nil {
		t.reportUnanswered(c, oldest)
		t.release(oldestKey, oldest)
	}
}

// flushUnanswered reports every request still waiting, in the order they
// came, when the connection ends.
func (t *pairTable) flushUnanswered(c *connection, at Packet) {
	for len(t.open) > 0 {
		t.evictOldest(c)
	}
}

func (t *pairTable) reportUnanswered(c *connection, r *openRequest) {
	rec := &t.rec
	*rec = Record{
		Kind:        KindUnanswered,
		Protocol:    &c.d.info,
		Conn:        c.dirs[0].rec.Conn,
		Dir:         r.dir,
		Time:        r.pkt.Time,
		FirstPacket: r.pkt.Number,
		LastPacket:  r.pkt.Number,
		Offset:      0,
		Pair:        PairInfo{Status: PairUnanswered, Key: r.key},
		Reason:      "request at packet " + strconv.FormatUint(r.pkt.Number, 10) + " (key " + strconv.FormatInt(r.key, 10) + ") got no response",
	}
	c.emit(rec)
}
