// Package schema implements dissect's schema language: a small, declarative
// language for describing binary protocol messages.
//
// The work is split into stages, each with plain data in and out:
//
//	source text → lexer (tokens with positions) → parser (AST)
//	→ checker (names and types resolved, every error collected)
//	→ compiler (a Program: a flat plan with no names left to look up)
//	→ Decoder (runs the plan over one frame's bytes)
//
// A Program decodes frames into a Frame: a flat, reusable list of Nodes, each
// with its byte offset and length, so that decoding a frame allocates nothing
// once the buffers have grown. Decoding never panics: every failure becomes a
// DecodeError that carries the field path, the offset, and what was expected
// versus what was found, and the nodes decoded before it are kept.
//
// The package knows nothing of packets, streams or connections: it sees only
// the bytes of one frame at a time, plus the framing rule that tells a caller
// where frames begin and end in a byte stream.
package schema
