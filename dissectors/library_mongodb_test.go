package dissectors

import (
	"encoding/binary"
	"testing"

	"github.com/dissect-project/dissect/internal/pcapgen"
)

// The messages of pcapgen.MongoSession (the session of
// testdata/pcaps/mongodb-basic.pcap), one per packet: every opcode
// decoded, BSON values of each common type, pairing by responseTo.
func TestMongoSession(t *testing.T) {
	var chunks []chunk
	for _, m := range pcapgen.MongoSession() {
		dir := c2s
		if m.Dir == pcapgen.ServerToClient {
			dir = s2c
		}
		chunks = append(chunks, chunk{dir, m.Data})
	}
	recs := decodeChunks(t, libraryRegistry(t), "mongodb", chunks)
	doc := "body.sections.0.content.elements.0.value.elements.0.value.elements.0.value"
	checkRecs(t, recs, []recWant{
		{summary: "Request OP_QUERY, id 1, admin.$cmd {isMaster: 1, …}", pair: PairRequest, fields: map[string]string{
			"header.length": "121", "header.request_id": "1", "header.response_to": "0", "header.opcode": "OP_QUERY (2004)",
			"body.full_collection_name": `"admin.$cmd"`, "body.number_to_return": "-1",
			"body.query.elements.0.name": `"isMaster"`, "body.query.elements.0.type": "Int32 (0x10)",
			"body.query.elements.1.value.elements.0": `driver: {name: "pymongo", …}`},
			absent: []string{"body.return_field_selector", "header.reply"}},
		{summary: "Response OP_REPLY, id 101 to 1, 1 documents", pair: PairMatched, peer: 1, fields: map[string]string{
			"body.flags": "await_capable (0x00000008)", "body.number_returned": "1",
			"body.documents.0.elements.0.value": "true", "body.documents.0.elements.3.value": "1"}},
		{summary: "Request OP_MSG, id 2, {ping: 1, …}", fields: map[string]string{
			"body.flags": "checksum_present (0x00000001)", "body.checksum": "0x797177d6 [correct]"}},
		{summary: "Response OP_MSG, id 102 to 2, {ok: 1}", pair: PairMatched, peer: 3, absent: []string{"body.checksum"}},
		{summary: `Request OP_MSG, id 3, {insert: "people", …}`, fields: map[string]string{
			"body.sections.1.kind": "Document Sequence (1)", "body.sections.1.content.identifier": `"documents"`,
			"body.sections.1.content.documents.0.elements.0.value": "659200000102030405000001",
			"body.sections.1.content.documents.1.elements.1.value": `{0: "math", …}`}},
		{summary: "Response OP_MSG, id 103 to 3, {n: 2, …}"},
		{summary: `Request OP_MSG, id 4, {find: "people", …}`},
		{summary: "", pair: PairMatched, peer: 7, fields: map[string]string{
			doc + ".elements.0.value":           "659200000102030405000001",
			doc + ".elements.1.value":           `"Ada"`,
			doc + ".elements.2.value":           "36",
			doc + ".elements.3.value":           "9.5",
			doc + ".elements.4.value":           "1099511627776",
			doc + ".elements.5.value":           "false",
			doc + ".elements.6.value":           "null",
			doc + ".elements.7.value.value":     "2023-11-14T22:13:20Z (1700000000000)",
			doc + ".elements.8.value.increment": "7",
			doc + ".elements.9.value.subtype":   "UUID (0x04)",
			doc + ".elements.9.value.data":      "12345678123412341234123456789abc",
			doc + ".elements.10.type":           "Decimal128 (0x13)",
			doc + ".elements.10.value.value":    "7b000000000000000000000000004030",
			doc + ".elements.11.value":          `{city: "London"}`}},
		{summary: `Request OP_MSG, id 5, {nosuchcommand: "x", …}`},
		{summary: "Response OP_MSG, id 105 to 5, {ok: 0, …}", fields: map[string]string{
			"body.sections.0.content.elements.1.value": `"no such command: 'nosuchcommand'"`}},
		{summary: `Request OP_MSG, id 6, {delete: "people", …}`, pair: PairNone, fields: map[string]string{
			"body.flags": "more_to_come (0x00000002)"}},
		{summary: "Request OP_COMPRESSED, id 7, zlib OP_MSG", fields: map[string]string{
			"body.original_opcode": "OP_MSG (2013)", "body.uncompressed_size": "40", "body.compressed": "789c6360000000020001"}},
		{summary: "Response OP_COMPRESSED, id 107 to 7, noop OP_MSG, {ok: 1}", pair: PairMatched, peer: 12, fields: map[string]string{
			"body.uncompressed_size": "22", "body.original.sections.0.content.elements.0.value": "1"}, absent: []string{"body.compressed"}},
	})
	if recs[10].Pair.Status != PairNone {
		t.Errorf("moreToCome request paired: %v", recs[10].Pair.Status)
	}
}

func TestMongoEverySplit(t *testing.T) {
	var stream []byte
	for _, m := range pcapgen.MongoSession()[:6] {
		if m.Dir == pcapgen.ClientToServer {
			stream = append(stream, m.Data...)
		}
	}
	got := checkEverySplit(t, libraryRegistry(t), "mongodb", c2s, stream)
	checkRecordRun(t, got, []string{"frame ", "frame ", "frame "}, len(stream))
}

// Malformed and hostile messages: a bad checksum is flagged but decoded;
// lengths that do not agree and deep nesting stop the frame with an error.
func TestMongoMalformed(t *testing.T) {
	reg := libraryRegistry(t)
	ping := pcapgen.MongoMsg(2, 0, pcapgen.MongoChecksumPresent, (&pcapgen.BSON{}).Int32("ping", 1))
	badSum := append([]byte(nil), ping...)
	badSum[len(badSum)-1] ^= 0xFF
	checkRec(t, 0, decodeFrames(t, "mongodb", chunk{c2s, badSum})[0], recWant{summary: "Request OP_MSG, id 2, {ping: 1}",
		fields: map[string]string{"body.checksum": "0xc041e1f0 [incorrect, should be 0x3f41e1f0]"}})

	docLen := pcapgen.MongoMsg(3, 0, 0, (&pcapgen.BSON{}).Int32("a", 1).Int32("b", 2))
	binary.LittleEndian.PutUint32(docLen[21:], 12) // the document claims to end inside element b
	strLen := pcapgen.MongoMsg(4, 0, 0, (&pcapgen.BSON{}).String("s", "hello"))
	binary.LittleEndian.PutUint32(strLen[28:], 0x7FFFFFFF)
	badType := pcapgen.MongoMsg(5, 0, 0, (&pcapgen.BSON{}).Int32("a", 1))
	badType[25] = 0x42
	// Documents nested deeper than --max-depth.
	deep := (&pcapgen.BSON{}).Int32("x", 1)
	for range 40 {
		deep = (&pcapgen.BSON{}).Doc("d", deep)
	}
	nested := pcapgen.MongoMsg(6, 0, 0, deep)
	tests := []struct {
		name string
		data []byte
		err  string
	}{
		{"document length inside an element", docLen, "terminator: bad value: expected 0"},
		{"hostile string length", strLen, "out of range"},
		{"unknown element type", badType, "no matching case"},
		{"nesting too deep", nested, "depth"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs := decodeFrames(t, "mongodb", chunk{c2s, tc.data})
			if len(recs) != 1 {
				t.Fatalf("%d records: %v", len(recs), recs)
			}
			checkRec(t, 0, recs[0], recWant{err: tc.err})
		})
	}
	// An unknown opcode or a length below the header cannot start a frame.
	junk := pcapgen.MongoMessage(9, 0, 1234, []byte{1, 2, 3})
	short := pcapgen.MongoMsg(7, 0, 0, (&pcapgen.BSON{}).Int32("a", 1))
	binary.LittleEndian.PutUint32(short, 8)
	for _, data := range [][]byte{junk, short} {
		recs := decodeChunks(t, reg, "mongodb", []chunk{{c2s, data}})
		checkRecordRun(t, recs, []string{"skipped no valid frame"}, len(data))
	}
}
