package dissectors

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/dissect-project/dissect/schema"
)

// pairSink records the unanswered requests reported.
type pairSink struct{ unanswered []PairInfo }

func (s *pairSink) Emit(r *Record) error {
	if r.Kind == KindUnanswered {
		s.unanswered = append(s.unanswered, PairInfo{Key: r.Pair.Key, PeerPacket: r.FirstPacket})
	}
	return nil
}

// pairModel is pairing as specified, kept simple: open requests in order
// of arrival, and the ring of recent answers.
type pairModel struct {
	open       []openRequest
	answered   []answered
	next       int
	unanswered []PairInfo
}

func (m *pairModel) report(i int) {
	m.unanswered = append(m.unanswered, PairInfo{Key: m.open[i].slot.key, PeerPacket: m.open[i].pkt.Number})
	m.open = slices.Delete(m.open, i, i+1)
}

func (m *pairModel) find(s pairSlot) int {
	return slices.IndexFunc(m.open, func(r openRequest) bool { return r.slot == s })
}

func (m *pairModel) observe(role schema.PairRole, key int64, dir Direction, at Packet) PairInfo {
	if role == schema.PairRequest {
		s := slot(key, dir)
		if i := m.find(s); i >= 0 {
			m.report(i)
		}
		if len(m.open) >= maxOpenRequests {
			m.report(0)
		}
		m.open = append(m.open, openRequest{slot: s, pkt: at})
		return PairInfo{Status: PairRequest, Key: key}
	}
	s := slot(key, dir^1)
	if i := m.find(s); i >= 0 {
		r := m.open[i]
		m.open = slices.Delete(m.open, i, i+1)
		a := answered{slot: s, pkt: at.Number}
		if len(m.answered) < maxAnswered {
			m.answered = append(m.answered, a)
		} else {
			m.answered[m.next] = a
			m.next = (m.next + 1) % maxAnswered
		}
		return PairInfo{Status: PairMatched, Key: key, PeerPacket: r.pkt.Number, Latency: at.Time.Sub(r.pkt.Time)}
	}
	for _, a := range m.answered {
		if a.slot == s {
			return PairInfo{Status: PairDuplicate, Key: key, PeerPacket: a.pkt}
		}
	}
	return PairInfo{Status: PairUnsolicited, Key: key}
}

// The pairing table gives what the model gives, with few requests open
// (no index) and many (past indexAbove, and past maxOpenRequests), through
// duplicate, repeated and unsolicited keys, and at the close.
func TestPairTableMatchesModel(t *testing.T) {
	d := modbusDissector(t)
	for _, tc := range []struct{ keys, steps int }{{4, 3000}, {60, 5000}, {6000, 30000}} {
		rng := rand.New(rand.NewPCG(uint64(tc.keys), 9))
		sink := &pairSink{}
		c := d.NewConnection(&Conn{Transport: "tcp"}, sink).(*connection)
		var m pairModel
		var f schema.Frame
		base := time.Unix(1700000000, 0).UTC()
		for step := 1; step <= tc.steps; step++ {
			f.Pair, f.PairKey = schema.PairResponse, int64(rng.IntN(tc.keys))
			if rng.IntN(5) < 3 {
				f.Pair = schema.PairRequest
			}
			dir := Direction(rng.IntN(2))
			at := Packet{Number: uint64(step), Time: base.Add(time.Duration(step) * time.Millisecond)}
			got := c.pairs.observe(&c.session, dir, &f, &at)
			want := m.observe(f.Pair, f.PairKey, dir, at)
			if got != want {
				t.Fatalf("%d keys, step %d: %+v, want %+v", tc.keys, step, got, want)
			}
		}
		c.pairs.flushUnanswered(&c.session)
		for len(m.open) > 0 {
			m.report(0)
		}
		if !slices.Equal(sink.unanswered, m.unanswered) {
			t.Fatalf("%d keys: %d unanswered reported, want %d (or in another order)", tc.keys, len(sink.unanswered), len(m.unanswered))
		}
	}
}
