package dissectors

import (
	"testing"

	"github.com/dissect-project/dissect/internal/pcapgen"
)

// The session of testdata/pcaps/amqp-basic.pcap: every frame type, the
// common methods with their arguments, field tables of every kind,
// content properties, and pairing of each method with its -Ok.
func TestAMQPSession(t *testing.T) {
	got := decodeFrames(t, "amqp", sessionChunks(pcapgen.AMQPSession())...)
	args := "frame.payload.arguments."
	checkRecs(t, got, []recWant{
		{summary: "Protocol-Header 0-9-1", fields: map[string]string{"frame.protocol": `"AMQP"`, "frame.minor": "9", "frame.revision": "1"}},
		{summary: "Connection.Start PLAIN AMQPLAIN", pair: PairRequest, fields: map[string]string{
			"frame.type": "Method (1)", "frame.channel": "0", "frame.size": "129", "frame.frame_end": "0xce",
			"frame.payload.class_id": "Connection (10)", "frame.payload.method_id": "10",
			"frame.payload.method":                          "Connection.Start (655370)",
			args + "version_minor":                          "9",
			args + "server_properties":                      `capabilities={publisher_confirms=true, basic.nack=true}, product="RabbitMQ", version="3.10.8"`,
			args + "server_properties.size":                 "92",
			args + "server_properties.entries.0.value.type": "70",
			args + "locales.value":                          `"en_US"`}},
		{summary: "Connection.Start-Ok PLAIN", pair: PairMatched, peer: 2, fields: map[string]string{
			args + "response.value": "006775657374006775657374", args + "locale.value": `"en_US"`,
			args + "client_properties.entries.1.value.value": "4242"}},
		{summary: "Connection.Tune channel_max=2047 frame_max=131072 heartbeat=60 s", pair: PairRequest},
		{summary: "Connection.Tune-Ok channel_max=2047 frame_max=131072 heartbeat=60 s", pair: PairMatched, peer: 4},
		{summary: "Connection.Open vhost=/", fields: map[string]string{args + "bits.insist": "0"}},
		{summary: "Connection.Open-Ok", pair: PairMatched, peer: 6},
		{summary: "Channel.Open", pair: PairRequest, fields: map[string]string{"frame.channel": "1"}},
		{summary: "Channel.Open-Ok", pair: PairMatched, peer: 8},
		{summary: "Exchange.Declare x=shop type=direct", fields: map[string]string{args + "bits.durable": "1", args + "bits.passive": "0", args + "arguments.size": "0"}},
		{summary: "Exchange.Declare-Ok", pair: PairMatched, peer: 10},
		{summary: "Queue.Declare q=orders", fields: map[string]string{args + "arguments": "x-max-length=1000"}},
		{summary: "Queue.Declare-Ok q=orders messages=0 consumers=0", pair: PairMatched, peer: 12},
		{summary: "Queue.Bind q=orders x=shop bk=new"},
		{summary: "Queue.Bind-Ok", pair: PairMatched, peer: 14},
		{summary: "Basic.Publish x=shop rk=new", pair: PairNone, fields: map[string]string{args + "bits.mandatory": "1", args + "bits.immediate": "0"}},
		{summary: "Content-Header type=application/json", fields: map[string]string{
			"frame.type": "Content header (2)", "frame.payload.class_id": "Basic (60)", "frame.payload.body_size": "21",
			"frame.payload.property_flags": "message_id|delivery_mode|headers|content_encoding|content_type (0xf080)",
			"frame.payload.content_type":   `"application/json"`, "frame.payload.content_encoding": `"utf-8"`,
			"frame.payload.headers":       `app="dissect", sent=2023-11-14T22:13:20Z (1700000000)`,
			"frame.payload.delivery_mode": "Persistent (2)", "frame.payload.message_id": `"m-1"`},
			absent: []string{"frame.payload.priority", "frame.payload.timestamp"}},
		{summary: "Content-Body", fields: map[string]string{"frame.type": "Content body (3)", "frame.payload.payload": "7b226964223a312c226974656d223a2270656e227d"}},
		{summary: "Basic.Get q=orders", pair: PairRequest},
		{summary: "Basic.Get-Ok x=shop rk=new", pair: PairMatched, peer: 17, fields: map[string]string{args + "delivery_tag": "1", args + "message_count": "0"}},
		{summary: "Content-Header type=application/json"},
		{summary: "Content-Body"},
		{summary: "Basic.Get q=orders", fields: map[string]string{args + "bits.no_ack": "1"}},
		{summary: "Basic.Get-Empty", pair: PairMatched, peer: 19},
		{summary: "Basic.Consume q=orders"},
		{summary: "Basic.Consume-Ok tag=amq.ctag-1", pair: PairMatched, peer: 21},
		{summary: "Basic.Deliver x=shop rk=new", fields: map[string]string{args + "delivery_tag": "2", args + "bits.redelivered": "1", args + "consumer_tag": `"amq.ctag-1"`}},
		{summary: "Content-Header", fields: map[string]string{"frame.payload.property_flags": "none (0x0000)"}},
		{summary: "Content-Body"},
		{summary: "Basic.Ack tag=2", pair: PairNone, fields: map[string]string{args + "bits.multiple": "0"}},
		{summary: "Heartbeat", fields: map[string]string{"frame.type": "Heartbeat (8)", "frame.size": "0"}},
		{summary: "Heartbeat"},
		{summary: "Channel.Close reply=reply-success Goodbye", fields: map[string]string{args + "reply_code": "reply-success (200)"}},
		{summary: "Channel.Close-Ok", pair: PairMatched, peer: 27},
		{summary: "Connection.Close reply=reply-success Goodbye"},
		{summary: "Connection.Close-Ok", pair: PairMatched, peer: 29},
	})
	// The client properties hold every kind of field value.
	if v := got[2].Field(t, args+"client_properties"); v != `product="dissect-test", pid=4242, tags=[{"a"}, {7}], none=void` &&
		v != `product="dissect-test", pid=4242, tags=["a", 7], none=void` {
		t.Errorf("client_properties = %s", v)
	}
}

func TestAMQPEverySplit(t *testing.T) {
	var stream []byte
	for _, m := range pcapgen.AMQPSession()[:18] {
		if m.Dir == pcapgen.ClientToServer {
			stream = append(stream, m.Data...)
		}
	}
	got := checkEverySplit(t, libraryRegistry(t), "amqp", c2s, stream)
	if len(got) < 10 {
		t.Fatalf("%d records", len(got))
	}
}

// Malformed frames: a wrong frame-end, a heartbeat on a channel, a field
// table whose entries overrun it, an unknown field type, a hostile string
// length, and bytes that are no frame.
func TestAMQPMalformed(t *testing.T) {
	badEnd := pcapgen.AMQPMethod(1, 60, 80, []byte{0, 0, 0, 0, 0, 0, 0, 1}, []byte{0})
	badEnd[len(badEnd)-1] = 0xCD
	table := pcapgen.AMQPTable(pcapgen.AMQPField{Name: "k", Value: pcapgen.AMQPStr("value")})
	table[3] -= 2 // the table ends inside its entry
	overrun := pcapgen.AMQPMethod(1, 50, 10, []byte{0, 0}, pcapgen.AMQPShort("q"), []byte{0}, table)
	badType := pcapgen.AMQPMethod(1, 50, 10, []byte{0, 0}, pcapgen.AMQPShort("q"), []byte{0},
		pcapgen.AMQPTable(pcapgen.AMQPField{Name: "k", Value: []byte{'?', 1}}))
	hostile := pcapgen.AMQPMethod(0, 10, 10, []byte{0, 9}, []byte{0xff, 0xff, 0xff, 0xff})
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"frame end is not 0xCE", badEnd, []string{"frame frame_end: bad value: expected 0xCE, found 205"}},
		{"heartbeat on channel 1", pcapgen.AMQPFrame(8, 1, nil), []string{"frame heartbeat frame on a channel other than 0"}},
		{"field table overrun", overrun, []string{"frame truncated"}},
		{"unknown field type", badType, []string{"frame no matching case"}},
		{"hostile table size", hostile, []string{"frame out of range"}},
		{"not a frame", []byte("GET / HTTP/1.1\r\n\r\n"), []string{"skipped no valid frame"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs := decodeChunks(t, libraryRegistry(t), "amqp", []chunk{{c2s, tc.data}})
			checkRecordRun(t, recs, tc.want, len(tc.data))
		})
	}
}
