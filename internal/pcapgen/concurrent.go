package pcapgen

import "net/netip"

// Concurrent builds n Modbus/TCP connections that are all open at once:
// every handshake first, then one transaction on each connection, then
// every close. It is the stress test of per-connection state: a reader
// holds n connections at the same time. Clients are 10.64.0.0/10 hosts
// with ports from 1024, servers three hosts of 10.0.0.0/24.
func Concurrent(n int, seed uint64) *Capture {
	c := NewCapture(seed)
	conns := make([]*Conn, n)
	for i := range conns {
		a := 10<<24 | 64<<16 + uint32(i/32768)
		client := netip.AddrFrom4([4]byte{byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a)})
		server := netip.AddrFrom4([4]byte{10, 0, 0, byte(10 + i%3)})
		conns[i] = c.NewConn(modbusConn(client, server, uint16(1024+i%32768)))
	}
	for _, cn := range conns {
		cn.Handshake()
	}
	for i, cn := range conns {
		s := &Session{Conn: cn, Unit: 1, TID: uint16(i)}
		s.Exchange(Transaction{Request: ReadHoldingRegisters(0, 4), Response: ReadHoldingRegistersResponse([]uint16{1, 2, 3, 4})}, Whole(), Whole())
	}
	for _, cn := range conns {
		cn.Close(ClientToServer)
	}
	return c
}
