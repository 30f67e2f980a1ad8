package dissectors

import (
	"strings"
	"testing"

	pg "github.com/dissect-project/dissect/internal/pcapgen"
)

// MMS over TPKT/COTP/session/presentation, with frames built by the
// builders of internal/pcapgen from X.225, X.226, X.227 and ISO 9506-2.

// mmsRecords feeds one direction's TPKTs to the tpkt dissector and returns
// the records of the mms protocol streamed from it, and the TPKT records.
func mmsRecords(t *testing.T, reg *Registry, dir Direction, stream []byte) (mms, tpkt []decodedFrame) {
	t.Helper()
	for _, r := range decodeChunks(t, reg, "tpkt", []chunk{{dir, stream}}) {
		if r.Kind == KindFrame && strings.HasPrefix(r.Summary, "DT TPDU, ISO session") || r.Kind == KindFrame && strings.HasPrefix(r.Summary, "C") && strings.Contains(r.Summary, "src-ref") {
			tpkt = append(tpkt, r)
			continue
		}
		if r.Kind != KindUnanswered {
			mms = append(mms, r)
		}
	}
	return mms, tpkt
}

// tsdu wraps a session TSDU in DT TPDUs of at most seg bytes each.
func tsdu(data []byte, seg int) []byte {
	var b []byte
	for off := 0; off < len(data); off += seg {
		end := min(off+seg, len(data))
		b = append(b, pg.TPKT(pg.COTPData(data[off:end], end == len(data)))...)
	}
	return b
}

func TestMMSMessages(t *testing.T) {
	reg := libraryRegistry(t)
	const pdv = "user_data.elements.0.elements.1.elements.0" // DT: fully-encoded-data, PDV, single-ASN1-type, MMS PDU
	cn := pg.SessionConnect(0x0D, pg.PresentationCP(pg.ACSEAssociate(0x60, pg.MMSInitiate(0xA8))), true)
	tests := []struct {
		name    string
		dir     Direction
		data    []byte // a session TSDU
		seg     int    // DT TPDU size
		summary string
		fields  map[string]string
	}{
		{
			name: "CN with CP, AARQ and initiate-Request, in three DT TPDUs", dir: ClientToServer, data: cn, seg: 64,
			summary: "CN Connect (13), initiate-RequestPDU (8)",
			fields: map[string]string{
				"spdu": "CN Connect (13)", "length": "148",
				"parameters.0.code": "Connect/Accept Item (5)", "parameters.0.length": "6",
				"parameters.0.value.parameters.0.code": "Protocol Options (19)", "parameters.0.value.parameters.0.value.flags": "0x00",
				"parameters.0.value.parameters.1.value.flags": "0x02",
				"parameters.1.value.flags":                    "0x0002",
				"parameters.2.value.selector":                 "0001", "parameters.3.value.selector": "0002",
				"parameters.4.code":       "Session User Data (193)",
				"parameters.4.value.name": "CP-type / CPA-PPDU (1)", "parameters.4.value.class": "Universal (0)", "parameters.4.value.constructed": "1",
				"parameters.4.value.number":                                                                 "17",
				"parameters.4.value.elements.1.name":                                                        "normal-mode-parameters (2)",
				"parameters.4.value.elements.1.elements.2.name":                                             "presentation-context-definition-(result-)list (10)",
				"parameters.4.value.elements.1.elements.2.elements.1.elements.0.context_id":                 "3",
				"parameters.4.value.elements.1.elements.3.name":                                             "fully-encoded-data (3)",
				"parameters.4.value.elements.1.elements.3.elements.0.elements.0.context_id":                 "1",
				"parameters.4.value.elements.1.elements.3.elements.0.elements.1.elements.0.acse":            "AARQ (A-ASSOCIATE request) (0)",
				"parameters.4.value.elements.1.elements.3.elements.0.elements.1.elements.0.elements.1.name": "user-information (8)",
				"mms.pdu": "initiate-RequestPDU (8)",
			},
		},
		{
			name: "AC with CPA, AARE and initiate-Response", dir: ServerToClient, seg: 1000,
			data:    pg.SessionConnect(0x0E, pg.PresentationCPA(pg.ACSEAssociate(0x61, pg.MMSInitiate(0xA9))), false),
			summary: "AC Accept (14), initiate-ResponsePDU (9)",
			fields:  map[string]string{"spdu": "AC Accept (14)", "mms.pdu": "initiate-ResponsePDU (9)"},
		},
		{
			name: "confirmed request: read, with the item names as text", dir: ClientToServer, seg: 1000,
			data:    pg.MMSISO(pg.MMSConfirmed(0xA0, 300, pg.MMSReadRequest("LD0", "LLN0$ST$Mod$stVal"))),
			summary: "DT Data Transfer / GT Give Tokens (1), confirmed-RequestPDU (0) invokeID 300, read (4)",
			fields: map[string]string{
				"spdu": "DT Data Transfer / GT Give Tokens (1)", "length": "0", "data_transfer.spdu": "DT Data Transfer / GT Give Tokens (1)",
				"user_data.name": "fully-encoded-data (3)", "user_data.elements.0.name": "PDV-list (4)",
				"user_data.elements.0.elements.0.context_id": "3",
				pdv + ".pdu":                  "confirmed-RequestPDU (0)",
				pdv + ".elements.0.invoke_id": "300",
				pdv + ".elements.0.integer":   "300",
				pdv + ".elements.1.service":   "read (4)",
				pdv + ".elements.1.elements.0.elements.0.elements.0.elements.0.elements.0.elements.1.text": `"LLN0$ST$Mod$stVal"`,
				"mms.invoke.invoke_id": "300", "mms.service.service": "read (4)",
			},
		},
		{
			name: "confirmed response with a negative invokeID-sized integer", dir: ServerToClient, seg: 1000,
			data:    pg.MMSISO(pg.MMSConfirmed(0xA1, 70000, pg.BER(0xA4, pg.BER(0xA1, pg.BER(0x85, []byte{0xFF, 0x38}))))),
			summary: "DT Data Transfer / GT Give Tokens (1), confirmed-ResponsePDU (1) invokeID 70000, read (4)",
			fields:  map[string]string{pdv + ".elements.1.service_response": "read (4)", pdv + ".elements.1.elements.0.elements.0.value": "ff38"},
		},
		{
			name: "indefinite length and a long-form length", dir: ClientToServer, seg: 1000,
			data: pg.MMSISO(pg.MMSConfirmed(0xA0, 1, pg.BER(0xA1,
				pg.BER(0xA0, pg.BER(0x80, []byte{0})), pg.BERIndefinite(0xA1, pg.BER(0x81, []byte(strings.Repeat("x", 200))))))),
			summary: "DT Data Transfer / GT Give Tokens (1), confirmed-RequestPDU (0) invokeID 1, getNameList (1)",
			fields: map[string]string{
				pdv + ".elements.1.elements.1.length":                      "0",
				pdv + ".elements.1.elements.1.elements_until_eoc.0.length": "200",
				pdv + ".elements.1.elements.1.elements_until_eoc.1.number": "0",
				pdv + ".elements.1.elements.1.elements_until_eoc.1.length": "0",
			},
		},
		{
			name: "a two-byte tag number", dir: ClientToServer, seg: 1000,
			data:    pg.MMSISO(pg.BER(0xA3, []byte{0x9F, 0x81, 0x05, 0x01, 0x07})),
			summary: "DT Data Transfer / GT Give Tokens (1), unconfirmed-PDU (3)",
			fields:  map[string]string{pdv + ".elements.0.number": "31", pdv + ".elements.0.tag": "133", pdv + ".elements.0.value": "07"},
		},
		{
			name: "conclude request", dir: ClientToServer, seg: 1000, data: pg.MMSISO(pg.BER(0x8B)),
			summary: "DT Data Transfer / GT Give Tokens (1), conclude-RequestPDU (11)",
		},
		{
			name: "finish with an ACSE release request", dir: ClientToServer, seg: 1000,
			data:    pg.SessionSPDU(0x09, pg.SessionParam(0x11, []byte{3}), pg.SessionParam(0xC1, pg.PresentationUserData(1, pg.BER(0x62, pg.BER(0x80, []byte{0}))))),
			summary: "FN Finish (9)",
			fields:  map[string]string{"parameters.0.code": "Transport Disconnect (17)", "parameters.1.value.elements.0.elements.1.elements.0.acse": "RLRQ (A-RELEASE request) (2)"},
		},
		{
			name: "abort", dir: ServerToClient, seg: 1000, data: pg.SessionSPDU(0x19, pg.SessionParam(0x11, []byte{9})),
			summary: "AB Abort (25)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stream := tsdu(tc.data, tc.seg)
			mms, tpkt := mmsRecords(t, reg, tc.dir, stream)
			if want := (len(tc.data) + tc.seg - 1) / tc.seg; len(tpkt) != want {
				t.Errorf("%d TPKT records, want %d", len(tpkt), want)
			}
			if len(mms) != 1 {
				t.Fatalf("%d mms records, want 1: %v", len(mms), mms)
			}
			r := mms[0]
			if r.Err != "" || r.Length != len(tc.data) {
				t.Fatalf("record %v, want a good frame of %d bytes", r, len(tc.data))
			}
			if r.Summary != tc.summary {
				t.Errorf("summary %q, want %q", r.Summary, tc.summary)
			}
			for path, want := range tc.fields {
				if got := r.Field(t, path); got != want {
					t.Errorf("%s = %q, want %q", path, got, want)
				}
			}
		})
	}
}

// Requests and responses pair by invokeID, in both directions.
func TestMMSPairing(t *testing.T) {
	reg := libraryRegistry(t)
	req := func(id int64) []byte { return tsdu(pg.MMSISO(pg.MMSConfirmed(0xA0, id, pg.BER(0x82))), 1000) }
	resp := func(id int64) []byte {
		return tsdu(pg.MMSISO(pg.MMSConfirmed(0xA1, id, pg.BER(0xA2, pg.BER(0x80, []byte("v"))))), 1000)
	}
	recs := decodeChunks(t, reg, "tpkt", []chunk{
		{ClientToServer, cat(req(1), req(2))}, {ServerToClient, resp(2)}, {ServerToClient, resp(1)}, {ServerToClient, resp(9)},
	})
	var got []string
	for _, r := range recs {
		if strings.HasPrefix(r.Summary, "DT Data Transfer") {
			got = append(got, r.Pair.Status.String())
		}
	}
	want := "request request matched matched unsolicited"
	if strings.Join(got, " ") != want {
		t.Errorf("pair statuses %v, want %s", got, want)
	}
}

// Every way of cutting the TCP stream gives the same records, with TSDUs
// split over DT TPDUs too.
func TestMMSEverySplit(t *testing.T) {
	reg := libraryRegistry(t)
	stream := cat(
		pg.TPKT(pg.COTPConnect(0xE0, 0, 1, []byte{0, 1}, []byte{0, 1})),
		tsdu(pg.MMSISO(pg.MMSConfirmed(0xA0, 7, pg.MMSReadRequest("LD0", "X"))), 17),
		tsdu(pg.MMSISO(pg.BER(0x8B)), 1000),
	)
	recs := checkEverySplit(t, reg, "tpkt", ClientToServer, stream)
	n := 0
	for _, r := range recs {
		if r.Err != "" && r.Kind != KindUnanswered {
			t.Errorf("record %v", r)
		}
		if strings.HasPrefix(r.Summary, "DT Data Transfer") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d MMS frames, want 2: %v", n, recs)
	}
}

// Malformed and hostile BER and SPDUs: a clear error, never a panic.
func TestMMSMalformed(t *testing.T) {
	reg := libraryRegistry(t)
	dt := func(ppdu []byte) []byte { return append([]byte{1, 0, 1, 0}, ppdu...) }
	tests := []struct {
		name string
		data []byte // a session TSDU
		err  string
	}{
		{"element length beyond its parent", dt([]byte{0x61, 0x05, 0x30, 0x09, 0x02, 0x01, 0x03}), "truncated: expected 9 bytes"},
		{"five-byte length", dt([]byte{0x61, 0x07, 0x30, 0x85, 1, 0, 0, 0, 0}), "BER length of more than four bytes"},
		{"indefinite primitive", dt([]byte{0x61, 0x04, 0x30, 0x02, 0x02, 0x80}), "indefinite length on a primitive element"},
		{"three-byte tag number", dt([]byte{0x61, 0x05, 0x9F, 0x81, 0x82, 0x03, 0x00}), "BER tag number of more than two bytes"},
		{"indefinite element without end-of-contents", dt([]byte{0x61, 0x04, 0x30, 0x80, 0x02, 0x00}), "truncated"},
		{"unknown SPDU", []byte{0x33, 0x01, 0x00}, "unknown SI"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// A good TSDU first: the connection carries ISO session data.
			good := tsdu(pg.MMSISO(pg.BER(0x8B)), 1000)
			mms, _ := mmsRecords(t, reg, ClientToServer, cat(good, tsdu(tc.data, 1000)))
			if len(mms) != 2 || mms[0].Err != "" || !strings.Contains(mms[1].Err, tc.err) {
				t.Fatalf("records %v, want a good frame then an error containing %q", mms, tc.err)
			}
		})
	}
}
