package dissectors

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/dissect-project/dissect/dissectors/library"
	"github.com/dissect-project/dissect/schema"
)

// Registry knows every dissector and chooses one for each conversation: by
// a --decode-as rule first, then by well-known port, and failing both by
// content, with the dissectors that have a heuristic (see Heuristics).
//
// The bundled schemas are registered from their index (library.Index) and
// compiled on first use, so that a run compiles only the protocols its
// traffic needs: compiling the whole library costs about as much CPU as
// decoding a hundred thousand packets. Each gets the limits the registry
// had when LoadBundled registered it. Schemas loaded from files are
// compiled at once, so that their errors are reported before any traffic
// is read.
// A registry is used from one goroutine.
type Registry struct {
	byName   map[string]Dissector // the compiled dissectors
	order    []Dissector
	pending  map[string]pendingSchema // bundled protocols not compiled yet, by name
	ports    map[portKey]string       // well-known ports: the protocol's name
	decodeAs map[portKey]string       // --decode-as rules win over ports
	Limits   schema.Limits            // applied to schema dissectors loaded from now on
	MaxFrame int                      // caps every framing's max frame size, for schema dissectors loaded from now on; 0: no cap
	Buffers  *BufferLimits            // shared by the schema dissectors loaded from now on; nil: no limit but the framing's max
	// heuristics caches Heuristics by transport; Register clears it.
	heuristics map[string][]Detector
	lateErrs   []error // bundled schemas that failed to compile on first use
}

// pendingSchema is a bundled protocol registered but not compiled yet,
// with the limits the registry had when it was registered: compiled later,
// it gets them, as if it had been compiled then.
type pendingSchema struct {
	entry    library.Entry
	limits   schema.Limits
	maxFrame int
	buffers  *BufferLimits
}

type portKey struct {
	transport string
	port      uint16
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{
		byName:   map[string]Dissector{},
		pending:  map[string]pendingSchema{},
		ports:    map[portKey]string{},
		decodeAs: map[portKey]string{},
	}
}

// Register adds a dissector and binds its ports. A dissector with the name
// of one already registered replaces it, so a user's schema can override a
// bundled one.
func (r *Registry) Register(d Dissector) {
	info := d.Info()
	r.unbind(info.Name)
	r.add(d)
	r.bind(info.Name, info.transports(), info.Ports)
}

// unbind forgets the dissector called name, compiled or not, and the
// ports bound to it.
func (r *Registry) unbind(name string) {
	if old, ok := r.byName[name]; ok {
		for i, o := range r.order {
			if o == old {
				r.order = append(r.order[:i], r.order[i+1:]...)
				break
			}
		}
		delete(r.byName, name)
	}
	delete(r.pending, name)
	for k, v := range r.ports {
		if v == name {
			delete(r.ports, k)
		}
	}
	r.heuristics = nil
}

// add makes a compiled dissector known by its name, binding no port.
func (r *Registry) add(d Dissector) {
	r.byName[d.Info().Name] = d
	r.order = append(r.order, d)
	r.heuristics = nil
}

// bind binds ports on each transport to the protocol called name; a port
// bound before goes to it.
func (r *Registry) bind(name string, transports []string, ports []uint16) {
	for _, t := range transports {
		for _, p := range ports {
			r.ports[portKey{t, p}] = name
		}
	}
}

// get returns the dissector called name, compiling it first when it is a
// bundled protocol not used so far; nil when there is none (or when its
// schema failed to compile, which Err reports).
func (r *Registry) get(name string) Dissector {
	if d, ok := r.byName[name]; ok {
		return d
	}
	p, ok := r.pending[name]
	if !ok {
		return nil
	}
	delete(r.pending, name)
	sd, err := compileBundled(p)
	if err != nil {
		r.lateErrs = append(r.lateErrs, err)
		return nil
	}
	// Known by name before its layers are linked, so that protocols that
	// hand bytes to each other link without compiling each other again.
	r.add(sd)
	if err := r.link(sd); err != nil {
		r.lateErrs = append(r.lateErrs, err)
	}
	return sd
}

// compileAll compiles every bundled protocol not compiled yet.
func (r *Registry) compileAll() {
	names := make([]string, 0, len(r.pending))
	for name := range r.pending {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		r.get(name)
	}
}

// Err reports the bundled schemas that failed to compile when first used
// (none does in a tested build: TestBundledIndex compiles them all).
func (r *Registry) Err() error { return errors.Join(r.lateErrs...) }

// ByName returns the dissector with the given name.
func (r *Registry) ByName(name string) (Dissector, bool) {
	d := r.get(name)
	return d, d != nil
}

// List returns every dissector, sorted by name; it compiles every bundled
// schema not compiled so far.
func (r *Registry) List() []Dissector {
	r.compileAll()
	return r.sorted()
}

// sorted returns the compiled dissectors, sorted by name.
func (r *Registry) sorted() []Dissector {
	out := append([]Dissector(nil), r.order...)
	sort.Slice(out, func(i, j int) bool { return out[i].Info().Name < out[j].Info().Name })
	return out
}

// Lookup chooses the dissector for a conversation between two ports. It
// returns the dissector and whether the server is the side with port b
// (the usual case: b is the responder's port).
func (r *Registry) Lookup(transport string, a, b uint16) (d Dissector, serverIsB bool) {
	for _, table := range [2]map[portKey]string{r.decodeAs, r.ports} {
		if name, ok := table[portKey{transport, b}]; ok {
			if d := r.get(name); d != nil {
				return d, true
			}
		}
		if name, ok := table[portKey{transport, a}]; ok {
			if d := r.get(name); d != nil {
				return d, false
			}
		}
	}
	return nil, false
}

// DecodeAs adds a rule in tshark's form, TRANSPORT.port==PORT[-PORT]:NAME
// (a comma may stand for the colon), that makes traffic on those ports
// decode with the named dissector.
func (r *Registry) DecodeAs(rule string) error {
	sel, name, ok := strings.Cut(rule, ":")
	if !ok {
		sel, name, ok = strings.Cut(rule, ",")
	}
	if !ok {
		return fmt.Errorf("--decode-as %q: expected TRANSPORT.port==PORT:PROTOCOL, for example tcp.port==1502:modbus", rule)
	}
	field, value, ok := strings.Cut(sel, "==")
	if !ok {
		return fmt.Errorf("--decode-as %q: expected TRANSPORT.port==PORT before the colon", rule)
	}
	transport := strings.TrimSuffix(strings.TrimSpace(field), ".port")
	if transport != "tcp" && transport != "udp" {
		return fmt.Errorf("--decode-as %q: unknown selector %q; expected tcp.port or udp.port", rule, strings.TrimSpace(field))
	}
	lo, hi, err := parsePortRange(strings.TrimSpace(value))
	if err != nil {
		return fmt.Errorf("--decode-as %q: %v", rule, err)
	}
	name = strings.TrimSpace(name)
	d := r.get(name)
	if d == nil {
		return fmt.Errorf("--decode-as %q: no dissector named %q (see `dissect list`)", rule, name)
	}
	if !d.Info().RunsOver(transport) {
		return fmt.Errorf("--decode-as %q: %s runs over %s, not %s", rule, name, strings.Join(d.Info().transports(), " and "), transport)
	}
	for p := lo; ; p++ {
		r.decodeAs[portKey{transport, uint16(p)}] = name
		if p == hi {
			break
		}
	}
	return nil
}

func parsePortRange(s string) (int, int, error) {
	a, b, isRange := strings.Cut(s, "-")
	lo, err := parsePort(a)
	if err != nil {
		return 0, 0, err
	}
	hi := lo
	if isRange {
		if hi, err = parsePort(b); err != nil {
			return 0, 0, err
		}
	}
	if lo > hi {
		return 0, 0, fmt.Errorf("port range %s is empty", s)
	}
	return lo, hi, nil
}

func parsePort(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("port %q is not a number from 1 to 65535", s)
	}
	return n, nil
}

// LoadBundled registers every schema embedded in the binary, from its
// index: each is compiled, and linked to the protocols it hands bytes to,
// when it is first used.
func (r *Registry) LoadBundled() error {
	for _, e := range library.Index {
		r.unbind(e.Name)
		r.pending[e.Name] = pendingSchema{entry: e, limits: r.Limits, maxFrame: r.MaxFrame, buffers: r.Buffers}
		r.bind(e.Name, e.Transports, e.Ports)
	}
	return nil
}

// compileBundled compiles a bundled schema registered by LoadBundled.
func compileBundled(p pendingSchema) (*SchemaDissector, error) {
	e := p.entry
	text, err := fs.ReadFile(library.FS, e.File)
	if err != nil {
		return nil, fmt.Errorf("bundled schema %s: %w", e.File, unwrapPathError(err))
	}
	prog, errs := schema.CompileWith("library/"+e.File, text, library.Load)
	if prog == nil {
		return nil, errs.Errors()
	}
	return newSchemaDissector(prog, "bundled", p.limits, p.maxFrame, p.buffers), nil
}

// newSchemaDissector wraps a compiled schema with its limits.
func newSchemaDissector(prog *schema.Program, origin string, lim schema.Limits, maxFrame int, buffers *BufferLimits) *SchemaDissector {
	d := NewSchemaDissector(prog, origin)
	d.Limits = lim
	d.MaxFrame = maxFrame
	d.Buffers = buffers
	return d
}

// Link resolves every [decode = "name"] layer of the compiled schema
// dissectors to the named protocol, compiling bundled ones as needed. Call
// it after loading the schema files.
func (r *Registry) Link() error {
	var errs []error
	for _, d := range append([]Dissector(nil), r.order...) {
		if sd, ok := d.(*SchemaDissector); ok {
			errs = append(errs, r.link(sd))
		}
	}
	return errors.Join(errs...)
}

// link resolves the layers of one schema dissector.
func (r *Registry) link(sd *SchemaDissector) error {
	var errs []error
	sd.streams = make([]*SchemaDissector, len(sd.Program.Layers))
	for i, l := range sd.Program.Layers {
		target, ok := r.get(l.Name).(*SchemaDissector)
		if !ok {
			errs = append(errs, fmt.Errorf("%s: field %s hands its bytes to protocol %q, which is not loaded (see dissect list)", sd.Program.File, l.Field.Name, l.Name))
			continue
		}
		l.Program = target.Program
		if l.Join != nil {
			sd.streams[i] = target
			continue
		}
		if l.Stream {
			if target.Program.Framing == nil {
				errs = append(errs, fmt.Errorf("%s: field %s streams its bytes to protocol %q, which has no framing block to find its messages", sd.Program.File, l.Field.Name, l.Name))
				continue
			}
			sd.streams[i] = target
		}
	}
	return errors.Join(errs...)
}

// LoadPath compiles and registers a schema file, or every *.dsl file in a
// folder and its subfolders that declares a protocol (the others are
// libraries of types, for import). It reports the errors of every file at
// once. Call Link after the last load.
func (r *Registry) LoadPath(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("schema %s: %w", path, unwrapPathError(err))
	}
	if !st.IsDir() {
		text, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("schema %s: %w", path, unwrapPathError(err))
		}
		return r.compile(path, path, text, osLoader)
	}
	return r.loadDir(path)
}

func osLoader(name string) ([]byte, error) { return os.ReadFile(filepath.FromSlash(name)) }

// loadDir compiles and registers every protocol schema in a folder and its
// subfolders.
func (r *Registry) loadDir(dir string) error {
	var errs []error
	found := false
	fsys := os.DirFS(dir)
	err := fs.WalkDir(fsys, ".", func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if de.IsDir() || !strings.HasSuffix(p, ".dsl") {
			return nil
		}
		found = true
		text, err := fs.ReadFile(fsys, p)
		if err != nil {
			errs = append(errs, fmt.Errorf("schema %s: %w", p, unwrapPathError(err)))
			return nil
		}
		if !schema.DeclaresProtocol(text) {
			return nil // a library of types, for import
		}
		name := filepath.Join(dir, p)
		if err := r.compile(name, name, text, osLoader); err != nil {
			errs = append(errs, err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("schema folder %s: %w", dir, unwrapPathError(err))
	}
	if !found {
		return fmt.Errorf("schema folder %s: no .dsl files in it", dir)
	}
	return errors.Join(errs...)
}

// compile compiles one schema: name is its path in messages, origin what
// Info.Source says, and load reads its imports.
func (r *Registry) compile(name, origin string, text []byte, load schema.LoadFunc) error {
	prog, errs := schema.CompileWith(name, text, load)
	if prog == nil {
		return errs.Errors()
	}
	r.Register(newSchemaDissector(prog, origin, r.Limits, r.MaxFrame, r.Buffers))
	return nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
