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
//
// Records are not copied: next returns them in the bufio.Reader's buffer
// (Peek, then Discard), which is larger than any record (see bufferSize).
type pcapRecords struct {
	r     *bufio.Reader
	order binary.ByteOrder
	nanos bool
	skip  int // bytes of the record returned last, consumed by the next call
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
// io.EOF at a clean end, io.ErrUnexpectedEOF for a cut record (or a read
// error).
func (p *pcapRecords) next() ([]byte, gopacket.CaptureInfo, error) {
	var ci gopacket.CaptureInfo
	if p.skip > 0 {
		// Always succeeds: the bytes were peeked.
		_, _ = p.r.Discard(p.skip)
		p.skip = 0
	}
	hdr, err := p.r.Peek(16)
	if err != nil {
		if len(hdr) == 0 && err == io.EOF {
			return nil, ci, io.EOF
		}
		return nil, ci, io.ErrUnexpectedEOF
	}
	sec := int64(p.order.Uint32(hdr[0:4]))
	frac := int64(p.order.Uint32(hdr[4:8]))
	if !p.nanos {
		frac *= 1000
	}
	ci.Timestamp = time.Unix(sec, frac).UTC()
	ci.CaptureLength = int(p.order.Uint32(hdr[8:12]))
	ci.Length = int(p.order.Uint32(hdr[12:16]))
	if ci.CaptureLength > maxRecordLen {
		return nil, ci, fmt.Errorf("record of %d bytes is larger than any packet (at most %d)", ci.CaptureLength, maxRecordLen)
	}
	if ci.Length < ci.CaptureLength {
		ci.Length = ci.CaptureLength // a rewritten packet: what was captured is what there is
	}
	// maxRecordLen+16 is less than the buffer's size: Peek can only fail
	// at the end of the input (or on a read error).
	rec, err := p.r.Peek(16 + ci.CaptureLength)
	if err != nil {
		return nil, ci, io.ErrUnexpectedEOF
	}
	p.skip = len(rec)
	// Cap the slice at the record, so that appending to it cannot write
	// over the next record.
	return rec[16:len(rec):len(rec)], ci, nil
}
