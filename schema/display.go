package schema

import (
	"strconv"
)

const hexDigits = "0123456789abcdef"

// maxDisplayBytes is how many bytes of a byte string the display shows.
const maxDisplayBytes = 32

// AppendDisplay appends the human-readable value of node i: an enum's label
// with its number, an integer in its display base, a byte string in hex, a
// structure's own summary (nothing when it has none), or an array's size.
func (f *Frame) AppendDisplay(buf []byte, i int) []byte {
	n := &f.Nodes[i]
	t := n.Type
	switch t.Kind {
	case KindUint, KindInt:
		if t.Enum != nil {
			if m, ok := t.Enum.Lookup(n.Int()); ok {
				buf = append(buf, m.Label...)
			} else {
				buf = append(buf, "Unknown"...)
			}
			buf = append(buf, " ("...)
			buf = f.appendNumber(buf, n)
			return append(buf, ')')
		}
		return f.appendNumber(buf, n)
	case KindBool:
		return strconv.AppendBool(buf, n.Bits != 0)
	case KindFloat:
		return strconv.AppendFloat(buf, n.Float(), 'g', -1, int(8*t.Size))
	case KindBytes:
		data := f.Bytes(i)
		shown := data
		if len(shown) > maxDisplayBytes {
			shown = shown[:maxDisplayBytes]
		}
		buf = AppendHex(buf, shown)
		if len(shown) < len(data) {
			buf = append(buf, "…"...)
		}
		if len(data) == 0 {
			buf = append(buf, "(empty)"...)
		}
		return buf
	case KindStruct:
		if t.Struct.Summary != nil {
			return f.appendTemplate(buf, i, t.Struct.Summary)
		}
		return buf
	case KindArray:
		count := 0
		f.Children(i, func(int) { count++ })
		buf = strconv.AppendInt(buf, int64(count), 10)
		if count == 1 {
			return append(buf, " item"...)
		}
		return append(buf, " items"...)
	}
	return buf
}

// appendNumber formats an integer in its field's display base.
func (f *Frame) appendNumber(buf []byte, n *Node) []byte {
	base := BaseDec
	if n.Field != nil {
		base = n.Field.Base
	}
	switch base {
	case BaseHex:
		buf = append(buf, "0x"...)
		digits := 2 * n.Type.Size
		for d := digits - 1; d >= 0; d-- {
			buf = append(buf, hexDigits[(n.Bits>>(4*uint(d)))&0xf])
		}
		return buf
	case BaseBin:
		buf = append(buf, "0b"...)
		for b := 8*n.Type.Size - 1; b >= 0; b-- {
			buf = append(buf, byte('0'+(n.Bits>>uint(b))&1))
		}
		return buf
	}
	if n.Type.Kind == KindInt {
		return strconv.AppendInt(buf, n.Int(), 10)
	}
	return strconv.AppendUint(buf, n.Bits, 10)
}

// AppendHex appends b as lowercase hex digits.
func AppendHex(buf, b []byte) []byte {
	for _, c := range b {
		buf = append(buf, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return buf
}

// Bytes returns the frame bytes a node covers.
func (f *Frame) Bytes(i int) []byte {
	n := &f.Nodes[i]
	start, end := int(n.Offset), int(n.Offset)+int(n.Len)
	if start < 0 || end > len(f.Data) || start > end {
		return nil
	}
	return f.Data[start:end]
}

// AppendSummary appends the one-line summary of the frame: the root type's
// summary template, or its name when it has none.
func (f *Frame) AppendSummary(buf []byte) []byte {
	if len(f.Nodes) == 0 || f.Root.Summary == nil {
		if f.Root != nil {
			return append(buf, f.Root.Name...)
		}
		return buf
	}
	return f.AppendDisplay(buf, 0)
}

// appendTemplate renders t for the structure node i. A field that was not
// decoded shows as "?".
func (f *Frame) appendTemplate(buf []byte, i int, t *Template) []byte {
	for _, p := range t.Parts {
		if p.Path == nil {
			buf = append(buf, p.Text...)
			continue
		}
		c := f.FieldNode(i, p.Path)
		if c < 0 {
			buf = append(buf, '?')
			continue
		}
		buf = f.AppendDisplay(buf, c)
	}
	return buf
}
