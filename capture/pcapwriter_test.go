package capture

import (
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// The -w file: one link type per file, and a valid file even with no
// packet.
func TestPcapWriter(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.pcap")
	s, err := CreatePcap(empty, 65535, layers.LinkTypeLinuxSLL)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	src, err := Open(empty)
	if err != nil {
		t.Fatalf("empty saved file: %v", err)
	}
	_, _, err = src.next(new(gopacket.CaptureInfo))
	if lt := src.LinkType(); err != io.EOF || lt != "Linux SLL" {
		t.Errorf("empty saved file: link type %s, read %v", lt, err)
	}
	src.Close()

	mixed := filepath.Join(dir, "mixed.pcap")
	if s, err = CreatePcap(mixed, 65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, 0), CaptureLength: 20, Length: 20}
	if err := s.WritePacket(make([]byte, 20), ci, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	err = s.WritePacket(make([]byte, 20), ci, layers.LinkTypeLinuxSLL)
	want := mixed + ": a pcap file holds one link type: this packet is link type 113 (Linux SLL), the file's 1 (Ethernet)"
	if err == nil || err.Error() != want {
		t.Errorf("mixed link types: %v, want %q", err, want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
