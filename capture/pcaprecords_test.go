package capture

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"testing"
	"time"
)

// A record's timestamp is time.Unix(sec, frac).UTC(), frac in nanoseconds,
// in either byte order, for any value of its fields.
func TestPcapTimestamp(t *testing.T) {
	values := []uint32{0, 1, 999_999, 1_000_000, 999_999_999, 1_000_000_000, 1_700_000_000, 1<<31 - 1, 1 << 31, 1<<32 - 1}
	for _, magic := range []uint32{magicPcapMicroLE, magicPcapMicroBE, magicPcapNanoLE, magicPcapNanoBE} {
		var order binary.AppendByteOrder = binary.LittleEndian
		if magic == magicPcapMicroBE || magic == magicPcapNanoBE {
			order = binary.BigEndian
		}
		nanos := magic == magicPcapNanoLE || magic == magicPcapNanoBE
		var file []byte
		for _, sec := range values {
			for _, frac := range values {
				file = order.AppendUint32(file, sec)
				file = order.AppendUint32(file, frac)
				file = order.AppendUint32(file, 0)
				file = order.AppendUint32(file, 0)
			}
		}
		p := newPcapRecords(bufio.NewReaderSize(bytes.NewReader(file), 1<<20), magic)
		for _, sec := range values {
			for _, frac := range values {
				_, ci, err := p.next()
				if err != nil {
					t.Fatal(err)
				}
				ns := int64(frac)
				if !nanos {
					ns *= 1000
				}
				if want := time.Unix(int64(sec), ns).UTC(); ci.Timestamp != want {
					t.Errorf("magic %#x, sec %d, frac %d: %v, want %v", magic, sec, frac, ci.Timestamp, want)
				}
			}
		}
	}
}
