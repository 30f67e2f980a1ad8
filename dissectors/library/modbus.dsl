// Modbus/TCP: the MODBUS application protocol carried over TCP, as in the
// "MODBUS Messaging on TCP/IP Implementation Guide V1.0b" and the
// "MODBUS Application Protocol Specification V1.1b3".

protocol modbus {
    title       "Modbus/TCP"
    description "MODBUS application protocol over TCP (MBAP header + PDU)"
    transport   tcp
    ports       502
    endian      big
    wireshark   "mbtcp"
    request     Request
    response    Response
}

// Every ADU starts with the 7-byte MBAP header; its length field counts the
// unit identifier and the PDU, so a whole ADU is length + 6 bytes.
framing {
    size u16(4) + 6
    min  8
    max  260
}

// Recognised on any port by a valid MBAP header: protocol id 0, a length
// of 2 to 254 that the framing checks against the frame, and a function
// code the schema knows (with the exception bit, in a response).
heuristic {
    request  u16(2) == 0 && u16(4) >= 2 && u16(4) <= 254 &&
             ((u8(7) >= 1 && u8(7) <= 8) || u8(7) == 11 || u8(7) == 12 ||
              (u8(7) >= 15 && u8(7) <= 17) || (u8(7) >= 20 && u8(7) <= 24) || u8(7) == 43)
    response u16(2) == 0 && u16(4) >= 2 && u16(4) <= 254 &&
             (((u8(7) & 0x7F) >= 1 && (u8(7) & 0x7F) <= 8) || (u8(7) & 0x7F) == 11 || (u8(7) & 0x7F) == 12 ||
              ((u8(7) & 0x7F) >= 15 && (u8(7) & 0x7F) <= 17) || ((u8(7) & 0x7F) >= 20 && (u8(7) & 0x7F) <= 24) ||
              (u8(7) & 0x7F) == 43)
}

// The function code is the low seven bits of the PDU's first byte; the high
// bit marks an exception response.
enum FunctionCode : b7 {
    read_coils                    = 1  "Read Coils"
    read_discrete_inputs          = 2  "Read Discrete Inputs"
    read_holding_registers        = 3  "Read Holding Registers"
    read_input_registers          = 4  "Read Input Registers"
    write_single_coil             = 5  "Write Single Coil"
    write_single_register         = 6  "Write Single Register"
    read_exception_status         = 7  "Read Exception Status"
    diagnostics                   = 8  "Diagnostics"
    get_comm_event_counter        = 11 "Get Comm Event Counter"
    get_comm_event_log            = 12 "Get Comm Event Log"
    write_multiple_coils          = 15 "Write Multiple Coils"
    write_multiple_registers      = 16 "Write Multiple Registers"
    report_server_id              = 17 "Report Server ID"
    read_file_record              = 20 "Read File Record"
    write_file_record             = 21 "Write File Record"
    mask_write_register           = 22 "Mask Write Register"
    read_write_multiple_registers = 23 "Read Write Multiple Registers"
    read_fifo_queue               = 24 "Read FIFO Queue"
    encapsulated_interface        = 43 "Encapsulated Interface Transport"
}

enum ExceptionCode : u8 {
    illegal_function          = 1  "Illegal function"
    illegal_data_address      = 2  "Illegal data address"
    illegal_data_value        = 3  "Illegal data value"
    server_device_failure     = 4  "Server device failure"
    acknowledge               = 5  "Acknowledge"
    server_device_busy        = 6  "Server device busy"
    memory_parity_error       = 8  "Memory parity error"
    gateway_path_unavailable  = 10 "Gateway path unavailable"
    gateway_target_no_response = 11 "Gateway target device failed to respond"
}

enum MEIType : u8 {
    can_open_general_reference = 13 "CANopen General Reference"
    read_device_id             = 14 "Read Device Identification"
}

enum ReadDeviceIDCode : u8 {
    basic    = 1 "Basic Device Identification"
    regular  = 2 "Regular Device Identification"
    extended = 3 "Extended Device Identification"
    specific = 4 "Specific Identification Object"
}

enum ConformityLevel : u8 {
    basic_stream       = 0x01 "Basic (stream access only)"
    regular_stream     = 0x02 "Regular (stream access only)"
    extended_stream    = 0x03 "Extended (stream access only)"
    basic_individual   = 0x81 "Basic (stream and individual access)"
    regular_individual = 0x82 "Regular (stream and individual access)"
    extended_individual = 0x83 "Extended (stream and individual access)"
}

enum DeviceObjectID : u8 {
    vendor_name           = 0 "VendorName"
    product_code          = 1 "ProductCode"
    major_minor_revision  = 2 "MajorMinorRevision"
    vendor_url            = 3 "VendorUrl"
    product_name          = 4 "ProductName"
    model_name            = 5 "ModelName"
    user_application_name = 6 "UserApplicationName"
}

enum CoilValue : u16 {
    off = 0x0000 "Off"
    on  = 0xFF00 "On"
}

struct MBAP {
    transaction_id u16     [ws = "mbtcp.trans_id", doc = "Pairs a response with its request"]
    protocol_id    u16 = 0 [ws = "mbtcp.prot_id", doc = "0 for MODBUS"]
    length         u16     [ws = "mbtcp.len", doc = "Bytes that follow: the unit id and the PDU"]
    unit_id        u8      [ws = "mbtcp.unit_id", doc = "Server behind a gateway; 255 or 0 when unused"]
}

// Client to server.
struct Request [summary = "Query: Trans: {mbap.transaction_id}; Unit: {mbap.unit_id}, Func: {function}"] {
    mbap      MBAP
    exception b1           [doc = "0 in a request"]
    function  FunctionCode [ws = "modbus.func_code"]
    body switch function {
        case read_coils, read_discrete_inputs:             ReadBitsRequest
        case read_holding_registers, read_input_registers: ReadRegistersRequest
        case write_single_coil:             WriteSingleCoil
        case write_single_register:         WriteSingleRegister
        case write_multiple_coils:          WriteMultipleCoilsRequest
        case write_multiple_registers:      WriteMultipleRegistersRequest
        case mask_write_register:           MaskWriteRegister
        case read_write_multiple_registers: ReadWriteMultipleRequest
        case read_fifo_queue:               ReadFIFORequest
        case encapsulated_interface:        MEIRequest
        default:                            RawData
    }
    pair request mbap.transaction_id
}

// Server to client. With the exception bit set, the response reports why
// the request with that function code failed.
struct Response [summary = "Response: Trans: {mbap.transaction_id}; Unit: {mbap.unit_id}, Func: {function}{body}"] {
    mbap      MBAP
    exception b1           [doc = "1 in an exception response"]
    function  FunctionCode [ws = "modbus.func_code"]
    body switch exception {
        case 1:  ExceptionResponse
        default: switch function {
            case read_coils, read_discrete_inputs: ReadBitsResponse
            case read_holding_registers, read_input_registers, read_write_multiple_registers:
                ReadRegistersResponse
            case write_single_coil:             WriteSingleCoil
            case write_single_register:         WriteSingleRegister
            case write_multiple_coils:          WriteMultipleCoilsResponse
            case write_multiple_registers:      WriteMultipleRegistersResponse
            case mask_write_register:           MaskWriteRegister
            case read_fifo_queue:               ReadFIFOResponse
            case encapsulated_interface:        MEIResponse
            default:                            RawData
        }
    }
    pair response mbap.transaction_id
}

struct ReadBitsRequest {
    reference_number u16 [ws = "modbus.reference_num", doc = "Address of the first coil or input"]
    quantity         u16 [ws = "modbus.bit_cnt", doc = "How many coils or inputs to read"]
}

struct ReadRegistersRequest {
    reference_number u16 [ws = "modbus.reference_num", doc = "Address of the first register"]
    quantity         u16 [ws = "modbus.word_cnt", doc = "How many registers to read"]
}

struct ReadBitsResponse {
    byte_count u8              [ws = "modbus.byte_cnt"]
    status     [byte_count]byte [doc = "Coil or input states, eight per byte, least significant bit first"]
}

struct ReadRegistersResponse {
    byte_count u8                  [ws = "modbus.byte_cnt"]
    registers  [byte_count / 2]u16 [ws = "modbus.regval_uint16"]
}

struct WriteSingleCoil {
    reference_number u16       [ws = "modbus.reference_num"]
    value            CoilValue [base = hex, ws = "modbus.data"]
}

struct WriteSingleRegister {
    reference_number u16 [ws = "modbus.reference_num"]
    value            u16 [ws = "modbus.regval_uint16"]
}

struct WriteMultipleCoilsRequest {
    reference_number u16              [ws = "modbus.reference_num"]
    quantity         u16              [ws = "modbus.bit_cnt"]
    byte_count       u8               [ws = "modbus.byte_cnt"]
    values           [byte_count]byte [ws = "modbus.data", doc = "Coil states, eight per byte, least significant bit first"]
}

struct WriteMultipleRegistersRequest {
    reference_number u16                 [ws = "modbus.reference_num"]
    quantity         u16                 [ws = "modbus.word_cnt"]
    byte_count       u8                  [ws = "modbus.byte_cnt"]
    registers        [byte_count / 2]u16 [ws = "modbus.regval_uint16"]
}

struct WriteMultipleCoilsResponse {
    reference_number u16 [ws = "modbus.reference_num"]
    quantity         u16 [ws = "modbus.bit_cnt"]
}

struct WriteMultipleRegistersResponse {
    reference_number u16 [ws = "modbus.reference_num"]
    quantity         u16 [ws = "modbus.word_cnt"]
}

struct MaskWriteRegister {
    reference_number u16 [ws = "modbus.reference_num"]
    and_mask         u16 [ws = "modbus.and_mask", base = hex]
    or_mask          u16 [ws = "modbus.or_mask", base = hex]
}

struct ReadWriteMultipleRequest {
    read_reference_number  u16                       [ws = "modbus.read_reference_num"]
    read_quantity          u16                       [ws = "modbus.read_word_cnt"]
    write_reference_number u16                       [ws = "modbus.write_reference_num"]
    write_quantity         u16                       [ws = "modbus.write_word_cnt"]
    byte_count             u8                        [ws = "modbus.byte_cnt"]
    registers              [byte_count / 2]u16       [ws = "modbus.regval_uint16"]
}

struct ReadFIFORequest {
    fifo_pointer_address u16 [ws = "modbus.reference_num"]
}

struct ReadFIFOResponse {
    byte_count u16 [ws = "modbus.byte_cnt_16"]
    fifo_count u16
    values     [fifo_count]u16 [ws = "modbus.regval_uint16"]
}

struct MEIRequest {
    mei_type MEIType [ws = "modbus.mei"]
    data switch mei_type {
        case read_device_id: ReadDeviceIDRequest
        default:             RawData
    }
}

struct ReadDeviceIDRequest {
    read_device_id_code ReadDeviceIDCode [ws = "modbus.read_device_id"]
    object_id           DeviceObjectID   [ws = "modbus.object_id"]
}

struct MEIResponse {
    mei_type MEIType [ws = "modbus.mei"]
    data switch mei_type {
        case read_device_id: ReadDeviceIDResponse
        default:             RawData
    }
}

struct ReadDeviceIDResponse {
    read_device_id_code ReadDeviceIDCode [ws = "modbus.read_device_id"]
    conformity_level    ConformityLevel  [ws = "modbus.conformity_level", base = hex]
    more_follows        u8               [ws = "modbus.more_follows", base = hex]
    next_object_id      u8               [ws = "modbus.next_object_id"]
    number_of_objects   u8               [ws = "modbus.num_objects"]
    objects             [number_of_objects]DeviceObject
}

struct DeviceObject [summary = "{id}: {value}"] {
    id     DeviceObjectID [ws = "modbus.object_id"]
    length u8             [ws = "modbus.objects_len"]
    value  [length]byte   [doc = "The object's value, usually ASCII text"]
}

struct ExceptionResponse [summary = " (exception: {exception_code})"] {
    exception_code ExceptionCode [ws = "modbus.exception_code"]
}

struct RawData {
    data []byte [ws = "modbus.data"]
}
