package schema

import (
	"strings"

	"github.com/dissect-project/dissect/schema/syntax"
)

// Style is how a summary shows a field's value: {field} shows its display
// value, {field:label} an enum's label alone and {field:text} text without
// quotes, as Wireshark's Info column does ("Set Request, Key: user:1"
// rather than "Set (1) Request, Key: \"user:1\""); {array:list} shows an
// array's elements, separated by commas, rather than their count;
// {array:first} its first element alone (nothing when it is empty);
// {array:join(SEP)} joins the displays of all an array's elements with SEP,
// text without quotes, leaving out elements that show nothing (a DNS name's
// labels, www.example.com).
type Style uint8

// Summary styles.
const (
	StyleDisplay Style = iota // the display value, as in the tree
	StyleLabel                // an enum member's label (its name when it has none)
	StyleText                 // text without quotes
	StyleList                 // an array's first elements, comma-separated
	StyleFirst                // an array's first element
	StyleJoin                 // an array's elements joined with a separator
)

// maxListed is how many elements {array:list} shows before "…".
const maxListed = 16

// maxJoined is how many elements {array:join(SEP)} shows before "…": more
// than the 127 labels a DNS name can have.
const maxJoined = 256

// templateStyle splits "path:style" into the path and the style, and the
// separator of join(SEP).
func (c *checker) templateStyle(a *syntax.Attr, ref string) (string, Style, string, bool) {
	path, style, found := strings.Cut(ref, ":")
	if !found {
		return ref, StyleDisplay, "", true
	}
	if sep, ok := strings.CutPrefix(style, "join("); ok {
		if !strings.HasSuffix(sep, ")") {
			c.errorf(exprPos(a.Value), "summary: {%s}: join takes a separator in parentheses, as join(.)", ref)
			return "", StyleDisplay, "", false
		}
		return strings.TrimSpace(path), StyleJoin, strings.TrimSuffix(sep, ")"), true
	}
	switch strings.TrimSpace(style) {
	case "label":
		return strings.TrimSpace(path), StyleLabel, "", true
	case "text":
		return strings.TrimSpace(path), StyleText, "", true
	case "list":
		return strings.TrimSpace(path), StyleList, "", true
	case "first":
		return strings.TrimSpace(path), StyleFirst, "", true
	}
	c.errorf(exprPos(a.Value), "summary: {%s}: unknown style %q (label, text, list, first or join(SEP))", ref, style)
	return "", StyleDisplay, "", false
}

// appendStyled appends node i's value in the given style. A style that does
// not apply to the node's kind (a label of a number that is no enum) gives
// its display value; an enum value no member names shows as "Unknown (N)".
// sep is the separator of StyleJoin.
func (f *Frame) appendStyled(buf []byte, i int, style Style, sep string) []byte {
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
	case style == StyleFirst && n.Type.Kind == KindArray:
		if i+1 < int(n.End) {
			buf = f.AppendDisplay(buf, i+1)
		}
		return buf
	case style == StyleList && n.Type.Kind == KindArray:
		k := 0
		f.Children(i, func(c int) {
			switch {
			case k < maxListed:
				if k > 0 {
					buf = append(buf, ", "...)
				}
				buf = f.AppendDisplay(buf, c)
			case k == maxListed:
				buf = append(buf, ", …"...)
			}
			k++
		})
		return buf
	case style == StyleJoin && n.Type.Kind == KindArray:
		return f.appendJoinedElems(buf, i, nil, sep)
	}
	return f.AppendDisplay(buf, i)
}

// appendJoinedElems appends the elements of array node i joined with sep:
// each element, or with elem the field at that path inside it (elements
// without it are left out); text without quotes, and elements that show
// nothing take no separator.
func (f *Frame) appendJoinedElems(buf []byte, i int, elem []int, sep string) []byte {
	n := &f.Nodes[i]
	k := 0
	for e := i + 1; e < int(n.End); e = int(f.Nodes[e].End) {
		c := e
		if elem != nil {
			if c = f.FieldNode(e, elem); c < 0 {
				continue
			}
		}
		if k == maxJoined {
			return append(append(buf, sep...), "…"...)
		}
		mark := len(buf)
		if k > 0 {
			buf = append(buf, sep...)
		}
		start := len(buf)
		if f.Nodes[c].Type.Kind == KindString {
			buf = f.appendStyled(buf, c, StyleText, "")
		} else {
			buf = f.AppendDisplay(buf, c)
		}
		if len(buf) == start {
			buf = buf[:mark] // an element that shows nothing takes no separator
			continue
		}
		k++
	}
	return buf
}
