package output

import (
	"testing"

	"github.com/dissect-project/dissect/dissectors"
)

// The stream cache tells connections apart by number, not only by their
// endpoints: connections on the same addresses and ports (ports reused)
// whose numbers fall on the same entry (maxStreamCaches apart, the table
// at its largest) each get their own stream number, both ways.
func TestStreamCacheConnectionNumbers(t *testing.T) {
	var caches streamCaches
	for _, id := range []uint64{1, 1 + maxStreamCaches, 1, 1 + 2*maxStreamCaches, 1 + maxStreamCaches, 300} {
		conn := testConn
		conn.ID = id
		for _, dir := range []dissectors.Direction{dissectors.ClientToServer, dissectors.ServerToClient} {
			data := request
			if dir == dissectors.ServerToClient {
				data = response
			}
			r := frameRecord(t, dir, data, 4, 0)
			r.Conn = &conn
			want := string(appendRecordJSON(nil, r, JSONOptions{}, nil, nil, nil))
			if got := string(appendRecordJSON(nil, r, JSONOptions{}, &caches, nil, nil)); got != want {
				t.Fatalf("connection %d, %v: with the cache\n%s\nwant\n%s", id, dir, got, want)
			}
		}
	}
}
