package syntax

// TokenKind is the kind of a lexical token.
type TokenKind uint8

// The token kinds.
const (
	TokEOF TokenKind = iota
	TokIllegal
	TokIdent
	TokInt
	TokFloat
	TokString
	TokSemi // ';' or an automatically inserted end of line

	TokLBrace   // {
	TokRBrace   // }
	TokLParen   // (
	TokRParen   // )
	TokLBrack   // [
	TokRBrack   // ]
	TokComma    // ,
	TokColon    // :
	TokDot      // .
	TokDotDot   // ..
	TokAssign   // =
	TokAt       // @
	TokQuestion // ?
	TokPlus     // +
	TokMinus    // -
	TokStar     // *
	TokSlash    // /
	TokPercent  // %
	TokAmp      // &
	TokPipe     // |
	TokCaret    // ^
	TokTilde    // ~
	TokBang     // !
	TokShl      // <<
	TokShr      // >>
	TokLt       // <
	TokGt       // >
	TokLe       // <=
	TokGe       // >=
	TokEq       // ==
	TokNe       // !=
	TokAndAnd   // &&
	TokOrOr     // ||
)

var tokenNames = [...]string{
	TokEOF: "end of file", TokIllegal: "illegal character", TokIdent: "name",
	TokInt: "number", TokFloat: "number", TokString: "string", TokSemi: "end of line",
	TokLBrace: "'{'", TokRBrace: "'}'", TokLParen: "'('", TokRParen: "')'",
	TokLBrack: "'['", TokRBrack: "']'", TokComma: "','", TokColon: "':'",
	TokDot: "'.'", TokDotDot: "'..'", TokAssign: "'='", TokAt: "'@'",
	TokQuestion: "'?'", TokPlus: "'+'", TokMinus: "'-'", TokStar: "'*'",
	TokSlash: "'/'", TokPercent: "'%'", TokAmp: "'&'", TokPipe: "'|'",
	TokCaret: "'^'", TokTilde: "'~'", TokBang: "'!'", TokShl: "'<<'",
	TokShr: "'>>'", TokLt: "'<'", TokGt: "'>'", TokLe: "'<='", TokGe: "'>='",
	TokEq: "'=='", TokNe: "'!='", TokAndAnd: "'&&'", TokOrOr: "'||'",
}

func (k TokenKind) String() string {
	if int(k) < len(tokenNames) {
		return tokenNames[k]
	}
	return "token"
}

// Token is one lexical token with its position.
type Token struct {
	Kind  TokenKind
	Pos   Pos
	Text  string  // identifier name, decoded string, or number text
	Int   uint64  // value of a TokInt
	Float float64 // value of a TokFloat
}

// describe names a token for an error message.
func (t Token) describe() string {
	switch t.Kind {
	case TokIdent:
		return "'" + t.Text + "'"
	case TokInt, TokFloat:
		return "number " + t.Text
	case TokString:
		return "string"
	case TokSemi:
		if t.Text == "\n" {
			return "end of line"
		}
		return "';'"
	}
	return t.Kind.String()
}
