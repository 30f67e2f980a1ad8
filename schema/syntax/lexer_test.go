package syntax

import (
	"fmt"
	"strings"
	"testing"
)

// lexAll scans src completely and returns its tokens, EOF included.
func lexAll(t *testing.T, text string) ([]Token, ErrorList) {
	t.Helper()
	var errs ErrorList
	lx := newLexer(NewSource("t.dsl", []byte(text)), &errs)
	var toks []Token
	for i := 0; ; i++ {
		if i > 10*len(text)+10 {
			t.Fatalf("lexer does not reach the end of %q", text)
		}
		tok := lx.next()
		toks = append(toks, tok)
		if tok.Kind == TokEOF {
			return toks, errs
		}
	}
}

// tokString is a compact, readable form of a token for comparisons.
func tokString(t Token) string {
	switch t.Kind {
	case TokIdent:
		return "id:" + t.Text
	case TokInt:
		return fmt.Sprintf("int:%s=%d", t.Text, t.Int)
	case TokFloat:
		return fmt.Sprintf("float:%s=%g", t.Text, t.Float)
	case TokString:
		return fmt.Sprintf("str:%q", t.Text)
	case TokSemi:
		if t.Text == "\n" {
			return "NL"
		}
		return ";"
	case TokEOF:
		return "EOF"
	case TokIllegal:
		return "illegal:" + t.Text
	}
	return t.Kind.String()
}

func tokStrings(toks []Token) string {
	var s []string
	for _, t := range toks {
		s = append(s, tokString(t))
	}
	return strings.Join(s, " ")
}

func TestLexerTokens(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty", "", "EOF"},
		{"blank", " \t\r\n\n  ", "EOF"},
		{"idents", "a _b C9 u16le s_8", "id:a id:_b id:C9 id:u16le id:s_8 NL EOF"},
		{"decimal", "0 7 42 1_000", "int:0=0 int:7=7 int:42=42 int:1_000=1000 NL EOF"},
		{"hex", "0x0 0xff 0XFF 0x_dead_BEEF", "int:0x0=0 int:0xff=255 int:0XFF=255 int:0x_dead_BEEF=3735928559 NL EOF"},
		{"binary", "0b1010 0B1_1", "int:0b1010=10 int:0B1_1=3 NL EOF"},
		{"octal", "0o17 0O7 017", "int:0o17=15 int:0O7=7 int:017=15 NL EOF"},
		{"max uint64", "18446744073709551615 0xffffffffffffffff", "int:18446744073709551615=18446744073709551615 int:0xffffffffffffffff=18446744073709551615 NL EOF"},
		{"floats", "0.5 1.25e3 2e-3 1E+2 3.0", "float:0.5=0.5 float:1.25e3=1250 float:2e-3=0.002 float:1E+2=100 float:3.0=3 NL EOF"},
		{"int then dot name", "1.x 1..2", "int:1=1 '.' id:x int:1=1 '..' int:2=2 NL EOF"},
		{"range", "1..5 0x80..0xFF", "int:1=1 '..' int:5=5 int:0x80=128 '..' int:0xFF=255 NL EOF"},
		{"strings", `"" "abc" "a\"b" "tab\there" "\x41\u00e9\n\\" "üñí"`,
			`str:"" str:"abc" str:"a\"b" str:"tab\there" str:"Aé\n\\" str:"üñí" NL EOF`},
		{"operators", "{ } ( ) [ ] , : . .. = @ ? + - * / % & | ^ ~ ! << >> < > <= >= == != && ||",
			"'{' '}' '(' ')' '[' ']' ',' ':' '.' '..' '=' '@' '?' '+' '-' '*' '/' '%' '&' '|' '^' '~' '!' '<<' '>>' '<' '>' '<=' '>=' '==' '!=' '&&' '||' EOF"},
		{"operators without spaces", "a<<=b>>c...d&&&e|||f!==g",
			"id:a '<<' '=' id:b '>>' id:c '..' '.' id:d '&&' '&' id:e '||' '|' id:f '!=' '=' id:g NL EOF"},
		{"explicit semicolons", "a;b ; ;", "id:a ; id:b ; ; EOF"},
		{"line comment", "a // comment } \"x\n b", "id:a NL id:b NL EOF"},
		{"line comment at end", "a // no newline", "id:a NL EOF"},
		{"comment-only lines", "// one\n// two\n\n", "EOF"},
		{"block comment on one line", "a /* x */ b", "id:a id:b NL EOF"},
		{"block comment with newline ends statement", "a /* x\n y */ b", "id:a NL id:b NL EOF"},
		{"block comment with newline after operator", "a + /* x\n */ b", "id:a '+' id:b NL EOF"},
		{"block comment not nested", "/* /* */ a */", "id:a '*' '/' EOF"},
		{"slash is division", "a / b", "id:a '/' id:b NL EOF"},
		// Automatic semicolons: after names, numbers, strings, ) ] }, and at
		// the end of the text; not after operators, commas or open brackets.
		{"semi after ident", "a\nb", "id:a NL id:b NL EOF"},
		{"semi after int", "1\n", "int:1=1 NL EOF"},
		{"semi after string", "\"s\"\n", `str:"s" NL EOF`},
		{"semi after closers", ")\n]\n}\n", "')' NL ']' NL '}' NL EOF"},
		{"no semi after openers", "{\n(\n[\n", "'{' '(' '[' EOF"},
		{"no semi after operators", "a +\nb ,\nc =\nd", "id:a '+' id:b ',' id:c '=' id:d NL EOF"},
		{"no semi after colon or semi", "a:\nb;\n", "id:a ':' id:b ; EOF"},
		{"blank lines give one semi", "a\n\n\n\nb", "id:a NL id:b NL EOF"},
		{"crlf", "a\r\nb\r\n", "id:a NL id:b NL EOF"},
		{"semi at EOF after brace", "x { a u8 }", "id:x '{' id:a id:u8 '}' NL EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			toks, errs := lexAll(t, tt.src)
			if len(errs) != 0 {
				t.Errorf("unexpected errors:\n%v", errs)
			}
			if got := tokStrings(toks); got != tt.want {
				t.Errorf("lex(%q)\n got: %s\nwant: %s", tt.src, got, tt.want)
			}
		})
	}
}

func TestLexerPositions(t *testing.T) {
	src := "ab  12\n\t\"s\" <= /* c */ x\n// c\n  y"
	toks, errs := lexAll(t, src)
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	s := NewSource("t.dsl", []byte(src))
	var got []string
	for _, tok := range toks {
		got = append(got, tokString(tok)+"@"+s.Position(tok.Pos).String())
	}
	want := []string{
		"id:ab@t.dsl:1:1", "int:12=12@t.dsl:1:5", "NL@t.dsl:1:7",
		`str:"s"@t.dsl:2:2`, "'<='@t.dsl:2:6", "id:x@t.dsl:2:17", "NL@t.dsl:2:18",
		"id:y@t.dsl:4:3", "NL@t.dsl:4:4", "EOF@t.dsl:4:4",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("positions\n got: %v\nwant: %v", got, want)
	}
}

func TestLexerErrors(t *testing.T) {
	tests := []struct {
		name, src string
		toks      string   // tokens, "" to skip the check
		errs      []string // "line:col: message"
	}{
		{"illegal character", "a $ b", "id:a illegal:$ id:b NL EOF",
			[]string{"1:3: unexpected character '$'"}},
		{"illegal characters", "#\n`", "illegal:# illegal:` EOF",
			[]string{"1:1: unexpected character '#'", "2:1: unexpected character '`'"}},
		{"non-ascii character", "a é b", "id:a illegal:é id:b NL EOF",
			[]string{"1:3: unexpected character 'é'"}},
		{"invalid utf-8", "a \xff b", "id:a illegal:\xff id:b NL EOF",
			[]string{"1:3: unexpected character '\ufffd'"}},
		{"nul byte", "\x00", "illegal:\x00 EOF",
			[]string{"1:1: unexpected character '\\x00'"}},
		{"unterminated string at eof", `x "abc`, `id:x str:"abc" NL EOF`,
			[]string{`1:3: string is not closed: missing " before the end of the line`}},
		{"unterminated string at eol", "\"abc\nx", `str:"abc" NL id:x NL EOF`,
			[]string{`1:1: string is not closed: missing " before the end of the line`}},
		{"lone quote", `"`, `str:"" NL EOF`,
			[]string{`1:1: string is not closed: missing " before the end of the line`}},
		{"backslash at eof", `"ab\`, `str:"ab\\" NL EOF`,
			[]string{`1:1: string is not closed: missing " before the end of the line`}},
		{"backslash before newline", "\"ab\\\n\"x\"\ny", "str:\"ab\\\\\" NL str:\"x\" NL id:y NL EOF",
			[]string{`1:1: string is not closed: missing " before the end of the line`}},
		{"bad escape", `"a\qb" x`, `str:"" id:x NL EOF`,
			[]string{`1:1: malformed string "a\qb": bad escape sequence`}},
		{"bad hex escape", `"\xZZ"`, "",
			[]string{`1:1: malformed string "\xZZ": bad escape sequence`}},
		{"escaped quote at end", `"a\"`, "",
			[]string{`1:1: string is not closed: missing " before the end of the line`}},
		{"unterminated comment", "a /* b\n c", "id:a NL EOF",
			[]string{"1:3: comment is not closed: missing */"}},
		{"unterminated comment star", "/*/", "EOF",
			[]string{"1:1: comment is not closed: missing */"}},
		{"number too big", "18446744073709551616", "",
			[]string{"1:1: number 18446744073709551616 does not fit in 64 bits"}},
		{"hex too big", "0x1_0000_0000_0000_0000", "",
			[]string{"1:1: number 0x1_0000_0000_0000_0000 does not fit in 64 bits"}},
		{"bad octal digit", "08", "",
			[]string{`1:1: malformed number "08"`}},
		{"bad binary digit", "0b102", "",
			[]string{`1:1: malformed number "0b102"`}},
		{"bad octal prefix digit", "0o9", "",
			[]string{`1:1: malformed number "0o9"`}},
		{"empty hex", "0x", "",
			[]string{`1:1: malformed number "0x"`}},
		{"double underscore", "1__0", "",
			[]string{`1:1: malformed number "1__0"`}},
		{"trailing underscore", "10_", "",
			[]string{`1:1: malformed number "10_"`}},
		{"number glued to a name", "2u8 1ex", "",
			[]string{`1:1: malformed number "2u8"`, `1:5: malformed number "1ex"`}},
		{"error on later line", "a\n  b ?\n   $", "",
			[]string{"3:4: unexpected character '$'"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			toks, errs := lexAll(t, tt.src)
			if tt.toks != "" {
				if got := tokStrings(toks); got != tt.toks {
					t.Errorf("tokens\n got: %s\nwant: %s", got, tt.toks)
				}
			}
			var got []string
			for _, e := range errs {
				got = append(got, fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Col, e.Msg))
				if e.Pos.File != "t.dsl" || e.Warning {
					t.Errorf("error %v: file %q warning %v", e, e.Pos.File, e.Warning)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.errs, "\n") {
				t.Errorf("errors\n got: %q\nwant: %q", got, tt.errs)
			}
		})
	}
}

func TestTokenKindString(t *testing.T) {
	for k := TokEOF; k <= TokOrOr; k++ {
		if s := k.String(); s == "" || s == "token" {
			t.Errorf("TokenKind(%d) has no name", k)
		}
	}
	if s := TokenKind(200).String(); s != "token" {
		t.Errorf("unknown kind: %q", s)
	}
	describe := []struct {
		tok  Token
		want string
	}{
		{Token{Kind: TokIdent, Text: "abc"}, "'abc'"},
		{Token{Kind: TokInt, Text: "0x10"}, "number 0x10"},
		{Token{Kind: TokString, Text: "x"}, "string"},
		{Token{Kind: TokSemi, Text: "\n"}, "end of line"},
		{Token{Kind: TokSemi, Text: ";"}, "';'"},
		{Token{Kind: TokEOF}, "end of file"},
		{Token{Kind: TokLBrace}, "'{'"},
		{Token{Kind: TokIllegal, Text: "$"}, "illegal character"},
	}
	for _, d := range describe {
		if got := d.tok.describe(); got != d.want {
			t.Errorf("describe(%v) = %q, want %q", d.tok, got, d.want)
		}
	}
}
