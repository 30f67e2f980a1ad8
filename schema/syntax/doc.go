// Package syntax reads the text of dissect schema files: positions and
// error reporting, the lexer, the abstract syntax tree and the parser.
//
// It knows only the grammar. Names are resolved and meaning is given by the
// schema package, which checks and compiles the trees built here.
package syntax
