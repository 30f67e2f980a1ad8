package pipeline

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/internal/pcapgen"
)

// runGenerated writes a generated capture to a temporary file and runs it
// with cfg (its Registry and Sink are filled in).
func runGenerated(t *testing.T, c *pcapgen.Capture, cfg Config) (*recordLog, Summary) {
	t.Helper()
	return runPath(t, writeTemp(t, c), cfg)
}

// writeTemp writes a generated capture to a temporary pcap file.
func writeTemp(tb testing.TB, c *pcapgen.Capture) string {
	tb.Helper()
	var buf bytes.Buffer
	if err := c.Encode(&buf, pcapgen.FormatPcap); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "gen.pcap")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// runSink runs the capture at path into a heapSampler.
func runSink(tb testing.TB, path string, reg *dissectors.Registry) (Summary, *heapSampler) {
	tb.Helper()
	h := &heapSampler{}
	sum, err := runFile(tb, path, Config{Registry: reg, Sink: h, Capture: capture.Options{IdleTimeout: time.Hour}})
	if err != nil {
		tb.Fatal(err)
	}
	return sum, h
}

// runPath runs the capture at path with cfg and the bundled library.
func runPath(t *testing.T, path string, cfg Config) (*recordLog, Summary) {
	t.Helper()
	log := newRecordLog()
	cfg.Sink = log
	sum, err := runFile(t, path, cfg)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return log, sum
}

// Modbus messages for the scenarios.
func mbReq(tid uint16) []byte {
	return pcapgen.Frame(tid, 1, pcapgen.ReadHoldingRegisters(0, 2))
}

func mbResp(tid uint16) []byte {
	return pcapgen.Frame(tid, 1, pcapgen.ReadHoldingRegistersResponse([]uint16{7, 9}))
}

var (
	hmi = pcapgen.Endpoint{Addr: mustAddr("192.168.7.20"), Port: 40100}
	plc = pcapgen.Endpoint{Addr: mustAddr("192.168.7.10"), Port: pcapgen.ModbusPort}
)

// exchange sends request tid and its response, each cut by its plan.
func exchange(cn *pcapgen.Conn, tid uint16, req, resp pcapgen.Plan) {
	cn.Send(pcapgen.ClientToServer, mbReq(tid), pcapgen.KindRequest, req)
	cn.Send(pcapgen.ServerToClient, mbResp(tid), pcapgen.KindResponse, resp)
}

// TestMessyTCP runs TCP the way networks deliver it through the whole
// pipeline, with captures built by pcapgen, and checks the records and that
// the byte accounting adds up.
func TestMessyTCP(t *testing.T) {
	w := pcapgen.Whole()
	tests := []struct {
		name  string
		cfg   Config
		build func(c *pcapgen.Capture)
		// expected
		frames      int // good frames
		gaps        int
		skippedRuns bool
		conns       int
		unanswered  int
		unsolicited uint64
		reassembled uint64
		missing     uint64
	}{{
		name: "out-of-order and retransmitted segments",
		build: func(c *pcapgen.Capture) {
			cn := c.NewConn(pcapgen.ConnConfig{Client: hmi, Server: plc})
			cn.Handshake()
			exchange(cn, 1, pcapgen.Reorder(pcapgen.Chunks(4), 2, 0, 1), pcapgen.Retransmit(pcapgen.Chunks(5), 0, 1))
			exchange(cn, 2, pcapgen.Then(w, pcapgen.Piece{Off: 3, End: 9}), w)
			cn.Close(pcapgen.ClientToServer)
		},
		frames: 4, conns: 1,
	}, {
		name: "mid-connection start: resync on the framing",
		build: func(c *pcapgen.Capture) {
			cn := c.NewConn(pcapgen.ConnConfig{Client: hmi, Server: plc})
			cn.Send(pcapgen.ClientToServer, mbReq(1), pcapgen.KindRequest, pcapgen.SplitAt(5))
			c.Drop(2) // the first 5 bytes were never captured
			cn.Send(pcapgen.ServerToClient, mbResp(1), pcapgen.KindResponse, w)
			for tid := uint16(2); tid < 5; tid++ {
				exchange(cn, tid, w, w)
			}
			cn.Close(pcapgen.ClientToServer)
		},
		frames: 7, skippedRuns: true, conns: 1, unsolicited: 1, // the response to the request cut by the start
	}, {
		name: "a lost segment: a gap with its size, then resync",
		build: func(c *pcapgen.Capture) {
			cn := c.NewConn(pcapgen.ConnConfig{Client: hmi, Server: plc})
			cn.Handshake()
			exchange(cn, 1, w, w)
			cn.Send(pcapgen.ClientToServer, mbReq(2), pcapgen.KindRequest, w)
			c.Drop(1)
			cn.Send(pcapgen.ServerToClient, mbResp(2), pcapgen.KindResponse, w)
			// The bytes after the hole are held for ReorderWait of
			// packet time, in case the lost segment comes again; then
			// the gap is reported and they are delivered.
			cn.Send(pcapgen.ClientToServer, mbReq(3), pcapgen.KindRequest, w)
			c.Sleep(capture.DefaultReorderWait + time.Second)
			cn.Send(pcapgen.ServerToClient, mbResp(3), pcapgen.KindResponse, w)
			for tid := uint16(4); tid < 6; tid++ {
				exchange(cn, tid, w, w)
			}
			cn.Close(pcapgen.ClientToServer)
		},
		frames: 9, gaps: 1, conns: 1, missing: 12, unsolicited: 1,
	}, {
		name: "RST ends the connection",
		build: func(c *pcapgen.Capture) {
			cn := c.NewConn(pcapgen.ConnConfig{Client: hmi, Server: plc})
			cn.Handshake()
			exchange(cn, 1, w, w)
			cn.Send(pcapgen.ClientToServer, mbReq(2), pcapgen.KindRequest, w)
			cn.Reset(pcapgen.ServerToClient)
		},
		frames: 3, conns: 1, unanswered: 1,
	}, {
		name: "port reuse after FIN and after RST: new streams, no gap",
		build: func(c *pcapgen.Capture) {
			cn := c.NewConn(pcapgen.ConnConfig{Client: hmi, Server: plc})
			cn.Handshake()
			exchange(cn, 1, w, w)
			cn.Close(pcapgen.ClientToServer)
			cn = cn.Reopen()
			exchange(cn, 2, w, w)
			cn.Reset(pcapgen.ClientToServer)
			cn = cn.Reopen()
			exchange(cn, 3, w, w)
			cn.Close(pcapgen.ServerToClient)
		},
		frames: 6, conns: 3,
	}, {
		name: "a new SYN on the ports of an open connection",
		build: func(c *pcapgen.Capture) {
			cn := c.NewConn(pcapgen.ConnConfig{Client: hmi, Server: plc})
			cn.Handshake()
			exchange(cn, 1, w, w)
			c.Sleep(30 * time.Second)
			cn = cn.Reopen()
			exchange(cn, 2, w, w)
			cn.Close(pcapgen.ServerToClient)
		},
		frames: 4, conns: 2,
	}, {
		name: "idle timeout by packet time",
		cfg:  Config{Capture: capture.Options{IdleTimeout: 10 * time.Second}},
		build: func(c *pcapgen.Capture) {
			cn := c.NewConn(pcapgen.ConnConfig{Client: hmi, Server: plc})
			cn.Handshake()
			exchange(cn, 1, w, w)
			cn.Send(pcapgen.ClientToServer, mbReq(2), pcapgen.KindRequest, w)
			c.Sleep(time.Minute)
			// The connection was closed by then: the response opens a
			// new, mid-stream one.
			cn.Send(pcapgen.ServerToClient, mbResp(2), pcapgen.KindResponse, w)
		},
		frames: 4, conns: 2, unanswered: 1, unsolicited: 1,
	}, {
		name: "TCP segments in IP fragments, IPv4 and IPv6",
		build: func(c *pcapgen.Capture) {
			big := pcapgen.Frame(9, 1, pcapgen.WriteMultipleRegisters(0, make([]uint16, 100)))
			for i, ends := range [][2]pcapgen.Endpoint{{hmi, plc}, {{Addr: mustAddr("2001:db8::20"), Port: 40200}, {Addr: mustAddr("2001:db8::10"), Port: 502}}} {
				cn := c.NewConn(pcapgen.ConnConfig{Client: ends[0], Server: ends[1]})
				cn.Handshake()
				cn.Send(pcapgen.ClientToServer, big, pcapgen.KindRequest, w)
				c.FragmentLast(64, pcapgen.FragmentOrder(i))
				cn.Send(pcapgen.ServerToClient, pcapgen.Frame(9, 1, pcapgen.WriteMultipleRegistersResponse(0, 100)), pcapgen.KindResponse, w)
				cn.Close(pcapgen.ClientToServer)
			}
		},
		frames: 4, conns: 2, reassembled: 2,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := pcapgen.NewCapture(7)
			tt.build(c)
			log, sum := runGenerated(t, c, tt.cfg)
			if got := log.frames[0] + log.frames[1]; got != tt.frames {
				t.Errorf("%d good frames, want %d", got, tt.frames)
			}
			if log.gaps != tt.gaps || sum.Bytes.Missing != tt.missing {
				t.Errorf("%d gaps of %d bytes, want %d of %d", log.gaps, sum.Bytes.Missing, tt.gaps, tt.missing)
			}
			if (log.skipped > 0) != tt.skippedRuns {
				t.Errorf("%d skipped runs, want some: %v", log.skipped, tt.skippedRuns)
			}
			if sum.Conns != uint64(tt.conns) || sum.Capture.Streams != uint64(tt.conns) {
				t.Errorf("%d connections dissected, %d streams, want %d", sum.Conns, sum.Capture.Streams, tt.conns)
			}
			if testing.Verbose() {
				for _, e := range log.trace {
					t.Log(e)
				}
			}
			if log.unanswered != tt.unanswered {
				t.Errorf("%d unanswered, want %d", log.unanswered, tt.unanswered)
			}
			if sum.Unsolicited != tt.unsolicited {
				t.Errorf("%d unsolicited responses, want %d", sum.Unsolicited, tt.unsolicited)
			}
			if sum.Capture.Reassembled != tt.reassembled {
				t.Errorf("%d datagrams reassembled, want %d", sum.Capture.Reassembled, tt.reassembled)
			}
			if log.failed != 0 {
				t.Errorf("%d failed frames: %s", log.failed, strings.Join(log.errs, "\n"))
			}
			if len(log.errs) > 0 {
				t.Errorf("problems:\n%s", strings.Join(log.errs, "\n"))
			}
			checkSummaryAccounting(t, log, sum)
		})
	}
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }
