package dissectors

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dissect-project/dissect/internal/pcapgen"
)

// Tests of the bundled CoAP schema (library/coap.dsl), on messages built
// from RFC 7252, RFC 7641 (Observe) and RFC 7959 (Block).

func coapOpt(n int, v []byte) pcapgen.CoAPOption { return pcapgen.CoAPOption{Number: n, Value: v} }

func TestCoAPMessages(t *testing.T) {
	reg := libraryRegistry(t)
	long := strings.Repeat("p", 300)
	tests := []struct {
		name    string
		dir     Direction
		data    []byte
		summary string
		fields  map[string]string
		absent  []string
	}{
		{"CON GET with options", ClientToServer,
			pcapgen.CoAPMessage(0, 1, 0x1234, []byte{0xAB, 0xCD}, []pcapgen.CoAPOption{
				coapOpt(3, []byte("h")), coapOpt(6, nil), coapOpt(11, []byte("a")), coapOpt(11, []byte("b")), coapOpt(17, []byte{50})}, nil),
			"CON, MID:4660, GET, TKN:abcd, /a/b",
			map[string]string{"version": "1", "type": "CON (0)", "token_len": "2", "code": "GET (1)", "class": "0", "detail": "1",
				"mid": "4660", "token.bytes": "abcd",
				"options.0.number": "Uri-Host (3)", "options.0.delta": "3", "options.0.value.host": `"h"`,
				"options.1.number": "Observe (6)", "options.1.length": "0", "options.1.value.value": "0",
				"options.2.number": "Uri-Path (11)", "options.3.delta": "0", "options.3.value.path": `"b"`,
				"options.4.value.format": "application/json (50)"},
			[]string{"marker", "payload"}},
		{"ACK 2.05 with payload", ServerToClient,
			pcapgen.CoAPMessage(2, 69, 0x1234, []byte{0xAB, 0xCD}, []pcapgen.CoAPOption{
				coapOpt(6, []byte{0x01, 0x00}), coapOpt(12, nil), coapOpt(14, []byte{0, 0, 0x0E, 0x10})}, []byte("hi")),
			"ACK, MID:4660, 2.05 Content, TKN:abcd",
			map[string]string{"class": "2", "detail": "5", "options.0.value.value": "256", "options.2.value.value": "3600 s",
				"marker": "0xff", "payload": "6869"}, nil},
		{"NON with extended deltas and lengths", ClientToServer,
			pcapgen.CoAPMessage(1, 3, 7, nil, []pcapgen.CoAPOption{
				coapOpt(35, []byte(long)), coapOpt(292, []byte{1}), coapOpt(600, []byte{2})}, []byte{1}),
			"NON, MID:7, PUT",
			map[string]string{"options.0.delta": "13", "options.0.delta_ext8": "22", "options.0.length": "14",
				"options.0.length_ext16": "31", "options.0.size": "300", "options.1.delta": "13",
				"options.1.delta_ext8": "244", "options.1.number": "Request-Tag (292)",
				"options.2.delta": "14", "options.2.delta_ext16": "39", "options.2.number": "Unknown (600)", "options.2.value.value": "02"},
			[]string{"token"}},
		{"Block2", ServerToClient,
			pcapgen.CoAPMessage(2, 69, 9, []byte{1}, []pcapgen.CoAPOption{coapOpt(23, []byte{0x1A})}, []byte{0}),
			"ACK, MID:9, 2.05 Content, TKN:01, Block #1",
			map[string]string{"options.0.value.number": "1", "options.0.value.more": "1", "options.0.value.szx": "2",
				"options.0.value.block_size": "64 bytes"}, nil},
		{"RST empty", ServerToClient, pcapgen.CoAPMessage(3, 0, 5, nil, nil, nil), "RST, MID:5, Empty Message", nil,
			[]string{"token", "marker"}},
		{"4.04 with diagnostic", ServerToClient, pcapgen.CoAPMessage(2, 132, 5, []byte{9}, nil, []byte("gone")),
			"ACK, MID:5, 4.04 Not Found, TKN:09", map[string]string{"class": "4", "detail": "4"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := decodeDatagram(t, reg, "coap", tt.dir, tt.data)
			if f.Err != "" || f.Summary != tt.summary || f.Length != len(tt.data) {
				t.Errorf("%v, want summary %q", f, tt.summary)
			}
			for path, want := range tt.fields {
				if got := f.Field(t, path); got != want {
					t.Errorf("%s = %q, want %q", path, got, want)
				}
			}
			for _, path := range tt.absent {
				if v, ok := f.Fields[path]; ok {
					t.Errorf("%s = %q, want it absent", path, v)
				}
			}
		})
	}
	// The option numbers start again with each datagram.
	a := decodeDatagram(t, reg, "coap", ClientToServer, pcapgen.CoAPMessage(0, 1, 1, nil, []pcapgen.CoAPOption{coapOpt(11, []byte("x"))}, nil))
	b := decodeDatagram(t, reg, "coap", ClientToServer, pcapgen.CoAPMessage(0, 1, 2, nil, []pcapgen.CoAPOption{coapOpt(11, []byte("y"))}, nil))
	if a.Field(t, "options.0.number") != "Uri-Path (11)" || b.Field(t, "options.0.number") != "Uri-Path (11)" {
		t.Errorf("option numbers carried from one datagram to the next: %v / %v", a, b)
	}
}

func TestCoAPMalformed(t *testing.T) {
	reg := libraryRegistry(t)
	tests := []struct {
		name string
		data []byte
		err  string
	}{
		{"version 2", []byte{0x80, 0x01, 0, 1}, "version: bad value"},
		{"token length 9", []byte{0x49, 0x01, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9}, "token_len: out of range"},
		{"short header", []byte{0x40, 0x01, 0}, "truncated"},
		{"token cut", []byte{0x44, 0x01, 0, 1, 0xAA}, "truncated"},
		{"delta 15", []byte{0x40, 0x01, 0, 1, 0xF1, 0}, "reserved for the payload marker"},
		{"length 15", []byte{0x40, 0x01, 0, 1, 0x1F, 0}, "option length 15 is reserved"},
		{"option runs past the end", []byte{0x40, 0x01, 0, 1, 0xB5, 'a', 'b'}, "truncated"},
		{"hostile extended length", []byte{0x40, 0x01, 0, 1, 0xBE, 0xFF, 0xFF, 'a'}, "truncated"},
		{"marker without payload", []byte{0x40, 0x01, 0, 1, 0xFF}, "a payload marker followed by no payload"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := decodeDatagram(t, reg, "coap", ClientToServer, tt.data)
			if !strings.Contains(f.Err, tt.err) {
				t.Errorf("error %q, want one containing %q", f.Err, tt.err)
			}
		})
	}
	// Many tiny options: decoding is bounded by the array and node limits.
	many := append([]byte{0x40, 0x01, 0, 1}, bytes.Repeat([]byte{0x00}, 60000)...)
	if f := decodeDatagram(t, reg, "coap", ClientToServer, many); f.Err != "" && !strings.Contains(f.Err, "limit") {
		t.Errorf("60000 empty options: %q", f.Err)
	}
}
