// BGP-4, the Border Gateway Protocol, as in RFC 4271, with the extensions
// most sessions use: capabilities (RFC 5492), multiprotocol (RFC 4760),
// route refresh (RFC 2918, RFC 7313), 4-octet AS numbers (RFC 6793),
// graceful restart (RFC 4724), ADD-PATH (RFC 7911), communities (RFC 1997),
// extended and large communities (RFC 4360, RFC 8092), shutdown
// communication (RFC 9003) and extended optional parameters (RFC 9072).
//
// Two details of an UPDATE depend on what the OPEN messages negotiated:
// whether AS numbers in AS_PATH take 2 or 4 bytes, and whether NLRI carry
// ADD-PATH path identifiers. The state block remembers both OPENs. When the
// capture starts after them, AS_PATH's AS size is guessed from the
// attribute's length, and NLRI are taken to have no path identifiers.

protocol bgp {
    title       "BGP-4"
    description "Border Gateway Protocol version 4: OPEN, UPDATE, NOTIFICATION, KEEPALIVE, ROUTE-REFRESH"
    transport   tcp
    ports       179
    endian      big
    wireshark   "bgp"
    request     ClientMessage
    response    ServerMessage
}

// Every message starts with a 16-byte marker of all ones and its total
// length (19 to 4096 bytes, or 65535 with the extended message capability
// of RFC 8654).
framing {
    magic "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
    size  u16(16)
    min   19
    max   65535
}

// Recognised on any port by the 16-byte all-ones marker, a length of 19
// to 4096 and a known message type.
heuristic {
    message u64(0) == -1 && u64(8) == -1 && u16(16) >= 19 && u16(16) <= 4096 &&
            u8(18) >= 1 && u8(18) <= 5
}

state {
    opens    u8 = 0 // OPEN messages seen
    as4_caps u8 = 0 // OPEN messages with the 4-octet AS capability
    // ADD-PATH, for IPv4 and IPv6 unicast, as advertised by the client (c)
    // and the server (s): bit 0 receive, bit 1 send.
    ap_c4 u8 = 0
    ap_s4 u8 = 0
    ap_c6 u8 = 0
    ap_s6 u8 = 0
}

enum MessageType : u8 {
    open          = 1 "OPEN"
    update        = 2 "UPDATE"
    notification  = 3 "NOTIFICATION"
    keepalive     = 4 "KEEPALIVE"
    route_refresh = 5 "ROUTE-REFRESH"
}

// The two directions differ only in what an OPEN records in the state and
// what an UPDATE reads from it: dir is 0 from the client, 1 from the server.
// LANGUAGE GAP: expressions cannot tell the direction of the frame, so the
// header is declared twice to pass it down.
struct ClientMessage [summary = "{type:label} Message{body}"] {
    marker [16]byte = "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" [ws = "bgp.marker"]
    length u16         [ws = "bgp.length", range = 19..65535, doc = "Length of the whole message, header included"]
    type   MessageType [ws = "bgp.type"]
    body switch type {
        case open:          Open(0)
        case update:        Update(0)
        case notification:  Notification
        case keepalive:     Keepalive
        case route_refresh: RouteRefresh
        default:            Unknown
    }
}

struct ServerMessage [summary = "{type:label} Message{body}"] {
    marker [16]byte = "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" [ws = "bgp.marker"]
    length u16         [ws = "bgp.length", range = 19..65535, doc = "Length of the whole message, header included"]
    type   MessageType [ws = "bgp.type"]
    body switch type {
        case open:          Open(1)
        case update:        Update(1)
        case notification:  Notification
        case keepalive:     Keepalive
        case route_refresh: RouteRefresh
        default:            Unknown
    }
}

// An IPv4 address, shown dotted.
// An IPv4 address is four u8 fields with a dotted summary (an object in
// JSON), and an IPv4 prefix computes its octets in lets; IPv6 addresses
// use format = ipv6, and an IPv6 prefix is padded to an address in a bytes
// let (IPv6Prefix).
struct IPv4Address [summary = "{a}.{b}.{c}.{d}"] {
    a u8
    b u8
    c u8
    d u8
}

enum AFI : u16 {
    ipv4   = 1     "IPv4"
    ipv6   = 2     "IPv6"
    l2vpn  = 25    "Layer-2 VPN"
    bgp_ls = 16388 "BGP-LS"
}

enum SAFI : u8 {
    unicast          = 1   "Unicast"
    multicast        = 2   "Multicast"
    labeled_unicast  = 4   "Labeled Unicast"
    mcast_vpn        = 5   "MCAST-VPN"
    vpls             = 65  "VPLS"
    evpn             = 70  "EVPN"
    bgp_ls           = 71  "BGP-LS"
    bgp_ls_vpn       = 72  "BGP-LS-VPN"
    sr_te_policy     = 73  "SR TE Policy"
    vpn_unicast      = 128 "Labeled VPN Unicast"
    vpn_multicast    = 129 "Labeled VPN Multicast"
    route_target     = 132 "Route Target Constraint"
    flowspec         = 133 "Flow Specification"
    flowspec_vpn     = 134 "Flow Specification VPN"
}

// ---------------------------------------------------------------------------
// OPEN

struct Open(dir u8) [summary = ", AS {my_as}, hold time {hold_time}, ID {identifier}"] {
    version    u8          [ws = "bgp.open.version", doc = "BGP version: 4"]
    my_as      u16         [ws = "bgp.open.myas", doc = "The sender's AS, or AS_TRANS (23456) when it needs 4 bytes"]
    hold_time  u16         [ws = "bgp.open.holdtime", unit = "s"]
    identifier IPv4Address [ws = "bgp.open.identifier", doc = "BGP identifier"]
    opt_len    u8          [ws = "bgp.open.opt.len", doc = "Length of the optional parameters; 255 may announce RFC 9072 extended parameters"]
    // RFC 9072: opt_len 255 followed by a parameter type of 255 announces
    // a 2-byte length, and 2-byte parameter lengths.
    let extended = opt_len == 255 && remaining() > 0 && u8(offset()) == 255 [doc = "1 when the optional parameters use the RFC 9072 extended format"]
    ext_type   u8 = 255    [if = extended, doc = "Non-extended parameter type 255: extended optional parameters follow"]
    ext_len    u16         [if = extended, doc = "Extended optional parameters length"]
    params     []OptionalParameter(extended, dir) [size = extended ? ext_len : opt_len, ws = "bgp.open.opt"]
    set state.opens = state.opens + 1
}

enum ParameterType : u8 {
    authentication = 1   "Authentication (deprecated)"
    capabilities   = 2   "Capabilities"
    extended       = 255 "Extended length"
}

struct OptionalParameter(ext bool, dir u8) [summary = "{type}"] {
    type       ParameterType [ws = "bgp.open.opt.param.type"]
    length     u8            [if = !ext, ws = "bgp.open.opt.param.len"]
    length_ext u16           [if = ext, ws = "bgp.open.opt.param.len"]
    value switch type {
        case capabilities:   []Capability(dir)
        default:             Unknown
    } [size = ext ? length_ext : length]
}

enum CapabilityCode : u8 {
    multiprotocol          = 1   "Multiprotocol extensions"
    route_refresh          = 2   "Route refresh"
    orf                    = 3   "Outbound route filtering"
    multiple_routes        = 4   "Multiple routes to a destination"
    extended_next_hop      = 5   "Extended next hop encoding"
    extended_message       = 6   "BGP extended message"
    bgpsec                 = 7   "BGPsec"
    multiple_labels        = 8   "Multiple labels"
    role                   = 9   "BGP role"
    graceful_restart       = 64  "Graceful restart"
    four_octet_as          = 65  "Support for 4-octet AS number"
    dynamic                = 67  "Dynamic capability"
    multisession           = 68  "Multisession"
    add_path               = 69  "ADD-PATH"
    enhanced_route_refresh = 70  "Enhanced route refresh"
    long_lived_gr          = 71  "Long-lived graceful restart"
    fqdn                   = 73  "FQDN"
    route_refresh_cisco    = 128 "Route refresh (Cisco)"
    orf_cisco              = 130 "Outbound route filtering (Cisco)"
}

struct Capability(dir u8) [summary = "{code}{value}"] {
    code   CapabilityCode [ws = "bgp.cap.type"]
    length u8             [ws = "bgp.cap.length"]
    value switch code {
        case multiprotocol:     MultiprotocolCapability
        case graceful_restart:  GracefulRestartCapability
        case four_octet_as:     FourOctetASCapability
        case add_path:          AddPathCapability(dir)
        case extended_next_hop: ExtendedNextHopCapability
        case role:              RoleCapability
        case fqdn:              FQDNCapability
        case long_lived_gr:     LongLivedGRCapability
        case route_refresh, enhanced_route_refresh, route_refresh_cisco, extended_message:
            Empty
        default:                Unknown
    } [size = length]
}

// A capability or attribute with no value.
struct Empty {
}

// A value this schema does not describe.
struct Unknown [summary = ": {data}"] {
    data []byte
}

struct MultiprotocolCapability [summary = ": {afi} {safi}"] {
    afi      AFI  [ws = "bgp.cap.mp.afi"]
    reserved u8
    safi     SAFI [ws = "bgp.cap.mp.safi"]
}

struct GracefulRestartCapability [summary = ": restart time {restart_time}"] {
    restart_state b1  [ws = "bgp.cap.gr.timers.restart_flag", doc = "R: the sender has restarted"]
    notification  b1  [ws = "bgp.cap.gr.timers.notification_flag", doc = "N: graceful notification supported (RFC 8538)"]
    reserved      b2
    restart_time  b12 [ws = "bgp.cap.gr.timers.restart_time", unit = "s"]
    families      []GracefulRestartFamily
}

struct GracefulRestartFlags [summary = "F={forwarding_state}"] {
    forwarding_state b1 [ws = "bgp.cap.gr.flag.pfs", doc = "F: forwarding state preserved"]
    reserved         b7
}

struct GracefulRestartFamily [summary = "{afi} {safi}"] {
    afi   AFI  [ws = "bgp.cap.gr.afi"]
    safi  SAFI [ws = "bgp.cap.gr.safi"]
    flags GracefulRestartFlags [ws = "bgp.cap.gr.flag"]
}

struct FourOctetASCapability [summary = ": AS {as}"] {
    as u32 [ws = "bgp.cap.4as"]
    set state.as4_caps = state.as4_caps + 1
}

enum AddPathMode : u8 {
    receive = 1 "Receive"
    send    = 2 "Send"
    both    = 3 "Send and receive"
}

struct AddPathCapability(dir u8) [summary = ": {families}"] {
    families []AddPathEntry(dir)
}

struct AddPathEntry(dir u8) [summary = "{afi} {safi}: {send_receive}"] {
    afi          AFI         [ws = "bgp.cap.ap.afi"]
    safi         SAFI        [ws = "bgp.cap.ap.safi"]
    send_receive AddPathMode [ws = "bgp.cap.ap.sendreceive"]
    set state.ap_c4 = dir == 0 && afi == 1 && safi == 1 ? send_receive : state.ap_c4
    set state.ap_s4 = dir == 1 && afi == 1 && safi == 1 ? send_receive : state.ap_s4
    set state.ap_c6 = dir == 0 && afi == 2 && safi == 1 ? send_receive : state.ap_c6
    set state.ap_s6 = dir == 1 && afi == 2 && safi == 1 ? send_receive : state.ap_s6
}

struct ExtendedNextHopCapability [summary = ": {families}"] {
    families []ExtendedNextHopEntry
}

struct ExtendedNextHopEntry [summary = "{afi} {safi} via {nexthop_afi}"] {
    afi         AFI [ws = "bgp.cap.enh.afi"]
    safi        u16 [ws = "bgp.cap.enh.safi"]
    nexthop_afi AFI [ws = "bgp.cap.enh.nhafi"]
}

enum Role : u8 {
    provider = 0 "Provider"
    rs       = 1 "Route server"
    rs_client = 2 "Route server client"
    customer = 3 "Customer"
    peer     = 4 "Peer"
}

struct RoleCapability [summary = ": {role}"] {
    role Role
}

struct FQDNCapability [summary = ": {hostname}"] {
    hostname_len u8                  [ws = "bgp.cap.orf.fqdn.hostname.len"]
    hostname     [hostname_len]utf8   [ws = "bgp.cap.orf.fqdn.hostname"]
    domain_len   u8                  [ws = "bgp.cap.orf.fqdn.domain_name.len"]
    domain       [domain_len]utf8     [ws = "bgp.cap.orf.fqdn.domain_name"]
}

struct LongLivedGRCapability [summary = ": {families}"] {
    families []LongLivedGREntry
}

struct LongLivedGREntry [summary = "{afi} {safi}"] {
    afi        AFI  
    safi       SAFI
    flags      u8  [base = hex]
    stale_time u24 [unit = "s"]
}

// ---------------------------------------------------------------------------
// UPDATE

struct Update(dir u8) [summary = ": withdrawn {withdrawn}, attributes {path_attributes}, NLRI {nlri}"] {
    withdrawn_len   u16 [ws = "bgp.update.withdrawn_routes.length"]
    withdrawn       []IPv4Prefix(dir == 0 ? (state.ap_c4 & 2) != 0 && (state.ap_s4 & 1) != 0 : (state.ap_s4 & 2) != 0 && (state.ap_c4 & 1) != 0) [size = withdrawn_len, ws = "bgp.update.withdrawn_routes"]
    attrs_len       u16 [ws = "bgp.update.path_attributes.length"]
    path_attributes []PathAttribute(dir) [size = attrs_len, ws = "bgp.update.path_attributes"]
    nlri            []IPv4Prefix(dir == 0 ? (state.ap_c4 & 2) != 0 && (state.ap_s4 & 1) != 0 : (state.ap_s4 & 2) != 0 && (state.ap_c4 & 1) != 0) [ws = "bgp.update.nlri"]
}

// An IPv4 prefix: its length in bits, then only the bytes that hold it.
struct IPv4Prefix(add_path bool) [summary = "{address}/{length}"] {
    path_id u32 [if = add_path, ws = "bgp.nlri_path_id", doc = "ADD-PATH path identifier"]
    length  u8  [ws = "bgp.prefix_length", range = 0..32]
    prefix  [(length + 7) / 8]byte
    // The prefix padded to a whole address, as Wireshark shows it.
    let address = (length > 0 ? u8(offset(prefix)) << 24 : 0) | (length > 8 ? u8(offset(prefix) + 1) << 16 : 0) |
        (length > 16 ? u8(offset(prefix) + 2) << 8 : 0) | (length > 24 ? u8(offset(prefix) + 3) : 0) [ws = "bgp.nlri_prefix", format = ipv4]
}

// An IPv6 prefix: its length in bits, then only the bytes that hold it.
struct IPv6Prefix(add_path bool) [summary = "{address}/{length}"] {
    path_id u32 [if = add_path, ws = "bgp.nlri_path_id", doc = "ADD-PATH path identifier"]
    length  u8  [ws = "bgp.prefix_length", range = 0..128]
    prefix  [(length + 7) / 8]byte
    // The prefix padded to a whole address, as Wireshark shows it.
    let address [16]byte = pad(prefix, 16) [ws = "bgp.mp_reach_nlri_ipv6_prefix", format = ipv6]
}

// A prefix of another address family (labeled, VPN...): the length in bits
// covers labels and route distinguisher too.
struct GenericPrefix [summary = "{prefix}/{length}"] {
    length u8 [ws = "bgp.prefix_length"]
    prefix [(length + 7) / 8]byte
}

enum AttributeType : u8 {
    origin              = 1  "ORIGIN"
    as_path             = 2  "AS_PATH"
    next_hop            = 3  "NEXT_HOP"
    multi_exit_disc     = 4  "MULTI_EXIT_DISC"
    local_pref          = 5  "LOCAL_PREF"
    atomic_aggregate    = 6  "ATOMIC_AGGREGATE"
    aggregator          = 7  "AGGREGATOR"
    communities         = 8  "COMMUNITIES"
    originator_id       = 9  "ORIGINATOR_ID"
    cluster_list        = 10 "CLUSTER_LIST"
    mp_reach_nlri       = 14 "MP_REACH_NLRI"
    mp_unreach_nlri     = 15 "MP_UNREACH_NLRI"
    extended_communities = 16 "EXTENDED_COMMUNITIES"
    as4_path            = 17 "AS4_PATH"
    as4_aggregator      = 18 "AS4_AGGREGATOR"
    pmsi_tunnel         = 22 "PMSI_TUNNEL"
    tunnel_encap        = 23 "TUNNEL_ENCAPSULATION"
    aigp                = 26 "AIGP"
    large_community     = 32 "LARGE_COMMUNITY"
    bgpsec_path         = 33 "BGPsec_PATH"
    otc                 = 35 "ONLY_TO_CUSTOMER"
    bgp_ls              = 29 "BGP-LS"
    prefix_sid          = 40 "BGP Prefix-SID"
    attr_set            = 128 "ATTR_SET"
}

struct PathAttribute(dir u8) [summary = "{type_code}{value}"] {
    flags struct {
        optional        b1 [ws = "bgp.update.path_attribute.flags.optional"]
        transitive      b1 [ws = "bgp.update.path_attribute.flags.transitive"]
        partial         b1 [ws = "bgp.update.path_attribute.flags.partial"]
        extended_length b1 [ws = "bgp.update.path_attribute.flags.extended_length", doc = "The length takes 2 bytes"]
        unused          b4 [ws = "bgp.update.path_attribute.flags.unused"]
    } [ws = "bgp.update.path_attribute.flags"]
    type_code  AttributeType [ws = "bgp.update.path_attribute.type_code"]
    // LANGUAGE GAP: a switch of integer types (u8 or u16 by the flag)
    // cannot be used as a value, so the two lengths are two fields.
    length     u8            [if = !flags.extended_length, ws = "bgp.update.path_attribute.length"]
    length_ext u16           [if = flags.extended_length, ws = "bgp.update.path_attribute.length"]
    value switch type_code {
        case origin:               Origin
        case as_path:              ASPath(0)
        case as4_path:             ASPath(1)
        case next_hop:             NextHop
        case multi_exit_disc:      MultiExitDisc
        case local_pref:           LocalPref
        case atomic_aggregate:     Empty
        case aggregator, as4_aggregator: Aggregator
        case communities:          Communities
        case originator_id:        OriginatorID
        case cluster_list:         ClusterList
        case mp_reach_nlri:        MPReachNLRI(dir)
        case mp_unreach_nlri:      MPUnreachNLRI(dir)
        case extended_communities: ExtendedCommunities
        case large_community:      LargeCommunities
        default:                   Unknown
    } [size = flags.extended_length ? length_ext : length]
}

enum OriginType : u8 {
    igp        = 0 "IGP"
    egp        = 1 "EGP"
    incomplete = 2 "INCOMPLETE"
}

struct Origin [summary = ": {origin}"] {
    origin OriginType [ws = "bgp.update.path_attribute.origin"]
}

enum SegmentType : u8 {
    as_set             = 1 "AS_SET"
    as_sequence        = 2 "AS_SEQUENCE"
    as_confed_sequence = 3 "AS_CONFED_SEQUENCE"
    as_confed_set      = 4 "AS_CONFED_SET"
}

// AS_PATH (four = 0) or AS4_PATH (four = 1, always 4-byte AS numbers).
// LANGUAGE GAP: there is no way to try one layout and fall back to another
// (2-byte ASes when 4-byte ones do not fit), hence the fits4/fits2 guess.
// AS_PATH's AS numbers take 4 bytes when both OPENs had the 4-octet AS
// capability. Without both OPENs, the AS size is the one with which the
// first one or two segments fill the attribute exactly (4 when unsure).
struct ASPath(four bool) [summary = ": {segments}"] {
    let fits4 = remaining() >= 2 && (remaining() == 2 + 4 * u8(1) ||
        (remaining() > 3 + 4 * u8(1) && remaining() == 4 + 4 * u8(1) + 4 * u8(3 + 4 * u8(1))))
    let fits2 = remaining() >= 2 && (remaining() == 2 + 2 * u8(1) ||
        (remaining() > 3 + 2 * u8(1) && remaining() == 4 + 2 * u8(1) + 2 * u8(3 + 2 * u8(1))))
    let as4 = four || (state.opens >= 2 ? state.as4_caps >= 2 : fits4 || !fits2) [doc = "1 when AS numbers take 4 bytes"]
    segments []ASPathSegment(as4) [ws = "bgp.update.path_attribute.as_path_segment"]
}

struct ASPathSegment(four bool) [summary = "{type}"] {
    type  SegmentType [ws = "bgp.update.path_attribute.as_path_segment.type"]
    count u8          [ws = "bgp.update.path_attribute.as_path_segment.length", doc = "Number of AS numbers"]
    as2   [count]u16  [if = !four, ws = "bgp.update.path_attribute.as_path_segment.as2"]
    as4   [count]u32  [if = four, ws = "bgp.update.path_attribute.as_path_segment.as4"]
}

struct NextHop [summary = ": {next_hop}"] {
    next_hop IPv4Address [ws = "bgp.update.path_attribute.next_hop"]
}

struct MultiExitDisc [summary = ": {med}"] {
    med u32 [ws = "bgp.update.path_attribute.multi_exit_disc"]
}

struct LocalPref [summary = ": {local_pref}"] {
    local_pref u32 [ws = "bgp.update.path_attribute.local_pref"]
}

// AGGREGATOR: the AS takes 2 bytes in a 6-byte attribute, 4 in an 8-byte
// one (and always in AS4_AGGREGATOR).
struct Aggregator [summary = ": AS {as}, {origin}"] {
    as     switch remaining() {
        case 6:  u16
        default: u32
    } [ws = "bgp.update.path_attribute.aggregator_as"]
    origin IPv4Address [ws = "bgp.update.path_attribute.aggregator_origin"]
}

struct Communities [summary = ": {communities}"] {
    communities []Community [ws = "bgp.update.path_attribute.communities"]
}

enum WellKnownCommunity : u32 {
    graceful_shutdown   = 0xFFFF0000 "GRACEFUL_SHUTDOWN"
    accept_own          = 0xFFFF0001 "ACCEPT_OWN"
    blackhole           = 0xFFFF029A "BLACKHOLE"
    no_export           = 0xFFFFFF01 "NO_EXPORT"
    no_advertise        = 0xFFFFFF02 "NO_ADVERTISE"
    no_export_subconfed = 0xFFFFFF03 "NO_EXPORT_SUBCONFED"
    no_peer             = 0xFFFFFF04 "NOPEER"
}

// A community: a well-known one (RFC 1997 and later, in the reserved
// ranges 0xFFFF0000-0xFFFFFFFF and 0x00000000) by its name, others as
// AS:value, as Wireshark shows them.
struct Community [summary = "{community}"] {
    community switch u16(offset()) == 0xFFFF || u32(offset()) == 0 ? 1 : 0 {
        case 1:  WellKnown
        default: ASCommunity
    }
}

struct WellKnown [summary = "{well_known}"] {
    well_known WellKnownCommunity [ws = "bgp.update.path_attribute.community_wellknown"]
}

struct ASCommunity [summary = "{as}:{value}"] {
    as    u16 [ws = "bgp.update.path_attribute.community_as"]
    value u16 [ws = "bgp.update.path_attribute.community_value"]
}

struct OriginatorID [summary = ": {originator_id}"] {
    originator_id IPv4Address [ws = "bgp.update.path_attribute.originator_id"]
}

struct ClusterList [summary = ": {cluster_ids}"] {
    cluster_ids []IPv4Address
}

// MP_REACH_NLRI: reachable prefixes of another address family, with their
// next hop.
struct MPReachNLRI(dir u8) [summary = ": {afi} {safi}, NLRI {nlri}"] {
    afi         AFI  [ws = "bgp.update.path_attribute.mp_reach_nlri.afi"]
    safi        SAFI [ws = "bgp.update.path_attribute.mp_reach_nlri.safi"]
    nh_len      u8   [doc = "Length of the next hop address"]
    next_hop switch nh_len {
        case 4:  IPv4Address
        case 16: IPv6Global
        case 32: IPv6GlobalAndLinkLocal
        default: [nh_len]byte
    } [ws = "bgp.update.path_attribute.mp_reach_nlri.next_hop"]
    snpa_count  u8   [ws = "bgp.update.path_attribute.mp_reach_nlri.nbr_snpa", doc = "Reserved (0) since RFC 4760"]
    snpas       [snpa_count]SNPA
    nlri        NLRIList(afi, safi, dir) [ws = "bgp.update.path_attribute.mp_reach_nlri"]
}

struct IPv6Global [summary = "{global}"] {
    global [16]byte [ws = "bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6", format = ipv6]
}

struct IPv6GlobalAndLinkLocal {
    global     [16]byte [ws = "bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6"]
    link_local [16]byte [ws = "bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6.link_local"]
}

struct SNPA {
    length u8 [ws = "bgp.update.path_attribute.mp_reach_nlri.snpa_length", doc = "Length in semi-octets"]
    snpa   [(length + 1) / 2]byte [ws = "bgp.update.path_attribute.mp_reach_nlri.snpa"]
}

// MP_UNREACH_NLRI: withdrawn prefixes of another address family.
struct MPUnreachNLRI(dir u8) [summary = ": {afi} {safi}, withdrawn {withdrawn}"] {
    afi       AFI  [ws = "bgp.update.path_attribute.mp_unreach_nlri.afi"]
    safi      SAFI [ws = "bgp.update.path_attribute.mp_unreach_nlri.safi"]
    withdrawn NLRIList(afi, safi, dir) [ws = "bgp.update.path_attribute.mp_unreach_nlri"]
}

// The prefixes of MP_REACH_NLRI and MP_UNREACH_NLRI, by address family.
// Families whose NLRI are not prefixes (EVPN, flow specification, BGP-LS...)
// are kept as bytes.
struct NLRIList(afi AFI, safi SAFI, dir u8) [summary = "{prefixes}"] {
    prefixes switch afi == 1 && (safi == 1 || safi == 2) ? 4 : afi == 2 && (safi == 1 || safi == 2) ? 6 : (safi == 4 || safi == 128 || safi == 129) ? 1 : 0 {
        case 4:  []IPv4Prefix(dir == 0 ? (state.ap_c4 & 2) != 0 && (state.ap_s4 & 1) != 0 : (state.ap_s4 & 2) != 0 && (state.ap_c4 & 1) != 0)
        case 6:  []IPv6Prefix(dir == 0 ? (state.ap_c6 & 2) != 0 && (state.ap_s6 & 1) != 0 : (state.ap_s6 & 2) != 0 && (state.ap_c6 & 1) != 0)
        case 1:  []GenericPrefix
        default: []byte
    }
}

struct ExtendedCommunities [summary = ": {communities}"] {
    communities []ExtendedCommunity
}

struct ExtendedCommunity [summary = "{type}/{subtype}"] {
    type    u8 [base = hex, doc = "Type high: bit 7 IANA authority, bit 6 non-transitive"]
    subtype u8 [base = hex]
    value   [6]byte
}

struct LargeCommunities [summary = ": {communities}"] {
    communities []LargeCommunity
}

struct LargeCommunity [summary = "{global}:{local1}:{local2}"] {
    global u32 [doc = "Global administrator (AS)"]
    local1 u32
    local2 u32
}

// ---------------------------------------------------------------------------
// NOTIFICATION

enum ErrorCode : u8 {
    message_header     = 1 "Message Header Error"
    open_message       = 2 "OPEN Message Error"
    update_message     = 3 "UPDATE Message Error"
    hold_timer_expired = 4 "Hold Timer Expired"
    fsm                = 5 "Finite State Machine Error"
    cease              = 6 "Cease"
    route_refresh      = 7 "ROUTE-REFRESH Message Error"
}

enum HeaderSubcode : u8 {
    unspecific              = 0 "Unspecific"
    not_synchronized        = 1 "Connection Not Synchronized"
    bad_message_length      = 2 "Bad Message Length"
    bad_message_type        = 3 "Bad Message Type"
}

enum OpenSubcode : u8 {
    unspecific                   = 0  "Unspecific"
    unsupported_version          = 1  "Unsupported Version Number"
    bad_peer_as                  = 2  "Bad Peer AS"
    bad_bgp_identifier           = 3  "Bad BGP Identifier"
    unsupported_optional_param   = 4  "Unsupported Optional Parameter"
    authentication_failure       = 5  "Authentication Failure (deprecated)"
    unacceptable_hold_time       = 6  "Unacceptable Hold Time"
    unsupported_capability       = 7  "Unsupported Capability"
    role_mismatch                = 11 "Role Mismatch"
}

enum UpdateSubcode : u8 {
    unspecific                   = 0  "Unspecific"
    malformed_attribute_list     = 1  "Malformed Attribute List"
    unrecognized_well_known      = 2  "Unrecognized Well-known Attribute"
    missing_well_known           = 3  "Missing Well-known Attribute"
    attribute_flags_error        = 4  "Attribute Flags Error"
    attribute_length_error       = 5  "Attribute Length Error"
    invalid_origin               = 6  "Invalid ORIGIN Attribute"
    as_routing_loop              = 7  "AS Routing Loop (deprecated)"
    invalid_next_hop             = 8  "Invalid NEXT_HOP Attribute"
    optional_attribute_error     = 9  "Optional Attribute Error"
    invalid_network_field        = 10 "Invalid Network Field"
    malformed_as_path            = 11 "Malformed AS_PATH"
}

enum FSMSubcode : u8 {
    unspecified            = 0 "Unspecified Error"
    unexpected_opensent    = 1 "Receive Unexpected Message in OpenSent State"
    unexpected_openconfirm = 2 "Receive Unexpected Message in OpenConfirm State"
    unexpected_established = 3 "Receive Unexpected Message in Established State"
}

enum CeaseSubcode : u8 {
    unspecific                 = 0  "Unspecific"
    max_prefixes               = 1  "Maximum Number of Prefixes Reached"
    admin_shutdown             = 2  "Administrative Shutdown"
    peer_deconfigured          = 3  "Peer De-configured"
    admin_reset                = 4  "Administrative Reset"
    connection_rejected        = 5  "Connection Rejected"
    other_config_change        = 6  "Other Configuration Change"
    collision_resolution       = 7  "Connection Collision Resolution"
    out_of_resources           = 8  "Out of Resources"
    hard_reset                 = 9  "Hard Reset"
    bfd_down                   = 10 "BFD Down"
}

enum RouteRefreshSubcode : u8 {
    reserved                = 0 "Reserved"
    invalid_message_length  = 1 "Invalid Message Length"
}

struct Notification [summary = ": {code:label}, {subcode:label}"] {
    code    ErrorCode [ws = "bgp.notify.major_error"]
    subcode switch code {
        case message_header: HeaderSubcode
        case open_message:   OpenSubcode
        case update_message: UpdateSubcode
        case fsm:            FSMSubcode
        case cease:          CeaseSubcode
        case route_refresh:  RouteRefreshSubcode
        default:             u8
    } [ws = "bgp.notify.minor_error"]
    // RFC 9003: an administrative shutdown or reset may carry a message.
    communication ShutdownCommunication [if = code == 6 && (u8(offset(code) + 1) == 2 || u8(offset(code) + 1) == 4) && remaining() > 0]
    data          []byte [ws = "bgp.notify.minor_data"]
}

struct ShutdownCommunication [summary = "{text}"] {
    length u8           [ws = "bgp.notify.communication_length", range = 0..255]
    text   [length]utf8 [ws = "bgp.notify.communication"]
}

// ---------------------------------------------------------------------------
// KEEPALIVE and ROUTE-REFRESH

// A KEEPALIVE is the header alone.
struct Keepalive {
}

enum RefreshSubtype : u8 {
    normal = 0 "Normal route refresh"
    borr   = 1 "Beginning of Route Refresh"
    eorr   = 2 "End of Route Refresh"
}

struct RouteRefresh [summary = ": {afi:label} {safi:label}, {subtype:label}"] {
    afi     AFI            [ws = "bgp.route_refresh.afi"]
    subtype RefreshSubtype [ws = "bgp.route_refresh.subtype"]
    safi    SAFI           [ws = "bgp.route_refresh.safi"]
    orf     []byte         [ws = "bgp.route_refresh.orf", doc = "Outbound route filtering entries (RFC 5291)"]
}
