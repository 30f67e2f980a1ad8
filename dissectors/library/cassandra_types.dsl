// The messages of the Cassandra CQL native protocol, v3 to v5: a library
// of types for cassandra.dsl (frames on the connection) and
// cassandra_frames.dsl (frames inside v5 segments).

enum Opcode : u8 {
    error          = 0x00 "ERROR"
    startup        = 0x01 "STARTUP"
    ready          = 0x02 "READY"
    authenticate   = 0x03 "AUTHENTICATE"
    options        = 0x05 "OPTIONS"
    supported      = 0x06 "SUPPORTED"
    query          = 0x07 "QUERY"
    result         = 0x08 "RESULT"
    prepare        = 0x09 "PREPARE"
    execute        = 0x0A "EXECUTE"
    register       = 0x0B "REGISTER"
    event          = 0x0C "EVENT"
    batch          = 0x0D "BATCH"
    auth_challenge = 0x0E "AUTH_CHALLENGE"
    auth_response  = 0x0F "AUTH_RESPONSE"
    auth_success   = 0x10 "AUTH_SUCCESS"
}

enum Direction : b1 {
    request  = 0 "Request"
    response = 1 "Response"
}

enum Consistency : u16 {
    any          = 0x0000 "ANY"
    one          = 0x0001 "ONE"
    two          = 0x0002 "TWO"
    three        = 0x0003 "THREE"
    quorum       = 0x0004 "QUORUM"
    all          = 0x0005 "ALL"
    local_quorum = 0x0006 "LOCAL_QUORUM"
    each_quorum  = 0x0007 "EACH_QUORUM"
    serial       = 0x0008 "SERIAL"
    local_serial = 0x0009 "LOCAL_SERIAL"
    local_one    = 0x000A "LOCAL_ONE"
}

enum ResultKind : s32 {
    void          = 1 "Void"
    rows          = 2 "Rows"
    set_keyspace  = 3 "Set keyspace"
    prepared      = 4 "Prepared"
    schema_change = 5 "Schema change"
}

enum ErrorCode : s32 {
    server_error     = 0x0000 "Server error"
    protocol_error   = 0x000A "Protocol error"
    bad_credentials  = 0x0100 "Bad credentials"
    unavailable      = 0x1000 "Unavailable exception"
    overloaded       = 0x1001 "Overloaded"
    is_bootstrapping = 0x1002 "Is bootstrapping"
    truncate_error   = 0x1003 "Truncate error"
    write_timeout    = 0x1100 "Write timeout"
    read_timeout     = 0x1200 "Read timeout"
    read_failure     = 0x1300 "Read failure"
    function_failure = 0x1400 "Function failure"
    write_failure    = 0x1500 "Write failure"
    cdc_write_failure = 0x1600 "CDC write failure"
    cas_write_unknown = 0x1700 "CAS write unknown"
    syntax_error     = 0x2000 "Syntax error"
    unauthorized     = 0x2100 "Unauthorized"
    invalid          = 0x2200 "Invalid"
    config_error     = 0x2300 "Config error"
    already_exists   = 0x2400 "Already exists"
    unprepared       = 0x2500 "Unprepared"
}

enum BatchType : u8 {
    logged   = 0 "LOGGED"
    unlogged = 1 "UNLOGGED"
    counter  = 2 "COUNTER"
}

struct Message [summary = "{header.opcode:label} stream {header.stream}{body}"] {
    header struct {
        direction        Direction [ws = "cql.direction"]
        protocol_version b7 [ws = "cql.protocol_version", range = 3..5]
        flags struct {
            reserved       b3 [ws = "cql.flags.reserved"]
            beta           b1 [doc = "v5: USE_BETA"]
            warning        b1 [ws = "cql.flags.warning"]
            custom_payload b1 [ws = "cql.flags.custom_payload"]
            tracing        b1 [ws = "cql.flags.tracing"]
            compression    b1 [ws = "cql.flags.compression"]
        }
        stream s16    [ws = "cql.stream"]
        opcode Opcode [ws = "cql.opcode", base = hex]
        length u32    [ws = "cql.message_length"]
    }
    body switch header.flags.compression {
        case 1:  Compressed
        default: Body(header.direction, header.protocol_version, header.flags.tracing, header.flags.warning,
                      header.flags.custom_payload, header.opcode)
    } [size = header.length]
    pair request  header.stream [if = header.direction == Direction.request]
    pair response header.stream [if = header.direction == Direction.response && header.stream >= 0]
}

struct Compressed [summary = " (compressed)"] {
    data []byte [ws = "cql.raw_compressed_bytes"]
}

struct Body(response b1, version u8, tracing b1, warning b1, custom b1, opcode Opcode) [summary = "{message}"] {
    tracing_id     [16]byte [ws = "cql.uuid", if = tracing && response]
    warnings       StringList [if = warning && response]
    custom_payload BytesMap [if = custom]
    message switch opcode {
        case error:          Error(version)
        case startup:        Startup
        case ready:          Empty
        case authenticate:   Authenticate
        case options:        Empty
        case supported:      Supported
        case query:          Query(version)
        case result:         Result(version)
        case prepare:        Prepare(version)
        case execute:        Execute(version)
        case register:       Register
        case event:          Event
        case batch:          Batch(version)
        case auth_challenge, auth_response, auth_success: Token
    }
}

struct Empty {}

// ---------------------------------------------------------------------
// Notations (section 3 of the specs)

struct String [summary = "{value}"] {
    length u16 [ws = "cql.string_length"]
    value  [length]utf8 [ws = "cql.string"]
}

struct LongString [summary = "{value}"] {
    length s32 [ws = "cql.string_length", range = 0..268435456]
    value  [length]utf8 [ws = "cql.string"]
}

struct ShortBytes [summary = "{value}"] {
    length u16 [ws = "cql.bytes_length.short"]
    value  [length]byte [ws = "cql.bytes"]
}

// [bytes]: a negative length is null.
struct Bytes [summary = "{value}"] {
    length s32 [ws = "cql.bytes_length.int"]
    value  switch length < 0 {
        case 1:  Null
        default: BytesValue(length)
    }
}

struct BytesValue(length s32) [summary = "{data}"] {
    data [length]byte [ws = "cql.bytes"]
}

struct Null [summary = "null"] {}

struct StringList [summary = "{items.value:join(, )}"] {
    count u16 [ws = "cql.string_list_size"]
    items [count]String
}

struct StringMap [summary = "{entries:list}"] {
    count   u16 [ws = "cql.string_map_size"]
    entries [count]StringPair
}

struct StringPair [summary = "{key.value:text}={value.value:text}"] {
    key   String
    value String
}

struct StringMultimap [summary = "{entries:list}"] {
    count   u16 [ws = "cql.string_map_size"]
    entries [count]StringListPair
}

struct StringListPair [summary = "{key.value:text}=[{values}]"] {
    key    String
    values StringList
}

struct BytesMap [summary = "{entries:list}"] {
    count   u16 [ws = "cql.string_map_size"]
    entries [count]BytesPair
}

struct BytesPair [summary = "{key.value:text}={value}"] {
    key   String
    value Bytes
}

struct Inet [summary = "{address}:{port}"] {
    size    u8 [range = 4..16]
    address switch size {
        case 4:  IPv4
        case 16: IPv6
    }
    port    s32 [ws = "cql.port"]
}

struct IPv4 [summary = "{address}"] {
    address [4]byte [ws = "cql.ipv4", format = ipv4]
}

struct IPv6 [summary = "{address}"] {
    address [16]byte [ws = "cql.ipv6", format = ipv6]
}

// ---------------------------------------------------------------------
// Requests

struct Startup [summary = " {options}"] {
    options StringMap [doc = "CQL_VERSION (required), COMPRESSION, DRIVER_NAME, ..."]
}

struct Authenticate [summary = " {authenticator.value:text}"] {
    authenticator String [doc = "The IAuthenticator class in use"]
}

struct Supported [summary = " {options}"] {
    options StringMultimap
}

struct Token [summary = ""] {
    token Bytes [doc = "SASL token"]
}

struct Query(version u8) [summary = ": {query.value:text} [{parameters.consistency:label}]"] {
    query      LongString
    parameters QueryParameters(version)
}

// Consistency and the optional parts named by the flags (one byte in v3
// and v4, four in v5).
struct QueryParameters(version u8) {
    consistency Consistency [ws = "cql.consistency"]
    flags switch version {
        case 5:  u32
        default: u8
    } [ws = "cql.query.flags", base = hex]
    values             Values(flags & 0x40 != 0) [if = flags & 0x01 != 0]
    page_size          s32 [ws = "cql.page_size", if = flags & 0x04 != 0]
    paging_state       Bytes [ws = "cql.paging_state", if = flags & 0x08 != 0]
    serial_consistency Consistency [ws = "cql.consistency", if = flags & 0x10 != 0]
    timestamp          s64 [ws = "cql.timestamp", time = unix_us, if = flags & 0x20 != 0]
    keyspace           String [if = version >= 5 && flags & 0x80 != 0]
    now_in_seconds     s32 [if = version >= 5 && flags & 0x100 != 0]
}

struct Values(named bool) [summary = "{values:list}"] {
    count  u16 [ws = "cql.value_count"]
    values [count]Value(named)
}

struct Value(named bool) [summary = "{value}"] {
    name  String [if = named]
    value Bytes
}

struct Prepare(version u8) [summary = ": {query.value:text}"] {
    query    LongString
    flags    u32 [base = hex, if = version >= 5]
    keyspace String [if = version >= 5 && flags & 0x01 != 0]
}

struct Execute(version u8) [summary = ": {id} [{parameters.consistency:label}]"] {
    id                 PreparedID
    result_metadata_id ShortBytes [if = version >= 5]
    parameters         QueryParameters(version)
}

// A prepared statement's id ([short bytes]): tshark names the bytes
// cql.query_id.
struct PreparedID [summary = "{id}"] {
    length u16 [ws = "cql.bytes_length.short"]
    id     [length]byte [ws = "cql.query_id"]
}

struct Register [summary = " {events}"] {
    events StringList [doc = "TOPOLOGY_CHANGE, STATUS_CHANGE, SCHEMA_CHANGE"]
}

struct Batch(version u8) [summary = " {type:label}, {count} queries [{consistency:label}]"] {
    type        BatchType [ws = "cql.batch_type"]
    count       u16 [ws = "cql.batch_query_size"]
    queries     [count]BatchQuery
    consistency Consistency [ws = "cql.consistency"]
    flags switch version {
        case 5:  u32
        default: u8
    } [ws = "cql.batch.flags", base = hex]
    serial_consistency Consistency [ws = "cql.consistency", if = flags & 0x10 != 0]
    timestamp          s64 [ws = "cql.timestamp", time = unix_us, if = flags & 0x20 != 0]
    keyspace           String [if = version >= 5 && flags & 0x80 != 0]
    now_in_seconds     s32 [if = version >= 5 && flags & 0x100 != 0]
}

struct BatchQuery [summary = "{statement}"] {
    kind u8 [ws = "cql.batch_query_type", range = 0..1, doc = "0: a query string, 1: a prepared id"]
    statement switch kind {
        case 0: LongString
        case 1: PreparedID
    }
    values Values(false)
}

// ---------------------------------------------------------------------
// Responses

struct Error(version u8) [summary = ": {code:label}: {message.value:text}"] {
    code    ErrorCode [ws = "cql.error_code", base = hex]
    message String
    detail switch code {
        case unavailable:      Unavailable
        case write_timeout:    WriteTimeout(version)
        case read_timeout:     ReadTimeout
        case read_failure:     ReadFailure(version)
        case write_failure:    WriteFailure(version)
        case function_failure: FunctionFailure
        case already_exists:   AlreadyExists
        case unprepared:       ShortBytes
        default:               Rest
    }
}

struct Rest {
    data []byte
}

struct Unavailable {
    consistency Consistency [ws = "cql.consistency"]
    required    s32
    alive       s32
}

struct WriteTimeout(version u8) {
    consistency Consistency [ws = "cql.consistency"]
    received    s32
    block_for   s32
    write_type  String
    contentions u16 [if = version >= 5 && remaining() >= 2]
}

struct ReadTimeout {
    consistency  Consistency [ws = "cql.consistency"]
    received     s32
    block_for    s32
    data_present u8
}

struct ReadFailure(version u8) {
    consistency  Consistency [ws = "cql.consistency"]
    received     s32
    block_for    s32
    failures     s32 [if = version < 5]
    reasons      ReasonMap [if = version >= 5]
    data_present u8
}

struct WriteFailure(version u8) {
    consistency Consistency [ws = "cql.consistency"]
    received    s32
    block_for   s32
    failures    s32 [if = version < 5]
    reasons     ReasonMap [if = version >= 5]
    write_type  String
}

struct ReasonMap {
    count   s32 [range = 0..65535]
    entries [count]Reason
}

struct Reason {
    endpoint_size u8 [range = 4..16]
    endpoint      [endpoint_size]byte
    code          u16
}

struct FunctionFailure {
    keyspace String
    function String
    arg_types StringList
}

struct AlreadyExists {
    keyspace String
    table    String
}

struct Result(version u8) [summary = ": {kind:label}{content}"] {
    kind ResultKind [ws = "cql.result.kind"]
    content switch kind {
        case void:          Empty
        case rows:          Rows(version)
        case set_keyspace:  SetKeyspace
        case prepared:      Prepared(version)
        case schema_change: SchemaChange
    }
}

struct SetKeyspace [summary = " {keyspace.value:text}"] {
    keyspace String
}

struct Rows(version u8) [summary = ", {row_count} rows"] {
    metadata  RowsMetadata(version)
    row_count s32 [ws = "cql.result.rows.row_count", range = 0..16777216]
    rows      [row_count]Row(metadata.column_count)
}

struct Row(columns s32) [summary = "{values:list}"] {
    values [columns]Bytes
}

// Result metadata: flags, column count, paging state, and the column
// specifications unless no_metadata is set.
struct RowsMetadata(version u8) {
    flags        s32 [ws = "cql.result.rows.flags", base = hex, doc = "0x01 global tables spec, 0x02 has more pages, 0x04 no metadata, 0x08 metadata changed (v5)"]
    column_count s32 [ws = "cql.result.rows.column_count", range = 0..65535]
    paging_state Bytes [ws = "cql.paging_state", if = flags & 0x02 != 0]
    new_metadata_id ShortBytes [if = version >= 5 && flags & 0x08 != 0]
    global       TableSpec [if = flags & 0x04 == 0 && flags & 0x01 != 0]
    columns      [flags & 0x04 == 0 ? column_count : 0]ColumnSpec(flags & 0x01 != 0)
}

struct TableSpec [summary = "{keyspace.value:text}.{table.value:text}"] {
    keyspace String [ws = "cql.result.rows.keyspace_name"]
    table    String [ws = "cql.result.rows.table_name"]
}

struct ColumnSpec(global bool) [summary = "{name.value:text} {type}"] {
    table TableSpec [if = !global]
    name  String [ws = "cql.result.rows.column_name"]
    type  TypeOption
}

// A column type: an id, and for custom and collection types what they
// hold.
struct TypeOption [summary = "{id:label}{params}"] {
    id TypeID [ws = "cql.data_type", base = hex]
    params switch id {
        case custom:    CustomType
        case list, set: Element
        case map:       MapTypes
        case udt:       UDT
        case tuple:     Tuple
        default:        Empty
    }
}

enum TypeID : u16 {
    custom    = 0x0000 "custom"
    ascii     = 0x0001 "ascii"
    bigint    = 0x0002 "bigint"
    blob      = 0x0003 "blob"
    boolean   = 0x0004 "boolean"
    counter   = 0x0005 "counter"
    decimal   = 0x0006 "decimal"
    double    = 0x0007 "double"
    float     = 0x0008 "float"
    int       = 0x0009 "int"
    timestamp = 0x000B "timestamp"
    uuid      = 0x000C "uuid"
    varchar   = 0x000D "varchar"
    varint    = 0x000E "varint"
    timeuuid  = 0x000F "timeuuid"
    inet      = 0x0010 "inet"
    date      = 0x0011 "date"
    time      = 0x0012 "time"
    smallint  = 0x0013 "smallint"
    tinyint   = 0x0014 "tinyint"
    duration  = 0x0015 "duration"
    list      = 0x0020 "list"
    map       = 0x0021 "map"
    set       = 0x0022 "set"
    udt       = 0x0030 "udt"
    tuple     = 0x0031 "tuple"
}

struct CustomType [summary = "({class.value:text})"] {
    class String [ws = "cql.custom"]
}

struct Element [summary = "<{element}>"] {
    element TypeOption
}

struct MapTypes [summary = "<{key}, {value}>"] {
    key   TypeOption
    value TypeOption
}

struct UDT [summary = " {keyspace.value:text}.{name.value:text}"] {
    keyspace String
    name     String [ws = "cql.result.rows.udt_name"]
    count    u16 [ws = "cql.result.rows.udt_size"]
    fields   [count]UDTField
}

struct UDTField [summary = "{name.value:text} {type}"] {
    name String [ws = "cql.result.rows.udt_field_name"]
    type TypeOption
}

struct Tuple [summary = "<{types:list}>"] {
    count u16 [ws = "cql.result.rows.tuple_size"]
    types [count]TypeOption
}

struct Prepared(version u8) [summary = " {id}"] {
    id                 PreparedID
    result_metadata_id ShortBytes [if = version >= 5]
    metadata           PreparedMetadata(version)
    result_metadata    RowsMetadata(version)
}

struct PreparedMetadata(version u8) {
    flags        s32 [base = hex]
    column_count s32 [range = 0..65535]
    pk_count     s32 [range = 0..65535, if = version >= 4]
    pk_indexes   [pk_count]u16 [if = version >= 4]
    global       TableSpec [if = flags & 0x01 != 0]
    columns      [column_count]ColumnSpec(flags & 0x01 != 0)
}

struct SchemaChange [summary = " {change_type.value:text} {target.value:text} {keyspace.value:text}"] {
    change_type String [doc = "CREATED, UPDATED or DROPPED"]
    target      String [doc = "KEYSPACE, TABLE, TYPE, FUNCTION or AGGREGATE"]
    keyspace    String
    name        String [if = remaining() > 0]
    arguments   StringList [if = remaining() > 0]
}

// The event type names the body: a schema change, or a change of a node
// (TOPOLOGY_CHANGE, STATUS_CHANGE).
struct Event [summary = " {type.value:text}{change}"] {
    type   String
    change switch type.value {
        case "SCHEMA_CHANGE": SchemaChange
        default:              NodeChange
    }
}

struct NodeChange [summary = " {change.value:text} {address}"] {
    change  String [doc = "NEW_NODE, REMOVED_NODE, MOVED_NODE, UP or DOWN"]
    address Inet
}
