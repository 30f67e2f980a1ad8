package pcapgen

import (
	"bytes"
	"testing"
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
