package pcapgen

import (
	"net/netip"
	"time"
)

// MMS over the OSI upper layers, as IEC 61850 clients and servers send it
// on TCP port 102: TPKT (RFC 1006), COTP class 0 DT TPDUs (ISO 8073), ISO
// session SPDUs (X.225), presentation PPDUs (X.226, BER), ACSE APDUs
// (X.227) and MMS PDUs (ISO 9506-2). The capture mms-association.pcap
// uses these builders, and so do the tests of the bundled mms schema.

// ISOTSAPPort is the TCP port of ISO transport over TCP (RFC 1006).
const ISOTSAPPort = 102

// BER returns a BER element with a one-byte identifier and a definite
// length in the shortest form.
func BER(tag byte, content ...[]byte) []byte {
	var body []byte
	for _, c := range content {
		body = append(body, c...)
	}
	b := []byte{tag}
	switch n := len(body); {
	case n < 0x80:
		b = append(b, byte(n))
	case n <= 0xFF:
		b = append(b, 0x81, byte(n))
	case n <= 0xFFFF:
		b = append(b, 0x82, byte(n>>8), byte(n))
	default:
		b = append(b, 0x83, byte(n>>16), byte(n>>8), byte(n))
	}
	return append(b, body...)
}

// BERIndefinite returns a constructed BER element with the indefinite
// length form: 0x80, the contents, then the end-of-contents octets.
func BERIndefinite(tag byte, content ...[]byte) []byte {
	b := []byte{tag, 0x80}
	for _, c := range content {
		b = append(b, c...)
	}
	return append(b, 0, 0)
}

// BERInt returns a universal INTEGER in the fewest bytes.
func BERInt(v int64) []byte {
	var b []byte
	for {
		b = append([]byte{byte(v)}, b...)
		if (v >= -128 && v <= 127) || len(b) == 8 {
			break
		}
		v >>= 8
	}
	return BER(0x02, b)
}

// TPKT wraps a COTP TPDU.
func TPKT(cotp []byte) []byte {
	n := 4 + len(cotp)
	return append([]byte{3, 0, byte(n >> 8), byte(n)}, cotp...)
}

// COTPData is a class 0 DT TPDU; eot marks the last TPDU of a TSDU.
func COTPData(data []byte, eot bool) []byte {
	b := []byte{2, 0xF0, 0}
	if eot {
		b[2] = 0x80
	}
	return append(b, data...)
}

// COTPConnect is a CR (0xE0) or CC (0xD0) TPDU with TPDU size 1024 and the
// TSAPs.
func COTPConnect(code byte, dst, src uint16, calling, called []byte) []byte {
	b := []byte{0, code, byte(dst >> 8), byte(dst), byte(src >> 8), byte(src), 0, 0xC0, 1, 0x0A}
	b = append(b, 0xC1, byte(len(calling)))
	b = append(b, calling...)
	b = append(b, 0xC2, byte(len(called)))
	b = append(b, called...)
	b[0] = byte(len(b) - 1)
	return b
}

// SessionSPDU is an SPDU with a one-byte length indicator over params.
func SessionSPDU(si byte, params ...[]byte) []byte {
	var body []byte
	for _, p := range params {
		body = append(body, p...)
	}
	return append([]byte{si, byte(len(body))}, body...)
}

// SessionParam is a session PI or PGI: code, length, value.
func SessionParam(code byte, value ...[]byte) []byte {
	var body []byte
	for _, v := range value {
		body = append(body, v...)
	}
	if len(body) >= 0xFF {
		return append([]byte{code, 0xFF, byte(len(body) >> 8), byte(len(body))}, body...)
	}
	return append([]byte{code, byte(len(body))}, body...)
}

// SessionConnect is a CN (0x0D) or AC (0x0E) SPDU carrying user data, with
// the parameters IEC 61850 stacks send.
func SessionConnect(si byte, userData []byte, selectors bool) []byte {
	params := [][]byte{
		SessionParam(0x05, SessionParam(0x13, []byte{0}), SessionParam(0x16, []byte{2})),
		SessionParam(0x14, []byte{0x00, 0x02}),
	}
	if selectors {
		params = append(params, SessionParam(0x33, []byte{0, 1}), SessionParam(0x34, []byte{0, 2}))
	}
	params = append(params, SessionParam(0xC1, userData))
	// The user data may push the length past one byte.
	var body []byte
	for _, p := range params {
		body = append(body, p...)
	}
	if len(body) >= 0xFF {
		return append([]byte{si, 0xFF, byte(len(body) >> 8), byte(len(body))}, body...)
	}
	return append([]byte{si, byte(len(body))}, body...)
}

// SessionData is Give Tokens and Data Transfer, then a presentation PPDU.
func SessionData(ppdu []byte) []byte {
	return append([]byte{0x01, 0x00, 0x01, 0x00}, ppdu...)
}

// PresentationUserData is fully-encoded-data holding one PDV list with the
// presentation context id and a single ASN.1 value.
func PresentationUserData(contextID int64, value []byte) []byte {
	return BER(0x61, BER(0x30, BERInt(contextID), BER(0xA0, value)))
}

// OIDs of the association, already BER-encoded as contents.
var (
	oidACSE     = []byte{0x52, 0x01, 0x00, 0x01}       // 2.2.1.0.1
	oidBER      = []byte{0x51, 0x01}                   // 2.1.1
	oidMMS      = []byte{0x28, 0xCA, 0x22, 0x02, 0x01} // 1.0.9506.2.1
	oidMMSAppCx = []byte{0x28, 0xCA, 0x22, 0x02, 0x03} // 1.0.9506.2.3
)

// PresentationCP is a CP-type PPDU proposing the ACSE (1) and MMS (3)
// contexts, with an ACSE APDU as user data.
func PresentationCP(acse []byte) []byte {
	ctx := func(id int64, abstract []byte) []byte {
		return BER(0x30, BERInt(id), BER(0x06, abstract), BER(0x30, BER(0x06, oidBER)))
	}
	return BER(0x31,
		BER(0xA0, BER(0x80, []byte{1})),
		BER(0xA2,
			BER(0x81, []byte{0, 0, 0, 1}),
			BER(0x82, []byte{0, 0, 0, 2}),
			BER(0xA4, ctx(1, oidACSE), ctx(3, oidMMS)),
			PresentationUserData(1, acse)))
}

// PresentationCPA is a CPA-PPDU accepting both contexts, with an ACSE APDU
// as user data.
func PresentationCPA(acse []byte) []byte {
	res := BER(0x30, BER(0x80, []byte{0}), BER(0x81, oidBER))
	return BER(0x31,
		BER(0xA0, BER(0x80, []byte{1})),
		BER(0xA2,
			BER(0x83, []byte{0, 0, 0, 2}),
			BER(0xA5, res, res),
			PresentationUserData(1, acse)))
}

// ACSEAssociate is an AARQ (tag 0x60) or AARE (0x61) carrying an MMS PDU
// in its user information.
func ACSEAssociate(tag byte, mms []byte) []byte {
	parts := [][]byte{BER(0xA1, BER(0x06, oidMMSAppCx))}
	if tag == 0x61 {
		parts = append(parts, BER(0xA2, BERInt(0)), BER(0xA3, BER(0xA1, BERInt(0))))
	}
	parts = append(parts, BER(0xBE, BER(0x28, BERInt(3), BER(0xA0, mms))))
	return BER(tag, parts...)
}

// MMSInitiate is an initiate-RequestPDU (0xA8) or initiate-ResponsePDU
// (0xA9) with the parameters of an IEC 61850 client or server.
func MMSInitiate(tag byte) []byte {
	return BER(tag,
		BER(0x80, []byte{0x7D, 0x00}), BER(0x81, []byte{5}), BER(0x82, []byte{5}), BER(0x83, []byte{4}),
		BER(0xA4, BER(0x80, []byte{1}), BER(0x81, []byte{0x05, 0xF1, 0x00}),
			BER(0x82, []byte{0x03, 0xEE, 0x1C, 0x00, 0x00, 0x04, 0x08, 0x00, 0x00, 0x79, 0xEF, 0x18})))
}

// MMSConfirmed is a confirmed-RequestPDU (0xA0) or confirmed-ResponsePDU
// (0xA1) with its invokeID and service.
func MMSConfirmed(tag byte, invokeID int64, service []byte) []byte {
	return BER(tag, BERInt(invokeID), service)
}

// MMSObjectName is a domain-specific ObjectName: domain and item.
func MMSObjectName(domain, item string) []byte {
	return BER(0xA1, BER(0x1A, []byte(domain)), BER(0x1A, []byte(item)))
}

// MMSReadRequest is the read service (tag 4) of one named variable.
func MMSReadRequest(domain, item string) []byte {
	return BER(0xA4, BER(0xA1, BER(0xA0, BER(0x30, BER(0xA0, MMSObjectName(domain, item))))))
}

// MMSISO is an MMS PDU in session data on the MMS presentation context.
func MMSISO(mms []byte) []byte { return SessionData(PresentationUserData(3, mms)) }

// MMS capture: an association, reads, a getNameList, an information
// report and the release, written as mms-association.pcap.

var (
	mmsServer = netip.MustParseAddr("10.61.85.10")
	mmsClient = netip.MustParseAddr("10.61.85.20")
)

func init() {
	registerCapture("mms-association.pcap", "mms",
		"IEC 61850 MMS on port 102: COTP CR/CC, session CN/AC with presentation CP/CPA and ACSE AARQ/AARE around MMS initiate, reads, getNameList (one in indefinite-length BER), identify, an information report, conclude, session FN/DN; TSDUs split into several COTP DT TPDUs (EOT clear), TPKTs split across and coalesced in TCP segments",
		buildMMSAssociation)
}

// mmsSend sends an ISO session TSDU in one or more DT TPDUs, each in its
// own TPKT, cut in TCP segments by plan.
func mmsSend(conn *Conn, d Dir, tsdu []byte, kind Kind, pieces int, plan Plan) {
	var b []byte
	step := (len(tsdu) + pieces - 1) / pieces
	for off := 0; off < len(tsdu); off += step {
		end := min(off+step, len(tsdu))
		b = append(b, TPKT(COTPData(tsdu[off:end], end == len(tsdu)))...)
	}
	conn.Send(d, b, kind, plan)
}

func buildMMSAssociation() *Capture {
	c := NewCapture(61850)
	conn := c.NewConn(ConnConfig{
		Client: Endpoint{Addr: mmsClient, Port: 49200},
		Server: Endpoint{Addr: mmsServer, Port: ISOTSAPPort},
	})
	conn.Handshake()
	pause := func() { c.SleepBetween(time.Millisecond, 5*time.Millisecond) }
	conn.Send(ClientToServer, TPKT(COTPConnect(0xE0, 0, 0x0001, []byte{0, 1}, []byte{0, 1})), KindRequest, Whole())
	pause()
	conn.Send(ServerToClient, TPKT(COTPConnect(0xD0, 0x0001, 0x4242, []byte{0, 1}, []byte{0, 1})), KindResponse, Whole())
	pause()
	// Association: the CN in two DT TPDUs, the AC in three.
	mmsSend(conn, ClientToServer, SessionConnect(0x0D, PresentationCP(ACSEAssociate(0x60, MMSInitiate(0xA8))), true), KindRequest, 2, Whole())
	pause()
	mmsSend(conn, ServerToClient, SessionConnect(0x0E, PresentationCPA(ACSEAssociate(0x61, MMSInitiate(0xA9))), false), KindResponse, 3, SplitAt(20, 60))

	// identify, getNameList, read.
	exchange := func(req, resp []byte, reqPieces, respPieces int, reqPlan, respPlan Plan) {
		pause()
		mmsSend(conn, ClientToServer, MMSISO(req), KindRequest, reqPieces, reqPlan)
		pause()
		mmsSend(conn, ServerToClient, MMSISO(resp), KindResponse, respPieces, respPlan)
	}
	exchange(MMSConfirmed(0xA0, 1, BER(0x82)),
		MMSConfirmed(0xA1, 1, BER(0xA2, BER(0x80, []byte("Vendor")), BER(0x81, []byte("IED-1")), BER(0x82, []byte("2.1")))),
		1, 1, Whole(), SplitAt(3))
	exchange(MMSConfirmed(0xA0, 2, BER(0xA1, BER(0xA0, BER(0x80, []byte{9})), BER(0xA1, BER(0x80)))),
		MMSConfirmed(0xA1, 2, BER(0xA1, BER(0xA0, BER(0x1A, []byte("IED1LD0")), BER(0x1A, []byte("IED1PROT"))), BER(0x81, []byte{0}))),
		1, 2, Whole(), Whole())
	exchange(MMSConfirmed(0xA0, 3, MMSReadRequest("IED1LD0", "LLN0$ST$Mod$stVal")),
		MMSConfirmed(0xA1, 3, BER(0xA4, BER(0xA1, BER(0x85, []byte{1})))),
		1, 1, SplitAt(10), Whole())
	// getNameList with an indefinite-length objectScope.
	exchange(MMSConfirmed(0xA0, 4, BER(0xA1, BER(0xA0, BER(0x80, []byte{0})), BERIndefinite(0xA1, BER(0x81, []byte("IED1LD0"))))),
		MMSConfirmed(0xA1, 4, BER(0xA1, BER(0xA0, BER(0x1A, []byte("LLN0$ST$Mod$stVal"))), BER(0x81, []byte{0}))),
		2, 1, Whole(), Whole())
	// Two reads pipelined in one TCP segment, answered in one.
	pause()
	var b []byte
	for id := int64(5); id <= 6; id++ {
		b = append(b, TPKT(COTPData(MMSISO(MMSConfirmed(0xA0, id, MMSReadRequest("IED1LD0", "GGIO1$MX$AnIn1"))), true))...)
	}
	conn.Send(ClientToServer, b, KindRequest, Whole())
	pause()
	b = nil
	for id := int64(5); id <= 6; id++ {
		value := BER(0xA4, BER(0xA1, BER(0x87, []byte{0x08, 0x42, 0x28, 0x00, 0x00}))) // floating-point 42.0
		b = append(b, TPKT(COTPData(MMSISO(MMSConfirmed(0xA1, id, value)), true))...)
	}
	conn.Send(ServerToClient, b, KindResponse, Chunks(30))
	// An unconfirmed information report from the server.
	pause()
	mmsSend(conn, ServerToClient, MMSISO(BER(0xA3, BER(0xA0, BER(0xA1, BER(0x80, []byte("RPT"))), BER(0xA0, BER(0x8A, []byte("urcb01")))))), KindResponse, 1, Whole())
	// Release: conclude, then session FN and DN with ACSE RLRQ and RLRE.
	exchange(BER(0x8B), BER(0x8C), 1, 1, Whole(), Whole())
	pause()
	mmsSend(conn, ClientToServer, SessionSPDU(0x09, SessionParam(0x11, []byte{0x03}), SessionParam(0xC1, PresentationUserData(1, BER(0x62, BER(0x80, []byte{0}))))), KindRequest, 1, Whole())
	pause()
	mmsSend(conn, ServerToClient, SessionSPDU(0x0A, SessionParam(0xC1, PresentationUserData(1, BER(0x63, BER(0x80, []byte{0}))))), KindResponse, 1, Whole())
	conn.Close(ClientToServer)
	return c
}
