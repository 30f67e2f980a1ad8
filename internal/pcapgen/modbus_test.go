package pcapgen

import (
	"bytes"
	"encoding/hex"
	"slices"
	"strings"
	"testing"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPDUs checks the encodings against the examples of the Modbus
// application protocol specification where it has some.
func TestPDUs(t *testing.T) {
	tests := []struct {
		name string
		pdu  PDU
		want string
	}{
		{"read coils", ReadCoils(0x0013, 19), "01 0013 0013"},
		{"read coils response", ReadCoilsResponse(unpackBits([]byte{0xCD, 0x6B, 0x05}, 19)), "01 03 CD6B05"},
		{"read discrete inputs", ReadDiscreteInputs(0x00C4, 22), "02 00C4 0016"},
		{"read discrete inputs response", ReadDiscreteInputsResponse(unpackBits([]byte{0xAC, 0xDB, 0x35}, 22)), "02 03 ACDB35"},
		{"read holding registers", ReadHoldingRegisters(0x006B, 3), "03 006B 0003"},
		{"read holding registers response", ReadHoldingRegistersResponse([]uint16{0x022B, 0, 0x64}), "03 06 022B 0000 0064"},
		{"read input registers", ReadInputRegisters(0x0008, 1), "04 0008 0001"},
		{"read input registers response", ReadInputRegistersResponse([]uint16{0x000A}), "04 02 000A"},
		{"write single coil on", WriteSingleCoil(0x00AC, true), "05 00AC FF00"},
		{"write single coil off", WriteSingleCoil(0x00AC, false), "05 00AC 0000"},
		{"write single register", WriteSingleRegister(0x0001, 0x0003), "06 0001 0003"},
		{"write multiple coils", WriteMultipleCoils(0x0013, unpackBits([]byte{0xCD, 0x01}, 10)), "0F 0013 000A 02 CD01"},
		{"write multiple coils response", WriteMultipleCoilsResponse(0x0013, 10), "0F 0013 000A"},
		{"write multiple registers", WriteMultipleRegisters(0x0001, []uint16{0x000A, 0x0102}), "10 0001 0002 04 000A 0102"},
		{"write multiple registers response", WriteMultipleRegistersResponse(0x0001, 2), "10 0001 0002"},
		{
			"read/write multiple registers",
			ReadWriteMultipleRegisters(0x0003, 6, 0x000E, []uint16{0xFF, 0xFF, 0xFF}),
			"17 0003 0006 000E 0003 06 00FF 00FF 00FF",
		},
		{
			"read/write multiple registers response",
			ReadWriteMultipleRegistersResponse([]uint16{0xFE, 0x0ACD, 1, 3, 0x0D, 0xFF}),
			"17 0C 00FE 0ACD 0001 0003 000D 00FF",
		},
		{"read device identification", ReadDeviceIdentification(DevIDBasic, 0x00), "2B 0E 01 00"},
		{
			"read device identification response",
			ReadDeviceIdentificationResponse(DevIDBasic, 0x81, false, 0, []DeviceObject{{0, "AB"}, {1, "C"}}),
			"2B 0E 01 81 00 00 02 00 02 4142 01 01 43",
		},
		{
			"read device identification response, more follows",
			ReadDeviceIdentificationResponse(DevIDRegular, 0x82, true, 0x05, []DeviceObject{{3, "x"}}),
			"2B 0E 02 82 FF 05 01 03 01 78",
		},
		{"exception", Exception(FuncReadHoldingRegisters, ExIllegalDataAddress), "83 02"},
		{"gateway exception", Exception(FuncEncapsulatedInterface, ExGatewayTargetFailed), "AB 0B"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := tt.pdu.Bytes(), unhex(t, tt.want); !bytes.Equal(got, want) {
				t.Errorf("got % X, want % X", got, want)
			}
		})
	}
}

func TestFrame(t *testing.T) {
	tests := []struct {
		name string
		tid  uint16
		unit uint8
		pdu  PDU
		want string
	}{
		{"request", 0x0001, 0x01, ReadCoils(0x0013, 19), "0001 0000 0006 01 01 0013 0013"},
		{"exception", 0x1234, 0x11, Exception(FuncReadInputRegisters, ExGatewayTargetFailed), "1234 0000 0003 11 84 0B"},
		{"no data", 0xFFFF, 0xFF, PDU{Function: 0x07}, "FFFF 0000 0002 FF 07"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := Frame(tt.tid, tt.unit, tt.pdu), unhex(t, tt.want); !bytes.Equal(got, want) {
				t.Errorf("got % X, want % X", got, want)
			}
		})
	}
}

func TestPackBits(t *testing.T) {
	tests := []struct {
		bits []bool
		want []byte
	}{
		{nil, []byte{}},
		{[]bool{true}, []byte{0x01}},
		{[]bool{false, true, false, false, false, false, false, true}, []byte{0x82}},
		{[]bool{true, false, false, false, false, false, false, false, true}, []byte{0x01, 0x01}},
	}
	for _, tt := range tests {
		if got := PackBits(tt.bits); !bytes.Equal(got, tt.want) {
			t.Errorf("PackBits(%v) = % X, want % X", tt.bits, got, tt.want)
		}
		if got := unpackBits(PackBits(tt.bits), len(tt.bits)); len(tt.bits) > 0 && !slices.Equal(got, tt.bits) {
			t.Errorf("unpackBits(PackBits(%v)) = %v", tt.bits, got)
		}
	}
}

// TestTransactionsAreConsistent checks that the byte counts and quantities
// of every generated transaction agree with the bytes that follow them.
func TestTransactionsAreConsistent(t *testing.T) {
	c := NewCapture(42)
	ts := BasicTransactions()
	for range 500 {
		ts = append(ts, RandomTransaction(c.Rand()))
	}
	fcs := map[uint8]bool{}
	for i, tr := range ts {
		req, resp := tr.Request, tr.Response
		fcs[req.Function] = true
		if req.IsException() {
			t.Fatalf("%d: exception request %+v", i, req)
		}
		if resp.Function&0x7F != req.Function {
			t.Errorf("%d: response function %#x to request %#x", i, resp.Function, req.Function)
		}
		if len(Frame(0, 1, resp)) > 260 || len(Frame(0, 1, req)) > 260 {
			t.Errorf("%d: ADU longer than 260 bytes", i)
		}
		if resp.IsException() {
			if len(resp.Data) != 1 {
				t.Errorf("%d: exception data % X", i, resp.Data)
			}
			continue
		}
		switch req.Function {
		case FuncReadCoils, FuncReadDiscreteInputs:
			qty := int(req.Data[2])<<8 | int(req.Data[3])
			if n := int(resp.Data[0]); n != (qty+7)/8 || n != len(resp.Data)-1 {
				t.Errorf("%d: %d bits in a %d-byte response", i, qty, n)
			}
		case FuncReadHoldingRegisters, FuncReadInputRegisters:
			qty := int(req.Data[2])<<8 | int(req.Data[3])
			if n := int(resp.Data[0]); n != 2*qty || n != len(resp.Data)-1 {
				t.Errorf("%d: %d registers in a %d-byte response", i, qty, n)
			}
		case FuncWriteMultipleCoils:
			qty := int(req.Data[2])<<8 | int(req.Data[3])
			if n := int(req.Data[4]); n != (qty+7)/8 || n != len(req.Data)-5 {
				t.Errorf("%d: %d coils in %d bytes", i, qty, n)
			}
			if !bytes.Equal(resp.Data, req.Data[:4]) {
				t.Errorf("%d: response % X to % X", i, resp.Data, req.Data)
			}
		case FuncWriteMultipleRegisters:
			qty := int(req.Data[2])<<8 | int(req.Data[3])
			if n := int(req.Data[4]); n != 2*qty || n != len(req.Data)-5 {
				t.Errorf("%d: %d registers in %d bytes", i, qty, n)
			}
			if !bytes.Equal(resp.Data, req.Data[:4]) {
				t.Errorf("%d: response % X to % X", i, resp.Data, req.Data)
			}
		case FuncWriteSingleCoil, FuncWriteSingleRegister:
			if !bytes.Equal(resp.Data, req.Data) {
				t.Errorf("%d: response % X is not an echo of % X", i, resp.Data, req.Data)
			}
		case FuncReadWriteMultipleRegisters:
			readQty := int(req.Data[2])<<8 | int(req.Data[3])
			writeQty := int(req.Data[6])<<8 | int(req.Data[7])
			if n := int(req.Data[8]); n != 2*writeQty || n != len(req.Data)-9 {
				t.Errorf("%d: %d registers written in %d bytes", i, writeQty, n)
			}
			if n := int(resp.Data[0]); n != 2*readQty || n != len(resp.Data)-1 {
				t.Errorf("%d: %d registers read in %d bytes", i, readQty, n)
			}
		case FuncEncapsulatedInterface:
			d := resp.Data
			if d[0] != MEIReadDeviceID || d[1] != req.Data[1] {
				t.Errorf("%d: device identification response % X to % X", i, d, req.Data)
			}
			off, objs := 6, int(d[5])
			for range objs {
				off += 2 + int(d[off+1])
			}
			if off != len(d) {
				t.Errorf("%d: %d objects end at %d of %d bytes", i, objs, off, len(d))
			}
		default:
			t.Errorf("%d: unexpected function %#x", i, req.Function)
		}
	}
	for _, fc := range randomFunctions {
		if !fcs[fc] {
			t.Errorf("function %#x never generated", fc)
		}
	}
}
