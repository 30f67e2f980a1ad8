package dissectors

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/dissect-project/dissect/internal/pcapgen"
)

// Tests of the bundled DNS schemas (library/dns.dsl over UDP and
// library/dnstcp.dsl over TCP), on messages built here from RFC 1035,
// RFC 6891 and the record type RFCs.

// dnsName encodes a name as labels, ending with the root label, or with
// a compression pointer when ptr >= 0.
func dnsName(ptr int, labels ...string) []byte { return pcapgen.AppendDNSName(nil, ptr, labels...) }

func dnsU16(b []byte, v int) []byte { return append(b, byte(v>>8), byte(v)) }

func dnsU32(b []byte, v uint32) []byte {
	return append(b, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

// dnsHeader builds the 12-byte header.
func dnsHeader(id, flags, qd, an, ns, ar int) []byte {
	b := dnsU16(nil, id)
	b = dnsU16(b, flags)
	for _, n := range []int{qd, an, ns, ar} {
		b = dnsU16(b, n)
	}
	return b
}

// Header flags.
const (
	dnsQR = 0x8000
	dnsAA = 0x0400
	dnsTC = 0x0200
	dnsRD = 0x0100
	dnsRA = 0x0080
	dnsAD = 0x0020
	dnsCD = 0x0010
)

func dnsQuestion(name []byte, qtype, class int) []byte {
	return dnsU16(dnsU16(append([]byte(nil), name...), qtype), class)
}

// dnsRR builds a resource record.
func dnsRR(name []byte, rtype, class int, ttl uint32, rdata []byte) []byte {
	b := dnsU16(append([]byte(nil), name...), rtype)
	b = dnsU16(b, class)
	b = dnsU32(b, ttl)
	b = dnsU16(b, len(rdata))
	return append(b, rdata...)
}

// dnsOPT builds an OPT pseudo-record with the given options.
func dnsOPT(payload int, do bool, options ...[]byte) []byte {
	flags := uint32(0)
	if do {
		flags = 0x8000
	}
	return dnsRR([]byte{0}, 41, payload, flags, bytes.Join(options, nil))
}

func dnsOption(code int, data []byte) []byte {
	return append(dnsU16(dnsU16(nil, code), len(data)), data...)
}

// dnsQuery is a query for one name with an EDNS OPT record.
func dnsQuery(id int, qtype int, labels ...string) []byte {
	b := dnsHeader(id, dnsRD, 1, 0, 0, 1)
	b = append(b, dnsQuestion(dnsName(-1, labels...), qtype, 1)...)
	return append(b, dnsOPT(1232, true, dnsOption(10, []byte("clientck")))...)
}

// dnsAnswerA is a response to dnsQuery(id, 1, labels...) with A records,
// whose names point back at the question.
func dnsAnswerA(id int, ips [][4]byte, labels ...string) []byte {
	b := dnsHeader(id, dnsQR|dnsRD|dnsRA, 1, len(ips), 0, 0)
	b = append(b, dnsQuestion(dnsName(-1, labels...), 1, 1)...)
	for _, ip := range ips {
		b = append(b, dnsRR(dnsName(12), 1, 1, 300, ip[:])...)
	}
	return b
}

// dnsTCP puts the 2-byte length before each message.
func dnsTCP(msgs ...[]byte) []byte {
	var b []byte
	for _, m := range msgs {
		b = dnsU16(b, len(m))
		b = append(b, m...)
	}
	return b
}

func dnsUDP(t *testing.T, dir Direction, msg []byte) decodedFrame {
	t.Helper()
	return decodeDatagram(t, libraryRegistry(t), "dns", dir, msg)
}

func TestDNSQuery(t *testing.T) {
	f := dnsUDP(t, ClientToServer, dnsQuery(0x1234, 28, "www", "example", "com"))
	if f.Err != "" {
		t.Fatalf("error: %v", f)
	}
	if f.Summary != `Standard query 0x1234 AAAA www.example.com OPT` {
		t.Errorf("summary %q", f.Summary)
	}
	checkFields(t, f, map[string]string{
		"id":                                   "0x1234",
		"flags.qr":                             "0",
		"flags.opcode":                         "Standard query (0)",
		"flags.rd":                             "1",
		"flags.rcode":                          "No error (0)",
		"qdcount":                              "1",
		"arcount":                              "1",
		"questions.0.name.labels":              "4 items",
		"questions.0.name.labels.0":            "www",
		"questions.0.name.labels.1.value.text": `"example"`,
		"questions.0.name.labels.3":            "",
		"questions.0.name":                     "www.example.com",
		"questions.0.type":                     "AAAA (28)",
		"questions.0.class":                    "IN (0x0001)",
		"additional.0.type":                    "OPT (41)",
		"additional.0.rdata.udp_payload_size":  "1232",
		"additional.0.rdata.do":                "1",
		"additional.0.rdata.version":           "0",
		"additional.0.rdata.options.0.code":    "COOKIE (10)",
		"additional.0.rdata.options.0.data.client_cookie": "636c69656e74636b",
		"additional.0.rdata.options.0.data.server_cookie": "(empty)",
	})
}

// A response with one record of every described type, names compressed.
func TestDNSResponseRecordTypes(t *testing.T) {
	b := dnsHeader(0xbeef, dnsQR|dnsAA|dnsRD|dnsRA|dnsAD, 1, 12, 1, 2)
	b = append(b, dnsQuestion(dnsName(-1, "example", "com"), 255, 1)...) // the name is at 12
	ns := dnsName(12, "ns1")                                             // ns1.example.com
	b = append(b, dnsRR(dnsName(12), 1, 1, 3600, []byte{93, 184, 216, 34})...)
	b = append(b, dnsRR(dnsName(12), 28, 1, 3600, []byte{0x26, 0x06, 0x28, 0x00, 0x02, 0x20, 0, 1, 0x2, 0x48, 0x18, 0x93, 0x25, 0xc8, 0x19, 0x46})...)
	nsOff := len(b) + 12 // where the NS record's data starts
	b = append(b, dnsRR(dnsName(12), 2, 1, 3600, ns)...)
	b = append(b, dnsRR(dnsName(12, "www"), 5, 1, 60, dnsName(12))...)
	b = append(b, dnsRR(dnsName(12), 15, 1, 60, append(dnsU16(nil, 10), dnsName(12, "mail")...))...)
	b = append(b, dnsRR(dnsName(12), 16, 1, 60, []byte("\x0bv=spf1 -all\x05hello"))...)
	soa := append(dnsName(nsOff), dnsName(12, "hostmaster")...)
	for _, v := range []uint32{2024010101, 7200, 3600, 1209600, 300} {
		soa = dnsU32(soa, v)
	}
	b = append(b, dnsRR(dnsName(12), 6, 1, 60, soa)...)
	b = append(b, dnsRR(dnsName(12, "_sip", "_tcp"), 33, 1, 60, append(dnsU16(dnsU16(dnsU16(nil, 1), 5), 5060), dnsName(nsOff)...))...)
	b = append(b, dnsRR(dnsName(-1, "34", "216", "184", "93", "in-addr", "arpa"), 12, 1, 60, dnsName(12))...)
	b = append(b, dnsRR(dnsName(12), 257, 1, 60, []byte("\x00\x05issueletsencrypt.org"))...)
	b = append(b, dnsRR(dnsName(12), 99, 1, 60, []byte("\x04text"))...)       // SPF: as TXT
	b = append(b, dnsRR(dnsName(12), 44, 1, 60, []byte{1, 1, 3, 8, 0xaa})...) // SSHFP: not decoded, bytes
	b = append(b, dnsRR(dnsName(12), 39, 1, 60, dnsName(-1, "other", "net"))...)
	b = append(b, dnsRR(dnsName(12), 13, 1, 60, []byte("\x03CPU\x02OS"))...)
	b = append(b, dnsOPT(4096, false,
		dnsOption(8, []byte{0, 1, 24, 0, 192, 0, 2}),
		dnsOption(3, []byte("ns-a")),
		dnsOption(11, []byte{0, 100}),
		dnsOption(12, make([]byte, 6)),
		dnsOption(15, append([]byte{0, 18}, "blocked"...)),
		dnsOption(9, []byte{0, 0, 0x0e, 0x10}),
		dnsOption(65001, []byte{1, 2}))...)
	f := dnsUDP(t, ServerToClient, b)
	if f.Err != "" {
		t.Fatalf("error: %v", f)
	}
	if f.Summary != `Standard query response 0xbeef ANY example.com A 93.184.216.34 AAAA 2606:2800:220:1:248:1893:25c8:1946 NS ns1.example.com CNAME example.com MX 10 mail.example.com TXT SOA ns1.example.com SRV 1 5 5060 PTR example.com CAA "issue" "letsencrypt.org" SPF SSHFP DNAME other.net HINFO OPT` {
		t.Errorf("summary %q", f.Summary)
	}
	checkFields(t, f, map[string]string{
		"flags.qr":                             "1",
		"flags.aa":                             "1",
		"flags.ra":                             "1",
		"flags.ad":                             "1",
		"flags.cd":                             "0",
		"ancount":                              "12",
		"answers.0":                            " A 93.184.216.34",
		"answers.0.name.labels.0.value.offset": "12",
		"answers.0.name.labels.0.value.target.labels.0":              "example",
		"answers.0.rdata.ttl":                                        "3600 s",
		"answers.0.rdata.rdlength":                                   "4",
		"answers.0.rdata.rdata.address":                              "93.184.216.34",
		"answers.1.rdata.rdata.address":                              "2606:2800:220:1:248:1893:25c8:1946",
		"answers.2.rdata.rdata.ns.labels.0":                          "ns1",
		"answers.2.rdata.rdata.ns.labels.1.value.offset":             "12",
		"answers.3.name.labels.0":                                    "www",
		"answers.3.rdata.rdata.cname.labels.0.value.offset":          "12",
		"answers.4.rdata.rdata.preference":                           "10",
		"answers.4.rdata.rdata.exchange.labels.0":                    "mail",
		"answers.5.rdata.rdata.strings.0.text":                       `"v=spf1 -all"`,
		"answers.5.rdata.rdata.strings.1.length":                     "5",
		"answers.6.rdata.rdata.mname.labels.0.value.offset":          strconv.Itoa(nsOff),
		"answers.6.rdata.rdata.mname.labels.0.value.target.labels.0": "ns1",
		"answers.6.rdata.rdata.rname.labels.0":                       "hostmaster",
		"answers.0.name":                                             "example.com",
		"answers.3.rdata.rdata.cname":                                "example.com",
		"answers.6.rdata.rdata.mname":                                "ns1.example.com",
		"answers.6.rdata.rdata.rname":                                "hostmaster.example.com",
		"answers.7.rdata.rdata.target":                               "ns1.example.com",
		"additional.1.name":                                          "<Root>",
		"answers.6.rdata.rdata.serial":                               "2024010101",
		"answers.6.rdata.rdata.expire":                               "1209600 s",
		"answers.6.rdata.rdata.minimum":                              "300 s",
		"answers.7.name.labels.0":                                    "_sip",
		"answers.7.rdata.rdata.priority":                             "1",
		"answers.7.rdata.rdata.weight":                               "5",
		"answers.7.rdata.rdata.port":                                 "5060",
		"answers.7.rdata.rdata.target.labels.0.value.offset":         strconv.Itoa(nsOff),
		"answers.8.rdata.rdata.ptrdname.labels.0.value.offset":       "12",
		"answers.9.rdata.rdata.flags":                                "0x00",
		"answers.9.rdata.rdata.tag":                                  `"issue"`,
		"answers.9.rdata.rdata.value":                                `"letsencrypt.org"`,
		"answers.10.rdata.rdata.strings.0.text":                      `"text"`,
		"answers.11.rdata.rdata.data":                                "01010308aa",
		"authority.0.rdata.rdata.dname.labels.0":                     "other",
		"additional.0.rdata.rdata.strings.0.text":                    `"CPU"`,
		"additional.1.rdata.udp_payload_size":                        "4096",
		"additional.1.rdata.do":                                      "0",
		"additional.1.rdata.options.0.data.family":                   "IPv4 (1)",
		"additional.1.rdata.options.0.data.source_prefix":            "24",
		"additional.1.rdata.options.0.data.address.address":          "192.0.2.0",
		"additional.1.rdata.options.1.data.nsid":                     "6e732d61",
		"additional.1.rdata.options.2.data.timeout":                  "10 s (100)",
		"additional.1.rdata.options.3.data.padding":                  "000000000000",
		"additional.1.rdata.options.4.data.info_code":                "18",
		"additional.1.rdata.options.4.data.extra_text":               `"blocked"`,
		"additional.1.rdata.options.5.data.expire":                   "3600 s",
		"additional.1.rdata.options.6.code":                          "Unknown (65001)",
		"additional.1.rdata.options.6.data.data":                     "0102",
	})
}

// The header's opcode, flags and response code, and the summaries they
// give.
func TestDNSFlagsAndSummaries(t *testing.T) {
	name := dnsName(-1, "example", "org")
	msg := func(id, flags int) []byte {
		return append(dnsHeader(id, flags, 1, 0, 0, 0), dnsQuestion(name, 6, 1)...)
	}
	tests := []struct {
		name    string
		flags   int
		dir     Direction
		summary string
		want    map[string]string
	}{
		{"query", dnsRD, ClientToServer, `Standard query 0x0001 SOA example.org`,
			map[string]string{"flags.qr": "0", "flags.tc": "0", "flags.z": "0"}},
		{"no such name", dnsQR | dnsRD | dnsRA | 3, ServerToClient, `Standard query response 0x0001 No such name SOA example.org`,
			map[string]string{"flags.rcode": "No such name (3)", "flags.ra": "1"}},
		{"server failure", dnsQR | 2, ServerToClient, `Standard query response 0x0001 Server failure SOA example.org`,
			map[string]string{"flags.rcode": "Server failure (2)"}},
		{"refused", dnsQR | 5, ServerToClient, `Standard query response 0x0001 Refused SOA example.org`, nil},
		{"format error", dnsQR | 1, ServerToClient, `Standard query response 0x0001 Format error SOA example.org`, nil},
		{"not implemented", dnsQR | 4, ServerToClient, `Standard query response 0x0001 Not implemented SOA example.org`, nil},
		{"other error", dnsQR | 9, ServerToClient, `Standard query response 0x0001 Error SOA example.org`,
			map[string]string{"flags.rcode": "Not authoritative (9)"}},
		{"truncated", dnsQR | dnsTC, ServerToClient, `Standard query response 0x0001 SOA example.org`,
			map[string]string{"flags.tc": "1"}},
		{"checking disabled", dnsRD | dnsCD | dnsAD, ClientToServer, `Standard query 0x0001 SOA example.org`,
			map[string]string{"flags.cd": "1", "flags.ad": "1"}},
		{"notify", 4 << 11, ClientToServer, `Zone change notification 0x0001 SOA example.org`,
			map[string]string{"flags.opcode": "Zone change notification (4)"}},
		{"notify response", dnsQR | 4<<11, ServerToClient, `Zone change notification response 0x0001 SOA example.org`, nil},
		{"update", 5 << 11, ClientToServer, `Dynamic update 0x0001 SOA example.org`,
			map[string]string{"flags.opcode": "Dynamic update (5)"}},
		{"update response", dnsQR | 5<<11, ServerToClient, `Dynamic update response 0x0001 SOA example.org`, nil},
		{"status", 2 << 11, ClientToServer, `Query 0x0001 SOA example.org`,
			map[string]string{"flags.opcode": "Server status request (2)"}},
		{"status response", dnsQR | 2<<11, ServerToClient, `Response 0x0001 SOA example.org`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := dnsUDP(t, tt.dir, msg(1, tt.flags))
			if f.Err != "" {
				t.Fatalf("error: %v", f)
			}
			if f.Summary != tt.summary {
				t.Errorf("summary %q, want %q", f.Summary, tt.summary)
			}
			checkFields(t, f, tt.want)
		})
	}
	// No question at all: the summary has no name.
	f := dnsUDP(t, ClientToServer, dnsHeader(7, 0, 0, 0, 0, 0))
	if f.Err != "" || f.Summary != "Standard query 0x0007" {
		t.Errorf("empty query: %v", f)
	}
}

// Compression pointers: chains, loops, and pointers out of the message.
func TestDNSCompressionPointers(t *testing.T) {
	head := dnsHeader(0x77, dnsQR, 1, 1, 0, 0)
	q := dnsQuestion(dnsName(-1, "a", "example"), 1, 1) // name at 12: "a" at 12, "example" at 14
	chain := append(append([]byte(nil), head...), q...)
	off := len(chain)
	chain = append(chain, dnsRR(dnsName(14, "b"), 5, 1, 1, dnsName(off))...) // b.example; the CNAME points at it

	selfLoop := append(append([]byte(nil), head...), q...)
	selfLoop = append(selfLoop, dnsRR(dnsName(len(selfLoop)), 1, 1, 1, []byte{1, 2, 3, 4})...)

	twoLoop := append([]byte(nil), head...)
	twoLoop = append(twoLoop, 1, 'x', 0xC0, 16, 1, 'y', 0xC0, 12) // x -> (16) y -> (12) x ...
	twoLoop = dnsU16(dnsU16(twoLoop, 1), 1)

	pastEnd := append(append([]byte(nil), head...), q...)
	pastEnd = append(pastEnd, dnsRR(dnsName(0x3FF0), 1, 1, 1, []byte{1, 2, 3, 4})...)

	toEnd := append(append([]byte(nil), head...), q...)
	toEnd = append(toEnd, dnsRR(dnsName(len(toEnd)+16), 1, 1, 1, []byte{1, 2, 3, 4})...) // exactly the end

	reserved := append(append([]byte(nil), dnsHeader(1, 0, 1, 0, 0, 0)...), 0x41, 'z', 0, 0, 1, 0, 1)

	forward := append([]byte(nil), dnsHeader(2, 0, 1, 0, 0, 0)...)
	forward = append(forward, 0xC0, 18, 0, 1, 0, 1, 3, 'f', 'w', 'd', 0) // a pointer forward, to a name after the question

	t.Run("chain", func(t *testing.T) {
		f := dnsUDP(t, ServerToClient, chain)
		if f.Err != "" {
			t.Fatalf("error: %v", f)
		}
		checkFields(t, f, map[string]string{
			"answers.0.name.labels.0":                                                          "b",
			"answers.0.name.labels.1.value.offset":                                             "14",
			"answers.0.name.labels.1.value.target.labels.0":                                    "example",
			"answers.0.rdata.rdata.cname.labels.0.value.offset":                                strconv.Itoa(off),
			"answers.0.rdata.rdata.cname.labels.0.value.target.labels.1.value.target.labels.0": "example",
		})
	})
	errTests := []struct {
		name string
		msg  []byte
		want string
	}{
		{"pointer to itself", selfLoop, "answers[0].name.labels[0].value.target.labels[0].value.target: loop"},
		{"two pointers in a loop", twoLoop, ": loop: expected a position not already being decoded"},
		{"pointer past the end", pastEnd, "bad position: expected an offset from 0 to"},
		{"pointer to the end", toEnd, "truncated"},
		{"reserved label type", reserved, "assertion failed: expected label types 01 and 10 are not used"},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			f := dnsUDP(t, ServerToClient, tt.msg)
			if !strings.Contains(f.Err, tt.want) {
				t.Errorf("error %q, want %q", f.Err, tt.want)
			}
			if f.Field(t, "id") == "" {
				t.Error("the header was not kept")
			}
		})
	}
	t.Run("forward pointer", func(t *testing.T) {
		f := dnsUDP(t, ClientToServer, forward)
		if f.Err != "" {
			t.Fatalf("error: %v", f)
		}
		if f.Summary != `Standard query 0x0002 A fwd` {
			t.Errorf("summary %q", f.Summary)
		}
	})
}

// Names of many labels: the tree and the summary have them all.
func TestDNSLongNames(t *testing.T) {
	var labels []string
	for _, c := range "1234567890abcdef0123456789abcdef" {
		labels = append(labels, string(c))
	}
	labels = append(labels, "ip6", "arpa")
	b := append(dnsHeader(9, dnsRD, 1, 0, 0, 0), dnsQuestion(dnsName(-1, labels...), 12, 1)...)
	f := dnsUDP(t, ClientToServer, b)
	if f.Err != "" {
		t.Fatalf("error: %v", f)
	}
	if want := "Standard query 0x0009 PTR " + strings.Join(labels, "."); f.Summary != want {
		t.Errorf("summary %q, want %q", f.Summary, want)
	}
	checkFields(t, f, map[string]string{
		"questions.0.name.labels":    "35 items",
		"questions.0.name.labels.33": "arpa",
		"questions.0.name":           strings.Join(labels, "."),
	})
}

func TestDNSMalformed(t *testing.T) {
	good := dnsAnswerA(5, [][4]byte{{10, 0, 0, 1}}, "h", "example")
	badLen := append([]byte(nil), good...)
	badLen[len(badLen)-5] = 5 // rdlength 5 for an A record, 4 bytes follow
	tests := []struct {
		name string
		msg  []byte
		want string
	}{
		{"short header", []byte{0, 1, 0x81, 0x80, 0, 1}, "truncated"},
		{"more answers than bytes", append(dnsHeader(1, dnsQR, 0, 3, 0, 0), dnsRR(dnsName(-1), 1, 1, 1, []byte{1, 2, 3, 4})...), "answers[1]"},
		{"record longer than its data", badLen, "truncated"},
		{"A record of 5 bytes", append(dnsHeader(1, dnsQR, 0, 1, 0, 0), dnsRR(dnsName(-1), 1, 1, 1, []byte{1, 2, 3, 4, 5})...), "assertion failed: expected an A record holds 4 bytes"},
		{"AAAA of 4 bytes", append(dnsHeader(1, dnsQR, 0, 1, 0, 0), dnsRR(dnsName(-1), 28, 1, 1, []byte{1, 2, 3, 4})...), "an AAAA record holds 16 bytes"},
		{"label past the end", append(dnsHeader(1, 0, 1, 0, 0, 0), 10, 'a', 'b'), "truncated"},
		{"garbage", []byte("this is not a DNS message at all, really"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := dnsUDP(t, ServerToClient, tt.msg)
			if tt.want == "" {
				if f.Kind != KindFrame {
					t.Errorf("record %v", f)
				}
				return
			}
			if !strings.Contains(f.Err, tt.want) {
				t.Errorf("error %q, want %q", f.Err, tt.want)
			}
		})
	}
	// Any prefix or mutation of a good message decodes without panicking.
	reg := libraryRegistry(t)
	for i := 0; i <= len(good); i++ {
		decodeDatagram(t, reg, "dns", ServerToClient, good[:i])
	}
	seed := uint32(3)
	for round := 0; round < 2000; round++ {
		m := append([]byte(nil), good...)
		for k := 0; k < 1+round%4; k++ {
			seed = seed*1664525 + 1013904223
			m[int(seed>>8)%len(m)] = byte(seed >> 24)
		}
		decodeDatagram(t, reg, "dns", ServerToClient, m)
	}
}

// DNS over TCP: the length prefix, pointers counted from the message (not
// the frame), and pairing of responses with queries by id.
func TestDNSOverTCP(t *testing.T) {
	q1 := dnsQuery(0x0101, 1, "www", "example", "net")
	q2 := dnsQuery(0x0202, 1, "mail", "example", "net")
	r1 := dnsAnswerA(0x0101, [][4]byte{{192, 0, 2, 1}, {192, 0, 2, 2}}, "www", "example", "net")
	r2 := dnsAnswerA(0x0202, [][4]byte{{192, 0, 2, 3}}, "mail", "example", "net")
	unsolicited := dnsAnswerA(0x0999, nil, "x", "example", "net")
	frames := decodeChunks(t, libraryRegistry(t), "dnstcp", []chunk{
		{ClientToServer, dnsTCP(q1, q2)},
		{ServerToClient, dnsTCP(r2)},
		{ServerToClient, dnsTCP(r1, unsolicited)},
		{ClientToServer, dnsTCP(dnsQuery(0x0303, 1, "never", "answered"))},
	})
	want := []struct {
		summary string
		pair    PairStatus
		peer    uint64
	}{
		{`Standard query 0x0101 A www.example.net OPT`, PairRequest, 0},
		{`Standard query 0x0202 A mail.example.net OPT`, PairRequest, 0},
		{`Standard query response 0x0202 A mail.example.net A 192.0.2.3`, PairMatched, 1},
		{`Standard query response 0x0101 A www.example.net A 192.0.2.1 A 192.0.2.2`, PairMatched, 1},
		{`Standard query response 0x0999 A x.example.net`, PairUnsolicited, 0},
		{`Standard query 0x0303 A never.answered OPT`, PairRequest, 0},
		{"", PairUnanswered, 0},
	}
	if len(frames) != len(want) {
		t.Fatalf("%d records: %v", len(frames), frames)
	}
	for i, w := range want {
		f := frames[i]
		if w.pair == PairUnanswered {
			if f.Kind != KindUnanswered || f.Pair.Status != PairUnanswered || !strings.Contains(f.Err, "key 771") {
				t.Errorf("record %d: %v, want the query 0x0303 unanswered", i, f)
			}
			continue
		}
		if f.Err != "" || f.Summary != w.summary || f.Pair.Status != w.pair || (w.peer != 0 && f.Pair.PeerPacket != w.peer) {
			t.Errorf("record %d: %v peer %d, want %q %v peer %d", i, f, f.Pair.PeerPacket, w.summary, w.pair, w.peer)
		}
	}
	checkFields(t, frames[3], map[string]string{
		"length":     strconv.Itoa(len(r1)),
		"message.id": "0x0101",
		"message.answers.1.name.labels.0.value.offset":          "12",
		"message.answers.1.name.labels.0.value.target.labels.0": "www",
		"message.answers.1.rdata.rdata.address":                 "192.0.2.2",
	})
	checkFields(t, frames[1], map[string]string{
		"message.additional.0.rdata.options.0.data.client_cookie": "636c69656e74636b",
	})
}

func TestDNSOverTCPEverySplit(t *testing.T) {
	stream := dnsTCP(
		dnsQuery(1, 1, "a", "example"),
		dnsQuery(2, 28, "a", "example"),
		append(dnsHeader(3, 0, 1, 0, 0, 0), dnsQuestion(dnsName(-1, "b"), 15, 1)...),
	)
	frames := checkEverySplit(t, libraryRegistry(t), "dnstcp", ClientToServer, stream)
	if len(frames) != 6 { // three queries, then three reported unanswered
		t.Fatalf("%d records: %v", len(frames), frames)
	}
	for _, f := range frames[:3] {
		if f.Err != "" || f.Pair.Status != PairRequest {
			t.Errorf("record %v", f)
		}
	}
}

func TestDNSOverTCPMalformed(t *testing.T) {
	good := dnsTCP(dnsQuery(1, 1, "ok"))
	// Enough messages after the bad bytes that every false start the
	// search tries on the way (any two bytes are a length) is complete, and
	// fails, before the stream ends.
	goods := bytes.Repeat(good, 30)
	many := append([]string{"no valid frame"}, make([]string, 30)...)
	tests := []struct {
		name   string
		stream []byte
		want   []string // the errors of the records other than unanswered requests, in order
	}{
		{"length too small for a header", append([]byte{0, 4, 1, 2, 3, 4}, goods...), many},
		{"stream ends inside a message", good[:20], []string{"incomplete frame"}},
		{"message shorter than its length", append(dnsTCP(append(dnsHeader(2, 0, 1, 0, 0, 0), 5, 'a')), good...), []string{"questions[0].name.labels[0].value.text: truncated", ""}},
		{"pointer loop", dnsTCP(append(dnsHeader(2, 0, 1, 0, 0, 0), 0xC0, 12, 0, 1, 0, 1)), []string{": loop"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var frames []decodedFrame
			for _, f := range decodeChunks(t, libraryRegistry(t), "dnstcp", []chunk{{ClientToServer, tt.stream}}) {
				if f.Kind != KindUnanswered {
					frames = append(frames, f)
				}
			}
			if len(frames) != len(tt.want) {
				t.Fatalf("%d records, want %d: %v", len(frames), len(tt.want), frames)
			}
			for i, w := range tt.want {
				if (w == "") != (frames[i].Err == "") || !strings.Contains(frames[i].Err, w) {
					t.Errorf("record %d: error %q, want %q", i, frames[i].Err, w)
				}
			}
		})
	}
}

// A zone transfer over TCP: the first message repeats the question, the
// next ones have none.
func TestDNSOverTCPZoneTransfer(t *testing.T) {
	soa := append(dnsName(12, "ns"), dnsName(12, "admin")...)
	for _, v := range []uint32{7, 3600, 600, 86400, 60} {
		soa = dnsU32(soa, v)
	}
	first := append(dnsHeader(0x4444, dnsQR|dnsAA, 1, 2, 0, 0), dnsQuestion(dnsName(-1, "zone", "test"), 252, 1)...)
	first = append(first, dnsRR(dnsName(12), 6, 1, 3600, soa)...)
	first = append(first, dnsRR(dnsName(12, "www"), 1, 1, 3600, []byte{10, 1, 2, 3})...)
	next := dnsHeader(0x4444, dnsQR|dnsAA, 0, 1, 0, 0)
	next = append(next, dnsRR(dnsName(-1, "mail", "zone", "test"), 1, 1, 3600, []byte{10, 1, 2, 4})...)
	frames := decodeChunks(t, libraryRegistry(t), "dnstcp", []chunk{
		{ClientToServer, dnsTCP(append(dnsHeader(0x4444, 0, 1, 0, 0, 0), dnsQuestion(dnsName(-1, "zone", "test"), 252, 1)...))},
		{ServerToClient, dnsTCP(first, next)},
	})
	if len(frames) != 3 {
		t.Fatalf("%d records: %v", len(frames), frames)
	}
	for _, f := range frames {
		if f.Err != "" {
			t.Errorf("record %v", f)
		}
	}
	if frames[1].Pair.Status != PairMatched || frames[2].Pair.Status != PairDuplicate {
		t.Errorf("pairing: %v, %v", frames[1].Pair.Status, frames[2].Pair.Status)
	}
	checkFields(t, frames[1], map[string]string{
		"message.questions.0.type":              "AXFR (252)",
		"message.answers.0.rdata.rdata.serial":  "7",
		"message.answers.1.rdata.rdata.address": "10.1.2.3",
	})
	checkFields(t, frames[2], map[string]string{
		"message.qdcount":                       "0",
		"message.answers.0.rdata.rdata.address": "10.1.2.4",
	})
	if frames[2].Summary != "Standard query response 0x4444 A 10.1.2.4" {
		t.Errorf("summary %q", frames[2].Summary)
	}
}

// DNSSEC and transaction-signature records (RFC 4034, 5155, 2930, 8945):
// their fields, the signer's name with its pointer followed, and record
// data whose lengths do not add up.
func TestDNSSECRecords(t *testing.T) {
	zone := dnsName(-1, "example", "com") // at offset 12, in the question
	rrsig := dnsU16(nil, 1)               // covers A
	rrsig = append(rrsig, 8, 2)           // RSA/SHA-256, 2 labels
	rrsig = dnsU32(rrsig, 86400)          // original TTL
	rrsig = dnsU32(rrsig, 1572845270)     // expiration 2019-11-04T05:27:50Z
	rrsig = dnsU32(rrsig, 1571056114)     // inception
	rrsig = dnsU16(rrsig, 56575)          // key tag
	rrsig = append(rrsig, 0xC0, 12)       // signer: example.com
	rrsig = append(rrsig, 0xde, 0xad, 0xbe, 0xef)
	dnskey := append(dnsU16(nil, 0x0101), 3, 10, 0x03, 0x01, 0x00, 0x01)
	ds := append(dnsU16(nil, 2371), 13, 2, 0xaa, 0xbb)
	nsec3 := append([]byte{1, 1}, dnsU16(nil, 20)...)
	nsec3 = append(nsec3, 2, 0x33, 0x89, 3, 1, 2, 3, 0, 1, 0x40)          // salt, hash, window 0: type 1
	nsec := append(dnsName(12), 0, 1, 0x40, 1, 2, 0, 0x80)                // A; and type 264 in window 1, byte 1
	tsig := append(dnsName(-1, "gss-tsig"), 0, 0, 0x63, 0xf4, 0x0b, 0x86) // 2023-02-21T00:08:38Z
	tsig = dnsU16(tsig, 36000)
	tsig = dnsU16(tsig, 2)
	tsig = append(tsig, 0x11, 0x22)
	tsig = dnsU16(dnsU16(dnsU16(tsig, 52640), 0), 0)
	msg := append(dnsHeader(7, dnsQR, 1, 6, 0, 0), dnsQuestion(zone, 48, 1)...)
	for _, rr := range []struct {
		typ   int
		rdata []byte
	}{{46, rrsig}, {48, dnskey}, {43, ds}, {50, nsec3}, {47, nsec}, {250, tsig}} {
		msg = append(msg, dnsRR(dnsName(12), rr.typ, 1, 3600, rr.rdata)...)
	}
	f := dnsUDP(t, ServerToClient, msg)
	if f.Err != "" {
		t.Fatalf("error: %v", f)
	}
	checkFields(t, f, map[string]string{
		"answers.0.rdata.rdata.type_covered":              "A (1)",
		"answers.0.rdata.rdata.algorithm":                 "RSA/SHA-256 (8)",
		"answers.0.rdata.rdata.original_ttl":              "86400 s",
		"answers.0.rdata.rdata.expiration":                "2019-11-04T05:27:50Z (1572845270)",
		"answers.0.rdata.rdata.key_tag":                   "56575",
		"answers.0.rdata.rdata.signers_name":              "example.com",
		"answers.0.rdata.rdata.signature":                 "deadbeef",
		"answers.1.rdata.rdata.flags":                     "0x0101",
		"answers.1.rdata.rdata.zone_key":                  "1",
		"answers.1.rdata.rdata.key_revoked":               "0",
		"answers.1.rdata.rdata.secure_entry_point":        "1",
		"answers.1.rdata.rdata.public_key":                "03010001",
		"answers.2.rdata.rdata.key_tag":                   "2371",
		"answers.2.rdata.rdata.digest":                    "aabb",
		"answers.3.rdata.rdata.opt_out":                   "1",
		"answers.3.rdata.rdata.iterations":                "20",
		"answers.3.rdata.rdata.salt":                      "3389",
		"answers.3.rdata.rdata.next_hashed_owner":         "010203",
		"answers.3.rdata.rdata.type_bitmap.0.bitmap.0.t1": "A (1)",
		"answers.4.rdata.rdata.type_bitmap.0.bitmap.0.t1": "A (1)",
		"answers.4.rdata.rdata.type_bitmap.1.bitmap.1.t0": "Unknown (264)",
		"answers.4.rdata.rdata.next_domain_name":          "example.com",
		"answers.5.rdata.rdata.algorithm":                 "gss-tsig",
		"answers.5.rdata.rdata.time_signed":               "2023-02-21T00:08:38Z (1676938118)",
		"answers.5.rdata.rdata.mac":                       "1122",
		"answers.5.rdata.rdata.original_id":               "0xcda0",
	})
	for _, absent := range []string{"answers.3.rdata.rdata.type_bitmap.0.bitmap.0.t0", "answers.3.rdata.rdata.type_bitmap.0.bitmap.0.t2"} {
		if _, ok := f.Fields[absent]; ok {
			t.Errorf("%s decoded for a bit that is not set", absent)
		}
	}
	// A signer's name that runs past the record data, and a DNSKEY too
	// short for its fixed fields.
	bad := []struct {
		name  string
		typ   int
		rdata []byte
		want  string
	}{
		{"rrsig name past rdlength", 46, rrsig[:18], "the signer's name must end inside the record data"},
		{"short dnskey", 48, []byte{1, 1, 3}, "a DNSKEY record holds at least 4 bytes"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			m := append(dnsHeader(8, dnsQR, 1, 1, 0, 0), dnsQuestion(zone, 48, 1)...)
			m = append(m, dnsRR(dnsName(12), tc.typ, 1, 60, tc.rdata)...)
			m = append(m, 0xC0, 12, 0, 1, 0, 1) // bytes after the record, so a name may run on
			f := dnsUDP(t, ServerToClient, m)
			if !strings.Contains(f.Err, tc.want) {
				t.Errorf("error %q, want %q", f.Err, tc.want)
			}
		})
	}
}
