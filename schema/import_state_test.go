package schema

import (
	"fmt"
	"strings"
	"testing"
)

// A state block in an imported file comes with the types that use it: the
// importing protocol has its variables, and a library file that uses them
// checks on its own.
func TestImportedState(t *testing.T) {
	files := map[string]string{
		"main.dsl": "import \"lower.dsl\"\nprotocol p { transport udp; message M }\nstate { mine u8 = 7 }\n" +
			"struct M { l Lower; set state.mine = state.mine + 1; m u8 [if = state.mine == 8] }",
		"lower.dsl": "state { seen bool = false; count u16 = 2 }\n" +
			"struct Lower { a u8; set state.seen = a > 0; b u8 [if = state.seen && state.count == 2] }",
		"clash.dsl": "import \"lower.dsl\"\nprotocol p { transport udp; message M }\nstate { seen u8 = 1 }\nstruct M { l Lower }",
	}
	load := func(name string) ([]byte, error) {
		if s, ok := files[name]; ok {
			return []byte(s), nil
		}
		return nil, fmt.Errorf("open %s: no such file", name)
	}
	p, errs := CompileWith("main.dsl", []byte(files["main.dsl"]), load)
	if p == nil {
		t.Fatalf("compile: %v", errs)
	}
	if len(p.State) != 3 {
		t.Fatalf("%d state variables, want 3 (two imported, one own)", len(p.State))
	}
	st := p.NewState()
	var f Frame
	DecodeWith(p.Request, []byte{1, 2, 3}, &f, &DecodeOptions{State: st})
	if f.Err != nil {
		t.Fatalf("decode: %v", f.Err)
	}
	for path, want := range map[string]string{"l.a": "1", "l.b": "2", "m": "3"} {
		if i, ok := f.Lookup(path); !ok || display(&f, i) != want {
			t.Errorf("%s: %s", path, dumpFrame(&f))
		}
	}
	if errs := CheckLibrary("lower.dsl", []byte(files["lower.dsl"]), load); len(errs) > 0 {
		t.Errorf("the library file alone: %v", errs)
	}
	_, errs = CompileWith("clash.dsl", []byte(files["clash.dsl"]), load)
	if want := "clash.dsl:3:9: state variable seen is declared twice"; errs == nil || !strings.Contains(errs.Error(), want) {
		t.Errorf("clash: %v, want %q", errs, want)
	}
}
