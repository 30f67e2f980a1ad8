// CIP (Common Industrial Protocol, ODVA CIP Vol. 1): the message router
// request and response, EPATH segments, and the Connection Manager
// services that explicit messaging uses (Forward Open, Forward Close,
// Unconnected Send). A library of types: enip.dsl imports it. Byte order is
// the importing protocol's (little-endian for EtherNet/IP).
//
// A message is a request when the top bit of its service code is 0 and a
// response when it is 1: the users of these types switch on that bit,
//
//     cip switch u8(offset()) >> 7 {
//         case 0: CIPRequest
//         case 1: CIPResponse
//     }

enum CIPService : b7 {
    get_attributes_all   = 0x01 "Get_Attributes_All"
    set_attributes_all   = 0x02 "Set_Attributes_All"
    get_attribute_list   = 0x03 "Get_Attribute_List"
    set_attribute_list   = 0x04 "Set_Attribute_List"
    reset                = 0x05 "Reset"
    start                = 0x06 "Start"
    stop                 = 0x07 "Stop"
    create               = 0x08 "Create"
    delete               = 0x09 "Delete"
    multiple_service     = 0x0A "Multiple_Service_Packet"
    apply_attributes     = 0x0D "Apply_Attributes"
    get_attribute_single = 0x0E "Get_Attribute_Single"
    set_attribute_single = 0x10 "Set_Attribute_Single"
    find_next_object     = 0x11 "Find_Next_Object_Instance"
    restore              = 0x15 "Restore"
    save                 = 0x16 "Save"
    nop                  = 0x17 "No_Operation"
    get_member           = 0x18 "Get_Member"
    set_member           = 0x19 "Set_Member"
    insert_member        = 0x1A "Insert_Member"
    remove_member        = 0x1B "Remove_Member"
    group_sync           = 0x1C "GroupSync"
    read_tag             = 0x4C "Read Tag (Logix)"
    write_tag            = 0x4D "Write Tag (Logix)"
    forward_close        = 0x4E "Forward Close / Read Modify Write Tag"
    unconnected_send     = 0x52 "Unconnected Send / Read Tag Fragmented"
    write_tag_fragmented = 0x53 "Write Tag Fragmented (Logix)"
    forward_open         = 0x54 "Forward Open"
    get_connection_data  = 0x56 "Get Connection Data"
    search_connection    = 0x57 "Search Connection Data"
    get_connection_owner = 0x5A "Get Connection Owner"
    large_forward_open   = 0x5B "Large Forward Open"
}

enum GeneralStatus : u8 {
    success                  = 0x00 "Success"
    connection_failure       = 0x01 "Connection failure"
    resource_unavailable     = 0x02 "Resource unavailable"
    invalid_parameter_value  = 0x03 "Invalid parameter value"
    path_segment_error       = 0x04 "Path segment error"
    path_destination_unknown = 0x05 "Path destination unknown"
    partial_transfer         = 0x06 "Partial transfer"
    connection_lost          = 0x07 "Connection lost"
    service_not_supported    = 0x08 "Service not supported"
    invalid_attribute_value  = 0x09 "Invalid attribute value"
    attribute_list_error     = 0x0A "Attribute list error"
    already_in_mode          = 0x0B "Already in requested mode/state"
    object_state_conflict    = 0x0C "Object state conflict"
    object_already_exists    = 0x0D "Object already exists"
    attribute_not_settable   = 0x0E "Attribute not settable"
    privilege_violation      = 0x0F "Privilege violation"
    device_state_conflict    = 0x10 "Device state conflict"
    reply_too_large          = 0x11 "Reply data too large"
    fragmentation            = 0x12 "Fragmentation of a primitive value"
    not_enough_data          = 0x13 "Not enough data"
    attribute_not_supported  = 0x14 "Attribute not supported"
    too_much_data            = 0x15 "Too much data"
    object_does_not_exist    = 0x16 "Object does not exist"
    no_fragmentation         = 0x17 "Service fragmentation sequence not in progress"
    no_stored_data           = 0x18 "No stored attribute data"
    store_failure            = 0x19 "Store operation failure"
    request_too_large        = 0x1A "Routing failure, request packet too large"
    response_too_large       = 0x1B "Routing failure, response packet too large"
    missing_list_data        = 0x1C "Missing attribute list entry data"
    invalid_list             = 0x1D "Invalid attribute value list"
    embedded_service_error   = 0x1E "Embedded service error"
    vendor_specific          = 0x1F "Vendor specific error"
    invalid_parameter        = 0x20 "Invalid parameter"
    write_once               = 0x21 "Write-once value or medium already written"
    invalid_reply            = 0x22 "Invalid reply received"
    buffer_overflow          = 0x23 "Buffer overflow"
    message_format_error     = 0x24 "Message format error"
    key_failure              = 0x25 "Key failure in path"
    path_size_invalid        = 0x26 "Path size invalid"
    unexpected_attribute     = 0x27 "Unexpected attribute in list"
    invalid_member           = 0x28 "Invalid member ID"
    member_not_settable      = 0x29 "Member not settable"
    group2_failure           = 0x2A "Group 2 only server general failure"
    modbus_error             = 0x2B "Unknown Modbus error"
    attribute_not_gettable   = 0x2C "Attribute not gettable"
}

struct CIPRequest [summary = "{service:label}{data}"] {
    response  b1 = 0     [ws = "cip.rr", doc = "0: request"]
    service   CIPService [ws = "cip.sc"]
    path_size u8         [ws = "cip.request_path_size", doc = "Request path size in 16-bit words"]
    path      EPath      [size = path_size * 2, ws = "cip.epath"]
    // Services of the Connection Manager (class 6) and of the message
    // router (class 2), chosen by the class of an 8-bit class segment that
    // starts the path.
    data switch path_size > 0 && u8(offset(path)) == 0x20 && (u8(offset(path) + 1) == 2 || u8(offset(path) + 1) == 6) ? u8(offset(path) + 1) * 256 + service : service {
        case 0x0654:                 ForwardOpenRequest(0)
        case 0x065B:                 ForwardOpenRequest(1)
        case 0x064E:                 ForwardCloseRequest
        case 0x0652:                 UnconnectedSendRequest
        case 0x020A:                 MultipleServiceRequest
        case 0x03, 0x04, 0x0203, 0x0603: AttributeListRequest
        default:                     CIPData
    }
}

struct CIPResponse [summary = "{service:label}: {general_status:label}{data}"] {
    response         b1 = 1                   [ws = "cip.rr", doc = "1: response"]
    service          CIPService               [ws = "cip.sc"]
    reserved         u8                       [ws = "cip.reserved"]
    general_status   GeneralStatus            [ws = "cip.genstat"]
    addl_status_size u8                       [ws = "cip.addstat_size", doc = "Additional status size in 16-bit words"]
    addl_status      [addl_status_size]u16    [ws = "cip.addstat", base = hex]
    // A reply has no path: the Connection Manager replies are told by their
    // service codes (Forward Close's 0x4E only when the data is long enough,
    // as Logix's Read Modify Write Tag shares it).
    data switch general_status == 0 ? service : (service == 0x54 || service == 0x5B || service == 0x4E || service == 0x52) && remaining() >= 10 ? 0x100 : 0 {
        case 0x54:  ForwardOpenReply
        case 0x5B:  ForwardOpenReply
        case 0x4E:  ForwardCloseOrData
        case 0x0A:  MultipleServiceReply
        case 0x03:  AttributeListReply
        case 0x100: ConnectionFailure
        default:    CIPData
    }
}

// Request or response data this schema does not describe.
struct CIPData {
    data []byte [ws = "cip.data"]
}

// ---------------------------------------------------------------------------
// EPATH: a padded path of segments (CIP Vol. 1 appendix C)

struct EPath [summary = "{segments}"] {
    segments [while remaining() > 0]switch u8(offset()) >> 5 {
        case 0:  PortSegment
        case 1:  LogicalSegment
        case 2:  NetworkSegment
        case 3:  SymbolicSegment
        case 4:  DataSegment
        default: OtherSegment
    }
}

enum SegmentType : b3 {
    port              = 0 "Port Segment"
    logical           = 1 "Logical Segment"
    network           = 2 "Network Segment"
    symbolic          = 3 "Symbolic Segment"
    data              = 4 "Data Segment"
    constructed_type  = 5 "Data Type (constructed)"
    elementary_type   = 6 "Data Type (elementary)"
}

// A port segment routes through a port to a link address: a node number,
// or an IP address as text when the extended link address bit is set.
struct PortSegment [summary = "Port {port}, address {link_address}"] {
    segment u8 [at = offset(), hidden, base = hex, ws = "cip.path_segment", doc = "The segment type byte, as Wireshark shows each segment"]
    type          SegmentType [ws = "cip.path_segment.type"]
    extended_link b1          [ws = "cip.ex_linkaddress"]
    port          b4          [ws = "cip.port", doc = "15: the port number follows in 16 bits"]
    link_size     u8          [if = extended_link, ws = "cip.linkaddress_size"]
    port_ext      u16         [if = port == 15, doc = "Extended port identifier"]
    link_address  [extended_link ? link_size : 1]byte [ws = "cip.linkaddress.byte"]
    pad           u8          [if = extended_link && link_size % 2 == 1, ws = "cip.pad"]
}

enum LogicalType : b3 {
    class_id         = 0 "Class"
    instance_id      = 1 "Instance"
    member_id        = 2 "Member"
    connection_point = 3 "Connection Point"
    attribute_id     = 4 "Attribute"
    special          = 5 "Special"
    service_id       = 6 "Service ID"
    extended         = 7 "Extended Logical"
}

enum LogicalFormat : b2 {
    bits8    = 0 "8-bit logical address"
    bits16   = 1 "16-bit logical address"
    bits32   = 2 "32-bit logical address"
    reserved = 3 "Reserved"
}

// A logical segment: a class, instance, member, connection point or
// attribute number of 8, 16 (after a pad byte) or 32 bits; or an
// electronic key (special, format 0).
struct LogicalSegment [summary = "{logical_type} {value}"] {
    segment u8 [at = offset(), hidden, base = hex, ws = "cip.path_segment", doc = "The segment type byte, as Wireshark shows each segment"]
    type         SegmentType   [ws = "cip.path_segment.type"]
    logical_type LogicalType   [ws = "cip.logical_segment.type"]
    format       LogicalFormat [ws = "cip.logical_segment.format"]
    value switch logical_type == 5 ? 4 : format {
        case 0:  u8
        case 1:  Padded16
        case 2:  Padded32
        case 4:  ElectronicKey
        default: []byte
    }
}

struct Padded16 [summary = "{value}"] {
    pad   u8  [ws = "cip.pad"]
    value u16
}

struct Padded32 [summary = "{value}"] {
    pad   u8  [ws = "cip.pad"]
    value u32
}

struct ElectronicKey [summary = "vendor {vendor}, device type {device_type}, product {product_code}, rev {major_revision}.{minor_revision}"] {
    key_format     u8 = 4 [ws = "cip.ekey.format"]
    vendor         u16    [ws = "cip.ekey.vendor"]
    device_type    u16    [ws = "cip.ekey.devtype"]
    product_code   u16    [ws = "cip.ekey.product_code"]
    compatibility  b1     [ws = "cip.ekey.comp_bit"]
    major_revision b7     [ws = "cip.ekey.major_rev"]
    minor_revision u8     [ws = "cip.ekey.minor_rev"]
}

// A network segment: connection scheduling, fixed tag, production inhibit
// time (one byte), or an extended or safety segment (a size in words).
struct NetworkSegment [summary = "Network segment {subtype}"] {
    segment u8 [at = offset(), hidden, base = hex, ws = "cip.path_segment", doc = "The segment type byte, as Wireshark shows each segment"]
    type    SegmentType [ws = "cip.path_segment.type"]
    subtype b5          [ws = "cip.network_segment.type", base = hex]
    value   u8          [if = subtype < 0x10]
    size    u8          [if = subtype >= 0x10, ws = "cip.network_segment.length", doc = "Size in 16-bit words"]
    data    [size * 2]byte [if = subtype >= 0x10]
}

struct SymbolicSegment [summary = "Symbol {symbol}"] {
    segment u8 [at = offset(), hidden, base = hex, ws = "cip.path_segment", doc = "The segment type byte, as Wireshark shows each segment"]
    type   SegmentType [ws = "cip.path_segment.type"]
    size   b5          [ws = "cip.symbol.size", doc = "0: extended format, not described"]
    symbol [size]ascii [ws = "cip.ascii_symbol"]
    pad    u8          [if = size % 2 == 0, ws = "cip.pad"]
}

// A data segment: simple data (subtype 0) in words, or an ANSI extended
// symbol (subtype 0x11), a tag name padded to an even length.
struct DataSegment [summary = "{data}"] {
    segment u8 [at = offset(), hidden, base = hex, ws = "cip.path_segment", doc = "The segment type byte, as Wireshark shows each segment"]
    type    SegmentType [ws = "cip.path_segment.type"]
    subtype b5          [ws = "cip.data_segment.type", base = hex]
    data switch subtype {
        case 0x11: ANSISymbol
        case 0x00: SimpleData
        default:   []byte
    }
}

struct ANSISymbol [summary = "Symbol {symbol}"] {
    size   u8          [ws = "cip.symbol.size"]
    symbol [size]ascii [ws = "cip.symbol"]
    pad    u8          [if = size % 2 == 1, ws = "cip.pad"]
}

struct SimpleData [summary = "Data {data}"] {
    size u8             [ws = "cip.data_segment.size", doc = "Size in 16-bit words"]
    data [size * 2]byte [ws = "cip.data_segment.data"]
}

// A data type segment or a reserved type: the rest of the path as bytes.
struct OtherSegment [summary = "{type}"] {
    segment u8 [at = offset(), hidden, base = hex, ws = "cip.path_segment", doc = "The segment type byte, as Wireshark shows each segment"]
    type SegmentType [ws = "cip.path_segment.type"]
    low  b5
    rest []byte
}

// ---------------------------------------------------------------------------
// Message router and Connection Manager services

struct AttributeListRequest [summary = ", attributes {attributes}"] {
    count      u16          [ws = "cip.getlist.attr_count"]
    attributes [count]u16   [ws = "cip.attr_num"]
    data       []byte       [ws = "cip.data", doc = "Set_Attribute_List: the values"]
}

// Get_Attribute_List reply: the count, then for each attribute its number,
// status and value, whose size depends on the class (kept as bytes).
struct AttributeListReply [summary = ", {count} attributes"] {
    count u16    [ws = "cip.getlist.attr_count"]
    data  []byte [ws = "cip.data"]
}

// Multiple_Service_Packet: a count and the offsets of the embedded
// requests, from the start of the count.
// LANGUAGE GAP: element i of the embedded services spans offsets[i] to
// offsets[i+1]; an array element cannot be sized by another array's
// elements (no indexing), so the services are shown as bytes.
struct MultipleServiceRequest [summary = ", {count} services"] {
    count    u16        [ws = "cip.msp.num_services"]
    offsets  [count]u16 [ws = "cip.msp.offset"]
    services []byte
}

struct MultipleServiceReply [summary = ", {count} replies"] {
    count   u16        [ws = "cip.msp.num_services"]
    offsets [count]u16 [ws = "cip.msp.offset"]
    replies []byte
}

enum ConnectionType : b2le {
    null           = 0 "Null"
    multicast      = 1 "Multicast"
    point_to_point = 2 "Point to Point"
    reserved       = 3 "Reserved"
}

enum ConnectionPriority : b2le {
    low       = 0 "Low"
    high      = 1 "High"
    scheduled = 2 "Scheduled"
    urgent    = 3 "Urgent"
}

// Network connection parameters of a Forward Open: a 16-bit word,
// numbered from the least significant bit.
struct NetworkParams [summary = "{type}, {priority}, {size} bytes"] {
    size      b9le [doc = "Connection size in bytes"]
    fixed_var b1le [doc = "0 fixed, 1 variable size"]
    priority  ConnectionPriority
    reserved  b1le
    type      ConnectionType
    owner     b1le [doc = "Redundant owner"]
}

// The 32-bit network connection parameters of a Large Forward Open.
struct LargeNetworkParams [summary = "{type}, {priority}, {size} bytes"] {
    size      b16le [doc = "Connection size in bytes"]
    reserved  b9le
    fixed_var b1le  [doc = "0 fixed, 1 variable size"]
    priority  ConnectionPriority
    reserved2 b1le
    type      ConnectionType
    owner     b1le  [doc = "Redundant owner"]
}

struct ForwardOpenRequest(large bool) [summary = ", O->T {ot_connection_id}, T->O {to_connection_id}, serial {connection_serial}"] {
    priority_tick      u8  [doc = "Priority and time tick"]
    timeout_ticks      u8
    ot_connection_id   u32 [base = hex, doc = "Originator to target connection id (chosen by the target)"]
    to_connection_id   u32 [base = hex, doc = "Target to originator connection id"]
    connection_serial  u16 [base = hex]
    vendor_id          u16
    originator_serial  u32 [base = hex]
    timeout_multiplier u8
    reserved           [3]byte
    ot_rpi             u32 [unit = "us", doc = "Requested packet interval, originator to target"]
    ot_params          NetworkParams      [if = !large]
    ot_params_large    LargeNetworkParams [if = large]
    to_rpi             u32 [unit = "us", doc = "Requested packet interval, target to originator"]
    to_params          NetworkParams      [if = !large]
    to_params_large    LargeNetworkParams [if = large]
    transport_trigger  u8  [base = hex, doc = "Direction, trigger and transport class"]
    path_size          u8  [doc = "Connection path size in 16-bit words"]
    connection_path    EPath [size = path_size * 2]
}

struct ForwardOpenReply [summary = ", O->T {ot_connection_id}, T->O {to_connection_id}"] {
    ot_connection_id  u32 [base = hex]
    to_connection_id  u32 [base = hex]
    connection_serial u16 [base = hex]
    vendor_id         u16
    originator_serial u32 [base = hex]
    ot_api            u32 [unit = "us", doc = "Actual packet interval"]
    to_api            u32 [unit = "us"]
    app_reply_size    u8  [doc = "In 16-bit words"]
    reserved          u8
    app_reply         [app_reply_size * 2]byte
}

struct ForwardCloseRequest [summary = ", serial {connection_serial}"] {
    priority_tick     u8
    timeout_ticks     u8
    connection_serial u16 [base = hex]
    vendor_id         u16
    originator_serial u32 [base = hex]
    path_size         u8
    reserved          u8
    connection_path   EPath [size = path_size * 2]
}

// A successful reply with service 0x4E: a Forward Close reply when it has
// the 10 bytes of one, else a Read Modify Write Tag reply (no data).
struct ForwardCloseOrData {
    close ForwardCloseReply [if = remaining() >= 10]
    data  []byte
}

struct ForwardCloseReply [summary = ", serial {connection_serial}"] {
    connection_serial u16 [base = hex]
    vendor_id         u16
    originator_serial u32 [base = hex]
    app_reply_size    u8
    reserved          u8
    app_reply         [app_reply_size * 2]byte
}

// The unsuccessful reply of Forward Open, Large Forward Open, Forward Close
// and Unconnected Send.
struct ConnectionFailure {
    connection_serial   u16 [base = hex]
    vendor_id           u16
    originator_serial   u32 [base = hex]
    remaining_path_size u8
    reserved            u8
    rest                []byte
}

// Unconnected Send: a request for another node, and the route to it.
struct UnconnectedSendRequest [summary = " -> {message}"] {
    priority_tick   u8
    timeout_ticks   u8
    message_size    u16
    message switch u8(offset()) >> 7 {
        case 0: CIPRequest
        case 1: CIPResponse
    } [size = message_size]
    pad             u8         [if = message_size % 2 == 1]
    route_path_size u8         [doc = "In 16-bit words"]
    reserved        u8
    route_path      EPath      [size = route_path_size * 2]
}
