// Apache Kafka: the binary protocol between clients and brokers over TCP,
// as in the Kafka protocol guide and the message definitions of
// clients/src/main/resources/common/message/*.json in the Kafka sources.
//
// Every message is a 4-byte size, then a request or a response. A request
// header names the API (api_key), its version and a correlation id; the
// response repeats only the correlation id. Flexible versions (KIP-482) add
// tagged fields to the headers and use compact (varint-length) strings and
// arrays in the body; which versions are flexible depends on the API.
//
// A response does not say which API it answers. The connection state
// remembers the API key, version and flexibility of the last eight
// requests, by correlation id (clients keep up to five in flight by
// default), so a response is decoded with the layout of its request. A
// response whose request was not seen (a capture started later, or more
// than eight requests ahead) keeps its body as bytes.
//
// Bodies decoded: ApiVersions (all versions), Metadata (versions 0 to 8,
// the non-flexible ones), SaslHandshake, FindCoordinator (versions 0 to 2)
// and Heartbeat (versions 0 to 3); every other body is kept as bytes.
// Requests and responses pair by correlation id. A Produce request with
// acks = 0 gets no response, and is reported unanswered.

protocol kafka {
    title       "Kafka"
    description "Apache Kafka wire protocol"
    transport   tcp
    ports       9092
    endian      big
    wireshark   "kafka"
    request     Request
    response    Response
}

// The size counts the bytes after itself. Brokers accept requests of up to
// 100 MB (socket.request.max.bytes); 64 MiB bounds what a lost frame
// boundary can make the decoder wait for.
framing {
    size u32(0) + 4
    min  8
    max  67108864
}

// The last eight requests: correlation id (c0..c7) and what is needed to
// decode the response (i0..i7): api_key << 16 | flexible << 15 | version.
// LANGUAGE GAP: state holds scalars only, so a table keyed by correlation
// id is emulated with a ring of eight slots, sixteen set statements and
// eight-way conditional lookups. A keyed state table would say it directly,
// e.g. `state { requests map[s32]u32 [max = 64] }` with
// `set state.requests[correlation_id] = ...` and
// `state.requests[correlation_id] ?? -1`; or pairing could expose the
// matched request's fields to the response (`request.api_key`).
state {
    next u8  = 0
    c0   s32 = -1
    c1   s32 = -1
    c2   s32 = -1
    c3   s32 = -1
    c4   s32 = -1
    c5   s32 = -1
    c6   s32 = -1
    c7   s32 = -1
    i0   s32 = -1
    i1   s32 = -1
    i2   s32 = -1
    i3   s32 = -1
    i4   s32 = -1
    i5   s32 = -1
    i6   s32 = -1
    i7   s32 = -1
}

enum ApiKey : s16 {
    produce                         = 0  "Produce"
    fetch                           = 1  "Fetch"
    list_offsets                    = 2  "ListOffsets"
    metadata                        = 3  "Metadata"
    leader_and_isr                  = 4  "LeaderAndIsr"
    stop_replica                    = 5  "StopReplica"
    update_metadata                 = 6  "UpdateMetadata"
    controlled_shutdown             = 7  "ControlledShutdown"
    offset_commit                   = 8  "OffsetCommit"
    offset_fetch                    = 9  "OffsetFetch"
    find_coordinator                = 10 "FindCoordinator"
    join_group                      = 11 "JoinGroup"
    heartbeat                       = 12 "Heartbeat"
    leave_group                     = 13 "LeaveGroup"
    sync_group                      = 14 "SyncGroup"
    describe_groups                 = 15 "DescribeGroups"
    list_groups                     = 16 "ListGroups"
    sasl_handshake                  = 17 "SaslHandshake"
    api_versions                    = 18 "ApiVersions"
    create_topics                   = 19 "CreateTopics"
    delete_topics                   = 20 "DeleteTopics"
    delete_records                  = 21 "DeleteRecords"
    init_producer_id                = 22 "InitProducerId"
    offset_for_leader_epoch         = 23 "OffsetForLeaderEpoch"
    add_partitions_to_txn           = 24 "AddPartitionsToTxn"
    add_offsets_to_txn              = 25 "AddOffsetsToTxn"
    end_txn                         = 26 "EndTxn"
    write_txn_markers               = 27 "WriteTxnMarkers"
    txn_offset_commit               = 28 "TxnOffsetCommit"
    describe_acls                   = 29 "DescribeAcls"
    create_acls                     = 30 "CreateAcls"
    delete_acls                     = 31 "DeleteAcls"
    describe_configs                = 32 "DescribeConfigs"
    alter_configs                   = 33 "AlterConfigs"
    alter_replica_log_dirs          = 34 "AlterReplicaLogDirs"
    describe_log_dirs               = 35 "DescribeLogDirs"
    sasl_authenticate               = 36 "SaslAuthenticate"
    create_partitions               = 37 "CreatePartitions"
    create_delegation_token         = 38 "CreateDelegationToken"
    renew_delegation_token          = 39 "RenewDelegationToken"
    expire_delegation_token         = 40 "ExpireDelegationToken"
    describe_delegation_token       = 41 "DescribeDelegationToken"
    delete_groups                   = 42 "DeleteGroups"
    elect_leaders                   = 43 "ElectLeaders"
    incremental_alter_configs       = 44 "IncrementalAlterConfigs"
    alter_partition_reassignments   = 45 "AlterPartitionReassignments"
    list_partition_reassignments    = 46 "ListPartitionReassignments"
    offset_delete                   = 47 "OffsetDelete"
    describe_client_quotas          = 48 "DescribeClientQuotas"
    alter_client_quotas             = 49 "AlterClientQuotas"
    describe_user_scram_credentials = 50 "DescribeUserScramCredentials"
    alter_user_scram_credentials    = 51 "AlterUserScramCredentials"
    vote                            = 52 "Vote"
    begin_quorum_epoch              = 53 "BeginQuorumEpoch"
    end_quorum_epoch                = 54 "EndQuorumEpoch"
    describe_quorum                 = 55 "DescribeQuorum"
    alter_partition                 = 56 "AlterPartition"
    update_features                 = 57 "UpdateFeatures"
    envelope                        = 58 "Envelope"
    fetch_snapshot                  = 59 "FetchSnapshot"
    describe_cluster                = 60 "DescribeCluster"
    describe_producers              = 61 "DescribeProducers"
    broker_registration             = 62 "BrokerRegistration"
    broker_heartbeat                = 63 "BrokerHeartbeat"
    unregister_broker               = 64 "UnregisterBroker"
    describe_transactions           = 65 "DescribeTransactions"
    list_transactions               = 66 "ListTransactions"
    allocate_producer_ids           = 67 "AllocateProducerIds"
    consumer_group_heartbeat        = 68 "ConsumerGroupHeartbeat"
    consumer_group_describe         = 69 "ConsumerGroupDescribe"
    controller_registration         = 70 "ControllerRegistration"
    get_telemetry_subscriptions     = 71 "GetTelemetrySubscriptions"
    push_telemetry                  = 72 "PushTelemetry"
    assign_replicas_to_dirs         = 73 "AssignReplicasToDirs"
    list_client_metrics_resources   = 74 "ListClientMetricsResources"
    describe_topic_partitions       = 75 "DescribeTopicPartitions"
}

enum ErrorCode : s16 {
    unknown_server_error                  = -1 "UNKNOWN_SERVER_ERROR"
    none                                  = 0  "NONE"
    offset_out_of_range                   = 1  "OFFSET_OUT_OF_RANGE"
    corrupt_message                       = 2  "CORRUPT_MESSAGE"
    unknown_topic_or_partition            = 3  "UNKNOWN_TOPIC_OR_PARTITION"
    invalid_fetch_size                    = 4  "INVALID_FETCH_SIZE"
    leader_not_available                  = 5  "LEADER_NOT_AVAILABLE"
    not_leader_or_follower                = 6  "NOT_LEADER_OR_FOLLOWER"
    request_timed_out                     = 7  "REQUEST_TIMED_OUT"
    broker_not_available                  = 8  "BROKER_NOT_AVAILABLE"
    replica_not_available                 = 9  "REPLICA_NOT_AVAILABLE"
    message_too_large                     = 10 "MESSAGE_TOO_LARGE"
    stale_controller_epoch                = 11 "STALE_CONTROLLER_EPOCH"
    offset_metadata_too_large             = 12 "OFFSET_METADATA_TOO_LARGE"
    network_exception                     = 13 "NETWORK_EXCEPTION"
    coordinator_load_in_progress          = 14 "COORDINATOR_LOAD_IN_PROGRESS"
    coordinator_not_available             = 15 "COORDINATOR_NOT_AVAILABLE"
    not_coordinator                       = 16 "NOT_COORDINATOR"
    invalid_topic_exception               = 17 "INVALID_TOPIC_EXCEPTION"
    record_list_too_large                 = 18 "RECORD_LIST_TOO_LARGE"
    not_enough_replicas                   = 19 "NOT_ENOUGH_REPLICAS"
    not_enough_replicas_after_append      = 20 "NOT_ENOUGH_REPLICAS_AFTER_APPEND"
    invalid_required_acks                 = 21 "INVALID_REQUIRED_ACKS"
    illegal_generation                    = 22 "ILLEGAL_GENERATION"
    inconsistent_group_protocol           = 23 "INCONSISTENT_GROUP_PROTOCOL"
    invalid_group_id                      = 24 "INVALID_GROUP_ID"
    unknown_member_id                     = 25 "UNKNOWN_MEMBER_ID"
    invalid_session_timeout               = 26 "INVALID_SESSION_TIMEOUT"
    rebalance_in_progress                 = 27 "REBALANCE_IN_PROGRESS"
    invalid_commit_offset_size            = 28 "INVALID_COMMIT_OFFSET_SIZE"
    topic_authorization_failed            = 29 "TOPIC_AUTHORIZATION_FAILED"
    group_authorization_failed            = 30 "GROUP_AUTHORIZATION_FAILED"
    cluster_authorization_failed          = 31 "CLUSTER_AUTHORIZATION_FAILED"
    invalid_timestamp                     = 32 "INVALID_TIMESTAMP"
    unsupported_sasl_mechanism            = 33 "UNSUPPORTED_SASL_MECHANISM"
    illegal_sasl_state                    = 34 "ILLEGAL_SASL_STATE"
    unsupported_version                   = 35 "UNSUPPORTED_VERSION"
    topic_already_exists                  = 36 "TOPIC_ALREADY_EXISTS"
    invalid_partitions                    = 37 "INVALID_PARTITIONS"
    invalid_replication_factor            = 38 "INVALID_REPLICATION_FACTOR"
    invalid_replica_assignment            = 39 "INVALID_REPLICA_ASSIGNMENT"
    invalid_config                        = 40 "INVALID_CONFIG"
    not_controller                        = 41 "NOT_CONTROLLER"
    invalid_request                       = 42 "INVALID_REQUEST"
    unsupported_for_message_format        = 43 "UNSUPPORTED_FOR_MESSAGE_FORMAT"
    policy_violation                      = 44 "POLICY_VIOLATION"
    out_of_order_sequence_number          = 45 "OUT_OF_ORDER_SEQUENCE_NUMBER"
    duplicate_sequence_number             = 46 "DUPLICATE_SEQUENCE_NUMBER"
    invalid_producer_epoch                = 47 "INVALID_PRODUCER_EPOCH"
    invalid_txn_state                     = 48 "INVALID_TXN_STATE"
    invalid_producer_id_mapping           = 49 "INVALID_PRODUCER_ID_MAPPING"
    invalid_transaction_timeout           = 50 "INVALID_TRANSACTION_TIMEOUT"
    concurrent_transactions               = 51 "CONCURRENT_TRANSACTIONS"
    transaction_coordinator_fenced        = 52 "TRANSACTION_COORDINATOR_FENCED"
    transactional_id_authorization_failed = 53 "TRANSACTIONAL_ID_AUTHORIZATION_FAILED"
    security_disabled                     = 54 "SECURITY_DISABLED"
    operation_not_attempted               = 55 "OPERATION_NOT_ATTEMPTED"
    kafka_storage_error                   = 56 "KAFKA_STORAGE_ERROR"
    log_dir_not_found                     = 57 "LOG_DIR_NOT_FOUND"
    sasl_authentication_failed            = 58 "SASL_AUTHENTICATION_FAILED"
    unknown_producer_id                   = 59 "UNKNOWN_PRODUCER_ID"
    reassignment_in_progress              = 60 "REASSIGNMENT_IN_PROGRESS"
    delegation_token_auth_disabled        = 61 "DELEGATION_TOKEN_AUTH_DISABLED"
    delegation_token_not_found            = 62 "DELEGATION_TOKEN_NOT_FOUND"
    delegation_token_owner_mismatch       = 63 "DELEGATION_TOKEN_OWNER_MISMATCH"
    delegation_token_request_not_allowed  = 64 "DELEGATION_TOKEN_REQUEST_NOT_ALLOWED"
    delegation_token_authorization_failed = 65 "DELEGATION_TOKEN_AUTHORIZATION_FAILED"
    delegation_token_expired              = 66 "DELEGATION_TOKEN_EXPIRED"
    invalid_principal_type                = 67 "INVALID_PRINCIPAL_TYPE"
    non_empty_group                       = 68 "NON_EMPTY_GROUP"
    group_id_not_found                    = 69 "GROUP_ID_NOT_FOUND"
    fetch_session_id_not_found            = 70 "FETCH_SESSION_ID_NOT_FOUND"
    invalid_fetch_session_epoch           = 71 "INVALID_FETCH_SESSION_EPOCH"
    listener_not_found                    = 72 "LISTENER_NOT_FOUND"
    topic_deletion_disabled               = 73 "TOPIC_DELETION_DISABLED"
    fenced_leader_epoch                   = 74 "FENCED_LEADER_EPOCH"
    unknown_leader_epoch                  = 75 "UNKNOWN_LEADER_EPOCH"
    unsupported_compression_type          = 76 "UNSUPPORTED_COMPRESSION_TYPE"
    stale_broker_epoch                    = 77 "STALE_BROKER_EPOCH"
    offset_not_available                  = 78 "OFFSET_NOT_AVAILABLE"
    member_id_required                    = 79 "MEMBER_ID_REQUIRED"
    preferred_leader_not_available        = 80 "PREFERRED_LEADER_NOT_AVAILABLE"
    group_max_size_reached                = 81 "GROUP_MAX_SIZE_REACHED"
    fenced_instance_id                    = 82 "FENCED_INSTANCE_ID"
}

enum CoordinatorType : s8 {
    group       = 0 "Group"
    transaction = 1 "Transaction"
}

// ---------------------------------------------------------------------
// Requests

struct Request [summary = "Request {api_key:label} v{api_version}, correlation id {correlation_id}{body}"] {
    length           s32    [ws = "kafka.len"]
    api_key          ApiKey [ws = "kafka.request_key"]
    api_version      s16    [ws = "kafka.request.version"]
    correlation_id   s32    [ws = "kafka.correlation_id"]
    client_id_length s16    [doc = "-1: no client id"]
    client_id        [client_id_length]utf8 [if = client_id_length >= 0, ws = "kafka.client_id"]
    // Whether this API version is flexible (request header v2, tagged
    // fields, compact strings and arrays), from the "flexibleVersions" of
    // each API's message definition.
    let flexible = api_version >= (
        api_key == 0  ? 9  : api_key == 1  ? 12 : api_key == 2  ? 6  : api_key == 3  ? 9  :
        api_key == 4  ? 4  : api_key == 5  ? 2  : api_key == 6  ? 6  : api_key == 7  ? 3  :
        api_key == 8  ? 8  : api_key == 9  ? 6  : api_key == 10 ? 3  : api_key == 11 ? 6  :
        api_key == 12 ? 4  : api_key == 13 ? 4  : api_key == 14 ? 4  : api_key == 15 ? 5  :
        api_key == 16 ? 3  : api_key == 17 ? 1000 : api_key == 18 ? 3  : api_key == 19 ? 5  :
        api_key == 20 ? 4  : api_key == 21 ? 2  : api_key == 22 ? 2  : api_key == 23 ? 4  :
        api_key == 24 ? 3  : api_key == 25 ? 3  : api_key == 26 ? 3  : api_key == 27 ? 1  :
        api_key == 28 ? 3  : api_key == 29 ? 2  : api_key == 30 ? 2  : api_key == 31 ? 2  :
        api_key == 32 ? 4  : api_key == 33 ? 2  : api_key == 34 ? 2  : api_key == 35 ? 2  :
        api_key == 36 ? 2  : api_key == 37 ? 2  : api_key == 38 ? 2  : api_key == 39 ? 2  :
        api_key == 40 ? 2  : api_key == 41 ? 2  : api_key == 42 ? 2  : api_key == 43 ? 2  :
        api_key == 44 ? 1  : api_key == 47 ? 1000 : api_key == 48 ? 1 : api_key == 49 ? 1  :
        0)
    tagged_fields TaggedFields [if = flexible]
    body switch api_key {
        case api_versions: switch api_version {
            case 0..2:    Empty
            default:      ApiVersionsRequest
        }
        case metadata: switch api_version {
            case 0:       MetadataRequestV0
            case 1..8:    MetadataRequest(api_version)
            default:      RawBody
        }
        case sasl_handshake:   SaslHandshakeRequest
        case find_coordinator: switch api_version {
            case 0..2:    FindCoordinatorRequest(api_version)
            default:      RawBody
        }
        case heartbeat: switch api_version {
            case 0..3:    HeartbeatRequest(api_version)
            default:      RawBody
        }
        default: RawBody
    }
    // Remember the request for its response, in the next of eight slots.
    set state.c0 = state.next == 0 ? correlation_id : state.c0
    set state.c1 = state.next == 1 ? correlation_id : state.c1
    set state.c2 = state.next == 2 ? correlation_id : state.c2
    set state.c3 = state.next == 3 ? correlation_id : state.c3
    set state.c4 = state.next == 4 ? correlation_id : state.c4
    set state.c5 = state.next == 5 ? correlation_id : state.c5
    set state.c6 = state.next == 6 ? correlation_id : state.c6
    set state.c7 = state.next == 7 ? correlation_id : state.c7
    set state.i0 = state.next == 0 ? api_key * 65536 + flexible * 32768 + api_version : state.i0
    set state.i1 = state.next == 1 ? api_key * 65536 + flexible * 32768 + api_version : state.i1
    set state.i2 = state.next == 2 ? api_key * 65536 + flexible * 32768 + api_version : state.i2
    set state.i3 = state.next == 3 ? api_key * 65536 + flexible * 32768 + api_version : state.i3
    set state.i4 = state.next == 4 ? api_key * 65536 + flexible * 32768 + api_version : state.i4
    set state.i5 = state.next == 5 ? api_key * 65536 + flexible * 32768 + api_version : state.i5
    set state.i6 = state.next == 6 ? api_key * 65536 + flexible * 32768 + api_version : state.i6
    set state.i7 = state.next == 7 ? api_key * 65536 + flexible * 32768 + api_version : state.i7
    set state.next = (state.next + 1) % 8
    // LANGUAGE GAP: a Produce request with acks = 0 gets no response, but
    // pair cannot be made conditional in place (`pair request
    // correlation_id [if = ...]`); it would have to move into every body
    // struct behind a switch. Such requests are reported unanswered.
    pair request correlation_id
}

struct Empty {}

struct RawBody {
    data []byte
}

// Tagged fields of a flexible version: a count, then tag, size and data.
struct TaggedFields [summary = "{fields}"] {
    count  uleb128
    fields [count]TaggedField
}

struct TaggedField [summary = "tag {tag}"] {
    tag  uleb128      [ws = "kafka.tagged_field_tag"]
    size uleb128
    data [size]byte   [ws = "kafka.tagged_field_data"]
}

struct ApiVersionsRequest [summary = ", {client_software_name:text} {client_software_version:text}"] {
    client_software_name_length    uleb128 [doc = "Compact string: length + 1"]
    client_software_name           [client_software_name_length - 1]utf8    [if = client_software_name_length > 0, ws = "kafka.client_software_name"]
    client_software_version_length uleb128
    client_software_version        [client_software_version_length - 1]utf8 [if = client_software_version_length > 0, ws = "kafka.client_software_version"]
    tagged_fields TaggedFields
}

// Metadata v0: an empty list asks for every topic.
struct MetadataRequestV0 [summary = ", {topics:join(, )}"] {
    topic_count s32
    topics      [max(topic_count, 0)]TopicName
}

// Metadata v1 to v8: a null list (-1) asks for every topic.
struct MetadataRequest(version s16) [summary = ", {topics:join(, )}"] {
    topic_count s32 [doc = "-1: every topic"]
    topics      [max(topic_count, 0)]TopicName
    allow_auto_topic_creation           bool [if = version >= 4, ws = "kafka.allow_auto_topic_creation"]
    include_cluster_authorized_operations bool [if = version >= 8, ws = "kafka.include_cluster_authorized_ops"]
    include_topic_authorized_operations   bool [if = version >= 8, ws = "kafka.include_topic_authorized_ops"]
}

struct TopicName [summary = "{name:text}"] {
    length s16
    name   [length]utf8 [if = length >= 0, ws = "kafka.topic_name"]
}

struct SaslHandshakeRequest [summary = ", {mechanism:text}"] {
    mechanism_length s16
    mechanism        [mechanism_length]utf8 [if = mechanism_length >= 0, ws = "kafka.sasl_mechanism"]
}

struct FindCoordinatorRequest(version s16) [summary = ", {key:text}"] {
    key_length s16
    key        [key_length]utf8 [if = key_length >= 0, ws = "kafka.coordinator_key"]
    key_type   CoordinatorType  [if = version >= 1, ws = "kafka.coordinator_type"]
}

struct HeartbeatRequest(version s16) [summary = ", group {group_id:text}"] {
    group_id_length s16
    group_id        [group_id_length]utf8 [if = group_id_length >= 0, ws = "kafka.consumer_group"]
    generation_id   s32                   [ws = "kafka.generation_id"]
    member_id_length s16
    member_id       [member_id_length]utf8 [if = member_id_length >= 0, ws = "kafka.member_id"]
    group_instance_id_length s16          [if = version >= 3]
    group_instance_id [group_instance_id_length]utf8 [if = version >= 3 && group_instance_id_length >= 0, ws = "kafka.consumer_group_instance"]
}

// ---------------------------------------------------------------------
// Responses

struct Response [summary = "Response{body}, correlation id {correlation_id}"] {
    length         s32 [ws = "kafka.len"]
    correlation_id s32 [ws = "kafka.correlation_id"]
    // What the request with this correlation id was; -1 when it was not seen.
    // LANGUAGE GAP: a let cannot have an enum type, so api_key shows as a
    // number and a summary cannot name the API of an undecoded response;
    // `let api_key ApiKey = ...` would.
    let api_key = correlation_id == state.c0 ? state.i0 >> 16 : correlation_id == state.c1 ? state.i1 >> 16 :
                  correlation_id == state.c2 ? state.i2 >> 16 : correlation_id == state.c3 ? state.i3 >> 16 :
                  correlation_id == state.c4 ? state.i4 >> 16 : correlation_id == state.c5 ? state.i5 >> 16 :
                  correlation_id == state.c6 ? state.i6 >> 16 : correlation_id == state.c7 ? state.i7 >> 16 : -1 [doc = "The API of the request with this correlation id; -1: the request was not seen"]
    let api_version = correlation_id == state.c0 ? state.i0 & 0x7FFF : correlation_id == state.c1 ? state.i1 & 0x7FFF :
                      correlation_id == state.c2 ? state.i2 & 0x7FFF : correlation_id == state.c3 ? state.i3 & 0x7FFF :
                      correlation_id == state.c4 ? state.i4 & 0x7FFF : correlation_id == state.c5 ? state.i5 & 0x7FFF :
                      correlation_id == state.c6 ? state.i6 & 0x7FFF : correlation_id == state.c7 ? state.i7 & 0x7FFF : -1 [doc = "The API version of the request"]
    let flexible = correlation_id == state.c0 ? state.i0 >> 15 & 1 : correlation_id == state.c1 ? state.i1 >> 15 & 1 :
                   correlation_id == state.c2 ? state.i2 >> 15 & 1 : correlation_id == state.c3 ? state.i3 >> 15 & 1 :
                   correlation_id == state.c4 ? state.i4 >> 15 & 1 : correlation_id == state.c5 ? state.i5 >> 15 & 1 :
                   correlation_id == state.c6 ? state.i6 >> 15 & 1 : correlation_id == state.c7 ? state.i7 >> 15 & 1 : 0
    // Response header v1 (tagged fields) for flexible versions, except
    // ApiVersions, whose response header stays v0 so that a client can read
    // it whatever version the broker supports.
    tagged_fields TaggedFields [if = flexible && api_key != ApiKey.api_versions]
    body switch api_key {
        case -1: Unmatched
        // A broker answers an ApiVersions version it does not support with
        // a v0 response and UNSUPPORTED_VERSION (35).
        case ApiKey.api_versions: switch api_version >= 3 && u16(8) != 35 {
            case 1:  ApiVersionsResponseFlexible
            default: ApiVersionsResponse(u16(8) == 35 ? 0 : api_version)
        }
        case ApiKey.metadata: switch api_version {
            case 0..8: MetadataResponse(api_version)
            default:   RawResponse(api_key, api_version)
        }
        case ApiKey.sasl_handshake: SaslHandshakeResponse
        case ApiKey.find_coordinator: switch api_version {
            case 0..2: FindCoordinatorResponse(api_version)
            default:   RawResponse(api_key, api_version)
        }
        case ApiKey.heartbeat: switch api_version {
            case 0..3: HeartbeatResponse(api_version)
            default:   RawResponse(api_key, api_version)
        }
        default: RawResponse(api_key, api_version)
    }
    pair response correlation_id
}

// The request was not seen: the body is kept as bytes.
struct Unmatched [summary = ""] {
    data []byte
}

struct RawResponse(key s16, version s16) [summary = " to api key {api_key:label} v{api_version}"] {
    let api_key     = key
    let api_version = version
    data []byte
}

struct ApiVersionsResponse(version s16) [summary = " to ApiVersions: {error_code:label}, {api_keys}"] {
    error_code  ErrorCode [ws = "kafka.error"]
    api_count   s32
    api_keys    [max(api_count, 0)]ApiVersion
    throttle_time_ms s32 [if = version >= 1, ws = "kafka.throttle_time", unit = "ms"]
}

struct ApiVersion [summary = "{api_key:label} {min_version}..{max_version}"] {
    api_key     ApiKey [ws = "kafka.api_versions.api_key"]
    min_version s16    [ws = "kafka.api_versions.min_version"]
    max_version s16    [ws = "kafka.api_versions.max_version"]
}

struct ApiVersionsResponseFlexible [summary = " to ApiVersions: {error_code:label}, {api_keys}"] {
    error_code  ErrorCode [ws = "kafka.error"]
    api_count   uleb128   [doc = "Compact array: count + 1"]
    api_keys    [max(api_count - 1, 0)]ApiVersionFlexible
    throttle_time_ms s32  [ws = "kafka.throttle_time", unit = "ms"]
    tagged_fields TaggedFields [doc = "0: supported features, 1: finalized features epoch, 2: finalized features"]
}

struct ApiVersionFlexible [summary = "{api_key:label} {min_version}..{max_version}"] {
    api_key     ApiKey [ws = "kafka.api_versions.api_key"]
    min_version s16    [ws = "kafka.api_versions.min_version"]
    max_version s16    [ws = "kafka.api_versions.max_version"]
    tagged_fields TaggedFields
}

struct MetadataResponse(version s16) [summary = " to Metadata: brokers {broker_count}, topics {topic_count}"] {
    throttle_time_ms s32 [if = version >= 3, ws = "kafka.throttle_time", unit = "ms"]
    broker_count s32
    brokers      [max(broker_count, 0)]Broker(version)
    cluster_id_length s16 [if = version >= 2]
    cluster_id   [cluster_id_length]utf8 [if = version >= 2 && cluster_id_length >= 0, ws = "kafka.cluster_id"]
    controller_id s32 [if = version >= 1, ws = "kafka.node_id", doc = "Wireshark shows the controller as a node id"]
    topic_count  s32
    topics       [max(topic_count, 0)]TopicMetadata(version)
    cluster_authorized_operations s32 [if = version >= 8, ws = "kafka.cluster_authorized_ops", base = hex]
}

struct Broker(version s16) [summary = "{node_id} {host:text}:{port}"] {
    node_id     s32 [ws = "kafka.node_id"]
    host_length s16
    host        [host_length]utf8 [if = host_length >= 0, ws = "kafka.host"]
    port        s32 [ws = "kafka.port"]
    rack_length s16 [if = version >= 1]
    rack        [rack_length]utf8 [if = version >= 1 && rack_length >= 0, ws = "kafka.rack"]
}

struct TopicMetadata(version s16) [summary = "{name} {error_code:label}"] {
    error_code  ErrorCode [ws = "kafka.error"]
    name_length s16
    name        [name_length]utf8 [if = name_length >= 0, ws = "kafka.topic_name"]
    is_internal bool [if = version >= 1, ws = "kafka.is_internal"]
    partition_count s32
    partitions  [max(partition_count, 0)]PartitionMetadata(version)
    topic_authorized_operations s32 [if = version >= 8, ws = "kafka.topic_authorized_ops", base = hex]
}

struct PartitionMetadata(version s16) [summary = "{partition_index} leader {leader_id}"] {
    error_code      ErrorCode [ws = "kafka.error"]
    partition_index s32 [ws = "kafka.partition_id"]
    leader_id       s32 [ws = "kafka.leader_id"]
    leader_epoch    s32 [if = version >= 7, ws = "kafka.leader_epoch"]
    replica_count   s32
    replica_nodes   [max(replica_count, 0)]s32 [ws = "kafka.replica_id"]
    isr_count       s32
    isr_nodes       [max(isr_count, 0)]s32 [ws = "kafka.isr_id"]
    offline_count   s32 [if = version >= 5]
    offline_replicas [max(offline_count, 0)]s32 [if = version >= 5, ws = "kafka.offline_id"]
}

struct SaslHandshakeResponse [summary = " to SaslHandshake: {error_code:label}"] {
    error_code      ErrorCode [ws = "kafka.error"]
    mechanism_count s32
    mechanisms      [max(mechanism_count, 0)]Mechanism
}

struct Mechanism [summary = "{name:text}"] {
    length s16
    name   [length]utf8 [if = length >= 0, ws = "kafka.sasl_mechanism"]
}

struct FindCoordinatorResponse(version s16) [summary = " to FindCoordinator: {error_code:label}, node {node_id} {host:text}:{port}"] {
    throttle_time_ms s32 [if = version >= 1, ws = "kafka.throttle_time", unit = "ms"]
    error_code  ErrorCode [ws = "kafka.error"]
    error_message_length s16 [if = version >= 1]
    error_message [error_message_length]utf8 [if = version >= 1 && error_message_length >= 0, ws = "kafka.error_message"]
    node_id     s32 [ws = "kafka.node_id"]
    host_length s16
    host        [host_length]utf8 [if = host_length >= 0, ws = "kafka.host"]
    port        s32 [ws = "kafka.port"]
}

struct HeartbeatResponse(version s16) [summary = " to Heartbeat: {error_code:label}"] {
    throttle_time_ms s32 [if = version >= 1, ws = "kafka.throttle_time", unit = "ms"]
    error_code  ErrorCode [ws = "kafka.error"]
}
