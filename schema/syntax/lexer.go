package syntax

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// lexer turns schema text into tokens. Like Go's scanner it inserts a
// semicolon at a newline that follows a token which can end a statement, so
// declarations need no terminators.
type lexer struct {
	src      *Source
	text     []byte
	off      int
	errs     *ErrorList
	lastKind TokenKind // kind of the previous token, for semicolon insertion
}

func newLexer(src *Source, errs *ErrorList) *lexer {
	return &lexer{src: src, text: src.Text, errs: errs, lastKind: TokSemi}
}

func (lx *lexer) errorf(off int, format string, args ...any) {
	lx.errs.Add(lx.src, Pos(off), false, format, args...)
}

// needsSemi reports whether a newline after a token of kind k ends a statement.
func needsSemi(k TokenKind) bool {
	switch k {
	case TokIdent, TokInt, TokFloat, TokString, TokRParen, TokRBrack, TokRBrace:
		return true
	}
	return false
}

// next returns the next token.
func (lx *lexer) next() Token {
	t := lx.scan()
	lx.lastKind = t.Kind
	return t
}

func (lx *lexer) scan() Token {
	for {
		// Skip white space; a newline may become a semicolon.
		for lx.off < len(lx.text) {
			c := lx.text[lx.off]
			if c == '\n' {
				if needsSemi(lx.lastKind) {
					t := Token{Kind: TokSemi, Pos: Pos(lx.off), Text: "\n"}
					lx.off++
					return t
				}
				lx.off++
				continue
			}
			if c == ' ' || c == '\t' || c == '\r' {
				lx.off++
				continue
			}
			break
		}
		if lx.off >= len(lx.text) {
			if needsSemi(lx.lastKind) {
				return Token{Kind: TokSemi, Pos: Pos(lx.off), Text: "\n"}
			}
			return Token{Kind: TokEOF, Pos: Pos(lx.off)}
		}
		// Comments.
		if lx.peekString("//") {
			for lx.off < len(lx.text) && lx.text[lx.off] != '\n' {
				lx.off++
			}
			continue
		}
		if lx.peekString("/*") {
			start := lx.off
			// bytes, not strings: converting the rest of the text for every
			// comment would make lexing quadratic.
			end := bytes.Index(lx.text[lx.off+2:], []byte("*/"))
			if end < 0 {
				lx.errorf(start, "comment is not closed: missing */")
				lx.off = len(lx.text)
				continue
			}
			comment := lx.text[lx.off : lx.off+2+end+2]
			lx.off += len(comment)
			if needsSemi(lx.lastKind) && bytes.IndexByte(comment, '\n') >= 0 {
				return Token{Kind: TokSemi, Pos: Pos(start), Text: "\n"}
			}
			continue
		}
		break
	}

	start := lx.off
	c := lx.text[lx.off]
	switch {
	case isLetter(c):
		for lx.off < len(lx.text) && (isLetter(lx.text[lx.off]) || isDigit(lx.text[lx.off])) {
			lx.off++
		}
		return Token{Kind: TokIdent, Pos: Pos(start), Text: string(lx.text[start:lx.off])}
	case isDigit(c):
		return lx.number()
	case c == '"':
		return lx.stringLit()
	}

	lx.off++
	two := func(next byte, k2, k1 TokenKind) Token {
		if lx.off < len(lx.text) && lx.text[lx.off] == next {
			lx.off++
			return Token{Kind: k2, Pos: Pos(start)}
		}
		return Token{Kind: k1, Pos: Pos(start)}
	}
	switch c {
	case '{':
		return Token{Kind: TokLBrace, Pos: Pos(start)}
	case '}':
		return Token{Kind: TokRBrace, Pos: Pos(start)}
	case '(':
		return Token{Kind: TokLParen, Pos: Pos(start)}
	case ')':
		return Token{Kind: TokRParen, Pos: Pos(start)}
	case '[':
		return Token{Kind: TokLBrack, Pos: Pos(start)}
	case ']':
		return Token{Kind: TokRBrack, Pos: Pos(start)}
	case ',':
		return Token{Kind: TokComma, Pos: Pos(start)}
	case ';':
		return Token{Kind: TokSemi, Pos: Pos(start), Text: ";"}
	case ':':
		return Token{Kind: TokColon, Pos: Pos(start)}
	case '.':
		return two('.', TokDotDot, TokDot)
	case '@':
		return Token{Kind: TokAt, Pos: Pos(start)}
	case '?':
		return Token{Kind: TokQuestion, Pos: Pos(start)}
	case '+':
		return Token{Kind: TokPlus, Pos: Pos(start)}
	case '-':
		return Token{Kind: TokMinus, Pos: Pos(start)}
	case '*':
		return Token{Kind: TokStar, Pos: Pos(start)}
	case '/':
		return Token{Kind: TokSlash, Pos: Pos(start)}
	case '%':
		return Token{Kind: TokPercent, Pos: Pos(start)}
	case '^':
		return Token{Kind: TokCaret, Pos: Pos(start)}
	case '~':
		return Token{Kind: TokTilde, Pos: Pos(start)}
	case '=':
		return two('=', TokEq, TokAssign)
	case '!':
		return two('=', TokNe, TokBang)
	case '&':
		return two('&', TokAndAnd, TokAmp)
	case '|':
		return two('|', TokOrOr, TokPipe)
	case '<':
		if lx.off < len(lx.text) && lx.text[lx.off] == '<' {
			lx.off++
			return Token{Kind: TokShl, Pos: Pos(start)}
		}
		return two('=', TokLe, TokLt)
	case '>':
		if lx.off < len(lx.text) && lx.text[lx.off] == '>' {
			lx.off++
			return Token{Kind: TokShr, Pos: Pos(start)}
		}
		return two('=', TokGe, TokGt)
	}
	// Report a whole UTF-8 character once, not each of its bytes.
	r, size := utf8.DecodeRune(lx.text[start:])
	lx.off = start + size
	lx.errorf(start, "unexpected character %q", r)
	return Token{Kind: TokIllegal, Pos: Pos(start), Text: string(lx.text[start:lx.off])}
}

func (lx *lexer) peekString(s string) bool {
	return strings.HasPrefix(string(lx.text[lx.off:min(len(lx.text), lx.off+len(s))]), s)
}

func isLetter(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHexDigit(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// number scans an integer — decimal, 0x hex, 0o octal or 0b binary, with
// '_' between digits — or a decimal floating-point number such as 0.1 or
// 2.5e-3.
func (lx *lexer) number() Token {
	start := lx.off
	isFloat := false
	prefixed := lx.off+1 < len(lx.text) && lx.text[lx.off] == '0' && strings.ContainsRune("xXoObB", rune(lx.text[lx.off+1]))
	if prefixed {
		lx.off += 2
		for lx.off < len(lx.text) && (isHexDigit(lx.text[lx.off]) || lx.text[lx.off] == '_') {
			lx.off++
		}
	} else {
		lx.digits()
		if lx.off+1 < len(lx.text) && lx.text[lx.off] == '.' && isDigit(lx.text[lx.off+1]) {
			isFloat = true
			lx.off++
			lx.digits()
		}
		if lx.off < len(lx.text) && (lx.text[lx.off] == 'e' || lx.text[lx.off] == 'E') {
			n := lx.off + 1
			if n < len(lx.text) && (lx.text[n] == '+' || lx.text[n] == '-') {
				n++
			}
			if n < len(lx.text) && isDigit(lx.text[n]) {
				isFloat = true
				lx.off = n
				lx.digits()
			}
		}
	}
	// Letters glued to a number make it malformed, as in 12ab.
	for lx.off < len(lx.text) && (isLetter(lx.text[lx.off]) || isDigit(lx.text[lx.off])) {
		lx.off++
	}
	text := string(lx.text[start:lx.off])
	if isFloat {
		v, err := strconv.ParseFloat(strings.ReplaceAll(text, "_", ""), 64)
		if err != nil {
			lx.errorf(start, "malformed number %q", text)
		}
		return Token{Kind: TokFloat, Pos: Pos(start), Text: text, Float: v}
	}
	v, err := strconv.ParseUint(text, 0, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			lx.errorf(start, "number %s does not fit in 64 bits", text)
		} else {
			lx.errorf(start, "malformed number %q", text)
		}
	}
	return Token{Kind: TokInt, Pos: Pos(start), Text: text, Int: v}
}

func (lx *lexer) digits() {
	for lx.off < len(lx.text) && (isDigit(lx.text[lx.off]) || lx.text[lx.off] == '_') {
		lx.off++
	}
}

// stringLit scans a double-quoted string with Go-style escapes.
func (lx *lexer) stringLit() Token {
	start := lx.off
	lx.off++ // opening quote
	for lx.off < len(lx.text) {
		c := lx.text[lx.off]
		if c == '\n' {
			break
		}
		if c == '\\' && lx.off+1 < len(lx.text) && lx.text[lx.off+1] != '\n' {
			lx.off += 2 // an escape; a backslash cannot hide the end of the line
			continue
		}
		lx.off++
		if c == '"' {
			raw := string(lx.text[start:lx.off])
			s, err := strconv.Unquote(raw)
			if err != nil {
				lx.errorf(start, "malformed string %s: bad escape sequence", raw)
			}
			return Token{Kind: TokString, Pos: Pos(start), Text: s}
		}
	}
	lx.off = min(lx.off, len(lx.text))
	lx.errorf(start, "string is not closed: missing \" before the end of the line")
	return Token{Kind: TokString, Pos: Pos(start), Text: string(lx.text[start+1 : lx.off])}
}
