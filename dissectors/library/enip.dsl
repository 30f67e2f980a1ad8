// EtherNet/IP encapsulation (ODVA CIP Vol. 2) over TCP port 44818: the
// 24-byte encapsulation header, the command-specific data of the session
// and list commands, and the Common Packet Format (CPF) items of
// SendRRData and SendUnitData, whose data items carry CIP message router
// requests and responses (cip.dsl). Everything is little-endian except the
// socket addresses, which are in network byte order.
//
// Client and server messages differ only in pairing: a reply carries the
// sender context of its request, so requests and replies of the commands
// that have replies pair on it. SendUnitData (connected messaging) does not
// pair.

import "cip.dsl"

protocol enip {
    title       "EtherNet/IP"
    description "EtherNet/IP encapsulation (TCP 44818): sessions, list commands, CPF items and CIP explicit messages"
    transport   tcp
    ports       44818
    endian      little
    wireshark   "enip"
    request     ClientMessage
    response    ServerMessage
}

// No magic: after a gap, a position is trusted when two frames in a row
// decode there.
framing {
    size   u16le(2) + 24
    min    24
    max    65559
    resync 2
}

// Recognised on any port by a 24-byte encapsulation header with a known
// command, options 0, and for RegisterSession a 4-byte body.
heuristic {
    message (u16le(0) == 0x0004 || (u16le(0) >= 0x0063 && u16le(0) <= 0x0066) || u16le(0) == 0x006F ||
             u16le(0) == 0x0070 || u16le(0) == 0x0072) &&
            u32le(20) == 0 && (u16le(0) != 0x0065 || u16le(2) == 4)
}

enum Command : u16 {
    nop                = 0x0000 "NOP"
    list_services      = 0x0004 "ListServices"
    list_identity      = 0x0063 "ListIdentity"
    list_interfaces    = 0x0064 "ListInterfaces"
    register_session   = 0x0065 "RegisterSession"
    unregister_session = 0x0066 "UnRegisterSession"
    send_rr_data       = 0x006F "SendRRData"
    send_unit_data     = 0x0070 "SendUnitData"
    indicate_status    = 0x0072 "IndicateStatus"
    cancel             = 0x0073 "Cancel"
    start_dtls         = 0x00C8 "StartDTLS"
}

enum EncapStatus : u32 {
    success              = 0x0000 "Success"
    invalid_command      = 0x0001 "Invalid or unsupported command"
    no_memory            = 0x0002 "Insufficient memory"
    incorrect_data       = 0x0003 "Poorly formed or incorrect data"
    invalid_session      = 0x0064 "Invalid session handle"
    invalid_length       = 0x0065 "Invalid length"
    unsupported_revision = 0x0069 "Unsupported encapsulation protocol revision"
    not_allowed          = 0x006A "Encapsulated CIP service not allowed on this port"
}

struct ClientMessage [summary = "{command:label} (Req){data}"] {
    command  Command     [ws = "enip.command"]
    length   u16         [ws = "enip.length", doc = "Bytes of command-specific data after this 24-byte header"]
    session  u32         [ws = "enip.session", base = hex, doc = "Session handle, given by the target in RegisterSession"]
    status   EncapStatus [ws = "enip.status"]
    context  [8]byte     [ws = "enip.context", doc = "Sender context, echoed in the reply"]
    options  u32 = 0     [ws = "enip.options", doc = "0: a receiver discards an encapsulation with other options"]
    // LANGUAGE GAP: a pair key must be an integer and the context is 8
    // bytes, so a let reads it as one (and shows in the tree).
    let context_key = u64(12) [base = hex, doc = "The sender context as a number: the key that pairs a reply with its request"]
    data switch command {
        case list_identity, list_services, list_interfaces: ListRequest
        case register_session:                              RegisterSessionRequest
        case send_rr_data:                                  SendRRDataRequest
        case send_unit_data:                                SendUnitData
        default:                                            Unpaired
    } [size = length]
}

struct ServerMessage [summary = "{command:label} (Rsp){data}"] {
    command  Command     [ws = "enip.command"]
    length   u16         [ws = "enip.length", doc = "Bytes of command-specific data after this 24-byte header"]
    session  u32         [ws = "enip.session", base = hex]
    status   EncapStatus [ws = "enip.status"]
    context  [8]byte     [ws = "enip.context"]
    options  u32 = 0     [ws = "enip.options"]
    let context_key = u64(12) [base = hex, doc = "The sender context as a number: the key that pairs a reply with its request"]
    // A reply with an error status may have no data.
    data switch length == 0 && status != 0 ? 0 : command {
        case 0:                                             ErrorReply
        case Command.list_identity, Command.list_services, Command.list_interfaces:
            ListReply
        case Command.register_session: RegisterSessionReply
        case Command.send_rr_data:     SendRRDataReply
        case Command.send_unit_data:   SendUnitData
        default:                                            Unpaired
    } [size = length]
}

// ---------------------------------------------------------------------------
// Command-specific data

// Commands with no reply, or data this schema does not describe.
struct Unpaired {
    data []byte [ws = "enip.encap_data"]
}

struct ErrorReply [summary = ", status {status}"] {
    let status = parent.status [base = hex]
    pair response parent.context_key
}

// ListIdentity, ListServices and ListInterfaces requests have no data.
struct ListRequest {
    data []byte [ws = "enip.encap_data"]
    pair request parent.context_key
}

struct ListReply [summary = "{cpf}"] {
    cpf CPFList
    pair response parent.context_key
}

struct RegisterSessionRequest [summary = ", version {protocol_version}"] {
    protocol_version u16 [ws = "enip.rs.version"]
    option_flags     u16 [ws = "enip.rs.flags"]
    pair request parent.context_key
}

struct RegisterSessionReply [summary = ", session {session}"] {
    let session = parent.session [base = hex, doc = "The session handle the target gave"]
    protocol_version u16 [ws = "enip.rs.version"]
    option_flags     u16 [ws = "enip.rs.flags"]
    pair response parent.context_key
}

struct SendRRDataRequest [summary = "{cpf}"] {
    interface_handle u32       [ws = "enip.srrd.iface", doc = "0 for CIP"]
    timeout          u16       [ws = "enip.timeout", unit = "s"]
    cpf              CPFPacket [ws = "enip.cpf"]
    pair request parent.context_key
}

struct SendRRDataReply [summary = "{cpf}"] {
    interface_handle u32       [ws = "enip.srrd.iface"]
    timeout          u16       [ws = "enip.timeout", unit = "s"]
    cpf              CPFPacket [ws = "enip.cpf"]
    pair response parent.context_key
}

struct SendUnitData [summary = "{cpf}"] {
    interface_handle u32       [ws = "enip.sud.iface"]
    timeout          u16       [ws = "enip.timeout", unit = "s"]
    cpf              CPFPacket [ws = "enip.cpf"]
}

// ---------------------------------------------------------------------------
// Common Packet Format

enum ItemType : u16 {
    null_address      = 0x0000 "Null Address Item"
    cip_identity      = 0x000C "CIP Identity"
    cip_security      = 0x0086 "CIP Security Information"
    enip_capability   = 0x0087 "EtherNet/IP Capability"
    usage             = 0x0088 "EtherNet/IP Usage"
    connected_address = 0x00A1 "Connected Address Item"
    connected_data    = 0x00B1 "Connected Data Item"
    unconnected_data  = 0x00B2 "Unconnected Data Item"
    list_services     = 0x0100 "ListServices Response"
    sockaddr_ot       = 0x8000 "Socket Address Info O->T"
    sockaddr_to       = 0x8001 "Socket Address Info T->O"
    sequenced_address = 0x8002 "Sequenced Address Item"
    unconnected_dtls  = 0x8003 "Unconnected Message over UDP"
}

// The CPF of SendRRData and SendUnitData: an address item, a data item and
// optional items after them (socket addresses of a Forward Open).
struct CPFPacket [summary = "{data_item}"] {
    item_count   u16     [ws = "enip.cpf.itemcount", range = 2..65535]
    address_item CPFItem
    data_item    CPFItem
    more_items   [item_count - 2]CPFItem
}

// The CPF of a list reply: any number of items (usually one; none in a
// ListInterfaces reply).
struct CPFList [summary = "{items}"] {
    item_count u16 [ws = "enip.cpf.itemcount"]
    items switch item_count {
        case 0:  NullAddress
        default: CPFItems(item_count)
    }
}

struct CPFItems(count u16) [summary = "{first}"] {
    first CPFItem
    more  [count - 1]CPFItem
}

struct CPFItem [summary = "{data}"] {
    type_id ItemType [ws = "enip.cpf.typeid"]
    length  u16      [ws = "enip.cpf.length"]
    data switch type_id {
        case null_address:      NullAddress
        case connected_address: ConnectedAddress
        case sequenced_address: SequencedAddress
        case unconnected_data:  UnconnectedData
        case connected_data:    ConnectedData
        case sockaddr_ot, sockaddr_to: SocketAddress
        case cip_identity:      Identity
        case list_services:     ServiceInfo
        default:                ItemData
    } [size = length]
}

struct NullAddress {
}

struct ConnectedAddress {
    connection_id u32 [ws = "enip.cpf.cai.connid", base = hex]
}

struct SequencedAddress {
    connection_id u32 [ws = "enip.cpf.sai.connid", base = hex]
    sequence      u32 [ws = "enip.cpf.sai.seq"]
}

// An unconnected message: a CIP request or response.
struct UnconnectedData [summary = ", {cip}"] {
    cip switch u8(offset()) >> 7 {
        case 0: CIPRequest
        case 1: CIPResponse
    }
}

// A connected (class 3) message: its sequence count, then a CIP request
// or response.
struct ConnectedData [summary = ", #{sequence} {cip}"] {
    sequence u16 [doc = "Connection sequence count; a reply repeats its request's"]
    cip switch u8(offset()) >> 7 {
        case 0: CIPRequest
        case 1: CIPResponse
    }
}

struct ItemData [summary = "{data}"] {
    data []byte [ws = "enip.cpf.data"]
}

// An IPv4 address in network byte order, shown dotted.
struct IPv4Address [summary = "{a}.{b}.{c}.{d}"] {
    a u8
    b u8
    c u8
    d u8
}

// A sockaddr_in, in network byte order.
struct SocketAddress [summary = ", {sin_addr}:{sin_port}"] {
    sin_family u16be       [ws = "enip.sinfamily", doc = "2: AF_INET"]
    sin_port   u16be       [ws = "enip.sinport"]
    sin_addr   IPv4Address [ws = "enip.sinaddr"]
    sin_zero   [8]byte     [ws = "enip.sinzero"]
}

// The CIP Identity item of a ListIdentity reply.
struct Identity [summary = ", {product_name:text}, {sin_addr}"] {
    encap_version u16          [ws = "enip.encapver"]
    sin_family    u16be        [ws = "enip.sinfamily"]
    sin_port      u16be        [ws = "enip.sinport"]
    sin_addr      IPv4Address  [ws = "enip.sinaddr"]
    sin_zero      [8]byte      [ws = "enip.sinzero"]
    vendor_id     u16          [ws = "enip.lir.vendor"]
    device_type   u16          [ws = "enip.lir.devtype"]
    product_code  u16          [ws = "enip.lir.prodcode"]
    revision      Revision     [ws = "enip.lir.revision"]
    status        u16          [ws = "enip.lir.status", base = hex]
    serial_number u32          [ws = "enip.lir.serial", base = hex]
    name_length   u8           [ws = "enip.lir.namelen"]
    product_name  [name_length]ascii [ws = "enip.lir.name"]
    state         u8           [ws = "enip.lir.state"]
}

// A major and minor revision, which tshark shows as one big-endian u16.
struct Revision [summary = "{major}.{minor}"] {
    major u8
    minor u8
}

flags ServiceCapability : u16 {
    cip_tcp      = 0x0020 "CIP encapsulation via TCP"
    cip_udp_io   = 0x0100 "CIP class 0 or 1 via UDP"
}

// The Communications service item of a ListServices reply.
struct ServiceInfo [summary = ", {name:text}"] {
    version      u16               [ws = "enip.encapver"]
    capabilities ServiceCapability [ws = "enip.lsr.capaflags"]
    name         [16]ascii         [ws = "enip.lsr.servicename", doc = "Name of the service, padded with zeros"]
}
