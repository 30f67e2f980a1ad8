package schema

// varintNames maps schema type names to varint encodings.
var varintNames = map[string]Varint{
	"uleb128":      ULEB128,
	"sleb128":      SLEB128,
	"zigzag":       Zigzag,
	"mqtt_varint":  MQTTVarint,
	"quic_varint":  QUICVarint,
	"ber_length":   BERLength,
	"mysql_lenenc": MySQLLenenc,
}

func (v Varint) String() string {
	for name, x := range varintNames {
		if x == v {
			return name
		}
	}
	return "varint"
}

// varintStatus is the outcome of reading a varint.
type varintStatus uint8

const (
	varintOK         varintStatus = iota
	varintShort                   // the bytes end before the varint does
	varintTooLong                 // longer than the encoding allows
	varintIndefinite              // BER indefinite length (0x80)
	varintReserved                // MySQL: 0xfb (NULL) or 0xff, which start no integer
)

func (s varintStatus) String() string {
	switch s {
	case varintShort:
		return "the bytes end inside it"
	case varintTooLong:
		return "longer than the encoding allows"
	case varintIndefinite:
		return "indefinite length (0x80)"
	case varintReserved:
		return "0xfb (NULL) or 0xff starts no length-encoded integer"
	}
	return "ok"
}

// readVarint decodes one varint at the start of b. It returns the value (two's
// complement for the signed encodings) and the bytes it took.
func readVarint(b []byte, enc Varint) (uint64, int, varintStatus) {
	switch enc {
	case ULEB128, SLEB128, Zigzag, MQTTVarint:
		limit := 10
		if enc == MQTTVarint {
			limit = 4
		}
		var v uint64
		var shift uint
		for i := 0; i < limit; i++ {
			if i >= len(b) {
				return 0, 0, varintShort
			}
			c := b[i]
			if shift < 64 {
				v |= uint64(c&0x7f) << shift
			}
			shift += 7
			if c&0x80 == 0 {
				n := i + 1
				switch enc {
				case SLEB128:
					if shift < 64 && c&0x40 != 0 {
						v |= ^uint64(0) << shift
					}
				case Zigzag:
					v = (v >> 1) ^ -(v & 1)
				}
				return v, n, varintOK
			}
		}
		return 0, 0, varintTooLong
	case QUICVarint:
		if len(b) == 0 {
			return 0, 0, varintShort
		}
		n := 1 << (b[0] >> 6)
		if len(b) < n {
			return 0, 0, varintShort
		}
		v := uint64(b[0] & 0x3f)
		for i := 1; i < n; i++ {
			v = v<<8 | uint64(b[i])
		}
		return v, n, varintOK
	case BERLength:
		if len(b) == 0 {
			return 0, 0, varintShort
		}
		c := b[0]
		if c < 0x80 {
			return uint64(c), 1, varintOK
		}
		if c == 0x80 {
			return 0, 0, varintIndefinite
		}
		n := int(c & 0x7f)
		if n > 8 {
			return 0, 0, varintTooLong
		}
		if len(b) < 1+n {
			return 0, 0, varintShort
		}
		var v uint64
		for i := 1; i <= n; i++ {
			v = v<<8 | uint64(b[i])
		}
		return v, 1 + n, varintOK
	case MySQLLenenc:
		return readMySQLLenenc(b)
	}
	return 0, 0, varintTooLong
}
