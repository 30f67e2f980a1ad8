package dissectors

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/dissect-project/dissect/internal/pcapgen"
)

// Tests of the bundled Omron FINS schema (library/fins.dsl), on frames
// built from Omron's FINS Commands Reference Manual (W227) and the
// Ethernet Unit manual (W343).

func finsCommand(sid byte, command uint16, params ...byte) []byte {
	return append(pcapgen.FINSHeader(false, sid, command), params...)
}

func finsResponse(sid byte, command, end uint16, data ...byte) []byte {
	return append(binary.BigEndian.AppendUint16(pcapgen.FINSHeader(true, sid, command), end), data...)
}

func TestFINSMessages(t *testing.T) {
	reg := libraryRegistry(t)
	tests := []struct {
		name    string
		dir     Direction
		data    []byte
		summary string
		fields  map[string]string
	}{
		{"memory area read", ClientToServer, finsCommand(1, 0x0101, 0x82, 0x00, 0x64, 0x00, 0x00, 0x03),
			"Command: Memory Area Read, SID 0x01 DM : Word contents 100.0, 3 items",
			map[string]string{"body.icf": "0x80", "body.gwb": "1", "body.kind": "Command (0)", "body.rsb": "0",
				"body.gct": "2", "body.da1": "10", "body.sa1": "20", "body.sid": "0x01", "body.command": "Memory Area Read (0x0101)",
				"body.result.args.from.area": "DM : Word contents (0x82)", "body.result.args.from.address": "100",
				"body.result.args.from.bit": "0", "body.result.args.count": "3"}},
		{"memory area read response", ServerToClient, finsResponse(1, 0x0101, 0, 0x00, 0x01, 0x00, 0x02),
			"Response: Memory Area Read, SID 0x01, Normal completion",
			map[string]string{"body.kind": "Response (1)", "body.result.end_code": "0x0000",
				"body.result.end": "Normal completion (0)", "body.result.data.data": "00010002"}},
		{"memory area write", ClientToServer, finsCommand(2, 0x0102, 0xB0, 0x00, 0x10, 0x00, 0x00, 0x01, 0xBE, 0xEF),
			"Command: Memory Area Write, SID 0x02 CS1 mode: CIO Area : Word contents 16.0, 1 items",
			map[string]string{"body.result.args.data": "beef"}},
		{"memory area fill", ClientToServer, finsCommand(3, 0x0103, 0x82, 0x01, 0x00, 0x00, 0x00, 0x10, 0x12, 0x34),
			"", map[string]string{"body.result.args.count": "16", "body.result.args.value": "0x1234"}},
		{"multiple memory area read response", ServerToClient, finsResponse(4, 0x0104, 0, 0x82, 0x11, 0x11, 0x30, 0x01),
			"", map[string]string{"body.result.data.items.0.value": "1111", "body.result.data.items.1.area": "CS1 mode: CIO Area : Bit status (0x30)",
				"body.result.data.items.1.value": "01"}},
		{"memory area transfer", ClientToServer, finsCommand(5, 0x0105, 0x82, 0x00, 0x10, 0x00, 0x82, 0x00, 0x20, 0x00, 0x00, 0x04),
			"Command: Memory Area Transfer, SID 0x05 DM : Word contents 16.0 to DM : Word contents 32.0, 4 items", nil},
		{"parameter area read", ClientToServer, finsCommand(6, 0x0201, 0x80, 0x10, 0x00, 0x00, 0x00, 0x02),
			"Command: Parameter Area Read, SID 0x06 PC Setup", map[string]string{"body.result.args.words": "2"}},
		{"run", ClientToServer, finsCommand(7, 0x0401, 0xFF, 0xFF, 0x04),
			"Command: Run, SID 0x07 RUN mode", map[string]string{"body.result.args.program_number": "0xffff"}},
		{"stop", ClientToServer, finsCommand(8, 0x0402), "Command: Stop, SID 0x08", nil},
		{"controller data read response", ServerToClient,
			finsResponse(9, 0x0501, 0, []byte(strings.Repeat("CJ2M-CPU31", 2)+strings.Repeat("v", 20))...),
			"Response: Controller Data Read, SID 0x09, Normal completion, CJ2M-CPU31CJ2M-CPU31", nil},
		{"controller status read response", ServerToClient,
			finsResponse(10, 0x0601, 0, 0x01, 0x04, 0, 0, 0, 0, 0, 0, 0, 0),
			"Response: Controller Status Read, SID 0x0a, Normal completion, Run, RUN mode", nil},
		{"cycle time read response", ServerToClient, finsResponse(11, 0x0620, 0, 0, 0, 0, 25, 0, 0, 0, 40, 0, 0, 0, 10),
			"Response: Cycle Time Read, SID 0x0b, Normal completion, average 2.5 ms (25)", nil},
		{"clock read response", ServerToClient, finsResponse(12, 0x0701, 0, 0x24, 0x01, 0x15, 0x13, 0x45, 0x30, 0x01),
			"", map[string]string{"body.result.data.year": "0x24", "body.result.data.day": "1"}},
		{"error end code with flags", ServerToClient, finsResponse(15, 0x0101, 0x9101),
			"Response: Memory Area Read, SID 0x0f, Memory area code invalid or DM is not available",
			map[string]string{"body.result.relay_error": "1", "body.result.end_code": "0x9101"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Over UDP: the frame alone.
			f := decodeDatagram(t, reg, "fins", tt.dir, tt.data)
			if f.Err != "" || (tt.summary != "" && f.Summary != tt.summary) {
				t.Errorf("udp: %v, want summary %q", f, tt.summary)
			}
			for path, want := range tt.fields {
				if got := f.Field(t, path); got != want {
					t.Errorf("udp: %s = %q, want %q", path, got, want)
				}
			}
			// Over TCP: in a FINS/TCP Frame Send, cut in every place.
			stream := pcapgen.FINSTCP(2, 0, tt.data)
			recs := checkEverySplit(t, reg, "fins", tt.dir, stream)
			checkRecordRun(t, recs, []string{"frame "}, len(stream))
			if recs[0].Summary != f.Summary {
				t.Errorf("tcp summary %q, udp %q", recs[0].Summary, f.Summary)
			}
		})
	}
}

func TestFINSTCPHeaderAndPairing(t *testing.T) {
	reg := libraryRegistry(t)
	checkOneFrame(t, reg, "fins", ClientToServer, pcapgen.FINSTCP(0, 0, []byte{0, 0, 0, 0}),
		"FINS/TCP: Node Address Data Send (Client to Server), client node 0",
		map[string]string{"body.magic": "0x46494e53", "body.length": "12", "body.command": "Node Address Data Send (Client to Server) (0)"}, nil)
	checkOneFrame(t, reg, "fins", ServerToClient, pcapgen.FINSTCP(1, 0, []byte{0, 0, 0, 21, 0, 0, 0, 10}),
		"FINS/TCP: Node Address Data Send (Server to Client), client node 21, server node 10", nil, nil)
	checkOneFrame(t, reg, "fins", ServerToClient, pcapgen.FINSTCP(3, 0x21, nil),
		"FINS/TCP: Frame Send Error Notification: The specified node is already connected", nil, nil)
	// A command and its response pair by SID; a response with no command
	// is unsolicited; a command that asks for no response does not wait.
	noResp := finsCommand(9, 0x0402)
	noResp[0] |= 1
	recs := decodeChunks(t, reg, "fins", []chunk{
		{ClientToServer, pcapgen.FINSTCP(2, 0, finsCommand(0x33, 0x0701))},
		{ServerToClient, pcapgen.FINSTCP(2, 0, finsResponse(0x33, 0x0701, 0, 0x24, 0x01, 0x15, 0x13, 0x45, 0x30, 0x01))},
		{ServerToClient, pcapgen.FINSTCP(2, 0, finsResponse(0x34, 0x0701, 0))},
		{ClientToServer, pcapgen.FINSTCP(2, 0, noResp)},
	})
	var got []string
	for _, r := range recs {
		got = append(got, r.Kind.String()+" "+r.Pair.Status.String())
	}
	if want := "[frame request frame matched frame unsolicited frame none]"; strings.Join(got, " ") != strings.Trim(want, "[]") {
		t.Errorf("pairing: %v, want %s", got, want)
	}
}

func TestFINSMalformed(t *testing.T) {
	reg := libraryRegistry(t)
	tests := []struct {
		name string
		data []byte
		err  string
	}{
		{"truncated header", []byte{0x80, 0, 2, 0, 10}, "truncated"},
		{"memory read without its count", finsCommand(1, 0x0101, 0x82, 0x00), "truncated"},
		{"bit number out of range", finsCommand(1, 0x0101, 0x82, 0x00, 0x64, 0x20, 0x00, 0x01), "out of range"},
		{"zero items", finsCommand(1, 0x0101, 0x82, 0x00, 0x64, 0x00, 0x00, 0x00), "out of range"},
		{"multiple read item cut", finsResponse(4, 0x0104, 0, 0x82, 0x11), "truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := decodeDatagram(t, reg, "fins", ClientToServer, tt.data)
			if !strings.Contains(f.Err, tt.err) {
				t.Errorf("error %q, want one containing %q", f.Err, tt.err)
			}
		})
	}
	// Over TCP: a hostile length is refused and the stream resynchronises
	// at the next "FINS".
	bad := []byte("FINS\xff\xff\xff\xff\x00\x00\x00\x02\x00\x00\x00\x00")
	good := pcapgen.FINSTCP(2, 0, finsCommand(1, 0x0402))
	stream := append(append([]byte{}, bad...), good...)
	recs := decodeChunks(t, reg, "fins", []chunk{{ClientToServer, stream}})
	checkRecordRun(t, recs, []string{"skipped out of range", "frame "}, len(stream))
}
