package pcapgen

import (
	"encoding/binary"
	"net/netip"
)

// memcached binary protocol messages (protocol_binary.h of memcached).

// MemcachePort is the default port of memcached.
const MemcachePort = 11211

// MemcacheMsg builds a binary protocol message: the 24-byte header, then
// extras, key and value. magic is 0x80 for a request, 0x81 for a response;
// status is the vbucket id in a request.
func MemcacheMsg(magic, opcode byte, status uint16, opaque uint32, cas uint64, extras []byte, key, value string) []byte {
	h := []byte{magic, opcode}
	h = binary.BigEndian.AppendUint16(h, uint16(len(key)))
	h = append(h, byte(len(extras)), 0)
	h = binary.BigEndian.AppendUint16(h, status)
	h = binary.BigEndian.AppendUint32(h, uint32(len(extras)+len(key)+len(value)))
	h = binary.BigEndian.AppendUint32(h, opaque)
	h = binary.BigEndian.AppendUint64(h, cas)
	h = append(h, extras...)
	h = append(h, key...)
	return append(h, value...)
}

// MemcacheSession returns a short session: set, get, a miss, incr, an
// error, delete, version, stat and quit.
func MemcacheSession() []DirMsg {
	req := func(op byte, opaque uint32, extras []byte, key, value string) DirMsg {
		return DirMsg{ClientToServer, MemcacheMsg(0x80, op, 0, opaque, 0, extras, key, value)}
	}
	resp := func(op byte, status uint16, opaque uint32, cas uint64, extras []byte, key, value string) DirMsg {
		return DirMsg{ServerToClient, MemcacheMsg(0x81, op, status, opaque, cas, extras, key, value)}
	}
	u32 := func(vs ...uint32) []byte {
		var b []byte
		for _, v := range vs {
			b = binary.BigEndian.AppendUint32(b, v)
		}
		return b
	}
	incr := append(binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, 1), 42), 0, 0, 0, 0)
	return []DirMsg{
		req(0x01, 1, u32(0xdeadbeef, 3600), "user:1", "alice"),
		resp(0x01, 0, 1, 7, nil, "", ""),
		req(0x00, 2, nil, "user:1", ""),
		resp(0x00, 0, 2, 7, u32(0xdeadbeef), "", "alice"),
		req(0x0c, 3, nil, "nokey", ""),
		resp(0x0c, 1, 3, 0, nil, "nokey", ""),
		req(0x05, 4, incr, "hits", ""),
		resp(0x05, 0, 4, 8, nil, "", string(binary.BigEndian.AppendUint64(nil, 42))),
		req(0x02, 5, u32(0, 0), "user:1", "bob"),
		resp(0x02, 2, 5, 0, nil, "", "Data exists for key."),
		req(0x04, 6, nil, "user:1", ""),
		resp(0x04, 0, 6, 0, nil, "", ""),
		req(0x0b, 7, nil, "", ""),
		resp(0x0b, 0, 7, 0, nil, "", "1.6.38"),
		req(0x10, 8, nil, "", ""),
		resp(0x10, 0, 8, 0, nil, "pid", "4242"),
		resp(0x10, 0, 8, 0, nil, "uptime", "17"),
		resp(0x10, 0, 8, 0, nil, "", ""),
		req(0x07, 9, nil, "", ""),
		resp(0x07, 0, 9, 0, nil, "", ""),
	}
}

func buildMemcacheBasic() *Capture {
	return sessionCapture(12, ConnConfig{
		Client: Endpoint{Addr: netip.MustParseAddr("10.30.0.20"), Port: 50200},
		Server: Endpoint{Addr: netip.MustParseAddr("10.30.0.10"), Port: MemcachePort},
	}, MemcacheSession())
}

func init() {
	registerCapture("memcache-basic.pcap", "memcache",
		"memcached binary protocol: set, get, a miss, incr, an error, delete, version, a multi-response stat and quit",
		buildMemcacheBasic)
}
