// OpenFlow 1.0 (wire version 1) and 1.3 (wire version 4), as in the ONF
// "OpenFlow Switch Specification" 1.0.0 and 1.3.5: the common header,
// HELLO, ERROR, ECHO, FEATURES, SET/GET_CONFIG, PACKET_IN, PACKET_OUT,
// FLOW_MOD, STATS (1.0) and MULTIPART (1.3), BARRIER, ROLE.

protocol openflow {
    title       "OpenFlow"
    description "OpenFlow 1.0 and 1.3: header, hello, error, echo, features, config, packet-in/out, flow-mod, stats/multipart, barrier, role"
    transport   tcp
    ports       6653, 6633
    endian      big
    wireshark   "openflow"
    message     Message
}

framing {
    size u16(2)
    min  8
    max  65535
}

// A connection starts with HELLO from both sides: version 1.0 or 1.3, type
// 0, and a length that holds at most a few hello elements.
heuristic {
    message (u8(0) == 1 || u8(0) == 4) && u8(1) == 0 && u16(2) >= 8 && u16(2) <= 256
}

// OpenFlow 1.0 message types.
enum Type10 : u8 {
    hello                    = 0  "OFPT_HELLO"
    error                    = 1  "OFPT_ERROR"
    echo_request             = 2  "OFPT_ECHO_REQUEST"
    echo_reply               = 3  "OFPT_ECHO_REPLY"
    vendor                   = 4  "OFPT_VENDOR"
    features_request         = 5  "OFPT_FEATURES_REQUEST"
    features_reply           = 6  "OFPT_FEATURES_REPLY"
    get_config_request       = 7  "OFPT_GET_CONFIG_REQUEST"
    get_config_reply         = 8  "OFPT_GET_CONFIG_REPLY"
    set_config               = 9  "OFPT_SET_CONFIG"
    packet_in                = 10 "OFPT_PACKET_IN"
    flow_removed             = 11 "OFPT_FLOW_REMOVED"
    port_status              = 12 "OFPT_PORT_STATUS"
    packet_out               = 13 "OFPT_PACKET_OUT"
    flow_mod                 = 14 "OFPT_FLOW_MOD"
    port_mod                 = 15 "OFPT_PORT_MOD"
    stats_request            = 16 "OFPT_STATS_REQUEST"
    stats_reply              = 17 "OFPT_STATS_REPLY"
    barrier_request          = 18 "OFPT_BARRIER_REQUEST"
    barrier_reply            = 19 "OFPT_BARRIER_REPLY"
    queue_get_config_request = 20 "OFPT_QUEUE_GET_CONFIG_REQUEST"
    queue_get_config_reply   = 21 "OFPT_QUEUE_GET_CONFIG_REPLY"
}

// OpenFlow 1.3 message types.
enum Type13 : u8 {
    hello                    = 0  "OFPT_HELLO"
    error                    = 1  "OFPT_ERROR"
    echo_request             = 2  "OFPT_ECHO_REQUEST"
    echo_reply               = 3  "OFPT_ECHO_REPLY"
    experimenter             = 4  "OFPT_EXPERIMENTER"
    features_request         = 5  "OFPT_FEATURES_REQUEST"
    features_reply           = 6  "OFPT_FEATURES_REPLY"
    get_config_request       = 7  "OFPT_GET_CONFIG_REQUEST"
    get_config_reply         = 8  "OFPT_GET_CONFIG_REPLY"
    set_config               = 9  "OFPT_SET_CONFIG"
    packet_in                = 10 "OFPT_PACKET_IN"
    flow_removed             = 11 "OFPT_FLOW_REMOVED"
    port_status              = 12 "OFPT_PORT_STATUS"
    packet_out               = 13 "OFPT_PACKET_OUT"
    flow_mod                 = 14 "OFPT_FLOW_MOD"
    group_mod                = 15 "OFPT_GROUP_MOD"
    port_mod                 = 16 "OFPT_PORT_MOD"
    table_mod                = 17 "OFPT_TABLE_MOD"
    multipart_request        = 18 "OFPT_MULTIPART_REQUEST"
    multipart_reply          = 19 "OFPT_MULTIPART_REPLY"
    barrier_request          = 20 "OFPT_BARRIER_REQUEST"
    barrier_reply            = 21 "OFPT_BARRIER_REPLY"
    queue_get_config_request = 22 "OFPT_QUEUE_GET_CONFIG_REQUEST"
    queue_get_config_reply   = 23 "OFPT_QUEUE_GET_CONFIG_REPLY"
    role_request             = 24 "OFPT_ROLE_REQUEST"
    role_reply               = 25 "OFPT_ROLE_REPLY"
    get_async_request        = 26 "OFPT_GET_ASYNC_REQUEST"
    get_async_reply          = 27 "OFPT_GET_ASYNC_REPLY"
    set_async                = 28 "OFPT_SET_ASYNC"
    meter_mod                = 29 "OFPT_METER_MOD"
}

enum ErrorType : u16 {
    hello_failed          = 0  "OFPET_HELLO_FAILED"
    bad_request           = 1  "OFPET_BAD_REQUEST"
    bad_action            = 2  "OFPET_BAD_ACTION"
    bad_instruction       = 3  "OFPET_BAD_INSTRUCTION"
    bad_match             = 4  "OFPET_BAD_MATCH"
    flow_mod_failed       = 5  "OFPET_FLOW_MOD_FAILED"
    group_mod_failed      = 6  "OFPET_GROUP_MOD_FAILED"
    port_mod_failed       = 7  "OFPET_PORT_MOD_FAILED"
    table_mod_failed      = 8  "OFPET_TABLE_MOD_FAILED"
    queue_op_failed       = 9  "OFPET_QUEUE_OP_FAILED"
    switch_config_failed  = 10 "OFPET_SWITCH_CONFIG_FAILED"
    role_request_failed   = 11 "OFPET_ROLE_REQUEST_FAILED"
    meter_mod_failed      = 12 "OFPET_METER_MOD_FAILED"
    table_features_failed = 13 "OFPET_TABLE_FEATURES_FAILED"
    experimenter          = 0xFFFF "OFPET_EXPERIMENTER"
}

enum PacketInReason : u8 {
    no_match    = 0 "OFPR_NO_MATCH"
    action      = 1 "OFPR_ACTION"
    invalid_ttl = 2 "OFPR_INVALID_TTL"
}

enum FlowModCommand : u8 {
    add           = 0 "OFPFC_ADD"
    modify        = 1 "OFPFC_MODIFY"
    modify_strict = 2 "OFPFC_MODIFY_STRICT"
    delete        = 3 "OFPFC_DELETE"
    delete_strict = 4 "OFPFC_DELETE_STRICT"
}

enum FlowModCommand10 : u16 {
    add           = 0 "OFPFC_ADD"
    modify        = 1 "OFPFC_MODIFY"
    modify_strict = 2 "OFPFC_MODIFY_STRICT"
    delete        = 3 "OFPFC_DELETE"
    delete_strict = 4 "OFPFC_DELETE_STRICT"
}

enum StatsType : u16 {
    desc           = 0  "OFPMP_DESC"
    flow           = 1  "OFPMP_FLOW"
    aggregate      = 2  "OFPMP_AGGREGATE"
    table          = 3  "OFPMP_TABLE"
    port_stats     = 4  "OFPMP_PORT_STATS"
    queue          = 5  "OFPMP_QUEUE"
    group          = 6  "OFPMP_GROUP"
    group_desc     = 7  "OFPMP_GROUP_DESC"
    group_features = 8  "OFPMP_GROUP_FEATURES"
    meter          = 9  "OFPMP_METER"
    meter_config   = 10 "OFPMP_METER_CONFIG"
    meter_features = 11 "OFPMP_METER_FEATURES"
    table_features = 12 "OFPMP_TABLE_FEATURES"
    port_desc      = 13 "OFPMP_PORT_DESC"
    experimenter   = 0xFFFF "OFPMP_EXPERIMENTER"
}

struct Message [summary = "{body}"] {
    version u8 [doc = "Wire version: 1 for OpenFlow 1.0, 4 for 1.3"]
    body switch version {
        case 1:  V10
        case 4:  V13
        default: Unsupported
    }
}

struct Unsupported [summary = "OpenFlow wire version {version} (not decoded)"] {
    let version = u8(0)
    type   u8
    length u16
    xid    u32
    data   []byte
}

// ---- OpenFlow 1.0 ----

struct V10 [summary = "Type: {type:label} (xid {xid}){body?}"] {
    let version = u8(0) [ws = "openflow.version"]
    type   Type10 [ws = "openflow_1_0.type"]
    length u16    [ws = "openflow.length", range = 8..65535]
    xid    u32    [ws = "openflow.xid", doc = "Transaction id: a reply carries its request's"]
    body switch type {
        case hello, features_request, get_config_request, barrier_request, barrier_reply: Empty
        case error:                            Error10
        case echo_request, echo_reply:         Echo
        case features_reply:                   FeaturesReply10
        case get_config_reply, set_config:     SwitchConfig10
        case packet_in:                        PacketIn10
        case packet_out:                       PacketOut10
        case flow_mod:                         FlowMod10
        case stats_request, stats_reply:       Stats10
        default:                               Data
    } [if = remaining() > 0]
    pair request  xid [if = type == Type10.echo_request || type == Type10.features_request || type == Type10.get_config_request ||
                            type == Type10.stats_request || type == Type10.barrier_request || type == Type10.queue_get_config_request]
    pair response xid [if = type == Type10.error || type == Type10.echo_reply || type == Type10.features_reply || type == Type10.get_config_reply ||
                            type == Type10.stats_reply || type == Type10.barrier_reply || type == Type10.queue_get_config_reply]
}

struct Empty {}

struct Data {
    data []byte
}

struct Echo {
    data []byte [doc = "Arbitrary bytes, echoed in the reply"]
}

struct Error10 [summary = ", type {type}, code {code}"] {
    type u16 [doc = "OFPET_*: 0 hello failed, 1 bad request, 2 bad action, 3 flow mod failed, 4 port mod failed, 5 queue op failed"]
    code u16
    data []byte [doc = "At least 64 bytes of the failed request"]
}

// A physical port: 48 bytes.
struct PhyPort10 [summary = "{name}"] {
    port_no    u16       [ws = "openflow.port_no"]
    hw_addr    [6]byte   [ws = "openflow.hw_add", format = mac]
    name       [16]ascii [ws = "openflow.port_name", trim = nul]
    config     u32       [ws = "openflow.port_config", base = hex]
    state      u32       [ws = "openflow.port_state", base = hex]
    curr       u32       [ws = "openflow.port_curr", base = hex]
    advertised u32       [ws = "openflow.port_advertised", base = hex]
    supported  u32       [ws = "openflow.port_supported", base = hex]
    peer       u32       [ws = "openflow.port_peer", base = hex]
}

struct FeaturesReply10 [summary = ", datapath {datapath_id}, ports: {ports}"] {
    datapath_id  u64     [ws = "openflow.datapath_id", base = hex]
    n_buffers    u32     [ws = "openflow.n_buffers"]
    n_tables     u8      [ws = "openflow.n_tables"]
    pad          [3]byte [hidden]
    capabilities u32     [ws = "openflow.capabilities", base = hex]
    actions      u32     [ws = "openflow.actions", base = hex, doc = "Bitmap of supported OFPAT_* actions"]
    ports        []PhyPort10
}

struct SwitchConfig10 {
    flags         u16 [ws = "openflow.config_flags", base = hex]
    miss_send_len u16 [ws = "openflow.miss_send_len"]
}

struct PacketIn10 [summary = ", {reason:label}, in port {in_port}, {total_len} bytes"] {
    buffer_id u32            [ws = "openflow.buffer_id", base = hex, doc = "0xffffffff: not buffered"]
    total_len u16            [ws = "openflow.total_len"]
    in_port   u16            [ws = "openflow.in_port"]
    reason    PacketInReason [ws = "openflow.reason"]
    pad       u8             [hidden]
    data      []byte         [doc = "The packet (or its first miss_send_len bytes)"]
}

struct PacketOut10 [summary = ", in port {in_port}"] {
    buffer_id   u32 [ws = "openflow.buffer_id", base = hex]
    in_port     u16 [ws = "openflow.in_port"]
    actions_len u16 [ws = "openflow.actions_len"]
    actions     []Action10 [size = actions_len]
    data        []byte
}

struct Action10 [summary = "{type}"] {
    type   u16 [ws = "openflow.action_typ"]
    len    u16 [ws = "openflow.action_len", range = 8..65535]
    output Output10 [if = type == 0]
    body   [len - 4 - (type == 0 ? 4 : 0)]byte [if = len > 4 + (type == 0 ? 4 : 0)]
}

struct Output10 {
    port    u16 [ws = "openflow.output_port"]
    max_len u16 [ws = "openflow.max_len"]
}

// The 1.0 match: 40 bytes of fixed fields and wildcards.
struct Match10 {
    wildcards u32     [ws = "openflow.wildcards", base = hex]
    in_port   u16     [ws = "openflow.in_port"]
    dl_src    [6]byte [ws = "openflow.eth_src", format = mac]
    dl_dst    [6]byte [ws = "openflow.eth_dst", format = mac]
    dl_vlan   u16     [ws = "openflow.dl_vlan"]
    dl_vlan_pcp u8    [ws = "openflow.dl_vlan_pcp"]
    pad1      u8      [hidden]
    dl_type   u16     [ws = "openflow.ofp_match.dl_type", base = hex]
    nw_tos    u8      [ws = "openflow.ofp_match.tos"]
    nw_proto  u8      [ws = "openflow.ofp_match.nw_proto"]
    pad2      [2]byte [hidden]
    nw_src    [4]byte [ws = "openflow.ofp_match.source_addr", format = ipv4]
    nw_dst    [4]byte [ws = "openflow.ofp_match.dest_addr", format = ipv4]
    tp_src    u16     [ws = "openflow.ofp_match.source_port"]
    tp_dst    u16     [ws = "openflow.ofp_match.dest_port"]
}

struct FlowMod10 [summary = ", {command:label}, priority {priority}"] {
    match        Match10
    cookie       u64 [ws = "openflow.cookie", base = hex]
    command      FlowModCommand10 [ws = "openflow.command"]
    idle_timeout u16 [ws = "openflow.idle_timeout", unit = "s"]
    hard_timeout u16 [ws = "openflow.hard_timeout", unit = "s"]
    priority     u16 [ws = "openflow.priority"]
    buffer_id    u32 [ws = "openflow.buffer_id", base = hex]
    out_port     u16 [doc = "For delete commands: only flows with this output port"]
    flags        u16 [ws = "openflow.flags", base = hex]
    actions      []Action10
}

struct Stats10 [summary = ", {type:label}"] {
    type  StatsType [ws = "openflow.stats.type"]
    flags u16       [ws = "openflow.flags", base = hex, doc = "In a reply, 1: more replies follow"]
    body  []byte
}

// ---- OpenFlow 1.3 ----

struct V13 [summary = "Type: {type:label} (xid {xid}){body?}"] {
    let version = u8(0) [ws = "openflow_v4.version"]
    type   Type13 [ws = "openflow_v4.type"]
    length u16    [ws = "openflow_v4.length", range = 8..65535]
    xid    u32    [ws = "openflow_v4.xid"]
    body switch type {
        case hello:                            Hello13
        case features_request, get_config_request, barrier_request, barrier_reply, get_async_request: Empty
        case error:                            Error13
        case echo_request, echo_reply:         Echo13
        case features_reply:                   FeaturesReply13
        case get_config_reply, set_config:     SwitchConfig13
        case packet_in:                        PacketIn13
        case packet_out:                       PacketOut13
        case flow_mod:                         FlowMod13
        case multipart_request:                MultipartRequest
        case multipart_reply:                  MultipartReply
        case role_request, role_reply:         Role
        default:                               Data
    } [if = remaining() > 0]
    pair request  xid [if = type == Type13.echo_request || type == Type13.features_request || type == Type13.get_config_request ||
                            type == Type13.multipart_request || type == Type13.barrier_request || type == Type13.queue_get_config_request ||
                            type == Type13.role_request || type == Type13.get_async_request]
    pair response xid [if = type == Type13.error || type == Type13.echo_reply || type == Type13.features_reply || type == Type13.get_config_reply ||
                            type == Type13.multipart_reply || type == Type13.barrier_reply || type == Type13.queue_get_config_reply ||
                            type == Type13.role_reply || type == Type13.get_async_reply]
}

struct Hello13 {
    elements []HelloElement
}

struct HelloElement [summary = "{type}"] {
    type   u16 [ws = "openflow_v4.hello_element.type", doc = "1: OFPHET_VERSIONBITMAP"]
    length u16 [ws = "openflow_v4.hello_element.length", range = 4..65535]
    bitmaps [length - 4]byte [ws = "openflow_v4.hello_element.version.bitmap", doc = "Bit n set: version n supported"]
    align 8
}

struct Echo13 {
    data []byte [ws = "openflow_v4.echo.data"]
}

struct Error13 [summary = ", {type:label}, code {code}"] {
    type ErrorType [ws = "openflow_v4.error.type"]
    code u16       [ws = "openflow_v4.error.code"]
    data []byte    [doc = "At least 64 bytes of the failed request"]
}

struct FeaturesReply13 [summary = ", datapath {datapath_id}"] {
    datapath_id  u64 [ws = "openflow_v4.switch_features.datapath_id", base = hex]
    n_buffers    u32 [ws = "openflow_v4.switch_features.n_buffers"]
    n_tables     u8  [ws = "openflow_v4.switch_features.n_tables"]
    auxiliary_id u8  [ws = "openflow_v4.switch_features.auxiliary_id"]
    pad          u16 [hidden]
    capabilities u32 [ws = "openflow_v4.switch_features.capabilities", base = hex]
    reserved     u32 [ws = "openflow_v4.switch_features_reserved"]
}

struct SwitchConfig13 {
    flags         u16 [ws = "openflow_v4.switch_config.flags", base = hex]
    miss_send_len u16 [ws = "openflow_v4.switch_config.miss_send_len"]
}

// An OXM match: type 1 (OFPMT_OXM), a length that excludes the padding to
// a multiple of 8, and OXM TLVs.
struct Match13 [summary = "{fields}"] {
    type   u16 [ws = "openflow_v4.match.type", doc = "1: OFPMT_OXM"]
    length u16 [ws = "openflow_v4.match.length", range = 4..65535]
    fields []OXM [size = length - 4]
    align 8
}

struct OXM [summary = "{field}"] {
    class    u16 [base = hex, doc = "0x8000: OpenFlow basic"]
    field    b7  [doc = "OXM_OF_* field number: 0 in_port, 3 eth_dst, 4 eth_src, 5 eth_type, 10 ip_proto, 11 ipv4_src, 12 ipv4_dst..."]
    has_mask b1
    length   u8
    value    [length]byte
}

struct PacketIn13 [summary = ", {reason:label}, table {table_id}, {total_len} bytes"] {
    buffer_id u32            [ws = "openflow_v4.packet_in.buffer_id", base = hex]
    total_len u16            [ws = "openflow_v4.packet_in.total_len"]
    reason    PacketInReason [ws = "openflow_v4.packet_in.reason"]
    table_id  u8             [ws = "openflow_v4.packet_in.table_id"]
    cookie    u64            [ws = "openflow_v4.packet_in.cookie", base = hex]
    match     Match13
    pad       [2]byte        [ws = "openflow_v4.packet_in.pad", hidden]
    data      []byte         [doc = "The packet"]
}

struct PacketOut13 [summary = ", in port {in_port}"] {
    buffer_id   u32     [ws = "openflow_v4.packet_out.buffer_id", base = hex]
    in_port     u32     [ws = "openflow_v4.packet_out.in_port", base = hex]
    actions_len u16     [ws = "openflow_v4.packet_out.acts_len"]
    pad         [6]byte [hidden]
    actions     []Action13 [size = actions_len]
    data        []byte
}

struct Action13 [summary = "{type}"] {
    type u16 [doc = "OFPAT_*: 0 output, 17 push VLAN, 25 set field..."]
    len  u16 [range = 8..65535]
    body [len - 4]byte
}

struct FlowMod13 [summary = ", {command:label}, table {table_id}, priority {priority}"] {
    cookie       u64            [ws = "openflow_v4.flowmod.cookie", base = hex]
    cookie_mask  u64            [ws = "openflow_v4.flowmod.cookie_mask", base = hex]
    table_id     u8             [ws = "openflow_v4.flowmod.table_id"]
    command      FlowModCommand [ws = "openflow_v4.flowmod.command"]
    idle_timeout u16            [ws = "openflow_v4.flowmod.idle_timeout", unit = "s"]
    hard_timeout u16            [ws = "openflow_v4.flowmod.hard_timeout", unit = "s"]
    priority     u16            [ws = "openflow_v4.flowmod.priority"]
    buffer_id    u32            [ws = "openflow_v4.flowmod.buffer_id", base = hex]
    out_port     u32            [ws = "openflow_v4.flowmod.out_port", base = hex]
    out_group    u32            [ws = "openflow_v4.flowmod.out_group", base = hex]
    flags        u16            [ws = "openflow_v4.flowmod.flags", base = hex]
    pad          [2]byte        [hidden]
    match        Match13
    instructions []byte         [doc = "OFPIT_* instructions"]
}

struct MultipartRequest [summary = ", {type:label}"] {
    type  StatsType [ws = "openflow_v4.multipart_request.type"]
    flags u16       [ws = "openflow_v4.multipart_request.flags", base = hex]
    pad   [4]byte   [hidden]
    body  []byte
}

struct MultipartReply [summary = ", {type:label}"] {
    type  StatsType [ws = "openflow_v4.multipart_reply.type"]
    flags u16       [ws = "openflow_v4.multipart_reply.flags", base = hex, doc = "1: more replies follow"]
    pad   [4]byte   [hidden]
    body  []byte
}

enum ControllerRole : u32 {
    nochange = 0 "OFPCR_ROLE_NOCHANGE"
    equal    = 1 "OFPCR_ROLE_EQUAL"
    master   = 2 "OFPCR_ROLE_MASTER"
    slave    = 3 "OFPCR_ROLE_SLAVE"
}

struct Role [summary = ", {role:label}"] {
    role          ControllerRole
    pad           [4]byte [hidden]
    generation_id u64
}
