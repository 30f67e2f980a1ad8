package pipeline

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/dissectors/library"
)

// portlessRegistry loads the bundled library with every `ports` line
// removed, so that traffic reaches a dissector only by its heuristic.
func portlessRegistry(t testing.TB) *dissectors.Registry {
	t.Helper()
	dir := t.TempDir()
	ports := regexp.MustCompile(`(?m)^\s*ports\s+[0-9, ]+$`)
	err := fs.WalkDir(library.FS, ".", func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() || !strings.HasSuffix(p, ".dsl") {
			return err
		}
		text, err := fs.ReadFile(library.FS, p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, filepath.Base(p)), ports.ReplaceAll(text, nil), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	reg := dissectors.NewRegistry()
	if err := reg.LoadPath(dir); err != nil {
		t.Fatal(err)
	}
	if err := reg.Link(); err != nil {
		t.Fatal(err)
	}
	return reg
}

// On the public real captures, with no port bindings at all, heuristics
// find only the protocol each capture holds (or none, for protocols without
// a reliable signature), never another one.
func TestHeuristicsOnSharedCaptures(t *testing.T) {
	var files []string
	for _, dir := range []string{"../../shared/pcaps", "../../../shared/pcaps"} {
		for _, pat := range []string{"*.pcap", "*.pcapng"} {
			m, _ := filepath.Glob(filepath.Join(dir, pat))
			files = append(files, m...)
		}
	}
	if len(files) == 0 {
		t.Skip("no shared captures beside the repository")
	}
	allowed := map[string][]string{
		"dns":    nil, // no heuristic: DNS over TCP is too weak a signature
		"mms":    {"tpkt", "s7comm", "mms"},
		"modbus": {"modbus"},
		"mqtt":   {"mqtt"},
		"opcua":  {"opcua"},
		"dnp3":   {"dnp3", "dnp3udp"},
		"pgsql":  {"pgsql", "tls", "tls_handshake"},
		"tls":    {"tls", "tls_handshake"},
	}
	reg := portlessRegistry(t)
	for _, file := range files {
		family, _, _ := strings.Cut(filepath.Base(file), "-")
		want, known := allowed[family]
		if !known {
			continue
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			log := &protoLog{}
			if _, err := runFile(t, file, Config{Registry: reg, Sink: log}); err != nil {
				t.Logf("run: %v", err) // a truncated capture still counts
			}
			for _, l := range log.lines {
				proto := strings.Fields(l)[1]
				ok := false
				for _, w := range want {
					ok = ok || proto == w
				}
				if !ok {
					t.Errorf("a %s capture has a record of %s: %s", family, proto, l)
				}
			}
			t.Logf("%d frames found by heuristics", len(log.lines))
		})
	}
}
