package pcapgen

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// UDP datagrams, IP fragmentation and resets: the packets that test IP
// defragmentation, UDP conversations and TCP connection ends.

// Datagram adds a UDP datagram from src to dst (both IPv4 or both IPv6)
// carrying payload. It is not counted in Stats, which is about TCP.
func (c *Capture) Datagram(src, dst Endpoint, payload []byte) {
	for _, e := range []*Endpoint{&src, &dst} {
		if e.MAC == nil {
			e.MAC = macFor(e.Addr)
		}
	}
	var ip gopacket.NetworkLayer
	eth := &layers.Ethernet{SrcMAC: src.MAC, DstMAC: dst.MAC}
	if src.Addr.Is4() {
		ip = &layers.IPv4{Version: 4, Id: uint16(c.rng.Uint32()), TTL: 64, Protocol: layers.IPProtocolUDP,
			SrcIP: src.Addr.AsSlice(), DstIP: dst.Addr.AsSlice()}
		eth.EthernetType = layers.EthernetTypeIPv4
	} else {
		ip = &layers.IPv6{Version: 6, NextHeader: layers.IPProtocolUDP, HopLimit: 64,
			SrcIP: src.Addr.AsSlice(), DstIP: dst.Addr.AsSlice()}
		eth.EthernetType = layers.EthernetTypeIPv6
	}
	udp := &layers.UDP{SrcPort: layers.UDPPort(src.Port), DstPort: layers.UDPPort(dst.Port)}
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		panic("pcapgen: " + err.Error())
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, eth, ip.(gopacket.SerializableLayer), udp, gopacket.Payload(payload)); err != nil {
		panic("pcapgen: serialising a datagram: " + err.Error())
	}
	c.add(Packet{Data: slices.Clone(buf.Bytes()), datagram: true})
}

// FragmentOrder says in which order FragmentLast emits the fragments.
type FragmentOrder uint8

// The orders of fragments.
const (
	FragmentsInOrder        FragmentOrder = iota // first to last
	FragmentsReversed                            // last to first
	FragmentsDuplicateFirst                      // in order, the first fragment sent twice
)

// FragmentLast replaces the last packet of the capture (an untagged
// Ethernet frame carrying IPv4 or IPv6 without extension headers) by IP
// fragments carrying at most size bytes of its IP payload each (size is
// rounded down to a multiple of 8), in the given order. The fragment that
// completes the datagram keeps the packet's place in Stats. It panics when
// the last packet can't be fragmented.
func (c *Capture) FragmentLast(size int, order FragmentOrder) {
	if len(c.packets) == 0 {
		panic("pcapgen: FragmentLast on an empty capture")
	}
	size &^= 7
	if size < 8 {
		panic(fmt.Sprintf("pcapgen: FragmentLast: size %d is less than 8", size))
	}
	last := c.packets[len(c.packets)-1]
	c.packets = c.packets[:len(c.packets)-1]
	data := last.Data
	if len(data) < 14 {
		panic("pcapgen: FragmentLast: not an Ethernet frame")
	}
	eth, ipPkt := data[:14], data[14:]
	var frags [][]byte
	switch layers.EthernetType(binary.BigEndian.Uint16(eth[12:])) {
	case layers.EthernetTypeIPv4:
		frags = fragment4(ipPkt, size)
	case layers.EthernetTypeIPv6:
		frags = fragment6(ipPkt, size, c.rng.Uint32())
	default:
		panic("pcapgen: FragmentLast: not IPv4 or IPv6")
	}
	idx := make([]int, len(frags))
	for i := range idx {
		idx[i] = i
	}
	switch order {
	case FragmentsReversed:
		slices.Reverse(idx)
	case FragmentsDuplicateFirst:
		idx = append([]int{0}, idx...)
	}
	t := c.now
	c.now = last.Time
	for i, k := range idx {
		p := Packet{Data: append(slices.Clone(eth), frags[k]...)}
		if i == len(idx)-1 {
			p.conn, p.dir, p.off, p.n, p.datagram = last.conn, last.dir, last.off, last.n, last.datagram
		}
		c.add(p)
	}
	if c.now.Before(t) {
		c.now = t
	}
}

// fragment4 cuts an IPv4 packet into fragments of at most size payload
// bytes.
func fragment4(pkt []byte, size int) [][]byte {
	ihl := int(pkt[0]&0xf) * 4
	total := int(binary.BigEndian.Uint16(pkt[2:]))
	hdr, payload := pkt[:ihl], pkt[ihl:total]
	var out [][]byte
	for off := 0; off < len(payload); off += size {
		end := min(off+size, len(payload))
		f := append(slices.Clone(hdr), payload[off:end]...)
		binary.BigEndian.PutUint16(f[2:], uint16(len(f)))
		flags := uint16(off / 8)
		if end < len(payload) {
			flags |= 0x2000
		}
		binary.BigEndian.PutUint16(f[6:], flags)
		f[10], f[11] = 0, 0
		binary.BigEndian.PutUint16(f[10:], ipChecksum(f[:ihl]))
		out = append(out, f)
	}
	return out
}

// fragment6 cuts an IPv6 packet (no extension headers) into fragments of at
// most size payload bytes, with identification id.
func fragment6(pkt []byte, size int, id uint32) [][]byte {
	hdr, payload := pkt[:40], pkt[40:40+int(binary.BigEndian.Uint16(pkt[4:]))]
	next := hdr[6]
	var out [][]byte
	for off := 0; off < len(payload); off += size {
		end := min(off+size, len(payload))
		fh := make([]byte, 8)
		fh[0] = next
		fo := uint16(off/8) << 3
		if end < len(payload) {
			fo |= 1
		}
		binary.BigEndian.PutUint16(fh[2:], fo)
		binary.BigEndian.PutUint32(fh[4:], id)
		f := append(append(slices.Clone(hdr), fh...), payload[off:end]...)
		f[6] = byte(layers.IPProtocolIPv6Fragment)
		binary.BigEndian.PutUint16(f[4:], uint16(8+end-off))
		out = append(out, f)
	}
	return out
}

// ipChecksum is the IPv4 header checksum of hdr (with its checksum field
// zero).
func ipChecksum(hdr []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(hdr); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(hdr[i:]))
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

// Reset sends a RST (with ACK) from direction d at its next sequence
// number, ending the connection.
func (cn *Conn) Reset(d Dir) {
	h := &cn.halves[d]
	cn.emit(d, flagRST|flagACK, h.isn+1+uint32(h.sent), nil, h.sent)
	h.fin = true
}

// Reopen starts a new connection on the same endpoints (port reuse), with
// new initial sequence numbers, and emits its handshake. Messages queued
// afterwards belong to the new connection, which Stats counts separately.
func (cn *Conn) Reopen() *Conn {
	cfg := cn.cfg
	cfg.ClientISN = cn.halves[ClientToServer].isn + 1_000_003
	cfg.ServerISN = cn.halves[ServerToClient].isn + 2_000_003
	n := cn.capt.NewConn(cfg)
	n.Handshake()
	return n
}

// Drop removes the n-th packet from the end (1 is the last one), as if the
// capture had missed it: the bytes it carried become a gap, or, before
// anything else of its connection was captured, a mid-stream start.
func (c *Capture) Drop(n int) {
	i := len(c.packets) - n
	if n < 1 || i < 0 {
		panic(fmt.Sprintf("pcapgen: Drop(%d) of %d packets", n, len(c.packets)))
	}
	c.packets = slices.Delete(c.packets, i, i+1)
}
