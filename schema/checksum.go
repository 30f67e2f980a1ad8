package schema

import "hash/crc32"

// ChecksumAlgo is a checksum algorithm a field can be verified with.
type ChecksumAlgo uint8

// The checksum algorithms.
const (
	CRC16Modbus ChecksumAlgo = iota + 1 // CRC-16/MODBUS: reflected 0x8005, init 0xFFFF
	CRC16CCITT                          // CRC-16/CCITT-FALSE: 0x1021, init 0xFFFF
	CRC16X25                            // CRC-16/X-25 (IBM-SDLC): reflected 0x1021, init 0xFFFF, xor out 0xFFFF
	CRC16Kermit                         // CRC-16/KERMIT: reflected 0x1021, init 0
	CRC16DNP                            // CRC-16/DNP: reflected 0x3D65, init 0, xor out 0xFFFF
	CRC32                               // CRC-32 (IEEE 802.3)
	CRC32C                              // CRC-32C (Castagnoli)
	Internet                            // the Internet checksum (RFC 1071): ones' complement of the ones' complement sum of 16-bit words
	Sum8                                // the sum of the bytes, modulo 256
	Xor8                                // the exclusive or of the bytes
	CRC24CQL                            // Cassandra CQL v5 segment header: CRC-24, poly 0x1974F0B, init 0x875060
	CRC32CQL                            // Cassandra CQL v5 segment payload: CRC-32 of FA 2D 55 CA, then the bytes
)

// checksumNames maps schema names to algorithms.
var checksumNames = map[string]ChecksumAlgo{
	"crc16_modbus": CRC16Modbus,
	"crc16_ccitt":  CRC16CCITT,
	"crc16_x25":    CRC16X25,
	"crc16_kermit": CRC16Kermit,
	"crc16_dnp":    CRC16DNP,
	"crc32":        CRC32,
	"crc32c":       CRC32C,
	"internet":     Internet,
	"sum8":         Sum8,
	"xor8":         Xor8,
	"crc24_cql":    CRC24CQL,
	"crc32_cql":    CRC32CQL,
}

func (a ChecksumAlgo) String() string {
	for name, v := range checksumNames {
		if v == a {
			return name
		}
	}
	return "checksum"
}

var (
	tabModbus = reflectedTable(0xA001)
	tabX25    = reflectedTable(0x8408)
	tabDNP    = reflectedTable(0xA6BC)
	tabCCITT  = forwardTable(0x1021)
	tabCRC32C = crc32.MakeTable(crc32.Castagnoli)
)

func reflectedTable(poly uint16) *[256]uint16 {
	var t [256]uint16
	for i := range t {
		c := uint16(i)
		for k := 0; k < 8; k++ {
			if c&1 != 0 {
				c = c>>1 ^ poly
			} else {
				c >>= 1
			}
		}
		t[i] = c
	}
	return &t
}

func forwardTable(poly uint16) *[256]uint16 {
	var t [256]uint16
	for i := range t {
		c := uint16(i) << 8
		for k := 0; k < 8; k++ {
			if c&0x8000 != 0 {
				c = c<<1 ^ poly
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return &t
}

func crc16Reflected(t *[256]uint16, crc uint16, b []byte) uint16 {
	for _, c := range b {
		crc = crc>>8 ^ t[byte(crc)^c]
	}
	return crc
}

func crc16Forward(t *[256]uint16, crc uint16, b []byte) uint16 {
	for _, c := range b {
		crc = crc<<8 ^ t[byte(crc>>8)^c]
	}
	return crc
}

// checksum computes a over the parts of b, in order. The parts let a caller
// leave out the bytes of the checksum field itself.
func checksum(a ChecksumAlgo, parts ...[]byte) uint64 {
	switch a {
	case CRC24CQL, CRC32CQL:
		return checksumCQL(a, parts)
	case CRC16Modbus, CRC16X25, CRC16Kermit, CRC16DNP:
		t, crc, out := tabModbus, uint16(0xFFFF), uint16(0)
		switch a {
		case CRC16X25:
			t, out = tabX25, 0xFFFF
		case CRC16Kermit:
			t, crc = tabX25, 0
		case CRC16DNP:
			t, crc, out = tabDNP, 0, 0xFFFF
		}
		for _, p := range parts {
			crc = crc16Reflected(t, crc, p)
		}
		return uint64(crc ^ out)
	case CRC16CCITT:
		crc := uint16(0xFFFF)
		for _, p := range parts {
			crc = crc16Forward(tabCCITT, crc, p)
		}
		return uint64(crc)
	case CRC32, CRC32C:
		t := crc32.IEEETable
		if a == CRC32C {
			t = tabCRC32C
		}
		crc := uint32(0)
		for _, p := range parts {
			crc = crc32.Update(crc, t, p)
		}
		return uint64(crc)
	case Internet:
		var sum uint32
		odd := false
		for _, p := range parts {
			for _, c := range p {
				if odd {
					sum += uint32(c)
				} else {
					sum += uint32(c) << 8
				}
				odd = !odd
			}
		}
		for sum>>16 != 0 {
			sum = sum&0xFFFF + sum>>16
		}
		return uint64(^uint16(sum))
	case Sum8:
		var s byte
		for _, p := range parts {
			for _, c := range p {
				s += c
			}
		}
		return uint64(s)
	case Xor8:
		var s byte
		for _, p := range parts {
			for _, c := range p {
				s ^= c
			}
		}
		return uint64(s)
	}
	return 0
}
