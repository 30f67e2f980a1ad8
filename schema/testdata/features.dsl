// A schema that uses every feature of the language at once, for the
// fuzzers: whatever the bytes, decoding must stay in bounds and finish.
protocol features {
    transport udp
    message   M
}

state { seen u8 = 0 }

enum Kind : b4 { name = 1; text = 2; nums = 3; sized = 4; sum = 5 }
flags F : b4 { a = 1; b = 2; c = 4; d = 8 }

struct M [summary = "{kind} {flags}"] {
    kind  Kind
    flags F
    n     uleb128 [range = 0..200]
    body  switch kind {
        case name:  Names
        case text:  Texts(n)
        case nums:  Nums
        case sized: Sized(n)
        case sum:   Sum
        default:    []byte
    }
    set state.seen = state.seen + 1
    pair request n
}

struct Names { a Name; b Name }
struct Name { labels [until last.kind != 0 || last.length == 0]Label }
struct Label {
    kind   b2
    length b6
    text   [length]ascii [if = kind == 0]
    low    u8            [if = kind == 3]
    target Name          [if = kind == 3, at = (length << 8) | low]
}

struct Texts(n u8) {
    a [until 0]utf8
    b [n % 8]utf16le
    c [until "\r\n"]latin1 [if = remaining() > 2]
    d []ascii
}

struct Nums {
    z  zigzag
    s  sleb128
    q  quic_varint
    m  mqtt_varint
    l  ber_length
    xs [while remaining() >= 2 && u8(offset()) != 0]s16 [scale = 0.5, unit = "V"]
    t  u32 [time = unix, if = remaining() >= 4]
    rest []byte
}

struct Sized(n u8) {
    inner Inner [size = min(n, remaining())]
    align 4
    tail [until last == 0]u8 [if = remaining() > 0]
}

struct Inner {
    let twice = parent.n * 2
    v  [1]byte [pad = 4]
    xs []u16
}

struct Sum {
    data [8]byte
    crc  u16 [checksum = crc16_modbus(0, offset(crc))]
    ip   u16 [checksum = internet(0, 12)]
    assert crc != 0, "zero crc"
}
