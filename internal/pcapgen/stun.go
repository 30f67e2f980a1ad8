package pcapgen

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"encoding/binary"
	"hash/crc32"
	"net/netip"
)

// STUN (RFC 8489) and TURN (RFC 8656) messages: UDP port 3478.

// STUNPort is the registered port of STUN and TURN.
const STUNPort = 3478

const stunCookie = 0x2112A442

// STUNAttr is an attribute: type, length, value padded to 4 bytes.
func STUNAttr(typ uint16, value []byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, typ)
	b = binary.BigEndian.AppendUint16(b, uint16(len(value)))
	b = append(b, value...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// STUNMessage is a message: type, length, magic cookie, transaction id and
// attributes. With a non-nil key it appends MESSAGE-INTEGRITY (HMAC-SHA1
// over the message, its length counting the attribute); with fingerprint,
// FINGERPRINT (CRC-32 xor 0x5354554E).
func STUNMessage(typ uint16, tid [12]byte, key []byte, fingerprint bool, attrs ...[]byte) []byte {
	body := cat(attrs...)
	hdr := func(extra int) []byte {
		b := binary.BigEndian.AppendUint16(nil, typ)
		b = binary.BigEndian.AppendUint16(b, uint16(len(body)+extra))
		b = binary.BigEndian.AppendUint32(b, stunCookie)
		return append(b, tid[:]...)
	}
	if key != nil {
		m := hmac.New(sha1.New, key)
		m.Write(cat(hdr(24), body))
		body = append(body, STUNAttr(0x0008, m.Sum(nil))...)
	}
	if fingerprint {
		crc := crc32.ChecksumIEEE(cat(hdr(8), body)) ^ 0x5354554E
		body = append(body, STUNAttr(0x8028, be32b(crc))...)
	}
	return cat(hdr(0), body)
}

// stunAddr is a (XOR-)MAPPED-ADDRESS value; with tid the port and address
// are xored with the cookie (and the transaction id for IPv6).
func stunAddr(ap netip.AddrPort, tid *[12]byte) []byte {
	a := ap.Addr().AsSlice()
	port := ap.Port()
	fam := byte(1)
	if len(a) == 16 {
		fam = 2
	}
	if tid != nil {
		port ^= stunCookie >> 16
		mask := cat(be32b(stunCookie), tid[:])
		for i := range a {
			a[i] ^= mask[i]
		}
	}
	return cat([]byte{0, fam}, be16b(port), a)
}

func init() {
	registerCapture("stun-basic.pcap", "stun",
		"STUN and TURN on UDP port 3478: binding requests and success responses with XOR-MAPPED-ADDRESS (IPv4 and IPv6), MAPPED-ADDRESS, SOFTWARE and FINGERPRINT; an ICE connectivity check with USERNAME, PRIORITY, ICE-CONTROLLING and MESSAGE-INTEGRITY; a TURN Allocate answered 401 with REALM and NONCE, retried with credentials, answered with XOR-RELAYED-ADDRESS and LIFETIME; a CHANGE-REQUEST and an error with UNKNOWN-ATTRIBUTES",
		buildSTUN)
}

func buildSTUN() *Capture {
	c := NewCapture(3478)
	client, server := ep("10.100.0.20", 50478), ep("10.100.0.10", STUNPort)
	mapped := netip.MustParseAddrPort("198.51.100.7:61000")
	tid := func(n byte) [12]byte {
		var t [12]byte
		for i := range t {
			t[i] = n*16 + byte(i)
		}
		return t
	}
	send := func(from, to Endpoint, m []byte) { c.Datagram(from, to, m); thinkTime(c) }
	software := STUNAttr(0x8022, []byte("dissect-stun 1.0"))
	// Binding, answered with both address forms.
	t := tid(1)
	send(client, server, STUNMessage(0x0001, t, nil, true, software))
	send(server, client, STUNMessage(0x0101, t, nil, true,
		STUNAttr(0x0020, stunAddr(mapped, &t)), STUNAttr(0x0001, stunAddr(mapped, nil)),
		STUNAttr(0x8022, []byte("Coturn-4.6.1 'Gorst'"))))
	// ICE connectivity check (short-term credentials).
	t = tid(2)
	ice := []byte("peer-password-0123456789")
	send(client, server, STUNMessage(0x0001, t, ice, true,
		STUNAttr(0x0006, []byte("rfrag:lfrag")), STUNAttr(0x0024, be32b(0x6e7f00ff)),
		STUNAttr(0x802A, []byte{0x93, 0x2f, 0xf9, 0xb1, 0x51, 0x26, 0x3b, 0x36})))
	v6 := netip.MustParseAddrPort("[2001:db8:1::20]:50478")
	send(server, client, STUNMessage(0x0101, t, ice, true, STUNAttr(0x0020, stunAddr(v6, &t))))
	// TURN Allocate: 401 with realm and nonce, then an authenticated retry.
	t = tid(3)
	transport := STUNAttr(0x0019, []byte{17, 0, 0, 0})
	send(client, server, STUNMessage(0x0003, t, nil, false, transport, STUNAttr(0x000D, be32b(600))))
	realm, nonce := "example.org", "f0e9d8c7b6a59483"
	send(server, client, STUNMessage(0x0113, t, nil, true,
		STUNAttr(0x0009, cat([]byte{0, 0, 4, 1}, []byte("Unauthorized"))),
		STUNAttr(0x0015, []byte(nonce)), STUNAttr(0x0014, []byte(realm)), software))
	t = tid(4)
	long := md5.Sum([]byte("alice:" + realm + ":secret"))
	send(client, server, STUNMessage(0x0003, t, long[:], true, transport, STUNAttr(0x000D, be32b(600)),
		STUNAttr(0x0006, []byte("alice")), STUNAttr(0x0014, []byte(realm)), STUNAttr(0x0015, []byte(nonce))))
	relayed := netip.MustParseAddrPort("203.0.113.9:49152")
	send(server, client, STUNMessage(0x0103, t, long[:], true,
		STUNAttr(0x0016, stunAddr(relayed, &t)), STUNAttr(0x0020, stunAddr(mapped, &t)),
		STUNAttr(0x000D, be32b(600)), software))
	// CHANGE-REQUEST (RFC 5780) with an attribute the server rejects.
	t = tid(5)
	send(client, server, STUNMessage(0x0001, t, nil, false, STUNAttr(0x0003, be32b(0x06)), STUNAttr(0x0033, []byte{1, 2, 3, 4})))
	send(server, client, STUNMessage(0x0111, t, nil, false,
		STUNAttr(0x0009, cat([]byte{0, 0, 4, 20}, []byte("Unknown Attribute"))), STUNAttr(0x000A, be16b(0x0033))))
	return c
}
