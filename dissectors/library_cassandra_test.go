package dissectors

import (
	"testing"

	"github.com/dissect-project/dissect/internal/pcapgen"
)

// The v4 session of testdata/pcaps/cassandra-basic.pcap: every opcode but
// the authentication ones, result kinds, errors with details, events,
// tracing and warnings, pairing by stream id.
func TestCassandraSession(t *testing.T) {
	got := decodeFrames(t, "cassandra", sessionChunks(pcapgen.CQLSession())...)
	m := "frame.body.message."
	checkRecs(t, got, []recWant{
		{summary: "OPTIONS stream 0", pair: PairRequest, fields: map[string]string{
			"frame.header.direction": "Request (0)", "frame.header.protocol_version": "4", "frame.header.stream": "0",
			"frame.header.opcode": "OPTIONS (0x05)", "frame.header.length": "0", "frame.header.flags.tracing": "0"}},
		{summary: `SUPPORTED stream 0 CQL_VERSION=[3.4.5], COMPRESSION=[snappy, lz4]`, pair: PairMatched, peer: 1, fields: map[string]string{
			"frame.header.direction": "Response (1)", m + "options.count": "2"}},
		{summary: "STARTUP stream 1 CQL_VERSION=3.0.0, DRIVER_NAME=dissect-test", fields: map[string]string{m + "options.entries.0.value.value": `"3.0.0"`}},
		{summary: "READY stream 1", pair: PairMatched, peer: 3},
		{summary: `REGISTER stream 2 STATUS_CHANGE, SCHEMA_CHANGE`},
		{summary: "READY stream 2", pair: PairMatched, peer: 5},
		{summary: "QUERY stream 3: USE shop [ONE]", fields: map[string]string{m + "parameters.flags": "0x00"},
			absent: []string{m + "parameters.values", m + "parameters.page_size"}},
		{summary: "RESULT stream 3: Set keyspace shop", fields: map[string]string{m + "kind": "Set keyspace (3)"}},
		{summary: "QUERY stream 4: SELECT id, name, tags FROM items WHERE id IN (?, ?) [LOCAL_QUORUM]", fields: map[string]string{
			m + "parameters.flags": "0x05", m + "parameters.values": "00000001, 00000002", m + "parameters.page_size": "100"}},
		{summary: "RESULT stream 4: Rows, 2 rows", pair: PairMatched, peer: 9, fields: map[string]string{
			m + "content.metadata.column_count": "3", m + "content.metadata.global": "shop.items",
			m + "content.metadata.columns.0": "id int", m + "content.metadata.columns.2": "tags list<varchar>",
			m + "content.rows.0": "00000001, 70656e, null", m + "content.rows.1.values.2.value": "00000001000000057061706572"}},
		{summary: "PREPARE stream 5: SELECT name FROM items WHERE id = ?"},
		{summary: "RESULT stream 5: Prepared deadbeef", fields: map[string]string{
			m + "content.metadata.pk_count": "1", m + "content.metadata.columns.0": "id int", m + "content.result_metadata.flags": "0x00000004"}},
		{summary: "EXECUTE stream 6: deadbeef [ONE]", fields: map[string]string{m + "parameters.timestamp": "2023-11-14T22:13:20Z (1700000000000000)"}},
		{summary: "RESULT stream 6: Void", pair: PairMatched, peer: 13},
		{summary: "BATCH stream 7 LOGGED, 2 queries [QUORUM]", fields: map[string]string{
			m + "queries.0": `"INSERT INTO items (id, name) VALUES (3, 'ink')"`, m + "queries.1": "deadbeef"}},
		{summary: "RESULT stream 7: Void"},
		{summary: "QUERY stream 8: SELECT * FROM items [LOCAL_ONE]", fields: map[string]string{"frame.header.flags.tracing": "1"}},
		{summary: "RESULT stream 8: Void", fields: map[string]string{
			"frame.body.tracing_id": "30313233343536373839616263646566",
			"frame.body.warnings":   "Aggregation query used without partition key"}},
		{summary: "QUERY stream 9: SELEC oops [ONE]"},
		{summary: "ERROR stream 9: Syntax error: line 1:0 no viable alternative at input 'SELEC'", pair: PairMatched, peer: 19},
		{summary: "QUERY stream 10: SELECT * FROM items [ALL]"},
		{summary: "ERROR stream 10: Unavailable exception: Cannot achieve consistency level ALL", fields: map[string]string{
			m + "detail.consistency": "ALL (5)", m + "detail.required": "3", m + "detail.alive": "2"}},
		{summary: "EVENT stream -1 STATUS_CHANGE UP 10.60.0.11:9042", pair: PairNone},
		{summary: "EVENT stream -1 SCHEMA_CHANGE CREATED TABLE shop", fields: map[string]string{m + "change.name.value": `"orders"`}},
	})
}

// A v5 connection switches to segments after READY; the frames in them
// are records of cassandra_frames, after the segment that completed them.
func TestCassandraV5Segments(t *testing.T) {
	got := decodeFrames(t, "cassandra", sessionChunks(pcapgen.CQLSessionV5())...)
	checkRecs(t, got, []recWant{
		{summary: "STARTUP stream 0 CQL_VERSION=3.0.0", fields: map[string]string{"frame.header.protocol_version": "5"}},
		{summary: "READY stream 0", pair: PairMatched, peer: 1},
		{summary: "Segment, 49 bytes, self-contained", fields: map[string]string{"frame.payload_length": "49", "frame.self_contained": "1",
			"frame.crc24": "0x565f8d [correct]", "frame.crc32": "0x0106b3ef [correct]"}},
		{summary: "QUERY stream 1: SELECT now() FROM system.local [ONE]", pair: PairRequest, fields: map[string]string{
			"header.protocol_version": "5", "body.message.parameters.flags": "0x00000000"}},
		{summary: "Segment, 13 bytes, self-contained"},
		{summary: "RESULT stream 1: Void", pair: PairMatched, peer: 3},
		{summary: "Segment, 18 bytes, self-contained"},
		{summary: "OPTIONS stream 2"},
		{summary: "OPTIONS stream 3"},
		{summary: "Segment, 40 bytes, part of a large frame", fields: map[string]string{"frame.self_contained": "0"}},
		{summary: "Segment, 14 bytes, part of a large frame"},
		{summary: `SUPPORTED stream 2 CQL_VERSION=[3.4.5, 3.4.6, 3.4.7, 3.4.8]`, pair: PairMatched, peer: 5},
	})
}

func TestCassandraEverySplit(t *testing.T) {
	var stream []byte
	for _, m := range pcapgen.CQLSession() {
		if m.Dir == pcapgen.ServerToClient {
			stream = append(stream, m.Data...)
		}
	}
	got := checkEverySplit(t, libraryRegistry(t), "cassandra", s2c, stream[:400])
	if len(got) < 6 {
		t.Fatalf("%d records", len(got))
	}
}

// Malformed frames: an unsupported version, a body length beyond the
// frame limit, a body shorter than its content, an unknown result kind and
// a hostile row count.
func TestCassandraMalformed(t *testing.T) {
	rows := pcapgen.CQLFrame(0x84, 0, 1, pcapgen.CQLResult, []byte{0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff})
	tests := []struct {
		name string
		dir  Direction
		data []byte
		want []string
	}{
		{"version 2", c2s, pcapgen.CQLFrame(0x02, 0, 0, pcapgen.CQLOptions), []string{"skipped no valid frame"}},
		{"string longer than the body", c2s, pcapgen.CQLFrame(0x04, 0, 0, pcapgen.CQLStartup, []byte{0, 1, 0, 9, 'x'}), []string{"frame truncated"}},
		{"unknown result kind", s2c, pcapgen.CQLFrame(0x84, 0, 1, pcapgen.CQLResult, []byte{0, 0, 0, 9}), []string{"frame no matching case"}},
		{"hostile row count", s2c, rows, []string{"frame out of range"}},
		{"huge body length", c2s, []byte{0x04, 0, 0, 1, 0x07, 0x7f, 0xff, 0xff, 0xff}, []string{"skipped no valid frame"}},
	}
	// A v5 segment whose payload was changed keeps its frame, flagged.
	v5 := sessionChunks(pcapgen.CQLSessionV5()[:3])
	v5[2].data = append([]byte(nil), v5[2].data...)
	v5[2].data[20] ^= 1
	got := decodeFrames(t, "cassandra", v5...)
	checkRec(t, 2, got[2], recWant{fields: map[string]string{"frame.crc32": "0x0106b3ef [incorrect, should be 0xce98a427]", "frame.crc24": "0x565f8d [correct]"}})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs := decodeChunks(t, libraryRegistry(t), "cassandra", []chunk{{tc.dir, tc.data}})
			checkRecordRun(t, recs, tc.want, len(tc.data))
		})
	}
}
