package dissectors

import (
	"testing"

	"github.com/dissect-project/dissect/internal/pcapgen"
)

// benchSession feeds the messages of a generated session to proto, one
// Feed per message, over and over on one connection, and reports bytes
// per second and allocations per session.
func benchSession(b *testing.B, proto string, msgs []pcapgen.DirMsg) {
	reg := libraryRegistry(b)
	d, ok := reg.ByName(proto)
	if !ok {
		b.Fatalf("no protocol %s", proto)
	}
	total := 0
	for _, m := range msgs {
		total += len(m.Data)
	}
	sink := &nopSink{}
	dec := d.NewConnection(&Conn{Transport: "tcp"}, sink)
	loc := &feedLoc{}
	b.ReportAllocs()
	b.SetBytes(int64(total))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, m := range msgs {
			dir := ClientToServer
			if m.Dir == pcapgen.ServerToClient {
				dir = ServerToClient
			}
			loc.n++
			if err := dec.Feed(dir, m.Data, loc, false); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// The command phase of the MySQL session: state-driven result sets.
func BenchmarkMySQLSession(b *testing.B) { benchSession(b, "mysql", pcapgen.MySQLSession()[3:]) }

// MongoDB: BSON trees of every type.
func BenchmarkMongoSession(b *testing.B) { benchSession(b, "mongodb", pcapgen.MongoSession()[2:]) }

// AMQP from the channel open on: methods, field tables, content.
func BenchmarkAMQPSession(b *testing.B) { benchSession(b, "amqp", pcapgen.AMQPSession()[7:]) }

// Cassandra v4: result metadata and rows.
func BenchmarkCQLSession(b *testing.B) { benchSession(b, "cassandra", pcapgen.CQLSession()[6:]) }

// memcached binary commands.
func BenchmarkMemcacheSession(b *testing.B) { benchSession(b, "memcache", pcapgen.MemcacheSession()) }

// Cassandra v5: segments whose payloads stream to cassandra_frames. The
// STARTUP and READY that switch the connection to segments come first,
// once; the loop feeds segments.
func BenchmarkCQLV5Segments(b *testing.B) {
	reg := libraryRegistry(b)
	d, _ := reg.ByName("cassandra")
	msgs := pcapgen.CQLSessionV5()
	dec := d.NewConnection(&Conn{Transport: "tcp"}, &nopSink{})
	loc := &feedLoc{}
	feed := func(m pcapgen.DirMsg) {
		dir := ClientToServer
		if m.Dir == pcapgen.ServerToClient {
			dir = ServerToClient
		}
		loc.n++
		if err := dec.Feed(dir, m.Data, loc, false); err != nil {
			b.Fatal(err)
		}
	}
	feed(msgs[0])
	feed(msgs[1])
	total := 0
	for _, m := range msgs[2:] {
		total += len(m.Data)
	}
	b.ReportAllocs()
	b.SetBytes(int64(total))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, m := range msgs[2:] {
			feed(m)
		}
	}
}
