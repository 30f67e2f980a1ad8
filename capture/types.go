package capture

import (
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/reassembly"
)

// Transport is the IP protocol number of a flow's transport.
type Transport uint8

// Transports handled by the package.
const (
	TCP Transport = 6
	UDP Transport = 17
)

// String returns "tcp" or "udp", or "ip-proto-N" for any other value.
func (t Transport) String() string {
	switch t {
	case TCP:
		return "tcp"
	case UDP:
		return "udp"
	}
	return "ip-proto-" + itoa(uint64(t))
}

// Endpoint is one side of a flow.
type Endpoint struct {
	Addr netip.Addr
	Port uint16
}

// String formats the endpoint as "1.2.3.4:80" or "[2001:db8::1]:80".
func (e Endpoint) String() string {
	return netip.AddrPortFrom(e.Addr, e.Port).String()
}

// Packet identifies one captured packet.
type Packet struct {
	Number uint64    // 1-based position in the capture, like tshark's frame.number
	Time   time.Time // capture timestamp
}

// Direction says which side of a connection sent some bytes.
type Direction uint8

// The two directions of a connection.
const (
	FromInitiator Direction = 0 // sent by Flow.Initiator
	FromResponder Direction = 1 // sent by Flow.Responder
)

// String returns "initiator" or "responder".
func (d Direction) String() string {
	if d == FromInitiator {
		return "initiator"
	}
	return "responder"
}

// Flow describes one TCP connection.
type Flow struct {
	ID        uint64 // 0-based connection index in order of first packet, like tshark's tcp.stream
	Transport Transport
	Initiator Endpoint // the side that sent the SYN; when no SYN was captured, the sender of the first packet seen with a SYN or payload (if that first packet is a SYN-ACK, its destination)
	Responder Endpoint
	SawSYN    bool // true when the roles are known from the handshake
}

// Segment is a run of in-order bytes from one direction of a connection.
// It is valid only during the Data call that delivers it.
type Segment struct {
	Bytes     []byte
	Midstream bool // first bytes of a direction whose start (SYN) was not captured: Bytes[0] may be in the middle of a message

	// sg is the reassembled data being delivered; it knows which packet
	// carried each byte. When sg is nil, every byte came from pkt.
	sg  reassembly.ScatterGather
	pkt Packet
	// probed: sg was checked for a single chunk, which then became pkt
	// (sg set to nil): a lookup in sg walks its chunks.
	probed bool
	// runs, when not nil, replaces sg: the bytes were copied (see
	// flushInOrder).
	runs []PacketRun
}

// PacketAt returns the packet that carried Bytes[off]. off must be in
// [0, len(Bytes)); out of range returns the nearest valid packet.
func (s *Segment) PacketAt(off int) Packet {
	if s.sg == nil && s.runs == nil {
		// Every byte came from pkt: in-order data, the common case,
		// answered inline (PacketAt is small enough for the compiler to
		// inline into its callers).
		return s.pkt
	}
	return s.packetAt(off)
}

// OnePacket returns the packet that carried every byte of s, when it is
// known at once that one did (in-order data, the common case); otherwise
// ok is false, and PacketAt tells.
func (s *Segment) OnePacket() (p Packet, ok bool) {
	if s.sg == nil && s.runs == nil {
		return s.pkt, true
	}
	return Packet{}, false
}

// packetAt is PacketAt when the bytes may come from several packets.
func (s *Segment) packetAt(off int) Packet {
	if s.runs != nil {
		// The last run starting at or before off.
		lo, hi := 0, len(s.runs)
		for hi-lo > 1 {
			m := int(uint(lo+hi) >> 1)
			if s.runs[m].Start <= off {
				lo = m
			} else {
				hi = m
			}
		}
		return s.runs[lo].Packet
	}
	if s.sg != nil && !s.probed {
		s.probed = true
		if s.sg.Stats().Chunks <= 1 {
			s.pkt, s.sg = packetOf(s.sg.CaptureInfo(0)), nil
		}
	}
	if s.sg == nil {
		return s.pkt
	}
	if off >= len(s.Bytes) {
		off = len(s.Bytes) - 1
	}
	if off < 0 {
		off = 0
	}
	return packetOf(s.sg.CaptureInfo(off))
}

// PacketRun says that the bytes of a Segment from Start on, up to the next
// run's Start, came from Packet.
type PacketRun struct {
	Start  int
	Packet Packet
}

// AppendRuns appends to dst the packets that carried s.Bytes, as runs in
// byte order, so that the mapping of PacketAt outlives the Segment: the
// first run starts at 0, and PacketAt(off) is the Packet of the last run
// starting at or before off. Bytes reassembled from several packets (after
// out-of-order arrival) cost one lookup per byte; the common case of one
// packet costs one.
func (s *Segment) AppendRuns(dst []PacketRun) []PacketRun {
	if s.runs != nil {
		return append(dst, s.runs...)
	}
	// PacketAt(0) probes sg once: one chunk leaves sg nil.
	first := s.PacketAt(0)
	if s.sg == nil || len(s.Bytes) == 0 {
		return append(dst, PacketRun{0, first})
	}
	dst = append(dst, PacketRun{0, first})
	for off := 1; off < len(s.Bytes); off++ {
		if p := s.PacketAt(off); dst[len(dst)-1].Packet != p {
			dst = append(dst, PacketRun{off, p})
		}
	}
	return dst
}

// StreamHandler receives the bytes of one TCP connection.
type StreamHandler interface {
	// Data delivers the next in-order bytes of dir.
	Data(dir Direction, seg *Segment)
	// Gap reports missing bytes (never captured) before the next Data of
	// dir; at is the packet that resumed the stream.
	Gap(dir Direction, missing int, at Packet)
	// Close is called once, when the connection ends (FIN/RST both ways,
	// idle timeout, or end of input); at is the last packet seen.
	Close(at Packet)
}

// Handler receives everything the Reader decodes.
type Handler interface {
	// OpenStream is called once per TCP connection; it may return nil to
	// ignore the connection.
	OpenStream(flow Flow, first Packet) StreamHandler
	// Datagram is called for each UDP datagram with a non-empty payload;
	// payload is valid only during the call.
	Datagram(src, dst Endpoint, payload []byte, pkt Packet)
}

// Options tune reassembly; the zero value means the defaults.
type Options struct {
	ReorderWait     time.Duration // how long (packet time) to wait for a missing segment before declaring a gap; default 2s
	IdleTimeout     time.Duration // close connections idle for this long (packet time); default 5m
	FlushInterval   time.Duration // how often (packet time) to check the two above; default 1s
	MaxPagesPerConn int           // reassembly.AssemblerOptions.MaxBufferedPagesPerConnection; default 4096
	MaxPagesTotal   int           // reassembly.AssemblerOptions.MaxBufferedPagesTotal; default 65536
	MaxFragments    int           // IP fragments kept per datagram being reassembled; default 64
	MaxFragBytes    int           // bytes held by all IP datagrams being reassembled; default 4 MiB
	FragTimeout     time.Duration // packet time from a datagram's first fragment to its last; default 30s
	MaxConnections  int           // TCP connections open at once; past it the least recently active is ended (Stats.Evicted); default 262144

	// Filter, when set, drops the packets it does not match before they
	// are decoded (they are counted in Stats.Filtered); see NewFilter.
	Filter *Filter
	// Tap, when set, sees every packet that passes Filter, before it is
	// decoded: dissect uses it to save packets (-w) and show progress. An
	// error stops Run, which returns it.
	Tap func(data []byte, ci gopacket.CaptureInfo, lt layers.LinkType) error
}

// Default option values, used for zero (or negative) fields of Options.
const (
	DefaultReorderWait     = 2 * time.Second
	DefaultIdleTimeout     = 5 * time.Minute
	DefaultFlushInterval   = time.Second
	DefaultMaxPagesPerConn = 4096
	DefaultMaxPagesTotal   = 65536
	DefaultMaxFragments    = 64
	DefaultMaxFragBytes    = 4 << 20
	DefaultFragTimeout     = 30 * time.Second
	DefaultMaxConnections  = 262144
)

// withDefaults returns o with every unset field set to its default.
func (o Options) withDefaults() Options {
	if o.ReorderWait <= 0 {
		o.ReorderWait = DefaultReorderWait
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.FlushInterval <= 0 {
		o.FlushInterval = DefaultFlushInterval
	}
	if o.MaxPagesPerConn <= 0 {
		o.MaxPagesPerConn = DefaultMaxPagesPerConn
	}
	if o.MaxPagesTotal <= 0 {
		o.MaxPagesTotal = DefaultMaxPagesTotal
	}
	if o.MaxFragments <= 0 {
		o.MaxFragments = DefaultMaxFragments
	}
	if o.MaxFragBytes <= 0 {
		o.MaxFragBytes = DefaultMaxFragBytes
	}
	if o.FragTimeout <= 0 {
		o.FragTimeout = DefaultFragTimeout
	}
	if o.MaxConnections <= 0 {
		o.MaxConnections = DefaultMaxConnections
	}
	return o
}

// Stats counts what a Reader saw.
//
// NotDecoded counts, by reason, the packets that were not handed on:
// "unsupported link type N (name)", "not IP", "no transport" (IP without
// TCP or UDP), "empty UDP payload", "truncated X header" or "malformed X
// header" where X is the layer that could not be decoded (e.g. "IPv4",
// "TCP"), and, for IP fragments whose datagram could not be reassembled,
// one of the "IP fragment: ..." reasons (timeout, end of capture, too many
// fragments, memory limit, inconsistent, IPv6 overlap, snap length). A UDP
// datagram with an empty payload is counted both in UDPPackets and in
// NotDecoded.
//
// A reassembled datagram counts as one packet in TCPPackets or UDPPackets
// (or NotDecoded); its fragments count in Fragments and
// FragmentsReassembled. So Packets == TCPPackets + UDPPackets +
// sum(NotDecoded) - (empty UDP payloads) + FragmentsReassembled -
// Reassembled.
type Stats struct {
	Packets    uint64            // packets read
	Filtered   uint64            // packets read but dropped by Options.Filter (not decoded)
	Bytes      uint64            // captured bytes read
	TCPPackets uint64            // packets with a decoded TCP header
	UDPPackets uint64            // packets with a decoded UDP header
	NotDecoded map[string]uint64 // packets not handed on, by reason
	Streams    uint64            // TCP connections opened
	Gaps       uint64            // gaps reported
	GapBytes   uint64            // bytes missing in those gaps

	// Gaps forced by MaxPagesPerConn or MaxPagesTotal, before ReorderWait:
	// the missing bytes might still have come (also counted in Gaps).
	GapsOverLimit     uint64
	GapOverLimitBytes uint64

	Fragments            uint64 // IP fragment packets read
	FragmentsReassembled uint64 // fragments that went into a reassembled datagram
	Reassembled          uint64 // IP datagrams reassembled from fragments
	Reused               uint64 // connections ended by a new SYN on their ports (port reuse)
	Evicted              uint64 // connections ended early because more than MaxConnections were open
	FragOverlaps         uint64 // fragments that overlapped bytes already received with other bytes (IPv4: first copy kept; IPv6: datagram dropped)
	FragDuplicates       uint64 // exact duplicates of fragments received, dropped (also in NotDecoded)
}

// itoa formats n in decimal without fmt.
func itoa(n uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return string(b[i:])
}
