package capture

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Errors of live capture. Functions of this package wrap them with the name
// of the interface; test for them with errors.Is.
var (
	// ErrNoLibpcap is returned by OpenLive, Interfaces and NewFilter in a
	// build without cgo, which has no libpcap.
	ErrNoLibpcap = errors.New("needs a build with libpcap (this dissect was built without cgo: build it with CGO_ENABLED=1 and libpcap-dev installed)")
	// ErrNoSuchInterface reports an interface that does not exist.
	ErrNoSuchInterface = errors.New("no such interface")
	// ErrPermission reports that the process may not capture.
	ErrPermission = errors.New("permission denied")
	// ErrInterfaceDown reports an interface that is not up.
	ErrInterfaceDown = errors.New("interface is down")
)

// DefaultSnaplen is the snapshot length of a live capture when
// LiveOptions.Snaplen is 0: whole packets, as tcpdump's default.
const DefaultSnaplen = 262144

// DefaultBufferSize is the size of the kernel's capture buffer when
// LiveOptions.BufferSize is 0. libpcap's default, 2 MiB, holds only some 30
// packets on an interface with a 64 KiB MTU (such as lo), since each slot
// of the ring fits the largest packet: a burst faster than the reader would
// be dropped.
const DefaultBufferSize = 32 << 20

// liveTimeout is how long a live read waits for a packet before giving the
// Reader a chance to notice Stop and to flush idle connections.
const liveTimeout = 100 * time.Millisecond

// LiveOptions configure OpenLive.
type LiveOptions struct {
	Snaplen   int    // bytes kept of each packet; 0 means DefaultSnaplen
	NoPromisc bool   // do not put the interface in promiscuous mode
	Filter    string // capture filter in tcpdump (pcap-filter) syntax, run in the kernel; "" keeps everything
	// BufferSize is the size in bytes of the kernel's capture buffer; 0
	// means DefaultBufferSize.
	BufferSize int
}

// Interface describes a network interface that can be captured on.
type Interface struct {
	Name        string
	Description string
	Addrs       []netip.Prefix
	Up, Running bool
	Loopback    bool
}

// LiveStats are the counters of the packet capture mechanism for a live
// source, as tcpdump prints them at the end.
type LiveStats struct {
	Received  uint64 // packets that passed the filter
	Dropped   uint64 // dropped because the buffer was full (the reader was too slow)
	IfDropped uint64 // dropped by the interface or its driver
}

// errNoPacket is returned by a live source's next when no packet arrived
// within liveTimeout; the Reader then checks Stop and its timers.
var errNoPacket = errors.New("no packet yet")

// packetSource is a source of packets other than a capture file: a live
// interface.
type packetSource interface {
	// next returns the next packet, errNoPacket after a while without one,
	// io.EOF once closed. data is valid until the following call.
	next() (data []byte, ci gopacket.CaptureInfo, lt layers.LinkType, err error)
	linkType() layers.LinkType
	stats() (LiveStats, error)
	close() error
}

// LiveStats returns the kernel's counters for a live source; ok is false for
// a capture file.
func (s *Source) LiveStats() (st LiveStats, ok bool, err error) {
	if s.live == nil {
		return st, false, nil
	}
	st, err = s.live.stats()
	return st, true, err
}

// FilterError reports a capture filter that libpcap could not compile.
type FilterError struct {
	Expr     string // the filter expression
	LinkType string // the link type it was compiled for, when that is the problem; "" otherwise
	Err      error  // libpcap's message
}

// Error describes the problem, e.g. `filter "tcp prt 502": syntax error in
// filter expression: syntax error`.
func (e *FilterError) Error() string {
	return "filter " + quote(e.Expr) + ": " + e.Reason()
}

// Reason is the message without the expression.
func (e *FilterError) Reason() string {
	msg := e.Err.Error()
	switch {
	case e.LinkType != "":
		return "cannot be used on " + e.LinkType + " packets: " + msg
	case strings.Contains(msg, "syntax error"):
		return "syntax error in filter expression: " + strings.TrimPrefix(msg, "can't parse filter expression: ")
	}
	return "bad filter expression: " + msg
}

// Unwrap returns libpcap's error.
func (e *FilterError) Unwrap() error { return e.Err }

// quote quotes s as Go does, for messages.
func quote(s string) string { return strconv.Quote(s) }

// LinkTypeValue returns the link type of the capture: a live interface's,
// a classic pcap file's, or the first interface's of a pcapng file. ok is
// false when it is not known yet.
func (s *Source) LinkTypeValue() (lt layers.LinkType, ok bool) {
	switch {
	case s.live != nil:
		return s.live.linkType(), true
	case s.pcap != nil:
		return s.linkType, true
	case len(s.ngLinkTypes) > 0:
		return s.ngLinkTypes[0], true
	}
	return 0, false
}
