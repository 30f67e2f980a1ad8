// Beckhoff ADS over AMS/TCP (TCP 48898), as in the Beckhoff Information
// System, "ADS specification" (TE1000, ADS-Intro, AMS/TCP packet
// structure, ADS commands). Everything is little-endian.

protocol ads {
    title       "ADS/AMS"
    description "Beckhoff ADS over AMS/TCP: AMS header with NetIds and ports, read, write, read/write, state, device info and notifications"
    transport   tcp
    ports       48898
    endian      little
    wireshark   "ams"
    message     Packet
}

// AMS/TCP: 2 reserved bytes, then the length of the AMS header and data.
framing {
    size u32le(2) + 6
    min  38
    max  4194304
}

// An AMS/TCP header whose length is exactly the 32-byte AMS header plus
// its data length, a known ADS command, and the ADS command flag set (with
// the response flag for a server).
heuristic {
    request  u16(0) == 0 && u32le(2) == 32 + u32le(26) && u16le(22) >= 1 && u16le(22) <= 9 &&
             (u16le(24) & 0x0005) == 0x0004
    response u16(0) == 0 && u32le(2) == 32 + u32le(26) && u16le(22) >= 1 && u16le(22) <= 9 &&
             (u16le(24) & 0x0005) == 0x0005
}

enum Command : u16 {
    invalid                    = 0 "Invalid"
    read_device_info           = 1 "ADS Read Device Info"
    read                       = 2 "ADS Read"
    write                      = 3 "ADS Write"
    read_state                 = 4 "ADS Read State"
    write_control              = 5 "ADS Write Control"
    add_device_notification    = 6 "ADS Add Device Notification"
    delete_device_notification = 7 "ADS Delete Device Notification"
    device_notification        = 8 "ADS Device Notification"
    read_write                 = 9 "ADS Read Write"
}

flags StateFlags : u16 {
    response  = 0x0001 "RESPONSE"
    no_return = 0x0002 "NO RETURN"
    ads_cmd   = 0x0004 "ADS COMMAND"
    sys_cmd   = 0x0008 "SYSTEM COMMAND"
    high_prio = 0x0010 "HIGH PRIORITY COMMAND"
    timestamp = 0x0020 "TIMESTAMP ADDED"
    udp       = 0x0040 "UDP COMMAND"
    init_cmd  = 0x0080 "INIT COMMAND"
    broadcast = 0x8000 "BROADCAST"
}

// ADS states (AdsState and DeviceState).
enum ADSState : u16 {
    invalid      = 0  "INVALID"
    idle         = 1  "IDLE"
    reset        = 2  "RESET"
    init         = 3  "INIT"
    start        = 4  "START"
    run          = 5  "RUN"
    stop         = 6  "STOP"
    save_config  = 7  "SAVECFG"
    load_config  = 8  "LOADCFG"
    power_failure = 9 "POWERFAILURE"
    power_good   = 10 "POWERGOOD"
    error        = 11 "ERROR"
    shutdown     = 12 "SHUTDOWN"
    suspend      = 13 "SUSPEND"
    resume       = 14 "RESUME"
    config       = 15 "CONFIG"
    reconfig     = 16 "RECONFIG"
    stopping     = 17 "STOPPING"
    incompatible = 18 "INCOMPATIBLE"
    exception    = 19 "EXCEPTION"
}

enum AMSError : u32 {
    no_error                                 = 0x0000 "NO ERROR"
    internal                                 = 0x0001 "INTERNAL"
    no_rtime                                 = 0x0002 "NO RTIME"
    alloc_locked_mem                         = 0x0003 "ALLOC LOCKED MEM"
    insert_mailbox                           = 0x0004 "INSERT MAILBOX"
    wrongreceivehmsg                         = 0x0005 "WRONGRECEIVEHMSG"
    target_port_not_found                    = 0x0006 "TARGET PORT NOT FOUND"
    target_machine_not_found                 = 0x0007 "TARGET MACHINE NOT FOUND"
    unknown_cmdid                            = 0x0008 "UNKNOWN CMDID"
    bad_taskid                               = 0x0009 "BAD TASKID"
    noio                                     = 0x000A "NOIO"
    unknown_amscmd                           = 0x000B "UNKNOWN AMSCMD"
    win32_error                              = 0x000C "WIN32 ERROR"
    port_not_connected                       = 0x000D "PORT NOT CONNECTED"
    invalid_ams_length                       = 0x000E "INVALID AMS LENGTH"
    invalid_ams_netid                        = 0x000F "INVALID AMS NETID"
    low_inst_level                           = 0x0010 "LOW INST LEVEL"
    no_debug_int_available                   = 0x0011 "NO DEBUG INT AVAILABLE"
    port_disabled                            = 0x0012 "PORT DISABLED"
    port_already_connected                   = 0x0013 "PORT ALREADY CONNECTED"
    amssync_w32error                         = 0x0014 "AMSSYNC_W32ERROR"
    amssync_timeout                          = 0x0015 "AMSSYNC_TIMEOUT"
    amssync_amserror                         = 0x0016 "AMSSYNC_AMSERROR"
    amssync_noindexinmap                     = 0x0017 "AMSSYNC_NOINDEXINMAP"
    invalid_amsport                          = 0x0018 "INVALID AMSPORT"
    no_memory                                = 0x0019 "NO MEMORY"
    tcp_send                                 = 0x001A "TCP SEND"
    host_unreachable                         = 0x001B "HOST UNREACHABLE"
    routererr_nolockedmemory                 = 0x0500 "ROUTERERR_NOLOCKEDMEMORY"
    routererr_resizememory                   = 0x0501 "ROUTERERR_RESIZEMEMORY"
    routererr_mailboxfull                    = 0x0502 "ROUTERERR_MAILBOXFULL"
    routererr_debugboxfull                   = 0x0503 "ROUTERERR_DEBUGBOXFULL"
    routererr_unknownporttype                = 0x0504 "ROUTERERR_UNKNOWNPORTTYPE"
    routererr_notinitialized                 = 0x0505 "ROUTERERR_NOTINITIALIZED"
    routererr_portalreadyinuse               = 0x0506 "ROUTERERR_PORTALREADYINUSE"
    routererr_notregistered                  = 0x0507 "ROUTERERR_NOTREGISTERED"
    routererr_nomorequeues                   = 0x0508 "ROUTERERR_NOMOREQUEUES"
    routererr_invalidport                    = 0x0509 "ROUTERERR_INVALIDPORT"
    routererr_notactivated                   = 0x050A "ROUTERERR_NOTACTIVATED"
}

enum ADSResult : u32 {
    no_error                                 = 0x0000 "NO ERROR"
    error                                    = 0x0700 "ERROR"
    srv_not_supp                             = 0x0701 "SRV NOT SUPP"
    invalid_grp                              = 0x0702 "INVALID GRP"
    invalid_offset                           = 0x0703 "INVALID OFFSET"
    invalid_access                           = 0x0704 "INVALID ACCESS"
    invalid_size                             = 0x0705 "INVALID SIZE"
    invalid_data                             = 0x0706 "INVALID DATA"
    not_ready                                = 0x0707 "NOT READY"
    busy                                     = 0x0708 "BUSY"
    invalid_context                          = 0x0709 "INVALID CONTEXT"
    no_memory                                = 0x070A "NO MEMORY"
    invalid_parm                             = 0x070B "INVALID PARM"
    not_found                                = 0x070C "NOT FOUND"
    syntax                                   = 0x070D "SYNTAX"
    incompatible                             = 0x070E "INCOMPATIBLE"
    exists                                   = 0x070F "EXISTS"
    symbol_not_found                         = 0x0710 "SYMBOL NOT FOUND"
    symbol_version_invalid                   = 0x0711 "SYMBOL VERSION INVALID"
    invalid_state                            = 0x0712 "INVALID STATE"
    trans_mode_not_supp                      = 0x0713 "TRANS MODE NOT SUPP"
    notify_hnd_invalid                       = 0x0714 "NOTIFY HND INVALID"
    client_unknown                           = 0x0715 "CLIENT UNKNOWN"
    no_more_hdls                             = 0x0716 "NO MORE HDLS"
    invalid_watchsize                        = 0x0717 "INVALID WATCHSIZE"
    not_init                                 = 0x0718 "NOT INIT"
    timeout                                  = 0x0719 "TIMEOUT"
    no_interface                             = 0x071A "NO INTERFACE"
    invalid_interface                        = 0x071B "INVALID INTERFACE"
    invalid_clsid                            = 0x071C "INVALID CLSID"
    invalid_objid                            = 0x071D "INVALID OBJID"
    pending                                  = 0x071E "PENDING"
    aborted                                  = 0x071F "ABORTED"
    warning                                  = 0x0720 "WARNING"
    invalid_array_idx                        = 0x0721 "INVALID ARRAY IDX"
    client_error                             = 0x0740 "CLIENT ERROR"
    client_invalid_parm                      = 0x0741 "CLIENT INVALID PARM"
    client_list_empty                        = 0x0742 "CLIENT LIST EMPTY"
    client_var_used                          = 0x0743 "CLIENT VAR USED"
    client_dupl_invokeid                     = 0x0744 "CLIENT DUPL INVOKEID"
    client_sync_timeout                      = 0x0745 "CLIENT SYNC TIMEOUT"
    client_w32error                          = 0x0746 "CLIENT W32ERROR"
    client_timeout_invalid                   = 0x0747 "CLIENT TIMEOUT INVALID"
    client_port_not_open                     = 0x0748 "CLIENT PORT NOT OPEN"
    client_no_ams_addr                       = 0x0749 "CLIENT NO AMS ADDR"
    client_sync_internal                     = 0x0750 "CLIENT SYNC INTERNAL"
    client_add_hash                          = 0x0751 "CLIENT ADD HASH"
    client_remove_hash                       = 0x0752 "CLIENT REMOVE HASH"
    client_no_more_sym                       = 0x0753 "CLIENT NO MORE SYM"
    client_sync_res_invalid                  = 0x0754 "CLIENT SYNC RES INVALID"
    client_sync_port_locked                  = 0x0755 "CLIENT SYNC PORT LOCKED"
}

enum TransMode : u32 {
    no_trans                                 = 0x0000 "NO TRANS"
    client_cycle                             = 0x0001 "CLIENT CYCLE"
    client_on_change                         = 0x0002 "CLIENT ON CHANGE"
    server_cycle                             = 0x0003 "SERVER CYCLE"
    server_on_change                         = 0x0004 "SERVER ON CHANGE"
    client_first_request                     = 0x000A "CLIENT FIRST REQUEST"
}

struct Packet [summary = "{ams}"] {
    reserved u16 = 0 [doc = "AMS/TCP header: reserved, 0"]
    length   u32     [doc = "AMS/TCP header: bytes of the AMS header and data"]
    ams      AMS     [size = length]
}

// The 32-byte AMS header, then the ADS data.
struct AMS [summary = "{cmdid:label}{body} [{sender}:{senderport} → {target}:{targetport}, invoke {invokeid}]{error?}"] {
    target     [6]byte    [ws = "ams.targetnetid", format = dotted, doc = "Target AMS NetId"]
    targetport u16        [ws = "ams.targetport"]
    sender     [6]byte    [ws = "ams.sendernetid", format = dotted, doc = "Source AMS NetId"]
    senderport u16        [ws = "ams.senderport"]
    cmdid      Command    [ws = "ams.cmdid"]
    stateflags StateFlags [ws = "ams.stateflags", base = hex]
    let response  = stateflags & 1 [ws = "ams.state_response"]
    let no_return = (stateflags >> 1) & 1 [ws = "ams.state_noreturn"]
    let ads_cmd   = (stateflags >> 2) & 1 [ws = "ams.state_adscmd"]
    let sys_cmd   = (stateflags >> 3) & 1 [ws = "ams.state_syscmd"]
    let udp       = (stateflags >> 6) & 1 [ws = "ams.state_udp"]
    cbdata     u32        [ws = "ams.cbdata", doc = "Bytes of ADS data after the header"]
    errorcode  AMSError   [ws = "ams.errorcode", base = hex]
    invokeid   u32        [ws = "ams.invokeid", doc = "Pairs a response with its request"]
    assert cbdata == remaining(), "the AMS data length does not match the AMS/TCP length"
    let error AMSError = errorcode [hidden, if = errorcode != 0]
    body switch response {
        case 0:  Request(cmdid)
        default: Response(cmdid)
    } [size = cbdata]
    pair request  invokeid [if = response == 0 && cmdid != Command.device_notification]
    pair response invokeid [if = response == 1]
}

struct Request(cmdid Command) [summary = " Request{data?}"] {
    data switch cmdid {
        case read_device_info, read_state: Empty
        case read:                         ReadRequest
        case write:                        WriteRequest
        case write_control:                WriteControlRequest
        case add_device_notification:      AddNotificationRequest
        case delete_device_notification:   DeleteNotificationRequest
        case device_notification:          DeviceNotification
        case read_write:                   ReadWriteRequest
        default:                           Raw
    }
}

struct Response(cmdid Command) [summary = " Response{data?}"] {
    data switch cmdid {
        case read_device_info:           ReadDeviceInfoResponse
        case read:                       ReadResponse
        case write, write_control, delete_device_notification: ResultOnly
        case read_state:                 ReadStateResponse
        case add_device_notification:    AddNotificationResponse
        case read_write:                 ReadResponse
        default:                         Raw
    } [if = remaining() > 0]
}

struct Empty {}

struct Raw {
    data []byte [if = remaining() > 0]
}

struct ReadRequest [summary = ", group {indexgroup}, offset {indexoffset}, {cblength} bytes"] {
    indexgroup  u32 [ws = "ams.ads_indexgroup", base = hex]
    indexoffset u32 [ws = "ams.ads_indexoffset", base = hex]
    cblength    u32 [ws = "ams.ads_cblength", doc = "Bytes to read"]
}

struct WriteRequest [summary = ", group {indexgroup}, offset {indexoffset}, {cblength} bytes"] {
    indexgroup  u32 [ws = "ams.ads_indexgroup", base = hex]
    indexoffset u32 [ws = "ams.ads_indexoffset", base = hex]
    cblength    u32 [ws = "ams.ads_cblength"]
    data        [cblength]byte
}

struct ReadWriteRequest [summary = ", group {indexgroup}, offset {indexoffset}, read {cbreadlength}, write {cbwritelength} bytes"] {
    indexgroup    u32 [ws = "ams.ads_indexgroup", base = hex]
    indexoffset   u32 [ws = "ams.ads_indexoffset", base = hex]
    cbreadlength  u32 [ws = "ams.ads_cbreadlength"]
    cbwritelength u32 [ws = "ams.ads_cbwritelength"]
    data          [cbwritelength]byte
}

struct WriteControlRequest [summary = ", {adsstate:label}"] {
    adsstate    ADSState [ws = "ams.ads_state"]
    devicestate u16      [ws = "ams.ads_devicestate"]
    cblength    u32      [ws = "ams.ads_cblength"]
    data        [cblength]byte
}

struct AddNotificationRequest [summary = ", group {indexgroup}, offset {indexoffset}, {transmode:label}"] {
    indexgroup  u32       [ws = "ams.ads_indexgroup", base = hex]
    indexoffset u32       [ws = "ams.ads_indexoffset", base = hex]
    cblength    u32       [ws = "ams.ads_cblength"]
    transmode   TransMode [ws = "ams.ads_transmode"]
    maxdelay    u32       [ws = "ams.ads_maxdelay", unit = "ms"]
    cycletime   u32       [ws = "ams.ads_cycletime", unit = "ms"]
    reserved    [16]byte
}

struct DeleteNotificationRequest [summary = ", handle {handle}"] {
    handle u32 [ws = "ams.ads_notificationhandle"]
}

// A device notification: stamps, each with a time and samples.
struct DeviceNotification [summary = ", {stamps} stamps"] {
    length u32 [ws = "ams.ads_cblength", doc = "Bytes that follow"]
    stamps u32 [ws = "ams.ads_noteblocksstamps"]
    headers [stamps]StampHeader
}

struct StampHeader {
    timestamp u64 [doc = "Windows FILETIME: 100 ns units since 1601-01-01"]
    samples   u32
    sample    [samples]Sample
}

struct Sample {
    handle u32 [ws = "ams.ads_notificationhandle"]
    size   u32
    data   [size]byte
}

struct ResultOnly [summary = ", {result:label}"] {
    result ADSResult [ws = "ams.adsresult", base = hex]
}

struct ReadDeviceInfoResponse [summary = ", {result:label}, version {major}.{minor}.{build}"] {
    result     ADSResult [ws = "ams.adsresult", base = hex]
    major      u8        [ws = "ams.ads_versionversion"]
    minor      u8        [ws = "ams.ads_versionrevision"]
    build      u16       [ws = "ams.ads_versionbuild"]
    devicename [16]ascii [ws = "ams.ads_devicename", trim = nul]
}

struct ReadResponse [summary = ", {result:label}, {cblength} bytes"] {
    result   ADSResult [ws = "ams.adsresult", base = hex]
    cblength u32       [ws = "ams.ads_cblength"]
    data     [cblength]byte
}

struct ReadStateResponse [summary = ", {result:label}, {adsstate:label}"] {
    result      ADSResult [ws = "ams.adsresult", base = hex]
    adsstate    ADSState  [ws = "ams.ads_state"]
    devicestate u16       [ws = "ams.ads_devicestate"]
}

struct AddNotificationResponse [summary = ", {result:label}, handle {handle}"] {
    result ADSResult [ws = "ams.adsresult", base = hex]
    handle u32       [ws = "ams.ads_notificationhandle"]
}
