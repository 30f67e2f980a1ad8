package schema

import "hash/crc32"

// The checksums of Cassandra's CQL native protocol v5 segments
// (native_protocol_v5.spec, section 2.2; org.apache.cassandra.utils.Crc).

// cqlCRC32Seed is what Cassandra feeds the CRC-32 before a segment's
// payload.
var cqlCRC32Seed = crc32.ChecksumIEEE([]byte{0xFA, 0x2D, 0x55, 0xCA})

const (
	cqlCRC24Init = 0x875060
	cqlCRC24Poly = 0x1974F0B
)

// checksumCQL computes CRC24CQL or CRC32CQL over the parts, in order.
func checksumCQL(a ChecksumAlgo, parts [][]byte) uint64 {
	if a == CRC32CQL {
		crc := cqlCRC32Seed
		for _, p := range parts {
			crc = crc32.Update(crc, crc32.IEEETable, p)
		}
		return uint64(crc)
	}
	crc := uint32(cqlCRC24Init)
	for _, p := range parts {
		for _, c := range p {
			crc ^= uint32(c) << 16
			for range 8 {
				crc <<= 1
				if crc&0x1000000 != 0 {
					crc ^= cqlCRC24Poly
				}
			}
		}
	}
	return uint64(crc & 0xFFFFFF)
}
