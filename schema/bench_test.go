package schema

import (
	"encoding/binary"
	"errors"
	"testing"
)

// The benchmark frames: a Read Holding Registers request, and its response
// with ten registers.
var (
	benchRequest  = adu(0x1234, 1, 0x03, 0x00, 0x6b, 0x00, 0x0a)
	benchResponse = func() []byte {
		pdu := []byte{0x03, 20}
		for i := 0; i < 10; i++ {
			pdu = binary.BigEndian.AppendUint16(pdu, uint16(1000+i))
		}
		return adu(0x1234, 1, pdu...)
	}()
)

func benchDecode(b *testing.B, root *Struct, data []byte) {
	var f Frame
	Decode(root, data, &f, Limits{}) // grow the frame's buffers once
	if f.Err != nil {
		b.Fatal(f.Err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Decode(root, data, &f, Limits{})
	}
	if f.Err != nil || len(f.Nodes) == 0 {
		b.Fatal("decode failed")
	}
}

func BenchmarkDecodeModbusRequest(b *testing.B) {
	benchDecode(b, modbus(b).Request, benchRequest)
}

func BenchmarkDecodeModbusResponse(b *testing.B) {
	benchDecode(b, modbus(b).Response, benchResponse)
}

// BenchmarkDecodeModbusError decodes a frame that fails (protocol id 1),
// frame after frame at the same path, whose text is then reused.
func BenchmarkDecodeModbusError(b *testing.B) {
	data := append([]byte(nil), benchResponse...)
	data[3] = 1
	var f Frame
	root := modbus(b).Response
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		Decode(root, data, &f, Limits{})
	}
	if f.Err == nil {
		b.Fatal("no error")
	}
}

// BenchmarkModbusSummary renders the one-line summary of a decoded frame.
func BenchmarkModbusSummary(b *testing.B) {
	var f Frame
	Decode(modbus(b).Response, benchResponse, &f, Limits{})
	buf := f.AppendSummary(nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf = f.AppendSummary(buf[:0])
	}
}

// handResponse is what a hand-written decoder of a Read Holding Registers
// response fills in.
type handResponse struct {
	TransactionID uint16
	ProtocolID    uint16
	Length        uint16
	UnitID        uint8
	Function      uint8
	ByteCount     uint8
	Registers     []uint16 // reused from frame to frame
}

var (
	errHandShort    = errors.New("modbus: frame too short")
	errHandProtocol = errors.New("modbus: protocol id is not 0")
	errHandFunction = errors.New("modbus: not a read holding registers response")
)

// decodeHand is the yardstick: the same response decoded by plain Go code,
// with the same checks as the schema (protocol id 0, enough bytes for the
// registers).
func decodeHand(data []byte, r *handResponse) error {
	if len(data) < 9 {
		return errHandShort
	}
	r.TransactionID = binary.BigEndian.Uint16(data[0:])
	r.ProtocolID = binary.BigEndian.Uint16(data[2:])
	if r.ProtocolID != 0 {
		return errHandProtocol
	}
	r.Length = binary.BigEndian.Uint16(data[4:])
	r.UnitID = data[6]
	r.Function = data[7]
	if r.Function != 3 {
		return errHandFunction
	}
	r.ByteCount = data[8]
	n := int(r.ByteCount / 2)
	regs := data[9:]
	if len(regs) < 2*n {
		return errHandShort
	}
	r.Registers = r.Registers[:0]
	for i := 0; i < n; i++ {
		r.Registers = append(r.Registers, binary.BigEndian.Uint16(regs[2*i:]))
	}
	return nil
}

func TestHandWrittenModbus(t *testing.T) {
	var r handResponse
	if err := decodeHand(benchResponse, &r); err != nil {
		t.Fatal(err)
	}
	if r.TransactionID != 0x1234 || r.Length != 23 || r.UnitID != 1 || r.Function != 3 || r.ByteCount != 20 ||
		len(r.Registers) != 10 || r.Registers[9] != 1009 {
		t.Errorf("%+v", r)
	}
	// The engine agrees with the hand-written decoder.
	var f Frame
	Decode(modbus(t).Response, benchResponse, &f, Limits{})
	for i, want := range r.Registers {
		_, n := lookup(t, &f, "body.registers."+itoa(i))
		if n.Int() != int64(want) {
			t.Errorf("register %d: %d, want %d", i, n.Int(), want)
		}
	}
	for _, bad := range [][]byte{benchResponse[:8], benchResponse[:20], adu(1, 1, 0x04, 0), {0, 1, 0, 1, 0, 3, 1, 3, 0}} {
		if decodeHand(bad, &r) == nil {
			t.Errorf("no error for % x", bad)
		}
	}
}

func BenchmarkHandWrittenModbus(b *testing.B) {
	var r handResponse
	if err := decodeHand(benchResponse, &r); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(benchResponse)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := decodeHand(benchResponse, &r); err != nil {
			b.Fatal(err)
		}
	}
}

// Once a Frame's buffers have grown, decoding a good frame allocates
// nothing.
func TestDecodeAllocatesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts")
	}
	p := modbus(t)
	frames := []struct {
		name string
		root *Struct
		data []byte
	}{
		{"request", p.Request, benchRequest},
		{"response", p.Response, benchResponse},
	}
	for _, seed := range modbusSeeds() {
		frames = append(frames, struct {
			name string
			root *Struct
			data []byte
		}{"response seed", p.Response, seed})
	}
	var f Frame
	for _, fr := range frames {
		Decode(fr.root, fr.data, &f, Limits{})
		if f.Err != nil {
			continue // failures build their message
		}
		if n := testing.AllocsPerRun(100, func() { Decode(fr.root, fr.data, &f, Limits{}) }); n != 0 {
			t.Errorf("%s % x: %v allocations per Decode", fr.name, fr.data, n)
		}
	}
	// The summary appends into a reused buffer without allocating either.
	Decode(p.Response, benchResponse, &f, Limits{})
	buf := f.AppendSummary(nil)
	if n := testing.AllocsPerRun(100, func() { buf = f.AppendSummary(buf[:0]) }); n != 0 {
		t.Errorf("AppendSummary: %v allocations", n)
	}
}
