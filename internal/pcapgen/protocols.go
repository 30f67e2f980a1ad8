package pcapgen

import (
	"io"
	"net/netip"
	"sort"
)

// ProtocolCapture is a capture of testdata/pcaps built, from a protocol's
// specification, for one bundled protocol other than the Modbus scenarios.
// Its frames are checked by the library tests and against tshark.
type ProtocolCapture struct {
	File  string // file name in testdata/pcaps
	Doc   string // one line: what it covers
	Build func() *Capture
}

// Write writes the capture's exact bytes, in the format its name says.
func (p ProtocolCapture) Write(w io.Writer) error {
	f, err := FormatOf(p.File)
	if err != nil {
		return err
	}
	return p.Build().Encode(w, f)
}

var protocolCaptures []ProtocolCapture

// registerCapture adds a protocol capture; each protocol's file calls it
// from init.
func registerCapture(file, doc string, build func() *Capture) {
	protocolCaptures = append(protocolCaptures, ProtocolCapture{File: file, Doc: doc, Build: build})
}

// ProtocolCaptures returns the protocol captures, sorted by file name.
func ProtocolCaptures() []ProtocolCapture {
	out := append([]ProtocolCapture(nil), protocolCaptures...)
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

// ep is shorthand for an endpoint.
func ep(addr string, port uint16) Endpoint {
	return Endpoint{Addr: netip.MustParseAddr(addr), Port: port}
}
