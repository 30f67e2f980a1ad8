// MongoDB wire protocol, as in the MongoDB manual ("MongoDB Wire Protocol",
// "Legacy Opcodes") and the BSON specification 1.1 (bsonspec.org).
//
// Every message is a 16-byte little-endian header (length, request id,
// response to, opcode), then the body of its opcode: OP_MSG (MongoDB 3.6
// and later: flag bits, sections of kind 0, one body document, and kind
// 1, a document sequence, then an optional CRC-32C checksum), and the
// legacy OP_QUERY and OP_REPLY, which drivers still use for the first
// "hello" of a connection. OP_COMPRESSED is decoded as its header, with
// the compressed message as bytes (the compressors, snappy, zlib and zstd,
// are not in the language). OP_UPDATE, OP_INSERT, OP_GET_MORE, OP_DELETE
// and OP_KILL_CURSORS (removed in MongoDB 6.0) are shown as bytes.
//
// BSON documents decode as a tree of elements: type, name, value. Nested
// documents and arrays nest (at most --max-depth deep).
//
// A reply names the request it answers in responseTo: requests (response
// to 0) pair by their request id, replies by responseTo. A message sent
// with moreToCome set gets no reply.

protocol mongodb {
    title       "MongoDB"
    description "MongoDB wire protocol: OP_MSG, OP_QUERY, OP_REPLY, OP_COMPRESSED; BSON documents as element trees"
    transport   tcp
    ports       27017
    endian      little
    wireshark   "mongo"
    message     Message
}

// The length counts the whole message. The opcode must be a known one,
// which makes the search for a message boundary reliable. 48 MB is the
// server's maxMessageSizeBytes.
framing {
    size (u32(12) == 1 || (u32(12) >= 2001 && u32(12) <= 2007) || (u32(12) >= 2010 && u32(12) <= 2013)) ? u32(0) : 0
    min  16
    max  48000000
}

// A MsgHeader with a sane length and a known opcode: a request answers
// nothing (responseTo 0) and is a client's opcode; a response answers a
// request (responseTo non-zero) with OP_REPLY, OP_MSG or OP_COMPRESSED.
// OP_MSG's flags have no unknown bit set.
heuristic {
    request  u32(0) >= 21 && u32(0) <= 48000000 && u32(8) == 0 &&
             ((u32(12) >= 2001 && u32(12) <= 2007 && u32(12) != 2003) || u32(12) == 2010 || u32(12) == 2012 ||
              (u32(12) == 2013 && (u32(16) & 0xFFFEFFFC) == 0))
    response u32(0) >= 21 && u32(0) <= 48000000 && u32(8) != 0 &&
             (u32(12) == 1 || u32(12) == 2011 || u32(12) == 2012 || (u32(12) == 2013 && (u32(16) & 0xFFFEFFFC) == 0))
}

enum OpCode : s32 {
    reply        = 1    "OP_REPLY"
    update       = 2001 "OP_UPDATE"
    insert       = 2002 "OP_INSERT"
    reserved     = 2003 "RESERVED"
    query        = 2004 "OP_QUERY"
    get_more     = 2005 "OP_GET_MORE"
    delete       = 2006 "OP_DELETE"
    kill_cursors = 2007 "OP_KILL_CURSORS"
    command      = 2010 "OP_COMMAND"
    command_reply = 2011 "OP_COMMANDREPLY"
    compressed   = 2012 "OP_COMPRESSED"
    msg          = 2013 "OP_MSG"
}

flags MsgFlags : u32 {
    checksum_present = 0x00000001
    more_to_come     = 0x00000002
    exhaust_allowed  = 0x00010000
}

flags QueryFlags : u32 {
    tailable_cursor   = 0x02
    slave_ok          = 0x04
    oplog_replay      = 0x08
    no_cursor_timeout = 0x10
    await_data        = 0x20
    exhaust           = 0x40
    partial           = 0x80
}

flags ReplyFlags : u32 {
    cursor_not_found    = 0x01
    query_failure       = 0x02
    shard_config_stale  = 0x04
    await_capable       = 0x08
}

enum SectionKind : u8 {
    body              = 0 "Body"
    document_sequence = 1 "Document Sequence"
}

enum Compressor : u8 {
    noop   = 0 "noop"
    snappy = 1 "snappy"
    zlib   = 2 "zlib"
    zstd   = 3 "zstd"
}

enum ElementType : u8 {
    double      = 0x01 "Double"
    string      = 0x02 "String"
    document    = 0x03 "Document"
    array       = 0x04 "Array"
    binary      = 0x05 "Binary"
    undefined   = 0x06 "Undefined"
    object_id   = 0x07 "ObjectId"
    boolean     = 0x08 "Boolean"
    datetime    = 0x09 "UTC datetime"
    null        = 0x0A "Null"
    regex       = 0x0B "Regular expression"
    db_pointer  = 0x0C "DBPointer"
    javascript  = 0x0D "JavaScript code"
    symbol      = 0x0E "Symbol"
    code_w_scope = 0x0F "JavaScript code with scope"
    int32       = 0x10 "Int32"
    timestamp   = 0x11 "Timestamp"
    int64       = 0x12 "Int64"
    decimal128  = 0x13 "Decimal128"
    min_key     = 0xFF "Min key"
    max_key     = 0x7F "Max key"
}

enum BinarySubtype : u8 {
    generic      = 0x00 "Generic"
    function     = 0x01 "Function"
    binary_old   = 0x02 "Binary (old)"
    uuid_old     = 0x03 "UUID (old)"
    uuid         = 0x04 "UUID"
    md5          = 0x05 "MD5"
    encrypted    = 0x06 "Encrypted"
    column       = 0x07 "Compressed column"
    sensitive    = 0x08 "Sensitive"
    vector       = 0x09 "Vector"
    user_defined = 0x80 "User defined"
}

// ---------------------------------------------------------------------

struct Message [summary = "{header}{body}"] {
    header MsgHeader
    body switch header.opcode {
        case msg:        OpMsg(header.length)
        case query:      OpQuery
        case reply:      OpReply
        case compressed: OpCompressed
        default:         Legacy
    }
    // OP_MSG with moreToCome set gets no reply.
    pair request  header.request_id  [if = header.response_to == 0 && header.opcode != OpCode.reply &&
                                            (header.opcode != OpCode.msg || (u32(16) & MsgFlags.more_to_come) == 0)]
    pair response header.response_to [if = header.response_to != 0]
}

struct MsgHeader [summary = "{kind:label} {opcode:label}, id {request_id}{reply?}"] {
    length      s32    [ws = "mongo.message_length", range = 16..48000000]
    request_id  u32    [ws = "mongo.request_id"]
    response_to u32    [ws = "mongo.response_to", doc = "The request id this message answers; 0 in a request"]
    opcode      OpCode [ws = "mongo.opcode"]
    let kind Direction = response_to == 0 ? 0 : 1 [hidden]
    reply ReplyTo [if = response_to != 0, at = offset(response_to), hidden]
}

enum Direction : u8 {
    request  = 0 "Request"
    response = 1 "Response"
}

struct ReplyTo [summary = " to {id}"] {
    id u32
}

// OP_MSG: flag bits, sections (one body, any document sequences), then a
// CRC-32C of the whole message when checksumPresent is set.
struct OpMsg(length s32) [summary = ", {sections:first}"] {
    flags    MsgFlags [ws = "mongo.msg.flags", base = hex]
    sections [while remaining() > (flags & MsgFlags.checksum_present != 0 ? 4 : 0)]Section
    checksum u32 [if = flags & MsgFlags.checksum_present != 0, base = hex,
                  checksum = crc32c(0, offset(checksum)), doc = "CRC-32C of the message before it"]
    assert (flags & 0xFFFC) == 0, "flag bits 2 to 15 are required to be 0"
}

struct Section [summary = "{content}"] {
    kind    SectionKind [ws = "mongo.msg.sections.section.kind"]
    content switch kind {
        case body:              Document
        case document_sequence: DocumentSequence
    }
}

// Kind 1: a size, an identifier (the command argument the documents are,
// such as "documents" of insert), then documents up to the size.
struct DocumentSequence [summary = "{identifier:text}: {documents}"] {
    size       s32       [ws = "mongo.msg.sections.section.size", range = 5..48000000]
    identifier [until 0]utf8 [ws = "mongo.msg.sections.section.doc_sequence_id"]
    documents  []Document [size = size - 4 - sizeof(identifier)]
}

// OP_QUERY: the legacy query, still sent for the first handshake.
struct OpQuery [summary = ", {full_collection_name:text} {query}"] {
    flags                  QueryFlags [ws = "mongo.query.flags", base = hex]
    full_collection_name   [until 0]utf8 [ws = "mongo.full_collection_name"]
    number_to_skip         s32 [ws = "mongo.number_to_skip"]
    number_to_return       s32 [ws = "mongo.number_to_return"]
    query                  Document [ws = "mongo.query"]
    return_field_selector  Document [ws = "mongo.return_field_selector", if = remaining() > 0]
}

// OP_REPLY: the answer to OP_QUERY.
struct OpReply [summary = ", {number_returned} documents"] {
    flags           ReplyFlags [ws = "mongo.reply.flags", base = hex]
    cursor_id       s64 [ws = "mongo.cursor_id"]
    starting_from   s32 [ws = "mongo.starting_from"]
    number_returned s32 [ws = "mongo.number_returned", range = 0..1000000]
    documents       [number_returned]Document
    assert remaining() == 0, "bytes after the documents"
}

// OP_COMPRESSED: the header of the message that was compressed, then the
// compressed bytes. With the noop compressor they are the message's body
// as it is, and are decoded.
struct OpCompressed [summary = ", {compressor:label} {original_opcode:label}{original?}"] {
    original_opcode   OpCode     [ws = "mongo.compression.original_opcode"]
    uncompressed_size s32        [ws = "mongo.compression.original_size"]
    compressor        Compressor [ws = "mongo.compression.compressor"]
    compressed        []byte     [ws = "mongo.compression.compressed_data", if = compressor != Compressor.noop]
    original switch original_opcode {
        case msg:   OpMsg(uncompressed_size + 16)
        case query: OpQuery
        case reply: OpReply
        default:    Legacy
    } [if = compressor == Compressor.noop, size = remaining()]
    assert compressor != Compressor.noop || remaining() == 0 && sizeof(original) == uncompressed_size,
        "the uncompressed size does not match the message"
}

struct Legacy {
    data []byte [ws = "mongo.unknown"]
}

// ---------------------------------------------------------------------
// BSON

// A document: its length (counting itself and the final 0), elements,
// and a 0 byte. Its summary shows the first element, which names the
// command of an OP_MSG body.
struct Document [summary = "{{{elements:first}{more?}}}"] {
    length     s32 [ws = "mongo.document.length", range = 5..16777216]
    elements   [while offset() - offset(length) < length - 1 && u8(offset()) != 0]Element
    terminator u8 = 0
    let more_elements = len(elements) > 1 [hidden]
    more       More [if = more_elements, at = offset(terminator), hidden]
    assert offset() - offset(length) == length, "the document's elements do not end at its length"
}

struct More [summary = ", …"] {}

struct Element [summary = "{name:text}: {value}"] {
    type  ElementType   [ws = "mongo.element.type", base = hex]
    name  [until 0]utf8 [ws = "mongo.element.name"]
    value switch type {
        case double:       Double
        case string, javascript, symbol: String
        case document, array: Document
        case binary:       Binary
        case undefined, null, min_key, max_key: Nothing
        case object_id:    ObjectID
        case boolean:      Boolean
        case datetime:     DateTime
        case regex:        Regex
        case db_pointer:   DBPointer
        case code_w_scope: CodeWithScope
        case int32:        Int32
        case timestamp:    Timestamp
        case int64:        Int64
        case decimal128:   Decimal128
    }
}

struct Nothing [summary = "null"] {}

struct Double [summary = "{value}"] {
    value f64 [ws = "mongo.element.value.double"]
}

struct String [summary = "{value}"] {
    length s32 [ws = "mongo.element.value.length", range = 1..16777216]
    value  [length - 1]utf8 [ws = "mongo.element.value.string"]
    nul    u8 = 0
}

struct Binary [summary = "{subtype:label} {data}"] {
    length  s32 [ws = "mongo.element.value.length", range = 0..16777216]
    subtype BinarySubtype [base = hex]
    data    [length]byte [ws = "mongo.element.value.bytes"]
}

struct ObjectID [summary = "{id}"] {
    id [12]byte [ws = "mongo.element.value.objectid"]
}

struct Boolean [summary = "{value}"] {
    value bool [ws = "mongo.element.value.bool"]
}

struct DateTime [summary = "{value}"] {
    value s64 [ws = "mongo.element.value.int64", time = unix_ms]
}

struct Regex [summary = "/{pattern:text}/{options:text}"] {
    pattern [until 0]utf8 [ws = "mongo.element.value.regex.pattern"]
    options [until 0]utf8 [ws = "mongo.element.value.regex.options"]
}

struct DBPointer [summary = "{namespace} {id}"] {
    namespace String
    id        [12]byte [ws = "mongo.element.value.db_ptr"]
}

struct CodeWithScope [summary = "{code}"] {
    length s32 [range = 14..16777216]
    code   String
    scope  Document
}

struct Int32 [summary = "{value}"] {
    value s32 [ws = "mongo.element.value.int"]
}

struct Timestamp [summary = "{seconds}:{increment}"] {
    increment u32
    seconds   u32 [time = unix]
}

struct Int64 [summary = "{value}"] {
    value s64 [ws = "mongo.element.value.int64"]
}

struct Decimal128 [summary = "{value}"] {
    value [16]byte [doc = "IEEE 754-2008 decimal128, little-endian, shown as bytes"]
}
