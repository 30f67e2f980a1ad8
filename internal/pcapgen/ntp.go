package pcapgen

import (
	"crypto/md5"
	"encoding/binary"
	"time"
)

// NTP packets (RFC 5905, with the mode 6 control messages of RFC 9327):
// UDP port 123.

// NTPPort is the registered UDP port of NTP.
const NTPPort = 123

// NTPTimestamp is a 64-bit NTP timestamp: seconds since 1900 and the
// fraction.
func NTPTimestamp(t time.Time) []byte {
	if t.IsZero() {
		return make([]byte, 8)
	}
	secs := uint64(t.Unix() + 2208988800)
	frac := uint64(t.Nanosecond()) << 32 / 1e9
	return binary.BigEndian.AppendUint64(nil, secs<<32|frac)
}

// NTPPacket is a 48-byte header: leap, version, mode, stratum, poll,
// precision, root delay and dispersion (16.16), reference id and the four
// timestamps.
func NTPPacket(li, vn, mode, stratum byte, poll, precision int8, delay, disp uint32, refid []byte, ref, org, rec, xmt time.Time) []byte {
	b := []byte{li<<6 | vn<<3 | mode, stratum, byte(poll), byte(precision)}
	b = binary.BigEndian.AppendUint32(b, delay)
	b = binary.BigEndian.AppendUint32(b, disp)
	b = append(b, refid...)
	return cat(b, NTPTimestamp(ref), NTPTimestamp(org), NTPTimestamp(rec), NTPTimestamp(xmt))
}

// NTPControl is a mode 6 message: response, error and more bits, opcode,
// sequence, status, association id and the data, padded to 4 bytes.
func NTPControl(response bool, opcode byte, seq, status, assoc uint16, data []byte) []byte {
	f := opcode
	if response {
		f |= 0x80
	}
	b := []byte{0<<6 | 2<<3 | 6, f}
	b = binary.BigEndian.AppendUint16(b, seq)
	b = binary.BigEndian.AppendUint16(b, status)
	b = binary.BigEndian.AppendUint16(b, assoc)
	b = binary.BigEndian.AppendUint16(b, 0)
	b = binary.BigEndian.AppendUint16(b, uint16(len(data)))
	b = append(b, data...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func init() {
	registerCapture("ntp-basic.pcap", "ntp",
		"NTP on UDP port 123: an SNTP client request and the stratum 2 server's answer, a v3 exchange, a symmetric-key authenticated request and answer (key id and MD5 MAC), a kiss-o'-death RATE answer, a broadcast, mode 6 READSTAT and READVAR control requests and responses",
		buildNTP)
}

func buildNTP() *Capture {
	c := NewCapture(123)
	client, server := ep("10.90.0.20", 50123), ep("10.90.0.10", NTPPort)
	base := time.Date(2026, 11, 29, 11, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return base.Add(time.Duration(ms) * time.Millisecond) }
	zero := time.Time{}
	// SNTP (v4, mode 3) with only the transmit timestamp, answered in mode 4.
	c.Datagram(client, server, NTPPacket(0, 4, 3, 0, 3, -6, 0, 0, make([]byte, 4), zero, zero, zero, at(100)))
	thinkTime(c)
	c.Datagram(server, client, NTPPacket(0, 4, 4, 2, 3, -24, 0x0000_0f3a, 0x0000_1c2b, []byte{192, 0, 2, 123}, at(-64000), at(100), at(103), at(104)))
	thinkTime(c)
	// An NTPv3 client.
	c.Datagram(client, server, NTPPacket(0, 3, 3, 3, 6, -20, 0x0000_2000, 0x0001_0000, []byte{10, 90, 0, 10}, at(-1000), at(-900), at(-899), at(200)))
	thinkTime(c)
	c.Datagram(server, client, NTPPacket(0, 3, 4, 2, 6, -24, 0x0000_0f3a, 0x0000_1c2b, []byte{192, 0, 2, 123}, at(-64000), at(200), at(202), at(203)))
	thinkTime(c)
	// Symmetric key authentication: key id 7 and MD5(key || packet).
	key := []byte("dissect-ntp-key")
	auth := func(pkt []byte) []byte {
		sum := md5.Sum(cat(key, pkt))
		return cat(pkt, be32b(7), sum[:])
	}
	c.Datagram(client, server, auth(NTPPacket(0, 4, 3, 0, 4, -20, 0, 0, make([]byte, 4), zero, zero, zero, at(300))))
	thinkTime(c)
	c.Datagram(server, client, auth(NTPPacket(0, 4, 4, 2, 4, -24, 0x0000_0f3a, 0x0000_1c2b, []byte{192, 0, 2, 123}, at(-64000), at(300), at(301), at(302))))
	thinkTime(c)
	// Kiss-o'-death: stratum 0, "RATE", unsynchronized.
	c.Datagram(client, server, NTPPacket(0, 4, 3, 0, 3, -6, 0, 0, make([]byte, 4), zero, zero, zero, at(400)))
	thinkTime(c)
	c.Datagram(server, client, NTPPacket(3, 4, 4, 0, 3, -24, 0, 0, []byte("RATE"), zero, at(400), at(401), at(401)))
	thinkTime(c)
	// Broadcast (mode 5) to the subnet.
	c.Datagram(ep("10.90.0.10", NTPPort), ep("10.90.0.255", NTPPort), NTPPacket(0, 4, 5, 2, 6, -24, 0x0000_0f3a, 0x0000_1c2b, []byte{192, 0, 2, 123}, at(-64000), zero, zero, at(500)))
	thinkTime(c)
	// Mode 6: READSTAT (1) of the system, then READVAR (2) of association 0.
	c.Datagram(client, server, NTPControl(false, 1, 1, 0, 0, nil))
	thinkTime(c)
	c.Datagram(server, client, NTPControl(true, 1, 1, 0x0615, 0, cat(be16b(0xa1b2), be16b(0x9614))))
	thinkTime(c)
	c.Datagram(client, server, NTPControl(false, 2, 2, 0, 0, []byte("version,stratum")))
	thinkTime(c)
	c.Datagram(server, client, NTPControl(true, 2, 2, 0x0615, 0, []byte(`version="ntpd 4.2.8p15", stratum=2`)))
	return c
}
