package output

import (
	"encoding/binary"
	"io"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/internal/decimal"
	"github.com/dissect-project/dissect/schema"
)

// NDJSON writes one JSON object per record, one per line, for pipelines.
// Connection fields follow the Elastic Common Schema (@timestamp, source,
// destination, network), numbers and booleans are JSON numbers and
// booleans, and the decoded fields sit under the protocol's name. The
// encoder appends to a reused buffer: no reflection, no allocation per
// record.
type NDJSON struct {
	w io.Writer
	// buf holds the records not written out yet: they are encoded in
	// place, then written out in blocks of about flushSize bytes.
	buf []byte
	// held: buf was given by SwapBuffer, and the records stay in it for
	// the caller to take: nothing is written to w.
	held    bool
	err     error // the first write error: the writer is dead after it
	opts    JSONOptions
	streams streamCaches
	ts      timeCache
	keys    keyCache
}

// flushSize is how many bytes of records NDJSON gathers before it writes
// them out.
const flushSize = 256 << 10

// keyCache holds what the field tree needs to know of the structures and
// fields it writes: the plans of structures (see objects.go), and, for
// members that are not of their structure's plan, their keys (`"name":`)
// and whether they are hidden, direct-mapped by the field's address: a
// record's members are the same few fields over and over. An entry keeps
// its field alive, so an address is never reused while it is cached.
type keyCache struct {
	entries [1 << 9]keyEntry
	// enums holds the objects of the small values of the enums met.
	enums map[*schema.Enum]*enumObjects
	// plans holds the plans of the structures met (see objects.go), and
	// recent the last ones, direct-mapped by the structure's address.
	plans  map[planKey]*structPlan
	recent [1 << 6]*structPlan
	// protoKey is `,"name":` of the protocol proto, the last one written.
	proto    *dissectors.Info
	protoKey []byte
}

// keyEntry is what keyCache knows of one field.
type keyEntry struct {
	field *schema.Field
	ws    bool
	// hidden: the field is not written ([hidden] or padding).
	hidden bool
	// key is the field's key, `"name":`.
	key fixedText
}

// enumObjectValues is how many values, from 0, enumObjects holds: an
// enum of a byte, and the small values of wider ones.
const enumObjectValues = 256

// enumObjects holds the objects appendNodeJSON writes for the values 0 to
// enumObjectValues-1 of an enum (no flags): `{"value":3,"name":"member"}`,
// or `{"value":3}` when no member has the value. Below 2^63 an integer
// node's value is written the same way whether its type is signed or not.
type enumObjects struct {
	enum *schema.Enum
	text []byte                       // the objects, one after the other
	end  [enumObjectValues + 1]uint32 // the object of value v is text[end[v]:end[v+1]]
	// slots[v] holds the object of v when it fits, slotN[v] its length
	// (0 when it does not fit): written with one copy of enumSlot bytes.
	// They go up to the largest member's value below enumObjectValues
	// (Modbus's function codes: 44 slots), so that an enum takes room
	// for the values it names, not for all 256.
	slots [][enumSlot]byte
	slotN []uint8
}

// enumSlot is the room for an enum object in enumObjects.slots.
const enumSlot = 64

// newEnumObjects renders the objects of e's small values.
func newEnumObjects(e *schema.Enum) *enumObjects {
	o := &enumObjects{enum: e}
	named := 1
	for _, m := range e.Members {
		if m.Value >= 0 && m.Value < enumObjectValues {
			named = max(named, int(m.Value)+1)
		}
	}
	o.slots, o.slotN = make([][enumSlot]byte, named), make([]uint8, named)
	for v := range enumObjectValues {
		o.text = append(o.text, `{"value":`...)
		o.text = decimal.AppendUint(o.text, uint64(v))
		if m, ok := e.Lookup(int64(v)); ok {
			o.text = append(o.text, `,"name":`...)
			o.text = appendString(o.text, m.Name)
		}
		o.text = append(o.text, '}')
		o.end[v+1] = uint32(len(o.text))
		if obj := o.text[o.end[v]:]; v < named && len(obj) <= enumSlot {
			o.slotN[v] = uint8(copy(o.slots[v][:], obj))
		}
	}
	return o
}

// enumObjects returns the objects of the small values of en, rendered
// when first needed.
func (c *keyCache) enumObjects(en *schema.Enum) *enumObjects {
	o := c.enums[en]
	if o == nil {
		if c.enums == nil {
			c.enums = make(map[*schema.Enum]*enumObjects)
		}
		o = newEnumObjects(en)
		c.enums[en] = o
	}
	return o
}

// lookup returns the entry of fld, filling it when the slot held another
// field.
func (c *keyCache) lookup(fld *schema.Field, ws bool) *keyEntry {
	// Fibonacci hashing of the address: fields lie at a regular stride.
	e := &c.entries[(uint64(uintptr(unsafe.Pointer(fld)))*0x9E3779B97F4A7C15)>>(64-9)]
	if e.field != fld || e.ws != ws {
		e.fill(fld, ws)
	}
	return e
}

// fill sets e to the entry of fld.
func (e *keyEntry) fill(fld *schema.Field, ws bool) {
	e.key.set(appendKey(e.key.long[:0], fld, ws))
	e.field, e.ws, e.hidden = fld, ws, fld.Hidden
}

// appendKey writes the key of e's field, and the comma before it unless
// first.
func (e *keyEntry) appendKey(b []byte, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	return e.key.append(b)
}

// plainInt reports whether an integer of fld is written as a bare number
// when its node's type has no enum and it is no checksum: no address
// format, time or scale.
func plainInt(fld *schema.Field) bool {
	return fld.Format == schema.NoFormat && fld.Time == schema.NoTime && !fld.Scaled
}

// appendKey writes `"name":` for fld.
func appendKey(b []byte, fld *schema.Field, ws bool) []byte {
	name := fld.Name
	if ws && fld.Wireshark != "" {
		name = fld.Wireshark
	}
	b = appendString(b, name)
	return append(b, ':')
}

// timeCache keeps the timestamp of the last record to the second
// ("2006-01-02T15:04:05"): consecutive records mostly fall in the same
// second, and then only the microseconds are written.
type timeCache struct {
	sec    int64
	prefix [19]byte
	valid  bool
}

// append writes t as appendTimestamp does.
func (c *timeCache) append(b []byte, t time.Time) []byte {
	if sec := t.Unix(); !c.valid || sec != c.sec {
		if !c.set(t, sec) {
			return appendTimestamp(b, t)
		}
	}
	// The point, the microseconds' six digits and the Z in one word.
	w := fracWord(uint32(t.Nanosecond())/1000) | uint64('Z')<<56
	if n := len(b); cap(b)-n >= len(c.prefix)+8 {
		*(*[len(c.prefix)]byte)(b[n : n+len(c.prefix)]) = c.prefix
		binary.LittleEndian.PutUint64(b[n+len(c.prefix):n+len(c.prefix)+8], w)
		return b[:n+len(c.prefix)+8]
	}
	b = append(b, c.prefix[:]...)
	var d [8]byte
	binary.LittleEndian.PutUint64(d[:], w)
	return append(b, d[:]...)
}

// set renders the second of t, whose Unix time is sec, and reports
// whether the cache holds it: not for a year outside 0..9999. Out of
// append, whose code stays short: it runs once a second of packet time.
//
//go:noinline
func (c *timeCache) set(t time.Time, sec int64) bool {
	if p := appendTimestamp(c.prefix[:0], t); len(p) != len(c.prefix)+8 {
		c.valid = false
		return false
	}
	c.sec, c.valid = sec, true
	return true
}

// JSONOptions change how records are written as JSON.
type JSONOptions struct {
	// WiresharkNames names each field that a schema maps to a Wireshark
	// field (ws=) by that name, such as "mbtcp.trans_id" for
	// "transaction_id", so that output can be compared with tshark's and
	// tools built on tshark's field names keep working.
	WiresharkNames bool
}

// streamCaches holds, for recent connections by number, the part of a
// record that is the same for every record of one direction of the
// connection: captures interleave their connections. It is direct-mapped
// by connection number. It grows (doubling, to maxStreamCaches entries)
// when a connection's number falls past its end while the connections it
// holds that have not ended fill a quarter of it: so that the connections
// open side by side do not evict each other (numbers are given in the
// order connections start), while a capture of many connections one
// after the other, which end (see NDJSON.EndConn), keeps it small.
type streamCaches struct {
	c    []streamCache
	open int // entries of connections not known to have ended
	// scratch holds the two prefixes set renders, before it copies them
	// into the entry.
	scratch [2][]byte
	// spare holds the buffers of prefixes that did not fit in their entry
	// (IPv6 connections), given back when the entry is freed or takes
	// prefixes that fit, for the next entry that needs them: at most
	// maxSparePrefixes, of maxSparePrefix bytes or less.
	spare [][]byte
}

// The bounds of streamCaches.spare.
const (
	maxSparePrefixes = 64
	maxSparePrefix   = 1024
)

// The smallest and largest sizes of streamCaches; powers of two.
const (
	minStreamCaches = 256
	maxStreamCaches = 1 << 14
)

// append writes the network, source and destination members of r's
// object, and its dissect object up to the offset's value.
func (s *streamCaches) append(b []byte, r *dissectors.Record) []byte {
	id := r.Conn.ID
	if id >= uint64(len(s.c)) && len(s.c) < maxStreamCaches && s.open >= len(s.c)/4 {
		s.grow()
	}
	c := &s.c[id&uint64(len(s.c)-1)]
	conn := r.Conn
	if !c.holds(conn) || !sameString(r.Protocol.Name, c.protocol) {
		s.set(c, r)
	}
	n0 := int(c.n[0])
	if n0 == 0 {
		return append(b, c.long[r.Dir&1]...)
	}
	if r.Dir == dissectors.ServerToClient {
		return append(b, c.text[n0:n0+int(c.n[1])]...)
	}
	return append(b, c.text[:n0]...)
}

// grow doubles the table (to minStreamCaches the first time); the entries
// fill again as records come. Out of append, which is inlined.
//
//go:noinline
func (s *streamCaches) grow() {
	s.c = make([]streamCache, max(2*len(s.c), minStreamCaches))
	s.open = 0
}

// end forgets conn, which has ended, when its entry holds it: the entry
// keeps nothing outside itself, and counts as free.
func (s *streamCaches) end(conn *dissectors.Conn) {
	if len(s.c) == 0 {
		return
	}
	c := &s.c[conn.ID&uint64(len(s.c)-1)]
	if c.holds(conn) {
		c.valid = false
		s.giveBack(c)
		s.open--
	}
}

// giveBack takes c's prefix buffers, if any, into spare (or leaves them to
// the collector): c keeps nothing outside itself.
func (s *streamCaches) giveBack(c *streamCache) {
	for k, b := range c.long {
		if b != nil && cap(b) <= maxSparePrefix && len(s.spare) < maxSparePrefixes {
			s.spare = append(s.spare, b[:0])
		}
		c.long[k] = nil
	}
}

// spareBuffer returns a buffer from spare, or nil.
func (s *streamCaches) spareBuffer() []byte {
	n := len(s.spare)
	if n == 0 {
		return nil
	}
	b := s.spare[n-1]
	s.spare[n-1] = nil
	s.spare = s.spare[:n-1]
	return b
}

// streamCache keeps the encoded stream prefix (see appendStreamPrefix) of
// one connection, both ways: in the entry itself, after what tells the
// connection, when they fit (the usual case), else in long. Then a record
// reads adjacent lines, whose addresses do not wait for a pointer to be
// read.
type streamCache struct {
	id                  uint64
	client, server      dissectors.Endpoint
	transport, protocol string
	valid               bool
	// n[0] and n[1] are the lengths of the prefixes client to server and
	// server to client, one after the other in text; 0 when they are in
	// long.
	n    [2]uint16
	text [streamTextRoom]byte
	long [2][]byte
}

// streamTextRoom is the room for both prefixes in a streamCache: those of
// IPv4 connections fit (about 180 bytes each), so that the entry takes
// nine cache lines.
const streamTextRoom = 416

// holds reports whether c holds the prefixes of conn (of some protocol).
func (c *streamCache) holds(conn *dissectors.Conn) bool {
	return c.valid && conn.ID == c.id && conn.Client == c.client && conn.Server == c.server && sameString(conn.Transport, c.transport)
}

// sameString reports whether a and b are equal, without a call when they
// share their bytes (a connection's transport and protocol name are the
// same strings record after record).
func sameString(a, b string) bool {
	return len(a) == len(b) && (unsafe.StringData(a) == unsafe.StringData(b) || a == b)
}

// set renders the stream prefixes of r's connection into c, both ways.
// Out of append, whose code stays short: it runs once per connection.
//
//go:noinline
func (s *streamCaches) set(c *streamCache, r *dissectors.Record) {
	conn := r.Conn
	s.scratch[0], s.scratch[1] = appendStreamPrefixes(s.scratch[0][:0], s.scratch[1][:0], conn, r.Protocol.Name)
	if !c.valid {
		s.open++
	}
	c.n = [2]uint16{}
	if n0, n1 := len(s.scratch[0]), len(s.scratch[1]); n0+n1 <= len(c.text) {
		copy(c.text[:], s.scratch[0])
		copy(c.text[n0:], s.scratch[1])
		c.n = [2]uint16{uint16(n0), uint16(n1)}
		s.giveBack(c)
	} else {
		for k := range c.long {
			if c.long[k] == nil {
				c.long[k] = s.spareBuffer()
			}
			c.long[k] = append(c.long[k][:0], s.scratch[k]...)
		}
	}
	c.id, c.client, c.server, c.transport, c.protocol, c.valid = conn.ID, conn.Client, conn.Server, conn.Transport, r.Protocol.Name, true
}

// appendStreamPrefix writes what records of one direction of a connection
// share: the network, source and destination members, and the dissect
// object up to its offset's value, `"dissect":{"stream":N,"direction":"request","offset":`.
func appendStreamPrefix(b []byte, conn *dissectors.Conn, protocol string, dir dissectors.Direction) []byte {
	src, dst := conn.Client, conn.Server
	if dir == dissectors.ServerToClient {
		src, dst = dst, src
	}
	b = appendPeersJSON(b, conn.Transport, protocol, src, dst)
	b = append(b, `,"dissect":{"stream":`...)
	b = decimal.AppendUint(b, conn.ID)
	return appendDirection(b, dir)
}

// appendStreamPrefixes writes the stream prefixes of conn both ways (see
// appendStreamPrefix), client to server to a and server to client to b,
// rendering each part once: b takes a's network member, endpoints and
// stream number, the endpoints swapped.
func appendStreamPrefixes(a, b []byte, conn *dissectors.Conn, protocol string) ([]byte, []byte) {
	a = appendNetworkJSON(a, conn.Transport, protocol)
	a = append(a, `,"source":`...)
	source := len(a)
	a = appendEndpointJSON(a, conn.Client)
	client := len(a)
	a = append(a, `,"destination":`...)
	destination := len(a)
	a = appendEndpointJSON(a, conn.Server)
	server := len(a)
	a = append(a, `,"dissect":{"stream":`...)
	a = decimal.AppendUint(a, conn.ID)
	stream := len(a)
	b = append(b, a[:source]...)
	b = append(b, a[destination:server]...)
	b = append(b, a[client:destination]...)
	b = append(b, a[source:client]...)
	b = append(b, a[server:stream]...)
	return appendDirection(a, dissectors.ClientToServer), appendDirection(b, dissectors.ServerToClient)
}

// appendDirection ends a stream prefix: its direction member and the
// offset's key.
func appendDirection(b []byte, dir dissectors.Direction) []byte {
	b = append(b, `,"direction":"`...)
	b = append(b, dir.String()...)
	return append(b, `","offset":`...)
}

// appendNetworkJSON writes the network member of a record's object.
func appendNetworkJSON(b []byte, transport, protocol string) []byte {
	b = append(b, `"network":{"transport":`...)
	b = appendString(b, transport)
	b = append(b, `,"protocol":`...)
	b = appendString(b, protocol)
	return append(b, '}')
}

// appendPeersJSON writes the network, source and destination members of a
// record's object.
func appendPeersJSON(b []byte, transport, protocol string, src, dst dissectors.Endpoint) []byte {
	b = appendNetworkJSON(b, transport, protocol)
	b = append(b, `,"source":`...)
	b = appendEndpointJSON(b, src)
	b = append(b, `,"destination":`...)
	return appendEndpointJSON(b, dst)
}

// NewNDJSON returns an NDJSON writer on w.
func NewNDJSON(w io.Writer) *NDJSON {
	return NewNDJSONWith(w, JSONOptions{})
}

// NewNDJSONWith returns an NDJSON writer on w with options.
func NewNDJSONWith(w io.Writer, opts JSONOptions) *NDJSON {
	return &NDJSON{w: w, opts: opts}
}

// Flush writes out what is buffered; after SwapBuffer, it writes nothing.
func (j *NDJSON) Flush() error {
	if j.held {
		return j.err
	}
	if j.err == nil && len(j.buf) > 0 {
		_, j.err = j.w.Write(j.buf)
	}
	j.buf = j.buf[:0]
	return j.err
}

// Emit writes one record as a line of JSON. The line goes out with the
// block it ends, or at the next Flush.
func (j *NDJSON) Emit(r *dissectors.Record) error {
	if j.err != nil {
		return j.err
	}
	j.buf = appendRecordJSON(j.buf, r, j.opts, &j.streams, &j.ts, &j.keys)
	j.buf = append(j.buf, '\n')
	if len(j.buf) >= flushSize && !j.held {
		return j.Flush()
	}
	return nil
}

// EndConn tells j that the connection (or UDP conversation) c has ended,
// after its last record: j frees what it keeps for c's records, so that
// what it keeps grows with the connections open at once, not with all
// those of the capture. Telling it is optional; records of c after it
// come out the same.
func (j *NDJSON) EndConn(c *dissectors.Conn) {
	j.streams.end(c)
}

// SwapBuffer makes j append its records to buf, after what it holds, and
// keep them there, never writing them out, until the next call; it
// returns the buffer it had, with the records appended to it. The first
// call returns j's own buffer, holding what Flush had not written yet. A
// caller that gathers the output of many encoders uses it to have each
// encode straight into the caller's buffers, without a copy.
func (j *NDJSON) SwapBuffer(buf []byte) []byte {
	old := j.buf
	j.buf, j.held = buf, true
	return old
}

// Buffered returns how many bytes of records j holds: after SwapBuffer,
// the length of the buffer it appends to.
func (j *NDJSON) Buffered() int { return len(j.buf) }

// AppendRecordJSON appends the JSON object of one record. It may write in
// b's spare capacity beyond what it appends (numbers and summaries are
// stored a word or a fixed-size block at a time): bytes there that the
// caller means to keep must not share b's array.
func AppendRecordJSON(b []byte, r *dissectors.Record) []byte {
	return appendRecordJSON(b, r, JSONOptions{}, nil, nil, nil)
}

// AppendRecordJSONWith appends the JSON object of one record, with options.
func AppendRecordJSONWith(b []byte, r *dissectors.Record, opts JSONOptions) []byte {
	return appendRecordJSON(b, r, opts, nil, nil, nil)
}

// appendRecordJSON is AppendRecordJSONWith with a cache of the streams'
// JSON, one of the timestamp and one of the fields' keys; any may be nil.
func appendRecordJSON(b []byte, r *dissectors.Record, opts JSONOptions, streams *streamCaches, ts *timeCache, keys *keyCache) []byte {
	if cap(b)-len(b) < recordHeadRoom {
		b = growRecord(b)
	}
	b = litTimestamp.put(b)
	if ts != nil {
		b = ts.append(b, r.Time)
	} else {
		b = appendTimestamp(b, r.Time)
	}
	b = eventTexts[r.Kind].put(b)
	if streams != nil {
		b = streams.append(b, r)
	} else {
		b = appendStreamPrefix(b, r.Conn, r.Protocol.Name, r.Dir)
	}
	if cap(b)-len(b) < recordHeadRoom {
		b = growRecord(b)
	}
	// From here to the summary, recordHeadRoom bytes at most: literals
	// are copied, and numbers below decimal.PutLimit written in place by
	// decimal.Put.
	if v := r.Offset; v < 100 {
		b = putSmall(b, v) // offsets are mostly 0
	} else if v < decimal.PutLimit {
		b = putUint(b, v)
	} else {
		b = decimal.AppendUint(b, v)
	}
	b = litLength.put(b)
	if v := r.Length; v >= 0 && v < 100 {
		b = putSmall(b, uint64(v))
	} else if v >= 0 && v < decimal.PutLimit {
		b = putUint(b, uint64(v))
	} else {
		b = decimal.AppendInt(b, int64(v))
	}
	b = litFirst.put(b)
	if v := r.FirstPacket; v < decimal.PutLimit {
		n := len(b)
		d := decimal.Put((*[8]byte)(b[n:n+8]), v)
		digits := *(*[8]byte)(b[n : n+8])
		b = litLast.put(b[:n+d])
		if r.LastPacket == v {
			// Most frames come in one packet: its number is copied.
			n = len(b)
			*(*[8]byte)(b[n : n+8]) = digits
			b = b[:n+d]
		} else {
			b = decimal.AppendUint(b, r.LastPacket)
		}
	} else {
		b = decimal.AppendUint(b, v)
		b = litLast.put(b)
		b = decimal.AppendUint(b, r.LastPacket)
	}
	b = append(b, '}')
	if r.Pair.Status != dissectors.PairNone {
		b = pairTexts[r.Pair.Status].put(b)
		if v := r.Pair.Key; v >= 0 && v < decimal.PutLimit {
			b = putUint(b, uint64(v))
		} else {
			b = decimal.AppendInt(b, v)
		}
		if v := r.Pair.PeerPacket; v != 0 {
			b = litPeer.put(b)
			if v < decimal.PutLimit {
				b = putUint(b, v)
			} else {
				b = decimal.AppendUint(b, v)
			}
		}
		if r.Pair.Status == dissectors.PairMatched {
			b = litLatency.put(b)
			b = appendMillis(b, r.Pair.Latency.Nanoseconds())
		}
		b = append(b, '}')
	}
	if r.Kind == dissectors.KindFrame && r.Frame != nil {
		b = append(b, `,"summary":"`...)
		start := len(b)
		if keys != nil {
			// The writer skips the scan for bytes to escape when the
			// summary's template knows it wrote none.
			var plain bool
			if b, plain = r.Frame.AppendSummaryPlain(b); plain {
				b = append(b, '"')
			} else {
				b = quoteAfter(b, start)
			}
		} else {
			b = quoteAfter(r.Frame.AppendSummary(b), start)
		}
	}
	if r.Kind != dissectors.KindFrame || r.Reason != "" || r.Frame == nil || r.Frame.BadChecksums > 0 || r.Frame.Trailing > 0 || r.Frame.Err != nil {
		b = appendRecordRare(b, r)
	}
	b = append(b, '}')
	if r.Kind == dissectors.KindFrame && r.Frame != nil && len(r.Frame.Nodes) > 0 {
		if keys != nil {
			if keys.proto != r.Protocol {
				keys.proto, keys.protoKey = r.Protocol, appendString(append(keys.protoKey[:0], ','), r.Protocol.Name)
				keys.protoKey = append(keys.protoKey, ':')
			}
			b = append(b, keys.protoKey...)
		} else {
			b = append(b, ',')
			b = appendString(b, r.Protocol.Name)
			b = append(b, ':')
		}
		if t := r.Frame.Nodes[0].Type; keys != nil && isObject(t) {
			// The message's structure, as appendNodeJSON writes it,
			// without its call.
			b = keys.appendObject(b, r.Frame, 0, keys.plan(t.Struct, opts.WiresharkNames))
		} else {
			b = appendNodeJSON(b, r.Frame, 0, opts.WiresharkNames, keys)
		}
	}
	return append(b, '}')
}

// appendRecordRare writes the members of r's dissect object after its
// summary that few records have: bad checksums, trailing bytes, a
// stream's byte counts, a reason and an error. Out of appendRecordJSON,
// whose code stays shorter for the records that have none.
//
//go:noinline
func appendRecordRare(b []byte, r *dissectors.Record) []byte {
	if r.Kind == dissectors.KindFrame && r.Frame != nil && r.Frame.BadChecksums > 0 {
		b = append(b, `,"bad_checksums":`...)
		b = decimal.AppendInt(b, int64(r.Frame.BadChecksums))
	}
	if r.Kind == dissectors.KindFrame && r.Frame != nil && r.Frame.Trailing > 0 {
		b = append(b, `,"trailing":`...)
		b = decimal.AppendInt(b, int64(r.Frame.Trailing))
	}
	if r.Kind == dissectors.KindStream && r.Bytes != nil {
		c := r.Bytes
		b = append(b, `,"bytes":{"seen":`...)
		b = decimal.AppendUint(b, c.Seen)
		b = append(b, `,"decoded":`...)
		b = decimal.AppendUint(b, c.Decoded)
		b = append(b, `,"skipped":`...)
		b = decimal.AppendUint(b, c.Skipped)
		b = append(b, `,"incomplete":`...)
		b = decimal.AppendUint(b, c.Incomplete)
		b = append(b, `,"missing":`...)
		b = decimal.AppendUint(b, c.Missing)
		b = append(b, '}')
	}
	if r.Reason != "" {
		b = append(b, `,"reason":`...)
		b = appendString(b, r.Reason)
	}
	if r.Kind == dissectors.KindFrame && r.Frame != nil && r.Frame.Err != nil {
		e := r.Frame.Err
		b = append(b, `,"error":{"kind":`...)
		b = appendString(b, e.Kind)
		b = append(b, `,"path":`...)
		b = appendString(b, e.Path)
		b = append(b, `,"offset":`...)
		b = decimal.AppendInt(b, int64(e.Offset))
		if e.Expected != "" {
			b = append(b, `,"expected":`...)
			b = appendString(b, e.Expected)
		}
		if e.Found != "" {
			b = append(b, `,"found":`...)
			b = appendString(b, e.Found)
		}
		b = append(b, '}')
	}
	return b
}

// recordHeadRoom is the room appendRecordJSON makes for the start of a
// record's object, and again for what follows the stream prefix up to
// the summary: fixed-size copies and words at most that long. The worst
// case after the prefix (every number at its longest, a matched pair
// with a peer and a latency) takes 256 bytes with fixedRoom's copies;
// the rest is slack (TestRecordHeadWorstCaseRoom).
const recordHeadRoom = 320

// growRecord makes recordHeadRoom bytes of room. Out of appendRecordJSON,
// whose code stays short: it runs when the buffer fills.
//
//go:noinline
func growRecord(b []byte) []byte {
	return slices.Grow(b, recordHeadRoom)
}

// The literals of a record's object.
var (
	litTimestamp = fixed(`{"@timestamp":"`)
	litLength    = fixed(`,"length":`)
	litFirst     = fixed(`,"packets":{"first":`)
	litLast      = fixed(`,"last":`)
	litPeer      = fixed(`,"peer_packet":`)
	litLatency   = fixed(`,"latency_ms":`)
)

// putUint writes v, below decimal.PutLimit, given 8 bytes of room.
func putUint(b []byte, v uint64) []byte {
	n := len(b)
	return b[:n+decimal.Put((*[8]byte)(b[n:n+8]), v)]
}

// putSmall writes v, below 100, given 2 bytes of room.
func putSmall(b []byte, v uint64) []byte {
	n := len(b)
	if v < 10 {
		b = b[:n+1]
		b[n] = byte('0' + v)
		return b
	}
	binary.LittleEndian.PutUint16(b[n:n+2], decimal.PairWords[v])
	return b[:n+2]
}

// eventTexts and pairTexts are eventJSON and pairJSON as fixedTexts (all
// of them fit: 38 bytes at most).
var (
	eventTexts = fixedTexts(eventJSON[:])
	pairTexts  = fixedTexts(pairJSON[:])
)

// eventJSON and pairJSON hold, for each record kind and pairing status,
// what a record writes from the end of its timestamp to its connection
// (`","event":{"kind":"frame"},`), and from the pair object's start to its
// key's value (`,"pair":{"status":"request","key":`): one copy each.
var (
	eventJSON = func() (t [256]string) {
		for k := range t {
			t[k] = `","event":{"kind":"` + dissectors.RecordKind(k).String() + `"},`
		}
		return t
	}()
	pairJSON = func() (t [256]string) {
		for s := range t {
			t[s] = `,"pair":{"status":"` + dissectors.PairStatus(s).String() + `","key":`
		}
		return t
	}()
)

// appendMillis writes ns nanoseconds in milliseconds as
// strconv.AppendFloat(b, float64(ns)/1e6, 'f', -1, 64) does, without
// going through a float: below 10^15 ns the shortest decimal of the
// float is the exact quotient, at most 15 significant digits.
func appendMillis(b []byte, ns int64) []byte {
	if ns <= -1e15 || ns >= 1e15 {
		return strconv.AppendFloat(b, float64(ns)/1e6, 'f', -1, 64)
	}
	if ns < 0 {
		b = append(b, '-')
		ns = -ns
	}
	b = decimal.AppendUint(b, uint64(ns/1e6))
	frac := uint32(ns % 1e6)
	if frac == 0 {
		return b
	}
	// The fraction's trailing zeros are the word's top bytes, cut off
	// after one store (or one copy, without room for a word).
	w := fracWord(frac)
	n := 7 - bits.LeadingZeros64((w^zeroDigits)<<8)/8
	if l := len(b); cap(b)-l >= 8 {
		binary.LittleEndian.PutUint64(b[l:l+8], w)
		return b[:l+n]
	}
	var t [8]byte
	binary.LittleEndian.PutUint64(t[:], w)
	return append(b, t[:n]...)
}

// fracWord returns a point and the six digits of v, below 10^6, leading
// zeros included, in one word, first byte lowest; its top byte is 0.
func fracWord(v uint32) uint64 {
	return uint64('.') | uint64(decimal.PairWords[v/10000])<<8 | uint64(decimal.PairWords[v/100%100])<<24 | uint64(decimal.PairWords[v%100])<<40
}

// zeroDigits is seven ASCII zeros after a byte that is not one.
const zeroDigits = 0x3030303030303000

// appendTimestamp writes t in UTC as 2006-01-02T15:04:05.000000Z, faster
// than time.AppendFormat.
func appendTimestamp(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	hour, min, sec := t.Clock()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, "2006-01-02T15:04:05.000000Z")
	}
	b = appendDigits(b, year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, day, 2)
	b = append(b, 'T')
	b = appendDigits(b, hour, 2)
	b = append(b, ':')
	b = appendDigits(b, min, 2)
	b = append(b, ':')
	b = appendDigits(b, sec, 2)
	b = append(b, '.')
	b = appendDigits(b, t.Nanosecond()/1000, 6)
	return append(b, 'Z')
}

// appendDigits writes v with exactly n digits, zero-padded.
func appendDigits(b []byte, v, n int) []byte {
	start := len(b)
	for i := 0; i < n; i++ {
		b = append(b, '0')
	}
	for i := len(b) - 1; i >= start && v > 0; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return b
}

func appendEndpointJSON(b []byte, e dissectors.Endpoint) []byte {
	b = append(b, `{"ip":"`...)
	b = e.Addr.AppendTo(b)
	b = append(b, `","port":`...)
	b = decimal.AppendUint(b, uint64(e.Port))
	return append(b, '}')
}

// appendNodeJSON writes a decoded value: structures as objects, arrays as
// arrays, enums as {"value":N,"name":"..."}, flags as
// {"value":N,"flags":[...]}, checksums as {"value":N,"valid":B}, times as
// RFC 3339 strings, scaled numbers as their scaled value, text as strings,
// byte strings as hex, and a structure marked [value = summary] as its
// summary string. With wsNames, a field mapped to a Wireshark
// field is named by it.
//
// keys, when not nil, caches the fields' keys.
func appendNodeJSON(b []byte, f *schema.Frame, i int, wsNames bool, keys *keyCache) []byte {
	n := &f.Nodes[i]
	t := n.Type
	switch t.Kind {
	case schema.KindStruct:
		if t.Struct != nil && t.Struct.ValueIsSummary {
			start := len(b)
			b = f.AppendDisplay(b, i)
			return quoteInPlace(b, start)
		}
		if keys != nil && t.Struct != nil {
			return keys.appendObject(b, f, i, keys.plan(t.Struct, wsNames))
		}
		// Without a cache (AppendRecordJSON), member by member.
		b = append(b, '{')
		first := true // the first member's key goes without its comma
		for c := i + 1; c < int(n.End); c = int(f.Nodes[c].End) {
			cn := &f.Nodes[c]
			if cn.Field == nil { // no key to write (the decoder gives every member a field)
				if !first {
					b = append(b, ',')
				}
				first = false
				b = appendNodeJSON(b, f, c, wsNames, keys)
				continue
			}
			if cn.Field.Hidden {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			b = appendKey(b, cn.Field, wsNames)
			first = false
			b = appendNodeJSON(b, f, c, wsNames, keys)
		}
		return append(b, '}')
	case schema.KindArray:
		b = append(b, '[')
		// Elements share the array's field: whether their integers are
		// plain numbers is known once for all of them.
		plain := n.Field != nil && plainInt(n.Field)
		for c := i + 1; c < int(n.End); c = int(f.Nodes[c].End) {
			if c != i+1 {
				b = append(b, ',')
			}
			cn := &f.Nodes[c]
			if ct := cn.Type; plain && cn.Field == n.Field && ct.Enum == nil && cn.Flags&(schema.NodeChecksumOK|schema.NodeChecksumBad) == 0 {
				if ct.Kind == schema.KindUint {
					b = decimal.AppendUint(b, cn.Bits)
					continue
				}
				if ct.Kind == schema.KindInt {
					b = decimal.AppendInt(b, cn.Int())
					continue
				}
			}
			b = appendNodeJSON(b, f, c, wsNames, keys)
		}
		return append(b, ']')
	case schema.KindUint, schema.KindInt:
		switch {
		case n.Field != nil && n.Field.Format == schema.IPv4:
			b = append(b, '"')
			b = f.AppendDisplay(b, i)
			return append(b, '"')
		case t.Enum != nil && t.Enum.Flags:
			b = append(b, `{"value":`...)
			b = appendInt(b, n)
			b = append(b, `,"flags":[`...)
			first := true
			n.FlagNames(func(name string) {
				if !first {
					b = append(b, ',')
				}
				first = false
				b = appendString(b, name)
			})
			return append(b, "]}"...)
		case t.Enum != nil:
			return appendEnumJSON(b, n)
		case n.Flags&(schema.NodeChecksumOK|schema.NodeChecksumBad) != 0:
			b = append(b, `{"value":`...)
			b = appendInt(b, n)
			b = append(b, `,"valid":`...)
			b = strconv.AppendBool(b, n.Flags&schema.NodeChecksumOK != 0)
			if want, ok := f.ChecksumWanted(i); ok {
				b = append(b, `,"expected":`...)
				b = decimal.AppendUint(b, want)
			}
			return append(b, '}')
		}
		return appendNumberJSON(b, n)
	case schema.KindBool:
		return strconv.AppendBool(b, n.Bits != 0)
	case schema.KindFloat:
		return appendNumberJSON(b, n)
	case schema.KindString:
		start := len(b)
		b = schema.AppendText(b, f.Content(i), t.Encoding)
		return quoteInPlace(b, start)
	case schema.KindBytes:
		b = append(b, '"')
		if n.Field != nil && n.Field.Format != schema.NoFormat {
			if out, ok := schema.AppendAddr(b, f.Content(i), n.Field.Format); ok {
				return append(out, '"')
			}
		}
		b = schema.AppendHex(b, f.Content(i))
		return append(b, '"')
	}
	return append(b, "null"...)
}

// appendEnumJSON writes the node n of an enum type (no flags) as
// {"value":N,"name":"member"}, without the name when no member has the
// value.
func appendEnumJSON(b []byte, n *schema.Node) []byte {
	b = append(b, `{"value":`...)
	b = appendInt(b, n)
	if m, ok := n.Type.Enum.Lookup(n.Int()); ok {
		b = append(b, `,"name":`...)
		b = appendString(b, m.Name)
	}
	return append(b, '}')
}

// appendNumberJSON writes a number with its display hints: a time as an
// RFC 3339 string, a scaled value as a float, otherwise the integer.
func appendNumberJSON(b []byte, n *schema.Node) []byte {
	if fld := n.Field; fld != nil {
		if fld.Time != schema.NoTime {
			if ts, ok := n.Time(); ok {
				b = append(b, '"')
				b = ts.AppendFormat(b, time.RFC3339Nano)
				return append(b, '"')
			}
		}
		if fld.Scaled {
			return appendFloat(b, n.Scaled(), 64)
		}
	}
	if n.Type.Kind == schema.KindFloat {
		return appendFloat(b, n.Float(), 8*n.Type.Size)
	}
	return appendInt(b, n)
}

// appendFloat writes v as a JSON number with the precision of a float of
// bits bits; NaN and infinities, which JSON lacks, as strings.
func appendFloat(b []byte, v float64, bits int) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return appendString(b, strconv.FormatFloat(v, 'g', -1, 64))
	}
	return strconv.AppendFloat(b, v, 'g', -1, bits)
}

func appendInt(b []byte, n *schema.Node) []byte {
	if n.Type.Kind == schema.KindInt {
		return decimal.AppendInt(b, n.Int())
	}
	return decimal.AppendUint(b, n.Bits)
}

// jsonSafe tells the bytes that stand for themselves in a JSON string as
// dissect writes it: printable ASCII but the quote and the backslash.
var jsonSafe = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// jsonUnsafe is 1 for the bytes jsonSafe rejects, 0 for the others.
var jsonUnsafe = func() (t [256]uint8) {
	for c := range t {
		if !jsonSafe[c] {
			t[c] = 1
		}
	}
	return t
}()

// jsonClean reports whether every byte of b stands for itself in a JSON
// string. Eight bytes at a time, their table entries or-ed together: one
// branch for eight bytes rather than one a byte (a summary is ~60 bytes).
func jsonClean(b []byte) bool {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := b[i : i+8 : i+8]
		if jsonUnsafe[w[0]]|jsonUnsafe[w[1]]|jsonUnsafe[w[2]]|jsonUnsafe[w[3]]|
			jsonUnsafe[w[4]]|jsonUnsafe[w[5]]|jsonUnsafe[w[6]]|jsonUnsafe[w[7]] != 0 {
			return false
		}
	}
	for _, c := range b[i:] {
		if jsonUnsafe[c] != 0 {
			return false
		}
	}
	return true
}

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	i := 0
	for i < len(s) && jsonSafe[s[i]] {
		i++
	}
	b = append(b, s[:i]...)
	for i < len(s) {
		c := s[i]
		if jsonSafe[c] {
			b = append(b, c)
			i++
			continue
		}
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', hexDigit(c>>4), hexDigit(c&0xf))
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// quoteAfter turns b[start:], written after an opening quote at
// b[start-1], into the rest of a JSON string: a clean text (the usual
// case) only gets its closing quote, without moving.
func quoteAfter(b []byte, start int) []byte {
	if !jsonClean(b[start:]) {
		copy(b[start-1:], b[start:])
		return quoteInPlace(b[:len(b)-1], start-1)
	}
	return append(b, '"')
}

// quoteInPlace turns b[start:] into a JSON string.
func quoteInPlace(b []byte, start int) []byte {
	raw := b[start:]
	if jsonClean(raw) {
		b = append(b, 0, 0)
		copy(b[start+1:], b[start:len(b)-2])
		b[start] = '"'
		b[len(b)-1] = '"'
		return b
	}
	// Escape without a copy on the heap: move the raw bytes to the end of
	// the room the escaped string needs, then escape them forwards into
	// place. Escaping never shrinks a prefix, so the writes never reach
	// the bytes not read yet.
	n := len(raw)
	total := start + escapedLen(raw) + 2
	if total > cap(b) {
		b = append(b[:cap(b)], make([]byte, total-cap(b))...)
	}
	b = b[:total]
	p := total - n
	copy(b[p:], b[start:start+n])
	w := start
	b[w] = '"'
	w++
	for i := p; i < total; {
		c := b[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b[w], b[w+1] = '\\', c
				w += 2
			case c == '\n':
				b[w], b[w+1] = '\\', 'n'
				w += 2
			case c == '\r':
				b[w], b[w+1] = '\\', 'r'
				w += 2
			case c == '\t':
				b[w], b[w+1] = '\\', 't'
				w += 2
			case c < 0x20 || c == 0x7f:
				w += copy(b[w:], []byte{'\\', 'u', '0', '0', hexDigit(c >> 4), hexDigit(c & 0xf)})
			default:
				b[w] = c
				w++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:total])
		if r == utf8.RuneError && size == 1 {
			w += copy(b[w:], `\ufffd`)
		} else {
			w += copy(b[w:], b[i:i+size])
		}
		i += size
	}
	b[w] = '"'
	return b[:w+1]
}

// escapedLen is the length of raw escaped by appendString, without the
// quotes.
func escapedLen(raw []byte) int {
	n := 0
	for i := 0; i < len(raw); {
		c := raw[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
				n += 2
			case c < 0x20 || c == 0x7f:
				n += 6
			default:
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && size == 1 {
			n += 6
		} else {
			n += size
		}
		i += size
	}
	return n
}
