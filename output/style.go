package output

import (
	"strings"

	"github.com/fatih/color"
)

// style is an ANSI colour as a pair of strings, worked out once from
// fatih/color so that writing coloured text allocates nothing. When colour
// is off (NO_COLOR, not a terminal, or --color=never) both are empty.
type style struct{ on, off string }

func newStyle(attrs ...color.Attribute) style {
	c := color.New(attrs...)
	if color.NoColor {
		return style{}
	}
	c.EnableColor()
	full := c.Sprint("\x00")
	i := strings.IndexByte(full, 0)
	if i < 0 {
		return style{}
	}
	return style{on: full[:i], off: full[i+1:]}
}

func (s style) wrap(buf []byte, text string) []byte {
	buf = append(buf, s.on...)
	buf = append(buf, text...)
	return append(buf, s.off...)
}

// styles is the palette of a text writer.
type styles struct {
	number, time, addr, proto, name, value, enum, err, warn, dim style
	fields                                                       []style // cycled over the fields in a hex dump
	undecoded                                                    style
}

func newStyles() *styles {
	return &styles{
		number: newStyle(color.FgHiBlack),
		time:   newStyle(color.FgHiBlack),
		addr:   newStyle(color.FgBlue),
		proto:  newStyle(color.FgMagenta, color.Bold),
		name:   newStyle(color.FgCyan),
		value:  newStyle(color.Reset),
		enum:   newStyle(color.FgGreen),
		err:    newStyle(color.FgRed, color.Bold),
		warn:   newStyle(color.FgYellow),
		dim:    newStyle(color.FgHiBlack),
		fields: []style{
			newStyle(color.FgCyan), newStyle(color.FgGreen), newStyle(color.FgYellow),
			newStyle(color.FgMagenta), newStyle(color.FgBlue), newStyle(color.FgHiCyan),
			newStyle(color.FgHiGreen), newStyle(color.FgHiYellow),
		},
		undecoded: newStyle(color.FgRed, color.Underline),
	}
}
