package dissectors

import (
	"testing"

	"github.com/dissect-project/dissect/internal/pcapgen"
)

// sessionChunks turns pcapgen messages into chunks, one per packet.
func sessionChunks(msgs []pcapgen.DirMsg) []chunk {
	var out []chunk
	for _, m := range msgs {
		dir := c2s
		if m.Dir == pcapgen.ServerToClient {
			dir = s2c
		}
		out = append(out, chunk{dir, m.Data})
	}
	return out
}

// The session of testdata/pcaps/mysql-basic.pcap: CLIENT_DEPRECATE_EOF,
// so result sets end with an OK (header 0xFE) and definitions with none.
func TestMySQLSession(t *testing.T) {
	got := decodeFrames(t, "mysql", sessionChunks(pcapgen.MySQLSession())...)
	checkRecs(t, got, []recWant{
		{summary: "Server Greeting proto=10 version=8.0.36", fields: map[string]string{
			"length": "74", "sequence": "0", "body.protocol": "10", "body.connection_id": "42",
			"body.auth_data_1": "6162636465666768", "body.auth_data_2": "696a6b6c6d6e6f707172737400",
			"body.capabilities":     "long_password|connect_with_db|protocol_41|transactions|secure_connection (0xa209)",
			"body.ext_capabilities": "multi_results|plugin_auth|connect_attrs|plugin_auth_lenenc_data|deprecate_eof (0x013a)",
			"body.status":           "autocommit (0x0002)", "body.auth_plugin": `"mysql_native_password"`}},
		{summary: "Login Request user=app db=shop", pair: PairRequest, fields: map[string]string{
			"sequence": "1", "body.username": `"app"`, "body.auth_response.data": "1f2e3d4c5b6a798897a6b5c4d3e2f10011223344",
			"body.schema": `"shop"`, "body.auth_plugin": `"mysql_native_password"`, "body.max_packet": "16777216",
			"body.attributes.attributes.0": "_client_name=libmysql", "body.attributes.attributes.1.value": `"Linux"`}},
		{summary: "Response OK", pair: PairMatched, peer: 2, fields: map[string]string{"body.header": "0x00", "body.status": "autocommit (0x0002)"}},
		{summary: "Request Use Database shop", pair: PairRequest, fields: map[string]string{"body.command": "Use Database (0x02)", "body.body.schema": `"shop"`}},
		{summary: "Response OK", pair: PairMatched, peer: 4},
		{summary: "Request Query SELECT id, name, note FROM items", fields: map[string]string{"body.body.query": `"SELECT id, name, note FROM items"`}},
		{summary: "Response: 3 columns", pair: PairMatched, peer: 6, fields: map[string]string{"body.count": "3"}},
		{summary: "Column id LONG", pair: PairNone, fields: map[string]string{
			"body.catalog": `"def"`, "body.schema": `"shop"`, "body.table": `"items"`, "body.name": `"id"`,
			"body.type": "LONG (0x03)", "body.flags": "not_null|primary_key|auto_increment|part_key (0x4203)", "body.column_length": "11"},
			absent: []string{"body.extended_metadata"}},
		{summary: "Column name VAR_STRING"},
		{summary: "Column note BLOB"},
		{summary: `Row: "1", "pen", NULL`, fields: map[string]string{"body.values.0.value.text": `"1"`, "body.values.2.value": "NULL"}},
		{summary: `Row: "2", "book", "paper"`},
		{summary: "Response OK", fields: map[string]string{"body.header": "0xfe", "body.status": "autocommit|no_index_used (0x0022)"}},
		{summary: "Request Query SELECT * FROM nosuchtable"},
		{summary: "Response Error 1146 (42S02): Table 'shop.nosuchtable' doesn't exist", pair: PairMatched, peer: 8, fields: map[string]string{
			"body.error_code": "1146", "body.sql_state.state": `"42S02"`}},
		{summary: "Request Prepare Statement SELECT name FROM items WHERE id = ? OR id = ?"},
		{summary: "Response OK, statement 1: 1 columns, 2 parameters", pair: PairMatched, peer: 10, fields: map[string]string{
			"body.statement_id": "1", "body.columns": "1", "body.parameters": "2"}},
		{summary: "Column ? VAR_STRING"},
		{summary: "Column ? VAR_STRING"},
		{summary: "Column name VAR_STRING"},
		{summary: "Request Execute Statement id=1", fields: map[string]string{
			"body.body.iterations": "1", "body.body.null_bitmap": "00", "body.body.new_params_bound": "1",
			"body.body.types.0": "LONG", "body.body.types.1.type": "LONG (0x03)",
			"body.body.values.0": "1", "body.body.values.1.type": "LONG (3)", "body.body.values.1.value.value": "2"},
			absent: []string{"body.body.rest"}},
		{summary: "Response: 1 columns"},
		{summary: "Column name VAR_STRING"},
		{summary: "Binary row", fields: map[string]string{"body.header": "0x00", "body.null_bitmap": "00", "body.data": "0370656e"}},
		{summary: "Response OK"},
		{summary: "Request Ping"},
		{summary: "Response OK", pair: PairMatched, peer: 14},
		{summary: "Request Query UPDATE items SET note = 'x' WHERE id = 1"},
		{summary: "Response OK, 1 rows affected", fields: map[string]string{"body.affected_rows": "1", "body.info": `"Rows matched: 1  Changed: 1  Warnings: 0"`}},
		{summary: "Request Close Statement id=1", pair: PairNone},
		{summary: "Request Quit", pair: PairNone},
	})
}

// MySQLmsg is a packet with its direction, for the hand-built sessions.
func mysqlC(seq byte, payload ...[]byte) chunk {
	return chunk{c2s, pcapgen.MySQLPacket(seq, cat(payload...))}
}
func mysqlS(seq byte, payload ...[]byte) chunk {
	return chunk{s2c, pcapgen.MySQLPacket(seq, cat(payload...))}
}

// Classic result sets (no CLIENT_DEPRECATE_EOF): EOF after the
// definitions and after the rows; an authentication switch; COM_FIELD_LIST
// and LOAD DATA LOCAL INFILE.
func TestMySQLClassicEOF(t *testing.T) {
	caps := pcapgen.MySQLClientLongPassword | pcapgen.MySQLClientProtocol41 | pcapgen.MySQLClientSecureConn | pcapgen.MySQLClientPluginAuth
	got := decodeFrames(t, "mysql",
		chunk{s2c, pcapgen.MySQLHandshake("5.7.44", 7, caps, "mysql_native_password")},
		chunk{c2s, pcapgen.MySQLLogin(caps|pcapgen.MySQLClientLenencAuthData, "root", []byte{1, 2, 3}, "", "mysql_native_password")},
		mysqlS(2, []byte{0xfe}, []byte("caching_sha2_password\x00"), []byte("0123456789abcdefghij\x00")),
		mysqlC(3, []byte{9, 8, 7}),
		mysqlS(4, []byte{0x01, 0x03}),
		chunk{s2c, pcapgen.MySQLOK(5, 0, 0, 0, 2, "")},
		chunk{c2s, pcapgen.MySQLCommand(0x03, []byte("SELECT 1"))},
		mysqlS(1, []byte{1}),
		chunk{s2c, pcapgen.MySQLColumn(2, "", "", "1", 0x08, 0x0081, 1)},
		chunk{s2c, pcapgen.MySQLEOF(3, 2)},
		mysqlS(4, []byte("\x011")),
		chunk{s2c, pcapgen.MySQLEOF(5, 2)},
		chunk{c2s, pcapgen.MySQLCommand(0x04, []byte("items\x00"))},
		chunk{s2c, pcapgen.MySQLColumn(1, "shop", "items", "id", 0x03, 0x4203, 11)},
		chunk{s2c, pcapgen.MySQLEOF(2, 2)},
		chunk{c2s, pcapgen.MySQLCommand(0x03, []byte("LOAD DATA LOCAL INFILE '/tmp/x' INTO TABLE t"))},
		mysqlS(1, []byte("\xfb/tmp/x")),
		mysqlC(2, []byte("1,2\n")),
		mysqlC(3),
		chunk{s2c, pcapgen.MySQLOK(4, 0, 1, 0, 2, "")},
	)
	checkRecs(t, got, []recWant{
		{summary: "Server Greeting proto=10 version=5.7.44"},
		{summary: "Login Request user=root", absent: []string{"body.schema"}},
		{summary: "Auth Switch Request caching_sha2_password", pair: PairNone, fields: map[string]string{"body.data": "303132333435363738396162636465666768696a00"}},
		{summary: "Auth Switch Response", fields: map[string]string{"body.data": "090807"}},
		{summary: "Auth More Data"},
		{summary: "Response OK", pair: PairMatched, peer: 2},
		{summary: "Request Query SELECT 1"},
		{summary: "Response: 1 columns"},
		{summary: "Column 1 LONGLONG"},
		{summary: "Response EOF", fields: map[string]string{"body.status": "autocommit (0x0002)"}},
		{summary: `Row: "1"`},
		{summary: "Response EOF"},
		{summary: "Request Show Fields items", fields: map[string]string{"body.body.table": `"items"`}},
		{summary: "Column id LONG"},
		{summary: "Response EOF"},
		{summary: "Request Query LOAD DATA LOCAL INFILE '/tmp/x' INTO TABLE t"},
		{summary: "Response LOCAL INFILE /tmp/x"},
		{summary: "Local infile data", fields: map[string]string{"body.data": "312c320a"}},
		{summary: "Local infile data"},
		{summary: "Response OK, 1 rows affected"},
	})
}

// An SSL request switches the connection to TLS; a capture that starts in
// the middle of a connection still decodes commands and their answers.
func TestMySQLSSLAndMidstream(t *testing.T) {
	caps := pcapgen.MySQLClientProtocol41 | pcapgen.MySQLClientSSL | pcapgen.MySQLClientSecureConn
	ssl := cat([]byte{0x00, 0x0a, 0x00, 0x00}, []byte{0, 0, 0, 1}, []byte{45}, make([]byte, 23))
	ssl[0], ssl[1] = byte(caps), byte(caps>>8)
	got := decodeFrames(t, "mysql",
		chunk{s2c, pcapgen.MySQLHandshake("8.0.36", 1, caps, "caching_sha2_password")},
		mysqlC(1, ssl),
		chunk{c2s, []byte{0x16, 0x03, 0x01, 0x00, 0x02, 0x01, 0x00}},
		chunk{s2c, []byte{0x16, 0x03, 0x03, 0x00, 0x02, 0x01, 0x00}},
	)
	checkRecs(t, got, []recWant{
		{summary: "Server Greeting proto=10 version=8.0.36"},
		{summary: "SSL Request", fields: map[string]string{"body.capabilities": "protocol_41|ssl|secure_connection (0x8a00)"}},
		{summary: "TLS Handshake", fields: map[string]string{"tls.version": "0x0301", "tls.length": "2", "tls.data": "0100"}, absent: []string{"length", "body"}},
		{summary: "TLS Handshake", fields: map[string]string{"tls.version": "0x0303"}},
	})
	mid := decodeFrames(t, "mysql",
		chunk{s2c, pcapgen.MySQLRow(3, nil)},
		chunk{c2s, pcapgen.MySQLCommand(0x0e)},
		chunk{s2c, pcapgen.MySQLOK(1, 0, 0, 0, 2, "")},
	)
	checkRecs(t, mid, []recWant{
		{summary: "Response LOCAL INFILE "}, // a NULL-only row whose result set began before the capture looks like a LOCAL INFILE request
		{summary: "Request Ping", pair: PairRequest},
		{summary: "Response OK", pair: PairMatched, peer: 2},
	})
	// Without the login the capabilities are unknown: whether EOF packets
	// follow the definitions and the rows is told from the packets.
	val := func(v string) *string { return &v }
	for _, eof := range []bool{false, true} {
		chunks := []chunk{{c2s, pcapgen.MySQLCommand(0x03, []byte("SELECT a, b"))}, mysqlS(1, []byte{2}),
			{s2c, pcapgen.MySQLColumn(2, "", "", "a", 8, 0, 1)}, {s2c, pcapgen.MySQLColumn(3, "", "", "b", 0xfd, 0, 1)}}
		if eof {
			chunks = append(chunks, chunk{s2c, pcapgen.MySQLEOF(4, 2)})
		}
		chunks = append(chunks, chunk{s2c, pcapgen.MySQLRow(5, val("1"), nil)}, chunk{s2c, pcapgen.MySQLRow(6, val("2"), val("x"))})
		last := chunk{s2c, pcapgen.MySQLOK(7, 0xfe, 0, 0, 2, "")}
		if eof {
			last = chunk{s2c, pcapgen.MySQLEOF(7, 2)}
		}
		chunks = append(chunks, last, chunk{c2s, pcapgen.MySQLCommand(0x0e)}, chunk{s2c, pcapgen.MySQLOK(1, 0, 0, 0, 2, "")})
		want := []recWant{{summary: "Request Query SELECT a, b"}, {summary: "Response: 2 columns"},
			{summary: "Column a LONGLONG"}, {summary: "Column b VAR_STRING"}}
		if eof {
			want = append(want, recWant{summary: "Response EOF"})
		}
		want = append(want, recWant{summary: `Row: "1", NULL`}, recWant{summary: `Row: "2", "x"`})
		if eof {
			want = append(want, recWant{summary: "Response EOF"})
		} else {
			want = append(want, recWant{summary: "Response OK", fields: map[string]string{"body.header": "0xfe"}})
		}
		ping := uint64(len(chunks) - 1)
		want = append(want, recWant{summary: "Request Ping"}, recWant{summary: "Response OK", pair: PairMatched, peer: ping})
		checkRecs(t, decodeFrames(t, "mysql", chunks...), want)
	}
}

func TestMySQLEverySplit(t *testing.T) {
	var stream []byte
	for _, m := range pcapgen.MySQLSession() {
		if m.Dir == pcapgen.ServerToClient {
			stream = append(stream, m.Data...)
		}
	}
	stream = stream[:200]
	got := checkEverySplit(t, libraryRegistry(t), "mysql", s2c, stream)
	if len(got) < 5 || got[len(got)-1].Kind != KindFrame {
		t.Fatalf("records %v", got)
	}
}

// Malformed packets get errors that say what is wrong.
func TestMySQLMalformed(t *testing.T) {
	badColumn := pcapgen.MySQLColumn(2, "shop", "t", "c", 3, 0, 1)
	badColumn[len(badColumn)-13] = 0x0b // the fixed length, 0x0c
	hugeCount := pcapgen.MySQLPacket(1, []byte{0xfc, 0xff, 0xff})
	tests := []struct {
		name   string
		chunks []chunk
		err    string
	}{
		{"handshake without terminator", []chunk{mysqlS(0, []byte{10}, []byte("8.0"))}, "no terminator"},
		{"column definition with a bad fixed length", []chunk{
			chunk{c2s, pcapgen.MySQLCommand(0x03, []byte("SELECT c FROM t"))}, mysqlS(1, []byte{1}), {s2c, badColumn}}, "fixed_length: bad value: expected 12, found 11"},
		{"hostile column count", []chunk{chunk{c2s, pcapgen.MySQLCommand(0x03, []byte("SELECT 1"))}, {s2c, hugeCount}}, "count: out of range"},
		{"row value longer than the packet", []chunk{
			chunk{c2s, pcapgen.MySQLCommand(0x03, []byte("SELECT 1"))}, mysqlS(1, []byte{1}),
			chunk{s2c, pcapgen.MySQLColumn(2, "", "", "1", 8, 0, 1)}, chunk{s2c, pcapgen.MySQLEOF(3, 2)},
			mysqlS(4, []byte{0xfc, 0xff, 0x00, 'x'})}, "truncated"},
		{"error packet cut short", []chunk{mysqlS(1, []byte{0xff, 0x01})}, "truncated"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := decodeFrames(t, "mysql", tc.chunks...)
			checkRec(t, len(got)-1, got[len(got)-1], recWant{err: tc.err})
		})
	}
}

// COM_STMT_EXECUTE parameters of every binary layout, with NULLs from the
// bitmap, for the statement prepared last; another statement's parameters
// stay bytes.
func TestMySQLExecuteParameters(t *testing.T) {
	types := []byte{0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x05, 0x00, 0xfd, 0x00, 0x0c, 0x00, 0x0b, 0x00, 0x03, 0x00, 0xf6, 0x00, 0x04, 0x00}
	values := cat([]byte{0xff}, []byte{0x34, 0x12}, []byte{1, 0, 0, 0, 0, 0, 0, 0}, []byte{0, 0, 0, 0, 0, 0, 0xf8, 0x3f},
		pcapgen.MySQLLenencStr("pen"), []byte{7, 0xe8, 0x07, 1, 2, 3, 4, 5}, []byte{8, 1, 2, 0, 0, 0, 10, 11, 12},
		pcapgen.MySQLLenencStr("1.50"), []byte{0, 0, 0xc0, 0x3f})
	// Ten parameters; the eighth (LONG) is NULL: bit 7 of the first byte.
	exec := pcapgen.MySQLCommand(0x17, []byte{9, 0, 0, 0}, []byte{0}, []byte{1, 0, 0, 0}, []byte{0x80, 0x00}, []byte{1}, types, values)
	got := decodeFrames(t, "mysql",
		chunk{c2s, pcapgen.MySQLCommand(0x16, []byte("INSERT INTO t VALUES (?,?,?,?,?,?,?,?,?,?)"))},
		chunk{s2c, pcapgen.MySQLPrepareOK(9, 0, 10)},
		chunk{s2c, pcapgen.MySQLColumn(2, "", "", "?", 0xfd, 0, 0)}, // one definition shown; the EOF-less rest do not matter here
		chunk{c2s, exec},
		chunk{c2s, pcapgen.MySQLCommand(0x17, []byte{8, 0, 0, 0}, []byte{0}, []byte{1, 0, 0, 0}, []byte{0x00, 0x01})},
	)
	v := "body.body.values."
	checkRec(t, 3, got[3], recWant{summary: "Request Execute Statement id=9", fields: map[string]string{
		v + "0": "-1", v + "1": "4660", v + "2": "1", v + "3": "1.5", v + "4": `"pen"`,
		v + "5": "2024-1-2 3:4:5", v + "5.value.length": "7", v + "6": "2d 10:11:12", v + "6.value.negative": "1",
		v + "7": "NULL", v + "7.type": "NULL (6)", v + "8": `"1.50"`, v + "9": "1.5"}})
	checkRec(t, 4, got[4], recWant{summary: "Request Execute Statement id=8", fields: map[string]string{"body.body.rest": "0001"},
		absent: []string{"body.body.values", "body.body.null_bitmap"}})
}
