package pcapgen

import "encoding/binary"

// EtherNet/IP encapsulation (ODVA CIP Networks Library vol. 2, chapter 2)
// carrying CIP explicit messages (vol. 1): TCP port 44818. Encapsulation
// fields are little-endian; the socket address items are big-endian.

// ENIPPort is the registered TCP port of EtherNet/IP explicit messaging.
const ENIPPort = 44818

// ENIPEncap is an encapsulation message: command, session handle, status,
// the 8-byte sender context, options 0 and the command data.
func ENIPEncap(cmd uint16, session, status uint32, context uint64, data []byte) []byte {
	b := binary.LittleEndian.AppendUint16(nil, cmd)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(data)))
	b = binary.LittleEndian.AppendUint32(b, session)
	b = binary.LittleEndian.AppendUint32(b, status)
	b = binary.LittleEndian.AppendUint64(b, context)
	b = binary.LittleEndian.AppendUint32(b, 0)
	return append(b, data...)
}

// ENIPItem is a common packet format item: type id, length, data.
func ENIPItem(typ uint16, data []byte) []byte {
	b := binary.LittleEndian.AppendUint16(nil, typ)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(data)))
	return append(b, data...)
}

// ENIPCPF is a common packet format: the item count, then the items.
func ENIPCPF(items ...[]byte) []byte {
	return cat(append([][]byte{le16(uint16(len(items)))}, items...)...)
}

// ENIPRRData is the data of SendRRData: interface handle 0, a timeout and
// an unconnected message (null address item, unconnected data item).
func ENIPRRData(timeout uint16, cip []byte) []byte {
	return cat(le32(0), le16(timeout), ENIPCPF(ENIPItem(0, nil), ENIPItem(0xB2, cip)))
}

// CIPRequest is a CIP request: service, path size in words and the padded
// EPATH.
func CIPRequest(service byte, path []byte, data []byte) []byte {
	return cat([]byte{service, byte(len(path) / 2)}, path, data)
}

// CIPResponse is a CIP reply: the service with the reply bit, a reserved
// byte, the general status, additional status words and data.
func CIPResponse(service, status byte, addStatus []uint16, data []byte) []byte {
	b := []byte{service | 0x80, 0, status, byte(len(addStatus))}
	for _, s := range addStatus {
		b = binary.LittleEndian.AppendUint16(b, s)
	}
	return append(b, data...)
}

func enipSockaddr(port uint16, addr [4]byte) []byte {
	b := []byte{0, 2, byte(port >> 8), byte(port)}
	b = append(b, addr[:]...)
	return append(b, make([]byte, 8)...)
}

func init() {
	registerCapture("enip-session.pcap", "enip",
		"EtherNet/IP on TCP port 44818: ListIdentity, ListServices, RegisterSession, CIP Get_Attribute_Single and Get_Attributes_All of the Identity object, a request to a missing class answered with an error and additional status, Get_Attribute_List, UnRegisterSession; messages split and coalesced in TCP segments",
		buildENIP)
}

func buildENIP() *Capture {
	const session = 0x6c2e1d03
	ident := cat(le16(1), enipSockaddr(ENIPPort, [4]byte{10, 60, 0, 10}),
		le16(1), le16(0x0E), le16(0x0096), []byte{20, 11}, le16(0x0030), le32(0x00c0ffee),
		[]byte{byte(len("1756-L71/B LOGIX5571"))}, []byte("1756-L71/B LOGIX5571"), []byte{3})
	services := cat(le16(1), le16(0x0120), append([]byte("Communications"), 0, 0))
	identityPath := []byte{0x20, 0x01, 0x24, 0x01}
	attrPath := []byte{0x20, 0x01, 0x24, 0x01, 0x30, 0x07}
	name := append([]byte{byte(len("1756-L71/B LOGIX5571"))}, "1756-L71/B LOGIX5571"...)
	all := cat(le16(1), le16(0x0E), le16(0x0096), []byte{20, 11}, le16(0x0030), le32(0x00c0ffee), name)
	steps := []tcpStep{
		toServer(ENIPEncap(0x63, 0, 0, 0, nil)),
		toClient(ENIPEncap(0x63, 0, 0, 0, ENIPCPF(ENIPItem(0x0C, ident)))).cut(SplitAt(24)),
		toServer(ENIPEncap(0x04, 0, 0, 1, nil)),
		toClient(ENIPEncap(0x04, 0, 0, 1, ENIPCPF(ENIPItem(0x100, services)))),
		toServer(ENIPEncap(0x65, 0, 0, 2, cat(le16(1), le16(0)))),
		toClient(ENIPEncap(0x65, session, 0, 2, cat(le16(1), le16(0)))),
		toServer(ENIPEncap(0x6F, session, 0, 3, ENIPRRData(10, CIPRequest(0x0E, attrPath, nil)))),
		toClient(ENIPEncap(0x6F, session, 0, 3, ENIPRRData(0, CIPResponse(0x0E, 0, nil, name)))),
		toServer(ENIPEncap(0x6F, session, 0, 4, ENIPRRData(10, CIPRequest(0x01, identityPath, nil))),
			ENIPEncap(0x6F, session, 0, 5, ENIPRRData(10, CIPRequest(0x0E, []byte{0x20, 0x99, 0x24, 0x01, 0x30, 0x01}, nil)))),
		toClient(ENIPEncap(0x6F, session, 0, 4, ENIPRRData(0, CIPResponse(0x01, 0, nil, all))),
			ENIPEncap(0x6F, session, 0, 5, ENIPRRData(0, CIPResponse(0x0E, 0x05, []uint16{0x0000}, nil)))).cut(SplitAt(30, 90)),
		toServer(ENIPEncap(0x6F, session, 0, 6, ENIPRRData(10, CIPRequest(0x03, identityPath, cat(le16(2), le16(1), le16(7)))))),
		toClient(ENIPEncap(0x6F, session, 0, 6, ENIPRRData(0, CIPResponse(0x03, 0, nil,
			cat(le16(2), le16(1), le16(0), le16(1), le16(7), le16(0), name))))),
		toServer(ENIPEncap(0x66, session, 0, 7, nil)),
	}
	return mixedCapture(44818, ConnConfig{
		Client: ep("10.60.0.20", 51818),
		Server: ep("10.60.0.10", ENIPPort),
	}, steps)
}
