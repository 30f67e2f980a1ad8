package schema

import (
	"strings"
	"testing"
)

func TestHeuristicAndTransportErrors(t *testing.T) {
	const msg = "struct M {\n a u8\n b u8\n}\n"
	tests := []struct {
		name  string
		src   string
		diags []string
	}{
		{"unknown property", "protocol p { transport udp; message M }\nheuristic { first u8(0) == 1 }\n" + msg,
			[]string{`2:13: unknown heuristic property "first"; expected one of: request, response, message`}},
		{"set twice", "protocol p { transport udp; message M }\nheuristic { request 1; request 2 }\n" + msg,
			[]string{"2:24: heuristic property request is set twice"}},
		{"message and request", "protocol p { transport udp; message M }\nheuristic { message 1; request 2 }\n" + msg,
			[]string{"2:1: heuristic: use either message (one condition for both directions) or request and response, not both"}},
		{"empty", "protocol p { transport udp; message M }\nheuristic { }\n" + msg,
			[]string{"2:1: heuristic block has no condition: add `request EXPR`, `response EXPR` or `message EXPR`"}},
		{"two conditions", "protocol p { transport udp; message M }\nheuristic { request 1, 2 }\n" + msg,
			[]string{"2:13: request takes one condition, such as u16(2) == 0 && u8(7) < 0x80"}},
		{"fields cannot be used", "protocol p { transport udp; message M }\nheuristic { message a == 1 }\n" + msg,
			[]string{"2:21: framing cannot use the field a: read the bytes with a function such as u16(OFFSET)"}},
		{"second block", "protocol p { transport udp; message M }\nheuristic { message 1 }\nheuristic { message 1 }\n" + msg,
			[]string{"3:1: second heuristic block; a protocol has one"}},
		{"transport twice", "protocol p { transport udp, udp; message M }\n" + msg,
			[]string{"1:29: transport udp is given twice"}},
		{"transport unknown", "protocol p { transport udp, sctp; message M }\n" + msg,
			[]string{`1:29: unknown transport "sctp"; expected tcp or udp`}},
		{"tcp and udp need framing", "protocol p { transport udp, tcp; message M }\n" + msg,
			[]string{"1:1: protocol p runs over tcp but has no framing block: add `framing { size EXPR }` to say how long each frame is"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := Compile("t.dsl", []byte(tt.src))
			if got := strings.Join(diags(errs), "\n"); got != strings.Join(tt.diags, "\n") {
				t.Errorf("diagnostics\n got: %s\nwant: %s", got, strings.Join(tt.diags, "\n"))
			}
		})
	}
}

func TestTransports(t *testing.T) {
	p := mustCompile(t, "protocol p { transport tcp, udp; message M }\nframing { size u8(0) }\nstruct M {\n n u8\n rest []byte\n}\n")
	if p.Transport != "tcp" || !p.RunsOver("tcp") || !p.RunsOver("udp") || len(p.Transports) != 2 {
		t.Errorf("transports %q (first %q)", p.Transports, p.Transport)
	}
	p = mustCompile(t, "protocol p { message M }\nframing { size u8(0) }\nstruct M {\n n u8\n rest []byte\n}\n")
	if p.RunsOver("udp") || !p.RunsOver("tcp") {
		t.Errorf("default transports %q", p.Transports)
	}
}

func TestDetect(t *testing.T) {
	// A header: magic 0xAB, a kind (1 request, 2 response), a length of
	// the whole frame, then that many bytes; the body must be a u16 count
	// and count bytes.
	p := mustCompile(t, `protocol p { transport tcp, udp; request Req; response Resp }
framing { size u8(2); min 5; max 200 }
heuristic {
    request  u8(0) == 0xAB && u8(1) == 1
    response u8(0) == 0xAB && u8(1) == 2
}
struct Req  { magic u8 = 0xAB; kind u8 = 1; len u8; count u16; data [count]byte }
struct Resp { magic u8 = 0xAB; kind u8 = 2; len u8; count u16; data [count]byte }
`)
	req := []byte{0xAB, 1, 7, 0, 2, 'h', 'i'}
	resp := []byte{0xAB, 2, 5, 0, 0}
	tests := []struct {
		name     string
		buf      []byte
		response bool
		datagram bool
		window   int
		want     Verdict
	}{
		{"request", req, false, false, 4096, VerdictYes},
		{"request followed by more", append(append([]byte{}, req...), 0xAB, 1), false, false, 4096, VerdictYes},
		{"response", resp, true, false, 4096, VerdictYes},
		{"request bytes as a response", req, true, false, 4096, VerdictNo},
		{"empty", nil, false, false, 4096, VerdictNo},
		{"one byte: need more", req[:1], false, false, 4096, VerdictNeedMore},
		{"header only: need more", req[:3], false, false, 4096, VerdictNeedMore},
		{"condition fails", []byte{0xAC, 1, 7, 0, 2, 'h', 'i'}, false, false, 4096, VerdictNo},
		{"length out of range", []byte{0xAB, 1, 2, 0, 0}, false, false, 4096, VerdictNo},
		{"body does not decode", []byte{0xAB, 1, 7, 0, 9, 'h', 'i'}, false, false, 4096, VerdictNo},
		{"trailing bytes in the frame", []byte{0xAB, 1, 8, 0, 2, 'h', 'i', '!'}, false, false, 4096, VerdictNo},
		{"frame longer than the window", req[:4], false, false, 4, VerdictYes},
		{"short window, condition unknown", req[:1], false, false, 1, VerdictNo},
		{"datagram", req, false, true, 4096, VerdictYes},
		{"datagram longer than its frame", append(append([]byte{}, req...), 0), false, true, 4096, VerdictNo},
		{"truncated datagram", req[:5], false, true, 4096, VerdictNo},
	}
	var f Frame
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := DecodeOptions{}
			if got := p.Detect(tt.buf, tt.response, tt.datagram, tt.window, &f, &opts); got != tt.want {
				t.Errorf("Detect = %v, want %v", got, tt.want)
			}
		})
	}
	noHeur := mustCompile(t, udp+"struct M { a u8 }\n")
	if v := noHeur.Detect([]byte{1}, false, true, 4096, &f, &DecodeOptions{}); v != VerdictNo {
		t.Errorf("a protocol without a heuristic: %v", v)
	}
}

// A framing rule that reads the connection state is evaluated, while a
// protocol is found by content, with the state of a new connection.
func TestDetectFramingWithState(t *testing.T) {
	p := mustCompile(t, `protocol p { transport tcp; message M }
state { long u8 = 0 }
framing { size state.long == 1 ? u16(1) : u8(1) }
heuristic { message u8(0) == 0xAB }
struct M { magic u8 = 0xAB; len u8; data [len - 2]byte }
`)
	var f Frame
	for _, tt := range []struct {
		name string
		buf  []byte
		want Verdict
	}{
		{"frame", []byte{0xAB, 4, 'h', 'i'}, VerdictYes},
		{"frame cut short", []byte{0xAB, 4, 'h'}, VerdictNeedMore},
		{"length below min", []byte{0xAB, 0}, VerdictNo},
	} {
		st := p.NewState()
		opts := DecodeOptions{State: st}
		if got := p.Detect(tt.buf, false, false, 4096, &f, &opts); got != tt.want {
			t.Errorf("%s: Detect = %v, want %v", tt.name, got, tt.want)
		}
	}
}
