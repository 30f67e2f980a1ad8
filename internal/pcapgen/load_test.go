package pcapgen

import (
	"bytes"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

func TestLoad(t *testing.T) {
	tests := []struct {
		conns, packets int
	}{
		{1, 8},
		{10, 400},
		{50, 5000},
	}
	for _, tt := range tests {
		c, err := Load(tt.conns, tt.packets, 1)
		if err != nil {
			t.Fatal(err)
		}
		s := c.Stats()
		if s.Conns != tt.conns {
			t.Errorf("Load(%d, %d): %d connections", tt.conns, tt.packets, s.Conns)
		}
		// The target is reached before the closes, which add at most
		// 4 packets per connection, and a last exchange in flight.
		if s.Packets < tt.packets-4*tt.conns || s.Packets > tt.packets+64*tt.conns {
			t.Errorf("Load(%d, %d): %d packets", tt.conns, tt.packets, s.Packets)
		}
		if s.Requests == 0 || s.Requests != s.Responses {
			t.Errorf("Load(%d, %d): %d requests, %d responses", tt.conns, tt.packets, s.Requests, s.Responses)
		}
		var a, b bytes.Buffer
		if err := WritePcap(&a, c.Packets()); err != nil {
			t.Fatal(err)
		}
		again, _ := Load(tt.conns, tt.packets, 1)
		if err := WritePcap(&b, again.Packets()); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("Load(%d, %d): two runs differ", tt.conns, tt.packets)
		}
	}
	for _, bad := range []struct{ conns, packets int }{{0, 100}, {10, 10}, {60000, 1 << 30}} {
		if _, err := Load(bad.conns, bad.packets, 1); err == nil {
			t.Errorf("Load(%d, %d): no error", bad.conns, bad.packets)
		}
	}
}

// A load variant carries the same TCP segments (ports, sequence numbers,
// flags, payloads) as the plain capture, each as the variant says: over
// IPv6, behind a VLAN tag, with the timestamp option.
func TestLoadVariants(t *testing.T) {
	plain, err := Load(20, 2000, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []LoadVariant{{IPv6: true}, {VLAN: true}, {Timestamps: true}, {IPv6: true, VLAN: true, Timestamps: true}} {
		c, err := LoadWith(20, 2000, 1, v)
		if err != nil {
			t.Fatal(err)
		}
		got, want := c.Packets(), plain.Packets()
		if len(got) != len(want) {
			t.Fatalf("%+v: %d packets, want %d", v, len(got), len(want))
		}
		for i := range got {
			g := gopacket.NewPacket(got[i].Data, layers.LayerTypeEthernet, gopacket.Default)
			w := gopacket.NewPacket(want[i].Data, layers.LayerTypeEthernet, gopacket.Default)
			gt, _ := g.Layer(layers.LayerTypeTCP).(*layers.TCP)
			wt, _ := w.Layer(layers.LayerTypeTCP).(*layers.TCP)
			if gt == nil || wt == nil || gt.SrcPort != wt.SrcPort || gt.DstPort != wt.DstPort || gt.Seq != wt.Seq || gt.Ack != wt.Ack ||
				gt.SYN != wt.SYN || gt.FIN != wt.FIN || gt.ACK != wt.ACK || !bytes.Equal(gt.Payload, wt.Payload) {
				t.Fatalf("%+v: packet %d is not the plain capture's segment", v, i)
			}
			if ip6, _ := g.Layer(layers.LayerTypeIPv6).(*layers.IPv6); v.IPv6 != (ip6 != nil) || (ip6 != nil && !bytes.Equal(ip6.SrcIP[:4], []byte{0x20, 0x01, 0x0d, 0xb8})) {
				t.Fatalf("%+v: packet %d: IPv6 layer %v", v, i, ip6)
			}
			if tag, _ := g.Layer(layers.LayerTypeDot1Q).(*layers.Dot1Q); v.VLAN != (tag != nil) || (tag != nil && tag.VLANIdentifier != 100) {
				t.Fatalf("%+v: packet %d: VLAN tag %v", v, i, tag)
			}
			hasTS := false
			for _, o := range gt.Options {
				hasTS = hasTS || o.OptionType == layers.TCPOptionKindTimestamps
			}
			if hasTS != v.Timestamps {
				t.Fatalf("%+v: packet %d: timestamp option %v", v, i, hasTS)
			}
		}
	}
}

// A cooked load capture is the plain one with each Ethernet header made a
// Linux cooked header; with VLAN it is refused.
func TestLoadCooked(t *testing.T) {
	plain, err := LoadPcap(20, 2000, 1)
	if err != nil {
		t.Fatal(err)
	}
	cooked, err := LoadVariantPcap(20, 2000, 1, LoadVariant{Cooked: true})
	if err != nil {
		t.Fatal(err)
	}
	pr, err := pcapgo.NewReader(bytes.NewReader(plain))
	if err != nil {
		t.Fatal(err)
	}
	cr, err := pcapgo.NewReader(bytes.NewReader(cooked))
	if err != nil {
		t.Fatal(err)
	}
	if cr.LinkType() != layers.LinkTypeLinuxSLL {
		t.Fatalf("link type %v", cr.LinkType())
	}
	n := 0
	for {
		p, _, perr := pr.ReadPacketData()
		c, _, cerr := cr.ReadPacketData()
		if perr != nil || cerr != nil {
			if perr != cerr {
				t.Fatalf("packet %d: %v and %v", n+1, perr, cerr)
			}
			break
		}
		n++
		var sll layers.LinuxSLL
		if err := sll.DecodeFromBytes(c, gopacket.NilDecodeFeedback); err != nil || sll.EthernetType != layers.EthernetTypeIPv4 ||
			!bytes.Equal(sll.Addr, p[6:12]) || !bytes.Equal(sll.Payload, p[14:]) {
			t.Fatalf("packet %d: %v, %+v", n, err, sll)
		}
	}
	if n == 0 {
		t.Fatal("no packets")
	}
	if _, err := LoadVariantPcap(20, 2000, 1, LoadVariant{Cooked: true, VLAN: true}); err == nil {
		t.Error("a cooked capture with VLAN tags: no error")
	}
}
