package dissectors

import (
	"net/netip"
	"reflect"
	"testing"

	"github.com/dissect-project/dissect/internal/pcapgen"
)

// feedSession feeds msgs to a new connection of d, one Feed per message,
// closes it and returns it with what sink collected. cut, when positive,
// stops after cut bytes of the session (inside a message, most often):
// the connection ends with a frame incomplete.
func feedSession(t *testing.T, d Dissector, msgs []pcapgen.DirMsg, cut int) (Connection, *collectSink) {
	t.Helper()
	sink := &collectSink{keepPairs: true}
	conn := &Conn{Transport: "tcp"}
	c := d.NewConnection(conn, sink)
	loc := &feedLoc{}
	fed := 0
	for _, m := range msgs {
		data := m.Data
		if cut > 0 && fed+len(data) > cut {
			data = data[:cut-fed]
		}
		dir := ClientToServer
		if m.Dir == pcapgen.ServerToClient {
			dir = ServerToClient
		}
		loc.n++
		if err := c.Feed(dir, data, loc, false); err != nil {
			t.Fatal(err)
		}
		fed += len(data)
		if cut > 0 && fed >= cut {
			break
		}
	}
	if err := c.Close(Packet{Number: loc.n + 1}); err != nil {
		t.Fatal(err)
	}
	return c, sink
}

// A connection released (Release) and reused by the next NewConnection
// decodes as a new one does, whatever the connection before it left
// behind: a frame cut short, bytes skipped while resynchronising,
// requests never answered, state variables set (MySQL's).
func TestReleasedConnectionDecodesAsNew(t *testing.T) {
	modbus := func() []pcapgen.DirMsg {
		var msgs []pcapgen.DirMsg
		for i := range 6 {
			tx := pcapgen.Transaction{Request: pcapgen.ReadHoldingRegisters(uint16(i), 2), Response: pcapgen.ReadHoldingRegistersResponse([]uint16{uint16(i), 7})}
			msgs = append(msgs,
				pcapgen.DirMsg{Dir: pcapgen.ClientToServer, Data: pcapgen.Frame(uint16(i), 1, tx.Request)},
				pcapgen.DirMsg{Dir: pcapgen.ServerToClient, Data: pcapgen.Frame(uint16(i), 1, tx.Response)})
		}
		return msgs
	}()
	fresh, reused := libraryRegistry(t), libraryRegistry(t)
	for _, tc := range []struct {
		proto string
		msgs  []pcapgen.DirMsg
	}{
		{"modbus", modbus},
		{"mysql", pcapgen.MySQLSession()},
		{"mongodb", pcapgen.MongoSession()},
		{"amqp", pcapgen.AMQPSession()},
		{"cassandra", pcapgen.CQLSession()},
		{"memcache", pcapgen.MemcacheSession()},
	} {
		t.Run(tc.proto, func(t *testing.T) {
			d1, ok1 := fresh.ByName(tc.proto)
			d2, ok2 := reused.ByName(tc.proto)
			if !ok1 || !ok2 {
				t.Fatalf("no protocol %s", tc.proto)
			}
			_, want := feedSession(t, d1, tc.msgs, 0)
			if len(want.recs) == 0 {
				t.Fatal("no records")
			}
			total := 0
			for _, m := range tc.msgs {
				total += len(m.Data)
			}
			// The connections before: cut at several places, one with
			// garbage first (the stream resynchronises), each released.
			dirty := append([]pcapgen.DirMsg{{Dir: pcapgen.ClientToServer, Data: []byte{0xff, 0xfe, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06}}}, tc.msgs...)
			for _, cut := range []int{total / 3, total/2 + 1, total - 1, total + 4} {
				prev, _ := feedSession(t, d2, dirty, cut)
				prev.(Releaser).Release()
				got, sink := feedSession(t, d2, tc.msgs, 0)
				if got != prev {
					t.Fatalf("cut %d: NewConnection did not reuse the connection released", cut)
				}
				if !reflect.DeepEqual(sink.recs, want.recs) || !reflect.DeepEqual(sink.streams, want.streams) {
					t.Fatalf("cut %d: after a released connection\n%v\n%v\nwant\n%v\n%v", cut, sink.recs, sink.streams, want.recs, want.streams)
				}
				got.(Releaser).Release()
			}
		})
	}
}

// With few connections open a dissector keeps at most minFreeConnections
// released connections, and one that reuses them allocates nothing for a
// new connection (a new one takes some 0.9 KB).
func TestReleasedConnectionsBounded(t *testing.T) {
	d := modbusDissector(t)
	var conns []Connection
	for range minFreeConnections + 10 {
		conns = append(conns, d.NewConnection(&Conn{Transport: "tcp"}, &nopSink{}))
	}
	for _, c := range conns {
		if err := c.Close(Packet{}); err != nil {
			t.Fatal(err)
		}
		c.(Releaser).Release()
	}
	if len(d.free) != minFreeConnections {
		t.Errorf("%d connections kept, want %d", len(d.free), minFreeConnections)
	}
	request := pcapgen.Frame(1, 1, pcapgen.ReadHoldingRegisters(0, 2))
	response := pcapgen.Frame(1, 1, pcapgen.ReadHoldingRegistersResponse([]uint16{1, 2}))
	conn, sink, loc := &Conn{Transport: "tcp"}, &nopSink{}, &feedLoc{}
	oneConnection := func() {
		c := d.NewConnection(conn, sink)
		_ = c.Feed(ClientToServer, request, loc, false)
		_ = c.Feed(ServerToClient, response, loc, false)
		_ = c.Close(Packet{})
		c.(Releaser).Release()
	}
	oneConnection()
	// Allocations per connection, averaged over 100 as testing counts
	// them: a byte the runtime allocates meanwhile on another goroutine
	// (seen under load, 48 bytes) is not one of the connection's.
	if n := testing.AllocsPerRun(100, oneConnection); n != 0 {
		t.Errorf("a connection of one transaction, reused: %v allocations", n)
	}
}

// With many connections open, as with DNS, where each query is a
// conversation and thousands end at each idle sweep, a dissector keeps up
// to an eighth of them released, so that the next ones reuse them all;
// as they end, it keeps fewer, down to minFreeConnections.
func TestReleasedConnectionsFollowOpen(t *testing.T) {
	d := modbusDissector(t)
	sink := &nopSink{}
	open := make([]Conversation, 0, 20_000)
	for range 20_000 {
		open = append(open, d.NewConversation(&Conn{Transport: "udp"}, sink))
	}
	// A sweep ends the oldest 2,000; 18,000 stay open.
	released := map[*conversation]bool{}
	for _, c := range open[:2000] {
		_ = c.Close(Packet{})
		c.(Releaser).Release()
		released[c.(*conversation)] = true // Release emptied it; the pointer is its identity
	}
	open = open[2000:]
	if len(d.freeConvs) != 2000 {
		t.Fatalf("%d conversations kept of 2,000 released with 18,000 open, want all", len(d.freeConvs))
	}
	// The next 2,000 conversations are those.
	for range 2000 {
		c := d.NewConversation(&Conn{Transport: "udp"}, sink)
		if !released[c.(*conversation)] {
			t.Fatal("a new conversation was allocated while released ones were kept")
		}
		open = append(open, c)
	}
	// All end: what is kept shrinks with what is open.
	most := 0
	for _, c := range open {
		_ = c.Close(Packet{})
		c.(Releaser).Release()
		most = max(most, len(d.freeConvs))
	}
	if most < 2000 || most > 20_000/8+1 || len(d.freeConvs) != minFreeConnections || d.openConvs != 0 {
		t.Errorf("kept at most %d (want about 2,222), then %d (want %d), %d open", most, len(d.freeConvs), minFreeConnections, d.openConvs)
	}
}

// The connections a protocol's stream layers make in their target's
// dissector are never released: they do not count as open there, or that
// dissector would keep as many released connections of its own as the
// layers ever made, for good.
func TestLayerConnectionsNotCountedOpen(t *testing.T) {
	reg := libraryRegistry(t)
	tpkt, _ := reg.ByName("tpkt")
	mms, _ := reg.ByName("mms")
	pair := industrialTraffic()["tpkt"]
	sink, loc := &nopSink{}, &feedLoc{}
	for range 100 {
		c := tpkt.NewConnection(&Conn{Transport: "tcp"}, sink)
		if err := c.Feed(ClientToServer, pair[0], loc, false); err != nil {
			t.Fatal(err)
		}
		if err := c.Feed(ServerToClient, pair[1], loc, false); err != nil {
			t.Fatal(err)
		}
		_ = c.Close(Packet{})
		c.(Releaser).Release()
	}
	if sink.n < 200 {
		t.Fatalf("%d records from 100 MMS exchanges", sink.n)
	}
	for _, d := range []Dissector{tpkt, mms} {
		if sd := d.(*SchemaDissector); sd.openConns != 0 {
			t.Errorf("%s: %d connections counted open after all ended", sd.info.Name, sd.openConns)
		}
	}
}

// A conversation released and reused by the next NewConversation decodes
// as a new one does, whatever the one before left: requests never
// answered, a datagram that does not decode, responses to nothing.
func TestReleasedConversationDecodesAsNew(t *testing.T) {
	type dgram struct {
		dir  Direction
		data []byte
	}
	name := "example.com"
	dns := []dgram{
		{ClientToServer, pcapgen.DNSQuery(1, name, 1)},
		{ServerToClient, pcapgen.DNSResponseA(1, name, netip.AddrFrom4([4]byte{192, 0, 2, 1}))},
		{ClientToServer, pcapgen.DNSQuery(2, name, 1)},
		{ServerToClient, pcapgen.DNSResponseA(2, name, netip.AddrFrom4([4]byte{192, 0, 2, 2}))},
	}
	coap := []dgram{
		{ClientToServer, pcapgen.CoAPMessage(0, 1, 0x100, []byte{1, 2}, nil, nil)},
		{ServerToClient, pcapgen.CoAPMessage(2, 69, 0x100, []byte{1, 2}, nil, []byte("21.5"))},
	}
	run := func(t *testing.T, d Dissector, msgs []dgram) (Conversation, *collectSink) {
		sink := &collectSink{keepPairs: true}
		cv := d.NewConversation(&Conn{Transport: "udp"}, sink)
		for i, m := range msgs {
			if err := cv.Datagram(m.dir, m.data, Packet{Number: uint64(i + 1)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := cv.Close(Packet{Number: uint64(len(msgs) + 1)}); err != nil {
			t.Fatal(err)
		}
		return cv, sink
	}
	fresh, reused := libraryRegistry(t), libraryRegistry(t)
	for _, tc := range []struct {
		proto string
		msgs  []dgram
	}{{"dns", dns}, {"coap", coap}} {
		t.Run(tc.proto, func(t *testing.T) {
			d1, _ := fresh.ByName(tc.proto)
			d2, _ := reused.ByName(tc.proto)
			_, want := run(t, d1, tc.msgs)
			if len(want.recs) != len(tc.msgs) {
				t.Fatalf("%d records for %d datagrams", len(want.recs), len(tc.msgs))
			}
			// The conversation before: requests only (never answered), a
			// datagram of garbage, the responses without their requests.
			var dirty []dgram
			for _, m := range tc.msgs {
				if m.dir == ClientToServer {
					dirty = append(dirty, m)
				}
			}
			dirty = append(dirty, dgram{ServerToClient, []byte{0xff, 0xff, 0xff}})
			for _, m := range tc.msgs {
				if m.dir == ServerToClient {
					dirty = append(dirty, dgram{ClientToServer, m.data})
				}
			}
			prev, before := run(t, d2, dirty)
			if len(before.recs) <= len(dirty) {
				t.Fatalf("the conversation before left no unanswered requests: %d records", len(before.recs))
			}
			prev.(Releaser).Release()
			got, sink := run(t, d2, tc.msgs)
			if got != prev {
				t.Fatal("NewConversation did not reuse the conversation released")
			}
			if !reflect.DeepEqual(sink.recs, want.recs) || !reflect.DeepEqual(sink.streams, want.streams) {
				t.Fatalf("after a released conversation\n%v\n%v\nwant\n%v\n%v", sink.recs, sink.streams, want.recs, want.streams)
			}
		})
	}
}

// Connections and conversations are counted apart: the conversations open
// do not let a dissector keep more released connections.
func TestReleasedKindsCountedApart(t *testing.T) {
	d := modbusDissector(t)
	sink := &nopSink{}
	for range 16_000 {
		d.NewConversation(&Conn{Transport: "udp"}, sink) // open throughout
	}
	var conns []Connection
	for range 1000 {
		conns = append(conns, d.NewConnection(&Conn{Transport: "tcp"}, sink))
	}
	for _, c := range conns {
		_ = c.Close(Packet{})
		c.(Releaser).Release()
	}
	if len(d.free) != minFreeConnections || d.openConns != 0 || d.openConvs != 16_000 {
		t.Errorf("%d connections kept (want %d), %d connections and %d conversations open",
			len(d.free), minFreeConnections, d.openConns, d.openConvs)
	}
}
