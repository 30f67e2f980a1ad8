// TLV: a small made-up type-length-value protocol, to exercise varints.
// It is not a real protocol; its port, 7001, was picked for it.
//
// Every integer on the wire is a varint. A message is its length (unsigned
// LEB128), then that many bytes of items. An item is:
//
//     type   uleb128   what the value is (below)
//     length uleb128   the value's size in bytes
//     value  length bytes
//
// and its value, by type:
//
//     1  integer   a zigzag-encoded signed integer (protobuf sint64) that
//                  fills the value exactly
//     2  string    UTF-8 text
//     3  list      more items, to the end of the value: lists nest
//     4  bytes     raw bytes
//     5  unsigned  an unsigned LEB128 integer that fills the value
//     6  signed    a signed LEB128 integer that fills the value
//
// A value of any other type is kept as bytes. Example: the message
//     0e 01 01 03 02 02 68 69 03 05 01 01 01 04 00
// is 14 bytes of items: integer -2, string "hi", and a list holding the
// integer -1 and empty bytes.

protocol tlv {
    title       "TLV"
    description "A made-up TLV protocol with varint lengths (example)"
    transport   tcp
    ports       7001
    message     Message
}

framing {
    size uleb128_len(0) + uleb128(0)
    min  1
    max  1048576
}

enum ItemType : uleb128 {
    integer  = 1 "Integer"
    string   = 2 "String"
    list     = 3 "List"
    bytes    = 4 "Bytes"
    unsigned = 5 "Unsigned"
    signed   = 6 "Signed"
}

struct Message [summary = "TLV {items}"] {
    length uleb128 [doc = "Bytes of items that follow"]
    items  []Item  [size = length]
}

struct Item [summary = "{type} {value}"] {
    type   ItemType
    length uleb128  [doc = "Bytes of the value"]
    value switch type {
        case integer:  zigzag
        case string:   []utf8
        case list:     List
        case unsigned: uleb128
        case signed:   sleb128
        default:       []byte
    } [size = length]
    assert (type != ItemType.integer && type != ItemType.unsigned && type != ItemType.signed) || sizeof(value) == length,
        "a varint value must fill the item's length exactly"
}

struct List [summary = "[{items}]"] {
    items []Item
}
