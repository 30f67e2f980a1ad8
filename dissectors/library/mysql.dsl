// MySQL and MariaDB client/server protocol, as in the MySQL source
// documentation ("Client/Server Protocol") and MariaDB's ("Clients &
// Utilities / Server-Client Protocol").
//
// Every packet is a 3-byte little-endian payload length, a sequence id
// and the payload. What a payload is depends on the direction, on the
// connection phase and on the last command:
//   - the server opens with the initial handshake (protocol 10); the
//     client answers with its handshake response (or, first, a short
//     SSL request after which the connection carries TLS); then the
//     authentication exchange runs until the server's OK or ERR;
//   - in the command phase every client command starts a new sequence
//     (id 0). The server answers with OK, ERR, EOF, or a result set: a
//     column count, that many column definitions, an EOF (unless both
//     sides set CLIENT_DEPRECATE_EOF), rows, and an EOF or OK. A prepared
//     statement's answer is a PREPARE_OK, then definitions of its
//     parameters and of its columns.
// The connection state keeps the phase, the last command, where a result
// set is, and the negotiated capabilities. A capture that starts in the
// middle of a connection begins in an unknown phase: client packets with
// sequence id 0 are commands, and server packets are told apart by their
// first byte until a command shows where the result sets are.
//
// A command is paired with the server's first packet of its answer
// (sequence id 1): the protocol has no request ids, but answers come in
// order. COM_QUIT, COM_STMT_CLOSE and COM_STMT_SEND_LONG_DATA get no answer
// and are not paired. The handshake response is paired with the OK or ERR
// that ends the authentication.

protocol mysql {
    title       "MySQL"
    description "MySQL/MariaDB client/server protocol: handshake, login, commands, OK/ERR/EOF, result sets, prepared statements"
    transport   tcp
    ports       3306
    endian      little
    wireshark   "mysql"
    request     ClientPacket
    response    ServerPacket
}

// 3-byte length plus the 4-byte header. A payload of 0xFFFFFF bytes is
// continued in the next packet; such large payloads are framed packet by
// packet and not joined. After an SSL request the connection carries TLS
// records (a 5-byte header with a big-endian length), framed as such.
framing {
    size state.phase == 4 ? u16be(3) + 5 : u16le(0) + u8(2) * 65536 + 4
    min  4
    max  16777219
}

// The server speaks first: the initial handshake, sequence 0, protocol
// 10, a server version that starts with a digit and ends in a NUL (the
// decoding checks the NUL and the rest of the handshake). A client sends
// nothing before it, so requests have no signature.
heuristic {
    response u8(3) == 0 && u8(4) == 10 && u16(0) + u8(2) * 65536 >= 34 && u16(0) + u8(2) * 65536 <= 1024 &&
             u8(5) >= 0x30 && u8(5) <= 0x39 && (u8(6) == 0x2E || (u8(6) >= 0x30 && u8(6) <= 0x39))
}

state {
    phase     u8  = 0 // 0 unknown (capture started late), 1 handshake sent, 2 authentication, 3 commands, 4 TLS
    caps      u32 = 0 // the client's capability flags
    mariadb   u32 = 0 // MariaDB's extended capabilities (bits 32 to 63), when negotiated
    command   u8  = 0 // the last command
    rs        u8  = 0 // result set: 0 none, 1 definitions, 3 EOF after definitions, 2 rows
    cols      u32 = 0 // column definitions left in the current block
    next_cols u32 = 0 // definitions of a second block (a prepared statement's columns)
    after     u8  = 0 // what follows the definitions: 2 rows, 0 nothing
    requests  u32 = 0 // commands sent that get an answer
    stmt_id     u32 = 0 // the last statement prepared
    stmt_params u32 = 0 // and its number of parameters
    row_cols    u32 = 0 // columns of the result set being sent
}

enum Command : u8 {
    sleep               = 0x00 "Sleep"
    quit                = 0x01 "Quit"
    init_db             = 0x02 "Use Database"
    query               = 0x03 "Query"
    field_list          = 0x04 "Show Fields"
    create_db           = 0x05 "Create Database"
    drop_db             = 0x06 "Drop Database"
    refresh             = 0x07 "Refresh"
    shutdown            = 0x08 "Shutdown"
    statistics          = 0x09 "Statistics"
    process_info        = 0x0a "Process List"
    connect             = 0x0b "Connect"
    process_kill        = 0x0c "Kill Server Thread"
    debug               = 0x0d "Dump Debuginfo"
    ping                = 0x0e "Ping"
    time                = 0x0f "Time"
    delayed_insert      = 0x10 "Insert Delayed"
    change_user         = 0x11 "Change User"
    binlog_dump         = 0x12 "Send Binlog"
    table_dump          = 0x13 "Send Table"
    connect_out         = 0x14 "Slave Connect"
    register_slave      = 0x15 "Register Slave"
    stmt_prepare        = 0x16 "Prepare Statement"
    stmt_execute        = 0x17 "Execute Statement"
    stmt_send_long_data = 0x18 "Send BLOB"
    stmt_close          = 0x19 "Close Statement"
    stmt_reset          = 0x1a "Reset Statement"
    set_option          = 0x1b "Set Option"
    stmt_fetch          = 0x1c "Fetch Data"
    daemon              = 0x1d "Daemon"
    binlog_dump_gtid    = 0x1e "Send Binlog GTID"
    reset_connection    = 0x1f "Reset Connection"
}

// The low 16 capability bits (the first part in the handshake).
flags Capabilities : u16 {
    long_password     = 0x0001
    found_rows        = 0x0002
    long_flag         = 0x0004
    connect_with_db   = 0x0008
    no_schema         = 0x0010
    compress          = 0x0020
    odbc              = 0x0040
    local_files       = 0x0080
    ignore_space      = 0x0100
    protocol_41       = 0x0200
    interactive       = 0x0400
    ssl               = 0x0800
    ignore_sigpipe    = 0x1000
    transactions      = 0x2000
    reserved          = 0x4000
    secure_connection = 0x8000
}

// The high 16 capability bits.
flags ExtCapabilities : u16 {
    multi_statements              = 0x0001
    multi_results                 = 0x0002
    ps_multi_results              = 0x0004
    plugin_auth                   = 0x0008
    connect_attrs                 = 0x0010
    plugin_auth_lenenc_data       = 0x0020
    can_handle_expired_passwords  = 0x0040
    session_track                 = 0x0080
    deprecate_eof                 = 0x0100
    optional_resultset_metadata   = 0x0200
    zstd_compression              = 0x0400
    query_attributes              = 0x0800
    multi_factor_authentication   = 0x1000
    capability_extension          = 0x2000
}

flags ServerStatus : u16 {
    in_trans             = 0x0001
    autocommit           = 0x0002
    more_results_exist   = 0x0008
    no_good_index_used   = 0x0010
    no_index_used        = 0x0020
    cursor_exists        = 0x0040
    last_row_sent        = 0x0080
    db_dropped           = 0x0100
    no_backslash_escapes = 0x0200
    metadata_changed     = 0x0400
    query_was_slow       = 0x0800
    ps_out_params        = 0x1000
    in_trans_readonly    = 0x2000
    session_state_changed = 0x4000
}

enum FieldType : u8 {
    decimal     = 0x00 "DECIMAL"
    tiny        = 0x01 "TINY"
    short       = 0x02 "SHORT"
    long        = 0x03 "LONG"
    float       = 0x04 "FLOAT"
    double      = 0x05 "DOUBLE"
    null        = 0x06 "NULL"
    timestamp   = 0x07 "TIMESTAMP"
    longlong    = 0x08 "LONGLONG"
    int24       = 0x09 "INT24"
    date        = 0x0a "DATE"
    time        = 0x0b "TIME"
    datetime    = 0x0c "DATETIME"
    year        = 0x0d "YEAR"
    newdate     = 0x0e "NEWDATE"
    varchar     = 0x0f "VARCHAR"
    bit         = 0x10 "BIT"
    timestamp2  = 0x11 "TIMESTAMP2"
    datetime2   = 0x12 "DATETIME2"
    time2       = 0x13 "TIME2"
    vector      = 0xf2 "VECTOR"
    json        = 0xf5 "JSON"
    newdecimal  = 0xf6 "NEWDECIMAL"
    enum        = 0xf7 "ENUM"
    set         = 0xf8 "SET"
    tiny_blob   = 0xf9 "TINY_BLOB"
    medium_blob = 0xfa "MEDIUM_BLOB"
    long_blob   = 0xfb "LONG_BLOB"
    blob        = 0xfc "BLOB"
    var_string  = 0xfd "VAR_STRING"
    string      = 0xfe "STRING"
    geometry    = 0xff "GEOMETRY"
}

flags FieldFlags : u16 {
    not_null       = 0x0001
    primary_key    = 0x0002
    unique_key     = 0x0004
    multiple_key   = 0x0008
    blob           = 0x0010
    unsigned       = 0x0020
    zero_fill      = 0x0040
    binary         = 0x0080
    enum           = 0x0100
    auto_increment = 0x0200
    timestamp      = 0x0400
    set            = 0x0800
    no_default     = 0x1000
    on_update_now  = 0x2000
    part_key       = 0x4000
    num            = 0x8000
}

enum SetOption : u16 {
    multi_statements_on  = 0 "MYSQL_OPTION_MULTI_STATEMENTS_ON"
    multi_statements_off = 1 "MYSQL_OPTION_MULTI_STATEMENTS_OFF"
}

// ---------------------------------------------------------------------
// Client to server

struct ClientPacket [summary = "{body?}{tls?}"] {
    tls      TLSRecord [if = state.phase == 4]
    length   u24 [ws = "mysql.packet_length", if = state.phase != 4]
    sequence u8  [ws = "mysql.packet_number", if = state.phase != 4]
    body switch sequence == 0 ? 0 : state.phase == 0 ? 3 : state.phase {
        case 0: Request
        case 1: switch length {
            case 32: SSLRequest
            default: LoginRequest
        }
        case 2: AuthResponse
        default: switch state.command {
            case 3: LocalInfileData
            default: ClientData
        }
    } [size = length, if = state.phase != 4]
}

// The client's handshake response (HandshakeResponse41).
struct LoginRequest [summary = "Login Request user={username:text}{schema_text}"] {
    capabilities     Capabilities    [ws = "mysql.caps.client", base = hex]
    ext_capabilities ExtCapabilities [ws = "mysql.extcaps.client", base = hex]
    max_packet       u32 [ws = "mysql.max_packet"]
    charset          u8  [ws = "mysql.charset"]
    filler           [19]byte
    mariadb_capabilities u32 [base = hex, doc = "MariaDB's extended capabilities (0 from MySQL clients)"]
    username         [until 0]utf8 [ws = "mysql.user"]
    auth_response switch ext_capabilities & ExtCapabilities.plugin_auth_lenenc_data != 0 ? 2 :
                         capabilities & Capabilities.secure_connection != 0 ? 1 : 0 {
        case 2: LenencBytes
        case 1: ShortBytes
        default: CString
    }
    schema      [until 0]utf8 [ws = "mysql.schema", if = capabilities & Capabilities.connect_with_db != 0 && remaining() > 0]
    auth_plugin [until 0]utf8 [ws = "mysql.client_auth_plugin", if = ext_capabilities & ExtCapabilities.plugin_auth != 0 && remaining() > 0]
    attributes  ConnectAttributes [if = ext_capabilities & ExtCapabilities.connect_attrs != 0 && remaining() > 0]
    let has_schema = capabilities & Capabilities.connect_with_db != 0 && sizeof(schema) > 1 [hidden]
    schema_text switch has_schema { case 1: SchemaText(sizeof(schema) - 1)  default: Empty } [at = offset(auth_response) + sizeof(auth_response)]
    set state.caps = capabilities | (ext_capabilities << 16)
    // MariaDB's own capabilities count when the client does not claim
    // CLIENT_LONG_PASSWORD (which MariaDB calls CLIENT_MYSQL).
    set state.mariadb = capabilities & Capabilities.long_password == 0 ? mariadb_capabilities : 0
    set state.phase = 2
    pair request -1
}

struct Empty {}

struct SchemaText(n u32) [summary = " db={schema:text}"] {
    schema [n]utf8 [hidden]
}

// A short handshake response with CLIENT_SSL: TLS starts after it.
struct SSLRequest [summary = "SSL Request"] {
    capabilities     Capabilities    [ws = "mysql.caps.client", base = hex]
    ext_capabilities ExtCapabilities [ws = "mysql.extcaps.client", base = hex]
    max_packet       u32 [ws = "mysql.max_packet"]
    charset          u8  [ws = "mysql.charset"]
    filler           [23]byte
    set state.phase = 4
}

// A TLS record, after an SSL request: shown encrypted.
struct TLSRecord [summary = "TLS {content_type:label}"] {
    content_type TLSContentType
    version      u16be [base = hex]
    length       u16be
    data         [length]byte
}

enum TLSContentType : u8 {
    change_cipher_spec = 0x14 "Change Cipher Spec"
    alert              = 0x15 "Alert"
    handshake          = 0x16 "Handshake"
    application_data   = 0x17 "Application Data"
}

struct LenencBytes [summary = "{data}"] {
    length mysql_lenenc
    data   [length]byte [ws = "mysql.passwd"]
}

struct ShortBytes [summary = "{data}"] {
    length u8
    data   [length]byte [ws = "mysql.passwd"]
}

struct CString [summary = "{data}"] {
    data [until 0]byte [ws = "mysql.passwd"]
}

struct ConnectAttributes [summary = "{attributes}"] {
    length     mysql_lenenc [ws = "mysql.connattrs.length"]
    attributes []ConnectAttribute [size = length]
}

struct ConnectAttribute [summary = "{name:text}={value:text}"] {
    name_length  mysql_lenenc        [ws = "mysql.connattrs.name.length"]
    name         [name_length]utf8   [ws = "mysql.connattrs.name"]
    value_length mysql_lenenc        [ws = "mysql.connattrs.value.length"]
    value        [value_length]utf8  [ws = "mysql.connattrs.value"]
}

// Authentication data after an AuthSwitchRequest or AuthMoreData.
struct AuthResponse [summary = "Auth Switch Response"] {
    data []byte [ws = "mysql.auth_switch_response.data"]
}

// The file a LOAD DATA LOCAL INFILE asked for, in packets, ended by an
// empty one.
struct LocalInfileData [summary = "Local infile data"] {
    data []byte [ws = "mysql.payload"]
}

struct ClientData [summary = "Continuation"] {
    data []byte [ws = "mysql.payload"]
}

// A command: the first packet of a sequence.
struct Request [summary = "Request {command:label}{body}"] {
    command Command [ws = "mysql.command", base = hex]
    body switch command {
        case query:               Query
        case init_db:             InitDB
        case field_list:          FieldList
        case process_kill:        ProcessKill
        case stmt_prepare:        Query
        case stmt_execute:        StmtExecute
        case stmt_close, stmt_reset: StmtID
        case stmt_send_long_data: StmtSendLongData
        case stmt_fetch:          StmtFetch
        case set_option:          SetOptionBody
        case quit, statistics, process_info, debug, ping, time, reset_connection, sleep: Empty
        default:                  Payload
    }
    set state.command = command
    // COM_FIELD_LIST is answered by column definitions up to an EOF.
    set state.rs = command == Command.field_list ? 1 : 0
    set state.cols = command == Command.field_list ? 0xFFFFFFFF : 0
    set state.phase = state.phase == 0 || state.phase == 3 ? state.phase : 3
    let answered = command != Command.quit && command != Command.stmt_close && command != Command.stmt_send_long_data [hidden]
    set state.requests = state.requests + 1 [if = answered]
    pair request state.requests [if = answered]
}

struct Query [summary = " {query:text}"] {
    query []utf8 [ws = "mysql.query"]
}

struct InitDB [summary = " {schema:text}"] {
    schema []utf8 [ws = "mysql.schema"]
}

struct FieldList [summary = " {table:text}"] {
    table    [until 0]utf8 [ws = "mysql.table_name"]
    wildcard []utf8
}

struct ProcessKill [summary = " {connection_id}"] {
    connection_id u32 [ws = "mysql.thread_id"]
}

// COM_STMT_EXECUTE: the statement, flags and iteration count, then the
// parameters. How many there are is known from the PREPARE_OK of the
// statement: when it is the last one prepared on the connection, the NULL
// bitmap, the parameter types and the values are decoded. A value's type
// is its entry in the types, and its NULL bit its bit in the bitmap
// (index() is the value's position). Without new types (new_params_bound
// 0) the types sent before are not known, and the values stay bytes.
struct StmtExecute [summary = " id={statement_id}"] {
    statement_id u32 [ws = "mysql.stmt_id"]
    flags        u8  [ws = "mysql.exec_flags", base = hex, doc = "Cursor type: 0 none, 1 read only, 2 for update, 4 scrollable"]
    iterations   u32 [ws = "mysql.exec_iter"]
    let known = statement_id == state.stmt_id && state.stmt_params > 0 && remaining() > 0 [hidden]
    null_bitmap  [(state.stmt_params + 7) / 8]byte [ws = "mysql.row.nullbuffer", if = known]
    new_params_bound u8 [ws = "mysql.new_parameter_bound_flag", if = known]
    let typed = known && new_params_bound == 1 [hidden]
    types        [state.stmt_params]ParameterType [if = typed]
    values       [state.stmt_params]ParameterValue(offset(types), offset(null_bitmap)) [if = typed]
    rest         []byte [ws = "mysql.payload", if = !typed]
}

struct ParameterValue(types u32, nulls u32) [summary = "{value}"] {
    let null = (u8(nulls + index() / 8) >> (index() % 8)) & 1 [hidden]
    let type FieldType = null ? FieldType.null : u8(types + 2 * index())
    value switch type {
        case null:                   NullValue
        case tiny:                   TinyValue
        case short, year:            ShortValue
        case long, int24:            LongValue
        case longlong:               LongLongValue
        case float:                  FloatValue
        case double:                 DoubleValue
        case date, datetime, timestamp: DateTimeValue
        case time:                   TimeValue
        default:                     StringValue
    }
}

struct NullValue [summary = "NULL"] {}

struct TinyValue [summary = "{value}"] {
    value s8 [ws = "mysql.exec.field.tiny"]
}

struct ShortValue [summary = "{value}"] {
    value s16 [ws = "mysql.exec.field.short"]
}

struct LongValue [summary = "{value}"] {
    value s32 [ws = "mysql.exec.field.long"]
}

struct LongLongValue [summary = "{value}"] {
    value s64 [ws = "mysql.exec.field.longlong"]
}

struct FloatValue [summary = "{value}"] {
    value f32 [ws = "mysql.exec.field.float"]
}

struct DoubleValue [summary = "{value}"] {
    value f64 [ws = "mysql.exec.field.double"]
}

// DATE, DATETIME, TIMESTAMP: a length (0, 4, 7 or 11), then as many of
// the parts as it says.
struct DateTimeValue [summary = "{year}-{month}-{day} {hour}:{minute}:{second}"] {
    length      u8  [ws = "mysql.exec.field.datetime.length", range = 0..11]
    year        u16 [ws = "mysql.exec.field.year", if = length >= 4]
    month       u8  [ws = "mysql.exec.field.month", if = length >= 4]
    day         u8  [ws = "mysql.exec.field.day", if = length >= 4]
    hour        u8  [ws = "mysql.exec.field.hour", if = length >= 7]
    minute      u8  [ws = "mysql.exec.field.minute", if = length >= 7]
    second      u8  [ws = "mysql.exec.field.second", if = length >= 7]
    microsecond u32 [ws = "mysql.exec.field.secondb", if = length >= 11]
    assert length == 0 || length == 4 || length == 7 || length == 11, "a date length other than 0, 4, 7 or 11"
}

// TIME: a length (0, 8 or 12), sign, days and the time of day.
struct TimeValue [summary = "{days}d {hour}:{minute}:{second}"] {
    length      u8  [ws = "mysql.exec.field.time.length", range = 0..12]
    negative    u8  [ws = "mysql.exec.field.time.sign", if = length >= 8]
    days        u32 [ws = "mysql.exec.field.time.days", if = length >= 8]
    hour        u8  [ws = "mysql.exec.field.hour", if = length >= 8]
    minute      u8  [ws = "mysql.exec.field.minute", if = length >= 8]
    second      u8  [ws = "mysql.exec.field.second", if = length >= 8]
    microsecond u32 [ws = "mysql.exec.field.secondb", if = length >= 12]
    assert length == 0 || length == 8 || length == 12, "a time length other than 0, 8 or 12"
}

// Strings, decimals, BLOBs, JSON, ENUM, SET, BIT, GEOMETRY: length-encoded.
struct StringValue [summary = "{value}"] {
    length mysql_lenenc
    value  [length]utf8 [ws = "mysql.exec.field.string"]
}

struct ParameterType [summary = "{type:label}"] {
    type     FieldType [ws = "mysql.field.type", base = hex]
    unsigned u8        [ws = "mysql.exec.unsigned", base = hex, doc = "0x80: unsigned"]
}

struct StmtID [summary = " id={statement_id}"] {
    statement_id u32 [ws = "mysql.stmt_id"]
}

struct StmtSendLongData [summary = " id={statement_id}"] {
    statement_id u32 [ws = "mysql.stmt_id"]
    parameter    u16 [ws = "mysql.param"]
    data         []byte [ws = "mysql.payload"]
}

struct StmtFetch [summary = " id={statement_id}"] {
    statement_id u32 [ws = "mysql.stmt_id"]
    rows         u32 [ws = "mysql.num_rows"]
}

struct SetOptionBody [summary = " {option:label}"] {
    option SetOption [ws = "mysql.option"]
}

struct Payload {
    data []byte [ws = "mysql.payload"]
}

// ---------------------------------------------------------------------
// Server to client

// What a server packet is, from its first byte, the phase and the result
// set state.
struct ServerPacket [summary = "{body?}{tls?}"] {
    tls      TLSRecord [if = state.phase == 4]
    length   u24 [ws = "mysql.packet_length", if = state.phase != 4]
    sequence u8  [ws = "mysql.packet_number", if = state.phase != 4]
    let first = state.phase == 4 || length == 0 ? 0x100 : u8(4) [hidden]
    // A column definition starts with the catalog, always "def". When a
    // packet where definitions are expected is none (the capabilities are
    // not known, or the server sent fewer), it is a row, and the result
    // set is at its rows. At the end of the rows, an EOF is 5 bytes, and
    // an OK (with CLIENT_DEPRECATE_EOF) at least 7.
    let is_def = state.phase != 4 && length >= 4 && u32(4) == 0x66656403 [hidden]
    let is_end = state.phase != 4 && first == 0xFE && ((state.caps >> 16) & ExtCapabilities.deprecate_eof != 0 ? length < 0xFFFFFF : length < 9) [hidden]
    let row = state.command == Command.stmt_execute ? 13 : 9 [hidden]
    let kind = state.phase == 4 ? 12 :
        sequence == 0 && first == 10 ? 1 :
        first == 0xFF ? 3 :
        state.phase == 2 ? (first == 0x00 ? 2 : first == 0xFE ? 5 : first == 0x01 ? 6 : 0) :
        state.rs == 1 || state.rs == 3 ? (first == 0xFE && length < 9 ? 4 : is_def ? 8 : row) :
        state.rs == 2 ? (is_end ? (length == 5 ? 4 : 2) : row) :
        first == 0x00 ? (state.command == Command.stmt_prepare ? 10 : 2) :
        first == 0xFE && length < 9 ? 4 :
        first == 0xFB ? 11 :
        first == 0x100 ? 0 : 7 [hidden]
    body switch kind {
        case 1:  Handshake
        case 2:  OK
        case 3:  ERR
        case 4:  EOF
        case 5:  AuthSwitchRequest
        case 6:  AuthMoreData
        case 7:  ColumnCount
        case 8:  ColumnDefinition
        case 9:  TextRow
        case 10: PrepareOK
        case 11: LocalInfileRequest
        case 13: BinaryRow
        default: ServerData
    } [size = length, if = state.phase != 4]
    pair response state.requests [if = state.phase != 4 && sequence == 1 && state.phase != 2 && kind != 1]
}

// The initial handshake, protocol version 10.
struct Handshake [summary = "Server Greeting proto={protocol} version={server_version:text}"] {
    protocol         u8 = 10 [ws = "mysql.protocol"]
    server_version   [until 0]utf8 [ws = "mysql.version"]
    connection_id    u32 [ws = "mysql.thread_id"]
    auth_data_1      [8]byte [ws = "mysql.salt"]
    filler           u8
    capabilities     Capabilities [ws = "mysql.caps.server", base = hex]
    charset          u8 [ws = "mysql.server_language"]
    status           ServerStatus [ws = "mysql.server_status", base = hex]
    ext_capabilities ExtCapabilities [ws = "mysql.extcaps.server", base = hex]
    auth_data_length u8 [ws = "mysql.auth_plugin.length"]
    reserved         [6]byte
    mariadb_capabilities u32 [base = hex, doc = "MariaDB's extended capabilities (0 from MySQL)"]
    auth_data_2      [max(13, auth_data_length - 8)]byte [ws = "mysql.salt2", if = capabilities & Capabilities.secure_connection != 0]
    auth_plugin      [until 0]utf8 [ws = "mysql.auth_plugin", if = ext_capabilities & ExtCapabilities.plugin_auth != 0 && remaining() > 0]
    set state.phase = 1
    set state.rs = 0
}

struct OK [summary = "Response OK{rows_text}"] {
    header          u8 [ws = "mysql.response_code", base = hex, doc = "0x00; 0xFE when it ends a result set"]
    affected_rows   mysql_lenenc [ws = "mysql.affected_rows"]
    last_insert_id  mysql_lenenc [ws = "mysql.insert_id"]
    status          ServerStatus [ws = "mysql.server_status", base = hex]
    warnings        u16 [ws = "mysql.warnings"]
    info            []utf8 [ws = "mysql.payload", doc = "Human-readable information; with CLIENT_SESSION_TRACK, a length-encoded string followed by session state changes"]
    let rows_shown = affected_rows > 0 [hidden]
    rows_text switch rows_shown { case 1: AffectedRows  default: Empty } [at = offset(affected_rows)]
    pair response -1 [if = state.phase == 2]
    set state.phase = state.phase == 2 ? 3 : state.phase
    set state.rs = 0
}

struct AffectedRows [summary = ", {rows} rows affected"] {
    rows mysql_lenenc [hidden]
}

struct ERR [summary = "Response Error {error_code}{state_text}: {message:text}"] {
    header     u8 = 0xFF [ws = "mysql.response_code", base = hex]
    error_code u16 [ws = "mysql.error_code"]
    sql_state  SQLState [if = remaining() > 0 && u8(offset()) == 0x23]
    message    []utf8 [ws = "mysql.error.message"]
    let state_shown = sizeof(sql_state) > 0 [hidden]
    state_text switch state_shown { case 1: SQLStateText  default: Empty } [at = offset(error_code) + 2]
    pair response -1 [if = state.phase == 2]
    set state.rs = 0
}

struct SQLState [summary = "{state:text}"] {
    marker u8 = 0x23
    state  [5]ascii [ws = "mysql.sqlstate"]
}

struct SQLStateText [summary = " ({state:text})"] {
    marker u8 [hidden]
    state  [5]ascii [hidden]
}

// EOF ends the column definitions and, without CLIENT_DEPRECATE_EOF, the
// rows.
struct EOF [summary = "Response EOF"] {
    header   u8 = 0xFE [ws = "mysql.response_code", base = hex]
    warnings u16 [ws = "mysql.warnings", if = remaining() >= 4]
    status   ServerStatus [ws = "mysql.server_status", base = hex, if = remaining() >= 2]
    // After the definitions of a prepared statement's parameters come
    // those of its columns; after a query's definitions, the rows.
    let was_defs = state.rs == 3 [hidden]
    set state.rs = was_defs ? (state.next_cols > 0 ? 1 : state.after) : 0
    set state.cols = was_defs && state.next_cols > 0 ? state.next_cols : state.cols
    set state.next_cols = was_defs ? 0 : state.next_cols
}

struct AuthSwitchRequest [summary = "Auth Switch Request {plugin:text}"] {
    status u8 = 0xFE [ws = "mysql.auth_switch_request.status", base = hex]
    plugin [until 0]utf8 [ws = "mysql.auth_switch_request.name"]
    data   []byte [ws = "mysql.auth_switch_request.data"]
}

struct AuthMoreData [summary = "Auth More Data"] {
    status u8 = 0x01 [base = hex]
    data   []byte
}

struct ColumnCount [summary = "Response: {count} columns"] {
    count mysql_lenenc [ws = "mysql.num_fields", range = 1..4096]
    set state.row_cols = count
    set state.cols = count
    set state.next_cols = 0
    set state.after = 2
    set state.rs = 1
}

// Column definition (Protocol::ColumnDefinition41).
struct ColumnDefinition [summary = "Column {name:text} {type:label}"] {
    catalog       LenencString [ws = "mysql.field.catalog"]
    schema        LenencString [ws = "mysql.field.db"]
    table         LenencString [ws = "mysql.field.table"]
    org_table     LenencString [ws = "mysql.field.org_table"]
    name_length   mysql_lenenc
    name          [name_length]utf8 [ws = "mysql.field.name"]
    org_name      LenencString [ws = "mysql.field.org_name"]
    extended_metadata LenencString [ws = "mysql.extmeta_data", if = state.mariadb & 8 != 0,
                                    doc = "MariaDB (MARIADB_CLIENT_EXTENDED_METADATA): type name and format of the column"]
    fixed_length  mysql_lenenc = 12
    charset       u16 [ws = "mysql.field.charsetnr"]
    column_length u32 [ws = "mysql.field.length"]
    type          FieldType [ws = "mysql.field.type", base = hex]
    flags         FieldFlags [ws = "mysql.field.flags", base = hex]
    decimals      u8 [ws = "mysql.field.decimals"]
    filler        u16
    default_value []byte [ws = "mysql.field.default", doc = "COM_FIELD_LIST only"]
    set state.cols = state.cols > 0 ? state.cols - 1 : 0
    let done = state.cols == 0 [hidden]
    let eof = (state.caps >> 16) & ExtCapabilities.deprecate_eof == 0 [hidden]
    set state.rs = !done ? 1 : eof ? 3 : state.next_cols > 0 ? 1 : state.after
    set state.cols = done && !eof ? state.next_cols : state.cols
    set state.next_cols = done && !eof ? 0 : state.next_cols
}

struct LenencString [summary = "{value}"] {
    length mysql_lenenc
    value  [length]utf8
}

// A row of a text result set: one length-encoded string per column, 0xFB
// for NULL.
struct TextRow [summary = "Row: {values:list}"] {
    values []RowValue
    set state.rs = 2
    set state.cols = 0
}

struct RowValue [summary = "{value}"] {
    value switch u8(offset()) {
        case 0xFB: Null
        default:   RowText
    }
}

struct Null [summary = "NULL"] {
    marker u8 = 0xFB
}

struct RowText [summary = "{text}"] {
    length mysql_lenenc
    text   [length]utf8 [ws = "mysql.row.text"]
}

// A row of a binary result set (after COM_STMT_EXECUTE): a 0 header, a
// NULL bitmap (offset by 2 bits) and the values in the column types'
// binary forms, shown as bytes: the types are in the definitions, packets
// earlier, and the connection state holds numbers, not a list of them.
struct BinaryRow [summary = "Binary row"] {
    header      u8 = 0 [ws = "mysql.response_code", base = hex]
    null_bitmap [(state.row_cols + 7 + 2) / 8]byte [ws = "mysql.row.nullbuffer", doc = "Bit n + 2 set: column n is NULL"]
    data        []byte [ws = "mysql.payload"]
    set state.rs = 2
    set state.cols = 0
}

struct PrepareOK [summary = "Response OK, statement {statement_id}: {columns} columns, {parameters} parameters"] {
    status       u8 = 0 [ws = "mysql.response_code", base = hex]
    statement_id u32 [ws = "mysql.stmt_id"]
    columns      u16 [ws = "mysql.num_fields"]
    parameters   u16 [ws = "mysql.num_params"]
    reserved     u8
    warnings     u16 [ws = "mysql.warnings", if = remaining() >= 2]
    set state.stmt_id = statement_id
    set state.stmt_params = parameters
    set state.cols = parameters > 0 ? parameters : columns
    set state.next_cols = parameters > 0 ? columns : 0
    set state.after = 0
    set state.rs = parameters > 0 || columns > 0 ? 1 : 0
}

struct LocalInfileRequest [summary = "Response LOCAL INFILE {filename:text}"] {
    header   u8 = 0xFB [base = hex]
    filename []utf8
}

struct ServerData [summary = "Response"] {
    data []byte [ws = "mysql.payload"]
}
