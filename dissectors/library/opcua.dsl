// OPC UA Binary: the UA Connection Protocol (UACP) and UA Secure
// Conversation (UASC) over TCP, and the binary encoding of service
// messages, as in OPC 10000-6 (Part 6: Mappings), sections 5.2 (binary
// encoding), 6.7 (secure conversation) and 7.1 (UA TCP), with the service
// definitions of OPC 10000-4 (Part 4: Services).
//
// Every message starts with an 8-byte header: a 3-letter type (HEL, ACK,
// ERR, RHE, OPN, CLO, MSG), a chunk type (F final, C intermediate, A
// abort) and the size of the whole chunk. OPN, CLO and MSG chunks carry a
// secure channel id, a security header (asymmetric for OPN, a token id
// for MSG and CLO), a sequence header (sequence number, request id) and
// the body: an encodeable object whose type is given by a NodeId.
// Requests and responses pair by request id.
//
// The body is decoded only when the channel sends it in the clear: an OPN
// chunk with a sender certificate opens a secured channel (the policy is
// not None), and then the bodies of the connection are shown as bytes.
// The chunks of a message sent in several are joined and its body is
// decoded once whole (opcuamsg.dsl); each chunk's record shows its bytes,
// the first one the message's type.

protocol opcua {
    title       "OPC UA Binary"
    description "OPC UA binary protocol over TCP: UACP (Hello/Acknowledge/Error), UA Secure Conversation and service messages"
    transport   tcp
    ports       4840
    endian      little
    wireshark   "opcua"
    request     Request
    response    Response
}

// The message size at offset 4 counts the whole chunk, header included.
framing {
    size u32(4)
    min  8
    max  1048576
}

// A connection opens with Hello (client) and Acknowledge (server), or
// OpenSecureChannel when the client reconnects; the chunk type is F and
// the size is sane for the message (Hello: 32 bytes and an URL of up to
// 4096; Acknowledge: 28).
heuristic {
    request  u8(3) == 0x46 && ((u24be(0) == 0x48454C && u32le(4) >= 32 && u32le(4) <= 4128) ||
                               (u24be(0) == 0x4F504E && u32le(4) >= 32 && u32le(4) <= 1048576))
    response u8(3) == 0x46 && ((u24be(0) == 0x41434B && u32le(4) == 28) ||
                               (u24be(0) == 0x4F504E && u32le(4) >= 32 && u32le(4) <= 1048576))
}

state {
    secured          bool = false // an OPN chunk carried a certificate: bodies are signed and encrypted
    client_continues bool = false // the client's last chunk was intermediate (C)
    server_continues bool = false // the server's last chunk was intermediate (C)
}

// ---------------------------------------------------------------------------
// Message header and the message types

// The message type's three ASCII letters, read as a big-endian number.
enum MessageType : u24be {
    hel = 0x48454C "Hello"
    ack = 0x41434B "Acknowledge"
    err = 0x455252 "Error"
    rhe = 0x524845 "ReverseHello"
    opn = 0x4F504E "OpenSecureChannel"
    clo = 0x434C4F "CloseSecureChannel"
    msg = 0x4D5347 "SecureMessage"
}

// A client sends Hello, OpenSecureChannel, CloseSecureChannel and service
// requests.
struct Request [summary = "{body}"] {
    message_type [3]ascii [ws = "opcua.transport.type", doc = "HEL, ACK, ERR, RHE, OPN, CLO or MSG"]
    chunk_type   [1]ascii [ws = "opcua.transport.chunk", doc = "F: final chunk, C: intermediate chunk, A: abort"]
    message_size u32      [ws = "opcua.transport.size", range = 8..1048576, doc = "Bytes in the chunk, this header included"]
    body         Body(true)
}

// A server sends Acknowledge, Error, ReverseHello and service responses.
struct Response [summary = "{body}"] {
    message_type [3]ascii [ws = "opcua.transport.type", doc = "HEL, ACK, ERR, RHE, OPN, CLO or MSG"]
    chunk_type   [1]ascii [ws = "opcua.transport.chunk", doc = "F: final chunk, C: intermediate chunk, A: abort"]
    message_size u32      [ws = "opcua.transport.size", range = 8..1048576, doc = "Bytes in the chunk, this header included"]
    body         Body(false)
}

// The part of a chunk after its header, by message type.
struct Body(from_client bool) [summary = "{uacp?}{title?}{channel?}"] {
    let kind MessageType = u24be(0) [hidden]
    let secure = kind == MessageType.opn || kind == MessageType.clo || kind == MessageType.msg [hidden]
    uacp switch kind {
        case hel: Hello
        case ack: Acknowledge
        case err: ErrorMessage
        case rhe: ReverseHello
    } [if = !secure]
    title switch kind {
        case opn: OpenTitle
        case clo: CloseTitle
        case msg: MessageTitle
    } [if = secure, hidden]
    channel SecureChunk(kind, from_client) [if = secure]
}

// The start of the summary of OPN, CLO and MSG chunks, as Wireshark words it.
struct OpenTitle [summary = "OpenSecureChannel message"] {
}

struct CloseTitle [summary = "CloseSecureChannel message"] {
}

struct MessageTitle [summary = "UA Secure Conversation Message"] {
}

// HEL: the client's buffer sizes and the endpoint it connects to.
struct Hello [summary = "Hello message"] {
    protocol_version     u32 [ws = "opcua.transport.ver"]
    receive_buffer_size  u32 [ws = "opcua.transport.rbs"]
    send_buffer_size     u32 [ws = "opcua.transport.sbs"]
    max_message_size     u32 [ws = "opcua.transport.mms", doc = "0: no limit"]
    max_chunk_count      u32 [ws = "opcua.transport.mcc", doc = "0: no limit"]
    endpoint_url_length  s32 [hidden, range = -1..4096]
    endpoint_url         [max(endpoint_url_length, 0)]utf8 [ws = "opcua.transport.endpoint"]
}

// ACK: the server's answer to Hello.
struct Acknowledge [summary = "Acknowledge message"] {
    protocol_version     u32 [ws = "opcua.transport.ver"]
    receive_buffer_size  u32 [ws = "opcua.transport.rbs"]
    send_buffer_size     u32 [ws = "opcua.transport.sbs"]
    max_message_size     u32 [ws = "opcua.transport.mms", doc = "0: no limit"]
    max_chunk_count      u32 [ws = "opcua.transport.mcc", doc = "0: no limit"]
}

// ERR: the connection is closed because of an error.
struct ErrorMessage [summary = "Error message: {error}"] {
    error         StatusCode [ws = "opcua.transport.error", base = hex]
    reason_length s32        [hidden, range = -1..4096]
    reason        [max(reason_length, 0)]utf8 [ws = "opcua.transport.reason"]
}

// RHE: a server that opened the TCP connection asks the client to send
// Hello.
struct ReverseHello [summary = "ReverseHello message"] {
    server_uri_length   s32 [hidden, range = -1..4096]
    server_uri          [max(server_uri_length, 0)]utf8 [ws = "opcua.transport.suri"]
    endpoint_url_length s32 [hidden, range = -1..4096]
    endpoint_url        [max(endpoint_url_length, 0)]utf8 [ws = "opcua.transport.endpoint"]
}

// OPN, CLO and MSG: the secure channel id, the security header, the
// sequence header and the body.
//
// A message sent in several chunks (intermediate chunks C, then a final
// chunk F) is joined, per connection and direction, from its first chunk
// to its final one with consecutive sequence numbers, and its body is
// decoded once whole, as a message of opcua_msg (opcuamsg.dsl), reported
// after the chunk that completed it. An abort chunk (A) drops the message
// being joined: its chunks are reported as skipped bytes. Chunks of a
// secured channel are not joined: their bodies are signed and encrypted.
struct SecureChunk(kind MessageType, from_client bool) [summary = "{service?}{abort_body?}{chunk?}{part?}"] {
    secure_channel_id u32 [ws = "opcua.transport.scid"]
    asymmetric  AsymmetricSecurityHeader [if = kind == MessageType.opn]
    token_id    u32 [ws = "opcua.security.tokenid", if = kind != MessageType.opn, doc = "The security token the chunk is secured with"]
    sequence_number u32 [ws = "opcua.security.seq"]
    request_id      u32 [ws = "opcua.security.rqid", doc = "Pairs a response with its request"]
    let final = u8(3) == 0x46 [hidden]
    let abort = u8(3) == 0x41 [hidden]
    let continues = from_client ? state.client_continues : state.server_continues [hidden]
    let first_chunk = !continues [hidden]
    let joined = !state.secured && (continues || !final && !abort) [hidden]
    service    Service [if = final && !continues && !state.secured]
    abort_body AbortBody [if = abort && !state.secured]
    chunk      MessageChunk [if = state.secured]
    part       ChunkPart(first_chunk) [if = joined && !abort, hidden]
    piece      []byte [join = "opcua_msg", first = first_chunk, last = final, abort = abort, seq = sequence_number,
                       limit = 16777216, if = joined, doc = "A chunk of a message sent in several, joined with the others"]
    set state.client_continues = !final && !abort [if = from_client]
    set state.server_continues = !final && !abort [if = !from_client]
    // A message's chunks share its request id: only the last one pairs.
    // CloseSecureChannel has no response.
    pair request  request_id [if = from_client && (final || abort) && kind != MessageType.clo]
    pair response request_id [if = !from_client && (final || abort)]
}

// The security header of OPN chunks: the policy and, when the policy is
// not None, the sender's certificate and a thumbprint of the receiver's.
struct AsymmetricSecurityHeader {
    policy_uri_length  s32 [hidden, range = -1..4096]
    security_policy_uri [max(policy_uri_length, 0)]utf8 [ws = "opcua.security.spu"]
    certificate_length s32 [hidden, range = -1..1048576]
    sender_certificate [max(certificate_length, 0)]byte [ws = "opcua.security.scert"]
    thumbprint_length  s32 [hidden, range = -1..1048576]
    receiver_certificate_thumbprint [max(thumbprint_length, 0)]byte [ws = "opcua.security.rcthumb"]
    set state.secured = certificate_length > 0
}

// A chunk of a message sent in several, or any body of a secured channel:
// bytes. The first chunk of a message in the clear starts with the type
// of the message.
struct MessageChunk [summary = " [chunk of {size} bytes]"] {
    let size = remaining()
    data []byte [doc = "A body signed and encrypted"]
}

// The summary of a chunk of a message sent in several: the first one
// names the message's type (read ahead, not decoded: the message is
// decoded once joined).
struct ChunkPart(first bool) [summary = "{type?} [chunk of {size} bytes]"] {
    let size = remaining()
    type ChunkType [if = first && remaining() >= 1]
}

// The message type a first chunk starts with: the numeric id of a
// two-byte, four-byte or numeric NodeId.
struct ChunkType [summary = ": {service}"] {
    let encoding = u8(offset()) & 0x0F [hidden]
    let service ServiceId = encoding == 0 && remaining() >= 2 ? u8(offset() + 1) :
                            encoding == 1 && remaining() >= 4 ? u16(offset() + 2) :
                            encoding == 2 && remaining() >= 7 ? u32(offset() + 3) : 0 [hidden]
}

// An abort chunk: why the sender gave up on the message.
struct AbortBody [summary = " [abort: {error}]"] {
    error         StatusCode [ws = "opcua.transport.error", base = hex]
    reason_length s32        [hidden, range = -1..4096]
    reason        [max(reason_length, 0)]utf8 [ws = "opcua.transport.reason"]
}

// ---------------------------------------------------------------------------
// Services

// The binary encoding ids (namespace 0) of the service messages.
enum ServiceId : u32 {
    service_fault                   = 397 "ServiceFault"
    find_servers_request            = 422 "FindServersRequest"
    find_servers_response           = 425 "FindServersResponse"
    get_endpoints_request           = 428 "GetEndpointsRequest"
    get_endpoints_response          = 431 "GetEndpointsResponse"
    register_server_request         = 437 "RegisterServerRequest"
    register_server_response        = 440 "RegisterServerResponse"
    open_secure_channel_request     = 446 "OpenSecureChannelRequest"
    open_secure_channel_response    = 449 "OpenSecureChannelResponse"
    close_secure_channel_request    = 452 "CloseSecureChannelRequest"
    close_secure_channel_response   = 455 "CloseSecureChannelResponse"
    create_session_request          = 461 "CreateSessionRequest"
    create_session_response         = 464 "CreateSessionResponse"
    activate_session_request        = 467 "ActivateSessionRequest"
    activate_session_response       = 470 "ActivateSessionResponse"
    close_session_request           = 473 "CloseSessionRequest"
    close_session_response          = 476 "CloseSessionResponse"
    cancel_request                  = 479 "CancelRequest"
    cancel_response                 = 482 "CancelResponse"
    add_nodes_request               = 488 "AddNodesRequest"
    add_nodes_response              = 491 "AddNodesResponse"
    add_references_request          = 494 "AddReferencesRequest"
    add_references_response         = 497 "AddReferencesResponse"
    delete_nodes_request            = 500 "DeleteNodesRequest"
    delete_nodes_response           = 503 "DeleteNodesResponse"
    delete_references_request       = 506 "DeleteReferencesRequest"
    delete_references_response      = 509 "DeleteReferencesResponse"
    browse_request                  = 527 "BrowseRequest"
    browse_response                 = 530 "BrowseResponse"
    browse_next_request             = 533 "BrowseNextRequest"
    browse_next_response            = 536 "BrowseNextResponse"
    translate_browse_paths_request  = 554 "TranslateBrowsePathsToNodeIdsRequest"
    translate_browse_paths_response = 557 "TranslateBrowsePathsToNodeIdsResponse"
    register_nodes_request          = 560 "RegisterNodesRequest"
    register_nodes_response         = 563 "RegisterNodesResponse"
    unregister_nodes_request        = 566 "UnregisterNodesRequest"
    unregister_nodes_response       = 569 "UnregisterNodesResponse"
    query_first_request             = 615 "QueryFirstRequest"
    query_first_response            = 618 "QueryFirstResponse"
    query_next_request              = 621 "QueryNextRequest"
    query_next_response             = 624 "QueryNextResponse"
    read_request                    = 631 "ReadRequest"
    read_response                   = 634 "ReadResponse"
    history_read_request            = 664 "HistoryReadRequest"
    history_read_response           = 667 "HistoryReadResponse"
    write_request                   = 673 "WriteRequest"
    write_response                  = 676 "WriteResponse"
    history_update_request          = 700 "HistoryUpdateRequest"
    history_update_response         = 703 "HistoryUpdateResponse"
    call_request                    = 712 "CallRequest"
    call_response                   = 715 "CallResponse"
    create_monitored_items_request  = 751 "CreateMonitoredItemsRequest"
    create_monitored_items_response = 754 "CreateMonitoredItemsResponse"
    modify_monitored_items_request  = 763 "ModifyMonitoredItemsRequest"
    modify_monitored_items_response = 766 "ModifyMonitoredItemsResponse"
    set_monitoring_mode_request     = 769 "SetMonitoringModeRequest"
    set_monitoring_mode_response    = 772 "SetMonitoringModeResponse"
    set_triggering_request          = 775 "SetTriggeringRequest"
    set_triggering_response         = 778 "SetTriggeringResponse"
    delete_monitored_items_request  = 781 "DeleteMonitoredItemsRequest"
    delete_monitored_items_response = 784 "DeleteMonitoredItemsResponse"
    create_subscription_request     = 787 "CreateSubscriptionRequest"
    create_subscription_response    = 790 "CreateSubscriptionResponse"
    modify_subscription_request     = 793 "ModifySubscriptionRequest"
    modify_subscription_response    = 796 "ModifySubscriptionResponse"
    set_publishing_mode_request     = 799 "SetPublishingModeRequest"
    set_publishing_mode_response    = 802 "SetPublishingModeResponse"
    publish_request                 = 826 "PublishRequest"
    publish_response                = 829 "PublishResponse"
    republish_request               = 832 "RepublishRequest"
    republish_response              = 835 "RepublishResponse"
    transfer_subscriptions_request  = 841 "TransferSubscriptionsRequest"
    transfer_subscriptions_response = 844 "TransferSubscriptionsResponse"
    delete_subscriptions_request    = 847 "DeleteSubscriptionsRequest"
    delete_subscriptions_response   = 850 "DeleteSubscriptionsResponse"
    find_servers_on_network_request  = 12208 "FindServersOnNetworkRequest"
    find_servers_on_network_response = 12209 "FindServersOnNetworkResponse"
    register_server2_request        = 12211 "RegisterServer2Request"
    register_server2_response       = 12212 "RegisterServer2Response"
}

// The body of a final chunk: the type of the encodeable object, then the
// object.
struct Service [summary = "{type_id}"] {
    type_id ServiceNodeId [doc = "The NodeId of the message's binary encoding"]
    body switch type_id.service {
        case open_secure_channel_request:  OpenSecureChannelRequest
        case open_secure_channel_response: OpenSecureChannelResponse
        case read_request:                 ReadRequest
        case read_response:                ReadResponse
        case get_endpoints_response:       GetEndpointsResponse
        case create_session_request:       CreateSessionRequest
        case create_session_response:      CreateSessionResponse
        case activate_session_request:     ActivateSessionRequest
        case activate_session_response:    ActivateSessionResponse
        case browse_response:              BrowseResponse
        case create_monitored_items_request:  CreateMonitoredItemsRequest
        case create_monitored_items_response: CreateMonitoredItemsResponse
        case publish_response:             PublishResponse
        case write_request:                WriteRequest
        case write_response:               StatusResults
        case create_subscription_request:  CreateSubscriptionRequest
        case create_subscription_response: CreateSubscriptionResponse
        case get_endpoints_request:        GetEndpointsRequest
        case close_session_request:        CloseSessionRequest
        case publish_request:              PublishRequest
        case browse_request:               BrowseRequest
        case delete_subscriptions_request: DeleteSubscriptionsRequest
        case delete_subscriptions_response: StatusResults
        case call_request:                 CallRequest
        case call_response:                CallResponse
        case add_nodes_request:            AddNodesRequest
        case add_nodes_response:           AddNodesResponse
        case translate_browse_paths_request:  TranslateBrowsePathsRequest
        case translate_browse_paths_response: TranslateBrowsePathsResponse
        case find_servers_request, register_server_request,
             close_secure_channel_request, cancel_request, add_references_request,
             delete_nodes_request, delete_references_request, browse_next_request,
             register_nodes_request, unregister_nodes_request,
             query_first_request, query_next_request, history_read_request,
             history_update_request, modify_monitored_items_request, set_monitoring_mode_request, set_triggering_request,
             delete_monitored_items_request, modify_subscription_request,
             set_publishing_mode_request, republish_request,
             transfer_subscriptions_request,
             find_servers_on_network_request, register_server2_request:
            OtherRequest
        case service_fault, find_servers_response, register_server_response,
             close_secure_channel_response, close_session_response, cancel_response, add_references_response,
             delete_nodes_response, delete_references_response, browse_next_response,
             register_nodes_response, unregister_nodes_response,
             query_first_response, query_next_response, history_read_response,
             history_update_response, modify_monitored_items_response, set_monitoring_mode_response, set_triggering_response,
             delete_monitored_items_response, modify_subscription_response,
             set_publishing_mode_response, republish_response,
             transfer_subscriptions_response,
             find_servers_on_network_response, register_server2_response:
            OtherResponse
        default: UnknownBody
    }
}

// The type of a service message: a NodeId in any encoding. Its numeric
// identifier names the service.
struct ServiceNodeId [summary = ": {service}"] {
    encoding_mask u8 [ws = "opcua.servicenodeid.encodingmask", base = hex]
    let encoding = encoding_mask & 0x0F [hidden]
    assert encoding <= 5, "unknown NodeId encoding"
    namespace switch encoding {
        case 1: u8
        default: u16
    } [ws = "opcua.servicenodeid.nsid", if = encoding != 0]
    numeric switch encoding {
        case 0: u8
        case 1: u16
        default: u32
    } [ws = "opcua.servicenodeid.numeric", if = encoding <= 2]
    string_length s32 [hidden, if = encoding == 3, range = -1..4096]
    string [max(string_length, 0)]utf8 [if = encoding == 3]
    guid   [16]byte [format = guid, if = encoding == 4]
    bytestring_length s32 [hidden, if = encoding == 5, range = -1..4096]
    bytestring [max(bytestring_length, 0)]byte [if = encoding == 5]
    namespace_uri_length s32 [hidden, if = encoding_mask & 0x80, range = -1..4096]
    namespace_uri [max(namespace_uri_length, 0)]utf8 [if = encoding_mask & 0x80]
    server_index u32 [if = encoding_mask & 0x40]
    let namespace_index = encoding == 0 ? 0 : namespace [hidden]
    let service ServiceId = encoding <= 2 && namespace_index == 0 ? numeric : 0
}

// ---------------------------------------------------------------------------
// Built-in types (Part 6, 5.2.2)

enum StatusCode : u32 {
    good                          = 0x00000000 "Good"
    bad_unexpected_error          = 0x80010000 "BadUnexpectedError"
    bad_internal_error            = 0x80020000 "BadInternalError"
    bad_out_of_memory             = 0x80030000 "BadOutOfMemory"
    bad_resource_unavailable      = 0x80040000 "BadResourceUnavailable"
    bad_communication_error       = 0x80050000 "BadCommunicationError"
    bad_encoding_error            = 0x80060000 "BadEncodingError"
    bad_decoding_error            = 0x80070000 "BadDecodingError"
    bad_encoding_limits_exceeded  = 0x80080000 "BadEncodingLimitsExceeded"
    bad_unknown_response          = 0x80090000 "BadUnknownResponse"
    bad_timeout                   = 0x800A0000 "BadTimeout"
    bad_service_unsupported       = 0x800B0000 "BadServiceUnsupported"
    bad_shutdown                  = 0x800C0000 "BadShutdown"
    bad_server_not_connected      = 0x800D0000 "BadServerNotConnected"
    bad_server_halted             = 0x800E0000 "BadServerHalted"
    bad_nothing_to_do             = 0x800F0000 "BadNothingToDo"
    bad_too_many_operations       = 0x80100000 "BadTooManyOperations"
    bad_certificate_invalid       = 0x80120000 "BadCertificateInvalid"
    bad_security_checks_failed    = 0x80130000 "BadSecurityChecksFailed"
    bad_user_access_denied        = 0x801F0000 "BadUserAccessDenied"
    bad_identity_token_invalid    = 0x80200000 "BadIdentityTokenInvalid"
    bad_identity_token_rejected   = 0x80210000 "BadIdentityTokenRejected"
    bad_secure_channel_id_invalid = 0x80220000 "BadSecureChannelIdInvalid"
    bad_nonce_invalid             = 0x80240000 "BadNonceInvalid"
    bad_session_id_invalid        = 0x80250000 "BadSessionIdInvalid"
    bad_session_closed            = 0x80260000 "BadSessionClosed"
    bad_session_not_activated     = 0x80270000 "BadSessionNotActivated"
    bad_subscription_id_invalid   = 0x80280000 "BadSubscriptionIdInvalid"
    bad_request_header_invalid    = 0x802A0000 "BadRequestHeaderInvalid"
    bad_timestamps_to_return_invalid = 0x802B0000 "BadTimestampsToReturnInvalid"
    bad_request_cancelled_by_client  = 0x802C0000 "BadRequestCancelledByClient"
    bad_node_id_invalid           = 0x80330000 "BadNodeIdInvalid"
    bad_node_id_unknown           = 0x80340000 "BadNodeIdUnknown"
    bad_attribute_id_invalid      = 0x80350000 "BadAttributeIdInvalid"
    bad_not_readable              = 0x803A0000 "BadNotReadable"
    bad_not_writable              = 0x803B0000 "BadNotWritable"
    bad_type_mismatch             = 0x80740000 "BadTypeMismatch"
    bad_no_subscription           = 0x80790000 "BadNoSubscription"
    bad_tcp_message_type_invalid  = 0x807E0000 "BadTcpMessageTypeInvalid"
    bad_tcp_secure_channel_unknown = 0x807F0000 "BadTcpSecureChannelUnknown"
    bad_tcp_message_too_large     = 0x80800000 "BadTcpMessageTooLarge"
    bad_tcp_not_enough_resources  = 0x80810000 "BadTcpNotEnoughResources"
    bad_tcp_internal_error        = 0x80820000 "BadTcpInternalError"
    bad_tcp_endpoint_url_invalid  = 0x80830000 "BadTcpEndpointUrlInvalid"
    bad_request_interrupted       = 0x80840000 "BadRequestInterrupted"
    bad_request_timeout           = 0x80850000 "BadRequestTimeout"
    bad_secure_channel_closed     = 0x80860000 "BadSecureChannelClosed"
    bad_secure_channel_token_unknown = 0x80870000 "BadSecureChannelTokenUnknown"
    bad_sequence_number_invalid   = 0x80880000 "BadSequenceNumberInvalid"
    bad_protocol_version_unsupported = 0x80BE0000 "BadProtocolVersionUnsupported"
    bad_too_many_publish_requests = 0x80780000 "BadTooManyPublishRequests"
    bad_too_many_sessions         = 0x80560000 "BadTooManySessions"
    bad_security_policy_rejected  = 0x80550000 "BadSecurityPolicyRejected"
    bad_security_mode_rejected    = 0x80540000 "BadSecurityModeRejected"
}

// A NodeId in any of its six encodings (Part 6, 5.2.2.9): a mask whose
// low bits give the encoding, then the identifier.
struct NodeId [summary = "{id}"] {
    encoding_mask u8 [ws = "opcua.nodeid.encodingmask", base = hex]
    id NodeIdBody(encoding_mask)
}

// An ExpandedNodeId (Part 6, 5.2.2.10): a NodeId whose mask may add a
// namespace URI (0x80) and a server index (0x40).
struct ExpandedNodeId [summary = "{id}"] {
    encoding_mask u8 [ws = "opcua.expandednodeid.mask", base = hex]
    let encoding = encoding_mask & 0x0F [ws = "opcua.nodeid.encodingmask", base = hex, doc = "The NodeId encoding, without the ExpandedNodeId flags"]
    id NodeIdBody(encoding_mask)
}

// The identifier of a NodeId, by the encoding in the low bits of the mask:
// two-byte, four-byte, numeric, string, GUID or ByteString.
struct NodeIdBody(encoding_mask u8) [summary = "{numeric?}{string?}{guid?}{bytestring?}"] {
    let encoding = encoding_mask & 0x0F [hidden]
    assert encoding <= 5, "unknown NodeId encoding"
    namespace switch encoding {
        case 1: u8
        default: u16
    } [ws = "opcua.nodeid.nsindex", if = encoding != 0]
    numeric switch encoding {
        case 0: u8
        case 1: u16
        default: u32
    } [ws = "opcua.nodeid.numeric", if = encoding <= 2]
    string_length s32 [hidden, if = encoding == 3, range = -1..4096]
    string [max(string_length, 0)]utf8 [ws = "opcua.nodeid.string", if = encoding == 3]
    guid   [16]byte [ws = "opcua.nodeid.guid", format = guid, if = encoding == 4]
    bytestring_length s32 [hidden, if = encoding == 5, range = -1..4096]
    bytestring [max(bytestring_length, 0)]byte [ws = "opcua.nodeid.bytestring", if = encoding == 5]
    namespace_uri_length s32 [hidden, if = encoding_mask & 0x80, range = -1..4096]
    namespace_uri [max(namespace_uri_length, 0)]utf8 [if = encoding_mask & 0x80]
    server_index u32 [ws = "opcua.expandednodeid.ServerIndex", if = encoding_mask & 0x40]
    let number = encoding <= 2 ? numeric : -1 [hidden]
    let namespace_or_zero = encoding == 0 ? 0 : namespace [hidden]
}

// An ExtensionObject: the NodeId of its encoding, then a body in binary
// or XML. The binary bodies of the notifications and identity tokens that
// sessions and subscriptions carry are decoded; others are bytes.
struct ExtensionObject [summary = "{type_id}"] {
    type_id  ExpandedNodeId
    encoding u8 [ws = "opcua.extobj.mask", base = hex, doc = "1: binary body, 2: XML body"]
    assert encoding <= 2, "unknown ExtensionObject encoding"
    body_length s32 [if = encoding != 0, range = -1..1048576]
    body switch encoding == 1 && type_id.encoding_mask < 0x40 && type_id.id.namespace_or_zero == 0 ? type_id.id.number : -1 {
        case 811: DataChangeNotification
        case 321: AnonymousIdentityToken
        case 324: UserNameIdentityToken
        case 354: ObjectAttributes
        case 357: VariableAttributes
        case 360: MethodAttributes
        case 363: ObjectTypeAttributes
        case 366: VariableTypeAttributes
        case 369: ReferenceTypeAttributes
        case 372: ObjectTypeAttributes
        case 375: ViewAttributes
        default:  []byte
    } [if = encoding != 0, size = max(body_length, 0)]
}

struct DataChangeNotification {
    count           s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    monitored_items [max(count, 0)]MonitoredItemNotification
    diagnostic_infos DiagnosticInfoArray
}

struct MonitoredItemNotification [summary = "{client_handle}: {value}"] {
    client_handle u32 [ws = "opcua.ClientHandle"]
    value         DataValue
}

struct AnonymousIdentityToken [summary = "{policy_id}"] {
    policy_id_length s32 [hidden, range = -1..65536]
    policy_id [max(policy_id_length, 0)]utf8 [ws = "opcua.PolicyId"]
}

struct UserNameIdentityToken [summary = "{user_name}"] {
    policy_id_length s32 [hidden, range = -1..65536]
    policy_id [max(policy_id_length, 0)]utf8 [ws = "opcua.PolicyId"]
    user_name_length s32 [hidden, range = -1..65536]
    user_name [max(user_name_length, 0)]utf8 [ws = "opcua.UserName"]
    password_length s32 [hidden, range = -1..65536]
    password [max(password_length, 0)]byte [ws = "opcua.Password", doc = "Encrypted with the server's key unless the policy is None"]
    encryption_algorithm_length s32 [hidden, range = -1..65536]
    encryption_algorithm [max(encryption_algorithm_length, 0)]utf8 [ws = "opcua.EncryptionAlgorithm"]
}

// DiagnosticInfo: each part present when its bit of the mask is set; the
// inner diagnostic info nests.
struct DiagnosticInfo {
    encoding_mask u8 [ws = "opcua.diag.mask", base = hex]
    symbolic_id    s32 [ws = "opcua.diag.SymbolicId", if = encoding_mask & 0x01]
    namespace_uri  s32 [ws = "opcua.diag.Namespace", if = encoding_mask & 0x02]
    locale         s32 [ws = "opcua.diag.Locale", if = encoding_mask & 0x08]
    localized_text s32 [ws = "opcua.diag.LocalizedText", if = encoding_mask & 0x04]
    additional_info_length s32 [hidden, if = encoding_mask & 0x10, range = -1..1048576]
    additional_info [max(additional_info_length, 0)]utf8 [ws = "opcua.diag.AdditionalInfo", if = encoding_mask & 0x10]
    inner_status_code StatusCode [ws = "opcua.diag.InnerStatusCode", base = hex, if = encoding_mask & 0x20]
    inner_diagnostic_info DiagnosticInfo [if = encoding_mask & 0x40]
}

// A String in an array: a length (-1 for null), then UTF-8.
struct String [summary = "{value}"] {
    length s32 [hidden, range = -1..1048576]
    value  [max(length, 0)]utf8
}

// An array of String: a count (-1 for null), then the strings.
struct StringArray [summary = "{count}"] {
    count   s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    strings [max(count, 0)]String
}

// ---------------------------------------------------------------------------
// Request and response headers (Part 4, 7.33 and 7.34)

struct RequestHeader {
    authentication_token NodeId [doc = "The session's token; 0 before a session is activated"]
    timestamp            s64 [ws = "opcua.Timestamp", time = filetime]
    request_handle       u32 [ws = "opcua.RequestHandle"]
    return_diagnostics   u32 [ws = "opcua.returndiag", base = hex]
    audit_entry_id_length s32 [hidden, range = -1..1048576]
    audit_entry_id       [max(audit_entry_id_length, 0)]utf8 [ws = "opcua.AuditEntryId"]
    timeout_hint         u32 [ws = "opcua.TimeoutHint", unit = "ms"]
    additional_header    ExtensionObject
}

struct ResponseHeader [summary = "{service_result}"] {
    timestamp           s64 [ws = "opcua.Timestamp", time = filetime]
    request_handle      u32 [ws = "opcua.RequestHandle"]
    service_result      StatusCode [ws = "opcua.ServiceResult", base = hex]
    service_diagnostics DiagnosticInfo
    string_table        StringArray
    additional_header   ExtensionObject
}

// ---------------------------------------------------------------------------
// Service bodies

enum SecurityTokenRequestType : u32 {
    issue = 0 "Issue"
    renew = 1 "Renew"
}

enum MessageSecurityMode : u32 {
    invalid          = 0 "Invalid"
    none             = 1 "None"
    sign             = 2 "Sign"
    sign_and_encrypt = 3 "SignAndEncrypt"
}

struct OpenSecureChannelRequest {
    request_header          RequestHeader
    client_protocol_version u32 [ws = "opcua.ClientProtocolVersion"]
    request_type            SecurityTokenRequestType [ws = "opcua.SecurityTokenRequestType"]
    security_mode           MessageSecurityMode [ws = "opcua.MessageSecurityMode"]
    client_nonce_length     s32 [hidden, range = -1..65536]
    client_nonce            [max(client_nonce_length, 0)]byte [ws = "opcua.ClientNonce"]
    requested_lifetime      u32 [ws = "opcua.RequestedLifetime", unit = "ms"]
}

struct OpenSecureChannelResponse {
    response_header         ResponseHeader
    server_protocol_version u32 [ws = "opcua.ServerProtocolVersion"]
    security_token          ChannelSecurityToken
    server_nonce_length     s32 [hidden, range = -1..65536]
    server_nonce            [max(server_nonce_length, 0)]byte [ws = "opcua.ServerNonce"]
}

struct ChannelSecurityToken {
    channel_id       u32 [ws = "opcua.ChannelId"]
    token_id         u32 [ws = "opcua.TokenId"]
    created_at       s64 [ws = "opcua.CreatedAt", time = filetime]
    revised_lifetime u32 [ws = "opcua.RevisedLifetime", unit = "ms"]
}

enum TimestampsToReturn : u32 {
    source  = 0 "Source"
    server  = 1 "Server"
    both    = 2 "Both"
    neither = 3 "Neither"
    invalid = 4 "Invalid"
}

enum AttributeId : u32 {
    node_id      = 1  "NodeId"
    node_class   = 2  "NodeClass"
    browse_name  = 3  "BrowseName"
    display_name = 4  "DisplayName"
    description  = 5  "Description"
    write_mask   = 6  "WriteMask"
    user_write_mask = 7 "UserWriteMask"
    is_abstract  = 8  "IsAbstract"
    symmetric    = 9  "Symmetric"
    inverse_name = 10 "InverseName"
    contains_no_loops = 11 "ContainsNoLoops"
    event_notifier = 12 "EventNotifier"
    value        = 13 "Value"
    data_type    = 14 "DataType"
    value_rank   = 15 "ValueRank"
    array_dimensions = 16 "ArrayDimensions"
    access_level = 17 "AccessLevel"
    user_access_level = 18 "UserAccessLevel"
    minimum_sampling_interval = 19 "MinimumSamplingInterval"
    historizing  = 20 "Historizing"
    executable   = 21 "Executable"
    user_executable = 22 "UserExecutable"
}

// Read: which attributes of which nodes.
struct ReadRequest {
    request_header       RequestHeader
    max_age              f64 [ws = "opcua.MaxAge", unit = "ms"]
    timestamps_to_return TimestampsToReturn [ws = "opcua.TimestampsToReturn"]
    count                s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    nodes_to_read        [max(count, 0)]ReadValueId
}

struct ReadValueId [summary = "{node_id} {attribute_id}"] {
    node_id       NodeId
    attribute_id  AttributeId [ws = "opcua.AttributeId"]
    index_range_length s32 [hidden, range = -1..4096]
    index_range   [max(index_range_length, 0)]utf8 [ws = "opcua.IndexRange"]
    data_encoding QualifiedName
}

struct QualifiedName [summary = "{namespace_index}:{name}"] {
    namespace_index u16 [ws = "opcua.qualname.Id"]
    name_length     s32 [hidden, range = -1..4096]
    name            [max(name_length, 0)]utf8 [ws = "opcua.qualname.Name"]
}

struct CreateSubscriptionRequest {
    request_header                RequestHeader
    requested_publishing_interval f64 [ws = "opcua.RequestedPublishingInterval", unit = "ms"]
    requested_lifetime_count      u32 [ws = "opcua.RequestedLifetimeCount"]
    requested_max_keep_alive_count u32 [ws = "opcua.RequestedMaxKeepAliveCount"]
    max_notifications_per_publish u32 [ws = "opcua.MaxNotificationsPerPublish"]
    publishing_enabled            bool [ws = "opcua.PublishingEnabled"]
    priority                      u8 [ws = "opcua.Priority"]
}

struct CreateSubscriptionResponse {
    response_header               ResponseHeader
    subscription_id               u32 [ws = "opcua.SubscriptionId"]
    revised_publishing_interval   f64 [ws = "opcua.RevisedPublishingInterval", unit = "ms"]
    revised_lifetime_count        u32 [ws = "opcua.RevisedLifetimeCount"]
    revised_max_keep_alive_count  u32 [ws = "opcua.RevisedMaxKeepAliveCount"]
}

// GetEndpoints: the URL the client used, and the locales and transport
// profiles it wants.
struct GetEndpointsRequest {
    request_header RequestHeader
    endpoint_url_length s32 [hidden, range = -1..4096]
    endpoint_url [max(endpoint_url_length, 0)]utf8 [ws = "opcua.EndpointUrl"]
    locale_ids   LocaleIds
    profile_uris ProfileUris
}

struct LocaleIds [summary = "{count}"] {
    count   s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    strings [max(count, 0)]LocaleId
}

struct LocaleId [summary = "{value}"] {
    length s32 [hidden, range = -1..4096]
    value  [max(length, 0)]utf8 [ws = "opcua.LocaleIds"]
}

struct ProfileUris [summary = "{count}"] {
    count   s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    strings [max(count, 0)]ProfileUri
}

struct ProfileUri [summary = "{value}"] {
    length s32 [hidden, range = -1..4096]
    value  [max(length, 0)]utf8 [ws = "opcua.ProfileUris"]
}

struct CloseSessionRequest {
    request_header       RequestHeader
    delete_subscriptions bool [ws = "opcua.DeleteSubscriptions"]
}

// Publish: the notifications the client acknowledges.
struct PublishRequest {
    request_header RequestHeader
    count          s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    acknowledgements [max(count, 0)]SubscriptionAcknowledgement
}

struct SubscriptionAcknowledgement [summary = "{subscription_id}#{sequence_number}"] {
    subscription_id u32 [ws = "opcua.SubscriptionId"]
    sequence_number u32 [ws = "opcua.SequenceNumber"]
}

enum BrowseDirection : u32 {
    forward = 0 "Forward"
    inverse = 1 "Inverse"
    both    = 2 "Both"
    invalid = 3 "Invalid"
}

// Browse: the references to follow from each node.
struct BrowseRequest {
    request_header RequestHeader
    view           ViewDescription
    requested_max_references_per_node u32 [ws = "opcua.RequestedMaxReferencesPerNode", doc = "0: no limit"]
    count          s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    nodes_to_browse [max(count, 0)]BrowseDescription
}

struct ViewDescription {
    view_id      NodeId
    timestamp    s64 [ws = "opcua.Timestamp", time = filetime]
    view_version u32 [ws = "opcua.ViewVersion"]
}

struct BrowseDescription [summary = "{node_id} {browse_direction}"] {
    node_id           NodeId
    browse_direction  BrowseDirection [ws = "opcua.BrowseDirection"]
    reference_type_id NodeId
    include_subtypes  bool [ws = "opcua.IncludeSubtypes"]
    node_class_mask   u32 [ws = "opcua.nodeclassmask.all", base = hex]
    result_mask       u32 [ws = "opcua.resultmask.all", base = hex]
}

// Read results: a DataValue for each node read.
struct ReadResponse {
    response_header  ResponseHeader
    count            s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    results          [max(count, 0)]DataValue
    diagnostic_infos DiagnosticInfoArray
}

// Write: a value for each node.
struct WriteRequest {
    request_header RequestHeader
    count          s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    nodes_to_write [max(count, 0)]WriteValue
}

struct WriteValue [summary = "{node_id} {attribute_id}"] {
    node_id      NodeId
    attribute_id AttributeId [ws = "opcua.AttributeId"]
    index_range_length s32 [hidden, range = -1..4096]
    index_range  [max(index_range_length, 0)]utf8 [ws = "opcua.IndexRange"]
    value        DataValue
}

// A status code for each operation, as Write answers.
struct StatusResults {
    response_header  ResponseHeader
    count            s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    results          [max(count, 0)]StatusCode [ws = "opcua.Results", base = hex]
    diagnostic_infos DiagnosticInfoArray
}

struct DiagnosticInfoArray [summary = "{count}"] {
    count s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    infos [max(count, 0)]DiagnosticInfo
}

// A DataValue (Part 6, 5.2.2.17): each part present when its bit of the
// mask is set.
struct DataValue [summary = "{value?}{status?}"] {
    encoding_mask u8 [ws = "opcua.datavalue.mask", base = hex]
    value  Variant [if = encoding_mask & 0x01]
    status StatusCode [ws = "opcua.StatusCode", base = hex, if = encoding_mask & 0x02]
    source_timestamp   s64 [ws = "opcua.datavalue.SourceTimestamp", time = filetime, if = encoding_mask & 0x04]
    source_picoseconds u16 [ws = "opcua.datavalue.SourcePicoseconds", if = encoding_mask & 0x10]
    server_timestamp   s64 [ws = "opcua.datavalue.ServerTimestamp", time = filetime, if = encoding_mask & 0x08]
    server_picoseconds u16 [ws = "opcua.datavalue.ServerPicoseconds", if = encoding_mask & 0x20]
}

enum VariantType : b6 {
    null             = 0  "Null"
    boolean          = 1  "Boolean"
    sbyte            = 2  "SByte"
    byte             = 3  "Byte"
    int16            = 4  "Int16"
    uint16           = 5  "UInt16"
    int32            = 6  "Int32"
    uint32           = 7  "UInt32"
    int64            = 8  "Int64"
    uint64           = 9  "UInt64"
    float            = 10 "Float"
    double           = 11 "Double"
    string           = 12 "String"
    date_time        = 13 "DateTime"
    guid             = 14 "Guid"
    byte_string      = 15 "ByteString"
    xml_element      = 16 "XmlElement"
    node_id          = 17 "NodeId"
    expanded_node_id = 18 "ExpandedNodeId"
    status_code      = 19 "StatusCode"
    qualified_name   = 20 "QualifiedName"
    localized_text   = 21 "LocalizedText"
    extension_object = 22 "ExtensionObject"
    data_value       = 23 "DataValue"
    variant          = 24 "Variant"
    diagnostic_info  = 25 "DiagnosticInfo"
}

// A Variant (Part 6, 5.2.2.16): a type, then one value or an array of
// values of that type, and the array's dimensions.
struct Variant [summary = "{value?}{array?}"] {
    let mask = u8(offset()) [ws = "opcua.variant.has_value", base = hex]
    is_array       b1 [doc = "An array of values follows"]
    has_dimensions b1
    type           VariantType
    assert type <= 25, "unknown Variant type"
    value VariantValue(type) [if = is_array == 0 && type != VariantType.null]
    array VariantArray(type) [if = is_array == 1]
    dimensions_count s32 [hidden, if = has_dimensions == 1, range = -1..64]
    dimensions [max(dimensions_count, 0)]s32 [if = has_dimensions == 1]
}

struct VariantArray(type u8) [summary = "[{count}]"] {
    count  s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    values [max(count, 0)]VariantValue(type)
}

// One value of a built-in type.
struct VariantValue(type u8) [summary = "{v}"] {
    v switch type {
        case 1:  VBoolean
        case 2:  VSByte
        case 3:  VByte
        case 4:  VInt16
        case 5:  VUInt16
        case 6:  VInt32
        case 7:  VUInt32
        case 8:  VInt64
        case 9:  VUInt64
        case 10: VFloat
        case 11: VDouble
        case 12: VString
        case 13: VDateTime
        case 14: VGuid
        case 15: VByteString
        case 16: VXmlElement
        case 17: NodeId
        case 18: ExpandedNodeId
        case 19: VStatusCode
        case 20: QualifiedName
        case 21: LocalizedText
        case 22: ExtensionObject
        case 23: DataValue
        case 24: Variant
        case 25: DiagnosticInfo
    }
}

struct VBoolean [summary = "{value}"] {
    value bool [ws = "opcua.Boolean"]
}

struct VSByte [summary = "{value}"] {
    value s8 [ws = "opcua.SByte"]
}

struct VByte [summary = "{value}"] {
    value u8 [ws = "opcua.Byte"]
}

struct VInt16 [summary = "{value}"] {
    value s16 [ws = "opcua.Int16"]
}

struct VUInt16 [summary = "{value}"] {
    value u16 [ws = "opcua.UInt16"]
}

struct VInt32 [summary = "{value}"] {
    value s32 [ws = "opcua.Int32"]
}

struct VUInt32 [summary = "{value}"] {
    value u32 [ws = "opcua.UInt32"]
}

struct VInt64 [summary = "{value}"] {
    value s64 [ws = "opcua.Int64"]
}

struct VUInt64 [summary = "{value}"] {
    value u64 [ws = "opcua.UInt64"]
}

struct VFloat [summary = "{value}"] {
    value f32 [ws = "opcua.Float"]
}

struct VDouble [summary = "{value}"] {
    value f64 [ws = "opcua.Double"]
}

struct VString [summary = "{value}"] {
    length s32 [hidden, range = -1..1048576]
    value  [max(length, 0)]utf8 [ws = "opcua.String"]
}

struct VDateTime [summary = "{value}"] {
    value s64 [ws = "opcua.DateTime", time = filetime]
}

struct VGuid [summary = "{value}"] {
    value [16]byte [ws = "opcua.Guid", format = guid]
}

struct VByteString [summary = "{value}"] {
    length s32 [hidden, range = -1..1048576]
    value  [max(length, 0)]byte [ws = "opcua.ByteString"]
}

struct VXmlElement [summary = "{value}"] {
    length s32 [hidden, range = -1..1048576]
    value  [max(length, 0)]utf8 [ws = "opcua.XmlElement"]
}

struct VStatusCode [summary = "{value}"] {
    value StatusCode [ws = "opcua.StatusCode", base = hex]
}

// LocalizedText: an optional locale and an optional text.
struct LocalizedText [summary = "{text?}"] {
    encoding_mask u8 [ws = "opcua.loctext.mask", base = hex]
    locale_length s32 [hidden, if = encoding_mask & 0x01, range = -1..4096]
    locale [max(locale_length, 0)]utf8 [ws = "opcua.loctext.Locale", if = encoding_mask & 0x01]
    text_length s32 [hidden, if = encoding_mask & 0x02, range = -1..1048576]
    text [max(text_length, 0)]utf8 [ws = "opcua.loctext.Text", if = encoding_mask & 0x02]
}

enum ApplicationType : u32 {
    server            = 0 "Server"
    client            = 1 "Client"
    client_and_server = 2 "ClientAndServer"
    discovery_server  = 3 "DiscoveryServer"
}

enum UserTokenType : u32 {
    anonymous    = 0 "Anonymous"
    user_name    = 1 "UserName"
    certificate  = 2 "Certificate"
    issued_token = 3 "IssuedToken"
}

struct ApplicationDescription [summary = "{application_uri}"] {
    application_uri_length s32 [hidden, range = -1..65536]
    application_uri [max(application_uri_length, 0)]utf8 [ws = "opcua.ApplicationUri"]
    product_uri_length s32 [hidden, range = -1..65536]
    product_uri [max(product_uri_length, 0)]utf8 [ws = "opcua.ProductUri"]
    application_name LocalizedText
    application_type ApplicationType [ws = "opcua.ApplicationType"]
    gateway_server_uri_length s32 [hidden, range = -1..65536]
    gateway_server_uri [max(gateway_server_uri_length, 0)]utf8 [ws = "opcua.GatewayServerUri"]
    discovery_profile_uri_length s32 [hidden, range = -1..65536]
    discovery_profile_uri [max(discovery_profile_uri_length, 0)]utf8 [ws = "opcua.DiscoveryProfileUri"]
    discovery_urls_count s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    discovery_urls [max(discovery_urls_count, 0)]DiscoveryUrl
}

struct DiscoveryUrl [summary = "{value}"] {
    length s32 [hidden, range = -1..65536]
    value  [max(length, 0)]utf8 [ws = "opcua.DiscoveryUrls"]
}

struct UserTokenPolicy [summary = "{policy_id}"] {
    policy_id_length s32 [hidden, range = -1..65536]
    policy_id [max(policy_id_length, 0)]utf8 [ws = "opcua.PolicyId"]
    token_type UserTokenType [ws = "opcua.UserTokenType"]
    issued_token_type_length s32 [hidden, range = -1..65536]
    issued_token_type [max(issued_token_type_length, 0)]utf8 [ws = "opcua.IssuedTokenType"]
    issuer_endpoint_url_length s32 [hidden, range = -1..65536]
    issuer_endpoint_url [max(issuer_endpoint_url_length, 0)]utf8 [ws = "opcua.IssuerEndpointUrl"]
    security_policy_uri_length s32 [hidden, range = -1..65536]
    security_policy_uri [max(security_policy_uri_length, 0)]utf8 [ws = "opcua.SecurityPolicyUri"]
}

struct EndpointDescription [summary = "{endpoint_url}"] {
    endpoint_url_length s32 [hidden, range = -1..65536]
    endpoint_url [max(endpoint_url_length, 0)]utf8 [ws = "opcua.EndpointUrl"]
    server ApplicationDescription
    server_certificate_length s32 [hidden, range = -1..1048576]
    server_certificate [max(server_certificate_length, 0)]byte [ws = "opcua.ServerCertificate"]
    security_mode MessageSecurityMode [ws = "opcua.MessageSecurityMode"]
    security_policy_uri_length s32 [hidden, range = -1..65536]
    security_policy_uri [max(security_policy_uri_length, 0)]utf8 [ws = "opcua.SecurityPolicyUri"]
    user_identity_tokens_count s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    user_identity_tokens [max(user_identity_tokens_count, 0)]UserTokenPolicy
    transport_profile_uri_length s32 [hidden, range = -1..65536]
    transport_profile_uri [max(transport_profile_uri_length, 0)]utf8 [ws = "opcua.TransportProfileUri"]
    security_level u8 [ws = "opcua.SecurityLevel"]
}

struct EndpointDescriptionArray [summary = "{count}"] {
    count     s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    endpoints [max(count, 0)]EndpointDescription
}

struct GetEndpointsResponse {
    response_header ResponseHeader
    endpoints       EndpointDescriptionArray
}

struct SignedSoftwareCertificate {
    certificate_data_length s32 [hidden, range = -1..1048576]
    certificate_data [max(certificate_data_length, 0)]byte [ws = "opcua.CertificateData"]
    signature_length s32 [hidden, range = -1..1048576]
    signature [max(signature_length, 0)]byte [ws = "opcua.Signature"]
}

struct SignedSoftwareCertificateArray [summary = "{count}"] {
    count        s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    certificates [max(count, 0)]SignedSoftwareCertificate
}

struct SignatureData {
    algorithm_length s32 [hidden, range = -1..65536]
    algorithm [max(algorithm_length, 0)]utf8 [ws = "opcua.Algorithm"]
    signature_length s32 [hidden, range = -1..1048576]
    signature [max(signature_length, 0)]byte [ws = "opcua.Signature"]
}

struct CreateSessionRequest {
    request_header      RequestHeader
    client_description  ApplicationDescription
    server_uri_length   s32 [hidden, range = -1..65536]
    server_uri          [max(server_uri_length, 0)]utf8 [ws = "opcua.ServerUri"]
    endpoint_url_length s32 [hidden, range = -1..65536]
    endpoint_url        [max(endpoint_url_length, 0)]utf8 [ws = "opcua.EndpointUrl"]
    session_name_length s32 [hidden, range = -1..65536]
    session_name        [max(session_name_length, 0)]utf8 [ws = "opcua.SessionName"]
    client_nonce_length s32 [hidden, range = -1..65536]
    client_nonce        [max(client_nonce_length, 0)]byte [ws = "opcua.ClientNonce"]
    client_certificate_length s32 [hidden, range = -1..1048576]
    client_certificate  [max(client_certificate_length, 0)]byte [ws = "opcua.ClientCertificate"]
    requested_session_timeout f64 [ws = "opcua.RequestedSessionTimeout", unit = "ms"]
    max_response_message_size u32 [ws = "opcua.MaxResponseMessageSize"]
}

struct CreateSessionResponse {
    response_header      ResponseHeader
    session_id           NodeId
    authentication_token NodeId
    revised_session_timeout f64 [ws = "opcua.RevisedSessionTimeout", unit = "ms"]
    server_nonce_length  s32 [hidden, range = -1..65536]
    server_nonce         [max(server_nonce_length, 0)]byte [ws = "opcua.ServerNonce"]
    server_certificate_length s32 [hidden, range = -1..1048576]
    server_certificate   [max(server_certificate_length, 0)]byte [ws = "opcua.ServerCertificate"]
    server_endpoints     EndpointDescriptionArray
    server_software_certificates SignedSoftwareCertificateArray
    server_signature     SignatureData
    max_request_message_size u32 [ws = "opcua.MaxRequestMessageSize"]
}

struct ActivateSessionRequest {
    request_header   RequestHeader
    client_signature SignatureData
    client_software_certificates SignedSoftwareCertificateArray
    locale_ids       LocaleIds
    user_identity_token  ExtensionObject
    user_token_signature SignatureData
}

struct ActivateSessionResponse {
    response_header     ResponseHeader
    server_nonce_length s32 [hidden, range = -1..65536]
    server_nonce        [max(server_nonce_length, 0)]byte [ws = "opcua.ServerNonce"]
    results_count       s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    results             [max(results_count, 0)]StatusCode [ws = "opcua.Results", base = hex]
    diagnostic_infos    DiagnosticInfoArray
}

enum NodeClass : u32 {
    unspecified    = 0   "Unspecified"
    object         = 1   "Object"
    variable       = 2   "Variable"
    method         = 4   "Method"
    object_type    = 8   "ObjectType"
    variable_type  = 16  "VariableType"
    reference_type = 32  "ReferenceType"
    data_type      = 64  "DataType"
    view           = 128 "View"
}

struct ReferenceDescription [summary = "{browse_name}"] {
    reference_type_id NodeId
    is_forward        bool [ws = "opcua.IsForward"]
    node_id           ExpandedNodeId
    browse_name       QualifiedName
    display_name      LocalizedText
    node_class        NodeClass [ws = "opcua.NodeClass"]
    type_definition   ExpandedNodeId
}

struct BrowseResult [summary = "{status_code}"] {
    status_code StatusCode [ws = "opcua.StatusCode", base = hex]
    continuation_point_length s32 [hidden, range = -1..65536]
    continuation_point [max(continuation_point_length, 0)]byte [ws = "opcua.ContinuationPoint"]
    references_count s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    references [max(references_count, 0)]ReferenceDescription
}

struct BrowseResponse {
    response_header  ResponseHeader
    count            s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    results          [max(count, 0)]BrowseResult
    diagnostic_infos DiagnosticInfoArray
}

enum MonitoringMode : u32 {
    disabled  = 0 "Disabled"
    sampling  = 1 "Sampling"
    reporting = 2 "Reporting"
}

struct MonitoredItemCreateRequest {
    item_to_monitor ReadValueId
    monitoring_mode MonitoringMode [ws = "opcua.MonitoringMode"]
    client_handle   u32 [ws = "opcua.ClientHandle"]
    sampling_interval f64 [ws = "opcua.SamplingInterval", unit = "ms"]
    filter          ExtensionObject
    queue_size      u32 [ws = "opcua.QueueSize"]
    discard_oldest  bool [ws = "opcua.DiscardOldest"]
}

struct CreateMonitoredItemsRequest {
    request_header       RequestHeader
    subscription_id      u32 [ws = "opcua.SubscriptionId"]
    timestamps_to_return TimestampsToReturn [ws = "opcua.TimestampsToReturn"]
    count                s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    items_to_create      [max(count, 0)]MonitoredItemCreateRequest
}

struct MonitoredItemCreateResult {
    status_code       StatusCode [ws = "opcua.StatusCode", base = hex]
    monitored_item_id u32 [ws = "opcua.MonitoredItemId"]
    revised_sampling_interval f64 [ws = "opcua.RevisedSamplingInterval", unit = "ms"]
    revised_queue_size u32 [ws = "opcua.RevisedQueueSize"]
    filter_result     ExtensionObject
}

struct CreateMonitoredItemsResponse {
    response_header  ResponseHeader
    count            s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    results          [max(count, 0)]MonitoredItemCreateResult
    diagnostic_infos DiagnosticInfoArray
}

struct NotificationMessage {
    sequence_number u32 [ws = "opcua.SequenceNumber"]
    publish_time    s64 [ws = "opcua.PublishTime", time = filetime]
    count           s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    notification_data [max(count, 0)]ExtensionObject
}

struct PublishResponse {
    response_header ResponseHeader
    subscription_id u32 [ws = "opcua.SubscriptionId"]
    available_count s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    available_sequence_numbers [max(available_count, 0)]u32 [ws = "opcua.AvailableSequenceNumbers"]
    more_notifications bool [ws = "opcua.MoreNotifications"]
    notification_message NotificationMessage
    results_count   s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    results         [max(results_count, 0)]StatusCode [ws = "opcua.Results", base = hex]
    diagnostic_infos DiagnosticInfoArray
}

// DeleteSubscriptions: the subscriptions to delete; the response is a
// StatusResults.
struct DeleteSubscriptionsRequest {
    request_header   RequestHeader
    count            s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    subscription_ids [max(count, 0)]u32 [ws = "opcua.SubscriptionIds"]
}

// Call (Part 4, 5.11.2): methods to call, each on an object with its
// input arguments.
struct CallRequest {
    request_header  RequestHeader
    count           s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    methods_to_call [max(count, 0)]CallMethodRequest
}

struct CallMethodRequest [summary = "{object_id} {method_id}"] {
    object_id       NodeId
    method_id       NodeId
    input_count     s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    input_arguments [max(input_count, 0)]Variant
}

struct CallResponse {
    response_header  ResponseHeader
    count            s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    results          [max(count, 0)]CallMethodResult
    diagnostic_infos DiagnosticInfoArray
}

struct CallMethodResult [summary = "{status_code}"] {
    status_code StatusCode [ws = "opcua.StatusCode", base = hex]
    input_results_count s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    input_argument_results [max(input_results_count, 0)]StatusCode [ws = "opcua.InputArgumentResults", base = hex]
    input_argument_diagnostic_infos DiagnosticInfoArray
    output_count     s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    output_arguments [max(output_count, 0)]Variant
}

// AddNodes (Part 4, 5.7.2): each node's place, name, class, attributes
// and type.
struct AddNodesRequest {
    request_header RequestHeader
    count          s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    nodes_to_add   [max(count, 0)]AddNodesItem
}

struct AddNodesItem [summary = "{browse_name} {node_class}"] {
    parent_node_id        ExpandedNodeId
    reference_type_id     NodeId
    requested_new_node_id ExpandedNodeId
    browse_name           QualifiedName
    node_class            NodeClass [ws = "opcua.NodeClass"]
    node_attributes       ExtensionObject
    type_definition       ExpandedNodeId
}

struct AddNodesResponse {
    response_header  ResponseHeader
    count            s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    results          [max(count, 0)]AddNodesResult
    diagnostic_infos DiagnosticInfoArray
}

struct AddNodesResult [summary = "{status_code} {added_node_id}"] {
    status_code   StatusCode [ws = "opcua.StatusCode", base = hex]
    added_node_id NodeId
}

// The node attributes of AddNodes (Part 4, 7.24), by node class; the
// specified attributes mask says which ones the client sets.
struct ObjectAttributes {
    specified_attributes u32 [ws = "opcua.SpecifiedAttributes", base = hex]
    display_name    LocalizedText
    description     LocalizedText
    write_mask      u32 [ws = "opcua.WriteMask", base = hex]
    user_write_mask u32 [ws = "opcua.UserWriteMask", base = hex]
    event_notifier  u8 [ws = "opcua.EventNotifier", base = hex]
}

struct VariableAttributes {
    specified_attributes u32 [ws = "opcua.SpecifiedAttributes", base = hex]
    display_name    LocalizedText
    description     LocalizedText
    write_mask      u32 [ws = "opcua.WriteMask", base = hex]
    user_write_mask u32 [ws = "opcua.UserWriteMask", base = hex]
    value           Variant
    data_type       NodeId
    value_rank      s32 [ws = "opcua.ValueRank", doc = "-2: scalar or array, -1: scalar, 0: array, n: n dimensions"]
    dimensions_count s32 [ws = "opcua.variant.ArraySize", range = -1..64]
    array_dimensions [max(dimensions_count, 0)]u32 [ws = "opcua.ArrayDimensions"]
    access_level    u8 [ws = "opcua.AccessLevel", base = hex]
    user_access_level u8 [ws = "opcua.UserAccessLevel", base = hex]
    minimum_sampling_interval f64 [ws = "opcua.MinimumSamplingInterval", unit = "ms"]
    historizing     bool [ws = "opcua.Historizing"]
}

struct ReferenceTypeAttributes {
    specified_attributes u32 [ws = "opcua.SpecifiedAttributes", base = hex]
    display_name    LocalizedText
    description     LocalizedText
    write_mask      u32 [ws = "opcua.WriteMask", base = hex]
    user_write_mask u32 [ws = "opcua.UserWriteMask", base = hex]
    is_abstract     bool [ws = "opcua.IsAbstract"]
    symmetric       bool [ws = "opcua.Symmetric"]
    inverse_name    LocalizedText
}

struct MethodAttributes {
    specified_attributes u32 [ws = "opcua.SpecifiedAttributes", base = hex]
    display_name    LocalizedText
    description     LocalizedText
    write_mask      u32 [ws = "opcua.WriteMask", base = hex]
    user_write_mask u32 [ws = "opcua.UserWriteMask", base = hex]
    executable      bool [ws = "opcua.Executable"]
    user_executable bool [ws = "opcua.UserExecutable"]
}

// ObjectTypeAttributes, and DataTypeAttributes which have the same fields.
struct ObjectTypeAttributes {
    specified_attributes u32 [ws = "opcua.SpecifiedAttributes", base = hex]
    display_name    LocalizedText
    description     LocalizedText
    write_mask      u32 [ws = "opcua.WriteMask", base = hex]
    user_write_mask u32 [ws = "opcua.UserWriteMask", base = hex]
    is_abstract     bool [ws = "opcua.IsAbstract"]
}

struct VariableTypeAttributes {
    specified_attributes u32 [ws = "opcua.SpecifiedAttributes", base = hex]
    display_name    LocalizedText
    description     LocalizedText
    write_mask      u32 [ws = "opcua.WriteMask", base = hex]
    user_write_mask u32 [ws = "opcua.UserWriteMask", base = hex]
    value           Variant
    data_type       NodeId
    value_rank      s32 [ws = "opcua.ValueRank"]
    dimensions_count s32 [ws = "opcua.variant.ArraySize", range = -1..64]
    array_dimensions [max(dimensions_count, 0)]u32 [ws = "opcua.ArrayDimensions"]
    is_abstract     bool [ws = "opcua.IsAbstract"]
}

struct ViewAttributes {
    specified_attributes u32 [ws = "opcua.SpecifiedAttributes", base = hex]
    display_name    LocalizedText
    description     LocalizedText
    write_mask      u32 [ws = "opcua.WriteMask", base = hex]
    user_write_mask u32 [ws = "opcua.UserWriteMask", base = hex]
    contains_no_loops bool [ws = "opcua.ContainsNoLoops"]
    event_notifier  u8 [ws = "opcua.EventNotifier", base = hex]
}

// TranslateBrowsePathsToNodeIds (Part 4, 5.8.4): paths of browse names
// from a starting node, and the nodes they lead to.
struct TranslateBrowsePathsRequest {
    request_header RequestHeader
    count          s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    browse_paths   [max(count, 0)]BrowsePath
}

struct BrowsePath [summary = "{starting_node}"] {
    starting_node  NodeId
    elements_count s32 [ws = "opcua.variant.ArraySize", range = -1..256]
    elements       [max(elements_count, 0)]RelativePathElement
}

struct RelativePathElement [summary = "{target_name}"] {
    reference_type_id NodeId
    is_inverse        bool [ws = "opcua.IsInverse"]
    include_subtypes  bool [ws = "opcua.IncludeSubtypes"]
    target_name       QualifiedName
}

struct TranslateBrowsePathsResponse {
    response_header  ResponseHeader
    count            s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    results          [max(count, 0)]BrowsePathResult
    diagnostic_infos DiagnosticInfoArray
}

struct BrowsePathResult [summary = "{status_code}"] {
    status_code   StatusCode [ws = "opcua.StatusCode", base = hex]
    targets_count s32 [ws = "opcua.variant.ArraySize", range = -1..65536]
    targets       [max(targets_count, 0)]BrowsePathTarget
}

struct BrowsePathTarget [summary = "{target_id}"] {
    target_id            ExpandedNodeId
    remaining_path_index u32 [ws = "opcua.RemainingPathIndex", doc = "0xFFFFFFFF: the whole path was followed"]
}

// Other requests: the header, then the parameters as bytes.
struct OtherRequest {
    request_header RequestHeader
    parameters     []byte [doc = "The service's parameters, not decoded"]
}

// Other responses: the header, then the results as bytes.
struct OtherResponse [summary = "{response_header}"] {
    response_header ResponseHeader
    results         []byte [doc = "The service's results, not decoded"]
}

// An object of a type this schema does not know.
struct UnknownBody {
    data []byte
}
