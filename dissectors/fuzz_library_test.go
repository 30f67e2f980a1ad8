package dissectors

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/gopacket/gopacket/pcapgo"

	pg "github.com/dissect-project/dissect/internal/pcapgen"
)

// captureFrames returns the frames of a pcap or pcapng file's bytes.
func captureFrames(file []byte) [][]byte {
	var read func() ([]byte, gopacket.CaptureInfo, error)
	if r, err := pcapgo.NewReader(bytes.NewReader(file)); err == nil {
		read = r.ReadPacketData
	} else if r, err := pcapgo.NewNgReader(bytes.NewReader(file), pcapgo.DefaultNgReaderOptions); err == nil {
		read = r.ReadPacketData
	} else {
		panic(err)
	}
	var out [][]byte
	for {
		data, _, err := read()
		if err != nil {
			return out
		}
		out = append(out, data)
	}
}

// generatedPayloads returns application bytes of the generated protocol
// captures: each UDP datagram, and for each TCP connection and direction
// the start of its stream (up to 2 KiB), so that the fuzzer starts from
// real frames of every bundled protocol.
func generatedPayloads() [][]byte {
	var out [][]byte
	for _, p := range generatedMessages() {
		out = append(out, p.data)
	}
	return out
}

// protoBytes is application data of one protocol's generated capture.
type protoBytes struct {
	proto string
	tcp   bool
	data  []byte
}

// generatedMessages is generatedPayloads with the protocol and transport
// of each.
func generatedMessages() []protoBytes {
	type flowKey struct {
		file     string
		src, dst string
	}
	const streamCap = 2048
	var out []protoBytes
	streams := map[flowKey][]byte{}
	protos := map[flowKey]string{}
	var order []flowKey
	for _, pc := range pg.ProtocolCaptures() {
		var file bytes.Buffer
		if err := pc.Write(&file); err != nil {
			panic(err)
		}
		for _, frame := range captureFrames(file.Bytes()) {
			pkt := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.NoCopy)
			net, tr := pkt.NetworkLayer(), pkt.TransportLayer()
			if net == nil || tr == nil || len(tr.LayerPayload()) == 0 {
				continue
			}
			payload := tr.LayerPayload()
			switch tr.LayerType() {
			case layers.LayerTypeUDP:
				out = append(out, protoBytes{pc.Protocol, false, append([]byte(nil), payload...)})
			case layers.LayerTypeTCP:
				k := flowKey{pc.File, net.NetworkFlow().Src().String() + tr.TransportFlow().Src().String(),
					net.NetworkFlow().Dst().String() + tr.TransportFlow().Dst().String()}
				s, seen := streams[k]
				if !seen {
					order = append(order, k)
					protos[k] = pc.Protocol
				}
				if len(s) < streamCap {
					streams[k] = append(s, payload[:min(len(payload), streamCap-len(s))]...)
				}
			}
		}
	}
	for _, k := range order {
		out = append(out, protoBytes{protos[k], true, streams[k]})
	}
	return out
}

// FuzzLibrary decodes any bytes with every bundled dissector: as TCP
// stream chunks in both directions (cut in two at an arbitrary point, once
// from the start and once midstream, with a gap), as single datagrams and
// as a datagram conversation, and offers them to every heuristic. Nothing
// may panic or hang, the byte accounting must add up, and every record
// must lie within the bytes fed.
func FuzzLibrary(f *testing.F) {
	for i, p := range generatedPayloads() {
		f.Add(p, uint8(i*37))
	}
	for _, pair := range industrialTraffic() {
		f.Add(append(append([]byte(nil), pair[0]...), pair[1]...), uint8(7))
	}
	reg := libraryRegistry(f)
	if err := reg.Link(); err != nil {
		f.Fatal(err)
	}
	all := reg.List()
	heur := map[string][]Detector{"tcp": reg.Heuristics("tcp"), "udp": reg.Heuristics("udp")}
	f.Fuzz(func(t *testing.T, data []byte, cut uint8) {
		k := min(int(cut), len(data))
		for _, d := range all {
			info := d.Info()
			if info.RunsOver("tcp") {
				for _, midstream := range []bool{false, true} {
					col := &frameCollector{}
					conn := d.NewConnection(&Conn{Transport: "tcp"}, col)
					steps := []func() error{
						func() error { return conn.Feed(ClientToServer, data[:k], feedLoc{1}, midstream) },
						func() error { return conn.Feed(ServerToClient, data, feedLoc{2}, midstream) },
						func() error { return conn.Feed(ClientToServer, data[k:], feedLoc{3}, false) },
						func() error {
							if midstream {
								return conn.Gap(ServerToClient, 1+k, Packet{Number: 4})
							}
							return nil
						},
						func() error { return conn.Feed(ServerToClient, data[k:], feedLoc{5}, false) },
						func() error { return conn.Close(Packet{Number: 6}) },
					}
					for i, step := range steps {
						if err := step(); err != nil {
							t.Fatalf("%s: step %d: %v", info.Name, i, err)
						}
					}
					fed := [2]uint64{uint64(len(data)), uint64(len(data) + len(data) - k)}
					if midstream {
						fed[1] += uint64(1 + k)
					}
					checkRecords(t, info.Name, col, fed)
				}
			}
			if info.RunsOver("udp") {
				for _, dir := range []Direction{ClientToServer, ServerToClient} {
					col := &frameCollector{}
					if err := d.Datagram(&Conn{Transport: "udp"}, dir, data, Packet{Number: 1}, col); err != nil {
						t.Fatalf("%s: datagram: %v", info.Name, err)
					}
					if len(col.frames) != 1 || col.frames[0].Length != len(data) {
						t.Fatalf("%s: datagram of %d bytes gave %+v", info.Name, len(data), col.frames)
					}
				}
				col := &frameCollector{}
				cv := d.NewConversation(&Conn{Transport: "udp"}, col)
				for i, dg := range [][]byte{data[:k], data, data[k:]} {
					if err := cv.Datagram(Direction(i&1), dg, Packet{Number: uint64(i + 1)}); err != nil {
						t.Fatalf("%s: conversation datagram %d: %v", info.Name, i, err)
					}
				}
				if err := cv.Close(Packet{Number: 4}); err != nil {
					t.Fatalf("%s: conversation close: %v", info.Name, err)
				}
				checkRecords(t, info.Name, col, [2]uint64{uint64(len(data)), uint64(len(data))})
			}
		}
		for transport, dets := range heur {
			for _, det := range dets {
				for _, resp := range []bool{false, true} {
					det.Detect(data, resp, transport == "udp")
				}
			}
		}
	})
}

// checkRecords checks what a fuzzed connection emitted: accounting that
// adds up, records within the bytes of their direction, and an error
// message on every frame that was cut or skipped.
func checkRecords(t *testing.T, name string, col *frameCollector, fed [2]uint64) {
	t.Helper()
	if len(col.acctErr) > 0 {
		t.Fatalf("%s: %s", name, strings.Join(col.acctErr, "; "))
	}
	for _, r := range col.frames {
		if r.Kind == KindUnanswered {
			continue
		}
		if r.Offset+uint64(r.Length) > fed[r.Dir&1] {
			t.Fatalf("%s: record %+v past the %d bytes fed", name, r, fed[r.Dir&1])
		}
		if r.Kind == KindSkipped && r.Err == "" {
			t.Fatalf("%s: skipped bytes without a reason: %+v", name, r)
		}
	}
	for i, s := range col.streams {
		if s.Seen+s.Missing != fed[i&1] && len(col.streams) == 2 {
			// Streams are reported client first, then server.
			t.Fatalf("%s: stream %d accounts for %d bytes, %d were fed", name, i, s.Seen+s.Missing, fed[i&1])
		}
	}
}
