package pipeline

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dissect-project/dissect/dissectors"
	"github.com/dissect-project/dissect/internal/pcapgen"
	"github.com/dissect-project/dissect/schema"
)

// Real captures of the industrial protocols (OPC UA, MMS) in the shared
// corpus, compared with the tshark 4.0 oracles made for them: the PDUs
// found in each packet, and every value of the Wireshark fields the
// schemas map.

// sharedPcaps is the shared corpus: beside the repository (../../shared
// from a checkout in /work/main) or one level further up (a worktree in
// /work/wt/NAME).
var sharedPcaps = func() string {
	for _, d := range []string{"../../shared/pcaps", "../../../shared/pcaps"} {
		if _, err := os.Stat(d); err == nil {
			return d
		}
	}
	return "../../shared/pcaps"
}()

// wsPDU is one PDU's Wireshark-named values, in decoding order.
type wsPDU map[string][]string

// wsCollector keeps the Wireshark-named values of each error-free frame by
// the packet that completed it.
type wsCollector struct {
	proto string // the protocol whose frames are compared
	// has, when set, is the field a frame must have to count as a PDU of
	// the oracle's protocol (an MMS PDU in an ISO session frame).
	has    string
	pdus   map[uint64][]wsPDU
	failed []string
}

func (c *wsCollector) Emit(r *dissectors.Record) error {
	if r.Kind != dissectors.KindFrame || r.Frame == nil || r.Protocol == nil || r.Protocol.Name != c.proto {
		return nil
	}
	if r.Err() != "" {
		c.failed = append(c.failed, fmt.Sprintf("packet %d: %s", r.LastPacket, r.Err()))
		return nil
	}
	f := r.Frame
	if c.has != "" {
		if _, ok := f.Lookup(c.has); !ok {
			return nil
		}
	}
	vals := wsPDU{}
	for i := range f.Nodes {
		n := &f.Nodes[i]
		if n.Field == nil || n.Field.Wireshark == "" || n.Field.Hidden {
			continue
		}
		var v string
		switch n.Type.Kind {
		case schema.KindUint, schema.KindInt:
			if n.Field.Time != schema.NoTime {
				if ts, ok := n.Time(); ok {
					v = ts.Format(time.RFC3339Nano)
					break
				}
			}
			v = strconv.FormatInt(n.Int(), 10)
		case schema.KindBool:
			v = strconv.FormatInt(n.Int(), 10)
		case schema.KindFloat:
			v = strconv.FormatFloat(n.Float(), 'g', -1, 64)
		case schema.KindString:
			v = string(f.Bytes(i))
		case schema.KindBytes:
			if b, ok := schema.AppendAddr(nil, f.Bytes(i), n.Field.Format); ok {
				v = string(b)
				break
			}
			v = hex.EncodeToString(f.Bytes(i))
		default:
			continue
		}
		vals[n.Field.Wireshark] = append(vals[n.Field.Wireshark], v)
	}
	c.pdus[r.LastPacket] = append(c.pdus[r.LastPacket], vals)
	return nil
}

// oracleLayers reads a tshark -T json file and returns, for each element of
// the array, its PDUs: the layers named in protos (a frame with several
// PDUs repeats the keys), each PDU starting at the first of them and
// gathering the leaf values of the others that follow it.
func oracleLayers(t *testing.T, path string, protos ...string) (out [][]wsPDU, frameNumbers []uint64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReader(f))
	// The file is an array of {"_index":..., "_source": {"layers": {...}}}.
	expect := func(want json.Delim) {
		tok, err := dec.Token()
		if err != nil || tok != want {
			t.Fatalf("%s: got %v (%v), want %v", path, tok, err, want)
		}
	}
	expect('[')
	for dec.More() {
		var frame []wsPDU
		pastFirst := false
		expect('{')
		for dec.More() {
			key, _ := dec.Token()
			if key != "_source" {
				skipValue(t, dec)
				continue
			}
			expect('{')
			for dec.More() {
				dec.Token() // "layers"
				expect('{')
				for dec.More() {
					name, _ := dec.Token()
					if name == "frame" {
						fr := wsPDU{}
						flattenOracle(t, dec, fr)
						if v := fr["frame.number"]; len(v) == 1 {
							n, _ := strconv.ParseUint(v[0], 10, 64)
							frameNumbers = append(frameNumbers, n)
						}
						continue
					}
					switch {
					case !slices.Contains(protos, name.(string)):
						skipValue(t, dec)
						continue
					case name == protos[0] && (len(frame) == 0 || pastFirst || len(protos) == 1):
						// A PDU starts at its first layer, which it may
						// repeat (an ISO session frame has two SPDUs).
						frame = append(frame, wsPDU{})
						pastFirst = false
					case name != protos[0]:
						if len(frame) == 0 {
							frame = append(frame, wsPDU{})
						}
						pastFirst = true
					}
					flattenOracle(t, dec, frame[len(frame)-1])
				}
				expect('}')
			}
			expect('}')
		}
		expect('}')
		out = append(out, frame)
	}
	return out, frameNumbers
}

func skipValue(t *testing.T, dec *json.Decoder) {
	t.Helper()
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
}

// flattenOracle reads one JSON value and adds its string leaves under their
// keys, in document order.
func flattenOracle(t *testing.T, dec *json.Decoder, pdu wsPDU) {
	t.Helper()
	tok, err := dec.Token()
	if err != nil {
		t.Fatal(err)
	}
	if tok != json.Delim('{') {
		return
	}
	for dec.More() {
		k, _ := dec.Token()
		key := k.(string)

		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			t.Fatal(err)
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			pdu[key] = append(pdu[key], s)
			continue
		}
		var list []string
		if json.Unmarshal(raw, &list) == nil {
			pdu[key] = append(pdu[key], list...)
			continue
		}
		sub := json.NewDecoder(strings.NewReader(string(raw)))
		flattenOracle(t, sub, pdu)
	}
	dec.Token() // '}'
}

// pduFrames reads PDU-INDEX.tsv: for file, the frame number of each element
// of the oracle array.
func pduFrames(t *testing.T, file string) []uint64 {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedPcaps, "PDU-INDEX.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var frames []uint64
	for line := range strings.Lines(string(b)) {
		cols := strings.Split(strings.TrimSpace(line), "\t")
		if len(cols) < 3 || cols[0] != file {
			continue
		}
		n, err := strconv.ParseUint(cols[2], 10, 64)
		if err != nil {
			t.Fatalf("PDU-INDEX.tsv: %q", line)
		}
		frames = append(frames, n)
	}
	return frames
}

// sameValue compares one of our values with tshark's rendering of it:
// numbers in any base, bytes as colon-separated hex, times as tshark
// writes them in UTC.
func sameValue(ours, theirs string) bool {
	if ours == theirs {
		return true
	}
	if n, err := strconv.ParseInt(theirs, 0, 64); err == nil && strconv.FormatInt(n, 10) == ours {
		return true
	}
	if n, err := strconv.ParseUint(theirs, 0, 64); err == nil && strconv.FormatInt(int64(n), 10) == ours {
		return true
	}
	if a, err := strconv.ParseFloat(ours, 64); err == nil {
		if b, err := strconv.ParseFloat(theirs, 64); err == nil && math.Abs(a-b) <= 1e-6*max(1, math.Abs(b)) {
			return true
		}
	}
	if ours == "0" && strings.HasPrefix(theirs, "Jan  1, 1970 00:00:00.000000000") {
		return true // a null OPC UA DateTime: we show 0, tshark the Unix epoch
	}
	if ts, err := time.Parse("Jan 2, 2006 15:04:05.999999999 MST", strings.Join(strings.Fields(theirs), " ")); err == nil {
		o, err := time.Parse(time.RFC3339Nano, ours)
		return err == nil && o.Equal(ts)
	}
	if h := strings.ReplaceAll(theirs, ":", ""); len(h)%2 == 0 {
		if _, err := hex.DecodeString(h); err == nil {
			return h == ours
		}
	}
	return false
}

// compareWithOracle decodes path and checks it against the oracle: the
// same number of PDUs in every packet, and for every mapped field of every
// PDU, our values are the first values tshark lists (tshark decodes some
// bodies further than the schema does), in the same order.
func compareWithOracle(t *testing.T, file, proto, has string, layers ...string) {
	path := filepath.Join(sharedPcaps, file)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s not present", path)
	}
	oracle, _ := oracleLayers(t, path+".tshark.json", layers...)
	frames := pduFrames(t, file)
	compareRun(t, path, proto, has, oracle, frames)
}

// compareRun decodes path and compares it with an oracle of tshark layers
// whose elements are the packets numbered frames.
func compareRun(t *testing.T, path, proto, has string, oracle [][]wsPDU, frames []uint64) {
	file := filepath.Base(path)
	col := &wsCollector{proto: proto, has: has, pdus: map[uint64][]wsPDU{}}
	if _, err := runFile(t, path, Config{Sink: col}); err != nil {
		t.Fatal(err)
	}
	for _, e := range col.failed {
		t.Errorf("%s", e)
	}
	if len(frames) != len(oracle) {
		t.Fatalf("%d frame numbers for %d oracle elements", len(frames), len(oracle))
	}
	theirCount, ourCount, values := 0, 0, 0
	for _, pdus := range col.pdus {
		ourCount += len(pdus)
	}
	for i, theirs := range oracle {
		pkt := frames[i]
		ours := col.pdus[pkt]
		theirCount += len(theirs)
		if len(ours) != len(theirs) {
			t.Errorf("packet %d: %d PDUs, tshark %d", pkt, len(ours), len(theirs))
			continue
		}
		for j := range theirs {
			for field, mine := range ours[j] {
				want := theirs[j][field]
				if len(want) == 0 && (slices.Equal(theirs[j]["opcua.transport.chunk"], []string{"C"}) || slices.Equal(theirs[j]["dnp3.tr.fin"], []string{"0"})) {
					// tshark shows a message sent in several chunks (OPC
					// UA) or transport segments (DNP3) with its last piece,
					// reassembled; we show its start in the first piece.
					continue
				}
				if len(want) < len(mine) {
					t.Errorf("packet %d PDU %d: %s = %q, tshark has %q", pkt, j, field, mine, want)
					continue
				}
				for k := range mine {
					values++
					if !sameValue(mine[k], want[k]) {
						t.Errorf("packet %d PDU %d: %s[%d] = %q, tshark %q", pkt, j, field, k, mine[k], want[k])
					}
				}
			}
		}
	}
	for _, pkt := range tsharkMisses[file] {
		ourCount -= len(col.pdus[pkt])
	}
	if ourCount != theirCount {
		listed := map[uint64]bool{}
		for _, f := range frames {
			listed[f] = true
		}
		var extra []uint64
		for pkt := range col.pdus {
			if !listed[pkt] {
				extra = append(extra, pkt)
			}
		}
		t.Errorf("%d PDUs, tshark %d; packets with PDUs tshark does not list: %v", ourCount, theirCount, extra)
	}
	t.Logf("%s: %d PDUs (tshark %d), %d values compared", file, ourCount, theirCount, values)
}

// tsharkMisses lists packets where we decode a PDU that tshark 4.0 does
// not: in opcua-cisa-with-gap-and-handshake.pcapng, packet 30 completes a
// 13,990-byte CreateSessionResponse whose segments tshark mistakes for
// spurious retransmissions.
var tsharkMisses = map[string][]uint64{
	"opcua-cisa-with-gap-and-handshake.pcapng": {30},
}

func TestOPCUARealCaptures(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedPcaps, "opcua-*.pcap*"))
	var n int
	for _, f := range files {
		if strings.HasSuffix(f, ".json") {
			continue
		}
		n++
		t.Run(filepath.Base(f), func(t *testing.T) { compareWithOracle(t, filepath.Base(f), "opcua", "", "opcua") })
	}
	if n == 0 {
		t.Skip("no shared OPC UA captures")
	}
}

// industrialLayers says, per protocol, which tshark layers hold the fields
// its schema maps, the first one starting each PDU, and the field a frame
// must have to count as one of tshark's PDUs.
var industrialLayers = map[string]struct {
	layers []string
	has    string
}{
	"opcua":   {[]string{"opcua"}, ""},
	"mms":     {[]string{"ses", "pres", "mms"}, "mms"},
	"dnp3":    {[]string{"dnp3"}, ""},
	"dnp3udp": {[]string{"dnp3"}, ""},
}

func TestMMSRealCaptures(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedPcaps, "mms-*.pcap"))
	if len(files) == 0 {
		t.Skip("no shared MMS captures")
	}
	l := industrialLayers["mms"]
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) { compareWithOracle(t, filepath.Base(f), "mms", l.has, l.layers...) })
	}
}

// TestGeneratedIndustrialCaptures has tshark decode the generated captures
// of the industrial protocols and compares its fields with ours.
func TestGeneratedIndustrialCaptures(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark is not installed")
	}
	for _, pc := range pcapgen.ProtocolCaptures() {
		l, ok := industrialLayers[pc.Protocol]
		if !ok {
			continue
		}
		ws := l.layers[len(l.layers)-1] // the tshark filter: the protocol itself
		t.Run(pc.File, func(t *testing.T) {
			path := filepath.Join(pcapDir, pc.File)
			dir := t.TempDir()
			cmd := exec.Command(tshark, "-n", "-r", path, "-Y", ws, "-T", "json", "-J", "frame "+strings.Join(l.layers, " "))
			cmd.Env = append(os.Environ(), "HOME="+dir) // no user preferences
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("tshark: %v", err)
			}
			oracle := filepath.Join(dir, "oracle.json")
			if err := os.WriteFile(oracle, out, 0o644); err != nil {
				t.Fatal(err)
			}
			layers, frames := oracleLayers(t, oracle, l.layers...)
			compareRun(t, path, pc.Protocol, l.has, layers, frames)
		})
	}
}

// Every Wireshark field name the industrial schemas give exists in the
// installed tshark.
func TestIndustrialWiresharkNames(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark is not installed")
	}
	cmd := exec.Command(tshark, "-G", "fields")
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark -G fields: %v", err)
	}
	known := map[string]bool{}
	for line := range strings.Lines(string(out)) {
		if cols := strings.Split(line, "\t"); len(cols) > 2 && cols[0] == "F" {
			known[cols[2]] = true
		}
	}
	reg := bundledRegistry(t)
	n := 0
	for _, proto := range []string{"opcua", "mms", "dnp3", "dnp3udp", "tpkt"} {
		d, ok := reg.ByName(proto)
		if !ok {
			t.Fatalf("no %s", proto)
		}
		sd, ok := d.(*dissectors.SchemaDissector)
		if !ok {
			t.Fatalf("%s is not a schema", proto)
		}
		for _, st := range sd.Program.Structs {
			for _, f := range st.Fields {
				if f.Wireshark == "" {
					continue
				}
				n++
				if !known[f.Wireshark] {
					t.Errorf("%s: %s.%s names %q, which tshark does not know", proto, st.Name, f.Name, f.Wireshark)
				}
			}
		}
	}
	t.Logf("%d field names checked", n)
}
