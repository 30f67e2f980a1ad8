package pcapgen

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The captures of other protocols are deterministic and committed as
// generated.
func TestProtocolCapturesAreCurrent(t *testing.T) {
	first, second := ProtocolCaptures(), ProtocolCaptures()
	if len(first) != len(second) {
		t.Fatalf("ProtocolCaptures returned %d then %d captures", len(first), len(second))
	}
	seen := map[string]bool{}
	for i, p := range first {
		t.Run(p.File, func(t *testing.T) {
			if seen[p.File] {
				t.Fatalf("%s registered twice", p.File)
			}
			seen[p.File] = true
			if p.Doc == "" || strings.Contains(p.Doc, "\n") || p.Packets == 0 {
				t.Errorf("%s: implausible %+v", p.File, p)
			}
			var a, b bytes.Buffer
			if err := p.Write(&a); err != nil {
				t.Fatal(err)
			}
			if err := second[i].Write(&b); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Fatal("two calls of ProtocolCaptures gave different bytes")
			}
			committed, err := os.ReadFile(filepath.Join(pcapsDir, p.File))
			if err != nil {
				t.Fatalf("%v; %s", err, regenerate)
			}
			if !bytes.Equal(a.Bytes(), committed) {
				t.Fatalf("testdata/pcaps/%s is stale: %s", p.File, regenerate)
			}
		})
	}
}
