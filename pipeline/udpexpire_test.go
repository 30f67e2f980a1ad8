package pipeline

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
)

// closeLog records which conversations close, when, and in what order.
type closeLog struct{ closes []string }

// closeLogDissector makes conversations that write their closes to log.
type closeLogDissector struct{ log *closeLog }

func (d closeLogDissector) Info() *dissectors.Info { return &dissectors.Info{Name: "closelog"} }
func (d closeLogDissector) NewConnection(*dissectors.Conn, dissectors.Sink) dissectors.Connection {
	return nil
}
func (d closeLogDissector) Datagram(*dissectors.Conn, dissectors.Direction, []byte, dissectors.Packet, dissectors.Sink) error {
	return nil
}
func (d closeLogDissector) NewConversation(c *dissectors.Conn, _ dissectors.Sink) dissectors.Conversation {
	return &closeLogConv{id: c.ID, log: d.log}
}

type closeLogConv struct {
	id  uint64
	log *closeLog
}

func (c *closeLogConv) Datagram(dissectors.Direction, []byte, dissectors.Packet) error { return nil }
func (c *closeLogConv) Close(at dissectors.Packet) error {
	c.log.closes = append(c.log.closes, fmt.Sprintf("%d@%d", c.id, at.Number))
	return nil
}

// scanModel is the expiry the table must match: every sweep visits every
// open conversation, in order of creation.
type scanModel struct {
	open      []*modelConv // in order of creation
	byKey     map[udpKey]*modelConv
	nextID    uint64
	nextSweep time.Time
	closes    []string
}

type modelConv struct {
	id   uint64
	key  udpKey
	last dissectors.Packet
}

func (m *scanModel) close(i int) {
	cv := m.open[i]
	m.closes = append(m.closes, fmt.Sprintf("%d@%d", cv.id, cv.last.Number))
	delete(m.byKey, cv.key)
	m.open = slices.Delete(m.open, i, i+1)
}

func (m *scanModel) datagram(key udpKey, pkt dissectors.Packet, timeout time.Duration, max int) {
	if len(m.open) > 0 && !pkt.Time.Before(m.nextSweep) {
		m.nextSweep = pkt.Time.Add(time.Second)
		deadline := pkt.Time.Add(-timeout)
		for i := 0; i < len(m.open); {
			if m.open[i].last.Time.Before(deadline) {
				m.close(i)
			} else {
				i++
			}
		}
	}
	cv := m.byKey[key]
	if cv == nil {
		for len(m.open) >= max {
			m.close(0)
		}
		cv = &modelConv{id: m.nextID, key: key}
		m.nextID++
		m.byKey[key] = cv
		m.open = append(m.open, cv)
	}
	cv.last = pkt
}

// TestUDPExpiryMatchesScan runs random datagrams through the table and
// through a model that visits every conversation at every sweep: the
// conversations close in the same order, at the same datagrams. The
// captures start conversations steadily, come back to old ones, let time
// stand, jump and go back, and fill the conversation limit.
func TestUDPExpiryMatchesScan(t *testing.T) {
	const timeout = 10 * time.Second
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 7))
		log := &closeLog{}
		d := closeLogDissector{log: log}
		max := 1 << 20
		if seed%3 == 0 {
			max = 2 + rng.IntN(40)
		}
		h := &handler{cfg: Config{UDPTimeout: timeout, MaxConversations: max, Sink: &recordLog{}}}
		h.udp.init()
		m := &scanModel{byKey: map[udpKey]*modelConv{}}
		server := capture.Endpoint{Addr: netip.MustParseAddr("10.0.0.1"), Port: 53}
		now := time.Unix(1_700_000_000, 0)
		ports := 1 + rng.IntN(200)
		backwards := seed%2 == 1
		for n := range uint64(2000) {
			switch r := rng.IntN(100); {
			case r < 60:
				now = now.Add(time.Duration(rng.IntN(300)) * time.Millisecond)
			case r < 63:
				now = now.Add(time.Duration(rng.IntN(30)) * time.Second)
			case r < 66 && backwards:
				now = now.Add(-time.Duration(rng.IntN(20)) * time.Second)
			case r < 80 && backwards:
				now = now.Add(-time.Duration(rng.IntN(2000)) * time.Millisecond) // jitter
			}
			client := capture.Endpoint{Addr: netip.MustParseAddr("10.1.0.1"), Port: uint16(1024 + rng.IntN(ports))}
			key := udpKey{client, server}
			pkt := dissectors.Packet{Number: n + 1, Time: now}

			h.udp.expire(h, pkt.Time)
			cv := h.udp.get(h, key, d)
			h.udp.touch(cv, pkt)
			m.datagram(key, pkt, timeout, max)
		}
		h.udp.closeAll(h)
		for len(m.open) > 0 {
			m.close(0)
		}
		if !slices.Equal(log.closes, m.closes) {
			i := 0
			for i < min(len(log.closes), len(m.closes)) && log.closes[i] == m.closes[i] {
				i++
			}
			t.Fatalf("seed %d (limit %d, time going back %v): %d and %d closes, first difference at %d: table %v, model %v",
				seed, max, backwards, len(log.closes), len(m.closes), i,
				log.closes[i:min(i+5, len(log.closes))], m.closes[i:min(i+5, len(m.closes))])
		}
		if len(h.udp.order) != 0 || h.udp.oldest != nil || h.udp.newest != nil {
			t.Fatalf("seed %d: %d conversations left in order, list ends %p %p", seed, len(h.udp.order), h.udp.oldest, h.udp.newest)
		}
	}
}

// TestUDPOrderBounded checks that conversations closed by expiry do not
// pile up in the table's creation order: it holds about the open ones.
func TestUDPOrderBounded(t *testing.T) {
	h := &handler{cfg: Config{UDPTimeout: time.Second, MaxConversations: 1 << 20, Sink: &recordLog{}}}
	h.udp.init()
	d := closeLogDissector{log: &closeLog{}}
	server := capture.Endpoint{Addr: netip.MustParseAddr("10.0.0.1"), Port: 53}
	now := time.Unix(1_700_000_000, 0)
	most := 0
	for n := range 100_000 {
		now = now.Add(time.Millisecond)
		client := capture.Endpoint{Addr: netip.AddrFrom4([4]byte{10, 1, byte(n >> 8), byte(n)}), Port: uint16(n)}
		pkt := dissectors.Packet{Number: uint64(n + 1), Time: now}
		h.udp.expire(h, pkt.Time)
		h.udp.touch(h.udp.get(h, udpKey{client, server}, d), pkt)
		most = max(most, len(h.udp.order))
	}
	// A thousand datagrams a second, each its own conversation, idle
	// after a second: about two seconds' worth are open at a sweep.
	if open := len(h.udp.convs); open > 2100 || most > 2*2100 {
		t.Errorf("%d conversations open, order reached %d", open, most)
	}
}

// Packet time that goes back a little, as when two interfaces' packets
// interleave, keeps the list sorted: sweeps need not visit every
// conversation.
func TestUDPJitterKeepsListSorted(t *testing.T) {
	h := &handler{cfg: Config{UDPTimeout: time.Second, MaxConversations: 1 << 20, Sink: &recordLog{}}}
	h.udp.init()
	d := closeLogDissector{log: &closeLog{}}
	server := capture.Endpoint{Addr: netip.MustParseAddr("10.0.0.1"), Port: 53}
	rng := rand.New(rand.NewPCG(5, 6))
	now := time.Unix(1_700_000_000, 0)
	for n := range 20_000 {
		now = now.Add(time.Millisecond)
		at := now.Add(-time.Duration(rng.IntN(5000)) * time.Microsecond)
		client := capture.Endpoint{Addr: netip.MustParseAddr("10.1.0.1"), Port: uint16(1024 + rng.IntN(3000))}
		pkt := dissectors.Packet{Number: uint64(n + 1), Time: at}
		h.udp.expire(h, pkt.Time)
		h.udp.touch(h.udp.get(h, udpKey{client, server}, d), pkt)
		if h.udp.unsorted {
			t.Fatalf("datagram %d, 5 ms out of order at most: the list was left unsorted", n+1)
		}
	}
	for cv := h.udp.oldest; cv != nil && cv.newer != nil; cv = cv.newer {
		if cv.newer.last.Time.Before(cv.last.Time) {
			t.Fatal("list out of order")
		}
	}
}
