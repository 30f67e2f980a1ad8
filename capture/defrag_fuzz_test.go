package capture

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// fragOps turns fuzz input into IP fragments: 6 bytes an operation (the
// datagram, IPv4 or IPv6, the offset in 8-byte units, the length, the more
// fragments flag and a pause of packet time).
func fragOps(data []byte) []testPacket {
	var pkts []testPacket
	ts := baseTime
	for len(data) >= 6 {
		op := data[:6]
		data = data[6:]
		id := uint32(op[0] & 7)
		v6 := op[0]&8 != 0
		offset := int(binary.BigEndian.Uint16(op[1:])&0x1fff) * 8
		n := int(op[3]) * 4
		more := op[4]&1 != 0 || offset == 0 // never a whole datagram
		ts = ts.Add(time.Duration(op[5]) * 200 * time.Millisecond)
		payload := make([]byte, n)
		for i := range payload {
			payload[i] = byte(offset + i)
		}
		var p []byte
		if v6 {
			p = make([]byte, 48, 48+n)
			p[0] = 0x60
			binary.BigEndian.PutUint16(p[4:], uint16(8+n))
			p[6], p[7] = byte(layers.IPProtocolIPv6Fragment), 64
			copy(p[8:], cli6.Addr.AsSlice())
			copy(p[24:], srv6.Addr.AsSlice())
			p[40] = byte(layers.IPProtocolUDP)
			fo := uint16(offset/8) << 3
			if more {
				fo |= 1
			}
			binary.BigEndian.PutUint16(p[42:], fo)
			binary.BigEndian.PutUint32(p[44:], id)
		} else {
			p = make([]byte, 20, 20+n)
			p[0] = 0x45
			binary.BigEndian.PutUint16(p[2:], uint16(20+n))
			binary.BigEndian.PutUint16(p[4:], uint16(id))
			fl := uint16(offset / 8)
			if more {
				fl |= 0x2000
			}
			binary.BigEndian.PutUint16(p[6:], fl)
			p[8], p[9] = 64, byte(layers.IPProtocolUDP)
			copy(p[12:], cli4.Addr.AsSlice())
			copy(p[16:], srv4.Addr.AsSlice())
		}
		pkts = append(pkts, testPacket{ts: ts, data: append(p, payload...)})
	}
	return pkts
}

// FuzzDefrag feeds arbitrary fragments: never a panic, memory within the
// limit, and every fragment accounted for.
func FuzzDefrag(f *testing.F) {
	f.Add([]byte{0, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 0})                       // two halves of a datagram
	f.Add([]byte{8, 0, 1, 2, 0, 0, 8, 0, 0, 2, 1, 0})                       // IPv6, reversed
	f.Add([]byte{1, 0, 0, 2, 1, 0, 1, 0, 0, 2, 1, 0, 1, 0, 1, 255, 0, 200}) // duplicate, then a late end
	f.Fuzz(func(t *testing.T, data []byte) {
		pkts := fragOps(data)
		if len(pkts) == 0 {
			return
		}
		opts := Options{MaxFragBytes: 4096, MaxFragments: 8, FragTimeout: 5 * time.Second}
		rec, stats, err := runCapture(t, writePcap(t, layers.LinkTypeRaw, pkts, false), opts)
		if err != nil {
			t.Fatal(err)
		}
		if stats.Packets != uint64(len(pkts)) {
			t.Fatalf("%d packets read, %d written", stats.Packets, len(pkts))
		}
		checkPacketAccounting(t, stats)
		if uint64(len(rec.datagrams)) > stats.Reassembled {
			t.Errorf("%d datagrams delivered, %d reassembled", len(rec.datagrams), stats.Reassembled)
		}
	})
}
