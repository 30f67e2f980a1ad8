package schema

import (
	"strings"
	"testing"
)

// A switch case may carry a Wireshark name of its own: the field's node
// is named by the case chosen (MQTT's numeric property values are
// mqtt.prop_number, its strings mqtt.prop_string inside their structs).
func TestSwitchCaseWiresharkName(t *testing.T) {
	p := mustCompile(t, udp+`struct M {
    kind u8
    value switch kind {
        case 1: u8 [ws = "p.number"]
        case 2: u16 [ws = "p.number"]
        case 3: switch kind { default: u8 [ws = "p.inner"] }
        case 4: u8
        default: []byte [ws = "p.raw"]
    } [ws = "p.value"]
}`)
	tests := []struct {
		name string
		data []byte
		want string // the ws name of the value's node
	}{
		{"u8 case", []byte{1, 7}, "p.number"},
		{"u16 case", []byte{2, 0, 7}, "p.number"},
		{"nested switch", []byte{3, 7}, "p.inner"},
		{"case without a name: the field's", []byte{4, 7}, "p.value"},
		{"default", []byte{9, 7, 8}, "p.raw"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var f Frame
			Decode(p.Request, tc.data, &f, Limits{})
			if f.Err != nil {
				t.Fatalf("error %v", f.Err)
			}
			i, ok := f.Lookup("value")
			if !ok {
				t.Fatal("no value node")
			}
			if got := f.Nodes[i].Field.Wireshark; got != tc.want {
				t.Errorf("ws name %q, want %q", got, tc.want)
			}
			if got := f.Nodes[i].Field.Name; got != "value" {
				t.Errorf("field name %q, want value", got)
			}
		})
	}
	_, errs := Compile("t.dsl", []byte(udp+`struct M { k u8; v switch k { case 1: u8 [base = hex] default: u8 } }`))
	if got := strings.Join(diags(errs), "\n"); !strings.Contains(got, "a switch case takes one attribute: [ws = \"NAME\"]") {
		t.Errorf("diagnostics %q, want a case attribute error", got)
	}
}
