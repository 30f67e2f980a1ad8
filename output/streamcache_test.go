package output

import (
	"net/netip"
	"strings"
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
			r := connRecord(t, &conn, dir)
			want := string(appendRecordJSON(nil, r, JSONOptions{}, nil, nil, nil))
			if got := string(appendRecordJSON(nil, r, JSONOptions{}, &caches, nil, nil)); got != want {
				t.Fatalf("connection %d, %v: with the cache\n%s\nwant\n%s", id, dir, got, want)
			}
		}
	}
}

// The stream cache writes the prefixes of connections whose prefixes fit
// in its entries and of those whose do not (long addresses, a long
// protocol name), one after the other on the same entry, both ways.
func TestStreamCachePrefixRoom(t *testing.T) {
	long := strings.Repeat("p", streamTextRoom/2)
	v6 := netip.MustParseAddr("2001:db8:1234:5678:9abc:def0:1234:5678")
	var caches streamCaches // one entry for all: the connections share their number
	for _, tc := range []struct {
		name     string
		client   netip.Addr
		protocol string
	}{
		{"IPv4", netip.MustParseAddr("10.1.0.212"), ""},
		{"IPv6", v6, ""},
		{"long protocol name", netip.MustParseAddr("10.1.0.212"), long},
		{"IPv4 again", netip.MustParseAddr("10.1.0.213"), ""},
		{"IPv6 and a long protocol name", v6, long},
	} {
		for _, reuse := range []bool{false, true} {
			conn := testConn
			conn.Client.Addr = tc.client
			for _, dir := range []dissectors.Direction{dissectors.ClientToServer, dissectors.ServerToClient} {
				r := connRecord(t, &conn, dir)
				if tc.protocol != "" {
					info := *r.Protocol
					info.Name = tc.protocol
					r.Protocol = &info
				}
				want := string(appendRecordJSON(nil, r, JSONOptions{}, nil, nil, nil))
				if got := string(appendRecordJSON(nil, r, JSONOptions{}, &caches, nil, nil)); got != want {
					t.Fatalf("%s (cache reused %v), %v: with the cache\n%s\nwant\n%s", tc.name, reuse, dir, got, want)
				}
			}
		}
	}
}

// connRecord returns the record of the test request (client to server) or
// response (server to client) on conn.
func connRecord(t *testing.T, conn *dissectors.Conn, dir dissectors.Direction) *dissectors.Record {
	t.Helper()
	data := request
	if dir == dissectors.ServerToClient {
		data = response
	}
	r := frameRecord(t, dir, data, 4, 0)
	r.Conn = conn
	return r
}
