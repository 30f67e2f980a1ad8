package dissectors

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Tests of the bundled NTP schema (library/ntp.dsl), on packets built here
// from RFC 5905, RFC 7822 and RFC 1305 appendix B (control messages).

// ntpTime is an NTP timestamp: seconds since 1900 in the high 32 bits, the
// fraction in the low 32.
func ntpTime(t time.Time) uint64 {
	secs := uint64(t.Unix() + 2208988800)
	frac := uint64(t.Nanosecond()) << 32 / 1e9
	return secs<<32 | frac
}

func ntpU32(b []byte, v uint32) []byte {
	return append(b, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

func ntpU64(b []byte, v uint64) []byte { return ntpU32(ntpU32(b, uint32(v>>32)), uint32(v)) }

// ntpHeader holds the fields of a mode 1-5 packet.
type ntpHeader struct {
	li, vn, mode        byte
	stratum             byte
	poll, precision     int8
	rootDelay, rootDisp uint32
	refID               [4]byte
	ref, org, rec, xmt  uint64
}

func (h ntpHeader) bytes(tail ...[]byte) []byte {
	b := []byte{h.li<<6 | h.vn<<3 | h.mode, h.stratum, byte(h.poll), byte(h.precision)}
	b = ntpU32(b, h.rootDelay)
	b = ntpU32(b, h.rootDisp)
	b = append(b, h.refID[:]...)
	for _, ts := range []uint64{h.ref, h.org, h.rec, h.xmt} {
		b = ntpU64(b, ts)
	}
	return append(b, bytes.Join(tail, nil)...)
}

// ntpExtension is an RFC 7822 extension field: type, length, value padded
// to a multiple of 4.
func ntpExtension(typ int, value []byte) []byte {
	n := 4 + len(value)
	n += (4 - n%4) % 4
	b := []byte{byte(typ >> 8), byte(typ), byte(n >> 8), byte(n)}
	b = append(b, value...)
	return append(b, make([]byte, n-4-len(value))...)
}

// ntpMAC is a key id and a digest.
func ntpMAC(keyID uint32, digestLen int) []byte {
	b := ntpU32(nil, keyID)
	for i := 0; i < digestLen; i++ {
		b = append(b, byte(0xd0+i))
	}
	return b
}

// ntpControl is a mode 6 control message with its data padded to 4 bytes.
func ntpControl(response, errBit, more bool, opcode byte, seq, status, assoc uint16, data string) []byte {
	b2 := opcode
	if response {
		b2 |= 0x80
	}
	if errBit {
		b2 |= 0x40
	}
	if more {
		b2 |= 0x20
	}
	b := []byte{2<<3 | 6, b2, byte(seq >> 8), byte(seq), byte(status >> 8), byte(status), byte(assoc >> 8), byte(assoc), 0, 0, byte(len(data) >> 8), byte(len(data))}
	b = append(b, data...)
	return append(b, make([]byte, (4-len(data)%4)%4)...)
}

var (
	ntpT0 = time.Date(2023, 11, 14, 22, 13, 20, 500000000, time.UTC)
	ntpT1 = ntpT0.Add(1500 * time.Millisecond)
	ntpT2 = ntpT1.Add(250 * time.Microsecond)
)

// ntpShow is how a timestamp is displayed: the time its 32.32 fixed-point
// value stands for (to the nanosecond below), then the value.
func ntpShow(t time.Time) string {
	v := ntpTime(t)
	ns := (v & 0xffffffff) * 1e9 >> 32
	shown := time.Unix(int64(v>>32)-2208988800, int64(ns)).UTC()
	return shown.Format(time.RFC3339Nano) + " (" + strconv.FormatUint(v, 10) + ")"
}

func ntpDecode(t *testing.T, dir Direction, pkt []byte) decodedFrame {
	t.Helper()
	return decodeDatagram(t, libraryRegistry(t), "ntp", dir, pkt)
}

func TestNTPClientServer(t *testing.T) {
	req := ntpHeader{vn: 4, mode: 3, poll: 6, precision: -20, xmt: ntpTime(ntpT0)}.bytes()
	resp := ntpHeader{vn: 4, mode: 4, stratum: 2, poll: 6, precision: -23,
		rootDelay: 0x0000_0123, rootDisp: 0x0001_8000, refID: [4]byte{192, 0, 2, 1},
		ref: ntpTime(ntpT0.Add(-time.Hour)), org: ntpTime(ntpT0), rec: ntpTime(ntpT1), xmt: ntpTime(ntpT2)}.bytes()
	f := ntpDecode(t, ClientToServer, req)
	if f.Err != "" || f.Summary != "NTP Version 4, client" {
		t.Fatalf("request: %v", f)
	}
	checkFields(t, f, map[string]string{
		"flags.li":                      "no warning (0)",
		"flags.vn":                      "4",
		"flags.mode":                    "client (3)",
		"body.time.stratum":             "0",
		"body.time.poll":                "6",
		"body.time.poll_interval":       "64 s",
		"body.time.precision":           "-20",
		"body.time.reference_id":        `"\x00\x00\x00\x00"`,
		"body.time.reference_timestamp": "0",
		"body.time.org":                 "0",
		"body.time.xmt":                 ntpShow(ntpT0),
		"body.time.extensions":          "0 items",
	})
	if _, ok := f.Fields["body.time.mac"]; ok {
		t.Error("a MAC in a packet without one")
	}
	f = ntpDecode(t, ServerToClient, resp)
	if f.Err != "" || f.Summary != "NTP Version 4, server" {
		t.Fatalf("response: %v", f)
	}
	checkFields(t, f, map[string]string{
		"flags.mode":                    "server (4)",
		"body.time.stratum":             "2",
		"body.time.precision":           "-23",
		"body.time.root_delay":          "0.0044403076171875 s (291)",
		"body.time.root_dispersion":     "1.5 s (98304)",
		"body.time.reference_id":        "192.0.2.1",
		"body.time.reference_timestamp": ntpShow(ntpT0.Add(-time.Hour)),
		"body.time.org":                 ntpShow(ntpT0),
		"body.time.rec":                 ntpShow(ntpT1),
		"body.time.xmt":                 ntpShow(ntpT2),
	})
}

func TestNTPVariants(t *testing.T) {
	tests := []struct {
		name    string
		pkt     []byte
		dir     Direction
		summary string
		want    map[string]string
		absent  []string
	}{
		{
			name:    "version 3 primary server",
			pkt:     ntpHeader{vn: 3, mode: 4, stratum: 1, poll: 4, precision: -18, refID: [4]byte{'G', 'P', 'S', 0}, xmt: ntpTime(ntpT1)}.bytes(),
			dir:     ServerToClient,
			summary: "NTP Version 3, server",
			want:    map[string]string{"flags.vn": "3", "body.time.reference_id": `"GPS\x00"`, "body.time.poll_interval": "16 s"},
		},
		{
			name:    "kiss-o'-death",
			pkt:     ntpHeader{li: 3, vn: 4, mode: 4, stratum: 0, poll: 6, refID: [4]byte{'R', 'A', 'T', 'E'}, org: ntpTime(ntpT0)}.bytes(),
			dir:     ServerToClient,
			summary: "NTP Version 4, server",
			want:    map[string]string{"flags.li": "unknown (clock unsynchronized) (3)", "body.time.reference_id": `"RATE"`},
		},
		{
			name:    "MD5 MAC",
			pkt:     ntpHeader{vn: 4, mode: 3, xmt: ntpTime(ntpT0)}.bytes(ntpMAC(42, 16)),
			dir:     ClientToServer,
			summary: "NTP Version 4, client",
			want:    map[string]string{"body.time.mac.key_id": "42", "body.time.mac.digest": "d0d1d2d3d4d5d6d7d8d9dadbdcdddedf", "body.time.extensions": "0 items"},
		},
		{
			name:    "SHA-1 MAC",
			pkt:     ntpHeader{vn: 4, mode: 4, stratum: 3, xmt: ntpTime(ntpT0)}.bytes(ntpMAC(7, 20)),
			dir:     ServerToClient,
			summary: "NTP Version 4, server",
			want:    map[string]string{"body.time.mac.key_id": "7", "body.time.mac.digest": "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3"},
		},
		{
			name:    "crypto-NAK",
			pkt:     ntpHeader{vn: 4, mode: 4, stratum: 3}.bytes(ntpU32(nil, 0)),
			dir:     ServerToClient,
			summary: "NTP Version 4, server",
			want:    map[string]string{"body.time.mac.key_id": "0", "body.time.mac.digest": "(empty)"},
		},
		{
			name: "extension fields and a MAC",
			pkt: ntpHeader{vn: 4, mode: 3, xmt: ntpTime(ntpT0)}.bytes(
				ntpExtension(0x0104, bytes.Repeat([]byte{0xab}, 32)), ntpExtension(0x0002, make([]byte, 12)), ntpMAC(1, 16)),
			dir:     ClientToServer,
			summary: "NTP Version 4, client",
			want: map[string]string{
				"body.time.extensions":          "2 items",
				"body.time.extensions.0":        "Unique Identifier (0x0104)",
				"body.time.extensions.0.length": "36",
				"body.time.extensions.0.value":  strings.Repeat("ab", 32),
				"body.time.extensions.1.type":   "No-Operation Request (0x0002)",
				"body.time.mac.key_id":          "1",
			},
		},
		{
			name: "NTS extension fields, no MAC",
			pkt: ntpHeader{vn: 4, mode: 3, xmt: ntpTime(ntpT0)}.bytes(
				ntpExtension(0x0104, make([]byte, 32)), ntpExtension(0x0204, make([]byte, 100)), ntpExtension(0x0404, make([]byte, 40))),
			dir:     ClientToServer,
			summary: "NTP Version 4, client",
			want: map[string]string{
				"body.time.extensions":          "3 items",
				"body.time.extensions.1":        "NTS Cookie (0x0204)",
				"body.time.extensions.2":        "NTS Authenticator and Encrypted Extension Fields (0x0404)",
				"body.time.extensions.2.length": "44",
			},
			absent: []string{"body.time.mac"},
		},
		{
			name:    "symmetric active",
			pkt:     ntpHeader{vn: 4, mode: 1, stratum: 2, refID: [4]byte{10, 0, 0, 1}}.bytes(),
			dir:     ClientToServer,
			summary: "NTP Version 4, symmetric active",
			want:    map[string]string{"body.time.reference_id": "10.0.0.1"},
		},
		{
			name:    "symmetric passive",
			pkt:     ntpHeader{vn: 4, mode: 2, stratum: 2}.bytes(),
			dir:     ServerToClient,
			summary: "NTP Version 4, symmetric passive",
		},
		{
			name:    "broadcast",
			pkt:     ntpHeader{vn: 4, mode: 5, stratum: 2, poll: -2, xmt: ntpTime(ntpT2)}.bytes(),
			dir:     ServerToClient,
			summary: "NTP Version 4, broadcast",
			want:    map[string]string{"body.time.poll": "-2", "body.time.xmt": ntpShow(ntpT2)},
			absent:  []string{"body.time.poll_interval"},
		},
		{
			name:    "control: read variables",
			pkt:     ntpControl(false, false, false, 2, 1, 0, 0, ""),
			dir:     ClientToServer,
			summary: "NTP Version 2, control request, read variables (2)",
			want:    map[string]string{"body.response": "0", "body.opcode": "read variables (2)", "body.sequence": "1", "body.count": "0"},
		},
		{
			name:    "control: READSTAT of the system lists the associations",
			pkt:     ntpControl(true, false, false, 1, 3, 0x0615, 0, "\xa1\xb2\x96\x14\x00\x07\x80\x11"),
			dir:     ServerToClient,
			summary: "NTP Version 2, control response, read status (1)",
			want: map[string]string{
				"body.count": "8", "body.peers.0.association_id": "41394", "body.peers.0.status": "0x9614",
				"body.peers.1.association_id": "7", "body.peers.1.status": "0x8011",
			},
			absent: []string{"body.data", "body.peers.2"},
		},
		{
			name:    "control: variables",
			pkt:     ntpControl(true, false, false, 2, 1, 0x0615, 0, `version="ntpd 4.2.8p15", stratum=2`),
			dir:     ServerToClient,
			summary: "NTP Version 2, control response, read variables (2)",
			want: map[string]string{
				"body.response": "1", "body.more": "0", "body.status": "0x0615", "body.count": "34",
				"body.data": `"version=\"ntpd 4.2.8p15\", stratum=2"`,
			},
		},
		{
			name:    "control: error, more to come",
			pkt:     ntpControl(true, true, true, 1, 9, 0x0400, 3, "x"),
			dir:     ServerToClient,
			summary: "NTP Version 2, control response, read status (1)",
			want:    map[string]string{"body.error": "1", "body.more": "1", "body.association_id": "3"},
		},
		{
			name:    "control with a MAC",
			pkt:     append(ntpControl(false, false, false, 8, 2, 0, 0, "restrict 10.0.0.0"), ntpMAC(5, 16)...),
			dir:     ClientToServer,
			summary: "NTP Version 2, control request, runtime configuration (8)",
			want:    map[string]string{"body.mac.key_id": "5"},
		},
		{
			name:    "private (mode 7)",
			pkt:     []byte{0x17, 0x00, 0x03, 0x2a, 0, 0, 0, 0},
			dir:     ClientToServer,
			summary: "NTP Version 2, private (mode 7)",
			want:    map[string]string{"flags.mode": "reserved for private use (7)", "body.data": "00032a00000000"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ntpDecode(t, tt.dir, tt.pkt)
			if f.Err != "" {
				t.Fatalf("error: %v", f)
			}
			if f.Summary != tt.summary {
				t.Errorf("summary %q, want %q", f.Summary, tt.summary)
			}
			checkFields(t, f, tt.want)
			for _, p := range tt.absent {
				if _, ok := f.Fields[p]; ok {
					t.Errorf("%s present: %s", p, f.Fields[p])
				}
			}
		})
	}
}

func TestNTPMalformed(t *testing.T) {
	good := ntpHeader{vn: 4, mode: 3, xmt: ntpTime(ntpT0)}.bytes()
	badLen := ntpHeader{vn: 4, mode: 3}.bytes(ntpExtension(0x0104, make([]byte, 32)), ntpMAC(1, 16))
	badLen[48+3] = 34 // not a multiple of 4
	shortExt := ntpHeader{vn: 4, mode: 3}.bytes([]byte{0x01, 0x04, 0x00, 0x08}, make([]byte, 24))
	tests := []struct {
		name string
		pkt  []byte
		want string
	}{
		{"truncated", good[:47], "body.time.xmt: truncated"},
		{"empty", nil, "truncated"},
		{"version 0", append([]byte{0<<3 | 3}, good[1:]...), "flags.vn: out of range"},
		{"version 7", append([]byte{7<<3 | 3}, good[1:]...), "flags.vn: out of range"},
		{"extension length not a multiple of 4", badLen, "assertion failed"},
		{"extension shorter than 16 bytes", shortExt, "length: out of range"},
		{"extension longer than the packet", ntpHeader{vn: 4, mode: 3}.bytes([]byte{0x01, 0x04, 0x01, 0x00}, make([]byte, 28)), "truncated"},
		{"control data past the end", ntpControl(true, false, false, 2, 1, 0, 0, "abcd")[:14], "body.data: truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ntpDecode(t, ClientToServer, tt.pkt)
			if !strings.Contains(f.Err, tt.want) {
				t.Errorf("error %q, want %q", f.Err, tt.want)
			}
		})
	}
	reg := libraryRegistry(t)
	for i := 0; i <= len(good); i++ {
		decodeDatagram(t, reg, "ntp", ClientToServer, good[:i])
	}
	seed := uint32(11)
	for round := 0; round < 1000; round++ {
		m := append([]byte(nil), good...)
		seed = seed*1664525 + 1013904223
		m = append(m, make([]byte, int(seed>>28)*4)...)
		for k := 0; k < 1+round%4; k++ {
			seed = seed*1664525 + 1013904223
			m[int(seed>>8)%len(m)] = byte(seed >> 24)
		}
		decodeDatagram(t, reg, "ntp", ServerToClient, m)
	}
}
