// memcached binary protocol, as in "Memcache Binary Protocol" (the
// protocol_binary.h of memcached and the draft of Stone and Norbye, 2008).
//
// Every message is a 24-byte header, then extras, key and value, in that
// order; the header gives the lengths of the extras and the key, and the
// total length of the body. Requests start with the magic 0x80, responses
// with 0x81. What the extras hold depends on the command and on the
// direction (a Set request carries flags and an expiration, a Get response
// the flags alone); the value of an Increment or Decrement response is the
// new 64-bit counter.
//
// A response is paired with its request by the opaque field, which the
// server copies. Quiet commands (GetQ, SetQ, ...) are answered only on a
// miss or an error, so a quiet request that succeeded is reported as
// unanswered: that is what happened on the wire.
//
// The text protocol, which shares port 11211, is not decoded: its first
// byte is never 0x80 or 0x81, so such a connection shows as bytes that
// cannot be framed. memcache_udp.dsl decodes the binary protocol over UDP.

protocol memcache {
    title       "memcached binary"
    description "memcached binary protocol: get/set/add/replace/delete/incr/decr/flush/stat..., paired by opaque"
    transport   tcp
    ports       11211
    endian      big
    wireshark   "memcache"
    request     Request
    response    Response
}

// 24 header bytes, then the body. The magic and the lengths make the
// search for a frame boundary reliable: the extras and the key must fit in
// the body. Values are at most 1 MiB by default (memcached -I raises it to
// 1 GiB); 64 MiB bounds what a lost boundary can make the decoder wait for.
framing {
    size (u8(0) == 0x80 || u8(0) == 0x81) && u8(4) + u16(2) <= u32(8) ? u32(8) + 24 : 0
    min  24
    max  67108864
}

// The magic byte, a known opcode, data type 0 (raw), a key of at most 250
// bytes (memcached's limit), extras of at most 20, both within the body;
// a response also has a known status.
heuristic {
    request  u8(0) == 0x80 && u8(5) == 0 && u16(2) <= 250 && u8(4) <= 20 && u8(4) + u16(2) <= u32(8) &&
             (u8(1) <= 0x1E || (u8(1) >= 0x20 && u8(1) <= 0x22) || (u8(1) >= 0x30 && u8(1) <= 0x3C))
    response u8(0) == 0x81 && u8(5) == 0 && u16(2) <= 250 && u8(4) <= 20 && u8(4) + u16(2) <= u32(8) &&
             (u8(1) <= 0x1E || (u8(1) >= 0x20 && u8(1) <= 0x22) || (u8(1) >= 0x30 && u8(1) <= 0x3C)) &&
             (u16(6) <= 9 || (u16(6) >= 0x81 && u16(6) <= 0x86))
}

enum Magic : u8 {
    request  = 0x80 "Request"
    response = 0x81 "Response"
}

enum Opcode : u8 {
    get                = 0x00 "Get"
    set                = 0x01 "Set"
    add                = 0x02 "Add"
    replace            = 0x03 "Replace"
    delete             = 0x04 "Delete"
    increment          = 0x05 "Increment"
    decrement          = 0x06 "Decrement"
    quit               = 0x07 "Quit"
    flush              = 0x08 "Flush"
    getq               = 0x09 "Get Quietly"
    noop               = 0x0a "No-op"
    version            = 0x0b "Version"
    getk               = 0x0c "Get Key"
    getkq              = 0x0d "Get Key Quietly"
    append             = 0x0e "Append"
    prepend            = 0x0f "Prepend"
    stat               = 0x10 "Statistics"
    setq               = 0x11 "Set Quietly"
    addq               = 0x12 "Add Quietly"
    replaceq           = 0x13 "Replace Quietly"
    deleteq            = 0x14 "Delete Quietly"
    incrementq         = 0x15 "Increment Quietly"
    decrementq         = 0x16 "Decrement Quietly"
    quitq              = 0x17 "Quit Quietly"
    flushq             = 0x18 "Flush Quietly"
    appendq            = 0x19 "Append Quietly"
    prependq           = 0x1a "Prepend Quietly"
    verbosity          = 0x1b "Verbosity"
    touch              = 0x1c "Touch"
    gat                = 0x1d "Get And Touch"
    gatq               = 0x1e "Get And Touch Quietly"
    sasl_list_mechs    = 0x20 "SASL List Mechanisms"
    sasl_auth          = 0x21 "SASL Authenticate"
    sasl_step          = 0x22 "SASL Step"
    rget               = 0x30 "Range Get"
    rset               = 0x31 "Range Set"
    rsetq              = 0x32 "Range Set Quietly"
    rappend            = 0x33 "Range Append"
    rappendq           = 0x34 "Range Append Quietly"
    rprepend           = 0x35 "Range Prepend"
    rprependq          = 0x36 "Range Prepend Quietly"
    rdelete            = 0x37 "Range Delete"
    rdeleteq           = 0x38 "Range Delete Quietly"
    rincr              = 0x39 "Range Increment"
    rincrq             = 0x3a "Range Increment Quietly"
    rdecr              = 0x3b "Range Decrement"
    rdecrq             = 0x3c "Range Decrement Quietly"
}

enum Status : u16 {
    no_error           = 0x0000 "No error"
    key_not_found      = 0x0001 "Key not found"
    key_exists         = 0x0002 "Key exists"
    value_too_large    = 0x0003 "Value too large"
    invalid_arguments  = 0x0004 "Invalid arguments"
    item_not_stored    = 0x0005 "Item not stored"
    non_numeric        = 0x0006 "Incr/Decr on non-numeric value"
    wrong_vbucket      = 0x0007 "The vbucket belongs to another server"
    auth_error         = 0x0008 "Authentication error"
    auth_continue      = 0x0009 "Authentication continue"
    unknown_command    = 0x0081 "Unknown command"
    out_of_memory      = 0x0082 "Out of memory"
    not_supported      = 0x0083 "Not supported"
    internal_error     = 0x0084 "Internal error"
    busy               = 0x0085 "Busy"
    temporary_failure  = 0x0086 "Temporary failure"
}

enum DataType : u8 {
    raw = 0x00 "Raw bytes"
}

// ---------------------------------------------------------------------

struct Request [summary = "{opcode:label} Request{key_text}"] {
    magic            Magic  = request [ws = "memcache.magic", base = hex]
    opcode           Opcode [ws = "memcache.opcode", base = hex]
    key_length       u16    [ws = "memcache.key.length"]
    extras_length    u8     [ws = "memcache.extras.length"]
    data_type        DataType [ws = "memcache.data_type", base = hex, doc = "Reserved for future use: 0"]
    vbucket          u16    [ws = "memcache.reserved", doc = "The virtual bucket of the key (0 outside Couchbase)"]
    total_body_length u32   [ws = "memcache.total_body_length"]
    opaque           u32    [ws = "memcache.opaque", base = hex, doc = "Copied by the server into the response"]
    cas              u64    [ws = "memcache.cas", base = hex, doc = "Compare and swap: the item's version to check, or 0"]
    assert extras_length + key_length <= total_body_length, "extras and key are longer than the body"
    extras switch opcode {
        case set, add, replace, setq, addq, replaceq:       StorageExtras
        case increment, decrement, incrementq, decrementq:  CounterExtras
        case flush, flushq, touch, gat, gatq:                ExpirationExtras
        case verbosity:                                       VerbosityExtras
        default:                                              UnknownExtras
    } [size = extras_length, if = extras_length > 0]
    key   [key_length]utf8 [ws = "memcache.key", if = key_length > 0]
    value [total_body_length - extras_length - key_length]utf8 [ws = "memcache.value", if = total_body_length > extras_length + key_length]
    let key_text_present = key_length > 0 [hidden]
    key_text switch key_text_present { case 1: KeyText(key_length)  default: Empty } [at = offset(magic) + 24 + extras_length]
    pair request opaque
}

struct Response [summary = "{opcode:label} Response{status_text}{key_text}{counter_text}"] {
    magic            Magic  = response [ws = "memcache.magic", base = hex]
    opcode           Opcode [ws = "memcache.opcode", base = hex]
    key_length       u16    [ws = "memcache.key.length"]
    extras_length    u8     [ws = "memcache.extras.length"]
    data_type        DataType [ws = "memcache.data_type", base = hex]
    status           Status [ws = "memcache.status", base = hex]
    total_body_length u32   [ws = "memcache.total_body_length"]
    opaque           u32    [ws = "memcache.opaque", base = hex]
    cas              u64    [ws = "memcache.cas", base = hex, doc = "The item's version after the command"]
    assert extras_length + key_length <= total_body_length, "extras and key are longer than the body"
    extras switch opcode {
        case get, getq, getk, getkq, gat, gatq: GetExtras
        default:                                UnknownExtras
    } [size = extras_length, if = extras_length > 0]
    key   [key_length]utf8 [ws = "memcache.key", if = key_length > 0]
    // An Increment or Decrement that succeeded answers with the new value
    // as a 64-bit integer; every other value (and an error's message) is
    // bytes, shown as text.
    let counter_value = status == Status.no_error && total_body_length - extras_length - key_length == 8 &&
        (opcode == Opcode.increment || opcode == Opcode.decrement || opcode == Opcode.incrementq || opcode == Opcode.decrementq) [hidden]
    counter u64 [ws = "memcache.extras.response", if = counter_value]
    value [total_body_length - extras_length - key_length]utf8 [ws = "memcache.value", if = !counter_value && total_body_length > extras_length + key_length]
    let status_shown = status != Status.no_error [hidden]
    status_text switch status_shown { case 1: StatusText(status)  default: Empty } [at = offset(magic) + 6]
    let key_text_present = key_length > 0 [hidden]
    key_text switch key_text_present { case 1: KeyText(key_length)  default: Empty } [at = offset(magic) + 24 + extras_length]
    counter_text switch counter_value { case 1: CounterText  default: Empty } [at = offset(magic) + 24 + extras_length + key_length]
    // A Statistics request is answered with one response per statistic,
    // then one with no key: that last one is the answer.
    pair response opaque [if = opcode != Opcode.stat || key_length == 0]
}

struct Empty {}

// The parts of the summary that are there only sometimes. They re-read
// bytes already decoded (at = ...) and show nothing in the tree.
struct KeyText(key_length u16) [summary = ", Key: {key:text}"] {
    key [key_length]utf8 [hidden]
}

struct StatusText(status Status) [summary = " ({code:label})"] {
    code Status [hidden]
}

struct CounterText [summary = ", Value: {counter}"] {
    counter u64 [hidden]
}

// Set, Add, Replace (and their quiet forms).
struct StorageExtras {
    flags      u32 [ws = "memcache.extras.flags", base = hex, doc = "Opaque to the server, returned with the item"]
    expiration u32 [ws = "memcache.extras.expiration", unit = "s", doc = "0: never; up to 30 days a relative time, beyond a Unix time"]
}

// Increment and Decrement requests.
struct CounterExtras {
    delta      u64 [ws = "memcache.extras.delta", doc = "Amount to add or subtract"]
    initial    u64 [ws = "memcache.extras.initial", doc = "Value stored when the key does not exist"]
    expiration u32 [ws = "memcache.extras.expiration", unit = "s", doc = "0xffffffff: fail when the key does not exist"]
}

// Flush (optional), Touch and Get And Touch requests.
struct ExpirationExtras {
    expiration u32 [ws = "memcache.extras.expiration", unit = "s"]
}

struct VerbosityExtras {
    verbosity u32
}

// Responses to Get and its variants.
struct GetExtras {
    flags u32 [ws = "memcache.extras.flags", base = hex]
}

// Extras of a command that takes none (shown as bytes).
struct UnknownExtras {
    data []byte [ws = "memcache.extras.unknown"]
}
