// Package library holds the schemas bundled with dissect. They are embedded
// in the binary, so dissect decodes these protocols with no files beside it.
package library

import (
	"embed"
	"io/fs"
	"strings"
)

// FS holds every bundled schema file (*.dsl) at its root.
//
//go:embed *.dsl
var FS embed.FS

// Load reads a bundled schema file for schema.CompileWith: name is the
// file's name in FS, or, for the imports of a schema compiled as
// "library/FILE", "library/NAME".
func Load(name string) ([]byte, error) {
	return fs.ReadFile(FS, strings.TrimPrefix(name, "library/"))
}

// Entry describes one bundled protocol schema without compiling it: what
// the registry needs to choose the protocol by port or by content, so that
// a run compiles only the schemas its traffic uses.
type Entry struct {
	File       string   // the schema file in FS
	Name       string   // the protocol's name
	Transports []string // tcp, udp or both
	Ports      []uint16 // well-known ports, on each transport
	Heuristic  bool     // it has a heuristic block
}

// Index (index.go) lists the protocol schemas in FS, by file name; the
// others are libraries of types, for import. A test in package dissectors
// checks it against the compiled schemas.
//
//go:generate go run ../../internal/genlibindex -o index.go
