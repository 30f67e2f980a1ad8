package schema

import (
	"math"
	"testing"
)

// The jump table of a switch chooses what the scan of its cases in order
// chooses, for every tag in and around the span of the cases.
func TestSwitchTable(t *testing.T) {
	a, b, c, def := &Type{Name: "a"}, &Type{Name: "b"}, &Type{Name: "c"}, &Type{Name: "def"}
	tests := []struct {
		name  string
		cases []SwitchCase
		def   *Type
		table bool
	}{
		{"dense", []SwitchCase{{Lo: 1, Hi: 1, Type: a}, {Lo: 2, Hi: 4, Type: b}, {Lo: 16, Hi: 16, Type: c}}, def, true},
		{"overlap, first wins", []SwitchCase{{Lo: 3, Hi: 10, Type: a}, {Lo: 0, Hi: 5, Type: b}, {Lo: 5, Hi: 5, Type: c}}, nil, true},
		{"negative", []SwitchCase{{Lo: -3, Hi: -1, Type: a}, {Lo: 0, Hi: 0, Type: b}}, def, true},
		{"top of int64", []SwitchCase{{Lo: math.MaxInt64 - 2, Hi: math.MaxInt64, Type: a}}, def, true},
		{"bottom of int64", []SwitchCase{{Lo: math.MinInt64, Hi: math.MinInt64 + 1, Type: a}}, def, true},
		{"too wide", []SwitchCase{{Lo: 0, Hi: 0, Type: a}, {Lo: 1 << 20, Hi: 1 << 20, Type: b}}, def, false},
		{"whole range", []SwitchCase{{Lo: math.MinInt64, Hi: math.MaxInt64, Type: a}}, def, false},
		{"no case", nil, def, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scan := &Switch{Cases: tt.cases, Default: tt.def}
			sw := &Switch{Cases: tt.cases, Default: tt.def}
			sw.buildTable()
			if (sw.table != nil) != tt.table {
				t.Fatalf("table built: %v, want %v", sw.table != nil, tt.table)
			}
			var tags []int64
			for _, cs := range tt.cases {
				for _, v := range []int64{cs.Lo, cs.Hi} {
					for d := int64(-2); d <= 2; d++ {
						if (d < 0 && v >= math.MinInt64-d) || (d >= 0 && v <= math.MaxInt64-d) {
							tags = append(tags, v+d)
						}
					}
				}
			}
			tags = append(tags, 0, math.MinInt64, math.MaxInt64)
			for _, tag := range tags {
				gotT, _ := sw.match(tag)
				wantT, _ := scan.match(tag)
				if gotT != wantT {
					t.Errorf("tag %d: table chose %v, scan %v", tag, gotT, wantT)
				}
			}
		})
	}
}
