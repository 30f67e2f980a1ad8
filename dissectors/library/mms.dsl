// MMS (ISO 9506, the Manufacturing Message Specification, as IEC 61850
// uses it) over the OSI upper layers: ISO session (X.225), presentation
// (X.226) and ACSE (X.227), carried in COTP data by TPKT on port 102.
//
// This protocol has no port: tpkt.dsl streams the user data of COTP DT
// TPDUs here (CotpSession in cotp.dsl) once a connection carries ISO
// session traffic, so the data of a TSDU that COTP sent in several
// segments (EOT clear) arrives joined. The framing finds the SPDUs in that
// stream: CN, AC, RF, FN, DN, AB and AA by their length indicator; a Give
// Tokens + Data Transfer pair by the BER length of the presentation PPDU
// that follows it.
//
// Presentation and ACSE PDUs and the MMS PDU are BER. They are shown as a
// BER tree (class, constructed bit, tag number, length, value, nested
// elements; long-form and indefinite lengths) in which each element knows
// its role from its parent and its tag: the CP/CPA parameters, the
// fully-encoded user data and its PDV list, the ACSE APDU, its
// user-information EXTERNAL, and the MMS PDU, named with its invokeID and
// confirmed service. Confirmed requests and responses pair by invokeID.

protocol mms {
    title       "ISO session/presentation/MMS"
    description "MMS (ISO 9506, IEC 61850) over ISO session, presentation and ACSE, streamed from COTP data on port 102"
    transport   tcp
    endian      big
    wireshark   "mms"
    message     Session
}

// A Give Tokens SPDU (01 00) followed by a Data Transfer SPDU (01 00): the
// presentation PPDU after them is a BER element, tag byte 0x61. Any other
// SPDU: its length indicator, one byte or 0xFF and two bytes.
framing {
    size u8(0) == 0x01 && u8(1) == 0 && u8(2) == 0x01 && u8(3) == 0 ? 5 + ber_length_len(5) + ber_length(5) : u8(0) == 0x01 && u8(1) == 0 ? 3 + ber_length_len(3) + ber_length(3) : u8(1) == 0xFF ? 4 + u16(2) : 2 + u8(1)
    min  2
    max  1048576
}

// What the BER tree found in the frame, for the summary and for pairing:
// set as the MMS PDU decodes, reset at the start of each frame.
state {
    pdu      u8  = 255 // the MMS PDU's tag; 255: none
    invoke   s64 = -1  // its invokeID
    service  u8  = 255 // the confirmed service's tag
}

// ---------------------------------------------------------------------------
// Session (ITU-T X.225)

enum SpduType : u8 {
    dt = 1  "DT Data Transfer / GT Give Tokens"
    nf = 8  "NF Not Finished"
    fn = 9  "FN Finish"
    dn = 10 "DN Disconnect"
    rf = 12 "RF Refuse"
    cn = 13 "CN Connect"
    ac = 14 "AC Accept"
    ab = 25 "AB Abort"
    aa = 26 "AA Abort Accept"
}

enum SesParameterCode : u8 {
    connection_id       = 1   "Connection Identifier"
    connect_accept      = 5   "Connect/Accept Item"
    token_item          = 16  "Token Item"
    transport_disconnect = 17 "Transport Disconnect"
    protocol_options    = 19  "Protocol Options"
    session_requirement = 20  "Session Requirement"
    tsdu_max_size       = 21  "TSDU Maximum Size"
    version_number      = 22  "Version Number"
    initial_serial      = 23  "Initial Serial Number"
    token_setting       = 26  "Token Setting Item"
    reason_code         = 50  "Reason Code"
    calling_ssel        = 51  "Calling Session Selector"
    called_ssel         = 52  "Called Session Selector"
    data_overflow       = 60  "Data Overflow"
    user_data           = 193 "Session User Data"
    extended_user_data  = 194 "Extended User Data"
}

// One frame: an SPDU (for data, Give Tokens then Data Transfer) and the
// presentation PPDU it carries.
struct Session [summary = "{spdu}{mms?}"] {
    set state.pdu = 255
    set state.invoke = -1
    set state.service = 255
    spdu      SpduType [ws = "ses.type"]
    assert spdu == SpduType.dt || (spdu >= SpduType.nf && spdu <= SpduType.dn) || (spdu >= SpduType.rf && spdu <= SpduType.ac) || spdu == SpduType.ab || spdu == SpduType.aa, "not an SPDU used on a connection: unknown SI"
    length_byte u8 [hidden]
    length_ext  u16 [hidden, if = length_byte == 0xFF]
    let length = length_byte == 0xFF ? length_ext : length_byte [ws = "ses.length", doc = "Bytes of parameters that follow"]
    parameters []SesParameter [size = length]
    data_transfer DataTransferSPDU [if = spdu == SpduType.dt && remaining() >= 2 && u8(offset()) == 0x01]
    user_data BerNode(0) [if = spdu == SpduType.dt && remaining() > 0, doc = "The presentation PPDU"]
    mms MmsInfo [if = state.pdu != 255]
    pair request  state.invoke [if = state.pdu == MmsPduType.confirmed_request && state.invoke >= 0]
    pair response state.invoke [if = (state.pdu == MmsPduType.confirmed_response || state.pdu == MmsPduType.confirmed_error) && state.invoke >= 0]
}

// What the frame's MMS PDU is, found in the BER tree.
struct MmsInfo [summary = ", {pdu}{invoke?}{service?}"] {
    let pdu MmsPduType = state.pdu
    invoke  MmsInvoke [if = state.invoke >= 0]
    service MmsService [if = state.service != 255]
}

struct MmsInvoke [summary = " invokeID {invoke_id}"] {
    let invoke_id = state.invoke
}

struct MmsService [summary = ", {service}"] {
    let service ConfirmedService = state.service
}

// The Data Transfer SPDU after Give Tokens: no parameters in MMS.
struct DataTransferSPDU {
    spdu        SpduType = dt [ws = "ses.type"]
    length      u8 [ws = "ses.length", range = 0..254]
    parameters  [length]byte
}

// A parameter (PI) or parameter group (PGI): code, length, value.
struct SesParameter [summary = "{code}"] {
    code        SesParameterCode [ws = "ses.parameter_type"]
    length_byte u8 [hidden]
    length_ext  u16 [hidden, if = length_byte == 0xFF]
    let length = length_byte == 0xFF ? length_ext : length_byte [ws = "ses.parameter_length"]
    value switch code {
        case connection_id, connect_accept: SesParameterGroup
        case protocol_options:    SesFlags8
        case version_number:      SesVersion
        case session_requirement: SesRequirement
        case calling_ssel:        SesCallingSelector
        case called_ssel:         SesCalledSelector
        case user_data, extended_user_data: BerNode(0)
        default:                  []byte
    } [size = length]
}

struct SesParameterGroup {
    parameters [while remaining() > 0]SesParameter
}

struct SesFlags8 {
    flags u8 [ws = "ses.connect.flags", base = hex]
}

struct SesVersion {
    flags u8 [ws = "ses.version.flags", base = hex, doc = "Bit 2: version 2, bit 1: version 1"]
}

struct SesRequirement {
    flags u16 [ws = "ses.req.flags", base = hex, doc = "Functional units; 0x0002 is duplex"]
}

struct SesCallingSelector {
    selector []byte [ws = "ses.calling_session_selector"]
}

struct SesCalledSelector {
    selector []byte [ws = "ses.called_session_selector"]
}

// ---------------------------------------------------------------------------
// BER (ITU-T X.690) with roles

enum BerClass : b2 {
    universal   = 0 "Universal"
    application = 1 "Application"
    context     = 2 "Context"
    private     = 3 "Private"
}

// The top-level MMS PDU: the context tag of MMSpdu's CHOICE.
enum MmsPduType : u8 {
    confirmed_request  = 0  "confirmed-RequestPDU"
    confirmed_response = 1  "confirmed-ResponsePDU"
    confirmed_error    = 2  "confirmed-ErrorPDU"
    unconfirmed        = 3  "unconfirmed-PDU"
    reject             = 4  "rejectPDU"
    cancel_request     = 5  "cancel-RequestPDU"
    cancel_response    = 6  "cancel-ResponsePDU"
    cancel_error       = 7  "cancel-ErrorPDU"
    initiate_request   = 8  "initiate-RequestPDU"
    initiate_response  = 9  "initiate-ResponsePDU"
    initiate_error     = 10 "initiate-ErrorPDU"
    conclude_request   = 11 "conclude-RequestPDU"
    conclude_response  = 12 "conclude-ResponsePDU"
    conclude_error     = 13 "conclude-ErrorPDU"
}

// The confirmed services: the context tag of ConfirmedServiceRequest and
// ConfirmedServiceResponse.
enum ConfirmedService : u8 {
    status                          = 0  "status"
    get_name_list                   = 1  "getNameList"
    identify                        = 2  "identify"
    rename                          = 3  "rename"
    read                            = 4  "read"
    write                           = 5  "write"
    get_variable_access_attributes  = 6  "getVariableAccessAttributes"
    define_named_variable           = 7  "defineNamedVariable"
    define_scattered_access         = 8  "defineScatteredAccess"
    get_scattered_access_attributes = 9  "getScatteredAccessAttributes"
    delete_variable_access          = 10 "deleteVariableAccess"
    define_named_variable_list      = 11 "defineNamedVariableList"
    get_named_variable_list_attributes = 12 "getNamedVariableListAttributes"
    delete_named_variable_list      = 13 "deleteNamedVariableList"
    define_named_type               = 14 "defineNamedType"
    get_named_type_attributes       = 15 "getNamedTypeAttributes"
    delete_named_type               = 16 "deleteNamedType"
    input                           = 17 "input"
    output                          = 18 "output"
    take_control                    = 19 "takeControl"
    relinquish_control              = 20 "relinquishControl"
    define_semaphore                = 21 "defineSemaphore"
    delete_semaphore                = 22 "deleteSemaphore"
    report_semaphore_status         = 23 "reportSemaphoreStatus"
    report_pool_semaphore_status    = 24 "reportPoolSemaphoreStatus"
    report_semaphore_entry_status   = 25 "reportSemaphoreEntryStatus"
    initiate_download_sequence      = 26 "initiateDownloadSequence"
    download_segment                = 27 "downloadSegment"
    terminate_download_sequence     = 28 "terminateDownloadSequence"
    initiate_upload_sequence        = 29 "initiateUploadSequence"
    upload_segment                  = 30 "uploadSegment"
    terminate_upload_sequence       = 31 "terminateUploadSequence"
    request_domain_download         = 32 "requestDomainDownload"
    request_domain_upload           = 33 "requestDomainUpload"
    load_domain_content             = 34 "loadDomainContent"
    store_domain_content            = 35 "storeDomainContent"
    delete_domain                   = 36 "deleteDomain"
    get_domain_attributes           = 37 "getDomainAttributes"
    create_program_invocation       = 38 "createProgramInvocation"
    delete_program_invocation       = 39 "deleteProgramInvocation"
    start                           = 40 "start"
    stop                            = 41 "stop"
    resume                          = 42 "resume"
    reset                           = 43 "reset"
    kill                            = 44 "kill"
    get_program_invocation_attributes = 45 "getProgramInvocationAttributes"
    obtain_file                     = 46 "obtainFile"
    define_event_condition          = 47 "defineEventCondition"
    delete_event_condition          = 48 "deleteEventCondition"
    get_event_condition_attributes  = 49 "getEventConditionAttributes"
    report_event_condition_status   = 50 "reportEventConditionStatus"
    alter_event_condition_monitoring = 51 "alterEventConditionMonitoring"
    trigger_event                   = 52 "triggerEvent"
    define_event_action             = 53 "defineEventAction"
    delete_event_action             = 54 "deleteEventAction"
    get_event_action_attributes     = 55 "getEventActionAttributes"
    report_event_action_status      = 56 "reportEventActionStatus"
    define_event_enrollment         = 57 "defineEventEnrollment"
    delete_event_enrollment         = 58 "deleteEventEnrollment"
    alter_event_enrollment          = 59 "alterEventEnrollment"
    report_event_enrollment_status  = 60 "reportEventEnrollmentStatus"
    get_event_enrollment_attributes = 61 "getEventEnrollmentAttributes"
    acknowledge_event_notification  = 62 "acknowledgeEventNotification"
    get_alarm_summary               = 63 "getAlarmSummary"
    get_alarm_enrollment_summary    = 64 "getAlarmEnrollmentSummary"
    read_journal                    = 65 "readJournal"
    write_journal                   = 66 "writeJournal"
    initialize_journal              = 67 "initializeJournal"
    report_journal_status           = 68 "reportJournalStatus"
    create_journal                  = 69 "createJournal"
    delete_journal                  = 70 "deleteJournal"
    get_capability_list             = 71 "getCapabilityList"
    file_open                       = 72 "fileOpen"
    file_read                       = 73 "fileRead"
    file_close                      = 74 "fileClose"
    file_rename                     = 75 "fileRename"
    file_delete                     = 76 "fileDelete"
    file_directory                  = 77 "fileDirectory"
}

// The ACSE APDUs (X.227): the application tag.
enum AcseApdu : u8 {
    aarq = 0 "AARQ (A-ASSOCIATE request)"
    aare = 1 "AARE (A-ASSOCIATE response)"
    rlrq = 2 "RLRQ (A-RELEASE request)"
    rlre = 3 "RLRE (A-RELEASE response)"
    abrt = 4 "ABRT (A-ABORT)"
}

// The role of an element in the OSI upper-layer PDUs, from its parent's
// role and its own class and tag.
enum BerRole : u8 {
    ppdu          = 0  "presentation PPDU"
    cp            = 1  "CP-type / CPA-PPDU"
    normal_mode   = 2  "normal-mode-parameters"
    user_data     = 3  "fully-encoded-data"
    pdv           = 4  "PDV-list"
    context_id    = 5  "presentation-context-identifier"
    pdv_data      = 6  "single-ASN1-type"
    acse          = 7  "ACSE APDU"
    user_info     = 8  "user-information"
    external      = 9  "EXTERNAL"
    context_list  = 10 "presentation-context-definition-(result-)list"
    context_item  = 11 "context list item"
    item_context_id = 12 "presentation-context-identifier"
    external_data = 13 "single-ASN1-type"
    invoke_id     = 21 "invokeID"
    request_service  = 22 "confirmedServiceRequest"
    response_service = 23 "confirmedServiceResponse"
    mms_confirmed_request  = 30 "MMS confirmed-RequestPDU"
    mms_confirmed_response = 31 "MMS confirmed-ResponsePDU"
    mms_confirmed_error    = 32 "MMS confirmed-ErrorPDU"
    mms_other              = 33 "MMS PDU"
    element       = 99 "element"
}

// One BER element: identifier (class, constructed, tag number in one, two
// or three bytes), length (short, long of up to 4 bytes, or indefinite for
// a constructed element), then the contents: nested elements or a value.
struct BerNode(parent u8) [summary = "{name?}{pdu?}{invoke_id?}{service?}{service_response?}{acse?}{integer?}{text?}"] {
    class       BerClass
    constructed b1
    number      b5
    tag_high1   u8 [hidden, if = number == 31]
    tag_high2   u8 [hidden, if = number == 31 && (tag_high1 & 0x80) != 0]
    assert number != 31 || (tag_high1 & 0x80) == 0 || (tag_high2 & 0x80) == 0, "BER tag number of more than two bytes"
    let tag = number != 31 ? number : (tag_high1 & 0x80) == 0 ? tag_high1 : ((tag_high1 & 0x7F) << 7) | tag_high2
    length_byte u8 [hidden]
    assert length_byte != 0xFF && length_byte <= 0x84, "BER length of more than four bytes"
    long_length switch length_byte {
        case 0x81: u8
        case 0x82: u16
        case 0x83: u24
        case 0x84: u32
    } [hidden, if = length_byte > 0x80]
    let indefinite = length_byte == 0x80 [hidden]
    assert !indefinite || constructed == 1, "indefinite length on a primitive element"
    let length = length_byte < 0x80 ? length_byte : indefinite ? 0 : long_length
    let eoc = class == BerClass.universal && constructed == 0 && tag == 0 && length_byte == 0 [hidden]
    let universal = class == BerClass.universal [hidden]
    let ctx = class == BerClass.context [hidden]
    let app = class == BerClass.application [hidden]
    let is_integer = universal && constructed == 0 && (tag == 2 || tag == 10) && length >= 1 && length <= 8 [hidden]
    // Below the named elements (most of an MMS PDU) everything is a plain
    // element: that case comes first.
    let role BerRole =
        parent == 99 || (parent >= 21 && parent <= 23) ? 99 :
        parent == 0  ? (universal && tag == 17 ? 1 : app && tag == 1 ? 3 : 99) :
        parent == 1  ? (ctx && tag == 2 ? 2 : 99) :
        parent == 2  ? (app && tag == 1 ? 3 : ctx && (tag == 4 || tag == 5) ? 10 : 99) :
        parent == 10 ? (universal && tag == 16 ? 11 : 99) :
        parent == 11 ? (universal && tag == 2 ? 12 : 99) :
        parent == 3  ? (universal && tag == 16 ? 4 : 99) :
        parent == 4  ? (universal && tag == 2 ? 5 : ctx && tag == 0 ? 6 : 99) :
        parent == 6  ? (app && tag <= 4 ? 7 : ctx && tag <= 13 ? (tag <= 2 ? 30 + tag : 33) : 99) :
        parent == 7  ? (ctx && tag == 30 ? 8 : 99) :
        parent == 8  ? (universal && tag == 8 ? 9 : 99) :
        parent == 9  ? (ctx && tag == 0 ? 13 : 99) :
        parent == 13 ? (ctx && tag <= 13 ? (tag <= 2 ? 30 + tag : 33) : 99) :
        parent == 30 ? (universal && tag == 2 ? 21 : ctx ? 22 : 99) :
        parent == 31 ? (universal && tag == 2 ? 21 : ctx ? 23 : 99) :
        parent == 32 ? (universal && tag == 2 ? 21 : 99) :
        99
    integer switch length {
        case 1: s8
        case 2: s16
        case 3: s24
        case 4: s32
        case 5: s40
        case 6: s48
        case 7: s56
        case 8: s64
    } [at = offset(), if = is_integer]
    let name BerRole = role [if = role != BerRole.element && role < 30 && role != BerRole.invoke_id && role != BerRole.request_service && role != BerRole.response_service]
    let pdu MmsPduType = tag [if = role >= 30 && role <= 33]
    let invoke_id = integer [ws = "mms.invokeID", if = role == BerRole.invoke_id && is_integer]
    let service ConfirmedService = tag [ws = "mms.confirmedServiceRequest", if = role == BerRole.request_service]
    let service_response ConfirmedService = tag [ws = "mms.confirmedServiceResponse", if = role == BerRole.response_service]
    let acse AcseApdu = tag [if = role == BerRole.acse]
    let context_id = integer [ws = "pres.presentation_context_identifier", if = (role == BerRole.context_id || role == BerRole.item_context_id) && is_integer]
    set state.pdu = tag [if = role >= 30 && role <= 33]
    set state.invoke = integer [if = role == BerRole.invoke_id && is_integer]
    set state.service = tag [if = role == BerRole.request_service || role == BerRole.response_service]
    elements []BerNode(role) [if = constructed == 1 && !indefinite, size = length]
    elements_until_eoc [until last.eoc]BerNode(role) [if = indefinite]
    text  [length]utf8 [if = universal && constructed == 0 && (tag == 12 || tag == 19 || tag == 22 || tag == 26)]
    value [length]byte [if = constructed == 0 && !(universal && (tag == 12 || tag == 19 || tag == 22 || tag == 26))]
}
