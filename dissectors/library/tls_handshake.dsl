// TLS handshake messages (RFC 5246, RFC 8446 and the extension RFCs 6066,
// 7301, 7627, 5746, 8422, 7919, 8449, 5077), as the TLS record layer
// (tls.dsl) streams them: the plain handshake records of each direction
// are joined into one byte stream, in which every message is a 4-byte
// header (type, 24-bit length) and its body. A message may span several
// records, and a record may hold several messages; each message is a
// record of its own.
//
// What is decoded: ClientHello and ServerHello (HelloRetryRequest too) in
// full with their extensions, Certificate (the DER certificates as bytes),
// ServerKeyExchange and ClientKeyExchange for (EC)DHE and RSA key
// exchange, CertificateRequest, CertificateVerify, CertificateStatus,
// ServerHelloDone, NewSessionTicket, EncryptedExtensions, Finished,
// KeyUpdate. Encrypted handshake messages never get here: the record layer
// keeps them as bytes.
//
// The protocol has no port: it runs only under tls. Its state (the key
// exchange and version the ServerHello chose, for ServerKeyExchange,
// ClientKeyExchange, CertificateRequest and CertificateVerify) is its own,
// kept per connection and shared by both directions.

import "tls_types.dsl"

protocol tls_handshake {
    title       "TLS Handshake"
    description "TLS handshake messages (hellos, extensions, certificates, key exchange), streamed from tls records"
    transport   tcp
    endian      big
    wireshark   "tls"
    message     Handshake
}

// A 4-byte header whose 24-bit length counts the body: a message may be as
// long as 2^24 - 1 bytes; dissect accepts up to 1 MiB (certificate chains of
// several hundred KiB are seen), so that after garbage a bogus header cannot
// make the stream wait for 16 MiB. Only the message types of HandshakeType (0 to 25, and 254) count
// as the start of a message, so that the search for a message boundary
// (after a gap, or after an undecodable message) does not take random
// bytes for a header.
framing {
    size u8(0) <= 25 || u8(0) == 254 ? u24(1) + 4 : 0
    min  4
    max  1048580
}

state {
    key_exchange u8  = 0 // from the ServerHello's cipher suite: 1 ECDHE, 2 DHE, 3 RSA, 0 other or unknown
    version      u16 = 0 // the ServerHello's version: signatures carry an algorithm from TLS 1.2 on
    sni_offset   u32 = 0 // where the ClientHello's host name is, for its summary
    sni_length   u32 = 0 // its length; 0 when there is none
}

enum HandshakeType : u8 {
    hello_request        = 0  "Hello Request"
    client_hello         = 1  "Client Hello"
    server_hello         = 2  "Server Hello"
    hello_verify_request = 3  "Hello Verify Request"
    new_session_ticket   = 4  "New Session Ticket"
    end_of_early_data    = 5  "End of Early Data"
    hello_retry_request  = 6  "Hello Retry Request"
    encrypted_extensions = 8  "Encrypted Extensions"
    certificate          = 11 "Certificate"
    server_key_exchange  = 12 "Server Key Exchange"
    certificate_request  = 13 "Certificate Request"
    server_hello_done    = 14 "Server Hello Done"
    certificate_verify   = 15 "Certificate Verify"
    client_key_exchange  = 16 "Client Key Exchange"
    finished             = 20 "Finished"
    certificate_url      = 21 "Client Certificate URL"
    certificate_status   = 22 "Certificate Status"
    supplemental_data    = 23 "Supplemental Data"
    key_update           = 24 "Key Update"
    compressed_certificate = 25 "Compressed Certificate"
    message_hash         = 254 "Message Hash"
}

enum CipherSuite : u16 {
    TLS_NULL_WITH_NULL_NULL = 0x0000
    TLS_RSA_WITH_NULL_MD5 = 0x0001
    TLS_RSA_WITH_NULL_SHA = 0x0002
    TLS_RSA_EXPORT_WITH_RC4_40_MD5 = 0x0003
    TLS_RSA_WITH_RC4_128_MD5 = 0x0004
    TLS_RSA_WITH_RC4_128_SHA = 0x0005
    TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5 = 0x0006
    TLS_RSA_WITH_IDEA_CBC_SHA = 0x0007
    TLS_RSA_EXPORT_WITH_DES40_CBC_SHA = 0x0008
    TLS_RSA_WITH_DES_CBC_SHA = 0x0009
    TLS_RSA_WITH_3DES_EDE_CBC_SHA = 0x000A
    TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA = 0x000B
    TLS_DH_DSS_WITH_DES_CBC_SHA = 0x000C
    TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA = 0x000D
    TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA = 0x000E
    TLS_DH_RSA_WITH_DES_CBC_SHA = 0x000F
    TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA = 0x0010
    TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA = 0x0011
    TLS_DHE_DSS_WITH_DES_CBC_SHA = 0x0012
    TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA = 0x0013
    TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA = 0x0014
    TLS_DHE_RSA_WITH_DES_CBC_SHA = 0x0015
    TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA = 0x0016
    TLS_DH_anon_EXPORT_WITH_RC4_40_MD5 = 0x0017
    TLS_DH_anon_WITH_RC4_128_MD5 = 0x0018
    TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA = 0x0019
    TLS_DH_anon_WITH_DES_CBC_SHA = 0x001A
    TLS_DH_anon_WITH_3DES_EDE_CBC_SHA = 0x001B
    TLS_PSK_WITH_NULL_SHA = 0x002C
    TLS_DHE_PSK_WITH_NULL_SHA = 0x002D
    TLS_RSA_PSK_WITH_NULL_SHA = 0x002E
    TLS_RSA_WITH_AES_128_CBC_SHA = 0x002F
    TLS_DH_DSS_WITH_AES_128_CBC_SHA = 0x0030
    TLS_DH_RSA_WITH_AES_128_CBC_SHA = 0x0031
    TLS_DHE_DSS_WITH_AES_128_CBC_SHA = 0x0032
    TLS_DHE_RSA_WITH_AES_128_CBC_SHA = 0x0033
    TLS_DH_anon_WITH_AES_128_CBC_SHA = 0x0034
    TLS_RSA_WITH_AES_256_CBC_SHA = 0x0035
    TLS_DH_DSS_WITH_AES_256_CBC_SHA = 0x0036
    TLS_DH_RSA_WITH_AES_256_CBC_SHA = 0x0037
    TLS_DHE_DSS_WITH_AES_256_CBC_SHA = 0x0038
    TLS_DHE_RSA_WITH_AES_256_CBC_SHA = 0x0039
    TLS_DH_anon_WITH_AES_256_CBC_SHA = 0x003A
    TLS_RSA_WITH_NULL_SHA256 = 0x003B
    TLS_RSA_WITH_AES_128_CBC_SHA256 = 0x003C
    TLS_RSA_WITH_AES_256_CBC_SHA256 = 0x003D
    TLS_DH_DSS_WITH_AES_128_CBC_SHA256 = 0x003E
    TLS_DH_RSA_WITH_AES_128_CBC_SHA256 = 0x003F
    TLS_DHE_DSS_WITH_AES_128_CBC_SHA256 = 0x0040
    TLS_RSA_WITH_CAMELLIA_128_CBC_SHA = 0x0041
    TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA = 0x0042
    TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA = 0x0043
    TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA = 0x0044
    TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA = 0x0045
    TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA = 0x0046
    TLS_DHE_DSS_WITH_RC4_128_SHA = 0x0066
    TLS_DHE_RSA_WITH_AES_128_CBC_SHA256 = 0x0067
    TLS_DH_DSS_WITH_AES_256_CBC_SHA256 = 0x0068
    TLS_DH_RSA_WITH_AES_256_CBC_SHA256 = 0x0069
    TLS_DHE_DSS_WITH_AES_256_CBC_SHA256 = 0x006A
    TLS_DHE_RSA_WITH_AES_256_CBC_SHA256 = 0x006B
    TLS_DH_anon_WITH_AES_128_CBC_SHA256 = 0x006C
    TLS_DH_anon_WITH_AES_256_CBC_SHA256 = 0x006D
    TLS_RSA_WITH_CAMELLIA_256_CBC_SHA = 0x0084
    TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA = 0x0085
    TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA = 0x0086
    TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA = 0x0087
    TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA = 0x0088
    TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA = 0x0089
    TLS_PSK_WITH_RC4_128_SHA = 0x008A
    TLS_PSK_WITH_3DES_EDE_CBC_SHA = 0x008B
    TLS_PSK_WITH_AES_128_CBC_SHA = 0x008C
    TLS_PSK_WITH_AES_256_CBC_SHA = 0x008D
    TLS_DHE_PSK_WITH_RC4_128_SHA = 0x008E
    TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA = 0x008F
    TLS_DHE_PSK_WITH_AES_128_CBC_SHA = 0x0090
    TLS_DHE_PSK_WITH_AES_256_CBC_SHA = 0x0091
    TLS_RSA_PSK_WITH_RC4_128_SHA = 0x0092
    TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA = 0x0093
    TLS_RSA_PSK_WITH_AES_128_CBC_SHA = 0x0094
    TLS_RSA_PSK_WITH_AES_256_CBC_SHA = 0x0095
    TLS_RSA_WITH_SEED_CBC_SHA = 0x0096
    TLS_DH_DSS_WITH_SEED_CBC_SHA = 0x0097
    TLS_DH_RSA_WITH_SEED_CBC_SHA = 0x0098
    TLS_DHE_DSS_WITH_SEED_CBC_SHA = 0x0099
    TLS_DHE_RSA_WITH_SEED_CBC_SHA = 0x009A
    TLS_DH_anon_WITH_SEED_CBC_SHA = 0x009B
    TLS_RSA_WITH_AES_128_GCM_SHA256 = 0x009C
    TLS_RSA_WITH_AES_256_GCM_SHA384 = 0x009D
    TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 = 0x009E
    TLS_DHE_RSA_WITH_AES_256_GCM_SHA384 = 0x009F
    TLS_DH_RSA_WITH_AES_128_GCM_SHA256 = 0x00A0
    TLS_DH_RSA_WITH_AES_256_GCM_SHA384 = 0x00A1
    TLS_DHE_DSS_WITH_AES_128_GCM_SHA256 = 0x00A2
    TLS_DHE_DSS_WITH_AES_256_GCM_SHA384 = 0x00A3
    TLS_DH_DSS_WITH_AES_128_GCM_SHA256 = 0x00A4
    TLS_DH_DSS_WITH_AES_256_GCM_SHA384 = 0x00A5
    TLS_DH_anon_WITH_AES_128_GCM_SHA256 = 0x00A6
    TLS_DH_anon_WITH_AES_256_GCM_SHA384 = 0x00A7
    TLS_PSK_WITH_AES_128_GCM_SHA256 = 0x00A8
    TLS_PSK_WITH_AES_256_GCM_SHA384 = 0x00A9
    TLS_DHE_PSK_WITH_AES_128_GCM_SHA256 = 0x00AA
    TLS_DHE_PSK_WITH_AES_256_GCM_SHA384 = 0x00AB
    TLS_RSA_PSK_WITH_AES_128_GCM_SHA256 = 0x00AC
    TLS_RSA_PSK_WITH_AES_256_GCM_SHA384 = 0x00AD
    TLS_PSK_WITH_AES_128_CBC_SHA256 = 0x00AE
    TLS_PSK_WITH_AES_256_CBC_SHA384 = 0x00AF
    TLS_PSK_WITH_NULL_SHA256 = 0x00B0
    TLS_PSK_WITH_NULL_SHA384 = 0x00B1
    TLS_DHE_PSK_WITH_AES_128_CBC_SHA256 = 0x00B2
    TLS_DHE_PSK_WITH_AES_256_CBC_SHA384 = 0x00B3
    TLS_DHE_PSK_WITH_NULL_SHA256 = 0x00B4
    TLS_DHE_PSK_WITH_NULL_SHA384 = 0x00B5
    TLS_RSA_PSK_WITH_AES_128_CBC_SHA256 = 0x00B6
    TLS_RSA_PSK_WITH_AES_256_CBC_SHA384 = 0x00B7
    TLS_RSA_PSK_WITH_NULL_SHA256 = 0x00B8
    TLS_RSA_PSK_WITH_NULL_SHA384 = 0x00B9
    TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256 = 0x00BA
    TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA256 = 0x00BB
    TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA256 = 0x00BC
    TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256 = 0x00BD
    TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256 = 0x00BE
    TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256 = 0x00BF
    TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256 = 0x00C0
    TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA256 = 0x00C1
    TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA256 = 0x00C2
    TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256 = 0x00C3
    TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256 = 0x00C4
    TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256 = 0x00C5
    TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00FF
    grease_0a0a = 0x0A0A "Reserved (GREASE)"
    TLS_AES_128_GCM_SHA256 = 0x1301
    TLS_AES_256_GCM_SHA384 = 0x1302
    TLS_CHACHA20_POLY1305_SHA256 = 0x1303
    TLS_AES_128_CCM_SHA256 = 0x1304
    TLS_AES_128_CCM_8_SHA256 = 0x1305
    grease_1a1a = 0x1A1A "Reserved (GREASE)"
    grease_2a2a = 0x2A2A "Reserved (GREASE)"
    grease_3a3a = 0x3A3A "Reserved (GREASE)"
    grease_4a4a = 0x4A4A "Reserved (GREASE)"
    TLS_FALLBACK_SCSV = 0x5600
    grease_5a5a = 0x5A5A "Reserved (GREASE)"
    grease_6a6a = 0x6A6A "Reserved (GREASE)"
    grease_7a7a = 0x7A7A "Reserved (GREASE)"
    grease_8a8a = 0x8A8A "Reserved (GREASE)"
    grease_9a9a = 0x9A9A "Reserved (GREASE)"
    grease_aaaa = 0xAAAA "Reserved (GREASE)"
    grease_baba = 0xBABA "Reserved (GREASE)"
    TLS_ECDH_ECDSA_WITH_NULL_SHA = 0xC001
    TLS_ECDH_ECDSA_WITH_RC4_128_SHA = 0xC002
    TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA = 0xC003
    TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA = 0xC004
    TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA = 0xC005
    TLS_ECDHE_ECDSA_WITH_NULL_SHA = 0xC006
    TLS_ECDHE_ECDSA_WITH_RC4_128_SHA = 0xC007
    TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA = 0xC008
    TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA = 0xC009
    TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA = 0xC00A
    TLS_ECDH_RSA_WITH_NULL_SHA = 0xC00B
    TLS_ECDH_RSA_WITH_RC4_128_SHA = 0xC00C
    TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA = 0xC00D
    TLS_ECDH_RSA_WITH_AES_128_CBC_SHA = 0xC00E
    TLS_ECDH_RSA_WITH_AES_256_CBC_SHA = 0xC00F
    TLS_ECDHE_RSA_WITH_NULL_SHA = 0xC010
    TLS_ECDHE_RSA_WITH_RC4_128_SHA = 0xC011
    TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA = 0xC012
    TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA = 0xC013
    TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA = 0xC014
    TLS_ECDH_anon_WITH_NULL_SHA = 0xC015
    TLS_ECDH_anon_WITH_RC4_128_SHA = 0xC016
    TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA = 0xC017
    TLS_ECDH_anon_WITH_AES_128_CBC_SHA = 0xC018
    TLS_ECDH_anon_WITH_AES_256_CBC_SHA = 0xC019
    TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA = 0xC01A
    TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA = 0xC01B
    TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA = 0xC01C
    TLS_SRP_SHA_WITH_AES_128_CBC_SHA = 0xC01D
    TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA = 0xC01E
    TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA = 0xC01F
    TLS_SRP_SHA_WITH_AES_256_CBC_SHA = 0xC020
    TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA = 0xC021
    TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA = 0xC022
    TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 = 0xC023
    TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384 = 0xC024
    TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256 = 0xC025
    TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384 = 0xC026
    TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 = 0xC027
    TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384 = 0xC028
    TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256 = 0xC029
    TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384 = 0xC02A
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 = 0xC02B
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 = 0xC02C
    TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256 = 0xC02D
    TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384 = 0xC02E
    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 = 0xC02F
    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 = 0xC030
    TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256 = 0xC031
    TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384 = 0xC032
    TLS_ECDHE_PSK_WITH_RC4_128_SHA = 0xC033
    TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA = 0xC034
    TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA = 0xC035
    TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA = 0xC036
    TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256 = 0xC037
    TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384 = 0xC038
    TLS_ECDHE_PSK_WITH_NULL_SHA = 0xC039
    TLS_ECDHE_PSK_WITH_NULL_SHA256 = 0xC03A
    TLS_ECDHE_PSK_WITH_NULL_SHA384 = 0xC03B
    TLS_RSA_WITH_AES_128_CCM = 0xC09C
    TLS_RSA_WITH_AES_256_CCM = 0xC09D
    TLS_DHE_RSA_WITH_AES_128_CCM = 0xC09E
    TLS_DHE_RSA_WITH_AES_256_CCM = 0xC09F
    TLS_RSA_WITH_AES_128_CCM_8 = 0xC0A0
    TLS_RSA_WITH_AES_256_CCM_8 = 0xC0A1
    TLS_DHE_RSA_WITH_AES_128_CCM_8 = 0xC0A2
    TLS_DHE_RSA_WITH_AES_256_CCM_8 = 0xC0A3
    TLS_PSK_WITH_AES_128_CCM = 0xC0A4
    TLS_PSK_WITH_AES_256_CCM = 0xC0A5
    TLS_DHE_PSK_WITH_AES_128_CCM = 0xC0A6
    TLS_DHE_PSK_WITH_AES_256_CCM = 0xC0A7
    TLS_PSK_WITH_AES_128_CCM_8 = 0xC0A8
    TLS_PSK_WITH_AES_256_CCM_8 = 0xC0A9
    TLS_PSK_DHE_WITH_AES_128_CCM_8 = 0xC0AA
    TLS_PSK_DHE_WITH_AES_256_CCM_8 = 0xC0AB
    TLS_ECDHE_ECDSA_WITH_AES_128_CCM = 0xC0AC
    TLS_ECDHE_ECDSA_WITH_AES_256_CCM = 0xC0AD
    TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 = 0xC0AE
    TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8 = 0xC0AF
    grease_caca = 0xCACA "Reserved (GREASE)"
    TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256_OLD = 0xCC13 "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 (draft)"
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256_OLD = 0xCC14 "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 (draft)"
    TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256_OLD = 0xCC15 "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256 (draft)"
    TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = 0xCCA8
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 = 0xCCA9
    TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = 0xCCAA
    TLS_PSK_WITH_CHACHA20_POLY1305_SHA256 = 0xCCAB
    TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256 = 0xCCAC
    TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256 = 0xCCAD
    TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256 = 0xCCAE
    grease_dada = 0xDADA "Reserved (GREASE)"
    grease_eaea = 0xEAEA "Reserved (GREASE)"
    grease_fafa = 0xFAFA "Reserved (GREASE)"
}

enum CompressionMethod : u8 {
    null    = 0
    deflate = 1  "DEFLATE"
    lzs     = 64 "LZS"
}

enum ExtensionType : u16 {
    server_name = 0
    max_fragment_length = 1
    client_certificate_url = 2
    trusted_ca_keys = 3
    truncated_hmac = 4
    status_request = 5
    user_mapping = 6
    client_authz = 7
    server_authz = 8
    cert_type = 9
    supported_groups = 10
    ec_point_formats = 11
    srp = 12
    signature_algorithms = 13
    use_srtp = 14
    heartbeat = 15
    application_layer_protocol_negotiation = 16
    status_request_v2 = 17
    signed_certificate_timestamp = 18
    client_certificate_type = 19
    server_certificate_type = 20
    padding = 21
    encrypt_then_mac = 22
    extended_master_secret = 23
    token_binding = 24
    cached_info = 25
    compress_certificate = 27
    record_size_limit = 28
    delegated_credentials = 34
    session_ticket = 35
    reserved_key_share = 40 "Reserved (key_share)"
    pre_shared_key = 41
    early_data = 42
    supported_versions = 43
    cookie = 44
    psk_key_exchange_modes = 45
    reserved_ticket_early_data_info = 46 "Reserved (ticket_early_data_info)"
    certificate_authorities = 47
    oid_filters = 48
    post_handshake_auth = 49
    signature_algorithms_cert = 50
    key_share = 51
    transparency_info = 52
    connection_id_deprecated = 53 "connection_id (deprecated)"
    connection_id = 54
    external_id_hash = 55
    external_session_id = 56
    quic_transport_parameters = 57
    ticket_request = 58
    dnssec_chain = 59
    grease_0a0a = 2570 "Reserved (GREASE)"
    grease_1a1a = 6682 "Reserved (GREASE)"
    grease_2a2a = 10794 "Reserved (GREASE)"
    next_protocol_negotiation = 13172
    grease_3a3a = 14906 "Reserved (GREASE)"
    application_settings = 17513
    grease_4a4a = 19018 "Reserved (GREASE)"
    grease_5a5a = 23130 "Reserved (GREASE)"
    grease_6a6a = 27242 "Reserved (GREASE)"
    channel_id_old = 30031
    channel_id = 30032
    grease_7a7a = 31354 "Reserved (GREASE)"
    grease_8a8a = 35466 "Reserved (GREASE)"
    grease_9a9a = 39578 "Reserved (GREASE)"
    grease_aaaa = 43690 "Reserved (GREASE)"
    grease_baba = 47802 "Reserved (GREASE)"
    grease_caca = 51914 "Reserved (GREASE)"
    grease_dada = 56026 "Reserved (GREASE)"
    grease_eaea = 60138 "Reserved (GREASE)"
    grease_fafa = 64250 "Reserved (GREASE)"
    renegotiation_info = 65281
    quic_transport_parameters_drafts_version = 65445 "quic_transport_parameters (drafts version)"
    encrypted_server_name = 65486
}

enum NamedGroup : u16 {
    sect163k1 = 0x0001
    sect163r1 = 0x0002
    sect163r2 = 0x0003
    sect193r1 = 0x0004
    sect193r2 = 0x0005
    sect233k1 = 0x0006
    sect233r1 = 0x0007
    sect239k1 = 0x0008
    sect283k1 = 0x0009
    sect283r1 = 0x000A
    sect409k1 = 0x000B
    sect409r1 = 0x000C
    sect571k1 = 0x000D
    sect571r1 = 0x000E
    secp160k1 = 0x000F
    secp160r1 = 0x0010
    secp160r2 = 0x0011
    secp192k1 = 0x0012
    secp192r1 = 0x0013
    secp224k1 = 0x0014
    secp224r1 = 0x0015
    secp256k1 = 0x0016
    secp256r1 = 0x0017
    secp384r1 = 0x0018
    secp521r1 = 0x0019
    brainpoolp256r1 = 0x001A "brainpoolP256r1"
    brainpoolp384r1 = 0x001B "brainpoolP384r1"
    brainpoolp512r1 = 0x001C "brainpoolP512r1"
    x25519 = 0x001D
    x448 = 0x001E
    curvesm2 = 0x0029 "curveSM2"
    ffdhe2048 = 0x0100
    ffdhe3072 = 0x0101
    ffdhe4096 = 0x0102
    ffdhe6144 = 0x0103
    ffdhe8192 = 0x0104
    grease_0a0a = 0x0A0A "Reserved (GREASE)"
    grease_1a1a = 0x1A1A "Reserved (GREASE)"
    grease_2a2a = 0x2A2A "Reserved (GREASE)"
    grease_3a3a = 0x3A3A "Reserved (GREASE)"
    grease_4a4a = 0x4A4A "Reserved (GREASE)"
    grease_5a5a = 0x5A5A "Reserved (GREASE)"
    grease_6a6a = 0x6A6A "Reserved (GREASE)"
    grease_7a7a = 0x7A7A "Reserved (GREASE)"
    grease_8a8a = 0x8A8A "Reserved (GREASE)"
    grease_9a9a = 0x9A9A "Reserved (GREASE)"
    grease_aaaa = 0xAAAA "Reserved (GREASE)"
    grease_baba = 0xBABA "Reserved (GREASE)"
    grease_caca = 0xCACA "Reserved (GREASE)"
    grease_dada = 0xDADA "Reserved (GREASE)"
    grease_eaea = 0xEAEA "Reserved (GREASE)"
    grease_fafa = 0xFAFA "Reserved (GREASE)"
    arbitrary_explicit_prime_curves = 0xFF01
    arbitrary_explicit_char2_curves = 0xFF02
    x25519kyber512draft00 = 0xFE30 "X25519Kyber512Draft00"
    x25519kyber768draft00_old = 0xFE31 "X25519Kyber768Draft00 (old)"
    x25519kyber768draft00 = 0x6399 "X25519Kyber768Draft00"
    secp256r1mlkem768 = 0x11EB "SecP256r1MLKEM768"
    x25519mlkem768 = 0x11EC "X25519MLKEM768"
    secp384r1mlkem1024 = 0x11ED "SecP384r1MLKEM1024"
}

enum SignatureScheme : u16 {
    md5_rsa    = 0x0101 "MD5 RSA"
    md5_dsa    = 0x0102 "MD5 DSA"
    md5_ecdsa  = 0x0103 "MD5 ECDSA"
    dsa_sha1   = 0x0202 "SHA1 DSA"
    sha224_rsa   = 0x0301 "SHA224 RSA"
    sha224_dsa   = 0x0302 "SHA224 DSA"
    sha224_ecdsa = 0x0303 "SHA224 ECDSA"
    dsa_sha256 = 0x0402 "SHA256 DSA"
    dsa_sha384 = 0x0502 "SHA384 DSA"
    dsa_sha512 = 0x0602 "SHA512 DSA"
    rsa_pkcs1_sha1 = 0x0201
    ecdsa_sha1 = 0x0203
    rsa_pkcs1_sha256 = 0x0401
    ecdsa_secp256r1_sha256 = 0x0403
    rsa_pkcs1_sha384 = 0x0501
    ecdsa_secp384r1_sha384 = 0x0503
    rsa_pkcs1_sha512 = 0x0601
    ecdsa_secp521r1_sha512 = 0x0603
    sm2sig_sm3 = 0x0708
    rsa_pss_rsae_sha256 = 0x0804
    rsa_pss_rsae_sha384 = 0x0805
    rsa_pss_rsae_sha512 = 0x0806
    ed25519 = 0x0807
    ed448 = 0x0808
    rsa_pss_pss_sha256 = 0x0809
    rsa_pss_pss_sha384 = 0x080A
    rsa_pss_pss_sha512 = 0x080B
    ecdsa_brainpoolp256r1tls13_sha256 = 0x081A
    ecdsa_brainpoolp384r1tls13_sha384 = 0x081B
    ecdsa_brainpoolp512r1tls13_sha512 = 0x081C
}

enum ECPointFormat : u8 {
    uncompressed              = 0
    ansix962_compressed_prime = 1 "ansiX962_compressed_prime"
    ansix962_compressed_char2 = 2 "ansiX962_compressed_char2"
}

enum ECCurveType : u8 {
    explicit_prime = 1
    explicit_char2 = 2
    named_curve    = 3
}

enum PskKeyExchangeMode : u8 {
    psk_ke     = 0 "PSK-only key establishment (psk_ke)"
    psk_dhe_ke = 1 "PSK with (EC)DHE key establishment (psk_dhe_ke)"
}

enum ServerNameType : u8 {
    host_name = 0
}

enum MaxFragmentLength : u8 {
    len_512  = 1 "512"
    len_1024 = 2 "1024"
    len_2048 = 3 "2048"
    len_4096 = 4 "4096"
}

enum CertificateStatusType : u8 {
    ocsp       = 1 "OCSP"
    ocsp_multi = 2 "OCSP Multi"
}

enum HeartbeatMode : u8 {
    peer_allowed_to_send     = 1 "Peer allowed to send requests"
    peer_not_allowed_to_send = 2 "Peer not allowed to send requests"
}

enum CertificateCompressionAlgorithm : u16 {
    zlib   = 1
    brotli = 2
    zstd   = 3
}

enum ClientCertificateType : u8 {
    rsa_sign                  = 1  "RSA Sign"
    dss_sign                  = 2  "DSS Sign"
    rsa_fixed_dh              = 3  "RSA Fixed DH"
    dss_fixed_dh              = 4  "DSS Fixed DH"
    rsa_ephemeral_dh          = 5  "RSA Ephemeral DH"
    dss_ephemeral_dh          = 6  "DSS Ephemeral DH"
    fortezza_dms              = 20 "Fortezza DMS"
    ecdsa_sign                = 64 "ECDSA Sign"
    rsa_fixed_ecdh            = 65 "RSA Fixed ECDH"
    ecdsa_fixed_ecdh          = 66 "ECDSA Fixed ECDH"
}

enum KeyUpdateRequest : u8 {
    update_not_requested = 0
    update_requested     = 1
}

struct Nothing {}

// ---------------------------------------------------------------------
// A handshake message: its header and its body.

struct Handshake [summary = "{body}"] {
    msg_type HandshakeType [ws = "tls.handshake.type"]
    length   u24           [ws = "tls.handshake.length"]
    body switch msg_type {
        case hello_request:        HelloRequest
        case client_hello:         ClientHello
        case server_hello:         ServerHello
        case new_session_ticket:   NewSessionTicket
        case end_of_early_data:    EndOfEarlyData
        case encrypted_extensions: EncryptedExtensions
        case certificate:          Certificate
        case server_key_exchange:  ServerKeyExchange
        case certificate_request:  CertificateRequest
        case server_hello_done:    ServerHelloDone
        case certificate_verify:   CertificateVerify
        case client_key_exchange:  ClientKeyExchange
        case finished:             Finished
        case certificate_status:   CertificateStatus
        case key_update:           KeyUpdate
        default:                   UnknownHandshake
    } [size = length]
}

struct UnknownHandshake [summary = "Handshake Message"] {
    data []byte
}

struct HelloRequest [summary = "Hello Request"] {}

struct EndOfEarlyData [summary = "End of Early Data"] {}

struct ServerHelloDone [summary = "Server Hello Done"] {}

struct ClientHello [summary = "Client Hello{sni}"] {
    set state.sni_length = 0
    version           Version [ws = "tls.handshake.version", base = hex]
    random            [32]byte [ws = "tls.handshake.random"]
    let gmt_unix_time = u32(offset(random)) [time = unix, doc = "The first 4 bytes of the random: a time in SSL 3.0 to TLS 1.2 (often random since)"]
    session_id_length u8 [ws = "tls.handshake.session_id_length", range = 0..32]
    session_id        [session_id_length]byte [ws = "tls.handshake.session_id"]
    cipher_suites_length u16 [ws = "tls.handshake.cipher_suites_length"]
    cipher_suites     []CipherSuite [size = cipher_suites_length, ws = "tls.handshake.ciphersuite", base = hex]
    compression_methods_length u8 [ws = "tls.handshake.comp_methods_length"]
    compression_methods [compression_methods_length]CompressionMethod [ws = "tls.handshake.comp_method"]
    let has_extensions = remaining() > 0 [doc = "Extensions are optional before TLS 1.3"]
    extensions_length u16 [if = has_extensions, ws = "tls.handshake.extensions_length"]
    extensions []Extension(HandshakeType.client_hello, offset(extensions_length) + 2) [if = has_extensions, size = extensions_length]
    // LANGUAGE GAP: a summary cannot look into an array, so the host name
    // is found by the server_name extension (which records where it is in
    // state.sni_offset) and read again here, at that position. Text in a
    // summary is always quoted: (SNI="example.com"), where tshark shows
    // (SNI=example.com). Suggested: {extensions[type == server_name].data.names[0].name}
    // or a find() expression, and a {name:raw} format.
    sni switch state.sni_length {
        case 0:  Nothing
        default: SNIName(state.sni_length)
    } [at = state.sni_length > 0 ? state.sni_offset : 0]
}

struct SNIName(n u32) [summary = " (SNI={name})"] {
    name [n]ascii [doc = "The host name of the server_name extension, again, for the summary (no ws: it is the same bytes)"]
}

// A ServerHello whose random is SHA-256("HelloRetryRequest") is a TLS 1.3
// HelloRetryRequest.
struct ServerHello [summary = "{kind}"] {
    version           Version [ws = "tls.handshake.version", base = hex]
    random            [32]byte [ws = "tls.handshake.random"]
    let gmt_unix_time = u32(offset(random)) [time = unix, doc = "The first 4 bytes of the random: a time in SSL 3.0 to TLS 1.2 (often random since)"]
    let hello_retry_request = u32(offset(random)) == 0xCF21AD74 && u32(offset(random) + 4) == 0xE59A6111 &&
        u32(offset(random) + 8) == 0xBE1D8C02 && u32(offset(random) + 12) == 0x1E65B891 &&
        u32(offset(random) + 16) == 0xC2A21116 && u32(offset(random) + 20) == 0x7ABB8C5E &&
        u32(offset(random) + 24) == 0x079E09E2 && u32(offset(random) + 28) == 0xC8A8339C [doc = "The random is SHA-256(\"HelloRetryRequest\")"]
    kind switch hello_retry_request {
        case 1:  HelloRetryRequestKind
        default: ServerHelloKind
    }
    session_id_length u8 [ws = "tls.handshake.session_id_length", range = 0..32]
    session_id        [session_id_length]byte [ws = "tls.handshake.session_id"]
    cipher_suite      CipherSuite [ws = "tls.handshake.ciphersuite", base = hex]
    compression_method CompressionMethod [ws = "tls.handshake.comp_method"]
    let has_extensions = remaining() > 0 [doc = "Extensions are optional before TLS 1.3"]
    extensions_length u16 [if = has_extensions, ws = "tls.handshake.extensions_length"]
    extensions []Extension(hello_retry_request ? HandshakeType.hello_retry_request : HandshakeType.server_hello, 0) [if = has_extensions, size = extensions_length]
    set state.version = version
    // The key exchange of the chosen cipher suite, for ServerKeyExchange
    // and ClientKeyExchange: 1 ECDHE (and ECDH_anon), 2 DHE (and DH_anon),
    // 3 RSA, 0 anything else (PSK, SRP, static ECDH, ...).
    set state.key_exchange = (
        (cipher_suite >= 0xC006 && cipher_suite <= 0xC00A) || (cipher_suite >= 0xC010 && cipher_suite <= 0xC019) ||
        (cipher_suite >= 0xC023 && cipher_suite <= 0xC032 && ((cipher_suite - 0xC023) >> 1) % 2 == 0) ||
        (cipher_suite >= 0xC072 && cipher_suite <= 0xC079 && ((cipher_suite - 0xC072) >> 1) % 2 == 0) ||
        (cipher_suite >= 0xC0AC && cipher_suite <= 0xC0AF) || cipher_suite == 0xCCA8 || cipher_suite == 0xCCA9 ||
        cipher_suite == 0xCC13 || cipher_suite == 0xCC14 ? 1 :
        (cipher_suite >= 0x0011 && cipher_suite <= 0x001B) || (cipher_suite >= 0x0032 && cipher_suite <= 0x0034) ||
        (cipher_suite >= 0x0038 && cipher_suite <= 0x003A) || cipher_suite == 0x0040 ||
        (cipher_suite >= 0x0044 && cipher_suite <= 0x0046) || (cipher_suite >= 0x0066 && cipher_suite <= 0x0067) ||
        (cipher_suite >= 0x006A && cipher_suite <= 0x006D) || (cipher_suite >= 0x0087 && cipher_suite <= 0x0089) ||
        (cipher_suite >= 0x0099 && cipher_suite <= 0x009B) || cipher_suite == 0x009E || cipher_suite == 0x009F ||
        cipher_suite == 0x00A2 || cipher_suite == 0x00A3 || cipher_suite == 0x00A6 || cipher_suite == 0x00A7 ||
        (cipher_suite >= 0x00BD && cipher_suite <= 0x00BF) || (cipher_suite >= 0x00C3 && cipher_suite <= 0x00C5) ||
        cipher_suite == 0xC09E || cipher_suite == 0xC09F || cipher_suite == 0xC0A2 || cipher_suite == 0xC0A3 ||
        cipher_suite == 0xCCAA || cipher_suite == 0xCC15 ? 2 :
        cipher_suite <= 0x000A || cipher_suite == 0x002F || cipher_suite == 0x0035 ||
        (cipher_suite >= 0x003B && cipher_suite <= 0x003D) || cipher_suite == 0x0041 || cipher_suite == 0x0084 ||
        cipher_suite == 0x0096 || cipher_suite == 0x009C || cipher_suite == 0x009D || cipher_suite == 0x00BA ||
        cipher_suite == 0x00C0 || cipher_suite == 0xC09C || cipher_suite == 0xC09D || cipher_suite == 0xC0A0 ||
        cipher_suite == 0xC0A1 ? 3 :
        0)
}

struct ServerHelloKind [summary = "Server Hello"] {}

struct HelloRetryRequestKind [summary = "Hello Retry Request"] {}

struct Extension(hs u8, base u32) [summary = "{type} (len={length})"] {
    type   ExtensionType [ws = "tls.handshake.extension.type"]
    length u16           [ws = "tls.handshake.extension.len"]
    data switch type {
        case server_name: switch length {
            case 0:  Nothing // the server's acknowledgement is empty
            default: ServerNameList(base + offset())
        }
        case max_fragment_length:    MaxFragmentLengthExt
        case status_request: switch length {
            case 0:  Nothing
            default: CertificateStatusRequest
        }
        case supported_groups:       NamedGroupList
        case ec_point_formats:       ECPointFormatList
        case signature_algorithms, signature_algorithms_cert: SignatureSchemeList
        case delegated_credentials: switch hs {
            case 1:  SignatureSchemeList
            default: ExtensionData
        }
        case heartbeat:              HeartbeatExt
        case application_layer_protocol_negotiation: ProtocolNameList
        case padding:                Padding
        case encrypt_then_mac, extended_master_secret, post_handshake_auth: Nothing
        case compress_certificate:   CompressCertificate
        case record_size_limit:      RecordSizeLimit
        case session_ticket:         SessionTicketExt
        case pre_shared_key: switch hs {
            case 1:  OfferedPsks
            default: SelectedIdentity
        }
        case early_data: switch hs {
            case 4:  MaxEarlyData
            default: Nothing
        }
        case supported_versions: switch hs {
            case 1:  SupportedVersionList
            default: SupportedVersion
        }
        case cookie:                 Cookie
        case psk_key_exchange_modes: PskKeyExchangeModes
        case key_share: switch hs {
            case 1:  KeyShareClientHello
            case 6:  KeyShareHelloRetryRequest
            default: KeyShareEntry
        }
        case renegotiation_info:     RenegotiationInfo
        default:                     ExtensionData
    } [size = length]
}

struct ExtensionData {
    data []byte [ws = "tls.handshake.extension.data"]
}

struct ServerNameList(base u32) [summary = "{names}"] {
    list_length u16 [ws = "tls.handshake.extensions_server_name_list_len"]
    names []ServerName(base + 2) [size = list_length]
}

struct ServerName(base u32) [summary = "{name}"] {
    name_type   ServerNameType [ws = "tls.handshake.extensions_server_name_type"]
    name_length u16            [ws = "tls.handshake.extensions_server_name_len"]
    name        [name_length]ascii [ws = "tls.handshake.extensions_server_name"]
    set state.sni_offset = name_type == 0 ? base + offset(name) : state.sni_offset
    set state.sni_length = name_type == 0 ? name_length : state.sni_length
}

struct MaxFragmentLengthExt {
    max_fragment_length MaxFragmentLength [ws = "tls.handshake.max_fragment_length"]
}

struct CertificateStatusRequest {
    status_type CertificateStatusType [ws = "tls.handshake.extensions_status_request_type"]
    responder_id_list_length u16 [ws = "tls.handshake.extensions_status_request_responder_ids_len"]
    responder_ids [responder_id_list_length]byte
    request_extensions_length u16 [ws = "tls.handshake.extensions_status_request_exts_len"]
    request_extensions [request_extensions_length]byte
}

struct NamedGroupList {
    length u16 [ws = "tls.handshake.extensions_supported_groups_length"]
    groups []NamedGroup [size = length, ws = "tls.handshake.extensions_supported_group", base = hex]
}

struct ECPointFormatList {
    length  u8 [ws = "tls.handshake.extensions_ec_point_formats_length"]
    formats [length]ECPointFormat [ws = "tls.handshake.extensions_ec_point_format"]
}

struct SignatureSchemeList {
    length     u16 [ws = "tls.handshake.sig_hash_alg_len"]
    algorithms []SignatureScheme [size = length, ws = "tls.handshake.sig_hash_alg", base = hex]
}

struct HeartbeatExt {
    mode HeartbeatMode [ws = "tls.handshake.extension.heartbeat.mode"]
}

struct ProtocolNameList {
    length    u16 [ws = "tls.handshake.extensions_alpn_len"]
    protocols []ProtocolName [size = length]
}

struct ProtocolName [summary = "{name}"] {
    length u8 [ws = "tls.handshake.extensions_alpn_str_len"]
    name   [length]ascii [ws = "tls.handshake.extensions_alpn_str"]
}

struct Padding {
    data []byte [ws = "tls.handshake.extensions_padding_data"]
}

struct CompressCertificate {
    length     u8 [ws = "tls.compress_certificate.algorithms_length"]
    algorithms []CertificateCompressionAlgorithm [size = length, ws = "tls.compress_certificate.algorithm"]
}

struct RecordSizeLimit {
    record_size_limit u16 [ws = "tls.record_size_limit"]
}

struct SessionTicketExt {
    ticket []byte [ws = "tls.handshake.session_ticket", doc = "Empty to ask for a ticket"]
}

struct OfferedPsks {
    identities_length u16 [ws = "tls.handshake.extensions.psk.identities.length"]
    identities        []PskIdentity [size = identities_length]
    binders_length    u16 [ws = "tls.handshake.extensions.psk.binders_len"]
    binders           []PskBinder [size = binders_length]
}

struct PskIdentity {
    identity_length       u16 [ws = "tls.handshake.extensions.psk.identity.identity_length"]
    identity              [identity_length]byte [ws = "tls.handshake.extensions.psk.identity.identity"]
    obfuscated_ticket_age u32 [ws = "tls.handshake.extensions.psk.identity.obfuscated_ticket_age"]
}

struct PskBinder {
    length u8
    binder [length]byte [ws = "tls.handshake.extensions.psk.binders"]
}

struct SelectedIdentity {
    selected_identity u16 [ws = "tls.handshake.extensions.psk.identity.selected"]
}

struct MaxEarlyData {
    max_early_data_size u32 [ws = "tls.early_data.max_early_data_size"]
}

struct SupportedVersionList {
    length   u8 [ws = "tls.handshake.extensions.supported_versions_len"]
    versions []Version [size = length, ws = "tls.handshake.extensions.supported_version", base = hex]
}

struct SupportedVersion [summary = "{version}"] {
    version Version [ws = "tls.handshake.extensions.supported_version", base = hex]
}

struct Cookie {
    length u16 [ws = "tls.handshake.extensions.cookie_len"]
    cookie [length]byte [ws = "tls.handshake.extensions.cookie"]
}

struct PskKeyExchangeModes {
    length u8 [ws = "tls.extension.psk_ke_modes_length"]
    modes  [length]PskKeyExchangeMode [ws = "tls.extension.psk_ke_mode"]
}

struct KeyShareClientHello {
    length u16 [ws = "tls.handshake.extensions_key_share_client_length"]
    shares []KeyShareEntry [size = length]
}

struct KeyShareEntry [summary = "{group}"] {
    group               NamedGroup [ws = "tls.handshake.extensions_key_share_group", base = hex]
    key_exchange_length u16 [ws = "tls.handshake.extensions_key_share_key_exchange_length"]
    key_exchange        [key_exchange_length]byte [ws = "tls.handshake.extensions_key_share_key_exchange"]
}

struct KeyShareHelloRetryRequest {
    selected_group NamedGroup [ws = "tls.handshake.extensions_key_share_selected_group", base = hex]
}

struct RenegotiationInfo {
    length                  u8 [ws = "tls.handshake.extensions_reneg_info_len"]
    renegotiated_connection [length]byte [ws = "tls.handshake.extensions_reneg_info", doc = "Empty on a first handshake"]
}

struct NewSessionTicket [summary = "New Session Ticket"] {
    lifetime_hint u32 [ws = "tls.handshake.session_ticket_lifetime_hint", unit = "s"]
    ticket_length u16 [ws = "tls.handshake.session_ticket_length"]
    ticket        [ticket_length]byte [ws = "tls.handshake.session_ticket"]
}

struct EncryptedExtensions [summary = "Encrypted Extensions"] {
    extensions_length u16 [ws = "tls.handshake.extensions_length"]
    extensions []Extension(HandshakeType.encrypted_extensions, 0) [size = extensions_length]
}

// The TLS 1.2 layout: a list of DER certificates, the server's own first.
// (The TLS 1.3 Certificate is always encrypted.)
struct Certificate [summary = "Certificate"] {
    certificates_length u24 [ws = "tls.handshake.certificates_length"]
    certificates []CertificateEntry [size = certificates_length]
}

struct CertificateEntry [summary = "{length} bytes"] {
    length      u24 [ws = "tls.handshake.certificate_length"]
    certificate [length]byte [ws = "tls.handshake.certificate", doc = "An X.509 certificate in DER"]
}

// The parameters depend on the key exchange of the cipher suite the
// ServerHello chose (state.key_exchange).
struct ServerKeyExchange [summary = "Server Key Exchange"] {
    params switch state.key_exchange {
        case 1:  ServerECDHParams
        case 2:  ServerDHParams
        default: KeyExchangeData
    }
    signature switch state.version >= 0x0303 {
        case 1:  DigitallySigned
        default: LegacySignature
    } [if = remaining() > 0]
}

struct ServerECDHParams {
    curve_type  ECCurveType [ws = "tls.handshake.server_curve_type"]
    named_curve NamedGroup  [if = curve_type == ECCurveType.named_curve, ws = "tls.handshake.server_named_curve", base = hex]
    explicit_curve []byte   [if = curve_type != ECCurveType.named_curve, doc = "Explicit curve parameters and the key: not decoded"]
    point_length u8         [if = curve_type == ECCurveType.named_curve, ws = "tls.handshake.server_point_len"]
    point [point_length]byte [if = curve_type == ECCurveType.named_curve, ws = "tls.handshake.server_point"]
}

struct ServerDHParams {
    p_length  u16 [ws = "tls.handshake.p_len"]
    p         [p_length]byte [ws = "tls.handshake.p"]
    g_length  u16 [ws = "tls.handshake.g_len"]
    g         [g_length]byte [ws = "tls.handshake.g"]
    ys_length u16 [ws = "tls.handshake.ys_len"]
    ys        [ys_length]byte [ws = "tls.handshake.ys"]
}

struct KeyExchangeData {
    data []byte [doc = "Key exchange parameters of a cipher suite not described here, or of an unknown one"]
}

// TLS 1.2: the signature algorithm, then the signature.
struct DigitallySigned {
    algorithm        SignatureScheme [ws = "tls.handshake.sig_hash_alg", base = hex]
    signature_length u16 [ws = "tls.handshake.sig_len"]
    signature        [signature_length]byte [ws = "tls.handshake.sig"]
}

// SSL 3.0 to TLS 1.1: the algorithm follows from the certificate.
struct LegacySignature {
    signature_length u16 [ws = "tls.handshake.sig_len"]
    signature        [signature_length]byte [ws = "tls.handshake.sig"]
}

struct CertificateRequest [summary = "Certificate Request"] {
    certificate_types_count u8 [ws = "tls.handshake.cert_types_count"]
    certificate_types [certificate_types_count]ClientCertificateType [ws = "tls.handshake.cert_type"]
    algorithms SignatureSchemeList [if = state.version >= 0x0303]
    distinguished_names_length u16 [ws = "tls.handshake.dnames_len"]
    distinguished_names []DistinguishedName [size = distinguished_names_length]
}

struct DistinguishedName {
    length u16 [ws = "tls.handshake.dname_len"]
    name   [length]byte [ws = "tls.handshake.dname", doc = "A DER-encoded X.501 name of an accepted certificate authority"]
}

struct CertificateVerify [summary = "Certificate Verify"] {
    signature switch state.version >= 0x0303 {
        case 1:  DigitallySigned
        default: LegacySignature
    }
}

struct ClientKeyExchange [summary = "Client Key Exchange"] {
    exchange switch state.key_exchange {
        case 1:  ClientECDHPublic
        case 2:  ClientDHPublic
        case 3: switch state.version {
            case 0x0300: KeyExchangeData // SSL 3.0: no length before the encrypted premaster secret
            default:     EncryptedPreMasterSecret
        }
        default: KeyExchangeData
    }
}

struct ClientECDHPublic {
    point_length u8 [ws = "tls.handshake.client_point_len"]
    point        [point_length]byte [ws = "tls.handshake.client_point"]
}

struct ClientDHPublic {
    yc_length u16 [ws = "tls.handshake.yc_len"]
    yc        [yc_length]byte [ws = "tls.handshake.yc"]
}

struct EncryptedPreMasterSecret {
    length u16 [ws = "tls.handshake.epms_len"]
    encrypted_pre_master_secret [length]byte [ws = "tls.handshake.epms"]
}

struct Finished [summary = "Finished"] {
    verify_data []byte [ws = "tls.handshake.verify_data"]
}

struct CertificateStatus [summary = "Certificate Status"] {
    status_type     CertificateStatusType [ws = "tls.handshake.extensions_status_request_type"]
    response_length u24 [ws = "tls.handshake.ocsp_response_len"]
    response        [response_length]byte [doc = "A DER-encoded OCSP response"]
}

struct KeyUpdate [summary = "Key Update"] {
    request_update KeyUpdateRequest [ws = "tls.handshake.key_update.request_update"]
}
