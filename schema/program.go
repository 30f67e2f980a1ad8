package schema

// A Program is a checked, compiled schema: every name is resolved to a
// pointer or a slot number, so decoding looks nothing up by string.

// Endian is a byte order.
type Endian uint8

// The byte orders.
const (
	BigEndian Endian = iota
	LittleEndian
)

func (e Endian) String() string {
	if e == LittleEndian {
		return "little"
	}
	return "big"
}

// Base is how an integer is displayed.
type Base uint8

// The display bases.
const (
	BaseDec Base = iota
	BaseHex
	BaseBin
)

// Kind is the kind of a compiled type.
type Kind uint8

// The type kinds.
const (
	KindUint   Kind = iota // unsigned integer, Size bytes
	KindInt                // two's-complement signed integer, Size bytes
	KindFloat              // IEEE 754, Size 4 or 8
	KindBool               // one byte, non-zero is true
	KindBytes              // a byte string of Len bytes (nil Len: to the end)
	KindArray              // Len elements of Elem (nil Len: to the end)
	KindStruct             // a structure
	KindSwitch             // one of several types, chosen by a tag
)

// Program is one compiled protocol schema.
type Program struct {
	Name        string   // protocol name, as used in --decode-as and JSON
	Title       string   // human name, e.g. "Modbus/TCP"
	Description string   // one line
	Wireshark   string   // Wireshark's protocol filter name, e.g. "mbtcp"
	Transport   string   // "tcp" or "udp"
	Ports       []uint16 // well-known ports
	Endian      Endian   // default byte order
	Request     *Struct  // root type of frames from client to server
	Response    *Struct  // root type of frames from server to client
	Framing     *Framing // how frames are delimited in a stream; nil for datagrams
	Structs     []*Struct
	Enums       []*Enum
	File        string // the schema file it came from
}

// Struct is a compiled structure type.
type Struct struct {
	Name    string
	Doc     string
	Fields  []*Field
	Summary *Template // one-line summary of a frame of this type, or nil
	Type    *Type     // the structure as a type, shared by every use
}

// Field is one field of a structure.
type Field struct {
	Name      string
	Doc       string
	Wireshark string // the equivalent Wireshark field name, e.g. "mbtcp.trans_id"
	Slot      int    // index in its structure, used by references
	Type      *Type
	Cond      *Expr  // decoded only when Cond is non-zero; nil means always
	Expect    *Expr  // the value the field must have, or nil
	ExpectSrc string // Expect as written, for messages
	Base      Base
}

// Type is a compiled type.
type Type struct {
	Kind   Kind
	Name   string // as written, for messages: "u16", "FunctionCode", "[n]u16"
	Size   int    // byte size of fixed-size scalars
	Endian Endian
	Enum   *Enum   // names for the values of an integer type, or nil
	Len    *Expr   // byte length (KindBytes) or element count (KindArray); nil means to the end
	Elem   *Type   // KindArray
	Struct *Struct // KindStruct
	Switch *Switch // KindSwitch
}

// Switch chooses a type by the value of its tag.
type Switch struct {
	Tag     *Expr
	Cases   []SwitchCase
	Default *Type // nil: an unmatched tag is an error
}

// SwitchCase matches tag values in [Lo, Hi].
type SwitchCase struct {
	Lo, Hi int64
	Type   *Type
}

// Enum names the values of an integer type.
type Enum struct {
	Name    string
	Doc     string
	Members []EnumMember // sorted by Value
}

// EnumMember is one named value.
type EnumMember struct {
	Name  string // identifier, used in JSON and expressions
	Label string // display text; the name when none was given
	Value int64
}

// Lookup returns the member with value v.
func (e *Enum) Lookup(v int64) (*EnumMember, bool) {
	lo, hi := 0, len(e.Members)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if e.Members[m].Value < v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(e.Members) && e.Members[lo].Value == v {
		return &e.Members[lo], true
	}
	return nil, false
}

// Framing says how to find frame boundaries in a byte stream.
type Framing struct {
	Size *Expr // length of the frame, read from its first bytes
	Min  int   // smallest valid frame
	Max  int   // largest valid frame
}

// Template is a one-line summary: literal text and field references.
type Template struct {
	Parts []TemplatePart
}

// TemplatePart is literal text, or a reference to a field whose display
// value is inserted.
type TemplatePart struct {
	Text string
	Path []int // slot path from the root structure; nil for literal text
}
