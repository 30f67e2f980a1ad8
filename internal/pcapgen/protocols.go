package pcapgen

import (
	"io"
	"net/netip"
	"sort"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// ProtocolCapture is a capture of testdata/pcaps built, from a protocol's
// specification, for one bundled protocol other than the Modbus scenarios.
// Its frames are checked by the library tests and against tshark.
type ProtocolCapture struct {
	File  string // file name in testdata/pcaps
	Doc   string // one line: what it covers
	Build func() *Capture
}

// Write writes the capture's exact bytes, in the format its name says.
func (p ProtocolCapture) Write(w io.Writer) error {
	f, err := FormatOf(p.File)
	if err != nil {
		return err
	}
	return p.Build().Encode(w, f)
}

var protocolCaptures []ProtocolCapture

// registerCapture adds a protocol capture; each protocol's file calls it
// from init.
func registerCapture(file, doc string, build func() *Capture) {
	protocolCaptures = append(protocolCaptures, ProtocolCapture{File: file, Doc: doc, Build: build})
}

// ProtocolCaptures returns the protocol captures, sorted by file name.
func ProtocolCaptures() []ProtocolCapture {
	out := append([]ProtocolCapture(nil), protocolCaptures...)
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

// Datagram adds one UDP datagram from src to dst, over IPv4 or IPv6, to
// the capture.
func (c *Capture) Datagram(src, dst Endpoint, payload []byte) {
	if src.MAC == nil {
		src.MAC = macFor(src.Addr)
	}
	if dst.MAC == nil {
		dst.MAC = macFor(dst.Addr)
	}
	udp := &layers.UDP{SrcPort: layers.UDPPort(src.Port), DstPort: layers.UDPPort(dst.Port)}
	var ip gopacket.SerializableLayer
	etherType := layers.EthernetTypeIPv4
	if src.Addr.Is4() {
		ip4 := &layers.IPv4{Version: 4, Id: uint16(c.rng.Uint32()), TTL: 64, Protocol: layers.IPProtocolUDP,
			SrcIP: src.Addr.AsSlice(), DstIP: dst.Addr.AsSlice()}
		_ = udp.SetNetworkLayerForChecksum(ip4)
		ip = ip4
	} else {
		ip6 := &layers.IPv6{Version: 6, NextHeader: layers.IPProtocolUDP, HopLimit: 64,
			SrcIP: src.Addr.AsSlice(), DstIP: dst.Addr.AsSlice()}
		_ = udp.SetNetworkLayerForChecksum(ip6)
		ip, etherType = ip6, layers.EthernetTypeIPv6
	}
	eth := &layers.Ethernet{SrcMAC: src.MAC, DstMAC: dst.MAC, EthernetType: etherType}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, eth, ip, udp, gopacket.Payload(payload)); err != nil {
		panic("pcapgen: serialising a datagram: " + err.Error())
	}
	c.add(Packet{Data: append([]byte(nil), buf.Bytes()...)})
}

// ep is shorthand for an endpoint.
func ep(addr string, port uint16) Endpoint {
	return Endpoint{Addr: netip.MustParseAddr(addr), Port: port}
}
