package output

import (
	"bufio"
	"io"
	"net/netip"
	"strconv"
	"time"

	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/schema"
)

// TextOptions choose what the text writer shows for each record.
type TextOptions struct {
	Tree bool // the field tree (-V)
	Hex  bool // the hex dump, coloured by field (-x)
}

// Text writes records for people: a summary line per record, like tshark's
// packet list, optionally followed by the field tree and a hex dump. Colour
// follows fatih/color's global setting.
type Text struct {
	w     *bufio.Writer
	opts  TextOptions
	st    *styles
	buf   []byte
	base  time.Time // times are shown relative to it: the first packet, or the first record
	began bool
	owner []int32 // hex dump: for each byte, the leaf node it belongs to
	// held: records are appended to dst (see SwapBuffer), not written.
	held bool
	dst  []byte
}

// NewText returns a text writer on w.
func NewText(w io.Writer, opts TextOptions) *Text {
	return &Text{w: bufio.NewWriterSize(w, 64<<10), opts: opts, st: newStyles()}
}

// Flush writes out what is buffered.
func (t *Text) Flush() error { return t.w.Flush() }

// SwapBuffer makes t append its records to buf, after what it holds, and
// keep them there, never writing them out, until the next call; it
// returns the buffer it had, with the records appended to it (nil on the
// first call: records written before it are flushed to t's writer by
// Flush). A caller that gathers the output of many writers uses it to
// have each write straight into the caller's buffers, without a copy.
func (t *Text) SwapBuffer(buf []byte) []byte {
	old := t.dst
	t.dst, t.held = buf, true
	return old
}

// Buffered returns, after SwapBuffer, the length of the buffer t appends
// to, and otherwise how many bytes it holds for Flush.
func (t *Text) Buffered() int {
	if t.held {
		return len(t.dst)
	}
	return t.w.Buffered()
}

// SetEpoch sets the time that record times are shown relative to: the
// first packet of the capture, as tshark does. Without it, the time of the
// first record is used.
func (t *Text) SetEpoch(at time.Time) {
	t.base, t.began = at, true
}

// Emit writes one record.
func (t *Text) Emit(r *dissectors.Record) error {
	if r.Kind == dissectors.KindStream {
		return nil // byte accounting: in the end-of-run summary
	}
	if !t.began {
		t.base, t.began = r.Time, true
	}
	b := t.buf[:0]
	if t.held {
		b = t.dst
	}
	if (t.opts.Tree || t.opts.Hex) && r.Kind == dissectors.KindFrame {
		b = t.appendSummary(b, r)
		if t.opts.Tree {
			b = t.appendTree(b, r)
		}
		if t.opts.Hex {
			b = t.appendHex(b, r)
		}
		b = append(b, '\n')
	} else {
		b = t.appendSummary(b, r)
	}
	if t.held {
		t.dst = b
		return nil
	}
	t.buf = b
	_, err := t.w.Write(b)
	return err
}

// endpoints returns source and destination of a record.
func endpoints(r *dissectors.Record) (src, dst dissectors.Endpoint) {
	if r.Dir == dissectors.ServerToClient {
		return r.Conn.Server, r.Conn.Client
	}
	return r.Conn.Client, r.Conn.Server
}

func appendEndpoint(b []byte, e dissectors.Endpoint) []byte {
	return netip.AddrPortFrom(e.Addr, e.Port).AppendTo(b)
}

func padLeft(b []byte, start, width int) []byte {
	n := len(b) - start
	if n >= width {
		return b
	}
	pad := width - n
	for i := 0; i < pad; i++ {
		b = append(b, ' ')
	}
	copy(b[start+pad:], b[start:start+n])
	for i := 0; i < pad; i++ {
		b[start+i] = ' '
	}
	return b
}

// appendSummary writes the one-line view:
//
//	packet  time  src → dst  protocol  length  info
func (t *Text) appendSummary(b []byte, r *dissectors.Record) []byte {
	st := t.st
	b = append(b, st.number.on...)
	start := len(b)
	b = strconv.AppendUint(b, r.LastPacket, 10)
	b = padLeft(b, start, 6)
	b = append(b, st.number.off...)
	b = append(b, ' ')
	b = append(b, st.time.on...)
	start = len(b)
	b = strconv.AppendFloat(b, r.Time.Sub(t.base).Seconds(), 'f', 6, 64)
	b = padLeft(b, start, 11)
	b = append(b, st.time.off...)
	b = append(b, ' ')
	src, dst := endpoints(r)
	b = append(b, st.addr.on...)
	b = appendEndpoint(b, src)
	b = append(b, " → "...)
	b = appendEndpoint(b, dst)
	b = append(b, st.addr.off...)
	b = append(b, ' ')
	b = st.proto.wrap(b, r.Protocol.Title)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(r.Length), 10)
	b = append(b, ' ')
	switch r.Kind {
	case dissectors.KindFrame:
		b = r.Frame.AppendSummary(b)
		if n := r.Frame.Trailing; n > 0 {
			b = append(b, ' ')
			b = append(b, st.warn.on...)
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(n), 10)
			b = append(b, " bytes after the message not decoded]"...)
			b = append(b, st.warn.off...)
		}
		if r.Pair.Status == dissectors.PairDuplicate {
			b = append(b, ' ')
			b = append(b, st.warn.on...)
			b = append(b, "[duplicate response; packet "...)
			b = strconv.AppendUint(b, r.Pair.PeerPacket, 10)
			b = append(b, " answered it first]"...)
			b = append(b, st.warn.off...)
		}
		if n := r.Frame.BadChecksums; n > 0 {
			b = append(b, ' ')
			b = append(b, st.err.on...)
			b = append(b, "[bad checksum]"...)
			b = append(b, st.err.off...)
		}
		if e := r.Err(); e != "" {
			b = append(b, ' ')
			b = append(b, st.err.on...)
			b = append(b, "[error: "...)
			b = append(b, e...)
			b = append(b, ']')
			b = append(b, st.err.off...)
		}
	case dissectors.KindSkipped:
		b = append(b, st.warn.on...)
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(r.Length), 10)
		b = append(b, " bytes skipped at stream offset "...)
		b = strconv.AppendUint(b, r.Offset, 10)
		b = append(b, ": "...)
		b = append(b, r.Reason...)
		b = append(b, ']')
		b = append(b, st.warn.off...)
	case dissectors.KindUnanswered:
		b = append(b, st.warn.on...)
		b = append(b, "[unanswered: "...)
		b = append(b, r.Reason...)
		b = append(b, ']')
		b = append(b, st.warn.off...)
	case dissectors.KindGap:
		b = append(b, st.warn.on...)
		b = append(b, "[gap: "...)
		b = append(b, r.Reason...)
		b = append(b, " at stream offset "...)
		b = strconv.AppendUint(b, r.Offset, 10)
		b = append(b, ']')
		b = append(b, st.warn.off...)
	}
	return append(b, '\n')
}

// appendTree writes the field tree, indented four spaces a level.
func (t *Text) appendTree(b []byte, r *dissectors.Record) []byte {
	f := r.Frame
	st := t.st
	b = append(b, "    "...)
	b = st.dim.wrap(b, "stream ")
	b = strconv.AppendUint(b, r.Conn.ID, 10)
	b = append(b, st.dim.on...)
	b = append(b, ", "...)
	b = append(b, r.Dir.String()...)
	b = append(b, ", offset "...)
	b = append(b, st.dim.off...)
	b = strconv.AppendUint(b, r.Offset, 10)
	b = st.dim.wrap(b, ", packets ")
	b = strconv.AppendUint(b, r.FirstPacket, 10)
	if r.LastPacket != r.FirstPacket {
		b = append(b, '-')
		b = strconv.AppendUint(b, r.LastPacket, 10)
	}
	b = append(b, '\n')
	if r.Pair.Status != dissectors.PairNone {
		b = append(b, "    "...)
		b = st.dim.wrap(b, "pair: ")
		b = appendPair(b, &r.Pair)
		b = append(b, '\n')
	}
	if len(f.Nodes) > 0 {
		f.Children(0, func(c int) { b = t.appendNode(b, f, c, 1) })
	}
	if e := r.Err(); e != "" {
		b = append(b, "    "...)
		b = st.err.wrap(b, "error: ")
		b = append(b, st.err.on...)
		b = append(b, e...)
		b = append(b, st.err.off...)
		b = append(b, '\n')
	}
	return b
}

func (t *Text) appendNode(b []byte, f *schema.Frame, i, depth int) []byte {
	n := &f.Nodes[i]
	if n.Field != nil && n.Field.Hidden && !n.Field.Padding {
		return b // [hidden]: a helper value, not shown
	}
	st := t.st
	for d := 0; d < depth; d++ {
		b = append(b, "    "...)
	}
	if n.BitLen > 0 && n.Len <= 4 {
		b = appendBitPattern(b, f, i)
		b = append(b, " = "...)
	}
	nameStyle := st.name
	if n.Field != nil && n.Field.Padding {
		nameStyle = st.dim
	}
	b = append(b, nameStyle.on...)
	if n.Index >= 0 {
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(n.Index), 10)
		b = append(b, ']')
	} else {
		b = append(b, n.Field.Name...)
	}
	b = append(b, nameStyle.off...)
	mark := len(b)
	b = append(b, ": "...)
	start := len(b)
	valueStyle := st.value
	if n.Type.Enum != nil {
		valueStyle = st.enum
	}
	b = append(b, valueStyle.on...)
	b = f.AppendDisplay(b, i)
	if len(b) == start+len(valueStyle.on) {
		b = b[:mark] // a container with nothing to show: just its name
	} else {
		b = append(b, valueStyle.off...)
	}
	b = append(b, '\n')
	if n.IsContainer() {
		f.Children(i, func(c int) { b = t.appendNode(b, f, c, depth+1) })
	}
	return b
}

// appendPair describes a record's place in request/response pairing.
func appendPair(b []byte, p *dissectors.PairInfo) []byte {
	switch p.Status {
	case dissectors.PairRequest:
		b = append(b, "request, key "...)
		b = strconv.AppendInt(b, p.Key, 10)
	case dissectors.PairMatched:
		b = append(b, "response to packet "...)
		b = strconv.AppendUint(b, p.PeerPacket, 10)
		b = append(b, " after "...)
		b = strconv.AppendFloat(b, float64(p.Latency.Microseconds())/1000, 'f', 3, 64)
		b = append(b, " ms, key "...)
		b = strconv.AppendInt(b, p.Key, 10)
	case dissectors.PairDuplicate:
		b = append(b, "duplicate response, key "...)
		b = strconv.AppendInt(b, p.Key, 10)
		b = append(b, "; packet "...)
		b = strconv.AppendUint(b, p.PeerPacket, 10)
		b = append(b, " answered it first"...)
	case dissectors.PairUnsolicited:
		b = append(b, "response to no request seen, key "...)
		b = strconv.AppendInt(b, p.Key, 10)
	case dissectors.PairUnanswered:
		b = append(b, "request never answered, key "...)
		b = strconv.AppendInt(b, p.Key, 10)
	}
	return b
}

// appendBitPattern writes the bytes of a bit field in the manner of
// Wireshark, the field's bits as 0 or 1 and the others as dots:
// ".000 0011".
func appendBitPattern(b []byte, f *schema.Frame, i int) []byte {
	n := &f.Nodes[i]
	data := f.Bytes(i)
	lsb := n.Type.LSBFirst
	for p := 0; p < 8*len(data); p++ {
		if p > 0 && p%4 == 0 {
			b = append(b, ' ')
		}
		// Display position p is bit 7-p%8 (from the least significant) of
		// byte p/8; find whether the field owns it.
		inByte := 7 - p%8
		stream := p/8*8 + p%8 // position counted most significant bit first
		if lsb {
			stream = p/8*8 + inByte
		}
		if stream >= int(n.BitOff) && stream < int(n.BitOff)+int(n.BitLen) {
			b = append(b, '0'+(data[p/8]>>uint(inByte))&1)
		} else {
			b = append(b, '.')
		}
	}
	return b
}

// appendHex writes a hex dump of the frame, 16 bytes a line, each byte in
// the colour of the field it belongs to; bytes no field decoded are
// underlined in red.
func (t *Text) appendHex(b []byte, r *dissectors.Record) []byte {
	data := r.Data
	f := r.Frame
	if cap(t.owner) < len(data) {
		t.owner = make([]int32, len(data))
	}
	owner := t.owner[:len(data)]
	for i := range owner {
		owner[i] = -1
	}
	leaf := int32(0)
	for i := range f.Nodes {
		n := &f.Nodes[i]
		if n.IsContainer() {
			continue
		}
		for o := int(n.Offset); o < int(n.Offset+n.Len) && o < len(owner); o++ {
			owner[o] = leaf
		}
		leaf++
	}
	for line := 0; line < len(data); line += 16 {
		b = append(b, "    "...)
		b = appendHex4(b, line)
		b = append(b, "  "...)
		end := min(line+16, len(data))
		for i := line; i < line+16; i++ {
			if i == line+8 {
				b = append(b, ' ')
			}
			if i >= end {
				b = append(b, "   "...)
				continue
			}
			s := t.byteStyle(owner[i])
			b = append(b, s.on...)
			b = append(b, hexDigit(data[i]>>4), hexDigit(data[i]&0xf))
			b = append(b, s.off...)
			b = append(b, ' ')
		}
		b = append(b, ' ')
		for i := line; i < end; i++ {
			c := data[i]
			if c < 0x20 || c > 0x7e {
				c = '.'
			}
			s := t.byteStyle(owner[i])
			b = append(b, s.on...)
			b = append(b, c)
			b = append(b, s.off...)
		}
		b = append(b, '\n')
	}
	return b
}

func (t *Text) byteStyle(leaf int32) style {
	if leaf < 0 {
		return t.st.undecoded
	}
	return t.st.fields[int(leaf)%len(t.st.fields)]
}

func hexDigit(c byte) byte { return "0123456789abcdef"[c] }

func appendHex4(b []byte, v int) []byte {
	return append(b, hexDigit(byte(v>>12&0xf)), hexDigit(byte(v>>8&0xf)), hexDigit(byte(v>>4&0xf)), hexDigit(byte(v&0xf)))
}
