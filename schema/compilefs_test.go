package schema

import (
	"strings"
	"testing"
	"testing/fstest"
)

// CompileFS reads a schema and its imports from a file system, such as an
// embed.FS; a file it cannot read is an error naming it.
func TestCompileFS(t *testing.T) {
	fsys := fstest.MapFS{
		"p/main.dsl":  {Data: []byte("import \"types.dsl\"\nprotocol p { transport udp; message M }\nstruct M { h Header; v u8 }")},
		"p/types.dsl": {Data: []byte("struct Header { kind u8; len u8 }")},
		"bad.dsl":     {Data: []byte("import \"gone.dsl\"\nprotocol p { transport udp; message M }\nstruct M { v u8 }")},
	}
	tests := []struct {
		name    string
		wantErr string // "" for a schema that compiles
	}{
		{"p/main.dsl", ""},
		{"p/none.dsl", "p/none.dsl: cannot read the schema"},
		{"bad.dsl", "bad.dsl:1:1: import \"gone.dsl\": cannot read gone.dsl: file does not exist"},
	}
	for _, tt := range tests {
		p, errs := CompileFS(fsys, tt.name)
		if tt.wantErr == "" {
			if p == nil || len(errs.Errors()) > 0 {
				t.Errorf("%s: %v", tt.name, errs)
				continue
			}
			var f Frame
			Decode(p.Request, []byte{1, 2, 3}, &f, Limits{})
			if i, ok := f.Lookup("h.len"); f.Err != nil || !ok || display(&f, i) != "2" {
				t.Errorf("%s: h.len not decoded from the imported type (err %v)", tt.name, f.Err)
			}
			continue
		}
		if p != nil || !strings.Contains(errs.Error(), tt.wantErr) {
			t.Errorf("%s: program %v, errors %q; want an error with %q", tt.name, p != nil, errs.Error(), tt.wantErr)
		}
	}
}
