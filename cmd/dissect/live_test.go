//go:build cgo

package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// -f works on files: a filter that keeps everything changes nothing, one
// that keeps nothing decodes nothing and says so, a bad one is one line.
func TestFilterOnFile(t *testing.T) {
	f := pcaps + "modbus-basic.pcap"
	_, all, _ := runCLI(t, nil, "-q", "-T", "ndjson", "-r", f)
	code, got, errOut := runCLI(t, nil, "-q", "-T", "ndjson", "-r", f, "-f", "tcp port 502")
	if code != 0 || got != all || all == "" {
		t.Errorf("-f 'tcp port 502': exit %d, records differ:\n%s\n%s", code, diffLines(all, got), errOut)
	}
	code, got, errOut = runCLI(t, nil, "-r", f, "-f", "udp")
	if code != 0 || got != "" || !strings.Contains(errOut, "dissect: 50 packets filtered out by -f \"udp\"\n") {
		t.Errorf("-f udp: exit %d, stdout %q, stderr:\n%s", code, got, errOut)
	}
	code, _, errOut = runCLI(t, nil, "-r", f, "-f", "tcp prt 502")
	if want := "dissect: -f \"tcp prt 502\": syntax error in filter expression: syntax error\n"; code != exitUsage || errOut != want {
		t.Errorf("bad filter: exit %d, stderr %q, want %q", code, errOut, want)
	}
	// -w with -f saves only the packets the filter keeps.
	saved := filepath.Join(t.TempDir(), "server.pcap")
	code, _, errOut = runCLI(t, nil, "-r", f, "-f", "src port 502", "-w", saved)
	var filtered int
	if i := strings.Index(errOut, "dissect: "); code != 0 || i < 0 {
		t.Fatalf("-w: exit %d: %s", code, errOut)
	}
	if _, err := fmt.Sscanf(errOut[strings.LastIndex(errOut, "dissect: "):], "dissect: %d packets filtered out", &filtered); err != nil {
		t.Fatalf("no filtered count: %v\n%s", err, errOut)
	}
	code, out, errOut := runCLI(t, nil, "-T", "ndjson", "-r", saved)
	if code != 0 || strings.Count(out, `"kind":"frame"`) != 22 || strings.Contains(out, `"direction":"request"`) ||
		!strings.HasPrefix(errOut, fmt.Sprintf("dissect: %d packets,", 50-filtered)) {
		t.Errorf("saved responses: exit %d, %d frames, stderr:\n%s", code, strings.Count(out, `"kind":"frame"`), errOut)
	}
}

func TestNoSuchInterface(t *testing.T) {
	code, out, errOut := runCLI(t, nil, "-i", "nosuch0")
	if want := "dissect: -i nosuch0: no such interface (dissect -D lists them)\n"; code != exitError || errOut != want || out != "" {
		t.Errorf("exit %d, stderr %q, want %q", code, errOut, want)
	}
}

func TestListInterfaces(t *testing.T) {
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		t.Skip("no loopback interface named lo")
	}
	code, out, errOut := runCLI(t, nil, "-D")
	if code != 0 {
		t.Skipf("-D: exit %d: %s", code, errOut) // no capture permission
	}
	found := false
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if !strings.HasPrefix(line, fmt.Sprintf("%d.", i+1)) {
			t.Errorf("line %d not numbered: %q", i+1, line)
		}
		if strings.HasPrefix(line, fmt.Sprintf("%d.lo ", i+1)) {
			found = true
			if lo.Flags&net.FlagUp != 0 && (!strings.Contains(line, "Loopback") || !strings.Contains(line, "127.0.0.1/8")) {
				t.Errorf("lo: %q", line)
			}
		}
	}
	if !found {
		t.Errorf("lo not listed:\n%s", out)
	}
}

// waitFor polls until cond holds, failing after timeout with what the run
// wrote.
func waitFor(t *testing.T, r *liveRun, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; stdout:\n%s\nstderr:\n%s", what, r.stdout.String(), r.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// liveRun is dissect running in the test process.
type liveRun struct {
	stdout, stderr syncBuf
	code           chan int
}

// startLive runs dissect with args (which must capture live) and waits
// until it listens. A -a duration in args bounds the run.
func startLive(t *testing.T, args ...string) *liveRun {
	t.Helper()
	r := &liveRun{code: make(chan int, 1)}
	go func() { r.code <- run(args, nil, &r.stdout, &r.stderr) }()
	waitFor(t, r, 10*time.Second, "dissect to listen", func() bool {
		select {
		case code := <-r.code:
			t.Fatalf("dissect ended with %d before listening: %s", code, r.stderr.String())
		default:
		}
		return strings.Contains(r.stderr.String(), "dissect: listening on ")
	})
	return r
}

// wait waits for dissect to end and returns its exit status.
func (r *liveRun) wait(t *testing.T) int {
	t.Helper()
	select {
	case code := <-r.code:
		return code
	case <-time.After(30 * time.Second):
		t.Fatalf("dissect did not stop; stderr:\n%s", r.stderr.String())
	}
	return -1
}

// needRoot skips a test that needs to capture.
func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("live capture needs root")
	}
	if _, err := net.InterfaceByName("lo"); err != nil {
		t.Skip("no loopback interface named lo")
	}
}

// modbusServer answers Read Holding Registers requests on a loopback port,
// except those whose transaction ID is in silent. It returns the port.
func modbusServer(t *testing.T, silent map[uint16]bool) uint16 {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				req := make([]byte, 12)
				for {
					if _, err := io.ReadFull(c, req); err != nil {
						return
					}
					tid, qty := binary.BigEndian.Uint16(req[0:]), binary.BigEndian.Uint16(req[10:])
					if silent[tid] {
						continue
					}
					resp := binary.BigEndian.AppendUint16(nil, tid)
					resp = binary.BigEndian.AppendUint16(resp, 0)
					resp = binary.BigEndian.AppendUint16(resp, 3+2*qty)
					resp = append(resp, req[6], 3, byte(2*qty))
					for i := range qty {
						resp = binary.BigEndian.AppendUint16(resp, 100+i)
					}
					if _, err := c.Write(resp); err != nil {
						return
					}
				}
			}()
		}
	}()
	return uint16(ln.Addr().(*net.TCPAddr).Port)
}

// modbusClient sends n requests (transaction IDs 1..n), each after the
// answer to the previous one when answered is set, and returns the
// connection, left open.
func modbusClient(t *testing.T, port uint16, n int, answered func(tid uint16) bool) net.Conn {
	c, err := net.Dial("tcp4", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	for tid := uint16(1); tid <= uint16(n); tid++ {
		qty := tid%5 + 1
		req := []byte{0, 0, 0, 0, 0, 6, 1, 3, 0, 0, 0, 0}
		binary.BigEndian.PutUint16(req[0:], tid)
		binary.BigEndian.PutUint16(req[8:], 40+tid)
		binary.BigEndian.PutUint16(req[10:], qty)
		if _, err := c.Write(req); err != nil {
			t.Fatal(err)
		}
		if answered(tid) {
			resp := make([]byte, 9+2*int(qty))
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, err := io.ReadFull(c, resp); err != nil {
				t.Fatalf("response %d: %v", tid, err)
			}
		}
	}
	return c
}

// liveRecord is what the tests look at in an NDJSON record.
type liveRecord struct {
	Event   struct{ Kind string }
	Network struct{ Protocol string }
	Dissect struct {
		Direction string
		Error     any
		Pair      struct{ Status string }
		Bytes     struct{ Seen, Decoded, Missing int }
	}
	Modbus struct {
		MBAP struct {
			TransactionID int `json:"transaction_id"`
		}
		Function struct{ Value int }
	}
}

// parseRecords returns the records of out, and apart those that sum up
// each direction of a stream when it closes (kind "stream").
func parseRecords(t *testing.T, out string) (recs, streams []liveRecord) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" {
			continue
		}
		var r liveRecord
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("bad record %q: %v", line, err)
		}
		if r.Event.Kind == "stream" {
			streams = append(streams, r)
			continue
		}
		recs = append(recs, r)
	}
	return recs, streams
}

// A real Modbus client and server talk over loopback while dissect captures
// with a filter; it stops by itself after -c records, every frame decoded.
// The packets saved with -w decode to the same records.
func TestLiveModbusCount(t *testing.T) {
	needRoot(t)
	const n = 20
	port := modbusServer(t, nil)
	saved := filepath.Join(t.TempDir(), "live.pcap")
	decodeAs := fmt.Sprintf("tcp.port==%d:modbus", port)
	r := startLive(t, "-i", "lo", "-f", fmt.Sprintf("tcp port %d", port), "-d", decodeAs,
		"-T", "ndjson", "-c", fmt.Sprint(2*n), "-a", "duration:30", "-p", "--snaplen", "1500", "-w", saved)
	if !strings.HasPrefix(r.stderr.String(), "dissect: listening on lo, link-type Ethernet, snapshot length 1500 bytes\n") {
		t.Errorf("stderr: %s", r.stderr.String())
	}
	modbusClient(t, port, n, func(uint16) bool { return true })
	if code := r.wait(t); code != 0 {
		t.Fatalf("exit %d: %s", code, r.stderr.String())
	}
	recs, _ := parseRecords(t, r.stdout.String())
	if len(recs) != 2*n {
		t.Fatalf("%d records, want %d:\n%s", len(recs), 2*n, r.stdout.String())
	}
	for i, rec := range recs {
		wantDir := []string{"request", "response"}[i%2]
		if rec.Event.Kind != "frame" || rec.Network.Protocol != "modbus" || rec.Dissect.Error != nil ||
			rec.Dissect.Direction != wantDir || rec.Modbus.MBAP.TransactionID != i/2+1 || rec.Modbus.Function.Value != 3 {
			t.Errorf("record %d: %+v", i, rec)
		}
	}
	if !strings.Contains(r.stderr.String(), fmt.Sprintf("%d records: %d frames (0 with errors)", 2*n, 2*n)) {
		t.Errorf("summary:\n%s", r.stderr.String())
	}
	code, out, errOut := runCLI(t, nil, "-q", "-r", saved, "-d", decodeAs, "-T", "ndjson", "-c", fmt.Sprint(2*n))
	if code != 0 || out != r.stdout.String() {
		t.Errorf("the saved packets: exit %d, records differ:\n%s\n%s", code, diffLines(r.stdout.String(), out), errOut)
	}
}

// SIGINT stops a live capture cleanly: the connection still open is
// flushed (its last request is reported unanswered), the summary printed,
// and the exit status is 0.
func TestLiveModbusSignal(t *testing.T) {
	needRoot(t)
	const n = 10
	port := modbusServer(t, map[uint16]bool{n: true})
	r := startLive(t, "-i", "lo", "-f", fmt.Sprintf("tcp port %d", port), "-d", fmt.Sprintf("tcp.port==%d:modbus", port),
		"-T", "ndjson", "-a", "duration:30", "-B", "8192")
	modbusClient(t, port, n, func(tid uint16) bool { return tid < n })
	waitFor(t, r, 10*time.Second, "the frames", func() bool { return strings.Count(r.stdout.String(), "\n") >= 2*n-1 })
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code := r.wait(t); code != 0 {
		t.Fatalf("exit %d: %s", code, r.stderr.String())
	}
	recs, streams := parseRecords(t, r.stdout.String())
	if len(recs) != 2*n {
		t.Fatalf("%d records, want %d:\n%s", len(recs), 2*n, r.stdout.String())
	}
	if last := recs[len(recs)-1]; last.Event.Kind != "unanswered" {
		t.Errorf("last record %+v, want the unanswered request", last)
	}
	// Both directions were closed at the stop, every byte decoded.
	if len(streams) != 2 {
		t.Errorf("%d stream records, want 2", len(streams))
	}
	for _, s := range streams {
		if s.Dissect.Bytes.Seen == 0 || s.Dissect.Bytes.Decoded != s.Dissect.Bytes.Seen || s.Dissect.Bytes.Missing != 0 {
			t.Errorf("%s bytes: %+v", s.Dissect.Direction, s.Dissect.Bytes)
		}
	}
	if !strings.Contains(r.stderr.String(), "1 requests unanswered") || !strings.Contains(r.stderr.String(), "packets received by filter") {
		t.Errorf("summary:\n%s", r.stderr.String())
	}
}

// -a duration stops a capture that sees nothing.
func TestLiveAutostop(t *testing.T) {
	needRoot(t)
	start := time.Now()
	r := startLive(t, "-i", "lo", "-f", "udp port 9", "-a", "duration:0.5")
	if code := r.wait(t); code != 0 || !strings.Contains(r.stderr.String(), "dissect: 0 packets,") {
		t.Fatalf("exit %d: %s", code, r.stderr.String())
	}
	if d := time.Since(start); d < 500*time.Millisecond {
		t.Errorf("stopped after %v", d)
	}
}

// A generated capture replayed with tcpreplay onto a veth pair decodes
// live to the same records as reading the file.
func TestLiveReplay(t *testing.T) {
	needRoot(t)
	for _, tool := range []string{"tcpreplay", "ip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	a, b := fmt.Sprintf("dsr%da", os.Getpid()%100000), fmt.Sprintf("dsr%db", os.Getpid()%100000)
	if out, err := exec.Command("ip", "link", "add", a, "type", "veth", "peer", "name", b).CombinedOutput(); err != nil {
		t.Skipf("cannot create a veth pair: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "link", "del", a).Run() })
	for _, args := range [][]string{
		{"sysctl", "-q", "-w", "net.ipv6.conf." + a + ".disable_ipv6=1"},
		{"sysctl", "-q", "-w", "net.ipv6.conf." + b + ".disable_ipv6=1"},
		{"ip", "link", "set", a, "up"},
		{"ip", "link", "set", b, "up"},
	} {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil && args[0] == "ip" {
			t.Fatalf("%v: %v: %s", args, err, out)
		}
	}
	for _, name := range []string{"modbus-basic.pcap", "modbus-split.pcap", "modbus-ooo-retrans.pcap", "modbus-vlan-ipv6.pcap"} {
		t.Run(name, func(t *testing.T) {
			// The packets the filter keeps, numbered as live.
			file := filepath.Join(t.TempDir(), name)
			if code, _, errOut := runCLI(t, nil, "-q", "-r", pcaps+name, "-f", "tcp or (vlan and tcp)", "-w", file); code != 0 {
				t.Fatalf("-w: exit %d: %s", code, errOut)
			}
			_, want, _ := runCLI(t, nil, "-q", "-T", "ndjson", "-r", file)
			wantRecs := stripTimes(want)
			frames := strings.Count(want, `"kind":"frame"`)
			// Records that come when a connection ends (unanswered
			// requests, byte accounting) come at the end of the file, and
			// live when the capture stops: stop once every frame is in,
			// and the packets after the last frame (ACKs, FINs, which the
			// byte accounting names) had time to come through the kernel
			// (which hands packets over at least every 100ms).
			r := startLive(t, "-i", b, "-f", "tcp or (vlan and tcp)", "-T", "ndjson", "-a", "duration:20")
			if out, err := exec.Command("tcpreplay", "-q", "-i", a, file).CombinedOutput(); err != nil {
				t.Fatalf("tcpreplay: %v: %s", err, out)
			}
			waitFor(t, r, 15*time.Second, "the frames", func() bool { return strings.Count(r.stdout.String(), `"kind":"frame"`) >= frames })
			time.Sleep(time.Second)
			if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			if code := r.wait(t); code != 0 {
				t.Fatalf("exit %d: %s", code, r.stderr.String())
			}
			got := stripTimes(r.stdout.String())
			if strings.Join(got, "\n") != strings.Join(wantRecs, "\n") {
				t.Errorf("live records differ from the file's (%d and %d):\n%s", len(got), len(wantRecs),
					diffLines(strings.Join(wantRecs, "\n"), strings.Join(got, "\n")))
			}
		})
	}
}

// stripTimes returns the NDJSON records without their capture-time fields,
// which differ between a file and its replay.
func stripTimes(out string) []string {
	var recs []string
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) != nil {
			recs = append(recs, line)
			continue
		}
		delete(m, "@timestamp")
		if d, ok := m["dissect"].(map[string]any); ok {
			if p, ok := d["pair"].(map[string]any); ok {
				delete(p, "latency_ms")
			}
		}
		b, _ := json.Marshal(m)
		recs = append(recs, string(b))
	}
	return recs
}

// Without the right to capture, -i says how to get it. The built binary
// runs as the user nobody.
func TestLivePermissionDenied(t *testing.T) {
	needRoot(t)
	if testing.Short() {
		t.Skip("builds dissect: skipped in -short mode")
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("setpriv not installed")
	}
	dir, err := os.MkdirTemp("", "dissect-perm")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "dissect")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", bin, "-i", "lo")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	ee, ok := err.(*exec.ExitError)
	want := "dissect: -i lo: permission denied: run as root or give the binary cap_net_raw,cap_net_admin (sudo setcap cap_net_raw,cap_net_admin=eip PATH-TO-dissect)\n"
	if !ok || ee.ExitCode() != exitError || stderr.String() != want || stdout.Len() != 0 {
		t.Errorf("as nobody: %v, stderr %q; want exit 1, %q", err, stderr.String(), want)
	}
}

// An interface that is down is one line saying how to bring it up.
func TestLiveInterfaceDown(t *testing.T) {
	needRoot(t)
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("ip not installed")
	}
	a, b := fmt.Sprintf("dsd%da", os.Getpid()%100000), fmt.Sprintf("dsd%db", os.Getpid()%100000)
	if out, err := exec.Command("ip", "link", "add", a, "type", "veth", "peer", "name", b).CombinedOutput(); err != nil {
		t.Skipf("cannot create a veth pair: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "link", "del", a).Run() })
	code, out, errOut := runCLI(t, nil, "-i", a)
	want := fmt.Sprintf("dissect: -i %s: the interface is down (bring it up: ip link set %s up)\n", a, a)
	if code != exitError || errOut != want || out != "" {
		t.Errorf("exit %d, stderr %q, want %q", code, errOut, want)
	}
}
