package dissectors

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// Tests of the bundled TLS schemas (library/tls.dsl, the record layer, and
// library/tls_handshake.dsl, the handshake messages it streams), on records
// built here from RFC 5246 and RFC 8446. Decoding with "tls" gives both
// kinds of records in order: a TLS record, then the handshake messages it
// completes.

// tlsU16 and friends append big-endian integers.
func tlsU16(b []byte, v int) []byte { return append(b, byte(v>>8), byte(v)) }
func tlsU24(b []byte, v int) []byte { return append(b, byte(v>>16), byte(v>>8), byte(v)) }

// tlsVec8, tlsVec16 and tlsVec24 prefix data with its length.
func tlsVec8(data ...[]byte) []byte {
	body := bytes.Join(data, nil)
	return append([]byte{byte(len(body))}, body...)
}

func tlsVec16(data ...[]byte) []byte {
	body := bytes.Join(data, nil)
	return append(tlsU16(nil, len(body)), body...)
}

func tlsVec24(data ...[]byte) []byte {
	body := bytes.Join(data, nil)
	return append(tlsU24(nil, len(body)), body...)
}

// tlsRecord builds a record: content type, version, length, body.
func tlsRecord(contentType byte, version int, body ...[]byte) []byte {
	b := tlsU16([]byte{contentType}, version)
	return append(b, tlsVec16(body...)...)
}

// tlsHandshake builds a handshake message: type, 24-bit length, body.
func tlsHandshake(msgType byte, body ...[]byte) []byte {
	return append([]byte{msgType}, tlsVec24(body...)...)
}

// tlsExt builds an extension.
func tlsExt(extType int, data ...[]byte) []byte {
	return append(tlsU16(nil, extType), tlsVec16(data...)...)
}

// tlsU16s encodes a list of 16-bit values.
func tlsU16s(vs ...int) []byte {
	var b []byte
	for _, v := range vs {
		b = tlsU16(b, v)
	}
	return b
}

// tlsRandom is 32 bytes starting with the given time.
func tlsRandom(seed byte) []byte {
	r := []byte{0x5f, 0x5e, 0x10, 0x00} // 2020-09-13T12:26:40Z
	for i := 0; i < 28; i++ {
		r = append(r, seed+byte(i))
	}
	return r
}

// tlsHRRRandom is SHA-256("HelloRetryRequest"), the random of a
// HelloRetryRequest.
var tlsHRRRandom = []byte{
	0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
	0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
}

// tlsClientHelloBody is a ClientHello as a modern browser sends it.
func tlsClientHelloBody(host string) []byte {
	sni := tlsVec16(append([]byte{0}, tlsVec16([]byte(host))...))
	alpn := tlsVec16(tlsVec8([]byte("h2")), tlsVec8([]byte("http/1.1")))
	exts := [][]byte{
		tlsExt(0x0a0a),            // GREASE
		tlsExt(0, sni),            // server_name
		tlsExt(23),                // extended_master_secret
		tlsExt(0xff01, []byte{0}), // renegotiation_info
		tlsExt(10, tlsVec16(tlsU16s(0x001d, 0x0017))), // supported_groups
		tlsExt(11, tlsVec8([]byte{0})),                // ec_point_formats
		tlsExt(35),                                    // session_ticket
		tlsExt(16, alpn),                              // ALPN
		tlsExt(13, tlsVec16(tlsU16s(0x0403, 0x0804))), // signature_algorithms
		tlsExt(51, tlsVec16(tlsU16s(0x001d), tlsVec16(bytes.Repeat([]byte{0xaa}, 32)))), // key_share
		tlsExt(45, tlsVec8([]byte{1})),               // psk_key_exchange_modes
		tlsExt(43, tlsVec8(tlsU16s(0x0304, 0x0303))), // supported_versions
	}
	b := tlsU16(nil, 0x0303)
	b = append(b, tlsRandom(1)...)
	b = append(b, tlsVec8(bytes.Repeat([]byte{0x55}, 32))...)
	b = append(b, tlsVec16(tlsU16s(0x1301, 0x1302, 0xc02b, 0xc02f, 0x009c))...)
	b = append(b, tlsVec8([]byte{0})...)
	return append(b, tlsVec16(exts...)...)
}

func tlsClientHelloRecord(host string) []byte {
	return tlsRecord(22, 0x0301, tlsHandshake(1, tlsClientHelloBody(host)))
}

// tlsServerHelloBody is a ServerHello choosing suite, with extensions.
func tlsServerHelloBody(random []byte, suite int, exts ...[]byte) []byte {
	b := tlsU16(nil, 0x0303)
	b = append(b, random...)
	b = append(b, tlsVec8(bytes.Repeat([]byte{0x66}, 32))...)
	b = tlsU16(b, suite)
	b = append(b, 0)
	if exts != nil {
		b = append(b, tlsVec16(exts...)...)
	}
	return b
}

// tlsCertificate is a Certificate message with fake DER certificates of the
// given sizes.
func tlsCertificate(sizes ...int) []byte {
	var certs [][]byte
	for i, n := range sizes {
		certs = append(certs, tlsVec24(append([]byte{0x30, 0x82}, bytes.Repeat([]byte{byte(i)}, n-2)...)))
	}
	return tlsHandshake(11, tlsVec24(certs...))
}

// tlsECDHEServerKeyExchange is a TLS 1.2 ServerKeyExchange for ECDHE on
// x25519, signed with ecdsa_secp256r1_sha256.
func tlsECDHEServerKeyExchange() []byte {
	b := []byte{3}
	b = tlsU16(b, 0x001d)
	b = append(b, tlsVec8(bytes.Repeat([]byte{0x11}, 32))...)
	b = tlsU16(b, 0x0403)
	b = append(b, tlsVec16(bytes.Repeat([]byte{0x22}, 70))...)
	return tlsHandshake(12, b)
}

// tlsEncrypted is an AES-GCM record body: an explicit nonce (the sequence
// number, 0: as the start of a plaintext HelloRequest would be), then
// ciphertext and tag.
func tlsEncrypted(n int) []byte {
	b := make([]byte, 8, 8+n)
	for i := 0; i < n; i++ {
		b = append(b, byte(i*37+11))
	}
	return b
}

// tlsOne decodes the records of one direction.
func tlsOne(t *testing.T, dir Direction, stream ...[]byte) []decodedFrame {
	t.Helper()
	return decodeChunks(t, libraryRegistry(t), "tls", []chunk{{dir, bytes.Join(stream, nil)}})
}

func tlsNoErrors(t *testing.T, frames []decodedFrame) {
	t.Helper()
	for i, f := range frames {
		if f.Err != "" || f.Kind != KindFrame {
			t.Errorf("record %d: %v", i, f)
		}
	}
}

// tlsMessages keeps the records of tls_handshake: the handshake messages.
func tlsMessages(frames []decodedFrame) []decodedFrame {
	var msgs []decodedFrame
	for _, f := range frames {
		if _, ok := f.Fields["msg_type"]; ok {
			msgs = append(msgs, f)
		}
	}
	return msgs
}

// tlsHS is the summary of a plain handshake record.
func tlsHS(record []byte) string {
	return fmt.Sprintf("Handshake (%d bytes)", len(record)-5)
}

// tlsSummaries checks the summaries of the records, in order.
func tlsSummaries(t *testing.T, frames []decodedFrame, want ...string) {
	t.Helper()
	var got []string
	for _, f := range frames {
		got = append(got, f.Summary)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("summaries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestTLSClientHello(t *testing.T) {
	rec := tlsClientHelloRecord("example.com")
	frames := tlsOne(t, ClientToServer, rec)
	tlsNoErrors(t, frames)
	tlsSummaries(t, frames, tlsHS(rec), `Client Hello (SNI="example.com")`)
	checkFields(t, frames[0], map[string]string{
		"content_type": "Handshake (22)",
		"length":       strconv.Itoa(len(rec) - 5),
		"version":      "TLS 1.0 (0x0301)",
	})
	if got := frames[0].Field(t, "body.fragment"); !strings.HasPrefix(got, "01") {
		t.Errorf("fragment %q", got)
	}
	f := frames[1]
	if f.Offset != 0 || f.Length != len(rec)-5 {
		t.Errorf("message at %d+%d, want 0+%d", f.Offset, f.Length, len(rec)-5)
	}
	h := "body."
	checkFields(t, f, map[string]string{
		"msg_type":                                           "Client Hello (1)",
		"length":                                             strconv.Itoa(len(rec) - 9),
		h + "version":                                        "TLS 1.2 (0x0303)",
		h + "random":                                         "5f5e10000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c",
		h + "gmt_unix_time":                                  "2020-09-13T12:26:40Z (1600000000)",
		h + "session_id_length":                              "32",
		h + "cipher_suites_length":                           "10",
		h + "cipher_suites":                                  "5 items",
		h + "cipher_suites.0":                                "TLS_AES_128_GCM_SHA256 (0x1301)",
		h + "cipher_suites.3":                                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xc02f)",
		h + "compression_methods.0":                          "null (0)",
		h + "extensions":                                     "12 items",
		h + "extensions.0.type":                              "Reserved (GREASE) (2570)",
		h + "extensions.1":                                   "server_name (0) (len=16)",
		h + "extensions.1.data.list_length":                  "14",
		h + "extensions.1.data.names.0.name_type":            "host_name (0)",
		h + "extensions.1.data.names.0.name":                 `"example.com"`,
		h + "extensions.2.type":                              "extended_master_secret (23)",
		h + "extensions.3.data.length":                       "0",
		h + "extensions.4.data.groups.0":                     "x25519 (0x001d)",
		h + "extensions.4.data.groups.1":                     "secp256r1 (0x0017)",
		h + "extensions.5.data.formats.0":                    "uncompressed (0)",
		h + "extensions.6.type":                              "session_ticket (35)",
		h + "extensions.6.data.ticket":                       "(empty)",
		h + "extensions.7.data.protocols.0.name":             `"h2"`,
		h + "extensions.7.data.protocols.1.name":             `"http/1.1"`,
		h + "extensions.8.data.algorithms.0":                 "ecdsa_secp256r1_sha256 (0x0403)",
		h + "extensions.8.data.algorithms.1":                 "rsa_pss_rsae_sha256 (0x0804)",
		h + "extensions.9.data.shares.0.group":               "x25519 (0x001d)",
		h + "extensions.9.data.shares.0.key_exchange_length": "32",
		h + "extensions.10.data.modes.0":                     "PSK with (EC)DHE key establishment (psk_dhe_ke) (1)",
		h + "extensions.11.data.versions.0":                  "TLS 1.3 (0x0304)",
		h + "extensions.11.data.versions.1":                  "TLS 1.2 (0x0303)",
		h + "sni.name":                                       `"example.com"`,
	})
}

// A ClientHello without extensions (allowed before TLS 1.3) and one without
// a server_name.
func TestTLSClientHelloVariants(t *testing.T) {
	noExt := tlsU16(nil, 0x0301)
	noExt = append(noExt, tlsRandom(9)...)
	noExt = append(noExt, 0) // no session id
	noExt = append(noExt, tlsVec16(tlsU16s(0x002f, 0x00ff))...)
	noExt = append(noExt, tlsVec8([]byte{1, 0})...) // DEFLATE, null
	noSNI := tlsU16(nil, 0x0303)
	noSNI = append(noSNI, tlsRandom(3)...)
	noSNI = append(noSNI, 0)
	noSNI = append(noSNI, tlsVec16(tlsU16s(0xc030))...)
	noSNI = append(noSNI, tlsVec8([]byte{0})...)
	noSNI = append(noSNI, tlsVec16(tlsExt(23))...)
	r0 := tlsRecord(22, 0x0300, tlsHandshake(1, noExt))
	r1 := tlsRecord(22, 0x0301, tlsHandshake(1, noSNI))
	frames := tlsOne(t, ClientToServer, r0, r1)
	tlsNoErrors(t, frames)
	tlsSummaries(t, frames, tlsHS(r0), "Client Hello", tlsHS(r1), "Client Hello")
	checkFields(t, frames[0], map[string]string{"version": "SSL 3.0 (0x0300)"})
	checkFields(t, frames[1], map[string]string{
		"body.has_extensions":             "0",
		"body.cipher_suites.1":            "TLS_EMPTY_RENEGOTIATION_INFO_SCSV (0x00ff)",
		"body.compression_methods.0":      "DEFLATE (1)",
		"body.compression_methods_length": "2",
	})
	if _, ok := frames[1].Fields["body.extensions_length"]; ok {
		t.Error("extensions_length decoded in a ClientHello without extensions")
	}
	checkFields(t, frames[3], map[string]string{
		"body.extensions.0": "extended_master_secret (23) (len=0)",
	})
}

func TestTLSServerHello(t *testing.T) {
	tls12 := tlsServerHelloBody(tlsRandom(7), 0xc02f,
		tlsExt(0xff01, []byte{0}), tlsExt(11, tlsVec8([]byte{0, 1})), tlsExt(23), tlsExt(35),
		tlsExt(16, tlsVec16(tlsVec8([]byte("h2")))), tlsExt(0))
	tls13 := tlsServerHelloBody(tlsRandom(8), 0x1301,
		tlsExt(43, tlsU16s(0x0304)), tlsExt(51, tlsU16s(0x001d), tlsVec16(bytes.Repeat([]byte{0xbb}, 32))))
	hrr := tlsServerHelloBody(tlsHRRRandom, 0x1302,
		tlsExt(43, tlsU16s(0x0304)), tlsExt(51, tlsU16s(0x0017)), tlsExt(44, tlsVec16([]byte("cookie!"))))
	noExt := tlsServerHelloBody(tlsRandom(9), 0x0004)
	records := [][]byte{
		tlsRecord(22, 0x0303, tlsHandshake(2, tls12)),
		tlsRecord(22, 0x0303, tlsHandshake(2, tls13)),
		tlsRecord(22, 0x0303, tlsHandshake(2, hrr)),
		tlsRecord(22, 0x0300, tlsHandshake(2, noExt)),
	}
	frames := tlsOne(t, ServerToClient, records...)
	tlsNoErrors(t, frames)
	tlsSummaries(t, frames,
		tlsHS(records[0]), "Server Hello", tlsHS(records[1]), "Server Hello",
		tlsHS(records[2]), "Hello Retry Request", tlsHS(records[3]), "Server Hello")
	msgs := tlsMessages(frames)
	h := "body."
	checkFields(t, msgs[0], map[string]string{
		"msg_type":                               "Server Hello (2)",
		h + "cipher_suite":                       "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xc02f)",
		h + "compression_method":                 "null (0)",
		h + "hello_retry_request":                "0",
		h + "extensions.0":                       "renegotiation_info (65281) (len=1)",
		h + "extensions.1.data.formats.1":        "ansiX962_compressed_prime (1)",
		h + "extensions.4.data.protocols.0.name": `"h2"`,
		h + "extensions.5":                       "server_name (0) (len=0)",
	})
	checkFields(t, msgs[1], map[string]string{
		h + "cipher_suite":                   "TLS_AES_128_GCM_SHA256 (0x1301)",
		h + "extensions.0.data.version":      "TLS 1.3 (0x0304)",
		h + "extensions.1.data.group":        "x25519 (0x001d)",
		h + "extensions.1.data.key_exchange": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
	})
	checkFields(t, msgs[2], map[string]string{
		h + "hello_retry_request":              "1",
		h + "kind":                             "Hello Retry Request",
		h + "extensions.1.data.selected_group": "secp256r1 (0x0017)",
		h + "extensions.2.data.cookie":         "636f6f6b696521",
	})
	checkFields(t, frames[6], map[string]string{"version": "SSL 3.0 (0x0300)"})
	checkFields(t, msgs[3], map[string]string{
		h + "cipher_suite":   "TLS_RSA_WITH_RC4_128_MD5 (0x0004)",
		h + "has_extensions": "0",
	})
}

// tlsECDHEHandshake is a whole TLS 1.2 ECDHE handshake and a little data:
// the client's and the server's streams.
func tlsECDHEHandshake() (client, server [][]byte) {
	client = [][]byte{
		tlsClientHelloRecord("www.example.org"),
		tlsRecord(22, 0x0303, tlsHandshake(16, tlsVec8(bytes.Repeat([]byte{0x44}, 32)))),
		tlsRecord(20, 0x0303, []byte{1}),
		tlsRecord(22, 0x0303, tlsEncrypted(32)),
		tlsRecord(23, 0x0303, tlsEncrypted(100)),
		tlsRecord(21, 0x0303, tlsEncrypted(18)),
	}
	server = [][]byte{
		tlsRecord(22, 0x0303,
			tlsHandshake(2, tlsServerHelloBody(tlsRandom(5), 0xc02b, tlsExt(0xff01, []byte{0}))),
			tlsCertificate(700, 500),
			tlsECDHEServerKeyExchange(),
			tlsHandshake(14)),
		tlsRecord(22, 0x0303, tlsHandshake(4, []byte{0, 0, 0x1c, 0x20}, tlsVec16(bytes.Repeat([]byte{0x77}, 64)))),
		tlsRecord(20, 0x0303, []byte{1}),
		tlsRecord(22, 0x0303, tlsEncrypted(32)),
		tlsRecord(23, 0x0303, tlsEncrypted(200)),
	}
	return client, server
}

func TestTLSHandshakeConversation(t *testing.T) {
	client, server := tlsECDHEHandshake()
	chunks := []chunk{
		{ClientToServer, client[0]},
		{ServerToClient, server[0]},
		{ClientToServer, bytes.Join(client[1:4], nil)},
		{ServerToClient, bytes.Join(server[1:4], nil)},
		{ClientToServer, client[4]},
		{ServerToClient, server[4]},
		{ClientToServer, client[5]},
	}
	frames := decodeChunks(t, libraryRegistry(t), "tls", chunks)
	tlsNoErrors(t, frames)
	tlsSummaries(t, frames,
		tlsHS(client[0]),
		`Client Hello (SNI="www.example.org")`,
		tlsHS(server[0]),
		"Server Hello",
		"Certificate",
		"Server Key Exchange",
		"Server Hello Done",
		tlsHS(client[1]),
		"Client Key Exchange",
		"Change Cipher Spec",
		"Encrypted Handshake Message",
		tlsHS(server[1]),
		"New Session Ticket",
		"Change Cipher Spec",
		"Encrypted Handshake Message",
		"Application Data",
		"Application Data",
		"Encrypted Alert",
	)
	checkFields(t, frames[3], map[string]string{"msg_type": "Server Hello (2)"})
	checkFields(t, frames[4], map[string]string{
		"msg_type":                        "Certificate (11)",
		"body.certificates_length":        "1206",
		"body.certificates.0.length":      "700",
		"body.certificates.1.length":      "500",
		"body.certificates.1.certificate": "3082" + strings.Repeat("01", 30) + "…",
	})
	checkFields(t, frames[5], map[string]string{
		"body.params.curve_type":          "named_curve (3)",
		"body.params.named_curve":         "x25519 (0x001d)",
		"body.params.point_length":        "32",
		"body.signature.algorithm":        "ecdsa_secp256r1_sha256 (0x0403)",
		"body.signature.signature_length": "70",
	})
	checkFields(t, frames[6], map[string]string{
		"msg_type": "Server Hello Done (14)",
		"length":   "0",
	})
	checkFields(t, frames[8], map[string]string{"body.exchange.point_length": "32"})
	checkFields(t, frames[9], map[string]string{"body.message": "1"})
	checkFields(t, frames[12], map[string]string{
		"body.lifetime_hint": "7200 s",
		"body.ticket_length": "64",
	})
	checkFields(t, frames[15], map[string]string{"content_type": "Application Data (23)", "length": "108"})
	// The encrypted Finished is kept in the record layer, not streamed.
	if _, ok := frames[10].Fields["body.fragment"]; ok {
		t.Error("encrypted handshake record streamed")
	}
	if got := frames[10].Field(t, "body.data"); !strings.HasPrefix(got, strings.Repeat("00", 8)+"0b30") {
		t.Errorf("encrypted Finished %q", got)
	}
}

// The key exchange follows the cipher suite of the ServerHello: DHE and RSA.
func TestTLSKeyExchanges(t *testing.T) {
	dh := tlsVec16(bytes.Repeat([]byte{0xd1}, 128))
	dh = append(dh, tlsVec16([]byte{2})...)
	dh = append(dh, tlsVec16(bytes.Repeat([]byte{0xd2}, 128))...)
	dh = tlsU16(dh, 0x0401)
	dh = append(dh, tlsVec16(bytes.Repeat([]byte{0xd3}, 64))...)
	tests := []struct {
		name   string
		suite  int
		server []byte // after the ServerHello
		client []byte
		want   map[string]string
		wantC  map[string]string
	}{
		{
			name:   "DHE",
			suite:  0x009e,
			server: tlsRecord(22, 0x0303, tlsHandshake(12, dh), tlsHandshake(14)),
			client: tlsRecord(22, 0x0303, tlsHandshake(16, tlsVec16(bytes.Repeat([]byte{0xc1}, 128)))),
			want: map[string]string{
				"body.params.p_length":     "128",
				"body.params.g":            "02",
				"body.params.ys_length":    "128",
				"body.signature.algorithm": "rsa_pkcs1_sha256 (0x0401)",
			},
			wantC: map[string]string{"body.exchange.yc_length": "128"},
		},
		{
			name:   "RSA",
			suite:  0x002f,
			server: tlsRecord(22, 0x0303, tlsCertificate(300), tlsHandshake(14)),
			client: tlsRecord(22, 0x0303, tlsHandshake(16, tlsVec16(bytes.Repeat([]byte{0xe1}, 256)))),
			want:   map[string]string{"body.certificates.0.length": "300"},
			wantC:  map[string]string{"body.exchange.length": "256"},
		},
		{
			name:   "PSK: not described, kept as bytes",
			suite:  0x008c,
			server: tlsRecord(22, 0x0303, tlsHandshake(12, tlsVec16([]byte("hint"))), tlsHandshake(14)),
			client: tlsRecord(22, 0x0303, tlsHandshake(16, tlsVec16([]byte("client")))),
			want:   map[string]string{"body.params.data": "000468696e74"},
			wantC:  map[string]string{"body.exchange.data": "0006636c69656e74"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			frames := decodeChunks(t, libraryRegistry(t), "tls", []chunk{
				{ClientToServer, tlsClientHelloRecord("a.example")},
				{ServerToClient, tlsRecord(22, 0x0303, tlsHandshake(2, tlsServerHelloBody(tlsRandom(2), tt.suite)))},
				{ServerToClient, tt.server},
				{ClientToServer, tt.client},
			})
			tlsNoErrors(t, frames)
			// Four records, and the ClientHello, the ServerHello, two
			// server messages and the ClientKeyExchange.
			msgs := tlsMessages(frames)
			if len(frames) != 9 || len(msgs) != 5 {
				t.Fatalf("%d records: %v", len(frames), frames)
			}
			checkFields(t, msgs[2], tt.want)
			checkFields(t, msgs[4], tt.wantC)
			if msgs[3].Summary != "Server Hello Done" || msgs[4].Summary != "Client Key Exchange" {
				t.Errorf("summaries %q, %q", msgs[3].Summary, msgs[4].Summary)
			}
		})
	}
}

// A handshake message longer than a record continues in the next records:
// the stream layer joins them, and the message is decoded whole after the
// record that completes it. Here a Certificate spans three records, and
// the third also holds two more messages.
func TestTLSHandshakeAcrossRecords(t *testing.T) {
	cert := tlsCertificate(3000, 1000) // 4013 bytes with its header
	certReq := []byte{1, 1}            // rsa_sign
	certReq = append(certReq, tlsVec16(tlsU16s(0x0401))...)
	certReq = append(certReq, tlsVec16(tlsVec16([]byte("CA")))...)
	sh := tlsHandshake(2, tlsServerHelloBody(tlsRandom(4), 0x002f))
	records := [][]byte{
		tlsRecord(22, 0x0303, sh),
		tlsRecord(22, 0x0303, cert[:1500]),
		tlsRecord(22, 0x0303, cert[1500:3000]),
		tlsRecord(22, 0x0303, cert[3000:], tlsHandshake(13, certReq), tlsHandshake(14)),
		tlsRecord(22, 0x0303, tlsHandshake(14)),
	}
	frames := checkEverySplit(t, libraryRegistry(t), "tls", ServerToClient, bytes.Join(records, nil))
	tlsNoErrors(t, frames)
	tlsSummaries(t, frames,
		tlsHS(records[0]), "Server Hello",
		"Handshake (1500 bytes)", "Handshake (1500 bytes)",
		tlsHS(records[3]), "Certificate", "Certificate Request", "Server Hello Done",
		"Handshake (4 bytes)", "Server Hello Done")
	c := frames[5]
	if c.Offset != uint64(len(sh)) || c.Length != len(cert) {
		t.Errorf("certificate at %d+%d, want %d+%d", c.Offset, c.Length, len(sh), len(cert))
	}
	checkFields(t, c, map[string]string{
		"msg_type":                        "Certificate (11)",
		"length":                          "4009",
		"body.certificates_length":        "4006",
		"body.certificates":               "2 items",
		"body.certificates.0.length":      "3000",
		"body.certificates.0.certificate": "3082" + strings.Repeat("00", 30) + "…",
		"body.certificates.1.length":      "1000",
	})
	checkFields(t, frames[6], map[string]string{
		"body.certificate_types.0":        "RSA Sign (1)",
		"body.algorithms.algorithms.0":    "rsa_pkcs1_sha256 (0x0401)",
		"body.distinguished_names.0.name": "4341",
	})
	checkFields(t, frames[7], map[string]string{"msg_type": "Server Hello Done (14)", "length": "0"})
	if got := frames[3].Field(t, "body.fragment"); !strings.HasPrefix(got, strings.Repeat("00", 16)) {
		t.Errorf("middle record fragment %q", got)
	}
}

func TestTLSAlertsAndOthers(t *testing.T) {
	hello := tlsRecord(22, 0x0303, tlsHandshake(1, tlsClientHelloBody("x.example")), tlsHandshake(24, []byte{1}))
	frames := tlsOne(t, ServerToClient,
		tlsRecord(21, 0x0303, []byte{2, 40}),
		tlsRecord(21, 0x0303, []byte{1, 0}),
		tlsRecord(20, 0x0303, []byte{1}),
		tlsRecord(21, 0x0303, tlsEncrypted(18)),
		tlsRecord(23, 0x0303, []byte("secret")),
		tlsRecord(24, 0x0303, []byte{1, 0x40, 0x00}, []byte("hi")),
		tlsRecord(22, 0x0303, tlsHandshake(0)),
		hello,
	)
	tlsNoErrors(t, frames)
	tlsSummaries(t, frames,
		"Alert (Level: Fatal (2), Description: Handshake Failure (40))",
		"Alert (Level: Warning (1), Description: Close Notify (0))",
		"Change Cipher Spec",
		"Encrypted Alert",
		"Application Data",
		"Heartbeat",
		"Encrypted Handshake Message", // after ChangeCipherSpec: a HelloRequest would be encrypted
		tlsHS(hello),
		`Client Hello (SNI="x.example")`,
		"Key Update",
	)
	checkFields(t, frames[0], map[string]string{"body.level": "Fatal (2)", "body.description": "Handshake Failure (40)"})
	checkFields(t, frames[4], map[string]string{"body.data": "736563726574"})
	checkFields(t, frames[5], map[string]string{"body.type": "Request (1)", "body.payload_length": "16384", "body.rest": "6869"})
	checkFields(t, frames[9], map[string]string{"body.request_update": "update_requested (1)"})
}

// TLS 1.3 with a HelloRetryRequest: the client sends ChangeCipherSpec and
// then its second ClientHello in the clear; the rest is application data.
func TestTLS13HelloRetry(t *testing.T) {
	hrr := tlsRecord(22, 0x0303, tlsHandshake(2, tlsServerHelloBody(tlsHRRRandom, 0x1301, tlsExt(43, tlsU16s(0x0304)), tlsExt(51, tlsU16s(0x0017)))))
	sh := tlsRecord(22, 0x0303, tlsHandshake(2, tlsServerHelloBody(tlsRandom(6), 0x1301, tlsExt(43, tlsU16s(0x0304)), tlsExt(51, tlsU16s(0x0017), tlsVec16(bytes.Repeat([]byte{4}, 65))))))
	ch := tlsClientHelloRecord("h.example")
	frames := decodeChunks(t, libraryRegistry(t), "tls", []chunk{
		{ClientToServer, ch},
		{ServerToClient, append(hrr, tlsRecord(20, 0x0303, []byte{1})...)},
		{ClientToServer, append(tlsRecord(20, 0x0303, []byte{1}), ch...)},
		{ServerToClient, append(sh, tlsRecord(23, 0x0303, tlsEncrypted(500))...)},
		{ClientToServer, tlsRecord(23, 0x0303, tlsEncrypted(60))},
	})
	tlsNoErrors(t, frames)
	tlsSummaries(t, frames,
		tlsHS(ch), `Client Hello (SNI="h.example")`, tlsHS(hrr), "Hello Retry Request", "Change Cipher Spec",
		"Change Cipher Spec", tlsHS(ch), `Client Hello (SNI="h.example")`, tlsHS(sh), "Server Hello",
		"Application Data", "Application Data")
	checkFields(t, frames[9], map[string]string{"body.extensions.1.data.key_exchange_length": "65"})
}

// Every way of cutting a client's stream gives the same records, state
// (ChangeCipherSpec seen) included.
func TestTLSEverySplit(t *testing.T) {
	client, _ := tlsECDHEHandshake()
	frames := checkEverySplit(t, libraryRegistry(t), "tls", ClientToServer, bytes.Join(client, nil))
	tlsNoErrors(t, frames)
	tlsSummaries(t, frames,
		tlsHS(client[0]), `Client Hello (SNI="www.example.org")`, tlsHS(client[1]), "Client Key Exchange",
		"Change Cipher Spec", "Encrypted Handshake Message", "Application Data", "Encrypted Alert")
}

func TestTLSMalformed(t *testing.T) {
	good := tlsClientHelloRecord("ok.example")
	badSessionID := tlsClientHelloRecord("ok.example")
	badSessionID[5+4+2+32] = 40 // session id length over 32
	shortExt := tlsU16(nil, 0x0303)
	shortExt = append(shortExt, tlsRandom(0)...)
	shortExt = append(shortExt, 0)
	shortExt = append(shortExt, tlsVec16(tlsU16s(0x1301))...)
	shortExt = append(shortExt, tlsVec8([]byte{0})...)
	shortExt = append(shortExt, tlsVec16(tlsU16(nil, 0), []byte{0, 30}, []byte("short"))...) // extension length 30, 5 bytes
	oddSuites := tlsU16(nil, 0x0303)
	oddSuites = append(oddSuites, tlsRandom(0)...)
	oddSuites = append(oddSuites, 0, 0, 3, 0x13, 0x01, 0x13, 1, 0)
	tests := []struct {
		name    string
		stream  []byte
		wantErr []string // substrings of the records' errors, in order ("" for none)
	}{
		{"session id too long", append(badSessionID, good...), []string{"", "session_id_length: out of range", "", ""}},
		{"extension longer than its list", append(tlsRecord(22, 0x0303, tlsHandshake(1, shortExt)), good...), []string{"", "truncated", "", ""}},
		{"odd cipher suites length", append(tlsRecord(22, 0x0303, tlsHandshake(1, oddSuites)), good...), []string{"", "truncated", "", ""}},
		{"empty handshake record", append(tlsRecord(22, 0x0303), good...), []string{"assertion failed", "", ""}},
		{"bad change cipher spec", append(tlsRecord(20, 0x0303, []byte{7}), good...), []string{"body.message: bad value", "", ""}},
		{"stream ends inside a record", good[:50], []string{"incomplete frame"}},
		{"stream ends inside a message", append(tlsRecord(22, 0x0303, good[5:50]), tlsRecord(23, 0x0303, []byte{1})...), []string{"", "", "incomplete frame"}},
		{"garbage before a record", append([]byte("GET / HTTP/1.1\r\n"), good...), []string{"no valid frame", "", ""}},
		{"record too long", append([]byte{23, 3, 3, 0x50, 0x00}, good...), []string{"no valid frame", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			frames := tlsOne(t, ClientToServer, tt.stream)
			if len(frames) != len(tt.wantErr) {
				t.Fatalf("%d records, want %d: %v", len(frames), len(tt.wantErr), frames)
			}
			for i, w := range tt.wantErr {
				if (w == "") != (frames[i].Err == "") || !strings.Contains(frames[i].Err, w) {
					t.Errorf("record %d: error %q, want %q", i, frames[i].Err, w)
				}
			}
		})
	}
}

// tlsCollector keeps the protocol of each record too.
type tlsCollector struct {
	frameCollector
	protos []string
}

func (c *tlsCollector) Emit(r *Record) error {
	c.protos = append(c.protos, r.Protocol.Name)
	return c.frameCollector.Emit(r)
}

// Mutated records never make decoding panic, and every byte is accounted
// for, by the records of each layer.
func TestTLSMutationsDoNotPanic(t *testing.T) {
	client, server := tlsECDHEHandshake()
	base := [][]byte{bytes.Join(client, nil), bytes.Join(server, nil)}
	reg := libraryRegistry(t)
	d, _ := reg.ByName("tls")
	seed := uint32(7)
	for round := 0; round < 300; round++ {
		for dir, s := range base {
			m := append([]byte(nil), s...)
			for k := 0; k < 1+round%5; k++ {
				seed = seed*1664525 + 1013904223
				m[int(seed>>8)%len(m)] = byte(seed >> 24)
			}
			col := &tlsCollector{}
			conn := d.NewConnection(&Conn{Transport: "tcp"}, col)
			if err := conn.Feed(Direction(dir), m, feedLoc{1}, false); err != nil {
				t.Fatal(err)
			}
			if err := conn.Close(Packet{Number: 2}); err != nil {
				t.Fatal(err)
			}
			total, inner := 0, 0
			for i, f := range col.frames {
				switch col.protos[i] {
				case "tls":
					total += f.Length
				case "tls_handshake":
					inner += f.Length
				default:
					t.Fatalf("round %d: record of %q", round, col.protos[i])
				}
			}
			if total != len(m) {
				t.Fatalf("round %d: records cover %d of %d bytes", round, total, len(m))
			}
			if inner > len(m) {
				t.Fatalf("round %d: handshake records cover %d bytes, more than the %d of the stream", round, inner, len(m))
			}
		}
	}
}

// A certificate chain of several hundred KiB (as in Zeek's
// tls-fragmented-handshake capture) spans many full records and is decoded
// whole, after the record that ends it.
func TestTLSLargeCertificate(t *testing.T) {
	cert := tlsCertificate(150000, 120000)
	var records [][]byte
	for len(cert) > 0 {
		n := min(len(cert), 16384)
		records = append(records, tlsRecord(22, 0x0303, cert[:n]))
		cert = cert[n:]
	}
	records[len(records)-1] = tlsRecord(22, 0x0303, records[len(records)-1][5:], tlsHandshake(14))
	var chunks []chunk
	for _, r := range records {
		chunks = append(chunks, chunk{ServerToClient, r})
	}
	frames := decodeChunks(t, libraryRegistry(t), "tls", chunks)
	tlsNoErrors(t, frames)
	msgs := tlsMessages(frames)
	if len(frames) != len(records)+2 || len(msgs) != 2 {
		t.Fatalf("%d records: %v", len(frames), frames)
	}
	if frames[len(records)-2].Summary != "Handshake (16384 bytes)" || frames[len(records)].Summary != "Certificate" {
		t.Errorf("records: %v", frames)
	}
	checkFields(t, msgs[0], map[string]string{
		"length":                     "270009",
		"body.certificates.0.length": "150000",
		"body.certificates.1.length": "120000",
	})
	checkFields(t, msgs[1], map[string]string{"msg_type": "Server Hello Done (14)"})
}

// A handshake message that does not decode is reported with its error, and
// its header's length still leads to the messages after it.
func TestTLSHandshakeResync(t *testing.T) {
	bad := tlsHandshake(2, []byte{3, 3}, bytes.Repeat([]byte{0xee}, 40)) // a ServerHello cut short
	frames := tlsOne(t, ServerToClient,
		tlsRecord(22, 0x0303, bad, tlsHandshake(14)),
		tlsRecord(22, 0x0303, tlsHandshake(14)))
	var got []string
	for _, f := range frames {
		got = append(got, f.Kind.String()+" "+f.Summary)
		if f.Err != "" {
			got[len(got)-1] += " [error]"
		}
	}
	want := []string{
		"frame Handshake (50 bytes)", "frame Server Hello [error]", "frame Server Hello Done",
		"frame Handshake (4 bytes)", "frame Server Hello Done",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
