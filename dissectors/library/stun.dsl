// STUN: Session Traversal Utilities for NAT, as in RFC 5389 and RFC 8489,
// with the attributes of ICE (RFC 8445) and TURN (RFC 8656), over UDP.
// Each datagram is one message: a 20-byte header, then attributes as
// type-length-value entries, each padded to a multiple of 4 bytes.
//
// The message type interleaves a 12-bit method with a 2-bit class
// (M11-M7, C1, M6-M4, C0, M3-M0); the header decodes the pieces as bit
// fields and computes method and class with `let`.
//
// LANGUAGE GAP: a `let` has no enum type, so the computed method and class
// are shown as numbers; their names come from switches over empty structs
// (MethodName, ClassName) that exist only for the tree and summary.
// Suggested construct: `let method Method = ...`.
//
// Requests and responses are paired by transaction id. The id has 96 bits
// and a pairing key 64: the key folds the first 32 bits of the id into
// the last 64, and keeps 63 bits because the pairing table uses the top
// bit of a key for the direction (see pairing.go's slot). Two live
// transactions whose ids agree on those bits are mistaken for one another;
// with random ids (RFC 8489 section 6) that does not happen in practice.

protocol stun {
    title       "STUN"
    description "Session Traversal Utilities for NAT (RFC 5389/8489): header and attributes, ICE and TURN"
    transport   udp
    ports       3478
    endian      big
    wireshark   "stun"
    message     Message
}

// Recognised on any port by the magic cookie 0x2112A442 (RFC 5389), the
// two top bits of the type clear and a length that is a multiple of 4; the
// class bits tell a request or indication (from a client) from a success
// or error response (from a server).
heuristic {
    request  u8(0) < 0x40 && u32(4) == 0x2112A442 && (u16(2) & 3) == 0 && (u16(0) & 0x0100) == 0
    response u8(0) < 0x40 && u32(4) == 0x2112A442 && (u16(2) & 3) == 0 && (u16(0) & 0x0100) != 0
}

enum AttributeType : u16 {
    mapped_address           = 0x0001 "MAPPED-ADDRESS"
    response_address         = 0x0002 "RESPONSE-ADDRESS"
    change_request           = 0x0003 "CHANGE-REQUEST"
    source_address           = 0x0004 "SOURCE-ADDRESS"
    changed_address          = 0x0005 "CHANGED-ADDRESS"
    username                 = 0x0006 "USERNAME"
    password                 = 0x0007 "PASSWORD"
    message_integrity        = 0x0008 "MESSAGE-INTEGRITY"
    error_code               = 0x0009 "ERROR-CODE"
    unknown_attributes       = 0x000A "UNKNOWN-ATTRIBUTES"
    reflected_from           = 0x000B "REFLECTED-FROM"
    channel_number           = 0x000C "CHANNEL-NUMBER"
    lifetime                 = 0x000D "LIFETIME"
    bandwidth                = 0x0010 "BANDWIDTH"
    xor_peer_address         = 0x0012 "XOR-PEER-ADDRESS"
    data                     = 0x0013 "DATA"
    realm                    = 0x0014 "REALM"
    nonce                    = 0x0015 "NONCE"
    xor_relayed_address      = 0x0016 "XOR-RELAYED-ADDRESS"
    requested_address_family = 0x0017 "REQUESTED-ADDRESS-FAMILY"
    even_port                = 0x0018 "EVEN-PORT"
    requested_transport      = 0x0019 "REQUESTED-TRANSPORT"
    dont_fragment            = 0x001A "DONT-FRAGMENT"
    access_token             = 0x001B "ACCESS-TOKEN"
    message_integrity_sha256 = 0x001C "MESSAGE-INTEGRITY-SHA256"
    password_algorithm       = 0x001D "PASSWORD-ALGORITHM"
    userhash                 = 0x001E "USERHASH"
    xor_mapped_address       = 0x0020 "XOR-MAPPED-ADDRESS"
    reservation_token        = 0x0022 "RESERVATION-TOKEN"
    priority                 = 0x0024 "PRIORITY"
    use_candidate            = 0x0025 "USE-CANDIDATE"
    padding                  = 0x0026 "PADDING"
    response_port            = 0x0027 "RESPONSE-PORT"
    connection_id            = 0x002A "CONNECTION-ID"
    additional_address_family = 0x8000 "ADDITIONAL-ADDRESS-FAMILY"
    address_error_code       = 0x8001 "ADDRESS-ERROR-CODE"
    password_algorithms      = 0x8002 "PASSWORD-ALGORITHMS"
    alternate_domain         = 0x8003 "ALTERNATE-DOMAIN"
    icmp                     = 0x8004 "ICMP"
    software                 = 0x8022 "SOFTWARE"
    alternate_server         = 0x8023 "ALTERNATE-SERVER"
    cache_timeout            = 0x8027 "CACHE-TIMEOUT"
    fingerprint              = 0x8028 "FINGERPRINT"
    ice_controlled           = 0x8029 "ICE-CONTROLLED"
    ice_controlling          = 0x802A "ICE-CONTROLLING"
    response_origin          = 0x802B "RESPONSE-ORIGIN"
    other_address            = 0x802C "OTHER-ADDRESS"
    ecn_check                = 0x802D "ECN-CHECK"
    third_party_authorization = 0x802E "THIRD-PARTY-AUTHORIZATION"
    mobility_ticket          = 0x8030 "MOBILITY-TICKET"
    goog_network_info        = 0xC057 "GOOG-NETWORK-INFO"
}

enum AddressFamily : u8 {
    ipv4 = 1 "IPv4"
    ipv6 = 2 "IPv6"
}

enum TransportProtocol : u8 {
    udp = 17 "UDP"
    tcp = 6  "TCP"
}

struct Message [summary = "{method_name} {class_name}{attributes.value:join()}"] {
    message_type u16 [at = 0, ws = "stun.type", base = hex, doc = "The whole type: method and class, interleaved"]
    zero     b2 = 0 [doc = "The first two bits of a STUN message are 0"]
    method_high b5
    class_high  b1
    method_mid  b3
    class_low   b1
    method_low  b4
    let method = method_high << 7 | method_mid << 4 | method_low [doc = "stun.type.method: 1 Binding, 3 Allocate, 4 Refresh, ..."]
    let class = class_high << 1 | class_low [doc = "stun.type.class: 0 request, 1 indication, 2 success response, 3 error response"]
    length         u16 [ws = "stun.length", doc = "Bytes of attributes after the 20-byte header"]
    assert length % 4 == 0, "the message length is a multiple of 4"
    cookie         u32 = 0x2112A442 [ws = "stun.cookie", base = hex]
    transaction_id [12]byte [ws = "stun.id"]
    method_name switch method {
        case 0x001: Binding
        case 0x002: SharedSecret
        case 0x003: Allocate
        case 0x004: Refresh
        case 0x006: Send
        case 0x007: Data
        case 0x008: CreatePermission
        case 0x009: ChannelBind
        case 0x00A: Connect
        case 0x00B: ConnectionBind
        case 0x00C: ConnectionAttempt
        case 0x080: GoogPing
        default:    OtherMethod
    }
    class_name switch class {
        case 0:  Request(u32(8), u64(12))
        case 1:  Indication
        case 2:  SuccessResponse(u32(8), u64(12))
        default: ErrorResponse(u32(8), u64(12))
    }
    attributes     []Attribute(u32(8), u32(12), u32(16)) [size = length]
}

struct Binding [summary = "Binding"] {}

struct SharedSecret [summary = "Shared Secret"] {}

struct Allocate [summary = "Allocate"] {}

struct Refresh [summary = "Refresh"] {}

struct Send [summary = "Send"] {}

struct Data [summary = "Data"] {}

struct CreatePermission [summary = "CreatePermission"] {}

struct ChannelBind [summary = "ChannelBind"] {}

struct Connect [summary = "Connect"] {}

struct ConnectionBind [summary = "ConnectionBind"] {}

struct ConnectionAttempt [summary = "ConnectionAttempt"] {}

struct GoogPing [summary = "GOOG-PING"] {}

struct OtherMethod [summary = "Unknown method"] {}

// id0 is the first 32 bits of the transaction id, id12 the last 64.
struct Request(id0 u32, id12 u64) [summary = "Request"] {
    pair request ((id0 << 31) ^ id12) & 0x7FFFFFFFFFFFFFFF
}

struct Indication [summary = "Indication"] {}

struct SuccessResponse(id0 u32, id12 u64) [summary = "Success Response"] {
    pair response ((id0 << 31) ^ id12) & 0x7FFFFFFFFFFFFFFF
}

struct ErrorResponse(id0 u32, id12 u64) [summary = "Error Response"] {
    pair response ((id0 << 31) ^ id12) & 0x7FFFFFFFFFFFFFFF
}

// t0, t1 and t2 are the transaction id as three 32-bit words, for the
// IPv6 form of the XOR-ed addresses. The value of an attribute shows what
// Wireshark's Info column shows of it (addresses, user, realm, lifetime,
// error), with a leading space, and nothing for the others; the message's
// summary joins them.
struct Attribute(t0 u32, t1 u32, t2 u32) [summary = "{type}"] {
    type   AttributeType [ws = "stun.att.type", base = hex]
    length u16           [ws = "stun.att.length"]
    value switch type {
        case mapped_address, response_address, source_address, changed_address,
             reflected_from, alternate_server, response_origin, other_address:
            MappedAddress(type)
        case xor_mapped_address, xor_peer_address, xor_relayed_address:
            XorMappedAddress(type, t0, t1, t2)
        case username:           Username
        case password:           Password
        case message_integrity:  MessageIntegrity
        case message_integrity_sha256: MessageIntegritySHA256
        case error_code:         ErrorCode
        case unknown_attributes: UnknownAttributes
        case realm:              Realm
        case nonce:              Nonce
        case software:           Software
        case fingerprint:        Fingerprint
        case priority:           Priority
        case use_candidate:      Nothing
        case ice_controlled, ice_controlling: TieBreaker
        case lifetime:           Lifetime
        case requested_transport: RequestedTransport
        case channel_number:     ChannelNumber
        case change_request:     ChangeRequest
        case data:               DataValue
        default:                 Value
    } [size = length, pad = 4]
}

struct Nothing {}

struct Value {
    value []byte [ws = "stun.value"]
}

// MAPPED-ADDRESS and the other plain addresses.
struct MappedAddress(att AttributeType) [summary = " {name:label}: {address}:{port}"] {
    let name AttributeType = att [hidden, doc = "The attribute's name, for the summary"]
    reserved u8
    family   AddressFamily [ws = "stun.att.family"]
    port     u16           [ws = "stun.att.port"]
    address switch family {
        case ipv4: IPv4
        default:   IPv6
    }
}

struct IPv4 [summary = "{address}"] {
    address [4]byte [ws = "stun.att.ipv4", format = ipv4]
}

struct IPv6 [summary = "{address}"] {
    address [16]byte [ws = "stun.att.ipv6"]
}

// XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS and XOR-RELAYED-ADDRESS: the port
// is XOR-ed with the top 16 bits of the magic cookie, an IPv4 address with
// the cookie, an IPv6 address with the cookie and the transaction id. The
// raw values are shown, and the real ones computed.
struct XorMappedAddress(att AttributeType, t0 u32, t1 u32, t2 u32) [summary = " {name:label}: {address}:{port}"] {
    let name AttributeType = att [hidden, doc = "The attribute's name, for the summary"]
    reserved u8
    family   AddressFamily [ws = "stun.att.family"]
    x_port   u16           [ws = "stun.att.port-xord", base = hex]
    let port = x_port ^ 0x2112 [ws = "stun.att.port", doc = "The real port"]
    address switch family {
        case ipv4: XorIPv4
        default:   XorIPv6(t0, t1, t2)
    }
}

struct XorIPv4 [summary = "{address}"] {
    x_address u32 [ws = "stun.att.ipv4-xord", base = hex]
    let address = x_address ^ 0x2112A442 [ws = "stun.att.ipv4", format = ipv4, doc = "The real address"]
}

// The IPv6 address is XOR-ed with the magic cookie and the transaction id,
// which the message passes down as three 32-bit words.
struct XorIPv6(t0 u32, t1 u32, t2 u32) [summary = "[{address}]"] {
    x_address [16]byte [ws = "stun.att.ipv6-xord"]
    let key [16]byte = concat(be32(0x2112A442), be32(t0), be32(t1), be32(t2)) [hidden]
    let address [16]byte = xor(x_address, key) [ws = "stun.att.ipv6", format = ipv6, doc = "The real address"]
}

struct Username [summary = " user: {username:text}"] {
    username []utf8 [ws = "stun.att.username"]
}

struct Password {
    password []byte [ws = "stun.att.password"]
}

struct MessageIntegrity {
    hmac [20]byte [ws = "stun.att.hmac", doc = "HMAC-SHA1 of the message up to this attribute, with a key the capture does not hold"]
}

struct MessageIntegritySHA256 {
    hmac []byte [ws = "stun.att.hmac", doc = "HMAC-SHA256, 16 to 32 bytes"]
}

struct ErrorCode [summary = " error-code: {code} {reason:text}"] {
    reserved b21
    class    b3  [ws = "stun.att.error.class", range = 3..6]
    number   u8  [ws = "stun.att.error", range = 0..99]
    let code = class * 100 + number
    reason   []utf8 [ws = "stun.att.error.reason"]
}

struct UnknownAttributes {
    types []AttributeType [ws = "stun.att.unknown", base = hex]
}

struct Realm [summary = " realm: {realm:text}"] {
    realm []utf8 [ws = "stun.att.realm"]
}

struct Nonce [summary = " with nonce"] {
    nonce []utf8 [ws = "stun.att.nonce"]
}

struct Software {
    software []utf8 [ws = "stun.att.software"]
}

// LANGUAGE GAP: FINGERPRINT is the CRC-32 of the message up to this
// attribute XOR-ed with 0x5354554e. A checksum attribute compares a field
// with the checksum itself, with no way to XOR it, and it can only cover
// bytes of the field's own region (here the attribute's value), not the
// message before it; so the fingerprint is not checked. Suggested
// construct: [checksum = crc32(0, offset) ^ 0x5354554e] with the range
// counted in the message, e.g. crc32(message.start, here).
struct Fingerprint {
    crc32 u32 [ws = "stun.att.crc32", base = hex]
}

struct Priority {
    priority u32 [ws = "stun.att.priority"]
}

struct TieBreaker {
    tie_breaker [8]byte [ws = "stun.att.tie-breaker"]
}

struct Lifetime [summary = " lifetime: {lifetime}"] {
    lifetime u32 [ws = "stun.att.lifetime", unit = "s"]
}

struct RequestedTransport [summary = " {transport:label}"] {
    transport TransportProtocol [ws = "stun.att.transp"]
    reserved [3]byte
}

struct ChannelNumber [summary = " channel: {channel}"] {
    channel  u16 [ws = "stun.att.channelnum", base = hex]
    reserved u16
}

struct ChangeRequest {
    reserved    b29
    change_ip   b1 [ws = "stun.att.change-ip"]
    change_port b1 [ws = "stun.att.change-port"]
    unused      b1
}

struct DataValue {
    data []byte [ws = "stun.value"]
}
