package capture

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// idlest gives the least recently active open connection, as a list kept
// in order of activity would, through random opens, packets, closes and
// evictions, and the candidates it keeps never hold a closed connection.
func TestIdlestIsLeastRecentlyActive(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := 0; round < 50; round++ {
		r := &Reader{}
		var order []*tcpStream // reference: least recently active first
		moveToBack := func(s *tcpStream) {
			i := slices.Index(order, s)
			order = append(slices.Delete(order, i, i+1), s)
		}
		for step := 0; step < 2000; step++ {
			// Each step is a packet, which opens or touches at most one
			// connection.
			r.pkt.Number++
			switch k := rng.IntN(10); {
			case k < 3 || len(order) == 0:
				s := &tcpStream{last: r.pkt}
				r.lruPushFront(s)
				order = append(order, s)
			case k < 7:
				s := order[rng.IntN(len(order))]
				s.last = r.pkt // as Accept does
				moveToBack(s)
			case k < 8:
				i := rng.IntN(len(order))
				r.lruRemove(order[i])
				order = slices.Delete(order, i, i+1)
			default:
				got := r.idlest()
				if got != order[0] {
					t.Fatalf("round %d step %d: idlest is not the least recently active of %d", round, step, len(order))
				}
				r.lruRemove(got)
				order = order[1:]
			}
			if r.open != len(order) || len(r.streams) != len(order) {
				t.Fatalf("round %d step %d: %d open, %d streams; want %d", round, step, r.open, len(r.streams), len(order))
			}
			// The candidates hold only open connections, each where it
			// says it is: a closed one is not kept alive by them.
			for i, c := range r.lruQueue {
				if c.s != nil && (i < r.lruNext || !c.s.lru.inList || int(c.s.lru.queued) != i+1) {
					t.Fatalf("round %d step %d: candidate %d (next %d) is closed or misplaced: %+v", round, step, i, r.lruNext, c.s.lru)
				}
			}
		}
	}
	if s := (&Reader{}).idlest(); s != nil {
		t.Error("idlest of no connection is not nil")
	}
}
