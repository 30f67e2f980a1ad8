package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/output"
	"github.com/dissect-project/dissect/pipeline"
)

// checkCaptureFlags validates the flags of live capture and filtering.
// It returns a message for the user, or "".
func checkCaptureFlags(o *options, set func(string) bool) string {
	switch {
	case o.iface != "" && o.file != "":
		return "-r and -i both given: read a file (-r FILE) or capture live (-i IFACE), not both"
	case o.iface == "" && set("snaplen"):
		return "--snaplen applies to a live capture (-i IFACE) only"
	case o.iface == "" && o.noPromisc:
		return "-p applies to a live capture (-i IFACE) only"
	case o.iface == "" && set("buffer-size"):
		return "-B applies to a live capture (-i IFACE) only"
	case set("buffer-size") && (o.bufferKiB < 1 || o.bufferKiB > maxBufferKiB):
		return fmt.Sprintf("-B %d: the buffer size must be between 1 and %d KiB", o.bufferKiB, maxBufferKiB)
	case set("snaplen") && (o.snaplen < 1 || o.snaplen > capture.DefaultSnaplen):
		return fmt.Sprintf("--snaplen %d: must be between 1 and %d bytes", o.snaplen, capture.DefaultSnaplen)
	}
	if o.autostop != "" {
		d, err := parseAutostop(o.autostop)
		if err != nil {
			return err.Error()
		}
		o.duration = d
	}
	return ""
}

// maxBufferKiB bounds -B: 1 GiB of kernel memory.
const maxBufferKiB = 1 << 20

// parseAutostop parses the -a condition; like tshark's, "duration:SEC"
// stops after SEC seconds. Only that condition is supported.
func parseAutostop(s string) (time.Duration, error) {
	name, value, ok := strings.Cut(s, ":")
	if !ok || name != "duration" {
		return 0, fmt.Errorf("-a %q: only duration:SEC is supported (stop after SEC seconds); use -c N to stop after N records", s)
	}
	sec, err := strconv.ParseFloat(value, 64)
	if err != nil || sec <= 0 || sec > 1e9 {
		return 0, fmt.Errorf("-a %q: the duration must be a number of seconds greater than 0, e.g. duration:10", s)
	}
	return time.Duration(sec * float64(time.Second)), nil
}

// liveError turns an error of starting a live capture into one clear line
// saying what to do.
func liveError(iface string, err error) string {
	var fe *capture.FilterError
	switch {
	case errors.Is(err, capture.ErrNoLibpcap):
		return fmt.Sprintf("-i %s: live capture %v", iface, err)
	case errors.As(err, &fe):
		return fmt.Sprintf("-f %q: %s", fe.Expr, fe.Reason())
	case errors.Is(err, capture.ErrNoSuchInterface):
		return fmt.Sprintf("-i %s: no such interface (dissect -D lists them)", iface)
	case errors.Is(err, capture.ErrPermission):
		return fmt.Sprintf("-i %s: permission denied: run as root or give the binary cap_net_raw,cap_net_admin (sudo setcap cap_net_raw,cap_net_admin=eip PATH-TO-dissect)", iface)
	case errors.Is(err, capture.ErrInterfaceDown):
		return fmt.Sprintf("-i %s: the interface is down (bring it up: ip link set %s up)", iface, iface)
	}
	return fmt.Sprintf("-i %s: %v", iface, err)
}

// filterError turns an error of compiling -f for a file into one line.
func filterError(expr string, err error) string {
	var fe *capture.FilterError
	switch {
	case errors.Is(err, capture.ErrNoLibpcap):
		return fmt.Sprintf("-f %q: a capture filter %v", expr, err)
	case errors.As(err, &fe):
		return fmt.Sprintf("-f %q: %s", fe.Expr, fe.Reason())
	}
	return fmt.Sprintf("-f %q: %v", expr, err)
}

// listInterfaces prints the interfaces dissect can capture on, numbered
// like tcpdump -D: name, description, flags and addresses.
func listInterfaces(stdout, stderr io.Writer) int {
	ifaces, err := capture.Interfaces()
	if err != nil {
		if errors.Is(err, capture.ErrNoLibpcap) {
			fmt.Fprintf(stderr, "dissect: -D: listing interfaces %v\n", err)
		} else {
			fmt.Fprintf(stderr, "dissect: -D: %v\n", err)
		}
		return exitError
	}
	if len(ifaces) == 0 {
		fmt.Fprintln(stderr, "dissect: -D: no interface to capture on (capturing usually needs root, or cap_net_raw,cap_net_admin)")
		return exitError
	}
	for i, iface := range ifaces {
		var b strings.Builder
		fmt.Fprintf(&b, "%d.%s", i+1, iface.Name)
		if iface.Description != "" {
			fmt.Fprintf(&b, " (%s)", iface.Description)
		}
		var flags []string
		if iface.Up {
			flags = append(flags, "Up")
		}
		if iface.Running {
			flags = append(flags, "Running")
		}
		if iface.Loopback {
			flags = append(flags, "Loopback")
		}
		if len(flags) > 0 {
			fmt.Fprintf(&b, " [%s]", strings.Join(flags, ", "))
		}
		for j, a := range iface.Addrs {
			if j == 0 {
				b.WriteString(" ")
			} else {
				b.WriteString(", ")
			}
			b.WriteString(a.String())
		}
		fmt.Fprintln(stdout, b.String())
	}
	return exitOK
}

// stopper closes its channel, once, on SIGINT, SIGTERM or the -a timer.
type stopper struct {
	ch      chan struct{}
	once    sync.Once
	signals chan os.Signal
	timer   *time.Timer
	done    chan struct{}
}

// newStopper starts watching the signals (when signals is set) and the
// duration (when above 0). The -a duration is counted from here, wall
// clock, for files as for live captures.
func newStopper(signals bool, d time.Duration) *stopper {
	s := &stopper{ch: make(chan struct{}), done: make(chan struct{})}
	if d > 0 {
		s.timer = time.AfterFunc(d, s.stop)
	}
	if signals {
		s.signals = make(chan os.Signal, 1)
		signal.Notify(s.signals, os.Interrupt, syscall.SIGTERM)
		go func() {
			select {
			case <-s.signals:
				// A second signal kills, as usual, should stopping hang
				// (reading a pipe that never ends, for instance).
				signal.Reset(os.Interrupt, syscall.SIGTERM)
				s.stop()
			case <-s.done:
			}
		}()
	}
	return s
}

func (s *stopper) stop() { s.once.Do(func() { close(s.ch) }) }

// release stops watching.
func (s *stopper) release() {
	if s.timer != nil {
		s.timer.Stop()
	}
	if s.signals != nil {
		signal.Stop(s.signals)
		close(s.done)
	}
}

// printCaptureNotes adds to the summary what filtering and a live capture
// did: packets dropped by -f, and the kernel's counters.
func printCaptureNotes(w io.Writer, o *options, src *capture.Source, s *pipeline.Summary) {
	if s.Capture.Filtered > 0 {
		fmt.Fprintf(w, "dissect: %d packets filtered out by -f %q\n", s.Capture.Filtered, o.filter)
	}
	if st, ok, err := src.LiveStats(); ok && err == nil {
		hint := ""
		if st.Dropped > 0 {
			hint = " (the capture fell behind: raise -B, narrow -f, or write less with -q or -T ndjson)"
		}
		fmt.Fprintf(w, "dissect: %d packets received by filter, %d dropped by kernel, %d dropped by interface%s\n",
			st.Received, st.Dropped, st.IfDropped, hint)
	}
}

// input is the packet source of a run and what goes with it.
type input struct {
	src   *capture.Source
	file  *os.File // the capture file, when opened here for the progress bar
	opts  capture.Options
	saver *capture.PcapWriter
	prog  *progress
}

// openInput opens the capture (-r) or the interface (-i) and sets up
// filtering, saving and the progress bar. On failure it prints the error
// and returns a nil input and the exit status.
func openInput(o *options, stdin io.Reader, stdout, stderr io.Writer) (*input, int) {
	in := &input{}
	var err error
	switch {
	case o.iface != "":
		in.src, err = capture.OpenLive(o.iface, capture.LiveOptions{Snaplen: o.snaplen, NoPromisc: o.noPromisc, Filter: o.filter, BufferSize: o.bufferKiB << 10})
		if err != nil {
			fmt.Fprintf(stderr, "dissect: %s\n", liveError(o.iface, err))
			var fe *capture.FilterError
			if errors.As(err, &fe) {
				return nil, exitUsage
			}
			return nil, exitError
		}
		if !o.quiet {
			fmt.Fprintf(stderr, "dissect: listening on %s, link-type %s, snapshot length %d bytes\n", o.iface, in.src.LinkType(), o.snaplen)
		}
	case o.file == "-":
		in.src, err = capture.NewSource("stdin", stdin)
	case !o.quiet && showProgress(stdout, stderr):
		err = in.openWithProgress(o.file, stderr)
	default:
		in.src, err = capture.Open(o.file)
	}
	if err != nil {
		fmt.Fprintf(stderr, "dissect: %v\n", err)
		in.close()
		return nil, exitError
	}
	if o.filter != "" && o.iface == "" {
		f, err := capture.NewFilter(o.filter)
		if err != nil {
			fmt.Fprintf(stderr, "dissect: %s\n", filterError(o.filter, err))
			in.close()
			return nil, exitUsage
		}
		in.opts.Filter = f
	}
	if o.writeFile != "" {
		if sameFile(o.file, o.writeFile) {
			fmt.Fprintf(stderr, "dissect: -w %s: that is the file -r reads; writing would destroy it\n", o.writeFile)
			in.close()
			return nil, exitUsage
		}
		snaplen := capture.DefaultSnaplen
		if o.iface != "" {
			snaplen = o.snaplen
		}
		lt, ok := in.src.LinkTypeValue()
		if !ok {
			lt = layers.LinkTypeEthernet
		}
		if in.saver, err = capture.CreatePcap(o.writeFile, snaplen, lt); err != nil {
			fmt.Fprintf(stderr, "dissect: -w: %v\n", err)
			in.close()
			return nil, exitError
		}
	}
	saver, prog := in.saver, in.prog
	save := func(data []byte, ci gopacket.CaptureInfo, lt layers.LinkType) error {
		if err := saver.WritePacket(data, ci, lt); err != nil {
			return fmt.Errorf("-w %w", err)
		}
		return nil
	}
	switch {
	case saver != nil && prog != nil:
		in.opts.Tap = func(data []byte, ci gopacket.CaptureInfo, lt layers.LinkType) error {
			prog.packets.Add(1)
			return save(data, ci, lt)
		}
	case saver != nil:
		in.opts.Tap = save
	case prog != nil:
		in.opts.Tap = func([]byte, gopacket.CaptureInfo, layers.LinkType) error {
			prog.packets.Add(1)
			return nil
		}
	}
	if prog != nil {
		prog.run()
	}
	return in, exitOK
}

// sameFile reports whether paths a and b name the same existing file.
func sameFile(a, b string) bool {
	if a == "" || a == "-" {
		return false
	}
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && os.SameFile(sa, sb)
}

// openWithProgress opens a capture file through a byte counter, with a
// progress bar when it is a regular file.
func (in *input) openWithProgress(path string, stderr io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	in.file = f
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() == 0 {
		in.src, err = capture.NewSource(path, f)
		return err
	}
	in.prog = newProgress(stderr, st.Size(), time.Now)
	in.src, err = capture.NewSource(path, countingFile{f: f, n: &in.prog.bytes})
	return err
}

// finish erases the progress bar.
func (in *input) finish() {
	if in.prog != nil {
		in.prog.finish()
	}
}

// closeSaver completes the -w file.
func (in *input) closeSaver() error {
	if in.saver == nil {
		return nil
	}
	err := in.saver.Close()
	in.saver = nil
	if err != nil {
		return fmt.Errorf("-w %w", err)
	}
	return nil
}

// close releases the source and the file.
func (in *input) close() {
	in.finish()
	if in.src != nil {
		in.src.Close()
	}
	if in.file != nil {
		in.file.Close()
	}
	if in.saver != nil {
		in.saver.Close()
	}
}

// recordFlusher writes each record out as soon as it is emitted (-l).
type recordFlusher struct{ w output.Writer }

// Emit writes r and flushes it.
func (f recordFlusher) Emit(r *dissectors.Record) error {
	if err := f.w.Emit(r); err != nil {
		return err
	}
	return f.w.Flush()
}

// Flush flushes what is left (nothing but what a failed flush left).
func (f recordFlusher) Flush() error { return f.w.Flush() }

// SetEpoch passes the time of the capture's first packet on to the writer.
func (f recordFlusher) SetEpoch(t time.Time) { setEpoch(f.w, t) }

// EndConn passes the end of a connection on to the writer.
func (f recordFlusher) EndConn(c *dissectors.Conn) { endConn(f.w, c) }

// setEpoch calls w.SetEpoch when w has it (pipeline.EpochSetter): a
// writer wrapped for -l or a live capture writes what it writes unwrapped
// (times relative to the first packet).
func setEpoch(w output.Writer, t time.Time) {
	if e, ok := w.(pipeline.EpochSetter); ok {
		e.SetEpoch(t)
	}
}

// endConn calls w.EndConn when w has it (pipeline.ConnEnder), so that a
// wrapped writer frees what it keeps per connection.
func endConn(w output.Writer, c *dissectors.Conn) {
	if e, ok := w.(pipeline.ConnEnder); ok {
		e.EndConn(c)
	}
}

// flushEvery is how long a record of a live capture may wait in the
// output buffer.
const flushEvery = 100 * time.Millisecond

// timedFlusher shows the records of a live capture soon after they are
// decoded, as tshark -l does, without a write per record: the buffer is
// flushed every flushEvery (and when it fills), from a goroutine, so a
// burst costs few writes and a quiet capture still shows its last record.
type timedFlusher struct {
	mu   sync.Mutex
	w    output.Writer
	err  error // of a background flush, returned by the next Emit or Flush
	stop chan struct{}
	done chan struct{}
}

func newTimedFlusher(w output.Writer) *timedFlusher {
	f := &timedFlusher{w: w, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(f.done)
		t := time.NewTicker(flushEvery)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				f.mu.Lock()
				if f.err == nil {
					f.err = f.w.Flush()
				}
				f.mu.Unlock()
			case <-f.stop:
				return
			}
		}
	}()
	return f
}

// Emit writes r to the buffer.
func (f *timedFlusher) Emit(r *dissectors.Record) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	return f.w.Emit(r)
}

// SetEpoch passes the time of the capture's first packet on to the writer.
func (f *timedFlusher) SetEpoch(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	setEpoch(f.w, t)
}

// EndConn passes the end of a connection on to the writer.
func (f *timedFlusher) EndConn(c *dissectors.Conn) {
	f.mu.Lock()
	defer f.mu.Unlock()
	endConn(f.w, c)
}

// Flush stops the background flushes and flushes what is left.
func (f *timedFlusher) Flush() error {
	if f.stop != nil {
		close(f.stop)
		<-f.done
		f.stop = nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	return f.w.Flush()
}
