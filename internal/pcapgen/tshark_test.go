package pcapgen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTshark has tshark count the Modbus/TCP PDUs of the in-order captures.
// tshark 4.0 does not reassemble out-of-order segments by default and its
// Modbus/TCP dissector ignores an ADU whose first segment is shorter than 8
// bytes, so only captures free of both are checked.
func TestTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	if testing.Short() {
		t.Skip("slow; skipped in -short mode")
	}
	checked := map[string]bool{
		"modbus-basic.pcap":     true,
		"modbus-basic.pcapng":   true,
		"modbus-basic.pcap.gz":  true,
		"modbus-vlan-ipv6.pcap": true,
		"modbus-many.pcap":      true,
	}
	dir := t.TempDir()
	for _, s := range Scenarios() {
		if !checked[s.File] {
			continue
		}
		t.Run(s.File, func(t *testing.T) {
			t.Parallel()
			name := filepath.Join(dir, s.File)
			if err := os.WriteFile(name, scenarioBytes(t, s), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(tshark, "-n", "-r", name, "-Y", "mbtcp", "-T", "fields", "-e", "mbtcp.trans_id")
			cmd.Env = append(os.Environ(), "HOME="+dir) // no user preferences
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("tshark: %v", err)
			}
			pdus := 0
			for line := range strings.Lines(string(out)) {
				if line = strings.TrimSpace(line); line != "" {
					pdus += len(strings.Split(line, ","))
				}
			}
			if want := s.Requests + s.Responses; pdus != want {
				t.Errorf("tshark found %d Modbus/TCP PDUs, Scenario says %d requests + %d responses", pdus, s.Requests, s.Responses)
			}
		})
	}
}
