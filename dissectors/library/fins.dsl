// Omron FINS (Factory Interface Network Service), as in Omron's "FINS
// Commands Reference Manual" (W227) and the CS/CJ Ethernet Unit manual
// (W343, section 7: FINS/UDP and FINS/TCP). Over UDP each datagram is one
// FINS frame; over TCP every frame is wrapped in a FINS/TCP header that
// starts with "FINS" and also carries the node address handshake.

protocol fins {
    title       "Omron FINS"
    description "Omron FINS over UDP and TCP: FINS/TCP header, FINS header, memory, parameter, run/stop, controller and clock commands"
    transport   tcp, udp
    ports       9600
    endian      big
    wireshark   "omron"
    message     Packet
}

// FINS/TCP: "FINS", then a length that counts the bytes after it.
framing {
    magic "FINS"
    size  u32(4) + 8
    min   16
    max   4096
}

// Over UDP, a FINS header: ICF with its reserved bits clear, RSV 0, a
// gateway count of 0 to 7, then a known command code; over TCP, a FINS/TCP
// header with a known command and a length that fits it.
heuristic {
    message (u32(0) == 0x46494E53 && u32(4) >= 8 && u32(4) <= 4088 && u32(8) <= 6 && u32(8) != 4 && u32(8) != 5) ||
            ((u8(0) & 0x3E) == 0 && u8(1) == 0 && u8(2) <= 7 &&
             ((u16(10) >= 0x0101 && u16(10) <= 0x0105) || (u16(10) >= 0x0201 && u16(10) <= 0x0203) ||
              (u16(10) >= 0x0304 && u16(10) <= 0x0308) || (u16(10) >= 0x0401 && u16(10) <= 0x0403) ||
              u16(10) == 0x0501 || u16(10) == 0x0502 || u16(10) == 0x0601 || u16(10) == 0x0620 ||
              u16(10) == 0x0701 || u16(10) == 0x0702 || (u16(10) >= 0x0C01 && u16(10) <= 0x0C03) ||
              (u16(10) >= 0x2101 && u16(10) <= 0x2103)))
}

struct Packet [summary = "{body}"] {
    body switch u32(0) == 0x46494E53 && remaining() >= 16 {
        case 1:  TCPFrame
        default: Frame
    }
}

enum TCPCommand : u32 {
    node_address_client = 0 "Node Address Data Send (Client to Server)"
    node_address_server = 1 "Node Address Data Send (Server to Client)"
    frame_send          = 2 "Frame Send"
    frame_send_error    = 3 "Frame Send Error Notification"
    connection_confirm  = 6 "Connection Confirmation"
}

enum TCPError : u32 {
    normal                = 0x00 "Normal"
    bad_header            = 0x01 "The header is not 'FINS' (ASCII code)"
    too_long              = 0x02 "The data length is too long"
    unsupported           = 0x03 "The command is not supported"
    all_in_use            = 0x20 "All connections are in use"
    already_connected     = 0x21 "The specified node is already connected"
    protected_node        = 0x22 "Attempt to access a protected node from an unspecified IP address"
    node_out_of_range     = 0x23 "The client FINS node address is out of range"
    same_node             = 0x24 "The same FINS node address is being used by the client and server"
    no_address_available  = 0x25 "All the node addresses available for allocation have been used"
}

// FINS/TCP header (W343 7-4): every field is 4 bytes.
struct TCPFrame [summary = "{body}"] {
    magic      u32 = 0x46494E53 [ws = "omron.tcp.magic", base = hex, doc = "\"FINS\" in ASCII"]
    length     u32        [ws = "omron.tcp.length", range = 8..4088, doc = "Bytes after this field: command, error code and data"]
    command    TCPCommand [ws = "omron.tcp.command"]
    error_code TCPError   [ws = "omron.tcp.error_code"]
    body switch command {
        case node_address_client: NodeAddressClient
        case node_address_server: NodeAddressServer
        case frame_send:          Frame
        case frame_send_error:    ErrorNotification(error_code)
        default:                  TCPData(command)
    } [size = length - 8]
}

struct ErrorNotification(error_code TCPError) [summary = "FINS/TCP: Frame Send Error Notification: {error:label}"] {
    let error TCPError = error_code [hidden]
}

struct TCPData(command TCPCommand) [summary = "FINS/TCP: {name:label}"] {
    let name TCPCommand = command [hidden]
    data []byte [if = remaining() > 0]
}

struct NodeAddressClient [summary = "FINS/TCP: Node Address Data Send (Client to Server), client node {client_node}"] {
    client_node u32 [ws = "omron.tcp.client_node_address", doc = "0: the server assigns one"]
}

struct NodeAddressServer [summary = "FINS/TCP: Node Address Data Send (Server to Client), client node {client_node}, server node {server_node}"] {
    client_node u32 [ws = "omron.tcp.client_node_address"]
    server_node u32 [ws = "omron.tcp.server_node_address"]
}

enum DataType : u8 {
    command  = 0 "Command"
    response = 1 "Response"
}

// The FINS header (W227 section 3) and the command code.
struct Frame [summary = "{result}"] {
    icf u8 [ws = "omron.icf", base = hex, doc = "Information control field"]
    let gwb         = (icf >> 7) & 1 [ws = "omron.icf.gwb", doc = "1: use the gateway"]
    let kind DataType = (icf >> 6) & 1 [ws = "omron.icf.dtb", doc = "Data type: 0 command, 1 response"]
    let rsb         = icf & 1 [ws = "omron.icf.rsb", doc = "1: no response required"]
    rsv u8 [ws = "omron.rsv", doc = "Reserved, 0"]
    gct u8 [ws = "omron.gct", doc = "Gateway count: bridges the frame may still cross"]
    dna u8 [ws = "omron.dna", doc = "Destination network address (0: local network)"]
    da1 u8 [ws = "omron.da1", doc = "Destination node number"]
    da2 u8 [ws = "omron.da2", doc = "Destination unit address (0: CPU unit)"]
    sna u8 [ws = "omron.sna", doc = "Source network address"]
    sa1 u8 [ws = "omron.sa1", doc = "Source node number"]
    sa2 u8 [ws = "omron.sa2", doc = "Source unit address"]
    sid u8 [ws = "omron.sid", base = hex, doc = "Service ID: pairs a response with its command"]
    command Command [ws = "omron.command", base = hex]
    result switch kind {
        case command: CommandBody(command, sid)
        default:      ResponseBody(command, sid)
    }
    pair request  sid [if = kind == DataType.command && rsb == 0]
    pair response sid [if = kind == DataType.response]
}

enum Command : u16 {
    memory_area_read = 0x0101 "Memory Area Read"
    memory_area_write = 0x0102 "Memory Area Write"
    memory_area_fill = 0x0103 "Memory Area Fill"
    multiple_memory_area_read = 0x0104 "Multiple Memory Area Read"
    memory_area_transfer = 0x0105 "Memory Area Transfer"
    parameter_area_read = 0x0201 "Parameter Area Read"
    parameter_area_write = 0x0202 "Parameter Area Write"
    parameter_area_clear = 0x0203 "Parameter Area Clear"
    data_link_table_read = 0x0220 "Data Link Table Read"
    data_link_table_write = 0x0221 "Data Link Table Write"
    program_area_protect = 0x0304 "Program Area Protect"
    program_area_protect_clear = 0x0305 "Program Area Protect Clear"
    program_area_read = 0x0306 "Program Area Read"
    program_area_write = 0x0307 "Program Area Write"
    program_area_clear = 0x0308 "Program Area Clear"
    run = 0x0401 "Run"
    stop = 0x0402 "Stop"
    reset = 0x0403 "Reset"
    controller_data_read = 0x0501 "Controller Data Read"
    connection_data_read = 0x0502 "Connection Data Read"
    controller_status_read = 0x0601 "Controller Status Read"
    network_status_read = 0x0602 "Network Status Read"
    data_link_status_read = 0x0603 "Data Link Status Read"
    cycle_time_read = 0x0620 "Cycle Time Read"
    clock_read = 0x0701 "Clock Read"
    clock_write = 0x0702 "Clock Write"
    loop_back_test = 0x0801 "LOOP-BACK Test"
    broadcast_test_results_read = 0x0802 "Broadcast Test Results Read"
    broadcast_test_data_send = 0x0803 "Broadcast Test Data Send"
    message_read_message_clear_fal_fals_read = 0x0920 "Message Read | Message Clear | FAL/FALS Read"
    access_right_acquire = 0x0C01 "Access Right Acquire"
    access_right_forced_acquire = 0x0C02 "Access Right Forced Acquire"
    access_right_release = 0x0C03 "Access Right Release"
    error_clear = 0x2101 "Error Clear"
    error_log_read = 0x2102 "Error Log Read"
    error_log_clear = 0x2103 "Error Log Clear"
    file_name_read = 0x2201 "File Name Read"
    single_file_read = 0x2202 "Single File Read"
    single_file_write = 0x2203 "Single File Write"
    memory_card_format = 0x2204 "Memory Card Format"
    file_delete = 0x2205 "File Delete"
    volume_label_create_delete = 0x2206 "Volume Label Create/Delete"
    file_copy = 0x2207 "File Copy"
    file_name_change = 0x2208 "File Name Change"
    file_data_check = 0x2209 "File Data Check"
    memory_area_file_transfer = 0x220A "Memory Area File Transfer"
    parameter_area_file_transfer = 0x220B "Parameter Area File Transfer"
    program_area_file_transfer = 0x220C "Program Area File Transfer"
    file_memory_index_read = 0x220F "File Memory Index Read"
    file_memory_read = 0x2210 "File Memory Read"
    file_memory_write = 0x2211 "File Memory Write"
    forced_set_reset = 0x2301 "Forced Set/Reset"
    forced_set_reset_cancel = 0x2302 "Forced Set/Reset Cancel"
    multiple_forced_status_read = 0x230A "Multiple Forced Status Read"
    name_set = 0x2601 "Name Set"
    name_delete = 0x2602 "Name Delete"
    name_read = 0x2603 "Name Read"
}

enum EndCode : u16 {
    normal_completion = 0x0000 "Normal completion"
    service_was_interrupted = 0x0001 "Service was interrupted"
    local_node_not_part_of_network = 0x0101 "Local node not part of Network"
    token_time_out_node_number_to_large = 0x0102 "Token time-out, node number to large"
    number_of_transmit_retries_exceeded = 0x0103 "Number of transmit retries exceeded"
    maximum_number_of_frames_exceeded = 0x0104 "Maximum number of frames exceeded"
    node_number_setting_error_range = 0x0105 "Node number setting error (range)"
    node_number_duplication_error = 0x0106 "Node number duplication error"
    destination_node_not_part_of_network = 0x0201 "Destination node not part of Network"
    no_node_with_the_specified_node_number = 0x0202 "No node with the specified node number"
    third_node_not_part_of_network_broadcast = 0x0203 "Third node not part of Network : Broadcasting was specified"
    busy_error_destination_node_busy = 0x0204 "Busy error, destination node busy"
    response_time_out = 0x0205 "Response time-out"
    error_occurred_erc_indicator_is_lit = 0x0301 "Error occurred : ERC indicator is lit"
    cpu_error_occurred_in_the_pc_at_the_dest = 0x0302 "CPU error occurred in the PC at the destination node"
    a_controller_error_has_prevented_a_norma = 0x0303 "A controller error has prevented a normal response"
    node_number_setting_error = 0x0304 "Node number setting error"
    an_undefined_command_has_been_used = 0x0401 "An undefined command has been used"
    cannot_process_command_because_the_speci = 0x0402 "Cannot process command because the specified unit model or version is wrong"
    destination_node_number_is_not_set_in_th = 0x0501 "Destination node number is not set in the routing table"
    routing_table_isn_t_registered = 0x0502 "Routing table isn't registered"
    routing_table_error = 0x0503 "Routing table error"
    max_relay_nodes_2_was_exceeded = 0x0504 "Max relay nodes (2) was exceeded"
    the_command_is_longer_than_the_max_permi = 0x1001 "The command is longer than the max permissible length"
    the_command_is_shorter_than_the_min_perm = 0x1002 "The command is shorter than the min permissible length"
    the_designated_number_of_data_items_diff = 0x1003 "The designated number of data items differs from the actual number"
    an_incorrect_command_format_has_been_use = 0x1004 "An incorrect command format has been used"
    an_incorrect_header_has_been_used = 0x1005 "An incorrect header has been used"
    memory_area_code_invalid_or_dm_is_not_av = 0x1101 "Memory area code invalid or DM is not available"
    access_size_is_wrong_in_command = 0x1102 "Access size is wrong in command"
    first_address_in_inaccessible_area = 0x1103 "First address in inaccessible area"
    the_end_of_specified_word_range_exceeds = 0x1104 "The end of specified word range exceeds acceptable range"
    a_non_existent_program_number = 0x1106 "A non-existent program number"
    the_size_of_data_items_in_command_block = 0x1109 "The size of data items in command block are wrong"
    the_iom_break_function_cannot_be_execute = 0x110A "The IOM break function cannot be executed"
    the_response_block_is_longer_than_the_ma = 0x110B "The response block is longer than the max length"
    an_incorrect_parameter_code_has_been_spe = 0x110C "An incorrect parameter code has been specified"
    the_data_is_protected = 0x2002 "The data is protected"
    registered_table_does_not_exist = 0x2003 "Registered table does not exist"
    search_data_does_not_exist = 0x2004 "Search data does not exist"
    non_existent_program_number = 0x2005 "Non-existent program number"
    non_existent_file = 0x2006 "Non-existent file"
    verification_error = 0x2007 "Verification error"
    specified_area_is_read_only = 0x2101 "Specified area is read-only"
    the_data_is_protected_2 = 0x2102 "The data is protected"
    too_many_files_open = 0x2103 "Too many files open"
    non_existent_program_number_2 = 0x2105 "Non-existent program number"
    non_existent_file_2 = 0x2106 "Non-existent file"
    file_already_exists = 0x2107 "File already exists"
    data_cannot_be_changed = 0x2108 "Data cannot be changed"
    the_mode_is_wrong_executing = 0x2201 "The mode is wrong (executing)"
    the_mode_is_wrong_stopped = 0x2202 "The mode is wrong (stopped)"
    the_pc_is_in_the_program_mode = 0x2203 "The PC is in the PROGRAM mode"
    the_pc_is_in_the_debug_mode = 0x2204 "The PC is in the DEBUG mode"
    the_pc_is_in_the_monitor_mode = 0x2205 "The PC is in the MONITOR mode"
    the_pc_is_in_the_run_mode = 0x2206 "The PC is in the RUN mode"
    the_specified_node_is_not_the_control_no = 0x2207 "The specified node is not the control node"
    the_mode_is_wrong_and_the_step_cannot_be = 0x2208 "The mode is wrong and the step cannot be executed"
    the_file_device_does_not_exist_where_spe = 0x2301 "The file device does not exist where specified"
    the_specified_memory_does_not_exist = 0x2302 "The specified memory does not exist"
    no_clock_exists = 0x2303 "No clock exists"
    data_link_table_is_incorrect = 0x2401 "Data link table is incorrect"
    parity_checksum_error_occurred = 0x2502 "Parity / checksum error occurred"
    i_o_setting_error = 0x2503 "I/O setting error"
    too_many_i_o_points = 0x2504 "Too many I/O points"
    cpu_bus_error = 0x2505 "CPU bus error"
    i_o_duplication_error = 0x2506 "I/O duplication error"
    i_o_bus_error = 0x2507 "I/O bus error"
    sysmac_bus_2_error = 0x2509 "SYSMAC BUS/2 error"
    special_i_o_unit_error = 0x250A "Special I/O Unit error"
    duplication_in_sysmac_bus_word_allocatio = 0x250D "Duplication in SYSMAC BUS word allocation"
    a_memory_error_has_occurred = 0x250F "A memory error has occurred"
    terminator_not_connected_in_sysmac_bus_s = 0x2510 "Terminator not connected in SYSMAC BUS system"
    the_specified_area_is_not_protected = 0x2601 "The specified area is not protected"
    an_incorrect_password_has_been_specified = 0x2602 "An incorrect password has been specified"
    the_specified_area_is_protected = 0x2604 "The specified area is protected"
    the_service_is_being_executed = 0x2605 "The service is being executed"
    the_service_is_not_being_executed = 0x2606 "The service is not being executed"
    service_cannot_be_execute_from_local_nod = 0x2607 "Service cannot be execute from local node"
    service_cannot_be_executed_settings_are = 0x2608 "Service cannot be executed settings are incorrect"
    service_cannot_be_executed_incorrect_set = 0x2609 "Service cannot be executed incorrect settings in command data"
    the_specified_action_has_already_been_re = 0x260A "The specified action has already been registered"
    cannot_clear_error_error_still_exists = 0x260B "Cannot clear error, error still exists"
    the_access_right_is_held_by_another_devi = 0x3001 "The access right is held by another device"
    command_aborted_with_abort_command = 0x4001 "Command aborted with ABORT command"
}

enum MemoryArea : u8 {
    cio_tr_cpu_bus_link_and_auxiliary_bit_st = 0x00 "CIO, TR, CPU Bus Link, and Auxiliary : Bit status"
    cio_tr_cpu_bus_link_and_auxiliary_bit_st_2 = 0x40 "CIO, TR, CPU Bus Link, and Auxiliary : Bit status (with forced status)"
    cio_tr_cpu_bus_link_and_auxiliary_word_c = 0x80 "CIO, TR, CPU Bus Link, and Auxiliary : Word contents"
    cio_tr_cpu_bus_link_and_auxiliary_word_c_2 = 0xC0 "CIO, TR, CPU Bus Link, and Auxiliary : Word contents (with forced status)"
    timer_counter_completion_flag_status = 0x01 "Timer/Counter : Completion Flag status"
    timer_counter_completion_flag_status_wit = 0x41 "Timer/Counter : Completion Flag status (with forced status)"
    timer_counter_pv = 0x81 "Timer/Counter : PV"
    dm_word_contents = 0x82 "DM : Word contents"
    transition_flag_status = 0x03 "Transition : Flag status"
    transition_flag_status_with_forced_statu = 0x43 "Transition : Flag status (with forced status)"
    step_flag_status = 0x04 "Step : Flag status"
    step_status = 0x44 "Step : Status"
    step_step_timer_pv = 0x84 "Step : Step timer PV"
    forced_status_bit_status = 0x05 "Forced status : Bit status"
    forced_status_word_contents = 0x85 "Forced status : Word contents"
    expansion_dm_word_contents_bank_e0 = 0x90 "Expansion DM : Word contents, bank E0"
    expansion_dm_word_contents_bank_e1 = 0x91 "Expansion DM : Word contents, bank E1"
    expansion_dm_word_contents_bank_e2 = 0x92 "Expansion DM : Word contents, bank E2"
    expansion_dm_word_contents_bank_e3 = 0x93 "Expansion DM : Word contents, bank E3"
    expansion_dm_word_contents_bank_e4 = 0x94 "Expansion DM : Word contents, bank E4"
    expansion_dm_word_contents_bank_e5 = 0x95 "Expansion DM : Word contents, bank E5"
    expansion_dm_word_contents_bank_e6 = 0x96 "Expansion DM : Word contents, bank E6"
    expansion_dm_word_contents_bank_e7 = 0x97 "Expansion DM : Word contents, bank E7"
    expansion_dm_word_contents_current_bank = 0x98 "Expansion DM : Word contents, current bank"
    register_register_contents_current_bank = 0x9C "Register : Register contents / Current bank no. of expansion DM"
    action_flag_status = 0x1B "Action : Flag status"
    interrupt_status_scheduled_interrupt_int = 0xDD "Interrupt status : Scheduled interrupt interval"
    cs1_mode_cio_area_bit_status = 0x30 "CS1 mode: CIO Area : Bit status"
    cs1_mode_work_area_bit_status = 0x31 "CS1 mode: Work Area : Bit status"
    cs1_mode_holding_bit_area_bit_status = 0x32 "CS1 mode: Holding Bit Area : Bit status"
    cs1_mode_auxiliary_area_bit_status = 0x33 "CS1 mode: Auxiliary Area : Bit status"
    cs1_mode_cio_area_bit_status_with_forced = 0x70 "CS1 mode: CIO Area : Bit status (with forced status)"
    cs1_mode_work_area_bit_status_with_force = 0x71 "CS1 mode: Work Area : Bit status (with forced status)"
    cs1_mode_holding_bit_area_bit_status_wit = 0x72 "CS1 mode: Holding Bit Area : Bit status (with forced status)"
    cs1_mode_cio_area_word_contents = 0xB0 "CS1 mode: CIO Area : Word contents"
    cs1_mode_work_area_word_contents = 0xB1 "CS1 mode: Work Area : Word contents"
    cs1_mode_holding_bit_area_word_contents = 0xB2 "CS1 mode: Holding Bit Area : Word contents"
    cs1_mode_auxiliary_bit_area_word_content = 0xB3 "CS1 mode: Auxiliary Bit Area : Word contents"
    cs1_mode_cio_area_word_contents_with_for = 0xF0 "CS1 mode: CIO Area : Word contents (with forced status)"
    cs1_mode_work_area_word_contents_with_fo = 0xF1 "CS1 mode: Work Area : Word contents (with forced status)"
    cs1_mode_holding_bit_area_word_contents_2 = 0xF2 "CS1 mode: Holding Bit Area : Word contents (with forced status)"
    cs1_mode_timer_counter_completion_flag_s = 0x09 "CS1 mode: Timer/Counter : Completion Flag status"
    cs1_mode_timer_counter_completion_flag_s_2 = 0x49 "CS1 mode: Timer/Counter : Completion Flag status (with forced status)"
    cs1_mode_timer_counter_pv = 0x89 "CS1 mode: Timer/Counter : PV"
    cs1_mode_dm_bit_contents = 0x02 "CS1 mode: DM : Bit contents"
    cs1_mode_expansion_dm_bit_contents_bank = 0x20 "CS1 mode: Expansion DM : Bit contents, bank E0"
    cs1_mode_expansion_dm_bit_contents_bank_2 = 0x21 "CS1 mode: Expansion DM : Bit contents, bank E1"
    cs1_mode_expansion_dm_bit_contents_bank_3 = 0x22 "CS1 mode: Expansion DM : Bit contents, bank E2"
    cs1_mode_expansion_dm_bit_contents_bank_4 = 0x23 "CS1 mode: Expansion DM : Bit contents, bank E3"
    cs1_mode_expansion_dm_bit_contents_bank_5 = 0x24 "CS1 mode: Expansion DM : Bit contents, bank E4"
    cs1_mode_expansion_dm_bit_contents_bank_6 = 0x25 "CS1 mode: Expansion DM : Bit contents, bank E5"
    cs1_mode_expansion_dm_bit_contents_bank_7 = 0x26 "CS1 mode: Expansion DM : Bit contents, bank E6"
    cs1_mode_expansion_dm_bit_contents_bank_8 = 0x27 "CS1 mode: Expansion DM : Bit contents, bank E7"
    cs1_mode_expansion_dm_bit_contents_bank_9 = 0x28 "CS1 mode: Expansion DM : Bit contents, bank E8"
    cs1_mode_expansion_dm_bit_contents_bank_10 = 0x29 "CS1 mode: Expansion DM : Bit contents, bank E9"
    cs1_mode_expansion_dm_bit_contents_bank_11 = 0x2A "CS1 mode: Expansion DM : Bit contents, bank EA"
    cs1_mode_expansion_dm_bit_contents_bank_12 = 0x2B "CS1 mode: Expansion DM : Bit contents, bank EB"
    cs1_mode_expansion_dm_bit_contents_bank_13 = 0x2C "CS1 mode: Expansion DM : Bit contents, bank EC"
    cs1_mode_expansion_dm_word_contents_bank = 0xA0 "CS1 mode: Expansion DM : Word contents, bank E0"
    cs1_mode_expansion_dm_word_contents_bank_2 = 0xA1 "CS1 mode: Expansion DM : Word contents, bank E1"
    cs1_mode_expansion_dm_word_contents_bank_3 = 0xA2 "CS1 mode: Expansion DM : Word contents, bank E2"
    cs1_mode_expansion_dm_word_contents_bank_4 = 0xA3 "CS1 mode: Expansion DM : Word contents, bank E3"
    cs1_mode_expansion_dm_word_contents_bank_5 = 0xA4 "CS1 mode: Expansion DM : Word contents, bank E4"
    cs1_mode_expansion_dm_word_contents_bank_6 = 0xA5 "CS1 mode: Expansion DM : Word contents, bank E5"
    cs1_mode_expansion_dm_word_contents_bank_7 = 0xA6 "CS1 mode: Expansion DM : Word contents, bank E6"
    cs1_mode_expansion_dm_word_contents_bank_8 = 0xA7 "CS1 mode: Expansion DM : Word contents, bank E7"
    cs1_mode_expansion_dm_word_contents_bank_9 = 0xA8 "CS1 mode: Expansion DM : Word contents, bank E8"
    cs1_mode_expansion_dm_word_contents_bank_10 = 0xA9 "CS1 mode: Expansion DM : Word contents, bank E9"
    cs1_mode_expansion_dm_word_contents_bank_11 = 0xAA "CS1 mode: Expansion DM : Word contents, bank EA"
    cs1_mode_expansion_dm_word_contents_bank_12 = 0xAB "CS1 mode: Expansion DM : Word contents, bank EB"
    cs1_mode_expansion_dm_word_contents_bank_13 = 0xAC "CS1 mode: Expansion DM : Word contents, bank EC"
    cs1_mode_register_register_contents_curr = 0xBC "CS1 mode: Register : Register contents / Current bank no. of expansion DM"
    cs1_mode_task_flag_bit_contents = 0x06 "CS1 mode: Task flag : Bit contents"
    cs1_mode_task_flag_status = 0x46 "CS1 mode: Task flag : Status"
    cs1_mode_index_register_register_content = 0xDC "CS1 mode: Index register : Register contents"
    cs1_mode_clock_pulses_condition_flags_bi = 0x07 "CS1 mode: Clock pulses / Condition flags : Bit contents"
}

enum ParameterArea : u16 {
    pc_setup           = 0x8010 "PC Setup"
    peripheral_device  = 0x8011 "Peripheral Device settings"
    io_table           = 0x8012 "I/O table"
    routing_tables     = 0x8013 "Routing tables"
    cpu_bus_unit       = 0x8002 "CPU Bus Unit settings"
}

enum ModeCode : u8 {
    program = 0 "PROGRAM mode"
    debug   = 1 "DEBUG mode"
    monitor = 2 "MONITOR mode"
    run     = 4 "RUN mode"
}

enum Status : u8 {
    stop    = 0x00 "Stop"
    run     = 0x01 "Run"
    standby = 0x80 "CPU on standby"
}

// The parameters of a command, by command code.
struct CommandBody(command Command, sid u8) [summary = "Command: {name:label}, SID {id}{args}"] {
    let name Command = command [hidden]
    let id = sid [hidden, base = hex]
    args switch command {
        case memory_area_read:          MemoryAreaRead
        case memory_area_write:         MemoryAreaWrite
        case memory_area_fill:          MemoryAreaFill
        case multiple_memory_area_read: MultipleMemoryAreaRead
        case memory_area_transfer:      MemoryAreaTransfer
        case parameter_area_read:       ParameterAreaRead
        case parameter_area_write:      ParameterAreaWrite
        case run:                       Run
        case stop:                      Stop
        case controller_data_read:      ControllerDataRead
        case cycle_time_read:           CycleTimeRead
        case clock_write:               Clock
        case access_right_acquire, access_right_forced_acquire, access_right_release: ProgramNumber
        case error_clear:               ErrorClear
        default:                        CommandData
    }
}

struct CommandData {
    data []byte [ws = "omron.command.data", if = remaining() > 0]
}

// A memory address: area, word and bit (W227 5-1).
struct MemoryAddress [summary = " {area:label} {address}.{bit}"] {
    area    MemoryArea [ws = "omron.memory.area.read", base = hex]
    address u16        [ws = "omron.memory.address", doc = "Beginning word"]
    bit     u8         [ws = "omron.memory.address.bits", range = 0..15, doc = "Beginning bit, 0 for word access"]
}

struct MemoryAreaRead [summary = "{from}, {count} items"] {
    from  MemoryAddress
    count u16 [ws = "omron.memory.numitems", range = 1..2000]
}

struct MemoryAreaWrite [summary = "{from}, {count} items"] {
    from  MemoryAddress
    count u16    [ws = "omron.memory.numitems", range = 1..2000]
    data  []byte [ws = "omron.command.data"]
}

struct MemoryAreaFill [summary = "{from}, {count} items"] {
    from  MemoryAddress
    count u16 [ws = "omron.memory.numitems"]
    value u16 [base = hex, doc = "The word written to every item"]
}

struct MultipleMemoryAreaRead {
    items []MemoryAddress
}

struct MemoryAreaTransfer [summary = "{from} to{to}, {count} items"] {
    from  MemoryAddress
    to    MemoryAddress
    count u16 [ws = "omron.memory.numitems"]
}

struct ParameterAreaRead [summary = " {area:label}"] {
    area  ParameterArea [ws = "omron.parameter_area_code", base = hex]
    word  u16 [ws = "omron.word", doc = "Beginning word"]
    words u16 [ws = "omron.numwords", doc = "Number of words; bit 15 set on the last block"]
}

struct ParameterAreaWrite [summary = " {area:label}"] {
    area  ParameterArea [ws = "omron.parameter_area_code", base = hex]
    word  u16 [ws = "omron.word"]
    words u16 [ws = "omron.numwords"]
    data  []byte [ws = "omron.command.data"]
}

struct Run [summary = " {mode:label?}"] {
    program_number u16 [ws = "omron.program_number", base = hex, if = remaining() >= 2, doc = "0xFFFF"]
    mode ModeCode [ws = "omron.mode_code", if = remaining() >= 1, doc = "Absent: MONITOR mode"]
}

struct Stop {
    program_number u16 [ws = "omron.program_number", base = hex, if = remaining() >= 2, doc = "0xFFFF"]
}

struct ProgramNumber {
    program_number u16 [ws = "omron.program_number", base = hex, doc = "0xFFFF"]
}

struct ControllerDataRead {
    what [1]byte [ws = "omron.command.data", if = remaining() >= 1, doc = "Absent or 0x00: model, version and area data; 0x01: model and version only"]
}

// Parameter Area Read response: the area, words, then the data.
struct ParameterAreaData [summary = " {area:label}"] {
    area  ParameterArea [ws = "omron.parameter_area_code", base = hex]
    word  u16 [ws = "omron.word"]
    words u16 [ws = "omron.numwords", doc = "Number of words; bit 15 set on the last block"]
    data  []byte [ws = "omron.response.data"]
}

struct CycleTimeRead {
    parameter u8 [ws = "omron.parameter", doc = "0: initialise the cycle time, 1: read it"]
}

struct ErrorClear {
    code u16 [ws = "omron.clearcode", base = hex, doc = "FAL/FALS number or error code to reset; 0xFFFF: the current error"]
}

// Clock data in BCD: year, month, date, hour, minute, second, day of week.
struct Clock {
    year   u8 [ws = "omron.year", base = hex]
    month  u8 [ws = "omron.month", base = hex]
    date   u8 [ws = "omron.date", base = hex]
    hour   u8 [ws = "omron.hour", base = hex]
    minute u8 [ws = "omron.minute", base = hex]
    second u8 [ws = "omron.second", base = hex, if = remaining() >= 1]
    day    u8 [ws = "omron.day", if = remaining() >= 1, doc = "Day of the week, 0 Sunday"]
}

// A response: the end code, then data for the command when it completed.
struct ResponseBody(command Command, sid u8) [summary = "Response: {name:label}, SID {id}, {end:label}{data?}"] {
    let name Command = command [hidden]
    let id = sid [hidden, base = hex]
    end_code u16 [ws = "omron.response.code", base = hex]
    let end EndCode = end_code & 0x7F3F [doc = "The end code without its flag bits"]
    let relay_error   = end_code >> 15 [doc = "1: an error happened at a relay node"]
    let fatal_error   = (end_code >> 7) & 1 [doc = "1: a fatal CPU unit error at the destination"]
    let nonfatal_error = (end_code >> 6) & 1 [doc = "1: a non-fatal CPU unit error at the destination"]
    data switch command {
        case memory_area_read:          ResponseData
        case multiple_memory_area_read: MultipleReadData
        case parameter_area_read:       ParameterAreaData
        case controller_data_read:      ControllerData
        case controller_status_read:    ControllerStatus
        case cycle_time_read:           CycleTime
        case clock_read:                Clock
        default:                        ResponseData
    } [if = remaining() > 0]
}

// Multiple Memory Area Read: each item's area code, then its value: a
// word (2 bytes) for word areas (code 0x80 and up), a byte for bit areas.
struct MultipleReadData {
    items []MultipleReadItem
}

struct MultipleReadItem [summary = "{area}"] {
    area  MemoryArea [ws = "omron.memory.area.read", base = hex]
    value [area >= 0x80 ? 2 : 1]byte [ws = "omron.response.data"]
}

struct ResponseData {
    data []byte [ws = "omron.response.data"]
}

struct ControllerData [summary = ", {model:text}"] {
    model   [20]ascii [ws = "omron.controller.model", trim = nul]
    version [20]ascii [ws = "omron.controller.version", trim = nul]
    system  [40]byte  [if = remaining() >= 40, doc = "For system use"]
    area    []byte    [doc = "Area data, CPU bus unit configuration and status, when asked for"]
}

struct ControllerStatus [summary = ", {status:label}, {mode:label}"] {
    status   Status   [ws = "omron.status"]
    mode     ModeCode [ws = "omron.mode_code"]
    fatal    u16      [ws = "omron.fatal_error_data", base = hex, doc = "Fatal error bits"]
    nonfatal u16      [ws = "omron.fatal_error_data", base = hex, doc = "Non-fatal error bits (tshark shows them under the fatal error field's name too)"]
    message  u16      [ws = "omron.message", base = hex, doc = "Messages 0-7 present, one bit each"]
    fals     u16      [ws = "omron.fals", base = hex, doc = "FAL/FALS number of the current error"]
    error_message [16]ascii [ws = "omron.error_message", trim = nul, if = remaining() >= 16]
}

struct CycleTime [summary = ", average {average}"] {
    average u32 [ws = "omron.avg_cycle_time", scale = 0.1, unit = "ms"]
    max     u32 [ws = "omron.max_cycle_time", scale = 0.1, unit = "ms"]
    min     u32 [ws = "omron.min_cycle_time", scale = 0.1, unit = "ms"]
}
