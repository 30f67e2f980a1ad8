package pipeline

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/internal/pcapgen"
)

// pcapRecordEnds returns the file offset where each packet record of a
// classic pcap file ends.
func pcapRecordEnds(t *testing.T, file []byte) []int {
	t.Helper()
	var bo binary.ByteOrder = binary.LittleEndian
	switch binary.LittleEndian.Uint32(file) {
	case 0xa1b2c3d4, 0xa1b23c4d:
	case 0xd4c3b2a1, 0x4d3cb2a1:
		bo = binary.BigEndian
	default:
		return nil // pcapng
	}
	var ends []int
	for off := 24; off+16 <= len(file); {
		off += 16 + int(bo.Uint32(file[off+8:]))
		ends = append(ends, off)
	}
	return ends
}

// cutLog records each frame record: its last packet, and a line with
// its protocol, direction, offset, length, summary and error.
type cutLog struct {
	last  []uint64
	lines []string
	errs  []bool
}

func (l *cutLog) Emit(r *dissectors.Record) error {
	if r.Kind != dissectors.KindFrame {
		return nil
	}
	line := fmt.Sprintf("%d %s %s @%d+%d %s", r.LastPacket, r.Protocol.Name, r.Dir, r.Offset, r.Length, r.Frame.AppendSummary(nil))
	if e := r.Err(); e != "" {
		line += " err=" + e
	}
	l.last = append(l.last, r.LastPacket)
	l.lines = append(l.lines, line)
	l.errs = append(l.errs, r.Err() != "")
	return nil
}

// dissectTruncated runs a capture's bytes with the bundled library and
// returns its frame records and the error of the run.
func dissectTruncated(t *testing.T, reg *dissectors.Registry, data []byte) (*cutLog, error) {
	t.Helper()
	src, err := capture.NewSource("cut.pcap", bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%d bytes: %v", len(data), err)
	}
	defer src.Close()
	log := &cutLog{}
	_, err = Run(src, Config{Registry: reg, Sink: log})
	return log, err
}

// A generated capture of each bundled protocol cut anywhere, inside a
// packet record's header or its data, decodes every frame the whole
// packets before the cut complete exactly as the whole file does, and
// reports the cut as a truncated file.
func TestTruncatedCaptures(t *testing.T) {
	reg := bundledRegistry(t)
	for _, p := range pcapgen.ProtocolCaptures() {
		var b bytes.Buffer
		if err := p.Write(&b); err != nil {
			t.Fatal(err)
		}
		file := b.Bytes()
		ends := pcapRecordEnds(t, file)
		if len(ends) < 4 {
			continue // pcapng, or nothing to cut
		}
		t.Run(p.File, func(t *testing.T) {
			full, err := dissectTruncated(t, reg, file)
			if err != nil {
				t.Fatalf("whole file: %v", err)
			}
			// Cuts in the header and in the data of records at a quarter,
			// half and three quarters of the file, and in the last one.
			for _, i := range []int{len(ends) / 4, len(ends) / 2, 3 * len(ends) / 4, len(ends) - 1} {
				for _, at := range []int{ends[i-1] + 7, (ends[i-1] + 16 + ends[i]) / 2} {
					if at >= ends[i] {
						continue
					}
					whole := uint64(i) // packets 1..i are whole
					cut, err := dissectTruncated(t, reg, file[:at])
					if err == nil || !strings.Contains(err.Error(), "truncat") && !strings.Contains(err.Error(), "EOF") {
						t.Errorf("cut at %d: error %v, want one that says the file is truncated", at, err)
					}
					// Every frame the whole packets completed is there, the
					// same; anything else is a frame the cut left incomplete,
					// with its error.
					var got []string
					for i, l := range cut.lines {
						if cut.last[i] <= whole && !cut.errs[i] {
							got = append(got, l)
						} else if !cut.errs[i] {
							t.Errorf("cut at %d: frame past the cut without an error: %s", at, l)
						}
					}
					var want []string
					for i, l := range full.lines {
						if full.last[i] <= whole && !full.errs[i] {
							want = append(want, l)
						}
					}
					if !slices.Equal(got, want) {
						t.Errorf("cut at %d (in packet %d): good frames of the whole packets differ:\n got %q\nwant %q", at, whole+1, got, want)
					}
				}
			}
		})
	}
}
