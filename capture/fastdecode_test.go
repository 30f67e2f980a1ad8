package capture

import (
	"encoding/binary"
	"reflect"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// decodeState is what decoding a packet leaves for the rest of the Reader.
type decodeState struct {
	decoded []gopacket.LayerType
	err     bool
	eth     layers.Ethernet
	ip4     layers.IPv4
	tcp     layers.TCP
}

// The Ethernet/IPv4/TCP fast path leaves the layers as the parser does, on
// good packets and on every cut and corruption of them; what it does not
// take, the parser decodes as before.
func TestDecodeEthernetTCP4(t *testing.T) {
	c := newConv(t, linkEthernet, cli4, srv4)
	frames := [][]byte{
		c.seg(I, "S", ""),
		c.seg(I, "PA", "hello"),
		c.seg(R, "PA", strings.Repeat("x", 300)),
		c.seg(I, "FA", ""),
		udpFrame(t, linkEthernet, cli4, srv4, "query"),
		tcpFrame(t, linkEthernet, cli6, srv6, 1, 1, "PA", "v6"),
		// TCP options: timestamps (on every segment of most captures),
		// a SYN's, more options than the layer keeps room for, and the
		// end of the list with padding after it.
		tcpOptionsFrame(t, "PA", "with timestamps", tsOption, nopOption, nopOption),
		tcpOptionsFrame(t, "S", "", layers.TCPOption{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{0x05, 0xb4}},
			nopOption, layers.TCPOption{OptionType: layers.TCPOptionKindWindowScale, OptionLength: 3, OptionData: []byte{7}},
			layers.TCPOption{OptionType: layers.TCPOptionKindSACKPermitted, OptionLength: 2}, tsOption),
		tcpOptionsFrame(t, "A", "", nopOption, nopOption, nopOption, nopOption, nopOption, nopOption, nopOption, nopOption, nopOption, tsOption),
		tcpOptionsFrame(t, "PA", "x", nopOption, layers.TCPOption{OptionType: layers.TCPOptionKindEndList}, nopOption, nopOption),
	}
	cases := cutAndCorrupted(frames, 100, 0x00, 0xff, 0x45, 0x06, 0x20, 0x50)
	fast := NewReader(nil, Options{})
	slow := NewReader(nil, Options{})
	parser := slow.linkDecoder(layers.LinkTypeEthernet).parser
	took, tookOptions := 0, 0
	for _, data := range cases {
		var want, got decodeState
		err := parser.DecodeLayers(data, &slow.decoded)
		want = decodeState{slow.decoded, err != nil, slow.eth, slow.ip4, slow.tcp.TCP}
		ok := fast.decodeEthernetTCP4(data)
		if !ok {
			continue
		}
		took++
		if fast.tcp.DataOffset > 5 {
			tookOptions++
		}
		got = decodeState{fast.decoded, false, fast.eth, fast.ip4, fast.tcp.TCP}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("% x:\nfast path %+v\nparser    %+v", data, got, want)
		}
	}
	if took == 0 || tookOptions == 0 {
		t.Fatalf("the fast path took %d packets, %d of them with TCP options", took, tookOptions)
	}
}

// ip6State is what decoding an IPv6 packet leaves in the layer that the
// rest of the Reader reads (its unexported hop-by-hop header is the
// parser's own).
type ip6State struct {
	version, trafficClass uint8
	flowLabel             uint32
	length                uint16
	next                  layers.IPProtocol
	hopLimit              uint8
	src, dst              []byte
	hopByHop              *layers.IPv6HopByHop
	contents, payload     []byte
}

func ip6Of(ip *layers.IPv6) ip6State {
	return ip6State{ip.Version, ip.TrafficClass, ip.FlowLabel, ip.Length, ip.NextHeader, ip.HopLimit,
		ip.SrcIP, ip.DstIP, ip.HopByHop, ip.Contents, ip.Payload}
}

// The fast path for IPv6, and for IPv4 and IPv6 behind an 802.1Q tag,
// leaves the layers as the parser does, on good packets (with and without
// TCP options, a traffic class and a flow label, a VLAN priority and
// drop-eligible bit, trailing padding) and on every cut and corruption of
// them; it leaves extension headers, double tags, UDP and untagged IPv4
// to the parser (or to decodeEthernetTCP4).
func TestDecodeEthernetTCPOther(t *testing.T) {
	flowed := func(l link, payload string, opts ...layers.TCPOption) []byte {
		ip := &layers.IPv6{Version: 6, TrafficClass: 0xb8, FlowLabel: 0xabcde, HopLimit: 61, NextHeader: layers.IPProtocolTCP,
			SrcIP: cli6.Addr.AsSlice(), DstIP: srv6.Addr.AsSlice()}
		tcp := &layers.TCP{SrcPort: layers.TCPPort(cli6.Port), DstPort: layers.TCPPort(srv6.Port), Seq: 7, Ack: 9, ACK: true, PSH: true, Window: 512, Options: opts}
		if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
			t.Fatal(err)
		}
		return frame(t, l, cli6.Addr, ip, tcp, gopacket.Payload(payload))
	}
	var frames [][]byte
	for _, l := range []link{linkEthernet, linkDot1Q} {
		c := newConv(t, l, cli6, srv6)
		c4 := newConv(t, l, cli4, srv4)
		frames = append(frames,
			c.seg(I, "S", ""),
			c.seg(I, "PA", "hello"),
			c.seg(R, "PA", strings.Repeat("x", 300)),
			flowed(l, "with options", tsOption, nopOption, nopOption),
			append(flowed(l, ""), 0, 0, 0, 0, 0, 0), // padded
			udpFrame(t, l, cli6, srv6, "query"),
			c.seg(I, "FA", ""),
			c4.seg(I, "PA", "v4"),
			c4.seg(R, "A", ""),
		)
	}
	priority := tcpFrame(t, linkDot1Q, cli4, srv4, 3, 1, "A", "prio")
	priority[14] |= 0xb0 // priority 5, drop eligible
	frames = append(frames, priority, newConv(t, linkQinQ, cli4, srv4).seg(I, "PA", "double tag"))
	// A hop-by-hop header before TCP: for the parser.
	hbh := flowed(linkEthernet, "hop")
	hbh = append(hbh[:14+40:14+40], append([]byte{6, 0, 1, 4, 0, 0, 0, 0}, hbh[14+40:]...)...)
	hbh[14+6] = 0 // next header: hop-by-hop
	binary.BigEndian.PutUint16(hbh[14+4:], binary.BigEndian.Uint16(hbh[14+4:])+8)
	frames = append(frames, hbh)

	cases := cutAndCorrupted(frames, 124, 0x00, 0xff, 0x45, 0x60, 0x81, 0x86, 0x06, 0x11, 0x20, 0x50)
	fast := NewReader(nil, Options{})
	slow := NewReader(nil, Options{})
	parser := slow.linkDecoder(layers.LinkTypeEthernet).parser
	took := map[gopacket.LayerType]int{}
	tookTagged, tookOptions := 0, 0
	type state struct {
		decoded []gopacket.LayerType
		err     bool
		eth     layers.Ethernet
		dot1q   layers.Dot1Q
		ip4     layers.IPv4
		ip6     ip6State
		tcp     layers.TCP
	}
	for _, data := range cases {
		err := parser.DecodeLayers(data, &slow.decoded)
		netLayer := fast.decodeEthernetTCPOther(data)
		if netLayer == gopacket.LayerTypeZero {
			continue
		}
		took[netLayer]++
		if fast.eth.EthernetType == layers.EthernetTypeDot1Q {
			tookTagged++
		}
		if fast.tcp.DataOffset > 5 {
			tookOptions++
		}
		want := state{slow.decoded, err != nil, slow.eth, layers.Dot1Q{}, layers.IPv4{}, ip6State{}, slow.tcp.TCP}
		got := state{fast.decoded, false, fast.eth, layers.Dot1Q{}, layers.IPv4{}, ip6State{}, fast.tcp.TCP}
		if fast.eth.EthernetType == layers.EthernetTypeDot1Q {
			want.dot1q, got.dot1q = slow.dot1q, fast.dot1q
		}
		if netLayer == layers.LayerTypeIPv4 {
			want.ip4, got.ip4 = slow.ip4, fast.ip4
			// Empty either way: the parser's layer keeps the options slice
			// of an earlier packet that had some.
			if len(want.ip4.Options) == 0 && len(got.ip4.Options) == 0 {
				want.ip4.Options, got.ip4.Options = nil, nil
			}
		} else {
			want.ip6, got.ip6 = ip6Of(&slow.ip6), ip6Of(&fast.ip6)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("% x:\nfast path %+v\nparser    %+v", data, got, want)
		}
	}
	if took[layers.LayerTypeIPv4] == 0 || took[layers.LayerTypeIPv6] == 0 || tookTagged == 0 || tookOptions == 0 {
		t.Fatalf("the fast path took %v packets, %d tagged, %d with TCP options", took, tookTagged, tookOptions)
	}
}

// The fast path for Linux cooked captures (SLL and SLL2, what `-i any`
// records) leaves the layers as the parser does, on IPv4 and IPv6 TCP
// segments with and without options and on every cut and corruption of
// them (an address length past 8 included); it leaves UDP to the parser.
func TestDecodeCookedTCP(t *testing.T) {
	for _, l := range []link{linkSLL, linkSLL2} {
		c4, c6 := newConv(t, l, cli4, srv4), newConv(t, l, cli6, srv6)
		options := func(c *conv) []byte {
			ip := ipLayer(c.ends[I].Addr, c.ends[R].Addr, layers.IPProtocolTCP)
			tcp := &layers.TCP{SrcPort: layers.TCPPort(c.ends[I].Port), DstPort: layers.TCPPort(c.ends[R].Port), Seq: 5, Ack: 6, ACK: true, PSH: true, Window: 99,
				Options: []layers.TCPOption{nopOption, nopOption, tsOption}}
			if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
				t.Fatal(err)
			}
			return frame(t, l, c.ends[I].Addr, ip.(gopacket.SerializableLayer), tcp, gopacket.Payload("with options"))
		}
		frames := [][]byte{
			c4.seg(I, "S", ""), c4.seg(I, "PA", "hello"), c4.seg(R, "A", ""), options(c4),
			c6.seg(I, "PA", "v6"), options(c6),
			udpFrame(t, l, cli4, srv4, "query"),
		}
		lt := l.linkType(cli4.Addr)
		fast := NewReader(nil, Options{})
		slow := NewReader(nil, Options{})
		parser := slow.linkDecoder(lt).parser
		took := map[gopacket.LayerType]int{}
		type state struct {
			decoded []gopacket.LayerType
			err     bool
			sll     layers.LinuxSLL
			sll2    layers.LinuxSLL2
			ip4     layers.IPv4
			ip6     ip6State
			tcp     layers.TCP
		}
		for _, data := range cutAndCorrupted(frames, 100, 0x00, 0xff, 0x45, 0x60, 0x08, 0x06, 0x09, 0x50) {
			err := parser.DecodeLayers(data, &slow.decoded)
			netLayer := fast.decodeCookedTCP(data, lt)
			if netLayer == gopacket.LayerTypeZero {
				continue
			}
			took[netLayer]++
			want := state{decoded: slow.decoded, err: err != nil, tcp: slow.tcp.TCP}
			got := state{decoded: fast.decoded, tcp: fast.tcp.TCP}
			if l == linkSLL {
				want.sll, got.sll = slow.sll, fast.sll
			} else {
				want.sll2, got.sll2 = slow.sll2, fast.sll2
			}
			if netLayer == layers.LayerTypeIPv4 {
				want.ip4, got.ip4 = slow.ip4, fast.ip4
				if len(want.ip4.Options) == 0 && len(got.ip4.Options) == 0 {
					want.ip4.Options, got.ip4.Options = nil, nil // see TestDecodeEthernetTCPOther
				}
			} else {
				want.ip6, got.ip6 = ip6Of(&slow.ip6), ip6Of(&fast.ip6)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%v % x:\nfast path %+v\nparser    %+v", l, data, got, want)
			}
		}
		if took[layers.LayerTypeIPv4] == 0 || took[layers.LayerTypeIPv6] == 0 {
			t.Fatalf("%v: the fast path took %v packets", l, took)
		}
	}
}

// cutAndCorrupted returns each frame cut at every length, and with each
// of its first upTo bytes replaced by each of values.
func cutAndCorrupted(frames [][]byte, upTo int, values ...byte) [][]byte {
	var cases [][]byte
	for _, f := range frames {
		for n := 0; n <= len(f); n++ {
			cases = append(cases, f[:n])
		}
		for i := 0; i < len(f) && i < upTo; i++ {
			for _, b := range values {
				g := append([]byte(nil), f...)
				g[i] = b
				cases = append(cases, g)
			}
		}
	}
	return cases
}

// The TCP options of the fast path's test frames.
var (
	nopOption = layers.TCPOption{OptionType: layers.TCPOptionKindNop}
	tsOption  = layers.TCPOption{OptionType: layers.TCPOptionKindTimestamps, OptionLength: 10, OptionData: []byte{0, 0, 3, 233, 0, 0, 3, 226}}
)

// tcpOptionsFrame returns an Ethernet/IPv4 TCP segment from cli4 to srv4
// with the options opts.
func tcpOptionsFrame(t *testing.T, flags, payload string, opts ...layers.TCPOption) []byte {
	t.Helper()
	ip := ipLayer(cli4.Addr, srv4.Addr, layers.IPProtocolTCP)
	tcp := &layers.TCP{
		SrcPort: layers.TCPPort(cli4.Port), DstPort: layers.TCPPort(srv4.Port), Seq: 1000, Ack: 900000, Window: 65535,
		SYN: strings.Contains(flags, "S"), PSH: strings.Contains(flags, "P"), ACK: strings.Contains(flags, "A"),
		Options: opts,
	}
	if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
		t.Fatal(err)
	}
	return frame(t, linkEthernet, cli4.Addr, ip.(gopacket.SerializableLayer), tcp, gopacket.Payload(payload))
}

// carriesTCP agrees with IPv4.NextLayerType on every protocol number,
// flag and fragment offset.
func TestCarriesTCP(t *testing.T) {
	for proto := 0; proto < 256; proto++ {
		for flags := layers.IPv4Flag(0); flags < 8; flags++ {
			for _, off := range []uint16{0, 1, 185, 0x1fff} {
				ip := layers.IPv4{Protocol: layers.IPProtocol(proto), Flags: flags, FragOffset: off}
				if got, want := carriesTCP(&ip), ip.NextLayerType() == layers.LayerTypeTCP; got != want {
					t.Errorf("protocol %d, flags %d, offset %d: carriesTCP %v, NextLayerType %v", proto, flags, off, got, ip.NextLayerType())
				}
			}
		}
	}
}
