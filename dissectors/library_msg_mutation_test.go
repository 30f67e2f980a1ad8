package dissectors

import (
	"math/rand/v2"
	"testing"

	"github.com/dissect-project/dissect/internal/pcapgen"
)

// dirCollector counts, per direction, the bytes that frame and skipped
// records of one protocol cover (records of a protocol it streams to are
// left out: they cover the same bytes again).
type dirCollector struct {
	proto   string
	covered [2]int
	frames  int
}

func (c *dirCollector) Emit(r *Record) error {
	if (r.Kind == KindFrame || r.Kind == KindSkipped) && r.Protocol.Name == c.proto {
		c.covered[r.Dir] += r.Length
		c.frames++
	}
	return nil
}

// Sessions of every messaging protocol with random bytes changed, cut into
// random segments: decoding must not panic, and the frame and skipped
// records of each direction must cover every byte exactly once.
func TestMessagingMutations(t *testing.T) {
	reg := libraryRegistry(t)
	sessions := map[string][]pcapgen.DirMsg{
		"memcache":  pcapgen.MemcacheSession(),
		"mongodb":   pcapgen.MongoSession(),
		"mysql":     pcapgen.MySQLSession(),
		"amqp":      pcapgen.AMQPSession(),
		"cassandra": append(pcapgen.CQLSession(), pcapgen.CQLSessionV5()...),
	}
	for proto, msgs := range sessions {
		t.Run(proto, func(t *testing.T) {
			d, ok := reg.ByName(proto)
			if !ok {
				t.Fatalf("no protocol %s", proto)
			}
			rng := rand.New(rand.NewPCG(1, uint64(len(proto))))
			for iter := 0; iter < 200; iter++ {
				col := &dirCollector{proto: proto}
				conn := d.NewConnection(&Conn{Transport: "tcp"}, col)
				var sent [2]int
				pkt := uint64(0)
				for _, m := range msgs {
					data := append([]byte(nil), m.Data...)
					for k := rng.IntN(4); k > 0; k-- {
						i := rng.IntN(len(data))
						switch rng.IntN(3) {
						case 0:
							data[i] = byte(rng.Uint32())
						case 1:
							data[i] ^= 0x80
						default:
							data[i] = 0xFF
						}
					}
					dir := ClientToServer
					if m.Dir == pcapgen.ServerToClient {
						dir = ServerToClient
					}
					for len(data) > 0 {
						n := 1 + rng.IntN(len(data))
						pkt++
						if err := conn.Feed(dir, data[:n], feedLoc{pkt}, false); err != nil {
							t.Fatal(err)
						}
						sent[dir] += n
						data = data[n:]
					}
				}
				if err := conn.Close(Packet{Number: pkt + 1}); err != nil {
					t.Fatal(err)
				}
				if col.frames == 0 {
					t.Fatalf("iteration %d: no records", iter)
				}
				if col.covered != sent {
					t.Fatalf("iteration %d: records cover %v bytes, %v were sent", iter, col.covered, sent)
				}
			}
		})
	}
}
