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

// Sequential builds a capture of n Modbus/TCP connections one after the
// other, each with a handshake, three transactions and a FIN exchange, on
// client addresses and ports that cycle: a memory test of many short
// connections (memory must follow the connections open at once, not all
// those of the capture).
func Sequential(n int, seed uint64) *Capture {
	c := NewCapture(seed)
	for i := range n {
		client := netip.AddrFrom4([4]byte{10, 1, byte(i >> 8 & 0x3f), byte(i)})
		cn := c.NewConn(modbusConn(client, manyServer, uint16(20000+i%40000)))
		cn.Handshake()
		s := &Session{Conn: cn, Unit: 1, TID: uint16(i)}
		for k := range 3 {
			regs := []uint16{uint16(i), uint16(k)}
			s.Exchange(Transaction{Request: ReadHoldingRegisters(uint16(k), uint16(len(regs))), Response: ReadHoldingRegistersResponse(regs)}, Whole(), Whole())
		}
		cn.Close(ClientToServer)
	}
	return c
}

// SYNFlood builds a capture of n SYNs to the Modbus port, each from its own
// address and port and never answered, at the generator's usual spacing
// (0.4 ms on average: 300,000 take two minutes, within the idle timeout):
// a scan or a flood, which opens as many half-open connections, a stress
// test of the connection table and its limit.
func SYNFlood(n int, seed uint64) *Capture {
	c := NewCapture(seed)
	for i := range n {
		client := netip.AddrFrom4([4]byte{10, byte(64 + i>>16&0x3f), byte(i >> 8), byte(i)})
		cn := c.NewConn(modbusConn(client, manyServer, uint16(1024+i%60000)))
		cn.emit(ClientToServer, flagSYN, cn.halves[ClientToServer].isn, nil, 0)
	}
	return c
}
