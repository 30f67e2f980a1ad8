package dissectors

import (
	"testing"
	"time"

	pg "github.com/dissect-project/dissect/internal/pcapgen"
)

// Benchmarks and a fuzz test for the industrial protocols: OPC UA, MMS
// (streamed from TPKT/COTP) and DNP3 (CRC blocks joined into a view).

// industrialTraffic is one request and one response of each protocol.
func industrialTraffic() map[string][2][]byte {
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	w := &pg.UAWriter{}
	w.RequestHeader([]byte{0, 0}, at, 3, 5000).F64(0).U32(2).I32(2)
	w.StringNodeId(2, "Boiler1.Temperature").U32(13).Null().U16(0).Null()
	w.NumericNodeId(0, 2258).U32(13).Null().U16(0).Null()
	uaReq := pg.UASymmetric("MSG", 'F', 7, 1, 3, 3, pg.UAService(pg.UAReadRequest, w.B))
	w = &pg.UAWriter{}
	w.ResponseHeader(at, 3, 0).I32(2).U8(1).U8(0x0B).F64(21.5).U8(1).U8(0x06).I32(7).I32(-1)
	uaResp := pg.UASymmetric("MSG", 'F', 7, 1, 3, 3, pg.UAService(pg.UAReadResponse, w.B))

	mmsReq := pg.TPKT(pg.COTPData(pg.MMSISO(pg.MMSConfirmed(0xA0, 12, pg.MMSReadRequest("IED1LD0", "LLN0$ST$Mod$stVal"))), true))
	mmsResp := pg.TPKT(pg.COTPData(pg.MMSISO(pg.MMSConfirmed(0xA1, 12, pg.BER(0xA4, pg.BER(0xA1, pg.BER(0x85, []byte{1}))))), true))

	var points [][]byte
	for i := range 20 {
		points = append(points, []byte{0x01, byte(i), 0, 0, 0})
	}
	dnpReq := pg.DNP3Link(pg.DNP3DIR|pg.DNP3PRM|4, 10, 1, pg.DNP3Transport(true, true, 1, pg.DNP3Request(1, 1, pg.DNP3Objects(60, 1, 0x06, nil))))
	dnpResp := pg.DNP3Link(pg.DNP3PRM|4, 1, 10, pg.DNP3Transport(true, true, 1,
		pg.DNP3Response(pg.DNP3FIR|pg.DNP3FIN|1, 129, 0, pg.DNP3Objects(30, 1, 0x00, []byte{0, 19}, points...))))
	return map[string][2][]byte{
		"opcua": {uaReq, uaResp},
		"tpkt":  {mmsReq, mmsResp},
		"dnp3":  {dnpReq, dnpResp},
	}
}

func BenchmarkIndustrial(b *testing.B) {
	reg := libraryRegistry(b)
	for _, proto := range []string{"opcua", "tpkt", "dnp3"} {
		pair := industrialTraffic()[proto]
		b.Run(proto, func(b *testing.B) {
			d, _ := reg.ByName(proto)
			sink := &nopSink{}
			dec := d.NewConnection(&Conn{Transport: "tcp"}, sink)
			loc := &feedLoc{}
			b.ReportAllocs()
			b.SetBytes(int64(len(pair[0]) + len(pair[1])))
			for i := 0; i < b.N; i++ {
				loc.n = uint64(2 * i)
				if err := dec.Feed(ClientToServer, pair[0], loc, false); err != nil {
					b.Fatal(err)
				}
				loc.n++
				if err := dec.Feed(ServerToClient, pair[1], loc, false); err != nil {
					b.Fatal(err)
				}
			}
			if sink.n < 2*b.N {
				b.Fatalf("%d records for %d exchanges", sink.n, b.N)
			}
		})
	}
}

// FuzzIndustrial feeds any bytes, in two pieces, to each industrial
// protocol: no panic, and every byte is accounted for by the records.
func FuzzIndustrial(f *testing.F) {
	for _, pair := range industrialTraffic() {
		f.Add(append(append([]byte(nil), pair[0]...), pair[1]...), uint8(7))
	}
	f.Add([]byte{0x05, 0x64, 0xFF, 0xC4, 0, 0, 0, 0, 0, 0}, uint8(3))
	f.Add([]byte{3, 0, 0, 12, 2, 0xF0, 0x00, 1, 0, 1, 0, 0x61}, uint8(5))
	reg := libraryRegistry(f)
	f.Fuzz(func(t *testing.T, data []byte, cut uint8) {
		for _, proto := range []string{"opcua", "tpkt", "dnp3"} {
			d, _ := reg.ByName(proto)
			col := &frameCollector{}
			conn := d.NewConnection(&Conn{Transport: "tcp"}, col)
			k := min(int(cut), len(data))
			if err := conn.Feed(ClientToServer, data[:k], feedLoc{1}, false); err != nil {
				t.Fatal(err)
			}
			if err := conn.Feed(ClientToServer, data[k:], feedLoc{2}, false); err != nil {
				t.Fatal(err)
			}
			if err := conn.Close(Packet{Number: 3}); err != nil {
				t.Fatal(err)
			}
			total := 0
			for _, r := range col.frames {
				if r.Kind != KindUnanswered && r.Length > 0 && r.Offset == uint64(total) {
					total += r.Length
				}
			}
			if proto != "tpkt" && total != len(data) {
				t.Fatalf("%s: records cover %d of %d bytes: %v", proto, total, len(data), col.frames)
			}
		}
		d, _ := reg.ByName("dnp3udp")
		if err := d.Datagram(&Conn{Transport: "udp"}, ClientToServer, data, Packet{Number: 1}, &frameCollector{}); err != nil {
			t.Fatal(err)
		}
	})
}
