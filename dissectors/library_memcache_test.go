package dissectors

import (
	"encoding/binary"
	"testing"

	"github.com/dissect-project/dissect/internal/pcapgen"
)

// Byte builders for the memcached binary protocol (protocol_binary.h).

// mcReq and mcResp build a request and a response with
// pcapgen.MemcacheMsg.
func mcReq(opcode byte, opaque uint32, extras []byte, key, value string) []byte {
	return pcapgen.MemcacheMsg(0x80, opcode, 0, opaque, 0, extras, key, value)
}

func mcResp(opcode byte, status uint16, opaque uint32, cas uint64, extras []byte, key, value string) []byte {
	return pcapgen.MemcacheMsg(0x81, opcode, status, opaque, cas, extras, key, value)
}

func be32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
func be64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }
func be16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }

// One request and its response for each command, as memcached 1.6 sends
// them; each response is matched with its request by the opaque field.
func TestMemcacheCommands(t *testing.T) {
	counter := string(be64(43))
	got := decodeFrames(t, "memcache",
		chunk{c2s, mcReq(0x01, 1, cat(be32(0xdeadbeef), be32(3600)), "user:1", "alice")},             // 1 set
		chunk{s2c, mcResp(0x01, 0, 1, 7, nil, "", "")},                                               // 2
		chunk{c2s, mcReq(0x00, 2, nil, "user:1", "")},                                                // 3 get
		chunk{s2c, mcResp(0x00, 0, 2, 7, be32(0xdeadbeef), "", "alice")},                             // 4
		chunk{c2s, mcReq(0x0c, 3, nil, "nokey", "")},                                                 // 5 getk
		chunk{s2c, mcResp(0x0c, 1, 3, 0, nil, "nokey", "Not found")},                                 // 6
		chunk{c2s, mcReq(0x02, 4, cat(be32(0), be32(0)), "user:1", "bob")},                           // 7 add
		chunk{s2c, mcResp(0x02, 2, 4, 0, nil, "", "Data exists for key.")},                           // 8
		chunk{c2s, mcReq(0x03, 5, cat(be32(1), be32(60)), "user:1", "carol")},                        // 9 replace
		chunk{s2c, mcResp(0x03, 0, 5, 8, nil, "", "")},                                               // 10
		chunk{c2s, mcReq(0x05, 6, cat(be64(1), be64(42), be32(0)), "hits", "")},                      // 11 incr
		chunk{s2c, mcResp(0x05, 0, 6, 9, nil, "", counter)},                                          // 12
		chunk{c2s, mcReq(0x06, 7, cat(be64(5), be64(0), be32(0xffffffff)), "user:1", "")},            // 13 decr
		chunk{s2c, mcResp(0x06, 6, 7, 0, nil, "", "Non-numeric server-side value for incr or decr")}, // 14
		chunk{c2s, mcReq(0x04, 8, nil, "user:1", "")},                                                // 15 delete
		chunk{s2c, mcResp(0x04, 0, 8, 0, nil, "", "")},                                               // 16
		chunk{c2s, mcReq(0x08, 9, be32(0), "", "")},                                                  // 17 flush
		chunk{s2c, mcResp(0x08, 0, 9, 0, nil, "", "")},                                               // 18
		chunk{c2s, mcReq(0x0b, 10, nil, "", "")},                                                     // 19 version
		chunk{s2c, mcResp(0x0b, 0, 10, 0, nil, "", "1.6.38")},                                        // 20
		chunk{c2s, mcReq(0x10, 11, nil, "pid", "")},                                                  // 21 stat
		chunk{s2c, mcResp(0x10, 0, 11, 0, nil, "pid", "4242")},                                       // 22
		chunk{c2s, mcReq(0x1c, 12, be32(100), "user:1", "")},                                         // 23 touch
		chunk{s2c, mcResp(0x1c, 0x81, 12, 0, nil, "", "Unknown command")},                            // 24
		chunk{c2s, mcReq(0x1b, 13, be32(1), "", "")},                                                 // 25 verbosity
		chunk{s2c, mcResp(0x1b, 0, 13, 0, nil, "", "")},                                              // 26
		chunk{c2s, mcReq(0x0a, 14, nil, "", "")},                                                     // 27 noop
		chunk{s2c, mcResp(0x0a, 0, 14, 0, nil, "", "")},                                              // 28
		chunk{c2s, mcReq(0x07, 15, nil, "", "")},                                                     // 29 quit
		chunk{s2c, mcResp(0x07, 0, 15, 0, nil, "", "")},                                              // 30
	)
	checkRecs(t, got, []recWant{
		{summary: `Set Request, Key: user:1`, pair: PairRequest, fields: map[string]string{
			"magic": "Request (0x80)", "opcode": "Set (0x01)", "key_length": "6", "extras_length": "8",
			"data_type": "Raw bytes (0x00)", "vbucket": "0", "total_body_length": "19", "opaque": "0x00000001",
			"cas": "0x0000000000000000", "extras.flags": "0xdeadbeef", "extras.expiration": "3600 s",
			"key": `"user:1"`, "value": `"alice"`}},
		{summary: "Set Response", pair: PairMatched, peer: 1, fields: map[string]string{
			"magic": "Response (0x81)", "status": "No error (0x0000)", "cas": "0x0000000000000007"},
			absent: []string{"extras", "key", "value", "counter"}},
		{summary: `Get Request, Key: user:1`, absent: []string{"extras", "value"}},
		{summary: "Get Response", pair: PairMatched, peer: 3, fields: map[string]string{
			"extras.flags": "0xdeadbeef", "value": `"alice"`}},
		{summary: `Get Key Request, Key: nokey`},
		{summary: `Get Key Response (Key not found), Key: nokey`, pair: PairMatched, peer: 5, fields: map[string]string{
			"status": "Key not found (0x0001)", "key": `"nokey"`, "value": `"Not found"`}},
		{summary: `Add Request, Key: user:1`},
		{summary: "Add Response (Key exists)", fields: map[string]string{"value": `"Data exists for key."`}},
		{summary: `Replace Request, Key: user:1`, fields: map[string]string{"extras.expiration": "60 s"}},
		{summary: "Replace Response"},
		{summary: `Increment Request, Key: hits`, fields: map[string]string{
			"extras.delta": "1", "extras.initial": "42", "extras.expiration": "0 s"}},
		{summary: "Increment Response, Value: 43", pair: PairMatched, peer: 11, fields: map[string]string{"counter": "43"},
			absent: []string{"value"}},
		{summary: `Decrement Request, Key: user:1`, fields: map[string]string{"extras.expiration": "4294967295 s"}},
		{summary: "Decrement Response (Incr/Decr on non-numeric value)", absent: []string{"counter"},
			fields: map[string]string{"value": `"Non-numeric server-side value for incr or decr"`}},
		{summary: `Delete Request, Key: user:1`},
		{summary: "Delete Response"},
		{summary: "Flush Request", fields: map[string]string{"extras.expiration": "0 s"}},
		{summary: "Flush Response"},
		{summary: "Version Request"},
		{summary: "Version Response", fields: map[string]string{"value": `"1.6.38"`}},
		{summary: `Statistics Request, Key: pid`},
		{summary: `Statistics Response, Key: pid`, fields: map[string]string{"value": `"4242"`}},
		{summary: `Touch Request, Key: user:1`, fields: map[string]string{"extras.expiration": "100 s"}},
		{summary: "Touch Response (Unknown command)"},
		{summary: "Verbosity Request", fields: map[string]string{"extras.verbosity": "1"}},
		{summary: "Verbosity Response"},
		{summary: "No-op Request"},
		{summary: "No-op Response", pair: PairMatched, peer: 27},
		{summary: "Quit Request"},
		{summary: "Quit Response", pair: PairMatched, peer: 29},
	})
}

// Quiet gets pipelined in one segment, ended by a No-op: only the miss is
// answered, and the hits are left unanswered.
func TestMemcacheQuietPipeline(t *testing.T) {
	req := cat(mcReq(0x09, 1, nil, "a", ""), mcReq(0x0d, 2, nil, "b", ""), mcReq(0x0a, 3, nil, "", ""))
	resp := cat(mcResp(0x0d, 0, 2, 5, be32(0), "b", "B"), mcResp(0x0a, 0, 3, 0, nil, "", ""))
	recs := decodeChunks(t, libraryRegistry(t), "memcache", []chunk{{c2s, req}, {s2c, resp}})
	var unanswered []int64
	var frames []decodedFrame
	for _, r := range recs {
		if r.Kind == KindUnanswered {
			unanswered = append(unanswered, r.Pair.Key)
		} else {
			frames = append(frames, r)
		}
	}
	checkRecs(t, frames, []recWant{
		{summary: `Get Quietly Request, Key: a`, pair: PairRequest},
		{summary: `Get Key Quietly Request, Key: b`, pair: PairRequest},
		{summary: "No-op Request", pair: PairRequest},
		{summary: `Get Key Quietly Response, Key: b`, pair: PairMatched, peer: 1, fields: map[string]string{"value": `"B"`}},
		{summary: "No-op Response", pair: PairMatched, peer: 1},
	})
	if len(unanswered) != 1 || unanswered[0] != 1 {
		t.Errorf("unanswered keys %v, want [1] (the GetQ hit)", unanswered)
	}
}

// Every way of cutting a stream of messages into segments gives the same
// records.
func TestMemcacheEverySplit(t *testing.T) {
	stream := cat(
		mcReq(0x01, 1, cat(be32(1), be32(0)), "k", "value"),
		mcReq(0x00, 2, nil, "k", ""),
		mcReq(0x05, 3, cat(be64(1), be64(0), be32(0)), "n", ""),
		mcReq(0x0a, 4, nil, "", ""),
	)
	got := checkEverySplit(t, libraryRegistry(t), "memcache", c2s, stream)
	checkRecordRun(t, got, []string{"frame ", "frame ", "frame ", "frame "}, len(stream))
}

// Malformed and hostile messages give records with specific errors.
func TestMemcacheMalformed(t *testing.T) {
	reg := libraryRegistry(t)
	badLengths := mcReq(0x00, 1, nil, "key", "")
	badLengths[4] = 40 // extras longer than the body: no valid frame
	tests := []struct {
		name string
		dir  Direction
		data []byte
		want []string
	}{
		{"wrong magic for the direction", c2s, mcResp(0x00, 0, 1, 0, nil, "", ""), []string{"frame bad value"}},
		{"extras too short for Set", c2s, mcReq(0x01, 1, be32(1), "k", "v"), []string{"frame truncated"}},
		{"increment extras short", c2s, mcReq(0x05, 1, be64(1), "k", ""), []string{"frame truncated"}},
		{"extras and key longer than the body", c2s, badLengths, []string{"skipped no valid frame"}},
		{"truncated message", c2s, mcReq(0x01, 1, cat(be32(1), be32(0)), "k", "value")[:30], []string{"frame incomplete frame"}},
		{"garbage before a message", c2s, cat([]byte("stats\r\n"), mcReq(0x0a, 1, nil, "", "")), []string{"skipped no valid frame", "frame "}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs := decodeChunks(t, reg, "memcache", []chunk{{tc.dir, tc.data}})
			checkRecordRun(t, recs, tc.want, len(tc.data))
		})
	}
}

// A huge total body length is not waited for beyond the framing limit.
func TestMemcacheHostileLength(t *testing.T) {
	m := mcReq(0x01, 1, cat(be32(1), be32(0)), "k", "v")
	binary.BigEndian.PutUint32(m[8:], 0xFFFFFFF0)
	recs := decodeChunks(t, libraryRegistry(t), "memcache", []chunk{{c2s, m}})
	checkRecordRun(t, recs, []string{"skipped no valid frame"}, len(m))
}

// Over UDP each datagram has an 8-byte frame header before the message.
func TestMemcacheUDP(t *testing.T) {
	reg := libraryRegistry(t)
	udp := func(id, seq, count uint16) []byte { return cat(be16(id), be16(seq), be16(count), be16(0)) }
	req := decodeDatagram(t, reg, "memcache_udp", c2s, cat(udp(7, 0, 1), mcReq(0x00, 1, nil, "k", "")))
	checkRec(t, 0, req, recWant{summary: `Get Request, Key: k`, fields: map[string]string{
		"udp.request_id": "7", "udp.sequence": "0", "udp.count": "1", "message.key": `"k"`}})
	resp := decodeDatagram(t, reg, "memcache_udp", s2c, cat(udp(7, 0, 2), mcResp(0x00, 0, 1, 1, be32(0), "", "partial")))
	checkRec(t, 1, resp, recWant{summary: "Get Response", fields: map[string]string{"message.value": `"partial"`}})
	cont := decodeDatagram(t, reg, "memcache_udp", s2c, cat(udp(7, 1, 2), []byte("rest")))
	checkRec(t, 2, cont, recWant{summary: "Continuation", fields: map[string]string{"message.data": "72657374"}})
	bad := decodeDatagram(t, reg, "memcache_udp", s2c, cat(udp(7, 2, 2), []byte("x")))
	checkRec(t, 3, bad, recWant{err: "sequence number is not below the datagram count"})
}
