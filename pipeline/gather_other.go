//go:build !linux

package pipeline

import "io"

// fileVector returns nil: writev is used on Linux only.
func fileVector(io.Writer) vectorWriter { return nil }
