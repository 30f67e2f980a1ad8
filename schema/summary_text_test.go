package schema

import (
	"strings"
	"testing"
)

// A step writes its literal text whether it fits in the step or not, and
// whether the buffer has room for a whole copy of stepTextRoom bytes or
// not, after what the buffer holds.
func TestStepAppendText(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
	}{
		{"empty", ""},
		{"one byte", ";"},
		{"typical", "Query: Trans: "},
		{"fills the room", strings.Repeat("r", stepTextRoom)},
		{"one byte too long", strings.Repeat("l", stepTextRoom+1)},
		{"long", strings.Repeat("long text, ", 10)},
	} {
		var st templateStep
		st.setText(tc.text)
		for _, room := range []int{0, stepTextRoom - 1, stepTextRoom, 100} {
			buf := append(make([]byte, 0, 1+room), 'x')
			if got := string(st.appendText(buf)); got != "x"+tc.text {
				t.Errorf("%s, room %d: %q, want %q", tc.name, room, got, "x"+tc.text)
			}
		}
	}
}
