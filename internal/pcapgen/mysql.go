package pcapgen

import (
	"encoding/binary"
	"net/netip"
)

// MySQL client/server protocol packets, from the MySQL source
// documentation ("Client/Server Protocol").

// MySQLPort is the default port of MySQL and MariaDB servers.
const MySQLPort = 3306

// MySQL capability flags used by the builders.
const (
	MySQLClientConnectWithDB   uint32 = 0x00000008
	MySQLClientProtocol41      uint32 = 0x00000200
	MySQLClientSSL             uint32 = 0x00000800
	MySQLClientSecureConn      uint32 = 0x00008000
	MySQLClientMultiResults    uint32 = 0x00020000
	MySQLClientPluginAuth      uint32 = 0x00080000
	MySQLClientConnectAttrs    uint32 = 0x00100000
	MySQLClientLenencAuthData  uint32 = 0x00200000
	MySQLClientDeprecateEOF    uint32 = 0x01000000
	MySQLClientLongPassword    uint32 = 0x00000001
	MySQLClientTransactions    uint32 = 0x00002000
	mysqlServerStatusAutocommt uint16 = 0x0002
)

// MySQLPacket prefixes a payload with its 3-byte length and sequence id.
func MySQLPacket(seq byte, payload []byte) []byte {
	n := len(payload)
	return append([]byte{byte(n), byte(n >> 8), byte(n >> 16), seq}, payload...)
}

// MySQLLenenc encodes a length-encoded integer.
func MySQLLenenc(v uint64) []byte {
	switch {
	case v < 0xfb:
		return []byte{byte(v)}
	case v < 1<<16:
		return []byte{0xfc, byte(v), byte(v >> 8)}
	case v < 1<<24:
		return []byte{0xfd, byte(v), byte(v >> 8), byte(v >> 16)}
	}
	return binary.LittleEndian.AppendUint64([]byte{0xfe}, v)
}

// MySQLLenencStr encodes a length-encoded string.
func MySQLLenencStr(s string) []byte { return append(MySQLLenenc(uint64(len(s))), s...) }

// MySQLHandshake builds the server's initial handshake (protocol 10).
func MySQLHandshake(version string, connID uint32, caps uint32, plugin string) []byte {
	p := []byte{10}
	p = append(p, version...)
	p = append(p, 0)
	p = binary.LittleEndian.AppendUint32(p, connID)
	p = append(p, "abcdefgh"...)
	p = append(p, 0)
	p = binary.LittleEndian.AppendUint16(p, uint16(caps))
	p = append(p, 0xff)
	p = binary.LittleEndian.AppendUint16(p, mysqlServerStatusAutocommt)
	p = binary.LittleEndian.AppendUint16(p, uint16(caps>>16))
	p = append(p, 21)
	p = append(p, make([]byte, 10)...)
	p = append(p, "ijklmnopqrst"...)
	p = append(p, 0)
	p = append(p, plugin...)
	return MySQLPacket(0, append(p, 0))
}

// MySQLLogin builds a HandshakeResponse41 with a length-encoded auth
// response, a database, a plugin and connection attributes.
func MySQLLogin(caps uint32, user string, auth []byte, db, plugin string, attrs ...string) []byte {
	p := binary.LittleEndian.AppendUint32(nil, caps)
	p = binary.LittleEndian.AppendUint32(p, 1<<24)
	p = append(p, 45)
	p = append(p, make([]byte, 23)...)
	p = append(p, user...)
	p = append(p, 0)
	p = append(p, MySQLLenenc(uint64(len(auth)))...)
	p = append(p, auth...)
	p = append(p, db...)
	p = append(p, 0)
	p = append(p, plugin...)
	p = append(p, 0)
	var a []byte
	for _, s := range attrs {
		a = append(a, MySQLLenencStr(s)...)
	}
	p = append(p, MySQLLenenc(uint64(len(a)))...)
	return MySQLPacket(1, append(p, a...))
}

// MySQLCommand builds a command packet (sequence id 0).
func MySQLCommand(cmd byte, args ...[]byte) []byte {
	p := []byte{cmd}
	for _, a := range args {
		p = append(p, a...)
	}
	return MySQLPacket(0, p)
}

// MySQLOK builds an OK packet (header 0x00, or 0xFE to end a result set
// with CLIENT_DEPRECATE_EOF).
func MySQLOK(seq, header byte, affected, insertID uint64, status uint16, info string) []byte {
	p := []byte{header}
	p = append(p, MySQLLenenc(affected)...)
	p = append(p, MySQLLenenc(insertID)...)
	p = binary.LittleEndian.AppendUint16(p, status)
	p = binary.LittleEndian.AppendUint16(p, 0)
	return MySQLPacket(seq, append(p, info...))
}

// MySQLErr builds an ERR packet with an SQL state.
func MySQLErr(seq byte, code uint16, state, msg string) []byte {
	p := binary.LittleEndian.AppendUint16([]byte{0xff}, code)
	p = append(p, '#')
	p = append(p, state...)
	return MySQLPacket(seq, append(p, msg...))
}

// MySQLEOF builds an EOF packet.
func MySQLEOF(seq byte, status uint16) []byte {
	p := binary.LittleEndian.AppendUint16([]byte{0xfe}, 0)
	return MySQLPacket(seq, binary.LittleEndian.AppendUint16(p, status))
}

// MySQLColumn builds a ColumnDefinition41.
func MySQLColumn(seq byte, db, table, name string, typ byte, flags uint16, length uint32) []byte {
	var p []byte
	for _, s := range []string{"def", db, table, table, name, name} {
		p = append(p, MySQLLenencStr(s)...)
	}
	p = append(p, 0x0c)
	p = binary.LittleEndian.AppendUint16(p, 45)
	p = binary.LittleEndian.AppendUint32(p, length)
	p = append(p, typ)
	p = binary.LittleEndian.AppendUint16(p, flags)
	return MySQLPacket(seq, append(p, 0, 0, 0))
}

// MySQLRow builds a text result set row; nil is NULL.
func MySQLRow(seq byte, values ...*string) []byte {
	var p []byte
	for _, v := range values {
		if v == nil {
			p = append(p, 0xfb)
		} else {
			p = append(p, MySQLLenencStr(*v)...)
		}
	}
	return MySQLPacket(seq, p)
}

// MySQLPrepareOK builds the answer to COM_STMT_PREPARE.
func MySQLPrepareOK(stmt uint32, columns, params uint16) []byte {
	p := binary.LittleEndian.AppendUint32([]byte{0}, stmt)
	p = binary.LittleEndian.AppendUint16(p, columns)
	p = binary.LittleEndian.AppendUint16(p, params)
	p = append(p, 0)
	return MySQLPacket(1, binary.LittleEndian.AppendUint16(p, 0))
}

func u32le(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

// MySQLSession returns a MySQL 8 session with CLIENT_DEPRECATE_EOF: the
// handshake and login, COM_INIT_DB, a query with a result set ended by an
// OK, an error, a prepared statement (two parameters, one column) executed
// with a binary row, COM_PING, COM_STMT_CLOSE and COM_QUIT.
func MySQLSession() []DirMsg {
	caps := MySQLClientLongPassword | MySQLClientConnectWithDB | MySQLClientProtocol41 | MySQLClientTransactions |
		MySQLClientSecureConn | MySQLClientMultiResults | MySQLClientPluginAuth | MySQLClientConnectAttrs |
		MySQLClientLenencAuthData | MySQLClientDeprecateEOF
	s := func(v string) *string { return &v }
	c2s := func(b []byte) DirMsg { return DirMsg{ClientToServer, b} }
	s2c := func(b ...[]byte) DirMsg {
		var all []byte
		for _, x := range b {
			all = append(all, x...)
		}
		return DirMsg{ServerToClient, all}
	}
	scramble := []byte{0x1f, 0x2e, 0x3d, 0x4c, 0x5b, 0x6a, 0x79, 0x88, 0x97, 0xa6, 0xb5, 0xc4, 0xd3, 0xe2, 0xf1, 0x00, 0x11, 0x22, 0x33, 0x44}
	return []DirMsg{
		s2c(MySQLHandshake("8.0.36", 42, caps, "mysql_native_password")),
		c2s(MySQLLogin(caps, "app", scramble, "shop", "mysql_native_password", "_client_name", "libmysql", "_os", "Linux")),
		s2c(MySQLOK(2, 0, 0, 0, 2, "")),
		c2s(MySQLCommand(0x02, []byte("shop"))),
		s2c(MySQLOK(1, 0, 0, 0, 2, "")),
		c2s(MySQLCommand(0x03, []byte("SELECT id, name, note FROM items"))),
		s2c(MySQLPacket(1, MySQLLenenc(3)),
			MySQLColumn(2, "shop", "items", "id", 0x03, 0x4203, 11),
			MySQLColumn(3, "shop", "items", "name", 0xfd, 0x1001, 160),
			MySQLColumn(4, "shop", "items", "note", 0xfc, 0x0010, 65535),
			MySQLRow(5, s("1"), s("pen"), nil),
			MySQLRow(6, s("2"), s("book"), s("paper")),
			MySQLOK(7, 0xfe, 0, 0, 0x22, "")),
		c2s(MySQLCommand(0x03, []byte("SELECT * FROM nosuchtable"))),
		s2c(MySQLErr(1, 1146, "42S02", "Table 'shop.nosuchtable' doesn't exist")),
		c2s(MySQLCommand(0x16, []byte("SELECT name FROM items WHERE id = ? OR id = ?"))),
		s2c(MySQLPrepareOK(1, 1, 2),
			MySQLColumn(2, "", "", "?", 0xfd, 0x0080, 0),
			MySQLColumn(3, "", "", "?", 0xfd, 0x0080, 0),
			MySQLColumn(4, "shop", "items", "name", 0xfd, 0x1001, 160)),
		c2s(MySQLCommand(0x17, u32le(1), []byte{0}, u32le(1), []byte{0x00, 0x01, 0x03, 0x00, 0x03, 0x00}, u32le(1), u32le(2))),
		s2c(MySQLPacket(1, MySQLLenenc(1)),
			MySQLColumn(2, "shop", "items", "name", 0xfd, 0x1001, 160),
			MySQLPacket(3, append([]byte{0x00, 0x00}, MySQLLenencStr("pen")...)),
			MySQLOK(4, 0xfe, 0, 0, 0x02, "")),
		c2s(MySQLCommand(0x0e)),
		s2c(MySQLOK(1, 0, 0, 0, 2, "")),
		c2s(MySQLCommand(0x03, []byte("UPDATE items SET note = 'x' WHERE id = 1"))),
		s2c(MySQLOK(1, 0, 1, 0, 2, "Rows matched: 1  Changed: 1  Warnings: 0")),
		c2s(MySQLCommand(0x19, u32le(1))),
		c2s(MySQLCommand(0x01)),
	}
}

func buildMySQLBasic() *Capture {
	return sessionCapture(13, ConnConfig{
		Client: Endpoint{Addr: netip.MustParseAddr("10.40.0.20"), Port: 50300},
		Server: Endpoint{Addr: netip.MustParseAddr("10.40.0.10"), Port: MySQLPort},
	}, MySQLSession())
}

func init() {
	registerCapture("mysql-basic.pcap", "mysql",
		"MySQL 8 session with CLIENT_DEPRECATE_EOF: handshake, login with attributes, COM_INIT_DB, a result set with NULL, an error, a prepared statement executed with a binary row, ping, update, close, quit",
		buildMySQLBasic)
}
