// CoAP, the Constrained Application Protocol (RFC 7252), with Observe
// (RFC 7641), Block-wise transfers (RFC 7959), FETCH/PATCH (RFC 8132),
// Hop-Limit (RFC 8768), No-Response (RFC 7967), OSCORE (RFC 8613) and
// Echo/Request-Tag (RFC 9175) option numbers. Over UDP: one message per
// datagram.

protocol coap {
    title       "CoAP"
    description "Constrained Application Protocol (RFC 7252): header, token, options with extended deltas and lengths, payload; Observe and Block"
    transport   udp
    ports       5683
    endian      big
    wireshark   "coap"
    message     Message
}

// No heuristic: a CoAP header is 4 bytes with a 2-bit version and little
// else to check, and random datagrams decode as CoAP about once in a few
// thousand (Wireshark has none either). Use --decode-as udp.port==N:coap.

// Option numbers are sent as deltas from the previous option's number:
// the running number is kept here, for one datagram.
state {
    number u32 = 0
}

enum Type : b2 {
    con = 0 "CON"
    non = 1 "NON"
    ack = 2 "ACK"
    rst = 3 "RST"
}

// The code: a 3-bit class and a 5-bit detail, written c.dd.
enum Code : u8 {
    empty_message                  = 0   "Empty Message"
    get                            = 1   "GET"
    post                           = 2   "POST"
    put                            = 3   "PUT"
    delete                         = 4   "DELETE"
    fetch                          = 5   "FETCH"
    patch                          = 6   "PATCH"
    ipatch                         = 7   "iPATCH"
    c2_01_created                  = 65  "2.01 Created"
    c2_02_deleted                  = 66  "2.02 Deleted"
    c2_03_valid                    = 67  "2.03 Valid"
    c2_04_changed                  = 68  "2.04 Changed"
    c2_05_content                  = 69  "2.05 Content"
    c2_31_continue                 = 95  "2.31 Continue"
    c4_00_bad_request              = 128 "4.00 Bad Request"
    c4_01_unauthorized             = 129 "4.01 Unauthorized"
    c4_02_bad_option               = 130 "4.02 Bad Option"
    c4_03_forbidden                = 131 "4.03 Forbidden"
    c4_04_not_found                = 132 "4.04 Not Found"
    c4_05_method_not_allowed       = 133 "4.05 Method Not Allowed"
    c4_06_not_acceptable           = 134 "4.06 Not Acceptable"
    c4_08_request_entity_incomplete = 136 "4.08 Request Entity Incomplete"
    c4_09_conflict                 = 137 "4.09 Conflict"
    c4_12_precondition_failed      = 140 "4.12 Precondition Failed"
    c4_13_request_entity_too_large = 141 "4.13 Request Entity Too Large"
    c4_15_unsupported_content_format = 143 "4.15 Unsupported Content-Format"
    c4_22_unprocessable_entity     = 150 "4.22 Unprocessable Entity"
    c4_29_too_many_requests        = 157 "4.29 Too Many Requests"
    c5_00_internal_server_error    = 160 "5.00 Internal Server Error"
    c5_01_not_implemented          = 161 "5.01 Not Implemented"
    c5_02_bad_gateway              = 162 "5.02 Bad Gateway"
    c5_03_service_unavailable      = 163 "5.03 Service Unavailable"
    c5_04_gateway_timeout          = 164 "5.04 Gateway Timeout"
    c5_05_proxying_not_supported   = 165 "5.05 Proxying Not Supported"
    c5_08_hop_limit_reached        = 168 "5.08 Hop Limit Reached"
    c7_01_csm                      = 225 "7.01 CSM"
    c7_02_ping                     = 226 "7.02 Ping"
    c7_03_pong                     = 227 "7.03 Pong"
    c7_04_release                  = 228 "7.04 Release"
    c7_05_abort                    = 229 "7.05 Abort"
}

enum OptionNumber : u32 {
    if_match       = 1    "If-Match"
    uri_host       = 3    "Uri-Host"
    etag           = 4    "Etag"
    if_none_match  = 5    "If-None-Match"
    observe        = 6    "Observe"
    uri_port       = 7    "Uri-Port"
    location_path  = 8    "Location-Path"
    oscore         = 9    "OSCORE"
    uri_path       = 11   "Uri-Path"
    content_format = 12   "Content-Format"
    max_age        = 14   "Max-age"
    uri_query      = 15   "Uri-Query"
    hop_limit      = 16   "Hop-Limit"
    accept         = 17   "Accept"
    location_query = 20   "Location-Query"
    block2         = 23   "Block2"
    block1         = 27   "Block1"
    size2          = 28   "Size2"
    proxy_uri      = 35   "Proxy-Uri"
    proxy_scheme   = 39   "Proxy-Scheme"
    size1          = 60   "Size1"
    echo           = 252  "Echo"
    no_response    = 258  "No-Response"
    request_tag    = 292  "Request-Tag"
}

// CoAP Content-Formats (RFC 7252 section 12.3 and the IANA registry).
enum ContentFormat : u32 {
    text_plain        = 0     "text/plain; charset=utf-8"
    cose_encrypt0     = 16    "application/cose; cose-type=\"cose-encrypt0\""
    cose_mac0         = 17    "application/cose; cose-type=\"cose-mac0\""
    cose_sign1        = 18    "application/cose; cose-type=\"cose-sign1\""
    link_format       = 40    "application/link-format"
    xml               = 41    "application/xml"
    octet_stream      = 42    "application/octet-stream"
    exi               = 47    "application/exi"
    json              = 50    "application/json"
    json_patch        = 51    "application/json-patch+json"
    merge_patch       = 52    "application/merge-patch+json"
    cbor              = 60    "application/cbor"
    cwt               = 61    "application/cwt"
    senml_json        = 110   "application/senml+json"
    sensml_json       = 111   "application/sensml+json"
    senml_cbor        = 112   "application/senml+cbor"
    sensml_cbor       = 113   "application/sensml+cbor"
    lwm2m_tlv         = 11542 "application/vnd.oma.lwm2m+tlv"
    lwm2m_json        = 11543 "application/vnd.oma.lwm2m+json"
}

struct Message [summary = "{type:label}, MID:{mid}, {code:label}{token?}{options*}"] {
    set state.number = 0
    version   b2 = 1    [ws = "coap.version"]
    type      Type      [ws = "coap.type"]
    token_len b4        [ws = "coap.token_len", range = 0..8, doc = "9 to 15 are reserved"]
    code      Code      [ws = "coap.code"]
    let class  = code >> 5 [doc = "Class: 0 request, 2 success, 4 client error, 5 server error, 7 signalling"]
    let detail = code & 0x1F
    mid       u16       [ws = "coap.mid", doc = "Message ID: detects duplicates, matches ACK and RST to CON and NON"]
    token     Token(token_len) [if = token_len > 0, doc = "Matches a response to its request"]
    options   [while remaining() > 0 && u8(offset()) != 0xFF]Option
    let has_payload = remaining() > 0 [hidden]
    marker    u8 = 0xFF [ws = "coap.opt.end_marker", base = hex, if = has_payload]
    assert !has_payload || remaining() > 0, "a payload marker followed by no payload (RFC 7252 section 3)"
    payload   []byte    [ws = "coap.payload", if = has_payload]
    pair request  mid [if = type == Type.con]
    pair response mid [if = type == Type.ack || type == Type.rst]
}

struct Token(length u8) [summary = ", TKN:{bytes}"] {
    bytes [length]byte [ws = "coap.token"]
}

// An option: a delta from the previous option's number and a length, each
// 4 bits, extended by 1 byte (13: value - 13) or 2 bytes (14: value - 269);
// 15 is reserved.
struct Option [summary = "{value}"] {
    delta  b4 [ws = "coap.opt.delta"]
    length b4 [ws = "coap.opt.length"]
    assert delta != 15, "option delta 15 is reserved for the payload marker"
    assert length != 15, "option length 15 is reserved"
    delta_ext8   u8  [ws = "coap.opt.delta_ext", if = delta == 13]
    delta_ext16  u16 [ws = "coap.opt.delta_ext", if = delta == 14]
    length_ext8  u8  [ws = "coap.opt.length_ext", if = length == 13]
    length_ext16 u16 [ws = "coap.opt.length_ext", if = length == 14]
    let number OptionNumber = state.number + (delta == 13 ? delta_ext8 + 13 : delta == 14 ? delta_ext16 + 269 : delta)
    let size = length == 13 ? length_ext8 + 13 : length == 14 ? length_ext16 + 269 : length
    set state.number = number
    value switch number {
        case uri_host:       UriHost
        case uri_path:       UriPath(delta != 0)
        case uri_query:      UriQuery
        case location_path:  LocationPath
        case location_query: LocationQuery
        case proxy_uri:      ProxyUri
        case proxy_scheme:   ProxyScheme
        case uri_port:       UriPort
        case observe:        Observe
        case max_age:        MaxAge
        case size1:          Size1
        case size2:          Size2
        case hop_limit:      HopLimit
        case content_format: ContentFormatOption
        case accept:         AcceptOption
        case block1, block2: Block
        case etag:           Etag
        case if_match:       IfMatch
        case if_none_match:  Empty
        case no_response:    NoResponse
        default:             Opaque
    } [size = size]
}

struct UriHost       { host  []utf8 [ws = "coap.opt.uri_host"] }
// The first Uri-Path option (its delta is not 0: the one before it has
// another number) starts the path with ", ", as Wireshark's Info column
// sets the path apart from the token.
struct UriPath(first bool) [summary = "{lead}/{path:text}"] {
    lead switch first {
        case 1:  PathStart
        default: NoText
    }
    path []utf8 [ws = "coap.opt.uri_path"]
}
struct PathStart [summary = ", "] {}
struct NoText {}
struct UriQuery      [summary = "?{query:text}"]  { query []utf8 [ws = "coap.opt.uri_query"] }
struct LocationPath  { path []utf8 [ws = "coap.opt.location_path"] }
struct LocationQuery { query []utf8 [ws = "coap.opt.location_query"] }
struct ProxyUri      { uri    []utf8 [ws = "coap.opt.proxy_uri"] }
struct ProxyScheme   { scheme []utf8 [ws = "coap.opt.proxy_scheme"] }
struct Etag          { etag   []byte [ws = "coap.opt.etag"] }
struct IfMatch       { etag   []byte [ws = "coap.opt.if_match"] }
struct Opaque        { value  []byte [ws = "coap.opt.unknown"] }
struct Empty         {}

// A uint option: 0 to 4 bytes, big-endian, leading zeros dropped (so an
// empty value is 0).
struct UriPort [summary = ", port {port}"] {
    let n = remaining() [hidden]
    raw switch n { case 1: u8; case 2: u16; case 3: u24; case 4: u32 } [if = n > 0, hidden]
    let port = n > 0 ? raw : 0 [ws = "coap.opt.uri_port"]
    assert n <= 2, "Uri-Port takes at most 2 bytes"
}
struct Observe {
    let n = remaining() [hidden]
    raw switch n { case 1: u8; case 2: u16; case 3: u24; case 4: u32 } [if = n > 0, hidden]
    let value = n > 0 ? raw : 0 [ws = "coap.opt.observe", doc = "In a request 0 registers, 1 deregisters; in a notification a sequence number"]
}
struct MaxAge {
    let n = remaining() [hidden]
    raw switch n { case 1: u8; case 2: u16; case 3: u24; case 4: u32 } [if = n > 0, hidden]
    let value = n > 0 ? raw : 0 [ws = "coap.opt.max_age", unit = "s"]
}
struct Size1 {
    let n = remaining() [hidden]
    raw switch n { case 1: u8; case 2: u16; case 3: u24; case 4: u32 } [if = n > 0, hidden]
    let value = n > 0 ? raw : 0 [ws = "coap.opt.size1", unit = "bytes"]
}
struct Size2 {
    let n = remaining() [hidden]
    raw switch n { case 1: u8; case 2: u16; case 3: u24; case 4: u32 } [if = n > 0, hidden]
    let value = n > 0 ? raw : 0 [unit = "bytes"]
}
// No-Response (RFC 7967): bits that suppress 2.xx (2), 4.xx (8) and 5.xx (16) responses.
struct NoResponse {
    let n = remaining() [hidden]
    raw switch n { case 1: u8 } [if = n > 0, hidden]
    let suppress = n > 0 ? raw : 0 [base = hex]
}

struct HopLimit {
    let n = remaining() [hidden]
    raw switch n { case 1: u8; case 2: u16; case 3: u24; case 4: u32 } [if = n > 0, hidden]
    let value = n > 0 ? raw : 0 [ws = "coap.opt.hop_limit"]
    assert n == 1, "Hop-Limit takes 1 byte"
}
struct ContentFormatOption {
    let n = remaining() [hidden]
    raw switch n { case 1: u8; case 2: u16; case 3: u24; case 4: u32 } [if = n > 0, hidden]
    let format ContentFormat = n > 0 ? raw : 0 [ws = "coap.opt.ctype", doc = "Format of the payload"]
}
struct AcceptOption {
    let n = remaining() [hidden]
    raw switch n { case 1: u8; case 2: u16; case 3: u24; case 4: u32 } [if = n > 0, hidden]
    let format ContentFormat = n > 0 ? raw : 0 [ws = "coap.opt.accept", doc = "Format the client accepts"]
}

// Block1 and Block2 (RFC 7959): NUM, M and SZX in 1 to 3 bytes.
struct Block [summary = ", Block #{number}"] {
    let n = remaining() [hidden]
    raw switch n { case 1: u8; case 2: u16; case 3: u24 } [if = n > 0, hidden]
    let value  = n > 0 ? raw : 0 [hidden]
    let number = value >> 4 [ws = "coap.opt.block_number"]
    let more   = (value >> 3) & 1 [ws = "coap.opt.block_mflag", doc = "1: more blocks follow"]
    let szx    = value & 7 [ws = "coap.opt.block_size", doc = "Block size exponent: 2^(szx + 4) bytes; 7 is reserved"]
    let block_size = 16 << szx [unit = "bytes"]
}
