// Package pcapgen builds packet captures deterministically, for use as test
// fixtures of the dissect capture reader, TCP reassembly and protocol
// decoders.
//
// A Capture is a list of Ethernet frames with timestamps. Its clock starts at
// BaseTime (2024-01-01T00:00:00Z) and advances in whole microseconds by
// amounts drawn from a PCG generator seeded by the caller, so the same
// program always produces the same frames: no wall clock, no map iteration
// order and no environment-dependent value ever reaches the output.
//
// A Conn models one TCP connection of a Capture: it keeps the sequence and
// acknowledgement numbers of both directions and emits SYN/SYN-ACK/ACK
// handshakes, data segments, pure ACKs and FIN closes with correct IPv4 or
// IPv6 and TCP headers (lengths and checksums computed by gopacket),
// optionally behind one or more 802.1Q / 802.1ad VLAN tags. Application
// bytes are queued per direction and emitted according to a Plan, which
// decides how they are cut into segments and in what order the segments are
// sent: whole, split at given offsets, one byte per segment, out of order,
// retransmitted exactly or retransmitted with a partial overlap.
//
// Bytes queued as messages (Conn.Queue) are remembered with their kind
// (request, response, exception response), so that Capture.Stats can tell how
// many complete messages a correct reassembler and decoder must find in the
// capture. The counts are derived from the frames actually emitted, not
// typed in by hand.
//
// The Modbus/TCP helpers (PDU constructors, Frame, Session, Transaction)
// build request and response ADUs for function codes 1, 2, 3, 4, 5, 6, 15,
// 16, 23 and 43/14 (Read Device Identification) and exception responses.
//
// Captures are written as classic pcap with microsecond timestamps, as
// pcapng, or as gzip-compressed classic pcap (WritePcap, WritePcapNG,
// WritePcapGzip, Capture.Encode).
//
// Scenarios lists the fixture files kept in testdata/pcaps together with the
// counts a decoder is expected to reproduce; cmd/pcapgen writes them:
//
//	go generate ./internal/pcapgen
package pcapgen

//go:generate go run ../../cmd/pcapgen -o ../../testdata/pcaps
