package pipeline

import (
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

	// Parallel runs: the worker creates dec from d on the first datagram;
	// w is the worker.
	d dissectors.Dissector
	w int
}

// udpTable groups UDP datagrams into conversations, by client and server
// endpoints, and ends them after an idle time of packet time, when too
// many are open, and at the end of the run. Conversations are numbered
// from 0 in order of their first datagram, like tshark's udp.stream.
type udpTable struct {
	convs     map[udpKey]*udpConv
	order     []*udpConv // in order of creation; closed ones are dropped lazily
	nextID    uint64
	nextSweep time.Time
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
			return
		}
	}
	t.order = t.order[:0]
}

// expire ends, once a second of packet time, the conversations idle for
// longer than the timeout, in order of creation.
func (t *udpTable) expire(h *handler, now time.Time) {
	if len(t.convs) == 0 || now.Before(t.nextSweep) {
		return
	}
	t.nextSweep = now.Add(time.Second)
	deadline := now.Add(-h.cfg.UDPTimeout)
	kept := t.order[:0]
	for _, cv := range t.order {
		if !cv.closed && cv.last.Time.Before(deadline) {
			t.close(h, cv)
		}
		if !cv.closed {
			kept = append(kept, cv)
		}
	}
	clear(t.order[len(kept):])
	t.order = kept
}

// closeAll ends every conversation, in order of creation.
func (t *udpTable) closeAll(h *handler) {
	for _, cv := range t.order {
		t.close(h, cv)
	}
	t.order = nil
}
