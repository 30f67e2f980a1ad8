package output

import (
	"bytes"
	"math"
	"testing"
	"time"

	"github.com/dissect-project/dissect/dissectors"
)

// The head of a record written after the stream prefix takes
// recordHeadRoom bytes at most, fixed-size copies included, even when
// every number in it is as long as it can be and the pair has a peer and
// a latency: with the buffer's spare capacity anything from nothing to
// twice the room (one of them leaves exactly recordHeadRoom bytes after
// the prefix), the record is written whole, and as with no capacity.
func TestRecordHeadWorstCaseRoom(t *testing.T) {
	tests := []struct {
		name string
		pair dissectors.PairInfo
	}{
		{"matched", dissectors.PairInfo{Status: dissectors.PairMatched, Key: math.MinInt64, PeerPacket: math.MaxUint64, Latency: math.MinInt64 + 1}},
		{"duplicate", dissectors.PairInfo{Status: dissectors.PairDuplicate, Key: math.MinInt64, PeerPacket: math.MaxUint64}},
		{"unsolicited", dissectors.PairInfo{Status: dissectors.PairUnsolicited, Key: math.MinInt64, PeerPacket: math.MaxUint64}},
		{"unanswered", dissectors.PairInfo{Status: dissectors.PairUnanswered, Key: math.MinInt64}},
	}
	for _, tt := range tests {
		r := frameRecord(t, dissectors.ClientToServer, request, 1, time.Second)
		r.Offset, r.Length, r.FirstPacket, r.LastPacket = math.MaxUint64, math.MinInt, math.MaxUint64, math.MaxUint64-1
		r.Pair = tt.pair
		want := AppendRecordJSON(nil, r)
		for spare := 0; spare <= len(want)+2*recordHeadRoom; spare++ {
			var got []byte
			func() {
				defer func() {
					if e := recover(); e != nil {
						t.Fatalf("%s, %d bytes spare: %v", tt.name, spare, e)
					}
				}()
				got = AppendRecordJSON(make([]byte, 0, spare), r)
			}()
			if !bytes.Equal(got, want) {
				t.Fatalf("%s, %d bytes spare: %s, want %s", tt.name, spare, got, want)
			}
		}
	}
}
