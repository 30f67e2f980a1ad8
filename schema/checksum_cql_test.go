package schema

import "testing"

// Known answers computed with the DataStax Python driver's algorithms
// (cassandra/segment.py: compute_crc24, and zlib.crc32 seeded with
// FA 2D 55 CA).
func TestChecksumCQL(t *testing.T) {
	hdr := []byte{0x31, 0x00, 0x02} // 49 bytes, self-contained
	if got := checksum(CRC24CQL, hdr); got != 0x565f8d {
		t.Errorf("crc24_cql = %#x, want 0x565f8d", got)
	}
	if got := checksum(CRC24CQL, hdr[:1], hdr[1:]); got != 0x565f8d {
		t.Errorf("crc24_cql in two parts = %#x, want 0x565f8d", got)
	}
	if got := checksum(CRC32CQL, []byte("hello world")); got != 0x4a62481f {
		t.Errorf("crc32_cql = %#x, want 0x4a62481f", got)
	}
	if got := checksum(CRC32CQL, []byte("hello"), []byte(" world")); got != 0x4a62481f {
		t.Errorf("crc32_cql in two parts = %#x, want 0x4a62481f", got)
	}
	p := mustCompile(t, udp+`struct M { h u24le; c u24le [base = hex, checksum = crc24_cql(0, 3)] }`)
	for _, tc := range []struct {
		data []byte
		want string
	}{
		{[]byte{0x31, 0x00, 0x02, 0x8d, 0x5f, 0x56}, "0x565f8d [correct]"},
		{[]byte{0x31, 0x00, 0x02, 0x8d, 0x5f, 0x57}, "0x575f8d [incorrect, should be 0x565f8d]"},
	} {
		var f Frame
		Decode(p.Request, tc.data, &f, Limits{})
		i, ok := f.Lookup("c")
		if !ok {
			t.Fatalf("no field c")
		}
		if got := display(&f, i); got != tc.want {
			t.Errorf("c = %q, want %q", got, tc.want)
		}
	}
}
