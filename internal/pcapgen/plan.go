package pcapgen

import (
	"fmt"
	"slices"
)

// Piece is one TCP segment of a Plan: the bytes [Off, End) of the buffer
// being sent.
type Piece struct {
	Off, End int
}

// Len returns the number of bytes in the piece.
func (p Piece) Len() int { return p.End - p.Off }

// A Plan decides how a buffer of n bytes is sent: it returns the segments to
// emit, in emission order. Pieces may be emitted out of order, repeated
// (exact retransmission) or overlap earlier pieces (partial retransmission),
// but together they must cover every byte of the buffer, and none may be
// empty or reach outside it.
type Plan func(n int) []Piece

// Whole sends the buffer as one segment.
func Whole() Plan {
	return func(n int) []Piece { return []Piece{{0, n}} }
}

// SplitAt cuts the buffer at the given offsets, which must be increasing;
// offsets outside (0, n) are ignored.
func SplitAt(offsets ...int) Plan {
	return func(n int) []Piece {
		var ps []Piece
		start := 0
		for _, o := range offsets {
			if o <= start || o >= n {
				continue
			}
			ps = append(ps, Piece{start, o})
			start = o
		}
		return append(ps, Piece{start, n})
	}
}

// Chunks cuts the buffer into segments of size bytes; the last one may be
// shorter.
func Chunks(size int) Plan {
	if size <= 0 {
		panic(fmt.Sprintf("pcapgen: Chunks(%d): size must be positive", size))
	}
	return func(n int) []Piece {
		var ps []Piece
		for off := 0; off < n; off += size {
			ps = append(ps, Piece{off, min(off+size, n)})
		}
		return ps
	}
}

// Bytewise sends the buffer one byte per segment.
func Bytewise() Plan { return Chunks(1) }

// Explicit sends exactly the given pieces, in the given order.
func Explicit(pieces ...Piece) Plan {
	return func(int) []Piece { return slices.Clone(pieces) }
}

// Reorder emits the pieces of p in the given order: order[i] is the index,
// in p's output, of the i-th piece to emit. order must be a permutation of
// p's piece indexes.
func Reorder(p Plan, order ...int) Plan {
	return func(n int) []Piece {
		ps := p(n)
		if len(order) != len(ps) {
			panic(fmt.Sprintf("pcapgen: Reorder: %d indexes for %d pieces", len(order), len(ps)))
		}
		seen := make([]bool, len(ps))
		out := make([]Piece, 0, len(ps))
		for _, i := range order {
			if i < 0 || i >= len(ps) || seen[i] {
				panic(fmt.Sprintf("pcapgen: Reorder: %v is not a permutation of %d pieces", order, len(ps)))
			}
			seen[i] = true
			out = append(out, ps[i])
		}
		return out
	}
}

// Retransmit emits the pieces of p, then emits again, exactly, the pieces
// whose indexes (in p's output) are given.
func Retransmit(p Plan, idx ...int) Plan {
	return func(n int) []Piece {
		ps := p(n)
		out := slices.Clone(ps)
		for _, i := range idx {
			if i < 0 || i >= len(ps) {
				panic(fmt.Sprintf("pcapgen: Retransmit: no piece %d among %d", i, len(ps)))
			}
			out = append(out, ps[i])
		}
		return out
	}
}

// Then emits the pieces of p followed by the extra pieces, typically
// retransmissions that partially overlap pieces of p.
func Then(p Plan, extra ...Piece) Plan {
	return func(n int) []Piece {
		return append(p(n), extra...)
	}
}

// pieces runs plan for a buffer of n bytes and checks its output. An empty
// buffer needs no segment.
func (p Plan) pieces(n int) ([]Piece, error) {
	if n == 0 {
		return nil, nil
	}
	ps := p(n)
	covered := make([]bool, n)
	for _, x := range ps {
		if x.Off < 0 || x.End > n || x.Off >= x.End {
			return nil, fmt.Errorf("piece %v outside a buffer of %d bytes or empty", x, n)
		}
		for i := x.Off; i < x.End; i++ {
			covered[i] = true
		}
	}
	if i := slices.Index(covered, false); i >= 0 {
		return nil, fmt.Errorf("pieces %v leave byte %d of %d unsent", ps, i, n)
	}
	return ps, nil
}
