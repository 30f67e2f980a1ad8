package capture

import (
	"encoding/binary"
	"errors"
	"io"
	"maps"
	"math"
	"net"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/reassembly"
)

// Reader decodes packets from a Source and drives reassembly.
//
// A Reader is used from one goroutine; only Stop may be called from others.
// If Run is called more than once, packet numbers, flow IDs and Stats carry
// on from the previous runs.
type Reader struct {
	h     Handler
	opts  Options
	first time.Time // timestamp of the first packet

	pool *reassembly.StreamPool
	asm  *reassembly.Assembler

	// Preallocated layers, shared by every parser: one packet is decoded
	// at a time.
	eth     layers.Ethernet
	dot1q   layers.Dot1Q
	sll     layers.LinuxSLL
	sll2    layers.LinuxSLL2
	loop    layers.Loopback
	ip4     layers.IPv4
	ip6     layers.IPv6
	ip6ext  layers.IPv6ExtensionSkipper
	ip6frag layers.IPv6Fragment
	tcp     tcpLayer
	udp     udpLayer
	decoded []gopacket.LayerType

	// One decoder per link type seen; raw IP uses rawIPv4 or rawIPv6.
	links            map[layers.LinkType]*linkDecoder
	lastLinkType     layers.LinkType
	lastLink         *linkDecoder
	rawIPv4, rawIPv6 *gopacket.DecodingLayerParser

	pkt      Packet             // the packet being processed
	netLayer gopacket.LayerType // its IP layer: LayerTypeIPv4 or LayerTypeIPv6

	// ctx carries the packet being assembled to the reassembly callbacks.
	// When the assembler keeps it (for an out-of-order segment), ctxKept is
	// set and the next packet gets a fresh context from ctxSlab.
	ctx     *packetContext
	ctxKept bool
	ctxSlab []packetContext

	// Pieces of the current TCP segment, see trimHeld.
	pieces  []piece
	pending []pendingSegment

	seg       Segment    // reused for every Data call
	held      heldEvents // what a flush delivers, until it is handed on in connection order
	now       time.Time  // latest packet timestamp
	nextFlush time.Time  // packet time of the next flush
	// now and nextFlush as advanceClock compares them, see clock.
	nowClock, flushClock clock
	nextID               uint64 // Flow.ID of the next connection

	stats Stats
	stop  atomic.Bool

	// IP defragmentation, made when the first fragment arrives; fragParsers
	// decode reassembled payloads, by their first layer.
	// Port reuse: Accept sets reused for a SYN that starts a new
	// connection on the ports of a known one; closeConn ends the old one
	// with synthetic RSTs (synth), which Accept places at the end of each
	// direction while forcing is set.
	reused  bool
	forcing bool
	// The open connections (open counts them), their activity clock, and
	// the candidates for eviction: see lru.go.
	streams  []*tcpStream
	open     int
	lruQueue []lruCandidate
	lruNext  int
	// holding counts the open connections whose segments the assembler
	// may hold back (tcpStream.mayHold); unknownConns is set when the
	// assembler may keep a connection that streams does not hold. See
	// flushMayAct.
	holding      int
	unknownConns bool
	skipped      int // flushes skipped, for tests

	// inAssemble is set while a packet is assembled: a gap reported then
	// was forced by the buffering limits, not by ReorderWait.
	inAssemble bool
	// inOrder is the stream whose Accept found the segment being
	// assembled in order (in the direction inOrderDir), until
	// ReassembledSG takes its payload.
	inOrder    *tcpStream
	inOrderDir Direction
	synth      layers.TCP
	synthHdr   [20]byte

	defrag      *defragmenter
	fragParsers map[gopacket.LayerType]*gopacket.DecodingLayerParser
	frag        fragment
	failed      error // why a Filter or Tap stopped Run
}

// linkDecoder decodes the packets of one link type.
type linkDecoder struct {
	parser      *gopacket.DecodingLayerParser // nil for raw IP and unsupported link types
	first       gopacket.LayerType            // the layer parser starts with
	raw         bool                          // raw IP: the parser depends on the IP version
	unsupported string                        // reason counted for an unsupported link type
}

// tcpLayer is a TCP layer after which decoding stops, so that an
// encapsulated packet can't overwrite the headers of the outer one.
type tcpLayer struct{ layers.TCP }

// NextLayerType ends decoding.
func (*tcpLayer) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

// udpLayer is a UDP layer after which decoding stops; see tcpLayer.
type udpLayer struct{ layers.UDP }

// NextLayerType ends decoding.
func (*udpLayer) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

// NewReader returns a Reader that hands what it decodes to h. A nil h
// ignores everything (the Reader still counts Stats).
func NewReader(h Handler, opts Options) *Reader {
	if h == nil {
		h = nopHandler{}
	}
	r := &Reader{
		h:       h,
		opts:    opts.withDefaults(),
		decoded: make([]gopacket.LayerType, 0, 16),
		links:   make(map[layers.LinkType]*linkDecoder),
		stats:   Stats{NotDecoded: make(map[string]uint64)},
	}
	r.pool = reassembly.NewStreamPool(streamFactory{r})
	r.asm = reassembly.NewAssembler(r.pool)
	r.asm.MaxBufferedPagesPerConnection = r.opts.MaxPagesPerConn
	r.asm.MaxBufferedPagesTotal = r.opts.MaxPagesTotal
	r.ctx = r.newContext()
	r.setNextFlush(time.Time{})
	r.nowClock = clockOf(r.now)
	r.rawIPv4 = r.newParser(layers.LayerTypeIPv4)
	r.rawIPv6 = r.newParser(layers.LayerTypeIPv6)
	return r
}

// newParser returns a parser that starts with first and knows every layer
// the Reader decodes.
func (r *Reader) newParser(first gopacket.LayerType) *gopacket.DecodingLayerParser {
	p := gopacket.NewDecodingLayerParser(first)
	p.SetDecodingLayerContainer(gopacket.DecodingLayerSparse(nil))
	// The extension skipper goes before the fragment layer, which takes
	// LayerTypeIPv6Fragment over from it.
	for _, d := range []gopacket.DecodingLayer{
		&r.eth, &r.dot1q, &r.sll, &r.sll2, &r.loop,
		&r.ip4, &r.ip6, &r.ip6ext, &r.ip6frag, &r.tcp, &r.udp,
	} {
		p.AddDecodingLayer(d)
	}
	p.IgnoreUnsupported = true
	return p
}

// decoderFor returns the preallocated layer that decodes t, or nil.
func (r *Reader) decoderFor(t gopacket.LayerType) gopacket.DecodingLayer {
	switch t {
	case layers.LayerTypeEthernet:
		return &r.eth
	case layers.LayerTypeDot1Q:
		return &r.dot1q
	case layers.LayerTypeLinuxSLL:
		return &r.sll
	case layers.LayerTypeLinuxSLL2:
		return &r.sll2
	case layers.LayerTypeLoopback:
		return &r.loop
	case layers.LayerTypeIPv4:
		return &r.ip4
	case layers.LayerTypeIPv6:
		return &r.ip6
	case layers.LayerTypeIPv6Fragment:
		return &r.ip6frag
	case layers.LayerTypeTCP:
		return &r.tcp
	case layers.LayerTypeUDP:
		return &r.udp
	}
	if layers.LayerClassIPv6Extension.Contains(t) {
		return &r.ip6ext
	}
	return nil
}

// linkDecoder returns the decoder for link type lt.
func (r *Reader) linkDecoder(lt layers.LinkType) *linkDecoder {
	if r.lastLink != nil && r.lastLinkType == lt {
		return r.lastLink
	}
	ld := r.links[lt]
	if ld == nil {
		ld = &linkDecoder{first: firstLayer(lt)}
		switch {
		case isRawIP(lt):
			ld.raw = true
		case ld.first != gopacket.LayerTypeZero:
			ld.parser = r.newParser(ld.first)
		default:
			ld.unsupported = unsupportedLinkType(lt)
		}
		r.links[lt] = ld
	}
	r.lastLinkType, r.lastLink = lt, ld
	return ld
}

// Run reads src to its end (or until Stop), decoding every packet, then
// flushes and closes every open stream (so every handler gets its last Data
// and Close). It returns nil at the end of the capture, or an error for a
// truncated (*TruncatedError) or corrupt file; even then, everything before
// the cut has been delivered and all streams were flushed and closed.
func (r *Reader) Run(src *Source) error {
	if src == nil {
		return errors.New("capture: Run called with a nil Source")
	}
	var err error
	var ci gopacket.CaptureInfo
	for !r.stop.Load() {
		data, lt, rerr := src.next(&ci)
		if rerr == errNoPacket {
			// A quiet live capture: time still passes.
			r.advanceClock(time.Now().Round(0))
			continue
		}
		if rerr != nil {
			if rerr != io.EOF {
				err = rerr
			}
			break
		}
		r.packet(data, &ci, lt)
	}
	if r.defrag != nil {
		r.defrag.flushAll()
	}
	r.flushInOrder(func() { r.asm.FlushAll() })
	if err == nil {
		err = r.failed
	}
	return err
}

// Stats returns what the Reader counted so far. It must not be called
// concurrently with Run, except from a handler callback.
func (r *Reader) Stats() Stats {
	s := r.stats
	s.NotDecoded = maps.Clone(r.stats.NotDecoded)
	return s
}

// FirstTime returns the timestamp of the first packet read, the zero time
// before any. Tools show packet times relative to it, as tshark does.
func (r *Reader) FirstTime() time.Time { return r.first }

// Stop makes Run return after the current packet (streams are still flushed
// and closed). It is safe to call from a handler callback or from another
// goroutine. A stopped Reader stays stopped.
func (r *Reader) Stop() {
	r.stop.Store(true)
}

// packet decodes one packet and hands it on. ci is a pointer (as in
// deliver, assemble and fragment) so that its 72 bytes are not copied at
// every call; none of them keeps it.
func (r *Reader) packet(data []byte, ci *gopacket.CaptureInfo, lt layers.LinkType) {
	r.stats.Packets++
	r.stats.Bytes += uint64(len(data))
	if r.stats.Packets == 1 {
		r.first = ci.Timestamp
	}
	if (r.opts.Filter != nil || r.opts.Tap != nil) && !r.filterAndTap(data, *ci, lt) {
		return
	}
	r.pkt = Packet{Number: r.stats.Packets, Time: ci.Timestamp}
	r.advanceClock(ci.Timestamp)
	// What deliver does with the TCP segment of an IP packet.
	if lt == layers.LinkTypeEthernet {
		if r.decodeEthernetTCP4(data) {
			r.stats.TCPPackets++
			r.assemble(layers.LayerTypeIPv4, ci)
			return
		}
		if netLayer := r.decodeEthernetTCPOther(data); netLayer != gopacket.LayerTypeZero {
			r.stats.TCPPackets++
			r.assemble(netLayer, ci)
			return
		}
	} else if lt == layers.LinkTypeLinuxSLL || lt == layers.LinkTypeLinuxSLL2 {
		if netLayer := r.decodeCookedTCP(data, lt); netLayer != gopacket.LayerTypeZero {
			r.stats.TCPPackets++
			r.assemble(netLayer, ci)
			return
		}
	}
	r.decodeOther(data, ci, lt)
}

// decodeOther decodes and hands on a packet that the fast paths
// (decodeEthernetTCP4, decodeEthernetTCPOther, decodeCookedTCP) did not
// decode. Out of packet, whose code stays short for the packets they do.
//
//go:noinline
func (r *Reader) decodeOther(data []byte, ci *gopacket.CaptureInfo, lt layers.LinkType) {
	ld := r.linkDecoder(lt)
	parser, first := ld.parser, ld.first
	if ld.raw {
		switch {
		case len(data) > 0 && data[0]>>4 == 4:
			parser, first = r.rawIPv4, layers.LayerTypeIPv4
		case len(data) > 0 && data[0]>>4 == 6:
			parser, first = r.rawIPv6, layers.LayerTypeIPv6
		default:
			r.notDecoded(reasonNotIP)
			return
		}
	}
	if parser == nil {
		r.notDecoded(ld.unsupported)
		return
	}

	netLayer, transport := gopacket.LayerTypeZero, gopacket.LayerTypeZero
	err := parser.DecodeLayers(data, &r.decoded)
	for _, t := range r.decoded {
		switch t {
		case layers.LayerTypeIPv4, layers.LayerTypeIPv6:
			netLayer = t // the innermost one, for IP in IP
		case layers.LayerTypeTCP, layers.LayerTypeUDP:
			transport = t
		}
	}
	if transport == gopacket.LayerTypeZero && netLayer != gopacket.LayerTypeZero && r.isFragment() {
		r.fragment(netLayer, ci)
		return
	}
	if !r.deliver(netLayer, transport, ci) {
		r.notDecoded(r.whyNotDecoded(data, first, err, netLayer))
	}
}

// decodeEthernetTCP4 decodes data, an Ethernet frame, when it carries an
// IPv4 packet (not a fragment) with a TCP segment: by far the most common
// packet, decoded here without the parser's loop and its calls through
// interfaces. It decodes with the same layers, and leaves them and
// r.decoded as parser.DecodeLayers would; for any other packet, or a
// decoding error, it returns false and the parser decodes data from the
// start.
//
// The Ethernet header, and an IPv4 header without options whose total
// length is set, are read here directly (what Ethernet.DecodeFromBytes
// and IPv4.DecodeFromBytes do with them, without their error handling; see
// ip4TCP); anything else about them goes to decodeEthernetTCP4Layers,
// which lets the layers decode it. TestDecodeEthernetTCP4 checks that both
// leave what the parser leaves.
func (r *Reader) decodeEthernetTCP4(data []byte) bool {
	if len(data) < 14+20 || data[12] != 0x08 || data[13] != 0x00 || data[14] != 0x45 || !r.ip4TCP(data[14:]) {
		return r.decodeEthernetTCP4Layers(data)
	}
	r.setEthernet(data, layers.EthernetTypeIPv4)
	r.decoded = append(r.decoded[:0], layers.LayerTypeEthernet, layers.LayerTypeIPv4, layers.LayerTypeTCP)
	return true
}

// setEthernet sets the Ethernet layer of data, a frame whose EtherType
// (at 12) is typ, as Ethernet.DecodeFromBytes would.
func (r *Reader) setEthernet(data []byte, typ layers.EthernetType) {
	e := &r.eth
	e.DstMAC = net.HardwareAddr(data[0:6])
	e.SrcMAC = net.HardwareAddr(data[6:12])
	e.EthernetType = typ
	e.Contents, e.Payload = data[:14], data[14:]
	e.Length = 0
}

// ip4TCP decodes ip, an IPv4 packet whose header is 20 bytes (its first
// byte is 0x45), into r.ip4 and r.tcp, as IPv4.DecodeFromBytes and
// TCP.DecodeFromBytes would, when it is not a fragment, carries TCP (see
// carriesTCP), and has a total length that holds both headers, the TCP
// header's options included (most captures have timestamps on every
// segment). It returns false otherwise, or when the TCP options do not
// decode, having maybe set some of the layers' fields: the caller's slower
// path decodes the packet again.
func (r *Reader) ip4TCP(ip []byte) bool {
	length := int(binary.BigEndian.Uint16(ip[2:4]))
	flagsFrags := binary.BigEndian.Uint16(ip[6:8])
	if flagsFrags&0x3fff != 0 || ip[9] != byte(layers.IPProtocolTCP) || length <= 20 {
		return false
	}
	if length < len(ip) {
		ip = ip[:length]
	}
	if len(ip) < 20+20 {
		return false
	}
	tcpLen := int(ip[20+12]>>4) * 4
	if tcpLen < 20 || 20+tcpLen > len(ip) {
		return false
	}

	i := &r.ip4
	i.Version, i.IHL = 4, 5
	i.TOS = ip[1]
	i.Length = uint16(length)
	i.Id = binary.BigEndian.Uint16(ip[4:6])
	i.Flags = layers.IPv4Flag(flagsFrags >> 13)
	i.FragOffset = 0
	i.TTL = ip[8]
	i.Protocol = layers.IPProtocolTCP
	i.Checksum = binary.BigEndian.Uint16(ip[10:12])
	i.SrcIP, i.DstIP = ip[12:16], ip[16:20]
	i.Options, i.Padding = i.Options[:0], nil
	i.Contents, i.Payload = ip[:20], ip[20:]

	if tcpLen == 20 {
		// A TCP header without options: DecodeFromBytes reads fixed
		// fields only, and cannot fail or panic.
		_ = r.tcp.DecodeFromBytes(i.Payload, gopacket.NilDecodeFeedback)
		return true
	}
	return r.decodeTCPOptions(i.Payload)
}

// ip6TCP is ip4TCP for an IPv6 packet that carries a TCP segment right
// after its fixed header (no extension header), with a payload length that
// covers at least the TCP header and fits in the frame: it sets r.ip6 as
// IPv6.DecodeFromBytes would.
func (r *Reader) ip6TCP(ip []byte) bool {
	if len(ip) < 40+20 || ip[0]>>4 != 6 || ip[6] != byte(layers.IPProtocolTCP) {
		return false
	}
	length := int(binary.BigEndian.Uint16(ip[4:6]))
	if length < 20 || 40+length > len(ip) {
		return false
	}
	payload := ip[40 : 40+length]
	tcpLen := int(payload[12]>>4) * 4
	if tcpLen < 20 || tcpLen > len(payload) {
		return false
	}

	i := &r.ip6
	i.Version = 6
	i.TrafficClass = uint8(binary.BigEndian.Uint16(ip[0:2]) >> 4)
	i.FlowLabel = binary.BigEndian.Uint32(ip[0:4]) & 0x000fffff
	i.Length = uint16(length)
	i.NextHeader = layers.IPProtocolTCP
	i.HopLimit = ip[7]
	i.SrcIP, i.DstIP = ip[8:24], ip[24:40]
	i.HopByHop = nil
	i.Contents, i.Payload = ip[:40], payload

	if tcpLen == 20 {
		_ = r.tcp.DecodeFromBytes(payload, gopacket.NilDecodeFeedback) // fixed fields only, as in ip4TCP
		return true
	}
	return r.decodeTCPOptions(payload)
}

// ipTCP decodes ip, the payload of a link header whose EtherType is typ,
// with ip4TCP (an IPv4 header of 20 bytes) or ip6TCP, and returns its IP
// layer, or LayerTypeZero when neither takes it.
func (r *Reader) ipTCP(typ layers.EthernetType, ip []byte) gopacket.LayerType {
	switch {
	case typ == layers.EthernetTypeIPv4 && len(ip) >= 20 && ip[0] == 0x45 && r.ip4TCP(ip):
		return layers.LayerTypeIPv4
	case typ == layers.EthernetTypeIPv6 && r.ip6TCP(ip):
		return layers.LayerTypeIPv6
	}
	return gopacket.LayerTypeZero
}

// decodeEthernetTCPOther is decodeEthernetTCP4 for the other common TCP
// packets on Ethernet: IPv6 (see ip6TCP), and IPv4 or IPv6 behind one
// 802.1Q VLAN tag, read as Dot1Q.DecodeFromBytes would. It returns the IP
// layer, or LayerTypeZero for any other packet, having decoded nothing
// the parser will not decode again. Out of packet, whose code stays short
// for IPv4.
//
//go:noinline
func (r *Reader) decodeEthernetTCPOther(data []byte) gopacket.LayerType {
	if len(data) < 14+4 {
		return gopacket.LayerTypeZero
	}
	switch layers.EthernetType(binary.BigEndian.Uint16(data[12:14])) {
	case layers.EthernetTypeIPv6:
		if r.ipTCP(layers.EthernetTypeIPv6, data[14:]) == gopacket.LayerTypeZero {
			return gopacket.LayerTypeZero
		}
		r.setEthernet(data, layers.EthernetTypeIPv6)
		r.decoded = append(r.decoded[:0], layers.LayerTypeEthernet, layers.LayerTypeIPv6, layers.LayerTypeTCP)
		return layers.LayerTypeIPv6
	case layers.EthernetTypeDot1Q:
		tag, ip := data[14:18], data[18:]
		typ := layers.EthernetType(binary.BigEndian.Uint16(tag[2:4]))
		netLayer := r.ipTCP(typ, ip)
		if netLayer == gopacket.LayerTypeZero {
			return gopacket.LayerTypeZero
		}
		d := &r.dot1q
		d.Priority = tag[0] >> 5
		d.DropEligible = tag[0]&0x10 != 0
		d.VLANIdentifier = binary.BigEndian.Uint16(tag[0:2]) & 0x0fff
		d.Type = typ
		d.Contents, d.Payload = tag, ip
		r.setEthernet(data, layers.EthernetTypeDot1Q)
		r.decoded = append(r.decoded[:0], layers.LayerTypeEthernet, layers.LayerTypeDot1Q, netLayer, layers.LayerTypeTCP)
		return netLayer
	}
	return gopacket.LayerTypeZero
}

// decodeCookedTCP is decodeEthernetTCPOther for Linux cooked captures
// (link types LINUX_SLL and LINUX_SLL2, what `-i any` records): IPv4 and
// IPv6 TCP packets after the header, read as LinuxSLL.DecodeFromBytes and
// LinuxSLL2.DecodeFromBytes would.
//
//go:noinline
func (r *Reader) decodeCookedTCP(data []byte, lt layers.LinkType) gopacket.LayerType {
	var typ layers.EthernetType
	var ip []byte
	first := layers.LayerTypeLinuxSLL
	if lt == layers.LinkTypeLinuxSLL {
		if len(data) < 16 || binary.BigEndian.Uint16(data[4:6]) > 8 {
			return gopacket.LayerTypeZero
		}
		typ, ip = layers.EthernetType(binary.BigEndian.Uint16(data[14:16])), data[16:]
	} else {
		if len(data) < 20 || data[11] > 8 {
			return gopacket.LayerTypeZero
		}
		typ, ip, first = layers.EthernetType(binary.BigEndian.Uint16(data[0:2])), data[20:], layers.LayerTypeLinuxSLL2
	}
	netLayer := r.ipTCP(typ, ip)
	if netLayer == gopacket.LayerTypeZero {
		return gopacket.LayerTypeZero
	}
	if lt == layers.LinkTypeLinuxSLL {
		s := &r.sll
		s.PacketType = layers.LinuxSLLPacketType(binary.BigEndian.Uint16(data[0:2]))
		s.AddrType = binary.BigEndian.Uint16(data[2:4])
		s.AddrLen = binary.BigEndian.Uint16(data[4:6])
		s.Addr = net.HardwareAddr(data[6 : 6+int(s.AddrLen)])
		s.EthernetType = typ
		s.Contents, s.Payload = data[:16], data[16:]
	} else {
		s := &r.sll2
		s.ProtocolType = typ
		s.InterfaceIndex = binary.BigEndian.Uint32(data[4:8])
		s.ARPHardwareType = layers.ARPHardwareType(binary.BigEndian.Uint16(data[8:10]))
		s.PacketType = layers.LinuxSLL2PacketType(data[10])
		s.AddrLength = data[11]
		s.Addr = data[12:20][:s.AddrLength]
		s.Contents, s.Payload = data[:20], data[20:]
	}
	r.decoded = append(r.decoded[:0], first, netLayer, layers.LayerTypeTCP)
	return netLayer
}

// decodeTCPOptions decodes b, a TCP header with options and its payload,
// and reports whether it decoded without an error or a panic (the options
// are read by gopacket's TCP layer, whose panics the parser would turn
// into an error too); when it did not, the packet is decoded again by the
// layers (decodeEthernetTCP4Layers) or the parser. Out of the fast paths,
// whose code stays short.
//
//go:noinline
func (r *Reader) decodeTCPOptions(b []byte) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return r.tcp.DecodeFromBytes(b, gopacket.NilDecodeFeedback) == nil
}

// decodeEthernetTCP4Layers is decodeEthernetTCP4 for the packets it does
// not read itself (IPv4 options, a TCP header with options, anything
// odd): the layers decode them, as the parser would. Out of
// decodeEthernetTCP4, whose code stays short.
//
//go:noinline
func (r *Reader) decodeEthernetTCP4Layers(data []byte) (ok bool) {
	if len(data) < 14 || data[12] != 0x08 || data[13] != 0x00 {
		return false // not IPv4 (EtherType 0x0800)
	}
	defer func() {
		// The parser turns a panic of a layer into an error: let it
		// decode such a packet.
		if recover() != nil {
			ok = false
		}
	}()
	nf := gopacket.NilDecodeFeedback
	if r.eth.DecodeFromBytes(data, nf) != nil || r.eth.EthernetType != layers.EthernetTypeIPv4 || len(r.eth.Payload) == 0 {
		return false
	}
	if r.ip4.DecodeFromBytes(r.eth.Payload, nf) != nil || !carriesTCP(&r.ip4) || len(r.ip4.Payload) == 0 {
		return false
	}
	if r.tcp.DecodeFromBytes(r.ip4.Payload, nf) != nil {
		return false
	}
	r.decoded = append(r.decoded[:0], layers.LayerTypeEthernet, layers.LayerTypeIPv4, layers.LayerTypeTCP)
	return true
}

// carriesTCP reports whether ip.NextLayerType() is LayerTypeTCP, the
// layer the parser would decode next: when ip is not a fragment (no
// more-fragments flag, offset 0) and carries protocol 6. Testing that
// directly spares NextLayerType's lookups in two global tables of
// gopacket (IPProtocolMetadata, the IPv6 extension class), which are
// often cache misses. TestCarriesTCP checks that they agree.
func carriesTCP(ip *layers.IPv4) bool {
	return ip.Flags&layers.IPv4MoreFragments == 0 && ip.FragOffset == 0 && ip.Protocol == layers.IPProtocolTCP
}

// deliver hands on the TCP segment or UDP datagram just decoded, whose IP
// layer is netLayer. It returns false when there is none.
func (r *Reader) deliver(netLayer, transport gopacket.LayerType, ci *gopacket.CaptureInfo) bool {
	switch transport {
	case layers.LayerTypeTCP:
		r.stats.TCPPackets++
		r.assemble(netLayer, ci)
	case layers.LayerTypeUDP:
		r.stats.UDPPackets++
		if len(r.udp.Payload) == 0 {
			r.notDecoded(reasonEmptyUDP)
			return true
		}
		src, dst := r.endpoints(netLayer, uint16(r.udp.SrcPort), uint16(r.udp.DstPort))
		r.h.Datagram(src, dst, r.udp.Payload, r.pkt)
	default:
		return false
	}
	return true
}

// whyNotDecoded explains why a packet had no TCP or UDP layer, given the
// decoding error and the IP layer found, if any.
func (r *Reader) whyNotDecoded(data []byte, first gopacket.LayerType, err error, netLayer gopacket.LayerType) string {
	// The layer that was next to decode, and its bytes.
	next, rest := first, data
	if n := len(r.decoded); n > 0 {
		if d := r.decoderFor(r.decoded[n-1]); d != nil {
			next, rest = d.NextLayerType(), d.LayerPayload()
		}
	}
	info, known := layerInfos[next]
	switch {
	case err != nil && known:
		if len(rest) < info.minLen {
			return info.truncated
		}
		return info.malformed
	case err == nil && known:
		// Decoding stopped only because no bytes were left.
		return info.truncated
	case next == gopacket.LayerTypeFragment:
		return reasonFragment
	case netLayer == gopacket.LayerTypeZero:
		return reasonNotIP
	}
	return reasonNoTransport
}

// notDecoded counts a packet that is not handed on.
func (r *Reader) notDecoded(reason string) {
	r.stats.NotDecoded[reason]++
}

// endpoints returns the source and destination of the packet being
// processed, whose IP layer is netLayer.
func (r *Reader) endpoints(netLayer gopacket.LayerType, srcPort, dstPort uint16) (src, dst Endpoint) {
	var s, d netip.Addr
	if netLayer == layers.LayerTypeIPv4 {
		s, _ = netip.AddrFromSlice(r.ip4.SrcIP)
		d, _ = netip.AddrFromSlice(r.ip4.DstIP)
	} else {
		s, _ = netip.AddrFromSlice(r.ip6.SrcIP)
		d, _ = netip.AddrFromSlice(r.ip6.DstIP)
	}
	return Endpoint{Addr: s, Port: srcPort}, Endpoint{Addr: d, Port: dstPort}
}

// assemble hands the TCP segment of the packet being processed to the
// assembler.
func (r *Reader) assemble(netLayer gopacket.LayerType, ci *gopacket.CaptureInfo) {
	var flow gopacket.Flow
	if netLayer == layers.LayerTypeIPv4 {
		flow = r.ip4.NetworkFlow()
	} else {
		flow = r.ip6.NetworkFlow()
	}
	r.netLayer = netLayer
	tcp := &r.tcp.TCP
	if tcp.SYN && (tcp.FIN || tcp.RST) {
		// Invalid: stacks drop such segments. Don't let the flag end the
		// direction before it starts, which would lose all its data.
		tcp.FIN, tcp.RST = false, false
	}
	// The packet number travels in InterfaceIndex, so that
	// ScatterGather.CaptureInfo tells which packet carried a byte. The
	// fields are stored one by one rather than as a whole CaptureInfo
	// (built, then copied with write barriers): the one left,
	// AncillaryData, is nil in every context, which newContext takes
	// zeroed from its slab and which only this sets.
	c := &r.ctx.ci
	c.Timestamp = ci.Timestamp
	c.CaptureLength, c.Length = ci.CaptureLength, ci.Length
	c.InterfaceIndex = int(r.pkt.Number)
	r.inAssemble = true
	r.asm.AssembleWithContext(flow, tcp, r.ctx)
	r.inOrder = nil // when the assembler did not deliver what Accept expected
	if r.reused {
		r.reopen(flow, tcp)
	}
	// The other new pieces of a segment that overlaps data the assembler
	// holds. Assembling them may add more pieces.
	for i := 0; i < len(r.pending); i++ {
		p := r.pending[i]
		tcp.Seq, tcp.Payload, tcp.FIN = p.seq, p.payload, p.fin
		r.asm.AssembleWithContext(flow, tcp, r.ctx)
	}
	r.pending = r.pending[:0]
	r.inAssemble, r.inOrder = false, nil
	for r.open > r.opts.MaxConnections {
		r.evictIdlest()
	}
	if r.ctxKept {
		r.ctx = r.newContext()
		r.ctxKept = false
	}
}

// reopen starts a new connection on the ports of one the assembler knows,
// whose SYN tcp is: it ends the old one, then assembles the SYN again,
// which opens the new one. Out of assemble, whose code stays short.
//
//go:noinline
func (r *Reader) reopen(flow gopacket.Flow, tcp *layers.TCP) {
	r.reused = false
	r.closeConn(flow, uint16(tcp.SrcPort), uint16(tcp.DstPort))
	r.stats.Reused++
	r.asm.AssembleWithContext(flow, tcp, r.ctx)
}

// closeConn ends the connection of flow and ports sport→dport in the
// assembler, with a RST in each direction. Bytes it still holds back after
// a hole are dropped: the connection is over.
func (r *Reader) closeConn(flow gopacket.Flow, sport, dport uint16) {
	r.forcing = true
	for i, f := range [2]gopacket.Flow{flow, flow.Reverse()} {
		src, dst := sport, dport
		if i == 1 {
			src, dst = dst, src
		}
		// Decoded from bytes, so that TransportFlow knows the ports.
		h := &r.synthHdr
		*h = [20]byte{12: 5 << 4, 13: 0x04} // data offset 5, RST
		binary.BigEndian.PutUint16(h[0:], src)
		binary.BigEndian.PutUint16(h[2:], dst)
		if err := r.synth.DecodeFromBytes(h[:], gopacket.NilDecodeFeedback); err == nil {
			r.asm.AssembleWithContext(f, &r.synth, r.ctx)
		}
	}
	r.forcing = false
}

// newContext returns an unused packet context. Contexts are allocated in
// small batches: only packets that arrive out of order need their own.
func (r *Reader) newContext() *packetContext {
	if len(r.ctxSlab) == 0 {
		r.ctxSlab = make([]packetContext, 64)
	}
	c := &r.ctxSlab[0]
	r.ctxSlab = r.ctxSlab[1:]
	return c
}

// advanceClock moves the Reader's packet-time clock to ts and, every
// FlushInterval, flushes segments that waited longer than ReorderWait and
// closes connections idle for longer than IdleTimeout.
//
// It runs for every packet: it compares times as clockOf's counts, in a
// few instructions, rather than with Before and After, which are not
// inlined. Its times carry no monotonic clock reading, with which Before
// would compare otherwise: packet times are made by time.Unix, and Run
// strips the reading of time.Now.
func (r *Reader) advanceClock(ts time.Time) {
	c := clockOf(ts)
	if r.nowClock.before(c) {
		r.now, r.nowClock = ts, c
	}
	if r.nowClock.before(r.flushClock) {
		return
	}
	r.flush()
}

// flush is advanceClock when the time of the next flush is reached (or
// not set yet).
//
//go:noinline
func (r *Reader) flush() {
	if r.nextFlush.IsZero() {
		r.setNextFlush(r.now.Add(r.opts.FlushInterval))
		return
	}
	if r.defrag != nil {
		r.defrag.expire(r.now.Add(-r.opts.FragTimeout))
	}
	opts := reassembly.FlushOptions{
		T:  r.now.Add(-r.opts.ReorderWait),
		TC: r.now.Add(-r.opts.IdleTimeout),
	}
	if r.flushMayAct(opts.TC) {
		r.flushInOrder(func() { r.asm.FlushWithOptions(opts) })
	} else {
		r.skipped++
	}
	r.setNextFlush(r.now.Add(r.opts.FlushInterval))
}

// flushMayAct reports whether the assembler's flush with these options
// (tc: connections idle since before it close) could do anything. The
// flush visits every connection, under its lock, and copies the list
// first: with a SYN flood's 262,144 connections open, that took half of
// the run. It only delivers or drops segments held back, and closes (and
// forgets) connections whose last packet came before tc. So it can be
// skipped, with the same result, when no open connection may have
// segments held back (none had a segment beyond its next expected byte:
// holding), every connection the assembler keeps is one of streams, and
// each had a packet at tc or after (a connection's last packet, last, is
// one the assembler counted, and the assembler keeps the latest time).
func (r *Reader) flushMayAct(tc time.Time) bool {
	if r.holding > 0 || r.unknownConns {
		return true
	}
	c := clockOf(tc)
	for _, s := range r.streams {
		if clockOf(s.last.Time).before(c) {
			return true
		}
	}
	return false
}

// setNextFlush sets the time of the next flush. The zero time, for
// none, is before every time, so that advanceClock calls flush, which
// sets it.
func (r *Reader) setNextFlush(t time.Time) {
	r.nextFlush = t
	r.flushClock = clockOf(t)
	if t.IsZero() {
		r.flushClock = clock{sec: math.MinInt64}
	}
}

// clock is a time without a monotonic clock reading, as time.Time keeps
// it: seconds from year 1, and nanoseconds. Before compares those.
type clock struct {
	sec  int64
	nsec int
}

// clockOf returns the clock of t. Unix is t's own count of seconds (from
// year 1) moved by a constant, wrapping around as that count would:
// moving it back gives the count, whatever the time.
func clockOf(t time.Time) clock {
	const unixToInternal = (1969*365 + 1969/4 - 1969/100 + 1969/400) * 24 * 60 * 60
	return clock{t.Unix() + unixToInternal, t.Nanosecond()}
}

// before reports whether c is before d, as Before does for their times.
func (c clock) before(d clock) bool {
	return c.sec < d.sec || c.sec == d.sec && c.nsec < d.nsec
}

// nopHandler ignores everything.
type nopHandler struct{}

func (nopHandler) OpenStream(Flow, Packet) StreamHandler       { return nil }
func (nopHandler) Datagram(Endpoint, Endpoint, []byte, Packet) {}
