package schema

import (
	"strings"

	"github.com/dissect-project/dissect/schema/syntax"
)

// Style is how a summary shows a field's value: {field} shows its display
// value, {field:label} an enum's label alone and {field:text} text without
// quotes, as Wireshark's Info column does ("Set Request, Key: user:1"
// rather than "Set (1) Request, Key: \"user:1\"").
type Style uint8

// Summary styles.
const (
	StyleDisplay Style = iota // the display value, as in the tree
	StyleLabel                // an enum member's label (its name when it has none)
	StyleText                 // text without quotes
)

// templateStyle splits "path:style" into the path and the style.
func (c *checker) templateStyle(a *syntax.Attr, ref string) (string, Style, bool) {
	path, style, found := strings.Cut(ref, ":")
	if !found {
		return ref, StyleDisplay, true
	}
	switch strings.TrimSpace(style) {
	case "label":
		return strings.TrimSpace(path), StyleLabel, true
	case "text":
		return strings.TrimSpace(path), StyleText, true
	}
	c.errorf(exprPos(a.Value), "summary: {%s}: unknown style %q (label or text)", ref, style)
	return "", StyleDisplay, false
}

// appendStyled appends node i's value in the given style. A style that does
// not apply to the node's kind (a label of a number that is no enum) gives
// its display value; an enum value no member names shows as "Unknown (N)".
func (f *Frame) appendStyled(buf []byte, i int, style Style) []byte {
	n := &f.Nodes[i]
	switch {
	case style == StyleLabel && (n.Type.Kind == KindUint || n.Type.Kind == KindInt) && n.Type.Enum != nil && !n.Type.Enum.Flags:
		m, ok := n.Type.Enum.Lookup(n.Int())
		if !ok {
			return f.AppendDisplay(buf, i)
		}
		if m.Label != "" {
			return append(buf, m.Label...)
		}
		return append(buf, m.Name...)
	case style == StyleText && n.Type.Kind == KindString:
		content := f.Content(i)
		shown := content
		if len(shown) > maxDisplayText {
			shown = shown[:maxDisplayText]
		}
		buf = appendQuotedText(buf, shown, n.Type.Encoding)
		if len(shown) < len(content) {
			buf = append(buf, "…"...)
		}
		return buf
	}
	return f.AppendDisplay(buf, i)
}
