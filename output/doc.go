// Package output writes records: a one-line summary per frame in the manner
// of tshark's packet list, a field tree (-V), a hex dump coloured by field
// (-x), and NDJSON with ECS connection fields for pipelines.
//
// Writers encode by appending to reused buffers, with no reflection, so
// that writing a record allocates nothing in the steady state.
package output

import "github.com/dissect-project/dissect/dissectors"

// Writer receives records and writes them out. Flush must be called at the
// end of a run.
type Writer interface {
	dissectors.Sink
	Flush() error
}
