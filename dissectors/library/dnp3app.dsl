// DNP3 application fragments joined from the transport segments of
// several link frames (dnp3.dsl hands them over with [join]): the
// application header and the object headers of the whole fragment. It
// receives whole messages, so it needs no framing: it is declared as a
// message protocol (transport udp) with no ports, reached only by [join].

import "dnp3.dsl"

protocol dnp3_app {
    title       "DNP3 Application Layer"
    description "DNP3 application fragments joined from the transport segments of several link frames"
    transport   udp
    endian      little
    wireshark   "dnp3"
    message     Fragment
}

// A whole application fragment.
struct Fragment [summary = "Application fragment{application}"] {
    application Application(true)
}
