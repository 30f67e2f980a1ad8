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
// protocol name), one after the other on the same entry, both ways, as
// they are written without it (each part rendered once for both ways: a
// name to escape too).
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
		{"a protocol name to escape", netip.MustParseAddr("10.1.0.212"), "p\"q\\r\u00e9\x01"},
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

// cachedRecords writes the records of conn both ways with the cache, and
// fails when they differ from those written without it. The records are
// the test request and response (recs), put on conn.
func cachedRecords(t *testing.T, caches *streamCaches, recs [2]*dissectors.Record, conn *dissectors.Conn) {
	t.Helper()
	for _, rec := range recs {
		r := *rec
		r.Conn = conn
		want := string(appendRecordJSON(nil, &r, JSONOptions{}, nil, nil, nil))
		if got := string(appendRecordJSON(nil, &r, JSONOptions{}, caches, nil, nil)); got != want {
			t.Fatalf("connection %d, %v: with the cache\n%s\nwant\n%s", conn.ID, r.Dir, got, want)
		}
	}
}

// bothWays returns the records of the test request and response.
func bothWays(t *testing.T) [2]*dissectors.Record {
	return [2]*dissectors.Record{connRecord(t, &testConn, dissectors.ClientToServer), connRecord(t, &testConn, dissectors.ServerToClient)}
}

// numberedConn returns a connection numbered id, on IPv4 addresses, or on
// IPv6 ones (whose prefixes do not fit in an entry) when v6 is set.
func numberedConn(id uint64, v6 bool) dissectors.Conn {
	conn := testConn
	conn.ID = id
	conn.Client.Addr = netip.AddrFrom4([4]byte{10, 1, byte(id >> 8), byte(id)})
	conn.Server.Addr = netip.MustParseAddr("10.0.0.2")
	if v6 {
		conn.Client.Addr = netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, byte(id >> 8), byte(id)})
		conn.Server.Addr = netip.MustParseAddr("2001:db8:1234:5678:9abc:def0:1234:ffff")
	}
	return conn
}

// What the stream cache holds grows with the connections open at once,
// not with all those of the capture: connections one after the other,
// each ended once written (EndConn), keep it at its smallest, and an
// ended entry keeps nothing outside itself; connections open side by side
// make it grow until each has its own entry, and stop it there.
func TestStreamCacheSize(t *testing.T) {
	for _, tc := range []struct {
		name      string
		longLived int // connections open throughout, numbered first
		churn     int // connections after them, one after the other, each ended
		want      int // table size at the end
	}{
		{"one after the other", 0, 8 * minStreamCaches, minStreamCaches},
		// With the one after them, they fill less than a quarter.
		{"a few open throughout", minStreamCaches/4 - 2, 8 * minStreamCaches, minStreamCaches},
		{"more open throughout", 100, 8 * minStreamCaches, 2 * minStreamCaches},
		{"side by side", 500, 0, 512},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var caches streamCaches
			recs := bothWays(t)
			long := make([]dissectors.Conn, tc.longLived)
			for i := range long {
				long[i] = numberedConn(uint64(i), i%7 == 3)
				cachedRecords(t, &caches, recs, &long[i])
			}
			for i := range tc.churn {
				conn := numberedConn(uint64(tc.longLived+i), i%5 == 1)
				cachedRecords(t, &caches, recs, &conn)
				if len(long) > 0 {
					cachedRecords(t, &caches, recs, &long[i%len(long)])
				}
				caches.end(&conn)
			}
			if len(caches.c) != tc.want {
				t.Errorf("%d entries, want %d", len(caches.c), tc.want)
			}
			if tc.churn > 0 {
				for i := range caches.c {
					if c := &caches.c[i]; !c.valid && (c.long[0] != nil || c.long[1] != nil) {
						t.Fatalf("entry %d: ended, still holds %d and %d bytes", i, cap(c.long[0]), cap(c.long[1]))
					}
				}
			}
			valid := 0
			for i := range caches.c {
				if caches.c[i].valid {
					valid++
				}
			}
			if valid != caches.open {
				t.Errorf("%d entries hold a connection, open counts %d", valid, caches.open)
			}
		})
	}
}

// Ending a connection frees its entry only: not that of another
// connection on the same entry, nor one with its number and other
// endpoints (ports reused), nor anything before the first record.
func TestStreamCacheEndOthers(t *testing.T) {
	var caches streamCaches
	recs := bothWays(t)
	first := numberedConn(7, false)
	caches.end(&first) // nothing cached yet
	cachedRecords(t, &caches, recs, &first)
	for _, other := range []dissectors.Conn{
		numberedConn(7+minStreamCaches, false), // the same entry
		func() dissectors.Conn { c := first; c.Client.Port++; return c }(),
		func() dissectors.Conn { c := first; c.Transport = "udp"; return c }(),
	} {
		caches.end(&other)
		if c := &caches.c[7]; !c.valid || caches.open != 1 {
			t.Fatalf("ending %+v freed the entry of %+v", other, first)
		}
	}
	caches.end(&first)
	if caches.c[7].valid || caches.open != 0 {
		t.Fatal("the connection's own end left it cached")
	}
	caches.end(&first) // twice: nothing more
	if caches.open != 0 {
		t.Fatalf("open %d after a second end", caches.open)
	}
	cachedRecords(t, &caches, recs, &first) // written again after its end
}

// Connections whose prefixes do not fit in their entry (IPv6), one after
// the other, reuse the buffers of those before them: after the first, the
// cache allocates nothing.
func TestStreamCacheReusesLongPrefixes(t *testing.T) {
	var caches streamCaches
	recs := bothWays(t)
	buf := make([]byte, 0, 4096)
	oneConnection := func(id uint64) {
		conn := numberedConn(id, true)
		for _, rec := range recs {
			r := *rec
			r.Conn = &conn
			buf = caches.append(buf[:0], &r)
		}
		caches.end(&conn)
	}
	oneConnection(0)
	if caches.c[0].n[0] != 0 {
		t.Fatal("the IPv6 prefixes fit in the entry: the test needs longer ones")
	}
	id := uint64(1)
	// Per connection, averaged over 100 as testing counts them: see
	// dissectors' TestReleasedConnectionsBounded.
	if n := testing.AllocsPerRun(100, func() {
		oneConnection(id)
		id++
	}); n != 0 {
		t.Errorf("IPv6 connections one after the other: %v allocations each", n)
	}
}
