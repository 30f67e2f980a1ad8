package capture

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// runForced reads a capture with a recorder; with forced, every periodic
// flush goes to the assembler, as if it could never be skipped.
func runForced(t *testing.T, data []byte, opts Options, forced bool) (*recorder, *Reader) {
	t.Helper()
	src, err := NewSource("test.pcap", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	rec := newRecorder(t)
	rd := NewReader(rec, opts)
	rd.unknownConns = forced
	if err := rd.Run(src); err != nil {
		t.Fatal(err)
	}
	return rec, rd
}

// The periodic flush is skipped only when it would do nothing: the
// handlers see the same calls, in the same order, as when every flush
// goes to the assembler, with segments held back behind a hole (data, a
// FIN, a RST), connections going idle, and connections that only ever
// carry data in order, whose flushes are skipped.
func TestFlushSkippedOnlyWhenIdle(t *testing.T) {
	opts := Options{ReorderWait: 2 * time.Second, IdleTimeout: 3 * time.Second, FlushInterval: time.Second}
	for _, tc := range []struct {
		name     string
		build    func(b *capBuilder, a, c *conv)
		skipSome bool // some flush must be skipped
	}{
		{"in order", func(b *capBuilder, a, c *conv) {
			for range 8 {
				b.addAfter(400*time.Millisecond, a.seg(I, "PA", "ping"))
				b.add(c.seg(I, "PA", "pong"))
			}
		}, true},
		{"a hole filled after the reorder wait", func(b *capBuilder, a, c *conv) {
			b.add(a.seg(I, "PA", "one"))
			late := a.next[I]
			a.next[I] += 4
			b.add(a.seg(I, "PA", "three"))
			for range 6 {
				b.addAfter(700*time.Millisecond, c.seg(I, "PA", "tick"))
			}
			b.add(a.segAt(I, "PA", late, "two!"))
		}, false},
		{"a FIN behind a hole", func(b *capBuilder, a, c *conv) {
			b.add(a.seg(I, "PA", "one"))
			a.next[I] += 4
			b.add(a.seg(I, "FA", ""))
			for range 6 {
				b.addAfter(700*time.Millisecond, c.seg(I, "PA", "tick"))
			}
		}, false},
		{"a RST behind a hole", func(b *capBuilder, a, c *conv) {
			b.add(a.seg(I, "PA", "one"))
			a.next[I] += 4
			b.add(a.seg(I, "R", ""))
			for range 6 {
				b.addAfter(700*time.Millisecond, c.seg(I, "PA", "tick"))
			}
		}, false},
		{"a connection going idle", func(b *capBuilder, a, c *conv) {
			b.add(a.seg(I, "PA", "quiet from now on"))
			for range 12 {
				b.addAfter(500*time.Millisecond, c.seg(I, "PA", "tick"))
			}
			b.add(a.seg(I, "PA", "back"))
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b capBuilder
			a := newConv(t, linkEthernet, cli4, srv4)
			c := newConv(t, linkEthernet, ep("10.0.0.3", 40002), srv4)
			b.add(a.seg(I, "S", ""))
			b.add(a.seg(R, "SA", ""))
			b.add(c.seg(I, "S", ""))
			b.add(c.seg(R, "SA", ""))
			tc.build(&b, a, c)
			data := writePcap(t, layers.LinkTypeEthernet, b.pkts, false)
			got, rd := runForced(t, data, opts, false)
			want, _ := runForced(t, data, opts, true)
			if !reflect.DeepEqual(got.events, want.events) {
				t.Errorf("calls\n%v\nwant (every flush made)\n%v", got.events, want.events)
			}
			if len(got.streams) != len(want.streams) {
				t.Fatalf("%d streams, want %d", len(got.streams), len(want.streams))
			}
			for i := range got.streams {
				if !reflect.DeepEqual(*got.streams[i], *want.streams[i]) {
					t.Errorf("stream %d:\n%+v\nwant\n%+v", i, *got.streams[i], *want.streams[i])
				}
			}
			if tc.skipSome && rd.skipped == 0 {
				t.Error("no flush skipped")
			}
			t.Logf("%d flushes skipped", rd.skipped)
		})
	}
}
