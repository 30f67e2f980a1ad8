package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/dissect-project/dissect/capture"
)

// Wrong capture flags get one line saying what is wrong, and exit 2.
func TestCaptureFlagErrors(t *testing.T) {
	f := pcaps + "modbus-basic.pcap"
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-r", f, "-i", "lo"}, exitUsage, "dissect: -r and -i both given: read a file (-r FILE) or capture live (-i IFACE), not both\n"},
		{[]string{"-r", f, "--snaplen", "100"}, exitUsage, "dissect: --snaplen applies to a live capture (-i IFACE) only\n"},
		{[]string{"-r", f, "-p"}, exitUsage, "dissect: -p applies to a live capture (-i IFACE) only\n"},
		{[]string{"-r", f, "-B", "1024"}, exitUsage, "dissect: -B applies to a live capture (-i IFACE) only\n"},
		{[]string{"-i", "lo", "-B", "0"}, exitUsage, "dissect: -B 0: the buffer size must be between 1 and 1048576 KiB\n"},
		{[]string{"-i", "lo", "--snaplen", "0"}, exitUsage, "dissect: --snaplen 0: must be between 1 and 262144 bytes\n"},
		{[]string{"-r", f, "-a", "filesize:10"}, exitUsage, "dissect: -a \"filesize:10\": only duration:SEC is supported (stop after SEC seconds); use -c N to stop after N records\n"},
		{[]string{"-r", f, "-a", "duration"}, exitUsage, "dissect: -a \"duration\": only duration:SEC is supported (stop after SEC seconds); use -c N to stop after N records\n"},
		{[]string{"-r", f, "-a", "duration:-1"}, exitUsage, "dissect: -a \"duration:-1\": the duration must be a number of seconds greater than 0, e.g. duration:10\n"},
		{[]string{"-r", f, "-a", "duration:soon"}, exitUsage, "dissect: -a \"duration:soon\": the duration must be a number of seconds greater than 0, e.g. duration:10\n"},
		{[]string{"-q", "-r", f, "-w", "/nonexistent/dir/x.pcap"}, exitError, "dissect: -w: open /nonexistent/dir/x.pcap: no such file or directory\n"},
		{[]string{"-r", f, "-w", pcaps + "../pcaps/modbus-basic.pcap"}, exitUsage, "dissect: -w ../../testdata/pcaps/../pcaps/modbus-basic.pcap: that is the file -r reads; writing would destroy it\n"},
		{[]string{"-V"}, exitUsage, "dissect: no capture to read: give one with -r FILE, or capture live with -i IFACE (see dissect --help)\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, tt.args...)
			if code != tt.code || errOut != tt.want || out != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit %d, stderr %q", code, errOut, out, tt.code, tt.want)
			}
		})
	}
}

func TestParseAutostop(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"duration:10", 10 * time.Second, true},
		{"duration:1.5", 1500 * time.Millisecond, true},
		{"duration:0", 0, false},
		{"duration:", 0, false},
		{"packets:10", 0, false},
		{"duration:1e12", 0, false},
		{"10", 0, false},
	}
	for _, tt := range tests {
		got, err := parseAutostop(tt.in)
		if got != tt.want || (err == nil) != tt.ok || (err != nil && !strings.HasPrefix(err.Error(), fmt.Sprintf("-a %q: ", tt.in))) {
			t.Errorf("parseAutostop(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// Starting a live capture fails with one line saying what to do.
func TestLiveErrorMessages(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("eth9: %w", capture.ErrNoSuchInterface), "-i eth9: no such interface (dissect -D lists them)"},
		{fmt.Errorf("eth9: %w", capture.ErrPermission), "-i eth9: permission denied: run as root or give the binary cap_net_raw,cap_net_admin (sudo setcap cap_net_raw,cap_net_admin=eip PATH-TO-dissect)"},
		{fmt.Errorf("eth9: %w", capture.ErrInterfaceDown), "-i eth9: the interface is down (bring it up: ip link set eth9 up)"},
		{&capture.FilterError{Expr: "tcp prt 502", Err: errors.New("syntax error")}, `-f "tcp prt 502": syntax error in filter expression: syntax error`},
		{capture.ErrNoLibpcap, "-i eth9: live capture " + capture.ErrNoLibpcap.Error()},
		{errors.New("eth9: cannot capture: odd"), "-i eth9: eth9: cannot capture: odd"},
	}
	for _, tt := range tests {
		if got := liveError("eth9", tt.err); got != tt.want {
			t.Errorf("liveError(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

// -w saves the packets read; reading the saved file gives the same records.
func TestWriteSavesPackets(t *testing.T) {
	saved := filepath.Join(t.TempDir(), "saved.pcap")
	code, want, errOut := runCLI(t, nil, "-q", "-T", "ndjson", "-r", pcaps+"modbus-split.pcap", "-w", saved)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	code, got, errOut := runCLI(t, nil, "-T", "ndjson", "-r", saved)
	if code != 0 || got != want || want == "" {
		t.Fatalf("exit %d: records of the saved file differ:\n%s\n%s", code, diffLines(want, got), errOut)
	}
	if !strings.HasPrefix(errOut, "dissect: 118 packets,") {
		t.Errorf("saved file summary: %s", errOut)
	}
}

// Packets of an unsupported link type are counted, and the summary names
// the link type.
func TestUnsupportedLinkTypeSummary(t *testing.T) {
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	if err := w.WriteFileHeader(65535, layers.LinkTypeIEEE802_11); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		data := make([]byte, 40+i)
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, 0), CaptureLength: len(data), Length: len(data)}
		if err := w.WritePacket(ci, data); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "wifi.pcap")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, nil, "-r", path)
	want := "dissect: packets not decoded: unsupported link type 105 (802.11): 3\n"
	if code != 0 || out != "" || !strings.HasPrefix(errOut, "dissect: 3 packets,") || !strings.HasSuffix(errOut, want) {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant it to end with %q", code, out, errOut, want)
	}
}

// The progress bar, with a fake clock and writer: drawn over itself, with
// the rates and the time left, and erased.
func TestProgress(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := start
	var buf bytes.Buffer
	p := newProgress(&buf, 100e6, func() time.Time { return now })

	steps := []struct {
		after   time.Duration
		bytes   int64
		packets uint64
		want    string
	}{
		{0, 0, 0, "\r[....................]   0%  0.0/100.0 MB"},
		{2 * time.Second, 25e6, 50000, "\r[#####...............]  25%  25.0/100.0 MB  25000 pkt/s  12.5 MB/s  0:06 left"},
		{8 * time.Second, 100e6, 200000, "\r[####################] 100%  100.0/100.0 MB  25000 pkt/s  12.5 MB/s  0:00 left"},
	}
	for _, s := range steps {
		now = start.Add(s.after)
		p.bytes.Store(s.bytes)
		p.packets.Store(s.packets)
		buf.Reset()
		p.draw()
		if got := buf.String(); got != s.want {
			t.Errorf("at %v:\n got %q\nwant %q", s.after, got, s.want)
		}
	}
	// A shorter line pads over the longer one; finish erases the line.
	p.bytes.Store(0)
	buf.Reset()
	p.draw()
	long := len(steps[2].want) - 1
	if got := buf.String(); len(got) != long+1 || !strings.HasPrefix(got, steps[0].want) {
		t.Errorf("shorter line %q not padded to %d", got, long)
	}
	buf.Reset()
	p.finish() // the padding is blank already: the text drawn last is erased
	if got, want := buf.String(), "\r"+strings.Repeat(" ", len(steps[0].want)-1)+"\r"; got != want {
		t.Errorf("finish wrote %q, want %q", got, want)
	}
	buf.Reset()
	p.finish()
	if buf.Len() != 0 {
		t.Errorf("second finish wrote %q", buf.String())
	}
	if got := clock(3*time.Hour + 4*time.Minute + 5*time.Second); got != "3:04:05" {
		t.Errorf("clock = %q", got)
	}
}

// The progress bar is only drawn on a terminal: not in a pipe or a file.
func TestProgressOnlyOnTerminal(t *testing.T) {
	var buf bytes.Buffer
	if showProgress(io.Discard, &buf) {
		t.Error("progress on a buffer")
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if showProgress(io.Discard, f) {
		t.Error("progress on a file")
	}
	code := run([]string{"-r", pcaps + "modbus-many.pcap", "-T", "ndjson"}, nil, &buf, f)
	text, _ := os.ReadFile(f.Name())
	if code != 0 || bytes.ContainsAny(text, "\r#") {
		t.Errorf("exit %d, stderr %q", code, text)
	}
}

// SIGINT while a capture is read from a pipe stops the run cleanly: the
// connections still open are flushed, the summary printed, exit status 0.
func TestSignalStopsFileReading(t *testing.T) {
	data, err := os.ReadFile(pcaps + "modbus-many.pcap")
	if err != nil {
		t.Fatal(err)
	}
	rd, err := pcapgo.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var records [][]byte // each packet as a pcap record
	header := data[:24]
	for {
		pkt, ci, err := rd.ReadPacketData()
		if err != nil {
			break
		}
		var b bytes.Buffer
		w := pcapgo.NewWriter(&b)
		if err := w.WritePacket(ci, pkt); err != nil {
			t.Fatal(err)
		}
		records = append(records, b.Bytes())
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	var stdout, stderr syncBuf
	codec := make(chan int, 1)
	go func() { codec <- run([]string{"-T", "ndjson", "-r", "-"}, pr, &stdout, &stderr) }()

	// More than the pipe holds: once written, dissect is reading packets,
	// so it watches signals.
	pw.Write(header)
	half := len(records) / 2
	for _, r := range records[:half] {
		if _, err := pw.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	// A read waiting on the pipe sees the stop with the next packet.
	code := -1
	for _, r := range records[half:] {
		select {
		case code = <-codec:
		case <-time.After(5 * time.Millisecond):
			pw.Write(r)
			continue
		}
		break
	}
	pw.Close()
	if code == -1 {
		code = <-codec
	}
	var packets int
	fmt.Sscanf(stderr.String(), "dissect: %d packets,", &packets)
	// The packets read before the stop may be fewer than those written
	// (the pipe and the read buffer hold some), never all of them.
	if code != 0 || packets == 0 || packets >= len(records) || !strings.Contains(stderr.String(), "requests unanswered") {
		t.Errorf("exit %d after %d of %d packets (%d written before the signal); stderr:\n%s", code, packets, len(records), half, stderr.String())
	}
	if n := strings.Count(stdout.String(), "\n"); n == 0 {
		t.Error("no records")
	}
}

// syncBuf is a buffer written by a run while the test may read it.
type syncBuf struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuf) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuf) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
