package pcapgen

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pcapsDir is where the generated files are committed.
var pcapsDir = filepath.Join("..", "..", "testdata", "pcaps")

const regenerate = "run `go generate ./internal/pcapgen` to regenerate testdata/pcaps"

// scenarioBytes returns the bytes s writes.
func scenarioBytes(t *testing.T, s Scenario) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := s.Write(&b); err != nil {
		t.Fatalf("%s: %v", s.File, err)
	}
	return b.Bytes()
}

func gunzip(b []byte) []byte {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	plain, _ := io.ReadAll(zr)
	return plain
}

// scenarioCounts is the comparable part of a Scenario.
type scenarioCounts struct {
	packets, requests, responses, exceptions, conns int
	truncated                                       bool
}

func counts(s Scenario) scenarioCounts {
	return scenarioCounts{s.Packets, s.Requests, s.Responses, s.Exceptions, s.Conns, s.Truncated}
}

func TestScenariosAreDeterministic(t *testing.T) {
	first, second := Scenarios(), Scenarios()
	if len(first) != len(second) {
		t.Fatalf("Scenarios returned %d then %d scenarios", len(first), len(second))
	}
	for i, s := range first {
		t.Run(s.File, func(t *testing.T) {
			again := second[i]
			a, b := scenarioBytes(t, s), scenarioBytes(t, s)
			if !bytes.Equal(a, b) {
				t.Fatal("writing the same Scenario twice gave different bytes")
			}
			if c := scenarioBytes(t, again); !bytes.Equal(a, c) {
				t.Fatal("two calls of Scenarios gave different bytes")
			}
			if counts(s) != counts(again) {
				t.Fatalf("two calls of Scenarios gave %+v then %+v", counts(s), counts(again))
			}

			committed, err := os.ReadFile(filepath.Join(pcapsDir, s.File))
			if err != nil {
				t.Fatalf("%v; %s", err, regenerate)
			}
			if !bytes.Equal(a, committed) {
				msg := "testdata/pcaps/" + s.File + " is stale"
				if strings.HasSuffix(s.File, ".gz") && bytes.Equal(gunzip(a), gunzip(committed)) {
					msg += " (only the gzip compression differs: another Go version's compress/flate?)"
				}
				t.Fatalf("%s: %s", msg, regenerate)
			}
		})
	}
}

func TestReadmeIsCurrent(t *testing.T) {
	want, err := Readme(Scenarios())
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(pcapsDir, "README.md"))
	if err != nil {
		t.Fatalf("%v; %s", err, regenerate)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("testdata/pcaps/README.md is stale: %s", regenerate)
	}
}

func TestScenarioList(t *testing.T) {
	scs := Scenarios()
	seen := map[string]bool{}
	for _, s := range scs {
		if seen[s.File] {
			t.Errorf("%s listed twice", s.File)
		}
		seen[s.File] = true
		if _, err := FormatOf(s.File); err != nil {
			t.Error(err)
		}
		if s.Doc == "" || strings.Contains(s.Doc, "\n") {
			t.Errorf("%s: Doc %q is not one line", s.File, s.Doc)
		}
		if s.Exceptions > s.Responses || s.Requests == 0 || s.Conns == 0 || s.Packets == 0 {
			t.Errorf("%s: implausible counts %+v", s.File, s)
		}
	}
	for _, name := range []string{
		"modbus-basic.pcap", "modbus-basic.pcapng", "modbus-basic.pcap.gz",
		"modbus-split.pcap", "modbus-coalesced.pcap", "modbus-ooo-retrans.pcap",
		"modbus-midstream.pcap", "modbus-vlan-ipv6.pcap", "modbus-many.pcap",
		"modbus-truncated.pcap",
	} {
		if !seen[name] {
			t.Errorf("scenario %s missing", name)
		}
	}

	// The three modbus-basic files carry the same packets.
	var basic []Scenario
	for _, s := range scs {
		if strings.HasPrefix(s.File, "modbus-basic.") {
			basic = append(basic, s)
		}
	}
	for _, s := range basic[1:] {
		if counts(s) != counts(basic[0]) {
			t.Errorf("modbus-basic variants differ: %+v, %+v", counts(basic[0]), counts(s))
		}
	}
}

func TestFolderSize(t *testing.T) {
	total := 0
	for _, s := range Scenarios() {
		total += len(scenarioBytes(t, s))
	}
	if total > 600<<10 {
		t.Errorf("generated captures take %d bytes; keep testdata/pcaps well under 1 MB", total)
	}
}
