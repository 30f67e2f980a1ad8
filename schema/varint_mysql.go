package schema

// readMySQLLenenc decodes a MySQL length-encoded integer (the client/server
// protocol's "int<lenenc>"): a first byte below 0xfb is the value; 0xfc,
// 0xfd and 0xfe are followed by the value in 2, 3 and 8 little-endian
// bytes. 0xfb (NULL in a row) and 0xff (the first byte of an ERR packet)
// start no integer.
func readMySQLLenenc(b []byte) (uint64, int, varintStatus) {
	if len(b) == 0 {
		return 0, 0, varintShort
	}
	var n int
	switch c := b[0]; {
	case c < 0xfb:
		return uint64(c), 1, varintOK
	case c == 0xfc:
		n = 2
	case c == 0xfd:
		n = 3
	case c == 0xfe:
		n = 8
	default:
		return 0, 0, varintReserved
	}
	if len(b) < 1+n {
		return 0, 0, varintShort
	}
	var v uint64
	for i := n; i >= 1; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v, 1 + n, varintOK
}
