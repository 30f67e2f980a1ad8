package capture

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// What a flush delivers (idle timeouts, the end of the input) comes in
// connection order, whatever order the assembler's map gives: the same
// capture always gives the same events.
func TestFlushInConnectionOrder(t *testing.T) {
	const conns = 40
	var pkts []testPacket
	at := func(d time.Duration, data []byte) {
		pkts = append(pkts, testPacket{ts: baseTime.Add(d), data: data})
	}
	var cs []*conv
	for i := 0; i < conns; i++ {
		cs = append(cs, newConv(t, linkEthernet, ep(fmt.Sprintf("10.3.0.%d", i+1), uint16(30000+i)), srv4))
	}
	for i, c := range cs {
		d := time.Duration(i) * time.Millisecond
		at(d, c.seg(I, "S", ""))
		at(d, c.seg(R, "SA", ""))
		at(d, c.seg(I, "A", ""))
		// A segment after a hole: held until a flush gives up on the hole.
		c.next[I] += 10
		at(d, c.seg(I, "PA", "after a hole"))
	}
	// A minute later, half of them send again: by then the idle flush has
	// closed every connection, so these open new ones (midstream), which
	// the end of the input flushes.
	late := cs[conns/2:]
	for i, c := range late {
		at(time.Minute+time.Duration(i)*time.Millisecond, c.seg(R, "PA", "still here"))
	}
	data := writePcap(t, layers.LinkTypeEthernet, pkts, false)
	opts := Options{IdleTimeout: 30 * time.Second, ReorderWait: time.Second, FlushInterval: time.Second}
	var first []string
	for run := 0; run < 5; run++ {
		rec, _, err := runCapture(t, data, opts)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range rec.events {
			if !strings.HasPrefix(e, "open") {
				got = append(got, e)
			}
		}
		if run == 0 {
			first = got
			var closes []int
			for _, e := range got {
				var id int
				if _, err := fmt.Sscanf(e, "close %d", &id); err == nil {
					closes = append(closes, id)
				}
			}
			if len(closes) != conns+len(late) {
				t.Fatalf("%d closes, want %d: %v", len(closes), conns+len(late), got)
			}
			// Two flushes, each in connection order.
			if !slices.IsSorted(closes) {
				t.Errorf("closes out of connection order: %v", closes)
			}
			continue
		}
		if !slices.Equal(got, first) {
			t.Fatalf("run %d: events differ from the first run:\n%v\n%v", run, got, first)
		}
	}
}
