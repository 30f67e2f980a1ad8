package pcapgen

import (
	"bytes"
	"fmt"
	"io"
	"net/netip"
	"strings"
)

// ProtocolCapture is a capture of testdata/pcaps for a protocol other than
// Modbus/TCP (whose captures are the Scenarios). Each protocol's file
// registers its captures from an init function.
type ProtocolCapture struct {
	File     string // file name in testdata/pcaps: "<protocol>-<what>.pcap"
	Protocol string // the bundled dissector that decodes it
	Doc      string // one line: what it covers
	Packets  int    // packet records
	Messages int    // complete application messages queued, both directions
	Write    func(w io.Writer) error
}

type protocolDef struct {
	file, proto, doc string
	build            func() *Capture
}

var protocolDefs []protocolDef

// registerCapture adds a capture to ProtocolCaptures.
func registerCapture(file, proto, doc string, build func() *Capture) {
	protocolDefs = append(protocolDefs, protocolDef{file, proto, doc, build})
}

// ProtocolCaptures returns the registered captures of other protocols, in
// file name order. Like Scenarios, each Write always writes the same bytes.
func ProtocolCaptures() []ProtocolCapture {
	out := make([]ProtocolCapture, 0, len(protocolDefs))
	for _, d := range protocolDefs {
		format, err := FormatOf(d.file)
		if err != nil {
			panic(err)
		}
		c := d.build()
		st := c.Stats()
		out = append(out, ProtocolCapture{
			File: d.file, Protocol: d.proto, Doc: d.doc,
			Packets: st.Packets, Messages: st.Requests + st.Responses + st.Datagrams,
			Write: func(w io.Writer) error { return c.Encode(w, format) },
		})
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].File < out[j-1].File; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// CaptureFile is a capture's file name and its bytes.
type CaptureFile struct {
	Name string
	Data []byte
}

// ProtocolFiles returns the ProtocolCaptures written out, in file name
// order.
func ProtocolFiles() ([]CaptureFile, error) {
	var out []CaptureFile
	for _, p := range ProtocolCaptures() {
		var b bytes.Buffer
		if err := p.Write(&b); err != nil {
			return nil, fmt.Errorf("%s: %w", p.File, err)
		}
		out = append(out, CaptureFile{p.File, b.Bytes()})
	}
	return out, nil
}

// ProtocolFilesAndLoad returns ProtocolFiles followed by a load capture
// named "load" (LoadPcap with conns connections, about packets packets
// and seed 1): every protocol's frames, then many interleaved connections.
func ProtocolFilesAndLoad(conns, packets int) ([]CaptureFile, error) {
	caps, err := ProtocolFiles()
	if err != nil {
		return nil, err
	}
	load, err := LoadPcap(conns, packets, 1)
	if err != nil {
		return nil, err
	}
	return append(caps, CaptureFile{Name: "load", Data: load}), nil
}

// protocolReadme is the README.md section listing the ProtocolCaptures.
func protocolReadme() ([]byte, error) {
	pcs := ProtocolCaptures()
	if len(pcs) == 0 {
		return nil, nil
	}
	var b bytes.Buffer
	b.WriteString(`
## Other protocols

Each file is one protocol on its registered port (` + "`internal/pcapgen/<protocol>.go`" + `).
*Messages* counts the complete application messages in both directions.

| File | Bytes | Packets | Messages | Protocol | Description |
|------|------:|--------:|---------:|----------|-------------|
`)
	for _, p := range pcs {
		var n countingWriter
		if err := p.Write(&n); err != nil {
			return nil, fmt.Errorf("%s: %w", p.File, err)
		}
		fmt.Fprintf(&b, "| `%s` | %d | %d | %d | %s | %s |\n", p.File, n, p.Packets, p.Messages, p.Protocol, strings.ReplaceAll(p.Doc, "|", `\|`))
	}
	return b.Bytes(), nil
}

// ep is shorthand for an endpoint.
func ep(addr string, port uint16) Endpoint {
	return Endpoint{Addr: netip.MustParseAddr(addr), Port: port}
}
