package dissectors

import (
	"math"
	"testing"
	"time"
)

// A long connection keeps a short pairing queue, whatever its length: the
// queue of requests in order of arrival drops the answered ones, so memory
// does not grow with the number of transactions.
func TestPairQueueStaysShort(t *testing.T) {
	tests := []struct {
		name      string
		pipelined int // requests sent before their responses
		unanswer  bool
	}{
		{"one at a time", 1, false},
		{"pipelined by 10", 10, false},
		{"every other request unanswered", 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := modbusDissector(t)
			sink := &nopSink{}
			dec := d.NewConnection(&Conn{Transport: "tcp"}, sink).(*connection)
			loc := &feedLoc{}
			longest := 0
			tid := uint16(0)
			for round := 0; round < 3000; round++ {
				first := tid
				for k := 0; k < tt.pipelined; k++ {
					loc.n++
					if err := dec.Feed(ClientToServer, writeRegisters(tid, 2), loc, false); err != nil {
						t.Fatal(err)
					}
					tid++
				}
				for k := 0; k < tt.pipelined; k++ {
					if tt.unanswer && k%2 == 1 {
						continue
					}
					id := first + uint16(k)
					loc.n++
					resp := []byte{byte(id >> 8), byte(id), 0, 0, 0, 6, 1, 16, 0, 10, 0, 2}
					if err := dec.Feed(ServerToClient, resp, loc, false); err != nil {
						t.Fatal(err)
					}
				}
				longest = max(longest, len(dec.pairs.order)-dec.pairs.head)
			}
			limit := 2*len(dec.pairs.open) + 2*indexAbove + tt.pipelined
			if tt.unanswer {
				limit = 2*maxOpenRequests + 2*indexAbove + tt.pipelined
			}
			if longest > limit || cap(dec.pairs.order) > 2*limit+64 {
				t.Errorf("order queue: %d entries at most, array of %d, %d requests open; want at most %d", longest, cap(dec.pairs.order), len(dec.pairs.open), limit)
			}
			if sink.n == 0 {
				t.Error("no records")
			}
		})
	}
}

// latency gives what time.Time.Sub gives: for packet times close together
// or far apart, either way, in any location, at the extremes of Duration,
// and for times with a monotonic clock reading.
func TestLatencySameAsSub(t *testing.T) {
	base := time.Unix(1704067200, 314084000)
	now := time.Now()
	for _, tc := range []struct {
		name string
		t, u time.Time
	}{
		{"same", base, base},
		{"microseconds", base.Add(394 * time.Microsecond), base},
		{"negative", base, base.Add(1500 * time.Millisecond)},
		{"nanosecond borrow", time.Unix(10, 1), time.Unix(9, 999999999)},
		{"locations", base.In(time.FixedZone("x", -7200)), base.Add(-time.Hour).UTC()},
		{"zero time", base, time.Time{}},
		{"before the epoch", time.Unix(-5, 7), time.Unix(3, 999)},
		{"2^32 seconds", time.Unix(1<<32, 0), time.Unix(0, 0)},
		{"just under 2^32 seconds", time.Unix(1<<32-1, 999999999), time.Unix(0, 0)},
		{"overflow", time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)},
		// A pcapng file's timestamps can be any 64-bit number of
		// seconds: ten seconds apart where time's own seconds (from
		// year 1) overflow, and where their difference wraps around.
		{"internal seconds overflow", time.Unix(math.MaxInt64-62135596800+7, 0), time.Unix(math.MaxInt64-62135596800-3, 0)},
		{"difference wraps", time.Unix(math.MaxInt64-5, 0), time.Unix(math.MinInt64+10, 0)},
		{"largest", time.Unix(math.MaxInt64, 0), time.Unix(math.MaxInt64-1, 999999999)},
		{"monotonic", now.Add(time.Second), now},
		{"one monotonic", now, now.Round(0).Add(-time.Second)},
		{"the other monotonic", now.Round(0).Add(time.Second), now},
	} {
		if got, want := latency(tc.t, tc.u), tc.t.Sub(tc.u); got != want {
			t.Errorf("%s: latency %v, Sub %v", tc.name, got, want)
		}
	}
}
