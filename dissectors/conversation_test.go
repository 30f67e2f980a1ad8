package dissectors

import (
	"strings"
	"testing"

	"github.com/dissect-project/dissect/schema"
)

// A schema whose state tells the first datagram of a conversation from
// the others.
const greetSchema = `
protocol greet {
    title       "Greet"
    description "test protocol: the first datagram of a conversation is a hello"
    transport   udp
    ports       9999
    message     Msg
}

state {
    started bool = false
}

struct Msg [summary = "{body}"] {
    id   u8
    body switch state.started {
        case 0: Hello
        default: Data
    }
}

struct Hello [summary = "hello"] {
    set state.started = 1
}

struct Data [summary = "data"] {
    value u8
}
`

func compileGreet(t *testing.T) *SchemaDissector {
	t.Helper()
	prog, errs := schema.CompileWith("greet.dsl", []byte(greetSchema), nil)
	if prog == nil {
		t.Fatalf("schema: %v", errs)
	}
	return NewSchemaDissector(prog, "test")
}

// TestConversationState checks that state variables live per
// conversation: each conversation starts afresh.
func TestConversationState(t *testing.T) {
	d := compileGreet(t)
	var got []string
	sink := sinkFunc(func(r *Record) error {
		if r.Kind == KindFrame {
			got = append(got, string(r.Frame.AppendSummary(nil)))
		}
		return nil
	})
	a := d.NewConversation(&Conn{ID: 0, Transport: "udp"}, sink)
	b := d.NewConversation(&Conn{ID: 1, Transport: "udp"}, sink)
	for i, step := range []struct {
		conv Conversation
		data []byte
	}{{a, []byte{1}}, {a, []byte{2, 7}}, {b, []byte{3}}, {a, []byte{4, 8}}, {b, []byte{5, 9}}} {
		if err := step.conv.Datagram(ClientToServer, step.data, Packet{Number: uint64(i + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	if want := "hello data hello data data"; strings.Join(got, " ") != want {
		t.Errorf("summaries %q, want %q", strings.Join(got, " "), want)
	}
}

type sinkFunc func(*Record) error

func (f sinkFunc) Emit(r *Record) error { return f(r) }
