// TLS: the Transport Layer Security record protocol, as in RFC 5246 (TLS
// 1.2) and RFC 8446 (TLS 1.3). SSL 3.0 to TLS 1.3 share the record layer
// described here; the SSLv2-compatible ClientHello is not described.
//
// What is decoded: every record (content type, version, length); alerts;
// change_cipher_spec; heartbeats; application data as bytes. The bytes of
// plain handshake records are streamed to the protocol tls_handshake
// (tls_handshake.dsl), one stream per connection and direction, which
// finds the handshake messages in them: a message may span several records
// (a large Certificate chain usually does), and a record may hold several
// messages. Each message becomes a record of its own, right after the TLS
// record that completes it.
//
// After a side sends ChangeCipherSpec its handshake and alert records are
// encrypted (TLS 1.2 and earlier); TLS 1.3 encrypts everything after the
// ServerHello into application_data records. Without keys, encrypted
// records are shown as bytes, as tshark shows them, and are not streamed.
// A handshake record sent after ChangeCipherSpec counts as plain only when
// it starts a ClientHello or ServerHello (TLS 1.3 middlebox compatibility
// mode sends ChangeCipherSpec before a second ClientHello): an encrypted
// Finished often starts with 8 zero bytes (an explicit nonce), which would
// read as HelloRequests.
//
// The schema keeps connection state (state block below). Until a layered
// decode ([decode = "tls"] in another schema) gets its own state, do not
// layer TLS under another protocol with decode: its state would be read
// and written in the outer protocol's variables.

import "tls_types.dsl"

protocol tls {
    title       "TLS"
    description "Transport Layer Security: records, handshake (hellos, extensions, certificates, key exchange), alerts"
    transport   tcp
    ports       443
    endian      big
    wireshark   "tls"
    request     ClientRecord
    response    ServerRecord
}

// Every record starts with a content type (20 to 24) and a major version of
// 3: anything else cannot be a record, which keeps the search for a record
// boundary (after a gap, or in a capture that starts mid-connection) from
// accepting random bytes.
framing {
    size u8(0) >= 20 && u8(0) <= 24 && u8(1) == 3 ? u16(3) + 5 : 0
    min  5
    max  18437 // a TLSCiphertext of 2^14 + 2048 bytes and the 5-byte header
}

// Recognised on any port by a handshake record (version 3.x) whose first
// message is a ClientHello (from a client) or a ServerHello (from a
// server), with a hello version 3.x, that fits in the record.
heuristic {
    request  u8(0) == 22 && u8(1) == 3 && u8(2) <= 4 && u16(3) >= 42 && u8(5) == 1 &&
             u8(6) == 0 && u16(7) + 4 <= u16(3) && u8(9) == 3 && u8(10) <= 4
    response u8(0) == 22 && u8(1) == 3 && u8(2) <= 4 && u16(3) >= 42 && u8(5) == 2 &&
             u8(6) == 0 && u16(7) + 4 <= u16(3) && u8(9) == 3 && u8(10) <= 4
}

state {
    client_ccs bool = false // the client sent ChangeCipherSpec: its handshake records are encrypted from then on
    server_ccs bool = false // the same for the server
}

enum ContentType : u8 {
    change_cipher_spec = 20 "Change Cipher Spec"
    alert              = 21 "Alert"
    handshake          = 22 "Handshake"
    application_data   = 23 "Application Data"
    heartbeat          = 24 "Heartbeat"
}

enum HeartbeatMessageType : u8 {
    heartbeat_request  = 1 "Request"
    heartbeat_response = 2 "Response"
}

enum AlertLevel : u8 {
    warning = 1 "Warning"
    fatal   = 2 "Fatal"
}

enum AlertDescription : u8 {
    close_notify = 0 "Close Notify"
    end_of_early_data = 1 "End of Early Data"
    unexpected_message = 10 "Unexpected Message"
    bad_record_mac = 20 "Bad Record MAC"
    decryption_failed = 21 "Decryption Failed"
    record_overflow = 22 "Record Overflow"
    decompression_failure = 30 "Decompression Failure"
    handshake_failure = 40 "Handshake Failure"
    no_certificate = 41 "No Certificate"
    bad_certificate = 42 "Bad Certificate"
    unsupported_certificate = 43 "Unsupported Certificate"
    certificate_revoked = 44 "Certificate Revoked"
    certificate_expired = 45 "Certificate Expired"
    certificate_unknown = 46 "Certificate Unknown"
    illegal_parameter = 47 "Illegal Parameter"
    unknown_ca = 48 "Unknown CA"
    access_denied = 49 "Access Denied"
    decode_error = 50 "Decode Error"
    decrypt_error = 51 "Decrypt Error"
    export_restriction = 60 "Export Restriction"
    protocol_version = 70 "Protocol Version"
    insufficient_security = 71 "Insufficient Security"
    internal_error = 80 "Internal Error"
    inappropriate_fallback = 86 "Inappropriate Fallback"
    user_canceled = 90 "User Canceled"
    no_renegotiation = 100 "No Renegotiation"
    missing_extension = 109 "Missing Extension"
    unsupported_extension = 110 "Unsupported Extension"
    certificate_unobtainable = 111 "Certificate Unobtainable"
    unrecognized_name = 112 "Unrecognized Name"
    bad_certificate_status_response = 113 "Bad Certificate Status Response"
    bad_certificate_hash_value = 114 "Bad Certificate Hash Value"
    unknown_psk_identity = 115 "Unknown PSK Identity"
    certificate_required = 116 "Certificate Required"
    no_application_protocol = 120 "No application Protocol"
    ech_required = 121 "ECH Required"
}

// ---------------------------------------------------------------------
// Records. The two directions have the same layout; they are two types so
// that each knows its own direction (0 client, 1 server) for the state it
// keeps: whether it sent ChangeCipherSpec.
//
// The body's layout is the content type's, except for a handshake record
// sent after ChangeCipherSpec that does not start a plain ClientHello or
// ServerHello (0x101: encrypted), and an alert that is not the 2 bytes of
// a plain alert (0x102: encrypted).

struct ClientRecord [summary = "{body}"] {
    content_type ContentType [ws = "tls.record.content_type"]
    version      Version     [ws = "tls.record.version", base = hex]
    length       u16         [ws = "tls.record.length", range = 0..18432]
    body switch (content_type != ContentType.handshake ?
            (content_type == ContentType.alert && length != 2 ? 0x102 : content_type) :
            state.client_ccs && !(length >= 4 && (u8(5) == 1 || u8(5) == 2) && u24(6) + 4 <= length) ? 0x101 :
            content_type) {
        case 20:    ChangeCipherSpec(0)
        case 21:    Alert
        case 22:    HandshakeData
        case 23:    ApplicationData
        case 24:    Heartbeat
        case 0x101: EncryptedHandshake
        case 0x102: EncryptedAlert
        default:    OpaqueRecord
    } [size = length]
}

struct ServerRecord [summary = "{body}"] {
    content_type ContentType [ws = "tls.record.content_type"]
    version      Version     [ws = "tls.record.version", base = hex]
    length       u16         [ws = "tls.record.length", range = 0..18432]
    body switch (content_type != ContentType.handshake ?
            (content_type == ContentType.alert && length != 2 ? 0x102 : content_type) :
            state.server_ccs && !(length >= 4 && (u8(5) == 1 || u8(5) == 2) && u24(6) + 4 <= length) ? 0x101 :
            content_type) {
        case 20:    ChangeCipherSpec(1)
        case 21:    Alert
        case 22:    HandshakeData
        case 23:    ApplicationData
        case 24:    Heartbeat
        case 0x101: EncryptedHandshake
        case 0x102: EncryptedAlert
        default:    OpaqueRecord
    } [size = length]
}

// Plain handshake bytes: the next part of the direction's handshake
// stream, decoded by tls_handshake.
struct HandshakeData [summary = "Handshake ({bytes} bytes)"] {
    assert remaining() > 0, "a handshake record cannot be empty (RFC 5246, section 6.2.1)"
    fragment []byte [stream = "tls_handshake", ws = "tls.handshake", doc = "Handshake messages, or parts of them: decoded as records of tls_handshake"]
    let bytes = len(fragment) [hidden]
}

struct ChangeCipherSpec(dir u8) [summary = "Change Cipher Spec"] {
    message u8 = 1 [ws = "tls.change_cipher_spec"]
    set state.client_ccs = dir == 0 ? 1 : state.client_ccs
    set state.server_ccs = dir == 1 ? 1 : state.server_ccs
}

struct Alert [summary = "Alert (Level: {level}, Description: {description})"] {
    level       AlertLevel       [ws = "tls.alert_message.level"]
    description AlertDescription [ws = "tls.alert_message.desc"]
}

struct EncryptedAlert [summary = "Encrypted Alert"] {
    data []byte [ws = "tls.alert_message", doc = "An alert encrypted with the connection's keys"]
}

struct ApplicationData [summary = "Application Data"] {
    data []byte [ws = "tls.app_data", doc = "Encrypted application data"]
}

// RFC 6520. Sent in the clear before the handshake completes (as in the
// Heartbleed attack, whose payload_length exceeds the bytes sent), and
// encrypted after it.
struct Heartbeat [summary = "Heartbeat"] {
    type           HeartbeatMessageType [ws = "tls.heartbeat_message.type"]
    payload_length u16                  [ws = "tls.heartbeat_message.payload_length"]
    rest           []byte               [doc = "Payload and padding; an encrypted heartbeat is all random bytes"]
}

struct OpaqueRecord [summary = "{{unknown content type}}"] {
    data []byte
}

struct EncryptedHandshake [summary = "Encrypted Handshake Message"] {
    data []byte [doc = "A handshake message encrypted with the connection's keys, such as Finished"]
}
