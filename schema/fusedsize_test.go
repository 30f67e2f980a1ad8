package schema

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// A compiled program takes memory in proportion to its schema's size: a
// run of plain reads followed by a switch of many plain structures must
// not copy a long run into a fused code for every case, which made the
// memory and time of compiling grow as the run's length times the number
// of cases (a 32 KB schema compiled to 34 MB; a 294 KB one took 1.5 GB
// and 49 s to check). Runs longer than maxFusedOps are not fused, and a
// short run before many small cases takes a bounded amount per case.
func TestFusedStepsCompileMemory(t *testing.T) {
	tests := []struct {
		run, cases int
	}{
		{1000, 64},
		{2000, 256},
		{maxFusedOps - 8, 4000}, // fused: the run short enough, many small cases
	}
	for _, tt := range tests {
		var src strings.Builder
		src.WriteString(udp + "struct M {")
		for i := range tt.run {
			fmt.Fprintf(&src, " f%d u8;", i)
		}
		src.WriteString(" t u16; b switch t {")
		for i := range tt.cases {
			fmt.Fprintf(&src, " case %d: P%d;", i, i)
		}
		src.WriteString(" } }\n")
		for i := range tt.cases {
			fmt.Fprintf(&src, "struct P%d { a u8 = %d; b u16; c u32 }\n", i, i%256)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		p := mustCompile(t, src.String())
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(p)
		// What the program keeps.
		size := src.Len()
		kept := int64(after.HeapAlloc) - int64(before.HeapAlloc)
		if kept > int64(200*size) {
			t.Errorf("run of %d, %d cases: the program of a schema of %d KB keeps %d MB", tt.run, tt.cases, size>>10, kept>>20)
		}
		t.Logf("run of %d, %d cases: schema %d KB, program %d KB, %d MB allocated", tt.run, tt.cases, size>>10,
			kept>>10, (after.TotalAlloc-before.TotalAlloc)>>20)
	}
}
