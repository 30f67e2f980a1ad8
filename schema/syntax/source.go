package syntax

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a byte offset into a Source. Positions stay compact until an error
// is printed, when Source.Position turns them into file:line:col.
type Pos int32

// NoPos marks a node without a position.
const NoPos Pos = -1

// Source is the text of one schema file, with its line starts indexed.
type Source struct {
	Name  string // file name used in messages
	Text  []byte
	lines []int  // byte offset of the start of each line
	str   string // Text as a string, which line texts share
}

// NewSource indexes text for position look-ups.
func NewSource(name string, text []byte) *Source {
	s := &Source{Name: name, Text: text, lines: []int{0}, str: string(text)}
	for i, c := range text {
		if c == '\n' {
			s.lines = append(s.lines, i+1)
		}
	}
	return s
}

// Position is a human-readable location in a schema file.
type Position struct {
	File string
	Line int // 1-based
	Col  int // 1-based, in bytes
}

func (p Position) String() string {
	if p.Line == 0 {
		return p.File // no position in the file: the whole file
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Position converts an offset into file:line:col.
func (s *Source) Position(p Pos) Position {
	if p < 0 {
		return Position{File: s.Name}
	}
	off := int(p)
	line := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off }) - 1
	if line < 0 {
		line = 0
	}
	return Position{File: s.Name, Line: line + 1, Col: off - s.lines[line] + 1}
}

// LineText returns the text of a 1-based line, without its newline.
func (s *Source) LineText(line int) string {
	if line < 1 || line > len(s.lines) {
		return ""
	}
	start := s.lines[line-1]
	end := len(s.Text)
	if line < len(s.lines) {
		end = s.lines[line] - 1
	}
	// A substring, not a copy: a file with many errors on one long line
	// must not take time and memory in the square of its length.
	return strings.TrimRight(s.str[start:end], "\r")
}

// Error is one problem found in a schema, with its position and the source
// line it is on.
type Error struct {
	Pos     Position
	Msg     string
	Line    string // the source line, for the snippet
	Warning bool   // a warning does not stop the schema from loading
}

// Error formats the message like a compiler does: position, message, the
// source line and a caret under the column.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Pos.String())
	if e.Warning {
		b.WriteString(": warning: ")
	} else {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Line != "" {
		b.WriteString("\n    ")
		b.WriteString(strings.ReplaceAll(e.Line, "\t", " "))
		b.WriteString("\n    ")
		col := e.Pos.Col - 1
		if col > len(e.Line) {
			col = len(e.Line)
		}
		b.WriteString(strings.Repeat(" ", col))
		b.WriteString("^")
	}
	return b.String()
}

// ErrorList collects every error in one or more schema files. It sorts
// them by position and reports them together.
type ErrorList []*Error

// Add records an error (or a warning) at p in src.
func (l *ErrorList) Add(src *Source, p Pos, warning bool, format string, args ...any) {
	pos := src.Position(p)
	*l = append(*l, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Line: src.LineText(pos.Line), Warning: warning})
}

// Sort orders the list by file, line and column.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Errors returns only the entries that are errors, not warnings.
func (l ErrorList) Errors() ErrorList {
	var out ErrorList
	for _, e := range l {
		if !e.Warning {
			out = append(out, e)
		}
	}
	return out
}

// Warnings returns only the warnings.
func (l ErrorList) Warnings() ErrorList {
	var out ErrorList
	for _, e := range l {
		if e.Warning {
			out = append(out, e)
		}
	}
	return out
}

// Error prints every entry, one after the other.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(e.Error())
	}
	n := len(l.Errors())
	if n > 1 {
		fmt.Fprintf(&b, "\n%d errors", n)
	}
	return b.String()
}

// Err returns the list as an error when it holds at least one error (not
// just warnings), and nil otherwise.
func (l ErrorList) Err() error {
	if len(l.Errors()) == 0 {
		return nil
	}
	return l
}
