package capture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// simpleConversation returns a TCP connection with a UDP datagram in the
// middle, and the stream and datagram it must produce.
func simpleConversation(t testing.TB, l link, cli, srv Endpoint) ([]testPacket, gotStream, datagram) {
	c := newConv(t, l, cli, srv)
	var b capBuilder
	b.add(c.seg(I, "S", ""))
	b.add(c.seg(R, "SA", ""))
	b.add(c.seg(I, "A", ""))
	p4 := b.add(c.seg(I, "PA", "ping "))
	p5 := b.add(udpFrame(t, l, cli, srv, "datagram"))
	p6 := b.add(c.seg(I, "PA", "ping"))
	p7 := b.add(c.seg(R, "PA", "pong"))
	b.add(c.seg(I, "FA", ""))
	p9 := b.add(c.seg(R, "FA", ""))
	return b.pkts, gotStream{
			Flow:    Flow{Initiator: cli, Responder: srv, SawSYN: true},
			First:   1,
			Data:    [2]string{"ping ping", "pong"},
			Pkts:    [2][]uint64{runs(p4, 5, p6, 4), runs(p7, 4)},
			CloseAt: p9,
		}, datagram{
			Src: cli, Dst: srv, Payload: "datagram", Pkt: p5,
		}
}

// checkConversation checks what a recorder got from simpleConversation.
func checkConversation(t *testing.T, rec *recorder, stats Stats, wantStream gotStream, wantDatagram datagram) {
	t.Helper()
	checkStreams(t, rec.streams, []gotStream{wantStream})
	if len(rec.datagrams) != 1 || rec.datagrams[0] != wantDatagram {
		t.Errorf("datagrams %+v, want %+v", rec.datagrams, wantDatagram)
	}
	if stats.Packets != 9 || stats.TCPPackets != 8 || stats.UDPPackets != 1 || stats.Streams != 1 {
		t.Errorf("stats %+v", stats)
	}
	if len(stats.NotDecoded) != 0 {
		t.Errorf("not decoded: %v", stats.NotDecoded)
	}
}

func TestLinkTypes(t *testing.T) {
	links := []link{linkEthernet, linkDot1Q, linkQinQ, linkSLL, linkSLL2, linkRaw, linkRawTyped, linkNull, linkLoop}
	for _, l := range links {
		for _, addrs := range [][2]Endpoint{{cli4, srv4}, {cli6, srv6}} {
			cli, srv := addrs[0], addrs[1]
			name := l.String() + "/IPv4"
			if cli.Addr.Is6() {
				name = l.String() + "/IPv6"
			}
			t.Run(name, func(t *testing.T) {
				pkts, ws, wd := simpleConversation(t, l, cli, srv)
				rec, stats, err := runCapture(t, writePcap(t, l.linkType(cli.Addr), pkts, false), Options{})
				if err != nil {
					t.Fatal(err)
				}
				checkConversation(t, rec, stats, ws, wd)
				rec.checkTimes(pkts, time.Microsecond)
			})
		}
	}
}

func TestUnsupportedLinkType(t *testing.T) {
	pkts, _, _ := simpleConversation(t, linkEthernet, cli4, srv4)
	rec, stats, err := runCapture(t, writePcap(t, 147, pkts, false), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.streams) != 0 || len(rec.datagrams) != 0 {
		t.Errorf("decoded %d streams, %d datagrams", len(rec.streams), len(rec.datagrams))
	}
	want := map[string]uint64{"unsupported link type 147 (USER0)": 9}
	if !mapsEqual(stats.NotDecoded, want) || stats.Packets != 9 {
		t.Errorf("stats %+v, want not decoded %v", stats, want)
	}
}

func mapsEqual(a, b map[string]uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestFormats reads the same traffic from every supported file format.
func TestFormats(t *testing.T) {
	pkts, ws, wd := simpleConversation(t, linkEthernet, cli4, srv4)
	nanoPkts := make([]testPacket, len(pkts))
	for i, p := range pkts {
		nanoPkts[i] = p
		nanoPkts[i].ts = p.ts.Add(789 * time.Nanosecond)
	}
	// Two interfaces with different link types: initiator packets on
	// Ethernet, responder packets on raw IP, UDP on a third interface
	// with Linux SLL.
	mixedPkts := func() []testPacket {
		c := newConv(t, linkEthernet, cli4, srv4)
		var b capBuilder
		add := func(iface int, l link, dir Direction, flags, payload string) {
			c.link = l
			b.add(c.seg(dir, flags, payload))
			b.pkts[len(b.pkts)-1].iface = iface
		}
		add(0, linkEthernet, I, "S", "")
		add(1, linkRaw, R, "SA", "")
		add(0, linkEthernet, I, "A", "")
		add(0, linkEthernet, I, "PA", "ping ")
		b.add(udpFrame(t, linkSLL, cli4, srv4, "datagram"))
		b.pkts[len(b.pkts)-1].iface = 2
		add(0, linkEthernet, I, "PA", "ping")
		add(1, linkRaw, R, "PA", "pong")
		add(0, linkEthernet, I, "FA", "")
		add(1, linkRaw, R, "FA", "")
		return b.pkts
	}()
	le := writePcap(t, layers.LinkTypeEthernet, pkts, false)
	leNano := writePcap(t, layers.LinkTypeEthernet, nanoPkts, true)
	ng := writePcapng(t, []layers.LinkType{layers.LinkTypeEthernet}, nanoPkts)
	mixed := writePcapng(t, []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeRaw, layers.LinkTypeLinuxSLL}, mixedPkts)

	tests := []struct {
		name      string
		data      []byte
		reader    func(io.Reader) io.Reader
		pkts      []testPacket
		precision time.Duration
		linkType  string
	}{
		{"pcap little-endian", le, nil, pkts, time.Microsecond, "Ethernet"},
		{"pcap big-endian", pcapToBigEndian(t, le), nil, pkts, time.Microsecond, "Ethernet"},
		{"pcap nanoseconds little-endian", leNano, nil, nanoPkts, time.Nanosecond, "Ethernet"},
		{"pcap nanoseconds big-endian", pcapToBigEndian(t, leNano), nil, nanoPkts, time.Nanosecond, "Ethernet"},
		{"pcap gzip", gzipBytes(t, le), nil, pkts, time.Microsecond, "Ethernet"},
		{"pcap one byte at a time", le, iotest.OneByteReader, pkts, time.Microsecond, "Ethernet"},
		{"pcap gzip, half reads", gzipBytes(t, le), iotest.HalfReader, pkts, time.Microsecond, "Ethernet"},
		{"pcapng", ng, nil, nanoPkts, time.Nanosecond, "Ethernet"},
		{"pcapng gzip", gzipBytes(t, ng), nil, nanoPkts, time.Nanosecond, "Ethernet"},
		{"pcapng three interfaces", mixed, nil, mixedPkts, time.Nanosecond, "Ethernet, raw IP, Linux SLL"},
		{"pcapng three interfaces, one byte at a time", mixed, iotest.OneByteReader, mixedPkts, time.Nanosecond, "Ethernet, raw IP, Linux SLL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r io.Reader = bytes.NewReader(tt.data)
			if tt.reader != nil {
				r = tt.reader(r)
			}
			src, err := NewSource("test", r)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			if got := src.LinkType(); got != tt.linkType && !strings.Contains(tt.name, "one byte") {
				t.Errorf("LinkType() = %q, want %q", got, tt.linkType)
			}
			rec := newRecorder(t)
			rd := NewReader(rec, Options{})
			if err := rd.Run(src); err != nil {
				t.Fatal(err)
			}
			checkConversation(t, rec, rd.Stats(), ws, wd)
			rec.checkTimes(tt.pkts, tt.precision)
		})
	}
}

// TestPcapngUnsupportedInterface mixes a supported and an unsupported link
// type in one pcapng file.
func TestPcapngUnsupportedInterface(t *testing.T) {
	pkts, ws, _ := simpleConversation(t, linkEthernet, cli4, srv4)
	pkts[4].iface = 1 // the UDP datagram
	data := writePcapng(t, []layers.LinkType{layers.LinkTypeEthernet, 147}, pkts)
	rec, stats, err := runCapture(t, data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkStreams(t, rec.streams, []gotStream{ws})
	want := map[string]uint64{"unsupported link type 147 (USER0)": 1}
	if len(rec.datagrams) != 0 || !mapsEqual(stats.NotDecoded, want) {
		t.Errorf("datagrams %v, not decoded %v, want %v", rec.datagrams, stats.NotDecoded, want)
	}
}

// recordOffsets returns the offset of each record of a classic pcap.
func recordOffsets(t *testing.T, data []byte) []int {
	var offs []int
	for off := 24; off < len(data); {
		offs = append(offs, off)
		off += 16 + int(binary.LittleEndian.Uint32(data[off+8:]))
	}
	return offs
}

// lastBlockOffset returns the offset of the last block of type typ of a
// little-endian pcapng file.
func lastBlockOffset(t *testing.T, data []byte, typ uint32) int {
	last := -1
	for off := 0; off < len(data); off += int(binary.LittleEndian.Uint32(data[off+4:])) {
		if binary.LittleEndian.Uint32(data[off:]) == typ {
			last = off
		}
	}
	if last < 0 {
		t.Fatalf("no block of type %d", typ)
	}
	return last
}

func TestTruncatedFile(t *testing.T) {
	build := func(t *testing.T) ([]testPacket, []gotStream) {
		c := newConv(t, linkEthernet, cli4, srv4)
		var b capBuilder
		handshake(c, &b)
		b.add(c.seg(I, "PA", "abc"))
		p5 := b.add(c.seg(R, "PA", "def"))
		b.add(c.seg(I, "PA", "ghi")) // the record that gets cut
		return b.pkts, []gotStream{{
			Flow:    Flow{Initiator: cli4, Responder: srv4, SawSYN: true},
			Data:    [2]string{"abc", "def"},
			CloseAt: p5,
		}}
	}
	pkts, want := build(t)
	full := writePcap(t, 1, pkts, false)
	offs := recordOffsets(t, full)
	last := offs[len(offs)-1]
	ng := writePcapng(t, []layers.LinkType{layers.LinkTypeEthernet}, pkts)
	ngLastEPB := lastBlockOffset(t, ng, 6)
	ngISB := lastBlockOffset(t, ng, 5)

	tests := []struct {
		name    string
		data    []byte
		wantOff int64
		packets uint64
	}{
		{"in the record data", full[:last+16+20], int64(last), 5},
		{"in the record header", full[:last+7], int64(last), 5},
		{"right after the record header", full[:last+16], int64(last), 5},
		{"one byte short", full[:len(full)-1], int64(last), 5},
		{"pcapng, in the last packet block", ng[:ngLastEPB+30], int64(ngLastEPB), 5},
		{"pcapng, in the statistics block", ng[:len(ng)-3], int64(ngISB), 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, stats, err := runCapture(t, tt.data, Options{})
			var te *TruncatedError
			if !errors.As(err, &te) {
				t.Fatalf("error %v (%T), want *TruncatedError", err, err)
			}
			wantErr := TruncatedError{File: "test.pcap", Packets: tt.packets, Offset: tt.wantOff}
			if *te != wantErr {
				t.Errorf("error %+v, want %+v", *te, wantErr)
			}
			if msg, want := err.Error(), "test.pcap: file truncated at byte "+itoa(uint64(tt.wantOff))+", in the record after packet "+itoa(tt.packets); msg != want {
				t.Errorf("message %q, want %q", msg, want)
			}
			if tt.packets == 5 {
				checkStreams(t, rec.streams, want)
			} else if len(rec.streams) != 1 || rec.streams[0].Data[I] != "abcghi" || rec.streams[0].Closes != 1 {
				t.Errorf("streams %+v", rec.streams)
			}
			if stats.Packets != tt.packets {
				t.Errorf("%d packets, want %d", stats.Packets, tt.packets)
			}
		})
	}

	t.Run("gzip", func(t *testing.T) {
		z := gzipBytes(t, full)
		rec, _, err := runCapture(t, z[:len(z)*2/3], Options{})
		var te *TruncatedError
		if !errors.As(err, &te) {
			t.Fatalf("error %v, want *TruncatedError", err)
		}
		if te.Packets >= uint64(len(pkts)) || te.Offset != int64(offs[te.Packets]) {
			t.Errorf("error %+v, want a cut at a record start, record offsets %v", *te, offs)
		}
		for _, s := range rec.streams {
			if s.Closes != 1 {
				t.Errorf("stream %d closed %d times", s.Flow.ID, s.Closes)
			}
		}
	})

	t.Run("message of a cut in the first record", func(t *testing.T) {
		_, _, err := runCapture(t, full[:30], Options{})
		if err == nil || err.Error() != "test.pcap: file truncated at byte 24, in the first record" {
			t.Errorf("error %v", err)
		}
	})
}

func TestBadFiles(t *testing.T) {
	pcapHeader := writePcap(t, 1, nil, false)
	badVersion := bytes.Clone(pcapHeader)
	badVersion[4] = 9
	ng := writePcapng(t, []layers.LinkType{layers.LinkTypeEthernet}, nil)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"text", []byte("hello, world\n"), "x.txt: not a capture file (magic 0x68656c6c); expected pcap or pcapng"},
		{"empty", nil, "x.txt: empty file; expected pcap or pcapng"},
		{"two bytes", []byte("hi"), "x.txt: not a capture file (only 2 bytes); expected pcap or pcapng"},
		{"compressed text", gzipBytes(t, []byte("hello, world\n")), "x.txt: not a capture file (magic 0x68656c6c, after gzip decompression); expected pcap or pcapng"},
		{"compressed nothing", gzipBytes(t, nil), "x.txt: empty file, after gzip decompression; expected pcap or pcapng"},
		{"gzip magic only", []byte{0x1f, 0x8b}, "x.txt: file truncated in the gzip header"},
		{"bad gzip header", []byte{0x1f, 0x8b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "x.txt: bad gzip header: gzip: invalid header"},
		{"truncated pcap header", pcapHeader[:10], "x.txt: file truncated in the pcap file header"},
		{"bad pcap version", badVersion, "x.txt: bad pcap file header: Unknown major version 9"},
		{"truncated pcapng header", ng[:20], "x.txt: file truncated in the pcapng section header"},
		{"modified pcap", []byte{0xa1, 0xb2, 0xcd, 0x34, 0, 0, 0, 0}, "x.txt: modified pcap format (magic 0xa1b2cd34) is not supported; expected pcap or pcapng"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := NewSource("x.txt", bytes.NewReader(tt.data))
			if err == nil {
				src.Close()
				t.Fatal("no error")
			}
			if err.Error() != tt.want {
				t.Errorf("error %q\n          want %q", err, tt.want)
			}
		})
	}
}

// A record that says it captured more than the packet's original length,
// as tools that rewrite packets leave, is read as tshark reads it: the
// captured bytes are the packet.
func TestCaptureLongerThanPacket(t *testing.T) {
	pkts, _, _ := simpleConversation(t, linkEthernet, cli4, srv4)
	data := writePcap(t, 1, pkts, false)
	offs := recordOffsets(t, data)
	want, _, err := runCapture(t, data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := bytes.Clone(data)
	binary.LittleEndian.PutUint32(b[offs[0]+12:], 10)
	got, stats, err := runCapture(t, b, Options{})
	if err != nil || stats.Packets != uint64(len(pkts)) {
		t.Fatalf("error %v, %d packets, want none and %d", err, stats.Packets, len(pkts))
	}
	if len(got.streams) != len(want.streams) {
		t.Fatalf("%d streams, want %d", len(got.streams), len(want.streams))
	}
}

// TestCorruptRecord checks errors for records that can't be read.
func TestCorruptRecord(t *testing.T) {
	pkts, _, _ := simpleConversation(t, linkEthernet, cli4, srv4)
	data := writePcap(t, 1, pkts, false)
	offs := recordOffsets(t, data)
	tests := []struct {
		name    string
		patch   func([]byte)
		wantErr string
		packets uint64
	}{
		{
			name:    "capture length over the snap length",
			patch:   func(b []byte) { binary.LittleEndian.PutUint32(b[offs[3]+8:], 0x7fffffff) },
			wantErr: "test.pcap: bad record at byte " + itoa(uint64(offs[3])) + ", after packet 3: record of 2147483647 bytes is larger than any packet (at most 262144)",
			packets: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := bytes.Clone(data)
			tt.patch(b)
			rec, stats, err := runCapture(t, b, Options{})
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Errorf("error %v\nwant prefix %s", err, tt.wantErr)
			}
			if stats.Packets != tt.packets {
				t.Errorf("%d packets, want %d", stats.Packets, tt.packets)
			}
			for _, s := range rec.streams {
				if s.Closes != 1 {
					t.Errorf("stream %d closed %d times", s.Flow.ID, s.Closes)
				}
			}
		})
	}
}

func TestOpen(t *testing.T) {
	pkts, ws, wd := simpleConversation(t, linkEthernet, cli4, srv4)
	dir := t.TempDir()
	path := filepath.Join(dir, "capture.data") // the name doesn't matter
	if err := os.WriteFile(path, gzipBytes(t, writePcap(t, 1, pkts, false)), 0o644); err != nil {
		t.Fatal(err)
	}

	t.Run("file", func(t *testing.T) {
		src, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		rec := newRecorder(t)
		rd := NewReader(rec, Options{})
		if err := rd.Run(src); err != nil {
			t.Fatal(err)
		}
		checkConversation(t, rec, rd.Stats(), ws, wd)
		if err := src.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if err := src.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	})

	t.Run("stdin", func(t *testing.T) {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		stdin := os.Stdin
		os.Stdin = f
		defer func() { os.Stdin = stdin }()
		src, err := Open("-")
		if err != nil {
			t.Fatal(err)
		}
		defer src.Close()
		rec := newRecorder(t)
		rd := NewReader(rec, Options{})
		if err := rd.Run(src); err != nil {
			t.Fatal(err)
		}
		checkConversation(t, rec, rd.Stats(), ws, wd)
	})

	t.Run("missing file", func(t *testing.T) {
		missing := filepath.Join(dir, "x.pcap")
		_, err := Open(missing)
		if !errors.Is(err, fs.ErrNotExist) || err.Error() != "open "+missing+": no such file or directory" {
			t.Errorf("error %v", err)
		}
	})

	t.Run("not a capture", func(t *testing.T) {
		txt := filepath.Join(dir, "x.txt")
		if err := os.WriteFile(txt, []byte("GET / HTTP/1.1\r\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Open(txt)
		if want := txt + ": not a capture file (magic 0x47455420); expected pcap or pcapng"; err == nil || err.Error() != want {
			t.Errorf("error %v, want %s", err, want)
		}
	})
}

// TestNotDecoded checks the reasons packets are not handed on.
func TestNotDecoded(t *testing.T) {
	eth := func(etype layers.EthernetType, payload []byte) []byte {
		hdr := serialize(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: etype})[:14]
		return append(hdr, payload...)
	}
	ip4 := func(proto layers.IPProtocol, flags layers.IPv4Flag, frag uint16, payload []byte) []byte {
		return serialize(t, &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: proto, Flags: flags, FragOffset: frag,
			SrcIP: cli4.Addr.AsSlice(), DstIP: srv4.Addr.AsSlice()}, gopacket.Payload(payload))
	}
	udpHdr := []byte{0x30, 0x39, 0, 53, 0, 12, 0, 0, 'a', 'b', 'c', 'd'}
	tcp := tcpFrame(t, linkRaw, cli4, srv4, 1, 0, "S", "")
	ipv6Frag := func(offset uint16, more bool) []byte {
		frag := []byte{17, 0, byte(offset >> 5), byte(offset<<3) & 0xf8, 0, 0, 0, 1}
		if more {
			frag[3] |= 1
		}
		return serialize(t, &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolIPv6Fragment,
			SrcIP: cli6.Addr.AsSlice(), DstIP: srv6.Addr.AsSlice()}, gopacket.Payload(append(frag, udpHdr...)))
	}
	badIHL := ip4(layers.IPProtocolTCP, 0, 0, tcp[20:])
	badIHL[0] = 0x43
	badOffset := bytes.Clone(tcp)
	badOffset[20+12] = 0x30

	tests := []struct {
		name string
		link layers.LinkType
		data []byte
		want string
	}{
		{"ARP", 1, eth(layers.EthernetTypeARP, make([]byte, 28)), reasonNotIP},
		{"LLC", 1, eth(layers.EthernetType(30), make([]byte, 30)), reasonNotIP},
		{"ICMP", 1, eth(layers.EthernetTypeIPv4, ip4(layers.IPProtocolICMPv4, 0, 0, make([]byte, 8))), reasonNoTransport},
		{"GRE", layers.LinkTypeRaw, ip4(layers.IPProtocolGRE, 0, 0, make([]byte, 8)), reasonNoTransport},
		{"IPv4 first fragment", 1, eth(layers.EthernetTypeIPv4, ip4(layers.IPProtocolUDP, layers.IPv4MoreFragments, 0, udpHdr)), reasonFragInconsistent},
		{"IPv4 last fragment", layers.LinkTypeRaw, ip4(layers.IPProtocolUDP, 0, 100, udpHdr), reasonFragEnd},
		{"IPv6 first fragment", layers.LinkTypeRaw, ipv6Frag(0, true), reasonFragInconsistent},
		{"IPv6 last fragment", layers.LinkTypeIPv6, ipv6Frag(8, false), reasonFragEnd},
		{"truncated Ethernet header", 1, []byte{1, 2, 3, 4, 5, 6, 7, 8}, "truncated Ethernet header"},
		{"Ethernet header only", 1, eth(layers.EthernetTypeIPv4, nil), "truncated IPv4 header"},
		{"truncated IPv4 header", 1, eth(layers.EthernetTypeIPv4, tcp[:12]), "truncated IPv4 header"},
		{"malformed IPv4 header", layers.LinkTypeRaw, badIHL, "malformed IPv4 header"},
		{"truncated TCP header", layers.LinkTypeRaw, tcp[:30], "truncated TCP header"},
		{"IPv4 header only", layers.LinkTypeRaw, ip4(layers.IPProtocolTCP, 0, 0, nil), "truncated TCP header"},
		{"malformed TCP header", layers.LinkTypeRaw, badOffset, "malformed TCP header"},
		{"truncated UDP header", layers.LinkTypeRaw, ip4(layers.IPProtocolUDP, 0, 0, udpHdr[:5]), "truncated UDP header"},
		{"empty UDP payload", layers.LinkTypeRaw, udpFrame(t, linkRaw, cli4, srv4, ""), reasonEmptyUDP},
		{"not IP on raw link", layers.LinkTypeRaw, []byte{0x50, 1, 2, 3}, reasonNotIP},
		{"empty raw packet", layers.LinkTypeRaw, nil, reasonNotIP},
		{"truncated SLL header", layers.LinkTypeLinuxSLL, make([]byte, 10), "truncated Linux SLL header"},
		{"bad loopback family", layers.LinkTypeNull, []byte{1, 2, 3, 4, 5}, "malformed loopback header"},
		{"unknown loopback family", layers.LinkTypeNull, []byte{99, 0, 0, 0, 5}, reasonNotIP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkts := []testPacket{{ts: baseTime, data: tt.data}}
			rec, stats, err := runCapture(t, writePcap(t, tt.link, pkts, false), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(rec.streams)+len(rec.datagrams) != 0 {
				t.Errorf("decoded %d streams, %d datagrams", len(rec.streams), len(rec.datagrams))
			}
			if want := map[string]uint64{tt.want: 1}; !mapsEqual(stats.NotDecoded, want) {
				t.Errorf("not decoded %v, want %v", stats.NotDecoded, want)
			}
		})
	}
}

// TestEncapsulations checks IPv6 extension headers and IP in IP: the
// endpoints are those of the innermost IP header.
func TestEncapsulations(t *testing.T) {
	udpBytes := func(src, dst Endpoint, payload string) []byte {
		hdr := make([]byte, 8)
		binary.BigEndian.PutUint16(hdr[0:], src.Port)
		binary.BigEndian.PutUint16(hdr[2:], dst.Port)
		binary.BigEndian.PutUint16(hdr[4:], uint16(8+len(payload)))
		return append(hdr, payload...)
	}
	ip6 := func(next layers.IPProtocol, payload []byte) []byte {
		return serialize(t, &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: next,
			SrcIP: cli6.Addr.AsSlice(), DstIP: srv6.Addr.AsSlice()}, gopacket.Payload(payload))
	}
	ip4 := func(next layers.IPProtocol, payload []byte) []byte {
		return serialize(t, &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: next,
			SrcIP: ep("192.0.2.1", 0).Addr.AsSlice(), DstIP: ep("192.0.2.2", 0).Addr.AsSlice()}, gopacket.Payload(payload))
	}
	// Destination options: next header UDP, 8 bytes, PadN.
	destOpts := []byte{17, 0, 1, 4, 0, 0, 0, 0}
	// Hop-by-hop, then routing (type 0, no segments left), then UDP.
	hopByHop := []byte{43, 0, 1, 4, 0, 0, 0, 0}
	routing := []byte{17, 0, 0, 0, 0, 0, 0, 0}
	tests := []struct {
		name string
		data []byte
	}{
		{"IPv6 destination options", ip6(layers.IPProtocolIPv6Destination, append(bytes.Clone(destOpts), udpBytes(cli6, srv6, "hi")...))},
		{"IPv6 hop-by-hop and routing", ip6(layers.IPProtocolIPv6HopByHop, slices.Concat(hopByHop, routing, udpBytes(cli6, srv6, "hi")))},
		{"IPv6 atomic fragment", ip6(layers.IPProtocolIPv6Fragment, append([]byte{17, 0, 0, 0, 0, 0, 0, 9}, udpBytes(cli6, srv6, "hi")...))},
		{"IPv6 in IPv4", ip4(layers.IPProtocolIPv6, ip6(layers.IPProtocolUDP, udpBytes(cli6, srv6, "hi")))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkts := []testPacket{{ts: baseTime, data: tt.data}}
			rec, stats, err := runCapture(t, writePcap(t, layers.LinkTypeRaw, pkts, false), Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := []datagram{{Src: cli6, Dst: srv6, Payload: "hi", Pkt: 1}}
			if !slices.Equal(rec.datagrams, want) || len(stats.NotDecoded) != 0 {
				t.Errorf("datagrams %+v, not decoded %v; want %+v", rec.datagrams, stats.NotDecoded, want)
			}
		})
	}
}
