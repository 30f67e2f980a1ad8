package capture

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gopacket/gopacket/reassembly"
)

func TestInsertHeld(t *testing.T) {
	const next = reassembly.Sequence(0xfffffff0) // ranges wrap around
	r := func(start, end int) seqRange { return seqRange{next.Add(start), next.Add(end)} }
	tests := []struct {
		name       string
		q          []seqRange
		start, end int
		want       []seqRange
	}{
		{"empty", nil, 5, 10, []seqRange{r(5, 10)}},
		{"before", []seqRange{r(20, 30)}, 5, 10, []seqRange{r(5, 10), r(20, 30)}},
		{"after", []seqRange{r(20, 30)}, 35, 40, []seqRange{r(20, 30), r(35, 40)}},
		{"between", []seqRange{r(0, 5), r(20, 30)}, 10, 15, []seqRange{r(0, 5), r(10, 15), r(20, 30)}},
		{"joins the previous", []seqRange{r(0, 5), r(20, 30)}, 5, 15, []seqRange{r(0, 15), r(20, 30)}},
		{"joins the next", []seqRange{r(0, 5), r(20, 30)}, 10, 20, []seqRange{r(0, 5), r(10, 30)}},
		{"fills a hole", []seqRange{r(0, 5), r(20, 30)}, 5, 20, []seqRange{r(0, 30)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := insertHeld(slices.Clone(tt.q), next, next.Add(tt.start), next.Add(tt.end))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPruneHeld(t *testing.T) {
	const base = reassembly.Sequence(0xfffffff0)
	r := func(start, end int) seqRange { return seqRange{base.Add(start), base.Add(end)} }
	q := []seqRange{r(0, 10), r(20, 30), r(40, 50)}
	tests := []struct {
		next int
		want []seqRange
	}{
		{0, q},
		{5, []seqRange{r(5, 10), r(20, 30), r(40, 50)}},
		{10, []seqRange{r(20, 30), r(40, 50)}},
		{25, []seqRange{r(25, 30), r(40, 50)}},
		{50, []seqRange{}},
		{60, []seqRange{}},
	}
	for _, tt := range tests {
		if got := pruneHeld(slices.Clone(q), base.Add(tt.next)); !slices.Equal(got, tt.want) {
			t.Errorf("next %d: got %v, want %v", tt.next, got, tt.want)
		}
	}
}

// TestFirstCopyWins sends random overlapping segments with different
// contents, in random order, and checks that each byte comes from the first
// packet that carried it.
func TestFirstCopyWins(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range 200 {
		length := 20 + rng.IntN(400)
		c := newConv(t, linkEthernet, cli4, srv4)
		// Start near the wrap-around of sequence numbers half of the time.
		if iter%2 == 0 {
			c.next[I] = 0xffffffff - uint32(rng.IntN(300))
		}
		var b capBuilder
		b.add(c.seg(I, "S", ""))
		base := c.next[I]

		type seg struct{ start, end int }
		var segs []seg
		for off := 0; off < length; { // a complete cover
			n := min(1+rng.IntN(30), length-off)
			segs = append(segs, seg{off, off + n})
			off += n
		}
		for range rng.IntN(40) { // and random copies
			start := rng.IntN(length)
			segs = append(segs, seg{start, min(length, start+1+rng.IntN(40))})
		}
		rng.Shuffle(len(segs), func(i, j int) { segs[i], segs[j] = segs[j], segs[i] })

		want := make([]byte, length)
		wantPkts := make([]uint64, length)
		for _, s := range segs {
			payload := make([]byte, s.end-s.start)
			for i := range payload {
				payload[i] = 'a' + byte(rng.IntN(26))
			}
			n := b.add(c.segAt(I, "PA", base+uint32(s.start), string(payload)))
			for i := s.start; i < s.end; i++ {
				if wantPkts[i] == 0 {
					wantPkts[i], want[i] = n, payload[i-s.start]
				}
			}
		}
		rec, stats, err := runCapture(t, writePcap(t, 1, b.pkts, false), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.streams) != 1 || rec.streams[0].Data[I] != string(want) || !slices.Equal(rec.streams[0].Pkts[I], wantPkts) || stats.Gaps != 0 {
			t.Fatalf("iteration %d: segments %v\n got %+v\nwant %q %v", iter, segs, rec.streams[0], want, wantPkts)
		}
	}
}
