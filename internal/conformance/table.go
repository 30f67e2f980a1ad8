package conformance

import (
	"fmt"
	"io"
	"strings"
)

// Totals sums the results of one layer over several captures.
type Totals struct {
	Layer                                        string
	Captures                                     int
	Mapped                                       int // fields mapped to Wireshark names
	TsharkPDUs, OurPDUs, Compared, Fields, Agree int
	Unknown                                      int // disagreements not listed
	Known                                        int // where tshark is wrong
	Repr                                         int // the same bytes shown another way
	// Excused counts the field disagreements where tshark is wrong or
	// shows the same bytes another way.
	Excused   int
	Open      int      // ours, listed as still open
	FewerPDUs []string // captures where we found fewer PDUs than tshark
}

// Summarise totals the results by layer.
func Summarise(results []*CaptureResult) []*Totals {
	by := map[string]*Totals{}
	for _, c := range results {
		for _, l := range c.Layers {
			t := by[l.Layer]
			if t == nil {
				t = &Totals{Layer: l.Layer}
				by[l.Layer] = t
			}
			t.Captures++
			t.Mapped = l.Mapped
			t.TsharkPDUs += l.TsharkPDUs
			t.OurPDUs += l.OurPDUs
			t.Compared += l.Compared
			t.Fields += l.Fields
			t.Agree += l.Agree
			for _, d := range l.Disagreements {
				if d.Known != nil && !d.Known.Open && d.Field != "" {
					t.Excused++
				}
				if d.Known != nil && d.Known.Open {
					t.Open++
				} else if d.Known != nil && d.Known.Repr {
					t.Repr++
				} else if d.Known != nil {
					t.Known++
				} else {
					t.Unknown++
				}
			}
			if l.OurPDUs < l.TsharkPDUs {
				t.FewerPDUs = append(t.FewerPDUs, c.File)
			}
		}
	}
	out := make([]*Totals, 0, len(by))
	for _, k := range sortedKeys(by) {
		out = append(out, by[k])
	}
	return out
}

func pct(agree, fields int) string {
	if fields == 0 {
		return "–"
	}
	if agree == fields {
		return "100%"
	}
	return fmt.Sprintf("%.2f%%", 100*float64(agree)/float64(fields))
}

// WriteTable writes the results as Markdown: totals per tshark layer, then
// per capture, then every disagreement, the known cases last.
func WriteTable(w io.Writer, title string, results []*CaptureResult) {
	fmt.Fprintf(w, "### %s: by protocol\n\n", title)
	fmt.Fprintln(w, "| tshark layer | mapped fields | captures | PDUs tshark / dissect | PDUs compared | fields compared | agreement | agreement where tshark is right | disagreements: tshark wrong / representation / ours open / unlisted |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, t := range Summarise(results) {
		fmt.Fprintf(w, "| %s | %d | %d | %d / %d | %d | %d | %s | %s | %d / %d / %d / %d |\n", t.Layer, t.Mapped, t.Captures, t.TsharkPDUs, t.OurPDUs,
			t.Compared, t.Fields, pct(t.Agree, t.Fields), pct(t.Agree, t.Fields-t.Excused), t.Known, t.Repr, t.Open, t.Unknown)
	}
	if unseen := neverSeen(results); len(unseen) > 0 {
		fmt.Fprintf(w, "\nMapped fields we decoded in compared PDUs that tshark never showed there (a wrong ws name, or a field tshark shows only in some cases):\n\n")
		for _, layer := range sortedKeys(unseen) {
			fmt.Fprintf(w, "- %s: %s\n", layer, strings.Join(unseen[layer], ", "))
		}
	}
	fmt.Fprintf(w, "\n### %s: by capture\n\n", title)
	fmt.Fprintln(w, "| capture | layer | our protocols | PDUs tshark / dissect | PDUs compared | fields compared | agreement |")
	fmt.Fprintln(w, "|---|---|---|---:|---:|---:|---:|")
	for _, c := range results {
		if c.Err != nil {
			fmt.Fprintf(w, "| %s | | | error: %s | | | |\n", c.File, oneLine(c.Err.Error()))
			continue
		}
		for _, l := range c.Layers {
			their := fmt.Sprint(l.TsharkPDUs)
			if l.TsharkOOOPDUs >= 0 {
				their += fmt.Sprintf(" (%d with out-of-order reassembly)", l.TsharkOOOPDUs)
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s / %d | %d | %d | %s |\n", c.File, l.Layer, strings.Join(l.Protocols, ", "),
				their, l.OurPDUs, l.Compared, l.Fields, pct(l.Agree, l.Fields))
		}
	}
	var unknown, known, repr, open []Disagreement
	for _, c := range results {
		for _, l := range c.Layers {
			for _, d := range l.Disagreements {
				switch {
				case d.Known == nil:
					unknown = append(unknown, d)
				case d.Known.Open:
					open = append(open, d)
				case d.Known.Repr:
					repr = append(repr, d)
				default:
					known = append(known, d)
				}
			}
		}
	}
	var extra, extraKnown []Disagreement
	for _, c := range results {
		for _, l := range c.Layers {
			for _, d := range l.Extra {
				if d.Known != nil {
					extraKnown = append(extraKnown, d)
				} else {
					extra = append(extra, d)
				}
			}
		}
	}
	fmt.Fprintf(w, "\n### %s: unlisted disagreements\n\n", title)
	if len(unknown) == 0 {
		fmt.Fprintln(w, "None.")
	} else {
		writeGroups(w, unknown, false)
	}
	for _, part := range []struct {
		title string
		list  []Disagreement
	}{{"where tshark is wrong", known}, {"the same bytes shown another way", repr}, {"ours, still open", open},
		{"PDUs only dissect finds, explained", extraKnown}} {
		if len(part.list) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n### %s: %s (%d)\n\n", title, part.title, len(part.list))
		writeGroups(w, part.list, true)
	}
	if len(extra) > 0 {
		fmt.Fprintf(w, "\n### %s: PDUs only dissect finds, not yet explained (%d)\n\n", title, len(extra))
		writeGroups(w, extra, false)
	}
	fmt.Fprintln(w)
}

// writeGroups writes disagreements as a table, one row per capture, field
// and reason, with the packets it happens in and the first example.
func writeGroups(w io.Writer, list []Disagreement, why bool) {
	type key struct {
		file, field string
		known       *KnownCase
	}
	var order []key
	groups := map[key][]Disagreement{}
	for _, d := range list {
		field := d.Field
		if field == "" {
			field = "(PDU)"
		}
		k := key{d.File, field, d.Known}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], d)
	}
	if why {
		fmt.Fprintln(w, "| capture | field | packets | dissect (first) | tshark (first) | why |")
		fmt.Fprintln(w, "|---|---|---|---|---|---|")
	} else {
		fmt.Fprintln(w, "| capture | field | packets | dissect (first) | tshark (first) |")
		fmt.Fprintln(w, "|---|---|---|---|---|")
	}
	for _, k := range order {
		g := groups[k]
		var pkts []string
		for i, d := range g {
			if i == 6 {
				pkts = append(pkts, fmt.Sprintf("… (%d)", len(g)))
				break
			}
			pkts = append(pkts, fmt.Sprint(d.Packet))
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |", k.file, k.field, strings.Join(pkts, ", "), cell(g[0].Ours), cell(g[0].Theirs))
		if why {
			text := oneLine(k.known.Why)
			if k.known.Source != "" {
				text += " Evidence: " + oneLine(k.known.Source)
			}
			fmt.Fprintf(w, " %s |", strings.ReplaceAll(text, "|", "\\|"))
		}
		fmt.Fprintln(w)
	}
}

// cell shortens a value for a table cell.
func cell(s string) string {
	s = oneLine(s)
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return "`" + strings.ReplaceAll(s, "|", "\\|") + "`"
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// neverSeen lists, by layer, the fields we decoded in compared PDUs that
// tshark showed in none of them, with how many PDUs had them.
func neverSeen(results []*CaptureResult) map[string][]string {
	seen := map[string]map[string]bool{}
	count := map[string]map[string]int{}
	for _, c := range results {
		for _, l := range c.Layers {
			if seen[l.Layer] == nil {
				seen[l.Layer], count[l.Layer] = map[string]bool{}, map[string]int{}
			}
			for f := range l.Seen {
				seen[l.Layer][f] = true
			}
			for f, n := range l.Unseen {
				count[l.Layer][f] += n
			}
		}
	}
	out := map[string][]string{}
	for layer, fs := range count {
		for _, f := range sortedKeys(fs) {
			if !seen[layer][f] {
				out[layer] = append(out[layer], fmt.Sprintf("%s (%d)", f, fs[f]))
			}
		}
	}
	return out
}
