package schema

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// schemaGen writes random schemas of the kinds the plans handle: runs of
// scalars and bit fields, nested structures, switches on fields (plain,
// fused, nested), arrays and bytes counted by fields, expected values,
// conditions and pairing keys, in both byte orders.
type schemaGen struct {
	r       *rand.Rand
	structs []string
	n       int
	extra   bool // lets, asserts, arrays of structures, trimmed text, case ranges and names, parameters
	params  bool // a structure R(k) is used
	// kept: structures marked [value = summary], and members that
	// decode a structure written before at a fixed offset of their
	// region ([at = n]), so that one is decoded again where it was
	// decoded already (see keptDecode)
	kept bool
	// deep: at the top, a structure at a fixed offset, and the same
	// structure at that offset again from one to four levels deeper
	// (through structures, switches and arrays), before or after it, so
	// that a kept decode is copied deeper or shallower
	deep bool
	// args: switch cases that are a structure with an argument, R(tag)
	args bool
}

func (g *schemaGen) scalar() string {
	ts := []string{"u8", "u16", "u16le", "u24", "u32", "u32le", "s8", "s16", "s16le", "s32", "u64", "b1", "b3", "b4", "b5", "b8", "b12", "u8", "u8", "u16", "f32", "f64le", "bool", "s24le", "u40", "E"}
	return ts[g.r.IntN(len(ts))]
}

// fields writes the members of a structure; ints are the names of the
// unsigned integer members written so far (for tags and counts).
func (g *schemaGen) fields(depth int) string {
	var b strings.Builder
	var ints []string
	nf := 1 + g.r.IntN(6)
	for i := range nf {
		name := fmt.Sprintf("f%d", i)
		k := g.r.IntN(12)
		if g.extra && g.r.IntN(3) == 0 {
			k = 11
		}
		if g.kept && g.r.IntN(3) == 0 {
			k = 5
		}
		switch {
		case g.deep && depth == 0 && k == 5 && g.r.IntN(2) == 0:
			st := g.newStruct(1)
			at := g.r.IntN(3)
			w := g.wrapper(st, at, 1+g.r.IntN(4))
			if g.r.IntN(2) == 0 {
				fmt.Fprintf(&b, " %s %s [at = %d]; %sw %s", name, st, at, name, w)
			} else {
				fmt.Fprintf(&b, " %sw %s; %s %s [at = %d]", name, w, name, st, at)
			}
		case k < 5 || depth > 3:
			t := g.scalar()
			fmt.Fprintf(&b, " %s %s", name, t)
			if g.r.IntN(5) == 0 && !strings.HasPrefix(t, "s") {
				fmt.Fprintf(&b, " = %d", g.r.IntN(3))
			}
			if strings.HasPrefix(t, "u") || (strings.HasPrefix(t, "b") && t != "bool") || t == "E" {
				ints = append(ints, name)
			}
		case k == 5 && g.kept && len(g.structs) > 0 && g.r.IntN(3) == 0:
			fmt.Fprintf(&b, " %s S%d [at = %d]", name, g.r.IntN(len(g.structs)), g.r.IntN(3))
		case k == 5 && g.kept:
			// A structure, then the same bytes as it again: whole, in a
			// region cut short, or one byte on.
			st := g.newStruct(depth + 1)
			fmt.Fprintf(&b, " %s %s;", name, st)
			switch g.r.IntN(4) {
			case 0:
				fmt.Fprintf(&b, " %sc %s [at = offset(%s), size = %d]", name, st, name, 1+g.r.IntN(4))
			case 1:
				fmt.Fprintf(&b, " %sc %s [at = offset(%s) + 1]", name, st, name)
			default:
				fmt.Fprintf(&b, " %sc %s [at = offset(%s)]", name, st, name)
			}
		case k == 5:
			fmt.Fprintf(&b, " %s %s", name, g.newStruct(depth+1))
		case k == 6 && len(ints) > 0:
			tag := ints[g.r.IntN(len(ints))]
			fmt.Fprintf(&b, " %s %s", name, g.sw(tag, ints, depth))
		case k == 7 && len(ints) > 0:
			c := ints[g.r.IntN(len(ints))]
			el := []string{"u8", "u16", "u16le", "s8", "u32"}[g.r.IntN(5)]
			if g.r.IntN(3) == 0 {
				fmt.Fprintf(&b, " %s [%s - 1]%s", name, c, el)
			} else {
				fmt.Fprintf(&b, " %s [%s]%s", name, c, el)
			}
		case k == 8 && len(ints) > 0:
			c := ints[g.r.IntN(len(ints))]
			el := []string{"byte", "ascii", "utf8"}[g.r.IntN(3)]
			fmt.Fprintf(&b, " %s [%s]%s", name, c, el)
		case k == 9 && len(ints) > 0:
			c := ints[g.r.IntN(len(ints))]
			fmt.Fprintf(&b, " %s u8 [if = %s > 1]", name, c)
		case k == 10 && len(ints) > 0 && depth == 0:
			fmt.Fprintf(&b, " pair %s %s", []string{"request", "response"}[g.r.IntN(2)], ints[g.r.IntN(len(ints))])
		case k == 11 && g.extra && len(ints) > 0:
			c := ints[g.r.IntN(len(ints))]
			switch g.r.IntN(11) {
			case 0:
				fmt.Fprintf(&b, " let %s = %s + 1", name, c)
			case 1:
				fmt.Fprintf(&b, " assert %s < 3, \"big\"", c)
			case 2:
				fmt.Fprintf(&b, " %s [%s]%s", name, c, g.newStruct(depth+1))
			case 3:
				fmt.Fprintf(&b, " %s [%s]ascii [trim = nul]", name, c)
			case 4:
				fmt.Fprintf(&b, " %s switch %s { case 0..1: %s [ws = \"p.a%d\"]; case 2, 3: %s; case 5..9: u8 }", name, c, g.newStruct(depth+1), i, g.newStruct(depth+1))
			case 5:
				g.params = true
				fmt.Fprintf(&b, " %s R(%s)", name, c)
			case 6:
				// A tag that may be missing, a signed tag, sparse cases (no
				// jump table), and a pairing key in a member structure.
				fmt.Fprintf(&b, " %s u8 [if = %s != 1]; %sb switch %s { case 0: %s; case 3: %s; case 100000: u8 }", name, c, name, name, g.newStruct(depth+1), g.newStruct(depth+1))
			case 7:
				fmt.Fprintf(&b, " %s s8; %sb switch %s { case -1: %s; case 1: %s }", name, name, name, g.newStruct(depth+1), g.newStruct(depth+1))
			case 8:
				fmt.Fprintf(&b, " %s switch %s { case 1: %s; case 5000: u8; case 2: %s }", name, c, g.newStruct(depth+1), g.newStruct(depth+1))
			case 9:
				if depth == 0 {
					fmt.Fprintf(&b, " %s Q; pair response %s.y", name, name)
				} else {
					fmt.Fprintf(&b, " %s Q", name)
				}
				g.params = true
			default:
				fmt.Fprintf(&b, " %s u16 [if = %s == 0]", name, c)
			}
		default:
			fmt.Fprintf(&b, " %s %s", name, g.scalar())
		}
		b.WriteString(";")
	}
	return b.String()
}

func (g *schemaGen) sw(tag string, ints []string, depth int) string {
	var b strings.Builder
	if g.r.IntN(4) == 0 {
		tag += " & 3"
	}
	fmt.Fprintf(&b, "switch %s {", tag)
	nc := 1 + g.r.IntN(4)
	for c := range nc {
		fmt.Fprintf(&b, " case %d: %s;", c, g.caseType(ints, depth))
	}
	if g.r.IntN(2) == 0 {
		fmt.Fprintf(&b, " default: %s;", g.caseType(ints, depth))
	}
	b.WriteString(" }")
	return b.String()
}

func (g *schemaGen) caseType(ints []string, depth int) string {
	switch k := g.r.IntN(8); {
	case k == 0 && depth < 3:
		return g.sw(ints[g.r.IntN(len(ints))], ints, depth+1)
	case k == 1:
		return g.scalar()
	case k <= 3 && g.args:
		g.params = true
		r := []string{"R", "R2"}[g.r.IntN(2)]
		if g.r.IntN(3) == 0 {
			return fmt.Sprintf("%s(%s + 1)", r, ints[g.r.IntN(len(ints))])
		}
		return fmt.Sprintf("%s(%s)", r, ints[g.r.IntN(len(ints))])
	default:
		if len(g.structs) > 0 && g.r.IntN(3) == 0 {
			return fmt.Sprintf("S%d", g.r.IntN(len(g.structs)))
		}
		return g.newStruct(depth + 1)
	}
}

// wrapper returns a structure that holds, levels deep, a member st [at =
// at]: each level a structure, a switch or two, or an array of two.
func (g *schemaGen) wrapper(st string, at, levels int) string {
	var body string
	if levels <= 1 {
		body = fmt.Sprintf(" x u8; k %s [at = %d];", st, at)
	} else {
		inner := g.wrapper(st, at, levels-1)
		switch g.r.IntN(4) {
		case 0:
			body = fmt.Sprintf(" t u8; v switch t & 1 { case 0: %s; default: switch t & 2 { case 0: %s; default: u8 } };", inner, inner)
		case 1:
			body = fmt.Sprintf(" v [2]%s;", inner)
		case 2:
			body = fmt.Sprintf(" a b4; c b4; v %s;", inner)
		default:
			body = fmt.Sprintf(" v %s;", inner)
		}
	}
	name := fmt.Sprintf("S%d", len(g.structs))
	g.structs = append(g.structs, fmt.Sprintf("struct %s {%s }\n", name, body))
	return name
}

func (g *schemaGen) newStruct(depth int) string {
	body := g.fields(depth)
	name := fmt.Sprintf("S%d", len(g.structs))
	g.structs = append(g.structs, fmt.Sprintf("struct %s%s {%s }\n", name, g.summary(body), body))
	return name
}

var memberName = regexp.MustCompile(`(?:^|;) (f[0-9]+b?) ([A-Za-z0-9\[]+)`)

// summary returns a summary attribute for a structure of body, which
// shows some of its members, or nothing.
func (g *schemaGen) summary(body string) string {
	if g.r.IntN(4) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(` [summary = "`)
	for _, m := range memberName.FindAllStringSubmatch(body, -1) {
		if g.r.IntN(3) == 0 {
			continue
		}
		b.WriteString([]string{" ", "x=", `\"q\" `, "é:", ""}[g.r.IntN(5)])
		switch {
		case m[2] == "E" && g.r.IntN(2) == 0:
			fmt.Fprintf(&b, "{%s:label}", m[1])
		case m[2] == "Q" && g.r.IntN(2) == 0:
			fmt.Fprintf(&b, "{%s.y}", m[1])
		case g.r.IntN(3) == 0:
			fmt.Fprintf(&b, "{%s?}", m[1])
		default:
			fmt.Fprintf(&b, "{%s}", m[1])
		}
	}
	b.WriteString(`"`)
	if g.kept && g.r.IntN(4) != 0 {
		b.WriteString(`, value = summary`)
	}
	b.WriteString(`]`)
	return b.String()
}

func (g *schemaGen) schema() string {
	g.structs = nil
	m := g.fields(0)
	sum := g.summary(m)
	endian := "big"
	if g.r.IntN(3) == 0 {
		endian = "little"
	}
	if g.params {
		g.structs = append(g.structs, "struct R(k u8) { a u8; b u8 [if = k > 1]; c switch k { case 0: u8; case 1: Q; default: u16 }; d Q }\nstruct R2(k u8) { e [k & 7]u8; f [k & 3]byte; g switch k { case 0: u8; case 1: Q; default: u16 }; h switch k & 1 { case 0: u8; default: Q }; pair request k }\nstruct Q { x u8 = 1; y b4; z b4 }\n")
	}
	return fmt.Sprintf("protocol p { transport udp; endian %s; message M }\nenum E : u16 { a = 1 \"A\"; b = 2 \"B\" }\nstruct M%s {%s }\n%s", endian, sum, m, strings.Join(g.structs, ""))
}

// Random schemas decode the same with their plans and without, on random
// data under random limits.
func TestRandomSchemasAsGeneralPath(t *testing.T) {
	seeds := 1000
	if testing.Short() {
		seeds = 300
	}
	randomSchemasAsGeneralPath(t, seeds, 7, false)
}

// Random schemas whose switches choose structures with an argument (R(f),
// R(f + 1), f a field: a DNS label's TextLabel(length)) decode the same
// with their plans, which read those without evaluating the arguments as
// expressions, and without; R2's members are read by their plans too,
// from the argument (an array and bytes counted by it, switches on it).
func TestRandomSchemasArgsAsGeneralPath(t *testing.T) {
	seeds := 600
	if testing.Short() {
		seeds = 200
	}
	randomSchemasAsGeneralPath(t, seeds, 17, true)
}

// randomSchemasAsGeneralPath compiles seeds random schemas (drawn from
// the stream), with cases R(f) when args is set, and decodes random data
// with each, planned and not, under random limits: the frames and
// summaries must be the same.
func randomSchemasAsGeneralPath(t *testing.T, seeds int, stream uint64, args bool) {
	compiled, withExtra := 0, 0
	for seed := range seeds {
		g := &schemaGen{r: rand.New(rand.NewPCG(uint64(seed), stream)), extra: seed%2 == 1, args: args}
		src := g.schema()
		fast, errs := Compile("t.dsl", []byte(src))
		if fast == nil {
			if seed < 40 && g.extra {
				t.Logf("schema %d does not compile: %v\n%s", seed, errs, src)
			}
			continue
		}
		compiled++
		if (g.extra || args) && (strings.Contains(src, "R(") || strings.Contains(src, "R2(")) {
			withExtra++
		}
		general, _ := Compile("t.dsl", []byte(src))
		unplan(general)
		pp := &planPair{name: fmt.Sprintf("seed %d:\n%s", seed, src), fast: fast, general: general}
		r := g.r
		for range 200 {
			data := randomFrameBytes(r, r.IntN(40), 3)
			lim := randomLimits(r, 30, 5, 0)
			pp.compareFast(t, data, lim)
			checkSummaries(t, &pp.fastF, src)
		}
	}
	t.Logf("%d of %d schemas compiled, %d with parameters", compiled, seeds, withExtra)
	if compiled < seeds/4 || withExtra == 0 {
		t.Errorf("only %d of %d schemas compiled, %d with parameters", compiled, seeds, withExtra)
	}
}

// checkSummaries renders the summary of every structure node of f by its
// template's steps, with and without room to spare, and part by part, and
// fails when they differ or the steps call text plain that is not.
func checkSummaries(t *testing.T, f *Frame, src string) {
	t.Helper()
	for i := range f.Nodes {
		n := &f.Nodes[i]
		if n.Type.Kind != KindStruct || n.Type.Struct == nil || n.Type.Struct.Summary == nil || n.Type.Struct.Summary.steps == nil {
			continue
		}
		tm := n.Type.Struct.Summary
		steps, plain := f.appendSteps(nil, i, tm)
		roomy, _ := f.appendSteps(make([]byte, 1, 4096), i, tm)
		parts := f.appendTemplateParts(nil, i, tm)
		if !bytes.Equal(steps, parts) || !bytes.Equal(roomy[1:], parts) {
			t.Fatalf("node %d: the steps render %q (%q with room), the parts %q; data % x\n%s", i, steps, roomy[1:], parts, f.Data, src)
		}
		if plain && !isPlain(steps) {
			t.Fatalf("node %d: %q is not plain text\n%s", i, steps, src)
		}
	}
}

// Random schemas whose structures marked [value = summary] are decoded
// again where they were decoded already decode the same with the kept
// decodes copied and without, on random data under random limits: nodes,
// slots, parameter values, error and pairing.
func TestRandomSchemasKeptDecodes(t *testing.T) {
	seeds := 600
	if testing.Short() {
		seeds = 200
	}
	copied := 0
	compiled := eachRandomSchema(seeds, 11, schemaGen{kept: true}, func(seed int, prog *Program, src string, r *rand.Rand) {
		for range 100 {
			data := randomFrameBytes(r, r.IntN(40), 3)
			lim := randomLimits(r, 40, 6, 3)
			with, without, n := decodeBothWays(prog.Request, data, lim)
			if !reflect.DeepEqual(with, without) {
				t.Fatalf("seed %d, data % x, limits %+v: copied decodes give\n%s\ndecoding again gives\n%s\n%s", seed, data, lim, dumpState(with), dumpState(without), src)
			}
			copied += n
		}
	})
	t.Logf("%d of %d schemas compiled, %d decodes copied", compiled, seeds, copied)
	if compiled < seeds/4 || copied < seeds {
		t.Errorf("%d of %d schemas compiled, %d decodes copied: the test does not test", compiled, seeds, copied)
	}
}

// Random schemas whose structures are decoded again where they were
// decoded already, from one to four levels deeper or shallower, decode the
// same with the kept decodes copied and without, on random data under
// random limits: a copy is made at any depth where the first decode's
// depth tests all pass.
func TestRandomSchemasDeeperCopies(t *testing.T) {
	seeds := 400
	if testing.Short() {
		seeds = 150
	}
	deeper, shallower := 0, 0
	compiled := eachRandomSchema(seeds, 16, schemaGen{kept: true, deep: true}, func(seed int, prog *Program, src string, r *rand.Rand) {
		for range 20 {
			data := randomFrameBytes(r, 8+r.IntN(40), 3)
			// Every depth limit up to past the deepest: the copies at the
			// edge of the limit are the ones a wrong depth would change.
			for depth := range 13 {
				lim := Limits{MaxDepth: depth}
				var f Frame
				Decode(prog.Request, data, &f, lim)
				for _, c := range f.copies {
					switch d, ds := nodeLevel(&f, int(c.node)), nodeLevel(&f, int(c.source)); {
					case d > ds:
						deeper++
					case d < ds:
						shallower++
					}
				}
				with, without, _ := decodeBothWays(prog.Request, data, lim)
				if !reflect.DeepEqual(with, without) {
					t.Fatalf("seed %d, data % x, limits %+v: copied decodes give\n%s\ndecoding again gives\n%s\n%s", seed, data, lim, dumpState(with), dumpState(without), src)
				}
			}
		}
	})
	t.Logf("%d of %d schemas compiled, %d decodes copied deeper, %d shallower", compiled, seeds, deeper, shallower)
	if compiled < seeds/4 || deeper < seeds || shallower < seeds/4 {
		t.Errorf("%d of %d schemas compiled, %d decodes copied deeper, %d shallower: the test does not test", compiled, seeds, deeper, shallower)
	}
}

// eachRandomSchema draws seeds random schemas, seed by seed from the
// random stream, with the settings of like (extra for odd seeds), and
// calls fn with each that compiles, its source and the random source to
// go on drawing from; it returns how many compiled.
func eachRandomSchema(seeds int, stream uint64, like schemaGen, fn func(seed int, prog *Program, src string, r *rand.Rand)) int {
	compiled := 0
	for seed := range seeds {
		g := like
		g.r, g.extra = rand.New(rand.NewPCG(uint64(seed), stream)), seed%2 == 1
		src := g.schema()
		prog, _ := Compile("t.dsl", []byte(src))
		if prog == nil {
			continue
		}
		compiled++
		fn(seed, prog, src, g.r)
	}
	return compiled
}

// nodeLevel returns how many nodes of f hold node i.
func nodeLevel(f *Frame, i int) int {
	level := 0
	for j := 0; j < i; j++ {
		if int(f.Nodes[j].End) > i {
			level++
		}
	}
	return level
}

// randomLimits returns limits each left at its default or set at random:
// at most maxNodes nodes, maxDepth levels and (when maxHops is not 0)
// maxHops positioned reads, and up to 3 elements.
func randomLimits(r *rand.Rand, maxNodes, maxDepth, maxHops int) Limits {
	var lim Limits
	if r.IntN(2) == 0 {
		lim.MaxNodes = 1 + r.IntN(maxNodes)
	}
	if r.IntN(3) == 0 {
		lim.MaxDepth = 1 + r.IntN(maxDepth)
	}
	if maxHops > 0 && r.IntN(3) == 0 {
		lim.MaxHops = 1 + r.IntN(maxHops)
	}
	if r.IntN(4) == 0 {
		lim.MaxElements = r.IntN(4)
	}
	return lim
}
