package capture

import (
	"bufio"
	"fmt"
	"os"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// PcapWriter saves packets, raw, to a classic pcap file with nanosecond
// timestamps (dissect -w). Its WritePacket fits Options.Tap. A pcap file
// holds one link type: that of the first packet.
type PcapWriter struct {
	path     string
	f        *os.File
	bw       *bufio.Writer
	w        *pcapgo.Writer
	snaplen  uint32
	fallback layers.LinkType // for the header of a file that gets no packet
	lt       layers.LinkType
	started  bool
}

// CreatePcap creates (or truncates) the pcap file at path. snaplen goes in
// its header; fallback is the link type written when no packet comes.
func CreatePcap(path string, snaplen int, fallback layers.LinkType) (*PcapWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	return &PcapWriter{path: path, f: f, bw: bw, w: pcapgo.NewWriterNanos(bw), snaplen: uint32(snaplen), fallback: fallback}, nil
}

// WritePacket appends one packet of link type lt. The first one sets the
// file's link type; a packet of another link type is an error.
func (p *PcapWriter) WritePacket(data []byte, ci gopacket.CaptureInfo, lt layers.LinkType) error {
	if !p.started {
		if err := p.w.WriteFileHeader(p.snaplen, lt); err != nil {
			return fmt.Errorf("%s: %w", p.path, err)
		}
		p.started, p.lt = true, lt
	} else if lt != p.lt {
		return fmt.Errorf("%s: a pcap file holds one link type: this packet is link type %d (%s), the file's %d (%s)",
			p.path, lt, linkTypeName(lt), p.lt, linkTypeName(p.lt))
	}
	ci.CaptureLength = len(data)
	ci.Length = max(ci.Length, ci.CaptureLength)
	if err := p.w.WritePacket(ci, data); err != nil {
		return fmt.Errorf("%s: %w", p.path, err)
	}
	return nil
}

// Close completes the file; one that got no packet is a valid empty
// capture of the fallback link type.
func (p *PcapWriter) Close() error {
	var err error
	if !p.started {
		err = p.w.WriteFileHeader(p.snaplen, p.fallback)
		p.started = true
	}
	if ferr := p.bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", p.path, err)
	}
	return nil
}
