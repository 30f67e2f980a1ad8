package conformance

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// FieldValue is one value of one Wireshark field, as text.
type FieldValue struct {
	Name  string
	Value string
	Label string // ours, for an enum value: its label, which tshark shows for string-typed fields
	Kind  Kind   // ours: what the value is; tshark's values are all text
	Raw   []byte // ours, for a structure or a text: the bytes it covers
	// Scaled is ours, for an integer with a scale: the scaled value, which
	// tshark shows for fields it declares as floats.
	Scaled    float64
	HasScaled bool
}

// Kind is the kind of one of our values, which says how tshark's text for
// it is read.
type Kind uint8

// The kinds of value.
const (
	KindOther   Kind = iota // compared as text, as is
	KindInteger             // decimal; tshark: decimal, 0x-hex, true/false, or its bytes
	KindFloat
	KindText  // tshark may show text as its bytes
	KindBytes // aa:bb:..; tshark may show bytes as text, or as an integer
	KindTime  // RFC 3339 in UTC; tshark: "Jan  2, 2006 15:04:05.000000000 UTC"
	// KindNoTime is a time field holding its protocol's "no time" value
	// (an OPC UA DateTime or FILETIME of 0): the raw integer; tshark shows
	// such a value as the Unix epoch, or as the integer.
	KindNoTime
)

// Layer is one protocol layer of a packet in tshark's JSON output. A frame
// that holds several PDUs of a protocol has several layers of that name.
type Layer struct {
	Name     string
	Filtered bool         // tshark was told not to show it (-J): a {"filtered": ...} placeholder
	Fields   []FieldValue // every field value in it, in document order, nested trees flattened
	// Labels names the fields shown with no value: labels (FT_NONE,
	// "tls.change_cipher_spec": "") and subtrees ("tls.handshake": {...}).
	Labels []string
}

// Packet is one element of tshark's JSON array.
type Packet struct {
	Number uint64 // frame number: from frame.number, or from PDU-INDEX.tsv when the frame layer was filtered
	Layers []Layer
}

// Oracle is tshark's view of one capture.
type Oracle struct {
	Packets []Packet
	// Filtered says that tshark was run with -Y/-J: layers (and frames)
	// it did not show say nothing about what the capture holds.
	Filtered bool
}

// ParseOracle reads the output of `tshark -T json`. It reads the document
// as a token stream, so that a key written several times in one object (a
// layer per PDU, a field per occurrence) keeps every value. index maps a
// JSON array position to its frame number, for output whose frame layer was
// filtered out; with a nil index such packets keep frame number 0.
func ParseOracle(r io.Reader, index map[int]uint64) (*Oracle, error) {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	dec.UseNumber()
	if err := expectDelim(dec, '['); err != nil {
		return nil, err
	}
	o := &Oracle{}
	for i := 0; dec.More(); i++ {
		p, err := parsePacket(dec)
		if err != nil {
			return nil, fmt.Errorf("tshark JSON, packet element %d (byte %d): %w", i, dec.InputOffset(), err)
		}
		if p.Number == 0 && index != nil {
			n, ok := index[i]
			if !ok {
				return nil, fmt.Errorf("tshark JSON, packet element %d: no frame.number and no PDU-INDEX entry for it", i)
			}
			p.Number = n
			o.Filtered = true
		}
		o.Packets = append(o.Packets, p)
	}
	if err := expectDelim(dec, ']'); err != nil {
		return nil, err
	}
	for _, p := range o.Packets {
		if p.Number == 0 {
			o.Filtered = true
		}
		for _, l := range p.Layers {
			if l.Filtered {
				o.Filtered = true
			}
		}
	}
	return o, nil
}

// ReadOracle parses the oracle file path.
func ReadOracle(path string, index map[int]uint64) (*Oracle, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	o, err := ParseOracle(f, index)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return o, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("tshark JSON at byte %d: %w", dec.InputOffset(), err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("tshark JSON at byte %d: found %v, want %q", dec.InputOffset(), tok, want)
	}
	return nil
}

// parsePacket reads {"_index":..., "_source": {"layers": {...}}}.
func parsePacket(dec *json.Decoder) (Packet, error) {
	var p Packet
	if err := expectDelim(dec, '{'); err != nil {
		return p, err
	}
	for dec.More() {
		key, err := readKey(dec)
		if err != nil {
			return p, err
		}
		if key != "_source" {
			if err := skipValue(dec); err != nil {
				return p, err
			}
			continue
		}
		if err := expectDelim(dec, '{'); err != nil {
			return p, err
		}
		for dec.More() {
			k, err := readKey(dec)
			if err != nil {
				return p, err
			}
			if k != "layers" {
				if err := skipValue(dec); err != nil {
					return p, err
				}
				continue
			}
			if err := parseLayers(dec, &p); err != nil {
				return p, err
			}
		}
		if err := expectDelim(dec, '}'); err != nil {
			return p, err
		}
	}
	return p, expectDelim(dec, '}')
}

func parseLayers(dec *json.Decoder, p *Packet) error {
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	for dec.More() {
		name, err := readKey(dec)
		if err != nil {
			return err
		}
		l := Layer{Name: name}
		if err := flatten(dec, name, &l.Fields, &l.Labels); err != nil {
			return fmt.Errorf("layer %s: %w", name, err)
		}
		if len(l.Fields) == 1 && l.Fields[0].Name == "filtered" {
			l.Filtered, l.Fields = true, nil
		}
		if name == "frame" {
			for _, f := range l.Fields {
				if f.Name == "frame.number" {
					p.Number, _ = strconv.ParseUint(f.Value, 10, 64)
				}
			}
		}
		p.Layers = append(p.Layers, l)
	}
	return expectDelim(dec, '}')
}

// flatten reads one value under key: scalars become field values; objects
// (field trees such as "mqtt.hdrflags_tree", and text labels such as
// "Queries") are walked; arrays give one value per element.
func flatten(dec *json.Decoder, key string, out *[]FieldValue, labels *[]string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			if strings.Contains(key, ".") {
				*labels = append(*labels, key)
			}
			for dec.More() {
				k, err := readKey(dec)
				if err != nil {
					return err
				}
				if err := flatten(dec, k, out, labels); err != nil {
					return err
				}
			}
			return expectDelim(dec, '}')
		case '[':
			for dec.More() {
				if err := flatten(dec, key, out, labels); err != nil {
					return err
				}
			}
			return expectDelim(dec, ']')
		}
		return fmt.Errorf("unexpected %q", t)
	case string:
		// A field with no value (FT_NONE, a label) is written as "".
		if t != "" {
			*out = append(*out, FieldValue{Name: key, Value: t})
		} else if strings.Contains(key, ".") {
			*labels = append(*labels, key)
		}
	case json.Number:
		*out = append(*out, FieldValue{Name: key, Value: t.String()})
	case bool:
		*out = append(*out, FieldValue{Name: key, Value: strconv.FormatBool(t)})
	case nil:
	}
	return nil
}

func readKey(dec *json.Decoder) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", err
	}
	k, ok := tok.(string)
	if !ok {
		return "", fmt.Errorf("found %v where an object key belongs", tok)
	}
	return k, nil
}

func skipValue(dec *json.Decoder) error {
	var discard []FieldValue
	var labels []string
	return flatten(dec, "", &discard, &labels)
}

// ReadPDUIndex reads PDU-INDEX.tsv (file, json_index, frame_number, ...):
// for each capture file, the frame number of each element of its JSON.
func ReadPDUIndex(path string) (map[string]map[int]uint64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]map[int]uint64{}
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		cols := strings.Split(sc.Text(), "\t")
		if line == 1 && len(cols) > 0 && cols[0] == "file" {
			continue
		}
		if len(cols) < 3 {
			return nil, fmt.Errorf("%s:%d: want at least 3 tab-separated columns, found %d", path, line, len(cols))
		}
		idx, err1 := strconv.Atoi(cols[1])
		num, err2 := strconv.ParseUint(cols[2], 10, 64)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if out[cols[0]] == nil {
			out[cols[0]] = map[int]uint64{}
		}
		out[cols[0]][idx] = num
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}
