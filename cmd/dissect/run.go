package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/fatih/color"
	"github.com/spf13/pflag"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/dissectors/library"
	"github.com/dissect-project/dissect/output"
	"github.com/dissect-project/dissect/pipeline"
	"github.com/dissect-project/dissect/schema"
	"github.com/dissect-project/dissect/schema/syntax"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usageHead = `dissect makes binary network protocols readable.

Usage:
  dissect -r FILE [flags]     decode a capture (pcap, pcapng, gzip; "-" is stdin)
  dissect -i IFACE [flags]    capture live on an interface and decode (Ctrl-C stops)
  dissect -D                  list the interfaces -i can capture on
  dissect list [flags]        list the dissectors: transports, ports, heuristic, description
  dissect check [FILE...]     check schemas: every error and warning, with its position
                              (no FILE: the bundled library)

Examples:
  dissect -r capture.pcap                      one summary line per decoded frame
  dissect -r capture.pcap -V                   the field tree of every frame
  dissect -r capture.pcap -x                   hex dump, bytes coloured by field
  dissect -r capture.pcap -T ndjson            one JSON record per line
  dissect -r capture.pcap -T ndjson --wireshark-names
                                               the same, fields named as in Wireshark
  dissect -r capture.pcap -s my.dsl            load a schema file (or a folder of them)
  dissect -r capture.pcap -d tcp.port==1502:modbus
  gzip -dc big.pcap.gz | dissect -r - -T ndjson -c 100
  dissect -i eth0 -f 'tcp port 502' -w saved.pcap   capture Modbus live, saving the packets
  dissect -r capture.pcap -f 'host 10.0.0.5'   a capture filter works on files too
  dissect -i any -a duration:60 -q -T ndjson   one minute of traffic, as NDJSON

Live capture (-i, -D, -f) needs a build with libpcap (cgo). Ctrl-C or SIGTERM
stops cleanly: open streams are flushed, the summary printed, exit status 0.

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
	iface     string
	listIfs   bool
	filter    string
	snaplen   int
	bufferKiB int
	noPromisc bool
	writeFile string
	autostop  string
	duration  time.Duration // parsed from autostop
	count     int
	verbose   bool
	hex       bool
	format    string
	wsNames   bool
	quiet     bool
	schemas   []string
	decodeAs  []string
	colorMode string
	version   bool
	limits    schema.Limits
	maxFrame  int
	tune      tuning
	cpuProf   string
	memProf   string
	jobs      int
	lineBuf   bool
}

func newFlagSet(o *options, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet("dissect", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	fs.StringVarP(&o.file, "read", "r", "", "read packets from `FILE` (pcap, pcapng or gzip; - for stdin)")
	fs.StringVarP(&o.iface, "interface", "i", "", "capture live on `IFACE` (\"any\": all of them); -D lists them")
	fs.BoolVarP(&o.listIfs, "list-interfaces", "D", false, "list the interfaces -i can capture on, and exit")
	fs.StringVarP(&o.filter, "filter", "f", "", "capture filter `EXPR` in tcpdump syntax, e.g. 'tcp port 502' (live and files)")
	fs.IntVar(&o.snaplen, "snaplen", capture.DefaultSnaplen, "live: keep at most `N` bytes of each packet (tcpdump's -s; -s here is --schema)")
	fs.BoolVarP(&o.noPromisc, "no-promiscuous-mode", "p", false, "live: do not put the interface in promiscuous mode")
	fs.IntVarP(&o.bufferKiB, "buffer-size", "B", capture.DefaultBufferSize>>10, "live: kernel capture buffer, in `KiB` (as tcpdump's -B); raise it if packets are dropped")
	fs.StringVarP(&o.writeFile, "write", "w", "", "also save the packets read (those -f keeps) to a pcap `FILE`")
	fs.IntVarP(&o.count, "count", "c", 0, "stop after `N` records")
	fs.StringVarP(&o.autostop, "autostop", "a", "", "stop when `COND` holds: duration:SEC, after SEC seconds (live or files)")
	fs.BoolVarP(&o.verbose, "verbose", "V", false, "print the field tree of each frame")
	fs.BoolVarP(&o.hex, "hex", "x", false, "print a hex dump of each frame, coloured by field")
	fs.StringVarP(&o.format, "format", "T", "text", "output `FORMAT`: text or ndjson")
	fs.BoolVar(&o.wsNames, "wireshark-names", false, "with -T ndjson, name fields mapped to Wireshark fields by their Wireshark names (mbtcp.trans_id)")
	fs.BoolVarP(&o.quiet, "quiet", "q", false, "do not print the end-of-run summary on stderr")
	fs.StringArrayVarP(&o.schemas, "schema", "s", nil, "load a schema `PATH` (file or folder; repeatable)")
	fs.StringArrayVarP(&o.decodeAs, "decode-as", "d", nil, "decode traffic on a port as a protocol: `tcp.port==PORT:NAME` (repeatable)")
	fs.StringVar(&o.colorMode, "color", "auto", "colour: `auto`, always or never (auto honours NO_COLOR and terminals)")
	fs.IntVar(&o.limits.MaxDepth, "max-depth", schema.DefaultLimits.MaxDepth, "decoding limit: nesting of structures, arrays and switches")
	fs.IntVar(&o.limits.MaxElements, "max-elements", schema.DefaultLimits.MaxElements, "decoding limit: elements in one array")
	fs.IntVar(&o.limits.MaxNodes, "max-nodes", schema.DefaultLimits.MaxNodes, "decoding limit: values in one frame")
	fs.IntVar(&o.limits.MaxHops, "max-hops", schema.DefaultLimits.MaxHops, "decoding limit: positioned reads (such as DNS name pointers) in one frame")
	fs.IntVar(&o.maxFrame, "max-frame", 0, "largest frame accepted, in bytes, whatever a schema allows (0: the schema's max)")
	addTuningFlags(fs, &o.tune)
	fs.IntVarP(&o.jobs, "jobs", "j", 1, "decode with `N` workers, connections shared out by flow; the output is the same as with 1 (with -c, -i or -l, 1 is used)")
	fs.BoolVarP(&o.lineBuf, "line-buffered", "l", false, "write each record out as soon as it is decoded, as tcpdump -l and tshark -l do (for -r - fed by a live capture; -i flushes every 100 ms)")
	fs.StringVar(&o.cpuProf, "cpuprofile", "", "write a CPU profile of the run to `FILE` (for go tool pprof)")
	fs.StringVar(&o.memProf, "memprofile", "", "write a heap profile at the end of the run to `FILE` (for go tool pprof)")
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
	if len(rest) > 0 && (rest[0] == "list" || rest[0] == "check") {
		sub, rest = rest[0], rest[1:]
	}
	if sub == "check" {
		return check(rest, stdout)
	}
	if o.listIfs {
		return listInterfaces(stdout, stderr)
	}
	if msg := checkCaptureFlags(&o, func(name string) bool { return fs.Changed(name) }); msg != "" {
		fmt.Fprintf(stderr, "dissect: %s\n", msg)
		return exitUsage
	}
	for name, v := range map[string]int{"--max-depth": o.limits.MaxDepth, "--max-elements": o.limits.MaxElements,
		"--max-nodes": o.limits.MaxNodes, "--max-hops": o.limits.MaxHops} {
		if v < 1 {
			fmt.Fprintf(stderr, "dissect: %s %d: a limit must be 1 or more\n", name, v)
			return exitUsage
		}
	}
	if o.jobs < 1 || o.jobs > pipeline.MaxJobs {
		fmt.Fprintf(stderr, "dissect: -j %d: the number of workers must be from 1 to %d\n", o.jobs, pipeline.MaxJobs)
		return exitUsage
	}
	if o.maxFrame < 0 {
		fmt.Fprintf(stderr, "dissect: --max-frame %d: must be 0 (the schema's max) or more\n", o.maxFrame)
		return exitUsage
	}
	if err := o.tune.check(); err != nil {
		fmt.Fprintf(stderr, "dissect: %v\n", err)
		return exitUsage
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
	if o.wsNames && o.format != "ndjson" {
		fmt.Fprintln(stderr, "dissect: --wireshark-names names the fields of -T ndjson output; add -T ndjson")
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
	if o.file == "" && o.iface == "" {
		fmt.Fprintln(stderr, "dissect: no capture to read: give one with -r FILE, or capture live with -i IFACE (see dissect --help)")
		return exitUsage
	}
	if o.count < 0 {
		fmt.Fprintf(stderr, "dissect: -c %d: the count must be 0 (no limit) or more\n", o.count)
		return exitUsage
	}
	stop, err := startProfiles(&o)
	if err != nil {
		fmt.Fprintf(stderr, "dissect: %v\n", err)
		return exitUsage
	}
	code := decode(&o, reg, stdin, stdout, stderr)
	if err := stop(); err != nil {
		fmt.Fprintf(stderr, "dissect: %v\n", err)
		if code == exitOK {
			code = exitError
		}
	}
	return code
}

// startProfiles starts the CPU profile asked for with --cpuprofile and
// returns the function that stops it and writes the heap profile asked for
// with --memprofile.
func startProfiles(o *options) (stop func() error, err error) {
	var cpu *os.File
	if o.cpuProf != "" {
		if cpu, err = os.Create(o.cpuProf); err != nil {
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			cpu.Close()
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
	}
	return func() error {
		var errs []error
		if cpu != nil {
			pprof.StopCPUProfile()
			if err := cpu.Close(); err != nil {
				errs = append(errs, fmt.Errorf("--cpuprofile: %w", err))
			}
		}
		if o.memProf != "" {
			f, err := os.Create(o.memProf)
			if err != nil {
				return errors.Join(append(errs, fmt.Errorf("--memprofile: %w", err))...)
			}
			runtime.GC() // up-to-date statistics
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				errs = append(errs, fmt.Errorf("--memprofile: %w", err))
			}
			if err := f.Close(); err != nil {
				errs = append(errs, fmt.Errorf("--memprofile: %w", err))
			}
		}
		return errors.Join(errs...)
	}, nil
}

func loadRegistry(o *options) (*dissectors.Registry, error) {
	reg := dissectors.NewRegistry()
	reg.Limits = o.limits
	reg.MaxFrame = o.maxFrame
	reg.Buffers = &dissectors.BufferLimits{PerStream: o.tune.perStream, Total: o.tune.total}
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
	if err := reg.Link(); err != nil {
		return nil, err
	}
	for _, rule := range o.decodeAs {
		if err := reg.DecodeAs(rule); err != nil {
			return nil, err
		}
	}
	return reg, nil
}

// check compiles schema files and prints every error and warning. With no
// files it checks the bundled library.
func check(files []string, stdout io.Writer) int {
	var results []checkResult
	if len(files) == 0 {
		entries, _ := fs.ReadDir(library.FS, ".")
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".dsl") {
				continue
			}
			text, _ := fs.ReadFile(library.FS, e.Name())
			load := library.Load
			results = append(results, checkOne("library/"+e.Name(), text, load))
		}
	}
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			var errs syntax.ErrorList
			errs.Add(syntax.NewSource(f, nil), syntax.NoPos, false, "cannot read the schema: %v", err)
			results = append(results, checkResult{f, nil, errs, false})
			continue
		}
		results = append(results, checkOne(f, text, func(n string) ([]byte, error) { return os.ReadFile(n) }))
	}
	code := exitOK
	for _, r := range results {
		for _, e := range r.errs {
			fmt.Fprintln(stdout, e.Error())
		}
		nerr, nwarn := len(r.errs.Errors()), len(r.errs.Warnings())
		if nerr > 0 {
			code = exitError
			fmt.Fprintf(stdout, "%s: %d error(s), %d warning(s)\n", r.name, nerr, nwarn)
			continue
		}
		if r.library {
			fmt.Fprintf(stdout, "%s: ok: a library of types, %d warning(s)\n", r.name, nwarn)
			continue
		}
		fmt.Fprintf(stdout, "%s: ok: protocol %s, %d structs, %d enums, %d warning(s)\n", r.name, r.prog.Name, len(r.prog.Structs), len(r.prog.Enums), nwarn)
	}
	return code
}

// checkResult is what check found in one file.
type checkResult struct {
	name    string
	prog    *schema.Program
	errs    syntax.ErrorList
	library bool
}

// checkOne checks a protocol schema, or a library of types when the file
// declares no protocol.
func checkOne(name string, text []byte, load schema.LoadFunc) checkResult {
	if !schema.DeclaresProtocol(text) {
		return checkResult{name, nil, schema.CheckLibrary(name, text, load), true}
	}
	prog, errs := schema.CompileWith(name, text, load)
	return checkResult{name, prog, errs, false}
}

func list(reg *dissectors.Registry, stdout io.Writer) int {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTITLE\tTRANSPORT\tPORTS\tHEURISTIC\tSOURCE\tDESCRIPTION")
	for _, d := range reg.List() {
		info := d.Info()
		nums := append([]uint16(nil), info.Ports...)
		sort.Slice(nums, func(i, j int) bool { return nums[i] < nums[j] })
		ports := make([]string, 0, len(nums))
		for _, p := range nums {
			ports = append(ports, fmt.Sprint(p))
		}
		portList := strings.Join(ports, ",")
		if portList == "" {
			portList = "-" // reached only through another protocol
		}
		transports := info.Transports
		if len(transports) == 0 {
			transports = []string{info.Transport}
		}
		heuristic := "no"
		if info.Heuristic {
			heuristic = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", info.Name, info.Title, strings.Join(transports, ","),
			portList, heuristic, info.Source, info.Description)
	}
	if err := tw.Flush(); err != nil {
		return exitError
	}
	return exitOK
}

func decode(o *options, reg *dissectors.Registry, stdin io.Reader, stdout, stderr io.Writer) int {
	// Signals are watched from now on, so that one arriving while the
	// capture starts also stops it cleanly.
	stop := newStopper(true, o.duration)
	defer stop.release()
	in, code := openInput(o, stdin, stdout, stderr)
	if in == nil {
		return code
	}
	defer in.close()
	src := in.src

	var sum pipeline.Summary
	var runErr, flushErr error
	var w output.Writer
	cfg := pipeline.Config{Registry: reg, Count: o.count, Capture: in.opts, Stop: stop.ch}
	regs := []*dissectors.Registry{reg} // every registry of the run: -j N has one per worker
	o.tune.apply(reg, &cfg)
	if o.jobs > 1 && o.count == 0 && o.iface == "" && !o.lineBuf {
		newWorker := func(out io.Writer) (*dissectors.Registry, pipeline.WorkerSink, error) {
			reg, err := loadRegistry(o)
			if err != nil {
				return nil, nil, err
			}
			regs = append(regs, reg)
			// The workers share the total buffering limit.
			reg.Buffers.Total = max(1, reg.Buffers.Total/o.jobs)
			return reg, newWriter(o, out), nil
		}
		sum, runErr = pipeline.RunParallel(src, pipeline.ParallelConfig{Config: cfg, Jobs: o.jobs, NewWorker: newWorker, Output: stdout})
	} else {
		w = newWriter(o, stdout)
		switch {
		case o.lineBuf:
			w = recordFlusher{w}
		case o.iface != "":
			w = newTimedFlusher(w) // live: show records as they are decoded
		}
		cfg.Sink = w
		sum, runErr = pipeline.Run(src, cfg)
	}
	in.finish()
	if err := in.closeSaver(); err != nil && runErr == nil {
		runErr = err
	}
	if w != nil {
		flushErr = w.Flush()
	}
	for _, r := range regs {
		if err := r.Err(); err != nil && runErr == nil {
			runErr = err // a bundled schema that failed to compile on first use
		}
	}
	if isBrokenPipe(runErr) || isBrokenPipe(flushErr) {
		return exitOK // the reader went away, as with `dissect ... | head`
	}
	if !o.quiet {
		printSummary(stderr, &sum)
		printCaptureNotes(stderr, o, src, &sum)
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

// newWriter returns the output writer the options ask for, on w.
func newWriter(o *options, w io.Writer) output.Writer {
	if o.format == "ndjson" {
		return output.NewNDJSONWith(w, output.JSONOptions{WiresharkNames: o.wsNames})
	}
	return output.NewText(w, output.TextOptions{Tree: o.verbose, Hex: o.hex})
}

func isBrokenPipe(err error) bool {
	return err != nil && errors.Is(err, syscall.EPIPE)
}

func printSummary(w io.Writer, s *pipeline.Summary) {
	fmt.Fprintf(w, "dissect: %d packets, %d connections dissected, %d records: %d frames (%d with errors), %d skipped runs (%d bytes), %d gaps (%d bytes)\n",
		s.Capture.Packets, s.Conns, s.Records, s.Frames, s.FramesFailed, s.Skipped, s.SkippedBytes, s.Gaps, s.GapBytes)
	c := &s.Capture
	fmt.Fprintf(w, "dissect: packets: %d TCP, %d UDP; %d TCP streams; %d IP fragments, %d of them in %d reassembled datagrams\n",
		c.TCPPackets, c.UDPPackets, c.Streams, c.Fragments, c.FragmentsReassembled, c.Reassembled)
	b := &s.Bytes
	note := ""
	if s.CountReached {
		note = " (stopped by -c: streams still open are not counted)"
	}
	fmt.Fprintf(w, "dissect: bytes in %d stream directions%s: %d seen = %d decoded + %d skipped + %d in incomplete frames; %d missing in gaps\n",
		s.Directions, note, b.Seen, b.Decoded, b.Skipped, b.Incomplete, b.Missing)
	if e := b.Check(); e != "" {
		fmt.Fprintf(w, "dissect: internal error: byte accounting does not add up: %s\n", e)
	}
	printBufferSummary(w, s)
	if s.Matched+s.Unanswered+s.Duplicates+s.Unsolicited > 0 {
		fmt.Fprintf(w, "dissect: pairing: %d responses matched, %d requests unanswered, %d duplicate responses, %d responses to no request seen\n",
			s.Matched, s.Unanswered, s.Duplicates, s.Unsolicited)
	}
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
