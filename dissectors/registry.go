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
// a --decode-as rule first, then by well-known port.
type Registry struct {
	byName   map[string]Dissector
	order    []Dissector
	ports    map[portKey]Dissector // well-known ports
	decodeAs map[portKey]Dissector // --decode-as rules win over ports
	Limits   schema.Limits         // applied to schema dissectors loaded from now on
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
	for _, p := range info.Ports {
		r.ports[portKey{info.Transport, p}] = d
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
	if d.Info().Transport != transport {
		return fmt.Errorf("--decode-as %q: %s runs over %s, not %s", rule, name, d.Info().Transport, transport)
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

// LoadBundled compiles and registers every schema embedded in the binary.
func (r *Registry) LoadBundled() error {
	return r.loadFS(library.FS, ".", "bundled")
}

// LoadPath compiles and registers a schema file, or every *.dsl file in a
// folder and its subfolders. It reports the errors of every file at once.
func (r *Registry) LoadPath(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("schema %s: %w", path, unwrapPathError(err))
	}
	if !st.IsDir() {
		return r.loadFile(os.DirFS(filepath.Dir(path)), filepath.Base(path), path, path)
	}
	return r.loadFS(os.DirFS(path), ".", path)
}

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
		name, origin := "library/"+p, "bundled"
		if source != "bundled" {
			name = filepath.Join(source, p)
			origin = name
		}
		if err := r.loadFile(fsys, p, name, origin); err != nil {
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

// loadFile compiles one schema: p is its path in fsys, name the path shown in
// messages, and origin what Info.Source says.
func (r *Registry) loadFile(fsys fs.FS, p, name, origin string) error {
	text, err := fs.ReadFile(fsys, p)
	if err != nil {
		return fmt.Errorf("schema %s: %w", name, unwrapPathError(err))
	}
	prog, errs := schema.Compile(name, text)
	if prog == nil {
		return errs.Errors()
	}
	d := NewSchemaDissector(prog, origin)
	d.Limits = r.Limits
	r.Register(d)
	return nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
