// DNP3 (IEEE 1815-2012) over TCP, port 20000: link layer frames with
// their header CRC and the CRCs of the 16-byte data blocks, the transport
// header, the application header (function code, IIN for responses) and
// the object headers with the points of the common groups. dnp3udp.dsl
// decodes the same frames over UDP.
//
// A link frame is a 10-byte header (0x05 0x64, length, control,
// destination, source, CRC) and the user data in blocks of up to 16 bytes,
// each followed by its CRC-16/DNP. The [blocks] attribute checks those
// CRCs and decodes the transport segment from the data joined.
//
// Transport segments are joined into application fragments across link
// frames ([join], decoded by dnp3_app in dnp3app.dsl).
//
// Left out: objects of groups
// without a size here end the object list as bytes; Secure
// Authentication and file transfer objects are shown as bytes.

protocol dnp3 {
    title       "DNP3"
    description "DNP3 (IEEE 1815) over TCP: link frames with CRC-checked blocks, transport and application layers, object headers"
    transport   tcp
    ports       20000
    endian      little
    wireshark   "dnp3"
    message     LinkFrame
}

// The length counts control, destination, source and user data (5 plus
// the user data); each 16 bytes of user data, and the rest, carry a CRC.
framing {
    magic "\x05\x64"
    size  10 + (u8(2) - 5) + 2 * ((u8(2) - 5 + 15) / 16)
    min   10
    max   292
}

// A link frame starts 0x05 0x64 with a length of at least 5; the frame
// must then decode with a matching header CRC (and block CRCs).
heuristic {
    message u16be(0) == 0x0564 && u8(2) >= 5
}

// ---------------------------------------------------------------------------
// Link layer

enum PrimaryFunction : b4 {
    reset_link_states     = 0 "RESET_LINK_STATES"
    reset_user_process    = 1 "RESET_USER_PROCESS"
    test_link_states      = 2 "TEST_LINK_STATES"
    confirmed_user_data   = 3 "CONFIRMED_USER_DATA"
    unconfirmed_user_data = 4 "UNCONFIRMED_USER_DATA"
    request_link_status   = 9 "REQUEST_LINK_STATUS"
}

enum SecondaryFunction : b4 {
    ack            = 0  "ACK"
    nack           = 1  "NACK"
    link_status    = 11 "LINK_STATUS"
    not_functioning = 14 "NOT_FUNCTIONING"
    not_supported  = 15 "NOT_SUPPORTED"
}

struct LinkFrame [summary = "len={length}, from {source} to {destination}, {control}{user_data?}"] {
    start       u16be = 0x0564 [ws = "dnp3.start", base = hex]
    length      u8             [ws = "dnp3.len", range = 5..255, doc = "Bytes of control, addresses and user data, CRCs left out"]
    control switch (u8(offset()) >> 6) & 1 {
        case 1:  PrimaryControl
        default: SecondaryControl
    }
    destination u16 [ws = "dnp3.dst"]
    source      u16 [ws = "dnp3.src"]
    header_crc  u16 [ws = "dnp3.hdr.CRC", base = hex, checksum = crc16_dnp(0, 8)]
    user_data   TransportSegment [blocks = crc16_dnp(16), if = length > 5]
}

// A frame from the station that initiated the transaction (PRM set).
struct PrimaryControl [summary = "{dir_text}PRM, {function}"] {
    let ctl = u8(offset()) [ws = "dnp3.ctl", base = hex]
    dir      b1 [ws = "dnp3.ctl.dir", doc = "1: from the master"]
    prm      b1 [ws = "dnp3.ctl.prm"]
    fcb      b1 [ws = "dnp3.ctl.fcb", doc = "Frame count bit"]
    fcv      b1 [ws = "dnp3.ctl.fcv", doc = "Frame count valid"]
    function PrimaryFunction [ws = "dnp3.ctl.prifunc"]
    dir_text DirText(dir) [hidden]
}

// A frame that answers (PRM clear).
struct SecondaryControl [summary = "{dir_text}{function}"] {
    let ctl = u8(offset()) [ws = "dnp3.ctl", base = hex]
    dir      b1 [ws = "dnp3.ctl.dir", doc = "1: from the master"]
    prm      b1 [ws = "dnp3.ctl.prm"]
    reserved b1
    dfc      b1 [ws = "dnp3.ctl.dfc", doc = "Data flow control: the receiver's buffers are full"]
    function SecondaryFunction [ws = "dnp3.ctl.secfunc"]
    dir_text DirText(dir) [hidden]
}

struct DirText(dir u8) [summary = "{text?}"] {
    text DirSet [if = dir == 1]
}

struct DirSet [summary = "DIR, "] {
}

// ---------------------------------------------------------------------------
// Transport layer

// A segment that holds a whole application fragment (FIR and FIN) is
// decoded in place. The segments of a fragment that spans link frames are
// joined, per connection and direction, from the FIR segment to the FIN
// one with consecutive sequence numbers, and the fragment is decoded once
// whole, as a message of dnp3_app (dnp3app.dsl), reported after the frame
// that completed it.
struct TransportSegment [summary = "{application?}{part?}"] {
    let tr_ctl = u8(offset()) [ws = "dnp3.tr.ctl", base = hex]
    fin  b1 [ws = "dnp3.tr.fin", doc = "Last segment of the fragment"]
    fir  b1 [ws = "dnp3.tr.fir", doc = "First segment of the fragment"]
    seq  b6 [ws = "dnp3.tr.seq"]
    application Application(true) [if = fir == 1 && fin == 1]
    part switch fir * 2 + fin {
        case 0:  MiddleSegment
        case 1:  LastSegment
        default: FirstSegment
    } [hidden, if = fir == 0 || fin == 0]
    fragment    []byte [join = "dnp3_app", first = fir, last = fin, seq = seq, limit = 65536,
                        if = fir == 0 || fin == 0, doc = "A segment of an application fragment that spans link frames"]
}

// The summaries of the segments of a fragment that spans link frames.
struct FirstSegment [summary = ", first segment of a fragment ({size} bytes)"] {
    let size = remaining()
}

struct MiddleSegment [summary = ", middle segment of a fragment ({size} bytes)"] {
    let size = remaining()
}

struct LastSegment [summary = ", last segment of a fragment ({size} bytes)"] {
    let size = remaining()
}

// ---------------------------------------------------------------------------
// Application layer

enum AppFunction : u8 {
    confirm               = 0   "Confirm"
    read                  = 1   "Read"
    write                 = 2   "Write"
    select                = 3   "Select"
    operate               = 4   "Operate"
    direct_operate        = 5   "Direct Operate"
    direct_operate_nr     = 6   "Direct Operate No Ack"
    immed_freeze          = 7   "Immediate Freeze"
    immed_freeze_nr       = 8   "Immediate Freeze No Ack"
    freeze_clear          = 9   "Freeze and Clear"
    freeze_clear_nr       = 10  "Freeze and Clear No Ack"
    freeze_at_time        = 11  "Freeze at Time"
    freeze_at_time_nr     = 12  "Freeze at Time No Ack"
    cold_restart          = 13  "Cold Restart"
    warm_restart          = 14  "Warm Restart"
    initialize_data       = 15  "Initialize Data"
    initialize_appl       = 16  "Initialize Application"
    start_appl            = 17  "Start Application"
    stop_appl             = 18  "Stop Application"
    save_config           = 19  "Save Configuration"
    enable_unsolicited    = 20  "Enable Spontaneous Msg"
    disable_unsolicited   = 21  "Disable Spontaneous Msg"
    assign_class          = 22  "Assign Classes"
    delay_measure         = 23  "Delay Measurement"
    record_current_time   = 24  "Record Current Time"
    open_file             = 25  "File Open"
    close_file            = 26  "File Close"
    delete_file           = 27  "File Delete"
    get_file_info         = 28  "File Info"
    authenticate_file     = 29  "File Authentication"
    abort_file            = 30  "File Abort"
    activate_config       = 31  "Activate Config"
    authenticate_req      = 32  "Authentication Request"
    auth_req_no_ack       = 33  "Authentication Request No Ack"
    response              = 129 "Response"
    unsolicited_response  = 130 "Unsolicited Response"
    authenticate_resp     = 131 "Authentication Response"
}

// Internal indications: IIN1 in the high byte, IIN2 in the low byte.
flags IIN : u16be {
    all_stations          = 0x0100 "Broadcast msg rx"
    class_1_events        = 0x0200 "Class 1 data available"
    class_2_events        = 0x0400 "Class 2 data available"
    class_3_events        = 0x0800 "Class 3 data available"
    need_time             = 0x1000 "Time Sync required"
    local_control         = 0x2000 "Digital Outputs in Local"
    device_trouble        = 0x4000 "Device Trouble"
    device_restart        = 0x8000 "Device Restart"
    no_func_code_support  = 0x0001 "Function code not implemented"
    object_unknown        = 0x0002 "Requested Objects Unknown"
    parameter_error       = 0x0004 "Parameters Invalid or Out of Range"
    event_buffer_overflow = 0x0008 "Event Buffer Overflow"
    already_executing     = 0x0010 "Operation Already Executing"
    config_corrupt        = 0x0020 "Configuration Corrupt"
}

struct Application(complete bool) [summary = ", {function}{first_object?}{iin_text?}"] {
    let al_ctl = u8(offset()) [ws = "dnp3.al.ctl", base = hex]
    fir b1 [ws = "dnp3.al.fir"]
    fin b1 [ws = "dnp3.al.fin"]
    con b1 [ws = "dnp3.al.con", doc = "The receiver must confirm"]
    uns b1 [ws = "dnp3.al.uns", doc = "Unsolicited"]
    seq b4 [ws = "dnp3.al.seq"]
    function AppFunction [ws = "dnp3.al.func"]
    iin IIN [ws = "dnp3.al.iin", if = function >= 129]
    let with_data = function == AppFunction.write || (function >= AppFunction.select && function <= AppFunction.direct_operate_nr) || function >= 129 [hidden]
    objects [while remaining() > 0]ObjectHeader(with_data) [if = complete]
    partial []byte [if = !complete, doc = "The start of a fragment continued in the next segments"]
    iin_text IINText(iin) [hidden, if = function >= 129 && iin != 0]
    first_object FirstObject(u16be(offset(objects))) [hidden, if = complete && len(objects) > 0]
    // A response answers the request with the same sequence number;
    // confirmations and unsolicited responses take no part.
    pair request  seq [if = function >= AppFunction.read && function < 128]
    pair response seq [if = function == AppFunction.response]
}

// The first object header's type, for the summary.
struct FirstObject(object u16) [summary = ": {type}"] {
    let type ObjectType = object [base = hex]
}

struct IINText(iin u16) [summary = " [{value}]"] {
    let value IIN = iin
}

// ---------------------------------------------------------------------------
// Objects

// Group and variation as one number: group in the high byte.
enum ObjectType : u16be {
    binary_input_packed        = 0x0101 "Binary Input Packed"
    binary_input_flags         = 0x0102 "Binary Input With Status"
    binary_input_event         = 0x0201 "Binary Input Change Without Time"
    binary_input_event_abs     = 0x0202 "Binary Input Change With Time"
    binary_input_event_rel     = 0x0203 "Binary Input Change With Relative Time"
    binary_output_packed       = 0x0A01 "Binary Output Packed"
    binary_output_status       = 0x0A02 "Binary Output Status"
    crob                       = 0x0C01 "Control Relay Output Block"
    counter_32_flags           = 0x1401 "32-Bit Binary Counter"
    counter_16_flags           = 0x1402 "16-Bit Binary Counter"
    counter_32                 = 0x1405 "32-Bit Binary Counter Without Flag"
    counter_16                 = 0x1406 "16-Bit Binary Counter Without Flag"
    counter_event_32           = 0x1601 "32-Bit Counter Change Event w/o Time"
    counter_event_16           = 0x1602 "16-Bit Counter Change Event w/o Time"
    analog_32_flags            = 0x1E01 "32-Bit Analog Input"
    analog_16_flags            = 0x1E02 "16-Bit Analog Input"
    analog_32                  = 0x1E03 "32-Bit Analog Input Without Flag"
    analog_16                  = 0x1E04 "16-Bit Analog Input Without Flag"
    analog_float               = 0x1E05 "32-Bit Floating Point Input"
    analog_double              = 0x1E06 "64-Bit Floating Point Input"
    analog_event_32            = 0x2001 "32-Bit Analog Change Event w/o Time"
    analog_event_16            = 0x2002 "16-Bit Analog Change Event w/o Time"
    analog_event_32_time       = 0x2003 "32-Bit Analog Change Event with Time"
    analog_event_16_time       = 0x2004 "16-Bit Analog Change Event with Time"
    analog_event_float         = 0x2005 "32-Bit Floating Point Change Event w/o Time"
    analog_output_status_32    = 0x2801 "32-Bit Analog Output Status"
    analog_output_status_16    = 0x2802 "16-Bit Analog Output Status"
    analog_output_32           = 0x2901 "32-Bit Analog Output Block"
    analog_output_16           = 0x2902 "16-Bit Analog Output Block"
    analog_output_float        = 0x2903 "32-Bit Floating Point Output Block"
    time_and_date              = 0x3201 "Time and Date"
    cto                        = 0x3301 "Time and Date CTO"
    cto_unsynchronized         = 0x3302 "Unsynchronized Time and Date CTO"
    time_delay_coarse          = 0x3401 "Time Delay - Coarse"
    time_delay_fine            = 0x3402 "Time Delay - Fine"
    class_0                    = 0x3C01 "Class 0 Data"
    class_1                    = 0x3C02 "Class 1 Data"
    class_2                    = 0x3C03 "Class 2 Data"
    class_3                    = 0x3C04 "Class 3 Data"
    internal_indications       = 0x5001 "Internal Indications"
}

enum RangeCode : b4 {
    start_stop_8      = 0x0 "8-bit Start and Stop Indices"
    start_stop_16     = 0x1 "16-bit Start and Stop Indices"
    start_stop_32     = 0x2 "32-bit Start and Stop Indices"
    address_8         = 0x3 "8-bit Absolute Address"
    address_16        = 0x4 "16-bit Absolute Address"
    address_32        = 0x5 "32-bit Absolute Address"
    all               = 0x6 "No Range Field"
    count_8           = 0x7 "8-bit Single Field Quantity"
    count_16          = 0x8 "16-bit Single Field Quantity"
    count_32          = 0x9 "32-bit Single Field Quantity"
    free_format       = 0xB "Free-format Qualifier, range field has 1 octet count of objects"
}

enum PrefixCode : b3 {
    none         = 0 "None"
    index_8      = 1 "1-Octet Index Prefix"
    index_16     = 2 "2-Octet Index Prefix"
    index_32     = 3 "4-Octet Index Prefix"
    size_8       = 4 "1-Octet Object Size Prefix"
    size_16      = 5 "2-Octet Object Size Prefix"
    size_32      = 6 "4-Octet Object Size Prefix"
}

// An object header, then its points when the function carries data (and
// their index or size prefixes in any case).
struct ObjectHeader(with_data bool) [summary = "{object}"] {
    object    ObjectType [ws = "dnp3.al.obj", base = hex]
    reserved  b1
    prefix    PrefixCode [ws = "dnp3.al.objq.prefix"]
    range     RangeCode  [ws = "dnp3.al.objq.range"]
    start switch range {
        case 0, 3: u8
        case 1, 4: u16
        case 2, 5: u32
    } [ws = "dnp3.al.range.start", if = range <= 5]
    stop switch range {
        case 0, 3: u8
        case 1, 4: u16
        case 2, 5: u32
    } [ws = "dnp3.al.range.stop", if = range <= 5]
    quantity switch range {
        case 7, 11: u8
        case 8: u16
        case 9: u32
    } [ws = "dnp3.al.range.quantity", if = range >= 7 && range != 10]
    assert range != 10 && range <= 11, "reserved range code"
    assert range > 5 || stop >= start, "stop index before start index"
    let count = range <= 5 ? stop - start + 1 : range == 6 ? 0 : quantity
    let packed = object == ObjectType.binary_input_packed || object == ObjectType.binary_output_packed || object == ObjectType.internal_indications [hidden]
    let point_size =
        object == ObjectType.binary_input_flags || object == ObjectType.binary_input_event || object == ObjectType.binary_output_status ? 1 :
        object == ObjectType.binary_input_event_abs ? 7 :
        object == ObjectType.binary_input_event_rel ? 3 :
        object == ObjectType.crob ? 11 :
        object == ObjectType.counter_32_flags || object == ObjectType.counter_event_32 || object == ObjectType.analog_32_flags || object == ObjectType.analog_float || object == ObjectType.analog_event_32 || object == ObjectType.analog_event_float || object == ObjectType.analog_output_status_32 || object == ObjectType.analog_output_32 || object == ObjectType.analog_output_float ? 5 :
        object == ObjectType.counter_16_flags || object == ObjectType.counter_event_16 || object == ObjectType.analog_16_flags || object == ObjectType.analog_event_16 || object == ObjectType.analog_output_status_16 || object == ObjectType.analog_output_16 ? 3 :
        object == ObjectType.counter_32 || object == ObjectType.analog_32 ? 4 :
        object == ObjectType.counter_16 || object == ObjectType.analog_16 || object == ObjectType.time_delay_coarse || object == ObjectType.time_delay_fine ? 2 :
        object == ObjectType.analog_double ? 9 :
        object == ObjectType.analog_event_32_time ? 11 :
        object == ObjectType.analog_event_16_time ? 9 :
        object == ObjectType.time_and_date || object == ObjectType.cto || object == ObjectType.cto_unsynchronized ? 6 :
        -1 [hidden]
    packed_values [(count + 7) / 8]byte [if = with_data && packed && prefix == 0, doc = "One bit a point, least significant bit first"]
    points [count]Point(object, prefix, with_data, point_size) [if = (with_data && !packed && (point_size >= 0 || prefix >= 4)) || (prefix >= 1 && prefix <= 3 && !with_data)]
    unknown_data []byte [if = with_data && !packed && point_size < 0 && prefix < 4 && count > 0, doc = "Points of an object whose size this schema does not know: the rest of the fragment"]
}

// One point: its index or size prefix, then its value.
struct Point(object ObjectType, prefix u8, with_data bool, point_size s32) [summary = "{index?}{value?}"] {
    index switch prefix {
        case 1: u8
        case 2: u16
        case 3: u32
    } [ws = "dnp3.al.index", if = prefix >= 1 && prefix <= 3]
    size switch prefix {
        case 4: u8
        case 5: u16
        case 6: u32
    } [ws = "dnp3.al.size", if = prefix >= 4]
    value switch object {
        case binary_input_flags, binary_input_event, binary_output_status: PointFlags
        case binary_input_event_abs:  FlagsTime
        case binary_input_event_rel:  FlagsRelTime
        case crob:                    CROB
        case counter_32_flags, counter_event_32: Counter32Flags
        case counter_16_flags, counter_event_16: Counter16Flags
        case counter_32:              Counter32
        case counter_16:              Counter16
        case analog_32_flags, analog_event_32, analog_output_status_32: Analog32Flags
        case analog_16_flags, analog_event_16, analog_output_status_16: Analog16Flags
        case analog_32:               Analog32
        case analog_16:               Analog16
        case analog_float, analog_event_float: AnalogFloatFlags
        case analog_double:           AnalogDoubleFlags
        case analog_event_32_time:    Analog32Time
        case analog_event_16_time:    Analog16Time
        case analog_output_32:        AnalogOutput32
        case analog_output_16:        AnalogOutput16
        case analog_output_float:     AnalogOutputFloat
        case time_and_date, cto, cto_unsynchronized: AbsoluteTime
        case time_delay_coarse:       DelayCoarse
        case time_delay_fine:         DelayFine
        default:                      []byte
    } [if = with_data, size = prefix >= 4 ? size : point_size]
}

// The quality flags of a point; bit 7 is the state of a binary point.
flags PointQuality : u8 {
    online         = 0x01 "Online"
    restart        = 0x02 "Restart"
    comm_lost      = 0x04 "Comm Fail"
    remote_forced  = 0x08 "Remote Force"
    local_forced   = 0x10 "Local Force"
    chatter_filter = 0x20 "Chatter Filter"
    reserved       = 0x40 "Reserved"
    state          = 0x80 "Point Value"
}

struct PointFlags [summary = " {flags}"] {
    flags PointQuality
}

struct FlagsTime [summary = " {flags} {time}"] {
    flags PointQuality
    time  u48 [ws = "dnp3.al.timestamp", time = unix_ms]
}

struct FlagsRelTime [summary = " {flags} +{time}"] {
    flags PointQuality
    time  u16 [unit = "ms"]
}

enum ControlCode : u8 {
    nul            = 0x00 "NUL"
    pulse_on       = 0x01 "Pulse On"
    pulse_off      = 0x02 "Pulse Off"
    latch_on       = 0x03 "Latch On"
    latch_off      = 0x04 "Latch Off"
    pulse_on_close = 0x41 "Pulse On Close"
    pulse_on_trip  = 0x81 "Pulse On Trip"
}

enum ControlStatus : u8 {
    success        = 0  "Success"
    timeout        = 1  "Timeout"
    no_select      = 2  "No Select"
    format_error   = 3  "Format Error"
    not_supported  = 4  "Not Supported"
    already_active = 5  "Already Active"
    hardware_error = 6  "Hardware Error"
    local          = 7  "Local"
    too_many_objs  = 8  "Too Many Objects"
    not_authorized = 9  "Not Authorized"
}

struct CROB [summary = " {code} x{count}, {status}"] {
    let code ControlCode = u8(offset()) [base = hex]
    trip_close b2 [ws = "dnp3.ctl.trip", doc = "1: close, 2: trip"]
    clear      b1 [ws = "dnp3.ctl.clr"]
    queue      b1 [doc = "Obsolete"]
    operation  b4 [ws = "dnp3.ctl.op", doc = "1: pulse on, 2: pulse off, 3: latch on, 4: latch off"]
    count    u8 [ws = "dnp3.al.count"]
    on_time  u32 [ws = "dnp3.al.on_time", unit = "ms"]
    off_time u32 [ws = "dnp3.al.off_time", unit = "ms"]
    status   ControlStatus [ws = "dnp3.al.ctrlstatus"]
}

struct Counter32Flags [summary = " {value}"] {
    flags PointQuality
    value u32 [ws = "dnp3.al.cnt"]
}

struct Counter16Flags [summary = " {value}"] {
    flags PointQuality
    value u16 [ws = "dnp3.al.cnt"]
}

struct Counter32 [summary = " {value}"] {
    value u32 [ws = "dnp3.al.cnt"]
}

struct Counter16 [summary = " {value}"] {
    value u16 [ws = "dnp3.al.cnt"]
}

struct Analog32Flags [summary = " {value}"] {
    flags PointQuality
    value s32 [ws = "dnp3.al.ana.int"]
}

struct Analog16Flags [summary = " {value}"] {
    flags PointQuality
    value s16 [ws = "dnp3.al.ana.int"]
}

struct Analog32 [summary = " {value}"] {
    value s32 [ws = "dnp3.al.ana.int"]
}

struct Analog16 [summary = " {value}"] {
    value s16 [ws = "dnp3.al.ana.int"]
}

struct AnalogFloatFlags [summary = " {value}"] {
    flags PointQuality
    value f32 [ws = "dnp3.al.ana.float"]
}

struct AnalogDoubleFlags [summary = " {value}"] {
    flags PointQuality
    value f64 [ws = "dnp3.al.ana.double"]
}

struct Analog32Time [summary = " {value} {time}"] {
    flags PointQuality
    value s32 [ws = "dnp3.al.ana.int"]
    time  u48 [ws = "dnp3.al.timestamp", time = unix_ms]
}

struct Analog16Time [summary = " {value} {time}"] {
    flags PointQuality
    value s16 [ws = "dnp3.al.ana.int"]
    time  u48 [ws = "dnp3.al.timestamp", time = unix_ms]
}

struct AnalogOutput32 [summary = " {value}, {status}"] {
    value  s32 [ws = "dnp3.al.anaout.int"]
    status ControlStatus [ws = "dnp3.al.ctrlstatus"]
}

struct AnalogOutput16 [summary = " {value}, {status}"] {
    value  s16 [ws = "dnp3.al.anaout.int"]
    status ControlStatus [ws = "dnp3.al.ctrlstatus"]
}

struct AnalogOutputFloat [summary = " {value}, {status}"] {
    value  f32 [ws = "dnp3.al.anaout.float"]
    status ControlStatus [ws = "dnp3.al.ctrlstatus"]
}

struct AbsoluteTime [summary = " {time}"] {
    time u48 [ws = "dnp3.al.timestamp", time = unix_ms, doc = "Milliseconds since 1970-01-01 UTC"]
}

struct DelayCoarse [summary = " {delay}"] {
    delay u16 [unit = "s"]
}

struct DelayFine [summary = " {delay}"] {
    delay u16 [unit = "ms"]
}
