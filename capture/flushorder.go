package capture

import (
	"cmp"
	"slices"
)

// The assembler flushes its connections (on idle and reorder timeouts, and
// at the end of the input) in the order of a Go map, which changes from
// run to run. So that the same capture always gives the same output, the
// Reader holds back what a flush delivers and hands it on in connection
// order, each connection's events in their own order.

// heldEvent is a stream event delivered by the assembler during a flush.
type heldEvent struct {
	id         uint64 // the connection's Flow.ID
	h          StreamHandler
	kind       heldKind
	dir        Direction
	midstream  bool
	missing    int
	at         Packet
	start, end int // heldData: the bytes in r.held.data
	runs, rend int // heldData: the packet runs in r.held.runs
}

type heldKind uint8

const (
	heldGap heldKind = iota
	heldData
	heldClose
)

// heldEvents collects the events of one flush.
type heldEvents struct {
	on     bool
	events []heldEvent
	data   []byte
	runs   []PacketRun
}

// flushInOrder runs flush, a call that makes the assembler flush, and then
// delivers what it flushed in connection order.
func (r *Reader) flushInOrder(flush func()) {
	r.held.on = true
	flush()
	r.held.on = false
	ev := r.held.events
	if len(ev) == 0 {
		return
	}
	slices.SortStableFunc(ev, func(a, b heldEvent) int { return cmp.Compare(a.id, b.id) })
	for i := range ev {
		e := &ev[i]
		switch e.kind {
		case heldGap:
			e.h.Gap(e.dir, e.missing, e.at)
		case heldData:
			seg := &r.seg
			seg.Bytes = r.held.data[e.start:e.end]
			seg.Midstream = e.midstream
			seg.runs = r.held.runs[e.runs:e.rend]
			e.h.Data(e.dir, seg)
			*seg = Segment{}
		case heldClose:
			e.h.Close(e.at)
		}
	}
	clear(ev) // drop the handlers
	r.held.events, r.held.data, r.held.runs = ev[:0], r.held.data[:0], r.held.runs[:0]
}

// holdData records the bytes of a Data call made during a flush, with the
// packets they came from.
func (r *Reader) holdData(s *tcpStream, h StreamHandler, dir Direction, seg *Segment) {
	e := heldEvent{id: s.id, h: h, kind: heldData, dir: dir, midstream: seg.Midstream}
	e.start = len(r.held.data)
	r.held.data = append(r.held.data, seg.Bytes...)
	e.end = len(r.held.data)
	e.runs = len(r.held.runs)
	r.held.runs = seg.AppendRuns(r.held.runs)
	e.rend = len(r.held.runs)
	r.held.events = append(r.held.events, e)
}
