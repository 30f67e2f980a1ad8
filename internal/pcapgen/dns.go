package pcapgen

import (
	"encoding/binary"
	"net/netip"
	"strings"
)

// DNSQuery is a DNS query (recursion desired) for name, of type qtype.
func DNSQuery(id uint16, name string, qtype uint16) []byte {
	b := binary.BigEndian.AppendUint16(nil, id)
	b = append(b, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0) // RD; one question
	return appendQuestion(b, name, qtype)
}

// DNSResponseA is the response to DNSQuery(id, name, 1): one A record for
// addr, its name a compression pointer to the question's, TTL 300.
func DNSResponseA(id uint16, name string, addr netip.Addr) []byte {
	b := binary.BigEndian.AppendUint16(nil, id)
	b = append(b, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0) // QR RD RA; one question, one answer
	b = appendQuestion(b, name, 1)
	b = append(b, 0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4) // A IN, TTL 300, 4 bytes
	a := addr.As4()
	return append(b, a[:]...)
}

func appendQuestion(b []byte, name string, qtype uint16) []byte {
	b = AppendDNSName(b, -1, strings.Split(name, ".")...)
	b = binary.BigEndian.AppendUint16(b, qtype)
	return append(b, 0, 1) // class IN
}

// AppendDNSName appends a DNS name: its labels, each after its length,
// then the root label, or a compression pointer to offset ptr when ptr >=
// 0.
func AppendDNSName(b []byte, ptr int, labels ...string) []byte {
	for _, l := range labels {
		b = append(b, byte(len(l)))
		b = append(b, l...)
	}
	if ptr >= 0 {
		return append(b, 0xC0|byte(ptr>>8), byte(ptr))
	}
	return append(b, 0)
}

// DNSQueries builds n DNS queries over UDP, each answered, and each from
// its own client address and port, as a resolver's clients send them: one
// conversation per query, at the generator's usual spacing (about 1,250
// queries a second), so that a minute's worth, some 75,000, are open at
// once under the usual one-minute UDP timeout. It is the memory and speed
// test of many short conversations.
func DNSQueries(n int, seed uint64) *Capture {
	c := NewCapture(seed)
	server := Endpoint{Addr: netip.AddrFrom4([4]byte{10, 0, 0, 53}), Port: 53}
	names := []string{"example.com", "www.example.org", "mail.example.net", "api.internal.example.com"}
	for i := range n {
		client := Endpoint{
			Addr: netip.AddrFrom4([4]byte{10, byte(64 + i>>16&0x3f), byte(i >> 8), byte(i)}),
			Port: uint16(49152 + c.rng.IntN(16384)), // the dynamic ports, clear of the bundled protocols'
		}
		name := names[i%len(names)]
		id := uint16(c.rng.Uint32())
		c.Datagram(client, server, DNSQuery(id, name, 1))
		c.Datagram(server, client, DNSResponseA(id, name, netip.AddrFrom4([4]byte{192, 0, 2, byte(i)})))
	}
	return c
}
