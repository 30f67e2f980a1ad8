package dissectors

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Tests of the stream adapter's schema-driven features: resynchronisation
// over K frames, magic and delimiter framing, connection state, and
// request/response pairing.

// testDissector compiles a schema written in the test into a registry.
func testDissector(t *testing.T, src string) (*Registry, string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "t.dsl")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	reg := NewRegistry()
	if err := reg.LoadPath(p); err != nil {
		t.Fatal(err)
	}
	if err := reg.Link(); err != nil {
		t.Fatal(err)
	}
	return reg, reg.List()[0].Info().Name
}

// A protocol with a magic byte, a length, a type and state: 0xAA LEN TYPE BODY.
const magicProto = `protocol t { ports 7777; request Msg; response Msg }
framing {
	magic 0xAA
	size  u8(1) + 2
	max   64
	resync 3
}
state { hello_seen bool = false }
enum Type : u8 { hello = 1; ping = 2; pong = 3 }
struct Msg [summary = "{type}"] {
	magic u8 = 0xAA
	len   u8
	type  Type [range = 1..3]
	body  switch type {
		case hello: Hello
		case ping:  Ping
		case pong:  Pong
	}
}
struct Hello { set state.hello_seen = 1 }
struct Ping  { id u8; assert state.hello_seen, "ping before hello"; pair request id }
struct Pong  { id u8; pair response id }
`

func magicMsg(typ byte, body ...byte) []byte {
	return append([]byte{0xAA, byte(1 + len(body)), typ}, body...)
}

func TestResyncNeedsKFrames(t *testing.T) {
	reg, proto := testDissector(t, magicProto)
	hello := magicMsg(1)
	ping := func(id byte) []byte { return magicMsg(2, id) }
	// Garbage that looks like a frame once (AA 01 02 = a ping with no id,
	// which fails) and once for real (a good hello, then garbage).
	var stream []byte
	stream = append(stream, 0x13, 0xAA, 0x01, 0x02)
	stream = append(stream, magicMsg(1)...) // a lone good frame: not enough for resync 3
	stream = append(stream, 0x77)
	good := append(append(append([]byte{}, hello...), ping(5)...), ping(6)...)
	stream = append(stream, good...)
	d, _ := reg.ByName(proto)
	col := &frameCollector{}
	conn := d.NewConnection(&Conn{Transport: "tcp"}, col)
	if err := conn.Feed(ClientToServer, stream, feedLoc{1}, true); err != nil {
		t.Fatal(err)
	}
	conn.Close(Packet{Number: 2})
	var kinds []string
	for _, f := range col.frames {
		kinds = append(kinds, f.String())
	}
	got := strings.Join(kinds, "\n")
	want := strings.Join([]string{
		`skipped@0+8 "" err="capture started in the middle of the stream; searching for the start of a frame" pair=none`,
		`frame@8+3 "hello (1)" err="" pair=none`,
		`frame@11+4 "ping (2)" err="" pair=request`,
		`frame@15+4 "ping (2)" err="" pair=request`,
		`unanswered@0+0 "" err="request at packet 1 (key 5) got no response" pair=unanswered`,
		`unanswered@0+0 "" err="request at packet 1 (key 6) got no response" pair=unanswered`,
	}, "\n")
	if got != want {
		t.Errorf("records:\n%s\nwant:\n%s", got, want)
	}
}

// The candidate frames tried while resynchronising must not change the
// connection's state: here a hello inside the garbage would otherwise make
// the later ping valid.
func TestTrialDecodesLeaveStateAlone(t *testing.T) {
	reg, proto := testDissector(t, magicProto)
	// AA 01 01 is a hello, but the bytes after it are not frames, so it is
	// never trusted; then a ping that must fail: no hello was really seen.
	stream := []byte{0xAA, 0x01, 0x01, 0x55, 0x55}
	stream = append(stream, magicMsg(2, 9)...)
	stream = append(stream, magicMsg(2, 9)...)
	stream = append(stream, magicMsg(2, 9)...)
	d, _ := reg.ByName(proto)
	col := &frameCollector{}
	conn := d.NewConnection(&Conn{Transport: "tcp"}, col)
	if err := conn.Feed(ClientToServer, stream, feedLoc{1}, true); err != nil {
		t.Fatal(err)
	}
	conn.Close(Packet{Number: 2})
	frames := col.frames
	if len(frames) == 0 {
		t.Fatal("no records")
	}
	for _, f := range frames {
		if f.Kind == KindFrame && f.Err == "" {
			t.Fatalf("a ping decoded as valid after a hello that was only tried: %v", frames)
		}
	}
}

func TestStateAcrossFrames(t *testing.T) {
	reg, proto := testDissector(t, magicProto)
	frames := decodeChunks(t, reg, proto, []chunk{
		{ClientToServer, magicMsg(2, 1)}, // ping before hello: the assertion fails
		{ClientToServer, magicMsg(1)},
		{ClientToServer, magicMsg(2, 2)},
	})
	if !strings.Contains(frames[0].Err, "assertion failed: expected ping before hello") {
		t.Errorf("ping before hello: %v", frames[0])
	}
	if frames[2].Err != "" {
		t.Errorf("ping after hello: %v", frames[2])
	}
	// Each connection has its own state.
	frames = decodeChunks(t, reg, proto, []chunk{{ClientToServer, magicMsg(2, 3)}})
	if frames[0].Err == "" {
		t.Error("state leaked from one connection to the next")
	}
}

func TestPairing(t *testing.T) {
	reg, proto := testDissector(t, magicProto)
	frames := decodeChunks(t, reg, proto, []chunk{
		{ClientToServer, magicMsg(1)},
		{ClientToServer, magicMsg(2, 1)},                            // 2: request 1
		{ClientToServer, append(magicMsg(2, 2), magicMsg(2, 3)...)}, // 3: requests 2 and 3
		{ServerToClient, magicMsg(3, 2)},                            // 4: answers 2
		{ServerToClient, magicMsg(3, 1)},                            // 5: answers 1
		{ServerToClient, magicMsg(3, 1)},                            // 6: duplicate
		{ServerToClient, magicMsg(3, 9)},                            // 7: unsolicited
		{ServerToClient, magicMsg(2, 4)},                            // 8: the server asks too
		{ClientToServer, magicMsg(3, 4)},                            // 9: the client answers
		{ClientToServer, append(magicMsg(2, 7), magicMsg(2, 7)...)}, // 10: key reused before an answer
	})
	var got []string
	for _, f := range frames {
		s := f.Kind.String() + " " + f.Pair.Status.String()
		if f.Pair.PeerPacket != 0 {
			s += " peer " + itoa(f.Pair.PeerPacket)
		}
		got = append(got, s)
	}
	want := []string{
		"frame none", "frame request", "frame request", "frame request",
		"frame matched peer 3", "frame matched peer 2", "frame duplicate peer 5", "frame unsolicited",
		"frame request", "frame matched peer 8",
		"frame request", "unanswered unanswered", "frame request",
		"unanswered unanswered", "unanswered unanswered",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("pairing:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

const lineProto = `protocol lines { ports 7778; message Line }
framing {
	delimiter "\r\n"
	max 32
}
struct Line [summary = "{text}"] {
	text [until "\r\n"]ascii
}
`

func TestDelimiterFraming(t *testing.T) {
	reg, proto := testDissector(t, lineProto)
	stream := []byte("HELLO\r\nWORLD\r\n")
	frames := checkEverySplit(t, reg, proto, ClientToServer, stream)
	if len(frames) != 2 || frames[0].Summary != `"HELLO"` || frames[1].Summary != `"WORLD"` {
		t.Fatalf("lines: %v", frames)
	}
	// A line longer than max is skipped, and decoding resumes.
	frames = decodeChunks(t, reg, proto, []chunk{{ClientToServer, []byte(strings.Repeat("x", 40) + "\r\nOK\r\n")}})
	last := frames[len(frames)-1]
	if frames[0].Kind != KindSkipped || last.Summary != `"OK"` {
		t.Fatalf("long line: %v", frames)
	}
}

// A stream of messages with every feature the adapter drives decodes the
// same however it is split.
func TestAdapterEverySplit(t *testing.T) {
	reg, proto := testDissector(t, magicProto)
	var stream []byte
	stream = append(stream, magicMsg(1)...)
	for id := byte(1); id <= 4; id++ {
		stream = append(stream, magicMsg(2, id)...)
	}
	checkEverySplit(t, reg, proto, ClientToServer, stream)
}

// Two protocols, one streaming into the other, as TLS records carry
// handshake messages: a message may span records, and a record may hold
// several messages.
const recordProto = `protocol rec { ports 7790; message Record }
framing { size u16(1) + 3 }
struct Record [summary = "record {type}"] {
	type     u8
	length   u16
	fragment [length]byte [stream = "msgs", if = type == 22]
	other    [length]byte [if = type != 22]
}
`

const msgsProto = `protocol msgs { ports 7791; message Msg }
framing { size u8(1) + 2 }
struct Msg [summary = "msg {kind}: {body}"] {
	kind u8 [range = 1..9]
	len  u8
	body [len]ascii
}
`

func TestStreamLayers(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{"rec.dsl": recordProto, "msgs.dsl": msgsProto} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	reg := NewRegistry()
	if err := reg.LoadPath(dir); err != nil {
		t.Fatal(err)
	}
	if err := reg.Link(); err != nil {
		t.Fatal(err)
	}
	record := func(typ byte, frag ...byte) []byte {
		return append([]byte{typ, byte(len(frag) >> 8), byte(len(frag))}, frag...)
	}
	// Message 1 ("hello") spans records 1 and 2; record 2 also holds
	// message 2 ("ab") and the start of message 3, which record 4 ends;
	// record 3 is of another type.
	stream := append([]byte{}, record(22, 1, 5, 'h', 'e')...)
	stream = append(stream, record(22, 'l', 'l', 'o', 2, 2, 'a', 'b', 3)...)
	stream = append(stream, record(23, 0xff)...)
	stream = append(stream, record(22, 1, 'z')...)
	want := []string{
		`record 22`, `record 22`, `msg 1: "hello"`, `msg 2: "ab"`, `record 23`, `record 22`, `msg 3: "z"`,
	}
	got := checkEverySplit(t, reg, "rec", ClientToServer, stream)
	var summaries []string
	for _, f := range got {
		summaries = append(summaries, strings.Replace(strings.Replace(f.Summary, " (22)", "", 1), " (23)", "", 1))
	}
	if strings.Join(summaries, "\n") != strings.Join(want, "\n") {
		t.Errorf("records:\n%s\nwant:\n%s", strings.Join(summaries, "\n"), strings.Join(want, "\n"))
	}
	// A gap in the records makes the inner stream resynchronise, and the
	// end of the connection flushes its partial message.
	d, _ := reg.ByName("rec")
	col := &frameCollector{}
	conn := d.NewConnection(&Conn{Transport: "tcp"}, col)
	conn.Feed(ClientToServer, record(22, 1, 9, 'x'), feedLoc{1}, false)
	conn.Gap(ClientToServer, 10, Packet{Number: 2})
	conn.Feed(ClientToServer, record(22, 'q', 2, 1, 'y'), feedLoc{3}, false)
	conn.Close(Packet{Number: 4})
	var kinds []string
	for _, f := range col.frames {
		kinds = append(kinds, f.Kind.String()+" "+f.Summary+" "+f.Err)
	}
	joined := strings.Join(kinds, "\n")
	for _, want := range []string{"incomplete frame: the rest was lost in a gap in the capture", "skipped", `msg 2: "y"`, "gap"} {
		if !strings.Contains(joined, want) {
			t.Errorf("after a gap, records lack %q:\n%s", want, joined)
		}
	}
}
