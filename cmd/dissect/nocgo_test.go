package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The module builds without cgo, and that dissect reads files while -i, -D
// and -f say they need a build with libpcap.
func TestCgoFreeBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the module: skipped in -short mode")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not in PATH")
	}
	env := append(os.Environ(), "CGO_ENABLED=0")
	all := exec.Command(gobin, "build", "./...")
	all.Dir, all.Env = "../..", env
	if out, err := all.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build ./...: %v\n%s", err, out)
	}
	bin := filepath.Join(t.TempDir(), "dissect")
	build := exec.Command(gobin, "build", "-o", bin, ".")
	build.Env = env
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build: %v\n%s", err, out)
	}
	const need = "needs a build with libpcap (this dissect was built without cgo: build it with CGO_ENABLED=1 and libpcap-dev installed)\n"
	tests := []struct {
		args   []string
		code   int
		stderr string // the whole stderr, or its start when stdout is expected
		stdout bool
	}{
		{[]string{"-r", pcaps + "modbus-basic.pcap", "-c", "2"}, 0, "dissect: ", true},
		{[]string{"-i", "lo"}, 1, "dissect: -i lo: live capture " + need, false},
		{[]string{"-D"}, 1, "dissect: -D: listing interfaces " + need, false},
		{[]string{"-r", pcaps + "modbus-basic.pcap", "-f", "tcp"}, 2, "dissect: -f \"tcp\": a capture filter " + need, false},
	}
	for _, tt := range tests {
		cmd := exec.Command(bin, tt.args...)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		okErr := stderr.String() == tt.stderr || (tt.stdout && strings.HasPrefix(stderr.String(), tt.stderr))
		if code != tt.code || !okErr || (stdout.Len() > 0) != tt.stdout {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d, stderr %q", tt.args, code, stdout.String(), stderr.String(), tt.code, tt.stderr)
		}
	}
}
