// Package library holds the schemas bundled with dissect. They are embedded
// in the binary, so dissect decodes these protocols with no files beside it.
package library

import "embed"

// FS holds every bundled schema file (*.dsl) at its root.
//
//go:embed *.dsl
var FS embed.FS
