package dissectors

import (
	"strings"
	"testing"

	"github.com/dissect-project/dissect/internal/pcapgen"
)

// Tests of the bundled HART-IP schema (library/hartip.dsl), on messages
// built from HCF_SPEC-85 (HART-IP), HCF_SPEC-81 (token-passing PDUs) and
// HCF_SPEC-127 (universal commands).

var hartLong = []byte{0xA6, 0x4E, 0x01, 0x02, 0x03}

func TestHARTIPMessages(t *testing.T) {
	reg := libraryRegistry(t)
	tests := []struct {
		name    string
		dir     Direction
		data    []byte
		summary string
		fields  map[string]string
	}{
		{"session initiate", ClientToServer, pcapgen.HARTIPMessage(0, 0, 0, 1, []byte{1, 0, 0, 0x75, 0x30}),
			"Session Initiate Request, Sequence Number 1, Primary Host, timeout 30000 ms",
			map[string]string{"version": "1", "message_type": "Request (0)", "message_id": "Session Initiate (0)",
				"status": "0", "sequence": "1", "byte_count": "13", "body.host_type": "Primary Host (1)"}},
		{"keep-alive response", ServerToClient, pcapgen.HARTIPMessage(1, 2, 0, 2, nil),
			"Keep Alive Response, Sequence Number 2", nil},
		{"session close", ClientToServer, pcapgen.HARTIPMessage(0, 1, 0, 9, nil), "Session Close Request, Sequence Number 9", nil},
		{"error", ServerToClient, pcapgen.HARTIPMessage(3, 0, 0, 1, []byte{2}),
			"Session Initiate Error, Sequence Number 1, Service unavailable", nil},
		{"command 0, short address", ClientToServer, pcapgen.HARTIPMessage(0, 3, 0, 3, pcapgen.HARTPDU(2, []byte{0x81}, 0, nil)),
			"Pass Through Request, Sequence Number 3, STX: Read Unique Identifier",
			map[string]string{"body.pdu.delimiter": "0x02", "body.pdu.is_long": "0", "body.pdu.short_addr": "1",
				"body.pdu.primary_host": "1", "body.pdu.command": "Read Unique Identifier (0)", "body.pdu.length": "0",
				"body.pdu.checksum": "0x83 [correct]"}},
		{"command 0 reply", ServerToClient, pcapgen.HARTIPMessage(1, 3, 0, 3, pcapgen.HARTPDU(6, []byte{0x80}, 0,
			[]byte{0, 0, 254, 0x26, 0x4E, 5, 7, 2, 3, 0x0C, 0x01, 0x01, 0x02, 0x03, 5, 4, 0x00, 0x12, 0x00, 0x00, 0x26, 0x00, 0x26, 1})),
			"Pass Through Response, Sequence Number 3, ACK: Read Unique Identifier, response code 0, device type 0x264e",
			map[string]string{"body.pdu.body.data.universal_rev": "7", "body.pdu.body.data.device_id": "010203",
				"body.pdu.body.data.manufacturer": "0x0026", "body.pdu.body.data.device_profile": "1"}},
		{"command 1 with preambles and a long address", ClientToServer,
			pcapgen.HARTIPMessage(0, 3, 0, 4, append([]byte{0xFF, 0xFF}, pcapgen.HARTPDU(2, hartLong, 1, nil)...)),
			"", map[string]string{"body.preambles": "2 items", "body.pdu.delimiter": "0x82", "body.pdu.long_address": "a64e010203",
				"body.pdu.primary_host": "1"}},
		{"command 3 reply", ServerToClient, pcapgen.HARTIPMessage(1, 3, 0, 6, pcapgen.HARTPDU(6, hartLong, 3,
			[]byte{0, 0, 0x41, 0x48, 0, 0, 32, 0x41, 0xAA, 0, 0})),
			"Pass Through Response, Sequence Number 6, ACK: Read Dynamic Variables And Loop Current, response code 0, PV 21.25",
			map[string]string{"body.pdu.body.data.loop_current": "12.5 mA", "body.pdu.body.data.pv_units": "32"}},
		{"busy reply", ServerToClient, pcapgen.HARTIPMessage(1, 3, 0, 8, pcapgen.HARTPDU(6, hartLong, 38, []byte{32, 0x40})),
			"", map[string]string{"body.pdu.body.response_code": "32", "body.pdu.body.device_status": "0x40"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := decodeDatagram(t, reg, "hartip", tt.dir, tt.data)
			if f.Err != "" || (tt.summary != "" && f.Summary != tt.summary) {
				t.Errorf("udp: %v, want summary %q", f, tt.summary)
			}
			for path, want := range tt.fields {
				if got := f.Field(t, path); got != want {
					t.Errorf("%s = %q, want %q", path, got, want)
				}
			}
			recs := checkEverySplit(t, reg, "hartip", tt.dir, tt.data)
			checkRecordRun(t, recs, []string{"frame "}, len(tt.data))
		})
	}
}

func TestHARTIPErrors(t *testing.T) {
	reg := libraryRegistry(t)
	badSum := pcapgen.HARTIPMessage(0, 3, 0, 3, pcapgen.HARTPDU(2, []byte{0x80}, 0, nil))
	badSum[len(badSum)-1] ^= 0xFF
	f := decodeDatagram(t, reg, "hartip", ClientToServer, badSum)
	// A bad checksum is reported on the field; decoding goes on.
	if sum := f.Field(t, "body.pdu.checksum"); f.Err != "" || !strings.Contains(sum, "incorrect, should be 0x82") {
		t.Errorf("bad checksum: %v, checksum %q", f, sum)
	}
	tests := []struct {
		name string
		data []byte
		err  string
	}{
		{"byte count disagrees", func() []byte { b := pcapgen.HARTIPMessage(0, 2, 0, 1, nil); return append(b, 0) }(), "the byte count does not match"},
		{"version 3", func() []byte { b := pcapgen.HARTIPMessage(0, 2, 0, 1, nil); b[0] = 3; return b }(), "version: out of range"},
		{"unknown frame type", pcapgen.HARTIPMessage(0, 3, 0, 1, pcapgen.HARTPDU(3, []byte{0x80}, 0, nil)), "unknown HART frame type"},
		{"PDU cut", pcapgen.HARTIPMessage(0, 3, 0, 1, []byte{0x82, 0xA6, 0x4E}), "truncated"},
		{"PDU byte count too large", pcapgen.HARTIPMessage(0, 3, 0, 1, []byte{0x02, 0x80, 0x00, 0xF0, 0x00}), "truncated"},
		{"header cut", []byte{1, 0, 2, 0, 0}, "truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := decodeDatagram(t, reg, "hartip", ClientToServer, tt.data)
			if !strings.Contains(f.Err, tt.err) {
				t.Errorf("error %q, want one containing %q", f.Err, tt.err)
			}
		})
	}
	// Over TCP, pairing by sequence number, and a hostile byte count below
	// the header's size is skipped.
	recs := decodeChunks(t, reg, "hartip", []chunk{{ClientToServer, []byte{1, 0, 2, 0, 0, 1, 0, 3}}})
	checkRecordRun(t, recs, []string{"skipped out of range"}, 8)
	recs = decodeChunks(t, reg, "hartip", []chunk{
		{ClientToServer, pcapgen.HARTIPMessage(0, 2, 0, 7, nil)},
		{ServerToClient, pcapgen.HARTIPMessage(1, 2, 0, 7, nil)},
		{ServerToClient, pcapgen.HARTIPMessage(1, 2, 0, 8, nil)},
	})
	var got []string
	for _, r := range recs {
		got = append(got, r.Kind.String()+" "+r.Pair.Status.String())
	}
	if want := "frame request frame matched frame unsolicited"; strings.Join(got, " ") != want {
		t.Errorf("records %v, want %s", got, want)
	}
}
