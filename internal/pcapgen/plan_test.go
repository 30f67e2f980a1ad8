package pcapgen

import (
	"slices"
	"strings"
	"testing"
)

func TestPlans(t *testing.T) {
	tests := []struct {
		name string
		plan Plan
		n    int
		want []Piece
	}{
		{"whole", Whole(), 12, []Piece{{0, 12}}},
		{"split once", SplitAt(7), 12, []Piece{{0, 7}, {7, 12}}},
		{"split in header", SplitAt(2, 4, 6), 12, []Piece{{0, 2}, {2, 4}, {4, 6}, {6, 12}}},
		{"split ignores out of range", SplitAt(0, 5, 12, 20), 12, []Piece{{0, 5}, {5, 12}}},
		{"split ignores decreasing", SplitAt(5, 3, 8), 12, []Piece{{0, 5}, {5, 8}, {8, 12}}},
		{"chunks", Chunks(5), 12, []Piece{{0, 5}, {5, 10}, {10, 12}}},
		{"bytewise", Bytewise(), 3, []Piece{{0, 1}, {1, 2}, {2, 3}}},
		{"explicit", Explicit(Piece{5, 12}, Piece{0, 8}), 12, []Piece{{5, 12}, {0, 8}}},
		{"reorder", Reorder(SplitAt(4, 9), 0, 2, 1), 12, []Piece{{0, 4}, {9, 12}, {4, 9}}},
		{"retransmit", Retransmit(SplitAt(6), 0), 12, []Piece{{0, 6}, {6, 12}, {0, 6}}},
		{"retransmit after reorder", Retransmit(Reorder(Chunks(4), 2, 0, 1), 2), 12, []Piece{{8, 12}, {0, 4}, {4, 8}, {4, 8}}},
		{"then overlap", Then(SplitAt(6), Piece{3, 9}), 12, []Piece{{0, 6}, {6, 12}, {3, 9}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.plan.pieces(tt.n)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPlanErrors(t *testing.T) {
	tests := []struct {
		name string
		plan Plan
		n    int
		want string
	}{
		{"gap", Explicit(Piece{0, 4}, Piece{5, 12}), 12, "leave byte 4"},
		{"beyond the end", Explicit(Piece{0, 13}), 12, "outside"},
		{"negative", Explicit(Piece{-1, 12}), 12, "outside"},
		{"empty piece", Explicit(Piece{0, 12}, Piece{3, 3}), 12, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.plan.pieces(tt.n)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestEmptyBufferNeedsNoSegment(t *testing.T) {
	ps, err := Whole().pieces(0)
	if err != nil || len(ps) != 0 {
		t.Errorf("got %v, %v; want no piece", ps, err)
	}
}

func TestReorderPanicsOnBadPermutation(t *testing.T) {
	for _, order := range [][]int{{0, 0}, {0}, {0, 2}, {1, -1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Reorder(%v) did not panic", order)
				}
			}()
			Reorder(SplitAt(6), order...)(12)
		}()
	}
}
