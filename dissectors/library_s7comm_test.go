package dissectors

import (
	"encoding/binary"
	"testing"
)

// Byte builders for S7comm over COTP over TPKT: TPKT from RFC 1006, COTP
// from ISO 8073 (class 0 as RFC 1006 uses it), S7comm as Wireshark's
// packet-s7comm.c describes it.

// s7TPKT wraps a COTP TPDU in a TPKT header: version 3, reserved, length.
func s7TPKT(cotp []byte) []byte {
	b := []byte{3, 0, 0, 0}
	binary.BigEndian.PutUint16(b[2:], uint16(4+len(cotp)))
	return append(b, cotp...)
}

// s7DT is a class 0 DT TPDU: LI 2, code 0xF0, EOT and TPDU number, data.
func s7DT(data []byte, eot bool, nr byte) []byte {
	b := []byte{2, 0xF0, nr}
	if eot {
		b[2] |= 0x80
	}
	return append(b, data...)
}

// s7Connect is a CR (0xE0) or CC (0xD0) TPDU with the usual parameters of
// an S7 connection: TPDU size 1024, calling and called TSAPs.
func s7Connect(code byte, dst, src uint16, calling, called []byte) []byte {
	b := []byte{0, code, byte(dst >> 8), byte(dst), byte(src >> 8), byte(src), 0x00}
	b = append(b, 0xC0, 1, 0x0A)
	b = append(b, 0xC1, byte(len(calling)))
	b = append(b, calling...)
	b = append(b, 0xC2, byte(len(called)))
	b = append(b, called...)
	b[0] = byte(len(b) - 1)
	return b
}

// s7PDU builds an S7comm PDU; Ack (2) and Ack_Data (3) carry the error
// class and code.
func s7PDU(rosctr byte, ref uint16, param, data []byte, errClass, errCode byte) []byte {
	b := []byte{0x32, rosctr, 0, 0, byte(ref >> 8), byte(ref), byte(len(param) >> 8), byte(len(param)), byte(len(data) >> 8), byte(len(data))}
	if rosctr == 2 || rosctr == 3 {
		b = append(b, errClass, errCode)
	}
	b = append(b, param...)
	return append(b, data...)
}

// s7Frame is an S7comm PDU in a DT TPDU in a TPKT, as sent on port 102.
func s7Frame(pdu []byte) []byte { return s7TPKT(s7DT(pdu, true, 0)) }

// s7Item is an S7ANY variable specification: transport size, count, DB
// number, area and a bit address of byte and bit.
func s7Item(tsize byte, count, db uint16, area byte, byteAddr uint32, bit byte) []byte {
	a := byteAddr<<3 | uint32(bit)
	return []byte{0x12, 0x0A, 0x10, tsize, byte(count >> 8), byte(count), byte(db >> 8), byte(db), area, byte(a >> 16), byte(a >> 8), byte(a)}
}

func s7Cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// S7comm functions and areas.
const (
	s7Job      = 1
	s7Ack      = 2
	s7AckData  = 3
	s7Userdata = 7
	s7AreaDB   = 0x84
	s7AreaM    = 0x83
)

var (
	s7SetupJob  = s7Frame(s7PDU(s7Job, 0, []byte{0xF0, 0, 0, 1, 0, 1, 0x01, 0xE0}, nil, 0, 0))
	s7SetupAck  = s7Frame(s7PDU(s7AckData, 0, []byte{0xF0, 0, 0, 1, 0, 1, 0x00, 0xF0}, nil, 0, 0))
	s7ReadJob   = s7Frame(s7PDU(s7Job, 1, s7Cat([]byte{4, 2}, s7Item(2, 3, 1, s7AreaDB, 0, 0), s7Item(1, 1, 0, s7AreaM, 10, 3)), nil, 0, 0))
	s7ReadReply = s7Frame(s7PDU(s7AckData, 1, []byte{4, 2}, []byte{0xFF, 0x04, 0x00, 0x18, 1, 2, 3, 0x00, 0xFF, 0x03, 0x00, 0x01, 0x01}, 0, 0))
)

func TestS7commMessages(t *testing.T) {
	reg := libraryRegistry(t)
	tests := []struct {
		name    string
		dir     Direction
		data    []byte
		summary string
		fields  map[string]string
		absent  []string
	}{
		{
			name:    "COTP connection request",
			dir:     ClientToServer,
			data:    s7TPKT(s7Connect(0xE0, 0, 1, []byte{0x01, 0x00}, []byte{0x01, 0x02})),
			summary: "CR Connect Request src-ref: 0x0001 dst-ref: 0x0000",
			fields: map[string]string{
				"version": "3", "reserved": "0", "length": "22", "cotp.li": "17",
				"cotp.tpdu.type": "CR Connect Request (14)", "cotp.tpdu.dst_ref": "0x0000", "cotp.tpdu.src_ref": "0x0001",
				"cotp.tpdu.class": "0", "cotp.tpdu.params.0.code": "TPDU size (192)", "cotp.tpdu.params.0.value": "1024 (10)",
				"cotp.tpdu.params.1.code": "Calling TSAP (source) (193)", "cotp.tpdu.params.1.value.tsap": "0100",
				"cotp.tpdu.params.2.code": "Called TSAP (destination) (194)", "cotp.tpdu.params.2.value.tsap": "0102",
			},
			absent: []string{"cotp.payload.s7comm", "cotp.payload.data"},
		},
		{
			name:    "COTP connection confirm",
			dir:     ServerToClient,
			data:    s7TPKT(s7Connect(0xD0, 1, 2, []byte{0x01, 0x00}, []byte{0x01, 0x02})),
			summary: "CC Connect Confirm src-ref: 0x0002 dst-ref: 0x0001",
			fields:  map[string]string{"cotp.tpdu.type": "CC Connect Confirm (13)", "cotp.tpdu.dst_ref": "0x0001"},
		},
		{
			name:    "COTP disconnect request",
			dir:     ClientToServer,
			data:    s7TPKT([]byte{6, 0x80, 0, 1, 0, 2, 0x80}),
			summary: "DR Disconnect Request (8) src-ref: 0x0002 dst-ref: 0x0001, Normal disconnect initiated by the session entity (128)",
			fields:  map[string]string{"cotp.tpdu.reason": "Normal disconnect initiated by the session entity (128)"},
		},
		{
			name:    "COTP disconnect confirm",
			dir:     ServerToClient,
			data:    s7TPKT([]byte{5, 0xC0, 0, 2, 0, 1}),
			summary: "DC Disconnect Confirm (12) src-ref: 0x0001 dst-ref: 0x0002",
		},
		{
			name:    "COTP TPDU error",
			dir:     ServerToClient,
			data:    s7TPKT([]byte{4, 0x70, 0, 1, 2}),
			summary: "ER TPDU Error (7): Invalid TPDU type (2)",
		},
		{
			name:    "setup communication job",
			dir:     ClientToServer,
			data:    s7SetupJob,
			summary: "S7comm Job #0, Setup communication, PDU length 480",
			fields: map[string]string{
				"length": "25", "cotp.li": "2", "cotp.tpdu.type": "DT Data (15)", "cotp.tpdu.eot": "1", "cotp.tpdu.tpdu_number": "0",
				"cotp.payload.s7comm.header.protocol_id":    "0x32",
				"cotp.payload.s7comm.header.rosctr":         "Job (1)",
				"cotp.payload.s7comm.header.pdu_ref":        "0",
				"cotp.payload.s7comm.header.param_length":   "8",
				"cotp.payload.s7comm.header.data_length":    "0",
				"cotp.payload.s7comm.param.function":        "Setup communication (240)",
				"cotp.payload.s7comm.param.max_amq_calling": "1",
				"cotp.payload.s7comm.param.max_amq_called":  "1",
				"cotp.payload.s7comm.param.pdu_length":      "480",
			},
			absent: []string{"cotp.payload.s7comm.header.error_class", "cotp.payload.s7comm.data"},
		},
		{
			name:    "setup communication ack data",
			dir:     ServerToClient,
			data:    s7SetupAck,
			summary: "S7comm Ack_Data #0 [No error], Setup communication, PDU length 240",
			fields: map[string]string{
				"cotp.payload.s7comm.header.error_class": "No error (0)", "cotp.payload.s7comm.header.error_code": "0x00",
			},
		},
		{
			name:    "read var job with two items",
			dir:     ClientToServer,
			data:    s7ReadJob,
			summary: "S7comm Job #1, Read Var, 2 items",
			fields: map[string]string{
				"cotp.payload.s7comm.param.item_count":                     "2",
				"cotp.payload.s7comm.param.items.0.var_spec":               "0x12",
				"cotp.payload.s7comm.param.items.0.addr_length":            "10",
				"cotp.payload.s7comm.param.items.0.syntax_id":              "S7ANY (16)",
				"cotp.payload.s7comm.param.items.0.address.transport_size": "BYTE (2)",
				"cotp.payload.s7comm.param.items.0.address.length":         "3",
				"cotp.payload.s7comm.param.items.0.address.db_number":      "1",
				"cotp.payload.s7comm.param.items.0.address.area":           "Data blocks (DB) (132)",
				"cotp.payload.s7comm.param.items.0.address.byte_address":   "0",
				"cotp.payload.s7comm.param.items.1":                        "Flags (M) (131) DB 0 10.3, 1 x BIT (1)",
				"cotp.payload.s7comm.param.items.1.address.byte_address":   "10",
				"cotp.payload.s7comm.param.items.1.address.bit_address":    "3",
			},
		},
		{
			name:    "read var ack data: an odd item is padded, the last is not",
			dir:     ServerToClient,
			data:    s7ReadReply,
			summary: "S7comm Ack_Data #1 [No error], Read Var, 2 item(s)",
			fields: map[string]string{
				"cotp.payload.s7comm.header.data_length":    "13",
				"cotp.payload.s7comm.data.0.return_code":    "Success (255)",
				"cotp.payload.s7comm.data.0.transport_size": "BYTE/WORD/DWORD (4)",
				"cotp.payload.s7comm.data.0.length":         "24",
				"cotp.payload.s7comm.data.0.length_shown":   "3", // Wireshark's length in bytes
				"cotp.payload.s7comm.data.1.length_shown":   "1", // BIT: in bits, as on the wire
				"cotp.payload.s7comm.data.0.data":           "010203",
				"cotp.payload.s7comm.data.0.fill":           "0",
				"cotp.payload.s7comm.data.1.transport_size": "BIT (3)",
				"cotp.payload.s7comm.data.1.data":           "01",
			},
			absent: []string{"cotp.payload.s7comm.data.1.fill"},
		},
		{
			name:    "read var ack data with an error item",
			dir:     ServerToClient,
			data:    s7Frame(s7PDU(s7AckData, 4, []byte{4, 1}, []byte{0x0A, 0, 0, 0}, 0, 0)),
			summary: "S7comm Ack_Data #4 [No error], Read Var, 1 item(s)",
			fields: map[string]string{
				"cotp.payload.s7comm.data.0.return_code": "Object does not exist (10)", "cotp.payload.s7comm.data.0.data": "(empty)",
			},
		},
		{
			name: "ack data with an error class and code",
			dir:  ServerToClient,
			data: s7Frame(s7PDU(s7AckData, 5, []byte{0x29}, nil, 0x81, 0x04)),
			fields: map[string]string{
				"cotp.payload.s7comm.header.error_class": "Application relationship error (129)",
				"cotp.payload.s7comm.header.error":       "0x8104",
			},
		},
		{
			name:    "write var job",
			dir:     ClientToServer,
			data:    s7Frame(s7PDU(s7Job, 2, s7Cat([]byte{5, 1}, s7Item(4, 1, 1, s7AreaDB, 4, 0)), []byte{0x00, 0x04, 0x00, 0x10, 0x12, 0x34}, 0, 0)),
			summary: "S7comm Job #2, Write Var, 1 item",
			fields: map[string]string{
				"cotp.payload.s7comm.param.items.0.address.transport_size": "WORD (4)",
				"cotp.payload.s7comm.param.items.0.address.byte_address":   "4",
				"cotp.payload.s7comm.data.0.return_code":                   "Reserved (0)",
				"cotp.payload.s7comm.data.0.data":                          "1234",
			},
		},
		{
			name:    "write var ack data",
			dir:     ServerToClient,
			data:    s7Frame(s7PDU(s7AckData, 2, []byte{5, 2}, []byte{0xFF, 0x05}, 0, 0)),
			summary: "S7comm Ack_Data #2 [No error], Write Var, 2 item(s)",
			fields: map[string]string{
				"cotp.payload.s7comm.data.0.return_code": "Success (255)", "cotp.payload.s7comm.data.1.return_code": "Invalid address (5)",
			},
		},
		{
			name:    "ack with an error and no parameter",
			dir:     ServerToClient,
			data:    s7Frame(s7PDU(s7Ack, 5, nil, nil, 0x85, 0x00)),
			summary: "S7comm Ack #5 [Error on supplies]",
			fields: map[string]string{
				"cotp.payload.s7comm.header.error_class": "Error on supplies (133)", "cotp.payload.s7comm.header.param_length": "0",
			},
			absent: []string{"cotp.payload.s7comm.data"},
		},
		{
			name:    "PLC stop job",
			dir:     ClientToServer,
			data:    s7Frame(s7PDU(s7Job, 6, s7Cat([]byte{0x29, 0, 0, 0, 0, 0, 9}, []byte("P_PROGRAM")), nil, 0, 0)),
			summary: "S7comm Job #6, PLC Stop",
			fields:  map[string]string{"cotp.payload.s7comm.param.data": "000000000009505f50524f4752414d"},
		},
		{
			name:    "userdata request: read SZL",
			dir:     ClientToServer,
			data:    s7Frame(s7PDU(s7Userdata, 3, []byte{0x00, 0x01, 0x12, 0x04, 0x11, 0x44, 0x01, 0x00}, []byte{0xFF, 0x09, 0x00, 0x04, 0x00, 0x11, 0x00, 0x00}, 0, 0)),
			summary: "S7comm Userdata #3, CPU functions (4) Request (4): Read SZL (1)",
			fields: map[string]string{
				"cotp.payload.s7comm.param.head": "000112", "cotp.payload.s7comm.param.length": "4",
				"cotp.payload.s7comm.param.method": "0x11", "cotp.payload.s7comm.param.type": "Request (4)",
				"cotp.payload.s7comm.param.function_group": "CPU functions (4)", "cotp.payload.s7comm.param.subfunction": "Read SZL (1)",
				"cotp.payload.s7comm.data.return_code": "Success (255)", "cotp.payload.s7comm.data.transport_size": "OCTET STRING (9)",
				"cotp.payload.s7comm.data.data": "00110000",
			},
			absent: []string{"cotp.payload.s7comm.param.error_code"},
		},
		{
			name:    "userdata response: read clock",
			dir:     ServerToClient,
			data:    s7Frame(s7PDU(s7Userdata, 3, []byte{0x00, 0x01, 0x12, 0x08, 0x12, 0x87, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00}, []byte{0xFF, 0x09, 0x00, 0x02, 0x24, 0x06}, 0, 0)),
			summary: "S7comm Userdata #3, Time functions (7) Response (8): Read clock (1)",
			fields: map[string]string{
				"cotp.payload.s7comm.param.data_unit_ref": "0", "cotp.payload.s7comm.param.last_data_unit": "0x00",
				"cotp.payload.s7comm.param.error_code": "0x0000",
			},
		},
		{
			name:    "non-S7 user data is kept as bytes",
			dir:     ClientToServer,
			data:    s7TPKT(s7DT([]byte{0x99, 0x00, 0x01, 0x00, 0x61}, true, 0)),
			summary: "DT TPDU, 9900010061",
			fields:  map[string]string{"cotp.payload.data": "9900010061"},
			absent:  []string{"cotp.payload.s7comm"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkOneFrame(t, reg, "tpkt", tt.dir, tt.data, tt.summary, tt.fields, tt.absent)
		})
	}
}

// A connection: COTP connect, S7 setup and a read, each Job paired with its
// Ack_Data by PDU reference.
func TestS7commSession(t *testing.T) {
	reg := libraryRegistry(t)
	recs := decodeChunks(t, reg, "tpkt", []chunk{
		{ClientToServer, s7TPKT(s7Connect(0xE0, 0, 1, []byte{0x01, 0x00}, []byte{0x01, 0x02}))},
		{ServerToClient, s7TPKT(s7Connect(0xD0, 1, 2, []byte{0x01, 0x00}, []byte{0x01, 0x02}))},
		{ClientToServer, s7SetupJob},
		{ServerToClient, s7SetupAck},
		{ClientToServer, s7ReadJob},
		{ServerToClient, s7ReadReply},
	})
	if len(recs) != 6 {
		t.Fatalf("%d records, want 6: %v", len(recs), recs)
	}
	for i, r := range recs {
		if r.Kind != KindFrame || r.Err != "" {
			t.Errorf("record %d: %v", i, r)
		}
	}
	for _, i := range []int{3, 5} {
		if recs[i].Pair.Status != PairMatched {
			t.Errorf("record %d (%s): pair %v, want matched", i, recs[i].Summary, recs[i].Pair.Status)
		}
	}
}

func TestS7commEverySplit(t *testing.T) {
	reg := libraryRegistry(t)
	stream := s7Cat(
		s7TPKT(s7Connect(0xD0, 1, 2, []byte{0x01, 0x00}, []byte{0x01, 0x02})),
		s7SetupAck,
		s7ReadReply,
		s7TPKT(s7DT([]byte{0x99, 0x00, 0x01, 0x00}, true, 0)),
	)
	recs := checkEverySplit(t, reg, "tpkt", ServerToClient, stream)
	if len(recs) != 4 {
		t.Fatalf("%d records, want 4: %v", len(recs), recs)
	}
	for _, r := range recs {
		if r.Kind != KindFrame || r.Err != "" {
			t.Errorf("unexpected record %v", r)
		}
	}
}

func TestS7commMalformed(t *testing.T) {
	reg := libraryRegistry(t)
	badVersion := s7Cat(s7SetupJob)
	badVersion[0] = 4
	shortTPKT := []byte{3, 0, 0, 5, 0x02}
	tests := []struct {
		name string
		data []byte
		want []string // per record: kind and a piece of its error
	}{
		{"truncated TPKT", s7ReadJob[:20], []string{"frame incomplete frame"}},
		{"wrong TPKT version", s7Cat(badVersion, s7SetupJob), []string{"skipped searching", "frame "}},
		{"TPKT length below 7", s7Cat(shortTPKT, s7SetupJob), []string{"skipped searching", "frame "}},
		{"garbage", []byte{0xAA, 0xBB, 0xCC, 0xDD, 0xEE}, []string{"skipped searching"}},
		{
			"COTP length indicator past the TPKT",
			s7Cat(s7TPKT([]byte{40, 0xE0, 0, 0, 0, 1, 0}), s7SetupJob),
			[]string{"frame truncated", "frame "},
		},
		{
			"S7 parameter length past the PDU",
			s7Cat(s7TPKT(s7DT([]byte{0x32, 1, 0, 0, 0, 7, 0, 40, 0, 0, 4, 1}, true, 0)), s7SetupJob),
			[]string{"frame truncated", "frame "},
		},
		{
			"S7 item with a wrong variable specification",
			s7Cat(s7Frame(s7PDU(s7Job, 1, s7Cat([]byte{4, 1}, []byte{0x11}, s7Item(2, 1, 1, s7AreaDB, 0, 0)[1:]), nil, 0, 0)), s7SetupJob),
			[]string{"frame bad value", "frame "},
		},
		{
			"S7 read job announcing more items than present",
			s7Cat(s7Frame(s7PDU(s7Job, 1, s7Cat([]byte{4, 3}, s7Item(2, 1, 1, s7AreaDB, 0, 0)), nil, 0, 0)), s7SetupJob),
			[]string{"frame truncated", "frame "},
		},
		{
			"S7 data item longer than the data part",
			s7Cat(s7Frame(s7PDU(s7AckData, 1, []byte{4, 1}, []byte{0xFF, 0x04, 0x01, 0x00, 1, 2}, 0, 0)), s7SetupJob),
			[]string{"frame truncated", "frame "},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := decodeChunks(t, reg, "tpkt", []chunk{{ClientToServer, tt.data}})
			checkRecordRun(t, recs, tt.want, len(tt.data))
		})
	}
}
