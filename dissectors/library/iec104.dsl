// IEC 60870-5-104: telecontrol messages over TCP, as in IEC 60870-5-104
// (transport profile, APCI) and IEC 60870-5-101 (ASDU, information
// elements), with the CP56Time2a time tag of IEC 60870-5-4.
//
// An APDU is the start byte 0x68, the APDU length, a 4-byte control field
// and, in I-format only, an ASDU. The control field has three formats told
// apart by its low bits: I (numbered information transfer, bit 0 = 0),
// S (numbered supervisory, bits 1..0 = 01) and U (unnumbered control,
// bits 1..0 = 11). Every multi-byte value is little-endian, and the
// sequence numbers are numbered from the least significant bit, so the
// control field is described with bNle bit fields.

protocol iec104 {
    title       "IEC 60870-5-104"
    description "IEC 60870-5-104 telecontrol: APCI (I/S/U formats) and IEC 60870-5-101 ASDUs"
    transport   tcp
    ports       2404
    endian      little
    wireshark   "iec60870_104"
    message     APDU
}

// An APDU is at most 255 bytes: the start byte, the length byte and up to
// 253 bytes of control field and ASDU.
framing {
    magic 0x68
    size  u8(1) + 2
    min   6
    max   255
}

// Recognised on any port by a valid APCI: a U-format frame (one function
// bit: STARTDT, STOPDT or TESTFR, act or con), an S-format frame, or an
// I-format frame whose ASDU has a type the schema describes, at least one
// object, a cause of transmission from 1 to 47, and objects that fill the
// frame exactly.
heuristic {
    message u8(0) == 0x68 && (
        (u8(1) == 4 && u8(3) == 0 && u8(4) == 0 && u8(5) == 0 &&
            (u8(2) == 0x07 || u8(2) == 0x0B || u8(2) == 0x13 || u8(2) == 0x23 || u8(2) == 0x43 || u8(2) == 0x83)) ||
        (u8(1) == 4 && u8(2) == 0x01 && u8(3) == 0 && (u8(4) & 1) == 0) ||
        (u8(1) >= 13 && (u8(2) & 1) == 0 && (u8(4) & 1) == 0 && (u8(7) & 0x7F) >= 1 &&
            (u8(8) & 0x3F) >= 1 && (u8(8) & 0x3F) <= 47 &&
            ((u8(6) >= 1 && u8(6) <= 21) || (u8(6) >= 30 && u8(6) <= 40) || (u8(6) >= 45 && u8(6) <= 51) ||
             (u8(6) >= 58 && u8(6) <= 64) || u8(6) == 70 || (u8(6) >= 100 && u8(6) <= 107) ||
             (u8(6) >= 110 && u8(6) <= 113))))
}

// ---------------------------------------------------------------------------
// APCI

enum UFunction : b6le {
    startdt_act = 0x01 "STARTDT act"
    startdt_con = 0x02 "STARTDT con"
    stopdt_act  = 0x04 "STOPDT act"
    stopdt_con  = 0x08 "STOPDT con"
    testfr_act  = 0x10 "TESTFR act"
    testfr_con  = 0x20 "TESTFR con"
}

struct APDU [summary = "{apci}"] {
    start   u8 = 0x68 [base = hex, doc = "Start byte"]
    apdulen u8        [ws = "iec60870_104.apdulen", range = 4..253, doc = "Bytes that follow: the control field and the ASDU"]
    let format = (u8(2) & 1) == 0 ? 0 : u8(2) & 3 [doc = "Frame format, from the low bits of the control field: 0 I, 1 S, 3 U"]
    // U-format acts and cons get structs of their own, to pair them.
    apci switch format == 3 ? u8(2) : format {
        case 0:                IFormat
        case 1:                SFormat
        case 0x07, 0x13, 0x43: UAct
        case 0x0B, 0x23, 0x83: UCon
        default:               UFormat
    }
}

// I-format: numbered information transfer, carrying an ASDU.
struct IFormat [summary = "I ({tx},{rx}) {asdu}"] {
    type     b1le = 0 [ws = "iec60870_104.type", doc = "0: I-format"]
    tx       b15le    [ws = "iec60870_104.tx", doc = "Send sequence number N(S)"]
    reserved b1le = 0
    rx       b15le    [ws = "iec60870_104.rx", doc = "Receive sequence number N(R): the next I-frame expected"]
    asdu     ASDU
}

// S-format: numbered supervisory function, acknowledging I-frames.
struct SFormat [summary = "S ({rx})"] {
    type      b2le = 1 [ws = "iec60870_104.type", doc = "01: S-format"]
    reserved  b14le
    reserved2 b1le = 0
    rx        b15le    [ws = "iec60870_104.rx", doc = "Receive sequence number N(R): the next I-frame expected"]
}

// U-format: unnumbered control functions. A STARTDT, STOPDT or TESTFR act
// is answered by the con of the same function from the other side; the
// con's function bit is the act's shifted left by one.
struct UAct [summary = "U ({function:label})"] {
    type     b2le = 3  [ws = "iec60870_104.type", doc = "11: U-format"]
    function UFunction [ws = "iec60870_104.utype"]
    reserved [3]byte
    pair request function
}

struct UCon [summary = "U ({function:label})"] {
    type     b2le = 3  [ws = "iec60870_104.type", doc = "11: U-format"]
    function UFunction [ws = "iec60870_104.utype"]
    reserved [3]byte
    pair response function / 2
}

// A U-format control field with no single function bit set.
struct UFormat [summary = "U ({function:label})"] {
    type     b2le = 3  [ws = "iec60870_104.type", doc = "11: U-format"]
    function UFunction [ws = "iec60870_104.utype"]
    reserved [3]byte
}

// ---------------------------------------------------------------------------
// ASDU (IEC 60870-5-101 with the 104 field sizes: 2-byte cause of
// transmission, 2-byte common address, 3-byte information object address)

enum TypeID : u8 {
    m_sp_na_1 = 1   "M_SP_NA_1"
    m_sp_ta_1 = 2   "M_SP_TA_1"
    m_dp_na_1 = 3   "M_DP_NA_1"
    m_dp_ta_1 = 4   "M_DP_TA_1"
    m_st_na_1 = 5   "M_ST_NA_1"
    m_st_ta_1 = 6   "M_ST_TA_1"
    m_bo_na_1 = 7   "M_BO_NA_1"
    m_bo_ta_1 = 8   "M_BO_TA_1"
    m_me_na_1 = 9   "M_ME_NA_1"
    m_me_ta_1 = 10  "M_ME_TA_1"
    m_me_nb_1 = 11  "M_ME_NB_1"
    m_me_tb_1 = 12  "M_ME_TB_1"
    m_me_nc_1 = 13  "M_ME_NC_1"
    m_me_tc_1 = 14  "M_ME_TC_1"
    m_it_na_1 = 15  "M_IT_NA_1"
    m_it_ta_1 = 16  "M_IT_TA_1"
    m_ep_ta_1 = 17  "M_EP_TA_1"
    m_ep_tb_1 = 18  "M_EP_TB_1"
    m_ep_tc_1 = 19  "M_EP_TC_1"
    m_ps_na_1 = 20  "M_PS_NA_1"
    m_me_nd_1 = 21  "M_ME_ND_1"
    m_sp_tb_1 = 30  "M_SP_TB_1"
    m_dp_tb_1 = 31  "M_DP_TB_1"
    m_st_tb_1 = 32  "M_ST_TB_1"
    m_bo_tb_1 = 33  "M_BO_TB_1"
    m_me_td_1 = 34  "M_ME_TD_1"
    m_me_te_1 = 35  "M_ME_TE_1"
    m_me_tf_1 = 36  "M_ME_TF_1"
    m_it_tb_1 = 37  "M_IT_TB_1"
    m_ep_td_1 = 38  "M_EP_TD_1"
    m_ep_te_1 = 39  "M_EP_TE_1"
    m_ep_tf_1 = 40  "M_EP_TF_1"
    c_sc_na_1 = 45  "C_SC_NA_1"
    c_dc_na_1 = 46  "C_DC_NA_1"
    c_rc_na_1 = 47  "C_RC_NA_1"
    c_se_na_1 = 48  "C_SE_NA_1"
    c_se_nb_1 = 49  "C_SE_NB_1"
    c_se_nc_1 = 50  "C_SE_NC_1"
    c_bo_na_1 = 51  "C_BO_NA_1"
    c_sc_ta_1 = 58  "C_SC_TA_1"
    c_dc_ta_1 = 59  "C_DC_TA_1"
    c_rc_ta_1 = 60  "C_RC_TA_1"
    c_se_ta_1 = 61  "C_SE_TA_1"
    c_se_tb_1 = 62  "C_SE_TB_1"
    c_se_tc_1 = 63  "C_SE_TC_1"
    c_bo_ta_1 = 64  "C_BO_TA_1"
    m_ei_na_1 = 70  "M_EI_NA_1"
    c_ic_na_1 = 100 "C_IC_NA_1"
    c_ci_na_1 = 101 "C_CI_NA_1"
    c_rd_na_1 = 102 "C_RD_NA_1"
    c_cs_na_1 = 103 "C_CS_NA_1"
    c_ts_na_1 = 104 "C_TS_NA_1"
    c_rp_na_1 = 105 "C_RP_NA_1"
    c_cd_na_1 = 106 "C_CD_NA_1"
    c_ts_ta_1 = 107 "C_TS_TA_1"
    p_me_na_1 = 110 "P_ME_NA_1"
    p_me_nb_1 = 111 "P_ME_NB_1"
    p_me_nc_1 = 112 "P_ME_NC_1"
    p_ac_na_1 = 113 "P_AC_NA_1"
    f_fr_na_1 = 120 "F_FR_NA_1"
    f_sr_na_1 = 121 "F_SR_NA_1"
    f_sc_na_1 = 122 "F_SC_NA_1"
    f_ls_na_1 = 123 "F_LS_NA_1"
    f_af_na_1 = 124 "F_AF_NA_1"
    f_sg_na_1 = 125 "F_SG_NA_1"
    f_dr_ta_1 = 126 "F_DR_TA_1"
    f_sc_nb_1 = 127 "F_SC_NB_1"
}

enum Cause : b6 {
    per_cyc   = 1  "Per/Cyc"
    back      = 2  "Back"
    spont     = 3  "Spont"
    init      = 4  "Init"
    req       = 5  "Req"
    act       = 6  "Act"
    actcon    = 7  "ActCon"
    deact     = 8  "Deact"
    deactcon  = 9  "DeactCon"
    actterm   = 10 "ActTerm"
    retrem    = 11 "Retrem"
    retloc    = 12 "Retloc"
    file      = 13 "File"
    inrogen   = 20 "Inrogen"
    inro1     = 21 "Inro1"
    inro2     = 22 "Inro2"
    inro3     = 23 "Inro3"
    inro4     = 24 "Inro4"
    inro5     = 25 "Inro5"
    inro6     = 26 "Inro6"
    inro7     = 27 "Inro7"
    inro8     = 28 "Inro8"
    inro9     = 29 "Inro9"
    inro10    = 30 "Inro10"
    inro11    = 31 "Inro11"
    inro12    = 32 "Inro12"
    inro13    = 33 "Inro13"
    inro14    = 34 "Inro14"
    inro15    = 35 "Inro15"
    inro16    = 36 "Inro16"
    reqcogen  = 37 "Reqcogen"
    reqco1    = 38 "Reqco1"
    reqco2    = 39 "Reqco2"
    reqco3    = 40 "Reqco3"
    reqco4    = 41 "Reqco4"
    uk_typeid = 44 "UkTypeId"
    uk_cause  = 45 "UkCauseTx"
    uk_comadr = 46 "UkComAdrASDU"
    uk_ioa    = 47 "UkIOA"
}

struct ASDU [summary = "ASDU={addr} {typeid:label} {causetx:label}"] {
    typeid   TypeID [ws = "iec60870_asdu.typeid"]
    sq       b1     [ws = "iec60870_asdu.sq", doc = "Structure qualifier: 1 when the objects are a sequence with one address"]
    numix    b7     [ws = "iec60870_asdu.numix", doc = "Number of information objects (SQ=0) or elements (SQ=1)"]
    test     b1     [ws = "iec60870_asdu.test", doc = "T: test, not a real event or command"]
    negative b1     [ws = "iec60870_asdu.nega", doc = "P/N: negative confirmation"]
    causetx  Cause  [ws = "iec60870_asdu.causetx"]
    oa       u8     [ws = "iec60870_asdu.oa", doc = "Originator address"]
    addr     u16    [ws = "iec60870_asdu.addr", doc = "Common address of the ASDU (station)"]
    let known_type = (typeid >= 1 && typeid <= 21) || (typeid >= 30 && typeid <= 40) ||
        (typeid >= 45 && typeid <= 51) || (typeid >= 58 && typeid <= 64) || typeid == 70 ||
        (typeid >= 100 && typeid <= 107) || (typeid >= 110 && typeid <= 113) ||
        (typeid >= 120 && typeid <= 127) [doc = "1 when the information elements of this type are described here"]
    // An array element cannot know its index, so each element of a
    // sequence works it out from its offset and its size (all elements of
    // a sequence have the size of the first) and shows its address,
    // ioa + i, as Wireshark does.
    ioa      u24    [if = known_type && sq == 1, doc = "SQ=1: address of the first element; element i has address ioa + i"]
    let first_ioa = known_type && sq == 1 ? ioa : 0 [hidden]
    let objects_start = offset() [hidden]
    objects  [numix]InformationObject(typeid, sq == 0, first_ioa, objects_start) [if = known_type]
    rawdata  []byte [if = !known_type, ws = "iec60870_asdu.rawdata", doc = "Information objects of a type not described here"]
}

// One information object: its address (unless the ASDU is a sequence, SQ=1,
// where only the first object has one, in the ASDU) and its elements.
struct InformationObject(typeid TypeID, has_ioa bool, first_ioa u32, start u32) [summary = "{value}"] {
    ioa   u24 [if = has_ioa, ws = "iec60870_asdu.ioa", doc = "Information object address"]
    value switch typeid {
        case m_sp_na_1: SinglePoint(0)
        case m_sp_ta_1: SinglePoint(24)
        case m_sp_tb_1: SinglePoint(56)
        case m_dp_na_1: DoublePoint(0)
        case m_dp_ta_1: DoublePoint(24)
        case m_dp_tb_1: DoublePoint(56)
        case m_st_na_1: StepPosition(0)
        case m_st_ta_1: StepPosition(24)
        case m_st_tb_1: StepPosition(56)
        case m_bo_na_1: Bitstring(0)
        case m_bo_ta_1: Bitstring(24)
        case m_bo_tb_1: Bitstring(56)
        case m_me_na_1: Normalized(0)
        case m_me_ta_1: Normalized(24)
        case m_me_td_1: Normalized(56)
        case m_me_nb_1: Scaled(0)
        case m_me_tb_1: Scaled(24)
        case m_me_te_1: Scaled(56)
        case m_me_nc_1: ShortFloat(0)
        case m_me_tc_1: ShortFloat(24)
        case m_me_tf_1: ShortFloat(56)
        case m_it_na_1: IntegratedTotals(0)
        case m_it_ta_1: IntegratedTotals(24)
        case m_it_tb_1: IntegratedTotals(56)
        case m_ep_ta_1: ProtectionEvent(24)
        case m_ep_td_1: ProtectionEvent(56)
        case m_ep_tb_1: StartEvents(24)
        case m_ep_te_1: StartEvents(56)
        case m_ep_tc_1: OutputCircuit(24)
        case m_ep_tf_1: OutputCircuit(56)
        case m_ps_na_1: PackedSinglePoint
        case m_me_nd_1: NormalizedNoQuality
        case c_sc_na_1: SingleCommand(0)
        case c_sc_ta_1: SingleCommand(56)
        case c_dc_na_1: DoubleCommand(0)
        case c_dc_ta_1: DoubleCommand(56)
        case c_rc_na_1: RegulatingStep(0)
        case c_rc_ta_1: RegulatingStep(56)
        case c_se_na_1: SetpointNormalized(0)
        case c_se_ta_1: SetpointNormalized(56)
        case c_se_nb_1: SetpointScaled(0)
        case c_se_tb_1: SetpointScaled(56)
        case c_se_nc_1: SetpointFloat(0)
        case c_se_tc_1: SetpointFloat(56)
        case c_bo_na_1: BitstringCommand(0)
        case c_bo_ta_1: BitstringCommand(56)
        case m_ei_na_1: EndOfInit
        case c_ic_na_1: Interrogation
        case c_ci_na_1: CounterInterrogation
        case c_rd_na_1: ReadCommand
        case c_cs_na_1: ClockSync
        case c_ts_na_1: TestCommand
        case c_rp_na_1: ResetProcess
        case c_cd_na_1: DelayAcquisition
        case c_ts_ta_1: TestCommandCP56
        case p_me_na_1: ParameterNormalized
        case p_me_nb_1: ParameterScaled
        case p_me_nc_1: ParameterFloat
        case p_ac_na_1: ParameterActivation
        case f_fr_na_1: FileReady
        case f_sr_na_1: SectionReady
        case f_sc_na_1: CallFile
        case f_ls_na_1: LastSection
        case f_af_na_1: AckFile
        case f_sg_na_1: Segment
        case f_dr_ta_1: Directory
        case f_sc_nb_1: QueryLog
    }
    let element_ioa = first_ioa + (offset(value) - start) / (offset() - offset(value)) [if = !has_ioa && offset() > offset(value), ws = "iec60870_asdu.ioa", doc = "SQ=1: the address of this element of the sequence"]
}

// ---------------------------------------------------------------------------
// Information elements. The structs that take `t` carry a time tag when it
// is not 0: CP24Time2a (t = 24, types *_TA_1) or CP56Time2a (t = 56).

struct SinglePoint(t u8) [summary = "{siq}"] {
    siq  SIQ [ws = "iec60870_asdu.siq"]
    time switch t {
        case 24: CP24Time2a
        case 56: CP56Time2a
    } [if = t != 0]
}

struct DoublePoint(t u8) [summary = "{diq}"] {
    diq  DIQ [ws = "iec60870_asdu.diq"]
    time switch t {
        case 24: CP24Time2a
        case 56: CP56Time2a
    } [if = t != 0]
}

struct StepPosition(t u8) [summary = "{vti}"] {
    vti  VTI [ws = "iec60870_asdu.vti"]
    qds  QDS [ws = "iec60870_asdu.qds"]
    time switch t {
        case 24: CP24Time2a
        case 56: CP56Time2a
    } [if = t != 0]
}

struct Bitstring(t u8) [summary = "BSI={bsi}"] {
    bsi  [4]byte [ws = "iec60870_asdu.bitstring", doc = "Binary state information, 32 bits"]
    qds  QDS [ws = "iec60870_asdu.qds"]
    time switch t {
        case 24: CP24Time2a
        case 56: CP56Time2a
    } [if = t != 0]
}

struct Normalized(t u8) [summary = "NVA={nva}"] {
    nva  s16 [ws = "iec60870_asdu.normval", scale = 0.000030517578125, doc = "Normalized value: -1 to 1-2^-15"]
    qds  QDS [ws = "iec60870_asdu.qds"]
    time switch t {
        case 24: CP24Time2a
        case 56: CP56Time2a
    } [if = t != 0]
}

struct Scaled(t u8) [summary = "SVA={sva}"] {
    sva  s16 [ws = "iec60870_asdu.scalval", doc = "Scaled value"]
    qds  QDS [ws = "iec60870_asdu.qds"]
    time switch t {
        case 24: CP24Time2a
        case 56: CP56Time2a
    } [if = t != 0]
}

struct ShortFloat(t u8) [summary = "Value={value}"] {
    value f32 [ws = "iec60870_asdu.float", doc = "IEEE 754 short floating point value"]
    qds   QDS [ws = "iec60870_asdu.qds"]
    time  switch t {
        case 24: CP24Time2a
        case 56: CP56Time2a
    } [if = t != 0]
}

struct IntegratedTotals(t u8) [summary = "{bcr}"] {
    bcr  BCR
    time switch t {
        case 24: CP24Time2a
        case 56: CP56Time2a
    } [if = t != 0]
}

// Event of protection equipment.
struct ProtectionEvent(t u8) [summary = "{sep}"] {
    sep     SEP
    elapsed u16 [unit = "ms", doc = "Elapsed time (CP16Time2a)"]
    time    switch t {
        case 24: CP24Time2a
        case 56: CP56Time2a
    }
}

// Packed start events of protection equipment.
struct StartEvents(t u8) {
    spe      SPE
    qdp      QDP
    duration u16 [unit = "ms", doc = "Relay duration time (CP16Time2a)"]
    time     switch t {
        case 24: CP24Time2a
        case 56: CP56Time2a
    }
}

// Packed output circuit information of protection equipment.
struct OutputCircuit(t u8) {
    oci            OCI
    qdp            QDP
    operating_time u16 [unit = "ms", doc = "Relay operating time (CP16Time2a)"]
    time           switch t {
        case 24: CP24Time2a
        case 56: CP56Time2a
    }
}

// Packed single-point information with status change detection.
struct PackedSinglePoint [summary = "ST={st} CD={cd}"] {
    st  u16 [base = hex, doc = "Status of 16 single points"]
    cd  u16 [base = hex, doc = "Status change detection of the 16 points"]
    qds QDS [ws = "iec60870_asdu.qds"]
}

struct NormalizedNoQuality [summary = "NVA={nva}"] {
    nva s16 [ws = "iec60870_asdu.normval", scale = 0.000030517578125]
}

struct SingleCommand(t u8) [summary = "{sco}"] {
    sco  SCO [ws = "iec60870_asdu.sco"]
    time CP56Time2a [if = t != 0]
}

struct DoubleCommand(t u8) [summary = "{dco}"] {
    dco  DCO [ws = "iec60870_asdu.dco"]
    time CP56Time2a [if = t != 0]
}

struct RegulatingStep(t u8) [summary = "{rco}"] {
    rco  RCO [ws = "iec60870_asdu.rco"]
    time CP56Time2a [if = t != 0]
}

struct SetpointNormalized(t u8) [summary = "NVA={nva}"] {
    nva  s16 [ws = "iec60870_asdu.normval", scale = 0.000030517578125]
    qos  QOS [ws = "iec60870_asdu.qos"]
    time CP56Time2a [if = t != 0]
}

struct SetpointScaled(t u8) [summary = "SVA={sva}"] {
    sva  s16 [ws = "iec60870_asdu.scalval"]
    qos  QOS [ws = "iec60870_asdu.qos"]
    time CP56Time2a [if = t != 0]
}

struct SetpointFloat(t u8) [summary = "Value={value}"] {
    value f32 [ws = "iec60870_asdu.float"]
    qos   QOS [ws = "iec60870_asdu.qos"]
    time  CP56Time2a [if = t != 0]
}

struct BitstringCommand(t u8) [summary = "BSI={bsi}"] {
    bsi  [4]byte [ws = "iec60870_asdu.bitstring"]
    time CP56Time2a [if = t != 0]
}

struct EndOfInit [summary = "{coi}"] {
    coi COI [ws = "iec60870_asdu.coi"]
}

enum QOI : u8 {
    station = 20 "Station interrogation (global)"
    group1  = 21 "Group 1 interrogation"
    group2  = 22 "Group 2 interrogation"
    group3  = 23 "Group 3 interrogation"
    group4  = 24 "Group 4 interrogation"
    group5  = 25 "Group 5 interrogation"
    group6  = 26 "Group 6 interrogation"
    group7  = 27 "Group 7 interrogation"
    group8  = 28 "Group 8 interrogation"
    group9  = 29 "Group 9 interrogation"
    group10 = 30 "Group 10 interrogation"
    group11 = 31 "Group 11 interrogation"
    group12 = 32 "Group 12 interrogation"
    group13 = 33 "Group 13 interrogation"
    group14 = 34 "Group 14 interrogation"
    group15 = 35 "Group 15 interrogation"
    group16 = 36 "Group 16 interrogation"
}

struct Interrogation [summary = "QOI={qoi}"] {
    qoi QOI [ws = "iec60870_asdu.qoi", doc = "Qualifier of interrogation"]
}

enum FreezeMode : b2 {
    read           = 0 "Read (no freeze or reset)"
    freeze         = 1 "Counter freeze without reset"
    freeze_reset   = 2 "Counter freeze with reset"
    reset          = 3 "Counter reset"
}

enum CounterRequest : b6 {
    none    = 0 "No counter requested"
    group1  = 1 "Request counter group 1"
    group2  = 2 "Request counter group 2"
    group3  = 3 "Request counter group 3"
    group4  = 4 "Request counter group 4"
    general = 5 "General request counter"
}

struct CounterInterrogation [summary = "QCC={qcc}"] {
    qcc struct {
        frz FreezeMode     [ws = "iec60870_asdu.frz"]
        rqt CounterRequest [ws = "iec60870_asdu.rqt"]
    } [ws = "iec60870_asdu.qcc", doc = "Qualifier of counter interrogation"]
}

// C_RD_NA_1 has no information element: the address says what to read.
struct ReadCommand {
}

struct ClockSync [summary = "{time}"] {
    time CP56Time2a
}

struct TestCommand {
    fbp u16 = 0x55AA [base = hex, doc = "Fixed test bit pattern"]
}

enum QRP : u8 {
    general = 1 "General reset of process"
    events  = 2 "Reset of pending information with time tag of the event buffer"
}

struct ResetProcess [summary = "QRP={qrp}"] {
    qrp QRP [ws = "iec60870_asdu.qrp", doc = "Qualifier of reset process command"]
}

struct DelayAcquisition [summary = "{delay}"] {
    delay u16 [unit = "ms", doc = "Delay (CP16Time2a)"]
}

struct TestCommandCP56 [summary = "TSC={tsc}"] {
    tsc  u16 [doc = "Test sequence counter"]
    time CP56Time2a
}

struct ParameterNormalized [summary = "NVA={nva}"] {
    nva s16 [ws = "iec60870_asdu.normval", scale = 0.000030517578125]
    qpm QPM [ws = "iec60870_asdu.qpm"]
}

struct ParameterScaled [summary = "SVA={sva}"] {
    sva s16 [ws = "iec60870_asdu.scalval"]
    qpm QPM [ws = "iec60870_asdu.qpm"]
}

struct ParameterFloat [summary = "Value={value}"] {
    value f32 [ws = "iec60870_asdu.float"]
    qpm   QPM [ws = "iec60870_asdu.qpm"]
}

enum QPA : u8 {
    loaded     = 1 "Act/deact of previously loaded parameters"
    addressed  = 2 "Act/deact of the parameter of the addressed object"
    persistent = 3 "Act/deact of persistent cyclic or periodic transmission"
}

struct ParameterActivation [summary = "QPA={qpa}"] {
    qpa QPA [doc = "Qualifier of parameter activation"]
}

// File transfer (IEC 60870-5-101 clause 7.3.6).
struct FileReady [summary = "File {nof}, {lof} bytes"] {
    nof u16 [doc = "Name of file"]
    lof u24 [doc = "Length of file"]
    frq u8  [base = hex, doc = "File ready qualifier: bit 8 negative confirm"]
}

struct SectionReady [summary = "File {nof} section {nos}, {lof} bytes"] {
    nof u16 [doc = "Name of file"]
    nos u8  [doc = "Name of section"]
    lof u24 [doc = "Length of section"]
    srq u8  [base = hex, doc = "Section ready qualifier: bit 8 section not ready"]
}

struct CallFile [summary = "File {nof} section {nos}, SCQ={scq}"] {
    nof u16 [doc = "Name of file"]
    nos u8  [doc = "Name of section"]
    scq u8  [base = hex, doc = "Select and call qualifier"]
}

struct LastSection [summary = "File {nof} section {nos}, LSQ={lsq}"] {
    nof u16 [doc = "Name of file"]
    nos u8  [doc = "Name of section"]
    lsq u8  [doc = "Last section or segment qualifier"]
    chs u8  [base = hex, doc = "Checksum: sum of the octets modulo 256"]
}

struct AckFile [summary = "File {nof} section {nos}, AFQ={afq}"] {
    nof u16 [doc = "Name of file"]
    nos u8  [doc = "Name of section"]
    afq u8  [base = hex, doc = "Acknowledge file or section qualifier"]
}

struct Segment [summary = "File {nof} section {nos}, {los} bytes"] {
    nof     u16 [doc = "Name of file"]
    nos     u8  [doc = "Name of section"]
    los     u8  [doc = "Length of segment"]
    segment [los]byte
}

struct Directory [summary = "File {nof}, {lof} bytes"] {
    nof  u16 [doc = "Name of file"]
    lof  u24 [doc = "Length of file"]
    sof  struct {
        fa       b1 [doc = "File transfer active"]
        dir      b1 [doc = "Name defines a subdirectory"]
        lfd      b1 [doc = "Last file of the directory"]
        status   b5 [doc = "Status"]
    } [doc = "Status of file"]
    time CP56Time2a [doc = "Creation time of the file"]
}

struct QueryLog [summary = "File {nof}"] {
    nof   u16 [doc = "Name of file"]
    start CP56Time2a [doc = "Range start time"]
    stop  CP56Time2a [doc = "Range stop time"]
}

// ---------------------------------------------------------------------------
// Quality descriptors and element bit layouts (bit 8 first).

enum OnOff : b1 {
    off = 0 "Off"
    on  = 1 "On"
}

enum DoublePointValue : b2 {
    indeterminate_intermediate = 0 "Indeterminate or Intermediate"
    off                        = 1 "Off"
    on                         = 2 "On"
    indeterminate              = 3 "Indeterminate"
}

// Single-point information with quality descriptor.
struct SIQ [summary = "{spi}"] {
    iv       b1    [ws = "iec60870_asdu.siq.iv", doc = "Invalid"]
    nt       b1    [ws = "iec60870_asdu.siq.nt", doc = "Not topical"]
    sb       b1    [ws = "iec60870_asdu.siq.sb", doc = "Substituted"]
    bl       b1    [ws = "iec60870_asdu.siq.bl", doc = "Blocked"]
    reserved b3
    spi      OnOff [ws = "iec60870_asdu.siq.spi", doc = "Single-point information"]
}

// Double-point information with quality descriptor.
struct DIQ [summary = "{dpi}"] {
    iv       b1               [ws = "iec60870_asdu.diq.iv", doc = "Invalid"]
    nt       b1               [ws = "iec60870_asdu.diq.nt", doc = "Not topical"]
    sb       b1               [ws = "iec60870_asdu.diq.sb", doc = "Substituted"]
    bl       b1               [ws = "iec60870_asdu.diq.bl", doc = "Blocked"]
    reserved b2
    dpi      DoublePointValue [ws = "iec60870_asdu.diq.dpi", doc = "Double-point information"]
}

// Quality descriptor of measured values.
struct QDS [summary = "IV={iv} NT={nt} SB={sb} BL={bl} OV={ov}"] {
    iv       b1 [ws = "iec60870_asdu.qds.iv", doc = "Invalid"]
    nt       b1 [ws = "iec60870_asdu.qds.nt", doc = "Not topical"]
    sb       b1 [ws = "iec60870_asdu.qds.sb", doc = "Substituted"]
    bl       b1 [ws = "iec60870_asdu.qds.bl", doc = "Blocked"]
    reserved b3
    ov       b1 [ws = "iec60870_asdu.qds.ov", doc = "Overflow"]
}

// Value with transient state indication (step position).
struct VTI [summary = "{value}"] {
    transient b1 [ws = "iec60870_asdu.vti.t", doc = "Equipment in transient state"]
    raw       b7 [doc = "Value, 7-bit two's complement"]
    let value = raw >= 64 ? raw - 128 : raw [doc = "Step position -64..63"]
}

// Binary counter reading.
struct BCR [summary = "{count}"] {
    count s32 [ws = "iec60870_asdu.bcr.count", doc = "Counter reading"]
    iv    b1  [ws = "iec60870_asdu.bcr.iv", doc = "Invalid"]
    ca    b1  [ws = "iec60870_asdu.bcr.ca", doc = "Counter was adjusted since the last reading"]
    cy    b1  [ws = "iec60870_asdu.bcr.cy", doc = "Counter overflowed in the period"]
    sq    b5  [ws = "iec60870_asdu.bcr.sq", doc = "Sequence number"]
}

// Single event of protection equipment.
struct SEP [summary = "{es}"] {
    iv       b1               [doc = "Invalid"]
    nt       b1               [doc = "Not topical"]
    sb       b1               [doc = "Substituted"]
    bl       b1               [doc = "Blocked"]
    ei       b1               [doc = "Elapsed time invalid"]
    reserved b1
    es       DoublePointValue [doc = "Event state"]
}

// Start events of protection equipment.
struct SPE {
    reserved b2
    srd      b1 [doc = "Start of operation in reverse direction"]
    sie      b1 [doc = "Start of operation IE (earth current)"]
    sl3      b1 [doc = "Start of operation phase L3"]
    sl2      b1 [doc = "Start of operation phase L2"]
    sl1      b1 [doc = "Start of operation phase L1"]
    gs       b1 [doc = "General start of operation"]
}

// Output circuit information of protection equipment.
struct OCI {
    reserved b4
    cl3      b1 [doc = "Command to output circuit phase L3"]
    cl2      b1 [doc = "Command to output circuit phase L2"]
    cl1      b1 [doc = "Command to output circuit phase L1"]
    gc       b1 [doc = "General command to output circuit"]
}

// Quality descriptor for events of protection equipment.
struct QDP {
    iv       b1 [doc = "Invalid"]
    nt       b1 [doc = "Not topical"]
    sb       b1 [doc = "Substituted"]
    bl       b1 [doc = "Blocked"]
    ei       b1 [doc = "Elapsed time invalid"]
    reserved b3
}

enum SelectExecute : b1 {
    execute = 0 "Execute"
    select  = 1 "Select"
}

enum CommandQualifier : b5 {
    none       = 0 "No additional definition"
    short      = 1 "Short pulse duration"
    long       = 2 "Long duration pulse"
    persistent = 3 "Persistent output"
}

enum DoubleCommandState : b2 {
    not_permitted0 = 0 "Not permitted"
    off            = 1 "Off"
    on             = 2 "On"
    not_permitted3 = 3 "Not permitted"
}

enum StepCommandState : b2 {
    not_permitted0 = 0 "Not permitted"
    lower          = 1 "Next step lower"
    higher         = 2 "Next step higher"
    not_permitted3 = 3 "Not permitted"
}

// Single command.
struct SCO [summary = "{scs} {se}"] {
    se       SelectExecute    [ws = "iec60870_asdu.sco.se"]
    qu       CommandQualifier [ws = "iec60870_asdu.sco.qu"]
    reserved b1
    scs      OnOff            [ws = "iec60870_asdu.sco.on", doc = "Single command state"]
}

// Double command.
struct DCO [summary = "{dcs} {se}"] {
    se  SelectExecute      [ws = "iec60870_asdu.dco.se"]
    qu  CommandQualifier   [ws = "iec60870_asdu.dco.qu"]
    dcs DoubleCommandState [ws = "iec60870_asdu.dco.on", doc = "Double command state"]
}

// Regulating step command.
struct RCO [summary = "{rcs} {se}"] {
    se  SelectExecute    [ws = "iec60870_asdu.rco.se"]
    qu  CommandQualifier [ws = "iec60870_asdu.rco.qu"]
    rcs StepCommandState [ws = "iec60870_asdu.rco.up", doc = "Regulating step command state"]
}

// Qualifier of set-point command.
struct QOS [summary = "{se}"] {
    se SelectExecute [ws = "iec60870_asdu.qos.se"]
    ql b7            [ws = "iec60870_asdu.qos.ql", doc = "Qualifier: 0 default"]
}

enum KindOfParameter : b6 {
    threshold = 1 "Threshold value"
    smoothing = 2 "Smoothing factor (filter time constant)"
    low_limit = 3 "Low limit for transmission of measured values"
    high_limit = 4 "High limit for transmission of measured values"
}

// Qualifier of parameter of measured values.
struct QPM [summary = "{kpa}"] {
    pop b1              [ws = "iec60870_asdu.qpm.pop", doc = "Parameter not in operation"]
    lpc b1              [ws = "iec60870_asdu.qpm.lpc", doc = "Local parameter change"]
    kpa KindOfParameter [ws = "iec60870_asdu.qpm.kpa"]
}

enum InitCause : b7 {
    power_on     = 0 "Local power switch on"
    manual_reset = 1 "Local manual reset"
    remote_reset = 2 "Remote reset"
}

// Cause of initialization.
struct COI [summary = "{cause}"] {
    changed b1        [ws = "iec60870_asdu.coi_i", doc = "Initialization after change of local parameters"]
    cause   InitCause [ws = "iec60870_asdu.coi_r"]
}

// Three-octet binary time: milliseconds and minutes.
struct CP24Time2a [summary = "{min}m {ms}ms"] {
    ms       u16 [ws = "iec60870_asdu.cp24time.ms", doc = "Milliseconds, 0..59999 (seconds × 1000 + ms)"]
    iv       b1  [ws = "iec60870_asdu.cp24time.iv", doc = "Invalid"]
    reserved b1
    min      b6  [ws = "iec60870_asdu.cp24time.min"]
}

// Seven-octet binary time. The year has two digits: 70..99 are taken as
// 1970..1999 and 0..69 as 2000..2069, as Wireshark does. The time is the
// station's local time (su is set in summer time); `timestamp` shows it as
// if it were UTC.
struct CP56Time2a [summary = "{timestamp}"] {
    ms        u16 [ws = "iec60870_asdu.cp56time.ms", doc = "Milliseconds, 0..59999 (seconds × 1000 + ms)"]
    iv        b1  [ws = "iec60870_asdu.cp56time.iv", doc = "Invalid"]
    gen       b1  [ws = "iec60870_asdu.cp56time.gen", doc = "Substituted time (not generated by the source)"]
    min       b6  [ws = "iec60870_asdu.cp56time.min"]
    su        b1  [ws = "iec60870_asdu.cp56time.su", doc = "Summer time"]
    reserved1 b2
    hour      b5  [ws = "iec60870_asdu.cp56time.hour"]
    dow       b3  [ws = "iec60870_asdu.cp56time.dow", doc = "Day of week, 1 = Monday; 0 unused"]
    day       b5  [ws = "iec60870_asdu.cp56time.day"]
    reserved2 b4
    month     b4  [ws = "iec60870_asdu.cp56time.month"]
    reserved3 b1
    year      b7  [ws = "iec60870_asdu.cp56time.year", doc = "Year within the century, 0..99"]
    // The date as milliseconds since 1970 (days_from_civil, with the years
    // counted from March; for 1970..2069, y/100 - y/400 is always 15).
    let timestamp = (365 * (year + (year < 70 ? 2000 : 1900) - (month <= 2 ? 1 : 0)) +
        (year + (year < 70 ? 2000 : 1900) - (month <= 2 ? 1 : 0)) / 4 - 15 +
        (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 719469) * 86400000 +
        hour * 3600000 + min * 60000 + ms [time = unix_ms, doc = "The date and time (local time of the station, shown as UTC)"]
}
