package schema

import (
	"math/rand/v2"
	"testing"
)

// frameLenSlow applies fr with the expression interpreter, as FrameLenState
// does without the fast form.
func frameLenSlow(fr *Framing, buf []byte) (int, FrameStatus) {
	saved := fr.fast
	fr.fast = fastSize{}
	defer func() { fr.fast = saved }()
	return fr.FrameLenState(buf, nil)
}

// The fast form of a uN(OFF) + K rule gives exactly what the interpreter
// gives, on short, valid and out-of-range inputs; other rules have none.
func TestFastFraming(t *testing.T) {
	tests := []struct {
		framing string
		fast    bool
	}{
		{"size u16(4) + 6; min 8; max 260", true},
		{"size u16(4) + 6", true},
		{"size 6 + u16le(4)", true},
		{"size u32(0) - 4; max 100000", true},
		{"size u8(1) + 2", true},
		{"size u16(1) + 2; min 1; max 70000", true},
		{"size u16le(1) + 2; min 3; max 300", true},
		{"size u24(1) + 4", true},
		{"size u32(0)", true},
		{"size u64(0)", true},
		{"size u64le(1) + 9223372036854775807", true},
		{"size u16(0) + u16(2)", false},
		{"size u16(4) * 2", false},
		{"size u16(4) + 6; magic \"\\x00\\x01\"", false},
		{"size u8(0) == 1 ? u16(1) : 3", false},
		{"delimiter \"\\r\\n\"", false},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tt := range tests {
		p := mustCompile(t, "protocol p { transport tcp; message M }\nframing { "+tt.framing+" }\nstruct M { a u8 }\n")
		fr := p.Framing
		if got := fr.fast.size > 0; got != tt.fast {
			t.Errorf("%s: fast form %v, want %v", tt.framing, got, tt.fast)
			continue
		}
		for i := 0; i < 2000; i++ {
			buf := make([]byte, rng.IntN(14))
			for j := range buf {
				buf[j] = byte(rng.Uint32())
				if rng.IntN(3) == 0 {
					buf[j] = 0 // small lengths, within range
				}
			}
			n, st := fr.FrameLenState(buf, nil)
			wn, wst := frameLenSlow(fr, buf)
			if n != wn || st != wst {
				t.Fatalf("%s on % x: %d, %d; the interpreter gives %d, %d", tt.framing, buf, n, st, wn, wst)
			}
			fn, fst, ok := fr.FrameLenFast(buf)
			if ok != tt.fast || ok && (fn != wn || fst != wst) {
				t.Fatalf("%s on % x: FrameLenFast %d, %d, %v; the interpreter gives %d, %d", tt.framing, buf, fn, fst, ok, wn, wst)
			}
		}
	}
}
