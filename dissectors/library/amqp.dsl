// AMQP 0-9-1, as in the "AMQP 0-9-1 Specification" and its XML
// definition (amqp0-9-1.xml), with RabbitMQ's errata and extensions
// (basic.nack, confirm.select, exchange.bind, connection.blocked): the
// protocol of RabbitMQ and other brokers.
//
// A connection starts with the 8-byte protocol header "AMQP\0\0\9\1" from
// the client; then both sides send frames: a type (method, content
// header, content body, heartbeat), a channel, a size, the payload and
// the frame-end byte 0xCE. A method frame names its class and method and
// carries the method's arguments; a message published or delivered is a
// method frame (basic.publish, basic.deliver, basic.get-ok, basic.return)
// followed by a content header (body size and properties) and body frames.
//
// Pairing: a synchronous method and its -Ok answer on the same channel
// (connection.start and start-ok, queue.declare and declare-ok, basic.get
// and get-ok or get-empty, ...). A request with no-wait set gets no answer
// and shows as unanswered.

protocol amqp {
    title       "AMQP 0-9-1"
    description "AMQP 0-9-1 (RabbitMQ): protocol header, method frames with arguments, content headers and bodies, heartbeats"
    transport   tcp
    ports       5672
    endian      big
    wireshark   "amqp"
    message     Frame
}

// The protocol header is 8 bytes; a frame is a 7-byte header, the payload
// and the frame-end byte. Only the four frame types are accepted, which
// keeps the search for a boundary reliable. RabbitMQ's frame_max is at
// most 128 KiB by default; 16 MiB bounds a lost boundary.
framing {
    size u32(0) == 0x414D5150 ? 8 :
         (u8(0) == 1 || u8(0) == 2 || u8(0) == 3 || u8(0) == 8) ? u32(3) + 8 : 0
    min  8
    max  16777216
}

// A client opens with the protocol header AMQP 0-0-9-1; the server
// answers with Connection.Start (class 10, method 10) on channel 0, a
// method frame that ends in 0xCE (or with its own protocol header, when it
// refuses the version).
heuristic {
    request  u32(0) == 0x414D5150 && u32(4) == 0x00000901
    response (u32(0) == 0x414D5150 && u32(4) == 0x00000901) ||
             (u8(0) == 1 && u16(1) == 0 && u32(3) >= 4 && u32(3) <= 1048576 &&
              u16(7) == 10 && u16(9) == 10 && u8(u32(3) + 7) == 0xCE)
}

enum FrameType : u8 {
    method    = 1 "Method"
    header    = 2 "Content header"
    body      = 3 "Content body"
    heartbeat = 8 "Heartbeat"
}

enum ClassID : u16 {
    connection = 10 "Connection"
    channel    = 20 "Channel"
    access     = 30 "Access"
    exchange   = 40 "Exchange"
    queue      = 50 "Queue"
    basic      = 60 "Basic"
    confirm    = 85 "Confirm"
    tx         = 90 "Tx"
}

// Bit arguments are packed into octets from the least significant bit,
// in the order of the arguments (b1le fields are read in that order).

// Class and method ids together (class << 16 | method), named as tshark.
enum MethodName : u32 {
    connection_start              = 0x000A000A "Connection.Start"
    connection_start_ok           = 0x000A000B "Connection.Start-Ok"
    connection_secure             = 0x000A0014 "Connection.Secure"
    connection_secure_ok          = 0x000A0015 "Connection.Secure-Ok"
    connection_tune               = 0x000A001E "Connection.Tune"
    connection_tune_ok            = 0x000A001F "Connection.Tune-Ok"
    connection_open               = 0x000A0028 "Connection.Open"
    connection_open_ok            = 0x000A0029 "Connection.Open-Ok"
    connection_close              = 0x000A0032 "Connection.Close"
    connection_close_ok           = 0x000A0033 "Connection.Close-Ok"
    connection_blocked            = 0x000A003C "Connection.Blocked"
    connection_unblocked          = 0x000A003D "Connection.Unblocked"
    connection_update_secret      = 0x000A0046 "Connection.Update-Secret"
    connection_update_secret_ok   = 0x000A0047 "Connection.Update-Secret-Ok"
    channel_open               = 0x0014000A "Channel.Open"
    channel_open_ok            = 0x0014000B "Channel.Open-Ok"
    channel_flow               = 0x00140014 "Channel.Flow"
    channel_flow_ok            = 0x00140015 "Channel.Flow-Ok"
    channel_close              = 0x00140028 "Channel.Close"
    channel_close_ok           = 0x00140029 "Channel.Close-Ok"
    exchange_declare            = 0x0028000A "Exchange.Declare"
    exchange_declare_ok         = 0x0028000B "Exchange.Declare-Ok"
    exchange_delete             = 0x00280014 "Exchange.Delete"
    exchange_delete_ok          = 0x00280015 "Exchange.Delete-Ok"
    exchange_bind               = 0x0028001E "Exchange.Bind"
    exchange_bind_ok            = 0x0028001F "Exchange.Bind-Ok"
    exchange_unbind             = 0x00280028 "Exchange.Unbind"
    exchange_unbind_ok          = 0x00280033 "Exchange.Unbind-Ok"
    queue_declare            = 0x0032000A "Queue.Declare"
    queue_declare_ok         = 0x0032000B "Queue.Declare-Ok"
    queue_bind               = 0x00320014 "Queue.Bind"
    queue_bind_ok            = 0x00320015 "Queue.Bind-Ok"
    queue_purge              = 0x0032001E "Queue.Purge"
    queue_purge_ok           = 0x0032001F "Queue.Purge-Ok"
    queue_delete             = 0x00320028 "Queue.Delete"
    queue_delete_ok          = 0x00320029 "Queue.Delete-Ok"
    queue_unbind             = 0x00320032 "Queue.Unbind"
    queue_unbind_ok          = 0x00320033 "Queue.Unbind-Ok"
    basic_qos                = 0x003C000A "Basic.Qos"
    basic_qos_ok             = 0x003C000B "Basic.Qos-Ok"
    basic_consume            = 0x003C0014 "Basic.Consume"
    basic_consume_ok         = 0x003C0015 "Basic.Consume-Ok"
    basic_cancel             = 0x003C001E "Basic.Cancel"
    basic_cancel_ok          = 0x003C001F "Basic.Cancel-Ok"
    basic_publish            = 0x003C0028 "Basic.Publish"
    basic_return             = 0x003C0032 "Basic.Return"
    basic_deliver            = 0x003C003C "Basic.Deliver"
    basic_get                = 0x003C0046 "Basic.Get"
    basic_get_ok             = 0x003C0047 "Basic.Get-Ok"
    basic_get_empty          = 0x003C0048 "Basic.Get-Empty"
    basic_ack                = 0x003C0050 "Basic.Ack"
    basic_reject             = 0x003C005A "Basic.Reject"
    basic_recover_async      = 0x003C0064 "Basic.Recover-Async"
    basic_recover            = 0x003C006E "Basic.Recover"
    basic_recover_ok         = 0x003C006F "Basic.Recover-Ok"
    basic_nack               = 0x003C0078 "Basic.Nack"
    confirm_select             = 0x0055000A "Confirm.Select"
    confirm_select_ok          = 0x0055000B "Confirm.Select-Ok"
    tx_select             = 0x005A000A "Tx.Select"
    tx_select_ok          = 0x005A000B "Tx.Select-Ok"
    tx_commit             = 0x005A0014 "Tx.Commit"
    tx_commit_ok          = 0x005A0015 "Tx.Commit-Ok"
    tx_rollback           = 0x005A001E "Tx.Rollback"
    tx_rollback_ok        = 0x005A001F "Tx.Rollback-Ok"
}

// Content header property flags: which properties follow. Bits are
// numbered from the high end: content_type is bit 15.
flags PropertyFlags : u16 {
    content_type     = 0x8000
    content_encoding = 0x4000
    headers          = 0x2000
    delivery_mode    = 0x1000
    priority         = 0x0800
    correlation_id   = 0x0400
    reply_to         = 0x0200
    expiration       = 0x0100
    message_id       = 0x0080
    timestamp        = 0x0040
    type             = 0x0020
    user_id          = 0x0010
    app_id           = 0x0008
    cluster_id       = 0x0004
    continuation     = 0x0001
}

enum DeliveryMode : u8 {
    transient  = 1 "Non-persistent"
    persistent = 2 "Persistent"
}

enum ReplyCode : u16 {
    reply_success       = 200 "reply-success"
    content_too_large   = 311 "content-too-large"
    no_route            = 312 "no-route"
    no_consumers        = 313 "no-consumers"
    connection_forced   = 320 "connection-forced"
    invalid_path        = 402 "invalid-path"
    access_refused      = 403 "access-refused"
    not_found           = 404 "not-found"
    resource_locked     = 405 "resource-locked"
    precondition_failed = 406 "precondition-failed"
    frame_error         = 501 "frame-error"
    syntax_error        = 502 "syntax-error"
    command_invalid     = 503 "command-invalid"
    channel_error       = 504 "channel-error"
    unexpected_frame    = 505 "unexpected-frame"
    resource_error      = 506 "resource-error"
    not_allowed         = 530 "not-allowed"
    not_implemented     = 540 "not-implemented"
    internal_error      = 541 "internal-error"
}

// ---------------------------------------------------------------------

struct Frame [summary = "{frame}"] {
    frame switch u32(0) {
        case 0x414D5150: ProtocolHeader
        default:         RegularFrame
    }
}

struct ProtocolHeader [summary = "Protocol-Header {major}-{minor}-{revision}"] {
    protocol [4]ascii = "AMQP" [ws = "amqp.init.protocol"]
    id       u8 [ws = "amqp.init.id", doc = "0 for AMQP 0-9-1 (1 in 0-8 headers)"]
    major    u8 [ws = "amqp.init.version_major"]
    minor    u8 [ws = "amqp.init.version_minor"]
    revision u8 [ws = "amqp.init.version_revision"]
}

struct RegularFrame [summary = "{payload}"] {
    type    FrameType [ws = "amqp.type"]
    channel u16 [ws = "amqp.channel"]
    size    u32 [ws = "amqp.length"]
    payload switch type {
        case method:    Method(channel)
        case header:    ContentHeader
        case body:      ContentBody
        case heartbeat: Heartbeat
    } [size = size]
    frame_end u8 = 0xCE [base = hex, doc = "Frame-end marker"]
    assert type != FrameType.heartbeat || channel == 0, "a heartbeat frame on a channel other than 0"
}

struct Heartbeat [summary = "Heartbeat"] {}

struct ContentBody [summary = "Content-Body"] {
    payload []byte [ws = "amqp.payload"]
}

struct Method(channel u16) [summary = "{method:label}{arguments}"] {
    class_id  ClassID [ws = "amqp.method.class"]
    method_id u16 [ws = "amqp.method.method"]
    let method MethodName = class_id * 65536 + method_id
    let id = class_id * 65536 + method_id [hidden]
    arguments switch method {
        case connection_start:     ConnectionStart
        case connection_start_ok:  ConnectionStartOk
        case connection_secure:    ConnectionSecure
        case connection_secure_ok: ConnectionSecureOk
        case connection_tune, connection_tune_ok: ConnectionTune
        case connection_open:      ConnectionOpen
        case connection_open_ok:   ConnectionOpenOk
        case connection_close, channel_close: Close
        case connection_blocked:   ConnectionBlocked
        case channel_open:         ChannelOpen
        case channel_open_ok:      ChannelOpenOk
        case channel_flow, channel_flow_ok: ChannelFlow
        case exchange_declare:     ExchangeDeclare
        case exchange_delete:      ExchangeDelete
        case exchange_bind, exchange_unbind: ExchangeBind
        case queue_declare:        QueueDeclare
        case queue_declare_ok:     QueueDeclareOk
        case queue_bind:           QueueBind
        case queue_unbind:         QueueUnbind
        case queue_purge:          QueuePurge
        case queue_delete:         QueueDelete
        case queue_purge_ok, queue_delete_ok: MessageCount
        case basic_qos:            BasicQos
        case basic_consume:        BasicConsume
        case basic_consume_ok, basic_cancel_ok: ConsumerTag
        case basic_cancel:         BasicCancel
        case basic_publish:        BasicPublish
        case basic_return:         BasicReturn
        case basic_deliver:        BasicDeliver
        case basic_get:            BasicGet
        case basic_get_ok:         BasicGetOk
        case basic_get_empty:      BasicGetEmpty
        case basic_ack:            BasicAck
        case basic_reject:         BasicReject
        case basic_nack:           BasicNack
        case basic_recover_async, basic_recover: BasicRecover
        case confirm_select:       ConfirmSelect
        default:                   NoArguments
    }
    let is_request = id == 0x000A000A || id == 0x000A0014 || id == 0x000A001E || id == 0x000A0028 ||
        id == 0x000A0032 || id == 0x000A0046 || id == 0x0014000A || id == 0x00140014 ||
        id == 0x00140028 || id == 0x0028000A || id == 0x00280014 || id == 0x0028001E ||
        id == 0x00280028 || id == 0x0032000A || id == 0x00320014 || id == 0x0032001E ||
        id == 0x00320028 || id == 0x00320032 || id == 0x003C000A || id == 0x003C0014 ||
        id == 0x003C001E || id == 0x003C0046 || id == 0x003C006E || id == 0x0055000A ||
        id == 0x005A000A || id == 0x005A0014 || id == 0x005A001E [hidden]
    let answers = id == 0x000A000B ? 0x000A000A : id == 0x000A0015 ? 0x000A0014 :
        id == 0x000A001F ? 0x000A001E : id == 0x000A0029 ? 0x000A0028 :
        id == 0x000A0033 ? 0x000A0032 : id == 0x000A0047 ? 0x000A0046 :
        id == 0x0014000B ? 0x0014000A : id == 0x00140015 ? 0x00140014 :
        id == 0x00140029 ? 0x00140028 : id == 0x0028000B ? 0x0028000A :
        id == 0x00280015 ? 0x00280014 : id == 0x0028001F ? 0x0028001E :
        id == 0x00280033 ? 0x00280028 : id == 0x0032000B ? 0x0032000A :
        id == 0x00320015 ? 0x00320014 : id == 0x0032001F ? 0x0032001E :
        id == 0x00320029 ? 0x00320028 : id == 0x00320033 ? 0x00320032 :
        id == 0x003C000B ? 0x003C000A : id == 0x003C0015 ? 0x003C0014 :
        id == 0x003C001F ? 0x003C001E : id == 0x003C0047 ? 0x003C0046 :
        id == 0x003C0048 ? 0x003C0046 : id == 0x003C006F ? 0x003C006E :
        id == 0x0055000B ? 0x0055000A : id == 0x005A000B ? 0x005A000A :
        id == 0x005A0015 ? 0x005A0014 : id == 0x005A001F ? 0x005A001E : 0 [hidden]
    pair request  channel * 4294967296 + id      [if = is_request]
    pair response channel * 4294967296 + answers [if = answers != 0]
}

// Arguments left over, or of a method that takes none.
struct NoArguments {
    data []byte [ws = "amqp.method.arguments"]
}

// ---------------------------------------------------------------------
// Domains

struct ShortString [summary = "{value}"] {
    length u8
    value  [length]utf8
}

struct LongString [summary = "{value}"] {
    length u32 [range = 0..16777216]
    value  [length]utf8
}

struct LongBytes [summary = "{value}"] {
    length u32 [range = 0..16777216]
    value  [length]byte
}

// A field table: its size in bytes, then name/type/value entries.
struct FieldTable [summary = "{entries:list}"] {
    size    u32 [range = 0..16777216]
    entries []FieldEntry [size = size]
}

struct FieldEntry [summary = "{name:text}={value}"] {
    name_length u8
    name        [name_length]utf8
    value       FieldValue
}

struct FieldArray [summary = "[{values:list}]"] {
    size   u32 [range = 0..16777216]
    values []FieldValue [size = size]
}

// A typed value: a type letter, then the value (RabbitMQ's letters, which
// the 0-9-1 errata adopt: 's' is a 16-bit integer).
struct FieldValue [summary = "{value}"] {
    type  u8 [doc = "t bool, b/B 8-bit, s/u 16-bit, I/i 32-bit, l/L 64-bit, f/d float, D decimal, S string, A array, T timestamp, F table, V void, x bytes"]
    value switch type {
        case 0x74: bool                          // t
        case 0x62: s8                            // b
        case 0x42: u8                            // B
        case 0x73: s16                           // s
        case 0x75: u16                           // u
        case 0x49: s32                           // I
        case 0x69: u32                           // i
        case 0x6C: s64                           // l
        case 0x4C: u64                           // L
        case 0x66: f32                           // f
        case 0x64: f64                           // d
        case 0x44: Decimal                       // D
        case 0x53: LongString                    // S
        case 0x41: FieldArray                    // A
        case 0x54: Timestamp                     // T
        case 0x46: NestedTable                   // F
        case 0x56: Void                          // V
        case 0x78: LongBytes                     // x
    }
}

struct NestedTable [summary = "{{{table}}}"] {
    table FieldTable
}

struct Decimal [summary = "{value} (scale {scale})"] {
    scale u8
    value s32
}

struct Timestamp [summary = "{value}"] {
    value u64 [ws = "amqp.field.timestamp", time = unix]
}

struct Void [summary = "void"] {}

// ---------------------------------------------------------------------
// Connection

struct ConnectionStart [summary = " {mechanisms.value:text}"] {
    version_major     u8 [ws = "amqp.method.arguments.version_major"]
    version_minor     u8 [ws = "amqp.method.arguments.version_minor"]
    server_properties FieldTable [ws = "amqp.method.arguments.server_properties"]
    mechanisms        LongString [ws = "amqp.method.arguments.mechanisms"]
    locales           LongString [ws = "amqp.method.arguments.locales"]
}

struct ConnectionStartOk [summary = " {mechanism.value:text}"] {
    client_properties FieldTable  [ws = "amqp.method.arguments.client_properties"]
    mechanism         ShortString [ws = "amqp.method.arguments.mechanism"]
    response          LongBytes   [ws = "amqp.method.arguments.response"]
    locale            ShortString [ws = "amqp.method.arguments.locale"]
}

struct ConnectionSecure {
    challenge LongBytes [ws = "amqp.method.arguments.challenge"]
}

struct ConnectionSecureOk {
    response LongBytes [ws = "amqp.method.arguments.response"]
}

struct ConnectionTune [summary = " channel_max={channel_max} frame_max={frame_max} heartbeat={heartbeat}"] {
    channel_max u16 [ws = "amqp.method.arguments.channel_max", doc = "0: no limit"]
    frame_max   u32 [ws = "amqp.method.arguments.frame_max", doc = "0: no limit"]
    heartbeat   u16 [ws = "amqp.method.arguments.heartbeat", unit = "s", doc = "0: no heartbeats"]
}

struct ConnectionOpen [summary = " vhost={virtual_host.value:text}"] {
    virtual_host ShortString [ws = "amqp.method.arguments.virtual_host"]
    capabilities ShortString [ws = "amqp.method.arguments.capabilities", doc = "Reserved"]
    bits struct {
        insist   b1le [ws = "amqp.method.arguments.insist", doc = "Reserved"]
        reserved b7le
    }
}

struct ConnectionOpenOk {
    known_hosts ShortString [ws = "amqp.method.arguments.known_hosts", doc = "Reserved"]
}

// connection.close and channel.close.
struct Close [summary = " reply={reply_code:label} {reply_text.value:text}"] {
    reply_code ReplyCode   [ws = "amqp.method.arguments.reply_code"]
    reply_text ShortString [ws = "amqp.method.arguments.reply_text"]
    class_id   u16 [ws = "amqp.method.arguments.class_id", doc = "The failing method's class, or 0"]
    method_id  u16 [ws = "amqp.method.arguments.method_id"]
}

struct ConnectionBlocked [summary = " {reason.value:text}"] {
    reason ShortString [ws = "amqp.method.arguments.reason"]
}

// ---------------------------------------------------------------------
// Channel

struct ChannelOpen {
    out_of_band ShortString [ws = "amqp.method.arguments.out_of_band", doc = "Reserved"]
}

struct ChannelOpenOk {
    channel_id LongBytes [ws = "amqp.method.arguments.channel_id", doc = "Reserved"]
}

struct ChannelFlow [summary = " active={bits.active}"] {
    bits struct {
        active   b1le [ws = "amqp.method.arguments.active"]
        reserved b7le
    }
}

// ---------------------------------------------------------------------
// Exchange

struct ExchangeDeclare [summary = " x={exchange.value:text} type={type.value:text}"] {
    ticket   u16 [ws = "amqp.method.arguments.ticket", doc = "Reserved"]
    exchange ShortString [ws = "amqp.method.arguments.exchange"]
    type     ShortString [ws = "amqp.method.arguments.type"]
    bits struct {
        passive     b1le [ws = "amqp.method.arguments.passive"]
        durable     b1le [ws = "amqp.method.arguments.durable"]
        auto_delete b1le [ws = "amqp.method.arguments.auto_delete"]
        internal    b1le [ws = "amqp.method.arguments.internal"]
        nowait      b1le [ws = "amqp.method.arguments.nowait"]
        reserved    b3le
    }
    arguments FieldTable [ws = "amqp.method.arguments.arguments"]
}

struct ExchangeDelete [summary = " x={exchange.value:text}"] {
    ticket   u16 [ws = "amqp.method.arguments.ticket"]
    exchange ShortString [ws = "amqp.method.arguments.exchange"]
    bits struct {
        if_unused b1le [ws = "amqp.method.arguments.if_unused"]
        nowait    b1le [ws = "amqp.method.arguments.nowait"]
        reserved  b6le
    }
}

// exchange.bind and exchange.unbind (RabbitMQ).
struct ExchangeBind [summary = " dest={destination.value:text} src={source.value:text} rk={routing_key.value:text}"] {
    ticket      u16 [ws = "amqp.method.arguments.ticket"]
    destination ShortString [ws = "amqp.method.arguments.destination"]
    source      ShortString [ws = "amqp.method.arguments.source"]
    routing_key ShortString [ws = "amqp.method.arguments.routing_key"]
    bits struct {
        nowait   b1le [ws = "amqp.method.arguments.nowait"]
        reserved b7le
    }
    arguments FieldTable [ws = "amqp.method.arguments.arguments"]
}

// ---------------------------------------------------------------------
// Queue

struct QueueDeclare [summary = " q={queue.value:text}"] {
    ticket u16 [ws = "amqp.method.arguments.ticket"]
    queue  ShortString [ws = "amqp.method.arguments.queue"]
    bits struct {
        passive     b1le [ws = "amqp.method.arguments.passive"]
        durable     b1le [ws = "amqp.method.arguments.durable"]
        exclusive   b1le [ws = "amqp.method.arguments.exclusive"]
        auto_delete b1le [ws = "amqp.method.arguments.auto_delete"]
        nowait      b1le [ws = "amqp.method.arguments.nowait"]
        reserved    b3le
    }
    arguments FieldTable [ws = "amqp.method.arguments.arguments"]
}

struct QueueDeclareOk [summary = " q={queue.value:text} messages={message_count} consumers={consumer_count}"] {
    queue          ShortString [ws = "amqp.method.arguments.queue"]
    message_count  u32 [ws = "amqp.method.arguments.message_count"]
    consumer_count u32 [ws = "amqp.method.arguments.consumer_count"]
}

struct QueueBind [summary = " q={queue.value:text} x={exchange.value:text} bk={routing_key.value:text}"] {
    ticket      u16 [ws = "amqp.method.arguments.ticket"]
    queue       ShortString [ws = "amqp.method.arguments.queue"]
    exchange    ShortString [ws = "amqp.method.arguments.exchange"]
    routing_key ShortString [ws = "amqp.method.arguments.routing_key"]
    bits struct {
        nowait   b1le [ws = "amqp.method.arguments.nowait"]
        reserved b7le
    }
    arguments FieldTable [ws = "amqp.method.arguments.arguments"]
}

struct QueueUnbind [summary = " q={queue.value:text} x={exchange.value:text} bk={routing_key.value:text}"] {
    ticket      u16 [ws = "amqp.method.arguments.ticket"]
    queue       ShortString [ws = "amqp.method.arguments.queue"]
    exchange    ShortString [ws = "amqp.method.arguments.exchange"]
    routing_key ShortString [ws = "amqp.method.arguments.routing_key"]
    arguments   FieldTable [ws = "amqp.method.arguments.arguments"]
}

struct QueuePurge [summary = " q={queue.value:text}"] {
    ticket u16 [ws = "amqp.method.arguments.ticket"]
    queue  ShortString [ws = "amqp.method.arguments.queue"]
    bits struct {
        nowait   b1le [ws = "amqp.method.arguments.nowait"]
        reserved b7le
    }
}

struct QueueDelete [summary = " q={queue.value:text}"] {
    ticket u16 [ws = "amqp.method.arguments.ticket"]
    queue  ShortString [ws = "amqp.method.arguments.queue"]
    bits struct {
        if_unused b1le [ws = "amqp.method.arguments.if_unused"]
        if_empty  b1le [ws = "amqp.method.arguments.if_empty"]
        nowait    b1le [ws = "amqp.method.arguments.nowait"]
        reserved  b5le
    }
}

struct MessageCount [summary = " messages={message_count}"] {
    message_count u32 [ws = "amqp.method.arguments.message_count"]
}

// ---------------------------------------------------------------------
// Basic

struct BasicQos [summary = " prefetch_count={prefetch_count}"] {
    prefetch_size  u32 [ws = "amqp.method.arguments.prefetch_size"]
    prefetch_count u16 [ws = "amqp.method.arguments.prefetch_count"]
    bits struct {
        global   b1le [ws = "amqp.method.arguments.global"]
        reserved b7le
    }
}

struct BasicConsume [summary = " q={queue.value:text}"] {
    ticket       u16 [ws = "amqp.method.arguments.ticket"]
    queue        ShortString [ws = "amqp.method.arguments.queue"]
    consumer_tag ShortString [ws = "amqp.method.arguments.consumer_tag"]
    bits struct {
        no_local  b1le [ws = "amqp.method.arguments.no_local"]
        no_ack    b1le [ws = "amqp.method.arguments.no_ack"]
        exclusive b1le [ws = "amqp.method.arguments.exclusive"]
        nowait    b1le [ws = "amqp.method.arguments.nowait"]
        reserved  b4le
    }
    arguments FieldTable [ws = "amqp.method.arguments.filter"]
}

struct ConsumerTag [summary = " tag={consumer_tag.value:text}"] {
    consumer_tag ShortString [ws = "amqp.method.arguments.consumer_tag"]
}

struct BasicCancel [summary = " tag={consumer_tag.value:text}"] {
    consumer_tag ShortString [ws = "amqp.method.arguments.consumer_tag"]
    bits struct {
        nowait   b1le [ws = "amqp.method.arguments.nowait"]
        reserved b7le
    }
}

struct BasicPublish [summary = " x={exchange.value:text} rk={routing_key.value:text}"] {
    ticket      u16 [ws = "amqp.method.arguments.ticket"]
    exchange    ShortString [ws = "amqp.method.arguments.exchange"]
    routing_key ShortString [ws = "amqp.method.arguments.routing_key"]
    bits struct {
        mandatory b1le [ws = "amqp.method.arguments.mandatory"]
        immediate b1le [ws = "amqp.method.arguments.immediate"]
        reserved  b6le
    }
}

struct BasicReturn [summary = " reply={reply_code:label} x={exchange.value:text} rk={routing_key.value:text}"] {
    reply_code  ReplyCode   [ws = "amqp.method.arguments.reply_code"]
    reply_text  ShortString [ws = "amqp.method.arguments.reply_text"]
    exchange    ShortString [ws = "amqp.method.arguments.exchange"]
    routing_key ShortString [ws = "amqp.method.arguments.routing_key"]
}

struct BasicDeliver [summary = " x={exchange.value:text} rk={routing_key.value:text}"] {
    consumer_tag ShortString [ws = "amqp.method.arguments.consumer_tag"]
    delivery_tag u64 [ws = "amqp.method.arguments.delivery_tag"]
    bits struct {
        redelivered b1le [ws = "amqp.method.arguments.redelivered"]
        reserved    b7le
    }
    exchange    ShortString [ws = "amqp.method.arguments.exchange"]
    routing_key ShortString [ws = "amqp.method.arguments.routing_key"]
}

struct BasicGet [summary = " q={queue.value:text}"] {
    ticket u16 [ws = "amqp.method.arguments.ticket"]
    queue  ShortString [ws = "amqp.method.arguments.queue"]
    bits struct {
        no_ack   b1le [ws = "amqp.method.arguments.no_ack"]
        reserved b7le
    }
}

struct BasicGetOk [summary = " x={exchange.value:text} rk={routing_key.value:text}"] {
    delivery_tag u64 [ws = "amqp.method.arguments.delivery_tag"]
    bits struct {
        redelivered b1le [ws = "amqp.method.arguments.redelivered"]
        reserved    b7le
    }
    exchange      ShortString [ws = "amqp.method.arguments.exchange"]
    routing_key   ShortString [ws = "amqp.method.arguments.routing_key"]
    message_count u32 [ws = "amqp.method.arguments.message_count"]
}

struct BasicGetEmpty {
    cluster_id ShortString [ws = "amqp.method.arguments.cluster_id", doc = "Reserved"]
}

struct BasicAck [summary = " tag={delivery_tag}"] {
    delivery_tag u64 [ws = "amqp.method.arguments.delivery_tag"]
    bits struct {
        multiple b1le [ws = "amqp.method.arguments.multiple"]
        reserved b7le
    }
}

struct BasicReject [summary = " tag={delivery_tag}"] {
    delivery_tag u64 [ws = "amqp.method.arguments.delivery_tag"]
    bits struct {
        requeue  b1le [ws = "amqp.method.arguments.requeue"]
        reserved b7le
    }
}

struct BasicNack [summary = " tag={delivery_tag}"] {
    delivery_tag u64 [ws = "amqp.method.arguments.delivery_tag"]
    bits struct {
        multiple b1le [ws = "amqp.method.arguments.multiple"]
        requeue  b1le [ws = "amqp.method.arguments.requeue"]
        reserved b6le
    }
}

struct BasicRecover {
    bits struct {
        requeue  b1le [ws = "amqp.method.arguments.requeue"]
        reserved b7le
    }
}

struct ConfirmSelect {
    bits struct {
        nowait   b1le [ws = "amqp.method.arguments.nowait"]
        reserved b7le
    }
}

// ---------------------------------------------------------------------
// Content header: the class, the body size, and the properties whose flag
// is set, in flag order.

struct ContentHeader [summary = "Content-Header{content_type_text?}"] {
    class_id       ClassID [ws = "amqp.header.class"]
    weight         u16 = 0 [ws = "amqp.header.weight"]
    body_size      u64 [ws = "amqp.header.body-size"]
    property_flags PropertyFlags [ws = "amqp.header.property-flags", base = hex]
    content_type     ShortString [ws = "amqp.method.properties.content_type",     if = property_flags & PropertyFlags.content_type != 0]
    content_encoding ShortString [ws = "amqp.method.properties.content_encoding", if = property_flags & PropertyFlags.content_encoding != 0]
    headers          FieldTable  [ws = "amqp.method.properties.headers",          if = property_flags & PropertyFlags.headers != 0]
    delivery_mode    DeliveryMode [ws = "amqp.method.properties.delivery_mode",   if = property_flags & PropertyFlags.delivery_mode != 0]
    priority         u8          [ws = "amqp.method.properties.priority",         if = property_flags & PropertyFlags.priority != 0]
    correlation_id   ShortString [ws = "amqp.method.properties.correlation_id",   if = property_flags & PropertyFlags.correlation_id != 0]
    reply_to         ShortString [ws = "amqp.method.properties.reply_to",         if = property_flags & PropertyFlags.reply_to != 0]
    expiration       ShortString [ws = "amqp.method.properties.expiration",       if = property_flags & PropertyFlags.expiration != 0]
    message_id       ShortString [ws = "amqp.method.properties.message_id",       if = property_flags & PropertyFlags.message_id != 0]
    timestamp        u64         [ws = "amqp.method.properties.timestamp",        if = property_flags & PropertyFlags.timestamp != 0, time = unix]
    type             ShortString [ws = "amqp.method.properties.type",             if = property_flags & PropertyFlags.type != 0]
    user_id          ShortString [ws = "amqp.method.properties.user_id",          if = property_flags & PropertyFlags.user_id != 0]
    app_id           ShortString [ws = "amqp.method.properties.app_id",           if = property_flags & PropertyFlags.app_id != 0]
    cluster_id       ShortString [ws = "amqp.method.properties.cluster_id",       if = property_flags & PropertyFlags.cluster_id != 0]
    content_type_text ContentTypeText [if = property_flags & PropertyFlags.content_type != 0, at = offset(property_flags) + 2, hidden]
    assert property_flags & PropertyFlags.continuation == 0, "property flags continue in another word, which 0-9-1 does not define"
}

struct ContentTypeText [summary = " type={value:text}"] {
    length u8
    value  [length]utf8
}
