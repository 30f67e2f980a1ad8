// Package conformance compares dissect with tshark, field by field: it
// decodes a capture with the bundled library (protocols chosen by port, as
// the CLI does), reads tshark's JSON for the same capture, matches our PDUs
// to tshark's by frame number and order within the frame, and compares
// every field a schema maps to a Wireshark name with ws=.
//
// Which of our protocols answers to which tshark layer, and which fields
// are compared, is read from the schemas, so a new schema with ws= names
// is compared as soon as it is bundled.
package conformance

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dissect-project/dissect/capture"
	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/pipeline"
)

// CaptureResult is the comparison of one capture.
type CaptureResult struct {
	File   string // base name of the capture
	Oracle string // where tshark's view came from: a file name, or "tshark -T json"
	Layers []*LayerResult
	Err    error // the capture or its oracle could not be read
}

// Harness compares captures with tshark using one registry.
type Harness struct {
	Registry *dissectors.Registry
	Mapping  *Mapping
	Known    []KnownCase
	// Tshark is the tshark binary, for captures without an oracle file.
	Tshark string
}

// New returns a harness for the bundled library, with the known cases
// where tshark is wrong.
func New() (*Harness, error) {
	reg := dissectors.NewRegistry()
	if err := reg.LoadBundled(); err != nil {
		return nil, err
	}
	return &Harness{Registry: reg, Mapping: NewMapping(reg), Known: KnownTsharkWrong, Tshark: "tshark"}, nil
}

// Decode runs dissect over a capture and returns its PDUs.
func (h *Harness) Decode(path string) ([]*Unit, error) {
	src, err := capture.Open(path)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	c := newCollector(h.Mapping)
	_, err = pipeline.Run(src, pipeline.Config{Registry: h.Registry, Sink: c})
	return c.units, err
}

// Check compares a capture with an oracle (and, when not nil, the oracle
// made with out-of-order reassembly, for its PDU count).
func (h *Harness) Check(path string, oracle, ooo *Oracle, oracleName string) *CaptureResult {
	res := &CaptureResult{File: filepath.Base(path), Oracle: oracleName}
	units, err := h.Decode(path)
	if err != nil {
		var te *capture.TruncatedError
		if !errors.As(err, &te) {
			res.Err = err
			return res
		}
	}
	res.Layers = compare(res.File, units, oracle, ooo, h.Mapping)
	for _, l := range res.Layers {
		for i := range l.Disagreements {
			l.Disagreements[i].Known = h.known(&l.Disagreements[i])
		}
		for i := range l.Extra {
			l.Extra[i].Known = h.known(&l.Extra[i])
		}
	}
	return res
}

func (h *Harness) known(d *Disagreement) *KnownCase {
	for i := range h.Known {
		if k := &h.Known[i]; k.matches(d) {
			return k
		}
	}
	return nil
}

// SharedDir is where the shared captures are: $DISSECT_SHARED_PCAPS, or
// ../shared/pcaps from the repository root (../../shared/pcaps for a git
// worktree kept one folder further down).
func SharedDir(repoRoot string) string {
	if d := os.Getenv("DISSECT_SHARED_PCAPS"); d != "" {
		return d
	}
	near := filepath.Join(repoRoot, "..", "shared", "pcaps")
	if _, err := os.Stat(near); err != nil {
		if far := filepath.Join(repoRoot, "..", "..", "shared", "pcaps"); dirExists(far) {
			return far
		}
	}
	return near
}

func dirExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// CheckShared compares every capture of dir that has a FILE.tshark.json
// oracle, whose frames are numbered by dir/PDU-INDEX.tsv.
func (h *Harness) CheckShared(dir string) ([]*CaptureResult, error) {
	index, err := ReadPDUIndex(filepath.Join(dir, "PDU-INDEX.tsv"))
	if err != nil {
		return nil, err
	}
	oracles, err := filepath.Glob(filepath.Join(dir, "*.tshark.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(oracles)
	var out []*CaptureResult
	for _, of := range oracles {
		path := strings.TrimSuffix(of, ".tshark.json")
		name := filepath.Base(path)
		o, err := ReadOracle(of, index[name])
		if err != nil {
			out = append(out, &CaptureResult{File: name, Err: err})
			continue
		}
		var ooo *Oracle
		if _, err := os.Stat(path + ".tshark.ooo.json"); err == nil {
			// Its elements do not line up with PDU-INDEX (made with
			// default preferences): only its PDU count is used.
			if ooo, err = ReadOracle(path+".tshark.ooo.json", nil); err != nil {
				out = append(out, &CaptureResult{File: name, Err: err})
				continue
			}
		}
		out = append(out, h.Check(path, o, ooo, filepath.Base(of)))
	}
	return out, nil
}

// CheckGenerated compares the project's own captures matching pattern
// (such as testdata/pcaps/*.pcap), with an oracle made by running tshark on
// each.
func (h *Harness) CheckGenerated(pattern string) ([]*CaptureResult, error) {
	files, err := filepath.Glob(pattern)
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []*CaptureResult
	for _, path := range files {
		o, err := h.RunTshark(path)
		if err != nil {
			out = append(out, &CaptureResult{File: filepath.Base(path), Err: err})
			continue
		}
		out = append(out, h.Check(path, o, nil, "tshark -T json"))
	}
	return out, nil
}

// RunTshark makes an oracle by running tshark -T json on a capture, with
// default preferences.
func (h *Harness) RunTshark(path string) (*Oracle, error) {
	var stderr bytes.Buffer
	cmd := exec.Command(h.Tshark, append([]string{"-n", "-r", path, "-T", "json"}, decodeAsArgs(path)...)...)
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	// tshark exits with an error on a truncated capture, after writing
	// every packet before the cut: keep those.
	o, err := ParseOracle(bytes.NewReader(out), nil)
	if err != nil {
		if runErr != nil {
			return nil, fmt.Errorf("tshark -r %s: %v: %s", path, runErr, strings.TrimSpace(stderr.String()))
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return o, nil
}

// Problems lists what keeps the results from the goal: a capture that
// could not be compared, a disagreement that is not listed, and fewer PDUs
// than tshark found without a listed reason.
func (h *Harness) Problems(results []*CaptureResult) []string {
	var out []string
	for _, c := range results {
		if c.Err != nil {
			out = append(out, fmt.Sprintf("%s: %v", c.File, c.Err))
			continue
		}
		for _, l := range c.Layers {
			for _, d := range l.Disagreements {
				if d.Known == nil {
					field := d.Field
					if field == "" {
						field = "(PDU)"
					}
					out = append(out, fmt.Sprintf("%s packet %d, %s: dissect %q, tshark %q", d.File, d.Packet, field, d.Ours, d.Theirs))
				}
			}
			if l.OurPDUs < l.TsharkPDUs && h.known(&Disagreement{File: c.File, Layer: l.Layer}) == nil {
				out = append(out, fmt.Sprintf("%s, %s: dissect finds %d PDUs, tshark %d", c.File, l.Layer, l.OurPDUs, l.TsharkPDUs))
			}
		}
	}
	return append(out, h.stale(results)...)
}

// stale lists the known cases about one of the captures compared that no
// longer happen: once fixed, a case leaves the list.
func (h *Harness) stale(results []*CaptureResult) []string {
	used := map[*KnownCase]bool{}
	files := map[string]bool{}
	for _, c := range results {
		files[c.File] = true
		for _, l := range c.Layers {
			for _, list := range [][]Disagreement{l.Disagreements, l.Extra} {
				for _, d := range list {
					used[d.Known] = true
				}
			}
		}
	}
	var out []string
	for i := range h.Known {
		k := &h.Known[i]
		if k.File != "" && files[k.File] && !used[k] {
			out = append(out, fmt.Sprintf("known case no longer seen, remove it from known.go: %s %s %s: %s", k.File, k.Layer, k.Field, k.Why))
		}
	}
	return out
}
