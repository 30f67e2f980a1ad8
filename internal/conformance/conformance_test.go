package conformance

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// checkResults fails on every disagreement that is not listed, and on every
// capture where we find fewer PDUs than tshark without a listed reason.
func checkResults(t *testing.T, h *Harness, results []*CaptureResult) {
	t.Helper()
	var table bytes.Buffer
	WriteTable(&table, "conformance", results)
	t.Log("\n" + table.String())
	compared := 0
	for _, c := range results {
		for _, l := range c.Layers {
			compared += l.Fields
		}
	}
	if compared == 0 {
		t.Error("no field was compared")
	}
	for _, p := range h.Problems(results) {
		t.Error(p)
	}
}

// TestConformance compares dissect with tshark's JSON oracles on the shared
// public captures.
func TestConformance(t *testing.T) {
	dir := SharedDir("../..")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no shared captures at %s", dir)
	}
	h, err := New()
	if err != nil {
		t.Fatal(err)
	}
	results, err := h.CheckShared(dir)
	if err != nil {
		t.Fatal(err)
	}
	checkResults(t, h, results)
}

// TestConformanceGenerated compares dissect with tshark, run now, on the
// project's generated captures: the way protocols with no public capture
// are verified.
func TestConformanceGenerated(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark is not installed")
	}
	if testing.Short() {
		t.Skip("runs tshark on every generated capture")
	}
	h, err := New()
	if err != nil {
		t.Fatal(err)
	}
	results, err := h.CheckGenerated("../../testdata/pcaps/*.pcap*")
	if err != nil {
		t.Fatal(err)
	}
	checkResults(t, h, results)
}

// The oracle keeps every value of a key written several times in one
// object: a layer per PDU, a field per occurrence.
func TestParseOracleDuplicateKeys(t *testing.T) {
	const doc = `[
 {"_index": "x", "_source": {"layers": {
   "frame": {"filtered": "frame"},
   "mqtt": {"mqtt.hdrflags": "0x30", "mqtt.hdrflags_tree": {"mqtt.msgtype": "3"}, "mqtt.topic": "a"},
   "mqtt": {"mqtt.hdrflags": "0x30", "mqtt.topic": "b", "mqtt.topic": "c", "Label": {"mqtt.len": ["1", "2"]}, "mqtt.none": ""}
 }}}
]`
	o, err := ParseOracle(strings.NewReader(doc), map[int]uint64{0: 7})
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Packets) != 1 || o.Packets[0].Number != 7 || !o.Filtered {
		t.Fatalf("packets %+v, filtered %v; want one, frame 7, filtered", o.Packets, o.Filtered)
	}
	var got []string
	for _, l := range o.Packets[0].Layers {
		var parts []string
		for _, f := range l.Fields {
			parts = append(parts, f.Name+"="+f.Value)
		}
		for _, name := range l.Labels {
			parts = append(parts, name+"(label)")
		}
		got = append(got, l.Name+"{"+strings.Join(parts, " ")+"}")
	}
	// Fields with no value (mqtt.none) and subtrees (mqtt.hdrflags_tree)
	// are labels: shown by tshark, never compared; "Label" is no field.
	want := "frame{} mqtt{mqtt.hdrflags=0x30 mqtt.msgtype=3 mqtt.topic=a mqtt.hdrflags_tree(label)} mqtt{mqtt.hdrflags=0x30 mqtt.topic=b mqtt.topic=c mqtt.len=1 mqtt.len=2 mqtt.none(label)}"
	if strings.Join(got, " ") != want {
		t.Errorf("layers\n got %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestParseOracleErrors(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"not an array", `{}`, `want "["`},
		{"truncated", `[{"_source": {"layers": {"mqtt": {"a.b": "1"`, "EOF"},
		{"no frame number", `[{"_source": {"layers": {"frame": {"filtered": "frame"}}}}]`, "no frame.number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseOracle(strings.NewReader(tc.doc), map[int]uint64{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestEqualValue(t *testing.T) {
	for _, tc := range []struct {
		kind         Kind
		ours, theirs string
		want         bool
	}{
		{KindInteger, "16", "0x10", true},
		{KindInteger, "16", "16", true},
		{KindInteger, "16", "0x11", false},
		{KindInteger, "1", "true", true},
		{KindInteger, "0", "False", true},
		{KindInteger, "65280", "ff:00", true}, // an integer tshark shows as bytes
		{KindInteger, "-1", "ff:ff", true},
		{KindInteger, "2", "32", false},
		{KindInteger, "-3", "-3", true},
		{KindFloat, "1.5", "1.50", true},
		{KindFloat, "1.5", "x", false},
		{KindBytes, "35:0a:9c:f1", "889887985", true}, // bytes tshark shows as an integer
		{KindBytes, "aa:BB", "aa:bb", true},
		{KindBytes, "aa:bb", "aa:bc", false},
		{KindBytes, "31:32:33", "123", true}, // bytes tshark shows as text
		{KindText, `a\nb`, "a\nb", true},
		{KindText, "2", "32", true}, // text tshark shows as bytes
		{KindText, "Zeeky", "5a:65:65:6b:79", true},
		{KindText, "text", "other", false},
		{KindOther, "10.0.0.1", "10.0.0.1", true},
		{KindOther, "0067ab", "00:67:AB", true}, // a summary in hex
		{KindOther, "0067ab", "00:67:ac", false},
		{KindBytes, "69:6a:00", "ij", true}, // text tshark shows without its NUL
		{KindTime, "2024-01-01T02:00:00.045Z", "Jan  1, 2024 02:00:00.045000000 UTC", true},
		{KindTime, "2020-01-14T01:00:00.7214350Z", "Jan 14, 2020 01:00:00.721435000 UTC", true},
		{KindTime, "2024-01-01T02:00:00.045Z", "Jan  1, 2024 02:00:00.046000000 UTC", false},
		{KindTime, "2024-01-01T02:00:00Z", "1704074400", false},
		{KindNoTime, "0", "Jan  1, 1970 00:00:00.000000000 UTC", true}, // OPC UA's null DateTime
		{KindNoTime, "0", "0", true},
		{KindNoTime, "0", "Jan  1, 1970 00:00:01.000000000 UTC", false},
		{KindNoTime, "-5", "Jan  1, 1970 00:00:00.000000000 UTC", false},
	} {
		ours := FieldValue{Value: tc.ours, Kind: tc.kind}
		if got := equalValue(ours, tc.theirs); got != tc.want {
			t.Errorf("equalValue(%v %q, %q) = %v, want %v", tc.kind, tc.ours, tc.theirs, got, tc.want)
		}
	}
	if !equalValue(FieldValue{Value: "81", Kind: KindInteger, Label: "Simple query"}, "simple query") {
		t.Error("an enum's label does not match tshark's text for it")
	}
}

// align pairs in order at the least disagreement: it skips a PDU of ours
// tshark lacks, and merges several of ours that tshark shows as one.
func TestAlign(t *testing.T) {
	mapped := map[string]bool{"p.id": true}
	unit := func(ids ...string) *Unit {
		u := &Unit{}
		for _, id := range ids {
			u.Fields = append(u.Fields, FieldValue{Name: "p.id", Value: id})
		}
		return u
	}
	their := func(ids ...string) *theirPDU {
		p := &theirPDU{}
		for _, id := range ids {
			p.Fields = append(p.Fields, FieldValue{Name: "p.id", Value: id})
		}
		return p
	}
	for _, tc := range []struct {
		name string
		ts   []*theirPDU
		us   []*Unit
		want []match
	}{
		{"same count", []*theirPDU{their("1"), their("2")}, []*Unit{unit("1"), unit("9")}, []match{{0, 0, 1}, {1, 1, 2}}},
		{"tshark skipped one", []*theirPDU{their("2")}, []*Unit{unit("1"), unit("2")}, []match{{0, 1, 2}}},
		{"tshark merged two", []*theirPDU{their("1", "2")}, []*Unit{unit("1"), unit("2")}, []match{{0, 0, 2}}},
		{"we lack one", []*theirPDU{their("1"), their("2")}, []*Unit{unit("2")}, []match{{0, 0, 0}, {1, 0, 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := align(tc.ts, tc.us, mapped)
			if len(got) != len(tc.want) {
				t.Fatalf("align = %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("align = %v, want %v", got, tc.want)
				}
			}
		})
	}
}

// The mapping between our protocols and tshark's layers comes from the
// schemas alone.
func TestMapping(t *testing.T) {
	h, err := New()
	if err != nil {
		t.Fatal(err)
	}
	m := h.Mapping
	for proto, layer := range map[string]string{"modbus": "mbtcp", "dnstcp": "dns", "dns": "dns", "tls_handshake": "tls", "tpkt": "tpkt"} {
		if m.Layer[proto] != layer {
			t.Errorf("layer of %s = %q, want %q", proto, m.Layer[proto], layer)
		}
	}
	for _, c := range []struct {
		layer, sub string
		want       bool
	}{
		{"mbtcp", "modbus", true}, // a Modbus PDU is tshark's mbtcp and modbus layers
		{"tpkt", "cotp", true},
		{"tpkt", "s7comm", true}, // S7comm is reached only through COTP
		{"tls", "dns", false},
	} {
		if got := m.Prefixes[c.layer][c.sub]; got != c.want {
			t.Errorf("layer %s takes %s: %v, want %v", c.layer, c.sub, got, c.want)
		}
	}
	if !m.Streamed["tls_handshake"] || !m.Streamed["tls"] || m.Streamed["modbus"] {
		t.Errorf("streamed protocols %v, want tls_handshake (from tls) and tls (from pgsql)", m.Streamed)
	}
	// TLS fields do not count for PostgreSQL, which hands TLS records on.
	if m.Fields["pgsql"]["tls.record.content_type"] || !m.Fields["tls"]["tls.record.content_type"] {
		t.Error("tls.record.content_type counts for pgsql, or not for tls")
	}
	if !m.Main["mbtcp"] || m.Main["s7comm"] {
		t.Errorf("layers that start a PDU: %v; want mbtcp and not s7comm", m.Main)
	}
	// Fields of structures written in place count too (MQTT's fixed
	// header flags).
	for _, f := range []string{"mqtt.msgtype", "mqtt.dupflag", "mbtcp.trans_id", "modbus.func_code", "cotp.li", "tls.handshake.type"} {
		layer := m.Layer[map[string]string{"mqtt": "mqtt", "mbtcp": "modbus", "modbus": "modbus", "cotp": "tpkt", "tls": "tls"}[prefix(f)]]
		if !m.Fields[layer][f] {
			t.Errorf("%s is not among the mapped fields of layer %s", f, layer)
		}
	}
}

func TestKnownCaseMatches(t *testing.T) {
	their := []FieldValue{{Name: "modbus.func_code", Value: "6"}}
	d := Disagreement{File: "a.pcap", Layer: "mbtcp", Packet: 7, Field: "modbus.data", their: their}
	for _, tc := range []struct {
		name string
		k    KnownCase
		want bool
	}{
		{"any file", KnownCase{Layer: "mbtcp", Field: "modbus.data"}, true},
		{"other layer", KnownCase{Layer: "mqtt", Field: "modbus.data"}, false},
		{"this file", KnownCase{File: "a.pcap", Layer: "mbtcp", Field: "*"}, true},
		{"other file", KnownCase{File: "b.pcap", Layer: "mbtcp", Field: "*"}, false},
		{"this packet", KnownCase{Layer: "mbtcp", Packet: 7, Field: "modbus.data"}, true},
		{"other packet", KnownCase{Layer: "mbtcp", Packet: 8, Field: "modbus.data"}, false},
		{"condition holds", KnownCase{Layer: "mbtcp", Field: "modbus.data", When: "modbus.func_code=6"}, true},
		{"condition in hex", KnownCase{Layer: "mbtcp", Field: "modbus.data", When: "modbus.func_code=0x06"}, true},
		{"condition fails", KnownCase{Layer: "mbtcp", Field: "modbus.data", When: "modbus.func_code=23"}, false},
		{"a missing PDU is not a field", KnownCase{Layer: "mbtcp", Field: "(PDU)"}, false},
	} {
		if got := tc.k.matches(&d); got != tc.want {
			t.Errorf("%s: matches = %v, want %v", tc.name, got, tc.want)
		}
	}
	missing := Disagreement{File: "a.pcap", Layer: "mbtcp", Packet: 7}
	if !(&KnownCase{Layer: "mbtcp", Field: "(PDU)"}).matches(&missing) {
		t.Error("a case for (PDU) does not match a missing PDU")
	}
}

// tshark's PDUs: a layer of ours starts one, the layers that belong to it
// join it, a layer named otherwise whose fields we map starts one too, and
// an empty placeholder layer is none.
func TestTheirPDUs(t *testing.T) {
	m := &Mapping{
		Main:     map[string]bool{"mbtcp": true, "openflow": true},
		Prefixes: map[string]map[string]bool{"mbtcp": {"mbtcp": true, "modbus": true}, "openflow": {"openflow": true}},
		Fields: map[string]map[string]bool{
			"mbtcp":    {"mbtcp.trans_id": true, "modbus.func_code": true},
			"openflow": {"openflow.version": true},
		},
	}
	const doc = `[
 {"_source": {"layers": {"frame": {"frame.number": "1"}, "tcp": {"tcp.len": "24"},
   "mbtcp": {"mbtcp.trans_id": "1"}, "modbus": {"modbus.func_code": "3"},
   "mbtcp": {"mbtcp.trans_id": "2"}, "modbus": {"modbus.func_code": "4"}}}},
 {"_source": {"layers": {"frame": {"frame.number": "2"}, "tls": "Transport Layer Security", "mbtcp": "Modbus/TCP"}}},
 {"_source": {"layers": {"frame": {"frame.number": "3"}, "openflow_v1": {"openflow.version": "0x01", "openflow_1_0.type": "0"}}}}
]`
	o, err := ParseOracle(strings.NewReader(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range theirPDUs(o, m) {
		got = append(got, fmt.Sprintf("%d:%s:%d", p.Frame, p.Layer, len(p.Fields)))
	}
	if want := "1:mbtcp:2 1:mbtcp:2 3:openflow:2"; strings.Join(got, " ") != want {
		t.Errorf("PDUs %q, want %q", strings.Join(got, " "), want)
	}
}

func TestUnquote(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{`"def"`, "def", true},
		{`"a \"b\""`, `a "b"`, true},
		{`""`, "", true},
		{`"www"."example"`, "", false},
		{`def`, "", false},
		{`"`, "", false},
	} {
		got, ok := unquote(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("unquote(%s) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
