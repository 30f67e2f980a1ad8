package schema

import (
	"io/fs"
	"testing"

	"github.com/dissect-project/dissect/dissectors/library"
)

// libraryProgram compiles a bundled schema.
func libraryProgram(tb testing.TB, file string) *Program {
	tb.Helper()
	text, err := fs.ReadFile(library.FS, file)
	if err != nil {
		tb.Fatal(err)
	}
	load := library.Load
	p, errs := CompileWith(file, text, load)
	if len(errs.Errors()) > 0 {
		tb.Fatalf("%s: %v", file, errs)
	}
	return p
}

// benchMQTTPublish is an MQTT 5.0 PUBLISH, QoS 1, with two properties.
var benchMQTTPublish = func() []byte {
	topic := "plant/line4/sensor17/temperature"
	body := []byte{0, byte(len(topic))}
	body = append(body, topic...)
	body = append(body, 0x12, 0x34)                      // packet identifier
	body = append(body, 5, 0x01, 0x01, 0x23, 0x00, 0x05) // properties: payload format, topic alias
	body = append(body, `{"t":21.5,"unit":"C"}`...)
	return append([]byte{0x32, byte(len(body))}, body...)
}()

// benchTLV is a TLV message of 48 items: integers, strings, and lists of
// two integers, every integer and length a varint.
var benchTLV = func() []byte {
	var items []byte
	for i := 0; i < 16; i++ {
		items = append(items, 1, 2, 0xac, 0x02)              // integer 150 (zigzag 300)
		items = append(items, 2, 5, 'h', 'e', 'l', 'l', 'o') // string
		items = append(items, 3, 6, 1, 1, 0x03, 5, 1, 0x7f)  // list: integer -2, unsigned 127
	}
	msg := []byte{byte(len(items)&0x7f) | 0x80, byte(len(items) >> 7)}
	return append(msg, items...)
}()

func benchDecodeState(b *testing.B, p *Program, root *Struct, data []byte, version int64) {
	opts := &DecodeOptions{}
	if len(p.State) > 0 {
		opts.State = p.NewState()
		opts.State.Vals[0] = version
	}
	var f Frame
	DecodeWith(root, data, &f, opts) // grow the frame's buffers once
	if f.Err != nil {
		b.Fatal(f.Err)
	}
	if f.Trailing != 0 {
		b.Fatalf("%d bytes left over", f.Trailing)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		DecodeWith(root, data, &f, opts)
	}
	b.ReportMetric(float64(len(f.Nodes)), "nodes")
}

// BenchmarkDecodeMQTTPublish decodes an MQTT 5.0 PUBLISH: bit fields,
// switches on the connection's protocol version, a varint length and
// properties.
func BenchmarkDecodeMQTTPublish(b *testing.B) {
	p := libraryProgram(b, "mqtt.dsl")
	benchDecodeState(b, p, p.Request, benchMQTTPublish, 5)
}

// BenchmarkDecodeTLV decodes a TLV-heavy frame: 48 items, with nested
// lists, every integer a varint.
func BenchmarkDecodeTLV(b *testing.B) {
	p := libraryProgram(b, "tlv.dsl")
	benchDecodeState(b, p, p.Request, benchTLV, 0)
}
