package dissectors

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"
)

// Byte builders for IEC 60870-5-104 APDUs, from IEC 60870-5-104 clause 5
// (APCI) and IEC 60870-5-101 clause 7 (ASDU).

// iec104APDU wraps a 4-byte control field and an ASDU in the start byte and
// the APDU length.
func iec104APDU(control []byte, asdu []byte) []byte {
	b := []byte{0x68, byte(len(control) + len(asdu))}
	b = append(b, control...)
	return append(b, asdu...)
}

// iec104I builds an I-format APDU: send and receive sequence numbers, each
// shifted left by one bit, little-endian.
func iec104I(tx, rx uint16, asdu []byte) []byte {
	c := make([]byte, 4)
	binary.LittleEndian.PutUint16(c[0:], tx<<1)
	binary.LittleEndian.PutUint16(c[2:], rx<<1)
	return iec104APDU(c, asdu)
}

// iec104S builds an S-format APDU acknowledging up to rx.
func iec104S(rx uint16) []byte {
	c := []byte{0x01, 0x00, 0, 0}
	binary.LittleEndian.PutUint16(c[2:], rx<<1)
	return iec104APDU(c, nil)
}

// U-format control octets.
const (
	iec104StartDTAct = 0x07
	iec104StartDTCon = 0x0B
	iec104StopDTAct  = 0x13
	iec104StopDTCon  = 0x23
	iec104TestFRAct  = 0x43
	iec104TestFRCon  = 0x83
)

func iec104U(code byte) []byte { return iec104APDU([]byte{code, 0, 0, 0}, nil) }

// iec104ASDU builds an ASDU: type id, variable structure qualifier, cause of
// transmission octet (with the T and P/N bits), originator address, common
// address, then the information objects.
func iec104ASDU(typeID byte, sq bool, n int, cot byte, oa byte, addr uint16, objects ...[]byte) []byte {
	vsq := byte(n)
	if sq {
		vsq |= 0x80
	}
	b := []byte{typeID, vsq, cot, oa, byte(addr), byte(addr >> 8)}
	for _, o := range objects {
		b = append(b, o...)
	}
	return b
}

// iec104IOA is a 3-byte little-endian information object address.
func iec104IOA(a uint32) []byte { return []byte{byte(a), byte(a >> 8), byte(a >> 16)} }

// iec104Obj concatenates parts of an information object.
func iec104Obj(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func iec104U16(v uint16) []byte { return []byte{byte(v), byte(v >> 8)} }

func iec104F32(v float32) []byte {
	return binary.LittleEndian.AppendUint32(nil, math.Float32bits(v))
}

// iec104CP56 builds a CP56Time2a: milliseconds within the minute, minute,
// hour, day of week, day of month, month, year (0..99), with the IV and SU
// bits.
func iec104CP56(ms uint16, min, hour, dow, day, month, year byte, iv, su bool) []byte {
	m := min
	if iv {
		m |= 0x80
	}
	h := hour
	if su {
		h |= 0x80
	}
	return []byte{byte(ms), byte(ms >> 8), m, h, dow<<5 | day, month, year}
}

// Cause of transmission values.
const (
	iec104Spont   = 3
	iec104Act     = 6
	iec104ActCon  = 7
	iec104ActTerm = 10
	iec104Inrogen = 20
)

func TestIEC104Messages(t *testing.T) {
	reg := libraryRegistry(t)
	cp56 := iec104CP56(12345, 30, 14, 3, 5, 6, 24, false, false) // Wed 2024-06-05 14:30:12.345
	tests := []struct {
		name    string
		dir     Direction
		data    []byte
		summary string
		fields  map[string]string
		absent  []string
	}{
		{
			name:    "STARTDT act",
			dir:     ClientToServer,
			data:    iec104U(iec104StartDTAct),
			summary: "U (STARTDT act)",
			fields:  map[string]string{"start": "0x68", "apdulen": "4", "format": "3", "apci.type": "3", "apci.function": "STARTDT act (1)"},
			absent:  []string{"apci.asdu"},
		},
		{
			name:    "STARTDT con",
			dir:     ServerToClient,
			data:    iec104U(iec104StartDTCon),
			summary: "U (STARTDT con)",
			fields:  map[string]string{"apci.function": "STARTDT con (2)"},
		},
		{
			name:    "STOPDT act",
			dir:     ClientToServer,
			data:    iec104U(iec104StopDTAct),
			summary: "U (STOPDT act)",
		},
		{
			name:    "STOPDT con",
			dir:     ServerToClient,
			data:    iec104U(iec104StopDTCon),
			summary: "U (STOPDT con)",
		},
		{
			name:    "TESTFR act from the server",
			dir:     ServerToClient,
			data:    iec104U(iec104TestFRAct),
			summary: "U (TESTFR act)",
		},
		{
			name:    "TESTFR con from the client",
			dir:     ClientToServer,
			data:    iec104U(iec104TestFRCon),
			summary: "U (TESTFR con)",
		},
		{
			name:    "U-format with two function bits",
			dir:     ClientToServer,
			data:    iec104U(0x0F),
			summary: "U (Unknown (3))",
		},
		{
			name:    "S-format",
			dir:     ClientToServer,
			data:    iec104S(12345),
			summary: "S (12345)",
			fields:  map[string]string{"format": "1", "apci.type": "1", "apci.rx": "12345"},
		},
		{
			name:    "general interrogation C_IC_NA_1 act",
			dir:     ClientToServer,
			data:    iec104I(0, 0, iec104ASDU(100, false, 1, iec104Act, 0, 1, iec104Obj(iec104IOA(0), []byte{20}))),
			summary: "I (0,0) ASDU=1 C_IC_NA_1 Act",
			fields: map[string]string{
				"apdulen": "14", "format": "0", "apci.type": "0", "apci.tx": "0", "apci.rx": "0",
				"apci.asdu.typeid": "C_IC_NA_1 (100)", "apci.asdu.sq": "0", "apci.asdu.numix": "1",
				"apci.asdu.test": "0", "apci.asdu.negative": "0", "apci.asdu.causetx": "Act (6)",
				"apci.asdu.oa": "0", "apci.asdu.addr": "1",
				"apci.asdu.objects.0.ioa":       "0",
				"apci.asdu.objects.0.value.qoi": "Station interrogation (global) (20)",
			},
			absent: []string{"apci.asdu.ioa", "apci.asdu.rawdata"},
		},
		{
			name:    "interrogation ActCon with sequence numbers",
			dir:     ServerToClient,
			data:    iec104I(32767, 16384, iec104ASDU(100, false, 1, iec104ActCon, 3, 65535, iec104Obj(iec104IOA(0), []byte{21}))),
			summary: "I (32767,16384) ASDU=65535 C_IC_NA_1 ActCon",
			fields: map[string]string{
				"apci.tx": "32767", "apci.rx": "16384", "apci.asdu.oa": "3",
				"apci.asdu.objects.0.value.qoi": "Group 1 interrogation (21)",
			},
		},
		{
			name: "negative confirmation in test mode",
			dir:  ServerToClient,
			data: iec104I(1, 1, iec104ASDU(100, false, 1, 0x80|0x40|iec104ActCon, 0, 1, iec104Obj(iec104IOA(0), []byte{20}))),
			fields: map[string]string{
				"apci.asdu.test": "1", "apci.asdu.negative": "1", "apci.asdu.causetx": "ActCon (7)",
			},
		},
		{
			name:    "single-point M_SP_NA_1, two objects",
			dir:     ServerToClient,
			data:    iec104I(2, 1, iec104ASDU(1, false, 2, iec104Spont, 0, 7, iec104Obj(iec104IOA(1001), []byte{0x01}), iec104Obj(iec104IOA(1002), []byte{0x80}))),
			summary: "I (2,1) ASDU=7 M_SP_NA_1 Spont",
			fields: map[string]string{
				"apci.asdu.objects.0.ioa": "1001", "apci.asdu.objects.0.value.siq.spi": "On (1)", "apci.asdu.objects.0.value.siq.iv": "0",
				"apci.asdu.objects.1.ioa": "1002", "apci.asdu.objects.1.value.siq.spi": "Off (0)", "apci.asdu.objects.1.value.siq.iv": "1",
			},
			absent: []string{"apci.asdu.objects.0.value.time"},
		},
		{
			name: "double-point M_DP_NA_1",
			dir:  ServerToClient,
			data: iec104I(3, 1, iec104ASDU(3, false, 1, iec104Spont, 0, 1, iec104Obj(iec104IOA(2000), []byte{0x12}))),
			fields: map[string]string{
				"apci.asdu.typeid": "M_DP_NA_1 (3)", "apci.asdu.objects.0.value.diq.dpi": "On (2)", "apci.asdu.objects.0.value.diq.bl": "1",
			},
		},
		{
			name: "step position M_ST_NA_1 with a negative value",
			dir:  ServerToClient,
			data: iec104I(3, 1, iec104ASDU(5, false, 1, iec104Spont, 0, 1, iec104Obj(iec104IOA(3000), []byte{0x80 | 0x7E, 0x00}))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.vti.transient": "1", "apci.asdu.objects.0.value.vti.value": "-2",
			},
		},
		{
			name: "bitstring M_BO_NA_1",
			dir:  ServerToClient,
			data: iec104I(3, 1, iec104ASDU(7, false, 1, iec104Spont, 0, 1, iec104Obj(iec104IOA(1), []byte{0x78, 0x56, 0x34, 0x12, 0x00}))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.bsi": "78563412", // 32 bits in wire order, as tshark reads them
			},
		},
		{
			name: "normalized value M_ME_NA_1",
			dir:  ServerToClient,
			data: iec104I(4, 1, iec104ASDU(9, false, 1, iec104Spont, 0, 1, iec104Obj(iec104IOA(4001), iec104U16(0x4000), []byte{0x00}))),
			fields: map[string]string{
				"apci.asdu.typeid": "M_ME_NA_1 (9)", "apci.asdu.objects.0.value.nva": "0.5 (16384)",
			},
		},
		{
			name: "scaled value M_ME_NB_1",
			dir:  ServerToClient,
			data: iec104I(4, 1, iec104ASDU(11, false, 1, iec104Spont, 0, 1, iec104Obj(iec104IOA(4002), iec104U16(0xFF9C), []byte{0x01}))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.sva": "-100", "apci.asdu.objects.0.value.qds.ov": "1",
			},
		},
		{
			name:    "short float M_ME_NC_1, two objects",
			dir:     ServerToClient,
			data:    iec104I(0, 1, iec104ASDU(13, false, 2, iec104Spont, 0, 1, iec104Obj(iec104IOA(1), iec104F32(1.5), []byte{0}), iec104Obj(iec104IOA(2), iec104F32(-2.25), []byte{0x80}))),
			summary: "I (0,1) ASDU=1 M_ME_NC_1 Spont",
			fields: map[string]string{
				"apci.asdu.objects.0.ioa": "1", "apci.asdu.objects.0.value.value": "1.5", "apci.asdu.objects.0.value.qds.iv": "0",
				"apci.asdu.objects.1.ioa": "2", "apci.asdu.objects.1.value.value": "-2.25", "apci.asdu.objects.1.value.qds.iv": "1",
			},
		},
		{
			name: "integrated totals M_IT_NA_1",
			dir:  ServerToClient,
			data: iec104I(5, 1, iec104ASDU(15, false, 1, 37, 0, 1, iec104Obj(iec104IOA(5001), []byte{0xFE, 0xFF, 0xFF, 0xFF, 0x40 | 0x05}))),
			fields: map[string]string{
				"apci.asdu.causetx": "Reqcogen (37)", "apci.asdu.objects.0.value.bcr.count": "-2",
				"apci.asdu.objects.0.value.bcr.ca": "1", "apci.asdu.objects.0.value.bcr.sq": "5", "apci.asdu.objects.0.value.bcr.iv": "0",
			},
		},
		{
			name: "single-point with CP24Time2a M_SP_TA_1",
			dir:  ServerToClient,
			data: iec104I(5, 1, iec104ASDU(2, false, 1, iec104Spont, 0, 1, iec104Obj(iec104IOA(9), []byte{0x01}, iec104U16(59999), []byte{59}))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.time.ms": "59999", "apci.asdu.objects.0.value.time.min": "59",
			},
		},
		{
			name:    "single-point with CP56Time2a M_SP_TB_1",
			dir:     ServerToClient,
			data:    iec104I(1, 1, iec104ASDU(30, false, 1, iec104Spont, 0, 1, iec104Obj(iec104IOA(100), []byte{0x01}, cp56))),
			summary: "I (1,1) ASDU=1 M_SP_TB_1 Spont",
			fields: map[string]string{
				"apci.asdu.objects.0.value.siq.spi":        "On (1)",
				"apci.asdu.objects.0.value.time":           "2024-06-05T14:30:12.345Z (1717597812345)",
				"apci.asdu.objects.0.value.time.ms":        "12345",
				"apci.asdu.objects.0.value.time.min":       "30",
				"apci.asdu.objects.0.value.time.hour":      "14",
				"apci.asdu.objects.0.value.time.dow":       "3",
				"apci.asdu.objects.0.value.time.day":       "5",
				"apci.asdu.objects.0.value.time.month":     "6",
				"apci.asdu.objects.0.value.time.year":      "24",
				"apci.asdu.objects.0.value.time.iv":        "0",
				"apci.asdu.objects.0.value.time.su":        "0",
				"apci.asdu.objects.0.value.time.timestamp": "2024-06-05T14:30:12.345Z (1717597812345)",
			},
		},
		{
			name: "double-point with CP56Time2a M_DP_TB_1, invalid summer time",
			dir:  ServerToClient,
			data: iec104I(1, 1, iec104ASDU(31, false, 1, iec104Spont, 0, 1, iec104Obj(iec104IOA(100), []byte{0x01}, iec104CP56(0, 0, 0, 0, 1, 1, 99, true, true)))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.diq.dpi":   "Off (1)",
				"apci.asdu.objects.0.value.time":      "1999-01-01T00:00:00Z (915148800000)",
				"apci.asdu.objects.0.value.time.iv":   "1",
				"apci.asdu.objects.0.value.time.su":   "1",
				"apci.asdu.objects.0.value.time.hour": "0",
			},
		},
		{
			name: "normalized with CP56Time2a M_ME_TD_1",
			dir:  ServerToClient,
			data: iec104I(1, 1, iec104ASDU(34, false, 1, iec104Spont, 0, 1, iec104Obj(iec104IOA(7), iec104U16(0x8000), []byte{0}, iec104CP56(500, 1, 2, 1, 29, 2, 24, false, false)))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.nva":  "-1 (-32768)",
				"apci.asdu.objects.0.value.time": "2024-02-29T02:01:00.5Z (1709172060500)",
			},
		},
		{
			name: "scaled with CP56Time2a M_ME_TE_1",
			dir:  ServerToClient,
			data: iec104I(1, 1, iec104ASDU(35, false, 1, iec104Spont, 0, 1, iec104Obj(iec104IOA(7), iec104U16(1234), []byte{0}, cp56))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.sva": "1234", "apci.asdu.objects.0.value.time.year": "24",
			},
		},
		{
			name:    "short float with CP56Time2a M_ME_TF_1",
			dir:     ServerToClient,
			data:    iec104I(1, 1, iec104ASDU(36, false, 1, iec104Spont, 0, 1, iec104Obj(iec104IOA(7), iec104F32(230.5), []byte{0}, cp56))),
			summary: "I (1,1) ASDU=1 M_ME_TF_1 Spont",
			fields: map[string]string{
				"apci.asdu.objects.0.value.value": "230.5", "apci.asdu.objects.0.value.time.hour": "14",
			},
		},
		{
			name: "integrated totals with CP56Time2a M_IT_TB_1",
			dir:  ServerToClient,
			data: iec104I(1, 1, iec104ASDU(37, false, 1, 37, 0, 1, iec104Obj(iec104IOA(7), []byte{100, 0, 0, 0, 0x80}, cp56))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.bcr.count": "100", "apci.asdu.objects.0.value.bcr.iv": "1", "apci.asdu.objects.0.value.time.day": "5",
			},
		},
		{
			name:    "sequence SQ=1 M_ME_NB_1: one address, three elements",
			dir:     ServerToClient,
			data:    iec104I(2, 1, iec104ASDU(11, true, 3, iec104Inrogen, 0, 1, iec104IOA(10), iec104U16(100), []byte{0}, iec104U16(0xFFFF), []byte{1}, iec104U16(300), []byte{0})),
			summary: "I (2,1) ASDU=1 M_ME_NB_1 Inrogen",
			fields: map[string]string{
				"apci.asdu.sq": "1", "apci.asdu.numix": "3", "apci.asdu.ioa": "10",
				"apci.asdu.objects.0.value.sva": "100", "apci.asdu.objects.1.value.sva": "-1",
				"apci.asdu.objects.1.value.qds.ov": "1", "apci.asdu.objects.2.value.sva": "300",
				// Each element's address, worked out from its offset and size.
				"apci.asdu.objects.0.element_ioa": "10", "apci.asdu.objects.1.element_ioa": "11",
				"apci.asdu.objects.2.element_ioa": "12",
			},
			absent: []string{"apci.asdu.objects.0.ioa", "apci.asdu.objects.1.ioa", "apci.asdu.objects.3"},
		},
		{
			name:    "single command C_SC_NA_1 select",
			dir:     ClientToServer,
			data:    iec104I(3, 1, iec104ASDU(45, false, 1, iec104Act, 0, 1, iec104Obj(iec104IOA(5), []byte{0x81}))),
			summary: "I (3,1) ASDU=1 C_SC_NA_1 Act",
			fields: map[string]string{
				"apci.asdu.objects.0.value.sco.se": "Select (1)", "apci.asdu.objects.0.value.sco.scs": "On (1)", "apci.asdu.objects.0.value.sco.qu": "No additional definition (0)",
			},
		},
		{
			name: "double command C_DC_NA_1 execute, short pulse",
			dir:  ClientToServer,
			data: iec104I(4, 1, iec104ASDU(46, false, 1, iec104Act, 0, 1, iec104Obj(iec104IOA(6), []byte{0x01<<2 | 0x01}))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.dco.se": "Execute (0)", "apci.asdu.objects.0.value.dco.dcs": "Off (1)", "apci.asdu.objects.0.value.dco.qu": "Short pulse duration (1)",
			},
		},
		{
			name: "regulating step C_RC_NA_1",
			dir:  ClientToServer,
			data: iec104I(4, 1, iec104ASDU(47, false, 1, iec104Act, 0, 1, iec104Obj(iec104IOA(6), []byte{0x02}))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.rco.rcs": "Next step higher (2)",
			},
		},
		{
			name: "set-point normalized C_SE_NA_1",
			dir:  ClientToServer,
			data: iec104I(5, 1, iec104ASDU(48, false, 1, iec104Act, 0, 1, iec104Obj(iec104IOA(6), iec104U16(0x2000), []byte{0x80}))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.nva": "0.25 (8192)", "apci.asdu.objects.0.value.qos.se": "Select (1)", "apci.asdu.objects.0.value.qos.ql": "0",
			},
		},
		{
			name: "set-point scaled C_SE_NB_1",
			dir:  ClientToServer,
			data: iec104I(5, 1, iec104ASDU(49, false, 1, iec104Act, 0, 1, iec104Obj(iec104IOA(6), iec104U16(500), []byte{0x00}))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.sva": "500", "apci.asdu.objects.0.value.qos.se": "Execute (0)",
			},
		},
		{
			name: "set-point float C_SE_NC_1 ActCon",
			dir:  ServerToClient,
			data: iec104I(5, 6, iec104ASDU(50, false, 1, iec104ActCon, 0, 1, iec104Obj(iec104IOA(6), iec104F32(-0.125), []byte{0x00}))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.value": "-0.125", "apci.asdu.causetx": "ActCon (7)",
			},
		},
		{
			name: "single command with CP56Time2a C_SC_TA_1",
			dir:  ClientToServer,
			data: iec104I(5, 1, iec104ASDU(58, false, 1, iec104Act, 0, 1, iec104Obj(iec104IOA(6), []byte{0x01}, cp56))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.sco.scs": "On (1)", "apci.asdu.objects.0.value.time.min": "30",
			},
		},
		{
			name: "set-point float with CP56Time2a C_SE_TC_1",
			dir:  ClientToServer,
			data: iec104I(5, 1, iec104ASDU(63, false, 1, iec104Act, 0, 1, iec104Obj(iec104IOA(6), iec104F32(2), []byte{0x00}, cp56))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.value": "2", "apci.asdu.objects.0.value.time.month": "6",
			},
		},
		{
			name: "end of initialization M_EI_NA_1",
			dir:  ServerToClient,
			data: iec104I(0, 0, iec104ASDU(70, false, 1, 4, 0, 1, iec104Obj(iec104IOA(0), []byte{0x82}))),
			fields: map[string]string{
				"apci.asdu.causetx": "Init (4)", "apci.asdu.objects.0.value.coi.cause": "Remote reset (2)", "apci.asdu.objects.0.value.coi.changed": "1",
			},
		},
		{
			name: "counter interrogation C_CI_NA_1",
			dir:  ClientToServer,
			data: iec104I(0, 0, iec104ASDU(101, false, 1, iec104Act, 0, 1, iec104Obj(iec104IOA(0), []byte{0x45}))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.qcc.rqt": "General request counter (5)", "apci.asdu.objects.0.value.qcc.frz": "Counter freeze without reset (1)",
			},
		},
		{
			name: "read command C_RD_NA_1 has no element",
			dir:  ClientToServer,
			data: iec104I(0, 0, iec104ASDU(102, false, 1, 5, 0, 1, iec104IOA(1234))),
			fields: map[string]string{
				"apci.asdu.causetx": "Req (5)", "apci.asdu.objects.0.ioa": "1234",
			},
		},
		{
			name:    "clock synchronization C_CS_NA_1",
			dir:     ClientToServer,
			data:    iec104I(0, 0, iec104ASDU(103, false, 1, iec104Act, 0, 1, iec104Obj(iec104IOA(0), cp56))),
			summary: "I (0,0) ASDU=1 C_CS_NA_1 Act",
			fields: map[string]string{
				"apci.asdu.objects.0.value.time": "2024-06-05T14:30:12.345Z (1717597812345)",
			},
		},
		{
			name: "test command C_TS_NA_1",
			dir:  ClientToServer,
			data: iec104I(0, 0, iec104ASDU(104, false, 1, iec104Act, 0, 1, iec104Obj(iec104IOA(0), []byte{0xAA, 0x55}))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.fbp": "0x55aa",
			},
		},
		{
			name: "reset process C_RP_NA_1",
			dir:  ClientToServer,
			data: iec104I(0, 0, iec104ASDU(105, false, 1, iec104Act, 0, 1, iec104Obj(iec104IOA(0), []byte{1}))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.qrp": "General reset of process (1)",
			},
		},
		{
			name: "test command with CP56Time2a C_TS_TA_1",
			dir:  ClientToServer,
			data: iec104I(0, 0, iec104ASDU(107, false, 1, iec104Act, 0, 1, iec104Obj(iec104IOA(0), iec104U16(7), cp56))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.tsc": "7", "apci.asdu.objects.0.value.time.day": "5",
			},
		},
		{
			name: "parameter of measured value P_ME_NC_1",
			dir:  ClientToServer,
			data: iec104I(0, 0, iec104ASDU(112, false, 1, iec104Act, 0, 1, iec104Obj(iec104IOA(44), iec104F32(0.5), []byte{0x01}))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.value": "0.5", "apci.asdu.objects.0.value.qpm.kpa": "Threshold value (1)",
			},
		},
		{
			name: "parameter activation P_AC_NA_1",
			dir:  ClientToServer,
			data: iec104I(0, 0, iec104ASDU(113, false, 1, iec104Act, 0, 1, iec104Obj(iec104IOA(44), []byte{3}))),
			fields: map[string]string{
				"apci.asdu.objects.0.value.qpa": "Act/deact of persistent cyclic or periodic transmission (3)",
			},
		},
		{
			name: "file segment F_SG_NA_1",
			dir:  ServerToClient,
			data: iec104I(0, 0, iec104ASDU(125, false, 1, 13, 0, 1, iec104Obj(iec104IOA(77), iec104U16(1), []byte{2, 3}, []byte("abc")))),
			fields: map[string]string{
				"apci.asdu.causetx": "File (13)", "apci.asdu.objects.0.value.nof": "1", "apci.asdu.objects.0.value.nos": "2",
				"apci.asdu.objects.0.value.los": "3", "apci.asdu.objects.0.value.segment": "616263",
			},
		},
		{
			name: "unknown type id: objects kept as raw bytes",
			dir:  ServerToClient,
			data: iec104I(0, 0, iec104ASDU(200, false, 2, iec104Spont, 0, 1, []byte{1, 2, 3, 4, 5, 6, 7})),
			fields: map[string]string{
				"apci.asdu.typeid": "Unknown (200)", "apci.asdu.rawdata": "01020304050607",
			},
			absent: []string{"apci.asdu.objects"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkOneFrame(t, reg, "iec104", tt.dir, tt.data, tt.summary, tt.fields, tt.absent)
		})
	}
}

// A session as a controlling station sees it: STARTDT, a general
// interrogation with its confirmation, data and termination, acknowledged
// with S-frames, and a TESTFR exchange. U-format acts pair with their cons.
func TestIEC104Session(t *testing.T) {
	reg := libraryRegistry(t)
	gi := func(cot byte) []byte {
		return iec104ASDU(100, false, 1, cot, 0, 1, iec104Obj(iec104IOA(0), []byte{20}))
	}
	client := [][]byte{
		iec104U(iec104StartDTAct),
		iec104I(0, 0, gi(iec104Act)),
		iec104S(3),
		iec104U(iec104TestFRCon),
	}
	server := [][]byte{
		iec104U(iec104StartDTCon),
		iec104I(0, 1, gi(iec104ActCon)),
		iec104I(1, 1, iec104ASDU(1, true, 2, iec104Inrogen, 0, 1, iec104IOA(100), []byte{1, 0})),
		iec104I(2, 1, gi(iec104ActTerm)),
		iec104U(iec104TestFRAct),
	}
	chunks := []chunk{
		{ClientToServer, client[0]}, {ServerToClient, server[0]},
		{ClientToServer, client[1]}, {ServerToClient, server[1]},
		{ServerToClient, append(append([]byte{}, server[2]...), server[3]...)},
		{ClientToServer, client[2]},
		{ServerToClient, server[4]}, {ClientToServer, client[3]},
	}
	recs := decodeChunks(t, reg, "iec104", chunks)
	want := []string{
		"U (STARTDT act)",
		"U (STARTDT con)",
		"I (0,0) ASDU=1 C_IC_NA_1 Act",
		"I (0,1) ASDU=1 C_IC_NA_1 ActCon",
		"I (1,1) ASDU=1 M_SP_NA_1 Inrogen",
		"I (2,1) ASDU=1 C_IC_NA_1 ActTerm",
		"S (3)",
		"U (TESTFR act)",
		"U (TESTFR con)",
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d: %v", len(recs), len(want), recs)
	}
	for i, r := range recs {
		if r.Err != "" || r.Summary != want[i] {
			t.Errorf("record %d: %v, want summary %q", i, r, want[i])
		}
	}
	for _, i := range []int{1, 8} {
		if recs[i].Pair.Status != PairMatched {
			t.Errorf("record %d (%s): pair status %v, want matched", i, recs[i].Summary, recs[i].Pair.Status)
		}
	}
}

func TestIEC104EverySplit(t *testing.T) {
	reg := libraryRegistry(t)
	var stream []byte
	stream = append(stream, iec104U(iec104StartDTCon)...)
	stream = append(stream, iec104I(0, 1, iec104ASDU(13, false, 2, iec104Spont, 0, 1,
		iec104Obj(iec104IOA(1), iec104F32(1.5), []byte{0}), iec104Obj(iec104IOA(2), iec104F32(-2.25), []byte{0x80})))...)
	stream = append(stream, iec104I(1, 1, iec104ASDU(30, false, 1, iec104Spont, 0, 1,
		iec104Obj(iec104IOA(100), []byte{0x01}, iec104CP56(12345, 30, 14, 3, 5, 6, 24, false, false))))...)
	stream = append(stream, iec104U(iec104TestFRAct)...)
	recs := checkEverySplit(t, reg, "iec104", ServerToClient, stream)
	// The TESTFR act is reported again, unanswered, at the end.
	if len(recs) != 5 || recs[4].Kind != KindUnanswered {
		t.Fatalf("%d records, want 4 frames and the unanswered TESTFR act: %v", len(recs), recs)
	}
	for _, r := range recs[:4] {
		if r.Kind != KindFrame || r.Err != "" {
			t.Errorf("unexpected record %v", r)
		}
	}
}

func TestIEC104Malformed(t *testing.T) {
	reg := libraryRegistry(t)
	good := iec104I(0, 0, iec104ASDU(100, false, 1, iec104Act, 0, 1, iec104Obj(iec104IOA(0), []byte{20})))
	tests := []struct {
		name string
		data []byte
		want []string // per record: kind and a piece of its error ("" for none)
	}{
		{
			name: "truncated stream",
			data: good[:9],
			want: []string{"frame incomplete frame"},
		},
		{
			name: "wrong start byte, then a good frame",
			data: append([]byte{0x67, 0x04, 0x07, 0, 0, 0}, good...),
			want: []string{"skipped searching", "frame "},
		},
		{
			name: "APDU length below 4",
			data: append([]byte{0x68, 0x02, 0x07, 0x00}, good...),
			want: []string{"skipped searching", "frame "},
		},
		{
			name: "I-format with no ASDU",
			data: append(iec104APDU([]byte{0, 0, 0, 0}, nil), good...),
			want: []string{"frame truncated", "frame "},
		},
		{
			name: "more objects announced than present",
			data: append(iec104I(0, 0, iec104ASDU(1, false, 3, iec104Spont, 0, 1, iec104Obj(iec104IOA(1), []byte{1}))), good...),
			want: []string{"frame truncated", "frame "},
		},
		{
			name: "bytes after the objects",
			data: iec104I(0, 0, iec104ASDU(100, false, 1, iec104Act, 0, 1, iec104Obj(iec104IOA(0), []byte{20, 99, 99}))),
			want: []string{"frame "},
		},
		{
			name: "test command with a wrong pattern",
			data: iec104I(0, 0, iec104ASDU(104, false, 1, iec104Act, 0, 1, iec104Obj(iec104IOA(0), []byte{0, 0}))),
			want: []string{"frame bad value"},
		},
		{
			name: "garbage",
			data: []byte{0xde, 0xad, 0xbe, 0xef, 0x00, 0x68},
			want: []string{"skipped searching"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := decodeChunks(t, reg, "iec104", []chunk{{ClientToServer, tt.data}})
			if len(recs) != len(tt.want) {
				t.Fatalf("%d records, want %d: %v", len(recs), len(tt.want), recs)
			}
			total := 0
			for i, r := range recs {
				kind, errPart, _ := strings.Cut(tt.want[i], " ")
				if r.Kind.String() != kind || (errPart == "") != (r.Err == "") || !strings.Contains(r.Err, errPart) {
					t.Errorf("record %d: %v, want %s with error containing %q", i, r, kind, errPart)
				}
				total += r.Length
			}
			if total != len(tt.data) {
				t.Errorf("records cover %d bytes, input has %d", total, len(tt.data))
			}
		})
	}
}
