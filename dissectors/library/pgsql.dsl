// PostgreSQL: the frontend/backend protocol, version 3.0 (PostgreSQL 7.4
// and later), as in chapter "Frontend/Backend Protocol" of the PostgreSQL
// documentation ("Message Formats").
//
// Frames. A typed message is a type byte, then a 4-byte length that counts
// itself and the body. The first message of a connection has no type byte:
// StartupMessage, SSLRequest, GSSENCRequest or CancelRequest, a 4-byte
// length then a 4-byte code. The framing cannot see the connection state,
// so it tells them apart by the first byte: an untyped message starts with
// the high byte of a length below 10000, so 0, and no message type is 0.
// Two more kinds of frame are recognised by their first bytes:
//   - the backend answers SSLRequest and GSSENCRequest with a single byte,
//     'S' (or 'G') to go on with encryption, 'N' to refuse. 'S' and 'N' are
//     also message types (ParameterStatus, NoticeResponse), but a typed
//     message is followed by the high byte of its length, 0, while the
//     answer is followed by the server's next message ('R', 'E') or by TLS
//     (0x16): a one-byte frame is an 'S', 'N' or 'G' not followed by 0. The
//     framing waits for that next byte, so the answer is shown when the
//     server's next bytes arrive.
//   - after 'S' the connection carries TLS records (content type 0x14 to
//     0x17, then version 3.x and a 2-byte length): they are framed as such,
//     their header is shown, and each whole record is streamed to the tls
//     protocol, which decodes the handshake (encrypted records stay bytes).
//     So is a connection that starts TLS directly (PostgreSQL 17's
//     sslnegotiation=direct).
//
// State. The first byte alone tells an untyped message from a typed one,
// which keeps midstream captures decodable. The connection state keeps what
// the bytes do not say:
//   - the phase: 1 from a StartupMessage to the first ReadyForQuery (the
//     startup phase: authentication and ParameterStatus), 2 after it. A
//     frontend message that does not belong to the phase is flagged: an
//     untyped one after the startup phase, or during it a typed one
//     other than PasswordMessage (and its SASL and GSS kinds) or Terminate.
//     Before a StartupMessage is seen (a capture that starts later) the
//     phase is unknown and nothing is flagged;
//   - which encryption the frontend asked for, so that the one-byte answer
//     is named right (and an answer nobody asked for is flagged);
//   - the authentication method the backend last asked for, which decides
//     what a 'p' message is: PasswordMessage, SASLInitialResponse,
//     SASLResponse or GSSResponse;
//   - counts of the messages that end with a ReadyForQuery (StartupMessage,
//     Query, Sync, FunctionCall) and of ReadyForQuery, for pairing: the
//     protocol has no request ids, but the backend answers each of those
//     with exactly one ReadyForQuery, in order. The n-th ReadyForQuery
//     answers the n-th such request; one that comes when no request is
//     waiting (a capture that starts in the middle of a query) is reported
//     as unsolicited, and the counts stay in step. SSLRequest and
//     GSSENCRequest pair with their one-byte answer.

protocol pgsql {
    title       "PostgreSQL"
    description "PostgreSQL frontend/backend protocol 3.0"
    transport   tcp
    ports       5432
    endian      big
    wireshark   "pgsql"
    request     Frontend
    response    Backend
}

// Untyped startup messages are at most 10000 bytes, as the server enforces;
// typed messages may be large (a DataRow with big values): 64 MiB bounds
// what a lost frame boundary can make the decoder wait for.
// LANGUAGE GAP: framing sees neither the connection state nor the
// direction, so the one-byte answer to SSLRequest is recognised by looking
// at the byte after it, and is shown only when the server's next bytes
// arrive (at the end of a capture it is an incomplete frame). Framing with
// `state.encryption` and `direction` would frame it at once.
framing {
    size u8(0) == 0 ? (u32(0) >= 8 && u32(0) <= 10000 ? u32(0) : 0) :
         (u8(0) == 0x53 || u8(0) == 0x4E || u8(0) == 0x47) && u8(1) != 0 ? 1 :
         u8(0) >= 0x14 && u8(0) <= 0x17 && u8(1) == 3 ? u16(3) + 5 :
         u32(1) >= 4 ? u32(1) + 1 : 0
    min 1
    max 67108864
}

// Recognised on any port by the client's first message: a StartupMessage
// for protocol 3.0, or an SSLRequest, GSSENCRequest or CancelRequest
// (codes 80877103, 80877104, 80877102), with a length of 8 to 10000.
heuristic {
    request u32(0) >= 8 && u32(0) <= 10000 &&
            (u32(4) == 0x00030000 || (u32(4) == 0x04D2162F && u32(0) == 8) ||
             (u32(4) == 0x04D21630 && u32(0) == 8) || (u32(4) == 0x04D2162E && u32(0) == 16))
}

state {
    phase     u8  = 0 // 0: not seen, 1: startup, 2: ready for queries
    encryption u8 = 0 // asked for and not answered yet: 1 SSL, 2 GSSAPI
    auth      u32 = 0 // the last AuthenticationRequest code
    requests  u32 = 0 // StartupMessage, Query, Sync and FunctionCall seen
    ready     u32 = 0 // ReadyForQuery that answered one of them
}

enum FrontendType : u8 {
    bind          = 0x42 "Bind"
    close         = 0x43 "Close"
    describe      = 0x44 "Describe"
    execute       = 0x45 "Execute"
    function_call = 0x46 "FunctionCall"
    flush         = 0x48 "Flush"
    parse         = 0x50 "Parse"
    query         = 0x51 "Query"
    sync          = 0x53 "Sync"
    terminate     = 0x58 "Terminate"
    copy_done     = 0x63 "CopyDone"
    copy_data     = 0x64 "CopyData"
    copy_fail     = 0x66 "CopyFail"
    password      = 0x70 "PasswordMessage"
}

enum BackendType : u8 {
    parse_complete             = 0x31 "ParseComplete"
    bind_complete              = 0x32 "BindComplete"
    close_complete             = 0x33 "CloseComplete"
    notification_response      = 0x41 "NotificationResponse"
    command_complete           = 0x43 "CommandComplete"
    data_row                   = 0x44 "DataRow"
    error_response             = 0x45 "ErrorResponse"
    copy_in_response           = 0x47 "CopyInResponse"
    copy_out_response          = 0x48 "CopyOutResponse"
    empty_query_response       = 0x49 "EmptyQueryResponse"
    backend_key_data           = 0x4B "BackendKeyData"
    notice_response            = 0x4E "NoticeResponse"
    authentication             = 0x52 "AuthenticationRequest"
    parameter_status           = 0x53 "ParameterStatus"
    row_description            = 0x54 "RowDescription"
    function_call_response     = 0x56 "FunctionCallResponse"
    copy_both_response         = 0x57 "CopyBothResponse"
    ready_for_query            = 0x5A "ReadyForQuery"
    copy_data                  = 0x64 "CopyData"
    copy_done                  = 0x63 "CopyDone"
    no_data                    = 0x6E "NoData"
    portal_suspended           = 0x73 "PortalSuspended"
    parameter_description      = 0x74 "ParameterDescription"
    negotiate_protocol_version = 0x76 "NegotiateProtocolVersion"
}

enum AuthType : u32 {
    ok                 = 0  "AuthenticationOk"
    kerberos_v5        = 2  "AuthenticationKerberosV5"
    cleartext_password = 3  "AuthenticationCleartextPassword"
    md5_password       = 5  "AuthenticationMD5Password"
    gss                = 7  "AuthenticationGSS"
    gss_continue       = 8  "AuthenticationGSSContinue"
    sspi               = 9  "AuthenticationSSPI"
    sasl               = 10 "AuthenticationSASL"
    sasl_continue      = 11 "AuthenticationSASLContinue"
    sasl_final         = 12 "AuthenticationSASLFinal"
}

enum TransactionStatus : u8 {
    idle           = 0x49 "Idle"
    in_transaction = 0x54 "In transaction"
    failed         = 0x45 "In failed transaction"
}

enum TargetKind : u8 {
    portal    = 0x50 "Portal"
    statement = 0x53 "Prepared statement"
}

enum FormatCode : u16 {
    text   = 0 "Text"
    binary = 1 "Binary"
}

enum CopyFormat : u8 {
    text   = 0 "Text"
    binary = 1 "Binary"
}

enum ErrorFieldType : u8 {
    end                   = 0x00 "End"
    column_name           = 0x63 "Column name"
    constraint_name       = 0x6E "Constraint name"
    data_type_name        = 0x64 "Data type name"
    detail                = 0x44 "Detail"
    file                  = 0x46 "File"
    hint                  = 0x48 "Hint"
    line                  = 0x4C "Line"
    message               = 0x4D "Message"
    position              = 0x50 "Position"
    internal_position     = 0x70 "Internal position"
    internal_query        = 0x71 "Internal query"
    routine               = 0x52 "Routine"
    severity              = 0x53 "Severity"
    severity_nonlocalized = 0x56 "Severity (not localized)"
    sqlstate              = 0x43 "Code"
    schema_name           = 0x73 "Schema name"
    table_name            = 0x74 "Table name"
    where                 = 0x57 "Where"
}

enum EncryptionAnswer : u8 {
    gss_accepted = 0x47 "GSSAPI encryption accepted"
    refused      = 0x4E "Refused"
    ssl_accepted = 0x53 "SSL accepted"
}

enum TLSContentType : u8 {
    change_cipher_spec = 0x14 "Change Cipher Spec"
    alert              = 0x15 "Alert"
    handshake          = 0x16 "Handshake"
    application_data   = 0x17 "Application Data"
}

// ---------------------------------------------------------------------
// Frontend (client to server)

struct Frontend [summary = "{message}"] {
    message switch u8(0) {
        case 0:          Untyped
        case 0x14..0x17: TLSRecord
        default:         FrontendTyped
    }
}

// StartupMessage, SSLRequest, GSSENCRequest, CancelRequest: a length, then
// a code that is a protocol version or a request code (1234 in the high
// half, 5678 to 5680 in the low half).
struct Untyped [summary = "{body}"] {
    length u32 [ws = "pgsql.length", range = 8..10000]
    major  u16 [ws = "pgsql.version_major"]
    minor  u16 [ws = "pgsql.version_minor"]
    body switch major {
        case 1234: switch minor {
            case 5678: CancelRequest
            case 5679: SSLRequest
            case 5680: GSSENCRequest
        }
        case 3: StartupMessage
    }
}

// The user and database parameters, when they come first (as libpq and
// most drivers send them), are named and shown in the summary; every other
// parameter is in the list after them.
// LANGUAGE GAP: a summary can show an array only as "N items", and a
// field only by name, so parameters are found by comparing their bytes
// with "user\0" and "database\0", in that order only; and an optional
// part of a summary needs a switch to an empty struct (a field that is
// absent shows "?"). Something like `{parameters[name == "user"].value}`
// and `{?field}` (nothing when absent) would do both.
struct StartupMessage [summary = "StartupMessage:{user}{database}"] {
    user switch remaining() >= 5 && u32(offset()) == 0x75736572 && u8(offset() + 4) == 0 {
        case 1:  UserParameter
        default: Empty
    }
    database switch remaining() >= 9 && u64(offset()) == 0x6461746162617365 && u8(offset() + 8) == 0 {
        case 1:  DatabaseParameter
        default: Empty
    }
    parameters [while remaining() > 0 && u8(offset()) != 0]StartupParameter
    terminator u8 = 0
    assert state.phase != 2, "a StartupMessage after the startup phase"
    set state.phase = 1
    set state.requests = state.requests + 1
    pair request state.requests
}

struct Empty {}

struct UserParameter [summary = " user={value:text}"] {
    name  [until 0]utf8 [ws = "pgsql.parameter_name"]
    value [until 0]utf8 [ws = "pgsql.parameter_value"]
}

struct DatabaseParameter [summary = " database={value:text}"] {
    name  [until 0]utf8 [ws = "pgsql.parameter_name"]
    value [until 0]utf8 [ws = "pgsql.parameter_value"]
}

struct StartupParameter [summary = "{name}={value}"] {
    name  [until 0]utf8 [ws = "pgsql.parameter_name"]
    value [until 0]utf8 [ws = "pgsql.parameter_value"]
}

struct SSLRequest [summary = "SSLRequest"] {
    assert state.phase != 2, "an SSLRequest after the startup phase"
    set state.encryption = 1
    pair request -1
}

struct GSSENCRequest [summary = "GSSENCRequest"] {
    assert state.phase != 2, "a GSSENCRequest after the startup phase"
    set state.encryption = 2
    pair request -1
}

struct CancelRequest [summary = "CancelRequest: pid {process_id}"] {
    process_id u32 [ws = "pgsql.pid"]
    secret_key []byte [ws = "pgsql.key", doc = "4 bytes before protocol 3.2, up to 256 after"]
    assert state.phase != 2, "a CancelRequest on a connection past its startup phase"
}

struct FrontendTyped [summary = "{body}"] {
    type   FrontendType [ws = "pgsql.type", base = hex]
    length u32          [ws = "pgsql.length", range = 4..0xFFFFFFFF]
    body switch type {
        case bind:          Bind
        case close:         Close
        case copy_data:     CopyData
        case copy_done:     CopyDone
        case copy_fail:     CopyFail
        case describe:      Describe
        case execute:       Execute
        case flush:         Flush
        case function_call: FunctionCall
        case parse:         Parse
        case password:      switch state.auth {
            case 3, 5:      PasswordMessage
            case 7, 8, 9:   GSSResponse
            case 10:        SASLInitialResponse
            case 11, 12:    SASLResponse
            default:        switch u8(length) {
                case 0:     PasswordMessage
                default:    AuthenticationResponse
            }
        }
        case query:         Query
        case sync:          Sync
        case terminate:     Terminate
        default:            UnknownMessage
    } [size = length - 4]
    assert state.phase != 1 || type == FrontendType.password || type == FrontendType.terminate,
        "only PasswordMessage and Terminate may come during the startup phase"
}

struct Query [summary = "Query: {query}"] {
    query [until 0]utf8 [ws = "pgsql.query"]
    set state.requests = state.requests + 1
    pair request state.requests
}

struct Parse [summary = "Parse: {statement} {query}"] {
    statement        [until 0]utf8   [ws = "pgsql.statement", doc = "The prepared statement's name; empty: the unnamed statement"]
    query            [until 0]utf8   [ws = "pgsql.query"]
    parameter_count  u16
    parameter_types  [parameter_count]u32 [ws = "pgsql.oid", doc = "Type OIDs; 0 leaves a type unspecified"]
}

struct Bind [summary = "Bind: portal {portal}, statement {statement}, {parameters}"] {
    portal              [until 0]utf8          [ws = "pgsql.portal"]
    statement           [until 0]utf8          [ws = "pgsql.statement"]
    format_count        u16
    formats             [format_count]FormatCode [ws = "pgsql.format"]
    parameter_count     u16
    parameters          [parameter_count]Value
    result_format_count u16
    result_formats      [result_format_count]FormatCode [ws = "pgsql.format"]
}

// A parameter or column value: its length, -1 for NULL, then the bytes, in
// text (shown as text) or binary format.
struct Value [summary = "{value}"] {
    length s32 [ws = "pgsql.val.length"]
    value  switch length {
        case -1:  Null
        default:  ValueData(length)
    }
}

struct Null [summary = "NULL"] {}

struct ValueData(length s32) [summary = "{data}"] {
    data [length]utf8 [ws = "pgsql.val.data"]
}

struct Execute [summary = "Execute: portal {portal}, max rows {max_rows}"] {
    portal   [until 0]utf8 [ws = "pgsql.portal"]
    max_rows u32           [ws = "pgsql.returns", doc = "0: no limit"]
}

struct Describe [summary = "Describe: {kind} {name}"] {
    kind TargetKind [base = hex]
    name [until 0]utf8
}

struct Close [summary = "Close: {kind} {name}"] {
    kind TargetKind [base = hex]
    name [until 0]utf8
}

struct Sync [summary = "Sync"] {
    set state.requests = state.requests + 1
    pair request state.requests
}

struct Flush [summary = "Flush"] {}

struct Terminate [summary = "Terminate"] {}

struct CopyData [summary = "CopyData: {data}"] {
    data []byte [ws = "pgsql.copydata"]
}

struct CopyDone [summary = "CopyDone"] {}

struct CopyFail [summary = "CopyFail: {message}"] {
    message [until 0]utf8 [ws = "pgsql.error"]
}

struct FunctionCall [summary = "FunctionCall: oid {function}"] {
    function             u32 [ws = "pgsql.oid"]
    format_count         u16
    formats              [format_count]FormatCode [ws = "pgsql.format"]
    argument_count       u16
    arguments            [argument_count]Value
    result_format        FormatCode [ws = "pgsql.format"]
    set state.requests = state.requests + 1
    pair request state.requests
}

struct PasswordMessage [summary = "PasswordMessage"] {
    password [until 0]utf8 [ws = "pgsql.password", doc = "In clear, or \"md5\" and the hex digest"]
}

struct SASLInitialResponse [summary = "SASLInitialResponse: {mechanism}"] {
    mechanism [until 0]utf8 [ws = "pgsql.auth.sasl.mech"]
    length    s32           [ws = "pgsql.auth.sasl.data.length", doc = "-1: no initial response"]
    data      [length]utf8  [if = length >= 0, ws = "pgsql.auth.sasl.data"]
}

struct SASLResponse [summary = "SASLResponse"] {
    data []utf8 [ws = "pgsql.auth.sasl.data"]
}

struct GSSResponse [summary = "GSSResponse"] {
    data []byte [ws = "pgsql.auth.gssapi_sspi.data"]
}

// A 'p' message seen without the authentication request before it: its
// kind is unknown.
struct AuthenticationResponse [summary = "PasswordMessage (SASL or GSS response)"] {
    data []byte
}

struct UnknownMessage [summary = "Unknown message"] {
    data []byte
}

// ---------------------------------------------------------------------
// Backend (server to client)

struct Backend [summary = "{message}"] {
    message switch remaining() == 1 ? 1 : u8(0) >= 0x14 && u8(0) <= 0x17 ? 2 : 0 {
        case 1:  EncryptionResponse
        case 2:  TLSRecord
        default: BackendTyped
    }
}

// The one-byte answer to SSLRequest or GSSENCRequest.
struct EncryptionResponse [summary = "{request}"] {
    request switch state.encryption {
        case 2:  GSSENCResponse
        default: SSLResponse
    }
    assert state.encryption != 0, "an encryption answer with no SSLRequest or GSSENCRequest before it"
    set state.encryption = 0
    pair response -1
}

struct SSLResponse [summary = "SSLRequest answer: {answer}"] {
    answer EncryptionAnswer [base = hex]
    assert answer == EncryptionAnswer.ssl_accepted || answer == EncryptionAnswer.refused, "SSLRequest is answered with 'S' or 'N'"
}

struct GSSENCResponse [summary = "GSSENCRequest answer: {answer}"] {
    answer EncryptionAnswer [base = hex]
    assert answer == EncryptionAnswer.gss_accepted || answer == EncryptionAnswer.refused, "GSSENCRequest is answered with 'G' or 'N'"
}

// A TLS record, after the server accepted SSLRequest: its header, and the
// whole record handed on to the tls protocol, which decodes the handshake
// (encrypted records stay bytes there too).
struct TLSRecord [summary = "TLS {content_type} record, {length} bytes"] {
    content_type TLSContentType [base = hex]
    version      u16 [base = hex]
    length       u16
    data         [length]byte
    record       [length + 5]byte [at = 0, stream = "tls", hidden, doc = "The whole record, for the tls protocol"]
}

struct BackendTyped [summary = "{body}"] {
    type   BackendType [ws = "pgsql.type", base = hex]
    length u32         [ws = "pgsql.length", range = 4..0xFFFFFFFF]
    body switch type {
        case authentication:             Authentication
        case backend_key_data:           BackendKeyData
        case bind_complete:              BindComplete
        case close_complete:             CloseComplete
        case command_complete:           CommandComplete
        case copy_data:                  CopyData
        case copy_done:                  CopyDone
        case copy_in_response:           CopyInResponse
        case copy_out_response:          CopyOutResponse
        case copy_both_response:         CopyBothResponse
        case data_row:                   DataRow
        case empty_query_response:       EmptyQueryResponse
        case error_response:             ErrorResponse
        case function_call_response:     FunctionCallResponse
        case negotiate_protocol_version: NegotiateProtocolVersion
        case no_data:                    NoData
        case notice_response:            NoticeResponse
        case notification_response:      NotificationResponse
        case parameter_description:      ParameterDescription
        case parameter_status:           ParameterStatus
        case parse_complete:             ParseComplete
        case portal_suspended:           PortalSuspended
        case ready_for_query:            ReadyForQuery
        case row_description:            RowDescription
        default:                         UnknownMessage
    } [size = length - 4]
}

struct Authentication [summary = "{request}"] {
    code AuthType [ws = "pgsql.authtype"]
    set state.auth = code
    request switch code {
        case md5_password:  MD5Salt
        case sasl:          SASLMechanisms
        case gss_continue:  GSSContinue
        case sasl_continue: SASLContinue
        case sasl_final:    SASLFinal
        case ok:                 AuthenticationOk
        case kerberos_v5:        AuthenticationKerberosV5
        case cleartext_password: AuthenticationCleartextPassword
        case gss:                AuthenticationGSS
        case sspi:               AuthenticationSSPI
        default:                 AuthenticationOther
    }
}

struct AuthenticationOk                [summary = "AuthenticationOk"] {}
struct AuthenticationKerberosV5        [summary = "AuthenticationKerberosV5"] {}
struct AuthenticationCleartextPassword [summary = "AuthenticationCleartextPassword"] {}
struct AuthenticationGSS               [summary = "AuthenticationGSS"] {}
struct AuthenticationSSPI              [summary = "AuthenticationSSPI"] {}

struct AuthenticationOther [summary = "AuthenticationRequest (unknown method)"] {
    data []byte
}

struct MD5Salt [summary = "AuthenticationMD5Password"] {
    salt [4]byte [ws = "pgsql.salt"]
}

struct SASLMechanisms [summary = "AuthenticationSASL: {mechanisms}"] {
    mechanisms [while remaining() > 0 && u8(offset()) != 0]SASLMechanism
    terminator u8 = 0
}

struct SASLMechanism [summary = "{name}"] {
    name [until 0]utf8 [ws = "pgsql.auth.sasl.mech"]
}

struct SASLContinue [summary = "AuthenticationSASLContinue: {data}"] {
    data []utf8 [ws = "pgsql.auth.sasl.data"]
}

struct SASLFinal [summary = "AuthenticationSASLFinal: {data}"] {
    data []utf8 [ws = "pgsql.auth.sasl.data"]
}

struct GSSContinue [summary = "AuthenticationGSSContinue"] {
    data []byte [ws = "pgsql.auth.gssapi_sspi.data"]
}

struct BackendKeyData [summary = "BackendKeyData: pid {process_id}"] {
    process_id u32    [ws = "pgsql.pid"]
    secret_key []byte [ws = "pgsql.key", doc = "4 bytes before protocol 3.2, up to 256 after"]
}

struct ParameterStatus [summary = "ParameterStatus: {name}={value}"] {
    name  [until 0]utf8 [ws = "pgsql.parameter_name"]
    value [until 0]utf8 [ws = "pgsql.parameter_value"]
}

struct ReadyForQuery [summary = "ReadyForQuery: {status}"] {
    status TransactionStatus [ws = "pgsql.status", base = hex]
    set state.phase = 2
    // The answer to the oldest request still waiting, if any.
    let answers = state.ready < state.requests ? state.ready + 1 : -2 [doc = "Which request this ends: the n-th StartupMessage, Query, Sync or FunctionCall of the connection; -2: none was waiting"]
    set state.ready = answers > 0 ? answers : state.ready
    pair response answers
}

struct RowDescription [summary = "RowDescription: {fields}"] {
    field_count u16 [ws = "pgsql.field.count"]
    fields      [field_count]FieldDescription
}

struct FieldDescription [summary = "{name}"] {
    name          [until 0]utf8 [ws = "pgsql.col.name"]
    table_oid     u32           [ws = "pgsql.oid.table"]
    column_index  u16           [ws = "pgsql.col.index"]
    type_oid      u32           [ws = "pgsql.oid.type"]
    type_size     s16           [ws = "pgsql.val.length", doc = "Negative: a variable-width type"]
    type_modifier s32           [ws = "pgsql.col.typemod"]
    format        FormatCode    [ws = "pgsql.format"]
}

struct DataRow [summary = "DataRow: {columns}"] {
    column_count u16 [ws = "pgsql.field.count"]
    columns      [column_count]Value
}

struct CommandComplete [summary = "CommandComplete: {tag}"] {
    tag [until 0]utf8 [ws = "pgsql.tag"]
}

struct EmptyQueryResponse [summary = "EmptyQueryResponse"] {}
struct ParseComplete      [summary = "ParseComplete"] {}
struct BindComplete       [summary = "BindComplete"] {}
struct CloseComplete      [summary = "CloseComplete"] {}
struct NoData             [summary = "NoData"] {}
struct PortalSuspended    [summary = "PortalSuspended"] {}

struct CopyInResponse [summary = "CopyInResponse: {format}, {columns}"] {
    format       CopyFormat [ws = "pgsql.format"]
    column_count u16
    columns      [column_count]FormatCode [ws = "pgsql.format"]
}

struct CopyOutResponse [summary = "CopyOutResponse: {format}, {columns}"] {
    format       CopyFormat [ws = "pgsql.format"]
    column_count u16
    columns      [column_count]FormatCode [ws = "pgsql.format"]
}

struct CopyBothResponse [summary = "CopyBothResponse: {format}, {columns}"] {
    format       CopyFormat [ws = "pgsql.format"]
    column_count u16
    columns      [column_count]FormatCode [ws = "pgsql.format"]
}

struct FunctionCallResponse [summary = "FunctionCallResponse: {result}"] {
    result Value
}

struct ParameterDescription [summary = "ParameterDescription: {types}"] {
    count u16
    types [count]u32 [ws = "pgsql.oid.type"]
}

struct NotificationResponse [summary = "NotificationResponse: {channel} {payload}"] {
    process_id u32           [ws = "pgsql.pid"]
    channel    [until 0]utf8 [ws = "pgsql.condition"]
    payload    [until 0]utf8 [ws = "pgsql.text"]
}

struct NegotiateProtocolVersion [summary = "NegotiateProtocolVersion: 3.{newest_minor}"] {
    newest_minor u32 [ws = "pgsql.version_supported_minor"]
    option_count s32 [ws = "pgsql.number_nonsupported_options"]
    options      [option_count][until 0]utf8 [ws = "pgsql.nonsupported_option"]
}

// ErrorResponse and NoticeResponse: fields of a type byte and a string, up
// to a 0 byte. The server sends Severity, Severity (not localized, 9.6 and
// later), Code and Message first, in that order: those are named (and
// shown in the summary) as they come in that order; every other field, and
// those that come out of that order, is in the list after them.
struct ErrorResponse [summary = "ErrorResponse:{severity}{sqlstate}{message}"] {
    severity switch remaining() > 0 && u8(offset()) == 0x53 {
        case 1:  Severity
        default: Empty
    }
    severity_nl switch remaining() > 0 && u8(offset()) == 0x56 {
        case 1:  SeverityNL
        default: Empty
    }
    sqlstate switch remaining() > 0 && u8(offset()) == 0x43 {
        case 1:  SQLState
        default: Empty
    }
    message switch remaining() > 0 && u8(offset()) == 0x4D {
        case 1:  Message
        default: Empty
    }
    fields     [while remaining() > 0 && u8(offset()) != 0]ErrorField
    terminator u8 = 0
}

struct NoticeResponse [summary = "NoticeResponse:{severity}{sqlstate}{message}"] {
    severity switch remaining() > 0 && u8(offset()) == 0x53 {
        case 1:  Severity
        default: Empty
    }
    severity_nl switch remaining() > 0 && u8(offset()) == 0x56 {
        case 1:  SeverityNL
        default: Empty
    }
    sqlstate switch remaining() > 0 && u8(offset()) == 0x43 {
        case 1:  SQLState
        default: Empty
    }
    message switch remaining() > 0 && u8(offset()) == 0x4D {
        case 1:  Message
        default: Empty
    }
    fields     [while remaining() > 0 && u8(offset()) != 0]ErrorField
    terminator u8 = 0
}

struct Severity [summary = " {value}"] {
    type  ErrorFieldType = severity [base = hex]
    value [until 0]utf8 [ws = "pgsql.severity"]
}

struct SeverityNL [summary = " {value}"] {
    type  ErrorFieldType = severity_nonlocalized [base = hex]
    value [until 0]utf8 [ws = "pgsql.text", doc = "The severity, never translated (Wireshark calls it Text)"]
}

struct SQLState [summary = " {value}"] {
    type  ErrorFieldType = sqlstate [base = hex]
    value [until 0]utf8 [ws = "pgsql.code"]
}

struct Message [summary = " {value}"] {
    type  ErrorFieldType = message [base = hex]
    value [until 0]utf8 [ws = "pgsql.message"]
}

struct ErrorField [summary = "{type}: {value}"] {
    type  ErrorFieldType [base = hex]
    value [until 0]utf8
}
