package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-isatty"
)

// progressInterval is how often the progress bar is redrawn.
const progressInterval = 250 * time.Millisecond

// progress draws a one-line progress bar on a terminal while a file is read:
// bytes read of the file's size, packets/s, MB/s and the time left. It is
// erased before the summary.
type progress struct {
	w     io.Writer
	now   func() time.Time
	total int64 // file size in bytes

	bytes   atomic.Int64  // bytes of the file read, updated by the reader
	packets atomic.Uint64 // packets read, updated by the reader

	start time.Time
	width int // of the line drawn last, to erase it
	stop  chan struct{}
	wg    sync.WaitGroup
}

// showProgress reports whether a progress bar may be drawn on stderr: only
// when it is a terminal, and stdout is not (records written between two
// redraws would be mixed with the bar).
func showProgress(stdout, stderr io.Writer) bool {
	return isTerminal(stderr) && !isTerminal(stdout)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

func newProgress(w io.Writer, total int64, now func() time.Time) *progress {
	return &progress{w: w, now: now, total: total, start: now()}
}

// run redraws the bar every progressInterval until finish.
func (p *progress) run() {
	p.stop = make(chan struct{})
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(progressInterval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.draw()
			case <-p.stop:
				return
			}
		}
	}()
}

// finish stops redrawing and erases the bar.
func (p *progress) finish() {
	if p.stop != nil {
		close(p.stop)
		p.wg.Wait()
		p.stop = nil
	}
	if p.width > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
		p.width = 0
	}
}

// draw writes the current line over the previous one.
func (p *progress) draw() {
	line := p.render(p.now())
	pad := ""
	if n := p.width - len(line); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	fmt.Fprintf(p.w, "\r%s%s", line, pad)
	p.width = len(line)
}

// render formats the bar at time now, e.g.
// "[#######.............]  35%  42.0/120.0 MB  51234 pkt/s  21.0 MB/s  0:04 left".
func (p *progress) render(now time.Time) string {
	const barWidth = 20
	done, packets := p.bytes.Load(), p.packets.Load()
	frac := 0.0
	if p.total > 0 {
		frac = min(float64(done)/float64(p.total), 1)
	}
	filled := int(frac * barWidth)
	bar := strings.Repeat("#", filled) + strings.Repeat(".", barWidth-filled)
	line := fmt.Sprintf("[%s] %3d%%  %.1f/%.1f MB", bar, int(frac*100), mb(done), mb(p.total))
	elapsed := now.Sub(p.start).Seconds()
	if elapsed <= 0 || done == 0 {
		return line
	}
	rate := float64(done) / elapsed
	line += fmt.Sprintf("  %.0f pkt/s  %.1f MB/s", float64(packets)/elapsed, mb(int64(rate)))
	left := time.Duration(float64(max(p.total-done, 0)) / rate * float64(time.Second))
	return line + "  " + clock(left) + " left"
}

// mb converts bytes to megabytes (10^6, as MB/s is usually meant).
func mb(n int64) float64 { return float64(n) / 1e6 }

// clock formats d as m:ss, or h:mm:ss from an hour.
func clock(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// countingFile counts the bytes read from a capture file, for the progress
// bar, which reads the count from another goroutine.
type countingFile struct {
	f *os.File
	n *atomic.Int64
}

func (c countingFile) Read(b []byte) (int, error) {
	n, err := c.f.Read(b)
	c.n.Add(int64(n))
	return n, err
}
