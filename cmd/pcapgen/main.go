// Command pcapgen writes the deterministic test captures of dissect and
// their README.md:
//
//	go run ./cmd/pcapgen -o testdata/pcaps
//
// The captures are described by pcapgen.Scenarios and
// pcapgen.ProtocolCaptures; running the command
// twice writes the same bytes.
//
// With -load it writes one large capture for benchmarks instead (see
// pcapgen.Load), to the file given with -o:
//
//	go run ./cmd/pcapgen -load 1000000 -conns 500 -o /tmp/load.pcap
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dissect-project/dissect/internal/pcapgen"
)

func main() {
	out := flag.String("o", filepath.Join("testdata", "pcaps"), "output `directory`")
	verbose := flag.Bool("v", false, "print each file written")
	load := flag.Int("load", 0, "write one benchmark capture of about `N` packets to the file -o instead of the test captures")
	conns := flag.Int("conns", 500, "with -load: `N` connections open side by side")
	var variant pcapgen.LoadVariant
	flag.BoolVar(&variant.IPv6, "ipv6", false, "with -load: over IPv6 (2001:db8::a.b.c.d)")
	flag.BoolVar(&variant.VLAN, "vlan", false, "with -load: every frame behind an 802.1Q tag")
	flag.BoolVar(&variant.Timestamps, "timestamps", false, "with -load: the TCP timestamp option on every segment, as Linux sends")
	flag.BoolVar(&variant.Cooked, "cooked", false, "with -load: a Linux cooked capture (LINUX_SLL, what tcpdump -i any writes); not with -vlan")
	concurrent := flag.Int("concurrent", 0, "instead of the test captures, write concurrent-`N`.pcap: N Modbus connections all open at once (a stress test, not kept in the repository)")
	synFlood := flag.Int("synflood", 0, "instead of the test captures, write synflood-`N`.pcap: N unanswered SYNs from as many sources in a minute (a stress test, not kept in the repository)")
	sequential := flag.Int("sequential", 0, "instead of the test captures, write sequential-`N`.pcap: N short Modbus connections one after the other (a memory test, not kept in the repository)")
	dns := flag.Int("dns", 0, "instead of the test captures, write dns-`N`.pcap: N answered DNS queries, each its own UDP conversation, some 75,000 open at once (a memory and speed test, not kept in the repository)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: pcapgen [-v] [-o dir]\n       pcapgen -load N [-conns N] [-ipv6] [-vlan] [-timestamps] [-cooked] -o file\n       pcapgen -concurrent N [-o dir]\n       pcapgen -sequential N [-o dir]\n       pcapgen -synflood N [-o dir]\n       pcapgen -dns N [-o dir]\n\nWrites the test captures described by internal/pcapgen.Scenarios,\nor with -load one large Modbus/TCP capture for benchmarks,\nor with -concurrent a stress test of N connections open at once,\nor with -sequential a memory test of N connections one after the other,\nor with -synflood a stress test of N half-open connections,\nor with -dns a test of N short DNS conversations.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	given := 0
	for _, n := range []int{*load, *concurrent, *sequential, *synFlood, *dns} {
		if n > 0 {
			given++
		}
	}
	if given > 1 {
		fmt.Fprintln(os.Stderr, "pcapgen: -load, -concurrent, -sequential, -synflood and -dns write one capture each: give one of them")
		os.Exit(2)
	}
	if *load > 0 {
		if err := writeLoad(*out, *load, *conns, variant); err != nil {
			fail(err)
		}
		return
	}
	for _, stress := range []struct {
		n    int
		name string
		make func(n int, seed uint64) *pcapgen.Capture
	}{
		{*concurrent, "concurrent", pcapgen.Concurrent},
		{*sequential, "sequential", pcapgen.Sequential},
		{*synFlood, "synflood", pcapgen.SYNFlood},
		{*dns, "dns", pcapgen.DNSQueries},
	} {
		if stress.n <= 0 {
			continue
		}
		var b bytes.Buffer
		if err := stress.make(stress.n, 1).Encode(&b, pcapgen.FormatPcap); err != nil {
			fail(err)
		}
		if err := writeFile(filepath.Join(*out, fmt.Sprintf("%s-%d.pcap", stress.name, stress.n)), b.Bytes()); err != nil {
			fail(err)
		}
		return
	}
	if err := run(*out, *verbose); err != nil {
		fail(err)
	}
}

func run(dir string, verbose bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	scs := pcapgen.Scenarios()
	for _, s := range scs {
		var b bytes.Buffer
		if err := s.Write(&b); err != nil {
			return fmt.Errorf("%s: %w", s.File, err)
		}
		if err := writeFile(filepath.Join(dir, s.File), b.Bytes()); err != nil {
			return err
		}
		if verbose {
			fmt.Printf("%-26s %8d bytes %6d packets\n", s.File, b.Len(), s.Packets)
		}
	}
	for _, p := range pcapgen.ProtocolCaptures() {
		var b bytes.Buffer
		if err := p.Write(&b); err != nil {
			return fmt.Errorf("%s: %w", p.File, err)
		}
		if err := writeFile(filepath.Join(dir, p.File), b.Bytes()); err != nil {
			return err
		}
		if verbose {
			fmt.Printf("%-26s %8d bytes %6d packets\n", p.File, b.Len(), p.Packets)
		}
	}
	readme, err := pcapgen.Readme(scs)
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, "README.md"), readme)
}

// writeFile writes data to name through a temporary file in the same
// directory, so that an interrupted run leaves no half-written capture.
func writeFile(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), ".pcapgen-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // no-op after a successful rename
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}

// writeLoad writes the benchmark capture of about packets frames over
// conns connections to the file name.
func writeLoad(name string, packets, conns int, v pcapgen.LoadVariant) error {
	b, err := pcapgen.LoadVariantPcap(conns, packets, 1, v)
	if err != nil {
		return err
	}
	return writeFile(name, b)
}

// fail prints err's message (see errorMessage) and exits with status 1.
func fail(err error) {
	fmt.Fprintln(os.Stderr, errorMessage(err))
	os.Exit(1)
}

// errorMessage is err's message prefixed once with the program's name: the
// generator's own errors already carry it.
func errorMessage(err error) string {
	return "pcapgen: " + strings.TrimPrefix(err.Error(), "pcapgen: ")
}
