package pcapgen

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Dir is a direction of a TCP connection.
type Dir uint8

// Directions of a Conn.
const (
	ClientToServer Dir = iota
	ServerToClient
)

// String returns "client->server" or "server->client".
func (d Dir) String() string {
	if d == ServerToClient {
		return "server->client"
	}
	return "client->server"
}

// Reverse returns the opposite direction.
func (d Dir) Reverse() Dir { return 1 - d }

// Endpoint is one side of a TCP connection.
type Endpoint struct {
	// MAC is the Ethernet address; when nil, a locally administered address
	// is derived from Addr.
	MAC  net.HardwareAddr
	Addr netip.Addr
	Port uint16
}

// VLAN is one 802.1Q (or 802.1ad) tag.
type VLAN struct {
	ID       uint16 // VLAN identifier, 0..4094
	Priority uint8  // priority code point, 0..7
	// TPID is the EtherType announcing this tag: 0 means
	// layers.EthernetTypeDot1Q (0x8100); use layers.EthernetTypeQinQ
	// (0x88a8) for an 802.1ad service tag.
	TPID layers.EthernetType
}

// ConnConfig describes a TCP connection to create with Capture.NewConn.
type ConnConfig struct {
	Client, Server Endpoint // both IPv4 or both IPv6
	// VLANs are the tags of every frame of the connection, outermost first.
	VLANs []VLAN
	// ClientISN and ServerISN are the initial sequence numbers; 0 means a
	// random one.
	ClientISN, ServerISN uint32
	// Window is the advertised TCP window; 0 means 64240.
	Window uint16
	// Timestamps adds the TCP timestamp option to every segment, as Linux
	// does: a value counting the direction's segments, and an echo of
	// the other direction's last.
	Timestamps bool
}

// Conn is a TCP connection of a Capture. It tracks the sequence number of
// each direction: stream offset 0 of a direction is the byte that follows
// its initial sequence number (the SYN's sequence number when a handshake is
// emitted), and every emitted segment carries the current cumulative
// acknowledgement of the other direction.
//
// Methods panic when given an invalid Plan; a Conn is not safe for
// concurrent use.
type Conn struct {
	capt   *Capture
	cfg    ConnConfig
	halves [2]half
	synced bool // the handshake (or the first data segment) has been sent
}

// half is the state of one direction of a Conn.
type half struct {
	src, dst Endpoint
	isn      uint32
	sent     int  // stream bytes emitted so far (offset of the next new byte)
	fin      bool // a FIN has been emitted
	ipID     uint16
	tsval    uint32 // the timestamp option's value of the last segment (ConnConfig.Timestamps)
	pending  []byte
	msgs     []message // messages in pending, offsets relative to the stream
}

// NewConn adds a connection to the capture. It panics if the configuration
// is invalid (addresses missing or of different families, a zero port, a
// VLAN identifier above 4094, a MAC address that is not 6 bytes long).
func (c *Capture) NewConn(cfg ConnConfig) *Conn {
	if err := cfg.check(); err != nil {
		panic("pcapgen: NewConn: " + err.Error())
	}
	if cfg.Window == 0 {
		cfg.Window = 64240
	}
	for _, e := range []*Endpoint{&cfg.Client, &cfg.Server} {
		if e.MAC == nil {
			e.MAC = macFor(e.Addr)
		}
	}
	if cfg.ClientISN == 0 {
		cfg.ClientISN = c.rng.Uint32()
	}
	if cfg.ServerISN == 0 {
		cfg.ServerISN = c.rng.Uint32()
	}
	conn := &Conn{capt: c, cfg: cfg}
	conn.halves[ClientToServer] = half{src: cfg.Client, dst: cfg.Server, isn: cfg.ClientISN, ipID: uint16(c.rng.Uint32())}
	conn.halves[ServerToClient] = half{src: cfg.Server, dst: cfg.Client, isn: cfg.ServerISN, ipID: uint16(c.rng.Uint32())}
	c.conns = append(c.conns, conn)
	return conn
}

func (cfg *ConnConfig) check() error {
	cl, sv := cfg.Client.Addr, cfg.Server.Addr
	switch {
	case !cl.IsValid() || !sv.IsValid():
		return fmt.Errorf("client %v or server %v address missing", cl, sv)
	case cl.Is4() != sv.Is4() || cl.Is4In6() || sv.Is4In6():
		return fmt.Errorf("client %v and server %v are not of the same family", cl, sv)
	case cfg.Client.Port == 0 || cfg.Server.Port == 0:
		return fmt.Errorf("zero port")
	}
	for _, e := range []Endpoint{cfg.Client, cfg.Server} {
		if e.MAC != nil && len(e.MAC) != 6 {
			return fmt.Errorf("MAC %v is not 6 bytes long", e.MAC)
		}
	}
	for _, v := range cfg.VLANs {
		if v.ID > 4094 || v.Priority > 7 {
			return fmt.Errorf("invalid VLAN tag %+v", v)
		}
	}
	return nil
}

// macFor derives a locally administered unicast MAC address from the last
// four bytes of an IP address.
func macFor(a netip.Addr) net.HardwareAddr {
	b := a.AsSlice()
	b = b[len(b)-4:]
	return net.HardwareAddr{0x02, 0x00, b[0], b[1], b[2], b[3]}
}

// Handshake emits the three-way handshake: SYN, SYN-ACK and ACK. It must be
// called before anything else is sent on the connection.
func (cn *Conn) Handshake() {
	if cn.synced || cn.halves[0].sent > 0 || cn.halves[1].sent > 0 {
		panic("pcapgen: Handshake after the connection started")
	}
	cl, sv := &cn.halves[ClientToServer], &cn.halves[ServerToClient]
	cn.emit(ClientToServer, flagSYN, cl.isn, nil, 0)
	cn.emit(ServerToClient, flagSYN|flagACK, sv.isn, nil, 0)
	cn.synced = true
	cn.emit(ClientToServer, flagACK, cl.isn+1, nil, 0)
}

// Queue appends a message of the given kind to the bytes waiting to be sent
// in direction d. Queued bytes are emitted by Flush.
func (cn *Conn) Queue(d Dir, msg []byte, kind Kind) {
	h := &cn.halves[d]
	h.msgs = append(h.msgs, message{conn: cn, dir: d, off: h.sent + len(h.pending), n: len(msg), kind: kind})
	h.pending = append(h.pending, msg...)
}

// QueueRaw appends bytes that are not a complete message (for instance the
// tail of a message whose beginning was not captured) to the bytes waiting
// to be sent in direction d.
func (cn *Conn) QueueRaw(d Dir, b []byte) {
	h := &cn.halves[d]
	h.pending = append(h.pending, b...)
}

// Pending returns the number of bytes queued in direction d.
func (cn *Conn) Pending(d Dir) int { return len(cn.halves[d].pending) }

// Flush emits the bytes queued in direction d as data segments cut and
// ordered by plan, each with the PSH and ACK flags.
func (cn *Conn) Flush(d Dir, plan Plan) {
	h := &cn.halves[d]
	if h.fin {
		panic("pcapgen: Flush after FIN in direction " + d.String())
	}
	buf := h.pending
	ps, err := plan.pieces(len(buf))
	if err != nil {
		panic("pcapgen: Flush: " + err.Error())
	}
	cn.synced = true
	base := h.isn + 1 + uint32(h.sent)
	for _, p := range ps {
		cn.emit(d, flagPSH|flagACK, base+uint32(p.Off), buf[p.Off:p.End], h.sent+p.Off)
	}
	cn.capt.msgs = append(cn.capt.msgs, h.msgs...)
	h.sent += len(buf)
	h.pending, h.msgs = nil, nil
}

// Send queues msg as a message of the given kind and flushes direction d
// with plan.
func (cn *Conn) Send(d Dir, msg []byte, kind Kind, plan Plan) {
	cn.Queue(d, msg, kind)
	cn.Flush(d, plan)
}

// Ack emits a pure ACK in direction d.
func (cn *Conn) Ack(d Dir) {
	h := &cn.halves[d]
	cn.emit(d, flagACK, h.isn+1+uint32(h.sent)+boolToU32(h.fin), nil, h.sent)
}

// Close emits an orderly close started by direction first: FIN-ACK, FIN-ACK
// from the other side, and the final ACK. Bytes still queued are flushed
// first, whole.
func (cn *Conn) Close(first Dir) {
	for _, d := range []Dir{first, first.Reverse()} {
		if cn.Pending(d) > 0 {
			cn.Flush(d, Whole())
		}
	}
	for _, d := range []Dir{first, first.Reverse()} {
		h := &cn.halves[d]
		cn.emit(d, flagFIN|flagACK, h.isn+1+uint32(h.sent), nil, h.sent)
		h.fin = true
	}
	cn.Ack(first)
}

type tcpFlags uint8

const (
	flagFIN tcpFlags = 1 << iota
	flagSYN
	flagRST
	flagPSH
	flagACK
)

func boolToU32(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// emit serialises one segment of direction d and adds it to the capture.
// off is the stream offset of the payload's first byte.
func (cn *Conn) emit(d Dir, flags tcpFlags, seq uint32, payload []byte, off int) {
	h, peer := &cn.halves[d], &cn.halves[d.Reverse()]
	tcp := &layers.TCP{
		SrcPort: layers.TCPPort(h.src.Port),
		DstPort: layers.TCPPort(h.dst.Port),
		Seq:     seq,
		FIN:     flags&flagFIN != 0,
		SYN:     flags&flagSYN != 0,
		RST:     flags&flagRST != 0,
		PSH:     flags&flagPSH != 0,
		ACK:     flags&flagACK != 0,
		Window:  cn.cfg.Window,
	}
	if tcp.ACK {
		tcp.Ack = peer.isn + 1 + uint32(peer.sent) + boolToU32(peer.fin)
	}
	if tcp.SYN {
		mss := uint16(1460)
		if h.src.Addr.Is6() {
			mss = 1440
		}
		tcp.Options = []layers.TCPOption{
			{OptionType: layers.TCPOptionKindMSS, OptionData: []byte{byte(mss >> 8), byte(mss)}},
			{OptionType: layers.TCPOptionKindNop},
			{OptionType: layers.TCPOptionKindNop},
			{OptionType: layers.TCPOptionKindSACKPermitted},
		}
	}
	if cn.cfg.Timestamps {
		h.tsval++
		ts := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, h.tsval), peer.tsval)
		tcp.Options = append(tcp.Options,
			layers.TCPOption{OptionType: layers.TCPOptionKindNop},
			layers.TCPOption{OptionType: layers.TCPOptionKindNop},
			layers.TCPOption{OptionType: layers.TCPOptionKindTimestamps, OptionLength: 10, OptionData: ts})
	}

	var ip gopacket.NetworkLayer
	var etherType layers.EthernetType
	if h.src.Addr.Is4() {
		ip4 := &layers.IPv4{
			Version:  4,
			Id:       h.ipID,
			Flags:    layers.IPv4DontFragment,
			TTL:      64,
			Protocol: layers.IPProtocolTCP,
			SrcIP:    h.src.Addr.AsSlice(),
			DstIP:    h.dst.Addr.AsSlice(),
		}
		h.ipID++
		ip, etherType = ip4, layers.EthernetTypeIPv4
	} else {
		ip, etherType = &layers.IPv6{
			Version:    6,
			NextHeader: layers.IPProtocolTCP,
			HopLimit:   64,
			SrcIP:      h.src.Addr.AsSlice(),
			DstIP:      h.dst.Addr.AsSlice(),
		}, layers.EthernetTypeIPv6
	}
	if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
		panic("pcapgen: " + err.Error())
	}

	ls := make([]gopacket.SerializableLayer, 0, 4+len(cn.cfg.VLANs))
	eth := &layers.Ethernet{SrcMAC: h.src.MAC, DstMAC: h.dst.MAC}
	ls = append(ls, eth)
	next := &eth.EthernetType
	for _, v := range cn.cfg.VLANs {
		tpid := v.TPID
		if tpid == 0 {
			tpid = layers.EthernetTypeDot1Q
		}
		*next = tpid
		tag := &layers.Dot1Q{Priority: v.Priority, VLANIdentifier: v.ID}
		ls = append(ls, tag)
		next = &tag.Type
	}
	*next = etherType
	ls = append(ls, ip.(gopacket.SerializableLayer), tcp, gopacket.Payload(payload))

	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, ls...); err != nil {
		panic("pcapgen: serialising a segment: " + err.Error())
	}
	cn.capt.add(Packet{
		Data: append([]byte(nil), buf.Bytes()...),
		conn: cn,
		dir:  d,
		off:  off,
		n:    len(payload),
	})
}
