package dissectors

import (
	"slices"

	"github.com/dissect-project/dissect/dissectors/library"
	"github.com/dissect-project/dissect/schema"
)

// HeuristicWindow is how many bytes of each direction of a TCP connection
// are buffered, at most, while its protocol is found by content. A first
// frame longer than this is judged by its schema's heuristic condition and
// its framing length alone.
const HeuristicWindow = 4096

// transports returns the transports of a dissector, for Info values that
// set only Transport.
func (i *Info) transports() []string {
	if len(i.Transports) > 0 {
		return i.Transports
	}
	return []string{i.Transport}
}

// RunsOver reports whether the dissector runs over a transport, "tcp" or
// "udp".
func (i *Info) RunsOver(transport string) bool {
	return slices.Contains(i.transports(), transport)
}

// Detector is a dissector that can recognise its protocol by content.
type Detector interface {
	Dissector
	// Detect judges data, the first bytes one side sent: as a client's
	// when response is false, as a server's otherwise. datagram says data
	// is a whole UDP datagram; otherwise it is the start of a TCP stream,
	// of which at most HeuristicWindow bytes will be offered.
	Detect(data []byte, response, datagram bool) schema.Verdict
}

// Detect applies the schema's heuristic. It allocates nothing once the
// dissector has served a few trials, and it changes no connection's state.
func (d *SchemaDissector) Detect(data []byte, response, datagram bool) schema.Verdict {
	p := d.Program
	if p.Heuristic == nil {
		return schema.VerdictNo
	}
	if len(p.State) > 0 {
		if d.trialState == nil {
			d.trialState = p.NewState()
		}
		d.trialState.Reset(p)
	}
	d.trialOpts = schema.DecodeOptions{Limits: d.Limits, State: d.trialState}
	window := HeuristicWindow
	if d.MaxFrame > 0 && d.MaxFrame < window {
		window = d.MaxFrame
	}
	return p.Detect(data, response, datagram, window, &d.trial, &d.trialOpts)
}

// Heuristics returns, in the order they are tried (by name), the
// dissectors of a transport that recognise their protocol by content. The
// slice is the registry's own: do not change it.
func (r *Registry) Heuristics(transport string) []Detector {
	if h, ok := r.heuristics[transport]; ok {
		return h
	}
	// The bundled candidates are compiled now, if no traffic used them
	// before; compiling clears the cache, which is made after.
	for _, e := range library.Index {
		if _, ok := r.pending[e.Name]; ok && e.Heuristic && slices.Contains(e.Transports, transport) {
			r.get(e.Name)
		}
	}
	if r.heuristics == nil {
		r.heuristics = map[string][]Detector{}
	}
	var out []Detector
	for _, d := range r.sorted() {
		if det, ok := d.(Detector); ok && d.Info().Heuristic && d.Info().RunsOver(transport) {
			out = append(out, det)
		}
	}
	r.heuristics[transport] = out
	return out
}
