package schema

import (
	"strings"
	"testing"
)

// A structure whose decoding stops inside a run of bit fields still covers
// the byte being split and every child it holds: a rejected bit field
// keeps its node, and without this the parent ended before it (found by
// FuzzCompile on the CoAP, MQTT, NTP and STUN schemas).
func TestFailedStructCoversItsChildren(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		data    []byte
		wantErr string
		wantLen int32 // of the root
	}{
		{"first bit field rejected", udp + "struct M { v b2 = 1; t b6 }", []byte{0x00}, "bad value", 1},
		{"second bit field rejected", udp + "struct M { a b4; v b4 = 1 }", []byte{0x00}, "bad value", 1},
		{"bit field truncated mid-byte", udp + "struct M { a b4; v b12 }", []byte{0xf0}, "truncated", 1},
		{"condition fails mid-byte", udp + "struct M { k b1; x b1 [if = k]; y b6 [if = x] }", []byte{0x00}, "absent", 1},
		{"nested, rejected inside", udp + "struct M { h H; rest []byte }\nstruct H { a u8; v b3 = 2; w b5 }", []byte{9, 0xff}, "bad value", 2},
		{"whole bytes still end where decoding stopped", udp + "struct M { a u16; b u32 }", []byte{1, 2, 3}, "truncated", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustCompile(t, tc.src)
			var fr Frame
			Decode(p.Request, tc.data, &fr, Limits{})
			if fr.Err == nil || !strings.Contains(fr.Err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want %q", fr.Err, tc.wantErr)
			}
			checkTree(t, &fr)
			if got := fr.Nodes[0].Len; got != tc.wantLen {
				t.Errorf("root covers %d bytes, want %d", got, tc.wantLen)
			}
		})
	}
}
