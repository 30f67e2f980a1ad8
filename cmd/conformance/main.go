// Command conformance compares dissect with tshark, field by field, on the
// shared public captures (with their tshark JSON oracles) and on the
// project's generated captures (running tshark on them), and prints the
// result as Markdown tables.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/dissect-project/dissect/internal/conformance"
)

func main() {
	shared := flag.String("shared", conformance.SharedDir("."), "folder of shared captures with FILE.tshark.json oracles ($DISSECT_SHARED_PCAPS)")
	generated := flag.String("generated", "testdata/pcaps/*.pcap*", "glob of generated captures to compare with a fresh tshark run (\"\" to skip)")
	title := flag.String("title", "Generated captures (testdata/pcaps)", "heading of the tables of the -generated captures")
	flag.Parse()
	h, err := conformance.New()
	if err != nil {
		fmt.Fprintln(os.Stderr, "conformance:", err)
		os.Exit(2)
	}
	failed := false
	if _, err := os.Stat(*shared); err == nil {
		res, err := h.CheckShared(*shared)
		if err != nil {
			fmt.Fprintln(os.Stderr, "conformance:", err)
			os.Exit(1)
		}
		conformance.WriteTable(os.Stdout, "Shared public captures ("+filepath.Base(*shared)+")", res)
		failed = report(h, res) || failed
	} else {
		fmt.Fprintf(os.Stderr, "conformance: no shared captures at %s; skipped\n", *shared)
	}
	if *generated != "" {
		if _, err := exec.LookPath(h.Tshark); err != nil {
			fmt.Fprintln(os.Stderr, "conformance: tshark is not installed; generated captures skipped")
		} else {
			res, err := h.CheckGenerated(*generated)
			if err != nil {
				fmt.Fprintln(os.Stderr, "conformance:", err)
				os.Exit(1)
			}
			conformance.WriteTable(os.Stdout, *title, res)
			failed = report(h, res) || failed
		}
	}
	if failed {
		os.Exit(1)
	}
}

// report prints the problems that keep the results from the goal, and says
// whether there were any.
func report(h *conformance.Harness, res []*conformance.CaptureResult) bool {
	problems := h.Problems(res)
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, "conformance:", p)
	}
	return len(problems) > 0
}
