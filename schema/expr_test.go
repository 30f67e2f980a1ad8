package schema

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// A field of the last array element compared or combined with a constant
// (until last.length == 0) is one node, opLastConst, evaluated without its
// operands: it gives what the tree of the same expression gives (written
// 0 + last.x, which is not fused), on random bytes: for elements that
// hold the field, that do not (it has a condition), whose field is a
// parameter's slot, and for an array whose elements are switches of
// several structures.
func TestLastConstAsTree(t *testing.T) {
	conds := []string{
		"last.a == 0", "last.a != 3", "last.a < 2", "last.a >= 200", "last.a & 1", "last.a - 5",
		"last.b == 1", "last.b > 4", "last.k == 2", "last.e.v == 0",
	}
	const types = `
struct E(k u8) { a u8; b u8 [if = a > 4]; e V }
struct V { v u8 }
`
	r := rand.New(rand.NewPCG(16, 1))
	fused := 0
	for _, cond := range conds {
		field := strings.TrimPrefix(strings.Fields(cond)[0], "last.")
		tree := strings.Replace(cond, "last."+field, "0 + last."+field, 1)
		compile := func(c string) *Program {
			t.Helper()
			src := udp + "struct M { n u8; items [until " + c + "]E(n) }\n" + types
			prog, errs := Compile("l.dsl", []byte(src))
			if prog == nil || len(errs.Errors()) != 0 {
				t.Fatalf("%s: %v", c, errs)
			}
			return prog
		}
		fast, slow := compile(cond), compile(tree)
		if until := fast.Request.Fields[1].Type.Len; until.op == opLastConst {
			fused++
		} else if cond != "last.e.v == 0" {
			t.Errorf("%s: not one node", cond)
		}
		for range 300 {
			data := randomFrameBytes(r, r.IntN(24), 6)
			var f, g Frame
			Decode(fast.Request, data, &f, Limits{})
			Decode(slow.Request, data, &g, Limits{})
			a, b := stateOf(&f), stateOf(&g)
			if a.err != b.err {
				t.Fatalf("%s, % x: error %q, the tree's %q", cond, data, a.err, b.err)
			}
			if !reflect.DeepEqual(nodeValues(&f), nodeValues(&g)) {
				t.Fatalf("%s, % x: fused\n%s\nthe tree\n%s", cond, data, dumpState(stateOf(&f)), dumpState(stateOf(&g)))
			}
		}
	}
	if fused < len(conds)-1 {
		t.Errorf("%d of %d conditions fused", fused, len(conds))
	}
}

// nodeValues lists each node's offset, length and value: what decoding
// gave, whatever the expressions that made it.
func nodeValues(f *Frame) [][3]int64 {
	var v [][3]int64
	for _, n := range f.Nodes {
		v = append(v, [3]int64{int64(n.Offset), int64(n.Len), int64(n.Bits)})
	}
	return v
}
