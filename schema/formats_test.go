package schema

import (
	"strings"
	"testing"
)

func TestFileTime(t *testing.T) {
	runFeatureCases(t, []featureCase{
		{name: "OPC UA DateTime: 100 ns ticks since 1601",
			// 2020-01-14T15:00:00.721435Z = 132234876007214350 ticks.
			src:    "struct M { t u64le [time = filetime] }",
			data:   []byte{14, 237, 83, 75, 235, 202, 213, 1},
			fields: []string{"t=2020-01-14T15:00:00.721435Z (132234876007214350)"}},
		{name: "the Unix epoch",
			src:    "struct M { t s64le [time = filetime] }",
			data:   []byte{0x00, 0x80, 0x3e, 0xd5, 0xde, 0xb1, 0x9d, 0x01},
			fields: []string{"t=1970-01-01T00:00:00Z (116444736000000000)"}},
		{name: "zero is no time: the number alone",
			src:    "struct M { t u64le [time = filetime] }",
			data:   make([]byte, 8),
			fields: []string{"t=0"}},
		{name: "beyond what time.Time holds in ns: the number alone",
			src:    "struct M { t s64le [time = filetime] }",
			data:   []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
			fields: []string{"t=9223372036854775807"}},
	})
}

func TestGUIDFormat(t *testing.T) {
	runFeatureCases(t, []featureCase{
		{name: "mixed-endian GUID",
			src:    "struct M { g [16]byte [format = guid] }",
			data:   []byte{0x02, 0x49, 0x89, 0xf8, 0x84, 0x6a, 0x01, 0x2a, 0x40, 0x54, 0x35, 0x33, 0xb2, 0x5b, 0x45, 0x24},
			fields: []string{"g=f8894902-6a84-2a01-4054-3533b25b4524"}},
		{name: "too few bytes: hex",
			src:    "struct M { n u8; g [n]byte [format = guid] }",
			data:   []byte{2, 0xab, 0xcd},
			fields: []string{"g=abcd"}},
	})
}

// An address prefix: the leading bytes of an address, the rest zero, as
// EDNS Client Subnet carries them (RFC 7871 §6).
func TestAddressPrefixFormats(t *testing.T) {
	runFeatureCases(t, []featureCase{
		{name: "ipv4 /24", src: "struct M { a []byte [format = ipv4_prefix] }",
			data: []byte{192, 0, 2}, fields: []string{"a=192.0.2.0"}},
		{name: "ipv4 /0", src: "struct M { a []byte [format = ipv4_prefix] }",
			data: []byte{}, fields: []string{"a=0.0.0.0"}},
		{name: "ipv4 whole", src: "struct M { a []byte [format = ipv4_prefix] }",
			data: []byte{192, 1, 2, 3}, fields: []string{"a=192.1.2.3"}},
		{name: "ipv4 too long: hex", src: "struct M { a []byte [format = ipv4_prefix] }",
			data: []byte{1, 2, 3, 4, 5}, fields: []string{"a=0102030405"}},
		{name: "ipv6 /100", src: "struct M { a []byte [format = ipv6_prefix] }",
			data: []byte{0x20, 0x01, 0x0d, 0xb8, 0x85, 0xa3, 0, 0, 0, 0, 0x8a, 0x2e, 0}, fields: []string{"a=2001:db8:85a3::8a2e:0:0"}},
		{name: "ipv6 /56", src: "struct M { a []byte [format = ipv6_prefix] }",
			data: []byte{0x20, 0x01, 0x04, 0x70, 0x1f, 0x0b, 0x16}, fields: []string{"a=2001:470:1f0b:1600::"}},
	})
	_, errs := Compile("t.dsl", []byte(udp+"struct M { a u8 [format = ipv6_prefix] }"))
	if got := strings.Join(diags(errs), "\n"); !strings.Contains(got, "an address prefix format shows the leading bytes of an address; a is u8, not bytes") {
		t.Errorf("diagnostics %q, want a prefix format error", got)
	}
}
