package dissectors

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/dissect-project/dissect/internal/pcapgen"
)

// Tests of the bundled OpenFlow schema (library/openflow.dsl), on messages
// built from the OpenFlow Switch Specifications 1.0.0 and 1.3.5.

func ofBE(vals ...uint64) []byte {
	var b []byte
	for i := 0; i+1 < len(vals); i += 2 {
		switch vals[i] {
		case 1:
			b = append(b, byte(vals[i+1]))
		case 2:
			b = binary.BigEndian.AppendUint16(b, uint16(vals[i+1]))
		case 4:
			b = binary.BigEndian.AppendUint32(b, uint32(vals[i+1]))
		case 8:
			b = binary.BigEndian.AppendUint64(b, vals[i+1])
		}
	}
	return b
}

func TestOpenFlowMessages(t *testing.T) {
	reg := libraryRegistry(t)
	oxm := append(ofBE(2, 1, 2, 12, 2, 0x8000, 1, 0, 1, 4, 4, 3), 0, 0, 0, 0)
	tests := []struct {
		name    string
		dir     Direction
		data    []byte
		summary string
		fields  map[string]string
	}{
		{"1.0 hello", ClientToServer, pcapgen.OFMessage(1, 0, 7, nil), "Type: OFPT_HELLO (xid 7)",
			map[string]string{"version": "1", "body.type": "OFPT_HELLO (0)", "body.length": "8", "body.xid": "7"}},
		{"1.0 echo", ServerToClient, pcapgen.OFMessage(1, 2, 8, []byte("hi")), "Type: OFPT_ECHO_REQUEST (xid 8)",
			map[string]string{"body.body.data": "6869"}},
		{"1.0 packet-in", ClientToServer, pcapgen.OFMessage(1, 10, 0, append(ofBE(4, 0x100, 2, 3, 2, 5, 1, 1, 1, 0), 0xAA, 0xBB, 0xCC)),
			"Type: OFPT_PACKET_IN (xid 0), OFPR_ACTION, in port 5, 3 bytes",
			map[string]string{"body.body.buffer_id": "0x00000100", "body.body.data": "aabbcc"}},
		{"1.0 packet-out", ServerToClient, pcapgen.OFMessage(1, 13, 9, append(ofBE(4, 0xFFFFFFFF, 2, 1, 2, 8, 2, 0, 2, 8, 2, 2, 2, 0), 1)),
			"Type: OFPT_PACKET_OUT (xid 9), in port 1",
			map[string]string{"body.body.actions.0.output.port": "2", "body.body.data": "01"}},
		{"1.0 stats request", ServerToClient, pcapgen.OFMessage(1, 16, 10, ofBE(2, 1, 2, 0)),
			"Type: OFPT_STATS_REQUEST (xid 10), OFPMP_FLOW", nil},
		{"1.0 error", ClientToServer, pcapgen.OFMessage(1, 1, 11, append(ofBE(2, 1, 2, 1), pcapgen.OFMessage(1, 99, 11, nil)...)),
			"Type: OFPT_ERROR (xid 11), type 1, code 1", nil},
		{"1.3 hello with a version bitmap", ClientToServer, pcapgen.OFMessage(4, 0, 1, ofBE(2, 1, 2, 8, 4, 0x12)),
			"Type: OFPT_HELLO (xid 1)",
			map[string]string{"body.body.elements.0.type": "1", "body.body.elements.0.bitmaps": "00000012"}},
		{"1.3 features reply", ClientToServer, pcapgen.OFMessage(4, 6, 2, ofBE(8, 0x20000000001, 4, 256, 1, 254, 1, 0, 2, 0, 4, 0x4F, 4, 0)),
			"Type: OFPT_FEATURES_REPLY (xid 2), datapath 0x0000020000000001",
			map[string]string{"body.body.n_tables": "254", "body.body.capabilities": "0x0000004f"}},
		{"1.3 packet-in with a match", ClientToServer,
			pcapgen.OFMessage(4, 10, 0, append(append(append(ofBE(4, 0xFFFFFFFF, 2, 2, 1, 0, 1, 1, 8, 7), oxm...), 0, 0), 0x11, 0x22)),
			"Type: OFPT_PACKET_IN (xid 0), OFPR_NO_MATCH, table 1, 2 bytes",
			map[string]string{"body.body.match.length": "12", "body.body.match.fields.0.field": "0", "body.body.match.fields.0.value": "00000003",
				"body.body.data": "1122"}},
		{"1.3 flow-mod", ServerToClient,
			pcapgen.OFMessage(4, 14, 3, append(ofBE(8, 1, 8, 0, 1, 0, 1, 3, 2, 0, 2, 0, 2, 10, 4, 0xFFFFFFFF, 4, 0xFFFFFFFF, 4, 0xFFFFFFFF, 2, 0, 2, 0), oxm...)),
			"Type: OFPT_FLOW_MOD (xid 3), OFPFC_DELETE, table 0, priority 10", nil},
		{"1.3 multipart reply", ClientToServer, pcapgen.OFMessage(4, 19, 4, ofBE(2, 13, 2, 1, 4, 0)),
			"Type: OFPT_MULTIPART_REPLY (xid 4), OFPMP_PORT_DESC", map[string]string{"body.body.flags": "0x0001"}},
		{"1.3 role request", ServerToClient, pcapgen.OFMessage(4, 24, 5, ofBE(4, 3, 4, 0, 8, 9)),
			"Type: OFPT_ROLE_REQUEST (xid 5), OFPCR_ROLE_SLAVE", map[string]string{"body.body.generation_id": "9"}},
		{"unsupported version", ClientToServer, pcapgen.OFMessage(6, 0, 1, nil), "OpenFlow wire version 6 (not decoded)", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkOneFrame(t, reg, "openflow", tt.dir, tt.data, tt.summary, tt.fields, nil)
			recs := checkEverySplit(t, reg, "openflow", tt.dir, tt.data)
			checkRecordRun(t, recs, []string{"frame "}, len(tt.data))
		})
	}
}

func TestOpenFlowPairingAndErrors(t *testing.T) {
	reg := libraryRegistry(t)
	recs := decodeChunks(t, reg, "openflow", []chunk{
		{ClientToServer, pcapgen.OFMessage(4, 0, 1, nil)},
		{ServerToClient, append(pcapgen.OFMessage(4, 0, 9, nil), pcapgen.OFMessage(4, 5, 10, nil)...)},
		{ClientToServer, pcapgen.OFMessage(4, 6, 10, ofBE(8, 1, 4, 0, 1, 1, 1, 0, 2, 0, 4, 0, 4, 0))},
		{ServerToClient, pcapgen.OFMessage(4, 20, 11, nil)},
		{ClientToServer, pcapgen.OFMessage(4, 1, 11, ofBE(2, 1, 2, 5))},
	})
	var got []string
	for _, r := range recs {
		got = append(got, r.Kind.String()+" "+r.Pair.Status.String())
	}
	if want := "frame none frame none frame request frame matched frame request frame matched"; strings.Join(got, " ") != want {
		t.Errorf("pairing: %v, want %s", got, want)
	}
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"1.0 features reply cut inside a port", pcapgen.OFMessage(1, 6, 1, append(ofBE(8, 1, 4, 0, 1, 1, 1, 0, 1, 0, 1, 0, 4, 0, 4, 0), make([]byte, 20)...)),
			[]string{"frame truncated"}},
		{"1.3 hello element longer than the message", pcapgen.OFMessage(4, 0, 1, ofBE(2, 1, 2, 64)), []string{"frame truncated"}},
		{"1.3 match length below 4", pcapgen.OFMessage(4, 10, 0, append(ofBE(4, 0, 2, 0, 1, 0, 1, 0, 8, 0), ofBE(2, 1, 2, 2, 4, 0)...)),
			[]string{"frame out of range"}},
		{"length below the header", []byte{4, 0, 0, 4, 0, 0, 0, 1}, []string{"skipped out of range"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := decodeChunks(t, reg, "openflow", []chunk{{ClientToServer, tt.data}})
			checkRecordRun(t, recs, tt.want, len(tt.data))
		})
	}
}
