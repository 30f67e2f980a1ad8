package dissectors

import (
	"strconv"
	"strings"
	"testing"
)

// chunkProto cuts messages into chunks the way OPC UA does: a type byte
// ('C' more follows, 'F' final, 'A' abort), a length, the piece. Messages
// are joined into msgProto's, a text of at most 12 bytes.
const chunkProto = `protocol chunks {
    transport tcp
    ports     7100
    message   Chunk
}
framing { size 2 + u8(1) }
struct Chunk {
    kind  u8
    len   u8
    let final = kind == 0x46
    let abort = kind == 0x41
    piece [len]byte [join = "texts", last = final, abort = abort, limit = 12]
}
`

const msgProto = `protocol texts {
    transport udp
    message   Text
}
struct Text [summary = "text {body}"] {
    body []ascii
}
`

func chunkOf(kind byte, s string) []byte { return append([]byte{kind, byte(len(s))}, s...) }

// Pieces without first or sequence flags: a message starts with any piece
// when none is open, ends with a final one, and an abort drops it.
func TestJoinChunks(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "chunks.dsl", chunkProto)
	writeFile(t, dir, "texts.dsl", msgProto)
	reg := NewRegistry()
	if err := reg.LoadPath(dir); err != nil {
		t.Fatal(err)
	}
	if err := reg.Link(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		chunks [][]byte
		want   []string // the texts records: summary or error, and length
	}{
		{"one final chunk", [][]byte{chunkOf('F', "hello")}, []string{`frame text "hello" 5`}},
		{"two chunks", [][]byte{chunkOf('C', "hel"), chunkOf('F', "lo")}, []string{`frame text "hello" 5`}},
		{"three chunks", [][]byte{chunkOf('C', "a"), chunkOf('C', "b"), chunkOf('F', "c")}, []string{`frame text "abc" 3`}},
		{"abort, then a message", [][]byte{chunkOf('C', "ab"), chunkOf('C', "cd"), chunkOf('A', "why"), chunkOf('F', "ok")},
			[]string{"skipped message aborted by the sender after 2 pieces 4", `frame text "ok" 2`}},
		{"abort with nothing open", [][]byte{chunkOf('A', "why")}, nil},
		{"over the limit", [][]byte{chunkOf('C', "0123456789"), chunkOf('C', "0123456789"), chunkOf('F', "x"), chunkOf('F', "y")},
			[]string{"skipped joined message of 21 bytes is over the limit of 12; skipped 21", `frame text "y" 1`}},
		{"no final chunk", [][]byte{chunkOf('C', "abc")},
			[]string{"skipped incomplete message: the connection ended before its last piece (1 piece joined) 3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			chunks := make([]chunk, len(tc.chunks))
			for i, c := range tc.chunks {
				chunks[i] = chunk{ClientToServer, c}
			}
			var got []string
			for _, r := range decodeChunks(t, reg, "chunks", chunks) {
				switch r.Proto {
				case "chunks":
					if r.Kind != KindFrame || r.Err != "" {
						t.Errorf("chunk record %v", r)
					}
				case "texts":
					text := r.Summary
					if r.Err != "" {
						text = r.Err
					}
					got = append(got, r.Kind.String()+" "+text+" "+strconv.Itoa(r.Length))
				default:
					t.Errorf("record of %q: %v", r.Proto, r)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("texts records:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}
