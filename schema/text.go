package schema

import (
	"unicode/utf16"
	"unicode/utf8"
)

// encodingNames maps schema type names to string encodings.
var encodingNames = map[string]Encoding{
	"ascii":   ASCII,
	"utf8":    UTF8,
	"utf16le": UTF16LE,
	"utf16be": UTF16BE,
	"latin1":  Latin1,
}

func (e Encoding) String() string {
	for name, x := range encodingNames {
		if x == e {
			return name
		}
	}
	return "text"
}

// AppendText appends raw decoded as text in enc. Nothing is dropped: bytes
// that are not valid in the encoding, and control characters, are written
// as escapes (\xNN, \n, \uDC00...), and a backslash as \\.
func AppendText(buf, raw []byte, enc Encoding) []byte {
	return appendText(buf, raw, enc, false)
}

// appendQuotedText is AppendText for text shown between double quotes: a
// double quote in it is written \".
func appendQuotedText(buf, raw []byte, enc Encoding) []byte {
	return appendText(buf, raw, enc, true)
}

func appendText(buf, raw []byte, enc Encoding, quoted bool) []byte {
	switch enc {
	case UTF16LE, UTF16BE:
		i := 0
		for ; i+1 < len(raw); i += 2 {
			u := uint16(raw[i])<<8 | uint16(raw[i+1])
			if enc == UTF16LE {
				u = uint16(raw[i+1])<<8 | uint16(raw[i])
			}
			r := rune(u)
			if utf16.IsSurrogate(r) {
				if i+3 < len(raw) {
					u2 := uint16(raw[i+2])<<8 | uint16(raw[i+3])
					if enc == UTF16LE {
						u2 = uint16(raw[i+3])<<8 | uint16(raw[i+2])
					}
					if pair := utf16.DecodeRune(r, rune(u2)); pair != utf8.RuneError {
						buf = utf8.AppendRune(buf, pair)
						i += 2
						continue
					}
				}
				buf = appendUnicodeEscape(buf, u)
				continue
			}
			buf = appendRune(buf, r, quoted)
		}
		if i < len(raw) {
			buf = appendByteEscape(buf, raw[i])
		}
		return buf
	case Latin1:
		for _, c := range raw {
			buf = appendRune(buf, rune(c), quoted)
		}
		return buf
	}
	for i := 0; i < len(raw); {
		// A run of printable ASCII that needs no escape goes in at once
		// (names, labels, topics: most text).
		if j := plainRun(raw[i:], quoted); j > 0 {
			buf = append(buf, raw[i:i+j]...)
			if i += j; i == len(raw) {
				break
			}
		}
		c := raw[i]
		if c < utf8.RuneSelf {
			buf = appendRune(buf, rune(c), quoted)
			i++
			continue
		}
		if enc == ASCII {
			buf = appendByteEscape(buf, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && size <= 1 {
			buf = appendByteEscape(buf, c)
			i++
			continue
		}
		buf = append(buf, raw[i:i+size]...)
		i += size
	}
	return buf
}

// plainRun is the length of the run of printable ASCII at the start of
// raw that appendRune would copy as it is: no control character, no
// backslash, and no double quote when quoted.
func plainRun(raw []byte, quoted bool) int {
	for j, c := range raw {
		if c < 0x20 || c >= 0x7f || c == '\\' || (c == '"' && quoted) {
			return j
		}
	}
	return len(raw)
}

func appendRune(buf []byte, r rune, quoted bool) []byte {
	switch {
	case r == '"' && quoted:
		return append(buf, '\\', '"')
	case r == '\\':
		return append(buf, '\\', '\\')
	case r == '\n':
		return append(buf, '\\', 'n')
	case r == '\r':
		return append(buf, '\\', 'r')
	case r == '\t':
		return append(buf, '\\', 't')
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		if r > 0xff {
			return appendUnicodeEscape(buf, uint16(r))
		}
		return appendByteEscape(buf, byte(r))
	}
	return utf8.AppendRune(buf, r)
}

func appendByteEscape(buf []byte, c byte) []byte {
	return append(buf, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
}

func appendUnicodeEscape(buf []byte, u uint16) []byte {
	return append(buf, '\\', 'u', hexDigits[u>>12], hexDigits[u>>8&0xf], hexDigits[u>>4&0xf], hexDigits[u&0xf])
}

// nulEnd returns the length of the text in raw before its first NUL
// character: a 0 byte, or for UTF-16 a 0 code unit at an even offset; the
// whole length when there is none.
func nulEnd(raw []byte, enc Encoding) int {
	if enc == UTF16LE || enc == UTF16BE {
		for i := 0; i+1 < len(raw); i += 2 {
			if raw[i] == 0 && raw[i+1] == 0 {
				return i
			}
		}
		return len(raw)
	}
	for i, c := range raw {
		if c == 0 {
			return i
		}
	}
	return len(raw)
}
