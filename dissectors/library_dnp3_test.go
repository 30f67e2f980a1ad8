package dissectors

import (
	"math"
	"strings"
	"testing"
	"time"

	pg "github.com/dissect-project/dissect/internal/pcapgen"
)

// DNP3 frames built from IEEE 1815-2012 with the builders of
// internal/pcapgen (the generated capture, checked by tshark, uses them
// too).

// dnpReq is a master's request frame to outstation 10 from master 1.
func dnpReq(app []byte) []byte {
	return pg.DNP3Link(pg.DNP3DIR|pg.DNP3PRM|4, 10, 1, pg.DNP3Transport(true, true, 1, app))
}

// dnpResp is an outstation's response frame.
func dnpResp(app []byte) []byte {
	return pg.DNP3Link(pg.DNP3PRM|4, 1, 10, pg.DNP3Transport(true, true, 2, app))
}

func le16b(v uint16) []byte { return []byte{byte(v), byte(v >> 8)} }
func le32b(v uint32) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)} }

func TestDNP3Messages(t *testing.T) {
	reg := libraryRegistry(t)
	const app = "user_data.application."
	at := time.Date(2024, 5, 6, 7, 8, 9, 10e6, time.UTC)
	tests := []struct {
		name    string
		dir     Direction
		data    []byte
		summary string
		fields  map[string]string
		absent  []string
	}{
		{
			name: "request link status: header only", dir: ClientToServer,
			data:    pg.DNP3Link(pg.DNP3DIR|pg.DNP3PRM|9, 10, 1, nil),
			summary: "len=5, from 1 to 10, DIR, PRM, REQUEST_LINK_STATUS (9)",
			fields: map[string]string{
				"start": "0x0564", "length": "5", "control.ctl": "0xc9", "control.dir": "1", "control.prm": "1", "control.fcb": "0", "control.fcv": "0",
				"control.function": "REQUEST_LINK_STATUS (9)", "destination": "10", "source": "1", "header_crc": "0x" + hex4(pg.CRC16DNP([]byte{5, 0x64, 5, 0xC9, 10, 0, 1, 0})) + " [correct]",
			},
			absent: []string{"user_data", "user_data_crc"},
		},
		{
			name: "link status from the outstation, data flow control", dir: ServerToClient,
			data:    pg.DNP3Link(0x10|11, 1, 10, nil),
			summary: "len=5, from 10 to 1, LINK_STATUS (11)",
			fields:  map[string]string{"control.prm": "0", "control.dfc": "1", "control.function": "LINK_STATUS (11)"},
		},
		{
			name: "read class 0", dir: ClientToServer,
			data:    dnpReq(pg.DNP3Request(3, 1, pg.DNP3Objects(60, 1, 0x06, nil))),
			summary: "len=11, from 1 to 10, DIR, PRM, UNCONFIRMED_USER_DATA (4), Read (1): Class 0 Data (0x3c01)",
			fields: map[string]string{
				"user_data.fin": "1", "user_data.fir": "1", "user_data.seq": "1",
				app + "fir": "1", app + "fin": "1", app + "con": "0", app + "seq": "3", app + "function": "Read (1)",
				app + "objects.0.object": "Class 0 Data (0x3c01)", app + "objects.0.range": "No Range Field (6)",
				app + "objects.0.count": "0", "user_data_crc.0": "0x" + hex4(pg.CRC16DNP([]byte{0xC1, 0xC3, 1, 60, 1, 6})) + " [correct]",
			},
			absent: []string{app + "iin", app + "objects.0.points"},
		},
		{
			name: "response: flags, analogs, counters, packed, float; IIN; three blocks", dir: ServerToClient,
			data: dnpResp(pg.DNP3Response(pg.DNP3FIR|pg.DNP3FIN|3, 129, 0x9002,
				pg.DNP3Objects(1, 2, 0x00, []byte{0, 1}, []byte{0x81}, []byte{0x01}),
				pg.DNP3Objects(30, 2, 0x01, append(le16b(7), le16b(7)...), append([]byte{0x01}, le16b(0xFF9C)...)),
				pg.DNP3Objects(20, 1, 0x00, []byte{0, 0}, append([]byte{0x01}, le32b(123456)...)),
				pg.DNP3Objects(10, 1, 0x00, []byte{0, 9}, []byte{0x5A, 0x01}),
				pg.DNP3Objects(30, 5, 0x00, []byte{2, 2}, append([]byte{0x01}, le32b(math.Float32bits(-1.5))...)))),
			summary: "len=54, from 10 to 1, PRM, UNCONFIRMED_USER_DATA (4), Response (129): Binary Input With Status (0x102) [Requested Objects Unknown|Time Sync required|Device Restart (0x9002)]",
			fields: map[string]string{
				app + "iin":                            "Requested Objects Unknown|Time Sync required|Device Restart (0x9002)",
				app + "objects.0.points.1.value.flags": "Online (0x01)",
				app + "objects.1.start":                "7",
				app + "objects.1.points.0.value.value": "-100",
				app + "objects.2.points.0.value.value": "123456",
				app + "objects.3.count":                "10",
				app + "objects.3.packed_values":        "5a01",
				app + "objects.4.points.0.value.value": "-1.5",
				"user_data_crc":                        "4 items",
			},
		},
		{
			name: "direct operate: a CROB with a 2-byte count and index prefix", dir: ClientToServer,
			data:    dnpReq(pg.DNP3Request(4, 5, pg.DNP3Objects(12, 1, 0x28, le16b(1), le16b(3), []byte{0x41, 1}, le32b(500), le32b(0), []byte{0}))),
			summary: "len=26, from 1 to 10, DIR, PRM, UNCONFIRMED_USER_DATA (4), Direct Operate (5): Control Relay Output Block (0xc01)",
			fields: map[string]string{
				app + "objects.0.prefix": "2-Octet Index Prefix (2)", app + "objects.0.range": "16-bit Single Field Quantity (8)",
				app + "objects.0.quantity": "1", app + "objects.0.points.0.index": "3",
				app + "objects.0.points.0.value.code": "Pulse On Close (0x41)", app + "objects.0.points.0.value.on_time": "500 ms",
				app + "objects.0.points.0.value.status": "Success (0)",
			},
		},
		{
			name: "read with index prefixes and no data", dir: ClientToServer,
			data:    dnpReq(pg.DNP3Request(5, 1, pg.DNP3Objects(30, 1, 0x17, []byte{2}, []byte{4}, []byte{9}))),
			summary: "len=14, from 1 to 10, DIR, PRM, UNCONFIRMED_USER_DATA (4), Read (1): 32-Bit Analog Input (0x1e01)",
			fields:  map[string]string{app + "objects.0.points.0.index": "4", app + "objects.0.points.1.index": "9"},
			absent:  []string{app + "objects.0.points.0.value"},
		},
		{
			name: "write time and date", dir: ClientToServer,
			data:    dnpReq(pg.DNP3Request(6, 2, pg.DNP3Objects(50, 1, 0x07, []byte{1}, pg.DNP3Time(at)))),
			summary: "len=18, from 1 to 10, DIR, PRM, UNCONFIRMED_USER_DATA (4), Write (2): Time and Date (0x3201)",
			fields:  map[string]string{app + "objects.0.points.0.value.time": "2024-05-06T07:08:09.01Z (1714979289010)"},
		},
		{
			name: "unsolicited response with timed events", dir: ServerToClient,
			data: dnpResp(pg.DNP3Response(pg.DNP3FIR|pg.DNP3FIN|pg.DNP3CON|pg.DNP3UNS|7, 130, 0x0200,
				pg.DNP3Objects(2, 2, 0x17, []byte{1}, append([]byte{4, 0x81}, pg.DNP3Time(at)...)))),
			summary: "len=22, from 10 to 1, PRM, UNCONFIRMED_USER_DATA (4), Unsolicited Response (130): Binary Input Change With Time (0x202) [Class 1 data available (0x200)]",
			fields: map[string]string{
				app + "con": "1", app + "uns": "1", app + "objects.0.points.0.index": "4",
				app + "objects.0.points.0.value.time": "2024-05-06T07:08:09.01Z (1714979289010)",
			},
		},
		{
			name: "an object of unknown size: the rest as bytes", dir: ServerToClient,
			data:    dnpResp(pg.DNP3Response(pg.DNP3FIR|pg.DNP3FIN|1, 129, 0, pg.DNP3Objects(110, 4, 0x00, []byte{0, 0}, []byte("abcd")))),
			summary: "len=19, from 10 to 1, PRM, UNCONFIRMED_USER_DATA (4), Response (129): Unknown (0x6e04)",
			fields:  map[string]string{app + "objects.0.unknown_data": "61626364"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkOneFrame(t, reg, "dnp3", tc.dir, tc.data, tc.summary, tc.fields, tc.absent)
		})
	}
}

func hex4(v uint16) string {
	const d = "0123456789abcdef"
	return string([]byte{d[v>>12], d[v>>8&0xf], d[v>>4&0xf], d[v&0xf]})
}

// A spoiled header CRC and a spoiled block CRC are reported, and the frame
// still decodes.
func TestDNP3BadCRCs(t *testing.T) {
	reg := libraryRegistry(t)
	frame := dnpReq(pg.DNP3Request(1, 1, pg.DNP3Objects(60, 2, 0x06, nil), pg.DNP3Objects(60, 3, 0x06, nil), pg.DNP3Objects(60, 4, 0x06, nil), pg.DNP3Objects(60, 1, 0x06, nil)))
	for _, tc := range []struct {
		name  string
		at    int
		field string
	}{
		{"header", 8, "header_crc"},
		{"block", len(frame) - 1, "user_data_crc.0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := append([]byte(nil), frame...)
			bad[tc.at] ^= 0xFF
			recs := decodeChunks(t, reg, "dnp3", []chunk{{ClientToServer, bad}})
			r := recs[0]
			if r.Kind != KindFrame || r.Err != "" {
				t.Fatalf("record %v", r)
			}
			if got := r.Field(t, tc.field); !strings.Contains(got, "[incorrect, should be 0x") {
				t.Errorf("%s = %q, want it incorrect", tc.field, got)
			}
			if got := r.Field(t, "user_data.application.objects.3.object"); got != "Class 0 Data (0x3c01)" {
				t.Errorf("decoding stopped: %q", got)
			}
		})
	}
}

// Requests and responses pair by application sequence number;
// confirmations and unsolicited responses do not take part.
func TestDNP3Pairing(t *testing.T) {
	reg := libraryRegistry(t)
	recs := decodeChunks(t, reg, "dnp3", []chunk{
		{ClientToServer, dnpReq(pg.DNP3Request(5, 1, pg.DNP3Objects(60, 1, 0x06, nil)))},
		{ServerToClient, dnpResp(pg.DNP3Response(pg.DNP3FIR|pg.DNP3FIN|pg.DNP3UNS|9, 130, 0))},
		{ClientToServer, dnpReq([]byte{pg.DNP3FIR | pg.DNP3FIN | pg.DNP3UNS | 9, 0})},
		{ServerToClient, dnpResp(pg.DNP3Response(pg.DNP3FIR|pg.DNP3FIN|5, 129, 0))},
	})
	var got []string
	for _, r := range recs {
		got = append(got, r.Pair.Status.String())
	}
	if want := "request none none matched"; strings.Join(got, " ") != want {
		t.Errorf("pair statuses %v, want %s", got, want)
	}
}

func TestDNP3EverySplit(t *testing.T) {
	reg := libraryRegistry(t)
	stream := cat(
		pg.DNP3Link(0x0B, 1, 10, nil),
		dnpResp(pg.DNP3Response(pg.DNP3FIR|pg.DNP3FIN|1, 129, 0, pg.DNP3Objects(30, 3, 0x00, []byte{0, 4}, le32b(1), le32b(2), le32b(3), le32b(4), le32b(5)))),
		dnpResp(pg.DNP3Response(pg.DNP3FIR|pg.DNP3FIN|2, 129, 0x0100)),
	)
	recs := checkEverySplit(t, reg, "dnp3", ServerToClient, stream)
	checkRecordRun(t, recs, []string{"frame ", "frame ", "frame "}, len(stream))
}

// Malformed input: bytes that are not a frame are skipped, a cut block is
// an error, an object range that runs backwards is an error.
func TestDNP3Malformed(t *testing.T) {
	reg := libraryRegistry(t)
	good := pg.DNP3Link(0x0B, 1, 10, nil)
	shortLen := append([]byte(nil), good...)
	shortLen[2] = 4
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"garbage before a frame", cat([]byte{0x01, 0x02, 0x05}, good), []string{"skipped magic", "frame "}},
		{"length below 5", cat(shortLen, good), []string{"skipped framing length is out of range", "frame "}},
		{"frame cut by the end of the stream", good[:7], []string{"frame stream ended"}},
		{"backwards range", dnpResp(pg.DNP3Response(pg.DNP3FIR|pg.DNP3FIN|1, 129, 0, pg.DNP3Objects(30, 4, 0x00, []byte{5, 2}))), []string{"frame stop index before start index"}},
		{"reserved range code", dnpReq(pg.DNP3Request(1, 1, pg.DNP3Objects(30, 4, 0x0A, nil))), []string{"frame reserved range code"}},
		{"points past the fragment", dnpResp(pg.DNP3Response(pg.DNP3FIR|pg.DNP3FIN|1, 129, 0, pg.DNP3Objects(30, 3, 0x09, le32b(0xFFFFFFFF)))), []string{"frame limit reached"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs := decodeChunks(t, reg, "dnp3", []chunk{{ServerToClient, tc.data}})
			checkRecordRun(t, recs, tc.want, len(tc.data))
		})
	}
}

// Over UDP, a datagram holds one or more link frames.
func TestDNP3UDP(t *testing.T) {
	reg := libraryRegistry(t)
	d := cat(dnpReq(pg.DNP3Request(2, 1, pg.DNP3Objects(60, 1, 0x06, nil))), pg.DNP3Link(pg.DNP3DIR|pg.DNP3PRM|9, 10, 1, nil))
	r := decodeDatagram(t, reg, "dnp3udp", ClientToServer, d)
	if r.Err != "" {
		t.Fatalf("record %v", r)
	}
	for path, want := range map[string]string{
		"first.user_data.application.function": "Read (1)",
		"more.0.frame.control.function":        "REQUEST_LINK_STATUS (9)",
	} {
		if got := r.Field(t, path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
}

// dnpSegments splits an application fragment into link frames from the
// outstation, n bytes of it a segment, with transport sequence numbers
// from seq on.
func dnpSegments(app []byte, n int, seq byte) [][]byte {
	var frames [][]byte
	for off := 0; off < len(app); off += n {
		end := min(off+n, len(app))
		frames = append(frames, pg.DNP3Link(pg.DNP3PRM|4, 1, 10, pg.DNP3Transport(end == len(app), off == 0, seq, app[off:end])))
		seq = (seq + 1) & 0x3F
	}
	return frames
}

// Application fragments that span link frames are joined from their
// transport segments and decoded once whole, as dnp3_app records after the
// frame that completed them; a lost, repeated or missing segment, a new
// first segment, the end of the connection and an oversized fragment give
// an error record with the bytes of the pieces that make no fragment.
func TestDNP3JoinedFragments(t *testing.T) {
	reg := libraryRegistry(t)
	var points [][]byte
	for i := range 40 {
		points = append(points, le32b(uint32(1000+i)))
	}
	// 30 objects of group 30 variation 3 (32-bit analog without flag).
	app := pg.DNP3Response(pg.DNP3FIR|pg.DNP3FIN|3, 129, 0, pg.DNP3Objects(30, 3, 0x00, []byte{0, 39}, points...))
	two := dnpSegments(app, (len(app)+1)/2, 10)
	three := dnpSegments(app, (len(app)+2)/3, 62) // sequence numbers 62, 63, 0
	if len(two) != 2 || len(three) != 3 {
		t.Fatalf("%d and %d segments", len(two), len(three))
	}
	third := (len(app) + 2) / 3
	big := make([]byte, 70000)
	copy(big, app)
	huge := dnpSegments(big, 249, 0)
	const whole = "Application fragment, Response (129): 32-Bit Analog Input Without Flag (0x1e03)"
	tests := []struct {
		name   string
		frames [][]byte
		want   []string // "proto kind|part of the summary or error", one per record
		length []int    // the records' lengths, where checked (0: not)
	}{
		{"two segments", two, []string{
			"dnp3 frame|(4), first segment of a fragment",
			"dnp3 frame|(4), last segment of a fragment",
			"dnp3_app frame|" + whole,
		}, []int{0, 0, len(app)}},
		{"three segments, sequence wraps", three, []string{
			"dnp3 frame|(4), first segment",
			"dnp3 frame|(4), middle segment",
			"dnp3 frame|(4), last segment",
			"dnp3_app frame|" + whole,
		}, []int{0, 0, 0, len(app)}},
		{"middle segment lost", [][]byte{three[0], three[2]}, []string{
			"dnp3 frame|(4), first segment",
			"dnp3 frame|(4), last segment",
			"dnp3_app skipped|piece out of sequence: expected 63, got 0",
		}, []int{0, 0, len(app) - third}},
		{"a segment repeated, then the fragment again", [][]byte{two[0], two[0], two[1]}, []string{
			"dnp3 frame|(4), first segment",
			"dnp3 frame|(4), first segment",
			"dnp3_app skipped|incomplete message: a new first piece came before its last piece",
			"dnp3 frame|(4), last segment",
			"dnp3_app frame|" + whole,
		}, []int{0, 0, (len(app) + 1) / 2, 0, len(app)}},
		{"later segments without the first", [][]byte{three[1], three[2], two[0], two[1]}, []string{
			"dnp3 frame|(4), middle segment",
			"dnp3_app skipped|piece of a message whose first piece was not seen",
			"dnp3 frame|(4), last segment",
			"dnp3_app skipped|piece of a message whose first piece was not seen",
			"dnp3 frame|(4), first segment",
			"dnp3 frame|(4), last segment",
			"dnp3_app frame|" + whole,
		}, []int{0, third, 0, len(app) - 2*third, 0, 0, len(app)}},
		{"the connection ends before the last segment", three[:2], []string{
			"dnp3 frame|(4), first segment",
			"dnp3 frame|(4), middle segment",
			"dnp3_app skipped|incomplete message: the connection ended before its last piece (2 pieces joined)",
		}, []int{0, 0, 2 * third}},
		{"a fragment over the limit", huge, append(repeat("dnp3 frame|(4), ", len(huge)),
			"dnp3_app skipped|joined message of 70000 bytes is over the limit of 65536; skipped"),
			append(make([]int, len(huge)), 70000)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			chunks := make([]chunk, len(tc.frames))
			for i, f := range tc.frames {
				chunks[i] = chunk{ServerToClient, f}
			}
			recs := decodeChunks(t, reg, "dnp3", chunks)
			checkJoinRecords(t, recs, tc.want, tc.length)
			for i, r := range recs {
				if r.Proto == "dnp3" && r.Err != "" {
					t.Errorf("record %d: link frame with an error: %v", i, r)
				}
			}
			if last := recs[len(recs)-1]; last.Kind == KindFrame && last.Proto == "dnp3_app" {
				if got := strings.TrimSpace(last.Field(t, "application.objects.0.points.39.value")); got != "1039" {
					t.Errorf("last point %s, want 1039", got)
				}
				if got := last.Field(t, "application.seq"); got != "3" {
					t.Errorf("application sequence %s, want 3", got)
				}
			}
		})
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// Joining the segments of application fragments allocates nothing once
// the buffers have grown: b.N fragments of three segments on one
// connection.
func BenchmarkDNP3JoinedFragments(b *testing.B) {
	reg := libraryRegistry(b)
	d, _ := reg.ByName("dnp3")
	var points [][]byte
	for i := range 40 {
		points = append(points, le32b(uint32(i)))
	}
	app := pg.DNP3Response(pg.DNP3FIR|pg.DNP3FIN|3, 129, 0, pg.DNP3Objects(30, 3, 0x00, []byte{0, 39}, points...))
	var stream []byte
	for _, f := range dnpSegments(app, (len(app)+2)/3, 0) {
		stream = append(stream, f...)
	}
	sink := &nopSink{}
	conn := d.NewConnection(&Conn{Transport: "tcp"}, sink)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		// The sequence numbers restart at 0 with each fragment's FIR.
		if err := conn.Feed(ServerToClient, stream, feedLoc{uint64(i + 1)}, false); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if sink.n < 4*b.N {
		b.Fatalf("%d records for %d fragments", sink.n, b.N)
	}
}

// Over UDP the transport segments of one conversation and direction are
// joined as over TCP: the datagrams of the other direction do not break a
// fragment being joined, a lost segment gives a skipped record, and the
// end of the conversation reports a fragment left without its last
// segment.
func TestDNP3UDPJoinedFragments(t *testing.T) {
	reg := libraryRegistry(t)
	var points [][]byte
	for i := range 40 {
		points = append(points, le32b(uint32(1000+i)))
	}
	app := pg.DNP3Response(pg.DNP3FIR|pg.DNP3FIN|3, 129, 0, pg.DNP3Objects(30, 3, 0x00, []byte{0, 39}, points...))
	three := dnpSegments(app, (len(app)+2)/3, 5)
	third := (len(app) + 2) / 3
	confirm := dnpReq(pg.DNP3Request(0xC3, 0, nil))
	const whole = "Application fragment, Response (129): 32-Bit Analog Input Without Flag (0x1e03)"
	type dgram struct {
		dir  Direction
		data []byte
	}
	tests := []struct {
		name   string
		dgrams []dgram
		want   []string // "proto kind|part of the summary or error"
		length []int    // the records' lengths, where checked (0: not)
	}{
		{"three datagrams, a request between them", []dgram{
			{ServerToClient, three[0]}, {ClientToServer, confirm}, {ServerToClient, three[1]}, {ServerToClient, three[2]},
		}, []string{
			"dnp3udp frame|first segment",
			"dnp3udp frame|Confirm",
			"dnp3udp frame|middle segment",
			"dnp3udp frame|last segment",
			"dnp3_app frame|" + whole,
		}, []int{0, 0, 0, 0, len(app)}},
		{"two segments in one datagram, the last in another", []dgram{
			{ServerToClient, cat(three[0], three[1])}, {ServerToClient, three[2]},
		}, []string{
			"dnp3udp frame|first segment",
			"dnp3udp frame|last segment",
			"dnp3_app frame|" + whole,
		}, []int{0, 0, len(app)}},
		{"middle datagram lost", []dgram{
			{ServerToClient, three[0]}, {ServerToClient, three[2]},
		}, []string{
			"dnp3udp frame|first segment",
			"dnp3udp frame|last segment",
			"dnp3_app skipped|piece out of sequence: expected 6, got 7",
		}, []int{0, 0, len(app) - third}},
		{"the conversation ends before the last segment", []dgram{
			{ServerToClient, three[0]}, {ServerToClient, three[1]},
		}, []string{
			"dnp3udp frame|first segment",
			"dnp3udp frame|middle segment",
			"dnp3_app skipped|incomplete message: the conversation ended before its last piece (2 pieces joined)",
		}, []int{0, 0, 2 * third}},
	}
	d, ok := reg.ByName("dnp3udp")
	if !ok {
		t.Fatal("no dnp3udp")
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			col := &frameCollector{ws: true}
			cv := d.NewConversation(&Conn{Transport: "udp"}, col)
			for i, g := range tc.dgrams {
				if err := cv.Datagram(g.dir, g.data, Packet{Number: uint64(i + 1)}); err != nil {
					t.Fatal(err)
				}
			}
			if err := cv.Close(Packet{Number: uint64(len(tc.dgrams) + 1)}); err != nil {
				t.Fatal(err)
			}
			for _, e := range col.acctErr {
				t.Errorf("byte accounting: %s", e)
			}
			recs := col.frames
			checkJoinRecords(t, recs, tc.want, tc.length)
			if last := recs[len(recs)-1]; last.Kind == KindFrame && last.Proto == "dnp3_app" {
				if got := strings.TrimSpace(last.Field(t, "application.objects.0.points.39.value")); got != "1039" {
					t.Errorf("last point %s, want 1039", got)
				}
			}
		})
	}
}

// checkJoinRecords checks records against want, one "proto kind|text" per
// record (text: part of the summary, or of the error when there is one),
// and against length, the bytes of each record (0: any).
func checkJoinRecords(t *testing.T, recs []decodedFrame, want []string, length []int) {
	t.Helper()
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d: %v", len(recs), len(want), recs)
	}
	for i, r := range recs {
		text := r.Summary
		if r.Err != "" {
			text = r.Err
		}
		kind, part, _ := strings.Cut(want[i], "|")
		if got := r.Proto + " " + r.Kind.String(); got != kind || !strings.Contains(text, part) {
			t.Errorf("record %d: %s %q\nwant %s containing %q", i, got, text, kind, part)
		}
		if length[i] != 0 && r.Length != length[i] {
			t.Errorf("record %d: %d bytes, want %d", i, r.Length, length[i])
		}
	}
}
