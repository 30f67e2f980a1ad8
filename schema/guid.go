package schema

// guidOrder is the order in which a GUID's bytes are written, with -1 for
// a dash: Data1 (4 bytes), Data2 and Data3 (2 bytes each) little-endian,
// then Data4's 8 bytes in order.
var guidOrder = [20]int{3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15}

// appendGUID formats 16 bytes as a GUID in the mixed-endian layout of
// Microsoft and OPC UA: 72962b91-fa75-4ae6-8d28-b404dc7daf63.
func appendGUID(buf, b []byte) []byte {
	for _, i := range guidOrder {
		if i < 0 {
			buf = append(buf, '-')
			continue
		}
		buf = append(buf, hexDigits[b[i]>>4], hexDigits[b[i]&0xf])
	}
	return buf
}
