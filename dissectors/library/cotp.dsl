// COTP: the connection-oriented transport protocol of ISO 8073 (ITU-T
// X.224), as carried in TPKT over TCP by RFC 1006 (class 0). A library of
// types: tpkt.dsl imports it.
//
// A TPDU is a length indicator (LI: the header length after LI itself), a
// header whose first byte holds the TPDU code in its high 4 bits, and user
// data up to the end of the TPKT. The user data of a DT TPDU goes to the
// protocol above, chosen by its first byte: 0x32 is S7comm. To hand another
// protocol its data, add a case to the payload switch of COTP and a struct
// like CotpS7comm.
//
// The header formats are the normal ones (7-bit TPDU numbers), which RFC
// 1006 class 0 uses; the extended formats of classes 2 to 4 are not
// described.

// Set once a connection carries ISO session traffic (MMS): then every DT
// TPDU's data goes to the mms stream.
state {
    iso_session bool = false
}

enum CotpType : b4 {
    ed = 0x1 "ED Expedited Data"
    ea = 0x2 "EA Expedited Data Acknowledgement"
    rj = 0x5 "RJ Reject"
    ak = 0x6 "AK Data Acknowledgement"
    er = 0x7 "ER TPDU Error"
    dr = 0x8 "DR Disconnect Request"
    dc = 0xC "DC Disconnect Confirm"
    cc = 0xD "CC Connect Confirm"
    cr = 0xE "CR Connect Request"
    dt = 0xF "DT Data"
}

struct COTP [summary = "{tpdu}{payload}"] {
    li   u8 [ws = "cotp.li", range = 1..254, doc = "Length indicator: bytes of header after this one"]
    tpdu switch u8(offset()) >> 4 {
        case 0xE, 0xD:      CotpConnect
        case 0x8:           CotpDisconnectRequest
        case 0xC:           CotpDisconnectConfirm
        case 0xF:           CotpData
        case 0x1:           CotpExpeditedData
        case 0x6, 0x2, 0x5: CotpAck
        case 0x7:           CotpError
        default:            CotpUnknown
    } [size = li]
    // A DT TPDU that ends a TSDU hands its user data to the protocol above,
    // chosen by the first byte; the user data of other TPDUs is shown as
    // bytes. The EOT bit is in the byte after the type (class 0) or after
    // the destination reference (classes 1 to 4).
    //
    // ISO session traffic (MMS) goes to the mms protocol as a stream, so
    // that the segments of a TSDU (EOT clear) arrive joined: every DT of a
    // connection once one segment or one session SPDU (CN, AC, RF, FN, DN,
    // AB, AA, GT/DT) was seen. The state variable is set in CotpSession.
    payload switch (u8(1) >> 4) != 0xF ? (remaining() == 0 ? 0 : 1) : remaining() == 0 ? 0 : state.iso_session || (u8(li < 4 ? 2 : 4) & 0x80) == 0 ? 2 : u8(offset()) == 0x32 ? 3 : u8(offset()) == 0x01 || u8(offset()) == 0x09 || u8(offset()) == 0x0A || (u8(offset()) >= 0x0C && u8(offset()) <= 0x0E) || u8(offset()) == 0x19 || u8(offset()) == 0x1A ? 2 : 4 {
        case 0:  CotpNoData
        case 1:  CotpUserData
        case 2:  CotpSession
        case 3:  CotpS7comm
        case 4:  CotpDataUnit
    }
}

// CR and CC: connection request and confirm.
struct CotpConnect [summary = "{type:label} src-ref: {src_ref} dst-ref: {dst_ref}"] {
    type     CotpType [ws = "cotp.type"]
    credit   b4       [doc = "Initial credit (CDT); 0 in class 0"]
    dst_ref  u16      [ws = "cotp.destref", base = hex]
    src_ref  u16      [ws = "cotp.srcref", base = hex]
    class    b4       [ws = "cotp.class", doc = "Protocol class: 0 for RFC 1006"]
    reserved b2
    extended_formats         b1 [ws = "cotp.opts.extended_formats"]
    no_explicit_flow_control b1 [ws = "cotp.opts.no_explicit_flow_control"]
    params   []CotpParameter
}

enum DisconnectReason : u8 {
    normal             = 0x80 "Normal disconnect initiated by the session entity"
    congestion         = 0x81 "Remote transport entity congestion at connect request time"
    negotiation_failed = 0x82 "Connection negotiation failed"
    duplicate_ref      = 0x83 "Duplicate source reference detected"
    mismatched_refs    = 0x84 "Mismatched references"
    protocol_error     = 0x85 "Protocol error"
    ref_overflow       = 0x87 "Reference overflow"
    refused            = 0x88 "Connection request refused on this network connection"
    bad_header_length  = 0x8A "Header or parameter length invalid"
    not_specified      = 0x00 "Reason not specified"
    tsap_congestion    = 0x01 "Congestion at TSAP"
    no_session_entity  = 0x02 "Session entity not attached to TSAP"
    unknown_address    = 0x03 "Address unknown"
}

struct CotpDisconnectRequest [summary = "{type} src-ref: {src_ref} dst-ref: {dst_ref}, {reason}"] {
    type    CotpType [ws = "cotp.type"]
    zero    b4
    dst_ref u16      [ws = "cotp.destref", base = hex]
    src_ref u16      [ws = "cotp.srcref", base = hex]
    reason  DisconnectReason [ws = "cotp.cause"]
    params  []CotpParameter
}

struct CotpDisconnectConfirm [summary = "{type} src-ref: {src_ref} dst-ref: {dst_ref}"] {
    type    CotpType [ws = "cotp.type"]
    zero    b4
    dst_ref u16      [ws = "cotp.destref", base = hex]
    src_ref u16      [ws = "cotp.srcref", base = hex]
    params  []CotpParameter
}

// DT: data, with the end-of-TSDU mark and the TPDU number. In class 0 the
// header is these two bytes; other classes add the destination reference
// before the number. The summary is the user data's.
struct CotpData {
    type        CotpType [ws = "cotp.type"]
    zero        b4
    dst_ref     u16      [if = remaining() >= 3, ws = "cotp.destref", base = hex, doc = "Classes 1 to 4 only"]
    eot         b1       [ws = "cotp.eot", doc = "Last data unit of the TSDU"]
    tpdu_number b7       [ws = "cotp.tpdu-number"]
    params      []CotpParameter
}

// ED: expedited data.
struct CotpExpeditedData [summary = "{type}"] {
    type        CotpType [ws = "cotp.type"]
    zero        b4
    dst_ref     u16      [ws = "cotp.destref", base = hex]
    eot         b1       [ws = "cotp.eot"]
    tpdu_number b7       [ws = "cotp.tpdu-number"]
    params      []CotpParameter
}

// AK, EA and RJ: acknowledgements and reject, with the next expected TPDU
// number.
struct CotpAck [summary = "{type} ({next_tpdu_number})"] {
    type             CotpType [ws = "cotp.type"]
    credit           b4
    dst_ref          u16      [ws = "cotp.destref", base = hex]
    reserved         b1
    next_tpdu_number b7       [ws = "cotp.next-tpdu-number"]
    params           []CotpParameter
}

enum RejectCause : u8 {
    not_specified     = 0 "Reason not specified"
    invalid_parameter = 1 "Invalid parameter code"
    invalid_tpdu_type = 2 "Invalid TPDU type"
    invalid_value     = 3 "Invalid parameter value"
}

struct CotpError [summary = "{type}: {cause}"] {
    type    CotpType    [ws = "cotp.type"]
    zero    b4
    dst_ref u16         [ws = "cotp.destref", base = hex]
    cause   RejectCause [ws = "cotp.reject_cause"]
    params  []CotpParameter
}

struct CotpUnknown [summary = "{type}"] {
    type   CotpType [ws = "cotp.type"]
    low    b4
    header []byte
}

enum CotpParameterCode : u8 {
    ack_time            = 0x85 "Acknowledge time"
    residual_error_rate = 0x86 "Residual error rate"
    priority            = 0x87 "Priority"
    transit_delay       = 0x88 "Transit delay"
    throughput          = 0x89 "Throughput"
    subsequence_number  = 0x8A "Subsequence number"
    reassignment_time   = 0x8B "Reassignment time"
    flow_control        = 0x8C "Flow control confirmation"
    selective_ack       = 0x8F "Selective acknowledgement"
    tpdu_size           = 0xC0 "TPDU size"
    calling_tsap        = 0xC1 "Calling TSAP (source)"
    called_tsap         = 0xC2 "Called TSAP (destination)"
    checksum            = 0xC3 "Checksum"
    version             = 0xC4 "Version number"
    protection          = 0xC5 "Protection parameters"
    additional_options  = 0xC6 "Additional option selection"
    alternative_classes = 0xC7 "Alternative protocol classes"
    additional_info     = 0xE0 "Additional information"
    preferred_tpdu_size = 0xF0 "Preferred maximum TPDU size"
    inactivity_timer    = 0xF2 "Inactivity timer"
}

enum TPDUSize : u8 {
    s128  = 0x07 "128"
    s256  = 0x08 "256"
    s512  = 0x09 "512"
    s1024 = 0x0A "1024"
    s2048 = 0x0B "2048"
    s4096 = 0x0C "4096"
    s8192 = 0x0D "8192"
}

struct CotpParameter [summary = "{code}: {value}"] {
    code   CotpParameterCode [ws = "cotp.parameter_code"]
    length u8                [ws = "cotp.parameter_length"]
    value switch code {
        case tpdu_size:           TPDUSize
        case calling_tsap:        CotpCallingTSAP
        case called_tsap:         CotpCalledTSAP
        case version:             u8
        case checksum:            u16
        case ack_time:            u16
        case inactivity_timer:    u32
        case preferred_tpdu_size: CotpPreferredSize
        case additional_options:  CotpAdditionalOptions
        default:                  []byte
    } [size = length, ws = "cotp.parameter_value"]
}

// A TSAP: bytes, for S7 a connection type and rack/slot (0x01 0x02), for
// MMS often text.
struct CotpCallingTSAP [summary = "{tsap}"] {
    tsap []byte [ws = "cotp.src-tsap-bytes"]
}

struct CotpCalledTSAP [summary = "{tsap}"] {
    tsap []byte [ws = "cotp.dst-tsap-bytes"]
}

// The preferred maximum TPDU size, in units of 128 bytes.
struct CotpPreferredSize [summary = "{units}"] {
    units []byte [doc = "Big-endian number of 128-byte units"]
}

struct CotpAdditionalOptions {
    reserved                       b4
    network_expedited_data         b1 [ws = "cotp.network_expedited_data"]
    receipt_confirmation           b1 [ws = "cotp.vp_opt_sel_class1_use"]
    checksum_16bit                 b1 [ws = "cotp.use_16_bit_checksum"]
    transport_expedited_data       b1 [ws = "cotp.transport_expedited_data_transfer"]
}

// ---------------------------------------------------------------------------
// User data

// No user data.
struct CotpNoData {
}

// User data of a TPDU other than DT (rare): shown as bytes.
struct CotpUserData [summary = ", user data {data}"] {
    data []byte
}

// A whole TSDU in one DT TPDU that no protocol above is chosen for: shown as
// bytes.
struct CotpDataUnit [summary = "DT TPDU, {data}"] {
    data []byte
}

// Data for the ISO session layer: appended to the connection's mms
// stream (mms.dsl), whose framing finds the SPDUs, so a TSDU sent in
// several DT TPDUs is decoded once whole.
struct CotpSession [summary = "DT TPDU, ISO session data ({size} bytes)"] {
    set state.iso_session = true
    let size = remaining()
    data []byte [stream = "mms"]
}

// LANGUAGE GAP: a switch case cannot carry [decode = ...], so each protocol
// above needs a one-field struct like this one.
struct CotpS7comm [summary = "S7comm {s7comm}"] {
    s7comm []byte [decode = "s7comm"]
}
