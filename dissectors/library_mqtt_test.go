package dissectors

import (
	"encoding/binary"
	"strings"
	"testing"
)

// Byte builders for MQTT control packets, from the MQTT 3.1.1 and 5.0
// specifications.

// mqttVarint encodes a variable byte integer (remaining length, property
// length, property id).
func mqttVarint(n int) []byte {
	var b []byte
	for {
		c := byte(n % 128)
		n /= 128
		if n > 0 {
			c |= 0x80
		}
		b = append(b, c)
		if n == 0 {
			return b
		}
	}
}

func mqttU16(v int) []byte { return []byte{byte(v >> 8), byte(v)} }

func mqttU32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// mqttStr is a UTF-8 string or binary data: a 2-byte length, then the bytes.
func mqttStr(s string) []byte { return append(mqttU16(len(s)), s...) }

func mqttCat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// mqttPacket builds a control packet: the first byte (type and flags), the
// remaining length, then the parts.
func mqttPacket(first byte, parts ...[]byte) []byte {
	body := mqttCat(parts...)
	return mqttCat([]byte{first}, mqttVarint(len(body)), body)
}

// mqttProps builds an MQTT 5.0 property list: its length, then the
// properties.
func mqttProps(props ...[]byte) []byte {
	p := mqttCat(props...)
	return mqttCat(mqttVarint(len(p)), p)
}

func mqttPropByte(id, v byte) []byte       { return []byte{id, v} }
func mqttPropU16(id byte, v int) []byte    { return append([]byte{id}, mqttU16(v)...) }
func mqttPropU32(id byte, v uint32) []byte { return append([]byte{id}, mqttU32(v)...) }
func mqttPropStr(id byte, s string) []byte { return append([]byte{id}, mqttStr(s)...) }
func mqttPropUser(key, value string) []byte {
	return mqttCat([]byte{0x26}, mqttStr(key), mqttStr(value))
}

// mqttConnect builds a CONNECT with a client id, and for level 5 the
// properties given.
func mqttConnect(level byte, clientID string, props []byte) []byte {
	name := "MQTT"
	if level == 3 {
		name = "MQIsdp"
	}
	vh := mqttCat(mqttStr(name), []byte{level, 0x02}, mqttU16(60))
	if level >= 5 {
		vh = append(vh, props...)
	}
	return mqttPacket(0x10, vh, mqttStr(clientID))
}

// mqttConnectFull builds a 3.1.1 or 5.0 CONNECT with a will (QoS 1,
// retained), a user name and a password.
func mqttConnectFull(level byte, props, willProps []byte) []byte {
	vh := mqttCat(mqttStr("MQTT"), []byte{level, 0xEE}, mqttU16(30)) // user, pass, will retain, will QoS 1, will, clean
	if level >= 5 {
		vh = append(vh, props...)
	}
	pl := mqttStr("dev-1")
	if level >= 5 {
		pl = append(pl, willProps...)
	}
	pl = mqttCat(pl, mqttStr("status/dev-1"), mqttStr("gone"), mqttStr("alice"), mqttStr("s3cret"))
	return mqttPacket(0x10, vh, pl)
}

func mqttPublish(qos byte, retain bool, topic string, id int, props []byte, payload string) []byte {
	first := byte(0x30) | qos<<1
	if retain {
		first |= 1
	}
	parts := [][]byte{mqttStr(topic)}
	if qos > 0 {
		parts = append(parts, mqttU16(id))
	}
	if props != nil {
		parts = append(parts, props)
	}
	parts = append(parts, []byte(payload))
	return mqttPacket(first, parts...)
}

// mqttWant is what one record must hold.
type mqttWant struct {
	summary string
	err     string            // a part of the error; "" for a good frame
	fields  map[string]string // path → display value
	ws      map[string]string // path → Wireshark name
	pair    PairStatus
	peer    uint64 // the request's packet, for a matched response
}

func mqttCheck(t *testing.T, i int, got decodedFrame, w mqttWant) {
	t.Helper()
	if got.Kind != KindFrame {
		t.Fatalf("record %d: %v, want a frame", i, got)
	}
	if w.summary != "" && got.Summary != w.summary {
		t.Errorf("record %d: summary %q, want %q", i, got.Summary, w.summary)
	}
	if w.err == "" && got.Err != "" {
		t.Errorf("record %d: unexpected error %q", i, got.Err)
	}
	if w.err != "" && !strings.Contains(got.Err, w.err) {
		t.Errorf("record %d: error %q, want one containing %q", i, got.Err, w.err)
	}
	for path, want := range w.fields {
		if v := got.Field(t, path); v != want {
			t.Errorf("record %d: %s = %s, want %s", i, path, v, want)
		}
	}
	for path, want := range w.ws {
		got.Field(t, path)
		if v := got.Fields[path+wsSuffix]; v != want {
			t.Errorf("record %d: %s is named %q in Wireshark, want %q", i, path, v, want)
		}
	}
	if got.Pair.Status != w.pair {
		t.Errorf("record %d: pairing %v, want %v", i, got.Pair.Status, w.pair)
	}
	if w.pair == PairMatched && got.Pair.PeerPacket != w.peer {
		t.Errorf("record %d: matched packet %d, want %d", i, got.Pair.PeerPacket, w.peer)
	}
}

// mqttStep is one chunk of a conversation and the record it must give.
type mqttStep struct {
	dir  Direction
	data []byte
	want mqttWant
}

// mqttRun feeds the steps as one connection, a packet each, and checks that
// each gives one record as described; then that only the unanswered
// requests listed follow.
func mqttRun(t *testing.T, steps []mqttStep, unanswered int) []decodedFrame {
	t.Helper()
	reg := libraryRegistry(t)
	var chunks []chunk
	for _, s := range steps {
		chunks = append(chunks, chunk{s.dir, s.data})
	}
	got := decodeChunks(t, reg, "mqtt", chunks)
	if len(got) != len(steps)+unanswered {
		t.Fatalf("%d records, want %d:\n%v", len(got), len(steps)+unanswered, got)
	}
	for i, s := range steps {
		mqttCheck(t, i, got[i], s.want)
	}
	for _, r := range got[len(steps):] {
		if r.Kind != KindUnanswered {
			t.Errorf("record %v, want an unanswered request", r)
		}
	}
	return got
}

const (
	c2s = ClientToServer
	s2c = ServerToClient
)

// A whole MQTT 3.1.1 session: every packet type of 3.1.1 both ways, with
// pairing by packet identifier in both directions.
func TestMQTT311Session(t *testing.T) {
	mqttRun(t, []mqttStep{
		{c2s, mqttConnectFull(4, nil, nil), mqttWant{
			summary: `Connect Command, MQTT v3.1.1, client dev-1`,
			pair:    PairRequest,
			fields: map[string]string{
				"type": "Connect Command (1)", "reserved": "0b0000", "length": "52",
				"body.protocol_name": `"MQTT"`, "body.version": "MQTT v3.1.1 (4)",
				"body.flags.username": "1", "body.flags.password": "1", "body.flags.will_retain": "1",
				"body.flags.will_qos": "At least once delivery (1)", "body.flags.will": "1",
				"body.flags.clean_session": "1", "body.flags.reserved": "0",
				"body.keep_alive": "30 s", "body.client_id_length": "5", "body.client_id": `"dev-1"`,
				"body.will_topic": `"status/dev-1"`, "body.will_message": "676f6e65",
				"body.username": `"alice"`, "body.password": `"s3cret"`,
			},
		}},
		{s2c, mqttPacket(0x20, []byte{0x01, 0x00}), mqttWant{
			summary: "Connect Ack, Connection Accepted",
			pair:    PairMatched, peer: 1,
			fields: map[string]string{"body.flags.session_present": "1", "body.return_code": "Connection Accepted (0)"},
		}},
		{c2s, mqttPacket(0x82, mqttU16(1), mqttStr("a/+"), []byte{1}, mqttStr("b/#"), []byte{2}), mqttWant{
			summary: "Subscribe Request, id=1, a/+, b/#",
			pair:    PairRequest,
			fields: map[string]string{
				"reserved": "0b0010", "body.packet_id": "1",
				"body.subscriptions.0.topic": `"a/+"`, "body.subscriptions.0.options.qos": "At least once delivery (1)",
				"body.subscriptions.1.topic": `"b/#"`, "body.subscriptions.1.options.qos": "Exactly once delivery (2)",
			},
		}},
		{s2c, mqttPacket(0x90, mqttU16(1), []byte{1, 0x80}), mqttWant{
			summary: "Subscribe Ack, id=1",
			pair:    PairMatched, peer: 3,
			fields: map[string]string{"body.return_codes.0": "Granted QoS 1 (1)", "body.return_codes.1": "Failure (128)"},
		}},
		{c2s, mqttPublish(1, true, "a/x", 2, nil, "21.5"), mqttWant{
			summary: `Publish Message, id=2, a/x`,
			pair:    PairRequest,
			fields: map[string]string{
				"dup": "0", "qos": "At least once delivery (1)", "retain": "1", "length": "11",
				"body.topic_length": "3", "body.topic": `"a/x"`, "body.packet_id": "2", "body.message": "32312e35",
			},
		}},
		{s2c, mqttPacket(0x40, mqttU16(2)), mqttWant{
			summary: "Publish Ack, id=2", pair: PairMatched, peer: 5,
			fields: map[string]string{"body.packet_id": "2"},
		}},
		// The server publishes with QoS 2: the client answers.
		{s2c, mqttPublish(2, false, "b/y", 7, nil, "on"), mqttWant{
			summary: `Publish Message, id=7, b/y`, pair: PairRequest,
			fields: map[string]string{"qos": "Exactly once delivery (2)", "retain": "0"},
		}},
		{c2s, mqttPacket(0x50, mqttU16(7)), mqttWant{summary: "Publish Received, id=7", pair: PairMatched, peer: 7}},
		{s2c, mqttPacket(0x62, mqttU16(7)), mqttWant{summary: "Publish Release, id=7", pair: PairRequest,
			fields: map[string]string{"reserved": "0b0010"}}},
		{c2s, mqttPacket(0x70, mqttU16(7)), mqttWant{summary: "Publish Complete, id=7", pair: PairMatched, peer: 9}},
		// QoS 0 has no packet identifier and no answer.
		{s2c, mqttPublish(0, false, "b/z", 0, nil, "x"), mqttWant{
			summary: `Publish Message, b/z`, pair: PairNone,
			fields: map[string]string{"qos": "At most once delivery (0)", "body.message": "78"},
		}},
		{c2s, mqttPacket(0xA2, mqttU16(3), mqttStr("a/+"), mqttStr("b/#")), mqttWant{
			summary: "Unsubscribe Request, id=3, a/+, b/#", pair: PairRequest,
			fields: map[string]string{"body.topics.0.topic": `"a/+"`, "body.topics.1.topic": `"b/#"`},
		}},
		{s2c, mqttPacket(0xB0, mqttU16(3)), mqttWant{summary: "Unsubscribe Ack, id=3", pair: PairMatched, peer: 12}},
		{c2s, mqttPacket(0xC0), mqttWant{summary: "Ping Request", pair: PairRequest, fields: map[string]string{"length": "0"}}},
		{s2c, mqttPacket(0xD0), mqttWant{summary: "Ping Response", pair: PairMatched, peer: 14}},
		{c2s, mqttPacket(0xE0), mqttWant{summary: "Disconnect Req", fields: map[string]string{"length": "0"}}},
	}, 0)
}

// A whole MQTT 5.0 session: properties everywhere, reason codes, and the
// short forms of the acknowledgements.
func TestMQTT5Session(t *testing.T) {
	connProps := mqttProps(mqttPropU32(0x11, 3600), mqttPropU16(0x21, 20), mqttPropUser("site", "lab"))
	willProps := mqttProps(mqttPropU32(0x18, 5), mqttPropStr(0x03, "text/plain"), mqttPropByte(0x01, 1))
	pubProps := mqttProps(mqttPropU16(0x23, 4), mqttPropStr(0x08, "reply/1"), mqttPropStr(0x09, "\x01\x02"),
		[]byte{0x0B, 0x81, 0x01}) // subscription identifier 129 as a varint
	mqttRun(t, []mqttStep{
		{c2s, mqttConnectFull(5, connProps, willProps), mqttWant{
			summary: `Connect Command, MQTT v5.0, client dev-1`, pair: PairRequest,
			fields: map[string]string{
				"body.version": "MQTT v5.0 (5)", "body.properties.length": "20",
				"body.properties.list.0.id": "Session Expiry Interval (0x11)", "body.properties.list.0.value": "3600",
				"body.properties.list.1.id": "Receive Maximum (0x21)", "body.properties.list.1.value": "20",
				"body.properties.list.2.id": "User Property (0x26)", "body.properties.list.2.value.key": `"site"`,
				"body.properties.list.2.value.value": `"lab"`,
				"body.client_id":                     `"dev-1"`,
				"body.will_properties.list.0.id":     "Will Delay Interval (0x18)", "body.will_properties.list.0.value": "5",
				"body.will_properties.list.1.value.value": `"text/plain"`,
				"body.will_properties.list.2.value":       "1",
				"body.will_topic":                         `"status/dev-1"`, "body.username": `"alice"`, "body.password": `"s3cret"`,
			},
		}},
		{s2c, mqttPacket(0x20, []byte{0, 0}, mqttProps(mqttPropStr(0x12, "auto-1"), mqttPropByte(0x24, 1), mqttPropU16(0x22, 10))), mqttWant{
			summary: "Connect Ack, Success", pair: PairMatched, peer: 1,
			fields: map[string]string{
				"body.reason_code": "Success (0)", "body.flags.session_present": "0",
				"body.properties.list.0.value": `"auto-1"`, "body.properties.list.1.id": "Maximum QoS (0x24)",
				"body.properties.list.2.value": "10",
			},
		}},
		{c2s, mqttPublish(1, false, "a/x", 10, pubProps, "hello"), mqttWant{
			summary: `Publish Message, id=10, a/x`, pair: PairRequest,
			fields: map[string]string{
				"body.packet_id": "10", "body.properties.list.0.value": "4", "body.properties.list.1.value.value": `"reply/1"`,
				"body.properties.list.2.value.value": "0102", "body.properties.list.3.id": "Subscription Identifier (0x0b)",
				"body.properties.list.3.value": "129", "body.message": "68656c6c6f",
			},
			// Numbers are mqtt.prop_number (named by their switch case),
			// strings mqtt.prop_string (named in their struct).
			ws: map[string]string{
				"body.properties.list.0.value": "mqtt.prop_number", "body.properties.list.3.value": "mqtt.prop_number",
				"body.properties.list.1.value.value": "mqtt.prop_string", "body.properties.list.0.id": "mqtt.property_id",
			},
		}},
		// PUBACK with the reason code and properties left out: Success.
		{s2c, mqttPacket(0x40, mqttU16(10)), mqttWant{summary: "Publish Ack, id=10", pair: PairMatched, peer: 3}},
		{c2s, mqttPublish(0, false, "a/y", 0, mqttProps(), "z"), mqttWant{
			summary: `Publish Message, a/y`, fields: map[string]string{"body.properties.length": "0", "body.message": "7a"},
		}},
		{c2s, mqttPublish(2, false, "a/z", 11, mqttProps(), "q"), mqttWant{summary: `Publish Message, id=11, a/z`, pair: PairRequest}},
		// PUBREC with a reason code and no properties.
		{s2c, mqttPacket(0x50, mqttU16(11), []byte{0x10}), mqttWant{
			summary: "Publish Received, id=11, No matching subscribers", pair: PairMatched, peer: 6,
			fields: map[string]string{"body.result.reason_code": "No matching subscribers (16)"},
		}},
		// PUBREL with a reason code and properties.
		{c2s, mqttPacket(0x62, mqttU16(11), []byte{0x92}, mqttProps(mqttPropStr(0x1F, "lost"))), mqttWant{
			summary: "Publish Release, id=11, Packet Identifier not found", pair: PairRequest,
			fields: map[string]string{"body.result.properties.list.0.id": "Reason String (0x1f)", "body.result.properties.list.0.value": `"lost"`},
		}},
		{s2c, mqttPacket(0x70, mqttU16(11), []byte{0}, mqttProps()), mqttWant{
			summary: "Publish Complete, id=11, Success", pair: PairMatched, peer: 8,
		}},
		{c2s, mqttPacket(0x82, mqttU16(12), mqttProps([]byte{0x0B, 7}), mqttStr("s/#"), []byte{0x2E}), mqttWant{
			summary: "Subscribe Request, id=12, s/#", pair: PairRequest,
			fields: map[string]string{
				"body.properties.list.0.value":                     "7",
				"body.subscriptions.0.topic":                       `"s/#"`,
				"body.subscriptions.0.options.retain_handling":     "Do not send retained messages (2)",
				"body.subscriptions.0.options.retain_as_published": "1",
				"body.subscriptions.0.options.no_local":            "1",
				"body.subscriptions.0.options.qos":                 "Exactly once delivery (2)",
			},
		}},
		{s2c, mqttPacket(0x90, mqttU16(12), mqttProps(), []byte{0x02, 0x87}), mqttWant{
			summary: "Subscribe Ack, id=12", pair: PairMatched, peer: 10,
			fields: map[string]string{"body.reason_codes.0": "Granted QoS 2 (2)", "body.reason_codes.1": "Not authorized (135)"},
		}},
		{c2s, mqttPacket(0xA2, mqttU16(13), mqttProps(), mqttStr("s/#")), mqttWant{
			summary: "Unsubscribe Request, id=13, s/#", pair: PairRequest,
			fields: map[string]string{"body.topics.0.topic": `"s/#"`},
		}},
		{s2c, mqttPacket(0xB0, mqttU16(13), mqttProps(), []byte{0x11}), mqttWant{
			summary: "Unsubscribe Ack, id=13", pair: PairMatched, peer: 12,
			fields: map[string]string{"body.reason_codes.0": "No subscription existed (17)"},
		}},
		{c2s, mqttPacket(0xF0, []byte{0x18}, mqttProps(mqttPropStr(0x15, "SCRAM-SHA-1"), mqttPropStr(0x16, "abc"))), mqttWant{
			summary: "Authentication Exchange, Continue authentication",
			fields: map[string]string{
				"body.result.properties.list.0.value.value": `"SCRAM-SHA-1"`,
				"body.result.properties.list.1.value.value": "616263",
			},
		}},
		{c2s, mqttPacket(0xE0, []byte{0x04}, mqttProps(mqttPropU32(0x11, 0))), mqttWant{
			summary: "Disconnect Req, Disconnect with Will Message",
			fields:  map[string]string{"body.result.reason_code": "Disconnect with Will Message (4)"},
		}},
		{s2c, mqttPacket(0xE0), mqttWant{summary: "Disconnect Req", fields: map[string]string{"length": "0"}}},
	}, 0)
}

// The protocol level of CONNECT decides how the packets after it decode:
// the same bytes are a 3.1.1 or a 5.0 packet.
func TestMQTTVersionState(t *testing.T) {
	// A PUBLISH whose first payload byte would be a 5.0 property length of 0.
	pub := mqttPublish(1, false, "t", 5, nil, "\x00ok")
	// A SUBACK: a 3.1.1 return code, or a 5.0 property length then a reason code.
	suback := mqttPacket(0x90, mqttU16(6), []byte{0x00, 0x01})
	// A DISCONNECT with a reason code: trailing bytes in 3.1.1.
	disc := mqttPacket(0xE0, []byte{0x8E})
	sub3 := mqttPacket(0x82, mqttU16(6), mqttStr("t"), []byte{1})
	tests := []struct {
		name      string
		connect   []byte
		subscribe []byte
		pub       map[string]string
		suback    map[string]string
		disc      string
	}{
		{"3.1.1", mqttConnect(4, "c", nil), sub3,
			map[string]string{"body.message": "006f6b"},
			map[string]string{"body.return_codes.0": "Granted QoS 0 (0)", "body.return_codes.1": "Granted QoS 1 (1)"},
			"Disconnect Req"},
		{"3.1", mqttConnect(3, "c", nil), sub3,
			map[string]string{"body.message": "006f6b"},
			map[string]string{"body.return_codes.1": "Granted QoS 1 (1)"},
			"Disconnect Req"},
		{"5.0", mqttConnect(5, "c", mqttProps()), mqttPacket(0x82, mqttU16(6), mqttProps(), mqttStr("t"), []byte{1}),
			map[string]string{"body.properties.length": "0", "body.message": "6f6b"},
			map[string]string{"body.properties.length": "0", "body.reason_codes.0": "Granted QoS 1 (1)"},
			"Disconnect Req, Session taken over"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mqttRun(t, []mqttStep{
				{c2s, tt.connect, mqttWant{pair: PairRequest}},
				{c2s, tt.subscribe, mqttWant{pair: PairRequest}},
				{c2s, pub, mqttWant{pair: PairRequest, fields: tt.pub}},
				{s2c, suback, mqttWant{pair: PairMatched, peer: 2, fields: tt.suback}},
				{s2c, disc, mqttWant{summary: tt.disc}},
			}, 2)
		})
	}
}

// MQTT 3.1 let PUBREL, SUBSCRIBE and UNSUBSCRIBE set DUP on a re-delivery.
func TestMQTT31DupFlag(t *testing.T) {
	mqttRun(t, []mqttStep{
		{c2s, mqttConnect(3, "old", nil), mqttWant{pair: PairRequest, fields: map[string]string{"body.protocol_name": `"MQIsdp"`}}},
		{c2s, mqttPacket(0x8A, mqttU16(4), mqttStr("t"), []byte{0}), mqttWant{
			summary: "Subscribe Request, id=4, t", pair: PairRequest, fields: map[string]string{"dup": "1", "qos": "At least once delivery (1)"}}},
		{c2s, mqttPacket(0x6A, mqttU16(5)), mqttWant{summary: "Publish Release, id=5", pair: PairRequest}},
	}, 3)
}

// Without a CONNECT (a capture started later), the connection is taken as
// 3.1.1 until a CONNACK longer than 3.1.1's two bytes shows it is 5.0.
func TestMQTTVersionFromConnack(t *testing.T) {
	puback5 := mqttPacket(0x40, mqttU16(9), []byte{0x97}, mqttProps())
	mqttRun(t, []mqttStep{
		{s2c, mqttPacket(0x40, mqttU16(8)), mqttWant{summary: "Publish Ack, id=8", pair: PairUnsolicited}},
		{s2c, mqttPacket(0x20, []byte{0, 0x87}, mqttProps()), mqttWant{summary: "Connect Ack, Not authorized", pair: PairUnsolicited}},
		{s2c, puback5, mqttWant{summary: "Publish Ack, id=9, Quota exceeded", pair: PairUnsolicited}},
		// A 3.1.1 CONNACK switches back.
		{s2c, mqttPacket(0x20, []byte{0, 5}), mqttWant{summary: "Connect Ack, Connection Refused: not authorized", pair: PairUnsolicited}},
		{s2c, mqttPacket(0x90, mqttU16(1), []byte{0}), mqttWant{summary: "Subscribe Ack, id=1", pair: PairUnsolicited,
			fields: map[string]string{"body.return_codes.0": "Granted QoS 0 (0)"}}},
	}, 0)
}

// Malformed packets give records with errors, never a panic, and decoding
// goes on with the next packet.
func TestMQTTMalformed(t *testing.T) {
	ping := mqttPacket(0xD0)
	tests := []struct {
		name string
		v5   bool // after a 5.0 CONNECT
		data []byte
		err  string
	}{
		{"PUBLISH with QoS 3", false, mqttPublish(3, false, "t", 1, nil, "x"), "QoS 3 is reserved"},
		{"SUBSCRIBE without its fixed flags", false, mqttPacket(0x80, mqttU16(1), mqttStr("t"), []byte{0}), "reserved fixed-header flags"},
		{"CONNACK with flags", false, mqttPacket(0x21, []byte{0, 0}), "reserved fixed-header flags"},
		{"PINGRESP with the DUP bit", false, mqttPacket(0xD8), "reserved fixed-header flags"},
		{"topic longer than the packet", false, mqttPacket(0x30, mqttU16(50), []byte("abc")), "body.topic: truncated"},
		{"SUBACK without packet id", false, mqttPacket(0x90, []byte{1}), "body.packet_id: truncated"},
		{"PUBLISH with packet id 0", false, mqttPublish(1, false, "t", 0, nil, "x"), "packet identifier 0 is not allowed"},
		{"PUBACK with packet id 0", false, mqttPacket(0x40, mqttU16(0)), "packet identifier 0 is not allowed"},
		{"CONNECT cut short", false, mqttPacket(0x10, mqttStr("MQTT"), []byte{4}), "body.flags"},
		{"property list longer than the packet", true, mqttPacket(0x20, []byte{0, 0}, []byte{10, 0x24}), "body.properties.list: truncated"},
		{"property value cut by the property length", true, mqttPacket(0x20, []byte{0, 0}, []byte{2, 0x11, 0, 0, 0, 1}), "truncated"},
		{"unknown property id", true, mqttPacket(0x20, []byte{0, 0}, []byte{2, 0x7F, 0}), "no matching case"},
		{"bad property id varint", true, mqttPacket(0x40, mqttU16(1), []byte{0, 2, 0xFF, 0xFF}), "bad varint"},
		{"PUBACK reason code without its properties length", true, mqttPacket(0x40, mqttU16(1), []byte{0, 5}), "truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := libraryRegistry(t)
			var chunks []chunk
			if tt.v5 {
				chunks = append(chunks, chunk{c2s, mqttConnect(5, "c", mqttProps())})
			}
			chunks = append(chunks, chunk{s2c, tt.data}, chunk{s2c, ping})
			got := decodeChunks(t, reg, "mqtt", chunks)
			if tt.v5 {
				got = got[1:]
			}
			if len(got) < 2 || got[0].Kind != KindFrame || got[1].Kind != KindFrame {
				t.Fatalf("records: %v", got)
			}
			if !strings.Contains(got[0].Err, tt.err) {
				t.Errorf("error %q, want one containing %q", got[0].Err, tt.err)
			}
			if got[1].Summary != "Ping Response" || got[1].Err != "" {
				t.Errorf("after the bad packet: %v", got[1])
			}
		})
	}
}

// Bytes that cannot start a packet, a truncated stream, and a remaining
// length that does not end: skipped bytes or a partial frame, and the
// stream goes on where it can.
func TestMQTTStreamErrors(t *testing.T) {
	reg := libraryRegistry(t)
	ping := mqttPacket(0xC0)
	t.Run("bad varint", func(t *testing.T) {
		// A remaining length of five bytes cannot be: the bytes are skipped
		// up to the pings.
		var pings []byte
		for i := 0; i < 40; i++ {
			pings = append(pings, ping...)
		}
		got := decodeChunks(t, reg, "mqtt", []chunk{{c2s, mqttCat([]byte{0x30, 0x80, 0x80, 0x80, 0x80, 0x00}, pings)}})
		if len(got) < 41 || got[0].Kind != KindSkipped || got[0].Length != 6 || got[1].Summary != "Ping Request" {
			t.Fatalf("records: %v", got[:min(len(got), 5)])
		}
	})
	t.Run("truncated at the end", func(t *testing.T) {
		pub := mqttPublish(0, false, "topic", 0, nil, "payload")
		got := decodeChunks(t, reg, "mqtt", []chunk{{c2s, mqttCat(ping, pub[:9])}})
		if len(got) != 3 || got[1].Kind != KindFrame || !strings.Contains(got[1].Err, "incomplete frame") {
			t.Fatalf("records: %v", got)
		}
		if got[1].Field(t, "body.topic") != `"topic"` {
			t.Errorf("partial frame: topic %s", got[1].Field(t, "body.topic"))
		}
	})
	t.Run("garbage", func(t *testing.T) {
		// Packet type 0 never starts a packet: skipped.
		garbage := []byte{0x00, 0x00, 0x0F, 0x05, 0x00, 0x00}
		got := decodeChunks(t, reg, "mqtt", []chunk{{c2s, mqttCat(ping, garbage, ping, ping)}})
		var kinds []string
		for _, r := range got {
			if r.Kind != KindUnanswered {
				kinds = append(kinds, r.Kind.String())
			}
		}
		if strings.Join(kinds, ",") != "frame,skipped,frame,frame" || got[1].Length != 6 {
			t.Fatalf("records: %v", got)
		}
	})
	t.Run("random bytes", func(t *testing.T) {
		seed := uint32(7)
		data := make([]byte, 5000)
		for i := range data {
			seed = seed*1664525 + 1013904223
			data[i] = byte(seed >> 24)
		}
		got := decodeChunks(t, reg, "mqtt", []chunk{{c2s, data}, {s2c, data}})
		if len(got) == 0 {
			t.Fatal("no records")
		}
	})
}

// Every way of cutting a 5.0 client stream gives the same records: the
// CONNECT's version must reach the packets after it whatever the split.
func TestMQTTEverySplit(t *testing.T) {
	reg := libraryRegistry(t)
	stream := mqttCat(
		mqttConnect(5, "split", mqttProps(mqttPropU32(0x11, 10))),
		mqttPublish(1, false, "x/y", 1, mqttProps(mqttPropUser("k", "v")), "data"),
		mqttPacket(0x82, mqttU16(2), mqttProps(), mqttStr("x/#"), []byte{1}),
		mqttPacket(0x62, mqttU16(1)),
		mqttPacket(0xC0),
		mqttPacket(0xE0, []byte{0}, mqttProps()),
	)
	got := checkEverySplit(t, reg, "mqtt", c2s, stream)
	want := []string{
		"Connect Command, MQTT v5.0, client split",
		"Publish Message, id=1, x/y",
		"Subscribe Request, id=2, x/#",
		"Publish Release, id=1",
		"Ping Request",
		"Disconnect Req, Normal disconnection",
	}
	var frames []decodedFrame
	for _, r := range got {
		if r.Kind == KindFrame {
			frames = append(frames, r)
		}
	}
	if len(frames) != len(want) {
		t.Fatalf("%d frames, want %d: %v", len(frames), len(want), got)
	}
	for i, w := range want {
		if frames[i].Summary != w || frames[i].Err != "" {
			t.Errorf("frame %d: %v, want %q", i, frames[i], w)
		}
	}
	if v := frames[1].Field(t, "body.properties.list.0.value.key"); v != `"k"` {
		t.Errorf("user property key %s", v)
	}
}

// A large PUBLISH whose remaining length takes three bytes.
func TestMQTTLargePublish(t *testing.T) {
	payload := strings.Repeat("p", 40000)
	mqttRun(t, []mqttStep{
		{c2s, mqttPublish(0, false, "big", 0, nil, payload), mqttWant{
			summary: `Publish Message, big`,
			fields:  map[string]string{"length": "40005", "body.topic": `"big"`},
		}},
	}, 0)
}
