// NTP: the Network Time Protocol, versions 3 (RFC 1305) and 4 (RFC 5905),
// over UDP. Modes 1 to 5 carry the 48-byte time packet, then optional
// extension fields (RFC 7822) and a MAC; mode 6 carries control messages
// (RFC 1305 appendix B, RFC 9327); mode 7 (ntpd's private requests) is
// shown as bytes.
//
// A client's request is paired with the server's reply by the request's
// transmit timestamp, which the reply echoes as its origin timestamp; a
// control response with its request by the sequence number.

protocol ntp {
    title       "NTP"
    description "Network Time Protocol v3/v4: time packets, extension fields, MAC, control messages"
    transport   udp
    ports       123
    endian      big
    wireshark   "ntp"
    message     Packet
}

enum LeapIndicator : b2 {
    no_warning = 0 "no warning"
    leap_61    = 1 "last minute of the day has 61 seconds"
    leap_59    = 2 "last minute of the day has 59 seconds"
    unknown    = 3 "unknown (clock unsynchronized)"
}

enum Mode : b3 {
    reserved          = 0 "reserved"
    symmetric_active  = 1 "symmetric active"
    symmetric_passive = 2 "symmetric passive"
    client            = 3 "client"
    server            = 4 "server"
    broadcast         = 5 "broadcast"
    control           = 6 "reserved for NTP control message"
    private           = 7 "reserved for private use"
}

enum ExtensionType : u16 {
    unique_identifier   = 0x0104 "Unique Identifier"
    nts_cookie          = 0x0204 "NTS Cookie"
    nts_cookie_placeholder = 0x0304 "NTS Cookie Placeholder"
    nts_authenticator   = 0x0404 "NTS Authenticator and Encrypted Extension Fields"
    checksum_complement = 0x2005 "Checksum Complement"
    no_operation_request  = 0x0002 "No-Operation Request"
    association_request   = 0x0102 "Association Message Request"
    certificate_request   = 0x0202 "Certificate Message Request"
    cookie_request        = 0x0302 "Cookie Message Request"
    autokey_request       = 0x0402 "Autokey Message Request"
    leapseconds_request   = 0x0502 "Leapseconds Message Request"
    sign_request          = 0x0602 "Sign Message Request"
    no_operation_response = 0x8002 "No-Operation Response"
    association_response  = 0x8102 "Association Message Response"
    certificate_response  = 0x8202 "Certificate Message Response"
    cookie_response       = 0x8302 "Cookie Message Response"
    autokey_response      = 0x8402 "Autokey Message Response"
    leapseconds_response  = 0x8502 "Leapseconds Message Response"
    sign_response         = 0x8602 "Sign Message Response"
}

enum ControlOpcode : b5 {
    reserved          = 0  "reserved"
    read_status       = 1  "read status"
    read_variables    = 2  "read variables"
    write_variables   = 3  "write variables"
    read_clock        = 4  "read clock variables"
    write_clock       = 5  "write clock variables"
    set_trap          = 6  "set trap address/port"
    async_message     = 7  "asynchronous message"
    configure         = 8  "runtime configuration"
    save_config       = 9  "save config to file"
    read_mru          = 10 "retrieve MRU (mrulist)"
    read_ordlist      = 11 "retrieve ordered list"
    request_nonce     = 12 "request a client nonce"
    unset_trap        = 31 "unset trap address/port"
}

struct Packet [summary = "NTP Version {flags.vn}, {body}"] {
    flags struct {
        li   LeapIndicator [ws = "ntp.flags.li"]
        vn   b3            [ws = "ntp.flags.vn", range = 1..4]
        mode Mode          [ws = "ntp.flags.mode"]
    }
    body switch flags.mode {
        case symmetric_active:  SymmetricActive
        case symmetric_passive: SymmetricPassive
        case client:            ClientPacket
        case server:            ServerPacket
        case broadcast:         BroadcastPacket
        case control:           ControlMessage
        default:                PrivateMessage
    }
}

struct SymmetricActive [summary = "symmetric active"] {
    time TimePacket
}

struct SymmetricPassive [summary = "symmetric passive"] {
    time TimePacket
}

struct ClientPacket [summary = "client"] {
    time TimePacket
    pair request time.xmt
}

struct ServerPacket [summary = "server"] {
    time TimePacket
    pair response time.org
}

struct BroadcastPacket [summary = "broadcast"] {
    time TimePacket
}

// The packet of modes 1 to 5, after the first byte.
struct TimePacket {
    stratum   u8 [ws = "ntp.stratum", doc = "0: unspecified or kiss-o'-death, 1: primary reference, 2-15: secondary, 16: unsynchronized"]
    poll      s8 [ws = "ntp.ppoll", doc = "Log2 of the maximum interval between messages, in seconds"]
    let poll_interval = 1 << poll [if = poll >= 0 && poll <= 17, unit = "s"]
    precision s8 [ws = "ntp.precision", doc = "Log2 of the precision of the clock, in seconds (-20 is about a microsecond)"]
    root_delay      u32 [ws = "ntp.rootdelay", scale = 0.0000152587890625, unit = "s", doc = "Round-trip delay to the reference clock: NTP short format, 16.16 seconds"]
    root_dispersion u32 [ws = "ntp.rootdispersion", scale = 0.0000152587890625, unit = "s", doc = "Dispersion to the reference clock: NTP short format, 16.16 seconds"]
    // The reference id: four ASCII characters for a primary server (or a
    // kiss code, stratum 0), the IPv4 address of the server's own server
    // otherwise (IPv6: the first 4 bytes of a hash of the address).
    reference_id switch stratum {
        case 0, 1: [4]ascii
        default:   IPv4
    } [ws = "ntp.refid"]
    reference_timestamp u64 [ws = "ntp.reftime", time = ntp, doc = "When the clock was last set"]
    org u64 [ws = "ntp.org", time = ntp, doc = "Origin: the transmit time of the packet this one answers"]
    rec u64 [ws = "ntp.rec", time = ntp, doc = "Receive: when the packet this one answers arrived"]
    xmt u64 [ws = "ntp.xmt", time = ntp, doc = "Transmit: when this packet left"]
    // RFC 7822: extension fields are at least 16 bytes, and the last one
    // at least 28 when no MAC follows; a MAC is 20 (MD5) or 24 (SHA-1)
    // bytes. So more than 24 bytes left means an extension field.
    extensions [while remaining() > 24]ExtensionField
    mac MAC [if = remaining() > 0]
}

// An address that is a switch's case: dotted in the tree and the
// summary, and a string in JSON ("192.0.2.1").
struct IPv4 [summary = "{address}", value = summary] {
    address [4]byte [format = ipv4]
}

struct ExtensionField [summary = "{type}"] {
    type   ExtensionType [ws = "ntp.ext.type", base = hex]
    length u16           [ws = "ntp.ext.length", range = 16..65532, doc = "The whole field, header and padding included"]
    value  [length - 4]byte [ws = "ntp.ext.value"]
    assert length % 4 == 0, "an extension field is a multiple of 4 bytes"
}

struct MAC {
    key_id u32    [ws = "ntp.keyid"]
    digest []byte [ws = "ntp.mac", doc = "MD5 (16 bytes) or SHA-1 (20 bytes); absent in a crypto-NAK"]
}

// Mode 6: control messages, read by ntpq.
struct ControlMessage [summary = "{kind}, {opcode}"] {
    response b1            [ws = "ntp.ctrl.flags2.r"]
    error    b1            [ws = "ntp.ctrl.flags2.error"]
    more     b1            [ws = "ntp.ctrl.flags2.more", doc = "More fragments follow"]
    opcode   ControlOpcode [ws = "ntp.ctrl.flags2.opcode"]
    sequence u16           [ws = "ntp.ctrl.sequence"]
    status   u16           [ws = "ntp.ctrl.status", base = hex]
    association_id u16     [ws = "ntp.ctrl.associd"]
    offset   u16           [ws = "ntp.ctrl.offset"]
    count    u16           [ws = "ntp.ctrl.count"]
    // The answer to READSTAT of the system (association 0) lists every
    // association with its status; other data is variable=value text.
    let peer_list = response == 1 && opcode == 1 && association_id == 0 [hidden]
    peers    [count / 4]PeerStatus [if = peer_list]
    data     [count]ascii  [if = !peer_list, ws = "ntp.ctrl.data", doc = "Usually variable=value text"]
    align 4
    mac MAC [if = remaining() > 0]
    kind switch response {
        case 0:  ControlRequest(sequence)
        default: ControlResponse(sequence)
    }
}

struct PeerStatus [summary = "{association_id}: {status}"] {
    association_id u16 [ws = "ntp.ctrl.associd"]
    status         u16 [ws = "ntp.ctrl.status", base = hex]
}

struct ControlRequest(sequence u16) [summary = "control request"] {
    pair request sequence
}

struct ControlResponse(sequence u16) [summary = "control response"] {
    pair response sequence
}

// Mode 7: ntpd's private requests (monlist and others): not described.
struct PrivateMessage [summary = "private (mode 7)"] {
    data []byte
}
