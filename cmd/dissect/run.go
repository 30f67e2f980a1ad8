package main

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/fatih/color"
	"github.com/spf13/pflag"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/output"
	"github.com/dissect-project/dissect/pipeline"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usageHead = `dissect makes binary network protocols readable.

Usage:
  dissect -r FILE [flags]     decode a capture (pcap, pcapng, gzip; "-" is stdin)
  dissect list [flags]        list the dissectors and their ports

Examples:
  dissect -r capture.pcap                      one summary line per decoded frame
  dissect -r capture.pcap -V                   the field tree of every frame
  dissect -r capture.pcap -x                   hex dump, bytes coloured by field
  dissect -r capture.pcap -T ndjson            one JSON record per line
  dissect -r capture.pcap -s my.dsl            load a schema file (or a folder of them)
  dissect -r capture.pcap -d tcp.port==1502:modbus
  gzip -dc big.pcap.gz | dissect -r - -T ndjson -c 100

Flags:
`

// exit codes
const (
	exitOK    = 0
	exitError = 1 // the run failed: bad input file, truncated capture, write error
	exitUsage = 2 // bad flags or schemas
)

type options struct {
	file      string
	count     int
	verbose   bool
	hex       bool
	format    string
	quiet     bool
	schemas   []string
	decodeAs  []string
	colorMode string
	version   bool
}

func newFlagSet(o *options, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet("dissect", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	fs.StringVarP(&o.file, "read", "r", "", "read packets from `FILE` (pcap, pcapng or gzip; - for stdin)")
	fs.IntVarP(&o.count, "count", "c", 0, "stop after `N` records")
	fs.BoolVarP(&o.verbose, "verbose", "V", false, "print the field tree of each frame")
	fs.BoolVarP(&o.hex, "hex", "x", false, "print a hex dump of each frame, coloured by field")
	fs.StringVarP(&o.format, "format", "T", "text", "output `FORMAT`: text or ndjson")
	fs.BoolVarP(&o.quiet, "quiet", "q", false, "do not print the end-of-run summary on stderr")
	fs.StringArrayVarP(&o.schemas, "schema", "s", nil, "load a schema `PATH` (file or folder; repeatable)")
	fs.StringArrayVarP(&o.decodeAs, "decode-as", "d", nil, "decode traffic on a port as a protocol: `tcp.port==PORT:NAME` (repeatable)")
	fs.StringVar(&o.colorMode, "color", "auto", "colour: `auto`, always or never (auto honours NO_COLOR and terminals)")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.Usage = func() {
		fmt.Fprint(stderr, usageHead)
		fmt.Fprint(stderr, fs.FlagUsages())
	}
	return fs
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var o options
	fs := newFlagSet(&o, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return exitOK
		}
		fmt.Fprintf(stderr, "dissect: %v (see dissect --help)\n", err)
		return exitUsage
	}
	if o.version {
		fmt.Fprintf(stdout, "dissect %s\n", version)
		return exitOK
	}
	sub := ""
	rest := fs.Args()
	if len(rest) > 0 && rest[0] == "list" {
		sub, rest = "list", rest[1:]
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "dissect: unexpected argument %q (see dissect --help)\n", rest[0])
		return exitUsage
	}
	switch o.colorMode {
	case "auto":
	case "always":
		color.NoColor = false
	case "never":
		color.NoColor = true
	default:
		fmt.Fprintf(stderr, "dissect: --color %q: expected auto, always or never\n", o.colorMode)
		return exitUsage
	}
	if o.format != "text" && o.format != "ndjson" {
		fmt.Fprintf(stderr, "dissect: -T %q: unknown output format; expected text or ndjson\n", o.format)
		return exitUsage
	}

	reg, err := loadRegistry(&o)
	if err != nil {
		fmt.Fprintf(stderr, "dissect: %v\n", err)
		return exitUsage
	}
	if sub == "list" {
		return list(reg, stdout)
	}
	if o.file == "" {
		fmt.Fprintln(stderr, "dissect: no capture to read: give one with -r FILE (see dissect --help)")
		return exitUsage
	}
	if o.count < 0 {
		fmt.Fprintf(stderr, "dissect: -c %d: the count must be 0 (no limit) or more\n", o.count)
		return exitUsage
	}
	return decode(&o, reg, stdin, stdout, stderr)
}

func loadRegistry(o *options) (*dissectors.Registry, error) {
	reg := dissectors.NewRegistry()
	if err := reg.LoadBundled(); err != nil {
		return nil, fmt.Errorf("bundled schemas: %w", err)
	}
	var errs []error
	for _, p := range o.schemas {
		if err := reg.LoadPath(p); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for _, rule := range o.decodeAs {
		if err := reg.DecodeAs(rule); err != nil {
			return nil, err
		}
	}
	return reg, nil
}

func list(reg *dissectors.Registry, stdout io.Writer) int {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTITLE\tTRANSPORT\tPORTS\tSOURCE\tDESCRIPTION")
	for _, d := range reg.List() {
		info := d.Info()
		ports := make([]string, 0, len(info.Ports))
		for _, p := range info.Ports {
			ports = append(ports, fmt.Sprint(p))
		}
		sort.Strings(ports)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", info.Name, info.Title, info.Transport,
			strings.Join(ports, ","), info.Source, info.Description)
	}
	if err := tw.Flush(); err != nil {
		return exitError
	}
	return exitOK
}

func decode(o *options, reg *dissectors.Registry, stdin io.Reader, stdout, stderr io.Writer) int {
	var src *capture.Source
	var err error
	if o.file == "-" {
		src, err = capture.NewSource("stdin", stdin)
	} else {
		src, err = capture.Open(o.file)
	}
	if err != nil {
		fmt.Fprintf(stderr, "dissect: %v\n", err)
		return exitError
	}
	defer src.Close()

	var w output.Writer
	if o.format == "ndjson" {
		w = output.NewNDJSON(stdout)
	} else {
		w = output.NewText(stdout, output.TextOptions{Tree: o.verbose, Hex: o.hex})
	}
	sum, runErr := pipeline.Run(src, pipeline.Config{Registry: reg, Sink: w, Count: o.count})
	flushErr := w.Flush()
	if isBrokenPipe(runErr) || isBrokenPipe(flushErr) {
		return exitOK // the reader went away, as with `dissect ... | head`
	}
	if !o.quiet {
		printSummary(stderr, &sum)
	}
	if runErr != nil {
		fmt.Fprintf(stderr, "dissect: %v\n", runErr)
		return exitError
	}
	if flushErr != nil {
		fmt.Fprintf(stderr, "dissect: writing output: %v\n", flushErr)
		return exitError
	}
	return exitOK
}

func isBrokenPipe(err error) bool {
	return err != nil && errors.Is(err, syscall.EPIPE)
}

func printSummary(w io.Writer, s *pipeline.Summary) {
	fmt.Fprintf(w, "dissect: %d packets, %d connections dissected, %d records: %d frames (%d with errors), %d skipped runs (%d bytes), %d gaps (%d bytes)\n",
		s.Capture.Packets, s.Conns, s.Records, s.Frames, s.FramesFailed, s.Skipped, s.SkippedBytes, s.Gaps, s.GapBytes)
	if s.Trailing > 0 {
		fmt.Fprintf(w, "dissect: %d frames had bytes after their message that no field covers (%d bytes)\n", s.Trailing, s.TrailingBytes)
	}
	if len(s.Errors) > 0 {
		kinds := make([]string, 0, len(s.Errors))
		for k := range s.Errors {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		parts := make([]string, 0, len(kinds))
		for _, k := range kinds {
			parts = append(parts, fmt.Sprintf("%s %d", k, s.Errors[k]))
		}
		fmt.Fprintf(w, "dissect: decode errors by kind: %s\n", strings.Join(parts, ", "))
	}
	if len(s.Capture.NotDecoded) > 0 {
		reasons := make([]string, 0, len(s.Capture.NotDecoded))
		for k := range s.Capture.NotDecoded {
			reasons = append(reasons, k)
		}
		sort.Strings(reasons)
		parts := make([]string, 0, len(reasons))
		for _, k := range reasons {
			parts = append(parts, fmt.Sprintf("%s: %d", k, s.Capture.NotDecoded[k]))
		}
		fmt.Fprintf(w, "dissect: packets not decoded: %s\n", strings.Join(parts, "; "))
	}
}
