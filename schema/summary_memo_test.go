package schema

import (
	"encoding/binary"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dissect-project/dissect/internal/pcapgen"
)

// dnsMessage builds a DNS message: a header with the counts of questions
// and answers, then the questions' and the answers' bytes as given.
func dnsMessage(flags uint16, questions, answers [][]byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, 0x1234)
	b = binary.BigEndian.AppendUint16(b, flags)
	for _, n := range []int{len(questions), len(answers), 0, 0} {
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	}
	for _, q := range questions {
		b = append(b, q...)
	}
	for _, a := range answers {
		b = append(b, a...)
	}
	return b
}

// dnsLabels writes a name's labels, then a pointer to ptr (ptr >= 0) or
// the root label.
func dnsLabels(ptr int, labels ...string) []byte { return pcapgen.AppendDNSName(nil, ptr, labels...) }

// dnsQuestion is a question for name, of type A, class IN.
func dnsQuestion(name []byte) []byte { return append(name, 0, 1, 0, 1) }

// dnsAnswer is a record of name, of type rtype, class IN, with rdata.
func dnsAnswer(name []byte, rtype uint16, rdata []byte) []byte {
	b := binary.BigEndian.AppendUint16(name, rtype)
	b = append(b, 0, 1, 0, 0, 0x0e, 0x10)
	b = binary.BigEndian.AppendUint16(b, uint16(len(rdata)))
	return append(b, rdata...)
}

// summaryMessages are DNS messages whose names repeat: the question's
// name decoded again for the summary line and as each answer's
// compression target, pointers to a suffix of a name, names of the same
// layout at other offsets, more names than the memo keeps, escapes, the
// root, and pointers that loop.
func summaryMessages() [][]byte {
	www := dnsLabels(-1, "www", "example", "com")
	msgs := [][]byte{
		dnsMessage(0x0100, [][]byte{dnsQuestion(www)}, nil),
		dnsMessage(0x8180, [][]byte{dnsQuestion(www)}, [][]byte{
			dnsAnswer(dnsLabels(12), 5, dnsLabels(16, "cdn")), // CNAME cdn.example.com
			dnsAnswer(dnsLabels(16), 1, []byte{192, 0, 2, 1}), // example.com A
			dnsAnswer(dnsLabels(-1, "www", "example", "org"), 1, []byte{192, 0, 2, 2}),
			dnsAnswer(dnsLabels(-1, "abc", "example", "com"), 1, []byte{192, 0, 2, 3}),
		}),
		dnsMessage(0x0100, [][]byte{dnsQuestion(dnsLabels(-1, `a"b\c`, "d\te")), dnsQuestion(dnsLabels(12))}, nil),
		dnsMessage(0x0100, [][]byte{dnsQuestion(dnsLabels(-1))}, nil),      // the root
		dnsMessage(0x0100, [][]byte{dnsQuestion(dnsLabels(12, "x"))}, nil), // a pointer to itself
		// The question's name ends in a pointer to an answer's name:
		// each decode of it follows a pointer.
		dnsMessage(0x8180, [][]byte{dnsQuestion(dnsLabels(22, "www"))}, [][]byte{
			dnsAnswer(dnsLabels(-1, "example", "com"), 1, []byte{192, 0, 2, 4}),
		}),
	}
	var many [][]byte
	for i := range maxMemos + 8 {
		if i%2 == 0 {
			many = append(many, dnsAnswer(dnsLabels(12), 1, []byte{10, 0, 0, byte(i)}))
		} else {
			many = append(many, dnsAnswer(dnsLabels(-1, "n"+strings.Repeat("x", i)), 1, []byte{10, 0, 1, byte(i)}))
		}
	}
	msgs = append(msgs, dnsMessage(0x8180, [][]byte{dnsQuestion(www)}, many))
	return msgs
}

// withMutations returns msgs, each followed by n pairs of copies of it
// with one to three bytes changed: cut short at random, and whole.
func withMutations(msgs [][]byte, rng *rand.Rand, n int) [][]byte {
	var inputs [][]byte
	for _, m := range msgs {
		inputs = append(inputs, m)
		for range n {
			c := append([]byte(nil), m...)
			for range 1 + rng.IntN(3) {
				c[rng.IntN(len(c))] = byte(rng.IntN(256))
			}
			inputs = append(inputs, c[:rng.IntN(len(c)+1)], c)
		}
	}
	return inputs
}

// Every structure node renders the same summary from the frame's memo as
// it does rendered on its own, in any order, on whole messages and on
// messages mutated or cut short (frames that failed part way).
func TestSummaryMemoSameAsRendering(t *testing.T) {
	p := compileFile(t, "../dissectors/library/dns.dsl")
	inputs := withMutations(summaryMessages(), rand.New(rand.NewPCG(15, 1)), 40)
	var f Frame
	hits, failed := 0, 0
	for _, data := range inputs {
		Decode(p.Request, data, &f, Limits{})
		if f.Err != nil {
			failed++
		}
		// What each node shows rendered on its own.
		want := make([]string, len(f.Nodes))
		for i := range f.Nodes {
			f.clearMemo()
			want[i] = display(&f, i)
		}
		f.clearMemo()
		wantSummary := string(f.AppendSummary(nil))
		// With the memo kept, forwards, backwards, then the summary.
		f.clearMemo()
		for pass := range 2 {
			for k := range f.Nodes {
				i := k
				if pass == 1 {
					i = len(f.Nodes) - 1 - k
				}
				if got := display(&f, i); got != want[i] {
					t.Fatalf("% x: node %d (%s): %q from the memo, %q rendered", data, i, f.Nodes[i].Type.Name, got, want[i])
				}
			}
		}
		if got := string(f.AppendSummary(nil)); got != wantSummary {
			t.Fatalf("% x: summary %q from the memo, %q rendered", data, got, wantSummary)
		}
		if len(f.memo) > maxMemos || len(f.memoText) > maxMemoText {
			t.Fatalf("memo of %d entries, %d bytes", len(f.memo), len(f.memoText))
		}
		for k := range f.memo {
			for i := range f.Nodes {
				if int(f.memo[k].node) != i && f.sameSubtree(int(f.memo[k].node), i) {
					hits++
				}
			}
		}
	}
	if hits == 0 || failed == 0 {
		t.Errorf("%d nodes the same as a kept one, %d frames that failed: the test does not test", hits, failed)
	}
}

// The question's name, decoded again for the summary line, is rendered
// once: its second node is the same as the first. Names of the same
// layout with other bytes, and a name whose pointer leads there, are not
// the same; a frame decoded again forgets what it kept.
func TestSummaryMemoKeepsNames(t *testing.T) {
	p := compileFile(t, "../dissectors/library/dns.dsl")
	var f Frame
	resp := dnsMessage(0x8180, [][]byte{dnsQuestion(dnsLabels(-1, "example", "com"))}, [][]byte{
		dnsAnswer(dnsLabels(12), 1, []byte{192, 0, 2, 1}),
	})
	Decode(p.Request, resp, &f, Limits{})
	if f.Err != nil {
		t.Fatal(f.Err)
	}
	q, _ := lookup(t, &f, "questions.0.name")
	again, _ := lookup(t, &f, "question.name")
	answer, _ := lookup(t, &f, "answers.0.name")
	if got := display(&f, q); got != "example.com" || len(f.memo) != 1 {
		t.Fatalf("%q, %d kept", got, len(f.memo))
	}
	if got := display(&f, again); got != "example.com" || len(f.memo) != 1 {
		t.Fatalf("the question's name again: %q, %d kept, want it from the memo", got, len(f.memo))
	}
	// The answer's name is a pointer: a name of its own, whose target is
	// the question's name again.
	if got := display(&f, answer); got != "example.com" || len(f.memo) != 2 {
		t.Fatalf("the answer's name: %q, %d kept", got, len(f.memo))
	}
	if f.sameSubtree(q, answer) {
		t.Error("a pointer is the same as the name it points to")
	}

	// Another message of the same layout: nothing kept from the last.
	org := append([]byte(nil), resp...)
	copy(org[12+9:], "org")
	Decode(p.Request, org, &f, Limits{})
	if got := display(&f, again); got != "example.org" {
		t.Fatalf("after decoding again: %q", got)
	}
	// Nodes changed without a Reset are not taken for the ones kept.
	f.Nodes = append(f.Nodes, Node{})
	if got := display(&f, q); got != "example.org" || len(f.memo) != 1 {
		t.Fatalf("after the nodes changed: %q, %d kept", got, len(f.memo))
	}
}

// Rendering a name from the memo allocates nothing once the frame's
// buffers have grown.
func TestSummaryMemoAllocatesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts")
	}
	p := compileFile(t, "../dissectors/library/dns.dsl")
	var f Frame
	data := summaryMessages()[1]
	var buf []byte
	render := func() {
		Decode(p.Request, data, &f, Limits{})
		buf = f.AppendSummary(buf[:0])
		for i := range f.Nodes {
			buf = f.AppendDisplay(buf[:0], i)
		}
	}
	render()
	if n := testing.AllocsPerRun(50, render); n != 0 {
		t.Errorf("%v allocations per frame", n)
	}
}

// A frame copied by value, and a frame whose bytes were replaced or whose
// nodes changed without a Reset, render what they hold, not what the
// frame rendered before.
func TestSummaryMemoCopiesAndChanges(t *testing.T) {
	p := compileFile(t, "../dissectors/library/dns.dsl")
	msg := func(qname, aname string) []byte {
		return dnsMessage(0x8180, [][]byte{dnsQuestion(dnsLabels(-1, qname, "com"))},
			[][]byte{dnsAnswer(dnsLabels(-1, aname, "org"), 1, []byte{192, 0, 2, 1})})
	}
	var f Frame
	// Grown by a message of many names first, the memo's arrays have
	// room that a copy would share.
	Decode(p.Request, summaryMessages()[len(summaryMessages())-1], &f, Limits{})
	for i := range f.Nodes {
		display(&f, i)
	}
	Decode(p.Request, msg("cccccccccccc", "dd"), &f, Limits{})
	q, _ := lookup(t, &f, "questions.0.name")
	a, _ := lookup(t, &f, "answers.0.name")
	want := func(fr *Frame, i int, text string) {
		t.Helper()
		if got := display(fr, i); got != text {
			t.Fatalf("node %d: %q, want %q", i, got, text)
		}
	}
	want(&f, q, "cccccccccccc.com")
	// A copy and the original each keep their own from then on: the
	// copy, given other bytes of the same layout, renders them, and the
	// original still its own.
	g := f
	want(&f, a, "dd.org")
	want(&g, q, "cccccccccccc.com")
	g.Data = msg("gggggggggggg", "hh")
	want(&g, q, "gggggggggggg.com")
	want(&g, a, "hh.org")
	want(&f, q, "cccccccccccc.com")
	want(&f, a, "dd.org")
	// Other bytes of the same layout, in another buffer.
	f.Data = msg("eeeeeeeeeeee", "ff")
	want(&f, q, "eeeeeeeeeeee.com")
	want(&f, a, "ff.org")
	// A node changed, and one more.
	f.Nodes = append(f.Nodes, Node{})
	c, _ := lookup(t, &f, "questions.0.name.labels.0.value.text")
	f.Nodes[c].Bits = 3
	want(&f, q, "eee.com")
}
