package dissectors

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dissect-project/dissect/dissectors/library"
	"github.com/dissect-project/dissect/schema"
)

func TestDecodeAs(t *testing.T) {
	tests := []struct {
		rule    string
		wantErr string
		port    uint16 // a port the rule must bind (0: skip)
	}{
		{rule: "tcp.port==1502:modbus", port: 1502},
		{rule: "tcp.port==1502,modbus", port: 1502},
		{rule: "tcp.port == 1600-1602 : modbus", port: 1601},
		{rule: "tcp.port==1502", wantErr: "expected TRANSPORT.port==PORT:PROTOCOL"},
		{rule: "tcp.port=1502:modbus", wantErr: "expected TRANSPORT.port==PORT before the colon"},
		{rule: "sctp.port==1502:modbus", wantErr: `unknown selector "sctp.port"`},
		{rule: "tcp.port==70000:modbus", wantErr: `port "70000" is not a number from 1 to 65535`},
		{rule: "tcp.port==9-3:modbus", wantErr: "port range 9-3 is empty"},
		{rule: "tcp.port==1502:nosuch", wantErr: `no dissector named "nosuch"`},
		{rule: "udp.port==1502:modbus", wantErr: "modbus runs over tcp, not udp"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			reg := NewRegistry()
			if err := reg.LoadBundled(); err != nil {
				t.Fatal(err)
			}
			err := reg.DecodeAs(tt.rule)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("DecodeAs(%q) = %v, want an error containing %q", tt.rule, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			d, serverIsB := reg.Lookup("tcp", 40000, tt.port)
			if d == nil || d.Info().Name != "modbus" || !serverIsB {
				t.Fatalf("Lookup(40000, %d) = %v, %v; want modbus, server on %d", tt.port, d, serverIsB, tt.port)
			}
			d, serverIsB = reg.Lookup("tcp", tt.port, 40000)
			if d == nil || serverIsB {
				t.Fatalf("Lookup(%d, 40000) = %v, %v; want modbus with the server on %d", tt.port, d, serverIsB, tt.port)
			}
		})
	}
}

func TestLookupByPort(t *testing.T) {
	reg := NewRegistry()
	if err := reg.LoadBundled(); err != nil {
		t.Fatal(err)
	}
	if d, _ := reg.Lookup("tcp", 40000, 80); d != nil {
		t.Fatalf("port 80 found %s", d.Info().Name)
	}
	if d, _ := reg.Lookup("udp", 40000, 502); d != nil {
		t.Fatalf("udp/502 found %s; modbus is tcp only", d.Info().Name)
	}
	if d, b := reg.Lookup("tcp", 502, 40000); d == nil || b {
		t.Fatalf("server on the first port not found: %v %v", d, b)
	}
}

const echoSchema = `protocol echo {
    transport tcp
    ports 7000
    message Packet
}
framing {
    size u16(0) + 2
}
struct Packet {
    length u16
    data   []byte
}
`

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadPath(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good/echo.dsl", echoSchema)
	writeFile(t, dir, "good/sub/echo2.dsl", strings.Replace(strings.Replace(echoSchema, "echo", "echo2", 1), "7000", "7001", 1))
	writeFile(t, dir, "good/readme.txt", "not a schema")
	bad := writeFile(t, dir, "bad/a.dsl", "protocol a {\n  message Nope\n}\nstruct S { x u17 }\n")
	writeFile(t, dir, "bad/b.dsl", "protocol b { transport udp\n message M }\nstruct M { y Unknown }\n")
	writeFile(t, dir, "empty/notes.md", "")

	reg := NewRegistry()
	if err := reg.LoadPath(good); err != nil {
		t.Fatalf("LoadPath(file): %v", err)
	}
	if d, _ := reg.Lookup("tcp", 1234, 7000); d == nil || d.Info().Source != good {
		t.Fatalf("echo not bound to 7000 from %s", good)
	}
	if err := reg.LoadPath(filepath.Join(dir, "good")); err != nil {
		t.Fatalf("LoadPath(folder): %v", err)
	}
	if _, ok := reg.ByName("echo2"); !ok {
		t.Fatal("schema in a subfolder was not loaded")
	}

	err := reg.LoadPath(filepath.Join(dir, "bad"))
	if err == nil {
		t.Fatal("a folder of broken schemas loaded without error")
	}
	msg := err.Error()
	for _, want := range []string{
		bad + ":2:11: message Nope: no struct named Nope",
		bad + ":4:14: unknown type u17",
		filepath.Join(dir, "bad", "b.dsl") + ":3:14: unknown type Unknown",
		"struct S { x u17 }\n                 ^",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not mention %q:\n%s", want, msg)
		}
	}

	for path, want := range map[string]string{
		filepath.Join(dir, "nope.dsl"): "no such file or directory",
		filepath.Join(dir, "empty"):    "no .dsl files in it",
	} {
		if err := reg.LoadPath(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("LoadPath(%s) = %v, want %q", path, err, want)
		}
	}
}

// A user's schema with the name of a bundled one replaces it.
func TestRegisterReplaces(t *testing.T) {
	reg := NewRegistry()
	if err := reg.LoadBundled(); err != nil {
		t.Fatal(err)
	}
	p := writeFile(t, t.TempDir(), "modbus.dsl", strings.Replace(strings.Replace(echoSchema, "echo", "modbus", 1), "7000", "1502", 1))
	if err := reg.LoadPath(p); err != nil {
		t.Fatal(err)
	}
	if d, _ := reg.Lookup("tcp", 40000, 502); d != nil {
		t.Fatal("the replaced bundled dissector still owns port 502")
	}
	if d, _ := reg.Lookup("tcp", 40000, 1502); d == nil || d.Info().Source != p {
		t.Fatal("the user's modbus is not bound to 1502")
	}
	count := 0
	for _, d := range reg.List() {
		if d.Info().Name == "modbus" {
			count++
		}
	}
	if count != 1 {
		t.Fatalf("List has %d modbus dissectors, want 1", count)
	}
}

// The index the registry starts from says what the compiled schemas say:
// every protocol schema is listed, with its name, transports, ports and
// whether it has a heuristic.
func TestBundledIndex(t *testing.T) {
	files, err := fs.Glob(library.FS, "*.dsl")
	if err != nil {
		t.Fatal(err)
	}
	var want []library.Entry
	for _, file := range files {
		text, err := fs.ReadFile(library.FS, file)
		if err != nil {
			t.Fatal(err)
		}
		if !schema.DeclaresProtocol(text) {
			continue
		}
		want = append(want, library.Entry{File: file})
		e := &want[len(want)-1]
		sd, err := compileBundled(pendingSchema{entry: *e})
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		info := sd.Info()
		e.Name, e.Transports, e.Ports, e.Heuristic = info.Name, info.Transports, info.Ports, info.Heuristic
	}
	if !reflect.DeepEqual(library.Index, want) {
		t.Errorf("dissectors/library/index.go is out of date: run go generate ./dissectors/library\nhave %+v\nwant %+v", library.Index, want)
	}
}

// A run compiles only the bundled schemas its traffic uses (and the
// protocols those hand bytes to); listing or detecting by content compiles
// the rest as needed.
func TestBundledCompiledOnFirstUse(t *testing.T) {
	reg := NewRegistry()
	if err := reg.LoadBundled(); err != nil {
		t.Fatal(err)
	}
	if len(reg.byName) != 0 {
		t.Fatalf("%d schemas compiled before any use", len(reg.byName))
	}
	if d, serverIsB := reg.Lookup("tcp", 40000, 502); d == nil || d.Info().Name != "modbus" || !serverIsB {
		t.Fatalf("Lookup(tcp, 40000, 502) = %v, %v", d, serverIsB)
	}
	if len(reg.byName) != 1 {
		t.Errorf("after a Modbus lookup, %d schemas compiled, want 1", len(reg.byName))
	}
	// TPKT's COTP TPDUs stream their data to MMS and hand it to S7comm:
	// those are compiled with it, and linked.
	if d, _ := reg.Lookup("tcp", 40000, 102); d == nil || d.Info().Name != "tpkt" {
		t.Fatalf("port 102: %v", d)
	}
	for _, name := range []string{"tpkt", "mms", "s7comm"} {
		if _, ok := reg.byName[name]; !ok {
			t.Errorf("%s not compiled after a TPKT lookup", name)
		}
	}
	if _, ok := reg.byName["dns"]; ok {
		t.Error("DNS compiled, unused")
	}
	if d, _ := reg.Lookup("tcp", 40000, 39999); d != nil {
		t.Errorf("unbound ports: %v", d.Info().Name)
	}
	for _, det := range reg.Heuristics("udp") {
		if !det.Info().RunsOver("udp") || !det.Info().Heuristic {
			t.Errorf("udp heuristics: %s", det.Info().Name)
		}
	}
	if _, ok := reg.byName["kafka"]; ok {
		t.Error("Kafka (tcp, no heuristic) compiled for the UDP heuristics")
	}
	if got, want := len(reg.List()), len(library.Index); got != want {
		t.Errorf("List: %d dissectors, want %d", got, want)
	}
	if err := reg.Err(); err != nil {
		t.Error(err)
	}
}

// A bundled schema compiled on first use gets the limits the registry had
// when LoadBundled registered it, as one compiled at once would.
func TestBundledKeepsLoadTimeLimits(t *testing.T) {
	reg := NewRegistry()
	reg.Limits = schema.Limits{MaxDepth: 7}
	reg.MaxFrame = 100
	buffers := &BufferLimits{PerStream: 1000, Total: 2000}
	reg.Buffers = buffers
	if err := reg.LoadBundled(); err != nil {
		t.Fatal(err)
	}
	reg.Limits, reg.MaxFrame, reg.Buffers = schema.Limits{}, 0, nil
	d, _ := reg.Lookup("tcp", 40000, 502)
	sd, ok := d.(*SchemaDissector)
	if !ok {
		t.Fatalf("Lookup: %T", d)
	}
	if sd.Limits.MaxDepth != 7 || sd.MaxFrame != 100 || sd.Buffers != buffers {
		t.Errorf("limits %+v, max frame %d, buffers %p; want those set before LoadBundled", sd.Limits, sd.MaxFrame, sd.Buffers)
	}
}
