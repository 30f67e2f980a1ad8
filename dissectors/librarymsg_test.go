package dissectors

import (
	"strings"
	"testing"
)

// Helpers shared by the tests of the messaging and database schemas
// (memcached, MongoDB, MySQL, AMQP, Cassandra, Kafka).

// recWant is what one decoded record must hold.
type recWant struct {
	summary string
	err     string            // a part of the record's error; "" for none
	fields  map[string]string // path → display value
	absent  []string          // paths that must not be decoded
	pair    PairStatus        // PairNone: not checked
	peer    uint64            // with PairMatched: the request's packet number
}

// decodeFrames decodes the chunks of one connection with proto and drops
// the records of unanswered requests.
func decodeFrames(t *testing.T, proto string, chunks ...chunk) []decodedFrame {
	t.Helper()
	var out []decodedFrame
	for _, r := range decodeChunks(t, libraryRegistry(t), proto, chunks) {
		if r.Kind != KindUnanswered {
			out = append(out, r)
		}
	}
	return out
}

// checkRecs checks decoded frames against want, one for one.
func checkRecs(t *testing.T, got []decodedFrame, want []recWant) {
	t.Helper()
	if len(got) != len(want) {
		var lines []string
		for _, g := range got {
			lines = append(lines, g.String())
		}
		t.Fatalf("%d records, want %d:\n%s", len(got), len(want), strings.Join(lines, "\n"))
	}
	for i, w := range want {
		checkRec(t, i, got[i], w)
	}
}

func checkRec(t *testing.T, i int, g decodedFrame, w recWant) {
	t.Helper()
	if g.Kind != KindFrame {
		t.Errorf("record %d: %v, want a frame", i, g)
		return
	}
	if w.summary != "" && g.Summary != w.summary {
		t.Errorf("record %d: summary %q, want %q", i, g.Summary, w.summary)
	}
	if w.err == "" && g.Err != "" {
		t.Errorf("record %d (%s): unexpected error %q", i, g.Summary, g.Err)
	}
	if w.err != "" && !strings.Contains(g.Err, w.err) {
		t.Errorf("record %d (%s): error %q, want one containing %q", i, g.Summary, g.Err, w.err)
	}
	for path, v := range w.fields {
		if f, ok := g.Fields[path]; !ok {
			t.Errorf("record %d (%s): no field %s; fields: %s", i, g.Summary, path, strings.Join(g.Order, " "))
		} else if f != v {
			t.Errorf("record %d (%s): %s = %s, want %s", i, g.Summary, path, f, v)
		}
	}
	for _, path := range w.absent {
		if v, ok := g.Fields[path]; ok {
			t.Errorf("record %d (%s): %s = %s, want it absent", i, g.Summary, path, v)
		}
	}
	if w.pair != PairNone && g.Pair.Status != w.pair {
		t.Errorf("record %d (%s): pairing %v, want %v", i, g.Summary, g.Pair.Status, w.pair)
	}
	if w.pair == PairMatched && g.Pair.PeerPacket != w.peer {
		t.Errorf("record %d (%s): matched packet %d, want %d", i, g.Summary, g.Pair.PeerPacket, w.peer)
	}
}
