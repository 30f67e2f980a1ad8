package conformance

import (
	"encoding/hex"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Disagreement is one mapped field whose value differs from tshark's, or
// a PDU tshark decodes in a frame where we have none.
type Disagreement struct {
	File   string
	Layer  string
	Packet uint64
	Field  string // "" when the whole PDU is missing on our side
	Ours   string
	Theirs string
	Known  *KnownCase // set when the case is listed: tshark wrong, or ours and still open

	their []FieldValue // tshark's PDU, for the conditions of known cases
}

// LayerResult is the comparison of one tshark layer (one of our protocols,
// or several sharing a Wireshark name such as dns and dnstcp) on one
// capture.
type LayerResult struct {
	Layer         string
	Protocols     []string // our protocols that produced PDUs
	Mapped        int      // fields the schemas of the layer map to Wireshark names
	TsharkPDUs    int
	TsharkOOOPDUs int // PDUs in the .ooo.json oracle (out-of-order reassembly on); -1 without one
	OurPDUs       int
	Compared      int // PDU pairs compared
	Fields        int // fields compared
	Agree         int
	Disagreements []Disagreement
	// Extra lists our PDUs in frames tshark shows (with this layer or
	// without) where tshark has no PDU for them: tshark missed them, or we
	// found something that is not there.
	Extra []Disagreement
	// Unseen counts, by field, the compared PDUs where we decoded a field
	// that tshark did not show although it showed the field's layer; Seen
	// says which fields tshark showed at least once. A field never seen is
	// worth a look: its ws name may be wrong.
	Unseen map[string]int
	Seen   map[string]bool
}

// theirPDU is one PDU of a tshark layer with its sub-layers' fields.
type theirPDU struct {
	Layer  string
	Frame  uint64
	Fields []FieldValue
	Layers map[string]bool // the tshark layers it is made of, shown in full
	Labels map[string]bool // fields tshark shows with no value (labels, subtrees)
}

// theirPDUs splits the oracle's packets into PDUs: a PDU starts at each
// layer that is the layer of one of our protocols chosen by port, and takes
// the layers after it that belong to it (mbtcp's "modbus", tpkt's "cotp").
func theirPDUs(o *Oracle, m *Mapping) []*theirPDU {
	var out []*theirPDU
	for _, p := range o.Packets {
		var cur *theirPDU
		for _, l := range p.Layers {
			switch {
			case m.Main[l.Name]:
				cur = nil
				// A layer with no field ("tls": "Transport Layer
				// Security") is tshark's placeholder in the first frame
				// of a reassembly, not a PDU.
				if !l.Filtered && hasField(l.Fields) {
					cur = &theirPDU{Layer: l.Name, Frame: p.Number, Fields: append([]FieldValue(nil), l.Fields...),
						Layers: map[string]bool{l.Name: true}}
					cur.label(l.Labels)
					out = append(out, cur)
				}
			case cur != nil && !l.Filtered && m.Prefixes[cur.Layer][l.Name]:
				cur.Fields = append(cur.Fields, l.Fields...)
				cur.Layers[l.Name] = true
				cur.label(l.Labels)
			case !l.Filtered:
				// A layer named otherwise whose fields one of our layers
				// maps: tshark's "openflow_v4" for our "openflow".
				if layer := m.layerOf(l.Fields); layer != "" {
					cur = &theirPDU{Layer: layer, Frame: p.Number, Fields: append([]FieldValue(nil), l.Fields...),
						Layers: map[string]bool{l.Name: true}}
					for _, f := range l.Fields {
						cur.Layers[prefix(f.Name)] = true
					}
					cur.label(l.Labels)
					out = append(out, cur)
				}
			}
		}
	}
	return out
}

// label notes fields tshark shows with no value.
func (t *theirPDU) label(names []string) {
	for _, n := range names {
		if t.Labels == nil {
			t.Labels = map[string]bool{}
		}
		t.Labels[n] = true
	}
}

func hasField(fs []FieldValue) bool {
	for _, f := range fs {
		if strings.Contains(f.Name, ".") {
			return true
		}
	}
	return false
}

// compare matches our units with tshark's PDUs of every layer, frame by
// frame, and compares their mapped fields.
func compare(file string, units []*Unit, o, ooo *Oracle, m *Mapping) []*LayerResult {
	theirs := theirPDUs(o, m)
	byLayer := map[string]*LayerResult{}
	get := func(layer string) *LayerResult {
		r := byLayer[layer]
		if r == nil {
			r = &LayerResult{Layer: layer, TsharkOOOPDUs: -1, Mapped: len(m.Fields[layer]),
				Unseen: map[string]int{}, Seen: map[string]bool{}}
			byLayer[layer] = r
		}
		return r
	}
	theirByFrame := map[string]map[uint64][]*theirPDU{}
	for _, t := range theirs {
		get(t.Layer).TsharkPDUs++
		if theirByFrame[t.Layer] == nil {
			theirByFrame[t.Layer] = map[uint64][]*theirPDU{}
		}
		theirByFrame[t.Layer][t.Frame] = append(theirByFrame[t.Layer][t.Frame], t)
	}
	ourByFrame := map[string]map[uint64][]*Unit{}
	for _, u := range units {
		if !m.Main[u.Layer] || (o.Filtered && byLayer[u.Layer] == nil) {
			continue // tshark was not asked for this layer
		}
		r := get(u.Layer)
		r.OurPDUs++
		if !contains(r.Protocols, u.Protocol) {
			r.Protocols = append(r.Protocols, u.Protocol)
		}
		if ourByFrame[u.Layer] == nil {
			ourByFrame[u.Layer] = map[uint64][]*Unit{}
		}
		ourByFrame[u.Layer][u.LastPacket] = append(ourByFrame[u.Layer][u.LastPacket], u)
	}
	if ooo != nil {
		for _, r := range byLayer {
			r.TsharkOOOPDUs = 0
		}
		for _, t := range theirPDUs(ooo, m) {
			if r := byLayer[t.Layer]; r != nil {
				r.TsharkOOOPDUs++
			}
		}
	}
	shown := map[uint64]bool{} // frames in the oracle
	for _, p := range o.Packets {
		shown[p.Number] = true
	}
	var out []*LayerResult
	for _, layer := range sortedKeys(byLayer) {
		r := byLayer[layer]
		fields := m.Fields[layer]
		frames := theirByFrame[layer]
		nums := make([]uint64, 0, len(frames))
		for f := range frames {
			nums = append(nums, f)
		}
		for f := range ourByFrame[layer] {
			if frames[f] == nil && (shown[f] || !o.Filtered) {
				nums = append(nums, f)
			}
		}
		slices.Sort(nums)
		for _, frame := range nums {
			ts, os := frames[frame], ourByFrame[layer][frame]
			used := make([]bool, len(os))
			for _, pair := range align(ts, os, fields) {
				for k := pair.from; k < pair.to; k++ {
					used[k] = true
				}
				t := ts[pair.their]
				if pair.from == pair.to {
					r.Disagreements = append(r.Disagreements, Disagreement{File: file, Layer: layer, Packet: frame,
						Ours: "(no PDU)", Theirs: "a PDU", their: t.Fields})
					continue
				}
				r.Compared++
				compareFields(r, file, frame, t, os[pair.from:pair.to], fields)
			}
			for k, u := range used {
				if !u {
					r.Extra = append(r.Extra, Disagreement{File: file, Layer: layer, Packet: frame,
						Field: "(extra PDU)", Ours: os[k].Protocol + " PDU", Theirs: "(no PDU)"})
				}
			}
		}
		out = append(out, r)
	}
	return out
}

// compareFields compares every mapped field tshark shows in t with ours.
func compareFields(r *LayerResult, file string, frame uint64, t *theirPDU, us []*Unit, mapped map[string]bool) {
	tv, names := group(t.Fields, mapped)
	ov, ours := group(merged(us), nil)
	for _, name := range ours {
		if _, ok := tv[name]; !ok && t.Layers[prefix(name)] && !t.Labels[name] {
			r.Unseen[name]++
		}
	}
	for _, name := range names {
		r.Seen[name] = true
		r.Fields++
		if equalLists(ov[name], tv[name]) {
			r.Agree++
			continue
		}
		ours := joinValues(ov[name])
		if len(ov[name]) == 0 {
			ours = "(absent)"
		}
		r.Disagreements = append(r.Disagreements, Disagreement{File: file, Layer: r.Layer, Packet: frame,
			Field: name, Ours: ours, Theirs: joinValues(tv[name]), their: t.Fields})
	}
}

// group collects the values of each field, keeping only mapped ones when
// mapped is not nil; names lists the fields in order of first appearance.
func group(fields []FieldValue, mapped map[string]bool) (map[string][]FieldValue, []string) {
	out := map[string][]FieldValue{}
	var names []string
	for _, f := range fields {
		if mapped != nil && !mapped[f.Name] {
			continue
		}
		if _, ok := out[f.Name]; !ok {
			names = append(names, f.Name)
		}
		out[f.Name] = append(out[f.Name], f)
	}
	return out, names
}

// cost counts the mapped fields on which t and the units us (merged)
// disagree.
func cost(t *theirPDU, us []*Unit, mapped map[string]bool) int {
	tv, names := group(t.Fields, mapped)
	ov, _ := group(merged(us), nil)
	n := 0
	for _, name := range names {
		if !equalLists(ov[name], tv[name]) {
			n++
		}
	}
	return n
}

// merged is the fields of several units, in order.
func merged(us []*Unit) []FieldValue {
	if len(us) == 1 {
		return us[0].Fields
	}
	var out []FieldValue
	for _, u := range us {
		out = append(out, u.Fields...)
	}
	return out
}

// match pairs one tshark PDU with a run of our units: one, or several when
// tshark shows several of our PDUs as one (tshark's TLS layer holds every
// record of a reassembled segment).
type match struct {
	their    int
	from, to int // our units [from, to); from == to: we have none
}

// align pairs tshark's PDUs of one frame with runs of ours, in order, at the
// least total disagreement: some of ours may stay unpaired (tshark missed
// them), and some of theirs (we have none).
func align(ts []*theirPDU, us []*Unit, mapped map[string]bool) []match {
	n, m := len(ts), len(us)
	if n == m {
		out := make([]match, n)
		for i := range out {
			out[i] = match{i, i, i + 1}
		}
		return out
	}
	const missing = 1 << 20 // a tshark PDU we lack weighs more than any disagreement
	const maxRun = 64
	// dp[i][j]: least cost of aligning ts[i:] with us[j:].
	dp := make([][]int, n+1)
	for i := range dp {
		dp[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		dp[i][m] = dp[i+1][m] + missing
	}
	step := func(i, j int) (int, match) {
		best, how := dp[i+1][j]+missing, match{i, j, j}
		if v := dp[i][j+1]; v < best { // ours unpaired
			best, how = v, match{-1, j, j + 1}
		}
		for k := j + 1; k <= m && k-j <= maxRun; k++ {
			if v := dp[i+1][k] + cost(ts[i], us[j:k], mapped); v < best {
				best, how = v, match{i, j, k}
			}
		}
		return best, how
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			dp[i][j], _ = step(i, j)
		}
	}
	var out []match
	i, j := 0, 0
	for i < n {
		if j == m {
			out = append(out, match{i, j, j})
			i++
			continue
		}
		_, how := step(i, j)
		switch {
		case how.their < 0:
			j++
		default:
			out = append(out, how)
			i, j = i+1, how.to
		}
	}
	return out
}

func joinValues(vs []FieldValue) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = v.Value
	}
	return strings.Join(parts, ",")
}

func equalLists(ours, theirs []FieldValue) bool {
	if len(ours) != len(theirs) {
		return false
	}
	for i := range ours {
		if !equalValue(ours[i], theirs[i].Value) {
			return false
		}
	}
	return true
}

// tsharkTime is how tshark writes an absolute time (FT_ABSOLUTE_TIME).
const tsharkTime = "Jan _2, 2006 15:04:05.999999999 MST"

// textEscapes are the escapes our text display uses for control
// characters that tshark's shows as a space.
var textEscapes = strings.NewReplacer(`\n`, " ", `\r`, " ", `\t`, " ")

// controls are the same characters in tshark's JSON strings.
var controls = strings.NewReplacer("\n", " ", "\r", " ", "\t", " ")

// equalValue compares one of our values with tshark's text for it: tshark
// writes integers in decimal or 0x-hex (by the field's display base), or as
// their bytes (FT_BYTES); bools as 1/0 (or true/false); byte strings as
// aa:bb:.., or as text; text with control characters as spaces.
func equalValue(ours FieldValue, theirs string) bool {
	if ours.Value == theirs {
		return true
	}
	if ours.Label != "" && strings.EqualFold(ours.Label, theirs) {
		return true
	}
	if ours.HasScaled {
		if tv, err := strconv.ParseFloat(theirs, 64); err == nil &&
			math.Abs(ours.Scaled-tv) <= 1e-6*math.Max(1, math.Abs(tv)) {
			return true // tshark shows the scaled value (a float field)
		}
	}
	switch ours.Kind {
	case KindNoTime:
		// tshark turns a DateTime of 0 (OPC UA's null) into the epoch.
		if tt, err := time.Parse(tsharkTime, theirs); err == nil {
			return tt.Equal(time.Unix(0, 0)) && ours.Value == "0"
		}
		ov, err := strconv.ParseInt(ours.Value, 10, 64)
		tv, ok := parseInt(theirs)
		return err == nil && ok && ov == tv
	case KindInteger:
		if tv, ok := parseInt(theirs); ok {
			if ov, err := strconv.ParseInt(ours.Value, 10, 64); err == nil {
				return tv == ov
			}
			ov, err := strconv.ParseUint(ours.Value, 10, 64)
			return err == nil && uint64(tv) == ov
		}
		tv, ok := bytesValue(theirs)
		ov, err := strconv.ParseUint(ours.Value, 10, 64)
		if err != nil { // negative: compare the two's complement bits
			var sv int64
			sv, err = strconv.ParseInt(ours.Value, 10, 64)
			ov = uint64(sv)
			if n := len(strings.ReplaceAll(theirs, ":", "")) * 4; n < 64 {
				ov &= 1<<n - 1
			}
		}
		return ok && err == nil && tv == ov
	case KindFloat:
		ov, err1 := strconv.ParseFloat(ours.Value, 64)
		tv, err2 := strconv.ParseFloat(theirs, 64)
		return err1 == nil && err2 == nil && math.Abs(ov-tv) <= 1e-6*math.Max(1, math.Abs(ov))
	case KindBytes:
		oh := strings.ReplaceAll(ours.Value, ":", "")
		if isColonHex(theirs) && strings.EqualFold(oh, strings.ReplaceAll(theirs, ":", "")) {
			return true
		}
		raw, err := hex.DecodeString(oh)
		if err != nil {
			return false
		}
		if string(raw) == theirs || (len(raw) > 0 && raw[len(raw)-1] == 0 && string(raw[:len(raw)-1]) == theirs) {
			return true // tshark shows some byte strings as text (without their NUL terminator)
		}
		if ov, ok := bytesValue(ours.Value); ok {
			tv, ok := parseInt(theirs)
			return ok && uint64(tv) == ov // and some as integers
		}
		return false
	case KindTime:
		ot, err1 := time.Parse(time.RFC3339Nano, ours.Value)
		tt, err2 := time.Parse(tsharkTime, theirs)
		if err1 != nil || err2 != nil {
			return false
		}
		d := ot.Sub(tt)
		return d > -time.Microsecond && d < time.Microsecond
	case KindOther:
		// A structure's summary that shows bytes in hex.
		if isHex(ours.Value) && isColonHex(theirs) &&
			strings.EqualFold(ours.Value, strings.ReplaceAll(theirs, ":", "")) {
			return true
		}
		// A structure (a path of segments) that tshark shows as its bytes.
		if len(ours.Raw) > 0 && isColonHex(theirs) && strings.Contains(theirs, ":") &&
			strings.EqualFold(hex.EncodeToString(ours.Raw), strings.ReplaceAll(theirs, ":", "")) {
			return true
		}
		// A structure of bits (a quality descriptor, a major.minor
		// revision) that tshark shows as one integer: its bytes, big-endian.
		if tv, ok := parseInt(theirs); ok && len(ours.Raw) > 0 && len(ours.Raw) <= 8 {
			var ov uint64
			for _, b := range ours.Raw {
				ov = ov<<8 | uint64(b)
			}
			return uint64(tv) == ov
		}
		return false
	case KindText:
		if textEscapes.Replace(ours.Value) == controls.Replace(theirs) {
			return true
		}
		// A fixed-size text padded with NULs, which tshark cuts at the first.
		t := ours.Value
		for strings.HasSuffix(t, `\x00`) {
			t = strings.TrimSuffix(t, `\x00`)
		}
		if t != ours.Value && t == theirs {
			return true
		}
		if len(ours.Raw) > 0 && isColonHex(theirs) &&
			strings.EqualFold(hex.EncodeToString(ours.Raw), strings.ReplaceAll(theirs, ":", "")) {
			return true // tshark shows some text as bytes (escapes and all)
		}
		if isColonHex(theirs) {
			raw, err := hex.DecodeString(strings.ReplaceAll(theirs, ":", ""))
			return err == nil && string(raw) == ours.Value // tshark shows some text as bytes
		}
	}
	return false
}

// parseInt reads tshark's form of an integer.
func parseInt(s string) (int64, bool) {
	switch strings.ToLower(s) {
	case "true":
		return 1, true
	case "false":
		return 0, true
	}
	if h, ok := strings.CutPrefix(strings.ToLower(s), "0x"); ok {
		v, err := strconv.ParseUint(h, 16, 64)
		return int64(v), err == nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, true
	}
	v, err := strconv.ParseUint(s, 10, 64)
	return int64(v), err == nil
}

// bytesValue reads aa:bb (up to 8 bytes) as a big-endian integer.
func bytesValue(s string) (uint64, bool) {
	h := strings.ReplaceAll(s, ":", "")
	if h == "" || len(h) > 16 || len(h)%2 != 0 || len(s) != len(h)+len(h)/2-1 {
		return 0, false
	}
	v, err := strconv.ParseUint(h, 16, 64)
	return v, err == nil
}

func isHex(s string) bool {
	return s != "" && len(s)%2 == 0 && !strings.Contains(s, ":") && isColonHex(s)
}

func isColonHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == ':' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
