//go:build cgo

package capture

import (
	"encoding/binary"
	"os"
	"strings"

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
	progs  map[layers.LinkType]*program
	lastLT layers.LinkType
	last   *program
}

// program is the filter compiled for one link type. bpf is nil when the
// filter rejects every packet of that link type (libpcap refuses to compile
// such a filter, e.g. "not ip and not ip6" for raw IP).
type program struct {
	bpf *pcap.BPF
}

// NewFilter compiles expr, checking its syntax (for Ethernet, the link type
// of most captures). It returns a *FilterError for a bad expression.
func NewFilter(expr string) (*Filter, error) {
	f := &Filter{expr: expr, progs: map[layers.LinkType]*program{}}
	if _, err := f.compile(layers.LinkTypeEthernet); err != nil {
		return nil, &FilterError{Expr: expr, Err: err}
	}
	return f, nil
}

// String returns the filter expression.
func (f *Filter) String() string { return f.expr }

// compile returns the program of the filter for link type lt.
func (f *Filter) compile(lt layers.LinkType) (*program, error) {
	if p := f.progs[lt]; p != nil {
		return p, nil
	}
	bpf, err := compileForFile(lt, f.expr)
	if err != nil && !strings.Contains(err.Error(), "rejects all packets") {
		return nil, err
	}
	p := &program{bpf: bpf}
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
	return f.last.bpf != nil && f.last.bpf.Matches(ci, data), nil
}

// compileForFile compiles expr as tcpdump -r does for a file of link type
// lt: libpcap compiles some filters differently for a file than for a live
// capture (on BSD loopback, "ip6" matches the AF_INET6 values of every
// system, not only this one's), so the program is compiled on a handle
// reading an empty pcap file of that link type, through a pipe.
func compileForFile(lt layers.LinkType, expr string) (*pcap.BPF, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return pcap.NewBPF(dlt(lt), DefaultSnaplen, expr)
	}
	defer r.Close()
	var hdr [24]byte
	binary.LittleEndian.PutUint32(hdr[0:], magicPcapMicroBE) // written little-endian: d4 c3 b2 a1
	binary.LittleEndian.PutUint16(hdr[4:], 2)
	binary.LittleEndian.PutUint16(hdr[6:], 4)
	binary.LittleEndian.PutUint32(hdr[16:], DefaultSnaplen)
	binary.LittleEndian.PutUint32(hdr[20:], uint32(lt))
	_, werr := w.Write(hdr[:]) // fits in the pipe's buffer
	w.Close()
	if werr != nil {
		return pcap.NewBPF(dlt(lt), DefaultSnaplen, expr)
	}
	h, err := pcap.OpenOfflineFile(r)
	if err != nil {
		return pcap.NewBPF(dlt(lt), DefaultSnaplen, expr)
	}
	defer h.Close()
	return h.NewBPF(expr)
}

// dlt returns the value libpcap uses on this system for link type lt. pcap
// files store LINKTYPE_ values, which are the same as libpcap's DLT_ values
// except for a few whose DLT_ value differs between systems; libpcap
// converts them when it reads a file, but pcap_open_dead, which compiles
// filters, wants the DLT_ value.
func dlt(lt layers.LinkType) layers.LinkType {
	switch lt {
	case layers.LinkTypeRaw, linkTypeRawBSD12, linkTypeRawBSD14:
		if v := pcap.DatalinkNameToVal("RAW"); v >= 0 {
			return layers.LinkType(v)
		}
	case layers.LinkTypeLoop:
		if v := pcap.DatalinkNameToVal("LOOP"); v >= 0 {
			return layers.LinkType(v)
		}
	}
	return lt
}
