package output

import (
	"bytes"
	"encoding/json"
	"io"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/fatih/color"

	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/schema"
)

func modbusProgram(t testing.TB) *dissectors.SchemaDissector {
	t.Helper()
	reg := dissectors.NewRegistry()
	if err := reg.LoadBundled(); err != nil {
		t.Fatal(err)
	}
	d, _ := reg.ByName("modbus")
	return d.(*dissectors.SchemaDissector)
}

var testConn = dissectors.Conn{
	ID:        3,
	Transport: "tcp",
	Client:    dissectors.Endpoint{Addr: netip.MustParseAddr("10.0.0.1"), Port: 40001},
	Server:    dissectors.Endpoint{Addr: netip.MustParseAddr("2001:db8::2"), Port: 502},
}

var t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// frameRecord decodes data as a Modbus frame in direction dir.
func frameRecord(t testing.TB, dir dissectors.Direction, data []byte, pkt uint64, at time.Duration) *dissectors.Record {
	d := modbusProgram(t)
	var f schema.Frame
	root := d.Program.Request
	if dir == dissectors.ServerToClient {
		root = d.Program.Response
	}
	schema.Decode(root, data, &f, schema.Limits{})
	return &dissectors.Record{
		Kind: dissectors.KindFrame, Protocol: d.Info(), Conn: &testConn, Dir: dir,
		Time: t0.Add(at), FirstPacket: pkt, LastPacket: pkt, Offset: 24, Length: len(data), Data: data, Frame: &f,
	}
}

var (
	request  = []byte{0, 7, 0, 0, 0, 6, 1, 3, 0, 0x10, 0, 2}
	response = []byte{0, 7, 0, 0, 0, 7, 1, 3, 4, 0, 5, 0xff, 0xfe}
	badResp  = []byte{0, 8, 0, 0, 0, 5, 1, 3, 4, 0, 5}
)

func withColor(on bool, fn func()) {
	old := color.NoColor
	color.NoColor = !on
	defer func() { color.NoColor = old }()
	fn()
}

func TestTextSummary(t *testing.T) {
	var out bytes.Buffer
	withColor(false, func() {
		w := NewText(&out, TextOptions{})
		recs := []*dissectors.Record{
			frameRecord(t, dissectors.ClientToServer, request, 4, 0),
			frameRecord(t, dissectors.ServerToClient, response, 6, 1500*time.Microsecond),
			frameRecord(t, dissectors.ServerToClient, badResp, 9, 2*time.Second),
			{Kind: dissectors.KindSkipped, Protocol: modbusProgram(t).Info(), Conn: &testConn, Time: t0.Add(3 * time.Second),
				FirstPacket: 10, LastPacket: 11, Offset: 100, Length: 5, Reason: "no valid frame here"},
			{Kind: dissectors.KindGap, Protocol: modbusProgram(t).Info(), Conn: &testConn, Dir: dissectors.ServerToClient,
				Time: t0.Add(4 * time.Second), FirstPacket: 12, LastPacket: 12, Offset: 105, Length: 40, Reason: "40 bytes missing from the capture"},
		}
		for _, r := range recs {
			if err := w.Emit(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
	})
	want := `     4    0.000000 10.0.0.1:40001 → [2001:db8::2]:502 Modbus/TCP 12 Query: Trans: 7; Unit: 1, Func: Read Holding Registers (3)
     6    0.001500 [2001:db8::2]:502 → 10.0.0.1:40001 Modbus/TCP 13 Response: Trans: 7; Unit: 1, Func: Read Holding Registers (3)
     9    2.000000 [2001:db8::2]:502 → 10.0.0.1:40001 Modbus/TCP 11 Response: Trans: 8; Unit: 1, Func: Read Holding Registers (3) [error: body.registers: truncated: expected 2 elements of 2 bytes, found 2 bytes (at frame offset 9)]
    11    3.000000 10.0.0.1:40001 → [2001:db8::2]:502 Modbus/TCP 5 [5 bytes skipped at stream offset 100: no valid frame here]
    12    4.000000 [2001:db8::2]:502 → 10.0.0.1:40001 Modbus/TCP 40 [gap: 40 bytes missing from the capture at stream offset 105]
`
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestTextTreeAndHex(t *testing.T) {
	var out bytes.Buffer
	withColor(false, func() {
		w := NewText(&out, TextOptions{Tree: true, Hex: true})
		if err := w.Emit(frameRecord(t, dissectors.ServerToClient, response, 6, 0)); err != nil {
			t.Fatal(err)
		}
		if err := w.Emit(frameRecord(t, dissectors.ServerToClient, badResp, 9, time.Second)); err != nil {
			t.Fatal(err)
		}
		w.Flush()
	})
	want := `     6    0.000000 [2001:db8::2]:502 → 10.0.0.1:40001 Modbus/TCP 13 Response: Trans: 7; Unit: 1, Func: Read Holding Registers (3)
    stream 3, response, offset 24, packets 6
    mbap
        transaction_id: 7
        protocol_id: 0
        length: 7
        unit_id: 1
    0... .... = exception: 0
    .000 0011 = function: Read Holding Registers (3)
    body
        byte_count: 4
        registers: 2 items
            [0]: 5
            [1]: 65534
    0000  00 07 00 00 00 07 01 03  04 00 05 ff fe           .............

     9    1.000000 [2001:db8::2]:502 → 10.0.0.1:40001 Modbus/TCP 11 Response: Trans: 8; Unit: 1, Func: Read Holding Registers (3) [error: body.registers: truncated: expected 2 elements of 2 bytes, found 2 bytes (at frame offset 9)]
    stream 3, response, offset 24, packets 9
    mbap
        transaction_id: 8
        protocol_id: 0
        length: 5
        unit_id: 1
    0... .... = exception: 0
    .000 0011 = function: Read Holding Registers (3)
    body
        byte_count: 4
    error: body.registers: truncated: expected 2 elements of 2 bytes, found 2 bytes (at frame offset 9)
    0000  00 08 00 00 00 05 01 03  04 00 05                 ...........

`
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

// With colour on, each field's bytes in the hex dump carry a colour and the
// bytes no field decoded are marked.
func TestHexColours(t *testing.T) {
	var out bytes.Buffer
	withColor(true, func() {
		w := NewText(&out, TextOptions{Hex: true})
		w.Emit(frameRecord(t, dissectors.ServerToClient, badResp, 9, 0))
		w.Flush()
	})
	s := out.String()
	undecoded := newStylesForTest(true).undecoded
	// The last two bytes (00 05) were not decoded: the registers were cut short.
	if !strings.Contains(s, undecoded.on+"00"+undecoded.off+" "+undecoded.on+"05"+undecoded.off) {
		t.Errorf("undecoded bytes are not marked:\n%q", s)
	}
	st := newStylesForTest(true)
	if !strings.Contains(s, st.fields[0].on+"00"+st.fields[0].off+" "+st.fields[0].on+"08"+st.fields[0].off) {
		t.Errorf("the first field's bytes are not in the first colour:\n%q", s)
	}
}

func newStylesForTest(on bool) (s *styles) {
	withColor(on, func() { s = newStyles() })
	return s
}

func TestNDJSON(t *testing.T) {
	var out bytes.Buffer
	w := NewNDJSON(&out)
	w.Emit(frameRecord(t, dissectors.ClientToServer, request, 4, 1234567*time.Nanosecond))
	w.Emit(frameRecord(t, dissectors.ServerToClient, badResp, 9, time.Second))
	w.Emit(&dissectors.Record{Kind: dissectors.KindSkipped, Protocol: modbusProgram(t).Info(), Conn: &testConn,
		Time: t0, FirstPacket: 10, LastPacket: 11, Offset: 100, Length: 5, Reason: "bad \"bytes\"\n"})
	w.Flush()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3:\n%s", len(lines), out.String())
	}
	wantFirst := `{"@timestamp":"2024-01-01T00:00:00.001234Z","event":{"kind":"frame"},"network":{"transport":"tcp","protocol":"modbus"},` +
		`"source":{"ip":"10.0.0.1","port":40001},"destination":{"ip":"2001:db8::2","port":502},` +
		`"dissect":{"stream":3,"direction":"request","offset":24,"length":12,"packets":{"first":4,"last":4},"summary":"Query: Trans: 7; Unit: 1, Func: Read Holding Registers (3)"},` +
		`"modbus":{"mbap":{"transaction_id":7,"protocol_id":0,"length":6,"unit_id":1},"exception":0,"function":{"value":3,"name":"read_holding_registers"},"body":{"reference_number":16,"quantity":2}}}`
	if lines[0] != wantFirst {
		t.Errorf("first line:\n%s\nwant:\n%s", lines[0], wantFirst)
	}
	for i, line := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, line)
		}
	}
	var second struct {
		Dissect struct {
			Error struct {
				Kind, Path, Expected, Found string
				Offset                      int
			}
		}
		Modbus struct {
			Body struct {
				ByteCount int `json:"byte_count"`
			}
		}
	}
	json.Unmarshal([]byte(lines[1]), &second)
	if e := second.Dissect.Error; e.Kind != "truncated" || e.Path != "body.registers" || e.Offset != 9 || second.Modbus.Body.ByteCount != 4 {
		t.Errorf("failed frame: error %+v, byte_count %d", e, second.Modbus.Body.ByteCount)
	}
	if !strings.Contains(lines[2], `"event":{"kind":"skipped"}`) || !strings.Contains(lines[2], `"reason":"bad \"bytes\"\n"`) {
		t.Errorf("skipped record: %s", lines[2])
	}
}

func TestAppendTimestamp(t *testing.T) {
	for _, ts := range []time.Time{
		time.Date(2024, 1, 1, 0, 0, 0, 1234567, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(2024, 2, 29, 12, 5, 7, 0, time.FixedZone("x", 3600)),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		{},
	} {
		want := ts.UTC().AppendFormat(nil, "2006-01-02T15:04:05.000000Z")
		if got := appendTimestamp(nil, ts); string(got) != string(want) {
			t.Errorf("appendTimestamp(%v) = %s, want %s", ts, got, want)
		}
	}
}

func TestAppendString(t *testing.T) {
	tests := map[string]string{
		"plain":        `"plain"`,
		"q\"b\\":       `"q\"b\\"`,
		"\x00\x1f\x7f": `"\u0000\u001f\u007f"`,
		"é→":           `"é→"`,
		"bad\xffutf8":  `"bad\ufffdutf8"`,
		"tab\tcr\r":    `"tab\tcr\r"`,
	}
	for in, want := range tests {
		got := string(appendString(nil, in))
		if got != want {
			t.Errorf("appendString(%q) = %s, want %s", in, got, want)
		}
		var back string
		if err := json.Unmarshal([]byte(got), &back); err != nil {
			t.Errorf("%s is not a JSON string: %v", got, err)
		}
	}
}

// Encoding a record allocates nothing once the buffer has grown.
func TestNDJSONAllocs(t *testing.T) {
	r := frameRecord(t, dissectors.ServerToClient, response, 6, 0)
	var buf []byte
	allocs := testing.AllocsPerRun(100, func() { buf = AppendRecordJSON(buf[:0], r) })
	if allocs != 0 {
		t.Errorf("AppendRecordJSON: %v allocations per record, want 0", allocs)
	}
}

// BenchmarkNDJSON encodes a Modbus response record with the NDJSON writer,
// as a run does (consecutive records of one connection).
func BenchmarkNDJSON(b *testing.B) {
	r := frameRecord(b, dissectors.ServerToClient, response, 6, 0)
	w := NewNDJSON(io.Discard)
	b.ReportAllocs()
	b.SetBytes(int64(len(AppendRecordJSON(nil, r)) + 1))
	for i := 0; i < b.N; i++ {
		if err := w.Emit(r); err != nil {
			b.Fatal(err)
		}
	}
}

// With WiresharkNames, mapped fields are named as tshark names them; the
// others keep their schema names.
func TestNDJSONWiresharkNames(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts JSONOptions
		want string
	}{
		{"schema names", JSONOptions{},
			`"modbus":{"mbap":{"transaction_id":7,"protocol_id":0,"length":6,"unit_id":1},"exception":0,"function":{"value":3,"name":"read_holding_registers"},"body":{"reference_number":16,"quantity":2}}}`},
		{"wireshark names", JSONOptions{WiresharkNames: true},
			`"modbus":{"mbap":{"mbtcp.trans_id":7,"mbtcp.prot_id":0,"mbtcp.len":6,"mbtcp.unit_id":1},"exception":0,"modbus.func_code":{"value":3,"name":"read_holding_registers"},"body":{"modbus.reference_num":16,"modbus.word_cnt":2}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			w := NewNDJSONWith(&out, tc.opts)
			if err := w.Emit(frameRecord(t, dissectors.ClientToServer, request, 4, 0)); err != nil {
				t.Fatal(err)
			}
			w.Flush()
			line := strings.TrimSuffix(out.String(), "\n")
			if !strings.HasSuffix(line, tc.want) {
				t.Errorf("line:\n%s\nwant it to end with:\n%s", line, tc.want)
			}
			var v map[string]any
			if err := json.Unmarshal([]byte(line), &v); err != nil {
				t.Errorf("not JSON: %v", err)
			}
		})
	}
	r := frameRecord(t, dissectors.ServerToClient, response, 6, 0)
	var buf []byte
	opts := JSONOptions{WiresharkNames: true}
	if allocs := testing.AllocsPerRun(100, func() { buf = AppendRecordJSONWith(buf[:0], r, opts) }); allocs != 0 {
		t.Errorf("AppendRecordJSONWith(WiresharkNames): %v allocations per record, want 0", allocs)
	}
}

// dnsRecord decodes data as a DNS message.
func dnsRecord(t testing.TB, data []byte) *dissectors.Record {
	t.Helper()
	return libraryRecord(t, "dns", data, false)
}

// libraryRecord decodes data as a message of the bundled UDP protocol
// named name, which fails to decode when bad says so.
func libraryRecord(t testing.TB, name string, data []byte, bad bool) *dissectors.Record {
	t.Helper()
	reg := dissectors.NewRegistry()
	if err := reg.LoadBundled(); err != nil {
		t.Fatal(err)
	}
	d, _ := reg.ByName(name)
	sd := d.(*dissectors.SchemaDissector)
	var f schema.Frame
	schema.Decode(sd.Program.Request, data, &f, schema.Limits{})
	if (f.Err != nil) != bad {
		t.Fatalf("decoding the %s message: error %v, want one: %v", name, f.Err, bad)
	}
	conn := testConn
	conn.Transport = "udp"
	return &dissectors.Record{Kind: dissectors.KindFrame, Protocol: sd.Info(), Conn: &conn,
		Time: t0, FirstPacket: 1, LastPacket: 1, Length: len(data), Data: data, Frame: &f}
}

// A structure marked [value = summary] (a DNS name) is its summary string
// in JSON, escaped like any string, under either naming, and encoding it
// allocates nothing.
func TestNDJSONValueSummary(t *testing.T) {
	header := []byte{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0}
	question := func(labels ...string) []byte {
		b := append([]byte(nil), header...)
		for _, l := range labels {
			b = append(b, byte(len(l)))
			b = append(b, l...)
		}
		return append(b, 0, 0, 1, 0, 1)
	}
	for _, tc := range []struct {
		name  string
		data  []byte
		opts  JSONOptions
		want  string // the question's name as JSON
		field string
	}{
		{"schema names", question("www", "example", "com"), JSONOptions{}, `"www.example.com"`, `"name":`},
		{"wireshark names", question("www", "example", "com"), JSONOptions{WiresharkNames: true}, `"www.example.com"`, `"dns.qry.name":`},
		// The summary shows text with its escapes, as the summary line does.
		{"escaped", question(`a"b\c`, "d\te"), JSONOptions{}, `"a\\\"b\\\\c.d\\te"`, `"name":`},
		{"root", question(), JSONOptions{}, `"<Root>"`, `"name":`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line := AppendRecordJSONWith(nil, dnsRecord(t, tc.data), tc.opts)
			var v map[string]any
			if err := json.Unmarshal(line, &v); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, line)
			}
			want := tc.field + tc.want
			if !bytes.Contains(line, []byte(want)) {
				t.Errorf("line:\n%s\nwant it to hold %s", line, want)
			}
			if bytes.Contains(line, []byte(`"labels":`)) {
				t.Errorf("the name is written as its labels:\n%s", line)
			}
		})
	}
	r := dnsRecord(t, question(`a"b`, "example", "com"))
	var buf []byte
	if allocs := testing.AllocsPerRun(100, func() { buf = AppendRecordJSON(buf[:0], r) }); allocs != 0 {
		t.Errorf("AppendRecordJSON of a DNS query: %v allocations per record, want 0", allocs)
	}
}

// An IPv4 address is a dotted string in JSON, under either naming, as
// tshark's dns.a and ntp.refid are: a DNS A record's data, and an NTP
// server's reference id (not an object of its four bytes). An A record of
// another length shows its bytes, and the frame says why it is wrong.
func TestNDJSONAddresses(t *testing.T) {
	dnsAnswer := func(rdata ...byte) []byte {
		b := []byte{0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0}
		b = append(b, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1)
		b = append(b, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, byte(len(rdata)))
		return append(b, rdata...)
	}
	ntpServer := func(stratum byte, refid ...byte) []byte {
		b := make([]byte, 48)
		b[0], b[1] = 0x24, stratum // version 4, server
		copy(b[12:], refid)
		return b
	}
	for _, tc := range []struct {
		name, protocol string
		data           []byte
		opts           JSONOptions
		want           string
		err            bool
	}{
		{"dns.a", "dns", dnsAnswer(93, 184, 216, 34), JSONOptions{}, `"rdata":{"address":"93.184.216.34"}`, false},
		{"dns.a wireshark", "dns", dnsAnswer(192, 0, 2, 255), JSONOptions{WiresharkNames: true}, `"dns.a":"192.0.2.255"`, false},
		{"dns.a short", "dns", dnsAnswer(10, 0, 0), JSONOptions{}, `"address":"0a0000"`, true},
		{"ntp.refid", "ntp", ntpServer(2, 10, 90, 0, 10), JSONOptions{}, `"reference_id":"10.90.0.10"`, false},
		{"ntp.refid wireshark", "ntp", ntpServer(3, 192, 0, 2, 1), JSONOptions{WiresharkNames: true}, `"ntp.refid":"192.0.2.1"`, false},
		{"ntp.refid text", "ntp", ntpServer(1, 'G', 'P', 'S', 0), JSONOptions{}, `"reference_id":"GPS\\x00"`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line := AppendRecordJSONWith(nil, libraryRecord(t, tc.protocol, tc.data, tc.err), tc.opts)
			var v map[string]any
			if err := json.Unmarshal(line, &v); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, line)
			}
			if !bytes.Contains(line, []byte(tc.want)) {
				t.Errorf("line:\n%s\nwant it to hold %s", line, tc.want)
			}
			if bytes.Contains(line, []byte(`"b0":`)) {
				t.Errorf("the address is written as its bytes:\n%s", line)
			}
		})
	}
}

// The NDJSON writer's per-field caches (keys, enum names) write what the
// uncached encoder writes, as a field's value changes from record to
// record: known and unknown enum members, back and forth, every value of
// the field, with and without Wireshark names.
func TestNDJSONFieldCacheSameOutput(t *testing.T) {
	functions := []byte{3, 3, 4, 0x63, 3, 1, 0x63, 0x63, 4}
	for fn := range byte(0x80) { // every value of the 7-bit function code
		functions = append(functions, fn, 3)
	}
	for _, opts := range []JSONOptions{{}, {WiresharkNames: true}} {
		var out bytes.Buffer
		w := NewNDJSONWith(&out, opts)
		var want []byte
		var records []*dissectors.Record
		// One program for every record, so that the fields stay the same.
		d := modbusProgram(t)
		for i, fn := range functions {
			data := append([]byte(nil), request...)
			data[7] = fn
			var f schema.Frame
			schema.Decode(d.Program.Request, data, &f, schema.Limits{})
			r := &dissectors.Record{
				Kind: dissectors.KindFrame, Protocol: d.Info(), Conn: &testConn, Dir: dissectors.ClientToServer,
				Time: t0, FirstPacket: uint64(i + 1), LastPacket: uint64(i + 1), Offset: 24, Length: len(data), Data: data, Frame: &f,
			}
			if err := w.Emit(r); err != nil {
				t.Fatal(err)
			}
			want = append(AppendRecordJSONWith(want, r, opts), '\n')
			records = append(records, r)
		}
		// Values changing from record to record still allocate nothing
		// once the caches have grown.
		quiet := NewNDJSONWith(io.Discard, opts)
		if allocs := testing.AllocsPerRun(20, func() {
			for _, r := range records {
				if err := quiet.Emit(r); err != nil {
					t.Fatal(err)
				}
			}
		}); allocs != 0 {
			t.Errorf("%+v: Emit: %v allocations per run of %d records, want 0", opts, allocs, len(records))
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Errorf("%+v: cached writer wrote\n%s\nwant\n%s", opts, out.Bytes(), want)
		}
		if !bytes.Contains(want, []byte(`{"value":99}`)) || !bytes.Contains(want, []byte(`"name":"read_input_registers"`)) {
			t.Errorf("%+v: records lack an unknown or a known function:\n%s", opts, want)
		}
	}
}
