package dissectors

import (
	"strconv"

	"github.com/dissect-project/dissect/schema"
)

// joinLayer joins the pieces of a [join = "name"] layer, one per frame of
// the outer protocol, into whole messages of the target protocol, per
// direction of one connection. The buffers and the frame are reused from
// message to message: joining allocates only while a buffer grows to the
// largest message seen (at most the layer's limit).
type joinLayer struct {
	c      *session
	target *SchemaDissector
	spec   *schema.Join
	frame  *schema.Frame // the target's frame, shared by its connections; a frame of its own when a protocol joins into itself
	state  *schema.State
	dirs   [2]joinDir
}

// joinDir is the message being joined in one direction.
type joinDir struct {
	j       *joinLayer
	dir     Direction
	buf     []byte // the pieces so far
	active  bool   // a first piece was seen and no last one since
	over    bool   // the message passed the limit: its pieces are counted, not kept
	size    int    // bytes of the message so far, kept or not
	pieces  int
	nextSeq uint64
	first   Packet
	offset  uint64 // offset of the message in the joined stream of the direction
	rec     Record
	opts    schema.DecodeOptions
}

// joinPiece hands the bytes of node i of frame f, a [join] field, to the
// joiner of its layer.
func (c *session) joinPiece(dir Direction, f *schema.Frame, i int, at Packet) {
	d := c.d
	n := &f.Nodes[i]
	l := n.Field.Layer.Index
	if l >= len(d.streams) || d.streams[l] == nil {
		return
	}
	if c.joins == nil {
		c.joins = make([]*joinLayer, len(d.streams))
	}
	jl := c.joins[l]
	if jl == nil {
		jl = newJoinLayer(c, d.streams[l], n.Field.Layer.Join)
		c.joins[l] = jl
	}
	// The flag fields are members of the structure that holds the piece:
	// its parent, the nearest node before it whose subtree contains it.
	parent := -1
	for p := i - 1; p >= 0; p-- {
		if f.Nodes[p].IsContainer() && int(f.Nodes[p].End) > i {
			parent = p
			break
		}
	}
	flag := func(slot int) (uint64, bool) {
		if slot < 0 || parent < 0 {
			return 0, false
		}
		path := [1]int{slot}
		k := f.FieldNode(parent, path[:])
		if k < 0 {
			return 0, false
		}
		return uint64(f.Nodes[k].Int()), true
	}
	var p piece
	p.data = f.Data[int(n.Offset) : int(n.Offset)+int(n.Bits)]
	v, ok := flag(jl.spec.First)
	p.first, p.hasFirst = v != 0, ok
	v, _ = flag(jl.spec.Last)
	p.last = v != 0
	v, _ = flag(jl.spec.Abort)
	p.abort = v != 0
	p.seq, p.hasSeq = flag(jl.spec.Seq)
	jl.dirs[dir&1].add(&p, at)
}

// piece is one frame's part of a message, with its flags.
type piece struct {
	data            []byte
	first, hasFirst bool
	last, abort     bool
	seq             uint64
	hasSeq          bool
}

func newJoinLayer(c *session, target *SchemaDissector, spec *schema.Join) *joinLayer {
	jl := &joinLayer{c: c, target: target, spec: spec, frame: &target.frame}
	if target == c.d {
		jl.frame = new(schema.Frame) // c.d.frame holds the frame the pieces come from
	}
	if len(target.Program.State) > 0 {
		jl.state = target.Program.NewState()
	}
	for i := range jl.dirs {
		jd := &jl.dirs[i]
		jd.j = jl
		jd.dir = Direction(i)
		jd.opts = schema.DecodeOptions{Limits: target.Limits, Response: Direction(i) == ServerToClient, State: jl.state}
		jd.rec.Protocol = &target.info
		jd.rec.Conn = c.conn
		jd.rec.Dir = Direction(i)
	}
	return jl
}

// add takes the next piece of the direction.
func (jd *joinDir) add(p *piece, at Packet) {
	spec := jd.j.spec
	if p.abort {
		if jd.active {
			jd.fail("message aborted by the sender after "+pieces(jd.pieces), at)
		}
		return
	}
	starts := p.first || !p.hasFirst && !jd.active
	if starts {
		if jd.active {
			jd.fail("incomplete message: a new first piece came before its last piece", at)
		}
		jd.active, jd.over = true, false
		if jd.buf == nil {
			jd.buf = jd.j.target.getBuffer()
		}
		jd.buf, jd.size, jd.pieces = jd.buf[:0], 0, 0
		jd.first = at
		jd.nextSeq = p.seq
	} else if !jd.active {
		// A later piece of a message whose start was not seen (lost, or
		// before the capture): its bytes are skipped, and counted.
		jd.report("piece of a message whose first piece was not seen; skipped", len(p.data), at, at)
		return
	}
	if p.hasSeq && p.seq != jd.nextSeq {
		got, want := p.seq, jd.nextSeq
		jd.size += len(p.data)
		jd.fail("piece out of sequence: expected "+strconv.FormatUint(want, 10)+", got "+strconv.FormatUint(got, 10)+" (a piece was lost or repeated); the partial message is skipped", at)
		return
	}
	jd.pieces++
	jd.size += len(p.data)
	jd.nextSeq = p.seq + 1
	if spec.SeqBits > 0 && spec.SeqBits < 64 {
		jd.nextSeq &= 1<<spec.SeqBits - 1
	}
	if !jd.over && jd.size > spec.Limit {
		jd.over = true
	}
	if !jd.over {
		jd.buf = append(jd.buf, p.data...)
	}
	if !p.last {
		return
	}
	if jd.over {
		jd.fail("joined message of "+strconv.Itoa(jd.size)+" bytes is over the limit of "+strconv.Itoa(spec.Limit)+"; skipped", at)
		return
	}
	jd.emit(at)
}

// emit decodes the joined message and reports it.
func (jd *joinDir) emit(at Packet) {
	jl := jd.j
	c := jl.c
	jd.active = false
	if c.err != nil {
		return
	}
	schema.DecodeWith(jl.target.root(jd.dir), jd.buf, jl.frame, &jd.opts)
	r := &jd.rec
	r.Kind = KindFrame
	r.Time = at.Time
	r.FirstPacket, r.LastPacket = jd.first.Number, at.Number
	r.Offset = jd.offset
	r.Length = len(jd.buf)
	r.Data = jd.buf
	r.Frame = jl.frame
	r.Reason = ""
	r.Pair = PairInfo{}
	jd.offset += uint64(len(jd.buf))
	c.emit(r)
}

// fail reports the message being joined as broken, with its bytes, and
// starts over.
func (jd *joinDir) fail(why string, at Packet) {
	jd.active = false
	jd.report(why, jd.size, jd.first, at)
}

// lost reports a message whose last piece will never come.
func (jd *joinDir) lost(why string, at Packet) {
	if jd.active {
		jd.fail(why+" ("+pieces(jd.pieces)+" joined)", at)
	}
}

// release gives the buffer back to the target's pool at the end of the
// connection.
func (jd *joinDir) release() {
	if jd.buf != nil {
		jd.j.target.putBuffer(jd.buf)
		jd.buf = nil
	}
}

// report emits an error record for n bytes of pieces that make no message.
func (jd *joinDir) report(why string, n int, first, last Packet) {
	c := jd.j.c
	if c.err != nil {
		return
	}
	r := &jd.rec
	r.setBytesless(KindSkipped, first, last, jd.offset, n, why)
	jd.offset += uint64(n)
	c.emit(r)
}

func pieces(n int) string {
	if n == 1 {
		return "1 piece"
	}
	return strconv.Itoa(n) + " pieces"
}
