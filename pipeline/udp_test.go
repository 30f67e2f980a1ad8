package pipeline

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/internal/pcapgen"
)

// dnsMessage builds a DNS query (answer == 0) or a response with a TXT
// answer of about answer bytes, for example.com.
func dnsMessage(id uint16, answer int) []byte {
	b := binary.BigEndian.AppendUint16(nil, id)
	flags, an := uint16(0x0100), uint16(0)
	if answer > 0 {
		flags, an = 0x8180, 1
	}
	b = binary.BigEndian.AppendUint16(b, flags)
	b = append(b, 0, 1, byte(an>>8), byte(an), 0, 0, 0, 0)
	b = append(b, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 16, 0, 1)
	if answer == 0 {
		return b
	}
	var txt []byte
	for len(txt) < answer {
		n := min(200, answer-len(txt))
		txt = append(txt, byte(n))
		txt = append(txt, strings.Repeat("t", n)...)
	}
	b = append(b, 0xc0, 12, 0, 16, 0, 1, 0, 0, 1, 0)
	b = binary.BigEndian.AppendUint16(b, uint16(len(txt)))
	return append(b, txt...)
}

// TestUDPConversations checks that UDP datagrams are dissected one by one
// and grouped into conversations, in which DNS queries and responses pair,
// including responses in IP fragments; that a conversation ends after the
// idle timeout; and that the accounting adds up.
func TestUDPConversations(t *testing.T) {
	client4 := pcapgen.Endpoint{Addr: mustAddr("10.9.0.1"), Port: 5353}
	server4 := pcapgen.Endpoint{Addr: mustAddr("10.9.0.53"), Port: 53}
	client6 := pcapgen.Endpoint{Addr: mustAddr("2001:db8:9::1"), Port: 6000}
	server6 := pcapgen.Endpoint{Addr: mustAddr("2001:db8:9::53"), Port: 53}
	c := pcapgen.NewCapture(11)
	c.Datagram(client4, server4, dnsMessage(1, 0))
	c.Datagram(client6, server6, dnsMessage(7, 0))
	c.Datagram(server4, client4, dnsMessage(1, 3000))
	c.FragmentLast(1400, pcapgen.FragmentsReversed)
	c.Datagram(server6, client6, dnsMessage(7, 2000))
	c.FragmentLast(1232, pcapgen.FragmentsDuplicateFirst)
	c.Datagram(client4, server4, dnsMessage(2, 0))  // never answered
	c.Datagram(server6, client6, dnsMessage(9, 40)) // answers nothing
	c.Sleep(2 * time.Minute)
	// Same ports, after the idle timeout: a new conversation.
	c.Datagram(client4, server4, dnsMessage(3, 0))
	c.Datagram(server4, client4, dnsMessage(3, 100))

	log, sum := runGenerated(t, c, Config{UDPTimeout: time.Minute})
	if got := log.frames[0] + log.frames[1]; got != 8 || log.failed != 0 {
		t.Errorf("%d good frames, %d failed, want 8 and 0: %s", got, log.failed, strings.Join(log.errs, "\n"))
	}
	if sum.UDPConversations != 3 || len(log.streams) != 3 {
		t.Errorf("%d conversations (%d with records), want 3", sum.UDPConversations, len(log.streams))
	}
	if sum.Matched != 3 || sum.Unanswered != 1 || sum.Unsolicited != 1 || sum.Duplicates != 0 {
		t.Errorf("pairing: %d matched, %d unanswered, %d unsolicited, %d duplicates; want 3, 1, 1, 0",
			sum.Matched, sum.Unanswered, sum.Unsolicited, sum.Duplicates)
	}
	if c := sum.Capture; c.Reassembled != 2 || c.Fragments != 6 || c.FragmentsReassembled != 5 || c.FragDuplicates != 1 {
		t.Errorf("fragments: %d datagrams from %d of %d fragments, %d duplicates; want 2 from 5 of 6, 1",
			c.Reassembled, c.FragmentsReassembled, c.Fragments, c.FragDuplicates)
	}
	if len(log.errs) > 0 {
		t.Errorf("problems:\n%s", strings.Join(log.errs, "\n"))
	}
	checkSummaryAccounting(t, log, sum)
}

// TestUDPConversationLimit ends the oldest conversation when too many are
// open.
func TestUDPConversationLimit(t *testing.T) {
	server := pcapgen.Endpoint{Addr: mustAddr("10.9.0.53"), Port: 53}
	c := pcapgen.NewCapture(12)
	for i := range 5 {
		cl := pcapgen.Endpoint{Addr: mustAddr("10.9.0.1"), Port: uint16(7000 + i)}
		c.Datagram(cl, server, dnsMessage(uint16(i), 0))
	}
	for i := 4; i >= 0; i-- {
		cl := pcapgen.Endpoint{Addr: mustAddr("10.9.0.1"), Port: uint16(7000 + i)}
		c.Datagram(server, cl, dnsMessage(uint16(i), 10))
	}
	log, sum := runGenerated(t, c, Config{MaxConversations: 2})
	// The conversations of the first three queries were ended to make
	// room: only the last two pair.
	if sum.UDPEvicted == 0 || sum.Matched != 2 {
		t.Errorf("%d conversations ended early, %d matched; want some and 2", sum.UDPEvicted, sum.Matched)
	}
	checkSummaryAccounting(t, log, sum)
}

// TestSharedFragmentedDNS decodes the public capture with fragmented DNS
// over UDP (IPv4 and IPv6) and DNS over TCP.
func TestSharedFragmentedDNS(t *testing.T) {
	path := sharedPcap("dns-ndpi-ip-fragmented-udp-tcp.pcap")
	if path == "" {
		t.Skip("shared captures not available")
	}
	log, sum := runPath(t, path, Config{})
	// tshark decodes 43 DNS messages, among them 7 reassembled from
	// fragments (packets 3, 6, 9, 12, 17 ...).
	if got := log.frames[0] + log.frames[1]; got != 43 || log.failed != 0 {
		t.Errorf("%d good frames, %d failed; want 43 and 0", got, log.failed)
	}
	if c := sum.Capture; c.Reassembled != 7 || c.Fragments != 14 || c.FragmentsReassembled != 14 {
		t.Errorf("fragments: %d datagrams from %d of %d fragments; want 7 from 14 of 14", c.Reassembled, c.FragmentsReassembled, c.Fragments)
	}
	for _, pkt := range []uint64{3, 6, 9, 12} {
		if log.byPacket[pkt] == 0 {
			t.Errorf("no DNS message completed by packet %d (the last fragment of a response)", pkt)
		}
	}
	if sum.Matched < 20 {
		t.Errorf("%d responses matched over UDP and TCP, want at least 20", sum.Matched)
	}
	var nd uint64
	for _, n := range sum.Capture.NotDecoded {
		nd += n
	}
	if nd != 0 {
		t.Errorf("packets not decoded: %v", sum.Capture.NotDecoded)
	}
	checkSummaryAccounting(t, log, sum)
}

// sharedPcap returns the path of a public capture of the shared folder
// (next to the repository, or to the worktree folder), or "" when absent.
func sharedPcap(name string) string {
	for _, dir := range []string{"../../shared/pcaps", "../../../shared/pcaps"} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// longUDP builds a capture of one DNS conversation of n queries and
// responses, every response in three IP fragments.
func longUDP(t testing.TB, n int) []byte {
	client := pcapgen.Endpoint{Addr: mustAddr("10.9.0.1"), Port: 5353}
	server := pcapgen.Endpoint{Addr: mustAddr("10.9.0.53"), Port: 53}
	c := pcapgen.NewCapture(13)
	for i := range n {
		c.Datagram(client, server, dnsMessage(uint16(i), 0))
		c.Datagram(server, client, dnsMessage(uint16(i), 1500))
		c.FragmentLast(600, pcapgen.FragmentOrder(i%2))
	}
	return pcapBytes(t, c)
}

// UDP conversations and IP defragmentation allocate nothing per packet
// either: a conversation of 2,000 exchanges allocates no more than one of
// 200.
func TestNoAllocationPerDatagram(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	reg := bundledRegistry(t)
	allocs := func(data []byte) float64 { return runAllocs(t, reg, data) }
	small, large := allocs(longUDP(t, 200)), allocs(longUDP(t, 2000))
	t.Logf("allocations per run: %v for 200 exchanges, %v for 2,000", small, large)
	if large-small > 16 {
		t.Errorf("allocations: %v for 200 exchanges, %v for 2,000: %.3f per extra packet", small, large, (large-small)/7200)
	}
}

// joinLog keeps, for each record, its protocol, kind, completing packet,
// length and error.
type joinLog struct{ recs []string }

func (l *joinLog) Emit(r *dissectors.Record) error {
	if r.Kind == dissectors.KindStream {
		return nil
	}
	l.recs = append(l.recs, fmt.Sprintf("%s %s pkt %d len %d %s", r.Protocol.Name, r.Kind, r.LastPacket, r.Length, r.Err()))
	return nil
}

// TestUDPJoin runs DNP3 over UDP through the pipeline: the transport
// segments of a fragment sent in three datagrams of one conversation, with
// a datagram of the other direction between them, are joined into one
// dnp3_app record after the last one; in a second conversation the last
// segment never comes, and the end of the capture reports the pieces.
func TestUDPJoin(t *testing.T) {
	master := pcapgen.Endpoint{Addr: mustAddr("10.9.1.1"), Port: 20000}
	outstation := pcapgen.Endpoint{Addr: mustAddr("10.9.1.10"), Port: 20000}
	other := pcapgen.Endpoint{Addr: mustAddr("10.9.1.11"), Port: 20000}
	points := make([][]byte, 40)
	for i := range points {
		points[i] = binary.LittleEndian.AppendUint32(nil, uint32(i))
	}
	app := pcapgen.DNP3Response(pcapgen.DNP3FIR|pcapgen.DNP3FIN|3, 129, 0, pcapgen.DNP3Objects(30, 3, 0x00, []byte{0, 39}, points...))
	third := (len(app) + 2) / 3
	seg := func(i int) []byte {
		end := min((i+1)*third, len(app))
		return pcapgen.DNP3Link(pcapgen.DNP3PRM|4, 1, 10, pcapgen.DNP3Transport(end == len(app), i == 0, byte(i), app[i*third:end]))
	}
	confirm := pcapgen.DNP3Link(pcapgen.DNP3DIR|pcapgen.DNP3PRM|4, 10, 1, pcapgen.DNP3Transport(true, true, 0, pcapgen.DNP3Request(3, 0)))
	c := pcapgen.NewCapture(14)
	c.Datagram(outstation, master, seg(0))
	c.Datagram(master, outstation, confirm)
	c.Datagram(other, master, seg(0))
	c.Datagram(outstation, master, seg(1))
	c.Datagram(outstation, master, seg(2))
	c.Datagram(other, master, seg(1))
	log := &joinLog{}
	if _, err := runFile(t, writeTemp(t, c), Config{Sink: log}); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(log.recs, "\n")
	for _, want := range []string{
		fmt.Sprintf("dnp3_app frame pkt 5 len %d \n", len(app)),
		fmt.Sprintf("dnp3_app skipped pkt 6 len %d incomplete message: the conversation ended before its last piece (2 pieces joined)", 2*third),
	} {
		if !strings.Contains(got+"\n", want) {
			t.Errorf("no record %q in\n%s", want, got)
		}
	}
	if n := strings.Count(got, "dnp3udp frame"); n != 6 {
		t.Errorf("%d dnp3udp frames, want 6:\n%s", n, got)
	}
}

// When both ends use the protocol's port (DNP3 from 20000 to 20000), the
// end that sent first is the client, and the replies belong to the same
// conversation, so they pair with its requests.
func TestUDPSamePortBothEnds(t *testing.T) {
	log, sum, err := run(t, filepath.Join(pcapDir, "dnp3-udp.pcap"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if sum.UDPConversations != 1 || len(log.streams) != 1 {
		t.Errorf("%d conversations (%d streams in the records), want 1", sum.UDPConversations, len(log.streams))
	}
	if sum.Matched != 2 || sum.Unanswered != 0 || sum.Unsolicited != 0 {
		t.Errorf("pairing: %d matched, %d unanswered, %d unsolicited; want 2, 0, 0", sum.Matched, sum.Unanswered, sum.Unsolicited)
	}
	if log.frames[dissectors.ClientToServer] != 4 || log.frames[dissectors.ServerToClient] != 4 {
		t.Errorf("frames by direction %v, want 4 and 4", log.frames)
	}
}
