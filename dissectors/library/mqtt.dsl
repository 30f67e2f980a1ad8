// MQTT: the MQ Telemetry Transport, versions 3.1 ("MQIsdp", protocol
// level 3), 3.1.1 (OASIS standard, level 4) and 5.0 (OASIS standard,
// level 5), over TCP.
//
// Every control packet starts with a fixed header: the packet type in the
// high four bits of the first byte, flags in the low four (meaningful only
// for PUBLISH: DUP, QoS, RETAIN; fixed values for the others), then the
// "remaining length" as a variable byte integer of one to four bytes.
//
// The layout of most packets differs between 3.1.1 and 5.0 (5.0 adds reason
// codes and properties). The version is taken from the protocol level of
// CONNECT and kept in the connection state, so the packets after it decode
// with the right layout. A capture that starts after the CONNECT falls back
// on 3.1.1, unless a CONNACK is seen: a 5.0 CONNACK is longer than the
// two bytes of a 3.1.1 one, so it switches the connection to 5.0.
//
// Pairing: PUBLISH with QoS 1 or 2, PUBREL, SUBSCRIBE and UNSUBSCRIBE are
// requests keyed by their packet identifier, answered by PUBACK or PUBREC,
// PUBCOMP, SUBACK and UNSUBACK from the other side; either side may
// publish. CONNECT/CONNACK pair with key 0 (packet identifiers are never 0),
// PINGREQ/PINGRESP with key -1.

protocol mqtt {
    title       "MQTT"
    description "MQ Telemetry Transport 3.1, 3.1.1 and 5.0"
    transport   tcp
    ports       1883
    endian      big
    wireshark   "mqtt"
    message     Packet
}

// The remaining length counts the bytes after itself. The protocol allows
// 256 MiB packets; 16 MiB bounds what a lost frame boundary can make the
// decoder wait for. Packet type 0 is reserved: a first byte below 0x10
// cannot start a packet (size 0 is below min), which makes finding the
// next packet after garbage or a gap more reliable.
framing {
    size u8(0) >= 0x10 ? 1 + mqtt_varint_len(1) + mqtt_varint(1) : 0
    min  2
    max  16777216
}

// Recognised on any port by the client's CONNECT: packet type 1 with no
// flags, and the protocol name "MQTT" (level 4 or 5) or "MQIsdp" (level
// 3). A server's first packet, CONNACK, is four bytes with no signature.
heuristic {
    request u8(0) == 0x10 && (
        (u16(1 + mqtt_varint_len(1)) == 4 && u32(3 + mqtt_varint_len(1)) == 0x4D515454 &&
            (u8(7 + mqtt_varint_len(1)) == 4 || u8(7 + mqtt_varint_len(1)) == 5)) ||
        (u16(1 + mqtt_varint_len(1)) == 6 && u32(3 + mqtt_varint_len(1)) == 0x4D514973 &&
            u16(7 + mqtt_varint_len(1)) == 0x6470 && u8(9 + mqtt_varint_len(1)) == 3))
}

state {
    // Protocol level of the connection: 3 (3.1), 4 (3.1.1) or 5 (5.0).
    version u8 = 4
}

enum PacketType : b4 {
    reserved    = 0  "Reserved"
    connect     = 1  "Connect Command"
    connack     = 2  "Connect Ack"
    publish     = 3  "Publish Message"
    puback      = 4  "Publish Ack"
    pubrec      = 5  "Publish Received"
    pubrel      = 6  "Publish Release"
    pubcomp     = 7  "Publish Complete"
    subscribe   = 8  "Subscribe Request"
    suback      = 9  "Subscribe Ack"
    unsubscribe = 10 "Unsubscribe Request"
    unsuback    = 11 "Unsubscribe Ack"
    pingreq     = 12 "Ping Request"
    pingresp    = 13 "Ping Response"
    disconnect  = 14 "Disconnect Req"
    auth        = 15 "Authentication Exchange"
}

enum QoS : b2 {
    at_most_once  = 0 "At most once delivery"
    at_least_once = 1 "At least once delivery"
    exactly_once  = 2 "Exactly once delivery"
    reserved      = 3 "Reserved"
}

enum ProtocolLevel : u8 {
    v3_1   = 3 "MQTT v3.1"
    v3_1_1 = 4 "MQTT v3.1.1"
    v5_0   = 5 "MQTT v5.0"
}

// CONNACK return codes of 3.1 and 3.1.1.
enum ConnectReturnCode : u8 {
    accepted              = 0 "Connection Accepted"
    bad_protocol_version  = 1 "Connection Refused: unacceptable protocol version"
    identifier_rejected   = 2 "Connection Refused: identifier rejected"
    server_unavailable    = 3 "Connection Refused: server unavailable"
    bad_username_password = 4 "Connection Refused: bad user name or password"
    not_authorized        = 5 "Connection Refused: not authorized"
}

// SUBACK return codes of 3.1.1.
enum SubackReturnCode : u8 {
    granted_qos_0 = 0    "Granted QoS 0"
    granted_qos_1 = 1    "Granted QoS 1"
    granted_qos_2 = 2    "Granted QoS 2"
    failure       = 0x80 "Failure"
}

// The reason codes of MQTT 5.0 (section 2.4). Value 0 is "Success" in
// CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK and AUTH, "Normal
// disconnection" in DISCONNECT and "Granted QoS 0" in SUBACK.
enum ReasonCode : u8 {
    success                       = 0x00 "Success"
    granted_qos_1                 = 0x01 "Granted QoS 1"
    granted_qos_2                 = 0x02 "Granted QoS 2"
    disconnect_with_will          = 0x04 "Disconnect with Will Message"
    no_matching_subscribers       = 0x10 "No matching subscribers"
    no_subscription_existed       = 0x11 "No subscription existed"
    continue_authentication       = 0x18 "Continue authentication"
    re_authenticate               = 0x19 "Re-authenticate"
    unspecified_error             = 0x80 "Unspecified error"
    malformed_packet              = 0x81 "Malformed Packet"
    protocol_error                = 0x82 "Protocol Error"
    implementation_specific_error = 0x83 "Implementation specific error"
    unsupported_protocol_version  = 0x84 "Unsupported Protocol Version"
    client_identifier_not_valid   = 0x85 "Client Identifier not valid"
    bad_user_name_or_password     = 0x86 "Bad User Name or Password"
    not_authorized                = 0x87 "Not authorized"
    server_unavailable            = 0x88 "Server unavailable"
    server_busy                   = 0x89 "Server busy"
    banned                        = 0x8A "Banned"
    server_shutting_down          = 0x8B "Server shutting down"
    bad_authentication_method     = 0x8C "Bad authentication method"
    keep_alive_timeout            = 0x8D "Keep Alive timeout"
    session_taken_over            = 0x8E "Session taken over"
    topic_filter_invalid          = 0x8F "Topic Filter invalid"
    topic_name_invalid            = 0x90 "Topic Name invalid"
    packet_identifier_in_use      = 0x91 "Packet Identifier in use"
    packet_identifier_not_found   = 0x92 "Packet Identifier not found"
    receive_maximum_exceeded      = 0x93 "Receive Maximum exceeded"
    topic_alias_invalid           = 0x94 "Topic Alias invalid"
    packet_too_large              = 0x95 "Packet too large"
    message_rate_too_high         = 0x96 "Message rate too high"
    quota_exceeded                = 0x97 "Quota exceeded"
    administrative_action         = 0x98 "Administrative action"
    payload_format_invalid        = 0x99 "Payload format invalid"
    retain_not_supported          = 0x9A "Retain not supported"
    qos_not_supported             = 0x9B "QoS not supported"
    use_another_server            = 0x9C "Use another server"
    server_moved                  = 0x9D "Server moved"
    shared_subscriptions_not_supported = 0x9E "Shared Subscriptions not supported"
    connection_rate_exceeded      = 0x9F "Connection rate exceeded"
    maximum_connect_time          = 0xA0 "Maximum connect time"
    subscription_identifiers_not_supported = 0xA1 "Subscription Identifiers not supported"
    wildcard_subscriptions_not_supported   = 0xA2 "Wildcard Subscriptions not supported"
}

// The same codes, as DISCONNECT names value 0.
enum DisconnectReasonCode : u8 {
    normal_disconnection          = 0x00 "Normal disconnection"
    disconnect_with_will          = 0x04 "Disconnect with Will Message"
    unspecified_error             = 0x80 "Unspecified error"
    malformed_packet              = 0x81 "Malformed Packet"
    protocol_error                = 0x82 "Protocol Error"
    implementation_specific_error = 0x83 "Implementation specific error"
    not_authorized                = 0x87 "Not authorized"
    server_busy                   = 0x89 "Server busy"
    server_shutting_down          = 0x8B "Server shutting down"
    keep_alive_timeout            = 0x8D "Keep Alive timeout"
    session_taken_over            = 0x8E "Session taken over"
    topic_filter_invalid          = 0x8F "Topic Filter invalid"
    topic_name_invalid            = 0x90 "Topic Name invalid"
    receive_maximum_exceeded      = 0x93 "Receive Maximum exceeded"
    topic_alias_invalid           = 0x94 "Topic Alias invalid"
    packet_too_large              = 0x95 "Packet too large"
    message_rate_too_high         = 0x96 "Message rate too high"
    quota_exceeded                = 0x97 "Quota exceeded"
    administrative_action         = 0x98 "Administrative action"
    payload_format_invalid        = 0x99 "Payload format invalid"
    retain_not_supported          = 0x9A "Retain not supported"
    qos_not_supported             = 0x9B "QoS not supported"
    use_another_server            = 0x9C "Use another server"
    server_moved                  = 0x9D "Server moved"
    shared_subscriptions_not_supported = 0x9E "Shared Subscriptions not supported"
    connection_rate_exceeded      = 0x9F "Connection rate exceeded"
    maximum_connect_time          = 0xA0 "Maximum connect time"
    subscription_identifiers_not_supported = 0xA1 "Subscription Identifiers not supported"
    wildcard_subscriptions_not_supported   = 0xA2 "Wildcard Subscriptions not supported"
}

// The same codes, as SUBACK names values 0 to 2.
enum SubackReasonCode : u8 {
    granted_qos_0                 = 0x00 "Granted QoS 0"
    granted_qos_1                 = 0x01 "Granted QoS 1"
    granted_qos_2                 = 0x02 "Granted QoS 2"
    unspecified_error             = 0x80 "Unspecified error"
    implementation_specific_error = 0x83 "Implementation specific error"
    not_authorized                = 0x87 "Not authorized"
    topic_filter_invalid          = 0x8F "Topic Filter invalid"
    packet_identifier_in_use      = 0x91 "Packet Identifier in use"
    quota_exceeded                = 0x97 "Quota exceeded"
    shared_subscriptions_not_supported = 0x9E "Shared Subscriptions not supported"
    subscription_identifiers_not_supported = 0xA1 "Subscription Identifiers not supported"
    wildcard_subscriptions_not_supported   = 0xA2 "Wildcard Subscriptions not supported"
}

enum PropertyID : mqtt_varint {
    payload_format_indicator          = 0x01 "Payload Format Indicator"
    message_expiry_interval           = 0x02 "Message Expiry Interval"
    content_type                      = 0x03 "Content Type"
    response_topic                    = 0x08 "Response Topic"
    correlation_data                  = 0x09 "Correlation Data"
    subscription_identifier           = 0x0B "Subscription Identifier"
    session_expiry_interval           = 0x11 "Session Expiry Interval"
    assigned_client_identifier        = 0x12 "Assigned Client Identifier"
    server_keep_alive                 = 0x13 "Server Keep Alive"
    authentication_method             = 0x15 "Authentication Method"
    authentication_data               = 0x16 "Authentication Data"
    request_problem_information       = 0x17 "Request Problem Information"
    will_delay_interval               = 0x18 "Will Delay Interval"
    request_response_information      = 0x19 "Request Response Information"
    response_information              = 0x1A "Response Information"
    server_reference                  = 0x1C "Server Reference"
    reason_string                     = 0x1F "Reason String"
    receive_maximum                   = 0x21 "Receive Maximum"
    topic_alias_maximum               = 0x22 "Topic Alias Maximum"
    topic_alias                       = 0x23 "Topic Alias"
    maximum_qos                       = 0x24 "Maximum QoS"
    retain_available                  = 0x25 "Retain Available"
    user_property                     = 0x26 "User Property"
    maximum_packet_size               = 0x27 "Maximum Packet Size"
    wildcard_subscription_available   = 0x28 "Wildcard Subscription Available"
    subscription_identifier_available = 0x29 "Subscription Identifier Available"
    shared_subscription_available     = 0x2A "Shared Subscription Available"
}

enum RetainHandling : b2 {
    send_on_subscribe     = 0 "Send retained messages on subscribe"
    send_if_new           = 1 "Send retained messages on new subscribe only"
    do_not_send           = 2 "Do not send retained messages"
    reserved              = 3 "Reserved"
}

// The fixed header, then the packet's variable header and payload.
struct Packet [summary = "{type:label}{body}"] {
    type     PacketType  [ws = "mqtt.msgtype"]
    // PUBLISH has DUP, QoS and RETAIN. In MQTT 3.1, PUBREL, SUBSCRIBE and
    // UNSUBSCRIBE have DUP and QoS too (QoS 1: they are acknowledged), and
    // a reserved RETAIN bit; from 3.1.1 on their four flags are reserved
    // and must be 0010 (3.1.1 section 2.2.2). The other packets have four
    // reserved bits, 0000.
    dup      b1          [if = type == PacketType.publish || (state.version == 3 && (type == PacketType.pubrel || type == PacketType.subscribe || type == PacketType.unsubscribe)),
                          ws = "mqtt.dupflag", doc = "A re-delivery of an earlier attempt"]
    qos      QoS         [if = type == PacketType.publish || (state.version == 3 && (type == PacketType.pubrel || type == PacketType.subscribe || type == PacketType.unsubscribe)),
                          ws = "mqtt.qos"]
    retain   b1          [if = type == PacketType.publish, ws = "mqtt.retain"]
    retain_reserved b1   [if = state.version == 3 && (type == PacketType.pubrel || type == PacketType.subscribe || type == PacketType.unsubscribe),
                          ws = "mqtt.retain_reserved", doc = "Reserved: 0"]
    reserved b4          [if = !(type == PacketType.publish || (state.version == 3 && (type == PacketType.pubrel || type == PacketType.subscribe || type == PacketType.unsubscribe))),
                          ws = "mqtt.hdr_reserved", base = bin, doc = "Fixed flags: 0010 for PUBREL, SUBSCRIBE and UNSUBSCRIBE, 0000 for the others"]
    length   mqtt_varint [ws = "mqtt.len", doc = "Remaining length: the bytes after this field"]
    body switch type {
        case connect:     Connect
        case connack:     switch length {
            case 2:       Connack
            default:      Connack5
        }
        case publish:     switch qos {
            case 0:       switch state.version {
                case 5..255: Publish5QoS0
                default:     PublishQoS0
            }
            default:      switch state.version {
                case 5..255: Publish5
                default:     Publish
            }
        }
        case puback:      switch state.version {
            case 5..255:  Puback5
            default:      Puback
        }
        case pubrec:      switch state.version {
            case 5..255:  Pubrec5
            default:      Pubrec
        }
        case pubrel:      switch state.version {
            case 5..255:  Pubrel5
            default:      Pubrel
        }
        case pubcomp:     switch state.version {
            case 5..255:  Pubcomp5
            default:      Pubcomp
        }
        case subscribe:   switch state.version {
            case 5..255:  Subscribe5
            default:      Subscribe
        }
        case suback:      switch state.version {
            case 5..255:  Suback5
            default:      Suback
        }
        case unsubscribe: switch state.version {
            case 5..255:  Unsubscribe5
            default:      Unsubscribe
        }
        case unsuback:    switch state.version {
            case 5..255:  Unsuback5
            default:      Unsuback
        }
        case pingreq:     PingReq
        case pingresp:    PingResp
        case disconnect:  switch state.version {
            case 5..255:  Disconnect5
            default:      Empty
        }
        case auth:        Auth
        default:          Raw
    }
    // The fixed-header flags are checked after the body, so that a packet
    // that breaks the rule is still shown in full. PUBREL, SUBSCRIBE and
    // UNSUBSCRIBE carry QoS 1 (0010); MQTT 3.1 also let them set DUP,
    // which is not checked for them.
    assert type != PacketType.reserved, "packet type 0 is reserved"
    assert type != PacketType.publish || qos != QoS.reserved, "QoS 3 is reserved in PUBLISH"
    assert type == PacketType.publish ||
           (state.version == 3 && (type == PacketType.pubrel || type == PacketType.subscribe || type == PacketType.unsubscribe) ? qos == 1 && retain_reserved == 0 :
            type == PacketType.pubrel || type == PacketType.subscribe || type == PacketType.unsubscribe ? (reserved & 7) == 2 : reserved == 0),
           "reserved fixed-header flags do not have their fixed value"
}

struct Empty {}

struct Raw {
    data []byte
}

// An MQTT 5.0 property list: its length in bytes, then the properties.
struct Properties [summary = "{list}"] {
    length mqtt_varint [ws = "mqtt.property_len"]
    list   []Property  [size = length]
}

// A numeric value is Wireshark's mqtt.prop_number: the case names it
// ([ws = ...] on a case); the others are named inside their structs.
struct Property [summary = "{id}: {value}"] {
    id    PropertyID [ws = "mqtt.property_id", base = hex]
    value switch id {
        case payload_format_indicator, request_problem_information, request_response_information,
             maximum_qos, retain_available, wildcard_subscription_available,
             subscription_identifier_available, shared_subscription_available:
            u8 [ws = "mqtt.prop_number"]
        case server_keep_alive, receive_maximum, topic_alias_maximum, topic_alias:
            u16 [ws = "mqtt.prop_number"]
        case message_expiry_interval, session_expiry_interval, will_delay_interval, maximum_packet_size:
            u32 [ws = "mqtt.prop_number"]
        case subscription_identifier:
            mqtt_varint [ws = "mqtt.prop_number"]
        case content_type:
            ContentType
        case response_topic, assigned_client_identifier, authentication_method,
             response_information, server_reference, reason_string:
            PropertyString
        case correlation_data, authentication_data:
            BinaryData
        case user_property:
            UserProperty
    }
}

struct PropertyString [summary = "{value}"] {
    length u16          [ws = "mqtt.prop_string_len"]
    value  [length]utf8 [ws = "mqtt.prop_string"]
}

// Wireshark names the content type on its own, without its length.
struct ContentType [summary = "{value}"] {
    length u16
    value  [length]utf8 [ws = "mqtt.property.content_type"]
}

// Wireshark shows binary data with the string fields' names.
struct BinaryData [summary = "{value}"] {
    length u16          [ws = "mqtt.prop_string_len"]
    value  [length]byte [ws = "mqtt.prop_string"]
}

struct UserProperty [summary = "{key}={value}"] {
    key_length   u16                [ws = "mqtt.prop_key_len"]
    key          [key_length]utf8   [ws = "mqtt.prop_key"]
    value_length u16                [ws = "mqtt.prop_value_len"]
    value        [value_length]utf8 [ws = "mqtt.prop_value"]
}

// CONNECT: client to server, the first packet of a connection.
struct Connect [summary = ", {version:label}, client {client_id:text}"] {
    protocol_name_length u16 [ws = "mqtt.proto_len"]
    protocol_name [protocol_name_length]utf8 [ws = "mqtt.protoname", doc = "\"MQTT\"; \"MQIsdp\" in 3.1"]
    version  ProtocolLevel [ws = "mqtt.ver"]
    set state.version = version
    flags struct {
        username      b1  [ws = "mqtt.conflag.uname"]
        password      b1  [ws = "mqtt.conflag.passwd"]
        will_retain   b1  [ws = "mqtt.conflag.retain"]
        will_qos      QoS [ws = "mqtt.conflag.qos"]
        will          b1  [ws = "mqtt.conflag.willflag"]
        clean_session b1  [ws = "mqtt.conflag.cleansess", doc = "Clean Start in 5.0"]
        reserved      b1  [ws = "mqtt.conflag.reserved"]
    }
    keep_alive u16 [ws = "mqtt.kalive", unit = "s"]
    properties Properties [if = version >= 5]
    client_id_length u16 [ws = "mqtt.clientid_len"]
    client_id [client_id_length]utf8 [ws = "mqtt.clientid"]
    will_properties Properties [if = flags.will && version >= 5]
    will_topic_length u16 [if = flags.will, ws = "mqtt.willtopic_len"]
    will_topic [will_topic_length]utf8 [if = flags.will, ws = "mqtt.willtopic"]
    will_message_length u16 [if = flags.will, ws = "mqtt.willmsg_len"]
    will_message [will_message_length]byte [if = flags.will, ws = "mqtt.willmsg"]
    username_length u16 [if = flags.username, ws = "mqtt.username_len"]
    username [username_length]utf8 [if = flags.username, ws = "mqtt.username"]
    password_length u16 [if = flags.password, ws = "mqtt.passwd_len"]
    password [password_length]utf8 [if = flags.password, ws = "mqtt.passwd"]
    pair request 0
}

struct ConnackFlags {
    reserved        b7 [ws = "mqtt.conack.flags.reserved"]
    session_present b1 [ws = "mqtt.conack.flags.sp"]
}

// CONNACK of 3.1 and 3.1.1: two bytes.
struct Connack [summary = ", {return_code:label}"] {
    flags       ConnackFlags
    return_code ConnectReturnCode [ws = "mqtt.conack.val"]
    set state.version = min(state.version, 4)
    pair response 0
}

// CONNACK of 5.0: a reason code and properties.
struct Connack5 [summary = ", {reason_code:label}"] {
    flags       ConnackFlags
    reason_code ReasonCode [ws = "mqtt.connack.reason_code"]
    properties  Properties
    set state.version = 5
    pair response 0
}

// LANGUAGE GAP: a summary shows a field that is absent as "?", and pair
// cannot be conditional, so PUBLISH comes in four structs (QoS 0 or not,
// 3.1.1 or 5.0) rather than one with `packet_id [if = qos > 0]`;
// `{?packet_id}` in summaries and `pair request packet_id [if = qos > 0]`
// would allow one.
struct PublishQoS0 [summary = ", {topic:text}"] {
    topic_length u16                [ws = "mqtt.topic_len"]
    topic        [topic_length]utf8 [ws = "mqtt.topic"]
    message      []byte             [ws = "mqtt.msg", doc = "The application message"]
}

struct Publish [summary = ", id={packet_id}, {topic:text}"] {
    topic_length u16                [ws = "mqtt.topic_len"]
    topic        [topic_length]utf8 [ws = "mqtt.topic"]
    packet_id    u16                [ws = "mqtt.msgid"]
    message      []byte             [ws = "mqtt.msg", doc = "The application message"]
    assert packet_id != 0, "packet identifier 0 is not allowed"
    pair request packet_id
}

struct Publish5QoS0 [summary = ", {topic:text}"] {
    topic_length u16                [ws = "mqtt.topic_len"]
    topic        [topic_length]utf8 [ws = "mqtt.topic"]
    properties   Properties
    message      []byte             [ws = "mqtt.msg", doc = "The application message"]
}

struct Publish5 [summary = ", id={packet_id}, {topic:text}"] {
    topic_length u16                [ws = "mqtt.topic_len"]
    topic        [topic_length]utf8 [ws = "mqtt.topic"]
    packet_id    u16                [ws = "mqtt.msgid"]
    properties   Properties
    message      []byte             [ws = "mqtt.msg", doc = "The application message"]
    assert packet_id != 0, "packet identifier 0 is not allowed"
    pair request packet_id
}

// PUBACK, PUBREC, PUBREL, PUBCOMP of 3.1.1: the packet identifier alone.
struct Puback [summary = ", id={packet_id}"] {
    packet_id u16 [ws = "mqtt.msgid"]
    assert packet_id != 0, "packet identifier 0 is not allowed"
    pair response packet_id
}

struct Pubrec [summary = ", id={packet_id}"] {
    packet_id u16 [ws = "mqtt.msgid"]
    assert packet_id != 0, "packet identifier 0 is not allowed"
    pair response packet_id
}

struct Pubrel [summary = ", id={packet_id}"] {
    packet_id u16 [ws = "mqtt.msgid"]
    assert packet_id != 0, "packet identifier 0 is not allowed"
    pair request packet_id
}

struct Pubcomp [summary = ", id={packet_id}"] {
    packet_id u16 [ws = "mqtt.msgid"]
    assert packet_id != 0, "packet identifier 0 is not allowed"
    pair response packet_id
}

// In 5.0 the reason code may be left out when it is 0 (Success) and there
// are no properties, and the properties when there are none.
struct Puback5 [summary = ", id={packet_id}{result}"] {
    packet_id u16 [ws = "mqtt.msgid"]
    result switch remaining() {
        case 0:  Empty
        default: PubackResult
    }
    assert packet_id != 0, "packet identifier 0 is not allowed"
    pair response packet_id
}

struct PubackResult [summary = ", {reason_code:label}"] {
    reason_code ReasonCode [ws = "mqtt.puback.reason_code"]
    properties  Properties [if = remaining() > 0]
}

struct Pubrec5 [summary = ", id={packet_id}{result}"] {
    packet_id u16 [ws = "mqtt.msgid"]
    result switch remaining() {
        case 0:  Empty
        default: PubrecResult
    }
    assert packet_id != 0, "packet identifier 0 is not allowed"
    pair response packet_id
}

struct PubrecResult [summary = ", {reason_code:label}"] {
    reason_code ReasonCode [ws = "mqtt.pubrec.reason_code"]
    properties  Properties [if = remaining() > 0]
}

struct Pubrel5 [summary = ", id={packet_id}{result}"] {
    packet_id u16 [ws = "mqtt.msgid"]
    result switch remaining() {
        case 0:  Empty
        default: PubrelResult
    }
    assert packet_id != 0, "packet identifier 0 is not allowed"
    pair request packet_id
}

struct PubrelResult [summary = ", {reason_code:label}"] {
    reason_code ReasonCode [ws = "mqtt.pubrel.reason_code"]
    properties  Properties [if = remaining() > 0]
}

struct Pubcomp5 [summary = ", id={packet_id}{result}"] {
    packet_id u16 [ws = "mqtt.msgid"]
    result switch remaining() {
        case 0:  Empty
        default: PubcompResult
    }
    assert packet_id != 0, "packet identifier 0 is not allowed"
    pair response packet_id
}

struct PubcompResult [summary = ", {reason_code:label}"] {
    reason_code ReasonCode [ws = "mqtt.pubcomp.reason_code"]
    properties  Properties [if = remaining() > 0]
}

struct Subscribe [summary = ", id={packet_id}, {subscriptions:join(, )}"] {
    packet_id     u16            [ws = "mqtt.msgid"]
    subscriptions []Subscription
    assert packet_id != 0, "packet identifier 0 is not allowed"
    pair request packet_id
}

struct Subscription [summary = "{topic:text}"] {
    topic_length u16                [ws = "mqtt.topic_len"]
    topic        [topic_length]utf8 [ws = "mqtt.topic", doc = "A topic filter"]
    options struct {
        reserved b6
        qos      QoS [ws = "mqtt.sub.qos", doc = "Requested QoS"]
    }
}

struct Subscribe5 [summary = ", id={packet_id}, {subscriptions:join(, )}"] {
    packet_id     u16             [ws = "mqtt.msgid"]
    properties    Properties
    subscriptions []Subscription5
    assert packet_id != 0, "packet identifier 0 is not allowed"
    pair request packet_id
}

struct Subscription5 [summary = "{topic:text}"] {
    topic_length u16                [ws = "mqtt.topic_len"]
    topic        [topic_length]utf8 [ws = "mqtt.topic", doc = "A topic filter"]
    options struct {
        reserved            b2             [ws = "mqtt.subscription_options_reserved"]
        retain_handling     RetainHandling [ws = "mqtt.subscription_options_retain"]
        retain_as_published b1             [ws = "mqtt.subscription_options_rap"]
        no_local            b1             [ws = "mqtt.subscription_options_nl"]
        qos                 QoS            [ws = "mqtt.subscription_options_qos"]
    }
}

struct Suback [summary = ", id={packet_id}"] {
    packet_id    u16                [ws = "mqtt.msgid"]
    return_codes []SubackReturnCode [ws = "mqtt.suback.qos"]
    assert packet_id != 0, "packet identifier 0 is not allowed"
    pair response packet_id
}

struct Suback5 [summary = ", id={packet_id}"] {
    packet_id    u16                [ws = "mqtt.msgid"]
    properties   Properties
    reason_codes []SubackReasonCode [ws = "mqtt.suback.reason_code"]
    assert packet_id != 0, "packet identifier 0 is not allowed"
    pair response packet_id
}

struct Unsubscribe [summary = ", id={packet_id}, {topics:join(, )}"] {
    packet_id u16          [ws = "mqtt.msgid"]
    topics    []TopicFilter
    assert packet_id != 0, "packet identifier 0 is not allowed"
    pair request packet_id
}

struct Unsubscribe5 [summary = ", id={packet_id}, {topics:join(, )}"] {
    packet_id  u16          [ws = "mqtt.msgid"]
    properties Properties
    topics     []TopicFilter
    assert packet_id != 0, "packet identifier 0 is not allowed"
    pair request packet_id
}

struct TopicFilter [summary = "{topic:text}"] {
    topic_length u16                [ws = "mqtt.topic_len"]
    topic        [topic_length]utf8 [ws = "mqtt.topic"]
}

struct Unsuback [summary = ", id={packet_id}"] {
    packet_id u16 [ws = "mqtt.msgid"]
    assert packet_id != 0, "packet identifier 0 is not allowed"
    pair response packet_id
}

struct Unsuback5 [summary = ", id={packet_id}"] {
    packet_id    u16          [ws = "mqtt.msgid"]
    properties   Properties
    reason_codes []ReasonCode [ws = "mqtt.unsuback.reason_code"]
    assert packet_id != 0, "packet identifier 0 is not allowed"
    pair response packet_id
}

struct PingReq {
    pair request -1
}

struct PingResp {
    pair response -1
}

// DISCONNECT of 5.0: with no reason code, a normal disconnection.
struct Disconnect5 [summary = "{result}"] {
    result switch remaining() {
        case 0:  Empty
        default: DisconnectResult
    }
}

struct DisconnectResult [summary = ", {reason_code:label}"] {
    reason_code DisconnectReasonCode [ws = "mqtt.disconnect.reason_code"]
    properties  Properties           [if = remaining() > 0]
}

// AUTH (5.0 only), either way during extended authentication.
struct Auth [summary = "{result}"] {
    result switch remaining() {
        case 0:  Empty
        default: AuthResult
    }
}

struct AuthResult [summary = ", {reason_code:label}"] {
    reason_code ReasonCode [ws = "mqtt.auth.reason_code"]
    properties  Properties [if = remaining() > 0]
}
