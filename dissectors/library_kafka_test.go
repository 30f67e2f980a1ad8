package dissectors

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
)

// Byte builders for Kafka protocol messages, from the Kafka protocol guide
// and the message definitions (clients/src/main/resources/common/message).

func kafkaI8(v int8) []byte   { return []byte{byte(v)} }
func kafkaI16(v int16) []byte { return binary.BigEndian.AppendUint16(nil, uint16(v)) }
func kafkaI32(v int32) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v)) }

func kafkaCat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// kafkaStr is a STRING (int16 length); kafkaNull the null NULLABLE_STRING.
func kafkaStr(s string) []byte { return append(kafkaI16(int16(len(s))), s...) }

var kafkaNull = kafkaI16(-1)

func kafkaUvarint(n uint64) []byte { return binary.AppendUvarint(nil, n) }

// kafkaCStr is a COMPACT_STRING: the length + 1 as an unsigned varint.
func kafkaCStr(s string) []byte { return append(kafkaUvarint(uint64(len(s)+1)), s...) }

// kafkaNoTags is an empty tagged-field section.
var kafkaNoTags = []byte{0}

// kafkaRequest builds a request: size, header (v1, or v2 with tagged
// fields when flexible), body.
func kafkaRequest(key, version int16, corr int32, client string, flexible bool, body ...[]byte) []byte {
	h := kafkaCat(kafkaI16(key), kafkaI16(version), kafkaI32(corr), kafkaStr(client))
	if flexible {
		h = append(h, kafkaNoTags...)
	}
	m := kafkaCat(append([][]byte{h}, body...)...)
	return kafkaCat(kafkaI32(int32(len(m))), m)
}

// kafkaResponse builds a response: size, header (v0, or v1 with tagged
// fields), body.
func kafkaResponse(corr int32, flexible bool, body ...[]byte) []byte {
	h := kafkaI32(corr)
	if flexible {
		h = append(h, kafkaNoTags...)
	}
	m := kafkaCat(append([][]byte{h}, body...)...)
	return kafkaCat(kafkaI32(int32(len(m))), m)
}

// ApiVersions in every layout: v0, v1 to v2 (throttle time), and v3+
// (flexible body, but a v0 response header); a broker that does not
// support the version answers with a v0 body and UNSUPPORTED_VERSION.
func TestKafkaApiVersions(t *testing.T) {
	v0resp := kafkaCat(kafkaI16(0), kafkaI32(2), kafkaI16(0), kafkaI16(0), kafkaI16(9), kafkaI16(18), kafkaI16(0), kafkaI16(3))
	v3resp := kafkaCat(kafkaI16(0), kafkaUvarint(3),
		kafkaI16(3), kafkaI16(0), kafkaI16(12), kafkaNoTags,
		kafkaI16(18), kafkaI16(0), kafkaI16(3), kafkaNoTags,
		kafkaI32(0),
		kafkaUvarint(1), kafkaUvarint(1), kafkaUvarint(8), kafkaI32(-1), kafkaI32(-1)) // tag 1: finalized features epoch
	got := decodeFrames(t, "kafka",
		chunk{c2s, kafkaRequest(18, 0, 1, "sarama", false)},                                                           // 1
		chunk{s2c, kafkaResponse(1, false, v0resp)},                                                                   // 2
		chunk{c2s, kafkaRequest(18, 2, 2, "java", false)},                                                             // 3
		chunk{s2c, kafkaResponse(2, false, v0resp, kafkaI32(100))},                                                    // 4
		chunk{c2s, kafkaRequest(18, 3, 3, "rdkafka", true, kafkaCStr("librdkafka"), kafkaCStr("2.3.0"), kafkaNoTags)}, // 5
		chunk{s2c, kafkaResponse(3, false, v3resp)},                                                                   // 6
		chunk{c2s, kafkaRequest(18, 4, 4, "new", true, kafkaCStr("x"), kafkaCStr("1"), kafkaNoTags)},                  // 7
		chunk{s2c, kafkaResponse(4, false, kafkaI16(35), kafkaI32(1), kafkaI16(18), kafkaI16(0), kafkaI16(3))},        // 8
	)
	checkRecs(t, got, []recWant{
		{summary: "Request ApiVersions v0, correlation id 1", pair: PairRequest, fields: map[string]string{
			"length": "16", "api_key": "ApiVersions (18)", "api_version": "0", "correlation_id": "1",
			"client_id_length": "6", "client_id": `"sarama"`, "flexible": "0"}, absent: []string{"tagged_fields"}},
		{summary: "Response to ApiVersions: NONE, 2 items, correlation id 1", pair: PairMatched, peer: 1, fields: map[string]string{
			"length": "22", "correlation_id": "1", "api_key": "18", "api_version": "0",
			"body.error_code": "NONE (0)", "body.api_count": "2",
			"body.api_keys.0.api_key": "Produce (0)", "body.api_keys.0.max_version": "9",
			"body.api_keys.1.api_key": "ApiVersions (18)", "body.api_keys.1.max_version": "3"},
			absent: []string{"body.throttle_time_ms", "tagged_fields"}},
		{summary: "Request ApiVersions v2, correlation id 2", pair: PairRequest},
		{summary: "Response to ApiVersions: NONE, 2 items, correlation id 2", pair: PairMatched, peer: 3, fields: map[string]string{
			"body.throttle_time_ms": "100 ms"}},
		{summary: `Request ApiVersions v3, correlation id 3, librdkafka 2.3.0`, pair: PairRequest, fields: map[string]string{
			"flexible": "1", "tagged_fields.count": "0",
			"body.client_software_name_length": "11", "body.client_software_name": `"librdkafka"`,
			"body.client_software_version": `"2.3.0"`}},
		// The response header stays v0: no tagged fields before the body.
		{summary: "Response to ApiVersions: NONE, 2 items, correlation id 3", pair: PairMatched, peer: 5, fields: map[string]string{
			"flexible": "1", "body.api_count": "3", "body.api_keys.0.api_key": "Metadata (3)", "body.api_keys.0.max_version": "12",
			"body.api_keys.1.tagged_fields.count": "0", "body.throttle_time_ms": "0 ms",
			"body.tagged_fields.count": "1", "body.tagged_fields.fields.0.tag": "1", "body.tagged_fields.fields.0.size": "8",
			"body.tagged_fields.fields.0.data": "ffffffffffffffff"}, absent: []string{"tagged_fields"}},
		{summary: `Request ApiVersions v4, correlation id 4, x 1`, pair: PairRequest},
		{summary: "Response to ApiVersions: UNSUPPORTED_VERSION, 1 item, correlation id 4", pair: PairMatched, peer: 7, fields: map[string]string{
			"body.api_keys.0.max_version": "3"}, absent: []string{"body.throttle_time_ms"}},
	})
}

// Metadata requests and responses of versions 0 to 8, each with the
// fields its version adds; version 9 (flexible) is kept as bytes.
func TestKafkaMetadata(t *testing.T) {
	type version struct {
		v       int16
		present []string
		absent  []string
	}
	versions := []version{
		{0, nil, []string{"body.controller_id", "body.brokers.0.rack", "body.cluster_id", "body.throttle_time_ms", "body.topics.0.is_internal"}},
		{1, []string{"body.controller_id", "body.brokers.0.rack_length", "body.topics.0.is_internal"}, []string{"body.cluster_id_length", "body.throttle_time_ms"}},
		{2, []string{"body.cluster_id"}, []string{"body.throttle_time_ms"}},
		{3, []string{"body.throttle_time_ms", "body.cluster_id"}, []string{"body.topics.0.partitions.0.offline_replicas"}},
		{5, []string{"body.topics.0.partitions.0.offline_replicas"}, []string{"body.topics.0.partitions.0.leader_epoch"}},
		{7, []string{"body.topics.0.partitions.0.leader_epoch"}, []string{"body.cluster_authorized_operations", "body.topics.0.topic_authorized_operations"}},
		{8, []string{"body.cluster_authorized_operations", "body.topics.0.topic_authorized_operations"}, nil},
	}
	for _, ver := range versions {
		v := ver.v
		t.Run(fmt.Sprintf("v%d", v), func(t *testing.T) {
			req := kafkaCat(kafkaI32(2), kafkaStr("orders"), kafkaStr("audit"))
			if v >= 4 {
				req = append(req, 1)
			}
			if v >= 8 {
				req = append(req, 0, 1)
			}
			broker := kafkaCat(kafkaI32(1), kafkaStr("kafka-1"), kafkaI32(9092))
			if v >= 1 {
				broker = append(broker, kafkaStr("rack-a")...)
			}
			part := kafkaCat(kafkaI16(0), kafkaI32(0), kafkaI32(1))
			if v >= 7 {
				part = append(part, kafkaI32(4)...)
			}
			part = kafkaCat(part, kafkaI32(2), kafkaI32(1), kafkaI32(2), kafkaI32(1), kafkaI32(1))
			if v >= 5 {
				part = kafkaCat(part, kafkaI32(1), kafkaI32(2))
			}
			topic := kafkaCat(kafkaI16(0), kafkaStr("orders"))
			if v >= 1 {
				topic = append(topic, 0)
			}
			topic = kafkaCat(topic, kafkaI32(1), part)
			if v >= 8 {
				topic = append(topic, kafkaI32(0x0F8)...)
			}
			bad := kafkaCat(kafkaI16(3), kafkaStr("audit"))
			if v >= 1 {
				bad = append(bad, 0)
			}
			bad = append(bad, kafkaI32(0)...)
			if v >= 8 {
				bad = append(bad, kafkaI32(-2147483648)...)
			}
			var resp []byte
			if v >= 3 {
				resp = kafkaI32(0)
			}
			resp = kafkaCat(resp, kafkaI32(1), broker)
			if v >= 2 {
				resp = append(resp, kafkaStr("cluster-x")...)
			}
			if v >= 1 {
				resp = append(resp, kafkaI32(1)...)
			}
			resp = kafkaCat(resp, kafkaI32(2), topic, bad)
			if v >= 8 {
				resp = append(resp, kafkaI32(-2147483648)...)
			}
			got := decodeFrames(t, "kafka",
				chunk{c2s, kafkaRequest(3, v, 100+int32(v), "client", false, req)},
				chunk{s2c, kafkaResponse(100+int32(v), false, resp)},
			)
			fields := map[string]string{
				"body.broker_count": "1", "body.brokers.0.node_id": "1", "body.brokers.0.host": `"kafka-1"`, "body.brokers.0.port": "9092",
				"body.topic_count": "2", "body.topics.0.error_code": "NONE (0)", "body.topics.0.name": `"orders"`,
				"body.topics.0.partitions.0.partition_index": "0", "body.topics.0.partitions.0.leader_id": "1",
				"body.topics.0.partitions.0.replica_nodes.1": "2", "body.topics.0.partitions.0.isr_nodes.0": "1",
				"body.topics.1.error_code": "UNKNOWN_TOPIC_OR_PARTITION (3)", "body.topics.1.partition_count": "0",
			}
			present := map[string]bool{}
			for _, p := range ver.present {
				present[p] = true
			}
			if present["body.cluster_id"] {
				fields["body.cluster_id"] = `"cluster-x"`
			}
			if present["body.topics.0.partitions.0.leader_epoch"] {
				fields["body.topics.0.partitions.0.leader_epoch"] = "4"
			}
			if present["body.topics.0.topic_authorized_operations"] {
				fields["body.topics.0.topic_authorized_operations"] = "0x000000f8"
				fields["body.cluster_authorized_operations"] = "0x80000000"
			}
			for p := range present {
				if _, ok := fields[p]; !ok {
					fields[p] = "" // checked for presence below
				}
			}
			reqFields := map[string]string{"body.topic_count": "2", "body.topics.0.name": `"orders"`, "body.topics.1.name": `"audit"`}
			reqAbsent := []string{"body.allow_auto_topic_creation"}
			if v >= 4 {
				reqFields["body.allow_auto_topic_creation"] = "true"
				reqAbsent = []string{"body.include_topic_authorized_operations"}
			}
			if v >= 8 {
				reqFields["body.include_cluster_authorized_operations"] = "false"
				reqFields["body.include_topic_authorized_operations"] = "true"
				reqAbsent = nil
			}
			if len(got) != 2 {
				t.Fatalf("records: %v", got)
			}
			for p := range present {
				if _, ok := got[1].Fields[p]; !ok {
					t.Errorf("v%d: no field %s", v, p)
				}
				if fields[p] == "" {
					delete(fields, p)
				}
			}
			checkRecs(t, got, []recWant{
				{summary: fmt.Sprintf("Request Metadata v%d, correlation id %d, orders, audit", v, 100+v),
					pair: PairRequest, fields: reqFields, absent: reqAbsent},
				{summary: fmt.Sprintf("Response to Metadata: brokers 1, topics 2, correlation id %d", 100+v),
					pair: PairMatched, peer: 1, fields: fields, absent: ver.absent},
			})
		})
	}
	t.Run("null and empty topic lists", func(t *testing.T) {
		got := decodeFrames(t, "kafka",
			chunk{c2s, kafkaRequest(3, 0, 1, "c", false, kafkaI32(0))},
			chunk{c2s, kafkaRequest(3, 1, 2, "c", false, kafkaI32(-1))},
			chunk{c2s, kafkaRequest(3, 9, 3, "c", true, []byte{0, 1, 0, 0})},
			chunk{s2c, kafkaResponse(3, true, []byte{0, 0, 0, 0, 1})},
		)
		checkRecs(t, got, []recWant{
			{summary: "Request Metadata v0, correlation id 1, ", fields: map[string]string{"body.topic_count": "0"}},
			{summary: "Request Metadata v1, correlation id 2, ", fields: map[string]string{"body.topic_count": "-1"}},
			{summary: "Request Metadata v9, correlation id 3", fields: map[string]string{"flexible": "1", "tagged_fields.count": "0", "body.data": "00010000"}},
			// A flexible response header has tagged fields.
			{summary: "Response to api key 3 v9, correlation id 3", pair: PairMatched, peer: 3, fields: map[string]string{
				"flexible": "1", "tagged_fields.count": "0", "body.data": "0000000001"}},
		})
	})
}

// SaslHandshake, FindCoordinator and Heartbeat bodies, and bodies kept as
// bytes.
func TestKafkaOtherBodies(t *testing.T) {
	got := decodeFrames(t, "kafka",
		chunk{c2s, kafkaRequest(17, 1, 1, "c", false, kafkaStr("SCRAM-SHA-512"))},                                                     // 1
		chunk{s2c, kafkaResponse(1, false, kafkaI16(33), kafkaI32(2), kafkaStr("PLAIN"), kafkaStr("SCRAM-SHA-256"))},                  // 2
		chunk{c2s, kafkaRequest(10, 0, 2, "c", false, kafkaStr("group-a"))},                                                           // 3
		chunk{s2c, kafkaResponse(2, false, kafkaI16(0), kafkaI32(3), kafkaStr("b3"), kafkaI32(9092))},                                 // 4
		chunk{c2s, kafkaRequest(10, 2, 3, "c", false, kafkaStr("txn-1"), kafkaI8(1))},                                                 // 5
		chunk{s2c, kafkaResponse(3, false, kafkaI32(5), kafkaI16(15), kafkaStr("not yet"), kafkaI32(-1), kafkaStr(""), kafkaI32(-1))}, // 6
		chunk{c2s, kafkaRequest(12, 0, 4, "c", false, kafkaStr("g"), kafkaI32(7), kafkaStr("m-1"))},                                   // 7
		chunk{s2c, kafkaResponse(4, false, kafkaI16(27))},                                                                             // 8
		chunk{c2s, kafkaRequest(12, 3, 5, "c", false, kafkaStr("g"), kafkaI32(8), kafkaStr("m-1"), kafkaNull)},                        // 9
		chunk{s2c, kafkaResponse(5, false, kafkaI32(0), kafkaI16(0))},                                                                 // 10
		chunk{c2s, kafkaRequest(1, 11, 6, "c", false, []byte{0xFF, 0xFF, 0xFF, 0xFF})},                                                // 11
		chunk{s2c, kafkaResponse(6, false, []byte{0, 0, 0, 0, 0, 0})},                                                                 // 12
	)
	checkRecs(t, got, []recWant{
		{summary: `Request SaslHandshake v1, correlation id 1, SCRAM-SHA-512`, pair: PairRequest, fields: map[string]string{
			"flexible": "0", "body.mechanism": `"SCRAM-SHA-512"`}},
		{summary: "Response to SaslHandshake: UNSUPPORTED_SASL_MECHANISM, correlation id 1", pair: PairMatched, peer: 1, fields: map[string]string{
			"body.mechanism_count": "2", "body.mechanisms.1.name": `"SCRAM-SHA-256"`}},
		{summary: `Request FindCoordinator v0, correlation id 2, group-a`, fields: map[string]string{"body.key": `"group-a"`},
			absent: []string{"body.key_type"}},
		{summary: `Response to FindCoordinator: NONE, node 3 b3:9092, correlation id 2`, pair: PairMatched, peer: 3,
			absent: []string{"body.throttle_time_ms", "body.error_message"}},
		{summary: `Request FindCoordinator v2, correlation id 3, txn-1`, fields: map[string]string{"body.key_type": "Transaction (1)"}},
		{summary: `Response to FindCoordinator: COORDINATOR_NOT_AVAILABLE, node -1 :-1, correlation id 3`, fields: map[string]string{
			"body.throttle_time_ms": "5 ms", "body.error_message": `"not yet"`}},
		{summary: `Request Heartbeat v0, correlation id 4, group g`, fields: map[string]string{
			"body.generation_id": "7", "body.member_id": `"m-1"`}, absent: []string{"body.group_instance_id_length"}},
		{summary: "Response to Heartbeat: REBALANCE_IN_PROGRESS, correlation id 4", absent: []string{"body.throttle_time_ms"}},
		{summary: `Request Heartbeat v3, correlation id 5, group g`, fields: map[string]string{
			"body.group_instance_id_length": "-1"}, absent: []string{"body.group_instance_id"}},
		{summary: "Response to Heartbeat: NONE, correlation id 5", fields: map[string]string{"body.throttle_time_ms": "0 ms"}},
		{summary: "Request Fetch v11, correlation id 6", fields: map[string]string{"body.data": "ffffffff"}},
		{summary: "Response to api key 1 v11, correlation id 6", pair: PairMatched, peer: 11, fields: map[string]string{
			"api_key": "1", "api_version": "11", "body.api_key": "1", "body.data": "000000000000"}},
	})
}

// Responses find their request among the last eight by correlation id,
// in any order; older ones, and responses to requests never seen, keep
// their body as bytes but still pair.
func TestKafkaPipelining(t *testing.T) {
	var chunks []chunk
	for i := int32(1); i <= 10; i++ {
		chunks = append(chunks, chunk{c2s, kafkaRequest(12, 0, i, "c", false, kafkaStr("g"), kafkaI32(i), kafkaStr("m"))})
	}
	for _, i := range []int32{10, 3, 9, 2, 1, 42} {
		chunks = append(chunks, chunk{s2c, kafkaResponse(i, false, kafkaI16(int16(i)))})
	}
	got := decodeFrames(t, "kafka", chunks...)
	if len(got) != 16 {
		t.Fatalf("records: %v", got)
	}
	checkRecs(t, got[10:], []recWant{
		{summary: "Response to Heartbeat: MESSAGE_TOO_LARGE, correlation id 10", pair: PairMatched, peer: 10},
		{summary: "Response to Heartbeat: UNKNOWN_TOPIC_OR_PARTITION, correlation id 3", pair: PairMatched, peer: 3},
		{summary: "Response to Heartbeat: REPLICA_NOT_AVAILABLE, correlation id 9", pair: PairMatched, peer: 9},
		// Requests 1 and 2 are more than eight requests back.
		{summary: "Response, correlation id 2", pair: PairMatched, peer: 2, fields: map[string]string{"api_key": "-1", "body.data": "0002"}},
		{summary: "Response, correlation id 1", pair: PairMatched, peer: 1},
		{summary: "Response, correlation id 42", pair: PairUnsolicited, fields: map[string]string{"api_version": "-1", "flexible": "0"}},
	})
}

// Malformed messages: records with errors or skipped bytes, never a panic.
func TestKafkaMalformed(t *testing.T) {
	good := kafkaRequest(18, 0, 9, "c", false)
	tests := []struct {
		name string
		data []byte
		want []recWant
	}{
		{"client id longer than the message", kafkaCat(kafkaI32(10), kafkaI16(18), kafkaI16(0), kafkaI32(1), kafkaI16(50)),
			[]recWant{{err: "client_id: truncated"}, {summary: "Request ApiVersions v0, correlation id 9"}}},
		{"array count larger than the message", kafkaRequest(3, 1, 1, "c", false, kafkaI32(1000), kafkaStr("t")),
			[]recWant{{err: "body.topics[1].length: truncated"}, {summary: "Request ApiVersions v0, correlation id 9"}}},
		{"bad varint in a flexible header", kafkaCat(kafkaI32(21), kafkaI16(18), kafkaI16(3), kafkaI32(1), kafkaStr("c"), []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80}),
			[]recWant{{err: "bad varint"}, {summary: "Request ApiVersions v0, correlation id 9"}}},
		{"compact string longer than the message", kafkaRequest(18, 3, 1, "c", true, kafkaUvarint(100)),
			[]recWant{{err: "body.client_software_name: truncated"}, {summary: "Request ApiVersions v0, correlation id 9"}}},
		// Skipped; searching on, 00 00 02 00 00 00 looks like the size of
		// a longer message, which runs past the end of the stream; so the
		// search goes on and finds the good request.
		{"size below the smallest message", kafkaCat(kafkaI32(2), []byte{0, 0}),
			[]recWant{{summary: "Request ApiVersions v0, correlation id 9"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decodeFrames(t, "kafka", chunk{c2s, tt.data}, chunk{c2s, good})
			var frames []decodedFrame
			skipped := false
			for _, g := range got {
				if g.Kind == KindFrame {
					frames = append(frames, g)
				}
				skipped = skipped || g.Kind == KindSkipped
			}
			if len(tt.want) < 2 && !skipped {
				t.Errorf("no skipped bytes: %v", got)
			}
			checkRecs(t, frames, tt.want)
		})
	}
	t.Run("truncated at the end", func(t *testing.T) {
		got := decodeFrames(t, "kafka", chunk{c2s, good[:10]})
		if len(got) != 1 || !strings.Contains(got[0].Err, "incomplete frame") || got[0].Field(t, "api_key") != "ApiVersions (18)" {
			t.Fatalf("records: %v", got)
		}
	})
	t.Run("garbage", func(t *testing.T) {
		seed := uint32(3)
		data := make([]byte, 3000)
		for i := range data {
			seed = seed*1664525 + 1013904223
			data[i] = byte(seed >> 24)
		}
		for _, r := range decodeFrames(t, "kafka", chunk{c2s, data}, chunk{s2c, data}) {
			if r.Kind == KindFrame && r.Err == "" && r.Length > len(data) {
				t.Fatalf("record %v longer than the data", r)
			}
		}
	})
}

// Every way of cutting a client stream gives the same records.
func TestKafkaEverySplit(t *testing.T) {
	reg := libraryRegistry(t)
	stream := kafkaCat(
		kafkaRequest(18, 3, 1, "split", true, kafkaCStr("dissect"), kafkaCStr("1.0"), kafkaNoTags),
		kafkaRequest(3, 8, 2, "split", false, kafkaI32(1), kafkaStr("t"), []byte{1, 0, 0}),
		kafkaRequest(17, 1, 3, "split", false, kafkaStr("PLAIN")),
		kafkaRequest(0, 9, 4, "split", true, []byte{0, 0, 1}),
	)
	got := checkEverySplit(t, reg, "kafka", c2s, stream)
	want := []string{
		"Request ApiVersions v3, correlation id 1, dissect 1.0",
		"Request Metadata v8, correlation id 2, t",
		"Request SaslHandshake v1, correlation id 3, PLAIN",
		"Request Produce v9, correlation id 4",
	}
	var frames []decodedFrame
	for _, r := range got {
		if r.Kind == KindFrame {
			frames = append(frames, r)
		}
	}
	if len(frames) != len(want) {
		t.Fatalf("records: %v", got)
	}
	for i, w := range want {
		if frames[i].Summary != w || frames[i].Err != "" {
			t.Errorf("frame %d: %v, want %q", i, frames[i], w)
		}
	}
}
