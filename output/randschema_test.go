package output

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/schema"
)

// outGen writes random schemas with what the NDJSON flat plans write or
// leave: plain integers of every width and sign, enums (named values and
// not, flags), hidden members, Wireshark names, formats, checksums, nested
// structures, switches, arrays and text.
type outGen struct {
	r       *rand.Rand
	structs []string
	n       int
}

func (g *outGen) scalar() string {
	ts := []string{"u8", "u16", "u16le", "u24", "u32", "u64", "s8", "s16", "s32le", "s64", "b1", "b3", "b4", "b7", "E8", "E16", "F8", "u8", "u16"}
	return ts[g.r.IntN(len(ts))]
}

func (g *outGen) attrs(t string) string {
	var as []string
	if g.r.IntN(4) == 0 {
		g.n++
		as = append(as, fmt.Sprintf(`ws = "p.w%d"`, g.n))
	}
	if g.r.IntN(12) == 0 {
		as = append(as, "hidden")
	}
	if t == "u32" && g.r.IntN(4) == 0 {
		as = append(as, "format = ipv4")
	}
	if t == "u16" && g.r.IntN(6) == 0 {
		as = append(as, "checksum = internet(0, 2)")
	}
	if len(as) == 0 {
		return ""
	}
	return " [" + strings.Join(as, ", ") + "]"
}

func (g *outGen) fields(depth int) string {
	var b strings.Builder
	var ints []string
	for i := range 1 + g.r.IntN(6) {
		name := fmt.Sprintf("f%d", i)
		switch k := g.r.IntN(11); {
		case k < 5 || depth > 3:
			t := g.scalar()
			fmt.Fprintf(&b, " %s %s%s", name, t, g.attrs(t))
			if t[0] == 'u' || t[0] == 'b' {
				ints = append(ints, name)
			}
		case k == 5:
			fmt.Fprintf(&b, " %s %s%s", name, g.newStruct(depth+1), g.attrs("S"))
		case k == 6 && len(ints) > 0:
			tag := ints[g.r.IntN(len(ints))]
			fmt.Fprintf(&b, " %s switch %s {", name, tag)
			for c := range 1 + g.r.IntN(3) {
				t := g.newStruct(depth + 1)
				if g.r.IntN(3) == 0 {
					t = g.scalar()
				}
				ws := ""
				if g.r.IntN(3) == 0 {
					g.n++
					ws = fmt.Sprintf(` [ws = "p.c%d"]`, g.n)
				}
				fmt.Fprintf(&b, " case %d: %s%s;", c, t, ws)
			}
			if g.r.IntN(2) == 0 {
				fmt.Fprintf(&b, " default: %s;", g.newStruct(depth+1))
			}
			b.WriteString(" }")
		case k == 7 && len(ints) > 0:
			el := []string{"u8", "u16", "s8", "E8", "u64"}[g.r.IntN(5)]
			fmt.Fprintf(&b, " %s [%s]%s", name, ints[g.r.IntN(len(ints))], el)
		case k == 8 && len(ints) > 0:
			el := []string{"byte", "ascii", "utf8"}[g.r.IntN(3)]
			fmt.Fprintf(&b, " %s [%s]%s", name, ints[g.r.IntN(len(ints))], el)
		case k == 9 && len(ints) > 0:
			fmt.Fprintf(&b, " %s u8 [if = %s > 1]", name, ints[g.r.IntN(len(ints))])
		default:
			fmt.Fprintf(&b, " %s %s = %d", name, "u8", g.r.IntN(2))
		}
		b.WriteString(";")
	}
	return b.String()
}

func (g *outGen) newStruct(depth int) string {
	body := g.fields(depth)
	name := fmt.Sprintf("S%d", len(g.structs))
	g.structs = append(g.structs, fmt.Sprintf("struct %s {%s }\n", name, body))
	return name
}

func (g *outGen) schema() string {
	g.structs = nil
	m := g.fields(0)
	return "protocol p { transport udp; wireshark \"p\"; message M }\n" +
		"enum E8 : u8 { a = 0 \"A\"; b = 1 \"B \\\"q\\\"\"; c = 2 \"C\"; z = 200 \"Z\" }\n" +
		"enum E16 : u16 { x = 1 \"X\"; y = 300 \"Y\" }\n" +
		"flags F8 : u8 { lo = 0x01 \"Low\"; hi = 0x80 \"High\" }\n" +
		"struct M {" + m + " }\n" + strings.Join(g.structs, "")
}

// On random schemas and data, the NDJSON writer (its flat plans and
// caches) writes what AppendRecordJSONWith writes, record after record.
func TestRandomSchemasNDJSON(t *testing.T) {
	seeds := 1500
	if testing.Short() {
		seeds = 200
	}
	compiled := 0
	for seed := range seeds {
		g := &outGen{r: rand.New(rand.NewPCG(uint64(seed), 11))}
		src := g.schema()
		p, errs := schema.Compile("t.dsl", []byte(src))
		if p == nil {
			if seed < 3 && p == nil {
				t.Logf("schema %d: %v\n%s", seed, errs, src)
			}
			continue
		}
		compiled++
		d := dissectors.NewSchemaDissector(p, "t.dsl")
		for _, opts := range []JSONOptions{{}, {WiresharkNames: true}} {
			var out bytes.Buffer
			w := NewNDJSONWith(&out, opts)
			var want []byte
			frames := make([]schema.Frame, 40)
			for i := range frames {
				data := make([]byte, g.r.IntN(48))
				for k := range data {
					data[k] = byte(g.r.IntN(4))
					if g.r.IntN(3) == 0 {
						data[k] = byte(g.r.IntN(256))
					}
				}
				lim := schema.Limits{}
				if g.r.IntN(3) == 0 {
					lim.MaxNodes = 1 + g.r.IntN(20)
				}
				f := &frames[i]
				schema.Decode(p.Request, data, f, lim)
				r := &dissectors.Record{
					Kind: dissectors.KindFrame, Protocol: d.Info(), Conn: &testConn, Dir: dissectors.ClientToServer,
					Time: t0, FirstPacket: uint64(i + 1), LastPacket: uint64(i + 1), Length: len(data), Data: data, Frame: f,
				}
				if err := w.Emit(r); err != nil {
					t.Fatal(err)
				}
				want = append(AppendRecordJSONWith(want, r, opts), '\n')
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				got := bytes.Split(out.Bytes(), []byte("\n"))
				exp := bytes.Split(want, []byte("\n"))
				for i := range min(len(got), len(exp)) {
					if !bytes.Equal(got[i], exp[i]) {
						t.Fatalf("seed %d, %+v, record %d: the writer wrote\n%s\nwant\n%s\nschema:\n%s", seed, opts, i, got[i], exp[i], src)
					}
				}
				t.Fatalf("seed %d: outputs differ in length", seed)
			}
		}
	}
	t.Logf("%d of %d schemas compiled", compiled, seeds)
	if compiled < seeds/4 {
		t.Errorf("only %d of %d schemas compiled", compiled, seeds)
	}
}
