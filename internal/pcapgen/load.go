package pcapgen

import (
	"bytes"
	"fmt"
	"net/netip"
)

// LoadVariant changes how the packets of a Load capture are carried,
// not what they carry: to measure the other kinds of traffic dissect
// meets.
type LoadVariant struct {
	IPv6       bool // addresses 2001:db8::a.b.c.d for a.b.c.d
	VLAN       bool // every frame behind an 802.1Q tag (VLAN 100)
	Timestamps bool // the TCP timestamp option on every segment (see ConnConfig)
	// Cooked writes the frames as Linux cooked captures do (link type
	// LINUX_SLL, what `tcpdump -i any` records): a 16-byte header
	// instead of the Ethernet one. Not with VLAN, whose tags such
	// captures do not keep.
	Cooked bool
}

// LoadPcap is Load written as a classic pcap file, the bytes
// cmd/pcapgen -load writes.
func LoadPcap(conns, packets int, seed uint64) ([]byte, error) {
	return LoadVariantPcap(conns, packets, seed, LoadVariant{})
}

// LoadVariantPcap is LoadPcap with the packets carried as v says.
func LoadVariantPcap(conns, packets int, seed uint64, v LoadVariant) ([]byte, error) {
	if v.Cooked && v.VLAN {
		return nil, fmt.Errorf("pcapgen: a cooked capture keeps no VLAN tags")
	}
	c, err := LoadWith(conns, packets, seed, v)
	if err != nil {
		return nil, err
	}
	if v.Cooked {
		var b bytes.Buffer
		if err := WritePcapCooked(&b, c.Packets()); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	var b bytes.Buffer
	if err := WritePcap(&b, c.Packets()); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Load builds a capture of about packets frames for benchmarks: Modbus/TCP
// over conns connections that stay open side by side, their transactions
// interleaved at random, with the mix of segmentations of modbus-many.pcap:
// whole ADUs, ADUs split inside the PDU, 8-byte chunks, and pipelined
// requests coalesced into one segment, sometimes cut in the middle of an
// ADU. Every connection starts with a handshake and ends with a FIN
// exchange; the packet count includes them. The same arguments always give
// the same capture.
func Load(conns, packets int, seed uint64) (*Capture, error) {
	return LoadWith(conns, packets, seed, LoadVariant{})
}

// LoadWith is Load with the packets carried as v says: the same
// connections, transactions and segmentations for the same arguments.
func LoadWith(conns, packets int, seed uint64, v LoadVariant) (*Capture, error) {
	if conns < 1 || conns > 50000 {
		return nil, fmt.Errorf("pcapgen: %d connections: want 1 to 50000", conns)
	}
	if packets < 8*conns {
		return nil, fmt.Errorf("pcapgen: %d packets for %d connections: want at least 8 per connection", packets, conns)
	}
	c := NewCapture(seed)
	r := c.rng
	type loadConn struct {
		conn  *Conn
		s     *Session
		steps []func()
	}
	cs := make([]loadConn, conns)
	for i := range cs {
		client := manyClient
		for range i % 250 {
			client = client.Next()
		}
		server := manyServer
		for range i % 3 {
			server = server.Next()
		}
		cfg := modbusConn(client, server, uint16(20000+i%40000))
		if v.IPv6 {
			cfg.Client.Addr, cfg.Server.Addr = loadIPv6(client), loadIPv6(server)
		}
		if v.VLAN {
			cfg.VLANs = []VLAN{{ID: 100}}
		}
		cfg.Timestamps = v.Timestamps
		conn := c.NewConn(cfg)
		cs[i] = loadConn{conn: conn, s: &Session{Conn: conn, Unit: uint8(1 + r.IntN(3)), TID: uint16(r.IntN(1 << 16))}}
		conn.Handshake()
	}
	const closing = 4 // packets of a FIN exchange, counted generously
	for c.Len() < packets-closing*conns {
		lc := &cs[r.IntN(len(cs))]
		if len(lc.steps) == 0 {
			lc.steps = loadSteps(c, lc.s)
		}
		lc.steps[0]()
		lc.steps = lc.steps[1:]
	}
	for i := range cs {
		for _, step := range cs[i].steps {
			step()
		}
		cs[i].conn.Close(ClientToServer)
	}
	return c, nil
}

// loadSteps returns the steps of the next exchange of a Load connection:
// one transaction or a pipelined batch, request then response.
func loadSteps(c *Capture, s *Session) []func() {
	r := c.rng
	switch k := r.IntN(100); {
	case k < 50:
		return exchangeSteps(s, RandomTransaction(r), Whole(), Whole())
	case k < 62:
		return exchangeSteps(s, RandomTransaction(r), randomSplit(c), Whole())
	case k < 72:
		return exchangeSteps(s, RandomTransaction(r), Whole(), randomSplit(c))
	case k < 78:
		return exchangeSteps(s, RandomTransaction(r), Chunks(tsharkMinHead), Chunks(tsharkMinHead))
	default:
		ts := make([]Transaction, 2+r.IntN(2))
		for j := range ts {
			ts[j] = RandomTransaction(r)
		}
		req, resp := Whole(), Whole()
		if k >= 90 {
			req, resp = randomSplit(c), randomSplit(c)
		}
		var tids []uint16
		return []func(){
			func() {
				tids, _ = queueBatch(s, ts, nil)
				s.Conn.Flush(ClientToServer, req)
			},
			func() {
				queueBatch(s, ts, tids)
				s.Conn.Flush(ServerToClient, resp)
			},
		}
	}
}

// loadIPv6 returns 2001:db8::a.b.c.d for the IPv4 address a.b.c.d.
func loadIPv6(a netip.Addr) netip.Addr {
	b := [16]byte{0x20, 0x01, 0x0d, 0xb8}
	v4 := a.As4()
	copy(b[12:], v4[:])
	return netip.AddrFrom16(b)
}
