package output

import (
	"bytes"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/dissect-project/dissect/dissectors"
)

// The record's head (offset, length, packets, pair) is written in place
// into reserved room: its largest values, of every width, fit, and read
// back as strconv writes them, record after record in one buffer.
func TestRecordHeadExtremes(t *testing.T) {
	tests := []struct {
		offset      uint64
		length      int
		first, last uint64
		pair        dissectors.PairInfo
	}{
		{0, 0, 1, 1, dissectors.PairInfo{}},
		{99, 99, 99_999_999, 99_999_999, dissectors.PairInfo{Status: dissectors.PairRequest, Key: 99_999_999}},
		{100_000_000, 100_000_000, 100_000_000, 100_000_001, dissectors.PairInfo{Status: dissectors.PairMatched, Key: -1, PeerPacket: 100_000_000, Latency: time.Millisecond}},
		{math.MaxUint64, math.MinInt, math.MaxUint64, math.MaxUint64, dissectors.PairInfo{Status: dissectors.PairDuplicate, Key: math.MinInt64, PeerPacket: math.MaxUint64, Latency: math.MinInt64}},
		{math.MaxUint64, math.MaxInt, math.MaxUint64 - 1, math.MaxUint64, dissectors.PairInfo{Status: dissectors.PairMatched, Key: math.MaxInt64, PeerPacket: math.MaxUint64, Latency: math.MaxInt64}},
		{12345, -1, 7, 7, dissectors.PairInfo{Status: dissectors.PairUnanswered, Key: 0}},
	}
	for _, opts := range []JSONOptions{{}, {WiresharkNames: true}} {
		var out bytes.Buffer
		w := NewNDJSONWith(&out, opts)
		var want []byte
		for rep := range 50 { // the head at many places in the buffer
			for _, tt := range tests {
				r := frameRecord(t, dissectors.ClientToServer, request, tt.first, time.Duration(rep)*time.Second)
				r.Offset, r.Length, r.FirstPacket, r.LastPacket, r.Pair = tt.offset, tt.length, tt.first, tt.last, tt.pair
				if err := w.Emit(r); err != nil {
					t.Fatal(err)
				}
				line := append(AppendRecordJSONWith(nil, r, opts), '\n')
				for _, s := range []string{
					`"offset":` + strconv.FormatUint(tt.offset, 10) + `,"length":` + strconv.Itoa(tt.length) + `,`,
					`"packets":{"first":` + strconv.FormatUint(tt.first, 10) + `,"last":` + strconv.FormatUint(tt.last, 10) + `}`,
				} {
					if !bytes.Contains(line, []byte(s)) {
						t.Fatalf("%+v: %s has no %s", tt, line, s)
					}
				}
				if tt.pair.Status != dissectors.PairNone && !bytes.Contains(line, []byte(`"key":`+strconv.FormatInt(tt.pair.Key, 10))) {
					t.Fatalf("%+v: %s: no key %d", tt, line, tt.pair.Key)
				}
				want = append(want, line...)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Errorf("%+v: the writer and AppendRecordJSONWith differ", opts)
		}
	}
}
