package schema

import (
	"strings"
	"testing"
)

// Lets that hold bytes: computed with xor, pad, concat and integer
// writers, shown with the display hints of bytes, usable like a bytes
// field by later expressions.
func TestBytesLets(t *testing.T) {
	stun := `struct M {
		cookie u32
		tid    [12]byte
		x_addr [16]byte
		let addr [16]byte = xor(x_addr, concat(be32(cookie), tid)) [format = ipv6]
		let n = len(addr)
		let is_loopback = addr == "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"
	}`
	key := append([]byte{0x21, 0x12, 0xA4, 0x42}, []byte("0123456789ab")...)
	addr := []byte{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}
	xored := make([]byte, 16)
	for i := range addr {
		xored[i] = addr[i] ^ key[i]
	}
	loop := make([]byte, 16)
	loop[15] = 1
	xloop := make([]byte, 16)
	for i := range loop {
		xloop[i] = loop[i] ^ key[i]
	}
	runFeatureCases(t, []featureCase{
		{name: "xor with a key built of fields", src: stun,
			data:   append(append([]byte{}, key...), xored...),
			fields: []string{"addr=2001:db8::1", "n=16", "is_loopback=0"}},
		{name: "compared with a string", src: stun,
			data:   append(append([]byte{}, key...), xloop...),
			fields: []string{"addr=::1", "is_loopback=1"}},
		{name: "pad a prefix to an address",
			src: `struct M { length u8; prefix [(length + 7) / 8]byte
				let address [16]byte = pad(prefix, 16) [format = ipv6] }`,
			data:   []byte{40, 0x20, 0x01, 0x0d, 0xb8, 0x01},
			fields: []string{"address=2001:db8:100::", "prefix=20010db801"}},
		{name: "in every element of an array",
			src: `struct P { length u8; prefix [(length + 7) / 8]byte; let address [16]byte = pad(prefix, 16) [format = ipv6] }
				struct M { prefixes []P }`,
			data:   []byte{16, 0x20, 0x01, 32, 0x20, 0x01, 0x0d, 0xb8, 0},
			fields: []string{"prefixes.0.address=2001::", "prefixes.1.address=2001:db8::", "prefixes.2.address=::"}},
		{name: "repeated key, little-endian integer, any length",
			src:    `struct M { a [6]byte; let b []byte = concat(xor(a, "\xff"), le16(0x0102)) }`,
			data:   []byte{0, 1, 2, 3, 4, 5},
			fields: []string{"b=fffefdfcfbfa0201"}},
		{name: "declared length not met",
			src:  `struct M { a [3]byte; let b [4]byte = a }`,
			data: []byte{1, 2, 3},
			err:  "bad length: expected 4 bytes for b, found 3"},
		{name: "pad shorter than the bytes",
			src:  `struct M { a [3]byte; let b []byte = pad(a, 2) }`,
			data: []byte{1, 2, 3},
			err:  "cannot evaluate b, found bytes longer than the length to pad them to"},
		{name: "pad to a hostile length",
			src:  `struct M { n u32; let b []byte = pad("", n) }`,
			data: []byte{0xff, 0xff, 0xff, 0xff},
			err:  "cannot evaluate b, found bytes longer than the length to pad them to, or a length out of range"},
		{name: "xor with an empty key",
			src:  `struct M { n u8; k [n]byte; let b []byte = xor("ab", k) }`,
			data: []byte{0},
			err:  "cannot evaluate b, found xor with an empty key"},
		{name: "too many computed bytes in a frame",
			src:  `struct E { let b []byte = pad("", 65536) } struct M { n u8; e [n]E }`,
			data: []byte{17},
			err:  "limit reached: expected at most 1048576 computed bytes in a frame"},
	})
}

func TestBytesLetErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{`struct M { n u8; a [2]byte; let b [n]byte = a }`, "2:35: a bytes let is [N]byte, with a constant N, or []byte"},
		{`struct M { a [2]byte; let b []byte = a + 1 }`, "a bytes let is computed from byte or text fields and strings"},
		{`struct M { a u8; let b []byte = a }`, "a is u8; a string can only be compared to a text or bytes field"},
		{`struct M { a [2]byte; let b []byte = rot13(a) }`, "unknown function rot13 for bytes"},
		{`struct M { a [2]byte; let b []byte = xor(a) }`, "xor(BYTES, KEY) takes two byte strings"},
		{`struct M { a [2]byte; let b []byte = pad(a) }`, "pad(BYTES, N) takes a byte string and the length"},
		{`struct M { a [2]byte; let b []byte = concat(a) }`, "concat(A, B, ...) takes two byte strings or more"},
		{`struct M { a [2]byte; let b []byte = be32(a, 1) }`, "be32(VALUE) takes one integer"},
		{`struct M { a [2]byte; let b [2]f32 = a }`, "a let is an integer, an enum, a bool or bytes ([N]byte), not []f32"},
	}
	for _, tc := range tests {
		_, errs := Compile("t.dsl", []byte(udp+tc.src))
		if got := strings.Join(diags(errs), "\n"); !strings.Contains(got, tc.want) {
			t.Errorf("%s: diagnostics\n%s\nwant one containing %q", tc.src, got, tc.want)
		}
	}
}

// A bytes let costs no allocation per frame once the frame's buffers have
// grown, like every other part of decoding.
func TestBytesLetDoesNotAllocate(t *testing.T) {
	p := mustCompile(t, udp+`struct P { length u8; prefix [(length + 7) / 8]byte; let address [16]byte = pad(prefix, 16) [format = ipv6] }
struct M { k [4]byte; prefixes []P; let x [4]byte = xor(k, concat(be16(0x2112), "\xa4\x42")) }`)
	data := []byte{1, 2, 3, 4, 16, 0x20, 0x01, 32, 0x20, 0x01, 0x0d, 0xb8, 0}
	var f Frame
	Decode(p.Request, data, &f, Limits{})
	if f.Err != nil {
		t.Fatal(f.Err)
	}
	if a := testing.AllocsPerRun(100, func() { Decode(p.Request, data, &f, Limits{}) }); a != 0 {
		t.Errorf("%v allocations per frame", a)
	}
	i, ok := f.Lookup("x")
	if !ok || string(f.Content(i)) != "\x20\x10\xa7\x46" {
		t.Errorf("x = % x", f.Content(i))
	}
}
