package capture

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/gopacket/gopacket"
)

// maxRecordLen bounds one classic pcap record: the largest snapshot length
// tcpdump and Wireshark write is 262144 bytes.
const maxRecordLen = 262144

// pcapRecords reads the packet records of a classic pcap file. pcapgo
// rejects a record whose captured length exceeds its original length, or
// the file's snapshot length; tshark and tcpdump read such records, and
// real files have them (from tools that rewrite packets), so dissect reads
// them too, within maxRecordLen.
type pcapRecords struct {
	r     *bufio.Reader
	order binary.ByteOrder
	nanos bool
	hdr   [16]byte
	buf   []byte
}

func newPcapRecords(r *bufio.Reader, magic uint32) *pcapRecords {
	p := &pcapRecords{r: r, order: binary.LittleEndian}
	switch magic {
	case magicPcapMicroBE, magicPcapNanoBE:
		p.order = binary.BigEndian
	}
	p.nanos = magic == magicPcapNanoBE || magic == magicPcapNanoLE
	return p
}

// next reads one record. The data is valid until the next call. It returns
// io.EOF at a clean end, io.ErrUnexpectedEOF for a cut record.
func (p *pcapRecords) next() ([]byte, gopacket.CaptureInfo, error) {
	var ci gopacket.CaptureInfo
	n, err := io.ReadFull(p.r, p.hdr[:])
	if err != nil {
		if n == 0 && err == io.EOF {
			return nil, ci, io.EOF
		}
		return nil, ci, io.ErrUnexpectedEOF
	}
	sec := int64(p.order.Uint32(p.hdr[0:4]))
	frac := int64(p.order.Uint32(p.hdr[4:8]))
	if !p.nanos {
		frac *= 1000
	}
	ci.Timestamp = time.Unix(sec, frac).UTC()
	ci.CaptureLength = int(p.order.Uint32(p.hdr[8:12]))
	ci.Length = int(p.order.Uint32(p.hdr[12:16]))
	if ci.CaptureLength > maxRecordLen {
		return nil, ci, fmt.Errorf("record of %d bytes is larger than any packet (at most %d)", ci.CaptureLength, maxRecordLen)
	}
	if ci.Length < ci.CaptureLength {
		ci.Length = ci.CaptureLength // a rewritten packet: what was captured is what there is
	}
	if cap(p.buf) < ci.CaptureLength {
		p.buf = make([]byte, max(ci.CaptureLength, 2048))
	}
	data := p.buf[:ci.CaptureLength]
	if _, err := io.ReadFull(p.r, data); err != nil {
		return nil, ci, io.ErrUnexpectedEOF
	}
	return data, ci, nil
}
