package dissectors

import (
	"encoding/binary"
	"testing"
)

// Byte builders for EtherNet/IP encapsulation (CIP Vol. 2 chapter 2) and CIP
// message router messages (CIP Vol. 1 chapter 2 and appendix C).

// enipEncap builds an encapsulation header and its data; the sender context
// is ctx in its first byte.
func enipEncap(cmd uint16, session, status uint32, ctx byte, data []byte) []byte {
	b := make([]byte, 24, 24+len(data))
	binary.LittleEndian.PutUint16(b[0:], cmd)
	binary.LittleEndian.PutUint16(b[2:], uint16(len(data)))
	binary.LittleEndian.PutUint32(b[4:], session)
	binary.LittleEndian.PutUint32(b[8:], status)
	b[12] = ctx
	return append(b, data...)
}

func enipLE16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
func enipLE32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func enipCat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// enipItem is a CPF item: type id, length, data.
func enipItem(typeID uint16, data ...[]byte) []byte {
	d := enipCat(data...)
	return enipCat(enipLE16(typeID), enipLE16(uint16(len(d))), d)
}

// enipCPF is an item count and the items.
func enipCPF(items ...[]byte) []byte {
	return enipCat(enipLE16(uint16(len(items))), enipCat(items...))
}

// enipRR is the data of SendRRData or SendUnitData: interface handle 0, a
// timeout and the CPF items.
func enipRR(timeout uint16, items ...[]byte) []byte {
	return enipCat(enipLE32(0), enipLE16(timeout), enipCPF(items...))
}

// enipRequest is a CIP request: service, path size in words, path, data.
func enipRequest(service byte, path []byte, data ...[]byte) []byte {
	return enipCat([]byte{service, byte(len(path) / 2)}, path, enipCat(data...))
}

// enipResponse is a CIP response: the service with the reply bit, the
// general status, additional status words and data.
func enipResponse(service, status byte, addl []uint16, data ...[]byte) []byte {
	b := []byte{service | 0x80, 0, status, byte(len(addl))}
	for _, a := range addl {
		b = append(b, enipLE16(a)...)
	}
	return enipCat(b, enipCat(data...))
}

// EtherNet/IP commands and CPF item types.
const (
	enipListServices  = 0x0004
	enipListIdentity  = 0x0063
	enipListIfaces    = 0x0064
	enipRegister      = 0x0065
	enipUnregister    = 0x0066
	enipSendRRData    = 0x006F
	enipSendUnitData  = 0x0070
	enipNullAddr      = 0x0000
	enipConnAddr      = 0x00A1
	enipConnData      = 0x00B1
	enipUnconnData    = 0x00B2
	enipSession       = 0x12345678
	enipIdentityClass = 0x01
)

// The path class 1, instance 1, attribute 7 and a Get_Attribute_Single to it.
var (
	enipPathIdentity7 = []byte{0x20, 0x01, 0x24, 0x01, 0x30, 0x07}
	enipGetAttr       = enipRequest(0x0E, enipPathIdentity7)
	enipProductName   = []byte("1756-L61/B LOGIX5561")
)

func enipIdentityItem() []byte {
	return enipItem(0x000C,
		enipLE16(1),                    // encapsulation version
		[]byte{0x00, 0x02, 0xAF, 0x12}, // sin_family 2, sin_port 44818, big-endian
		[]byte{192, 168, 1, 10}, make([]byte, 8),
		enipLE16(1), enipLE16(0x0E), enipLE16(0x36), []byte{20, 11},
		enipLE16(0x3060), enipLE32(0x00C0FFEE),
		[]byte{byte(len(enipProductName))}, enipProductName, []byte{3})
}

func enipForwardOpen() []byte {
	return enipRequest(0x54, []byte{0x20, 0x06, 0x24, 0x01},
		[]byte{0x0A, 0x0E}, enipLE32(0), enipLE32(0x12345678), enipLE16(1), enipLE16(1), enipLE32(2),
		[]byte{3, 0, 0, 0}, enipLE32(2000000), enipLE16(0x43F4), enipLE32(2000000), enipLE16(0x43F4),
		[]byte{0xA3, 3, 0x01, 0x00, 0x20, 0x02, 0x24, 0x01})
}

func TestENIPMessages(t *testing.T) {
	reg := libraryRegistry(t)
	readTag := enipRequest(0x4C, enipCat([]byte{0x91, 5}, []byte("Tag01"), []byte{0}), enipLE16(1))
	tests := []struct {
		name    string
		dir     Direction
		data    []byte
		summary string
		fields  map[string]string
		absent  []string
	}{
		{
			name:    "ListIdentity request",
			dir:     ClientToServer,
			data:    enipEncap(enipListIdentity, 0, 0, 1, nil),
			summary: "ListIdentity (Req)",
			fields: map[string]string{
				"command": "ListIdentity (99)", "length": "0", "session": "0x00000000", "status": "Success (0)",
				"context": "0100000000000000", "options": "0", "data.data": "(empty)",
			},
		},
		{
			name:    "ListIdentity reply",
			dir:     ServerToClient,
			data:    enipEncap(enipListIdentity, 0, 0, 1, enipCPF(enipIdentityItem())),
			summary: `ListIdentity (Rsp), 1756-L61/B LOGIX5561, 192.168.1.10`,
			fields: map[string]string{
				"data.cpf.item_count":                      "1",
				"data.cpf.items.first.type_id":             "CIP Identity (12)",
				"data.cpf.items.first.data.encap_version":  "1",
				"data.cpf.items.first.data.sin_family":     "2",
				"data.cpf.items.first.data.sin_port":       "44818",
				"data.cpf.items.first.data.sin_addr":       "192.168.1.10",
				"data.cpf.items.first.data.vendor_id":      "1",
				"data.cpf.items.first.data.device_type":    "14",
				"data.cpf.items.first.data.product_code":   "54",
				"data.cpf.items.first.data.revision.major": "20",
				"data.cpf.items.first.data.revision.minor": "11",
				"data.cpf.items.first.data.status":         "0x3060",
				"data.cpf.items.first.data.serial_number":  "0x00c0ffee",
				"data.cpf.items.first.data.product_name":   `"1756-L61/B LOGIX5561"`,
				"data.cpf.items.first.data.state":          "3",
			},
		},
		{
			name:    "ListServices reply",
			dir:     ServerToClient,
			data:    enipEncap(enipListServices, 0, 0, 2, enipCPF(enipItem(0x0100, enipLE16(1), enipLE16(0x0120), []byte("Communications\x00\x00")))),
			summary: `ListServices (Rsp), Communications\x00\x00`,
			fields: map[string]string{
				"data.cpf.items.first.data.version":      "1",
				"data.cpf.items.first.data.capabilities": "CIP encapsulation via TCP|CIP class 0 or 1 via UDP (0x0120)",
			},
		},
		{
			name:    "ListInterfaces reply with no items",
			dir:     ServerToClient,
			data:    enipEncap(enipListIfaces, 0, 0, 3, enipCPF()),
			summary: "ListInterfaces (Rsp)",
			fields:  map[string]string{"data.cpf.item_count": "0"},
		},
		{
			name:    "RegisterSession request",
			dir:     ClientToServer,
			data:    enipEncap(enipRegister, 0, 0, 3, enipCat(enipLE16(1), enipLE16(0))),
			summary: "RegisterSession (Req), version 1",
			fields:  map[string]string{"data.protocol_version": "1", "data.option_flags": "0"},
		},
		{
			name:    "RegisterSession reply",
			dir:     ServerToClient,
			data:    enipEncap(enipRegister, enipSession, 0, 3, enipCat(enipLE16(1), enipLE16(0))),
			summary: "RegisterSession (Rsp), session 0x12345678",
			fields:  map[string]string{"session": "0x12345678"},
		},
		{
			name:    "UnRegisterSession",
			dir:     ClientToServer,
			data:    enipEncap(enipUnregister, enipSession, 0, 0, nil),
			summary: "UnRegisterSession (Req)",
		},
		{
			name:    "SendRRData: Get_Attribute_Single request",
			dir:     ClientToServer,
			data:    enipEncap(enipSendRRData, enipSession, 0, 4, enipRR(10, enipItem(enipNullAddr), enipItem(enipUnconnData, enipGetAttr))),
			summary: "SendRRData (Req), Get_Attribute_Single",
			fields: map[string]string{
				"data.interface_handle":                                    "0",
				"data.timeout":                                             "10 s",
				"data.cpf.item_count":                                      "2",
				"data.cpf.address_item.type_id":                            "Null Address Item (0)",
				"data.cpf.address_item.length":                             "0",
				"data.cpf.data_item.type_id":                               "Unconnected Data Item (178)",
				"data.cpf.data_item.length":                                "8",
				"data.cpf.data_item.data.cip.response":                     "0",
				"data.cpf.data_item.data.cip.service":                      "Get_Attribute_Single (14)",
				"data.cpf.data_item.data.cip.path_size":                    "3",
				"data.cpf.data_item.data.cip.path.segments.0":              "Class (0) 1",
				"data.cpf.data_item.data.cip.path.segments.0.logical_type": "Class (0)",
				"data.cpf.data_item.data.cip.path.segments.0.format":       "8-bit logical address (0)",
				"data.cpf.data_item.data.cip.path.segments.1":              "Instance (1) 1",
				"data.cpf.data_item.data.cip.path.segments.2":              "Attribute (4) 7",
			},
			absent: []string{"data.cpf.more_items.0"},
		},
		{
			name: "SendRRData: Get_Attribute_Single reply",
			dir:  ServerToClient,
			data: enipEncap(enipSendRRData, enipSession, 0, 4, enipRR(0, enipItem(enipNullAddr),
				enipItem(enipUnconnData, enipResponse(0x0E, 0, nil, []byte{byte(len(enipProductName))}, enipProductName)))),
			summary: "SendRRData (Rsp), Get_Attribute_Single: Success",
			fields: map[string]string{
				"data.cpf.data_item.data.cip.response":         "1",
				"data.cpf.data_item.data.cip.general_status":   "Success (0)",
				"data.cpf.data_item.data.cip.addl_status_size": "0",
				"data.cpf.data_item.data.cip.data.data":        "14313735362d4c36312f42204c4f47495835353631",
			},
		},
		{
			name: "SendRRData: error reply with additional status",
			dir:  ServerToClient,
			data: enipEncap(enipSendRRData, enipSession, 0, 4, enipRR(0, enipItem(enipNullAddr),
				enipItem(enipUnconnData, enipResponse(0x0E, 0x05, []uint16{0x0204})))),
			summary: "SendRRData (Rsp), Get_Attribute_Single: Path destination unknown",
			fields: map[string]string{
				"data.cpf.data_item.data.cip.addl_status_size": "1",
				"data.cpf.data_item.data.cip.addl_status.0":    "0x0204",
			},
		},
		{
			name: "Get_Attribute_List request with 16-bit class and instance segments",
			dir:  ClientToServer,
			data: enipEncap(enipSendRRData, enipSession, 0, 5, enipRR(10, enipItem(enipNullAddr),
				enipItem(enipUnconnData, enipRequest(0x03, []byte{0x21, 0x00, 0xF5, 0x00, 0x25, 0x00, 0x01, 0x00}, enipLE16(2), enipLE16(1), enipLE16(5))))),
			summary: "SendRRData (Req), Get_Attribute_List, attributes 2 items",
			fields: map[string]string{
				"data.cpf.data_item.data.cip.path.segments.0":           "Class (0) 245",
				"data.cpf.data_item.data.cip.path.segments.0.format":    "16-bit logical address (1)",
				"data.cpf.data_item.data.cip.path.segments.0.value.pad": "0",
				"data.cpf.data_item.data.cip.path.segments.1":           "Instance (1) 1",
				"data.cpf.data_item.data.cip.data.count":                "2",
				"data.cpf.data_item.data.cip.data.attributes.1":         "5",
			},
		},
		{
			name:    "Forward Open request",
			dir:     ClientToServer,
			data:    enipEncap(enipSendRRData, enipSession, 0, 6, enipRR(10, enipItem(enipNullAddr), enipItem(enipUnconnData, enipForwardOpen()))),
			summary: "SendRRData (Req), Forward Open, O->T 0x00000000, T->O 0x12345678, serial 0x0001",
			fields: map[string]string{
				"data.cpf.data_item.data.cip.path.segments.0":                 "Class (0) 6",
				"data.cpf.data_item.data.cip.data.to_connection_id":           "0x12345678",
				"data.cpf.data_item.data.cip.data.connection_serial":          "0x0001",
				"data.cpf.data_item.data.cip.data.originator_serial":          "0x00000002",
				"data.cpf.data_item.data.cip.data.timeout_multiplier":         "3",
				"data.cpf.data_item.data.cip.data.ot_rpi":                     "2000000 us",
				"data.cpf.data_item.data.cip.data.ot_params":                  "Point to Point (2), Low (0), 500 bytes",
				"data.cpf.data_item.data.cip.data.ot_params.fixed_var":        "1",
				"data.cpf.data_item.data.cip.data.to_params.size":             "500",
				"data.cpf.data_item.data.cip.data.transport_trigger":          "0xa3",
				"data.cpf.data_item.data.cip.data.connection_path.segments.0": "Port 1, address 00",
				"data.cpf.data_item.data.cip.data.connection_path.segments.1": "Class (0) 2",
			},
			absent: []string{"data.cpf.data_item.data.cip.data.ot_params_large"},
		},
		{
			name: "Forward Open reply",
			dir:  ServerToClient,
			data: enipEncap(enipSendRRData, enipSession, 0, 6, enipRR(0, enipItem(enipNullAddr), enipItem(enipUnconnData,
				enipResponse(0x54, 0, nil, enipLE32(0xABCD0001), enipLE32(0x12345678), enipLE16(1), enipLE16(1), enipLE32(2), enipLE32(2000000), enipLE32(2000000), []byte{0, 0})))),
			summary: "SendRRData (Rsp), Forward Open: Success, O->T 0xabcd0001, T->O 0x12345678",
			fields: map[string]string{
				"data.cpf.data_item.data.cip.data.ot_api":         "2000000 us",
				"data.cpf.data_item.data.cip.data.app_reply_size": "0",
			},
		},
		{
			name: "Forward Open failure",
			dir:  ServerToClient,
			data: enipEncap(enipSendRRData, enipSession, 0, 6, enipRR(0, enipItem(enipNullAddr), enipItem(enipUnconnData,
				enipResponse(0x54, 0x01, []uint16{0x0100}, enipLE16(1), enipLE16(1), enipLE32(2), []byte{0, 0})))),
			summary: "SendRRData (Rsp), Forward Open: Connection failure",
			fields: map[string]string{
				"data.cpf.data_item.data.cip.addl_status.0":            "0x0100",
				"data.cpf.data_item.data.cip.data.connection_serial":   "0x0001",
				"data.cpf.data_item.data.cip.data.remaining_path_size": "0",
			},
		},
		{
			name: "Forward Close request and reply",
			dir:  ClientToServer,
			data: enipEncap(enipSendRRData, enipSession, 0, 7, enipRR(10, enipItem(enipNullAddr), enipItem(enipUnconnData,
				enipRequest(0x4E, []byte{0x20, 0x06, 0x24, 0x01}, []byte{0x0A, 0x0E}, enipLE16(1), enipLE16(1), enipLE32(2), []byte{1, 0, 0x01, 0x00})))),
			summary: "SendRRData (Req), Forward Close / Read Modify Write Tag, serial 0x0001",
			fields: map[string]string{
				"data.cpf.data_item.data.cip.data.connection_path.segments.0": "Port 1, address 00",
			},
		},
		{
			name: "Unconnected Send with an embedded request and a route",
			dir:  ClientToServer,
			data: enipEncap(enipSendRRData, enipSession, 0, 8, enipRR(10, enipItem(enipNullAddr), enipItem(enipUnconnData,
				enipRequest(0x52, []byte{0x20, 0x06, 0x24, 0x01}, []byte{0x0A, 0x0E}, enipLE16(uint16(len(enipGetAttr))), enipGetAttr, []byte{1, 0, 0x01, 0x00})))),
			summary: "SendRRData (Req), Unconnected Send / Read Tag Fragmented -> Get_Attribute_Single",
			fields: map[string]string{
				"data.cpf.data_item.data.cip.data.message_size":                       "8",
				"data.cpf.data_item.data.cip.data.message.service":                    "Get_Attribute_Single (14)",
				"data.cpf.data_item.data.cip.data.message.path.segments.2":            "Attribute (4) 7",
				"data.cpf.data_item.data.cip.data.route_path_size":                    "1",
				"data.cpf.data_item.data.cip.data.route_path.segments.0.port":         "1",
				"data.cpf.data_item.data.cip.data.route_path.segments.0.link_address": "00",
			},
			absent: []string{"data.cpf.data_item.data.cip.data.pad"},
		},
		{
			name: "Multiple_Service_Packet request",
			dir:  ClientToServer,
			data: enipEncap(enipSendRRData, enipSession, 0, 9, enipRR(10, enipItem(enipNullAddr), enipItem(enipUnconnData,
				enipRequest(0x0A, []byte{0x20, 0x02, 0x24, 0x01}, enipLE16(2), enipLE16(6), enipLE16(14), enipGetAttr, enipGetAttr)))),
			summary: "SendRRData (Req), Multiple_Service_Packet, 2 services",
			fields: map[string]string{
				"data.cpf.data_item.data.cip.data.offsets.1": "14",
			},
		},
		{
			name: "SendUnitData: Read Tag by symbol",
			dir:  ClientToServer,
			data: enipEncap(enipSendUnitData, enipSession, 0, 0, enipRR(0, enipItem(enipConnAddr, enipLE32(0xABCD0001)),
				enipItem(enipConnData, enipLE16(1), readTag))),
			summary: "SendUnitData (Req), #1 Read Tag (Logix)",
			fields: map[string]string{
				"data.cpf.address_item.data.connection_id":              "0xabcd0001",
				"data.cpf.data_item.data.sequence":                      "1",
				"data.cpf.data_item.data.cip.path.segments.0":           `Symbol "Tag01"`,
				"data.cpf.data_item.data.cip.path.segments.0.data.size": "5",
				"data.cpf.data_item.data.cip.path.segments.0.data.pad":  "0",
				"data.cpf.data_item.data.cip.data.data":                 "0100",
			},
		},
		{
			name: "SendUnitData: Read Tag reply",
			dir:  ServerToClient,
			data: enipEncap(enipSendUnitData, enipSession, 0, 0, enipRR(0, enipItem(enipConnAddr, enipLE32(0x12345678)),
				enipItem(enipConnData, enipLE16(1), enipResponse(0x4C, 0, nil, enipLE16(0xC4), enipLE32(42))))),
			summary: "SendUnitData (Rsp), #1 Read Tag (Logix): Success",
			fields: map[string]string{
				"data.cpf.data_item.data.cip.data.data": "c4002a000000",
			},
		},
		{
			name:    "encapsulation error with no data",
			dir:     ServerToClient,
			data:    enipEncap(enipSendRRData, 0xDEAD, 0x64, 4, nil),
			summary: "SendRRData (Rsp), status 0x64",
			fields:  map[string]string{"status": "Invalid session handle (100)"},
		},
		{
			name:    "unknown command",
			dir:     ClientToServer,
			data:    enipEncap(0x1234, 0, 0, 0, []byte{1, 2}),
			summary: "Unknown (4660) (Req)",
			fields:  map[string]string{"data.data": "0102"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkOneFrame(t, reg, "enip", tt.dir, tt.data, tt.summary, tt.fields, tt.absent)
		})
	}
}

// A session: register, a request and its reply, and an error reply, paired
// on the sender context; SendUnitData does not pair.
func TestENIPSession(t *testing.T) {
	reg := libraryRegistry(t)
	recs := decodeChunks(t, reg, "enip", []chunk{
		{ClientToServer, enipEncap(enipRegister, 0, 0, 1, enipCat(enipLE16(1), enipLE16(0)))},
		{ServerToClient, enipEncap(enipRegister, enipSession, 0, 1, enipCat(enipLE16(1), enipLE16(0)))},
		{ClientToServer, enipEncap(enipSendRRData, enipSession, 0, 2, enipRR(10, enipItem(enipNullAddr), enipItem(enipUnconnData, enipGetAttr)))},
		{ClientToServer, enipEncap(enipSendRRData, enipSession, 0, 3, enipRR(10, enipItem(enipNullAddr), enipItem(enipUnconnData, enipGetAttr)))},
		{ServerToClient, enipEncap(enipSendRRData, enipSession, 0, 3, enipRR(0, enipItem(enipNullAddr), enipItem(enipUnconnData, enipResponse(0x0E, 0x14, nil))))},
		{ServerToClient, enipEncap(enipSendRRData, enipSession, 0x65, 2, nil)},
		{ClientToServer, enipEncap(enipSendUnitData, enipSession, 0, 0, enipRR(0, enipItem(enipConnAddr, enipLE32(1)), enipItem(enipConnData, enipLE16(7), enipGetAttr)))},
		{ClientToServer, enipEncap(enipUnregister, enipSession, 0, 0, nil)},
	})
	if len(recs) != 8 {
		t.Fatalf("%d records, want 8: %v", len(recs), recs)
	}
	for i, r := range recs {
		if r.Kind != KindFrame || r.Err != "" {
			t.Errorf("record %d: %v", i, r)
		}
	}
	for _, i := range []int{1, 4, 5} {
		if recs[i].Pair.Status != PairMatched {
			t.Errorf("record %d (%s): pair %v, want matched", i, recs[i].Summary, recs[i].Pair.Status)
		}
	}
	for _, i := range []int{6, 7} {
		if recs[i].Pair.Status != PairNone {
			t.Errorf("record %d (%s): pair %v, want none", i, recs[i].Summary, recs[i].Pair.Status)
		}
	}
	if got := recs[4].Summary; got != "SendRRData (Rsp), Get_Attribute_Single: Attribute not supported" {
		t.Errorf("reply summary %q", got)
	}
}

func TestENIPEverySplit(t *testing.T) {
	reg := libraryRegistry(t)
	stream := enipCat(
		enipEncap(enipListIfaces, 0, 0, 1, enipCPF()),
		enipEncap(enipRegister, enipSession, 0, 2, enipCat(enipLE16(1), enipLE16(0))),
		enipEncap(enipSendRRData, enipSession, 0, 3, enipRR(0, enipItem(enipNullAddr), enipItem(enipUnconnData, enipResponse(0x0E, 0, nil, []byte{1, 0})))),
		enipEncap(enipSendUnitData, enipSession, 0, 0, enipRR(0, enipItem(enipConnAddr, enipLE32(1)), enipItem(enipConnData, enipLE16(7), enipResponse(0x4C, 0, nil, enipLE16(0xC4), enipLE32(42))))),
	)
	recs := checkEverySplit(t, reg, "enip", ServerToClient, stream)
	if len(recs) != 4 {
		t.Fatalf("%d records, want 4: %v", len(recs), recs)
	}
	for _, r := range recs {
		if r.Kind != KindFrame || r.Err != "" {
			t.Errorf("unexpected record %v", r)
		}
	}
}

func TestENIPMalformed(t *testing.T) {
	reg := libraryRegistry(t)
	good := enipEncap(enipRegister, 0, 0, 1, enipCat(enipLE16(1), enipLE16(0)))
	tests := []struct {
		name string
		data []byte
		want []string // per record: kind and a piece of its error
	}{
		{"truncated header", good[:20], []string{"frame incomplete frame"}},
		{"truncated data", good[:26], []string{"frame incomplete frame"}},
		{
			"CPF item longer than the data",
			enipCat(enipEncap(enipSendRRData, enipSession, 0, 2, enipCat(enipLE32(0), enipLE16(0), enipLE16(2), enipLE16(0), enipLE16(0), enipLE16(0xB2), enipLE16(50), enipGetAttr)), good),
			[]string{"frame truncated", "frame "},
		},
		{
			"SendRRData with one CPF item",
			enipCat(enipEncap(enipSendRRData, enipSession, 0, 2, enipRR(0, enipItem(enipUnconnData, enipGetAttr))), good),
			[]string{"frame out of range", "frame "},
		},
		{
			"CIP path size past the item",
			enipCat(enipEncap(enipSendRRData, enipSession, 0, 2, enipRR(0, enipItem(enipNullAddr), enipItem(enipUnconnData, []byte{0x0E, 9, 0x20, 0x01}))), good),
			[]string{"frame truncated", "frame "},
		},
		{
			"a response with the reply bit but too short",
			enipCat(enipEncap(enipSendRRData, enipSession, 0, 2, enipRR(0, enipItem(enipNullAddr), enipItem(enipUnconnData, []byte{0x8E, 0}))), good),
			[]string{"frame truncated", "frame "},
		},
		{
			"options not zero",
			enipCat(func() []byte { b := enipEncap(enipUnregister, enipSession, 0, 0, nil); b[20] = 1; return b }(), good),
			[]string{"frame bad value", "frame "},
		},
		{
			"RegisterSession with no data",
			enipCat(enipEncap(enipRegister, 0, 0, 1, nil), good),
			[]string{"frame truncated", "frame "},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := decodeChunks(t, reg, "enip", []chunk{{ClientToServer, tt.data}})
			checkRecordRun(t, recs, tt.want, len(tt.data))
		})
	}
}

// A length field that points far past the data: the stream waits for the
// bytes and reports an incomplete frame at the end, and garbage that is too
// short for a header stays pending until the end.
func TestENIPGarbage(t *testing.T) {
	reg := libraryRegistry(t)
	for _, data := range [][]byte{
		{0xde, 0xad, 0xbe, 0xef},
		append(make([]byte, 2), 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22),
	} {
		recs := decodeChunks(t, reg, "enip", []chunk{{ClientToServer, data}})
		total := 0
		for _, r := range recs {
			total += r.Length
			if r.Err == "" {
				t.Errorf("record %v: want an error", r)
			}
		}
		if total != len(data) {
			t.Errorf("records cover %d bytes, input has %d: %v", total, len(data), recs)
		}
	}
}
