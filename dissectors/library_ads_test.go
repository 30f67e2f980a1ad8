package dissectors

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/dissect-project/dissect/internal/pcapgen"
)

// Tests of the bundled Beckhoff ADS/AMS schema (library/ads.dsl), on
// packets built from the ADS specification (Beckhoff Information System).

var (
	adsPLC = [6]byte{5, 1, 204, 160, 1, 1}
	adsHMI = [6]byte{10, 0, 0, 2, 1, 1}
)

func adsReq(cmd uint16, invoke uint32, data []byte) []byte {
	return pcapgen.ADSFrame(adsPLC, 851, adsHMI, 32905, cmd, 0x0004, 0, invoke, data)
}

func adsResp(cmd uint16, invoke uint32, data []byte) []byte {
	return pcapgen.ADSFrame(adsHMI, 32905, adsPLC, 851, cmd, 0x0005, 0, invoke, data)
}

func u32s(vs ...uint32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

func TestADSMessages(t *testing.T) {
	reg := libraryRegistry(t)
	name := append([]byte("TwinCAT"), make([]byte, 9)...)
	tests := []struct {
		name    string
		dir     Direction
		data    []byte
		summary string
		fields  map[string]string
	}{
		{"read device info", ClientToServer, adsReq(1, 1, nil),
			"ADS Read Device Info Request [10.0.0.2.1.1:32905 → 5.1.204.160.1.1:851, invoke 1]",
			map[string]string{"reserved": "0", "length": "32", "ams.target": "5.1.204.160.1.1", "ams.targetport": "851",
				"ams.sender": "10.0.0.2.1.1", "ams.senderport": "32905", "ams.cmdid": "ADS Read Device Info (1)",
				"ams.stateflags": "ADS COMMAND (0x0004)", "ams.response": "0", "ams.ads_cmd": "1", "ams.cbdata": "0",
				"ams.errorcode": "NO ERROR (0x00000000)", "ams.invokeid": "1"}},
		{"read device info response", ServerToClient, adsResp(1, 1, append([]byte{0, 0, 0, 0, 3, 1, 0xE4, 0x0F}, name...)),
			"", map[string]string{"ams.body.data.major": "3", "ams.body.data.minor": "1", "ams.body.data.build": "4068",
				"ams.response": "1"}},
		{"read", ClientToServer, adsReq(2, 2, u32s(0x4020, 0x10, 4)),
			"ADS Read Request, group 0x00004020, offset 0x00000010, 4 bytes [10.0.0.2.1.1:32905 → 5.1.204.160.1.1:851, invoke 2]",
			map[string]string{"ams.body.data.cblength": "4"}},
		{"read response", ServerToClient, adsResp(2, 2, append(u32s(0, 2), 0xAB, 0xCD)),
			"", map[string]string{"ams.body.data.result": "NO ERROR (0x00000000)", "ams.body.data.data": "abcd"}},
		{"write", ClientToServer, adsReq(3, 3, append(u32s(0x4020, 0, 1), 9)), "", map[string]string{"ams.body.data.data": "09"}},
		{"write response", ServerToClient, adsResp(3, 3, u32s(0x706)),
			"", map[string]string{"ams.body.data.result": "INVALID DATA (0x00000706)"}},
		{"read state response", ServerToClient, adsResp(4, 4, []byte{0, 0, 0, 0, 6, 0, 1, 0}),
			"", map[string]string{"ams.body.data.adsstate": "STOP (6)", "ams.body.data.devicestate": "1"}},
		{"write control", ClientToServer, adsReq(5, 5, append([]byte{5, 0, 0, 0}, u32s(0)...)),
			"", map[string]string{"ams.body.data.adsstate": "RUN (5)"}},
		{"add notification", ClientToServer, adsReq(6, 6, append(u32s(0x4020, 0, 2, 3, 100, 10), make([]byte, 16)...)),
			"", map[string]string{"ams.body.data.transmode": "SERVER CYCLE (3)", "ams.body.data.maxdelay": "100 ms"}},
		{"add notification response", ServerToClient, adsResp(6, 6, u32s(0, 42)),
			"", map[string]string{"ams.body.data.handle": "42"}},
		{"delete notification", ClientToServer, adsReq(7, 7, u32s(42)), "", map[string]string{"ams.body.data.handle": "42"}},
		{"device notification", ServerToClient,
			pcapgen.ADSFrame(adsHMI, 32905, adsPLC, 851, 8, 0x0004, 0, 0,
				append(u32s(4+8+4+8+2+8+1, 1), append(append(make([]byte, 8), u32s(2, 42, 2)...), append([]byte{1, 2}, append(u32s(43, 1), 3)...)...)...)),
			"", map[string]string{"ams.body.data.stamps": "1", "ams.body.data.headers.0.samples": "2",
				"ams.body.data.headers.0.sample.1.handle": "43", "ams.body.data.headers.0.sample.1.data": "03"}},
		{"read write", ClientToServer, adsReq(9, 9, append(u32s(0xF003, 0, 4, 3), 'a', 'b', 'c')),
			"", map[string]string{"ams.body.data.cbwritelength": "3", "ams.body.data.data": "616263"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkOneFrame(t, reg, "ads", tt.dir, tt.data, tt.summary, tt.fields, nil)
			recs := checkEverySplit(t, reg, "ads", tt.dir, tt.data)
			checkRecordRun(t, recs, []string{"frame "}, len(tt.data))
		})
	}
}

func TestADSPairingAndErrors(t *testing.T) {
	reg := libraryRegistry(t)
	recs := decodeChunks(t, reg, "ads", []chunk{
		{ClientToServer, append(adsReq(4, 100, nil), adsReq(1, 101, nil)...)},
		{ServerToClient, adsResp(1, 101, append([]byte{0, 0, 0, 0, 1, 2, 3, 0}, make([]byte, 16)...))},
		{ServerToClient, pcapgen.ADSFrame(adsHMI, 32905, adsPLC, 851, 8, 0x0004, 0, 0, u32s(4, 0))},
		{ServerToClient, adsResp(4, 100, []byte{0, 0, 0, 0, 5, 0, 0, 0})},
		{ServerToClient, adsResp(2, 555, u32s(0, 0))},
	})
	var got []string
	for _, r := range recs {
		got = append(got, r.Kind.String()+" "+r.Pair.Status.String())
	}
	want := "frame request frame request frame matched frame none frame matched frame unsolicited"
	if strings.Join(got, " ") != want {
		t.Errorf("pairing: %v, want %s", got, want)
	}

	tests := []struct {
		name string
		data []byte
		want []string
	}{
		// The AMS data length disagrees with the AMS/TCP length.
		{"cbData mismatch", func() []byte {
			b := adsReq(2, 1, u32s(1, 2, 3))
			binary.LittleEndian.PutUint32(b[26:], 99)
			return b
		}(), []string{"frame the AMS data length does not match"}},
		{"read request cut", func() []byte {
			b := adsReq(2, 1, u32s(1, 2))
			return b
		}(), []string{"frame truncated"}},
		{"write shorter than its length", adsReq(3, 1, append(u32s(1, 2, 10), 1, 2)), []string{"frame truncated"}},
		{"notification with a hostile stamp count", pcapgen.ADSFrame(adsHMI, 32905, adsPLC, 851, 8, 0x0004, 0, 0, u32s(8, 0xFFFFFFFF)),
			[]string{"frame "}},
		{"reserved not 0", append([]byte{1, 0}, adsReq(4, 1, nil)[2:]...), []string{"frame bad value"}},
		{"hostile AMS/TCP length", append([]byte{0, 0, 0xFF, 0xFF, 0xFF, 0x7F}, make([]byte, 32)...), []string{"skipped out of range"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := decodeChunks(t, reg, "ads", []chunk{{ClientToServer, tt.data}})
			if tt.name == "notification with a hostile stamp count" {
				// 0xFFFFFFFF stamps in 0 bytes: a clear limit or truncation error.
				if len(recs) == 0 || !(strings.Contains(recs[0].Err, "truncated") || strings.Contains(recs[0].Err, "limit")) {
					t.Errorf("records %v, want a truncation or limit error", recs)
				}
				return
			}
			checkRecordRun(t, recs, tt.want, len(tt.data))
		})
	}
}
