package output

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/schema"
)

// FuzzNDJSON decodes any bytes as a message of any bundled protocol and
// writes the record with the NDJSON writer, whose caches and flat plans
// write into room they reserve without a bounds test per byte: what it
// writes must be what the encoder without caches writes, and valid JSON,
// for whole frames, frames cut short and frames that failed part-way.
// The race detector's pointer checks (go test -race) watch the writes.
func FuzzNDJSON(f *testing.F) {
	reg := dissectors.NewRegistry()
	if err := reg.LoadBundled(); err != nil {
		f.Fatal(err)
	}
	var programs []*dissectors.SchemaDissector
	for _, d := range reg.List() {
		if sd, ok := d.(*dissectors.SchemaDissector); ok && sd.Program != nil {
			programs = append(programs, sd)
		}
	}
	if len(programs) == 0 {
		f.Fatal("no bundled schema")
	}
	for i, sd := range programs {
		f.Add(uint8(i), false, request)
		f.Add(uint8(i), true, request[:9])
		if sd.Info().Name == "modbus" {
			f.Add(uint8(i), true, []byte{0, 1, 0, 0, 0, 23, 1, 3, 20, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8, 0, 9, 0, 10})
			f.Add(uint8(i), true, []byte{0, 1, 0, 0, 0, 3, 1, 0x83, 2})
		}
	}
	writers := map[bool]*NDJSON{}
	outs := map[bool]*bytes.Buffer{}
	for _, ws := range []bool{false, true} {
		outs[ws] = new(bytes.Buffer)
		writers[ws] = NewNDJSONWith(outs[ws], JSONOptions{WiresharkNames: ws})
	}
	f.Fuzz(func(t *testing.T, which uint8, response bool, data []byte) {
		sd := programs[int(which)%len(programs)]
		root, dir := sd.Program.Request, dissectors.ClientToServer
		if response {
			root, dir = sd.Program.Response, dissectors.ServerToClient
		}
		if root == nil {
			return
		}
		var fr schema.Frame
		schema.Decode(root, data, &fr, schema.Limits{MaxNodes: 4096, MaxDepth: 32, MaxElements: 1024, MaxHops: 64})
		r := &dissectors.Record{
			Kind: dissectors.KindFrame, Protocol: sd.Info(), Conn: &testConn, Dir: dir,
			Time: t0, FirstPacket: 7, LastPacket: 8, Offset: 100, Length: len(data), Data: data, Frame: &fr,
		}
		// The same writers from input to input, as in a run: their
		// caches and plans carry over.
		for _, ws := range []bool{false, true} {
			w, out := writers[ws], outs[ws]
			out.Reset()
			if err := w.Emit(r); err != nil {
				t.Fatal(err)
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			want := append(AppendRecordJSONWith(nil, r, JSONOptions{WiresharkNames: ws}), '\n')
			if !bytes.Equal(out.Bytes(), want) {
				t.Fatalf("%s %v, ws %v, % x: the writer wrote\n%s\nthe encoder without caches\n%s", sd.Info().Name, dir, ws, data, out.Bytes(), want)
			}
			if !json.Valid(want) {
				t.Fatalf("%s %v, % x: not JSON:\n%s", sd.Info().Name, dir, data, want)
			}
		}
	})
}
