package pipeline

import (
	"bufio"
	"io"
)

// maxIOV is the most slices one vectorWriter call is given: IOV_MAX on
// Linux.
const maxIOV = 1024

// vectorWriter writes a list of byte slices with one call, as the writev
// system call does: it returns how many bytes it wrote, from the start of
// the first slice, and why it stopped short, if it did. It may write less
// than all without an error.
type vectorWriter interface {
	writev(pieces [][]byte) (int, error)
}

// gatherWriter writes the output of a parallel run, round by round: the
// slices of the workers' batches, in event order. On a file (on Linux) it
// hands them to writev, up to maxIOV at a time, and so copies nothing;
// on any other writer, or once writev has failed, it writes them through
// a buffer, as bufio does.
type gatherWriter struct {
	w      io.Writer
	vec    vectorWriter // nil: write through bw
	bw     *bufio.Writer
	pieces [][]byte // the slices added since the last flush
}

// newGatherWriter returns a gatherWriter on w, which writes with vec when
// it is not nil.
func newGatherWriter(w io.Writer, vec vectorWriter) *gatherWriter {
	g := &gatherWriter{w: w, vec: vec}
	if vec == nil {
		g.bw = bufio.NewWriterSize(w, 256<<10)
	}
	return g
}

// add queues p to be written at the next flush; p must stay as it is until
// then.
func (g *gatherWriter) add(p []byte) {
	if len(p) > 0 {
		g.pieces = append(g.pieces, p)
	}
}

// flush writes the slices added since the last flush. With bufio's
// writer, the last bytes may stay buffered until end.
func (g *gatherWriter) flush() error {
	err := g.write(g.pieces)
	clear(g.pieces) // let the batches' buffers go
	g.pieces = g.pieces[:0]
	return err
}

// write writes pieces; it may change them.
func (g *gatherWriter) write(pieces [][]byte) error {
	if g.vec == nil {
		for _, p := range pieces {
			if _, err := g.bw.Write(p); err != nil {
				return err
			}
		}
		return nil
	}
	for len(pieces) > 0 {
		n, err := g.vec.writev(pieces[:min(len(pieces), maxIOV)])
		wrote := n > 0
		// Skip what was written: whole slices, then part of one.
		for len(pieces) > 0 && n >= len(pieces[0]) {
			n -= len(pieces[0])
			pieces = pieces[1:]
		}
		if len(pieces) > 0 && n > 0 {
			pieces[0] = pieces[0][n:]
		}
		if err != nil || (!wrote && len(pieces) > 0) {
			// The rest goes to the writer itself, so that an error is the
			// one it gives (an *os.PathError, and a broken pipe on
			// standard output ends the program, as os.File.Write does);
			// if it gives none, writev is not for this file.
			g.vec = nil
			g.bw = bufio.NewWriterSize(g.w, 256<<10)
			for _, p := range pieces {
				if _, err := g.w.Write(p); err != nil {
					return err
				}
			}
			return nil
		}
	}
	return nil
}

// end writes what is still buffered; it is called after the last flush.
func (g *gatherWriter) end() error {
	if g.bw != nil {
		return g.bw.Flush()
	}
	return nil
}
