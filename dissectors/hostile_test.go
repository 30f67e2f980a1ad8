package dissectors

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/dissect-project/dissect/internal/memtest"
	pg "github.com/dissect-project/dissect/internal/pcapgen"
	"github.com/dissect-project/dissect/schema"
)

// hostileLimits are what a cautious user passes: --max-depth 32,
// --max-elements 4096, --max-nodes 65536, --max-frame 1MiB and buffers of
// 2 MiB per stream.
func hostileRegistry(t testing.TB) *Registry {
	t.Helper()
	reg := NewRegistry()
	reg.Limits = schema.Limits{MaxDepth: 32, MaxElements: 4096, MaxNodes: 1 << 16, MaxHops: 64}
	reg.MaxFrame = 1 << 20
	reg.Buffers = &BufferLimits{PerStream: 2 << 20, Total: 8 << 20}
	if err := reg.LoadBundled(); err != nil {
		t.Fatal(err)
	}
	return reg
}

// checkSink checks records as they come, keeping only their errors, so
// that what a decode allocates is measured without the copies a
// collector makes.
type checkSink struct {
	t    *testing.T
	name string
	fed  uint64 // bytes fed in the client's direction
	errs []string
	n    int
}

func (s *checkSink) Emit(r *Record) error {
	s.n++
	switch {
	case r.Kind == KindStream:
		if e := r.Bytes.Check(); e != "" {
			s.t.Fatalf("%s: accounting: %s", s.name, e)
		}
	case r.Kind == KindUnanswered:
	case r.Offset+uint64(r.Length) > s.fed:
		s.t.Fatalf("%s: record at %d+%d past the %d bytes fed", s.name, r.Offset, r.Length, s.fed)
	case r.Kind == KindSkipped && r.Reason == "":
		s.t.Fatalf("%s: skipped bytes without a reason", s.name)
	}
	if e := r.Err(); e != "" && len(s.errs) < 4 {
		s.errs = append(s.errs, e)
	}
	return nil
}

// decodeHostile feeds data to a dissector the way its capture carried it
// (a TCP stream or a datagram), and returns the records' errors.
func decodeHostile(t *testing.T, d Dissector, tcp bool, data []byte, sink *checkSink) {
	t.Helper()
	*sink = checkSink{t: t, name: d.Info().Name, fed: uint64(len(data)), errs: sink.errs[:0]}
	if tcp {
		conn := d.NewConnection(&Conn{Transport: "tcp"}, sink)
		if err := conn.Feed(ClientToServer, data, feedLoc{1}, false); err != nil {
			t.Fatal(err)
		}
		if err := conn.Close(Packet{Number: 2}); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err := d.Datagram(&Conn{Transport: "udp"}, ClientToServer, data, Packet{Number: 1}, sink); err != nil {
		t.Fatal(err)
	}
	if sink.n != 1 {
		t.Fatalf("%s: %d records for one datagram", d.Info().Name, sink.n)
	}
}

// Every length, count or offset field of every bundled protocol set to a
// hostile value (all ones: a 4 GB length, 65535 elements; or the top bit
// alone) gives records that account for every byte, with a reason on
// whatever is not a good frame, and allocates a bounded amount whatever
// the claimed size. The mutations are made at each of the first bytes of
// the generated captures' messages, so every field of the headers is hit.
func TestHostileLengthsEveryProtocol(t *testing.T) {
	reg := hostileRegistry(t)
	const positions = 48
	perProto := map[string]int{}
	for _, m := range generatedMessages() {
		d, ok := reg.ByName(m.proto)
		if !ok {
			t.Fatalf("no dissector %s", m.proto)
		}
		if perProto[m.proto] >= 6 {
			continue // a few messages of each protocol are plenty
		}
		perProto[m.proto]++
		buf := make([]byte, len(m.data))
		sink := &checkSink{}
		var runs int
		bytes := memtest.Allocated(func() {
			for pos := 0; pos < min(positions, len(m.data)); pos++ {
				for _, width := range []int{1, 2, 4, 8} {
					if pos+width > len(m.data) {
						continue
					}
					for _, v := range []byte{0xff, 0x7f, 0x80} {
						copy(buf, m.data)
						buf[pos] = v
						for i := 1; i < width; i++ {
							buf[pos+i] = 0xff
						}
						decodeHostile(t, d, m.tcp, buf, sink)
						runs++
					}
				}
			}
		})
		// A hostile length must not make anyone allocate what it claims
		// (megabytes to gigabytes): a new connection's state, its frame and
		// the sink's copy of the records are all that may grow. Their size
		// depends on the protocol and on whether a GC emptied the pools
		// during the run, so the bound is generous: 256 KiB a run.
		t.Logf("%s: %d hostile variants of a %d-byte message allocated %d bytes", m.proto, runs, len(m.data), bytes)
		if limit := uint64(runs) * uint64(256<<10+16*len(m.data)); bytes > limit {
			t.Errorf("%s: %d runs allocated %d bytes (more than %d)", m.proto, runs, bytes, limit)
		}
	}
	for _, p := range pg.ProtocolCaptures() {
		if perProto[p.Protocol] == 0 {
			t.Errorf("no message of %s mutated", p.Protocol)
		}
	}
}

// Deep nesting, absurd counts and lengths in the protocols that have them
// stop with a specific error, within the limits, in bounded memory.
func TestHostileStructures(t *testing.T) {
	reg := hostileRegistry(t)

	// BSON documents nested 10000 deep in an OP_MSG.
	bson := []byte{0x10, 'x', 0, 1, 0, 0, 0, 0} // {x: int32(1)}, without its length
	bson = append(binary.LittleEndian.AppendUint32(nil, uint32(4+len(bson))), bson...)
	for range 10000 {
		body := append([]byte{0x03, 'a', 0}, bson...)
		body = append(body, 0)
		bson = append(binary.LittleEndian.AppendUint32(nil, uint32(4+len(body))), body...)
	}
	deepBSON := pg.MongoMessage(1, 0, 2013, append([]byte{0, 0, 0, 0, 0}, bson...))

	// An MMS read response whose data is a structure nested 10000 deep.
	data := pg.BER(0x85, []byte{1})
	for range 10000 {
		data = pg.BER(0xA2, data)
	}
	deepBER := pg.TPKT(pg.COTPData(pg.MMSISO(pg.MMSConfirmed(0xA1, 12, pg.BER(0xA4, pg.BER(0xA1, data)))), true))

	// A BER length of 2^32-1 in the same place.
	hugeBER := pg.TPKT(pg.COTPData(pg.MMSISO(pg.MMSConfirmed(0xA1, 12,
		[]byte{0xA4, 0x84, 0xff, 0xff, 0xff, 0xff, 0xA1, 0x03, 0x85, 0x01, 0x01})), true))

	// A MongoDB message that claims 4 GB.
	hugeMongo := binary.LittleEndian.AppendUint32(nil, 0xffffffff)
	hugeMongo = append(hugeMongo, make([]byte, 60)...)

	// A DNP3 link frame whose length byte claims the most user data: 255
	// octets of CRC blocks, with 10 bytes present.
	dnp3Blocks := []byte{0x05, 0x64, 0xff, 0xc4, 0x01, 0x00, 0x0a, 0x00, 0x00, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}

	// OPC UA message size 2^32-1, and a Read request with 2^31-1 nodes.
	hugeUA := []byte("MSGF\xff\xff\xff\xff")
	hugeUA = append(hugeUA, make([]byte, 40)...)
	at := pg.BaseTime()
	w := &pg.UAWriter{}
	w.RequestHeader([]byte{0, 0}, at, 3, 5000).F64(0).U32(2).I32(0x7fffffff)
	uaCount := pg.UASymmetric("MSG", 'F', 7, 1, 3, 3, pg.UAService(pg.UAReadRequest, w.B))

	// MySQL: a packet of 2^24-1 bytes.
	mysqlHuge := []byte{0xff, 0xff, 0xff, 0, 0x03, 's', 'e', 'l'}

	tests := []struct {
		name, proto string
		tcp         bool
		data        []byte
		want        []string // one of these in the first record's error
	}{
		{"BSON nested 10000 deep", "mongodb", true, deepBSON, []string{"nesting depth at most 32"}},
		{"MongoDB length 4 GB", "mongodb", true, hugeMongo, []string{"length", "frame"}},
		{"BER nested 10000 deep", "tpkt", true, deepBER, []string{"nesting depth at most 32", "limit reached"}},
		{"BER length 4 GB", "tpkt", true, hugeBER, []string{"truncated", "length", "expected"}},
		{"DNP3 CRC blocks past the data", "dnp3", true, dnp3Blocks, []string{"truncated", "incomplete", "CRC", "crc", "checksum"}},
		{"DNP3 CRC blocks past the datagram", "dnp3udp", false, dnp3Blocks, []string{"truncated: the datagram ends inside"}},
		{"DNP3 second frame cut by the datagram", "dnp3udp", false, append(pg.DNP3Link(pg.DNP3DIR|pg.DNP3PRM|9, 10, 1, nil), dnp3Blocks...), []string{"truncated: the datagram ends inside"}},
		{"OPC UA size 4 GB", "opcua", true, hugeUA, []string{"length", "frame", "size"}},
		{"OPC UA 2^31-1 nodes", "opcua", true, uaCount, []string{"out of range: expected -1..65536", "elements", "limit"}},
		{"MySQL packet 16 MB", "mysql", true, mysqlHuge, []string{"incomplete", "truncated", "length", "frame"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, ok := reg.ByName(tc.proto)
			if !ok {
				t.Fatalf("no dissector %s", tc.proto)
			}
			sink := &checkSink{}
			bytes := memtest.Allocated(func() { decodeHostile(t, d, tc.tcp, tc.data, sink) })
			if limit := uint64(256<<10 + 16*len(tc.data)); bytes > limit {
				t.Errorf("allocated %d bytes for %d bytes of input (limit %d)", bytes, len(tc.data), limit)
			}
			errs := sink.errs
			if len(errs) == 0 {
				t.Fatalf("no error in %d records", sink.n)
			}
			for _, w := range tc.want {
				if strings.Contains(errs[0], w) {
					return
				}
			}
			t.Errorf("error %q, want one of %q", errs[0], tc.want)
		})
	}
}
