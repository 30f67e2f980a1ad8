package capture

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"time"

	"github.com/gopacket/gopacket"
)

// maxRecordLen bounds one classic pcap record: the largest snapshot length
// tcpdump and Wireshark write is 262144 bytes.
const maxRecordLen = 262144

// The read buffer must hold the largest record with its header, which
// refill peeks at whole (a larger Peek fails, as if the file were cut):
// the build fails if bufferSize is made smaller than that.
const _ = uint(bufferSize - (maxRecordLen + 16))

// pcapRecords reads the packet records of a classic pcap file. pcapgo
// rejects a record whose captured length exceeds its original length, or
// the file's snapshot length; tshark and tcpdump read such records, and
// real files have them (from tools that rewrite packets), so dissect reads
// them too, within maxRecordLen.
//
// Records are not copied: next returns them in the bufio.Reader's buffer,
// which is larger than any record (see bufferSize). It looks at all the
// buffered bytes at once (Peek) and tells the reader what it used
// (Discard) only when it needs more, so that a record costs a few
// comparisons rather than calls.
type pcapRecords struct {
	r         *bufio.Reader
	bigEndian bool // the file's byte order; see u32
	nanos     bool
	win       []byte // the bytes of r peeked at last; win[used:] are not read yet
	used      int    // bytes of win returned, not yet discarded from r
}

func newPcapRecords(r *bufio.Reader, magic uint32) *pcapRecords {
	p := &pcapRecords{r: r}
	switch magic {
	case magicPcapMicroBE, magicPcapNanoBE:
		p.bigEndian = true
	}
	p.nanos = magic == magicPcapNanoBE || magic == magicPcapNanoLE
	return p
}

// next reads one record, and its header into *ci (all of it: the fields a
// pcap record has no value for are zeroed). The data is valid until the
// next call. It returns io.EOF at a clean end, io.ErrUnexpectedEOF for a
// cut record (or a read error).
func (p *pcapRecords) next(ci *gopacket.CaptureInfo) ([]byte, error) {
	rest := p.win[p.used:]
	if len(rest) < 16 {
		var err error
		if rest, err = p.refill(16); err != nil {
			if len(rest) == 0 && err == io.EOF {
				return nil, io.EOF
			}
			return nil, io.ErrUnexpectedEOF
		}
	}
	hdr := rest[:16]
	// The four fields, as two 64-bit loads: each is the low or high half
	// of one, swapped for a big-endian file.
	w0, w1 := binary.LittleEndian.Uint64(hdr[0:8]), binary.LittleEndian.Uint64(hdr[8:16])
	if p.bigEndian {
		w0 = bits.RotateLeft64(bits.ReverseBytes64(w0), 32)
		w1 = bits.RotateLeft64(bits.ReverseBytes64(w1), 32)
	}
	sec, frac := int64(uint32(w0)), int64(w0>>32)
	if !p.nanos {
		frac *= 1000
	}
	capLen, length := int(uint32(w1)), int(w1>>32)
	if capLen > maxRecordLen {
		return nil, fmt.Errorf("record of %d bytes is larger than any packet (at most %d)", capLen, maxRecordLen)
	}
	if length < capLen {
		length = capLen // a rewritten packet: what was captured is what there is
	}
	*ci = gopacket.CaptureInfo{Timestamp: time.Unix(sec, frac).UTC(), CaptureLength: capLen, Length: length}
	n := 16 + capLen
	if len(rest) < n {
		var err error
		if rest, err = p.refill(n); err != nil {
			return nil, io.ErrUnexpectedEOF
		}
	}
	p.used += n
	// Cap the slice at the record, so that appending to it cannot write
	// over the next record.
	return rest[16:n:n], nil
}

// refill discards the bytes returned so far and peeks at the buffered
// bytes, reading more when fewer than n are buffered. It returns them; an
// error, with what there is, when fewer than n remain before the end of
// the input (or a read error). n is at most maxRecordLen+16, less than
// the buffer's size.
func (p *pcapRecords) refill(n int) ([]byte, error) {
	_, _ = p.r.Discard(p.used) // always succeeds: the bytes were peeked
	p.win, p.used = nil, 0
	win, err := p.r.Peek(n)
	if err != nil {
		return win, err
	}
	// Everything buffered, without reading more.
	p.win, _ = p.r.Peek(p.r.Buffered())
	return p.win, nil
}
