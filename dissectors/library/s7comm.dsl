// S7comm: the Siemens S7 communication protocol (S7-300/400 and compatible
// PLCs), carried in COTP DT TPDUs over TPKT on port 102. The port belongs
// to the tpkt dissector (tpkt.dsl), whose COTP layer (cotp.dsl) hands
// every DT user data starting with 0x32 to this protocol. S7comm-plus
// (0x72, S7-1200/1500) is not described.
//
// There is no public specification; the layout follows Wireshark's
// packet-s7comm.c. A PDU is a header (10 bytes, 12 with the error class and
// code of Ack and Ack_Data), a parameter part and a data part, whose
// lengths the header gives.

protocol s7comm {
    title       "S7comm"
    description "Siemens S7 communication (inside COTP; port 102 is decoded by tpkt)"
    transport   tcp
    endian      big
    wireshark   "s7comm"
    message     S7PDU
}

// Not used when S7comm is reached through TPKT/COTP; lets a stream of bare
// S7comm PDUs be decoded with --decode-as.
framing {
    magic 0x32
    size  (u8(1) == 2 || u8(1) == 3 ? 12 : 10) + u16(6) + u16(8)
    min   10
    max   65535
}

enum ROSCTR : u8 {
    job      = 1 "Job"
    ack      = 2 "Ack"
    ack_data = 3 "Ack_Data"
    userdata = 7 "Userdata"
}

enum ErrorClass : u8 {
    no_error          = 0x00 "No error"
    application       = 0x81 "Application relationship error"
    object_definition = 0x82 "Object definition error"
    no_resources      = 0x83 "No resources available"
    service           = 0x84 "Error on service processing"
    supplies          = 0x85 "Error on supplies"
    access            = 0x87 "Access error"
}

enum Function : u8 {
    cpu_services      = 0x00 "CPU services"
    setup_comm        = 0xF0 "Setup communication"
    read_var          = 0x04 "Read Var"
    write_var         = 0x05 "Write Var"
    request_download  = 0x1A "Request download"
    download_block    = 0x1B "Download block"
    download_ended    = 0x1C "Download ended"
    start_upload      = 0x1D "Start upload"
    upload            = 0x1E "Upload"
    end_upload        = 0x1F "End upload"
    pi_service        = 0x28 "PI-Service"
    plc_stop          = 0x29 "PLC Stop"
}

// The header fields sit at fixed offsets of the PDU: ROSCTR at 1, the
// parameter length at 6 and the data length at 8. The expressions below
// read them there because a field inside a switch cannot be named.
// LANGUAGE GAP: header.param_length cannot reach a field of the struct a
// switch chose, even when every case has it.
struct S7PDU [summary = "{header}{param}"] {
    header switch u8(1) {
        case 1:    S7JobHeader
        case 2, 3: S7AckHeader
        default:   S7Header
    } [ws = "s7comm.header"]
    param switch u16(6) == 0 ? 0 : u8(1) == 7 ? 0x700 : u8(1) * 256 + u8(offset()) {
        case 0:            S7NoParam
        case 0x104:        ReadVarRequest
        case 0x105:        WriteVarRequest
        case 0x304, 0x305: VarResponse
        case 0x1F0, 0x3F0: SetupCommunication
        case 0x700:        UserdataParam
        default:           OtherParam
    } [size = u16(6), ws = "s7comm.param"]
    data switch u8(1) == 7 ? 0x700 : u16(6) == 0 ? 0 : u8(1) * 256 + u8(offset(param)) {
        case 0x105, 0x304: []DataItem
        case 0x305:        []WriteReturnCode
        case 0x700:        UserdataData
        default:           S7RawData
    } [if = u16(8) > 0, size = u16(8), ws = "s7comm.data"]
}

// A Job asks; the Ack or Ack_Data with the same PDU reference answers.
struct S7JobHeader [summary = "{rosctr:label} #{pdu_ref}"] {
    protocol_id  u8 = 0x32 [ws = "s7comm.header.protid", base = hex]
    rosctr       ROSCTR    [ws = "s7comm.header.rosctr", doc = "Remote operating service control: the kind of PDU"]
    reserved     u16       [ws = "s7comm.header.redid", doc = "Redundancy identification (reserved)"]
    pdu_ref      u16       [ws = "s7comm.header.pduref", doc = "Pairs an Ack_Data with its Job"]
    param_length u16       [ws = "s7comm.header.parlg"]
    data_length  u16       [ws = "s7comm.header.datlg"]
    pair request pdu_ref
}

struct S7AckHeader [summary = "{rosctr:label} #{pdu_ref} [{error_class:label}]"] {
    protocol_id  u8 = 0x32 [ws = "s7comm.header.protid", base = hex]
    rosctr       ROSCTR    [ws = "s7comm.header.rosctr"]
    reserved     u16       [ws = "s7comm.header.redid"]
    pdu_ref      u16       [ws = "s7comm.header.pduref"]
    param_length u16       [ws = "s7comm.header.parlg"]
    data_length  u16       [ws = "s7comm.header.datlg"]
    error_class  ErrorClass [ws = "s7comm.header.errcls"]
    error_code   u8         [ws = "s7comm.header.errcod", base = hex]
    // Wireshark repeats a non-zero class and code as one 16-bit parameter
    // error code (its error text table is keyed by both bytes).
    let error = error_class * 256 + error_code [if = error_class != 0 || error_code != 0, ws = "s7comm.param.errcod", base = hex]
    pair response pdu_ref
}

// Userdata (and unknown ROSCTR values).
struct S7Header [summary = "{rosctr:label} #{pdu_ref}"] {
    protocol_id  u8 = 0x32 [ws = "s7comm.header.protid", base = hex]
    rosctr       ROSCTR    [ws = "s7comm.header.rosctr"]
    reserved     u16       [ws = "s7comm.header.redid"]
    pdu_ref      u16       [ws = "s7comm.header.pduref"]
    param_length u16       [ws = "s7comm.header.parlg"]
    data_length  u16       [ws = "s7comm.header.datlg"]
}

// ---------------------------------------------------------------------------
// Parameters of Job and Ack_Data

// An Ack or Ack_Data with no parameter part.
// LANGUAGE GAP: a summary shows "?" for an absent field, so the parameter
// part is never absent: an empty one is this struct.
struct S7NoParam {
}

struct SetupCommunication [summary = ", {function:label}, PDU length {pdu_length}"] {
    function        Function [ws = "s7comm.param.func"]
    reserved        u8       [ws = "s7comm.param.setup_reserved1"]
    max_amq_calling u16      [ws = "s7comm.param.maxamq_calling", doc = "Parallel jobs with acknowledgement, calling side"]
    max_amq_called  u16      [ws = "s7comm.param.maxamq_called", doc = "Parallel jobs with acknowledgement, called side"]
    pdu_length      u16      [ws = "s7comm.param.pdu_length", doc = "Largest PDU"]
}

struct ReadVarRequest [summary = ", {function:label}, {items}"] {
    function   Function          [ws = "s7comm.param.func"]
    item_count u8                [ws = "s7comm.param.itemcount"]
    items      [item_count]Item  [ws = "s7comm.param.item"]
}

struct WriteVarRequest [summary = ", {function:label}, {items}"] {
    function   Function          [ws = "s7comm.param.func"]
    item_count u8                [ws = "s7comm.param.itemcount"]
    items      [item_count]Item  [ws = "s7comm.param.item"]
}

// The parameter of a Read Var or Write Var Ack_Data: the items are in the
// data part.
struct VarResponse [summary = ", {function:label}, {item_count} item(s)"] {
    function   Function [ws = "s7comm.param.func"]
    item_count u8       [ws = "s7comm.param.itemcount"]
}

// Block upload and download, PI services, PLC stop: the parameter is
// shown as bytes.
struct OtherParam [summary = ", {function:label}"] {
    function Function [ws = "s7comm.param.func"]
    data     []byte   [ws = "s7comm.param.data"]
}

enum SyntaxID : u8 {
    s7any          = 0x10 "S7ANY"
    pbc_r_id       = 0x13 "PBC-R_ID"
    alarm_lockfree = 0x15 "ALARM_LOCKFREE"
    alarm_ind      = 0x16 "ALARM_IND"
    alarm_ack      = 0x19 "ALARM_ACK"
    alarm_queryreq = 0x1A "ALARM_QUERYREQ"
    notify_ind     = 0x1C "NOTIFY_IND"
    nck            = 0x82 "NCK"
    nck_metric     = 0x83 "NCK_METRIC"
    nck_inch       = 0x84 "NCK_INCH"
    driveesany     = 0xA2 "DRIVEESANY"
    dbread         = 0xB0 "DBREAD"
    sym1200        = 0xB2 "1200SYM"
}

enum TransportSize : u8 {
    bit           = 0x01 "BIT"
    byte          = 0x02 "BYTE"
    char          = 0x03 "CHAR"
    word          = 0x04 "WORD"
    int           = 0x05 "INT"
    dword         = 0x06 "DWORD"
    dint          = 0x07 "DINT"
    real          = 0x08 "REAL"
    date          = 0x09 "DATE"
    tod           = 0x0A "TOD"
    time          = 0x0B "TIME"
    s5time        = 0x0C "S5TIME"
    date_and_time = 0x0F "DATE_AND_TIME"
    counter       = 0x1C "COUNTER"
    timer         = 0x1D "TIMER"
    iec_timer     = 0x1E "IEC TIMER"
    iec_counter   = 0x1F "IEC COUNTER"
    hs_counter    = 0x20 "HS COUNTER"
}

enum Area : u8 {
    system_info_200   = 0x03 "System info of 200 family"
    system_flags_200  = 0x05 "System flags of 200 family"
    analog_in_200     = 0x06 "Analog inputs of 200 family"
    analog_out_200    = 0x07 "Analog outputs of 200 family"
    counter           = 0x1C "S7 counters (C)"
    timer             = 0x1D "S7 timers (T)"
    iec_counter_200   = 0x1E "IEC counters (200 family)"
    iec_timer_200     = 0x1F "IEC timers (200 family)"
    peripheral        = 0x80 "Direct peripheral access (P)"
    inputs            = 0x81 "Inputs (I)"
    outputs           = 0x82 "Outputs (Q)"
    flags             = 0x83 "Flags (M)"
    data_blocks       = 0x84 "Data blocks (DB)"
    instance_db       = 0x85 "Instance data blocks (DI)"
    local_data        = 0x86 "Local data (L)"
    unknown_v         = 0x87 "Unknown yet (V)"
}

// One variable to read or write: its variable specification.
struct Item [summary = "{address}"] {
    var_spec    u8 = 0x12 [ws = "s7comm.param.item.varspec", base = hex]
    addr_length u8        [ws = "s7comm.param.item.varspec_length", range = 1..255, doc = "Length of the address specification that follows"]
    syntax_id   SyntaxID  [ws = "s7comm.param.item.syntaxid"]
    address switch syntax_id {
        case s7any: S7AnyAddress
        default:    RawAddress
    } [size = addr_length - 1]
}

// An S7ANY address: area, DB number and a bit address (byte << 3 | bit).
struct S7AnyAddress [summary = "{area} DB {db_number} {byte_address}.{bit_address}, {length} x {transport_size}"] {
    transport_size TransportSize [ws = "s7comm.param.item.transp_size"]
    length         u16           [ws = "s7comm.param.item.length", doc = "Number of elements of the transport size"]
    db_number      u16           [ws = "s7comm.param.item.db"]
    area           Area          [ws = "s7comm.param.item.area"]
    reserved       b5
    byte_address   b16           [ws = "s7comm.param.item.address.byte"]
    bit_address    b3            [ws = "s7comm.param.item.address.bit"]
}

struct RawAddress [summary = "{address}"] {
    address []byte
}

// ---------------------------------------------------------------------------
// Data items

enum ReturnCode : u8 {
    reserved             = 0x00 "Reserved"
    hardware_error       = 0x01 "Hardware error"
    access_denied        = 0x03 "Accessing the object not allowed"
    invalid_address      = 0x05 "Invalid address"
    type_not_supported   = 0x06 "Data type not supported"
    type_inconsistent    = 0x07 "Data type inconsistent"
    object_not_exist     = 0x0A "Object does not exist"
    success              = 0xFF "Success"
}

enum DataTransportSize : u8 {
    null         = 0x00 "NULL"
    bit          = 0x03 "BIT"
    byte         = 0x04 "BYTE/WORD/DWORD"
    integer      = 0x05 "INTEGER"
    dinteger     = 0x06 "DINTEGER"
    real         = 0x07 "REAL"
    octet_string = 0x09 "OCTET STRING"
}

// One item of the data part: the values read (Read Var Ack_Data), or to
// write (Write Var Job). Every item but the last is padded to an even
// length.
struct DataItem [summary = "{return_code} {data}"] {
    return_code    ReturnCode        [ws = "s7comm.data.returncode"]
    transport_size DataTransportSize [ws = "s7comm.data.transportsize"]
    length         u16               [doc = "In bits for BIT, BYTE/WORD/DWORD and INTEGER; in bytes otherwise"]
    // Wireshark's s7comm.data.length is the length in bytes for
    // BYTE/WORD/DWORD and INTEGER, as given for BIT (in bits: one per item).
    let length_shown = transport_size == 4 || transport_size == 5 ? (length + 7) / 8 : length [ws = "s7comm.data.length", hidden]
    data           [(transport_size == 3 || transport_size == 4 || transport_size == 5) ? (length + 7) / 8 : length]byte [ws = "s7comm.resp.data"]
    fill           u8                [if = len(data) % 2 == 1 && remaining() > 0, ws = "s7comm.data.fillbyte"]
}

struct WriteReturnCode [summary = "{return_code}"] {
    return_code ReturnCode [ws = "s7comm.data.returncode"]
}

struct S7RawData [summary = "{data}"] {
    data []byte
}

// ---------------------------------------------------------------------------
// Userdata: programmer commands, cyclic data, block and CPU functions,
// security, time functions.

enum UserdataType : b4 {
    push        = 0x0 "Push"
    request     = 0x4 "Request"
    response    = 0x8 "Response"
    nc_push     = 0x3 "NC Push"
    nc_request  = 0x7 "NC Request"
    nc_response = 0xB "NC Response"
}

enum FunctionGroup : b4 {
    mode_transition = 0x0 "Mode-transition"
    programmer      = 0x1 "Programmer commands"
    cyclic          = 0x2 "Cyclic data"
    block           = 0x3 "Block functions"
    cpu             = 0x4 "CPU functions"
    security        = 0x5 "Security"
    pbc             = 0x6 "PBC BSEND/BRECV"
    time            = 0x7 "Time functions"
    nc              = 0xF "NC programming"
}

enum BlockSubfunction : u8 {
    list_blocks         = 0x01 "List blocks"
    list_blocks_of_type = 0x02 "List blocks of type"
    block_info          = 0x03 "Get block info"
}

enum CPUSubfunction : u8 {
    read_szl       = 0x01 "Read SZL"
    message_service = 0x02 "Message service"
    diag_message   = 0x03 "Diagnostic message"
    alarm8_ind     = 0x05 "ALARM_8 indication"
    notify_ind     = 0x06 "NOTIFY indication"
    alarm8_lock    = 0x07 "ALARM_8 lock"
    alarm8_unlock  = 0x08 "ALARM_8 unlock"
    scan_ind       = 0x09 "SCAN indication"
    alarms_ack     = 0x0B "ALARM ack"
    alarms_ack_ind = 0x0C "ALARM ack indication"
    alarm8_lock_ind = 0x0D "ALARM lock indication"
    alarm8_unlock_ind = 0x0E "ALARM unlock indication"
    alarm_sq_ind   = 0x11 "ALARM_SQ indication"
    alarm_s_ind    = 0x12 "ALARM_S indication"
    alarm_query    = 0x13 "ALARM query"
    notify8_ind    = 0x16 "NOTIFY_8 indication"
}

enum TimeSubfunction : u8 {
    read_clock           = 0x01 "Read clock"
    set_clock            = 0x02 "Set clock"
    read_clock_following = 0x03 "Read clock (following)"
    set_clock_2          = 0x04 "Set clock"
}

struct UserdataParam [summary = ", {function_group} {type}: {subfunction}"] {
    head           [3]byte = "\x00\x01\x12" [ws = "s7comm.param.userdata.head"]
    length         u8            [ws = "s7comm.param.userdata.length", doc = "Bytes that follow: 4, or 8 with the data unit reference"]
    method         u8            [ws = "s7comm.param.userdata.reqres1", base = hex, doc = "0x11 request, 0x12 response"]
    type           UserdataType  [ws = "s7comm.param.userdata.type"]
    function_group FunctionGroup [ws = "s7comm.param.userdata.funcgroup"]
    subfunction switch function_group {
        case block: BlockSubfunction
        case cpu:   CPUSubfunction
        case time:  TimeSubfunction
        default:    u8
    } [ws = "s7comm.param.userdata.subfunc"]
    sequence       u8            [ws = "s7comm.param.userdata.seq_num"]
    data_unit_ref  u8            [if = length >= 8, ws = "s7comm.param.userdata.dataunitref"]
    last_data_unit u8            [if = length >= 8, ws = "s7comm.param.userdata.lastdataunit", base = hex, doc = "0x00: last data unit; 0x01: more follow"]
    error_code     u16           [if = length >= 8, ws = "s7comm.param.errcod", base = hex]
}

struct UserdataData [summary = "{return_code}"] {
    return_code    ReturnCode        [ws = "s7comm.data.returncode"]
    transport_size DataTransportSize [ws = "s7comm.data.transportsize"]
    length         u16               [ws = "s7comm.data.length"]
    data           [length]byte      [ws = "s7comm.data.userdata"]
}
