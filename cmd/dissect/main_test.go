package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const pcaps = "../../testdata/pcaps/"

func runCLI(t *testing.T, stdin []byte, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, bytes.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// Golden files pin the exact text a user sees. Run `go test ./cmd/dissect
// -update` to rewrite them after an intended change, and review the diff.
func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"basic-summary", []string{"-r", pcaps + "modbus-basic.pcap"}},
		{"basic-tree", []string{"-r", pcaps + "modbus-basic.pcap", "-V", "-c", "8"}},
		{"basic-hex", []string{"-r", pcaps + "modbus-basic.pcap", "-x", "-c", "4"}},
		{"midstream-summary", []string{"-r", pcaps + "modbus-midstream.pcap"}},
		{"midstream-ndjson", []string{"-r", pcaps + "modbus-midstream.pcap", "-T", "ndjson"}},
		{"basic-ndjson-wireshark-names", []string{"-r", pcaps + "modbus-basic.pcap", "-T", "ndjson", "--wireshark-names", "-c", "6"}},
		{"split-tree", []string{"-r", pcaps + "modbus-split.pcap", "-V", "-c", "6"}},
		{"list", []string{"list"}},
	}
	// One summary file per protocol, from its generated capture, so that
	// a schema's Info line (read against tshark's) does not regress.
	for _, c := range []struct{ proto, capture string }{
		{"ads", "ads-basic.pcap"}, {"amqp", "amqp-basic.pcap"}, {"bgp", "bgp-session.pcap"},
		{"cassandra", "cassandra-basic.pcap"}, {"coap", "coap-basic.pcap"}, {"dnp3", "dnp3-session.pcap"},
		{"dnp3udp", "dnp3-udp.pcap"}, {"enip", "enip-session.pcap"}, {"fins", "fins-udp-tcp.pcap"},
		{"hartip", "hartip-udp-tcp.pcap"}, {"iec104", "iec104-session.pcap"}, {"kafka", "kafka-session.pcap"},
		{"memcache", "memcache-basic.pcap"}, {"mms", "mms-association.pcap"}, {"mongodb", "mongodb-basic.pcap"},
		{"mqtt", "mqtt-heuristic-port18830.pcap"}, {"mysql", "mysql-basic.pcap"}, {"ntp", "ntp-basic.pcap"},
		{"opcua", "opcua-session.pcap"}, {"openflow", "openflow-10-13.pcap"}, {"s7comm", "s7comm-basic.pcap"},
		{"stun", "stun-basic.pcap"},
	} {
		tests = append(tests, struct {
			name string
			args []string
		}{"summary-" + c.proto, []string{"-r", pcaps + c.capture}})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--color", "never"}, tt.args...)
			code, out, errOut := runCLI(t, nil, args...)
			if code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", code, errOut)
			}
			got := out + "--- stderr ---\n" + errOut
			path := filepath.Join("testdata", "golden", tt.name+".txt")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/dissect -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (run with -update to accept):\n%s", path, diffLines(string(want), got))
			}
		})
	}
}

func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + itoa(i+1) + ":\n  want: " + a + "\n  got:  " + b
		}
	}
	return ""
}

func itoa(i int) string { return strconv.Itoa(i) }

// The same capture through stdin, gzip and pcapng gives the same records.
func TestInputForms(t *testing.T) {
	_, want, _ := runCLI(t, nil, "-q", "-T", "ndjson", "-r", pcaps+"modbus-basic.pcap")
	raw, err := os.ReadFile(pcaps + "modbus-basic.pcap")
	if err != nil {
		t.Fatal(err)
	}
	gz, err := os.ReadFile(pcaps + "modbus-basic.pcap.gz")
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]string{
		"stdin":      stdout(runCLI(t, raw, "-q", "-T", "ndjson", "-r", "-")),
		"gzip stdin": stdout(runCLI(t, gz, "-q", "-T", "ndjson", "-r", "-")),
		"gzip file":  stdout(runCLI(t, nil, "-q", "-T", "ndjson", "-r", pcaps+"modbus-basic.pcap.gz")),
		"pcapng":     stdout(runCLI(t, nil, "-q", "-T", "ndjson", "-r", pcaps+"modbus-basic.pcapng")),
	} {
		if got != want || want == "" {
			t.Errorf("%s: records differ from the pcap's:\n%s", name, diffLines(want, got))
		}
	}
}

func stdout(_ int, out, _ string) string { return out }

func TestNDJSONRecords(t *testing.T) {
	code, out, _ := runCLI(t, nil, "-q", "-T", "ndjson", "-r", pcaps+"modbus-many.pcap")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var lines []string
	streams := 0
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if !strings.Contains(line, `"kind":"stream"`) {
			lines = append(lines, line)
			continue
		}
		streams++
		var acct struct {
			Dissect struct {
				Length int
				Bytes  struct{ Seen, Decoded, Skipped, Incomplete, Missing int }
			}
		}
		if err := json.Unmarshal([]byte(line), &acct); err != nil {
			t.Fatalf("%v\n%s", err, line)
		}
		b := acct.Dissect.Bytes
		if b.Seen == 0 || b.Seen != b.Decoded+b.Skipped+b.Incomplete || acct.Dissect.Length != b.Seen+b.Missing {
			t.Errorf("byte accounting does not add up:\n%s", line)
		}
	}
	if len(lines) != 2368 {
		t.Fatalf("%d records, want 2368", len(lines))
	}
	if streams == 0 {
		t.Fatal("no stream accounting records")
	}
	for i, line := range lines {
		var rec struct {
			Timestamp string `json:"@timestamp"`
			Network   struct{ Transport, Protocol string }
			Source    struct {
				IP   string
				Port int
			}
			Destination struct {
				IP   string
				Port int
			}
			Dissect struct {
				Stream    *int
				Direction string
				Offset    *int
				Packets   struct{ First, Last int }
			}
			Modbus struct {
				MBAP struct {
					TransactionID *int `json:"transaction_id"`
				}
				Function struct {
					Value *int
					Name  string
				}
			}
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("line %d: %v\n%s", i+1, err, line)
		}
		if rec.Timestamp == "" || rec.Network.Transport != "tcp" || rec.Network.Protocol != "modbus" ||
			rec.Source.IP == "" || rec.Destination.Port == 0 || rec.Dissect.Stream == nil || rec.Dissect.Offset == nil ||
			rec.Dissect.Packets.First == 0 || rec.Dissect.Packets.Last < rec.Dissect.Packets.First ||
			rec.Modbus.MBAP.TransactionID == nil || rec.Modbus.Function.Value == nil {
			t.Fatalf("line %d lacks a field:\n%s", i+1, line)
		}
		if (rec.Dissect.Direction == "request") != (rec.Destination.Port == 502) {
			t.Fatalf("line %d: direction %s to port %d", i+1, rec.Dissect.Direction, rec.Destination.Port)
		}
	}
}

func TestDecodeAs(t *testing.T) {
	// With modbus moved to another port, and without its heuristic, port
	// 502 traffic is left alone...
	dir := t.TempDir()
	schemaText := strings.Replace(mustRead(t, "../../dissectors/library/modbus.dsl"), "ports       502", "ports       1502", 1)
	schemaText = regexp.MustCompile(`(?s)\nheuristic \{.*?\n\}\n`).ReplaceAllString(schemaText, "\n")
	p := filepath.Join(dir, "modbus.dsl")
	if err := os.WriteFile(p, []byte(schemaText), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ := runCLI(t, nil, "-q", "-s", p, "-r", pcaps+"modbus-basic.pcap")
	if out != "" {
		t.Fatalf("a schema bound to 1502 decoded port 502 traffic:\n%s", out)
	}
	// ...until --decode-as puts it back.
	_, out, _ = runCLI(t, nil, "-q", "-s", p, "-d", "tcp.port==502:modbus", "-r", pcaps+"modbus-basic.pcap")
	if n := strings.Count(out, "\n"); n != 44 {
		t.Fatalf("--decode-as: %d lines, want 44", n)
	}
}

func mustRead(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Bad input of every kind gets a clear message and a non-zero exit, never a
// stack trace.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	notCapture := filepath.Join(dir, "notes.txt")
	os.WriteFile(notCapture, []byte("hello, this is not a capture file at all"), 0o644)
	empty := filepath.Join(dir, "empty.pcap")
	os.WriteFile(empty, nil, 0o644)
	broken := filepath.Join(dir, "broken.dsl")
	os.WriteFile(broken, []byte("protocol p {\n  message M\n}\nframing { size u16(0) }\nstruct M {\n  a u17\n  b [n]u8\n}\n"), 0o644)

	tests := []struct {
		name     string
		args     []string
		code     int
		stderr   []string // substrings
		stdoutOK bool     // stdout may have records
	}{
		{"no arguments", nil, 2, []string{"no capture to read: give one with -r FILE"}, false},
		{"missing file", []string{"-r", filepath.Join(dir, "nope.pcap")}, 1, []string{"nope.pcap", "no such file"}, false},
		{"not a capture", []string{"-r", notCapture}, 1, []string{"notes.txt", "not a capture file"}, false},
		{"empty file", []string{"-r", empty}, 1, []string{"empty.pcap"}, false},
		{"unknown format", []string{"-T", "xml", "-r", pcaps + "modbus-basic.pcap"}, 2, []string{`-T "xml": unknown output format; expected text or ndjson`}, false},
		{"wireshark names without ndjson", []string{"--wireshark-names", "-r", pcaps + "modbus-basic.pcap"}, 2, []string{"--wireshark-names names the fields of -T ndjson output"}, false},
		{"unknown flag", []string{"--frobnicate"}, 2, []string{"unknown flag: --frobnicate"}, false},
		{"bad colour", []string{"--color", "sometimes", "-r", pcaps + "modbus-basic.pcap"}, 2, []string{`--color "sometimes"`}, false},
		{"negative count", []string{"-c", "-1", "-r", pcaps + "modbus-basic.pcap"}, 2, []string{"-c -1"}, false},
		{"stray argument", []string{"-r", pcaps + "modbus-basic.pcap", "extra"}, 2, []string{`unexpected argument "extra"`}, false},
		{"bad decode-as", []string{"-d", "tcp.port==502:nope", "-r", pcaps + "modbus-basic.pcap"}, 2, []string{`no dissector named "nope"`}, false},
		{"schema errors, all listed with positions", []string{"-s", broken, "-r", pcaps + "modbus-basic.pcap"}, 2,
			[]string{broken + ":6:5: unknown type u17", broken + ":7:6: unknown name n", "  a u17\n        ^"}, false},
		{"missing schema", []string{"-s", filepath.Join(dir, "none.dsl"), "list"}, 2, []string{"none.dsl", "no such file"}, false},
		{"bad buffer size", []string{"--max-buffer-per-stream", "lots", "-r", pcaps + "modbus-basic.pcap"}, 2, []string{`--max-buffer-per-stream "lots": not a size`}, false},
		{"tiny buffer size", []string{"--max-buffer-total", "10", "-r", pcaps + "modbus-basic.pcap"}, 2, []string{`--max-buffer-total "10": must be at least 1KiB`}, false},
		{"per-stream above total", []string{"--max-buffer-per-stream", "2MiB", "--max-buffer-total", "1MiB", "-r", pcaps + "modbus-basic.pcap"}, 2, []string{"--max-buffer-per-stream 2MiB is more than --max-buffer-total 1MiB"}, false},
		{"no connections", []string{"--max-connections", "0", "-r", pcaps + "modbus-basic.pcap"}, 2, []string{"--max-connections 0: must be 1 or more"}, false},
		{"zero timeout", []string{"--udp-timeout", "0s", "-r", pcaps + "modbus-basic.pcap"}, 2, []string{"--udp-timeout 0s: must be more than 0"}, false},
		{"huge size", []string{"--max-frag-buffer", "99999999GiB", "-r", pcaps + "modbus-basic.pcap"}, 2, []string{`--max-frag-buffer "99999999GiB": too large`}, false},
		{"truncated capture", []string{"-r", pcaps + "modbus-truncated.pcap"}, 1,
			[]string{"modbus-truncated.pcap: file truncated at byte 4409, in the record after packet 46", "43 frames"}, true},
		{"truncated capture, 2 workers", []string{"-j", "2", "-r", pcaps + "modbus-truncated.pcap"}, 1,
			[]string{"modbus-truncated.pcap: file truncated at byte 4409, in the record after packet 46", "43 frames"}, true},
		{"no workers", []string{"-j", "0", "-r", pcaps + "modbus-basic.pcap"}, 2, []string{"-j 0: the number of workers must be from 1 to 64"}, false},
		{"too many workers", []string{"-j", "65", "-r", pcaps + "modbus-basic.pcap"}, 2, []string{"-j 65: the number of workers must be from 1 to 64"}, false},
		{"unwritable profile", []string{"--cpuprofile", filepath.Join(dir, "no", "cpu.prof"), "-r", pcaps + "modbus-basic.pcap"}, 2, []string{"--cpuprofile", "no such file"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, errOut)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
				t.Errorf("stack trace on stderr:\n%s", errOut)
			}
			if !tt.stdoutOK && out != "" {
				t.Errorf("unexpected stdout:\n%s", out)
			}
		})
	}
}

// -j N writes exactly what -j 1 writes, summary included.
func TestJobs(t *testing.T) {
	for _, args := range [][]string{
		{"-r", pcaps + "modbus-many.pcap"},
		{"-r", pcaps + "modbus-coalesced.pcap", "-V", "-x"},
		{"-r", pcaps + "modbus-ooo-retrans.pcap", "-T", "ndjson"},
		{"-r", pcaps + "modbus-midstream.pcap", "-T", "ndjson"},
	} {
		code1, out1, err1 := runCLI(t, nil, append(args, "-j", "1")...)
		code2, out2, err2 := runCLI(t, nil, append(args, "-j", "2")...)
		if code1 != 0 || code2 != code1 || out2 != out1 || err2 != err1 || out1 == "" {
			t.Errorf("%v: -j 2 (exit %d, %d bytes) differs from -j 1 (exit %d, %d bytes); stderr:\n%s\n%s", args, code2, len(out2), code1, len(out1), err2, err1)
		}
	}
}

// --cpuprofile and --memprofile write profiles pprof reads.
func TestProfiles(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof")
	code, _, errOut := runCLI(t, nil, "-r", pcaps+"modbus-many.pcap", "-q", "--cpuprofile", cpu, "--memprofile", mem)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, f := range []string{cpu, mem} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// Profiles are gzip-compressed protocol buffers.
		if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
			t.Errorf("%s: not a gzip-compressed profile (%d bytes)", f, len(b))
		}
	}
}

func TestHelpAndVersion(t *testing.T) {
	code, _, errOut := runCLI(t, nil, "--help")
	if code != 0 || !strings.Contains(errOut, "Examples:") || !strings.Contains(errOut, "--decode-as") {
		t.Errorf("--help: exit %d\n%s", code, errOut)
	}
	code, out, _ := runCLI(t, nil, "--version")
	if code != 0 || !strings.HasPrefix(out, "dissect ") {
		t.Errorf("--version: exit %d, %q", code, out)
	}
}

func TestCheck(t *testing.T) {
	code, out, _ := runCLI(t, nil, "check")
	if code != 0 || !strings.Contains(out, "library/modbus.dsl: ok: protocol modbus") || !strings.Contains(out, "a library of types") {
		t.Errorf("check of the bundled library: exit %d\n%s", code, out)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.dsl")
	os.WriteFile(good, []byte("import \"types.dsl\"\nprotocol p { transport udp; message M }\nstruct M { h H; u Unused }\nstruct Unused { a u8 }\nstruct Spare { b u8 }"), 0o644)
	os.WriteFile(filepath.Join(dir, "types.dsl"), []byte("struct H { v u8 }"), 0o644)
	bad := filepath.Join(dir, "bad.dsl")
	os.WriteFile(bad, []byte("protocol p { transport udp; message M }\nstruct M { a u17; b Nope }"), 0o644)
	code, out, _ = runCLI(t, nil, "check", good, bad, filepath.Join(dir, "types.dsl"))
	for _, want := range []string{
		good + ":5:8: warning: struct Spare is never used",
		good + ": ok: protocol p, 4 structs, 0 enums, 1 warning(s)",
		bad + ":2:14: unknown type u17",
		bad + ":2:21: unknown type Nope",
		bad + ": 2 error(s), 0 warning(s)",
		filepath.Join(dir, "types.dsl") + ": ok: a library of types, 0 warning(s)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	if code != 1 {
		t.Errorf("exit %d with a broken schema, want 1", code)
	}
}
