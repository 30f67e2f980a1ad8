package capture

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// bufferSize is the size of the read buffer in front of the capture data.
const bufferSize = 1 << 20

// ngPeekSize is how much of a pcapng file is looked at when it is opened to
// learn the link types of its interfaces.
const ngPeekSize = 64 << 10

// Magic numbers, as the first four bytes of the file read big-endian.
const (
	magicPcapMicroBE = 0xa1b2c3d4 // classic pcap, microseconds, big-endian
	magicPcapMicroLE = 0xd4c3b2a1 // classic pcap, microseconds, little-endian
	magicPcapNanoBE  = 0xa1b23c4d // classic pcap, nanoseconds, big-endian
	magicPcapNanoLE  = 0x4d3cb2a1 // classic pcap, nanoseconds, little-endian
	magicPcapModBE   = 0xa1b2cd34 // Kuznetzov's modified pcap, big-endian
	magicPcapModLE   = 0x34cdb2a1 // Kuznetzov's modified pcap, little-endian
	magicPcapng      = 0x0a0d0d0a // pcapng section header block type
	magicGzip0       = 0x1f       // first byte of a gzip stream
	magicGzip1       = 0x8b       // second byte of a gzip stream
)

// Source is an open capture: classic pcap (both byte orders, micro- and
// nanosecond magic) or pcapng, chosen by the magic bytes, never the file
// name; gzip-compressed files are detected by their magic (1f 8b) and
// decompressed transparently.
type Source struct {
	name   string
	closer io.Closer    // the file opened by Open, if any
	gz     *gzip.Reader // non-nil for a compressed capture
	cr     *countingReader
	br     *bufio.Reader // reads from cr; the capture readers read from it

	pcap     *pcapRecords
	linkType layers.LinkType // of a classic pcap

	ng          *pcapgo.NgReader
	ngLinkTypes []layers.LinkType // interfaces found at the start of a pcapng

	live packetSource // a live capture (OpenLive); nil for a file

	packets uint64 // complete packets read
	err     error  // sticky: once reading failed (or hit the end), the error
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// Open opens the capture file at path; "-" means standard input.
func Open(path string) (*Source, error) {
	if path == "-" {
		return NewSource("stdin", os.Stdin)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err // *PathError: "open x.pcap: no such file or directory"
	}
	s, err := NewSource(path, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	s.closer = f
	return s, nil
}

// NewSource detects the capture format of r and reads its file header, like
// Open. name is used in error messages. The Source does not close r.
func NewSource(name string, r io.Reader) (*Source, error) {
	s := &Source{name: name}
	s.cr = &countingReader{r: r}
	s.br = bufio.NewReaderSize(s.cr, bufferSize)
	head, err := s.br.Peek(4)
	if len(head) >= 2 && head[0] == magicGzip0 && head[1] == magicGzip1 {
		gz, gerr := gzip.NewReader(s.br)
		if gerr != nil {
			if isEOF(gerr) {
				return nil, fmt.Errorf("%s: file truncated in the gzip header", name)
			}
			return nil, fmt.Errorf("%s: bad gzip header: %w", name, gerr)
		}
		// Offsets count decompressed bytes: count between gzip and the
		// buffer the capture readers use.
		s.gz = gz
		s.cr = &countingReader{r: gz}
		s.br = bufio.NewReaderSize(s.cr, bufferSize)
		head, err = s.br.Peek(4)
	}
	if len(head) < 4 {
		if err != nil && !isEOF(err) {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(head) == 0 {
			return nil, fmt.Errorf("%s: empty file%s; expected pcap or pcapng", name, s.gzipNote())
		}
		return nil, fmt.Errorf("%s: not a capture file (only %d bytes%s); expected pcap or pcapng", name, len(head), s.gzipNote())
	}

	switch magic := binary.BigEndian.Uint32(head); magic {
	case magicPcapMicroBE, magicPcapMicroLE, magicPcapNanoBE, magicPcapNanoLE:
		// pcapgo wraps its reader in a bufio.Reader, which reuses s.br as
		// it is large enough: so s.br.Buffered() tells what pcapgo has not
		// consumed yet.
		pr, err := pcapgo.NewReader(s.br)
		if err != nil {
			if isEOF(err) {
				return nil, fmt.Errorf("%s: file truncated in the pcap file header", name)
			}
			return nil, fmt.Errorf("%s: bad pcap file header: %w", name, err)
		}
		// pcapgo read the file header; the records are read by a reader
		// that accepts what tshark accepts.
		s.pcap = newPcapRecords(s.br, magic)
		s.linkType = pr.LinkType()
	case magicPcapng:
		// Look at what is already buffered (never wait for more: the
		// capture may come from a pipe) for the first interfaces.
		if b, _ := s.br.Peek(min(s.br.Buffered(), ngPeekSize)); len(b) > 0 {
			s.ngLinkTypes = ngInterfaceLinkTypes(b)
		}
		nr, err := pcapgo.NewNgReader(s.br, pcapgo.NgReaderOptions{WantMixedLinkType: true})
		if err != nil {
			if isEOF(err) {
				return nil, fmt.Errorf("%s: file truncated in the pcapng section header", name)
			}
			return nil, fmt.Errorf("%s: bad pcapng section header: %w", name, err)
		}
		s.ng = nr
	case magicPcapModBE, magicPcapModLE:
		return nil, fmt.Errorf("%s: modified pcap format (magic 0x%08x) is not supported; expected pcap or pcapng", name, magic)
	default:
		return nil, fmt.Errorf("%s: not a capture file (magic 0x%08x%s); expected pcap or pcapng", name, magic, s.gzipNote())
	}
	return s, nil
}

// gzipNote qualifies messages about the content of a compressed file.
func (s *Source) gzipNote() string {
	if s.gz != nil {
		return ", after gzip decompression"
	}
	return ""
}

// Close releases the Source, closing the file opened by Open.
func (s *Source) Close() error {
	var err error
	if s.live != nil {
		err = s.live.close()
		s.live = nil
	}
	if s.gz != nil {
		err = s.gz.Close()
		s.gz = nil
	}
	if s.closer != nil {
		if cerr := s.closer.Close(); err == nil {
			err = cerr
		}
		s.closer = nil
	}
	return err
}

// LinkType describes the link type of the capture, for messages, e.g.
// "Ethernet". A pcapng file whose interfaces differ gives them all, e.g.
// "Ethernet, Linux SLL".
func (s *Source) LinkType() string {
	if s.pcap != nil {
		return linkTypeName(s.linkType)
	}
	if s.live != nil {
		return linkTypeName(s.live.linkType())
	}
	types := s.ngLinkTypes
	if len(types) == 0 && s.ng != nil {
		for i := range s.ng.NInterfaces() {
			if iface, err := s.ng.Interface(i); err == nil && !slices.Contains(types, iface.LinkType) {
				types = append(types, iface.LinkType)
			}
		}
	}
	if len(types) == 0 {
		return "unknown"
	}
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = linkTypeName(t)
	}
	return strings.Join(names, ", ")
}

// offset returns the position in the (decompressed) capture up to which the
// capture reader consumed bytes.
func (s *Source) offset() int64 {
	n := s.cr.n - int64(s.br.Buffered())
	if s.pcap != nil {
		n += int64(s.pcap.used) // returned, still in the buffer
	}
	return n
}

// next reads the next packet, and its capture information into *ci (which
// the caller keeps across calls, rather than 72 bytes returned by value
// through two calls per packet). data is valid until the following call.
// At the end of the capture it returns io.EOF; a file cut in the middle of
// a record gives a *TruncatedError, any other problem an error naming the
// file, the byte offset and the packet count. Errors are sticky.
func (s *Source) next(ci *gopacket.CaptureInfo) (data []byte, lt layers.LinkType, err error) {
	if s.live != nil {
		data, *ci, lt, err = s.live.next()
		return data, lt, err
	}
	if s.err != nil {
		return nil, 0, s.err
	}
	if s.pcap != nil {
		data, err = s.pcap.next(ci)
		if err != nil {
			// pcap.next fails without consuming the record (its refills
			// discard only what it returned before), so the offset is
			// still the record's: it need not be computed for every
			// record.
			s.err = s.readError(err, s.offset())
			return nil, 0, s.err
		}
		s.packets++
		return data, s.linkType, nil
	}
	start := s.offset()
	data, *ci, err = s.ng.ZeroCopyReadPacketData()
	if err == nil {
		lt = s.ngLinkType(*ci)
	}
	if err != nil {
		s.err = s.readError(err, start)
		return nil, 0, s.err
	}
	s.packets++
	return data, lt, nil
}

// ngLinkType returns the link type of the interface a pcapng packet was
// captured on.
func (s *Source) ngLinkType(ci gopacket.CaptureInfo) layers.LinkType {
	// With WantMixedLinkType, the reader puts it in AncillaryData[0].
	if len(ci.AncillaryData) > 0 {
		if lt, ok := ci.AncillaryData[0].(layers.LinkType); ok {
			return lt
		}
	}
	iface, err := s.ng.Interface(ci.InterfaceIndex)
	if err != nil {
		return linkTypeUnknown
	}
	return iface.LinkType
}

// linkTypeUnknown stands for the link type of a packet whose interface is
// unknown; no capture uses it (it is reserved in the pcap registry).
const linkTypeUnknown layers.LinkType = 0xffff

// readError turns an error of the capture reader into the error next
// returns; start is the offset of the record being read.
func (s *Source) readError(err error, start int64) error {
	// The pcapng reader returns io.EOF only between two blocks (possibly
	// after reading blocks that hold no packet, such as interface
	// statistics); the pcap reader also returns it after a record header
	// with no data, a cut.
	if err == io.EOF && (s.ng != nil || s.offset() == start) {
		return io.EOF // clean end
	}
	if isEOF(err) {
		return &TruncatedError{File: s.name, Packets: s.packets, Offset: start}
	}
	return fmt.Errorf("%s: bad record at byte %d, after packet %d: %w", s.name, start, s.packets, err)
}

// isEOF reports whether err says the data ended.
func isEOF(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// TruncatedError reports a capture file that ends in the middle of a record.
type TruncatedError struct {
	File    string
	Packets uint64 // complete packets read before the cut
	Offset  int64  // byte offset in the (decompressed) file where the incomplete record starts
}

// Error describes the cut, e.g. "x.pcap: file truncated at byte 1234, in the
// record after packet 56".
func (e *TruncatedError) Error() string {
	if e.Packets == 0 {
		return fmt.Sprintf("%s: file truncated at byte %d, in the first record", e.File, e.Offset)
	}
	return fmt.Sprintf("%s: file truncated at byte %d, in the record after packet %d", e.File, e.Offset, e.Packets)
}

// ngInterfaceLinkTypes returns the distinct link types of the interface
// description blocks found in b, the start of a pcapng file. It stops at the
// first block it cannot make sense of.
func ngInterfaceLinkTypes(b []byte) []layers.LinkType {
	const (
		blockSHB              = 0x0a0d0d0a
		blockIDB              = 0x00000001
		byteOrderMagic uint32 = 0x1a2b3c4d
	)
	var order binary.ByteOrder = binary.LittleEndian
	var types []layers.LinkType
	for off := 0; off+12 <= len(b); {
		if binary.BigEndian.Uint32(b[off:]) == blockSHB {
			switch byteOrderMagic {
			case binary.LittleEndian.Uint32(b[off+8:]):
				order = binary.LittleEndian
			case binary.BigEndian.Uint32(b[off+8:]):
				order = binary.BigEndian
			default:
				return types
			}
		}
		typ := order.Uint32(b[off:])
		length := order.Uint32(b[off+4:])
		if typ == blockIDB {
			if lt := layers.LinkType(order.Uint16(b[off+8:])); !slices.Contains(types, lt) {
				types = append(types, lt)
			}
		}
		if length < 12 || length%4 != 0 || uint64(length) > uint64(len(b)-off) {
			return types
		}
		off += int(length)
	}
	return types
}
