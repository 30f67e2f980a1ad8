package capture

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// fragPiece is one fragment to cut from a packet: payload bytes [from, to)
// of the IP payload; to < 0 means the end. data, when set, replaces the
// bytes (to test overlaps with different content).
type fragPiece struct {
	from, to int
	data     string
}

// fragmentIP cuts a raw IPv4 or IPv6 packet (no link header, no IPv6
// extension headers) into fragments with identification id.
func fragmentIP(t testing.TB, pkt []byte, id uint32, pieces ...fragPiece) [][]byte {
	t.Helper()
	var out [][]byte
	if pkt[0]>>4 == 4 {
		ihl := int(pkt[0]&0xf) * 4
		hdr, payload := pkt[:ihl], pkt[ihl:]
		for _, p := range pieces {
			to := p.to
			if to < 0 {
				to = len(payload)
			}
			body := payload[p.from:to]
			if p.data != "" {
				body = []byte(p.data)
			}
			f := append(append([]byte(nil), hdr...), body...)
			binary.BigEndian.PutUint16(f[2:], uint16(len(f)))
			binary.BigEndian.PutUint16(f[4:], uint16(id))
			fl := uint16(p.from / 8)
			if to < len(payload) {
				fl |= 0x2000 // more fragments
			}
			binary.BigEndian.PutUint16(f[6:], fl)
			f[10], f[11] = 0, 0
			var sum uint32
			for i := 0; i < ihl; i += 2 {
				sum += uint32(binary.BigEndian.Uint16(f[i:]))
			}
			for sum > 0xffff {
				sum = sum&0xffff + sum>>16
			}
			binary.BigEndian.PutUint16(f[10:], ^uint16(sum))
			out = append(out, f)
		}
		return out
	}
	hdr, payload := pkt[:40], pkt[40:]
	next := hdr[6]
	for _, p := range pieces {
		to := p.to
		if to < 0 {
			to = len(payload)
		}
		body := payload[p.from:to]
		if p.data != "" {
			body = []byte(p.data)
		}
		fh := make([]byte, 8)
		fh[0] = next
		off := uint16(p.from/8) << 3
		if to < len(payload) {
			off |= 1
		}
		binary.BigEndian.PutUint16(fh[2:], off)
		binary.BigEndian.PutUint32(fh[4:], id)
		f := append(append(append([]byte(nil), hdr...), fh...), body...)
		f[6] = byte(layers.IPProtocolIPv6Fragment)
		binary.BigEndian.PutUint16(f[4:], uint16(8+len(body)))
		out = append(out, f)
	}
	return out
}

// checkPacketAccounting checks the identity documented on Stats.
func checkPacketAccounting(t *testing.T, s Stats) {
	t.Helper()
	var nd uint64
	for _, n := range s.NotDecoded {
		nd += n
	}
	got := s.TCPPackets + s.UDPPackets + nd - s.NotDecoded[reasonEmptyUDP] + s.FragmentsReassembled - s.Reassembled
	if got != s.Packets {
		t.Errorf("packet accounting: TCP %d + UDP %d + not decoded %d + fragments reassembled %d - datagrams %d = %d, want %d packets",
			s.TCPPackets, s.UDPPackets, nd, s.FragmentsReassembled, s.Reassembled, got, s.Packets)
	}
	var fragLost uint64
	for k, n := range s.NotDecoded {
		if strings.HasPrefix(k, "IP fragment:") && k != reasonFragNoTransport {
			fragLost += n
		}
	}
	if s.Fragments != s.FragmentsReassembled+fragLost {
		t.Errorf("fragment accounting: %d fragments, %d reassembled + %d lost", s.Fragments, s.FragmentsReassembled, fragLost)
	}
}

func TestDefragmentation(t *testing.T) {
	big := strings.Repeat("0123456789abcdef", 100) // 1600 bytes
	udp4 := udpFrame(t, linkRaw, cli4, ep("10.0.0.2", 53), big)
	udp6 := udpFrame(t, linkRaw, cli6, ep("2001:db8::2", 53), big)
	// The UDP header is 8 bytes: payload offsets are 8 more.
	tests := []struct {
		name      string
		opts      Options
		pkts      func() []testPacket
		wantDgram []string
		wantND    map[string]uint64
		overlaps  uint64
	}{{
		name: "IPv4 in order",
		pkts: func() []testPacket {
			return at(0, fragmentIP(t, udp4, 7, fragPiece{0, 800, ""}, fragPiece{800, 1600, ""}, fragPiece{1600, -1, ""})...)
		},
		wantDgram: []string{big},
	}, {
		name: "IPv4 reversed, with another datagram interleaved",
		pkts: func() []testPacket {
			f := fragmentIP(t, udp4, 7, fragPiece{0, 800, ""}, fragPiece{800, 1600, ""}, fragPiece{1600, -1, ""})
			g := fragmentIP(t, udpFrame(t, linkRaw, cli4, ep("10.0.0.2", 53), "second"), 8, fragPiece{0, 8, ""}, fragPiece{8, -1, ""})
			return at(0, f[2], g[1], f[1], g[0], f[0])
		},
		wantDgram: []string{"second", big},
	}, {
		name: "IPv4 duplicate and overlapping fragments: first copy wins",
		pkts: func() []testPacket {
			f := fragmentIP(t, udp4, 7, fragPiece{0, 808, ""}, fragPiece{800, 808, "XXXXXXXX"}, fragPiece{0, 808, ""}, fragPiece{800, -1, ""})
			return at(0, f...)
		},
		wantDgram: []string{big},
		wantND:    map[string]uint64{reasonFragDuplicate: 1},
		overlaps:  2,
	}, {
		name: "IPv6 exact duplicate is not an overlap",
		pkts: func() []testPacket {
			f := fragmentIP(t, udp6, 3, fragPiece{0, 1000, ""}, fragPiece{1000, -1, ""})
			return at(0, f[0], f[0], f[1])
		},
		wantDgram: []string{big},
		wantND:    map[string]uint64{reasonFragDuplicate: 1},
	}, {
		name: "IPv6 out of order",
		pkts: func() []testPacket {
			f := fragmentIP(t, udp6, 0x12345678, fragPiece{0, 1000, ""}, fragPiece{1000, -1, ""})
			return at(0, f[1], f[0])
		},
		wantDgram: []string{big},
	}, {
		name: "IPv6 overlap drops the datagram (RFC 5722)",
		pkts: func() []testPacket {
			return at(0, fragmentIP(t, udp6, 1, fragPiece{0, 1000, ""}, fragPiece{992, -1, ""})...)
		},
		wantND:   map[string]uint64{reasonFragOverlap6: 2},
		overlaps: 1,
	}, {
		name: "timeout by packet time",
		opts: Options{FragTimeout: 5 * time.Second},
		pkts: func() []testPacket {
			f := fragmentIP(t, udp4, 7, fragPiece{0, 800, ""}, fragPiece{800, -1, ""})
			p := at(0, f...)
			p[1].ts = p[1].ts.Add(10 * time.Second)
			return p
		},
		wantND: map[string]uint64{reasonFragTimeout: 1, reasonFragEnd: 1},
	}, {
		name: "too many fragments",
		opts: Options{MaxFragments: 2},
		pkts: func() []testPacket {
			return at(0, fragmentIP(t, udp4, 7, fragPiece{0, 800, ""}, fragPiece{800, 1200, ""}, fragPiece{1200, -1, ""})...)
		},
		wantND: map[string]uint64{reasonFragTooMany: 3},
	}, {
		name: "memory limit drops the oldest datagram",
		opts: Options{MaxFragBytes: 2*datagramOverhead + 1200},
		pkts: func() []testPacket {
			f := fragmentIP(t, udp4, 7, fragPiece{0, 800, ""}, fragPiece{800, -1, ""})
			g := fragmentIP(t, udp4, 8, fragPiece{0, 800, ""}, fragPiece{800, -1, ""})
			return at(0, f[0], g[0], g[1])
		},
		wantDgram: []string{big},
		wantND:    map[string]uint64{reasonFragMemory: 1},
	}, {
		name: "inconsistent: a middle fragment not a multiple of 8 bytes",
		pkts: func() []testPacket {
			return at(0, fragmentIP(t, udp4, 7, fragPiece{0, 801, ""}, fragPiece{801, -1, ""})...)
		},
		// The first drops the datagram; the second starts a new one that
		// never completes.
		wantND: map[string]uint64{reasonFragInconsistent: 1, reasonFragEnd: 1},
	}, {
		name: "inconsistent: two last fragments with different ends",
		pkts: func() []testPacket {
			f := fragmentIP(t, udp4, 7, fragPiece{800, -1, ""})
			g := fragmentIP(t, udp4[:len(udp4)-8], 7, fragPiece{800, -1, ""})
			return at(0, f[0], g[0])
		},
		wantND: map[string]uint64{reasonFragInconsistent: 2},
	}, {
		name: "fragment cut by the snap length",
		pkts: func() []testPacket {
			p := at(0, fragmentIP(t, udp4, 7, fragPiece{0, 800, ""}, fragPiece{800, -1, ""})...)
			p[1].data, p[1].cut = p[1].data[:100], len(p[1].data)-100
			return p
		},
		wantND: map[string]uint64{reasonFragTruncated: 1, reasonFragEnd: 1},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkts := tt.pkts()
			rec, stats, err := runCapture(t, writePcap(t, layers.LinkTypeRaw, pkts, false), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range rec.datagrams {
				got = append(got, d.Payload)
				if d.Pkt == 0 {
					t.Errorf("datagram without packet number")
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.wantDgram, "|") {
				t.Errorf("datagrams %q, want %q", trunc(got), trunc(tt.wantDgram))
			}
			if tt.wantND == nil {
				tt.wantND = map[string]uint64{}
			}
			if !mapsEqual(stats.NotDecoded, tt.wantND) {
				t.Errorf("not decoded %v, want %v", stats.NotDecoded, tt.wantND)
			}
			if stats.Fragments != uint64(len(pkts)) {
				t.Errorf("%d fragments, want %d", stats.Fragments, len(pkts))
			}
			if stats.Reassembled != uint64(len(tt.wantDgram)) {
				t.Errorf("%d reassembled, want %d", stats.Reassembled, len(tt.wantDgram))
			}
			if stats.FragOverlaps != tt.overlaps {
				t.Errorf("%d overlaps, want %d", stats.FragOverlaps, tt.overlaps)
			}
			checkPacketAccounting(t, stats)
		})
	}
}

// TestFragmentedTCP checks that a TCP segment sent in IP fragments reaches
// the stream, for IPv4 and IPv6.
func TestFragmentedTCP(t *testing.T) {
	for _, srv := range []Endpoint{srv4, srv6} {
		cli := cli4
		if srv.Addr.Is6() {
			cli = cli6
		}
		t.Run(srv.Addr.String(), func(t *testing.T) {
			c := newConv(t, linkRaw, cli, srv)
			var b capBuilder
			handshake(c, &b)
			payload := strings.Repeat("fragmented tcp ", 200)
			for _, f := range fragmentIP(t, c.seg(I, "PA", payload), 99, fragPiece{0, 1496, ""}, fragPiece{1496, -1, ""}) {
				b.add(f)
			}
			p := b.add(c.seg(R, "PA", "ok"))
			b.add(c.seg(I, "FA", ""))
			b.add(c.seg(R, "FA", ""))
			rec, stats, err := runCapture(t, writePcap(t, layers.LinkTypeRaw, b.pkts, false), Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkStreams(t, rec.streams, []gotStream{{
				Flow: Flow{Initiator: cli, Responder: srv, SawSYN: true},
				Data: [2]string{payload, "ok"},
				Pkts: [2][]uint64{runs(p-1, uint64(len(payload))), runs(p, 2)},
			}})
			if stats.Reassembled != 1 || stats.Fragments != 2 {
				t.Errorf("stats %+v", stats)
			}
			checkPacketAccounting(t, stats)
		})
	}
}

// at stamps packets 1ms apart.
func at(start time.Duration, data ...[]byte) []testPacket {
	out := make([]testPacket, len(data))
	for i, d := range data {
		out[i] = testPacket{ts: baseTime.Add(start + time.Duration(i)*time.Millisecond), data: d}
	}
	return out
}

// trunc shortens strings for messages.
func trunc(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		if len(x) > 20 {
			x = x[:20] + "..."
		}
		out[i] = x
	}
	return out
}

// TestDefragIPv6ExtensionAfterFragment reassembles an IPv6 datagram whose
// fragmentable part starts with a destination options header.
func TestDefragIPv6ExtensionAfterFragment(t *testing.T) {
	payload := strings.Repeat("dest-opts ", 150)
	udp := make([]byte, 8, 8+len(payload))
	binary.BigEndian.PutUint16(udp[0:], cli6.Port)
	binary.BigEndian.PutUint16(udp[2:], 53)
	binary.BigEndian.PutUint16(udp[4:], uint16(8+len(payload)))
	udp = append(udp, payload...)
	dest := []byte{byte(layers.IPProtocolUDP), 0, 1, 4, 0, 0, 0, 0} // PadN
	body := append(dest, udp...)
	pkt := make([]byte, 40, 40+len(body))
	pkt[0] = 0x60
	binary.BigEndian.PutUint16(pkt[4:], uint16(len(body)))
	pkt[6], pkt[7] = byte(layers.IPProtocolIPv6Destination), 64
	copy(pkt[8:], cli6.Addr.AsSlice())
	copy(pkt[24:], srv6.Addr.AsSlice())
	pkt = append(pkt, body...)
	frags := fragmentIP(t, pkt, 42, fragPiece{0, 800, ""}, fragPiece{800, -1, ""})
	rec, stats, err := runCapture(t, writePcap(t, layers.LinkTypeRaw, at(0, frags[1], frags[0]), false), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.datagrams) != 1 || rec.datagrams[0].Payload != payload || rec.datagrams[0].Dst != ep("2001:db8::2", 53) {
		t.Fatalf("%d datagrams, not decoded %v", len(rec.datagrams), stats.NotDecoded)
	}
	checkPacketAccounting(t, stats)
}
