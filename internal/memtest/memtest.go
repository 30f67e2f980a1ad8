// Package memtest helps tests that bound what code allocates: it measures
// the bytes a function allocates, and writes schemas that take memory
// exponential in their length when a compiler or an encoder expands them
// instead of sharing their parts.
package memtest

import (
	"fmt"
	"runtime"
	"strings"
)

// Allocated returns the bytes that f allocates, from the runtime's count of
// all allocations (what the garbage collector frees is still counted).
func Allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// NestedStructs returns the declarations of structures L0 to Llevels,
// each of the first levels holding fanOut members of the next
// (m0 L1; m1 L1; ...), the last a single u8, and of M, holding one L0: a
// message of fanOut^levels bytes from a few lines of schema.
func NestedStructs(levels, fanOut int) string {
	var src strings.Builder
	for l := range levels {
		fmt.Fprintf(&src, "struct L%d {", l)
		for i := range fanOut {
			fmt.Fprintf(&src, " m%d L%d;", i, l+1)
		}
		src.WriteString(" }\n")
	}
	fmt.Fprintf(&src, "struct L%d { x u8 }\nstruct M { a L0 }\n", levels)
	return src.String()
}
