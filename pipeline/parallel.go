package pipeline

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
)

// MaxJobs is the largest number of workers a parallel run may have.
const MaxJobs = 64

// WorkerSink is the sink of one worker of a parallel run: it encodes
// records and writes them to the writer it was made for; Flush pushes out
// what it buffered.
type WorkerSink interface {
	dissectors.Sink
	Flush() error
}

// NewWorkerFunc returns what one worker of a parallel run needs: its own
// registry (a dissector's buffers serve a single goroutine), configured
// like the others, and a sink writing to w. RunParallel calls it once more
// for the reader goroutine, which runs the heuristics on connections no
// port claims with a registry of its own (that sink is not used).
type NewWorkerFunc func(w io.Writer) (*dissectors.Registry, WorkerSink, error)

// ParallelConfig is what RunParallel needs.
type ParallelConfig struct {
	// Config gives Capture, UDPTimeout, MaxConversations and Stop; its
	// Registry, Sink, Count and Buffers are not used: each worker has its
	// own registry (and the registry its own buffer limits).
	Config
	Jobs      int           // workers, 1 to MaxJobs
	NewWorker NewWorkerFunc // called Jobs times
	Output    io.Writer     // receives the records' bytes, in the order Run would write them
}

// A round gathers about roundEvents events, or roundBytes bytes of payload,
// before they are handed to the workers.
const (
	roundEvents = 512
	roundBytes  = 256 << 10
	// roundsQueued is how many rounds may be in flight, handed to the
	// workers and not written yet: it bounds memory, and how far the
	// reader and the workers may drift apart before one waits.
	roundsQueued = 8
)

// RunParallel is Run with the decoding and encoding spread over
// cfg.Jobs goroutines. The reader goroutine reads packets, reassembles TCP
// and hands each connection's bytes, gaps and close to the worker that had
// the fewest connections open when it started, and each UDP datagram to a
// worker chosen by a hash of the flow's two endpoints, so that both
// directions of a connection (and of a UDP conversation) go to the same
// worker. Every event is numbered; the workers' output is written back in
// event order (by the worker that completes the oldest round), so the
// output is byte for byte that of Run, and so is the summary, except in
// two ways: each worker has its own buffer limits (a registry's
// BufferLimits), so a total limit applies per worker, and PeakBuffered is
// the sum of the workers' peaks.
func RunParallel(src *capture.Source, cfg ParallelConfig) (Summary, error) {
	if cfg.Jobs < 1 || cfg.Jobs > MaxJobs {
		return Summary{Errors: map[string]uint64{}}, fmt.Errorf("pipeline: %d jobs: want 1 to %d", cfg.Jobs, MaxJobs)
	}
	cfg.Config = cfg.Config.withDefaults()
	p := &parallel{
		inflight: make(chan struct{}, roundsQueued),
		free:     make(chan *batch, (roundsQueued+2)*cfg.Jobs),
		spare:    make(chan *round, roundsQueued+2),
	}
	p.out = newGatherWriter(cfg.Output, fileVector(cfg.Output))
	p.h = handler{cfg: cfg.Config, sum: Summary{Errors: map[string]uint64{}}}
	p.h.udp.init()
	p.h.udp.par = p
	for i := 0; i < cfg.Jobs; i++ {
		// A round has at most one batch for each worker: its channel
		// holds all those of the rounds in flight, and sendRound never
		// waits on it.
		wk := &worker{p: p, in: make(chan *batch, roundsQueued), sum: Summary{Errors: map[string]uint64{}}}
		reg, sink, err := cfg.NewWorker(&wk.out)
		if err != nil {
			return p.h.sum, err
		}
		wk.reg, wk.sink = reg, sink
		wk.epoch, _ = sink.(EpochSetter)
		wk.direct, _ = sink.(bufferSwapper)
		p.workers = append(p.workers, wk)
	}
	reg, _, err := cfg.NewWorker(io.Discard)
	if err != nil {
		return p.h.sum, err
	}
	p.h.cfg.Registry = reg // heuristics, on the reader goroutine
	p.h.par = p
	p.reader = capture.NewReader(p, cfg.Capture)
	p.h.reader = p.reader
	p.newRound()
	defer watchStop(cfg.Stop, p.reader)()

	var wg sync.WaitGroup
	for _, wk := range p.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk.run()
		}()
	}

	err = p.reader.Run(src)
	p.h.udp.closeAll(&p.h)
	p.sendRound()
	for _, wk := range p.workers {
		close(wk.in)
	}
	wg.Wait() // and so every round is written
	writeErr := p.writeErr
	if writeErr == nil {
		writeErr = p.out.end()
	}

	sum := p.h.sum
	sum.Capture = p.reader.Stats()
	for _, wk := range p.workers {
		sum.add(&wk.sum)
		_, peak := wk.reg.Buffers.Used()
		sum.PeakBuffered += peak
	}
	if writeErr != nil {
		return sum, writeErr
	}
	return sum, err
}

// parallel is the state of a parallel run; it receives the capture
// events on the reader goroutine.
type parallel struct {
	reader  *capture.Reader
	workers []*worker
	// inflight holds a token for each round handed to the workers and not
	// written yet: sendRound waits when it is full.
	inflight chan struct{}
	free     chan *batch
	spare    chan *round
	cur      *round
	h        handler // the configuration, the UDP conversations and the connection counts; the workers count the records
	failed   atomic.Bool
	// TCP connections open on each worker, and the worker whose turn it
	// is on a tie (see streamWorker).
	open [MaxJobs]int
	turn int

	// The rounds in flight, oldest first, in a ring, and whether a
	// worker is writing them out: under mu.
	mu      sync.Mutex
	queue   [roundsQueued]*round
	head, n int
	writing bool
	// What only the worker writing uses (one at a time: see batchDone).
	out      *gatherWriter
	writeErr error
	next     [MaxJobs]int // per worker: the next event of its batch in the round being written
	pos      [MaxJobs]int // per worker: how much of its batch's output is queued
}

// round is the events of a stretch of the capture: for each event, in
// order, the worker it went to, and each worker's batch.
type round struct {
	route   []uint8
	batches []*batch // by worker; nil when a worker got nothing
	bytes   int
	pending int // batches the workers have not finished: under parallel.mu
}

// batch is the events of one round for one worker, with copies of their
// bytes, and, once the worker is done, their output.
type batch struct {
	events []event
	data   []byte
	runs   []capture.PacketRun
	epoch  time.Time
	out    []byte
	ends   []int // for each event, the end of its output in out
	round  *round
}

type eventKind uint8

const (
	evData eventKind = iota
	evGap
	evClose
	evConvData
	evConvClose
)

// event is one thing a worker must do. The reader goroutine writes a
// million of them a second for the workers to read: it is kept small.
type event struct {
	c  *conn    // evData, evGap, evClose
	cv *udpConv // evConvData, evConvClose
	// evData, evConvData: the bytes are batch.data[start:end]; evGap:
	// start is the number of bytes missing.
	start, end int
	// evData: the packet runs of the bytes are batch.runs[runs:rend];
	// the other kinds: batch.runs[runs] holds the event's packet.
	runs, rend int32
	kind       eventKind
	dir        capture.Direction    // evData, evGap
	udpDir     dissectors.Direction // evConvData
	midstream  bool
}

// addPacket appends a run holding the packet of an event that has no
// bytes, and returns its index.
func (b *batch) addPacket(at capture.Packet) int32 {
	b.runs = append(b.runs, capture.PacketRun{Packet: at})
	return int32(len(b.runs) - 1)
}

// packet returns the packet of an event that is not evData.
func (b *batch) packet(ev *event) dissectors.Packet {
	p := &b.runs[ev.runs].Packet
	return dissectors.Packet(*p)
}

// newRound starts a round, reusing one the writer is done with.
func (p *parallel) newRound() {
	select {
	case r := <-p.spare:
		r.route, r.bytes = r.route[:0], 0
		clear(r.batches)
		p.cur = r
	default:
		p.cur = &round{route: make([]uint8, 0, roundEvents), batches: make([]*batch, len(p.workers))}
	}
}

// batchFor returns the current round's batch of worker w, and records that
// the next event goes to it.
func (p *parallel) batchFor(w int) *batch {
	b := p.cur.batches[w]
	if b == nil {
		select {
		case b = <-p.free:
			b.events, b.data, b.runs, b.out, b.ends = b.events[:0], b.data[:0], b.runs[:0], b.out[:0], b.ends[:0]
		default:
			// Room for a whole round's events: they would grow to it in
			// the first rounds anyway.
			b = &batch{
				events: make([]event, 0, roundEvents),
				runs:   make([]capture.PacketRun, 0, roundEvents),
				ends:   make([]int, 0, roundEvents),
			}
		}
		b.epoch = p.reader.FirstTime()
		b.round = p.cur
		p.cur.batches[w] = b
	}
	p.cur.route = append(p.cur.route, uint8(w))
	return b
}

// added ends an event of n payload bytes: the round goes out when full.
func (p *parallel) added(n int) {
	p.cur.bytes += n
	if len(p.cur.route) >= roundEvents || p.cur.bytes >= roundBytes {
		p.sendRound()
	}
}

// sendRound hands the current round to the workers, once fewer than
// roundsQueued rounds are in flight.
func (p *parallel) sendRound() {
	r := p.cur
	if len(r.route) == 0 {
		return
	}
	r.pending = 0
	for _, b := range r.batches {
		if b != nil {
			r.pending++
		}
	}
	p.inflight <- struct{}{}
	p.mu.Lock()
	p.queue[(p.head+p.n)%roundsQueued] = r
	p.n++
	p.mu.Unlock()
	for w, b := range r.batches {
		if b != nil {
			p.workers[w].in <- b
		}
	}
	p.newRound()
	if p.failed.Load() {
		p.reader.Stop() // the output failed: no use reading on
	}
}

// batchDone is called by a worker when it has done batch b. When that
// completes the oldest round in flight, the worker writes it out, and the
// rounds after it that are complete too: rounds are written one at a
// time, in order, by whichever worker completes them, with no goroutine
// of their own to wake.
func (p *parallel) batchDone(b *batch) {
	p.mu.Lock()
	b.round.pending--
	if p.writing {
		// The worker writing looks at the oldest round again after each
		// one it writes.
		p.mu.Unlock()
		return
	}
	p.writing = true
	for p.n > 0 && p.queue[p.head].pending == 0 {
		r := p.queue[p.head]
		p.queue[p.head] = nil
		p.head = (p.head + 1) % roundsQueued
		p.n--
		p.mu.Unlock()
		p.writeRound(r)
		p.mu.Lock()
	}
	p.writing = false
	p.mu.Unlock()
}

// writeRound writes the workers' output of round r in event order, then
// recycles its batches and itself. After a write error it writes nothing.
func (p *parallel) writeRound(r *round) {
	if p.writeErr == nil {
		next, pos := &p.next, &p.pos
		for w, b := range r.batches {
			if b != nil {
				next[w], pos[w] = 0, 0
			}
		}
		// The events of a worker that follow each other in the round
		// have their output together in its batch: each such run is one
		// slice to write.
		last := -1
		for _, w := range r.route {
			if int(w) != last {
				if last >= 0 {
					p.addRun(r, last)
				}
				last = int(w)
			}
			next[w]++
		}
		if last >= 0 {
			p.addRun(r, last)
		}
		if p.writeErr = p.out.flush(); p.writeErr != nil {
			p.failed.Store(true)
		}
	}
	for _, b := range r.batches {
		if b != nil {
			b.round = nil
			select {
			case p.free <- b:
			default:
			}
		}
	}
	select {
	case p.spare <- r:
	default:
	}
	<-p.inflight
}

// addRun queues the output of worker w's events of round r, from what is
// already queued to the end of its event next[w]-1.
func (p *parallel) addRun(r *round, w int) {
	b := r.batches[w]
	end := b.ends[p.next[w]-1]
	p.out.add(b.out[p.pos[w]:end])
	p.pos[w] = end
}

// flowWorker chooses the worker of the flow between a and b, whichever
// way it goes.
func (p *parallel) flowWorker(a, b capture.Endpoint) int {
	h := endpointHash(a) + endpointHash(b)
	return int(h % uint64(len(p.workers)))
}

// endpointHash mixes an address and port (FNV-1a, then a final avalanche).
func endpointHash(e capture.Endpoint) uint64 {
	h := uint64(14695981039346656037)
	a := e.Addr.As16()
	for _, c := range a {
		h = (h ^ uint64(c)) * 1099511628211
	}
	h = (h ^ uint64(e.Port)) * 1099511628211
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}

// OpenStream chooses a worker and a dissector for a new TCP connection.
func (p *parallel) OpenStream(flow capture.Flow, first capture.Packet) capture.StreamHandler {
	w := p.streamWorker()
	d, serverIsResponder := p.workers[w].reg.Lookup("tcp", flow.Initiator.Port, flow.Responder.Port)
	if d == nil {
		return p.h.openSniffer(flow)
	}
	p.h.sum.Conns++
	c := newConn(nil, flow, serverIsResponder)
	c.d = d
	p.open[w]++
	return &parallelStream{p: p, c: c, w: w}
}

// streamWorker chooses the worker of a new TCP connection: the one with
// the fewest connections open, the next in turn on a tie. A hash of the
// endpoints would split connections unevenly: 47.5% and 52.5% of the
// records of the load capture's 500 connections, and the heavier worker
// sets the pace.
func (p *parallel) streamWorker() int {
	best := p.turn
	for i := 1; i < len(p.workers); i++ {
		w := (p.turn + i) % len(p.workers)
		if p.open[w] < p.open[best] {
			best = w
		}
	}
	p.turn = (best + 1) % len(p.workers)
	return best
}

// Datagram hands a UDP datagram to the worker of its conversation, as
// handler.Datagram decodes it: conversations start, expire and are evicted
// here, at the same points.
func (p *parallel) Datagram(src, dst capture.Endpoint, payload []byte, pkt capture.Packet) {
	p.h.udp.expire(&p.h, pkt.Time)
	w := p.flowWorker(src, dst)
	d, serverIsDst := p.workers[w].reg.Lookup("udp", src.Port, dst.Port)
	if d == nil {
		var found dissectors.Dissector
		if found, serverIsDst = p.h.detectUDP(src, dst, payload); found == nil {
			return
		}
		if d = p.workerDissector(w, found); d == nil {
			return
		}
	}
	key, dir := p.h.udp.orient(src, dst, serverIsDst)
	cv := p.h.udp.get(&p.h, key, d)
	p.h.udp.touch(cv, dissectors.Packet(pkt))
	b := p.batchFor(cv.w)
	ev := event{kind: evConvData, cv: cv, udpDir: dir, runs: b.addPacket(pkt)}
	ev.start = len(b.data)
	b.data = appendDoubling(b.data, payload)
	ev.end = len(b.data)
	b.events = append(b.events, ev)
	p.added(len(payload))
}

// workerDissector returns worker w's dissector of the same name as d, one
// of the reader goroutine's.
func (p *parallel) workerDissector(w int, d dissectors.Dissector) dissectors.Dissector {
	wd, _ := p.workers[w].reg.ByName(d.Info().Name)
	return wd
}

// acceptSniffed makes the connection the heuristics recognised as d's
// (a dissector of the reader goroutine's registry), and hands its worker
// the bytes and gaps buffered while they judged, as handler's sniffConn
// does on its own.
func (p *parallel) acceptSniffed(s *sniffConn, d dissectors.Dissector, initiatorIsClient bool) capture.StreamHandler {
	w := p.streamWorker()
	wd := p.workerDissector(w, d)
	if wd == nil {
		return nil
	}
	p.h.sum.Conns++
	p.open[w]++
	c := newConn(nil, s.flow, initiatorIsClient)
	c.d = wd
	ps := &parallelStream{p: p, c: c, w: w}
	for _, ch := range s.chunks {
		if ch.gap > 0 {
			ps.Gap(ch.dir, ch.gap, ch.at)
			continue
		}
		sd := &s.dirs[ch.dir&1]
		b := p.batchFor(w)
		ev := event{kind: evData, dir: ch.dir, midstream: ch.midstream, c: c}
		ev.start = len(b.data)
		b.data = appendDoubling(b.data, sd.buf[ch.start:ch.end])
		ev.end = len(b.data)
		ev.runs = int32(len(b.runs))
		// The runs of the chunk: the one in effect at its start, then
		// those starting inside it.
		var first capture.Packet
		for _, r := range sd.runs {
			if r.at > ch.start {
				break
			}
			first = r.pkt
		}
		b.runs = append(b.runs, capture.PacketRun{Start: 0, Packet: first})
		for _, r := range sd.runs {
			if r.at > ch.start && r.at < ch.end {
				b.runs = append(b.runs, capture.PacketRun{Start: r.at - ch.start, Packet: r.pkt})
			}
		}
		ev.rend = int32(len(b.runs))
		b.events = append(b.events, ev)
		p.added(ch.end - ch.start)
	}
	for i := range s.dirs {
		if s.dirs[i].overflow {
			// Bytes dropped while the protocol was unknown: the stream
			// resynchronises at the next frame.
			ps.Gap(capture.Direction(i), -1, s.dirs[i].lastPkt)
		}
	}
	return ps
}

// closeConversation hands the end of a UDP conversation to its worker.
func (p *parallel) closeConversation(cv *udpConv) {
	b := p.batchFor(cv.w)
	b.events = append(b.events, event{kind: evConvClose, cv: cv, runs: b.addPacket(capture.Packet(cv.last))})
	p.added(0)
}

// parallelStream passes the events of one TCP connection to its worker.
type parallelStream struct {
	p *parallel
	c *conn
	w int
}

func (s *parallelStream) Data(dir capture.Direction, seg *capture.Segment) {
	b := s.p.batchFor(s.w)
	ev := event{kind: evData, dir: dir, midstream: seg.Midstream, c: s.c}
	ev.start = len(b.data)
	b.data = appendDoubling(b.data, seg.Bytes)
	ev.end = len(b.data)
	ev.runs = int32(len(b.runs))
	b.runs = seg.AppendRuns(b.runs)
	ev.rend = int32(len(b.runs))
	b.events = append(b.events, ev)
	s.p.added(len(seg.Bytes))
}

func (s *parallelStream) Gap(dir capture.Direction, missing int, at capture.Packet) {
	b := s.p.batchFor(s.w)
	b.events = append(b.events, event{kind: evGap, dir: dir, c: s.c, start: missing, runs: b.addPacket(at)})
	s.p.added(0)
}

func (s *parallelStream) Close(at capture.Packet) {
	s.p.open[s.w]--
	b := s.p.batchFor(s.w)
	b.events = append(b.events, event{kind: evClose, c: s.c, runs: b.addPacket(at)})
	s.p.added(0)
}

// appendDoubling is append(dst, src...), but when dst must grow, it
// doubles (append grows a large slice by a quarter, and a batch's bytes
// would take many steps to reach the size of a round's).
func appendDoubling(dst, src []byte) []byte {
	if need := len(dst) + len(src); need > cap(dst) {
		grown := make([]byte, len(dst), max(need, 2*cap(dst), 4<<10))
		copy(grown, dst)
		dst = grown
	}
	return append(dst, src...)
}

// bufferSwapper is a sink that can encode straight into a buffer it is
// given (output.NDJSON): a worker has it append to its batch's output,
// which saves copying each event's output there.
type bufferSwapper interface {
	// SwapBuffer makes the sink append its output to buf from now on,
	// and keep it there; it returns the buffer it appended to until now.
	SwapBuffer(buf []byte) []byte
	// Buffered returns the length of the buffer the sink appends to.
	Buffered() int
}

// worker decodes and encodes the events of its connections.
type worker struct {
	p        *parallel
	in       chan *batch
	reg      *dissectors.Registry
	sink     WorkerSink
	epoch    EpochSetter
	epochSet bool
	direct   bufferSwapper // the sink, when it encodes straight into b.out
	lastOut  int           // the length of the output of the last batch, with direct
	out      outBuffer
	sum      Summary
	loc      packetRunLocator
	one      dissectors.OnePacket // the locator of the bytes of one packet
}

// outBuffer is the writer a worker's sink writes to: the output of the
// batch being processed.
type outBuffer struct{ b *batch }

func (o *outBuffer) Write(p []byte) (int, error) {
	o.b.out = append(o.b.out, p...)
	return len(p), nil
}

func (wk *worker) run() {
	for b := range wk.in {
		if wk.epoch != nil && !wk.epochSet {
			wk.epoch.SetEpoch(b.epoch)
			wk.epochSet = true
		}
		if d := wk.direct; d != nil {
			// A batch's output grows by a quarter at a time when it
			// outgrows its buffer, copying it: hundreds of copies of
			// buffers of ~200 KB in the first rounds, 3% of the CPU time.
			// A buffer with room for less than the last batch's output
			// and a quarter more is replaced, at once, by one with room
			// for twice that output.
			if cap(b.out) < wk.lastOut+wk.lastOut/4 {
				b.out = make([]byte, 0, 2*wk.lastOut)
			}
			d.SwapBuffer(b.out)
			for i := range b.events {
				wk.do(b, &b.events[i])
				b.ends = append(b.ends, d.Buffered())
			}
			b.out = d.SwapBuffer(nil)
			wk.lastOut = len(b.out)
			wk.p.batchDone(b)
			continue
		}
		wk.out.b = b
		for i := range b.events {
			wk.do(b, &b.events[i])
			_ = wk.sink.Flush() // into b.out: cannot fail
			b.ends = append(b.ends, len(b.out))
		}
		wk.out.b = nil
		wk.p.batchDone(b)
	}
}

// do carries out one event.
func (wk *worker) do(b *batch, ev *event) {
	c := ev.c
	if c != nil && c.dec == nil && ev.kind != evClose {
		// As conn.decoder: made on the first Data or Gap.
		c.dec = c.d.NewConnection(&c.meta, wk)
	}
	switch ev.kind {
	case evData:
		if ev.rend-ev.runs == 1 {
			// One packet carried every byte: as conn.Data, a OnePacket.
			p := b.runs[ev.runs].Packet
			wk.one.Packet = dissectors.Packet(p)
			_ = c.dec.Feed(c.direction(ev.dir), b.data[ev.start:ev.end], &wk.one, ev.midstream)
			break
		}
		wk.loc.runs = b.runs[ev.runs:ev.rend]
		_ = c.dec.Feed(c.direction(ev.dir), b.data[ev.start:ev.end], &wk.loc, ev.midstream)
		wk.loc.runs = nil
	case evGap:
		_ = c.dec.Gap(c.direction(ev.dir), ev.start, b.packet(ev))
	case evClose:
		if c.dec != nil {
			closeDecoder(c.dec, b.packet(ev), wk.sink, &c.meta)
			c.dec = nil
		}
	case evConvData:
		cv := ev.cv
		if cv.dec == nil {
			cv.dec = cv.d.NewConversation(&cv.meta, wk)
		}
		_ = cv.dec.Datagram(ev.udpDir, b.data[ev.start:ev.end], b.packet(ev))
	case evConvClose:
		if cv := ev.cv; cv.dec != nil {
			closeDecoder(cv.dec, b.packet(ev), wk.sink, &cv.meta)
			cv.dec = nil
		}
	}
}

// Emit counts a record and encodes it.
func (wk *worker) Emit(r *dissectors.Record) error {
	wk.sum.count(r)
	return wk.sink.Emit(r)
}

// packetRunLocator answers PacketAt from a segment's packet runs.
type packetRunLocator struct {
	runs []capture.PacketRun
}

func (l *packetRunLocator) PacketAt(off int) dissectors.Packet {
	if len(l.runs) == 0 {
		return dissectors.Packet{}
	}
	// The last run starting at or before off.
	lo, hi := 0, len(l.runs)
	for hi-lo > 1 {
		m := int(uint(lo+hi) >> 1)
		if l.runs[m].Start <= off {
			lo = m
		} else {
			hi = m
		}
	}
	p := l.runs[lo].Packet
	return dissectors.Packet(p)
}
