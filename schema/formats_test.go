package schema

import "testing"

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
