package conformance

import (
	"path/filepath"
	"strings"
)

// tsharkDecodeAs gives tshark the decode-as rules that generated captures
// need: a protocol tshark 4.0 does not bind to its standard port by
// default. Keys are capture name prefixes.
var tsharkDecodeAs = map[string][]string{
	"mongodb-": {"-d", "tcp.port==27017,mongo"}, // tshark tries SSL heuristics on 27017; mongo is only registered on its own preference
}

// decodeAsArgs returns the tshark arguments for the capture at path.
func decodeAsArgs(path string) []string {
	base := filepath.Base(path)
	for prefix, args := range tsharkDecodeAs {
		if strings.HasPrefix(base, prefix) {
			return args
		}
	}
	return nil
}
