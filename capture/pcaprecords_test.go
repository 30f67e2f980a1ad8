package capture

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
)

// recordTestFile is a little-endian microsecond pcap of records whose sizes
// range from 0 to maxRecordLen bytes, enough of them to span several
// read buffers, each record's bytes a pattern of its own. It returns the
// file and where each record starts.
func recordTestFile(t *testing.T) ([]byte, [][]byte, []int64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(5, 6)) // fixed: the test is deterministic
	var file bytes.Buffer
	hdr := make([]byte, 24)
	binary.BigEndian.PutUint32(hdr[0:], magicPcapMicroLE)
	binary.LittleEndian.PutUint16(hdr[4:], 2)
	binary.LittleEndian.PutUint16(hdr[6:], 4)
	binary.LittleEndian.PutUint32(hdr[16:], maxRecordLen)
	binary.LittleEndian.PutUint32(hdr[20:], 1) // Ethernet
	file.Write(hdr)
	var recs [][]byte
	var starts []int64
	for file.Len() < 5*bufferSize {
		var n int
		switch k := rng.IntN(10); {
		case k == 0:
			n = maxRecordLen // the largest record, wherever it falls
		case k == 1:
			n = 0
		case k < 5:
			n = rng.IntN(maxRecordLen)
		default:
			n = rng.IntN(2000)
		}
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(len(recs)*7 + i)
		}
		var rh [16]byte
		binary.LittleEndian.PutUint32(rh[0:], uint32(len(recs)))
		binary.LittleEndian.PutUint32(rh[8:], uint32(n))
		binary.LittleEndian.PutUint32(rh[12:], uint32(n))
		starts = append(starts, int64(file.Len()))
		file.Write(rh[:])
		file.Write(data)
		recs = append(recs, data)
	}
	return file.Bytes(), recs, starts
}

// Records are read in place from the read buffer: every record, wherever
// it falls against the buffer's refills (the largest ones included), reads
// back whole, capped at its own length, with the Source's offset just past
// it; a file cut anywhere in a record is a TruncatedError at the record's
// start, after every record before it.
func TestPcapRecordsAcrossRefills(t *testing.T) {
	file, recs, starts := recordTestFile(t)
	src, err := NewSource("records", bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range recs {
		if off := src.offset(); off != starts[i] {
			t.Fatalf("record %d: offset %d before it, want %d", i, off, starts[i])
		}
		var ci gopacket.CaptureInfo
		data, _, err := src.next(&ci)
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		if !bytes.Equal(data, want) || cap(data) != len(want) || ci.CaptureLength != len(want) || ci.Timestamp.Unix() != int64(i) {
			t.Fatalf("record %d: %d bytes (cap %d), %d captured at %v; want %d bytes", i, len(data), cap(data), ci.CaptureLength, ci.Timestamp, len(want))
		}
	}
	if off := src.offset(); off != int64(len(file)) {
		t.Fatalf("offset %d at the end, want %d", off, len(file))
	}
	if _, _, err := src.next(new(gopacket.CaptureInfo)); err != io.EOF {
		t.Fatalf("at the end: %v, want io.EOF", err)
	}

	// Cut in the header and in the data of records after the first
	// buffer.
	for _, i := range []int{len(recs) / 2, len(recs) - 1} {
		for _, cut := range []int64{starts[i] + 5, starts[i] + 16 + int64(len(recs[i]))/2} {
			if int(cut-starts[i]) >= 16+len(recs[i]) {
				continue
			}
			src, err := NewSource("cut", bytes.NewReader(file[:cut]))
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for {
				data, _, err := src.next(new(gopacket.CaptureInfo))
				if err != nil {
					var te *TruncatedError
					if !errors.As(err, &te) || te.Offset != starts[i] || te.Packets != uint64(i) || n != i {
						t.Fatalf("cut at %d, in record %d: %v after %d records; want a TruncatedError at %d after %d", cut, i, err, n, starts[i], i)
					}
					break
				}
				if !bytes.Equal(data, recs[n]) {
					t.Fatalf("cut at %d: record %d differs", cut, n)
				}
				n++
			}
		}
	}
}

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
				var ci gopacket.CaptureInfo
				_, err := p.next(&ci)
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
