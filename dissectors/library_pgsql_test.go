package dissectors

import (
	"encoding/binary"
	"strings"
	"testing"
)

// Byte builders for PostgreSQL frontend/backend protocol 3.0 messages, from
// the "Message Formats" section of the PostgreSQL documentation.

func pgsqlU16(v int) []byte    { return binary.BigEndian.AppendUint16(nil, uint16(v)) }
func pgsqlU32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
func pgsqlI32(v int32) []byte  { return pgsqlU32(uint32(v)) }

// pgsqlStr is a C string: the text and a 0 byte.
func pgsqlStr(s string) []byte { return append([]byte(s), 0) }

func pgsqlCat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// pgsqlMsg is a typed message: the type byte, the length (which counts
// itself), then the body.
func pgsqlMsg(typ byte, parts ...[]byte) []byte {
	body := pgsqlCat(parts...)
	return pgsqlCat([]byte{typ}, pgsqlU32(uint32(4+len(body))), body)
}

// pgsqlUntyped is a message without a type byte: the length, then the body.
func pgsqlUntyped(parts ...[]byte) []byte {
	body := pgsqlCat(parts...)
	return pgsqlCat(pgsqlU32(uint32(4+len(body))), body)
}

// pgsqlStartup is a StartupMessage for protocol 3.0 with name/value pairs.
func pgsqlStartup(params ...string) []byte {
	b := pgsqlU32(3 << 16)
	for _, p := range params {
		b = append(b, pgsqlStr(p)...)
	}
	return pgsqlUntyped(b, []byte{0})
}

func pgsqlSSLRequest() []byte    { return pgsqlUntyped(pgsqlU32(80877103)) }
func pgsqlGSSENCRequest() []byte { return pgsqlUntyped(pgsqlU32(80877104)) }
func pgsqlCancel(pid, key uint32) []byte {
	return pgsqlUntyped(pgsqlU32(80877102), pgsqlU32(pid), pgsqlU32(key))
}

func pgsqlAuth(code uint32, extra ...[]byte) []byte {
	return pgsqlMsg('R', append([][]byte{pgsqlU32(code)}, extra...)...)
}

func pgsqlParamStatus(name, value string) []byte {
	return pgsqlMsg('S', pgsqlStr(name), pgsqlStr(value))
}

func pgsqlReady(status byte) []byte { return pgsqlMsg('Z', []byte{status}) }

func pgsqlQuery(q string) []byte { return pgsqlMsg('Q', pgsqlStr(q)) }

// pgsqlRowDesc describes text columns of type text (OID 25).
func pgsqlRowDesc(names ...string) []byte {
	b := pgsqlU16(len(names))
	for i, n := range names {
		b = pgsqlCat(b, pgsqlStr(n), pgsqlU32(16384), pgsqlU16(i+1), pgsqlU32(25), pgsqlU16(0xFFFF), pgsqlI32(-1), pgsqlU16(0))
	}
	return pgsqlMsg('T', b)
}

// pgsqlValues is a count, then values (length and bytes), "\x00NULL" for
// NULL: DataRow and the parameters of Bind.
func pgsqlValues(values ...string) []byte {
	b := pgsqlU16(len(values))
	for _, v := range values {
		if v == "\x00NULL" {
			b = append(b, pgsqlI32(-1)...)
			continue
		}
		b = pgsqlCat(b, pgsqlI32(int32(len(v))), []byte(v))
	}
	return b
}

func pgsqlDataRow(values ...string) []byte { return pgsqlMsg('D', pgsqlValues(values...)) }

// pgsqlFields builds the fields of ErrorResponse and NoticeResponse:
// pairs of a field type and its text.
func pgsqlFields(pairs ...string) []byte {
	var b []byte
	for i := 0; i+1 < len(pairs); i += 2 {
		b = pgsqlCat(b, []byte{pairs[i][0]}, pgsqlStr(pairs[i+1]))
	}
	return append(b, 0)
}

// pgsqlWant is what one record must hold.
type pgsqlWant struct {
	summary string
	err     string // a part of the error; "" for a good frame
	fields  map[string]string
	pair    PairStatus
	peer    uint64
	kind    RecordKind
}

func pgsqlCheck(t *testing.T, got []decodedFrame, want []pgsqlWant) {
	t.Helper()
	if len(got) != len(want) {
		var lines []string
		for _, g := range got {
			lines = append(lines, g.String())
		}
		t.Fatalf("%d records, want %d:\n%s", len(got), len(want), strings.Join(lines, "\n"))
	}
	for i, w := range want {
		g := got[i]
		if g.Kind != w.kind {
			t.Errorf("record %d: %v, want kind %v", i, g, w.kind)
			continue
		}
		if w.summary != "" && g.Summary != w.summary {
			t.Errorf("record %d: summary %q, want %q", i, g.Summary, w.summary)
		}
		if w.err == "" && g.Err != "" {
			t.Errorf("record %d (%s): unexpected error %q", i, g.Summary, g.Err)
		}
		if w.err != "" && !strings.Contains(g.Err, w.err) {
			t.Errorf("record %d: error %q, want one containing %q", i, g.Err, w.err)
		}
		for path, v := range w.fields {
			if f := g.Field(t, path); f != v {
				t.Errorf("record %d (%s): %s = %s, want %s", i, g.Summary, path, f, v)
			}
		}
		if g.Pair.Status != w.pair {
			t.Errorf("record %d (%s): pairing %v, want %v", i, g.Summary, g.Pair.Status, w.pair)
		}
		if w.pair == PairMatched && g.Pair.PeerPacket != w.peer {
			t.Errorf("record %d (%s): matched packet %d, want %d", i, g.Summary, g.Pair.PeerPacket, w.peer)
		}
	}
}

func pgsqlDecode(t *testing.T, chunks ...chunk) []decodedFrame {
	t.Helper()
	return decodeChunks(t, libraryRegistry(t), "pgsql", chunks)
}

// The startup phase (SSLRequest refused, StartupMessage, MD5
// authentication, parameters, key data), then a simple query: the untyped
// first messages, then typed ones, with the one-byte answer to SSLRequest
// and pairing of each request with its ReadyForQuery.
func TestPgsqlStartupAndSimpleQuery(t *testing.T) {
	got := pgsqlDecode(t,
		chunk{c2s, pgsqlSSLRequest()},                                              // 1
		chunk{s2c, []byte{'N'}},                                                    // 2
		chunk{c2s, pgsqlStartup("user", "alice", "database", "shop")},              // 3
		chunk{s2c, pgsqlAuth(5, []byte{1, 2, 3, 4})},                               // 4
		chunk{c2s, pgsqlMsg('p', pgsqlStr("md5a3556571e93b0d20722ba62be61e8c2d"))}, // 5
		chunk{s2c, pgsqlCat(pgsqlAuth(0), pgsqlParamStatus("server_version", "16.2"),
			pgsqlMsg('K', pgsqlU32(4242), pgsqlU32(0xDEADBEEF)), pgsqlReady('I'))}, // 6
		chunk{c2s, pgsqlQuery("select name, note from t")}, // 7
		chunk{s2c, pgsqlCat(pgsqlRowDesc("name", "note"), pgsqlDataRow("widget", "\x00NULL"), pgsqlDataRow("", "x"),
			pgsqlMsg('C', pgsqlStr("SELECT 2")), pgsqlReady('I'))}, // 8
		chunk{c2s, pgsqlMsg('X')}, // 9
	)
	pgsqlCheck(t, got, []pgsqlWant{
		{summary: "SSLRequest", pair: PairRequest, fields: map[string]string{
			"message.length": "8", "message.major": "1234", "message.minor": "5679"}},
		{summary: `StartupMessage: user=alice database=shop`, pair: PairRequest, fields: map[string]string{
			"message.length": "34", "message.major": "3", "message.minor": "0",
			"message.body.user.name": `"user"`, "message.body.user.value": `"alice"`,
			"message.body.database.name": `"database"`, "message.body.database.value": `"shop"`,
			"message.body.parameters": "0 items", "message.body.terminator": "0",
		}},
		// The answer waits for the server's next byte: it comes after the
		// StartupMessage.
		{summary: "SSLRequest answer: Refused (0x4e)", pair: PairMatched, peer: 1},
		{summary: "AuthenticationMD5Password", fields: map[string]string{
			"message.type": "AuthenticationRequest (0x52)", "message.length": "12",
			"message.body.code": "AuthenticationMD5Password (5)", "message.body.request.salt": "01020304"}},
		{summary: "PasswordMessage", fields: map[string]string{
			"message.type": "PasswordMessage (0x70)", "message.body.password": `"md5a3556571e93b0d20722ba62be61e8c2d"`}},
		{summary: "AuthenticationOk", fields: map[string]string{"message.body.code": "AuthenticationOk (0)"}},
		{summary: `ParameterStatus: "server_version"="16.2"`, fields: map[string]string{
			"message.body.name": `"server_version"`, "message.body.value": `"16.2"`}},
		{summary: "BackendKeyData: pid 4242", fields: map[string]string{
			"message.body.process_id": "4242", "message.body.secret_key": "deadbeef"}},
		{summary: "ReadyForQuery: Idle (0x49)", pair: PairMatched, peer: 3, fields: map[string]string{"message.body.answers": "1"}},
		{summary: `Query: "select name, note from t"`, pair: PairRequest, fields: map[string]string{
			"message.type": "Query (0x51)", "message.length": "29", "message.body.query": `"select name, note from t"`}},
		{summary: "RowDescription: 2 items", fields: map[string]string{
			"message.body.field_count": "2", "message.body.fields.0.name": `"name"`, "message.body.fields.0.table_oid": "16384",
			"message.body.fields.1.column_index": "2", "message.body.fields.1.type_oid": "25",
			"message.body.fields.1.type_size": "-1", "message.body.fields.1.type_modifier": "-1",
			"message.body.fields.1.format": "Text (0)"}},
		{summary: "DataRow: 2 items", fields: map[string]string{
			"message.body.columns.0.length": "6", "message.body.columns.0.value.data": `"widget"`,
			"message.body.columns.1.length": "-1", "message.body.columns.1.value": "NULL"}},
		{summary: "DataRow: 2 items", fields: map[string]string{
			"message.body.columns.0.length": "0", "message.body.columns.0.value.data": `""`}},
		{summary: `CommandComplete: "SELECT 2"`, fields: map[string]string{"message.body.tag": `"SELECT 2"`}},
		{summary: "ReadyForQuery: Idle (0x49)", pair: PairMatched, peer: 7, fields: map[string]string{"message.body.answers": "2"}},
		{summary: "Terminate", fields: map[string]string{"message.type": "Terminate (0x58)", "message.length": "4"}},
	})
}

// User and database are named when they come first (user, then database);
// other parameters, and those two out of that order, are in the list.
func TestPgsqlStartupParameters(t *testing.T) {
	got := pgsqlDecode(t,
		chunk{c2s, pgsqlStartup("database", "d", "user", "u", "options", "-c geqo=off")},
		chunk{c2s, pgsqlStartup("users", "x", "user", "y")},
		chunk{c2s, pgsqlStartup()},
	)
	pgsqlCheck(t, got, []pgsqlWant{
		{summary: `StartupMessage: database=d`, pair: PairRequest, fields: map[string]string{
			"message.body.user": "", "message.body.database.value": `"d"`,
			"message.body.parameters.0.name": `"user"`, "message.body.parameters.0.value": `"u"`,
			"message.body.parameters.1.value": `"-c geqo=off"`}},
		{summary: "StartupMessage:", pair: PairRequest, fields: map[string]string{
			"message.body.parameters.0.name": `"users"`, "message.body.parameters.1.name": `"user"`}},
		{summary: "StartupMessage:", pair: PairRequest, fields: map[string]string{
			"message.body.parameters": "0 items", "message.length": "9"}},
		{kind: KindUnanswered, pair: PairUnanswered, err: "got no response"},
		{kind: KindUnanswered, pair: PairUnanswered, err: "got no response"},
		{kind: KindUnanswered, pair: PairUnanswered, err: "got no response"},
	})
}

// SCRAM authentication: the backend's AuthenticationSASL decides that the
// next 'p' message is a SASLInitialResponse, AuthenticationSASLContinue
// that the one after is a SASLResponse. Other methods give other kinds.
func TestPgsqlAuthenticationState(t *testing.T) {
	t.Run("SASL", func(t *testing.T) {
		got := pgsqlDecode(t,
			chunk{c2s, pgsqlStartup("user", "bob")},
			chunk{s2c, pgsqlAuth(10, pgsqlStr("SCRAM-SHA-256-PLUS"), pgsqlStr("SCRAM-SHA-256"), []byte{0})},
			chunk{c2s, pgsqlMsg('p', pgsqlStr("SCRAM-SHA-256"), pgsqlI32(8), []byte("n,,n=,r="))},
			chunk{s2c, pgsqlAuth(11, []byte("r=abc,s=c2FsdA==,i=4096"))},
			chunk{c2s, pgsqlMsg('p', []byte("c=biws,r=abc,p=proof"))},
			chunk{s2c, pgsqlCat(pgsqlAuth(12, []byte("v=sig")), pgsqlAuth(0), pgsqlReady('I'))},
		)
		pgsqlCheck(t, got, []pgsqlWant{
			{summary: `StartupMessage: user=bob`, pair: PairRequest},
			{summary: "AuthenticationSASL: 2 items", fields: map[string]string{
				"message.body.code": "AuthenticationSASL (10)", "message.body.request.mechanisms.0.name": `"SCRAM-SHA-256-PLUS"`,
				"message.body.request.mechanisms.1.name": `"SCRAM-SHA-256"`}},
			{summary: `SASLInitialResponse: "SCRAM-SHA-256"`, fields: map[string]string{
				"message.body.mechanism": `"SCRAM-SHA-256"`, "message.body.length": "8", "message.body.data": `"n,,n=,r="`}},
			{summary: `AuthenticationSASLContinue: "r=abc,s=c2FsdA==,i=4096"`},
			{summary: "SASLResponse", fields: map[string]string{"message.body.data": `"c=biws,r=abc,p=proof"`}},
			{summary: `AuthenticationSASLFinal: "v=sig"`},
			{summary: "AuthenticationOk"},
			{summary: "ReadyForQuery: Idle (0x49)", pair: PairMatched, peer: 1},
		})
	})
	t.Run("cleartext", func(t *testing.T) {
		got := pgsqlDecode(t,
			chunk{s2c, pgsqlAuth(3)},
			chunk{c2s, pgsqlMsg('p', pgsqlStr("hunter2"))},
		)
		pgsqlCheck(t, got, []pgsqlWant{
			{summary: "AuthenticationCleartextPassword"},
			{summary: "PasswordMessage", fields: map[string]string{"message.body.password": `"hunter2"`}},
		})
	})
	t.Run("GSS", func(t *testing.T) {
		got := pgsqlDecode(t,
			chunk{s2c, pgsqlAuth(7)},
			chunk{c2s, pgsqlMsg('p', []byte{0x60, 0x82, 0x01})},
			chunk{s2c, pgsqlAuth(8, []byte{0xA1, 0x05})},
			chunk{s2c, pgsqlAuth(9)},
			chunk{s2c, pgsqlAuth(2)},
			chunk{s2c, pgsqlAuth(99, []byte{7})},
		)
		pgsqlCheck(t, got, []pgsqlWant{
			{summary: "AuthenticationGSS"},
			{summary: "GSSResponse", fields: map[string]string{"message.body.data": "608201"}},
			{summary: "AuthenticationGSSContinue", fields: map[string]string{"message.body.request.data": "a105"}},
			{summary: "AuthenticationSSPI"},
			{summary: "AuthenticationKerberosV5"},
			{summary: "AuthenticationRequest (unknown method)", fields: map[string]string{"message.body.code": "Unknown (99)"}},
		})
	})
	t.Run("unknown method", func(t *testing.T) {
		// No authentication request seen: a 'p' message ending in 0 is a
		// password, otherwise its kind is unknown.
		got := pgsqlDecode(t,
			chunk{c2s, pgsqlMsg('p', pgsqlStr("pw"))},
			chunk{c2s, pgsqlMsg('p', []byte("c=biws"))},
		)
		pgsqlCheck(t, got, []pgsqlWant{
			{summary: "PasswordMessage", fields: map[string]string{"message.body.password": `"pw"`}},
			{summary: "PasswordMessage (SASL or GSS response)", fields: map[string]string{"message.body.data": "633d62697773"}},
		})
	})
}

// The extended query protocol: Parse, Bind, Describe, Execute, Close,
// Flush and Sync, and the backend's answers; Sync pairs with ReadyForQuery.
func TestPgsqlExtendedQuery(t *testing.T) {
	parse := pgsqlMsg('P', pgsqlStr("s1"), pgsqlStr("select * from t where id = $1 and k = $2"), pgsqlU16(2), pgsqlU32(23), pgsqlU32(0))
	bind := pgsqlMsg('B', pgsqlStr("p1"), pgsqlStr("s1"), pgsqlU16(1), pgsqlU16(0),
		pgsqlValues("42", "\x00NULL"), pgsqlU16(1), pgsqlU16(1))
	got := pgsqlDecode(t,
		chunk{c2s, pgsqlCat(parse, bind, pgsqlMsg('D', []byte{'P'}, pgsqlStr("p1")), pgsqlMsg('E', pgsqlStr("p1"), pgsqlU32(100)),
			pgsqlMsg('H'), pgsqlMsg('C', []byte{'S'}, pgsqlStr("s1")), pgsqlMsg('S'))}, // 1
		chunk{s2c, pgsqlCat(pgsqlMsg('1'), pgsqlMsg('2'), pgsqlMsg('t', pgsqlU16(2), pgsqlU32(23), pgsqlU32(25)),
			pgsqlMsg('n'), pgsqlMsg('s'), pgsqlMsg('3'), pgsqlMsg('I'), pgsqlReady('T'))}, // 2
		chunk{c2s, pgsqlMsg('S')},   // 3
		chunk{s2c, pgsqlReady('E')}, // 4
	)
	pgsqlCheck(t, got, []pgsqlWant{
		{summary: `Parse: "s1" "select * from t where id = $1 and k = $2"`, fields: map[string]string{
			"message.body.statement": `"s1"`, "message.body.parameter_count": "2",
			"message.body.parameter_types.0": "23", "message.body.parameter_types.1": "0"}},
		{summary: `Bind: portal "p1", statement "s1", 2 items`, fields: map[string]string{
			"message.body.portal": `"p1"`, "message.body.statement": `"s1"`, "message.body.formats.0": "Text (0)",
			"message.body.parameters.0.value.data": `"42"`, "message.body.parameters.1.length": "-1",
			"message.body.parameters.1.value": "NULL", "message.body.result_formats.0": "Binary (1)"}},
		{summary: `Describe: Portal (0x50) "p1"`},
		{summary: `Execute: portal "p1", max rows 100`, fields: map[string]string{"message.body.max_rows": "100"}},
		{summary: "Flush"},
		{summary: `Close: Prepared statement (0x53) "s1"`},
		{summary: "Sync", pair: PairRequest, fields: map[string]string{"message.type": "Sync (0x53)"}},
		{summary: "ParseComplete"},
		{summary: "BindComplete"},
		{summary: "ParameterDescription: 2 items", fields: map[string]string{"message.body.types.1": "25"}},
		{summary: "NoData"},
		{summary: "PortalSuspended"},
		{summary: "CloseComplete"},
		{summary: "EmptyQueryResponse"},
		{summary: "ReadyForQuery: In transaction (0x54)", pair: PairMatched, peer: 1},
		{summary: "Sync", pair: PairRequest},
		{summary: "ReadyForQuery: In failed transaction (0x45)", pair: PairMatched, peer: 3},
	})
}

// ErrorResponse and NoticeResponse: Severity, Code and Message are named
// when the server sends them first, in that order; every field is in the
// list after them.
func TestPgsqlErrorAndNotice(t *testing.T) {
	errResp := pgsqlMsg('E', pgsqlFields("S", "ERROR", "V", "ERROR", "C", "42P01", "M", `relation "nope" does not exist`,
		"P", "15", "F", "parse_relation.c", "L", "1392", "R", "parserOpenTable"))
	oldErr := pgsqlMsg('E', pgsqlFields("S", "FATAL", "C", "28P01", "M", "password authentication failed"))
	notice := pgsqlMsg('N', pgsqlFields("M", "out of order", "S", "NOTICE", "C", "00000"))
	got := pgsqlDecode(t, chunk{s2c, pgsqlCat(errResp, oldErr, notice)})
	pgsqlCheck(t, got, []pgsqlWant{
		{summary: `ErrorResponse: "ERROR" "42P01" "relation \"nope\" does not exist"`, fields: map[string]string{
			"message.type": "ErrorResponse (0x45)", "message.body.severity.value": `"ERROR"`,
			"message.body.severity_nl.value": `"ERROR"`, "message.body.sqlstate.value": `"42P01"`,
			"message.body.message.value": `"relation \"nope\" does not exist"`,
			"message.body.fields.0.type": "Position (0x50)", "message.body.fields.0.value": `"15"`,
			"message.body.fields.3.type": "Routine (0x52)", "message.body.fields.3.value": `"parserOpenTable"`,
			"message.body.terminator": "0"}},
		{summary: `ErrorResponse: "FATAL" "28P01" "password authentication failed"`},
		// Out of the usual order: Message comes first, the others are in
		// the list.
		{summary: `NoticeResponse: "out of order"`, fields: map[string]string{
			"message.type": "NoticeResponse (0x4e)", "message.body.message.value": `"out of order"`,
			"message.body.fields.0.type": "Severity (0x53)", "message.body.fields.0.value": `"NOTICE"`,
			"message.body.fields.1.type": "Code (0x43)", "message.body.fields.1.value": `"00000"`}},
	})
}

// COPY in both directions, notifications, function calls and protocol
// version negotiation.
func TestPgsqlCopyAndOtherMessages(t *testing.T) {
	got := pgsqlDecode(t,
		chunk{c2s, pgsqlQuery("COPY t FROM STDIN")},                                 // 1
		chunk{s2c, pgsqlMsg('G', []byte{0}, pgsqlU16(2), pgsqlU16(0), pgsqlU16(0))}, // 2
		chunk{c2s, pgsqlCat(pgsqlMsg('d', []byte("1\tone\n")), pgsqlMsg('c'))},      // 3
		chunk{s2c, pgsqlCat(pgsqlMsg('C', pgsqlStr("COPY 1")), pgsqlReady('I'))},    // 4
		chunk{c2s, pgsqlQuery("COPY t TO STDOUT (FORMAT binary)")},                  // 5
		chunk{s2c, pgsqlCat(pgsqlMsg('H', []byte{1}, pgsqlU16(1), pgsqlU16(1)), pgsqlMsg('d', []byte{0xFF}), pgsqlMsg('c'),
			pgsqlMsg('C', pgsqlStr("COPY 1")), pgsqlReady('I'))}, // 6
		chunk{c2s, pgsqlMsg('f', pgsqlStr("aborted by user"))},                                // 7
		chunk{s2c, pgsqlMsg('W', []byte{0}, pgsqlU16(0))},                                     // 8
		chunk{s2c, pgsqlMsg('A', pgsqlU32(77), pgsqlStr("jobs"), pgsqlStr("job 5 done"))},     // 9
		chunk{c2s, pgsqlMsg('F', pgsqlU32(1598), pgsqlU16(0), pgsqlValues("x"), pgsqlU16(0))}, // 10
		chunk{s2c, pgsqlCat(pgsqlMsg('V', pgsqlI32(1), []byte("7")), pgsqlReady('I'))},        // 11
		chunk{s2c, pgsqlMsg('v', pgsqlU32(0), pgsqlI32(1), pgsqlStr("_pq_.compression"))},     // 12
		chunk{s2c, pgsqlMsg('?', []byte{1, 2})},                                               // 13
	)
	pgsqlCheck(t, got, []pgsqlWant{
		{summary: `Query: "COPY t FROM STDIN"`, pair: PairRequest},
		{summary: "CopyInResponse: Text (0), 2 items", fields: map[string]string{"message.body.column_count": "2"}},
		{summary: "CopyData: 31096f6e650a", fields: map[string]string{"message.type": "CopyData (0x64)"}},
		{summary: "CopyDone"},
		{summary: `CommandComplete: "COPY 1"`},
		{summary: "ReadyForQuery: Idle (0x49)", pair: PairMatched, peer: 1},
		{summary: `Query: "COPY t TO STDOUT (FORMAT binary)"`, pair: PairRequest},
		{summary: "CopyOutResponse: Binary (1), 1 item", fields: map[string]string{"message.body.columns.0": "Binary (1)"}},
		{summary: "CopyData: ff"},
		{summary: "CopyDone"},
		{summary: `CommandComplete: "COPY 1"`},
		{summary: "ReadyForQuery: Idle (0x49)", pair: PairMatched, peer: 5},
		{summary: `CopyFail: "aborted by user"`},
		{summary: "CopyBothResponse: Text (0), 0 items"},
		{summary: `NotificationResponse: "jobs" "job 5 done"`, fields: map[string]string{"message.body.process_id": "77"}},
		{summary: "FunctionCall: oid 1598", pair: PairRequest, fields: map[string]string{
			"message.body.argument_count": "1", "message.body.arguments.0.value.data": `"x"`, "message.body.result_format": "Text (0)"}},
		{summary: `FunctionCallResponse: "7"`},
		{summary: "ReadyForQuery: Idle (0x49)", pair: PairMatched, peer: 10},
		{summary: "NegotiateProtocolVersion: 3.0", fields: map[string]string{
			"message.body.option_count": "1", "message.body.options.0": `"_pq_.compression"`}},
		{summary: "Unknown message", fields: map[string]string{"message.type": "Unknown (0x3f)", "message.body.data": "0102"}},
	})
}

// CancelRequest comes on a connection of its own; GSSENCRequest is
// answered with 'G' or 'N'; after 'S' the connection is TLS.
func TestPgsqlCancelGSSAndTLS(t *testing.T) {
	t.Run("cancel", func(t *testing.T) {
		pgsqlCheck(t, pgsqlDecode(t, chunk{c2s, pgsqlCancel(4242, 0xDEADBEEF)}), []pgsqlWant{
			{summary: "CancelRequest: pid 4242", fields: map[string]string{
				"message.length": "16", "message.major": "1234", "message.minor": "5678",
				"message.body.process_id": "4242", "message.body.secret_key": "deadbeef"}},
		})
	})
	t.Run("GSS encryption", func(t *testing.T) {
		got := pgsqlDecode(t,
			chunk{c2s, pgsqlGSSENCRequest()},
			chunk{s2c, []byte{'G'}},
			chunk{s2c, []byte{0x60, 0x00, 0x00, 0x00, 0x10}}, // whatever follows
		)
		if len(got) < 2 || got[0].Summary != "GSSENCRequest" || got[0].Pair.Status != PairRequest ||
			got[1].Summary != "GSSENCRequest answer: GSSAPI encryption accepted (0x47)" || got[1].Pair.Status != PairMatched || got[1].Err != "" {
			t.Fatalf("records: %v", got)
		}
	})
	// The TLS records are handed on to the tls protocol, which decodes
	// them (and their handshake messages) as records of their own.
	t.Run("SSL then TLS", func(t *testing.T) {
		hello := pgsqlCat([]byte{0x16, 0x03, 0x01}, pgsqlU16(4), []byte{0, 0, 0, 0})        // HelloRequest
		serverHello := pgsqlCat([]byte{0x16, 0x03, 0x03}, pgsqlU16(4), []byte{14, 0, 0, 0}) // ServerHelloDone
		appData := pgsqlCat([]byte{0x17, 0x03, 0x03}, pgsqlU16(4), []byte{9, 9, 9, 9})
		got := pgsqlDecode(t,
			chunk{c2s, pgsqlSSLRequest()},
			chunk{s2c, []byte{'S'}},
			chunk{c2s, hello},
			chunk{s2c, pgsqlCat(serverHello, appData)},
			chunk{c2s, appData},
		)
		pgsqlCheck(t, got, []pgsqlWant{
			{summary: "SSLRequest", pair: PairRequest},
			{summary: "TLS Handshake (0x16) record, 4 bytes", fields: map[string]string{
				"message.version": "0x0301", "message.length": "4", "message.data": "00000000"}},
			{summary: "Handshake (4 bytes)"},
			{summary: "Hello Request"},
			{summary: "SSLRequest answer: SSL accepted (0x53)", pair: PairMatched, peer: 1},
			{summary: "TLS Handshake (0x16) record, 4 bytes"},
			{summary: "Handshake (4 bytes)"},
			{summary: "Server Hello Done"},
			{summary: "TLS Application Data (0x17) record, 4 bytes"},
			{summary: "Application Data"},
			{summary: "TLS Application Data (0x17) record, 4 bytes"},
			{summary: "Application Data"},
		})
	})
}

// The connection state knows the phase: during the startup phase only
// password messages may come from the frontend, and after it no untyped
// message may.
func TestPgsqlPhase(t *testing.T) {
	got := pgsqlDecode(t,
		chunk{c2s, pgsqlStartup("user", "u")},
		chunk{s2c, pgsqlAuth(3)},
		chunk{c2s, pgsqlQuery("too early")},
		chunk{c2s, pgsqlMsg('p', pgsqlStr("pw"))},
		chunk{s2c, pgsqlCat(pgsqlAuth(0), pgsqlReady('I'))},
		chunk{c2s, pgsqlQuery("select 1")},
		chunk{c2s, pgsqlStartup("user", "again")},
		chunk{c2s, pgsqlMsg('X')},
	)
	pgsqlCheck(t, got, []pgsqlWant{
		{summary: `StartupMessage: user=u`, pair: PairRequest},
		{summary: "AuthenticationCleartextPassword"},
		{summary: `Query: "too early"`, err: "only PasswordMessage and Terminate may come during the startup phase", pair: PairRequest},
		{summary: "PasswordMessage"},
		{summary: "AuthenticationOk"},
		{summary: "ReadyForQuery: Idle (0x49)", pair: PairMatched, peer: 1},
		{summary: `Query: "select 1"`, pair: PairRequest},
		{summary: `StartupMessage: user=again`, err: "a StartupMessage after the startup phase"},
		{summary: "Terminate"},
		{kind: KindUnanswered, pair: PairUnanswered, err: "request at packet 3 (key 2) got no response"},
		{kind: KindUnanswered, pair: PairUnanswered, err: "request at packet 6 (key 3) got no response"},
	})
}

// The one-byte answer to SSLRequest is told from a typed message by the
// byte after it: it waits for the server's next bytes, which may come in
// the same segment, or never.
func TestPgsqlEncryptionAnswerFraming(t *testing.T) {
	t.Run("answer and next message in one segment", func(t *testing.T) {
		got := pgsqlDecode(t,
			chunk{c2s, pgsqlSSLRequest()},
			chunk{s2c, pgsqlCat([]byte{'N'}, pgsqlMsg('E', pgsqlFields("S", "FATAL", "C", "28000", "M", "no pg_hba.conf entry")))},
		)
		pgsqlCheck(t, got, []pgsqlWant{
			{summary: "SSLRequest", pair: PairRequest},
			{summary: "SSLRequest answer: Refused (0x4e)", pair: PairMatched, peer: 1},
			{summary: `ErrorResponse: "FATAL" "28000" "no pg_hba.conf entry"`},
		})
	})
	t.Run("answer at the end of the capture", func(t *testing.T) {
		got := pgsqlDecode(t, chunk{c2s, pgsqlSSLRequest()}, chunk{s2c, []byte{'N'}})
		pgsqlCheck(t, got, []pgsqlWant{
			{summary: "SSLRequest", pair: PairRequest},
			{summary: "SSLRequest answer: Refused (0x4e)", err: "incomplete frame", pair: PairMatched, peer: 1},
		})
	})
	t.Run("ParameterStatus and NoticeResponse are not answers", func(t *testing.T) {
		got := pgsqlDecode(t, chunk{s2c, pgsqlCat(pgsqlParamStatus("a", "b"), pgsqlMsg('N', pgsqlFields("S", "NOTICE")))})
		pgsqlCheck(t, got, []pgsqlWant{
			{summary: `ParameterStatus: "a"="b"`},
			{summary: `NoticeResponse: "NOTICE"`},
		})
	})
}

// A capture that starts in the middle of a connection: typed messages
// decode without the startup, and a ReadyForQuery with no request waiting
// does not put the pairing out of step.
func TestPgsqlMidstream(t *testing.T) {
	got := pgsqlDecode(t,
		chunk{s2c, pgsqlCat(pgsqlMsg('C', pgsqlStr("INSERT 0 1")), pgsqlReady('T'))},                                            // 1
		chunk{c2s, pgsqlQuery("COMMIT")},                                                                                        // 2
		chunk{s2c, pgsqlCat(pgsqlMsg('C', pgsqlStr("COMMIT")), pgsqlReady('I'))},                                                // 3
		chunk{c2s, pgsqlQuery("select 1")},                                                                                      // 4
		chunk{s2c, pgsqlCat(pgsqlRowDesc("?column?"), pgsqlDataRow("1"), pgsqlMsg('C', pgsqlStr("SELECT 1")), pgsqlReady('I'))}, // 5
	)
	pgsqlCheck(t, got, []pgsqlWant{
		{summary: `CommandComplete: "INSERT 0 1"`},
		{summary: "ReadyForQuery: In transaction (0x54)", pair: PairUnsolicited, fields: map[string]string{"message.body.answers": "-2"}},
		{summary: `Query: "COMMIT"`, pair: PairRequest},
		{summary: `CommandComplete: "COMMIT"`},
		{summary: "ReadyForQuery: Idle (0x49)", pair: PairMatched, peer: 2},
		{summary: `Query: "select 1"`, pair: PairRequest},
		{summary: "RowDescription: 1 item"},
		{summary: "DataRow: 1 item", fields: map[string]string{"message.body.columns.0.value.data": `"1"`}},
		{summary: `CommandComplete: "SELECT 1"`},
		{summary: "ReadyForQuery: Idle (0x49)", pair: PairMatched, peer: 4},
	})
}

// Malformed messages: records with errors or skipped bytes, and decoding
// goes on with the next message.
func TestPgsqlMalformed(t *testing.T) {
	query := pgsqlQuery("select 1")
	ready := pgsqlReady('I')
	okQuery := pgsqlWant{summary: `Query: "select 1"`, pair: PairRequest}
	okReady := pgsqlWant{summary: "ReadyForQuery: Idle (0x49)", pair: PairUnsolicited}
	tests := []struct {
		name string
		dir  Direction
		data []byte
		want []pgsqlWant // the records of data, then of the good message after it
	}{
		{"query without terminator", c2s, pgsqlMsg('Q', []byte("select")), []pgsqlWant{
			{summary: "Query: ?", err: "message.body.query: no terminator"}, okQuery}},
		{"startup with an unknown protocol version", c2s, pgsqlUntyped(pgsqlU32(2<<16), []byte{0}), []pgsqlWant{
			{summary: "?", err: "message.body: no matching case"}, okQuery}},
		{"unknown request code", c2s, pgsqlUntyped(pgsqlU32(1234<<16 | 1)), []pgsqlWant{
			{summary: "?", err: "message.body: no matching case"}, okQuery}},
		{"startup parameters without the final 0", c2s, pgsqlUntyped(pgsqlU32(3<<16), pgsqlStr("user"), pgsqlStr("x")), []pgsqlWant{
			{summary: `StartupMessage: user=x`, err: "message.body.terminator: truncated"}, okQuery}},
		// The candidate frames found while searching past a bad length may
		// take the rest of a short stream: 00 00 02 49 looks like the length
		// of a 585-byte startup message.
		{"typed length below 4", s2c, []byte{'Z', 0, 0, 0, 2, 'I'}, []pgsqlWant{
			{kind: KindSkipped, err: "the framing length is out of range"}, okReady}},
		{"startup length above 10000", c2s, pgsqlCat(pgsqlU32(20000), pgsqlU32(3<<16)), []pgsqlWant{
			{kind: KindSkipped, err: "the framing length is out of range"}, {summary: `Query: "select 1"`, pair: PairRequest}}},
		{"DataRow value longer than the message", s2c, pgsqlMsg('D', pgsqlU16(1), pgsqlI32(10), []byte("abc")), []pgsqlWant{
			{summary: "DataRow: 1 item", err: "message.body.columns[0].value.data: truncated"}, okReady}},
		{"DataRow with more columns than it holds", s2c, pgsqlMsg('D', pgsqlU16(3), pgsqlI32(1), []byte("a")), []pgsqlWant{
			{summary: "DataRow: 2 items", err: "message.body.columns[1].length: truncated"}, okReady}},
		{"RowDescription cut short", s2c, pgsqlMsg('T', pgsqlU16(1), pgsqlStr("c"), pgsqlU32(1)), []pgsqlWant{
			{summary: "RowDescription: 1 item", err: "message.body.fields[0].column_index: truncated"}, okReady}},
		{"error fields without the final 0", s2c, pgsqlMsg('E', []byte("SERROR\x00")), []pgsqlWant{
			{summary: `ErrorResponse: "ERROR"`, err: "message.body.terminator: truncated"}, okReady}},
		{"encryption answer nobody asked for", s2c, []byte{'N'}, []pgsqlWant{
			{summary: "SSLRequest answer: Refused (0x4e)", err: "no SSLRequest or GSSENCRequest before it"}, okReady}},
		{"length that does not fit the message", s2c, pgsqlMsg('K', pgsqlU32(1)), []pgsqlWant{
			{summary: "BackendKeyData: pid 1", fields: map[string]string{"message.body.secret_key": "(empty)"}}, okReady}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := query
			if tt.dir == s2c {
				next = ready
			}
			got := pgsqlDecode(t, chunk{tt.dir, tt.data}, chunk{tt.dir, next})
			var keep []decodedFrame
			for _, g := range got {
				if g.Kind != KindUnanswered {
					keep = append(keep, g)
				}
			}
			pgsqlCheck(t, keep, tt.want)
		})
	}
	t.Run("a message cut by the end of the stream", func(t *testing.T) {
		pgsqlCheck(t, pgsqlDecode(t, chunk{c2s, query[:7]}), []pgsqlWant{
			{summary: "?", err: "incomplete frame: the stream ended before the frame was complete: have 7 bytes of 14"}})
	})
}

// Random bytes in both directions: records, never a panic, every byte
// accounted for.
func TestPgsqlGarbage(t *testing.T) {
	seed := uint32(11)
	data := make([]byte, 20000)
	for i := range data {
		seed = seed*1664525 + 1013904223
		data[i] = byte(seed >> 24)
		if seed>>20&3 == 0 {
			data[i] = 0 // plenty of zeros, to look like lengths
		}
	}
	got := pgsqlDecode(t, chunk{c2s, data}, chunk{s2c, data})
	var covered [2]uint64
	dir := 0
	for _, r := range got {
		if r.Kind == KindUnanswered {
			continue
		}
		if r.Offset == 0 && covered[0] > 0 {
			dir = 1
		}
		if r.Offset != covered[dir] {
			t.Fatalf("record %v starts at %d, want %d", r, r.Offset, covered[dir])
		}
		covered[dir] += uint64(r.Length)
	}
	if covered[0] != uint64(len(data)) || covered[1] != uint64(len(data)) {
		t.Fatalf("records cover %v bytes of %d", covered, len(data))
	}
}

// Every way of cutting each direction's stream gives the same records.
func TestPgsqlEverySplit(t *testing.T) {
	reg := libraryRegistry(t)
	startup := pgsqlCat(
		pgsqlSSLRequest(),
		pgsqlStartup("user", "u", "database", "d", "application_name", "split"),
		pgsqlMsg('p', pgsqlStr("secret")),
		pgsqlMsg('X'),
	)
	got := checkEverySplit(t, reg, "pgsql", c2s, startup)
	pgsqlSummaries(t, got, []string{"SSLRequest", "StartupMessage: user=u database=d", "PasswordMessage", "Terminate"})

	// Without the startup (as in a capture that starts later).
	client := pgsqlCat(
		pgsqlQuery("select 1"),
		pgsqlMsg('P', pgsqlStr(""), pgsqlStr("select $1"), pgsqlU16(0)),
		pgsqlMsg('B', pgsqlStr(""), pgsqlStr(""), pgsqlU16(0), pgsqlValues("5"), pgsqlU16(0)),
		pgsqlMsg('E', pgsqlStr(""), pgsqlU32(0)),
		pgsqlMsg('S'),
		pgsqlMsg('X'),
	)
	got = checkEverySplit(t, reg, "pgsql", c2s, client)
	want := []string{`Query: "select 1"`, `Parse: "" "select $1"`, `Bind: portal "", statement "", 1 item`,
		`Execute: portal "", max rows 0`, "Sync", "Terminate"}
	pgsqlSummaries(t, got, want)

	server := pgsqlCat(
		pgsqlAuth(3),
		pgsqlAuth(0),
		pgsqlParamStatus("TimeZone", "UTC"),
		pgsqlMsg('K', pgsqlU32(1), pgsqlU32(2)),
		pgsqlReady('I'),
		pgsqlRowDesc("a"),
		pgsqlDataRow("1"),
		pgsqlMsg('C', pgsqlStr("SELECT 1")),
		pgsqlMsg('N', pgsqlFields("S", "WARNING", "C", "01000", "M", "careful")),
		pgsqlReady('I'),
	)
	got = checkEverySplit(t, reg, "pgsql", s2c, server)
	want = []string{"AuthenticationCleartextPassword", "AuthenticationOk", `ParameterStatus: "TimeZone"="UTC"`,
		"BackendKeyData: pid 1", "ReadyForQuery: Idle (0x49)", "RowDescription: 1 item", "DataRow: 1 item",
		`CommandComplete: "SELECT 1"`, `NoticeResponse: "WARNING" "01000" "careful"`, "ReadyForQuery: Idle (0x49)"}
	pgsqlSummaries(t, got, want)
}

func pgsqlSummaries(t *testing.T, got []decodedFrame, want []string) {
	t.Helper()
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
}
