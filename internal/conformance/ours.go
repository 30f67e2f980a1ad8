package conformance

import (
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/schema"
)

// Mapping says which of our protocols answer to which tshark layer. It is
// derived from the schemas: a protocol's layer is its `wireshark` name (or,
// without one, the commonest prefix of its ws= names), and the fields it
// maps are every ws= name of its schema and of the protocols it hands
// bytes to.
type Mapping struct {
	// Layer of each protocol, by our protocol name.
	Layer map[string]string
	// Fields mapped by the protocols of each tshark layer.
	Fields map[string]map[string]bool
	// Prefixes of the field names of each layer: tshark layers that belong
	// to a PDU of the layer (mbtcp's PDU carries a "modbus" layer).
	Prefixes map[string]map[string]bool
	// Main says which layers start a PDU: those of protocols chosen by
	// port.
	Main map[string]bool
	// Streamed protocols (targets of [stream = ...]): their messages belong
	// to the PDU of the record that completed them.
	Streamed map[string]bool
}

// NewMapping reads the mapping from the registry's schema dissectors.
func NewMapping(reg *dissectors.Registry) *Mapping {
	m := &Mapping{Layer: map[string]string{}, Fields: map[string]map[string]bool{},
		Prefixes: map[string]map[string]bool{}, Streamed: map[string]bool{}, Main: map[string]bool{}}
	for _, d := range reg.List() {
		sd, ok := d.(*dissectors.SchemaDissector)
		if !ok {
			continue
		}
		for _, l := range sd.Program.Layers {
			if l.Stream {
				m.Streamed[l.Name] = true
			}
		}
	}
	for _, d := range reg.List() {
		sd, ok := d.(*dissectors.SchemaDissector)
		if !ok {
			continue
		}
		fields := map[string]bool{}
		collectFields(sd.Program, fields, map[*schema.Program]bool{})
		layer := sd.Program.Wireshark
		if layer == "" {
			layer = commonestPrefix(fields)
		}
		if layer == "" {
			continue
		}
		m.Layer[sd.Program.Name] = layer
		if m.Fields[layer] == nil {
			m.Fields[layer] = map[string]bool{}
			m.Prefixes[layer] = map[string]bool{layer: true}
		}
		for f := range fields {
			m.Fields[layer][f] = true
			m.Prefixes[layer][prefix(f)] = true
		}
	}
	// A prefix that is the layer of a protocol chosen by port starts a PDU
	// of its own (DNS inside something else would); the layer of a
	// protocol reached only through another (S7comm inside COTP) belongs
	// to the PDU of the outer one.
	for _, d := range reg.List() {
		if len(d.Info().Ports) == 0 {
			continue
		}
		own, ok := m.Layer[d.Info().Name]
		if !ok {
			continue
		}
		m.Main[own] = true
		// Nor do the fields of such a layer count for another that hands
		// it bytes (TLS records PostgreSQL hands on).
		for layer, fs := range m.Fields {
			if layer == own {
				continue
			}
			for f := range fs {
				if prefix(f) == own {
					delete(fs, f)
				}
			}
		}
		for layer, ps := range m.Prefixes {
			if layer != own {
				delete(ps, own)
			}
		}
	}
	return m
}

func collectFields(p *schema.Program, out map[string]bool, seen map[*schema.Program]bool) {
	if p == nil || seen[p] {
		return
	}
	seen[p] = true
	types := map[*schema.Type]bool{}
	structs := map[*schema.Struct]bool{}
	var walkStruct func(s *schema.Struct)
	var walkType func(t *schema.Type)
	walkType = func(t *schema.Type) {
		if t == nil || types[t] {
			return
		}
		types[t] = true
		walkStruct(t.Struct)
		walkType(t.Elem)
		if t.Switch != nil {
			for _, c := range t.Switch.Cases {
				if c.Wireshark != "" {
					out[c.Wireshark] = true
				}
				walkType(c.Type)
			}
			if t.Switch.DefaultWireshark != "" {
				out[t.Switch.DefaultWireshark] = true
			}
			walkType(t.Switch.Default)
		}
	}
	// Structures written in place are reached only through the fields
	// that use them.
	walkStruct = func(s *schema.Struct) {
		if s == nil || structs[s] {
			return
		}
		structs[s] = true
		for _, f := range s.Fields {
			if f.Wireshark != "" {
				out[f.Wireshark] = true
			}
			walkType(f.Type)
		}
	}
	walkStruct(p.Request)
	walkStruct(p.Response)
	for _, s := range p.Structs {
		walkStruct(s)
	}
	for _, l := range p.Layers {
		collectFields(l.Program, out, seen)
	}
}

func prefix(field string) string {
	p, _, _ := strings.Cut(field, ".")
	return p
}

func commonestPrefix(fields map[string]bool) string {
	count := map[string]int{}
	for f := range fields {
		count[prefix(f)]++
	}
	best := ""
	for p, n := range count {
		if n > count[best] || (n == count[best] && p < best) {
			best = p
		}
	}
	return best
}

// Unit is one of our PDUs: a frame record of a protocol chosen by port,
// with the messages of protocols it streams to that it completed.
type Unit struct {
	Protocol    string
	Layer       string
	Conn        uint64
	Dir         dissectors.Direction
	FirstPacket uint64
	LastPacket  uint64
	Err         string
	Fields      []FieldValue
}

// collector is the sink that turns records into units.
type collector struct {
	m     *Mapping
	units []*Unit
	last  map[[2]uint64]*Unit // last unit per connection and direction
	// connProto is the protocol of each TCP connection's first record: the
	// one chosen by port.
	connProto map[uint64]string
	buf       []byte
}

func newCollector(m *Mapping) *collector {
	return &collector{m: m, last: map[[2]uint64]*Unit{}, connProto: map[uint64]string{}}
}

// Emit keeps the mapped field values of each frame record.
func (c *collector) Emit(r *dissectors.Record) error {
	if r.Kind != dissectors.KindFrame || r.Frame == nil {
		return nil
	}
	key := [2]uint64{r.Conn.ID, uint64(r.Dir)}
	if r.Conn.Transport == "udp" {
		key[0] = ^uint64(0) // datagrams share no stream
	}
	layer, ok := c.m.Layer[r.Protocol.Name]
	if !ok {
		return nil
	}
	if _, seen := c.connProto[r.Conn.ID]; !seen && r.Conn.Transport != "udp" {
		c.connProto[r.Conn.ID] = r.Protocol.Name // the protocol chosen by port
	}
	// A message of a protocol that another streams bytes to belongs to the
	// PDU of the record that completed it (a TLS handshake message to its
	// TLS record), unless it starts a PDU of a layer of its own (TLS
	// records that PostgreSQL hands on after SSLRequest).
	var u *Unit
	last := c.last[key]
	if c.m.Streamed[r.Protocol.Name] && r.Protocol.Name != c.connProto[r.Conn.ID] && last != nil &&
		(last.Layer == layer || !c.m.Main[layer]) {
		u = last
	} else {
		u = &Unit{Protocol: r.Protocol.Name, Layer: layer, Conn: r.Conn.ID, Dir: r.Dir,
			FirstPacket: r.FirstPacket, LastPacket: r.LastPacket}
		c.units = append(c.units, u)
		if r.Conn.Transport != "udp" {
			c.last[key] = u
		}
	}
	if e := r.Err(); e != "" && u.Err == "" {
		u.Err = e
	}
	f := r.Frame
	for i := range f.Nodes {
		n := &f.Nodes[i]
		if n.Field == nil || n.Field.Wireshark == "" {
			continue
		}
		// An empty value is left out, as tshark leaves out its own.
		if v, kind, ok := c.value(f, i); ok && v != "" {
			fv := FieldValue{Name: n.Field.Wireshark, Value: v, Kind: kind}
			if e := n.Type.Enum; e != nil && !e.Flags && n.Type.Kind != schema.KindStruct {
				if m, ok := e.Lookup(n.Int()); ok {
					fv.Label = m.Label
				}
			}
			switch {
			case n.Type.Kind == schema.KindStruct || n.Type.Kind == schema.KindString:
				fv.Raw = append([]byte(nil), f.Content(i)...) // the frame is reused
			case kind == KindInteger && n.Field.Scaled:
				v := float64(n.Int())
				if n.Type.Kind == schema.KindUint {
					v = float64(n.Bits)
				}
				fv.Scaled, fv.HasScaled = v*n.Field.Scale, true
			}
			u.Fields = append(u.Fields, fv)
		}
	}
	return nil
}

// value is a node's value in the form tshark's JSON uses once normalised:
// integers in decimal, booleans 0/1, bytes as aa:bb:.., text as is.
func (c *collector) value(f *schema.Frame, i int) (string, Kind, bool) {
	n := &f.Nodes[i]
	switch n.Type.Kind {
	case schema.KindUint, schema.KindInt:
		if n.Field.Format != schema.NoFormat {
			return string(f.AppendDisplay(c.buf[:0], i)), KindOther, true
		}
		if n.Field.Time != schema.NoTime {
			if t, ok := n.Time(); ok {
				return t.UTC().Format(time.RFC3339Nano), KindTime, true
			}
			if n.Type.Kind == schema.KindInt {
				return strconv.FormatInt(n.Int(), 10), KindNoTime, true
			}
			return strconv.FormatUint(n.Bits, 10), KindNoTime, true
		}
		if n.Type.Kind == schema.KindInt {
			return strconv.FormatInt(n.Int(), 10), KindInteger, true
		}
		return strconv.FormatUint(n.Bits, 10), KindInteger, true
	case schema.KindBool:
		if n.Bits != 0 {
			return "1", KindInteger, true
		}
		return "0", KindInteger, true
	case schema.KindFloat:
		return strconv.FormatFloat(n.Float(), 'g', -1, 64), KindFloat, true
	case schema.KindString:
		return string(schema.AppendText(c.buf[:0], f.Content(i), n.Type.Encoding)), KindText, true
	case schema.KindStruct:
		// A structure mapped to one Wireshark field (an address made of
		// its bytes) compares by its summary.
		if n.Type.Struct == nil {
			return "", KindOther, false
		}
		if n.Type.Struct.Summary == nil {
			// Without a summary (bits that tshark shows as one integer):
			// its bytes in hex, and equalValue reads them as an integer.
			return hex.EncodeToString(f.Content(i)), KindOther, true
		}
		v := string(f.AppendDisplay(c.buf[:0], i))
		if t, ok := unquote(v); ok {
			return t, KindText, true // a structure that shows its text ("def")
		}
		return v, KindOther, true
	case schema.KindBytes:
		if n.Field.Format != schema.NoFormat {
			if out, ok := schema.AppendAddr(c.buf[:0], f.Content(i), n.Field.Format); ok {
				return string(out), KindOther, true
			}
		}
		return colonHex(f.Content(i)), KindBytes, true
	}
	return "", KindOther, false
}

func colonHex(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 3*len(b))
	for i, c := range b {
		if i > 0 {
			out = append(out, ':')
		}
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// sortedKeys returns the keys of a set in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// layerOf returns the layer, among those that start a PDU, whose schemas
// map the first field of fields, or "".
func (m *Mapping) layerOf(fields []FieldValue) string {
	for _, f := range fields {
		if !strings.Contains(f.Name, ".") {
			continue
		}
		for layer := range m.Main {
			if m.Fields[layer][f.Name] {
				return layer
			}
		}
		return ""
	}
	return ""
}

// unquote returns the text of a display value that is one quoted text, as
// a summary shows it: "def" gives def.
func unquote(v string) (string, bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", false
	}
	inner := v[1 : len(v)-1]
	for i := 0; i < len(inner); i++ {
		switch inner[i] {
		case '\\':
			i++ // an escape: \" is a quote in the text
		case '"':
			return "", false // several quoted texts: "www"."example"
		}
	}
	return strings.ReplaceAll(inner, `\"`, `"`), true
}
