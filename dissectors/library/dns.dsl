// DNS: the Domain Name System protocol over UDP, as in RFC 1035, with
// EDNS(0) (RFC 6891), the record types of RFC 3596 (AAAA), 2782 (SRV)
// and 8659 (CAA), DNSSEC's (RFC 4034, 5155: RRSIG, DNSKEY, DS, NSEC,
// NSEC3) and TKEY and TSIG (RFC 2930, 8945). Each datagram is one message. dnstcp.dsl imports this
// file for DNS over TCP.
//
// Names are decoded as their labels, and compression pointers are
// followed with positioned reads relative to the start of the message: a
// pointer that leads back to a label being decoded is a `loop` error, one
// past the end of the message a `bad position` error. A record whose data
// holds a name (NS, CNAME, PTR, MX, SOA, SRV) is decoded in the message's
// region, not in a region of its own, so that its pointers count from the
// start of the message; its length is checked after it instead.
//
// A name shows as one dotted string, as Wireshark shows it
// ("www.example.com", "<Root>" for the root): its labels joined with "."
// ({labels:join(.)}), a pointer showing the name it points to. That
// string is also the value compared with tshark's dns.qry.name and the
// others.
//
// Addresses use the ipv4 and ipv6 display hints: dotted in the tree and
// the summary, and a string in JSON ("192.0.2.1"), as tshark's dns.a.

protocol dns {
    title       "DNS"
    description "Domain Name System over UDP: header, questions, records with compressed names, EDNS(0), DNSSEC"
    transport   udp
    ports       53
    endian      big
    wireshark   "dns"
    message     Message
}

enum Opcode : b4 {
    query  = 0 "Standard query"
    iquery = 1 "Inverse query"
    status = 2 "Server status request"
    notify = 4 "Zone change notification"
    update = 5 "Dynamic update"
    dso    = 6 "DNS Stateful operations (DSO)"
}

enum Rcode : b4 {
    noerror  = 0  "No error"
    formerr  = 1  "Format error"
    servfail = 2  "Server failure"
    nxdomain = 3  "No such name"
    notimp   = 4  "Not implemented"
    refused  = 5  "Refused"
    yxdomain = 6  "Name exists"
    yxrrset  = 7  "RRset exists"
    nxrrset  = 8  "RRset does not exist"
    notauth  = 9  "Not authoritative"
    notzone  = 10 "Name out of zone"
    dsotypeni = 11 "DSO-Type not implemented"
}

enum RRType : u16 {
    a          = 1     "A"
    ns         = 2     "NS"
    md         = 3     "MD"
    mf         = 4     "MF"
    cname      = 5     "CNAME"
    soa        = 6     "SOA"
    mb         = 7     "MB"
    mg         = 8     "MG"
    mr         = 9     "MR"
    null       = 10    "NULL"
    wks        = 11    "WKS"
    ptr        = 12    "PTR"
    hinfo      = 13    "HINFO"
    minfo      = 14    "MINFO"
    mx         = 15    "MX"
    txt        = 16    "TXT"
    rp         = 17    "RP"
    afsdb      = 18    "AFSDB"
    x25        = 19    "X25"
    isdn       = 20    "ISDN"
    rt         = 21    "RT"
    nsap       = 22    "NSAP"
    nsap_ptr   = 23    "NSAP-PTR"
    sig        = 24    "SIG"
    key        = 25    "KEY"
    px         = 26    "PX"
    gpos       = 27    "GPOS"
    aaaa       = 28    "AAAA"
    loc        = 29    "LOC"
    nxt        = 30    "NXT"
    srv        = 33    "SRV"
    naptr      = 35    "NAPTR"
    kx         = 36    "KX"
    cert       = 37    "CERT"
    a6         = 38    "A6"
    dname      = 39    "DNAME"
    opt        = 41    "OPT"
    apl        = 42    "APL"
    ds         = 43    "DS"
    sshfp      = 44    "SSHFP"
    ipseckey   = 45    "IPSECKEY"
    rrsig      = 46    "RRSIG"
    nsec       = 47    "NSEC"
    dnskey     = 48    "DNSKEY"
    dhcid      = 49    "DHCID"
    nsec3      = 50    "NSEC3"
    nsec3param = 51    "NSEC3PARAM"
    tlsa       = 52    "TLSA"
    smimea     = 53    "SMIMEA"
    hip        = 55    "HIP"
    cds        = 59    "CDS"
    cdnskey    = 60    "CDNSKEY"
    openpgpkey = 61    "OPENPGPKEY"
    csync      = 62    "CSYNC"
    zonemd     = 63    "ZONEMD"
    svcb       = 64    "SVCB"
    https      = 65    "HTTPS"
    spf        = 99    "SPF"
    nid        = 104   "NID"
    l32        = 105   "L32"
    l64        = 106   "L64"
    lp         = 107   "LP"
    eui48      = 108   "EUI48"
    eui64      = 109   "EUI64"
    tkey       = 249   "TKEY"
    tsig       = 250   "TSIG"
    ixfr       = 251   "IXFR"
    axfr       = 252   "AXFR"
    mailb      = 253   "MAILB"
    maila      = 254   "MAILA"
    any        = 255   "ANY"
    uri        = 256   "URI"
    caa        = 257   "CAA"
    ta         = 32768 "TA"
    dlv        = 32769 "DLV"
}

enum Class : u16 {
    in   = 1   "IN"
    cs   = 2   "CS"
    ch   = 3   "CH"
    hs   = 4   "HS"
    none = 254 "NONE"
    any  = 255 "ANY"
}

enum EDNSOptionCode : u16 {
    llq         = 1  "LLQ - Long-lived query"
    ul          = 2  "UL - Update lease"
    nsid        = 3  "NSID - Name Server Identifier"
    owner       = 4  "Owner (reserved)"
    dau         = 5  "DAU - DNSSEC Algorithm Understood"
    dhu         = 6  "DHU - DS Hash Understood"
    n3u         = 7  "N3U - NSEC3 Hash Understood"
    client_subnet = 8 "CSUBNET - Client subnet"
    expire      = 9  "EDNS EXPIRE"
    cookie      = 10 "COOKIE"
    tcp_keepalive = 11 "EDNS TCP Keepalive"
    padding     = 12 "PADDING"
    chain       = 13 "CHAIN"
    key_tag     = 14 "EDNS Key Tag"
    ede         = 15 "Extended DNS Error"
    client_tag  = 16 "EDNS Client Tag"
    server_tag  = 17 "EDNS Server Tag"
    report_channel = 18 "Report-Channel"
    zoneversion = 19 "ZONEVERSION"
}

enum AddressFamily : u16 {
    ipv4 = 1 "IPv4"
    ipv6 = 2 "IPv6"
}

// ---------------------------------------------------------------------
// The message.

struct Message [summary = "{kind} {id}{status}{question}{answers*}{authority*}{additional*}"] {
    id      u16 [ws = "dns.id", base = hex, doc = "Pairs a response with its query"]
    flags   Flags
    qdcount u16 [ws = "dns.count.queries"]
    ancount u16 [ws = "dns.count.answers"]
    nscount u16 [ws = "dns.count.auth_rr"]
    arcount u16 [ws = "dns.count.add_rr"]
    // What the message is, for the summary (tshark's words), and the
    // pairing of a response with its query by id.
    kind switch flags.qr * 16 + flags.opcode {
        case 0x00: StandardQuery(id)
        case 0x10: StandardQueryResponse(id)
        case 0x04: Notify(id)
        case 0x14: NotifyResponse(id)
        case 0x05: Update(id)
        case 0x15: UpdateResponse(id)
        case 0x01..0x0F: OtherQuery(id)
        default: OtherResponse(id)
    }
    status switch flags.rcode {
        case 0:  Nothing
        case 1:  FormErr
        case 2:  ServFail
        case 3:  NXDomain
        case 4:  NotImp
        case 5:  Refused
        default: OtherError
    }
    questions  [qdcount]Question
    answers    [ancount]ResourceRecord
    authority  [nscount]ResourceRecord
    additional [arcount]ResourceRecord
    // The first question's name and type again, for the summary.
    question switch qdcount {
        case 0:  Nothing
        default: QuestionText
    } [at = 12]
}

struct Flags [summary = "{rcode}"] {
    qr     b1     [ws = "dns.flags.response", doc = "0: query, 1: response"]
    opcode Opcode [ws = "dns.flags.opcode"]
    aa     b1     [ws = "dns.flags.authoritative", doc = "Authoritative answer"]
    tc     b1     [ws = "dns.flags.truncated", doc = "Truncated: the answer did not fit"]
    rd     b1     [ws = "dns.flags.recdesired", doc = "Recursion desired"]
    ra     b1     [ws = "dns.flags.recavail", doc = "Recursion available"]
    z      b1     [ws = "dns.flags.z", doc = "Reserved, 0"]
    ad     b1     [ws = "dns.flags.authenticated", doc = "Authentic data (DNSSEC)"]
    cd     b1     [ws = "dns.flags.checkdisable", doc = "Checking disabled (DNSSEC)"]
    rcode  Rcode  [ws = "dns.flags.rcode"]
}

struct Nothing {}

struct StandardQuery(id u16) [summary = "Standard query"] {
    pair request id
}

struct StandardQueryResponse(id u16) [summary = "Standard query response"] {
    pair response id
}

struct Notify(id u16) [summary = "Zone change notification"] {
    pair request id
}

struct NotifyResponse(id u16) [summary = "Zone change notification response"] {
    pair response id
}

struct Update(id u16) [summary = "Dynamic update"] {
    pair request id
}

struct UpdateResponse(id u16) [summary = "Dynamic update response"] {
    pair response id
}

struct OtherQuery(id u16) [summary = "Query"] {
    pair request id
}

struct OtherResponse(id u16) [summary = "Response"] {
    pair response id
}

struct FormErr [summary = " Format error"] {}

struct ServFail [summary = " Server failure"] {}

struct NXDomain [summary = " No such name"] {}

struct NotImp [summary = " Not implemented"] {}

struct Refused [summary = " Refused"] {}

struct OtherError [summary = " Error"] {}

struct Question [summary = "{type} {class}"] {
    name  Name   [ws = "dns.qry.name"]
    type  RRType [ws = "dns.qry.type"]
    class Class  [ws = "dns.qry.class", base = hex]
}

// A resource record. The OPT pseudo-record of EDNS(0) reuses the class and
// TTL fields for other things.
// A record shows as tshark's Info column lists it after the question:
// " A 93.184.216.34", " OPT"; the record data structures that show
// something start with a space.
struct ResourceRecord [summary = " {type:label}{rdata}"] {
    name Name   [ws = "dns.resp.name"]
    type RRType [ws = "dns.resp.type"]
    rdata switch type {
        case opt: OPTRecord
        default:  RecordData(type)
    }
}

struct RecordData(type u16) [summary = "{rdata}"] {
    class    Class [ws = "dns.resp.class", base = hex]
    ttl      u32   [ws = "dns.resp.ttl", unit = "s"]
    rdlength u16   [ws = "dns.resp.len"]
    rdata switch type {
        case RRType.a:     IPv4Address(rdlength)
        case RRType.aaaa:  IPv6Address(rdlength)
        case RRType.ns:    NSData
        case RRType.cname: CNAMEData
        case RRType.ptr:   PTRData
        case RRType.dname: DNAMEData
        case RRType.mx:    MXData
        case RRType.soa:   SOAData
        case RRType.srv:   SRVData
        case RRType.txt, RRType.spf: TXTData(rdlength)
        case RRType.hinfo: HINFOData(rdlength)
        case RRType.caa:   CAAData(rdlength)
        case RRType.rrsig: RRSIGData(rdlength)
        case RRType.dnskey, RRType.cdnskey: DNSKEYData(rdlength)
        case RRType.ds, RRType.cds: DSData(rdlength)
        case RRType.nsec:  NSECData(rdlength)
        case RRType.nsec3: NSEC3Data(rdlength)
        case RRType.tkey:  TKEYData
        case RRType.tsig:  TSIGData
        default:           RawData(rdlength)
    }
    assert offset() == offset(rdata) + rdlength, "the record data must take exactly rdlength bytes"
}

struct OPTRecord {
    udp_payload_size u16 [ws = "dns.rr.udp_payload_size", doc = "Largest UDP payload the sender can take"]
    ext_rcode        u8  [ws = "dns.resp.ext_rcode", doc = "The upper 8 bits of the 12-bit response code"]
    version          u8  [ws = "dns.resp.edns0_version"]
    do               b1  [ws = "dns.resp.z.do", doc = "DNSSEC answer OK"]
    z                b15 [ws = "dns.resp.z.reserved", base = hex]
    rdlength         u16 [ws = "dns.resp.len"]
    options          []EDNSOption [size = rdlength]
}

struct EDNSOption [summary = "{code}"] {
    code   EDNSOptionCode [ws = "dns.opt.code"]
    length u16            [ws = "dns.opt.len"]
    data switch code {
        case client_subnet: ClientSubnet
        case cookie:        Cookie
        case tcp_keepalive: Keepalive
        case nsid:          NSID
        case expire:        Expire
        case padding:       Padding
        case ede:           ExtendedError
        default:            OptionData
    } [size = length]
}

struct ClientSubnet {
    family          AddressFamily [ws = "dns.opt.client.family"]
    source_prefix   u8            [ws = "dns.opt.client.netmask"]
    scope_prefix    u8            [ws = "dns.opt.client.scope"]
    // The first source_prefix bits of the address.
    address switch family {
        case ipv4: IPv4Prefix
        case ipv6: IPv6Prefix
        default:   []byte [ws = "dns.opt.client.addr"]
    }
}

struct IPv4Prefix [summary = "{address}"] {
    address []byte [ws = "dns.opt.client.addr4", format = ipv4_prefix]
}

struct IPv6Prefix [summary = "{address}"] {
    address []byte [ws = "dns.opt.client.addr6", format = ipv6_prefix]
}

struct Cookie {
    client_cookie [8]byte [ws = "dns.opt.cookie.client"]
    server_cookie []byte  [ws = "dns.opt.cookie.server", doc = "8 to 32 bytes; absent in a first query"]
}

struct Keepalive {
    timeout u16 [if = remaining() >= 2, ws = "dns.opt.edns_tcp_keepalive.timeout", scale = 0.1, unit = "s", doc = "Absent in queries"]
}

struct NSID {
    nsid []byte [ws = "dns.opt.data", doc = "The server's identifier, often ASCII"]
}

struct Expire {
    expire u32 [if = remaining() >= 4, ws = "dns.opt.data", unit = "s", doc = "Absent in queries (Wireshark shows the raw bytes)"]
}

struct Padding {
    padding []byte [ws = "dns.opt.padding"]
}

struct ExtendedError {
    info_code  u16     [ws = "dns.opt.ext_error.info_code"]
    extra_text []utf8  [ws = "dns.opt.ext_error.extra_text"]
}

struct OptionData {
    data []byte [ws = "dns.opt.data"]
}

// ---------------------------------------------------------------------
// Record data.

struct IPv4Address(n u16) [summary = " {address}"] {
    address [n]byte [ws = "dns.a", format = ipv4, doc = "4 bytes"]
    assert n == 4, "an A record holds 4 bytes"
}

struct IPv6Address(n u16) [summary = " {address}"] {
    address [n]byte [ws = "dns.aaaa", format = ipv6, doc = "16 bytes"]
    assert n == 16, "an AAAA record holds 16 bytes"
}

struct NSData [summary = " {ns}"] {
    ns Name [ws = "dns.ns"]
}

struct CNAMEData [summary = " {cname}"] {
    cname Name [ws = "dns.cname"]
}

struct PTRData [summary = " {ptrdname}"] {
    ptrdname Name [ws = "dns.ptr.domain_name"]
}

struct DNAMEData [summary = " {dname}"] {
    dname Name [ws = "dns.dname"]
}

struct MXData [summary = " {preference} {exchange}"] {
    preference u16  [ws = "dns.mx.preference"]
    exchange   Name [ws = "dns.mx.mail_exchange"]
}

struct SOAData [summary = " {mname}"] {
    mname   Name [ws = "dns.soa.mname", doc = "The primary name server"]
    rname   Name [ws = "dns.soa.rname", doc = "The mailbox of the person responsible"]
    serial  u32  [ws = "dns.soa.serial_number"]
    refresh u32  [ws = "dns.soa.refresh_interval", unit = "s"]
    retry   u32  [ws = "dns.soa.retry_interval", unit = "s"]
    expire  u32  [ws = "dns.soa.expire_limit", unit = "s"]
    minimum u32  [ws = "dns.soa.minimum_ttl", unit = "s"]
}

struct SRVData [summary = " {priority} {weight} {port}"] {
    priority u16  [ws = "dns.srv.priority"]
    weight   u16  [ws = "dns.srv.weight"]
    port     u16  [ws = "dns.srv.port"]
    target   Name [ws = "dns.srv.target"]
}

struct TXTData(n u16) {
    strings []CharacterString [size = n]
}

struct CharacterString [summary = "{text}"] {
    length u8           [ws = "dns.txt.length"]
    text   [length]utf8 [ws = "dns.txt"]
}

struct HINFOData(n u16) {
    strings []CharacterString [size = n, doc = "CPU and OS"]
}

struct CAAData(n u16) [summary = " {tag} {value}"] {
    flags      u8 [ws = "dns.caa.flags", base = hex, doc = "0x80: issuer critical"]
    tag_length u8 [ws = "dns.caa.tag_length"]
    tag        [tag_length]ascii [ws = "dns.caa.tag"]
    value      [n - 2 - tag_length]utf8 [ws = "dns.caa.value"]
}

// DNSSEC (RFC 4034, 5155). A signature's and a key's length is what is
// left of the record data, which starts at rdata_start.
enum DNSSECAlgorithm : u8 {
    rsamd5           = 1  "RSA/MD5"
    dh               = 2  "Diffie-Hellman"
    dsa              = 3  "DSA/SHA1"
    rsasha1          = 5  "RSA/SHA1"
    dsa_nsec3_sha1   = 6  "DSA-NSEC3-SHA1"
    rsasha1_nsec3    = 7  "RSASHA1-NSEC3-SHA1"
    rsasha256        = 8  "RSA/SHA-256"
    rsasha512        = 10 "RSA/SHA-512"
    ecc_gost         = 12 "GOST R 34.10-2001"
    ecdsap256sha256  = 13 "ECDSA Curve P-256 with SHA-256"
    ecdsap384sha384  = 14 "ECDSA Curve P-384 with SHA-384"
    ed25519          = 15 "Ed25519"
    ed448            = 16 "Ed448"
    indirect         = 252 "Indirect"
    privatedns       = 253 "Private DNS"
    privateoid       = 254 "Private OID"
}

struct RRSIGData(n u16) [summary = " {type_covered:label} {signers_name}"] {
    type_covered RRType          [ws = "dns.rrsig.type_covered"]
    algorithm    DNSSECAlgorithm [ws = "dns.rrsig.algorithm"]
    labels       u8              [ws = "dns.rrsig.labels", doc = "Labels of the owner name, without the root and a leading wildcard"]
    original_ttl u32             [ws = "dns.rrsig.original_ttl", unit = "s"]
    expiration   u32             [ws = "dns.rrsig.signature_expiration", time = unix]
    inception    u32             [ws = "dns.rrsig.signature_inception", time = unix]
    key_tag      u16             [ws = "dns.rrsig.key_tag"]
    signers_name Name            [ws = "dns.rrsig.signers_name"]
    assert offset() - offset(type_covered) <= n, "the signer's name must end inside the record data"
    signature    [n - (offset() - offset(type_covered))]byte [ws = "dns.rrsig.signature"]
}

// The key tag tshark shows (dns.dnskey.key_id) is a checksum of the whole
// record data (RFC 4034 Appendix B), not a field: not decoded.
struct DNSKEYData(n u16) [summary = " {algorithm:label}"] {
    flags      u16             [ws = "dns.dnskey.flags", base = hex]
    let zone_key           = (flags >> 8) & 1 [ws = "dns.dnskey.flags.zone_key"]
    let key_revoked        = (flags >> 7) & 1 [ws = "dns.dnskey.flags.key_revoked", doc = "RFC 5011"]
    let secure_entry_point = flags & 1        [ws = "dns.dnskey.flags.secure_entry_point", doc = "A key-signing key"]
    let reserved           = flags & 0xFE7E   [ws = "dns.dnskey.flags.reserved", base = hex]
    protocol   u8              [ws = "dns.dnskey.protocol", doc = "Always 3"]
    algorithm  DNSSECAlgorithm [ws = "dns.dnskey.algorithm"]
    assert n >= 4, "a DNSKEY record holds at least 4 bytes"
    public_key [n - 4]byte     [ws = "dns.dnskey.public_key"]
}

struct DSData(n u16) [summary = " {key_tag}"] {
    key_tag     u16             [ws = "dns.ds.key_id"]
    algorithm   DNSSECAlgorithm [ws = "dns.ds.algorithm"]
    digest_type u8              [ws = "dns.ds.digest_type", doc = "1: SHA-1, 2: SHA-256, 4: SHA-384"]
    assert n >= 4, "a DS record holds at least 4 bytes"
    digest      [n - 4]byte     [ws = "dns.ds.digest"]
}

// The type bitmap (RFC 4034 §4.1.2) lists record types as the bits of
// window blocks: bit i of byte k of window w is type w*256 + 8k + i. Each
// set bit is a let of the type it stands for, as tshark lists them
// (dns.resp.type).
struct NSECData(n u16) {
    next_domain_name Name [ws = "dns.nsec.next_domain_name"]
    assert offset() - offset(next_domain_name) <= n, "the next name must end inside the record data"
    type_bitmap      []TypeWindow [size = n - (offset() - offset(next_domain_name))]
}

struct TypeWindow [summary = "window {window}"] {
    window u8
    length u8
    let start = offset()
    bitmap [length]BitmapByte(window, start)
    assert length >= 1 && length <= 32, "a type bitmap window holds 1 to 32 bytes"
}

struct BitmapByte(window u8, start u16) {
    bits u8 [base = hex]
    let base = window * 256 + (offset() - 1 - start) * 8
    let t0 RRType = base     [if = bits & 0x80 != 0, ws = "dns.resp.type"]
    let t1 RRType = base + 1 [if = bits & 0x40 != 0, ws = "dns.resp.type"]
    let t2 RRType = base + 2 [if = bits & 0x20 != 0, ws = "dns.resp.type"]
    let t3 RRType = base + 3 [if = bits & 0x10 != 0, ws = "dns.resp.type"]
    let t4 RRType = base + 4 [if = bits & 0x08 != 0, ws = "dns.resp.type"]
    let t5 RRType = base + 5 [if = bits & 0x04 != 0, ws = "dns.resp.type"]
    let t6 RRType = base + 6 [if = bits & 0x02 != 0, ws = "dns.resp.type"]
    let t7 RRType = base + 7 [if = bits & 0x01 != 0, ws = "dns.resp.type"]
}

// The next hashed owner name is shown by tshark in base32hex; we show its
// bytes, so it is not mapped.
struct NSEC3Data(n u16) {
    algorithm   u8    [ws = "dns.nsec3.algo", doc = "1: SHA-1"]
    flags       u8    [ws = "dns.nsec3.flags", base = hex]
    let opt_out = flags & 1 [ws = "dns.nsec3.flags.opt_out"]
    iterations  u16   [ws = "dns.nsec3.iterations"]
    salt_length u8    [ws = "dns.nsec3.salt_length"]
    salt        [salt_length]byte [ws = "dns.nsec3.salt_value"]
    hash_length u8    [ws = "dns.nsec3.hash_length"]
    next_hashed_owner [hash_length]byte
    assert offset() - offset(algorithm) <= n, "the hash must end inside the record data"
    type_bitmap []TypeWindow [size = n - (offset() - offset(algorithm))]
}

// Transaction keys and signatures (RFC 2930, 8945).
struct TKEYData [summary = " {algorithm}"] {
    algorithm   Name [ws = "dns.tkey.algo_name"]
    inception   u32  [ws = "dns.tkey.signature_inception", time = unix]
    expiration  u32  [ws = "dns.tkey.signature_expiration", time = unix]
    mode        u16  [ws = "dns.tkey.mode", doc = "3: GSS-API negotiation"]
    error       u16  [ws = "dns.tkey.error"]
    key_size    u16  [ws = "dns.tkey.key_size"]
    key_data    [key_size]byte [ws = "dns.tkey.key_data"]
    other_size  u16  [ws = "dns.tkey.other_size"]
    other_data  [other_size]byte [ws = "dns.tkey.other_data"]
}

struct TSIGData [summary = " {algorithm}"] {
    algorithm   Name [ws = "dns.tsig.algorithm_name"]
    time_signed u48  [ws = "dns.tsig.time_signed", time = unix]
    fudge       u16  [ws = "dns.tsig.fudge", unit = "s"]
    mac_size    u16  [ws = "dns.tsig.mac_size"]
    mac         [mac_size]byte
    original_id u16  [ws = "dns.tsig.original_id", base = hex]
    error       u16  [ws = "dns.tsig.error"]
    other_len   u16  [ws = "dns.tsig.other_len"]
    other_data  [other_len]byte [ws = "dns.tsig.other_data"]
}

struct RawData(n u16) {
    data [n]byte [ws = "dns.data"]
}

// ---------------------------------------------------------------------
// Names: labels up to the root label or a compression pointer.

struct Name [summary = "{labels:join(.)}{root?}", value = summary] {
    labels [until last.kind != 0 || last.length == 0]Label
    // The root name alone (a lone zero byte) shows as Wireshark shows it.
    root RootName [if = u8(offset(labels)) == 0]
}

struct RootName [summary = "<Root>"] {}

struct Label [summary = "{value}"] {
    kind   b2 [doc = "0: a label of length bytes, 3: a pointer; 1 and 2 are not used"]
    length b6
    value switch kind {
        case 0: switch length {
            case 0:  RootLabel
            default: TextLabel(length)
        }
        case 3:  Pointer(length)
        default: ReservedLabel
    }
}

// The root label ending a name shows nothing: it adds no dot.
struct RootLabel {}

struct TextLabel(n u8) [summary = "{text:text}"] {
    text [n]ascii
}

// A compression pointer: the rest of the name is at an offset of the
// message; it shows that name.
//
// LANGUAGE GAP: every pointer followed is a positioned read, and a frame
// may make at most 256 of them (--max-hops), however often the same name
// is read again. A response of more than about 128 records whose names
// are compressed (large referrals, DNSSEC answers, zone transfers over
// TCP) stops with "limit reached" unless --max-hops is raised. Suggested:
// a per-protocol limits block (limits { max_hops 8192 }), or not counting
// a positioned read of a type at an offset already decoded in the frame.
struct Pointer(high u8) [summary = "{target}"] {
    low u8
    let offset = high << 8 | low
    target Name [at = offset]
}

struct ReservedLabel [summary = "reserved label type"] {
    assert false, "label types 01 and 10 are not used"
}

// The first question's type and name once more, for the summary.
struct QuestionText [summary = " {type:label} {name}"] {
    name Name
    type RRType
}
