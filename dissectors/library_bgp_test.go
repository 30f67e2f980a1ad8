package dissectors

import (
	"encoding/binary"
	"net/netip"
	"strings"
	"testing"
)

// Byte builders for BGP-4 messages, from RFC 4271 section 4 and the
// extension RFCs named in bgp.dsl.

// bgpMsg adds the 19-byte header: the all-ones marker, the total length and
// the type.
func bgpMsg(typ byte, body ...[]byte) []byte {
	b := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, typ}
	for _, p := range body {
		b = append(b, p...)
	}
	binary.BigEndian.PutUint16(b[16:], uint16(len(b)))
	return b
}

func bgpCat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func bgpU16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
func bgpU32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

func bgpAddr(s string) []byte {
	a := netip.MustParseAddr(s)
	return a.AsSlice()
}

// bgpCap is one capability: code, length, value.
func bgpCap(code byte, value ...[]byte) []byte {
	v := bgpCat(value...)
	return append([]byte{code, byte(len(v))}, v...)
}

// bgpOpen builds an OPEN with all capabilities in one Capabilities
// optional parameter (type 2).
func bgpOpen(as uint16, hold uint16, id string, caps ...[]byte) []byte {
	c := bgpCat(caps...)
	var params []byte
	if len(caps) > 0 {
		params = append([]byte{2, byte(len(c))}, c...)
	}
	return bgpMsg(1, []byte{4}, bgpU16(as), bgpU16(hold), bgpAddr(id), []byte{byte(len(params))}, params)
}

// bgpPrefix encodes a prefix as its length in bits and the minimal bytes,
// with an ADD-PATH path identifier first when pathID is not 0.
func bgpPrefix(s string, pathID uint32) []byte {
	p := netip.MustParsePrefix(s)
	var b []byte
	if pathID != 0 {
		b = bgpU32(pathID)
	}
	b = append(b, byte(p.Bits()))
	return append(b, p.Addr().AsSlice()[:(p.Bits()+7)/8]...)
}

// bgpAttr is a path attribute; the extended length flag (0x10) picks a
// 2-byte length.
func bgpAttr(flags, code byte, value ...[]byte) []byte {
	v := bgpCat(value...)
	if flags&0x10 != 0 {
		return bgpCat([]byte{flags, code}, bgpU16(uint16(len(v))), v)
	}
	return bgpCat([]byte{flags, code, byte(len(v))}, v)
}

func bgpUpdate(withdrawn, attrs, nlri []byte) []byte {
	return bgpMsg(2, bgpU16(uint16(len(withdrawn))), withdrawn, bgpU16(uint16(len(attrs))), attrs, nlri)
}

// bgpSegment is an AS_PATH segment with 2- or 4-byte AS numbers.
func bgpSegment(typ byte, four bool, ases ...uint32) []byte {
	b := []byte{typ, byte(len(ases))}
	for _, a := range ases {
		if four {
			b = append(b, bgpU32(a)...)
		} else {
			b = append(b, bgpU16(uint16(a))...)
		}
	}
	return b
}

var bgpKeepalive = bgpMsg(4)

func TestBGPMessages(t *testing.T) {
	reg := libraryRegistry(t)
	origin := bgpAttr(0x40, 1, []byte{0})
	nextHop := bgpAttr(0x40, 3, bgpAddr("192.0.2.1"))
	tests := []struct {
		name    string
		dir     Direction
		data    []byte
		summary string
		fields  map[string]string
		absent  []string
	}{
		{
			name: "OPEN with capabilities",
			dir:  ClientToServer,
			data: bgpOpen(23456, 180, "10.0.0.1",
				bgpCap(1, bgpU16(1), []byte{0, 1}),
				bgpCap(2),
				bgpCap(65, bgpU32(4200000001)),
				bgpCap(64, bgpU16(0x8078), bgpU16(1), []byte{1, 0x80}),
				bgpCap(69, bgpU16(2), []byte{1, 3}),
				bgpCap(5, bgpU16(1), bgpU16(1), bgpU16(2)),
				bgpCap(9, []byte{3}),
				bgpCap(73, []byte{2}, []byte("r1"), []byte{7}, []byte("example")),
				bgpCap(200, []byte{1, 2}),
			),
			summary: "OPEN Message, AS 23456, hold time 180 s, ID 10.0.0.1",
			fields: map[string]string{
				"marker": "ffffffffffffffffffffffffffffffff", "type": "OPEN (1)",
				"body.version": "4", "body.my_as": "23456", "body.hold_time": "180 s", "body.identifier": "10.0.0.1",
				"body.extended":                                                 "0",
				"body.params.0.type":                                            "Capabilities (2)",
				"body.params.0.value.0.code":                                    "Multiprotocol extensions (1)",
				"body.params.0.value.0.value.afi":                               "IPv4 (1)",
				"body.params.0.value.0.value.safi":                              "Unicast (1)",
				"body.params.0.value.1":                                         "Route refresh (2)",
				"body.params.0.value.2.value.as":                                "4200000001",
				"body.params.0.value.3.value":                                   ": restart time 120 s",
				"body.params.0.value.3.value.restart_state":                     "1",
				"body.params.0.value.3.value.families.0.flags.forwarding_state": "1",
				"body.params.0.value.4":                                         "ADD-PATH (69): 1 item",
				"body.params.0.value.4.value.families.0.afi":                    "IPv6 (2)",
				"body.params.0.value.4.value.families.0.send_receive":           "Send and receive (3)",
				"body.params.0.value.5.value.families.0.nexthop_afi":            "IPv6 (2)",
				"body.params.0.value.6.value.role":                              "Customer (3)",
				"body.params.0.value.7.value.hostname":                          `"r1"`,
				"body.params.0.value.7.value.domain":                            `"example"`,
				"body.params.0.value.8":                                         "Unknown (200): 0102",
			},
			absent: []string{"body.ext_len"},
		},
		{
			name: "OPEN with RFC 9072 extended optional parameters",
			dir:  ServerToClient,
			data: bgpMsg(1, []byte{4}, bgpU16(65002), bgpU16(90), bgpAddr("10.0.0.2"),
				[]byte{255, 255}, bgpU16(9), []byte{2}, bgpU16(6), bgpCap(65, bgpU32(65002))),
			summary: "OPEN Message, AS 65002, hold time 90 s, ID 10.0.0.2",
			fields: map[string]string{
				"body.opt_len": "255", "body.extended": "1", "body.ext_type": "255", "body.ext_len": "9",
				"body.params.0.length_ext": "6", "body.params.0.value.0.value.as": "65002",
			},
			absent: []string{"body.params.0.length"},
		},
		{
			name:    "OPEN with no optional parameters",
			dir:     ServerToClient,
			data:    bgpOpen(65002, 0, "192.0.2.254"),
			summary: "OPEN Message, AS 65002, hold time 0 s, ID 192.0.2.254",
			fields:  map[string]string{"body.opt_len": "0", "body.params": "0 items"},
		},
		{
			name:    "KEEPALIVE",
			dir:     ClientToServer,
			data:    bgpKeepalive,
			summary: "KEEPALIVE Message",
			fields:  map[string]string{"length": "19", "type": "KEEPALIVE (4)"},
		},
		{
			name: "UPDATE with the common attributes",
			dir:  ServerToClient,
			data: bgpUpdate(
				bgpPrefix("192.168.0.0/16", 0),
				bgpCat(origin,
					bgpAttr(0x40, 2, bgpSegment(2, true, 4200000001, 65010, 65020), bgpSegment(1, true, 100, 200)),
					nextHop,
					bgpAttr(0x80, 4, bgpU32(50)),
					bgpAttr(0x40, 5, bgpU32(200)),
					bgpAttr(0x40, 6),
					bgpAttr(0xC0, 7, bgpU32(65001), bgpAddr("10.0.0.9")),
					bgpAttr(0xC0, 8, bgpU16(65001), bgpU16(100), bgpU32(0xFFFFFF01)),
					bgpAttr(0x80, 9, bgpAddr("10.9.9.9")),
					bgpAttr(0x80, 10, bgpAddr("10.8.8.8"), bgpAddr("10.7.7.7")),
					bgpAttr(0xC0, 16, []byte{0x00, 0x02}, bgpU16(65001), bgpU32(7)),
					bgpAttr(0xC0, 32, bgpU32(65001), bgpU32(1), bgpU32(2)),
					bgpAttr(0xC0, 26, []byte{1, 0, 11, 0, 0, 0, 0, 0, 0, 0, 5}),
				),
				bgpCat(bgpPrefix("10.1.0.0/16", 0), bgpPrefix("172.16.5.0/24", 0), bgpPrefix("0.0.0.0/0", 0), bgpPrefix("203.0.113.7/32", 0)),
			),
			summary: "UPDATE Message: withdrawn 1 item, attributes 13 items, NLRI 4 items",
			fields: map[string]string{
				"body.withdrawn.0":                                                "192.168.0.0/16",
				"body.withdrawn.0.length":                                         "16",
				"body.withdrawn.0.prefix":                                         "c0a8",
				"body.path_attributes.0":                                          "ORIGIN (1): IGP (0)",
				"body.path_attributes.0.flags.transitive":                         "1",
				"body.path_attributes.0.flags.optional":                           "0",
				"body.path_attributes.0.length":                                   "1",
				"body.path_attributes.0.value.origin":                             "IGP (0)",
				"body.path_attributes.1.value.as4":                                "1",
				"body.path_attributes.1.value.segments.0.type":                    "AS_SEQUENCE (2)",
				"body.path_attributes.1.value.segments.0.as4.0":                   "4200000001",
				"body.path_attributes.1.value.segments.0.as4.2":                   "65020",
				"body.path_attributes.1.value.segments.1.type":                    "AS_SET (1)",
				"body.path_attributes.1.value.segments.1.as4.1":                   "200",
				"body.path_attributes.2":                                          "NEXT_HOP (3): 192.0.2.1",
				"body.path_attributes.3.value.med":                                "50",
				"body.path_attributes.3.flags.optional":                           "1",
				"body.path_attributes.4.value.local_pref":                         "200",
				"body.path_attributes.5":                                          "ATOMIC_AGGREGATE (6)",
				"body.path_attributes.6":                                          "AGGREGATOR (7): AS 65001, 10.0.0.9",
				"body.path_attributes.7.value.communities.0":                      "65001:100",
				"body.path_attributes.7.value.communities.0.community.as":         "65001",
				"body.path_attributes.7.value.communities.1.community.well_known": "NO_EXPORT (4294967041)",
				"body.path_attributes.8":                                          "ORIGINATOR_ID (9): 10.9.9.9",
				"body.path_attributes.9.value.cluster_ids.1":                      "10.7.7.7",
				"body.path_attributes.10.value.communities.0":                     "0x00/0x02",
				"body.path_attributes.11.value.communities.0":                     "65001:1:2",
				"body.path_attributes.12":                                         "AIGP (26): 01000b0000000000000005",
				"body.nlri.0":                                                     "10.1.0.0/16",
				"body.nlri.1":                                                     "172.16.5.0/24",
				"body.nlri.2":                                                     "0.0.0.0/0",
				"body.nlri.2.prefix":                                              "(empty)",
				"body.nlri.3":                                                     "203.0.113.7/32",
			},
			absent: []string{"body.path_attributes.7.value.communities.0.community.well_known", "body.path_attributes.7.value.communities.1.community.as", "body.nlri.0.path_id"},
		},
		{
			name: "UPDATE with a 2-byte AS_PATH (guessed from its length)",
			dir:  ClientToServer,
			data: bgpUpdate(nil,
				bgpCat(origin, bgpAttr(0x40, 2, bgpSegment(2, false, 65001, 65002, 65003)), nextHop,
					bgpAttr(0xC0, 7, bgpU16(65001), bgpAddr("10.0.0.9"))),
				bgpPrefix("198.51.100.0/24", 0)),
			fields: map[string]string{
				"body.path_attributes.1.value.as4":              "0",
				"body.path_attributes.1.value.segments.0.count": "3",
				"body.path_attributes.1.value.segments.0.as2.2": "65003",
				"body.path_attributes.3.value.as":               "65001",
				"body.nlri.0":                                   "198.51.100.0/24",
			},
			absent: []string{"body.path_attributes.1.value.segments.0.as4"},
		},
		{
			name: "UPDATE with AS4_PATH and an extended length attribute",
			dir:  ClientToServer,
			data: bgpUpdate(nil,
				bgpCat(bgpAttr(0x50, 2, bgpSegment(2, false, 23456)), bgpAttr(0xD0, 17, bgpSegment(2, true, 4200000001))),
				nil),
			fields: map[string]string{
				"body.path_attributes.0.flags.extended_length":  "1",
				"body.path_attributes.0.length_ext":             "4",
				"body.path_attributes.0.value.segments.0.as2.0": "23456",
				"body.path_attributes.1.value.segments.0.as4.0": "4200000001",
			},
			absent: []string{"body.path_attributes.0.length"},
		},
		{
			name: "UPDATE with MP_REACH_NLRI and MP_UNREACH_NLRI for IPv6",
			dir:  ClientToServer,
			data: bgpUpdate(nil, bgpCat(
				bgpAttr(0x40, 1, []byte{2}),
				bgpAttr(0x50, 2),
				bgpAttr(0x90, 14, bgpU16(2), []byte{1, 32}, bgpAddr("2001:db8::1"), bgpAddr("fe80::1"), []byte{0},
					bgpPrefix("2001:db8::/32", 0), bgpPrefix("2001:db8:1:2::/64", 0)),
				bgpAttr(0x90, 15, bgpU16(2), []byte{1}, bgpPrefix("2001:db8:9::/48", 0)),
			), nil),
			summary: "UPDATE Message: withdrawn 0 items, attributes 4 items, NLRI 0 items",
			fields: map[string]string{
				"body.path_attributes.0.value.origin":                 "INCOMPLETE (2)",
				"body.path_attributes.1.value.segments":               "0 items",
				"body.path_attributes.2":                              "MP_REACH_NLRI (14): IPv6 (2) Unicast (1), NLRI 2 items",
				"body.path_attributes.2.value.nh_len":                 "32",
				"body.path_attributes.2.value.next_hop.global":        "20010db8000000000000000000000001",
				"body.path_attributes.2.value.next_hop.link_local":    "fe800000000000000000000000000001",
				"body.path_attributes.2.value.nlri.prefixes.0":        "2001:db8::/32",
				"body.path_attributes.2.value.nlri.prefixes.1.length": "64",
				"body.path_attributes.3":                              "MP_UNREACH_NLRI (15): IPv6 (2) Unicast (1), withdrawn 1 item",
				"body.path_attributes.3.value.withdrawn.prefixes.0":   "2001:db8:9::/48",
			},
		},
		{
			name: "UPDATE with MP_REACH_NLRI for IPv4 multicast and VPN",
			dir:  ClientToServer,
			data: bgpUpdate(nil, bgpCat(
				bgpAttr(0x90, 14, bgpU16(1), []byte{2, 4}, bgpAddr("192.0.2.1"), []byte{0}, bgpPrefix("232.1.0.0/16", 0)),
				bgpAttr(0x90, 14, bgpU16(1), []byte{128, 12}, make([]byte, 8), bgpAddr("192.0.2.1"), []byte{0},
					[]byte{24 + 64 + 24, 0x00, 0x01, 0x01, 0, 0, 0xFD, 0xE9, 0, 0, 0, 1, 10, 1, 2}),
				bgpAttr(0x90, 14, bgpU16(25), []byte{70, 4}, bgpAddr("192.0.2.1"), []byte{0}, []byte{2, 3, 1, 2, 3}),
			), nil),
			fields: map[string]string{
				"body.path_attributes.0.value.next_hop":               "192.0.2.1",
				"body.path_attributes.0.value.nlri.prefixes.0":        "232.1.0.0/16",
				"body.path_attributes.1.value.safi":                   "Labeled VPN Unicast (128)",
				"body.path_attributes.1.value.next_hop":               "0000000000000000c0000201",
				"body.path_attributes.1.value.nlri.prefixes.0.length": "112",
				"body.path_attributes.2.value.afi":                    "Layer-2 VPN (25)",
				"body.path_attributes.2.value.nlri.prefixes":          "0203010203",
			},
		},
		{
			name:    "End-of-RIB marker",
			dir:     ServerToClient,
			data:    bgpUpdate(nil, nil, nil),
			summary: "UPDATE Message: withdrawn 0 items, attributes 0 items, NLRI 0 items",
			fields:  map[string]string{"length": "23", "body.withdrawn_len": "0", "body.attrs_len": "0"},
		},
		{
			name:    "NOTIFICATION: administrative shutdown with a message",
			dir:     ServerToClient,
			data:    bgpMsg(3, []byte{6, 2, 5}, []byte("maint")),
			summary: "NOTIFICATION Message: Cease, Administrative Shutdown",
			fields: map[string]string{
				"body.code": "Cease (6)", "body.subcode": "Administrative Shutdown (2)",
				"body.communication.length": "5", "body.communication.text": `"maint"`, "body.data": "(empty)",
			},
		},
		{
			name:    "NOTIFICATION: OPEN error, bad peer AS",
			dir:     ClientToServer,
			data:    bgpMsg(3, []byte{2, 2}, bgpU16(65099)),
			summary: "NOTIFICATION Message: OPEN Message Error, Bad Peer AS",
			fields:  map[string]string{"body.data": "fe4b"},
			absent:  []string{"body.communication"},
		},
		{
			name:    "NOTIFICATION: UPDATE error",
			dir:     ClientToServer,
			data:    bgpMsg(3, []byte{3, 11}),
			summary: "NOTIFICATION Message: UPDATE Message Error, Malformed AS_PATH",
		},
		{
			name:    "NOTIFICATION: hold timer expired",
			dir:     ClientToServer,
			data:    bgpMsg(3, []byte{4, 0}),
			summary: "NOTIFICATION Message: Hold Timer Expired, 0",
		},
		{
			name:    "NOTIFICATION: unknown code",
			dir:     ClientToServer,
			data:    bgpMsg(3, []byte{42, 7}),
			summary: "NOTIFICATION Message: Unknown (42), 7",
		},
		{
			name:    "ROUTE-REFRESH",
			dir:     ClientToServer,
			data:    bgpMsg(5, bgpU16(1), []byte{0, 1}),
			summary: "ROUTE-REFRESH Message: IPv4 Unicast, Normal route refresh",
			fields:  map[string]string{"body.afi": "IPv4 (1)", "body.safi": "Unicast (1)", "body.subtype": "Normal route refresh (0)"},
		},
		{
			name:    "enhanced ROUTE-REFRESH: end of route refresh",
			dir:     ServerToClient,
			data:    bgpMsg(5, bgpU16(2), []byte{2, 1}),
			summary: "ROUTE-REFRESH Message: IPv6 Unicast, End of Route Refresh",
		},
		{
			name:    "unknown message type",
			dir:     ServerToClient,
			data:    bgpMsg(9, []byte{1, 2, 3}),
			summary: "Unknown (9) Message: 010203",
			fields:  map[string]string{"body.data": "010203"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkOneFrame(t, reg, "bgp", tt.dir, tt.data, tt.summary, tt.fields, tt.absent)
		})
	}
}

// What the OPENs negotiate changes how UPDATEs are read: 2-byte AS numbers
// when either side lacks the 4-octet AS capability, and ADD-PATH path
// identifiers in the direction where the sender may send and the receiver
// receive them.
func TestBGPNegotiation(t *testing.T) {
	reg := libraryRegistry(t)
	mp := bgpCap(1, bgpU16(1), []byte{0, 1})
	// Two segments of 2-byte ASes (65001 65002, then 65003), which would
	// also read as one segment of two 4-byte ASes: only the OPENs can tell.
	ambiguous := bgpAttr(0x40, 2, []byte{2, 2, 0xFD, 0xE9, 0xFD, 0xEA, 2, 1, 0xFD, 0xEB})
	t.Run("2-byte AS session", func(t *testing.T) {
		recs := decodeChunks(t, reg, "bgp", []chunk{
			{ClientToServer, bgpOpen(65001, 90, "10.0.0.1", mp)},
			{ServerToClient, bgpOpen(65002, 90, "10.0.0.2", mp, bgpCap(65, bgpU32(65002)))},
			{ClientToServer, bgpUpdate(nil, ambiguous, nil)},
		})
		if len(recs) != 3 || recs[2].Err != "" {
			t.Fatalf("records %v", recs)
		}
		u := recs[2]
		if got := u.Field(t, "body.path_attributes.0.value.as4"); got != "0" {
			t.Errorf("as4 = %s, want 0", got)
		}
		if got := u.Field(t, "body.path_attributes.0.value.segments.1.as2.0"); got != "65003" {
			t.Errorf("AS = %s, want 65003", got)
		}
	})
	t.Run("no OPENs: the same AS_PATH is taken as 4-byte", func(t *testing.T) {
		recs := decodeChunks(t, reg, "bgp", []chunk{{ClientToServer, bgpUpdate(nil, ambiguous, nil)}})
		if len(recs) != 1 || recs[0].Err != "" {
			t.Fatalf("records %v", recs)
		}
		if got := recs[0].Field(t, "body.path_attributes.0.value.segments.0.as4.0"); got != "4259970538" {
			t.Errorf("AS = %s, want 4259970538", got)
		}
	})
	t.Run("4-byte AS session", func(t *testing.T) {
		recs := decodeChunks(t, reg, "bgp", []chunk{
			{ClientToServer, bgpOpen(65001, 90, "10.0.0.1", mp, bgpCap(65, bgpU32(65001)))},
			{ServerToClient, bgpOpen(65002, 90, "10.0.0.2", mp, bgpCap(65, bgpU32(65002)))},
			{ClientToServer, bgpUpdate(nil, bgpAttr(0x40, 2, bgpSegment(2, true, 65001, 65002)), nil)},
		})
		if len(recs) != 3 || recs[2].Err != "" {
			t.Fatalf("records %v", recs)
		}
		if got := recs[2].Field(t, "body.path_attributes.0.value.segments.0.as4.1"); got != "65002" {
			t.Errorf("second AS = %s, want 65002", got)
		}
	})
	t.Run("ADD-PATH from client to server only", func(t *testing.T) {
		ap := func(mode byte) []byte { return bgpCap(69, bgpU16(1), []byte{1, mode}, bgpU16(2), []byte{1, mode}) }
		v6 := func(pathID uint32) []byte {
			return bgpAttr(0x90, 14, bgpU16(2), []byte{1, 16}, bgpAddr("2001:db8::1"), []byte{0}, bgpPrefix("2001:db8:5::/48", pathID))
		}
		recs := decodeChunks(t, reg, "bgp", []chunk{
			{ClientToServer, bgpOpen(65001, 90, "10.0.0.1", mp, ap(2))}, // send
			{ServerToClient, bgpOpen(65002, 90, "10.0.0.2", mp, ap(1))}, // receive
			{ClientToServer, bgpUpdate(bgpPrefix("10.9.0.0/16", 7), bgpCat(bgpAttr(0x40, 1, []byte{0}), v6(9)), bgpPrefix("10.1.0.0/16", 5))},
			{ServerToClient, bgpUpdate(nil, bgpAttr(0x40, 1, []byte{0}), bgpPrefix("10.2.0.0/16", 0))},
		})
		if len(recs) != 4 {
			t.Fatalf("records %v", recs)
		}
		for _, r := range recs {
			if r.Err != "" {
				t.Fatalf("record %v", r)
			}
		}
		c := recs[2]
		for path, want := range map[string]string{
			"body.withdrawn.0.path_id": "7", "body.withdrawn.0": "10.9.0.0/16",
			"body.nlri.0.path_id": "5", "body.nlri.0": "10.1.0.0/16",
			"body.path_attributes.1.value.nlri.prefixes.0.path_id": "9",
			"body.path_attributes.1.value.nlri.prefixes.0":         "2001:db8:5::/48",
		} {
			if got := c.Field(t, path); got != want {
				t.Errorf("client UPDATE %s = %q, want %q", path, got, want)
			}
		}
		s := recs[3]
		if got := s.Field(t, "body.nlri.0"); got != "10.2.0.0/16" {
			t.Errorf("server UPDATE nlri = %q", got)
		}
		if _, ok := s.Fields["body.nlri.0.path_id"]; ok {
			t.Error("server UPDATE has a path id, but the client only advertised send")
		}
	})
}

func TestBGPEverySplit(t *testing.T) {
	reg := libraryRegistry(t)
	stream := bgpCat(
		bgpOpen(65001, 90, "10.0.0.1", bgpCap(1, bgpU16(1), []byte{0, 1}), bgpCap(65, bgpU32(65001))),
		bgpKeepalive,
		bgpUpdate(bgpPrefix("192.168.0.0/16", 0),
			bgpCat(bgpAttr(0x40, 1, []byte{0}), bgpAttr(0x40, 2, bgpSegment(2, true, 65001)), bgpAttr(0x40, 3, bgpAddr("10.0.0.1"))),
			bgpPrefix("10.1.0.0/16", 0)),
		bgpMsg(5, bgpU16(1), []byte{0, 1}),
		bgpMsg(3, []byte{6, 4, 3}, []byte("bye")),
	)
	recs := checkEverySplit(t, reg, "bgp", ClientToServer, stream)
	want := []string{
		"OPEN Message, AS 65001, hold time 90 s, ID 10.0.0.1",
		"KEEPALIVE Message",
		"UPDATE Message: withdrawn 1 item, attributes 3 items, NLRI 1 item",
		"ROUTE-REFRESH Message: IPv4 Unicast, Normal route refresh",
		"NOTIFICATION Message: Cease, Administrative Reset",
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d: %v", len(recs), len(want), recs)
	}
	for i, r := range recs {
		if r.Kind != KindFrame || r.Err != "" || r.Summary != want[i] {
			t.Errorf("record %d: %v, want %q", i, r, want[i])
		}
	}
}

func TestBGPMalformed(t *testing.T) {
	reg := libraryRegistry(t)
	badMarker := bgpMsg(4)
	badMarker[3] = 0
	short := bgpMsg(4)
	short[17] = 18
	tests := []struct {
		name string
		data []byte
		want []string // per record: kind and a piece of its error
	}{
		{"truncated message", bgpUpdate(nil, nil, bgpPrefix("10.0.0.0/8", 0))[:21], []string{"frame incomplete frame"}},
		{"marker not all ones", bgpCat(badMarker, bgpKeepalive), []string{"skipped searching", "frame "}},
		{"length below 19", bgpCat(short, bgpKeepalive), []string{"skipped searching", "frame "}},
		{"garbage", []byte("GET / HTTP/1.1\r\n\r\n"), []string{"skipped searching"}},
		{
			"attribute longer than the attributes",
			bgpCat(bgpUpdate(nil, []byte{0x40, 1, 9, 0}, nil), bgpKeepalive),
			[]string{"frame truncated", "frame "},
		},
		{
			"prefix longer than 32 bits",
			bgpCat(bgpUpdate(nil, nil, []byte{33, 1, 2, 3, 4, 5}), bgpKeepalive),
			[]string{"frame out of range", "frame "},
		},
		{
			"prefix bytes missing",
			bgpCat(bgpUpdate(nil, nil, []byte{24, 10, 1}), bgpKeepalive),
			[]string{"frame truncated", "frame "},
		},
		{
			"withdrawn length past the end",
			bgpCat(bgpMsg(2, bgpU16(100)), bgpKeepalive),
			[]string{"frame truncated", "frame "},
		},
		{
			"capability longer than its parameter",
			bgpCat(bgpMsg(1, []byte{4}, bgpU16(1), bgpU16(90), bgpAddr("10.0.0.1"), []byte{4, 2, 2, 65, 8}), bgpKeepalive),
			[]string{"frame truncated", "frame "},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := decodeChunks(t, reg, "bgp", []chunk{{ClientToServer, tt.data}})
			if len(recs) != len(tt.want) {
				t.Fatalf("%d records, want %d: %v", len(recs), len(tt.want), recs)
			}
			total := 0
			for i, r := range recs {
				kind, errPart, _ := strings.Cut(tt.want[i], " ")
				if r.Kind.String() != kind || !strings.Contains(r.Err, errPart) {
					t.Errorf("record %d: %v, want %s with error containing %q", i, r, kind, errPart)
				}
				if i == len(recs)-1 && kind == "frame" && errPart == "" && r.Err != "" {
					t.Errorf("last record %v: want no error", r)
				}
				total += r.Length
			}
			if total != len(tt.data) {
				t.Errorf("records cover %d bytes, input has %d", total, len(tt.data))
			}
		})
	}
}
