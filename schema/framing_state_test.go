package schema

import (
	"strings"
	"testing"
)

// A framing rule may read the connection's state: MySQL frames TLS
// records, not packets, after an SSL request.
func TestFramingReadsState(t *testing.T) {
	p := mustCompile(t, `protocol p { message M }
state { tls u8 = 0 }
framing { size state.tls == 1 ? u16be(3) + 5 : u16le(0) + u8(2) * 65536 + 4 }
struct M { a []byte; set state.tls = 1 }`)
	data := []byte{0x02, 0x00, 0x00, 0x00, 0x07, 0x01}
	st := p.NewState()
	if n, fs := p.Framing.FrameLenState(data, st); fs != FrameOK || n != 6 {
		t.Errorf("before: %d %v, want a 6-byte frame", n, fs)
	}
	st.Vals[0] = 1
	if n, fs := p.Framing.FrameLenState(data, st); fs != FrameOK || n != 12 { // 0x0007 + 5
		t.Errorf("after: %d %v, want a 12-byte frame", n, fs)
	}
	// Without a connection state the variable cannot be read.
	if _, fs := p.Framing.FrameLen(data); fs != FrameInvalid {
		t.Errorf("no state: %v, want FrameInvalid", fs)
	}
	_, errs := Compile("t.dsl", []byte("protocol p { message M }\nstate { x u8 = 0 }\nframing { size state.y }\nstruct M { a u8 }"))
	if got := strings.Join(diags(errs), "\n"); !strings.Contains(got, "y") {
		t.Errorf("diagnostics %q, want an unknown state variable", got)
	}
}
