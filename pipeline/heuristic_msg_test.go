package pipeline

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dissect-project/dissect/dissectors"
)

// The messaging and database heuristics, with no port bindings at all:
// each finds its own protocol in the generator's capture of it, and none
// claims a connection of the project's other captures.
func TestMessagingHeuristicsOnGeneratedCaptures(t *testing.T) {
	own := map[string][]string{
		"amqp":      {"amqp"},
		"memcache":  {"memcache", "memcache_udp"},
		"mongodb":   {"mongodb"},
		"mysql":     {"mysql"},
		"cassandra": {"cassandra", "cassandra_frames"},
	}
	var messaging []string
	for _, ps := range own {
		messaging = append(messaging, ps...)
	}
	files, _ := filepath.Glob("../testdata/pcaps/*.pcap")
	if len(files) == 0 {
		t.Fatal("no generated captures in testdata/pcaps")
	}
	reg := portlessRegistry(t)
	byPort := dissectors.NewRegistry()
	if err := byPort.LoadBundled(); err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, reg *dissectors.Registry, file string) []string {
		log := &protoLog{}
		if _, err := runFile(t, file, Config{Registry: reg, Sink: log}); err != nil {
			t.Logf("run: %v", err) // a truncated capture still counts
		}
		return log.lines
	}
	for _, file := range files {
		family, _, _ := strings.Cut(filepath.Base(file), "-")
		t.Run(filepath.Base(file), func(t *testing.T) {
			lines := run(t, reg, file)
			found := 0
			for _, l := range lines {
				proto := strings.Fields(l)[1]
				switch {
				case slices.Contains(own[family], proto):
					found++
				case slices.Contains(messaging, proto):
					t.Errorf("a %s capture has a record of %s: %s", family, proto, l)
				}
			}
			if own[family] == nil {
				return
			}
			// Found by content, every connection decodes as it does on
			// its well-known port.
			want := run(t, byPort, file)
			if found == 0 || !slices.Equal(lines, want) {
				t.Errorf("by heuristics %d records:\n%v\nby port %d:\n%v", len(lines), lines, len(want), want)
			}
		})
	}
}
