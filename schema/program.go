package schema

// A Program is a checked, compiled schema: every name is resolved to a
// pointer or a slot number, so decoding looks nothing up by string.

import (
	"math"
	"strconv"
)

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
	KindString             // text of Len bytes in an Encoding
)

// Varint is a variable-length integer encoding.
type Varint uint8

// The varint encodings.
const (
	NotVarint   Varint = iota
	ULEB128            // unsigned LEB128, up to 10 bytes
	SLEB128            // signed LEB128, up to 10 bytes
	Zigzag             // zigzag-encoded LEB128 (protobuf sint64)
	MQTTVarint         // MQTT remaining length: LEB128 of at most 4 bytes
	QUICVarint         // QUIC: a 2-bit length prefix, 1, 2, 4 or 8 bytes
	BERLength          // ASN.1 BER/DER definite length: short form, or 0x81..0x88 and that many bytes
	MySQLLenenc        // MySQL length-encoded integer: below 0xfb, or 0xfc/0xfd/0xfe and 2, 3 or 8 bytes
)

// Encoding is the character encoding of a string.
type Encoding uint8

// The string encodings.
const (
	ASCII Encoding = iota
	UTF8
	UTF16LE
	UTF16BE
	Latin1
)

// ArrayMode says how many elements an array has.
type ArrayMode uint8

// The array modes.
const (
	ArrayCount ArrayMode = iota // Len elements
	ArrayToEnd                  // elements up to the end of the region
	ArrayUntil                  // up to and including the element for which Len (a condition on last) holds; bytes and text: up to the terminator Term
	ArrayWhile                  // while Len (a condition) holds before each element
)

// TimeFormat says how an integer is shown as a time.
type TimeFormat uint8

// The time formats.
const (
	NoTime   TimeFormat = iota
	UnixSec             // seconds since 1970
	UnixMs              // milliseconds since 1970
	UnixUs              // microseconds since 1970
	UnixNs              // nanoseconds since 1970
	NTP64               // NTP timestamp: 32.32 fixed point seconds since 1900
	NTP32               // NTP short format: 16.16 fixed point seconds
	FileTime            // 100-nanosecond ticks since 1601 (Windows FILETIME, OPC UA DateTime)
)

// AddrFormat shows bytes or an integer as an address.
type AddrFormat uint8

// The address formats.
const (
	NoFormat   AddrFormat = iota
	IPv4                  // 4 bytes, or a 32-bit integer: 192.0.2.1
	IPv6                  // 16 bytes: 2001:db8::1
	MAC                   // 6 bytes: 00:1a:2b:3c:4d:5e
	GUID                  // 16 bytes, first three groups little-endian (Microsoft, OPC UA): 72962b91-fa75-4ae6-8d28-b404dc7daf63
	Dotted                // any number of bytes in dotted decimal: an AMS NetId 5.1.204.160.1.1
	IPv4Prefix            // 0 to 4 leading bytes of an IPv4 address, the rest zero: 192.0.2.0 (EDNS Client Subnet)
	IPv6Prefix            // 0 to 16 leading bytes of an IPv6 address, the rest zero: 2001:db8::
)

// FieldOp says what a structure member does.
type FieldOp uint8

// The member operations.
const (
	OpField  FieldOp = iota // decode a value
	OpLet                   // compute a value
	OpAssert                // check a condition
	OpAlign                 // skip to a multiple of Value bytes from the region start
	OpSet                   // set a connection state variable
	OpPair                  // give the frame's request/response pairing key
)

// PairRole says whether a frame asks or answers.
type PairRole uint8

// The pairing roles.
const (
	PairNone     PairRole = iota
	PairRequest           // expects an answer with the same key from the peer
	PairResponse          // answers the peer's request with the same key
)

// Program is one compiled protocol schema.
type Program struct {
	Name        string     // protocol name, as used in --decode-as and JSON
	Title       string     // human name, e.g. "Modbus/TCP"
	Description string     // one line
	Wireshark   string     // Wireshark's protocol filter name, e.g. "mbtcp"
	Transport   string     // "tcp" or "udp": the first of Transports
	Transports  []string   // every transport it runs over: tcp, udp or both
	Ports       []uint16   // well-known ports
	Endian      Endian     // default byte order
	Request     *Struct    // root type of frames from client to server
	Response    *Struct    // root type of frames from server to client
	Framing     *Framing   // how frames are delimited in a stream; nil for datagrams
	Heuristic   *Heuristic // how traffic on any port is recognised; nil: by port only
	Structs     []*Struct
	Enums       []*Enum
	State       []*StateVar // variables kept per connection
	Layers      []*Layer    // fields that hand their bytes to another protocol
	File        string      // the schema file it came from
	Files       []string    // it and every file it imports
}

// StateVar is a variable kept per connection.
type StateVar struct {
	Name  string
	Index int
	Init  int64
}

// State holds the state variables of one connection.
type State struct {
	Vals []int64
}

// NewState returns a connection's state with every variable at its initial
// value.
func (p *Program) NewState() *State {
	st := &State{Vals: make([]int64, len(p.State))}
	st.Reset(p)
	return st
}

// Reset sets every variable back to its initial value.
func (s *State) Reset(p *Program) {
	for i, v := range p.State {
		s.Vals[i] = v.Init
	}
}

// Layer is a field whose bytes another protocol decodes. With
// [decode = "name"] the bytes are decoded in place as one message of that
// protocol. With [stream = "name"] (Stream set) they are appended to a byte
// stream of that protocol, kept per connection and direction, whose own
// framing finds its messages: so a message may span several fields, or
// several fields hold one message, as TLS handshake messages do in TLS
// records. The registry links Program before decoding; an unlinked layer
// leaves the bytes as they are.
type Layer struct {
	Name    string
	Field   *Field
	Stream  bool
	Join    *Join // [join = "name"]: pieces joined into whole messages; nil otherwise
	Program *Program
	Index   int // position in Program.Layers
}

// Join says how a [join = "name"] field's bytes, one piece of a message
// per frame, are collected per connection and direction into whole
// messages of another protocol: the fields named by first, last, seq and
// abort (members of the same structure, declared before it) flag each
// piece; Limit bounds a joined message.
type Join struct {
	First, Last, Seq, Abort int // slots of the flag fields in the structure; -1 when not given
	SeqBits                 int // width of the sequence number: it wraps at 1<<SeqBits (0: 64 bits)
	Limit                   int // bytes of a joined message at most
}

// DefaultJoinLimit is a joined message's bound when [limit] is not given.
const DefaultJoinLimit = 1 << 20

// Struct is a compiled structure type.
type Struct struct {
	// What every decode of the structure reads first, together.
	Fields   []*Field // members in order; fields and lets have the slots after the parameters
	Params   []*Field // parameters, in slots 0..len(Params)-1
	NumSlots int
	// plainSize is the bytes of a structure whose members are all plain
	// reads (see planPlain); -1 otherwise, and 0 in a structure built
	// without the compiler.
	plainSize int
	steps     []memberStep // how runSteps decodes the members, or nil (see planSteps)
	rest      int          // the step after the first, a run (with only its fused step before it), or 0 (see partialValue)
	plainCode *runCode     // a plain structure as a value (see plainValue)
	Summary   *Template    // one-line summary of a frame of this type, or nil
	// ValueIsSummary is set by [value = summary]: the structure's value in
	// JSON is its rendered summary string (a DNS name, an OID) rather than
	// an object of its fields; the field tree still shows the fields.
	ValueIsSummary bool
	// keep says a decode of the structure may be kept, and copied where
	// the same bytes decode to it again (see planKept).
	keep bool
	Type *Type // the structure as a type, shared by every use without arguments
	Name string
	Doc  string
}

// Field is one member of a structure: a field, a computed value, or a
// statement.
type Field struct {
	// The members every decode reads come first, together: with the
	// ones the field tree and NDJSON read for every value, they fill the
	// struct's first cache lines.
	Op FieldOp
	// plan is how the decoder reads the field (see planStruct; zero
	// when the structure was not compiled).
	plan     fieldPlan
	condPlan fieldPlan // a field with a condition: planScalar or planBits when it is a plain read but for it
	checked  bool      // a plain scalar with an expected value: want is the bits it must read (see wantBits)
	Role     PairRole
	Hidden   bool       // [hidden], and padding: not shown in the tree or JSON
	Padding  bool       // bytes skipped by pad or align: shown dimmed in the tree, not in JSON
	Base     Base       // [base = hex]: how an integer is shown
	Time     TimeFormat // [time = unix]
	Slot     int        // index in its structure's slots, used by references; -1 for statements
	Type     *Type
	Cond     *Expr // decoded only when Cond is non-zero; nil means always
	At       *Expr // [at = off]: decode at this offset of the region, without moving on
	Size     *Expr // [size = n]: decode within a region of exactly n bytes
	Value    *Expr // let, assert, align, set, pair
	Name     string
	want     uint64
	ops      []runOp  // on the first member of a run: how to read each of its members
	code     *runCode // on the first member of a run: the run as readRun reads it
	flat     *flatRun // on the first member of a flat run: its plan (see planFlat)

	Doc       string
	Wireshark string     // the equivalent Wireshark field name, e.g. "mbtcp.trans_id"
	Expect    *Expr      // the value the field must have, or nil
	ExpectRaw []byte     // the bytes a byte or string field must hold, or nil
	ExpectSrc string     // the expected value as written, for messages
	bytes     *bytesExpr // a bytes let: its value, in place of Value
	Message   string     // assert: the author's message
	StateVar  int        // set: index of the state variable

	Pad    int       // [pad = n]: skip to a multiple of n bytes from the field's start
	Range  *[2]int64 // [range = lo..hi]: the value must be in range
	Check  *Checksum // [checksum = algo(from, to)]
	Layer  *Layer    // [decode = "protocol"]
	Blocks *Blocks   // [blocks = algo(n)]: the value is decoded from the bytes with the block CRCs taken out

	Unit    string     // [unit = "ms"]
	Scale   float64    // [scale = 0.1]; 0 when not given
	Offset  float64    // [offset = -40]
	Scaled  bool       // scale or offset was given
	Format  AddrFormat // [format = ipv4]: show as an address
	TrimNul bool       // [trim = nul]: text ends at its first 0 byte; the rest of its bytes are padding
}

// Checksum verifies a field against a checksum of a byte range of the
// region. A mismatch marks the field invalid; it does not stop decoding.
type Checksum struct {
	Algo     ChecksumAlgo
	From, To *Expr // byte offsets in the region, To exclusive
}

// Type is a compiled type.
type Type struct {
	// What decoding and display read for every value first, together.
	Kind     Kind
	LSBFirst bool // bit field read from the least significant bit of each byte
	Endian   Endian
	Varint   Varint
	Mode     ArrayMode // KindArray, KindBytes, KindString
	Encoding Encoding  // KindString
	// plainElems is set by the compiler on an array whose elements are
	// plain scalars (see planType); false in a type built by hand.
	plainElems bool
	Size       int     // byte size of fixed-size scalars; 0 for bit fields and varints
	Bits       int     // width of a bit field (b1..b64); 0 otherwise
	Enum       *Enum   // names for the values of an integer type, or nil
	Len        *Expr   // byte length, element count, or the until/while condition; nil with ArrayToEnd
	Elem       *Type   // KindArray
	Struct     *Struct // KindStruct
	Switch     *Switch // KindSwitch
	Args       []*Expr // KindStruct: arguments for its parameters
	Name       string  // as written, for messages: "u16", "FunctionCode", "[n]u16"
	Term       []byte  // bytes and strings in ArrayUntil mode: the terminator
	// sizeText is what a truncated value of a scalar member's type
	// expected ("2 bytes for u16", "3 bits for b3"), written once by
	// planType; "" in other types (see truncatedText).
	sizeText string
}

// truncatedText is what a truncated value of t, a fixed-size scalar or a
// bit field, expected: its sizeText, or the same text written now.
func (t *Type) truncatedText() string {
	if t.sizeText != "" {
		return t.sizeText
	}
	return sizeText(t)
}

// sizeText writes what a truncated value of t expected.
func sizeText(t *Type) string {
	if t.Bits > 0 {
		return strconv.Itoa(t.Bits) + " bits for " + t.Name
	}
	return strconv.Itoa(t.Size) + " bytes for " + t.Name
}

// FixedSize is the number of bytes every value of the type takes, or 0 when
// it varies or is not a whole number of bytes.
func (t *Type) FixedSize() int {
	switch t.Kind {
	case KindUint, KindInt, KindFloat, KindBool:
		if t.Bits == 0 && t.Varint == NotVarint {
			return t.Size
		}
	}
	return 0
}

// Switch chooses a type by the value of its tag.
type Switch struct {
	Tag     *Expr
	Cases   []SwitchCase
	Default *Type // nil: an unmatched tag is an error
	// DefaultWireshark is the default's own ws name, DefaultField the
	// field with that name (set once the field is checked).
	DefaultWireshark string
	DefaultField     *Field
	// TextTag says the tag is a text or bytes field (Tag is an opTextEq
	// naming it): cases match by Text rather than by Lo..Hi.
	TextTag bool
	// table maps tag-tableLo to the index in Cases of the first case that
	// matches it, or -1 for the default, when the cases span few enough
	// values (built by the compiler; nil: Cases are scanned in order).
	table   []int16
	tableLo int64
	// fieldTag says the tag is an integer field of the structure the
	// switch is in, or such a field combined with a constant, whose slot
	// is tagSlot (see planTag).
	fieldTag bool
	tagSlot  int
}

// maxSwitchTable is the widest span of case values that gets a jump table.
const maxSwitchTable = 1024

// buildTable makes the jump table of a switch whose cases span at most
// maxSwitchTable values; the first matching case wins, as in the scan. A
// switch on text has none.
func (sw *Switch) buildTable() {
	sw.table = nil
	if sw.TextTag || len(sw.Cases) == 0 || len(sw.Cases) > math.MaxInt16 {
		return
	}
	lo, hi := sw.Cases[0].Lo, sw.Cases[0].Hi
	for _, c := range sw.Cases {
		lo, hi = min(lo, c.Lo), max(hi, c.Hi)
	}
	if hi-lo < 0 || hi-lo >= maxSwitchTable {
		return
	}
	t := make([]int16, hi-lo+1)
	for i := range t {
		t[i] = -1
	}
	for i := len(sw.Cases) - 1; i >= 0; i-- {
		for k := sw.Cases[i].Lo - lo; k <= sw.Cases[i].Hi-lo; k++ {
			t[k] = int16(i)
		}
	}
	sw.table, sw.tableLo = t, lo
}

// match returns the type and field chosen for tag, in a switch on an
// integer: the first case whose range holds it, else the default (nil
// type: none).
func (sw *Switch) match(tag int64) (*Type, *Field) {
	if i := sw.caseIndex(tag); i < len(sw.Cases) {
		return sw.Cases[i].Type, sw.Cases[i].Field
	}
	return sw.Default, sw.DefaultField
}

// caseIndex returns the index in Cases of the case that tag selects, or
// len(Cases) for the default.
func (sw *Switch) caseIndex(tag int64) int {
	if sw.table != nil {
		if u := uint64(tag - sw.tableLo); tag >= sw.tableLo && u < uint64(len(sw.table)) && sw.table[u] >= 0 {
			return int(sw.table[u])
		}
		return len(sw.Cases)
	}
	for i := range sw.Cases {
		if tag >= sw.Cases[i].Lo && tag <= sw.Cases[i].Hi {
			return i
		}
	}
	return len(sw.Cases)
}

// SwitchCase matches tag values in [Lo, Hi].
type SwitchCase struct {
	Lo, Hi int64
	Type   *Type
	// Wireshark is the case's own ws name ("" : the switch field's);
	// Field is the switch's field under that name, which the nodes of
	// this case carry.
	Wireshark string
	Field     *Field
	// Text is the content a text switch's case matches, in the tag
	// field's encoding.
	Text []byte
}

// Enum names the values of an integer type. With Flags set, it names the
// bits of the value instead: each member is a mask.
type Enum struct {
	Name    string
	Doc     string
	Flags   bool
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
	if len(e.Members) == 0 {
		return nil, false
	}
	// Most enums number their members 0, 1, 2... or 1, 2, 3...: try the
	// member at v's place in a dense run before searching.
	if k := uint64(v - e.Members[0].Value); k < uint64(len(e.Members)) && e.Members[k].Value == v {
		return &e.Members[k], true
	}
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
	Size      *Expr  // length of the frame, read from its first bytes; nil with Delimiter
	Magic     []byte // bytes every frame starts with, or nil
	Delimiter []byte // bytes every frame ends with, or nil
	Min       int    // smallest valid frame
	Max       int    // largest valid frame
	Resync    int    // consecutive good frames needed to trust a stream again after losing the frame boundary

	fast fastSize // Size as uN(off) + k, when it has that form (see framing_fast.go)
}

// Template is a one-line summary: literal text and field references.
type Template struct {
	Parts []TemplatePart
	// steps are Parts compiled for rendering (see summary_steps.go), nil
	// in a template built without the compiler; textPlain says that
	// their literal text is plain.
	steps     []templateStep
	textPlain bool
}

// TemplatePart is literal text, or a reference to a field whose display
// value is inserted.
type TemplatePart struct {
	Text     string
	Path     []int  // slot path from the root structure; nil for literal text
	Optional bool   // {field?}: nothing, rather than "?", when the field is absent
	Style    Style  // {field:label}, {field:text}: how the value is shown
	Sep      string // the separator of {array:join(SEP)}
	Elem     []int  // {array.field:join(SEP)}: the slot path inside each element of the array at Path
	Join     bool   // {array*}: the display of every element, one after another
	Prefix   string // {PREFIX|field|SUFFIX}: text written around the value only when it shows something
	Suffix   string
}
