// Package capture reads packet capture files, reassembles TCP connections
// and hands the resulting byte streams and UDP datagrams to a Handler.
//
// The package knows nothing about application protocols: it delivers, for
// every TCP connection, the in-order bytes of each direction (as Segments
// passed to a StreamHandler), and, for every UDP datagram, its payload.
//
// # Reading captures
//
// Open and NewSource accept classic pcap files (both byte orders, with
// microsecond or nanosecond timestamps) and pcapng files. The format is
// chosen from the magic bytes at the start of the data, never from the file
// name; gzip-compressed captures are recognised by their own magic and
// decompressed on the fly. Byte offsets reported in errors count bytes of the
// decompressed capture.
//
// Supported link types are Ethernet (with any number of 802.1Q or 802.1ad
// tags), raw IP (LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6), Linux cooked
// capture (SLL and SLL2) and BSD loopback (NULL and LOOP). In a pcapng file
// every interface may have its own link type. Packets of an unsupported link
// type are not an error: they are counted in Stats.NotDecoded, as are
// non-IP packets, IP packets that carry neither TCP nor UDP, IP fragments
// whose datagram could not be reassembled, and malformed or truncated
// headers.
//
// # IP fragments
//
// IPv4 fragments and IPv6 fragments (fragment extension header) are
// reassembled, in any order, and the datagram is handed on as if it had
// come whole in the packet that completed it: fragmented UDP reaches
// Datagram, fragmented TCP the stream. Memory and time are bounded
// (Options.MaxFragments, MaxFragBytes, FragTimeout by packet time); the
// first copy of a byte wins over a later overlapping fragment, except that
// overlapping IPv6 fragments drop the datagram (RFC 5722). Datagrams that
// can't be reassembled are counted in Stats.NotDecoded by reason; see
// defrag.go for the full policy.
//
// A file that ends in the middle of a record is reported by Reader.Run as a
// *TruncatedError, after everything before the cut has been delivered.
//
// # Live capture and filters
//
// OpenLive captures on a network interface through libpcap (gopacket's pcap
// package, which needs cgo); Interfaces lists them. A Source from OpenLive is
// read by a Reader like a file, until Reader.Stop: reads wait at most 100ms
// for a packet, so that Stop is noticed and idle connections are flushed
// even when no traffic comes. In a build without cgo, OpenLive, Interfaces
// and NewFilter return ErrNoLibpcap; files are read as usual.
//
// Options.Filter applies a capture filter in tcpdump syntax to the packets
// of a file (a live capture filters in the kernel, LiveOptions.Filter): it
// is compiled by libpcap for each link type met and run on each packet
// without allocating. Packets it drops keep their numbers and are counted in
// Stats.Filtered. Options.Tap sees each packet kept, before decoding.
//
// # TCP reassembly
//
// TCP is reassembled with gopacket's reassembly package. For each connection
// the Handler's OpenStream is called once, with a Flow that names the
// Initiator (the side that sent the SYN) and the Responder. When the
// handshake was not captured, the roles are guessed: the destination of a
// SYN-ACK is the initiator, otherwise the sender of the first packet. A
// connection is only created by a packet that carries a SYN or payload: a
// bare ACK, FIN or RST that belongs to no known connection (typically the
// last ACK of a connection already closed) is ignored.
//
// The StreamHandler then receives, per Direction:
//
//   - Data calls with the next in-order bytes. Segments arriving out of
//     order are held back and delivered in order.
//   - Gap calls when bytes were never captured: after waiting
//     Options.ReorderWait of packet time for a missing segment (or less,
//     when more than Options.MaxPagesPerConn pages are held back), the
//     stream skips over it and Gap reports how many bytes are lost.
//   - One Close call when the connection ends: FIN or RST seen in both
//     directions, no packet for Options.IdleTimeout, or end of input.
//
// Retransmitted and overlapping segments never produce duplicate bytes, and
// the first copy of a byte wins, as in common TCP stacks: a later copy is
// dropped, even when its content differs. This holds for bytes already
// delivered and for bytes held back after a hole. (gopacket's assembler lets
// a later copy replace held-back bytes, so segments are trimmed to their
// new bytes before it sees them.)
//
// The same ports may be reused for a new connection. A SYN that is not a
// retransmission (its sequence number is not the one the direction started
// with) ends the known connection (Close, with any bytes still held back
// after a hole dropped) and opens a new one with the next Flow.ID, never a
// gap in the old one; so does a SYN after the old connection ended by FIN
// in both directions, RST, or IdleTimeout. Stats.Reused counts the first
// case.
//
// A FIN or RST flag on a SYN segment (an invalid combination, dropped by
// TCP stacks), and a FIN that comes before data already received, are
// ignored rather than allowed to end the direction.
//
// A packet cut short by the capture's snap length contributes the bytes
// that were captured; the rest are reported as a gap.
//
// When the start of a direction was not captured (no SYN), its first Data
// has Segment.Midstream set: the first byte may be in the middle of an
// application message.
//
// Segment.PacketAt maps every delivered byte back to the captured packet
// that carried it (its 1-based number, as Wireshark's frame.number, and its
// timestamp).
//
// # Time
//
// All timeouts use packet timestamps, never the wall clock, so reading a
// file gives the same result however fast it is read. Every
// Options.FlushInterval of packet time the Reader flushes segments that have
// waited more than ReorderWait and closes idle connections.
//
// # Concurrency and memory
//
// A Reader is driven by a single goroutine (the one calling Run) and calls
// the Handler and StreamHandlers on that goroutine. Only Stop may be called
// from elsewhere. There is no goroutine per connection and the state kept
// per connection is small (about 4.5 KB with a dissector), so hundreds of
// thousands of concurrent connections are fine. Memory stays bounded
// whatever the traffic: out-of-order bytes by MaxPagesPerConn and
// MaxPagesTotal, fragments by MaxFragBytes, and connections by
// MaxConnections (past it, the least recently active connection is ended
// early, counted in Stats.Evicted). The per-packet path does not allocate in steady
// state: packets are read into a reused buffer and decoded into preallocated
// layers, so the bytes passed to Data and Datagram are only valid during the
// call.
package capture
