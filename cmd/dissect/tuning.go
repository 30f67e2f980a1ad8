package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/pipeline"
)

// reassemblyPageBytes is the size of the pages in which gopacket's TCP
// reassembly holds out-of-order bytes.
const reassemblyPageBytes = 1900

// tuning holds the flags that bound reassembly memory and time.
type tuning struct {
	bufPerStream, bufTotal string // sizes, e.g. "16MiB"
	tcpIdle, udpIdle       time.Duration
	reorderWait, fragWait  time.Duration
	maxFragBytes           string
	maxConns               int

	perStream, total, fragBytes int // parsed
}

// addTuningFlags declares the flags of t on fs.
func addTuningFlags(fs *pflag.FlagSet, t *tuning) {
	fs.StringVar(&t.bufPerStream, "max-buffer-per-stream", "16MiB", "most bytes held for one direction of one connection (out-of-order segments; an incomplete frame); past it, bytes are skipped and reported (`SIZE`: bytes, or with KiB, MiB, GiB)")
	fs.StringVar(&t.bufTotal, "max-buffer-total", "512MiB", "most bytes held for all connections together, of each kind (out-of-order segments; incomplete frames) (`SIZE`)")
	fs.DurationVar(&t.tcpIdle, "tcp-idle-timeout", capture.DefaultIdleTimeout, "end a TCP connection after this much packet time without a packet")
	fs.DurationVar(&t.udpIdle, "udp-timeout", pipeline.DefaultUDPTimeout, "end a UDP conversation after this much packet time without a datagram")
	fs.DurationVar(&t.reorderWait, "reorder-wait", capture.DefaultReorderWait, "packet time to wait for a missing TCP segment before reporting a gap")
	fs.DurationVar(&t.fragWait, "frag-timeout", capture.DefaultFragTimeout, "packet time to wait for the fragments of an IP datagram")
	fs.StringVar(&t.maxFragBytes, "max-frag-buffer", "4MiB", "most bytes held for IP datagrams being reassembled (`SIZE`)")
	fs.IntVar(&t.maxConns, "max-connections", capture.DefaultMaxConnections, "most TCP connections, and most UDP conversations, open at once; past it the least recently active connection, or the oldest conversation, is ended early")
}

// check parses and validates the flags; the error names the flag.
func (t *tuning) check() error {
	for _, f := range []struct {
		name string
		text string
		dst  *int
	}{{"--max-buffer-per-stream", t.bufPerStream, &t.perStream}, {"--max-buffer-total", t.bufTotal, &t.total}, {"--max-frag-buffer", t.maxFragBytes, &t.fragBytes}} {
		n, err := parseSize(f.text)
		if err != nil {
			return fmt.Errorf("%s %q: %v", f.name, f.text, err)
		}
		if n < 1024 {
			return fmt.Errorf("%s %q: must be at least 1KiB", f.name, f.text)
		}
		*f.dst = n
	}
	if t.perStream > t.total {
		return fmt.Errorf("--max-buffer-per-stream %s is more than --max-buffer-total %s", t.bufPerStream, t.bufTotal)
	}
	if t.maxConns < 1 {
		return fmt.Errorf("--max-connections %d: must be 1 or more", t.maxConns)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"--tcp-idle-timeout", t.tcpIdle}, {"--udp-timeout", t.udpIdle}, {"--reorder-wait", t.reorderWait}, {"--frag-timeout", t.fragWait}} {
		if d.v <= 0 {
			return fmt.Errorf("%s %v: must be more than 0", d.name, d.v)
		}
	}
	return nil
}

// apply sets the limits on the registry and the run's configuration.
func (t *tuning) apply(reg *dissectors.Registry, cfg *pipeline.Config) {
	cfg.Capture.IdleTimeout = t.tcpIdle
	cfg.Capture.ReorderWait = t.reorderWait
	cfg.Capture.FragTimeout = t.fragWait
	cfg.Capture.MaxFragBytes = t.fragBytes
	cfg.Capture.MaxPagesPerConn = max(1, t.perStream/reassemblyPageBytes)
	cfg.Capture.MaxPagesTotal = max(1, t.total/reassemblyPageBytes)
	cfg.UDPTimeout = t.udpIdle
	cfg.Capture.MaxConnections = t.maxConns
	cfg.MaxConversations = t.maxConns
	cfg.Buffers = reg.Buffers
}

// parseSize reads a size in bytes: a number, optionally followed by K, M,
// G (powers of 1000) or KiB, MiB, GiB (powers of 1024); B is optional.
func parseSize(s string) (int, error) {
	t := strings.TrimSpace(s)
	mult := 1
	for _, u := range []struct {
		suffix string
		mult   int
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseUint(t, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("not a size; expected bytes, e.g. 65536, 64KiB or 16MiB")
	}
	if n > uint64(1<<40)/uint64(mult) {
		return 0, fmt.Errorf("too large")
	}
	return int(n) * mult, nil
}

// printBufferSummary adds what the buffering limits did to the summary.
func printBufferSummary(w io.Writer, s *pipeline.Summary) {
	if s.OverLimit > 0 {
		fmt.Fprintf(w, "dissect: %d frames too large to buffer were skipped (%d bytes); raise --max-buffer-per-stream or --max-buffer-total to decode them\n",
			s.OverLimit, s.OverLimitBytes)
	}
	if c := &s.Capture; c.GapsOverLimit > 0 {
		fmt.Fprintf(w, "dissect: %d gaps (%d bytes) were declared early because too many out-of-order bytes were held; raise --max-buffer-per-stream or --max-buffer-total\n",
			c.GapsOverLimit, c.GapOverLimitBytes)
	}
	if s.Capture.Evicted > 0 {
		fmt.Fprintf(w, "dissect: %d TCP connections ended early: more than --max-connections were open\n", s.Capture.Evicted)
	}
	if s.UDPEvicted > 0 {
		fmt.Fprintf(w, "dissect: %d UDP conversations ended early: more than --max-connections were open\n", s.UDPEvicted)
	}
}
