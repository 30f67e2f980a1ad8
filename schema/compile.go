package schema

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dissect-project/dissect/schema/syntax"
)

// LoadFunc reads a schema file named by a slash-separated path, for
// imports.
type LoadFunc func(name string) ([]byte, error)

// Compile parses, checks and compiles one schema file, reading the files
// it imports from the operating system, relative to it. It returns every
// error and warning found; the Program is nil when there is any error.
func Compile(name string, text []byte) (*Program, syntax.ErrorList) {
	return CompileWith(name, text, func(n string) ([]byte, error) { return os.ReadFile(filepath.FromSlash(n)) })
}

// CompileFS compiles the schema at name in fsys; its imports are read from
// fsys too.
func CompileFS(fsys fs.FS, name string) (*Program, syntax.ErrorList) {
	load := func(n string) ([]byte, error) { return fs.ReadFile(fsys, n) }
	text, err := load(name)
	if err != nil {
		var errs syntax.ErrorList
		errs.Add(syntax.NewSource(name, nil), syntax.NoPos, false, "cannot read the schema: %v", unwrapPath(err))
		return nil, errs
	}
	return CompileWith(name, text, load)
}

// CompileWith compiles a schema whose imports load reads.
func CompileWith(name string, text []byte, load LoadFunc) (*Program, syntax.ErrorList) {
	return compileSchema(name, text, load, false)
}

// DeclaresProtocol reports whether schema text has a protocol block, that
// is, whether it is a protocol rather than a library of types (which
// CheckLibrary checks). A file that does not parse counts as a protocol,
// so that compiling it reports its errors.
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

// CheckLibrary checks a library of types: a schema file with no protocol
// block, meant to be imported. It reports every error, and no warnings
// about types that nothing in the file uses.
func CheckLibrary(name string, text []byte, load LoadFunc) syntax.ErrorList {
	_, errs := compileSchema(name, text, load, true)
	return errs
}

func compileSchema(name string, text []byte, load LoadFunc, library bool) (*Program, syntax.ErrorList) {
	c := &checker{
		library: library,
		prog:    &Program{File: name},
		structs: map[string]*structInfo{},
		enums:   map[string]*enumInfo{},
		states:  map[string]*StateVar{},
		load:    load,
		loaded:  map[string]bool{},
		letType: &Type{Kind: KindInt, Name: "let", Size: 8},
		infos:   map[*Struct]*structInfo{},
	}
	c.compile(name, text)
	c.errs.Sort()
	if c.errs.Err() != nil {
		return nil, c.errs
	}
	return c.prog, c.errs
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

type structInfo struct {
	decl  *syntax.StructDecl
	src   *syntax.Source
	s     *Struct
	used  bool
	busy  bool // its fields are being checked
	done  bool // its fields have been checked
	users []*Struct
}

type enumInfo struct {
	decl *syntax.EnumDecl
	src  *syntax.Source
	e    *Enum
	base *Type
	used bool
	done bool
}

// pendingParent is a parent.x reference, resolved once every structure is
// known.
type pendingParent struct {
	expr   *Expr
	in     *structInfo
	levels int
	names  []syntax.Ident
	src    *syntax.Source
}

// checker resolves every name in a schema and its imports, and builds the
// Program.
type checker struct {
	src     *syntax.Source // the file being checked, for messages
	errs    syntax.ErrorList
	prog    *Program
	structs map[string]*structInfo
	enums   map[string]*enumInfo
	states  map[string]*StateVar
	// stateDecls are the state blocks of the file and of the files it
	// imports, in the order met: types that use a state variable bring
	// it with them.
	stateDecls []stateDecl
	order      []string // declaration order of types, for stable output
	declared   map[string]declSite
	load       LoadFunc
	loaded     map[string]bool
	parents    []*pendingParent
	letType    *Type
	infos      map[*Struct]*structInfo // every structure, named or written in place
	library    bool                    // checking a library of types: no protocol needed
}

type declSite struct {
	src *syntax.Source
	pos syntax.Pos
}

func (c *checker) errorf(p syntax.Pos, format string, args ...any) {
	c.errs.Add(c.src, p, false, format, args...)
}

func (c *checker) warnf(p syntax.Pos, format string, args ...any) {
	c.errs.Add(c.src, p, true, format, args...)
}

// maxImports bounds how many files one schema may pull in.
const maxImports = 256

func (c *checker) compile(name string, text []byte) {
	c.declared = map[string]declSite{}
	main := c.parseFile(name, text)
	c.src = main.Src
	var proto *syntax.ProtocolDecl
	var framing *syntax.FramingDecl
	var heuristic *syntax.HeuristicDecl
	for _, d := range main.Decls {
		switch d := d.(type) {
		case *syntax.ProtocolDecl:
			if proto != nil {
				c.errorf(d.Pos, "second protocol block; a schema file describes one protocol")
				continue
			}
			proto = d
		case *syntax.FramingDecl:
			if framing != nil {
				c.errorf(d.Pos, "second framing block; a protocol has one framing rule")
				continue
			}
			framing = d
		case *syntax.HeuristicDecl:
			if heuristic != nil {
				c.errorf(d.Pos, "second heuristic block; a protocol has one")
				continue
			}
			heuristic = d
		}
	}
	for _, sd := range c.stateDecls {
		c.src = sd.src
		c.state(sd.decl)
	}
	c.src = main.Src
	if proto == nil && c.library {
		for _, name := range c.order {
			if ei, ok := c.enums[name]; ok {
				c.enum(ei)
			}
			if si, ok := c.structs[name]; ok {
				c.structFields(si)
			}
		}
		c.resolveParents()
		return
	}
	if proto == nil {
		c.errorf(0, "no protocol block: a schema needs `protocol NAME { ... }` naming the protocol and its message types")
		return
	}
	c.protocol(proto)
	for _, name := range c.order {
		if ei, ok := c.enums[name]; ok {
			c.enum(ei)
		}
	}
	for _, name := range c.order {
		if si, ok := c.structs[name]; ok {
			c.structFields(si)
		}
	}
	c.src = main.Src
	c.roots(proto)
	c.framing(framing, proto)
	c.heuristic(heuristic)
	c.resolveParents()
	for _, name := range c.order {
		if si, ok := c.structs[name]; ok {
			c.prog.Structs = append(c.prog.Structs, si.s)
			if !si.used && si.src == main.Src {
				c.src = si.src
				c.warnf(si.decl.Name.Pos, "struct %s is never used", name)
			}
		}
		if ei, ok := c.enums[name]; ok {
			c.prog.Enums = append(c.prog.Enums, ei.e)
			if !ei.used && ei.src == main.Src {
				c.src = ei.src
				kind := "enum"
				if ei.e.Flags {
					kind = "flags"
				}
				c.warnf(ei.decl.Name.Pos, "%s %s is never used", kind, name)
			}
		}
	}
	c.src = main.Src
	sort.Strings(c.prog.Files[1:])
	for s := range c.infos {
		planStruct(s)
	}
	structs := make([]*Struct, 0, len(c.infos))
	for s := range c.infos {
		planFlat(s) // after every structure has its plan
		structs = append(structs, s)
	}
	planAllSteps(structs)
	planKept(structs)
	var steps stepCache
	for s := range c.infos {
		if s.Summary != nil {
			compileSteps(s.Summary, s, &steps)
		}
	}
}

// parseFile parses a file, declares its enums and structures, notes its
// state block, and follows its imports. Protocol and framing blocks are
// left to the caller: in an imported file they are ignored, so that
// importing a protocol's schema gives its types. State blocks are kept from
// every file, since the types of an imported file may use its state.
func (c *checker) parseFile(name string, text []byte) *syntax.File {
	src := syntax.NewSource(name, text)
	file, errs := syntax.Parse(src)
	c.errs = append(c.errs, errs...)
	c.loaded[name] = true
	c.prog.Files = append(c.prog.Files, name)
	for _, d := range file.Decls {
		c.src = src
		switch d := d.(type) {
		case *syntax.EnumDecl:
			if c.declare(d.Name) {
				c.enums[d.Name.Name] = &enumInfo{decl: d, src: src, e: &Enum{Name: d.Name.Name, Flags: d.Flags}}
				c.order = append(c.order, d.Name.Name)
			}
		case *syntax.StructDecl:
			if c.declare(d.Name) {
				st := &Struct{Name: d.Name.Name}
				st.Type = &Type{Kind: KindStruct, Name: st.Name, Struct: st}
				si := &structInfo{decl: d, src: src, s: st}
				c.structs[d.Name.Name] = si
				c.infos[st] = si
				c.order = append(c.order, d.Name.Name)
			}
		case *syntax.ImportDecl:
			c.importFile(src, d)
		case *syntax.StateDecl:
			c.stateDecls = append(c.stateDecls, stateDecl{src, d})
		}
	}
	return file
}

// stateDecl is a state block and the file it is in.
type stateDecl struct {
	src  *syntax.Source
	decl *syntax.StateDecl
}

func (c *checker) importFile(from *syntax.Source, d *syntax.ImportDecl) {
	if d.Path == "" || strings.HasPrefix(d.Path, "/") {
		c.errorf(d.Pos, "import %q: give a path relative to this file", d.Path)
		return
	}
	name := path.Join(path.Dir(filepath.ToSlash(from.Name)), d.Path)
	if c.loaded[name] {
		return // already in, directly or through another import
	}
	if len(c.loaded) >= maxImports {
		c.errorf(d.Pos, "import %q: more than %d files imported", d.Path, maxImports)
		return
	}
	text, err := c.load(name)
	if err != nil {
		c.errorf(d.Pos, "import %q: cannot read %s: %v", d.Path, name, unwrapPath(err))
		return
	}
	c.parseFile(name, text)
	c.src = from
}

func (c *checker) declare(id syntax.Ident) bool {
	if id.Name == "" {
		return false
	}
	if prev, ok := c.declared[id.Name]; ok {
		c.errorf(id.Pos, "%s is declared twice (first at %s)", id.Name, prev.src.Position(prev.pos))
		return false
	}
	if _, builtin := builtinType(id.Name, BigEndian); builtin || id.Name == "byte" {
		c.errorf(id.Pos, "%s is a built-in type and cannot be redeclared", id.Name)
		return false
	}
	c.declared[id.Name] = declSite{c.src, id.Pos}
	return true
}
