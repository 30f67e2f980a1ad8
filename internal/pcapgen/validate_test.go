package pcapgen

// An independent check of the generated files: they are read back with
// pcapgo's readers, decoded with gopacket, their IPv4 and TCP checksums are
// recomputed by hand, and each direction of each connection is reassembled
// by sequence number and cut into Modbus/TCP ADUs by their MBAP length. None
// of this uses the generator's own bookkeeping.

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// rawPacket is a record read back from a capture file.
type rawPacket struct {
	ci   gopacket.CaptureInfo
	data []byte
}

type packetReader interface {
	ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
}

// readCapture reads every complete record of a capture file. cut reports
// whether the file ends in the middle of a record.
func readCapture(name string, file []byte) (pkts []rawPacket, cut bool, err error) {
	var r io.Reader = bytes.NewReader(file)
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, false, err
		}
		plain, err := io.ReadAll(zr)
		if err != nil {
			return nil, false, fmt.Errorf("gunzip: %w", err)
		}
		r = bytes.NewReader(plain)
	}
	var pr packetReader
	if strings.HasSuffix(name, ".pcapng") {
		ng, err := pcapgo.NewNgReader(r, pcapgo.DefaultNgReaderOptions)
		if err != nil {
			return nil, false, err
		}
		if lt := ng.LinkType(); lt != layers.LinkTypeEthernet {
			return nil, false, fmt.Errorf("link type %v", lt)
		}
		pr = ng
	} else {
		pc, err := pcapgo.NewReader(r)
		if err != nil {
			return nil, false, err
		}
		if lt := pc.LinkType(); lt != layers.LinkTypeEthernet {
			return nil, false, fmt.Errorf("link type %v", lt)
		}
		if res := pc.Resolution(); res.ToDuration() != time.Microsecond {
			return nil, false, fmt.Errorf("timestamp resolution %v", res)
		}
		pr = pc
	}
	for {
		data, ci, err := pr.ReadPacketData()
		switch {
		case errors.Is(err, io.EOF):
			return pkts, false, nil
		case errors.Is(err, io.ErrUnexpectedEOF):
			return pkts, true, nil
		case err != nil:
			return pkts, false, err
		}
		pkts = append(pkts, rawPacket{ci, slices.Clone(data)})
	}
}

// onesSum adds b as big-endian 16-bit words to sum.
func onesSum(sum uint32, b []byte) uint32 {
	for len(b) >= 2 {
		sum += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		sum += uint32(b[0]) << 8
	}
	return sum
}

func fold(sum uint32) uint16 {
	for sum > 0xFFFF {
		sum = sum&0xFFFF + sum>>16
	}
	return uint16(sum)
}

// tcpChecksumOK verifies the checksum of segment (TCP header and payload)
// against the pseudo-header of src and dst.
func tcpChecksumOK(src, dst netip.Addr, segment []byte) bool {
	var sum uint32
	sum = onesSum(sum, src.AsSlice())
	sum = onesSum(sum, dst.AsSlice())
	if src.Is4() {
		sum = onesSum(sum, []byte{0, 6, byte(len(segment) >> 8), byte(len(segment))})
	} else {
		var l [8]byte
		binary.BigEndian.PutUint32(l[:4], uint32(len(segment)))
		l[7] = 6
		sum = onesSum(sum, l[:])
	}
	return fold(onesSum(sum, segment)) == 0xFFFF
}

// flowKey names one direction of a TCP connection.
type flowKey struct {
	src, dst netip.AddrPort
}

// segment is the TCP part of a decoded packet.
type segment struct {
	seq     uint32
	syn     bool
	payload []byte
}

// decodePacket decodes one frame and checks its headers and checksums.
func decodePacket(p rawPacket) (flowKey, segment, error) {
	pkt := gopacket.NewPacket(p.data, layers.LayerTypeEthernet, gopacket.Default)
	if el := pkt.ErrorLayer(); el != nil {
		return flowKey{}, segment{}, fmt.Errorf("decoding: %v", el.Error())
	}
	tcp, ok := pkt.TransportLayer().(*layers.TCP)
	if !ok {
		return flowKey{}, segment{}, fmt.Errorf("no TCP layer in %v", pkt)
	}
	var src, dst netip.Addr
	var tcpBytes []byte
	switch ip := pkt.NetworkLayer().(type) {
	case *layers.IPv4:
		src, _ = netip.AddrFromSlice(ip.SrcIP)
		dst, _ = netip.AddrFromSlice(ip.DstIP)
		if fold(onesSum(0, ip.Contents)) != 0xFFFF {
			return flowKey{}, segment{}, fmt.Errorf("bad IPv4 header checksum")
		}
		if ip.Flags&layers.IPv4MoreFragments != 0 || ip.FragOffset != 0 {
			return flowKey{}, segment{}, fmt.Errorf("IPv4 fragment")
		}
		tcpBytes = ip.Payload
	case *layers.IPv6:
		src, _ = netip.AddrFromSlice(ip.SrcIP)
		dst, _ = netip.AddrFromSlice(ip.DstIP)
		tcpBytes = ip.Payload
	default:
		return flowKey{}, segment{}, fmt.Errorf("network layer %T", ip)
	}
	if !tcpChecksumOK(src, dst, tcpBytes) {
		return flowKey{}, segment{}, fmt.Errorf("bad TCP checksum")
	}
	if len(tcpBytes) != len(tcp.Contents)+len(tcp.Payload) {
		return flowKey{}, segment{}, fmt.Errorf("TCP length %d, header %d + payload %d", len(tcpBytes), len(tcp.Contents), len(tcp.Payload))
	}
	key := flowKey{
		netip.AddrPortFrom(src, uint16(tcp.SrcPort)),
		netip.AddrPortFrom(dst, uint16(tcp.DstPort)),
	}
	return key, segment{seq: tcp.Seq, syn: tcp.SYN, payload: tcp.Payload}, nil
}

// reassemble returns the contiguous bytes of one direction of a
// connection, starting after the SYN when one was captured, else at the
// lowest sequence number seen. It fails if two segments disagree on a byte.
func reassemble(segs []segment) (stream []byte, sawSYN bool, err error) {
	var base uint32
	found := false
	for _, s := range segs {
		if s.syn {
			base, found, sawSYN = s.seq+1, true, true
			break
		}
	}
	if !found {
		// Lowest sequence number, allowing for wrap-around: offsets are
		// relative to the first data segment.
		first := true
		var lo int64
		for _, s := range segs {
			if len(s.payload) == 0 {
				continue
			}
			if first {
				base, first = s.seq, false
			}
			lo = min(lo, int64(int32(s.seq-base)))
		}
		base += uint32(lo)
	}
	have := map[int]byte{}
	for _, s := range segs {
		if len(s.payload) == 0 {
			continue
		}
		off := int(int32(s.seq - base))
		if off < 0 {
			return nil, sawSYN, fmt.Errorf("data at offset %d, before the stream's start", off)
		}
		for i, b := range s.payload {
			if old, ok := have[off+i]; ok && old != b {
				return nil, sawSYN, fmt.Errorf("byte %d sent as %#02x then %#02x", off+i, old, b)
			}
			have[off+i] = b
		}
	}
	for i := 0; ; i++ {
		b, ok := have[i]
		if !ok {
			return stream, sawSYN, nil
		}
		stream = append(stream, b)
	}
}

// knownFunctions are the function codes the generated files may contain.
var knownFunctions = map[byte]bool{1: true, 2: true, 3: true, 4: true, 5: true, 6: true, 15: true, 16: true, 23: true, 43: true}

// adu is a Modbus/TCP ADU found in a stream.
type adu struct {
	tid      uint16
	function byte
}

// parseADUs cuts stream into ADUs from offset start. It returns the ADUs
// and whether every header met on the way was valid; a trailing incomplete
// ADU is not returned.
func parseADUs(stream []byte, start int) ([]adu, bool) {
	var out []adu
	for off := start; off+MBAPHeaderLen+1 <= len(stream); {
		h := stream[off:]
		proto := binary.BigEndian.Uint16(h[2:4])
		length := int(binary.BigEndian.Uint16(h[4:6]))
		fc := h[7]
		if proto != 0 || length < 2 || length > 254 || !knownFunctions[fc&0x7F] {
			return out, false
		}
		if off+6+length > len(stream) {
			break
		}
		if fc&0x80 != 0 && length != 3 {
			return out, false // an exception PDU is function and code
		}
		out = append(out, adu{binary.BigEndian.Uint16(h[0:2]), fc})
		off += 6 + length
	}
	return out, true
}

// findADUs returns the ADUs of a stream. When the stream's start was
// captured (sawSYN) they must start at offset 0; otherwise the stream may
// start in the middle of an ADU, and the first offset from which the whole
// stream parses is used. skipped is that offset.
func findADUs(stream []byte, sawSYN bool) (adus []adu, skipped int, err error) {
	if sawSYN {
		adus, ok := parseADUs(stream, 0)
		if !ok {
			return nil, 0, fmt.Errorf("invalid MBAP header after %d ADUs", len(adus))
		}
		return adus, 0, nil
	}
	for k := range len(stream) {
		if adus, ok := parseADUs(stream, k); ok {
			return adus, k, nil
		}
	}
	return nil, len(stream), nil
}

// fileCounts is what the independent check finds in a capture file.
type fileCounts struct {
	packets, conns                 int
	requests, responses, exception int
	skipped                        int // bytes skipped at the start of streams without a SYN
	cut                            bool
}

// countFile checks and counts one capture file.
func countFile(name string, file []byte) (fileCounts, error) {
	var fc fileCounts
	pkts, cut, err := readCapture(name, file)
	if err != nil {
		return fc, err
	}
	fc.cut = cut
	fc.packets = len(pkts)
	flows := map[flowKey][]segment{}
	var order []flowKey
	last := time.Time{}
	for i, p := range pkts {
		ts := p.ci.Timestamp
		if ts.Before(BaseTime()) || ts.Before(last) || ts.Nanosecond()%1000 != 0 {
			return fc, fmt.Errorf("packet %d: timestamp %v", i+1, ts)
		}
		last = ts
		if p.ci.CaptureLength != len(p.data) || p.ci.Length != len(p.data) {
			return fc, fmt.Errorf("packet %d: capture info %+v for %d bytes", i+1, p.ci, len(p.data))
		}
		key, seg, err := decodePacket(p)
		if err != nil {
			return fc, fmt.Errorf("packet %d: %w", i+1, err)
		}
		if key.dst.Port() != ModbusPort && key.src.Port() != ModbusPort {
			return fc, fmt.Errorf("packet %d: %v, no Modbus port", i+1, key)
		}
		if _, ok := flows[key]; !ok {
			order = append(order, key)
		}
		flows[key] = append(flows[key], seg)
	}
	tids := map[flowKey][]adu{}
	synced := map[flowKey]bool{}
	for _, key := range order {
		toServer := key.dst.Port() == ModbusPort
		if toServer {
			fc.conns++
			if key.src.Port() < 40000 {
				return fc, fmt.Errorf("%v: client port below 40000", key)
			}
		}
		stream, sawSYN, err := reassemble(flows[key])
		if err != nil {
			return fc, fmt.Errorf("%v: %w", key, err)
		}
		adus, skipped, err := findADUs(stream, sawSYN)
		if err != nil {
			return fc, fmt.Errorf("%v: %w", key, err)
		}
		fc.skipped += skipped
		tids[key], synced[key] = adus, sawSYN
		for _, a := range adus {
			switch {
			case toServer && a.function&0x80 != 0:
				return fc, fmt.Errorf("%v: exception function %#02x in a request", key, a.function)
			case toServer:
				fc.requests++
			default:
				fc.responses++
				if a.function&0x80 != 0 {
					fc.exception++
				}
			}
		}
	}
	// Every response answers a request of its connection, with the same
	// function code, unless the connection's start was not captured.
	for _, key := range order {
		rev := flowKey{key.dst, key.src}
		if key.src.Port() != ModbusPort || !synced[rev] {
			continue
		}
		for _, r := range tids[key] {
			if !slices.ContainsFunc(tids[rev], func(q adu) bool { return q.tid == r.tid && q.function == r.function&0x7F }) {
				return fc, fmt.Errorf("%v: response %+v to no request", key, r)
			}
		}
	}
	return fc, nil
}

func TestFilesAreValid(t *testing.T) {
	for _, s := range Scenarios() {
		if !strings.HasPrefix(s.File, "modbus-") {
			continue // other protocols' captures are checked by their library tests
		}
		t.Run(s.File, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := s.Write(&b); err != nil {
				t.Fatal(err)
			}
			got, err := countFile(s.File, b.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			wantPackets := s.Packets
			if s.Truncated {
				wantPackets--
			}
			checks := []struct {
				what      string
				got, want any
			}{
				{"complete packets", got.packets, wantPackets},
				{"cut in a record", got.cut, s.Truncated},
				{"connections", got.conns, s.Conns},
				{"requests", got.requests, s.Requests},
				{"responses", got.responses, s.Responses},
				{"exceptions", got.exception, s.Exceptions},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s: found %v, Scenario says %v", c.what, c.got, c.want)
				}
			}
			if midstream := strings.Contains(s.File, "midstream"); midstream != (got.skipped > 0) {
				t.Errorf("skipped %d bytes at the start of streams", got.skipped)
			}
		})
	}
}
