package dissectors

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

// Tests of the bundled STUN schema (library/stun.dsl), on messages built
// here from RFC 8489, RFC 8445 and RFC 8656, and on the test vectors of
// RFC 5769.

const stunCookie = 0x2112A442

// stunAttr is an attribute: type, length, value padded to 4 bytes.
func stunAttr(typ int, value []byte) []byte {
	b := []byte{byte(typ >> 8), byte(typ), byte(len(value) >> 8), byte(len(value))}
	b = append(b, value...)
	return append(b, make([]byte, (4-len(value)%4)%4)...)
}

// stunType interleaves a method and a class into a message type.
func stunType(method, class int) int {
	return method&0xF | (class&1)<<4 | (method>>4&0x7)<<5 | (class>>1&1)<<8 | (method>>7)<<9
}

// stunMessage builds a message.
func stunMessage(method, class int, tid []byte, attrs ...[]byte) []byte {
	body := bytes.Join(attrs, nil)
	typ := stunType(method, class)
	b := []byte{byte(typ >> 8), byte(typ), byte(len(body) >> 8), byte(len(body)), 0x21, 0x12, 0xA4, 0x42}
	b = append(b, tid...)
	return append(b, body...)
}

// stunXorAddr4 is the value of an XOR-MAPPED-ADDRESS for an IPv4 address.
func stunXorAddr4(ip [4]byte, port int) []byte {
	p := port ^ stunCookie>>16
	return []byte{0, 1, byte(p >> 8), byte(p), ip[0] ^ 0x21, ip[1] ^ 0x12, ip[2] ^ 0xA4, ip[3] ^ 0x42}
}

// stunXorAddr6 is the value of an XOR-MAPPED-ADDRESS for an IPv6 address:
// XOR-ed with the cookie and the transaction id.
func stunXorAddr6(ip [16]byte, port int, tid []byte) []byte {
	p := port ^ stunCookie>>16
	key := append([]byte{0x21, 0x12, 0xA4, 0x42}, tid...)
	b := []byte{0, 2, byte(p >> 8), byte(p)}
	for i := range ip {
		b = append(b, ip[i]^key[i])
	}
	return b
}

func stunHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.NewReplacer(" ", "", "\n", "", "\t", "").Replace(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func stunDecode(t *testing.T, dir Direction, msg []byte) decodedFrame {
	t.Helper()
	return decodeDatagram(t, libraryRegistry(t), "stun", dir, msg)
}

// RFC 5769 section 2: a request and two responses, with MESSAGE-INTEGRITY
// (password "VOkJxbRl1RmTxUk/WvJxBt") and FINGERPRINT.
func TestSTUNRFC5769Vectors(t *testing.T) {
	request := stunHex(t, `
		00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
		80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
		00 24 00 04 6e 00 01 ff
		80 29 00 08 93 2f f9 b1 51 26 3b 36
		00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
		00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
		80 28 00 04 e5 7a 3b cf`)
	v4 := stunHex(t, `
		01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
		80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
		00 20 00 08 00 01 a1 47 e1 12 a6 43
		00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
		80 28 00 04 c0 7d 4c 96`)
	v6 := stunHex(t, `
		01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
		80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
		00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
		00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
		80 28 00 04 c8 fb 0b 4c`)

	f := stunDecode(t, ClientToServer, request)
	if f.Err != "" || f.Summary != "Binding Request user: evtj:h6vY" {
		t.Fatalf("request: %v", f)
	}
	checkFields(t, f, map[string]string{
		"message_type":                   "0x0001",
		"method":                         "1",
		"class":                          "0",
		"method_name":                    "Binding",
		"class_name":                     "Request",
		"length":                         "88",
		"cookie":                         "0x2112a442",
		"transaction_id":                 "b7e7a701bc34d686fa87dfae",
		"attributes":                     "6 items",
		"attributes.0":                   "SOFTWARE (0x8022)",
		"attributes.0.value.software":    `"STUN test client"`,
		"attributes.1.value.priority":    "1845494271",
		"attributes.2.type":              "ICE-CONTROLLED (0x8029)",
		"attributes.2.value.tie_breaker": "932ff9b151263b36",
		"attributes.3.length":            "9",
		"attributes.3.value.username":    `"evtj:h6vY"`,
		"attributes.3.padding":           "202020",
		"attributes.4.value.hmac":        "9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2",
		"attributes.5.type":              "FINGERPRINT (0x8028)",
		"attributes.5.value.crc32":       "0xe57a3bcf",
	})

	f = stunDecode(t, ServerToClient, v4)
	if f.Err != "" || f.Summary != "Binding Success Response XOR-MAPPED-ADDRESS: 192.0.2.1:32853" {
		t.Fatalf("IPv4 response: %v", f)
	}
	checkFields(t, f, map[string]string{
		"message_type":                         "0x0101",
		"class":                                "2",
		"attributes.0.value.software":          `"test vector"`,
		"attributes.0.padding":                 "20",
		"attributes.1":                         "XOR-MAPPED-ADDRESS (0x0020)",
		"attributes.1.value":                   " XOR-MAPPED-ADDRESS: 192.0.2.1:32853",
		"attributes.1.value.family":            "IPv4 (1)",
		"attributes.1.value.x_port":            "0xa147",
		"attributes.1.value.port":              "32853",
		"attributes.1.value.address.x_address": "0xe112a643",
		"attributes.1.value.address.address":   "192.0.2.1",
		"attributes.3.value.crc32":             "0xc07d4c96",
	})

	f = stunDecode(t, ServerToClient, v6)
	if f.Err != "" || !strings.HasPrefix(f.Summary, "Binding Success Response XOR-MAPPED-ADDRESS: [2001:db8:1234:5678:11:2233:4455:6677]:32853") {
		t.Fatalf("IPv6 response: %v", f)
	}
	checkFields(t, f, map[string]string{
		"attributes.1.value.family":            "IPv6 (2)",
		"attributes.1.value.port":              "32853",
		"attributes.1.value.address.x_address": "0113a9faa5d3f179bc25f4b5bed2b9d9",
		"attributes.1.value.address.address":   "2001:db8:1234:5678:11:2233:4455:6677",
		"attributes.1.value":                   " XOR-MAPPED-ADDRESS: [2001:db8:1234:5678:11:2233:4455:6677]:32853",
	})
}

func TestSTUNMessages(t *testing.T) {
	tid := []byte("0123456789ab")
	v6 := [16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}
	tests := []struct {
		name    string
		msg     []byte
		dir     Direction
		summary string
		want    map[string]string
	}{
		{
			name: "binding request for ICE",
			msg: stunMessage(1, 0, tid,
				stunAttr(0x0006, []byte("alice:bob")),
				stunAttr(0x0024, []byte{0x6e, 0x7f, 0x1e, 0xff}),
				stunAttr(0x802A, []byte{1, 2, 3, 4, 5, 6, 7, 8}),
				stunAttr(0x0025, nil)),
			dir:     ClientToServer,
			summary: "Binding Request user: alice:bob",
			want: map[string]string{
				"attributes.0.value.username":    `"alice:bob"`,
				"attributes.0.padding":           "000000",
				"attributes.1.value.priority":    "1853824767",
				"attributes.2":                   "ICE-CONTROLLING (0x802a)",
				"attributes.2.value.tie_breaker": "0102030405060708",
				"attributes.3":                   "USE-CANDIDATE (0x0025)",
				"attributes.3.length":            "0",
			},
		},
		{
			name: "success response, IPv6 and plain addresses",
			msg: stunMessage(1, 2, tid,
				stunAttr(0x0020, stunXorAddr6(v6, 3478, tid)),
				stunAttr(0x0001, []byte{0, 1, 0x0d, 0x96, 198, 51, 100, 7}),
				stunAttr(0x802B, []byte{0, 1, 0x0d, 0x96, 203, 0, 113, 1}),
				stunAttr(0x802C, append([]byte{0, 2, 0x0d, 0x97}, v6[:]...))),
			dir:     ServerToClient,
			summary: "Binding Success Response XOR-MAPPED-ADDRESS: [2001:db8::1]:3478 MAPPED-ADDRESS: 198.51.100.7:3478 RESPONSE-ORIGIN: 203.0.113.1:3478 OTHER-ADDRESS: 20010db8000000000000000000000001:3479",
			want: map[string]string{
				"attributes.0.value":                 " XOR-MAPPED-ADDRESS: [2001:db8::1]:3478",
				"attributes.1":                       "MAPPED-ADDRESS (0x0001)",
				"attributes.1.value":                 " MAPPED-ADDRESS: 198.51.100.7:3478",
				"attributes.2":                       "RESPONSE-ORIGIN (0x802b)",
				"attributes.2.value.address":         "203.0.113.1",
				"attributes.3":                       "OTHER-ADDRESS (0x802c)",
				"attributes.3.value.port":            "3479",
				"attributes.3.value.address.address": "20010db8000000000000000000000001",
			},
		},
		{
			name: "error response",
			msg: stunMessage(1, 3, tid,
				stunAttr(0x0009, append([]byte{0, 0, 4, 20}, "Unknown Attribute"...)),
				stunAttr(0x000A, []byte{0x00, 0x24, 0x80, 0x29}),
				stunAttr(0x0014, []byte("example.org")),
				stunAttr(0x0015, []byte("f//499k954d6OL34oL9FSTvy64sA")),
				stunAttr(0x8022, []byte("example server 1.0"))),
			dir:     ServerToClient,
			summary: "Binding Error Response error-code: 420 Unknown Attribute realm: example.org with nonce",
			want: map[string]string{
				"class":                       "3",
				"attributes.0.value":          " error-code: 420 Unknown Attribute",
				"attributes.0.value.class":    "4",
				"attributes.0.value.number":   "20",
				"attributes.0.value.code":     "420",
				"attributes.1.value.types.0":  "PRIORITY (0x0024)",
				"attributes.1.value.types.1":  "ICE-CONTROLLED (0x8029)",
				"attributes.2.value.realm":    `"example.org"`,
				"attributes.3.value.nonce":    `"f//499k954d6OL34oL9FSTvy64sA"`,
				"attributes.4.value.software": `"example server 1.0"`,
			},
		},
		{
			name:    "binding indication",
			msg:     stunMessage(1, 1, tid),
			dir:     ClientToServer,
			summary: "Binding Indication",
			want:    map[string]string{"message_type": "0x0011", "class": "1", "length": "0", "attributes": "0 items"},
		},
		{
			name: "TURN allocate",
			msg: stunMessage(3, 0, tid,
				stunAttr(0x0019, []byte{17, 0, 0, 0}),
				stunAttr(0x000D, []byte{0, 0, 0x02, 0x58}),
				stunAttr(0x001A, nil)),
			dir:     ClientToServer,
			summary: "Allocate Request UDP lifetime: 600 s",
			want: map[string]string{
				"message_type":                 "0x0003",
				"method":                       "3",
				"attributes.0.value.transport": "UDP (17)",
				"attributes.1.value.lifetime":  "600 s",
				"attributes.2":                 "DONT-FRAGMENT (0x001a)",
			},
		},
		{
			name: "TURN allocate success",
			msg: stunMessage(3, 2, tid,
				stunAttr(0x0016, stunXorAddr4([4]byte{203, 0, 113, 5}, 49152)),
				stunAttr(0x0020, stunXorAddr4([4]byte{198, 51, 100, 2}, 50000))),
			dir:     ServerToClient,
			summary: "Allocate Success Response XOR-RELAYED-ADDRESS: 203.0.113.5:49152 XOR-MAPPED-ADDRESS: 198.51.100.2:50000",
			want: map[string]string{
				"attributes.0":       "XOR-RELAYED-ADDRESS (0x0016)",
				"attributes.0.value": " XOR-RELAYED-ADDRESS: 203.0.113.5:49152",
				"attributes.1.value": " XOR-MAPPED-ADDRESS: 198.51.100.2:50000",
			},
		},
		{
			name: "TURN send indication",
			msg: stunMessage(6, 1, tid,
				stunAttr(0x0012, stunXorAddr4([4]byte{192, 0, 2, 9}, 5000)),
				stunAttr(0x0013, []byte("hello"))),
			dir:     ClientToServer,
			summary: "Send Indication XOR-PEER-ADDRESS: 192.0.2.9:5000",
			want: map[string]string{
				"method":                  "6",
				"attributes.0":            "XOR-PEER-ADDRESS (0x0012)",
				"attributes.0.value":      " XOR-PEER-ADDRESS: 192.0.2.9:5000",
				"attributes.1.value.data": "68656c6c6f",
				"attributes.1.padding":    "000000",
			},
		},
		{
			name: "TURN channel bind",
			msg: stunMessage(9, 0, tid,
				stunAttr(0x000C, []byte{0x40, 0x00, 0, 0}),
				stunAttr(0x0012, stunXorAddr4([4]byte{192, 0, 2, 9}, 5000))),
			dir:     ClientToServer,
			summary: "ChannelBind Request channel: 0x4000 XOR-PEER-ADDRESS: 192.0.2.9:5000",
			want:    map[string]string{"method": "9", "attributes.0.value.channel": "0x4000"},
		},
		{
			name:    "refresh, with a method that needs all 12 bits",
			msg:     stunMessage(0xABC, 0, tid, stunAttr(0x7777, []byte{9, 9})),
			dir:     ClientToServer,
			summary: "Unknown method Request",
			want: map[string]string{
				"method":                   "2748",
				"method_high":              "21",
				"method_mid":               "3",
				"method_low":               "12",
				"attributes.0.type":        "Unknown (0x7777)",
				"attributes.0.value.value": "0909",
				"attributes.0.padding":     "0000",
			},
		},
		{
			name:    "classic change request",
			msg:     stunMessage(1, 0, tid, stunAttr(0x0003, []byte{0, 0, 0, 6})),
			dir:     ClientToServer,
			summary: "Binding Request",
			want:    map[string]string{"attributes.0.value.change_ip": "1", "attributes.0.value.change_port": "1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := stunDecode(t, tt.dir, tt.msg)
			if f.Err != "" {
				t.Fatalf("error: %v", f)
			}
			if f.Summary != tt.summary {
				t.Errorf("summary %q, want %q", f.Summary, tt.summary)
			}
			checkFields(t, f, tt.want)
		})
	}
}

func TestSTUNMalformed(t *testing.T) {
	tid := []byte("0123456789ab")
	good := stunMessage(1, 0, tid, stunAttr(0x0006, []byte("user")))
	badCookie := append([]byte(nil), good...)
	badCookie[4] = 0
	rtp := []byte{0x80, 0x60, 0x12, 0x34, 0, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8}
	overlong := stunMessage(1, 0, tid, []byte{0, 6, 0, 40, 'a', 'b', 'c', 'd'})
	oddLength := append([]byte(nil), good...)
	oddLength[3] = 6
	tests := []struct {
		name string
		msg  []byte
		want string
	}{
		{"short header", good[:12], "truncated"},
		{"bad magic cookie", badCookie, "cookie: bad value: expected 0x2112A442"},
		{"not STUN: the first two bits are set (RTP)", rtp, "zero: bad value"},
		{"attribute longer than the message", overlong, "attributes[0].value: truncated"},
		{"length not a multiple of 4", oddLength, "assertion failed: expected the message length is a multiple of 4"},
		{"length past the end", append(good[:2:2], append([]byte{0, 64}, good[4:]...)...), "attributes: truncated"},
		{"bad error class", stunMessage(1, 3, tid, stunAttr(0x0009, []byte{0, 0, 9, 1})), "class: out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := stunDecode(t, ClientToServer, tt.msg)
			if !strings.Contains(f.Err, tt.want) {
				t.Errorf("error %q, want %q", f.Err, tt.want)
			}
		})
	}
	reg := libraryRegistry(t)
	for i := 0; i <= len(good); i++ {
		decodeDatagram(t, reg, "stun", ClientToServer, good[:i])
	}
	seed := uint32(5)
	for round := 0; round < 1000; round++ {
		m := append([]byte(nil), good...)
		for k := 0; k < 1+round%4; k++ {
			seed = seed*1664525 + 1013904223
			m[int(seed>>8)%len(m)] = byte(seed >> 24)
		}
		decodeDatagram(t, reg, "stun", ServerToClient, m)
	}
}
