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
	"github.com/dissect-project/dissect/schema/syntax"
)

// Registry knows every dissector and chooses one for each conversation: by
// a --decode-as rule first, then by well-known port, and failing both by
// content, with the dissectors that have a heuristic (see Heuristics).
type Registry struct {
	byName   map[string]Dissector
	order    []Dissector
	ports    map[portKey]Dissector // well-known ports
	decodeAs map[portKey]Dissector // --decode-as rules win over ports
	Limits   schema.Limits         // applied to schema dissectors loaded from now on
	MaxFrame int                   // caps every framing's max frame size, for schema dissectors loaded from now on; 0: no cap
	Buffers  *BufferLimits         // shared by the schema dissectors loaded from now on; nil: no limit but the framing's max
	// heuristics caches Heuristics by transport; Register clears it.
	heuristics map[string][]Detector
}

type portKey struct {
	transport string
	port      uint16
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{
		byName:   map[string]Dissector{},
		ports:    map[portKey]Dissector{},
		decodeAs: map[portKey]Dissector{},
	}
}

// Register adds a dissector and binds its ports. A dissector with the name
// of one already registered replaces it, so a user's schema can override a
// bundled one.
func (r *Registry) Register(d Dissector) {
	info := d.Info()
	if old, ok := r.byName[info.Name]; ok {
		for i, o := range r.order {
			if o == old {
				r.order = append(r.order[:i], r.order[i+1:]...)
				break
			}
		}
		for k, v := range r.ports {
			if v == old {
				delete(r.ports, k)
			}
		}
	}
	r.byName[info.Name] = d
	r.order = append(r.order, d)
	r.heuristics = nil
	for _, t := range info.transports() {
		for _, p := range info.Ports {
			r.ports[portKey{t, p}] = d
		}
	}
}

// ByName returns the dissector with the given name.
func (r *Registry) ByName(name string) (Dissector, bool) {
	d, ok := r.byName[name]
	return d, ok
}

// List returns every dissector, sorted by name.
func (r *Registry) List() []Dissector {
	out := append([]Dissector(nil), r.order...)
	sort.Slice(out, func(i, j int) bool { return out[i].Info().Name < out[j].Info().Name })
	return out
}

// Lookup chooses the dissector for a conversation between two ports. It
// returns the dissector and whether the server is the side with port b
// (the usual case: b is the responder's port).
func (r *Registry) Lookup(transport string, a, b uint16) (d Dissector, serverIsB bool) {
	for _, table := range []map[portKey]Dissector{r.decodeAs, r.ports} {
		if d, ok := table[portKey{transport, b}]; ok {
			return d, true
		}
		if d, ok := table[portKey{transport, a}]; ok {
			return d, false
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
	d, ok := r.byName[name]
	if !ok {
		return fmt.Errorf("--decode-as %q: no dissector named %q (see `dissect list`)", rule, name)
	}
	if !d.Info().RunsOver(transport) {
		return fmt.Errorf("--decode-as %q: %s runs over %s, not %s", rule, name, strings.Join(d.Info().transports(), " and "), transport)
	}
	for p := lo; ; p++ {
		r.decodeAs[portKey{transport, uint16(p)}] = d
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

// LoadBundled compiles and registers every schema embedded in the binary,
// and links the protocols that hand bytes to one another.
func (r *Registry) LoadBundled() error {
	if err := r.loadFS(library.FS, ".", "bundled"); err != nil {
		return err
	}
	return r.Link()
}

// Link resolves every [decode = "name"] layer of the schema dissectors to
// the named protocol. Call it after loading every schema.
func (r *Registry) Link() error {
	var errs []error
	for _, d := range r.order {
		sd, ok := d.(*SchemaDissector)
		if !ok {
			continue
		}
		sd.streams = make([]*SchemaDissector, len(sd.Program.Layers))
		for i, l := range sd.Program.Layers {
			target, ok := r.byName[l.Name].(*SchemaDissector)
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
	return r.loadFS(os.DirFS(path), ".", path)
}

func osLoader(name string) ([]byte, error) { return os.ReadFile(filepath.FromSlash(name)) }

func (r *Registry) loadFS(fsys fs.FS, root, source string) error {
	var errs []error
	found := false
	err := fs.WalkDir(fsys, root, func(p string, de fs.DirEntry, err error) error {
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
		if !DeclaresProtocol(text) {
			return nil // a library of types, for import
		}
		name, origin, load := "library/"+p, "bundled", schema.LoadFunc(func(n string) ([]byte, error) {
			return fs.ReadFile(fsys, strings.TrimPrefix(n, "library/"))
		})
		if source != "bundled" {
			name = filepath.Join(source, p)
			origin, load = name, osLoader
		}
		if err := r.compile(name, origin, text, load); err != nil {
			errs = append(errs, err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("schema folder %s: %w", source, unwrapPathError(err))
	}
	if !found && source != "bundled" {
		return fmt.Errorf("schema folder %s: no .dsl files in it", source)
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
	d := NewSchemaDissector(prog, origin)
	d.Limits = r.Limits
	d.MaxFrame = r.MaxFrame
	d.Buffers = r.Buffers
	r.Register(d)
	return nil
}

// DeclaresProtocol reports whether schema text has a protocol block, that
// is, whether it is a protocol rather than a library of types. A file that
// does not parse counts as a protocol, so that its errors are reported.
func DeclaresProtocol(text []byte) bool {
	f, errs := syntax.Parse(syntax.NewSource("", text))
	if len(errs) > 0 {
		return true
	}
	for _, d := range f.Decls {
		if _, ok := d.(*syntax.ProtocolDecl); ok {
			return true
		}
	}
	return false
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
