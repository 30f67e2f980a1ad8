//go:build cgo

package capture

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// A filter keeps what it matches, on every supported link type: the
// packets kept are those the decoder counts as TCP (or UDP) without a
// filter, they keep their numbers in the file, and the others are counted
// in Stats.Filtered.
func TestFilterFile(t *testing.T) {
	// Not 802.1Q: as in tcpdump, "tcp" does not match tagged packets
	// ("vlan and tcp" does); TestFilterMatchesTcpdump covers it.
	for _, l := range []link{linkEthernet, linkSLL, linkSLL2, linkRaw, linkRawTyped, linkNull, linkLoop} {
		for _, expr := range []string{"tcp", "udp", "tcp and port 80", "not ip and not ip6"} {
			t.Run(l.String()+"/"+expr, func(t *testing.T) {
				pkts, _, _ := simpleConversation(t, l, cli4, srv4)
				data := writePcap(t, l.linkType(cli4.Addr), pkts, false)
				all, allStats, err := runCapture(t, data, Options{})
				if err != nil {
					t.Fatal(err)
				}
				f, err := NewFilter(expr)
				if err != nil {
					t.Fatal(err)
				}
				got, stats, err := runCapture(t, data, Options{Filter: f})
				if err != nil {
					t.Fatal(err)
				}
				kept := stats.Packets - stats.Filtered
				var want uint64
				switch expr {
				case "tcp", "tcp and port 80":
					want = allStats.TCPPackets
					if !reflect.DeepEqual(got.streams, all.streams) || len(got.datagrams) != 0 {
						t.Errorf("streams %+v, datagrams %+v; want the unfiltered streams %+v", got.streams, got.datagrams, all.streams)
					}
				case "udp":
					want = allStats.UDPPackets
					if len(got.streams) != 0 || !reflect.DeepEqual(got.datagrams, all.datagrams) {
						t.Errorf("streams %+v, datagrams %+v; want the unfiltered datagrams %+v", got.streams, got.datagrams, all.datagrams)
					}
				default:
					if len(got.streams)+len(got.datagrams) != 0 {
						t.Errorf("decoded %d streams, %d datagrams", len(got.streams), len(got.datagrams))
					}
				}
				if stats.Packets != allStats.Packets || kept != want || stats.TCPPackets+stats.UDPPackets != kept {
					t.Errorf("read %d, kept %d (%d TCP, %d UDP); want %d read, %d kept", stats.Packets, kept,
						stats.TCPPackets, stats.UDPPackets, allStats.Packets, want)
				}
			})
		}
	}
}

// Filters agree with tcpdump -r on the project's captures, and on the
// public real ones (of many link types) when they sit beside the repo.
func TestFilterMatchesTcpdump(t *testing.T) {
	if _, err := exec.LookPath("tcpdump"); err != nil {
		t.Skip("tcpdump not installed")
	}
	files, _ := filepath.Glob("../testdata/pcaps/*.pcap")
	if len(files) == 0 {
		t.Skip("no captures in testdata/pcaps")
	}
	// ../../shared from the main checkout, ../../../shared from a worktree
	// in wt/NAME.
	for _, dir := range []string{"../../shared/pcaps", "../../../shared/pcaps"} {
		for _, pat := range []string{"*.pcap", "*.pcapng"} {
			shared, _ := filepath.Glob(filepath.Join(dir, pat))
			files = append(files, shared...)
		}
	}
	exprs := []string{"tcp port 502", "tcp[tcpflags] & tcp-syn != 0", "ip6", "vlan", "greater 100", "src host 192.168.1.20", "udp"}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, expr := range exprs {
			out, err := exec.Command("tcpdump", "-nn", "-r", file, expr).Output()
			refused := false
			if err != nil {
				// tcpdump fails at the end of a truncated file, after
				// printing the packets before the cut, and refuses a
				// filter that means nothing for the file's link type.
				var exit *exec.ExitError
				if !errors.As(err, &exit) {
					t.Fatalf("tcpdump -r %s %q: %v", file, expr, err)
				}
				refused = !strings.Contains(string(exit.Stderr), "truncated")
			}
			// One line per packet, but tcpdump prints some protocols
			// (OpenFlow) on indented continuation lines too.
			var want uint64
			for line := range strings.Lines(string(out)) {
				if line != "" && line[0] != ' ' && line[0] != '\t' {
					want++
				}
			}
			f, err := NewFilter(expr)
			if err != nil {
				t.Fatal(err)
			}
			_, stats, err := runCapture(t, data, Options{Filter: f})
			if refused {
				var fe *FilterError
				if !errors.As(err, &fe) || fe.LinkType == "" {
					t.Errorf("%s, %q: tcpdump refuses the filter, dissect: %v", filepath.Base(file), expr, err)
				}
				continue
			}
			if got := stats.Packets - stats.Filtered; got != want {
				t.Errorf("%s, %q: kept %d packets, tcpdump %d", filepath.Base(file), expr, got, want)
			}
		}
	}
}

func TestFilterErrors(t *testing.T) {
	tests := []struct {
		expr, reason string
	}{
		{"tcp prt 502", "syntax error in filter expression: syntax error"},
		{"port 502 and", "syntax error in filter expression: "},
		{"tcp port 99999", "bad filter expression: illegal port number 99999 > 65535"},
	}
	for _, tt := range tests {
		_, err := NewFilter(tt.expr)
		var fe *FilterError
		if !errors.As(err, &fe) {
			t.Errorf("%q: error %v, want a *FilterError", tt.expr, err)
			continue
		}
		if fe.Expr != tt.expr || !strings.HasPrefix(fe.Reason(), tt.reason) || !strings.Contains(err.Error(), strconv.Quote(tt.expr)) {
			t.Errorf("%q: %q, reason %q; want a reason starting %q", tt.expr, err, fe.Reason(), tt.reason)
		}
	}
}

// A filter that means nothing for the link type of a packet stops the run
// with an error naming the link type; what came before was decoded.
func TestFilterWrongLinkType(t *testing.T) {
	pkts, _, _ := simpleConversation(t, linkRaw, cli4, srv4)
	f, err := NewFilter("ether host 02:00:00:00:00:0a")
	if err != nil {
		t.Fatal(err)
	}
	_, stats, err := runCapture(t, writePcap(t, layers.LinkTypeRaw, pkts, false), Options{Filter: f})
	var fe *FilterError
	if !errors.As(err, &fe) || fe.LinkType != "raw IP" || !strings.Contains(err.Error(), "cannot be used on raw IP packets") {
		t.Fatalf("error %v, want a *FilterError for raw IP", err)
	}
	if stats.Packets != 1 {
		t.Errorf("read %d packets, want 1", stats.Packets)
	}
}

// The Tap sees the kept packets, in order, and its error stops the run.
func TestTap(t *testing.T) {
	pkts, _, _ := simpleConversation(t, linkEthernet, cli4, srv4)
	data := writePcap(t, layers.LinkTypeEthernet, pkts, false)
	f, err := NewFilter("tcp")
	if err != nil {
		t.Fatal(err)
	}
	var seen []int
	_, stats, err := runCapture(t, data, Options{Filter: f, Tap: func(d []byte, ci gopacket.CaptureInfo, lt layers.LinkType) error {
		seen = append(seen, len(d))
		if lt != layers.LinkTypeEthernet || ci.CaptureLength != len(d) {
			t.Errorf("tap got link type %v, capture length %d for %d bytes", lt, ci.CaptureLength, len(d))
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	var want []int
	for i, p := range pkts {
		if i != 4 { // packet 5 is the UDP datagram
			want = append(want, len(p.data))
		}
	}
	if !reflect.DeepEqual(seen, want) || stats.Filtered != 1 {
		t.Errorf("tap saw packets of %v bytes, %d filtered; want %v, 1 filtered", seen, stats.Filtered, want)
	}

	boom := errors.New("disk full")
	_, stats, err = runCapture(t, data, Options{Tap: func([]byte, gopacket.CaptureInfo, layers.LinkType) error { return boom }})
	if !errors.Is(err, boom) || stats.Packets != 1 {
		t.Errorf("error %v after %d packets, want %v after 1", err, stats.Packets, boom)
	}
}

// Filtering (kept or dropped) does not allocate.
func TestFilterNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful with the race detector")
	}
	f, err := NewFilter("udp")
	if err != nil {
		t.Fatal(err)
	}
	rd := NewReader(&nopStreams{}, Options{Filter: f})
	udp := udpFrame(t, linkEthernet, cli4, srv4, "query")
	tcp := tcpFrame(t, linkEthernet, cli4, srv4, 1, 1, "A", "")
	feed(rd, udp)
	for name, frame := range map[string][]byte{"kept": udp, "dropped": tcp} {
		if allocs := testing.AllocsPerRun(500, func() { feed(rd, frame) }); allocs != 0 {
			t.Errorf("%s: %v allocations per packet", name, allocs)
		}
	}
}

// BenchmarkFilter measures the per-packet cost of running a capture filter
// (libpcap's BPF interpreter through cgo) on a packet it keeps and on one it
// drops, without decoding.
func BenchmarkFilter(b *testing.B) {
	f, err := NewFilter("tcp port 80 and host 10.0.0.2")
	if err != nil {
		b.Fatal(err)
	}
	for name, frame := range map[string][]byte{
		"kept":    tcpFrame(b, linkEthernet, cli4, srv4, 1, 1, "PA", "payload"),
		"dropped": udpFrame(b, linkEthernet, cli4, srv4, "query"),
	} {
		b.Run(name, func(b *testing.B) {
			ci := gopacket.CaptureInfo{CaptureLength: len(frame), Length: len(frame)}
			b.ReportAllocs()
			for range b.N {
				if _, err := f.match(frame, ci, layers.LinkTypeEthernet); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
