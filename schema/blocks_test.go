package schema

import (
	"encoding/binary"
	"strings"
	"testing"
)

// dnpBlocks cuts data into blocks of n bytes, each followed by its
// CRC-16/DNP, least significant byte first; bad lists blocks whose CRC is
// spoiled.
func dnpBlocks(data []byte, n int, bad ...int) []byte {
	var out []byte
	for i, off := 0, 0; off < len(data); i, off = i+1, off+n {
		end := min(off+n, len(data))
		out = append(out, data[off:end]...)
		crc := uint16(checksum(CRC16DNP, data[off:end]))
		for _, b := range bad {
			if b == i {
				crc ^= 0xFFFF
			}
		}
		out = binary.LittleEndian.AppendUint16(out, crc)
	}
	return out
}

func TestBlocks(t *testing.T) {
	payload := []byte("0123456789abcdefGHIJKLMNOPQRSTUVwxyz") // 36 bytes: blocks of 16, 16 and 4
	const body = "struct Body { head [4]ascii; mid u16; rest []ascii }"
	tests := []struct {
		name   string
		src    string
		data   []byte
		fields []string // path=display
		err    string
		bad    int // bad checksums
	}{
		{name: "three blocks joined into a struct",
			src:  "struct M { n u8; body Body [blocks = crc16_dnp(16), size = n]; after u8 }\n" + body,
			data: append(append([]byte{42}, dnpBlocks(payload, 16)...), 0x99),
			fields: []string{"body.head=\"0123\"", "body.mid=13365", "body.rest=\"6789abcdefGHIJKLMNOPQRSTUVwxyz\"",
				"body_crc.0=0x" + crcHex(payload[:16]) + " [correct]", "body_crc.2=0x" + crcHex(payload[32:]) + " [correct]", "after=153"}},
		{name: "a bad CRC is reported and decoding goes on",
			src:    "struct M { body Body [blocks = crc16_dnp(16)] }\n" + body,
			data:   dnpBlocks(payload, 16, 1),
			fields: []string{"body.head=\"0123\"", "body_crc.0=0x" + crcHex(payload[:16]) + " [correct]"},
			bad:    1},
		{name: "bytes handed on, in blocks of 4",
			src:    "struct M { data []byte [blocks = crc16_dnp(4)] }",
			data:   dnpBlocks([]byte{1, 2, 3, 4, 5, 6}, 4),
			fields: []string{"data=010203040506", "data_crc=2 items"}},
		{name: "a block with no data: truncated",
			src:  "struct M { data []byte [blocks = crc16_dnp(4)] }",
			data: append(dnpBlocks([]byte{1, 2, 3, 4}, 4), 0xAA, 0xBB),
			err:  "data: truncated: expected a block of 1 to 4 bytes and its 2-byte CRC, found 2 bytes (at frame offset 6)"},
		{name: "empty",
			src:  "struct M { data []byte [blocks = crc16_dnp(4)] }",
			data: nil,
			err:  "truncated"},
		{name: "the view is too short for the struct",
			src:  "struct M { body Body [blocks = crc16_dnp(16)] }\n" + body,
			data: dnpBlocks([]byte("012"), 16),
			err:  "body.head: truncated"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustCompile(t, udp+tc.src)
			var f Frame
			for range 2 { // the frame's buffer is reused
				Decode(p.Request, tc.data, &f, Limits{})
			}
			got := ""
			if f.Err != nil {
				got = f.Err.Error()
			}
			if tc.err == "" && got != "" || tc.err != "" && !strings.Contains(got, tc.err) {
				t.Fatalf("error %q, want %q", got, tc.err)
			}
			if f.BadChecksums != tc.bad {
				t.Errorf("%d bad checksums, want %d", f.BadChecksums, tc.bad)
			}
			for _, fv := range tc.fields {
				path, want, _ := strings.Cut(fv, "=")
				i, ok := f.Lookup(path)
				if !ok {
					t.Errorf("no field %s; have %s", path, dumpFrame(&f))
					continue
				}
				if got := display(&f, i); got != want {
					t.Errorf("%s = %q, want %q", path, got, want)
				}
			}
			for i := range f.Nodes {
				n := &f.Nodes[i]
				if int(n.Offset)+int(n.Len) > len(f.Data) || n.Offset < 0 {
					t.Errorf("node %s covers %d+%d, past the %d bytes of the frame and its views", n.Name(), n.Offset, n.Len, len(f.Data))
				}
			}
		})
	}
}

func crcHex(b []byte) string {
	const digits = "0123456789abcdef"
	v := checksum(CRC16DNP, b)
	return string([]byte{digits[v>>12&0xf], digits[v>>8&0xf], digits[v>>4&0xf], digits[v&0xf]})
}

func TestBlocksErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"struct M { d []byte [blocks = crc32(16)] }", "blocks needs a 16-bit CRC, not crc32"},
		{"struct M { d []byte [blocks = crc16_dnp(0)] }", "a block holds 1 to 65536 data bytes, not 0"},
		{"struct M { d []byte [blocks = crc16_dnp] }", "blocks takes CRC(N)"},
		{"struct M { d []byte [blocks = crc16_dnp(16), pad = 4] }", "a blocked field cannot have at or pad"},
		{"struct M { d b4 [blocks = crc16_dnp(16)]; e b4 }", "a bit field cannot be blocked"},
	} {
		_, errs := Compile("t.dsl", []byte(udp+tc.src))
		if errs == nil || !strings.Contains(errs.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.src, errs, tc.want)
		}
	}
}

// FuzzBlocks decodes any bytes with blocked fields, one inside another's
// view: no panic, and every node lies within the frame and its views.
func FuzzBlocks(f *testing.F) {
	f.Add(dnpBlocks([]byte("0123456789abcdefGHIJ"), 16))
	f.Add(append([]byte{3}, dnpBlocks(dnpBlocks([]byte{1, 2, 3, 4, 5, 6, 7}, 4), 5)...))
	f.Add([]byte{})
	p, errs := Compile("fuzz.dsl", []byte(udp+`struct M { n u8; a Inner [blocks = crc16_dnp(5), size = min(n, remaining())]; rest []byte [blocks = crc16_dnp(16), if = remaining() > 0] }
struct Inner { k u8; items [while remaining() > 0]Item [blocks = crc16_modbus(4)] }
struct Item { v u16 }`))
	if p == nil {
		f.Fatal(errs)
	}
	var fr Frame
	f.Fuzz(func(t *testing.T, data []byte) {
		Decode(p.Request, data, &fr, Limits{})
		for i := range fr.Nodes {
			n := &fr.Nodes[i]
			if n.Offset < 0 || int(n.Offset)+int(n.Len) > len(fr.Data) {
				t.Fatalf("node %s covers %d+%d of %d bytes", n.Name(), n.Offset, n.Len, len(fr.Data))
			}
			_ = display(&fr, i)
		}
	})
}
