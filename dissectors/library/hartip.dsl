// HART-IP (FieldComm Group HCF_SPEC-85, "HART-IP Protocol"): HART
// commands over UDP and TCP port 5094. The header is the same over both;
// over TCP its byte count frames the messages. Pass-through messages
// carry a HART token-passing PDU (HCF_SPEC-81, "Token-Passing Data Link
// Layer"): delimiter, address, command, byte count, data and checksum.

protocol hartip {
    title       "HART-IP"
    description "HART-IP over UDP and TCP: header, session initiate/close, keep-alive, pass-through HART PDUs (commands 0-3 decoded)"
    transport   tcp, udp
    ports       5094
    endian      big
    wireshark   "hart_ip"
    message     Message
}

framing {
    size u16(6)
    min  8
    max  65535
}

// Version 1 or 2, a known message type and id, and a byte count that
// covers at least the header (the framing checks it against the frame).
heuristic {
    message (u8(0) == 1 || u8(0) == 2) && (u8(1) <= 3 || u8(1) == 15) && u8(2) <= 4 && u16(6) >= 8
}

enum MessageType : u8 {
    request  = 0  "Request"
    response = 1  "Response"
    publish  = 2  "Publish"
    error    = 3  "Error"
    nak      = 15 "Error"
}

enum MessageID : u8 {
    session_initiate = 0 "Session Initiate"
    session_close    = 1 "Session Close"
    keep_alive       = 2 "Keep Alive"
    pass_through     = 3 "Pass Through"
    audit_log        = 4 "Read Audit Log"
}

enum HostType : u8 {
    secondary = 0 "Secondary Host"
    primary   = 1 "Primary Host"
}

enum SessionError : u8 {
    session_closed      = 0 "Session closed"
    primary_unavailable = 1 "Primary session unavailable"
    service_unavailable = 2 "Service unavailable"
}

struct Message [summary = "{message_id:label} {message_type:label}, Sequence Number {sequence}{body?}"] {
    version      u8          [ws = "hart_ip.version", range = 1..2]
    message_type MessageType [ws = "hart_ip.message_type"]
    message_id   MessageID   [ws = "hart_ip.message_id"]
    status       u8          [ws = "hart_ip.status", doc = "In a response: 0 success, or an error or warning code"]
    sequence     u16         [ws = "hart_ip.transaction_id", doc = "Sequence number: pairs a response with its request"]
    byte_count   u16         [ws = "hart_ip.msg_length", range = 8..65535, doc = "Bytes in the message, header included"]
    assert byte_count == 8 + remaining(), "the byte count does not match the message's length"
    body switch message_type == MessageType.error || message_type == MessageType.nak ? 0x100 : message_id {
        case 0x100:                      ErrorBody
        case MessageID.session_initiate: SessionInitiate
        case MessageID.pass_through:     PassThrough
        default:               Data
    } [if = remaining() > 0]
    pair request  sequence [if = message_type == MessageType.request]
    pair response sequence [if = message_type == MessageType.response || message_type == MessageType.error || message_type == MessageType.nak]
}

struct Data {
    data []byte [ws = "hart_ip.data"]
}

struct ErrorBody [summary = ", {error:label}"] {
    error SessionError [ws = "hart_ip.error.error_code"]
}

struct SessionInitiate [summary = ", {host_type:label}, timeout {timer}"] {
    host_type HostType [ws = "hart_ip.session_init.master_type"]
    timer     u32      [ws = "hart_ip.session_init.inactivity_close_timer", unit = "ms", doc = "Inactivity close timer"]
}

// The frame type in the delimiter's low 3 bits.
enum FrameType : b3 {
    back = 1 "BACK"
    stx  = 2 "STX"
    ack  = 6 "ACK"
}

// The common HART commands (HCF_SPEC-127, Universal Command Specification).
enum Command : u8 {
    read_unique_identifier = 0  "Read Unique Identifier"
    read_primary_variable  = 1  "Read Primary Variable"
    read_loop_current      = 2  "Read Loop Current And Percent Of Range"
    read_dynamic_variables = 3  "Read Dynamic Variables And Loop Current"
    write_polling_address  = 6  "Write Polling Address"
    read_loop_config       = 7  "Read Loop Configuration"
    read_variable_classes  = 8  "Read Dynamic Variable Classifications"
    read_device_variables  = 9  "Read Device Variables with Status"
    read_message           = 12 "Read Message"
    read_tag_descriptor    = 13 "Read Tag, Descriptor, Date"
    read_pv_transducer     = 14 "Read Primary Variable Transducer Information"
    read_device_info       = 15 "Read Device Information"
    read_final_assembly    = 16 "Read Final Assembly Number"
    write_message          = 17 "Write Message"
    write_tag_descriptor   = 18 "Write Tag, Descriptor, Date"
    read_long_tag          = 20 "Read Long Tag"
    read_unique_id_long_tag = 21 "Read Unique Identifier Associated With Long Tag"
    write_long_tag         = 22 "Write Long Tag"
    reset_config_changed   = 38 "Reset Configuration Changed Flag"
    read_additional_status = 48 "Read Additional Device Status"
}

// A pass-through: a HART PDU, optionally after preambles (0xFF).
struct PassThrough [summary = ", {pdu}"] {
    preambles [while remaining() > 0 && u8(offset()) == 0xFF]u8 [doc = "0xFF bytes before the delimiter, if any"]
    pdu       PDU [size = remaining()]
}

struct PDU [summary = "{frame_type:label}: {command:label}{body?}"] {
    delimiter  u8 [ws = "hart_ip.pt.delimiter", base = hex]
    let is_long      = delimiter >> 7 [doc = "1: a 5-byte unique address; 0: a 1-byte polling address"]
    let expansion    = (delimiter >> 5) & 3 [doc = "Expansion bytes after the address"]
    let frame_type FrameType = delimiter & 7
    assert frame_type == FrameType.stx || frame_type == FrameType.ack || frame_type == FrameType.back, "unknown HART frame type (delimiter bits 0-2)"
    let primary_host = u8(offset()) >> 7 [doc = "1: from or to the primary host"]
    let burst = (u8(offset()) >> 6) & 1 [doc = "1: the device is in burst mode"]
    address      u8      [base = hex, if = is_long == 0, doc = "Host bit, burst bit and polling address"]
    let short_addr = address & 0x3F [ws = "hart_ip.pt.short_addr", if = is_long == 0, doc = "Polling address"]
    long_address [5]byte [ws = "hart_ip.pt.long_address", if = is_long == 1, doc = "Host bit, burst bit, then the 38-bit unique id"]
    expansion_bytes [expansion]byte [if = expansion > 0]
    command    Command [ws = "hart_ip.pt.command"]
    length     u8      [ws = "hart_ip.pt.length", doc = "Bytes of data, with the response code and device status in a reply"]
    body switch frame_type {
        case stx: Request(command)
        default:  Reply(command, length)
    } [size = length]
    checksum   u8 [ws = "hart_ip.pt.checksum", base = hex, checksum = xor8(0, offset(checksum))]
}

struct Request(command Command) {
    payload []byte [ws = "hart_ip.pt.payload", if = remaining() > 0]
}

struct Reply(command Command, length u8) [summary = ", response code {response_code?}{data?}"] {
    response_code u8 [ws = "hart_ip.pt.response_code", doc = "0: success; 1-127 an error or warning of the command"]
    device_status u8 [ws = "hart_ip.pt.device_status", base = hex, doc = "Field device status bits"]
    data switch command {
        case read_unique_identifier: Identity
        case read_primary_variable:  PrimaryVariable
        case read_loop_current:      LoopCurrent
        case read_dynamic_variables: DynamicVariables
        default:                     Payload
    } [if = remaining() > 0]
}

struct Payload {
    payload []byte [ws = "hart_ip.pt.payload"]
}

// Command 0 reply (HART 7).
struct Identity [summary = ", device type {device_type}"] {
    expansion_code   u8      [ws = "hart_ip.pt.rsp.expansion_code", doc = "254"]
    device_type      u16     [ws = "hart_ip.pt.rsp.expanded_device_type", base = hex]
    req_preambles    u8      [ws = "hart_ip.pt.rsp.req_min_preambles"]
    universal_rev    u8      [ws = "hart_ip.pt.rsp.hart_univ_rev"]
    device_rev       u8      [ws = "hart_ip.pt.rsp.device_rev"]
    software_rev     u8      [ws = "hart_ip.pt.rsp.software_rev"]
    hardware_rev     u8      [ws = "hart_ip.pt.rsp.hardrev_and_physical_signal", base = hex, doc = "Hardware revision (5 bits) and physical signaling code (3 bits)"]
    flags            u8      [ws = "hart_ip.pt.rsp.flags", base = hex]
    device_id        [3]byte [ws = "hart_ip.pt.rsp.device_id"]
    rsp_preambles    u8      [ws = "hart_ip.pt.rsp.rsp_min_preambles", if = remaining() > 0]
    device_variables u8      [ws = "hart_ip.pt.rsp.device_variables", if = remaining() > 0]
    config_changes   u16     [ws = "hart_ip.pt.rsp.configure_change", if = remaining() >= 2]
    ext_status       u8      [ws = "hart_ip.pt.rsp.ext_device_status", base = hex, if = remaining() > 0]
    manufacturer     u16     [ws = "hart_ip.pt.rsp.manufacturer_Id", base = hex, if = remaining() >= 2]
    private_label    u16     [ws = "hart_ip.pt.rsp.private_label", base = hex, if = remaining() >= 2]
    device_profile   u8      [ws = "hart_ip.pt.rsp.device_profile", if = remaining() > 0]
}

// Command 1 reply.
struct PrimaryVariable [summary = ", PV {pv}"] {
    pv_units u8  [ws = "hart_ip.pt.rsp.pv_units", doc = "Engineering unit code (HCF_SPEC-183)"]
    pv       f32 [ws = "hart_ip.pt.rsp.pv"]
}

// Command 2 reply.
struct LoopCurrent [summary = ", {loop_current}, {percent_range}"] {
    loop_current  f32 [ws = "hart_ip.pt.rsp.pv_loop_current", unit = "mA"]
    percent_range f32 [ws = "hart_ip.pt.rsp.pv_percent_range", unit = "%"]
}

// Command 3 reply: the loop current, then up to four variables.
struct DynamicVariables [summary = ", PV {pv}"] {
    loop_current f32 [ws = "hart_ip.pt.rsp.pv_loop_current", unit = "mA"]
    pv_units u8  [ws = "hart_ip.pt.rsp.pv_units"]
    pv       f32 [ws = "hart_ip.pt.rsp.pv"]
    sv_units u8  [ws = "hart_ip.pt.rsp.sv_units", if = remaining() >= 5]
    sv       f32 [ws = "hart_ip.pt.rsp.sv", if = remaining() >= 4]
    tv_units u8  [ws = "hart_ip.pt.rsp.tv_units", if = remaining() >= 5]
    tv       f32 [ws = "hart_ip.pt.rsp.tv", if = remaining() >= 4]
    qv_units u8  [ws = "hart_ip.pt.rsp.qv_units", if = remaining() >= 5]
    qv       f32 [ws = "hart_ip.pt.rsp.qv", if = remaining() >= 4]
}
