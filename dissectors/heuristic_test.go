package dissectors

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/dissect-project/dissect/internal/pcapgen"
	"github.com/dissect-project/dissect/schema"
)

// heuristicFirstFrames are the first frames of a connection or flow of
// every protocol with a heuristic, as a client (request) or a server
// (response) sends them, built from each protocol's specification by the
// helpers of its library test.
func heuristicFirstFrames() []struct {
	proto    string
	response bool
	udp      bool
	data     []byte
} {
	mqttConnect := func(name string, level byte) []byte {
		body := append(binary.BigEndian.AppendUint16(nil, uint16(len(name))), name...)
		body = append(body, level, 0x02, 0, 60, 0, 1, 'c')
		return append([]byte{0x10, byte(len(body))}, body...)
	}
	stun := func(class uint16) []byte {
		b := binary.BigEndian.AppendUint16(nil, 0x0001|class)
		b = append(b, 0, 0, 0x21, 0x12, 0xA4, 0x42)
		return append(b, make([]byte, 12)...)
	}
	return []struct {
		proto    string
		response bool
		udp      bool
		data     []byte
	}{
		{"modbus", false, false, pcapgen.MBAPFrame(1, 1, []byte{3, 0, 0, 0, 10})},
		{"modbus", true, false, pcapgen.MBAPFrame(1, 1, []byte{3, 2, 0, 7})},
		{"modbus", true, false, pcapgen.MBAPFrame(1, 1, []byte{0x83, 2})},
		{"mqtt", false, false, mqttConnect("MQTT", 4)},
		{"mqtt", false, false, mqttConnect("MQIsdp", 3)},
		{"tls", false, false, tlsClientHelloRecord("example.com")},
		{"tls", true, false, tlsRecord(22, 0x0303, tlsHandshake(2, tlsServerHelloBody(tlsRandom(2), 0xC02F)))},
		{"pgsql", false, false, pgsqlStartup("user", "alice", "database", "shop")},
		{"pgsql", false, false, pgsqlSSLRequest()},
		{"bgp", false, false, bgpOpen(65001, 90, "192.0.2.1")},
		{"bgp", true, false, bgpOpen(65002, 90, "192.0.2.2")},
		{"tpkt", false, false, s7TPKT(s7Connect(0xE0, 0, 1, []byte{1, 0}, []byte{1, 2}))},
		{"tpkt", true, false, s7TPKT(s7Connect(0xD0, 1, 1, []byte{1, 0}, []byte{1, 2}))},
		{"iec104", false, false, iec104U(0x07)},
		{"iec104", true, false, iec104U(0x0B)},
		{"iec104", true, false, iec104I(0, 0, iec104ASDU(13, false, 1, 3, 0, 1, iec104Obj(iec104IOA(100), iec104F32(1.5), []byte{0})))},
		{"enip", false, false, enipEncap(0x65, 0, 0, 1, []byte{1, 0, 0, 0})},
		{"enip", true, false, enipEncap(0x65, 0x1234, 0, 1, []byte{1, 0, 0, 0})},
		{"stun", false, true, stun(0)},
		{"stun", true, true, stun(0x0100)},
		{"fins", false, true, append(pcapgen.FINSHeader(false, 1, 0x0101), 0x82, 0, 0, 0, 0, 1)},
		{"fins", false, false, pcapgen.FINSTCP(0, 0, []byte{0, 0, 0, 0})},
		{"hartip", false, true, pcapgen.HARTIPMessage(0, 0, 0, 1, []byte{1, 0, 0, 0xEA, 0x60})},
		{"hartip", false, false, pcapgen.HARTIPMessage(0, 3, 0, 1, pcapgen.HARTPDU(2, []byte{0x80}, 0, nil))},
		{"ads", false, false, pcapgen.ADSFrame([6]byte{5, 1, 2, 3, 1, 1}, 851, [6]byte{10, 0, 0, 1, 1, 1}, 30000, 4, 4, 0, 1, nil)},
		{"ads", true, false, pcapgen.ADSFrame([6]byte{10, 0, 0, 1, 1, 1}, 30000, [6]byte{5, 1, 2, 3, 1, 1}, 851, 4, 5, 0, 1, []byte{0, 0, 0, 0, 5, 0, 0, 0})},
		{"openflow", false, false, pcapgen.OFMessage(1, 0, 1, nil)},
		{"openflow", true, false, pcapgen.OFMessage(4, 0, 1, []byte{0, 1, 0, 8, 0, 0, 0, 0x12})},
		{"dnp3", false, false, dnpReq(pcapgen.DNP3Request(0xC1, 1, pcapgen.DNP3Objects(60, 2, 6, nil)))},
		{"dnp3", true, false, dnpResp(pcapgen.DNP3Response(0xC1, 0x81, 0, nil))},
		{"dnp3", false, false, pcapgen.DNP3Link(pcapgen.DNP3DIR|pcapgen.DNP3PRM|9, 10, 1, nil)},
		{"dnp3udp", false, true, dnpReq(pcapgen.DNP3Request(0xC1, 1, pcapgen.DNP3Objects(60, 2, 6, nil)))},
		{"dnp3udp", true, true, dnpResp(pcapgen.DNP3Response(0xC1, 0x81, 0, nil))},
		{"opcua", false, false, pcapgen.UAHello("opc.tcp://plc:4840")},
		{"opcua", true, false, pcapgen.UAAcknowledge(8192, 1<<20, 16)},
		{"opcua", false, false, pcapgen.UAOpen(0, 1, 1, pcapgen.UAService(446, pcapgen.UAOpenRequestObject(time.Unix(1700000000, 0), 1, 600000)))},
	}
}

// Every protocol with a heuristic recognises its own first frames, whole,
// and asks for more while they are incomplete; no other protocol claims
// them.
func TestHeuristicsOnFirstFrames(t *testing.T) {
	reg := libraryRegistry(t)
	for _, ff := range heuristicFirstFrames() {
		if len(ff.data) == 0 {
			continue
		}
		transport := "tcp"
		if ff.udp {
			transport = "udp"
		}
		dets := reg.Heuristics(transport)
		found := false
		for _, d := range dets {
			v := d.Detect(ff.data, ff.response, ff.udp)
			own := d.Info().Name == ff.proto
			found = found || own
			switch {
			case own && v != schema.VerdictYes:
				t.Errorf("%s does not recognise its first frame (response %v, %s): %v", ff.proto, ff.response, transport, v)
			case !own && v == schema.VerdictYes:
				t.Errorf("%s claims a first frame of %s (response %v, %s)", d.Info().Name, ff.proto, ff.response, transport)
			}
			// A frame cut short is either still possible or rejected,
			// never accepted, over TCP.
			if own && !ff.udp && len(ff.data) > 1 {
				if v := d.Detect(ff.data[:len(ff.data)-1], ff.response, false); v == schema.VerdictYes {
					t.Errorf("%s accepts its first frame without its last byte", ff.proto)
				}
			}
		}
		if !found {
			t.Errorf("%s has no %s heuristic", ff.proto, transport)
		}
	}
}

// Frames that look like a protocol's first frame at a glance but fail one
// of its checks are claimed by no heuristic: a DNP3 frame whose header or
// block CRC does not match, OPC UA messages with a chunk type other than
// F, a size out of range, or a type a connection does not start with.
func TestHeuristicNearMisses(t *testing.T) {
	reg := libraryRegistry(t)
	good := dnpReq(pcapgen.DNP3Request(0xC1, 1, pcapgen.DNP3Objects(60, 2, 6, nil)))
	badHeader := append([]byte(nil), good...)
	badHeader[8] ^= 0x01
	badBlock := append([]byte(nil), good...)
	badBlock[len(badBlock)-1] ^= 0x80
	shortLen := append([]byte(nil), good...)
	shortLen[2] = 4
	hello := pcapgen.UAHello("opc.tcp://plc:4840")
	helloC := append([]byte(nil), hello...)
	helloC[3] = 'C'
	helloHuge := append([]byte(nil), hello...)
	binary.LittleEndian.PutUint32(helloHuge[4:], 1<<20)
	ackLong := pcapgen.UAAcknowledge(8192, 1<<20, 16)
	ackLong = append(ackLong, 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(ackLong[4:], uint32(len(ackLong)))
	tests := []struct {
		name     string
		response bool
		udp      bool
		data     []byte
	}{
		{"dnp3 header crc", false, false, badHeader},
		{"dnp3 block crc", false, false, badBlock},
		{"dnp3 udp header crc", false, true, badHeader},
		{"dnp3 length under 5", false, false, shortLen},
		{"opcua hello chunk C", false, false, helloC},
		{"opcua hello size 1 MiB", false, false, helloHuge},
		{"opcua acknowledge not 28 bytes", true, false, ackLong},
		{"opcua hello from the server", true, false, hello},
		{"opcua message first", false, false, uaMsg(1, 1, 631, nil)},
		{"opcua error first", true, false, pcapgen.UAError(0x807E0000, "bad")},
	}
	for _, tt := range tests {
		transport := "tcp"
		if tt.udp {
			transport = "udp"
		}
		for _, d := range reg.Heuristics(transport) {
			if v := d.Detect(tt.data, tt.response, tt.udp); v == schema.VerdictYes {
				t.Errorf("%s: %s claims it", tt.name, d.Info().Name)
			}
		}
	}
}
