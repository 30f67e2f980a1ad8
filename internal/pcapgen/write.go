package pcapgen

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"strings"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Snaplen is the snapshot length announced in the headers of written files.
const Snaplen = 262144

// Format is a capture file format.
type Format uint8

// Supported formats.
const (
	FormatPcap     Format = iota // classic pcap, microsecond timestamps
	FormatPcapNG                 // pcapng, one Ethernet interface
	FormatPcapGzip               // classic pcap compressed with gzip
)

// String returns the usual file name suffix of the format.
func (f Format) String() string {
	switch f {
	case FormatPcap:
		return ".pcap"
	case FormatPcapNG:
		return ".pcapng"
	case FormatPcapGzip:
		return ".pcap.gz"
	}
	return fmt.Sprintf("Format(%d)", uint8(f))
}

// FormatOf returns the format a file name's suffix calls for: ".pcap",
// ".pcapng" or ".pcap.gz".
func FormatOf(name string) (Format, error) {
	switch {
	case strings.HasSuffix(name, ".pcap.gz"):
		return FormatPcapGzip, nil
	case strings.HasSuffix(name, ".pcapng"):
		return FormatPcapNG, nil
	case strings.HasSuffix(name, ".pcap"):
		return FormatPcap, nil
	}
	return 0, fmt.Errorf("pcapgen: no capture format for file name %q", name)
}

func captureInfo(p Packet) gopacket.CaptureInfo {
	return gopacket.CaptureInfo{Timestamp: p.Time, CaptureLength: len(p.Data), Length: len(p.Data)}
}

// WritePcap writes pkts as a classic pcap file (little endian, microsecond
// timestamps, Ethernet link type).
func WritePcap(w io.Writer, pkts []Packet) error {
	pw := pcapgo.NewWriter(w)
	if err := pw.WriteFileHeader(Snaplen, layers.LinkTypeEthernet); err != nil {
		return err
	}
	for _, p := range pkts {
		if err := pw.WritePacket(captureInfo(p), p.Data); err != nil {
			return err
		}
	}
	return nil
}

// WritePcapCooked writes pkts, untagged Ethernet frames, as a classic pcap
// file of link type LINUX_SLL: each frame's Ethernet header becomes a
// Linux cooked header (packet type 0, ARPHRD_ETHER, the source MAC, the
// EtherType).
func WritePcapCooked(w io.Writer, pkts []Packet) error {
	pw := pcapgo.NewWriter(w)
	if err := pw.WriteFileHeader(Snaplen, layers.LinkTypeLinuxSLL); err != nil {
		return err
	}
	for i, p := range pkts {
		if len(p.Data) < 14 {
			return fmt.Errorf("pcapgen: packet %d: %d bytes, not an Ethernet frame", i+1, len(p.Data))
		}
		frame := make([]byte, 0, len(p.Data)+2)
		frame = binary.BigEndian.AppendUint16(frame, 0) // to us
		frame = binary.BigEndian.AppendUint16(frame, 1) // ARPHRD_ETHER
		frame = binary.BigEndian.AppendUint16(frame, 6)
		frame = append(frame, p.Data[6:12]...)
		frame = append(frame, 0, 0)
		frame = append(frame, p.Data[12:]...)
		ci := captureInfo(p)
		ci.CaptureLength, ci.Length = len(frame), ci.Length+2
		if err := pw.WritePacket(ci, frame); err != nil {
			return err
		}
	}
	return nil
}

// WritePcapNG writes pkts as a pcapng file with one section and one
// Ethernet interface. Unlike pcapgo's defaults, no host-dependent option
// (operating system, architecture) is written, so the output does not depend
// on the machine.
func WritePcapNG(w io.Writer, pkts []Packet) error {
	intf := pcapgo.NgInterface{
		Name:       "eth0",
		LinkType:   layers.LinkTypeEthernet,
		SnapLength: Snaplen,
	}
	opts := pcapgo.NgWriterOptions{SectionInfo: pcapgo.NgSectionInfo{Application: "dissect pcapgen"}}
	nw, err := pcapgo.NewNgWriterInterface(w, intf, opts)
	if err != nil {
		return err
	}
	for _, p := range pkts {
		if err := nw.WritePacket(captureInfo(p), p.Data); err != nil {
			return err
		}
	}
	return nw.Flush()
}

// WritePcapGzip writes pkts as a classic pcap file (see WritePcap)
// compressed with gzip. The gzip header carries no name and no
// modification time.
func WritePcapGzip(w io.Writer, pkts []Packet) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if err := WritePcap(zw, pkts); err != nil {
		return err
	}
	return zw.Close()
}

// Encode writes the capture in format f. When CutLast was called, the
// file (for FormatPcapGzip, the pcap file inside the gzip stream) ends in the middle of
// the data of the last packet record: its header announces the whole frame
// but only the first half of the frame follows.
func (c *Capture) Encode(w io.Writer, f Format) error {
	if !c.cutLast || len(c.packets) == 0 {
		return write(w, f, c.packets)
	}
	inner := f
	if f == FormatPcapGzip {
		inner = FormatPcap
	}
	var buf bytes.Buffer
	if err := write(&buf, inner, c.packets); err != nil {
		return err
	}
	last := c.packets[len(c.packets)-1].Data
	// Offset of the last record's data from the end of the file.
	tail := len(last)
	if inner == FormatPcapNG {
		tail += (4-len(last)%4)%4 + 4 // padding and block trailer
	}
	cut := buf.Bytes()[:buf.Len()-tail+len(last)/2]
	if f != FormatPcapGzip {
		_, err := w.Write(cut)
		return err
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(cut); err != nil {
		return err
	}
	return zw.Close()
}

func write(w io.Writer, f Format, pkts []Packet) error {
	switch f {
	case FormatPcap:
		return WritePcap(w, pkts)
	case FormatPcapNG:
		return WritePcapNG(w, pkts)
	case FormatPcapGzip:
		return WritePcapGzip(w, pkts)
	}
	return fmt.Errorf("pcapgen: unknown format %v", f)
}
