package dissectors

import (
	"encoding/binary"
	"strings"
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
	// first is the first message a side sends in a session.
	first := func(msgs []pcapgen.DirMsg, dir pcapgen.Dir) []byte {
		for _, m := range msgs {
			if m.Dir == dir {
				return m.Data
			}
		}
		return nil
	}
	c2s, s2c := pcapgen.ClientToServer, pcapgen.ServerToClient
	mcUDP := func(count uint16, msg []byte) []byte {
		return append([]byte{0, 7, 0, 0, byte(count >> 8), byte(count), 0, 0}, msg...)
	}
	return []struct {
		proto    string
		response bool
		udp      bool
		data     []byte
	}{
		{"amqp", false, false, first(pcapgen.AMQPSession(), c2s)},
		{"amqp", true, false, first(pcapgen.AMQPSession(), s2c)},
		{"amqp", true, false, []byte("AMQP\x00\x00\x09\x01")},
		{"memcache", false, false, first(pcapgen.MemcacheSession(), c2s)},
		{"memcache", true, false, first(pcapgen.MemcacheSession(), s2c)},
		{"memcache", false, false, mcReq(0x21, 1, nil, "PLAIN", "\x00u\x00p")},
		{"memcache_udp", false, true, mcUDP(1, mcReq(0x00, 1, nil, "k", ""))},
		{"memcache_udp", true, true, mcUDP(2, mcResp(0x00, 0, 1, 1, be32(0), "", "partial"))},
		{"mongodb", false, false, first(pcapgen.MongoSession(), c2s)},
		{"mongodb", true, false, first(pcapgen.MongoSession(), s2c)},
		{"mongodb", false, false, pcapgen.MongoQuery(1, 0, "admin.$cmd", 0, -1, (&pcapgen.BSON{}).Int32("isMaster", 1))},
		{"mysql", true, false, first(pcapgen.MySQLSession(), s2c)},
		{"cassandra", false, false, first(pcapgen.CQLSession(), c2s)},
		{"cassandra", true, false, first(pcapgen.CQLSession(), s2c)},
		{"cassandra", false, false, first(pcapgen.CQLSessionV5(), c2s)},
		{"cassandra", true, false, first(pcapgen.CQLSessionV5(), s2c)},
		{"cassandra", false, false, pcapgen.CQLFrame(0x04, 0, 0, 0x01, pcapgen.CQLStringMap("CQL_VERSION", "3.0.0"))},
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
	mcUnknown := mcReq(0x00, 1, nil, "k", "")
	mcUnknown[1] = 0x1F // between the GAT and SASL opcodes
	mcLongKey := mcReq(0x00, 1, nil, strings.Repeat("k", 251), "")
	mcBadStatus := mcResp(0x00, 0, 1, 1, be32(0), "", "v")
	mcBadStatus[7] = 0x0A
	mongoAnswer := pcapgen.MongoMsg(2, 1, 0, (&pcapgen.BSON{}).Int32("ok", 1))
	mongoFlags := pcapgen.MongoMsg(1, 0, 0, (&pcapgen.BSON{}).Int32("hello", 1))
	mongoFlags[17] = 0x01 // an unknown flag bit
	mongoBadDoc := pcapgen.MongoMsg(1, 0, 0, (&pcapgen.BSON{}).Int32("hello", 1))
	mongoBadDoc[len(mongoBadDoc)-1] = 0x07 // the body document does not end in 0
	greeting := pcapgen.MySQLHandshake("8.0.35", 7, 0x000FF7FF, "caching_sha2_password")
	greeting9 := append([]byte(nil), greeting...)
	greeting9[4] = 9
	greetingNoNUL := pcapgen.MySQLPacket(0, []byte("\x0a8.0.35-no-terminator-anywhere-in-this-packet-at-all"))
	cqlStartup := pcapgen.CQLFrame(0x04, 0, 0, 0x01, pcapgen.CQLStringMap("CQL_VERSION", "3.0.0"))
	cqlCompressed := append([]byte(nil), cqlStartup...)
	cqlCompressed[1] = 0x01
	cqlV2 := append([]byte(nil), cqlStartup...)
	cqlV2[0] = 0x02
	cqlQuery := pcapgen.CQLFrame(0x04, 0, 1, 0x07, pcapgen.CQLLongString("SELECT 1"), []byte{0, 1, 0})
	cqlEvent := pcapgen.CQLFrame(0x84, 0, -1, 0x02)
	tests := []struct {
		name     string
		response bool
		udp      bool
		data     []byte
	}{
		{"amqp 0-9 header", false, false, []byte("AMQP\x00\x00\x09\x00")},
		{"amqp 1.0 header", false, false, []byte("AMQP\x00\x01\x00\x00")},
		{"amqp method frame from the client", false, false, pcapgen.AMQPMethod(0, 10, 11, []byte{0, 0, 0, 0})},
		{"amqp start without frame end", true, false, append(pcapgen.AMQPMethod(0, 10, 10, []byte{0, 9})[:13], 0xCD)},
		{"memcache unknown opcode", false, false, mcUnknown},
		{"memcache key over 250 bytes", false, false, mcLongKey},
		{"memcache unknown status", true, false, mcBadStatus},
		{"memcache response as a request", false, false, mcResp(0x00, 0, 1, 1, be32(0), "", "v")},
		{"memcache udp continuation", true, true, append([]byte{0, 7, 0, 1, 0, 2, 0, 0}, "rest of it"...)},
		{"mongodb answer as a request", false, false, mongoAnswer},
		{"mongodb request as an answer", true, false, pcapgen.MongoMsg(1, 0, 0, (&pcapgen.BSON{}).Int32("hello", 1))},
		{"mongodb unknown flag", false, false, mongoFlags},
		{"mongodb broken document", false, false, mongoBadDoc},
		{"mysql protocol 9", true, false, greeting9},
		{"mysql version without NUL", true, false, greetingNoNUL},
		{"mysql greeting from the client", false, false, greeting},
		{"cassandra compressed startup", false, false, cqlCompressed},
		{"cassandra v2", false, false, cqlV2},
		{"cassandra query first", false, false, cqlQuery},
		{"cassandra startup from the server", true, false, cqlStartup},
		{"cassandra ready on an event stream", true, false, cqlEvent},
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
	// The unbroken forms of the near misses are recognised, so that each
	// near miss fails on the one thing it breaks.
	controls := []struct {
		proto    string
		response bool
		data     []byte
	}{
		{"mysql", true, greeting},
		{"cassandra", false, cqlStartup},
		{"mongodb", false, pcapgen.MongoMsg(1, 0, 0, (&pcapgen.BSON{}).Int32("hello", 1))},
		{"mongodb", true, mongoAnswer},
		{"memcache", false, mcReq(0x00, 1, nil, strings.Repeat("k", 250), "")},
		{"amqp", true, pcapgen.AMQPMethod(0, 10, 10, []byte{0, 9}, pcapgen.AMQPTable(), pcapgen.AMQPLong("PLAIN"), pcapgen.AMQPLong("en_US"))},
	}
	for _, c := range controls {
		for _, d := range reg.Heuristics("tcp") {
			if d.Info().Name == c.proto {
				if v := d.Detect(c.data, c.response, false); v != schema.VerdictYes {
					t.Errorf("%s does not recognise the unbroken form (response %v): %v", c.proto, c.response, v)
				}
			}
		}
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
