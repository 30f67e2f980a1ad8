package pipeline

import (
	"bytes"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/schema"
)

// miscWSValues maps packet number → Wireshark field name → values, normalised
// so that ours and tshark's compare: integers in decimal, text without
// trailing blanks, bytes in hex.
type miscWSValues map[uint64]map[string][]string

func (w miscWSValues) add(pkt uint64, field, v string) {
	m := w[pkt]
	if m == nil {
		m = map[string][]string{}
		w[pkt] = m
	}
	m[field] = append(m[field], v)
}

// miscWSCollector gathers the Wireshark-named values of every frame we decode.
type miscWSCollector struct {
	vals   miscWSValues
	frames int
	failed []string
}

func (c *miscWSCollector) Emit(r *dissectors.Record) error {
	if r.Kind != dissectors.KindFrame || r.Frame == nil {
		return nil
	}
	c.frames++
	if r.Err() != "" {
		c.failed = append(c.failed, fmt.Sprintf("packet %d: %s", r.LastPacket, r.Err()))
	}
	f := r.Frame
	for i := range f.Nodes {
		n := &f.Nodes[i]
		if n.Field == nil || n.Field.Wireshark == "" || n.Index >= 0 {
			continue
		}
		var v string
		switch n.Type.Kind {
		case schema.KindUint, schema.KindInt, schema.KindBool:
			v = strconv.FormatInt(n.Int(), 10)
			if e := n.Type.Enum; e != nil && !e.Flags {
				if m, ok := e.Lookup(n.Int()); ok {
					v += "\x00" + m.Label // tshark may show the name (CoAP's Content-Format)
				}
			}
		case schema.KindString:
			v = strings.TrimRight(string(f.Data[n.Offset:n.Offset+n.Len]), " \x00")
		case schema.KindBytes:
			v = hex.EncodeToString(f.Data[n.Offset : n.Offset+n.Len])
			if n.Field.Format != schema.NoFormat {
				if b, ok := schema.AppendAddr(nil, f.Data[n.Offset:n.Offset+n.Len], n.Field.Format); ok {
					v = string(b)
				}
			}
		default:
			continue
		}
		c.vals.add(r.LastPacket, n.Field.Wireshark, v)
	}
	return nil
}

// miscTsharkValues decodes a capture with tshark and returns the values of the
// fields whose names start with one of prefixes.
func miscTsharkValues(t *testing.T, path string, prefixes []string, decodeAs []string) miscWSValues {
	t.Helper()
	args := []string{"-n", "-r", path, "-T", "pdml"}
	for _, d := range decodeAs {
		args = append(args, "-d", d)
	}
	cmd := exec.Command("tshark", args...)
	cmd.Env = append(cmd.Environ(), "HOME="+t.TempDir())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, stderr.String())
	}
	vals := miscWSValues{}
	dec := xml.NewDecoder(bytes.NewReader(out))
	var pkt uint64
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		el, ok := tok.(xml.StartElement)
		if !ok || el.Name.Local != "field" {
			continue
		}
		attr := map[string]string{}
		for _, a := range el.Attr {
			attr[a.Name.Local] = a.Value
		}
		name := attr["name"]
		if name == "frame.number" {
			pkt, _ = strconv.ParseUint(attr["show"], 10, 64)
			continue
		}
		if !slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(name, p) }) {
			continue
		}
		// One entry per value: its normalised text, then its raw hex, as
		// alternatives separated by NUL.
		show := attr["show"]
		v := strings.TrimRight(show, " \x00")
		if n, err := strconv.ParseInt(show, 0, 64); err == nil {
			v = strconv.FormatInt(n, 10)
		} else if n, err := strconv.ParseUint(show, 0, 64); err == nil {
			v = strconv.FormatInt(int64(n), 10)
		}
		if raw := attr["value"]; raw != "" {
			v += "\x00" + raw
		}
		vals.add(pkt, name, v)
	}
	return vals
}

// miscCheckAgainstTshark decodes a generated capture with the bundled library
// and with tshark, and checks that every value of every Wireshark-named
// field we show is one tshark shows for that field in that packet. It
// returns how many values were compared.
func miscCheckAgainstTshark(t *testing.T, file string, prefixes, decodeAs []string) int {
	t.Helper()
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark is not installed")
	}
	path := filepath.Join(pcapDir, file)
	ours := &miscWSCollector{vals: miscWSValues{}}
	if _, err := runFile(t, path, Config{Sink: ours}); err != nil {
		t.Fatal(err)
	}
	for _, f := range ours.failed {
		t.Errorf("we fail to decode %s", f)
	}
	theirs := miscTsharkValues(t, path, prefixes, decodeAs)
	compared := 0
	for pkt, fields := range ours.vals {
		for name, vs := range fields {
			tv, ok := theirs[pkt][name]
			if !ok {
				continue // tshark does not show this field here
			}
			if len(vs) > len(tv) {
				// tshark decoded fewer PDUs of this packet than we did
				// (some dissectors take one PDU per segment): compare
				// those it has.
				vs = vs[:len(tv)]
			}
			for _, v := range vs {
				if !slices.ContainsFunc(tv, func(t string) bool { return miscSameValue(v, t) }) {
					t.Errorf("packet %d: %s = %q, tshark has %q", pkt, name, v, tv)
				}
				compared++
			}
		}
	}
	if compared == 0 {
		t.Fatalf("no value compared with tshark")
	}
	return compared
}

// The generated captures of the misc protocols agree with tshark on every
// Wireshark-named field.
func TestMiscProtocolsAgainstTshark(t *testing.T) {
	tests := []struct {
		file     string
		prefixes []string
		decodeAs []string
	}{
		{"fins-udp-tcp.pcap", []string{"omron."}, nil},
		{"coap-basic.pcap", []string{"coap."}, nil},
		{"ads-basic.pcap", []string{"ams."}, nil},
		{"hartip-udp-tcp.pcap", []string{"hart_ip."}, nil},
		{"openflow-10-13.pcap", []string{"openflow.", "openflow_1_0.", "openflow_v4."}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			n := miscCheckAgainstTshark(t, tt.file, tt.prefixes, tt.decodeAs)
			t.Logf("%d values agree with tshark", n)
		})
	}
}

// miscSameValue reports whether two values agree: each is one or more
// alternatives (number, label, raw hex) separated by NUL.
func miscSameValue(a, b string) bool {
	for i, x := range strings.Split(a, "\x00") {
		for j, y := range strings.Split(b, "\x00") {
			if x == y && (x != "" || i == 0 && j == 0) { // two empty texts agree
				return true
			}
		}
	}
	return false
}
