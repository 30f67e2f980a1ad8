//go:build cgo

package capture

import (
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcap"
)

// Filter is a capture filter in tcpdump (pcap-filter) syntax, applied to
// the packets of a capture file (a live capture filters in the kernel).
// It is compiled by libpcap once per link type met, and run by libpcap's
// BPF interpreter on each packet, without allocating.
type Filter struct {
	expr   string
	progs  map[layers.LinkType]*pcap.BPF
	lastLT layers.LinkType
	last   *pcap.BPF
}

// NewFilter compiles expr, checking its syntax (for Ethernet, the link type
// of most captures). It returns a *FilterError for a bad expression.
func NewFilter(expr string) (*Filter, error) {
	f := &Filter{expr: expr, progs: map[layers.LinkType]*pcap.BPF{}}
	if _, err := f.compile(layers.LinkTypeEthernet); err != nil {
		return nil, &FilterError{Expr: expr, Err: err}
	}
	return f, nil
}

// String returns the filter expression.
func (f *Filter) String() string { return f.expr }

// compile returns the program of the filter for link type lt.
func (f *Filter) compile(lt layers.LinkType) (*pcap.BPF, error) {
	if p := f.progs[lt]; p != nil {
		return p, nil
	}
	p, err := pcap.NewBPF(lt, DefaultSnaplen, f.expr)
	if err != nil {
		return nil, err
	}
	f.progs[lt] = p
	return p, nil
}

// match reports whether a packet of link type lt passes the filter. It
// fails when the filter cannot be compiled for lt (such as "ether host"
// on raw IP packets).
func (f *Filter) match(data []byte, ci gopacket.CaptureInfo, lt layers.LinkType) (bool, error) {
	if f.last == nil || f.lastLT != lt {
		p, err := f.compile(lt)
		if err != nil {
			return false, &FilterError{Expr: f.expr, LinkType: linkTypeName(lt), Err: err}
		}
		f.last, f.lastLT = p, lt
	}
	return f.last.Matches(ci, data), nil
}
