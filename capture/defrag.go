package capture

import (
	"bytes"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// IP defragmentation.
//
// gopacket's ip4defrag was considered and not used: it handles IPv4 only,
// bounds the fragments of one datagram but not the memory held by all of
// them, and allocates a new IPv4 layer and buffer for every datagram. The
// defragmenter here handles IPv4 and IPv6 (fragment extension header) alike,
// recycles its buffers, and is never reached by unfragmented packets.
//
// Policy:
//
//   - A datagram is identified by source, destination, identification and
//     (IPv4) protocol. Its fragments may arrive in any order.
//   - Exact duplicates (same bytes at the same place) are dropped, counted
//     in Stats.FragDuplicates and, as not decoded, under
//     reasonFragDuplicate.
//   - Overlaps: the first copy of a byte wins, as for TCP; a later copy is
//     dropped even when its content differs (counted in Stats.FragOverlaps).
//     Exception, per RFC 5722: an IPv6 fragment that overlaps another with
//     different bytes drops the whole datagram.
//   - An empty fragment, a fragment other than the last whose length is
//     not a multiple of 8, a datagram longer than 65535 bytes, a second
//     "last" fragment with a different end, or data beyond the end set by
//     the last fragment make the datagram inconsistent: it is dropped.
//   - Limits: Options.MaxFragments fragments per datagram, Options.MaxFragBytes
//     bytes held by all incomplete datagrams (the oldest datagrams are
//     dropped to make room), Options.FragTimeout of packet time from the
//     first fragment of a datagram to its completion.
//
// Every fragment packet ends up either in a reassembled datagram
// (Stats.FragmentsReassembled) or in Stats.NotDecoded under the reason its
// datagram was dropped; those still incomplete at the end of the input are
// counted as reasonFragEnd.

// Reasons a fragment is not decoded, counted in Stats.NotDecoded once per
// fragment packet.
const (
	reasonFragTimeout      = "IP fragment: datagram incomplete after the reassembly timeout"
	reasonFragEnd          = "IP fragment: datagram incomplete at the end of the capture"
	reasonFragTooMany      = "IP fragment: too many fragments in one datagram"
	reasonFragMemory       = "IP fragment: dropped to stay within the reassembly memory limit"
	reasonFragInconsistent = "IP fragment: inconsistent fragment offsets or lengths"
	reasonFragOverlap6     = "IP fragment: overlapping IPv6 fragments (RFC 5722)"
	reasonFragNoTransport  = "IP fragment: reassembled datagram carries neither TCP nor UDP"
	reasonFragDuplicate    = "IP fragment: exact duplicate of a fragment received"
)

// maxDatagram is the largest reassembled IP payload: IPv4's total length
// and IPv6's payload length are 16 bits.
const maxDatagram = 65535

// datagramOverhead is what an incomplete datagram counts against
// Options.MaxFragBytes besides its bytes, so that many tiny fragments can't
// hold an unbounded number of datagrams.
const datagramOverhead = 256

// fragKey identifies the datagram a fragment belongs to.
type fragKey struct {
	src, dst netip.Addr
	id       uint32
	proto    uint8 // IPv4 protocol; 0 for IPv6, whose protocol is in the first fragment
	v6       bool
}

// fragRange is the run [start, end) of a datagram's bytes received.
type fragRange struct{ start, end int }

// fragDatagram is a datagram being reassembled.
type fragDatagram struct {
	key    fragKey
	first  time.Time // packet time of its first fragment
	data   []byte    // the bytes received, at their offsets
	have   []fragRange
	end    int   // length, once the last fragment was seen; -1 before
	proto  uint8 // the protocol of the payload, from the offset-0 fragment
	gotHdr bool  // the offset-0 fragment was seen
	frags  int   // fragment packets received
	held   int   // bytes counted against the memory limit
}

// defragmenter reassembles IP datagrams.
type defragmenter struct {
	r     *Reader
	dgs   map[fragKey]*fragDatagram
	order []*fragDatagram // in order of first fragment, oldest first; may hold dropped ones (nil)
	held  int             // bytes counted against the memory limit
	spare []*fragDatagram
}

// fragment is one fragment, as decoded from a packet.
type fragment struct {
	key     fragKey
	offset  int // in bytes
	more    bool
	proto   uint8 // IPv4 protocol, or the IPv6 fragment header's next header
	payload []byte
}

// fragResult says what became of a fragment.
type fragResult struct {
	done  bool // the datagram is complete: payload and proto are set
	proto uint8
	data  []byte // valid until the next call of add
	frags int    // fragments it was made of
}

func newDefragmenter(r *Reader) *defragmenter {
	return &defragmenter{r: r, dgs: make(map[fragKey]*fragDatagram)}
}

// add files a fragment received at packet time now.
func (d *defragmenter) add(f *fragment, now time.Time) fragResult {
	o := &d.r.opts
	r := d.r
	r.stats.Fragments++
	end := f.offset + len(f.payload)
	dg := d.dgs[f.key]
	if dg != nil && len(f.payload) > 0 && dg.covers(f.offset, end) && bytes.Equal(dg.data[f.offset:end], f.payload) &&
		(f.more || dg.end == end) {
		// An exact duplicate (a retransmission, or a capture that saw
		// the packet twice): nothing new, for IPv6 too (RFC 5722,
		// errata 3089).
		r.stats.FragDuplicates++
		r.notDecoded(reasonFragDuplicate)
		return fragResult{}
	}
	if dg == nil {
		dg = d.newDatagram(f.key, now)
	}
	dg.frags++
	switch {
	case f.more && len(f.payload)%8 != 0,
		len(f.payload) == 0,
		end > maxDatagram,
		!f.more && dg.end >= 0 && end != dg.end,
		dg.end >= 0 && end > dg.end,
		!f.more && end < dg.maxHave():
		d.drop(dg, reasonFragInconsistent)
		return fragResult{}
	case dg.frags > o.MaxFragments:
		d.drop(dg, reasonFragTooMany)
		return fragResult{}
	}
	if !f.more {
		dg.end = end
	}
	if f.offset == 0 {
		dg.gotHdr = true
		dg.proto = f.proto
	}
	// The new bytes of the fragment: the first copy of a byte wins.
	newBytes := 0
	cur := f.offset
	overlap := false
	for _, h := range dg.have {
		if h.end <= cur {
			continue
		}
		if h.start >= end {
			break
		}
		overlap = true
		if h.start > cur {
			dg.put(cur, f.payload[cur-f.offset:h.start-f.offset])
			newBytes += h.start - cur
		}
		cur = max(cur, h.end)
		if cur >= end {
			break
		}
	}
	if cur < end {
		dg.put(cur, f.payload[cur-f.offset:])
		newBytes += end - cur
	}
	if overlap {
		r.stats.FragOverlaps++
		if f.key.v6 {
			d.drop(dg, reasonFragOverlap6)
			return fragResult{}
		}
	}
	dg.addRange(f.offset, end)
	dg.held += newBytes
	d.held += newBytes
	if dg.end >= 0 && dg.gotHdr && len(dg.have) == 1 && dg.have[0] == (fragRange{0, dg.end}) {
		res := fragResult{done: true, proto: dg.proto, data: dg.data[:dg.end], frags: dg.frags}
		r.stats.FragmentsReassembled += uint64(dg.frags)
		r.stats.Reassembled++
		d.forget(dg)
		return res
	}
	d.enforceMemory(dg)
	return fragResult{}
}

// newDatagram starts a datagram.
func (d *defragmenter) newDatagram(key fragKey, now time.Time) *fragDatagram {
	var dg *fragDatagram
	if n := len(d.spare); n > 0 {
		dg = d.spare[n-1]
		d.spare = d.spare[:n-1]
	} else {
		dg = &fragDatagram{}
	}
	*dg = fragDatagram{key: key, first: now, end: -1, data: dg.data[:0], have: dg.have[:0], held: datagramOverhead}
	d.held += datagramOverhead
	d.dgs[key] = dg
	d.order = append(d.order, dg)
	return dg
}

// covers reports whether [start, end) was received already.
func (dg *fragDatagram) covers(start, end int) bool {
	for _, h := range dg.have {
		if h.start <= start && end <= h.end {
			return end <= len(dg.data)
		}
	}
	return false
}

// maxHave is the end of the last range received.
func (dg *fragDatagram) maxHave() int {
	if len(dg.have) == 0 {
		return 0
	}
	return dg.have[len(dg.have)-1].end
}

// put copies b to offset off of the datagram.
func (dg *fragDatagram) put(off int, b []byte) {
	if need := off + len(b); need > len(dg.data) {
		if need > cap(dg.data) {
			n := make([]byte, need, max(need, 2*cap(dg.data), 2048))
			copy(n, dg.data)
			dg.data = n
		}
		dg.data = dg.data[:need]
	}
	copy(dg.data[off:], b)
}

// addRange merges [start, end) into the sorted ranges received.
func (dg *fragDatagram) addRange(start, end int) {
	q := dg.have
	i := 0
	for i < len(q) && q[i].end < start {
		i++
	}
	j := i
	for j < len(q) && q[j].start <= end {
		start = min(start, q[j].start)
		end = max(end, q[j].end)
		j++
	}
	if i == j {
		q = append(q, fragRange{})
		copy(q[i+1:], q[i:])
		q[i] = fragRange{start, end}
	} else {
		q[i] = fragRange{start, end}
		q = append(q[:i+1], q[j:]...)
	}
	dg.have = q
}

// enforceMemory drops the oldest datagrams until the memory held is within
// the limit; keep is dropped last.
func (d *defragmenter) enforceMemory(keep *fragDatagram) {
	limit := d.r.opts.MaxFragBytes
	for d.held > limit {
		victim := (*fragDatagram)(nil)
		for _, dg := range d.order {
			if dg != nil && dg != keep {
				victim = dg
				break
			}
		}
		if victim == nil {
			victim = keep
		}
		d.drop(victim, reasonFragMemory)
		if victim == keep {
			return
		}
	}
}

// drop discards an incomplete datagram, counting its fragments under
// reason.
func (d *defragmenter) drop(dg *fragDatagram, reason string) {
	d.r.stats.NotDecoded[reason] += uint64(dg.frags)
	d.forget(dg)
}

// forget removes a datagram and recycles it.
func (d *defragmenter) forget(dg *fragDatagram) {
	delete(d.dgs, dg.key)
	d.held -= dg.held
	for i, o := range d.order {
		if o == dg {
			d.order[i] = nil
			break
		}
	}
	d.compact()
	if cap(dg.data) <= 2*maxDatagram && len(d.spare) < 64 {
		d.spare = append(d.spare, dg)
	}
}

// compact drops the leading nil entries of order.
func (d *defragmenter) compact() {
	i := 0
	for i < len(d.order) && d.order[i] == nil {
		i++
	}
	if i == 0 {
		return
	}
	n := copy(d.order, d.order[i:])
	clear(d.order[n:])
	d.order = d.order[:n]
	if n == 0 && cap(d.order) > 1024 {
		d.order = nil
	}
}

// expire drops the datagrams whose first fragment came before deadline.
func (d *defragmenter) expire(deadline time.Time) {
	for len(d.order) > 0 {
		dg := d.order[0]
		if dg != nil && !dg.first.Before(deadline) {
			// Later ones may be older when packet times go backwards,
			// but order is by arrival: good enough, they expire soon.
			return
		}
		if dg == nil {
			d.compact()
			continue
		}
		d.drop(dg, reasonFragTimeout)
	}
}

// flushAll drops every incomplete datagram at the end of the input.
func (d *defragmenter) flushAll() {
	for len(d.order) > 0 {
		if dg := d.order[0]; dg != nil {
			d.drop(dg, reasonFragEnd)
		} else {
			d.compact()
		}
	}
}

// reasonFragTruncated counts a fragment cut short by the capture's snap
// length: its datagram can't be reassembled.
const reasonFragTruncated = "IP fragment: cut short by the snap length"

// isFragment reports whether the innermost IP layer of the packet just
// decoded is a fragment (not an atomic one) of a larger datagram.
func (r *Reader) isFragment() bool {
	n := len(r.decoded)
	if n == 0 {
		return false
	}
	switch r.decoded[n-1] {
	case layers.LayerTypeIPv4:
		return r.ip4.Flags&layers.IPv4MoreFragments != 0 || r.ip4.FragOffset != 0
	case layers.LayerTypeIPv6Fragment:
		return r.ip6frag.FragmentOffset != 0 || r.ip6frag.MoreFragments
	}
	return false
}

// fragment files the fragment just decoded and, when it completes its
// datagram, decodes and delivers the datagram's transport layer as if it
// had come whole in this packet.
func (r *Reader) fragment(netLayer gopacket.LayerType, ci *gopacket.CaptureInfo) {
	f := &r.frag
	if netLayer == layers.LayerTypeIPv4 {
		src, _ := netip.AddrFromSlice(r.ip4.SrcIP)
		dst, _ := netip.AddrFromSlice(r.ip4.DstIP)
		*f = fragment{
			key:     fragKey{src: src, dst: dst, id: uint32(r.ip4.Id), proto: uint8(r.ip4.Protocol)},
			offset:  int(r.ip4.FragOffset) * 8,
			more:    r.ip4.Flags&layers.IPv4MoreFragments != 0,
			proto:   uint8(r.ip4.Protocol),
			payload: r.ip4.Payload,
		}
	} else {
		src, _ := netip.AddrFromSlice(r.ip6.SrcIP)
		dst, _ := netip.AddrFromSlice(r.ip6.DstIP)
		*f = fragment{
			key:     fragKey{src: src, dst: dst, id: r.ip6frag.Identification, v6: true},
			offset:  int(r.ip6frag.FragmentOffset) * 8,
			more:    r.ip6frag.MoreFragments,
			proto:   uint8(r.ip6frag.NextHeader),
			payload: r.ip6frag.Payload,
		}
	}
	if ci.CaptureLength < ci.Length {
		r.stats.Fragments++
		r.notDecoded(reasonFragTruncated)
		return
	}
	if r.defrag == nil {
		r.defrag = newDefragmenter(r)
	}
	res := r.defrag.add(f, r.pkt.Time)
	if !res.done {
		return
	}
	first := layers.IPProtocol(res.proto).LayerType()
	p := r.fragParsers[first]
	if p == nil && (first == layers.LayerTypeTCP || first == layers.LayerTypeUDP || layers.LayerClassIPv6Extension.Contains(first) && netLayer == layers.LayerTypeIPv6) {
		if r.fragParsers == nil {
			r.fragParsers = make(map[gopacket.LayerType]*gopacket.DecodingLayerParser)
		}
		p = r.newParser(first)
		r.fragParsers[first] = p
	}
	if p == nil {
		r.notDecoded(reasonFragNoTransport)
		return
	}
	err := p.DecodeLayers(res.data, &r.decoded)
	transport := gopacket.LayerTypeZero
	for _, t := range r.decoded {
		switch t {
		case layers.LayerTypeTCP, layers.LayerTypeUDP:
			transport = t
		case layers.LayerTypeIPv4, layers.LayerTypeIPv6:
			transport = gopacket.LayerTypeZero // tunnelled: not followed
		}
	}
	if transport == gopacket.LayerTypeZero {
		r.notDecoded(r.whyNotDecoded(res.data, first, err, netLayer))
		return
	}
	r.deliver(netLayer, transport, ci)
}
