package pcapgen

import (
	"encoding/binary"
	"math"
	"net/netip"
	"time"
)

// OPC UA Binary messages, built as OPC 10000-6 (Part 6: Mappings) encodes
// them: little-endian integers, Strings and ByteStrings as an Int32 length
// (-1 for null) and the bytes, DateTime as 100-nanosecond ticks since
// 1601. The capture opcua-session.pcap uses them, and so do the tests of
// the bundled opcua schema.

// OPCUAPort is the registered TCP port of OPC UA servers.
const OPCUAPort = 4840

// OPCUASecurityPolicyNone is the URI of the policy that neither signs nor
// encrypts.
const OPCUASecurityPolicyNone = "http://opcfoundation.org/UA/SecurityPolicy#None"

// Binary encoding ids (namespace 0) of the services the capture uses.
const (
	UAServiceFault               = 397
	UAGetEndpointsRequest        = 428
	UAGetEndpointsResponse       = 431
	UAOpenSecureChannelRequest   = 446
	UAOpenSecureChannelResponse  = 449
	UACloseSecureChannelRequest  = 452
	UACreateSessionRequest       = 461
	UACreateSessionResponse      = 464
	UAActivateSessionRequest     = 467
	UAActivateSessionResponse    = 470
	UABrowseRequest              = 527
	UABrowseResponse             = 530
	UAReadRequest                = 631
	UAReadResponse               = 634
	UAWriteRequest               = 673
	UAWriteResponse              = 676
	UACreateSubscriptionRequest  = 787
	UACreateSubscriptionResponse = 790
	UAPublishRequest             = 826
	UAPublishResponse            = 829
)

// UAWriter appends OPC UA binary encodings to a byte slice.
type UAWriter struct{ B []byte }

// U8 appends a Byte.
func (w *UAWriter) U8(v uint8) *UAWriter { w.B = append(w.B, v); return w }

// U16 appends a UInt16.
func (w *UAWriter) U16(v uint16) *UAWriter { w.B = binary.LittleEndian.AppendUint16(w.B, v); return w }

// U32 appends a UInt32.
func (w *UAWriter) U32(v uint32) *UAWriter { w.B = binary.LittleEndian.AppendUint32(w.B, v); return w }

// I32 appends an Int32.
func (w *UAWriter) I32(v int32) *UAWriter { return w.U32(uint32(v)) }

// U64 appends a UInt64.
func (w *UAWriter) U64(v uint64) *UAWriter { w.B = binary.LittleEndian.AppendUint64(w.B, v); return w }

// F64 appends a Double.
func (w *UAWriter) F64(v float64) *UAWriter {
	w.B = binary.LittleEndian.AppendUint64(w.B, math.Float64bits(v))
	return w
}

// String appends a String; Null appends a null String or ByteString.
func (w *UAWriter) String(s string) *UAWriter {
	w.I32(int32(len(s)))
	w.B = append(w.B, s...)
	return w
}

// Bytes appends a ByteString.
func (w *UAWriter) Bytes(b []byte) *UAWriter {
	w.I32(int32(len(b)))
	w.B = append(w.B, b...)
	return w
}

// Null appends a null String or ByteString (length -1).
func (w *UAWriter) Null() *UAWriter { return w.I32(-1) }

// Raw appends bytes as they are.
func (w *UAWriter) Raw(b []byte) *UAWriter { w.B = append(w.B, b...); return w }

// DateTime appends a DateTime: 100-ns ticks since 1601-01-01 UTC.
func (w *UAWriter) DateTime(t time.Time) *UAWriter {
	const unixOffset = 116444736000000000
	return w.U64(uint64(t.UnixNano()/100 + unixOffset))
}

// NumericNodeId appends a numeric NodeId in the smallest of the two-byte,
// four-byte and numeric encodings that holds it.
func (w *UAWriter) NumericNodeId(ns uint16, id uint32) *UAWriter {
	switch {
	case ns == 0 && id <= 0xFF:
		return w.U8(0x00).U8(uint8(id))
	case ns <= 0xFF && id <= 0xFFFF:
		return w.U8(0x01).U8(uint8(ns)).U16(uint16(id))
	}
	return w.U8(0x02).U16(ns).U32(id)
}

// StringNodeId appends a NodeId with a String identifier.
func (w *UAWriter) StringNodeId(ns uint16, id string) *UAWriter {
	return w.U8(0x03).U16(ns).String(id)
}

// GuidNodeId appends a NodeId with a Guid identifier, given in its 16
// encoded bytes.
func (w *UAWriter) GuidNodeId(ns uint16, guid [16]byte) *UAWriter {
	return w.U8(0x04).U16(ns).Raw(guid[:])
}

// OpaqueNodeId appends a NodeId with a ByteString identifier.
func (w *UAWriter) OpaqueNodeId(ns uint16, id []byte) *UAWriter {
	return w.U8(0x05).U16(ns).Bytes(id)
}

// NoExtensionObject appends an ExtensionObject with a null type and no
// body.
func (w *UAWriter) NoExtensionObject() *UAWriter { return w.U8(0x00).U8(0x00).U8(0x00) }

// RequestHeader appends a RequestHeader with the given session token
// (already encoded as a NodeId), time, handle and timeout.
func (w *UAWriter) RequestHeader(token []byte, at time.Time, handle, timeoutMs uint32) *UAWriter {
	w.Raw(token).DateTime(at).U32(handle).U32(0).Null().U32(timeoutMs)
	return w.NoExtensionObject()
}

// ResponseHeader appends a ResponseHeader with no diagnostics, a null
// string table and no additional header.
func (w *UAWriter) ResponseHeader(at time.Time, handle, status uint32) *UAWriter {
	return w.DateTime(at).U32(handle).U32(status).U8(0).I32(-1).NoExtensionObject()
}

// UAMessage wraps a body in the 8-byte message header: the type (HEL,
// ACK, ERR, RHE, OPN, CLO, MSG), the chunk type (F, C or A) and the size.
func UAMessage(typ string, chunk byte, body []byte) []byte {
	b := make([]byte, 0, 8+len(body))
	b = append(b, typ[:3]...)
	b = append(b, chunk)
	b = binary.LittleEndian.AppendUint32(b, uint32(8+len(body)))
	return append(b, body...)
}

// UAHello is a HEL message.
func UAHello(endpoint string) []byte {
	w := &UAWriter{}
	w.U32(0).U32(65535).U32(65535).U32(0).U32(0).String(endpoint)
	return UAMessage("HEL", 'F', w.B)
}

// UAAcknowledge is an ACK message.
func UAAcknowledge(bufSize, maxMsg, maxChunks uint32) []byte {
	w := &UAWriter{}
	w.U32(0).U32(bufSize).U32(bufSize).U32(maxMsg).U32(maxChunks)
	return UAMessage("ACK", 'F', w.B)
}

// UAError is an ERR message.
func UAError(status uint32, reason string) []byte {
	w := &UAWriter{}
	w.U32(status).String(reason)
	return UAMessage("ERR", 'F', w.B)
}

// UAReverseHello is an RHE message.
func UAReverseHello(serverURI, endpoint string) []byte {
	w := &UAWriter{}
	w.String(serverURI).String(endpoint)
	return UAMessage("RHE", 'F', w.B)
}

// UAOpen is an OPN chunk with the None policy: secure channel id,
// asymmetric security header, sequence header and the service body
// (type NodeId and object).
func UAOpen(channel, seq, reqID uint32, service []byte) []byte {
	w := &UAWriter{}
	w.U32(channel).String(OPCUASecurityPolicyNone).Null().Null().U32(seq).U32(reqID).Raw(service)
	return UAMessage("OPN", 'F', w.B)
}

// UASymmetric is a MSG or CLO chunk: secure channel id, token id, sequence
// header and the body.
func UASymmetric(typ string, chunk byte, channel, token, seq, reqID uint32, body []byte) []byte {
	w := &UAWriter{}
	w.U32(channel).U32(token).U32(seq).U32(reqID).Raw(body)
	return UAMessage(typ, chunk, w.B)
}

// UAService is a service body: the four-byte NodeId of the type, then the
// encoded object.
func UAService(typeID uint32, object []byte) []byte {
	w := &UAWriter{}
	w.NumericNodeId(0, typeID).Raw(object)
	return w.B
}

// UAOpenRequestObject is the object of an OpenSecureChannelRequest
// (Issue, security mode None, no nonce).
func UAOpenRequestObject(at time.Time, handle, lifetimeMs uint32) []byte {
	w := &UAWriter{}
	w.RequestHeader([]byte{0, 0}, at, handle, 0).U32(0).U32(0).U32(1).Bytes(nil).U32(lifetimeMs)
	return w.B
}

// UAOpenResponseObject is the object of an
// OpenSecureChannelResponse.
func UAOpenResponseObject(at time.Time, handle, channel, token, lifetimeMs uint32) []byte {
	w := &UAWriter{}
	w.ResponseHeader(at, handle, 0).U32(0).U32(channel).U32(token).DateTime(at).U32(lifetimeMs).Bytes(nil)
	return w.B
}

// OPC UA capture: one session of a client with a server, written as
// opcua-session.pcap.

var (
	uaServer = netip.MustParseAddr("10.40.0.10")
	uaClient = netip.MustParseAddr("10.40.0.20")
	// uaSession is the session's authentication token: a GUID NodeId in
	// namespace 1.
	uaSession = (&UAWriter{}).GuidNodeId(1, [16]byte{0x91, 0x2b, 0x96, 0x72, 0x75, 0xfa, 0xe6, 0x4a, 0x8d, 0x28, 0xb4, 0x04, 0xdc, 0x7d, 0xaf, 0x63}).B
)

func init() {
	registerCapture("opcua-session.pcap", "opcua",
		"OPC UA Binary on port 4840: HEL/ACK, OpenSecureChannel (None), GetEndpoints, Read (string, numeric and four-byte NodeIds), CreateSubscription, Publish answered by a ServiceFault, Write (opaque NodeId), a message in two chunks, CloseSecureChannel; segments split and coalesced",
		buildOPCUASession)
}

// uaExchange sends a request and its response, each cut by its plan.
func uaExchange(c *Capture, conn *Conn, req, resp []byte, reqPlan, respPlan Plan) {
	c.SleepBetween(time.Millisecond, 5*time.Millisecond)
	conn.Send(ClientToServer, req, KindRequest, reqPlan)
	c.SleepBetween(300*time.Microsecond, 2*time.Millisecond)
	conn.Send(ServerToClient, resp, KindResponse, respPlan)
}

func buildOPCUASession() *Capture {
	c := NewCapture(40)
	conn := c.NewConn(ConnConfig{
		Client: Endpoint{Addr: uaClient, Port: 49320},
		Server: Endpoint{Addr: uaServer, Port: OPCUAPort},
	})
	conn.Handshake()
	now := func() time.Time { return c.Now() }
	const channel, token = 7, 1
	uaExchange(c, conn, UAHello("opc.tcp://10.40.0.10:4840/UA"), UAAcknowledge(65536, 4<<20, 64), Whole(), Whole())
	uaExchange(c, conn,
		UAOpen(0, 1, 1, UAService(UAOpenSecureChannelRequest, UAOpenRequestObject(now(), 1, 3600000))),
		UAOpen(channel, 1, 1, UAService(UAOpenSecureChannelResponse, UAOpenResponseObject(now(), 1, channel, token, 3600000))),
		SplitAt(5), SplitAt(30))

	seq := uint32(2)
	msg := func(reqID uint32, body []byte) []byte {
		seq++
		return UASymmetric("MSG", 'F', channel, token, seq, reqID, body)
	}
	// GetEndpoints: a request and response whose bodies are not decoded
	// beyond their headers.
	w := &UAWriter{}
	w.RequestHeader([]byte{0, 0}, now(), 2, 10000).String("opc.tcp://10.40.0.10:4840/UA").I32(-1).I32(-1)
	req := msg(2, UAService(UAGetEndpointsRequest, w.B))
	w = &UAWriter{}
	w.ResponseHeader(now(), 2, 0).I32(0)
	uaExchange(c, conn, req, msg(2, UAService(UAGetEndpointsResponse, w.B)), Whole(), Whole())

	// Read: three nodes, by string, numeric and four-byte NodeIds.
	w = &UAWriter{}
	w.RequestHeader(uaSession, now(), 3, 5000).F64(0).U32(2).I32(3)
	w.StringNodeId(2, "Boiler1.Temperature").U32(13).Null().U16(0).Null()
	w.NumericNodeId(0, 2258).U32(13).Null().U16(0).Null()
	w.NumericNodeId(3, 70000).U32(4).Null().U16(0).Null()
	req = msg(3, UAService(UAReadRequest, w.B))
	w = &UAWriter{}
	w.ResponseHeader(now(), 3, 0).I32(3)
	w.U8(0x01).U8(0x0B).F64(21.5)       // Double
	w.U8(0x01).U8(0x0D).DateTime(now()) // DateTime
	w.U8(0x02).U32(0x80340000)          // BadNodeIdUnknown
	w.I32(-1)
	uaExchange(c, conn, req, msg(3, UAService(UAReadResponse, w.B)), Chunks(16), SplitAt(8, 24))

	// CreateSubscription, then two Publish requests pipelined in one
	// segment; the server answers the second with a ServiceFault.
	w = &UAWriter{}
	w.RequestHeader(uaSession, now(), 4, 10000).F64(500).U32(2400).U32(10).U32(0).U8(1).U8(0)
	req = msg(4, UAService(UACreateSubscriptionRequest, w.B))
	w = &UAWriter{}
	w.ResponseHeader(now(), 4, 0).U32(12).F64(500).U32(2400).U32(10)
	uaExchange(c, conn, req, msg(4, UAService(UACreateSubscriptionResponse, w.B)), Whole(), Whole())

	c.SleepBetween(time.Millisecond, 3*time.Millisecond)
	for id := uint32(5); id <= 6; id++ {
		w = &UAWriter{}
		w.RequestHeader(uaSession, now(), id, 60000).I32(0)
		conn.Queue(ClientToServer, msg(id, UAService(UAPublishRequest, w.B)), KindRequest)
	}
	conn.Flush(ClientToServer, SplitAt(100))
	c.SleepBetween(10*time.Millisecond, 20*time.Millisecond)
	w = &UAWriter{}
	w.ResponseHeader(now(), 5, 0).U32(12).I32(0).U8(0).U32(1).DateTime(now()).I32(0).I32(-1).I32(-1)
	conn.Queue(ServerToClient, msg(5, UAService(UAPublishResponse, w.B)), KindResponse)
	w = &UAWriter{}
	w.ResponseHeader(now(), 6, 0x80780000) // BadTooManyPublishRequests
	conn.Queue(ServerToClient, msg(6, UAService(UAServiceFault, w.B)), KindResponse)
	conn.Flush(ServerToClient, Whole())

	// Write a Double to a node named by an opaque NodeId.
	w = &UAWriter{}
	w.RequestHeader(uaSession, now(), 7, 5000).I32(1)
	w.OpaqueNodeId(4, []byte{0xde, 0xad, 0xbe, 0xef}).U32(13).Null().U8(0x01).U8(0x0B).F64(42.25)
	req = msg(7, UAService(UAWriteRequest, w.B))
	w = &UAWriter{}
	w.ResponseHeader(now(), 7, 0).I32(1).U32(0).I32(-1)
	uaExchange(c, conn, req, msg(7, UAService(UAWriteResponse, w.B)), Whole(), Whole())

	// A Browse request sent in two chunks: an intermediate (C) chunk with
	// the start of the object, a final (F) chunk with the rest.
	w = &UAWriter{}
	w.RequestHeader(uaSession, now(), 8, 5000).NumericNodeId(0, 0).U64(0).U32(0).U32(0).I32(1)
	w.NumericNodeId(0, 85).U32(0).NumericNodeId(0, 33).U8(1).U32(0).U32(0x3F)
	body := UAService(UABrowseRequest, w.B)
	seq++
	first := UASymmetric("MSG", 'C', channel, token, seq, 8, body[:40])
	seq++
	last := UASymmetric("MSG", 'F', channel, token, seq, 8, body[40:])
	c.SleepBetween(time.Millisecond, 3*time.Millisecond)
	conn.Queue(ClientToServer, first, KindRequest)
	conn.Queue(ClientToServer, last, KindRequest)
	conn.Flush(ClientToServer, Whole())
	w = &UAWriter{}
	w.ResponseHeader(now(), 8, 0).I32(0).I32(-1)
	c.SleepBetween(300*time.Microsecond, 2*time.Millisecond)
	conn.Send(ServerToClient, msg(8, UAService(UABrowseResponse, w.B)), KindResponse, Whole())

	// CloseSecureChannel: no response; the client closes the connection.
	w = &UAWriter{}
	w.RequestHeader(uaSession, now(), 9, 0)
	seq++
	c.SleepBetween(time.Millisecond, 3*time.Millisecond)
	conn.Send(ClientToServer, UASymmetric("CLO", 'F', channel, token, seq, 9, UAService(UACloseSecureChannelRequest, w.B)), KindRequest, Whole())
	conn.Close(ClientToServer)
	return c
}
