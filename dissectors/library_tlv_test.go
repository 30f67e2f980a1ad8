package dissectors

import (
	"encoding/binary"
	"strings"
	"testing"
)

// Byte builders for the made-up TLV protocol of tlv.dsl: a message is an
// unsigned LEB128 length and items; an item is type, length (both unsigned
// LEB128) and value.

func tlvUvarint(n uint64) []byte { return binary.AppendUvarint(nil, n) }

// tlvZigzag encodes n as protobuf's sint64.
func tlvZigzag(n int64) []byte { return tlvUvarint(uint64(n<<1) ^ uint64(n>>63)) }

// tlvSleb128 encodes n as signed LEB128.
func tlvSleb128(n int64) []byte {
	var b []byte
	for {
		c := byte(n & 0x7F)
		n >>= 7
		if (n == 0 && c&0x40 == 0) || (n == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func tlvCat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func tlvItem(typ uint64, value []byte) []byte {
	return tlvCat(tlvUvarint(typ), tlvUvarint(uint64(len(value))), value)
}

func tlvInt(n int64) []byte          { return tlvItem(1, tlvZigzag(n)) }
func tlvString(s string) []byte      { return tlvItem(2, []byte(s)) }
func tlvList(items ...[]byte) []byte { return tlvItem(3, tlvCat(items...)) }
func tlvBytes(b []byte) []byte       { return tlvItem(4, b) }
func tlvUnsigned(n uint64) []byte    { return tlvItem(5, tlvUvarint(n)) }
func tlvSigned(n int64) []byte       { return tlvItem(6, tlvSleb128(n)) }

func tlvMessage(items ...[]byte) []byte {
	body := tlvCat(items...)
	return tlvCat(tlvUvarint(uint64(len(body))), body)
}

func tlvDecode(t *testing.T, chunks ...chunk) []decodedFrame {
	t.Helper()
	return decodeChunks(t, libraryRegistry(t), "tlv", chunks)
}

// tlvExpect checks one record: its summary, error and fields.
func tlvExpect(t *testing.T, got decodedFrame, summary, err string, fields map[string]string) {
	t.Helper()
	if got.Kind != KindFrame {
		t.Fatalf("%v, want a frame", got)
	}
	if summary != "" && got.Summary != summary {
		t.Errorf("summary %q, want %q", got.Summary, summary)
	}
	if err == "" && got.Err != "" {
		t.Errorf("unexpected error %q", got.Err)
	}
	if err != "" && !strings.Contains(got.Err, err) {
		t.Errorf("error %q, want one containing %q", got.Err, err)
	}
	for path, want := range fields {
		if v := got.Field(t, path); v != want {
			t.Errorf("%s = %s, want %s", path, v, want)
		}
	}
}

// Every value type, varints of one to ten bytes, nested lists, and both
// directions.
func TestTLVValues(t *testing.T) {
	tests := []struct {
		name    string
		msg     []byte
		summary string
		fields  map[string]string
	}{
		{"empty message", tlvMessage(), "TLV 0 items", map[string]string{"length": "0"}},
		{"integers", tlvMessage(tlvInt(0), tlvInt(-1), tlvInt(63), tlvInt(-64), tlvInt(64), tlvInt(1<<40), tlvInt(-1<<63), tlvInt(1<<63-1)),
			"TLV 8 items", map[string]string{
				"items.0.value": "0", "items.1.value": "-1", "items.2.value": "63", "items.3.value": "-64",
				"items.4.value": "64", "items.4.length": "2", "items.5.value": "1099511627776",
				"items.6.value": "-9223372036854775808", "items.6.length": "10", "items.7.value": "9223372036854775807",
				"items.1.type": "Integer (1)"}},
		{"strings", tlvMessage(tlvString("héllo"), tlvString(""), tlvString("\xff\n")), "TLV 3 items", map[string]string{
			"items.0.type": "String (2)", "items.0.length": "6", "items.0.value": `"héllo"`,
			"items.1.value": `""`, "items.2.value": `"\xff\n"`}},
		{"bytes and unknown types", tlvMessage(tlvBytes([]byte{1, 2, 3}), tlvItem(300, []byte{9}), tlvItem(7, nil)), "TLV 3 items", map[string]string{
			"items.0.type": "Bytes (4)", "items.0.value": "010203",
			"items.1.type": "Unknown (300)", "items.1.value": "09", "items.2.value": "(empty)"}},
		{"unsigned and signed LEB128", tlvMessage(tlvUnsigned(300), tlvUnsigned(1<<64-1), tlvSigned(-2), tlvSigned(-129), tlvSigned(1000)),
			"TLV 5 items", map[string]string{
				"items.0.type": "Unsigned (5)", "items.0.value": "300", "items.0.length": "2",
				"items.1.value": "18446744073709551615", "items.1.length": "10",
				"items.2.type": "Signed (6)", "items.2.value": "-2", "items.3.value": "-129", "items.4.value": "1000"}},
		{"nested lists", tlvMessage(tlvList(tlvInt(5), tlvList(tlvString("deep"), tlvList()), tlvBytes(nil)), tlvInt(1)),
			"TLV 2 items", map[string]string{
				"items.0.type": "List (3)", "items.0.value": "[3 items]",
				"items.0.value.items.0.value":                "5",
				"items.0.value.items.1.value.items.0.value":  `"deep"`,
				"items.0.value.items.1.value.items.1.value":  "[0 items]",
				"items.0.value.items.1.value.items.1.length": "0",
				"items.0.value.items.2.value":                "(empty)",
				"items.1.value":                              "1"}},
		{"a long message with a two-byte length", tlvMessage(tlvString(strings.Repeat("x", 200))), "TLV 1 item", map[string]string{
			"length": "203", "items.0.length": "200"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, dir := range []Direction{c2s, s2c} {
				got := tlvDecode(t, chunk{dir, tt.msg})
				if len(got) != 1 {
					t.Fatalf("records: %v", got)
				}
				tlvExpect(t, got[0], tt.summary, "", tt.fields)
				if got[0].Length != len(tt.msg) {
					t.Errorf("record of %d bytes, message of %d", got[0].Length, len(tt.msg))
				}
			}
		})
	}
}

// Malformed messages: records with errors or skipped bytes, never a panic.
func TestTLVMalformed(t *testing.T) {
	good := tlvMessage(tlvInt(7))
	deep := tlvInt(1)
	for i := 0; i < 100; i++ {
		deep = tlvList(deep)
	}
	tests := []struct {
		name string
		msg  []byte
		err  string
	}{
		{"integer shorter than its length", tlvMessage(tlvItem(1, []byte{0x02, 0x00})), "a varint value must fill the item's length exactly"},
		{"integer longer than its length", tlvMessage(tlvItem(1, []byte{0x80})), "items[0].value: bad varint"},
		{"signed value with a trailing byte", tlvMessage(tlvItem(6, []byte{0x7F, 0x7F})), "must fill the item's length"},
		{"value longer than the message", tlvMessage([]byte{2, 10, 'a'}), "items[0].value: truncated"},
		{"item length that never ends", tlvMessage([]byte{2, 0x80, 0x80}), "items[0].length: bad varint"},
		{"type varint of eleven bytes", tlvMessage([]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}), "items[0].type: bad varint"},
		{"item cut in a nested list", tlvMessage(tlvItem(3, []byte{1, 5, 2})), "items[0].value.items[0].value: truncated"},
		{"lists nested deeper than the limit", tlvMessage(deep), "limit reached"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tlvDecode(t, chunk{c2s, tt.msg}, chunk{c2s, good})
			if len(got) != 2 {
				t.Fatalf("records: %v", got)
			}
			tlvExpect(t, got[0], "", tt.err, nil)
			tlvExpect(t, got[1], "TLV 1 item", "", map[string]string{"items.0.value": "7"})
		})
	}
	t.Run("message length that never ends", func(t *testing.T) {
		// Eleven continuation bytes cannot start a message: skipped. While
		// searching, 80 80 03 reads as the length of a 49152-byte message:
		// it is rejected once that much has arrived, and every message
		// after the bad bytes is found.
		bad := []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80}
		var goods []byte
		for i := 0; i < 13000; i++ {
			goods = append(goods, good...)
		}
		got := tlvDecode(t, chunk{c2s, tlvCat(bad, goods)})
		if len(got) != 13001 || got[0].Kind != KindSkipped || got[0].Length != len(bad) {
			t.Fatalf("%d records: %v", len(got), got[:min(len(got), 3)])
		}
		for _, r := range got[1:] {
			if r.Summary != "TLV 1 item" || r.Err != "" {
				t.Fatalf("record %v", r)
			}
		}
	})
	t.Run("truncated at the end", func(t *testing.T) {
		msg := tlvMessage(tlvString("abcdef"))
		got := tlvDecode(t, chunk{c2s, tlvCat(good, msg[:5])})
		if len(got) != 2 {
			t.Fatalf("records: %v", got)
		}
		tlvExpect(t, got[1], "", "incomplete frame", map[string]string{"length": "8"})
	})
	t.Run("random bytes", func(t *testing.T) {
		seed := uint32(5)
		data := make([]byte, 4000)
		for i := range data {
			seed = seed*1664525 + 1013904223
			data[i] = byte(seed >> 24)
		}
		total := 0
		for _, r := range tlvDecode(t, chunk{c2s, data}) {
			total += r.Length
		}
		if total != len(data) {
			t.Fatalf("records cover %d bytes of %d", total, len(data))
		}
	})
}

// Every way of cutting a stream of messages, nested lists among them, gives
// the same records.
func TestTLVEverySplit(t *testing.T) {
	stream := tlvCat(
		tlvMessage(tlvInt(-300), tlvString("split")),
		tlvMessage(),
		tlvMessage(tlvList(tlvUnsigned(1<<35), tlvList(tlvSigned(-5))), tlvBytes([]byte{0xAA})),
		tlvMessage(tlvString(strings.Repeat("y", 130))),
	)
	got := checkEverySplit(t, libraryRegistry(t), "tlv", c2s, stream)
	want := []string{"TLV 2 items", "TLV 0 items", "TLV 2 items", "TLV 1 item"}
	if len(got) != len(want) {
		t.Fatalf("records: %v", got)
	}
	for i, w := range want {
		tlvExpect(t, got[i], w, "", nil)
	}
	tlvExpect(t, got[2], "", "", map[string]string{
		"items.0.value.items.0.value":               "34359738368",
		"items.0.value.items.1.value.items.0.value": "-5",
		"items.0.value.items.1.value.items.0.type":  "Signed (6)",
	})
}
