package pcapgen

import (
	"bytes"
	"encoding/binary"
	"net/netip"
)

// BGP-4 messages (RFC 4271, with RFC 4760 multiprotocol extensions, RFC
// 5492 capabilities, RFC 6793 4-octet AS numbers, RFC 1997 communities,
// RFC 2918 route refresh): TCP port 179.

// BGPPort is the registered TCP port of BGP.
const BGPPort = 179

// BGPMsg is a message: the all-ones marker, the length, the type (1 OPEN,
// 2 UPDATE, 3 NOTIFICATION, 4 KEEPALIVE, 5 ROUTE-REFRESH) and the body.
func BGPMsg(typ byte, body []byte) []byte {
	b := bytes.Repeat([]byte{0xFF}, 16)
	b = binary.BigEndian.AppendUint16(b, uint16(19+len(body)))
	b = append(b, typ)
	return append(b, body...)
}

// BGPOpen is an OPEN: version 4, my AS (AS_TRANS when it does not fit),
// hold time, BGP identifier and capabilities in one parameter each.
func BGPOpen(as uint16, hold uint16, id [4]byte, caps ...[]byte) []byte {
	var opt []byte
	for _, c := range caps {
		opt = append(opt, 2, byte(len(c)))
		opt = append(opt, c...)
	}
	b := []byte{4}
	b = binary.BigEndian.AppendUint16(b, as)
	b = binary.BigEndian.AppendUint16(b, hold)
	b = append(b, id[:]...)
	b = append(b, byte(len(opt)))
	return BGPMsg(1, append(b, opt...))
}

// BGPCap is a capability: code, length, value.
func BGPCap(code byte, value []byte) []byte {
	return append([]byte{code, byte(len(value))}, value...)
}

// BGPAttr is a path attribute; the extended-length flag is set when the
// value needs it.
func BGPAttr(flags, typ byte, value []byte) []byte {
	if len(value) > 255 {
		flags |= 0x10
	}
	b := []byte{flags, typ}
	if flags&0x10 != 0 {
		b = binary.BigEndian.AppendUint16(b, uint16(len(value)))
	} else {
		b = append(b, byte(len(value)))
	}
	return append(b, value...)
}

// BGPPrefix is an NLRI prefix: its length in bits and the significant
// bytes.
func BGPPrefix(p netip.Prefix) []byte {
	a := p.Addr().AsSlice()
	return append([]byte{byte(p.Bits())}, a[:(p.Bits()+7)/8]...)
}

// BGPUpdate is an UPDATE: withdrawn routes, path attributes and NLRI.
func BGPUpdate(withdrawn, attrs, nlri []byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, uint16(len(withdrawn)))
	b = append(b, withdrawn...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(attrs)))
	b = append(b, attrs...)
	return BGPMsg(2, append(b, nlri...))
}

func init() {
	registerCapture("bgp-session.pcap", "bgp",
		"BGP-4 on TCP port 179: OPENs with multiprotocol, route refresh, 4-octet AS, graceful restart and add-path capabilities, KEEPALIVEs, UPDATEs with ORIGIN, 4-octet AS_PATH, NEXT_HOP, MED, LOCAL_PREF, COMMUNITIES and IPv4 NLRI, a withdrawal, an MP_REACH_NLRI of IPv6 prefixes, ROUTE-REFRESH, a Cease NOTIFICATION; messages split and coalesced in TCP segments",
		buildBGP)
}

func buildBGP() *Capture {
	pfx := func(s string) []byte { return BGPPrefix(netip.MustParsePrefix(s)) }
	caps := func(as uint32, restart uint16) [][]byte {
		return [][]byte{
			BGPCap(1, []byte{0, 1, 0, 1}), // IPv4 unicast
			BGPCap(1, []byte{0, 2, 0, 1}), // IPv6 unicast
			BGPCap(2, nil),                // route refresh
			BGPCap(65, be32b(as)),
			BGPCap(64, cat(be16b(0x8000|restart), []byte{0, 1, 1, 0x80})),
		}
	}
	const local, peer = 4200000001, 65010
	asPath := func(ases ...uint32) []byte {
		b := []byte{2, byte(len(ases))}
		for _, a := range ases {
			b = binary.BigEndian.AppendUint32(b, a)
		}
		return BGPAttr(0x40, 2, b)
	}
	update1 := BGPUpdate(nil, cat(
		BGPAttr(0x40, 1, []byte{0}),
		asPath(peer, 64512, 4200000099),
		BGPAttr(0x40, 3, []byte{192, 0, 2, 1}),
		BGPAttr(0x80, 4, be32b(100)),
		BGPAttr(0x40, 5, be32b(200)),
		BGPAttr(0xC0, 8, cat(be16b(peer), be16b(100), []byte{0xFF, 0xFF, 0xFF, 0x01}))),
		cat(pfx("198.51.100.0/24"), pfx("203.0.113.128/25"), pfx("10.0.0.0/8")))
	update2 := BGPUpdate(cat(pfx("10.0.0.0/8"), pfx("172.16.0.0/12")), nil, nil)
	nh := netip.MustParseAddr("2001:db8::1").AsSlice()
	mp := cat([]byte{0, 2, 1, byte(len(nh))}, nh, []byte{0}, pfx("2001:db8:100::/40"), pfx("2001:db8:2::/48"))
	update3 := BGPUpdate(nil, cat(
		BGPAttr(0x80, 14, mp),
		BGPAttr(0x40, 1, []byte{2}),
		asPath(peer)), nil)
	keep := BGPMsg(4, nil)
	steps := []tcpStep{
		toServer(BGPOpen(23456, 90, [4]byte{10, 70, 0, 20}, caps(local, 120)...)),
		toClient(BGPOpen(peer, 180, [4]byte{10, 70, 0, 10}, caps(peer, 120)...), keep),
		toServer(keep),
		toClient(update1).cut(SplitAt(19, 40)),
		toClient(update2, update3),
		toServer(BGPMsg(5, []byte{0, 1, 0, 1})),
		toClient(keep),
		toServer(keep, BGPMsg(3, cat([]byte{6, 2, 26}, []byte("administratively shut down")))),
	}
	return mixedCapture(179, ConnConfig{
		Client: ep("10.70.0.20", 50179),
		Server: ep("10.70.0.10", BGPPort),
	}, steps)
}
