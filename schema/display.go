package schema

import (
	"math"
	"net/netip"
	"strconv"
	"time"

	"github.com/dissect-project/dissect/internal/decimal"
)

const hexDigits = "0123456789abcdef"

// maxDisplayBytes is how many bytes of a byte string the display shows.
const maxDisplayBytes = 32

// maxDisplayText is how many bytes of text the display shows.
const maxDisplayText = 256

// AppendDisplay appends the human-readable value of node i (keeping the
// text of a [value = summary] structure in the frame, to be shown again:
// see appendStructSummary): an enum's label
// with its number, named flags, an integer in its display base, scaled with
// its unit or as a time, a checksum's verdict, text in quotes, a byte string
// in hex, a structure's own summary (nothing when it has none), or an
// array's size.
func (f *Frame) AppendDisplay(buf []byte, i int) []byte {
	n := &f.Nodes[i]
	t := n.Type
	switch t.Kind {
	case KindUint, KindInt:
		if t.Enum == nil && n.Flags&(NodeChecksumOK|NodeChecksumBad) == 0 && plainDecimal(n.Field) {
			// The most common value of a summary, written here as
			// appendQuantity and appendNumber would write it.
			if t.Kind == KindInt {
				return decimal.AppendInt(buf, n.Int())
			}
			return decimal.AppendUint(buf, n.Bits)
		}
		switch {
		case n.Field != nil && n.Field.Format == IPv4:
			v := n.Bits
			return appendIPv4(buf, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
		case t.Enum != nil && t.Enum.Flags:
			buf = f.appendFlags(buf, n)
		case t.Enum != nil:
			if m, ok := t.Enum.Lookup(n.Int()); ok {
				buf = append(buf, m.Label...)
			} else {
				buf = append(buf, "Unknown"...)
			}
			buf = append(buf, " ("...)
			buf = f.appendNumber(buf, n)
			buf = append(buf, ')')
		default:
			buf = f.appendQuantity(buf, n)
		}
		if n.Flags&(NodeChecksumOK|NodeChecksumBad) != 0 {
			buf = f.appendChecksumVerdict(buf, i)
		}
		return buf
	case KindBool:
		return strconv.AppendBool(buf, n.Bits != 0)
	case KindFloat:
		if n.Field != nil && (n.Field.Scaled || n.Field.Unit != "") {
			return f.appendQuantity(buf, n)
		}
		return strconv.AppendFloat(buf, n.Float(), 'g', -1, int(8*t.Size))
	case KindString:
		content := f.Content(i)
		buf = append(buf, '"')
		shown := content
		if len(shown) > maxDisplayText {
			shown = shown[:maxDisplayText]
		}
		buf = appendQuotedText(buf, shown, t.Encoding)
		buf = append(buf, '"')
		if len(shown) < len(content) {
			buf = append(buf, "…"...)
		}
		return buf
	case KindBytes:
		data := f.Content(i)
		if n.Field != nil && n.Field.Format != NoFormat {
			if out, ok := AppendAddr(buf, data, n.Field.Format); ok {
				return out
			}
		}
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
			buf, _ = f.appendStructSummary(buf, i, t.Struct)
		}
		return buf
	case KindArray:
		count := 0
		f.Children(i, func(int) { count++ })
		buf = decimal.AppendInt(buf, int64(count))
		if count == 1 {
			return append(buf, " item"...)
		}
		return append(buf, " items"...)
	}
	return buf
}

// plainDecimal reports whether an integer of the field fld (nil for none)
// shows as a bare decimal number: no address format, time, scale, unit or
// other base.
func plainDecimal(fld *Field) bool {
	return fld == nil || fld.Format != IPv4 && fld.Time == NoTime && !fld.Scaled && fld.Unit == "" && fld.Base == BaseDec
}

// AppendAddr formats bytes as an address; ok is false when there are not
// as many bytes as the format needs.
func AppendAddr(buf, b []byte, format AddrFormat) ([]byte, bool) {
	switch {
	case format == IPv4 && len(b) == 4:
		return appendIPv4(buf, b[0], b[1], b[2], b[3]), true
	case format == IPv6 && len(b) == 16:
		return netip.AddrFrom16([16]byte(b)).AppendTo(buf), true
	case format == MAC && len(b) == 6:
		for i, c := range b {
			if i > 0 {
				buf = append(buf, ':')
			}
			buf = append(buf, hexDigits[c>>4], hexDigits[c&0xf])
		}
		return buf, true
	case format == GUID && len(b) == 16:
		return appendGUID(buf, b), true
	case format == IPv4Prefix && len(b) <= 4:
		var a [4]byte
		copy(a[:], b)
		return appendIPv4(buf, a[0], a[1], a[2], a[3]), true
	case format == IPv6Prefix && len(b) <= 16:
		var a [16]byte
		copy(a[:], b)
		return netip.AddrFrom16(a).AppendTo(buf), true
	case format == Dotted && len(b) > 0:
		for i, c := range b {
			if i > 0 {
				buf = append(buf, '.')
			}
			buf = decimal.AppendUint(buf, uint64(c))
		}
		return buf, true
	}
	return buf, false
}

func appendIPv4(buf []byte, a, b, c, d byte) []byte {
	buf = decimal.AppendUint(buf, uint64(a))
	buf = append(buf, '.')
	buf = decimal.AppendUint(buf, uint64(b))
	buf = append(buf, '.')
	buf = decimal.AppendUint(buf, uint64(c))
	buf = append(buf, '.')
	return decimal.AppendUint(buf, uint64(d))
}

// appendQuantity formats a number with its field's display hints: as a time,
// scaled with its unit, or in its base.
func (f *Frame) appendQuantity(buf []byte, n *Node) []byte {
	fld := n.Field
	if fld == nil {
		return f.appendNumber(buf, n)
	}
	if fld.Time != NoTime {
		if ts, ok := n.Time(); ok {
			buf = ts.AppendFormat(buf, time.RFC3339Nano)
			buf = append(buf, " ("...)
			buf = f.appendNumber(buf, n)
			return append(buf, ')')
		}
	}
	if fld.Scaled {
		buf = strconv.AppendFloat(buf, n.Scaled(), 'g', -1, 64)
		if fld.Unit != "" {
			buf = append(buf, ' ')
			buf = append(buf, fld.Unit...)
		}
		buf = append(buf, " ("...)
		buf = f.appendNumber(buf, n)
		return append(buf, ')')
	}
	if n.Type.Kind == KindFloat {
		buf = strconv.AppendFloat(buf, n.Float(), 'g', -1, int(8*n.Type.Size))
	} else {
		buf = f.appendNumber(buf, n)
	}
	if fld.Unit != "" {
		buf = append(buf, ' ')
		buf = append(buf, fld.Unit...)
	}
	return buf
}

// Scaled returns a number with its field's scale and offset applied.
func (n *Node) Scaled() float64 {
	v := float64(n.Int())
	if n.Type.Kind == KindFloat {
		v = n.Float()
	} else if n.Type.Kind == KindUint {
		v = float64(n.Bits)
	}
	if n.Field == nil || !n.Field.Scaled {
		return v
	}
	return v*n.Field.Scale + n.Field.Offset
}

// ntpEpoch is 1900-01-01, where NTP time starts.
var ntpEpoch = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// Time returns a time field's value as a time, in UTC.
func (n *Node) Time() (time.Time, bool) {
	if n.Field == nil {
		return time.Time{}, false
	}
	v := n.Int()
	switch n.Field.Time {
	case UnixSec:
		return time.Unix(v, 0).UTC(), true
	case UnixMs:
		return time.UnixMilli(v).UTC(), true
	case UnixUs:
		return time.UnixMicro(v).UTC(), true
	case UnixNs:
		return time.Unix(0, v).UTC(), true
	case NTP64:
		secs, frac := n.Bits>>32, n.Bits&0xffffffff
		if n.Bits == 0 {
			return time.Time{}, false // NTP's "unknown" time
		}
		ns := (frac * 1e9) >> 32
		return ntpEpoch.Add(time.Duration(secs)*time.Second + time.Duration(ns)), true
	case NTP32:
		secs, frac := n.Bits>>16, n.Bits&0xffff
		ns := (frac * 1e9) >> 16
		return time.Unix(0, 0).UTC().Add(time.Duration(secs)*time.Second + time.Duration(ns)), true
	case FileTime:
		return fileTime(v)
	}
	return time.Time{}, false
}

// appendFlags names the bits set in a flags value, then the number:
// "syn|ack (0x12)". Bits no member names are shown as a mask.
func (f *Frame) appendFlags(buf []byte, n *Node) []byte {
	v := uint64(n.Int())
	if n.Type.Kind == KindUint {
		v = n.Bits
	}
	rest := v
	first := true
	for _, m := range n.Type.Enum.Members {
		mask := uint64(m.Value)
		if mask != 0 && v&mask == mask {
			if !first {
				buf = append(buf, '|')
			}
			buf = append(buf, m.Label...)
			first = false
			rest &^= mask
		}
	}
	if rest != 0 {
		if !first {
			buf = append(buf, '|')
		}
		buf = append(buf, "0x"...)
		buf = strconv.AppendUint(buf, rest, 16)
		first = false
	}
	if first {
		buf = append(buf, "none"...)
	}
	buf = append(buf, " (0x"...)
	buf = appendHexDigits(buf, v, hexWidth(n))
	return append(buf, ')')
}

// FlagNames calls fn with the name of each member of a flags value that is
// set.
func (n *Node) FlagNames(fn func(name string)) {
	if n.Type.Enum == nil || !n.Type.Enum.Flags {
		return
	}
	for _, m := range n.Type.Enum.Members {
		if mask := uint64(m.Value); mask != 0 && n.Bits&mask == mask {
			fn(m.Name)
		}
	}
}

// appendChecksumVerdict writes " [correct]", or " [incorrect, should be
// 0x...]".
func (f *Frame) appendChecksumVerdict(buf []byte, i int) []byte {
	n := &f.Nodes[i]
	if n.Flags&NodeChecksumOK != 0 {
		return append(buf, " [correct]"...)
	}
	buf = append(buf, " [incorrect"...)
	if want, ok := f.ChecksumWanted(i); ok {
		buf = append(buf, ", should be 0x"...)
		buf = appendHexDigits(buf, want, hexWidth(n))
	}
	return append(buf, ']')
}

// ChecksumWanted returns the checksum computed for node i, when the field
// did not match it.
func (f *Frame) ChecksumWanted(i int) (uint64, bool) {
	for _, c := range f.checks {
		if int(c.node) == i {
			return c.want, c.known
		}
	}
	return 0, false
}

// hexWidth is how many hex digits a node's value takes.
func hexWidth(n *Node) int {
	if n.Type.Bits > 0 {
		return (n.Type.Bits + 3) / 4
	}
	if n.Type.Size > 0 && n.Type.Varint == NotVarint && n.Flags&NodeComputed == 0 {
		return 2 * n.Type.Size
	}
	return 2 // varints and computed values: as many digits as the value needs
}

// appendHexDigits writes v in hex with at least digits digits.
func appendHexDigits(buf []byte, v uint64, digits int) []byte {
	for digits < 16 && v>>(4*uint(digits)) != 0 {
		digits++
	}
	for d := digits - 1; d >= 0; d-- {
		buf = append(buf, hexDigits[(v>>(4*uint(d)))&0xf])
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
		return appendHexDigits(buf, n.Bits&mask(n), hexWidth(n))
	case BaseBin:
		buf = append(buf, "0b"...)
		width := 8 * n.Type.Size
		if n.Type.Bits > 0 {
			width = n.Type.Bits
		}
		for b := width - 1; b >= 0; b-- {
			buf = append(buf, byte('0'+(n.Bits>>uint(b))&1))
		}
		return buf
	}
	if n.Type.Kind == KindInt {
		return decimal.AppendInt(buf, n.Int())
	}
	return decimal.AppendUint(buf, n.Bits)
}

// mask keeps the bits of a value that its type has.
func mask(n *Node) uint64 {
	bits := 8 * n.Type.Size
	if n.Type.Bits > 0 {
		bits = n.Type.Bits
	}
	if bits <= 0 || bits >= 64 || n.Type.Varint != NotVarint {
		return math.MaxUint64
	}
	return 1<<uint(bits) - 1
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

// Content returns the bytes of a byte string or text node, without its
// terminator; for other nodes, the bytes they cover.
func (f *Frame) Content(i int) []byte {
	n := &f.Nodes[i]
	if n.Flags&NodeComputed != 0 && n.Type.Kind == KindBytes {
		// A bytes let covers no bytes of the frame: its value follows
		// them in Data.
		start, end := int64(n.slots), int64(n.slots)+int64(n.Bits)
		if start < 0 || end > int64(len(f.Data)) {
			return nil
		}
		return f.Data[start:end]
	}
	b := f.Bytes(i)
	if (n.Type.Kind == KindBytes || n.Type.Kind == KindString) && n.Bits <= uint64(len(b)) {
		return b[:n.Bits]
	}
	return b
}

// AppendSummary appends the one-line summary of the frame: the root type's
// summary template, or its name when it has none. It may write in buf's
// spare capacity beyond what it appends (a template's literal text is
// copied a fixed-size block at a time): bytes there that the caller means
// to keep must not share buf's array.
func (f *Frame) AppendSummary(buf []byte) []byte {
	buf, _ = f.AppendSummaryPlain(buf)
	return buf
}

// AppendSummaryPlain appends the summary as AppendSummary does, and
// reports whether it is known to be plain text, as the compiled template
// knows without looking at it: printable ASCII without a double quote or a
// backslash, which JSON writes as it is. False says nothing: the summary
// may be plain or not.
func (f *Frame) AppendSummaryPlain(buf []byte) ([]byte, bool) {
	if len(f.Nodes) == 0 || f.Root.Summary == nil {
		if f.Root != nil {
			return append(buf, f.Root.Name...), false
		}
		return buf, false
	}
	if t := f.Nodes[0].Type; t.Kind == KindStruct && t.Struct.Summary != nil {
		return f.appendTemplate(buf, 0, t.Struct.Summary)
	}
	return f.AppendDisplay(buf, 0), false
}

// appendTemplate renders t for the structure node i, by its compiled steps
// (see appendSteps) or, in a template built without the compiler, part by
// part; it reports whether it wrote plain text, when the steps know it. A
// field that was not decoded shows as "?".
func (f *Frame) appendTemplate(buf []byte, i int, t *Template) ([]byte, bool) {
	if t.steps == nil {
		return f.appendTemplateParts(buf, i, t), false
	}
	return f.appendSteps(buf, i, t)
}

// appendTemplateParts renders t for the structure node i, part by part.
func (f *Frame) appendTemplateParts(buf []byte, i int, t *Template) []byte {
	for k := range t.Parts {
		p := &t.Parts[k]
		if p.Path == nil {
			buf = append(buf, p.Text...)
			continue
		}
		buf = f.appendRef(buf, i, p)
	}
	return buf
}

// appendRef appends the reference p for the structure node i, with its
// prefix and suffix when it shows something.
func (f *Frame) appendRef(buf []byte, i int, p *TemplatePart) []byte {
	start := len(buf)
	buf = append(buf, p.Prefix...)
	mark := len(buf)
	buf = f.appendPart(buf, i, p)
	if len(buf) == mark {
		return buf[:start] // the value shows nothing: neither does its prefix
	}
	return append(buf, p.Suffix...)
}

// appendPart appends the value of the template reference p, for the
// structure node i.
func (f *Frame) appendPart(buf []byte, i int, p *TemplatePart) []byte {
	c := f.FieldNode(i, p.Path)
	if c < 0 {
		if !p.Optional {
			buf = append(buf, '?')
		}
		return buf
	}
	n := &f.Nodes[c]
	if n.Type.Kind == KindArray && p.Optional && int(n.End) == c+1 {
		return buf // {array?}: an empty array shows nothing
	}
	if p.Elem != nil && n.Type.Kind == KindArray {
		return f.appendJoinedElems(buf, c, p.Elem, p.Sep)
	}
	if p.Join && n.Type.Kind == KindArray {
		for e := c + 1; e < int(n.End); e = int(f.Nodes[e].End) {
			buf = f.AppendDisplay(buf, e)
		}
		return buf
	}
	if p.Style == StyleDisplay { // the usual case, without appendStyled's tests
		return f.AppendDisplay(buf, c)
	}
	return f.appendStyled(buf, c, p.Style, p.Sep)
}
