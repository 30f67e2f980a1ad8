package schema

import "testing"

func TestMySQLLenenc(t *testing.T) {
	runFeatureCases(t, []featureCase{
		{name: "1, 3, 4 and 9 bytes", src: "struct M { a mysql_lenenc; b mysql_lenenc; c mysql_lenenc; d mysql_lenenc }",
			data:   []byte{0xfa, 0xfc, 0x34, 0x12, 0xfd, 0x56, 0x34, 0x12, 0xfe, 8, 7, 6, 5, 4, 3, 2, 1},
			fields: []string{"a=250", "b=4660", "c=1193046", "d=72623859790382856"}},
		{name: "sizes bytes", src: "struct M { n mysql_lenenc; s [n]utf8 }", data: []byte{0x02, 'h', 'i'},
			fields: []string{"s=\"hi\""}},
		{name: "NULL is no integer", src: "struct M { a mysql_lenenc }", data: []byte{0xfb},
			err: "a: bad varint: expected a complete mysql_lenenc, found 0xfb (NULL) or 0xff starts no length-encoded integer"},
		{name: "0xff is no integer", src: "struct M { a mysql_lenenc }", data: []byte{0xff, 0, 0},
			err: "0xfb (NULL) or 0xff"},
		{name: "cut short", src: "struct M { a mysql_lenenc }", data: []byte{0xfd, 1, 2},
			err: "the bytes end inside it"},
		{name: "read at an offset", src: "struct M { x u8; let n = mysql_lenenc(1); let w = mysql_lenenc_len(1); a mysql_lenenc }",
			data: []byte{9, 0xfc, 0x00, 0x01}, fields: []string{"n=256", "w=3", "a=256"}},
	})
}
