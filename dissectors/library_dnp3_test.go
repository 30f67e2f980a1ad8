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
		{
			name: "first segment of a fragment in several frames", dir: ServerToClient,
			data:    pg.DNP3Link(pg.DNP3PRM|4, 1, 10, pg.DNP3Transport(false, true, 3, pg.DNP3Response(pg.DNP3FIR|pg.DNP3FIN|1, 129, 0, []byte{30, 3, 0, 0, 9}))),
			summary: "len=15, from 10 to 1, PRM, UNCONFIRMED_USER_DATA (4), Response (129)",
			fields:  map[string]string{"user_data.fin": "0", app + "partial": "1e03000009"},
			absent:  []string{app + "objects"},
		},
		{
			name: "a later segment", dir: ServerToClient,
			data:    pg.DNP3Link(pg.DNP3PRM|4, 1, 10, pg.DNP3Transport(true, false, 4, []byte{1, 2, 3})),
			summary: "len=9, from 10 to 1, PRM, UNCONFIRMED_USER_DATA (4), segment of a fragment (3 bytes)",
			fields:  map[string]string{"user_data.continuation.data": "010203"},
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
