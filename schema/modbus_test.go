package schema

import (
	"encoding/binary"
	"os"
	"strings"
	"sync"
	"testing"
)

const modbusPath = "../dissectors/library/modbus.dsl"

var (
	modbusOnce sync.Once
	modbusProg *Program
	modbusErrs string
)

// modbus compiles the Modbus/TCP schema once for all tests.
func modbus(t testing.TB) *Program {
	t.Helper()
	modbusOnce.Do(func() {
		text, err := os.ReadFile(modbusPath)
		if err != nil {
			modbusErrs = err.Error()
			return
		}
		p, errs := Compile("modbus.dsl", text)
		if len(errs) != 0 {
			modbusErrs = errs.Error()
		}
		modbusProg = p
	})
	if modbusProg == nil || modbusErrs != "" {
		t.Fatalf("modbus.dsl: %s", modbusErrs)
	}
	return modbusProg
}

// adu builds a Modbus/TCP frame: the MBAP header (transaction id, protocol
// 0, length, unit) and the PDU.
func adu(tid uint16, unit byte, pdu ...byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, tid)
	b = binary.BigEndian.AppendUint16(b, 0)
	b = binary.BigEndian.AppendUint16(b, uint16(1+len(pdu)))
	b = append(b, unit)
	return append(b, pdu...)
}

func TestModbusCompiles(t *testing.T) {
	p := modbus(t)
	if p.Name != "modbus" || p.Title != "Modbus/TCP" || p.Transport != "tcp" || p.Wireshark != "mbtcp" ||
		p.Endian != BigEndian || len(p.Ports) != 1 || p.Ports[0] != 502 {
		t.Errorf("protocol: %+v", p)
	}
	if p.Request == nil || p.Request.Name != "Request" || p.Response == nil || p.Response.Name != "Response" {
		t.Fatal("roots")
	}
	if p.Framing == nil || p.Framing.Min != 8 || p.Framing.Max != 260 {
		t.Errorf("framing %+v", p.Framing)
	}
	// Every declaration is compiled (and, with no warnings, used).
	text, _ := os.ReadFile(modbusPath)
	var enums, structs int
	for _, line := range strings.Split(string(text), "\n") {
		if strings.HasPrefix(line, "enum ") {
			enums++
		}
		if strings.HasPrefix(line, "struct ") {
			structs++
		}
	}
	if len(p.Enums) != enums || len(p.Structs) != structs {
		t.Errorf("%d enums, %d structs; the file declares %d and %d", len(p.Enums), len(p.Structs), enums, structs)
	}
}

type modbusCase struct {
	name    string
	data    []byte
	summary string
	fields  []string // "path=display"
	err     string   // DecodeError.Error(), "" for none
}

func runModbus(t *testing.T, root *Struct, tests []modbusCase) {
	t.Helper()
	var f Frame
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			Decode(root, tt.data, &f, Limits{})
			checkTree(t, &f)
			gotErr := ""
			if f.Err != nil {
				gotErr = f.Err.Error()
			}
			if gotErr != tt.err {
				t.Errorf("error %q, want %q", gotErr, tt.err)
			}
			if tt.err == "" && int(f.Nodes[0].Len) != len(tt.data) {
				t.Errorf("root covers %d of %d bytes", f.Nodes[0].Len, len(tt.data))
			}
			if got := string(f.AppendSummary(nil)); got != tt.summary {
				t.Errorf("summary\n got: %q\nwant: %q", got, tt.summary)
			}
			for _, fv := range tt.fields {
				path, want, _ := strings.Cut(fv, "=")
				i, ok := f.Lookup(path)
				if !ok {
					t.Errorf("%s: missing", path)
					continue
				}
				if got := display(&f, i); got != want {
					t.Errorf("%s = %q, want %q", path, got, want)
				}
			}
		})
	}
}

var mbapFields = []string{"mbap.transaction_id=1", "mbap.protocol_id=0", "mbap.unit_id=17"}

func TestModbusRequests(t *testing.T) {
	p := modbus(t)
	q := func(fc string) string { return "Query: Trans: 1; Unit: 17, Func: " + fc }
	runModbus(t, p.Request, []modbusCase{
		{"read coils", adu(1, 17, 0x01, 0x00, 0x13, 0x00, 0x25), q("Read Coils (1)"),
			append(mbapFields, "mbap.length=6", "function=Read Coils (1)", "body.reference_number=19", "body.quantity=37"), ""},
		{"read discrete inputs", adu(1, 17, 0x02, 0x00, 0xc4, 0x00, 0x16), q("Read Discrete Inputs (2)"),
			[]string{"body.reference_number=196", "body.quantity=22"}, ""},
		{"read holding registers", adu(1, 17, 0x03, 0x00, 0x6b, 0x00, 0x03), q("Read Holding Registers (3)"),
			[]string{"body.reference_number=107", "body.quantity=3"}, ""},
		{"read input registers", adu(1, 17, 0x04, 0x00, 0x08, 0x00, 0x01), q("Read Input Registers (4)"),
			[]string{"body.reference_number=8", "body.quantity=1"}, ""},
		{"write single coil", adu(1, 17, 0x05, 0x00, 0xac, 0xff, 0x00), q("Write Single Coil (5)"),
			[]string{"body.reference_number=172", "body.value=On (0xff00)"}, ""},
		{"write single coil off", adu(1, 17, 0x05, 0x00, 0xac, 0x00, 0x00), q("Write Single Coil (5)"),
			[]string{"body.value=Off (0x0000)"}, ""},
		{"write single register", adu(1, 17, 0x06, 0x00, 0x01, 0x00, 0x03), q("Write Single Register (6)"),
			[]string{"body.reference_number=1", "body.value=3"}, ""},
		{"write multiple coils", adu(1, 17, 0x0f, 0x00, 0x13, 0x00, 0x0a, 0x02, 0xcd, 0x01), q("Write Multiple Coils (15)"),
			[]string{"body.reference_number=19", "body.quantity=10", "body.byte_count=2", "body.values=cd01"}, ""},
		{"write multiple registers", adu(1, 17, 0x10, 0x00, 0x01, 0x00, 0x02, 0x04, 0x00, 0x0a, 0x01, 0x02), q("Write Multiple Registers (16)"),
			[]string{"body.quantity=2", "body.byte_count=4", "body.registers=2 items", "body.registers.0=10", "body.registers.1=258"}, ""},
		{"read write multiple registers", adu(1, 17, 0x17, 0x00, 0x03, 0x00, 0x06, 0x00, 0x0e, 0x00, 0x03, 0x06, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff),
			q("Read Write Multiple Registers (23)"),
			[]string{"body.read_reference_number=3", "body.read_quantity=6", "body.write_reference_number=14",
				"body.write_quantity=3", "body.byte_count=6", "body.registers=3 items", "body.registers.2=255"}, ""},
		{"read device identification", adu(1, 17, 0x2b, 0x0e, 0x01, 0x00), q("Encapsulated Interface Transport (43)"),
			[]string{"body.mei_type=Read Device Identification (14)", "body.data.read_device_id_code=Basic Device Identification (1)",
				"body.data.object_id=VendorName (0)"}, ""},
		{"other MEI type", adu(1, 17, 0x2b, 0x0d, 0x01, 0x02), q("Encapsulated Interface Transport (43)"),
			[]string{"body.mei_type=CANopen General Reference (13)", "body.data.data=0102"}, ""},
		{"mask write register", adu(1, 17, 0x16, 0x00, 0x04, 0x00, 0xf2, 0x00, 0x25), q("Mask Write Register (22)"),
			[]string{"body.and_mask=0x00f2", "body.or_mask=0x0025"}, ""},
		{"read fifo queue", adu(1, 17, 0x18, 0x04, 0xde), q("Read FIFO Queue (24)"),
			[]string{"body.fifo_pointer_address=1246"}, ""},
		{"unknown function", adu(1, 17, 0x41, 1, 2, 3), q("Unknown (65)"),
			[]string{"body.data=010203"}, ""},
		{"function without data", adu(1, 17, 0x07), q("Read Exception Status (7)"),
			[]string{"body.data=(empty)"}, ""},
		{"bad protocol id", []byte{0, 1, 0, 5, 0, 6, 17, 1, 0, 0, 0, 1}, "Query: Trans: 1; Unit: ?, Func: ?",
			[]string{"mbap.protocol_id=5"}, "mbap.protocol_id: bad value: expected 0, found 5 (at frame offset 2)"},
		{"truncated body", adu(1, 17, 0x03, 0x00, 0x6b), q("Read Holding Registers (3)"),
			[]string{"body.reference_number=107"}, "body.quantity: truncated: expected 2 bytes for u16, found 0 (at frame offset 10)"},
		{"truncated header", []byte{0, 1, 0, 0}, "Query: Trans: 1; Unit: ?, Func: ?",
			nil, "mbap.length: truncated: expected 2 bytes for u16, found 0 (at frame offset 4)"},
		{"short write multiple registers", adu(1, 17, 0x10, 0x00, 0x01, 0x00, 0x02, 0x04, 0x00, 0x0a), q("Write Multiple Registers (16)"),
			[]string{"body.byte_count=4"}, "body.registers: truncated: expected 2 elements of 2 bytes, found 2 bytes (at frame offset 13)"},
	})
}

func TestModbusResponses(t *testing.T) {
	p := modbus(t)
	r := func(fc string) string { return "Response: Trans: 1; Unit: 17, Func: " + fc }
	regs := []byte{0x03, 20}
	for i := 0; i < 10; i++ {
		regs = append(regs, byte(i), byte(i*16))
	}
	mei := []byte{0x2b, 0x0e, 0x01, 0x81, 0x00, 0x00, 0x03}
	mei = append(mei, 0x00, 0x16)
	mei = append(mei, "Company identification"...)
	mei = append(mei, 0x01, 0x0d)
	mei = append(mei, "Product code "...)
	mei = append(mei, 0x02, 0x05)
	mei = append(mei, "V2.11"...)
	runModbus(t, p.Response, []modbusCase{
		{"read coils", adu(1, 17, 0x01, 0x03, 0xcd, 0x6b, 0x05), r("Read Coils (1)"),
			append(mbapFields, "function=Read Coils (1)", "body.byte_count=3", "body.status=cd6b05"), ""},
		{"read discrete inputs", adu(1, 17, 0x02, 0x03, 0xac, 0xdb, 0x35), r("Read Discrete Inputs (2)"),
			[]string{"body.status=acdb35"}, ""},
		{"read holding registers", adu(1, 17, regs...), r("Read Holding Registers (3)"),
			[]string{"body.byte_count=20", "body.registers=10 items", "body.registers.0=0", "body.registers.1=272",
				"body.registers.9=2448"}, ""},
		{"read input registers", adu(1, 17, 0x04, 0x02, 0x00, 0x0a), r("Read Input Registers (4)"),
			[]string{"body.registers=1 item", "body.registers.0=10"}, ""},
		{"write single coil", adu(1, 17, 0x05, 0x00, 0xac, 0xff, 0x00), r("Write Single Coil (5)"),
			[]string{"body.value=On (0xff00)"}, ""},
		{"write single register", adu(1, 17, 0x06, 0x00, 0x01, 0x00, 0x03), r("Write Single Register (6)"),
			[]string{"body.value=3"}, ""},
		{"write multiple coils", adu(1, 17, 0x0f, 0x00, 0x13, 0x00, 0x0a), r("Write Multiple Coils (15)"),
			[]string{"body.reference_number=19", "body.quantity=10"}, ""},
		{"write multiple registers", adu(1, 17, 0x10, 0x00, 0x01, 0x00, 0x02), r("Write Multiple Registers (16)"),
			[]string{"body.reference_number=1", "body.quantity=2"}, ""},
		{"read write multiple registers", adu(1, 17, 0x17, 0x0c, 0, 0xfe, 0x0a, 0xcd, 0, 1, 0, 3, 0, 0x0d, 0, 0xff), r("Read Write Multiple Registers (23)"),
			[]string{"body.registers=6 items", "body.registers.5=255"}, ""},
		{"read device identification", adu(1, 17, mei...), r("Encapsulated Interface Transport (43)"),
			[]string{"body.data.conformity_level=Basic (stream and individual access) (0x81)", "body.data.more_follows=0x00",
				"body.data.number_of_objects=3", "body.data.objects=3 items",
				"body.data.objects.0=VendorName (0): 436f6d70616e79206964656e74696669636174696f6e",
				"body.data.objects.1.length=13", "body.data.objects.2=MajorMinorRevision (2): 56322e3131"}, ""},
		{"read fifo queue", adu(1, 17, 0x18, 0x00, 0x06, 0x00, 0x02, 0x01, 0xb8, 0x12, 0x84), r("Read FIFO Queue (24)"),
			[]string{"body.fifo_count=2", "body.values.0=440", "body.values.1=4740"}, ""},
		{"exception", adu(1, 17, 0x83, 0x02), r("Read Holding Registers (3) (exception: Illegal data address (2))"),
			[]string{"exception=1", "function=Read Holding Registers (3)", "body.exception_code=Illegal data address (2)"}, ""},
		{"exception with unknown code", adu(1, 17, 0xab, 0x63), r("Encapsulated Interface Transport (43) (exception: Unknown (99))"),
			nil, ""},
		{"exception truncated", adu(1, 17, 0x81), r("Read Coils (1) (exception: ?)"),
			nil, "body.exception_code: truncated: expected 1 bytes for ExceptionCode, found 0 (at frame offset 8)"},
		{"register count past the end", adu(1, 17, 0x03, 20, 0, 1, 0, 2), r("Read Holding Registers (3)"),
			[]string{"body.byte_count=20"}, "body.registers: truncated: expected 10 elements of 2 bytes, found 4 bytes (at frame offset 9)"},
	})
	// byte_count / 2 registers: the odd byte is left over, not an error.
	var f Frame
	Decode(p.Response, adu(1, 17, 0x03, 3, 0, 1, 0), &f, Limits{})
	if i, ok := f.Lookup("body.registers"); f.Err != nil || !ok || display(&f, i) != "1 item" || f.Nodes[0].Len != 11 {
		t.Errorf("odd byte count: %v", f.Err)
	}
}

func TestModbusFraming(t *testing.T) {
	fr := modbus(t).Framing
	req := adu(1, 17, 0x03, 0x00, 0x6b, 0x00, 0x03)
	withLen := func(n uint16) []byte { return []byte{0, 1, 0, 0, byte(n >> 8), byte(n)} }
	tests := []struct {
		name   string
		buf    []byte
		n      int
		status FrameStatus
	}{
		{"whole frame", req, 12, FrameOK},
		{"frame and more", append(append([]byte(nil), req...), req...), 12, FrameOK},
		{"header only", req[:6], 12, FrameOK},
		{"empty", nil, 0, FrameNeedMore},
		{"one byte", req[:1], 0, FrameNeedMore},
		{"five bytes", req[:5], 0, FrameNeedMore},
		{"smallest", withLen(2), 8, FrameOK},
		{"largest", withLen(254), 260, FrameOK},
		{"length 0", withLen(0), 6, FrameInvalid},
		{"length 1: too small", withLen(1), 7, FrameInvalid},
		{"length 255: too big", withLen(255), 261, FrameInvalid},
		{"length 65535", withLen(0xffff), 65541, FrameInvalid},
	}
	for _, tt := range tests {
		n, st := fr.FrameLen(tt.buf)
		if n != tt.n || st != tt.status {
			t.Errorf("%s: FrameLen = %d, %d; want %d, %d", tt.name, n, st, tt.n, tt.status)
		}
	}
}

// Framing expressions of other shapes: little-endian reads, odd sizes,
// computed offsets and errors while evaluating.
func TestFramingExpressions(t *testing.T) {
	tests := []struct {
		size   string
		buf    []byte
		n      int
		status FrameStatus
	}{
		{"u8(0)", []byte{5}, 5, FrameOK},
		{"u16le(0)", []byte{5, 1}, 261, FrameOK},
		{"u24(1) + 4", []byte{0, 0, 1, 0}, 260, FrameOK},
		{"u24le(1)", []byte{0, 0, 1, 0}, 256, FrameOK},
		{"u32(0)", []byte{0, 0, 1, 0}, 256, FrameOK},
		{"u32le(0)", []byte{0, 1, 0, 0}, 256, FrameOK},
		{"u64(0)", []byte{0, 0, 0, 0, 0, 0, 1, 0}, 256, FrameOK},
		{"u64le(0)", []byte{0, 1, 0, 0, 0, 0, 0, 0}, 256, FrameOK},
		{"u64(0)", []byte{0xff, 0, 0, 0, 0, 0, 0, 0}, -2147483648, FrameInvalid},
		{"u8(u8(0))", []byte{2, 0, 9}, 9, FrameOK},
		{"u8(u8(0))", []byte{3, 0, 9}, 0, FrameNeedMore},
		{"u8(0 - 1)", []byte{3}, 0, FrameInvalid}, // a negative offset can never be satisfied
		{"u8(u8(9))", []byte{3}, 0, FrameNeedMore},
		{"u8(1 / u8(0))", []byte{0}, 0, FrameInvalid},
		{"u8(0) / u8(1)", []byte{8, 0}, 0, FrameInvalid},
		{"u8(0) << u8(1)", []byte{8, 64}, 0, FrameInvalid},
		{"u8(0) > 3 ? u8(1) : 2", []byte{4, 7}, 7, FrameOK},
		{"u8(0) > 3 ? u8(1) : 2", []byte{3}, 2, FrameOK},
		{"10", nil, 10, FrameOK},
		{"u8(0) - 5", []byte{2}, -3, FrameInvalid},
		{"u32(0)", []byte{0x7f, 0xff, 0xff, 0xff}, 2147483647, FrameInvalid},
	}
	for _, tt := range tests {
		p := mustCompile(t, "protocol p { message M }\nstruct M { a u8 }\nframing { size "+tt.size+"; max 1000 }")
		n, st := p.Framing.FrameLen(tt.buf)
		if n != tt.n || st != tt.status {
			t.Errorf("size %s on % x: %d, %d; want %d, %d", tt.size, tt.buf, n, st, tt.n, tt.status)
		}
	}
	// The protocol's byte order is the default for reads.
	p := mustCompile(t, "protocol p { endian little; message M }\nstruct M { a u8 }\nframing { size u16(0) }")
	if n, st := p.Framing.FrameLen([]byte{2, 1}); n != 258 || st != FrameOK {
		t.Errorf("little-endian default: %d %d", n, st)
	}
}
